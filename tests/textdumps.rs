//! Text page dumps (`.txt`, `.txt.gz`) through the real binary: `extract` prints the same JSON
//! as for HTML, `index` adds them (and skips text files that are not pages, by reason),
//! re-indexing is incremental, and search filters work on their fields. Fixtures are invented
//! here; the shared seed page is checked against its truth when `../shared` is present.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// A business daily's article page as a browser shows it: top bar, breadcrumb, headline, date
/// line, photo with caption and credit, the story with an insert, then a list and a footer.
const HARBOUR: &str = "date 2021-05-12 You are here\n\nHome > Ports & Shipping\n\n\
Harbour dredging contract goes to local firm\n\nWed, May 12, 2021 - 8:15 AM\n\n\
dredger_0512.jpg\nA dredger at work in the outer harbour.\nPHOTO: COURIER\n\n\
The port authority on Tuesday awarded a five-year dredging contract to Dunmore Marine, a local company that beat two foreign bidders.\n\n\
The contract is worth 42 million over its term and covers the outer channel and the ferry berths, the authority said.\n\n\
SEE ALSO\n\nFerry operator adds a winter route\n\n\
\"Keeping the channel open is what keeps this town working,\" said harbour master Olga Brennan.\n\n\
Work will begin in September, when the summer ferry season ends.\n\n\
COURIER\n\nPorts & Shipping\n\nFerry operator adds a winter route\n\nNew cranes arrive at the container quay\n\n\
subscribe to\nThe Courier\nSUBSCRIBE NOW\n";

/// A wire page: a menu bar, the headline, a dated wire lead, a "More from" list.
const WIRE: &str = "Wire | Markets | World | Sport\nCopper prices climb on supply worries\n\n\
LONDON, Nov 2 (Wire) - Copper prices rose to a three-month high on Tuesday as traders worried about lower output from two large mines.\n\n\
Stocks in exchange warehouses fell for a sixth week, analysts said, and buyers in Asia returned after a holiday.\n\n\
Reporting by Ines Varga\n\n\
More from Wire\nZinc steady in thin trade 2021-11-01\nGold slips as dollar firms 2021-10-29\n";

/// A page with a shouted section label, a byline and comments after the story.
const LEDGER: &str = "We use cookies to improve your experience. Accept all\nThe Ledger\nWorld Business Sport\n\
SPORT\nRowing club wins the river cup again\n\nBy Tom Berg\n\n14 August 2020\n\n\
The rowing club won the river cup for the third year running on Saturday, finishing two lengths ahead of the university crew.\n\n\
Its coach, Marta Keller, said the crew had trained through the winter for the race.\n\n\
Related stories\nSwimming pool to reopen in June\nCycling race changes its route\n\
Comments (1)\nreader1 wrote:\n\nWell done.\n";

fn write(root: &Path, rel: &str, bytes: &[u8]) -> PathBuf {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

fn gz(text: &str) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(text.as_bytes()).unwrap();
    enc.finish().unwrap()
}

/// A corpus of three dumps (one gzipped) and three text files that are not pages.
fn corpus(root: &Path) {
    write(
        root,
        "courier.example/ports/harbour-dredging.txt",
        HARBOUR.as_bytes(),
    );
    write(
        root,
        "wire.example/markets/2021/11/02/copper-prices/index.txt.gz",
        &gz(WIRE),
    );
    write(
        root,
        "ledger.example/sport/rowing-cup.txt",
        LEDGER.as_bytes(),
    );
    write(
        root,
        "courier.example/robots.txt",
        b"User-agent: *\nDisallow: /search\n",
    );
    write(
        root,
        "README.txt",
        b"# Archive\n\nPages saved from three sites in 2021, as text.\n\n```\ngazette index .\n```\n",
    );
    write(
        root,
        "stats.txt",
        b"path,views,shares\nports/a,120,4\nports/b,98,2\nsport/c,40,1\n",
    );
}

fn by_path(lines: &[Value], path: &str) -> Value {
    lines
        .iter()
        .find(|l| l["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in {lines:#?}"))
        .clone()
}

#[test]
fn extract_prints_the_same_fields_as_for_html() {
    let tmp = tempfile::tempdir().unwrap();
    corpus(tmp.path());
    let r = run(["extract".as_ref(), tmp.path().as_os_str()]);
    assert!(!r.crashed(), "{}", r.stderr);
    let lines = r.json_lines();

    let h = by_path(&lines, "courier.example/ports/harbour-dredging.txt");
    assert_eq!(h["kind"], "article");
    assert_eq!(h["title"], "Harbour dredging contract goes to local firm");
    assert_eq!(h["date"], "2021-05-12");
    assert_eq!(h["datetime"], "2021-05-12T08:15:00Z");
    assert_eq!(h["section"], "Ports & Shipping");
    assert_eq!(h["byline"], serde_json::json!([]));
    assert_eq!(h["people"], serde_json::json!(["Olga Brennan"]));
    assert_eq!(h["site"], "courier.example");
    assert_eq!(h["lang"], "en");
    let body = h["body"].as_str().unwrap();
    assert_eq!(body.split("\n\n").count(), 4, "{body}");
    for chrome in [
        "dredger",
        "PHOTO",
        "SEE ALSO",
        "Ferry operator",
        "COURIER",
        "SUBSCRIBE",
    ] {
        assert!(!body.contains(chrome), "{chrome} in {body}");
    }
    assert_eq!(h["words"], body.split_whitespace().count());

    let w = by_path(
        &lines,
        "wire.example/markets/2021/11/02/copper-prices/index.txt.gz",
    );
    assert_eq!(w["title"], "Copper prices climb on supply worries");
    assert_eq!(w["date"], "2021-11-02");
    assert_eq!(w["section"], "Markets");
    assert_eq!(w["byline"], serde_json::json!(["Ines Varga"]));
    assert_eq!(w["body"].as_str().unwrap().split("\n\n").count(), 2);

    let l = by_path(&lines, "ledger.example/sport/rowing-cup.txt");
    assert_eq!(l["title"], "Rowing club wins the river cup again");
    assert_eq!(l["date"], "2020-08-14");
    assert_eq!(l["section"], "Sport");
    assert_eq!(l["byline"], serde_json::json!(["Tom Berg"]));
    assert_eq!(l["people"], serde_json::json!(["Marta Keller"]));
    assert!(!l["body"].as_str().unwrap().contains("Well done"));

    for (path, why) in [
        ("courier.example/robots.txt", "robots rules"),
        ("README.txt", "Markdown or README"),
        ("stats.txt", "table (CSV/TSV)"),
    ] {
        let s = by_path(&lines, path);
        assert_eq!(s["kind"], "not_html", "{s}");
        assert_eq!(
            s["error"],
            format!("not HTML (text, not a news page: {why})"),
            "{s}"
        );
    }
}

#[test]
fn index_search_and_incremental_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("corpus");
    let idx = tmp.path().join("index");
    corpus(&root);

    let s = index(&root, &idx, &[]);
    assert_eq!(s["added"], 3, "{s:#}");
    assert_eq!(s["docs_in_index"], 3, "{s:#}");
    assert_eq!(
        s["skipped"]["not HTML (text, not a news page: robots rules)"], 1,
        "{s:#}"
    );
    assert_eq!(
        s["skipped"]["not HTML (text, not a news page: Markdown or README)"], 1,
        "{s:#}"
    );
    assert_eq!(
        s["skipped"]["not HTML (text, not a news page: table (CSV/TSV))"], 1,
        "{s:#}"
    );
    assert_eq!(s["errors"], serde_json::json!([]), "{s:#}");

    // Words, phrases, filters and facets work on dumps as on pages.
    let v = search(&idx, "dredging", &[]);
    assert_eq!(
        titles(&v),
        vec!["Harbour dredging contract goes to local firm"]
    );
    assert_eq!(total(&search(&idx, "\"river cup\"", &[])), 1);
    assert_eq!(
        total(&search(&idx, "", &["--section", "Ports & Shipping"])),
        1
    );
    assert_eq!(total(&search(&idx, "", &["--site", "wire.example"])), 1);
    assert_eq!(total(&search(&idx, "", &["--person", "Marta Keller"])), 1);
    assert_eq!(
        total(&search(
            &idx,
            "",
            &["--since", "2021-01-01", "--until", "2021-06-30"]
        )),
        1
    );
    // Chrome is not indexed: the insert's and the list's headlines are not found.
    assert_eq!(total(&search(&idx, "cranes", &[])), 0);
    assert_eq!(total(&search(&idx, "SUBSCRIBE", &[])), 0);

    // Unchanged dumps are not re-read; a changed one is updated in place.
    let s = index(&root, &idx, &[]);
    assert_eq!(s["unchanged"], 3, "{s:#}");
    assert_eq!(s["added"], 0, "{s:#}");
    write(
        &root,
        "ledger.example/sport/rowing-cup.txt",
        LEDGER.replace("third year", "fourth year").as_bytes(),
    );
    let s = index(&root, &idx, &[]);
    assert_eq!(s["updated"], 1, "{s:#}");
    assert_eq!(s["docs_in_index"], 3, "{s:#}");
    assert_eq!(total(&search(&idx, "fourth", &[])), 1);
    assert_eq!(total(&search(&idx, "", &[])), 3);
}

/// The page this project was designed from: its extraction must be exactly its truth row.
#[test]
fn seed_page_is_exactly_its_truth() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/textdumps");
    let truth_path = root.join("truth.jsonl");
    if !truth_path.is_file() {
        eprintln!(
            "skipped: {} is absent (the shared corpus is not part of this repository)",
            truth_path.display()
        );
        return;
    }
    let truth: Value = std::fs::read_to_string(&truth_path)
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|t| t["path"].as_str().is_some_and(|p| p.starts_with("seed/")))
        .expect("a seed row");
    let r = run([
        "extract".as_ref(),
        root.join("seed").as_os_str(),
        "--root".as_ref(),
        root.as_os_str(),
    ]);
    assert!(!r.crashed(), "{}", r.stderr);
    let got = by_path(&r.json_lines(), truth["path"].as_str().unwrap());
    for field in ["title", "date", "section", "byline", "people", "body"] {
        assert_eq!(got[field], truth[field], "{field}");
    }
    assert_eq!(got["kind"], "article");
}

//! JSON Lines input: the `jsonl` export re-imports losslessly, common field names and
//! `--field` overrides, bad lines skipped with file and line, gzip, incremental runs, URL keys
//! that never duplicate, `--prune`, and `extract` on JSON Lines.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use common::{corpus_index, index, run, search, total};
use serde_json::Value;

fn export_jsonl(index: &Path, out: &Path) -> Vec<Value> {
    let r = run([
        "export",
        "--index",
        &index.display().to_string(),
        "--format",
        "jsonl",
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut docs = Vec::new();
    for e in std::fs::read_dir(out).unwrap() {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        docs.extend(
            text.lines()
                .map(|l| serde_json::from_str::<Value>(l).unwrap()),
        );
    }
    docs
}

/// Documents by URL, without the key (`path`), which re-import sets to the URL, and the story
/// id, which the importing index gives anew (a new story's id hashes its key).
fn by_url(docs: Vec<Value>) -> BTreeMap<String, Value> {
    docs.into_iter()
        .map(|mut d| {
            d.as_object_mut().unwrap().remove("path");
            assert!(d.as_object_mut().unwrap().remove("story").is_some());
            (d["url"].as_str().unwrap().to_string(), d)
        })
        .collect()
}

#[test]
fn jsonl_export_reimports_losslessly() {
    let tmp = tempfile::tempdir().unwrap();
    let first = export_jsonl(corpus_index(), &tmp.path().join("e1"));
    assert_eq!(first.len(), 43);
    let idx = tmp.path().join("idx");
    let s = index(&tmp.path().join("e1"), &idx, &[]);
    assert_eq!(s["docs_in_index"], 43, "{s}");
    let second = export_jsonl(&idx, &tmp.path().join("e2"));
    assert_eq!(by_url(first), by_url(second));
    // Search sees the same stories.
    for q in ["interest rate", "strike", "\"reserve bank\""] {
        assert_eq!(
            total(&search(corpus_index(), q, &["--exact-total"])),
            total(&search(&idx, q, &["--exact-total"])),
            "{q}"
        );
    }
    let v = search(&idx, "strike", &["--facets", "--section", "sport"]);
    assert_eq!(
        v["facets"],
        search(
            corpus_index(),
            "strike",
            &["--facets", "--section", "sport"]
        )["facets"]
    );
}

const LINES: &str = r#"{"title": "Harbour ferry fares rise", "maintext": "Fares on the harbour ferry rise by ten per cent from Monday, the operator said.\n\nCommuters said the rise was too steep for families.", "date_publish": "2021-05-04 08:00:00", "url": "https://news.example/ferry", "authors": ["Ann Lee"], "category": "Transport"}
{"title": "broken
{"headline": "Council backs new library", "content": "<p>The council voted on Tuesday to build a new library beside the market hall.</p><p>Maria Delgado, the mayor, said work would start in spring.</p>", "published": "2021-06-01", "section": "Local"}
[1, 2, 3]
{"hl": {"main": "Tram line extended"}, "copy": "The tram line will run to the airport from next year, the transport office said on Friday."}
"#;

#[test]
fn common_names_bad_lines_overrides_and_gzip() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("c");
    std::fs::create_dir_all(&corpus).unwrap();
    let gz = std::fs::File::create(corpus.join("news.jsonl.gz")).unwrap();
    let mut enc = flate2::write::GzEncoder::new(gz, flate2::Compression::default());
    enc.write_all(LINES.as_bytes()).unwrap();
    enc.finish().unwrap();
    let idx = tmp.path().join("idx");
    let s = index(
        &corpus,
        &idx,
        &["--field", "title=hl.main", "--field", "body=copy"],
    );
    // An override replaces the names tried for its field: only line 5 has `hl`/`copy`.
    assert_eq!(s["docs_in_index"], 1, "{s}");
    let errors = s["errors"].to_string();
    assert!(errors.contains("news.jsonl.gz:2"), "{s}");
    assert!(errors.contains("news.jsonl.gz:4"), "{s}");
    assert!(total(&search(&idx, "tram airport", &[])) == 1);

    let idx2 = tmp.path().join("idx2");
    let s = index(&corpus, &idx2, &[]);
    assert_eq!(s["docs_in_index"], 2, "{s}");
    assert_eq!(s["skipped"]["bad JSON line"], 3, "{s}");
    let v = search(&idx2, "ferry", &[]);
    let hit = &v["hits"][0];
    assert_eq!(hit["path"], "https://news.example/ferry");
    assert_eq!(hit["section"], "Transport");
    assert_eq!(hit["byline"][0], "Ann Lee");
    assert_eq!(hit["date"], "2021-05-04");
    // The HTML body went through the extractor; people come from its text.
    let v = search(&idx2, "library", &["--person", "Maria Delgado"]);
    assert_eq!(total(&v), 1);
    assert_eq!(v["hits"][0]["path"], "news.jsonl.gz:3");
    assert!(!v["hits"][0]["snippet"].as_str().unwrap().contains('<'));
    // Filters work on JSON Lines documents.
    assert_eq!(
        total(&search(&idx2, "ferry", &["--section", "transport"])),
        1
    );
    assert_eq!(
        total(&search(&idx2, "ferry", &["--until", "2021-01-01"])),
        0
    );
}

#[test]
fn incremental_runs_urls_and_prune() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("c");
    std::fs::create_dir_all(&corpus).unwrap();
    let a = r#"{"title": "Bridge reopens", "text": "The old bridge reopened to traffic on Sunday after repairs.", "url": "https://n.example/bridge"}"#;
    let b = r#"{"title": "Bridge reopens", "text": "The old bridge reopened to traffic on Sunday after two years of repairs.", "url": "https://n.example/bridge"}"#;
    let c = r#"{"title": "Market day moves", "text": "Market day moves to Saturday from next month, traders said."}"#;
    std::fs::write(corpus.join("one.jsonl"), format!("{a}\n{c}\n")).unwrap();
    let idx = tmp.path().join("idx");
    assert_eq!(index(&corpus, &idx, &[])["docs_in_index"], 2);
    // Unchanged: nothing read again.
    let s = index(&corpus, &idx, &[]);
    assert_eq!(
        (s["unchanged"].as_u64(), s["added"].as_u64()),
        (Some(1), Some(0))
    );
    // The same URL in another file (a re-export): still one document, the newer text.
    std::fs::write(corpus.join("two.ndjson"), format!("{b}\n")).unwrap();
    let s = index(&corpus, &idx, &[]);
    assert_eq!(s["docs_in_index"], 2, "{s}");
    assert_eq!(total(&search(&idx, "\"two years\"", &[])), 1);
    // A changed file replaces its documents.
    std::fs::write(corpus.join("one.jsonl"), format!("{c}\n")).unwrap();
    let s = index(&corpus, &idx, &[]);
    assert_eq!(s["docs_in_index"], 2, "{s}");
    // --prune removes the documents of a file that is gone.
    std::fs::remove_file(corpus.join("two.ndjson")).unwrap();
    let s = index(&corpus, &idx, &["--prune"]);
    assert_eq!(s["docs_in_index"], 1, "{s}");
    assert_eq!(total(&search(&idx, "bridge", &[])), 0);
    assert_eq!(total(&search(&idx, "market", &[])), 1);
}

#[test]
fn extract_prints_one_line_per_document() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("x.jsonl");
    std::fs::write(&f, LINES).unwrap();
    let r = run(["extract".as_ref(), f.as_os_str()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines = r.json_lines();
    assert_eq!(lines.len(), 5);
    let ferry = lines
        .iter()
        .find(|l| l["title"] == "Harbour ferry fares rise")
        .unwrap();
    assert_eq!(ferry["kind"], "article");
    assert_eq!(ferry["section"], "Transport");
    assert_eq!(ferry["date"], "2021-05-04");
    assert!(ferry["words"].as_u64().unwrap() > 10);
    let bad: Vec<&Value> = lines.iter().filter(|l| l["kind"] == "error").collect();
    assert_eq!(bad.len(), 3);
    assert!(bad
        .iter()
        .any(|l| l["path"] == "x.jsonl:2" && l["error"].as_str().unwrap().contains("not JSON")));
    let r = run(["extract", "--field", "nonsense", f.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("FIELD=NAME"), "{}", r.stderr);
}

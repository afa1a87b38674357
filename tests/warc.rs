//! Web archives end to end: WARC files written here, in code, with the quirks crawlers leave
//! (per-record gzip, chunked and gzip payloads, revisits, redirects, damage), indexed and
//! searched through the real binary; then the real crawler files of `../shared/corpora/warc`
//! (skipped with a message when absent).

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// A page of our own, with a story long enough to be an article.
fn page(title: &str, words: &str) -> String {
    let para = format!(
        "{words} said the harbour board on Tuesday, adding that the new ferry timetable would \
         start next month after a long consultation with residents and traders."
    );
    format!(
        "<html><head><title>{title}</title></head><body><nav><a href='/'>Home</a></nav>\
         <article><h1>{title}</h1><p>{para}</p><p>{para} Officials declined to comment \
         further on the plan.</p><p>{para}</p></article></body></html>"
    )
}

fn http(status: &str, ctype: &str, extra: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\n{extra}Content-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

fn record(kind: &str, uri: &str, date: &str, extra: &str, block: &[u8]) -> Vec<u8> {
    let ctype = match kind {
        "warcinfo" => "application/warc-fields",
        "resource" => "text/html",
        _ => "application/http; msgtype=response",
    };
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\n\
         WARC-Record-ID: <urn:uuid:{kind}-{uri}>\r\n{extra}Content-Type: {ctype}\r\n\
         Content-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// One gzip member per record, as crawlers write them.
fn warc_gz(records: &[Vec<u8>]) -> Vec<u8> {
    records.iter().flat_map(|r| gz(r)).collect()
}

const T1: &str = "2020-03-01T10:00:00Z";
const T2: &str = "2021-06-01T10:00:00Z";

/// The archive of a small crawl: a page with gzip+chunked payload, a resource page, a 404, a
/// redirect, a stylesheet, a request, a warcinfo, a revisit and a truncated last record.
fn crawl() -> Vec<u8> {
    let ferry = page("Quillmere ferry timetable changes", "Quillmere");
    let mut gzipped = Vec::new();
    {
        let mut e = flate2::write::GzEncoder::new(&mut gzipped, flate2::Compression::fast());
        e.write_all(ferry.as_bytes()).unwrap();
    }
    let mut chunked = format!("{:x}\r\n", gzipped.len()).into_bytes();
    chunked.extend_from_slice(&gzipped);
    chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    let tram = page("Brackwater tram line opens", "Brackwater");
    let mut records = vec![
        record("warcinfo", "", T1, "", b"software: test\r\n"),
        record(
            "request",
            "https://news.example/ferry",
            T1,
            "",
            b"GET /ferry HTTP/1.1\r\n\r\n",
        ),
        record(
            "response",
            "https://news.example/ferry",
            T1,
            "WARC-Payload-Digest: sha1:FERRY\r\n",
            &http(
                "200 OK",
                "text/html; charset=utf-8",
                "Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
                &chunked,
            ),
        ),
        record(
            "resource",
            "https://news.example/tram",
            T1,
            "",
            tram.as_bytes(),
        ),
        record(
            "response",
            "https://news.example/gone",
            T1,
            "",
            &http("404 Not Found", "text/html", "", b"<p>not here</p>"),
        ),
        record(
            "response",
            "https://news.example/old",
            T1,
            "",
            &http(
                "301 Moved Permanently",
                "text/html",
                "Location: https://news.example/ferry\r\n",
                b"",
            ),
        ),
        record(
            "response",
            "https://news.example/site.css",
            T1,
            "",
            &http("200 OK", "text/css", "", b"body{}"),
        ),
        record(
            "revisit",
            "https://news.example/ferry",
            T2,
            "WARC-Payload-Digest: sha1:FERRY\r\nWARC-Profile: http://netpreserve.org/warc/1.0/revisit/identical-payload-digest\r\n",
            b"HTTP/1.1 200 OK\r\n\r\n",
        ),
    ];
    let last = record(
        "response",
        "https://news.example/cut",
        T1,
        "",
        &http("200 OK", "text/html", "", page("Cut", "Cut").as_bytes()),
    );
    records.push(last);
    let mut bytes = warc_gz(&records);
    let cut = gz(records.last().unwrap()).len() / 2;
    bytes.truncate(bytes.len() - cut);
    bytes
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_crawl_indexes_its_pages_and_reports_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    write(&corpus, "crawl/a.warc.gz", &crawl());
    let idx = tmp.path().join("idx");
    let s = index(&corpus, &idx, &[]);
    assert_eq!(s["added"], 2, "{s:#}");
    let w = &s["warc"];
    assert_eq!(w["files"], 1, "{s:#}");
    assert_eq!(w["records"]["warcinfo"], 1);
    assert_eq!(w["records"]["request"], 1);
    assert_eq!(w["revisits"], 1);
    assert_eq!(w["revisits_resolved"], 1);
    assert_eq!(w["damaged"], 1);
    assert_eq!(s["skipped"]["HTTP status 404"], 1, "{s:#}");
    assert_eq!(s["skipped"]["HTTP status 301"], 1, "{s:#}");
    assert_eq!(s["skipped"]["not HTML (text/css)"], 1, "{s:#}");
    let damage = s["errors"][0][0].as_str().unwrap();
    assert!(damage.starts_with("crawl/a.warc.gz#"), "{s:#}");

    let r = search(&idx, "Quillmere ferry", &[]);
    let hit = &hits(&r)[0];
    assert_eq!(hit["url"], "https://news.example/ferry");
    assert_eq!(hit["path"], "https://news.example/ferry");
    assert_eq!(hit["captured"], T1);
    assert_ne!(
        hit["date"], "2020-03-01",
        "the capture is not the publication date"
    );
    assert_eq!(
        paths(&search(&idx, "Brackwater tram", &[])),
        ["https://news.example/tram"]
    );
    // the capture time shows in the terminal too
    let out = gazette()
        .args(["search", "Quillmere", "--index"])
        .arg(&idx)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("captured 2020-03-01 10:00:00Z"), "{text}");
}

#[test]
fn latest_capture_of_a_url_wins_and_runs_are_incremental() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let url = "https://news.example/budget";
    let old = record(
        "response",
        url,
        T1,
        "",
        &http(
            "200 OK",
            "text/html",
            "",
            page("Budget draft", "Firstdraft").as_bytes(),
        ),
    );
    let new = record(
        "response",
        url,
        T2,
        "",
        &http(
            "200 OK",
            "text/html",
            "",
            page("Budget final", "Finalcopy").as_bytes(),
        ),
    );
    // the newer capture in the file read first, the older one after
    write(&corpus, "a.warc.gz", &warc_gz(&[new]));
    write(&corpus, "b.warc", &old);
    let idx = tmp.path().join("idx");
    let s = index(&corpus, &idx, &[]);
    assert_eq!(s["warc"]["captures"], 2, "{s:#}");
    assert_eq!(s["warc"]["older_captures"], 1, "{s:#}");
    assert_eq!(total(&search(&idx, "", &["--no-collapse"])), 1);
    assert_eq!(total(&search(&idx, "Finalcopy", &[])), 1);
    assert_eq!(total(&search(&idx, "Firstdraft", &[])), 0);

    // unchanged files are not read again
    let s = index(&corpus, &idx, &[]);
    assert_eq!(
        (s["added"].as_u64(), s["unchanged"].as_u64()),
        (Some(0), Some(2)),
        "{s:#}"
    );
    assert!(s.get("warc").is_none() || s["warc"]["files"] == 0, "{s:#}");

    // a new WARC file adds its records
    let third = record(
        "response",
        "https://news.example/port",
        T2,
        "",
        &http(
            "200 OK",
            "text/html",
            "",
            page("Port strike", "Dockside").as_bytes(),
        ),
    );
    write(&corpus, "c.warc.gz", &gz(&third));
    let s = index(&corpus, &idx, &[]);
    assert_eq!(s["added"], 1, "{s:#}");
    assert_eq!(total(&search(&idx, "", &["--no-collapse"])), 2);

    // a WARC file that is gone takes its documents with it under --prune
    std::fs::remove_file(corpus.join("c.warc.gz")).unwrap();
    let s = index(&corpus, &idx, &["--prune"]);
    assert_eq!(s["removed"], 1, "{s:#}");
    assert_eq!(total(&search(&idx, "Dockside", &[])), 0);
    assert_eq!(total(&search(&idx, "", &["--no-collapse"])), 1);
}

#[test]
fn a_warc_file_given_directly_and_extract() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "one.warc.gz", &crawl());
    let idx = tmp.path().join("idx");
    let s = index(&file, &idx, &[]);
    assert_eq!(s["added"], 2, "{s:#}");

    let out = gazette().arg("extract").arg(&file).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let articles: Vec<&Value> = lines.iter().filter(|l| l["kind"] == "article").collect();
    assert_eq!(articles.len(), 2, "{lines:#?}");
    let ferry = articles
        .iter()
        .find(|a| a["url"] == "https://news.example/ferry")
        .unwrap();
    assert_eq!(ferry["captured"], T1);
    assert_eq!(ferry["warc"], "one.warc.gz");
    assert!(ferry["offset"].as_str().unwrap().parse::<u64>().unwrap() > 0);
    assert_eq!(ferry["title"], "Quillmere ferry timetable changes");
    assert!(lines
        .iter()
        .any(|l| l["kind"] == "error" && l["error"].as_str().unwrap().contains("damaged")));
}

/// A run that stops after committing part of a WARC file must not take the file as indexed:
/// without the ledger entry written after its last commit, the next run reads it again and
/// ends with each page once.
#[test]
fn a_warc_file_is_indexed_only_when_its_last_record_is_committed() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    write(&corpus, "a.warc.gz", &crawl());
    let idx = tmp.path().join("idx");
    index(&corpus, &idx, &[]);
    // what a crash between a commit and the ledger's update leaves
    std::fs::remove_file(idx.join("gazette-files.json")).unwrap();
    let s = index(&corpus, &idx, &[]);
    assert_eq!(s["unchanged"], 0, "{s:#}");
    assert_eq!(s["warc"]["files"], 1, "{s:#}");
    assert_eq!(total(&search(&idx, "", &["--no-collapse"])), 2);
    let s = index(&corpus, &idx, &[]);
    assert_eq!(s["unchanged"], 1, "{s:#}");
}

#[test]
fn damaged_and_hostile_warc_files_never_stop_a_run() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let good = |n: usize| {
        record(
            "response",
            &format!("https://news.example/p{n}"),
            T1,
            "",
            &http(
                "200 OK",
                "text/html",
                "",
                page(&format!("Story number {n}"), &format!("Marker{n}")).as_bytes(),
            ),
        )
    };
    let mut plain = good(1);
    plain.extend_from_slice(b"\x00\x01garbage between records\r\n");
    let wrong_len =
        String::from_utf8(good(2))
            .unwrap()
            .replacen("Content-Length: ", "Content-Length: 9", 1);
    plain.extend_from_slice(wrong_len.as_bytes());
    plain.extend_from_slice(&good(3));
    // HTTP headers without the blank line
    plain.extend_from_slice(&record(
        "response",
        "https://news.example/nohead",
        T1,
        "",
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n<p>x</p>",
    ));
    plain.extend_from_slice(&good(4));
    write(&corpus, "plain.warc", &plain);
    write(&corpus, "empty.warc.gz", b"");
    write(&corpus, "notgzip.warc.gz", b"this is not gzip at all");
    let idx = tmp.path().join("idx");
    let s = index(&corpus, &idx, &[]);
    for n in [1, 3, 4] {
        assert_eq!(
            total(&search(&idx, &format!("Marker{n}"), &[])),
            1,
            "page {n}: {s:#}"
        );
    }
    assert!(s["warc"]["damaged"].as_u64().unwrap() >= 3, "{s:#}");
}

fn shared_warc() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/warc");
    if root.join("newspages/expect.json").is_file() {
        Some(root)
    } else {
        eprintln!(
            "skipped: {} is absent (the shared evaluation corpus is not part of this repository)",
            root.display()
        );
        None
    }
}

/// The real crawler files and the newspages WARCs: counts as `expect.json` gives them.
#[test]
fn shared_warc_files_read_as_expected() {
    let Some(root) = shared_warc() else { return };
    let expect: Value =
        serde_json::from_slice(&std::fs::read(root.join("newspages/expect.json")).unwrap())
            .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("idx");
    // Only the WARC files: the truth.jsonl beside them is itself a JSON Lines archive of
    // articles, which `index` reads too.
    let warcs = tmp.path().join("np");
    std::fs::create_dir_all(&warcs).unwrap();
    for e in std::fs::read_dir(root.join("newspages")).unwrap() {
        let p = e.unwrap().path();
        if p.to_string_lossy().contains(".warc") {
            std::fs::copy(&p, warcs.join(p.file_name().unwrap())).unwrap();
        }
    }
    let s = index(&warcs, &idx, &[]);
    let totals = &expect["totals"];
    let w = &s["warc"];
    assert_eq!(w["files"], 3, "{s:#}");
    assert_eq!(w["records"]["metadata"], totals["metadata"], "{s:#}");
    assert_eq!(w["records"]["revisit"], totals["revisits"], "{s:#}");
    let records: u64 = w["records"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(
        records + w["damaged"].as_u64().unwrap(),
        totals["records"].as_u64().unwrap(),
        "every record is counted once: {s:#}"
    );
    // every article response is a document; listings, non-HTML, 404, 301 and the
    // truncated record are not
    assert_eq!(s["added"], 2999, "{s:#}");
    assert_eq!(s["skipped"]["HTTP status 404"], 1);
    assert_eq!(s["skipped"]["HTTP status 301"], 1);
    assert_eq!(w["damaged"], 1, "{s:#}");
    assert_eq!(w["revisits"], 4);
    assert_eq!(
        w["revisits_resolved"], 4,
        "the cross-file revisit resolves: {s:#}"
    );
    assert!(s["errors"][0][0]
        .as_str()
        .unwrap()
        .starts_with("np-c.warc.gz#"));

    // the real crawler output parses without damage
    let s = index(&root.join("real"), &tmp.path().join("real"), &[]);
    assert_eq!(s["warc"]["damaged"], 0, "{s:#}");
    assert!(s["added"].as_u64().unwrap() >= 25, "{s:#}");
}

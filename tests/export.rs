//! `gazette export`: the emitted config/mapping parsed as the targets would, every emitted
//! document checked against it, bulk files checked line by line, chunks within the limit,
//! filters, and the `jsonl` format equal to what `gazette extract` prints.

mod common;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use common::{corpus_dir, corpus_index, run};
use serde_json::Value;

fn export(format: &str, extra: &[&str]) -> (tempfile::TempDir, Vec<(String, String)>) {
    export_from(corpus_index(), format, extra)
}

fn export_from(
    index: &Path,
    format: &str,
    extra: &[&str],
) -> (tempfile::TempDir, Vec<(String, String)>) {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    let mut args: Vec<String> = vec![
        "export".into(),
        "--index".into(),
        index.display().to_string(),
        "--format".into(),
        format.into(),
        "--out".into(),
        dir.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let r = run(&args);
    assert_eq!(r.code, 0, "export failed: {}", r.stderr);
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    (out, files)
}

fn lines(files: &[(String, String)], ext: &str) -> Vec<Value> {
    files
        .iter()
        .filter(|(n, _)| n.ends_with(ext))
        .flat_map(|(_, text)| text.lines())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn is_rfc3339(s: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(s).is_ok()
}

/// What Quickwit checks when it ingests a document into a strict doc mapping.
fn check_quickwit(doc: &Value, mappings: &HashMap<String, Value>) {
    let obj = doc.as_object().expect("a document is an object");
    for (name, value) in obj {
        let m = mappings
            .get(name)
            .unwrap_or_else(|| panic!("field {name} is not in the strict doc mapping"));
        match m["type"].as_str().unwrap() {
            "text" => assert!(value.is_string(), "{name} must be text: {value}"),
            "array<text>" => assert!(
                value
                    .as_array()
                    .is_some_and(|a| a.iter().all(Value::is_string)),
                "{name} must be an array of text: {value}"
            ),
            "u64" => assert!(value.is_u64(), "{name} must be u64: {value}"),
            "datetime" => {
                let formats: Vec<&str> = m["input_formats"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f.as_str().unwrap())
                    .collect();
                assert_eq!(formats, ["rfc3339"], "only rfc3339 is emitted");
                assert!(
                    value.as_str().is_some_and(is_rfc3339),
                    "{name} must be RFC 3339: {value}"
                );
            }
            other => panic!("unexpected mapping type {other}"),
        }
    }
}

#[test]
fn quickwit_documents_fit_the_emitted_doc_mapping() {
    let (_tmp, files) = export("quickwit", &[]);
    let (_, yaml) = files
        .iter()
        .find(|(n, _)| n == "quickwit-index-config.yaml")
        .expect("the index config is written");
    let config: Value = serde_norway::from_str(yaml).expect("the config is YAML");
    assert_eq!(config["version"], "0.8");
    assert_eq!(config["index_id"], "gazette");
    let dm = &config["doc_mapping"];
    assert_eq!(dm["mode"], "strict");
    let mappings: HashMap<String, Value> = dm["field_mappings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["name"].as_str().unwrap().to_string(), m.clone()))
        .collect();
    // The timestamp field is a fast datetime; default search fields exist and are text.
    let ts = &mappings[dm["timestamp_field"].as_str().unwrap()];
    assert_eq!(
        (ts["type"].as_str(), ts["fast"].as_bool()),
        (Some("datetime"), Some(true))
    );
    for f in config["search_settings"]["default_search_fields"]
        .as_array()
        .unwrap()
    {
        assert_eq!(mappings[f.as_str().unwrap()]["type"], "text");
    }
    for f in ["section", "people", "site", "story"] {
        assert_eq!(mappings[f]["tokenizer"], "raw", "{f} is kept whole");
        assert_eq!(mappings[f]["fast"], true, "{f} aggregates");
    }
    let docs = lines(&files, ".ndjson");
    assert_eq!(docs.len(), 43);
    let mut ids = HashSet::new();
    for d in &docs {
        check_quickwit(d, &mappings);
        assert!(
            ids.insert(d["id"].as_str().unwrap().to_string()),
            "duplicate id"
        );
        assert!(!d["title"].as_str().unwrap().is_empty());
        assert!(d["story"].is_string(), "every page has a story: {d}");
    }
    // Dated stories carry the UTC instant and the publisher's day, which agree on the year.
    let dated = docs.iter().filter(|d| d.get("date").is_some()).count();
    assert!(dated >= 40, "{dated} of 43 documents are dated");
}

#[test]
fn opensearch_bulk_alternates_actions_and_documents_with_unique_ids() {
    let (_tmp, files) = export("opensearch", &[]);
    let (_, mapping) = files
        .iter()
        .find(|(n, _)| n == "opensearch-index.json")
        .expect("the mapping is written");
    let mapping: Value = serde_json::from_str(mapping).unwrap();
    assert_eq!(mapping["mappings"]["dynamic"], "strict");
    let props = mapping["mappings"]["properties"].as_object().unwrap();
    assert_eq!(props["body"]["analyzer"], "english");
    for f in ["section", "people", "site"] {
        assert_eq!(props[f]["type"], "text");
        assert_eq!(props[f]["fields"]["keyword"]["type"], "keyword");
    }
    assert_eq!(
        props["story"]["type"], "keyword",
        "story ids are exact values"
    );
    let all = lines(&files, ".ndjson");
    assert_eq!(
        all.len(),
        86,
        "an action line and a document line per story"
    );
    let mut ids = HashSet::new();
    for pair in all.chunks(2) {
        let (action, doc) = (&pair[0], &pair[1]);
        let id = action["index"]["_id"]
            .as_str()
            .expect("index action with _id");
        assert_eq!(action.as_object().unwrap().len(), 1);
        assert_eq!(doc["id"].as_str(), Some(id));
        assert!(doc["story"].is_string(), "every page has a story: {doc}");
        assert!(ids.insert(id.to_string()), "duplicate _id {id}");
        for (name, value) in doc.as_object().unwrap() {
            let p = props
                .get(name)
                .unwrap_or_else(|| panic!("{name} not in the strict mapping"));
            match p["type"].as_str().unwrap() {
                "text" | "keyword" => assert!(
                    value.is_string()
                        || value
                            .as_array()
                            .is_some_and(|a| a.iter().all(Value::is_string)),
                    "{name}: {value}"
                ),
                "integer" => assert!(value.as_i64().is_some_and(|n| n < i64::from(i32::MAX))),
                "date" => {
                    let v = value.as_str().unwrap();
                    match p["format"].as_str().unwrap() {
                        "strict_date" => {
                            assert!(
                                chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok(),
                                "{v}"
                            )
                        }
                        f => {
                            assert!(f.starts_with("strict_date_time_no_millis"));
                            assert!(
                                chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%SZ")
                                    .is_ok(),
                                "{name} {v} is not yyyy-MM-ddTHH:mm:ssZ"
                            );
                        }
                    }
                }
                other => panic!("unexpected type {other}"),
            }
        }
    }
}

#[test]
fn chunks_respect_max_bytes_and_filters_narrow_the_export() {
    let (_tmp, files) = export("quickwit", &["--max-bytes", "0.01"]);
    let chunks: Vec<_> = files
        .iter()
        .filter(|(n, _)| n.ends_with(".ndjson"))
        .collect();
    assert!(chunks.len() > 3, "{} chunks", chunks.len());
    for (name, text) in &chunks {
        assert!(text.len() <= 10_485, "{name} holds {} bytes", text.len());
    }
    assert_eq!(lines(&files, ".ndjson").len(), 43);

    let (_tmp, files) = export("jsonl", &["--section", "sport"]);
    let docs = lines(&files, ".jsonl");
    assert!(!docs.is_empty());
    assert!(docs.len() < 43);
    for d in &docs {
        assert!(d["section"].as_str().unwrap().eq_ignore_ascii_case("sport"));
    }
    let (_tmp, files) = export("jsonl", &["--since", "2020-01-01", "--until", "2020-12-31"]);
    for d in lines(&files, ".jsonl") {
        assert!(d["date"].as_str().unwrap().starts_with("2020"), "{d}");
    }
}

#[test]
fn jsonl_export_is_what_extract_prints() {
    let (_tmp, files) = export("jsonl", &[]);
    let exported = lines(&files, ".jsonl");
    let r = run(["extract".as_ref(), corpus_dir().as_os_str()]);
    assert_eq!(r.code, 0);
    let extracted: HashMap<String, Value> = r
        .json_lines()
        .into_iter()
        .map(|v| (v["path"].as_str().unwrap().to_string(), v))
        .collect();
    assert_eq!(exported.len(), 43);
    for d in exported {
        let mut e = extracted[d["path"].as_str().unwrap()].clone();
        // the page's whole <title> is indexed for search, not stored, so not exported
        e.as_object_mut().unwrap().remove("page_title");
        // the story cluster is decided when indexing; extract sees one page at a time
        let mut d = d;
        assert!(d.as_object_mut().unwrap().remove("story").is_some());
        assert_eq!(d, e, "export and extract differ");
    }
}

#[test]
fn bad_arguments_are_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("old.ndjson"), "{}\n").unwrap();
    let out = tmp.path().display().to_string();
    let idx = corpus_index().display().to_string();
    let r = run([
        "export", "--index", &idx, "--format", "quickwit", "--out", &out,
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not empty"), "{}", r.stderr);
    let missing = tmp.path().join("nothing-here");
    let r = run([
        "export",
        "--index",
        &missing.display().to_string(),
        "--format",
        "jsonl",
        "--out",
        &tmp.path().join("o").display().to_string(),
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no index at"), "{}", r.stderr);
    assert!(!r.crashed());
    let _ = Path::new(&out);
}

#[test]
fn story_ids_are_exported_in_every_format() {
    // The bundled corpus plus two copies of one story (another site's wire copy, retitled):
    // three pages of one story cluster.
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    common::copy_tree(&corpus_dir(), &corpus);
    let original = "morningledger.example/government-economy/2021/04/12/port-strike-enters-third-week-as-cargo-piles-up.html";
    let html = std::fs::read_to_string(corpus.join(original)).unwrap();
    for (dir, file) in [
        ("wire.example/news", "port.html"),
        ("other.example/a", "b.html"),
    ] {
        std::fs::create_dir_all(corpus.join(dir)).unwrap();
        std::fs::write(
            corpus.join(dir).join(file),
            html.replace("Port strike", "Dock stoppage"),
        )
        .unwrap();
    }
    let index = tmp.path().join("index");
    common::index(&corpus, &index, &[]);
    // The clusters as `gazette dups --json` reports them.
    let dups = run(["dups", "--index", index.to_str().unwrap(), "--json"]).json();
    let clusters = dups.as_array().unwrap();
    assert_eq!(clusters.len(), 1, "{dups}");
    let story = clusters[0]["story"].as_u64().unwrap().to_string();
    let members: HashSet<String> = clusters[0]["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(members.len(), 3);
    assert!(members.contains(original));
    for (format, ext) in [
        ("quickwit", ".ndjson"),
        ("opensearch", ".ndjson"),
        ("jsonl", ".jsonl"),
    ] {
        let (_tmp, files) = export_from(&index, format, &[]);
        let docs: Vec<Value> = lines(&files, ext)
            .into_iter()
            .filter(|d| d.get("index").is_none()) // bulk action lines
            .collect();
        assert_eq!(docs.len(), 45, "{format}");
        let mut others = HashSet::new();
        for d in &docs {
            let s = d["story"]
                .as_str()
                .unwrap_or_else(|| panic!("{format}: no story in {d}"));
            if members.contains(d["path"].as_str().unwrap()) {
                assert_eq!(s, story, "{format}: a copy's story is the cluster's");
            } else {
                assert_ne!(s, story, "{format}: {} is not a copy", d["path"]);
                assert!(
                    others.insert(s.to_string()),
                    "{format}: pages apart share {s}"
                );
            }
        }
    }
}

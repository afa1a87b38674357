//! `gazette bench` driven as a user runs it: the report's shape and its figures' consistency,
//! the collapsed/uncollapsed comparison, and errors for bad query files. Timings themselves
//! are never judged here (machines are noisy): only that they were taken.

mod common;

use std::path::Path;

use common::{corpus_index, run};
use serde_json::Value;

fn bench(queries: &Path, extra: &[&str]) -> common::Run {
    let index = corpus_index().to_str().unwrap().to_string();
    let queries = queries.to_str().unwrap().to_string();
    let mut args = vec![
        "bench",
        "--index",
        &index,
        "--queries",
        &queries,
        "--iterations",
        "4",
        "--warmup",
        "1",
        "--threads",
        "1",
    ];
    args.extend_from_slice(extra);
    run(args)
}

fn query_file(dir: &Path, lines: &str) -> std::path::PathBuf {
    let path = dir.join("queries.txt");
    std::fs::write(&path, lines).unwrap();
    path
}

#[test]
fn compare_collapse_times_both_modes_per_query() {
    let tmp = tempfile::tempdir().unwrap();
    let queries = query_file(
        tmp.path(),
        "# a comment\nmerger\nstrike --sort date\nzzzunmatchedword\n",
    );
    let r = bench(&queries, &["--compare-collapse", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = r.json();
    let qs = v["queries"].as_array().unwrap();
    assert_eq!(qs.len(), 3, "comments are not queries: {v}");
    for q in qs {
        assert!(q["p50_us"].as_f64().unwrap() > 0.0, "{q}");
        assert!(q["uncollapsed_p50_us"].as_f64().unwrap() > 0.0, "{q}");
    }
    assert!(qs[0]["hits"].as_u64().unwrap() > 0, "merger matches: {v}");
    assert_eq!(qs[2]["hits"].as_u64(), Some(0));
    let u = &v["overall"]["uncollapsed"];
    let (p50, flat) = (
        v["overall"]["p50_us"].as_f64().unwrap(),
        u["p50_us"].as_f64().unwrap(),
    );
    assert!(flat > 0.0, "{v}");
    let ratio = u["p50_ratio"].as_f64().unwrap();
    assert!(
        (ratio - p50 / flat).abs() < 1e-6,
        "ratio of the medians: {v}"
    );
    assert!(u["total_ratio"].as_f64().unwrap() > 0.0, "{v}");

    // The human report names both.
    let text = bench(&queries, &["--compare-collapse"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(text.stdout.contains("(uncollapsed p50 "), "{}", text.stdout);
    assert!(
        text.stdout.contains("collapsed/uncollapsed p50 "),
        "{}",
        text.stdout
    );

    // Without the flag, no uncollapsed figures.
    let plain = bench(&queries, &["--json"]).json();
    assert!(plain["overall"].get("uncollapsed").is_none(), "{plain}");
    assert!(plain["queries"][0].get("uncollapsed_p50_us").is_none());
}

#[test]
fn compare_collapse_and_no_collapse_conflict() {
    let tmp = tempfile::tempdir().unwrap();
    let queries = query_file(tmp.path(), "merger\n");
    let r = bench(&queries, &["--compare-collapse", "--no-collapse"]);
    assert_eq!(r.code, 2, "a usage error: {}", r.stderr);
    assert!(r.stderr.contains("--compare-collapse"), "{}", r.stderr);
}

#[test]
fn bad_query_files_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nope.txt");
    let r = bench(&missing, &[]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("nope.txt"), "{}", r.stderr);
    assert!(!r.crashed(), "{}", r.stderr);

    let empty = query_file(tmp.path(), "# only a comment\n\n");
    let r = bench(&empty, &[]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("no queries"), "{}", r.stderr);

    let bad = query_file(tmp.path(), "merger --since 2019-13-01\n");
    let r = bench(&bad, &[]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("queries.txt"), "{}", r.stderr);
    assert!(!r.crashed(), "{}", r.stderr);
}

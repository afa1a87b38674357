//! Several indexes, one search: the bundled corpus split over two indexes ranks exactly as
//! one index of it (same scores, same order), with the same totals and facets.

mod common;

use std::path::Path;

use common::{corpus_dir, corpus_index, index, ranked, run, search, split};
use serde_json::Value;

fn search_split(a: &Path, b: &Path, query: &str, args: &[&str]) -> Value {
    let mut all: Vec<String> = vec![
        "search".into(),
        "--index".into(),
        a.display().to_string(),
        "--index".into(),
        b.display().to_string(),
        "--json".into(),
    ];
    all.extend(args.iter().map(|s| s.to_string()));
    all.push("--".into());
    all.push(query.into());
    let r = run(&all);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    r.json()
}

#[test]
fn two_indexes_rank_exactly_as_one() {
    let tmp = tempfile::tempdir().unwrap();
    let (ca, cb) = (tmp.path().join("ca"), tmp.path().join("cb"));
    let mut n = 0;
    split(&corpus_dir(), &corpus_dir(), &ca, &cb, &mut n);
    let (ia, ib) = (tmp.path().join("ia"), tmp.path().join("ib"));
    let sa = index(&ca, &ia, &[]);
    let sb = index(&cb, &ib, &[]);
    assert_eq!(
        sa["docs_in_index"].as_u64().unwrap() + sb["docs_in_index"].as_u64().unwrap(),
        43
    );
    assert!(
        sa["docs_in_index"].as_u64().unwrap() > 10 && sb["docs_in_index"].as_u64().unwrap() > 10
    );
    let one = corpus_index();
    for (query, args) in [
        ("interest rate", &["-n", "50"][..]),
        ("strike", &["-n", "50", "--facets"][..]),
        ("bank OR port", &["-n", "50"][..]),
        ("\"reserve bank\"", &["-n", "50"][..]),
        ("minister", &["-n", "50", "--since", "2019-01-01"][..]),
        ("the", &["-n", "5", "--offset", "3"][..]),
    ] {
        let single = search(one, query, args);
        let split = search_split(&ia, &ib, query, args);
        assert!(single["total"].as_u64().unwrap() > 0, "{query} matches");
        assert_eq!(single["total"], split["total"], "{query}: totals");
        assert_eq!(ranked(&single), ranked(&split), "{query} {args:?}: ranking");
        if args.contains(&"--facets") {
            assert_eq!(single["facets"], split["facets"], "{query}: facets");
        }
    }
    // Date order merges too.
    let single = search(one, "minister", &["--sort", "date", "-n", "50"]);
    let split = search_split(&ia, &ib, "minister", &["--sort", "date", "-n", "50"]);
    let dates = |v: &Value| -> Vec<String> {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                h["datetime"]
                    .as_str()
                    .or(h["date"].as_str())
                    .unwrap_or("")
                    .to_string()
            })
            .collect()
    };
    assert_eq!(dates(&single), dates(&split));
}

#[test]
fn per_index_statistics_would_rank_differently() {
    // The point of combining statistics: scoring each index on its own gives other scores.
    let tmp = tempfile::tempdir().unwrap();
    let (ca, cb) = (tmp.path().join("ca"), tmp.path().join("cb"));
    let mut n = 0;
    split(&corpus_dir(), &corpus_dir(), &ca, &cb, &mut n);
    let (ia, ib) = (tmp.path().join("ia"), tmp.path().join("ib"));
    index(&ca, &ia, &[]);
    index(&cb, &ib, &[]);
    let alone = search(&ia, "strike", &["-n", "50"]);
    let together = search_split(&ia, &ib, "strike", &["-n", "50"]);
    let score_of = |v: &Value, path: &str| {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["path"] == path)
            .map(|h| h["score"].as_f64().unwrap())
    };
    let first = alone["hits"][0]["path"].as_str().unwrap();
    assert_ne!(score_of(&alone, first), score_of(&together, first));
}

#[test]
fn a_missing_index_among_several_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nope");
    let r = run([
        "search",
        "--index",
        &corpus_index().display().to_string(),
        "--index",
        &missing.display().to_string(),
        "strike",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nope"), "{}", r.stderr);
}

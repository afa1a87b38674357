//! Several indexes, one search: the bundled corpus split over two indexes ranks exactly as
//! one index of it (same scores, same order), with the same totals and facets.

mod common;

use std::path::{Path, PathBuf};

use common::{corpus_dir, corpus_index, index, ranked, run, search, split};
use serde_json::Value;

/// The bundled corpus split over two folders under `tmp` (every other file), changed by
/// `edit(a, b)`, and indexed: the two index folders and their `index --json` summaries.
fn split_indexes(tmp: &Path, edit: impl FnOnce(&Path, &Path)) -> (PathBuf, PathBuf, Value, Value) {
    let (ca, cb) = (tmp.join("ca"), tmp.join("cb"));
    let mut n = 0;
    split(&corpus_dir(), &corpus_dir(), &ca, &cb, &mut n);
    edit(&ca, &cb);
    let (ia, ib) = (tmp.join("ia"), tmp.join("ib"));
    let sa = index(&ca, &ia, &[]);
    let sb = index(&cb, &ib, &[]);
    (ia, ib, sa, sb)
}

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
    let (ia, ib, sa, sb) = split_indexes(tmp.path(), |_, _| {});
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
    let (ia, ib, _, _) = split_indexes(tmp.path(), |_, _| {});
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

/// The bundled story that [`write_copy`] copies.
const COPIED: &str = "morningledger.example/companies-markets/2023/05/24/regulator-clears-brightline-tessellate-merger-with-conditions.html";

/// A syndicated copy of [`COPIED`] on another site, written next to the corpus at `root`.
fn write_copy(root: &Path) {
    let page = std::fs::read_to_string(corpus_dir().join(COPIED))
        .unwrap()
        .replace("morningledger.example", "copydesk.example")
        .replace("The Morning Ledger", "The Copy Desk");
    let to = root.join(COPIED.replace("morningledger.example", "copydesk.example"));
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::write(to, page).unwrap();
}

#[test]
fn copies_are_collapsed_within_each_index() {
    let tmp = tempfile::tempdir().unwrap();
    // The story and its copy in the same index, wherever `split` put the story.
    let (ia, ib, _, _) = split_indexes(tmp.path(), |ca, cb| {
        write_copy(if ca.join(COPIED).exists() { ca } else { cb });
    });
    let all = tmp.path().join("all");
    common::copy_tree(&corpus_dir(), &all);
    write_copy(&all);
    let one = tmp.path().join("one");
    index(&all, &one, &[]);
    for (query, args) in [
        ("brightline tessellate merger", &["-n", "20"][..]),
        ("regulator OR merger OR bank", &["-n", "50", "--facets"][..]),
        ("merger", &["-n", "20", "--sort", "date"][..]),
    ] {
        let single = search(&one, query, args);
        let split = search_split(&ia, &ib, query, args);
        assert_eq!(split["collapsed"], true, "{query}");
        assert_eq!(
            single["total"], split["total"],
            "{query}: totals count stories"
        );
        if args.contains(&"--facets") {
            assert_eq!(single["facets"], split["facets"], "{query}: facets");
        }
        let story = |v: &Value| -> Vec<Value> {
            v["hits"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|h| {
                    h["title"] == "Regulator clears Brightline-Tessellate merger with conditions"
                })
                .cloned()
                .collect()
        };
        let (s1, s2) = (story(&single), story(&split));
        assert_eq!(
            s2.len(),
            1,
            "{query}: one hit for the story and its copy: {s2:?}"
        );
        assert_eq!(s1.len(), 1, "{query}");
        assert_eq!(s2[0]["copies"].as_array().map(Vec::len), Some(1), "{query}");
        // The shown page of two copies of one date is the one indexed first (either here).
        let pages = |h: &Value| -> Vec<String> {
            let mut p: Vec<String> = h["copies"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["path"].as_str().unwrap().to_string())
                .collect();
            p.push(h["path"].as_str().unwrap().to_string());
            p.sort();
            p
        };
        assert_eq!(pages(&s1[0]), pages(&s2[0]), "{query}: the same two pages");
        if args.contains(&"--sort") {
            continue;
        }
        let others = |v: &Value| -> Vec<(String, String)> {
            ranked(v)
                .into_iter()
                .filter(|(_, path)| !path.contains("regulator-clears-brightline"))
                .collect()
        };
        assert_eq!(others(&single), others(&split), "{query}: ranking");
    }
    // --no-collapse shows both pages.
    let q = "brightline tessellate merger";
    let stories = search_split(&ia, &ib, q, &[])["total"].as_u64().unwrap();
    let pages = search_split(&ia, &ib, q, &["--no-collapse"]);
    assert_eq!(pages["collapsed"], false);
    assert_eq!(pages["total"].as_u64().unwrap(), stories + 1);
}

#[test]
fn partial_matches_and_their_timeline_over_several_indexes() {
    let tmp = tempfile::tempdir().unwrap();
    let (ia, ib, _, _) = split_indexes(tmp.path(), |_, _| {});
    // A headline remembered with one wrong word: no story holds every word.
    let q = "Regulator clears Brightline merger with zebras";
    let args = ["-n", "20", "--timeline", "--facets"];
    let single = search(corpus_index(), q, &args);
    let split = search_split(&ia, &ib, q, &args);
    assert_eq!(single["partial"], true);
    assert_eq!(split["partial"], true, "{split}");
    assert_eq!(single["total"], split["total"]);
    assert_eq!(ranked(&single), ranked(&split));
    assert_eq!(single["facets"], split["facets"]);
    assert!(split["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["partial"] == true));
    assert!(!split["warnings"].as_array().unwrap().is_empty());
    // The timeline shows the stories listed, not the (empty) all-words matches.
    assert!(
        !split["timeline"].as_array().expect("a timeline").is_empty(),
        "{split}"
    );
    assert_eq!(single["timeline"], split["timeline"]);
}

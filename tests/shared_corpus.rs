//! Tests over the team's evaluation corpus in `../shared/corpora/newspages` (not part of this
//! repository): each skips with a message when it is absent.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::*;

fn newspages() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/newspages");
    if root.join("truth.jsonl").is_file() {
        Some(root)
    } else {
        eprintln!(
            "skipped: {} is absent (the shared evaluation corpus is not part of this repository)",
            root.display()
        );
        None
    }
}

/// One line of truth.jsonl.
struct Truth {
    path: String,
    id: String,
    title: String,
}

/// Headline words compared without case and punctuation.
fn norm(title: &str) -> String {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Files under `dir`, as `/`-separated paths relative to `root`.
fn files_under(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            files_under(root, &entry.path(), out);
        } else {
            let rel = entry.path().strip_prefix(root).unwrap().to_path_buf();
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
}

/// A headline that gazette's query syntax reads as more than words (`-word` excludes, `+word`
/// requires, `OR` is an operator: all documented): a user would quote it.
fn has_query_syntax(title: &str) -> bool {
    title
        .split_whitespace()
        .any(|w| w.starts_with('-') || w.starts_with('+') || w == "OR" || w == "AND")
}

/// Indexes a deterministic sample of about 300 newspages files (about 70 truth-listed
/// articles from each of the four site folders, the front pages and the assets) and checks
/// that searching 20 of their headlines (5 per site) returns that page first.
#[test]
fn sampled_headlines_find_their_own_page_first() {
    let Some(root) = newspages() else {
        return;
    };
    let started = std::time::Instant::now();
    let lap = |what: &str| eprintln!("{what}: {:.1} s", started.elapsed().as_secs_f64());
    let mut by_site: BTreeMap<String, Vec<Truth>> = BTreeMap::new();
    let mut listed = BTreeSet::new();
    let mut listings = Vec::new();
    let text = std::fs::read_to_string(root.join("truth.jsonl")).unwrap();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        // Only these fields are read (the bodies are skipped, not copied).
        #[derive(serde::Deserialize)]
        struct Line {
            path: String,
            id: Option<String>,
            title: Option<String>,
            kind: Option<String>,
        }
        let v: Line = serde_json::from_str(line).unwrap();
        let path = v.path;
        listed.insert(path.clone());
        if v.kind.as_deref() == Some("listing") {
            listings.push(path);
            continue;
        }
        let (Some(id), Some(title)) = (v.id, v.title) else {
            continue;
        };
        let site = path.split('/').next().unwrap().to_string();
        by_site
            .entry(site)
            .or_default()
            .push(Truth { path, id, title });
    }
    lap("truth.jsonl read");
    assert_eq!(by_site.len(), 4, "site folders: {:?}", by_site.keys());

    // About 70 articles per site, evenly spread over the sorted paths. A story syndicated to
    // several sites (same id) or two stories with the same headline are taken once, so each
    // sampled headline has exactly one right answer in the sample.
    let mut chosen_ids = BTreeSet::new();
    let mut chosen_titles = BTreeSet::new();
    let mut chosen: BTreeMap<String, Vec<&Truth>> = BTreeMap::new();
    for (site, rows) in by_site.iter_mut() {
        rows.sort_by(|a, b| a.path.cmp(&b.path));
        let step = (rows.len() / 70).max(1);
        for row in rows.iter().step_by(step).take(70) {
            if chosen_ids.contains(&row.id) || chosen_titles.contains(&norm(&row.title)) {
                continue;
            }
            chosen_ids.insert(row.id.clone());
            chosen_titles.insert(norm(&row.title));
            chosen.entry(site.clone()).or_default().push(row);
        }
    }
    for rows in chosen.values() {
        assert!(rows.len() >= 60, "{} rows", rows.len());
    }
    let mut assets = Vec::new();
    files_under(&root, &root, &mut assets);
    let assets: Vec<String> = assets.into_iter().filter(|p| !listed.contains(p)).collect();
    assert!(
        assets.len() < 50,
        "unexpected unlisted files: {}",
        assets.len()
    );

    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("newspages");
    let articles: Vec<&Truth> = chosen.values().flatten().copied().collect();
    let copy = |rel: &str| {
        let to = corpus.join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root.join(rel), &to).unwrap_or_else(|e| panic!("copy {rel}: {e}"));
    };
    for a in &articles {
        copy(&a.path);
    }
    for p in listings.iter().chain(&assets) {
        copy(p);
    }
    let files = articles.len() + listings.len() + assets.len();
    assert!((250..=350).contains(&files), "{files} files");

    lap("sample copied");
    let idx = tmp.path().join("index");
    // the truth file is itself a JSON Lines archive: left out, as an archivist would
    let s = index(&corpus, &idx, &["--exclude", "truth.jsonl"]);
    assert_eq!(s["files_seen"], files as u64 - 1, "{s:#}");
    assert_eq!(
        s["added"],
        articles.len() as u64,
        "every truth-listed article is indexed: {s:#}"
    );
    assert_eq!(
        s["skipped"]["front/listing page"],
        listings.len() as u64,
        "{s:#}"
    );
    assert_eq!(s["errors"], serde_json::json!([]), "{s:#}");

    lap("sample indexed");
    // 5 headlines per site, evenly spread.
    let mut misses = Vec::new();
    let mut searched = 0;
    for (site, rows) in &chosen {
        let candidates: Vec<&&Truth> = rows
            .iter()
            .filter(|r| !has_query_syntax(&r.title))
            .collect();
        let step = candidates.len() / 5;
        for row in candidates.iter().step_by(step).take(5) {
            searched += 1;
            let v = search(&idx, &row.title, &["-n", "3"]);
            let got = paths(&v);
            if got.first() != Some(&row.path) {
                misses.push(format!(
                    "{site}: {:?} ({}) -> {:?}",
                    row.title, row.path, got
                ));
            }
        }
    }
    assert_eq!(searched, 20);
    assert!(
        misses.is_empty(),
        "{} of 20 headlines missed:\n{}",
        misses.len(),
        misses.join("\n")
    );
    eprintln!(
        "{files} newspages files, 20 headlines, {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

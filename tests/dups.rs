//! Story clusters end to end: `gazette index` assigns pages to stories, `gazette search`
//! collapses them, `gazette dups` lists them; and clusters follow pages added, changed and
//! pruned by incremental runs. Fixtures are written here.

mod common;
mod serve_support;

use std::path::Path;

use common::{hits, index, run, search, total};
use serde_json::Value;
use serve_support::Server;

/// Deterministic sentences of a story (distinct per seed), in paragraphs of four sentences.
fn paragraphs(seed: u64, count: usize) -> Vec<String> {
    const WORDS: [&str; 32] = [
        "minister", "budget", "growth", "exports", "wheat", "council", "shares", "bank", "rates",
        "forecast", "deficit", "trade", "union", "strike", "court", "election", "harbour", "storm",
        "prices", "oil", "talks", "league", "market", "report", "ferry", "bridge", "school",
        "hospital", "farmers", "police", "river", "museum",
    ];
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..count)
        .map(|_| {
            (0..4)
                .map(|_| {
                    let words: Vec<&str> = (0..14).map(|_| WORDS[(next() % 32) as usize]).collect();
                    format!("The {} in {}.", words.join(" "), next() % 1000)
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn page(site: &str, slug: &str, title: &str, date: &str, paras: &[String]) -> String {
    let body: String = paras.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | {site}</title>
<link rel="canonical" href="https://{site}/news/{slug}.html"></head>
<body><header><a href="/">{site}</a><nav><a href="/news/">News</a></nav></header>
<main><article><h1>{title}</h1>
<time datetime="{date}T09:00:00Z">{date}</time>
<div class="article-body">
{body}</div></article></main>
<footer><p>Copyright {site}. All rights reserved. Sign up for our newsletter.</p></footer>
</body></html>
"#
    )
}

fn write(corpus: &Path, site: &str, slug: &str, title: &str, date: &str, paras: &[String]) {
    let dir = corpus.join(site).join("news");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(format!("{slug}.html")),
        page(site, slug, title, date, paras),
    )
    .unwrap();
}

/// The story the tests search for: paragraph 1 holds the word "gannetpoint".
fn story_a() -> Vec<String> {
    let mut p = paragraphs(1, 8);
    p[1] = format!("The gannetpoint lighthouse {}", p[1]);
    p
}

/// Writes the corpus: story A four times (original, retitled, trimmed, edited), and its
/// false friends: a different story quoting A at length beside shared boilerplate, a brief
/// repeating one paragraph of A, and an unrelated story.
fn corpus(dir: &Path) {
    let a = story_a();
    write(
        dir,
        "a.example",
        "keepers",
        "Keepers return to the light",
        "2024-03-04",
        &a,
    );
    write(
        dir,
        "b.example",
        "light-staffed",
        "Lighthouse staffed again",
        "2024-03-05",
        &a,
    );
    write(
        dir,
        "c.example",
        "keepers-short",
        "Keepers back",
        "2024-03-06",
        &a[..6],
    );
    let edited: Vec<String> = a
        .iter()
        .map(|p| {
            p.replacen("minister", "premier", 1)
                .replacen(" in ", " at ", 1)
        })
        .collect();
    write(
        dir,
        "d.example",
        "keepers-edit",
        "Keepers to return",
        "2024-03-07",
        &edited,
    );
    // A different story with a long quote of A (two paragraphs of eight).
    let mut quoting = paragraphs(2, 8);
    quoting[3] = a[4].clone();
    quoting[4] = a[5].clone();
    write(
        dir,
        "a.example",
        "other",
        "Another story",
        "2024-03-04",
        &quoting,
    );
    // A brief: a lead of its own and one paragraph of A.
    let brief = vec![paragraphs(3, 1)[0].clone(), a[3].clone()];
    write(dir, "b.example", "brief", "In brief", "2024-03-05", &brief);
    write(
        dir,
        "c.example",
        "unrelated",
        "Unrelated",
        "2024-03-06",
        &paragraphs(4, 6),
    );
}

fn dups(index: &Path) -> Vec<Value> {
    let r = run(["dups", "--index", index.to_str().unwrap(), "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.json().as_array().expect("an array").clone()
}

fn cluster_paths(c: &Value) -> Vec<String> {
    let mut v: Vec<String> = c["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

const A_PAGES: [&str; 4] = [
    "a.example/news/keepers.html",
    "b.example/news/light-staffed.html",
    "c.example/news/keepers-short.html",
    "d.example/news/keepers-edit.html",
];

#[test]
fn copies_cluster_and_false_friends_stay_apart() {
    let tmp = tempfile::tempdir().unwrap();
    let (c, i) = (tmp.path().join("corpus"), tmp.path().join("index"));
    corpus(&c);
    index(&c, &i, &[]);
    let clusters = dups(&i);
    assert_eq!(clusters.len(), 1, "{clusters:#?}");
    assert_eq!(cluster_paths(&clusters[0]), A_PAGES);
    // Earliest page first, its headline names the cluster.
    assert_eq!(clusters[0]["title"], "Keepers return to the light");

    // Collapsed: one hit, three copies; totals count stories.
    let v = search(&i, "gannetpoint", &[]);
    assert_eq!(total(&v), 1);
    assert_eq!(v["collapsed"], true);
    let copies = hits(&v)[0]["copies"].as_array().unwrap();
    assert_eq!(copies.len(), 3);
    for c in copies {
        assert!(c["site"].is_string() && c["date"].is_string() && c["url"].is_string());
    }
    let dates: Vec<&str> = copies.iter().map(|c| c["date"].as_str().unwrap()).collect();
    assert!(
        dates.windows(2).all(|w| w[0] <= w[1]),
        "earliest first: {dates:?}"
    );
    assert_eq!(hits(&v)[0]["copies_total"], 3);
    // Every copy's site, each once, in the order of the copies.
    let sites: Vec<&str> = copies.iter().map(|c| c["site"].as_str().unwrap()).collect();
    assert_eq!(hits(&v)[0]["copy_sites"], serde_json::json!(sites));
    // --copies N lists the first N; the count and the sites still cover every copy.
    let one = search(&i, "gannetpoint", &["--copies", "1"]);
    assert_eq!(
        hits(&one)[0]["copies"],
        serde_json::json!([copies[0].clone()])
    );
    assert_eq!(hits(&one)[0]["copies_total"], 3);
    assert_eq!(hits(&one)[0]["copy_sites"], serde_json::json!(sites));
    let none = search(&i, "gannetpoint", &["--copies", "0"]);
    assert_eq!(hits(&none)[0]["copies"], serde_json::json!([]));
    assert_eq!(hits(&none)[0]["copies_total"], 3);
    let v = search(&i, "gannetpoint", &["--no-collapse"]);
    assert_eq!(total(&v), 4);
    assert_eq!(hits(&v).len(), 4);
    assert!(hits(&v)
        .iter()
        .all(|h| h["copies"].as_array().unwrap().is_empty()));
    // Every story: 4 (A, the quoting story, the brief, the unrelated one), facets too.
    let v = search(&i, "", &["--facets"]);
    assert_eq!(total(&v), 4);
    let years: u64 = v["facets"]["year"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y[1].as_u64().unwrap())
        .sum();
    assert_eq!(years, 4);
    assert_eq!(total(&search(&i, "", &["--no-collapse"])), 7);

    // The terminal listing names the other sites.
    let r = run(["search", "gannetpoint", "--index", i.to_str().unwrap()]);
    assert!(r.stdout.contains("also on 3 other pages:"), "{}", r.stdout);
    assert!(!r.stdout.contains("= https://"), "{}", r.stdout);
    // With --copies the listing names them, earliest first.
    let r = run([
        "search",
        "gannetpoint",
        "--copies",
        "2",
        "--index",
        i.to_str().unwrap(),
    ]);
    let listed: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.contains("= https://"))
        .collect();
    assert_eq!(listed.len(), 2, "{}", r.stdout);
    assert!(
        listed[0].contains(copies[0]["url"].as_str().unwrap()),
        "{}",
        r.stdout
    );
    let r = run(["dups", "--index", i.to_str().unwrap()]);
    assert!(
        r.stdout.contains("4 pages  Keepers return to the light"),
        "{}",
        r.stdout
    );
    // --min-size filters.
    let r = run([
        "dups",
        "--index",
        i.to_str().unwrap(),
        "--min-size",
        "5",
        "--json",
    ]);
    assert_eq!(r.json(), serde_json::json!([]));
}

#[test]
fn clusters_follow_added_changed_and_pruned_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let (c, i) = (tmp.path().join("corpus"), tmp.path().join("index"));
    corpus(&c);
    index(&c, &i, &[]);

    // A new copy joins the story.
    write(
        &c,
        "e.example",
        "keepers",
        "Keepers return",
        "2024-03-09",
        &story_a(),
    );
    let s = index(&c, &i, &[]);
    assert_eq!(s["added"], 1);
    let clusters = dups(&i);
    assert_eq!(clusters.len(), 1);
    assert_eq!(clusters[0]["pages"].as_array().unwrap().len(), 5);

    // A copy rewritten into another story leaves it.
    std::thread::sleep(std::time::Duration::from_millis(20));
    write(
        &c,
        "d.example",
        "keepers-edit",
        "Now another story",
        "2024-03-07",
        &paragraphs(9, 8),
    );
    let s = index(&c, &i, &[]);
    assert_eq!(s["updated"], 1);
    let clusters = dups(&i);
    assert_eq!(clusters.len(), 1);
    assert!(!cluster_paths(&clusters[0]).contains(&A_PAGES[3].to_string()));
    assert_eq!(clusters[0]["pages"].as_array().unwrap().len(), 4);

    // Pruned pages leave it; the rest stay together.
    std::fs::remove_file(c.join(A_PAGES[0])).unwrap();
    std::fs::remove_file(c.join(A_PAGES[1])).unwrap();
    index(&c, &i, &["--prune"]);
    let clusters = dups(&i);
    assert_eq!(clusters.len(), 1);
    assert_eq!(
        cluster_paths(&clusters[0]),
        vec![
            A_PAGES[2].to_string(),
            "e.example/news/keepers.html".to_string()
        ]
    );
    let v = search(&i, "gannetpoint", &[]);
    assert_eq!(total(&v), 1);
    assert_eq!(hits(&v)[0]["copies"].as_array().unwrap().len(), 1);

    // The story's first page is gone: a copy indexed later still finds the story (through
    // its earliest remaining page, the trimmed reprint of 2024-03-06).
    write(
        &c,
        "f.example",
        "keepers-late",
        "Keepers, a week on",
        "2024-03-11",
        &story_a(),
    );
    index(&c, &i, &[]);
    let clusters = dups(&i);
    assert_eq!(clusters.len(), 1, "{clusters:?}");
    assert_eq!(
        cluster_paths(&clusters[0]),
        vec![
            A_PAGES[2].to_string(),
            "e.example/news/keepers.html".to_string(),
            "f.example/news/keepers-late.html".to_string()
        ]
    );
}

#[test]
fn a_rewritten_first_page_still_gathers_later_copies() {
    let tmp = tempfile::tempdir().unwrap();
    let (c, i) = (tmp.path().join("corpus"), tmp.path().join("index"));
    let a = story_a();
    write(&c, "a.example", "keepers", "Keepers", "2024-03-04", &a);
    write(&c, "b.example", "keepers", "Keepers", "2024-03-04", &a);
    index(&c, &i, &[]);
    // The first page is updated (a paragraph added): it stays the story's first page.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut updated = a.clone();
    updated.push(paragraphs(20, 1)[0].clone());
    write(
        &c,
        "a.example",
        "keepers",
        "Keepers (updated)",
        "2024-03-04",
        &updated,
    );
    assert_eq!(index(&c, &i, &[])["updated"], 1);
    // The first page is rewritten into another story: the copy stands for the old one.
    std::thread::sleep(std::time::Duration::from_millis(20));
    write(
        &c,
        "a.example",
        "keepers",
        "Something else",
        "2024-03-04",
        &paragraphs(21, 8),
    );
    index(&c, &i, &[]);
    write(&c, "c.example", "keepers", "Keepers", "2024-03-05", &a);
    index(&c, &i, &[]);
    let clusters = dups(&i);
    assert_eq!(clusters.len(), 1, "{clusters:?}");
    assert_eq!(
        cluster_paths(&clusters[0]),
        vec![
            "b.example/news/keepers.html".to_string(),
            "c.example/news/keepers.html".to_string()
        ]
    );
}

#[test]
fn the_same_text_weeks_later_is_another_story() {
    // A recurring report: the same template published again three weeks later (and a copy
    // of it two days after that) is a new story; syndicated copies within the week are not.
    let tmp = tempfile::tempdir().unwrap();
    let (c, i) = (tmp.path().join("corpus"), tmp.path().join("index"));
    let a = story_a();
    write(
        &c,
        "a.example",
        "report-1",
        "Weekly report",
        "2024-03-04",
        &a,
    );
    write(
        &c,
        "b.example",
        "report-1",
        "Weekly report",
        "2024-03-10",
        &a,
    );
    write(
        &c,
        "a.example",
        "report-4",
        "Weekly report",
        "2024-03-25",
        &a,
    );
    write(
        &c,
        "c.example",
        "report-4",
        "Weekly report",
        "2024-03-27",
        &a,
    );
    index(&c, &i, &[]);
    let mut clusters: Vec<Vec<String>> = dups(&i).iter().map(cluster_paths).collect();
    clusters.sort();
    assert_eq!(
        clusters,
        vec![
            vec![
                "a.example/news/report-1.html".to_string(),
                "b.example/news/report-1.html".to_string()
            ],
            vec![
                "a.example/news/report-4.html".to_string(),
                "c.example/news/report-4.html".to_string()
            ],
        ]
    );
}

#[test]
fn partial_matches_and_timelines_count_stories_when_collapsed() {
    let tmp = tempfile::tempdir().unwrap();
    let (c, i) = (tmp.path().join("corpus"), tmp.path().join("index"));
    corpus(&c);
    index(&c, &i, &[]);
    // No page holds "zanzibarquay": the stories holding most of the words are shown.
    let v = search(&i, "gannetpoint zanzibarquay", &[]);
    assert_eq!(v["partial"], true, "{v}");
    assert_eq!(total(&v), 1, "{v}");
    assert_eq!(hits(&v).len(), 1);
    assert_eq!(hits(&v)[0]["partial"], true);
    assert_eq!(hits(&v)[0]["copies"].as_array().unwrap().len(), 3);
    let v = search(&i, "gannetpoint zanzibarquay", &["--no-collapse"]);
    assert_eq!(total(&v), 4);
    assert_eq!(hits(&v).len(), 4);
    // The timeline counts stories when collapsed, pages with --no-collapse.
    let months = |v: &Value| -> u64 {
        v["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b[1].as_u64().unwrap())
            .sum()
    };
    assert_eq!(months(&search(&i, "gannetpoint", &["--timeline"])), 1);
    assert_eq!(
        months(&search(&i, "gannetpoint", &["--timeline", "--no-collapse"])),
        4
    );
    // The server's timeline counts as the CLI's does.
    let server = Server::start(&i, &[]);
    let api = server.get("/api/search?q=gannetpoint&timeline=1").json();
    assert_eq!(
        api["timeline"],
        search(&i, "gannetpoint", &["--timeline"])["timeline"]
    );
    assert_eq!(api["timeline"][0][1], 1, "{api}");
    // The page's hits carry the story's copies as the CLI's JSON does.
    let hit = &api["hits"][0];
    assert_eq!(hit["copies_total"], 3, "{api}");
    assert_eq!(hit["copy_sites"].as_array().map(Vec::len), Some(3), "{api}");
    assert_eq!(
        hit["copies"],
        hits(&search(&i, "gannetpoint", &[]))[0]["copies"]
    );
    let one = server.get("/api/search?q=gannetpoint&copies=1").json();
    assert_eq!(one["hits"][0]["copies"].as_array().map(Vec::len), Some(1));
    assert_eq!(one["hits"][0]["copies_total"], 3);
}

#[test]
fn no_stories_keeps_every_page_apart() {
    let tmp = tempfile::tempdir().unwrap();
    let (c, i) = (tmp.path().join("corpus"), tmp.path().join("index"));
    corpus(&c);
    index(&c, &i, &["--no-stories"]);
    assert!(dups(&i).is_empty());
    let v = search(&i, "gannetpoint", &[]);
    assert_eq!(total(&v), 4);
    assert!(hits(&v)
        .iter()
        .all(|h| h["copies"].as_array().unwrap().is_empty()));
}

#[test]
fn pages_added_in_one_batch_find_each_other_across_commits() {
    // Commit after every page: each copy is found in the committed index, not the batch.
    let tmp = tempfile::tempdir().unwrap();
    let (c, i) = (tmp.path().join("corpus"), tmp.path().join("index"));
    corpus(&c);
    index(&c, &i, &["--commit-every", "1"]);
    let clusters = dups(&i);
    assert_eq!(clusters.len(), 1);
    assert_eq!(cluster_paths(&clusters[0]), A_PAGES);
}

#[test]
fn dups_without_an_index_names_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nothing-here");
    let r = run(["dups", "--index", missing.to_str().unwrap()]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("nothing-here"), "{}", r.stderr);
}

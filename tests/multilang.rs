//! Multilingual search against the real binary: German and French pages found through their
//! language's inflections, CJK text found by its words, a pasted `<title>` with the site name,
//! and the partial-match fallback (`"partial": true`) for a headline with a wrong word.
//!
//! Run with `cargo test --test multilang`.

mod common;

use std::path::Path;

use common::{hits, index, paths, search};
use serde_json::Value;
use tempfile::TempDir;

fn page(lang: &str, tab_title: &str, headline: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{tab_title}</title>\
         <meta property=\"article:published_time\" content=\"2021-03-04T10:00:00Z\"></head>\
         <body><article><h1>{headline}</h1>\n{body}</article></body></html>"
    )
}

const DE_1: &str = "Die Regierung plant neue Wahlen im Herbst, nachdem die Koalition an der Frage der Steuerreform zerbrochen ist. Die Parteien beginnen bereits mit dem Wahlkampf.";
const DE_2: &str = "Viele Bürger zeigen sich enttäuscht von den Politikern. In den Umfragen liegt die Opposition deutlich vorn, während die Regierungsparteien Stimmen verlieren.";
const DE_3: &str = "Der Bundespräsident rief alle Beteiligten zur Besonnenheit auf und mahnte einen fairen Wahlkampf an, der die Sorgen der Menschen ernst nehme.";
const FR_1: &str = "Les électeurs se rendront aux urnes dimanche pour des élections municipales très disputées. Les candidats ont multiplié les réunions publiques dans les quartiers.";
const FR_2: &str = "La participation devrait rester faible selon les instituts de sondage, qui prévoient une abstention record dans les grandes villes du pays.";
const EN_1: &str = "The city council approved the new budget on Tuesday after a long debate about spending on roads, schools and public transport across the region.";
const EN_2: &str = "Council members said the plan would raise property taxes slightly, while the mayor promised to review every department's expenses next spring.";
const JA_1: &str = "東京都は新しい防災計画を発表した。大地震に備えて避難所の数を増やし、食料の備蓄を強化する方針だ。";
const JA_2: &str =
    "知事は記者会見で、都民一人一人の備えが重要だと強調し、家庭での準備を呼びかけた。";

fn corpus() -> &'static Path {
    static DIR: std::sync::OnceLock<(TempDir, TempDir)> = std::sync::OnceLock::new();
    let (_, idx) = DIR.get_or_init(|| {
        let dir = TempDir::new().expect("temp dir");
        let site = dir.path().join("news.example");
        std::fs::create_dir_all(&site).expect("mkdir");
        let pages = [
            (
                "wahl.html",
                page(
                    "de",
                    "Regierung plant Neuwahlen im Herbst | Morgenpost Online",
                    "Regierung plant Neuwahlen im Herbst",
                    &[DE_1, DE_2, DE_3],
                ),
            ),
            (
                "elections.html",
                page(
                    "fr",
                    "Municipales : les électeurs appelés aux urnes - Le Quotidien",
                    "Municipales : les électeurs appelés aux urnes",
                    &[FR_1, FR_2],
                ),
            ),
            (
                "budget.html",
                page(
                    "en",
                    "Council approves budget after long debate - City Herald",
                    "Council approves budget after long debate",
                    &[EN_1, EN_2],
                ),
            ),
            (
                "bousai.html",
                page(
                    "ja",
                    "東京都が新防災計画 | 新聞",
                    "東京都が新防災計画",
                    &[JA_1, JA_2],
                ),
            ),
        ];
        for (name, html) in pages {
            std::fs::write(site.join(name), html).expect("write page");
        }
        let idx = TempDir::new().expect("temp dir");
        index(dir.path(), idx.path(), &[]);
        (dir, idx)
    });
    idx.path()
}

fn first(v: &Value) -> String {
    paths(v).first().cloned().unwrap_or_default()
}

#[test]
fn german_query_finds_german_inflections() {
    // "Wahl" (singular) and "Wahlkampfes" (genitive) are in no page as written.
    for q in ["Wahl", "Wahlkampfes", "enttäuschten Politiker"] {
        let v = search(corpus(), q, &[]);
        assert_eq!(first(&v), "news.example/wahl.html", "{q}: {v}");
        assert!(v.get("partial").is_none(), "{q}: all words matched: {v}");
    }
    // The snippet highlights the inflected form the stem matched.
    let v = search(corpus(), "Wahlkampfes", &[]);
    assert!(marked(&hits(&v)[0]).iter().any(|m| m == "Wahlkampf"), "{v}");
}

#[test]
fn several_indexes_highlight_inflections_too() {
    // The German page's index alone and searched together with an English-only one: the
    // snippet marks the inflection the German stemmer matched.
    let dir = TempDir::new().expect("temp dir");
    let site = dir.path().join("herald.example");
    std::fs::create_dir_all(&site).expect("mkdir");
    let html = page("en", "Roads - Herald", "Roads", &[EN_1, EN_2]);
    std::fs::write(site.join("roads.html"), html).expect("write page");
    let other = TempDir::new().expect("temp dir");
    index(dir.path(), other.path(), &[]);
    let extra = other.path().display().to_string();
    // "Wahl" meets "Wahlen" through the German stemmer only (English keeps "wahlen").
    for args in [vec![], vec!["--index", extra.as_str()]] {
        let v = search(corpus(), "Wahl", &args);
        assert_eq!(first(&v), "news.example/wahl.html", "{v}");
        let marked = marked(&hits(&v)[0]);
        assert!(marked.iter().any(|m| m == "Wahlen"), "{args:?}: {marked:?}");
    }
}

/// The highlighted words of a hit's snippet.
fn marked(hit: &Value) -> Vec<String> {
    let snippet: Vec<char> = hit["snippet"].as_str().unwrap().chars().collect();
    hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let (a, b) = (
                r[0].as_u64().unwrap() as usize,
                r[1].as_u64().unwrap() as usize,
            );
            snippet[a..b].iter().collect()
        })
        .collect()
}

#[test]
fn french_query_finds_french_inflections() {
    let v = search(corpus(), "élection municipale", &[]);
    assert_eq!(first(&v), "news.example/elections.html", "{v}");
}

#[test]
fn english_words_are_not_confused_with_other_languages() {
    let v = search(corpus(), "budgets", &[]);
    assert_eq!(paths(&v), vec!["news.example/budget.html"], "{v}");
}

#[test]
fn japanese_words_are_found_inside_sentences() {
    for q in ["防災計画", "避難所", "知事"] {
        let v = search(corpus(), q, &[]);
        assert_eq!(first(&v), "news.example/bousai.html", "{q}: {v}");
    }
    // Characters that occur apart but never together do not match as a word.
    let v = search(corpus(), "\"京防\"", &[]);
    assert!(hits(&v).is_empty(), "{v}");
}

#[test]
fn pasted_tab_title_with_site_name_finds_its_page() {
    for (q, want) in [
        (
            "Regierung plant Neuwahlen im Herbst | Morgenpost Online",
            "news.example/wahl.html",
        ),
        (
            "Council approves budget after long debate - City Herald",
            "news.example/budget.html",
        ),
    ] {
        let v = search(corpus(), q, &["-n", "1"]);
        assert_eq!(first(&v), want, "{q}: {v}");
    }
}

#[test]
fn a_wrong_word_falls_back_to_partial_matches() {
    // "cuts" is in no page: no page holds every word.
    let q = "Council approves budget cuts after long debate";
    let v = search(corpus(), q, &[]);
    assert_eq!(first(&v), "news.example/budget.html", "{v}");
    assert_eq!(v["partial"], Value::Bool(true), "{v}");
    assert_eq!(hits(&v)[0]["partial"], Value::Bool(true), "{v}");
    // Too few of the words: no match at all.
    let v = search(corpus(), "council zebra giraffe walrus", &[]);
    assert!(hits(&v).is_empty(), "{v}");
    // Every word present: no fallback, no flag.
    let v = search(corpus(), "council budget", &[]);
    assert!(v.get("partial").is_none(), "{v}");
    // Text output says so too.
    let r = common::run(["search", "--index", corpus().to_str().unwrap(), "--", q]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        (r.stdout.to_lowercase() + &r.stderr.to_lowercase()).contains("partial"),
        "{}\n{}",
        r.stdout,
        r.stderr
    );
}

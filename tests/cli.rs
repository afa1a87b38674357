//! End-to-end tests of the `gazette` binary over the bundled sample corpus (`corpus/`, see
//! its README for the ground truth these tests check). The corpus index is built once per
//! test binary into a temporary folder; tests that change an index build their own.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::*;
use serde_json::Value;

// ---------------------------------------------------------------------------------------
// helpers

/// The README ids of the hits (the path itself for a hit that is not a corpus article), in
/// order: failure messages stay readable.
fn ids(v: &Value) -> Vec<String> {
    paths(v)
        .into_iter()
        .map(|p| {
            articles()
                .iter()
                .find(|a| a.path == p)
                .map_or(p, |a| a.id.clone())
        })
        .collect()
}

/// Sorted README ids of the articles for which `keep` holds.
fn ids_where(keep: impl Fn(&Article) -> bool) -> Vec<String> {
    let mut v: Vec<String> = articles()
        .iter()
        .filter(|a| keep(a))
        .map(|a| a.id.clone())
        .collect();
    v.sort();
    v
}

/// Sorted README ids of every hit of a search (all pages: `-n 100`).
fn all_ids(query: &str, args: &[&str]) -> Vec<String> {
    let mut args = args.to_vec();
    args.extend(["-n", "100"]);
    let v = search(corpus_index(), query, &args);
    let mut got = ids(&v);
    assert_eq!(
        total(&v),
        got.len() as u64,
        "total of {query:?} {args:?} disagrees with the hits"
    );
    got.sort();
    got
}

fn strs(ids: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

fn set(v: &[String]) -> BTreeSet<String> {
    v.iter().cloned().collect()
}

fn has_ext(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|name| name.contains('.'))
}

// ---------------------------------------------------------------------------------------
// indexing

#[test]
fn index_summary_counts_articles_and_skips_by_reason() {
    let dir = tempfile::tempdir().unwrap();
    let s = index(&corpus_dir(), dir.path(), &[]);
    assert_eq!(s["files_seen"], 59, "{s:#}");
    assert_eq!(s["added"], 43, "{s:#}");
    assert_eq!(s["updated"], 0, "{s:#}");
    assert_eq!(s["unchanged"], 0, "{s:#}");
    assert_eq!(s["removed"], 0, "{s:#}");
    assert_eq!(s["listings_kept"], 0, "{s:#}");
    assert_eq!(s["docs_in_index"], 43, "{s:#}");
    assert_eq!(s["interrupted"], false, "{s:#}");
    assert_eq!(s["errors"], serde_json::json!([]), "{s:#}");
    let skipped: BTreeMap<String, u64> = serde_json::from_value(s["skipped"].clone()).unwrap();
    let expected: BTreeMap<String, u64> = [
        ("front/listing page", 4),
        ("not HTML (.css file)", 3),
        ("not HTML (.gif file)", 1),
        ("not HTML (.js file)", 2),
        ("not HTML (.md file)", 1),
        ("not HTML (.png file)", 2),
        ("not HTML (text, not a news page: robots rules)", 3),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_string(), n))
    .collect();
    assert_eq!(skipped, expected);
    assert!(!skipped.keys().any(|k| k.starts_with("unreadable")));
    assert!(s["bytes_read"].as_u64().unwrap() > 100_000, "{s:#}");
    assert!(s["index_bytes"].as_u64().unwrap() > 0, "{s:#}");
}

#[test]
fn index_text_summary_names_the_counts() {
    let dir = tempfile::tempdir().unwrap();
    let r = run([
        "index".as_ref(),
        corpus_dir().as_os_str(),
        "--index".as_ref(),
        dir.path().as_os_str(),
        "-q".as_ref(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("59 files seen"), "{}", r.stdout);
    assert!(r.stdout.contains("43 added"), "{}", r.stdout);
    assert!(r.stdout.contains("front/listing page"), "{}", r.stdout);
    assert!(r.stdout.contains("43 documents"), "{}", r.stdout);
}

#[test]
fn include_listings_keeps_the_four_listing_pages() {
    let dir = tempfile::tempdir().unwrap();
    let s = index(&corpus_dir(), dir.path(), &["--include-listings"]);
    assert_eq!(s["added"], 47, "{s:#}");
    assert_eq!(s["listings_kept"], 4, "{s:#}");
    assert_eq!(s["docs_in_index"], 47, "{s:#}");
    assert!(s["skipped"].get("front/listing page").is_none(), "{s:#}");
}

#[test]
fn reindexing_the_same_corpus_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    index(&corpus_dir(), dir.path(), &[]);
    let before = search(dir.path(), "interest rate", &["-n", "100"]);
    let s = index(&corpus_dir(), dir.path(), &[]);
    assert_eq!(s["added"], 0, "{s:#}");
    assert_eq!(s["updated"], 0, "{s:#}");
    assert_eq!(s["unchanged"], 43, "{s:#}");
    assert_eq!(s["removed"], 0, "{s:#}");
    assert_eq!(s["docs_in_index"], 43, "{s:#}");
    let after = search(dir.path(), "interest rate", &["-n", "100"]);
    assert_eq!(total(&after), total(&before));
    assert_eq!(sorted(paths(&after)), sorted(paths(&before)));
    assert_eq!(total(&search(dir.path(), "", &[])), 43);
}

#[test]
fn changed_touched_deleted_and_emptied_files() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let idx = tmp.path().join("index");
    copy_tree(&corpus_dir(), &corpus);
    index(&corpus, &idx, &[]);

    // One story gets a new word; another is touched without changing a byte.
    let changed = article("bc14");
    let file = corpus.join(&changed.path);
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.contains("Wholesale electricity"), "fixture text moved");
    std::fs::write(
        &file,
        html.replacen(
            "Wholesale electricity",
            "Wholesale marmalade electricity",
            1,
        ),
    )
    .unwrap();
    let touched = corpus.join(&article("bc09").path);
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&touched)
        .unwrap()
        .set_modified(later)
        .unwrap();
    let s = index(&corpus, &idx, &[]);
    assert_eq!(s["updated"], 1, "{s:#}");
    assert_eq!(s["added"], 0, "{s:#}");
    assert_eq!(s["unchanged"], 42, "{s:#}");
    assert_eq!(s["docs_in_index"], 43, "{s:#}");
    let v = search(&idx, "marmalade", &[]);
    assert_eq!(paths(&v), vec![changed.path.clone()]);
    assert_eq!(titles(&v), vec![changed.title.clone()]);
    assert_eq!(
        total(&search(&idx, "", &[])),
        43,
        "an updated story must not be duplicated"
    );
    assert_eq!(
        total(&search(
            &idx,
            "heatwave",
            &["--site", "businesschronicle.example"]
        )),
        1
    );

    // A deleted file: kept without --prune, removed with it.
    let gone = article("vh01");
    std::fs::remove_file(corpus.join(&gone.path)).unwrap();
    let s = index(&corpus, &idx, &[]);
    assert_eq!(s["removed"], 0, "{s:#}");
    assert_eq!(s["docs_in_index"], 43, "{s:#}");
    let s = index(&corpus, &idx, &["--prune"]);
    assert_eq!(s["removed"], 1, "{s:#}");
    assert_eq!(s["unchanged"], 42, "{s:#}");
    assert_eq!(s["docs_in_index"], 42, "{s:#}");
    assert_eq!(total(&search(&idx, "", &[])), 42);
    let v = search(&idx, &gone.title, &["-n", "100"]);
    assert!(!paths(&v).contains(&gone.path), "{:?}", paths(&v));

    // A new file is added.
    let copy = corpus.join("valleyherald.example/sport/20190612/copy-of-wrobel.html");
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    std::fs::copy(corpus_dir().join(&gone.path), &copy).unwrap();
    let s = index(&corpus, &idx, &[]);
    assert_eq!(s["added"], 1, "{s:#}");
    assert_eq!(s["docs_in_index"], 43, "{s:#}");
    let v = search(&idx, &gone.title, &["-n", "1"]);
    assert_eq!(
        paths(&v),
        vec!["valleyherald.example/sport/20190612/copy-of-wrobel.html"]
    );

    // A story emptied in place is no longer a story: its document goes.
    let emptied = article("ml10");
    std::fs::write(corpus.join(&emptied.path), "").unwrap();
    let s = index(&corpus, &idx, &[]);
    assert_eq!(s["skipped"]["empty file"], 1, "{s:#}");
    assert_eq!(s["docs_in_index"], 42, "{s:#}");
    let v = search(&idx, &emptied.title, &["-n", "100"]);
    assert!(!paths(&v).contains(&emptied.path), "{:?}", paths(&v));
}

// ---------------------------------------------------------------------------------------
// ranking and query syntax

#[test]
fn title_match_ranks_above_body_only_matches() {
    let expected_rest = strs(&["bc04", "bc10", "bc12", "ml09", "ml14", "vh11"]);
    for q in ["interest rate", "\"interest rate\""] {
        let v = search(corpus_index(), q, &["-n", "100"]);
        let got = ids(&v);
        assert_eq!(
            titles(&v).first().map(String::as_str),
            Some("Reserve Bank holds interest rate at 0.75% as growth slows"),
            "{q}: {got:?}"
        );
        assert_eq!(got[0], "bc03");
        let mut rest = got[1..].to_vec();
        rest.sort();
        assert_eq!(rest, expected_rest, "{q}: body-only matches");
        let scores: Vec<f64> = hits(&v)
            .iter()
            .map(|h| h["score"].as_f64().unwrap())
            .collect();
        assert!(
            scores.windows(2).all(|w| w[0] >= w[1]),
            "{q}: scores {scores:?}"
        );
        assert!(
            scores[0] > scores[1],
            "{q}: the title match must score strictly higher"
        );
    }
}

#[test]
fn every_pasted_headline_finds_its_own_story_first() {
    let mut misses = Vec::new();
    for a in articles() {
        let v = search(corpus_index(), &a.title, &["-n", "1"]);
        if paths(&v).first() != Some(&a.path) {
            misses.push(format!("{} {:?} -> {:?}", a.id, a.title, paths(&v)));
        }
    }
    assert!(misses.is_empty(), "{misses:#?}");
}

#[test]
fn phrase_returns_a_strict_subset_of_loose_words() {
    let loose = all_ids("port strike", &[]);
    let phrase = all_ids("\"port strike\"", &[]);
    assert_eq!(phrase, strs(&["ml03", "vh07"]));
    assert_eq!(loose, strs(&["bc05", "ml03", "ml13", "vh07"]));
    assert!(set(&phrase).is_subset(&set(&loose)));

    let loose = all_ids("water plant", &[]);
    let phrase = all_ids("\"water plant\"", &[]);
    assert!(loose.len() >= 5, "{loose:?}");
    assert!(phrase.is_empty(), "{phrase:?}");
}

#[test]
fn or_combines_and_minus_excludes() {
    let hosepipe = all_ids("hosepipe", &[]);
    let kingsferry = all_ids("kingsferry", &[]);
    assert_eq!(hosepipe, strs(&["vh02", "vh15"]));
    assert_eq!(kingsferry, strs(&["bc11", "ml07", "vh04", "vh14"]));
    let either = all_ids("hosepipe OR kingsferry", &[]);
    let union: BTreeSet<String> = set(&hosepipe).union(&set(&kingsferry)).cloned().collect();
    assert_eq!(set(&either), union);

    let heatwave = all_ids("heatwave", &[]);
    assert_eq!(heatwave, strs(&["bc14", "ml08", "ml10", "vh02", "vh15"]));
    let without = all_ids("heatwave -hosepipe", &[]);
    let diff: BTreeSet<String> = set(&heatwave)
        .difference(&set(&hosepipe))
        .cloned()
        .collect();
    assert_eq!(set(&without), diff);
    assert_eq!(without, strs(&["bc14", "ml08", "ml10"]));
    // Grouping.
    let grouped = all_ids("(hosepipe OR kingsferry) inquiry", &[]);
    assert!(!grouped.is_empty());
    assert!(set(&grouped).is_subset(&set(&either)));
}

#[test]
fn title_field() {
    assert_eq!(
        all_ids("title:kingsferry", &[]),
        ids_where(|a| a.title.to_lowercase().contains("kingsferry"))
    );
    assert_eq!(
        all_ids("title:kingsferry", &[]),
        strs(&["bc11", "ml07", "vh04"])
    );
    // "heatwave" is in five stories, but in the titles of four.
    assert_eq!(
        all_ids("title:heatwave", &[]),
        ids_where(|a| a.title.to_lowercase().contains("heatwave"))
    );
}

#[test]
fn section_field() {
    assert_eq!(
        all_ids("section:sport", &[]),
        ids_where(|a| a.section == "Sport")
    );
    assert_eq!(all_ids("section:sport", &[]).len(), 7);
    assert_eq!(
        all_ids("section:\"life & culture\"", &[]),
        ids_where(|a| a.section == "Life & Culture")
    );
    assert_eq!(
        all_ids("united section:sport", &[]),
        all_ids("united", &["--section", "sport"])
    );
}

#[test]
fn byline_field() {
    assert_eq!(
        all_ids("byline:kinsella", &[]),
        strs(&["bc01", "bc10", "bc11"])
    );
    assert_eq!(
        all_ids("byline:\"tobias greer\"", &[]),
        ids_where(|a| a.byline.to_lowercase().contains("tobias greer"))
    );
    // A byline is not story text: the reporter's name is in no body.
    assert!(all_ids("kinsella", &[]).is_empty());
}

#[test]
fn people_field() {
    let delgado = ids_where(|a| a.people.iter().any(|p| p == "Maria Delgado"));
    assert_eq!(delgado.len(), 13);
    assert_eq!(all_ids("people:delgado", &[]), delgado);
    assert_eq!(all_ids("people:\"maria delgado\"", &[]), delgado);
}

#[test]
fn site_field_quoted() {
    assert_eq!(
        all_ids("site:\"valleyherald.example\"", &[]),
        ids_where(|a| a.site() == "valleyherald.example")
    );
}

/// The README documents `site:morningledger.example` (unquoted) as the syntax.
#[test]
fn site_field_unquoted_as_documented() {
    assert_eq!(
        all_ids("site:valleyherald.example", &[]),
        ids_where(|a| a.site() == "valleyherald.example")
    );
    assert_eq!(
        all_ids("heatwave site:morningledger.example", &[]),
        strs(&["ml08", "ml10"])
    );
}

// ---------------------------------------------------------------------------------------
// filters, order, paging

#[test]
fn date_filters_are_inclusive() {
    let cases: [(Option<&str>, Option<&str>); 6] = [
        (Some("2023-01-01"), None),
        (None, Some("2019-12-31")),
        (Some("2021-01-01"), Some("2021-12-31")),
        // Both bounds fall on publication days (vh15 and bc11).
        (Some("2023-07-14"), Some("2023-09-12")),
        (Some("2019-11-13"), Some("2019-11-13")),
        (Some("2024-02-09"), None),
    ];
    for (since, until) in cases {
        let mut args = Vec::new();
        if let Some(s) = since {
            args.extend(["--since", s]);
        }
        if let Some(u) = until {
            args.extend(["--until", u]);
        }
        let expected = ids_where(|a| {
            since.is_none_or(|s| a.date.as_str() >= s) && until.is_none_or(|u| a.date.as_str() <= u)
        });
        assert_eq!(all_ids("", &args), expected, "{args:?}");
    }
    assert_eq!(
        all_ids("", &["--since", "2023-07-14", "--until", "2023-09-12"]).len(),
        3
    );
    assert_eq!(all_ids("", &["--since", "2023-01-01"]).len(), 11);
    assert_eq!(
        all_ids(
            "heatwave",
            &["--since", "2022-01-01", "--until", "2022-12-31"]
        ),
        strs(&["ml08", "ml10"])
    );
}

#[test]
fn section_filter_is_case_insensitive() {
    let expected = ids_where(|a| a.section == "Government & Economy");
    assert_eq!(expected.len(), 13);
    for name in [
        "Government & Economy",
        "government & economy",
        "GOVERNMENT & ECONOMY",
        "  Government &  Economy ",
    ] {
        assert_eq!(
            all_ids("", &["--section", name]),
            expected,
            "--section {name:?}"
        );
    }
    assert_eq!(
        all_ids("", &["--section", "sport"]),
        ids_where(|a| a.section == "Sport")
    );
    assert!(all_ids("", &["--section", "Weather"]).is_empty());
    // A section filter is exact: one word of a section name is not a section.
    assert!(all_ids("", &["--section", "government"]).is_empty());
}

#[test]
fn person_filter_full_name_any_case_and_surname() {
    let delgado = ids_where(|a| a.people.iter().any(|p| p == "Maria Delgado"));
    assert_eq!(delgado.len(), 13);
    for name in [
        "Maria Delgado",
        "maria delgado",
        "MARIA DELGADO",
        "Delgado",
        "delgado",
    ] {
        assert_eq!(
            all_ids("", &["--person", name]),
            delgado,
            "--person {name:?}"
        );
    }
    let menard = strs(&["bc01", "ml06", "vh10"]);
    for name in ["Zoë Ménard", "zoe menard", "Ménard"] {
        assert_eq!(
            all_ids("", &["--person", name]),
            menard,
            "--person {name:?}"
        );
    }
    // Repeated: all must appear.
    assert_eq!(
        all_ids("", &["--person", "Delgado", "--person", "Henrik Olsen"]),
        ids_where(|a| a.people.contains(&"Maria Delgado".into())
            && a.people.contains(&"Henrik Olsen".into()))
    );
    // With other filters and a query.
    assert_eq!(
        all_ids(
            "",
            &["--person", "Paul Whitcombe", "--section", "life & culture"]
        ),
        strs(&["bc01", "ml06"])
    );
    assert_eq!(
        all_ids("strike", &["--person", "Costa", "--since", "2021-04-01"]),
        strs(&["ml03", "ml13", "vh07"])
    );
    // Commenters are not story people.
    assert!(all_ids("", &["--person", "Bernadette Quayle"]).is_empty());
}

#[test]
fn site_filter() {
    let herald = ids_where(|a| a.site() == "valleyherald.example");
    assert_eq!(herald.len(), 15);
    for site in [
        "valleyherald.example",
        "www.valleyherald.example",
        "ValleyHerald.Example",
    ] {
        assert_eq!(all_ids("", &["--site", site]), herald, "--site {site:?}");
    }
    assert_eq!(
        all_ids("heatwave", &["--site", "valleyherald.example"]),
        strs(&["vh02", "vh15"])
    );
    assert!(all_ids("", &["--site", "nosuchsite.example"]).is_empty());
}

#[test]
fn combined_filters() {
    let expected = ids_where(|a| {
        a.section == "Sport"
            && a.site() == "valleyherald.example"
            && a.date.as_str() >= "2021-01-01"
    });
    assert_eq!(expected, strs(&["vh09", "vh12"]));
    assert_eq!(
        all_ids(
            "",
            &[
                "--section",
                "sport",
                "--site",
                "valleyherald.example",
                "--since",
                "2021-01-01"
            ]
        ),
        expected
    );
    assert_eq!(
        all_ids(
            "strike",
            &["--section", "government & economy", "--since", "2021-04-01"]
        ),
        strs(&["ml03"])
    );
    assert_eq!(
        all_ids(
            "united",
            &[
                "--section",
                "sport",
                "--until",
                "2020-12-31",
                "--site",
                "valleyherald.example"
            ]
        ),
        strs(&["vh01", "vh05"])
    );
}

#[test]
fn sort_by_date_is_newest_first() {
    let v = search(corpus_index(), "", &["--sort", "date", "-n", "100"]);
    assert_eq!(total(&v), 43);
    let dates: Vec<&str> = hits(&v)
        .iter()
        .map(|h| h["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates.len(), 43);
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    assert_eq!(ids(&v).first().map(String::as_str), Some("ml14"));
    assert_eq!(ids(&v).last().map(String::as_str), Some("bc01"));
    assert!(
        hits(&v).iter().all(|h| h["score"].is_null()),
        "score is null when sorted by date"
    );

    for q in ["interest rate", "heatwave", "united"] {
        let by_date = search(corpus_index(), q, &["--sort", "date", "-n", "100"]);
        let by_rel = search(corpus_index(), q, &["-n", "100"]);
        let dates: Vec<&str> = hits(&by_date)
            .iter()
            .map(|h| h["date"].as_str().unwrap())
            .collect();
        assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{q}: {dates:?}");
        assert_eq!(
            sorted(paths(&by_date)),
            sorted(paths(&by_rel)),
            "{q}: same hits in another order"
        );
    }
}

#[test]
fn paging_gives_consecutive_ranks() {
    let all = search(corpus_index(), "", &["--sort", "date", "-n", "100"]);
    let mut seen = Vec::new();
    for offset in (0..50).step_by(10) {
        let off = offset.to_string();
        let page = search(
            corpus_index(),
            "",
            &["--sort", "date", "-n", "10", "--offset", &off],
        );
        assert_eq!(total(&page), 43, "total does not depend on the page");
        let ranks: Vec<u64> = hits(&page)
            .iter()
            .map(|h| h["rank"].as_u64().unwrap())
            .collect();
        let expected: Vec<u64> = (offset + 1..=(offset + 10).min(43))
            .map(|r| r as u64)
            .collect();
        assert_eq!(ranks, expected, "offset {offset}");
        seen.extend(paths(&page));
    }
    assert_eq!(seen, paths(&all), "pages concatenate to the full list");

    let ten = search(corpus_index(), "water", &["-n", "10"]);
    let page = search(corpus_index(), "water", &["-n", "3", "--offset", "2"]);
    let ranks: Vec<u64> = hits(&page)
        .iter()
        .map(|h| h["rank"].as_u64().unwrap())
        .collect();
    assert_eq!(ranks, vec![3, 4, 5]);
    assert_eq!(paths(&page), paths(&ten)[2..5].to_vec());

    let past = search_run(corpus_index(), "", &["--offset", "100"]);
    let v = past.json();
    assert_eq!(total(&v), 43);
    assert!(hits(&v).is_empty());
}

// ---------------------------------------------------------------------------------------
// output

#[test]
fn highlights_slice_the_snippet_to_query_words() {
    let queries: [(&str, &[&str]); 6] = [
        ("interest rate", &["interest", "rate"]),
        ("cafe", &["cafe"]),
        ("strike", &["strike"]),
        ("heatwave", &["heatwave"]),
        ("reopens", &["reopens"]),
        ("\"port strike\"", &["port", "strike"]),
    ];
    for (q, terms) in queries {
        let v = search(corpus_index(), q, &["-n", "100"]);
        assert!(!hits(&v).is_empty(), "{q}");
        let mut highlighted = 0;
        for h in hits(&v) {
            let snippet = h["snippet"].as_str().unwrap();
            assert!(
                !snippet.trim().is_empty(),
                "{q}: empty snippet for {}",
                h["path"]
            );
            assert!(
                !snippet.contains('\n'),
                "{q}: newline in snippet {snippet:?}"
            );
            let chars: Vec<char> = snippet.chars().collect();
            let spans = h["highlights"].as_array().unwrap();
            if spans.is_empty() {
                // Only a title-only match may come without highlights (its snippet is the
                // story's opening).
                let title = fold(h["title"].as_str().unwrap());
                assert!(
                    terms.iter().any(|t| title.contains(&t[..t.len().min(5)])),
                    "{q}: no highlight in {} ({snippet:?})",
                    h["path"]
                );
            } else {
                highlighted += 1;
            }
            for span in spans {
                let (s, e) = (
                    span[0].as_u64().unwrap() as usize,
                    span[1].as_u64().unwrap() as usize,
                );
                assert!(
                    s < e && e <= chars.len(),
                    "{q}: span {s}..{e} outside {snippet:?}"
                );
                let word: String = chars[s..e].iter().collect();
                let before = s.checked_sub(1).map(|i| chars[i]);
                let after = chars.get(e).copied();
                assert!(
                    !before.is_some_and(char::is_alphanumeric)
                        && !after.is_some_and(char::is_alphanumeric),
                    "{q}: span {s}..{e} ({word:?}) is not a whole word of {snippet:?}"
                );
                let folded = fold(&word);
                let matches = terms.iter().any(|t| {
                    let stem: String = t
                        .chars()
                        .take(t.chars().count().saturating_sub(2).max(3))
                        .collect();
                    folded.starts_with(&stem)
                });
                assert!(
                    matches,
                    "{q}: highlighted {word:?} matches none of {terms:?} in {snippet:?}"
                );
            }
        }
        assert!(
            highlighted * 2 > hits(&v).len(),
            "{q}: most snippets show the matched words"
        );
    }
}

fn check_hit_shape(h: &Value, sorted_by_date: bool) {
    let keys: BTreeSet<&str> = h.as_object().unwrap().keys().map(String::as_str).collect();
    let expected: BTreeSet<&str> = [
        "rank",
        "score",
        "path",
        "url",
        "title",
        "date",
        "datetime",
        "section",
        "byline",
        "people",
        "snippet",
        "highlights",
    ]
    .into_iter()
    .collect();
    assert!(
        keys.is_superset(&expected),
        "missing {:?} in {h}",
        expected.difference(&keys)
    );
    assert!(h["rank"].as_u64().is_some_and(|r| r >= 1), "{h}");
    if sorted_by_date {
        assert!(h["score"].is_null(), "{h}");
    } else {
        assert!(h["score"].as_f64().is_some_and(|s| s > 0.0), "{h}");
    }
    let path = h["path"].as_str().unwrap();
    assert!(!path.is_empty() && !path.starts_with('/'), "{h}");
    assert!(
        h["url"].is_null() || h["url"].as_str().is_some_and(|u| u.starts_with("http")),
        "{h}"
    );
    assert!(
        h["title"].as_str().is_some_and(|t| !t.trim().is_empty()),
        "{h}"
    );
    match &h["date"] {
        Value::Null => {}
        Value::String(d) => {
            assert_eq!(d.len(), 10, "{h}");
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .unwrap_or_else(|e| panic!("date {d:?}: {e}"));
        }
        other => panic!("date is {other}"),
    }
    match &h["datetime"] {
        Value::Null => {}
        Value::String(dt) => {
            chrono::DateTime::parse_from_rfc3339(dt)
                .unwrap_or_else(|e| panic!("datetime {dt:?}: {e}"));
            let d = h["date"].as_str().expect("a datetime comes with a date");
            assert!(
                dt.starts_with(d),
                "datetime {dt} is not on the publisher's date {d}"
            );
        }
        other => panic!("datetime is {other}"),
    }
    assert!(h["section"].is_null() || h["section"].is_string(), "{h}");
    for list in ["byline", "people"] {
        assert!(
            h[list].as_array().unwrap().iter().all(Value::is_string),
            "{h}"
        );
    }
    assert!(h["snippet"].is_string(), "{h}");
    for span in h["highlights"].as_array().unwrap() {
        let span = span.as_array().unwrap();
        assert!(
            span.len() == 2 && span.iter().all(|n| n.as_u64().is_some()),
            "{h}"
        );
    }
}

#[test]
fn json_has_every_field() {
    let v = search(corpus_index(), "water", &["-n", "100", "--facets"]);
    let top: BTreeSet<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let expected: BTreeSet<&str> = ["facets", "hits", "query", "took_ms", "total", "total_exact"]
        .into_iter()
        .collect();
    assert!(top.is_superset(&expected), "{top:?}");
    assert_eq!(v["query"], "water");
    assert_eq!(v["total_exact"], true, "a small total is always exact");
    assert!(v["took_ms"].as_f64().is_some_and(|t| t >= 0.0));
    assert!(total(&v) >= 5);
    let mut ranks = Vec::new();
    for h in hits(&v) {
        check_hit_shape(h, false);
        ranks.push(h["rank"].as_u64().unwrap());
    }
    assert_eq!(ranks, (1..=hits(&v).len() as u64).collect::<Vec<_>>());
    let v = search(corpus_index(), "", &["-n", "100", "--sort", "date"]);
    assert!(v.get("facets").is_none(), "facets only with --facets");
    assert!(
        v.get("warnings").is_none(),
        "warnings only when there are some"
    );
    for h in hits(&v) {
        check_hit_shape(h, true);
    }
}

#[test]
fn stored_fields_match_the_corpus_readme() {
    let v = search(corpus_index(), "", &["-n", "100"]);
    assert_eq!(hits(&v).len(), 43);
    for h in hits(&v) {
        let path = h["path"].as_str().unwrap();
        let a = articles()
            .iter()
            .find(|a| a.path == path)
            .unwrap_or_else(|| panic!("{path} is not a corpus article"));
        assert_eq!(h["title"], a.title.as_str(), "{}", a.id);
        assert_eq!(h["date"], a.date.as_str(), "{}", a.id);
        assert_eq!(h["section"], a.section.as_str(), "{}", a.id);
        let url = h["url"].as_str().unwrap();
        assert!(
            url.starts_with(&format!("https://{}/", a.site())),
            "{}: {url}",
            a.id
        );
        for field in ["title", "snippet"] {
            assert!(
                !h[field].as_str().unwrap().contains('\u{fffd}'),
                "{}: U+FFFD in {field}",
                a.id
            );
        }
    }
}

#[test]
fn facets_count_sections_and_years() {
    let v = search(corpus_index(), "", &["--facets", "-n", "5"]);
    let facets = &v["facets"];
    let pairs = |name: &str| -> Vec<(String, u64)> {
        facets[name]
            .as_array()
            .unwrap_or_else(|| panic!("facets.{name} missing: {facets}"))
            .iter()
            .map(|p| (p[0].as_str().unwrap().to_string(), p[1].as_u64().unwrap()))
            .collect()
    };
    let sections: BTreeMap<String, u64> = pairs("section").into_iter().collect();
    let expected: BTreeMap<String, u64> = [
        ("Companies & Markets", 9),
        ("Government & Economy", 13),
        ("Life & Culture", 5),
        ("Sport", 7),
        ("Technology", 6),
        ("World", 3),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_string(), n))
    .collect();
    assert_eq!(sections, expected);
    assert!(sections.values().sum::<u64>() >= hits(&v).len() as u64);
    let years = pairs("year");
    let expected_years: Vec<(String, u64)> = [
        ("2019", 7),
        ("2020", 5),
        ("2021", 12),
        ("2022", 8),
        ("2023", 10),
        ("2024", 1),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_string(), n))
    .collect();
    assert_eq!(years, expected_years, "years, oldest first");

    // Facets follow the query and the filters.
    let v = search(corpus_index(), "nordvolt", &["--facets"]);
    let sections: BTreeMap<String, u64> = v["facets"]["section"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().to_string(), p[1].as_u64().unwrap()))
        .collect();
    assert!(sections.contains_key("Companies & Markets"), "{sections:?}");
    assert_eq!(sections.values().sum::<u64>(), total(&v));
    assert!(total(&v) >= hits(&v).len() as u64);
    let v = search(corpus_index(), "", &["--facets", "--section", "sport"]);
    assert_eq!(v["facets"]["section"], serde_json::json!([["Sport", 7]]));
    let years: u64 = v["facets"]["year"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[1].as_u64().unwrap())
        .sum();
    assert_eq!(years, 7);
}

#[test]
fn facets_count_people() {
    let v = search(corpus_index(), "", &["--facets"]);
    let people: Vec<(String, u64)> = v["facets"]["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().to_string(), p[1].as_u64().unwrap()))
        .collect();
    assert!(people.len() <= 10, "top 10 only: {people:?}");
    assert_eq!(
        people.iter().take(2).cloned().collect::<Vec<_>>(),
        vec![
            ("Paul Whitcombe".to_string(), 16),
            ("Maria Delgado".to_string(), 13)
        ],
        "{people:?}"
    );
    assert!(
        people.contains(&("Henrik Olsen".to_string(), 9)),
        "{people:?}"
    );
}

// ---------------------------------------------------------------------------------------
// boilerplate, special files, encodings

#[test]
fn sidebar_only_word_matches_nothing() {
    let r = search_run(corpus_index(), "zeppelinfest", &[]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let v = r.json();
    assert_eq!(total(&v), 0);
    assert!(hits(&v).is_empty());
    // Text output too.
    let r = run([
        "search".as_ref(),
        "--index".as_ref(),
        corpus_index().as_os_str(),
        "zeppelinfest".as_ref(),
    ]);
    assert_eq!(r.code, 1);
    assert!(!r.stdout.contains("zeppelinfest"));
    // Commenters and chrome are not indexed either.
    for q in [
        "\"Bernadette Quayle\"",
        "\"Silas Morrow\"",
        "\"subscribe now\"",
        "\"related stories\"",
    ] {
        assert_eq!(search_run(corpus_index(), q, &[]).code, 1, "{q}");
    }
}

#[test]
fn gzipped_page_is_searchable() {
    let a = article("ml05");
    assert!(a.path.ends_with(".html.gz"));
    let v = search(corpus_index(), "hackers breach", &[]);
    let h = &hits(&v)[0];
    assert_eq!(h["path"], a.path.as_str());
    assert_eq!(h["title"], "Hackers breach Alden Water treatment controls");
    assert_eq!(h["date"], "2021-06-04");
    assert_eq!(h["section"], "Technology");
    assert!(!h["url"].as_str().unwrap().ends_with(".gz"), "{}", h["url"]);
}

#[test]
fn extensionless_pages_are_searchable() {
    let v = search(
        corpus_index(),
        "",
        &["--site", "businesschronicle.example", "-n", "100"],
    );
    let got = paths(&v);
    assert_eq!(got.len(), 14);
    assert_eq!(got.iter().filter(|p| !has_ext(p)).count(), 12, "{got:?}");
    let v = search(corpus_index(), "rescue package small firms", &["-n", "1"]);
    let h = &hits(&v)[0];
    assert_eq!(h["path"], article("bc04").path.as_str());
    assert!(!has_ext(h["path"].as_str().unwrap()));
    assert_eq!(
        h["title"],
        "Delgado unveils £12bn rescue package for small firms"
    );
}

#[test]
fn windows_1252_pages_decode_and_fold_accents() {
    // "cafe" finds café, Café and cafés, on every site.
    let v = search(corpus_index(), "cafe", &["-n", "100"]);
    let mut got = ids(&v);
    got.sort();
    assert_eq!(
        got,
        strs(&["bc01", "ml06", "vh01", "vh02", "vh03", "vh09", "vh10", "vh15"])
    );
    for h in hits(&v) {
        let snippet = h["snippet"].as_str().unwrap();
        assert!(!snippet.contains('\u{fffd}'), "{snippet}");
        assert!(
            snippet.contains("café") || snippet.contains("Café") || snippet.contains("cafés"),
            "{}: {snippet}",
            h["path"]
        );
    }

    let v = search(corpus_index(), "crème brûlée", &["-n", "1"]);
    let h = &hits(&v)[0];
    assert_eq!(h["path"], article("vh10").path.as_str());
    let snippet = h["snippet"].as_str().unwrap();
    assert!(snippet.contains("crème brûlée"), "{snippet}");
    assert!(snippet.contains("“Tides”"), "curly quotes: {snippet}");
    assert!(snippet.contains("£3.80"), "pound sign: {snippet}");
    // Without accents, too.
    assert_eq!(
        paths(&search(corpus_index(), "creme brulee", &["-n", "1"])),
        vec![article("vh10").path.clone()]
    );

    // Curly apostrophes in titles.
    let v = search(corpus_index(), "late surge", &["-n", "1"]);
    assert_eq!(
        titles(&v),
        vec!["United’s late surge ends in play-off heartbreak".to_string()]
    );
    let v = search(corpus_index(), "bridge families truth", &["-n", "1"]);
    assert_eq!(
        titles(&v),
        vec!["Bridge families: ‘At last, the truth’".to_string()]
    );
}

// ---------------------------------------------------------------------------------------
// errors and odd input

#[test]
fn missing_index_exits_2_naming_the_path() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("no-such-index");
    let r = run([
        "search".as_ref(),
        "x".as_ref(),
        "--index".as_ref(),
        missing.as_os_str(),
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains(&*missing.to_string_lossy()),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(!r.crashed());

    let r = run(["search", "x", "--index", "/nonexistent"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("/nonexistent"), "{}", r.stderr);

    // A folder that holds no index.
    let r = run([
        "search".as_ref(),
        "x".as_ref(),
        "--index".as_ref(),
        tmp.path().as_os_str(),
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains(&*tmp.path().to_string_lossy()),
        "{}",
        r.stderr
    );
}

#[test]
fn bad_dates_exit_2_naming_the_value() {
    for (flag, value) in [
        ("--since", "2020-13-45"),
        ("--until", "yesterday"),
        ("--since", "2020/01/01"),
    ] {
        let r = search_run(corpus_index(), "strike", &[flag, value]);
        assert_eq!(r.code, 2, "{flag} {value}: {r:?}");
        assert!(r.stderr.contains(value), "{flag} {value}: {}", r.stderr);
        assert!(r.stdout.is_empty());
    }
    let r = search_run(
        corpus_index(),
        "strike",
        &["--since", "2023-01-01", "--until", "2022-01-01"],
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("2023-01-01") && r.stderr.contains("2022-01-01"),
        "{}",
        r.stderr
    );
}

/// README: "an unknown `field:` is searched as words, each with a warning on stderr; a query
/// never fails to parse".
#[test]
fn unknown_field_warns_clearly() {
    let r = run([
        "search".as_ref(),
        "--index".as_ref(),
        corpus_index().as_os_str(),
        "nosuchfield:x".as_ref(),
    ]);
    assert!(!r.crashed(), "{}", r.stderr);
    assert!(r.code == 0 || r.code == 1, "{r:?}");
    assert!(r.stderr.contains("nosuchfield"), "{}", r.stderr);
    assert!(r.stderr.contains("not a field"), "{}", r.stderr);
    assert!(
        r.stderr.contains("title"),
        "the message lists the fields: {}",
        r.stderr
    );
    let v = search(corpus_index(), "nosuchfield:x", &[]);
    let warnings = v["warnings"].as_array().expect("warnings in JSON");
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().unwrap().contains("nosuchfield")),
        "{warnings:?}"
    );
    // A known field in another case is still a field.
    assert_eq!(
        all_ids("TITLE:kingsferry", &[]),
        all_ids("title:kingsferry", &[])
    );
}

#[test]
fn unbalanced_quote_does_not_panic() {
    let r = run([
        "search".as_ref(),
        "--index".as_ref(),
        corpus_index().as_os_str(),
        "\"abc".as_ref(),
    ]);
    assert!(!r.crashed(), "{}", r.stderr);
    assert!(r.code == 0 || r.code == 1, "{r:?}");
    assert!(r.stderr.contains("unbalanced"), "{}", r.stderr);
    // The phrase is closed at the end.
    assert_eq!(
        all_ids("\"port strike", &[]),
        all_ids("\"port strike\"", &[])
    );
}

#[test]
fn odd_queries_never_panic() {
    let queries = [
        "(",
        ")",
        "(((",
        "\"",
        "\"\"",
        "\\",
        "*",
        "?",
        ":",
        "title:",
        "title:\"",
        "OR",
        "AND OR",
        "a:b:c",
        "NOT",
        "IN TO",
        "+",
        "-",
        "--",
        "--x",
        "~2",
        "^3",
        "field:[a TO b]",
        "<xon>",
        "U.S.",
        "G-7",
        "100%",
        "£35m",
        "émoji 🦀",
        "a\tb\nc",
        "strike^2",
        "strike~",
        "-\"port strike\"",
        "+strike",
        "((port) strike",
        "site:",
        "section:\"\"",
    ];
    for q in queries {
        let r = search_run(corpus_index(), q, &[]);
        assert!(!r.crashed(), "{q:?}: {}", r.stderr);
        assert!([0, 1, 2].contains(&r.code), "{q:?}: {r:?}");
        if r.code != 2 {
            r.json();
        } else {
            assert!(r.stderr.starts_with("gazette:"), "{q:?}: {}", r.stderr);
        }
    }
}

#[test]
fn only_excluded_words_is_an_error() {
    let r = search_run(corpus_index(), "-heatwave", &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("excluded"), "{}", r.stderr);
}

#[test]
fn empty_query_matches_everything() {
    assert_eq!(total(&search(corpus_index(), "", &[])), 43);
    assert_eq!(total(&search(corpus_index(), "*", &[])), 43);
}

// ---------------------------------------------------------------------------------------
// extract

fn extract_corpus() -> Vec<Value> {
    let r = run(["extract".as_ref(), corpus_dir().as_os_str()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.json_lines()
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                count_files(&e.path())
            } else {
                1
            }
        })
        .sum()
}

#[test]
fn extract_prints_one_object_per_file() {
    let lines = extract_corpus();
    assert_eq!(lines.len(), count_files(&corpus_dir()));
    assert_eq!(lines.len(), 59);
    let by_path: BTreeMap<String, &Value> = lines
        .iter()
        .map(|l| (l["path"].as_str().expect("path").to_string(), l))
        .collect();
    assert_eq!(by_path.len(), lines.len(), "one line per file");
    let kinds = |kind: &str| -> Vec<String> {
        lines
            .iter()
            .filter(|l| l["kind"] == kind)
            .map(|l| l["path"].as_str().unwrap().to_string())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    };
    assert_eq!(
        kinds("listing"),
        strs(&[
            "businesschronicle.example/index.html",
            "morningledger.example/index.html",
            "morningledger.example/world/index.html",
            "valleyherald.example/index.html",
        ])
    );
    let not_html = kinds("not_html");
    assert_eq!(not_html.len(), 12, "{not_html:?}");
    for p in [
        "README.md",
        "valleyherald.example/images/spacer.gif",
        "morningledger.example/static/app.js",
    ] {
        assert!(not_html.contains(&p.to_string()), "{p} in {not_html:?}");
    }
    for p in &not_html {
        assert!(
            by_path[p]["error"]
                .as_str()
                .is_some_and(|e| e.starts_with("not HTML")),
            "{}",
            by_path[p]
        );
    }
    let article_paths = kinds("article");
    assert_eq!(
        article_paths,
        sorted(articles().iter().map(|a| a.path.clone()).collect())
    );

    let keys: BTreeSet<&str> = [
        "path", "kind", "url", "site", "title", "date", "datetime", "section", "byline", "people",
        "lang", "body", "words",
    ]
    .into_iter()
    .collect();
    for a in articles() {
        let l = by_path[&a.path];
        let got: BTreeSet<&str> = l.as_object().unwrap().keys().map(String::as_str).collect();
        assert!(
            got.is_superset(&keys),
            "{}: missing {:?}",
            a.id,
            keys.difference(&got)
        );
        assert_eq!(l["title"], a.title.as_str(), "{}", a.id);
        assert_eq!(l["date"], a.date.as_str(), "{}", a.id);
        assert_eq!(l["section"], a.section.as_str(), "{}", a.id);
        assert_eq!(l["site"], a.site(), "{}", a.id);
        assert_eq!(l["lang"], "en", "{}", a.id);
        assert!(
            l["url"]
                .as_str()
                .unwrap()
                .starts_with(&format!("https://{}/", a.site())),
            "{}",
            a.id
        );
        if let Some(dt) = l["datetime"].as_str() {
            chrono::DateTime::parse_from_rfc3339(dt).unwrap();
            assert!(dt.starts_with(&a.date), "{}: {dt}", a.id);
        }
        let body = l["body"].as_str().unwrap();
        assert_eq!(
            l["words"].as_u64().unwrap() as usize,
            body.split_whitespace().count(),
            "{}",
            a.id
        );
        assert!(
            l["words"].as_u64().unwrap() >= 150,
            "{}: {} words",
            a.id,
            l["words"]
        );
        assert!(!body.contains('\u{fffd}'), "{}", a.id);
        assert!(l["byline"].as_array().unwrap().iter().all(Value::is_string));
    }
}

#[test]
fn extract_bylines_match_the_corpus_readme() {
    let lines = extract_corpus();
    let mut wrong = Vec::new();
    for a in articles() {
        // "By Gareth Pugh, Sports Editor" → Gareth Pugh; "TOBIAS GREER and RUTH KINSELLA" → both.
        let printed = a.byline.strip_prefix("By ").unwrap_or(&a.byline);
        let printed = printed.split(',').next().unwrap();
        if ["-", "Herald Staff", "STAFF REPORTER"].contains(&printed) {
            continue;
        }
        let expected: Vec<String> = printed
            .split(" and ")
            .map(|n| n.trim().to_lowercase())
            .collect();
        let l = lines.iter().find(|l| l["path"] == a.path.as_str()).unwrap();
        let got: Vec<String> = l["byline"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b.as_str().unwrap().to_lowercase())
            .collect();
        if got != expected {
            wrong.push(format!("{}: {got:?} != {expected:?}", a.id));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn extract_people_include_the_recurring_people() {
    let lines = extract_corpus();
    let mut missing = Vec::new();
    for a in articles() {
        let l = lines.iter().find(|l| l["path"] == a.path.as_str()).unwrap();
        let got: Vec<&str> = l["people"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        for p in &a.people {
            if !got.contains(&p.as_str()) {
                missing.push(format!("{}: {p} not in {got:?}", a.id));
            }
        }
        for commenter in ["Bernadette Quayle", "Silas Morrow"] {
            assert!(
                !got.contains(&commenter),
                "{}: commenter {commenter} in people",
                a.id
            );
        }
    }
    assert!(
        missing.is_empty(),
        "{} missing: {missing:#?}",
        missing.len()
    );
}

#[test]
fn extract_bodies_leave_the_chrome_out() {
    let lines = extract_corpus();
    for l in lines.iter().filter(|l| l["kind"] == "article") {
        let text = format!(
            "{}\n{}",
            l["title"].as_str().unwrap(),
            l["body"].as_str().unwrap()
        );
        for chrome in [
            "zeppelinfest",
            "Zeppelinfest",
            "Bernadette Quayle",
            "Silas Morrow",
            "GAZETTE NEWS SERVICE",
            "E-mail this story",
            "SUBSCRIBE NOW",
            "Related stories",
            "MOST READ",
        ] {
            assert!(
                !text.contains(chrome),
                "{}: {chrome:?} in the story text",
                l["path"]
            );
        }
    }
}

#[test]
fn extract_single_file_with_and_without_root() {
    let a = article("vh14");
    let file = corpus_dir().join(&a.path);
    let r = run([
        "extract".as_ref(),
        file.as_os_str(),
        "--root".as_ref(),
        corpus_dir().as_os_str(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines = r.json_lines();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["path"], a.path.as_str());
    assert_eq!(lines[0]["kind"], "article");
    assert_eq!(lines[0]["title"], "Bridge families: ‘At last, the truth’");
    assert_eq!(lines[0]["byline"], serde_json::json!(["Tom Greaves"]));
    let body = lines[0]["body"].as_str().unwrap();
    assert!(
        body.contains('“') && body.contains('”') && body.contains('£'),
        "{body}"
    );

    let r = run(["extract".as_ref(), file.as_os_str()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.json_lines()[0]["path"],
        "bridge-families-at-last-the-truth.html"
    );

    let gz = article("ml05");
    let r = run(["extract".as_ref(), corpus_dir().join(&gz.path).as_os_str()]);
    let l = &r.json_lines()[0];
    assert_eq!(l["kind"], "article");
    assert_eq!(l["title"], gz.title.as_str());
    assert_eq!(l["date"], "2021-06-04");
}

#[test]
fn extract_missing_path_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nothing-here.html");
    let r = run(["extract".as_ref(), missing.as_os_str()]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("nothing-here.html"), "{}", r.stderr);
}

#[test]
fn huge_limit_or_offset_does_not_crash() {
    // Paging past the end is not an error: no hits, the same total, exit code by the total.
    for args in [
        ["-n", "1000000000000"],
        ["--offset", "1000000000000"],
        ["-n", "18446744073709551615"],
        ["--offset", "18446744073709551615"],
    ] {
        let r = search_run(corpus_index(), "heatwave", &args);
        assert!(!r.crashed(), "{args:?}: exit {}\n{}", r.code, r.stderr);
        assert!(
            r.code == 0 || r.code == 2,
            "{args:?}: exit {}\n{}",
            r.code,
            r.stderr
        );
        if r.code == 0 {
            let v = r.json();
            assert_eq!(total(&v), 5, "{args:?}");
            if args[0] == "-n" {
                assert_eq!(hits(&v).len(), 5, "{args:?}");
            } else {
                assert!(hits(&v).is_empty(), "{args:?}");
            }
        } else {
            assert!(r.stderr.starts_with("gazette:"), "{args:?}: {}", r.stderr);
        }
    }
}

#[test]
fn index_errors_exit_2_naming_the_path() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("no-such-corpus");
    let r = run([
        "index".as_ref(),
        missing.as_os_str(),
        "--index".as_ref(),
        tmp.path().join("idx").as_os_str(),
        "-q".as_ref(),
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("no-such-corpus"), "{}", r.stderr);
    assert!(
        !tmp.path().join("idx").exists(),
        "no index is created for a missing corpus"
    );

    let file = corpus_dir().join("README.md");
    let r = run([
        "index".as_ref(),
        file.as_os_str(),
        "--index".as_ref(),
        tmp.path().join("idx").as_os_str(),
        "-q".as_ref(),
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("README.md"), "{}", r.stderr);
}

/// `gazette index --json | head -1`: a reader that goes away must not make gazette panic.
#[test]
fn closed_stdout_does_not_panic() {
    use std::process::Stdio;
    let tmp = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("gazette"));
    cmd.arg("index")
        .arg(corpus_dir())
        .arg("--index")
        .arg(tmp.path().join("idx"))
        .args(["--json", "-q"])
        .env_remove("GAZETTE_INDEX")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    // The summary is printed after indexing: by then nobody reads stdout any more.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(out.status.code(), Some(101), "{stderr}");
    // The index itself was written.
    assert_eq!(total(&search(&tmp.path().join("idx"), "", &[])), 43);
}

#[test]
fn totals_are_exact_below_the_counting_threshold_with_or_without_exact_total() {
    // 43 stories: far below the threshold, so every way of counting agrees and says so.
    for args in [&[][..], &["--exact-total"], &["--facets"], &["-n", "0"]] {
        let v = search(corpus_index(), "", args);
        assert_eq!(total(&v), 43, "{args:?}");
        assert_eq!(v["total_exact"], true, "{args:?}");
    }
    let human = run([
        "search".as_ref(),
        "water".as_ref(),
        "--index".as_ref(),
        corpus_index().as_os_str(),
    ]);
    assert!(
        human.stdout.contains("\n10 hits (showing 1-10)"),
        "{}",
        human.stdout
    );
    let summary = human.stdout.lines().last().unwrap_or_default();
    assert!(summary.starts_with("10 hits"), "{summary}");
}

#[test]
fn many_small_commits_under_a_tiny_segment_cap_still_index_everything() {
    // Commit every 2 documents: ~20 segments, enough for tantivy to merge, each merge capped
    // at 1 MB. Nothing may be lost or duplicated by the capped merges.
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("idx");
    let summary = index(
        &corpus_dir(),
        &idx,
        &["--commit-every", "2", "--max-segment-mb", "1"],
    );
    assert_eq!(summary["docs_in_index"], 43);
    assert_eq!(total(&search(&idx, "", &[])), 43);
}

/// `--exclude GLOB` leaves files out by name at any depth or by path, counted in the summary;
/// an invalid pattern is an error naming it.
#[test]
fn exclude_leaves_files_out() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    copy_tree(&corpus_dir(), &corpus);
    std::fs::write(
        corpus.join("truth.jsonl"),
        "{\"title\": \"Ledger of answers\", \"body\": \"A story body long enough to be indexed as an article, with words.\"}\n",
    )
    .unwrap();
    let all = index(&corpus, &tmp.path().join("all"), &[]);
    let some = index(
        &corpus,
        &tmp.path().join("some"),
        &[
            "--exclude",
            "truth.jsonl",
            "--exclude",
            "valleyherald.example/sport/**",
        ],
    );
    let excluded = some["skipped"]["excluded (--exclude)"].as_u64().unwrap();
    assert!(excluded >= 2, "{some:#}");
    assert!(
        some["docs_in_index"].as_u64().unwrap() + excluded - 1
            <= all["docs_in_index"].as_u64().unwrap(),
        "{some:#} {all:#}"
    );
    assert_eq!(
        total(&search(
            &tmp.path().join("some"),
            "\"Ledger of answers\"",
            &[]
        )),
        0
    );
    let r = run([
        "index".as_ref(),
        corpus.as_os_str(),
        "--index".as_ref(),
        tmp.path().join("bad").as_os_str(),
        "--exclude".as_ref(),
        "a[".as_ref(),
        "-q".as_ref(),
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("a["), "{}", r.stderr);
}

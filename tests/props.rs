//! Property tests: the stages a hostile page or query goes through never panic, and keep
//! their documented invariants, whatever the input.
//!
//! * `extract_html` on arbitrary strings and on HTML-ish soup (tags, attributes, entities,
//!   scripts, JSON-LD, deep nesting): no panic, and `words` is the body's word count.
//! * `load_bytes` and `decode_html` on arbitrary bytes: no panic.
//! * `query::rewrite` on any string: no panic, parentheses balanced and at most `MAX_DEPTH`
//!   deep, quotes paired, at most `MAX_TERMS` terms; and a real `Searcher` (over an index of
//!   the bundled corpus, built by the binary) never fails on the result except for the one
//!   documented error (a query of only excluded words).
//!
//! Case counts are kept small so the file runs in well under a minute in a debug build.
//! For a long soak, raise them all at once with proptest's environment variable:
//!
//! ```text
//! PROPTEST_CASES=100000 cargo test --release --test props
//! ```
//!
//! Failures are not persisted to files (the repository stays clean); proptest prints the
//! shrunk input, which is enough to write a regression test from.

use std::path::Path;

use gazette::discover::FileClass;
use gazette::extract::{self, Loaded};
use gazette::query::{self, MAX_DEPTH, MAX_TERMS};
use gazette::search::{Request, Searcher};
use proptest::prelude::*;
use proptest::test_runner::Config;

/// A config with `cases` cases (overridden by `PROPTEST_CASES`), no failure files, and a
/// bound on shrinking time.
fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        max_shrink_time: 60_000,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------------------
// Strategies.
// ---------------------------------------------------------------------------------------

/// Short arbitrary text, including control characters and any Unicode scalar.
fn any_text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(any::<char>(), 0..max).prop_map(|v| v.into_iter().collect()),
        proptest::string::string_regex(&format!("[ -~\\t\\n]{{0,{max}}}")).unwrap(),
    ]
}

/// Attribute values and text that a hostile page might carry.
fn attr_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("article".to_string()),
        Just("byline author".to_string()),
        Just("2020-02-30T25:61:00+99:00".to_string()),
        Just("2021-06-01T10:00:00Z".to_string()),
        Just("https://paper.example/world/2020/story.html".to_string()),
        Just("javascript:alert(1)".to_string()),
        Just("\"><script>x</script>".to_string()),
        any_text(20),
    ]
}

fn tag_name() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "html",
        "head",
        "body",
        "title",
        "meta",
        "link",
        "div",
        "p",
        "span",
        "a",
        "article",
        "main",
        "section",
        "header",
        "footer",
        "nav",
        "aside",
        "h1",
        "h2",
        "h3",
        "ul",
        "ol",
        "li",
        "table",
        "tr",
        "td",
        "th",
        "br",
        "hr",
        "img",
        "figure",
        "figcaption",
        "time",
        "address",
        "blockquote",
        "pre",
        "code",
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "svg",
        "math",
        "textarea",
        "select",
        "option",
        "form",
        "button",
        "frameset",
        "plaintext",
        "xmp",
        "b",
        "i",
        "em",
        "strong",
        "font",
        "center",
        "marquee",
        "x-custom",
    ])
}

fn attr_name() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "class",
        "id",
        "href",
        "rel",
        "name",
        "property",
        "content",
        "charset",
        "http-equiv",
        "itemprop",
        "datetime",
        "lang",
        "type",
        "hidden",
        "role",
        "style",
    ])
}

/// A JSON-LD blob, sometimes valid, sometimes broken, sometimes deeply nested.
fn json_ld() -> impl Strategy<Value = String> {
    (
        attr_value(),
        attr_value(),
        attr_value(),
        0usize..300,
        any::<bool>(),
    )
        .prop_map(|(headline, date, author, depth, broken)| {
            let nest = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
            let mut s = format!(
                "<script type=\"application/ld+json\">{{\"@context\":\"https://schema.org\",\
                 \"@type\":[\"NewsArticle\",\"x\"],\"headline\":{},\"datePublished\":{},\
                 \"author\":[{{\"@type\":\"Person\",\"name\":{}}},null,3],\"nested\":{nest}}}",
                serde_json::Value::String(headline),
                serde_json::Value::String(date),
                serde_json::Value::String(author),
            );
            if broken {
                let mut cut = s.len() / 2;
                while !s.is_char_boundary(cut) {
                    cut -= 1;
                }
                s.truncate(cut);
            }
            s.push_str("</script>");
            s
        })
}

/// One piece of HTML-ish soup.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (tag_name(), proptest::collection::vec((attr_name(), attr_value()), 0..3)).prop_map(
            |(t, attrs)| {
                let mut s = format!("<{t}");
                for (n, v) in attrs {
                    s.push_str(&format!(" {n}=\"{}\"", v.replace('"', "&quot;")));
                }
                s.push('>');
                s
            }
        ),
        3 => tag_name().prop_map(|t| format!("</{t}>")),
        4 => prop::sample::select(vec![
            "The council voted on Tuesday to approve the budget for the harbour.",
            "\u{201c}We are delighted,\u{201d} said Maria Delgado, the mayor.",
            "By Tobias Greer and Hannah Lowe",
            "Published 12 March 2019, 10:42",
            "31 February 2021",
            "Updated: yesterday",
            "Mr. J. R. R. Tolkien-Smith O'Neil said.",
            "Lorem ipsum dolor sit amet. ",
            "Le café était fermé — déjà vu.",
            "東京都の港湾で火曜日にストライキが始まった。",
            "مرحبا بالعالم",
        ]).prop_map(String::from),
        2 => prop::sample::select(vec![
            "&amp;", "&lt;", "&#0;", "&#x0;", "&#xD800;", "&#x110000;", "&#99999999999;",
            "&nbsp;", "&bogus;", "&", "&#", "&#x", "&AMP", "&notin;", "&NotANamedEntity",
        ]).prop_map(String::from),
        1 => prop::sample::select(vec![
            "<!--", "-->", "<!-- comment -->", "<![CDATA[", "]]>", "<!DOCTYPE html>",
            "<?xml version=\"1.0\"?>", "<", ">", "</", "/>", "<>", "</>", "<!", "<\0>", "\0",
            "\r\n", "\u{feff}", "\x1b[31m", "\u{202e}",
        ]).prop_map(String::from),
        1 => json_ld(),
        1 => (0usize..300, tag_name()).prop_map(|(n, t)| format!("<{t}>").repeat(n)),
        1 => (0usize..300, tag_name()).prop_map(|(n, t)| format!("</{t}>").repeat(n)),
        1 => any_text(40),
    ]
}

/// A page made of HTML-ish soup, sometimes wrapped in a plausible skeleton.
fn html_soup() -> impl Strategy<Value = String> {
    (proptest::collection::vec(fragment(), 0..60), any::<bool>()).prop_map(|(parts, wrap)| {
        let inner = parts.concat();
        if wrap {
            format!(
                "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Soup</title></head>\
                 <body><article><h1>Soup</h1>{inner}</article></body></html>"
            )
        } else {
            inner
        }
    })
}

/// Bytes: arbitrary, or arbitrary behind a byte-order mark or a charset declaration.
fn page_bytes() -> impl Strategy<Value = Vec<u8>> {
    let labels = prop::sample::select(vec![
        "utf-8",
        "UTF-16",
        "utf-16be",
        "windows-1252",
        "iso-8859-1",
        "shift_jis",
        "euc-jp",
        "iso-2022-jp",
        "gb18030",
        "big5",
        "koi8-r",
        "x-user-defined",
        "replacement",
        "utf-7",
        "",
        "\u{0}",
    ]);
    let prefix = prop_oneof![
        Just(Vec::new()),
        Just(vec![0xEF, 0xBB, 0xBF]),
        Just(vec![0xFF, 0xFE]),
        Just(vec![0xFE, 0xFF]),
        Just(b"<!DOCTYPE html><html><body><p>".to_vec()),
        labels.prop_map(
            |l| format!("<html><head><meta charset=\"{l}\"></head><body><p>").into_bytes()
        ),
    ];
    let body = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..2048),
        html_soup().prop_map(String::into_bytes),
        // Soup with arbitrary bytes spliced in.
        (
            html_soup(),
            proptest::collection::vec(any::<u8>(), 0..64),
            any::<prop::sample::Index>()
        )
            .prop_map(|(s, junk, at)| {
                let mut b = s.into_bytes();
                let i = at.index(b.len() + 1);
                b.splice(i..i, junk);
                b
            }),
    ];
    (prefix, body).prop_map(|(mut p, b)| {
        p.extend(b);
        p
    })
}

/// Query soup: words, operators, fields, quotes, parentheses, and junk, glued together with
/// or without spaces.
fn query_soup() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        4 => prop::sample::select(vec![
            "port", "strike", "rate", "rates", "bank", "Delgado", "council", "the", "a", "x",
            "NOT", "IN", "TO", "not", "in", "U.S.", "G-7", "£35m", "100%", "café", "🦀",
        ]).prop_map(String::from),
        3 => prop::sample::select(vec![
            "OR", "AND", "-", "+", "(", ")", "((", "))", "\"", "\"\"", ":", "*", "?", "~", "~2",
            "^", "^3", "\\", "[", "]", "{", "}", "TO", "/", "!", "&&", "||", "'", "`",
        ]).prop_map(String::from),
        2 => (prop::sample::select(vec![
            "title", "body", "people", "section", "site", "byline", "TITLE", "nosuch", "url",
            "date", "path", "", "a.b",
        ]), prop::sample::select(vec!["", "x", "port", "\"port strike\"", "\"", "(", "-x"]))
            .prop_map(|(f, v)| format!("{f}:{v}")),
        1 => any_text(12),
    ];
    let sep = prop::sample::select(vec!["", " ", " ", " ", "  ", "\t", "\n", "\u{3000}"]);
    proptest::collection::vec((sep, token), 0..40).prop_map(|v| {
        v.into_iter()
            .map(|(s, t)| format!("{s}{t}"))
            .collect::<String>()
    })
}

/// Many short words, some dotted or hyphenated, around the MAX_TERMS boundary.
fn many_words() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        3 => prop::sample::select(vec!["port", "strike", "w", "x1"]).prop_map(String::from),
        1 => proptest::collection::vec(prop::sample::select(vec!["u", "s", "a", "g", "7"]), 2..5)
            .prop_map(|p| p.join(".")),
        1 => proptest::collection::vec(prop::sample::select(vec!["g", "7", "k", "pop"]), 2..4)
            .prop_map(|p| p.join("-")),
    ];
    proptest::collection::vec(word, 200..320).prop_map(|v| v.join(" "))
}

// ---------------------------------------------------------------------------------------
// (a) extract_html.
// ---------------------------------------------------------------------------------------

fn check_article(html: &str) -> Result<(), TestCaseError> {
    let a = extract::extract_html(html, "x.example/a/b.html");
    prop_assert_eq!(a.words, a.body.split_whitespace().count());
    prop_assert_eq!(&a.path, "x.example/a/b.html");
    prop_assert!(matches!(
        a.kind,
        extract::Kind::Article | extract::Kind::Listing
    ));
    if let Some(d) = &a.date {
        prop_assert!(
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok(),
            "date {:?}",
            d
        );
    }
    Ok(())
}

#[test]
fn extract_html_never_panics_on_arbitrary_strings() {
    proptest!(config(256), |(s in any_text(400))| {
        check_article(&s)?;
    });
}

#[test]
fn extract_html_never_panics_on_html_soup() {
    proptest!(config(256), |(s in html_soup())| {
        check_article(&s)?;
    });
}

// ---------------------------------------------------------------------------------------
// (b) load_bytes and (c) decode_html.
// ---------------------------------------------------------------------------------------

#[test]
fn load_bytes_never_panics() {
    proptest!(config(256), |(bytes in page_bytes())| {
        for class in [FileClass::Html, FileClass::Sniff] {
            match extract::load_bytes(&bytes, "a.html", &class) {
                Loaded::Page(a) => {
                    prop_assert!(a.words > 0, "a page without words: {:?}", a);
                    prop_assert_eq!(a.words, a.body.split_whitespace().count());
                }
                Loaded::Skipped(_, _) => {}
            }
        }
    });
}

#[test]
fn decode_html_never_panics() {
    proptest!(config(512), |(bytes in page_bytes())| {
        let text = gazette::decode::decode_html(&bytes);
        // Valid UTF-8 that names no charset and has no BOM is taken as it is.
        if let Ok(s) = std::str::from_utf8(&bytes) {
            let head = &bytes[..bytes.len().min(4096)];
            let declares = head.to_ascii_lowercase().windows(7).any(|w| w == b"charset");
            let bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF])
                || bytes.starts_with(&[0xFF, 0xFE])
                || bytes.starts_with(&[0xFE, 0xFF]);
            if !declares && !bom {
                prop_assert_eq!(text, s);
            }
        }
    });
}

#[test]
fn decode_html_never_panics_on_raw_bytes() {
    proptest!(config(512), |(bytes in proptest::collection::vec(any::<u8>(), 0..4096))| {
        let _ = gazette::decode::decode_html(&bytes);
        let _ = gazette::decode::sniff_html(&bytes);
    });
}

// ---------------------------------------------------------------------------------------
// (d) query rewriting, and searching with the result.
// ---------------------------------------------------------------------------------------

/// The rewritten query's top-level tokens: split on whitespace outside double quotes.
fn tokens(q: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in q.chars() {
        if c == '"' {
            quoted = !quoted;
        }
        if c.is_whitespace() && !quoted {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn check_rewrite(input: &str) -> Result<query::Rewritten, TestCaseError> {
    let r = query::rewrite(input);
    let q = &r.query;
    prop_assert_eq!(
        q.matches('"').count() % 2,
        0,
        "unpaired quote in {:?} (from {:?})",
        q,
        input
    );
    let toks = tokens(q);
    let mut depth = 0usize;
    let mut deepest = 0usize;
    for t in &toks {
        match t.as_str() {
            // A sign may stand on a group: `-(port OR dock)`.
            "(" | "-(" | "+(" => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ")" => {
                prop_assert!(
                    depth > 0,
                    "')' before its '(' in {:?} (from {:?})",
                    q,
                    input
                );
                depth -= 1;
            }
            other => {
                // Parentheses only ever stand alone outside phrases.
                let outside: String = other.split('"').step_by(2).collect();
                prop_assert!(
                    !outside.contains('(') && !outside.contains(')'),
                    "stray parenthesis in token {:?} of {:?} (from {:?})",
                    other,
                    q,
                    input
                );
            }
        }
    }
    prop_assert_eq!(
        depth,
        0,
        "unbalanced parentheses in {:?} (from {:?})",
        q,
        input
    );
    prop_assert!(
        deepest <= MAX_DEPTH,
        "nesting {} > MAX_DEPTH in {:?}",
        deepest,
        q
    );
    let terms = toks
        .iter()
        .filter(|t| !matches!(t.as_str(), "(" | ")" | "OR" | "AND"))
        .count();
    prop_assert!(
        terms <= MAX_TERMS,
        "{} terms > MAX_TERMS ({}) in the rewrite of {:?}: {:?}; warnings {:?}",
        terms,
        MAX_TERMS,
        input,
        q,
        r.warnings
    );
    // Operators never dangle at either end.
    for end in [toks.first(), toks.last()].into_iter().flatten() {
        prop_assert!(end != "OR" && end != "AND", "dangling operator in {:?}", q);
    }
    Ok(r)
}

#[test]
fn rewrite_keeps_its_invariants_on_arbitrary_strings() {
    proptest!(config(2048), |(s in any_text(200))| {
        check_rewrite(&s)?;
    });
}

#[test]
fn rewrite_keeps_its_invariants_on_query_soup() {
    proptest!(config(2048), |(s in query_soup())| {
        check_rewrite(&s)?;
    });
}

#[test]
fn rewrite_keeps_its_invariants_on_deep_queries() {
    let deep = (0usize..40, 0usize..40, query_soup())
        .prop_map(|(open, close, mid)| format!("{}{mid}{}", "(".repeat(open), ")".repeat(close)));
    proptest!(config(256), |(s in deep)| {
        check_rewrite(&s)?;
    });
}

#[test]
fn rewrite_keeps_its_invariants_on_long_queries() {
    proptest!(config(128), |(s in many_words())| {
        check_rewrite(&s)?;
    });
}

/// The regression behind the property above, spelled out: each dotted word counts as one
/// term against MAX_TERMS but becomes several terms in the rewritten query.
#[test]
fn max_terms_bounds_dotted_words_too() {
    let input = "U.S.A ".repeat(MAX_TERMS);
    let r = query::rewrite(&input);
    let terms = tokens(&r.query).len();
    assert!(
        terms <= MAX_TERMS,
        "rewrite of {} dotted words kept {terms} terms (MAX_TERMS is {MAX_TERMS}), warnings {:?}",
        MAX_TERMS,
        r.warnings
    );
}

/// The index of the bundled corpus, built by the real binary.
fn corpus_searcher(tmp: &tempfile::TempDir) -> Searcher {
    let idx = tmp.path().join("index");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("index")
        .arg(&corpus)
        .arg("--index")
        .arg(&idx)
        .args(["-q", "--json"])
        .env_remove("GAZETTE_INDEX")
        .output()
        .expect("gazette runs");
    assert!(
        out.status.success(),
        "gazette index failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let searcher = Searcher::open(&idx).expect("the index opens");
    assert!(searcher.num_docs() > 0);
    searcher
}

/// Whether a rewritten query has a term that is not excluded (outside any phrase).
fn has_positive_term(rewritten: &str) -> bool {
    // Terms inside a `-( … )` group are excluded too.
    let mut negated = vec![false];
    let mut positive = false;
    for t in tokens(rewritten) {
        let inside = *negated.last().unwrap_or(&false);
        match t.as_str() {
            "-(" => negated.push(true),
            "(" | "+(" => negated.push(inside),
            ")" => {
                negated.pop();
            }
            "OR" | "AND" => {}
            term => positive |= !inside && !term.starts_with('-'),
        }
    }
    positive
}

fn check_search(searcher: &Searcher, s: &str) -> Result<(), TestCaseError> {
    let r = check_rewrite(s)?;
    let req = Request {
        query: s.to_string(),
        limit: 5,
        snippet_chars: 100,
        ..Default::default()
    };
    match searcher.search(&req) {
        Ok(res) => {
            prop_assert!(res.hits.len() <= 5);
            prop_assert!(res.hits.len() <= res.total);
            for h in &res.hits {
                let n = h.snippet.chars().count();
                for &[a, b] in &h.highlights {
                    prop_assert!(a <= b && b <= n, "highlight {:?} outside snippet", [a, b]);
                }
            }
        }
        Err(e) => {
            // The one documented error: a query of only excluded words.
            let msg = format!("{e:#}");
            prop_assert!(
                msg.contains("only excluded terms") && !has_positive_term(&r.query),
                "search {:?} (rewritten {:?}) failed: {}",
                s,
                r.query,
                msg
            );
        }
    }
    Ok(())
}

#[test]
fn search_never_fails_on_any_query() {
    let tmp = tempfile::tempdir().unwrap();
    let searcher = corpus_searcher(&tmp);
    proptest!(config(256), |(s in query_soup())| {
        check_search(&searcher, &s)?;
    });
    proptest!(config(128), |(s in any_text(120))| {
        check_search(&searcher, &s)?;
    });
    for s in [
        "",
        "OR AND -",
        "\"port strike",
        "((port",
        "port))",
        "nosuch:x",
        "( )",
        "+(",
        "title:\"\"",
        "-port strike",
        "(-port) strike",
    ] {
        check_search(&searcher, s).unwrap_or_else(|e| panic!("{s:?}: {e}"));
    }
}

/// A `-` (or `+`) before a group is either kept or warned about, never silently dropped:
/// dropping it turns "strike but not port" into "strike and port".
#[test]
fn negated_group_is_kept_or_warned() {
    for input in ["strike -(port)", "strike +(port OR rate)", "-(port strike)"] {
        let r = query::rewrite(input);
        let kept = r.query.contains("-(") || r.query.contains("+(");
        assert!(
            kept || !r.warnings.is_empty(),
            "{input:?} was rewritten to {:?} without its prefix and without a warning",
            r.query
        );
    }
}

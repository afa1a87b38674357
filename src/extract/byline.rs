//! Who wrote the story. Evidence: JSON-LD `author` (persons only), author `<meta>` tags,
//! byline elements (`rel=author`, `itemprop=author`, byline/author classes outside comments),
//! and "By X and Y" / "Reporting by X" lines near the headline or at the story's end. Names
//! are cleaned of "By", roles, agencies and e-mail addresses, and shouted names are put in
//! natural case.

use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use super::dom::{collapse_ws, Blocks};
use super::meta::{has_type, Meta};

static BYLINE_EL: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse(
        r#"[rel~="author"], [itemprop~="author"], [class*="byline" i], [class*="author-name" i], [class~="author" i], [data-testid*="byline" i]"#,
    )
    .expect("selector")
});

static NAME_PARTS: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("a, span, strong, b").expect("selector"));

static EMAIL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\S+@\S+\.\S+").expect("regex"));
static BY_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:additional\s+)?reporting|written|words|text|story|compiled|interview)?\s*by[:\s]+")
        .expect("regex")
});
static REPORTING_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\(?\s*(?:reporting|written|writing)\s+by\s+([^;()]+)").expect("regex")
});
static PARENS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\([^)]*\)").expect("regex"));
static SPLIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\s+and\s+|\s*[,;&|/]\s*|\s+with\s+").expect("regex"));

/// Words that mark a role or an organisation, not a person's name.
const NOT_NAMES: [&str; 40] = [
    "staff",
    "reporter",
    "reporters",
    "correspondent",
    "editor",
    "writer",
    "writers",
    "columnist",
    "contributor",
    "newsdesk",
    "desk",
    "team",
    "agency",
    "agencies",
    "reuters",
    "ap",
    "associated",
    "press",
    "afp",
    "bloomberg",
    "wire",
    "news",
    "service",
    "services",
    "bureau",
    "online",
    "media",
    "group",
    "updated",
    "published",
    "photographer",
    "analyst",
    "senior",
    "chief",
    "political",
    "business",
    "sports",
    "special",
    "times",
    "herald",
];

/// `<meta>` names of the author, in order of trust.
const AUTHOR_META: [&str; 10] = [
    "dc:creator",
    "dc.creator",
    "dcterms.creator",
    "dcterms:creator",
    "author",
    "article:author",
    "byl",
    "sailthru.author",
    "parsely-author",
    "article.author",
];

/// Whether `el` is the `itemprop=author` of an article in microdata (its nearest `itemscope`
/// ancestor is an Article/BlogPosting…): trusted even in an `<aside>` beside the story, since
/// comment authors belong to a Comment scope instead.
fn article_microdata_author(el: ElementRef<'_>) -> bool {
    if !el.value().attr("itemprop").is_some_and(|p| {
        p.split_ascii_whitespace()
            .any(|w| w.eq_ignore_ascii_case("author"))
    }) {
        return false;
    }
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().attr("itemscope").is_some())
        .and_then(|scope| scope.value().attr("itemtype"))
        .is_some_and(|t| {
            let t = t.rsplit('/').next().unwrap_or(t);
            t.ends_with("Article") || t.ends_with("Posting")
        })
}

/// The authors of the story, in order, without duplicates.
pub fn byline(
    doc: &Html,
    meta: &Meta,
    blocks: &Blocks,
    title_block: Option<usize>,
    story: &[usize],
) -> Vec<String> {
    let mut names = Vec::new();
    for article in meta.articles() {
        if let Some(author) = article.get("author").or_else(|| article.get("creator")) {
            ld_authors(author, &mut names);
        }
    }
    // Author meta tags, the first name that gives a person wins (Dublin Core first: pages
    // that carry it alongside a generic `author` fill it more carefully).
    for key in AUTHOR_META {
        if !names.is_empty() {
            break;
        }
        for v in meta.all(key) {
            if !v.starts_with("http") {
                push_declared_names(v, &mut names);
            }
        }
    }
    if names.is_empty() {
        for el in doc
            .select(&BYLINE_EL)
            .filter(|el| !blocks.in_foreign(*el) || article_microdata_author(*el))
        {
            let text = collapse_ws(&el.text().collect::<String>());
            if text.chars().count() <= 120 {
                push_names(&text, &mut names);
                if names.is_empty() {
                    // "Ben Silverman Games Editor": the name is usually marked up on its own
                    // (a link to the author page, a span).
                    for part in el.select(&NAME_PARTS) {
                        push_names(&collapse_ws(&part.text().collect::<String>()), &mut names);
                    }
                }
            }
            if !names.is_empty() {
                break;
            }
        }
    }
    if names.is_empty() {
        // "By X" just under the headline, or "Reporting by X" closing the story.
        let near = title_block.map_or(0..blocks.len().min(30), |t| {
            t + 1..(t + 8).min(blocks.len())
        });
        let tail = story.iter().rev().take(3).copied();
        let closing = story
            .last()
            .map_or(0..0, |&l| l + 1..(l + 4).min(blocks.len()));
        for i in near.chain(tail).chain(closing) {
            let b = &blocks[i];
            if b.foreign || b.text.chars().count() > 160 {
                continue;
            }
            push_line_names(&b.text, &mut names);
            if !names.is_empty() {
                break;
            }
        }
    }
    names
}

/// The names of a byline line written for readers: "By X and Y" or "Reporting by X; Editing
/// by Z" (only the reporters). Other lines add nothing. Shared by the HTML and text-dump
/// extractors so both read bylines the same way.
pub fn push_line_names(line: &str, out: &mut Vec<String>) {
    if let Some(c) = REPORTING_BY.captures(line) {
        push_names(&c[1], out);
    } else if BY_PREFIX.is_match(line) && line.to_lowercase().starts_with("by") {
        push_names(line, out);
    }
}

/// Names of JSON-LD authors that are persons (strings, Person objects, arrays of them).
fn ld_authors(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => push_declared_names(s, out),
        Value::Array(items) => items.iter().for_each(|i| ld_authors(i, out)),
        Value::Object(o) => {
            if has_type(v, &["Organization", "NewsMediaOrganization", "Corporation"]) {
                return;
            }
            if let Some(Value::String(name)) = o.get("name") {
                push_declared_names(name, out);
            }
        }
        _ => {}
    }
}

/// Cleans a byline string and appends the person names it holds.
pub fn push_names(raw: &str, out: &mut Vec<String>) {
    names_into(raw, out, false);
}

/// [`push_names`] for names the page declares as its author (JSON-LD, `<meta>`): there a
/// name in Chinese, Japanese or Korean script, written without spaces, is accepted too (on
/// the page itself such short words are as often labels: "留言", "人氣").
pub fn push_declared_names(raw: &str, out: &mut Vec<String>) {
    names_into(raw, out, true);
}

fn names_into(raw: &str, out: &mut Vec<String>, cjk: bool) {
    let text = EMAIL.replace_all(&collapse_ws(raw), "").to_string();
    let text = BY_PREFIX.replace(text.trim(), "").to_string();
    // Drop asides in parentheses, and what follows a pipe or dash ("Jane Doe | The Paper",
    // "Jane Doe - Staff").
    let text = PARENS.replace_all(&text, " ");
    let text = text
        .split(" | ")
        .next()
        .unwrap_or("")
        .split(" - ")
        .next()
        .unwrap_or("")
        .split(" – ")
        .next()
        .unwrap_or("");
    for part in SPLIT.split(text) {
        let part = part.trim().trim_matches(|c: char| !c.is_alphanumeric());
        let part = BY_PREFIX.replace(part, "");
        let part = part.trim();
        // "Jane Doe in Rome": keep the name.
        let part = part.split(" in ").next().unwrap_or(part);
        let words: Vec<&str> = part.split_whitespace().collect();
        if cjk && words.len() == 1 && cjk_name(words[0]) {
            let name = words[0].to_string();
            if !out.contains(&name) {
                out.push(name);
            }
            continue;
        }
        if !(2..=4).contains(&words.len())
            || words
                .iter()
                .any(|w| NOT_NAMES.contains(&w.to_lowercase().as_str()))
            || words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit()))
            || !words[0].chars().next().is_some_and(char::is_uppercase)
            || matches!(words[0].to_lowercase().as_str(), "the" | "a" | "an")
        {
            continue;
        }
        let name = natural_case(&words.join(" "));
        if !out.contains(&name) {
            out.push(name);
        }
    }
}

/// A name written in Chinese, Japanese or Korean script without spaces: two to four
/// characters ("王小明"), the length of a full personal name in those scripts.
fn cjk_name(word: &str) -> bool {
    let n = word.chars().count();
    (2..=4).contains(&n)
        && word.chars().all(|c| {
            matches!(c as u32,
                0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xAC00..=0xD7AF | 0x3040..=0x30FF | 0xF900..=0xFAFF)
        })
}

/// "PETER O'NEILL-MCDONALD" → "Peter O'Neill-McDonald"; names with lower case are kept.
pub fn natural_case(name: &str) -> String {
    if name.chars().any(char::is_lowercase) {
        return name.to_string();
    }
    let mut out = String::with_capacity(name.len());
    let mut start = true;
    for c in name.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphabetic();
        if out.ends_with("Mc") {
            start = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::dom::blocks;

    fn by(html: &str) -> Vec<String> {
        let doc = Html::parse_document(html);
        let meta = Meta::read(&doc);
        let b = blocks(&doc);
        let t = b.iter().position(|b| b.tag == "h1");
        let story = crate::extract::dom::story(&doc, &b, "");
        byline(&doc, &meta, &b, t, &story.paragraphs)
    }

    #[test]
    fn shouting_byline_with_role() {
        assert_eq!(
            by("<h1>Rates rise</h1><font><b>By PETER O'NEILL, Staff Reporter</b></font><p>The bank raised rates again, economists said on Thursday.</p>"),
            vec!["Peter O'Neill"]
        );
    }

    #[test]
    fn two_authors_and_emails() {
        assert_eq!(
            by("<h1>x</h1><div class='byline'>By Jane Doe (jane@paper.example) and John Roe | The Paper</div>"),
            vec!["Jane Doe", "John Roe"]
        );
    }

    #[test]
    fn dublin_core_author_wins_over_generic_author_meta() {
        let html = r#"<meta name="author" content="Webmaster Account"><meta name="DC.creator" content="Ines Varga">
            <meta property="dc:creator" content="Ines Varga">"#;
        assert_eq!(by(html), vec!["Ines Varga"]);
    }

    #[test]
    fn cjk_names_without_spaces() {
        assert_eq!(
            by(r#"<meta name="author" content="王小明">"#),
            vec!["王小明"]
        );
        let mut out = Vec::new();
        push_names("个人网站编辑部门", &mut out);
        assert!(out.is_empty(), "{out:?}");
        push_names("人氣", &mut out);
        assert!(out.is_empty(), "labels on the page are not names: {out:?}");
    }

    #[test]
    fn microdata_author_in_an_aside_of_the_article() {
        let html = "<article itemscope itemtype='http://schema.org/BlogPosting'><h1>Tide tables</h1>\
            <section><p>The harbour master published new tide tables on Monday, with changes for the spring.</p>\
            <p>Boats should check the times before leaving, she said, as the channel is shallow.</p></section>\
            <aside><p><span itemprop='author' itemscope itemtype='http://schema.org/Person'><span itemprop='name'>Ines Varga</span> —</span></p></aside>\
            </article><div class='comments'><div itemscope itemtype='http://schema.org/Comment'><span itemprop='author'>Tom Reader</span></div></div>";
        assert_eq!(by(html), vec!["Ines Varga"]);
    }

    #[test]
    fn name_marked_up_inside_a_byline_with_a_role() {
        let html = "<h1>Rhythm games return</h1><div class='author'><a href='/author/ines-varga'>Ines Varga</a> Games Editor</div>\
            <p>Rhythm games are back, and this year's crop is the strangest yet, our editor writes.</p>";
        assert_eq!(by(html), vec!["Ines Varga"]);
        let mut out = Vec::new();
        push_names("By Ines (I.V.) Varga", &mut out);
        assert_eq!(out, vec!["Ines Varga"]);
    }

    #[test]
    fn jsonld_person_not_organisation() {
        let html = r#"<script type="application/ld+json">{"@type":"NewsArticle","author":[
            {"@type":"Person","name":"Ana Lima"},{"@type":"Organization","name":"Newsdesk"}]}</script>"#;
        assert_eq!(by(html), vec!["Ana Lima"]);
        let org = r#"<script type="application/ld+json">{"@type":"NewsArticle","author":{"@type":"Organization","name":"Newsdesk"}}</script>"#;
        assert!(by(org).is_empty());
    }

    #[test]
    fn reporting_by_at_the_end_and_comment_authors_ignored() {
        let html = "<h1>Talks</h1><div class='story'><p>Talks resumed on Sunday, officials said, after a week of delays in the capital.</p>\
            <p class='credits'>Reporting by Kurt Meyer; Editing by Ann Bell</p></div>\
            <section class='comments'><span class='author'>Tom Reader</span><p>Nice.</p></section>";
        assert_eq!(by(html), vec!["Kurt Meyer"]);
    }
}

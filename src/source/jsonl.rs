//! JSON Lines archives: one article per line, as news-please, CC-News dumps, newspaper
//! libraries, CMS exports and `gazette export --format jsonl` write them.
//!
//! Every tool names its fields differently (`title`/`headline`, `text`/`maintext`/`body`/
//! `content`, `date_publish`/`published`/`date`, `authors`/`author`, `section`/`category`…),
//! so each gazette field has a list of common names, tried in order ([`FieldMap::default`]);
//! `--field title=headline.main` names another (dotted names reach into objects). A body that
//! is HTML (a whole page, or a CMS's `<p>` fragment) goes through the HTML extractor, so its
//! story text and, where the line names none, its date, section, byline and people are found
//! as for a saved page. Lines are read with a length cap and parsed independently: a bad line
//! is reported with its number and the rest of the file is read.
//!
//! Document keys: the `url` when the line has one (so a second export of the same stories
//! replaces them instead of adding copies), else `file:line`.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use anyhow::{bail, Context};
use serde_json::Value;

use crate::extract::dates::{parse_date_value, PageDate};
use crate::extract::{self, Article, Kind, Loaded, Skip};

/// The gazette fields a JSON Lines document can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Headline.
    Title,
    /// Story text (plain, or HTML).
    Body,
    /// Publication date (any common date form, or epoch seconds/milliseconds).
    Date,
    /// Canonical URL (also the document key).
    Url,
    /// Authors: a string, a list of strings, or a list of `{"name": …}` objects.
    Byline,
    /// Section or category (the first, when a list).
    Section,
    /// Persons named (when absent, found in the body as for pages).
    People,
    /// Language code (when absent, detected from the body).
    Lang,
    /// Host name (when absent, taken from the URL).
    Site,
    /// `article` or `listing` (gazette's own export carries it).
    Kind,
}

impl Target {
    const ALL: [(Target, &'static str); 10] = [
        (Target::Title, "title"),
        (Target::Body, "body"),
        (Target::Date, "date"),
        (Target::Url, "url"),
        (Target::Byline, "byline"),
        (Target::Section, "section"),
        (Target::People, "people"),
        (Target::Lang, "lang"),
        (Target::Site, "site"),
        (Target::Kind, "kind"),
    ];

    fn from_name(name: &str) -> Option<Target> {
        let name = match name {
            "text" | "content" => "body",
            "author" | "authors" => "byline",
            "category" => "section",
            "language" => "lang",
            other => other,
        };
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(t, _)| *t)
    }

    /// The names tried, in order, when the user names none: those of news-please, CC-News,
    /// common CMS and newspaper-library exports, schema.org, and gazette's own format.
    fn default_names(self) -> &'static [&'static str] {
        match self {
            Target::Title => &["title", "headline", "name"],
            Target::Body => &[
                "body",
                "maintext",
                "text",
                "content",
                "articleBody",
                "article",
                "html",
                "raw_html",
            ],
            // gazette's `datetime` keeps the time and offset its `date` (the day) drops.
            Target::Date => &[
                "datetime",
                "date_publish",
                "datePublished",
                "published",
                "published_at",
                "publish_date",
                "date_published",
                "pubDate",
                "pub_date",
                "date",
            ],
            Target::Url => &["url", "canonical_url", "link", "source_url", "uri"],
            Target::Byline => &["byline", "authors", "author", "creator", "creators"],
            Target::Section => &["section", "category", "categories", "section_name", "desk"],
            Target::People => &["people", "persons"],
            Target::Lang => &["lang", "language"],
            Target::Site => &["site", "source_domain", "domain"],
            Target::Kind => &["kind"],
        }
    }
}

/// Which JSON names fill which gazette field: the defaults, with the user's overrides first.
#[derive(Debug, Clone, Default)]
pub struct FieldMap {
    overrides: Vec<(Target, Vec<String>)>,
}

impl FieldMap {
    /// Reads `--field` values: `gazette_field=json_name` (the JSON name may be dotted, for
    /// nested objects: `title=headline.main`).
    pub fn parse(specs: &[String]) -> anyhow::Result<FieldMap> {
        let mut map = FieldMap::default();
        for spec in specs {
            let Some((field, name)) = spec.split_once('=') else {
                bail!("--field {spec:?}: write FIELD=NAME, e.g. --field title=headline");
            };
            let (field, name) = (field.trim(), name.trim());
            let Some(target) = Target::from_name(&field.to_ascii_lowercase()) else {
                let known: Vec<&str> = Target::ALL.iter().map(|(_, n)| *n).collect();
                bail!(
                    "--field {spec:?}: {field:?} is not a gazette field (one of {})",
                    known.join(", ")
                );
            };
            if name.is_empty() {
                bail!("--field {spec:?}: the JSON name is empty");
            }
            map.overrides
                .push((target, name.split('.').map(String::from).collect()));
        }
        Ok(map)
    }

    /// The first value the document has for `target`: an override, else a default name.
    fn get<'a>(&self, obj: &'a Value, target: Target) -> Option<&'a Value> {
        let present = |v: &&Value| !v.is_null() && v.as_str().is_none_or(|s| !s.trim().is_empty());
        for (t, path) in &self.overrides {
            if *t == target {
                let mut v = obj;
                for part in path {
                    v = v.get(part)?;
                }
                return Some(v).filter(present);
            }
        }
        target
            .default_names()
            .iter()
            .filter_map(|n| obj.get(*n))
            .find(present)
    }
}

/// A line as gazette fields, before extraction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mapped {
    /// Headline.
    pub title: Option<String>,
    /// Body text or HTML.
    pub body: Option<String>,
    /// Publication date.
    pub date: Option<PageDate>,
    /// URL.
    pub url: Option<String>,
    /// Authors.
    pub byline: Vec<String>,
    /// Section.
    pub section: Option<String>,
    /// Persons, when the line lists them.
    pub people: Option<Vec<String>>,
    /// Language code.
    pub lang: Option<String>,
    /// Host name.
    pub site: Option<String>,
    /// The line says it is a listing.
    pub listing: bool,
}

/// Parses one line into gazette fields; the error says what is wrong with it.
pub fn parse_line(line: &[u8], map: &FieldMap) -> Result<Mapped, String> {
    let value: Value = serde_json::from_slice(line).map_err(|e| format!("not JSON: {e}"))?;
    if !value.is_object() {
        return Err("not a JSON object".into());
    }
    let text = |t: Target| map.get(&value, t).and_then(first_text);
    let list = |t: Target| map.get(&value, t).map(texts).unwrap_or_default();
    let date = match map.get(&value, Target::Date) {
        None => None,
        Some(Value::Number(n)) => parse_date_value(&n.to_string()),
        Some(v) => {
            let s = first_text(v).unwrap_or_default();
            Some(parse_date_value(&s).ok_or_else(|| format!("date {s:?} is not a date"))?)
        }
    };
    let mapped = Mapped {
        title: text(Target::Title),
        body: text(Target::Body),
        date,
        url: text(Target::Url).filter(|u| u.contains("://")),
        byline: list(Target::Byline),
        section: text(Target::Section),
        people: map.get(&value, Target::People).map(texts),
        lang: text(Target::Lang),
        site: text(Target::Site),
        listing: text(Target::Kind).is_some_and(|k| k.eq_ignore_ascii_case("listing")),
    };
    if mapped.title.is_none() && mapped.body.is_none() {
        return Err("no title and no body (name them with --field title=… --field body=…)".into());
    }
    Ok(mapped)
}

/// A string, a number, the first of a list, or an object's `name`/`value`.
fn first_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(a) => a.iter().find_map(first_text),
        Value::Object(o) => ["name", "value", "text", "main"]
            .iter()
            .find_map(|k| o.get(*k).and_then(first_text)),
        _ => None,
    }
}

/// Every text of a value: a list's items, or a single text; `"A and B"`/`"A, B"` stay one
/// string (bylines are split as the page extractor does, see [`extract::byline`]).
fn texts(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().filter_map(first_text).collect(),
        other => first_text(other).into_iter().collect(),
    }
}

/// Whether a body is HTML: a whole page, or a fragment with paragraph or block tags.
fn is_html(body: &str) -> bool {
    if crate::decode::sniff_html(body.as_bytes()) {
        return true;
    }
    let mut cut = body.len().min(4096);
    while !body.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &body[..cut];
    let lower = head.to_ascii_lowercase();
    ["<p>", "<p ", "</p>", "<br", "<div", "<h2", "<li>"]
        .iter()
        .filter(|t| lower.contains(*t))
        .count()
        >= 1
        && lower.matches('<').count() >= 2
}

/// The article of a mapped line. `key` is its document key. An HTML body is extracted as a
/// page; fields the line names win over what the page says.
pub fn to_article(m: Mapped, key: &str) -> Article {
    let body = m.body.unwrap_or_default();
    let mut a = if is_html(&body) {
        let html = if crate::decode::sniff_html(body.as_bytes()) {
            body
        } else {
            format!("<html><body><article>{body}</article></body></html>")
        };
        extract::extract_html(&html, key)
    } else {
        let paragraphs = paragraphs(&body);
        let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
        let body = paragraphs.join("\n\n");
        Article {
            path: key.to_string(),
            page_title: None,
            kind: Kind::Article,
            url: None,
            site: None,
            title: String::new(),
            published: None,
            date: None,
            datetime: None,
            section: None,
            byline: Vec::new(),
            people: extract::people::people_in(&refs),
            lang: extract::detect_language(&body),
            words: body.split_whitespace().count(),
            body,
        }
    };
    a.path = key.to_string();
    if let Some(t) = m.title {
        a.title = t;
    }
    if let Some(d) = m.date {
        a.published = Some(d);
    }
    a.date = a.published.map(|p| p.date.format("%Y-%m-%d").to_string());
    a.datetime = a.published.and_then(|p| p.rfc3339());
    if m.url.is_some() {
        a.url = m.url;
    }
    a.site = m
        .site
        .or_else(|| a.url.as_deref().and_then(extract::host))
        .or(a.site);
    if m.section.is_some() {
        a.section = m.section;
    }
    if !m.byline.is_empty() {
        a.byline = m.byline;
    }
    if let Some(p) = m.people {
        a.people = p;
    }
    if m.lang.is_some() {
        a.lang = m.lang;
    }
    a.kind = if m.listing { Kind::Listing } else { Kind::Article };
    a
}

/// Story paragraphs of plain text: blank-line separated blocks, or single lines when the text
/// has no blank lines; whitespace inside a paragraph collapsed.
fn paragraphs(body: &str) -> Vec<String> {
    let body = body.replace("\r\n", "\n");
    let blocks: Vec<&str> = if body.contains("\n\n") {
        body.split("\n\n").collect()
    } else {
        body.split('\n').collect()
    };
    blocks
        .into_iter()
        .map(|b| b.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

/// The outcome of one line, as for a page file: the article, or why there is none (a bad
/// line, a listing, no text). `bytes` is `None` for a line over the length cap.
pub fn load_line(bytes: Option<&[u8]>, rel: &str, number: u64, map: &FieldMap) -> Loaded {
    let Some(bytes) = bytes else {
        return Loaded::Skipped(Skip::BadLine("longer than --max-file-size".into()), None);
    };
    let mapped = match parse_line(bytes, map) {
        Ok(m) => m,
        Err(why) => return Loaded::Skipped(Skip::BadLine(why), None),
    };
    let key = key_of(&mapped, rel, number);
    let article = Box::new(to_article(mapped, &key));
    if article.kind == Kind::Listing {
        Loaded::Skipped(Skip::Listing, Some(article))
    } else if article.words == 0 {
        Loaded::Skipped(Skip::NoText, Some(article))
    } else {
        Loaded::Page(article)
    }
}

/// Where a line is, for messages: `file:line`.
pub fn origin(rel: &str, number: u64) -> String {
    format!("{rel}:{number}")
}

/// Whether a file name is a JSON Lines archive (`.jsonl`, `.ndjson`, optionally `.gz`).
pub fn is_jsonl_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let inner = name.strip_suffix(".gz").unwrap_or(&name);
    inner.ends_with(".jsonl") || inner.ends_with(".ndjson")
}

/// One line of a JSON Lines file, as read.
#[derive(Debug)]
pub struct Line {
    /// 1-based line number.
    pub number: u64,
    /// The bytes, without the newline; `None` when the line was longer than the cap.
    pub bytes: Option<Vec<u8>>,
}

/// The key of the document on line `number` of `rel`: its URL, else `rel:number`.
pub fn key_of(m: &Mapped, rel: &str, number: u64) -> String {
    m.url.clone().unwrap_or_else(|| origin(rel, number))
}

/// Streams the non-blank lines of a JSON Lines file (gunzipping `.gz`), each at most
/// `max_line` bytes (longer lines come as `bytes: None`, never held whole in memory).
pub fn read_lines(
    path: &Path,
    max_line: u64,
    sink: &mut dyn FnMut(Line) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let gz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    let inner: Box<dyn Read> = if gz {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut reader = BufReader::with_capacity(1 << 20, inner);
    let mut number = 0u64;
    let mut buf = Vec::new();
    let mut too_long = false;
    loop {
        let chunk = reader
            .fill_buf()
            .with_context(|| format!("cannot read {}", path.display()))?;
        if chunk.is_empty() {
            break;
        }
        let (part, end) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (&chunk[..i], Some(i + 1)),
            None => (chunk, None),
        };
        if !too_long {
            if (buf.len() + part.len()) as u64 > max_line {
                too_long = true;
                buf = Vec::new();
            } else {
                buf.extend_from_slice(part);
            }
        }
        let used = end.unwrap_or(chunk.len());
        reader.consume(used);
        if end.is_some() {
            number += 1;
            emit(number, &mut buf, &mut too_long, sink)?;
        }
    }
    if !buf.is_empty() || too_long {
        number += 1;
        emit(number, &mut buf, &mut too_long, sink)?;
    }
    Ok(())
}

fn emit(
    number: u64,
    buf: &mut Vec<u8>,
    too_long: &mut bool,
    sink: &mut dyn FnMut(Line) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let line = if std::mem::take(too_long) {
        Some(Line {
            number,
            bytes: None,
        })
    } else if buf.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        Some(Line {
            number,
            bytes: Some(buf.clone()),
        })
    };
    buf.clear();
    match line {
        Some(l) => sink(l),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Mapped {
        parse_line(line.as_bytes(), &FieldMap::default()).unwrap()
    }

    #[test]
    fn news_please_names_are_mapped() {
        let m = parse(
            r#"{"title": "Port strike ends", "maintext": "Dock workers returned on Monday.", "date_publish": "2019-11-13 06:42:00", "url": "https://p.example/a", "authors": ["Ann Lee", "Bo Chen"], "language": "en", "source_domain": "p.example"}"#,
        );
        assert_eq!(m.title.as_deref(), Some("Port strike ends"));
        assert_eq!(m.body.as_deref(), Some("Dock workers returned on Monday."));
        assert_eq!(m.date.unwrap().date.to_string(), "2019-11-13");
        assert_eq!(m.byline, ["Ann Lee", "Bo Chen"]);
        assert_eq!(m.lang.as_deref(), Some("en"));
        assert_eq!(m.site.as_deref(), Some("p.example"));
    }

    #[test]
    fn cms_names_and_overrides() {
        let m = parse(
            r#"{"headline": "Budget passed", "content": "The council voted.", "published": 1573627320, "category": ["Politics", "Local"], "author": {"name": "Dee Fox"}}"#,
        );
        assert_eq!(m.title.as_deref(), Some("Budget passed"));
        assert_eq!(m.section.as_deref(), Some("Politics"));
        assert_eq!(m.byline, ["Dee Fox"]);
        assert_eq!(m.date.unwrap().date.to_string(), "2019-11-13");
        let map = FieldMap::parse(&["title=hl.main".into(), "body=copy".into()]).unwrap();
        let m = parse_line(
            br#"{"hl": {"main": "Nested headline"}, "title": "ignored", "copy": "Text here."}"#,
            &map,
        )
        .unwrap();
        assert_eq!(m.title.as_deref(), Some("Nested headline"));
        assert_eq!(m.body.as_deref(), Some("Text here."));
    }

    #[test]
    fn bad_lines_and_bad_overrides_say_why() {
        let map = FieldMap::default();
        assert!(parse_line(b"{\"title\": ", &map).unwrap_err().contains("not JSON"));
        assert!(parse_line(b"[1,2]", &map).unwrap_err().contains("object"));
        assert!(parse_line(b"{\"x\": 1}", &map).unwrap_err().contains("no title"));
        assert!(parse_line(br#"{"title": "t", "date": "someday"}"#, &map)
            .unwrap_err()
            .contains("not a date"));
        assert!(FieldMap::parse(&["headline".into()]).is_err());
        assert!(FieldMap::parse(&["colour=x".into()]).is_err());
    }

    #[test]
    fn html_bodies_go_through_the_extractor() {
        let m = parse(
            r#"{"title": "Harbour plan", "body": "<p>The harbour board approved the plan on Tuesday after a long debate.</p><p>Work starts next spring, said Maria Delgado, the board chair.</p>", "url": "https://www.p.example/x"}"#,
        );
        let a = to_article(m, "https://www.p.example/x");
        assert!(!a.body.contains('<'), "{}", a.body);
        assert!(a.body.contains("harbour board approved"));
        assert_eq!(a.title, "Harbour plan");
        assert_eq!(a.site.as_deref(), Some("p.example"));
    }

    #[test]
    fn plain_bodies_become_paragraphs_with_people() {
        let m = parse(
            r#"{"title": "Vote", "text": "The council met on Monday.\n\nMaria Delgado, the finance minister, said the budget was fair.", "date": "2020-03-01T10:00:00+01:00"}"#,
        );
        let a = to_article(m, "f.jsonl:1");
        assert_eq!(a.body.split("\n\n").count(), 2);
        assert_eq!(a.people, ["Maria Delgado"]);
        assert_eq!(a.datetime.as_deref(), Some("2020-03-01T10:00:00+01:00"));
        assert_eq!(a.date.as_deref(), Some("2020-03-01"));
        assert_eq!(a.words, a.body.split_whitespace().count());
    }

    #[test]
    fn long_lines_are_capped_and_numbered() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.jsonl");
        let long = "x".repeat(5000);
        std::fs::write(&p, format!("{{\"a\":1}}\n\n{long}\n{{\"b\":2}}")).unwrap();
        let mut seen = Vec::new();
        read_lines(&p, 1000, &mut |l| {
            seen.push((l.number, l.bytes.map(|b| b.len())));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, [(1, Some(7)), (3, None), (4, Some(7))]);
    }

    #[test]
    fn names() {
        assert!(is_jsonl_name("x.jsonl"));
        assert!(is_jsonl_name("X.NDJSON.gz"));
        assert!(!is_jsonl_name("x.json"));
    }
}

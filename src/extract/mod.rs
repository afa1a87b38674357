//! What a news page means: title, story text, date, section, byline, people, language.
//!
//! [`extract_html`] parses a page once and hands the parsed tree to one module per field, so a
//! newcomer finds each rule where its name says: [`date`] (which date is the publication
//! date) with [`dates`] (reading date strings), [`section`], [`byline`], [`people`],
//! [`title`], and [`dom`] for the story text and the chrome around it. [`text`] reads the same
//! fields from plain-text page dumps. [`load`] is the single entry point that both
//! `gazette index` and `gazette extract` use.

pub mod byline;
pub mod date;
pub mod dates;
pub mod dom;
pub mod meta;
pub mod people;
pub mod section;
pub mod text;
pub mod title;

use std::path::Path;

use chrono::{DateTime, Utc};
use scraper::Html;
use serde::Serialize;

use crate::decode::{self, DecodeError};
use crate::discover::FileClass;
use dates::PageDate;
use meta::Meta;

/// What kind of page a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A story: indexed.
    Article,
    /// A front page or section index (lists of headlines, no story): not indexed by default.
    Listing,
    /// Not an HTML page at all.
    NotHtml,
    /// Could not be read.
    Error,
}

/// Everything gazette knows about one page; exactly what the index stores.
#[derive(Debug, Clone, Serialize)]
pub struct Article {
    /// Path relative to the corpus root, `/`-separated: the document key.
    pub path: String,
    /// Article, listing, or why not.
    pub kind: Kind,
    /// Canonical URL when the page names one, else one derived from a mirror's `host/path`.
    pub url: Option<String>,
    /// Host name of the URL (without `www.`).
    pub site: Option<String>,
    /// Headline without the site name.
    pub title: String,
    /// The page's whole `<title>` text, site name included: indexed so a pasted tab title
    /// finds its page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_title: Option<String>,
    /// Publication date as the publisher states it.
    #[serde(skip)]
    pub published: Option<PageDate>,
    /// `YYYY-MM-DD`, the publisher's calendar date.
    pub date: Option<String>,
    /// RFC 3339 when a time is known.
    pub datetime: Option<String>,
    /// Section display name.
    pub section: Option<String>,
    /// Authors.
    pub byline: Vec<String>,
    /// Persons named in the story.
    pub people: Vec<String>,
    /// Detected language (ISO 639-1 where one exists).
    pub lang: Option<String>,
    /// The story's paragraphs, separated by a blank line.
    pub body: String,
    /// Words in the body.
    pub words: usize,
}

/// Extracts every field from a decoded page. `rel_path` is the corpus-relative path; a mirror
/// layout (`host.example/section/slug`) supplies the URL when the page names none.
pub fn extract_html(html: &str, rel_path: &str) -> Article {
    extract_html_at(html, rel_path, None)
}

/// [`extract_html`] for a page captured at a known time (WARC-Date, file modification time):
/// no publication date after it is accepted, and relative dates ("vor 2 Stunden", "yesterday")
/// are resolved against it.
pub fn extract_html_at(html: &str, rel_path: &str, captured: Option<DateTime<Utc>>) -> Article {
    let doc = Html::parse_document(&crate::decode::cap_nesting(html));
    let meta = Meta::read(&doc);
    let blocks = dom::blocks(&doc);
    let url = meta
        .canonical
        .clone()
        .or_else(|| {
            meta.first(&["og:url"])
                .filter(|u| u.starts_with("http"))
                .map(String::from)
        })
        .or_else(|| mirror_url(rel_path));
    let site = url.as_deref().and_then(host);
    let title = title::title(&doc, &meta, site.as_deref(), &blocks);

    let title_lower = title.to_lowercase();
    let title_block = blocks
        .iter()
        .position(|b| !b.foreign && b.text.to_lowercase() == title_lower)
        .or_else(|| title::heading_block(&blocks, &title));
    let mut story = dom::story(&doc, &blocks, &title);
    let (opening, paragraphs) = (story.opening, std::mem::take(&mut story.paragraphs));
    story.paragraphs = with_lead(&blocks, title_block, opening, paragraphs);
    let paragraphs: Vec<&str> = story
        .paragraphs
        .iter()
        .map(|&i| blocks[i].text.as_str())
        .collect();
    let body = paragraphs.join("\n\n");
    let words = body.split_whitespace().count();

    let published = date::published(
        &doc,
        &meta,
        &blocks,
        url.as_deref(),
        rel_path,
        title_block,
        paragraphs.first().copied(),
        captured,
    );
    let section = section::section(&doc, &meta, &blocks, url.as_deref(), &title);
    let byline = byline::byline(&doc, &meta, &blocks, title_block, &story.paragraphs);
    let people = people::people_in(&paragraphs);
    let declared = meta
        .lang
        .as_deref()
        .and_then(|l| l.split(['-', '_']).next())
        .filter(|l| !l.is_empty());
    let lang = language(&body, declared).or_else(|| declared.map(String::from));
    // Front pages and section indexes: many headline links and little prose of their own, no
    // date of their own, or a site's or section's root URL. A page that declares itself an
    // article is never a listing; a short dated brief beside a sidebar is not one either.
    let headline_links = blocks
        .iter()
        .filter(|b| b.links > 0 && b.link_density() > 0.5 && b.text.split_whitespace().count() >= 3)
        .count();
    let root_url = url.as_deref().is_some_and(is_root_url);
    let listing = !meta.declares_article()
        && ((story.headline_links >= 5 && story.link_density >= 0.25)
            || (words < 40 && headline_links >= 2 && published.is_none())
            || (root_url && words < 150 && headline_links >= 2));
    Article {
        path: rel_path.to_string(),
        kind: if listing {
            Kind::Listing
        } else {
            Kind::Article
        },
        url,
        site,
        title,
        page_title: meta.title_tag.clone(),
        date: published.map(|p| p.date.format("%Y-%m-%d").to_string()),
        datetime: published.and_then(|p| p.rfc3339()),
        published,
        section,
        byline,
        people,
        lang,
        body,
        words,
    }
}

/// How many blocks of [`LEAD_WINDOW_CHARS`] or more a standfirst's headline may be above the
/// story (date lines, bylines, a picture and its credit sit between them).
const LEAD_WINDOW: usize = 16;

/// Blocks shorter than this do not count towards [`LEAD_WINDOW`]: a share bar, a tag list or a
/// menu of short items between the headline and the story is many blocks, but none of them
/// separates the standfirst from its headline.
const LEAD_WINDOW_CHARS: usize = 20;

/// Story paragraphs with the lead added: a standfirst written between the headline and the
/// story container (`<p class="lead">`, a teaser `<div>`) is the story's first paragraph, but
/// often sits outside the container the story was found in. Only prose qualifies: a long
/// sentence-like block with little link text, not chrome, not about other pages, and not a
/// date or byline line. A page where no story container was found gets the page's prose
/// blocks instead, so pages with little markup are not left empty. `opening` is the block the
/// story container opens with, a date line left out of the story included
/// ([`dom::Story::opening`]): the standfirst is looked for above it.
fn with_lead(
    blocks: &dom::Blocks,
    title_block: Option<usize>,
    opening: Option<usize>,
    story: Vec<usize>,
) -> Vec<usize> {
    // Pages built from widgets (page builders name every box "widget") have their story in
    // boxes that look like chrome; long sentences in any box are the fallback's last resort.
    let sentence = |b: &dom::Block, min: usize| {
        !b.is_heading()
            && b.chars >= min
            && b.link_density() < 0.2
            && b.text
                .trim_end()
                .ends_with(['.', '!', '?', '…', '"', '“', '”', '»', '。', ':'])
    };
    let prose = |b: &dom::Block, min: usize| !b.foreign && !b.chrome && sentence(b, min);
    let Some(first) = opening.or(story.first().copied()) else {
        let start = title_block.map_or(0, |t| t + 1);
        let found: Vec<usize> = (start..blocks.len())
            .filter(|&i| prose(&blocks[i], 60))
            .collect();
        if !found.is_empty() {
            return found;
        }
        return (start..blocks.len())
            .filter(|&i| sentence(&blocks[i], 100))
            .collect();
    };
    // The headline: the title's block, else the last `<h1>` before the story.
    let headline = title_block.filter(|&t| t < first).or_else(|| {
        (0..first)
            .rev()
            .find(|&i| blocks[i].tag == "h1" && !blocks[i].is_hard_chrome())
    });
    let Some(t) = headline.filter(|&t| {
        (t + 1..first)
            .filter(|&i| blocks[i].chars >= LEAD_WINDOW_CHARS)
            .count()
            < LEAD_WINDOW
    }) else {
        return story;
    };
    // The standfirst usually sits in the article's `<header>` or a box named "teaser",
    // "intro" or "lead", which class words make chrome; between the headline and the story
    // such a box is the story's own, so only hard chrome is left out. A deck set as a
    // sub-heading (`<h2 class="article-deck">`) counts when it is a full sentence.
    let standfirst = |b: &dom::Block| {
        !b.is_hard_chrome()
            && b.tag != "h1"
            && b.chars >= 80
            && b.link_density() < 0.2
            && !b.text.starts_with("By ")
            // A picture's caption above the story is not its standfirst ("… © CAE").
            && !dom::credit_line(b)
            && (b.text
                .trim_end()
                .ends_with(['.', '!', '?', '…', '"', '“', '”', '»', '。', ':'])
                // Decks are often set without a full stop; a long run of words is one.
                || (b.chars >= 100 && b.text.split_whitespace().count() >= 12))
    };
    let mut lead: Vec<usize> = Vec::new();
    for i in t + 1..first {
        let b = &blocks[i];
        // A standfirst shown twice (for phones and for desktops) joins once.
        let repeated = lead.iter().chain(&story).any(|&l| blocks[l].text == b.text);
        if standfirst(b) && !repeated && dates::parse_text_date(&b.text).is_none() {
            lead.push(i);
        }
    }
    if lead.is_empty() {
        return story;
    }
    lead.extend(story);
    lead
}

/// `host.example/section/slug.html` → `https://host.example/section/slug.html`, when the first
/// path component looks like a host name (how wget and HTTrack lay out mirrors).
fn mirror_url(rel_path: &str) -> Option<String> {
    // A web capture's key is its URL (WARC-Target-URI): the host and the site's name come
    // from it, as they come from the first folder of a mirror.
    if rel_path.starts_with("https://") || rel_path.starts_with("http://") {
        return Some(rel_path.to_string());
    }
    let (first, rest) = rel_path.split_once('/')?;
    let hostlike = first.contains('.')
        && first
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == ':')
        && !first.ends_with(".html")
        && first
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_alphabetic()));
    if !hostlike {
        return None;
    }
    let rest = rest.strip_suffix(".gz").unwrap_or(rest);
    let rest = rest.strip_suffix("index.html").unwrap_or(rest);
    Some(format!("https://{first}/{rest}"))
}

/// A site's front page or a section's index: at most one path segment, ending in `/` or an
/// index file (`/`, `/world/`, `/index.html`, `/world/index.html`).
fn is_root_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.split_once('/').map_or("", |(_, p)| p);
    let path = path.split(['?', '#']).next().unwrap_or("");
    let mut segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments
        .last()
        .is_some_and(|l| l.starts_with("index.") || l.starts_with("default."))
    {
        segments.pop();
    } else if !path.is_empty() && !path.ends_with('/') {
        return false;
    }
    segments.len() <= 1
}

/// The host of a URL, lower-cased, without `www.`.
pub fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?.rsplit('@').next()?;
    let host = host.split(':').next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty()).then_some(host)
}

/// Characters of the body that language detection reads.
const LANG_SAMPLE_CHARS: usize = 600;

/// Languages tried first beside the page's declared one: the most common of news sites.
const FIRST_CANDIDATES: [whatlang::Lang; 8] = [
    whatlang::Lang::Eng,
    whatlang::Lang::Spa,
    whatlang::Lang::Por,
    whatlang::Lang::Fra,
    whatlang::Lang::Deu,
    whatlang::Lang::Ita,
    whatlang::Lang::Nld,
    whatlang::Lang::Rus,
];

/// Detected language of a story text that comes without a page (JSON Lines bodies).
pub fn detect_language(body: &str) -> Option<String> {
    language(body, None)
}

/// Detected language of the story text, as a two-letter code where one exists. `declared`
/// is the page's `<html lang>` (two-letter part), used only to choose what to try first.
fn language(body: &str, declared: Option<&str>) -> Option<String> {
    // A few hundred characters (cut at a word boundary) decide the language as well as a
    // whole story.
    let sample = match body.char_indices().nth(LANG_SAMPLE_CHARS) {
        Some((cut, _)) => body[..cut]
            .rsplit_once(char::is_whitespace)
            .map_or(&body[..cut], |(head, _)| head),
        None => body,
    };
    if sample.split_whitespace().count() < 8 {
        return None;
    }
    // whatlang's cost is per candidate language (about 5 µs each; some 40 share the Latin
    // script), which made it the costliest step of extraction. So the text is first compared
    // with a few common languages and the page's declared one, and the answer is kept when
    // that declared language wins clearly — or, on a page that declares none, English, by far
    // the commonest language of such pages (its trigrams are unlike the others'). Any other
    // outcome (a wrong declaration, a winner whose close relatives are not in the list) is
    // checked against every language.
    let declared = declared.and_then(|code| whatlang::Lang::from_code(iso_639_3(code)?));
    let expected = declared.unwrap_or(whatlang::Lang::Eng);
    let mut first = FIRST_CANDIDATES.to_vec();
    if !first.contains(&expected) {
        first.push(expected);
    }
    let info = whatlang::Detector::with_allowlist(first)
        .detect(sample)
        .filter(|i| i.lang() == expected && i.is_reliable())
        .or_else(|| whatlang::detect(sample))?;
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    let code = info.lang().code();
    Some(iso_639_1(code).unwrap_or(code).to_string())
}

/// The three-letter code whatlang uses for a two-letter one.
fn iso_639_3(code: &str) -> Option<&'static str> {
    ISO_639
        .iter()
        .find(|(_, two)| two.eq_ignore_ascii_case(code))
        .map(|(three, _)| *three)
}

/// Two-letter codes for the three-letter ones whatlang returns.
fn iso_639_1(code: &str) -> Option<&'static str> {
    ISO_639
        .iter()
        .find(|(three, _)| *three == code)
        .map(|(_, two)| *two)
}

/// whatlang's three-letter codes and their two-letter ISO 639-1 forms.
const ISO_639: [(&str, &str); 40] = [
    ("eng", "en"),
    ("fra", "fr"),
    ("deu", "de"),
    ("spa", "es"),
    ("ita", "it"),
    ("por", "pt"),
    ("nld", "nl"),
    ("swe", "sv"),
    ("dan", "da"),
    ("nob", "nb"),
    ("fin", "fi"),
    ("pol", "pl"),
    ("ces", "cs"),
    ("slk", "sk"),
    ("hun", "hu"),
    ("ron", "ro"),
    ("rus", "ru"),
    ("ukr", "uk"),
    ("bul", "bg"),
    ("srp", "sr"),
    ("hrv", "hr"),
    ("slv", "sl"),
    ("ell", "el"),
    ("tur", "tr"),
    ("ara", "ar"),
    ("heb", "he"),
    ("pes", "fa"),
    ("hin", "hi"),
    ("ben", "bn"),
    ("urd", "ur"),
    ("cmn", "zh"),
    ("jpn", "ja"),
    ("kor", "ko"),
    ("vie", "vi"),
    ("tha", "th"),
    ("ind", "id"),
    ("lit", "lt"),
    ("lav", "lv"),
    ("est", "et"),
    ("cat", "ca"),
];

/// Why a file produced no article.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Skip {
    /// By name: an asset or other non-page file (the payload says which).
    NotHtml(String),
    /// Read, but its bytes are not HTML.
    NotHtmlContent,
    /// Empty file.
    Empty,
    /// A front page or section index.
    Listing,
    /// An HTML page with no story text.
    NoText,
    /// Could not be read (permissions, size cap, broken gzip…).
    Unreadable(String),
    /// A damaged archive record (truncated, wrong length, garbage): the detail goes to the
    /// summary's error list with the record's `file#offset`.
    Damaged(String),
    /// A web capture whose HTTP status is not 200 OK (redirects, errors).
    Status(u16),
    /// Left out by an `--exclude` pattern.
    Excluded,
    /// A JSON Lines line that is no article (the detail goes to the error list with its
    /// `file:line`).
    BadLine(String),
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Skip::NotHtml(what) => write!(f, "not HTML ({what})"),
            Skip::NotHtmlContent => write!(f, "not HTML (content)"),
            Skip::Empty => write!(f, "empty file"),
            Skip::Listing => write!(f, "front/listing page"),
            Skip::NoText => write!(f, "no article text"),
            Skip::Unreadable(why) => write!(f, "unreadable: {why}"),
            Skip::Damaged(_) => write!(f, "damaged archive record"),
            Skip::Status(code) => write!(f, "HTTP status {code}"),
            Skip::Excluded => write!(f, "excluded (--exclude)"),
            Skip::BadLine(_) => write!(f, "bad JSON line"),
        }
    }
}

/// The outcome of loading one file.
#[derive(Debug)]
pub enum Loaded {
    /// An article (or a listing, when listings are kept).
    Page(Box<Article>),
    /// No article, and why.
    Skipped(Skip, Option<Box<Article>>),
}

/// Reads, decodes and extracts one file: the one code path behind `index` and `extract`.
/// Listings come back as `Skipped(Listing, Some(article))` so callers can keep them.
pub fn load(path: &Path, rel: &str, class: &FileClass, max_bytes: u64) -> Loaded {
    if let FileClass::NotHtml(what) = class {
        return Loaded::Skipped(Skip::NotHtml(what.clone()), None);
    }
    match decode::read_bytes(path, max_bytes) {
        Ok(bytes) => load_bytes_at(&bytes, rel, class, file_time(path)),
        Err(e @ (DecodeError::Io(_) | DecodeError::TooLarge { .. } | DecodeError::BadGzip(_))) => {
            Loaded::Skipped(Skip::Unreadable(e.to_string()), None)
        }
    }
}

/// A file's modification time: the capture time of a page saved in a folder (a mirror tool
/// writes the file when it fetches the page, or keeps the server's Last-Modified).
pub fn file_time(path: &Path) -> Option<DateTime<Utc>> {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .map(DateTime::<Utc>::from)
}

/// [`load`] for bytes already read (the indexer reads them itself to hash them).
pub fn load_bytes(bytes: &[u8], rel: &str, class: &FileClass) -> Loaded {
    load_bytes_at(bytes, rel, class, None)
}

/// [`load_bytes`] for a page captured at a known time (see [`extract_html_at`]).
pub fn load_bytes_at(
    bytes: &[u8],
    rel: &str,
    class: &FileClass,
    captured: Option<DateTime<Utc>>,
) -> Loaded {
    if let FileClass::NotHtml(what) = class {
        return Loaded::Skipped(Skip::NotHtml(what.clone()), None);
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Loaded::Skipped(Skip::Empty, None);
    }
    if *class == FileClass::Text {
        return load_text(bytes, rel);
    }
    if !decode::sniff_html(bytes) && (*class == FileClass::Sniff || looks_binary(bytes)) {
        return Loaded::Skipped(Skip::NotHtmlContent, None);
    }
    let html = decode::decode_html(bytes);
    let article = extract_html_at(&html, rel, captured);
    match article.kind {
        Kind::Listing => Loaded::Skipped(Skip::Listing, Some(Box::new(article))),
        _ if article.words == 0 => Loaded::Skipped(Skip::NoText, Some(Box::new(article))),
        _ => Loaded::Page(Box::new(article)),
    }
}

/// A `.txt` candidate: a page dump when its text looks like a rendered news page (see
/// [`text::sniff`]), else skipped with the reason. A `.txt` that holds HTML is read as HTML.
fn load_text(bytes: &[u8], rel: &str) -> Loaded {
    if looks_binary(bytes) {
        return Loaded::Skipped(Skip::NotHtml("text: binary content".into()), None);
    }
    // Only a document that starts as HTML is one: story text may hold "<Metal Traders Ltd>".
    let start = String::from_utf8_lossy(&bytes[..bytes.len().min(64)])
        .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
        .to_ascii_lowercase();
    if start.starts_with("<!doctype html") || start.starts_with("<html") {
        return load_bytes(bytes, rel, &FileClass::Html);
    }
    // BOM, then UTF-8, then charset detection: the same decoding as pages without a declared
    // charset.
    let text = decode::decode_html(bytes);
    let article = text::extract_text(&text, rel);
    if let Some(why) = text::sniff(&text, &article) {
        return Loaded::Skipped(Skip::NotHtml(format!("text, not a news page: {why}")), None);
    }
    match article.kind {
        Kind::Listing => Loaded::Skipped(Skip::Listing, Some(Box::new(article))),
        _ => Loaded::Page(Box::new(article)),
    }
}

/// Binary content under an HTML name (an image saved as `.html`): NUL bytes or mostly
/// control characters in the first kilobytes.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let control = head
        .iter()
        .filter(|&&b| b < 0x09 || (0x0e..0x20).contains(&b))
        .count();
    head.contains(&0) || control * 10 > head.len()
}

/// The lines of `gazette extract` for a walked file: what `index` would store, or why it
/// would store nothing (`kind` `not_html`/`error` with an `error` reason). `path` is made
/// relative to `root`. A page file gives one line; a WARC file one per page capture (with
/// its `url`, `captured` time, `warc` file and record `offset`) and one per skipped capture.
pub fn records(
    found: crate::discover::Found,
    root: &Path,
    max_bytes: u64,
    fields: &crate::source::jsonl::FieldMap,
    emit: &mut dyn FnMut(serde_json::Value) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    use crate::discover::{relative, Found};
    let (path, class) = match found {
        Found::File { path, class, .. } => (path, class),
        Found::Error { rel, message } => {
            return emit(serde_json::json!({"path": rel, "kind": Kind::Error, "error": message}));
        }
    };
    let rel = relative(root, &path);
    if class == FileClass::Warc {
        return warc_records(&path, &rel, max_bytes, emit);
    }
    if class == FileClass::Jsonl {
        // One line per document; a bad line is an `error` line naming `file:line`.
        use crate::source::jsonl;
        return jsonl::read_lines(&path, max_bytes, &mut |l| {
            let loaded = jsonl::load_line(l.bytes.as_deref(), &rel, l.number, fields);
            emit(line(loaded, &jsonl::origin(&rel, l.number)))
        });
    }
    emit(line(load(&path, &rel, &class, max_bytes), &rel))
}

/// The JSON line of one extraction outcome.
fn line(loaded: Loaded, origin: &str) -> serde_json::Value {
    let (article, skip) = match loaded {
        Loaded::Page(a) => (Some(a), None),
        Loaded::Skipped(skip, article) => (article, Some(skip)),
    };
    match (article, skip) {
        (Some(a), _) => serde_json::to_value(&*a).unwrap_or_default(),
        (None, Some(skip @ (Skip::NotHtml(_) | Skip::NotHtmlContent | Skip::Status(_)))) => {
            serde_json::json!({"path": origin, "kind": Kind::NotHtml, "error": skip.to_string()})
        }
        (None, Some(Skip::Damaged(what))) => serde_json::json!({
            "path": origin,
            "kind": Kind::Error,
            "error": format!("damaged archive record: {what}"),
        }),
        (None, Some(Skip::BadLine(what))) => serde_json::json!({
            "path": origin,
            "kind": Kind::Error,
            "error": format!("bad JSON line: {what}"),
        }),
        (None, skip) => serde_json::json!({
            "path": origin,
            "kind": Kind::Error,
            "error": skip.map(|s| s.to_string()).unwrap_or_default(),
        }),
    }
}

/// Extracts a web capture: as HTML, with its capture time bounding the date, and the
/// capture's URL when the page names no canonical one. `index` and `extract` both call it.
pub fn load_record(record: &crate::source::Record) -> Loaded {
    let mut loaded = load_bytes_at(
        &record.bytes,
        &record.key,
        &FileClass::Html,
        record.captured_at(),
    );
    if let Loaded::Page(a) | Loaded::Skipped(_, Some(a)) = &mut loaded {
        if a.url.is_none() {
            a.site = record.url.as_deref().and_then(host);
            a.url = record.url.clone();
        }
    }
    loaded
}

/// [`records`] for a WARC file.
fn warc_records(
    path: &Path,
    rel: &str,
    max_bytes: u64,
    emit: &mut dyn FnMut(serde_json::Value) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    use crate::source::{self, Item};
    source::warc_items(path, rel, max_bytes, &mut |item| match item {
        Item::Record(record) => {
            let captured = record.captured_at();
            let loaded = load_record(&record);
            let mut value = line(loaded, &record.origin);
            let offset = record
                .origin
                .rsplit_once('#')
                .map_or("", |(_, o)| o)
                .to_string();
            if let Some(obj) = value.as_object_mut() {
                obj.insert("warc".into(), rel.into());
                obj.insert("offset".into(), offset.into());
                obj.insert(
                    "captured".into(),
                    captured
                        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                        .into(),
                );
            }
            emit(value)
        }
        Item::Skipped { origin, reason } => emit(line(Loaded::Skipped(reason, None), &origin)),
        Item::Other { .. } | Item::Revisit { .. } => Ok(()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_capture_keyed_by_its_url_names_its_site() {
        // A WARC record's key is its URL: without a canonical link the site's name is still
        // known, so it is cut from the `<title>` as it is for a mirror folder.
        let body = "The bridge over the river reopened on Monday after eight months of repairs, \
                    the council said, and buses will return to the route next week. "
            .repeat(4);
        let html = format!(
            "<html><head><title>The Valley Herald - Bridge reopens after repairs - Update\
             </title></head><body><table><tr><td><font size=\"4\"><b>Bridge reopens after \
             repairs - Update</b></font></td></tr><tr><td><p>{body}</p></td></tr></table>\
             </body></html>"
        );
        let a = extract_html(&html, "https://valleyherald.example/news/bridge.html");
        assert_eq!(a.title, "Bridge reopens after repairs - Update");
        assert_eq!(
            a.url.as_deref(),
            Some("https://valleyherald.example/news/bridge.html")
        );
    }

    #[test]
    fn mirror_urls_and_hosts() {
        assert_eq!(
            mirror_url("www.paper.example/world/2019/story.html").as_deref(),
            Some("https://www.paper.example/world/2019/story.html")
        );
        assert_eq!(mirror_url("world/story.html"), None);
        assert_eq!(
            mirror_url("http://paper.example/world/story").as_deref(),
            Some("http://paper.example/world/story")
        );
        assert_eq!(mirror_url("index.html/x"), None);
        assert_eq!(
            host("https://www.Paper.example:8080/a?b").as_deref(),
            Some("paper.example")
        );
    }

    #[test]
    fn root_urls() {
        assert!(is_root_url("https://p.example/"));
        assert!(is_root_url("https://p.example"));
        assert!(is_root_url("https://p.example/world/index.html"));
        assert!(is_root_url("https://p.example/world/"));
        assert!(!is_root_url("https://p.example/world/story"));
        assert!(!is_root_url(
            "https://p.example/world/2019/story/index.html"
        ));
    }

    #[test]
    fn front_page_is_a_listing() {
        let mut html = String::from(
            "<html><head><title>Front page</title></head><body><h1>Latest news</h1><ul>",
        );
        for i in 0..12 {
            html.push_str(&format!(
                "<li><a href='/x/story-{i}'>Council approves new harbour budget number {i}</a><p>The council voted on the budget for the harbour and the schools.</p></li>"
            ));
        }
        html.push_str("</ul></body></html>");
        assert_eq!(
            extract_html(&html, "paper.example/index.html").kind,
            Kind::Listing
        );
    }

    #[test]
    fn a_deck_without_a_full_stop_far_above_the_story_joins_it() {
        // The deck ends without punctuation and sits in the article header, separated from
        // the story by a byline, a date line, share links and a picture credit.
        let prose = "The council voted on Tuesday to approve the budget, which includes new spending on schools, roads and the harbour.";
        let mut html = String::from(
            "<html><body><header class='article-header'><h1>Harbour budget approved</h1>\
             <p>Councillors backed the largest harbour budget in a decade after a long night of debate in the town hall</p>\
             <div class='author'>Von Ines Varga</div><div class='date'>28. Dezember 2022</div><ul class='share'>",
        );
        for i in 0..8 {
            html.push_str(&format!("<li><a href='/s{i}'>Share {i}</a></li>"));
        }
        html.push_str(&format!(
            "</ul><p class='credit'>Photo: Agency</p></header><div class='text'><p>{prose}</p><p>{prose} Two.</p><p>{prose} Three.</p></div></body></html>"
        ));
        let a = extract_html(&html, "paper.example/story.html");
        assert!(a.body.starts_with("Councillors backed"), "{}", a.body);
        assert!(!a.body.contains("Varga"), "{}", a.body);
    }

    #[test]
    fn a_share_bar_of_many_short_items_does_not_cut_off_the_standfirst() {
        // Thirty short items (share buttons, tags) between the headline and the story count
        // as nothing; sixteen blocks of text do separate a paragraph from the headline.
        let prose = "The council voted on Tuesday to approve the budget, which includes new spending on schools, roads and the harbour.";
        let deck = "Councillors backed the largest harbour budget in a decade after a long night of debate.";
        let story = format!(
            "<div class='text'><p>{prose}</p><p>{prose} Two.</p><p>{prose} Three.</p></div>"
        );
        let page = |between: &str, item: &str, n: usize| {
            let items: String = (0..n)
                .map(|i| item.replace("{i}", &i.to_string()))
                .collect();
            format!(
                "<html><body><header><h1>Harbour budget approved</h1><p class='deck'>{deck}</p>\
                 {between}{items}</header>{story}</body></html>"
            )
        };
        let tags = page(
            "",
            "<span class='tag'><a href='/t{i}'>Tag {i}</a></span><br>",
            30,
        );
        let a = extract_html(&tags, "paper.example/story.html");
        assert!(a.body.starts_with("Councillors backed"), "{}", a.body);
        let far = page("", "<div>Other item number {i} of the page</div>", 16);
        let a = extract_html(&far, "paper.example/story.html");
        assert!(!a.body.contains("Councillors backed"), "{}", a.body);
    }

    #[test]
    fn a_standfirst_printed_twice_joins_once() {
        // Phone and desktop headers both carry the deck.
        let prose = "The council voted on Tuesday to approve the budget, which includes new spending on schools, roads and the harbour.";
        let deck = "Councillors backed the largest harbour budget in a decade after a long night of debate.";
        let html = format!(
            "<html><body><header><h1>Harbour budget approved</h1><p class='deck m'>{deck}</p>\
             <p class='deck d'>{deck}</p></header><div class='text'><p>{prose}</p><p>{prose} Two.</p>\
             <p>{prose} Three.</p></div></body></html>"
        );
        let a = extract_html(&html, "paper.example/story.html");
        assert!(a.body.starts_with("Councillors backed"), "{}", a.body);
        assert_eq!(
            a.body.matches("Councillors backed").count(),
            1,
            "{}",
            a.body
        );
    }

    #[test]
    fn a_caption_closed_by_a_credit_is_not_the_standfirst() {
        let prose = "The council voted on Tuesday to approve the budget, which includes new spending on schools, roads and the harbour.";
        let caption = "The harbour seen from the north pier on a winter morning, with the new ferry berth and the old crane beside it. © Harbour Post";
        let html = format!(
            "<html><body><header><h1>Harbour budget approved</h1><p class='intro'>{caption}</p></header>\
             <div class='text'><p>{prose}</p><p>{prose} Two.</p><p>{prose} Three.</p></div></body></html>"
        );
        let a = extract_html(&html, "paper.example/story.html");
        assert!(a.body.starts_with("The council voted"), "{}", a.body);
        assert!(!a.body.contains("Harbour Post"), "{}", a.body);
    }

    #[test]
    fn language_is_detected() {
        let en = "The council voted on Tuesday to approve the budget, which includes new spending on schools.";
        let fr = "Le conseil municipal a voté mardi le budget, qui prévoit de nouvelles dépenses pour les écoles.";
        assert_eq!(language(en, None).as_deref(), Some("en"));
        assert_eq!(language(fr, None).as_deref(), Some("fr"));
        assert_eq!(language(en, Some("en")).as_deref(), Some("en"));
        assert_eq!(language(fr, Some("fr")).as_deref(), Some("fr"));
    }

    #[test]
    fn a_wrong_or_rare_declared_language_does_not_decide() {
        // Templates often say lang="en" whatever the story's language; the text decides.
        let fr = "Le conseil municipal a voté mardi le budget, qui prévoit de nouvelles dépenses pour les écoles.";
        assert_eq!(language(fr, Some("en")).as_deref(), Some("fr"));
        // A language outside the first candidates is still found, declared or not.
        let sv = "Kommunfullmäktige röstade på tisdagen för att godkänna budgeten, som innehåller nya pengar till skolorna och äldreomsorgen.";
        assert_eq!(language(sv, Some("en")).as_deref(), Some("sv"));
        assert_eq!(language(sv, None).as_deref(), Some("sv"));
        assert_eq!(language(sv, Some("sv")).as_deref(), Some("sv"));
        // Undeclared languages outside the first candidates are not taken for English.
        for (text, code) in [
            ("Byrådet stemte tirsdag for at godkende budgettet, som indeholder nye penge til skolerne og ældreplejen i kommunen.", "da"),
            ("Kaupunginvaltuusto äänesti tiistaina talousarvion hyväksymisen puolesta, ja se sisältää uutta rahaa kouluille.", "fi"),
            ("Rada miasta głosowała we wtorek za przyjęciem budżetu, który zawiera nowe pieniądze na szkoły i opiekę nad starszymi.", "pl"),
            ("Belediye meclisi salı günü okullar ve yaşlı bakımı için yeni para içeren bütçeyi onaylamak için oy kullandı.", "tr"),
            ("Dewan kota memberikan suara pada hari Selasa untuk menyetujui anggaran yang mencakup dana baru untuk sekolah dan perawatan lansia.", "id"),
            ("Hội đồng thành phố đã bỏ phiếu vào thứ Ba để thông qua ngân sách, bao gồm tiền mới cho các trường học và chăm sóc người cao tuổi.", "vi"),
        ] {
            assert_eq!(language(text, None).as_deref(), Some(code), "{text}");
        }
        // Too little text: no guess (the page's declaration is used by the caller).
        assert_eq!(language("Council votes", Some("en")), None);
    }
}

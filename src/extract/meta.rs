//! Machine-readable metadata a page carries for search engines and social sites: `<meta>`
//! tags, JSON-LD, the canonical link, `<title>` and `lang`. Publishers fill these in more
//! reliably than their visible layout, so most fields try them first.

use std::sync::LazyLock;

use scraper::{Html, Selector};
use serde_json::Value;

use super::dom::collapse_ws;

static META: LazyLock<Selector> = LazyLock::new(|| Selector::parse("meta").expect("selector"));
static LD: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse(r#"script[type="application/ld+json" i]"#).expect("selector"));
static CANONICAL: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse(r#"link[rel~="canonical" i][href]"#).expect("selector"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| Selector::parse("title").expect("selector"));
static HTML: LazyLock<Selector> = LazyLock::new(|| Selector::parse("html").expect("selector"));

/// schema.org types that describe an article (the page's main entity).
const ARTICLE_TYPES: [&str; 15] = [
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "Report",
    "ScholarlyArticle",
    "TechArticle",
    "SocialMediaPosting",
    "DiscussionForumPosting",
    "SatiricalArticle",
];

/// The metadata of one page.
#[derive(Debug, Default)]
pub struct Meta {
    /// `(name, content)` of every `<meta>`, the name lower-cased (from `property`, `name`,
    /// `itemprop` or `http-equiv`).
    pub tags: Vec<(String, String)>,
    /// Every JSON-LD object, with `@graph` and arrays flattened.
    pub jsonld: Vec<Value>,
    /// `<link rel=canonical href>`.
    pub canonical: Option<String>,
    /// The `<title>` text.
    pub title_tag: Option<String>,
    /// `<html lang>`.
    pub lang: Option<String>,
}

impl Meta {
    /// Reads the metadata of a parsed page.
    pub fn read(doc: &Html) -> Meta {
        let mut meta = Meta::default();
        for el in doc.select(&META) {
            let v = el.value();
            let Some(content) = v.attr("content").map(collapse_ws) else {
                continue;
            };
            if content.is_empty() {
                continue;
            }
            // `property` may list several names ("dc:creator twitter:site_name").
            for key in ["property", "name", "itemprop", "http-equiv"] {
                if let Some(names) = v.attr(key) {
                    for name in names.split_ascii_whitespace() {
                        meta.tags.push((name.to_ascii_lowercase(), content.clone()));
                    }
                }
            }
        }
        for el in doc.select(&LD) {
            let raw: String = el.text().collect();
            let cleaned = unwrap_script(&raw);
            if let Ok(value) = serde_json::from_str::<Value>(cleaned) {
                flatten(value, &mut meta.jsonld, 0);
            }
        }
        meta.canonical = doc
            .select(&CANONICAL)
            .filter_map(|e| e.value().attr("href"))
            .map(str::trim)
            .find(|h| h.starts_with("http"))
            .map(String::from);
        meta.title_tag = doc
            .select(&TITLE)
            .map(|t| collapse_ws(&t.text().collect::<String>()))
            .find(|t| !t.is_empty());
        meta.lang = doc
            .select(&HTML)
            .next()
            .and_then(|h| {
                h.value()
                    .attr("lang")
                    .or_else(|| h.value().attr("xml:lang"))
            })
            .map(|l| l.trim().to_ascii_lowercase())
            .filter(|l| !l.is_empty());
        meta
    }

    /// The first non-empty content among the given meta names, in the order given.
    pub fn first(&self, names: &[&str]) -> Option<&str> {
        names.iter().find_map(|n| {
            self.tags
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.as_str())
        })
    }

    /// All contents of one meta name (some pages repeat `article:author`).
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.tags
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// JSON-LD objects that describe an article.
    pub fn articles(&self) -> impl Iterator<Item = &Value> {
        self.jsonld.iter().filter(|v| has_type(v, &ARTICLE_TYPES))
    }

    /// The first string value of `key` in the page's article objects.
    pub fn article_str(&self, key: &str) -> Option<String> {
        self.articles().find_map(|a| first_str(a.get(key)?))
    }

    /// True when the page declares itself an article (og:type or JSON-LD).
    pub fn declares_article(&self) -> bool {
        self.first(&["og:type"])
            .is_some_and(|t| t.eq_ignore_ascii_case("article"))
            || self.articles().next().is_some()
    }
}

/// The JSON inside a script element, without the comment or CDATA wrappers that some pages
/// put around it (`<!-- … -->`, `<![CDATA[ … ]]>`, `//<![CDATA[ … //]]>`).
fn unwrap_script(raw: &str) -> &str {
    let mut s = raw.trim();
    loop {
        let before = s.len();
        s = s
            .trim_start_matches("<!--")
            .trim_end_matches("-->")
            .trim_start_matches("//")
            .trim_start_matches("<![CDATA[")
            .trim_end_matches("]]>")
            .trim_end_matches("//")
            .trim();
        if s.len() == before {
            return s;
        }
    }
}

/// Whether a JSON-LD object has one of the given `@type`s.
pub fn has_type(v: &Value, types: &[&str]) -> bool {
    match v.get("@type") {
        Some(Value::String(t)) => types.contains(&t.as_str()),
        Some(Value::Array(ts)) => ts
            .iter()
            .any(|t| t.as_str().is_some_and(|t| types.contains(&t))),
        _ => false,
    }
}

/// The first non-empty string in a JSON-LD value (a string, an array of strings, or an
/// object with `name`).
pub fn first_str(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(collapse_ws(s)).filter(|s| !s.is_empty()),
        Value::Array(items) => items.iter().find_map(first_str),
        Value::Object(o) => o.get("name").and_then(first_str),
        _ => None,
    }
}

/// Pushes every object of a JSON-LD value, looking into `@graph`, arrays and `mainEntity`.
fn flatten(v: Value, out: &mut Vec<Value>, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Array(items) => {
            for item in items {
                flatten(item, out, depth + 1);
            }
        }
        Value::Object(mut o) => {
            if let Some(graph) = o.remove("@graph") {
                flatten(graph, out, depth + 1);
            }
            if let Some(main) = o.get("mainEntity").cloned() {
                if main.is_object() {
                    flatten(main, out, depth + 1);
                }
            }
            out.push(Value::Object(o));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonld_graph_and_arrays_are_flattened() {
        let html = r#"<html lang="en-GB"><head><title> A  title </title>
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","name":"Site"},
              {"@type":["NewsArticle"],"headline":"Hello","articleSection":["World","Europe"]}]}</script>
            <meta property="og:type" content="article"><link rel="canonical" href="https://x.example/a"></head></html>"#;
        let meta = Meta::read(&Html::parse_document(html));
        assert_eq!(meta.article_str("headline").as_deref(), Some("Hello"));
        assert_eq!(meta.article_str("articleSection").as_deref(), Some("World"));
        assert_eq!(meta.title_tag.as_deref(), Some("A title"));
        assert_eq!(meta.lang.as_deref(), Some("en-gb"));
        assert_eq!(meta.canonical.as_deref(), Some("https://x.example/a"));
        assert!(meta.declares_article());
    }

    #[test]
    fn cdata_wrapped_jsonld_is_read() {
        let html = "<script type='application/ld+json'><![CDATA[\n {\"@type\":\"NewsArticle\",\"headline\":\"Quay reopens\"}\n]]></script>\
            <script type='application/ld+json'>//<![CDATA[\n{\"@type\":\"SocialMediaPosting\",\"datePublished\":\"2014-09-02\"}\n//]]></script>";
        let meta = Meta::read(&Html::parse_document(html));
        assert_eq!(
            meta.article_str("headline").as_deref(),
            Some("Quay reopens")
        );
        assert_eq!(
            meta.article_str("datePublished").as_deref(),
            Some("2014-09-02")
        );
    }

    #[test]
    fn space_separated_meta_properties_each_count() {
        let html = r#"<meta property="dc:creator twitter:site_name" content="Ines Varga">"#;
        let meta = Meta::read(&Html::parse_document(html));
        assert_eq!(meta.first(&["dc:creator"]), Some("Ines Varga"));
        assert_eq!(meta.first(&["twitter:site_name"]), Some("Ines Varga"));
    }
}

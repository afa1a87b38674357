//! The section the story ran in ("Government & Economy"), in its display form. Evidence in
//! order: `article:section`, JSON-LD `articleSection`, breadcrumbs (JSON-LD BreadcrumbList or a
//! breadcrumb element), a section label on the page (kicker, section head), and finally the
//! URL's first path segment, named as the site's own menu names it. The menu of all sections
//! is never taken for the section.

use std::sync::LazyLock;

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use super::dom::{collapse_ws, Blocks};
use super::meta::{first_str, has_type, Meta};

static BREADCRUMB: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse(
        r#"[class*="breadcrumb" i], [id*="breadcrumb" i], nav[aria-label*="breadcrumb" i], [itemtype*="BreadcrumbList"]"#,
    )
    .expect("selector")
});
static LABEL: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse(
        r#"[class*="kicker" i], [class*="section-head" i], [class*="section-name" i], [class*="section-label" i], [class*="section-title" i], [class*="rubric" i], [class*="category" i], [class*="eyebrow" i], a[rel~="category"]"#,
    )
    .expect("selector")
});
static LINKS: LazyLock<Selector> = LazyLock::new(|| Selector::parse("a[href]").expect("selector"));
static A_OR_LI: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("a, li, span[itemprop=name]").expect("selector"));

/// Words that are never a section (breadcrumb roots, generic labels).
const NOT_SECTIONS: [&str; 8] = [
    "home",
    "homepage",
    "news",
    "index",
    "start",
    "front page",
    "you are here",
    "main",
];

/// URL path segments that do not name a section.
const GENERIC_SEGMENTS: [&str; 14] = [
    "news", "article", "articles", "story", "stories", "content", "www", "en", "amp", "x", "a",
    "p", "post", "posts",
];

/// Finds the section. `url` is the page's (canonical or mirror) URL; `title` is used to
/// drop the last breadcrumb when it is the headline itself.
pub fn section(
    doc: &Html,
    meta: &Meta,
    blocks: &Blocks,
    url: Option<&str>,
    title: &str,
) -> Option<String> {
    let declared = meta
        .first(&[
            "article:section",
            "og:article:section",
            "section",
            "parsely-section",
            "article.section",
            "dc.subject",
        ])
        .map(String::from)
        .or_else(|| meta.article_str("articleSection"));
    if let Some(s) = declared.and_then(|s| clean(&s, title)) {
        return Some(s);
    }
    if let Some(s) = ld_breadcrumbs(meta, title) {
        return Some(s);
    }
    if let Some(s) = doc
        .select(&BREADCRUMB)
        .filter(|el| !blocks.in_foreign(*el) || el.value().name() == "nav")
        .find_map(|el| breadcrumb_element(el, title))
    {
        return Some(s);
    }
    if let Some(s) = doc
        .select(&LABEL)
        .filter(|el| !blocks.in_foreign(*el))
        .find_map(|el| clean(&el.text().collect::<String>(), title))
    {
        return Some(s);
    }
    url.and_then(|u| from_url(doc, u))
}

/// The last meaningful item of a JSON-LD BreadcrumbList.
fn ld_breadcrumbs(meta: &Meta, title: &str) -> Option<String> {
    let list = meta
        .jsonld
        .iter()
        .find(|v| has_type(v, &["BreadcrumbList"]))?;
    let items = list.get("itemListElement")?.as_array()?;
    let mut names: Vec<(i64, String)> = items
        .iter()
        .filter_map(|it| {
            let pos = it.get("position").and_then(Value::as_i64).unwrap_or(0);
            let name = it
                .get("name")
                .and_then(first_str)
                .or_else(|| it.get("item").and_then(first_str))?;
            Some((pos, name))
        })
        .collect();
    names.sort_by_key(|(p, _)| *p);
    names.iter().rev().find_map(|(_, n)| clean(n, title))
}

/// The last meaningful item of a breadcrumb element: its links, or its text split on the
/// usual separators ("Home > Business > Markets").
fn breadcrumb_element(el: ElementRef<'_>, title: &str) -> Option<String> {
    let mut items: Vec<String> = el
        .select(&A_OR_LI)
        .filter(|e| e.value().name() != "li" || e.select(&LINKS).next().is_none())
        .map(|e| collapse_ws(&e.text().collect::<String>()))
        .filter(|t| !t.is_empty())
        .collect();
    if items.is_empty() {
        let text = collapse_ws(&el.text().collect::<String>());
        items = text
            .split(['>', '»', '›', '/', '|', '→'])
            .map(|s| s.trim().to_string())
            .collect();
    }
    items.iter().rev().find_map(|t| clean(t, title))
}

/// The URL's first meaningful path segment, named as the page's own links name it
/// (`/government-economy` → "Government & Economy"), else title-cased.
fn from_url(doc: &Html, url: &str) -> Option<String> {
    let slug = url_slug(url)?;
    let from_links = doc.select(&LINKS).find_map(|a| {
        let href = a.value().attr("href")?;
        let href_path = href
            .split_once("://")
            .map_or(href, |(_, r)| r.split_once('/').map_or("", |(_, p)| p));
        let last = href_path.trim_matches('/');
        (last.eq_ignore_ascii_case(&slug))
            .then(|| collapse_ws(&a.text().collect::<String>()))
            .filter(|t| !t.is_empty() && t.chars().count() <= 40)
    });
    from_links.or_else(|| slug_name(&slug))
}

/// The section slug of a URL: its first path segment that is not a date, a file or a generic
/// word (`/commodities/1987/…` → `commodities`), lower-cased.
pub fn url_slug(url: &str) -> Option<String> {
    let path = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest.split_once('/').map_or("", |(_, p)| p));
    path.split('/')
        .map(|s| s.split(['?', '#']).next().unwrap_or(""))
        .find(|s| {
            !s.is_empty()
                && !s.contains('.')
                && !s.chars().all(|c| c.is_ascii_digit())
                && !GENERIC_SEGMENTS.contains(&s.to_ascii_lowercase().as_str())
                && s.len() <= 40
        })
        .map(str::to_ascii_lowercase)
}

/// A slug in title case (`government-economy` → "Government Economy"), when the page gives
/// no better name for it.
pub fn slug_name(slug: &str) -> Option<String> {
    let words: Vec<String> = slug
        .split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(capitalise)
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// A section label in display form, or None when the text is not one; see [`clean`].
pub fn label(raw: &str, title: &str) -> Option<String> {
    clean(raw, title)
}

/// A section label in display form, or None when it is not one (empty, too long, a root
/// like "Home", the headline).
fn clean(raw: &str, title: &str) -> Option<String> {
    let s = collapse_ws(raw);
    let s = s.trim_matches(|c: char| c.is_whitespace() || "›»>|/:·-".contains(c));
    let lower = s.to_lowercase();
    if s.is_empty()
        || s.chars().count() > 40
        || s.split_whitespace().count() > 5
        || NOT_SECTIONS.contains(&lower.as_str())
        || lower == title.to_lowercase()
        || s.chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_punctuation())
    {
        return None;
    }
    Some(display_case(s))
}

/// Shouted labels ("GOVERNMENT & ECONOMY") in title case; anything with lower case is kept.
pub fn display_case(s: &str) -> String {
    if s.chars().any(char::is_lowercase) || s.chars().filter(|c| c.is_alphabetic()).count() <= 3 {
        return s.to_string();
    }
    s.split(' ').map(capitalise).collect::<Vec<_>>().join(" ")
}

fn capitalise(word: &str) -> String {
    let lower = word.to_lowercase();
    if matches!(lower.as_str(), "and" | "of" | "the" | "in" | "for" | "on") {
        return lower;
    }
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sec(html: &str, url: Option<&str>) -> Option<String> {
        let doc = Html::parse_document(html);
        let blocks = crate::extract::dom::blocks(&doc);
        section(&doc, &Meta::read(&doc), &blocks, url, "The headline")
    }

    #[test]
    fn meta_section_first() {
        assert_eq!(
            sec("<meta property='article:section' content='World'><div class='breadcrumb'>Home &gt; Sport</div>", None).as_deref(),
            Some("World")
        );
    }

    #[test]
    fn breadcrumbs_not_menu() {
        let html = "<ul class='menu'><li><a href='/sport'>Sport</a></li><li><a href='/world'>World</a></li></ul>\
            <div class='breadcrumb'><a href='/'>Home</a> &gt; <a href='/government-economy'>Government &amp; Economy</a></div>";
        assert_eq!(sec(html, None).as_deref(), Some("Government & Economy"));
    }

    #[test]
    fn aria_breadcrumb_with_headline_last() {
        let html = "<nav aria-label='Breadcrumb'><ol><li><a href='/'>Home</a></li><li><a href='/tech'>Technology</a></li><li>The headline</li></ol></nav>";
        assert_eq!(sec(html, None).as_deref(), Some("Technology"));
    }

    #[test]
    fn jsonld_breadcrumb_list() {
        let html = r#"<script type="application/ld+json">{"@type":"BreadcrumbList","itemListElement":[
            {"@type":"ListItem","position":2,"name":"Markets"},{"@type":"ListItem","position":1,"name":"Home"}]}</script>"#;
        assert_eq!(sec(html, None).as_deref(), Some("Markets"));
    }

    #[test]
    fn shouting_label_and_url_fallback_named_by_menu() {
        assert_eq!(
            sec(
                "<table><tr><td class='section-head'>LIFE &amp; CULTURE</td></tr></table>",
                None
            )
            .as_deref(),
            Some("Life & Culture")
        );
        let html = "<ul class='menu'><li><a href='/companies-markets'>Companies &amp; Markets</a></li></ul><p>text</p>";
        assert_eq!(
            sec(
                html,
                Some("https://bc.example/companies-markets/2019/11/13/slug")
            )
            .as_deref(),
            Some("Companies & Markets")
        );
        assert_eq!(
            sec("<p>x</p>", Some("https://bc.example/life-style/slug.html")).as_deref(),
            Some("Life Style")
        );
    }
}

//! Which date is the publication date. Evidence is taken in order of trust: JSON-LD
//! `datePublished`, publication `<meta>` tags, a `<time>` in the article (not a sidebar), the
//! URL, a date written near the headline, and a year-less wire dateline resolved with the rest.
//! Modified dates, copyright years and sidebar items' dates are never used. The string formats
//! themselves are parsed in [`super::dates`].

use std::sync::LazyLock;

use chrono::Datelike;
use scraper::{Html, Selector};

use super::dates::{
    date_from_url, parse_date_value, parse_text_date, resolve_yearless, yearless_dateline, PageDate,
};
use super::dom::Blocks;
use super::meta::Meta;

/// `<meta>` names that carry the original publication date, most specific first.
const PUBLISHED_META: [&str; 22] = [
    "article:published_time",
    "og:article:published_time",
    "article.published",
    "datepublished",
    "date.published",
    "published_time",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "citation_publication_date",
    "original-publish-date",
    "article_date_original",
    "cxenseparse:recs:publishtime",
    "dc.date",
    "date",
];

static TIME: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse(r#"time[datetime], [itemprop="datePublished"]"#).expect("selector")
});

/// Finds the publication date. `url` is the canonical or mirror URL, `title_block` the index
/// of the headline among `blocks` (when found) and `story_start` the first story paragraph.
pub fn published(
    doc: &Html,
    meta: &Meta,
    blocks: &Blocks,
    url: Option<&str>,
    rel_path: &str,
    title_block: Option<usize>,
    first_paragraph: Option<&str>,
) -> Option<PageDate> {
    let ld = |key: &str| {
        meta.articles()
            .find_map(|a| a.get(key))
            .and_then(super::meta::first_str)
            .and_then(|s| parse_date_value(&s))
    };
    if let Some(d) = ld("datePublished") {
        return Some(d);
    }
    if let Some(d) = PUBLISHED_META
        .iter()
        .find_map(|name| meta.first(&[name]).and_then(parse_date_value))
    {
        return Some(d);
    }
    // `dateCreated` is often the CMS record's creation time in UTC: after the meta tags,
    // which give the publisher's own clock.
    if let Some(d) = ld("dateCreated") {
        return Some(d);
    }
    if let Some(d) = time_element(doc, blocks) {
        return Some(d);
    }
    let url_date = url
        .and_then(date_from_url)
        .or_else(|| date_from_url(rel_path));
    if let Some(date) = url_date {
        // A time written near the headline on the same day refines the URL's date.
        if let Some(near) = near_headline(blocks, title_block).filter(|n| n.date == date) {
            return Some(near);
        }
        return Some(PageDate {
            date,
            time: None,
            offset_secs: None,
        });
    }
    // A dateline without a year ("ROME, Dec 6 -") is the story's own date; it takes its year
    // from a date written near the headline, or failing that any dated line of the page that
    // is not foreign to the article.
    let near = near_headline(blocks, title_block);
    let dateline = first_paragraph.and_then(yearless_dateline);
    let undated = |date| PageDate {
        date,
        time: None,
        offset_secs: None,
    };
    match (near, dateline) {
        (Some(n), Some((month, day))) if (n.date.month(), n.date.day()) != (month, day) => {
            resolve_yearless(month, day, n.date)
                .map(undated)
                .or(Some(n))
        }
        (Some(n), _) => Some(n),
        (None, Some((month, day))) => {
            let reference = blocks
                .iter()
                .filter(|b| !b.foreign && b.text.chars().count() <= 200)
                .find_map(|b| parse_text_date(&b.text))?;
            resolve_yearless(month, day, reference.date).map(undated)
        }
        (None, None) => None,
    }
}

/// A `<time datetime>` or `itemprop=datePublished` element outside sidebars and comments,
/// skipping those marked as updated or modified.
fn time_element(doc: &Html, blocks: &Blocks) -> Option<PageDate> {
    doc.select(&TIME)
        .filter(|el| !blocks.in_foreign(*el))
        .filter(|el| {
            let v = el.value();
            let marks = format!(
                "{} {} {}",
                v.attr("class").unwrap_or(""),
                v.attr("itemprop").unwrap_or(""),
                el.parent()
                    .and_then(scraper::ElementRef::wrap)
                    .and_then(|p| p.value().attr("class"))
                    .unwrap_or("")
            )
            .to_ascii_lowercase();
            !(marks.contains("updated") || marks.contains("modified"))
        })
        .find_map(|el| {
            let v = el.value();
            v.attr("datetime")
                .or_else(|| v.attr("content"))
                .and_then(parse_date_value)
                .or_else(|| parse_text_date(&el.text().collect::<String>()))
        })
}

/// A date written for readers in the short lines around the headline (date lines, bylines,
/// top bars), skipping "Updated …" lines and foreign boxes.
fn near_headline(blocks: &Blocks, title_block: Option<usize>) -> Option<PageDate> {
    let around: Vec<usize> = match title_block {
        Some(t) => (t + 1..(t + 8).min(blocks.len()))
            .chain((t.saturating_sub(4)..t).rev())
            .collect(),
        None => (0..blocks.len().min(40)).collect(),
    };
    around
        .into_iter()
        .map(|i| &blocks[i])
        .filter(|b| !b.foreign && b.text.chars().count() <= 160)
        .filter(|b| {
            let lower = b.text.to_lowercase();
            !(lower.contains("updated") || lower.contains("modified") || lower.contains('©'))
        })
        .find_map(|b| parse_text_date(&b.text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::dom::blocks;

    fn date_of(html: &str, url: Option<&str>) -> Option<String> {
        let doc = Html::parse_document(html);
        let meta = Meta::read(&doc);
        let b = blocks(&doc);
        let title_block = b.iter().position(|b| b.tag == "h1");
        let story = crate::extract::dom::story(&doc, &b, "");
        let first = story.paragraphs.first().map(|&i| b[i].text.as_str());
        published(&doc, &meta, &b, url, "", title_block, first).map(|d| d.date.to_string())
    }

    #[test]
    fn jsonld_published_beats_modified_and_graph_is_read() {
        let html = r#"<script type="application/ld+json">{"@graph":[{"@type":"NewsArticle",
            "dateModified":"2021-06-09T10:00:00Z","datePublished":"2021-06-04T08:15:00+02:00"}]}</script>
            <meta property="article:modified_time" content="2021-06-09T10:00:00Z">"#;
        assert_eq!(date_of(html, None).as_deref(), Some("2021-06-04"));
    }

    #[test]
    fn meta_local_time_beats_jsonld_created_in_utc() {
        let html = r#"<script type="application/ld+json">{"@type":"NewsArticle","dateCreated":"2017-02-24T01:18:13Z"}</script>
            <meta property="article:published_time" content="2017-02-23T17:18:13-08:00">"#;
        assert_eq!(date_of(html, None).as_deref(), Some("2017-02-23"));
    }

    #[test]
    fn meta_published_not_modified() {
        let html = r#"<meta property="article:modified_time" content="2020-01-05">
            <meta property="article:published_time" content="2019-12-30T23:10:00-05:00">"#;
        assert_eq!(date_of(html, None).as_deref(), Some("2019-12-30"));
    }

    #[test]
    fn sidebar_dates_and_copyright_are_ignored() {
        let html = "<div class='sidebar'><time datetime='2022-02-02'>2 Feb</time><p>Mar 26, 2021 07:02 AM</p></div>\
            <h1>Harbour strike ends</h1><div class='article-date'>Wed, Nov 13, 2019 - 6:42 AM</div>\
            <p>Workers returned on Wednesday, the union said, after a long strike at the port.</p>\
            <footer>© 2023 The Paper</footer>";
        assert_eq!(date_of(html, None).as_deref(), Some("2019-11-13"));
    }

    #[test]
    fn url_date() {
        assert_eq!(
            date_of(
                "<h1>x</h1><p>No date here at all.</p>",
                Some("https://w.example/world/2018/03/07/story")
            )
            .as_deref(),
            Some("2018-03-07")
        );
    }

    #[test]
    fn time_element_outside_sidebar() {
        let html = "<article><header><h1>T</h1><time datetime='2017-05-01T09:00:00Z'>1 May</time></header></article>";
        assert_eq!(date_of(html, None).as_deref(), Some("2017-05-01"));
    }

    #[test]
    fn yearless_dateline_resolved_with_other_evidence() {
        let html = "<h1>Talks resume</h1><div class='topbar'>Printed 10 December 2020</div>\
            <div class='story'><p>ROME, Dec 6 (Wire) - Talks between the two sides resumed on Sunday, officials said, after a week of delays.</p>\
            <p>Negotiators met in the capital, and more meetings are planned for the coming week, they added.</p></div>";
        assert_eq!(date_of(html, None).as_deref(), Some("2020-12-06"));
    }
}

//! Which date is the publication date. Evidence is taken in order of trust: JSON-LD
//! `datePublished`, publication `<meta>` tags, a `<time>` in the article (not a sidebar), the
//! URL, a date written near the headline, and a year-less wire dateline resolved with the rest.
//! Modified dates, copyright years and sidebar items' dates are never used. The string formats
//! themselves are parsed in [`super::dates`].

use std::sync::LazyLock;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use regex::Regex;
use scraper::{Html, Selector};

use super::dates::{
    date_from_url, is_caption, is_publication_line, is_revision_line, parse_date_value,
    parse_relative_date, parse_text_date, parse_text_date_with, published_in_line,
    resolve_yearless, text_dates, year_month_from_url, yearless_dateline, DateOrder, PageDate,
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

static H1: LazyLock<Selector> = LazyLock::new(|| Selector::parse("h1").expect("selector"));

static TIME: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse(r#"time[datetime], [itemprop="datePublished"]"#).expect("selector")
});

/// Finds the publication date. `url` is the canonical or mirror URL, `title_block` the index
/// of the headline among `blocks` (when found), `first_paragraph` the first story paragraph
/// and `captured` the time the page was fetched (WARC-Date, file time) when known: no date
/// after it is accepted, and relative dates ("vor 2 Stunden") are resolved against it.
#[allow(clippy::too_many_arguments)]
pub fn published(
    doc: &Html,
    meta: &Meta,
    blocks: &Blocks,
    url: Option<&str>,
    rel_path: &str,
    title_block: Option<usize>,
    first_paragraph: Option<&str>,
    captured: Option<DateTime<Utc>>,
) -> Option<PageDate> {
    let ok = |d: &PageDate| not_after(d, captured);
    let marked = marked(
        doc,
        meta,
        blocks,
        url,
        rel_path,
        title_block,
        first_paragraph,
    )
    .filter(|(d, _)| ok(d));
    let from_page = marked.is_none_or(|(_, source)| source == Source::Page);
    let found = marked
        .map(|(d, source)| match source {
            Source::Page => d,
            _ => shown_instead(
                doc,
                meta,
                blocks,
                title_block,
                first_paragraph,
                d,
                source == Source::GenericMeta,
            )
            .filter(ok)
            .unwrap_or(d),
        })
        .or_else(|| {
            page_wide(doc, meta, blocks, title_block, first_paragraph, captured).find(ok)
        })?;
    // A URL that names the month ("/2017/09/slug", blog engines) was made when the page was:
    // a date the page's text gives before that month is another thing's (a book's release
    // date, an event), and the first page-wide candidate of the URL's month is taken instead,
    // when there is one. (A later date may be the page's update.)
    let url_month = url
        .and_then(year_month_from_url)
        .or_else(|| year_month_from_url(rel_path));
    let found = match url_month {
        Some((y, m)) if from_page && (found.date.year(), found.date.month()) < (y, m) => {
            page_wide(doc, meta, blocks, title_block, first_paragraph, captured)
                .filter(ok)
                .take(40)
                .find(|d| (d.date.year(), d.date.month()) == (y, m))
                .unwrap_or(found)
        }
        _ => found,
    };
    let found = local_clock(doc, meta, found);
    // A URL that carries the date a day away from the found one: the found value is a UTC
    // time stamp across midnight from the publisher's own date, which the URL keeps.
    let url_date = url
        .and_then(date_from_url)
        .or_else(|| date_from_url(rel_path));
    match url_date {
        // The URL was made with the page: a metadata date long after it is a re-import's or
        // an update's time stamp.
        Some(u) if !from_page && (found.date - u).num_days() > 31 => Some(PageDate {
            date: u,
            time: None,
            offset_secs: None,
        }),
        Some(u)
            if (found.date - u).num_days().abs() == 1
                && found.offset_secs.is_none_or(|o| o == 0) =>
        {
            Some(PageDate {
                date: u,
                time: None,
                offset_secs: None,
            })
        }
        _ => Some(found),
    }
}

/// A UTC time stamp restated in the publisher's own clock: when another of the page's date
/// values (a `<meta>`, a JSON-LD date, a `<time datetime>`) gives the same instant, within
/// five minutes, with a non-zero UTC offset, its local date is the page's date ("2023-11-09T
/// 06:35Z" and "2023-11-08T22:35-08:00" are the same publication on 8 November).
fn local_clock(doc: &Html, meta: &Meta, found: PageDate) -> PageDate {
    if found.time.is_none() || found.offset_secs.is_some_and(|o| o != 0) {
        return found;
    }
    let instant = found.to_utc();
    let jsonld = meta.jsonld.iter().flat_map(|v| {
        ["datePublished", "dateCreated", "uploadDate"]
            .into_iter()
            .filter_map(|k| v.get(k).and_then(super::meta::first_str))
    });
    let times = doc
        .select(&TIME)
        .filter_map(|el| el.value().attr("datetime").map(String::from));
    meta.tags
        .iter()
        .filter(|(k, _)| !NOT_PUBLISHED.iter().any(|w| k.contains(w)))
        .map(|(_, v)| v.clone())
        .chain(jsonld)
        .chain(times)
        .filter_map(|v| parse_date_value(&v))
        .find(|d| {
            d.time.is_some()
                && d.offset_secs.is_some_and(|o| o != 0)
                && d.date != found.date
                && (d.to_utc() - instant).num_minutes().abs() <= 5
        })
        .unwrap_or(found)
}

/// True when a date is not later than the capture time (a page cannot be published after it
/// was fetched; later dates are event dates, expiry dates or clocks).
fn not_after(d: &PageDate, captured: Option<DateTime<Utc>>) -> bool {
    let Some(c) = captured else { return true };
    if d.date <= c.date_naive() {
        return true;
    }
    // A local date one day ahead is fine when its time and offset show the instant was before.
    d.time.is_some() && d.offset_secs.is_some() && d.to_utc() <= c
}

/// Meta names of the page's last revision date (`article:modified_time`, `og:updated_time`,
/// `dateModified`, `dcterms.modified`, `last-modified`).
const REVISION_META: [&str; 7] = [
    "article:modified_time",
    "og:article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "dc.date.modified",
    "last-modified",
];

/// The date the page shows its readers in place of its metadata's publication date
/// `published`, when that date appears nowhere in the page's text: a metadata date the page
/// does not show is a CMS time stamp (record creation, a UTC instant across midnight, a
/// template's `<meta name="date">` of the last change), while the date line under the
/// headline is the page's date as published. The page's revision date (`dateModified`,
/// `article:modified_time`) is taken when the header shows it unlabelled (a republished
/// article); otherwise the header's own date. Pages that show the metadata date anywhere, or
/// show no date in their header, keep it.
fn shown_instead(
    doc: &Html,
    meta: &Meta,
    blocks: &Blocks,
    title_block: Option<usize>,
    first_paragraph: Option<&str>,
    published: PageDate,
    generic: bool,
) -> Option<PageDate> {
    let order = date_order(meta.lang.as_deref());
    // An embedded post (a `<blockquote>`: "— Name (@handle) May 4, 2022") shows its own date.
    let shown: Vec<NaiveDate> = blocks
        .iter()
        .filter(|b| !b.foreign && b.chars <= 300)
        .flat_map(|b| text_dates(&b.text, order).into_iter().map(move |d| (b, d)))
        .filter(|&(_, d)| same_or_swapped(d, published.date))
        .filter(|(b, _)| !block_quoted(doc, b))
        .map(|(_, d)| d)
        .collect();
    if shown.contains(&published.date) {
        return None;
    }
    // An ambiguous numeric value ("11/01/2023 12:43") that the page shows with day and month
    // the other way round ("Erstellt am: 01.11.2023") was written in the other order.
    if let Some(&date) = shown.first() {
        // A year-first value is unambiguous: the page shows it in its own order.
        return (!iso_written(meta, published.date)).then_some(PageDate { date, ..published });
    }
    let header = header_dates(doc, blocks, title_block, first_paragraph, order);
    if header.is_empty() {
        return None;
    }
    let revision = meta
        .articles()
        .filter_map(|a| a.get("dateModified"))
        .filter_map(super::meta::first_str)
        .filter_map(|s| parse_date_value(&s))
        .chain(
            REVISION_META
                .iter()
                .flat_map(|name| meta.all(name))
                .filter_map(parse_date_value),
        )
        .find(|r| r.date > published.date && header.iter().any(|h| h.date == r.date));
    if revision.is_some() {
        return revision;
    }
    // The header shows the stamp's instant on the publisher's clock, with its time of day
    // ("3/5/2022 22:41" for "Wed, 04 May 2022 02:41 GMT"): the local date is the page's.
    if let Some(local) = header.iter().find(|h| local_time_of(h, published)) {
        return Some(*local);
    }
    if header.iter().any(|h| same_instant(h.date, published)) {
        return None;
    }
    if generic {
        return header.into_iter().next();
    }
    // A specific publication key gives way to the date line right under the headline (the
    // date the page presents itself with), or else only to a header date that other
    // publication metadata of the page confirms (a JSON-LD date against an
    // `article:published_time`).
    let under = title_block
        .and_then(|t| blocks.get(t + 1..(t + 3).min(blocks.len())))
        .into_iter()
        .flatten()
        .filter(|b| !b.foreign && is_date_line(&b.text) && !is_revision_line(&b.text))
        // A machine time stamp in the text ("2022-12-07T10:10:52+01:00") is hidden markup
        // leaking into it, not what the reader is shown.
        .filter(|b| !MACHINE_STAMP.is_match(&b.text))
        .find_map(|b| published_in_line(&b.text, order));
    if under.is_some() {
        return under;
    }
    let others: Vec<PageDate> = meta
        .tags
        .iter()
        .filter(|(k, _)| !NOT_PUBLISHED.iter().any(|w| k.contains(w)))
        .filter_map(|(_, v)| parse_date_value(v))
        .chain(meta.jsonld.iter().filter_map(|v| {
            ["datePublished", "dateCreated"]
                .iter()
                .find_map(|k| v.get(*k).and_then(super::meta::first_str))
                .and_then(|s| parse_date_value(&s))
        }))
        .collect();
    header
        .into_iter()
        .find(|h| others.iter().any(|o| o.date == h.date))
}

/// True when the page's metadata writes `date` year first ("2021-11-01T04:00:14Z"): an
/// unambiguous value, whatever order the page's text uses.
fn iso_written(meta: &Meta, date: NaiveDate) -> bool {
    let jsonld = meta.jsonld.iter().flat_map(|v| {
        ["datePublished", "dateCreated"]
            .into_iter()
            .filter_map(|k| v.get(k).and_then(super::meta::first_str))
    });
    meta.tags
        .iter()
        .map(|(_, v)| v.clone())
        .chain(jsonld)
        .filter(|v| {
            let v = v.trim();
            v.len() >= 10 && v.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        })
        .any(|v| parse_date_value(&v).is_some_and(|d| d.date == date))
}

/// Dates the article's header shows as the page's date, in reading order: `<time>` elements
/// and lines just around the headline, outside foreign boxes, not labelled as revisions.
fn header_dates(
    doc: &Html,
    blocks: &Blocks,
    title_block: Option<usize>,
    first_paragraph: Option<&str>,
    order: DateOrder,
) -> Vec<PageDate> {
    // `<time>` elements by the date their text shows (a `<meta itemprop>` shows nothing).
    let mut out: Vec<PageDate> = doc
        .select(&TIME)
        .filter(|el| !blocks.in_foreign(*el) && !updated(*el) && !quoted(*el))
        .filter(|el| !revision_labelled(*el) && !in_comment(*el))
        .filter_map(|el| {
            let text = el.text().collect::<String>();
            (text.len() <= 100 && !is_revision_line(&text))
                .then(|| published_in_line(&text, order))
                .flatten()
        })
        .take(3)
        .collect();
    // Short date-marked elements inside the header's blocks: a date set in its own `<span
    // class="date">` at the end of a standfirst or a byline ("… its recovery?Monday, 6 January
    // 2020") that makes the block too long to read as a line.
    out.extend(marked_in_header(doc, blocks, title_block, order));
    // The header ends where the story starts: dates in the story are events it tells of.
    let story = title_block.and_then(|t| {
        let first = first_paragraph?;
        (t + 1..blocks.len()).find(|&i| blocks[i].text == first)
    });
    for i in header_window(blocks, title_block) {
        let b = &blocks[i];
        let date_line = is_date_line(&b.text);
        // A date line after a standfirst that joined the story is still the header's, unless
        // a label other than a publication label leads it ("Termin: 21.02.2020, 19 Uhr").
        let labelled = b.text[..b.text.find(|c: char| c.is_ascii_digit()).unwrap_or(0)]
            .contains(':')
            && !is_publication_line(&b.text);
        if story.is_some_and(|s| i >= s) && (!date_line || labelled) {
            continue;
        }
        // Just under the headline a date line counts even in a box marked as chrome (the
        // "meta" bar of category, author and date).
        let under = title_block.is_some_and(|t| i > t && i <= t + 3);
        if (!b.foreign || (date_line && under))
            && b.chars <= 160
            && !b.text.contains('©')
            && !is_caption(&b.text)
        {
            out.extend(published_in_line(&b.text, order));
        }
    }
    out
}

/// The dates of short elements whose class or id names a date (`date`, `datum`, `fecha`…)
/// and that sit inside one of the header's blocks (seven after the headline, four before),
/// outside foreign boxes, comments, quotes and revision marks: the header's date when the
/// page set it inside a longer block.
fn marked_in_header(
    doc: &Html,
    blocks: &Blocks,
    title_block: Option<usize>,
    order: DateOrder,
) -> Vec<PageDate> {
    if title_block.is_none() {
        return Vec::new();
    }
    let containers: Vec<ego_tree::NodeId> = header_window(blocks, title_block)
        .into_iter()
        .filter(|&i| !blocks[i].foreign && blocks[i].chars > 80)
        .map(|i| blocks[i].container)
        .collect();
    if containers.is_empty() {
        return Vec::new();
    }
    doc.root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
        .filter(|el| {
            let v = el.value();
            let marks = format!(
                "{} {}",
                v.attr("class").unwrap_or(""),
                v.attr("id").unwrap_or("")
            )
            .to_ascii_lowercase();
            ["date", "datum", "fecha", "data"]
                .iter()
                .any(|m| marks.contains(m))
        })
        .filter(|el| el.ancestors().any(|a| containers.contains(&a.id())))
        .filter(|el| !updated(*el) && !in_comment(*el) && !quoted(*el))
        .filter_map(|el| {
            let text = super::dom::collapse_ws(&el.text().collect::<String>());
            (is_date_line(&text) && text.chars().count() <= 80 && !is_revision_line(&text))
                .then(|| published_in_line(&text, order))
                .flatten()
        })
        .take(2)
        .collect()
}

/// A line that is mostly a date: a date line, byline or meta bar ("Dienstag, 01. Februar 2022
/// 12:10", "By Giovanni Gaggero | 12/10/2020", "27.01.2022 Aktuelles"), not a sentence that
/// mentions one (an event the story tells of).
fn is_date_line(text: &str) -> bool {
    let words = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count();
    text.bytes().any(|b| b.is_ascii_digit())
        && ((text.chars().count() <= 80 && words <= 8) || is_publication_line(text))
}

/// Where a marked date came from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    /// A publication key of JSON-LD or `<meta>`.
    Metadata,
    /// A plain `<meta name="date">`/`dc.date`: CMS templates fill it with the last change.
    GenericMeta,
    /// The page's elements, URL or text.
    Page,
}

/// `<meta>` names that say "date" without saying which.
const GENERIC_META: [&str; 2] = ["dc.date", "date"];

/// The date the page marks as its publication date, in order of trust, and where it came
/// from.
fn marked(
    doc: &Html,
    meta: &Meta,
    blocks: &Blocks,
    url: Option<&str>,
    rel_path: &str,
    title_block: Option<usize>,
    first_paragraph: Option<&str>,
) -> Option<(PageDate, Source)> {
    let ld = |key: &str| {
        meta.articles()
            .find_map(|a| a.get(key))
            .and_then(super::meta::first_str)
            .and_then(|s| parse_date_value(&s))
    };
    if let Some(d) = ld("datePublished") {
        return Some((d, Source::Metadata));
    }
    if let Some((d, name)) = PUBLISHED_META.iter().find_map(|name| {
        meta.first(&[name])
            .and_then(parse_date_value)
            .map(|d| (d, *name))
    }) {
        let source = if GENERIC_META.contains(&name) {
            Source::GenericMeta
        } else {
            Source::Metadata
        };
        return Some((d, source));
    }
    // `dateCreated` is often the CMS record's creation time in UTC: after the meta tags,
    // which give the publisher's own clock.
    if let Some(d) = ld("dateCreated") {
        return Some((d, Source::Metadata));
    }
    marked_in_page(doc, blocks, url, rel_path, title_block, first_paragraph)
        .map(|d| (d, Source::Page))
}

/// The publication date the page's own elements, URL and text mark, when its metadata has none.
fn marked_in_page(
    doc: &Html,
    blocks: &Blocks,
    url: Option<&str>,
    rel_path: &str,
    title_block: Option<usize>,
    first_paragraph: Option<&str>,
) -> Option<PageDate> {
    if let Some(d) = time_element(doc, blocks, title_block) {
        return Some(d);
    }
    let url_date = url
        .and_then(date_from_url)
        .or_else(|| date_from_url(rel_path));
    if let Some(date) = url_date {
        // A time written near the headline on the same day refines the URL's date.
        if let Some(near) = near_headline(doc, blocks, title_block).filter(|n| n.date == date) {
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
    let near = near_headline(doc, blocks, title_block);
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

/// Meta names that hold some other date than the publication.
const NOT_PUBLISHED: [&str; 8] = [
    "modif", "updat", "expir", "revis", "valid", "last", "review", "end",
];

/// Class or id words of elements that show a date to readers.
const DATE_MARKS: [&str; 10] = [
    "date", "datum", "time", "publish", "posted", "byline", "meta", "fecha", "data", "info",
];

/// An ISO 8601 date and time ("2022-12-07T10:10:52").
static MACHINE_STAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}").expect("machine stamp regex")
});

static SCRIPT: LazyLock<Selector> = LazyLock::new(|| Selector::parse("script").expect("selector"));

/// Publication keys of the JSON a page's scripts carry (app state, analytics layers).
static SCRIPT_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"["']?(?:datePublished|dateCreated|publishDate|publishedDate|publicationDate|publish_date|published_at|publishedAt|pubDate|firstPublished(?:Date|At)?|date_published|createDate|created_at|uploadDate)["']?\s*[:=]\s*["']([^"']{6,40})["']"#,
    )
    .expect("script date regex")
});

/// Evidence when the page marks no publication date: any JSON-LD object's date, other date
/// meta tags, `<time>` elements anywhere, short elements whose class or id names a date, dates
/// in scripts, a story opening with its date, the page's own headline dated in a list of the
/// site's stories, short lines (date lines before sentences that mention a date), and last
/// relative dates (with a capture time).
/// Lazily evaluated, most trusted first; the caller takes the first acceptable one.
fn page_wide<'a>(
    doc: &'a Html,
    meta: &'a Meta,
    blocks: &'a Blocks,
    title_block: Option<usize>,
    first_paragraph: Option<&str>,
    captured: Option<DateTime<Utc>>,
) -> impl Iterator<Item = PageDate> + 'a {
    // A story opening with its date, in its first paragraphs (a standfirst or sub-heading
    // may come first).
    let lead = first_paragraph
        .and_then(|f| (title_block.unwrap_or(0)..blocks.len()).find(|&i| blocks[i].text == f))
        .and_then(|i| {
            blocks[i..(i + 5).min(blocks.len())]
                .iter()
                .filter(|b| !b.foreign)
                .find_map(|b| dated_lead(&b.text))
        });
    let order = date_order(meta.lang.as_deref());
    let parse = move |t: &str| parse_text_date_with(t, order);
    let jsonld = meta.jsonld.iter().filter_map(|v| {
        ["datePublished", "dateCreated", "uploadDate"]
            .iter()
            .find_map(|k| v.get(*k).and_then(super::meta::first_str))
            .and_then(|s| parse_date_value(&s))
    });
    let tags = meta
        .tags
        .iter()
        .filter(|(k, _)| {
            (k.contains("date") || k.contains("publish") || k.contains("created"))
                && !NOT_PUBLISHED.iter().any(|w| k.contains(w))
        })
        .filter_map(|(_, v)| parse_date_value(v));
    let headline = title_block.map(|t| blocks[t].container);
    let times = doc
        .select(&TIME)
        .filter(|el| !updated(*el) && !in_comment(*el) && !quoted(*el))
        .filter(move |el| !in_masthead(doc, headline, *el))
        .filter_map(|el| {
            let v = el.value();
            v.attr("datetime")
                .or_else(|| v.attr("content"))
                .and_then(parse_date_value)
                .or_else(|| parse_text_date(&el.text().collect::<String>()))
        });
    let marked_elements = move |foreign: bool, relative: bool| {
        doc.root_element()
            .descendants()
            .filter_map(scraper::ElementRef::wrap)
            .filter(move |el| {
                let v = el.value();
                let marks = format!(
                    "{} {}",
                    v.attr("class").unwrap_or(""),
                    v.attr("id").unwrap_or("")
                )
                .to_ascii_lowercase();
                DATE_MARKS.iter().any(|m| marks.contains(m))
                    && !marks.contains("comment")
                    && !updated(*el)
                    && !in_comment(*el)
                    && !quoted(*el)
                    && !in_masthead(doc, headline, *el)
                    && blocks.in_foreign(*el) == foreign
            })
            .filter_map(move |el| {
                let text = super::dom::collapse_ws(&el.text().collect::<String>());
                if text.chars().count() > 100 || is_copyright(&text) {
                    return None;
                }
                if relative {
                    parse_relative_date(&text, captured).map(|date| PageDate {
                        date,
                        time: None,
                        offset_secs: None,
                    })
                } else {
                    published_in_line(&text, order)
                }
            })
    };
    let scripts = doc
        .select(&SCRIPT)
        .filter(|el| el.value().attr("type") != Some("application/ld+json"))
        .filter_map(|el| {
            let text: String = el.text().collect();
            SCRIPT_DATE
                .captures_iter(&text)
                .find_map(|c| parse_date_value(c.get(1)?.as_str()))
        });
    let start = title_block.unwrap_or(0);
    // The page's own statement of its last revision bounds the dates its sentences mention: a
    // page changed last on 29 January was not published on 5 February.
    let revised = shown_revision(blocks, order);
    let copyright_stamps = blocks
        .iter()
        .filter(|b| b.chars <= 200 && is_copyright(&b.text))
        .filter_map(move |b| parse_text_date_with(&b.text, order))
        .filter(|d| d.time.is_some());
    // Short lines from the headline on, date lines before sentences that mention a date.
    let lines = move |foreign: bool, dated: bool| {
        (start..blocks.len())
            .chain(0..start)
            .map(move |i| &blocks[i])
            // A picture caption's date is the picture's, an embedded post's (a `<blockquote>`)
            // the post's: read with the foreign boxes.
            .filter(move |b| b.text.chars().count() <= 200)
            .filter(move |b| (b.foreign || is_caption(&b.text) || block_quoted(doc, b)) == foreign)
            .filter(move |b| !is_copyright(&b.text) && is_date_line(&b.text) == dated)
            .filter_map(move |b| published_in_line(&b.text, order))
            // A sentence's date after the page's own last revision is an event it announces.
            .filter(move |d| dated || revised.is_none_or(|r| d.date <= r))
    };
    // A line that labels its date as the publication's ("Dieser Beitrag wurde am Samstag,
    // 3. Dezember 2011 veröffentlicht und unter … abgelegt", "This entry was posted on …"),
    // however long the blog template made it.
    // In a foreign box (a standfirst styled as a teaser: "Pressemitteilung vom 25. Januar
    // 2022 | Berlin – Die …", a blog's footer: "Dieser Artikel wurde am … geschrieben"),
    // after the page's own lines, before the foreign boxes' other lines (reader comments).
    let labelled = move |foreign: bool| {
        (start..blocks.len())
            .chain(0..start)
            .map(move |i| &blocks[i])
            .filter(move |b| b.foreign == foreign && b.chars <= 400 && !is_copyright(&b.text))
            .filter(|b| is_publication_line(&b.text) && !is_revision_line(&b.text))
            .filter_map(move |b| published_in_line(&b.text, order))
    };
    // A list of the site's stories (a sidebar, "latest news") that holds this page's own
    // headline beside its date.
    let listed = headline_text(blocks, title_block)
        .filter(|h| h.chars().count() >= 15)
        .into_iter()
        .flat_map(move |h| {
            let len = h.chars().count();
            blocks
                .iter()
                .filter(move |b| b.chars > len && b.chars <= len + 40)
                .filter(move |b| b.text.to_lowercase().contains(h.as_str()))
                .filter(|b| !is_copyright(&b.text))
                .filter_map(move |b| published_in_line(&b.text, order))
        });
    // A line that only labels a revision ("Zuletzt geändert: 15.10.2021", "Diese Seite wurde
    // zuletzt am … geändert"): after the page's date lines, before sentences.
    // Read in the page's own footer too (a wiki's "Diese Seite wurde zuletzt am … geändert"),
    // after the article's; a label in its own element takes the value in the next one
    // ("Letzte Änderung:" | "14.01.2022 um 09:25").
    let revision_lines = move |foreign: bool| {
        (start..blocks.len())
            .chain(0..start)
            .filter(move |&i| blocks[i].foreign == foreign)
            .map(move |i| labelled_value(blocks, i))
            .filter(|t| t.chars().count() <= 200 && !is_copyright(t))
            .filter(|t| is_revision_line(t))
            .filter_map(move |t| parse(&t))
    };
    jsonld
        .chain(tags)
        .chain(times)
        .chain(marked_elements(false, false))
        .chain(scripts)
        .chain(lead)
        .chain(labelled(false))
        .chain(listed)
        .chain(lines(false, true))
        // A labelled revision date before a date a sentence mentions (an event, a caption).
        .chain(revision_lines(false))
        .chain(lines(false, false))
        .chain(marked_elements(true, false))
        .chain(labelled(true))
        .chain(lines(true, true))
        .chain(lines(true, false))
        .chain(revision_lines(true))
        // Relative dates last: a file's time is not always when the page was fetched.
        .chain(marked_elements(false, true))
        // Nothing else: a copyright line that stamps a full date and time ("Copyright ©
        // 19.12.2019 - 12:14 h by …") dates the page's generation (its year alone never does).
        .chain(copyright_stamps)
}

/// The latest revision date the page states in a labelled line ("Zuletzt geändert: …", a
/// wiki footer's "This page was last edited on …"), in the article or its chrome.
fn shown_revision(blocks: &Blocks, order: DateOrder) -> Option<NaiveDate> {
    (0..blocks.len())
        .map(|i| labelled_value(blocks, i))
        .filter(|t| t.chars().count() <= 200 && !is_copyright(t) && is_revision_line(t))
        .filter_map(|t| parse_text_date_with(&t, order))
        .map(|d| d.date)
        .max()
}

/// A block's text, or when the block is only a label ("Letzte Änderung:", "Published:"), the
/// label with the value the page put in the next element.
fn labelled_value(blocks: &Blocks, i: usize) -> std::borrow::Cow<'_, str> {
    let text = blocks[i].text.as_str();
    match blocks.get(i + 1) {
        Some(next) if text.ends_with(':') && text.chars().count() <= 40 => {
            format!("{text} {}", next.text).into()
        }
        _ => text.into(),
    }
}

/// The headline's text, lower-cased.
fn headline_text(blocks: &Blocks, title_block: Option<usize>) -> Option<String> {
    title_block.map(|t| blocks[t].text.to_lowercase())
}

/// Day/month order for ambiguous numeric dates from the page language: American English
/// writes month first, every other language of the table day first.
fn date_order(lang: Option<&str>) -> DateOrder {
    match lang.map(str::to_ascii_lowercase).as_deref() {
        Some("en-us") => DateOrder::MonthFirst,
        Some(l) if l.starts_with("en") => DateOrder::Auto,
        Some(_) => DateOrder::DayFirst,
        None => DateOrder::Auto,
    }
}

/// A copyright line: its year is never a publication date.
fn is_copyright(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains('©') || lower.contains("copyright") || lower.contains("(c) ")
}

/// "Updated <time>…</time>": a revision label beside the element, in its parent's text.
fn revision_labelled(el: scraper::ElementRef<'_>) -> bool {
    el.parent()
        .and_then(scraper::ElementRef::wrap)
        .map(|p| p.text().take(8).collect::<String>())
        .is_some_and(|t| t.len() <= 200 && is_revision_line(&t))
}

/// A block inside a `<blockquote>` (an embedded post quoting its own date).
fn block_quoted(doc: &Html, b: &super::dom::Block) -> bool {
    doc.tree
        .get(b.container)
        .and_then(scraper::ElementRef::wrap)
        .is_some_and(|el| el.value().name() == "blockquote" || quoted(el))
}

/// An element inside a `<blockquote>`: an embedded post (Instagram, X, Mastodon) quoting its
/// own date, not the page's.
fn quoted(el: scraper::ElementRef<'_>) -> bool {
    el.ancestors()
        .filter_map(scraper::ElementRef::wrap)
        .any(|a| a.value().name() == "blockquote")
}

/// An element inside a reader comment (a box whose class or id names a comment: "comment",
/// "comment-meta", "kb-recipe-comment-box"): the comment's time, not the page's. Class words
/// that only state a fact about the page ("comments-open", "has-comments", "no-comments") and
/// "commentary" (an opinion column) do not count.
fn in_comment(el: scraper::ElementRef<'_>) -> bool {
    std::iter::once(el)
        .chain(el.ancestors().filter_map(scraper::ElementRef::wrap))
        .any(|a| {
            let v = a.value();
            [v.attr("class"), v.attr("id")]
                .into_iter()
                .flatten()
                .flat_map(str::split_whitespace)
                .any(comment_word)
        })
}

/// A class or id word that marks a reader comment.
fn comment_word(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    w.contains("comment")
        && !w.contains("commentary")
        && !["has-", "with-", "no-", "is-"]
            .iter()
            .any(|p| w.starts_with(p))
        && !["-open", "-closed", "-count", "-link", "-number"]
            .iter()
            .any(|s| w.ends_with(s))
}

/// An element marked as the updated or modified date (itself or its parent).
fn updated(el: scraper::ElementRef<'_>) -> bool {
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
    marks.contains("updated") || marks.contains("modified")
}

/// A `<time datetime>` or `itemprop=datePublished` element outside sidebars and comments,
/// skipping those marked as updated or modified and the site's masthead.
fn time_element(doc: &Html, blocks: &Blocks, title_block: Option<usize>) -> Option<PageDate> {
    let headline = title_block.map(|t| blocks[t].container);
    time_elements(doc, blocks, move |el| in_masthead(doc, headline, el)).next()
}

/// An element in the site's masthead: a `<header>` that holds no `<h1>` and not the headline
/// (at `headline`, the headline block's container). A date there is the day's ("Mittwoch, 01.
/// November 2023" above the navigation), not the article's; an article's `<header>` holds
/// its `<h1>`.
fn in_masthead(
    doc: &Html,
    headline: Option<ego_tree::NodeId>,
    el: scraper::ElementRef<'_>,
) -> bool {
    let Some(h) = headline else { return false };
    let Some(header) = el
        .ancestors()
        .filter_map(scraper::ElementRef::wrap)
        .find(|a| a.value().name() == "header")
    else {
        return false;
    };
    !header.select(&H1).any(|_| true)
        && !doc
            .tree
            .get(h)
            .is_some_and(|n| n.ancestors().any(|a| a.id() == header.id()))
}

/// The dates of `<time datetime>` and `itemprop=datePublished` elements outside sidebars and
/// comments and not marked updated, in page order. A `<time>` whose text is a full date other
/// than its `datetime` attribute's shows the reader its text ("Publié le 29 juin 2019"): the
/// text is taken.
fn time_elements<'a>(
    doc: &'a Html,
    blocks: &'a Blocks,
    skip: impl Fn(scraper::ElementRef<'_>) -> bool + 'a,
) -> impl Iterator<Item = PageDate> + 'a {
    doc.select(&TIME)
        .filter(|el| !blocks.in_foreign(*el) && !updated(*el) && !quoted(*el))
        .filter(move |el| !skip(*el))
        .filter(|el| !in_comment(*el))
        .filter_map(|el| {
            let v = el.value();
            let text = el.text().collect::<String>();
            if revision_labelled(el) {
                return None;
            }
            let shown = (text.len() <= 100)
                .then(|| published_in_line(&text, DateOrder::Auto))
                .flatten();
            let attr = v
                .attr("datetime")
                .or_else(|| v.attr("content"))
                .and_then(parse_date_value);
            match (attr, shown) {
                (Some(a), Some(t)) if a.date != t.date && !is_revision_line(&text) => Some(t),
                (Some(a), _) => Some(a),
                (None, t) => t,
            }
        })
}

/// A story that opens with its full date ("01.02.2022 – Der Arbeitsmarkt …", "Karlsruhe,
/// (12.11.2021). Traditionell …"): the date leads the first paragraph, behind at most a place
/// name (no lower-case word before it, so "Am 15.12.2016 treffen sich …" is an event).
fn dated_lead(paragraph: &str) -> Option<PageDate> {
    let pos = paragraph.find(|c: char| c.is_ascii_digit())?;
    let before = &paragraph[..pos];
    if before.chars().count() > 30 || before.chars().any(char::is_lowercase) {
        return None;
    }
    let rest: String = paragraph[pos..].chars().take(24).collect();
    let d = parse_text_date(&rest)?;
    // The date must be where the digits start, not a later number's.
    text_dates(&rest, DateOrder::Auto)
        .first()
        .is_some_and(|&f| f == d.date)
        .then_some(d)
}

/// Two dates that are the same or the same with day and month swapped: an ambiguous numeric
/// date ("11/01/2021") read in the other order.
fn same_or_swapped(a: NaiveDate, b: NaiveDate) -> bool {
    a == b || (a.year() == b.year() && a.month() == b.day() && a.day() == b.month())
}

/// A shown date a day away from a UTC time stamp: the stamp's instant on the publisher's
/// clock, so the stamp is shown.
fn same_instant(shown: NaiveDate, stamp: PageDate) -> bool {
    stamp.time.is_some()
        && stamp.offset_secs == Some(0)
        && (shown - stamp.date).num_days().abs() == 1
}

/// A shown date and time of day (no zone) that is a UTC stamp's instant on a local clock: a
/// day away from the stamp, and a whole number of quarter hours from it, within the offsets
/// clocks use (UTC-12 to UTC+14).
fn local_time_of(shown: &PageDate, stamp: PageDate) -> bool {
    if shown.time.is_none()
        || shown.offset_secs.is_some()
        || !same_instant(shown.date, stamp)
        || shown.date == stamp.date
    {
        return false;
    }
    let minutes = (shown.to_utc() - stamp.to_utc()).num_minutes();
    minutes != 0 && minutes % 15 == 0 && (-12 * 60..=14 * 60).contains(&minutes)
}

/// The blocks around the headline, nearest first: seven after it, then four before; the
/// first forty when the headline is unknown.
fn header_window(blocks: &Blocks, title_block: Option<usize>) -> Vec<usize> {
    match title_block {
        Some(t) => (t + 1..(t + 8).min(blocks.len()))
            .chain((t.saturating_sub(4)..t).rev())
            .collect(),
        None => (0..blocks.len().min(40)).collect(),
    }
}

/// A date written for readers in the short lines around the headline (date lines, bylines,
/// top bars), skipping "Updated …" lines, foreign boxes, captions, embedded posts and the
/// site's masthead.
fn near_headline(doc: &Html, blocks: &Blocks, title_block: Option<usize>) -> Option<PageDate> {
    let window: Vec<&super::dom::Block> = header_window(blocks, title_block)
        .into_iter()
        .map(|i| &blocks[i])
        .filter(|b| !b.foreign && b.text.chars().count() <= 160 && !b.text.contains('©'))
        .filter(|b| !is_caption(&b.text) && !block_quoted(doc, b))
        .filter(|b| {
            let headline = title_block.map(|t| blocks[t].container);
            !doc.tree
                .get(b.container)
                .and_then(scraper::ElementRef::wrap)
                .is_some_and(|el| in_masthead(doc, headline, el))
        })
        .collect();
    // Date lines first: a caption or sentence near the headline tells of other days.
    window
        .iter()
        .filter(|b| is_date_line(&b.text))
        .find_map(|b| published_in_line(&b.text, DateOrder::Auto))
        .or_else(|| {
            // A sentence's date after the page's own last revision is an event it announces.
            let revised = shown_revision(blocks, DateOrder::Auto);
            window
                .iter()
                .filter(|b| !is_date_line(&b.text))
                .filter_map(|b| published_in_line(&b.text, DateOrder::Auto))
                .find(|d| revised.is_none_or(|r| d.date <= r))
        })
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
        published(&doc, &meta, &b, url, "", title_block, first, None).map(|d| d.date.to_string())
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

    /// A story of three paragraphs inside `<article>`, after `head` (headline and date line).
    fn page(meta: &str, head: &str, story: &str) -> String {
        format!(
            "<html><head>{meta}</head><body>{head}<article class='post-content'>\
             <p>{story} The researchers watched the animals over many weeks and then evaluated the data with care.</p>\
             <p>They say the results are clear, and other groups have since reported very similar findings.</p>\
             <p>Anglers should handle their catch gently, the authors of the study recommend in their report.</p>\
             </article></body></html>"
        )
    }

    #[test]
    fn revision_shown_as_the_page_date_wins_over_unshown_published() {
        // German: the page shows only its revision date, unlabelled.
        let html = page(
            r#"<meta property="article:published_time" content="2021-11-29T14:13:37+01:00">
            <meta property="article:modified_time" content="2022-01-12T14:27:30+01:00">"#,
            "<h1>Können Fische Schmerzen spüren?</h1><div class='post-info'>ca. 8 Min. | 12.01.2022</div>",
            "Ob Fische Schmerzen empfinden, ist lange umstritten gewesen.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2022-01-12"));
        // English: the revision is labelled "Updated": the publication date stays.
        let html = page(
            r#"<meta property="article:published_time" content="2017-12-15T08:50:02-05:00">
            <meta property="article:modified_time" content="2018-07-24T14:15:58-04:00">"#,
            "<h1>The best films of the year</h1><div class='byline'><span>Updated <time datetime='2018-07-24T18:15:58Z'>Jul 24, 2018</time></span></div>",
            "It was a year of surprises at the movies.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2017-12-15"));
        // French: the published date is shown as well: it stays.
        let html = page(
            r#"<meta property="article:published_time" content="2017-04-12T18:33:59+02:00">
            <meta property="article:modified_time" content="2020-02-19T15:24:33+01:00">"#,
            "<h1>Problèmes d'intestin</h1><p class='date'>Publié le 12 avril 2017</p><p class='date'>19/02/2020</p>",
            "Les clés pour donner les bonnes bactéries à son intestin.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2017-04-12"));
    }

    #[test]
    fn header_date_line_beats_unshown_template_meta_date() {
        let html = page(
            r#"<meta name="date" content="2020-02-12">"#,
            "<h1>Faire Lieferketten</h1><div class='news-single-timedata'>05.02.2020 - Redaktion: Eberhard Fuhr</div>",
            "Das Jugendwerk setzt sich für faire Lieferketten ein.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2020-02-05"));
        // A date inside the story is an event it tells of, not the page's date.
        let html = page(
            r#"<meta property="article:published_time" content="2019-11-27T15:21:21+01:00">"#,
            "<h1>Termine Whisky-Tastings</h1>",
            "Termin: 21.02.2020, 19 Uhr.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2019-11-27"));
    }

    #[test]
    fn publication_label_beats_revision_label_in_one_line() {
        let html = "<h1>Die Anleitungen der Vorfahren</h1>\
            <p>Eine Rezension des neuen Bandes, die das Werk und seine Sprache genau betrachtet.</p>\
            <p class='footer'>Letzte Änderung: 31.10.2023 - 14:49:39 Erschienen am: 01.11.2023</p>";
        assert_eq!(date_of(html, None).as_deref(), Some("2023-11-01"));
        // Only a revision line: taken when the page shows nothing else (Polish).
        let html = "<h1>Regulamin</h1><p>Regulamin forum obowiązuje wszystkich użytkowników serwisu od dziś.</p>\
            <p>Zaktualizowano: 10.11.2019</p>";
        assert_eq!(date_of(html, None).as_deref(), Some("2019-11-10"));
    }

    #[test]
    fn utc_stamp_takes_the_publishers_clock_for_the_same_instant() {
        let html = r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2023-11-09T06:35:29+00:00"}</script>
            <h1>Arrest made</h1><p>Police said a man was arrested on Wednesday night at the mall, officials said.</p>
            <time datetime="2023-11-08T22:35:29-08:00">Nov 8</time>"#;
        assert_eq!(date_of(html, None).as_deref(), Some("2023-11-08"));
    }

    #[test]
    fn story_opening_with_its_date() {
        let html = page(
            "",
            "<h1>Arbeitsmarkt startet gut ins Jahr</h1>",
            "01.02.2022 – Der Arbeitsmarkt ist gut in das Jahr gestartet, sagte die Behörde.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2022-02-01"));
        let html = page(
            "",
            "<h1>Trauern digital</h1>",
            "Karlsruhe, (12.11.2021). Traditionell gedenken die Gemeinden der Verstorbenen.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2021-11-12"));
        // A date in the first sentence is an event when words come before it.
        assert!(dated_lead("Am 15.12.2016 treffen sich die Akteure zum Hackathon.").is_none());
        assert!(dated_lead("2.500 Menschen kamen am 15.12.2016 zusammen.").is_none());
    }

    #[test]
    fn embedded_posts_time_is_not_the_page_date() {
        let html = page(
            "",
            "<h1>Streit um Werbung</h1>",
            "Die Bloggerin hat ihre Beiträge gekennzeichnet, sagte das Gericht.</p>\
             <blockquote class='instagram-media'><p>Ein Beitrag <time datetime='2018-03-27T07:08:52+00:00'>Mär 27, 2018</time></p></blockquote><p>Das Urteil ist noch nicht rechtskräftig.",
        );
        assert_eq!(
            date_of(&html, Some("https://w.example/de/2018/05/23/werbung")).as_deref(),
            Some("2018-05-23")
        );
    }

    #[test]
    fn yearless_dateline_resolved_with_other_evidence() {
        let html = "<h1>Talks resume</h1><div class='topbar'>Printed 10 December 2020</div>\
            <div class='story'><p>ROME, Dec 6 (Wire) - Talks between the two sides resumed on Sunday, officials said, after a week of delays.</p>\
            <p>Negotiators met in the capital, and more meetings are planned for the coming week, they added.</p></div>";
        assert_eq!(date_of(html, None).as_deref(), Some("2020-12-06"));
    }

    #[test]
    fn date_line_under_the_headline_beats_unshown_metadata() {
        // German: the date line sits in a chrome-marked meta bar right under the headline.
        let html = page(
            r#"<meta name="date" content="2022-1-26T14:32:06+02:00">"#,
            "<h1>Der neue Tourenschuh im Test</h1><div class='sidebar-meta'><span>27.01.2022</span> <span>Aktuelles</span></div>",
            "Der Schuh ist ein vielseitiger Begleiter für Touren und Abfahrten im Gelände.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2022-01-27"));
        // Spanish: a date line after the standfirst, confirmed by a publication meta tag.
        let html = page(
            r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2022-05-02T07:29:00Z"}</script>
            <meta property="article:published_time" content="2022-05-04T08:29:34">"#,
            "<h1>El sueño de viajar en furgoneta por Suecia</h1>\
             <p class='lead'>Consejos y trucos para un viaje largo por los lagos y bosques del norte de Europa.</p>\
             <div>04/05/2022</div>",
            "Suecia es un país ideal para viajar en furgoneta, dicen los expertos.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2022-05-04"));
        // An event line in the story, behind its label, is not the page's date.
        let html = page(
            r#"<meta property="article:published_time" content="2019-11-27T15:21:21+01:00">"#,
            "<h1>Termine Whisky-Tastings</h1><p class='lead'>Auch im Jahr 2020 gibt es wieder Termine für Verkostungen in der Stadt.</p>\
             <div>Termin: 21.02.2020, 19 Uhr</div>",
            "Die Lagerung in verschiedenen Fasstypen steht im Mittelpunkt.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2019-11-27"));
    }

    #[test]
    fn date_lines_before_sentences_that_mention_dates() {
        // French: a sidebar teaser's sentence comes before the byline line in page order,
        // but the byline is a date line.
        let html = "<h1>Le hackathon de l'été</h1>\
            <p>Le 15.12.2016 se retrouvent les acteurs des données ouvertes pour leur rencontre mensuelle.</p>\
            <p>Publié par Marie le 24 juillet 2017</p>\
            <p>Les participants ont travaillé deux jours sur des projets de logiciels libres.</p>";
        assert_eq!(date_of(html, None).as_deref(), Some("2017-07-24"));
        // Polish: a photo caption with a date near the headline is not the date line.
        let html = "<h1>Ile śniegu leży w Alpach?</h1>\
            <p>Zdjęcie: fragment zdjęcia satelitarnego w okolicy St. Moritz z dnia 31.05.2021 (po lewej)</p>\
            <p>14.01.2022, 09:25</p>\
            <p>To pytanie pojawia się często, gdy zbliża się kolejna wycieczka w góry.</p>";
        assert_eq!(date_of(html, None).as_deref(), Some("2022-01-14"));
    }

    #[test]
    fn own_headline_in_a_dated_list() {
        let html = "<h1>Energiepreiskrise: Entlastungen und Rechte</h1>\
            <div class='story'><p>Seit dem 1. Oktober 2022 gilt für Erdgas sowie für Flüssiggas ein von 19 auf 7 Prozent reduzierter Umsatzsteuersatz, sagte das Ministerium am Montag in Berlin vor der Presse.</p>\
            <p>Für Strom wird derzeit über eine Senkung beraten, die Verbände fordern sie seit langem.</p></div>\
            <div class='sidebar'><ul><li>Die Rückkehr des Preisprotestes 29.11.2022</li>\
            <li>Energiepreiskrise: Entlastungen und Rechte 21.11.2022</li></ul></div>";
        assert_eq!(date_of(html, None).as_deref(), Some("2022-11-21"));
    }

    #[test]
    fn dated_lead_a_few_paragraphs_into_the_story() {
        let html = page(
            "",
            "<h1>Arbeitslosenzahlen 2022</h1><p class='lead'>Die Agentur veröffentlicht monatlich die offiziellen Zahlen zum Arbeitsmarkt in Deutschland.</p>\
             <h2>Entwicklung des Arbeitsmarkts</h2><p>Januar</p>",
            "01.02.2022 „Der Arbeitsmarkt ist gut in das Jahr gestartet“, sagte die Vorstandsvorsitzende.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2022-02-01"));
    }

    #[test]
    fn shown_local_time_of_a_utc_stamp_gives_the_local_date() {
        // Spanish (Bolivia, UTC-4): the header shows the stamp's instant on the local clock.
        let html = page(
            r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"Wed, 04 May 2022 02:41:00 GMT"}</script>"#,
            "<h1>Investigador asegura que no publicó todo su material</h1><div class='fecha'>3/5/2022 22:41</div>",
            "El investigador chileno dijo que el noventa por ciento de los autos robados están en el país.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2022-05-03"));
        // Portuguese (Brazil, UTC-3).
        let html = page(
            r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2022-05-04T00:44:52.000Z"}</script>"#,
            "<h1>O que Pacheco pretende ao fazer acenos ao STF</h1><div class='data'>03/05/2022 21:44</div>",
            "O presidente do Senado quer propor limites ao indulto presidencial, disseram aliados.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2022-05-03"));
        // A shown time that is no whole number of quarter hours away is another moment.
        let html = page(
            r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2022-05-04T00:44:52.000Z"}</script>"#,
            "<h1>O que Pacheco pretende ao fazer acenos ao STF</h1><div class='data'>03/05/2022 21:07</div>",
            "O presidente do Senado quer propor limites ao indulto presidencial, disseram aliados.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2022-05-04"));
    }

    #[test]
    fn zoneless_template_date_gives_way_to_the_header_stand_line() {
        // German: `<meta name="date">` without a zone is a later save, not a UTC stamp of the
        // date line's instant.
        let html = page(
            r#"<meta name="date" content="2020-04-29T11:52:23">"#,
            "<h1>Daten von Rheinmetall gehackt</h1><p>Stand: 28.04.2020 18:00 Uhr</p>",
            "Der Rüstungskonzern ist nach Recherchen von einem Datenleck betroffen.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2020-04-28"));
    }

    #[test]
    fn date_line_right_under_the_headline_beats_an_unshown_publication_key() {
        // German (Swiss): the page presents itself with the date under its headline.
        let html = page(
            r#"<meta property="og:article:published_time" content="2022-01-15">"#,
            "<h1>Schneesport mit Rücksicht auf Wildtiere</h1><p>25.01.2022</p>",
            "Wenn du schon einmal durch Tiefschnee gestapft bist, weisst du, wie anstrengend das ist.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2022-01-25"));
        // Italian, one line further down (a kicker between).
        let html = page(
            r#"<meta property="article:published_time" content="2022-11-17T10:33:13.258Z">"#,
            "<h1>La pompa di calore negli edifici vecchi</h1><p>Riscaldamento</p><p>09.03.2022</p>",
            "Le pompe di calore sfruttano l'energia gratuita dell'ambiente, spiegano gli esperti.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2022-03-09"));
        // A machine stamp leaking into the line is not what the reader is shown.
        let html = page(
            r#"<meta property="article:published_time" content="2022-12-25T11:00:02+00:00">"#,
            "<h1>Mit 80 Jahren noch aktiv</h1><p>Isabell Angele2022-12-07T10:10:52+01:00</p>",
            "Ihr gelang so einiges in ihrem Leben, und sie arbeitet noch immer an der Universität.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2022-12-25"));
    }

    #[test]
    fn long_publication_labelled_line_of_a_blog_template() {
        let story = "<div class='entry'><p>Die Meldung klang dramatisch: Hacker hätten Zugriff auf das Kontrollsystem eines Wasserwerks gehabt.</p>\
            <p>Inzwischen ist klar, dass es sich um einen Fehlalarm handelte, teilten die Behörden mit.</p></div>";
        let html = format!(
            "<h1>Kein Cyberterrorismus</h1>{story}<p>Dieser Beitrag wurde am Samstag, 3. Dezember 2011 um 10:15 Uhr veröffentlicht und unter \
             Cybercrime, Strafrecht, Sicherheit und Netzpolitik abgelegt. Sie können die Kommentare zu diesem Eintrag durch den RSS-Feed verfolgen. \
             Sowohl Kommentare als auch Pings sind derzeit geschlossen.</p>"
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2011-12-03"));
        let html = format!(
            "<h1>No cyberterrorism</h1>{story}<p>This entry was posted on Saturday, December 3rd, 2011 at 10:15 am and is filed under \
             Cybercrime, Criminal law, Security and Net politics. You can follow any responses to this entry through the RSS 2.0 feed. \
             Both comments and pings are currently closed.</p>"
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2011-12-03"));
        assert!(is_publication_line("Erstellt am: 01.11.2023"));
    }

    #[test]
    fn reader_comments_times_are_not_the_page_date() {
        // German recipe tip: the comments' <time>s, inside the story's box, come before the
        // page's own "am" line.
        let html = "<h1>Tomaten richtig schneiden</h1><div class='tip'>\
            <p>Den Strunk schneidet Ihr aber am besten raus, denn er enthält das giftige Solanin, sagen die Köche.</p>\
            <p>Man müsste zwar schon Unmengen davon essen, aber ohne Strunk sieht es auch schöner aus.</p>\
            <div id='kb-comments'><div class='kb-comment'><div class='kb-recipe-comment-box-middle'>\
            <time datetime='2020-09-23T18:19:06+02:00'>23.09.20 | 18:19</time> Rezeptsammlerin</div>\
            <p>stimmt, mach ich auch so</p></div></div></div>\
            <p>Weitere Tipps</p><p>Tomaten lagern</p><p>Tomaten häuten</p><p>Tomaten trocknen</p>\
            <div class='profile'>von Marianne1 <br>am 20.09.2020</div>";
        assert_eq!(date_of(html, None).as_deref(), Some("2020-09-20"));
        // English: a comment list's <time> elements; "comments-open" on the article is no comment.
        let html = "<h1>How the council voted on the new bridge</h1>\
            <article class='post comments-open'><p class='byline'>By Ann Lee, March 3, 2021</p>\
            <p>The council voted by a wide margin to fund the new bridge over the river, officials said on Wednesday.</p>\
            <p>Construction is expected to begin in the autumn and to last about two years in total.</p>\
            <ol id='comments'><li><time datetime='2021-03-05T10:00:00Z'>March 5, 2021</time> Great news.</li></ol></article>";
        assert_eq!(date_of(html, None).as_deref(), Some("2021-03-03"));
        assert!(comment_word("comment-meta") && comment_word("Kommentare-comments"));
        assert!(!comment_word("comments-open") && !comment_word("commentary"));
    }

    #[test]
    fn a_sentence_date_after_the_pages_stated_revision_is_an_event() {
        // German wiki: the next meeting's date is after the footer's last change.
        let html = "<h1>Stammtisch Kassel</h1><div id='content'>\
            <p>Der nächste Stammtisch findet am Mi. 5. Februar 2020 ab 19 Uhr im Cafe Hurricane statt.</p>\
            <p>Alle Interessierten sind herzlich eingeladen, Gäste sind wie immer willkommen.</p></div>\
            <footer><p>Diese Seite wurde zuletzt am 29. Januar 2020 um 13:22 Uhr geändert.</p></footer>";
        assert_eq!(date_of(html, None).as_deref(), Some("2020-01-29"));
        // English, the label and its value in separate elements.
        let html = "<h1>Spring hike in the valley</h1><div class='text'>\
            <p>The next guided hike starts on April 20, 2022 at the old mill, and everyone is welcome to join us.</p>\
            <p>Bring sturdy shoes and water; the route is about twelve kilometres long.</p></div>\
            <footer><label>Last modified:</label><div>14.01.2022 09:25</div></footer>";
        assert_eq!(date_of(html, None).as_deref(), Some("2022-01-14"));
        // A sentence's date before the revision stays the page's date.
        let html = "<h1>Stammtisch Kassel</h1><div id='content'>\
            <p>Der Stammtisch hat am Mi. 8. Januar 2020 im Cafe Hurricane über die Wahl gesprochen.</p>\
            <p>Alle Interessierten sind herzlich eingeladen, Gäste sind wie immer willkommen.</p></div>\
            <footer><p>Diese Seite wurde zuletzt am 29. Januar 2020 um 13:22 Uhr geändert.</p></footer>";
        assert_eq!(date_of(html, None).as_deref(), Some("2020-01-08"));
    }

    #[test]
    fn written_label_gives_the_publication_date() {
        let html = "<h1>Temperatures to drop sharply this week</h1><div class='news'>\
            <p>Written: 2023-11-07 15:03:30 Updated: 2023-11-07 15:05:12</p>\
            <p>Temperatures will drop sharply across the country from Wednesday, the weather agency said.</p>\
            <p>The agency forecast the first frost of the season in inland areas.</p></div>\
            <ul class='list'><li>Related story 2023-11-03</li></ul>";
        assert_eq!(date_of(html, None).as_deref(), Some("2023-11-07"));
    }

    #[test]
    fn ambiguous_meta_value_shown_the_other_way_round() {
        // German: a template's month-first value, the page's dotted day-first date.
        let html = page(
            "<meta name='date' content='11/01/2023 12:43:42'>",
            "<h1>Trinkwasser in Schwarzenmatt belastet</h1><p class='info'>Erstellt am: 01.11.2023</p>",
            "Die Gemeinde ruft dazu auf, das Wasser vor dem Trinken abzukochen.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2023-11-01"));
        // A year-first value is unambiguous: the page's "11/01/2021" is the same day.
        let html = page(
            "<meta property='article:published_time' content='2021-11-01T04:00:14Z'>",
            "<h1>Der Elektroroller im Test</h1><p class='info'>11/01/2021</p>",
            "Der Roller fährt bis zu 125 Kilometer weit, sagt der Hersteller.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2021-11-01"));
    }

    #[test]
    fn page_text_dates_before_the_urls_month_are_not_the_page_date() {
        // German book review on a blog: the book's release date is a month before the post.
        let html = "<div class='date-outer'><h2 class='date-header'><span>Samstag, 9. September 2017</span></h2>\
            <h1>[Rezi] Love is War - Sehnsucht</h1><div class='post-body'>\
            <p>Erscheinungsdatum: 14.08.2017</p>\
            <p>Wir fühlten uns unbesiegbar, bis alles zerbrach, und die Geschichte geht genau dort weiter.</p>\
            <p>Der zweite Band hat mich noch mehr gefesselt als der erste, und ich vergebe fünf Sterne.</p></div></div>";
        let url = "https://example.blogspot.com/2017/09/rezi-love-is-war.html";
        assert_eq!(date_of(html, Some(url)).as_deref(), Some("2017-09-09"));
        // English: a later date (an update) is kept; without a URL month the first date is.
        let html = "<h1>Migration: the situation at the border</h1><div class='text'>\
            <p>Updated situation report: 10 November 2021</p>\
            <p>The federal police continue to register unauthorised entries along the border, a spokesman said.</p>\
            <p>Most of those entering travelled through Belarus and Poland, according to the report.</p></div>";
        let url = "https://example.org/news/2021/10/situation.html";
        assert_eq!(date_of(html, Some(url)).as_deref(), Some("2021-11-10"));
    }

    #[test]
    fn a_metadata_date_long_after_the_urls_date_is_a_reimport() {
        let html = page(
            "<meta itemprop='datePublished' content='2019-06-17T18:28:00+0200'>",
            "<h1>Unter uns: Montauk</h1>",
            "Montauk liegt ganz am Ende von Long Island, drei Stunden von Manhattan entfernt.",
        );
        let url = "https://example.de/home/2017/7/12/unter-uns-montauk";
        assert_eq!(date_of(&html, Some(url)).as_deref(), Some("2017-07-12"));
        // A few days later is the publication after a draft's URL was made: kept.
        let url = "https://example.de/home/2019/6/12/unter-uns-montauk";
        assert_eq!(date_of(&html, Some(url)).as_deref(), Some("2019-06-17"));
    }

    #[test]
    fn a_copyright_lines_full_time_stamp_is_the_last_evidence() {
        // German: nothing else dates the page; the footer stamps its generation.
        let html = page(
            "",
            "<h1>Gefahrstoff-Service</h1>",
            "Wir prüfen Ihre Sicherheitsdatenblätter und erstellen Betriebsanweisungen.",
        )
        .replace(
            "</body>",
            "<footer><p>Copyright © 19.12.2019 - 12:14 h by Qualisys GmbH. All rights reserved.</p></footer></body>",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2019-12-19"));
        // English: a copyright year (no time stamp) is never a date; any other date wins.
        let html = page(
            "",
            "<h1>About us</h1><p class='date'>Posted March 3, 2018</p>",
            "We build tools for small newsrooms and have done so for many years.",
        )
        .replace(
            "</body>",
            "<footer><p>Copyright © 2019-12-19 10:00 Example Ltd.</p></footer></body>",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2018-03-03"));
    }
    #[test]
    fn a_date_element_inside_a_long_header_block_is_the_headers_date() {
        // English: the revision date set in a `<span class="date">` at the end of the
        // standfirst (too long to read as a date line) is what the header shows.
        let html = page(
            r#"<meta property="article:published_time" content="2020-01-03T09:48:24Z">
            <meta property="article:modified_time" content="2020-01-06T09:22:36Z">"#,
            "<h1>Goats ruled this island for a century</h1><h2 class='deck'>The rocky island, once stripped of its flora and fauna by invasive species, makes an astonishingly quick comeback. What is the secret?<span class='hl-date'>Monday, 6 January 2020</span></h2>",
            "It takes four hours to sail to the island, but only two minutes of wandering to see the change.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2020-01-06"));
        // German: the same with a "datum" element after a long byline block.
        let html = page(
            r#"<meta property="article:published_time" content="2021-11-29T14:13:37+01:00">
            <meta property="article:modified_time" content="2022-01-12T14:27:30+01:00">"#,
            "<h1>Können Fische Schmerzen spüren?</h1><div class='autor'>Ein Beitrag unserer Redakteurin Anna Beispiel, die seit vielen Jahren über Tiere, Natur und Umwelt schreibt <span class='datum'>12.01.2022</span></div>",
            "Ob Fische Schmerzen empfinden, ist lange umstritten gewesen, sagen Forscher.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2022-01-12"));
        // Spanish: a date element marked as the update stays out; the publication stays.
        let html = page(
            r#"<meta property="article:published_time" content="2021-03-02T10:00:00+01:00">
            <meta property="article:modified_time" content="2021-03-09T10:00:00+01:00">"#,
            "<h1>La sequía se agrava en el sur</h1><div class='entradilla'>Los embalses están al treinta por ciento de su capacidad y los agricultores piden ayudas urgentes al gobierno regional, que estudia nuevas restricciones de riego para el verano <span class='fecha updated'>9 de marzo de 2021</span></div>",
            "Los agricultores de la región se reunieron ayer con el consejero.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2021-03-02"));
    }
    #[test]
    fn a_picture_captions_date_is_not_the_pages() {
        // German: the caption under the headline dates its satellite picture; the page's own
        // revision line in its footer dates the page.
        let html = page(
            "",
            "<h1>Hochauflösende Schneekarten</h1><div class='imginline'><span>Abbildung: Ausschnitt eines Satellitenbildes bei St. Moritz vom 31.05.2021 (links) und die Schneeklassifizierung (rechts)</span></div>",
            "Wo gibt es wie viel Schnee? Diese Frage kommt häufig auf, wenn der nächste Ausflug geplant wird.",
        )
        .replace(
            "</body>",
            "<div class='info'><label>Letzte Änderung:</label><div>14.01.2022 um 09:25</div></div></body>",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2022-01-14"));
        // English: a figure caption's date gives way to the byline's date further down.
        let html = page(
            "",
            "<h1>The glacier is retreating faster</h1><p>Figure 1: The glacier photographed from the north ridge on 3 May 2019 by the survey team</p>",
            "Scientists measured the ice at forty points across the valley this winter.",
        )
        .replace(
            "</body>",
            "<p>The survey will be repeated next year.</p><p>Funding comes from the state.</p>\
             <p>Data are public.</p><p class='byline'>Posted by Jane Doe on March 2, 2021</p></body>",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2021-03-02"));
        // Polish: with nothing else on the page, the caption's date is still a date.
        let html = page(
            "",
            "<h1>Nowy most na Wiśle</h1><p>Fot. 1: Budowa mostu w dniu 12.04.2020, widok od strony miasta i rzeki</p>",
            "Most ma połączyć dwie dzielnice miasta i skrócić dojazd do centrum.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2020-04-12"));
    }
    #[test]
    fn a_press_releases_labelled_date_in_a_teaser_box_dates_the_page() {
        // German: the only date is in the standfirst, styled as a teaser (a foreign box).
        let html = page(
            "",
            "<h1>Deutschland steht an der Seite des Welternährungsprogramms</h1><div class='teaser-text'><p>Pressemitteilung vom 25. Januar 2022 | Berlin – Die künftige Zusammenarbeit mit dem Welternährungsprogramm stand im Mittelpunkt eines Treffens der Ministerin mit dem Exekutivdirektor.</p></div>",
            "Die Bundesregierung war im vergangenen Jahr der zweitgrößte Geber des Programms.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2022-01-25"));
        // French.
        let html = page(
            "",
            "<h1>Le ministère soutient le programme alimentaire</h1><div class='teaser'><p>Communiqué de presse du 3 février 2022 – Paris. La coopération avec le programme alimentaire mondial a été au centre d'une rencontre entre la ministre et le directeur.</p></div>",
            "Le gouvernement a été l'an dernier le deuxième donateur du programme.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2022-02-03"));
        // Italian: a dated line of the page itself comes first.
        let html = page(
            "",
            "<h1>Il ministero sostiene il programma alimentare</h1><p class='data'>4 marzo 2022</p><div class='teaser'><p>Comunicato stampa del 2 marzo 2022 – Roma. La cooperazione con il programma alimentare mondiale è stata al centro di un incontro tra la ministra e il direttore.</p></div>",
            "Il governo è stato l'anno scorso il secondo donatore del programma.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2022-03-04"));
    }
    #[test]
    fn a_shown_date_and_its_time_in_adjacent_elements_give_the_local_date() {
        // Spanish (Argentina, UTC-3): date and time in adjacent `<time>` elements, and an
        // embedded post under the story showing the UTC date.
        let html = page(
            r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"Wed, 04 May 2022 00:25:56 GMT"}</script>"#,
            "<h1>Jugada del oficialismo para evitar que avance la boleta única</h1><span class='mod-date'><time class='com-date' datetime='3 de mayo de 2022'>3 de mayo de 2022</time><time class='com-hour'>21:25</time></span>",
            "Convocó a una sesión para el jueves, una hora antes que la pedida por la oposición.",
        )
        .replace(
            "</article>",
            "<blockquote class='twitter-tweet'><p>Llamaron a una sesión antes.</p>— Un diputado (@diputado) May 4, 2022</blockquote></article>",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2022-05-03"));
        // Portuguese (Brazil, UTC-3), numeric date.
        let html = page(
            r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2022-05-04T00:44:52Z"}</script>"#,
            "<h1>O que Pacheco pretende ao fazer acenos ao STF</h1><p class='data'><span>03/05/2022</span><span>21:44</span></p>",
            "O presidente do Senado quer propor limites ao indulto presidencial, disseram aliados.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2022-05-03"));
        // English: the embedded post outside a blockquote is the page's own line: the stamp
        // it shows stays.
        let html = page(
            r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2022-05-04T00:25:56Z"}</script>"#,
            "<h1>Council votes on the new bridge</h1><p class='date'><span>May 3, 2022</span><span>8:25</span></p><p>Posted May 4, 2022</p>",
            "The council voted late on Tuesday to build the bridge after a long debate.",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2022-05-04"));
    }

    #[test]
    fn a_labelled_line_in_a_foreign_box_comes_before_their_date_lines() {
        // German: the blog's footer line says when the article was written; the comments
        // under it carry their own date lines.
        let comments = |stamp: &str| {
            format!(
                "<div class='footer-box'><p>Dieser Artikel wurde am 14. Dezember 2015 um 14:48 von Heiner geschrieben und unter dem Stichwort Arduino in die Kategorie Basteln eingeordnet. Es gibt schon 9 Kommentare, wie ist deine Meinung dazu? Schreib uns gern!</p></div>\
                 <ol class='commentlist'><li class='comment'><div class='comment-meta'><a href='#c1'>{stamp}</a></div><p>Tolle Idee, danke!</p></li></ol></body>"
            )
        };
        let html = page(
            "",
            "<h1>Eine virtuelle Wand für den Staubsauger</h1>",
            "Einige unserer Türschwellen sind nicht voll kompatibel mit dem Staubsauger.",
        )
        .replace("</body>", &comments("15. Dezember 2015 at 11:21 · Antwort"));
        assert_eq!(date_of(&html, None).as_deref(), Some("2015-12-14"));
        // English: the post's own labelled line in the sidebar comes before a comment's
        // "March 3, 2021 at 9:14 am".
        let html = page(
            "",
            "<h1>Building a garden shed</h1>",
            "We started with the floor and worked our way up over three weekends.",
        )
        .replace(
            "</body>",
            "<div id='comments'><div class='comment-body'><p class='meta'>March 3, 2021 at 9:14 am</p><p>Great work!</p></div></div>\
             <aside class='sidebar'><p>Posted on February 27, 2021 by Sam</p></aside></body>",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2021-02-27"));
    }
    #[test]
    fn embedded_posts_dates_are_not_page_wide_evidence() {
        // German: Instagram embeds in the story carry `<time>` elements and date lines; the
        // page's date is the header's date element (in a chrome-marked box).
        let embed = |when: &str, iso: &str| {
            format!(
                "<blockquote class='instagram-media'><p>Ein Beitrag geteilt von Vreni (@vreni) am <time datetime='{iso}'>{when}</time></p></blockquote>"
            )
        };
        let html = page(
            "",
            &format!(
                "<div class='ArticleHeader'><span class='PublishDate_date'>29. Januar 2019</span></div>{}",
                embed("Mär 12, 2018 um 12:30 PDT", "2018-03-12T19:30:12+00:00")
            ),
            "Man musste Schlimmes befürchten von der Berufungsentscheidung im Fall der Influencerin.",
        )
        .replace("<div class='ArticleHeader'>", "<header class='ArticleHeader'>")
        .replace("2019</span></div>", "2019</span></header>");
        assert_eq!(date_of(&html, None).as_deref(), Some("2019-01-29"));
        // English: an embedded post's date line, then the page's own line further down.
        let html = page(
            "",
            "<h1>Council votes on the bridge</h1><blockquote class='twitter-tweet'><p>The vote is in.</p>— A Councillor (@councillor) March 12, 2018</blockquote>",
            "The council voted late on Tuesday to build the bridge after a long debate.",
        )
        .replace(
            "</body>",
            "<p>More from the council</p><p>One</p><p>Two</p><p>Three</p><p>Four</p><div class='meta'>Filed March 14, 2018</div></body>",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2018-03-14"));
    }
    #[test]
    fn the_mastheads_date_of_the_day_is_not_the_articles() {
        // German: the site header shows today's date above the navigation; the story opens
        // with its own date.
        let masthead = |today: &str, iso: &str| {
            format!(
                "<header class='container'><div class='navtop'><span class='mod_datetime'><time datetime='{iso}'>{today}</time></span></div><nav><a href='/'>Start</a></nav></header>"
            )
        };
        let html = format!(
            "<html><body>{}<h1>Queer Royal: Dragqueens auf der Bühne</h1>\
             <div class='text'><p>31. Oktober 2023. Woher kommt eigentlich der Hass auf Dragqueens? Früher waren sie Kunstfiguren auf Partys und in Shows.</p>\
             <p>Jetzt finden sie sich zunehmend in den Schusslinien der Kulturkämpfe wieder, schreibt unser Kolumnist.</p></div></body></html>",
            masthead("Mittwoch, 01. November 2023", "2023-11-01T13:56:20+01:00")
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2023-10-31"));
        // English: an article's own <header> holds its <h1>, and its <time> counts.
        let html = "<html><body><header class='site'><nav><a href='/'>Home</a></nav></header>\
             <article><header class='entry-header'><h1>Ask the audience</h1><time datetime='2019-06-28T11:32:59+02:00'>June 28, 2019</time></header>\
             <p>On 26 September 2019 the new version of the tool went live for every course at the university.</p></article></body></html>";
        assert_eq!(date_of(html, None).as_deref(), Some("2019-06-28"));
        // French: a masthead date with nothing else on the page is still a date.
        let html = format!(
            "<html><body>{}<h1>Les horaires de la bibliothèque</h1><p>La bibliothèque est ouverte du lundi au samedi.</p></body></html>",
            masthead("mercredi 1 novembre 2023", "2023-11-01")
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2023-11-01"));
    }
}

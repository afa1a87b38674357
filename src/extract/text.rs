//! Text page dumps: what a browser shows for a news page as plain text (`innerText`, "save as
//! text", `lynx -dump`), one file per page, read into the same [`Article`] as HTML pages.
//!
//! A dump has no markup, so every rule is about what the lines look like:
//! * **Story**: each line gets a weight — sentences (six words or more ending in sentence
//!   punctuation, or fifteen words or more) count for their words; short stand-alone
//!   paragraphs (a blank line on both sides, as `<p>`s render) count a little; lines inside a
//!   run without blank lines (menus, link lists), teasers cut with "…", dates, photo credits and
//!   captions, file names, bare domains, copyright lines count against. The story is the run
//!   of lines with the largest total (maximum subarray), so it ends where the chrome after it
//!   begins. Inside it, inserts are dropped: shouted crossheads and markers ("SEE ALSO") with
//!   the headline that follows a marker, widget labels ("Market voices on:"), captions.
//! * **Title**: the headline-like line just above the story, skipping figure lines, date lines
//!   and bylines.
//! * **Date**: a date line just under (or just above) the headline; then a top-bar stamp in
//!   the page's first lines; then the path's date; then a year-less wire dateline resolved with
//!   any date of the page. Dates after the story (sidebars, "Breaking" lists) are never read.
//! * **Section**: a breadcrumb line (`Home > Markets`), else a short label just above the
//!   headline that is not the end of a menu, else the path's first segment named as a line of
//!   the page names it.
//! * **Byline**: "By …" lines around the headline, "Reporting by …" at the story's end.
//! * **Kind**: a listing when the "story" is a run of headlines with teasers or dated items.
//!
//! [`sniff`] decides whether a `.txt` file is such a page at all (robots.txt, CSV, logs,
//! READMEs and licences are not).

use std::sync::LazyLock;

use chrono::Datelike;
use regex::Regex;

use super::byline::push_line_names;
use super::dates::{date_from_url, parse_text_date, resolve_yearless, yearless_dateline, PageDate};
use super::section::{label, slug_name, url_slug};
use super::{host, language, mirror_url, people::people_in, Article, Kind};

/// Photo and video credit lines ("PHOTO: REUTERS", "Image: Jane Doe/AFP", "(Photo by X)").
static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\(?\s*(?:photo(?:graph)?s?|pictures?|pic|images?|video|foto|credits?|illustration|graphic)\s*(?::|by\b|/|©|-)").expect("regex")
});
/// A line that is only an image file name ("rk_LabourParty_131119.jpg").
static FILENAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\S+\.(?:jpe?g|png|gif|webp|avif|svg|tiff?|bmp|mp4|webm)$").expect("regex")
});
/// A line that is only a domain or URL ("sentifi.com", "https://x.example/a").
static DOMAIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:https?://\S+|(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,6}(?:/\S*)?)$")
        .expect("regex")
});
/// Copyright and rights lines.
static COPYRIGHT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)©|\(c\)\s*\d{4}|^copyright\b|all rights reserved").expect("regex")
});
/// Breadcrumb separators that menus do not use ("Home > Business", "News » World").
const CRUMB_SEPARATORS: [char; 4] = ['>', '»', '›', '→'];
/// Function words that end an unfinished widget label ("Market voices on:").
const LABEL_ENDINGS: [&str; 10] = [
    "on", "by", "from", "about", "for", "with", "of", "in", "to", "at",
];

/// One non-empty line of a dump and what its surroundings say about it.
#[derive(Debug)]
struct Line {
    /// Whitespace collapsed (tabs, no-break spaces).
    text: String,
    /// A blank line (or the start of the page) comes before it.
    gap_before: bool,
    /// A blank line (or the end of the page) comes after it.
    gap_after: bool,
    words: usize,
}

impl Line {
    /// A paragraph of its own: blank lines on both sides, as `<p>`s render.
    fn standalone(&self) -> bool {
        self.gap_before && self.gap_after
    }
}

/// What a line is, before the story is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Text,
    Date,
    Credit,
    Caption,
    FileName,
    Domain,
    Copyright,
    Teaser,
    Byline,
}

/// The lines of a dump, trimmed, blank lines folded into the neighbours' gap flags.
fn lines(text: &str) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    let mut gap = true;
    for raw in text.lines() {
        let collapsed = super::dom::collapse_ws(raw);
        if collapsed.is_empty() {
            gap = true;
            if let Some(last) = out.last_mut() {
                last.gap_after = true;
            }
            continue;
        }
        let words = collapsed.split_whitespace().count();
        out.push(Line {
            text: collapsed,
            gap_before: gap,
            gap_after: false,
            words,
        });
        gap = false;
    }
    if let Some(last) = out.last_mut() {
        last.gap_after = true;
    }
    out
}

/// Ends like a sentence (not a teaser cut short with "…").
fn ends_sentence(t: &str) -> bool {
    let t = t.trim_end_matches(['"', '\'', '”', '’', ')', '»']);
    !teaser(t) && t.ends_with(['.', '!', '?', ':', ';'])
}

/// A teaser cut short: "… the opposition Labour..." / "…".
fn teaser(t: &str) -> bool {
    t.ends_with("...") || t.ends_with('…')
}

/// Reads like story prose: a sentence (not a headline ending in an abbreviation, "… U.S.")
/// or a long line.
fn prose(l: &Line) -> bool {
    let sentence =
        ends_sentence(&l.text) && (!l.text.ends_with('.') || ends_with_full_stop(&l.text));
    !teaser(&l.text) && ((l.words >= 6 && sentence) || l.words >= 15)
}

/// A short line that is mostly a date ("Wed, Nov 13, 2019 - 6:42 AM", "23 March 1987").
fn date_line(t: &str) -> Option<PageDate> {
    // Mostly a date: few words without a figure ("Updated", weekday and month names, "AM").
    let wordy = t
        .split_whitespace()
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
        .count();
    if t.len() > 240 || t.chars().count() > 80 || wordy > 7 || ends_sentence(t) {
        return None;
    }
    dated_text(t)
}

/// [`parse_text_date`] for text that can hold a date: every date it reads has a four-digit
/// year, so lines of figures without one ("Net 44,092,000 vs 35,145,000") skip its regexes.
fn dated_text(t: &str) -> Option<PageDate> {
    let four_digits = t
        .as_bytes()
        .split(|b| !b.is_ascii_digit())
        .any(|run| run.len() >= 4);
    four_digits.then(|| parse_text_date(t)).flatten()
}

/// A year-less wire dateline opening the line ("LONDON, Nov 2 (Wire) - …"); its day is a
/// figure in the first few words, a cheap test before the regex.
fn opens_with_dateline(t: &str) -> bool {
    let head = t.get(..t.len().min(48)).unwrap_or(t);
    head.bytes().any(|b| b.is_ascii_digit())
        && t.starts_with(|c: char| c.is_uppercase())
        && yearless_dateline(t).is_some()
}

/// All letters upper case, at most six words: a crosshead, a marker ("SEE ALSO"), a credit
/// ("AFP") or a shouted label.
fn shouting(t: &str) -> bool {
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2 && !t.chars().any(char::is_lowercase) && t.split_whitespace().count() <= 6
}

/// Could be a headline: a few words to a long sentence's worth, not a date or a sentence
/// ending in a full stop.
fn headline_like(l: &Line) -> bool {
    (2..=30).contains(&l.words)
        && l.text.chars().count() <= 250
        && !ends_with_full_stop(&l.text)
        && !teaser(&l.text)
}

/// Ends with a full stop that is not an abbreviation's ("U.S.", "Inc.").
fn ends_with_full_stop(t: &str) -> bool {
    let t = t.trim_end_matches(['"', '\'', '”', '’']);
    t.strip_suffix('.').is_some_and(|head| {
        let last = head.rsplit(' ').next().unwrap_or(head);
        !last.contains('.') && last.chars().count() > 3
    })
}

fn byline_names(t: &str) -> Vec<String> {
    let mut names = Vec::new();
    // Every byline form has "by" in its first words: a cheap test before the regexes.
    let head = t.get(..t.len().min(24)).unwrap_or(t).to_ascii_lowercase();
    if t.len() <= 400 && head.contains("by") {
        push_line_names(t, &mut names);
    }
    names
}

fn roles(lines: &[Line]) -> Vec<Role> {
    let mut roles: Vec<Role> = lines
        .iter()
        .map(|l| {
            let t = l.text.as_str();
            if FILENAME.is_match(t) {
                Role::FileName
            } else if l.words <= 8 && CREDIT.is_match(t) {
                Role::Credit
            } else if l.words == 1 && DOMAIN.is_match(t) {
                Role::Domain
            } else if l.words <= 25 && COPYRIGHT.is_match(t) {
                Role::Copyright
            } else if teaser(t) {
                Role::Teaser
            } else if l.words <= 12 && !byline_names(t).is_empty() {
                Role::Byline
            } else if date_line(t).is_some() {
                Role::Date
            } else {
                Role::Text
            }
        })
        .collect();
    // A caption is the line just above its credit, in the same block (no blank line between).
    for i in 1..lines.len() {
        if roles[i] == Role::Credit && !lines[i].gap_before && roles[i - 1] == Role::Text {
            roles[i - 1] = Role::Caption;
        }
    }
    roles
}

/// How much a line speaks for being part of the story.
fn weight(l: &Line, role: Role, repeated: bool) -> f32 {
    match role {
        Role::Text if prose(l) => l.words as f32,
        Role::Text if repeated => -6.0,
        Role::Text if shouting(&l.text) => -4.0,
        // A wire dateline ("BOSTON, Oct 19 (Wire) - …") opens a story, however short.
        Role::Text if opens_with_dateline(&l.text) => 10.0,
        // Stand-alone short paragraphs: a results table's rows (figures) or a brief's lines.
        Role::Text if l.standalone() => {
            let digits = l.text.chars().any(|c| c.is_ascii_digit());
            (l.words.min(6) as f32) - if digits { 3.0 } else { 4.0 }
        }
        Role::Text => -3.0,
        Role::Byline => -2.0,
        _ => -10.0,
    }
}

/// The run of lines with the largest total weight: `(start, end)` inclusive.
fn best_run(weights: &[f32]) -> Option<(usize, usize)> {
    let mut best: Option<(f32, usize, usize)> = None;
    let mut sum = 0.0f32;
    let mut start = 0;
    for (i, &w) in weights.iter().enumerate() {
        if sum <= 0.0 {
            sum = 0.0;
            start = i;
        }
        sum += w;
        if sum > 0.0 && best.is_none_or(|(b, _, _)| sum > b) {
            best = Some((sum, start, i));
        }
    }
    best.map(|(_, s, e)| (s, e))
}

/// The story as the page's header places it: after the first date line that sits under a
/// headline-like line (bylines and figure lines may come between), running as far as the
/// running total of weights is highest. Results tables and one-line briefs weigh little,
/// and without this anchor a footer's long line could outweigh them.
fn anchored_run(lines: &[Line], roles: &[Role], weights: &[f32]) -> Option<(usize, usize, bool)> {
    let is_marker = |r: Role| {
        matches!(
            r,
            Role::Date | Role::Byline | Role::Credit | Role::Caption | Role::FileName
        )
    };
    let date_at = (1..lines.len()).find(|&i| {
        roles[i] == Role::Date
            && (1..=3).any(|back| {
                i >= back
                    && roles[i - back] == Role::Text
                    && headline_like(&lines[i - back])
                    && (1..back).all(|m| is_marker(roles[i - m]))
            })
    })?;
    let start = (date_at..lines.len()).find(|&i| !is_marker(roles[i]))?;
    // A sidebar's dated items follow one another: a story has some weight before the next
    // date, credit or copyright line.
    let has_text = weights[start..]
        .iter()
        .take_while(|&&w| w > -10.0)
        .any(|&w| w > 0.0);
    if !has_text {
        return None;
    }
    let mut sum = 0.0f32;
    let mut best: Option<(f32, usize)> = None;
    for (i, &w) in weights.iter().enumerate().skip(start) {
        sum += w;
        if best.is_none_or(|(b, _)| sum > b) {
            best = Some((sum, i));
        }
    }
    best.map(|(total, end)| (start, end, total > 0.0))
}

/// Lines whose text occurs more than once on the page (a headline repeated in a list).
fn repeated(lines: &[Line], roles: &[Role]) -> Vec<bool> {
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (l, r) in lines.iter().zip(roles) {
        // A caption repeating a paragraph is the figure's, not a repetition of the story's.
        if *r == Role::Text {
            *seen.entry(l.text.as_str()).or_default() += 1;
        }
    }
    lines
        .iter()
        .map(|l| seen.get(l.text.as_str()).is_some_and(|&n| n > 1))
        .collect()
}

/// A widget label inside a story: a short line ending in a colon after a function word
/// ("Market voices on:").
fn widget_label(l: &Line) -> bool {
    l.words <= 5
        && l.text.strip_suffix(':').is_some_and(|head| {
            head.rsplit(' ')
                .next()
                .is_some_and(|w| LABEL_ENDINGS.contains(&w.to_lowercase().as_str()))
        })
}

/// Where the story really starts. Its first paragraphs may weigh little (a results table:
/// "Shr 1.11 dlrs vs 1.04 dlrs", "Year"), so the heaviest run can begin further down; when a
/// header line (a date line, a byline, a photo credit or caption) sits above the run with only
/// plain lines between, those lines are the story's beginning.
fn header_end(roles: &[Role], rep: &[bool], start: usize) -> usize {
    let mut k = start;
    while k > 0 && start - k < 40 {
        let above = k - 1;
        match roles[above] {
            Role::Text if !rep[above] => k -= 1,
            Role::Date | Role::Byline | Role::Credit | Role::Caption | Role::FileName => {
                return k;
            }
            _ => return start,
        }
    }
    start
}

/// The line index of the headline: the headline-like line nearest above the story, past
/// figure lines, date lines and bylines.
fn headline(lines: &[Line], roles: &[Role], start: usize) -> Option<usize> {
    (0..start).rev().take(12).find(|&i| {
        matches!(roles[i], Role::Text) && headline_like(&lines[i]) && !lines[i].text.ends_with(':')
    })
}

/// A breadcrumb line above the headline ("Home > Government & Economy"): its last item that
/// names a section.
fn breadcrumb(lines: &[Line], end: usize, title: &str) -> Option<String> {
    lines[..end].iter().take(40).find_map(|l| {
        if l.words > 16 || !l.text.contains(CRUMB_SEPARATORS) || l.text.contains('<') {
            return None;
        }
        let items: Vec<&str> = l.text.split(CRUMB_SEPARATORS).map(str::trim).collect();
        if items.len() < 2
            || items
                .iter()
                .any(|i| i.is_empty() || i.len() > 60 || i.split_whitespace().count() > 5)
        {
            return None;
        }
        items.iter().rev().find_map(|i| label(i, title))
    })
}

/// A section label on the line just above the headline: short, not a sentence, and not the
/// last item of a menu (a run of short lines with no blank line between).
fn label_above(lines: &[Line], roles: &[Role], title_at: usize, title: &str) -> Option<String> {
    let i = title_at.checked_sub(1)?;
    let l = &lines[i];
    if roles[i] != Role::Text || l.words > 4 || l.text.contains('|') || ends_sentence(&l.text) {
        return None;
    }
    let short = |l: &Line| l.words <= 3 && !ends_sentence(&l.text);
    let mut run = 1;
    let mut j = i;
    while j > 0 && !lines[j].gap_before && short(&lines[j - 1]) {
        run += 1;
        j -= 1;
    }
    if run >= 3 {
        return None;
    }
    label(&l.text, title)
}

/// The path's section slug, named as a short line of the page names it
/// (`government-economy` → "Government & Economy"), else title-cased.
fn section_from_path(lines: &[Line], url: &str) -> Option<String> {
    let slug = url_slug(url)?;
    let key = |s: &str| -> String {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && !w.eq_ignore_ascii_case("and"))
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join("-")
    };
    let want = key(&slug);
    lines
        .iter()
        .filter(|l| l.words <= 5)
        .find(|l| key(&l.text) == want)
        .map(|l| super::section::display_case(&l.text))
        .or_else(|| slug_name(&slug))
}

/// The URL a dump stands for: its mirror path without `.txt` (`x/index.txt` → `x/`).
fn dump_url(rel: &str) -> Option<String> {
    let base = rel.strip_suffix(".gz").unwrap_or(rel);
    let base = base
        .strip_suffix(".txt")
        .or_else(|| base.strip_suffix(".TXT"))
        .unwrap_or(base);
    let base = match base.strip_suffix("/index") {
        Some(dir) => format!("{dir}/index.html"),
        None => base.to_string(),
    };
    mirror_url(&base)
}

/// Extracts every field from the text of a page dump. `rel_path` is the corpus-relative path;
/// a mirror layout supplies the URL, and a date or section in the path is evidence too.
pub fn extract_text(text: &str, rel_path: &str) -> Article {
    let lines = lines(text);
    let roles = roles(&lines);
    let rep = repeated(&lines, &roles);
    let weights: Vec<f32> = lines
        .iter()
        .zip(&roles)
        .zip(&rep)
        .map(|((l, &r), &rp)| weight(l, r, rp))
        .collect();
    let run = match (anchored_run(&lines, &roles, &weights), best_run(&weights)) {
        // The heaviest run is the story itself, or lies in the chrome above the headline.
        (Some((a, a_end, positive)), best) if positive || best.is_none_or(|(_, e)| e < a) => {
            Some((a, a_end))
        }
        (_, best) => best,
    };
    let url = dump_url(rel_path);
    let site = url.as_deref().and_then(host);

    let (start, end) = run.unwrap_or((lines.len(), lines.len()));
    let start = header_end(&roles, &rep, start);
    let title_at = headline(&lines, &roles, start.min(lines.len()));
    let title = title_at.map_or_else(String::new, |i| lines[i].text.clone());

    // The story's paragraphs, inserts dropped.
    let mut byline: Vec<String> = Vec::new();
    let mut paragraphs: Vec<&str> = Vec::new();
    let mut para_lines: Vec<usize> = Vec::new();
    let mut i = start;
    while run.is_some() && i <= end {
        let l = &lines[i];
        match roles[i] {
            Role::Text => {}
            Role::Byline => {
                if byline.is_empty() {
                    byline = byline_names(&l.text);
                }
                i += 1;
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
        }
        if widget_label(l) {
            i += 1;
            continue;
        }
        if shouting(&l.text) && !prose(l) && !l.text.chars().any(|c| c.is_ascii_digit()) {
            // A crosshead or an insert marker; a marker's headline follows it.
            if let Some(next) = lines.get(i + 1) {
                if i < end && roles[i + 1] == Role::Text && headline_like(next) && !prose(next) {
                    i += 1;
                }
            }
            i += 1;
            continue;
        }
        paragraphs.push(&l.text);
        para_lines.push(i);
        i += 1;
    }
    // A story never repeats its headline as a paragraph.
    if !title.is_empty() {
        if let Some(p) = paragraphs.iter().position(|p| *p == title) {
            paragraphs.remove(p);
            para_lines.remove(p);
        }
    }

    // Bylines: around the headline, then just after the story.
    if byline.is_empty() {
        let near = title_at.map_or(0..0, |t| t + 1..start.min(lines.len()));
        let after = (end + 1).min(lines.len())..(end + 4).min(lines.len());
        let before = title_at.map_or(0..0, |t| t.saturating_sub(2)..t);
        for k in near.chain(after).chain(before) {
            byline = byline_names(&lines[k].text);
            if !byline.is_empty() {
                break;
            }
        }
    }

    let published = date(
        &lines,
        &roles,
        title_at,
        start,
        rel_path,
        paragraphs.first().copied(),
    );
    let section = breadcrumb(&lines, title_at.unwrap_or(start).min(lines.len()), &title)
        .or_else(|| title_at.and_then(|t| label_above(&lines, &roles, t, &title)))
        .or_else(|| url.as_deref().and_then(|u| section_from_path(&lines, u)));

    let listing = is_listing(&lines, &roles, &rep, &para_lines, title_at);
    let body = paragraphs.join("\n\n");
    let words = body.split_whitespace().count();
    let people = people_in(&paragraphs);
    let lang = language(&body, None);
    Article {
        path: rel_path.to_string(),
        // a dump keeps no <title> element
        page_title: None,
        kind: if listing {
            Kind::Listing
        } else {
            Kind::Article
        },
        url,
        site,
        title,
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

/// The publication date; see the module documentation for the order of evidence.
fn date(
    lines: &[Line],
    roles: &[Role],
    title_at: Option<usize>,
    start: usize,
    rel_path: &str,
    first_paragraph: Option<&str>,
) -> Option<PageDate> {
    let start = start.min(lines.len());
    let dated = |i: usize| {
        (roles[i] == Role::Date)
            .then(|| date_line(&lines[i].text))
            .flatten()
    };
    let near = title_at.and_then(|t| {
        (t + 1..start.max(t + 1).min(t + 8).min(lines.len()))
            .chain((t.saturating_sub(3)..t).rev())
            .find_map(dated)
    });
    // A top-bar stamp ("date 2019-11-13 You are here") in the page's first lines.
    let top = || {
        (0..lines.len().min(3).min(title_at.unwrap_or(start))).find_map(|i| {
            (lines[i].words <= 12)
                .then(|| dated_text(&lines[i].text))
                .flatten()
        })
    };
    let dateline = first_paragraph.and_then(yearless_dateline);
    let undated = |date| PageDate {
        date,
        time: None,
        offset_secs: None,
    };
    let found = near
        .or_else(top)
        .or_else(|| date_from_url(rel_path).map(undated));
    match (found, dateline) {
        (Some(n), Some((month, day))) if (n.date.month(), n.date.day()) != (month, day) => {
            resolve_yearless(month, day, n.date)
                .map(undated)
                .or(Some(n))
        }
        (Some(n), _) => Some(n),
        (None, Some((month, day))) => {
            let reference = (0..start).find_map(|i| dated_text(&lines[i].text))?;
            resolve_yearless(month, day, reference.date).map(undated)
        }
        (None, None) => None,
    }
}

/// A front page or section index: the "story" is a run of headlines, each followed by a
/// teaser or a date, or there is no story but many headline lines.
fn is_listing(
    lines: &[Line],
    roles: &[Role],
    rep: &[bool],
    para_lines: &[usize],
    title_at: Option<usize>,
) -> bool {
    let words: usize = para_lines.iter().map(|&i| lines[i].words).sum();
    let headlines = lines
        .iter()
        .zip(roles)
        .filter(|(l, r)| **r == Role::Text && headline_like(l) && l.words >= 4 && !prose(l))
        .count();
    if words < 40 && headlines >= 6 {
        return true;
    }
    // Headline + teaser pairs inside the story.
    let pairs = para_lines
        .windows(2)
        .filter(|w| {
            let (a, b) = (&lines[w[0]], &lines[w[1]]);
            headline_like(a) && a.words >= 4 && !prose(a) && prose(b)
        })
        .count();
    let dated = para_lines
        .iter()
        .filter(|&&i| i > 0 && roles[i - 1] == Role::Date)
        .count();
    let _ = (rep, title_at);
    pairs >= 4 && pairs * 4 >= para_lines.len() || dated >= 3
}

/// Why a `.txt` file is not a news page dump, or None when it looks like one. Cheap checks on
/// the text come first (robots rules, CSV/TSV, logs, Markdown, licences); a page must then
/// yield a headline, a story, and some news evidence (a date, a byline or a breadcrumb).
pub fn sniff(text: &str, article: &Article) -> Option<&'static str> {
    let head: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(30)
        .collect();
    if head.is_empty() {
        return Some("empty");
    }
    let lower_head = |l: &&str| l.to_ascii_lowercase();
    if head.iter().map(lower_head).any(|l| {
        l.starts_with("user-agent:") || l.starts_with("disallow:") || l.starts_with("sitemap:")
    }) {
        return Some("robots rules");
    }
    if head.len() >= 3 {
        for sep in [',', '\t', ';', '|'] {
            let counts: Vec<usize> = head.iter().map(|l| l.matches(sep).count()).collect();
            let first = counts[0];
            let same = counts.iter().filter(|&&c| c == first).count();
            if first >= 1 && same * 10 >= counts.len() * 8 && (sep != ',' || first >= 2) {
                let short = head.iter().filter(|l| !l.ends_with('.')).count();
                if short * 2 >= head.len() {
                    return Some("table (CSV/TSV)");
                }
            }
        }
    }
    static LOG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\[?\d{2,4}[-/.:]\d{1,2}[-/.:T ]|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b|\[?(?:DEBUG|INFO|WARN|WARNING|ERROR|TRACE)\b)").expect("regex")
    });
    if head.len() >= 3 && head.iter().filter(|l| LOG.is_match(l)).count() * 2 >= head.len() {
        return Some("log");
    }
    if text
        .lines()
        .any(|l| l.starts_with("```") || l.starts_with("# ") || l.starts_with("## "))
    {
        return Some("Markdown or README");
    }
    let lower: String = text.chars().take(3000).collect::<String>().to_lowercase();
    if [
        "permission is hereby granted",
        "general public license",
        "apache license",
        "redistribution and use in source and binary forms",
        "warranties of merchantability",
    ]
    .iter()
    .any(|p| lower.contains(p))
    {
        return Some("licence");
    }
    if article.kind == Kind::Listing {
        return None;
    }
    if article.title.is_empty() || article.words == 0 {
        return Some("no headline and story");
    }
    let page_section = article.section.is_some();
    if article.date.is_none() && article.byline.is_empty() && !page_section {
        return Some("no date, byline or section");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_run_is_the_heaviest_stretch() {
        assert_eq!(best_run(&[-5.0, 3.0, -1.0, 4.0, -10.0, 2.0]), Some((1, 3)));
        assert_eq!(best_run(&[-1.0, -2.0]), None);
    }

    #[test]
    fn line_kinds() {
        assert!(date_line("Wed, Nov 13, 2019 - 6:42 AM").is_some());
        assert!(date_line("23 March 1987").is_some());
        assert!(date_line("Prices rose 4 pct in March 1987, the ministry said.").is_none());
        assert!(shouting("'VERY SERIOUS'"));
        assert!(shouting("SEE ALSO"));
        assert!(!shouting("Year"));
        assert!(CREDIT.is_match("PHOTO: REUTERS"));
        assert!(CREDIT.is_match("Photo by Jane Roe/AFP"));
        assert!(FILENAME.is_match("rk_LabourParty_131119.jpg"));
        assert!(DOMAIN.is_match("sentifi.com"));
        assert!(!DOMAIN.is_match("U.S."));
        assert!(teaser("Shares rose as much as..."));
        let l = |t: &str| Line {
            text: t.into(),
            gap_before: true,
            gap_after: true,
            words: t.split_whitespace().count(),
        };
        assert!(widget_label(&l("Market voices on:")));
        assert!(!widget_label(&l("Quarterfinals:")));
    }

    #[test]
    fn dump_urls() {
        assert_eq!(
            dump_url("wire.example/economy/1987/06/29/slug/index.txt").as_deref(),
            Some("https://wire.example/economy/1987/06/29/slug/")
        );
        assert_eq!(
            dump_url("paper.example/world/slug.txt.gz").as_deref(),
            Some("https://paper.example/world/slug")
        );
        assert_eq!(dump_url("notes/slug.txt"), None);
    }
}

/// Dumps of invented pages in layouts unlike the shared set's: other breadcrumbs, date
/// formats, lists after the story, no breadcrumb at all, a front page.
#[cfg(test)]
mod layouts {
    use super::*;

    const LYNX: &str = "   [1]Skip to content\n\n   The Valley Courier\n\n   News » Region » Farming\n\n\
        Orchard growers count the cost of a late frost\n\n   By Ana Lima and Tom Berg\n\n\
        Published: 4 February 2021 14:05 GMT\n\n\
        Apple and pear growers across the valley said on Wednesday that a late frost had destroyed up to a third of this year's blossom.\n\n\
        The cold snap arrived two weeks after an unusually warm spell, when many trees were already in flower, the growers' association said.\n\n\
        \"We have not seen damage like this since the nineties,\" said Marta Keller, who farms forty hectares near the river.\n\n\
        The regional council will meet next week to discuss emergency support for the worst-hit farms.\n\n\
        Most read\n\n   1. [2]Bridge closure extended until the spring\n   2. [3]School board approves new timetable\n   3. [4]Library reopens after repairs\n\n\
        References\n\n   1. https://courier.example/\n   2. https://courier.example/bridge\n";

    const LABEL_AND_CREDITS: &str = "Menu\nSearch\nSign in\n\nENVIRONMENT\n\
        River authority warns of summer water limits\nMarch 3, 2022\n\
        A dry riverbed near the old mill, photographed in January.\nImage: Jane Doe/Agency\n\n\
        The river authority warned on Thursday that households may face limits on water use this summer after the driest winter in forty years.\n\n\
        Reservoirs stood at 58 percent of capacity at the end of February, against 81 percent a year earlier, the authority said in a statement.\n\n\
        ADVERTISEMENT\n\n\
        Farmers have already been asked to cut irrigation by a fifth, and further measures will be decided in April.\n\n\
        Reporting by Lena Vogt; Editing by Sam Price\n\n\
        Related\nCouncil delays vote on new reservoir\nHeatwave record broken in the south\nWhy winters are getting drier\n\n\
        © 2022 The Morning Post. All rights reserved.";

    const NUMERIC_DATE: &str = "Home › Sport › Football\n\n\
        City hold leaders to a goalless draw\n\n03.02.2021 | 19:45\n\n\
        City held the league leaders to a goalless draw on Wednesday, their third clean sheet in a row.\n\n\
        The visitors dominated possession but rarely tested the goalkeeper, who made two fine saves in the second half.\n\n\
        READ MORE\n\nTransfer window: who signed where\n\n\
        'WE DEFENDED WELL'\n\n\
        \"We defended well as a team and deserved the point,\" the City coach told reporters after the match.\n\n\
        City are eleventh in the table, nine points above the relegation places.\n\n\
        Comments (2)\nfan_99 wrote:\nGreat result.\n";

    const FRONT_PAGE: &str = "The Evening Star\nNews Sport Business Culture\n\nTop stories\n\n";

    fn front_page() -> String {
        let mut s = FRONT_PAGE.to_string();
        for (i, topic) in [
            "harbour", "schools", "rail", "budget", "hospital", "museum", "bridge", "airport",
        ]
        .iter()
        .enumerate()
        {
            s.push_str(&format!(
                "Council debates the future of the {topic} plan\n\n\
                 Councillors will vote next week on the {topic} plan, which has divided residents for months...\n\n\
                 {} May 2021\n\n",
                i + 1
            ));
        }
        s.push_str("© 2021 The Evening Star\n");
        s
    }

    #[test]
    fn lynx_dump_with_guillemet_breadcrumb_and_two_authors() {
        let a = extract_text(LYNX, "courier.example/farming/orchard-frost.txt");
        assert_eq!(a.title, "Orchard growers count the cost of a late frost");
        assert_eq!(a.date.as_deref(), Some("2021-02-04"));
        assert_eq!(a.section.as_deref(), Some("Farming"));
        assert_eq!(a.byline, vec!["Ana Lima", "Tom Berg"]);
        assert_eq!(a.body.split("\n\n").count(), 4, "{}", a.body);
        assert!(a.body.starts_with("Apple and pear growers"));
        assert!(a.body.ends_with("worst-hit farms."));
        assert_eq!(a.people, vec!["Marta Keller"]);
        assert_eq!(a.kind, Kind::Article);
        assert_eq!(a.lang.as_deref(), Some("en"));
        assert_eq!(sniff(LYNX, &a), None);
    }

    #[test]
    fn shouted_label_caption_credit_and_reporting_line() {
        let a = extract_text(LABEL_AND_CREDITS, "post.example/environment/water.txt");
        assert_eq!(a.title, "River authority warns of summer water limits");
        assert_eq!(a.date.as_deref(), Some("2022-03-03"));
        assert_eq!(a.section.as_deref(), Some("Environment"));
        assert_eq!(a.byline, vec!["Lena Vogt"]);
        assert_eq!(a.body.split("\n\n").count(), 3, "{}", a.body);
        assert!(!a.body.contains("riverbed"), "caption kept: {}", a.body);
        assert!(!a.body.contains("ADVERTISEMENT"));
        assert!(!a.body.contains("Reporting by"));
        assert!(!a.body.contains("Council delays"));
    }

    #[test]
    fn numeric_day_first_date_inserts_and_comments() {
        let a = extract_text(NUMERIC_DATE, "sport/city-draw.txt");
        assert_eq!(a.title, "City hold leaders to a goalless draw");
        assert_eq!(a.date.as_deref(), Some("2021-02-03"));
        assert_eq!(a.section.as_deref(), Some("Football"));
        assert!(a.byline.is_empty());
        assert_eq!(a.body.split("\n\n").count(), 4, "{}", a.body);
        assert!(!a.body.contains("Transfer window"), "{}", a.body);
        assert!(!a.body.contains("WE DEFENDED"));
        assert!(!a.body.contains("Great result"));
    }

    #[test]
    fn no_breadcrumb_no_date_line_takes_the_path() {
        let text = "Wire | Markets | World\nPort strike ends after two weeks\n\n\
            ROTTERDAM, June 3 (Wire) - Dock workers in Rotterdam voted on Friday to end a two-week strike after the port's employers improved their pay offer.\n\n\
            Ships had queued for days outside the harbour, and some carriers had diverted cargo to Antwerp and Hamburg.\n\n\
            More from Wire\nGrain prices steady 2016-06-02\nOil output rises 2016-05-30\n";
        let a = extract_text(
            text,
            "wire.example/shipping/2016/06/03/port-strike-ends/index.txt",
        );
        assert_eq!(a.title, "Port strike ends after two weeks");
        assert_eq!(a.date.as_deref(), Some("2016-06-03"));
        assert_eq!(a.section.as_deref(), Some("Shipping"));
        assert_eq!(a.body.split("\n\n").count(), 2, "{}", a.body);
        assert_eq!(
            a.url.as_deref(),
            Some("https://wire.example/shipping/2016/06/03/port-strike-ends/")
        );
    }

    #[test]
    fn front_page_dump_is_a_listing() {
        let text = front_page();
        let a = extract_text(&text, "star.example/index.txt");
        assert_eq!(a.kind, Kind::Listing, "{a:?}");
        assert_eq!(sniff(&text, &a), None);
    }

    #[test]
    fn text_files_that_are_not_pages() {
        let not_pages = [
            ("User-agent: *\nDisallow: /search\nSitemap: https://x.example/sitemap.xml\n", "robots rules"),
            ("date,headline,views\n2021-02-03,City draw,1200\n2021-02-04,Frost damage,830\n2021-02-05,Water limits,410\n", "table (CSV/TSV)"),
            ("2021-02-03 10:15:01 INFO server started\n2021-02-03 10:15:02 WARN slow disk\n2021-02-03 10:16:40 INFO request served in 20 ms\n", "log"),
            ("# gazette\n\nA full-text search engine for news archives. It indexes saved pages and answers queries quickly.\n\n```\ncargo build\n```\n", "Markdown or README"),
            ("MIT License\n\nCopyright (c) 2021 Someone\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software, to deal in the Software without restriction.\n", "licence"),
            ("Shopping list\n\nMilk, eggs and bread for the weekend, and something for the dog if the shop has it.\n\nCall the plumber about the kitchen tap before Friday, it is still dripping.\n", "no date, byline or section"),
        ];
        for (text, why) in not_pages {
            let a = extract_text(text, "notes/file.txt");
            assert_eq!(sniff(text, &a), Some(why), "{text}");
        }
    }
}

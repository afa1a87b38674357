//! The headline: what the page itself shows as its `<h1>`, confirmed by the `<title>`,
//! OpenGraph or JSON-LD, without the site name those usually carry.
//!
//! Every heading the page shows (`<h1>`, headline-classed elements, legacy big bold `<font>`,
//! and `<h2>` when something confirms it) is a candidate, and so is each part of it split at
//! its child elements, because a heading often holds a kicker or a date in its own element
//! ("<span class=roofline>Ernährung sichern</span> Schulze: …"). A candidate is confirmed by
//! how well it matches the page's metadata: equal to `og:title`/`twitter:title`/JSON-LD
//! `headline` (best), to the `<title>` without the site name, or to a run of that title's
//! segments. The site's own name never counts as the headline: the logo heading (a link to
//! the site's root, a `site-title`/`logo` element) and title segments that name the site
//! (`og:site_name`, the host name, a domain name such as "MOPO.de") are recognised and
//! removed. Texts are compared with dashes, quotes and soft hyphens folded, as pages write
//! the same title with "-" in `<title>` and "–" in the `<h1>`.

use std::collections::HashSet;
use std::sync::LazyLock;

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node, Selector};

use super::dom::{collapse_ws, Blocks};
use super::meta::Meta;

static H1: LazyLock<Selector> = LazyLock::new(|| Selector::parse("h1").expect("selector"));
static H2: LazyLock<Selector> = LazyLock::new(|| Selector::parse("h2").expect("selector"));
static HEADLINE_CLASS: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse(
        r#"[itemprop="headline"], [class*="headline" i], [class*="title" i] h1, [class*="entry-title" i]"#,
    )
    .expect("selector")
});
static BIG_BOLD: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse(r#"font[size="4"] b, font[size="5"] b, font[size="+2"] b, b font[size="4"]"#)
        .expect("selector")
});
static LINK: LazyLock<Selector> = LazyLock::new(|| Selector::parse("a[href]").expect("selector"));

/// Separators between a headline and the site name in `<title>` and `og:title`, longest
/// first so that " | " is one separator, not a bare "|" with spaces around it.
const SEPARATORS: [&str; 13] = [
    " :: ", " | ", " - ", " – ", " — ", " · ", " » ", " « ", " / ", " • ", " ~ ", " > ", "|",
];
/// A colon also ends a title segment ("Muffin Grundrezept : Muffin Rezepte", "Klimaschutz:
/// Bohren, bis es heiß wird"), but it is too common inside headlines to cut at unless the
/// segment it ends is the site's name; it only splits titles into runs for confirmation.
const COLONS: [&str; 2] = [" : ", ": "];

/// Class or id words of the site's logo or name, the heading that is on every page.
const LOGO_WORDS: [&str; 8] = [
    "logo",
    "site-title",
    "sitetitle",
    "site-name",
    "sitename",
    "site-branding",
    "blog-title",
    "blogname",
];

/// Where a candidate comes from; earlier kinds win ties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    H1,
    Class,
    Bold,
    H2,
}

/// A heading the page shows.
#[derive(Debug)]
struct Heading {
    text: String,
    /// The heading split at one child element: that element's text, and the rest.
    parts: Vec<String>,
    kind: Kind,
    foreign: bool,
}

/// Picks the headline and returns it with the site name removed. `host` (the page's host
/// name, when known) helps recognise the site name: "The Valley Herald" on valleyherald.example.
pub fn title(doc: &Html, meta: &Meta, host: Option<&str>, blocks: &Blocks) -> String {
    let mut site_names: Vec<String> = ["og:site_name", "application-name"]
        .iter()
        .filter_map(|k| meta.first(&[k]))
        .map(String::from)
        .collect();
    if let Some(label) = host.and_then(host_label) {
        site_names.push(label);
    }
    let (headings, logos) = headings(doc, blocks);
    site_names.extend(logos.into_iter().filter(|l| l.chars().count() >= 3));
    let site_name = |segment: &str| is_site_name(segment, &site_names);
    let raw_tag = meta.title_tag.clone().unwrap_or_default();
    let tag = strip_site(&raw_tag, &site_name);
    let mut declared: Vec<String> = Vec::new();
    let metas = ["og:title", "twitter:title", "headline", "dc.title"];
    for d in metas
        .iter()
        .flat_map(|k| meta.all(k).map(String::from))
        .chain(meta.article_str("headline"))
    {
        let d = strip_site(&d, &site_name);
        if !d.is_empty() && !site_name(&d) && !declared.contains(&d) {
            declared.push(d);
        }
    }
    let evidence = Evidence::new(&raw_tag, &tag, &declared);

    // The best confirmed candidate; a part of a heading or an `<h2>` needs good evidence, a
    // heading inside a sidebar or menu (breadcrumbs hold some sites' `<h1>`) the best.
    type Rank = (u8, bool, std::cmp::Reverse<Kind>, bool, usize);
    let mut best: Option<(Rank, &str)> = None;
    for h in &headings {
        let full = std::iter::once((h.text.as_str(), false));
        let parts = h.parts.iter().map(|p| (p.as_str(), true));
        for (text, is_part) in full.chain(parts) {
            let level = evidence.level(text);
            let needed = if h.kind == Kind::H2 || h.foreign {
                3
            } else {
                2
            };
            if level < needed || site_name(text) {
                continue;
            }
            // Ties go to the whole heading before its parts, then the longer part (the
            // headline rather than its kicker), then the first in the page.
            let rank = (
                level,
                !h.foreign,
                std::cmp::Reverse(h.kind),
                !is_part,
                if is_part { text.len() } else { 0 },
            );
            if best.as_ref().is_none_or(|(b, _)| rank > *b) {
                best = Some((rank, text));
            }
        }
    }
    if let Some((_, text)) = best {
        return text.to_string();
    }
    // The first heading a reader sees that is not the site's name.
    let visible = headings
        .iter()
        .filter(|h| h.kind != Kind::H2 && !h.foreign)
        .map(|h| h.text.as_str())
        .find(|t| !site_name(t) && evidence.level(t) != 1);
    let words = |s: &str| s.split_whitespace().count();
    // The visible headline wins when another source confirms it (above); otherwise the
    // declared headline, then a visible one that reads like a headline, then the <title>.
    // An unconfirmed visible headline of a few words still wins over the declared one: SEO
    // titles and og:title are often rewritten for search and sharing, while the reader sees
    // the `<h1>`.
    match (visible, declared.first()) {
        (Some(v), Some(_)) if words(v) >= 3 => v.to_string(),
        (_, Some(d)) => untruncated(d, &tag),
        (Some(v), None) if words(v) >= 4 || tag.is_empty() => v.to_string(),
        _ => tag,
    }
}

/// The heading block that shows the headline with more around it (a kicker, a date line in
/// the same `<h1>`), when no block is the headline exactly: where the story's head is.
pub fn heading_block(blocks: &Blocks, title: &str) -> Option<usize> {
    let title = title.to_lowercase();
    if title.split_whitespace().count() < 2 {
        return None;
    }
    blocks
        .iter()
        .position(|b| !b.foreign && b.is_heading() && b.text.to_lowercase().contains(&title))
}

/// The declared headline, or the `<title>` when the declared one is a cut-off start of it
/// (`og:title` written by a template that stops at a quote character).
fn untruncated(declared: &str, tag: &str) -> String {
    let (d, t) = (fold(declared), fold(tag));
    if t.len() > d.len() && t.starts_with(&d) {
        let rest = t[d.len()..].trim_start();
        let separator = rest.starts_with(['|', '-', '–', '—', ':', '·', '»', '/', '•']);
        if !separator {
            return tag.to_string();
        }
    }
    declared.to_string()
}

/// What the page's metadata says its headline is, to confirm a visible candidate.
struct Evidence {
    /// `og:title`, `twitter:title`, JSON-LD `headline`…, site name removed.
    declared: HashSet<String>,
    /// The `<title>`, site name removed.
    tag: String,
    /// Runs of segments of the stripped `<title>` and of the declared headlines.
    runs: HashSet<String>,
    /// Runs of segments of the whole `<title>`: a candidate found only here is the part the
    /// site name was removed from, the site's or section's name.
    raw_runs: HashSet<String>,
    /// Longer texts a candidate may be most of (stripped `<title>`, declared headlines).
    wholes: Vec<String>,
    /// The whole `<title>`: a heading that repeats it says the title carries no site name.
    raw: String,
}

impl Evidence {
    fn new(raw_tag: &str, tag: &str, declared: &[String]) -> Evidence {
        let mut runs = HashSet::new();
        for s in std::iter::once(tag).chain(declared.iter().map(String::as_str)) {
            add_runs(s, &mut runs);
        }
        let mut raw_runs = HashSet::new();
        add_runs(raw_tag, &mut raw_runs);
        let tag = fold(tag);
        let declared: HashSet<String> = declared.iter().map(|d| fold(d)).collect();
        let wholes = std::iter::once(tag.clone())
            .chain(declared.iter().cloned())
            .filter(|w| !w.is_empty())
            .collect();
        Evidence {
            declared,
            tag,
            runs,
            raw_runs,
            wholes,
            raw: fold(raw_tag),
        }
    }

    /// 4: a declared headline; 3: the `<title>`, stripped or whole; 2: a run of their segments or most
    /// of one of them; 1: only a run of the whole `<title>` (the site or section name);
    /// 0: unconfirmed.
    fn level(&self, text: &str) -> u8 {
        let v = fold(text);
        if v.is_empty() {
            return 0;
        }
        if self.declared.contains(&v) {
            4
        } else if v == self.tag || v == self.raw {
            3
        } else if self.runs.contains(&v)
            || self
                .wholes
                .iter()
                .any(|w| w.contains(&v) && v.len() * 5 >= w.len() * 3)
        {
            2
        } else if self.raw_runs.contains(&v) {
            1
        } else {
            0
        }
    }
}

/// Adds every run of consecutive segments of `s` (split at separators and colons), folded.
fn add_runs(s: &str, runs: &mut HashSet<String>) {
    let seps: Vec<&str> = SEPARATORS.iter().chain(COLONS.iter()).copied().collect();
    let mut segs = segments(s, &seps);
    // Titles of a dozen segments are keyword lists; their first ones are what counts.
    segs.truncate(8);
    for i in 0..segs.len() {
        for j in i..segs.len() {
            runs.insert(fold(&s[segs[i].0..segs[j].1]));
        }
    }
}

/// The headings of the page in document order (`<h1>`s, then headline-classed elements, big
/// bold text, `<h2>`s), without the site's logo heading, and the texts of the logo headings.
fn headings(doc: &Html, blocks: &Blocks) -> (Vec<Heading>, Vec<String>) {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut logos = Vec::new();
    let groups: [(&Selector, Kind); 4] = [
        (&H1, Kind::H1),
        (&HEADLINE_CLASS, Kind::Class),
        (&BIG_BOLD, Kind::Bold),
        (&H2, Kind::H2),
    ];
    for (selector, kind) in groups {
        // `<h2>`s only count when the metadata names them: the first few are enough.
        let limit = if kind == Kind::H2 { 40 } else { usize::MAX };
        for el in doc.select(selector).take(limit) {
            if !seen.insert(el.id()) {
                continue;
            }
            let text = visible_text(el, None);
            if !(3..=400).contains(&text.chars().count()) {
                continue;
            }
            if kind != Kind::H2 && is_logo(el, &text) {
                logos.push(text);
                continue;
            }
            let parts = if kind == Kind::H2 {
                Vec::new()
            } else {
                parts(el, &text)
            };
            out.push(Heading {
                text,
                parts,
                kind,
                foreign: blocks.in_foreign(el),
            });
        }
    }
    (out, logos)
}

/// The heading split at each of its first few descendant elements: the element's text and
/// the heading's text without it (a kicker, a date line, a visually hidden label).
fn parts(el: ElementRef<'_>, full: &str) -> Vec<String> {
    let mut out = Vec::new();
    for child in el
        .descendants()
        .skip(1)
        .filter_map(ElementRef::wrap)
        .take(8)
    {
        let inner = visible_text(child, None);
        if inner.is_empty() || inner == full {
            continue;
        }
        let rest = visible_text(el, Some(child));
        for p in [inner, rest] {
            if !p.is_empty() && !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

/// The text a reader sees in `el` (no scripts or styles), words of separate lines and
/// blocks kept apart, leaving out the subtree of `skip`.
fn visible_text(el: ElementRef<'_>, skip: Option<ElementRef<'_>>) -> String {
    let mut out = String::new();
    let mut hidden = 0usize;
    for edge in el.traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    let name = e.name();
                    let invisible = matches!(name, "script" | "style" | "noscript" | "template")
                        || skip.is_some_and(|s| s.id() == node.id());
                    if hidden > 0 || invisible {
                        hidden += 1;
                    } else if matches!(name, "br" | "div" | "p" | "li") {
                        out.push(' ');
                    }
                }
                Node::Text(t) if hidden == 0 => out.push_str(t),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(e) = node.value() {
                    if hidden > 0 {
                        hidden -= 1;
                    } else if matches!(e.name(), "div" | "p" | "li") {
                        out.push(' ');
                    }
                }
            }
        }
    }
    collapse_ws(&out).replace('\u{ad}', "")
}

/// Whether a heading is the site's logo or name: a link to the site's front page that is the
/// whole heading, or an element (or its near ancestor) classed as the logo or site title.
fn is_logo(el: ElementRef<'_>, text: &str) -> bool {
    let home = el.select(&LINK).any(|a| {
        let v = a.value();
        (v.attr("rel")
            .is_some_and(|r| r.split_whitespace().any(|w| w == "home"))
            || v.attr("href").is_some_and(is_root_href))
            && visible_text(a, None) == text
    });
    if home {
        return true;
    }
    std::iter::once(*el)
        .chain(el.ancestors().take(3))
        .filter_map(|n| n.value().as_element())
        .any(|e| {
            e.attr("class")
                .into_iter()
                .chain(e.attr("id"))
                .any(|words| {
                    let words = words.to_ascii_lowercase();
                    LOGO_WORDS.iter().any(|w| words.contains(w))
                })
        })
}

/// Whether a link points at a site's front page: "/", "https://host/", "/index.html", and an
/// archived copy of one ("https://web.archive.org/web/2016…/http://host/").
fn is_root_href(href: &str) -> bool {
    let href = href.trim();
    let href = href.split(['?', '#']).next().unwrap_or("");
    let path = match href.rfind("://") {
        Some(i) => {
            let rest = &href[i + 3..];
            rest.find('/').map_or("", |j| &rest[j..])
        }
        None => href,
    };
    matches!(
        path.trim_end_matches('/'),
        "" | "/index.html" | "/index.htm" | "/index.php"
    ) && !href.is_empty()
        || href == "/"
}

/// Byte ranges of the segments of `title` between separators, trimmed, empty ones dropped.
fn segments(title: &str, seps: &[&str]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let bytes = title.as_bytes();
    while i < title.len() {
        // Every separator starts with a space, a bar or a colon: test only there.
        let candidate = matches!(bytes[i], b' ' | b'|' | b':');
        if let Some(sep) = seps
            .iter()
            .find(|s| candidate && bytes[i..].starts_with(s.as_bytes()))
        {
            out.push((start, i));
            i += sep.len();
            start = i;
        } else {
            i += title[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out.push((start, title.len()));
    out.into_iter()
        .filter_map(|(s, e)| {
            let seg = &title[s..e];
            let lead = seg.len() - seg.trim_start().len();
            let trail = seg.len() - seg.trim_end().len();
            (lead + trail < seg.len()).then_some((s + lead, e - trail))
        })
        .collect()
}

/// Removes the site name from a `<title>`-style string: the segments `is_site` recognises
/// and what follows them (a tagline), or that precede the headline; else a short end segment
/// that reads like a name when the rest is at least as long ("Headline | The Daily Paper"),
/// or a short first one when the rest is much longer ("BAFA - Statistik - Headline").
pub fn strip_site(title: &str, is_site: &dyn Fn(&str) -> bool) -> String {
    let title = collapse_ws(title);
    let seps: Vec<&str> = SEPARATORS
        .iter()
        .chain(COLONS.iter().take(1))
        .copied()
        .collect();
    let segs = segments(&title, &seps);
    if segs.len() >= 2 {
        let site: Vec<bool> = segs.iter().map(|&(s, e)| is_site(&title[s..e])).collect();
        if let Some(first_site) = site.iter().position(|&s| s) {
            let (from, to) = if first_site > 0 {
                (0, first_site)
            } else {
                let from = site.iter().position(|&s| !s).unwrap_or(segs.len());
                let to = site[from..]
                    .iter()
                    .position(|&s| s)
                    .map_or(segs.len(), |k| from + k);
                (from, to)
            };
            if from < to {
                return title[segs[from].0..segs[to - 1].1].to_string();
            }
        }
    }
    let segs = segments(&title, &SEPARATORS);
    if segs.len() < 2 {
        return title;
    }
    let words = |s: &str| s.split_whitespace().count();
    let n = segs.len();
    let last = &title[segs[n - 1].0..segs[n - 1].1];
    let before_last = &title[..segs[n - 2].1];
    if name_like(last) && words(last) <= 4 && words(before_last) >= words(last) {
        return before_last.to_string();
    }
    let first = &title[segs[0].0..segs[0].1];
    let after_first = &title[segs[1].0..];
    if name_like(first) && words(first) <= 3 && words(after_first) >= 2 * words(first) {
        return after_first.to_string();
    }
    title
}

/// Whether a title segment could be a name rather than the rest of the headline: not a
/// question or exclamation, and not starting in lower case unless it is a domain name
/// ("dhz.net"), where a continuation ("… – mit Malerrolle") would.
fn name_like(segment: &str) -> bool {
    let Some(first) = segment.chars().next() else {
        return false;
    };
    !segment.ends_with(['?', '!']) && (!first.is_lowercase() || is_domain(segment))
}

/// A domain name written as a site's name: "MOPO.de", "Lebensmittelpraxis.de", "dhz.net".
fn is_domain(segment: &str) -> bool {
    let Some((name, tld)) = segment.rsplit_once('.') else {
        return false;
    };
    !name.is_empty()
        && !segment.contains(char::is_whitespace)
        && (2..=4).contains(&tld.len())
        && tld.chars().all(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}

/// Whether a title segment is the site's name: a domain name, equal to a known name, or
/// squashed to letters it matches the host's main label ("The Valley Herald" ~ valleyherald,
/// "St. Georgs Chorknaben Ulm" ~ chorknaben-ulm).
fn is_site_name(segment: &str, names: &[String]) -> bool {
    if is_domain(segment.trim()) {
        return true;
    }
    let seg = squash(segment);
    let seg = seg.strip_prefix("the").unwrap_or(&seg);
    if seg.len() < 3 {
        return false;
    }
    names.iter().any(|n| {
        let n = squash(n);
        let n = n.strip_prefix("the").unwrap_or(&n);
        n == seg
            || (n.len() >= 5 && (seg.starts_with(n) || n.starts_with(seg)))
            || (n.len() >= 6 && seg.ends_with(n))
    })
}

/// The distinctive label of a host: `www.valleyherald.example` → "valleyherald".
fn host_label(host: &str) -> Option<String> {
    let labels: Vec<&str> = host.split('.').filter(|l| *l != "www").collect();
    let label = match labels.len() {
        0 | 1 => labels.first()?,
        n => labels[n - 2],
    };
    (label.len() >= 4).then(|| label.to_string())
}

/// Lower-case letters and digits only.
fn squash(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Lower case, whitespace collapsed, dashes, quotes and ellipses written one way, soft
/// hyphens and zero-width characters dropped: the forms one page mixes for one title.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{ab}' | '\u{bb}'
            | '\u{2033}' => out.push('"'),
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2039}' | '\u{203a}' | '`'
            | '\u{b4}' => out.push('\''),
            '\u{2026}' => out.push_str("..."),
            '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    collapse_ws(&out)
}
#[cfg(test)]
mod tests {
    use super::*;

    fn t(html: &str) -> String {
        let doc = Html::parse_document(html);
        let blocks = crate::extract::dom::blocks(&doc);
        title(
            &doc,
            &Meta::read(&doc),
            Some("valleyherald.example"),
            &blocks,
        )
    }

    #[test]
    fn h1_confirmed_by_title_tag() {
        assert_eq!(
            t("<title>Port strike ends | The Business Chronicle</title><h1 class='headline'>Port strike ends</h1>"),
            "Port strike ends"
        );
    }

    #[test]
    fn site_prefix_is_stripped() {
        assert_eq!(
            t("<title>The Valley Herald - Mayor opens new bridge - at last</title>"),
            "Mayor opens new bridge - at last"
        );
    }

    #[test]
    fn og_title_when_h1_is_the_logo() {
        assert_eq!(
            t("<title>Rates rise again - The Ledger</title><meta property='og:title' content='Rates rise again'><h1><a href='/'>The Ledger</a></h1>"),
            "Rates rise again"
        );
    }

    #[test]
    fn sidebar_h1_is_ignored() {
        assert_eq!(
            t("<title>Heatwave grips city</title><div class='sidebar'><h1>Most read today</h1></div><h1>Heatwave grips city</h1>"),
            "Heatwave grips city"
        );
    }

    #[test]
    fn known_site_name_is_removed() {
        assert_eq!(
            strip_site("Budget: what it means for you — Daily Ledger", &|s| s
                == "Daily Ledger"),
            "Budget: what it means for you"
        );
    }

    #[test]
    fn logo_heading_is_the_site_name() {
        // WordPress themes: the blog's name is an <h1> linking home, the post title a later one.
        let html = "<title>Need for Speed – Insubordinate Thinking</title>\
            <meta property='og:title' content='Need for Speed'>\
            <header><h1 class='site-title'><a href='https://blog.example/' rel='home'>Insubordinate Thinking</a></h1></header>\
            <article><h1 class='entry-title'>Need for Speed</h1><p>Text.</p></article>";
        assert_eq!(t(html), "Need for Speed");
        // Without metadata, the logo's text is the site name to strip from <title>.
        let html = "<title>Scherenschnitt (3) | gnaddrig ad libitum</title>\
            <h1><a href='/'>gnaddrig ad libitum</a></h1><h2>Scherenschnitt (3)</h2>";
        assert_eq!(t(html), "Scherenschnitt (3)");
    }

    #[test]
    fn kicker_element_inside_the_heading_is_left_out() {
        let html = "<title>Klimavorreiter Oberland? - Tegernseer Stimme</title>\
            <h1><span class='sub-heading'>Energiewende Oberland:</span><br> Klimavorreiter Oberland?</h1>";
        assert_eq!(t(html), "Klimavorreiter Oberland?");
        let html = "<meta property='og:title' content='St. Louis Park elects a new mayor'>\
            <h1><div class='section'><a href='/politics/'>Politics | </a></div><span>St. Louis Park elects a new mayor</span></h1>";
        assert_eq!(t(html), "St. Louis Park elects a new mayor");
        // A kicker that is also a title segment loses to the longer headline.
        let html = "<title>Olympic Games in Paris - Drinks by boat to the city centre - Trade News</title>\
            <h1><span>Olympic Games in Paris</span> Drinks by boat to the city centre</h1>";
        assert_eq!(t(html), "Drinks by boat to the city centre");
    }

    #[test]
    fn confirmed_heading_in_a_breadcrumb_still_counts() {
        let html = "<title>Second F13 close to approval | Daily</title>\
            <meta property='og:title' content='Rewritten for sharing'>\
            <nav><ol><li><a href='/'>Home</a></li><li><h1>Second F13 close to approval</h1></li></ol></nav>\
            <p>Story text that is long enough to be a paragraph of the story.</p>";
        assert_eq!(t(html), "Second F13 close to approval");
    }

    #[test]
    fn dashes_and_quotes_are_compared_folded() {
        let html = "<title>Von der Leyen will Ukraine in EU holen - Österreich zahlt - Unzensiert</title>\
            <meta property='og:title' content='Von der Leyen will Ukraine in EU holen - Österreich zahlt'>\
            <h1>Von der Leyen will Ukraine in EU holen – Österreich zahlt</h1>";
        assert_eq!(
            t(html),
            "Von der Leyen will Ukraine in EU holen – Österreich zahlt"
        );
    }

    #[test]
    fn cut_off_og_title_gives_way_to_the_title() {
        let html = "<title>Senator calls Biden \"incapacitated\"</title>\
            <meta property='og:title' content='Senator calls Biden '>";
        assert_eq!(t(html), "Senator calls Biden \"incapacitated\"");
    }

    #[test]
    fn any_declared_headline_confirms() {
        // Two og:title tags, the second one clean; the <h1> matches it.
        let html = "<title>Shops keep closing » ☆☆☆☆☆ - Watch e.V. - News</title>\
            <meta property='og:title' content='Shops keep closing » ☆☆☆☆☆ - Watch e.V. - News'>\
            <meta property='og:title' content='Shops keep closing'>\
            <div class='sidebar'><h1>Shops keep closing</h1></div>";
        assert_eq!(t(html), "Shops keep closing");
    }

    #[test]
    fn scripts_and_styles_in_a_heading_are_not_text() {
        let html = "<title>Vaccination possible until February</title>\
            <h1><style>.css-x{font-size:16px}</style>Vaccination possible until February</h1>";
        assert_eq!(t(html), "Vaccination possible until February");
    }

    #[test]
    fn site_segments_and_continuations() {
        let site = |s: &str| s == "Krimiblog";
        // A domain name is a site name; what follows the site name is its tagline.
        assert_eq!(
            strip_site("Getränke per Schiff - Lebensmittelpraxis.de", &|_| false),
            "Getränke per Schiff"
        );
        assert_eq!(
            strip_site(
                "Das schwulste Musikvideo : Krimiblog | Ermittlungen zum Verfall | Gegründet 2005",
                &site
            ),
            "Das schwulste Musikvideo"
        );
        // A question or a lower-case continuation is part of the headline, not a name.
        assert_eq!(
            strip_site("Bericht zur Lage – worauf wartet die Politik?", &|_| {
                false
            }),
            "Bericht zur Lage – worauf wartet die Politik?"
        );
        assert_eq!(
            strip_site(
                "Minions mit Schablonen malen - mit Malerrolle & bunter Farbe",
                &|_| false
            ),
            "Minions mit Schablonen malen - mit Malerrolle & bunter Farbe"
        );
        // A short first segment before a much longer headline is the site or section.
        assert_eq!(
            strip_site(
                "BAFA - Mineralölstatistik - MineralölINFO November 2021 (Absatz)",
                &|_| false
            ),
            "Mineralölstatistik - MineralölINFO November 2021 (Absatz)"
        );
    }

    #[test]
    fn root_links() {
        assert!(is_root_href("/"));
        assert!(is_root_href("https://blog.example/"));
        assert!(is_root_href(
            "https://web.archive.org/web/2016/http://muffins.example/"
        ));
        assert!(!is_root_href("https://blog.example/2019/12/post/"));
        assert!(!is_root_href("#top"));
    }
}

//! The headline: what the page itself shows as its `<h1>`, confirmed by the `<title>`,
//! OpenGraph or JSON-LD, without the site name those usually carry.

use std::sync::LazyLock;

use scraper::{ElementRef, Html, Selector};

use super::dom::{collapse_ws, Blocks};
use super::meta::Meta;

static H1: LazyLock<Selector> = LazyLock::new(|| Selector::parse("h1").expect("selector"));
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

/// Separators between a headline and the site name in `<title>` and `og:title`.
const SEPARATORS: [&str; 8] = [" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " / "];

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
    let site_name = |segment: &str| is_site_name(segment, &site_names);
    let raw_tag = meta.title_tag.clone().unwrap_or_default();
    let tag = strip_site(&raw_tag, &site_name);
    let declared = meta
        .first(&["og:title", "twitter:title", "headline", "dc.title"])
        .map(String::from)
        .or_else(|| meta.article_str("headline"))
        .map(|d| strip_site(&d, &site_name))
        .filter(|d| !d.is_empty());
    let confirmed = |v: &str| {
        let vn = norm(v);
        let raw = norm(&raw_tag);
        let affix = (raw.starts_with(&vn) || raw.ends_with(&vn)) && vn.len() * 5 >= raw.len() * 2;
        affix
            || [tag.as_str(), declared.as_deref().unwrap_or("")]
                .iter()
                .any(|other| {
                    let on = norm(other);
                    on == vn || (on.contains(&vn) && vn.len() * 5 >= on.len() * 3)
                })
    };
    let visible = visible_headline(doc, blocks, &confirmed);
    // The visible headline wins when another source confirms it; otherwise the declared
    // headline, then a visible one that reads like a headline, then the <title>.
    // An unconfirmed visible headline of a few words that is not the site's name still wins
    // over the declared one: SEO titles and og:title are often rewritten for search and
    // sharing, while the reader sees the `<h1>`.
    let shown = |v: &str| v.split_whitespace().count() >= 3 && !site_name(v);
    match (visible, declared) {
        (Some((v, true)), _) => v,
        (Some((v, false)), Some(_)) if shown(&v) => v,
        (_, Some(d)) => d,
        (Some((v, false)), None) if v.split_whitespace().count() >= 4 || tag.is_empty() => v,
        _ => tag,
    }
}

/// The headline element a reader sees: an `<h1>` (or headline-classed element, or a legacy
/// big bold `<font>`) outside sidebars, preferring one that `confirmed` accepts; the flag
/// says whether it was confirmed.
fn visible_headline(
    doc: &Html,
    blocks: &Blocks,
    confirmed: &dyn Fn(&str) -> bool,
) -> Option<(String, bool)> {
    let mut found: Vec<String> = Vec::new();
    let mut consider = |el: ElementRef<'_>| {
        if blocks.in_foreign(el) {
            return;
        }
        let text = collapse_ws(&el.text().collect::<String>());
        if (3..=400).contains(&text.chars().count()) {
            found.push(text);
        }
    };
    doc.select(&H1).for_each(&mut consider);
    doc.select(&HEADLINE_CLASS).for_each(&mut consider);
    doc.select(&BIG_BOLD).for_each(&mut consider);
    if let Some(v) = found.iter().find(|t| confirmed(t)) {
        return Some((v.clone(), true));
    }
    found.into_iter().next().map(|v| (v, false))
}

/// Removes the site name from a `<title>`-style string: segments that `is_site` recognises,
/// else a short end segment when the rest is at least as long ("Headline | The Daily Paper").
pub fn strip_site(title: &str, is_site: &dyn Fn(&str) -> bool) -> String {
    let title = collapse_ws(title);
    for sep in SEPARATORS {
        let parts: Vec<&str> = title.split(sep).collect();
        if parts.len() < 2 {
            continue;
        }
        let kept: Vec<&str> = parts.iter().copied().filter(|p| !is_site(p)).collect();
        if !kept.is_empty() && kept.len() < parts.len() {
            return kept.join(sep);
        }
        let first = parts[0];
        let last = parts[parts.len() - 1];
        let words = |s: &str| s.split_whitespace().count();
        let rest_after_first = &title[first.len() + sep.len()..];
        let rest_before_last = &title[..title.len() - last.len() - sep.len()];
        if words(last) <= 4 && words(rest_before_last) >= words(last) {
            return rest_before_last.to_string();
        }
        if words(first) <= 4 && words(rest_after_first) > words(first) {
            return rest_after_first.to_string();
        }
    }
    title
}

/// Whether a title segment is the site's name: it equals a known name, or squashed to
/// letters it matches the host's main label ("The Valley Herald" ~ valleyherald).
fn is_site_name(segment: &str, names: &[String]) -> bool {
    let seg = squash(segment);
    let seg = seg.strip_prefix("the").unwrap_or(&seg);
    if seg.len() < 3 {
        return false;
    }
    names.iter().any(|n| {
        let n = squash(n);
        let n = n.strip_prefix("the").unwrap_or(&n);
        n == seg || (n.len() >= 5 && (seg.starts_with(n) || n.starts_with(seg)))
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

fn norm(s: &str) -> String {
    collapse_ws(s).to_lowercase()
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
}

//! Output for people and for scripts: the search hit list on a terminal (colour only on a
//! TTY and never with `NO_COLOR`), JSON, and the indexing summary. Every string that came
//! from a page is stripped of control characters before it reaches the terminal, so a page
//! cannot smuggle escape sequences into the user's shell.

use std::fmt::Write as _;

use crate::index::Summary;
use crate::search::{Facets, Results};

/// Terminal styles; empty strings when colour is off.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    bold: &'static str,
    dim: &'static str,
    title: &'static str,
    mark: &'static str,
    reset: &'static str,
}

impl Style {
    /// Colour on a terminal unless `NO_COLOR` is set (<https://no-color.org>).
    pub fn new(colour: bool) -> Style {
        if colour {
            Style {
                bold: "\x1b[1m",
                dim: "\x1b[2m",
                title: "\x1b[1;36m",
                mark: "\x1b[1;33m",
                reset: "\x1b[0m",
            }
        } else {
            Style {
                bold: "",
                dim: "",
                title: "",
                mark: "",
                reset: "",
            }
        }
    }
}

/// Removes control characters (escape sequences, bells, carriage returns) from page text
/// that is about to be printed; newlines and tabs become spaces.
pub fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .filter(|c| !c.is_control() && !('\u{80}'..='\u{9f}').contains(c))
        .collect()
}

/// The hit list for a terminal.
pub fn results_text(r: &Results, style: Style) -> String {
    let s = style;
    let mut out = String::new();
    for w in &r.warnings {
        let _ = writeln!(out, "warning: {}", clean(w));
    }
    for h in &r.hits {
        let _ = writeln!(
            out,
            "{}{:>3}.{} {}{}{}",
            s.bold,
            h.rank,
            s.reset,
            s.title,
            clean(&h.title),
            s.reset
        );
        let mut meta = Vec::new();
        if let Some(d) = &h.date {
            meta.push(clean(d));
        }
        if let Some(sec) = &h.section {
            meta.push(clean(sec));
        }
        if !h.byline.is_empty() {
            meta.push(format!("by {}", clean(&h.byline.join(", "))));
        }
        if let Some(captured) = &h.captured {
            // the capture, never to be read as the publication date
            meta.push(format!("captured {}", clean(&captured.replace('T', " "))));
        }
        if let Some(score) = h.score {
            meta.push(format!("score {score:.2}"));
        }
        let _ = writeln!(out, "     {}{}{}", s.dim, meta.join(" · "), s.reset);
        let _ = writeln!(out, "     {}", clean(h.url.as_deref().unwrap_or(&h.path)));
        if h.copies_total > 0 {
            let also = also_on(h.copies_total, &h.copy_sites);
            let _ = writeln!(out, "     {}{also}{}", s.dim, s.reset);
            for c in &h.copies {
                let date = c
                    .date
                    .as_deref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default();
                let at = clean(c.url.as_deref().unwrap_or(&c.path));
                let _ = writeln!(out, "       {}= {at}{date}{}", s.dim, s.reset);
            }
        }
        if !h.people.is_empty() {
            let mut people: Vec<String> = h.people.iter().take(6).map(|p| clean(p)).collect();
            if h.people.len() > 6 {
                people.push(format!("+{} more", h.people.len() - 6));
            }
            let _ = writeln!(
                out,
                "     {}people:{} {}",
                s.dim,
                s.reset,
                people.join(", ")
            );
        }
        if !h.snippet.is_empty() {
            let _ = writeln!(out, "     {}", highlight(&h.snippet, &h.highlights, style));
        }
        out.push('\n');
    }
    if let Some(f) = &r.facets {
        out.push_str(&facets_text(f, style));
    }
    let shown = if r.hits.is_empty() {
        String::new()
    } else {
        format!(
            " (showing {}-{})",
            r.hits[0].rank,
            r.hits[r.hits.len() - 1].rank
        )
    };
    let _ = writeln!(
        out,
        "{}{}{} hit{}{} in {:.1} ms{}",
        s.dim,
        if r.total_exact { "" } else { "more than " },
        r.total,
        if r.total == 1 && r.total_exact {
            ""
        } else {
            "s"
        },
        shown,
        r.took_ms,
        s.reset
    );
    out
}

/// "also on N other pages: site1, site2 …": how many other pages a collapsed hit's story
/// has, and the first few of the sites holding them.
pub fn also_on(total: usize, sites: &[String]) -> String {
    let shown: Vec<String> = sites.iter().take(5).map(|s| clean(s)).collect();
    let more = if sites.len() > shown.len() {
        " …"
    } else {
        ""
    };
    let list = if shown.is_empty() {
        String::new()
    } else {
        format!(": {}{more}", shown.join(", "))
    };
    format!(
        "also on {total} other page{}{list}",
        if total == 1 { "" } else { "s" }
    )
}

/// The snippet with its highlighted ranges marked (colour on a terminal, else `[…]`-free
/// plain text).
fn highlight(snippet: &str, ranges: &[[usize; 2]], s: Style) -> String {
    let chars: Vec<char> = snippet.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    for &[start, end] in ranges {
        if start < at || end > chars.len() || start > end {
            continue;
        }
        out.push_str(&clean(&chars[at..start].iter().collect::<String>()));
        out.push_str(s.mark);
        out.push_str(&clean(&chars[start..end].iter().collect::<String>()));
        out.push_str(s.reset);
        at = end;
    }
    out.push_str(&clean(&chars[at..].iter().collect::<String>()));
    out
}

fn facets_text(f: &Facets, s: Style) -> String {
    let mut out = String::new();
    let mut group = |name: &str, items: &[(String, u64)]| {
        if items.is_empty() {
            return;
        }
        let list: Vec<String> = items
            .iter()
            .map(|(k, n)| format!("{} ({n})", clean(k)))
            .collect();
        let _ = writeln!(out, "{}{name}:{} {}", s.bold, s.reset, list.join(", "));
    };
    group("sections", &f.section);
    group("people", &f.people);
    group("years", &f.year);
    out.push('\n');
    out
}

/// The indexing summary for a terminal (or a log).
pub fn summary_text(sm: &Summary, index_dir: &str) -> String {
    let mut out = String::new();
    let mb = sm.bytes_read as f64 / 1_048_576.0;
    let _ = writeln!(
        out,
        "{} files seen: {} added, {} updated, {} unchanged, {} removed{}",
        sm.files_seen,
        sm.added,
        sm.updated,
        sm.unchanged,
        sm.removed,
        if sm.listings_kept > 0 {
            format!(" ({} listing pages kept)", sm.listings_kept)
        } else {
            String::new()
        }
    );
    let skipped: u64 = sm.skipped.values().sum();
    if skipped > 0 {
        let _ = writeln!(out, "{skipped} skipped:");
        for (reason, n) in &sm.skipped {
            let _ = writeln!(out, "  {n:>7}  {}", clean(reason));
        }
    }
    if let Some(w) = &sm.warc {
        let records: Vec<String> = w
            .records
            .iter()
            .map(|(kind, n)| format!("{n} {}", clean(kind)))
            .collect();
        let _ = writeln!(
            out,
            "web archives: {} WARC files read, records: {}",
            w.files,
            records.join(", ")
        );
        let _ = writeln!(
            out,
            "  {} page captures ({} older captures of a URL replaced or passed over), {} revisits ({} resolved), {} damaged",
            w.captures, w.older_captures, w.revisits, w.revisits_resolved, w.damaged
        );
    }
    for (path, why) in &sm.errors {
        let _ = writeln!(out, "  unreadable: {}: {}", clean(path), clean(why));
    }
    let _ = writeln!(
        out,
        "{:.1} MB of HTML in {:.2} s ({:.1} MB/s); index {} holds {} documents, {:.1} MB",
        mb,
        sm.seconds,
        mb / sm.seconds.max(1e-9),
        index_dir,
        sm.docs_in_index,
        sm.index_bytes as f64 / 1_048_576.0
    );
    if sm.interrupted {
        let _ = writeln!(
            out,
            "interrupted: what was done is committed; run the same command again to finish"
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(clean("a\x1b[31mred\x07\r\nb\u{9b}c"), "a[31mred bc");
    }

    #[test]
    fn highlights_wrap_ranges() {
        let s = Style::new(true);
        let out = highlight("rates rise in café", &[[0, 5], [14, 18]], s);
        assert_eq!(out, "\x1b[1;33mrates\x1b[0m rise in \x1b[1;33mcafé\x1b[0m");
        assert_eq!(
            highlight("rates rise", &[[0, 5]], Style::new(false)),
            "rates rise"
        );
    }
}

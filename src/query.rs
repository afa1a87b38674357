//! gazette's query syntax, rewritten into tantivy's.
//!
//! Users paste headlines: "Boeing HAS NOT YET Seen Final JAL Crash Report", "M.s. Carriers
//! <msca> Completes Offering", "Economic Spotlight: China…". tantivy's grammar would read
//! `NOT`, `IN`, `<`, `:` as syntax and fail or change the meaning. gazette's syntax is small
//! and documented — words, `"phrases"`, `OR`, `AND`, `-word`/`+word`, `field:value` for the
//! fields in [`FIELDS`], parentheses — and everything else is text. This module turns any input
//! into a valid tantivy query string plus warnings for what it had to repair, so a query
//! never fails to parse and never panics.

/// Fields a user may name in a query (`field:value`).
pub const FIELDS: [&str; 6] = ["title", "body", "people", "section", "site", "byline"];

/// Deepest parenthesis nesting kept; deeper groups are flattened (tantivy's parser recurses).
pub const MAX_DEPTH: usize = 16;
/// Most terms kept from one query; the rest are dropped with a warning.
pub const MAX_TERMS: usize = 256;

/// A query rewritten for tantivy.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rewritten {
    /// The tantivy query string.
    pub query: String,
    /// What was repaired (unbalanced quotes or parentheses, unknown fields).
    pub warnings: Vec<String>,
    /// The plain words, in order, when the query is nothing but plain words (used to boost
    /// an exact headline match); empty otherwise.
    pub plain_words: Vec<String>,
}

/// Rewrites a user query (see the module docs).
pub fn rewrite(input: &str) -> Rewritten {
    let mut out = Rewritten::default();
    let mut parts: Vec<String> = Vec::new();
    let mut only_words = true;
    let mut depth = 0usize;
    let mut terms = 0usize;
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        // A sign before a group applies to the group: `-(port OR dock)`.
        let signed_group = (c == '-' || c == '+') && chars.get(i + 1) == Some(&'(');
        if signed_group || c == '(' {
            let sign = if signed_group {
                c.to_string()
            } else {
                String::new()
            };
            if signed_group {
                i += 1;
            }
            depth += 1;
            if depth <= MAX_DEPTH {
                parts.push(format!("{sign}("));
            } else if depth == MAX_DEPTH + 1 {
                out.warnings.push(format!(
                    "parentheses nested deeper than {MAX_DEPTH} flattened"
                ));
            }
            only_words = false;
            i += 1;
            continue;
        }
        if c == ')' {
            if depth > 0 {
                if depth <= MAX_DEPTH {
                    // An empty group is dropped whole.
                    if parts.last().is_some_and(|p| p.ends_with('(')) {
                        parts.pop();
                    } else {
                        parts.push(")".into());
                    }
                }
                depth -= 1;
            } else {
                out.warnings.push("unbalanced ')' ignored".into());
            }
            i += 1;
            continue;
        }
        if terms >= MAX_TERMS {
            if !out.warnings.iter().any(|w| w.starts_with("query longer")) {
                out.warnings.push(format!(
                    "query longer than {MAX_TERMS} terms: the rest ignored"
                ));
            }
            terms += 1;
            i += 1;
            continue;
        }
        terms += 1;
        // A term: optional +/-, optional field:, then a "phrase" or a word.
        let mut prefix = String::new();
        if (c == '-' || c == '+') && chars.get(i + 1).is_some_and(|n| !n.is_whitespace()) {
            prefix.push(c);
            only_words = false;
            i += 1;
        }
        let word_end = |from: usize| {
            let mut j = from;
            while j < chars.len() && !chars[j].is_whitespace() && !"()\"".contains(chars[j]) {
                j += 1;
            }
            j
        };
        // field:
        let end = word_end(i);
        let token: String = chars[i..end].iter().collect();
        if let Some((field, rest)) = token.split_once(':') {
            let lower = field.to_lowercase();
            if FIELDS.contains(&lower.as_str()) {
                prefix.push_str(&lower);
                prefix.push(':');
                only_words = false;
                i += field.chars().count() + 1;
                if rest.is_empty() && chars.get(i) != Some(&'"') {
                    out.warnings
                        .push(format!("'{field}:' has no value; ignored"));
                    continue;
                }
            } else if !field.is_empty()
                && !rest.is_empty()
                && field.chars().all(char::is_alphanumeric)
            {
                out.warnings.push(format!(
                    "'{field}' is not a field ({}); searched as words",
                    FIELDS.join(", ")
                ));
            }
        }
        if chars.get(i) == Some(&'"') {
            let close = chars[i + 1..]
                .iter()
                .position(|&c| c == '"')
                .map(|p| i + 1 + p);
            let inner_end = close.unwrap_or(chars.len());
            if close.is_none() {
                out.warnings
                    .push("unbalanced '\"': phrase closed at the end".into());
            }
            let inner: String = chars[i + 1..inner_end]
                .iter()
                .map(|&c| if c == '\\' || c == '"' { ' ' } else { c })
                .collect();
            let inner = inner.split_whitespace().collect::<Vec<_>>().join(" ");
            if !inner.is_empty() {
                parts.push(format!("{prefix}\"{inner}\""));
            }
            only_words = false;
            i = (inner_end + 1).min(chars.len());
            continue;
        }
        let end = word_end(i);
        let word: String = chars[i..end].iter().collect();
        i = end;
        if prefix.ends_with("site:") {
            // Host names are stored whole: keep the dots, drop `www.` and anything else.
            let host: String = word
                .to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '.' || *c == '-')
                .collect();
            let host = host.trim_matches(['.', '-']);
            let host = host.strip_prefix("www.").unwrap_or(host);
            if !host.is_empty() {
                parts.push(format!("{prefix}\"{host}\""));
            }
            continue;
        }
        if prefix.is_empty() && (word == "OR" || word == "AND") {
            parts.push(word);
            only_words = false;
            continue;
        }
        // Only letters and digits are searchable; the analyzer splits on the rest anyway.
        let room = (MAX_TERMS + 1).saturating_sub(terms);
        let pieces: Vec<String> = word
            .split(|c: char| !c.is_alphanumeric())
            .filter(|p| !p.is_empty())
            .take(room.max(1))
            .map(|p| {
                // Keep tantivy from reading uppercase words as its own operators.
                if matches!(p, "NOT" | "IN" | "TO" | "OR" | "AND") {
                    p.to_lowercase()
                } else {
                    p.to_string()
                }
            })
            .collect();
        // Each piece is a term ("U.S.A" is three); the first was counted above.
        terms += pieces.len().saturating_sub(1);
        if terms > MAX_TERMS {
            if !out.warnings.iter().any(|w| w.starts_with("query longer")) {
                out.warnings.push(format!(
                    "query longer than {MAX_TERMS} terms: the rest ignored"
                ));
            }
            continue;
        }
        match pieces.len() {
            0 => {}
            1 => {
                if prefix.is_empty() {
                    out.plain_words.push(pieces[0].clone());
                }
                parts.push(format!("{prefix}{}", pieces[0]));
            }
            _ if prefix.is_empty() => {
                out.plain_words.extend(pieces.iter().cloned());
                parts.extend(pieces);
            }
            // "-G-7" or "title:U.S.": keep the pieces together as a phrase.
            _ => parts.push(format!("{prefix}\"{}\"", pieces.join(" "))),
        }
    }
    for _ in 0..depth.min(MAX_DEPTH) {
        if parts.last().is_some_and(|p| p.ends_with('(')) {
            parts.pop();
        } else {
            parts.push(")".into());
        }
    }
    if depth > 0 {
        out.warnings.push("unbalanced '(' closed at the end".into());
    }
    // Operators with nothing on one side are dropped.
    while parts.last().is_some_and(|p| p == "OR" || p == "AND") {
        parts.pop();
    }
    while parts.first().is_some_and(|p| p == "OR" || p == "AND") {
        parts.remove(0);
    }
    out.query = parts.join(" ");
    if !only_words {
        out.plain_words.clear();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headlines_become_plain_words() {
        let r = rewrite("Boeing HAS NOT YET Seen <xon> U.S. G-7");
        assert_eq!(r.query, "Boeing HAS not YET Seen xon U S G 7");
        assert!(r.warnings.is_empty());
        assert_eq!(r.plain_words.len(), 10);
    }

    #[test]
    fn syntax_is_kept() {
        let r = rewrite(r#"(rates OR inflation) -bank +cut title:"interest rate" section:sport"#);
        assert_eq!(
            r.query,
            r#"( rates OR inflation ) -bank +cut title:"interest rate" section:sport"#
        );
        assert!(r.plain_words.is_empty());
    }

    #[test]
    fn signs_apply_to_groups_and_dotted_words_count_as_terms() {
        assert_eq!(
            rewrite("strike -(port OR dock)").query,
            "strike -( port OR dock )"
        );
        let r = rewrite(&"U.S.A ".repeat(256));
        assert!(
            r.query.split(' ').count() <= MAX_TERMS,
            "{}",
            r.query.split(' ').count()
        );
        assert_eq!(r.warnings.len(), 1);
    }

    #[test]
    fn site_values_stay_whole() {
        assert_eq!(
            rewrite("heatwave site:WWW.Morningledger.example").query,
            r#"heatwave site:"morningledger.example""#
        );
        assert_eq!(rewrite("-site:a.example x").query, r#"-site:"a.example" x"#);
    }

    #[test]
    fn repairs_are_warned() {
        let r = rewrite(r#""abc def"#);
        assert_eq!(r.query, r#""abc def""#);
        assert_eq!(r.warnings.len(), 1);
        let r = rewrite("((a b) c");
        assert_eq!(r.query, "( ( a b ) c )");
        let r = rewrite("a) Note: x nosuch:y");
        assert_eq!(r.query, "a Note x nosuch y");
        assert_eq!(r.warnings.len(), 2, "{:?}", r.warnings);
        assert_eq!(rewrite("OR AND").query, "");
        assert_eq!(rewrite("title:").query, "");
        assert_eq!(rewrite("---").query, "");
    }

    #[test]
    fn hostile_sizes_are_bounded() {
        let deep = format!("{}x{}", "(".repeat(10_000), ")".repeat(10_000));
        let r = rewrite(&deep);
        assert_eq!(r.query.matches('(').count(), MAX_DEPTH);
        assert_eq!(r.query.matches(')').count(), MAX_DEPTH);
        let huge = "word ".repeat(10_000);
        let r = rewrite(&huge);
        assert_eq!(r.query.split(' ').count(), MAX_TERMS);
        assert_eq!(r.warnings.len(), 1);
    }
}

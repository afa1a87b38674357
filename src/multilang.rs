//! The query side of multilingual search: which fields a query's words are looked for in,
//! and the partial-match query a search falls back to when too few pages hold every word.
//!
//! Words are searched in `title` (×2.5), `body`, `people` (×1.5), `page_title`, and in the `title_XX` (×2.5) / `body_XX` fields of each
//! language present in the index (see [`crate::analyzers`]). A language no page is in adds no
//! field (nor does one of too few pages, see [`MIN_LANGUAGE_SHARE`]), so an English index
//! searches as before plus `page_title` (the whole `<title>` with the site's name), so a pasted
//! tab title finds its page.

use std::collections::HashSet;
use std::hash::Hash;

use tantivy::collector::Collector;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser};
use tantivy::{DocAddress, Index, Term};

use crate::search::{top_docs, top_docs_with, Counting, ScoredDoc, SortBy};

use crate::analyzers::STEMMED;
use crate::schema::Fields;

/// Title fields weigh this much more than body text, as the headline says what a story is
/// about.
pub const TITLE_BOOST: f32 = 2.5;
/// People fields weigh this much more than body text.
pub const PEOPLE_BOOST: f32 = 1.5;

/// A language's fields are searched when at least this share of the index's documents is in
/// it. Every searched field costs a term lookup per query word and segment (on an English
/// archive where a few hundred short stories were detected as French or Dutch, searching the
/// fields of all such languages made one-word queries 2–5× slower); pages of a rarer language
/// are still found through `title`/`body`, by their written forms rather than their stems.
pub const MIN_LANGUAGE_SHARE: f64 = 0.02;

/// The positions in [`STEMMED`] of the languages at least [`MIN_LANGUAGE_SHARE`] of the
/// index's documents are in. Read when a searcher opens: a language that grows in the index
/// later is searched from the next open on.
pub fn present_languages(searcher: &tantivy::Searcher, fields: &Fields) -> Vec<usize> {
    let docs = searcher.num_docs() as f64;
    let in_language = |code: &str| {
        searcher
            .doc_freq(&Term::from_field_text(fields.lang, code))
            .unwrap_or(0)
    };
    (0..STEMMED.len())
        .filter(|&i| {
            let count: u64 = match STEMMED[i].0 {
                // Bokmål and Nynorsk share the Norwegian stemmer and fields.
                "no" => ["no", "nb", "nn"].into_iter().map(in_language).sum(),
                code => in_language(code),
            };
            count > 0 && count as f64 >= MIN_LANGUAGE_SHARE * docs
        })
        .collect()
}

/// The query parser over the base fields and the fields of the languages in `langs`: every
/// word required (in any of the fields), BM25 summed over the fields that hold it. With
/// `page_title`, also the whole `<title>`, site name included (so "Guardian" matches every
/// Guardian page: the price of pasted tab titles matching word for word).
pub fn parser(index: &Index, fields: &Fields, langs: &[usize], page_title: bool) -> QueryParser {
    let mut default_fields = vec![fields.title, fields.body, fields.people];
    if page_title {
        default_fields.push(fields.page_title);
    }
    for &i in langs {
        default_fields.push(fields.langs[i].0);
        default_fields.push(fields.langs[i].1);
    }
    let mut parser = QueryParser::for_index(index, default_fields);
    parser.set_conjunction_by_default();
    parser.set_field_boost(fields.title, TITLE_BOOST);
    parser.set_field_boost(fields.people, PEOPLE_BOOST);
    for &i in langs {
        parser.set_field_boost(fields.langs[i].0, TITLE_BOOST);
    }
    parser
}

/// A query of plain words is completed with partial matches when fewer stories than this hold
/// every word: only when none does. A query that finds one all-words story is answered by it
/// (its total stays the number of stories holding every word, which scripts count on), not
/// padded with weaker ones; one finding none (a pasted title whose site name no page holds, a
/// headline with a wrong word) gets the partial matches.
pub const TOO_FEW: usize = 1;

/// How many of `words` query words a partial match must hold: two in three, rounded down, and
/// at least one. A headline with one word misremembered (6 of 7), a pasted title with a site
/// name of two or three words the index never saw (8 of 10), a two-word query with one typo
/// (1 of 2) all still match; a page holding only one word of a long query does not.
pub fn minimum_should_match(words: usize) -> usize {
    (words * 2 / 3).max(1)
}

/// The fallback query for a query of plain words: BM25 over any of the words, each looked for
/// in every field as the parser would, matching pages that hold at least
/// [`minimum_should_match`] of them, with the number of words. None for fewer than two
/// words (nothing to relax).
pub fn partial_query(parser: &QueryParser, words: &[String]) -> Option<(Box<dyn Query>, usize)> {
    if words.len() < 2 {
        return None;
    }
    let clauses: Vec<(Occur, Box<dyn Query>)> = words
        .iter()
        .filter_map(|w| parser.parse_query(w).ok())
        .map(|q| (Occur::Should, q))
        .collect();
    if clauses.len() < 2 {
        return None;
    }
    let words = clauses.len();
    let minimum = minimum_should_match(words);
    Some((
        Box::new(BooleanQuery::with_minimum_required_clauses(
            clauses, minimum,
        )),
        words,
    ))
}

/// What a search that fell back says to its user (on stderr and in the JSON `warnings`).
pub fn partial_warning(query: &str, all_words: usize, words: usize) -> String {
    let held = match all_words {
        0 => "no story holds".to_string(),
        1 => "only 1 story holds".to_string(),
        n => format!("only {n} stories hold"),
    };
    format!(
        "{held} every word of {query:?}: partial matches follow (stories holding at least {} of its {words} words)",
        minimum_should_match(words)
    )
}

/// The hits of a search that fell back to partial matches.
pub struct Fallback<F> {
    /// The page of hits: the all-words matches first, then the partial ones.
    pub docs: Vec<ScoredDoc>,
    /// Index in the whole list (before the offset) of the first partial match.
    pub first_partial: usize,
    /// Stories matching the partial query (which include the all-words matches).
    pub total: usize,
    /// The other collector's fruit (facets), over the partial matches.
    pub counted: Option<F>,
}

impl<F> Fallback<F> {
    /// Collects the `all_count` matches of `all` (every word), then the partial matches,
    /// and returns `limit` hits after `offset` of all-words-then-partial.
    #[allow(clippy::too_many_arguments)]
    pub fn collect<C: Collector<Fruit = F>>(
        searcher: &tantivy::Searcher,
        all: &dyn Query,
        partial: &dyn Query,
        sort: SortBy,
        limit: usize,
        offset: usize,
        all_count: usize,
        extra: Option<C>,
    ) -> tantivy::Result<Fallback<F>> {
        let first = if all_count == 0 {
            Vec::new()
        } else {
            top_docs(searcher, all, sort, all_count, 0, Counting::Skip)?.0
        };
        let (more, total, counted) = top_docs_with(
            searcher,
            partial,
            sort,
            offset + limit + first.len(),
            0,
            Counting::Exact,
            extra,
        )?;
        Fallback::merge(first, more, total.count, counted, offset, limit, Ok)
    }

    /// Joins the all-words hits (`first`) and the partial ones (`more`) into the page of
    /// `limit` hits after `offset`: a partial hit whose `key` (its page, or its story when
    /// hits are collapsed) is among the all-words hits is not shown again.
    #[allow(clippy::too_many_arguments)]
    pub fn merge<K: Eq + Hash>(
        first: Vec<ScoredDoc>,
        more: Vec<ScoredDoc>,
        total: usize,
        counted: Option<F>,
        offset: usize,
        limit: usize,
        mut key: impl FnMut(DocAddress) -> tantivy::Result<K>,
    ) -> tantivy::Result<Fallback<F>> {
        let mut seen = HashSet::new();
        for &(_, addr) in &first {
            seen.insert(key(addr)?);
        }
        let first_partial = first.len();
        let mut docs = first;
        for (score, addr) in more {
            if !seen.contains(&key(addr)?) {
                docs.push((score, addr));
            }
        }
        Ok(Fallback {
            docs: docs.into_iter().skip(offset).take(limit).collect(),
            first_partial,
            total,
            counted,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_words_in_three_are_enough() {
        assert_eq!(minimum_should_match(1), 1);
        assert_eq!(minimum_should_match(2), 1);
        assert_eq!(minimum_should_match(3), 2);
        assert_eq!(minimum_should_match(7), 4);
        assert_eq!(minimum_should_match(10), 6);
    }
}

//! Snippets: the passage of a hit's body that best shows why it matched, with highlights.
//!
//! tantivy's `SnippetGenerator` re-analyses the whole body of every shown hit with the field's
//! analyzer, and stemming each word was most of a search's time on a large index (ten bodies
//! of a few KB each: about 1 ms). The analyzer here is the `news` analyzer except that it
//! stems only the words that could stem to a query term — those starting with the same letter,
//! since the English stemmer only rewrites endings — and leaves the others as they are (they
//! cannot match); highlights are those of the full analyzer. And on a long story only a window
//! around the first match of the rarest term is analysed, so the passage is chosen from there.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{Language, Token, TokenFilter, TokenStream, Tokenizer};
use tantivy::Score;

use crate::analyzers::language_analyzer;
use crate::schema::news_words;

/// Makes the snippets of one search: the query's terms in the body field, with their weights.
pub struct Snippets {
    generator: SnippetGenerator,
    /// One generator per language field the query has terms in, with that language's stemmer
    /// (see [`Snippets::with_languages`]).
    others: Vec<SnippetGenerator>,
    /// What to look for in lower-cased text to find where a term occurs: each term's stem
    /// less its last letter ("rate" for "rates", "happ" for "happi" = happy, happiness), rarest
    /// term first.
    keys: Vec<String>,
    max_chars: usize,
}

impl Snippets {
    /// Snippets of at most `max_chars` characters for `field` and the terms `query` looks
    /// for in it.
    pub fn new(
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        field: Field,
        max_chars: usize,
    ) -> tantivy::Result<Snippets> {
        let weights = weights_of(searcher, query, field)?;
        let mut by_weight: Vec<(&String, &Score)> = weights.iter().collect();
        by_weight.sort_by(|a, b| b.1.total_cmp(a.1));
        let keys = by_weight
            .into_iter()
            .map(|(term, _)| match term.char_indices().last() {
                Some((last, _)) if term.chars().count() >= 4 => term[..last].to_string(),
                _ => term.clone(),
            })
            .collect();
        let initials: Vec<char> = weights.keys().filter_map(|t| t.chars().next()).collect();
        let analyzer = news_words().filter(StemIfInitial::new(initials)).build();
        Ok(Snippets {
            generator: SnippetGenerator::new(weights, analyzer, field, max_chars),
            others: Vec::new(),
            keys,
            max_chars,
        })
    }

    /// [`Snippets::new`], also highlighting the words the query finds through a language's
    /// own fields (`body_de`…): each `(field, language)` the query has terms in adds a
    /// generator with that language's stemmer, and a hit's passage is the one of the generator
    /// that highlights most. English-only queries and indexes have none and cost nothing more.
    pub fn with_languages(
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        body: Field,
        languages: &[(Field, Language)],
        max_chars: usize,
    ) -> tantivy::Result<Snippets> {
        let mut snippets = Snippets::new(searcher, query, body, max_chars)?;
        for &(field, language) in languages {
            let weights = weights_of(searcher, query, field)?;
            if weights.is_empty() {
                continue;
            }
            // Where to look in a long body: the stems less their last letter, as for English.
            snippets
                .keys
                .extend(weights.keys().map(|term| match term.char_indices().last() {
                    Some((last, _)) if term.chars().count() >= 4 => term[..last].to_string(),
                    _ => term.clone(),
                }));
            snippets.others.push(SnippetGenerator::new(
                weights,
                language_analyzer(language),
                body,
                max_chars,
            ));
        }
        Ok(snippets)
    }

    /// The best passage of `body` for the query, with character-offset highlights; the
    /// story's opening when no query term is in the body (a title-only match). Paragraph
    /// breaks become spaces.
    pub fn of(&self, body: &str) -> (String, Vec<[usize; 2]>) {
        let window = self.window(body);
        let best = |generator: &SnippetGenerator| {
            let mut snippet = generator.snippet(window);
            if snippet.highlighted().is_empty() && window.len() < body.len() {
                // The key matched a word that is not the term ("rat" in "democratic"); the
                // whole body then.
                snippet = generator.snippet(body);
            }
            snippet
        };
        let mut snippet = best(&self.generator);
        for other in &self.others {
            let candidate = best(other);
            if candidate.highlighted().len() > snippet.highlighted().len() {
                snippet = candidate;
            }
        }
        let fragment = snippet.fragment();
        if fragment.trim().is_empty() {
            let opening: String = body.chars().take(self.max_chars).collect();
            return (opening.replace('\n', " "), Vec::new());
        }
        let to_chars = |byte: usize| fragment[..byte].chars().count();
        let highlights = snippet
            .highlighted()
            .iter()
            .map(|r| [to_chars(r.start), to_chars(r.end)])
            .collect();
        // Newlines (paragraph breaks) become spaces: same length, offsets stay valid.
        (fragment.replace('\n', " "), highlights)
    }

    /// The part of a long body worth analysing: a few snippet lengths around the first
    /// occurrence of the rarest query term found in it (the whole body when none is found
    /// or the body is short). Analysing whole stories of several KB for each shown hit was
    /// most of a search's time on a large index.
    fn window<'a>(&self, body: &'a str) -> &'a str {
        let reach = self.max_chars.max(50) * 4;
        if body.len() <= reach * 2 {
            return body;
        }
        // ASCII lower-casing keeps byte offsets.
        let lower = body.to_ascii_lowercase();
        let word_start = |k: &String| {
            lower.match_indices(k.as_str()).map(|(i, _)| i).find(|&i| {
                !lower[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
            })
        };
        let Some(at) = self.keys.iter().find_map(word_start) else {
            return body;
        };
        let mut start = at.saturating_sub(reach);
        while !body.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (at + reach).min(body.len());
        while !body.is_char_boundary(end) {
            end += 1;
        }
        // Whole words only: drop the cut words at both ends.
        let window = &body[start..end];
        let from = if start == 0 {
            0
        } else {
            window.find(char::is_whitespace).map_or(0, |i| i + 1)
        };
        let to = if end == body.len() {
            window.len()
        } else {
            window.rfind(char::is_whitespace).unwrap_or(window.len())
        };
        if from < to {
            &window[from..to]
        } else {
            window
        }
    }
}

/// The query's terms in `field` that some document holds, weighted as tantivy scores
/// passages: rarer terms weigh more.
fn weights_of(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    field: Field,
) -> tantivy::Result<BTreeMap<String, Score>> {
    let mut terms = BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field {
            terms.insert(term.clone());
        }
    });
    let mut weights: BTreeMap<String, Score> = BTreeMap::new();
    for term in terms {
        let value = term.value();
        let Some(text) = value.as_str() else {
            continue;
        };
        let doc_freq = searcher.doc_freq(&term)?;
        if doc_freq > 0 {
            weights.insert(text.to_string(), 1.0 / (1.0 + doc_freq as Score));
        }
    }
    Ok(weights)
}

/// English stemming of the tokens whose first letter is one of `initials`.
#[derive(Clone)]
struct StemIfInitial {
    initials: Vec<char>,
}

impl StemIfInitial {
    fn new(initials: Vec<char>) -> StemIfInitial {
        StemIfInitial { initials }
    }
}

impl TokenFilter for StemIfInitial {
    type Tokenizer<T: Tokenizer> = StemIfInitialFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> StemIfInitialFilter<T> {
        StemIfInitialFilter {
            initials: self.initials,
            inner,
        }
    }
}

#[derive(Clone)]
struct StemIfInitialFilter<T> {
    initials: Vec<char>,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for StemIfInitialFilter<T> {
    type TokenStream<'a> = StemIfInitialStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemIfInitialStream {
            initials: &self.initials,
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
            tail: self.inner.token_stream(text),
        }
    }
}

struct StemIfInitialStream<'a, S> {
    initials: &'a [char],
    stemmer: frostem::Stemmer,
    tail: S,
}

impl<S: TokenStream> TokenStream for StemIfInitialStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if token
            .text
            .chars()
            .next()
            .is_some_and(|c| self.initials.contains(&c))
        {
            // A borrowed stem is the word or a prefix of it.
            let stem = match self.stemmer.stem(&token.text) {
                Cow::Owned(stem) => Some(stem),
                Cow::Borrowed(stem) if stem.len() != token.text.len() => Some(stem.to_string()),
                Cow::Borrowed(_) => None,
            };
            if let Some(stem) = stem {
                token.text = stem;
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{self, news_analyzer};
    use tantivy::query::QueryParser;
    use tantivy::tokenizer::TextAnalyzer;
    use tantivy::{Index, IndexWriter, TantivyDocument};

    #[test]
    fn snippets_are_those_of_tantivys_generator() {
        let (schema, fields) = schema::build();
        let index = Index::create_in_ram(schema);
        schema::register(&index);
        let bodies = [
            "Ministers said rates would rise. The central bank raised its rates again on Tuesday, \
             saying inflation was still rising faster than expected across the region.",
            "Shipping resumed at the port after the strike ended. Dock workers said the strike \
             had cost the region millions, and ministers promised talks on pay.",
            "Nothing here mentions the words at all, only weather and football scores.",
        ];
        let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for body in bodies {
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.title, "A headline");
            doc.add_text(fields.body, body);
            w.add_document(doc).unwrap();
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let parser = QueryParser::for_index(&index, vec![fields.body]);
        for q in [
            "rates",
            "rising strike",
            "\"central bank\" OR ministers",
            "saying",
        ] {
            let query = parser.parse_query(q).unwrap();
            let mut theirs = SnippetGenerator::create(&searcher, &*query, fields.body).unwrap();
            theirs.set_max_num_chars(80);
            let ours = Snippets::new(&searcher, &*query, fields.body, 80).unwrap();
            for body in bodies {
                let (a, b) = (theirs.snippet(body), ours.generator.snippet(body));
                assert_eq!(a.fragment(), b.fragment(), "{q:?}");
                assert_eq!(a.highlighted(), b.highlighted(), "{q:?}");
            }
        }
    }

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn a_long_body_is_snippeted_around_the_match() {
        let (schema, fields) = schema::build();
        let index = Index::create_in_ram(schema);
        schema::register(&index);
        let filler = "The council met again on Monday to discuss the budget for the year. ";
        let body = format!(
            "{}Café owners said the Harbour Rates were unfair. {}",
            filler.repeat(60),
            filler.repeat(60)
        );
        let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.body, &body);
        w.add_document(doc).unwrap();
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let parser = QueryParser::for_index(&index, vec![fields.body]);
        let query = parser.parse_query("rate cafe").unwrap();
        let snippets = Snippets::new(&searcher, &*query, fields.body, 120).unwrap();
        assert!(snippets.window(&body).len() < body.len() / 4);
        let (text, highlights) = snippets.of(&body);
        let chars: Vec<char> = text.chars().collect();
        let marked: Vec<String> = highlights
            .iter()
            .map(|[a, b]| chars[*a..*b].iter().collect())
            .collect();
        assert_eq!(marked, ["Café", "Rates"], "{text}");
        // No query term in the body (a title match): the story's opening.
        let query = parser.parse_query("zebra").unwrap();
        let snippets = Snippets::new(&searcher, &*query, fields.body, 120).unwrap();
        let (text, highlights) = snippets.of(&body);
        assert!(
            highlights.is_empty() && text.starts_with("The council met"),
            "{text}"
        );
    }

    #[test]
    fn words_with_a_query_initial_stem_exactly_as_when_indexed() {
        let text =
            "Ministers said the Rates were rising; Café owners' happiness DIED, skies dying. \
                    Relations, relational, rated, rating, Sierra, studies";
        let indexed = tokens(&mut news_analyzer(), text);
        let mut lazy = news_words()
            .filter(StemIfInitial::new(vec!['r', 's', 'c']))
            .build();
        let got = tokens(&mut lazy, text);
        assert_eq!(got.len(), indexed.len());
        for (g, i) in got.iter().zip(&indexed) {
            if g.starts_with(['r', 's', 'c']) {
                assert_eq!(g, i, "a word that can match is stemmed as in the index");
            }
        }
        // Others are left alone: "ministers" is not stemmed, "happiness" neither.
        assert!(got.contains(&"ministers".to_string()));
        assert!(got.contains(&"happiness".to_string()));
        // The stemmer keeps the first letter, which is what makes skipping the others safe.
        for (word, stem) in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .zip(&indexed)
        {
            let folded = word.to_lowercase().replace('é', "e");
            assert_eq!(
                folded.chars().next(),
                stem.chars().next(),
                "{word} → {stem}"
            );
        }
    }
}

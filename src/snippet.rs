//! Snippets: the passage of a hit's body that best shows why it matched, with highlights.
//!
//! tantivy's `SnippetGenerator` re-analyses the whole body of every shown hit with the field's
//! analyzer, and stemming each word was most of a search's time on a large index (ten bodies
//! of a few KB each: about 1 ms). The analyzer here is the `news` analyzer except that it
//! stems only the words that could stem to a query term — those starting with the same letter,
//! since the English stemmer only rewrites endings — and leaves the others as they are (they
//! cannot match). Highlights and the chosen passage are the same as with the full analyzer.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};
use tantivy::{Score, TantivyDocument};

/// A snippet generator for `field` and the terms `query` looks for in it.
pub fn generator(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    field: Field,
    max_chars: usize,
) -> tantivy::Result<SnippetGenerator> {
    let mut terms = BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field {
            terms.insert(term.clone());
        }
    });
    // As tantivy scores passages: rarer terms weigh more.
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
    let initials: Vec<char> = weights.keys().filter_map(|t| t.chars().next()).collect();
    let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StemIfInitial::new(initials))
        .build();
    Ok(SnippetGenerator::new(weights, analyzer, field, max_chars))
}

/// The best passage of the body for the query, with character-offset highlights; the
/// story's opening when no query term is in the body (a title-only match). Paragraph breaks
/// become spaces.
pub fn snippet_of(
    g: &SnippetGenerator,
    doc: &TantivyDocument,
    body: &str,
    max_chars: usize,
) -> (String, Vec<[usize; 2]>) {
    let snippet = g.snippet_from_doc(doc);
    let fragment = snippet.fragment();
    if fragment.trim().is_empty() {
        let opening: String = body.chars().take(max_chars).collect();
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
    use crate::schema::news_analyzer;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn words_with_a_query_initial_stem_exactly_as_when_indexed() {
        let text =
            "Ministers said the Rates were rising; Café owners' happiness DIED, skies dying. \
                    Relations, relational, rated, rating, Sierra, studies";
        let indexed = tokens(&mut news_analyzer(), text);
        let mut lazy = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
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

//! Per-language analysis: which languages get a stemmer of their own, the fields their pages
//! fill, and the tokenizer every text analyzer starts with.
//!
//! Every page keeps its title and body in `title`/`body` (English stemming: the stored,
//! displayed text, and for non-English text close to the written forms). A page whose detected
//! language has a tantivy stemmer also fills `title_XX`/`body_XX`, analysed with that stemmer,
//! so "Wahlen" finds "Wahl" and "wahlkampf" finds "Wahlkampfes". Queries search the language
//! fields beside the base ones (only those of languages present in the index), summing BM25 per
//! field as they already do for title and body: a page matching both the written form and the
//! language's stem scores above one matching the stem only (the usual "exact plus stemmed"
//! multi-field design), and English pages — which fill no extra field — score as before.
//!
//! Scripts written without spaces (Chinese, Japanese) and Korean would otherwise be one
//! "word" per run of characters; [`NewsTokenizer`] splits them into overlapping two-character
//! tokens (CJK bigrams, as Lucene's CJKAnalyzer), so any word of two or more characters in a
//! query is found as a phrase of bigrams.

use tantivy::tokenizer::{Language, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy::Index;

use crate::schema::news_words;

/// Languages with a tantivy stemmer other than English (whose pages use the base fields):
/// the field suffix (ISO 639-1) and the stemmer. Order fixes field order in the schema.
pub const STEMMED: [(&str, Language); 17] = [
    ("ar", Language::Arabic),
    ("da", Language::Danish),
    ("nl", Language::Dutch),
    ("fi", Language::Finnish),
    ("fr", Language::French),
    ("de", Language::German),
    ("el", Language::Greek),
    ("hu", Language::Hungarian),
    ("it", Language::Italian),
    ("no", Language::Norwegian),
    ("pt", Language::Portuguese),
    ("ro", Language::Romanian),
    ("ru", Language::Russian),
    ("es", Language::Spanish),
    ("sv", Language::Swedish),
    ("ta", Language::Tamil),
    ("tr", Language::Turkish),
];

/// The position in [`STEMMED`] of a page's language code (`de`, `de-AT`, `nb`…), or None
/// for English, languages without a stemmer, and unknown codes.
pub fn stemmed_index(lang: &str) -> Option<usize> {
    let code = lang.split(['-', '_']).next()?.to_ascii_lowercase();
    // Bokmål and Nynorsk share tantivy's Norwegian stemmer.
    let code = match code.as_str() {
        "nb" | "nn" => "no",
        c => c,
    };
    STEMMED.iter().position(|(c, _)| *c == code)
}

/// Name of the analyzer of a language's fields (`news_de`).
pub fn analyzer_name(code: &str) -> String {
    format!("news_{code}")
}

/// The analyzer of a language's fields: the `news` analyzer's first steps, then the
/// language's stemmer.
pub fn language_analyzer(language: Language) -> TextAnalyzer {
    news_words().filter(Stemmer::new(language)).build()
}

/// Registers every language analyzer on an index (tantivy does not persist analyzers).
pub fn register(index: &Index) {
    for (code, language) in STEMMED {
        index
            .tokenizers()
            .register(&analyzer_name(code), language_analyzer(language));
    }
}

/// Characters of scripts written without spaces between words (Han, kana) and Hangul, which
/// are tokenised as overlapping bigrams.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x2FFFF) // CJK Extensions B–F
}

/// tantivy's `SimpleTokenizer` (runs of letters and digits), except that a run of CJK
/// characters becomes its overlapping bigrams ("東京都" → "東京", "京都"); a lone CJK character
/// is kept as it is. Without this a whole Chinese sentence was a single token, longer than the
/// 40-byte limit and dropped.
#[derive(Clone, Default)]
pub struct NewsTokenizer {
    token: Token,
}

impl Tokenizer for NewsTokenizer {
    type TokenStream<'a> = NewsTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> NewsTokenStream<'a> {
        self.token.reset();
        NewsTokenStream {
            text,
            at: 0,
            position: 0,
            token: &mut self.token,
        }
    }
}

/// The tokens of one text (see [`NewsTokenizer`]).
pub struct NewsTokenStream<'a> {
    text: &'a str,
    /// Byte offset where the next token may start.
    at: usize,
    /// Position of the next token.
    position: usize,
    token: &'a mut Token,
}

impl NewsTokenStream<'_> {
    fn emit(&mut self, from: usize, to: usize) -> bool {
        self.token.text.clear();
        self.token.text.push_str(&self.text[from..to]);
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = self.position;
        self.token.position_length = 1;
        self.position += 1;
        true
    }
}

impl TokenStream for NewsTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let rest = &self.text[self.at..];
        let Some((skip, first)) = rest.char_indices().find(|(_, c)| c.is_alphanumeric()) else {
            self.at = self.text.len();
            return false;
        };
        let start = self.at + skip;
        if is_cjk(first) {
            let second_at = start + first.len_utf8();
            match self.text[second_at..].chars().next() {
                Some(second) if is_cjk(second) => {
                    // The next bigram starts at the second character.
                    self.at = second_at;
                    let third = self.text[second_at + second.len_utf8()..].chars().next();
                    let end = second_at + second.len_utf8();
                    // The last bigram of a run also ends the run.
                    if !third.is_some_and(is_cjk) {
                        self.at = end;
                    }
                    self.emit(start, end)
                }
                _ => {
                    self.at = second_at;
                    self.emit(start, second_at)
                }
            }
        } else {
            let end = self.text[start..]
                .char_indices()
                .find(|(_, c)| !c.is_alphanumeric() || is_cjk(*c))
                .map_or(self.text.len(), |(i, _)| start + i);
            self.at = end;
            self.emit(start, end)
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut s = analyzer.token_stream(text);
        let mut out = Vec::new();
        while s.advance() {
            out.push(s.token().text.clone());
        }
        out
    }

    #[test]
    fn languages_map_to_their_stemmers() {
        assert_eq!(STEMMED[stemmed_index("de").unwrap()].0, "de");
        assert_eq!(STEMMED[stemmed_index("de-AT").unwrap()].0, "de");
        assert_eq!(STEMMED[stemmed_index("nb").unwrap()].0, "no");
        assert_eq!(stemmed_index("en"), None);
        assert_eq!(stemmed_index("pl"), None);
        assert_eq!(stemmed_index(""), None);
    }

    #[test]
    fn german_inflections_share_a_stem() {
        let mut de = language_analyzer(Language::German);
        assert_eq!(
            tokens(&mut de, "Wahlen"),
            tokens(&mut de, "Wahl"),
            "plural and singular"
        );
        assert_eq!(tokens(&mut de, "Häuser"), tokens(&mut de, "Hauser"));
        let mut fr = language_analyzer(Language::French);
        assert_eq!(tokens(&mut fr, "élections"), tokens(&mut fr, "élection"));
    }

    #[test]
    fn cjk_runs_become_bigrams_and_latin_words_stay_whole() {
        let mut t = TextAnalyzer::from(NewsTokenizer::default());
        assert_eq!(tokens(&mut t, "東京都"), vec!["東京", "京都"]);
        assert_eq!(
            tokens(&mut t, "中 Tokyo2020, café"),
            vec!["中", "Tokyo2020", "café"]
        );
        assert_eq!(
            tokens(&mut t, "ソニーが発表"),
            vec!["ソニ", "ニー", "ーが", "が発", "発表"]
        );
        assert_eq!(tokens(&mut t, "서울 시장"), vec!["서울", "시장"]);
        assert_eq!(tokens(&mut t, "abc東京"), vec!["abc", "東京"]);
        assert!(tokens(&mut t, " ,.; ").is_empty());
        // Offsets point at the token's text.
        let text = "x 東京都";
        let mut s = t.token_stream(text);
        while s.advance() {
            let tok = s.token();
            assert_eq!(&text[tok.offset_from..tok.offset_to], tok.text);
        }
    }
}

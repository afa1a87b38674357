//! The tantivy schema: which fields an article becomes, how each is analysed, and opening or
//! creating an index with gazette's analyzers registered.
//!
//! Text (`title`, `body`, `people`, `byline`, `section`) goes through the `news` analyzer:
//! lower-casing, ASCII folding (so "cafe" finds "café") and English stemming. Filters and facet
//! counts use `*_key` fields holding whole values normalised by the `key` analyzer, so
//! `--person "maria delgado"` matches "María Delgado" exactly and case-insensitively.
//! Pages in a language with a stemmer of its own also fill per-language fields (see
//! [`crate::analyzers`]); runs of Chinese, Japanese and Korean characters become bigrams.

use std::path::Path;

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, Schema, TextFieldIndexing,
    TextOptions, FAST, STORED, STRING,
};
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, Stemmer,
    TextAnalyzer, TextAnalyzerBuilder, TokenStream, Tokenizer,
};
use tantivy::{Index, IndexSettings};

/// Name of the analyzer for searchable text.
pub const NEWS_ANALYZER: &str = "news";
/// Name of the analyzer for exact, case-insensitive values.
pub const KEY_ANALYZER: &str = "key";
/// Bumped whenever the schema changes, so an old index is rebuilt rather than misread.
pub const SCHEMA_VERSION: u32 = 7;

/// Handles to every field, resolved once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Corpus-relative path: the document key (exact, stored, fast for incremental runs).
    pub path: Field,
    /// Canonical URL (stored).
    pub url: Field,
    /// Host name (exact, stored, fast).
    pub site: Field,
    /// Headline (analysed, positions, stored).
    pub title: Field,
    /// Story text (analysed, positions, stored for snippets).
    pub body: Field,
    /// The page's whole `<title>` text with the site name (analysed, positions, not stored):
    /// a pasted browser-tab title matches it word for word.
    pub page_title: Field,
    /// `(title_XX, body_XX)` for each language of [`crate::analyzers::STEMMED`], in that
    /// order: filled only by pages of that language, analysed with its stemmer, not stored.
    pub langs: [(Field, Field); crate::analyzers::STEMMED.len()],
    /// Publication instant in UTC (indexed for ranges, fast for sorting).
    pub date: Field,
    /// Publisher's calendar date `YYYY-MM-DD` (stored for display).
    pub day: Field,
    /// RFC 3339 datetime when a time is known (stored).
    pub datetime: Field,
    /// Section display name (analysed for `section:` queries, stored, and kept whole in a
    /// fast column for facet counts).
    pub section: Field,
    /// Section normalised for filtering.
    pub section_key: Field,
    /// Authors (analysed, stored, multi-valued).
    pub byline: Field,
    /// Authors normalised for filtering.
    pub byline_key: Field,
    /// Persons in the story (analysed, stored, multi-valued, kept whole in a fast column for
    /// facet counts).
    pub people: Field,
    /// Persons normalised for `--person`.
    pub person_key: Field,
    /// Publisher's year of publication (fast) for facet counts.
    pub year: Field,
    /// Language code (exact, stored).
    pub lang: Field,
    /// `article` or `listing` (exact, stored).
    pub kind: Field,
    /// Word count of the body (stored, fast).
    pub words: Field,
    /// File size in bytes when indexed (fast): incremental pre-check.
    pub size: Field,
    /// File modification time when indexed (fast): incremental pre-check.
    pub mtime: Field,
    /// Hash of the file's bytes (fast): decides whether a changed-looking file really changed.
    pub hash: Field,
    /// The file the document came from, relative to the corpus (exact, stored, fast): the
    /// unit of change detection and `--prune`. For a page file it equals `path`; every
    /// document of one WARC file shares it.
    pub file: Field,
    /// When the page was captured (`WARC-Date`), for web captures (stored, fast): never the
    /// publication date, and the latest capture of a URL wins.
    pub captured: Field,
    /// Where a web capture's record is: `file.warc.gz#offset` (stored).
    pub origin: Field,
    /// Story cluster fields (see [`crate::cluster`]).
    pub cluster: crate::cluster::ClusterFields,
}

/// Builds gazette's schema.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let news = |stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(NEWS_ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let opts = TextOptions::default().set_indexing_options(indexing);
        if stored {
            opts.set_stored()
        } else {
            opts
        }
    };
    let key = || {
        TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(KEY_ANALYZER)
                    .set_index_option(IndexRecordOption::Basic),
            )
            .set_fast(KEY_ANALYZER)
    };
    let fields = Fields {
        path: b.add_text_field("path", STRING | STORED | FAST),
        url: b.add_text_field("url", STORED),
        site: b.add_text_field("site", STRING | FAST),
        title: b.add_text_field("title", news(true)),
        body: b.add_text_field("body", news(true)),
        page_title: b.add_text_field("page_title", news(false)),
        langs: crate::analyzers::STEMMED.map(|(code, _)| {
            let opts = || {
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(&crate::analyzers::analyzer_name(code))
                        .set_index_option(IndexRecordOption::WithFreqsAndPositions),
                )
            };
            (
                b.add_text_field(&format!("title_{code}"), opts()),
                b.add_text_field(&format!("body_{code}"), opts()),
            )
        }),
        // Fast only: date filters and the date sort read the column (tantivy's range query
        // prefers it to the inverted index), and hits show the stored `day`/`datetime`.
        date: b.add_date_field(
            "date",
            DateOptions::default()
                .set_fast()
                .set_precision(DateTimePrecision::Seconds),
        ),
        day: b.add_text_field("day", STORED),
        datetime: b.add_text_field("datetime", STORED),
        section: b.add_text_field("section", news(true).set_fast("raw")),
        section_key: b.add_text_field("section_key", key()),
        byline: b.add_text_field("byline", news(true)),
        byline_key: b.add_text_field("byline_key", key()),
        people: b.add_text_field("people", news(true).set_fast("raw")),
        person_key: b.add_text_field("person_key", key()),
        year: b.add_u64_field("year", FAST),
        // Searchable or columnar only: no search output shows them, and every stored byte
        // is read back (and decompressed) with each hit.
        lang: b.add_text_field("lang", STRING),
        kind: b.add_text_field("kind", STRING),
        words: b.add_u64_field("words", FAST),
        size: b.add_u64_field("size", FAST),
        mtime: b.add_i64_field("mtime", FAST),
        hash: b.add_u64_field("hash", FAST),
        file: b.add_text_field("file", STRING | STORED | FAST),
        captured: b.add_date_field(
            "captured",
            DateOptions::default()
                .set_fast()
                .set_stored()
                .set_precision(DateTimePrecision::Seconds),
        ),
        origin: b.add_text_field("origin", STORED),
        cluster: crate::cluster::add_fields(&mut b),
    };
    (b.build(), fields)
}

/// Resolves the field handles of an opened index (whose schema [`build`] made).
pub fn fields_of(schema: &Schema) -> tantivy::Result<Fields> {
    let f = |name: &str| schema.get_field(name);
    Ok(Fields {
        path: f("path")?,
        url: f("url")?,
        site: f("site")?,
        title: f("title")?,
        body: f("body")?,
        page_title: f("page_title")?,
        langs: {
            let mut langs = [(Field::from_field_id(0), Field::from_field_id(0));
                crate::analyzers::STEMMED.len()];
            for (slot, (code, _)) in langs.iter_mut().zip(crate::analyzers::STEMMED) {
                *slot = (f(&format!("title_{code}"))?, f(&format!("body_{code}"))?);
            }
            langs
        },
        date: f("date")?,
        day: f("day")?,
        datetime: f("datetime")?,
        section: f("section")?,
        section_key: f("section_key")?,
        byline: f("byline")?,
        byline_key: f("byline_key")?,
        people: f("people")?,
        person_key: f("person_key")?,
        year: f("year")?,
        lang: f("lang")?,
        kind: f("kind")?,
        words: f("words")?,
        size: f("size")?,
        mtime: f("mtime")?,
        hash: f("hash")?,
        file: f("file")?,
        captured: f("captured")?,
        origin: f("origin")?,
        cluster: crate::cluster::fields_of(schema)?,
    })
}

/// The analyzer for searchable news text.
pub fn news_analyzer() -> TextAnalyzer {
    news_words().filter(Stemmer::new(Language::English)).build()
}

/// The `news` analyzer up to its last step, stemming: words, case- and accent-folded. Snippets
/// finish it with a stemmer of their own (see [`crate::snippet`]); sharing the first steps
/// keeps their words those of the index.
pub fn news_words() -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(crate::analyzers::NewsTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
}

/// The analyzer for whole values compared case- and accent-insensitively.
pub fn key_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Normalises a value the way the `key` analyzer does, for building filter terms.
pub fn normalise_key(value: &str) -> String {
    let collapsed = value.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut analyzer = key_analyzer();
    let mut stream = analyzer.token_stream(&collapsed);
    let mut out = String::new();
    while stream.advance() {
        out.push_str(&stream.token().text);
    }
    out
}

/// Registers gazette's analyzers on an index (they are not persisted by tantivy).
pub fn register(index: &Index) {
    index.tokenizers().register(NEWS_ANALYZER, news_analyzer());
    index.tokenizers().register(KEY_ANALYZER, key_analyzer());
    crate::analyzers::register(index);
    index
        .fast_field_tokenizer()
        .register(KEY_ANALYZER, key_analyzer());
}

/// File beside the index naming the schema version it was built with.
const VERSION_FILE: &str = "gazette-schema-version";

/// Opens an existing gazette index, with analyzers registered.
pub fn open(dir: &Path) -> anyhow::Result<(Index, Fields)> {
    use anyhow::Context;
    if !dir.join("meta.json").exists() {
        anyhow::bail!(
            "no index at {} (run `gazette index CORPUS --index {}` first)",
            dir.display(),
            dir.display()
        );
    }
    // A meta.json that is not tantivy's JSON is damage (a half-copied folder, a disk error),
    // not a version question: say so, name the file and the way out.
    let meta_path = dir.join("meta.json");
    let meta = std::fs::read(&meta_path)
        .with_context(|| format!("cannot read {}", meta_path.display()))?;
    if let Err(e) = serde_json::from_slice::<serde_json::Value>(&meta) {
        anyhow::bail!(
            "the index at {} is damaged: {} is not valid JSON ({e}); rebuild it with `gazette index CORPUS --index {} --rebuild`",
            dir.display(),
            meta_path.display(),
            dir.display()
        );
    }
    let version = std::fs::read_to_string(dir.join(VERSION_FILE)).unwrap_or_default();
    if version.trim() != SCHEMA_VERSION.to_string() {
        anyhow::bail!(
            "the index at {} was built by another version of gazette (schema {}, this is {}); rebuild it with `gazette index --rebuild`",
            dir.display(),
            if version.trim().is_empty() { "unknown" } else { version.trim() },
            SCHEMA_VERSION
        );
    }
    let index = Index::open_in_dir(dir)
        .with_context(|| format!("cannot open the index at {}", dir.display()))?;
    register(&index);
    let fields = fields_of(&index.schema())
        .with_context(|| format!("the index at {} has an unexpected schema", dir.display()))?;
    Ok((index, fields))
}

/// Creates a new, empty index in `dir` (which must not hold one).
pub fn create(dir: &Path) -> anyhow::Result<(Index, Fields)> {
    use anyhow::Context;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the index folder {}", dir.display()))?;
    let (schema, fields) = build();
    // The stored story text is most of an index; zstd makes it about a third smaller than
    // tantivy's default lz4, for some 10 µs more per shown hit.
    let settings = IndexSettings {
        docstore_compression: Compressor::Zstd(ZstdCompressor::default()),
        ..IndexSettings::default()
    };
    let index = Index::builder()
        .schema(schema)
        .settings(settings)
        .create_in_dir(dir)
        .with_context(|| format!("cannot create an index in {}", dir.display()))?;
    std::fs::write(dir.join(VERSION_FILE), SCHEMA_VERSION.to_string())
        .with_context(|| format!("cannot write to {}", dir.display()))?;
    register(&index);
    Ok((index, fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_case_and_accents() {
        assert_eq!(normalise_key("  María   DELGADO "), "maria delgado");
        assert_eq!(
            normalise_key("Government & Economy"),
            "government & economy"
        );
    }

    #[test]
    fn news_text_is_stemmed_and_folded() {
        let mut a = news_analyzer();
        let mut s = a.token_stream("Cafés raising Rates");
        let mut toks = Vec::new();
        while s.advance() {
            toks.push(s.token().text.clone());
        }
        assert_eq!(toks, vec!["cafe", "rais", "rate"]);
    }
}

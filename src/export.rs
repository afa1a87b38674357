//! `gazette export`: every stored story of an index, streamed out for another engine.
//!
//! At hundreds of millions of pages the right home for an archive is a distributed engine —
//! Quickwit (built on tantivy, like gazette) or OpenSearch — and gazette's value is what it
//! extracted from messy pages. This module carries that over: it walks the index segment by
//! segment, document by document (memory stays flat whatever the index size), and writes
//! NDJSON chunks of at most `max_bytes` (Quickwit's ingest limit is 10 MB) beside the
//! target's own description of the fields:
//!
//! - [`Format::Quickwit`]: `quickwit-index-config.yaml` (doc mapping, timestamp field,
//!   default search fields) and `docs-NNNNN.ndjson` for `quickwit index ingest`;
//! - [`Format::Opensearch`]: `opensearch-index.json` (settings and mappings for
//!   `PUT /INDEX`) and `bulk-NNNNN.ndjson` for `POST /_bulk`, each document preceded by an
//!   `index` action with its `_id`, so exporting again updates instead of duplicating;
//! - [`Format::Jsonl`]: `docs-NNNNN.jsonl` in `gazette extract`'s format, which gazette's JSON
//!   Lines input reads back without parsing any HTML again.
//!
//! Every document carries a stable `id`: a hash of its key (the corpus-relative path), so the
//! same story gets the same id in every export.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context};
use serde::Serialize;
use serde_json::{json, Map, Value};
use tantivy::columnar::StrColumn;
use tantivy::query::{EnableScoring, Query};
use tantivy::schema::{Field, IndexRecordOption, Value as _};
use tantivy::{DocId, DocSet, SegmentReader, TantivyDocument, TERMINATED};

use crate::schema::{self, Fields};
use crate::search::{Request, Searcher};

/// Which engine the export is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Quickwit: index config YAML and NDJSON for `quickwit index ingest`.
    Quickwit,
    /// OpenSearch / Elasticsearch: index mapping JSON and `_bulk` NDJSON.
    Opensearch,
    /// gazette's own `extract` format (JSON Lines), for re-import by gazette or other tools.
    Jsonl,
}

/// What to export and where.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The gazette index folder.
    pub index: PathBuf,
    /// The output folder (created; must be empty or missing, so no stale chunk survives).
    pub out: PathBuf,
    /// Target format.
    pub format: Format,
    /// Largest chunk file, in bytes.
    pub max_bytes: u64,
    /// Index name used in the config/mapping and the commands (`gazette` by default).
    pub name: String,
    /// Only stories matching these filters (the query text itself is ignored).
    pub filters: Request,
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize)]
pub struct ExportSummary {
    /// Documents written.
    pub documents: u64,
    /// Chunk files written (the config/mapping file not counted).
    pub chunks: usize,
    /// Bytes written in chunks.
    pub bytes: u64,
    /// The config/mapping file (none for `jsonl`).
    pub config: Option<PathBuf>,
    /// Wall time in seconds.
    pub seconds: f64,
}

/// One exported story: every field gazette stores, under gazette's names.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq)]
pub struct ExportDoc {
    /// Stable id: hex xxh3 of `path`.
    pub id: String,
    /// The document key in gazette (corpus-relative path, or a JSON Lines key).
    pub path: String,
    /// Canonical URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Host name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// Headline.
    pub title: String,
    /// Story text, paragraphs separated by a blank line.
    pub body: String,
    /// Publication instant in UTC, RFC 3339 (`2019-11-13T06:42:00Z`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Publisher's calendar date `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day: Option<String>,
    /// Publisher's RFC 3339 datetime with its own offset, when a time is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datetime: Option<String>,
    /// When a web capture was made (`WARC-Date`, RFC 3339 UTC); absent for page files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captured: Option<String>,
    /// Section display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// Authors.
    pub byline: Vec<String>,
    /// Persons named in the story.
    pub people: Vec<String>,
    /// Language code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// `article` or `listing`.
    pub kind: String,
    /// Words in the body.
    pub words: u64,
    /// Story cluster id (see [`crate::cluster`]): pages carrying the same story share it, so
    /// the target engine can collapse copies (a term aggregation or `collapse` on it). The
    /// u64 as decimal text, the number `gazette dups --json` prints: JSON tools that read
    /// numbers as doubles would round a 64-bit id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub story: Option<String>,
}

/// The stable id of a document key: the same key gives the same id in every export.
pub fn doc_id(key: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(key.as_bytes()))
}

/// Runs an export.
pub fn run(opts: &ExportOptions) -> anyhow::Result<ExportSummary> {
    let started = Instant::now();
    if opts.max_bytes < 4096 {
        bail!("--max-bytes must allow at least 4 KB per file");
    }
    let gazette = Searcher::open(&opts.index)?;
    prepare_out(&opts.out)?;
    let fields = schema::fields_of(&gazette.index().schema()).with_context(|| {
        format!(
            "the index at {} has an unexpected schema",
            opts.index.display()
        )
    })?;
    let filters = Request {
        query: String::new(),
        ..opts.filters.clone()
    };
    let (query, _) = gazette.build_query(&filters)?;
    let reader = gazette
        .index()
        .reader()
        .with_context(|| format!("cannot read the index at {}", opts.index.display()))?;
    let searcher = reader.searcher();

    let config = write_config(opts)?;
    let (prefix, ext) = match opts.format {
        Format::Quickwit => ("docs", "ndjson"),
        Format::Opensearch => ("bulk", "ndjson"),
        Format::Jsonl => ("docs", "jsonl"),
    };
    let mut chunks = Chunks::new(&opts.out, prefix, ext, opts.max_bytes);
    let mut documents = 0u64;
    let weight = query
        .weight(EnableScoring::disabled_from_searcher(&searcher))
        .context("cannot prepare the export filters")?;
    let mut line = Vec::with_capacity(64 * 1024);
    for segment in searcher.segment_readers() {
        let columns = SegmentColumns::open(segment, &fields)?;
        // Blocks are decompressed once each: documents are read in id order.
        let store = segment
            .get_store_reader(2)
            .context("cannot read the document store")?;
        let mut scorer = weight.scorer(segment, 1.0)?;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if !segment.is_deleted(doc) {
                let stored: TantivyDocument = store
                    .get(doc)
                    .with_context(|| format!("cannot read stored document {doc}"))?;
                let record = columns.record(doc, &stored, &fields);
                line.clear();
                encode(opts.format, &record, &mut line)?;
                chunks.write(&line)?;
                documents += 1;
            }
            doc = scorer.advance();
        }
    }
    let (chunks, bytes) = chunks.finish()?;
    Ok(ExportSummary {
        documents,
        chunks,
        bytes,
        config,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// The output folder must be new or empty: chunks of an earlier export left beside new ones
/// would be ingested twice.
fn prepare_out(out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        let mut entries =
            std::fs::read_dir(out).with_context(|| format!("cannot read {}", out.display()))?;
        if entries.next().is_some() {
            bail!(
                "the output folder {} is not empty; choose a new folder (an old export's files would be ingested twice)",
                out.display()
            );
        }
    }
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))
}

/// The lines of one document in the target format (each ending in `\n`).
fn encode(format: Format, doc: &ExportDoc, out: &mut Vec<u8>) -> anyhow::Result<()> {
    match format {
        Format::Quickwit => serde_json::to_writer(&mut *out, doc)?,
        Format::Opensearch => {
            serde_json::to_writer(&mut *out, &json!({"index": {"_id": doc.id}}))?;
            out.push(b'\n');
            serde_json::to_writer(&mut *out, doc)?;
        }
        Format::Jsonl => serde_json::to_writer(&mut *out, &extract_record(doc))?,
    }
    out.push(b'\n');
    Ok(())
}

/// A document as `gazette extract` prints it (`date` is the publisher's day there).
pub fn extract_record(doc: &ExportDoc) -> Value {
    let mut record = json!({
        "path": doc.path,
        "kind": doc.kind,
        "url": doc.url,
        "site": doc.site,
        "title": doc.title,
        "date": doc.day,
        "datetime": doc.datetime,
        "section": doc.section,
        "byline": doc.byline,
        "people": doc.people,
        "lang": doc.lang,
        "body": doc.body,
        "words": doc.words,
    });
    if let Some(c) = &doc.captured {
        record["captured"] = json!(c);
    }
    if let Some(story) = &doc.story {
        record["story"] = json!(story);
    }
    record
}

/// Chunk files of at most `max` bytes each, opened as needed.
struct Chunks {
    dir: PathBuf,
    prefix: &'static str,
    ext: &'static str,
    max: u64,
    current: Option<(BufWriter<File>, u64)>,
    count: usize,
    bytes: u64,
}

impl Chunks {
    fn new(dir: &Path, prefix: &'static str, ext: &'static str, max: u64) -> Chunks {
        Chunks {
            dir: dir.to_path_buf(),
            prefix,
            ext,
            max,
            current: None,
            count: 0,
            bytes: 0,
        }
    }

    /// Writes one document's lines, starting a new file when they would not fit. A single
    /// document larger than the limit cannot be split: it is an error naming it.
    fn write(&mut self, lines: &[u8]) -> anyhow::Result<()> {
        let len = lines.len() as u64;
        if len > self.max {
            let head = String::from_utf8_lossy(&lines[..lines.len().min(120)]).into_owned();
            bail!(
                "a document needs {len} bytes, more than --max-bytes allows ({} bytes): {head}…",
                self.max
            );
        }
        if self
            .current
            .as_ref()
            .is_none_or(|(_, used)| used + len > self.max)
        {
            self.close()?;
            self.count += 1;
            let path = self
                .dir
                .join(format!("{}-{:05}.{}", self.prefix, self.count, self.ext));
            let file =
                File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
            self.current = Some((BufWriter::with_capacity(1 << 20, file), 0));
        }
        let (w, used) = self.current.as_mut().expect("an open chunk");
        w.write_all(lines)
            .with_context(|| format!("cannot write to {}", self.dir.display()))?;
        *used += len;
        self.bytes += len;
        Ok(())
    }

    fn close(&mut self) -> anyhow::Result<()> {
        if let Some((mut w, _)) = self.current.take() {
            w.flush()
                .with_context(|| format!("cannot write to {}", self.dir.display()))?;
        }
        Ok(())
    }

    fn finish(mut self) -> anyhow::Result<(usize, u64)> {
        self.close()?;
        Ok((self.count, self.bytes))
    }
}

/// Per-segment readers for the fields that are not stored: the UTC date and the site
/// (columns), language and kind (read back from the inverted index: few distinct values,
/// one byte per document).
struct SegmentColumns {
    date: tantivy::columnar::Column<tantivy::DateTime>,
    captured: tantivy::columnar::Column<tantivy::DateTime>,
    words: tantivy::columnar::Column<u64>,
    story: tantivy::columnar::Column<u64>,
    site: Option<StrColumn>,
    lang: Labels,
    kind: Labels,
}

impl SegmentColumns {
    fn open(segment: &SegmentReader, f: &Fields) -> anyhow::Result<SegmentColumns> {
        let fast = segment.fast_fields();
        Ok(SegmentColumns {
            date: fast.date("date").context("cannot read the date column")?,
            captured: fast
                .date("captured")
                .context("cannot read the captured column")?,
            words: fast.u64("words").context("cannot read the words column")?,
            story: fast
                .u64(crate::cluster::STORY)
                .context("cannot read the story column")?,
            site: fast.str("site").context("cannot read the site column")?,
            lang: Labels::read(segment, f.lang)?,
            kind: Labels::read(segment, f.kind)?,
        })
    }

    fn record(&self, doc: DocId, stored: &TantivyDocument, f: &Fields) -> ExportDoc {
        let text = |field: Field| {
            stored
                .get_first(field)
                .and_then(|v| v.as_str())
                .map(String::from)
        };
        let all = |field: Field| -> Vec<String> {
            stored
                .get_all(field)
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        };
        let site = self.site.as_ref().and_then(|col| {
            let ord = col.ords().first(doc)?;
            let mut s = String::new();
            col.ord_to_str(ord, &mut s).ok()?.then_some(s)
        });
        let utc = |d: tantivy::DateTime| {
            chrono::DateTime::from_timestamp(d.into_timestamp_secs(), 0)
                .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        };
        let date = self.date.first(doc).and_then(utc);
        let captured = self.captured.first(doc).and_then(utc);
        let path = text(f.path).unwrap_or_default();
        ExportDoc {
            id: doc_id(&path),
            path,
            url: text(f.url),
            site,
            title: text(f.title).unwrap_or_default(),
            body: text(f.body).unwrap_or_default(),
            date,
            captured,
            day: text(f.day),
            datetime: text(f.datetime),
            section: text(f.section),
            byline: all(f.byline),
            people: all(f.people),
            lang: self.lang.of(doc).map(String::from),
            kind: self.kind.of(doc).unwrap_or("article").to_string(),
            words: self.words.first(doc).unwrap_or(0),
            story: self.story.first(doc).map(|s| s.to_string()),
        }
    }
}

/// The single value of an indexed-only keyword field, per document of a segment.
struct Labels {
    values: Vec<String>,
    /// Index into `values` plus one (0: none), per document id.
    of_doc: Vec<u8>,
}

impl Labels {
    fn read(segment: &SegmentReader, field: Field) -> anyhow::Result<Labels> {
        let inverted = segment
            .inverted_index(field)
            .context("cannot read the inverted index")?;
        let mut of_doc = vec![0u8; segment.max_doc() as usize];
        let mut values = Vec::new();
        let mut terms = inverted.terms().stream()?;
        while terms.advance() {
            if values.len() == usize::from(u8::MAX) {
                break; // more distinct values than a label field ever holds
            }
            values.push(String::from_utf8_lossy(terms.key()).into_owned());
            let slot = values.len() as u8;
            let mut postings =
                inverted.read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)?;
            let mut d = postings.doc();
            while d != TERMINATED {
                of_doc[d as usize] = slot;
                d = postings.advance();
            }
        }
        Ok(Labels { values, of_doc })
    }

    fn of(&self, doc: DocId) -> Option<&str> {
        match self.of_doc.get(doc as usize).copied().unwrap_or(0) {
            0 => None,
            slot => self.values.get(usize::from(slot) - 1).map(String::as_str),
        }
    }
}

/// Quickwit index config (version 0.8 format; Quickwit 0.8 and 0.9 read it).
pub fn quickwit_config(name: &str) -> Value {
    let text = |name: &str, tokenizer: &str| json!({"name": name, "type": "text", "tokenizer": tokenizer, "record": "position", "stored": true});
    let keyword = |name: &str, ty: &str| json!({"name": name, "type": ty, "tokenizer": "raw", "fast": true, "stored": true});
    json!({
        "version": "0.8",
        "index_id": name,
        "doc_mapping": {
            // Every field is declared; an unknown field is an error, not silently dropped.
            "mode": "strict",
            "field_mappings": [
                keyword("id", "text"),
                keyword("path", "text"),
                {"name": "url", "type": "text", "tokenizer": "raw", "indexed": true, "stored": true},
                keyword("site", "text"),
                text("title", "en_stem"),
                text("body", "en_stem"),
                {"name": "date", "type": "datetime", "input_formats": ["rfc3339"],
                 "output_format": "rfc3339", "fast": true, "fast_precision": "seconds",
                 "stored": true},
                // The publisher's calendar day is a label (filters use `date`).
                keyword("day", "text"),
                {"name": "datetime", "type": "text", "indexed": false, "stored": true},
                {"name": "captured", "type": "datetime", "input_formats": ["rfc3339"],
                 "output_format": "rfc3339", "fast": true, "fast_precision": "seconds",
                 "stored": true},
                keyword("section", "text"),
                keyword("byline", "array<text>"),
                keyword("people", "array<text>"),
                keyword("lang", "text"),
                keyword("kind", "text"),
                {"name": "words", "type": "u64", "fast": true, "stored": true},
                // Exact filters on a story and term aggregations to collapse its copies.
                keyword("story", "text"),
            ],
            "timestamp_field": "date",
        },
        "search_settings": {"default_search_fields": ["title", "body"]},
        "indexing_settings": {"commit_timeout_secs": 30},
    })
}

/// OpenSearch (and Elasticsearch 7+) index body: settings and mappings for `PUT /NAME`.
pub fn opensearch_mapping() -> Value {
    let english = json!({"type": "text", "analyzer": "english"});
    // Searchable as words, and kept whole for filters, sorting and aggregations.
    let both = json!({"type": "text", "analyzer": "english",
                      "fields": {"keyword": {"type": "keyword", "ignore_above": 256}}});
    let keyword = json!({"type": "keyword"});
    let mut props = Map::new();
    for (k, v) in [
        ("id", keyword.clone()),
        ("path", keyword.clone()),
        ("url", keyword.clone()),
        ("site", both.clone()),
        ("title", english.clone()),
        ("body", english),
        (
            "date",
            json!({"type": "date", "format": "strict_date_time_no_millis||strict_date_optional_time"}),
        ),
        ("day", json!({"type": "date", "format": "strict_date"})),
        ("datetime", json!({"type": "keyword", "index": false})),
        (
            "captured",
            json!({"type": "date", "format": "strict_date_time_no_millis||strict_date_optional_time"}),
        ),
        ("section", both.clone()),
        ("byline", both.clone()),
        ("people", both),
        ("lang", keyword.clone()),
        ("kind", keyword.clone()),
        ("words", json!({"type": "integer"})),
        ("story", keyword),
    ] {
        props.insert(k.to_string(), v);
    }
    json!({
        "settings": {"index": {"number_of_shards": 1}},
        "mappings": {"dynamic": "strict", "properties": Value::Object(props)},
    })
}

/// Writes the format's config/mapping file, if it has one.
fn write_config(opts: &ExportOptions) -> anyhow::Result<Option<PathBuf>> {
    let (file, text) = match opts.format {
        Format::Quickwit => (
            "quickwit-index-config.yaml",
            serde_norway::to_string(&quickwit_config(&opts.name))?,
        ),
        Format::Opensearch => (
            "opensearch-index.json",
            serde_json::to_string_pretty(&opensearch_mapping())? + "\n",
        ),
        Format::Jsonl => return Ok(None),
    };
    let path = opts.out.join(file);
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(Some(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(doc_id("a/b.html"), doc_id("a/b.html"));
        assert_ne!(doc_id("a/b.html"), doc_id("a/c.html"));
        assert_eq!(doc_id("x").len(), 16);
    }

    #[test]
    fn chunks_never_exceed_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Chunks::new(dir.path(), "docs", "ndjson", 100);
        for _ in 0..10 {
            c.write(&[b'x'; 39]).unwrap();
        }
        assert!(c.write(&[b'y'; 101]).is_err());
        let (n, bytes) = c.finish().unwrap();
        assert_eq!((n, bytes), (5, 390));
        for e in std::fs::read_dir(dir.path()).unwrap() {
            assert!(e.unwrap().metadata().unwrap().len() <= 100);
        }
    }

    #[test]
    fn quickwit_config_is_yaml_with_a_timestamp_field() {
        let yaml = serde_norway::to_string(&quickwit_config("news")).unwrap();
        let back: Value = serde_norway::from_str(&yaml).unwrap();
        assert_eq!(back["index_id"], "news");
        assert_eq!(back["doc_mapping"]["timestamp_field"], "date");
        let date = back["doc_mapping"]["field_mappings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == "date")
            .unwrap();
        assert_eq!(date["type"], "datetime");
        assert_eq!(date["fast"], true);
    }
}

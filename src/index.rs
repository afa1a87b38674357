//! Building and updating an index from a corpus folder.
//!
//! Data flow: [`crate::discover::walk`] streams paths → rayon workers read, hash, decode and
//! extract each page → one shared tantivy `IndexWriter` (whose `add_document` takes `&self`
//! and feeds its own bounded queue, so memory stays flat whatever the corpus size). Runs are
//! incremental: a file whose size and mtime are unchanged is skipped unread, one whose bytes
//! hash the same is skipped unparsed, and a changed one replaces its document (delete by
//! `path`, then add), so re-running never duplicates. Commits happen every
//! `commit_every` documents, so a crash loses at most one batch.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use chrono::Datelike;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use tantivy::index::{SegmentId, SegmentMeta};
use tantivy::indexer::{IndexWriterOptions, LogMergePolicy, MergeCandidate, MergePolicy};
use tantivy::{DateTime, IndexWriter, TantivyDocument, Term};

use crate::cluster::Clusterer;
use crate::decode;
use crate::discover::{self, FileClass, Found};
use crate::extract::{self, Article, Loaded, Skip};
use crate::schema::{self, Fields};
use crate::source::{self, Item, Record};

/// How to run an indexing job.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// The corpus folder.
    pub corpus: PathBuf,
    /// The index folder (created when missing).
    pub index_dir: PathBuf,
    /// Indexing memory budget for tantivy's writer, in MB (split among its threads).
    pub memory_mb: usize,
    /// Worker threads for extraction and indexing.
    pub threads: usize,
    /// Keep front and section-index pages as documents.
    pub include_listings: bool,
    /// Files (or decompressed `.gz` contents) larger than this are skipped.
    pub max_file_bytes: u64,
    /// Follow symbolic links while walking.
    pub follow_links: bool,
    /// Remove documents whose files are gone from the corpus.
    pub prune: bool,
    /// Start from an empty index.
    pub rebuild: bool,
    /// Commit after this many new or changed documents.
    pub commit_every: u64,
    /// Show a progress bar (on a terminal).
    pub progress: bool,
    /// Merges never build a segment larger than this many MB.
    pub max_segment_mb: u64,
    /// JSON Lines input: which JSON names fill which fields (`--field`).
    pub fields: crate::source::jsonl::FieldMap,
    /// Glob patterns of files to leave out (`--exclude`): a pattern without `/` matches a
    /// file name at any depth, one with `/` the path from the corpus root.
    pub exclude: Vec<String>,
    /// Put every page in a story of its own (`--no-stories`): no near-duplicate signature
    /// is computed, for archives known to hold one copy of each story.
    pub no_stories: bool,
}

/// The `--exclude` patterns as one matcher; an invalid pattern is an error naming it.
fn exclusions(patterns: &[String]) -> anyhow::Result<globset::GlobSet> {
    let mut set = globset::GlobSetBuilder::new();
    for p in patterns {
        let full = if p.contains('/') {
            p.trim_start_matches('/').to_string()
        } else {
            format!("**/{p}")
        };
        set.add(
            globset::GlobBuilder::new(&full)
                .literal_separator(true)
                .build()
                .with_context(|| format!("--exclude {p:?} is not a valid glob pattern"))?,
        );
    }
    set.build().context("cannot build the --exclude patterns")
}

/// What a run did; printed as the summary and returned as JSON with `--json`.
#[derive(Debug, Default, serde::Serialize)]
pub struct Summary {
    /// Files found by the walk.
    pub files_seen: u64,
    /// Documents added (new files).
    pub added: u64,
    /// Documents replaced (changed files).
    pub updated: u64,
    /// Files unchanged since the last run.
    pub unchanged: u64,
    /// Documents removed because their files are gone (`--prune`).
    pub removed: u64,
    /// Of the added/updated documents, how many are listing pages kept by `--include-listings`.
    pub listings_kept: u64,
    /// Files not indexed, by reason.
    pub skipped: BTreeMap<String, u64>,
    /// The first few files that could not be read, with the reason.
    pub errors: Vec<(String, String)>,
    /// Bytes of HTML read (decompressed).
    pub bytes_read: u64,
    /// Wall time in seconds.
    pub seconds: f64,
    /// Documents in the index after the run.
    pub docs_in_index: u64,
    /// Size of the index folder in bytes after the run.
    pub index_bytes: u64,
    /// True when the run was interrupted (Ctrl-C) after committing what was done.
    pub interrupted: bool,
    /// What the WARC files of the corpus held (absent when there were none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warc: Option<WarcSummary>,
}

/// Web-archive counts of a run: records by type, captures and how they became documents.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct WarcSummary {
    /// WARC files read (changed or new).
    pub files: u64,
    /// Records read, by `WARC-Type`.
    pub records: BTreeMap<String, u64>,
    /// Page captures (HTML, status 200) found.
    pub captures: u64,
    /// Captures not indexed because a later capture of the same URL was (latest wins).
    pub older_captures: u64,
    /// `revisit` records (same content as an earlier capture).
    pub revisits: u64,
    /// Revisits whose earlier capture is in the archive (this run or the index).
    pub revisits_resolved: u64,
    /// Damaged records and stretches (also listed in `errors` with `file#offset`).
    pub damaged: u64,
}

/// What the index already holds for a file: size, mtime, content hash, and how many
/// documents came from it.
type Known = HashMap<String, KnownFile>;

/// A file the index holds documents of.
#[derive(Debug, Clone, Copy)]
struct KnownFile {
    /// Size, mtime and hash when indexed; all 0 for a WARC file whose run never completed
    /// (so it is read again).
    id: (u64, i64, u64),
    docs: u64,
}

/// How many unreadable-file examples the summary keeps.
const MAX_ERRORS_SHOWN: usize = 20;

/// Indexes (or updates the index of) a corpus. `stop` is polled between files: when set
/// (Ctrl-C), the run commits what is done and returns with `interrupted`.
pub fn run(opts: &IndexOptions, stop: &AtomicBool) -> anyhow::Result<Summary> {
    index_corpus(opts, stop).map_err(|err| name_full_disk(err, &opts.index_dir))
}

/// Free space under which a failed run blames the disk: a segment flush writes up to the
/// writer's memory budget at once.
const LOW_DISK_BYTES: u64 = 256 << 20;

/// A full disk makes tantivy's indexing threads die with an error that only says "an index
/// writer was killed … io::Error most likely"; when the index's disk is (nearly) full, the
/// error says so, with what to do. Everything committed before stays searchable.
fn name_full_disk(err: anyhow::Error, index_dir: &Path) -> anyhow::Error {
    let no_space = err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::StorageFull)
    });
    let probe = if index_dir.exists() {
        index_dir
    } else {
        index_dir.parent().unwrap_or(index_dir)
    };
    match fs4::available_space(probe) {
        Ok(free) if no_space || free < LOW_DISK_BYTES => err.context(format!(
            "the disk holding the index {} is full ({:.1} MB free): free some space and run \
             `gazette index` again; what was committed before stays in the index",
            index_dir.display(),
            free as f64 / 1e6
        )),
        _ => err,
    }
}

fn index_corpus(opts: &IndexOptions, stop: &AtomicBool) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let excluded = exclusions(&opts.exclude)?;
    let meta = std::fs::metadata(&opts.corpus).with_context(|| {
        format!(
            "cannot read the corpus folder or archive {}",
            opts.corpus.display()
        )
    })?;
    if meta.is_dir() {
        std::fs::read_dir(&opts.corpus)
            .with_context(|| format!("cannot list the corpus folder {}", opts.corpus.display()))?;
    } else if !meta.is_file()
        || !matches!(
            discover::classify(&opts.corpus),
            FileClass::Warc | FileClass::Jsonl
        )
    {
        bail!(
            "the corpus {} is not a folder, a web archive (.warc, .warc.gz) or JSON Lines (.jsonl, .ndjson)",
            opts.corpus.display()
        );
    }

    if opts.rebuild {
        remove_index(&opts.index_dir)?;
    }
    let (index, fields) = if opts.index_dir.join("meta.json").exists() {
        schema::open(&opts.index_dir)?
    } else {
        schema::create(&opts.index_dir)?
    };
    let threads = opts.threads.max(1);
    let memory = (opts.memory_mb.max(15 * threads)) * 1024 * 1024;
    // One merge at a time: each merge maps its input segments into memory (see
    // `CappedMergePolicy`), so concurrent merges would add up.
    let writer_options = IndexWriterOptions::builder()
        .memory_budget_per_thread(memory / threads)
        .num_worker_threads(threads)
        .num_merge_threads(1)
        .build();
    let writer: IndexWriter<TantivyDocument> = index
        .writer_with_options(writer_options)
        .map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => anyhow::anyhow!(
                "the index at {} is locked by another `gazette index` run (lock file {}); wait for it to finish",
                opts.index_dir.display(),
                opts.index_dir.join(".tantivy-writer.lock").display()
            ),
            other => anyhow::Error::new(other)
                .context(format!("cannot open the index at {} for writing", opts.index_dir.display())),
        })?;
    writer.set_merge_policy(Box::new(CappedMergePolicy::new(
        &opts.index_dir,
        opts.max_segment_mb * 1024 * 1024,
    )));
    let ledger = Ledger::load(&opts.index_dir);
    let (known, captures) = known_documents(&index, &ledger)?;
    let (known, captures) = (Mutex::new(known), Mutex::new(captures));
    let clusterer = if opts.no_stories {
        Clusterer::disabled
    } else {
        Clusterer::new
    }(
        index.reader().context("cannot read the existing index")?,
        fields.cluster,
    )?;
    let writer = RwLock::new(writer);
    let progress = progress_bar(opts);

    let stats = Stats::default();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")?;
    let run = Run {
        opts,
        fields: &fields,
        known: &known,
        captures: &captures,
        writer: &writer,
        stats: &stats,
        ledger: &ledger,
        clusterer: &clusterer,
    };
    let commit = |w: &mut IndexWriter<TantivyDocument>, what: &str| -> anyhow::Result<()> {
        // files finished before the commit are in it; only then may the ledger say so
        let finished = ledger.take_finished();
        w.commit().context(format!("{what} failed"))?;
        clusterer.committed()?;
        ledger.save_with(finished, &opts.index_dir)
    };
    // Files are counted as the walk finds them: the bar's total grows until the walk ends
    // (then it gets an ETA), so a million-file corpus is never walked twice.
    let walked = AtomicU64::new(0);
    let walk = discover::walk(&opts.corpus, opts.follow_links)
        .filter(|found| match found {
            Found::File { rel, .. } if excluded.is_match(rel) => {
                stats.skip(&Skip::Excluded, rel);
                false
            }
            _ => true,
        })
        .inspect(|_| {
            let n = walked.fetch_add(1, Ordering::Relaxed) + 1;
            progress.set_length(n);
        })
        .chain(std::iter::from_fn(|| {
            walk_finished(&progress);
            None
        }));
    let result: anyhow::Result<()> = pool.install(|| {
        walk.par_bridge()
            .try_for_each(|found| -> anyhow::Result<()> {
                if stop.load(Ordering::Relaxed) {
                    return Ok(());
                }
                progress.inc(1);
                let changed = index_one(found, &run)?;
                if changed > 0
                    && stats.since_commit.fetch_add(changed, Ordering::Relaxed) + changed
                        >= opts.commit_every
                {
                    stats.since_commit.store(0, Ordering::Relaxed);
                    let mut w = writer.write().expect("writer lock poisoned");
                    commit(&mut w, "commit")?;
                }
                Ok(())
            })
    });
    result?;

    let mut writer = writer.into_inner().expect("writer lock poisoned");
    let mut removed = 0;
    if opts.prune && !stop.load(Ordering::Relaxed) {
        for (file, gone) in known.into_inner().expect("known lock poisoned") {
            writer.delete_term(Term::from_field_text(fields.file, &file));
            ledger.forget(&file);
            removed += gone.docs;
        }
    }
    progress.set_message("committing");
    commit(&mut writer, "final commit")?;
    progress.set_message("merging segments");
    writer
        .wait_merging_threads()
        .context("merging segments failed")?;
    progress.finish_and_clear();

    let reader = index.reader().context("cannot read the index back")?;
    reader.reload()?;
    let mut summary = stats.into_summary();
    summary.removed = removed;
    summary.seconds = started.elapsed().as_secs_f64();
    summary.docs_in_index = reader.searcher().num_docs();
    summary.index_bytes = folder_size(&opts.index_dir);
    summary.interrupted = stop.load(Ordering::Relaxed);
    Ok(summary)
}

/// Counters shared by the workers.
#[derive(Default)]
struct Stats {
    files_seen: AtomicU64,
    added: AtomicU64,
    updated: AtomicU64,
    unchanged: AtomicU64,
    listings_kept: AtomicU64,
    bytes_read: AtomicU64,
    since_commit: AtomicU64,
    skipped: Mutex<BTreeMap<String, u64>>,
    errors: Mutex<Vec<(String, String)>>,
    warc: Mutex<WarcSummary>,
    /// Payload digests and URLs of the captures seen, to resolve revisits at the end.
    revisits: Mutex<Revisits>,
}

/// Revisit records wait for the end of the run: their original may be in a file read later.
#[derive(Default)]
struct Revisits {
    digests: std::collections::HashSet<u64>,
    urls: std::collections::HashSet<u64>,
    pending: Vec<(u64, Option<u64>)>,
}

impl Stats {
    fn skip(&self, reason: &Skip, rel: &str) {
        *self
            .skipped
            .lock()
            .expect("stats lock")
            .entry(reason.to_string())
            .or_default() += 1;
        if let Skip::Unreadable(why) | Skip::Damaged(why) | Skip::BadLine(why) = reason {
            let mut errors = self.errors.lock().expect("stats lock");
            if errors.len() < MAX_ERRORS_SHOWN {
                errors.push((rel.to_string(), why.clone()));
            }
        }
        if let Skip::Damaged(_) = reason {
            self.warc.lock().expect("stats lock").damaged += 1;
        }
    }

    fn into_summary(self) -> Summary {
        let mut warc = self.warc.into_inner().expect("stats lock");
        let revisits = self.revisits.into_inner().expect("stats lock");
        warc.revisits_resolved = revisits
            .pending
            .iter()
            .filter(|(url, digest)| {
                revisits.urls.contains(url) || digest.is_some_and(|d| revisits.digests.contains(&d))
            })
            .count() as u64;
        Summary {
            warc: (warc.files > 0).then_some(warc),
            files_seen: self.files_seen.into_inner(),
            added: self.added.into_inner(),
            updated: self.updated.into_inner(),
            unchanged: self.unchanged.into_inner(),
            listings_kept: self.listings_kept.into_inner(),
            bytes_read: self.bytes_read.into_inner(),
            skipped: self.skipped.into_inner().expect("stats lock"),
            errors: self.errors.into_inner().expect("stats lock"),
            ..Summary::default()
        }
    }
}

/// What the workers share: the writer, what the index held, and the run's counters.
struct Run<'a> {
    opts: &'a IndexOptions,
    fields: &'a Fields,
    /// File → (size, mtime, hash) of what the index holds; what is left at the end is gone.
    known: &'a Mutex<Known>,
    /// URL hash → capture time of every web capture indexed (before or during this run):
    /// the latest capture of a URL wins.
    captures: &'a Mutex<HashMap<u64, i64>>,
    writer: &'a RwLock<IndexWriter<TantivyDocument>>,
    stats: &'a Stats,
    ledger: &'a Ledger,
    /// Story clusters of the documents (see [`crate::cluster`]).
    clusterer: &'a Clusterer,
}

/// How a file's bytes and time identify it on disk (stored on its documents).
#[derive(Debug, Clone, Copy)]
pub struct FileId {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, seconds since the epoch.
    pub mtime: i64,
    /// xxh3 of the bytes.
    pub hash: u64,
}

/// Handles one walked entry; returns how many documents it added, replaced or removed.
fn index_one(found: Found, run: &Run) -> anyhow::Result<u64> {
    let (opts, stats) = (run.opts, run.stats);
    let (path, rel, class, size, mtime) = match found {
        Found::File {
            path,
            rel,
            class,
            size,
            mtime,
        } => (path, rel, class, size, mtime),
        Found::Error { rel, message } => {
            stats.skip(&Skip::Unreadable(message), &rel);
            return Ok(0);
        }
    };
    stats.files_seen.fetch_add(1, Ordering::Relaxed);
    if let FileClass::NotHtml(what) = &class {
        stats.skip(&Skip::NotHtml(what.clone()), &rel);
        return Ok(0);
    }
    // Taking the entry out marks the file as seen (what remains is pruned).
    let previous = run
        .known
        .lock()
        .expect("known lock")
        .remove(&rel)
        .map(|k| k.id);
    if let Some((s, m, _)) = previous {
        if s == size && m == mtime {
            stats.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(0);
        }
    }
    if class == FileClass::Warc {
        return index_warc(&path, &rel, size, mtime, previous, run);
    }
    if class == FileClass::Jsonl {
        return index_jsonl(&path, &rel, FileStat { size, mtime }, previous, run);
    }
    let bytes = match decode::read_bytes(&path, opts.max_file_bytes) {
        Ok(b) => b,
        Err(e) => {
            stats.skip(&Skip::Unreadable(e.to_string()), &rel);
            return Ok(0);
        }
    };
    stats
        .bytes_read
        .fetch_add(bytes.len() as u64, Ordering::Relaxed);
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    if previous.is_some_and(|(_, _, h)| h == hash) {
        stats.unchanged.fetch_add(1, Ordering::Relaxed);
        return Ok(0);
    }
    let id = FileId { size, mtime, hash };
    let Some(article) = load(
        extract::load_bytes_at(&bytes, &rel, &class, extract::file_time(&path)),
        &rel,
        run,
    ) else {
        if previous.is_some() {
            // It was a page and is not one any more: its old document must go.
            let w = run.writer.read().expect("writer lock");
            w.delete_term(Term::from_field_text(run.fields.file, &rel));
            return Ok(1);
        }
        return Ok(0);
    };
    drop(bytes);
    let mut doc = to_document(&article, run.fields, id, &rel);
    // Held until the page is added: no commit may pass between its story and its document.
    let w = run.writer.read().expect("writer lock");
    cluster(run, &article, &mut doc, &rel)?;
    if previous.is_some() {
        w.delete_term(Term::from_field_text(run.fields.file, &rel));
        stats.updated.fetch_add(1, Ordering::Relaxed);
    } else {
        stats.added.fetch_add(1, Ordering::Relaxed);
    }
    w.add_document(doc)
        .with_context(|| format!("cannot add {rel} to the index"))?;
    Ok(1)
}

/// The article of an extraction outcome, or `None` after counting why there is none.
fn load(loaded: Loaded, origin: &str, run: &Run) -> Option<Box<Article>> {
    match loaded {
        Loaded::Page(a) => Some(a),
        Loaded::Skipped(Skip::Listing, Some(a)) if run.opts.include_listings => {
            run.stats.listings_kept.fetch_add(1, Ordering::Relaxed);
            Some(a)
        }
        Loaded::Skipped(reason, _) => {
            run.stats.skip(&reason, origin);
            None
        }
    }
}

/// The file-level step shared by multi-document files (WARC, JSON Lines): hash the file
/// (an unchanged hash is an unchanged file), take it out of the ledger until its last
/// document is committed (a crash in between has the next run read it again), and delete
/// its old documents, which are replaced together. `None` when there is nothing to read.
fn open_archive(
    path: &Path,
    rel: &str,
    stat: FileStat,
    previous: Option<(u64, i64, u64)>,
    run: &Run,
) -> Option<FileId> {
    let hash = match hash_file(path) {
        Ok(h) => h,
        Err(e) => {
            run.stats.skip(&Skip::Unreadable(e.to_string()), rel);
            return None;
        }
    };
    if previous.is_some_and(|(_, _, h)| h == hash) {
        run.stats.unchanged.fetch_add(1, Ordering::Relaxed);
        return None;
    }
    run.ledger.forget(rel);
    if previous.is_some() {
        let w = run.writer.read().expect("writer lock");
        w.delete_term(Term::from_field_text(run.fields.file, rel));
    }
    Some(FileId {
        size: stat.size,
        mtime: stat.mtime,
        hash,
    })
}

/// Records of one WARC file held before extraction: enough to keep both cores busy, few
/// enough that memory stays flat whatever the file's size.
const WARC_BATCH_RECORDS: usize = 64;
/// ... and at most this many bytes of payload.
const WARC_BATCH_BYTES: usize = 32 << 20;

/// Indexes the page captures of a WARC file (new, or changed since the last run): records
/// are read in order, and each batch is extracted on the worker pool.
fn index_warc(
    path: &Path,
    rel: &str,
    size: u64,
    mtime: i64,
    previous: Option<(u64, i64, u64)>,
    run: &Run,
) -> anyhow::Result<u64> {
    let stats = run.stats;
    let Some(id) = open_archive(path, rel, FileStat { size, mtime }, previous, run) else {
        return Ok(0);
    };
    stats.warc.lock().expect("stats lock").files += 1;
    let mut batch: Vec<Record> = Vec::new();
    let mut batch_bytes = 0;
    let mut changed = u64::from(previous.is_some());
    let mut flush = |batch: &mut Vec<Record>| -> anyhow::Result<()> {
        let results: Vec<anyhow::Result<bool>> = std::mem::take(batch)
            .into_par_iter()
            .map(|record| index_capture(record, rel, id, run))
            .collect();
        for r in results {
            changed += u64::from(r?);
        }
        Ok(())
    };
    let read = source::warc_items(path, rel, run.opts.max_file_bytes, &mut |item| {
        let mut warc = stats.warc.lock().expect("stats lock");
        match item {
            Item::Record(record) => {
                *warc.records.entry("response/resource".into()).or_default() += 1;
                warc.captures += 1;
                drop(warc);
                batch_bytes += record.bytes.len();
                batch.push(record);
                if batch.len() >= WARC_BATCH_RECORDS || batch_bytes >= WARC_BATCH_BYTES {
                    batch_bytes = 0;
                    flush(&mut batch)?;
                }
            }
            Item::Skipped { origin, reason } => {
                if !matches!(reason, Skip::Damaged(_)) {
                    *warc.records.entry("response/resource".into()).or_default() += 1;
                }
                drop(warc);
                stats.skip(&reason, &origin);
            }
            Item::Other { kind } => *warc.records.entry(kind).or_default() += 1,
            Item::Revisit { url, digest } => {
                *warc.records.entry("revisit".into()).or_default() += 1;
                warc.revisits += 1;
                drop(warc);
                let digest = digest.map(|d| xxhash_rust::xxh3::xxh3_64(d.as_bytes()));
                stats
                    .revisits
                    .lock()
                    .expect("stats lock")
                    .pending
                    .push((url_hash(&url), digest));
            }
        }
        Ok(())
    });
    if let Err(e) = read {
        stats.skip(&Skip::Unreadable(format!("{e:#}")), rel);
    }
    flush(&mut batch)?;
    run.ledger.finish(rel, id);
    Ok(changed)
}

/// Size and mtime of a walked file.
#[derive(Debug, Clone, Copy)]
struct FileStat {
    size: u64,
    mtime: i64,
}

/// Lines of a JSON Lines file held before parsing: enough to keep every core busy, few enough
/// that memory stays flat whatever the file's size.
const JSONL_BATCH_LINES: usize = 512;

/// Indexes the documents of a JSON Lines file (new, or changed since the last run), like a
/// WARC file: its documents are replaced together, and it is known as indexed (the ledger)
/// only once a commit holds its last line. Lines are read in order and each batch is parsed,
/// mapped and extracted on the worker pool. A document's key is its URL when it has one, so
/// the same story exported twice (in this file or another) stays one document.
fn index_jsonl(
    path: &Path,
    rel: &str,
    stat: FileStat,
    previous: Option<(u64, i64, u64)>,
    run: &Run,
) -> anyhow::Result<u64> {
    use crate::source::jsonl;
    let stats = run.stats;
    let Some(id) = open_archive(path, rel, stat, previous, run) else {
        return Ok(0);
    };
    let mut changed = u64::from(previous.is_some());
    let mut batch: Vec<jsonl::Line> = Vec::new();
    let mut flush = |batch: &mut Vec<jsonl::Line>| -> anyhow::Result<()> {
        let results: Vec<anyhow::Result<bool>> = std::mem::take(batch)
            .into_par_iter()
            .map(|line| {
                stats.bytes_read.fetch_add(
                    line.bytes.as_ref().map_or(0, Vec::len) as u64,
                    Ordering::Relaxed,
                );
                let loaded =
                    jsonl::load_line(line.bytes.as_deref(), rel, line.number, &run.opts.fields);
                let Some(article) = load(loaded, &jsonl::origin(rel, line.number), run) else {
                    return Ok(false);
                };
                let mut doc = to_document(&article, run.fields, id, rel);
                let w = run.writer.read().expect("writer lock");
                cluster(run, &article, &mut doc, &jsonl::origin(rel, line.number))?;
                // A URL key from an earlier file or line is replaced, never duplicated
                // (`file:line` keys were removed with the file's documents).
                if article.url.as_deref() == Some(article.path.as_str()) {
                    w.delete_term(Term::from_field_text(run.fields.path, &article.path));
                }
                stats.added.fetch_add(1, Ordering::Relaxed);
                w.add_document(doc).with_context(|| {
                    format!(
                        "cannot add {} to the index",
                        jsonl::origin(rel, line.number)
                    )
                })?;
                Ok(true)
            })
            .collect();
        for r in results {
            changed += u64::from(r?);
        }
        Ok(())
    };
    let read = jsonl::read_lines(path, run.opts.max_file_bytes, &mut |line| {
        batch.push(line);
        if batch.len() >= JSONL_BATCH_LINES {
            flush(&mut batch)?;
        }
        Ok(())
    });
    if let Err(e) = read {
        stats.skip(&Skip::Unreadable(format!("{e:#}")), rel);
    }
    flush(&mut batch)?;
    run.ledger.finish(rel, id);
    Ok(changed)
}

/// Extracts and indexes one page capture of a WARC file; the latest capture of a URL wins.
fn index_capture(record: Record, file: &str, id: FileId, run: &Run) -> anyhow::Result<bool> {
    let stats = run.stats;
    stats
        .bytes_read
        .fetch_add(record.bytes.len() as u64, Ordering::Relaxed);
    let key_hash = url_hash(&record.key);
    {
        let mut revisits = stats.revisits.lock().expect("stats lock");
        revisits.urls.insert(key_hash);
        if let Some(d) = &record.digest {
            revisits
                .digests
                .insert(xxhash_rust::xxh3::xxh3_64(d.as_bytes()));
        }
    }
    let Some(article) = load(extract::load_record(&record), &record.origin, run) else {
        return Ok(false);
    };
    let mut doc = to_document(&article, run.fields, id, file);
    let captured = record.captured.unwrap_or(0);
    if record.captured.is_some() {
        doc.add_date(run.fields.captured, DateTime::from_timestamp_secs(captured));
    }
    doc.add_text(run.fields.origin, &record.origin);
    // Check, replace and add under one lock, so two captures of a URL read at once by two
    // workers cannot both stay.
    let mut captures = run.captures.lock().expect("captures lock");
    let before = captures.get(&key_hash).copied();
    if before.is_some_and(|t| t > captured) {
        run.stats.warc.lock().expect("stats lock").older_captures += 1;
        return Ok(false);
    }
    captures.insert(key_hash, captured);
    let w = run.writer.read().expect("writer lock");
    cluster(run, &article, &mut doc, &record.origin)?;
    if before.is_some() {
        w.delete_term(Term::from_field_text(run.fields.path, &record.key));
        stats.warc.lock().expect("stats lock").older_captures += 1;
        stats.updated.fetch_add(1, Ordering::Relaxed);
    } else {
        stats.added.fetch_add(1, Ordering::Relaxed);
    }
    w.add_document(doc)
        .with_context(|| format!("cannot add {} to the index", record.origin))?;
    Ok(true)
}

/// Puts the story cluster of an article on its document (call with the writer's read lock
/// held, so no commit separates the two).
fn cluster(
    run: &Run,
    article: &Article,
    doc: &mut TantivyDocument,
    origin: &str,
) -> anyhow::Result<()> {
    run.clusterer
        .assign(
            &article.path,
            &article.body,
            article.published.as_ref().map(|p| p.to_utc().timestamp()),
        )
        .with_context(|| format!("cannot cluster {origin}"))?
        .add_to(doc, &run.fields.cluster);
    Ok(())
}

/// The identity of a web capture's URL.
fn url_hash(url: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(url.as_bytes())
}

/// xxh3 of a whole file, read in blocks.
fn hash_file(path: &Path) -> std::io::Result<u64> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(hasher.digest());
        }
        hasher.update(&buf[..n]);
    }
}

/// The tantivy document of an article.
pub fn to_document(a: &Article, f: &Fields, id: FileId, file: &str) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.path, &a.path);
    doc.add_text(f.file, file);
    if let Some(url) = &a.url {
        doc.add_text(f.url, url);
    }
    if let Some(site) = &a.site {
        doc.add_text(f.site, site);
    }
    doc.add_text(f.title, &a.title);
    doc.add_text(f.body, &a.body);
    if let Some(t) = &a.page_title {
        doc.add_text(f.page_title, t);
    }
    // A language with a stemmer of its own: its fields too (see `analyzers`).
    if let Some(i) = a.lang.as_deref().and_then(crate::analyzers::stemmed_index) {
        doc.add_text(f.langs[i].0, &a.title);
        doc.add_text(f.langs[i].1, &a.body);
    }
    if let Some(p) = &a.published {
        doc.add_date(
            f.date,
            DateTime::from_timestamp_secs(p.to_utc().timestamp()),
        );
        doc.add_u64(f.year, u64::try_from(p.date.year()).unwrap_or(0));
    }
    if let Some(d) = &a.date {
        doc.add_text(f.day, d);
    }
    if let Some(dt) = &a.datetime {
        doc.add_text(f.datetime, dt);
    }
    if let Some(s) = &a.section {
        doc.add_text(f.section, s);
        doc.add_text(f.section_key, s);
    }
    for b in &a.byline {
        doc.add_text(f.byline, b);
        doc.add_text(f.byline_key, b);
    }
    for p in &a.people {
        doc.add_text(f.people, p);
        doc.add_text(f.person_key, p);
    }
    if let Some(l) = &a.lang {
        doc.add_text(f.lang, l);
    }
    doc.add_text(
        f.kind,
        match a.kind {
            extract::Kind::Listing => "listing",
            _ => "article",
        },
    );
    doc.add_u64(f.words, a.words as u64);
    doc.add_u64(f.size, id.size);
    doc.add_i64(f.mtime, id.mtime);
    doc.add_u64(f.hash, id.hash);
    doc
}

/// tantivy's log merge policy, except that no merge builds a segment of more than `max_bytes`.
///
/// Merging reads its input segments through mmap, and every page it touches counts in the
/// process's resident memory until the merge ends: with the default policy, the last merges
/// of a million-page run read most of the index at once and peak RSS grows with the corpus.
/// Capping a merge's input size keeps peak memory flat whatever the corpus size, at the cost
/// of one segment per `max_bytes` of index (which `search` reads in parallel on a large index).
#[derive(Debug)]
struct CappedMergePolicy {
    inner: LogMergePolicy,
    dir: PathBuf,
    max_bytes: u64,
}

impl CappedMergePolicy {
    fn new(dir: &Path, max_bytes: u64) -> CappedMergePolicy {
        CappedMergePolicy {
            inner: LogMergePolicy::default(),
            dir: dir.to_path_buf(),
            max_bytes: max_bytes.max(1),
        }
    }

    /// Bytes of a segment's files on disk.
    fn segment_bytes(&self, segment: &SegmentMeta) -> u64 {
        use tantivy::index::SegmentComponent as C;
        [
            C::Postings,
            C::Positions,
            C::FastFields,
            C::FieldNorms,
            C::Terms,
            C::Store,
        ]
        .into_iter()
        .filter_map(|c| std::fs::metadata(self.dir.join(segment.relative_path(c))).ok())
        .map(|m| m.len())
        .sum()
    }
}

impl MergePolicy for CappedMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let sizes: HashMap<SegmentId, u64> = segments
            .iter()
            .map(|s| (s.id(), self.segment_bytes(s)))
            .collect();
        let mergeable: Vec<SegmentMeta> = segments
            .iter()
            .filter(|s| sizes[&s.id()] < self.max_bytes / 2)
            .cloned()
            .collect();
        self.inner
            .compute_merge_candidates(&mergeable)
            .into_iter()
            .flat_map(|MergeCandidate(group)| {
                let sized = group.into_iter().map(|id| (id, sizes[&id])).collect();
                pack(sized, self.max_bytes)
            })
            .map(MergeCandidate)
            .collect()
    }
}

/// Splits a merge into merges of at most `max_bytes` each, smallest items first; an item that
/// fits with no other is left out (merging one segment alone gains nothing).
fn pack<T>(mut items: Vec<(T, u64)>, max_bytes: u64) -> Vec<Vec<T>> {
    items.sort_by_key(|&(_, bytes)| bytes);
    let mut merges = Vec::new();
    let mut current = Vec::new();
    let mut total = 0;
    for (item, bytes) in items {
        if total + bytes > max_bytes && current.len() >= 2 {
            merges.push(std::mem::take(&mut current));
            total = 0;
        }
        if total + bytes <= max_bytes {
            total += bytes;
            current.push(item);
        }
    }
    if current.len() >= 2 {
        merges.push(current);
    }
    merges
}

/// What the index holds, read from fast fields: every file it has documents of (with the
/// size, mtime and hash they were indexed with, and how many documents), and the capture
/// time of every web capture by URL. A WARC file counts as indexed only when the ledger says
/// its last record was committed.
fn known_documents(
    index: &tantivy::Index,
    ledger: &Ledger,
) -> anyhow::Result<(Known, HashMap<u64, i64>)> {
    let reader = index.reader().context("cannot read the existing index")?;
    let searcher = reader.searcher();
    let mut known = Known::new();
    let mut captures = HashMap::new();
    let done = ledger.done.lock().expect("ledger lock").clone();
    let (mut file, mut path) = (String::new(), String::new());
    for segment in searcher.segment_readers() {
        let ff = segment.fast_fields();
        let (Some(files), Some(paths)) = (ff.str("file")?, ff.str("path")?) else {
            continue;
        };
        let sizes = ff.u64("size")?;
        let mtimes = ff.i64("mtime")?;
        let hashes = ff.u64("hash")?;
        let captured = ff.date("captured")?;
        for doc in segment.doc_ids_alive() {
            let (Some(f), Some(p)) = (files.term_ords(doc).next(), paths.term_ords(doc).next())
            else {
                continue;
            };
            if !files.ord_to_str(f, &mut file)? || !paths.ord_to_str(p, &mut path)? {
                continue;
            }
            let id = if file == path {
                (
                    sizes.first(doc).unwrap_or(0),
                    mtimes.first(doc).unwrap_or(0),
                    hashes.first(doc).unwrap_or(0),
                )
            } else {
                if let Some(t) = captured.first(doc) {
                    captures.insert(url_hash(&path), t.into_timestamp_secs());
                }
                done.get(&file).copied().unwrap_or((0, 0, 0))
            };
            known
                .entry(file.clone())
                .or_insert(KnownFile { id, docs: 0 })
                .docs += 1;
        }
    }
    // WARC files read completely that gave no document (all captures older, or none a page)
    for (file, id) in done {
        known.entry(file).or_insert(KnownFile { id, docs: 0 });
    }
    Ok((known, captures))
}

/// Which multi-record files (WARC) were indexed completely, and with which size, mtime and
/// hash: `gazette-files.json` beside the index, rewritten after each commit. A file is
/// written there only once a commit holds all its records, so a run killed halfway through a
/// WARC file reads that file again next time instead of taking it as unchanged.
struct Ledger {
    done: Mutex<BTreeMap<String, Stamp>>,
    /// Files whose last record was added since the last commit.
    finished: Mutex<Vec<(String, Stamp)>>,
}

/// A file's size, mtime and hash.
type Stamp = (u64, i64, u64);

/// The ledger's file name in the index folder.
const LEDGER_FILE: &str = "gazette-files.json";

impl Ledger {
    fn load(dir: &Path) -> Ledger {
        // A missing or unreadable ledger only means files are read again.
        let done = std::fs::read(dir.join(LEDGER_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        Ledger {
            done: Mutex::new(done),
            finished: Mutex::new(Vec::new()),
        }
    }

    /// The file is being (re)read or is gone: not indexed completely any more.
    fn forget(&self, file: &str) {
        self.done.lock().expect("ledger lock").remove(file);
        self.finished
            .lock()
            .expect("ledger lock")
            .retain(|(f, _)| f != file);
    }

    /// All records of the file were added to the writer.
    fn finish(&self, file: &str, id: FileId) {
        self.finished
            .lock()
            .expect("ledger lock")
            .push((file.to_string(), (id.size, id.mtime, id.hash)));
    }

    /// The files finished so far (taken before a commit: they are all in it).
    fn take_finished(&self) -> Vec<(String, Stamp)> {
        std::mem::take(&mut *self.finished.lock().expect("ledger lock"))
    }

    /// After a commit: records `finished` as done and writes the ledger (write, then rename,
    /// so a crash leaves the old or the new one).
    fn save_with(
        &self,
        finished: Vec<(String, (u64, i64, u64))>,
        dir: &Path,
    ) -> anyhow::Result<()> {
        let mut done = self.done.lock().expect("ledger lock");
        done.extend(finished);
        let path = dir.join(LEDGER_FILE);
        let tmp = dir.join(format!("{LEDGER_FILE}.tmp"));
        std::fs::write(&tmp, serde_json::to_vec(&*done)?)
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }
}

/// Deletes an index's files for `--rebuild`, refusing folders that do not hold an index.
fn remove_index(dir: &Path) -> anyhow::Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.join("meta.json").exists() {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let entry = entry?;
        let name = entry.file_name();
        if entry.file_type()?.is_file() && name != ".gitkeep" && name != ".tantivy-writer.lock" {
            std::fs::remove_file(entry.path())
                .with_context(|| format!("cannot remove {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Total size of the files in a folder.
pub fn folder_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

fn progress_bar(opts: &IndexOptions) -> ProgressBar {
    if !opts.progress {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {pos}/{len}+ files found so far ({per_sec}) {msg}",
        )
        .expect("progress template"),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// The walk has found every file: the total is final and the bar can show an ETA.
fn walk_finished(bar: &ProgressBar) {
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} files ({per_sec}, ETA {eta}) {msg}",
        )
        .expect("progress template")
        .progress_chars("=> "),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_are_packed_under_the_cap() {
        let items = vec![("a", 40), ("b", 10), ("c", 30), ("d", 20), ("e", 45)];
        let merges = pack(items, 60);
        // Smallest first: b+d+c = 60, then a+e = 85 > 60 so a stays alone and is left out.
        assert_eq!(merges, vec![vec!["b", "d", "c"]]);
        for (max, items) in [
            (100, vec![(1, 50), (2, 50), (3, 50), (4, 50)]),
            (10, vec![(1, 5)]),
        ] {
            for merge in pack(items.clone(), max) {
                let bytes: u64 = merge
                    .iter()
                    .map(|id| items.iter().find(|(i, _)| i == id).unwrap().1)
                    .sum();
                assert!(bytes <= max && merge.len() >= 2, "{merge:?}");
            }
        }
        assert_eq!(pack(vec![(1, 50), (2, 50), (3, 50), (4, 50)], 100).len(), 2);
    }
}

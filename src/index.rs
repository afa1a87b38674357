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
}

/// What the index already holds for a path: size, mtime, content hash.
type Known = HashMap<String, (u64, i64, u64)>;

/// How many unreadable-file examples the summary keeps.
const MAX_ERRORS_SHOWN: usize = 20;

/// Indexes (or updates the index of) a corpus. `stop` is polled between files: when set
/// (Ctrl-C), the run commits what is done and returns with `interrupted`.
pub fn run(opts: &IndexOptions, stop: &AtomicBool) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let meta = std::fs::metadata(&opts.corpus)
        .with_context(|| format!("cannot read the corpus folder {}", opts.corpus.display()))?;
    if !meta.is_dir() {
        bail!("the corpus {} is not a folder", opts.corpus.display());
    }
    std::fs::read_dir(&opts.corpus)
        .with_context(|| format!("cannot list the corpus folder {}", opts.corpus.display()))?;

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
    let known = Mutex::new(known_documents(&index)?);
    let clusterer = Clusterer::new(
        index.reader().context("cannot read the existing index")?,
        fields.cluster,
    )?;
    let writer = RwLock::new(writer);

    let progress = progress_bar(opts);
    // Count files on the side so the bar gets a length (and an ETA) without holding the list.
    let counter = {
        let (root, follow, bar) = (opts.corpus.clone(), opts.follow_links, progress.clone());
        std::thread::spawn(move || {
            let n = walkdir::WalkDir::new(root)
                .follow_links(follow)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .count();
            bar.set_length(n as u64);
        })
    };

    let stats = Stats::default();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")?;
    let result: anyhow::Result<()> = pool.install(|| {
        discover::walk(&opts.corpus, opts.follow_links)
            .par_bridge()
            .try_for_each(|found| -> anyhow::Result<()> {
                if stop.load(Ordering::Relaxed) {
                    return Ok(());
                }
                progress.inc(1);
                let changed = index_one(found, opts, &fields, &known, &writer, &stats, &clusterer)?;
                if changed
                    && stats.since_commit.fetch_add(1, Ordering::Relaxed) + 1 >= opts.commit_every
                {
                    stats.since_commit.store(0, Ordering::Relaxed);
                    let mut w = writer.write().expect("writer lock poisoned");
                    w.commit().context("commit failed")?;
                    clusterer.committed()?;
                }
                Ok(())
            })
    });
    let _ = counter.join();
    result?;

    let mut writer = writer.into_inner().expect("writer lock poisoned");
    let mut removed = 0;
    if opts.prune && !stop.load(Ordering::Relaxed) {
        for path in known.into_inner().expect("known lock poisoned").into_keys() {
            writer.delete_term(Term::from_field_text(fields.path, &path));
            removed += 1;
        }
    }
    progress.set_message("committing");
    writer.commit().context("final commit failed")?;
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
}

impl Stats {
    fn skip(&self, reason: &Skip, rel: &str) {
        *self
            .skipped
            .lock()
            .expect("stats lock")
            .entry(reason.to_string())
            .or_default() += 1;
        if let Skip::Unreadable(why) = reason {
            let mut errors = self.errors.lock().expect("stats lock");
            if errors.len() < MAX_ERRORS_SHOWN {
                errors.push((rel.to_string(), why.clone()));
            }
        }
    }

    fn into_summary(self) -> Summary {
        Summary {
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

/// Handles one walked entry; returns whether the index changed.
fn index_one(
    found: Found,
    opts: &IndexOptions,
    fields: &Fields,
    known: &Mutex<Known>,
    writer: &RwLock<IndexWriter<TantivyDocument>>,
    stats: &Stats,
    clusterer: &Clusterer,
) -> anyhow::Result<bool> {
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
            return Ok(false);
        }
    };
    stats.files_seen.fetch_add(1, Ordering::Relaxed);
    if let FileClass::NotHtml(what) = &class {
        stats.skip(&Skip::NotHtml(what.clone()), &rel);
        return Ok(false);
    }
    // Taking the entry out marks the path as seen (what remains is pruned).
    let previous = known.lock().expect("known lock").remove(&rel);
    if let Some((s, m, _)) = previous {
        if s == size && m == mtime {
            stats.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(false);
        }
    }
    let bytes = match decode::read_bytes(&path, opts.max_file_bytes) {
        Ok(b) => b,
        Err(e) => {
            stats.skip(&Skip::Unreadable(e.to_string()), &rel);
            return Ok(false);
        }
    };
    stats
        .bytes_read
        .fetch_add(bytes.len() as u64, Ordering::Relaxed);
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    if previous.is_some_and(|(_, _, h)| h == hash) {
        stats.unchanged.fetch_add(1, Ordering::Relaxed);
        return Ok(false);
    }
    let article = match extract::load_bytes(&bytes, &rel, &class) {
        Loaded::Page(a) => a,
        Loaded::Skipped(Skip::Listing, Some(a)) if opts.include_listings => {
            stats.listings_kept.fetch_add(1, Ordering::Relaxed);
            a
        }
        Loaded::Skipped(reason, _) => {
            stats.skip(&reason, &rel);
            if previous.is_some() {
                // It was a page and is not one any more: its old document must go.
                let w = writer.read().expect("writer lock");
                w.delete_term(Term::from_field_text(fields.path, &rel));
                return Ok(true);
            }
            return Ok(false);
        }
    };
    drop(bytes);
    let mut doc = to_document(&article, fields, size, mtime, hash);
    // Held until the page is added: no commit may pass between its story and its document.
    let w = writer.read().expect("writer lock");
    clusterer
        .assign(&article.path, &article.body)
        .with_context(|| format!("cannot cluster {rel}"))?
        .add_to(&mut doc, &fields.cluster);
    if previous.is_some() {
        w.delete_term(Term::from_field_text(fields.path, &rel));
        stats.updated.fetch_add(1, Ordering::Relaxed);
    } else {
        stats.added.fetch_add(1, Ordering::Relaxed);
    }
    w.add_document(doc)
        .with_context(|| format!("cannot add {rel} to the index"))?;
    Ok(true)
}

/// The tantivy document of an article.
pub fn to_document(a: &Article, f: &Fields, size: u64, mtime: i64, hash: u64) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.path, &a.path);
    if let Some(url) = &a.url {
        doc.add_text(f.url, url);
    }
    if let Some(site) = &a.site {
        doc.add_text(f.site, site);
    }
    doc.add_text(f.title, &a.title);
    doc.add_text(f.body, &a.body);
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
    doc.add_u64(f.size, size);
    doc.add_i64(f.mtime, mtime);
    doc.add_u64(f.hash, hash);
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

/// Path → (size, mtime, hash) of every live document, read from fast fields.
fn known_documents(index: &tantivy::Index) -> anyhow::Result<Known> {
    let reader = index.reader().context("cannot read the existing index")?;
    let searcher = reader.searcher();
    let mut known = Known::new();
    let mut buf = String::new();
    for segment in searcher.segment_readers() {
        let ff = segment.fast_fields();
        let Some(paths) = ff.str("path")? else {
            continue;
        };
        let sizes = ff.u64("size")?;
        let mtimes = ff.i64("mtime")?;
        let hashes = ff.u64("hash")?;
        for doc in segment.doc_ids_alive() {
            let Some(ord) = paths.term_ords(doc).next() else {
                continue;
            };
            if !paths.ord_to_str(ord, &mut buf)? {
                continue;
            }
            known.insert(
                buf.clone(),
                (
                    sizes.first(doc).unwrap_or(0),
                    mtimes.first(doc).unwrap_or(0),
                    hashes.first(doc).unwrap_or(0),
                ),
            );
        }
    }
    Ok(known)
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
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} files ({per_sec}, ETA {eta}) {msg}",
        )
        .expect("progress template")
        .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
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

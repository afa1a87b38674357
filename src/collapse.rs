//! Collapsing hits by story: one hit per story cluster (see [`crate::cluster`]), with the
//! story's other pages listed as its copies, and totals and facets counting stories.
//!
//! The shown copy is the best-ranked one for the query (highest BM25 score, or newest with
//! `--sort date`): the copy that matched best is the one whose title and snippet explain the
//! hit (a retitled second edition matching a pasted headline, say), and it is what the
//! uncollapsed listing would have shown first. Copies are listed earliest-published first.
//!
//! Hits are collected as usual (so tantivy keeps its block-max pruning) for a few more than
//! the page needs; copies are dropped in rank order, and in the rare case too few stories
//! remain the collection is repeated for four times as many.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex};

use serde::Serialize;
use tantivy::collector::{Collector, Count, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{Query, Weight};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{
    DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TantivyDocument, Term,
    TERMINATED,
};

use crate::cluster::STORY;
use crate::counts::Total;
use crate::schema::Fields;
use crate::search::{top_docs_with, Counting, ScoredDoc, SortBy};

/// Story ids are already hashes: sets of them need no hashing of their own (SipHash would
/// cost more than the rest of the per-match work).
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A set of story ids.
pub type StorySet = HashSet<u64, std::hash::BuildHasherDefault<IdHasher>>;

/// At most this many copies are listed with a hit.
pub const MAX_COPIES: usize = 100;

/// Another page of a hit's story.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Copy {
    /// Path relative to the corpus root.
    pub path: String,
    /// Canonical URL when known.
    pub url: Option<String>,
    /// Host name when known.
    pub site: Option<String>,
    /// Publisher's date `YYYY-MM-DD`.
    pub date: Option<String>,
}

/// The best `limit` stories after `offset` (one hit each), the number of matching stories,
/// and the fruit of `extra` counted over one page per story (facets). `limit` 0 only counts.
pub fn top_stories<C: Collector>(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    sort: SortBy,
    limit: usize,
    offset: usize,
    counting: Counting,
    extra: Option<C>,
) -> tantivy::Result<(Vec<ScoredDoc>, Total, Option<C::Fruit>)> {
    let docs = searcher.num_docs() as usize;
    if limit == 0 {
        let (count, fruit) = searcher.search(query, &Stories::new((Count, extra)))?;
        return Ok((Vec::new(), Total { count, exact: true }, fruit));
    }
    let want = offset + limit;
    let mut fetch = (want * 2 + 8).min(docs.max(1));
    let (mut hits, total, fruit) = match counting {
        Counting::UpTo(n) => {
            let (hits, _, fruit) =
                top_docs_with(searcher, query, sort, fetch, 0, Counting::Skip, extra)?;
            (hits, searcher.search(query, &StoriesUpTo::new(n))?, fruit)
        }
        _ => {
            let (hits, _, counted) = top_docs_with(
                searcher,
                query,
                sort,
                fetch,
                0,
                Counting::Skip,
                Some(Stories::new((Count, extra))),
            )?;
            let (count, fruit) = counted.expect("counted stories");
            (hits, Total { count, exact: true }, fruit)
        }
    };
    let mut stories = StoryIds::default();
    loop {
        let distinct = distinct_stories(searcher, &hits, &mut stories)?;
        if distinct.len() >= want || hits.len() < fetch || fetch >= docs {
            let page = distinct.into_iter().skip(offset).take(limit).collect();
            return Ok((page, total, fruit));
        }
        fetch = (fetch * 4).min(docs);
        hits = top_docs_with(
            searcher,
            query,
            sort,
            fetch,
            0,
            Counting::Skip,
            None::<Count>,
        )?
        .0;
    }
}

/// The partial-match fallback ([`crate::multilang::Fallback`]) one hit per story: the
/// `all_count` stories holding every word first, then the stories holding most words (a
/// story already shown as an all-words hit is not shown again); `total` and the facets count
/// the stories matching the partial query.
#[allow(clippy::too_many_arguments)]
pub fn fallback<C: Collector>(
    searcher: &tantivy::Searcher,
    all: &dyn Query,
    partial: &dyn Query,
    sort: SortBy,
    limit: usize,
    offset: usize,
    all_count: usize,
    extra: Option<C>,
) -> tantivy::Result<crate::multilang::Fallback<C::Fruit>> {
    let first = if all_count == 0 {
        Vec::new()
    } else {
        top_stories(
            searcher,
            all,
            sort,
            all_count,
            0,
            Counting::Exact,
            None::<Count>,
        )?
        .0
    };
    let (more, total, counted) = top_stories(
        searcher,
        partial,
        sort,
        offset + limit + first.len(),
        0,
        Counting::Exact,
        extra,
    )?;
    let mut ids = StoryIds::default();
    // A page with no story id stands for itself.
    crate::multilang::Fallback::merge(first, more, total.count, counted, offset, limit, |addr| {
        Ok(ids.of(searcher, addr)?.ok_or(addr))
    })
}

/// The story column of a segment, opened once per segment for the life of the process.
///
/// Opening a fast-field column looks its name up in the segment's column dictionary and
/// parses its header: done for every segment by every collector and for every shown hit, it
/// cost more than the collapse itself. A segment's columns never change (deletes live in
/// the alive bitset), so they are kept by segment id; the cache is emptied when it holds
/// [`CACHED_SEGMENTS`] (segments merged away are forgotten that way).
pub fn story_column(reader: &SegmentReader) -> tantivy::Result<Column<u64>> {
    static CACHE: LazyLock<Mutex<HashMap<tantivy::index::SegmentId, Column<u64>>>> =
        LazyLock::new(Mutex::default);
    let id = reader.segment_id();
    if let Some(c) = CACHE.lock().expect("column cache lock").get(&id) {
        return Ok(c.clone());
    }
    let column = reader.fast_fields().u64(STORY)?;
    let mut cache = CACHE.lock().expect("column cache lock");
    if cache.len() >= CACHED_SEGMENTS {
        cache.clear();
    }
    cache.insert(id, column.clone());
    Ok(column)
}

/// Segments whose story column [`story_column`] keeps open.
const CACHED_SEGMENTS: usize = 4_096;

/// Story ids of documents, with each segment's column opened once.
#[derive(Default)]
struct StoryIds(HashMap<SegmentOrdinal, Column<u64>>);

impl StoryIds {
    fn of(
        &mut self,
        searcher: &tantivy::Searcher,
        addr: DocAddress,
    ) -> tantivy::Result<Option<u64>> {
        let column = match self.0.get(&addr.segment_ord) {
            Some(c) => c,
            None => {
                let c = story_column(searcher.segment_reader(addr.segment_ord))?;
                self.0.entry(addr.segment_ord).or_insert(c)
            }
        };
        Ok(column.first(addr.doc_id))
    }
}

/// The hits in rank order, keeping the first of each story (pages without a story id are
/// stories of their own).
fn distinct_stories(
    searcher: &tantivy::Searcher,
    hits: &[ScoredDoc],
    ids: &mut StoryIds,
) -> tantivy::Result<Vec<ScoredDoc>> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for &(score, addr) in hits {
        match ids.of(searcher, addr)? {
            Some(story) if !seen.insert(story) => {}
            _ => out.push((score, addr)),
        }
    }
    Ok(out)
}

/// The other pages of the story of the document at `addr`, earliest first (undated last).
pub fn copies(
    searcher: &tantivy::Searcher,
    fields: &Fields,
    addr: DocAddress,
) -> tantivy::Result<Vec<Copy>> {
    let Some(story) = StoryIds::default().of(searcher, addr)? else {
        return Ok(Vec::new());
    };
    // The story's postings read directly: a search (weight, scorer, collector) per shown hit
    // would cost more than the lookup itself.
    let term = Term::from_field_u64(fields.cluster.story, story);
    let mut found: Vec<DocAddress> = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let inverted = segment.inverted_index(fields.cluster.story)?;
        let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)? else {
            continue;
        };
        let alive = segment.alive_bitset();
        let mut doc = postings.doc();
        while doc != TERMINATED {
            let a = DocAddress::new(ord as u32, doc);
            if alive.is_none_or(|s| s.is_alive(doc)) && a != addr {
                found.push(a);
            }
            doc = postings.advance();
        }
    }
    found.truncate(MAX_COPIES);
    let mut out = Vec::with_capacity(found.len());
    for a in found {
        let doc: TantivyDocument = searcher.doc(a)?;
        let text = |f| doc.get_first(f).and_then(|v| v.as_str()).map(String::from);
        let sites = searcher
            .segment_reader(a.segment_ord)
            .fast_fields()
            .str("site")?;
        let site = sites.and_then(|col| {
            let ord = col.term_ords(a.doc_id).next()?;
            let mut s = String::new();
            col.ord_to_str(ord, &mut s).ok()?.then_some(s)
        });
        out.push(Copy {
            path: text(fields.path).unwrap_or_default(),
            url: text(fields.url),
            site,
            date: text(fields.day),
        });
    }
    out.sort_by(|a, b| {
        (a.date.is_none(), &a.date, &a.path).cmp(&(b.date.is_none(), &b.date, &b.path))
    });
    Ok(out)
}

/// Runs an inner collector over one page per story: the first page of each story met (in
/// any segment) is passed on, its copies are not. Totals and facets then count stories.
pub struct Stories<C> {
    inner: C,
    seen: Arc<Mutex<StorySet>>,
}

impl<C> Stories<C> {
    /// Wraps `inner`.
    pub fn new(inner: C) -> Stories<C> {
        Stories {
            inner,
            seen: Arc::default(),
        }
    }
}

/// [`Stories`] on one segment.
pub struct StoriesSegment<S> {
    inner: S,
    stories: Column<u64>,
    local: StorySet,
    seen: Arc<Mutex<StorySet>>,
}

impl<C: Collector> Collector for Stories<C> {
    type Fruit = C::Fruit;
    type Child = StoriesSegment<C::Child>;

    fn for_segment(
        &self,
        ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(StoriesSegment {
            inner: self.inner.for_segment(ord, reader)?,
            stories: story_column(reader)?,
            local: StorySet::default(),
            seen: self.seen.clone(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(
        &self,
        fruits: Vec<<C::Child as SegmentCollector>::Fruit>,
    ) -> tantivy::Result<C::Fruit> {
        self.inner.merge_fruits(fruits)
    }
}

impl<S: SegmentCollector> SegmentCollector for StoriesSegment<S> {
    type Fruit = S::Fruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        let first = match self.stories.first(doc) {
            // Seen in this segment: a copy. Otherwise the shared set decides.
            Some(story) => {
                self.local.insert(story) && self.seen.lock().expect("stories lock").insert(story)
            }
            None => true,
        };
        if first {
            self.inner.collect(doc, score);
        }
    }

    fn harvest(self) -> S::Fruit {
        self.inner.harvest()
    }
}

/// Counts matching stories up to a limit (the collapsed [`crate::counts::CountUpTo`]).
pub struct StoriesUpTo {
    limit: usize,
    /// Stories counted so far, and pages without a story id.
    seen: Mutex<(StorySet, usize)>,
}

impl StoriesUpTo {
    /// Counts up to `limit` stories.
    pub fn new(limit: usize) -> StoriesUpTo {
        StoriesUpTo {
            limit,
            seen: Mutex::default(),
        }
    }
}

impl Collector for StoriesUpTo {
    type Fruit = Total;
    type Child = crate::counts::NoSegmentCount;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        _: &SegmentReader,
    ) -> tantivy::Result<crate::counts::NoSegmentCount> {
        Ok(crate::counts::NoSegmentCount)
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Total> {
        let stories = story_column(reader)?;
        let mut scorer = weight.scorer(reader, 1.0)?;
        let alive = reader.alive_bitset();
        // The segment's stories are gathered without a lock (segments are searched in
        // parallel), then merged into the shared set in one go.
        let mut local = StorySet::default();
        let mut unclustered = 0;
        let mut exact = true;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                match stories.first(doc) {
                    Some(s) => {
                        local.insert(s);
                    }
                    None => unclustered += 1,
                }
                if local.len() + unclustered > self.limit {
                    exact = false;
                    break;
                }
            }
            doc = scorer.advance();
        }
        let mut seen = self.seen.lock().expect("stories lock");
        let mut count = unclustered;
        for s in local {
            if seen.0.insert(s) {
                count += 1;
            }
        }
        seen.1 += unclustered;
        if seen.0.len() + seen.1 > self.limit {
            exact = false;
        }
        Ok(Total { count, exact })
    }

    fn merge_fruits(&self, fruits: Vec<Total>) -> tantivy::Result<Total> {
        let mut total = Total::sum(fruits);
        if !total.exact {
            // As `CountUpTo`: "at least `limit`".
            total.count = total.count.min(self.limit);
        }
        Ok(total)
    }
}

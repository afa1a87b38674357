//! Collapsing hits by story: one hit per story cluster (see [`crate::cluster`]), with the
//! story's other pages listed as its copies, and totals and facets counting stories.
//!
//! The shown copy is the best-ranked one for the query (highest BM25 score, or newest with
//! `--sort date`): the copy that matched best is the one whose title and snippet explain the
//! hit (a retitled second edition matching a pasted headline, say), and it is what the
//! uncollapsed listing would have shown first. Copies are listed earliest-published first.
//!
//! Stories are ranked in one pass ([`TopStories`]): each segment keeps its best `k` stories
//! and the k-th best story's score is the bar a page must pass, so tantivy still skips
//! blocks with block-max WAND, even when the best pages are a thousand copies of one story.
//! A story's copies are found through its id's postings and ordered by the date column; only
//! the listed ones are read from the store.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use serde::Serialize;
use tantivy::collector::{Collector, Count, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{Query, Weight};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{
    DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TantivyDocument, Term,
    TERMINATED,
};

use crate::cluster::{KeyFilter, STORY};
use crate::counts::Total;
use crate::schema::Fields;
use crate::search::{Counting, ScoredDoc, SortBy};

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
///
/// One pass ranks stories, not pages ([`TopStories`]): relevance keeps tantivy's block-max
/// pruning, against the score of the k-th best *story*. Counting visits every match only
/// when asked to ([`Counting::Exact`]); otherwise it counts the stories of the first
/// `n` matching pages: in the ranking pass for a query tantivy scores page by page anyway
/// ([`FirstStories`]), in a short second walk for one it prunes ([`stories_up_to`]).
pub fn top_stories<C: Collector>(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    sort: SortBy,
    limit: usize,
    offset: usize,
    counting: Counting,
    extra: Option<C>,
) -> tantivy::Result<(Vec<ScoredDoc>, Total, Option<C::Fruit>)> {
    if limit == 0 {
        return Ok(match extra {
            None => (Vec::new(), searcher.search(query, &StoryCount)?, None),
            Some(extra) => {
                let (count, fruit) = searcher.search(query, &Stories::new((Count, extra)))?;
                (Vec::new(), Total { count, exact: true }, Some(fruit))
            }
        });
    }
    let top = TopStories::new(sort, offset + limit);
    let (ranked, total, fruit) = match (counting, extra) {
        (Counting::Exact, None) => {
            let (ranked, total) = searcher.search(query, &(top, StoryCount))?;
            (ranked, total, None)
        }
        (Counting::Exact, Some(extra)) => {
            let (ranked, (count, fruit)) =
                searcher.search(query, &(top, Stories::new((Count, extra))))?;
            (ranked, Total { count, exact: true }, Some(fruit))
        }
        // A query tantivy must score page by page anyway: its stories are counted in the
        // same pass (a second walk would repeat the matching, phrase checks and all).
        (Counting::UpTo(n), extra) if sort == SortBy::Date || !crate::search::prunable(query) => {
            match extra {
                None => {
                    let (ranked, total) = searcher.search(query, &(top, FirstStories(n)))?;
                    (ranked, total, None)
                }
                Some(extra) => {
                    let (ranked, total, fruit) =
                        searcher.search(query, &(top, FirstStories(n), extra))?;
                    (ranked, total, Some(fruit))
                }
            }
        }
        (counting, extra) => {
            let (ranked, fruit) = match extra {
                // Alone, the collector prunes (a tuple of collectors cannot).
                None => (searcher.search(query, &top)?, None),
                Some(extra) => {
                    let (ranked, fruit) = searcher.search(query, &(top, extra))?;
                    (ranked, Some(fruit))
                }
            };
            let total = match counting {
                Counting::UpTo(n) => stories_up_to(searcher, query, n)?,
                _ => Total {
                    count: 0,
                    exact: false,
                },
            };
            (ranked, total, fruit)
        }
    };
    let page = ranked.into_iter().skip(offset).take(limit).collect();
    Ok((page, total, fruit))
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
            // Only the hits: `all_count` is their number already.
            Counting::Skip,
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

/// The story column of a segment, opened once per segment for the life of the process
/// (see [`segment_columns`]).
pub fn story_column(reader: &SegmentReader) -> tantivy::Result<Column<u64>> {
    Ok(segment_columns(reader)?.story.clone())
}

/// The columns collapsing reads from a segment: the story id of every page, and the date
/// and site of a hit's copies (opened on first use).
pub struct SegmentColumns {
    story: Column<u64>,
    date: OnceLock<Column<tantivy::DateTime>>,
    site: OnceLock<Option<StrColumn>>,
    held: OnceLock<KeyFilter>,
    site_names: OnceLock<Vec<String>>,
}

/// A segment's sites are named from memory when it has at most this many (looking an
/// ordinal up in the column's dictionary decodes a block each time).
const NAMED_SITES: usize = 4_096;

impl SegmentColumns {
    /// The name of site ordinal `ord` of the segment's site column.
    fn site_name(&self, reader: &SegmentReader, ord: u64) -> tantivy::Result<Option<String>> {
        let Some(column) = self.site(reader)? else {
            return Ok(None);
        };
        if column.num_terms() > NAMED_SITES {
            let mut name = String::new();
            return Ok(column.ord_to_str(ord, &mut name)?.then_some(name));
        }
        let names = match self.site_names.get() {
            Some(names) => names,
            None => {
                let mut names = Vec::with_capacity(column.num_terms());
                let mut stream = column.dictionary().stream()?;
                while stream.advance() {
                    names.push(String::from_utf8_lossy(stream.key()).into_owned());
                }
                self.site_names.get_or_init(|| names)
            }
        };
        Ok(usize::try_from(ord)
            .ok()
            .and_then(|i| names.get(i))
            .cloned())
    }

    /// Which stories the segment may hold, built on first use: finding a hit's copies looks
    /// its story up in every segment, and most segments hold none of it. Built from the story
    /// column, decoded in runs (which page holds which story does not matter here): reading
    /// the story terms instead took 130 ms per million pages.
    fn held(&self) -> &KeyFilter {
        self.held.get_or_init(|| {
            let values = &self.story.values;
            // Story ids are hashes of paths already.
            let mut filter = KeyFilter::of_hashes(values.num_vals() as usize);
            let mut run = vec![0u64; 4_096];
            let mut start = 0u32;
            while start < values.num_vals() {
                let len = (values.num_vals() - start).min(run.len() as u32) as usize;
                values.get_range(u64::from(start), &mut run[..len]);
                for &story in &run[..len] {
                    filter.insert(story);
                }
                start += len as u32;
            }
            filter
        })
    }

    fn date(&self, reader: &SegmentReader) -> tantivy::Result<&Column<tantivy::DateTime>> {
        if let Some(c) = self.date.get() {
            return Ok(c);
        }
        let c = reader.fast_fields().date("date")?;
        Ok(self.date.get_or_init(|| c))
    }

    fn site(&self, reader: &SegmentReader) -> tantivy::Result<Option<&StrColumn>> {
        if let Some(c) = self.site.get() {
            return Ok(c.as_ref());
        }
        let c = reader.fast_fields().str("site")?;
        Ok(self.site.get_or_init(|| c).as_ref())
    }
}

/// A segment's [`SegmentColumns`], opened once per segment for the life of the process.
///
/// Opening a fast-field column looks its name up in the segment's column dictionary and
/// parses its header: done for every segment by every collector and for every shown hit, it
/// cost more than the collapse itself. A segment's columns never change (deletes live in
/// the alive bitset), so they are kept by segment id; the cache is emptied when it holds
/// [`CACHED_SEGMENTS`] (segments merged away are forgotten that way).
pub fn segment_columns(reader: &SegmentReader) -> tantivy::Result<Arc<SegmentColumns>> {
    static CACHE: LazyLock<Mutex<HashMap<tantivy::index::SegmentId, Arc<SegmentColumns>>>> =
        LazyLock::new(Mutex::default);
    let id = reader.segment_id();
    if let Some(c) = CACHE.lock().expect("column cache lock").get(&id) {
        return Ok(Arc::clone(c));
    }
    let columns = Arc::new(SegmentColumns {
        story: reader.fast_fields().u64(STORY)?,
        date: OnceLock::new(),
        site: OnceLock::new(),
        held: OnceLock::new(),
        site_names: OnceLock::new(),
    });
    let mut cache = CACHE.lock().expect("column cache lock");
    if cache.len() >= CACHED_SEGMENTS {
        cache.clear();
    }
    cache.insert(id, Arc::clone(&columns));
    Ok(columns)
}

/// Segments whose columns [`segment_columns`] keeps open.
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

/// A collapsed hit's story beyond the hit itself: how many other pages, on which sites,
/// and the first of them in detail.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoryCopies {
    /// Every other page of the story.
    pub total: usize,
    /// The sites holding them, each once, earliest copy first (at most [`COPY_SITES`]).
    pub sites: Vec<String>,
    /// The earliest `list` of them (path, url, site, date).
    pub listed: Vec<Copy>,
}

/// A copy before it is read: (undated, date in seconds, address, site ordinal in its
/// segment).
type CopyRef = (bool, i64, DocAddress, Option<u64>);

/// Copies listed in full with each collapsed hit in JSON (`gazette search --json`,
/// `/api/search`) unless asked otherwise; the terminal listing shows only their number and
/// sites.
pub const LISTED_COPIES: usize = 10;

/// Sites named with a collapsed hit ("also on 40 other pages: a, b, c …").
pub const COPY_SITES: usize = 10;

/// The other pages of the story of each document of `hits`, earliest first (undated last,
/// then in indexing order): all of them counted, their sites named, the first `list` read in
/// full.
///
/// Only the listed copies are read from the document store (a few microseconds each, as
/// much as the rest of a search when a story has a hundred copies); the count, the order
/// (the `date` column) and the sites (the `site` column) come from postings and columns.
/// All hits are looked up together, segment by segment, so each segment's columns and
/// dictionary are opened once per search; a segment's [`KeyFilter`] of story ids skips the dictionary
/// for the stories it does not hold.
pub fn copies(
    searcher: &tantivy::Searcher,
    fields: &Fields,
    hits: &[DocAddress],
    list: usize,
) -> tantivy::Result<Vec<StoryCopies>> {
    if hits.is_empty() {
        // No segment is visited for an index with no hit on the page (`gazette search`
        // over several indexes asks each).
        return Ok(Vec::new());
    }
    let mut ids = StoryIds::default();
    let stories = hits
        .iter()
        .map(|&a| ids.of(searcher, a))
        .collect::<tantivy::Result<Vec<Option<u64>>>>()?;
    // Per hit, its copies.
    let mut found: Vec<Vec<CopyRef>> = vec![Vec::new(); hits.len()];
    let readers = searcher.segment_readers();
    let columns = readers
        .iter()
        .map(segment_columns)
        .collect::<tantivy::Result<Vec<_>>>()?;
    for (ord, (segment, columns)) in readers.iter().zip(&columns).enumerate() {
        let held = columns.held();
        let mut inverted = None;
        for (i, story) in stories.iter().enumerate() {
            let Some(story) = *story else { continue };
            if !held.may_hold(story) {
                continue;
            }
            let inverted = match &inverted {
                Some(inv) => inv,
                None => inverted.insert(segment.inverted_index(fields.cluster.story)?),
            };
            // The story's postings read directly: a search (weight, scorer, collector) per
            // shown hit would cost more than the lookup itself.
            let term = Term::from_field_u64(fields.cluster.story, story);
            let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)?
            else {
                continue;
            };
            let dates = columns.date(segment)?;
            let sites = columns.site(segment)?;
            let alive = segment.alive_bitset();
            let mut doc = postings.doc();
            while doc != TERMINATED {
                let a = DocAddress::new(ord as u32, doc);
                if alive.is_none_or(|s| s.is_alive(doc)) && a != hits[i] {
                    let date = dates.first(doc).map(|d| d.into_timestamp_secs());
                    let site = sites.and_then(|c| c.term_ords(doc).next());
                    found[i].push((date.is_none(), date.unwrap_or(0), a, site));
                }
                doc = postings.advance();
            }
        }
    }
    // Sites are compared by ordinal (integers) and named from the segment's list.
    let name_of = |a: DocAddress, ord: u64| -> tantivy::Result<Option<String>> {
        let seg = a.segment_ord as usize;
        columns[seg].site_name(&readers[seg], ord)
    };
    let mut out = Vec::with_capacity(hits.len());
    for mut pages in found {
        pages.sort_unstable_by_key(|&(undated, date, a, _)| {
            (undated, date, a.segment_ord, a.doc_id)
        });
        let mut sites: Vec<String> = Vec::new();
        let mut met: Vec<(u32, u64)> = Vec::new();
        for &(_, _, a, site) in &pages {
            if sites.len() >= COPY_SITES {
                break;
            }
            let Some(ord) = site else { continue };
            if met.contains(&(a.segment_ord, ord)) {
                continue;
            }
            met.push((a.segment_ord, ord));
            if let Some(name) = name_of(a, ord)? {
                if !sites.contains(&name) {
                    sites.push(name);
                }
            }
        }
        let mut listed = Vec::with_capacity(list.min(pages.len()));
        for &(_, _, a, site) in pages.iter().take(list) {
            let doc: TantivyDocument = searcher.doc(a)?;
            let text = |f| doc.get_first(f).and_then(|v| v.as_str()).map(String::from);
            listed.push(Copy {
                path: text(fields.path).unwrap_or_default(),
                url: text(fields.url),
                site: site.map(|ord| name_of(a, ord)).transpose()?.flatten(),
                date: text(fields.day),
            });
        }
        out.push(StoryCopies {
            total: pages.len(),
            sites,
            listed,
        });
    }
    Ok(out)
}

/// Runs an inner collector over one page per story: the first page of each story met (in
/// any segment) is passed on, its copies are not. Totals and facets then count stories.
pub struct Stories<C> {
    inner: C,
    seen: Arc<SeenStories>,
}

impl<C> Stories<C> {
    /// Wraps `inner`.
    pub fn new(inner: C) -> Stories<C> {
        Stories {
            inner,
            seen: Arc::new(SeenStories(std::array::from_fn(|_| Mutex::default()))),
        }
    }
}

/// The stories met by any segment, in shards by the story id's top bits, so that threads
/// searching segments in parallel seldom wait for one another.
pub struct SeenStories([Mutex<StorySet>; 64]);

/// [`Stories`] on one segment.
pub struct StoriesSegment<S> {
    inner: S,
    stories: Column<u64>,
    seen: Arc<SeenStories>,
    /// Pages met and not yet decided: (page, score, story).
    batch: Vec<(DocId, Score, Option<u64>)>,
    /// Per page of the batch, whether it is the first of its story met.
    first: Vec<bool>,
    /// The batch's pages with a story, grouped by shard of [`SeenStories`].
    by_shard: Vec<u32>,
}

/// Pages a [`StoriesSegment`] decides together: each shard of the shared set is locked once
/// per batch, not once per page (a word matching 40,000 pages spent most of its collapse
/// time taking locks). Small in tests, so that they decide many batches.
const STORY_BATCH: usize = if cfg!(test) { 16 } else { 4_096 };

impl<S: SegmentCollector> StoriesSegment<S> {
    /// Decides the batch's pages (the first page of a story met in any segment is passed on,
    /// its copies are not) and empties it.
    fn decide(&mut self) {
        let shard = |story: u64| (story >> 58) as usize;
        // starts[s]..starts[s + 1]: where shard s's pages go in `by_shard`.
        let mut starts = [0u32; 65];
        for &(_, _, story) in &self.batch {
            if let Some(story) = story {
                starts[shard(story) + 1] += 1;
            }
        }
        let mut sum = 0;
        for start in &mut starts {
            sum += *start;
            *start = sum;
        }
        // Grouped by shard, each group in page order (a counting sort).
        self.by_shard.clear();
        self.by_shard.resize(starts[64] as usize, 0);
        let mut next = starts;
        for (i, &(_, _, story)) in self.batch.iter().enumerate() {
            if let Some(story) = story {
                let at = &mut next[shard(story)];
                self.by_shard[*at as usize] = i as u32;
                *at += 1;
            }
        }
        self.first.clear();
        // A page with no story id stands for itself.
        self.first.extend(self.batch.iter().map(|b| b.2.is_none()));
        for s in 0..64 {
            let group = &self.by_shard[starts[s] as usize..starts[s + 1] as usize];
            if group.is_empty() {
                continue;
            }
            let mut seen = self.seen.0[s].lock().expect("stories lock");
            for &i in group {
                if let Some(story) = self.batch[i as usize].2 {
                    self.first[i as usize] = seen.insert(story);
                }
            }
        }
        for (&(doc, score, _), &first) in self.batch.iter().zip(&self.first) {
            if first {
                self.inner.collect(doc, score);
            }
        }
        self.batch.clear();
    }
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
            seen: self.seen.clone(),
            batch: Vec::new(),
            first: Vec::new(),
            by_shard: Vec::new(),
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
        self.batch.push((doc, score, self.stories.first(doc)));
        if self.batch.len() >= STORY_BATCH {
            self.decide();
        }
    }

    fn harvest(mut self) -> S::Fruit {
        self.decide();
        self.inner.harvest()
    }
}

/// Counts the stories among the first `limit` matching pages in index order (the collapsed
/// [`crate::counts::CountUpTo`]): the walk stops where the uncollapsed count stops, so a
/// common word costs about the same either way. The count is exact when every match was
/// walked; otherwise it is "at least this many stories".
///
/// The segments are walked one after the other on the calling thread: a walk of a thousand
/// pages costs less than handing sixteen segments to the search threads, and the pages
/// walked (so the count) do not depend on which thread finished first.
pub fn stories_up_to(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    limit: usize,
) -> tantivy::Result<Total> {
    let weight = query.weight(tantivy::query::EnableScoring::disabled_from_searcher(
        searcher,
    ))?;
    let mut found = SegmentStories::new(limit.min(1 << 16));
    let mut walked = 0;
    for reader in searcher.segment_readers() {
        let stories = story_column(reader)?;
        let mut scorer = weight.scorer(reader, 1.0)?;
        let alive = reader.alive_bitset();
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                if walked == limit {
                    found.exact = false;
                    return Ok(SegmentStories::total(vec![found]));
                }
                walked += 1;
                found.add(stories.first(doc));
            }
            doc = scorer.advance();
        }
    }
    Ok(SegmentStories::total(vec![found]))
}

/// [`stories_up_to`] in the pass that ranks the hits: each segment notes the story ids of
/// its first `n` matching pages, and the merge counts the stories among the first `n` pages
/// in index order, as the walk does (the same count, whichever thread ran which segment).
pub struct FirstStories(pub usize);

/// [`FirstStories`] on one segment: the first matching pages' numbers (their stories are
/// read in the merge, only for the pages that count).
pub struct FirstStoriesSegment {
    limit: usize,
    stories: Column<u64>,
    first: Vec<DocId>,
    pages: usize,
}

impl SegmentCollector for FirstStoriesSegment {
    type Fruit = (Vec<DocId>, usize, Column<u64>);

    fn collect(&mut self, doc: DocId, _: Score) {
        if self.first.len() < self.limit {
            self.first.push(doc);
        }
        self.pages += 1;
    }

    fn harvest(self) -> (Vec<DocId>, usize, Column<u64>) {
        (self.first, self.pages, self.stories)
    }
}

impl Collector for FirstStories {
    type Fruit = Total;
    type Child = FirstStoriesSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(FirstStoriesSegment {
            limit: self.0,
            stories: story_column(reader)?,
            first: Vec::new(),
            pages: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(Vec<DocId>, usize, Column<u64>)>,
    ) -> tantivy::Result<Total> {
        // Fruits come in segment order.
        let pages: usize = fruits.iter().map(|(_, p, _)| p).sum();
        let mut found = SegmentStories::new(pages.min(self.0));
        let mut left = self.0;
        for (first, _, stories) in &fruits {
            for &doc in first.iter().take(left) {
                found.add(stories.first(doc));
            }
            left -= first.len().min(left);
        }
        found.exact = pages <= self.0;
        Ok(SegmentStories::total(vec![found]))
    }
}

/// The stories of one segment's matches: ids, pages without one, and whether every match
/// was seen.
pub struct SegmentStories {
    ids: StorySet,
    unclustered: usize,
    exact: bool,
}

impl SegmentStories {
    fn new(capacity: usize) -> SegmentStories {
        SegmentStories {
            ids: StorySet::with_capacity_and_hasher(capacity, Default::default()),
            unclustered: 0,
            exact: true,
        }
    }

    fn add(&mut self, story: Option<u64>) {
        match story {
            Some(s) => {
                self.ids.insert(s);
            }
            None => self.unclustered += 1,
        }
    }

    /// The number of distinct stories over all segments: the sets are merged into the
    /// largest one (a story met in two segments counts once).
    fn total(parts: Vec<SegmentStories>) -> Total {
        let exact = parts.iter().all(|p| p.exact);
        let unclustered: usize = parts.iter().map(|p| p.unclustered).sum();
        let mut sets: Vec<StorySet> = parts.into_iter().map(|p| p.ids).collect();
        sets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let mut sets = sets.into_iter();
        let mut all = sets.next().unwrap_or_default();
        for set in sets {
            all.extend(set);
        }
        Total {
            count: all.len() + unclustered,
            exact,
        }
    }
}

/// Counts every matching story exactly: each segment gathers its own set without a lock
/// (segments are searched in parallel), merged once at the end. Cheaper than [`Stories`]
/// around [`Count`], which must decide page by page which page stands for its story.
pub struct StoryCount;

/// [`StoryCount`] on one segment.
pub struct StoriesOfSegment {
    stories: Column<u64>,
    found: SegmentStories,
}

impl StoriesOfSegment {
    fn new(reader: &SegmentReader) -> tantivy::Result<StoriesOfSegment> {
        Ok(StoriesOfSegment {
            stories: story_column(reader)?,
            // Room for a query matching one page in sixteen without growing (growing the
            // set cost more than filling it).
            found: SegmentStories::new((reader.max_doc() as usize / 16).min(256)),
        })
    }
}

impl SegmentCollector for StoriesOfSegment {
    type Fruit = SegmentStories;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.found.add(self.stories.first(doc));
    }

    fn harvest(self) -> SegmentStories {
        self.found
    }
}

impl Collector for StoryCount {
    type Fruit = Total;
    type Child = StoriesOfSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        StoriesOfSegment::new(reader)
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentStories>) -> tantivy::Result<Total> {
        Ok(SegmentStories::total(fruits))
    }
}

/// The best `k` stories, each with its best page: the collapsed [`tantivy::collector::TopDocs`].
///
/// Each segment keeps its `k` best stories (a story's rank is that of its best page, ties to
/// the earlier page); the k-th best story's score is the bar a page must pass, which lets
/// tantivy skip blocks of pages with block-max WAND as it does for plain top hits. A story
/// in the global top `k` is among the top `k` of the segment holding its best page, so
/// merging the segments' lists is exact.
pub struct TopStories {
    sort: SortBy,
    k: usize,
}

impl TopStories {
    /// The best `k` stories by `sort`.
    pub fn new(sort: SortBy, k: usize) -> TopStories {
        TopStories { sort, k }
    }
}

/// A candidate: a page standing for its story.
#[derive(Debug, Clone, Copy)]
pub struct Ranked {
    /// The sort key: the score, or the date in seconds (undated: lowest).
    key: f64,
    score: Option<Score>,
    story: Option<u64>,
    addr: DocAddress,
}

impl Ranked {
    /// Best first: higher key; equal keys, the earlier page.
    fn order(a: &Ranked, b: &Ranked) -> std::cmp::Ordering {
        b.key.total_cmp(&a.key).then_with(|| {
            (a.addr.segment_ord, a.addr.doc_id).cmp(&(b.addr.segment_ord, b.addr.doc_id))
        })
    }
}

/// Up to this many stories asked for, a segment's cut tells stories apart by scanning those
/// it keeps, cheaper than hashing.
const FEW_STORIES: usize = 32;

/// A page's date as a sort key (undated pages last).
fn date_key(date: Option<tantivy::DateTime>) -> f64 {
    date.map_or(f64::NEG_INFINITY, |d| d.into_timestamp_secs() as f64)
}

/// [`TopStories`] on one segment.
///
/// Pages above the bar go into a buffer, which is cut back to the `k` best stories when it
/// holds `2k` pages, as tantivy's `TopDocs` does with pages: a page entering costs a push,
/// not a search of the held stories, which matters when most pages pass the bar (newest first
/// over an archive indexed in date order).
pub struct TopStoriesSegment {
    k: usize,
    ord: SegmentOrdinal,
    stories: Column<u64>,
    dates: Option<Column<tantivy::DateTime>>,
    /// Pages above the bar, at most `2k`; after [`TopStoriesSegment::cut`], the best page of
    /// each of the `k` best stories, best first.
    held: Vec<Ranked>,
    /// The key a page must beat to enter: the k-th best story's, once `k` stories are held.
    bar: Option<f64>,
    /// The stories met in a cut (kept between cuts for its room).
    seen: StorySet,
    /// Dates of a block of pages (date order, block by block).
    block_dates: Vec<Option<tantivy::DateTime>>,
}

impl TopStoriesSegment {
    /// The key a page must beat to enter (`None` until `k` stories are held).
    fn bar(&self) -> Option<f64> {
        self.bar
    }

    fn offer(&mut self, doc: DocId, score: Score) {
        let key = match &self.dates {
            Some(dates) => date_key(dates.first(doc)),
            None => f64::from(score),
        };
        self.offer_keyed(doc, key, score);
    }

    /// Offers a block of live pages in date order, reading their dates in one call.
    fn offer_dated_block(&mut self, docs: &[DocId]) {
        let Some(dates) = &self.dates else {
            docs.iter().for_each(|&doc| self.offer(doc, 0.0));
            return;
        };
        let mut found = std::mem::take(&mut self.block_dates);
        found.clear();
        found.resize(docs.len(), None);
        dates.first_vals(docs, &mut found);
        for (&doc, &date) in docs.iter().zip(&found) {
            self.offer_keyed(doc, date_key(date), 0.0);
        }
        self.block_dates = found;
    }

    fn offer_keyed(&mut self, doc: DocId, key: f64, score: Score) {
        // Pages come in document order: an equal key never displaces a held page.
        if self.k == 0 || self.bar.is_some_and(|bar| key <= bar) {
            return;
        }
        self.held.push(Ranked {
            key,
            score: self.dates.is_none().then_some(score),
            story: self.stories.first(doc),
            addr: DocAddress::new(self.ord, doc),
        });
        if self.held.len() >= 2 * self.k {
            self.cut();
        }
    }

    /// Keeps the best page of each of the `k` best stories held, and raises the bar.
    fn cut(&mut self) {
        best_stories(&mut self.held, self.k, &mut self.seen);
        if self.held.len() == self.k {
            self.bar = self.held.last().map(|r| r.key);
        }
    }
}

/// Sorts `pages` best first and keeps the best page of each of the `k` best stories (a page
/// without a story stands for itself): a segment's cut and the merge of the segments' lists.
/// `seen` is room for telling more than [`FEW_STORIES`] stories apart.
fn best_stories(pages: &mut Vec<Ranked>, k: usize, seen: &mut StorySet) {
    pages.sort_unstable_by(Ranked::order);
    seen.clear();
    let mut kept = 0;
    for i in 0..pages.len() {
        if kept == k {
            break;
        }
        let page = pages[i];
        // A few stories are told apart by looking, more through the set.
        let new = match page.story {
            None => true,
            Some(s) if k <= FEW_STORIES => !pages[..kept].iter().any(|r| r.story == Some(s)),
            Some(s) => seen.insert(s),
        };
        if new {
            pages[kept] = page;
            kept += 1;
        }
    }
    pages.truncate(kept);
}

impl SegmentCollector for TopStoriesSegment {
    type Fruit = Vec<Ranked>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.offer(doc, score);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.offer_dated_block(docs);
    }

    fn harvest(mut self) -> Vec<Ranked> {
        self.cut();
        self.held
    }
}

impl Collector for TopStories {
    type Fruit = Vec<ScoredDoc>;
    type Child = TopStoriesSegment;

    fn for_segment(
        &self,
        ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let dates = match self.sort {
            SortBy::Date => Some(reader.fast_fields().date("date")?),
            SortBy::Relevance => None,
        };
        Ok(TopStoriesSegment {
            k: self.k,
            ord,
            stories: story_column(reader)?,
            dates,
            held: Vec::with_capacity((2 * self.k).min(2_048)),
            bar: None,
            seen: StorySet::with_capacity_and_hasher((2 * self.k).min(2_048), Default::default()),
            block_dates: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.sort == SortBy::Relevance
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Vec<Ranked>> {
        let mut top = self.for_segment(ord, reader)?;
        let alive = reader.alive_bitset();
        match self.sort {
            SortBy::Relevance => {
                weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        top.offer(doc, score);
                    }
                    top.bar().map_or(Score::MIN, |bar| bar as Score)
                })?;
            }
            SortBy::Date => {
                let mut live = Vec::new();
                weight.for_each_no_score(reader, &mut |docs| match alive {
                    None => top.offer_dated_block(docs),
                    Some(alive) => {
                        live.clear();
                        live.extend(docs.iter().copied().filter(|&d| alive.is_alive(d)));
                        top.offer_dated_block(&live);
                    }
                })?;
            }
        }
        Ok(top.harvest())
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Ranked>>) -> tantivy::Result<Vec<ScoredDoc>> {
        let mut all: Vec<Ranked> = fruits.into_iter().flatten().collect();
        best_stories(&mut all, self.k, &mut StorySet::default());
        Ok(all.into_iter().map(|r| (r.score, r.addr)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::TermQuery;
    use tantivy::schema::IndexRecordOption;

    /// A deterministic pseudo-random sequence (no test depends on a seed file).
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }
    }

    /// An index of `pages` pages over `stories` stories in several segments, some pages
    /// deleted: the word "tide" occurs 1–8 times in each page's body among 0–40 other
    /// words, so pages score differently, and some pages have no story id. Stories are drawn
    /// at random, or with `run` > 1 come in runs of `run` pages (copies indexed together) and
    /// every page has one.
    fn archive(pages: u64, stories: u64, seed: u64) -> (tantivy::Index, Fields) {
        archive_in_runs(pages, stories, seed, 1)
    }

    fn archive_in_runs(pages: u64, stories: u64, seed: u64, run: u64) -> (tantivy::Index, Fields) {
        let (schema, fields) = crate::schema::build();
        let index = tantivy::Index::create_in_ram(schema);
        crate::schema::register(&index);
        let mut writer: tantivy::IndexWriter<TantivyDocument> =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut rng = Lcg(seed);
        for p in 0..pages {
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.path, format!("p{p}.html"));
            doc.add_text(fields.site, format!("site{}.example", rng.next(4)));
            let words = (0..rng.next(8) + 1).map(|_| "tide").collect::<Vec<_>>();
            let filler = (0..rng.next(40)).map(|_| "harbour").collect::<Vec<_>>();
            doc.add_text(
                fields.body,
                format!("{} {}", words.join(" "), filler.join(" ")),
            );
            let day = rng.next(300) as i64;
            doc.add_date(
                fields.date,
                tantivy::DateTime::from_timestamp_secs(1_600_000_000 + day * 86_400),
            );
            doc.add_text(fields.day, format!("day{day:03}"));
            // Pages in runs all have a story (so that fewer stories than asked for can match).
            if rng.next(10) > 0 || run > 1 {
                // Story ids are hashes (of the first page's path) in the index.
                let drawn = if run > 1 {
                    (p / run) % stories
                } else {
                    rng.next(stories)
                };
                let story = (1 + drawn).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                doc.add_u64(fields.cluster.story, story);
            }
            writer.add_document(doc).unwrap();
            if p % 97 == 96 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        for p in (0..pages).step_by(13) {
            writer.delete_term(Term::from_field_text(fields.path, &format!("p{p}.html")));
        }
        writer.commit().unwrap();
        (index, fields)
    }

    /// Every matching page ranked by tantivy, then the first page of each story kept: what
    /// collapsing must return.
    fn collapsed_by_hand(
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        sort: SortBy,
        k: usize,
    ) -> Vec<(Option<u64>, Option<String>)> {
        let all = TopDocs::with_limit(searcher.num_docs() as usize);
        let ranked: Vec<(f64, DocAddress)> = match sort {
            SortBy::Relevance => searcher
                .search(query, &all.order_by_score())
                .unwrap()
                .into_iter()
                .map(|(s, a)| (f64::from(s), a))
                .collect(),
            SortBy::Date => {
                let by = all.order_by_fast_field::<tantivy::DateTime>("date", tantivy::Order::Desc);
                searcher
                    .search(query, &by)
                    .unwrap()
                    .into_iter()
                    .map(|(d, a)| {
                        (
                            d.map_or(f64::NEG_INFINITY, |d| d.into_timestamp_secs() as f64),
                            a,
                        )
                    })
                    .collect()
            }
        };
        let mut seen = StorySet::default();
        let mut ids = StoryIds::default();
        let mut out = Vec::new();
        for (key, addr) in ranked {
            let story = ids.of(searcher, addr).unwrap();
            if story.is_none_or(|s| seen.insert(s)) {
                out.push((story, Some(format!("{key:.4}"))));
            }
        }
        out.truncate(k);
        out
    }

    fn described(
        searcher: &tantivy::Searcher,
        sort: SortBy,
        hits: &[ScoredDoc],
    ) -> Vec<(Option<u64>, Option<String>)> {
        let mut ids = StoryIds::default();
        hits.iter()
            .map(|&(score, addr)| {
                let key = match sort {
                    SortBy::Relevance => f64::from(score.unwrap()),
                    SortBy::Date => {
                        let reader = searcher.segment_reader(addr.segment_ord);
                        let dates = reader.fast_fields().date("date").unwrap();
                        dates.first(addr.doc_id).unwrap().into_timestamp_secs() as f64
                    }
                };
                (ids.of(searcher, addr).unwrap(), Some(format!("{key:.4}")))
            })
            .collect()
    }

    #[test]
    fn top_stories_equal_the_full_ranking_collapsed() {
        for (seed, stories, run) in [(1, 5, 1), (2, 40, 1), (3, 400, 1), (4, 30, 12), (5, 8, 12)] {
            let (index, fields) = archive_in_runs(700, stories, seed, run);
            let searcher = index.reader().unwrap().searcher();
            assert!(searcher.segment_readers().len() > 3);
            let query = TermQuery::new(
                Term::from_field_text(fields.body, "tide"),
                IndexRecordOption::WithFreqs,
            );
            for sort in [SortBy::Relevance, SortBy::Date] {
                for k in [1, 3, 10, 50] {
                    let want = collapsed_by_hand(&searcher, &query, sort, k);
                    // Alone (the pruning path) and beside another collector (page by page).
                    let alone = searcher.search(&query, &TopStories::new(sort, k)).unwrap();
                    let (paired, _) = searcher
                        .search(&query, &(TopStories::new(sort, k), Count))
                        .unwrap();
                    let what =
                        format!("seed {seed}, {stories} stories in runs of {run}, {sort:?}, k {k}");
                    assert_eq!(described(&searcher, sort, &alone), want, "{what}");
                    assert_eq!(described(&searcher, sort, &paired), want, "{what}");
                }
            }
        }
    }

    /// A story met after the segment's buffer was first cut back still enters while fewer
    /// stories than asked for are held: the bar only rises once `k` stories are held.
    #[test]
    fn a_weak_story_after_many_copies_of_a_strong_one_is_kept() {
        let (schema, fields) = crate::schema::build();
        let index = tantivy::Index::create_in_ram(schema);
        crate::schema::register(&index);
        let mut writer: tantivy::IndexWriter<TantivyDocument> =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        // Eight copies of a strong, recent story, then one weak, older page of another.
        let pages = (0..8).map(|_| (1u64, 8, 200)).chain([(2u64, 1, 100)]);
        for (p, (story, tides, day)) in pages.enumerate() {
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.path, format!("p{p}.html"));
            let words = vec!["tide"; tides].join(" ");
            doc.add_text(fields.body, format!("{words} harbour harbour harbour"));
            doc.add_date(
                fields.date,
                tantivy::DateTime::from_timestamp_secs(1_600_000_000 + day * 86_400),
            );
            doc.add_u64(fields.cluster.story, story);
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        let query = TermQuery::new(
            Term::from_field_text(fields.body, "tide"),
            IndexRecordOption::WithFreqs,
        );
        for sort in [SortBy::Relevance, SortBy::Date] {
            let top = searcher.search(&query, &TopStories::new(sort, 2)).unwrap();
            let paths: Vec<String> = top
                .iter()
                .map(|&(_, addr)| {
                    let doc: TantivyDocument = searcher.doc(addr).unwrap();
                    doc.get_first(fields.path)
                        .unwrap()
                        .as_str()
                        .unwrap()
                        .to_string()
                })
                .collect();
            assert_eq!(paths, ["p0.html", "p8.html"], "{sort:?}");
        }
    }

    #[test]
    fn story_counts_are_exact_or_a_stated_lower_bound() {
        let (index, fields) = archive(700, 60, 7);
        let searcher = index.reader().unwrap().searcher();
        let query = TermQuery::new(
            Term::from_field_text(fields.body, "tide"),
            IndexRecordOption::WithFreqs,
        );
        let by_hand = collapsed_by_hand(&searcher, &query, SortBy::Relevance, usize::MAX).len();
        let exact = searcher.search(&query, &StoryCount).unwrap();
        assert_eq!(
            exact,
            Total {
                count: by_hand,
                exact: true
            }
        );
        let stories_counted = searcher.search(&query, &Stories::new(Count)).unwrap();
        assert_eq!(stories_counted, by_hand);
        assert_eq!(
            stories_up_to(&searcher, &query, 10_000).unwrap(),
            Total {
                count: by_hand,
                exact: true
            }
        );
        // Stopped after 100 pages: at most 100 stories, the same ones every time.
        let bounded = stories_up_to(&searcher, &query, 100).unwrap();
        assert!(!bounded.exact);
        assert!(
            bounded.count <= 100 && bounded.count < by_hand,
            "{bounded:?}"
        );
        assert_eq!(stories_up_to(&searcher, &query, 100).unwrap(), bounded);
        // Counted in the ranking pass, segment by segment in parallel: the same figures.
        for limit in [100, 10_000] {
            assert_eq!(
                searcher.search(&query, &FirstStories(limit)).unwrap(),
                stories_up_to(&searcher, &query, limit).unwrap(),
                "{limit}"
            );
        }
    }

    #[test]
    fn story_filters_never_miss_a_story_and_rarely_claim_one() {
        let (index, _) = archive(700, 100_000, 5);
        let searcher = index.reader().unwrap().searcher();
        let mut held = 0;
        let mut absent = 0;
        let mut claimed = 0;
        for segment in searcher.segment_readers() {
            let stories = story_column(segment).unwrap();
            let columns = segment_columns(segment).unwrap();
            let filter = columns.held();
            let present: StorySet = (0..segment.max_doc())
                .filter_map(|d| stories.first(d))
                .collect();
            for &s in &present {
                assert!(filter.may_hold(s), "story {s} missed");
                held += 1;
            }
            let mut rng = Lcg(99);
            for _ in 0..2_000 {
                let s = rng.next(u64::MAX).wrapping_mul(0xD1B5_4A32_D192_ED03);
                if !present.contains(&s) {
                    absent += 1;
                    claimed += usize::from(filter.may_hold(s));
                }
            }
        }
        assert!(held > 500);
        assert!(
            claimed * 20 < absent,
            "{claimed} of {absent} absent ids claimed"
        );
    }

    #[test]
    fn copies_count_every_page_and_list_the_earliest() {
        let (index, fields) = archive(700, 5, 11);
        let searcher = index.reader().unwrap().searcher();
        // An alive page with a story id (page 0 is deleted).
        let first = (1..50)
            .map(|d| DocAddress::new(0, d))
            .find(|a| {
                !searcher.segment_reader(0).is_deleted(a.doc_id)
                    && StoryIds::default().of(&searcher, *a).unwrap().is_some()
            })
            .unwrap();
        let story = StoryIds::default().of(&searcher, first).unwrap().unwrap();
        let query = TermQuery::new(
            Term::from_field_u64(fields.cluster.story, story),
            IndexRecordOption::Basic,
        );
        let pages = searcher.search(&query, &Count).unwrap();
        let found = copies(&searcher, &fields, &[first], 3).unwrap().remove(0);
        assert_eq!(
            found.total,
            pages - 1,
            "every other alive page of the story"
        );
        assert_eq!(found.listed.len(), 3);
        let days: Vec<&str> = found
            .listed
            .iter()
            .map(|c| c.date.as_deref().unwrap())
            .collect();
        let mut sorted = days.clone();
        sorted.sort();
        assert_eq!(days, sorted, "earliest first");
        // The earliest listed copy is the earliest page of the story.
        let all = copies(&searcher, &fields, &[first], usize::MAX)
            .unwrap()
            .remove(0);
        assert_eq!(all.total, found.total);
        assert_eq!(all.listed.len(), all.total);
        assert_eq!(all.listed[..3], found.listed[..]);
        let mut sites: Vec<&String> = all.listed.iter().filter_map(|c| c.site.as_ref()).collect();
        sites.dedup();
        assert!(found.sites.len() <= 4 && !found.sites.is_empty());
        assert_eq!(&found.sites[0], sites[0]);
        let none = copies(&searcher, &fields, &[first], 0).unwrap().remove(0);
        assert_eq!(
            (none.total, none.listed.len(), &none.sites),
            (found.total, 0, &found.sites)
        );
    }
}

//! Counting collectors: facet counts from fast fields (how many matching stories per section,
//! person and year) and a total that stops counting at a threshold.
//!
//! tantivy's `FacetCollector` walks the whole facet dictionary for every query, which costs
//! tens of milliseconds once an archive names tens of thousands of people. These collectors
//! instead count the columnar values of the matching documents only (work proportional to the
//! hits), and turn ordinals into strings once per distinct value at the end.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::Weight;
use tantivy::{DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED};

/// Counts the values of a (possibly multi-valued) text fast field over the matching documents.
pub struct StrCounts {
    field: String,
}

impl StrCounts {
    /// Counts values of `field`, which must be a text field with a fast (columnar) index.
    pub fn new(field: &str) -> StrCounts {
        StrCounts {
            field: field.to_string(),
        }
    }
}

/// Per-segment state of [`StrCounts`].
pub struct SegmentStrCounts {
    column: Option<StrColumn>,
    counts: OrdCounts,
}

/// Counts by small integer key (a term ordinal, a year minus the segment's first year): an
/// array when the keys' range is small enough to allocate per query, else a hash map. Facet
/// counting adds one per matching document and value, so this is its inner loop.
enum OrdCounts {
    Dense(Vec<u32>),
    Sparse(HashMap<u64, u64>),
}

/// Largest key range counted in an array (256 KB of counters, read once at the end).
const DENSE_KEYS: u64 = 1 << 16;

impl OrdCounts {
    fn for_range(keys: u64) -> OrdCounts {
        if keys <= DENSE_KEYS {
            OrdCounts::Dense(vec![0; keys as usize])
        } else {
            OrdCounts::Sparse(HashMap::new())
        }
    }

    fn add(&mut self, key: u64) {
        match self {
            OrdCounts::Dense(v) => match v.get_mut(key as usize) {
                Some(n) => *n += 1,
                None => {
                    // A key outside the announced range: keep counting, sparsely.
                    let mut map: HashMap<u64, u64> = dense_pairs(v).collect();
                    *map.entry(key).or_insert(0) += 1;
                    *self = OrdCounts::Sparse(map);
                }
            },
            OrdCounts::Sparse(m) => *m.entry(key).or_insert(0) += 1,
        }
    }

    /// (key, count) pairs with a count, by key.
    fn into_sorted(self) -> Vec<(u64, u64)> {
        match self {
            OrdCounts::Dense(v) => dense_pairs(&v).collect(),
            OrdCounts::Sparse(m) => {
                let mut v: Vec<(u64, u64)> = m.into_iter().collect();
                v.sort_unstable();
                v
            }
        }
    }
}

fn dense_pairs(v: &[u32]) -> impl Iterator<Item = (u64, u64)> + '_ {
    v.iter()
        .enumerate()
        .filter(|(_, &n)| n > 0)
        .map(|(k, &n)| (k as u64, u64::from(n)))
}

impl Collector for StrCounts {
    type Fruit = HashMap<String, u64>;
    type Child = SegmentStrCounts;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentStrCounts> {
        let column = segment.fast_fields().str(&self.field)?;
        let terms = column
            .as_ref()
            .map_or(0, |c| c.dictionary().num_terms() as u64);
        Ok(SegmentStrCounts {
            column,
            counts: OrdCounts::for_range(terms),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<HashMap<String, u64>>,
    ) -> tantivy::Result<HashMap<String, u64>> {
        Ok(merge(fruits))
    }
}

impl SegmentCollector for SegmentStrCounts {
    type Fruit = HashMap<String, u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(column) = &self.column {
            for ord in column.term_ords(doc) {
                self.counts.add(ord);
            }
        }
    }

    fn harvest(self) -> HashMap<String, u64> {
        let Some(column) = self.column else {
            return HashMap::new();
        };
        // Looking ordinals up one by one decompresses a dictionary block each time; sorted,
        // they stream through the dictionary once.
        let counted = self.counts.into_sorted();
        let ords: Vec<u64> = counted.iter().map(|(o, _)| *o).collect();
        let mut names = Vec::with_capacity(ords.len());
        let resolved = column
            .dictionary()
            .sorted_ords_to_term_cb(&ords, |bytes| {
                names.push(String::from_utf8_lossy(bytes).into_owned())
            })
            .unwrap_or(false);
        if !resolved || names.len() != counted.len() {
            return HashMap::new();
        }
        let mut out = HashMap::with_capacity(names.len());
        for (name, (_, n)) in names.into_iter().zip(counted) {
            *out.entry(name).or_insert(0) += n;
        }
        out
    }
}

/// Counts the values of a u64 fast field (the publication year) over the matching documents.
pub struct U64Counts {
    field: String,
}

impl U64Counts {
    /// Counts values of the u64 fast field `field`.
    pub fn new(field: &str) -> U64Counts {
        U64Counts {
            field: field.to_string(),
        }
    }
}

/// Per-segment state of [`U64Counts`].
pub struct SegmentU64Counts {
    column: Column<u64>,
    /// The column's smallest value: counts are kept by value minus this.
    base: u64,
    counts: OrdCounts,
}

impl Collector for U64Counts {
    type Fruit = HashMap<u64, u64>;
    type Child = SegmentU64Counts;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentU64Counts> {
        let column = segment.fast_fields().u64(&self.field)?;
        let (base, max) = (column.min_value(), column.max_value());
        Ok(SegmentU64Counts {
            column,
            base,
            counts: OrdCounts::for_range(max.saturating_sub(base).saturating_add(1)),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<HashMap<u64, u64>>) -> tantivy::Result<HashMap<u64, u64>> {
        Ok(merge(fruits))
    }
}

impl SegmentCollector for SegmentU64Counts {
    type Fruit = HashMap<u64, u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        for v in self.column.values_for_doc(doc) {
            self.counts.add(v.wrapping_sub(self.base));
        }
    }

    fn harvest(self) -> HashMap<u64, u64> {
        let base = self.base;
        self.counts
            .into_sorted()
            .into_iter()
            .map(|(k, n)| (k.wrapping_add(base), n))
            .collect()
    }
}

/// Sums per-segment counts.
fn merge<K: std::hash::Hash + Eq>(fruits: Vec<HashMap<K, u64>>) -> HashMap<K, u64> {
    let mut merged = HashMap::new();
    for fruit in fruits {
        for (k, v) in fruit {
            *merged.entry(k).or_insert(0) += v;
        }
    }
    merged
}

/// Counts matching documents, stopping once `limit` are found.
///
/// An exact total makes tantivy visit every match, which also turns off its block-max WAND
/// pruning of the top hits: on a million pages, "said" costs 10 ms where the ten best cost
/// well under one. Like Lucene and Elasticsearch, such searches count exactly up to a threshold
/// and report "more than" beyond it; `--exact-total` and facets count everything.
pub struct CountUpTo {
    limit: usize,
    found: AtomicUsize,
}

impl CountUpTo {
    /// Counts up to `limit` matches.
    pub fn new(limit: usize) -> CountUpTo {
        CountUpTo {
            limit,
            found: AtomicUsize::new(0),
        }
    }
}

/// The count of matches, and whether it is all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Total {
    /// Matches counted.
    pub count: usize,
    /// False when counting stopped at the limit (there may be more).
    pub exact: bool,
}

impl Total {
    /// The totals of several segments: counts add up, exact only if every one is.
    pub fn sum(parts: Vec<Total>) -> Total {
        Total {
            count: parts.iter().map(|t| t.count).sum(),
            exact: parts.iter().all(|t| t.exact),
        }
    }
}

impl Collector for CountUpTo {
    type Fruit = Total;
    type Child = NoSegmentCount;

    fn for_segment(&self, _: SegmentOrdinal, _: &SegmentReader) -> tantivy::Result<NoSegmentCount> {
        Ok(NoSegmentCount)
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
        // The matches of this segment, one by one, until the shared budget runs out.
        let mut scorer = weight.scorer(reader, 1.0)?;
        let alive = reader.alive_bitset();
        let mut doc = scorer.doc();
        let mut count = 0;
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                if self.found.fetch_add(1, Ordering::Relaxed) >= self.limit {
                    return Ok(Total {
                        count,
                        exact: false,
                    });
                }
                count += 1;
            }
            doc = scorer.advance();
        }
        Ok(Total { count, exact: true })
    }

    fn merge_fruits(&self, fruits: Vec<Total>) -> tantivy::Result<Total> {
        Ok(Total::sum(fruits))
    }
}

/// [`CountUpTo`] counts in `collect_segment`; tantivy still asks for a segment collector.
pub struct NoSegmentCount;

impl SegmentCollector for NoSegmentCount {
    type Fruit = Total;

    fn collect(&mut self, _: DocId, _: Score) {}

    fn harvest(self) -> Total {
        Total {
            count: 0,
            exact: true,
        }
    }
}

/// The collectors behind `--facets`: counts by section, person and publication year.
pub fn facet_collectors() -> (StrCounts, StrCounts, U64Counts) {
    (
        StrCounts::new("section"),
        StrCounts::new("people"),
        U64Counts::new("year"),
    )
}

/// The `k` largest counts, ties broken by name so output is stable.
pub fn top_k<K: Ord + Clone>(counts: HashMap<K, u64>, k: usize) -> Vec<(K, u64)> {
    let mut v: Vec<(K, u64)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(k);
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::Count;
    use tantivy::query::{AllQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, STRING};
    use tantivy::{doc, Index, IndexWriter, Term};

    /// An in-memory index of `n` documents in two segments, every third one tagged "x".
    fn tagged_index(n: usize) -> (Index, tantivy::schema::Field) {
        let mut b = Schema::builder();
        let tag = b.add_text_field("tag", STRING);
        let index = Index::create_in_ram(b.build());
        let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..n {
            w.add_document(doc!(tag => if i % 3 == 0 { "x" } else { "y" }))
                .unwrap();
            if i == n / 2 {
                w.commit().unwrap();
            }
        }
        w.commit().unwrap();
        (index, tag)
    }

    #[test]
    fn count_up_to_stops_at_the_limit_and_says_so() {
        let (index, tag) = tagged_index(300);
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() >= 2);
        let all = searcher.search(&AllQuery, &Count).unwrap();
        assert_eq!(all, 300);
        let capped = searcher.search(&AllQuery, &CountUpTo::new(120)).unwrap();
        assert_eq!(
            capped,
            Total {
                count: 120,
                exact: false
            }
        );
        let whole = searcher.search(&AllQuery, &CountUpTo::new(1000)).unwrap();
        assert_eq!(
            whole,
            Total {
                count: 300,
                exact: true
            }
        );
        // Exactly the limit: every match counted, nothing more to find.
        let x = TermQuery::new(Term::from_field_text(tag, "x"), IndexRecordOption::Basic);
        let exact = searcher.search(&x, &CountUpTo::new(100)).unwrap();
        assert_eq!(
            exact,
            Total {
                count: 100,
                exact: true
            }
        );
    }

    #[test]
    fn ord_counts_agree_dense_sparse_and_out_of_range() {
        let keys = [3u64, 0, 3, 9, 3, 0];
        let mut dense = OrdCounts::for_range(10);
        let mut sparse = OrdCounts::for_range(DENSE_KEYS + 1);
        let mut spilled = OrdCounts::for_range(2);
        for k in keys {
            dense.add(k);
            sparse.add(k);
            spilled.add(k);
        }
        assert!(matches!(dense, OrdCounts::Dense(_)));
        assert!(matches!(sparse, OrdCounts::Sparse(_)));
        assert!(
            matches!(spilled, OrdCounts::Sparse(_)),
            "a key past the range spills"
        );
        let expected = vec![(0, 2), (3, 3), (9, 1)];
        assert_eq!(dense.into_sorted(), expected);
        assert_eq!(sparse.into_sorted(), expected);
        assert_eq!(spilled.into_sorted(), expected);
    }

    #[test]
    fn count_up_to_skips_deleted_documents() {
        let (index, tag) = tagged_index(90);
        let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        w.delete_term(Term::from_field_text(tag, "y"));
        w.commit().unwrap();
        let reader = index.reader().unwrap();
        reader.reload().unwrap();
        let total = reader
            .searcher()
            .search(&AllQuery, &CountUpTo::new(1000))
            .unwrap();
        assert_eq!(
            total,
            Total {
                count: 30,
                exact: true
            }
        );
    }

    #[test]
    fn top_k_is_stable() {
        let counts: HashMap<String, u64> = [("b", 2), ("a", 2), ("c", 5), ("d", 1)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        assert_eq!(
            top_k(counts, 3),
            vec![
                ("c".to_string(), 5),
                ("a".to_string(), 2),
                ("b".to_string(), 2)
            ]
        );
    }
}

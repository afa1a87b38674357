//! Facet counts from fast fields: how many matching stories per section, person and year.
//!
//! tantivy's `FacetCollector` walks the whole facet dictionary for every query, which costs
//! tens of milliseconds once an archive names tens of thousands of people. These collectors
//! instead count the columnar values of the matching documents only (work proportional to the
//! hits), and turn ordinals into strings once per distinct value at the end.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

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
    counts: HashMap<u64, u64>,
}

impl Collector for StrCounts {
    type Fruit = HashMap<String, u64>;
    type Child = SegmentStrCounts;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentStrCounts> {
        Ok(SegmentStrCounts {
            column: segment.fast_fields().str(&self.field)?,
            counts: HashMap::new(),
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
                *self.counts.entry(ord).or_insert(0) += 1;
            }
        }
    }

    fn harvest(self) -> HashMap<String, u64> {
        let Some(column) = self.column else {
            return HashMap::new();
        };
        // Looking ordinals up one by one decompresses a dictionary block each time; sorted,
        // they stream through the dictionary once.
        let mut counted: Vec<(u64, u64)> = self.counts.into_iter().collect();
        counted.sort_unstable();
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
    counts: HashMap<u64, u64>,
}

impl Collector for U64Counts {
    type Fruit = HashMap<u64, u64>;
    type Child = SegmentU64Counts;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentU64Counts> {
        Ok(SegmentU64Counts {
            column: segment.fast_fields().u64(&self.field)?,
            counts: HashMap::new(),
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
            *self.counts.entry(v).or_insert(0) += 1;
        }
    }

    fn harvest(self) -> HashMap<u64, u64> {
        self.counts
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

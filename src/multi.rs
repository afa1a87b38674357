//! Several indexes searched as one: `gazette search --index 2019 --index 2020 …`.
//!
//! Per-year or per-collection indexes are easier to build, copy and drop than one large index,
//! but BM25 scores depend on collection statistics — how many documents hold a word, how long
//! a field is on average. Scored per index, a word rare in one year and common in another
//! would rank that year's stories higher for no reason, and scores from different indexes
//! could not be compared. Here every index is scored with the statistics of all of them
//! summed ([`CombinedStats`], tantivy's `Bm25StatisticsProvider`), so the same documents split
//! over several indexes get exactly the scores and the order they get in one; the top hits,
//! totals and facet counts of the indexes are then merged.

use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context};
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Query, Weight};
use tantivy::schema::{Field, Value as _};
use tantivy::{DateTime, DocAddress, Score, TantivyDocument, Term};

use crate::counts::facet_collectors;
use crate::search::{
    facets_of, top_docs_with, Counting, FacetFruit, Request, Results, Searcher, SortBy,
};

/// One or more opened indexes, searched as one.
pub struct MultiSearcher {
    parts: Vec<Searcher>,
}

/// Collection statistics summed over several indexes, so BM25 sees them as one collection.
pub struct CombinedStats<'a> {
    searchers: &'a [tantivy::Searcher],
}

impl<'a> CombinedStats<'a> {
    /// Statistics over all of `searchers`.
    pub fn new(searchers: &'a [tantivy::Searcher]) -> CombinedStats<'a> {
        CombinedStats { searchers }
    }
}

/// A query scored with the statistics of several indexes whichever index runs it: every
/// collector of [`crate::search`] and [`crate::collapse`] then works over several indexes
/// unchanged (they call `searcher.search`, which asks the query for its weight).
#[derive(Debug)]
struct GlobalStats {
    inner: Box<dyn Query>,
    all: Arc<[tantivy::Searcher]>,
}

impl Clone for GlobalStats {
    fn clone(&self) -> GlobalStats {
        GlobalStats {
            inner: self.inner.box_clone(),
            all: Arc::clone(&self.all),
        }
    }
}

impl Query for GlobalStats {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        match scoring {
            EnableScoring::Enabled { searcher, .. } => {
                let stats = CombinedStats::new(&self.all);
                self.inner
                    .weight(EnableScoring::enabled_from_statistics_provider(
                        &stats, searcher,
                    ))
            }
            disabled => self.inner.weight(disabled),
        }
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

impl Bm25StatisticsProvider for CombinedStats<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        self.searchers
            .iter()
            .map(|s| s.total_num_tokens(field))
            .sum()
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        self.searchers.iter().map(|s| s.total_num_docs()).sum()
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.searchers.iter().map(|s| s.doc_freq(term)).sum()
    }
}

/// A candidate hit: its sort key, which index, where.
struct Candidate {
    score: Option<Score>,
    date: Option<DateTime>,
    part: usize,
    addr: DocAddress,
}

impl MultiSearcher {
    /// Opens every index; they must share gazette's schema (the same field ids and analyzers).
    pub fn open(dirs: &[PathBuf]) -> anyhow::Result<MultiSearcher> {
        MultiSearcher::open_with(dirs, true)
    }

    /// [`MultiSearcher::open`], each index opened with [`Searcher::open_with`].
    pub fn open_with(dirs: &[PathBuf], parallel: bool) -> anyhow::Result<MultiSearcher> {
        if dirs.is_empty() {
            bail!("no index given");
        }
        let mut parts = Vec::with_capacity(dirs.len());
        for dir in dirs {
            parts.push(Searcher::open_with(dir, parallel)?);
        }
        let first = parts[0].index().schema();
        for (dir, part) in dirs.iter().zip(&parts).skip(1) {
            if part.index().schema() != first {
                bail!(
                    "the index at {} has another schema than {}; rebuild it with this gazette",
                    dir.display(),
                    dirs[0].display()
                );
            }
        }
        Ok(MultiSearcher { parts })
    }

    /// One hit per story (see [`crate::collapse`]); stories are clustered per index, so
    /// with several indexes a story's copies are collapsed within each index, not across.
    pub fn set_collapse(&mut self, collapse: bool) {
        for part in &mut self.parts {
            part.set_collapse(collapse);
        }
    }

    /// The timeline of the matches of `results`' search over all the indexes (month counts
    /// added up): of the partial matches when the search fell back to them (`results.partial`),
    /// so the chart shows the stories listed.
    pub fn timeline(
        &self,
        req: &Request,
        results: &Results,
    ) -> anyhow::Result<Vec<crate::timeline::Bar>> {
        let mut months = std::collections::HashMap::new();
        for part in &self.parts {
            let partial = if results.partial {
                part.partial_query(req)?
            } else {
                None
            };
            let query = match partial {
                Some((partial, _)) => partial,
                None => part.build_query(req)?.0,
            };
            let counts = part.month_counts(&*query).context("timeline failed")?;
            for (m, n) in counts {
                *months.entry(m).or_insert(0) += n;
            }
        }
        Ok(crate::timeline::bars(&months))
    }

    /// The opened indexes, in the order given (a hit's `index` is a position in it).
    pub fn parts(&self) -> &[Searcher] {
        &self.parts
    }

    /// What each index's current reader sees: a hash of its segments and their deletes.
    /// It changes when a commit adds, merges or deletes, and — unlike tantivy's generation
    /// id, which also moves when a reader reloads an unchanged index (its meta-file watcher
    /// reloads once at start) — only then. The server's answer cache is keyed by it.
    pub fn index_states(&self) -> Vec<u64> {
        self.parts
            .iter()
            .map(|p| {
                let mut h = std::hash::DefaultHasher::new();
                p.tantivy_searcher().generation().segments().hash(&mut h);
                h.finish()
            })
            .collect()
    }

    /// Documents in all the indexes.
    pub fn num_docs(&self) -> u64 {
        self.parts.iter().map(Searcher::num_docs).sum()
    }

    /// Runs a search over every index. With a single index this is [`Searcher::search`].
    pub fn search(&self, req: &Request) -> anyhow::Result<Results> {
        if let [one] = self.parts.as_slice() {
            return one.search(req);
        }
        let started = Instant::now();
        let (query, mut warnings) = self.parts[0].build_query(req)?;
        let searchers: Arc<[tantivy::Searcher]> =
            self.parts.iter().map(Searcher::tantivy_searcher).collect();
        let docs = self.num_docs() as usize;
        // Each index's best `offset + limit` contain the overall best `offset + limit`.
        let want = (req.offset + req.limit.max(1)).clamp(1, docs.max(1));
        let global = |inner| -> Box<dyn Query> {
            Box::new(GlobalStats {
                inner,
                all: Arc::clone(&searchers),
            })
        };
        let mut query = global(query);
        let (mut candidates, mut total, mut facets) =
            self.collect(&searchers, &*query, req, want)?;
        // No story holds every word: the stories holding most of them, as with one index
        // (see `crate::multilang`).
        let mut partial = false;
        if total == 0 && req.limit > 0 {
            if let Some((more, words)) = self.parts[0].partial_query(req)? {
                let more = global(more);
                let found = self.collect(&searchers, &*more, req, want)?;
                if found.1 > 0 {
                    (candidates, total, facets) = found;
                    warnings.push(crate::multilang::partial_warning(&req.query, 0, words));
                    query = more;
                    partial = true;
                }
            }
        }
        // Best first; ties in index order, then document order (as one index would).
        candidates.sort_by(|a, b| {
            b.score
                .unwrap_or(0.0)
                .total_cmp(&a.score.unwrap_or(0.0))
                .then_with(|| b.date.cmp(&a.date))
                .then_with(|| (a.part, a.addr).cmp(&(b.part, b.addr)))
        });
        let page: Vec<Candidate> = if req.limit == 0 {
            Vec::new()
        } else {
            candidates
                .into_iter()
                .skip(req.offset)
                .take(req.limit)
                .collect()
        };
        let snippets = if req.snippet_chars > 0 && !page.is_empty() {
            searchers
                .iter()
                .zip(&self.parts)
                .map(|(s, p)| p.snippets(s, &*query, req.snippet_chars).map(Some))
                .collect::<tantivy::Result<Vec<_>>>()?
        } else {
            (0..searchers.len()).map(|_| None).collect()
        };
        // Each index's hits' copies, looked up together.
        let mut copies: Vec<std::vec::IntoIter<crate::collapse::StoryCopies>> = Vec::new();
        for (part, searcher) in searchers.iter().enumerate() {
            let mine: Vec<DocAddress> = page
                .iter()
                .filter(|c| c.part == part && self.parts[part].collapses())
                .map(|c| c.addr)
                .collect();
            copies.push(
                self.parts[part]
                    .copies(searcher, &mine, req.copies)?
                    .into_iter(),
            );
        }
        let mut hits = Vec::with_capacity(page.len());
        for (i, c) in page.into_iter().enumerate() {
            let doc: TantivyDocument = searchers[c.part].doc(c.addr)?;
            let (snippet, highlights) = match &snippets[c.part] {
                Some(s) => s.of(doc
                    .get_first(self.parts[c.part].body_field())
                    .and_then(|v| v.as_str())
                    .unwrap_or("")),
                None => (String::new(), Vec::new()),
            };
            let part = &self.parts[c.part];
            let mut hit = part.hit(&doc, req.offset + i + 1, c.score, snippet, highlights);
            if let Some(found) = copies[c.part].next() {
                hit.set_copies(found);
            }
            hit.index = Some(c.part);
            hit.partial = partial;
            hits.push(hit);
        }
        Ok(Results {
            query: req.query.clone(),
            total,
            total_exact: true,
            collapsed: self.parts.iter().all(Searcher::collapses),
            partial,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            hits,
            facets: facets.map(facets_of),
            warnings,
        })
    }

    /// Every index's best `want` hits of `query` (stories when collapsed), with the total
    /// and facet counts added up.
    fn collect(
        &self,
        searchers: &[tantivy::Searcher],
        query: &dyn Query,
        req: &Request,
        want: usize,
    ) -> anyhow::Result<(Vec<Candidate>, usize, Option<FacetFruit>)> {
        let mut candidates = Vec::new();
        let mut total = 0usize;
        let mut facets: Option<FacetFruit> = None;
        for (part, searcher) in searchers.iter().enumerate() {
            let wanted = req.facets.then(facet_collectors);
            // One hit per story within each index (story ids are per index); totals and
            // facets then count stories, as with one index.
            let (top, count, fruit) = if self.parts[part].collapses() {
                crate::collapse::top_stories(
                    searcher,
                    query,
                    req.sort,
                    want,
                    0,
                    Counting::Exact,
                    wanted,
                )?
            } else {
                top_docs_with(searcher, query, req.sort, want, 0, Counting::Exact, wanted)?
            };
            for (score, addr) in top {
                let date = match req.sort {
                    SortBy::Date => searcher
                        .segment_reader(addr.segment_ord)
                        .fast_fields()
                        .date("date")?
                        .first(addr.doc_id),
                    SortBy::Relevance => None,
                };
                candidates.push(Candidate {
                    score,
                    date,
                    part,
                    addr,
                });
            }
            total += count.count;
            if let Some((sections, people, years)) = fruit {
                let merged = facets.get_or_insert_with(Default::default);
                for (k, n) in sections {
                    *merged.0.entry(k).or_default() += n;
                }
                for (k, n) in people {
                    *merged.1.entry(k).or_default() += n;
                }
                for (k, n) in years {
                    *merged.2.entry(k).or_default() += n;
                }
            }
        }
        Ok((candidates, total, facets))
    }
}

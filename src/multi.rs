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

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::{Field, Value as _};
use tantivy::{DateTime, DocAddress, Order, Score, TantivyDocument, Term};

use crate::counts::facet_collectors;
use crate::search::{facets_of, FacetFruit, Request, Results, Searcher, SortBy};
use crate::snippet::Snippets;

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
    /// with several indexes hits are never collapsed.
    pub fn set_collapse(&mut self, collapse: bool) {
        for part in &mut self.parts {
            part.set_collapse(collapse);
        }
    }

    /// The timeline of every match over all the indexes (month counts added up).
    pub fn timeline(&self, req: &Request) -> anyhow::Result<Vec<crate::timeline::Bar>> {
        let mut months = std::collections::HashMap::new();
        for part in &self.parts {
            let (query, _) = part.build_query(req)?;
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

    /// Each index's current reader generation: changes when a reader reloads after a commit
    /// (what the server's answer cache is keyed by).
    pub fn generations(&self) -> Vec<u64> {
        self.parts
            .iter()
            .map(|p| p.tantivy_searcher().generation().generation_id())
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
        let (query, warnings) = self.parts[0].build_query(req)?;
        let searchers: Vec<tantivy::Searcher> =
            self.parts.iter().map(Searcher::tantivy_searcher).collect();
        let stats = CombinedStats::new(&searchers);
        let docs = self.num_docs() as usize;
        // Each index's best `offset + limit` contain the overall best `offset + limit`.
        let want = (req.offset + req.limit.max(1)).clamp(1, docs.max(1));
        let mut candidates = Vec::new();
        let mut total = 0usize;
        let mut facets: Option<FacetFruit> = None;
        for (part, searcher) in searchers.iter().enumerate() {
            let wanted = req.facets.then(facet_collectors);
            let top = TopDocs::with_limit(want);
            let (count, fruit) = match req.sort {
                SortBy::Relevance => {
                    let (top, count, fruit) = searcher
                        .search_with_statistics_provider(
                            &*query,
                            &(top.order_by_score(), Count, wanted),
                            &stats,
                        )
                        .context("search failed")?;
                    candidates.extend(top.into_iter().map(|(score, addr)| Candidate {
                        score: Some(score),
                        date: None,
                        part,
                        addr,
                    }));
                    (count, fruit)
                }
                SortBy::Date => {
                    let by_date = top.order_by_fast_field::<DateTime>("date", Order::Desc);
                    let (top, count, fruit) = searcher
                        .search(&*query, &(by_date, Count, wanted))
                        .context("search failed")?;
                    candidates.extend(top.into_iter().map(|(date, addr)| Candidate {
                        score: None,
                        date,
                        part,
                        addr,
                    }));
                    (count, fruit)
                }
            };
            total += count;
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
                .map(|(s, p)| {
                    Snippets::new(s, &*query, p.body_field(), req.snippet_chars).map(Some)
                })
                .collect::<tantivy::Result<Vec<_>>>()?
        } else {
            (0..searchers.len()).map(|_| None).collect()
        };
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
            let mut hit =
                self.parts[c.part].hit(&doc, req.offset + i + 1, c.score, snippet, highlights);
            hit.index = Some(c.part);
            hits.push(hit);
        }
        Ok(Results {
            query: req.query.clone(),
            total,
            total_exact: true,
            collapsed: false,
            partial: false,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            hits,
            facets: facets.map(facets_of),
            warnings,
        })
    }
}

//! Queries over an index: parsing the user's query, filters, ranking or date order, snippets
//! and facet counts. Output formatting lives in [`crate::render`].

use std::ops::Bound;
use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context};
use chrono::NaiveDate;
use serde::Serialize;
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, QueryParser,
    QueryParserError, RangeQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DateTime, DocAddress, Index, IndexReader, Order, Score, TantivyDocument, Term};

use crate::counts::{facet_collectors, top_k, CountUpTo, StrCounts, Total, U64Counts};
use crate::schema::{self, normalise_key, Fields};
use crate::snippet::Snippets;

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// BM25, with the title boosted.
    #[default]
    Relevance,
    /// Newest first.
    Date,
}

/// One search: the query text and everything that narrows or shapes it.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// Query in gazette's syntax (see the README).
    pub query: String,
    /// Only stories published on or after this date.
    pub since: Option<NaiveDate>,
    /// Only stories published on or before this date.
    pub until: Option<NaiveDate>,
    /// Only this section (exact name, any case).
    pub section: Option<String>,
    /// Only stories naming all of these persons (full name, any case; or a part of a name).
    pub persons: Vec<String>,
    /// Only this site (host name).
    pub site: Option<String>,
    /// Order of hits.
    pub sort: SortBy,
    /// Hits to return (0: only count them).
    pub limit: usize,
    /// Hits to skip first.
    pub offset: usize,
    /// Also count hits by section, person and year.
    pub facets: bool,
    /// Longest snippet, in characters (0: no snippets).
    pub snippet_chars: usize,
    /// Count every match, however many (slower on very common terms).
    pub exact_total: bool,
    /// Copies listed in full (path, url, site, date) with each collapsed hit; every hit
    /// still carries how many copies its story has and on which sites. Each listed copy is
    /// a read from the document store, which the terminal listing does not need.
    pub copies: usize,
}

/// One hit, as shown and as printed in JSON.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// 1-based rank, counting the offset.
    pub rank: usize,
    /// BM25 score (null when sorted by date).
    pub score: Option<f32>,
    /// Path relative to the corpus root as indexed.
    pub path: String,
    /// Canonical URL when known.
    pub url: Option<String>,
    /// Headline.
    pub title: String,
    /// Publisher's date `YYYY-MM-DD`.
    pub date: Option<String>,
    /// RFC 3339 when a time is known.
    pub datetime: Option<String>,
    /// Section.
    pub section: Option<String>,
    /// Authors.
    pub byline: Vec<String>,
    /// Persons in the story.
    pub people: Vec<String>,
    /// A passage of the story around the matched terms (plain text).
    pub snippet: String,
    /// `[start, end)` character offsets of the matched terms inside `snippet`.
    pub highlights: Vec<[usize; 2]>,
    /// When a web capture was made (`WARC-Date`, RFC 3339 UTC); absent for page files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captured: Option<String>,
    /// The story's other pages, earliest first, when hits are collapsed by story (see
    /// [`crate::collapse`]): the first [`Request::copies`] of them.
    pub copies: Vec<crate::collapse::Copy>,
    /// How many other pages the story has (all of them, listed or not).
    #[serde(skip_serializing_if = "is_zero")]
    pub copies_total: usize,
    /// The sites holding those pages, earliest copy first (at most
    /// [`crate::collapse::COPY_SITES`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub copy_sites: Vec<String>,
    /// A partial match: the story holds most of the query's words, not all (see
    /// [`crate::multilang::partial_query`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    /// Which index holds the hit (0-based, in `--index` order) when several are searched as
    /// one: paths are only unique within an index (see [`crate::multi`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
}

impl Hit {
    /// Attaches a collapsed hit's copies.
    pub fn set_copies(&mut self, copies: crate::collapse::StoryCopies) {
        self.copies = copies.listed;
        self.copies_total = copies.total;
        self.copy_sites = copies.sites;
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A facet's top values with their hit counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    /// Hits by section.
    pub section: Vec<(String, u64)>,
    /// Hits by person (top 10).
    pub people: Vec<(String, u64)>,
    /// Hits by publication year, oldest first.
    pub year: Vec<(String, u64)>,
}

/// The answer to a [`Request`].
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// The query as given.
    pub query: String,
    /// Matching documents: all of them when `total_exact`, else a lower bound (counting
    /// stops at [`EXACT_TOTAL_UP_TO`] unless the request asks for an exact total).
    pub total: usize,
    /// Whether `total` counts every match.
    pub total_exact: bool,
    /// Whether hits, `total` and facets count stories (one per story cluster) rather than pages.
    pub collapsed: bool,
    /// Some hits are partial matches (too few stories hold every word); `total` then counts
    /// the partial matches too.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    /// Search time in milliseconds (parsing, collecting, loading shown hits, snippets).
    pub took_ms: f64,
    /// The hits of this page.
    pub hits: Vec<Hit>,
    /// Counts by section, person and year (with `--facets`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
    /// Problems that did not stop the search (a query parsed leniently).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Queries of at least this many terms also search `page_title` with every word required
/// (a pasted `<title>`: headline and site name); shorter ones search it only in the
/// partial-match fallback. Measured on trafilatura-eval and htmldate-eval (README, *Pasted
/// `<title>`*): pasted-title@1 stays the same, and plain two-word queries no longer pay for
/// the extra field.
const PASTED_TITLE_TERMS: usize = 4;

/// Indexes with at least this many documents search their segments in parallel.
const PARALLEL_SEARCH_DOCS: u64 = 100_000;

/// An opened index, ready for many searches.
pub struct Searcher {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Every searched field, `page_title` included: long queries and the partial-match
    /// fallback.
    parser: QueryParser,
    collapse: bool,
    /// The parser without `page_title`, for queries shorter than [`PASTED_TITLE_TERMS`].
    short_parser: QueryParser,
    /// Languages of [`crate::analyzers::STEMMED`] some page of the index is in.
    langs: Vec<usize>,
}

impl Searcher {
    /// Opens the index in `dir`.
    pub fn open(dir: &Path) -> anyhow::Result<Searcher> {
        Searcher::open_with(dir, true)
    }

    /// [`Searcher::open`]; with `parallel` false a search never spreads over the cores, for
    /// `gazette serve`, whose concurrent requests already keep every core busy: handing each
    /// search's segments to a shared pool there only adds a thread hand-off per search.
    pub fn open_with(dir: &Path, parallel: bool) -> anyhow::Result<Searcher> {
        let (mut index, fields) = schema::open(dir)?;
        // A large index has several segments (merges are capped, see `index`): searching them
        // on all cores at once divides the latency of heavy queries (common words, phrases,
        // wide date ranges). Small indexes stay on one thread, where handing work to a pool
        // would cost more than it saves. (Set before the reader is made: it keeps a copy.)
        let segments = index
            .searchable_segment_metas()
            .with_context(|| format!("cannot read the index at {}", dir.display()))?;
        let docs: u64 = segments.iter().map(|s| u64::from(s.num_docs())).sum();
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        if parallel && cores > 1 && segments.len() > 1 && docs >= PARALLEL_SEARCH_DOCS {
            index
                .set_multithread_executor(cores)
                .context("cannot start search threads")?;
        }
        let reader = index
            .reader()
            .with_context(|| format!("cannot read the index at {}", dir.display()))?;
        let langs = crate::multilang::present_languages(&reader.searcher(), &fields);
        // `page_title` in all-words queries too (from PASTED_TITLE_TERMS words): measured on
        // trafilatura-eval, searching it only in the fallback found 0.913 of pasted titles
        // first instead of 0.963.
        let parser = crate::multilang::parser(&index, &fields, &langs, true);
        let short_parser = crate::multilang::parser(&index, &fields, &langs, false);
        Ok(Searcher {
            index,
            reader,
            fields,
            parser,
            collapse: true,
            short_parser,
            langs,
        })
    }

    /// Whether searches show one hit per story (the default) or every page.
    pub fn set_collapse(&mut self, collapse: bool) {
        self.collapse = collapse;
    }

    /// Whether hits are collapsed by story (then totals, facets and the timeline count
    /// stories).
    pub fn collapses(&self) -> bool {
        self.collapse
    }

    /// Number of documents in the index.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The tantivy index (for benchmarks that compare with bare tantivy).
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The index reader (reloaded when `gazette index` commits), for collectors run beside
    /// [`Searcher::search`] such as the timeline.
    pub fn reader(&self) -> &IndexReader {
        &self.reader
    }

    /// The index's fields (for the article view of `gazette serve`).
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// Builds the full query (user query and filters); the warnings say what was parsed
    /// leniently.
    pub fn build_query(&self, req: &Request) -> anyhow::Result<(Box<dyn Query>, Vec<String>)> {
        self.build(req).map(|built| (built.query, built.warnings))
    }

    /// For a query of two or more plain words, the query matching most of them and the
    /// number of words (see [`crate::multilang::partial_query`]): what a search falls back to
    /// when no page holds every word.
    pub fn partial_query(&self, req: &Request) -> anyhow::Result<Option<(Box<dyn Query>, usize)>> {
        self.build(req).map(|built| built.partial)
    }

    /// [`Searcher::build_query`], also telling whether the rewritten query excludes a word
    /// (for the zero-hit hint, without rewriting the query a second time).
    fn build(&self, req: &Request) -> anyhow::Result<Built> {
        let rewritten = crate::query::rewrite(&req.query);
        let excludes = rewritten.query.split(' ').any(|p| p.starts_with('-'));
        let mut warnings: Vec<String> = rewritten
            .warnings
            .iter()
            .map(|w| format!("query {:?}: {w}", req.query))
            .collect();
        let text = rewritten.query.as_str();
        let main: Box<dyn Query> = if text.is_empty() {
            // Nothing to look for: every document, narrowed by the filters.
            if !matches!(req.query.trim(), "" | "*" | "\"\"") {
                warnings.push(format!(
                    "query {:?} has no words to search for; matching every story",
                    req.query
                ));
            }
            Box::new(AllQuery)
        } else {
            // `page_title` is there for pasted tab titles; a keyword query of a few terms
            // skips it (one field fewer to look each word up in, and a site's name no longer
            // matches every page of the site).
            let parser = if text.split_whitespace().count() >= PASTED_TITLE_TERMS {
                &self.parser
            } else {
                &self.short_parser
            };
            match parser.parse_query(text) {
                Ok(q) => q,
                Err(QueryParserError::AllButQueryForbidden) => bail!(
                    "query {:?}: only excluded terms; add at least one term to look for",
                    req.query
                ),
                Err(err) => {
                    let (q, _) = parser.parse_query_lenient(text);
                    warnings.push(format!(
                        "query {:?} could not be parsed ({err}); searched leniently",
                        req.query
                    ));
                    q
                }
            }
        };
        // A pasted headline should find its story first: the words as a phrase in the title
        // add to the score without being required.
        let main: Box<dyn Query> = match self
            .words_query(self.fields.title, &rewritten.plain_words.join(" "))
        {
            Some(phrase) if rewritten.plain_words.len() >= 2 => Box::new(BooleanQuery::new(vec![
                (Occur::Must, main),
                (Occur::Should, Box::new(BoostQuery::new(phrase, 2.0))),
            ])),
            _ => main,
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, main)];
        let filter = |q: Box<dyn Query>| -> (Occur, Box<dyn Query>) {
            (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
        };
        if req.since.is_some() || req.until.is_some() {
            if let (Some(s), Some(u)) = (req.since, req.until) {
                if s > u {
                    bail!("--since {s} is after --until {u}");
                }
            }
            let bound = |d: NaiveDate| {
                let secs = d
                    .and_hms_opt(0, 0, 0)
                    .expect("midnight")
                    .and_utc()
                    .timestamp();
                Term::from_field_date_for_search(
                    self.fields.date,
                    DateTime::from_timestamp_secs(secs),
                )
            };
            let lower = req
                .since
                .map_or(Bound::Unbounded, |d| Bound::Included(bound(d)));
            let upper = req
                .until
                .and_then(|d| d.succ_opt())
                .map_or(Bound::Unbounded, |d| Bound::Excluded(bound(d)));
            clauses.push(filter(Box::new(RangeQuery::new(lower, upper))));
        }
        if let Some(section) = &req.section {
            clauses.push(filter(self.key_query(self.fields.section_key, section)));
        }
        for person in &req.persons {
            // Exact full name, or the words of a partial name ("Delgado") in the people field.
            let exact = self.key_query(self.fields.person_key, person);
            let mut either: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, exact)];
            if let Some(q) = self.words_query(self.fields.people, person) {
                either.push((Occur::Should, q));
            }
            clauses.push(filter(Box::new(BooleanQuery::new(either))));
        }
        if let Some(site) = &req.site {
            let site = site.trim().to_ascii_lowercase();
            let site = site.strip_prefix("www.").unwrap_or(&site);
            clauses.push(filter(Box::new(TermQuery::new(
                Term::from_field_text(self.fields.site, site),
                IndexRecordOption::Basic,
            ))));
        }
        // The partial-match fallback of a query of plain words, under the same filters.
        let partial = crate::multilang::partial_query(&self.parser, &rewritten.plain_words).map(
            |(p, words)| -> (Box<dyn Query>, usize) {
                let mut with_filters: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, p)];
                with_filters.extend(clauses[1..].iter().map(|(o, q)| (*o, q.box_clone())));
                (Box::new(BooleanQuery::new(with_filters)), words)
            },
        );
        let query = if clauses.len() == 1 {
            clauses.pop().expect("one clause").1
        } else {
            Box::new(BooleanQuery::new(clauses))
        };
        Ok(Built {
            query,
            warnings,
            excludes,
            partial,
        })
    }

    fn key_query(&self, field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, &normalise_key(value)),
            IndexRecordOption::Basic,
        ))
    }

    /// A phrase of the analysed words of `value` in `field` (None when it has no words).
    fn words_query(&self, field: tantivy::schema::Field, value: &str) -> Option<Box<dyn Query>> {
        let mut analyzer = self.index.tokenizer_for_field(field).ok()?;
        let mut stream = analyzer.token_stream(value);
        let mut terms = Vec::new();
        while stream.advance() {
            terms.push(Term::from_field_text(field, &stream.token().text));
        }
        match terms.len() {
            0 => None,
            1 => Some(Box::new(TermQuery::new(
                terms.pop().expect("one term"),
                IndexRecordOption::WithFreqs,
            ))),
            _ => Some(Box::new(PhraseQuery::new(terms))),
        }
    }

    /// Runs a search.
    pub fn search(&self, req: &Request) -> anyhow::Result<Results> {
        let started = Instant::now();
        let Built {
            query,
            mut warnings,
            excludes,
            partial,
        } = self.build(req)?;
        let searcher = self.reader.searcher();
        // Never ask tantivy for more than the index holds (it allocates for the limit).
        let docs = searcher.num_docs() as usize;
        let limit = req.limit.clamp(1, docs.max(1));
        // Facets visit every match anyway and count them exactly on the way. Otherwise the
        // count is exact, in the same pass as the top hits, unless tantivy could skip most
        // matches of the query when looking for the best-scored hits alone: then it stops at
        // EXACT_TOTAL_UP_TO (in a second, short pass) unless the request asks for all.
        // Collapsed, counting stories costs a set lookup for every match (counting pages is
        // free in the pass that ranks them), so stories are counted exactly up to
        // EXACT_TOTAL_UP_TO matching pages whatever the query.
        let counting = if req.facets {
            // the facet pass visits every match: the exact count comes with it
            Counting::Exact
        } else if req.exact_total
            || (!self.collapse && (req.sort == SortBy::Date || !prunable(&*query)))
        {
            Counting::Exact
        } else {
            Counting::UpTo(EXACT_TOTAL_UP_TO)
        };
        // Facets are counted in the same pass as the top hits and the total: one walk over
        // the matches whatever the query.
        let wanted = req.facets.then(facet_collectors);
        let (scored, total, counted) = if self.collapse {
            crate::collapse::top_stories(
                &searcher,
                &*query,
                req.sort,
                if req.limit == 0 { 0 } else { limit },
                req.offset.min(docs),
                counting,
                wanted,
            )?
        } else if req.limit == 0 {
            // No hits wanted: count only, exactly.
            let (count, counted) = searcher.search(&*query, &(Count, wanted))?;
            (Vec::new(), Total { count, exact: true }, counted)
        } else {
            top_docs_with(
                &searcher,
                &*query,
                req.sort,
                limit,
                req.offset.min(docs),
                counting,
                wanted,
            )?
        };
        // Too few pages hold every word: the pages holding most of the words follow them
        // (all-words matches always come first).
        let (query, scored, total, counted, first_partial) = match partial {
            Some((partial, words))
                if req.limit > 0
                    && total.exact
                    && total.count < crate::multilang::TOO_FEW.min(req.offset + limit) =>
            {
                let fallback = if self.collapse {
                    crate::collapse::fallback
                } else {
                    crate::multilang::Fallback::collect
                }(
                    &searcher,
                    &*query,
                    &*partial,
                    req.sort,
                    limit,
                    req.offset,
                    total.count,
                    req.facets.then(facet_collectors),
                )?;
                if fallback.total > total.count {
                    warnings.push(crate::multilang::partial_warning(
                        &req.query,
                        total.count,
                        words,
                    ));
                    (
                        partial,
                        fallback.docs,
                        Total {
                            count: fallback.total,
                            exact: true,
                        },
                        fallback.counted,
                        Some(fallback.first_partial),
                    )
                } else {
                    (query, scored, total, counted, None)
                }
            }
            _ => (query, scored, total, counted, None),
        };
        let facets = counted.map(facets_of);
        let snippets = if req.snippet_chars > 0 && !scored.is_empty() {
            Some(self.snippets(&searcher, &*query, req.snippet_chars)?)
        } else {
            None
        };
        let mut copies = if self.collapse {
            let addrs: Vec<DocAddress> = scored.iter().map(|&(_, a)| a).collect();
            crate::collapse::copies(&searcher, &self.fields, &addrs, req.copies)?
        } else {
            Vec::new()
        }
        .into_iter();
        let mut hits = Vec::with_capacity(scored.len());
        for (i, (score, addr)) in scored.into_iter().enumerate() {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let (snippet, highlights) = match &snippets {
                Some(s) => s.of(doc
                    .get_first(self.fields.body)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")),
                None => (String::new(), Vec::new()),
            };
            let mut hit = self.hit(&doc, req.offset + i + 1, score, snippet, highlights);
            if let Some(copies) = copies.next() {
                hit.set_copies(copies);
            }
            hit.partial = first_partial.is_some_and(|first| req.offset + i >= first);
            hits.push(hit);
        }
        if total.count == 0 && excludes {
            warnings.push(format!(
                "no hits for {:?}: a word starting with '-' excludes it; write it inside quotes to search for it",
                req.query
            ));
        }
        Ok(Results {
            query: req.query.clone(),
            total: total.count,
            total_exact: total.exact,
            collapsed: self.collapse,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            partial: hits.iter().any(|h| h.partial),
            hits,
            facets,
            warnings,
        })
    }
}

impl Searcher {
    /// A point-in-time tantivy searcher of this index (for [`crate::multi`], which scores
    /// several indexes with their statistics combined).
    pub fn tantivy_searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// The other pages of the stories of the pages at `addrs` (collapsed hits' copies), in
    /// the same order, the first `list` of each in full. One call for all hits: the copies
    /// are looked up segment by segment.
    pub fn copies(
        &self,
        searcher: &tantivy::Searcher,
        addrs: &[DocAddress],
        list: usize,
    ) -> tantivy::Result<Vec<crate::collapse::StoryCopies>> {
        crate::collapse::copies(searcher, &self.fields, addrs, list)
    }

    /// The body field (where snippets come from).
    pub fn body_field(&self) -> tantivy::schema::Field {
        self.fields.body
    }

    /// The snippets of `query` over this index's bodies, highlighting also the inflections
    /// its languages' stemmers match (the same whether one index is searched or several).
    pub fn snippets(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn tantivy::query::Query,
        max_chars: usize,
    ) -> tantivy::Result<Snippets> {
        let languages: Vec<_> = self
            .langs
            .iter()
            .map(|&i| (self.fields.langs[i].1, crate::analyzers::STEMMED[i].1))
            .collect();
        Snippets::with_languages(searcher, query, self.fields.body, &languages, max_chars)
    }

    /// A hit as shown, from a stored document of this index.
    pub fn hit(
        &self,
        doc: &TantivyDocument,
        rank: usize,
        score: Option<Score>,
        snippet: String,
        highlights: Vec<[usize; 2]>,
    ) -> Hit {
        Hit {
            rank,
            score,
            path: first_text(doc, self.fields.path).unwrap_or_default(),
            url: first_text(doc, self.fields.url),
            title: first_text(doc, self.fields.title).unwrap_or_default(),
            date: first_text(doc, self.fields.day),
            datetime: first_text(doc, self.fields.datetime),
            section: first_text(doc, self.fields.section),
            byline: all_text(doc, self.fields.byline),
            people: all_text(doc, self.fields.people),
            snippet,
            highlights,
            captured: doc
                .get_first(self.fields.captured)
                .and_then(|v| v.as_datetime())
                .and_then(|t| chrono::DateTime::from_timestamp(t.into_timestamp_secs(), 0))
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            copies: Vec::new(),
            copies_total: 0,
            copy_sites: Vec::new(),
            partial: false,
            index: None,
        }
    }
}

/// What [`Searcher::build`] made of a request.
struct Built {
    query: Box<dyn Query>,
    warnings: Vec<String>,
    /// The rewritten query excludes a word (`-word`).
    excludes: bool,
    /// For a query of two or more plain words: the query matching most of them (see
    /// [`crate::multilang::partial_query`]), searched when too few pages hold all.
    partial: Option<(Box<dyn Query>, usize)>,
}

/// What [`facet_collectors`] count: sections, people, years.
pub(crate) type FacetFruit = <(StrCounts, StrCounts, U64Counts) as Collector>::Fruit;

/// The counts of [`facet_collectors`] as the facets a search reports.
pub(crate) fn facets_of((sections, people, years): FacetFruit) -> Facets {
    let mut year: Vec<(String, u64)> = years.into_iter().map(|(y, n)| (y.to_string(), n)).collect();
    year.sort();
    Facets {
        section: top_k(sections, 20),
        people: top_k(people, 10),
        year,
    }
}

/// Whether tantivy can skip blocks of postings when it collects the top hits of `query` alone
/// (block-max WAND): a term, or optional clauses over terms only — no required or excluded
/// clause, no filter, no phrase. Other queries score every match anyway, so counting them in
/// the same pass costs nothing and a separate, capped count would only add a second pass.
pub(crate) fn prunable(query: &dyn Query) -> bool {
    let mut positions = false;
    query.query_terms(&mut |_, needs_positions| positions |= needs_positions);
    fn optional_terms(q: &dyn Query) -> bool {
        match q.downcast_ref::<BooleanQuery>() {
            Some(b) => b
                .clauses()
                .iter()
                .all(|(occur, sub)| *occur == Occur::Should && optional_terms(&**sub)),
            None => q.is::<TermQuery>() || q.is::<BoostQuery>(),
        }
    }
    !positions && optional_terms(query)
}

/// A hit's address with its BM25 score (`None` when sorted by date).
pub type ScoredDoc = (Option<Score>, DocAddress);

/// Matches counted exactly before a search reports "more than" (see [`CountUpTo`]); Lucene's
/// default too. Counting further costs a pass over every match of a common word.
pub const EXACT_TOTAL_UP_TO: usize = 1_000;

/// How a search counts its matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    /// Every match, in the same pass as the top documents (tantivy's `TopDocs` + `Count`).
    Exact,
    /// Not at all (the caller counts another way, e.g. in the facet pass); the total is 0.
    Skip,
    /// Up to this many, in a second pass that stops there; the top documents are then
    /// collected alone, which lets tantivy skip blocks that cannot make the top.
    UpTo(usize),
}

/// The `limit` best documents after `offset` (BM25 score, or newest first) and the number of
/// matches: the plain tantivy collection that `search` and the bare-tantivy side of `gazette
/// bench` share. Scores are `None` when sorting by date.
pub fn top_docs(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    sort: SortBy,
    limit: usize,
    offset: usize,
    counting: Counting,
) -> tantivy::Result<(Vec<ScoredDoc>, Total)> {
    let (docs, total, _) = top_docs_with(
        searcher,
        query,
        sort,
        limit,
        offset,
        counting,
        None::<Count>,
    )?;
    Ok((docs, total))
}

/// [`top_docs`] with another collector run in the same pass over the matches (facet counts),
/// so a query that must visit every match is walked once.
pub fn top_docs_with<C: Collector>(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    sort: SortBy,
    limit: usize,
    offset: usize,
    counting: Counting,
    extra: Option<C>,
) -> tantivy::Result<(Vec<ScoredDoc>, Total, Option<C::Fruit>)> {
    let top = TopDocs::with_limit(limit).and_offset(offset);
    let exact = |count| Total { count, exact: true };
    Ok(match (sort, counting) {
        (SortBy::Relevance, Counting::Exact) => {
            let (docs, total, fruit) =
                searcher.search(query, &(top.order_by_score(), Count, extra))?;
            (scored(docs), exact(total), fruit)
        }
        (SortBy::Relevance, counting) => {
            let (docs, fruit) = match extra {
                // Alone, `TopDocs` prunes with block-max WAND (a tuple of collectors cannot).
                None => (searcher.search(query, &top.order_by_score())?, None),
                Some(extra) => {
                    let (docs, fruit) = searcher.search(query, &(top.order_by_score(), extra))?;
                    (docs, Some(fruit))
                }
            };
            (scored(docs), count_apart(searcher, query, counting)?, fruit)
        }
        (SortBy::Date, Counting::Exact) => {
            let by_date = top.order_by_fast_field::<DateTime>("date", Order::Desc);
            let (docs, total, fruit) = searcher.search(query, &(by_date, Count, extra))?;
            (by_date_only(docs), exact(total), fruit)
        }
        (SortBy::Date, counting) => {
            let by_date = top.order_by_fast_field::<DateTime>("date", Order::Desc);
            let (docs, fruit) = searcher.search(query, &(by_date, extra))?;
            (
                by_date_only(docs),
                count_apart(searcher, query, counting)?,
                fruit,
            )
        }
    })
}

/// The total counted in a pass of its own (or not at all, for [`Counting::Skip`]).
fn count_apart(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    counting: Counting,
) -> tantivy::Result<Total> {
    Ok(match counting {
        Counting::Exact => Total {
            count: searcher.search(query, &Count)?,
            exact: true,
        },
        Counting::UpTo(n) => searcher.search(query, &CountUpTo::new(n))?,
        Counting::Skip => Total {
            count: 0,
            exact: false,
        },
    })
}

fn scored(docs: Vec<(Score, DocAddress)>) -> Vec<ScoredDoc> {
    docs.into_iter().map(|(s, a)| (Some(s), a)).collect()
}

fn by_date_only<T>(docs: Vec<(T, DocAddress)>) -> Vec<ScoredDoc> {
    docs.into_iter().map(|(_, a)| (None, a)).collect()
}

fn first_text(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(String::from)
}

fn all_text(doc: &TantivyDocument, field: tantivy::schema::Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(String::from))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, TEXT};

    #[test]
    fn only_term_disjunctions_are_prunable() {
        let mut b = Schema::builder();
        let f = b.add_text_field("f", TEXT);
        let _ = b.build();
        let term = |w: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(f, w),
                IndexRecordOption::WithFreqs,
            ))
        };
        let phrase = || -> Box<dyn Query> {
            Box::new(PhraseQuery::new(vec![
                Term::from_field_text(f, "interest"),
                Term::from_field_text(f, "rate"),
            ]))
        };
        let boosted: Box<dyn Query> = Box::new(BoostQuery::new(term("said"), 2.5));
        let either = BooleanQuery::new(vec![
            (Occur::Should, term("wheat")),
            (Occur::Should, boosted),
        ]);
        let nested = BooleanQuery::new(vec![
            (Occur::Should, Box::new(either.clone()) as Box<dyn Query>),
            (Occur::Should, term("corn")),
        ]);
        assert!(prunable(&*term("said")));
        assert!(prunable(&either));
        assert!(prunable(&nested));
        let both = BooleanQuery::new(vec![
            (Occur::Must, term("trade")),
            (Occur::Must, term("deficit")),
        ]);
        let excluding = BooleanQuery::new(vec![
            (Occur::Should, term("oil")),
            (Occur::MustNot, term("opec")),
        ]);
        let with_phrase = BooleanQuery::new(vec![
            (Occur::Should, term("rates")),
            (Occur::Should, phrase()),
        ]);
        let filtered = BooleanQuery::new(vec![
            (Occur::Must, term("gold")),
            (
                Occur::Must,
                Box::new(ConstScoreQuery::new(term("commodities"), 0.0)) as Box<dyn Query>,
            ),
        ]);
        for q in [&both, &excluding, &with_phrase, &filtered] {
            assert!(!prunable(q), "{q:?}");
        }
        assert!(!prunable(&*phrase()));
        assert!(!prunable(&AllQuery));
    }
}

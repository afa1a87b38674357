//! Queries over an index: parsing the user's query, filters, ranking or date order, snippets
//! and facet counts. Output formatting lives in [`crate::render`].

use std::ops::Bound;
use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context};
use chrono::NaiveDate;
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, QueryParser,
    QueryParserError, RangeQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DateTime, DocAddress, Index, IndexReader, Order, Score, TantivyDocument, Term};

use crate::counts::{facet_collectors, top_k};
use crate::schema::{self, normalise_key, Fields};

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
    /// Total matching documents.
    pub total: usize,
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

/// An opened index, ready for many searches.
pub struct Searcher {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    parser: QueryParser,
}

impl Searcher {
    /// Opens the index in `dir`.
    pub fn open(dir: &Path) -> anyhow::Result<Searcher> {
        let (index, fields) = schema::open(dir)?;
        let reader = index
            .reader()
            .with_context(|| format!("cannot read the index at {}", dir.display()))?;
        let mut parser =
            QueryParser::for_index(&index, vec![fields.title, fields.body, fields.people]);
        parser.set_conjunction_by_default();
        parser.set_field_boost(fields.title, 2.5);
        parser.set_field_boost(fields.people, 1.5);
        Ok(Searcher {
            index,
            reader,
            fields,
            parser,
        })
    }

    /// Number of documents in the index.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The tantivy index (for benchmarks that compare with bare tantivy).
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Builds the full query (user query and filters); the warnings say what was parsed
    /// leniently.
    pub fn build_query(&self, req: &Request) -> anyhow::Result<(Box<dyn Query>, Vec<String>)> {
        let rewritten = crate::query::rewrite(&req.query);
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
            match self.parser.parse_query(text) {
                Ok(q) => q,
                Err(QueryParserError::AllButQueryForbidden) => bail!(
                    "query {:?}: only excluded terms; add at least one term to look for",
                    req.query
                ),
                Err(err) => {
                    let (q, _) = self.parser.parse_query_lenient(text);
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
        if clauses.len() == 1 {
            return Ok((clauses.pop().expect("one clause").1, warnings));
        }
        Ok((Box::new(BooleanQuery::new(clauses)), warnings))
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
        let (query, mut warnings) = self.build_query(req)?;
        let searcher = self.reader.searcher();
        // Never ask tantivy for more than the index holds (it allocates for the limit).
        let docs = searcher.num_docs() as usize;
        let limit = req.limit.clamp(1, docs.max(1));
        let (scored, total) = if req.limit == 0 {
            // No hits wanted: count only.
            (Vec::new(), searcher.search(&query, &Count)?)
        } else {
            top_docs(&searcher, &*query, req.sort, limit, req.offset.min(docs))?
        };
        let snippets = if req.snippet_chars > 0 && !scored.is_empty() {
            let mut g = SnippetGenerator::create(&searcher, &*query, self.fields.body)?;
            g.set_max_num_chars(req.snippet_chars);
            Some(g)
        } else {
            None
        };
        let mut hits = Vec::with_capacity(scored.len());
        for (i, (score, addr)) in scored.into_iter().enumerate() {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let (snippet, highlights) = match &snippets {
                Some(g) => snippet_of(g, &doc, self.fields.body, req.snippet_chars),
                None => (String::new(), Vec::new()),
            };
            hits.push(Hit {
                rank: req.offset + i + 1,
                score,
                path: first_text(&doc, self.fields.path).unwrap_or_default(),
                url: first_text(&doc, self.fields.url),
                title: first_text(&doc, self.fields.title).unwrap_or_default(),
                date: first_text(&doc, self.fields.day),
                datetime: first_text(&doc, self.fields.datetime),
                section: first_text(&doc, self.fields.section),
                byline: all_text(&doc, self.fields.byline),
                people: all_text(&doc, self.fields.people),
                snippet,
                highlights,
            });
        }
        if total == 0 && rewritten_has_exclusion(&req.query) {
            warnings.push(format!(
                "no hits for {:?}: a word starting with '-' excludes it; write it inside quotes to search for it",
                req.query
            ));
        }
        let facets = if req.facets {
            Some(self.facets(&searcher, &*query)?)
        } else {
            None
        };
        Ok(Results {
            query: req.query.clone(),
            total,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            hits,
            facets,
            warnings,
        })
    }

    fn facets(&self, searcher: &tantivy::Searcher, query: &dyn Query) -> anyhow::Result<Facets> {
        let (sections, people, years) = searcher.search(query, &facet_collectors())?;
        let mut year: Vec<(String, u64)> =
            years.into_iter().map(|(y, n)| (y.to_string(), n)).collect();
        year.sort();
        Ok(Facets {
            section: top_k(sections, 20),
            people: top_k(people, 10),
            year,
        })
    }
}

/// A hit's address with its BM25 score (`None` when sorted by date).
pub type ScoredDoc = (Option<Score>, DocAddress);

/// The `limit` best documents after `offset` (BM25 score, or newest first) and the total
/// number of matches: the plain tantivy collection that `search` and the bare-tantivy side of
/// `gazette bench` share. Scores are `None` when sorting by date.
pub fn top_docs(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    sort: SortBy,
    limit: usize,
    offset: usize,
) -> tantivy::Result<(Vec<ScoredDoc>, usize)> {
    let top = TopDocs::with_limit(limit).and_offset(offset);
    Ok(match sort {
        SortBy::Relevance => {
            let (docs, total) = searcher.search(query, &(top.order_by_score(), Count))?;
            (docs.into_iter().map(|(s, a)| (Some(s), a)).collect(), total)
        }
        SortBy::Date => {
            let by_date = top.order_by_fast_field::<DateTime>("date", Order::Desc);
            let (docs, total) = searcher.search(query, &(by_date, Count))?;
            (docs.into_iter().map(|(_, a)| (None, a)).collect(), total)
        }
    })
}

/// Whether a query excludes a word with a leading `-` (outside quotes).
fn rewritten_has_exclusion(query: &str) -> bool {
    crate::query::rewrite(query)
        .query
        .split(' ')
        .any(|p| p.starts_with('-'))
}

/// The best passage of the body for the query, with character-offset highlights; the
/// story's opening when no query term is in the body (a title-only match).
fn snippet_of(
    g: &SnippetGenerator,
    doc: &TantivyDocument,
    body: tantivy::schema::Field,
    max_chars: usize,
) -> (String, Vec<[usize; 2]>) {
    let snippet = g.snippet_from_doc(doc);
    let fragment = snippet.fragment();
    if fragment.trim().is_empty() {
        let text = first_text(doc, body).unwrap_or_default();
        let opening: String = text.chars().take(max_chars).collect();
        return (opening.replace('\n', " "), Vec::new());
    }
    let to_chars = |byte: usize| fragment[..byte].chars().count();
    let highlights = snippet
        .highlighted()
        .iter()
        .map(|r| [to_chars(r.start), to_chars(r.end)])
        .collect();
    // Newlines (paragraph breaks) become spaces: same length, offsets stay valid.
    (fragment.replace('\n', " "), highlights)
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

//! The JSON API: `/api/search` (the `gazette search --json` object, plus `timeline`) and
//! `/api/doc` (one stored story with the query's terms marked). Bad parameters get HTTP 400
//! with `{"error": "…"}` naming the parameter; user input never causes a 500.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use super::{App, QUEUE_WAIT};
use crate::search::{Request, SortBy};
use crate::timeline::WithTimeline;

/// Longest query text, in bytes.
pub const MAX_QUERY_BYTES: usize = 1024;
/// Most hits per page.
pub const MAX_HITS: usize = 100;
/// Deepest page: hits skipped at most (deep paging costs a sort of offset + n hits).
pub const MAX_OFFSET: usize = 10_000;
/// Most `person` filters in one request.
const MAX_PERSONS: usize = 10;

/// A JSON error with its status.
pub(crate) fn error(status: StatusCode, message: String) -> Response {
    #[derive(Serialize)]
    struct Error {
        error: String,
    }
    json_response(status, serde_json::to_string(&Error { error: message }))
}

fn json_response(status: StatusCode, body: serde_json::Result<String>) -> Response {
    match body {
        Ok(body) => (
            status,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            body,
        )
            .into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

fn bad(message: String) -> Response {
    error(StatusCode::BAD_REQUEST, message)
}

/// What `/api/search` was asked.
#[derive(Debug, Default)]
struct SearchParams {
    req: Request,
    timeline: bool,
}

fn flag(name: &str, value: &str) -> Result<bool, String> {
    match value {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        _ => Err(format!("{name}={value:?}: expected 1 or 0")),
    }
}

fn date(name: &str, value: &str) -> Result<Option<NaiveDate>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| format!("{name}={value:?}: expected a date as YYYY-MM-DD"))
}

fn number(name: &str, value: &str, max: usize) -> Result<usize, String> {
    match value.parse::<usize>() {
        Ok(n) if n <= max => Ok(n),
        Ok(_) => Err(format!("{name}={value}: at most {max}")),
        Err(_) => Err(format!("{name}={value:?}: expected a whole number")),
    }
}

/// Non-empty text, or None.
fn text(value: String) -> Option<String> {
    let value = value.trim().to_string();
    (!value.is_empty()).then_some(value)
}

fn search_params(raw: Option<&str>) -> Result<SearchParams, String> {
    let mut p = SearchParams {
        req: Request {
            limit: 10,
            snippet_chars: 200,
            copies: crate::collapse::LISTED_COPIES,
            ..Request::default()
        },
        timeline: false,
    };
    for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        let value = value.into_owned();
        match &*key {
            "q" => {
                if value.len() > MAX_QUERY_BYTES {
                    return Err(format!(
                        "q is {} bytes; the limit is {MAX_QUERY_BYTES}",
                        value.len()
                    ));
                }
                p.req.query = value;
            }
            "since" => p.req.since = date("since", &value)?,
            "until" => p.req.until = date("until", &value)?,
            "section" => p.req.section = text(value),
            "site" => p.req.site = text(value),
            "person" => {
                if let Some(person) = text(value) {
                    if p.req.persons.len() == MAX_PERSONS {
                        return Err(format!("at most {MAX_PERSONS} person filters"));
                    }
                    p.req.persons.push(person);
                }
            }
            "sort" => {
                p.req.sort = match &*value {
                    "relevance" | "" => SortBy::Relevance,
                    "date" => SortBy::Date,
                    other => {
                        return Err(format!("sort={other:?}: expected relevance or date"));
                    }
                }
            }
            "n" => p.req.limit = number("n", &value, MAX_HITS)?,
            "offset" => p.req.offset = number("offset", &value, MAX_OFFSET)?,
            "facets" => p.req.facets = flag("facets", &value)?,
            "timeline" => p.timeline = flag("timeline", &value)?,
            "exact" => p.req.exact_total = flag("exact", &value)?,
            "copies" => p.req.copies = number("copies", &value, MAX_HITS)?,
            other => {
                return Err(format!(
                    "unknown parameter {other:?} (known: q, since, until, section, person, \
                     site, sort, n, offset, facets, timeline, exact, copies)"
                ))
            }
        }
    }
    if let (Some(s), Some(u)) = (p.req.since, p.req.until) {
        if s > u {
            return Err(format!("since={s} is after until={u}"));
        }
    }
    Ok(p)
}

/// Runs `work` on a blocking thread once a search slot is free (503 when none frees up in
/// time).
async fn blocking<F>(app: &Arc<App>, work: F) -> Response
where
    F: FnOnce(&App) -> Response + Send + 'static,
{
    let permit = match tokio::time::timeout(QUEUE_WAIT, app.slots.acquire()).await {
        Ok(Ok(permit)) => permit,
        _ => {
            return error(
                StatusCode::SERVICE_UNAVAILABLE,
                "the server is busy; try again".to_string(),
            )
        }
    };
    let app = Arc::clone(app);
    let resp = tokio::task::spawn_blocking(move || work(&app)).await;
    drop(permit);
    resp.unwrap_or_else(|e| error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
}

/// An error from the search library: the index failing is the server's fault (500),
/// anything else is about the request (an unusable query, contradictory filters).
fn search_error(err: anyhow::Error) -> Response {
    if err.downcast_ref::<tantivy::TantivyError>().is_some() {
        error(StatusCode::INTERNAL_SERVER_ERROR, format!("{err:#}"))
    } else {
        bad(format!("{err:#}"))
    }
}

/// `GET /api/search`. A repeat of a recent request on an unchanged index is answered from
/// the cache without taking a search slot (`x-gazette-cache: hit`).
pub(crate) async fn search(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Response {
    let params = match search_params(raw.as_deref()) {
        Ok(p) => p,
        Err(e) => return bad(e),
    };
    let key = raw.unwrap_or_default();
    let states = app.searcher.index_states();
    if let Some(answer) = app.answers.get(&states, &key) {
        return cached_json(answer, "hit");
    }
    blocking(&app, move |app| {
        let results = match app.searcher.search(&params.req) {
            Ok(r) => r,
            Err(e) => return search_error(e),
        };
        let body = if params.timeline {
            match app.searcher.timeline(&params.req, &results) {
                Ok(bars) => serde_json::to_string(&WithTimeline {
                    results: &results,
                    timeline: &bars,
                }),
                Err(e) => return search_error(e),
            }
        } else {
            serde_json::to_string(&results)
        };
        match body {
            Ok(body) => {
                let answer: Arc<str> = Arc::from(body);
                app.answers.put(&states, &key, Arc::clone(&answer));
                cached_json(answer, "miss")
            }
            Err(e) => json_response(StatusCode::INTERNAL_SERVER_ERROR, Err(e)),
        }
    })
    .await
}

/// A search answer, saying whether it came from the cache.
fn cached_json(answer: Arc<str>, cache: &'static str) -> Response {
    let mut resp = json_response(StatusCode::OK, Ok(answer.to_string()));
    resp.headers_mut().insert(
        header::HeaderName::from_static("x-gazette-cache"),
        header::HeaderValue::from_static(cache),
    );
    resp
}

/// One stored story, as `/api/doc` returns it.
#[derive(Debug, Serialize)]
pub struct Doc {
    /// Corpus-relative path: the story's key in the index.
    pub path: String,
    /// Canonical URL (the original, to open on the publisher's site).
    pub url: Option<String>,
    /// Host name.
    pub site: Option<String>,
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
    /// Language code.
    pub lang: Option<String>,
    /// The extracted story text (paragraphs separated by newlines).
    pub text: String,
    /// `[start, end)` character offsets of the query's terms inside `text`.
    pub highlights: Vec<[usize; 2]>,
    /// Which index holds the story, when the server searches several (as in a hit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
}

/// `GET /api/doc?path=…&q=…[&index=N]`: the story stored under `path` (looked up in the
/// index, never on disk), with the terms of `q` marked. Over several indexes, `index` (a
/// hit's `index`) says which one holds it, since paths are unique only within an index;
/// without it the first index holding `path` answers.
pub(crate) async fn doc(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Response {
    let mut path = None;
    let mut query = String::new();
    let mut index = None;
    let count = app.searcher.parts().len();
    for (key, value) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match &*key {
            "path" => path = Some(value.into_owned()),
            "index" => match value.parse::<usize>() {
                Ok(n) if n < count => index = Some(n),
                _ => {
                    return bad(format!(
                        "index={value:?}: expected a hit's index, 0 to {} (the server searches \
                         {count} index{})",
                        count - 1,
                        if count == 1 { "" } else { "es" }
                    ))
                }
            },
            "q" if value.len() > MAX_QUERY_BYTES => {
                return bad(format!(
                    "q is {} bytes; the limit is {MAX_QUERY_BYTES}",
                    value.len()
                ))
            }
            "q" => query = value.into_owned(),
            other => {
                return bad(format!(
                    "unknown parameter {other:?} (known: path, q, index)"
                ))
            }
        }
    }
    let Some(path) = path.filter(|p| !p.is_empty()) else {
        return bad("path is required (a hit's `path`)".to_string());
    };
    blocking(&app, move |app| match load_doc(app, &path, &query, index) {
        Ok(Some(doc)) => json_response(StatusCode::OK, serde_json::to_string(&doc)),
        Ok(None) => error(
            StatusCode::NOT_FOUND,
            format!("no story with path {path:?} in the index"),
        ),
        Err(e) => search_error(e),
    })
    .await
}

fn load_doc(
    app: &App,
    path: &str,
    query: &str,
    index: Option<usize>,
) -> anyhow::Result<Option<Doc>> {
    let parts = app.searcher.parts();
    let mut found = None;
    for (i, part) in parts.iter().enumerate() {
        if index.is_some_and(|n| n != i) {
            continue;
        }
        let searcher = part.reader().searcher();
        let by_path = TermQuery::new(
            Term::from_field_text(part.fields().path, path),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(&by_path, &TopDocs::with_limit(1).order_by_score())?;
        if let Some((_, addr)) = top.first() {
            found = Some((i, part, searcher.doc::<TantivyDocument>(*addr)?));
            break;
        }
    }
    let Some((i, part, stored)) = found else {
        return Ok(None);
    };
    let f = *part.fields();
    let first = |field| {
        stored
            .get_first(field)
            .and_then(|v| v.as_str())
            .map(String::from)
    };
    let all = |field| {
        stored
            .get_all(field)
            .filter_map(|v| v.as_str().map(String::from))
            .collect::<Vec<_>>()
    };
    let text = first(f.body).unwrap_or_default();
    let highlights = if query.trim().is_empty() {
        Vec::new()
    } else {
        let req = Request {
            query: query.to_string(),
            ..Request::default()
        };
        // A query that cannot be built (only excluded words) just marks nothing.
        match part.build_query(&req) {
            Ok((q, _)) => {
                let mut terms = BTreeSet::new();
                q.query_terms(&mut |term, _| {
                    if term.field() == f.body {
                        if let Some(t) = term.value().as_str() {
                            terms.insert(t.to_string());
                        }
                    }
                });
                let analyzer = part.index().tokenizer_for_field(f.body)?;
                marks(analyzer, &text, &terms)
            }
            Err(_) => Vec::new(),
        }
    };
    Ok(Some(Doc {
        path: first(f.path).unwrap_or_default(),
        url: first(f.url),
        site: first(f.site),
        title: first(f.title).unwrap_or_default(),
        date: first(f.day),
        datetime: first(f.datetime),
        section: first(f.section),
        byline: all(f.byline),
        people: all(f.people),
        lang: first(f.lang),
        text,
        highlights,
        index: (parts.len() > 1).then_some(i),
    }))
}

/// Character ranges of the words of `text` that the body's analyzer turns into one of
/// `terms` (so "rates" is marked for a search on "rate", as the search matched it).
fn marks(
    mut analyzer: tantivy::tokenizer::TextAnalyzer,
    text: &str,
    terms: &BTreeSet<String>,
) -> Vec<[usize; 2]> {
    if terms.is_empty() {
        return Vec::new();
    }
    let mut bytes = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        if terms.contains(&t.text) {
            bytes.push((t.offset_from, t.offset_to));
        }
    }
    // Byte offsets to character offsets, in one walk.
    let mut out = Vec::with_capacity(bytes.len());
    let (mut chars, mut at) = (0usize, 0usize);
    for (from, to) in bytes {
        if from < at {
            continue;
        }
        chars += text[at..from].chars().count();
        let start = chars;
        chars += text[from..to].chars().count();
        at = to;
        out.push([start, chars]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_checked() {
        let p = search_params(Some("q=oil+prices&since=1987-01-01&sort=date&n=20&offset=40&facets=1&timeline=1&person=A&person=B")).unwrap();
        assert_eq!(p.req.query, "oil prices");
        assert_eq!(p.req.sort, SortBy::Date);
        assert_eq!((p.req.limit, p.req.offset), (20, 40));
        assert!(p.req.facets && p.timeline);
        assert_eq!(p.req.persons, vec!["A", "B"]);
        assert_eq!(p.req.since, NaiveDate::from_ymd_opt(1987, 1, 1));
        for bad in [
            "since=1987-13-01",
            "until=yesterday",
            "sort=popularity",
            "n=1000",
            "n=-1",
            "offset=99999999",
            "facets=maybe",
            "frobnicate=1",
            "since=1988-01-01&until=1987-01-01",
        ] {
            assert!(search_params(Some(bad)).is_err(), "{bad}");
        }
        let long = format!("q={}", "a".repeat(MAX_QUERY_BYTES + 1));
        assert!(search_params(Some(&long)).unwrap_err().contains("limit"));
        assert_eq!(search_params(None).unwrap().req.limit, 10);
    }

    #[test]
    fn marks_are_character_offsets_of_analysed_words() {
        let analyzer = crate::schema::news_analyzer();
        let terms: BTreeSet<String> = ["rate".to_string()].into();
        let text = "Zürich: rates rose; the rate fell.";
        let marks = marks(analyzer, text, &terms);
        let chars: Vec<char> = text.chars().collect();
        let words: Vec<String> = marks
            .iter()
            .map(|[s, e]| chars[*s..*e].iter().collect())
            .collect();
        assert_eq!(words, vec!["rates", "rate"]);
    }
}

//! `gazette bench`: query latency and throughput, measured in-process and reproducibly.
//!
//! Each line of a query file is a query in `search` syntax, optionally followed by the same
//! filters the CLI takes (`cyber attack --section World --since 2019-01-01`). Every query runs
//! once cold (first use after opening the index), then `warmup` untimed times, then
//! `iterations` timed times; percentiles are nearest-rank over those timings. Throughput is
//! measured single-threaded and with `threads` threads sharing the index. In `top10` mode the
//! same query objects are also run through bare tantivy (`TopDocs` + `Count`, nothing else),
//! so the cost of gazette's own layer (query rewriting and parsing, filters, loading the shown
//! documents) is visible as the ratio of the two.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Instant;

use anyhow::{bail, Context};
use regex::Regex;
use serde::Serialize;

use crate::counts::facet_collectors;
use tantivy::TantivyDocument;

use crate::search::{top_docs, Counting, Request, Searcher, SortBy};

/// What each timed run does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Top 10 hits with their stored fields, no snippets (compared with bare tantivy).
    Top10,
    /// Top 10 hits with snippets: what `gazette search` does.
    Top10Snippets,
    /// Only the number of hits.
    Count,
}

/// How to run a benchmark.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// The index.
    pub index: PathBuf,
    /// The query file.
    pub queries: PathBuf,
    /// Timed runs per query.
    pub iterations: usize,
    /// Untimed runs per query after the cold run.
    pub warmup: usize,
    /// Threads for the throughput run.
    pub threads: usize,
    /// What each run does.
    pub mode: Mode,
    /// Collapse hits by story, as `gazette search` does by default (off: every page).
    pub collapse: bool,
    /// Also time every query uncollapsed, run by run alternating with the collapsed search,
    /// so that both see the same machine (load drifts between two separate runs).
    pub compare_collapse: bool,
}

/// Latency figures of one query (microseconds).
#[derive(Debug, Clone, Serialize)]
pub struct QueryReport {
    /// The query line as written in the file.
    pub query: String,
    /// Matching documents (a lower bound unless `hits_exact`, as in `search`).
    pub hits: usize,
    /// Whether `hits` counts every match.
    pub hits_exact: bool,
    /// First run after opening the index.
    pub cold_us: f64,
    /// Median.
    pub p50_us: f64,
    /// 95th percentile.
    pub p95_us: f64,
    /// 99th percentile.
    pub p99_us: f64,
    /// Slowest.
    pub max_us: f64,
    /// Median of bare tantivy on the same query (top10 mode only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tantivy_p50_us: Option<f64>,
    /// Median of the same query uncollapsed (`compare_collapse` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncollapsed_p50_us: Option<f64>,
}

/// Figures over all timed runs of all queries.
#[derive(Debug, Clone, Serialize)]
pub struct Overall {
    /// Median latency.
    pub p50_us: f64,
    /// 95th percentile.
    pub p95_us: f64,
    /// 99th percentile.
    pub p99_us: f64,
    /// Slowest run.
    pub max_us: f64,
    /// Queries per second on one thread.
    pub qps: f64,
    /// Queries per second with `threads` threads.
    pub qps_threads: f64,
    /// Threads of the throughput run.
    pub threads: usize,
    /// Bare tantivy over the same runs (top10 mode only): median and p99.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tantivy_p50_us: Option<f64>,
    /// Bare tantivy p99.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tantivy_p99_us: Option<f64>,
    /// gazette's total time over bare tantivy's for the same runs (top10 mode only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratio_to_tantivy: Option<f64>,
    /// The uncollapsed runs (`compare_collapse` only): median, 95th percentile, and the
    /// collapsed figures over them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncollapsed: Option<CollapseCost>,
}

/// What collapsing costs: the uncollapsed runs timed alternately with the collapsed ones.
#[derive(Debug, Clone, Serialize)]
pub struct CollapseCost {
    /// Median latency uncollapsed.
    pub p50_us: f64,
    /// 95th percentile uncollapsed.
    pub p95_us: f64,
    /// Collapsed over uncollapsed median (the overall medians).
    pub p50_ratio: f64,
    /// Collapsed over uncollapsed total time of all runs.
    pub total_ratio: f64,
}

/// A whole benchmark run, as printed by `--json`.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    /// Index folder.
    pub index: String,
    /// Documents in it.
    pub docs: u64,
    /// Mode.
    pub mode: Mode,
    /// Timed runs per query.
    pub iterations: usize,
    /// Untimed runs per query.
    pub warmup: usize,
    /// All-query figures.
    pub overall: Overall,
    /// The very first query run after opening the index.
    pub cold_us: f64,
    /// Per-query figures.
    pub queries: Vec<QueryReport>,
}

static FLAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(^|\s)--(since|until|section|person|site|sort|facets|limit)\b").expect("regex")
});

/// Parses one query-file line: query text, then optional CLI-style filters.
pub fn parse_line(line: &str) -> anyhow::Result<Request> {
    let (text, flags) = match FLAG.find(line) {
        Some(m) => (&line[..m.start()], &line[m.start()..]),
        None => (line, ""),
    };
    let mut req = Request {
        query: text.trim().to_string(),
        limit: 10,
        ..Request::default()
    };
    let words = shlex::split(flags).context("unbalanced quotes in the filters")?;
    let mut it = words.into_iter();
    while let Some(flag) = it.next() {
        let mut value = |name: &str| it.next().with_context(|| format!("{name} needs a value"));
        match flag.as_str() {
            "--since" => req.since = Some(parse_day(&value("--since")?)?),
            "--until" => req.until = Some(parse_day(&value("--until")?)?),
            "--section" => req.section = Some(value("--section")?),
            "--person" => req.persons.push(value("--person")?),
            "--site" => req.site = Some(value("--site")?),
            "--facets" => req.facets = true,
            "--exact-total" => req.exact_total = true,
            "--copies" => {
                req.copies = value("--copies")?
                    .parse()
                    .context("--copies needs a number")?
            }
            "--limit" => {
                let v = value("--limit")?;
                req.limit = v.parse().with_context(|| format!("--limit {v:?} is not a number"))?;
            }
            "--sort" => {
                req.sort = match value("--sort")?.as_str() {
                    "date" => SortBy::Date,
                    "relevance" => SortBy::Relevance,
                    other => bail!("--sort {other:?}: expected relevance or date"),
                }
            }
            other => bail!("unexpected {other:?} (filters: --since --until --section --person --site --sort --facets --exact-total --limit)"),
        }
    }
    Ok(req)
}

fn parse_day(s: &str) -> anyhow::Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .with_context(|| format!("{s:?} is not a date of the form YYYY-MM-DD"))
}

/// Reads a query file: one query per line; blank lines and `#` comments are skipped.
pub fn read_queries(path: &Path) -> anyhow::Result<Vec<(String, Request)>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the query file {}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let req =
            parse_line(line).with_context(|| format!("{}:{}: {line:?}", path.display(), n + 1))?;
        out.push((line.to_string(), req));
    }
    if out.is_empty() {
        bail!("the query file {} has no queries", path.display());
    }
    Ok(out)
}

/// Runs the benchmark.
pub fn run(opts: &BenchOptions) -> anyhow::Result<BenchReport> {
    let queries = read_queries(&opts.queries)?;
    let mut searcher = Searcher::open(&opts.index)?;
    searcher.set_collapse(opts.collapse || opts.compare_collapse);
    let uncollapsed = if opts.compare_collapse {
        let mut s = Searcher::open(&opts.index)?;
        s.set_collapse(false);
        Some(s)
    } else {
        None
    };
    let iterations = opts.iterations.max(1);
    let shape = |req: &Request| -> Request {
        let mut r = req.clone();
        match opts.mode {
            Mode::Top10 => r.snippet_chars = 0,
            Mode::Top10Snippets => r.snippet_chars = 200,
            Mode::Count => {
                r.limit = 0;
                r.facets = false;
            }
        }
        r
    };
    let requests: Vec<Request> = queries.iter().map(|(_, r)| shape(r)).collect();
    let mut reports = Vec::with_capacity(queries.len());
    let mut all = Vec::with_capacity(queries.len() * iterations);
    let mut all_bare = Vec::new();
    let mut all_flat = Vec::new();
    let mut cold_first = None;
    let mut timed_total = 0.0;
    for ((line, _), req) in queries.iter().zip(&requests) {
        let (cold, (hits, hits_exact)) =
            time_us(|| searcher.search(req).map(|r| (r.total, r.total_exact)))?;
        cold_first.get_or_insert(cold);
        for _ in 0..opts.warmup {
            searcher.search(req)?;
            if let Some(flat) = &uncollapsed {
                flat.search(req)?;
            }
        }
        let mut times = Vec::with_capacity(iterations);
        let mut flat_times = Vec::new();
        for i in 0..iterations {
            let timed = |s: &Searcher| time_us(|| s.search(req).map(|_| ())).map(|(t, _)| t);
            match &uncollapsed {
                None => times.push(timed(&searcher)?),
                // Alternating which goes first, so neither always runs on a warmer cache.
                Some(flat) if i % 2 == 0 => {
                    times.push(timed(&searcher)?);
                    flat_times.push(timed(flat)?);
                }
                Some(flat) => {
                    flat_times.push(timed(flat)?);
                    times.push(timed(&searcher)?);
                }
            }
        }
        all_flat.extend_from_slice(&flat_times);
        let flat_p50 = (!flat_times.is_empty()).then(|| percentile(&mut flat_times, 50.0));
        timed_total += times.iter().sum::<f64>();
        let bare = if opts.mode == Mode::Top10 {
            let mut b = bare_tantivy(&searcher, req, opts.warmup, iterations)?;
            let p50 = percentile(&mut b, 50.0);
            all_bare.extend(b);
            Some(p50)
        } else {
            None
        };
        all.extend_from_slice(&times);
        reports.push(QueryReport {
            query: line.clone(),
            hits,
            hits_exact,
            cold_us: cold,
            p50_us: percentile(&mut times, 50.0),
            p95_us: percentile(&mut times, 95.0),
            p99_us: percentile(&mut times, 99.0),
            max_us: percentile(&mut times, 100.0),
            tantivy_p50_us: bare,
            uncollapsed_p50_us: flat_p50,
        });
    }
    let qps = all.len() as f64 / (timed_total / 1e6).max(1e-9);
    let qps_threads = throughput(&searcher, &requests, iterations, opts.threads.max(1))?;
    let bare_total: f64 = all_bare.iter().sum();
    let gazette_total: f64 = all.iter().sum();
    let p50 = percentile(&mut all, 50.0);
    let uncollapsed = (!all_flat.is_empty()).then(|| {
        let flat_p50 = percentile(&mut all_flat, 50.0);
        CollapseCost {
            p50_us: flat_p50,
            p95_us: percentile(&mut all_flat, 95.0),
            p50_ratio: p50 / flat_p50.max(1e-9),
            total_ratio: gazette_total / all_flat.iter().sum::<f64>().max(1e-9),
        }
    });
    let overall = Overall {
        p50_us: p50,
        p95_us: percentile(&mut all, 95.0),
        p99_us: percentile(&mut all, 99.0),
        max_us: percentile(&mut all, 100.0),
        qps,
        qps_threads,
        threads: opts.threads.max(1),
        tantivy_p50_us: (!all_bare.is_empty()).then(|| percentile(&mut all_bare, 50.0)),
        tantivy_p99_us: (!all_bare.is_empty()).then(|| percentile(&mut all_bare, 99.0)),
        ratio_to_tantivy: (bare_total > 0.0).then(|| gazette_total / bare_total),
        uncollapsed,
    };
    Ok(BenchReport {
        index: opts.index.display().to_string(),
        docs: searcher.num_docs(),
        mode: opts.mode,
        iterations,
        warmup: opts.warmup,
        overall,
        cold_us: cold_first.unwrap_or(0.0),
        queries: reports,
    })
}

/// The same query object through bare tantivy: `TopDocs` (by score, or by date when the
/// request sorts by date) and `Count`, then loading each hit's stored document — what a
/// plain tantivy program (or tantivy-cli's search) does to show ten results — plus the same
/// counting collectors when the line asks for facets.
fn bare_tantivy(
    searcher: &Searcher,
    req: &Request,
    warmup: usize,
    iterations: usize,
) -> anyhow::Result<Vec<f64>> {
    let (query, _) = searcher.build_query(req)?;
    let reader = searcher.index().reader()?;
    let s = reader.searcher();
    let run = || -> anyhow::Result<usize> {
        let (hits, total) = top_docs(
            &s,
            &*query,
            req.sort,
            req.limit.max(1),
            req.offset,
            Counting::Exact,
        )?;
        for (_, a) in hits {
            let _doc: TantivyDocument = s.doc(a)?;
        }
        if req.facets {
            // gazette counts facets with fast-field collectors (see `counts`); bare tantivy
            // runs the same collectors, so the comparison stays like for like.
            s.search(&query, &facet_collectors())?;
        }
        Ok(total.count)
    };
    for _ in 0..warmup {
        run()?;
    }
    (0..iterations)
        .map(|_| time_us(run).map(|(t, _)| t))
        .collect()
}

/// Queries per second with `threads` threads running every request `iterations` times.
fn throughput(
    searcher: &Searcher,
    requests: &[Request],
    iterations: usize,
    threads: usize,
) -> anyhow::Result<f64> {
    let total = requests.len() * iterations;
    let started = Instant::now();
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || -> anyhow::Result<()> {
                    for i in (t..total).step_by(threads) {
                        searcher.search(&requests[i % requests.len()])?;
                    }
                    Ok(())
                })
            })
            .collect();
        for h in handles {
            h.join()
                .map_err(|_| anyhow::anyhow!("a benchmark thread panicked"))??;
        }
        Ok(())
    })?;
    Ok(total as f64 / started.elapsed().as_secs_f64().max(1e-9))
}

fn time_us<T>(f: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<(f64, T)> {
    let t = Instant::now();
    let v = f()?;
    Ok((t.elapsed().as_secs_f64() * 1e6, v))
}

/// Nearest-rank percentile (sorts the slice).
pub fn percentile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * values.len() as f64).ceil() as usize;
    values[rank.clamp(1, values.len()) - 1]
}

/// The compact table printed by `gazette bench`.
pub fn report_text(r: &BenchReport) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "index {} ({} docs), mode {:?}, {} iterations after {} warm-up, cold first query {:.0} µs",
        r.index, r.docs, r.mode, r.iterations, r.warmup, r.cold_us
    );
    let _ = writeln!(
        out,
        "{:>8} {:>8} {:>8} {:>8} {:>8} {:>8}  query",
        "hits", "cold", "p50", "p95", "p99", "max"
    );
    for q in &r.queries {
        let _ = writeln!(
            out,
            "{:>8} {:>8.0} {:>8.0} {:>8.0} {:>8.0} {:>8.0}  {}{}",
            format!("{}{}", q.hits, if q.hits_exact { "" } else { "+" }),
            q.cold_us,
            q.p50_us,
            q.p95_us,
            q.p99_us,
            q.max_us,
            crate::render::clean(&q.query),
            q.tantivy_p50_us
                .map(|t| format!("  (tantivy p50 {t:.0})"))
                .or_else(|| q
                    .uncollapsed_p50_us
                    .map(|t| format!("  (uncollapsed p50 {t:.0})")))
                .unwrap_or_default()
        );
    }
    let o = &r.overall;
    let _ = writeln!(
        out,
        "overall µs: p50 {:.0}  p95 {:.0}  p99 {:.0}  max {:.0};  {:.0} QPS on 1 thread, {:.0} QPS on {} threads",
        o.p50_us, o.p95_us, o.p99_us, o.max_us, o.qps, o.qps_threads, o.threads
    );
    if let (Some(p50), Some(p99), Some(ratio)) =
        (o.tantivy_p50_us, o.tantivy_p99_us, o.ratio_to_tantivy)
    {
        let _ = writeln!(
            out,
            "bare tantivy (TopDocs + Count, same queries): p50 {p50:.0} µs, p99 {p99:.0} µs; gazette/tantivy total time {ratio:.2}×"
        );
    }
    if let Some(u) = &o.uncollapsed {
        let _ = writeln!(
            out,
            "uncollapsed, alternating with the runs above: p50 {:.0} µs, p95 {:.0} µs; collapsed/uncollapsed p50 {:.2}×, total time {:.2}×",
            u.p50_us, u.p95_us, u.p50_ratio, u.total_ratio
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_lines_with_filters() {
        let r = parse_line(r#""cyber attack" -bank --section "Government & Economy" --since 2019-01-01 --person Delgado --sort date"#).unwrap();
        assert_eq!(r.query, r#""cyber attack" -bank"#);
        assert_eq!(r.section.as_deref(), Some("Government & Economy"));
        assert_eq!(r.since.unwrap().to_string(), "2019-01-01");
        assert_eq!(r.persons, vec!["Delgado"]);
        assert_eq!(r.sort, SortBy::Date);
        assert!(parse_line("x --since 2019-13-01").is_err());
        assert!(
            parse_line("x --bogus 1").is_ok(),
            "unknown --words are query text"
        );
        assert!(parse_line("x --section").is_err());
    }

    #[test]
    fn nearest_rank_percentiles() {
        let mut v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&mut v, 50.0), 50.0);
        assert_eq!(percentile(&mut v, 99.0), 99.0);
        assert_eq!(percentile(&mut v, 100.0), 100.0);
        assert_eq!(percentile(&mut [7.0], 95.0), 7.0);
    }
}

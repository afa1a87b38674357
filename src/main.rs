//! The `gazette` command line: a thin layer over the library (see `lib.rs`).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use gazette::index::{self, IndexOptions};
use gazette::render::{self, Style};
use gazette::search::{Request, SortBy};

/// Full-text search for folders of saved news pages.
#[derive(Parser)]
#[command(name = "gazette", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Index (or update the index of) a folder of saved news pages.
    Index(IndexArgs),
    /// Search the index.
    Search(SearchArgs),
    /// List story clusters (pages carrying the same story), largest first.
    Dups(DupsArgs),
    /// Print what `index` would store for each page, as JSON Lines.
    Extract(ExtractArgs),
    /// Write a large realistic corpus by recombining an existing one (for benchmarks).
    Synth(SynthArgs),
    /// Measure query latency and throughput on a query set.
    Bench(BenchArgs),
    /// Print a shell completion script (install it as the README says).
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `gazette man > gazette.1`.
    Man(ManArgs),
    /// Export the index for Quickwit, OpenSearch or another gazette (see "Scaling out").
    Export(ExportArgs),
    /// Serve a search page and a JSON API over the index (read-only, loopback by default).
    Serve(ServeArgs),
}

#[derive(clap::Args)]
struct ExportArgs {
    /// The index folder.
    #[arg(long, env = "GAZETTE_INDEX", default_value = "index")]
    index: PathBuf,
    /// Target format.
    #[arg(long, value_enum)]
    format: gazette::export::Format,
    /// Output folder (created; must be empty or missing).
    #[arg(long)]
    out: PathBuf,
    /// Largest file written, in MB (Quickwit's ingest limit is 10).
    #[arg(long, default_value_t = 10.0)]
    max_bytes: f64,
    /// Index name in the Quickwit config and the printed commands.
    #[arg(long, default_value = "gazette")]
    name: String,
    /// Only stories published on or after this date (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    since: Option<NaiveDate>,
    /// Only stories published on or before this date (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    until: Option<NaiveDate>,
    /// Only this section (exact name, any case).
    #[arg(long)]
    section: Option<String>,
    /// Only this site (host name).
    #[arg(long)]
    site: Option<String>,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct DupsArgs {
    /// The index folder.
    #[arg(long, env = "GAZETTE_INDEX", default_value = "index")]
    index: PathBuf,
    /// Only clusters of at least this many pages (at least 2).
    #[arg(long, default_value_t = 2)]
    min_size: usize,
    /// Print the clusters as one JSON array.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct ServeArgs {
    /// The index folder; repeat to serve several indexes as one (ranked together).
    #[arg(long, env = "GAZETTE_INDEX", default_value = "index")]
    index: Vec<PathBuf>,
    /// Address to listen on (another interface than loopback exposes the archive).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: std::net::SocketAddr,
    /// Searches run at once (default: twice the cores); more wait, then get HTTP 503.
    #[arg(long)]
    max_searches: Option<usize>,
    /// Spread each search of a large index (100,000 documents or more) over all cores, as
    /// `gazette search` does; by default concurrent requests share the cores instead.
    #[arg(long)]
    parallel_segments: bool,
    /// Memory for recent search answers, in MB, answered again without searching until the
    /// index changes (0: every request searches).
    #[arg(long, default_value_t = 32, value_name = "MB")]
    cache_mb: usize,
}

#[derive(clap::Args)]
struct ManArgs {
    /// Write gazette.1 and one page per subcommand (gazette-index.1, …) into this folder.
    #[arg(long)]
    dir: Option<PathBuf>,
}

#[derive(clap::Args)]
struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

#[derive(clap::Args)]
struct BenchArgs {
    /// The index folder.
    #[arg(long, env = "GAZETTE_INDEX", default_value = "index")]
    index: PathBuf,
    /// Query file: one query per line, in `search` syntax, optionally followed by filters.
    #[arg(long, default_value = "benches/queries.txt")]
    queries: PathBuf,
    /// Timed runs per query.
    #[arg(long, default_value_t = 50)]
    iterations: usize,
    /// Untimed runs per query before timing.
    #[arg(long, default_value_t = 5)]
    warmup: usize,
    /// Threads for the throughput figure (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// What each run does.
    #[arg(long, value_enum, default_value_t = gazette::bench::Mode::Top10Snippets)]
    mode: gazette::bench::Mode,
    /// Time searches showing every page instead of one hit per story.
    #[arg(long)]
    no_collapse: bool,
    /// Time every query collapsed and uncollapsed, alternating run by run, and report what
    /// collapsing costs (both modes see the same machine load).
    #[arg(long, conflicts_with = "no_collapse")]
    compare_collapse: bool,
    /// Print the report as one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct SynthArgs {
    /// Corpus to recombine (its paragraphs, headlines, dates, sections, people, layouts).
    #[arg(long, default_value = "corpus")]
    from: PathBuf,
    /// Number of pages to write.
    #[arg(long)]
    docs: u64,
    /// Output folder (created; must be empty or missing).
    #[arg(long)]
    out: PathBuf,
    /// Random seed: the same seed, source and count give the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Writer threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Write WARC.gz files (8,192 captures each, a gzip member per record) instead of pages.
    #[arg(long)]
    warc: bool,
}

#[derive(clap::Args)]
struct IndexArgs {
    /// The corpus folder.
    #[arg(default_value = "corpus")]
    corpus: PathBuf,
    /// The index folder.
    #[arg(long, env = "GAZETTE_INDEX", default_value = "index")]
    index: PathBuf,
    /// Memory budget of the index writer, in MB.
    #[arg(long, default_value_t = 256)]
    memory: usize,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Also index front pages and section indexes.
    #[arg(long)]
    include_listings: bool,
    /// Skip files (or decompressed .gz contents) larger than this many MB.
    #[arg(long, default_value_t = 50)]
    max_file_size: u64,
    /// Follow symbolic links.
    #[arg(long)]
    follow: bool,
    /// Remove documents whose files are gone from the corpus.
    #[arg(long)]
    prune: bool,
    /// Start from an empty index.
    #[arg(long)]
    rebuild: bool,
    /// Commit after this many new or changed documents.
    #[arg(long, default_value_t = 10_000)]
    commit_every: u64,
    /// Merges never build a segment larger than this many MB (bounds peak memory: merging
    /// maps its input segments into memory).
    #[arg(long, default_value_t = 100)]
    max_segment_mb: u64,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
    /// JSON Lines input: which JSON name fills a gazette field, e.g. `--field title=headline`
    /// (repeatable; dotted names reach into objects: `title=headline.main`).
    #[arg(long, value_name = "FIELD=NAME")]
    field: Vec<String>,
    /// Leave out files matching this glob (repeatable): `truth.jsonl`, `*.log`, `drafts/**`;
    /// a pattern without `/` matches a file name at any depth.
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Do not group copies into stories: every page is a story of its own (saves the
    /// near-duplicate signatures, for archives known to hold one copy of each story).
    #[arg(long)]
    no_stories: bool,
}

#[derive(clap::Args)]
struct SearchArgs {
    /// The query (see the README for the syntax).
    query: String,
    /// The index folder; repeat to search several indexes as one (ranked together).
    #[arg(long, env = "GAZETTE_INDEX", default_value = "index")]
    index: Vec<PathBuf>,
    /// Only stories published on or after this date (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    since: Option<NaiveDate>,
    /// Only stories published on or before this date (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    until: Option<NaiveDate>,
    /// Only this section (exact name, any case).
    #[arg(long)]
    section: Option<String>,
    /// Only stories naming this person (repeatable: all must appear).
    #[arg(long)]
    person: Vec<String>,
    /// Only this site (host name).
    #[arg(long)]
    site: Option<String>,
    /// Order of hits.
    #[arg(long, value_enum, default_value_t = SortBy::Relevance)]
    sort: SortBy,
    /// Number of hits to show.
    #[arg(long, short = 'n', default_value_t = 10)]
    limit: usize,
    /// Hits to skip (for paging).
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Also count hits by section, person and year.
    #[arg(long)]
    facets: bool,
    /// Count every match (by default a word or an OR of words is counted up to 1,000 only,
    /// which keeps very common words fast; --facets and --limit 0 always count everything).
    #[arg(long)]
    exact_total: bool,
    /// Print JSON instead of the human listing.
    #[arg(long)]
    json: bool,
    /// Show every page, not one hit per story (copies of a story are collapsed by default).
    #[arg(long)]
    no_collapse: bool,
    /// List up to N copies of each collapsed hit in full (path, url, site, date), earliest
    /// first [default: 10 with --json; the listing shows only how many and on which sites].
    #[arg(long, value_name = "N")]
    copies: Option<usize>,
    /// Also show when the matches were published: a histogram by year (or by month for a
    /// short range) over every match; `timeline` in --json.
    #[arg(long)]
    timeline: bool,
}

#[derive(clap::Args)]
struct ExtractArgs {
    /// Files or folders to extract.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Root that printed paths are relative to (default: the argument when it is a folder).
    #[arg(long)]
    root: Option<PathBuf>,
    /// Skip files larger than this many MB.
    #[arg(long, default_value_t = 50)]
    max_file_size: u64,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// JSON Lines input: which JSON name fills a gazette field, e.g. `--field title=headline`
    /// (repeatable; dotted names reach into objects: `title=headline.main`).
    #[arg(long, value_name = "FIELD=NAME")]
    field: Vec<String>,
}

/// Completions are generated from the clap definitions, so they never drift from the flags.
fn run_completions(args: CompletionsArgs) -> anyhow::Result<ExitCode> {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(args.shell, &mut cmd, "gazette", &mut out);
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The man pages, generated from the clap definitions: gazette(1), which lists every
/// subcommand, on standard output; with `--dir`, that page and one per subcommand
/// (gazette-index(1), …) written as files, as `man` expects them in a `man1` folder.
fn run_man(args: ManArgs) -> anyhow::Result<ExitCode> {
    use clap::CommandFactory;
    let cmd = Cli::command();
    match args.dir {
        Some(dir) => {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            clap_mangen::generate_to(cmd, &dir)
                .with_context(|| format!("cannot write man pages to {}", dir.display()))?;
        }
        None => {
            let mut out = std::io::stdout().lock();
            clap_mangen::Man::new(cmd.disable_help_subcommand(true)).render(&mut out)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{s:?} is not a date of the form YYYY-MM-DD"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Index(args) => run_index(args),
        Command::Search(args) => run_search(args),
        Command::Dups(args) => run_dups(args),
        Command::Extract(args) => run_extract(args),
        Command::Synth(args) => run_synth(args),
        Command::Bench(args) => run_bench(args),
        Command::Completions(args) => run_completions(args),
        Command::Man(args) => run_man(args),
        Command::Export(args) => run_export(args),
        Command::Serve(args) => gazette::serve::run(&gazette::serve::Options {
            index: args.index,
            addr: args.addr,
            max_searches: args.max_searches,
            parallel_segments: args.parallel_segments,
            cache_bytes: args.cache_mb.saturating_mul(1 << 20),
        })
        .map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        // A closed pipe (`gazette search x | head -1`) is the reader's choice, not an error.
        Err(err)
            if err
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("gazette: {}", render::clean(&format!("{err:#}")));
            ExitCode::from(2)
        }
    }
}

fn run_index(args: IndexArgs) -> anyhow::Result<ExitCode> {
    let threads = args.threads.unwrap_or_else(all_cores);
    let opts = IndexOptions {
        corpus: args.corpus,
        index_dir: args.index.clone(),
        memory_mb: args.memory,
        threads,
        include_listings: args.include_listings,
        max_file_bytes: args.max_file_size.saturating_mul(1024 * 1024),
        follow_links: args.follow,
        prune: args.prune,
        rebuild: args.rebuild,
        commit_every: args.commit_every.max(1),
        max_segment_mb: args.max_segment_mb.max(1),
        progress: !args.quiet && std::io::stderr().is_terminal(),
        fields: gazette::source::jsonl::FieldMap::parse(&args.field)?,
        exclude: args.exclude,
        no_stories: args.no_stories,
    };
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        // A second Ctrl-C while committing is left to the default handler's successor: the
        // flag is already set, and the commit finishes quickly.
        let _ = ctrlc::set_handler(move || {
            if stop.swap(true, Ordering::SeqCst) {
                eprintln!("gazette: still committing, please wait");
            } else {
                eprintln!("gazette: interrupted, committing what is done…");
            }
        });
    }
    let summary = index::run(&opts, &stop)?;
    let text = if args.json {
        serde_json::to_string_pretty(&summary)? + "\n"
    } else {
        render::summary_text(&summary, &args.index.display().to_string())
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    let nothing = summary.docs_in_index == 0 && summary.files_seen > 0;
    Ok(if nothing && !summary.interrupted {
        eprintln!("gazette: nothing could be indexed");
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_search(args: SearchArgs) -> anyhow::Result<ExitCode> {
    let mut searcher = gazette::multi::MultiSearcher::open(&args.index)?;
    searcher.set_collapse(!args.no_collapse);
    let stdout = std::io::stdout();
    let req = Request {
        query: args.query,
        since: args.since,
        until: args.until,
        section: args.section,
        persons: args.person,
        site: args.site,
        sort: args.sort,
        limit: args.limit,
        offset: args.offset,
        facets: args.facets,
        snippet_chars: 200,
        exact_total: args.exact_total,
        copies: args.copies.unwrap_or(if args.json {
            gazette::collapse::LISTED_COPIES
        } else {
            0
        }),
    };
    let results = searcher.search(&req)?;
    let timeline = if args.timeline {
        Some(searcher.timeline(&req, &results)?)
    } else {
        None
    };
    let mut out = stdout.lock();
    if args.json {
        let line = match &timeline {
            Some(bars) => serde_json::to_string(&gazette::timeline::WithTimeline {
                results: &results,
                timeline: bars,
            })?,
            None => serde_json::to_string(&results)?,
        };
        writeln!(out, "{line}")?;
    } else {
        if let Some(bars) = &timeline {
            write!(out, "{}", gazette::timeline::text(bars, 40))?;
            writeln!(out)?;
        }
        let colour =
            stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        for w in &results.warnings {
            eprintln!("gazette: warning: {}", render::clean(w));
        }
        let mut shown = results.clone();
        shown.warnings.clear();
        write!(out, "{}", render::results_text(&shown, Style::new(colour)))?;
    }
    out.flush().ok();
    Ok(if results.total > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn run_dups(args: DupsArgs) -> anyhow::Result<ExitCode> {
    let clusters = gazette::dups::clusters(&args.index, args.min_size)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&clusters)?)?;
    } else {
        write!(out, "{}", gazette::dups::clusters_text(&clusters))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn run_extract(args: ExtractArgs) -> anyhow::Result<ExitCode> {
    use rayon::prelude::*;
    let threads = args.threads.unwrap_or_else(all_cores);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")?;
    let max = args.max_file_size.saturating_mul(1024 * 1024);
    let field_map = gazette::source::jsonl::FieldMap::parse(&args.field)?;
    let stdout = std::sync::Mutex::new(std::io::BufWriter::new(std::io::stdout()));
    let mut failed = false;
    for arg in &args.paths {
        let meta =
            std::fs::metadata(arg).with_context(|| format!("cannot read {}", arg.display()))?;
        let root = match &args.root {
            Some(r) => r.clone(),
            None if meta.is_dir() => arg.clone(),
            None => arg.parent().map(PathBuf::from).unwrap_or_default(),
        };
        let result: anyhow::Result<()> = pool.install(|| {
            gazette::discover::walk(arg, false)
                .par_bridge()
                .try_for_each(|found| -> anyhow::Result<()> {
                    gazette::extract::records(found, &root, max, &field_map, &mut |line| {
                        let mut out = stdout.lock().expect("stdout lock");
                        writeln!(out, "{}", serde_json::to_string(&line)?)?;
                        Ok(())
                    })
                })
        });
        if let Err(e) = result {
            // A closed pipe (`| head`) ends the run quietly.
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return Ok(ExitCode::SUCCESS);
            }
            eprintln!("gazette: {e:#}");
            failed = true;
        }
    }
    stdout.lock().expect("stdout lock").flush().ok();
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_synth(args: SynthArgs) -> anyhow::Result<ExitCode> {
    let opts = gazette::synth::SynthOptions {
        from: args.from,
        out: args.out,
        docs: args.docs,
        seed: args.seed,
        threads: args.threads.unwrap_or_else(all_cores),
        warc: args.warc,
    };
    let s = gazette::synth::run(&opts)?;
    writeln!(
        std::io::stdout(),
        "wrote {} pages ({:.1} MB) to {} in {:.1} s, from {} source articles in {} layouts",
        s.written,
        s.bytes as f64 / 1_048_576.0,
        opts.out.display(),
        s.seconds,
        s.source_articles,
        s.layouts
    )?;
    Ok(ExitCode::SUCCESS)
}

fn run_bench(args: BenchArgs) -> anyhow::Result<ExitCode> {
    let opts = gazette::bench::BenchOptions {
        index: args.index,
        queries: args.queries,
        iterations: args.iterations,
        warmup: args.warmup,
        threads: args.threads.unwrap_or_else(all_cores),
        mode: args.mode,
        collapse: !args.no_collapse,
        compare_collapse: args.compare_collapse,
    };
    let report = gazette::bench::run(&opts)?;
    if args.json {
        writeln!(std::io::stdout(), "{}", serde_json::to_string(&report)?)?;
    } else {
        write!(
            std::io::stdout(),
            "{}",
            gazette::bench::report_text(&report)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn run_export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    if !(args.max_bytes.is_finite() && args.max_bytes > 0.0) {
        anyhow::bail!(
            "--max-bytes {} is not a positive number of MB",
            args.max_bytes
        );
    }
    let opts = gazette::export::ExportOptions {
        index: args.index,
        out: args.out,
        format: args.format,
        max_bytes: (args.max_bytes * 1_048_576.0) as u64,
        name: args.name,
        filters: Request {
            since: args.since,
            until: args.until,
            section: args.section,
            site: args.site,
            ..Request::default()
        },
    };
    let s = gazette::export::run(&opts)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&s)?)?;
    } else {
        writeln!(
            out,
            "exported {} documents to {} ({} files, {:.1} MB) in {:.2} s ({:.0} documents/s)",
            s.documents,
            opts.out.display(),
            s.chunks,
            s.bytes as f64 / 1_048_576.0,
            s.seconds,
            s.documents as f64 / s.seconds.max(1e-9)
        )?;
        if let Some(config) = &s.config {
            writeln!(out, "config: {}", config.display())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The default worker count: every core the machine offers.
fn all_cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

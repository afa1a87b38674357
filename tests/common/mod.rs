//! Helpers shared by the integration tests: running the real `gazette` binary, building
//! indexes in temporary folders, and the ground truth of the bundled corpus (read from the
//! article table in `corpus/README.md`, so the tests and the corpus cannot drift apart).

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// The `gazette` binary built by cargo for these tests.
pub fn gazette() -> Command {
    let mut cmd = Command::cargo_bin("gazette").expect("the gazette binary is built");
    // Neither the environment nor a terminal may change what the tests see.
    cmd.env_remove("GAZETTE_INDEX").env("NO_COLOR", "1");
    cmd.timeout(Duration::from_secs(120));
    cmd
}

/// The bundled sample corpus.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout parsed as one JSON value.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}); exit {}\nstdout: {}\nstderr: {}",
                self.code, self.stdout, self.stderr
            )
        })
    }

    /// stdout parsed as JSON Lines.
    pub fn json_lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                serde_json::from_str(l).unwrap_or_else(|e| panic!("line is not JSON ({e}): {l}"))
            })
            .collect()
    }

    /// True when the process panicked (Rust's panic message on stderr, exit 101) or was
    /// killed by a signal (an abort: no exit code, here -1).
    pub fn crashed(&self) -> bool {
        self.code == 101 || self.code == -1 || self.stderr.contains("panicked")
    }
}

/// Runs the binary with `args` and returns its exit code and output.
pub fn run<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = gazette().args(args).output().expect("gazette runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `gazette index CORPUS --index INDEX --json -q EXTRA...`; panics unless it exits 0, and
/// returns the summary.
pub fn index(corpus: &Path, index: &Path, extra: &[&str]) -> Value {
    let mut args: Vec<std::ffi::OsString> = vec![
        "index".into(),
        corpus.into(),
        "--index".into(),
        index.into(),
        "--json".into(),
        "-q".into(),
        "--threads".into(),
        "2".into(),
    ];
    args.extend(extra.iter().map(Into::into));
    let r = run(&args);
    assert_eq!(
        r.code, 0,
        "gazette index failed\nstdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );
    r.json()
}

/// `gazette search QUERY --index INDEX --json ARGS...` (exit code not checked).
pub fn search_run(index: &Path, query: &str, args: &[&str]) -> Run {
    let mut all: Vec<std::ffi::OsString> = vec![
        "search".into(),
        "--index".into(),
        index.into(),
        "--json".into(),
    ];
    all.extend(args.iter().map(Into::into));
    // After `--`, a query starting with `-` is not read as a flag.
    all.push("--".into());
    all.push(query.into());
    run(&all)
}

/// Searches and returns the parsed JSON, checking that the exit code agrees with the total
/// (0 when something matched, 1 when nothing did).
pub fn search(index: &Path, query: &str, args: &[&str]) -> Value {
    let r = search_run(index, query, args);
    assert!(
        r.code == 0 || r.code == 1,
        "search {query:?} {args:?} exited {}\nstderr: {}",
        r.code,
        r.stderr
    );
    let v = r.json();
    let total = v["total"].as_u64().expect("total is a number");
    assert_eq!(
        r.code,
        if total > 0 { 0 } else { 1 },
        "exit code of search {query:?} {args:?} disagrees with total {total}"
    );
    v
}

/// The hits of a search result.
pub fn hits(v: &Value) -> &Vec<Value> {
    v["hits"].as_array().expect("hits is an array")
}

/// The paths of the hits, in order.
pub fn paths(v: &Value) -> Vec<String> {
    hits(v)
        .iter()
        .map(|h| h["path"].as_str().expect("path is a string").to_string())
        .collect()
}

/// The titles of the hits, in order.
pub fn titles(v: &Value) -> Vec<String> {
    hits(v)
        .iter()
        .map(|h| h["title"].as_str().expect("title is a string").to_string())
        .collect()
}

/// The total of a search result.
pub fn total(v: &Value) -> u64 {
    v["total"].as_u64().expect("total is a number")
}

/// Prefix of the temporary folders holding a test binary's shared corpus index.
const SHARED_INDEX_PREFIX: &str = "gazette-test-corpus-index-";

/// An index of the bundled corpus, built once per test binary and only read by the tests
/// (tests that write to an index build their own). Statics are never dropped, so stale
/// folders of earlier runs (older than an hour) are removed when it is built.
pub fn corpus_index() -> &'static Path {
    static INDEX: OnceLock<TempDir> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            remove_stale_shared_indexes();
            let dir = tempfile::Builder::new()
                .prefix(SHARED_INDEX_PREFIX)
                .tempdir()
                .expect("temporary folder");
            let summary = index(&corpus_dir(), dir.path(), &[]);
            assert_eq!(summary["docs_in_index"], 43, "corpus index: {summary:#}");
            dir
        })
        .path()
}

fn remove_stale_shared_indexes() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    for entry in entries.flatten() {
        let stale = entry
            .file_name()
            .to_string_lossy()
            .starts_with(SHARED_INDEX_PREFIX)
            && entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t < hour_ago);
        if stale {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Copies a folder tree (for tests that change a corpus: never touch `corpus/`).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("list folder") {
        let entry = entry.expect("folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// One row of the article table in `corpus/README.md`.
#[derive(Debug, Clone)]
pub struct Article {
    pub id: String,
    pub date: String,
    pub section: String,
    pub title: String,
    /// As the page prints it ("By Gareth Pugh, Sports Editor", "TOBIAS GREER and RUTH
    /// KINSELLA", "-" for none).
    pub byline: String,
    /// The recurring people the story names (one-off people are not listed).
    pub people: Vec<String>,
    pub path: String,
}

impl Article {
    /// The site folder (host name) of the article.
    pub fn site(&self) -> &str {
        self.path.split('/').next().unwrap_or_default()
    }
}

/// The 43 articles of the bundled corpus, as documented in `corpus/README.md`.
pub fn articles() -> &'static [Article] {
    static ARTICLES: OnceLock<Vec<Article>> = OnceLock::new();
    ARTICLES.get_or_init(|| {
        let readme =
            std::fs::read_to_string(corpus_dir().join("README.md")).expect("corpus/README.md");
        let rows: Vec<Article> = readme
            .lines()
            .filter_map(|line| {
                let cells: Vec<&str> = line
                    .trim()
                    .strip_prefix('|')?
                    .strip_suffix('|')?
                    .split('|')
                    .map(str::trim)
                    .collect();
                let id = cells.first()?;
                let is_id = id.len() == 4
                    && ["bc", "ml", "vh"].contains(&&id[..2])
                    && id[2..].chars().all(|c| c.is_ascii_digit());
                if !is_id || cells.len() != 7 {
                    return None;
                }
                Some(Article {
                    id: cells[0].into(),
                    date: cells[1].into(),
                    section: cells[2].into(),
                    title: cells[3].into(),
                    byline: cells[4].into(),
                    people: cells[5]
                        .split(';')
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .map(String::from)
                        .collect(),
                    path: cells[6].trim_matches('`').into(),
                })
            })
            .collect();
        assert_eq!(rows.len(), 43, "article table of corpus/README.md");
        rows
    })
}

/// The article with this id (`bc03`, `ml14`...).
pub fn article(id: &str) -> &'static Article {
    articles()
        .iter()
        .find(|a| a.id == id)
        .unwrap_or_else(|| panic!("no article {id} in corpus/README.md"))
}

/// The paths of these article ids, sorted.
pub fn paths_of(ids: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = ids.iter().map(|id| article(id).path.clone()).collect();
    v.sort();
    v
}

/// A sorted copy.
pub fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// Lower case with the accents of Latin letters removed (as gazette's analyzer folds them),
/// for comparing words with query terms.
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            other => other,
        })
        .collect()
}

/// Copies every other file of `from` (by sorted path) into `a`, the rest into `b`, keeping
/// their paths relative to the corpus root (the document keys).
pub fn split(from: &Path, root: &Path, a: &Path, b: &Path, n: &mut usize) {
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            split(&p, root, a, b, n);
        } else {
            let rel = p.strip_prefix(root).unwrap();
            let to = if n.is_multiple_of(2) { a } else { b }.join(rel);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(&p, &to).unwrap();
            *n += 1;
        }
    }
}

/// (score, path) of every hit, with equal scores' paths sorted: within a tie, the order of
/// one index depends on the order its threads added documents.
pub fn ranked(v: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                format!("{:.9e}", h["score"].as_f64().unwrap_or(0.0)),
                h["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // Stable sort by score only keeps the ranking; then sort paths inside each tie.
    let mut i = 0;
    while i < out.len() {
        let j = (i..out.len())
            .find(|&j| out[j].0 != out[i].0)
            .unwrap_or(out.len());
        out[i..j].sort();
        i = j;
    }
    out
}

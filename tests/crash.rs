//! Crash safety: the indexer is killed (SIGKILL) at several moments — early, mid-run, while
//! it commits batches, near the final commit and merge — and after each kill the index must
//! open, `search` must work and show only whole committed documents (no duplicates), and
//! the next `gazette index` run must complete the job with exactly one document per page.
//! Ctrl-C (SIGINT) must commit what is done and exit cleanly.

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::cargo_bin;

const PAGES: usize = 600;

/// Writes `PAGES` small, distinct fictional articles into `dir`.
fn write_corpus(dir: &Path) {
    for i in 0..PAGES {
        let folder = dir.join(format!("site.example/news/{:03}", i / 100));
        std::fs::create_dir_all(&folder).unwrap();
        let html = format!(
            "<html><head><title>Harbour report number {i} | Site</title></head><body>\
             <nav><a href='/'>Home</a></nav><h1>Harbour report number {i}</h1>\
             <p>The harbour authority published report number {i} on Tuesday, officials said, \
             and the council will debate it next week.</p>\
             <p>Shipping volumes rose again, the report said, with tonnage {i} ahead of plan.</p>\
             <p>Unique marker token{i}x appears only in this story.</p></body></html>"
        );
        std::fs::write(folder.join(format!("report-{i}.html")), html).unwrap();
    }
}

fn index_cmd(corpus: &Path, index: &Path) -> Command {
    let mut c = Command::new(cargo_bin("gazette"));
    c.args([
        "index",
        "--quiet",
        "--commit-every",
        "50",
        "--threads",
        "2",
        "--index",
    ])
    .arg(index)
    .arg(corpus)
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    c
}

/// Paths of every document, via `gazette search "" --json`; panics on duplicates.
fn indexed_paths(index: &Path) -> Vec<String> {
    let out = Command::new(cargo_bin("gazette"))
        // every page, not one per story: the generated reports are near copies of each other
        .args([
            "search",
            "",
            "--json",
            "--no-collapse",
            "-n",
            "100000",
            "--index",
        ])
        .arg(index)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    assert!(
        code == 0 || code == 1,
        "search failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<String> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths.len() as u64, v["total"].as_u64().unwrap());
    let unique: HashSet<&String> = paths.iter().collect();
    assert_eq!(
        unique.len(),
        paths.len(),
        "duplicate documents after a crash"
    );
    paths
}

#[test]
fn sigkill_at_any_moment_loses_at_most_a_batch_and_never_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    write_corpus(&corpus);

    // How long a full run takes here, to spread the kill points over it.
    let full_index = dir.path().join("full");
    let started = Instant::now();
    let out = index_cmd(&corpus, &full_index).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let full = started.elapsed();
    assert_eq!(indexed_paths(&full_index).len(), PAGES);

    // Early, mid-run, late (final commit and merge), and just after start.
    let fractions = [0.05, 0.3, 0.5, 0.8, 0.95, 0.99];
    for (n, f) in fractions.iter().enumerate() {
        let index = dir.path().join(format!("killed-{n}"));
        let mut child = index_cmd(&corpus, &index).spawn().unwrap();
        std::thread::sleep(full.mul_f64(*f));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();

        // The index opens (or was never created), and search shows whole documents only.
        let before = if index.join("meta.json").exists() {
            indexed_paths(&index).len()
        } else {
            0
        };
        assert!(before <= PAGES);

        // The next run completes the job: every page exactly once.
        let out = index_cmd(&corpus, &index).output().unwrap();
        assert!(
            out.status.success(),
            "rerun after kill at {f}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let after = indexed_paths(&index);
        assert_eq!(
            after.len(),
            PAGES,
            "kill at {f} of the run ({before} committed before)"
        );
        let marker = Command::new(cargo_bin("gazette"))
            .args(["search", "token432x", "--json", "--index"])
            .arg(&index)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&marker.stdout).unwrap();
        assert_eq!(v["total"], 1);
    }
}

#[test]
fn ctrl_c_commits_what_is_done_and_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    write_corpus(&corpus);
    let index = dir.path().join("index");
    let mut cmd = index_cmd(&corpus, &index);
    cmd.arg("--json");
    let child = cmd.spawn().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let docs = summary["docs_in_index"].as_u64().unwrap() as usize;
    if summary["interrupted"] == true {
        assert!(stderr.contains("interrupted"), "{stderr}");
        assert!(docs < PAGES);
    } else {
        // The machine was fast enough to finish before the signal arrived.
        assert_eq!(docs, PAGES);
    }
    assert_eq!(indexed_paths(&index).len(), docs);
    // The next run finishes the job.
    let out = index_cmd(&corpus, &index).output().unwrap();
    assert!(out.status.success());
    assert_eq!(indexed_paths(&index).len(), PAGES);
}

#[test]
fn search_works_while_index_runs_and_sees_the_last_commit() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    write_corpus(&corpus);
    let index = dir.path().join("index");
    let mut child = index_cmd(&corpus, &index).spawn().unwrap();
    let mut seen = Vec::new();
    while child.try_wait().unwrap().is_none() {
        if index.join("meta.json").exists() {
            // Never an error, never duplicates, never fewer documents than a moment ago.
            seen.push(indexed_paths(&index).len());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(child.wait().unwrap().success());
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert_eq!(indexed_paths(&index).len(), PAGES);
}

//! `gazette serve` in a real headless Chromium: tests/browser/serve.test.js (puppeteer-core
//! driving the system's `chromium`, no browser download) types a query, pages, brushes the
//! timeline, clicks a section facet and a timeline bar, opens an article and checks a hostile
//! headline stays text; over two indexes served as one, it opens an article of the second.
//! Skips with a message when Chromium, Node or the npm package is missing, except in CI
//! (`CI=true`), where that is a failure: `.ci/run` installs them.

mod common;
mod serve_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serve_support::{fixture, Server};

fn missing_tools(root: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        missing.push(format!("Chromium ({chromium}; apt-get install chromium)"));
    }
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("node".into());
    }
    if !root
        .join("tests/browser/node_modules/puppeteer-core")
        .exists()
    {
        missing.push("puppeteer-core (npm ci --prefix tests/browser)".into());
    }
    missing
}

#[test]
fn search_page_in_headless_chromium() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let missing = missing_tools(&root);
    if !missing.is_empty() {
        let msg = format!("browser test needs {}", missing.join(", "));
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{msg} (required in CI)");
        }
        eprintln!("skipping: {msg}");
        return;
    }
    let fx = fixture();
    serve_support::write_mirror_copy(&fx.corpus);
    common::index(&fx.corpus, &fx.index, &[]);
    let server = Server::start(&fx.index, &[]);
    // The same pages split over two indexes, served as one.
    let (ca, cb) = (fx.dir.path().join("ca"), fx.dir.path().join("cb"));
    common::split(&fx.corpus, &fx.corpus, &ca, &cb, &mut 0);
    let (ia, ib) = (fx.dir.path().join("ia"), fx.dir.path().join("ib"));
    common::index(&ca, &ia, &[]);
    common::index(&cb, &ib, &[]);
    let two = Server::start(&ia, &["--index", ib.to_str().unwrap()]);
    let shots = root.join("target/serve-browser");
    let out = Command::new("node")
        .arg(root.join("tests/browser/serve.test.js"))
        .arg(server.base())
        .arg(&shots)
        .arg(two.base())
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "browser test failed\nstdout: {stdout}\nstderr: {stderr}"
    );
    let report: serde_json::Value = serde_json::from_str(stdout.trim()).expect("a JSON report");
    println!("browser report: {report}");
    println!("screenshot: {}", report["screenshot"].as_str().unwrap());
    assert!(Path::new(report["screenshot"].as_str().unwrap()).exists());
}

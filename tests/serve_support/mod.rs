//! Helpers for the `gazette serve` tests: a fixture corpus (the bundled one plus a page with
//! a hostile headline), a running server on a free loopback port that is killed when dropped,
//! and a minimal HTTP/1.1 client over a plain socket (so tests can also send what a browser
//! never would: over-long URIs, stalled request heads).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use tempfile::TempDir;

/// Headline of the hostile fixture page, as the extractor reads it (entities decoded).
pub const HOSTILE_TITLE: &str =
    "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\"> Lighthouse keeper retires";

/// The bundled corpus copied next to one extra page whose headline is markup.
pub fn fixture_corpus(dir: &Path) -> PathBuf {
    let corpus = dir.join("corpus");
    copy_dir(&crate::common::corpus_dir(), &corpus);
    let site = corpus.join("hostile.example/local");
    std::fs::create_dir_all(&site).unwrap();
    let escaped = HOSTILE_TITLE
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
         <title>{escaped}</title>\n<meta property=\"og:type\" content=\"article\">\n\
         <link rel=\"canonical\" href=\"https://hostile.example/local/lighthouse\">\n\
         <meta property=\"article:published_time\" content=\"2021-04-02T09:30:00Z\">\n\
         <meta property=\"article:section\" content=\"Local\">\n\
         </head><body><main><article><h1>{escaped}</h1>\n<p class=\"byline\">By Ada Fenwick</p>\n\
         <p>After forty years at the Quillmere lighthouse, its keeper climbed the spiral stairs \
         for the last time on Friday, polishing the great lens once more before handing the keys \
         to the harbour trust.</p>\n<p>The lighthouse has been automatic since the spring, and \
         the trust plans to open the lamp room to visitors on summer weekends.</p>\n\
         </article></main></body></html>\n"
    );
    std::fs::write(site.join("lighthouse.html"), &page).unwrap();
    corpus
}

/// Adds a syndicated copy of the hostile page to `corpus` on another site, under another
/// headline (so the original ranks first): one story of two pages, collapsed into one hit
/// that says "also on 1 other page".
pub fn write_mirror_copy(corpus: &Path) {
    let page =
        std::fs::read_to_string(corpus.join("hostile.example/local/lighthouse.html")).unwrap();
    let escaped = HOSTILE_TITLE
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    let copy = page
        .replace(&escaped, "Quillmere lamp room to open on summer weekends")
        .replace("hostile.example", "mirror.example")
        .replace("2021-04-02T09:30:00Z", "2021-04-03T07:00:00Z");
    let mirror = corpus.join("mirror.example/local");
    std::fs::create_dir_all(&mirror).unwrap();
    std::fs::write(mirror.join("lighthouse.html"), copy).unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A fixture corpus, its index, and the temporary folder holding both.
pub struct Fixture {
    pub dir: TempDir,
    pub corpus: PathBuf,
    pub index: PathBuf,
}

/// Builds the fixture corpus and indexes it.
pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let corpus = fixture_corpus(dir.path());
    let index = dir.path().join("index");
    crate::common::index(&corpus, &index, &[]);
    Fixture { dir, corpus, index }
}

/// A running `gazette serve`, killed on drop.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
}

impl Server {
    /// Starts `gazette serve --index INDEX --addr 127.0.0.1:0 EXTRA…` and waits for the address
    /// it prints.
    pub fn start(index: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("gazette"))
            .args(["serve", "--addr", "127.0.0.1:0", "--index"])
            .arg(index)
            .args(extra)
            .env_remove("GAZETTE_INDEX")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("gazette serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("gazette: serving http://")
            .and_then(|a| a.strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected first line from serve: {line:?}"))
            .parse()
            .unwrap();
        Server { child, addr }
    }

    /// `http://ADDR`.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// GET `target` (path and query, already encoded).
    pub fn get(&self, target: &str) -> Response {
        raw(
            self.addr,
            &format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    /// The value of a header (name in any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }
}

/// Sends `request` as is and reads the whole response (the server closes the connection).
pub fn raw(addr: SocketAddr, request: &str) -> Response {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    let _ = s.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Response {
        status,
        headers,
        body: body.to_string(),
    }
}

/// Percent-encodes a query-string value.
pub fn enc(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

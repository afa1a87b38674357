//! `gazette serve`: a search page and a JSON API over one index, or several searched as one
//! ([`crate::multi`]), read-only.
//!
//! The page (`/`, `/doc`) is static HTML, CSS and JavaScript compiled into the binary; it draws
//! everything from the JSON API with DOM text nodes, never `innerHTML`, so page text cannot
//! become markup, and a strict Content-Security-Policy forbids inline and foreign scripts
//! anyway. The API answers with the same JSON object as `gazette search --json` (plus a
//! `timeline`), computed by the same library code.
//!
//! Robustness: searches run on blocking threads, at most `max_searches` at once (more wait a
//! little, then get 503); connections are capped, a client must send its request head within
//! [`HEADER_TIMEOUT`], and a connection lives at most [`CONNECTION_LIFETIME`], so slow or
//! stalled clients cannot pin the server. Only the index is ever read from disk. Repeated
//! searches are answered from a cache of recent answers, dropped whenever an index changes
//! ([`cache`]).

mod api;
mod cache;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::sync::Semaphore;

use crate::multi::MultiSearcher;

/// What `gazette serve` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The index folders (several are searched as one, as `gazette search --index A --index B`).
    pub index: Vec<PathBuf>,
    /// Where to listen (port 0: any free port, printed on start).
    pub addr: SocketAddr,
    /// Searches run at once (default: twice the cores).
    pub max_searches: Option<usize>,
    /// Spread each search of a large index over the cores (as `gazette search` does) instead
    /// of running it on its request's thread: quicker heavy searches when few requests come
    /// at once, more hand-offs when many do (see the README).
    pub parallel_segments: bool,
    /// Bytes of recent `/api/search` answers kept for repeats (0: every request searches);
    /// see [`cache`].
    pub cache_bytes: usize,
}

/// A client must send a whole request head within this time (slow-loris defence).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// A connection is closed after this long, however busy (a client that never reads its
/// response cannot hold a connection forever).
pub const CONNECTION_LIFETIME: Duration = Duration::from_secs(120);
/// Connections open at once; further clients wait in the listen backlog.
pub const MAX_CONNECTIONS: usize = 512;
/// Longest request URI (path and query string), in bytes.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// Longest request head (request line and headers), in bytes.
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// How long a search waits for a free slot before the server answers 503.
const QUEUE_WAIT: Duration = Duration::from_secs(2);

/// Shared by every request.
pub(crate) struct App {
    /// Every index, each with its own reader (reloaded when `gazette index` commits to it).
    pub(crate) searcher: MultiSearcher,
    /// Free search slots.
    pub(crate) slots: Semaphore,
    /// Recent search answers, valid until an index changes.
    pub(crate) answers: cache::AnswerCache,
}

const PAGE_HTML: &str = include_str!("page.html");
const APP_JS: &str = include_str!("app.js");
const APP_CSS: &str = include_str!("app.css");

/// The policy every response carries: only this server's own script, style and data; no
/// inline script or style, no frames, no forms posting elsewhere, no plugins.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Opens the index and serves until interrupted.
pub fn run(opts: &Options) -> anyhow::Result<()> {
    let searcher = MultiSearcher::open_with(&opts.index, opts.parallel_segments)?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let slots = opts.max_searches.unwrap_or(cores * 2).max(1);
    let app = Arc::new(App {
        searcher,
        slots: Semaphore::new(slots),
        answers: cache::AnswerCache::new(opts.cache_bytes),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores.clamp(1, 4))
        .max_blocking_threads(slots + 4)
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(serve(app, opts))
}

async fn serve(app: Arc<App>, opts: &Options) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(opts.addr)
        .await
        .with_context(|| format!("cannot listen on {}", opts.addr))?;
    let local = listener.local_addr()?;
    let docs = app.searcher.num_docs();
    // The first line on stdout is the address (tests and scripts read it: --addr …:0).
    println!("gazette: serving http://{local}/");
    let dirs: Vec<String> = opts.index.iter().map(|d| d.display().to_string()).collect();
    eprintln!(
        "gazette: {} {} ({docs} documents); Ctrl-C to stop",
        if dirs.len() == 1 { "index" } else { "indexes" },
        dirs.join(", ")
    );
    let router = router(app);
    let connections = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let stop = tokio::signal::ctrl_c();
    tokio::pin!(stop);
    loop {
        let permit = tokio::select! {
            _ = &mut stop => return Ok(()),
            permit = connections.clone().acquire_owned() => permit?,
        };
        let (stream, _) = tokio::select! {
            _ = &mut stop => return Ok(()),
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of file descriptors and the like: wait a little rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .max_buf_size(MAX_HEAD_BYTES);
            let conn = http.serve_connection(TokioIo::new(stream), service);
            let _ = tokio::time::timeout(CONNECTION_LIFETIME, conn).await;
            drop(permit);
        });
    }
}

/// The routes, with the security headers and the URI limit on every response.
pub(crate) fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/doc", get(page))
        .route("/app.js", get(script))
        .route("/app.css", get(style))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/api/search", get(api::search))
        .route("/api/doc", get(api::doc))
        .fallback(|| async { api::error(StatusCode::NOT_FOUND, "no such page".to_string()) })
        .with_state(app)
        .layer(axum::middleware::from_fn(guard))
}

/// Refuses over-long URIs and adds the security headers to every response.
async fn guard(req: Request, next: Next) -> Response {
    let uri_len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    let mut resp = if uri_len > MAX_URI_BYTES {
        api::error(
            StatusCode::URI_TOO_LONG,
            format!("request URI is {uri_len} bytes; the limit is {MAX_URI_BYTES}"),
        )
    } else {
        next.run(req).await
    };
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    resp
}

async fn page() -> Response {
    asset("text/html; charset=utf-8", PAGE_HTML)
}

async fn script() -> Response {
    asset("text/javascript; charset=utf-8", APP_JS)
}

async fn style() -> Response {
    asset("text/css; charset=utf-8", APP_CSS)
}

fn asset(kind: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

//! `gazette serve` over HTTP, driving the real binary: the API answers with exactly the CLI's
//! `--json` object, bad parameters get 400 with a JSON error, hostile text stays data, limits
//! hold under floods and stalled clients, and a running server sees `gazette index` commits.

mod common;
mod serve_support;

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::Value;
use serve_support::{enc, fixture, raw, Server, HOSTILE_TITLE};

/// The JSON without the one field that differs between two runs (the time taken).
fn without_time(mut v: Value) -> Value {
    v.as_object_mut().unwrap().remove("took_ms");
    v
}

#[test]
fn api_search_is_the_cli_json_object() {
    let fx = fixture();
    let server = Server::start(&fx.index, &[]);
    let cases: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("interest rate", vec![]),
        (
            "reserve bank",
            vec![("sort", "date"), ("n", "3"), ("offset", "1")],
        ),
        (
            "bank",
            vec![
                ("facets", "1"),
                ("since", "2020-01-01"),
                ("until", "2023-12-31"),
            ],
        ),
        (
            "",
            vec![("section", "Government & Economy"), ("facets", "1")],
        ),
        ("rates", vec![("person", "Elena Varga"), ("timeline", "1")]),
        (
            "\"interest rate\" OR inflation",
            vec![("timeline", "1"), ("facets", "1")],
        ),
    ];
    for (q, params) in cases {
        let mut target = format!("/api/search?q={}", enc(q));
        let mut cli: Vec<String> = Vec::new();
        for (k, v) in &params {
            target.push_str(&format!("&{k}={}", enc(v)));
            match *k {
                "n" => cli.extend(["-n".into(), v.to_string()]),
                "facets" | "timeline" => cli.push(format!("--{k}")),
                _ => cli.extend([format!("--{k}"), v.to_string()]),
            }
        }
        let resp = server.get(&target);
        assert_eq!(resp.status, 200, "{target}: {}", resp.body);
        assert!(resp
            .header("content-type")
            .unwrap()
            .starts_with("application/json"));
        let cli_args: Vec<&str> = cli.iter().map(String::as_str).collect();
        let expected = common::search_run(&fx.index, q, &cli_args).json();
        let api = resp.json();
        assert_eq!(
            without_time(api.clone()),
            without_time(expected),
            "{target} differs from `gazette search --json {cli:?}`"
        );
        let has_timeline = params.iter().any(|(k, _)| *k == "timeline");
        assert_eq!(api.get("timeline").is_some(), has_timeline, "{target}");
        if has_timeline {
            // Every match counted, oldest first: the bars add up to the exact total.
            let bars = api["timeline"].as_array().unwrap();
            let sum: u64 = bars.iter().map(|b| b[1].as_u64().unwrap()).sum();
            assert_eq!(sum, api["total"].as_u64().unwrap(), "{target}");
            let periods: Vec<&str> = bars.iter().map(|b| b[0].as_str().unwrap()).collect();
            let mut sorted = periods.clone();
            sorted.sort();
            assert_eq!(periods, sorted);
        }
    }
}

#[test]
fn bad_parameters_get_400_with_a_json_error_never_500() {
    let fx = fixture();
    let server = Server::start(&fx.index, &[]);
    for (target, mentions) in [
        ("/api/search?q=bank&since=2020-13-01", "since"),
        ("/api/search?q=bank&until=yesterday", "until"),
        ("/api/search?q=bank&sort=popularity", "sort"),
        ("/api/search?q=bank&n=5000", "n="),
        ("/api/search?q=bank&offset=-3", "offset"),
        ("/api/search?q=bank&facets=perhaps", "facets"),
        ("/api/search?q=bank&colour=red", "colour"),
        (
            "/api/search?q=bank&since=2022-01-01&until=2021-01-01",
            "after",
        ),
        ("/api/search?q=-bank", "excluded"),
        ("/api/doc", "path"),
        ("/api/doc?path=x&mode=raw", "mode"),
    ] {
        let resp = server.get(target);
        assert_eq!(resp.status, 400, "{target}: {}", resp.body);
        let err = resp.json()["error"].as_str().unwrap().to_string();
        assert!(err.contains(mentions), "{target}: {err}");
    }
    let long_q = format!("/api/search?q={}", "a".repeat(2000));
    assert_eq!(server.get(&long_q).status, 400);
    let long_uri = format!("/api/search?q=a&x={}", "b".repeat(9000));
    let resp = server.get(&long_uri);
    assert_eq!(resp.status, 414);
    assert!(resp.json()["error"].as_str().unwrap().contains("limit"));
    // Odd queries are searched leniently or refused, never a server error.
    for q in [
        "\"unbalanced",
        "title:",
        "(((",
        "AND OR NOT",
        "*",
        "bank^",
        "\u{0}\u{1b}[31m",
        "日本 銀行",
        "date:[2020 TO",
        "section:\"",
        "~~~",
        "-a -b",
    ] {
        let resp = server.get(&format!("/api/search?q={}&facets=1&timeline=1", enc(q)));
        assert!(
            resp.status == 200 || resp.status == 400,
            "{q:?}: {} {}",
            resp.status,
            resp.body
        );
        assert!(resp.json().is_object());
    }
    assert_eq!(server.get("/no/such/page").status, 404);
    let post = raw(
        server.addr,
        "POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nq=a",
    );
    assert_eq!(post.status, 405);
}

#[test]
fn every_response_carries_a_strict_csp_and_the_page_has_no_inline_script() {
    let fx = fixture();
    let server = Server::start(&fx.index, &[]);
    for target in [
        "/",
        "/doc?path=x",
        "/app.js",
        "/app.css",
        "/api/search?q=bank",
        "/nope",
    ] {
        let resp = server.get(target);
        let csp = resp.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("default-src 'none'"), "{target}: {csp}");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe"),
            "{target}"
        );
        assert_eq!(resp.header("x-content-type-options"), Some("nosniff"));
    }
    let page = server.get("/");
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    // Scripts only by src from this server; no inline handlers or styles.
    assert_eq!(page.body.matches("<script").count(), 1);
    assert!(page.body.contains("<script src=\"/app.js\""));
    for handler in ["onclick", "onload", "onerror", "onsubmit"] {
        assert!(!page.body.contains(handler), "inline {handler} in the page");
    }
    assert!(!page.body.contains("style="));
    // The page draws API text as text nodes only.
    let js = server.get("/app.js").body;
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
    ] {
        assert!(!js.contains(sink), "app.js uses {sink}");
    }
}

#[test]
fn hostile_titles_stay_data_and_only_the_index_is_read() {
    let fx = fixture();
    let server = Server::start(&fx.index, &[]);
    let resp = server.get("/api/search?q=lighthouse+keeper");
    assert_eq!(resp.status, 200);
    let v = resp.json();
    let hit = &v["hits"][0];
    assert_eq!(hit["title"], HOSTILE_TITLE);
    let path = hit["path"].as_str().unwrap().to_string();
    // The article view: stored fields, the query's words marked.
    let doc = server.get(&format!(
        "/api/doc?path={}&q={}",
        enc(&path),
        enc("lighthouse keepers")
    ));
    assert_eq!(doc.status, 200, "{}", doc.body);
    let d = doc.json();
    assert_eq!(d["title"], HOSTILE_TITLE);
    assert_eq!(d["url"], "https://hostile.example/local/lighthouse");
    let text: Vec<char> = d["text"].as_str().unwrap().chars().collect();
    let marked: Vec<String> = d["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let (s, e) = (
                h[0].as_u64().unwrap() as usize,
                h[1].as_u64().unwrap() as usize,
            );
            text[s..e].iter().collect::<String>().to_lowercase()
        })
        .collect();
    assert!(marked.contains(&"lighthouse".to_string()), "{marked:?}");
    assert!(marked.contains(&"keeper".to_string()), "{marked:?}");
    assert!(marked
        .iter()
        .all(|m| m.starts_with("lighthouse") || m.starts_with("keeper")));
    // Paths are keys in the index, never files: traversal finds nothing.
    let secret = fx.dir.path().join("secret.txt");
    std::fs::write(&secret, "top secret").unwrap();
    for p in [
        "../secret.txt",
        secret.to_str().unwrap(),
        "/etc/passwd",
        "../../../../etc/passwd",
        "corpus/../secret.txt",
    ] {
        let resp = server.get(&format!("/api/doc?path={}", enc(p)));
        assert_eq!(resp.status, 404, "{p}: {}", resp.body);
        assert!(!resp.body.contains("top secret") && !resp.body.contains("root:"));
    }
    for target in [
        "/../../etc/passwd",
        "/app.js/../../Cargo.toml",
        "/%2e%2e/Cargo.toml",
    ] {
        let resp = server.get(target);
        assert!(
            !resp.body.contains("root:") && !resp.body.contains("[package]"),
            "{target}"
        );
    }
}

#[test]
fn repeated_searches_are_answered_from_the_cache() {
    let fx = fixture();
    let server = Server::start(&fx.index, &[]);
    let q = "/api/search?q=bank&facets=1&timeline=1&n=3";
    let first = server.get(q);
    assert_eq!(first.status, 200);
    assert_eq!(first.header("x-gazette-cache"), Some("miss"));
    let second = server.get(q);
    assert_eq!(second.header("x-gazette-cache"), Some("hit"));
    assert_eq!(second.body, first.body, "a cached answer is the answer");
    assert!(second.header("content-security-policy").is_some());
    // Another page of the same search is another answer.
    let other = server.get("/api/search?q=bank&facets=1&timeline=1&n=3&offset=3");
    assert_eq!(other.header("x-gazette-cache"), Some("miss"));
    assert_ne!(other.json()["hits"], first.json()["hits"]);
    // Bad requests are refused every time, never cached.
    for _ in 0..2 {
        let bad = server.get("/api/search?q=bank&sort=sideways");
        assert_eq!(bad.status, 400);
        assert_eq!(bad.header("x-gazette-cache"), None);
    }
    // --cache-mb 0: every request searches.
    let uncached = Server::start(&fx.index, &["--cache-mb", "0"]);
    for _ in 0..2 {
        let resp = uncached.get(q);
        assert_eq!(resp.header("x-gazette-cache"), Some("miss"));
        assert_eq!(without_time(resp.json()), without_time(first.json()));
    }
}

#[test]
fn a_running_server_sees_new_commits() {
    let fx = fixture();
    let server = Server::start(&fx.index, &[]);
    let q = "/api/search?q=zeppelinfest&n=1";
    assert_eq!(server.get(q).json()["total"], 0);
    // The empty answer is now cached: the commit below must make the server drop it.
    assert_eq!(server.get(q).header("x-gazette-cache"), Some("hit"));
    let page = std::fs::read_to_string(fx.corpus.join("hostile.example/local/lighthouse.html"))
        .unwrap()
        .replace(
            "Lighthouse keeper retires",
            "Zeppelinfest returns to the harbour",
        )
        .replace("lighthouse/", "zeppelinfest/")
        .replace(
            "https://hostile.example/local/lighthouse",
            "https://hostile.example/local/zeppelinfest",
        );
    std::fs::write(
        fx.corpus.join("hostile.example/local/zeppelinfest.html"),
        page,
    )
    .unwrap();
    common::index(&fx.corpus, &fx.index, &[]);
    let started = Instant::now();
    loop {
        let total = server.get(q).json()["total"].as_u64().unwrap();
        if total == 1 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the server did not reload after the commit"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn floods_and_stalled_clients_do_not_stop_the_server() {
    let fx = fixture();
    let server = Server::start(&fx.index, &["--max-searches", "2"]);
    // Clients that open a connection and never finish their request head.
    let stalled: Vec<TcpStream> = (0..50)
        .map(|_| {
            let mut s = TcpStream::connect(server.addr).unwrap();
            s.write_all(b"GET /api/search?q=bank HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
            s
        })
        .collect();
    let started = Instant::now();
    let resp = server.get("/api/search?q=bank");
    assert_eq!(resp.status, 200);
    assert!(started.elapsed() < Duration::from_secs(2));
    // A flood of searches: each is answered (200, or 503 when the queue is full), none hangs.
    let addr = server.addr;
    let workers: Vec<_> = (0..32)
        .map(|i| {
            std::thread::spawn(move || {
                (0..10)
                    .map(|j| {
                        let q = ["bank", "interest rate", "said", "\"reserve bank\"", "trade"][(i + j) % 5];
                        raw(addr, &format!(
                            "GET /api/search?q={}&facets=1&timeline=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                            enc(q)
                        ))
                        .status
                    })
                    .collect::<Vec<u16>>()
            })
        })
        .collect();
    let statuses: Vec<u16> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    assert_eq!(statuses.len(), 320);
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 503),
        "{statuses:?}"
    );
    assert!(statuses.iter().filter(|s| **s == 200).count() > 100);
    // A request head larger than the limit is refused without harm.
    let huge = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
        "a".repeat(100_000)
    );
    let mut s = TcpStream::connect(server.addr).unwrap();
    let _ = s.write_all(huge.as_bytes());
    drop(s);
    drop(stalled);
    assert_eq!(server.get("/api/search?q=bank").status, 200);
}

#[test]
fn several_indexes_are_served_as_one() {
    let fx = fixture();
    let tmp = tempfile::tempdir().unwrap();
    let (ca, cb) = (tmp.path().join("ca"), tmp.path().join("cb"));
    let mut n = 0;
    common::split(&fx.corpus, &fx.corpus, &ca, &cb, &mut n);
    let (ia, ib) = (tmp.path().join("ia"), tmp.path().join("ib"));
    common::index(&ca, &ia, &[]);
    common::index(&cb, &ib, &[]);
    let one = Server::start(&fx.index, &[]);
    // (--parallel-segments: searches spread over the cores give the same answers.)
    let two = Server::start(
        &ia,
        &["--index", ib.to_str().unwrap(), "--parallel-segments"],
    );
    for target in [
        "/api/search?q=interest+rate&n=50",
        "/api/search?q=strike&n=50&facets=1",
        "/api/search?q=bank+OR+port&n=50&timeline=1",
        "/api/search?q=%22reserve+bank%22&n=50",
        "/api/search?q=minister&n=50&since=2019-01-01",
        "/api/search?q=the&n=5&offset=3",
        "/api/search?q=&section=Government+%26+Economy&facets=1&n=50",
    ] {
        let (single, split) = (one.get(target), two.get(target));
        assert_eq!((single.status, split.status), (200, 200), "{target}");
        let (single, split) = (single.json(), split.json());
        assert!(single["total"].as_u64().unwrap() > 0, "{target} matches");
        assert_eq!(single["total"], split["total"], "{target}: totals");
        assert_eq!(
            common::ranked(&single),
            common::ranked(&split),
            "{target}: ranking"
        );
        for key in ["facets", "timeline"] {
            assert_eq!(single.get(key), split.get(key), "{target}: {key}");
        }
        // Every hit says which index holds it, and the two indexes both answer.
        let parts: Vec<u64> = common::hits(&split)
            .iter()
            .map(|h| h["index"].as_u64().expect("a hit's index"))
            .collect();
        assert!(parts.iter().all(|&i| i < 2), "{target}: {parts:?}");
        assert!(common::hits(&single)
            .iter()
            .all(|h| h.get("index").is_none()));
    }
    // Exactly the CLI's object for the same indexes.
    let api = two
        .get("/api/search?q=bank&facets=1&timeline=1&n=20")
        .json();
    let cli = common::run([
        "search",
        "--index",
        ia.to_str().unwrap(),
        "--index",
        ib.to_str().unwrap(),
        "--json",
        "--facets",
        "--timeline",
        "-n",
        "20",
        "bank",
    ])
    .json();
    assert_eq!(without_time(api.clone()), without_time(cli));
    // The article view of a hit of the second index.
    let hit = common::hits(&api)
        .iter()
        .find(|h| h["index"] == 1)
        .expect("a hit from the second index")
        .clone();
    let path = hit["path"].as_str().unwrap();
    let doc = two.get(&format!("/api/doc?path={}&index=1&q=bank", enc(path)));
    assert_eq!(doc.status, 200, "{}", doc.body);
    assert_eq!(doc.json()["title"], hit["title"]);
    assert_eq!(doc.json()["index"], 1);
    assert!(!doc.json()["highlights"].as_array().unwrap().is_empty());
    // Without `index`, the first index holding the path; not in the first index: 404.
    assert_eq!(
        two.get(&format!("/api/doc?path={}", enc(path))).json()["title"],
        hit["title"]
    );
    assert_eq!(
        two.get(&format!("/api/doc?path={}&index=0", enc(path)))
            .status,
        404
    );
    for bad in ["2", "-1", "x", ""] {
        let resp = two.get(&format!("/api/doc?path={}&index={bad}", enc(path)));
        assert_eq!(resp.status, 400, "index={bad}: {}", resp.body);
        assert!(resp.json()["error"].as_str().unwrap().contains("index"));
    }
    // Paths are unique only within an index: the same path committed to the *first* index
    // while serving is seen (each index reloads on its own) and told apart by `index`.
    let copy = ca.join(path);
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    let original = std::fs::read_to_string(cb.join(path)).unwrap();
    let title = hit["title"].as_str().unwrap();
    std::fs::write(
        &copy,
        original.replace(title, "Zeppelinfest over the harbour"),
    )
    .unwrap();
    common::index(&ca, &ia, &[]);
    let started = Instant::now();
    let found = loop {
        let v = two.get("/api/search?q=zeppelinfest").json();
        if v["total"] == 1 {
            break v;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the server did not reload the first index"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(common::hits(&found)[0]["index"], 0);
    assert_eq!(common::hits(&found)[0]["path"], path);
    let title_in = |i: usize| {
        two.get(&format!("/api/doc?path={}&index={i}", enc(path)))
            .json()["title"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(title_in(0), "Zeppelinfest over the harbour");
    assert_eq!(title_in(1), title);
}

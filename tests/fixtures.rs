//! End-to-end tests over small corpora that each test writes into a temporary folder: chrome
//! that must not be indexed, files that are not pages, gzip and legacy encodings. All the
//! pages here are fiction written for these tests.

mod common;

use std::io::Write;
use std::path::Path;

use common::*;
use serde_json::Value;

/// Story paragraphs of the fictional test pages (about 150 words).
const PARAGRAPHS: [&str; 4] = [
    "The lighthouse at Gannet Point will be staffed again from next spring, the harbour trust said on Monday, ending forty years in which the lamp was run from a control room in town.",
    "Two keepers will live in the restored cottages beside the tower and look after the lamp, the fog signal and a small museum about the families who kept the light before automation.",
    "\"People kept asking us who looks after the light,\" said Wilhelmina Trask, who chairs the trust. \"Now we can give them an answer with a face and a name.\"",
    "The trust raised the money for the repairs from a public appeal and a grant from the coastal heritage fund. Work on the cottages starts in September and should take about six months.",
];

/// A complete article page in a modern layout: header and nav, the story in `<article>`,
/// `extra_in_article` just before `</article>` and `extra_after` after it.
fn page(title: &str, story: &[&str], extra_in_article: &str, extra_after: &str) -> String {
    let paras: String = story.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} | The Test Courier</title>
</head>
<body>
<header class="site-header"><a href="/">The Test Courier</a>
<nav><a href="/news/">News</a> <a href="/sport/">Sport</a> <a href="/business/">Business</a></nav></header>
<main>
<article>
<h1>{title}</h1>
<p class="byline">By <a rel="author" href="/authors/jo-pellow">Jo Pellow</a></p>
<time datetime="2024-03-04T09:30:00Z">4 March 2024</time>
<div class="article-body">
{paras}</div>
{extra_in_article}
</article>
{extra_after}
</main>
<footer class="site-footer"><p>Copyright The Test Courier. All rights reserved.</p></footer>
</body>
</html>
"#
    )
}

fn lighthouse_page() -> String {
    page(
        "Keepers to return to Gannet Point lighthouse",
        &PARAGRAPHS,
        "",
        "",
    )
}

fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// `gazette extract ROOT`, as a map from path to line.
fn extract_all(root: &Path) -> std::collections::BTreeMap<String, Value> {
    let r = run(["extract".as_ref(), root.as_os_str()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.json_lines()
        .into_iter()
        .map(|l| (l["path"].as_str().unwrap().to_string(), l))
        .collect()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

#[test]
fn words_only_in_related_asides_are_not_indexed() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let related = r#"<aside class="related"><h2>Related stories</h2>
<ul><li><a href="/news/quokkafest-returns">Quokkafest returns to the bay</a></li>
<li><a href="/news/quokkafest-weekend">Quokkafest adds a second weekend</a></li></ul>
<p>Quokkafest organisers promise a bigger parade this year, with floats from every village along the estuary.</p>
</aside>"#;
    // The box after the story, and inside the <article> element.
    write(
        &corpus,
        "courier.example/news/2024/03/04/keepers-return.html",
        page(
            "Keepers to return to Gannet Point lighthouse",
            &PARAGRAPHS,
            "",
            related,
        ),
    );
    let story2 = [
        "The ferry between Tolworth and the islands will run every hour this summer, the operator said, after a new boat joined the fleet in time for the holidays.",
        "Captain Ruairi Boyle said the extra sailings would cut queues at the slipway, which stretched to three hours on busy Saturdays last August.",
        "Fares will stay the same until October, when the operator will review its prices alongside the winter timetable and the cost of fuel for the season.",
    ];
    write(
        &corpus,
        "courier.example/news/2024/03/05/hourly-ferry.html",
        page(
            "Hourly ferry for the islands this summer",
            &story2,
            related,
            "",
        ),
    );
    let idx = tmp.path().join("index");
    let s = index(&corpus, &idx, &[]);
    assert_eq!(s["added"], 2, "{s:#}");

    let r = search_run(&idx, "quokkafest", &[]);
    assert_eq!(
        r.code, 1,
        "a word only in a related box matched: {}",
        r.stdout
    );
    assert_eq!(total(&r.json()), 0);
    let r = search_run(&idx, "\"bigger parade\"", &[]);
    assert_eq!(r.code, 1, "a related box's teaser matched: {}", r.stdout);

    // The stories themselves are there.
    let v = search(&idx, "lighthouse keepers", &[]);
    assert_eq!(
        paths(&v),
        vec!["courier.example/news/2024/03/04/keepers-return.html"]
    );
    assert_eq!(
        titles(&v),
        vec!["Keepers to return to Gannet Point lighthouse"]
    );
    let v = search(&idx, "ferry slipway", &[]);
    assert_eq!(
        paths(&v),
        vec!["courier.example/news/2024/03/05/hourly-ferry.html"]
    );

    for (path, line) in extract_all(&corpus) {
        let body = line["body"].as_str().unwrap();
        assert!(!body.contains("Quokkafest"), "{path}: {body}");
        assert!(
            !body.contains("Copyright"),
            "{path}: footer in the body: {body}"
        );
    }
}

#[test]
fn binary_files_under_page_names_are_skipped_and_counted() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    write(
        &corpus,
        "courier.example/news/keepers.html",
        lighthouse_page(),
    );
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(std::iter::repeat_n(0u8, 4096));
    write(&corpus, "courier.example/news/photo.html", &png);
    write(
        &corpus,
        "courier.example/news/photo-without-extension",
        &png,
    );
    let mut noise: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 31) as u8).collect();
    noise.extend_from_slice(b"<html>");
    write(&corpus, "courier.example/news/garbage.htm", &noise);
    // Plain text without an extension is not a page either.
    write(
        &corpus,
        "courier.example/NOTES",
        "Things to check before the next crawl:\n- robots.txt\n- the sitemap\n",
    );
    let idx = tmp.path().join("index");
    let s = index(&corpus, &idx, &[]);
    assert_eq!(s["files_seen"], 5, "{s:#}");
    assert_eq!(s["added"], 1, "{s:#}");
    assert_eq!(s["skipped"]["not HTML (content)"], 4, "{s:#}");
    assert_eq!(s["docs_in_index"], 1, "{s:#}");
    assert_eq!(s["errors"], serde_json::json!([]), "{s:#}");
    assert_eq!(total(&search(&idx, "", &[])), 1);

    let lines = extract_all(&corpus);
    for p in [
        "courier.example/news/photo.html",
        "courier.example/news/photo-without-extension",
        "courier.example/news/garbage.htm",
        "courier.example/NOTES",
    ] {
        assert_eq!(lines[p]["kind"], "not_html", "{p}: {}", lines[p]);
    }
    assert_eq!(
        lines["courier.example/news/keepers.html"]["kind"],
        "article"
    );
}

#[test]
fn empty_files_are_skipped_as_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    write(
        &corpus,
        "courier.example/news/keepers.html",
        lighthouse_page(),
    );
    write(&corpus, "courier.example/news/empty.html", "");
    write(&corpus, "courier.example/news/blank.html", " \n\t\r\n ");
    write(&corpus, "courier.example/news/empty-slug", "");
    let idx = tmp.path().join("index");
    let s = index(&corpus, &idx, &[]);
    assert_eq!(s["skipped"]["empty file"], 3, "{s:#}");
    assert_eq!(s["added"], 1, "{s:#}");
    assert_eq!(s["docs_in_index"], 1, "{s:#}");
    let lines = extract_all(&corpus);
    let empty = &lines["courier.example/news/empty.html"];
    assert_ne!(empty["kind"], "article", "{empty}");
    assert_eq!(empty["error"], "empty file", "{empty}");

    // A corpus of nothing but empty files indexes nothing: exit 1.
    let only_empty = tmp.path().join("only-empty");
    write(&only_empty, "a.html", "");
    let r = run([
        "index".as_ref(),
        only_empty.as_os_str(),
        "--index".as_ref(),
        tmp.path().join("index2").as_os_str(),
        "-q".as_ref(),
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains("nothing could be indexed"),
        "{}",
        r.stderr
    );
}

#[test]
fn gzipped_pages_are_indexed_and_broken_gzip_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    write(
        &corpus,
        "courier.example/news/2024/03/04/keepers.html.gz",
        gzip(lighthouse_page().as_bytes()),
    );
    // Gzipped without an extension inside (wget's `slug.gz`): sniffed after decompression.
    let story = [
        "Anglers on the River Wend have counted more salmon this autumn than in any year since the weir at Coldharbour was removed, the river trust said on Thursday.",
        "Volunteers counted two hundred and twelve fish at the fish pass in October, against ninety the year before the weir came down, said Benedikt Achola, who leads the count.",
        "The trust wants to remove two more weirs upstream by the end of next year and has asked landowners along the valley for their support.",
    ];
    write(
        &corpus,
        "courier.example/news/salmon-return.gz",
        gzip(
            page(
                "Salmon return to the Wend after weir removal",
                &story,
                "",
                "",
            )
            .as_bytes(),
        ),
    );
    let mut broken = gzip(lighthouse_page().as_bytes());
    broken.truncate(broken.len() / 2);
    write(&corpus, "courier.example/news/broken.html.gz", &broken);
    let idx = tmp.path().join("index");
    let s = index(&corpus, &idx, &[]);
    assert_eq!(s["added"], 2, "{s:#}");
    let unreadable: Vec<&String> = s["skipped"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| k.starts_with("unreadable"))
        .collect();
    assert_eq!(unreadable.len(), 1, "{s:#}");
    assert!(unreadable[0].contains("gzip"), "{s:#}");
    let errors = s["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{s:#}");
    assert_eq!(errors[0][0], "courier.example/news/broken.html.gz", "{s:#}");

    let v = search(&idx, "lighthouse", &[]);
    assert_eq!(
        paths(&v),
        vec!["courier.example/news/2024/03/04/keepers.html.gz"]
    );
    assert_eq!(
        titles(&v),
        vec!["Keepers to return to Gannet Point lighthouse"]
    );
    assert_eq!(hits(&v)[0]["date"], "2024-03-04");
    let snippet = hits(&v)[0]["snippet"].as_str().unwrap();
    assert!(snippet.to_lowercase().contains("lighthouse"), "{snippet}");
    let v = search(&idx, "salmon weir", &[]);
    assert_eq!(paths(&v), vec!["courier.example/news/salmon-return.gz"]);
}

/// The page of a legacy site: windows-1252 bytes, declared (or not) in the head.
fn windows_1252_page(head_meta: &[u8]) -> Vec<u8> {
    let mut b: Vec<u8> = Vec::new();
    b.extend_from_slice(b"<HTML><HEAD>");
    b.extend_from_slice(head_meta);
    b.extend_from_slice(b"<TITLE>The Tilbury Echo - \x93Caf\xe9 society\x94 returns to Mill Lane</TITLE></HEAD>\n<BODY><TABLE><TR><TD CLASS=\"storytext\">\n");
    b.extend_from_slice(
        b"<FONT SIZE=\"4\"><B>\x93Caf\xe9 society\x94 returns to Mill Lane</B></FONT><BR>\n",
    );
    b.extend_from_slice(b"<P>The old tea rooms on Mill Lane reopened on Saturday as a caf\xe9 with a \x93quoted\x94 menu of crumpets at \xa35 a plate \x96 and the queue stretched to the bridge.</P>\n");
    b.extend_from_slice(b"<P>Owner Ren\xe9e Marchetti, whose r\xe9sum\xe9 includes twenty years in hotel kitchens, said the cr\xe8me br\xfbl\xe9e had sold out by noon \x97 twice.</P>\n");
    b.extend_from_slice(b"<P>\x91It\x92s the building people love,\x92 she said. The parish council gave the tea rooms a grant of \xa32,000 towards a new roof and a ramp at the door.</P>\n");
    b.extend_from_slice(b"<P>Regulars said they were glad to have somewhere to meet again after the tea rooms closed three winters ago, and several asked for the old scones to come back.</P>\n");
    b.extend_from_slice(b"</TD></TR></TABLE></BODY></HTML>\n");
    b
}

#[test]
fn windows_1252_pages_decode_correctly() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let declared = windows_1252_page(
        b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=windows-1252\">",
    );
    let undeclared = windows_1252_page(b"");
    let mislabelled = windows_1252_page(b"<meta charset=\"utf-8\">");
    write(&corpus, "echo.example/life/declared.html", &declared);
    write(&corpus, "echo.example/life/undeclared.html", &undeclared);
    write(&corpus, "echo.example/life/mislabelled.html", &mislabelled);

    let lines = extract_all(&corpus);
    for name in ["declared", "undeclared", "mislabelled"] {
        let l = &lines[&format!("echo.example/life/{name}.html")];
        assert_eq!(l["kind"], "article", "{name}: {l}");
        assert_eq!(l["title"], "“Café society” returns to Mill Lane", "{name}");
        let body = l["body"].as_str().unwrap();
        for expected in [
            "“quoted” menu of crumpets at £5 a plate – and",
            "Renée Marchetti, whose résumé",
            "crème brûlée had sold out by noon — twice",
            "‘It’s the building people love,’",
            "£2,000",
        ] {
            assert!(
                body.contains(expected),
                "{name}: {expected:?} not in {body:?}"
            );
        }
        assert!(!body.contains('\u{fffd}'), "{name}: {body}");
    }

    let idx = tmp.path().join("index");
    let s = index(&corpus, &idx, &[]);
    assert_eq!(s["added"], 3, "{s:#}");
    let v = search(&idx, "cafe", &["-n", "10", "--no-collapse"]);
    assert_eq!(total(&v), 3);
    for h in hits(&v) {
        assert_eq!(h["title"], "“Café society” returns to Mill Lane");
        let snippet = h["snippet"].as_str().unwrap();
        assert!(
            snippet.contains("café") || snippet.contains("Café"),
            "{snippet}"
        );
        assert!(!snippet.contains('\u{fffd}'), "{snippet}");
    }
    assert_eq!(total(&search(&idx, "resume", &["--no-collapse"])), 3);
    assert_eq!(
        total(&search(&idx, "renee marchetti", &["--no-collapse"])),
        3
    );
}

#[test]
fn pages_without_html_extensions_are_sniffed() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    write(
        &corpus,
        "courier.example/news/keepers-to-return",
        lighthouse_page(),
    );
    let story = [
        "The village shop in Eastry will stay open after residents bought it for the community, raising the money in shares of fifty pounds each over the winter.",
        "Volunteers will run the till on weekday mornings and a paid manager will be hired for the rest of the week, said Ottoline Baxendale, who led the campaign.",
        "The shop also houses the post office counter, which the nearest town had threatened to take over when the previous owners announced that they would retire.",
    ];
    write(
        &corpus,
        "courier.example/news/story.php",
        page("Residents buy Eastry village shop", &story, "", ""),
    );
    write(&corpus, "courier.example/.htaccess", "Options -Indexes\n");
    write(
        &corpus,
        "courier.example/feed.xml",
        "<?xml version=\"1.0\"?><rss><channel><title>Lighthouse</title></channel></rss>",
    );
    let idx = tmp.path().join("index");
    let s = index(&corpus, &idx, &[]);
    assert_eq!(s["added"], 2, "{s:#}");
    assert_eq!(s["skipped"]["not HTML (hidden file)"], 1, "{s:#}");
    assert_eq!(s["skipped"]["not HTML (.xml file)"], 1, "{s:#}");
    let v = search(&idx, "lighthouse", &[]);
    assert_eq!(paths(&v), vec!["courier.example/news/keepers-to-return"]);
    assert_eq!(
        hits(&v)[0]["url"],
        "https://courier.example/news/keepers-to-return"
    );
    let v = search(&idx, "village shop", &[]);
    assert_eq!(paths(&v), vec!["courier.example/news/story.php"]);
}

//! Issue 11 through the real binary: pages that lie about their charset come out without
//! mojibake, and dates written for readers in other languages are found.

use assert_cmd::Command;
use serde_json::Value;

fn extract(dir: &std::path::Path) -> Vec<Value> {
    let out = Command::cargo_bin("gazette")
        .unwrap()
        .arg("extract")
        .arg(dir)
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn utf8_page_declared_latin1_and_polish_date() {
    let dir = tempfile::tempdir().unwrap();
    let story = "Kościół mówił – różne sposoby, a rada miasta zebrała się w środę wieczorem, \
                 żeby omówić budżet na przyszły rok i nowe inwestycje w szkołach.";
    let page = format!(
        "<html lang='pl'><head><meta charset='iso-8859-1'><title>Rada miasta</title></head>\
         <body><h1>Rada miasta obraduje nad budżetem</h1><div class='meta'>16 października 2019</div>\
         <article><p>{story}</p><p>{story}</p><p>{story}</p></article></body></html>"
    );
    std::fs::write(dir.path().join("page.html"), page.as_bytes()).unwrap();
    let rows = extract(dir.path());
    assert_eq!(rows.len(), 1, "{rows:?}");
    let body = rows[0]["body"].as_str().unwrap();
    assert!(body.contains("Kościół mówił – różne"), "{body}");
    assert!(!body.contains("Ã") && !body.contains('\u{fffd}'), "{body}");
    assert_eq!(rows[0]["date"], "2019-10-16");
}

//! Extraction throughput: how many pages per second `gazette::extract::extract_html` (parse,
//! metadata, blocks, story, title, date, section, byline, people, language) handles on one
//! core, the indexer's hot path.
//!
//! Corpus: a fixed, deterministic sample of the shared news pages when `../shared` is present
//! (every 50th page file of `../shared/corpora/newspages` in sorted path order, about 370
//! pages of four site layouts), else every page of the bundled `corpus/`. Pages are read and
//! decoded into memory once, before measuring; only extraction is timed. Criterion reports
//! the throughput as elements/s, where one element is one page.
//!
//! A second group, `extract_text`, measures text page dumps (`extract::text::extract_text`)
//! the same way.
//!
//! Run: `cargo bench --bench extract` (one group: `cargo bench --bench extract -- extract_text`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gazette::decode::{decode_html, read_bytes};
use gazette::discover::{walk, FileClass, Found};

/// Every how-many-th page of the shared corpus goes into the sample.
const SHARED_STRIDE: usize = 50;

/// `(relative path, decoded HTML)` of the sample pages, and a name for the corpus.
fn sample() -> (Vec<(String, String)>, String) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = manifest.join("../shared/corpora/newspages");
    let (root, stride, name): (PathBuf, usize, String) = if shared.is_dir() {
        (
            shared,
            SHARED_STRIDE,
            format!("newspages every {SHARED_STRIDE}th page"),
        )
    } else {
        (manifest.join("corpus"), 1, "bundled corpus".to_string())
    };
    let mut pages: Vec<(String, PathBuf)> = walk(&root, false)
        .filter_map(|f| match f {
            Found::File {
                path, rel, class, ..
            } if !matches!(class, FileClass::NotHtml(_)) => Some((rel, path)),
            _ => None,
        })
        .collect();
    pages.sort();
    let sample = pages
        .into_iter()
        .step_by(stride)
        .filter_map(|(rel, path)| {
            let bytes = read_bytes(&path, 50 * 1024 * 1024).ok()?;
            gazette::decode::sniff_html(&bytes).then(|| (rel, decode_html(&bytes)))
        })
        .collect();
    (sample, name)
}

fn extract(c: &mut Criterion) {
    let (pages, name) = sample();
    assert!(!pages.is_empty(), "no pages to benchmark");
    let bytes: usize = pages.iter().map(|(_, h)| h.len()).sum();
    eprintln!(
        "extract bench: {} pages, {:.1} MB of HTML ({name})",
        pages.len(),
        bytes as f64 / 1e6
    );
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Elements(pages.len() as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function(format!("extract_html ({name})"), |b| {
        b.iter(|| {
            let mut words = 0usize;
            for (rel, html) in &pages {
                words += gazette::extract::extract_html(html, rel).words;
            }
            std::hint::black_box(words)
        })
    });
    group.finish();
}

/// Every how-many-th dump of the shared text dumps goes into the text sample.
const TEXT_STRIDE: usize = 5;

/// Text page dumps: a fixed sample of `../shared/corpora/textdumps` (every 5th `.txt` in sorted
/// path order, about 480 dumps of four layouts), else invented dumps built here, so the group
/// runs everywhere. Decoded once; only `extract_text` is timed.
fn text_sample() -> (Vec<(String, String)>, String) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = manifest.join("../shared/corpora/textdumps");
    if shared.is_dir() {
        let mut dumps: Vec<(String, PathBuf)> = walk(&shared, false)
            .filter_map(|f| match f {
                Found::File {
                    path,
                    rel,
                    class: FileClass::Text,
                    ..
                } => Some((rel, path)),
                _ => None,
            })
            .collect();
        dumps.sort();
        let sample = dumps
            .into_iter()
            .step_by(TEXT_STRIDE)
            .filter_map(|(rel, path)| {
                let bytes = read_bytes(&path, 50 * 1024 * 1024).ok()?;
                Some((rel, decode_html(&bytes)))
            })
            .collect();
        return (sample, format!("textdumps every {TEXT_STRIDE}th dump"));
    }
    let mut sample = Vec::new();
    for i in 0..200 {
        let mut text = format!(
            "date 2021-05-{:02} You are here\n\nHome > Section {}\n\nHeadline number {i} about the harbour\n\nWed, May 12, 2021 - 8:15 AM\n\n",
            i % 28 + 1,
            i % 7
        );
        for p in 0..(6 + i % 10) {
            text.push_str(&format!(
                "Paragraph {p} of story {i}: the port authority said on Tuesday that the dredging contract would run for five years, officials said.\n\n"
            ));
        }
        text.push_str("AFP\n\nBREAKING\n\nMay 13, 2021 07:10 AM\nOther story headline here\n\nsubscribe to\nThe Paper\n");
        sample.push((format!("paper.example/s/{i}.txt"), text));
    }
    (sample, "invented dumps".to_string())
}

fn extract_text(c: &mut Criterion) {
    let (dumps, name) = text_sample();
    assert!(!dumps.is_empty(), "no dumps to benchmark");
    let bytes: usize = dumps.iter().map(|(_, t)| t.len()).sum();
    eprintln!(
        "extract_text bench: {} dumps, {:.1} MB of text ({name})",
        dumps.len(),
        bytes as f64 / 1e6
    );
    let mut group = c.benchmark_group("extract_text");
    group.throughput(Throughput::Elements(dumps.len() as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function(format!("extract_text ({name})"), |b| {
        b.iter(|| {
            let mut words = 0usize;
            for (rel, text) in &dumps {
                words += gazette::extract::text::extract_text(text, rel).words;
            }
            std::hint::black_box(words)
        })
    });
    group.finish();
}

criterion_group!(benches, extract, extract_text);
criterion_main!(benches);

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
//! Run: `cargo bench --bench extract`.

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

criterion_group!(benches, extract);
criterion_main!(benches);

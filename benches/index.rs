//! Indexing throughput (MB of HTML per second, and pages per second) of `gazette::index::run`,
//! the whole `gazette index` pipeline: walk, read, decode, extract, write and commit a fresh
//! tantivy index. Corpus: a fixed sample of ../shared/corpora/newspages (every 20th file in
//! sorted order, copied once into a temporary folder) when it exists, else the bundled
//! corpus/. Run: `cargo bench --bench index`.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gazette::index::{run, IndexOptions};

/// Copies every `step`-th file of `from` (sorted walk) into `to`, keeping relative paths.
fn sample(from: &Path, to: &Path, step: usize) -> u64 {
    let mut bytes = 0;
    let files = walkdir::WalkDir::new(from)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file());
    for (i, entry) in files.enumerate() {
        if i % step != 0 {
            continue;
        }
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        bytes += std::fs::copy(entry.path(), &dest).unwrap();
    }
    bytes
}

fn corpus(tmp: &Path) -> (PathBuf, u64, &'static str) {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/newspages");
    if shared.is_dir() {
        let dir = tmp.join("sample");
        let bytes = sample(&shared, &dir, 20);
        (dir, bytes, "newspages-1-in-20")
    } else {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let bytes = sample(&dir, &tmp.join("sample"), 1);
        (tmp.join("sample"), bytes, "bundled-corpus")
    }
}

fn bench_index(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, bytes, name) = corpus(tmp.path());
    let mut group = c.benchmark_group("index");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes));
    let stop = AtomicBool::new(false);
    let mut n = 0;
    group.bench_function(name, |b| {
        b.iter(|| {
            n += 1;
            let opts = IndexOptions {
                corpus: dir.clone(),
                index_dir: tmp.path().join(format!("index-{n}")),
                memory_mb: 256,
                threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
                include_listings: false,
                max_file_bytes: 50 << 20,
                follow_links: false,
                prune: false,
                rebuild: false,
                commit_every: 10_000,
                max_segment_mb: 100,
                fields: Default::default(),
                exclude: Vec::new(),
                no_stories: false,
                progress: false,
            };
            let summary = run(&opts, &stop).unwrap();
            std::fs::remove_dir_all(&opts.index_dir).unwrap();
            summary.added
        })
    });
    group.finish();
}

criterion_group!(benches, bench_index);
criterion_main!(benches);

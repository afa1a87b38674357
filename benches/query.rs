//! Query latency by query type (one term, AND, OR, phrase, rare and common terms, each
//! filter, date sort, facets) through `gazette::search::Searcher::search` with snippets, as
//! `gazette search` runs them. Corpus: ../shared/corpora/newspages indexed once into a
//! temporary folder when it exists (queries from benches/queries-newspages.txt), else the
//! bundled corpus/ (queries from benches/queries.txt). Run: `cargo bench --bench query`.
//! For percentiles and QPS on big indexes use `gazette bench` (see benches/README.md).

use std::path::Path;
use std::sync::atomic::AtomicBool;

use criterion::{criterion_group, criterion_main, Criterion};
use gazette::bench::read_queries;
use gazette::index::{run, IndexOptions};
use gazette::search::Searcher;

fn bench_queries(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/corpora/newspages");
    let (corpus, queries) = if shared.is_dir() {
        (shared, root.join("benches/queries-newspages.txt"))
    } else {
        (root.join("corpus"), root.join("benches/queries.txt"))
    };
    let tmp = tempfile::tempdir().unwrap();
    let opts = IndexOptions {
        corpus,
        index_dir: tmp.path().join("index"),
        memory_mb: 256,
        threads: 2,
        include_listings: false,
        max_file_bytes: 50 << 20,
        follow_links: false,
        prune: false,
        rebuild: false,
        commit_every: 100_000,
        max_segment_mb: 100,
        fields: Default::default(),
        exclude: Vec::new(),
        no_stories: false,
        progress: false,
    };
    run(&opts, &AtomicBool::new(false)).unwrap();
    let searcher = Searcher::open(&opts.index_dir).unwrap();
    let mut group = c.benchmark_group("query");
    for (line, mut req) in read_queries(&queries).unwrap() {
        req.snippet_chars = 200;
        group.bench_function(line.as_str(), |b| {
            b.iter(|| searcher.search(&req).unwrap().total)
        });
    }
    group.finish();
}

criterion_group!(benches, bench_queries);
criterion_main!(benches);

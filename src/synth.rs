//! Placeholder: replaced by the synth implementation (scale corpora for benchmarks).
use std::path::PathBuf;

/// How to generate a corpus.
#[derive(Debug, Clone)]
pub struct SynthOptions {
    /// Corpus to learn paragraphs, headlines, dates, sections, people and layouts from.
    pub from: PathBuf,
    /// Output folder.
    pub out: PathBuf,
    /// Number of pages to write.
    pub docs: u64,
    /// Random seed: the same seed, source and count give the same files.
    pub seed: u64,
    /// Writer threads.
    pub threads: usize,
}

/// What was generated.
#[derive(Debug, Default, serde::Serialize)]
pub struct SynthSummary {
    /// Articles read from the source corpus.
    pub source_articles: usize,
    /// Distinct page layouts used as templates.
    pub layouts: usize,
    /// Pages written.
    pub written: u64,
    /// Bytes written.
    pub bytes: u64,
    /// Wall time in seconds.
    pub seconds: f64,
}

/// Generates the corpus.
pub fn run(_opts: &SynthOptions) -> anyhow::Result<SynthSummary> {
    anyhow::bail!("synth is not implemented yet")
}

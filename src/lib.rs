//! gazette: full-text search for folders of saved news pages.
//!
//! The pipeline has one module per stage, in the order data flows:
//! [`discover`] (which files) → [`decode`] (bytes to text) → [`extract`] (what the page means)
//! → [`index`] (tantivy documents) → [`search`] (queries, filters, facets; [`snippet`] for
//! passages) → [`render`] (terminal and JSON output). The binary in `main.rs` is a thin
//! command-line layer over these.

pub mod analyzers;
pub mod bench;
pub mod cluster;
pub mod collapse;
pub mod counts;
pub mod decode;
pub mod discover;
pub mod export;
pub mod dups;
pub mod extract;
pub mod index;
pub mod multi;
pub mod multilang;
pub mod query;
pub mod render;
pub mod schema;
pub mod search;
pub mod serve;
pub mod snippet;
pub mod source;
pub mod synth;
pub mod timeline;

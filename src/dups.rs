//! `gazette dups`: the story clusters of an index, largest first, for archivists auditing a
//! collection (which stories were syndicated where, which pages are second editions).

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;
use serde::Serialize;
use tantivy::schema::Value;
use tantivy::{DocAddress, TantivyDocument};

use crate::cluster::STORY;
use crate::collapse::Copy;
use crate::schema;

/// One story cluster.
#[derive(Debug, Clone, Serialize)]
pub struct Cluster {
    /// The story id (as stored in the `story` fast field).
    pub story: u64,
    /// Headline of its earliest page.
    pub title: String,
    /// Its pages, earliest first.
    pub pages: Vec<Copy>,
}

/// The clusters of at least `min_size` pages, largest first (ties: earliest first).
///
/// Memory: one (story, address) pair per page is read from the fast field and grouped, about
/// 24 bytes a page; stored fields are read only for the clusters listed.
pub fn clusters(index_dir: &Path, min_size: usize) -> anyhow::Result<Vec<Cluster>> {
    let (index, fields) = schema::open(index_dir)?;
    let reader = index
        .reader()
        .with_context(|| format!("cannot read the index at {}", index_dir.display()))?;
    let searcher = reader.searcher();
    let mut groups: HashMap<u64, Vec<DocAddress>> = HashMap::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let stories = segment.fast_fields().u64(STORY)?;
        for doc in segment.doc_ids_alive() {
            if let Some(story) = stories.first(doc) {
                groups
                    .entry(story)
                    .or_default()
                    .push(DocAddress::new(ord as u32, doc));
            }
        }
    }
    let min_size = min_size.max(2);
    let mut big: Vec<(u64, Vec<DocAddress>)> = groups
        .into_iter()
        .filter(|(_, docs)| docs.len() >= min_size)
        .collect();
    let mut out = Vec::with_capacity(big.len());
    for (story, docs) in big.drain(..) {
        let mut pages = Vec::with_capacity(docs.len());
        let mut titles = Vec::with_capacity(docs.len());
        for addr in docs {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = |f| doc.get_first(f).and_then(|v| v.as_str()).map(String::from);
            let site = searcher
                .segment_reader(addr.segment_ord)
                .fast_fields()
                .str("site")?
                .and_then(|col| {
                    let ord = col.term_ords(addr.doc_id).next()?;
                    let mut s = String::new();
                    col.ord_to_str(ord, &mut s).ok()?.then_some(s)
                });
            let page = Copy {
                path: text(fields.path).unwrap_or_default(),
                url: text(fields.url),
                site,
                date: text(fields.day),
            };
            titles.push((page.clone(), text(fields.title).unwrap_or_default()));
            pages.push(page);
        }
        let key = |c: &Copy| (c.date.is_none(), c.date.clone(), c.path.clone());
        pages.sort_by_key(key);
        let title = titles
            .into_iter()
            .min_by_key(|(c, _)| key(c))
            .map(|(_, t)| t)
            .unwrap_or_default();
        out.push(Cluster {
            story,
            title,
            pages,
        });
    }
    out.sort_by(|a, b| {
        b.pages
            .len()
            .cmp(&a.pages.len())
            .then_with(|| a.pages[0].date.cmp(&b.pages[0].date))
            .then_with(|| a.pages[0].path.cmp(&b.pages[0].path))
    });
    Ok(out)
}

/// The clusters as the terminal listing shows them.
pub fn clusters_text(clusters: &[Cluster]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for c in clusters {
        let _ = writeln!(
            out,
            "{} pages  {}",
            c.pages.len(),
            crate::render::clean(&c.title)
        );
        for p in &c.pages {
            let _ = writeln!(
                out,
                "    {}  {}",
                p.date.as_deref().unwrap_or("----------"),
                crate::render::clean(p.url.as_deref().unwrap_or(&p.path))
            );
        }
    }
    let pages: usize = clusters.iter().map(|c| c.pages.len()).sum();
    let _ = writeln!(
        out,
        "{} stories with copies, {} pages",
        clusters.len(),
        pages
    );
    out
}

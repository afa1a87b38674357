//! Which files of a corpus folder are pages: walks the tree and sorts files by name.
//!
//! A site mirror holds pages with many names (`.html`, `.shtml`, wget's extensionless
//! `section/slug`, `.php` saved as HTML, gzipped copies) beside stylesheets, scripts, images and
//! robots.txt. Names decide what is certainly not a page; everything else is sniffed after
//! reading (see [`crate::decode::sniff_html`]); `.txt` files are page-dump candidates.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// What the file name says about a file, before its bytes are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileClass {
    /// An HTML extension (`.html .htm .shtml .xhtml`), possibly gzipped.
    Html,
    /// No extension, or one that mirrors use for generated HTML (`.php`, `.asp`…): read and
    /// sniff the bytes.
    Sniff,
    /// A web archive (`.warc`, `.warc.gz`): many page captures in one file.
    Warc,
    /// JSON Lines (`.jsonl`, `.ndjson`, optionally `.gz`): one article per line.
    Jsonl,
    /// A `.txt` file: a page dump when its text looks like a rendered news page (sniffed after
    /// reading, see [`crate::extract::text`]).
    Text,
    /// Certainly not a page; the payload is the reason shown in the summary.
    NotHtml(String),
}

/// Extensions whose files are HTML pages.
const HTML_EXTENSIONS: [&str; 5] = ["html", "htm", "shtml", "xhtml", "xht"];

/// Extensions whose files are never pages (assets, data, documents, archives).
const NON_HTML_EXTENSIONS: [&str; 48] = [
    "css", "js", "mjs", "map", "json", "jsonl", "ndjson", "xml", "rss", "atom", "csv", "tsv", "md",
    "png", "jpg", "jpeg", "gif", "webp", "svg", "ico", "bmp", "tif", "tiff", "avif", "pdf", "doc",
    "docx", "xls", "xlsx", "ppt", "zip", "tar", "tgz", "bz2", "xz", "7z", "rar", "mp3", "mp4",
    "webm", "ogg", "wav", "mov", "woff", "woff2", "ttf", "otf", "eot",
];

/// Classifies a file by its name: `.gz` is looked through (`page.html.gz` is HTML,
/// `style.css.gz` is not), and case is ignored.
pub fn classify(path: &Path) -> FileClass {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let inner = name.strip_suffix(".gz").unwrap_or(&name);
    if crate::source::warc::is_warc_name(&name) {
        return FileClass::Warc;
    }
    if crate::source::jsonl::is_jsonl_name(&name) {
        return FileClass::Jsonl;
    }
    if inner.ends_with(".arc") || inner.ends_with(".wacz") || inner.ends_with(".cdx") {
        let ext = inner.rsplit('.').next().unwrap_or_default();
        return FileClass::NotHtml(format!(".{ext} file, not read (see README: web archives)"));
    }
    match inner.rsplit_once('.') {
        None => FileClass::Sniff,
        Some((stem, ext)) => {
            if stem.is_empty() {
                // Dotfiles such as `.htaccess` or `.gitkeep`.
                FileClass::NotHtml("hidden file".into())
            } else if HTML_EXTENSIONS.contains(&ext) {
                FileClass::Html
            } else if ext == "txt" {
                FileClass::Text
            } else if NON_HTML_EXTENSIONS.contains(&ext) {
                FileClass::NotHtml(format!(".{ext} file"))
            } else {
                FileClass::Sniff
            }
        }
    }
}

/// One entry of the walk: a candidate page, or a path that could not be walked.
#[derive(Debug)]
pub enum Found {
    /// A regular file with its path relative to the corpus root (`/`-separated).
    File {
        /// Where the file is.
        path: PathBuf,
        /// Relative path, the document key in the index.
        rel: String,
        /// What its name says.
        class: FileClass,
        /// Size in bytes from the directory entry.
        size: u64,
        /// Modification time, seconds since the epoch (0 when unknown).
        mtime: i64,
    },
    /// A walk error (unreadable folder, symlink loop, broken link), with its message.
    Error {
        /// The path involved, relative when possible.
        rel: String,
        /// What went wrong.
        message: String,
    },
}

/// Walks `root` lazily, in a stable (sorted) order, so even a million-file corpus is never
/// held in memory. Symbolic links are not followed unless `follow_links`: a link out of the
/// corpus or a loop must not pull in the whole disk.
pub fn walk(root: &Path, follow_links: bool) -> impl Iterator<Item = Found> + Send + '_ {
    WalkDir::new(root)
        .follow_links(follow_links)
        .sort_by_file_name()
        .into_iter()
        .filter_map(move |entry| match entry {
            Err(err) => {
                let rel = err
                    .path()
                    .map(|p| relative(root, p))
                    .unwrap_or_else(|| "?".into());
                let message = match err.io_error() {
                    Some(io) => io.to_string(),
                    None => err.to_string(),
                };
                Some(Found::Error { rel, message })
            }
            Ok(entry) if entry.file_type().is_file() => {
                let path = entry.into_path();
                let meta = std::fs::metadata(&path).ok();
                let size = meta.as_ref().map_or(0, |m| m.len());
                let mtime = meta
                    .and_then(|m| m.modified().ok())
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_secs() as i64);
                Some(Found::File {
                    rel: relative(root, &path),
                    class: classify(&path),
                    path,
                    size,
                    mtime,
                })
            }
            Ok(_) => None,
        })
}

/// The corpus-relative key of a path, always with `/` separators. Names that are not valid
/// UTF-8 are kept lossily (such a key still identifies the file for re-indexing runs).
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_name() {
        assert_eq!(classify(Path::new("a/b.HTML")), FileClass::Html);
        assert_eq!(classify(Path::new("a/b.html.gz")), FileClass::Html);
        assert_eq!(classify(Path::new("a/slug")), FileClass::Sniff);
        assert_eq!(classify(Path::new("a/page.php")), FileClass::Sniff);
        assert_eq!(classify(Path::new("a/1.2.3")), FileClass::Sniff);
        assert_eq!(
            classify(Path::new("static/site.css")),
            FileClass::NotHtml(".css file".into())
        );
        assert_eq!(
            classify(Path::new("static/site.css.gz")),
            FileClass::NotHtml(".css file".into())
        );
        // Text files are page-dump candidates, sniffed after reading.
        assert_eq!(classify(Path::new("robots.txt")), FileClass::Text);
        assert_eq!(classify(Path::new("a/story.TXT.gz")), FileClass::Text);
    }

    #[test]
    fn walk_is_sorted_and_relative() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("b/c")).unwrap();
        std::fs::write(dir.path().join("b/c/z.html"), "x").unwrap();
        std::fs::write(dir.path().join("a.html"), "x").unwrap();
        let rels: Vec<String> = walk(dir.path(), false)
            .filter_map(|f| match f {
                Found::File { rel, .. } => Some(rel),
                Found::Error { .. } => None,
            })
            .collect();
        assert_eq!(rels, vec!["a.html", "b/c/z.html"]);
    }
}

//! Where documents come from: every archive form yields the same [`Record`].
//!
//! A page file in a folder is one record; a WARC file is many, streamed ([`warc`], with the
//! HTTP layer in [`http`]). Records then flow one way: decode → extract → index. What is
//! special about a form (WARC revisits, HTTP transfer codings) lives in its module here, never
//! in `index.rs` or `extract`.

pub mod http;
pub mod jsonl;
pub mod warc;

/// One document's raw material, whatever form it came in.
#[derive(Debug, Clone)]
pub struct Record {
    /// What makes the document unique: the corpus path of a page file, the URL of a web
    /// capture (the same URL captured twice is one document).
    pub key: String,
    /// The URL, when known before extraction (a WARC record's target URI).
    pub url: Option<String>,
    /// When the page was captured (`WARC-Date`), seconds since the epoch.
    pub captured: Option<i64>,
    /// The payload: page bytes, already freed of transfer and content codings.
    pub bytes: Vec<u8>,
    /// Where it came from, for messages and JSON: `file` or `file#offset`.
    pub origin: String,
    /// The payload digest, when the archive gives one (resolves WARC revisits).
    pub digest: Option<String>,
}

impl Record {
    /// The capture time as a UTC instant (what extraction takes as its date bound).
    pub fn captured_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.captured
            .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
    }
}

use std::path::Path;

use crate::extract::Skip;

/// What an archive file yields besides page records.
#[derive(Debug)]
pub enum Item {
    /// A page to decode, extract and index.
    Record(Record),
    /// A capture that is no page, or damage, with its reason and `file#offset`.
    Skipped {
        /// `file#offset` of the record.
        origin: String,
        /// Why nothing is indexed from it.
        reason: Skip,
    },
    /// A record that is not a capture of content: `warcinfo`, `request`, `metadata`…
    /// (counted by type in the summary).
    Other {
        /// The `WARC-Type`.
        kind: String,
    },
    /// A `revisit`: the same content as an earlier capture of the URL, which may be in this
    /// file, in another file of the archive, or missing.
    Revisit {
        /// The URL revisited.
        url: String,
        /// The payload digest it shares with the original capture.
        digest: Option<String>,
    },
}

/// Streams the page records of a WARC file: `response` records of HTML with status 200 and
/// `resource` records of HTML. Other records are reported as [`Item::Other`],
/// [`Item::Revisit`] or [`Item::Skipped`] with a reason; damage as
/// `Skipped(Damaged)`. Blocks over `max_bytes` are skipped without being read whole.
pub fn warc_items(
    path: &Path,
    rel: &str,
    max_bytes: u64,
    sink: &mut dyn FnMut(Item) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let limit_mb = max_bytes.div_ceil(1024 * 1024);
    warc::read(path, max_bytes, &mut |event| {
        let rec = match event {
            warc::Event::Damage {
                offset,
                inner,
                what,
            } => {
                return sink(Item::Skipped {
                    origin: warc::origin(rel, offset, inner),
                    reason: Skip::Damaged(what),
                })
            }
            warc::Event::Record(rec) => rec,
        };
        let origin = rec.origin(rel);
        let skipped = |reason| Item::Skipped {
            origin: origin.clone(),
            reason,
        };
        let url = rec.target_uri.clone().filter(|u| !u.is_empty());
        match rec.kind.as_str() {
            "response" | "resource" => {}
            "revisit" => {
                return match url {
                    Some(url) => sink(Item::Revisit {
                        url,
                        digest: rec.payload_digest.clone(),
                    }),
                    None => sink(skipped(Skip::Damaged("revisit without a URL".into()))),
                }
            }
            _ => {
                return sink(Item::Other {
                    kind: if rec.kind.is_empty() {
                        "untyped".into()
                    } else {
                        rec.kind.clone()
                    },
                })
            }
        }
        let Some(url) = url else {
            return sink(skipped(Skip::Damaged(
                "capture without a WARC-Target-URI".into(),
            )));
        };
        let Some(block) = rec.block else {
            return sink(skipped(Skip::Unreadable(format!(
                "larger than the {limit_mb} MB limit"
            ))));
        };
        let (media, bytes) = if rec.kind == "response" {
            let is_http = rec
                .content_type
                .as_deref()
                .is_none_or(|ct| ct.to_ascii_lowercase().contains("application/http"));
            if !is_http {
                // a response of another protocol (dns:, ftp listings)
                return sink(skipped(Skip::NotHtml(rec.content_type.unwrap_or_default())));
            }
            match http::parse_response(&block, max_bytes) {
                Ok(resp) if resp.status != 200 => return sink(skipped(Skip::Status(resp.status))),
                Ok(resp) => (resp.media_type, resp.body),
                Err(e) => return sink(skipped(Skip::Damaged(e.to_string()))),
            }
        } else {
            let media = rec
                .content_type
                .as_deref()
                .map(|ct| http::split_content_type(ct).0)
                .unwrap_or_default();
            (media, block)
        };
        match media.as_deref() {
            Some(m) if http::is_html_type(m) => {}
            // no type given: the bytes decide
            None if crate::decode::sniff_html(&bytes) => {}
            Some(m) => return sink(skipped(Skip::NotHtml(m.to_string()))),
            None => return sink(skipped(Skip::NotHtmlContent)),
        }
        sink(Item::Record(Record {
            key: url.clone(),
            url: Some(url),
            captured: rec.date.as_deref().and_then(parse_warc_date),
            bytes,
            origin,
            digest: rec.payload_digest,
        }))
    })
}

/// `WARC-Date` (RFC 3339, or ARC's 14 digits) → seconds since the epoch.
pub fn parse_warc_date(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(dt.timestamp());
    }
    chrono::NaiveDateTime::parse_from_str(s, "%Y%m%d%H%M%S")
        .ok()
        .map(|dt| dt.and_utc().timestamp())
}

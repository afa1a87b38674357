//! Bytes on disk to text: gzip, byte-order marks, declared charsets and detection.
//!
//! Saved pages come from many tools and decades: UTF-8, windows-1252 tables, pages whose
//! `<meta charset>` lies. Decoding happens once per page, before any parsing.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use encoding_rs::Encoding;
use flate2::read::MultiGzDecoder;

/// Why a file could not be turned into text; every variant names what a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The file could not be opened or read (permissions, vanished, I/O error).
    #[error("cannot read file: {0}")]
    Io(#[from] io::Error),
    /// The file (or its decompressed content) is larger than the configured cap.
    #[error("larger than the {limit_mb} MB limit (--max-file-size)")]
    TooLarge {
        /// The cap in megabytes.
        limit_mb: u64,
    },
    /// A `.gz` file whose stream is corrupt or truncated.
    #[error("broken gzip stream: {0}")]
    BadGzip(io::Error),
}

/// Reads a file, transparently gunzipping `.gz` files, refusing anything over `max_bytes`
/// (compressed or not), so a gzip bomb or a 200 MB page cannot exhaust memory.
pub fn read_bytes(path: &Path, max_bytes: u64) -> Result<Vec<u8>, DecodeError> {
    let file = File::open(path)?;
    let size = file.metadata()?.len();
    let limit_mb = max_bytes.div_ceil(1024 * 1024);
    if size > max_bytes {
        return Err(DecodeError::TooLarge { limit_mb });
    }
    let is_gz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    let mut out = Vec::with_capacity(size.min(max_bytes) as usize);
    if is_gz {
        let mut reader = MultiGzDecoder::new(file).take(max_bytes + 1);
        reader.read_to_end(&mut out).map_err(DecodeError::BadGzip)?;
    } else {
        file.take(max_bytes + 1).read_to_end(&mut out)?;
    }
    if out.len() as u64 > max_bytes {
        return Err(DecodeError::TooLarge { limit_mb });
    }
    Ok(out)
}

/// True when the bytes look like an HTML document: used for extensionless files (wget saves
/// `section/slug` without one), so that binaries and plain text are not indexed as pages.
pub fn sniff_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(2048)];
    if head.contains(&0) && !head.starts_with(&[0xFF, 0xFE]) && !head.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    const MARKERS: [&[u8]; 6] = [
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<body",
        b"<title",
        b"<meta",
    ];
    MARKERS
        .iter()
        .any(|m| lower.windows(m.len()).any(|w| w == *m))
}

/// Decodes page bytes to text. Trust order: byte-order mark; then UTF-8 when the bytes hold
/// multi-byte UTF-8 sequences, whatever the page declares (re-saved pages and CMS templates
/// keep a stale `ISO-8859-1` declaration, and legacy text almost never forms valid multi-byte
/// sequences by chance); then the charset the page declares in its first 4 KB (`<meta
/// charset>` or `http-equiv`); then statistical detection. Pages that are mostly UTF-8 with a
/// few stray legacy bytes (a windows-1252 snippet pasted into a UTF-8 template) are decoded
/// piecewise, so neither half turns into mojibake.
pub fn decode_html(bytes: &[u8]) -> String {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned();
    }
    let (multibyte, invalid) = utf8_profile(bytes);
    if multibyte > 0 && invalid == 0 {
        // Valid UTF-8 with non-ASCII characters: UTF-8 whatever the declaration says.
        return String::from_utf8_lossy(bytes).into_owned();
    }
    if multibyte > 0 && multibyte >= invalid {
        return decode_mixed_utf8(bytes);
    }
    if let Some(enc) = declared_charset(&bytes[..bytes.len().min(4096)]) {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if !had_errors {
            return text.into_owned();
        }
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_owned();
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let enc = detector.guess(None, true);
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

/// Counts valid multi-byte UTF-8 sequences and bytes that cannot start or continue one.
fn utf8_profile(bytes: &[u8]) -> (usize, usize) {
    let (mut multibyte, mut invalid) = (0, 0);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                multibyte += s.chars().filter(|c| !c.is_ascii()).count();
                return (multibyte, invalid);
            }
            Err(e) => {
                let good = e.valid_up_to();
                if let Ok(s) = std::str::from_utf8(&rest[..good]) {
                    multibyte += s.chars().filter(|c| !c.is_ascii()).count();
                }
                let bad = e.error_len().unwrap_or(rest.len() - good);
                invalid += bad;
                rest = &rest[good + bad..];
            }
        }
    }
}

/// UTF-8 runs as UTF-8, every byte that is not part of a valid sequence as windows-1252.
fn decode_mixed_utf8(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let good = e.valid_up_to();
                if let Ok(s) = std::str::from_utf8(&rest[..good]) {
                    out.push_str(s);
                }
                let bad = e.error_len().unwrap_or(rest.len() - good);
                let legacy = &rest[good..good + bad];
                out.push_str(
                    &encoding_rs::WINDOWS_1252
                        .decode_without_bom_handling(legacy)
                        .0,
                );
                rest = &rest[good + bad..];
            }
        }
    }
}

/// Deepest element nesting kept; browsers stop nesting at a similar depth. HTML parsers scan
/// the stack of open elements for many tags, so without a cap a page of 100,000 nested
/// `<div>`s costs minutes to parse.
pub const MAX_NESTING: usize = 512;

/// Elements that never hold children, so their tags do not nest.
const VOID: [&str; 16] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "basefont",
];

/// Drops the opening tags (and as many closing tags) that would nest elements deeper than
/// [`MAX_NESTING`], keeping all text. Pages within the limit are returned unchanged without
/// copying. The scan is a light tag tokenizer: comments and `<script>`/`<style>` contents are
/// skipped so that `<` inside them is not taken for a tag.
pub fn cap_nesting(html: &str) -> std::borrow::Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut dropped_opens = 0usize;
    let mut out: Option<String> = None;
    let mut copied = 0usize; // bytes of `html` already copied into `out`
    let mut i = 0usize;
    while let Some(off) = memchr_lt(&bytes[i..]) {
        let start = i + off;
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") {
            i = find(&bytes[start + 4..], b"-->").map_or(bytes.len(), |p| start + 4 + p + 3);
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_start = start + 1 + closing as usize;
        let mut name_end = name_start;
        while name_end < bytes.len() && bytes[name_end].is_ascii_alphanumeric() {
            name_end += 1;
        }
        if name_end == name_start {
            i = start + 1;
            continue;
        }
        let end = bytes[name_end..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(bytes.len(), |p| name_end + p + 1);
        let name = html[name_start..name_end].to_ascii_lowercase();
        let self_closing = end >= 2 && bytes[end - 2] == b'/';
        let mut drop = false;
        if closing {
            if dropped_opens > 0 && depth > MAX_NESTING {
                dropped_opens -= 1;
                drop = true;
            }
            depth = depth.saturating_sub(1);
        } else if !VOID.contains(&name.as_str()) && !self_closing {
            depth += 1;
            if depth > MAX_NESTING {
                dropped_opens += 1;
                drop = true;
            }
        }
        if drop {
            let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
            o.push_str(&html[copied..start]);
            copied = end;
        }
        i = end;
        if !closing && (name == "script" || name == "style") {
            let close = format!("</{name}");
            let lower_rest = html[i..].to_ascii_lowercase();
            i = lower_rest.find(&close).map_or(bytes.len(), |p| i + p);
        }
    }
    match out {
        None => std::borrow::Cow::Borrowed(html),
        Some(mut o) => {
            o.push_str(&html[copied..]);
            std::borrow::Cow::Owned(o)
        }
    }
}

fn memchr_lt(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'<')
}

/// Finds `charset=NAME` in the head of a page (covers both `<meta charset="x">` and
/// `<meta http-equiv="Content-Type" content="text/html; charset=x">`).
fn declared_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"charset") {
        let mut i = from + pos + b"charset".len();
        from = i;
        while i < lower.len() && matches!(lower[i], b' ' | b'=' | b'"' | b'\'') {
            i += 1;
        }
        let start = i;
        while i < lower.len() && (lower[i].is_ascii_alphanumeric() || b"-_:.".contains(&lower[i])) {
            i += 1;
        }
        if i > start {
            if let Some(enc) = Encoding::for_label(&lower[start..i]) {
                // A page can only declare an ASCII-compatible charset in ASCII; UTF-16 labels
                // here are always wrong (the BOM check already handled real UTF-16).
                return Some(
                    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                        encoding_rs::UTF_8
                    } else {
                        enc
                    },
                );
            }
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_declared_in_http_equiv() {
        let mut bytes = b"<html><head><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=windows-1252\"></head><body>".to_vec();
        bytes.extend_from_slice(&[0x93, b'C', b'a', b'f', 0xE9, 0x94, b' ', 0xA3, b'5']);
        let text = decode_html(&bytes);
        assert!(text.contains("\u{201c}Caf\u{e9}\u{201d} \u{a3}5"), "{text}");
    }

    #[test]
    fn undeclared_legacy_bytes_are_detected_not_mangled() {
        let mut bytes = b"<html><body><p>".to_vec();
        for _ in 0..20 {
            bytes.extend_from_slice(b"Le caf\xe9 est ferm\xe9 \x96 d\xe9j\xe0 vu. ");
        }
        let text = decode_html(&bytes);
        assert!(text.contains("caf\u{e9}"), "{text}");
        assert!(!text.contains('\u{fffd}'));
    }

    #[test]
    fn wrong_declaration_is_overruled() {
        // Declared UTF-8, but the bytes are windows-1252: detection must win over the lie.
        let mut bytes = b"<html><head><meta charset=\"utf-8\"></head><body><p>".to_vec();
        for _ in 0..10 {
            bytes.extend_from_slice(b"The caf\xe9 said \x93closed\x94 for \xa35 today. ");
        }
        let text = decode_html(&bytes);
        assert!(
            text.contains("caf\u{e9} said \u{201c}closed\u{201d} for \u{a3}5"),
            "{text}"
        );
    }

    #[test]
    fn deep_nesting_is_capped_and_text_kept() {
        let deep = format!(
            "{}story text{}",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        let capped = cap_nesting(&deep);
        assert_eq!(capped.matches("<div>").count(), MAX_NESTING);
        assert_eq!(capped.matches("</div>").count(), MAX_NESTING);
        assert!(capped.contains("story text"));
        let normal =
            "<html><body><div><p>a<br>b</p><script>if (a<b) {}</script></div></body></html>";
        assert!(matches!(cap_nesting(normal), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn valid_utf8_beats_a_legacy_declaration() {
        let mut bytes = b"<html><head><meta charset=\"iso-8859-1\"></head><body><p>".to_vec();
        bytes.extend_from_slice("Grüße – “Straße” zażółć".as_bytes());
        let text = decode_html(&bytes);
        assert!(text.contains("Grüße – “Straße” zażółć"), "{text}");
    }

    #[test]
    fn mostly_utf8_with_stray_legacy_bytes_is_decoded_piecewise() {
        let mut bytes = b"<html><head><meta charset=\"utf-8\"></head><body><p>".to_vec();
        for _ in 0..5 {
            bytes.extend_from_slice("Kościół mówił – różne sposoby. ".as_bytes());
        }
        bytes.extend_from_slice(b"<img alt=\"K\xfcchenblogs\">");
        let text = decode_html(&bytes);
        assert!(text.contains("Kościół mówił – różne"), "{text}");
        assert!(text.contains("Küchenblogs"), "{text}");
        assert!(!text.contains('\u{fffd}'));
    }

    #[test]
    fn bom_wins() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("<meta charset=windows-1252>é".as_bytes());
        assert!(decode_html(&bytes).ends_with('é'));
    }

    #[test]
    fn sniffing() {
        assert!(sniff_html(b"\n  <!DOCTYPE html><html>"));
        assert!(sniff_html(b"<HTML><HEAD><TITLE>x"));
        assert!(!sniff_html(b"User-agent: *\nDisallow: /"));
        assert!(!sniff_html(b"\x89PNG\r\n\x1a\n\0\0\0"));
    }
}

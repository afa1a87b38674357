//! The HTTP response inside a WARC `response` record: status line, headers, and the entity
//! freed of its transfer coding (chunked) and content coding (gzip, deflate, br).
//!
//! Archived responses are as the server sent them, quirks included: chunk framing left in,
//! gzip bodies, headers with bare LF line ends. Decoding is tolerant: a body whose coding
//! does not decode is kept as it is rather than lost, and decompression stops at a size cap
//! (a compressed bomb never fills memory).

use std::io::Read;

/// A parsed HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// Status code (200, 301, 404…).
    pub status: u16,
    /// The media type of `Content-Type`, lower-cased, without parameters (`text/html`).
    pub media_type: Option<String>,
    /// The `charset` parameter of `Content-Type`, when given.
    pub charset: Option<String>,
    /// The entity after removing transfer and content codings.
    pub body: Vec<u8>,
}

/// Why a response could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    /// No `HTTP/1.x NNN` status line.
    #[error("no HTTP status line")]
    NoStatus,
    /// The header block never ends with a blank line.
    #[error("HTTP headers without a blank line")]
    NoBlankLine,
    /// The entity decompresses to more than the limit.
    #[error("larger than the {0} MB limit once decompressed")]
    TooLarge(u64),
}

/// Parses an HTTP response block; `max_body` caps the decompressed entity.
pub fn parse_response(block: &[u8], max_body: u64) -> Result<Response, HttpError> {
    let (head_len, body_start) = header_end(block).ok_or(HttpError::NoBlankLine)?;
    let head = String::from_utf8_lossy(&block[..head_len]);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or("");
    let mut parts = status_line.split_whitespace();
    let proto = parts.next().unwrap_or("");
    if !proto.to_ascii_uppercase().starts_with("HTTP/") {
        return Err(HttpError::NoStatus);
    }
    let status: u16 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or(HttpError::NoStatus)?;
    let mut content_type = None;
    let mut encodings: Vec<String> = Vec::new();
    let mut chunked = false;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-type" => content_type = Some(value.to_string()),
            "content-encoding" => encodings.extend(
                value
                    .split(',')
                    .map(|e| e.trim().to_ascii_lowercase())
                    .filter(|e| !e.is_empty() && e != "identity"),
            ),
            "transfer-encoding" => chunked |= value.to_ascii_lowercase().contains("chunked"),
            _ => {}
        }
    }
    let (media_type, charset) = match content_type {
        Some(ct) => split_content_type(&ct),
        None => (None, None),
    };
    let mut body = block[body_start..].to_vec();
    if chunked {
        if let Some(plain) = dechunk(&body) {
            body = plain;
        }
    }
    // codings apply in the order listed, so they come off in reverse
    for coding in encodings.iter().rev() {
        match decode_coding(coding, &body, max_body) {
            Ok(Some(plain)) => body = plain,
            Ok(None) => break,
            Err(e) => return Err(e),
        }
    }
    if body.len() as u64 > max_body {
        return Err(HttpError::TooLarge(max_body.div_ceil(1024 * 1024)));
    }
    Ok(Response {
        status,
        media_type,
        charset,
        body,
    })
}

/// `text/html; charset=UTF-8` → (`text/html`, `utf-8`).
pub fn split_content_type(ct: &str) -> (Option<String>, Option<String>) {
    let mut parts = ct.split(';');
    let media = parts
        .next()
        .map(|m| m.trim().to_ascii_lowercase())
        .filter(|m| !m.is_empty());
    let charset = parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("charset"))
            .then(|| v.trim().trim_matches(['"', '\'']).to_ascii_lowercase())
    });
    (media, charset)
}

/// Whether a media type is a web page gazette reads.
pub fn is_html_type(media: &str) -> bool {
    matches!(media, "text/html" | "application/xhtml+xml")
}

/// End of the header block: (length of the headers, start of the body), for CRLF or bare
/// LF line ends.
fn header_end(block: &[u8]) -> Option<(usize, usize)> {
    let crlf = find(block, b"\r\n\r\n").map(|i| (i, i + 4));
    let lf = find(block, b"\n\n").map(|i| (i, i + 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// Removes chunked transfer framing; `None` when the body is not validly chunked (some
/// archivers store the body already de-chunked but keep the header).
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let nl = rest.iter().position(|&b| b == b'\n')?;
        let size_line = String::from_utf8_lossy(&rest[..nl]);
        let size_hex = size_line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_hex, 16).ok()?;
        rest = &rest[nl + 1..];
        if size == 0 {
            return Some(out);
        }
        if rest.len() < size {
            // truncated final chunk: keep what is there
            out.extend_from_slice(rest);
            return Some(out);
        }
        out.extend_from_slice(&rest[..size]);
        rest = &rest[size..];
        rest = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))
            .unwrap_or(rest);
        if rest.is_empty() {
            return Some(out);
        }
    }
}

/// Undoes one content coding; `Ok(None)` when the coding is unknown or the bytes are not in
/// it (the body is then kept as it is).
fn decode_coding(coding: &str, body: &[u8], max: u64) -> Result<Option<Vec<u8>>, HttpError> {
    fn capped(mut r: impl Read, max: u64) -> Result<Option<Vec<u8>>, HttpError> {
        let mut out = Vec::new();
        match (&mut r).take(max + 1).read_to_end(&mut out) {
            Ok(_) if out.len() as u64 > max => Err(HttpError::TooLarge(max.div_ceil(1024 * 1024))),
            Ok(_) => Ok(Some(out)),
            // a truncated stream still gives its beginning, which is worth keeping
            Err(_) if !out.is_empty() => Ok(Some(out)),
            Err(_) => Ok(None),
        }
    }
    match coding {
        "gzip" | "x-gzip" if body.starts_with(&[0x1f, 0x8b]) => {
            capped(flate2::read::MultiGzDecoder::new(body), max)
        }
        "deflate" => {
            // servers send zlib-wrapped or raw deflate under this name
            match capped(flate2::read::ZlibDecoder::new(body), max)? {
                Some(out) => Ok(Some(out)),
                None => capped(flate2::read::DeflateDecoder::new(body), max),
            }
        }
        "br" => capped(brotli_decompressor::Decompressor::new(body, 4096), max),
        _ => Ok(None),
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const MAX: u64 = 1 << 20;

    #[test]
    fn status_type_charset() {
        let r = parse_response(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=\"Windows-1252\"\r\n\r\n<p>x",
            MAX,
        )
        .unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.media_type.as_deref(), Some("text/html"));
        assert_eq!(r.charset.as_deref(), Some("windows-1252"));
        assert_eq!(r.body, b"<p>x");
        let r = parse_response(b"HTTP/1.0 404 Not Found\n\nnope", MAX).unwrap();
        assert_eq!((r.status, r.media_type), (404, None));
    }

    #[test]
    fn chunked_gzip_deflate_brotli() {
        let r = parse_response(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n<p>a\r\n3;ext=1\r\nbc<\r\n0\r\n\r\n",
            MAX,
        )
        .unwrap();
        assert_eq!(r.body, b"<p>abc<");
        let page = b"<html><p>Hello archive</p></html>";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(page).unwrap();
        let gz = gz.finish().unwrap();
        // chunked and gzip together: the chunks carry the gzip stream
        let mut block =
            b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
                .to_vec();
        block.extend_from_slice(format!("{:x}\r\n", gz.len()).as_bytes());
        block.extend_from_slice(&gz);
        block.extend_from_slice(b"\r\n0\r\n\r\n");
        assert_eq!(parse_response(&block, MAX).unwrap().body, page);
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(page).unwrap();
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n\r\n".to_vec();
        block.extend_from_slice(&z.finish().unwrap());
        assert_eq!(parse_response(&block, MAX).unwrap().body, page);
        // brotli, compressed by hand-made test vector: brotli of "<p>hi</p>" (quality 1)
        let mut br = Vec::new();
        {
            let mut w = BrotliTestWriter::new(&mut br);
            w.write_all(b"<p>hi</p>").unwrap();
        }
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\n".to_vec();
        block.extend_from_slice(&br);
        assert_eq!(parse_response(&block, MAX).unwrap().body, b"<p>hi</p>");
    }

    /// Brotli's simplest valid stream: uncompressed meta-blocks (RFC 7932 §9.2), so the test
    /// needs no compressor.
    struct BrotliTestWriter<'a>(&'a mut Vec<u8>);
    impl<'a> BrotliTestWriter<'a> {
        fn new(out: &'a mut Vec<u8>) -> Self {
            BrotliTestWriter(out)
        }
    }
    impl Write for BrotliTestWriter<'_> {
        fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
            // WBITS=16 (bit 0 = 0), then a meta-block: ISLAST=0, MNIBBLES=4 (0b00),
            // MLEN-1 in 16 bits, ISUNCOMPRESSED=1, pad to byte; then the data; then an empty
            // last meta-block (ISLAST=1, ISLASTEMPTY=1).
            let mlen = data.len() as u32 - 1;
            let mut bits: u64 = 0;
            let mut n = 0;
            let put = |v: u64, w: u32, bits: &mut u64, n: &mut u32| {
                *bits |= v << *n;
                *n += w;
            };
            put(0, 1, &mut bits, &mut n); // WBITS 16
            put(0, 1, &mut bits, &mut n); // ISLAST 0
            put(0, 2, &mut bits, &mut n); // MNIBBLES 4
            put(mlen as u64, 16, &mut bits, &mut n);
            put(1, 1, &mut bits, &mut n); // ISUNCOMPRESSED
            let bytes = n.div_ceil(8);
            for i in 0..bytes {
                self.0.push((bits >> (8 * i)) as u8);
            }
            self.0.extend_from_slice(data);
            self.0.push(0b11); // ISLAST=1, ISLASTEMPTY=1
            Ok(data.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn damaged_responses() {
        assert_eq!(
            parse_response(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n<p>", MAX),
            Err(HttpError::NoBlankLine)
        );
        assert_eq!(
            parse_response(b"garbage\r\n\r\n<p>", MAX),
            Err(HttpError::NoStatus)
        );
        // a body that says gzip but is not: kept as it is
        let r = parse_response(
            b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n<p>plain",
            MAX,
        )
        .unwrap();
        assert_eq!(r.body, b"<p>plain");
        // "chunked" header over a de-chunked body: kept as it is
        let r = parse_response(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n<p>not chunked",
            MAX,
        )
        .unwrap();
        assert_eq!(r.body, b"<p>not chunked");
        // a gzip bomb stops at the cap
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&vec![b'a'; 5_000_000]).unwrap();
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        block.extend_from_slice(&gz.finish().unwrap());
        assert!(matches!(
            parse_response(&block, 1 << 20),
            Err(HttpError::TooLarge(1))
        ));
    }
}

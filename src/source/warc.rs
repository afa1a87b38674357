//! A streaming reader for WARC files (ISO 28500, WARC/1.0 and 1.1), plain or gzipped.
//!
//! Records are read one at a time from a small buffer, so memory never grows with the size
//! of a file; a record's block is kept only up to a limit and skipped past beyond it. Crawlers
//! write one gzip member per record (then a record's offset is its member's offset in the
//! file, as CDX indexes give it); a file gzipped as one stream is read too (offsets are then
//! positions in the decompressed stream, written `member+position`).
//!
//! Damage is expected in archives and never stops a file: a truncated record or gzip member,
//! a wrong `Content-Length`, garbage between records or a record without its `WARC/1.x` line
//! is reported as a [`Event::Damage`] with its offset, and reading goes on at the next
//! record (the next gzip member, or the next `WARC/` line).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// One WARC record, with its block (or the block's size when it was over the limit).
#[derive(Debug, Clone)]
pub struct WarcRecord {
    /// Where the record starts: the gzip member's offset, or the byte offset in a plain file.
    pub offset: u64,
    /// Position inside a gzip member holding several records (0 for the first or only one).
    pub inner: u64,
    /// `WARC-Type`, lower-cased (`response`, `request`, `revisit`, `resource`…).
    pub kind: String,
    /// `WARC-Target-URI`, without the `<…>` some writers put around it.
    pub target_uri: Option<String>,
    /// `WARC-Date` as written (RFC 3339).
    pub date: Option<String>,
    /// `Content-Type` of the block (`application/http; msgtype=response`, `text/html`…).
    pub content_type: Option<String>,
    /// `WARC-Payload-Digest`, for resolving revisits.
    pub payload_digest: Option<String>,
    /// `WARC-Refers-To-Target-URI` of a revisit.
    pub refers_to_uri: Option<String>,
    /// The block, or `None` when it was larger than the limit (`block_len` says how large).
    pub block: Option<Vec<u8>>,
    /// `Content-Length`: the block's size in bytes.
    pub block_len: u64,
}

impl WarcRecord {
    /// `file#offset`, or `file#member+position` inside a multi-record member.
    pub fn origin(&self, file: &str) -> String {
        origin(file, self.offset, self.inner)
    }
}

/// `file#offset` (or `file#member+position`), how records are named in messages.
pub fn origin(file: &str, offset: u64, inner: u64) -> String {
    if inner == 0 {
        format!("{file}#{offset}")
    } else {
        format!("{file}#{offset}+{inner}")
    }
}

/// What reading a WARC file yields, in file order.
#[derive(Debug)]
pub enum Event {
    /// A complete record.
    Record(WarcRecord),
    /// A damaged stretch of the file: what is wrong and where; reading went on after it.
    Damage {
        /// Offset (member or byte) of the damage.
        offset: u64,
        /// Position inside a multi-record member.
        inner: u64,
        /// What is wrong ("truncated record", "wrong Content-Length"…).
        what: String,
    },
}

/// Whether a file name is a WARC file (`.warc`, `.warc.gz`, any case).
pub fn is_warc_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.ends_with(".warc") || name.ends_with(".warc.gz")
}

/// Reads every record of a WARC file in order and hands each event to `sink`; stops early
/// when `sink` returns an error (which is returned). Blocks larger than `max_block` bytes are
/// skipped (the record comes with `block: None`). An error opening or reading the file itself
/// is returned; damage inside it is reported as events.
pub fn read(
    path: &Path,
    max_block: u64,
    sink: &mut dyn FnMut(Event) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let file = File::open(path)?;
    let mut br = BufReader::with_capacity(1 << 16, file);
    let head = br.fill_buf()?;
    if head.starts_with(&[0x1f, 0x8b]) {
        read_gzip(&mut br, max_block, sink)
    } else {
        let mut parser = Parser::new(&mut br, max_block);
        while let Some(ev) = parser.next_event() {
            sink(ev.at(None))?;
        }
        Ok(())
    }
}

/// Gzip members one after another; a member that fails to decompress is reported and the
/// reader looks for the next member's magic bytes after it.
fn read_gzip(
    br: &mut BufReader<File>,
    max_block: u64,
    sink: &mut dyn FnMut(Event) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    loop {
        let member = br.stream_position()?;
        // the buffer may end inside the magic bytes: read them, then step back
        let mut magic = [0u8; 2];
        let got = read_up_to(br, &mut magic)?;
        if got == 0 {
            return Ok(());
        }
        br.seek_relative(-(got as i64))?;
        if magic[..got] != [0x1f, 0x8b][..got] || got < 2 {
            sink(Event::Damage {
                offset: member,
                inner: 0,
                what: "garbage between gzip members".into(),
            })?;
            match seek_gzip_magic(br, member + 1)? {
                Some(_) => continue,
                None => return Ok(()),
            }
        }
        let failed = {
            let decoder = flate2::bufread::GzDecoder::new(&mut *br);
            let mut parser = Parser::new(decoder, max_block);
            let mut reported = false;
            while let Some(ev) = parser.next_event() {
                reported |= matches!(ev, Parsed::Damage { .. });
                sink(ev.at(Some(member)))?;
            }
            // a record cut by the broken stream was already reported, with the stream error
            parser.error.take().filter(|_| !reported)
        };
        if let Some(err) = failed {
            sink(Event::Damage {
                offset: member,
                inner: 0,
                what: format!("broken gzip member ({err})"),
            })?;
            if seek_gzip_magic(br, member + 1)?.is_none() {
                return Ok(());
            }
        }
    }
}

/// Reads up to `buf.len()` bytes (fewer only at the end of the file).
fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Moves `br` to the next gzip member header (`1f 8b 08`) at or after `from`.
fn seek_gzip_magic(br: &mut BufReader<File>, from: u64) -> io::Result<Option<u64>> {
    br.seek(SeekFrom::Start(from))?;
    let mut pos = from;
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let chunk = br.fill_buf()?;
        if chunk.is_empty() {
            return Ok(None);
        }
        let mut window = std::mem::take(&mut carry);
        let window_start = pos - window.len() as u64;
        window.extend_from_slice(chunk);
        let n = chunk.len();
        if let Some(i) = window.windows(3).position(|w| w == [0x1f, 0x8b, 0x08]) {
            let at = window_start + i as u64;
            br.seek(SeekFrom::Start(at))?;
            return Ok(Some(at));
        }
        br.consume(n);
        pos += n as u64;
        carry = window[window.len().saturating_sub(2)..].to_vec();
    }
}

/// An event before its member offset is known.
enum Parsed {
    Record(WarcRecord),
    Damage { pos: u64, what: String },
}

impl Parsed {
    /// Places the event in the file: in a plain file, by byte offset; in a gzip member, by
    /// the member's offset and the position inside it (0 for the member's first record).
    fn at(self, member: Option<u64>) -> Event {
        let place = |pos: u64| match member {
            None => (pos, 0),
            Some(m) => (m, pos),
        };
        match self {
            Parsed::Record(mut r) => {
                (r.offset, r.inner) = place(r.offset);
                Event::Record(r)
            }
            Parsed::Damage { pos, what } => {
                let (offset, inner) = place(pos);
                Event::Damage {
                    offset,
                    inner,
                    what,
                }
            }
        }
    }
}

/// Longest header line kept; a longer "line" is garbage.
const MAX_LINE: usize = 64 * 1024;
/// Most header lines in one record.
const MAX_HEADERS: usize = 512;

/// Records from a stream of WARC bytes, with a push-back buffer so that a block found to be
/// too long can hand its tail back as the next record.
struct Parser<R: Read> {
    input: R,
    buf: Vec<u8>,
    start: usize,
    /// Bytes consumed so far (position of `buf[start]` in the stream).
    pos: u64,
    eof: bool,
    /// A read error (in a gzip stream: corrupt or truncated data).
    error: Option<io::Error>,
    max_block: u64,
    /// Inside a run of garbage already reported (reported once per run).
    in_garbage: bool,
}

impl<R: Read> Parser<R> {
    fn new(input: R, max_block: u64) -> Parser<R> {
        Parser {
            input,
            buf: Vec::with_capacity(1 << 16),
            start: 0,
            pos: 0,
            eof: false,
            error: None,
            max_block,
            in_garbage: false,
        }
    }

    fn available(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    /// Reads more bytes; false at the end of the stream or on an error.
    fn fill(&mut self) -> bool {
        if self.eof {
            return false;
        }
        if self.start > 0 && self.start * 2 >= self.buf.len() {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        let old = self.buf.len();
        self.buf.resize(old + (1 << 16), 0);
        loop {
            match self.input.read(&mut self.buf[old..]) {
                Ok(0) => {
                    self.buf.truncate(old);
                    self.eof = true;
                    return false;
                }
                Ok(n) => {
                    self.buf.truncate(old + n);
                    return true;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.buf.truncate(old);
                    self.eof = true;
                    self.error = Some(e);
                    return false;
                }
            }
        }
    }

    fn consume(&mut self, n: usize) {
        self.start += n;
        self.pos += n as u64;
    }

    /// The next line with its ending, at most `MAX_LINE` bytes; `None` at the end.
    fn line(&mut self) -> Option<Vec<u8>> {
        loop {
            let avail = self.available();
            if let Some(i) = avail.iter().position(|&b| b == b'\n') {
                let line = avail[..=i].to_vec();
                self.consume(i + 1);
                return Some(line);
            }
            if avail.len() >= MAX_LINE {
                let line = avail[..MAX_LINE].to_vec();
                self.consume(MAX_LINE);
                return Some(line);
            }
            if !self.fill() {
                let avail = self.available();
                if avail.is_empty() {
                    return None;
                }
                let line = avail.to_vec();
                self.consume(line.len());
                return Some(line);
            }
        }
    }

    /// Puts bytes back in front of the stream.
    fn unread(&mut self, bytes: &[u8]) {
        self.buf.drain(..self.start);
        self.start = 0;
        self.buf.splice(0..0, bytes.iter().copied());
        self.pos -= bytes.len() as u64;
    }

    /// Reads `n` bytes, keeping them when `keep`; returns what was kept and how many bytes
    /// were there (fewer than `n` at the end of the stream).
    fn block(&mut self, n: u64, keep: bool) -> (Vec<u8>, u64) {
        let mut kept = Vec::with_capacity(if keep { n.min(1 << 24) as usize } else { 0 });
        let mut got = 0u64;
        while got < n {
            if self.available().is_empty() && !self.fill() {
                break;
            }
            let avail = self.available();
            let take = avail.len().min((n - got) as usize);
            if keep {
                kept.extend_from_slice(&avail[..take]);
            }
            self.consume(take);
            got += take as u64;
        }
        (kept, got)
    }

    /// Peeks up to `n` bytes without consuming them.
    fn peek(&mut self, n: usize) -> Vec<u8> {
        while self.available().len() < n && self.fill() {}
        let avail = self.available();
        avail[..avail.len().min(n)].to_vec()
    }

    fn next_event(&mut self) -> Option<Parsed> {
        // the version line, skipping blank lines and (reported once) garbage
        let (record_pos, first) = loop {
            let pos = self.pos;
            let line = self.line()?;
            let text = trim_line(&line);
            if text.is_empty() {
                continue;
            }
            if text.starts_with(b"WARC/") {
                self.in_garbage = false;
                break (pos, None);
            }
            if is_warc_header(text) {
                // headers with no version line before them
                self.in_garbage = false;
                return Some(self.record(pos, Some(line), "missing WARC/1.x line"));
            }
            if !self.in_garbage {
                self.in_garbage = true;
                return Some(Parsed::Damage {
                    pos,
                    what: "garbage between records".into(),
                });
            }
        };
        Some(self.record(record_pos, first, ""))
    }

    /// Reads a record's headers (the first header line may already be read) and block.
    fn record(&mut self, pos: u64, first: Option<Vec<u8>>, damage: &str) -> Parsed {
        let mut headers: Vec<(String, String)> = Vec::new();
        let mut pending = first;
        loop {
            let line = match pending.take() {
                Some(l) => l,
                None => match self.line() {
                    Some(l) => l,
                    None => {
                        return Parsed::Damage {
                            pos,
                            what: self.truncation("truncated record"),
                        }
                    }
                },
            };
            let text = trim_line(&line);
            if text.is_empty() {
                break;
            }
            if headers.len() >= MAX_HEADERS {
                return Parsed::Damage {
                    pos,
                    what: "too many header lines".into(),
                };
            }
            let text = String::from_utf8_lossy(text);
            match text.split_once(':') {
                Some((k, v)) => headers.push((k.trim().to_ascii_lowercase(), v.trim().into())),
                None if text.starts_with([' ', '\t']) => {
                    if let Some(last) = headers.last_mut() {
                        last.1.push(' ');
                        last.1.push_str(text.trim());
                    }
                }
                None => {}
            }
        }
        let get = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let Some(len) = get("content-length").and_then(|v| v.parse::<u64>().ok()) else {
            return Parsed::Damage {
                pos,
                what: "record without a valid Content-Length".into(),
            };
        };
        let keep = len <= self.max_block;
        let (mut block, got) = self.block(len, keep);
        if got < len {
            // a length running past the end of the stream may hide the next records
            if let Some(i) = find(&block, b"\r\n\r\nWARC/") {
                let tail = block.split_off(i + 4);
                self.unread(&tail);
                return Parsed::Damage {
                    pos,
                    what: format!("wrong Content-Length ({len}; the block ends after {i} bytes)"),
                };
            }
            return Parsed::Damage {
                pos,
                what: self.truncation(&format!("truncated record ({got} of {len} bytes)")),
            };
        }
        // every record ends with CRLF CRLF; anything else means the length was wrong
        let end = self.peek(4);
        let mut damage = damage.to_string();
        if end.starts_with(b"\r\n\r\n") {
            self.consume(4);
        } else if end.starts_with(b"\n\n") {
            self.consume(2);
        } else if end.is_empty() && self.error.is_none() {
            // the last record without its terminator: keep it
        } else if keep {
            // too long: the next record starts inside what was read as this block
            if let Some(i) = find(&block, b"\r\n\r\nWARC/") {
                let tail = block.split_off(i + 4);
                block.truncate(i);
                self.unread(&tail);
                return Parsed::Damage {
                    pos,
                    what: format!("wrong Content-Length ({len}; the block ends after {i} bytes)"),
                };
            }
            return Parsed::Damage {
                pos,
                what: format!("wrong Content-Length ({len}): no record end after the block"),
            };
        } else {
            damage = format!("no record end after the {len}-byte block");
        }
        if !damage.is_empty() {
            return Parsed::Damage { pos, what: damage };
        }
        let uri = get("warc-target-uri").map(|u| {
            u.trim_start_matches('<')
                .trim_end_matches('>')
                .trim()
                .to_string()
        });
        Parsed::Record(WarcRecord {
            offset: pos,
            inner: 0,
            kind: get("warc-type").unwrap_or_default().to_ascii_lowercase(),
            target_uri: uri,
            date: get("warc-date"),
            content_type: get("content-type"),
            payload_digest: get("warc-payload-digest"),
            refers_to_uri: get("warc-refers-to-target-uri").map(|u| {
                u.trim_start_matches('<')
                    .trim_end_matches('>')
                    .trim()
                    .to_string()
            }),
            block: keep.then_some(block),
            block_len: len,
        })
    }

    /// A truncation message, naming the stream error when there is one.
    fn truncation(&self, what: &str) -> String {
        match &self.error {
            Some(e) => format!("{what}: {e}"),
            None => what.to_string(),
        }
    }
}

/// A line without its CR LF ending.
fn trim_line(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// `WARC-Type:`, `WARC-Record-ID:`…: a header line that only a WARC record starts with.
fn is_warc_header(line: &[u8]) -> bool {
    line.len() > 5 && line[..5].eq_ignore_ascii_case(b"warc-") && line.contains(&b':')
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A WARC record as crawlers write it.
    pub(crate) fn record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2019-11-13T05:42:17Z\r\nWARC-Record-ID: <urn:uuid:{uri}>\r\nContent-Type: application/http; msgtype={kind}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    fn events(bytes: &[u8]) -> Vec<Event> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.warc");
        std::fs::write(&path, bytes).unwrap();
        let mut out = Vec::new();
        read(&path, 1 << 20, &mut |e| {
            out.push(e);
            Ok(())
        })
        .unwrap();
        out
    }

    fn summary(evs: &[Event]) -> Vec<String> {
        evs.iter()
            .map(|e| match e {
                Event::Record(r) => format!(
                    "{} {} @{}",
                    r.kind,
                    r.target_uri.as_deref().unwrap_or("-"),
                    r.offset
                ),
                Event::Damage { what, offset, .. } => format!("damage @{offset}: {what}"),
            })
            .collect()
    }

    #[test]
    fn plain_records_with_offsets() {
        let a = record("request", "http://a/", b"GET / HTTP/1.1\r\n\r\n");
        let b = record("response", "<http://b/>", b"HTTP/1.1 200 OK\r\n\r\nhi");
        let mut file = a.clone();
        file.extend_from_slice(&b);
        let evs = events(&file);
        assert_eq!(
            summary(&evs),
            [
                "request http://a/ @0".to_string(),
                format!("response http://b/ @{}", a.len())
            ]
        );
        let Event::Record(r) = &evs[1] else { panic!() };
        assert_eq!(r.block.as_deref(), Some(&b"HTTP/1.1 200 OK\r\n\r\nhi"[..]));
        assert_eq!(r.date.as_deref(), Some("2019-11-13T05:42:17Z"));
    }

    #[test]
    fn gzip_member_per_record_and_one_stream() {
        let a = record("response", "http://a/", b"x");
        let b = record("response", "http://b/", b"y");
        let (ga, gb) = (gz(&a), gz(&b));
        let mut file = ga.clone();
        file.extend_from_slice(&gb);
        assert_eq!(
            summary(&events(&file)),
            [
                "response http://a/ @0".to_string(),
                format!("response http://b/ @{}", ga.len())
            ]
        );
        // one gzip stream for the whole file: offsets inside the member
        let mut both = a.clone();
        both.extend_from_slice(&b);
        let evs = events(&gz(&both));
        assert_eq!(evs.len(), 2);
        let Event::Record(r) = &evs[1] else { panic!() };
        assert_eq!((r.offset, r.inner), (0, a.len() as u64));
        assert_eq!(r.origin("f.warc.gz"), format!("f.warc.gz#0+{}", a.len()));
    }

    #[test]
    fn truncated_gzip_member_keeps_what_came_before() {
        let a = gz(&record("response", "http://a/", b"aaaa"));
        let b = gz(&record("response", "http://b/", &[b'b'; 5000]));
        let mut file = a.clone();
        file.extend_from_slice(&b[..b.len() / 2]);
        let s = summary(&events(&file));
        assert_eq!(s[0], "response http://a/ @0");
        assert!(s[1].starts_with(&format!("damage @{}", a.len())), "{s:?}");
        assert_eq!(s.len(), 2, "{s:?}");
    }

    #[test]
    fn corrupt_member_then_good_ones() {
        let a = gz(&record("response", "http://a/", b"aaaa"));
        let mut bad = gz(&record("response", "http://b/", &[b'b'; 3000]));
        let mid = bad.len() / 2;
        for x in &mut bad[mid..mid + 20] {
            *x ^= 0x5a;
        }
        let c = gz(&record("response", "http://c/", b"cccc"));
        let mut file = a.clone();
        file.extend_from_slice(&bad);
        file.extend_from_slice(b"garbage!");
        file.extend_from_slice(&c);
        let s = summary(&events(&file));
        assert_eq!(s.first().unwrap(), "response http://a/ @0");
        assert!(s.iter().any(|l| l.starts_with("damage")), "{s:?}");
        assert_eq!(
            s.last().unwrap(),
            &format!("response http://c/ @{}", a.len() + bad.len() + 8)
        );
    }

    #[test]
    fn wrong_content_length_garbage_and_missing_version_line() {
        let a = record("response", "http://a/", b"aaaa");
        // Content-Length 40 too long: the block runs into the next record
        let mut long = record("response", "http://long/", b"short");
        let text = String::from_utf8(long.clone()).unwrap();
        long = text
            .replace("Content-Length: 5", "Content-Length: 40")
            .into_bytes();
        let b = record("response", "http://b/", b"bbbb");
        // Content-Length too short
        let short = String::from_utf8(record("response", "http://short/", b"0123456789"))
            .unwrap()
            .replace("Content-Length: 10", "Content-Length: 3")
            .into_bytes();
        let c = record("response", "http://c/", b"cccc");
        let noversion = String::from_utf8(record("response", "http://nv/", b"nv"))
            .unwrap()
            .replacen("WARC/1.0\r\n", "", 1)
            .into_bytes();
        let mut file = a;
        for part in [
            &long[..],
            &b[..],
            b"some garbage\r\nmore garbage\r\n",
            &short[..],
            &c[..],
            &noversion[..],
        ] {
            file.extend_from_slice(part);
        }
        let s = summary(&events(&file));
        let records: Vec<&String> = s.iter().filter(|l| !l.starts_with("damage")).collect();
        assert_eq!(
            records
                .iter()
                .map(|l| l.split(' ').nth(1).unwrap())
                .collect::<Vec<_>>(),
            ["http://a/", "http://b/", "http://c/"],
            "{s:?}"
        );
        let damage: Vec<&String> = s.iter().filter(|l| l.starts_with("damage")).collect();
        assert!(
            damage.iter().any(|d| d.contains("wrong Content-Length")),
            "{s:?}"
        );
        assert!(damage.iter().any(|d| d.contains("garbage")), "{s:?}");
        assert!(
            damage.iter().any(|d| d.contains("missing WARC/1.x")),
            "{s:?}"
        );
    }

    #[test]
    fn large_blocks_are_skipped_not_kept() {
        let big = record("response", "http://big/", &vec![b'x'; 100_000]);
        let after = record("response", "http://after/", b"ok");
        let mut file = big;
        file.extend_from_slice(&after);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.warc");
        std::fs::write(&path, &file).unwrap();
        let mut got = Vec::new();
        read(&path, 1000, &mut |e| {
            if let Event::Record(r) = e {
                got.push((r.target_uri.unwrap(), r.block.is_some(), r.block_len));
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(
            got,
            [
                ("http://big/".to_string(), false, 100_000),
                ("http://after/".to_string(), true, 2)
            ]
        );
    }

    #[test]
    fn empty_and_random_files_do_not_panic() {
        assert!(events(b"").is_empty());
        let noise: Vec<u8> = (0..20_000u32).map(|i| (i * 7919 % 251) as u8).collect();
        let _ = events(&noise);
        let mut gzip_noise = vec![0x1f, 0x8b, 0x08];
        gzip_noise.extend_from_slice(&noise);
        let _ = events(&gzip_noise);
    }
}

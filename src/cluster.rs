//! Story clusters: which pages carry the same story (wire copies, retitled second editions,
//! trimmed reprints, lightly edited captures), found at index time.
//!
//! **Signature.** A body's words (lower-cased, accent-folded: the first steps of the `news`
//! analyzer) form overlapping 4-word shingles; the page keeps a MinHash of that set: the
//! smallest of [`HASHES`] independent hashes over its shingles. The fraction of equal minima
//! of two signatures estimates the Jaccard *resemblance* |A∩B| / |A∪B| of their shingle sets.
//! A small hand-written MinHash (about 40 lines, tested below) rather than a crate: the crates
//! on offer bring their own tokenisers and LSH tables held in memory, where gazette needs the
//! analyzer of its index and LSH keys stored *in* the index (see Storage).
//!
//! **Threshold.** Two pages are the same story when their estimated resemblance is at least
//! [`THRESHOLD`] (0.5). Resemblance, not containment: a trimmed reprint keeping two-thirds of
//! the story resembles it at about 0.67 and joins; a short brief repeating one paragraph of a
//! ten-paragraph story is *contained* in it but resembles it at about 0.1 and stays apart.
//! Different stories sharing boilerplate or a long quote share only those shingles: a quote
//! of a quarter of each story gives a resemblance of 0.14. Retitled copies are unaffected
//! (only the body is signed); one edited word in twenty changes about a fifth of the shingles
//! (resemblance ≈ 0.7). Bodies of fewer than [`MIN_WORDS`] words get no signature: in so
//! little text a shared sentence would look like a copy, so they are their own story.
//!
//! **Storage and incremental runs.** Each document stores its story id (`story`: indexed and
//! fast), whether it is its story's first page in its first form (`head`: a bool fast field)
//! and, on a story's first page and its first [`KEYED_COPIES`] copies, [`BANDS`] LSH keys
//! (`lsh`, indexed: the signature cut in bands of [`ROWS`] values, each band hashed) and the
//! first page's [`Sketch`] (`sketch`, fast: the low byte of each minimum, 128 bytes). Two
//! pages resembling each other at 0.5 share a band with probability 1 − (1 − 0.5²)¹⁶ ≈ 0.99;
//! at 0.1 with 0.15, and such candidates are then compared on sketches, read from the fast
//! field without touching the stored page.
//! A filter of each committed segment's band keys spares nearly all term-dictionary lookups
//! (most keys are in no segment).
//! A new or changed page looks its bands up as terms in the committed index (and in a table
//! of the stories started since the last commit), and joins the story of its most resembling
//! candidate; with none it starts a story of its own, whose id hashes its path and signature.
//! Every later copy is compared with that first page, the *head* (star clusters): a chain of
//! small edits cannot drift from one story into another. Story ids are *sticky*: a page
//! joining a story takes its id and no other document is rewritten, so every commit (tantivy
//! commits are atomic) holds documents whose story ids were each decided against committed or
//! same-batch pages: a crash at any point leaves consistent clusters. A changed page is
//! re-assigned (its old document is deleted with it); a pruned page simply leaves its story.
//! When a story's head is pruned or rewritten, its copies keep the story id, and its first
//! [`KEYED_COPIES`] copies still hold band keys and the first page's sketch: a copy indexed
//! later finds the story through them and is compared with the text the first page had.
//! (Later copies hold none: a story copied a thousand times would make each of its keys list
//! a thousand pages to walk through. A story whose first page and first copies are all gone
//! starts again with the next copy indexed.) Memory: the same-batch table holds at most
//! `--commit-every` pages.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, RwLock};

use anyhow::Context;
use tantivy::schema::{Field, IndexRecordOption, Schema, FAST, INDEXED};
use tantivy::tokenizer::TokenStream;
use tantivy::{IndexReader, TantivyDocument};

/// Words per shingle: long enough that common phrases rarely make two stories alike, short
/// enough that an edited word changes few shingles.
pub const SHINGLE_WORDS: usize = 4;
/// MinHash values per page (the resemblance estimate's standard error is ≤ 0.045).
pub const HASHES: usize = 128;
/// LSH bands stored per page.
pub const BANDS: usize = 16;
/// Signature values per band.
pub const ROWS: usize = 2;
/// Lowest estimated resemblance of two copies of one story.
pub const THRESHOLD: f64 = 0.5;
/// Pages with fewer body words get no signature (and are their own story).
pub const MIN_WORDS: usize = 20;
/// A band key shared by more pages than this is boilerplate: its postings are not followed
/// further (bounds the work per page whatever the archive).
const MAX_POSTINGS: usize = 2_000;
/// A story's first copies keep band keys (besides its first page), so that the story is still
/// found should its first page go; later copies keep none. Without this limit a key of a
/// story copied a thousand times listed a thousand pages, which every later page sharing the
/// key walked through to find one story.
pub const KEYED_COPIES: u32 = 4;

/// Field names, for code that reads columns by name.
pub const STORY: &str = "story";
/// Field marking the page that started its story, in its first form.
pub const HEAD: &str = "head";
/// Field holding the LSH band keys.
pub const LSH: &str = "lsh";
/// Field holding the [`Sketch`] of a story's first page.
pub const SKETCH: &str = "sketch";

/// The clustering fields of the schema.
#[derive(Debug, Clone, Copy)]
pub struct ClusterFields {
    /// Story id (indexed to list a story's pages, fast to collapse hits).
    pub story: Field,
    /// Whether the page is its story's first page in its first form (bool, fast): the page
    /// later copies are compared with. Signed pages only (short bodies have no value).
    pub head: Field,
    /// LSH band keys (indexed) to find candidates.
    pub lsh: Field,
    /// The [`Sketch`] of the story's first page ([`SKETCH_WORDS`] values, fast), kept by that
    /// page and its first copies: what later pages are compared with, read without
    /// decompressing the stored body.
    pub sketch: Field,
}

/// Adds the clustering fields to a schema being built.
pub fn add_fields(b: &mut tantivy::schema::SchemaBuilder) -> ClusterFields {
    ClusterFields {
        story: b.add_u64_field(STORY, INDEXED | FAST),
        head: b.add_bool_field(HEAD, FAST),
        lsh: b.add_u64_field(LSH, INDEXED),
        sketch: b.add_u64_field(SKETCH, FAST),
    }
}

/// The clustering fields of an opened index.
pub fn fields_of(schema: &Schema) -> tantivy::Result<ClusterFields> {
    Ok(ClusterFields {
        story: schema.get_field(STORY)?,
        head: schema.get_field(HEAD)?,
        lsh: schema.get_field(LSH)?,
        sketch: schema.get_field(SKETCH)?,
    })
}

/// A page's MinHash signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub [u32; HASHES]);

/// 64-bit words of a [`Sketch`].
pub const SKETCH_WORDS: usize = HASHES / 8;

/// The lowest byte of each of a signature's minima (b-bit MinHash, Li and König 2010), packed
/// eight to a word: what pages are compared on. Two equal minima have equal bytes; two
/// different ones have equal bytes by chance once in 256, which [`Sketch::resemblance`]
/// discounts. The estimate's standard error grows by under 1% against the whole signature,
/// and a story head's sketch is small enough (128 bytes) to keep in a fast field: a later
/// copy is compared with it at the cost of reading 16 numbers, where the whole signature had
/// to be computed again from the head's stored, compressed body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sketch(pub [u64; SKETCH_WORDS]);

impl Sketch {
    /// Estimated Jaccard resemblance of the two pages' shingle sets: the fraction of equal
    /// bytes, less the fraction expected by chance (1/256 of the unequal minima).
    pub fn resemblance(&self, other: &Sketch) -> f64 {
        const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
        let same: u32 = self
            .0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| {
                // Counts the zero bytes of a ^ b (a byte's high bit is set in `t` exactly
                // when the byte is zero).
                let x = a ^ b;
                let t = !(((x & LOW) + LOW) | x | LOW);
                t.count_ones()
            })
            .sum();
        let chance = 1.0 / 256.0;
        ((f64::from(same) / HASHES as f64 - chance) / (1.0 - chance)).max(0.0)
    }

    /// The sketch read back from a fast field's values (`None` unless there are exactly
    /// [`SKETCH_WORDS`]: a page that is not a story head has none).
    fn from_values(values: impl Iterator<Item = u64>) -> Option<Sketch> {
        let mut words = [0u64; SKETCH_WORDS];
        let mut n = 0;
        for v in values {
            *words.get_mut(n)? = v;
            n += 1;
        }
        (n == SKETCH_WORDS).then_some(Sketch(words))
    }
}

/// Fast 64-bit mixer (the splitmix64 finaliser): one call per shingle per hash function.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The normalised words of a body, hashed: what the index's analyzer sees before stemming
/// (runs of letters and digits, lower-cased and accent-folded, words over 40 bytes left
/// out), except that each CJK character is a word of its own (those scripts do not space
/// their words). Written out rather than run through the analyzer: this pass over every
/// body was a third of the cost of clustering, and almost every word of most archives is
/// ASCII, which needs neither a token string nor a folding table.
pub fn words(body: &str) -> Vec<u64> {
    let bytes = body.as_bytes();
    let char_at = |at: usize| body[at..].chars().next().unwrap_or(' ');
    let mut out = Vec::with_capacity(body.len() / 6);
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if !b.is_ascii_alphanumeric() {
            if b.is_ascii() {
                at += 1;
                continue;
            }
            let c = char_at(at);
            if !c.is_alphanumeric() || crate::analyzers::is_cjk(c) {
                if c.is_alphanumeric() {
                    out.push(word_hash(&bytes[at..at + c.len_utf8()], 0));
                }
                at += c.len_utf8();
                continue;
            }
        }
        // A word of letters and digits starts here.
        let start = at;
        let mut ascii = true;
        while at < bytes.len() {
            let b = bytes[at];
            if b.is_ascii_alphanumeric() {
                at += 1;
                continue;
            }
            if b.is_ascii() {
                break;
            }
            let c = char_at(at);
            if !c.is_alphanumeric() || crate::analyzers::is_cjk(c) {
                break;
            }
            ascii = false;
            at += c.len_utf8();
        }
        if at - start >= 40 {
            continue;
        }
        let word = &body[start..at];
        out.push(if ascii {
            // Letters and digits only: setting bit 5 lower-cases letters, keeps digits.
            word_hash(word.as_bytes(), 0x20)
        } else {
            folded_word_hash(word)
        });
    }
    out
}

/// The hash of a word that is not plain ASCII, after the analyzer's lower-casing and
/// accent folding (so "Café" and "cafe" are one word).
fn folded_word_hash(word: &str) -> u64 {
    thread_local! {
        static FOLD: std::cell::RefCell<tantivy::tokenizer::TextAnalyzer> =
            std::cell::RefCell::new(crate::schema::key_analyzer());
    }
    FOLD.with_borrow_mut(|analyzer| {
        let mut stream = analyzer.token_stream(word);
        let mut h = None;
        while stream.advance() {
            h = Some(word_hash(stream.token().text.as_bytes(), 0));
        }
        h.unwrap_or_else(|| word_hash(word.as_bytes(), 0))
    })
}

/// A 64-bit hash of a normalised word, read eight bytes at a time, each byte or-ed with
/// `set` (0x20 lower-cases a word of ASCII letters and digits, 0 keeps the bytes).
fn word_hash(bytes: &[u8], set: u8) -> u64 {
    let spread = u64::from(set) * 0x0101_0101_0101_0101;
    let mut h = 0x243f_6a88_85a3_08d3_u64 ^ ((bytes.len() as u64) << 56);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = mix(h ^ (u64::from_le_bytes(word) | spread));
    }
    let mut last = 0u64;
    for (i, &b) in chunks.remainder().iter().enumerate() {
        last |= u64::from(b | set) << (8 * i);
    }
    mix(h ^ last)
}

/// The signature of a body, or `None` when it is too short to tell copies from quotes.
pub fn signature(body: &str) -> Option<Signature> {
    // A repeated shingle changes no minimum: the hashes need no deduplication.
    let shingles = shingles(body)?;
    let mut mins = [u32::MAX; HASHES];
    min_hashes(&shingles, &mut mins);
    Some(Signature(mins))
}

/// Lowers each of `mins` to the smallest value its hash function gives the shingles.
///
/// Each hash function is a multiply-shift hash (Dietzfelbinger et al.) of the shingle's
/// 64-bit hash: the high 32 bits of a·s + b with a odd. Shingle hashes are already well
/// mixed, so this 2-universal family orders them as independent permutations would, at one
/// multiply per value; the loop over the 128 functions has no dependency chain, so it runs
/// in vector lanes. This is most of the cost of clustering a page, so the loop is compiled
/// a second time for AVX2 and AVX-512 (chosen at run time; the same arithmetic, so the same
/// values on every CPU): 64-bit multiplies are native in AVX-512 and emulated in fewer
/// steps in AVX2 than in the baseline SSE2.
fn min_hashes(shingles: &[u64], mins: &mut [u32; HASHES]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512dq")
            && std::arch::is_x86_feature_detected!("avx512vl")
        {
            // SAFETY: the CPU has the features the function is compiled for (just checked).
            unsafe { min_hashes_avx512(shingles, mins) };
            return;
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: as above.
            unsafe { min_hashes_avx2(shingles, mins) };
            return;
        }
    }
    min_hashes_kernel(shingles, mins);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl,avx2")]
fn min_hashes_avx512(shingles: &[u64], mins: &mut [u32; HASHES]) {
    min_hashes_kernel(shingles, mins);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn min_hashes_avx2(shingles: &[u64], mins: &mut [u32; HASHES]) {
    min_hashes_kernel(shingles, mins);
}

/// The loop of [`min_hashes`], inlined into each compiled variant.
#[inline(always)]
fn min_hashes_kernel(shingles: &[u64], mins: &mut [u32; HASHES]) {
    for &s in shingles {
        for ((m, a), b) in mins.iter_mut().zip(&MULTIPLIERS).zip(&OFFSETS) {
            *m = (*m).min((s.wrapping_mul(*a).wrapping_add(*b) >> 32) as u32);
        }
    }
}

/// The body's shingle hashes (repeats included), or `None` when it has fewer than
/// [`MIN_WORDS`] words.
fn shingles(body: &str) -> Option<Vec<u64>> {
    let mut words = words(body);
    if words.len() < MIN_WORDS {
        return None;
    }
    // Word hashes are well mixed: rotating each by its place and mixing once tells the
    // shingles apart as well as chaining a mix per word. Each shingle replaces its first
    // word, which no later shingle reads: no second vector.
    let n = words.len() + 1 - SHINGLE_WORDS;
    for i in 0..n {
        let h = words[i..i + SHINGLE_WORDS]
            .iter()
            .enumerate()
            .fold(0, |h, (i, &x)| {
                h ^ x.rotate_left((i * 64 / SHINGLE_WORDS) as u32)
            });
        words[i] = mix(h);
    }
    words.truncate(n);
    Some(words)
}

/// Fixed pseudo-random constants (signatures must compare across runs): odd multipliers and
/// offsets of the hash functions.
const fn constants(seed: u64, odd: bool) -> [u64; HASHES] {
    let mut out = [0u64; HASHES];
    let mut i = 0;
    let mut x = seed;
    while i < HASHES {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        // The splitmix64 finaliser of the LCG state (its low bits alone are weak).
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        out[i] = if odd { z | 1 } else { z };
        i += 1;
    }
    out
}

const MULTIPLIERS: [u64; HASHES] = constants(0x2545_f491_4f6c_dd1d, true);
const OFFSETS: [u64; HASHES] = constants(0x9e37_79b9_7f4a_7c15, false);

impl Signature {
    /// Estimated Jaccard resemblance of the two pages' shingle sets (on the whole
    /// signature; clustering compares [`Sketch`]es).
    pub fn resemblance(&self, other: &Signature) -> f64 {
        let same = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        same as f64 / HASHES as f64
    }

    /// The signature's [`Sketch`].
    pub fn sketch(&self) -> Sketch {
        let mut words = [0u64; SKETCH_WORDS];
        for (w, mins) in words.iter_mut().zip(self.0.chunks_exact(8)) {
            *w = mins
                .iter()
                .enumerate()
                .fold(0, |acc, (i, &m)| acc | (u64::from(m & 0xff) << (8 * i)));
        }
        Sketch(words)
    }

    /// The LSH keys: each band of [`ROWS`] values hashed to 28 bits, with the band number
    /// above them so equal values in different bands do not meet. Keys under 2³² share
    /// their leading bytes in the term dictionary, which is then about a third of the size
    /// (and time to build) of one of random 64-bit keys; a 28-bit collision only adds a
    /// candidate that the full signature then rejects (about one page in 16,000 per band
    /// even in a million-page archive).
    pub fn bands(&self) -> [u64; BANDS] {
        let mut keys = [0u64; BANDS];
        for (b, key) in keys.iter_mut().enumerate() {
            let mut h = b as u64;
            for &v in &self.0[b * ROWS..(b + 1) * ROWS] {
                h = mix(h.rotate_left(32) ^ u64::from(v));
            }
            *key = (h >> 36) | ((b as u64) << 28);
        }
        keys
    }
}

/// The story id of a page that starts a story: a hash of its path (never 0).
pub fn own_story(path: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(path.as_bytes()).max(1)
}

/// The story id of a signed page that starts a story: a hash of its path and of its
/// signature. A page holding that id is its story's first page, in its first form: once the
/// page is rewritten, its new text no longer names the story (and a rewritten page that tells
/// another story starts one with another id, leaving its old copies theirs).
pub fn first_story(path: &str, sig: &Signature) -> u64 {
    let salt = u64::from(sig.0[0]) | (u64::from(sig.0[1]) << 32);
    (xxhash_rust::xxh3::xxh3_64(path.as_bytes()) ^ mix(salt)).max(1)
}

/// Copies of one story are published within this many days of the page they are compared
/// with (when both pages have a date). Syndicated copies and retitled second editions appear
/// the same or the next day, print editions and weekly reprints within the week; a text
/// resembling one published longer ago is a recurring report (a daily reserve operation, a
/// weekly price table: the same template with new figures) and a story of its own.
pub const WINDOW_DAYS: i64 = 7;

/// Whether two publication instants (seconds) allow the pages to be one story.
fn within_window(a: Option<i64>, b: Option<i64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.abs_diff(b) <= (WINDOW_DAYS * 86_400 + 86_399) as u64,
        _ => true,
    }
}

/// What [`Clusterer::assign`] decided for one page.
#[derive(Debug, Clone)]
pub struct Assigned {
    /// The story the page belongs to.
    pub story: u64,
    /// Its signature (`None` for short bodies).
    pub signature: Option<Signature>,
    /// The sketch of its story's first page, kept with the page's band keys when the page is
    /// that first page or one of its first [`KEYED_COPIES`] copies (`None` otherwise): later
    /// pages that share a band with it are compared with that sketch.
    pub story_sketch: Option<Sketch>,
    /// Whether the page is its story's first page in its first form (see [`first_story`]).
    pub head: bool,
}

impl Assigned {
    /// Writes the clustering fields into the page's document.
    pub fn add_to(&self, doc: &mut TantivyDocument, f: &ClusterFields) {
        doc.add_u64(f.story, self.story);
        if let Some(sig) = &self.signature {
            doc.add_bool(f.head, self.head);
            if let Some(sketch) = &self.story_sketch {
                for key in sig.bands() {
                    doc.add_u64(f.lsh, key);
                }
                for word in sketch.0 {
                    doc.add_u64(f.sketch, word);
                }
            }
        }
    }
}

/// A page that starts a story, added since the last commit: (story, sketch, date).
type PendingHead = (u64, Sketch, Option<i64>);

/// Pages added since the last commit, which the committed index does not show yet.
///
/// A compact table (it is probed 16 times per page, and a table of vectors was the largest
/// cost of clustering after the signature): each band key maps to the last head added with
/// it, and `next[head * BANDS + band]` to the head added before that one with the same key.
#[derive(Default)]
struct Pending {
    last: HashMap<u64, u32, KeyHash>,
    next: Vec<u32>,
    heads: Vec<PendingHead>,
    /// Copies added per story.
    copies: HashMap<u64, u32, KeyHash>,
    /// The band keys of every page given keys since the last commit (heads and first
    /// copies): what the commit adds to [`Committed::keys`].
    keyed: Vec<u64>,
}

/// End of a chain in [`Pending::next`].
const NONE: u32 = u32::MAX;

impl Pending {
    /// The heads sharing a band key with `bands`, each once.
    fn candidates(&self, bands: &[u64; BANDS]) -> Vec<u32> {
        let mut out = Vec::new();
        for (b, key) in bands.iter().enumerate() {
            let mut i = self.last.get(key).copied().unwrap_or(NONE);
            while i != NONE {
                out.push(i);
                i = self.next[i as usize * BANDS + b];
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    fn push(&mut self, head: PendingHead, bands: &[u64; BANDS]) {
        let i = self.heads.len() as u32;
        self.heads.push(head);
        for key in bands {
            self.next.push(self.last.insert(*key, i).unwrap_or(NONE));
        }
        self.keyed.extend_from_slice(bands);
    }
}

/// Hash maps keyed by band keys and story ids, which are hashes already: one multiply
/// spreads them over the table (the standard library's SipHash is several times slower).
type KeyHash = std::hash::BuildHasherDefault<KeyHasher>;

/// See [`KeyHash`].
#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// Assigns pages to stories during an indexing run (shared by the worker threads).
///
/// Callers must hold the index writer's shared lock from [`Clusterer::assign`] until the page
/// is added, and call [`Clusterer::committed`] after each commit (under the exclusive lock):
/// then a page is always compared with every page committed or added before it.
pub struct Clusterer {
    fields: ClusterFields,
    reader: IndexReader,
    /// The committed index (`None` when disabled: nothing is looked up).
    committed: Option<RwLock<Committed>>,
    pending: Mutex<Pending>,
}

/// The committed index as clustering sees it between two commits.
struct Committed {
    searcher: tantivy::Searcher,
    /// What is kept of each of the searcher's segments, in its order (built for a segment
    /// when it first appears, dropped when it is merged away).
    segments: Vec<Arc<SegmentState>>,
    /// Every band key of the committed index, whatever its segment: probing it rules a key
    /// out of every segment at once, where the segments' own filters cost a probe (a cache
    /// miss) per segment: 16 keys times 20 to 30 segments per page on a million pages, for
    /// keys nearly all absent. Only keys it may hold go on to the segments.
    keys: KeyFilter,
    /// Keys added to [`Committed::keys`] since it was built (repeats included).
    added: usize,
}

impl Committed {
    /// The committed index that `searcher` shows, with the filters of its band keys.
    fn new(searcher: tantivy::Searcher, lsh: Field) -> anyhow::Result<Committed> {
        let mut committed = Committed {
            searcher,
            segments: Vec::new(),
            keys: KeyFilter::new(0),
            added: 0,
        };
        committed.segments = committed.states(lsh, &HashMap::new())?;
        committed.rebuild_keys()?;
        Ok(committed)
    }

    /// Builds [`Committed::keys`] again from the segments' dictionaries, sized for twice the
    /// keys they hold: the filter is filled by commits up to its size, then built again, so
    /// it stays between 16 and 32 bits a key (under 1% false positives) and its memory
    /// between 2 and 4 bytes a key, and each build at least doubles the keys it was built for.
    fn rebuild_keys(&mut self) -> anyhow::Result<()> {
        let held: usize = self
            .segments
            .iter()
            .map(|s| s.inverted.terms().num_terms())
            .sum();
        // The old filter goes first: the two are never held at once.
        self.keys = KeyFilter::new(0);
        let mut keys = KeyFilter::new(2 * held.max(MIN_KEYS));
        for state in &self.segments {
            keys.insert_terms(state.inverted.terms())
                .context("cannot read the index's band keys")?;
        }
        self.keys = keys;
        self.added = held;
        Ok(())
    }

    /// The states of the searcher's segments: those of `known` kept, the others built.
    fn states(
        &self,
        lsh: Field,
        known: &HashMap<tantivy::index::SegmentId, Arc<SegmentState>>,
    ) -> anyhow::Result<Vec<Arc<SegmentState>>> {
        self.searcher
            .segment_readers()
            .iter()
            .map(|segment| match known.get(&segment.segment_id()) {
                Some(state) => Ok(state.clone()),
                None => SegmentState::open(segment, lsh).map(Arc::new),
            })
            .collect()
    }

    /// After a commit that added pages with the keys `keyed`: the index `searcher` shows.
    fn refresh(
        &mut self,
        searcher: tantivy::Searcher,
        lsh: Field,
        keyed: &[u64],
    ) -> anyhow::Result<()> {
        let known: HashMap<_, _> = self
            .searcher
            .segment_readers()
            .iter()
            .map(|s| s.segment_id())
            .zip(self.segments.drain(..))
            .collect();
        self.searcher = searcher;
        self.segments = self.states(lsh, &known)?;
        self.added += keyed.len();
        if self.added > self.keys.capacity() {
            return self.rebuild_keys();
        }
        for &key in keyed {
            self.keys.insert(key);
        }
        Ok(())
    }
}

/// The fewest keys the filter of every committed key is sized for (32 KB).
const MIN_KEYS: usize = 16_384;

/// What clustering keeps of a committed segment: opening its columns costs about as much as
/// comparing a page with a few candidates, and pages with candidates in a segment are many.
struct SegmentState {
    filter: KeyFilter,
    columns: Columns,
    /// The band keys' dictionary and postings.
    inverted: Arc<tantivy::InvertedIndexReader>,
}

impl SegmentState {
    fn open(segment: &tantivy::SegmentReader, lsh: Field) -> anyhow::Result<SegmentState> {
        let inverted = segment.inverted_index(lsh)?;
        Ok(SegmentState {
            filter: KeyFilter::build(inverted.terms())
                .context("cannot read the index's band keys")?,
            columns: Columns::open(segment)?,
            inverted,
        })
    }
}

/// Which u64 terms of a field a segment may hold (a blocked Bloom filter, three bits in one
/// 64-bit word per key, 16 bits a key: 0.8% false positives; with two bits and 10
/// bits a key, 4% of the keys probed in each of a dozen segments were looked up in vain).
/// A term-dictionary lookup costs a few cache misses, a filter probe one, and most lookups
/// find nothing: nearly every page's 16 band keys are in no segment (clustering), and most
/// stories are in one segment of many (a collapsed hit's copies, [`crate::collapse`]).
/// Built once per segment from the field's terms (terms of deleted pages stay in: they only
/// cost a lookup).
pub(crate) struct KeyFilter {
    words: Vec<u64>,
    /// The keys are hashes already (story ids): their bits place them as they are, without
    /// a mixing step (building a story filter reads every page of a segment).
    hashed: bool,
}

impl KeyFilter {
    /// An empty filter sized for `keys` keys of any spread.
    pub(crate) fn new(keys: usize) -> KeyFilter {
        KeyFilter {
            words: vec![0; (keys * 16 / 64).max(1)],
            hashed: false,
        }
    }

    /// An empty filter sized for `keys` keys that are uniform hashes already.
    pub(crate) fn of_hashes(keys: usize) -> KeyFilter {
        KeyFilter {
            hashed: true,
            ..KeyFilter::new(keys)
        }
    }

    /// The filter of every term of `terms` (a u64 field's dictionary).
    pub(crate) fn build(terms: &tantivy::termdict::TermDictionary) -> std::io::Result<KeyFilter> {
        let mut filter = KeyFilter::new(terms.num_terms());
        filter.insert_terms(terms)?;
        Ok(filter)
    }

    /// Adds every term of `terms` (a u64 field's dictionary).
    fn insert_terms(&mut self, terms: &tantivy::termdict::TermDictionary) -> std::io::Result<()> {
        let mut stream = terms.stream()?;
        while stream.advance() {
            match <[u8; 8]>::try_from(stream.key()) {
                Ok(bytes) => self.insert(u64::from_be_bytes(bytes)),
                // Not a u64 term: let every key through rather than miss one.
                Err(_) => self.words.fill(u64::MAX),
            }
        }
        Ok(())
    }

    /// How many keys the filter holds at 16 bits a key (under 1% false positives).
    fn capacity(&self) -> usize {
        self.words.len() * 4
    }

    /// The word and the three bits of a key.
    fn slot(&self, key: u64) -> (usize, u64) {
        let h = if self.hashed { key } else { mix(key) };
        // The low 32 bits pick the word (scaled to the filter's size: any size, no rounding
        // up to a power of two); the top 18 bits pick its three bits.
        let word = (((h & 0xffff_ffff) * self.words.len() as u64) >> 32) as usize;
        (
            word,
            (1u64 << ((h >> 46) & 63)) | (1u64 << ((h >> 52) & 63)) | (1u64 << ((h >> 58) & 63)),
        )
    }

    /// Adds `key`.
    pub(crate) fn insert(&mut self, key: u64) {
        let (word, bits) = self.slot(key);
        self.words[word] |= bits;
    }

    /// False when the segment holds no such term.
    pub(crate) fn may_hold(&self, key: u64) -> bool {
        let (word, bits) = self.slot(key);
        self.words[word] & bits == bits
    }
}

/// The story a page joins, when one resembles it enough.
#[derive(Clone, Copy)]
struct Match {
    resemblance: f64,
    story: u64,
    /// The sketch of the story's first page, which the page compared with.
    sketch: Sketch,
}

/// The better of two matches: higher resemblance, then the smaller story id (so that the
/// choice does not depend on the order candidates are met).
fn better(a: Option<Match>, b: Match) -> Option<Match> {
    match a {
        Some(a)
            if a.resemblance > b.resemblance
                || (a.resemblance == b.resemblance && a.story <= b.story) =>
        {
            Some(a)
        }
        _ => Some(b),
    }
}

impl Clusterer {
    /// A clusterer over the index `reader` reads (reloaded at each commit).
    pub fn new(reader: IndexReader, fields: ClusterFields) -> anyhow::Result<Clusterer> {
        Clusterer::with(reader, fields, true)
    }

    /// A clusterer that puts every page in a story of its own (`gazette index
    /// --no-stories`): no signature is computed, looked up or stored.
    pub fn disabled(reader: IndexReader, fields: ClusterFields) -> anyhow::Result<Clusterer> {
        Clusterer::with(reader, fields, false)
    }

    fn with(
        reader: IndexReader,
        fields: ClusterFields,
        enabled: bool,
    ) -> anyhow::Result<Clusterer> {
        reader.reload().context("cannot read the index")?;
        let committed = match enabled {
            true => Some(RwLock::new(Committed::new(reader.searcher(), fields.lsh)?)),
            false => None,
        };
        Ok(Clusterer {
            fields,
            committed,
            reader,
            pending: Mutex::new(Pending::default()),
        })
    }

    /// Decides the story of the page at `path` with this body, published at `date` (seconds
    /// since the epoch, when known).
    pub fn assign(&self, path: &str, body: &str, date: Option<i64>) -> anyhow::Result<Assigned> {
        let sig = self.committed.as_ref().and_then(|_| signature(body));
        let Some(sig) = sig else {
            return Ok(Assigned {
                story: own_story(path),
                signature: None,
                story_sketch: None,
                head: false,
            });
        };
        let bands = sig.bands();
        let sketch = sig.sketch();
        let (mut best, copies_met) = self.best_committed(&sketch, &bands, date)?;
        let mut pending = self.pending.lock().expect("cluster lock poisoned");
        for i in pending.candidates(&bands) {
            let (story, other, when) = &pending.heads[i as usize];
            if within_window(date, *when) {
                let resemblance = sketch.resemblance(other);
                best = better(
                    best,
                    Match {
                        resemblance,
                        story: *story,
                        sketch: *other,
                    },
                );
            }
        }
        if let Some(m) = best.filter(|m| m.resemblance >= THRESHOLD) {
            // A copy: it joins the story. A first page indexed again unchanged still is its
            // story's first page. The story's first copies keep band keys and the first
            // page's sketch, to stand for the story should its first page go.
            let head = first_story(path, &sig) == m.story;
            let added = pending.copies.entry(m.story).or_insert(0);
            let earlier = *added + copies_met.get(&m.story).copied().unwrap_or(0);
            *added += 1;
            let keyed = head || earlier < KEYED_COPIES;
            if keyed {
                pending.keyed.extend_from_slice(&bands);
            }
            return Ok(Assigned {
                story: m.story,
                signature: Some(sig),
                story_sketch: keyed.then_some(m.sketch),
                head,
            });
        }
        let story = first_story(path, &sig);
        pending.push((story, sketch, date), &bands);
        drop(pending);
        Ok(Assigned {
            story,
            signature: Some(sig),
            story_sketch: Some(sketch),
            head: true,
        })
    }

    /// The most resembling committed story sharing a band, and how many copies that keep
    /// band keys were met per story.
    ///
    /// A page is compared with its story's first page only (the sketch its first page and
    /// first copies keep), whichever of them shares a band: clusters stay stars around one
    /// text, and a story whose first page was pruned or rewritten is still found through its
    /// first copies.
    fn best_committed(
        &self,
        sketch: &Sketch,
        bands: &[u64; BANDS],
        date: Option<i64>,
    ) -> anyhow::Result<(Option<Match>, HashMap<u64, u32, KeyHash>)> {
        let mut best = None;
        // Copies met per story (a story's keyed copies hold the same sketch as its head).
        let mut copies: HashMap<u64, u32, KeyHash> = HashMap::default();
        let Some(committed) = &self.committed else {
            return Ok((best, copies));
        };
        let committed = committed.read().expect("cluster lock poisoned");
        // Every probe is made before any is tested: the cache misses overlap.
        let held = bands.map(|key| committed.keys.may_hold(key));
        let mut present = [0u64; BANDS];
        let mut n = 0;
        for (&key, held) in bands.iter().zip(held) {
            present[n] = key;
            n += usize::from(held);
        }
        if n == 0 {
            // No segment holds any of the keys (most pages of an archive): none is visited.
            return Ok((best, copies));
        }
        let mut decided: HashSet<u64, KeyHash> = HashSet::default();
        let mut candidates = Vec::new();
        for (segment, state) in committed
            .searcher
            .segment_readers()
            .iter()
            .zip(&committed.segments)
        {
            let alive = segment.alive_bitset();
            candidates.clear();
            let held = present.map(|key| state.filter.may_hold(key));
            for (&key, _) in present[..n].iter().zip(held).filter(|(_, held)| *held) {
                // The dictionary is read with the key's bytes (a u64 term's), and only the
                // doc ids are decoded: no term, position reader or frequencies are built.
                let Some(info) = state.inverted.terms().get(key.to_be_bytes())? else {
                    continue;
                };
                if info.doc_freq as usize > MAX_POSTINGS {
                    continue;
                }
                let mut block = state
                    .inverted
                    .read_block_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
                let mut left = info.doc_freq as usize;
                while left > 0 {
                    let docs = block.docs();
                    if docs.is_empty() {
                        break;
                    }
                    left = left.saturating_sub(docs.len());
                    candidates.extend(
                        docs.iter()
                            .filter(|&&doc| alive.is_none_or(|a| a.is_alive(doc))),
                    );
                    if left > 0 {
                        block.advance();
                    }
                }
            }
            if candidates.is_empty() {
                // The usual case: no column is read.
                continue;
            }
            candidates.sort_unstable();
            candidates.dedup();
            let columns = &state.columns;
            for &doc in &candidates {
                let Some(story) = columns.stories.first(doc) else {
                    continue;
                };
                if columns.head(doc) == Some(false) {
                    *copies.entry(story).or_insert(0) += 1;
                }
                if decided.contains(&story) || !within_window(date, columns.date(doc)) {
                    continue;
                }
                let Some(other) = columns.sketch(doc) else {
                    continue;
                };
                decided.insert(story);
                best = better(
                    best,
                    Match {
                        resemblance: sketch.resemblance(&other),
                        story,
                        sketch: other,
                    },
                );
            }
        }
        Ok((best, copies))
    }

    /// After a commit: the committed index now holds the pending pages.
    pub fn committed(&self) -> anyhow::Result<()> {
        self.reader.reload().context("cannot read the index back")?;
        let batch = std::mem::take(&mut *self.pending.lock().expect("cluster lock poisoned"));
        if let Some(committed) = &self.committed {
            committed.write().expect("cluster lock poisoned").refresh(
                self.reader.searcher(),
                self.fields.lsh,
                &batch.keyed,
            )?;
        }
        Ok(())
    }
}

/// The columns of one segment that clustering reads.
struct Columns {
    stories: tantivy::columnar::Column<u64>,
    heads: Option<tantivy::columnar::Column<bool>>,
    sketches: Option<tantivy::columnar::Column<u64>>,
    dates: tantivy::columnar::Column<tantivy::DateTime>,
}

impl Columns {
    fn open(segment: &tantivy::SegmentReader) -> anyhow::Result<Columns> {
        let ff = segment.fast_fields();
        Ok(Columns {
            stories: ff.u64(STORY)?,
            heads: ff.column_opt(HEAD)?,
            sketches: ff.column_opt(SKETCH)?,
            dates: ff.date("date")?,
        })
    }

    /// Whether a signed page started its story, unchanged since (`None`: an unsigned page).
    fn head(&self, doc: u32) -> Option<bool> {
        self.heads.as_ref()?.first(doc)
    }

    /// A story head's sketch.
    fn sketch(&self, doc: u32) -> Option<Sketch> {
        Sketch::from_values(self.sketches.as_ref()?.values_for_doc(doc))
    }

    fn date(&self, doc: u32) -> Option<i64> {
        self.dates.first(doc).map(|d| d.into_timestamp_secs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A long story of distinct sentences, deterministic per seed.
    pub(crate) fn story(seed: u64, sentences: usize) -> String {
        const WORDS: [&str; 24] = [
            "minister", "budget", "growth", "exports", "wheat", "council", "shares", "bank",
            "rates", "forecast", "deficit", "trade", "union", "strike", "court", "election",
            "harbour", "storm", "prices", "oil", "talks", "league", "market", "report",
        ];
        let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        let mut out = String::new();
        for _ in 0..sentences {
            for _ in 0..12 {
                x = mix(x);
                out.push_str(WORDS[(x % 24) as usize]);
                out.push(' ');
            }
            out.push_str(&format!("{}. ", x % 1000));
        }
        out
    }

    #[test]
    fn sketches_estimate_what_signatures_do() {
        // Equal minima give equal bytes; unequal ones collide once in 256, which the estimate
        // discounts: over many pairs it stays within a few points of the whole signature's.
        let mut worst = 0.0f64;
        for seed in 0..60u64 {
            let common = story(100 + seed, 10 + seed as usize);
            let a = format!("{common} {}", story(200 + seed, 12));
            let b = format!("{common} {}", story(300 + seed, 8 + seed as usize % 9));
            let (a, b) = (signature(&a).unwrap(), signature(&b).unwrap());
            let d = (a.sketch().resemblance(&b.sketch()) - a.resemblance(&b)).abs();
            worst = worst.max(d);
        }
        assert!(worst < 0.04, "{worst}");
        let sig = signature(&story(5, 20)).unwrap();
        assert_eq!(sig.sketch().resemblance(&sig.sketch()), 1.0);
        let other = signature(&story(6, 20)).unwrap();
        assert!(sig.sketch().resemblance(&other.sketch()) < 0.1);
    }

    #[test]
    fn sketch_counts_each_equal_byte() {
        // Bytes differing in their high bit only, their low bit only, or all bits.
        let a = Sketch([0; SKETCH_WORDS]);
        let mut b = a;
        b.0[0] = 0x80;
        b.0[3] = 0x01 << 56;
        b.0[15] = 0xff << 24 | 0x7f;
        let expected = ((124.0 / 128.0) - 1.0 / 256.0) / (1.0 - 1.0 / 256.0);
        assert!((a.resemblance(&b) - expected).abs() < 1e-12);
        assert_eq!(Sketch::from_values(b.0.into_iter()), Some(b));
        assert_eq!(Sketch::from_values(b.0[1..].iter().copied()), None);
        assert_eq!(Sketch::from_values([0u64; 17].into_iter()), None);
    }

    /// An empty index in memory with gazette's schema, and a writer on it.
    fn ram_index() -> (
        tantivy::Index,
        crate::schema::Fields,
        tantivy::IndexWriter<TantivyDocument>,
    ) {
        let (schema, fields) = crate::schema::build();
        let index = tantivy::Index::create_in_ram(schema);
        crate::schema::register(&index);
        let writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        (index, fields, writer)
    }

    /// Adds the page at `path` to the index with the story `a` assigned it.
    fn add_page(
        writer: &tantivy::IndexWriter<TantivyDocument>,
        fields: &crate::schema::Fields,
        path: &str,
        a: &Assigned,
    ) {
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.path, path);
        a.add_to(&mut doc, &fields.cluster);
        writer.add_document(doc).unwrap();
    }

    #[test]
    fn a_head_keeps_its_sketch_through_merges() {
        // Multi-valued fast fields keep each document's values in the order added, also when
        // segments merge: a head's sketch reads back whole.
        let (index, fields, mut writer) = ram_index();
        let mut sketches = Vec::new();
        for seed in 0..3u64 {
            let sig = signature(&story(40 + seed, 10)).unwrap();
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.path, format!("p{seed}"));
            Assigned {
                story: seed + 1,
                signature: Some(sig.clone()),
                story_sketch: (seed != 1).then(|| sig.sketch()),
                head: seed != 1,
            }
            .add_to(&mut doc, &fields.cluster);
            writer.add_document(doc).unwrap();
            writer.commit().unwrap();
            sketches.push((seed != 1).then(|| sig.sketch()));
        }
        let ids = index.searchable_segment_ids().unwrap();
        assert_eq!(ids.len(), 3);
        writer.merge(&ids).wait().unwrap();
        let reader = index.reader().unwrap();
        let searcher = reader.searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        let segment = &searcher.segment_readers()[0];
        let columns = Columns::open(segment).unwrap();
        let paths = segment.fast_fields().str("path").unwrap().unwrap();
        let path = |doc| {
            let mut out = String::new();
            let ord = paths.term_ords(doc).next().unwrap();
            paths.ord_to_str(ord, &mut out).unwrap();
            out
        };
        let mut read: Vec<(String, Option<Sketch>)> =
            (0..3).map(|doc| (path(doc), columns.sketch(doc))).collect();
        read.sort_by(|a, b| a.0.cmp(&b.0));
        let read: Vec<Option<Sketch>> = read.into_iter().map(|(_, s)| s).collect();
        assert_eq!(read, sketches);
    }

    #[test]
    fn a_story_s_first_copies_keep_band_keys_and_later_ones_do_not() {
        let (index, fields, mut writer) = ram_index();
        let clusterer = Clusterer::new(index.reader().unwrap(), fields.cluster).unwrap();
        let body = story(70, 12);
        let mut keyed = Vec::new();
        let mut stories = HashSet::new();
        // Two copies per commit: the count spans the batch table and the committed index.
        for i in 0..9 {
            let path = format!("site{i}/a.html");
            let a = clusterer.assign(&path, &body, None).unwrap();
            keyed.push(a.story_sketch.is_some());
            stories.insert(a.story);
            add_page(&writer, &fields, &path, &a);
            if i % 2 == 1 {
                writer.commit().unwrap();
                clusterer.committed().unwrap();
            }
        }
        assert_eq!(stories.len(), 1);
        let expected: Vec<bool> = (0..9).map(|i| i <= KEYED_COPIES as usize).collect();
        assert_eq!(keyed, expected);
    }

    #[test]
    fn identical_and_short_bodies() {
        let a = story(1, 20);
        assert_eq!(signature(&a), signature(&a.to_uppercase()));
        assert_eq!(
            signature(&a).unwrap().resemblance(&signature(&a).unwrap()),
            1.0
        );
        assert!(signature("Brief: the council met today.").is_none());
    }

    #[test]
    fn words_are_those_the_analyzer_sees() {
        let text = "Müller's CAFÉ, 3rd-quarter profit: 12.5% (vs. 1986) — naïve Straße \
                    Ærø x-ray aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa end";
        let mut analyzer = crate::schema::news_words().build();
        let mut stream = analyzer.token_stream(text);
        let mut expected = Vec::new();
        while stream.advance() {
            expected.push(word_hash(stream.token().text.as_bytes(), 0));
        }
        assert_eq!(words(text), expected);
        assert_eq!(words("Cafe MULLER"), words("café müller"));
        assert_ne!(words("one two"), words("two one"));
        // Each CJK character is a word.
        assert_eq!(words("東京 タワー").len(), 5);
        assert_eq!(words("東京"), words("東 京"));
    }

    #[test]
    fn trimmed_and_edited_copies_resemble() {
        let full = story(2, 30);
        let sig = signature(&full).unwrap();
        // The last quarter cut.
        let sentences: Vec<&str> = full.split(". ").collect();
        let trimmed = sentences[..23].join(". ");
        assert!(sig.resemblance(&signature(&trimmed).unwrap()) >= THRESHOLD);
        // One word in twenty-five changed.
        let edited: Vec<String> = full
            .split(' ')
            .enumerate()
            .map(|(i, w)| {
                if i % 25 == 7 {
                    "edited".into()
                } else {
                    w.to_string()
                }
            })
            .collect();
        let r = sig.resemblance(&signature(&edited.join(" ")).unwrap());
        assert!(r >= THRESHOLD, "{r}");
    }

    #[test]
    fn false_friends_stay_apart() {
        let long = story(3, 30);
        // A brief repeating one paragraph (three sentences) of the long story.
        let para: Vec<&str> = long.split(". ").skip(10).take(4).collect();
        let brief = format!("{}. {}", story(4, 1), para.join(". "));
        let r = signature(&long)
            .unwrap()
            .resemblance(&signature(&brief).unwrap());
        assert!(r < THRESHOLD, "brief {r}");
        // Two different stories sharing a long quote and the same boilerplate footer.
        let quote = story(5, 6);
        let footer = "Copyright the Daily Ledger. All rights reserved. Sign up for our newsletter to get the morning headlines.";
        let a = format!("{} {quote} {} {footer}", story(6, 10), story(7, 6));
        let b = format!("{} {quote} {} {footer}", story(8, 10), story(9, 6));
        let r = signature(&a).unwrap().resemblance(&signature(&b).unwrap());
        assert!(r < THRESHOLD, "quote {r}");
    }

    #[test]
    fn band_keys_differ_by_band() {
        let sig = signature(&story(10, 10)).unwrap();
        let bands = sig.bands();
        for (b, key) in bands.iter().enumerate() {
            assert_eq!(key >> 28, b as u64);
        }
    }

    #[test]
    fn estimates_track_exact_jaccard_over_many_pairs() {
        // 40 pairs sharing 0 to 100 % of their sentences: the estimate's error stays
        // within the MinHash standard error (about 0.045 at 128 values), with no bias.
        let mut errors = Vec::new();
        for k in 0..40u64 {
            let shared = story(100 + k, (k as usize * 3) % 41);
            let a = format!("{shared} {}", story(200 + k, 40 - (k as usize * 3) % 41));
            let b = format!("{shared} {}", story(300 + k, 40 - (k as usize * 3) % 41));
            let distinct = |text: &str| {
                let mut s = shingles(text).unwrap();
                s.sort_unstable();
                s.dedup();
                s
            };
            let (sa, sb) = (distinct(&a), distinct(&b));
            let both = sa.iter().filter(|x| sb.binary_search(x).is_ok()).count();
            let exact = both as f64 / (sa.len() + sb.len() - both) as f64;
            let estimate = signature(&a).unwrap().resemblance(&signature(&b).unwrap());
            errors.push(estimate - exact);
        }
        let bias = errors.iter().sum::<f64>() / errors.len() as f64;
        let worst = errors.iter().fold(0f64, |m, e| m.max(e.abs()));
        assert!(bias.abs() < 0.02, "bias {bias}");
        assert!(worst < 0.16, "worst {worst}");
    }

    #[test]
    fn every_compiled_variant_gives_the_same_signature() {
        let shingles = shingles(&story(40, 30)).unwrap();
        let mut baseline = [u32::MAX; HASHES];
        min_hashes_kernel(&shingles, &mut baseline);
        let mut chosen = [u32::MAX; HASHES];
        min_hashes(&shingles, &mut chosen);
        assert_eq!(baseline, chosen);
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            let mut avx2 = [u32::MAX; HASHES];
            // SAFETY: checked just above.
            unsafe { min_hashes_avx2(&shingles, &mut avx2) };
            assert_eq!(baseline, avx2);
        }
    }

    #[test]
    fn the_batch_table_finds_every_head_sharing_a_band() {
        let sig = |seed| signature(&story(seed, 10)).unwrap();
        let (a, b, c) = (sig(50), sig(51), sig(52));
        let mut b_bands = b.bands();
        b_bands[3] = a.bands()[3];
        let mut pending = Pending::default();
        pending.push((1, a.sketch(), None), &a.bands());
        pending.push((2, b.sketch(), None), &b_bands);
        pending.push((3, c.sketch(), None), &c.bands());
        assert_eq!(pending.candidates(&a.bands()), vec![0, 1]);
        assert_eq!(pending.candidates(&c.bands()), vec![2]);
        let mut both = c.bands();
        both[3] = a.bands()[3];
        assert_eq!(pending.candidates(&both), vec![0, 1, 2]);
        assert!(pending.candidates(&sig(53).bands()).is_empty());
    }

    #[test]
    fn band_filters_hold_every_key_and_few_others() {
        // A size that is no power of two, filled to its capacity (16 bits a key, the fewest
        // `build` gives): 0.8% false positives expected.
        let mut filter = KeyFilter::new(7_000);
        assert_eq!(filter.capacity(), 7_000);
        let keys: Vec<u64> = (0..7_000u64).map(|i| mix(i) >> 36).collect();
        for &k in &keys {
            filter.insert(k);
        }
        assert!(keys.iter().all(|&k| filter.may_hold(k)));
        let others = (100_000..120_000u64)
            .filter(|&i| filter.may_hold(mix(i) >> 36))
            .count();
        assert!(others < 240, "{others} false positives in 20,000");
    }

    #[test]
    fn the_filter_of_every_key_is_built_again_as_commits_fill_it() {
        let (index, fields, mut writer) = ram_index();
        let clusterer = Clusterer::new(index.reader().unwrap(), fields.cluster).unwrap();
        let capacity = |c: &Clusterer| {
            let committed = c.committed.as_ref().unwrap().read().unwrap();
            (committed.keys.capacity(), committed.added)
        };
        let first = capacity(&clusterer).0;
        let mut stories = Vec::new();
        // Enough first pages (16 keys each) to fill the first filter, committed in batches.
        let pages = first / BANDS + 200;
        for seed in 0..pages as u64 {
            let path = format!("site/{seed}.html");
            let a = clusterer
                .assign(&path, &story(1_000 + seed, 6), None)
                .unwrap();
            stories.push(a.story);
            add_page(&writer, &fields, &path, &a);
            if seed % 250 == 249 {
                writer.commit().unwrap();
                clusterer.committed().unwrap();
            }
        }
        writer.commit().unwrap();
        clusterer.committed().unwrap();
        let (grown, added) = capacity(&clusterer);
        assert!(grown >= 2 * pages * BANDS, "{grown} for {pages} pages");
        assert_eq!(added, pages * BANDS);
        // Copies of stories committed before and after the rebuild still find them.
        for seed in [3, pages as u64 / 2, pages as u64 - 1] {
            let copy = clusterer
                .assign("copy/a.html", &story(1_000 + seed, 6), None)
                .unwrap();
            assert_eq!(copy.story, stories[seed as usize], "story {seed}");
        }
    }

    #[test]
    fn dates_far_apart_are_other_stories() {
        let day = 86_400;
        assert!(within_window(Some(0), Some(WINDOW_DAYS * day)));
        assert!(within_window(Some(WINDOW_DAYS * day + day - 1), Some(0)));
        assert!(!within_window(Some(0), Some((WINDOW_DAYS + 1) * day)));
        assert!(within_window(None, Some(0)));
        assert!(within_window(None, None));
    }

    #[test]
    fn a_first_page_names_its_story_in_its_first_form_only() {
        let (a, b) = (
            signature(&story(30, 10)).unwrap(),
            signature(&story(31, 10)).unwrap(),
        );
        assert_eq!(first_story("x.html", &a), first_story("x.html", &a));
        assert_ne!(first_story("x.html", &a), first_story("x.html", &b));
        assert_ne!(first_story("x.html", &a), first_story("y.html", &a));
        assert_ne!(first_story("x.html", &a), own_story("x.html"));
    }

    #[test]
    fn resemblance_estimate_tracks_jaccard() {
        // Two texts sharing 60 of their 80 sentences: shingle Jaccard ≈ 60/100 = 0.6 (the
        // estimate's standard error is about 0.06).
        let common = story(11, 60);
        let a = format!("{common} {}", story(12, 20));
        let b = format!("{common} {}", story(13, 20));
        let r = signature(&a).unwrap().resemblance(&signature(&b).unwrap());
        assert!((0.4..0.8).contains(&r), "{r}");
    }
}

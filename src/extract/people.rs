//! Person names in news story text, found offline.
//!
//! Why rules and word lists rather than a statistical model: this runs on every page of
//! million-page archives, with no model download and no network, and must stay well under a
//! tenth of a millisecond per story. News prose is regular enough for that: people are named in
//! full once ("Defence Minister Volker Ruehe said"), then by surname ("Ruehe told"), and the
//! full mention nearly always has a given name, a title, or a speech verb beside it.
//!
//! The steps, per story:
//! 1. split paragraphs into tokens, keeping initials ("J.P."), hyphens, apostrophes and
//!    possessives apart;
//! 2. take runs of capitalised words (with particles such as "van", "de", "al-" inside them);
//! 3. in each run, cut everything up to the last title ("Prime Minister John Major"), drop
//!    words that cannot start a name (places, calendar words, organisation words), and keep
//!    a candidate that has evidence: a known given name or initial first, a title, or a cue
//!    beside it (a speech verb, "according to", an age, a country in brackets);
//! 4. resolve surnames ("Mr Corbyn", "Corbyn said") to the full name found in the same story,
//!    and drop a lone surname the story never gives in full; drop names the story uses as a
//!    firm ("shares of X", "X said in a statement it would").

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

/// Persons named in a story's paragraphs (body text only, in order), as canonical full names,
/// deduplicated, in order of first mention.
///
/// Canonical means the longest form the story uses, without titles ("President Bill Clinton"
/// and "Clinton" give "Bill Clinton"), so that one person is one facet value across a corpus.
/// Names written in all capitals come back in natural case.
pub fn people_in(paragraphs: &[&str]) -> Vec<String> {
    let mut doc = Doc {
        paragraphs,
        ..Doc::default()
    };
    for para in paragraphs {
        doc.add_paragraph(para);
    }
    doc.finish()
}

// ---------------------------------------------------------------------------------------------
// Word lists

const GIVEN: u16 = 1;
const PLACE: u16 = 1 << 1;
const STOP: u16 = 1 << 2;
const COMMON: u16 = 1 << 3;
const ORG: u16 = 1 << 4;
const TITLE: u16 = 1 << 5;
const HONORIFIC: u16 = 1 << 6;
const CUE: u16 = 1 << 7;
const PARTICLE: u16 = 1 << 8;

/// Lower-case name particles that may sit inside a name ("Ruud van Nistelrooy").
const PARTICLES: &str =
    "van von der den de del della delle dei degli di da das dos do du des la le lo \
     ter ten te zu vom zur y bin ibn ben bint al el abu ould mac st wa";

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &str = "mr mrs ms dr st gen lt col sgt capt cpl sen rep gov prof rev jr sr \
     inc corp co ltd no vs jan feb mar apr jun jul aug sep sept oct nov dec mt ft maj adm cmdr \
     messrs bros pres supt det insp pte fr mme mlle brig cdr";

/// FNV-1a: word lookups dominate the run time, and these keys are short and not hostile.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;
type FastSet<K> = HashSet<K, BuildHasherDefault<Fnv>>;

struct Lexicon {
    words: FastMap<String, u16>,
    companies: FastSet<String>,
    abbreviations: FastSet<&'static str>,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let mut words: FastMap<String, u16> = FastMap::default();
    let mut add = |text: &str, flag: u16| {
        for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
            for w in line.split_whitespace() {
                *words.entry(key_of(w)).or_insert(0) |= flag;
            }
        }
    };
    add(include_str!("data/given_names.txt"), GIVEN);
    add(include_str!("data/places.txt"), PLACE);
    add(include_str!("data/stopwords.txt"), STOP);
    add(include_str!("data/common.txt"), COMMON);
    add(include_str!("data/org_words.txt"), ORG);
    add(include_str!("data/titles.txt"), TITLE);
    add(include_str!("data/honorifics.txt"), HONORIFIC | TITLE);
    add(include_str!("data/cues.txt"), CUE);
    add(PARTICLES, PARTICLE);
    let companies = include_str!("data/companies.txt")
        .lines()
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            l.split_whitespace()
                .map(key_of)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    Lexicon {
        words,
        companies,
        abbreviations: ABBREVIATIONS.split_whitespace().collect(),
    }
});

/// Lookup key, borrowed when the word is its own key (plain lower-case ASCII, the usual case).
fn key_cow(word: &str) -> Cow<'_, str> {
    if word
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b == b'-' || b == b'\'')
    {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(key_of(word))
    }
}

/// Lookup key: lower case, accents and full stops removed, curly apostrophe made straight.
fn key_of(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        push_folded(c, &mut out);
    }
    out
}

fn push_folded(c: char, out: &mut String) {
    if c.is_ascii() {
        if c != '.' {
            out.push(c.to_ascii_lowercase());
        }
        return;
    }
    let f = match c {
        'À'..='Å' | 'à'..='å' | 'Ā'..='ą' => "a",
        'Æ' | 'æ' => "ae",
        'Ç' | 'ç' | 'Ć'..='č' => "c",
        'Ď'..='đ' | 'Ð' | 'ð' => "d",
        'È'..='Ë' | 'è'..='ë' | 'Ē'..='ě' => "e",
        'Ĝ'..='ģ' => "g",
        'Ĥ'..='ħ' => "h",
        'Ì'..='Ï' | 'ì'..='ï' | 'Ĩ'..='ı' => "i",
        'Ĵ' | 'ĵ' => "j",
        'Ķ' | 'ķ' => "k",
        'Ĺ'..='ł' => "l",
        'Ñ' | 'ñ' | 'Ń'..='ň' => "n",
        'Ò'..='Ö' | 'Ø' | 'ò'..='ö' | 'ø' | 'Ō'..='ő' => "o",
        'Œ' | 'œ' => "oe",
        'Ŕ'..='ř' => "r",
        'Ś'..='š' | 'Ș' | 'ș' => "s",
        'ß' => "ss",
        'Ţ'..='ŧ' | 'Ț' | 'ț' => "t",
        'Ù'..='Ü' | 'ù'..='ü' | 'Ũ'..='ų' => "u",
        'Ŵ' | 'ŵ' => "w",
        'Ý' | 'ý' | 'ÿ' | 'Ŷ' | 'ŷ' | 'Ÿ' => "y",
        'Ź'..='ž' => "z",
        'Þ' | 'þ' => "th",
        '\u{2019}' | '\u{2018}' => "'",
        '\u{2010}' | '\u{2011}' => "-",
        _ => {
            if !is_mark(c) {
                out.extend(c.to_lowercase());
            }
            return;
        }
    };
    out.push_str(f);
}

/// Combining accents (as in decomposed text), which belong to the letter before them.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

// ---------------------------------------------------------------------------------------------
// Tokens

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Word,
    Initials,
    Number,
    Punct,
}

#[derive(Debug)]
struct Tok<'a> {
    text: &'a str,
    kind: Kind,
    /// Followed by "'s" (removed from `text`).
    possessive: bool,
    /// First word of a sentence, where capitals say nothing.
    sentence_start: bool,
    /// Word-list flags, looked up on first use ([`UNKNOWN`] until then): most words are
    /// lower-case words far from any name, never asked about.
    flags: Cell<u16>,
    key: Cow<'a, str>,
}

const UNKNOWN: u16 = 1 << 15;

impl Tok<'_> {
    fn punct(&self, c: char) -> bool {
        self.kind == Kind::Punct && self.text.starts_with(c)
    }
    fn is_lower_word(&self) -> bool {
        self.kind == Kind::Word && self.text.starts_with(|c: char| c.is_lowercase())
    }
    fn flags(&self) -> u16 {
        let f = self.flags.get();
        if f != UNKNOWN {
            return f;
        }
        let f = LEXICON.words.get(&*self.key).copied().unwrap_or(0);
        self.flags.set(f);
        f
    }
    fn has(&self, flag: u16) -> bool {
        self.flags() & flag != 0
    }
}

/// The character at byte `i` of `text` (a space past the end).
fn char_at(text: &str, i: usize) -> char {
    match text.as_bytes().get(i) {
        None => ' ',
        Some(&b) if b < 0x80 => b as char,
        Some(_) => text[i..].chars().next().unwrap_or(' '),
    }
}

fn tokenize(text: &str) -> Vec<Tok<'_>> {
    let lex = &*LEXICON;
    let n = text.len();
    let at = |i: usize| char_at(text, i);
    // byte index of the character after the one at `i`
    let next = |i: usize| i + at(i).len_utf8();
    let mut toks: Vec<Tok> = Vec::with_capacity(n / 5);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < n {
        if bytes[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let c = at(i);
        if c.is_whitespace() {
            i = next(i);
            continue;
        }
        let start = i;
        let mut possessive = false;
        let kind = if c.is_alphabetic() {
            let i1 = next(i);
            if c.is_uppercase() && at(i1) == '.' && !at(i1 + 1).is_lowercase() {
                // initials: "J.", "J.P.", "U.S."
                i = i1 + 1;
                while at(i).is_uppercase() && at(next(i)) == '.' {
                    i = next(i) + 1;
                }
                Kind::Initials
            } else {
                i = i1;
                loop {
                    // plain ASCII letters first: the common case
                    while bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
                        i += 1;
                    }
                    let d = at(i);
                    // letters, accents, and apostrophes or hyphens between letters
                    let joiner = matches!(d, '\'' | '\u{2019}' | '-' | '\u{2010}' | '\u{2011}')
                        && at(i + d.len_utf8()).is_alphabetic();
                    if !(d.is_alphabetic() || is_mark(d) || joiner) {
                        break;
                    }
                    i += d.len_utf8();
                }
                let mut end = i;
                let word_all = &text[start..i];
                for tail in ["'s", "'S", "\u{2019}s", "\u{2019}S"] {
                    if word_all.len() > tail.len() + 1 && word_all.ends_with(tail) {
                        end = i - tail.len();
                        possessive = true;
                        break;
                    }
                }
                let word = &text[start..end];
                let mut end_byte = end;
                let key = key_cow(word);
                if !possessive && at(i) == '.' && lex.abbreviations.contains(&*key) {
                    i += 1;
                    end_byte = i;
                }
                let lower = word.starts_with(|c: char| c.is_lowercase());
                let flags = if lower {
                    UNKNOWN
                } else {
                    lex.words.get(&*key).copied().unwrap_or(0)
                };
                toks.push(Tok {
                    text: &text[start..end_byte],
                    kind: Kind::Word,
                    possessive,
                    sentence_start: false,
                    flags: Cell::new(flags),
                    key,
                });
                continue;
            }
        } else if c.is_ascii_digit() {
            i += 1;
            while at(i).is_ascii_digit()
                || (matches!(at(i), '.' | ',' | ':' | '/' | '-') && at(i + 1).is_ascii_digit())
            {
                i += 1;
            }
            Kind::Number
        } else {
            i = next(i);
            Kind::Punct
        };
        let t = &text[start..i];
        let (key, flags) = if kind == Kind::Initials {
            let k = key_of(t);
            let f = lex.words.get(&k).copied().unwrap_or(0);
            (Cow::Owned(k), f)
        } else {
            (Cow::Borrowed(""), 0)
        };
        toks.push(Tok {
            text: t,
            kind,
            possessive,
            sentence_start: false,
            flags: Cell::new(flags),
            key,
        });
    }
    // sentence starts: after . ! ? : ; and a spaced dash; quotes and brackets are see-through
    let mut pending = true;
    for t in &mut toks {
        if t.kind == Kind::Punct {
            let c = t.text.chars().next().unwrap_or(' ');
            if matches!(
                c,
                '.' | '!' | '?' | ':' | ';' | '-' | '\u{2013}' | '\u{2014}'
            ) {
                pending = true;
            }
            continue;
        }
        t.sentence_start = pending;
        pending = false;
    }
    toks
}

/// Whole word in capitals ("SARAJEVO", "OSCE"): an acronym or a dateline in mixed-case text.
fn all_caps(word: &str) -> bool {
    let mut letters = 0;
    for c in word.chars() {
        if c.is_lowercase() {
            return false;
        }
        if c.is_alphabetic() {
            letters += 1;
        }
    }
    letters >= 2
}

/// Paragraph mostly in capitals, where case gives no hint and names come back in title case.
fn caps_paragraph(text: &str) -> bool {
    let (mut upper, mut lower) = (0usize, 0usize);
    for &b in text.as_bytes() {
        upper += usize::from(b.is_ascii_uppercase());
        lower += usize::from(b.is_ascii_lowercase());
    }
    upper >= 20 && lower * 10 < upper
}

/// A sentence-initial "-ing" or "-ed" form ("Joining Chang in the second round").
fn verb_form(key: &str) -> bool {
    key.len() > 5 && (key.ends_with("ing") || key.ends_with("ed"))
}

/// Lower-case nouns that make the capitalised words before them the name of a place or prize
/// named after someone ("Ben Gurion airport", "the Vicente Calderon ground").
const NAMED_THINGS: &[&str] = &[
    "airport",
    "stadium",
    "ground",
    "arena",
    "hospital",
    "school",
    "college",
    "university",
    "institute",
    "foundation",
    "street",
    "avenue",
    "road",
    "square",
    "bridge",
    "prize",
    "trophy",
    "memorial",
    "library",
    "museum",
    "centre",
    "center",
    "park",
    "hotel",
    "station",
    "home",
];

fn named_thing_after(toks: &[Tok], j: usize) -> bool {
    toks.get(j)
        .is_some_and(|n| n.is_lower_word() && NAMED_THINGS.contains(&&*n.key))
}

/// Nouns that, followed by "of" or "in", name a firm's parts or its owners ("shares of",
/// "chief executive of", "a stake in"): the name after them is an organisation.
const OF_FIRM: &[&str] = &[
    "shares",
    "stock",
    "stake",
    "subsidiary",
    "unit",
    "units",
    "division",
    "shareholders",
    "shareholder",
    "executive",
    "ceo",
    "chairman",
    "chairwoman",
    "founder",
    "co-founder",
    "boss",
    "owner",
    "owners",
    "takeover",
    "acquisition",
    "customers",
    "suppliers",
    "investors",
];

/// The words before a name make it an organisation: "shares of X", "chief executive of X",
/// "a stake in X".
fn org_before(toks: &[Tok], i: usize) -> bool {
    i >= 2
        && matches!(&*toks[i - 1].key, "of" | "in")
        && toks[i - 2].is_lower_word()
        && OF_FIRM.contains(&&*toks[i - 2].key)
}

/// The words after a name make it an organisation: "X shares rose", "X's shares",
/// "X, whose shares fell", "X said in a statement it would".
fn org_after(toks: &[Tok], j: usize) -> bool {
    let word = |k: usize| {
        toks.get(k)
            .filter(|t| t.kind == Kind::Word)
            .map(|t| &*t.key)
    };
    let stock = |k: usize| matches!(word(k), Some("shares" | "stock" | "share"));
    // "shares" after a name is also a verb ("Smith shares the view"): only a possessive or a
    // market verb after it makes it stock
    let moved = |k: usize| {
        matches!(
            word(k),
            Some(
                "rose"
                    | "fell"
                    | "jumped"
                    | "slipped"
                    | "dropped"
                    | "gained"
                    | "lost"
                    | "closed"
                    | "surged"
                    | "slumped"
                    | "climbed"
                    | "tumbled"
                    | "traded"
                    | "ended"
                    | "were"
            )
        )
    };
    if stock(j) && (toks[j - 1].possessive || moved(j + 1)) {
        return true;
    }
    if toks.get(j).is_some_and(|t| t.punct(',')) && word(j + 1) == Some("whose") && stock(j + 2) {
        return true;
    }
    // "said in a statement (that) it/its …": a firm's statement about itself
    if matches!(word(j), Some("said" | "says")) {
        let rest: Vec<&str> = (j + 1..j + 8).filter_map(word).collect();
        if let Some(p) = rest.windows(3).position(|w| w == ["in", "a", "statement"]) {
            let after = &rest[p + 3..];
            let after = after.strip_prefix(&["that"]).unwrap_or(after);
            return matches!(after.first(), Some(&"it" | &"its"));
        }
    }
    false
}

/// Regnal number after a name: "Henry VIII", "John Paul II".
fn regnal(word: &str) -> bool {
    word.len() <= 4 && word.bytes().all(|b| matches!(b, b'I' | b'V' | b'X'))
}

/// "al-Kabariti", "bin-Laden": lower-case Arabic article joined to a capitalised name.
fn arabic_prefixed(word: &str) -> bool {
    for p in [
        "al-", "el-", "ad-", "ar-", "as-", "ash-", "at-", "az-", "an-", "bin-", "abu-",
    ] {
        if let Some(rest) = word.strip_prefix(p) {
            return rest.starts_with(|c: char| c.is_uppercase());
        }
    }
    false
}

// ---------------------------------------------------------------------------------------------
// Mentions

const EV_GIVEN: u8 = 1;
const EV_INITIAL: u8 = 1 << 1;
const EV_HONORIFIC: u8 = 1 << 2;
const EV_TITLE: u8 = 1 << 3;
const EV_CUE: u8 = 1 << 4;
const EV_CAPS: u8 = 1 << 5;
/// Sports notation: "(Bobic 61st)", "c Stewart b Croft".
const EV_SPORT: u8 = 1 << 6;
/// Second word is a given name ("Ijaz Ahmed", "Saeed Anwar").
const EV_GIVEN2: u8 = 1 << 7;

/// Evidence enough for a name of two words or more.
const EV_FULL: u8 = EV_GIVEN | EV_INITIAL | EV_HONORIFIC | EV_TITLE | EV_CUE | EV_GIVEN2 | EV_SPORT;

/// Titles that stay in front of a single name, as people say it ("Prince Charles",
/// "Mother Teresa").
const ROYAL: &[&str] = &[
    "king", "queen", "prince", "princess", "pope", "emperor", "empress", "mother", "saint",
];

struct Mention {
    /// Surface words, particles included, in natural case.
    words: Vec<String>,
    keys: Vec<String>,
    /// Number of words that are not particles.
    core: usize,
    /// Token position in the story, for the order of first mention.
    pos: usize,
    ev: u8,
    /// Index of the mention just before this one in the same list ("A, B and C").
    list_prev: Option<usize>,
    /// Start-capable title kept as part of the name ("Prince").
    royal: bool,
}

#[derive(Default)]
struct Doc<'a> {
    mentions: Vec<Mention>,
    /// The whole story, to tell common words from names at sentence start.
    paragraphs: &'a [&'a str],
    pos: usize,
    /// Last mention of the current paragraph and the token index just after it.
    last: Option<(usize, usize)>,
    /// Organisation names seen ("Advanced Medical Inc"), whose leading words are no person
    /// when they come back alone ("Advanced Medical said").
    orgs: Vec<Vec<String>>,
    /// Names the story itself uses as an organisation ("shares of Nordvolt Mobility",
    /// "Alden Water said in a statement it would"): no mention of them is a person.
    org_names: Vec<Vec<String>>,
}

impl<'a> Doc<'a> {
    fn add_paragraph(&mut self, text: &'a str) {
        let toks = tokenize(text);
        let caps = caps_paragraph(text);
        self.last = None;
        let cap_like = |t: &Tok| -> bool {
            match t.kind {
                Kind::Initials => true,
                Kind::Word => {
                    let first_upper = t.text.starts_with(|c: char| c.is_uppercase());
                    (first_upper && (caps || !all_caps(t.text) || regnal(t.text)))
                        || arabic_prefixed(t.text)
                }
                _ => false,
            }
        };
        let mut i = 0;
        while i < toks.len() {
            if !cap_like(&toks[i]) {
                i += 1;
                continue;
            }
            // a run of capitalised words, with lower-case particles inside it
            let mut j = i;
            while j < toks.len() {
                let t = &toks[j];
                if cap_like(t) {
                    j += 1;
                    if t.possessive {
                        break;
                    }
                } else if j > i && t.is_lower_word() && t.has(PARTICLE) {
                    let mut k = j;
                    while k < toks.len() && toks[k].is_lower_word() && toks[k].has(PARTICLE) {
                        k += 1;
                    }
                    if k < toks.len() && cap_like(&toks[k]) && k - j <= 2 {
                        j = k;
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
            self.run(&toks, i, j, caps);
            i = j.max(i + 1);
        }
        self.pos += toks.len() + 1;
    }

    /// Whether the story also has `key` as a lower-case word ("Police said" vs "the police").
    /// Searched on demand: only a few sentence-initial words per story need it.
    fn used_in_lower_case(&self, key: &str) -> bool {
        if key.is_empty() || !key.is_ascii() {
            return false;
        }
        let k = key.as_bytes();
        let word_byte = |b: u8| b.is_ascii_alphanumeric() || b >= 0x80;
        self.paragraphs.iter().any(|p| {
            let p = p.as_bytes();
            (0..p.len().saturating_sub(k.len() - 1)).any(|i| {
                p[i] == k[0]
                    && p[i..].starts_with(k)
                    && (i == 0 || !word_byte(p[i - 1]))
                    && p.get(i + k.len()).is_none_or(|&b| !word_byte(b))
            })
        })
    }

    /// Candidates in the run `toks[a..b]`.
    fn run(&mut self, toks: &[Tok<'a>], a: usize, b: usize, caps: bool) {
        let lex = &*LEXICON;
        let prev = |k: usize| if k > 0 { toks.get(k - 1) } else { None };
        // a company joined by "&" ("Marks & Spencer") is no person
        if prev(a).is_some_and(|t| t.punct('&')) || toks.get(b).is_some_and(|t| t.punct('&')) {
            return;
        }
        // cut at the last title that has a word after it
        let mut s = a;
        let mut titled = 0u8;
        let mut royal = false;
        for k in (a..b.saturating_sub(1)).rev() {
            if toks[k].kind == Kind::Word && is_title(&toks[k]) {
                s = k + 1;
                titled = if toks[k].has(HONORIFIC) {
                    EV_HONORIFIC
                } else {
                    EV_TITLE
                };
                royal = ROYAL.contains(&&*toks[k].key);
                break;
            }
        }
        // a title or role in lower case right before the run ("coach Carlos Bianchi"),
        // or before it in apposition ("its governor, Robin Leigh-Pemberton, said")
        let lower_title = |p: &Tok| p.kind == Kind::Word && p.is_lower_word() && is_title(p);
        if titled == 0 {
            let apposition = prev(a).is_some_and(|p| p.punct(','))
                && a >= 2
                && lower_title(&toks[a - 2])
                && toks.get(b).is_some_and(|t| t.punct(','));
            if prev(a).is_some_and(lower_title) || apposition {
                titled = EV_TITLE;
            }
        }
        let cue_before = prev(a).is_some_and(|p| {
            let said = p.is_lower_word() && (p.key == "said" || p.key == "says");
            said || (p.key == "to" && prev(a - 1).is_some_and(|q| q.key == "according"))
        });
        // a sign-off line: "-- Luli Popescu, Bucharest Newsroom"
        let sign_off = a >= 2 && toks[a - 1].punct('-') && toks[a - 2].punct('-') && a == 2;
        // cricket: "c Stewart b Croft", "lbw b Akram"
        let sport_before = prev(a)
            .is_some_and(|p| p.kind == Kind::Word && matches!(p.text, "b" | "c" | "st" | "lbw"));
        let mut i = s;
        while i < b {
            let t = &toks[i];
            let plain = |u: &Tok| {
                u.kind == Kind::Word && u.flags() & (STOP | ORG | PLACE | COMMON | TITLE) == 0
            };
            let ambiguous = t.flags() & (STOP | ORG | PLACE | COMMON | TITLE) != 0;
            // can this word start a name?
            let given = t.kind == Kind::Word
                && t.has(GIVEN)
                && !t.is_lower_word()
                && i + 1 < b
                && !t.possessive
                && if ambiguous {
                    plain(&toks[i + 1]) && !toks[i + 1].has(GIVEN)
                } else {
                    toks[i + 1].kind == Kind::Initials || toks[i + 1].flags() & STOP == 0
                };
            let initial = t.kind == Kind::Initials
                && (t.key.len() == 1 || t.flags() & STOP == 0)
                && i + 1 < b
                && toks[i + 1].kind == Kind::Word;
            let blocked = t.kind != Kind::Word
                || ambiguous
                || t.text.chars().count() < 2
                || (t.has(PARTICLE) && !(i + 1 < b && plain(&toks[i + 1])))
                || (t.sentence_start && (verb_form(&t.key) || self.used_in_lower_case(&t.key)))
                || (caps && !(i == s && titled != 0));
            // an unknown word before a given name and a surname: "Accountant Natalya Sypron"
            let skip_to_given = !given
                && t.sentence_start
                && i + 2 < b
                && toks[i + 1].has(GIVEN)
                && !toks[i + 1].is_lower_word()
                && toks[i + 1].flags() & (STOP | ORG | PLACE | COMMON) == 0
                && plain(&toks[i + 2]);
            if t.kind == Kind::Word && t.flags() & (ORG | COMMON | STOP) == ORG && !given {
                // "Banca Nazionale del Lavoro": an organisation word first owns the words after
                // it, up to a given name ("Chairman of General Motors Roger Smith")
                let k = (i + 1..b)
                    .find(|&k| toks[k].has(GIVEN) && !toks[k].is_lower_word())
                    .unwrap_or(b);
                self.orgs
                    .push(toks[i..k].iter().map(|w| w.key.to_string()).collect());
                i = k;
                continue;
            }
            if !(given || initial || !blocked) || skip_to_given {
                i += 1;
                continue;
            }
            let strong = given || (i == s && titled != 0);
            let mut j = i + 1;
            let mut org = t.has(ORG) && !given;
            let longest = if caps { 3 } else { 6 };
            while j < b && j - i < longest {
                let u = &toks[j];
                match continues(u, strong) {
                    None => break,
                    Some(is_org) => org |= is_org,
                }
                // two names in one run: "Willie Blair Tony Gwynn"
                if j - i >= 2
                    && given
                    && u.has(GIVEN)
                    && !ambiguous
                    && j + 1 < b
                    && plain(&toks[j + 1])
                    && !toks[j + 1].has(GIVEN)
                {
                    break;
                }
                j += 1;
                if u.possessive {
                    break;
                }
            }
            let (wi, wj) = (i, j);
            i = j;
            // "Willem II Tilburg" is a club; a regnal number ends a person's name
            let numbered = toks[wi + 1..wj].iter().any(|w| regnal(w.text));
            if org || (numbered && wj < b) || (wj == b && named_thing_after(toks, wj)) {
                if org {
                    self.orgs
                        .push(toks[wi..wj].iter().map(|w| w.key.to_string()).collect());
                }
                continue;
            }
            let words = &toks[wi..wj];
            let keys: Vec<String> = words.iter().map(|w| w.key.to_string()).collect();
            if (wi == a && org_before(toks, wi)) || (wj == b && org_after(toks, wj)) {
                self.org_names.push(keys);
                continue;
            }
            if lex.companies.contains(&keys.join(" "))
                || (keys.len() > 2 && lex.companies.contains(&keys[..2].join(" ")))
            {
                continue;
            }
            let mut ev = 0u8;
            if given {
                ev |= EV_GIVEN;
            }
            if t.kind == Kind::Initials {
                ev |= EV_INITIAL;
            }
            if words.len() >= 2
                && words[1].has(GIVEN)
                && words[1].flags() & (STOP | PLACE | COMMON | ORG) == 0
            {
                ev |= EV_GIVEN2;
            }
            if wi == s {
                ev |= titled;
            }
            if wj == b && cue_after(toks, wj) {
                ev |= EV_CUE;
            }
            if wj == b && sport_after(toks, wj) || wi == a && sport_before {
                ev |= EV_SPORT;
            }
            if wi == a && (cue_before || sign_off) {
                ev |= EV_CUE;
            }
            if caps {
                ev |= EV_CAPS;
            }
            let core = words.iter().filter(|w| !w.is_lower_word()).count();
            let mut surface: Vec<String> = words
                .iter()
                .map(|w| {
                    if (caps || all_caps(w.text)) && !regnal(w.text) {
                        title_case(w.text)
                    } else {
                        w.text.trim_end_matches('.').to_string()
                    }
                })
                .collect();
            // initials keep their full stops
            for (sw, w) in surface.iter_mut().zip(words) {
                if w.kind == Kind::Initials {
                    *sw = w.text.to_string();
                }
            }
            let royal_name = royal && wi == s && core == 1;
            if royal_name {
                surface.insert(0, title_case(toks[s - 1].text.trim_end_matches('.')));
            }
            // joined to the mention before by a list separator?
            // joined to the mention before by a list separator? Results lines put numbers
            // and a country in brackets between ("Cejka (Germany) 72 71, Davis Love 70")
            let list_prev = self.last.and_then(|(m, end)| {
                let gap = &toks[end..wi];
                let sep = gap.len() <= 10
                    && gap.iter().all(|g| match g.kind {
                        Kind::Number => true,
                        Kind::Punct => g.text.starts_with([',', ';', '-', '/', '(', ')', '.']),
                        Kind::Word => g.key == "and" || g.key == "or" || g.has(PLACE),
                        Kind::Initials => g.has(PLACE | STOP),
                    })
                    && (gap.len() <= 4 || gap.iter().any(|g| g.kind == Kind::Number));
                sep.then_some(m)
            });
            self.last = Some((self.mentions.len(), wj));
            self.mentions.push(Mention {
                words: surface,
                keys,
                core,
                pos: self.pos + wi,
                ev,
                list_prev,
                royal: royal_name,
            });
        }
    }

    fn finish(self) -> Vec<String> {
        let ms = &self.mentions;
        // full names with evidence, then names listed beside them ("Andy Flower, Eddo Brandes")
        let mut ok: Vec<bool> = ms
            .iter()
            .map(|m| m.core >= 2 && m.ev & EV_FULL != 0)
            .collect();
        loop {
            let mut changed = false;
            for (k, m) in ms.iter().enumerate() {
                if let Some(p) = m.list_prev {
                    let (a, b) = (&ms[p], m);
                    if ok[p] != ok[k] && a.core >= 2 && b.core >= 2 && a.ev & EV_CAPS == 0 {
                        ok[p] = true;
                        ok[k] = true;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        let mut clusters: Vec<Cluster> = Vec::new();
        for (m, _) in ms.iter().zip(&ok).filter(|(_, ok)| **ok) {
            if let Some(c) = clusters.iter_mut().find(|c| contains(&c.keys, &m.keys)) {
                c.pos = c.pos.min(m.pos);
                continue;
            }
            if let Some(c) = clusters.iter_mut().find(|c| contains(&m.keys, &c.keys)) {
                c.words = m.words.clone();
                c.keys = m.keys.clone();
                c.pos = c.pos.min(m.pos);
                continue;
            }
            clusters.push(Cluster {
                words: m.words.clone(),
                keys: m.keys.clone(),
                pos: m.pos,
            });
        }
        // surnames: join the full name they stand for, or stand alone with a strong cue
        for m in ms.iter().filter(|m| m.core == 1) {
            let last = m.keys.last().map(String::as_str).unwrap_or("");
            if let Some(c) = clusters
                .iter_mut()
                .find(|c| c.keys.iter().any(|k| k == last))
            {
                c.pos = c.pos.min(m.pos);
                continue;
            }
            // A lone surname the story never gives in full is no name a reader can search
            // or filter by ("Mr Reagan said", "President Reagan"): it is dropped. Kept are a
            // title that makes a single name whole ("Prince Charles"), results notation, where
            // surnames are how players are named ("Stuttgart 2 (Bobic 61st)"), and a name of
            // several words whose other words are particles ("Abdul-Karim al-Kabariti").
            let whole = m.royal
                || m.ev & EV_SPORT != 0
                || (m.words.len() >= 2 && m.ev & (EV_HONORIFIC | EV_TITLE | EV_CUE) != 0);
            if whole && m.ev & EV_CAPS == 0 && last.len() > 1 {
                if let Some(c) = clusters.iter_mut().find(|c| c.keys == m.keys) {
                    c.pos = c.pos.min(m.pos);
                    continue;
                }
                clusters.push(Cluster {
                    words: m.words.clone(),
                    keys: m.keys.clone(),
                    pos: m.pos,
                });
            }
        }
        // "Advanced Medical" after "Advanced Medical Inc" is the firm again
        clusters.retain(|c| {
            !self
                .orgs
                .iter()
                .any(|o| o.len() > c.keys.len() && o.starts_with(&c.keys))
                && !self.org_names.iter().any(|o| contains(o, &c.keys))
        });
        clusters.sort_by_key(|c| c.pos);
        clusters.into_iter().map(|c| c.words.join(" ")).collect()
    }
}

/// Titles of office, which end a name rather than continue it ("Alphonse, President ...").
const OFFICES: &[&str] = &[
    "president",
    "minister",
    "secretary",
    "treasurer",
    "chairman",
    "chairwoman",
    "director",
    "governor",
    "senator",
    "premier",
    "ambassador",
    "mayor",
    "spokesman",
    "spokeswoman",
    "officer",
    "executive",
    "commissioner",
    "manager",
    "deputy",
    "envoy",
    "leader",
];

/// Whether `u` may continue a name: `None` if not, else whether it makes the name an
/// organisation. After a strong start (a given name, a title) place and generic words may
/// be surnames ("Neal Lancaster", "Condoleezza Rice").
fn continues(u: &Tok, strong: bool) -> Option<bool> {
    let f = u.flags();
    if u.kind == Kind::Initials {
        return (u.key.len() == 1 || f & STOP == 0).then_some(false);
    }
    let given = f & GIVEN != 0;
    // many roles are surnames too (Singer, Archer, Pope), but offices are not
    let office = f & TITLE != 0 && OFFICES.contains(&&*u.key);
    if u.text.chars().count() < 2
        || office
        || (f & STOP != 0 && !(given && strong))
        || (f & (PLACE | COMMON) != 0 && !given && !strong)
    {
        return None;
    }
    Some(f & ORG != 0 && !(f & COMMON != 0 && strong))
}

/// Title or role, also in hyphenated ("Prosecutor-General") and plural ("sisters") forms.
fn is_title(t: &Tok) -> bool {
    if t.has(TITLE) {
        return true;
    }
    let lex = &*LEXICON;
    let is = |k: &str| lex.words.get(k).is_some_and(|f| f & TITLE != 0);
    if let Some((_, last)) = t.key.rsplit_once('-') {
        return is(last);
    }
    t.key.len() > 4 && t.key.ends_with('s') && is(&t.key[..t.key.len() - 1])
}

/// Sports notation after a name: a goal minute "(Bobic 61st)".
fn sport_after(toks: &[Tok], j: usize) -> bool {
    let ordinal = |k: usize| {
        matches!((toks.get(k), toks.get(k + 1)), (Some(n), Some(s))
            if n.kind == Kind::Number && n.text.len() <= 3 && matches!(s.text, "st" | "nd" | "rd" | "th"))
    };
    if ordinal(j) {
        return true;
    }
    // "Drazen Beser (63rd)", "Miljenko Mumler (penalty, 78th)"
    toks.get(j).is_some_and(|t| t.punct('('))
        && (ordinal(j + 1)
            || toks
                .get(j + 1)
                .is_some_and(|t| t.key == "penalty" || t.key == "pen")
                && toks.get(j + 2).is_some_and(|t| t.punct(','))
                && ordinal(j + 3))
}

struct Cluster {
    words: Vec<String>,
    keys: Vec<String>,
    pos: usize,
}

/// Whether `inner` appears as consecutive words of `outer`.
fn contains(outer: &[String], inner: &[String]) -> bool {
    inner.len() <= outer.len() && outer.windows(inner.len()).any(|w| w == inner)
}

/// A speech verb, an age, "who" or a country in brackets right after the name.
fn cue_after(toks: &[Tok], j: usize) -> bool {
    let get = |k: usize| toks.get(k);
    let Some(n) = get(j) else { return false };
    // "Iva Majoli of Croatia"
    if n.kind == Kind::Word && n.key == "of" {
        return get(j + 1).is_some_and(|m| m.has(PLACE) && !m.has(GIVEN))
            && get(j + 2).is_none_or(|t| t.kind != Kind::Word || t.is_lower_word());
    }
    if n.is_lower_word() {
        if n.has(CUE) {
            return true;
        }
        // "Keating also said"
        let adverb =
            n.key == "also" || n.key == "later" || n.key == "then" || n.key.ends_with("ly");
        return adverb && get(j + 1).is_some_and(|m| m.is_lower_word() && m.has(CUE));
    }
    if n.punct(',') {
        if let Some(m) = get(j + 1) {
            // "Wang, 45, a veteran"
            if m.kind == Kind::Number
                && m.text.len() == 2
                && get(j + 2).is_some_and(|t| t.punct(','))
            {
                return true;
            }
            if m.kind == Kind::Word && (m.key == "who" || m.key == "whose") {
                return true;
            }
            // "Tamura, said", "Beryl Sprinkel, chairman of", "Shumer, the official"
            if m.is_lower_word() && m.has(CUE) {
                return true;
            }
            let mut k = j + 1;
            if get(k).is_some_and(|t| matches!(&*t.key, "a" | "an" | "the" | "his" | "her" | "its"))
            {
                k += 1;
            }
            for t in toks.iter().skip(k).take(3) {
                if t.kind != Kind::Word {
                    break;
                }
                if is_title(t) && !t.has(GIVEN) {
                    return true;
                }
            }
        }
        return false;
    }
    if n.punct('(') {
        // "Steffi Graf (Germany)", "Torrance Zellner (U.S.)", "Marc-Vivien Foe (Lens)"
        let mut k = j + 1;
        while let Some(m) = get(k) {
            let name_like = (m.kind == Kind::Word
                && m.text.starts_with(|c: char| c.is_uppercase())
                && !all_caps(m.text))
                || m.kind == Kind::Initials;
            if !name_like || k > j + 3 {
                break;
            }
            k += 1;
        }
        return k > j + 1 && get(k).is_some_and(|t| t.punct(')'));
    }
    false
}

/// "MASTERKOVA" -> "Masterkova", "O'CONNOR" -> "O'Connor", "JEAN-CLAUDE" -> "Jean-Claude".
fn title_case(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut upper_next = true;
    for c in word.chars() {
        if upper_next {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        upper_next = matches!(c, '-' | '\'' | '\u{2019}' | '.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names found in a story given as paragraphs separated by blank lines.
    fn people(text: &str) -> Vec<String> {
        let paras: Vec<&str> = text.split("\n\n").collect();
        people_in(&paras)
    }

    #[test]
    fn given_name_and_surname() {
        assert_eq!(
            people("Prices rose, and Gordon Pellow expects more."),
            ["Gordon Pellow"]
        );
    }

    #[test]
    fn unknown_given_name_needs_a_cue() {
        // "Ottar" and "Vesna"-like rarities are not in the list: the cue carries them
        assert_eq!(
            people("Ottar Brenvik said the talks had failed."),
            ["Ottar Brenvik"]
        );
        assert_eq!(people("Ottar Brenvik told reporters."), ["Ottar Brenvik"]);
        assert_eq!(
            people("Ottar Brenvik added that prices rose."),
            ["Ottar Brenvik"]
        );
        assert_eq!(
            people("Prices rose, according to Ottar Brenvik."),
            ["Ottar Brenvik"]
        );
        assert_eq!(people("\"We won,\" said Ottar Brenvik."), ["Ottar Brenvik"]);
        assert_eq!(people("Ottar Brenvik, 45, was freed."), ["Ottar Brenvik"]);
        assert_eq!(
            people("Ottar Brenvik, chairman of the board, resigned."),
            ["Ottar Brenvik"]
        );
        assert!(people("Ottar Brenvik will visit the port.").is_empty());
    }

    #[test]
    fn titles_before_names() {
        for (text, want) in [
            ("Mr Tarvel Ossing spoke.", "Tarvel Ossing"),
            ("Mrs Tarvel Ossing spoke.", "Tarvel Ossing"),
            ("Ms Tarvel Ossing spoke.", "Tarvel Ossing"),
            ("Dr. Tarvel Ossing spoke.", "Tarvel Ossing"),
            ("It was President Tarvel Ossing who spoke.", "Tarvel Ossing"),
            ("Then Prime Minister Tarvel Ossing spoke.", "Tarvel Ossing"),
            ("Defence Minister Tarvel Ossing spoke.", "Tarvel Ossing"),
            ("Then Chancellor Tarvel Ossing spoke.", "Tarvel Ossing"),
            ("Then Senator Tarvel Ossing spoke.", "Tarvel Ossing"),
            ("Then Governor Tarvel Ossing spoke.", "Tarvel Ossing"),
            ("The club's coach Tarvel Ossing spoke.", "Tarvel Ossing"),
            ("A spokesman, Tarvel Ossing, spoke.", "Tarvel Ossing"),
            ("Its spokeswoman Tarvel Ossing spoke.", "Tarvel Ossing"),
            ("The firm's chairman Tarvel Ossing spoke.", "Tarvel Ossing"),
            ("Its chief executive Tarvel Ossing spoke.", "Tarvel Ossing"),
            ("Prosecutor-General Tarvel Ossing spoke.", "Tarvel Ossing"),
        ] {
            assert_eq!(people(text), [want], "{text}");
        }
    }

    #[test]
    fn royal_titles_stay_with_a_single_name() {
        assert_eq!(
            people("Prince Charles visited the hospital."),
            ["Prince Charles"]
        );
    }

    #[test]
    fn surname_resolves_to_full_name() {
        let text = "Opposition leader Jeremy Corbyn spoke first.\n\n\
                    Mr Corbyn said the vote was lost. Corbyn left early.";
        assert_eq!(people(text), ["Jeremy Corbyn"]);
        // first mention order counts the surname too
        let text = "Mr Corbyn spoke after Helen Wardle.\n\nLater Jeremy Corbyn left.";
        assert_eq!(people(text), ["Jeremy Corbyn", "Helen Wardle"]);
    }

    #[test]
    fn lone_surname_counts_only_with_its_full_name() {
        // "X said" alone is as often a firm, team or paper as a person, and a surname the story
        // never gives in full is not a name anyone can search for
        assert!(people("Keating said the budget was on track.").is_empty());
        assert!(people("Mr Keating said the budget was on track.").is_empty());
        assert!(people("The treasurer, Keating, said it was on track.").is_empty());
        assert!(people("President Reagan said so. Treasurer Keating agreed.").is_empty());
        assert!(people("Reagan said he would veto the bill. Mr Reagan left.").is_empty());
        // with the full name elsewhere it resolves to it
        assert_eq!(
            people("Mr Reagan said he would veto it.\n\nRonald Reagan spoke later."),
            ["Ronald Reagan"]
        );
        // a title that makes one name whole keeps it
        assert_eq!(
            people("Prince Charles visited the site."),
            ["Prince Charles"]
        );
    }

    #[test]
    fn names_used_as_organisations_are_not_people() {
        // a company word after the name
        assert!(people("Henrik Olsen met Nordvolt Mobility staff.")
            .iter()
            .all(|p| p != "Nordvolt Mobility"));
        // the story's own words make it a firm
        assert_eq!(
            people(
                "Henrik Olsen, chief executive of Alden Marsh, spoke. Alden Marsh said in a \
                 statement it would appeal."
            ),
            ["Henrik Olsen"]
        );
        assert_eq!(
            people("Shares of Arlo Benton fell. Maria Delgado said so."),
            ["Maria Delgado"]
        );
        assert_eq!(
            people("Maria Delgado said Arlo Benton shares rose 4 per cent."),
            ["Maria Delgado"]
        );
        // "shares" as a verb is no firm
        assert_eq!(
            people("Maria Delgado shares the view, said Tobias Greer."),
            ["Maria Delgado", "Tobias Greer"]
        );
    }

    #[test]
    fn places_organisations_and_calendar_are_not_people() {
        let text = "LONDON, Aug 26 (Reuters) - General Motors Corp said on Monday that the \
                    Bank of England and the European Commission met in New York in September.\n\n\
                    Manchester United beat Leeds United at Old Trafford on Saturday. \
                    German and French officials flew to Buenos Aires. J.P. Morgan and Co \
                    and Philip Morris rose. Morgan Stanley said shares fell.";
        assert!(people(text).is_empty(), "{:?}", people(text));
    }

    #[test]
    fn nationalities_and_sentence_starts_are_not_names() {
        assert_eq!(
            people("Swede Stefan Edberg won. Police said Edberg was fine."),
            ["Stefan Edberg"]
        );
        assert!(people("Officials said Tuesday. Wealthy Parma lost.").is_empty());
    }

    #[test]
    fn datelines_in_capitals_are_skipped() {
        assert_eq!(
            people("SARAJEVO, Aug 26 (Wire) - Envoy Robert Frowick said on Monday."),
            ["Robert Frowick"]
        );
    }

    #[test]
    fn particles_hyphens_apostrophes_and_accents() {
        assert_eq!(
            people("Commission President Jean-Claude Juncker said no."),
            ["Jean-Claude Juncker"]
        );
        assert_eq!(
            people("Striker Ruud van Nistelrooy scored twice."),
            ["Ruud van Nistelrooy"]
        );
        assert_eq!(people("Singer Sinéad O'Connor sang."), ["Sinéad O'Connor"]);
        assert_eq!(
            people("Prime Minister Abdul-Karim al-Kabariti left Amman."),
            ["Abdul-Karim al-Kabariti"]
        );
        assert_eq!(
            people("Finance Minister Barend du Plessis said so. Du Plessis left."),
            ["Barend du Plessis"]
        );
    }

    #[test]
    fn possessives_are_dropped() {
        assert_eq!(
            people("Pescara's Ottavio Palladini scored. Palladini's goal won it."),
            ["Ottavio Palladini"]
        );
    }

    #[test]
    fn initials() {
        assert_eq!(
            people("M. Atherton b C. Lewis 12"),
            ["M. Atherton", "C. Lewis"]
        );
        assert_eq!(people("Jose A. Moreno said it."), ["Jose A. Moreno"]);
        assert!(people("J.P. Morgan raised its forecast.").is_empty());
        assert!(people("The U.S. Treasury sold bonds.").is_empty());
    }

    #[test]
    fn sports_notation() {
        assert_eq!(
            people("1. Linford Christie (Britain) 10.03 2. Ato Boldon (Trinidad) 10.10"),
            ["Linford Christie", "Ato Boldon"]
        );
        assert_eq!(people("Stuttgart 2 (Bobic 61st) Bremen 1"), ["Bobic"]);
        // names listed beside a known name share its evidence
        assert_eq!(
            people("Squad: Andy Flower, Eddo Brandes, Heath Streak."),
            ["Andy Flower", "Eddo Brandes", "Heath Streak"]
        );
    }

    #[test]
    fn capitals_come_back_in_natural_case() {
        assert_eq!(
            people("NIGERIAN OIL MINISTER RILWANU LUKMAN SAID TODAY SUBSIDIES HAD RISEN."),
            ["Rilwanu Lukman"]
        );
        assert_eq!(
            people("SHARES ROSE AFTER JOHN O'CONNOR SAID THE BANK WOULD MERGE."),
            ["John O'Connor"]
        );
    }

    #[test]
    fn named_storms_and_companies_named_after_people() {
        assert!(people("Hurricane Edouard hit the coast. Charles Schwab rose.").is_empty());
    }

    #[test]
    fn empty_and_odd_input() {
        assert!(people_in(&[]).is_empty());
        assert!(people("").is_empty());
        assert!(people("\u{201c} \u{2019}s -- ( ) 1996-08-22 A. B.").is_empty());
    }
}

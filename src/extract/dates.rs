//! String-level date parsing for finding an article's publication date.
//!
//! The page-level extractor collects candidate strings (meta values, JSON-LD,
//! `<time datetime>`, the line under a headline, the URL, a wire dateline) and
//! hands each one to the functions here. Everything in this module works on a
//! single string and never looks at the DOM.
//!
//! Design notes:
//! * Every regex is compiled once into a `LazyLock` static; the hot paths only
//!   run searches. Text without any ASCII digit is rejected before any regex
//!   runs, because every supported date contains a number.
//! * Candidates are validated after matching (isolation from surrounding
//!   digits, real calendar dates, years 1900–2100), and an invalid candidate
//!   does not stop the search: the next plausible one is tried.
//! * Numeric dates with both fields ≤ 12 ("05/08/2014") are ambiguous; see
//!   [`DateOrder`] for the rule.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, TimeDelta,
    TimeZone, Utc, Weekday,
};
use regex::{Captures, Regex};

/// Earliest year accepted: older "dates" on news pages are almost always
/// numbers that happen to look like years.
const MIN_YEAR: i32 = 1900;
/// Latest year accepted, for the same reason.
const MAX_YEAR: i32 = 2100;

/// A publication date as the page states it: the publisher's calendar date, plus the time and UTC offset when given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageDate {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
    pub offset_secs: Option<i32>,
}

impl PageDate {
    /// A date with neither time nor offset.
    fn day(date: NaiveDate) -> Self {
        PageDate {
            date,
            time: None,
            offset_secs: None,
        }
    }

    /// UTC instant: with offset when known, the time as UTC when only the time is known, midnight UTC otherwise.
    pub fn to_utc(&self) -> DateTime<Utc> {
        let Some(time) = self.time else {
            return self.date.and_time(NaiveTime::MIN).and_utc();
        };
        let local = self.date.and_time(time);
        // The fields are public, so a caller may hand us any offset: an
        // absurd one (≥ 24 h) is ignored, as in `rfc3339`.
        let utc = self
            .offset_secs
            .filter(|o| FixedOffset::east_opt(*o).is_some())
            .and_then(|o| TimeDelta::try_seconds(i64::from(o)))
            .and_then(|d| local.checked_sub_signed(d))
            .unwrap_or(local);
        utc.and_utc()
    }

    /// RFC 3339 string when a time is known, else None.
    ///
    /// With a known offset the publisher's local time is kept
    /// (`2019-11-13T06:42:00+05:30`); without one the time is written as UTC
    /// (`…Z`), consistent with [`PageDate::to_utc`].
    pub fn rfc3339(&self) -> Option<String> {
        let time = self.time?;
        let local = self.date.and_time(time);
        let with_offset = self
            .offset_secs
            .and_then(FixedOffset::east_opt)
            .and_then(|tz| tz.from_local_datetime(&local).single());
        Some(match with_offset {
            Some(dt) => dt.to_rfc3339_opts(SecondsFormat::Secs, true),
            None => local.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true),
        })
    }
}

/// How to read a numeric date whose first two fields are both ≤ 12
/// ("05/08/2014" is 5 August or May 8).
///
/// `Auto` (what [`parse_text_date`] and [`parse_date_value`] use) reads it
/// day-first, as most of the world's press does, except when the same string
/// shows American conventions: a US time-zone abbreviation (EST, EDT, CST,
/// CDT, MST, MDT, PST, PDT, ET, PT, …) or a month-name-first date
/// ("November 13"). Dotted dates ("05.08.2014") are always day-first under
/// `Auto`: the US never writes dates with dots. When one field is > 12 the
/// order is forced whatever the setting. Callers that know the page language
/// (e.g. `lang="en-US"`) can force an order with [`parse_text_date_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateOrder {
    #[default]
    Auto,
    DayFirst,
    MonthFirst,
}

// ---------------------------------------------------------------------------
// Month and weekday names
// ---------------------------------------------------------------------------

/// Unit of an "N units ago" phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgoUnit {
    Minute,
    Hour,
    Day,
    Week,
}

/// The calendar words of every supported language, read from `data/dates.txt` (a data table:
/// a language is added by adding lines there, never code).
pub struct Calendar {
    /// Month names, inflections and abbreviations (lower case) with their month number.
    pub months: Vec<(String, u32)>,
    /// Weekday names and abbreviations (lower case).
    pub weekdays: Vec<String>,
    /// Words for "today" and "yesterday".
    pub today: Vec<String>,
    pub yesterday: Vec<String>,
    /// Unit words of relative dates.
    pub units: Vec<(String, AgoUnit)>,
    /// "ago" words: `true` when the word precedes the number ("vor 2 Stunden").
    pub ago: Vec<(String, bool)>,
    /// Labels of a revision date ("updated", "aktualisiert", "mis à jour").
    pub updated: Vec<String>,
    /// Labels of the publication date ("published", "erschienen", "publié").
    pub published: Vec<String>,
    /// Words that open a picture caption ("abbildung", "photo", "рис.").
    pub caption: Vec<String>,
}

const CALENDAR_DATA: &str = include_str!("data/dates.txt");

/// Parses the calendar table; a malformed line is skipped (the table ships with the binary
/// and a unit test checks every line parses).
fn parse_calendar(data: &str) -> (Calendar, Vec<String>) {
    let mut cal = Calendar {
        months: Vec::new(),
        weekdays: Vec::new(),
        today: Vec::new(),
        yesterday: Vec::new(),
        units: Vec::new(),
        ago: Vec::new(),
        updated: Vec::new(),
        published: Vec::new(),
        caption: Vec::new(),
    };
    let mut bad = Vec::new();
    for line in data.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut head = line.splitn(3, ' ');
        let (kind, _lang, rest) = (head.next(), head.next(), head.next().unwrap_or(""));
        let names = |list: &str| -> Vec<String> {
            list.split(',')
                .map(|n| n.trim().to_lowercase())
                .filter(|n| !n.is_empty())
                .collect()
        };
        let (arg, list) = rest.split_once(' ').unwrap_or((rest, ""));
        let ok = match kind {
            Some("month") => match arg.parse::<u32>() {
                Ok(m) if (1..=12).contains(&m) => {
                    cal.months.extend(names(list).into_iter().map(|n| (n, m)));
                    true
                }
                _ => false,
            },
            Some("weekday") => {
                cal.weekdays.extend(names(rest));
                true
            }
            Some("today") => {
                cal.today.extend(names(rest));
                true
            }
            Some("yesterday") => {
                cal.yesterday.extend(names(rest));
                true
            }
            Some("updated") => {
                cal.updated.extend(names(rest));
                true
            }
            Some("published") => {
                cal.published.extend(names(rest));
                true
            }
            Some("caption") => {
                cal.caption.extend(names(rest));
                true
            }
            Some("unit") => {
                let unit = match arg {
                    "minute" => Some(AgoUnit::Minute),
                    "hour" => Some(AgoUnit::Hour),
                    "day" => Some(AgoUnit::Day),
                    "week" => Some(AgoUnit::Week),
                    _ => None,
                };
                if let Some(u) = unit {
                    cal.units.extend(names(list).into_iter().map(|n| (n, u)));
                }
                unit.is_some()
            }
            Some("ago") => match arg {
                "before" | "after" => {
                    let before = arg == "before";
                    cal.ago.extend(names(list).into_iter().map(|n| (n, before)));
                    true
                }
                _ => false,
            },
            _ => false,
        };
        if !ok {
            bad.push(line.to_string());
        }
    }
    (cal, bad)
}

/// The calendar table, parsed on first use.
pub static CALENDAR: LazyLock<Calendar> = LazyLock::new(|| parse_calendar(CALENDAR_DATA).0);

/// Where in a text the first label of `labels` starts (case-insensitive, any language of the
/// table), as a byte offset into the lower-cased text.
fn label_at(lower: &str, labels: &[String]) -> Option<usize> {
    labels.iter().filter_map(|l| lower.find(l.as_str())).min()
}

/// True when a line labels its date as a revision ("Updated Jun 13", "Aktualisiert am …",
/// "Letzte Änderung: …"), in any language of the table.
pub fn is_revision_line(text: &str) -> bool {
    label_at(&text.to_lowercase(), &CALENDAR.updated).is_some()
}

/// True when a line labels a publication date ("Published: …", "Veröffentlicht am …"), in any
/// language of the table.
pub fn is_publication_line(text: &str) -> bool {
    label_at(&text.to_lowercase(), &CALENDAR.published).is_some()
}

/// True when a line is a picture caption: it opens with a caption word of the table, an
/// optional figure number and a colon ("Abbildung: Ausschnitt … vom 31.05.2021", "Fig. 2:
/// …", "Рис. 1: …", "图1：…"). A date in it is the picture's, not the page's.
pub fn is_caption(text: &str) -> bool {
    let lower = text.trim_start_matches(['(', '[', ' ']).to_lowercase();
    CALENDAR.caption.iter().any(|label| {
        lower.strip_prefix(label.as_str()).is_some_and(|rest| {
            let rest =
                rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ');
            rest.starts_with(':') || rest.starts_with('：')
        })
    })
}

/// The date a line gives as its publication date: the first date after a publication label
/// when the line has one ("Letzte Änderung: 31.10.2023, Erschienen am: 01.11.2023" gives
/// 1 November), none when it only labels a revision, else its first date.
pub fn published_in_line(text: &str, order: DateOrder) -> Option<PageDate> {
    published_in_line_once(text, order).or_else(|| {
        // A short line whose date touches the word before it: the page's markup put a name
        // or label and the date in adjacent elements without a space ("Tanja
        // Karrasch3.11.2023", "Erstellt am09.02.2022"). Only short lines: in running text such
        // a token is a version or a code.
        let spaced = space_glued_digits(text);
        (text.chars().count() <= 80 && spaced.len() != text.len())
            .then(|| published_in_line_once(&spaced, order))
            .flatten()
    })
}

/// `text` with a space put between a letter and a digit that follows it.
fn space_glued_digits(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if c.is_ascii_digit() && prev.is_some_and(char::is_alphabetic) {
            out.push(' ');
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

fn published_in_line_once(text: &str, order: DateOrder) -> Option<PageDate> {
    let lower = text.to_lowercase();
    let published = label_at(&lower, &CALENDAR.published);
    let revision = label_at(&lower, &CALENDAR.updated);
    // Offsets of the lower-cased text apply to the original when lower-casing kept its length.
    let src = if lower.len() == text.len() {
        text
    } else {
        &lower
    };
    match (published, revision) {
        (Some(p), _) if src.is_char_boundary(p) => {
            parse_text_date_with(&src[p..], order).or_else(|| {
                revision
                    .is_none()
                    .then(|| parse_text_date_with(text, order))
                    .flatten()
            })
        }
        (None, Some(_)) => None,
        _ => parse_text_date_with(text, order),
    }
}

static MONTH_LOOKUP: LazyLock<HashMap<String, u32>> =
    LazyLock::new(|| CALENDAR.months.iter().cloned().collect());

/// Regex alternation of names, longest first so the regex prefers "march"
/// over "mar".
fn alternation<S: AsRef<str>>(names: &[S]) -> String {
    let mut v: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
    v.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    v.dedup();
    v.iter()
        .map(|n| regex::escape(n))
        .collect::<Vec<_>>()
        .join("|")
}

static MONTH_ALT: LazyLock<String> = LazyLock::new(|| {
    let names: Vec<&str> = CALENDAR.months.iter().map(|(n, _)| n.as_str()).collect();
    alternation(&names)
});

/// Month number for a matched month name ("Nov.", "MÄRZ", "août").
fn month_number(name: &str) -> Option<u32> {
    let name = name.trim_end_matches('.');
    if name.chars().count() > 24 {
        return None;
    }
    MONTH_LOOKUP.get(name.to_lowercase().as_str()).copied()
}

/// Compiles one of this module's fixed patterns; `MONTH` and `WEEKDAY` are
/// placeholders for the name alternations (plain `replace` rather than
/// `format!` so the regex braces need no escaping).
fn build(pattern: &str) -> Regex {
    let p = pattern
        .replace("MONTH", &MONTH_ALT)
        .replace("WEEKDAY", &alternation(&CALENDAR.weekdays));
    // The patterns are constants of this module and covered by tests.
    Regex::new(&p).expect("built-in date regex must compile")
}

// ---------------------------------------------------------------------------
// Regexes
// ---------------------------------------------------------------------------

/// Month-name first: "November 13, 2019", "Nov. 13 2019", "March 12th, 2019".
static RE_MDY: LazyLock<Regex> = LazyLock::new(|| {
    build(r"(?i)(?-u:\b)(MONTH)\.?\s*([0-9]{1,2})(?:st|nd|rd|th)?(?:\s*,\s*|\s+)([0-9]{4})")
});

/// Day first: "13 November 2019", "13. November 2019", "1er novembre 2019",
/// "13 de noviembre de 2019", "13th of November, 2019", "13-Nov-2019".
static RE_DMY: LazyLock<Regex> = LazyLock::new(|| {
    build(
        r"(?i)([0-9]{1,2})(?:st|nd|rd|th|er|º|°|ª)?\.?(?:\s+(?:of|de)\s+|\s*[-/]\s*|\s*)(MONTH)\.?(?:\s*,\s*|\s+(?:de|del|năm)\s+|\s*[-/]\s*|\s+)([0-9]{4})",
    )
});

/// Unix `date`/Java `Date.toString()`/asctime: "Mar 13 21:30:09 EST 2015",
/// "Nov 13 06:42:00 2019" — the time sits between the day and the year.
static RE_MD_TIME_Y: LazyLock<Regex> = LazyLock::new(|| {
    build(
        r"(?i)(?-u:\b)(MONTH)\.?\s+([0-9]{1,2})\s+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?\s+(?:(?-i:([A-Z]{1,5}))(?:([+\-−])([0-9]{2}):?([0-9]{2}))?\s+)?([0-9]{4})",
    )
});

/// Year first, numeric: "2019-11-13", "2019/11/13", "2019.11.13", "2019. 11. 13." (Korean,
/// Hungarian).
static RE_YMD: LazyLock<Regex> =
    LazyLock::new(|| build(r"([0-9]{4})(-|/|\.\s?)([0-9]{1,2})(-|/|\.\s?)([0-9]{1,2})"));

/// Year first with a month name: "2019. október 16." (Hungarian), "2019 Oct 16".
static RE_YMONTHD: LazyLock<Regex> =
    LazyLock::new(|| build(r"(?i)([0-9]{4})\.?\s+(MONTH)\.?\s+([0-9]{1,2})(?:\.|[^0-9]|$)"));

/// Year last, numeric: "13.11.2019", "13/11/2019", "11-13-2019", "13. 11. 2019", and with
/// the parts set apart by bars ("13 | 11 | 2019": templates that style day, month and year as
/// separate boxes).
static RE_DMY_NUM: LazyLock<Regex> = LazyLock::new(|| {
    build(r"([0-9]{1,2})(\.\s?|/|-|\s\|\s)([0-9]{1,2})(\.\s?|/|-|\s\|\s)([0-9]{4})")
});

/// Whether `s` starts with a time of day ("12:44"): a short date and its time in adjacent
/// elements come out of the page glued ("28.09.19" + "12:44" = "28.09.1912:44"), which must
/// read as 28 September 2019 at 12:44, not as the year 1912.
fn glued_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    (1..=2).contains(&digits)
        && b.get(digits) == Some(&b':')
        && b.get(digits + 1).is_some_and(u8::is_ascii_digit)
        && b.get(digits + 2).is_some_and(u8::is_ascii_digit)
        && !b.get(digits + 3).is_some_and(u8::is_ascii_digit)
}

/// Dotted day, month and two-digit year, as German, Slavic and Nordic pages write short
/// dates: "28.01.22", "02.12.19".
static RE_DMY_YY: LazyLock<Regex> =
    LazyLock::new(|| build(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{2})"));

/// Chinese/Japanese/Korean: "2019年11月13日", "2019년 11월 13일".
static RE_CJK: LazyLock<Regex> =
    LazyLock::new(|| build(r"([0-9]{4})\s*[年년]\s*([0-9]{1,2})\s*[月월]\s*([0-9]{1,2})\s*[日일]"));

/// A time right after a date, behind optional connectors
/// ("- 6:42 AM", "at 6:42 pm", "à 12h30", "um 15.30 Uhr", "T06:42:00.000").
static RE_TIME_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    build(
        r"^(?:\s*(?:[,|@·•–—\-]|(?i:at|à|a\s+las?|a\s+la|às|as|um|alle|ore|om|kl\.?|klo)\s)){0,3}\s*T?\s*([0-9]{1,2})(?:([:h.])([0-9]{2}))?(?::([0-9]{2}))?(?:[.,][0-9]{1,9})?(?:\s*([aApP])\.?\s?[mM]\.?)?(\s*(?i:uhr|uur|hrs|h)(?-u:\b))?",
    )
});

/// A time zone after a time: "EST", "(GMT)", "GMT+0000", "UTC+5:30", "Z", "-04:00".
static RE_ZONE: LazyLock<Regex> = LazyLock::new(|| {
    build(
        r"^\s*\(?\s*(?:([A-Z]{1,5})(?:\s?([+\-−])\s?([0-9]{1,2})(?::?([0-9]{2}))?)?|([+\-−])([0-9]{2}):?([0-9]{2}))",
    )
});

/// A time just before a date: "Updated 1:32 PM ET, Thu " (CNN style).
static RE_TIME_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    build(
        r"(?:^|[^0-9:.])([0-9]{1,2})(?:([:h.])([0-9]{2}))?(?::([0-9]{2}))?(?:\s*([aApP])\.?\s?[mM]\.?)?(?:\s+\(?([A-Z]{1,5})\)?)?\s*(?:[,|@·•–—\-]|(?i:on|le|el)\s)?\s*(?:(?i:WEEKDAY)\.?,?\s*)?$",
    )
});

/// Signals of American conventions, used to read ambiguous numeric dates
/// month-first: US zone abbreviations or a month-name-first date.
static RE_US_CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    build(
        r"(?-u:\b)(?:[ECMP][SD]T|AK[SD]T|HST|ET|PT|CT|MT)(?-u:\b)|(?i:(?-u:\b)(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*[0-9]{1,2}(?:st|nd|rd|th)?(?-u:\b))",
    )
});

/// Machine-readable ISO 8601 / RFC 3339 value, anchored at both ends.
static RE_ISO_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    build(
        r"^([0-9]{4})(?:-([0-9]{1,2})-([0-9]{1,2})|([0-9]{2})([0-9]{2}))(?:(?:[Tt]|\s+)([0-9]{2}):?([0-9]{2})(?::?([0-9]{2})(?:[.,][0-9]+)?)?)?\s*(?:([Zz])|([+\-−])([0-9]{2})(?::?([0-9]{2}))?|(UTC|GMT|UT))?(?:\s*\[[^\]]*\])?$",
    )
});

/// Wire dateline: upper-case place, optional state/country parts and agency, then
/// "Month day" or "day Month": "ROME, Dec 6 (Reuters) -",
/// "SAN FRANCISCO, Calif., Nov. 3 (AP) —", "CATANIA, SICILY, Aug 29 (Reuters) -",
/// "WASHINGTON (AP) — Nov. 3",
/// "MADRID, 6 dic (Reuters) -".
static RE_DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    build(
        r"^[\s\p{Pd}•*]*[\p{Lu}][\p{Lu}\p{M}'’./\- ]*[\p{Lu}.](?:\s*,\s*[\p{Lu}][\p{L}\p{M}'’.\- ]{0,24}[\p{L}.]){0,2}\s*(?:\([^)]{1,40}\))?\s*[,:\p{Pd}]?\s*(?:(?i:(MONTH))\.?\s*([0-9]{1,2})(?:st|nd|rd|th)?(?-u:\b)|([0-9]{1,2})\.?\s*(?i:(MONTH))(?-u:\b))",
    )
});

/// Dateline with a mixed-case place, accepted only when the agency follows
/// the date directly: "Rome, Dec 6 (Reuters) -".
static RE_DATELINE_MIXED: LazyLock<Regex> = LazyLock::new(|| {
    build(
        r"^\s*[\p{Lu}][\p{L}\p{M}'’./\- ]{1,40},\s*(?:(?i:(MONTH))\.?\s*([0-9]{1,2})(?:st|nd|rd|th)?|([0-9]{1,2})\.?\s*(?i:(MONTH))\.?)\s*\(",
    )
});

/// URL: "/2019/11/13/", "/2019-11-13/", "_2019_11_13".
static RE_URL_YMD: LazyLock<Regex> =
    LazyLock::new(|| build(r"((?:19|20)[0-9]{2}|2100)([/\-_.])([0-9]{1,2})([/\-_.])([0-9]{1,2})"));

/// URL with a month name: "/2019/nov/13/" (The Guardian).
static RE_URL_YMONTHD: LazyLock<Regex> =
    LazyLock::new(|| build(r"(?i)((?:19|20)[0-9]{2}|2100)/(MONTH)/([0-9]{1,2})"));

/// URL compact date: "/20191113/", "-20191113-", "?a=20170309-".
static RE_URL_COMPACT: LazyLock<Regex> =
    LazyLock::new(|| build(r"((?:19|20)[0-9]{2}|2100)([0-9]{2})([0-9]{2})"));

/// URL day-month-year segment: "/meldungen/29-10-2021", "/news/03.11.2022/" (read only when
/// the order is unambiguous: one of the two numbers is above 12).
static RE_URL_DMY: LazyLock<Regex> =
    LazyLock::new(|| build(r"([0-9]{1,2})([\-_.])([0-9]{1,2})([\-_.])((?:19|20)[0-9]{2})"));

/// URL year and month only: "/2015/04/slug".
static RE_URL_YM: LazyLock<Regex> =
    LazyLock::new(|| build(r"((?:19|20)[0-9]{2}|2100)/([0-9]{1,2})(?:/|$)"));

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

/// The ASCII digit for an Arabic-Indic (U+0660…) or Persian (U+06F0…) digit.
fn eastern_digit(c: char) -> Option<char> {
    match c {
        '\u{660}'..='\u{669}' => char::from_u32(c as u32 - 0x660 + u32::from(b'0')),
        '\u{6f0}'..='\u{6f9}' => char::from_u32(c as u32 - 0x6f0 + u32::from(b'0')),
        _ => None,
    }
}

/// A real calendar date within the accepted year range.
fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Parses a short run of ASCII digits (the regexes guarantee the shape;
/// `None` instead of a panic if that ever changes).
fn num<T: std::str::FromStr>(c: &Captures<'_>, i: usize) -> Option<T> {
    c.get(i)?.as_str().parse().ok()
}

fn char_before(s: &str, i: usize) -> Option<char> {
    s.get(..i)?.chars().next_back()
}

fn char_after(s: &str, i: usize) -> Option<char> {
    s.get(i..)?.chars().next()
}

/// True when the number spanning `start..end` is not a piece of a longer
/// token: no adjacent ASCII digit or letter (CJK text may touch a date),
/// and no adjacent separator that leads
/// on to more digits ("v1.2.13.11.2019", "13.11.2019.5").
fn isolated(s: &str, start: usize, end: usize) -> bool {
    isolated_start(s, start) && isolated_end(s, end)
}

/// The start half of [`isolated`].
fn isolated_start(s: &str, start: usize) -> bool {
    if let Some(p) = char_before(s, start) {
        if p.is_ascii_alphanumeric() {
            return false;
        }
        if matches!(p, '.' | '/' | '-' | '_') {
            let pp = s
                .get(..start - p.len_utf8())
                .and_then(|t| t.chars().next_back());
            if pp.is_some_and(|c| c.is_ascii_alphanumeric()) {
                return false;
            }
        }
    }
    true
}

/// The end half of [`isolated`].
fn isolated_end(s: &str, end: usize) -> bool {
    if let Some(n) = char_after(s, end) {
        if n.is_ascii_digit() {
            return false;
        }
        if matches!(n, '.' | '/' | '-') {
            let nn = s.get(end + 1..).and_then(|t| t.chars().next());
            if nn.is_some_and(|c| c.is_ascii_digit()) {
                return false;
            }
        }
    }
    true
}

/// True when no digit touches `end` (a 4-digit year must not be part of a
/// longer number), or only a time of day glued to the year by adjacent elements ("3 de mayo
/// de 2022" + "21:25" = "3 de mayo de 202221:25").
fn digit_free_after(s: &str, end: usize) -> bool {
    !char_after(s, end).is_some_and(|c| c.is_ascii_digit()) || glued_time(&s[end..])
}

/// Next char boundary after `i`, to restart a search one character later.
fn next_boundary(s: &str, i: usize) -> usize {
    i + char_after(s, i).map_or(1, char::len_utf8)
}

/// First match of `re` at or after the start for which `accept` yields a
/// value; invalid candidates do not end the search.
fn first_valid<T>(
    re: &Regex,
    s: &str,
    mut accept: impl FnMut(&Captures<'_>) -> Option<T>,
) -> Option<(usize, usize, T)> {
    let mut pos = 0;
    while pos <= s.len() {
        let c = re.captures_at(s, pos)?;
        let m = c.get(0)?;
        if let Some(v) = accept(&c) {
            return Some((m.start(), m.end(), v));
        }
        pos = next_boundary(s, m.start());
    }
    None
}

/// Builds a time of day; a bare hour needs am/pm, and a dotted time
/// ("6.42") needs am/pm or "Uhr"/"h" so that "12.50 million" is not a time.
fn make_time(
    hour: u32,
    minute: Option<u32>,
    second: Option<u32>,
    sep: Option<char>,
    ampm: Option<char>,
    hour_word: bool,
) -> Option<NaiveTime> {
    if minute.is_none() && ampm.is_none() {
        return None;
    }
    if sep == Some('.') && ampm.is_none() && !hour_word {
        return None;
    }
    let hour = match ampm {
        Some(a) => {
            if hour == 0 || hour > 12 {
                return None;
            }
            hour % 12 + if a.eq_ignore_ascii_case(&'p') { 12 } else { 0 }
        }
        None => hour,
    };
    // A leap second is published as :60; the minute is what matters.
    let second = match second {
        Some(60) => 59,
        Some(s) => s,
        None => 0,
    };
    NaiveTime::from_hms_opt(hour, minute.unwrap_or(0), second)
}

/// True when US daylight saving time is in force on `date` (by date only;
/// the 2 a.m. switch is below this module's precision).
fn us_dst(date: NaiveDate) -> bool {
    let y = date.year();
    let nth_sunday = |m: u32, n: u8| NaiveDate::from_weekday_of_month_opt(y, m, Weekday::Sun, n);
    let last_sunday = |m: u32| nth_sunday(m, 5).or_else(|| nth_sunday(m, 4));
    let (start, end) = if y >= 2007 {
        (nth_sunday(3, 2), nth_sunday(11, 1))
    } else if y >= 1987 {
        (nth_sunday(4, 1), last_sunday(10))
    } else if y >= 1967 {
        (last_sunday(4), last_sunday(10))
    } else {
        return false;
    };
    match (start, end) {
        (Some(s), Some(e)) => date >= s && date < e,
        _ => false,
    }
}

/// UTC offset in seconds of a time-zone abbreviation. Ambiguous ones take
/// their most common news meaning (IST = India, CST = US Central); the
/// generic US "ET/CT/MT/PT" follow US daylight saving on `date`.
fn zone_offset(abbr: &str, date: NaiveDate) -> Option<i32> {
    const H: i32 = 3600;
    let us = |std: i32| if us_dst(date) { (std + 1) * H } else { std * H };
    Some(match abbr {
        "Z" | "UT" | "UTC" | "GMT" | "WET" | "WEZ" => 0,
        "BST" | "CET" | "MEZ" | "WEST" | "WAT" => H,
        "CEST" | "MESZ" | "EET" | "CAT" | "SAST" => 2 * H,
        "EEST" | "MSK" | "EAT" => 3 * H,
        "GST" => 4 * H,
        "PKT" => 5 * H,
        "IST" => 5 * H + 30 * 60,
        "NPT" => 5 * H + 45 * 60,
        "ICT" | "WIB" => 7 * H,
        "HKT" | "SGT" | "AWST" | "PHT" | "MYT" | "WITA" => 8 * H,
        "JST" | "KST" | "WIT" => 9 * H,
        "ACST" => 9 * H + 30 * 60,
        "AEST" => 10 * H,
        "ACDT" => 10 * H + 30 * 60,
        "AEDT" => 11 * H,
        "NZST" => 12 * H,
        "NZDT" => 13 * H,
        "NST" => -(3 * H + 30 * 60),
        "NDT" => -(2 * H + 30 * 60),
        "ADT" | "BRT" | "ART" => -3 * H,
        "AST" | "EDT" => -4 * H,
        "EST" | "CDT" => -5 * H,
        "CST" | "MDT" => -6 * H,
        "MST" | "PDT" => -7 * H,
        "PST" | "AKDT" => -8 * H,
        "AKST" => -9 * H,
        "HST" => -10 * H,
        "ET" => us(-5),
        "CT" => us(-6),
        "MT" => us(-7),
        "PT" => us(-8),
        _ => return None,
    })
}

/// A numeric offset "+05:30" / "-4" as seconds; rejects anything ≥ 24h.
fn numeric_offset(sign: &str, hours: u32, minutes: u32) -> Option<i32> {
    if hours > 23 || minutes > 59 {
        return None;
    }
    let secs = i32::try_from(hours * 3600 + minutes * 60).ok()?;
    Some(if sign == "+" { secs } else { -secs })
}

/// Time (and zone) written right after a date ending at `end`, or, failing
/// that, right before a date starting at `start`.
fn time_near(
    s: &str,
    start: usize,
    end: usize,
    date: NaiveDate,
) -> Option<(NaiveTime, Option<i32>)> {
    time_after(s, end, date).or_else(|| time_before(s, start, date))
}

fn time_after(s: &str, end: usize, date: NaiveDate) -> Option<(NaiveTime, Option<i32>)> {
    let rest = s.get(end..)?;
    let c = RE_TIME_AFTER.captures(rest)?;
    let sep = c.get(2).and_then(|m| m.as_str().chars().next());
    let time = make_time(
        num(&c, 1)?,
        num(&c, 3),
        num(&c, 4),
        sep,
        c.get(5).and_then(|m| m.as_str().chars().next()),
        c.get(6).is_some(),
    )?;
    let after = c.get(0)?.end();
    // An hour followed by another digit is not a time ("2019 123").
    if !digit_free_after(rest, after) {
        return None;
    }
    Some((time, zone_at(rest.get(after..)?, date)))
}

fn time_before(s: &str, start: usize, date: NaiveDate) -> Option<(NaiveTime, Option<i32>)> {
    let mut from = start.saturating_sub(64);
    while !s.is_char_boundary(from) {
        from += 1;
    }
    let prefix = s.get(from..start)?;
    let c = RE_TIME_BEFORE.captures(prefix)?;
    let sep = c.get(2).and_then(|m| m.as_str().chars().next());
    let time = make_time(
        num(&c, 1)?,
        num(&c, 3),
        num(&c, 4),
        sep,
        c.get(5).and_then(|m| m.as_str().chars().next()),
        false,
    )?;
    let offset = c.get(6).and_then(|m| zone_offset(m.as_str(), date));
    Some((time, offset))
}

/// Zone right at the start of `rest`, if any.
fn zone_at(rest: &str, date: NaiveDate) -> Option<i32> {
    let c = RE_ZONE.captures(rest)?;
    let end = c.get(0)?.end();
    if char_after(rest, end).is_some_and(|ch| ch.is_alphanumeric()) {
        return None;
    }
    if let Some(sign) = c.get(5) {
        return numeric_offset(sign.as_str(), num(&c, 6)?, num(&c, 7)?);
    }
    let abbr = c.get(1)?.as_str();
    match c.get(2) {
        Some(sign) => numeric_offset(sign.as_str(), num(&c, 3)?, num(&c, 4).unwrap_or(0)),
        None => zone_offset(abbr, date),
    }
}

/// Attaches a time found near the date; the offset is only meaningful with a time.
fn with_time(date: NaiveDate, near: Option<(NaiveTime, Option<i32>)>) -> PageDate {
    match near {
        Some((time, offset_secs)) => PageDate {
            date,
            time: Some(time),
            offset_secs,
        },
        None => PageDate::day(date),
    }
}

// ---------------------------------------------------------------------------
// parse_date_value
// ---------------------------------------------------------------------------

/// Parses a machine-readable date value (meta content, JSON-LD datePublished, <time datetime>): ISO 8601 / RFC 3339 in all common variants ("2019-11-13", "2019-11-13T06:42:00Z", "2019-11-13T06:42:00+05:30", "2019-11-13 06:42:00", "20191113", "2019-11-13T06:42:00.000Z", "2019-11-13T06:42"), RFC 2822 ("Wed, 13 Nov 2019 06:42:00 GMT"), unix epoch seconds/millis as digits, and falls back to parse_text_date.
///
/// Digit-only values are read by length: 8 = `YYYYMMDD`, 12 = `YYYYMMDDhhmm`
/// (else epoch millis), 14 = `YYYYMMDDhhmmss`, 9–10 = epoch seconds,
/// 11 and 13 = epoch millis. Fractional seconds are dropped: a publication
/// time needs no more, and it lets the same instant from meta and JSON-LD
/// compare equal.
pub fn parse_date_value(s: &str) -> Option<PageDate> {
    parse_date_value_with(s, DateOrder::Auto)
}

/// [`parse_date_value`] with an explicit order for ambiguous numeric dates.
pub fn parse_date_value_with(s: &str, order: DateOrder) -> Option<PageDate> {
    let v = s.trim_matches(|c: char| c.is_whitespace() || c == '"' || c == '\'');
    if v.is_empty() || !v.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some(d) = parse_digits(v) {
        return Some(d);
    }
    if v.len() <= 64 {
        if let Some(d) = parse_iso_value(v) {
            return Some(d);
        }
    }
    parse_text_date_with(v, order)
}

/// Digit-only values (compact dates and unix epochs), see [`parse_date_value`].
fn parse_digits(v: &str) -> Option<PageDate> {
    let (int, frac) = match v.split_once('.') {
        Some((i, f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => (i, true),
        _ => (v, false),
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if frac && !(9..=10).contains(&int.len()) {
        return None;
    }
    let field = |a: usize, b: usize| int.get(a..b).and_then(|t| t.parse::<u32>().ok());
    let compact = |with_secs: bool| -> Option<PageDate> {
        let year = i32::try_from(field(0, 4)?).ok()?;
        let date = ymd(year, field(4, 6)?, field(6, 8)?)?;
        if int.len() == 8 {
            return Some(PageDate::day(date));
        }
        let sec = if with_secs { field(12, 14)? } else { 0 };
        let time = NaiveTime::from_hms_opt(field(8, 10)?, field(10, 12)?, sec)?;
        Some(PageDate {
            date,
            time: Some(time),
            offset_secs: None,
        })
    };
    // Epochs never start with 0; a run of zeros is a placeholder, not 1970.
    let epoch = |millis: bool| -> Option<PageDate> {
        if int.starts_with('0') {
            return None;
        }
        let n: i64 = int.parse().ok()?;
        let dt = if millis {
            DateTime::from_timestamp_millis(n)?
        } else {
            DateTime::from_timestamp(n, 0)?
        };
        let naive: NaiveDateTime = dt.naive_utc();
        ymd(naive.year(), naive.month(), naive.day())?;
        Some(PageDate {
            date: naive.date(),
            time: Some(naive.time()),
            offset_secs: Some(0),
        })
    };
    match int.len() {
        8 => compact(false),
        12 => compact(false).or_else(|| epoch(true)),
        14 => compact(true),
        9 | 10 => epoch(false),
        11 | 13 => epoch(true),
        _ => None,
    }
}

/// Strict, anchored ISO 8601 / RFC 3339 value.
fn parse_iso_value(v: &str) -> Option<PageDate> {
    let c = RE_ISO_VALUE.captures(v)?;
    let year: i32 = num(&c, 1)?;
    let (month, day) = match (num(&c, 2), num(&c, 3)) {
        (Some(m), Some(d)) => (m, d),
        _ => (num(&c, 4)?, num(&c, 5)?),
    };
    let date = ymd(year, month, day)?;
    let Some(hour) = num::<u32>(&c, 6) else {
        return Some(PageDate::day(date));
    };
    let time = make_time(hour, num(&c, 7), num(&c, 8), Some(':'), None, false)?;
    let offset_secs = if c.get(9).is_some() || c.get(13).is_some() {
        Some(0)
    } else if let Some(sign) = c.get(10) {
        Some(numeric_offset(
            sign.as_str(),
            num(&c, 11)?,
            num(&c, 12).unwrap_or(0),
        )?)
    } else {
        None
    };
    Some(PageDate {
        date,
        time: Some(time),
        offset_secs,
    })
}

// ---------------------------------------------------------------------------
// parse_text_date
// ---------------------------------------------------------------------------

/// Finds the first plausible date written for humans inside a text (a line near a headline): "Wed, Nov 13, 2019 - 6:42 AM", "Wednesday, November 13, 2019", "13 November 2019", "November 13, 2019 at 6:42 pm EST", "Nov. 13, 2019", "13 Nov 2019 06:42 GMT", "13.11.2019", "13/11/2019", "2019-11-13", "2019/11/13", with "Updated: …" / "Published: …" prefixes, time-zone abbreviations, and month names in English, French, German, Spanish, Italian, Portuguese and Dutch.
///
/// Ambiguous numeric dates follow [`DateOrder::Auto`]. Two-digit years are
/// not accepted ("13.11.19" is as often a version or a score as a date).
pub fn parse_text_date(s: &str) -> Option<PageDate> {
    parse_text_date_with(s, DateOrder::Auto)
}

/// [`parse_text_date`] with an explicit order for ambiguous numeric dates.
pub fn parse_text_date_with(s: &str, order: DateOrder) -> Option<PageDate> {
    if !s.bytes().any(|b| b.is_ascii_digit()) {
        // Arabic-Indic and Persian digits ("١٦ أكتوبر ٢٠١٩") are read as ASCII digits.
        if s.chars().any(|c| eastern_digit(c).is_some()) {
            let ascii: String = s.chars().map(|c| eastern_digit(c).unwrap_or(c)).collect();
            return parse_text_date_with(&ascii, order);
        }
        return None;
    }
    text_date_at(s, order).map(|(_, d)| d)
}

/// Every date written in a text, in order ("Letzte Änderung: 31.10.2023 … Erschienen am:
/// 01.11.2023" gives both), to tell whether the page shows a given date to its readers.
pub fn text_dates(s: &str, order: DateOrder) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < s.len() {
        let Some((end, d)) = text_date_at(&s[pos..], order) else {
            break;
        };
        out.push(d.date);
        pos += end.max(1);
        while !s.is_char_boundary(pos) {
            pos += 1;
        }
    }
    out
}

/// The first date of a text (ASCII digits) and the byte offset where its match ends.
fn text_date_at(s: &str, order: DateOrder) -> Option<(usize, PageDate)> {
    if !s.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut best: Option<(usize, usize, PageDate)> = None;
    let mut consider = |found: Option<(usize, usize, PageDate)>| {
        if let Some((start, end, d)) = found {
            if best.is_none_or(|(b, _, _)| start < b) {
                best = Some((start, end, d));
            }
        }
    };

    // Month name first; the time may follow or precede.
    consider(first_valid(&RE_MDY, s, |c| {
        let m = c.get(0)?;
        if !digit_free_after(s, m.end()) {
            return None;
        }
        let date = ymd(num(c, 3)?, month_number(c.get(1)?.as_str())?, num(c, 2)?)?;
        Some(with_time(date, time_near(s, m.start(), m.end(), date)))
    }));

    // Day first with a month name.
    consider(first_valid(&RE_DMY, s, |c| {
        let m = c.get(0)?;
        if !digit_free_after(s, m.end()) || !isolated(s, m.start(), c.get(1)?.end()) {
            return None;
        }
        let date = ymd(num(c, 3)?, month_number(c.get(2)?.as_str())?, num(c, 1)?)?;
        Some(with_time(date, time_near(s, m.start(), m.end(), date)))
    }));

    // "Mar 13 21:30:09 EST 2015".
    consider(first_valid(&RE_MD_TIME_Y, s, |c| {
        let m = c.get(0)?;
        if !digit_free_after(s, m.end()) {
            return None;
        }
        let date = ymd(num(c, 10)?, month_number(c.get(1)?.as_str())?, num(c, 2)?)?;
        let time = make_time(num(c, 3)?, num(c, 4), num(c, 5), Some(':'), None, false);
        let offset = match (c.get(6), c.get(7)) {
            (_, Some(sign)) => numeric_offset(sign.as_str(), num(c, 8)?, num(c, 9)?),
            (Some(abbr), None) => zone_offset(abbr.as_str(), date),
            _ => None,
        };
        Some(with_time(date, time.map(|t| (t, offset))))
    }));

    // Year first, numeric.
    consider(first_valid(&RE_YMD, s, |c| {
        let m = c.get(0)?;
        if c.get(2)?.as_str().trim_end() != c.get(4)?.as_str().trim_end()
            || !isolated(s, m.start(), m.end())
        {
            return None;
        }
        let date = ymd(num(c, 1)?, num(c, 3)?, num(c, 5)?)?;
        Some(with_time(date, time_near(s, m.start(), m.end(), date)))
    }));

    // Year last, numeric, with the ambiguity rule.
    let mut us: Option<bool> = None;
    consider(first_valid(&RE_DMY_NUM, s, |c| {
        let m = c.get(0)?;
        let sep = c.get(2)?.as_str().trim_end();
        if sep != c.get(4)?.as_str().trim_end()
            || !isolated_start(s, m.start())
            || (!isolated_end(s, m.end()) && !glued_time(&s[m.end()..]))
            || glued_time(&s[m.end() - 2..])
        {
            return None;
        }
        let (a, b): (u32, u32) = (num(c, 1)?, num(c, 3)?);
        let month_first = match (a > 12, b > 12) {
            (true, true) => return None,
            (true, false) => false,
            (false, true) => true,
            (false, false) => match order {
                DateOrder::DayFirst => false,
                DateOrder::MonthFirst => true,
                // Dotted and barred dates are European; slashes and dashes may be American.
                DateOrder::Auto => {
                    sep != "."
                        && sep != " |"
                        && *us.get_or_insert_with(|| RE_US_CONTEXT.is_match(s))
                }
            },
        };
        let (month, day) = if month_first { (a, b) } else { (b, a) };
        let date = ymd(num(c, 5)?, month, day)?;
        Some(with_time(date, time_near(s, m.start(), m.end(), date)))
    }));

    // Dotted with a two-digit year: not part of a longer number ("1.12.190", "28.01.2022"),
    // nor a version or section number followed by more dotted parts ("10.12.19.3").
    consider(first_valid(&RE_DMY_YY, s, |c| {
        let m = c.get(0)?;
        let after = s[m.end()..].chars().next();
        let after2 = s[m.end()..].chars().nth(1);
        let glued = glued_time(&s[m.end()..]);
        if !isolated_start(s, m.start())
            || (!glued && !isolated_end(s, m.end()))
            || (after.is_some_and(|ch| ch.is_ascii_digit()) && !glued)
            || (after == Some('.') && after2.is_some_and(|ch| ch.is_ascii_digit()))
        {
            return None;
        }
        let yy: i32 = num(c, 3)?;
        // Two-digit years are this century's up to 69 ("19" is 2019), then the last century's.
        let year = if yy <= 69 { 2000 + yy } else { 1900 + yy };
        let date = ymd(year, num(c, 2)?, num(c, 1)?)?;
        Some(with_time(date, time_near(s, m.start(), m.end(), date)))
    }));

    // Year, month name, day.
    consider(first_valid(&RE_YMONTHD, s, |c| {
        let m = c.get(0)?;
        if !isolated(s, m.start(), c.get(1)?.end()) {
            return None;
        }
        let date = ymd(num(c, 1)?, month_number(c.get(2)?.as_str())?, num(c, 3)?)?;
        Some(with_time(date, time_near(s, m.start(), m.end(), date)))
    }));

    // CJK.
    consider(first_valid(&RE_CJK, s, |c| {
        let m = c.get(0)?;
        if !isolated(s, m.start(), c.get(1)?.end()) {
            return None;
        }
        let date = ymd(num(c, 1)?, num(c, 2)?, num(c, 3)?)?;
        Some(with_time(date, time_near(s, m.start(), m.end(), date)))
    }));

    best.map(|(_, end, d)| (end, d))
}

// ---------------------------------------------------------------------------
// Relative dates
// ---------------------------------------------------------------------------

/// "N units ago" in any language of the calendar table, both word orders
/// ("2 hours ago", "vor 2 Stunden", "il y a 3 jours", "3小时前").
static RE_AGO: LazyLock<Regex> = LazyLock::new(|| {
    let units: Vec<&str> = CALENDAR.units.iter().map(|(n, _)| n.as_str()).collect();
    let before: Vec<&str> = CALENDAR
        .ago
        .iter()
        .filter(|a| a.1)
        .map(|a| a.0.as_str())
        .collect();
    let after: Vec<&str> = CALENDAR
        .ago
        .iter()
        .filter(|a| !a.1)
        .map(|a| a.0.as_str())
        .collect();
    let (u, b, a) = (
        alternation(&units),
        alternation(&before),
        alternation(&after),
    );
    Regex::new(&format!(
        r"(?i)(?:^|[^\p{{L}}])(?:(?:{b})\s*([0-9]{{1,3}})\s*({u})|([0-9]{{1,3}})\s*({u})\.?\s*(?:{a}))(?:[^\p{{L}}]|$)"
    ))
    .expect("relative-date regex from the calendar table must compile")
});

/// "today" / "yesterday" words as whole words.
static RE_DAY_WORD: LazyLock<Regex> = LazyLock::new(|| {
    let mut words: Vec<&str> = CALENDAR.today.iter().map(String::as_str).collect();
    words.extend(CALENDAR.yesterday.iter().map(String::as_str));
    Regex::new(&format!(
        r"(?i)(?:^|[^\p{{L}}])({})(?:[^\p{{L}}]|$)",
        alternation(&words)
    ))
    .expect("day-word regex from the calendar table must compile")
});

/// A relative date written for readers ("vor 3 Stunden", "yesterday, 10:30", "2 days ago"),
/// resolved against the time the page was captured. Without a capture time a relative date
/// means nothing and `None` is returned.
pub fn parse_relative_date(s: &str, captured: Option<DateTime<Utc>>) -> Option<NaiveDate> {
    let captured = captured?;
    if s.chars().count() > 80 {
        return None;
    }
    if let Some(c) = RE_AGO.captures(s) {
        let (n, unit) = match (c.get(1), c.get(2), c.get(3), c.get(4)) {
            (Some(n), Some(u), _, _) | (_, _, Some(n), Some(u)) => (n.as_str(), u.as_str()),
            _ => return None,
        };
        let n: i64 = n.parse().ok()?;
        let unit = unit.to_lowercase();
        let unit = CALENDAR.units.iter().find(|(w, _)| *w == unit)?.1;
        let delta = match unit {
            AgoUnit::Minute => TimeDelta::try_minutes(n)?,
            AgoUnit::Hour => TimeDelta::try_hours(n)?,
            AgoUnit::Day => TimeDelta::try_days(n)?,
            AgoUnit::Week => TimeDelta::try_weeks(n)?,
        };
        return Some(captured.checked_sub_signed(delta)?.date_naive());
    }
    let word = RE_DAY_WORD.captures(s)?.get(1)?.as_str().to_lowercase();
    let today = captured.date_naive();
    if CALENDAR.yesterday.contains(&word) {
        today.pred_opt()
    } else {
        Some(today)
    }
}

// ---------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------

/// The part of a URL that may carry a date: path and query, not the host
/// (hosts like "www2019.example" are not dates) nor the fragment.
fn url_path_and_query(url: &str) -> &str {
    let u = url.trim();
    let u = u.split_once('#').map_or(u, |(a, _)| a);
    let rest = if let Some(i) = u.find("://") {
        &u[i + 3..]
    } else if let Some(r) = u.strip_prefix("//") {
        r
    } else {
        return u;
    };
    match rest.find(['/', '?']) {
        Some(i) => &rest[i..],
        None => "",
    }
}

/// Delimiters that may surround a date inside a URL path or query.
fn url_delim(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => matches!(c, '/' | '-' | '_' | '.' | '=' | '?' | '&' | ',' | ';' | '+'),
    }
}

/// Date encoded in a URL path: "/2019/11/13/", "/2019-11-13/", "/20191113/", "-20191113-", "/2019/nov/13/"; None when absent or implausible (e.g. an ID like /123456789/).
///
/// A date must be delimited (by `/ - _ . = ? &` or the ends), so digits
/// inside a longer number or glued to letters are not read as a date; a
/// year-and-month-only path ("/2015/04/") gives None here, see
/// [`year_month_from_url`].
pub fn date_from_url(url: &str) -> Option<NaiveDate> {
    let p = url_path_and_query(url);
    if p.len() < 8 || !p.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let bounded = |start: usize, end: usize| {
        url_delim(char_before(p, start)) && url_delim(char_after(p, end))
    };
    let mut best: Option<(usize, NaiveDate)> = None;
    let mut consider = |found: Option<(usize, usize, NaiveDate)>| {
        if let Some((start, _, d)) = found {
            if best.is_none_or(|(b, _)| start < b) {
                best = Some((start, d));
            }
        }
    };
    consider(first_valid(&RE_URL_YMD, p, |c| {
        let m = c.get(0)?;
        if c.get(2)?.as_str() != c.get(4)?.as_str() || !bounded(m.start(), m.end()) {
            return None;
        }
        ymd(num(c, 1)?, num(c, 3)?, num(c, 5)?)
    }));
    consider(first_valid(&RE_URL_YMONTHD, p, |c| {
        let m = c.get(0)?;
        if !bounded(m.start(), m.end()) {
            return None;
        }
        ymd(num(c, 1)?, month_number(c.get(2)?.as_str())?, num(c, 3)?)
    }));
    consider(first_valid(&RE_URL_DMY, p, |c| {
        let m = c.get(0)?;
        if c.get(2)?.as_str() != c.get(4)?.as_str() || !bounded(m.start(), m.end()) {
            return None;
        }
        let (a, b): (u32, u32) = (num(c, 1)?, num(c, 3)?);
        match (a > 12, b > 12) {
            (true, false) => ymd(num(c, 5)?, b, a),
            (false, true) => ymd(num(c, 5)?, a, b),
            _ => None,
        }
    }));
    consider(first_valid(&RE_URL_COMPACT, p, |c| {
        let m = c.get(0)?;
        if !bounded(m.start(), m.end()) {
            return None;
        }
        ymd(num(c, 1)?, num(c, 2)?, num(c, 3)?)
    }));
    best.map(|(_, d)| d)
}

/// Year and month from a URL that has no day ("/2015/04/slug"), useful as a
/// reference for [`resolve_yearless`]. Full dates also yield their year and month.
pub fn year_month_from_url(url: &str) -> Option<(i32, u32)> {
    if let Some(d) = date_from_url(url) {
        return Some((d.year(), d.month()));
    }
    let p = url_path_and_query(url);
    first_valid(&RE_URL_YM, p, |c| {
        let m = c.get(0)?;
        if !url_delim(char_before(p, m.start())) {
            return None;
        }
        let (y, mo): (i32, u32) = (num(c, 1)?, num(c, 2)?);
        ymd(y, mo, 1).map(|_| (y, mo))
    })
    .map(|(_, _, v)| v)
}

// ---------------------------------------------------------------------------
// Wire datelines
// ---------------------------------------------------------------------------

/// A year-less wire dateline at the start of a story: "ROME, Dec 6 (Reuters) -", "LONDON, Aug 26 -", "WASHINGTON (AP) — Nov. 3"... returns (month, day).
///
/// The place must be in capitals (as wire styles write it) so that ordinary
/// sentences ("In May 5 people…") are not datelines; a mixed-case place is
/// accepted only when the agency in parentheses follows the date.
pub fn yearless_dateline(s: &str) -> Option<(u32, u32)> {
    // A dateline is short and at the very start; don't scan a whole story.
    let mut end = s.len().min(200);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let head = &s[..end];
    let c = RE_DATELINE
        .captures(head)
        .or_else(|| RE_DATELINE_MIXED.captures(head))?;
    let (month, day) = match c.get(1) {
        Some(m) => (month_number(m.as_str())?, num(&c, 2)?),
        None => (month_number(c.get(4)?.as_str())?, num(&c, 3)?),
    };
    // Feb 29 must stay possible: check against a leap year.
    NaiveDate::from_ymd_opt(2000, month, day).map(|_| (month, day))
}

/// Resolves a (month, day) dateline to a full date using a reference date from other evidence (e.g. the URL's year, or a nearby date): the (month, day) in the year that puts it closest to (and preferably not after) the reference.
///
/// A dateline is when the story was filed, so it normally falls on or just
/// before the reference (publication): a candidate after the reference
/// counts its distance double. With reference 2020-01-02, "Dec 31" is
/// 2019-12-31; with reference 2019-12-31, "Jan 1" is 2020-01-01 (1 day after
/// beats 364 days before).
pub fn resolve_yearless(month: u32, day: u32, reference: NaiveDate) -> Option<NaiveDate> {
    let mut best: Option<(i64, NaiveDate)> = None;
    // ±4 years so that Feb 29 always finds a leap year.
    for year in reference.year() - 4..=reference.year() + 4 {
        let Some(d) = ymd(year, month, day) else {
            continue;
        };
        let diff = (d - reference).num_days();
        let score = if diff <= 0 { -diff } else { diff * 2 };
        if best.is_none_or(|(b, _)| score < b) {
            best = Some((score, d));
        }
    }
    best.map(|(_, d)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn t(h: u32, m: u32, s: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, s).unwrap()
    }

    /// (date, time, offset) of a parsed value, for compact assertions.
    type Parts = (NaiveDate, Option<NaiveTime>, Option<i32>);

    fn value(s: &str) -> Option<Parts> {
        parse_date_value(s).map(|p| (p.date, p.time, p.offset_secs))
    }

    fn text(s: &str) -> Option<Parts> {
        parse_text_date(s).map(|p| (p.date, p.time, p.offset_secs))
    }

    fn text_date(s: &str) -> Option<NaiveDate> {
        parse_text_date(s).map(|p| p.date)
    }

    fn nov13() -> NaiveDate {
        d(2019, 11, 13)
    }
    const H: i32 = 3600;

    // --- PageDate ---------------------------------------------------------

    #[test]
    fn to_utc_applies_offset() {
        let p = PageDate {
            date: nov13(),
            time: Some(t(6, 42, 0)),
            offset_secs: Some(5 * H + 1800),
        };
        assert_eq!(p.to_utc().to_rfc3339(), "2019-11-13T01:12:00+00:00");
    }

    #[test]
    fn to_utc_offset_can_cross_midnight() {
        let p = PageDate {
            date: nov13(),
            time: Some(t(22, 0, 0)),
            offset_secs: Some(-5 * H),
        };
        assert_eq!(p.to_utc().to_rfc3339(), "2019-11-14T03:00:00+00:00");
    }

    #[test]
    fn to_utc_time_without_offset_is_utc() {
        let p = PageDate {
            date: nov13(),
            time: Some(t(6, 42, 0)),
            offset_secs: None,
        };
        assert_eq!(p.to_utc().to_rfc3339(), "2019-11-13T06:42:00+00:00");
    }

    #[test]
    fn to_utc_date_only_is_midnight_even_with_offset() {
        let p = PageDate {
            date: nov13(),
            time: None,
            offset_secs: Some(-5 * H),
        };
        assert_eq!(p.to_utc().to_rfc3339(), "2019-11-13T00:00:00+00:00");
    }

    #[test]
    fn rfc3339_keeps_publisher_offset() {
        let p = parse_date_value("2019-11-13T06:42:00+05:30").unwrap();
        assert_eq!(p.rfc3339().as_deref(), Some("2019-11-13T06:42:00+05:30"));
    }

    #[test]
    fn rfc3339_zero_offset_is_z() {
        let p = parse_date_value("2019-11-13T06:42:00+00:00").unwrap();
        assert_eq!(p.rfc3339().as_deref(), Some("2019-11-13T06:42:00Z"));
    }

    #[test]
    fn rfc3339_without_offset_is_written_as_utc() {
        let p = parse_date_value("2019-11-13 06:42:00").unwrap();
        assert_eq!(p.rfc3339().as_deref(), Some("2019-11-13T06:42:00Z"));
    }

    #[test]
    fn rfc3339_none_without_time() {
        assert_eq!(parse_date_value("2019-11-13").unwrap().rfc3339(), None);
    }

    #[test]
    fn absurd_offset_in_hand_built_value_is_ignored() {
        for o in [i32::MAX, i32::MIN, 86_400, -86_400] {
            let p = PageDate {
                date: nov13(),
                time: Some(t(6, 42, 0)),
                offset_secs: Some(o),
            };
            assert_eq!(p.to_utc().to_rfc3339(), "2019-11-13T06:42:00+00:00");
            assert_eq!(p.rfc3339().as_deref(), Some("2019-11-13T06:42:00Z"));
        }
    }

    // --- parse_date_value: ISO 8601 / RFC 3339 ---------------------------

    #[test]
    fn value_iso_date() {
        assert_eq!(value("2019-11-13"), Some((nov13(), None, None)));
    }

    #[test]
    fn value_iso_zulu() {
        assert_eq!(
            value("2019-11-13T06:42:00Z"),
            Some((nov13(), Some(t(6, 42, 0)), Some(0)))
        );
    }

    #[test]
    fn value_iso_positive_offset() {
        assert_eq!(
            value("2019-11-13T06:42:00+05:30"),
            Some((nov13(), Some(t(6, 42, 0)), Some(5 * H + 1800)))
        );
    }

    #[test]
    fn value_iso_negative_offset() {
        assert_eq!(
            value("2019-11-13T06:42:00-04:00"),
            Some((nov13(), Some(t(6, 42, 0)), Some(-4 * H)))
        );
    }

    #[test]
    fn value_iso_offset_without_colon() {
        assert_eq!(
            value("2019-11-13T06:42:00+0100"),
            Some((nov13(), Some(t(6, 42, 0)), Some(H)))
        );
    }

    #[test]
    fn value_iso_hour_only_offset() {
        assert_eq!(
            value("2019-11-13T06:42:00+02"),
            Some((nov13(), Some(t(6, 42, 0)), Some(2 * H)))
        );
    }

    #[test]
    fn value_iso_space_separator() {
        assert_eq!(
            value("2019-11-13 06:42:00"),
            Some((nov13(), Some(t(6, 42, 0)), None))
        );
    }

    #[test]
    fn value_iso_space_and_spaced_offset() {
        assert_eq!(
            value("2019-11-13 06:42:00 -0500"),
            Some((nov13(), Some(t(6, 42, 0)), Some(-5 * H)))
        );
    }

    #[test]
    fn value_iso_fraction_dropped() {
        assert_eq!(
            value("2019-11-13T06:42:00.000Z"),
            Some((nov13(), Some(t(6, 42, 0)), Some(0)))
        );
        assert_eq!(
            value("2019-11-13T06:42:07.1234567Z"),
            Some((nov13(), Some(t(6, 42, 7)), Some(0)))
        );
        assert_eq!(
            value("2019-11-13 06:42:00.000000"),
            Some((nov13(), Some(t(6, 42, 0)), None))
        );
    }

    #[test]
    fn value_iso_without_seconds() {
        assert_eq!(
            value("2019-11-13T06:42"),
            Some((nov13(), Some(t(6, 42, 0)), None))
        );
    }

    #[test]
    fn value_iso_basic_format() {
        assert_eq!(
            value("20191113T064200Z"),
            Some((nov13(), Some(t(6, 42, 0)), Some(0)))
        );
    }

    #[test]
    fn value_iso_utc_word_and_zone_id() {
        assert_eq!(
            value("2019-11-13 06:42:00 UTC"),
            Some((nov13(), Some(t(6, 42, 0)), Some(0)))
        );
        assert_eq!(
            value("2019-11-13T06:42:00Z[UTC]"),
            Some((nov13(), Some(t(6, 42, 0)), Some(0)))
        );
    }

    #[test]
    fn value_leap_second_clamped() {
        assert_eq!(
            value("2016-12-31T23:59:60Z"),
            Some((d(2016, 12, 31), Some(t(23, 59, 59)), Some(0)))
        );
    }

    #[test]
    fn value_trims_whitespace_and_quotes() {
        assert_eq!(value("  \"2019-11-13\"\n"), Some((nov13(), None, None)));
    }

    #[test]
    fn value_invalid_time_keeps_date() {
        assert_eq!(value("2019-11-13T25:00:00Z"), Some((nov13(), None, None)));
    }

    #[test]
    fn value_invalid_offset_drops_offset() {
        assert_eq!(
            value("2019-11-13T06:42:00+99:00"),
            Some((nov13(), Some(t(6, 42, 0)), None))
        );
    }

    // --- parse_date_value: digits ----------------------------------------

    #[test]
    fn value_compact_date() {
        assert_eq!(value("20191113"), Some((nov13(), None, None)));
    }

    #[test]
    fn value_compact_minutes() {
        assert_eq!(
            value("201911130642"),
            Some((nov13(), Some(t(6, 42, 0)), None))
        );
    }

    #[test]
    fn value_compact_seconds() {
        assert_eq!(
            value("20191113064201"),
            Some((nov13(), Some(t(6, 42, 1)), None))
        );
    }

    #[test]
    fn value_epoch_seconds() {
        assert_eq!(
            value("1573627320"),
            Some((nov13(), Some(t(6, 42, 0)), Some(0)))
        );
    }

    #[test]
    fn value_epoch_nine_digit_seconds() {
        // 1987 is a nine-digit epoch.
        assert_eq!(
            value("542764800"),
            Some((d(1987, 3, 15), Some(t(0, 0, 0)), Some(0)))
        );
    }

    #[test]
    fn value_epoch_millis() {
        assert_eq!(
            value("1573627320000"),
            Some((nov13(), Some(t(6, 42, 0)), Some(0)))
        );
    }

    #[test]
    fn value_epoch_fractional_seconds() {
        assert_eq!(
            value("1573627320.5"),
            Some((nov13(), Some(t(6, 42, 0)), Some(0)))
        );
    }

    #[test]
    fn value_rejects_zero_epoch_and_odd_lengths() {
        assert_eq!(value("0000000000"), None);
        assert_eq!(value("2019"), None);
        assert_eq!(value("1234567"), None);
        assert_eq!(value("123456789012345"), None);
    }

    #[test]
    fn value_rejects_invalid_compact_date() {
        assert_eq!(value("20191340"), None);
    }

    // --- parse_date_value: other textual values ---------------------------

    #[test]
    fn value_rfc2822_gmt() {
        assert_eq!(
            value("Wed, 13 Nov 2019 06:42:00 GMT"),
            Some((nov13(), Some(t(6, 42, 0)), Some(0)))
        );
    }

    #[test]
    fn value_rfc2822_numeric_offset() {
        assert_eq!(
            value("Wed, 13 Nov 2019 06:42:00 +0100"),
            Some((nov13(), Some(t(6, 42, 0)), Some(H)))
        );
    }

    #[test]
    fn value_javascript_date_string() {
        assert_eq!(
            value("Wed Nov 13 2019 06:42:00 GMT+0000 (Coordinated Universal Time)"),
            Some((nov13(), Some(t(6, 42, 0)), Some(0)))
        );
    }

    #[test]
    fn value_java_date_string() {
        assert_eq!(
            value("Wed Nov 13 06:42:00 EST 2019"),
            Some((nov13(), Some(t(6, 42, 0)), Some(-5 * H)))
        );
    }

    #[test]
    fn value_asctime() {
        assert_eq!(
            value("Wed Nov 13 06:42:00 2019"),
            Some((nov13(), Some(t(6, 42, 0)), None))
        );
    }

    #[test]
    fn value_us_slash_date_with_time() {
        assert_eq!(
            value("11/13/2019 06:42:00"),
            Some((nov13(), Some(t(6, 42, 0)), None))
        );
    }

    #[test]
    fn value_falls_back_to_text() {
        assert_eq!(value("November 13, 2019"), Some((nov13(), None, None)));
    }

    #[test]
    fn value_with_forced_order() {
        let p = parse_date_value_with("05/08/2014 07:01:00", DateOrder::MonthFirst).unwrap();
        assert_eq!(p.date, d(2014, 5, 8));
    }

    #[test]
    fn value_rejects_garbage() {
        for s in [
            "",
            "   ",
            "false",
            "PT0H3M42S",
            "PDT08:05:41-07:00",
            "https://www.example.com/news",
            "2019-11",
            "99/99/9999",
        ] {
            assert_eq!(value(s), None, "{s:?}");
        }
    }

    #[test]
    fn value_rejects_impossible_and_out_of_range() {
        assert_eq!(value("2019-02-30"), None);
        assert_eq!(value("2019-13-01"), None);
        assert_eq!(value("1851-09-18"), None);
        assert_eq!(value("2101-01-01T00:00:00Z"), None);
        assert_eq!(value("4133980800"), None); // 2101-01-01 as an epoch
    }

    // --- parse_text_date: formats ------------------------------------------

    #[test]
    fn text_weekday_abbrev_with_dash_time() {
        assert_eq!(
            text("Wed, Nov 13, 2019 - 6:42 AM"),
            Some((nov13(), Some(t(6, 42, 0)), None))
        );
    }

    #[test]
    fn text_full_weekday_and_month() {
        assert_eq!(
            text("Wednesday, November 13, 2019"),
            Some((nov13(), None, None))
        );
    }

    #[test]
    fn text_day_month_year() {
        assert_eq!(text_date("13 November 2019"), Some(nov13()));
    }

    #[test]
    fn text_at_time_pm_with_zone() {
        assert_eq!(
            text("November 13, 2019 at 6:42 pm EST"),
            Some((nov13(), Some(t(18, 42, 0)), Some(-5 * H)))
        );
    }

    #[test]
    fn text_abbreviation_with_period() {
        assert_eq!(text_date("Nov. 13, 2019"), Some(nov13()));
        assert_eq!(text_date("Sept. 3, 2019"), Some(d(2019, 9, 3)));
    }

    #[test]
    fn text_upper_case_month() {
        assert_eq!(text_date("NOV. 13, 2019"), Some(nov13()));
    }

    #[test]
    fn text_ordinal_day() {
        assert_eq!(text_date("March 12th, 2019"), Some(d(2019, 3, 12)));
        assert_eq!(text_date("the 13th of November, 2019"), Some(nov13()));
    }

    #[test]
    fn text_day_month_comma_year() {
        assert_eq!(text_date("12 Dec, 2019"), Some(d(2019, 12, 12)));
    }

    #[test]
    fn text_dashed_month_abbrev() {
        assert_eq!(text_date("13-Nov-2019"), Some(nov13()));
    }

    #[test]
    fn text_day_month_time_gmt() {
        assert_eq!(
            text("13 Nov 2019 06:42 GMT"),
            Some((nov13(), Some(t(6, 42, 0)), Some(0)))
        );
    }

    #[test]
    fn text_compact_pm_after_comma() {
        assert_eq!(
            text("13 Nov 2019, 9:30pm"),
            Some((nov13(), Some(t(21, 30, 0)), None))
        );
    }

    #[test]
    fn text_dotted_time_needs_am_pm() {
        assert_eq!(
            text("Nov 13, 2019 6.42pm"),
            Some((nov13(), Some(t(18, 42, 0)), None))
        );
        assert_eq!(
            text("13 Nov 2019 12.50 million shares"),
            Some((nov13(), None, None))
        );
    }

    #[test]
    fn text_bare_hour_needs_am_pm() {
        assert_eq!(
            text("Nov 13, 2019 6 PM PDT"),
            Some((nov13(), Some(t(18, 0, 0)), Some(-7 * H)))
        );
        assert_eq!(text("Nov 13, 2019, 24 people"), Some((nov13(), None, None)));
    }

    #[test]
    fn text_noon_and_midnight_am_pm() {
        assert_eq!(
            text("Nov 13, 2019 12:05 AM").and_then(|p| p.1),
            Some(t(0, 5, 0))
        );
        assert_eq!(
            text("Nov 13, 2019 12:05 p.m.").and_then(|p| p.1),
            Some(t(12, 5, 0))
        );
    }

    #[test]
    fn text_invalid_time_keeps_date() {
        assert_eq!(text("13 Nov 2019 25:61"), Some((nov13(), None, None)));
        assert_eq!(text("13 Nov 2019 13:00 PM"), Some((nov13(), None, None)));
    }

    #[test]
    fn text_time_before_date() {
        assert_eq!(
            text("Updated 6:42 PM ET, Wed November 13, 2019"),
            Some((nov13(), Some(t(18, 42, 0)), Some(-5 * H)))
        );
        assert_eq!(
            text("17:00, 13 November 2019"),
            Some((nov13(), Some(t(17, 0, 0)), None))
        );
    }

    #[test]
    fn text_number_before_date_is_not_a_time() {
        assert_eq!(
            text("Page 3 November 13, 2019"),
            Some((nov13(), None, None))
        );
    }

    #[test]
    fn text_zone_abbreviations() {
        let off = |s: &str| parse_text_date(s).and_then(|p| p.offset_secs);
        assert_eq!(off("13 Nov 2019 06:42 UTC"), Some(0));
        assert_eq!(off("13 Nov 2019 06:42 BST"), Some(H));
        assert_eq!(off("13 Nov 2019 06:42 CET"), Some(H));
        assert_eq!(off("13 Nov 2019 06:42 CEST"), Some(2 * H));
        assert_eq!(off("13 Nov 2019 06:42 EDT"), Some(-4 * H));
        assert_eq!(off("13 Nov 2019 06:42 CST"), Some(-6 * H));
        assert_eq!(off("13 Nov 2019 06:42 CDT"), Some(-5 * H));
        assert_eq!(off("13 Nov 2019 06:42 PST"), Some(-8 * H));
        assert_eq!(off("13 Nov 2019 06:42 IST"), Some(5 * H + 1800));
        assert_eq!(off("13 Nov 2019 06:42 JST"), Some(9 * H));
        assert_eq!(off("13 Nov 2019 06:42 AEST"), Some(10 * H));
        assert_eq!(off("13 Nov 2019 06:42 (AEDT)"), Some(11 * H));
    }

    #[test]
    fn text_unknown_zone_is_ignored() {
        assert_eq!(
            text("13 Nov 2019 06:42 CNN"),
            Some((nov13(), Some(t(6, 42, 0)), None))
        );
        // An upper-case word merely starting like a zone is not a zone.
        assert_eq!(
            text("13 Nov 2019 06:42 ESTONIA"),
            Some((nov13(), Some(t(6, 42, 0)), None))
        );
    }

    #[test]
    fn text_numeric_zone_offsets() {
        let off = |s: &str| parse_text_date(s).and_then(|p| p.offset_secs);
        assert_eq!(off("13 Nov 2019 06:42 UTC+5:30"), Some(5 * H + 1800));
        assert_eq!(off("13 Nov 2019 06:42 GMT-4"), Some(-4 * H));
        assert_eq!(off("13 Nov 2019 06:42 +0100"), Some(H));
        assert_eq!(off("13 Nov 2019 06:42 −03:00"), Some(-3 * H));
    }

    #[test]
    fn text_us_generic_zone_follows_daylight_saving() {
        let off = |s: &str| parse_text_date(s).and_then(|p| p.offset_secs);
        assert_eq!(off("July 4, 2019 6:42 PM ET"), Some(-4 * H));
        assert_eq!(off("Nov 13, 2019 6:42 PM ET"), Some(-5 * H));
        // 2019 switch-over: March 10 and November 3.
        assert_eq!(off("March 9, 2019 6:42 PM PT"), Some(-8 * H));
        assert_eq!(off("March 10, 2019 6:42 PM PT"), Some(-7 * H));
        assert_eq!(off("Nov 3, 2019 6:42 PM CT"), Some(-6 * H));
        // Pre-2007 rule: first Sunday of April.
        assert_eq!(off("March 20, 1987 6:42 PM ET"), Some(-5 * H));
        assert_eq!(off("April 6, 1987 6:42 PM ET"), Some(-4 * H));
    }

    #[test]
    fn text_prefixes_are_skipped() {
        assert_eq!(text_date("Updated: Nov. 13, 2019"), Some(nov13()));
        assert_eq!(text_date("Published: 13/11/2019"), Some(nov13()));
        assert_eq!(
            text_date("Posted on Wednesday 13 November 2019"),
            Some(nov13())
        );
    }

    #[test]
    fn text_first_date_wins() {
        assert_eq!(
            text_date("Published: Nov. 13, 2019. Updated: Nov. 14, 2019"),
            Some(nov13())
        );
        assert_eq!(
            text_date("Updated 14/11/2019 - first published November 13, 2019"),
            Some(d(2019, 11, 14))
        );
    }

    #[test]
    fn text_dateline_with_year() {
        assert_eq!(
            text_date("PARIS, March 12, 1987 - Shares"),
            Some(d(1987, 3, 12))
        );
    }

    #[test]
    fn text_iso_date() {
        assert_eq!(text_date("Date: 2019-11-13"), Some(nov13()));
    }

    #[test]
    fn text_iso_with_time() {
        assert_eq!(
            text("posted 2019-11-13T06:42:00Z by x"),
            Some((nov13(), Some(t(6, 42, 0)), Some(0)))
        );
        assert_eq!(
            text("2019/11/13 06:42"),
            Some((nov13(), Some(t(6, 42, 0)), None))
        );
    }

    #[test]
    fn text_year_first_slash_and_dot() {
        assert_eq!(text_date("2019/11/13"), Some(nov13()));
        assert_eq!(text_date("2019.11.13"), Some(nov13()));
    }

    #[test]
    fn text_dotted_two_digit_year() {
        assert_eq!(
            text_date("Von: Björn Jahner | 31.10.23"),
            Some(d(2023, 10, 31))
        );
        assert_eq!(text_date("Party, 30.10.23"), Some(d(2023, 10, 30)));
        assert_eq!(text_date("10.12.99"), Some(d(1999, 12, 10)));
        // Longer numbers and versions are not dates.
        assert_eq!(text_date("Version 10.12.19.3"), None);
        assert_eq!(text_date("28.01.2022"), Some(d(2022, 1, 28)));
    }

    #[test]
    fn all_dates_of_a_line() {
        assert_eq!(
            text_dates(
                "Letzte Änderung: 31.10.2023 - 14:49:39 Erschienen am: 01.11.2023",
                DateOrder::DayFirst
            ),
            vec![d(2023, 10, 31), d(2023, 11, 1)]
        );
    }

    #[test]
    fn revision_and_publication_labels_in_many_languages() {
        for line in [
            "Updated June 13, 2019",
            "Aktualisiert am 13.06.2019",
            "Mis à jour le 13 juin 2019",
            "Actualizado el 13 de junio de 2019",
            "Aggiornato il 13 giugno 2019",
            "Zaktualizowano 13.06.2019",
            "Обновлено 13.06.2019",
            "更新 2019年6月13日",
        ] {
            assert!(is_revision_line(line), "{line}");
            assert_eq!(published_in_line(line, DateOrder::DayFirst), None, "{line}");
        }
        for (line, want) in [
            (
                "Publié le 12 avril 2017, mis à jour le 19 février 2020",
                d(2017, 4, 12),
            ),
            (
                "Aktualisiert: 19.02.2020, veröffentlicht: 12.04.2017",
                d(2017, 4, 12),
            ),
            (
                "Опубликовано 12.04.2017, обновлено 19.02.2020",
                d(2017, 4, 12),
            ),
            ("12 April 2017", d(2017, 4, 12)),
        ] {
            assert_eq!(
                published_in_line(line, DateOrder::DayFirst).map(|p| p.date),
                Some(want),
                "{line}"
            );
        }
    }

    #[test]
    fn text_dotted_numeric() {
        assert_eq!(text_date("13.11.2019"), Some(nov13()));
        assert_eq!(text_date("13. 11. 2019"), Some(nov13()));
    }

    #[test]
    fn captions_in_many_languages() {
        for line in [
            "Abbildung: Ausschnitt eines Satellitenbildes vom 31.05.2021",
            "Abb. 3: Schneehöhen am 2. Februar 2022",
            "Figure 2: The glacier on 3 May 2019",
            "(Photo: Jane Doe, 15.01.2022)",
            "Foto: Rodrigo Pérez, 4 de mayo de 2022",
            "Рис. 1: Карта на 1 марта 2020 года",
            "Kuva: Ilmakuva 12.3.2020",
            "图1：2019年10月16日的卫星图像",
        ] {
            assert!(is_caption(line), "{line}");
        }
        for line in [
            "Fotograf Max Muster traf die Ministerin am 3. Mai 2022",
            "Bildung ist Ländersache: 12.01.2022",
            "Figures released on 3 May 2019 show growth",
            "Veröffentlicht am 12.01.2022",
        ] {
            assert!(!is_caption(line), "{line}");
        }
    }

    #[test]
    fn four_digit_year_glued_to_its_time() {
        // A date and its time in adjacent elements come out of the page glued.
        assert_eq!(
            text("3 de mayo de 202221:25"),
            Some((d(2022, 5, 3), Some(t(21, 25, 0)), None))
        );
        assert_eq!(
            text("May 3, 20229:05"),
            Some((d(2022, 5, 3), Some(t(9, 5, 0)), None))
        );
        assert_eq!(
            text("03.05.202221:25"),
            Some((d(2022, 5, 3), Some(t(21, 25, 0)), None))
        );
        // A longer number is still no year.
        assert_eq!(text_date("3 de mayo de 20221"), None);
        assert_eq!(text_date("03.05.20221"), None);
        // The two-digit year rule stands: "28.09.19" + "12:44" is 2019.
        assert_eq!(text_date("28.09.1912:44"), Some(d(2019, 9, 28)));
    }

    #[test]
    fn text_barred_numeric() {
        // Day, month and year styled as separate boxes, set apart by bars.
        assert_eq!(text_date("13 | 11 | 2019"), Some(nov13()));
        assert_eq!(text_date("Publié le 05 | 08 | 2019"), Some(d(2019, 8, 5)));
        // Mixed separators and bars between other numbers are not dates.
        assert_eq!(text_date("13 | 11.2019"), None);
        assert_eq!(text_date("Seite 3 | 4 | 20"), None);
    }

    #[test]
    fn text_dotted_numeric_with_uhr() {
        assert_eq!(
            text("Stand: 13.11.2019, 15.30 Uhr"),
            Some((nov13(), Some(t(15, 30, 0)), None))
        );
    }

    #[test]
    fn text_slashed_numeric() {
        assert_eq!(text_date("13/11/2019"), Some(nov13()));
    }

    #[test]
    fn text_dashed_numeric() {
        assert_eq!(text_date("13-11-2019"), Some(nov13()));
    }

    #[test]
    fn text_cjk() {
        assert_eq!(
            text("发布时间：2019年11月13日 06:42"),
            Some((nov13(), Some(t(6, 42, 0)), None))
        );
        assert_eq!(text_date("2019년 11월 13일"), Some(nov13()));
    }

    // --- parse_text_date: languages -----------------------------------------

    #[test]
    fn text_french() {
        assert_eq!(text_date("13 novembre 2019"), Some(nov13()));
        assert_eq!(text_date("le 13 déc. 2019"), Some(d(2019, 12, 13)));
        assert_eq!(text_date("13 AOÛT 2019"), Some(d(2019, 8, 13)));
        assert_eq!(
            text("1er novembre 2019 à 12h30"),
            Some((d(2019, 11, 1), Some(t(12, 30, 0)), None))
        );
        assert_eq!(
            text("9 mars 2019 à 12:30"),
            Some((d(2019, 3, 9), Some(t(12, 30, 0)), None))
        );
    }

    #[test]
    fn text_german() {
        assert_eq!(text_date("13. November 2019"), Some(nov13()));
        assert_eq!(text_date("13. März 2019"), Some(d(2019, 3, 13)));
        assert_eq!(text_date("13. Dezember 2019"), Some(d(2019, 12, 13)));
        assert_eq!(
            text("Mittwoch, 13. November 2019, um 15:30 Uhr"),
            Some((nov13(), Some(t(15, 30, 0)), None))
        );
    }

    #[test]
    fn text_spanish() {
        assert_eq!(text_date("13 de noviembre de 2019"), Some(nov13()));
        assert_eq!(text_date("13 de noviembre del 2019"), Some(nov13()));
        assert_eq!(
            text("9 de diciembre de 2019 a las 9:30"),
            Some((d(2019, 12, 9), Some(t(9, 30, 0)), None))
        );
    }

    #[test]
    fn text_italian() {
        assert_eq!(text_date("13 novembre 2019"), Some(nov13()));
        assert_eq!(text_date("5 giugno 2019"), Some(d(2019, 6, 5)));
        assert_eq!(
            text("13 ottobre 2019 alle ore 15:30"),
            Some((d(2019, 10, 13), Some(t(15, 30, 0)), None))
        );
    }

    #[test]
    fn text_portuguese() {
        assert_eq!(text_date("13 de novembro de 2019"), Some(nov13()));
        assert_eq!(text_date("13 de março de 2019"), Some(d(2019, 3, 13)));
        assert_eq!(
            text("13 de outubro de 2019, às 9h30"),
            Some((d(2019, 10, 13), Some(t(9, 30, 0)), None))
        );
    }

    #[test]
    fn text_dutch() {
        assert_eq!(text_date("13 november 2019"), Some(nov13()));
        assert_eq!(text_date("13 maart 2019"), Some(d(2019, 3, 13)));
        assert_eq!(
            text("13 mei 2019 om 15.30 uur"),
            Some((d(2019, 5, 13), Some(t(15, 30, 0)), None))
        );
    }

    // --- parse_text_date: numeric ambiguity -----------------------------------

    #[test]
    fn ambiguous_defaults_to_day_first() {
        assert_eq!(text_date("05/08/2014"), Some(d(2014, 8, 5)));
    }

    #[test]
    fn first_field_over_12_is_day() {
        assert_eq!(text_date("13/11/2019"), Some(nov13()));
    }

    #[test]
    fn second_field_over_12_is_day() {
        assert_eq!(text_date("11/13/2019"), Some(nov13()));
        assert_eq!(text_date("11.13.2019"), Some(nov13()));
    }

    #[test]
    fn us_zone_makes_ambiguous_month_first() {
        assert_eq!(text_date("05/08/2014 6:42 PM EDT"), Some(d(2014, 5, 8)));
    }

    #[test]
    fn us_month_name_context_makes_ambiguous_month_first() {
        assert_eq!(
            text_date("05/08/2014 — updated May 9, 2014"),
            Some(d(2014, 5, 8))
        );
    }

    #[test]
    fn dotted_ambiguous_is_always_day_first() {
        assert_eq!(text_date("05.08.2014 6:42 PM EDT"), Some(d(2014, 8, 5)));
    }

    #[test]
    fn explicit_order_overrides() {
        let with = |s: &str, o| parse_text_date_with(s, o).map(|p| p.date);
        assert_eq!(
            with("05/08/2014", DateOrder::MonthFirst),
            Some(d(2014, 5, 8))
        );
        assert_eq!(
            with("05/08/2014 EDT", DateOrder::DayFirst),
            Some(d(2014, 8, 5))
        );
        // A field over 12 still decides.
        assert_eq!(with("13/11/2019", DateOrder::MonthFirst), Some(nov13()));
    }

    // --- parse_text_date: rejections --------------------------------------------

    #[test]
    fn rejects_both_fields_over_12() {
        assert_eq!(text_date("13/13/2019"), None);
        assert_eq!(text_date("99/99/9999"), None);
    }

    #[test]
    fn rejects_impossible_dates() {
        assert_eq!(text_date("2019-02-30"), None);
        assert_eq!(text_date("February 30, 2019"), None);
        assert_eq!(text_date("31/04/2019"), None);
        assert_eq!(text_date("0 November 2019"), None);
        assert_eq!(text_date("2019-00-10"), None);
    }

    #[test]
    fn accepts_leap_day_only_in_leap_years() {
        assert_eq!(text_date("29 February 2020"), Some(d(2020, 2, 29)));
        assert_eq!(text_date("29 February 2019"), None);
    }

    #[test]
    fn rejects_years_out_of_range() {
        assert_eq!(text_date("13 November 1899"), None);
        assert_eq!(text_date("13 November 2101"), None);
        assert_eq!(text_date("1899-11-13"), None);
        assert_eq!(text_date("13.11.2101"), None);
        assert_eq!(text_date("13 November 1900"), Some(d(1900, 11, 13)));
        assert_eq!(text_date("13 November 2100"), Some(d(2100, 11, 13)));
    }

    #[test]
    fn a_short_date_glued_to_its_time_is_not_a_year_of_the_1900s() {
        // Adjacent elements ("<span>28.09.19</span><span>12:44</span>") join without a space.
        assert_eq!(
            text("macbacchi 28.09.1912:44 hallo"),
            Some((d(2019, 9, 28), Some(t(12, 44, 0)), None))
        );
        assert_eq!(text_date("Posted 03.02.219:05"), Some(d(2021, 2, 3)));
        // A full year stays a full year, with or without a time after a space.
        assert_eq!(text_date("28.09.1912 12:44"), Some(d(1912, 9, 28)));
        assert_eq!(text_date("13.11.2019"), Some(nov13()));
        assert_eq!(text_date("v. 13.11.19123"), None);
    }

    #[test]
    fn two_digit_years_only_in_dotted_dates() {
        assert_eq!(text_date("13.11.19"), Some(nov13()));
        assert_eq!(text_date("Nov 13, '19"), None);
        assert_eq!(text_date("13/11/19"), None);
    }

    #[test]
    fn rejects_yearless_and_month_year() {
        assert_eq!(text_date("November 13"), None);
        assert_eq!(text_date("November 2019"), None);
    }

    #[test]
    fn rejects_numbers_glued_to_other_digits() {
        assert_eq!(text_date("123/11/2019"), None);
        assert_eq!(text_date("13/11/20190"), None);
        assert_eq!(text_date("2019-11-130"), None);
        assert_eq!(text_date("12019-11-13"), None);
        assert_eq!(text_date("November 13, 20190"), None);
        assert_eq!(text_date("113 November 2019"), None);
    }

    #[test]
    fn rejects_version_like_numbers() {
        assert_eq!(text_date("v1.13.11.2019"), None);
        assert_eq!(text_date("build13.11.2019"), None);
        assert_eq!(text_date("13.11.2019.4"), None);
    }

    #[test]
    fn rejects_mixed_separators() {
        assert_eq!(text_date("13/11-2019"), None);
        assert_eq!(text_date("2019-11/13"), None);
    }

    #[test]
    fn month_name_must_start_a_word() {
        assert_eq!(text_date("Renov 13, 2019"), None);
    }

    #[test]
    fn skips_invalid_candidate_for_later_valid_one() {
        assert_eq!(text_date("31/02/2019 or rather 13/11/2019"), Some(nov13()));
        assert_eq!(text_date("1850-01-01 then Nov 13, 2019"), Some(nov13()));
    }

    #[test]
    fn no_panic_on_odd_input() {
        let long_digits = "1/1/1111 ".repeat(20_000);
        let long_text = "é日 ".repeat(20_000) + "13 Nov 2019";
        let cases = [
            "",
            " ",
            "0",
            "99/99/9999",
            "2019-02-30",
            "日本語のテキスト",
            "ÄÖÜ 13. März 2019 ß",
            "\u{0}\u{ffff}",
            "9999999999999999999999999999",
            "13 Nov 2019 99:99:99 GMT+99:99",
            "Nov 13 99:99:99 ZZZZZ 2019",
            "𝟏𝟑/𝟏𝟏/𝟐𝟎𝟏𝟗",
            "١٣/١١/٢٠١٩",
            long_digits.as_str(),
            long_text.as_str(),
        ];
        for s in cases {
            let _ = parse_text_date(s);
            let _ = parse_date_value(s);
            let _ = date_from_url(s);
            let _ = yearless_dateline(s);
        }
        assert_eq!(text_date(&long_text), Some(nov13()));
    }

    #[test]
    fn text_without_digits_is_none() {
        assert_eq!(text_date("Wednesday, November the thirteenth"), None);
    }

    // --- date_from_url -------------------------------------------------------------

    #[test]
    fn url_slashed_date() {
        assert_eq!(
            date_from_url("https://www.example.com/2019/11/13/world/story.html"),
            Some(nov13())
        );
    }

    #[test]
    fn url_single_digit_fields() {
        assert_eq!(
            date_from_url("https://example.com/2019/1/5/18169834/slug"),
            Some(d(2019, 1, 5))
        );
    }

    #[test]
    fn url_dashed_date() {
        assert_eq!(
            date_from_url("https://example.com/news/2019-11-13/story"),
            Some(nov13())
        );
        assert_eq!(
            date_from_url("https://example.com/news/story-2019-11-13.html"),
            Some(nov13())
        );
    }

    #[test]
    fn url_compact_date_segment() {
        assert_eq!(
            date_from_url("https://example.com/news/20191113/story"),
            Some(nov13())
        );
    }

    #[test]
    fn url_compact_date_in_slug() {
        assert_eq!(
            date_from_url("https://example.com/story-20191113-slug.html"),
            Some(nov13())
        );
        assert_eq!(
            date_from_url("https://example.com/hidden-heroes-20191113/"),
            Some(nov13())
        );
    }

    #[test]
    fn url_month_name() {
        assert_eq!(
            date_from_url("https://www.example.co.uk/world/2019/nov/13/story"),
            Some(nov13())
        );
    }

    #[test]
    fn url_date_in_query() {
        assert_eq!(
            date_from_url("http://example.jp/hl?a=20191113-35097838-sci"),
            Some(nov13())
        );
    }

    #[test]
    fn url_without_scheme() {
        assert_eq!(
            date_from_url("/companies/19870306/story.html"),
            Some(d(1987, 3, 6))
        );
        assert_eq!(
            date_from_url("example.net/companies/1987/03/23/story/index.html"),
            Some(d(1987, 3, 23))
        );
    }

    #[test]
    fn url_first_date_wins() {
        assert_eq!(
            date_from_url("https://example.com/2017-in-review/2017/12/15/16751138/slug"),
            Some(d(2017, 12, 15))
        );
    }

    #[test]
    fn url_rejects_numeric_ids() {
        assert_eq!(
            date_from_url("https://example.com/article/123456789/"),
            None
        );
        assert_eq!(date_from_url("https://example.com/23752959/slug"), None);
        assert_eq!(
            date_from_url("https://example.com/story-1201911134.html"),
            None
        );
        assert_eq!(date_from_url("https://example.com/a20191113/"), None);
    }

    #[test]
    fn url_rejects_impossible_dates() {
        assert_eq!(date_from_url("https://example.com/2019/13/45/x"), None);
        assert_eq!(date_from_url("https://example.com/2019/02/30/x"), None);
        assert_eq!(date_from_url("https://example.com/20191340/x"), None);
        assert_eq!(date_from_url("https://example.com/1850/01/01/x"), None);
    }

    #[test]
    fn url_rejects_mixed_separators() {
        assert_eq!(date_from_url("https://example.com/2019/11-13/x"), None);
    }

    #[test]
    fn url_ignores_host_and_fragment() {
        assert_eq!(date_from_url("https://news20191113.example.com/x"), None);
        assert_eq!(date_from_url("https://example.com/x#2019/11/13"), None);
    }

    #[test]
    fn url_year_month_only_is_none() {
        let u = "https://example.org/2015/03/this-api-is-so-fetching/";
        assert_eq!(date_from_url(u), None);
        assert_eq!(year_month_from_url(u), Some((2015, 3)));
        assert_eq!(
            year_month_from_url("https://example.com/2019/11/13/x"),
            Some((2019, 11))
        );
        assert_eq!(year_month_from_url("https://example.com/2019/13/x"), None);
    }

    #[test]
    fn url_empty_and_short() {
        assert_eq!(date_from_url(""), None);
        assert_eq!(date_from_url("https://example.com"), None);
        assert_eq!(date_from_url("/2019/"), None);
    }

    // --- yearless_dateline --------------------------------------------------------

    #[test]
    fn dateline_reuters() {
        assert_eq!(
            yearless_dateline("ROME, Dec 6 (Reuters) - Italy said"),
            Some((12, 6))
        );
    }

    #[test]
    fn dateline_plain_dash() {
        assert_eq!(
            yearless_dateline("LONDON, Aug 26 - Shares fell"),
            Some((8, 26))
        );
        assert_eq!(yearless_dateline("NEW YORK, March 3 - x"), Some((3, 3)));
    }

    #[test]
    fn dateline_agency_before_date() {
        assert_eq!(
            yearless_dateline("WASHINGTON (AP) — Nov. 3 — x"),
            Some((11, 3))
        );
    }

    #[test]
    fn dateline_with_state_or_country() {
        assert_eq!(
            yearless_dateline("SAN FRANCISCO, Calif., Nov. 3 (AP) — x"),
            Some((11, 3))
        );
        assert_eq!(
            yearless_dateline("CATANIA, SICILY, Aug 29 (Reuters) - x"),
            Some((8, 29))
        );
        assert_eq!(
            yearless_dateline("CHARLESTON, S.C., Aug 29 - x"),
            Some((8, 29))
        );
    }

    #[test]
    fn dateline_multi_city_and_non_ascii() {
        assert_eq!(
            yearless_dateline("BEIJING/SHANGHAI, Nov 3 (Reuters) -"),
            Some((11, 3))
        );
        assert_eq!(
            yearless_dateline("SÃO PAULO, Nov. 3 (Reuters) -"),
            Some((11, 3))
        );
        assert_eq!(
            yearless_dateline("COEUR D'ALENE, Oct 20 - x"),
            Some((10, 20))
        );
    }

    #[test]
    fn dateline_day_first_languages() {
        assert_eq!(
            yearless_dateline("MADRID, 6 dic (Reuters) - El"),
            Some((12, 6))
        );
        assert_eq!(
            yearless_dateline("BERLIN, 6. Dezember (Reuters) -"),
            Some((12, 6))
        );
    }

    #[test]
    fn dateline_mixed_case_needs_agency() {
        assert_eq!(
            yearless_dateline("Rome, Dec 6 (Reuters) - x"),
            Some((12, 6))
        );
        assert_eq!(yearless_dateline("Rome, Dec 6 - x"), None);
    }

    #[test]
    fn dateline_rejects_sentences_and_missing_dates() {
        assert_eq!(yearless_dateline("In May 5 people died"), None);
        assert_eq!(yearless_dateline("NEW YORK (Reuters) - no date"), None);
        assert_eq!(yearless_dateline("The story, Dec 6 - x"), None);
        assert_eq!(yearless_dateline(""), None);
    }

    #[test]
    fn dateline_must_be_at_start() {
        assert_eq!(yearless_dateline("Shares fell. LONDON, Aug 26 - x"), None);
    }

    #[test]
    fn dateline_rejects_impossible_day() {
        assert_eq!(yearless_dateline("LONDON, Feb 30 - x"), None);
        assert_eq!(yearless_dateline("LONDON, Nov 31 - x"), None);
        assert_eq!(yearless_dateline("LONDON, Feb 29 - x"), Some((2, 29)));
    }

    #[test]
    fn dateline_year_is_not_a_day() {
        assert_eq!(yearless_dateline("LONDON, May 2019 - x"), None);
    }

    // --- resolve_yearless -----------------------------------------------------------

    #[test]
    fn resolve_same_year_before_reference() {
        assert_eq!(resolve_yearless(11, 13, d(2019, 11, 14)), Some(nov13()));
        assert_eq!(resolve_yearless(11, 13, nov13()), Some(nov13()));
    }

    #[test]
    fn resolve_previous_year_across_new_year() {
        assert_eq!(
            resolve_yearless(12, 31, d(2020, 1, 2)),
            Some(d(2019, 12, 31))
        );
    }

    #[test]
    fn resolve_next_year_when_just_after() {
        assert_eq!(resolve_yearless(1, 1, d(2019, 12, 31)), Some(d(2020, 1, 1)));
    }

    #[test]
    fn resolve_prefers_not_after() {
        // From July 1, Dec 25 of the year before (188 days back) beats the
        // coming one (177 days ahead, counted double: 354).
        assert_eq!(
            resolve_yearless(12, 25, d(2019, 7, 1)),
            Some(d(2018, 12, 25))
        );
        assert_eq!(resolve_yearless(1, 2, d(2019, 7, 1)), Some(d(2019, 1, 2)));
    }

    #[test]
    fn resolve_leap_day_finds_leap_year() {
        assert_eq!(resolve_yearless(2, 29, d(2019, 6, 1)), Some(d(2020, 2, 29)));
        assert_eq!(resolve_yearless(2, 29, d(2021, 3, 1)), Some(d(2020, 2, 29)));
    }

    #[test]
    fn resolve_rejects_invalid_month_day() {
        assert_eq!(resolve_yearless(13, 1, nov13()), None);
        assert_eq!(resolve_yearless(0, 1, nov13()), None);
        assert_eq!(resolve_yearless(4, 31, nov13()), None);
        assert_eq!(resolve_yearless(1, 0, nov13()), None);
    }

    #[test]
    fn resolve_stays_in_year_range() {
        assert_eq!(
            resolve_yearless(12, 31, d(1900, 1, 1)),
            Some(d(1900, 12, 31))
        );
        assert_eq!(resolve_yearless(1, 1, d(2100, 12, 31)), Some(d(2100, 1, 1)));
    }

    #[test]
    fn written_dates_in_many_languages() {
        let cases = [
            ("Published 16 October 2019", "2019-10-16"),
            ("Veröffentlicht am 16. Oktober 2019", "2019-10-16"),
            ("Publié le 16 octobre 2019 à 10h30", "2019-10-16"),
            ("Publicado el 16 de octubre de 2019", "2019-10-16"),
            ("Pubblicato il 16 ottobre 2019", "2019-10-16"),
            ("Publicado em 16 de outubro de 2019", "2019-10-16"),
            ("Gepubliceerd op 16 oktober 2019", "2019-10-16"),
            ("Opublikowano 16 października 2019", "2019-10-16"),
            ("Publikováno 16. října 2019", "2019-10-16"),
            ("Опубликовано 16 октября 2019 г.", "2019-10-16"),
            ("Опубліковано 16 жовтня 2019 року", "2019-10-16"),
            ("Yayınlanma: 16 Ekim 2019", "2019-10-16"),
            ("Publicerad 16 oktober 2019", "2019-10-16"),
            ("Udgivet 16. oktober 2019", "2019-10-16"),
            ("Publisert 16. desember 2019", "2019-12-16"),
            ("Julkaistu 16. lokakuuta 2019", "2019-10-16"),
            ("Megjelent: 2019. október 16.", "2019-10-16"),
            ("Publicat 16 octombrie 2019", "2019-10-16"),
            ("Δημοσιεύθηκε 16 Οκτωβρίου 2019", "2019-10-16"),
            ("Diterbitkan 16 Agustus 2019", "2019-08-16"),
            ("Ngày 16 tháng 10 năm 2019", "2019-10-16"),
            ("发布时间：2019年10月16日", "2019-10-16"),
            ("公開日 2019年10月16日", "2019-10-16"),
            ("입력 2019. 10. 16. 오후 3:00", "2019-10-16"),
            ("نشر في 16 أكتوبر 2019", "2019-10-16"),
            ("نشر في ١٦ أكتوبر ٢٠١٩", "2019-10-16"),
            ("16 تشرين الأول 2019", "2019-10-16"),
        ];
        for (text, want) in cases {
            let got = parse_text_date(text).map(|d| d.date.to_string());
            assert_eq!(got.as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn relative_dates_need_and_use_the_capture_time() {
        let at = d(2023, 11, 8).and_hms_opt(9, 0, 0).map(|t| t.and_utc());
        let cases = [
            ("2 hours ago", "2023-11-08"),
            ("vor 10 Stunden", "2023-11-07"),
            ("il y a 3 jours", "2023-11-05"),
            ("hace 1 semana", "2023-11-01"),
            ("Gestern, 18:30 Uhr", "2023-11-07"),
            ("вчера в 14:05", "2023-11-07"),
            ("3 dni temu", "2023-11-05"),
            ("3小时前", "2023-11-08"),
            ("Today 08:15", "2023-11-08"),
        ];
        for (text, want) in cases {
            let got = parse_relative_date(text, at).map(|d| d.to_string());
            assert_eq!(got.as_deref(), Some(want), "{text}");
        }
        assert_eq!(parse_relative_date("2 hours ago", None), None);
        assert_eq!(parse_relative_date("The company said on Monday", at), None);
    }

    #[test]
    fn month_table_resolves_every_name() {
        let (_, bad) = parse_calendar(CALENDAR_DATA);
        assert!(bad.is_empty(), "malformed calendar lines: {bad:?}");
        for (name, m) in &CALENDAR.months {
            assert_eq!(month_number(name), Some(*m), "{name}");
            // Upper case round-trips except for a few Greek letters with two accents.
            if name.to_uppercase().to_lowercase() == *name {
                assert_eq!(month_number(&name.to_uppercase()), Some(*m), "{name}");
            }
        }
        assert_eq!(month_number("Nov."), Some(11));
        // One name, one month, across all languages of the table.
        let mut seen = HashMap::new();
        for (name, m) in &CALENDAR.months {
            if let Some(prev) = seen.insert(name.clone(), *m) {
                assert_eq!(prev, *m, "{name} names two months");
            }
        }
        assert_eq!(month_number("notamonth"), None);
    }

    #[test]
    fn dotted_date_glued_to_the_word_before() {
        let d = |s: &str| published_in_line(s, DateOrder::Auto).map(|d| d.date.to_string());
        assert_eq!(d("Tanja Karrasch3.11.2023").as_deref(), Some("2023-11-03"));
        assert_eq!(d("Erstellt am09.02.2022").as_deref(), Some("2022-02-09"));
        assert_eq!(d("Dodano:28.01.2022").as_deref(), Some("2022-01-28"));
        assert_eq!(d("Publié le24 juillet 2017").as_deref(), Some("2017-07-24"));
        // Still not a piece of a longer number, nor a token in running text.
        assert_eq!(d("Build 13.11.20195"), None);
        assert_eq!(
            d("The firmware build13.11.2019 shipped with the new phones to all customers in Europe."),
            None
        );
    }

    #[test]
    fn url_day_month_year_segment_when_unambiguous() {
        assert_eq!(
            date_from_url("https://example.org/meldungen/29-10-2021"),
            Some(d(2021, 10, 29))
        );
        assert_eq!(
            date_from_url("https://example.org/news/10.29.2021/x"),
            Some(d(2021, 10, 29))
        );
        assert_eq!(date_from_url("https://example.org/news/03-04-2021"), None);
        assert_eq!(date_from_url("https://example.org/item/129-10-2021x"), None);
    }
}

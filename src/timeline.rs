//! When a story was covered: a date histogram of **every** match of a query (not just the
//! shown page), by year, or by month when the matches span a short range. One collector feeds
//! both `gazette search --timeline` (bars for a terminal) and `gazette serve` (the chart
//! above the results and `timeline` in `/api/search`), so the two always agree.
//!
//! Periods come from the `date` fast field (the publication instant in UTC), the field the
//! `--since`/`--until` filters use: clicking a bar filters on exactly the stories it counted.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::Query;
use tantivy::{DateTime, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::search::Results;

/// Matches spanning at most this many months are shown by month, longer spans by year.
pub const MONTHLY_UP_TO_MONTHS: i64 = 36;

/// Month counts kept in a plain array when a segment's dates span at most this many months
/// (any real archive); a bogus far-future date falls back to a hash map.
const DENSE_MONTHS: i64 = 240_000;

/// One bar: the period (`YYYY` or `YYYY-MM`) and the number of matching stories in it.
pub type Bar = (String, u64);

/// Counts matching documents by month of their `date` (documents without a date are left
/// out). See [`bars`] for the periods shown.
pub struct MonthCounts;

/// Per-segment state of [`MonthCounts`].
pub struct SegmentMonthCounts {
    column: Column<DateTime>,
    /// Month index (`year * 12 + month - 1`) of the segment's earliest date.
    base: i64,
    dense: Vec<u64>,
    sparse: HashMap<i64, u64>,
}

impl Collector for MonthCounts {
    type Fruit = HashMap<i64, u64>;
    type Child = SegmentMonthCounts;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentMonthCounts> {
        let column = segment.fast_fields().date("date")?;
        let base = month_of(column.min_value());
        let span = month_of(column.max_value()) - base + 1;
        let dense = if (1..=DENSE_MONTHS).contains(&span) {
            vec![0; span as usize]
        } else {
            Vec::new()
        };
        Ok(SegmentMonthCounts {
            column,
            base,
            dense,
            sparse: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<HashMap<i64, u64>>) -> tantivy::Result<HashMap<i64, u64>> {
        let mut merged = HashMap::new();
        for fruit in fruits {
            for (k, v) in fruit {
                *merged.entry(k).or_insert(0) += v;
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for SegmentMonthCounts {
    type Fruit = HashMap<i64, u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(date) = self.column.first(doc) {
            let month = month_of(date);
            match self.dense.get_mut((month - self.base) as usize) {
                Some(n) if month >= self.base => *n += 1,
                _ => *self.sparse.entry(month).or_insert(0) += 1,
            }
        }
    }

    fn harvest(self) -> HashMap<i64, u64> {
        let mut out = self.sparse;
        for (i, n) in self.dense.into_iter().enumerate() {
            if n > 0 {
                *out.entry(self.base + i as i64).or_insert(0) += n;
            }
        }
        out
    }
}

/// Month index (`year * 12 + month - 1`) of a UTC instant, without a calendar library in the
/// per-document loop (Howard Hinnant's days-to-civil algorithm).
fn month_of(date: DateTime) -> i64 {
    let days = date.into_timestamp_secs().div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    year * 12 + month - 1
}

/// The bars of a month histogram, oldest first with empty periods in between included (a
/// time axis, not a ranking): by month when the matches span at most
/// [`MONTHLY_UP_TO_MONTHS`], else by year.
pub fn bars(months: &HashMap<i64, u64>) -> Vec<Bar> {
    let (Some(&first), Some(&last)) = (months.keys().min(), months.keys().max()) else {
        return Vec::new();
    };
    if last - first < MONTHLY_UP_TO_MONTHS {
        (first..=last)
            .map(|m| {
                let label = format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1);
                (label, months.get(&m).copied().unwrap_or(0))
            })
            .collect()
    } else {
        let mut years: HashMap<i64, u64> = HashMap::new();
        for (m, n) in months {
            *years.entry(m.div_euclid(12)).or_insert(0) += n;
        }
        (first.div_euclid(12)..=last.div_euclid(12))
            .map(|y| (format!("{y:04}"), years.get(&y).copied().unwrap_or(0)))
            .collect()
    }
}

impl crate::search::Searcher {
    /// The month counts of every match of `query` (see [`MonthCounts`]): stories when hits
    /// are collapsed (each story counted once, in the month of the first of its matching
    /// pages met), as totals and facets are; pages otherwise.
    pub fn month_counts(&self, query: &dyn Query) -> tantivy::Result<HashMap<i64, u64>> {
        let searcher = self.reader().searcher();
        if self.collapses() {
            searcher.search(query, &crate::collapse::Stories::new(MonthCounts))
        } else {
            searcher.search(query, &MonthCounts)
        }
    }
}

/// The `--json` object of a search plus its `timeline`: the one JSON shape that both
/// `gazette search --json --timeline` and `/api/search?timeline=1` print.
#[derive(Serialize)]
pub struct WithTimeline<'a> {
    /// Everything `--json` prints.
    #[serde(flatten)]
    pub results: &'a Results,
    /// `[[period, count], …]`, oldest first.
    pub timeline: &'a [Bar],
}

/// The timeline as text bars for a terminal, scaled so the longest bar is `width` cells.
pub fn text(bars: &[Bar], width: usize) -> String {
    let mut out = String::new();
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0);
    if max == 0 {
        return out;
    }
    let label_w = bars.iter().map(|b| b.0.len()).max().unwrap_or(4);
    let count_w = max.to_string().len();
    for (period, n) in bars {
        // Eighth blocks give a finer bar end; any non-zero count shows at least a sliver.
        let eighths = (*n as u128 * width as u128 * 8).div_ceil(max as u128) as usize;
        let mut bar = "█".repeat(eighths / 8);
        let rest = eighths % 8;
        if rest > 0 {
            bar.push(['▏', '▎', '▍', '▌', '▋', '▊', '▉'][rest - 1]);
        }
        let _ = writeln!(out, "{period:<label_w$} {n:>count_w$} {bar}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32) -> DateTime {
        let secs = chrono::NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp();
        DateTime::from_timestamp_secs(secs)
    }

    #[test]
    fn month_of_matches_the_calendar() {
        for (y, m, d) in [
            (1970, 1, 1),
            (1969, 12, 31),
            (1987, 2, 28),
            (1996, 2, 29),
            (2000, 3, 1),
            (2024, 12, 31),
            (1850, 7, 4),
        ] {
            assert_eq!(month_of(at(y, m, d)), i64::from(y) * 12 + i64::from(m) - 1);
        }
    }

    #[test]
    fn short_spans_by_month_with_gaps_filled() {
        let m = |y: i64, mo: i64| y * 12 + mo - 1;
        let counts = HashMap::from([(m(1987, 2), 3), (m(1987, 5), 1)]);
        assert_eq!(
            bars(&counts),
            vec![
                ("1987-02".to_string(), 3),
                ("1987-03".to_string(), 0),
                ("1987-04".to_string(), 0),
                ("1987-05".to_string(), 1)
            ]
        );
    }

    #[test]
    fn long_spans_by_year() {
        let m = |y: i64, mo: i64| y * 12 + mo - 1;
        let counts = HashMap::from([(m(1987, 2), 3), (m(1987, 9), 2), (m(1990, 5), 1)]);
        assert_eq!(
            bars(&counts),
            vec![
                ("1987".to_string(), 5),
                ("1988".to_string(), 0),
                ("1989".to_string(), 0),
                ("1990".to_string(), 1)
            ]
        );
        assert!(bars(&HashMap::new()).is_empty());
    }

    #[test]
    fn text_bars_scale_to_the_width() {
        let out = text(
            &[("1987".into(), 10), ("1988".into(), 0), ("1989".into(), 5)],
            10,
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], format!("1987 10 {}", "█".repeat(10)));
        assert_eq!(lines[1], "1988  0 ");
        assert_eq!(lines[2], format!("1989  5 {}", "█".repeat(5)));
        assert_eq!(text(&[], 10), "");
    }
}

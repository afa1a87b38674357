//! TEMPORARY shim until the dates module lands.
use chrono::{NaiveDate, NaiveTime};
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageDate { pub date: NaiveDate, pub time: Option<NaiveTime>, pub offset_secs: Option<i32> }
impl PageDate {
    pub fn to_utc(&self) -> chrono::DateTime<chrono::Utc> { self.date.and_time(self.time.unwrap_or_default()).and_utc() - chrono::Duration::seconds(self.offset_secs.unwrap_or(0) as i64) }
    pub fn rfc3339(&self) -> Option<String> { self.time.map(|_| self.to_utc().to_rfc3339()) }
}
pub fn parse_date_value(s: &str) -> Option<PageDate> { NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok().map(|date| PageDate{date, time: None, offset_secs: None}) }
pub fn parse_text_date(s: &str) -> Option<PageDate> { for f in ["%a, %b %d, %Y", "%A, %B %d, %Y", "%d %B %Y"] { for end in (8..=s.len().min(40)).rev() { if let Some(p)=s.get(..end) { if let Ok(date)=NaiveDate::parse_from_str(p, f) { return Some(PageDate{date,time:None,offset_secs:None}); } } } } None }
pub fn date_from_url(url: &str) -> Option<NaiveDate> { let p: Vec<&str> = url.split('/').collect(); p.windows(3).find_map(|w| NaiveDate::from_ymd_opt(w[0].parse().ok()?, w[1].parse().ok()?, w[2].parse().ok()?)) }
pub fn yearless_dateline(_s: &str) -> Option<(u32, u32)> { None }
pub fn resolve_yearless(month: u32, day: u32, reference: NaiveDate) -> Option<NaiveDate> { use chrono::Datelike; NaiveDate::from_ymd_opt(reference.year(), month, day) }

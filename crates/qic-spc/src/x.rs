//! Subgroup keys: what goes along the x axis. A number, a calendar date or a label.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date (proleptic Gregorian), stored as days since 1970-01-01.
///
/// Only what charts need: ordering, `YYYY-MM-DD` text, and the year, month and day for axis
/// labels. Convert from another date type through [`Date::from_ymd`].
///
/// ```
/// use qic_spc::Date;
///
/// let d: Date = "2024-02-29".parse()?;
/// assert_eq!(d.ymd(), (2024, 2, 29));
/// assert_eq!(d.to_string(), "2024-02-29");
/// assert!("2023-02-29".parse::<Date>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    days: i32,
}

/// Why a text is not a date.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a real date of the form YYYY-MM-DD or YYYY-MM")]
pub struct DateParseError;

impl Date {
    /// The date of a year, month (1–12) and day (1–31); `None` when there is no such day.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Self> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        if !(-100_000..=100_000).contains(&year) {
            return None;
        }
        Some(Self {
            days: days_from_civil(year, month, day),
        })
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i32 {
        self.days
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days_since_epoch(days: i32) -> Self {
        Self { days }
    }

    /// Year, month (1–12) and day (1–31).
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.days)
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days-from-civil algorithm.
#[allow(clippy::cast_possible_wrap, clippy::cast_sign_loss)]
fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = (y - era * 400) as u32;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe as i32 - 719_468
}

#[allow(clippy::cast_possible_wrap, clippy::cast_sign_loss)]
fn civil_from_days(days: i32) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = (z - era * 146_097) as u32;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe as i32 + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl FromStr for Date {
    type Err = DateParseError;

    /// Reads `YYYY-MM-DD`, or `YYYY-MM` for the first of the month (a month or day may have
    /// one digit).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (year, month, day) = date_parts(s.as_bytes()).ok_or(DateParseError)?;
        Self::from_ymd(year, month, day.unwrap_or(1)).ok_or(DateParseError)
    }
}

/// The year, month and day of a text shaped `YYYY-M[M][-D[D]]` (digits only), whatever the
/// values; `None` for any other shape.
fn date_parts(bytes: &[u8]) -> Option<(i32, u32, Option<u32>)> {
    fn number(digits: &[u8], most: usize) -> Option<u32> {
        if digits.is_empty() || digits.len() > most || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(
            digits
                .iter()
                .fold(0, |acc, &d| acc * 10 + u32::from(d - b'0')),
        )
    }
    let mut parts = bytes.split(|&b| b == b'-');
    let year_digits = parts.next()?;
    if year_digits.len() != 4 {
        return None;
    }
    let year = i32::try_from(number(year_digits, 4)?).ok()?;
    let month = number(parts.next()?, 2)?;
    let day = match parts.next() {
        Some(digits) => Some(number(digits, 2)?),
        None => None,
    };
    if parts.next().is_some() {
        return None;
    }
    Some((year, month, day))
}

impl Date {
    /// Writes `YYYY-MM-DD` into `buffer` for years 0 to 9999 (every date a chart reads from
    /// text), returning the text; `None` for other years (use `Display`).
    pub(crate) fn iso(self, buffer: &mut [u8; 10]) -> Option<&str> {
        let (year, month, day) = self.ymd();
        let year = u32::try_from(year).ok().filter(|y| *y <= 9999)?;
        let digit = |v: u32| b'0' + u8::try_from(v % 10).unwrap_or(0);
        *buffer = [
            digit(year / 1000),
            digit(year / 100),
            digit(year / 10),
            digit(year),
            b'-',
            digit(month / 10),
            digit(month),
            b'-',
            digit(day / 10),
            digit(day),
        ];
        std::str::from_utf8(buffer).ok()
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The key of a subgroup: where a point sits on the x axis.
///
/// Rows with equal keys form one subgroup, and subgroups are ordered by key (numbers and dates
/// in their natural order, labels by their text). With labels the chart shows dots only: the
/// runs analysis is reported but never signals, as in qicharts2.
///
/// In JSON a key is a number, a `"YYYY-MM-DD"` string or any other string (a label); a string
/// that reads as a date is a date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum X {
    /// A number, e.g. a week or a patient sequence number.
    Number(f64),
    /// A calendar date.
    Date(Date),
    /// A label, e.g. a hospital for a funnel-style chart.
    Label(String),
}

/// Which kind of key a series uses; a series may not mix them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum XKind {
    /// Positions 1, 2, 3, … given implicitly (no x supplied).
    Index,
    /// Numbers.
    Number,
    /// Dates.
    Date,
    /// Labels.
    Label,
}

impl X {
    /// The kind of this key.
    pub fn kind(&self) -> XKind {
        match self {
            Self::Number(_) => XKind::Number,
            Self::Date(_) => XKind::Date,
            Self::Label(_) => XKind::Label,
        }
    }

    /// Reads a CSV cell the way `qic chart` does: a number, else a date (`YYYY-MM-DD`, or
    /// `YYYY-MM` for the first of the month), else a label. Returns `Ok(None)` for an empty
    /// cell.
    ///
    /// # Errors
    ///
    /// A cell shaped like a date that is no real date (`2024-13-01`, `2023-02-29`) or a date
    /// written another way (`01/02/2024`, `1.2.2024`): it would otherwise become a label and
    /// quietly turn a time series into dots.
    pub fn parse_cell(cell: &str) -> Result<Option<Self>, DateParseError> {
        let cell = cell.trim();
        if cell.is_empty() {
            return Ok(None);
        }
        if let Ok(v) = cell.parse::<f64>()
            && v.is_finite()
        {
            return Ok(Some(Self::Number(v)));
        }
        if let Some((year, month, day)) = date_parts(cell.as_bytes()) {
            return Date::from_ymd(year, month, day.unwrap_or(1))
                .map(|d| Some(Self::Date(d)))
                .ok_or(DateParseError);
        }
        if looks_like_a_foreign_date(cell.as_bytes()) {
            return Err(DateParseError);
        }
        Ok(Some(Self::Label(cell.to_owned())))
    }

    /// Orders two keys of the same kind (numbers by value, dates by day, labels by text);
    /// keys of different kinds order by kind.
    pub fn total_cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Number(a), Self::Number(b)) => a.total_cmp(b),
            (Self::Date(a), Self::Date(b)) => a.cmp(b),
            (Self::Label(a), Self::Label(b)) => a.cmp(b),
            _ => (self.kind() as u8).cmp(&(other.kind() as u8)),
        }
    }
}

/// Whether a text is a date written in a form qic does not read: `D/M/YYYY`, `M.D.YY`,
/// `YYYY/MM/DD` and the like (digits in three groups split by `/` or `.`, with a year).
fn looks_like_a_foreign_date(bytes: &[u8]) -> bool {
    for separator in [b'/', b'.'] {
        let groups: Vec<&[u8]> = bytes.split(|&b| b == separator).collect();
        if groups.len() == 3
            && groups
                .iter()
                .all(|g| !g.is_empty() && g.len() <= 4 && g.iter().all(u8::is_ascii_digit))
            && groups.iter().any(|g| g.len() >= 2)
            && (groups[0].len() == 4 || groups[2].len() >= 2)
        {
            return true;
        }
    }
    false
}

/// Subgroup keys of one kind in one compact column: a number takes 8 bytes and a date 4,
/// where a column of [`X`] takes 32 a key. Readers that know the kind of their keys (the CSV
/// reader, a caller with dates) build this directly.
///
/// ```
/// use qic_spc::{Chart, ChartType, Date, Keys};
///
/// let months: Vec<Date> = (1..=4).filter_map(|m| Date::from_ymd(2024, m, 1)).collect();
/// let keys = Keys::Dates(months);
/// let chart = Chart::new(ChartType::Run).keys(&keys).values(&[3.0, 4.0, 2.0, 5.0]).compute()?;
/// assert_eq!(chart.point(0).map(|p| p.x.to_string()).as_deref(), Some("2024-01-01"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Keys {
    /// Numbers (NaN is a missing key: its row is dropped and counted).
    Numbers(Vec<f64>),
    /// Calendar dates.
    Dates(Vec<Date>),
    /// Labels.
    Labels(Vec<String>),
}

impl Default for Keys {
    fn default() -> Self {
        Self::Numbers(Vec::new())
    }
}

impl Keys {
    /// The number of keys.
    pub fn len(&self) -> usize {
        match self {
            Self::Numbers(v) => v.len(),
            Self::Dates(v) => v.len(),
            Self::Labels(v) => v.len(),
        }
    }

    /// Whether there is no key.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The kind of the keys.
    pub fn kind(&self) -> XKind {
        match self {
            Self::Numbers(_) => XKind::Number,
            Self::Dates(_) => XKind::Date,
            Self::Labels(_) => XKind::Label,
        }
    }

    /// The key at `index` (from 0).
    pub fn get(&self, index: usize) -> Option<X> {
        match self {
            Self::Numbers(v) => v.get(index).map(|&k| X::Number(k)),
            Self::Dates(v) => v.get(index).map(|&k| X::Date(k)),
            Self::Labels(v) => v.get(index).map(|k| X::Label(k.clone())),
        }
    }

    /// Keys of one kind from a column of [`X`].
    ///
    /// # Errors
    ///
    /// The position (from 0) of the first key whose kind differs from the first key's.
    pub fn from_keys(keys: &[X]) -> Result<Self, usize> {
        let kind = keys.first().map_or(XKind::Number, X::kind);
        let mismatch = |i: usize| i;
        match kind {
            XKind::Date => keys
                .iter()
                .enumerate()
                .map(|(i, k)| match k {
                    X::Date(d) => Ok(*d),
                    _ => Err(mismatch(i)),
                })
                .collect::<Result<_, _>>()
                .map(Self::Dates),
            XKind::Label => keys
                .iter()
                .enumerate()
                .map(|(i, k)| match k {
                    X::Label(l) => Ok(l.clone()),
                    _ => Err(mismatch(i)),
                })
                .collect::<Result<_, _>>()
                .map(Self::Labels),
            XKind::Number | XKind::Index => keys
                .iter()
                .enumerate()
                .map(|(i, k)| match k {
                    X::Number(v) => Ok(*v),
                    _ => Err(mismatch(i)),
                })
                .collect::<Result<_, _>>()
                .map(Self::Numbers),
        }
    }

    /// The keys of the rows at `rows`, in that order.
    pub(crate) fn select(&self, rows: &[usize]) -> Self {
        match self {
            Self::Numbers(v) => Self::Numbers(rows.iter().map(|&i| v[i]).collect()),
            Self::Dates(v) => Self::Dates(rows.iter().map(|&i| v[i]).collect()),
            Self::Labels(v) => Self::Labels(rows.iter().map(|&i| v[i].clone()).collect()),
        }
    }

    /// Whether the keys are in strictly increasing order (each row its own subgroup, sorted).
    pub(crate) fn strictly_increasing(&self) -> bool {
        match self {
            Self::Numbers(v) => v.windows(2).all(|w| w[0] < w[1]),
            Self::Dates(v) => v.windows(2).all(|w| w[0] < w[1]),
            Self::Labels(v) => v.windows(2).all(|w| w[0] < w[1]),
        }
    }

    /// Orders rows `a` and `b` by key.
    pub(crate) fn cmp_rows(&self, a: usize, b: usize) -> Ordering {
        match self {
            Self::Numbers(v) => v[a].total_cmp(&v[b]),
            Self::Dates(v) => v[a].cmp(&v[b]),
            Self::Labels(v) => v[a].cmp(&v[b]),
        }
    }
}

impl fmt::Display for X {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Number(v) => write!(f, "{v}"),
            Self::Date(d) => write!(f, "{d}"),
            Self::Label(l) => f.write_str(l),
        }
    }
}

impl From<f64> for X {
    fn from(v: f64) -> Self {
        Self::Number(v)
    }
}

impl From<Date> for X {
    fn from(d: Date) -> Self {
        Self::Date(d)
    }
}

impl From<&str> for X {
    fn from(l: &str) -> Self {
        Self::Label(l.to_owned())
    }
}

impl From<String> for X {
    fn from(l: String) -> Self {
        Self::Label(l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_through_days() {
        for (y, m, d) in [
            (1970, 1, 1),
            (2000, 2, 29),
            (1969, 12, 31),
            (2024, 12, 31),
            (1600, 3, 1),
        ] {
            let date = Date::from_ymd(y, m, d).unwrap_or(Date { days: 0 });
            assert_eq!(date.ymd(), (y, m, d));
            assert_eq!(Date::from_days_since_epoch(date.days_since_epoch()), date);
        }
        assert_eq!(
            Date::from_ymd(1970, 1, 2).map(Date::days_since_epoch),
            Some(1)
        );
        assert_eq!(Date::from_ymd(2023, 2, 29), None);
        assert_eq!(Date::from_ymd(2023, 13, 1), None);
        let mut buffer = [0; 10];
        let d = Date::from_ymd(987, 6, 5).unwrap_or(Date { days: 0 });
        assert_eq!(d.iso(&mut buffer), Some("0987-06-05"));
        let far = Date::from_ymd(12_345, 6, 5).unwrap_or(Date { days: 0 });
        assert_eq!(far.iso(&mut buffer), None);
    }

    #[test]
    fn cells_parse_as_number_date_or_label() {
        assert_eq!(X::parse_cell(" 3.5 "), Ok(Some(X::Number(3.5))));
        assert_eq!(
            X::parse_cell("2024-01-31"),
            Ok(Date::from_ymd(2024, 1, 31).map(X::Date))
        );
        assert_eq!(
            X::parse_cell("2024-03"),
            Ok(Date::from_ymd(2024, 3, 1).map(X::Date))
        );
        assert_eq!(
            X::parse_cell("2024-3-5"),
            Ok(Date::from_ymd(2024, 3, 5).map(X::Date))
        );
        assert_eq!(X::parse_cell("Ward 3"), Ok(Some(X::Label("Ward 3".into()))));
        assert_eq!(X::parse_cell("  "), Ok(None));
        assert_eq!(X::parse_cell("inf"), Ok(Some(X::Label("inf".into()))));
        assert_eq!(X::parse_cell("A-12"), Ok(Some(X::Label("A-12".into()))));
        assert_eq!(X::parse_cell("3/4"), Ok(Some(X::Label("3/4".into()))));
    }

    #[test]
    fn cells_shaped_like_dates_must_be_real_dates() {
        for cell in [
            "2024-13-01",
            "2024-02-30",
            "2023-02-29",
            "2024-00",
            "2024-13",
            "01/02/2024",
            "2024/01/02",
            "1.2.2024",
            "12/31/24",
        ] {
            assert_eq!(X::parse_cell(cell), Err(DateParseError), "{cell}");
        }
    }

    #[test]
    fn keys_serialize_as_plain_json_values() {
        let keys = vec![
            X::Number(2.0),
            X::Date(Date::from_ymd(2024, 5, 1).unwrap_or(Date { days: 0 })),
            X::Label("A".into()),
        ];
        let json = serde_json::to_string(&keys).unwrap_or_default();
        assert_eq!(json, r#"[2.0,"2024-05-01","A"]"#);
        let back: Vec<X> = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, keys);
    }
}

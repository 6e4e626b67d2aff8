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
#[error("not a date of the form YYYY-MM-DD")]
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

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bytes = s.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(DateParseError);
        }
        let digits = |range: std::ops::Range<usize>| -> Result<u32, DateParseError> {
            let part = s.get(range).ok_or(DateParseError)?;
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(DateParseError);
            }
            part.parse().map_err(|_| DateParseError)
        };
        let year = i32::try_from(digits(0..4)?).map_err(|_| DateParseError)?;
        Self::from_ymd(year, digits(5..7)?, digits(8..10)?).ok_or(DateParseError)
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

    /// Reads a CSV cell the way `qic chart` does: a number, else a `YYYY-MM-DD` date, else a
    /// label. Returns `None` for an empty cell.
    pub fn parse_cell(cell: &str) -> Option<Self> {
        let cell = cell.trim();
        if cell.is_empty() {
            return None;
        }
        if let Ok(v) = cell.parse::<f64>()
            && v.is_finite()
        {
            return Some(Self::Number(v));
        }
        if let Ok(d) = cell.parse::<Date>() {
            return Some(Self::Date(d));
        }
        Some(Self::Label(cell.to_owned()))
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
    }

    #[test]
    fn cells_parse_as_number_date_or_label() {
        assert_eq!(X::parse_cell(" 3.5 "), Some(X::Number(3.5)));
        assert_eq!(
            X::parse_cell("2024-01-31"),
            Date::from_ymd(2024, 1, 31).map(X::Date)
        );
        assert_eq!(X::parse_cell("Ward 3"), Some(X::Label("Ward 3".into())));
        assert_eq!(
            X::parse_cell("2024-02-30"),
            Some(X::Label("2024-02-30".into()))
        );
        assert_eq!(X::parse_cell("  "), None);
        assert_eq!(X::parse_cell("inf"), Some(X::Label("inf".into())));
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

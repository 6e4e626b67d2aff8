//! Reporting periods: calendar months.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::RowProblem;

/// A calendar month, the reporting period of stratified measures. Written `YYYY-MM`; read from a
/// month (`2024-03`) or an ISO date (`2024-03-15`, optionally followed by a time after `T` or a
/// space: `HH:MM`, seconds and their fraction optional, then optionally `Z` or an offset such
/// as `+02:00`), which falls in its month. Anything else after the date is refused.
///
/// ```
/// use qic_equity::period::Period;
///
/// let p: Period = "2024-03-15T08:30:00".parse()?;
/// assert_eq!(p.to_string(), "2024-03");
/// assert_eq!(p, Period::new(2024, 3).unwrap());
/// assert!("2024-02-30".parse::<Period>().is_err());
/// assert!("03/15/2024".parse::<Period>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    year: i32,
    month: u32,
}

impl Period {
    /// The month `month` (1 to 12) of `year` (1 to 9999), or `None`.
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1..=9999).contains(&year) && (1..=12).contains(&month)).then_some(Self { year, month })
    }

    /// The month a date falls in.
    pub fn of_date(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u32 {
        self.month
    }

    /// The number of days in the month.
    pub fn days(self) -> u32 {
        match self.month {
            4 | 6 | 9 | 11 => 30,
            2 if self.year % 4 == 0 && (self.year % 100 != 0 || self.year % 400 == 0) => 29,
            2 => 28,
            _ => 31,
        }
    }

    /// The first day of the month (for plotting a series on a date axis).
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    /// Parses a month or a date from bytes (the fast path of the CSV reader).
    ///
    /// # Errors
    ///
    /// [`RowProblem::MalformedDate`] when the text is neither `YYYY-MM` nor a valid
    /// `YYYY-MM-DD` (optionally followed by `T` or a space and a time of day).
    pub fn parse_bytes(text: &[u8]) -> Result<Self, RowProblem> {
        let text = text.trim_ascii();
        let digits = |s: &[u8]| -> Option<u32> {
            s.iter().try_fold(0u32, |acc, &b| {
                b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
            })
        };
        let bad = RowProblem::MalformedDate;
        let (Some(year), Some(b'-'), Some(month)) = (
            text.get(0..4).and_then(digits),
            text.get(4),
            text.get(5..7).and_then(digits),
        ) else {
            return Err(bad);
        };
        let year = i32::try_from(year).map_err(|_| bad)?;
        match text.get(7) {
            None => Self::new(year, month).ok_or(bad),
            Some(b'-') => {
                let day = text.get(8..10).and_then(digits).ok_or(bad)?;
                match text.get(10) {
                    None => {}
                    Some(b'T' | b' ') if is_time(text.get(11..).unwrap_or_default()) => {}
                    Some(_) => return Err(bad),
                }
                let period = Self::new(year, month).ok_or(bad)?;
                if day == 0 || day > period.days() {
                    return Err(bad);
                }
                Ok(period)
            }
            Some(_) => Err(bad),
        }
    }
}

/// Whether `text` is a time of day: `HH:MM`, then optionally `:SS` and a fraction, then
/// optionally `Z` or an offset (`+HH`, `+HHMM`, `+HH:MM`, or with `-`).
fn is_time(text: &[u8]) -> bool {
    let two_digits = |s: &[u8], max: u8| -> bool {
        matches!(s, [a, b] if a.is_ascii_digit() && b.is_ascii_digit() && (a - b'0') * 10 + (b - b'0') <= max)
    };
    let (Some(hour), Some(b':'), Some(minute)) = (text.get(0..2), text.get(2), text.get(3..5))
    else {
        return false;
    };
    if !two_digits(hour, 23) || !two_digits(minute, 59) {
        return false;
    }
    let mut rest = text.get(5..).unwrap_or_default();
    if let Some(after) = rest.strip_prefix(b":") {
        // 60 for a leap second.
        if !after.get(0..2).is_some_and(|s| two_digits(s, 60)) {
            return false;
        }
        rest = after.get(2..).unwrap_or_default();
        if let Some(fraction) = rest.strip_prefix(b".") {
            let n = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
            if n == 0 {
                return false;
            }
            rest = fraction.get(n..).unwrap_or_default();
        }
    }
    match rest {
        [] | [b'Z' | b'z'] => true,
        [b'+' | b'-', offset @ ..] => match offset {
            [h1, h2] => two_digits(&[*h1, *h2], 23),
            [h1, h2, m1, m2] | [h1, h2, b':', m1, m2] => {
                two_digits(&[*h1, *h2], 23) && two_digits(&[*m1, *m2], 59)
            }
            _ => false,
        },
        _ => false,
    }
}

impl FromStr for Period {
    type Err = RowProblem;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_bytes(s.as_bytes())
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Period {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Period".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$",
            "description": "A calendar month, YYYY-MM"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_dates_parse_to_their_month() {
        for (text, want) in [
            ("2024-03", (2024, 3)),
            (" 2024-12-31 ", (2024, 12)),
            ("2024-02-29", (2024, 2)),
            ("2023-01-05 10:00", (2023, 1)),
            ("2023-01-05T10:00:00Z", (2023, 1)),
            ("2023-01-05 10:00:00.123+02:00", (2023, 1)),
            ("2023-01-05T23:59:60-0500", (2023, 1)),
            ("2023-01-05 00:00+01", (2023, 1)),
        ] {
            let p: Period = text.parse().unwrap();
            assert_eq!((p.year(), p.month()), want, "{text}");
        }
    }

    #[test]
    fn malformed_dates_are_refused() {
        for text in [
            "",
            "2024",
            "2024-13",
            "2024-00",
            "2023-02-29",
            "2024-3",
            "2024-03-1",
            "24-03",
            "2024/03",
            "2024-03x",
            "2024-03-15x",
            "2024-01-15 junk",
            "2024-01-15T",
            "2024-01-15 25:00",
            "2024-01-15 10:00 extra",
            "2024-01-15T10:00:00.",
            "2024-01-15T10:00+5",
            "0000-01",
            "abcd-ef",
        ] {
            assert_eq!(
                text.parse::<Period>(),
                Err(RowProblem::MalformedDate),
                "{text}"
            );
        }
    }

    #[test]
    fn days_per_month_agree_with_chrono() {
        for year in [1900, 2000, 2023, 2024] {
            for month in 1..=12 {
                let p = Period::new(year, month).unwrap();
                let next = if month == 12 {
                    NaiveDate::from_ymd_opt(year + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(year, month + 1, 1)
                }
                .unwrap();
                let days = (next - p.first_day()).num_days();
                assert_eq!(i64::from(p.days()), days, "{p}");
            }
        }
    }

    #[test]
    fn periods_order_and_serialize() {
        let a: Period = "2023-12".parse().unwrap();
        let b: Period = "2024-01".parse().unwrap();
        assert!(a < b);
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"2024-01\"");
        assert_eq!(b.first_day().to_string(), "2024-01-01");
    }
}

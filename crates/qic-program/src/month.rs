//! Calendar months (`2020-08`), the unit of monthly reports and progress scores.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::ProgramError;

/// A calendar month, written `YYYY-MM` in files.
///
/// ```
/// use qic_program::YearMonth;
///
/// let august: YearMonth = "2020-08".parse()?;
/// assert_eq!(august.next().to_string(), "2020-09");
/// assert_eq!(august.first_day().to_string(), "2020-08-01");
/// assert_eq!(august.last_day().to_string(), "2020-08-31");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct YearMonth {
    // The first day of the month: always valid, and ordering follows the calendar.
    first: NaiveDate,
}

impl YearMonth {
    /// The month of `year` numbered `month` (1 = January).
    ///
    /// # Errors
    ///
    /// [`ProgramError::InvalidMonth`] when `month` is not 1 to 12 or the year is out of range.
    pub fn new(year: i32, month: u32) -> Result<Self, ProgramError> {
        NaiveDate::from_ymd_opt(year, month, 1)
            .map(|first| Self { first })
            .ok_or_else(|| ProgramError::InvalidMonth {
                text: format!("{year}-{month:02}"),
            })
    }

    /// The month a date falls in.
    pub fn of(date: NaiveDate) -> Self {
        Self {
            first: date.with_day(1).unwrap_or(date),
        }
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.first.year()
    }

    /// The month number, 1 = January.
    pub fn month(self) -> u32 {
        self.first.month()
    }

    /// The first day of the month.
    pub fn first_day(self) -> NaiveDate {
        self.first
    }

    /// The last day of the month.
    pub fn last_day(self) -> NaiveDate {
        self.first
            .checked_add_months(Months::new(1))
            .and_then(|next| next.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    /// The following month (saturates at the end of chrono's range).
    #[must_use]
    pub fn next(self) -> Self {
        self.first
            .checked_add_months(Months::new(1))
            .map_or(self, |first| Self { first })
    }

    /// Whether the date falls in this month.
    pub fn contains(self, date: NaiveDate) -> bool {
        Self::of(date) == self
    }

    /// Every month from `first` to `last`, both included (empty when `last` is earlier).
    pub fn range_inclusive(first: Self, last: Self) -> Vec<Self> {
        let mut months = Vec::new();
        let mut month = first;
        while month <= last {
            months.push(month);
            let next = month.next();
            if next == month {
                break;
            }
            month = next;
        }
        months
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl FromStr for YearMonth {
    type Err = ProgramError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || ProgramError::InvalidMonth {
            text: text.to_owned(),
        };
        let (year, month) = text.trim().split_once('-').ok_or_else(invalid)?;
        if month.len() != 2 {
            return Err(invalid());
        }
        let year = year.parse().map_err(|_| invalid())?;
        let month = month.parse().map_err(|_| invalid())?;
        Self::new(year, month).map_err(|_| invalid())
    }
}

impl TryFrom<String> for YearMonth {
    type Error = ProgramError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<YearMonth> for String {
    fn from(month: YearMonth) -> Self {
        month.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_months() {
        let m: YearMonth = "2021-02".parse().unwrap();
        assert_eq!((m.year(), m.month()), (2021, 2));
        assert_eq!(m.last_day(), NaiveDate::from_ymd_opt(2021, 2, 28).unwrap());
        assert_eq!(m.to_string(), "2021-02");
        for bad in ["2021-13", "2021-2", "2021", "feb 2021", "2021-00"] {
            assert!(bad.parse::<YearMonth>().is_err(), "{bad}");
        }
    }

    #[test]
    fn ranges_cross_years() {
        let months =
            YearMonth::range_inclusive("2020-11".parse().unwrap(), "2021-02".parse().unwrap());
        let text: Vec<_> = months.iter().map(ToString::to_string).collect();
        assert_eq!(text, ["2020-11", "2020-12", "2021-01", "2021-02"]);
        assert!(YearMonth::range_inclusive(months[3], months[0]).is_empty());
    }

    #[test]
    fn serde_uses_the_text_form() {
        let m = YearMonth::new(2020, 8).unwrap();
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"2020-08\"");
        assert_eq!(serde_json::from_str::<YearMonth>("\"2020-08\"").unwrap(), m);
        assert!(serde_json::from_str::<YearMonth>("\"2020-8\"").is_err());
    }
}

//! Recurrence rules for calls: "second Tuesday of each month", "last Thursday", "every other
//! Wednesday".

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::error::ProgramError;
use crate::month::YearMonth;

/// Which week of the month a monthly call falls in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeekOfMonth {
    /// Days 1 to 7.
    First,
    /// Days 8 to 14.
    Second,
    /// Days 15 to 21.
    Third,
    /// Days 22 to 28.
    Fourth,
    /// The last seven days of the month.
    Last,
}

impl WeekOfMonth {
    const WORDS: [(&'static str, Self); 5] = [
        ("first", Self::First),
        ("second", Self::Second),
        ("third", Self::Third),
        ("fourth", Self::Fourth),
        ("last", Self::Last),
    ];

    fn word(self) -> &'static str {
        match self {
            Self::First => "first",
            Self::Second => "second",
            Self::Third => "third",
            Self::Fourth => "fourth",
            Self::Last => "last",
        }
    }
}

/// When the calls of a series happen.
///
/// Written in files as a short English phrase, case-insensitive:
///
/// | phrase | meaning |
/// | --- | --- |
/// | `second Tuesday of each month` (or `of every month`, or just `second Tuesday`) | monthly |
/// | `last Thursday of every 3 months`, `first Monday of every other month` | every n months |
/// | `every Wednesday` | weekly |
/// | `every other Friday`, `every 3 weeks on Friday` | every n weeks |
///
/// Monthly rules count months from the program's first month; weekly rules count weeks from the
/// first matching day of the program.
///
/// ```
/// use qic_program::Recurrence;
///
/// let rule: Recurrence = "Second Tuesday of each month".parse()?;
/// assert_eq!(rule.to_string(), "second Tuesday of each month");
/// let from = chrono::NaiveDate::from_ymd_opt(2020, 8, 1).unwrap();
/// let until = chrono::NaiveDate::from_ymd_opt(2020, 10, 31).unwrap();
/// let dates: Vec<String> = rule.dates(from, from, until).iter().map(|d| d.to_string()).collect();
/// assert_eq!(dates, ["2020-08-11", "2020-09-08", "2020-10-13"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Recurrence {
    /// A given weekday in a given week of the month, every `every` months.
    Monthly {
        /// Which week.
        week: WeekOfMonth,
        /// Which day.
        weekday: Weekday,
        /// Every how many months (1 = each month).
        every: u32,
    },
    /// A given weekday every `every` weeks.
    Weekly {
        /// Which day.
        weekday: Weekday,
        /// Every how many weeks (1 = each week, 2 = every other week).
        every: u32,
    },
}

/// The largest interval a rule accepts (12 months, 12 weeks): longer gaps are not a series.
const MAX_EVERY: u32 = 12;

impl Recurrence {
    /// Monthly on the given week and weekday.
    pub const fn monthly(week: WeekOfMonth, weekday: Weekday) -> Self {
        Self::Monthly {
            week,
            weekday,
            every: 1,
        }
    }

    /// Weekly on the given weekday.
    pub const fn weekly(weekday: Weekday) -> Self {
        Self::Weekly { weekday, every: 1 }
    }

    /// The dates the rule gives from `from` to `until` (both included), counting its cadence
    /// from `anchor` (normally the program's first day). Sorted, without repeats.
    pub fn dates(&self, anchor: NaiveDate, from: NaiveDate, until: NaiveDate) -> Vec<NaiveDate> {
        let mut dates = Vec::new();
        match *self {
            Self::Monthly {
                week,
                weekday,
                every,
            } => {
                let step = every.max(1) as usize;
                let last = YearMonth::of(until);
                for month in YearMonth::range_inclusive(YearMonth::of(anchor), last)
                    .into_iter()
                    .step_by(step)
                {
                    let date = weekday_in_month(month, week, weekday);
                    if date >= from && date <= until {
                        dates.push(date);
                    }
                }
            }
            Self::Weekly { weekday, every } => {
                let offset = (7 + weekday.num_days_from_monday()
                    - anchor.weekday().num_days_from_monday())
                    % 7;
                let step = Duration::days(7 * i64::from(every.max(1)));
                let mut date = anchor.checked_add_signed(Duration::days(i64::from(offset)));
                while let Some(day) = date {
                    if day > until {
                        break;
                    }
                    if day >= from {
                        dates.push(day);
                    }
                    date = day.checked_add_signed(step);
                }
            }
        }
        dates
    }
}

/// The given weekday in the given week of a month.
fn weekday_in_month(month: YearMonth, week: WeekOfMonth, weekday: Weekday) -> NaiveDate {
    let wanted = weekday.num_days_from_monday();
    let (base, forward) = match week {
        WeekOfMonth::Last => (month.last_day(), false),
        _ => (month.first_day(), true),
    };
    let have = base.weekday().num_days_from_monday();
    if forward {
        let weeks = match week {
            WeekOfMonth::First | WeekOfMonth::Last => 0,
            WeekOfMonth::Second => 1,
            WeekOfMonth::Third => 2,
            WeekOfMonth::Fourth => 3,
        };
        let days = (7 + wanted - have) % 7 + 7 * weeks;
        // At most 27 days after the first: always inside the month.
        base + Duration::days(i64::from(days))
    } else {
        let days = (7 + have - wanted) % 7;
        base - Duration::days(i64::from(days))
    }
}

fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

impl fmt::Display for Recurrence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Monthly {
                week,
                weekday,
                every: 1,
            } => {
                write!(f, "{} {} of each month", week.word(), weekday_name(weekday))
            }
            Self::Monthly {
                week,
                weekday,
                every,
            } => {
                write!(
                    f,
                    "{} {} of every {every} months",
                    week.word(),
                    weekday_name(weekday)
                )
            }
            Self::Weekly { weekday, every: 1 } => write!(f, "every {}", weekday_name(weekday)),
            Self::Weekly { weekday, every: 2 } => {
                write!(f, "every other {}", weekday_name(weekday))
            }
            Self::Weekly { weekday, every } => {
                write!(f, "every {every} weeks on {}", weekday_name(weekday))
            }
        }
    }
}

impl FromStr for Recurrence {
    type Err = ProgramError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let fail = |reason: &str| ProgramError::InvalidRecurrence {
            rule: text.to_owned(),
            reason: reason.to_owned(),
        };
        let lower = text.to_lowercase();
        let words: Vec<&str> = lower.split_whitespace().collect();
        let weekday = |word: &str| {
            word.parse::<Weekday>()
                .map_err(|_| fail(&format!("`{word}` is not a day of the week")))
        };
        let count = |word: &str, unit: &str| -> Result<u32, ProgramError> {
            match word.parse::<u32>() {
                Ok(n) if (1..=MAX_EVERY).contains(&n) => Ok(n),
                _ => Err(fail(&format!(
                    "the number of {unit} must be 1 to {MAX_EVERY}"
                ))),
            }
        };
        let rule = match words.as_slice() {
            ["every", "other", day] => Self::Weekly {
                weekday: weekday(day)?,
                every: 2,
            },
            ["every", day] => Self::Weekly {
                weekday: weekday(day)?,
                every: 1,
            },
            ["every", n, "weeks" | "week", "on", day] => Self::Weekly {
                weekday: weekday(day)?,
                every: count(n, "weeks")?,
            },
            [week, day, rest @ ..] if WeekOfMonth::WORDS.iter().any(|(w, _)| w == week) => {
                let week = WeekOfMonth::WORDS
                    .iter()
                    .find(|(w, _)| w == week)
                    .map_or(WeekOfMonth::First, |(_, v)| *v);
                let every = match rest {
                    [] | ["of", "each" | "every" | "the", "month"] => 1,
                    ["of", "every", "other", "month"] => 2,
                    ["of", "every", n, "months"] => count(n, "months")?,
                    _ => {
                        return Err(fail(
                            "expected `of each month` or `of every N months` after the day",
                        ));
                    }
                };
                Self::Monthly {
                    week,
                    weekday: weekday(day)?,
                    every,
                }
            }
            _ => {
                return Err(fail(
                    "expected e.g. `second Tuesday of each month`, `last Thursday`, `every other Wednesday`",
                ));
            }
        };
        Ok(rule)
    }
}

impl TryFrom<String> for Recurrence {
    type Error = ProgramError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<Recurrence> for String {
    fn from(rule: Recurrence) -> Self {
        rule.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn phrases_parse_and_print_canonically() {
        for (text, canonical) in [
            (
                "second Tuesday of each month",
                "second Tuesday of each month",
            ),
            ("LAST thursday", "last Thursday of each month"),
            (
                "first mon of every 3 months",
                "first Monday of every 3 months",
            ),
            (
                "third Wednesday of every other month",
                "third Wednesday of every 2 months",
            ),
            ("every friday", "every Friday"),
            ("every other Wednesday", "every other Wednesday"),
            ("every 3 weeks on tue", "every 3 weeks on Tuesday"),
        ] {
            let rule: Recurrence = text.parse().unwrap();
            assert_eq!(rule.to_string(), canonical);
            assert_eq!(canonical.parse::<Recurrence>().unwrap(), rule);
        }
    }

    #[test]
    fn bad_phrases_say_what_is_wrong() {
        let err = "second Tuesdy"
            .parse::<Recurrence>()
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "invalid recurrence rule `second Tuesdy`: `tuesdy` is not a day of the week"
        );
        let err = "every 0 weeks on monday"
            .parse::<Recurrence>()
            .unwrap_err()
            .to_string();
        assert!(err.contains("1 to 12"), "{err}");
        assert!("fifth Friday".parse::<Recurrence>().is_err());
        assert!("".parse::<Recurrence>().is_err());
        assert!("second Tuesday of each year".parse::<Recurrence>().is_err());
    }

    #[test]
    fn last_weekday_and_fourth_weekday_differ_in_long_months() {
        let last = Recurrence::monthly(WeekOfMonth::Last, Weekday::Thu);
        let fourth = Recurrence::monthly(WeekOfMonth::Fourth, Weekday::Thu);
        // October 2020 has five Thursdays.
        assert_eq!(
            last.dates(d(2020, 10, 1), d(2020, 10, 1), d(2020, 10, 31)),
            [d(2020, 10, 29)]
        );
        assert_eq!(
            fourth.dates(d(2020, 10, 1), d(2020, 10, 1), d(2020, 10, 31)),
            [d(2020, 10, 22)]
        );
    }

    #[test]
    fn cadences_count_from_the_anchor() {
        let quarterly: Recurrence = "first Monday of every 3 months".parse().unwrap();
        let dates = quarterly.dates(d(2023, 1, 1), d(2023, 3, 1), d(2023, 12, 31));
        assert_eq!(dates, [d(2023, 4, 3), d(2023, 7, 3), d(2023, 10, 2)]);
        let biweekly: Recurrence = "every other Friday".parse().unwrap();
        let dates = biweekly.dates(d(2023, 1, 1), d(2023, 1, 10), d(2023, 2, 10));
        assert_eq!(dates, [d(2023, 1, 20), d(2023, 2, 3)]);
    }

    #[test]
    fn serde_uses_the_phrase() {
        let rule: Recurrence = serde_json::from_str("\"last Thursday\"").unwrap();
        assert_eq!(
            serde_json::to_string(&rule).unwrap(),
            "\"last Thursday of each month\""
        );
        let err = serde_json::from_str::<Recurrence>("\"someday\"").unwrap_err();
        assert!(
            err.to_string()
                .contains("invalid recurrence rule `someday`"),
            "{err}"
        );
    }
}

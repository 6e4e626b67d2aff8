//! Months and days between the crates' types, in one place: qic-program's [`YearMonth`],
//! qic-equity's [`Period`], qic-spc's chart keys ([`X`]) and chrono's [`NaiveDate`], and the
//! labels people read (`Mar 2024`, `5 Mar 2024`).
//!
//! A month is charted at its first day; an event on any day of a month belongs to that month's
//! point.

use chrono::{Datelike, NaiveDate};
use qic_equity::period::Period;
use qic_program::YearMonth;
use qic_spc::{Date, X};

/// The months' short English names, January first.
const NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The qic-equity period of a month (`None` only for a year outside qic-equity's range).
pub fn period(month: YearMonth) -> Option<Period> {
    Period::new(month.year(), month.month())
}

/// The month of a qic-equity period (`None` for a period qic-program cannot hold).
pub fn of_period(period: Period) -> Option<YearMonth> {
    YearMonth::new(period.year(), period.month()).ok()
}

/// A day as a chart key.
pub fn day_x(date: NaiveDate) -> X {
    Date::from_ymd(date.year(), date.month(), date.day())
        .map_or_else(|| X::Label(date.to_string()), X::Date)
}

/// A month as a chart key: its first day.
pub fn x(month: YearMonth) -> X {
    day_x(month.first_day())
}

/// A month's short name: `Mar`.
pub fn short_name(month: YearMonth) -> &'static str {
    NAMES
        .get((month.month() as usize).saturating_sub(1))
        .copied()
        .unwrap_or("")
}

/// A month for people: `Mar 2024`.
pub fn label(month: YearMonth) -> String {
    format!("{} {}", short_name(month), month.year())
}

/// A day for people: `5 Mar 2024`.
pub fn date_label(date: NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_convert_both_ways_and_read_as_words() {
        let march: YearMonth = "2024-03".parse().unwrap();
        let p = period(march).unwrap();
        assert_eq!(p.to_string(), "2024-03");
        assert_eq!(of_period(p), Some(march));
        assert_eq!(x(march), X::Date(Date::from_ymd(2024, 3, 1).unwrap()));
        assert_eq!(label(march), "Mar 2024");
        let day = NaiveDate::from_ymd_opt(2024, 3, 5).unwrap();
        assert_eq!(date_label(day), "5 Mar 2024");
        assert_eq!(day_x(day), X::Date(Date::from_ymd(2024, 3, 5).unwrap()));
    }
}

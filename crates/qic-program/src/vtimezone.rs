//! iCalendar `VTIMEZONE` definitions from the IANA time zone database (through `chrono-tz`).
//!
//! A timed event written as `DTSTART;TZID=America/New_York:20240109T130000` means 13:00 in New
//! York only if the calendar defines `America/New_York` (RFC 5545 §3.6.5): its offsets from UTC
//! and when they change. The definition lists every transition of the zone from a year before
//! the first event to a year after the last, each as an observance with its exact onset, so a
//! calendar program converts any event of the schedule without rules of its own.

use std::fmt::Write as _;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

/// The zone of an IANA name, if the database has it.
pub(crate) fn zone(name: &str) -> Option<Tz> {
    name.parse().ok()
}

/// One observance: from `onset` (in the offset before it) the zone is at `to` seconds from UTC.
struct Observance {
    onset: NaiveDateTime,
    from: i32,
    to: i32,
    daylight: bool,
    name: Option<String>,
}

fn offset_at(zone: Tz, at: DateTime<Utc>) -> (i32, bool, Option<String>) {
    let offset = zone.offset_from_utc_datetime(&at.naive_utc());
    let seconds = offset.fix().local_minus_utc();
    let daylight = !offset.dst_offset().is_zero();
    (seconds, daylight, offset.abbreviation().map(str::to_owned))
}

/// The zone's observances between `first` and `last` (days, widened by a year each way): the
/// one in force at the start, then one per transition.
fn observances(zone: Tz, first: NaiveDate, last: NaiveDate) -> Vec<Observance> {
    let start = first
        .checked_sub_signed(Duration::days(366))
        .unwrap_or(first)
        .and_time(NaiveTime::MIN)
        .and_utc();
    let end = last
        .checked_add_signed(Duration::days(366))
        .unwrap_or(last)
        .and_time(NaiveTime::MIN)
        .and_utc();
    let (offset, daylight, name) = offset_at(zone, start);
    let mut out = vec![Observance {
        // Local midnight of the first day covered.
        onset: start.naive_utc(),
        from: offset,
        to: offset,
        daylight,
        name,
    }];
    let mut day = start;
    let mut current = offset;
    while day < end {
        let next = day + Duration::days(1);
        let (at_next, _, _) = offset_at(zone, next);
        if at_next != current {
            // The change falls in (day, next]: narrow it to the second.
            let (mut lo, mut hi) = (day, next);
            while hi - lo > Duration::seconds(1) {
                let mid = lo + (hi - lo) / 2;
                if offset_at(zone, mid).0 == current {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let (to, daylight, name) = offset_at(zone, hi);
            out.push(Observance {
                onset: hi.naive_utc() + Duration::seconds(i64::from(current)),
                from: current,
                to,
                daylight,
                name,
            });
            current = to;
        }
        day = next;
    }
    out
}

/// `-0500`, `+0530`.
fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}{:02}", minutes / 60, minutes % 60)
}

/// The `VTIMEZONE` component of `zone` for events from `first` to `last`, with CRLF line
/// endings.
pub(crate) fn vtimezone(name: &str, zone: Tz, first: NaiveDate, last: NaiveDate) -> String {
    let mut out = String::new();
    let _ = write!(out, "BEGIN:VTIMEZONE\r\nTZID:{name}\r\n");
    for o in observances(zone, first, last) {
        let kind = if o.daylight { "DAYLIGHT" } else { "STANDARD" };
        let _ = write!(
            out,
            "BEGIN:{kind}\r\nDTSTART:{}\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\n",
            o.onset.format("%Y%m%dT%H%M%S"),
            utc_offset(o.from),
            utc_offset(o.to)
        );
        if let Some(abbreviation) = o.name.filter(|n| !n.is_empty()) {
            let _ = write!(out, "TZNAME:{abbreviation}\r\n");
        }
        let _ = write!(out, "END:{kind}\r\n");
    }
    out.push_str("END:VTIMEZONE\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_york_changes_twice_a_year_at_two_in_the_morning() {
        let new_york = zone("America/New_York").unwrap();
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let text = vtimezone(
            "America/New_York",
            new_york,
            day(2024, 1, 1),
            day(2024, 12, 31),
        );
        // 10 March 2024: 02:00 EST becomes 03:00 EDT; 3 November 2024: 02:00 EDT becomes 01:00.
        assert!(text.contains(
            "BEGIN:DAYLIGHT\r\nDTSTART:20240310T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\n"
        ));
        assert!(text.contains(
            "BEGIN:STANDARD\r\nDTSTART:20241103T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST\r\n"
        ));
        // From a year before to a year after: 2023 to 2025, two changes a year, and the start.
        assert_eq!(text.matches("BEGIN:DAYLIGHT").count(), 3);
        assert_eq!(text.matches("BEGIN:STANDARD").count(), 4);
        assert_eq!(utc_offset(19800), "+0530");
        assert!(zone("Mars/Olympus_Mons").is_none());
    }
}

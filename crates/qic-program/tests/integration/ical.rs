//! The iCalendar export, read back by an independent parser (the `ical` crate).

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufReader;

use chrono::{NaiveDate, NaiveDateTime, TimeZone as _};
use qic_program::{Preset, Program, ProgramSpec};

/// Every event of the document as a map of property name to value.
fn parse(ics: &str) -> Vec<BTreeMap<String, String>> {
    let mut calendars = ical::IcalParser::new(BufReader::new(ics.as_bytes()));
    let calendar = calendars
        .next()
        .expect("one calendar")
        .expect("the calendar parses");
    assert!(calendars.next().is_none(), "exactly one calendar");
    calendar
        .events
        .into_iter()
        .map(|event| {
            event
                .properties
                .into_iter()
                .map(|p| (p.name, p.value.unwrap_or_default()))
                .collect()
        })
        .collect()
}

fn start_day(event: &BTreeMap<String, String>) -> NaiveDate {
    let value = &event["DTSTART"];
    NaiveDate::parse_from_str(value.get(..8).expect("a date"), "%Y%m%d").expect("a yyyymmdd date")
}

#[test]
fn improving_population_health_reads_back_with_its_sessions_calls_and_harvest() {
    let program = Preset::ImprovingPopulationHealth2020.program().unwrap();
    let events = parse(&program.schedule().to_ics());
    assert_eq!(events.len(), program.schedule().events().len());
    let of = |category: &str| {
        events
            .iter()
            .filter(|e| e["CATEGORIES"] == category)
            .collect::<Vec<_>>()
    };

    assert_eq!(of("learning session").len(), 3);
    assert_eq!(of("harvesting session").len(), 1);
    // Monthly all-team calls: one in each month from September 2020 to June 2021.
    let call_months: BTreeSet<String> = of("all-team call")
        .iter()
        .map(|e| start_day(e).format("%Y-%m").to_string())
        .collect();
    assert_eq!(call_months.len(), 10);
    assert_eq!(of("all-team call").len(), 10);
    // Everything between August 2020 and July 2021.
    let first = NaiveDate::from_ymd_opt(2020, 8, 1).unwrap();
    let july = NaiveDate::from_ymd_opt(2021, 7, 1).unwrap();
    for event in &events {
        let day = start_day(event);
        assert!(first <= day && day < july, "{event:?}");
    }
    // The in-person session spans two days: DTEND is exclusive.
    let in_person: Vec<_> = of("learning session")
        .into_iter()
        .filter(|e| e["DESCRIPTION"].contains("in person"))
        .collect();
    assert_eq!(in_person.len(), 1);
    assert_eq!(
        (
            in_person[0]["DTSTART"].as_str(),
            in_person[0]["DTEND"].as_str()
        ),
        ("20210126", "20210128")
    );
}

#[test]
fn every_preset_reads_back_with_unique_uids_and_fixed_stamps() {
    for preset in Preset::ALL {
        let program = preset.program().unwrap();
        let events = parse(&program.schedule().to_ics());
        let uids: BTreeSet<&str> = events.iter().map(|e| e["UID"].as_str()).collect();
        assert_eq!(uids.len(), events.len(), "{preset}");
        let stamp = program
            .window()
            .start()
            .format("%Y%m%dT000000Z")
            .to_string();
        assert!(events.iter().all(|e| e["DTSTAMP"] == stamp), "{preset}");
    }
}

#[test]
fn text_with_commas_semicolons_and_long_lines_survives_the_round_trip() {
    let mut spec: ProgramSpec = Preset::ImprovingPopulationHealth2020
        .program()
        .unwrap()
        .into();
    let title = "Learning Session 1; kickoff, with faculty \\ peers: a deliberately long title that must be folded across lines";
    spec.cohorts[0].schedule.sessions[0].name = title.into();
    spec.cohorts[0].schedule.sessions[0].location = Some("Boston, MA; Room 2".into());
    let program = Program::new(spec).unwrap();
    let ics = program.schedule().to_ics();
    assert!(
        ics.lines().all(|l| l.len() <= 75),
        "lines are folded at 75 octets"
    );
    let events = parse(&ics);
    let session = events
        .iter()
        .find(|e| e["SUMMARY"].starts_with("Learning Session 1"))
        .unwrap();
    // The parser leaves RFC 5545 escapes in place; undo them to compare.
    let unescape = |s: &str| {
        s.replace("\\,", ",")
            .replace("\\;", ";")
            .replace("\\\\", "\\")
    };
    assert_eq!(unescape(&session["SUMMARY"]), title);
    assert_eq!(unescape(&session["LOCATION"]), "Boston, MA; Room 2");
}

/// A `VTIMEZONE` read back as a calendar program reads it: its observances (onset in local
/// time, offset from UTC in seconds from then on), latest first.
fn observances(zone: &ical::parser::ical::component::IcalTimeZone) -> Vec<(NaiveDateTime, i32)> {
    let value = |props: &[ical::property::Property], name: &str| {
        props
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let seconds = |text: &str| {
        let sign = if text.starts_with('-') { -1 } else { 1 };
        let hours: i32 = text[1..3].parse().unwrap();
        let minutes: i32 = text[3..5].parse().unwrap();
        sign * (hours * 3600 + minutes * 60)
    };
    let mut out: Vec<(NaiveDateTime, i32)> = zone
        .transitions
        .iter()
        .map(|t| {
            let onset =
                NaiveDateTime::parse_from_str(&value(&t.properties, "DTSTART"), "%Y%m%dT%H%M%S")
                    .unwrap();
            (onset, seconds(&value(&t.properties, "TZOFFSETTO")))
        })
        .collect();
    out.sort();
    out.reverse();
    out
}

#[test]
fn a_one_oclock_call_in_new_york_shows_at_eleven_in_denver() {
    // The Pursuing Equity program's calls are at 13:00, New York time.
    let program = Preset::PursuingEquity2022.program().unwrap();
    assert_eq!(program.time_zone(), Some("America/New_York"));
    let ics = program.schedule().to_ics();
    let calendar = ical::IcalParser::new(BufReader::new(ics.as_bytes()))
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(calendar.timezones.len(), 1);
    let zone = &calendar.timezones[0];
    let tzid = zone
        .properties
        .iter()
        .find(|p| p.name == "TZID")
        .and_then(|p| p.value.clone());
    assert_eq!(tzid.as_deref(), Some("America/New_York"));
    let observances = observances(zone);
    let denver = chrono_tz::America::Denver;
    let mut checked = 0;
    for event in &calendar.events {
        let start = event
            .properties
            .iter()
            .find(|p| p.name == "DTSTART")
            .unwrap();
        let Some(params) = &start.params else {
            continue; // all-day events
        };
        if !params.iter().any(|(k, _)| k == "TZID") {
            continue;
        }
        let local = NaiveDateTime::parse_from_str(start.value.as_deref().unwrap(), "%Y%m%dT%H%M%S")
            .unwrap();
        if local.time() != chrono::NaiveTime::from_hms_opt(13, 0, 0).unwrap() {
            continue;
        }
        // The observance in force: the latest whose onset is not after the event.
        let offset = observances
            .iter()
            .find(|(onset, _)| *onset <= local)
            .map(|(_, offset)| *offset)
            .expect("the zone covers the event");
        let utc = local - chrono::Duration::seconds(i64::from(offset));
        let in_denver = denver.from_utc_datetime(&utc);
        assert_eq!(
            in_denver.format("%H:%M").to_string(),
            "11:00",
            "{local} New York is {in_denver}"
        );
        checked += 1;
    }
    // Calls in winter and in summer: both sides of daylight saving time.
    assert!(checked >= 12, "{checked} calls at 13:00");

    // A program without a zone keeps floating times and no definition.
    let mut spec: ProgramSpec = program.into();
    spec.time_zone = None;
    let ics = Program::new(spec).unwrap().schedule().to_ics();
    assert!(!ics.contains("VTIMEZONE") && !ics.contains("TZID="));
}

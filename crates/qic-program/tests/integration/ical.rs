//! The iCalendar export, read back by an independent parser (the `ical` crate).

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufReader;

use chrono::NaiveDate;
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

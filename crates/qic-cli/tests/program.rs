//! `qic program show|calendar|presets` run as a user runs them, good inputs and bad.

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn qic(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qic"))
        .args(args)
        .output()
        .expect("the qic binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A scratch file for one test.
fn scratch(name: &str, text: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn example_program() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/programs/hypertension-collaborative.toml"),
    )
    .unwrap()
}

/// Runs a command that must fail, and returns its one-line message.
fn refused(args: &[&str]) -> String {
    let out = qic(args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{args:?} should fail: {}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty(), "nothing on standard output");
    let message = stderr(&out);
    assert_eq!(message.lines().count(), 1, "one line: {message}");
    assert!(message.starts_with("error: "), "{message}");
    message
}

#[test]
fn calendar_writes_an_ics_file_another_parser_reads() {
    let out_path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("iph-2020.ics");
    let out = qic(&[
        "program",
        "calendar",
        "--preset",
        "improving-population-health-2020",
        "--ics",
        out_path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("wrote 37 events (4 sessions, from 2020-08-01 to 2021-06-30) to "),
        "{}",
        stdout(&out)
    );

    let text = std::fs::read_to_string(&out_path).unwrap();
    let calendar = ical::IcalParser::new(BufReader::new(text.as_bytes()))
        .next()
        .unwrap()
        .unwrap();
    let category = |e: &ical::parser::ical::component::IcalEvent| {
        e.properties
            .iter()
            .find(|p| p.name == "CATEGORIES")
            .and_then(|p| p.value.clone())
            .unwrap_or_default()
    };
    let starts: Vec<(String, String)> = calendar
        .events
        .iter()
        .map(|e| {
            let start = e
                .properties
                .iter()
                .find(|p| p.name == "DTSTART")
                .and_then(|p| p.value.clone())
                .unwrap();
            (category(e), start)
        })
        .collect();
    assert_eq!(
        starts
            .iter()
            .filter(|(c, _)| c == "learning session")
            .count(),
        3
    );
    assert_eq!(
        starts
            .iter()
            .filter(|(c, _)| c == "harvesting session")
            .count(),
        1
    );
    let mut call_months: Vec<&str> = starts
        .iter()
        .filter(|(c, _)| c == "all-team call")
        .map(|(_, s)| &s[..6])
        .collect();
    call_months.dedup();
    assert_eq!(
        call_months,
        [
            "202009", "202010", "202011", "202012", "202101", "202102", "202103", "202104",
            "202105", "202106"
        ]
    );
    assert!(
        starts
            .iter()
            .all(|(_, s)| ("20200801".."20210701").contains(&&s[..8])),
        "all between August 2020 and July 2021"
    );
}

#[test]
fn calendar_prints_a_table_or_json_or_ics_on_stdout() {
    let out = qic(&["program", "calendar", "--preset", "pursuing-equity-2022"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("Fri 2022-10-21"));
    let out = qic(&[
        "program",
        "calendar",
        "--preset",
        "pursuing-equity-2022",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["window"]["end"], "2024-06-30");
    let out = qic(&[
        "program",
        "calendar",
        "--preset",
        "action-learning-collaborative",
        "--ics",
        "-",
    ]);
    assert!(stdout(&out).starts_with("BEGIN:VCALENDAR\r\n"));
}

#[test]
fn show_reads_files_and_presets_in_text_and_json() {
    let file = scratch("show.toml", &example_program());
    let out = qic(&["program", "show", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("capacity:     15 teams (14 places left)"),
        "{}",
        stdout(&out)
    );
    let out = qic(&[
        "program",
        "show",
        "--preset",
        "improving-population-health-2020",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["duration_months"], 11);
    // The JSON is itself a program file.
    let again = scratch("again.json", &stdout(&out));
    let out = qic(&["program", "show", again.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("Improving Population Health Action Community 2020-21\n"));
}

#[test]
fn presets_are_listed() {
    let out = qic(&["program", "presets"]);
    assert!(out.status.success());
    assert_eq!(stdout(&out).lines().count(), 3);
    let out = qic(&["program", "presets", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[1]["name"], "pursuing-equity-2022");
}

#[test]
fn a_misspelt_field_is_named_with_file_and_line() {
    let toml = scratch(
        "misspelt.toml",
        &example_program().replace("duration_months = 9", "duraton_months = 9"),
    );
    let message = refused(&["program", "show", toml.to_str().unwrap()]);
    assert!(
        message.starts_with(&format!(
            "error: {}:8:1: unknown field `duraton_months`",
            toml.display()
        )),
        "{message}"
    );

    let json = scratch(
        "misspelt.json",
        "{\n  \"name\": \"X\",\n  \"sponsor\": {\"name\": \"S\", \"knd\": \"foundation\"}\n}\n",
    );
    let message = refused(&["program", "calendar", json.to_str().unwrap()]);
    assert!(
        message.starts_with(&format!(
            "error: {}:3:32: $.sponsor: unknown field `knd`",
            json.display()
        )),
        "{message}"
    );
}

#[test]
fn a_duration_of_zero_is_refused() {
    let file = scratch(
        "zero.toml",
        &example_program().replace("duration_months = 9", "duration_months = 0"),
    );
    let message = refused(&["program", "show", file.to_str().unwrap()]);
    assert_eq!(
        message,
        format!(
            "error: {}:8:19: $.duration_months: duration must be between 1 and 60 months, got 0\n",
            file.display()
        )
    );
}

#[test]
fn a_session_after_the_program_ends_is_refused() {
    let file = scratch(
        "late.toml",
        &example_program().replace("date = 2025-09-24", "date = 2025-11-24"),
    );
    let message = refused(&["program", "calendar", file.to_str().unwrap()]);
    assert_eq!(
        message,
        format!(
            "error: {}:58:1: $.cohorts[0].schedule.sessions[2].date: Harvest (2025-11-24) is outside the program window 2025-01-06 to 2025-10-05\n",
            file.display()
        )
    );
}

#[test]
fn an_unknown_preset_lists_the_known_ones() {
    let message = refused(&["program", "show", "--preset", "improving-population-health"]);
    assert!(message.contains("unknown preset `improving-population-health` (known presets: improving-population-health-2020, "), "{message}");
}

#[test]
fn a_file_that_is_neither_toml_nor_json_is_refused() {
    let file = scratch(
        "program.yaml",
        "name: Demo\nsponsor:\n  - kind: foundation\n",
    );
    let message = refused(&["program", "show", file.to_str().unwrap()]);
    assert_eq!(
        message,
        format!(
            "error: {}: the name ends in neither .toml nor .json, so its format is unknown (rename it)\n",
            file.display()
        )
    );
}

#[test]
fn a_missing_file_is_named() {
    let message = refused(&["program", "show", "no/such/program.toml"]);
    assert!(
        message.starts_with("error: no/such/program.toml: "),
        "{message}"
    );
}

#[test]
fn file_and_preset_together_are_a_usage_error() {
    let out = qic(&[
        "program",
        "show",
        "a.toml",
        "--preset",
        "pursuing-equity-2022",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot be used with"));
}

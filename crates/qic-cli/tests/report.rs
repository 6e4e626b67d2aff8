//! `qic report` run as a user runs it: the fixture folder gives a report; each bad input of the
//! folder exits 1 with one line naming the file; a team not enrolled shows as a warning.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../qic-pdsa/tests/fixtures/collaborative"
);

fn qic(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qic"))
        .args(args)
        .output()
        .expect("the qic binary runs")
}

/// A fresh copy of the fixture folder.
fn copy_fixture(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qic-cli-report-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    copy_dir(Path::new(FIXTURE), &dir);
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `qic report` on a broken copy and returns its one error line.
fn refused(dir: &Path) -> String {
    let out = qic(&["report", &dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let stderr = text(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    assert!(!dir.join("report.html").exists(), "no report on bad input");
    let _ = fs::remove_dir_all(dir);
    lines[0].to_owned()
}

#[test]
fn the_fixture_folder_gives_a_report_in_the_folder() {
    let dir = copy_fixture("good");
    let out = qic(&["report", &dir.display().to_string()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let report = dir.join("report.html");
    assert_eq!(
        stdout.trim(),
        format!("2 teams, 4 warnings; wrote {}", report.display())
    );
    // The warnings go to standard error too.
    assert_eq!(text(&out.stderr).lines().count(), 4);
    let html = fs::read_to_string(&report).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<summary><h3>Lakeside</h3>"));
    assert!(html.contains("id=\"team-lakeside\""));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_team_not_enrolled_is_a_visible_warning_in_the_page() {
    let dir = copy_fixture("enrolled");
    let output = dir.join("elsewhere.html");
    let out = qic(&[
        "report",
        &dir.display().to_string(),
        "--output",
        &output.display().to_string(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let html = fs::read_to_string(&output).unwrap();
    let warnings = html
        .split("<section class=\"warnings\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .expect("a warnings section");
    assert!(warnings.contains("<h2 id=\"warnings\">Warnings (4)</h2>"));
    assert!(warnings.contains(
        "<code>teams/extra</code>: team `Extra` is not enrolled in the cohort `Cohort 1`; its folder is left out of the report"
    ));
    // And the team has no section of its own.
    assert!(!html.contains("id=\"team-extra\""));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn the_text_format_and_standard_output() {
    let dir = copy_fixture("text");
    let out = qic(&["report", &dir.display().to_string(), "--format", "text"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary = fs::read_to_string(dir.join("report.txt")).unwrap();
    assert!(summary.contains("Lakeside (Lakeside Community Health)"));
    let out = qic(&["report", &dir.display().to_string(), "--output", "-"]);
    assert!(out.status.success());
    assert!(text(&out.stdout).starts_with("<!DOCTYPE html>"));
    assert!(text(&out.stderr).contains("written to standard output"));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn the_json_format_writes_the_report_model() {
    let dir = copy_fixture("json");
    let out = qic(&["report", &dir.display().to_string(), "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("report.json")).unwrap()).unwrap();
    assert_eq!(json["title"], "Hypertension Collaborative 2025");
    assert_eq!(json["teams"].as_array().map(Vec::len), Some(2));
    assert_eq!(json["attention"].as_array().map(Vec::len), Some(2));
    assert_eq!(json["suppression"]["max_hidden"], 10);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_misspelt_field_names_the_file_line_and_field() {
    let dir = copy_fixture("misspelt");
    edit(
        &dir.join("teams/lakeside/team.toml"),
        "chosen_measures",
        "chosen_measure",
    );
    let line = refused(&dir);
    assert!(
        line.contains("teams/lakeside/team.toml:2:1: unknown field `chosen_measure`"),
        "{line}"
    );
}

#[test]
fn a_study_before_its_do_names_the_file_cycle_and_field() {
    let dir = copy_fixture("study");
    edit(
        &dir.join("teams/lakeside/cycles.toml"),
        "do = { started = 2025-02-04, finished = 2025-02-04, as_planned = true, what_happened = \"4 of 5 rechecked\" }\n",
        "",
    );
    let line = refused(&dir);
    assert!(
        line.contains("teams/lakeside/cycles.toml: error: `c1`, field `study`"),
        "{line}"
    );
}

#[test]
fn an_aim_without_a_date_names_the_file_and_field() {
    let dir = copy_fixture("aim");
    edit(
        &dir.join("teams/lakeside/team.toml"),
        "by = 2025-09-30\n",
        "",
    );
    let line = refused(&dir);
    assert!(line.contains("teams/lakeside/team.toml"), "{line}");
    assert!(line.contains("missing field `by`"), "{line}");
}

#[test]
fn an_unknown_unit_names_the_file_and_line() {
    let dir = copy_fixture("unit");
    edit(
        &dir.join("collaborative.toml"),
        "unit = \"proportion\"",
        "unit = \"percentage\"",
    );
    let line = refused(&dir);
    assert!(
        line.contains("collaborative.toml:12:8: $.measures[0].unit: unknown variant `percentage`"),
        "{line}"
    );
}

#[test]
fn a_month_reported_twice_names_both_files() {
    let dir = copy_fixture("twice");
    let reports = dir.join("teams/lakeside/reports");
    fs::copy(
        reports.join("2025-02.toml"),
        reports.join("2025-02-again.toml"),
    )
    .unwrap();
    let line = refused(&dir);
    assert!(
        line.contains("team `Lakeside` reports 2025-02 twice"),
        "{line}"
    );
    assert!(
        line.contains("2025-02.toml") && line.contains("2025-02-again.toml"),
        "{line}"
    );
}

#[test]
fn an_unknown_team_names_the_file() {
    let dir = copy_fixture("team");
    edit(&dir.join("teams/valley/team.toml"), "Valley", "Valle");
    let line = refused(&dir);
    assert!(
        line.contains("teams/valley/team.toml: team `Valle` is not among the program's teams"),
        "{line}"
    );
}

#[test]
fn a_folder_without_its_settings_names_the_missing_file() {
    let dir = std::env::temp_dir().join(format!("qic-cli-report-{}-empty", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let line = refused(&dir);
    assert!(line.contains("collaborative.toml"), "{line}");
}

//! Reading a collaborative's folder, and each kind of bad input it must refuse or show.

use std::fs;
use std::path::{Path, PathBuf};

use qic_pdsa::PdsaError;
use qic_pdsa::folder::Collaborative;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/collaborative");

/// A fresh copy of the fixture folder, to change one thing in.
fn copy_fixture(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qic-pdsa-folder-{}-{name}", std::process::id()));
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
    assert!(
        text.contains(from),
        "{} does not contain {from:?}",
        path.display()
    );
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn load_err(dir: &Path) -> String {
    let err = Collaborative::load(dir).unwrap_err();
    let message = err.to_string();
    let _ = fs::remove_dir_all(dir);
    message
}

#[test]
fn the_fixture_loads_with_its_warnings_visible() {
    let c = Collaborative::load(FIXTURE).unwrap();
    let names: Vec<_> = c.teams.iter().map(|t| t.team.name.as_str()).collect();
    assert_eq!(names, ["Lakeside", "Valley"]);
    let lakeside = &c.teams[0];
    assert_eq!(
        lakeside
            .measures
            .iter()
            .map(|m| m.key.as_str())
            .collect::<Vec<_>>(),
        ["bp-control", "recheck"]
    );
    assert_eq!(lakeside.reports.len(), 2);
    assert_eq!(lakeside.series.len(), 2);
    let counts = &lakeside.strata[&"bp-control".parse().unwrap()];
    assert_eq!(counts.rows().used, 600);
    assert_eq!(c.months().len(), 6);

    let warnings: Vec<String> = c
        .warnings
        .iter()
        .map(|w| format!("{}: {}", w.path.display(), w.message))
        .collect();
    assert_eq!(
        warnings,
        [
            "teams/extra: team `Extra` is not enrolled in the cohort `Cohort 1`; its folder is left out of the report",
            "teams/lakeside: the 2025-02 report's value of `bp-control` differs from data/bp-control.csv",
            // The fixture's extract is random, so it does not add up to the data file.
            "teams/lakeside: the monthly totals of strata/bp-control.csv differ from data/bp-control.csv in 2025-02, 2025-03, 2025-04, 2025-05, 2025-06",
            "teams/valley/cycles.toml: no cycles.toml: the team has recorded no PDSA cycles",
        ]
    );
}

#[test]
fn a_misspelt_field_names_the_file_line_and_field() {
    let dir = copy_fixture("misspelt");
    edit(
        &dir.join("teams/lakeside/team.toml"),
        "chosen_measures",
        "chosen_measure",
    );
    let message = load_err(&dir);
    assert!(
        message.contains("teams/lakeside/team.toml:2:1: unknown field `chosen_measure`"),
        "{message}"
    );
}

#[test]
fn a_study_before_its_do_names_the_cycle_and_field() {
    let dir = copy_fixture("study-before-do");
    edit(
        &dir.join("teams/lakeside/cycles.toml"),
        "do = { started = 2025-02-04, finished = 2025-02-04, as_planned = true, what_happened = \"4 of 5 rechecked\" }\n",
        "",
    );
    let message = load_err(&dir);
    assert!(
        message.contains(
            "cycles.toml: error: `c1`, field `study`: study is filled in but do is empty"
        ),
        "{message}"
    );
}

#[test]
fn an_aim_without_a_date_is_refused() {
    let dir = copy_fixture("aim-date");
    edit(
        &dir.join("teams/lakeside/team.toml"),
        "by = 2025-09-30\n",
        "",
    );
    let message = load_err(&dir);
    assert!(message.contains("team.toml"), "{message}");
    assert!(message.contains("missing field `by`"), "{message}");
}

#[test]
fn a_measure_with_an_unknown_unit_is_refused_with_its_line() {
    let dir = copy_fixture("unit");
    edit(
        &dir.join("collaborative.toml"),
        "unit = \"proportion\"",
        "unit = \"percentage\"",
    );
    let message = load_err(&dir);
    assert!(
        message
            .contains("collaborative.toml:12:8: $.measures[0].unit: unknown variant `percentage`"),
        "{message}"
    );
}

#[test]
fn a_month_reported_twice_is_refused_naming_both_files() {
    let dir = copy_fixture("twice");
    let reports = dir.join("teams/lakeside/reports");
    fs::copy(
        reports.join("2025-02.toml"),
        reports.join("2025-02-again.toml"),
    )
    .unwrap();
    let message = load_err(&dir);
    assert!(
        message.contains("team `Lakeside` reports 2025-02 twice"),
        "{message}"
    );
    assert!(message.contains("2025-02-again.toml"), "{message}");
}

#[test]
fn a_team_the_program_does_not_know_is_refused() {
    let dir = copy_fixture("unknown-team");
    edit(&dir.join("teams/valley/team.toml"), "Valley", "Valle");
    let message = load_err(&dir);
    assert!(
        message.contains("team `Valle` is not among the program's teams"),
        "{message}"
    );
}

#[test]
fn bad_data_names_the_line_and_never_the_value() {
    let dir = copy_fixture("data");
    edit(
        &dir.join("teams/lakeside/data/bp-control.csv"),
        "2025-03,58,100",
        "2025-03,158,100",
    );
    let message = load_err(&dir);
    assert!(
        message.contains("bp-control.csv:4: the numerator is above the denominator"),
        "{message}"
    );
    assert!(!message.contains("158"), "{message}");

    let dir = copy_fixture("strata");
    edit(
        &dir.join("teams/lakeside/strata/bp-control.csv"),
        "2025-01,",
        "2025-13,",
    );
    let message = load_err(&dir);
    assert!(message.contains("strata/bp-control.csv"), "{message}");
    assert!(message.contains("line 2"), "{message}");
}

#[test]
fn an_unknown_measure_file_is_refused() {
    let dir = copy_fixture("measure-file");
    fs::write(
        dir.join("teams/valley/data/bp-contrl.csv"),
        "month,numerator,denominator\n",
    )
    .unwrap();
    let message = load_err(&dir);
    assert!(
        message.contains("measure `bp-contrl` is not defined"),
        "{message}"
    );
}

#[test]
fn an_error_is_a_typed_value() {
    let dir = copy_fixture("typed");
    edit(&dir.join("teams/valley/team.toml"), "Valley", "Valle");
    assert!(matches!(
        Collaborative::load(&dir),
        Err(PdsaError::UnknownTeam { .. })
    ));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn data_file_lines_are_true_with_crlf_endings_blank_lines_and_a_byte_order_mark() {
    let dir = copy_fixture("crlf");
    let path = dir.join("teams/lakeside/data/bp-control.csv");
    let text = fs::read_to_string(&path).unwrap();
    let mut crlf = format!("\u{feff}{}", text.replace('\n', "\r\n\r\n"));
    crlf = crlf.replacen("2025-03,58,100", "2025-03,158,100", 1);
    fs::write(&path, crlf).unwrap();
    let message = load_err(&dir);
    // The header is line 1 and each row is followed by a blank line: 2025-03 is on line 7.
    assert!(
        message.contains("bp-control.csv:7: the numerator is above the denominator"),
        "{message}"
    );
}

#[test]
fn a_column_twice_in_a_data_header_is_refused() {
    let dir = copy_fixture("dup-column");
    edit(
        &dir.join("teams/lakeside/data/bp-control.csv"),
        "month,numerator,denominator",
        "month,numerator,numerator",
    );
    let message = load_err(&dir);
    assert!(
        message.ends_with(
            "bp-control.csv:1: column `numerator` appears twice in the header (columns 2 and 3)"
        ),
        "{message}"
    );
}

#[test]
fn a_data_line_longer_than_the_limit_is_refused_with_its_line() {
    let dir = copy_fixture("long-line");
    let path = dir.join("teams/lakeside/data/recheck.csv");
    let mut text = fs::read_to_string(&path).unwrap();
    text.push_str("2025-05,1,");
    text.push_str(&"9".repeat(200));
    text.push('\n');
    let line = text.lines().count();
    fs::write(&path, text).unwrap();
    let options = qic_pdsa::folder::LoadOptions {
        max_line_bytes: 100,
    };
    let err = Collaborative::load_with(&dir, &options)
        .unwrap_err()
        .to_string();
    let _ = fs::remove_dir_all(&dir);
    assert!(
        err.ends_with(&format!(
            "recheck.csv:{line}: line {line} is longer than 100 bytes (the most a line may hold; raise the limit if the file is right)"
        )),
        "{err}"
    );
}

#[test]
fn two_folders_for_one_team_are_refused() {
    let dir = copy_fixture("same-team");
    copy_dir(&dir.join("teams/valley"), &dir.join("teams/valley-copy"));
    let message = load_err(&dir);
    assert!(
        message.contains("teams/valley-copy/team.toml: both folders are team `Valley`"),
        "{message}"
    );
    assert!(message.contains("teams/valley/team.toml and "), "{message}");
}

#[test]
fn sums_too_large_to_chart_are_refused_with_their_line() {
    let dir = copy_fixture("huge");
    let path = dir.join("teams/valley/data/bp-control.csv");
    let mut text = String::from("month,numerator,denominator\n");
    for month in ["2025-01", "2025-02", "2025-03"] {
        text.push_str(month);
        text.push_str(",1e299,9e299\n");
    }
    fs::write(&path, text).unwrap();
    let message = load_err(&dir);
    assert!(
        message.contains(
            "valley/data/bp-control.csv:3: column `denominator`: the denominators of measure `bp-control` over the collaborative add up to more than 1e300, too large to chart"
        ),
        "{message}"
    );
}

#[test]
fn a_data_file_with_only_its_header_is_a_warning_not_a_chart_error() {
    let dir = copy_fixture("header-only");
    fs::write(
        dir.join("teams/valley/data/bp-control.csv"),
        "month,numerator,denominator\n",
    )
    .unwrap();
    let c = Collaborative::load(&dir).unwrap();
    assert!(
        c.warnings.iter().any(|w| w.path.ends_with("bp-control.csv")
            && w.message == "the file has only its header: measure `bp-control` has no data yet"),
        "{:?}",
        c.warnings
    );
    // The report renders: the team simply has no chart for the measure.
    let report = qic_pdsa::report::Report::build(&c).unwrap();
    qic_pdsa::text::render(&report);
    qic_pdsa::html::render(&report);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn the_files_read_are_listed_as_inputs() {
    let c = Collaborative::load(FIXTURE).unwrap();
    let root = Path::new(FIXTURE);
    for file in [
        "collaborative.toml",
        "program.toml",
        "teams/lakeside/team.toml",
        "teams/lakeside/cycles.toml",
        "teams/lakeside/data/bp-control.csv",
        "teams/lakeside/strata/bp-control.csv",
        "teams/extra/team.toml",
    ] {
        assert!(
            c.inputs.contains(&root.join(file)),
            "{file}: {:?}",
            c.inputs
        );
    }
    assert!(
        c.inputs
            .iter()
            .any(|p| p.starts_with(root.join("teams/lakeside/reports")))
    );
}

/// Two teams hide February (7 of 100 and 8 of 80): their pooled total, 15 of 180, leaves each
/// wide enough for the pooled audit alone. But Lakeside also publishes a stratified table of the
/// measure, whose own facts (its total over all months, a row sum) a reader could join with the
/// pooled totals (column sums); so February's pooled point is left out while Lakeside's table is
/// published, and shown once the table is gone.
#[test]
fn a_pooled_month_is_left_out_where_a_team_with_a_table_hides_it() {
    use qic_pdsa::report::publish::Publication;
    let set = |dir: &Path, team: &str, line: &str| {
        let path = dir.join(format!("teams/{team}/data/bp-control.csv"));
        let text = fs::read_to_string(&path).unwrap();
        let replaced: Vec<&str> = text
            .lines()
            .map(|l| if l.starts_with("2025-02,") { line } else { l })
            .collect();
        fs::write(&path, replaced.join("\n") + "\n").unwrap();
    };
    let february = qic_program::YearMonth::new(2025, 2).unwrap();
    let key = qic_pdsa::Key::new("bp-control").unwrap();
    let dir = copy_fixture("linked-table");
    set(&dir, "lakeside", "2025-02,7,100");
    set(&dir, "valley", "2025-02,8,80");

    let with_table = Collaborative::load(&dir).unwrap();
    let publication = Publication::decide(&with_table);
    let lakeside = with_table
        .teams
        .iter()
        .find(|t| t.folder == "lakeside")
        .unwrap();
    assert!(publication.table(lakeside, &key).is_some());
    let pooled = publication.pooled(&key).unwrap();
    assert!(pooled.left_out.contains(&february), "{:?}", pooled.left_out);
    assert!(pooled.series.points().iter().all(|p| p.month != february));

    fs::remove_dir_all(dir.join("teams/lakeside/strata")).unwrap();
    let without_table = Collaborative::load(&dir).unwrap();
    let publication = Publication::decide(&without_table);
    let pooled = publication.pooled(&key).unwrap();
    let point = pooled.series.points().iter().find(|p| p.month == february);
    assert_eq!(
        point.map(|p| (p.numerator, p.denominator)),
        Some((15.0, Some(180.0)))
    );
    let _ = fs::remove_dir_all(&dir);
}

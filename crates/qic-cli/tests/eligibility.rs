//! `qic eligibility` run as a user runs it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The workspace root (examples/ and docs/ live there).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example(name: &str) -> String {
    root()
        .join("examples/data")
        .join(name)
        .display()
        .to_string()
}

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

/// A scratch file for one test (Cargo gives integration tests their own temporary directory).
fn scratch(name: &str, contents: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("eligibility-{name}"));
    std::fs::write(&path, contents).unwrap();
    path
}

const AC: &str = "pursuing-equity-action-community-2022";

#[test]
fn check_prints_a_decision_in_words() {
    let out = qic(&[
        "eligibility",
        "check",
        &example("application-complete.toml"),
        "--rules",
        AC,
        "--as-of",
        "2022-10-21",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("Riverbend Community Health Center: eligible\n"),
        "{text}"
    );
    assert!(text.contains("  pass  team.size"), "{text}");
}

#[test]
fn check_prints_json_that_parses_and_is_the_same_for_json_and_toml() {
    let run = |file: &str| {
        let out = qic(&[
            "eligibility",
            "check",
            &example(file),
            "--rules",
            AC,
            "--as-of",
            "2022-10-21",
            "--format",
            "json",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        out.stdout
    };
    let from_toml = run("application-complete.toml");
    let from_json = run("application-complete.json");
    assert_eq!(
        from_toml, from_json,
        "the two files are the same application"
    );
    let json: serde_json::Value = serde_json::from_slice(&from_json).unwrap();
    assert_eq!(json["outcome"], "eligible");
    assert_eq!(json["ruleset"]["id"], AC);
    assert_eq!(json["as_of"], "2022-10-21");
}

#[test]
fn a_failing_application_is_a_decision_not_an_error() {
    let app = std::fs::read_to_string(example("application-complete.json"))
        .unwrap()
        .replace("\"2022-10-18\"", "\"2022-10-22\"");
    let path = scratch("late.json", &app);
    let out = qic(&[
        "eligibility",
        "check",
        path.to_str().unwrap(),
        "--rules",
        AC,
        "--as-of",
        "2022-10-24",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(": not eligible\n"));
    assert!(stdout(&out).contains("it is late."));
}

#[test]
fn a_misspelt_field_names_file_line_and_column() {
    let app = std::fs::read_to_string(example("application-complete.json"))
        .unwrap()
        .replace("\"letters\"", "\"leters\"");
    let path = scratch("misspelt.json", &app);
    let out = qic(&[
        "eligibility",
        "check",
        path.to_str().unwrap(),
        "--rules",
        AC,
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("misspelt.json:"), "{err}");
    assert!(err.contains("unknown field `leters`"), "{err}");
}

#[test]
fn a_bad_rule_names_the_rule_and_field() {
    let rules = scratch(
        "bad-rules.toml",
        "id = \"x\"\nversion = \"1\"\nname = \"x\"\nadmits = \"x/y\"\n\
         [[rules]]\nrule = \"team.size\"\nseverity = \"required\"\ncitation = \"c\"\nmin = 3\nmaxi = 7\n",
    );
    let out = qic(&[
        "eligibility",
        "check",
        &example("application-complete.json"),
        "--rules",
        rules.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("rules[0] (`team.size`): unknown field `maxi`"),
        "{err}"
    );
}

#[test]
fn unknown_rules_list_the_presets() {
    let out = qic(&[
        "eligibility",
        "check",
        &example("application-complete.json"),
        "--rules",
        "pursuing-equity",
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.starts_with("error: `pursuing-equity` is neither a rule set preset"),
        "{err}"
    );
    assert!(err.contains(AC), "{err}");
}

#[test]
fn a_bad_date_is_refused() {
    let out = qic(&[
        "eligibility",
        "check",
        &example("application-complete.json"),
        "--rules",
        AC,
        "--as-of",
        "21/10/2022",
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--as-of"), "{}", stderr(&out));
}

#[test]
fn batch_writes_one_record_per_line_and_a_summary() {
    let mut input = std::fs::read_to_string(example("applications.jsonl")).unwrap();
    input.push_str("{\"cohort\": \"x\", \"organisation\": {}}\n");
    input.push_str("not json at all\n");
    let path = scratch("batch.jsonl", &input);
    let output = Path::new(env!("CARGO_TARGET_TMPDIR")).join("eligibility-decisions.jsonl");
    let out = qic(&[
        "eligibility",
        "batch",
        path.to_str().unwrap(),
        "--rules",
        AC,
        "--as-of",
        "2022-10-21",
        "--output",
        output.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let written = std::fs::read_to_string(&output).unwrap();
    let records: Vec<serde_json::Value> = written
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        records.len(),
        input.lines().count(),
        "decisions + errors = lines"
    );
    for (i, record) in records.iter().enumerate() {
        assert_eq!(record["line"], i + 1);
    }
    assert_eq!(records[0]["decision"]["outcome"], "eligible");
    assert!(
        records[8]["error"]
            .as_str()
            .unwrap()
            .contains("organisation")
    );
    assert!(records[9]["error"].is_string());

    let summary = stderr(&out);
    assert!(
        summary.starts_with("10 lines: 8 decisions, 2 errors"),
        "{summary}"
    );
    assert!(summary.contains("not eligible"), "{summary}");
    assert!(summary.contains("team.size"), "{summary}");
}

#[test]
fn batch_reads_standard_input() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qic"))
        .args([
            "eligibility",
            "batch",
            "-",
            "--rules",
            AC,
            "--as-of",
            "2022-10-21",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = std::fs::read_to_string(example("applications.jsonl")).unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 8);
}

#[test]
fn batch_on_a_missing_file_fails_naming_it() {
    let out = qic(&["eligibility", "batch", "no-such.jsonl", "--rules", AC]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).starts_with("error: no-such.jsonl: "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn rules_lists_presets_and_prints_them_in_words() {
    let out = qic(&["eligibility", "rules"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains(AC));

    let out = qic(&["eligibility", "rules", AC]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.contains("team.size (required): The core team has 3 to 7 people."),
        "{text}"
    );
    assert!(text.contains("Source: "), "{text}");
}

#[test]
fn a_preset_printed_as_toml_loads_back_as_a_file() {
    let out = qic(&[
        "eligibility",
        "rules",
        "action-learning-collaborative",
        "--format",
        "toml",
    ]);
    assert!(out.status.success());
    let copy = scratch("copied-rules.toml", &stdout(&out));
    assert!(
        stdout(&out).starts_with("# A plain rule set"),
        "comments are kept"
    );
    let again = qic(&[
        "eligibility",
        "rules",
        copy.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(again.status.success(), "{}", stderr(&again));
    let json: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(json["id"], "action-learning-collaborative");
}

#[test]
fn the_published_schema_is_current() {
    let out = qic(&["eligibility", "schema"]);
    assert!(out.status.success());
    let published =
        std::fs::read_to_string(root().join("docs/application.schema.json")).unwrap_or_default();
    assert!(
        stdout(&out) == published,
        "docs/application.schema.json is stale or missing; regenerate it with:\n  \
         cargo run -p qic-cli -- eligibility schema > docs/application.schema.json"
    );
}

#[test]
fn a_readiness_report_judges_the_data() {
    let out = qic(&[
        "eligibility",
        "check",
        &example("application-complete.toml"),
        "--rules",
        AC,
        "--as-of",
        "2022-10-21",
        "--readiness",
        &example("readiness-report.json"),
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["outcome"], "offered_other_cohort");
    let sogi = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "data.sogi")
        .unwrap();
    assert!(
        sogi["message"]
            .as_str()
            .unwrap()
            .starts_with("Your readiness report shows gender identity usable in 40.8% of records;"),
        "{sogi}"
    );

    let bad = scratch("bad-report.json", "{\"records\": 3,\n \"thresholds\": 1}");
    let out = qic(&[
        "eligibility",
        "check",
        &example("application-complete.toml"),
        "--rules",
        AC,
        "--readiness",
        bad.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("bad-report.json:2:"), "{err}");
}

#[test]
fn a_batch_refuses_to_write_over_its_own_input_and_leaves_it_whole() {
    let line = std::fs::read_to_string(example("application-complete.json"))
        .unwrap()
        .replace('\n', " ");
    let input = scratch("own-input.jsonl", &format!("{line}\n"));
    let before = std::fs::read(&input).unwrap();
    let out = qic(&[
        "eligibility",
        "batch",
        &input.display().to_string(),
        "--rules",
        "pursuing-equity-action-community-2022",
        "--as-of",
        "2022-03-01",
        "--output",
        &input.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("refusing to write over an input"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

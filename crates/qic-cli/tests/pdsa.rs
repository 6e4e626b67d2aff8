//! `qic pdsa new|validate|show` run as a user runs them.

use std::fs;
use std::path::PathBuf;
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

fn dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qic-cli-pdsa-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn program() -> String {
    format!("{FIXTURE}/program.toml")
}

/// The fixture team's cycles with one cycle's `do` removed: study before do.
fn study_before_do(dir: &std::path::Path) -> String {
    let original = fs::read_to_string(format!("{FIXTURE}/teams/lakeside/cycles.toml")).unwrap();
    let broken = original.replace(
        "do = { started = 2025-02-04, finished = 2025-02-04, as_planned = true, what_happened = \"4 of 5 rechecked\" }\n",
        "",
    );
    assert_ne!(broken, original);
    let path = dir.join("cycles.toml");
    fs::write(&path, broken).unwrap();
    path.display().to_string()
}

#[test]
fn new_writes_a_commented_template_that_validates() {
    let d = dir("new");
    let file = d.join("cycles.toml").display().to_string();
    let out = qic(&[
        "pdsa",
        "new",
        &file,
        "--idea",
        "recheck",
        "--title",
        "Recheck high readings",
        "--date",
        "2025-03-03",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let template = fs::read_to_string(&file).unwrap();
    assert!(template.starts_with("# A team's PDSA cycles"));
    assert!(template.contains("key = \"recheck\""));
    assert!(template.contains("# [cycles.study]"));
    let out = qic(&["pdsa", "validate", &file, "--program", &program()]);
    assert!(out.status.success(), "{}", text(&out.stdout));
    assert_eq!(
        text(&out.stdout).trim(),
        format!(
            "{file}: 1 change idea, 1 cycle: no problems; dates checked against Hypertension Control Collaborative (2025-01-01 to 2025-09-30)"
        )
    );
    // The template's commented phases, filled in, still validate.
    let fields = [
        "[cycles.",
        "started",
        "finished",
        "as_planned",
        "what_happened",
        "observations",
        "problems",
        "date",
        "results",
        "predictions_met",
        "learning",
        "decision",
        "next",
    ];
    let mut filled = String::new();
    for line in template.lines() {
        let line = match line.strip_prefix("# ") {
            Some(rest)
                if fields.iter().any(|f| {
                    rest.starts_with(&format!("{f} ")) || rest.starts_with("[cycles.")
                }) =>
            {
                rest
            }
            _ => line,
        };
        filled.push_str(line);
        filled.push('\n');
    }
    fs::write(&file, filled).unwrap();
    let out = qic(&["pdsa", "validate", &file]);
    assert!(out.status.success(), "{}", text(&out.stdout));
    let out = qic(&["pdsa", "show", &file]);
    assert!(text(&out.stdout).contains("c1 [recheck] 5 patients, acted"));
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn new_on_an_existing_file_plans_the_next_cycle_of_the_ramp() {
    let d = dir("next");
    let file = d.join("cycles.toml");
    fs::copy(format!("{FIXTURE}/teams/lakeside/cycles.toml"), &file).unwrap();
    let file = file.display().to_string();
    let out = qic(&["pdsa", "new", &file, "--date", "2025-02-10", "--size", "20"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout)
            .contains("cycle c2 planned on 2025-02-10 (change idea `recheck`, follows c1)"),
        "{}",
        text(&out.stdout)
    );
    let out = qic(&["pdsa", "show", &file, "--format", "json"]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["cycles"][1]["key"], "c2");
    assert_eq!(json["cycles"][1]["phase"], "planned");
    assert_eq!(json["cycles"][1]["follows"], "c1");
    assert_eq!(json["ramps"][0]["cycles"], serde_json::json!(["c1", "c2"]));
    assert_eq!(json["problems"], serde_json::json!([]));

    // A plan dated before the act of the cycle it follows is refused, and the file is kept.
    let before = fs::read_to_string(&file).unwrap();
    let out = qic(&[
        "pdsa",
        "new",
        &file,
        "--follows",
        "c1",
        "--date",
        "2025-02-01",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("`c3`, field `plan.date`"), "{stderr}");
    assert_eq!(fs::read_to_string(&file).unwrap(), before);

    // A new idea needs a title.
    let out = qic(&["pdsa", "new", &file, "--idea", "teach-back"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("give --title"));
    let out = qic(&[
        "pdsa",
        "new",
        &file,
        "--idea",
        "teach-back",
        "--title",
        "Teach-back",
        "--date",
        "2025-03-01",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = qic(&["pdsa", "validate", &file]);
    assert!(out.status.success(), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("2 change ideas, 3 cycles"));
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn new_writes_json_when_the_file_is_json() {
    let d = dir("json");
    let file = d.join("cycles.json").display().to_string();
    let out = qic(&["pdsa", "new", &file, "--date", "2025-03-03"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(json["cycles"][0]["key"], "c1");
    assert!(qic(&["pdsa", "validate", &file]).status.success());
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn validate_lists_every_problem_naming_the_file_cycle_and_field() {
    let d = dir("validate");
    let file = study_before_do(&d);
    let out = qic(&["pdsa", "validate", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout).trim(),
        format!(
            "{file}: error: `c1`, field `study`: study is filled in but do is empty: the phases come in order"
        )
    );
    assert_eq!(
        text(&out.stderr).trim(),
        format!("error: {file}: 1 error, 0 warnings")
    );

    // Against the program, a date outside it is an error too; warnings are listed with errors.
    let moved = fs::read_to_string(&file)
        .unwrap()
        .replace("date = 2025-02-03", "date = 2024-12-20");
    fs::write(&file, moved).unwrap();
    let out = qic(&["pdsa", "validate", &file, "--program", &program()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "`c1`, field `plan.date`: 2024-12-20 is outside the program (2025-01-01 to 2025-09-30)"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("`c1`, field `study`"), "{stdout}");
    assert!(text(&out.stderr).contains("2 errors"));
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn validate_refuses_a_misspelt_field_in_one_line() {
    let d = dir("misspelt");
    let file = d.join("cycles.toml");
    let original = fs::read_to_string(format!("{FIXTURE}/teams/lakeside/cycles.toml")).unwrap();
    fs::write(&file, original.replace("objective", "objectiv")).unwrap();
    let file = file.display().to_string();
    let out = qic(&["pdsa", "validate", &file]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "error: {file}:12:29: $.cycles[0].plan: unknown field `objectiv`"
        )),
        "{stderr}"
    );
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn show_prints_cycles_and_ramps_as_text() {
    let file = format!("{FIXTURE}/teams/lakeside/cycles.toml");
    let out = qic(&["pdsa", "show", &file]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let expected = format!(
        "{file}: 1 change idea, 1 cycle, 1 ramp

Change ideas
  recheck: Recheck high readings after five minutes of rest (change package: accurate-measurement; measures: bp-control)

Cycles
  c1 [recheck] 5 patients, acted
      plan 2025-02-03: Can one MA recheck every high reading?
        predictions: 4 of 5 rechecked
        who: One MA; what: Recheck; when: Tuesday; where: Clinic A
      do 2025-02-04 to 2025-02-04 (as planned): 4 of 5 rechecked
      study 2025-02-05 (predictions met: yes): 4 of 5
      act 2025-02-06: adopt; next: All MAs

Ramps
  recheck: c1 (5 patients); latest decision: adopt
"
    );
    assert_eq!(stdout, expected);
}

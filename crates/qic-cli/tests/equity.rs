//! `qic equity` run as a user runs it: good files give reports, bad ones one error line naming
//! the file, line and column.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::{Command, Output};

fn qic(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qic"))
        .args(args)
        .output()
        .expect("the qic binary runs")
}

fn dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qic-cli-equity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn file(name: &str, contents: &str) -> String {
    let path = dir().join(name);
    std::fs::write(&path, contents).unwrap();
    path.display().to_string()
}

/// A screening extract: three months, a gap between White and Black patients, a few local codes.
fn extract() -> String {
    let mut s = String::from("id,visit_date,screened,eligible,race,ethnicity\n");
    let mut id = 0;
    for month in 1..=3 {
        for (race, n, screened) in [
            ("2106-3", 200, 150),
            ("2054-5", 100, 55),
            ("R9", 30, 20),
            ("ASKU", 4, 2),
        ] {
            for i in 0..n {
                id += 1;
                let _ = writeln!(
                    s,
                    "{id},2024-{month:02}-15,{},1,{race},{}",
                    u8::from(i < screened),
                    if i % 5 == 0 { "2135-2" } else { "2186-5" }
                );
            }
        }
    }
    s
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn readiness_reports_verdicts_and_lists_unmapped_values_apart() {
    let data = file("readiness.csv", &extract());
    let listing = dir().join("unmapped.csv");
    let out = qic(&[
        "equity",
        "readiness",
        &data,
        "--column",
        "race=race",
        "--column",
        "ethnicity=ethnicity",
        "--format",
        "json",
        "--unmapped-values",
        listing.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["dimensions"][0]["verdict"], "not_ready"); // 90 of 1002 unmapped
    assert_eq!(json["dimensions"][1]["verdict"], "ready");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("R9"));
    let listing = std::fs::read_to_string(listing).unwrap();
    assert_eq!(listing, "dimension,raw,category,records\nrace,R9,,90\n");
    assert!(stderr(&out).contains("INTERNAL"));
}

#[test]
fn a_mapping_file_maps_local_codes() {
    let data = file("mapped.csv", &extract());
    let map = file("map.csv", "dimension,raw,category\nrace,R9,asian\n");
    let out = qic(&[
        "equity",
        "readiness",
        &data,
        "--column",
        "race=race",
        "--map",
        &map,
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["dimensions"][0]["verdict"], "ready");
    assert_eq!(json["dimensions"][0]["counts"]["unmapped"], 0);
}

#[test]
fn stratify_writes_a_suppressed_table_and_reports_rows() {
    let data = file("stratify.csv", &extract());
    let out = qic(&[
        "equity",
        "stratify",
        &data,
        "--period",
        "visit_date",
        "--numerator",
        "screened",
        "--denominator",
        "eligible",
        "--by",
        "race",
        "--format",
        "csv",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(
        csv.starts_with(
            "period,race,numerator,denominator,rate,lower,upper,suppressed,unreliable\n"
        )
    );
    // 4 declined records a month: hidden, with no count shown.
    assert!(csv.contains("2024-01,declined,,,,,,true,false"), "{csv}");
    assert!(csv.contains("2024-01,white,150,200,0.75,"));
    assert!(stderr(&out).contains("1002 rows read, 1002 used"));

    let open = qic(&[
        "equity",
        "stratify",
        &data,
        "--period",
        "visit_date",
        "--numerator",
        "screened",
        "--by",
        "race",
        "--format",
        "csv",
        "--no-suppression-internal-use-only",
    ]);
    assert!(open.status.success());
    assert!(String::from_utf8_lossy(&open.stdout).contains("2024-01,declined,2,4,0.5,"));
    assert!(stderr(&open).contains("must not be shared"));
}

#[test]
fn disparity_compares_groups_with_the_reference() {
    let data = file("disparity.csv", &extract());
    let out = qic(&[
        "equity",
        "disparity",
        &data,
        "--period",
        "visit_date",
        "--numerator",
        "screened",
        "--by",
        "race",
        "--reference",
        "White",
        "--direction",
        "higher-is-better",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &json["periods"][0];
    assert_eq!(first["reference"], serde_json::json!(["white"]));
    assert_eq!(
        first["comparisons"][0]["group"],
        serde_json::json!(["black_or_african_american"])
    );
    let diff = first["comparisons"][0]["rate_difference"].as_f64().unwrap();
    assert!((diff - (0.55 - 0.75)).abs() < 1e-12);
    assert_eq!(json["gaps"][0]["points"].as_array().unwrap().len(), 3);

    let unknown = qic(&[
        "equity",
        "disparity",
        &data,
        "--period",
        "visit_date",
        "--numerator",
        "screened",
        "--by",
        "race",
        "--reference",
        "asian",
        "--direction",
        "higher-is-better",
    ]);
    assert_eq!(unknown.status.code(), Some(1));
    assert_eq!(
        stderr(&unknown).lines().last(),
        Some("error: the reference group `asian` is not among the strata")
    );
}

/// Runs `qic equity stratify` on `contents` and returns the error line (the path replaced).
fn stratify_error(name: &str, contents: &str) -> String {
    let data = file(name, contents);
    let out = qic(&[
        "equity",
        "stratify",
        &data,
        "--period",
        "visit_date",
        "--numerator",
        "screened",
        "--denominator",
        "eligible",
        "--by",
        "race",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    err.trim_end().replace(&data, name)
}

#[test]
fn bad_inputs_stop_with_file_line_and_column() {
    let head = "id,visit_date,screened,eligible,race\n1,2024-01-15,1,1,2106-3\n";
    let cases = [
        (
            "date.csv",
            format!("{head}2,2024-01-32,1,1,2106-3\n"),
            "error: date.csv: line 3, column 2 (`visit_date`): not a date (YYYY-MM-DD) or a month (YYYY-MM)",
        ),
        (
            "above.csv",
            format!("{head}2,2024-01-15,3,2,2106-3\n"),
            "error: above.csv: line 3, column 4 (`eligible`): the numerator is larger than the denominator",
        ),
        (
            "negative.csv",
            format!("{head}2,2024-01-15,1,-7,2106-3\n"),
            "error: negative.csv: line 3, column 4 (`eligible`): a negative count",
        ),
        (
            "count.csv",
            format!("{head}2,2024-01-15,maybe,1,2106-3\n"),
            "error: count.csv: line 3, column 3 (`screened`): not a whole number",
        ),
        (
            "fields.csv",
            format!("{head}2,2024-01-15,1,1\n"),
            "error: fields.csv: line 3: the record has 4 fields, the header has 5",
        ),
        (
            "column.csv",
            "id,visit_date,screened,race\n1,2024-01-15,1,2106-3\n".to_owned(),
            "error: column.csv: line 1: column `eligible` is not in the header",
        ),
    ];
    for (name, contents, want) in cases {
        let got = stratify_error(name, &contents);
        assert_eq!(got, want);
        for value in ["2024-01-32", "maybe", "-7"] {
            assert!(!got.contains(value), "{got}");
        }
    }
}

#[test]
fn bad_mapping_files_and_arguments_are_named() {
    let data = file("args.csv", &extract());
    let map = file(
        "bad-map.csv",
        "dimension,raw,category\nrace,R9,asian\nrace,R8,purple\n",
    );
    let out = qic(&[
        "equity",
        "readiness",
        &data,
        "--column",
        "race=race",
        "--map",
        &map,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out).trim_end().replace(&map, "bad-map.csv"),
        "error: bad-map.csv:3: `purple` is not a category of race (nor declined, unknown or missing)"
    );
    let out = qic(&["equity", "readiness", &data, "--column", "religion=race"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).starts_with("error: unknown dimension `religion`"));
    let out = qic(&[
        "equity",
        "stratify",
        &data,
        "--period",
        "visit_date",
        "--numerator",
        "screened",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).starts_with("error: give at least one stratifier"));
}

/// The reproducer: under line-by-line complementary suppression the hidden 2024-02/S2
/// cell (8/9) could be solved from the totals. The published JSON must leave it undetermined
/// (the attack itself is re-run on the JSON by qic-equity's property tests).
const LEAK: &str = "month,site,num,den
2024-01,S0,7,8
2024-02,S0,3,13
2024-02,S2,8,9
2024-03,S0,0,11
2024-03,S1,10,12
2024-03,S2,5,11
2024-03,S3,3,11
2024-04,S0,27,57
2024-04,S1,8,8
2024-04,S2,17,19
2024-04,S3,2,52
";

#[test]
fn the_reproducer_publishes_no_derivable_cell_and_says_it_was_audited() {
    let data = file("leak.csv", LEAK);
    let args = [
        "equity",
        "stratify",
        &data,
        "--period",
        "month",
        "--numerator",
        "num",
        "--denominator",
        "den",
        "--by-column",
        "site",
    ];
    let out = qic(&[&args[..], &["--format", "json"]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    let table: qic_equity::stratify::StratifiedTable = serde_json::from_slice(&out.stdout).unwrap();
    assert!(table.disclosure_audit.is_some());
    for attacked in table.attack(qic_equity::stratify::StrataAssumption::Split) {
        let bounds = attacked.bounds.unwrap();
        assert!(!bounds.is_determined(), "{attacked:?}");
    }
    let text = qic(&args);
    assert!(
        String::from_utf8_lossy(&text.stdout).contains("Audited: no hidden count"),
        "{}",
        String::from_utf8_lossy(&text.stdout)
    );
}

#[test]
fn the_run_summary_shows_no_count_the_table_hides() {
    // One row with an empty period: "1 skipped (empty period)" would reveal a count of 1.
    let mut csv = String::from("month,site,num,den\n,S0,1,1\n");
    for row in 0..12 {
        let _ = writeln!(csv, "2024-01,S{},20,50", row % 3);
    }
    let data = file("summary.csv", &csv);
    let out = qic(&[
        "equity",
        "stratify",
        &data,
        "--period",
        "month",
        "--numerator",
        "num",
        "--denominator",
        "den",
        "--by-column",
        "site",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("<hidden> skipped (empty period)"), "{err}");
    assert!(!err.contains(" 1 skipped"), "{err}");
    // 13 read and 12 used would give the hidden 1 away: one of them is hidden too.
    assert!(
        !(err.contains("13 rows read") && err.contains("12 used")),
        "{err}"
    );
}

#[test]
fn suppress_up_to_help_says_what_else_is_hidden() {
    let out = qic(&["equity", "stratify", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("non-events"), "{help}");
    assert!(help.contains("complements"), "{help}");
}

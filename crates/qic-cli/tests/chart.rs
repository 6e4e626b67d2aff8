//! `qic chart` run as a user runs it: JSON, SVG and text output, and one-line errors that name
//! the file, line and column.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

fn qic(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_qic"))
        .args(args)
        .output()
        .expect("the qic binary runs")
}

/// Writes `contents` to a file of its own under the target directory.
fn csv_file(name: &str, contents: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("qic-chart-tests");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("csv written");
    path
}

fn monthly_p() -> String {
    let mut text = String::from("x,y,n\n");
    let counts = [
        30, 28, 33, 31, 29, 35, 30, 32, 27, 31, 30, 29, 20, 18, 22, 19, 17, 21, 18, 20,
    ];
    for (i, y) in counts.iter().enumerate() {
        let (year, month) = (2023 + i / 12, i % 12 + 1);
        let _ = writeln!(text, "{year}-{month:02}-01,{y},100");
    }
    text
}

fn error_line(out: &std::process::Output) -> String {
    assert!(!out.status.success(), "expected a failure");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    stderr.trim_end().to_owned()
}

#[test]
fn json_has_the_contract_fields() {
    let path = csv_file("p.csv", &monthly_p());
    let out = qic(&[
        "chart",
        "--chart",
        "p",
        "--input",
        path.to_str().unwrap_or_default(),
        "--freeze",
        "12",
        "--format",
        "json",
        "--direction",
        "down",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["chart"], "p");
    let point = &json["points"][0];
    for field in [
        "x",
        "y",
        "n",
        "cl",
        "lcl",
        "ucl",
        "lcl_95",
        "ucl_95",
        "sigma_signal",
        "part",
        "baseline",
        "include",
        "signals",
    ] {
        assert!(point.get(field).is_some(), "point field {field}");
    }
    assert_eq!(point["x"], "2023-01-01");
    assert_eq!(point["cl"], 365.0 / 1200.0);
    let summary = &json["summary"][0];
    for field in [
        "part",
        "n_obs",
        "n_useful",
        "longest_run",
        "longest_run_max",
        "n_crossings",
        "n_crossings_min",
        "runs_signal",
        "sigma_signal_count",
        "cl",
        "a_lcl",
        "a_ucl",
    ] {
        assert!(summary.get(field).is_some(), "summary field {field}");
    }
    assert_eq!(summary["runs_signal"], true);
    assert_eq!(json["points"][13]["baseline"], false);
    assert!(
        json["signals"]
            .as_array()
            .is_some_and(|s| s.iter().any(|s| s["assessment"] == "improvement"))
    );
}

#[test]
fn parts_exclude_multiply_and_rules_are_passed_on() {
    let path = csv_file("p2.csv", &monthly_p());
    let out = qic(&[
        "chart",
        "--chart",
        "p",
        "--input",
        path.to_str().unwrap_or_default(),
        "--part",
        "12",
        "--exclude",
        "3,5",
        "--multiply",
        "100",
        "--rules",
        "mdc",
        "--target",
        "25",
        "--direction",
        "down",
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["summary"].as_array().map(Vec::len), Some(2));
    assert_eq!(json["points"][2]["include"], false);
    assert_eq!(json["points"][12]["part"], 2);
    assert_eq!(json["rules"], "mdc");
    let cl = json["summary"][1]["cl"].as_f64().unwrap_or_default();
    assert!((cl - 155.0 / 8.0).abs() < 1e-9, "{cl}");
    assert!(json["making_data_count"]["variation"].is_string());
}

#[test]
fn rows_with_the_same_x_form_one_subgroup() {
    let path = csv_file(
        "xbar.csv",
        "x,y\n1,10\n1,12\n2,11\n2,13\n2,15\n1,\n3,9\n3,10\n",
    );
    let out = qic(&[
        "chart",
        "--chart",
        "xbar",
        "--input",
        path.to_str().unwrap_or_default(),
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let ys: Vec<f64> = json["points"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["y"].as_f64())
        .collect();
    assert_eq!(ys, vec![11.0, 13.0, 9.5]);
    assert_eq!(json["points"][1]["n"], 3.0);
}

#[test]
fn svg_and_text_are_written() {
    let path = csv_file("p3.csv", &monthly_p());
    let out_path = path.with_extension("svg");
    let out = qic(&[
        "chart",
        "--chart",
        "p",
        "--input",
        path.to_str().unwrap_or_default(),
        "--format",
        "svg",
        "--output",
        out_path.to_str().unwrap_or_default(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = std::fs::read_to_string(&out_path).expect("svg written");
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("<desc id=\"qic-chart-desc\">P chart of 20 subgroups"));
    let out = qic(&[
        "chart",
        "--chart",
        "run",
        "--input",
        path.to_str().unwrap_or_default(),
    ]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("longest(max)") && text.contains("2023-01-01"),
        "{text}"
    );
}

#[test]
fn bad_input_gets_one_line_naming_file_line_and_column() {
    let cases = [
        (
            "missing_column.csv",
            "x,value\n1,2\n",
            "i",
            "missing_column.csv:1: the header has no column y",
        ),
        (
            "text.csv",
            "x,y\n1,2\n2,many\n",
            "i",
            "text.csv:3, column y: not a number",
        ),
        (
            "negative.csv",
            "x,y,n\n1,-2,10\n",
            "p",
            "negative.csv:2, column y: a count may not be negative",
        ),
        (
            "above.csv",
            "x,y,n\n1,2,10\n2,12,10\n",
            "p",
            "above.csv:3, column y: the numerator is larger than the denominator",
        ),
        (
            "zero_t.csv",
            "x,y\n1,2\n2,0\n",
            "t",
            "zero_t.csv:3, column y: a time between events must be greater than zero",
        ),
        (
            "no_n.csv",
            "x,y\n1,2\n",
            "u",
            "no_n.csv:1, column n: a u chart needs a column n of denominators",
        ),
        (
            "cells.csv",
            "x,y\n1,2,3\n",
            "run",
            "cells.csv:2: this row has 3 cells but the header has 2",
        ),
        (
            "mixed.csv",
            "x,y\n1,2\n2024-01-01,3\n",
            "run",
            "mixed.csv:3, column x: expected a number like the first row's",
        ),
    ];
    for (name, contents, chart, expected) in cases {
        let path = csv_file(name, contents);
        let out = qic(&[
            "chart",
            "--chart",
            chart,
            "--input",
            path.to_str().unwrap_or_default(),
        ]);
        let line = error_line(&out);
        assert!(line.contains(expected), "{line} does not say {expected}");
        // Values from the file never appear in the message.
        assert!(!line.contains("many") && !line.contains("-2"), "{line}");
    }
}

#[test]
fn bad_options_get_one_line() {
    let path = csv_file("p4.csv", &monthly_p());
    let p = path.to_str().unwrap_or_default();
    let line = error_line(&qic(&["chart", "--chart", "np", "--input", p]));
    assert!(line.contains("unknown chart type \"np\""), "{line}");
    let line = error_line(&qic(&[
        "chart", "--chart", "p", "--input", p, "--freeze", "21",
    ]));
    assert!(
        line.ends_with("p4.csv: freeze position 21 is beyond the 20 subgroups of the data"),
        "{line}"
    );
    let line = error_line(&qic(&[
        "chart", "--chart", "p", "--input", p, "--part", "20",
    ]));
    assert!(line.contains("part position 20"), "{line}");
    let line = error_line(&qic(&[
        "chart",
        "--chart",
        "p",
        "--input",
        "/nonexistent/file.csv",
    ]));
    assert!(line.contains("/nonexistent/file.csv"), "{line}");
}

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
    // One error line, then at most a hint on what to do.
    let mut lines = stderr.lines();
    let first = lines.next().unwrap_or_default().to_owned();
    let rest: Vec<&str> = lines.collect();
    assert!(
        rest.is_empty() || (rest.len() == 1 && rest[0].starts_with("hint: ")),
        "one line and at most a hint: {stderr}"
    );
    assert!(first.starts_with("error: "), "{stderr}");
    first
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
    // An unknown chart type is refused as clap refuses any unknown value: exit status 2 and
    // the list of possible values.
    let out = qic(&["chart", "--chart", "np", "--input", p]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("invalid value 'np'")
            && stderr.contains("run, i, mr, xbar, s, t, p, pp, c, u, up, g"),
        "{stderr}"
    );
    let line = error_line(&qic(&[
        "chart", "--chart", "p", "--input", p, "--part", "0",
    ]));
    assert!(
        line.contains("option part positions count subgroups from 1"),
        "{line}"
    );
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

/// The one-line error of `qic chart --chart CHART` on a file of these contents.
fn chart_error(name: &str, contents: &str, chart: &str) -> String {
    let path = csv_file(name, contents);
    error_line(&qic(&[
        "chart",
        "--chart",
        chart,
        "--input",
        path.to_str().unwrap_or_default(),
    ]))
}

fn run_ok(args: &[&str]) -> (String, String) {
    let out = qic(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn lines_are_right_with_crlf_and_blank_lines() {
    let line = chart_error("crlf.csv", "x,y\r\n\r\n1,2\r\n2,3\r\n\r\n3,three\r\n", "i");
    assert!(
        line.ends_with("crlf.csv:6, column y: not a number"),
        "{line}"
    );
}

#[test]
fn a_date_that_is_no_date_is_an_error_not_a_label() {
    let line = chart_error("month13.csv", "x,y\n2024-13-01,2\n2024-02-01,3\n", "run");
    assert!(
        line.contains("month13.csv:2, column x: not a real date"),
        "{line}"
    );
}

#[test]
fn a_line_over_the_limit_is_named() {
    let mut text = String::from("x,y\n1,2\n2,");
    text.push_str(&"1".repeat(200));
    text.push('\n');
    let path = csv_file("long.csv", &text);
    let p = path.to_str().unwrap_or_default();
    let line = error_line(&qic(&[
        "chart",
        "--chart",
        "run",
        "--input",
        p,
        "--max-line-bytes",
        "64",
    ]));
    assert!(
        line.contains("long.csv:3: the line is longer than 64 bytes"),
        "{line}"
    );
    // The default limit (8 MiB) reads it.
    run_ok(&["chart", "--chart", "run", "--input", p]);
}

#[test]
fn sums_too_large_are_an_error_naming_the_line() {
    let line = chart_error("huge.csv", "x,y\n1,2e306\n2,2e306\n3,1\n", "i");
    assert!(
        line.contains("huge.csv:3, column y: the values are too large to add up"),
        "{line}"
    );
}

#[test]
fn repeated_x_on_an_i_chart_and_a_long_freeze_are_warnings() {
    let path = csv_file("dup.csv", "x,y\n1,2\n2,3\n2,5\n3,4\n4,6\n5,5\n");
    let p = path.to_str().unwrap_or_default();
    let (_, stderr) = run_ok(&["chart", "--chart", "i", "--input", p, "--format", "json"]);
    assert!(
        stderr.contains(
            "dup.csv: 6 rows became 5 subgroups: rows with the same x are averaged (line 4 has the x of line 3)"
        ),
        "{stderr}"
    );
    let (_, stderr) = run_ok(&[
        "chart", "--chart", "i", "--input", p, "--part", "2", "--freeze", "3",
    ]);
    assert!(
        stderr.contains("part 1 has 2 subgroups, fewer than the freeze of 3"),
        "{stderr}"
    );
}

#[test]
fn a_collaboratives_own_file_is_read_by_column_names() {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../qic-pdsa/tests/fixtures/collaborative/teams/lakeside/data/bp-control.csv");
    let p = file.to_str().unwrap_or_default();
    let (stdout, _) = run_ok(&[
        "chart",
        "--chart",
        "p",
        "--input",
        p,
        "--x-col",
        "month",
        "--y-col",
        "numerator",
        "--n-col",
        "denominator",
        "--format",
        "json",
        "--fields",
        "x,y,cl",
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let first = &json["points"][0];
    // YYYY-MM months are dates (the first of the month), not labels.
    assert!(
        first["x"]
            .as_str()
            .is_some_and(|x| x.ends_with("-01") && x.len() == 10),
        "{first}"
    );
    assert_eq!(first.as_object().map(serde_json::Map::len), Some(3));
    // In the order asked for.
    let (x, y, cl) = (
        stdout.find("\"x\""),
        stdout.find("\"y\""),
        stdout.find("\"cl\""),
    );
    assert!(x < y && y < cl, "{stdout}");
    // Without the names, the header is explained.
    let line = error_line(&qic(&["chart", "--chart", "p", "--input", p]));
    assert!(
        line.contains("the header has no column x (its columns: month, numerator, denominator)"),
        "{line}"
    );
}

#[test]
fn csv_output_has_the_chosen_fields() {
    let path = csv_file("p5.csv", &monthly_p());
    let p = path.to_str().unwrap_or_default();
    let (stdout, _) = run_ok(&[
        "chart", "--chart", "p", "--input", p, "--freeze", "12", "--format", "csv",
    ]);
    let mut lines = stdout.lines();
    assert_eq!(lines.next(), Some("x,y,cl,lcl,ucl,signal"));
    assert_eq!(lines.clone().count(), 20);
    let first: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    assert_eq!(first[0], "2023-01-01");
    assert_eq!(first[1], "0.3");
    assert_eq!(first[5], "false");
    // The cl reads back as the same number JSON gives.
    assert_eq!(first[2].parse::<f64>().ok(), Some(365.0 / 1200.0));
    let (stdout, _) = run_ok(&[
        "chart",
        "--chart",
        "p",
        "--input",
        p,
        "--freeze",
        "12",
        "--format",
        "csv",
        "--fields",
        "x,n,part,signals,baseline",
    ]);
    assert!(
        stdout.starts_with("x,n,part,signals,baseline\n2023-01-01,100,1,,true\n"),
        "{stdout}"
    );
    assert!(stdout.contains("anhoej_longest_run"), "{stdout}");
    let out = qic(&[
        "chart", "--chart", "p", "--input", p, "--format", "csv", "--fields", "x,mean",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown point field \"mean\""));
}

/// A p chart of `path` with a frozen baseline, Making Data Count rules and lower better.
fn mdc_p_chart<'a>(path: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "chart",
        "--chart",
        "p",
        "--input",
        path,
        "--freeze",
        "12",
        "--rules",
        "mdc",
        "--direction",
        "down",
    ];
    args.extend_from_slice(more);
    args
}

#[test]
fn svg_has_titles_and_making_data_count_colours() {
    let path = csv_file("p6.csv", &monthly_p());
    let out_path = path.with_extension("svg");
    run_ok(&mdc_p_chart(
        path.to_str().unwrap_or_default(),
        &[
            "--target",
            "0.25",
            "--multiply",
            "100",
            "--title",
            "Falls with harm",
            "--subtitle",
            "Adults on wards 3 and 4",
            "--ylab",
            "% of patients",
            "--xlab",
            "month",
            "--format",
            "svg",
            "--output",
            out_path.to_str().unwrap_or_default(),
        ],
    ));
    let svg = std::fs::read_to_string(&out_path).expect("svg written");
    for text in [
        ">Falls with harm</text>",
        ">Adults on wards 3 and 4</text>",
        ">% of patients</text>",
        ">month</text>",
        "Source: p6.csv. Making Data Count rules; centre and limits from the first 12 subgroups",
        // Improvement blue (lower is better and the rate fell) and the icons.
        "fill=\"#00B0F0\"",
        "Variation: special cause improvement, by lower values",
    ] {
        assert!(svg.contains(text), "{text}");
    }
}

#[test]
fn text_speaks_plain_words() {
    let path = csv_file("p7.csv", &monthly_p());
    // A negative number is a value, not a flag.
    let (stdout, _) = run_ok(&mdc_p_chart(
        path.to_str().unwrap_or_default(),
        &["--target", "-5"],
    ));
    assert!(
        stdout.contains("Making Data Count variation: special cause improvement, by lower values"),
        "{stdout}"
    );
    assert!(stdout.contains("assurance: consistently"), "{stdout}");
    for rust_name in [
        "ImprovementLow",
        "Some(",
        "None",
        "Inconsistent",
        "mdc_shift",
    ] {
        assert!(!stdout.contains(rust_name), "{rust_name} in {stdout}");
    }
}

#[test]
fn the_subnormal_input_renders_for_every_chart() {
    let path = csv_file("tiny.csv", "x,y\n1,0\n2,1e-320\n3,2e-320\n4,0\n");
    let p = path.to_str().unwrap_or_default();
    for chart in ["run", "i", "mr", "xbar", "s", "c", "g"] {
        let out = qic(&["chart", "--chart", chart, "--input", p, "--format", "svg"]);
        assert!(
            out.status.code() == Some(0) || out.status.code() == Some(1),
            "{chart}: {:?}",
            out.status
        );
        if out.status.success() {
            let svg = String::from_utf8_lossy(&out.stdout);
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "{chart}");
        }
    }
}

//! The `qic` binary run as a user runs it.

use std::process::Command;

fn qic(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_qic"))
        .args(args)
        .output()
        .expect("the qic binary runs")
}

#[test]
fn vocabulary_prints_json_that_parses() {
    let out = qic(&["program", "vocabulary", "--format", "json"]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["roles"][0]["value"], "executive_sponsor");
}

#[test]
fn an_unknown_subcommand_fails_with_a_message() {
    let out = qic(&["programme"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("programme"));
}

//! A C program compiled with `cc` against the library judges the example applications, and
//! its decisions are byte for byte those of `qic eligibility check --format json`.

use std::path::{Path, PathBuf};
use std::process::Command;

const PRESET: &str = "pursuing-equity-action-community-2022";
const AS_OF: &str = "2022-10-21";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The folder holding `libqic_ffi.so` (or `.dylib`): the test binary's own, `target/*/deps`,
/// where Cargo builds the library's every crate type for the tests.
fn library_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().to_path_buf();
    let found = ["libqic_ffi.so", "libqic_ffi.dylib"]
        .iter()
        .any(|name| dir.join(name).is_file());
    assert!(found, "no libqic_ffi shared library in {}", dir.display());
    dir
}

/// Builds the `qic` command with the Cargo running these tests and returns its path.
fn qic_cli() -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "build",
            "--locked",
            "--quiet",
            "-p",
            "qic-cli",
            "--bin",
            "qic",
            "--message-format=json",
        ])
        .current_dir(workspace_root())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "building qic failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find_map(|message| {
            (message["reason"] == "compiler-artifact" && message["target"]["name"] == "qic")
                .then(|| message["executable"].as_str().map(PathBuf::from))
                .flatten()
        })
        .expect("cargo names the qic executable")
}

/// `qic eligibility check FILE --format json` as of the deadline day.
fn cli_decision(qic: &Path, application: &Path) -> Vec<u8> {
    let output = Command::new(qic)
        .args(["eligibility", "check"])
        .arg(application)
        .args(["--rules", PRESET, "--as-of", AS_OF, "--format", "json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

#[test]
fn a_c_program_judges_the_examples_as_the_command_does() {
    let root = workspace_root();
    let crate_dir = root.join("crates/qic-ffi");
    let lib_dir = library_dir();
    let work = tempfile::tempdir().unwrap();
    let program = work.path().join("judge_examples");

    let compiled = Command::new("cc")
        .args([
            "-std=c11",
            "-D_POSIX_C_SOURCE=200809L",
            "-Wall",
            "-Wextra",
            "-Werror",
        ])
        .arg("-I")
        .arg(crate_dir.join("include"))
        .arg(crate_dir.join("tests/c/judge_examples.c"))
        .arg("-o")
        .arg(&program)
        .arg("-L")
        .arg(&lib_dir)
        .arg(format!("-Wl,-rpath,{}", lib_dir.display()))
        .args(["-lqic_ffi", "-pthread"])
        .output()
        .expect("cc runs (a C compiler is needed to test the C library)");
    assert!(
        compiled.status.success(),
        "cc failed:\n{}",
        String::from_utf8_lossy(&compiled.stderr)
    );

    let decisions = work.path().join("decisions");
    std::fs::create_dir(&decisions).unwrap();
    let ran = Command::new(&program)
        .arg(root.join("examples/data"))
        .arg(&decisions)
        .output()
        .unwrap();
    assert!(
        ran.status.success(),
        "the C program failed:\n{}\n{}",
        String::from_utf8_lossy(&ran.stdout),
        String::from_utf8_lossy(&ran.stderr)
    );
    assert!(String::from_utf8_lossy(&ran.stdout).contains("all checks passed"));

    // Each line of applications.jsonl as a file of its own, judged by the command.
    let qic = qic_cli();
    let jsonl = std::fs::read_to_string(root.join("examples/data/applications.jsonl")).unwrap();
    let mut compared = 0;
    for (i, line) in jsonl.lines().enumerate() {
        let application = work.path().join(format!("application-{}.json", i + 1));
        std::fs::write(&application, line).unwrap();
        let from_c = std::fs::read(decisions.join(format!("line-{}.json", i + 1))).unwrap();
        assert_eq!(
            String::from_utf8(from_c).unwrap(),
            String::from_utf8(cli_decision(&qic, &application)).unwrap(),
            "line {}",
            i + 1
        );
        compared += 1;
    }
    let from_c = std::fs::read(decisions.join("application-complete.json")).unwrap();
    let from_cli = cli_decision(&qic, &root.join("examples/data/application-complete.json"));
    assert_eq!(from_c, from_cli);
    assert_eq!(compared, 8);
}

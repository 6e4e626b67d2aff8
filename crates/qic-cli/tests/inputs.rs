//! Nothing a user owns is lost, and every bad input is named by file, line and field: the
//! commands run as a user runs them.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const FOLDER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../qic-pdsa/tests/fixtures/collaborative"
);

fn qic(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qic"))
        .args(args)
        .output()
        .expect("the qic binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A fresh folder for one test.
fn dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("inputs-{name}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
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

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Runs `qic` and checks it refused to write over `input`, which must be unchanged.
fn assert_refused_over(args: &[&str], input: &Path) {
    let before = fs::read(input).unwrap();
    let out = qic(args);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
    let message = stderr(&out);
    assert!(
        message.contains("refusing to write over an input"),
        "{args:?}: {message}"
    );
    assert_eq!(
        fs::read(input).unwrap(),
        before,
        "{args:?} changed its input"
    );
}

#[test]
fn a_batch_never_writes_over_its_input_under_any_name() {
    let d = dir("batch-over");
    let input = d.join("a.jsonl");
    fs::copy(root().join("examples/data/applications.jsonl"), &input).unwrap();
    let rules = "action-learning-collaborative";
    // The reproducer: the same name.
    assert_refused_over(
        &[
            "eligibility",
            "batch",
            s(&input),
            "--rules",
            rules,
            "--output",
            s(&input),
        ],
        &input,
    );
    // Another name for the same file: a detour through the folder, and a hard link.
    let detour = d.join("sub/../a.jsonl");
    fs::create_dir_all(d.join("sub")).unwrap();
    assert_refused_over(
        &[
            "eligibility",
            "batch",
            s(&input),
            "--rules",
            rules,
            "--output",
            s(&detour),
        ],
        &input,
    );
    let hard = d.join("hard.jsonl");
    fs::hard_link(&input, &hard).unwrap();
    assert_refused_over(
        &[
            "eligibility",
            "batch",
            s(&input),
            "--rules",
            rules,
            "--output",
            s(&hard),
        ],
        &input,
    );
    #[cfg(unix)]
    {
        let link = d.join("link.jsonl");
        std::os::unix::fs::symlink(&input, &link).unwrap();
        assert_refused_over(
            &[
                "eligibility",
                "batch",
                s(&input),
                "--rules",
                rules,
                "--output",
                s(&link),
            ],
            &input,
        );
    }
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn every_command_refuses_an_output_that_is_one_of_its_inputs() {
    let d = dir("every-over");
    let extract = d.join("extract.csv");
    fs::write(
        &extract,
        "month,site,num,den\n2024-01,S0,7,8\n2024-02,S0,3,13\n",
    )
    .unwrap();
    let map = d.join("map.csv");
    fs::write(&map, "dimension,raw,category\nrace,R1,white\n").unwrap();
    let stratify = |output: &Path| {
        vec![
            "equity".to_owned(),
            "stratify".to_owned(),
            s(&extract).to_owned(),
            "--period".to_owned(),
            "month".to_owned(),
            "--numerator".to_owned(),
            "num".to_owned(),
            "--denominator".to_owned(),
            "den".to_owned(),
            "--by-column".to_owned(),
            "site".to_owned(),
            "--map".to_owned(),
            s(&map).to_owned(),
            "--output".to_owned(),
            s(output).to_owned(),
        ]
    };
    for input in [&extract, &map] {
        let args = stratify(input);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_refused_over(&args, input);
    }

    let program = d.join("program.toml");
    fs::copy(
        root().join("examples/programs/hypertension-collaborative.toml"),
        &program,
    )
    .unwrap();
    assert_refused_over(
        &[
            "program",
            "show",
            s(&program),
            "--format",
            "json",
            "--output",
            s(&program),
        ],
        &program,
    );

    let cycles = d.join("cycles.toml");
    fs::copy(format!("{FOLDER}/teams/lakeside/cycles.toml"), &cycles).unwrap();
    assert_refused_over(
        &[
            "pdsa",
            "show",
            s(&cycles),
            "--output",
            s(&d.join("./cycles.toml")),
        ],
        &cycles,
    );

    let application = d.join("application.json");
    fs::copy(
        root().join("examples/data/application-complete.json"),
        &application,
    )
    .unwrap();
    assert_refused_over(
        &[
            "eligibility",
            "check",
            s(&application),
            "--rules",
            "pursuing-equity-action-community-2022",
            "--as-of",
            "2022-10-21",
            "--output",
            s(&application),
        ],
        &application,
    );
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn a_report_never_writes_over_a_file_of_its_folder() {
    let d = dir("report-over");
    let folder = d.join("collaborative");
    copy_dir(Path::new(FOLDER), &folder);
    let data = folder.join("teams/lakeside/data/bp-control.csv");
    // By its own name and by another (through `.`).
    let other_name = folder.join("teams/./lakeside/data/bp-control.csv");
    for output in [&data, &other_name] {
        assert_refused_over(&["report", s(&folder), "--output", s(output)], &data);
    }
    let settings = folder.join("collaborative.toml");
    assert_refused_over(
        &[
            "report",
            s(&folder),
            "--format",
            "text",
            "--output",
            s(&settings),
        ],
        &settings,
    );
    let _ = fs::remove_dir_all(&d);
}

/// Runs `qic` under a file size limit of about 4 KiB in `sh`, with the limit's signal ignored
/// (or not), writing over `old`.
#[cfg(unix)]
fn under_file_size_limit(ignore_signal: bool, args: &[&str]) -> Output {
    let trap = if ignore_signal { "trap '' XFSZ; " } else { "" };
    let command = format!("{trap}ulimit -f 8; exec \"$0\" \"$@\"");
    Command::new("sh")
        .arg("-c")
        .arg(command)
        .arg(env!("CARGO_BIN_EXE_qic"))
        .args(args)
        .output()
        .expect("sh runs")
}

#[cfg(unix)]
#[test]
fn a_failed_write_leaves_the_old_file_whole() {
    let d = dir("ulimit");
    let out_file = d.join("schema.json");
    let old = "the old file, whole\n";
    let args = ["eligibility", "schema", "--output", s(&out_file)];
    // The schema is larger than the limit, so the write fails part-way.
    assert!(qic_schema_len() > 8 * 1024);

    // The write fails with an error (file too large): the command says so, exits 1, and leaves
    // the old file and no temporary file.
    fs::write(&out_file, old).unwrap();
    let out = under_file_size_limit(true, &args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains(s(&out_file)), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&out_file).unwrap(), old);
    let left: Vec<_> = fs::read_dir(&d).unwrap().collect();
    assert_eq!(left.len(), 1, "no temporary file is left behind");

    // The process is killed by the limit's signal half-way: the old file is still whole.
    let out = under_file_size_limit(false, &args);
    assert!(!out.status.success());
    assert_eq!(fs::read_to_string(&out_file).unwrap(), old);
    let _ = fs::remove_dir_all(&d);
}

#[cfg(unix)]
#[test]
fn pdsa_new_writes_its_own_file_atomically() {
    let d = dir("pdsa-new");
    let cycles = d.join("cycles.toml");
    // A team's file with long notes: planning the next cycle rewrites more than the limit.
    let mut text = fs::read_to_string(format!("{FOLDER}/teams/lakeside/cycles.toml")).unwrap();
    for _ in 0..200 {
        text.push_str("# a note: what the team learned, kept with the cycles\n");
    }
    fs::write(&cycles, &text).unwrap();
    let args = ["pdsa", "new", s(&cycles), "--date", "2025-03-01"];
    let out = under_file_size_limit(true, &args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&cycles).unwrap(), text);
    assert_eq!(fs::read_dir(&d).unwrap().count(), 1, "no temporary file");
    // Without the limit the cycle is appended and the team's text kept.
    let out = qic(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = fs::read_to_string(&cycles).unwrap();
    assert!(after.starts_with(&text) && after.len() > text.len());
    let _ = fs::remove_dir_all(&d);
}

fn qic_schema_len() -> usize {
    let out = qic(&["eligibility", "schema"]);
    assert!(out.status.success());
    out.stdout.len()
}

#[test]
fn negative_numbers_are_option_values() {
    let d = dir("negative");
    let data = d.join("temperatures.csv");
    fs::write(&data, "x,y\n1,-3\n2,-7\n3,-4\n4,-6\n5,-5\n6,-8\n").unwrap();
    let out = qic(&[
        "chart",
        "--chart",
        "i",
        "--input",
        s(&data),
        "--target",
        "-5",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("\"target\": -5"), "{}", stdout(&out));
    // A negative value where none makes sense is the command's error, not a parsing one.
    let out = qic(&[
        "equity",
        "readiness",
        s(&data),
        "--column",
        "race=x",
        "--min-usable",
        "-0.5",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !stderr(&out).contains("unexpected argument"),
        "{}",
        stderr(&out)
    );
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn a_line_over_the_limit_names_its_line_and_the_flag_raises_the_limit() {
    let d = dir("long-line");
    let batch = d.join("batch.jsonl");
    let good = fs::read_to_string(root().join("examples/data/applications.jsonl")).unwrap();
    let first = good.lines().next().unwrap();
    let long = format!("{first}\n{first}{}\n", " ".repeat(16 * 1024));
    fs::write(&batch, &long).unwrap();
    let args = |limit: &str| {
        vec![
            "eligibility".to_owned(),
            "batch".to_owned(),
            s(&batch).to_owned(),
            "--rules".to_owned(),
            "action-learning-collaborative".to_owned(),
            "--as-of".to_owned(),
            "2025-03-01".to_owned(),
            "--max-line-bytes".to_owned(),
            limit.to_owned(),
        ]
    };
    let run = |limit: &str| {
        let args = args(limit);
        qic(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let out = run("8K");
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert!(
        message.contains(&format!(
            "{}: batch stopped at line 2: line 2 is longer than 8192 bytes",
            batch.display()
        )),
        "{message}"
    );
    assert!(message.contains("hint: if the file is right, raise the limit with --max-line-bytes"));
    assert!(run("64K").status.success());

    let extract = d.join("extract.csv");
    fs::write(
        &extract,
        format!(
            "month,site,num,den\r\n2024-01,S0,7,8\r\n2024-02,{},3,13\r\n",
            "s".repeat(300)
        ),
    )
    .unwrap();
    let out = qic(&[
        "equity",
        "stratify",
        s(&extract),
        "--period",
        "month",
        "--numerator",
        "num",
        "--denominator",
        "den",
        "--by-column",
        "site",
        "--max-line-bytes",
        "256",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!(
            "{}: line 3: longer than 256 bytes",
            extract.display()
        )),
        "{}",
        stderr(&out)
    );
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn equity_errors_name_file_line_and_column() {
    let d = dir("equity-errors");
    let run = |name: &str, text: &str, extra: &[&str]| {
        let path = d.join(name);
        fs::write(&path, text).unwrap();
        let mut args = vec![
            "equity",
            "stratify",
            s(&path),
            "--period",
            "month",
            "--numerator",
            "num",
            "--denominator",
            "den",
        ];
        args.extend_from_slice(extra);
        let out = qic(&args);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stdout(&out));
        stderr(&out).replace(&format!("{}", path.display()), name)
    };
    // A CRLF file with blank lines: the bad row is on line 5.
    let message = run(
        "crlf.csv",
        "month,race,num,den\r\n2024-01,white,1,2\r\n\r\n\r\n2024-02,white,x,2\r\n",
        &["--by", "race"],
    );
    assert_eq!(
        message,
        "error: crlf.csv: line 5, column 3 (`num`): not a whole number\n"
    );
    // A date followed by junk.
    let message = run(
        "junk.csv",
        "month,race,num,den\n2024-01-15 junk,white,1,2\n",
        &["--by", "race"],
    );
    assert_eq!(
        message,
        "error: junk.csv: line 2, column 1 (`month`): not a date (YYYY-MM-DD) or a month (YYYY-MM)\n"
    );
    // A column twice in the header.
    let message = run(
        "dup.csv",
        "month,race,num,den,race\n2024-01,white,1,2,black\n",
        &["--by", "race"],
    );
    assert_eq!(
        message,
        "error: dup.csv: line 1: column `race` appears twice in the header (columns 2 and 5)\n"
    );
    // `--by race` twice.
    let message = run(
        "twice.csv",
        "month,race,num,den\n2024-01,white,1,2\n",
        &["--by", "race", "--by", "race"],
    );
    assert_eq!(
        message,
        "error: invalid setting `stratifiers`: the dimension race is given twice; each stratifier once\n"
    );
    // A mapping file that maps one value two ways.
    let map = d.join("map.csv");
    fs::write(
        &map,
        "dimension,raw,category\nrace,R1,white\nrace,r1,asian\n",
    )
    .unwrap();
    let message = run(
        "mapped.csv",
        "month,race,num,den\n2024-01,R1,1,2\n",
        &["--by", "race", "--map", s(&map)],
    );
    assert_eq!(
        message,
        format!(
            "error: {}:3: line 2 maps the same raw value to another category (one category per value and file)\n",
            map.display()
        )
    );
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn a_readiness_report_with_a_dimension_twice_is_refused_with_its_field() {
    let d = dir("readiness-twice");
    let report: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(root().join("examples/data/readiness-report.json")).unwrap(),
    )
    .unwrap();
    let mut twice = report.clone();
    let first = twice["dimensions"][0].clone();
    twice["dimensions"]
        .as_array_mut()
        .unwrap()
        .push(first.clone());
    let index = twice["dimensions"].as_array().unwrap().len() - 1;
    let path = d.join("report.json");
    fs::write(&path, serde_json::to_string_pretty(&twice).unwrap()).unwrap();
    let out = qic(&[
        "eligibility",
        "check",
        s(&root().join("examples/data/application-complete.json")),
        "--rules",
        "pursuing-equity-action-community-2022",
        "--as-of",
        "2022-10-21",
        "--readiness",
        s(&path),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert!(
        message.starts_with(&format!("error: {}:", path.display())),
        "{message}"
    );
    assert!(
        message.contains(&format!(
            ": $.dimensions[{index}].dimension: the dimension {} is reported twice (first as dimensions[0])",
            first["dimension"].as_str().unwrap()
        )),
        "{message}"
    );
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn documents_with_a_byte_order_mark_are_read_and_judging_before_sending_is_flagged() {
    let d = dir("bom");
    let text = fs::read_to_string(root().join("examples/data/application-complete.json")).unwrap();
    let path = d.join("application.json");
    fs::write(&path, format!("\u{feff}{text}")).unwrap();
    let out = qic(&[
        "eligibility",
        "check",
        s(&path),
        "--rules",
        "pursuing-equity-action-community-2022",
        "--as-of",
        "2022-09-01",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out)
            .contains("Warning: judged as of 2022-09-01, before the application was sent on"),
        "{}",
        stdout(&out)
    );
    // An application file whose name says no format is refused, with its name.
    let other = d.join("application.txt");
    fs::write(&other, &text).unwrap();
    let out = qic(&[
        "eligibility",
        "check",
        s(&other),
        "--rules",
        "pursuing-equity-action-community-2022",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("the name ends in neither .toml nor .json"));
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn a_report_refuses_two_folders_for_one_team() {
    let d = dir("report-twice");
    let folder = d.join("collaborative");
    copy_dir(Path::new(FOLDER), &folder);
    copy_dir(
        &folder.join("teams/valley"),
        &folder.join("teams/valley-again"),
    );
    let out = qic(&["report", s(&folder), "--format", "text", "--output", "-"]);
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert!(
        message.contains("valley/team.toml and ")
            && message.contains("valley-again/team.toml: both folders are team `Valley`"),
        "{message}"
    );
    let _ = fs::remove_dir_all(&d);
}

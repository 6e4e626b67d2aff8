//! Reading CSV extracts: parallel equals sequential, boundaries inside quotes, errors with file,
//! line and column, skipped rows counted.

use std::fmt::Write as _;
use std::path::PathBuf;

use qic_equity::codes::Dimension;
use qic_equity::mapping::{Mapping, MultipleRule};
use qic_equity::read::{
    ReadOptions, StratifySpec, readiness_file, readiness_reader, stratify_file, stratify_reader,
};
use qic_equity::stratify::{SkipReason, Stratifier};

fn temp_file(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qic-equity-read-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn spec() -> StratifySpec {
    StratifySpec {
        period: "date".into(),
        numerator: "num".into(),
        denominator: Some("den".into()),
        stratifiers: vec![
            Stratifier::dimension(Dimension::Race, "race"),
            Stratifier::dimension(Dimension::Ethnicity, "eth"),
        ],
        rule: MultipleRule::Multiracial,
    }
}

const RACES: [&str; 7] = [
    "2106-3",
    "2054-5",
    "Asian",
    "",
    "ASKU",
    "2106-3;2054-5",
    "Q9",
];
const ETHS: [&str; 4] = ["2186-5", "2135-2", "UNK", ""];

/// A few MB of records, with a quoted note holding newlines every so often.
fn big_extract(quoted_newlines: bool) -> String {
    let mut s = String::from("id,date,num,den,race,eth,note\n");
    for i in 0..60_000u64 {
        let note = if quoted_newlines && i % 997 == 0 {
            format!("\"line one\nline two {i}\n\"")
        } else {
            "ok".to_owned()
        };
        let den = u64::from(i % 13 != 0);
        let num = den * u64::from(i % 3 == 0);
        let _ = writeln!(
            s,
            "{i},2024-{:02}-{:02},{num},{den},\"{}\",{},{note}",
            i % 12 + 1,
            i % 28 + 1,
            RACES[(i % 7) as usize],
            ETHS[(i % 4) as usize]
        );
    }
    s
}

#[test]
fn parallel_reading_equals_one_sequential_pass() {
    for quoted in [false, true] {
        let text = big_extract(quoted);
        let path = temp_file(&format!("big-{quoted}.csv"), &text);
        let mapping = Mapping::standard();
        let sequential = stratify_reader(text.as_bytes(), "big", &spec(), &mapping).unwrap();
        assert_eq!(sequential.rows().read, 60_000);
        for threads in [1, 2, 3, 7] {
            let parallel = stratify_file(
                &path,
                &spec(),
                &mapping,
                &ReadOptions {
                    threads,
                    ..ReadOptions::default()
                },
            )
            .unwrap();
            assert_eq!(parallel, sequential, "threads {threads}, quoted {quoted}");
        }
        let columns = [
            (Dimension::Race, "race".to_owned()),
            (Dimension::Ethnicity, "eth".to_owned()),
        ];
        let seq = readiness_reader(
            text.as_bytes(),
            "big",
            &columns,
            &mapping,
            MultipleRule::Multiracial,
        )
        .unwrap();
        let par = readiness_file(
            &path,
            &columns,
            &mapping,
            MultipleRule::Multiracial,
            &ReadOptions {
                threads: 3,
                ..ReadOptions::default()
            },
        )
        .unwrap();
        assert_eq!(par, seq);
        assert_eq!(par.records, 60_000);
    }
}

#[test]
fn skipped_rows_are_counted_per_reason() {
    let text = "date,num,den,race,eth\n\
                2024-01-03,1,1,2106-3,2186-5\n\
                ,1,1,2106-3,2186-5\n\
                2024-01-04,,1,2106-3,2186-5\n\
                2024-01-05,1,,2106-3,2186-5\n\
                2024-01-06,0,0,2106-3,2186-5\n\
                2024-02,3,5,,\n";
    let c = stratify_reader(text.as_bytes(), "t.csv", &spec(), &Mapping::standard()).unwrap();
    let rows = c.rows();
    assert_eq!((rows.read, rows.used), (6, 2));
    for reason in [
        SkipReason::MissingPeriod,
        SkipReason::MissingNumerator,
        SkipReason::MissingDenominator,
        SkipReason::ZeroDenominator,
    ] {
        assert_eq!(rows.skipped.get(&reason), Some(&1), "{reason:?}");
    }
}

fn error_of(text: &str) -> String {
    // A file of its own per call: tests run in parallel.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = temp_file(&format!("bad-{n}.csv"), text);
    let err = stratify_file(
        &path,
        &spec(),
        &Mapping::standard(),
        &ReadOptions::default(),
    )
    .unwrap_err()
    .to_string();
    err.replace(&path.display().to_string(), "bad.csv")
}

#[test]
fn stopping_errors_name_file_line_and_column_but_not_the_value() {
    let head = "date,num,den,race,eth\n2024-01-03,1,1,2106-3,2186-5\n";
    insta::assert_snapshot!(
        error_of(&format!("{head}2024-13-40,1,1,x,y\n")),
        @"bad.csv: line 3, column 1 (`date`): not a date (YYYY-MM-DD) or a month (YYYY-MM)"
    );
    insta::assert_snapshot!(
        error_of(&format!("{head}2024-01-03,2,1,x,y\n")),
        @"bad.csv: line 3, column 3 (`den`): the numerator is larger than the denominator"
    );
    insta::assert_snapshot!(
        error_of(&format!("{head}2024-01-03,-4,1,x,y\n")),
        @"bad.csv: line 3, column 2 (`num`): a negative count"
    );
    insta::assert_snapshot!(
        error_of(&format!("{head}2024-01-03,1,two,x,y\n")),
        @"bad.csv: line 3, column 3 (`den`): not a whole number"
    );
    insta::assert_snapshot!(
        error_of(&format!("{head}2024-01-03,1,1,x\n")),
        @"bad.csv: line 3: the record has 4 fields, the header has 5"
    );
    insta::assert_snapshot!(
        error_of("date,num,race,eth\n2024-01-03,1,x,y\n"),
        @"bad.csv: line 1: column `den` is not in the header"
    );
    insta::assert_snapshot!(error_of(""), @"bad.csv: line 1: the file is empty: no header");
}

#[test]
fn error_lines_are_right_in_later_ranges() {
    // A malformed date deep in a file read by several threads, after quoted newlines.
    let mut text = big_extract(true);
    let lines_before = text.matches('\n').count();
    text.push_str("99999,2024-02-30,1,1,2106-3,2186-5,ok\n");
    let path = temp_file("late.csv", &text);
    let err = stratify_file(
        &path,
        &spec(),
        &Mapping::standard(),
        &ReadOptions {
            threads: 4,
            ..ReadOptions::default()
        },
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.ends_with(&format!(
            "line {}, column 2 (`date`): not a date (YYYY-MM-DD) or a month (YYYY-MM)",
            lines_before + 1
        )),
        "{err}"
    );
    assert!(!err.contains("2024-02-30"));
}

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    let err = stratify_file(
        std::path::Path::new("/nonexistent/extract.csv"),
        &spec(),
        &Mapping::standard(),
        &ReadOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("/nonexistent/extract.csv: "));
}

#[test]
fn plain_columns_with_too_many_values_are_refused() {
    let mut text = String::from("date,num,patient\n");
    for i in 0..500 {
        let _ = writeln!(text, "2024-01,1,P{i}");
    }
    let spec = StratifySpec {
        period: "date".into(),
        numerator: "num".into(),
        denominator: None,
        stratifiers: vec![Stratifier::column("patient")],
        rule: MultipleRule::Multiracial,
    };
    let err = stratify_reader(text.as_bytes(), "ids.csv", &spec, &Mapping::standard())
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("ids.csv: line 206, column 3 (`patient`): more distinct values"),
        "{err}"
    );
    assert!(!err.contains("P20"));
}

#[test]
fn repeated_values_in_runs_count_like_any_other() {
    // Rows sorted by patient repeat their race; the reader reuses the previous row's
    // classification, which must give the same counts as a plain tally.
    let mut text = String::from("date,num,den,race,eth\n");
    let mut expected: std::collections::BTreeMap<(String, String), (u64, u64)> =
        std::collections::BTreeMap::new();
    let codes = [
        ("2106-3", "white"),
        ("ASKU", "declined"),
        ("2054-5", "black_or_african_american"),
    ];
    for patient in 0..300u64 {
        let (raw, code) = codes[(patient % 3) as usize];
        for month in 1..=(patient % 5 + 1) {
            let num = (patient + month) % 2;
            let _ = writeln!(text, "2024-{month:02},{num},1,{raw},2186-5");
            let e = expected
                .entry((format!("2024-{month:02}"), code.to_owned()))
                .or_default();
            e.0 += num;
            e.1 += 1;
        }
    }
    let c = stratify_reader(text.as_bytes(), "runs.csv", &spec(), &Mapping::standard()).unwrap();
    let got: std::collections::BTreeMap<(String, String), (u64, u64)> = c
        .cells()
        .map(|(p, s, n)| {
            (
                (p.to_string(), s.0[0].code().to_owned()),
                (n.numerator, n.denominator),
            )
        })
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn crlf_line_ends_and_a_byte_order_mark_read_the_same() {
    let text = big_extract(true);
    let mapping = Mapping::standard();
    let expected = stratify_reader(text.as_bytes(), "lf", &spec(), &mapping).unwrap();
    let windows = format!("\u{FEFF}{}", text.replace('\n', "\r\n"));
    let path = temp_file("crlf.csv", &windows);
    for threads in [1, 2, 5] {
        let got = stratify_file(
            &path,
            &spec(),
            &mapping,
            &ReadOptions {
                threads,
                ..ReadOptions::default()
            },
        )
        .unwrap();
        assert_eq!(got, expected, "threads {threads}");
    }
    // The first column (here `id`) is found despite the byte order mark.
    let spec = StratifySpec {
        period: "date".into(),
        numerator: "num".into(),
        denominator: None,
        stratifiers: vec![Stratifier::column("id")],
        rule: MultipleRule::Multiracial,
    };
    let small = "\u{FEFF}id,date,num\nA,2024-01,1\nB,2024-01,0\n";
    let c = stratify_reader(small.as_bytes(), "bom.csv", &spec, &mapping).unwrap();
    assert_eq!(c.cells().count(), 2);
}

#[test]
fn a_split_inside_a_quoted_field_falls_back_to_one_pass() {
    // One note of about 3 MB full of newlines (and commas, so a range starting inside it sees
    // records of the wrong width) sits across every split point.
    let mut text = String::from("id,date,num,den,race,eth,note\n");
    for i in 0..1000 {
        let _ = writeln!(text, "{i},2024-01-02,1,1,2106-3,2186-5,ok");
    }
    let note = "a,b,c\n".repeat(500_000);
    let _ = writeln!(text, "1000,2024-02-03,0,1,2054-5,2135-2,\"{note}\"");
    for i in 1001..2000 {
        let _ = writeln!(text, "{i},2024-03-04,0,1,2028-9,2186-5,ok");
    }
    let path = temp_file("quoted.csv", &text);
    let mapping = Mapping::standard();
    let expected = stratify_reader(text.as_bytes(), "quoted", &spec(), &mapping).unwrap();
    assert_eq!(expected.rows().used, 2000);
    for threads in [2, 3, 8] {
        let got = stratify_file(
            &path,
            &spec(),
            &mapping,
            &ReadOptions {
                threads,
                ..ReadOptions::default()
            },
        )
        .unwrap();
        assert_eq!(got, expected, "threads {threads}");
    }
}

#[test]
fn lines_are_true_after_crlf_endings_and_blank_lines_in_every_range() {
    // The bad row is on line `want` of a CRLF file with blank lines, read by several threads.
    let mut text = big_extract(true).replace('\n', "\r\n");
    text.push_str("\r\n\r\n");
    let want = text.matches('\n').count() + 1;
    text.push_str("99999,2024-02-30,1,1,2106-3,2186-5,ok\r\n");
    let path = temp_file("crlf-late.csv", &text);
    for threads in [1, 3] {
        let err = stratify_file(
            &path,
            &spec(),
            &Mapping::standard(),
            &ReadOptions {
                threads,
                ..ReadOptions::default()
            },
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.ends_with(&format!(
                "line {want}, column 2 (`date`): not a date (YYYY-MM-DD) or a month (YYYY-MM)"
            )),
            "threads {threads}: {err}"
        );
    }
    // Small files: the first row after a CRLF header, and a row after blank lines.
    insta::assert_snapshot!(
        error_of("date,num,den,race,eth\r\n2024-13-01,1,1,x,y\r\n"),
        @"bad.csv: line 2, column 1 (`date`): not a date (YYYY-MM-DD) or a month (YYYY-MM)"
    );
    insta::assert_snapshot!(
        error_of("\ndate,num,den,race,eth\n2024-01-01,1,1,x,y\n\n\n2024-01-01,1,x,x,y\n"),
        @"bad.csv: line 6, column 3 (`den`): not a whole number"
    );
}

#[test]
fn a_date_followed_by_anything_but_a_time_is_refused() {
    let head = "date,num,den,race,eth\n";
    insta::assert_snapshot!(
        error_of(&format!("{head}2024-01-15 junk,1,1,x,y\n")),
        @"bad.csv: line 2, column 1 (`date`): not a date (YYYY-MM-DD) or a month (YYYY-MM)"
    );
    let fine = format!("{head}2024-01-15 08:30,1,1,x,y\n2024-01-16T08:30:00Z,1,1,x,y\n");
    let counts = stratify_reader(fine.as_bytes(), "t", &spec(), &Mapping::standard()).unwrap();
    assert_eq!(counts.rows().used, 2);
}

#[test]
fn a_header_that_names_a_column_twice_is_refused() {
    insta::assert_snapshot!(
        error_of("date,num,den,race,num\n2024-01-01,1,1,x,y\n"),
        @"bad.csv: line 1: column `num` appears twice in the header (columns 2 and 5)"
    );
}

#[test]
fn a_stratifier_given_twice_is_refused() {
    let mut twice = spec();
    twice.stratifiers = vec![
        Stratifier::dimension(Dimension::Race, "race"),
        Stratifier::dimension(Dimension::Race, "race"),
    ];
    let text = "date,num,den,race,eth\n2024-01-01,1,1,x,y\n";
    let err = stratify_reader(text.as_bytes(), "t", &twice, &Mapping::standard())
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "invalid setting `stratifiers`: the dimension race is given twice; each stratifier once"
    );
    twice.stratifiers = vec![Stratifier::column("eth"), Stratifier::column(" eth")];
    assert!(
        stratify_reader(text.as_bytes(), "t", &twice, &Mapping::standard())
            .unwrap_err()
            .to_string()
            .contains("the column `eth` is given twice")
    );
}

#[test]
fn a_line_longer_than_the_limit_stops_the_run_without_being_read_whole() {
    use std::io::Read;
    // A header, a row, then 1 GiB of one line, produced lazily: the run stops after about the
    // limit, naming line 3.
    struct Huge {
        head: &'static [u8],
        produced: u64,
    }
    impl Read for Huge {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if !self.head.is_empty() {
                let n = self.head.len().min(buf.len());
                buf[..n].copy_from_slice(&self.head[..n]);
                self.head = &self.head[n..];
                return Ok(n);
            }
            assert!(self.produced < 64 << 20, "read far past the limit");
            if self.produced >= 1 << 30 {
                return Ok(0);
            }
            buf.fill(b'7');
            self.produced += buf.len() as u64;
            Ok(buf.len())
        }
    }
    let huge = Huge {
        head: b"date,num,den,race,eth\n2024-01-01,1,1,x,y\n2024-01-02,",
        produced: 0,
    };
    let err = stratify_reader(huge, "huge.csv", &spec(), &Mapping::standard())
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "huge.csv: line 3: longer than 8388608 bytes (the most a line may hold; raise the limit if the file is right)"
    );
    // A file, with a lower limit, on several threads.
    let mut text = big_extract(false);
    let want = text.matches('\n').count() + 1;
    let _ = writeln!(text, "1,2024-01-01,1,1,{},x,ok", "y".repeat(300));
    let path = temp_file("long-line.csv", &text);
    for threads in [1, 4] {
        let options = ReadOptions {
            threads,
            max_line_bytes: 256,
        };
        let err = stratify_file(&path, &spec(), &Mapping::standard(), &options)
            .unwrap_err()
            .to_string();
        assert!(
            err.ends_with(&format!("line {want}: longer than 256 bytes (the most a line may hold; raise the limit if the file is right)")),
            "threads {threads}: {err}"
        );
    }
}

#[test]
fn sums_past_u64_stop_at_the_row_that_overflows() {
    // 2^53 per row (the largest count accepted); the 2048th row carries the file's total past
    // u64::MAX. Read on several threads, each range's sums fit and the merge does not: the
    // file is read again on one thread to name the row.
    let big = 1u64 << 53;
    // Padding makes the file large enough (over 1 MiB) to be split between threads.
    let pad = "p".repeat(400);
    let mut text = String::from("date,num,den,race,eth,pad\n");
    for i in 0..3000 {
        let _ = writeln!(
            text,
            "2024-{:02}-01,0,{big},2106-3,2186-5,{pad}",
            i % 12 + 1
        );
    }
    assert!(text.len() > 1 << 20);
    let path = temp_file("overflow.csv", &text);
    for threads in [1, 2] {
        let err = stratify_file(
            &path,
            &spec(),
            &Mapping::standard(),
            &ReadOptions {
                threads,
                ..ReadOptions::default()
            },
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.ends_with("line 2049, column 3 (`den`): adding this count makes its period's or stratum's sum larger than 18446744073709551615"),
            "threads {threads}: {err}"
        );
    }
}

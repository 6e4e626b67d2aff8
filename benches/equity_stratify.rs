//! Stratifying a patient-month extract: qic's parallel CSV reader against the bare read (the
//! `csv` crate reading every record and doing nothing else) on the same file, in the same run.
//!
//! The criterion groups time each; afterwards the bench prints the ratio of the medians of a few
//! more runs, which is what to compare across machines. The 10,000,000-row workload with pandas
//! is `benches/equity_stratify.sh` (run by hand).

// A bench prints its ratios.
#![allow(clippy::print_stdout)]

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::Criterion;
use qic_equity::codes::Dimension;
use qic_equity::mapping::{Mapping, MultipleRule};
use qic_equity::read::{ReadOptions, StratifySpec, stratify_file};
use qic_equity::stratify::Stratifier;

const ROWS: u64 = 400_000;
const RACES: [&str; 8] = [
    "2106-3",
    "White",
    "2054-5",
    "2028-9",
    "2106-3;2054-5",
    "ASKU",
    "R9",
    "",
];
const ETHNICITIES: [&str; 4] = ["2186-5", "2135-2", "UNK", ""];

/// A patient-month extract in patient order (24 months per patient), written once.
fn extract() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qic-equity-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let path = dir.join("extract.csv");
    let mut csv = String::from("patient_id,visit_date,screened,eligible,race,ethnicity,payer\n");
    let mut state = 7u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for patient in 0..ROWS / 24 {
        let race = RACES[(next() % 8) as usize];
        let ethnicity = ETHNICITIES[(next() % 4) as usize];
        for month in 0..24 {
            let eligible = u64::from(next() % 25 != 0);
            let screened = eligible * (next() % 3).min(1);
            let _ = writeln!(
                csv,
                "{},{}-{:02}-{:02},{screened},{eligible},{race},{ethnicity},medicaid",
                1_000_000 + patient,
                2023 + month / 12,
                month % 12 + 1,
                next() % 28 + 1
            );
        }
    }
    std::fs::write(&path, csv).expect("the extract is written");
    path
}

fn bare_read(path: &Path) -> u64 {
    let mut reader = csv::ReaderBuilder::new()
        .from_path(path)
        .expect("the extract opens");
    let mut record = csv::ByteRecord::new();
    let mut fields = 0;
    while reader.read_byte_record(&mut record).expect("a record") {
        fields += record.len() as u64;
    }
    fields
}

fn spec() -> StratifySpec {
    StratifySpec {
        period: "visit_date".into(),
        numerator: "screened".into(),
        denominator: Some("eligible".into()),
        stratifiers: vec![
            Stratifier::dimension(Dimension::Race, "race"),
            Stratifier::dimension(Dimension::Ethnicity, "ethnicity"),
        ],
        rule: MultipleRule::Multiracial,
    }
}

fn stratify(path: &Path, mapping: &Mapping, threads: usize) -> usize {
    stratify_file(
        path,
        &spec(),
        mapping,
        &ReadOptions {
            threads,
            ..ReadOptions::default()
        },
    )
    .expect("the extract stratifies")
    .cells()
    .count()
}

fn median_time(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn main() {
    let path = extract();
    let mapping = Mapping::standard();
    let threads = ReadOptions::default().threads;

    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("equity_stratify_400k_rows");
    group.sample_size(10);
    group.bench_function("bare_read", |b| b.iter(|| black_box(bare_read(&path))));
    group.bench_function("qic_stratify_all_threads", |b| {
        b.iter(|| black_box(stratify(&path, &mapping, threads)));
    });
    group.bench_function("qic_stratify_one_thread", |b| {
        b.iter(|| black_box(stratify(&path, &mapping, 1)));
    });
    group.finish();
    c.final_summary();

    let bare = median_time(7, || {
        black_box(bare_read(&path));
    });
    let all = median_time(7, || {
        black_box(stratify(&path, &mapping, threads));
    });
    let one = median_time(7, || {
        black_box(stratify(&path, &mapping, 1));
    });
    println!(
        "\nratios (median of 7, {ROWS} rows): qic {threads} threads / bare read = {:.2}; qic 1 thread / bare read = {:.2}",
        all.as_secs_f64() / bare.as_secs_f64(),
        one.as_secs_f64() / bare.as_secs_f64(),
    );
    let _ = std::fs::remove_dir_all(path.parent().unwrap_or(&path));
}

//! Batch eligibility from JSON Lines: `qic_eligibility::batch::evaluate_jsonl` (read each line as
//! an application, judge it by the Pursuing Equity Action Community preset, write its decision
//! as a JSON line) against the limit of doing nothing but parse and re-serialize the same lines
//! with `serde_json` (into `serde_json::Value` and back), in the same process.
//!
//! Run with `cargo bench --bench eligibility`. It prints the ratio (evaluate / limit; the floor
//! is 2.0) over in-process rounds after criterion's report. Set `QIC_BENCH_MILLION=1` to also
//! stream 1,000,000 applications through both paths once and print their times and ratio.

// A bench reports its figures.
#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::io::{BufRead, Read, Write};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group};
use qic::eligibility::{RuleSet, batch};

/// The eight example applications, one per line: every outcome and most rules' failures.
const EXAMPLES: &str = include_str!("../examples/data/applications.jsonl");

/// Lines per criterion iteration.
const LINES: usize = 10_000;

/// `count` application lines: the examples in turn, each organization renamed with its line
/// number so that no two lines are the same.
fn lines(count: usize) -> Vec<u8> {
    let examples: Vec<&str> = EXAMPLES.lines().collect();
    let mut out = Vec::with_capacity(count * 1600);
    for i in 0..count {
        let line = examples[i % examples.len()];
        // The organization's name is the first "name" in each line.
        let line = line.replacen("\",\"kind\"", &format!(" {i}\",\"kind\""), 1);
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out
}

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, 10, 21).unwrap_or_default()
}

/// The limit: parse each line into a `serde_json::Value` and write it back as a line.
fn parse_and_reserialize<R: BufRead, W: Write>(mut input: R, mut output: W) -> u64 {
    let mut buffer = Vec::with_capacity(4096);
    let mut count = 0;
    loop {
        buffer.clear();
        if input.read_until(b'\n', &mut buffer).unwrap_or(0) == 0 {
            break;
        }
        let value: serde_json::Value = serde_json::from_slice(&buffer).unwrap_or_default();
        let _ = serde_json::to_writer(&mut output, &value);
        let _ = output.write_all(b"\n");
        count += 1;
    }
    count
}

fn evaluate<R: BufRead, W: Write>(rules: &RuleSet, input: R, output: W) -> u64 {
    batch::evaluate_jsonl(rules, as_of(), input, output).map_or(0, |summary| summary.decisions)
}

fn bench(c: &mut Criterion) {
    let rules =
        RuleSet::preset("pursuing-equity-action-community-2022").unwrap_or_else(|e| panic!("{e}"));
    let input = lines(LINES);
    let mut output = Vec::with_capacity(input.len() * 4);
    let mut group = c.benchmark_group("eligibility_jsonl");
    group.throughput(Throughput::Elements(LINES as u64));
    group.sample_size(20);
    group.bench_function("serde_json_parse_reserialize_limit", |b| {
        b.iter(|| {
            output.clear();
            black_box(parse_and_reserialize(&input[..], &mut output))
        });
    });
    group.bench_function("evaluate_jsonl", |b| {
        b.iter(|| {
            output.clear();
            black_box(evaluate(&rules, &input[..], &mut output))
        });
    });
    group.finish();
}

/// The median time of `rounds` runs of `f`.
fn median(rounds: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// Repeats a block of lines up to a number of lines, without holding them all in memory.
struct Repeat<'a> {
    block: &'a [u8],
    position: usize,
    left: usize,
}

impl Read for Repeat<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return Ok(0);
        }
        let rest = &self.block[self.position..];
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.position += n;
        if self.position == self.block.len() {
            self.position = 0;
            self.left -= 1;
        }
        Ok(n)
    }
}

/// Counts bytes written and drops them.
#[derive(Default)]
struct Count(u64);

impl Write for Count {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn report_ratio() {
    let rules =
        RuleSet::preset("pursuing-equity-action-community-2022").unwrap_or_else(|e| panic!("{e}"));
    let input = lines(LINES);
    let mut output = Vec::with_capacity(input.len() * 4);
    let limit = median(9, || {
        output.clear();
        black_box(parse_and_reserialize(&input[..], &mut output));
    });
    let limit_bytes = output.len();
    let ours = median(9, || {
        output.clear();
        black_box(evaluate(&rules, &input[..], &mut output));
    });
    let per_line = |d: Duration| d.as_secs_f64() * 1e6 / LINES as f64;
    println!(
        "\neligibility_jsonl, {LINES} lines (median of 9 rounds): limit {:.2} us/line ({limit_bytes} bytes out), evaluate {:.2} us/line ({} bytes out); ratio evaluate/limit = {:.2} (floor 2.00)",
        per_line(limit),
        per_line(ours),
        output.len(),
        ours.as_secs_f64() / limit.as_secs_f64()
    );

    if std::env::var_os("QIC_BENCH_MILLION").is_some() {
        const MILLION: usize = 1_000_000;
        let block = lines(1000);
        let repeats = MILLION / 1000;
        let stream = || {
            std::io::BufReader::with_capacity(
                1 << 16,
                Repeat {
                    block: &block,
                    position: 0,
                    left: repeats,
                },
            )
        };
        let start = Instant::now();
        let mut sink = Count::default();
        let parsed = parse_and_reserialize(stream(), std::io::BufWriter::new(&mut sink));
        let limit = start.elapsed();
        let start = Instant::now();
        let mut decisions_out = Count::default();
        let judged = evaluate(
            &rules,
            stream(),
            std::io::BufWriter::new(&mut decisions_out),
        );
        let ours = start.elapsed();
        println!(
            "1,000,000 lines streamed: limit {parsed} lines in {:.2} s, evaluate {judged} decisions in {:.2} s ({:.0} applications/s); ratio = {:.2}",
            limit.as_secs_f64(),
            ours.as_secs_f64(),
            judged as f64 / ours.as_secs_f64(),
            ours.as_secs_f64() / limit.as_secs_f64()
        );
    }
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    report_ratio();
}

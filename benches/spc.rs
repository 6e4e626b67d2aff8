//! Control charts on a million points from in-memory slices, against a bare pass that reads
//! the same input and writes one f64 per point into a new vector (what memory bandwidth
//! allows). Prints the ratio chart / bare pass (the floor is 20x) and the growth from 100,000
//! to 1,000,000 points (at most 12x for 10x the points), then runs the criterion benches.
//!
//! Run with: `cargo bench --bench spc`

// A bench prints its ratios.
#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use qic::spc::{Chart, ChartType};

/// Deterministic inputs: a counter-based generator (no dependency), proportions near 0.1.
fn inputs(len: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut counts = Vec::with_capacity(len);
    let mut sizes = Vec::with_capacity(len);
    let mut values = Vec::with_capacity(len);
    for _ in 0..len {
        let n = (200.0 + 100.0 * next()).floor();
        counts.push((n * (0.08 + 0.04 * next())).floor());
        sizes.push(n);
        values.push(50.0 + 10.0 * (next() + next() + next() - 1.5));
    }
    (counts, sizes, values)
}

fn bare_ratio(y: &[f64], n: &[f64]) -> Vec<f64> {
    y.iter().zip(n).map(|(a, b)| a / b).collect()
}

fn bare_copy(y: &[f64]) -> Vec<f64> {
    y.iter().map(|v| v * 1.5).collect()
}

fn p_chart(y: &[f64], n: &[f64]) -> usize {
    let chart = Chart::new(ChartType::P)
        .numerators(y)
        .denominators(n)
        .compute();
    chart.map_or(0, |c| c.sigma_signal_count())
}

fn i_chart(y: &[f64]) -> usize {
    let chart = Chart::new(ChartType::I).values(y).compute();
    chart.map_or(0, |c| c.sigma_signal_count())
}

/// The fastest of `runs` timings (the least disturbed by other work on a shared machine).
fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn report() {
    let (big_y, big_n, big_v) = inputs(1_000_000);
    // Memory first, while the peak is still that of the inputs.
    if let Some(before) = peak_rss_kib() {
        let chart = Chart::new(ChartType::P)
            .numerators(&big_y)
            .denominators(&big_n)
            .compute();
        if let (Some(after), Ok(chart)) = (peak_rss_kib(), chart) {
            // The result holds y and n (2 f64), flags (1 byte) and rule flags (2 bytes) per
            // point; its lines are stored per part and derived from n.
            let output = chart.len() as f64 * (2.0 * 8.0 + 3.0);
            let extra = (after.saturating_sub(before) as f64 * 1024.0 - output).max(0.0);
            println!(
                "memory: p chart of 1,000,000 subgroups raised the peak by {:.1} MiB; output {:.1} MiB; beyond the output {:.2} f64 per point",
                after.saturating_sub(before) as f64 / 1024.0,
                output / 1_048_576.0,
                extra / 8.0 / chart.len() as f64
            );
        }
    }
    let (small_y, small_n, small_v) = inputs(100_000);
    let runs = 9;
    let p_chart_small = best(runs, || p_chart(&small_y, &small_n));
    let p_chart_big = best(runs, || p_chart(&big_y, &big_n));
    let bare_ratio_small = best(runs, || bare_ratio(&small_y, &small_n));
    let bare_ratio_big = best(runs, || bare_ratio(&big_y, &big_n));
    let i_chart_small = best(runs, || i_chart(&small_v));
    let i_chart_big = best(runs, || i_chart(&big_v));
    let bare_copy_small = best(runs, || bare_copy(&small_v));
    let bare_copy_big = best(runs, || bare_copy(&big_v));
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!("best of {runs} runs:");
    println!(
        "p chart (Anhøj) 1,000,000 subgroups: {:.2} ms; bare pass {:.2} ms; ratio {:.1}x (floor 20x)",
        ms(p_chart_big),
        ms(bare_ratio_big),
        ratio(p_chart_big, bare_ratio_big)
    );
    println!(
        "p chart 100,000 subgroups: {:.2} ms (bare {:.3} ms); growth 100k -> 1M: {:.1}x (at most 12x)",
        ms(p_chart_small),
        ms(bare_ratio_small),
        ratio(p_chart_big, p_chart_small)
    );
    println!(
        "i chart (Anhøj, screened) 1,000,000 points: {:.2} ms; bare pass {:.2} ms; ratio {:.1}x (floor 20x)",
        ms(i_chart_big),
        ms(bare_copy_big),
        ratio(i_chart_big, bare_copy_big)
    );
    println!(
        "i chart 100,000 points: {:.2} ms (bare {:.3} ms); growth 100k -> 1M: {:.1}x (at most 12x)",
        ms(i_chart_small),
        ms(bare_copy_small),
        ratio(i_chart_big, i_chart_small)
    );
}

fn benches(c: &mut Criterion) {
    report();
    let (y, n, v) = inputs(1_000_000);
    let mut group = c.benchmark_group("spc_1m");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("bare_ratio", |b| {
        b.iter(|| bare_ratio(black_box(&y), black_box(&n)));
    });
    group.bench_function("p_chart_anhoej", |b| {
        b.iter(|| p_chart(black_box(&y), black_box(&n)));
    });
    group.bench_function("bare_copy", |b| b.iter(|| bare_copy(black_box(&v))));
    group.bench_function("i_chart_anhoej", |b| b.iter(|| i_chart(black_box(&v))));
    group.finish();
}

criterion_group!(spc, benches);
criterion_main!(spc);

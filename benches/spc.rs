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

/// The fastest and the median of `runs` timings: the fastest is the least disturbed by other
/// work on a shared machine, the median shows how much that work disturbed the rest.
fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> Timing {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort_unstable();
    Timing {
        best: times.first().copied().unwrap_or_default(),
        median: times.get(runs / 2).copied().unwrap_or_default(),
    }
}

#[derive(Clone, Copy)]
struct Timing {
    best: Duration,
    median: Duration,
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
            // The result holds y (an f64), n (whole numbers in 4 bytes) and flags (1 byte) per
            // point (rule flags only when a rule flags a point: not here); its lines are stored
            // per part and derived from n.
            let output = chart.len() as f64 * (8.0 + 4.0 + 1.0);
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
    let p_chart_small = timed(runs, || p_chart(&small_y, &small_n));
    let p_chart_big = timed(runs, || p_chart(&big_y, &big_n));
    let bare_ratio_small = timed(runs, || bare_ratio(&small_y, &small_n));
    let bare_ratio_big = timed(runs, || bare_ratio(&big_y, &big_n));
    let i_chart_small = timed(runs, || i_chart(&small_v));
    let i_chart_big = timed(runs, || i_chart(&big_v));
    let bare_copy_small = timed(runs, || bare_copy(&small_v));
    let bare_copy_big = timed(runs, || bare_copy(&big_v));
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    // Ratios of the fastest runs (the figures), then of the medians (the spread).
    let line = |what: &str, chart: Timing, bare: Timing, small: Timing, bare_small: Timing| {
        println!(
            "{what} 1,000,000: {:.2} ms; bare pass {:.3} ms; ratio {:.1}x (floor 20x); 100,000: {:.3} ms (bare {:.4} ms); growth 100k -> 1M {:.1}x (at most 12x)",
            ms(chart.best),
            ms(bare.best),
            ratio(chart.best, bare.best),
            ms(small.best),
            ms(bare_small.best),
            ratio(chart.best, small.best),
        );
        println!(
            "  medians: {:.2} ms; bare {:.3} ms; ratio {:.1}x; growth {:.1}x",
            ms(chart.median),
            ms(bare.median),
            ratio(chart.median, bare.median),
            ratio(chart.median, small.median),
        );
    };
    println!("best of {runs} runs:");
    line(
        "p chart (Anhøj)",
        p_chart_big,
        bare_ratio_big,
        p_chart_small,
        bare_ratio_small,
    );
    line(
        "i chart (Anhøj, screened)",
        i_chart_big,
        bare_copy_big,
        i_chart_small,
        bare_copy_small,
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

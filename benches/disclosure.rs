//! The disclosure audit: a stratified table built with small-cell suppression (primary cells,
//! complements and the linear-programming audit that proves them) against the same table built
//! with suppression off (rates and Wilson intervals only), in the same run.
//!
//! The tables are sparse months-by-groups tables with many small counts, the hard case: about
//! half their cells hold a count from 1 to 10. The bench prints, per size, the ratio of the
//! medians and the work the audit did (linear programs solved, entries hidden).

// A bench prints its ratios.
#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use qic_equity::disclosure::LinkedCounts;
use qic_equity::period::Period;
use qic_equity::stratify::{Counts, StratifiedCounts, Stratifier, Stratum};
use qic_equity::suppression::{Reliability, Suppression};

/// A fixed, sparse table: `groups` sites by `months` months, three cells in four present.
fn table(groups: usize, months: u32) -> (StratifiedCounts, LinkedCounts) {
    let mut state = 12_345_u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let count = |r: u64| match r % 8 {
        0..=2 => 1 + r / 8 % 10,
        3 => 0,
        4 | 5 => 11 + r / 8 % 50,
        _ => 61 + r / 8 % 840,
    };
    let mut counts = StratifiedCounts::new(vec![Stratifier::column("site")]);
    // The same table as linked counts, to report the audit's work.
    let mut linked = LinkedCounts::new();
    let mut rows = vec![Vec::new(); months as usize];
    let mut columns = vec![Vec::new(); groups];
    let mut row_sums = vec![Counts::default(); months as usize];
    let mut column_sums = vec![Counts::default(); groups];
    for m in 0..months {
        for g in 0..groups {
            if next() % 4 == 0 {
                continue;
            }
            let (a, b) = (count(next()), count(next()));
            let cell = Counts::new(a.min(b), a.max(b).max(1)).expect("numerator <= denominator");
            let period = Period::new(2024 + (m / 12).cast_signed(), m % 12 + 1).expect("a month");
            counts
                .add_counts(period, Stratum::of(&[&format!("S{g}")]), cell)
                .expect("one level per stratifier");
            let entry = linked.add_rate(cell);
            rows[m as usize].push(entry);
            columns[g].push(entry);
            for sum in [&mut row_sums[m as usize], &mut column_sums[g]] {
                sum.numerator += cell.numerator;
                sum.denominator += cell.denominator;
            }
        }
    }
    let mut grand = Counts::default();
    for s in &row_sums {
        grand.numerator += s.numerator;
        grand.denominator += s.denominator;
    }
    let row_totals: Vec<_> = row_sums.iter().map(|&c| linked.add_rate(c)).collect();
    let column_totals: Vec<_> = column_sums.iter().map(|&c| linked.add_rate(c)).collect();
    let total = linked.add_rate(grand);
    for (members, &t) in rows.iter().zip(&row_totals) {
        linked.sum(t, members);
    }
    for (members, &t) in columns.iter().zip(&column_totals) {
        linked.sum(t, members);
    }
    linked.sum(total, &row_totals);
    linked.sum(total, &column_totals);
    (counts, linked)
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
    let sizes: [(usize, u32); 3] = [(4, 12), (6, 24), (8, 36)];
    let reliability = Reliability::default();
    let on = Suppression::default();
    let off = Suppression::off_for_internal_use_only();

    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("disclosure");
    group.sample_size(10);
    for (groups, months) in sizes {
        let (counts, _) = table(groups, months);
        group.bench_function(format!("{groups}x{months}_suppressed"), |b| {
            b.iter(|| black_box(counts.table(&on, &reliability)));
        });
        group.bench_function(format!("{groups}x{months}_suppression_off"), |b| {
            b.iter(|| black_box(counts.table(&off, &reliability)));
        });
    }
    group.finish();
    c.final_summary();

    println!();
    for (groups, months) in sizes {
        let (counts, linked) = table(groups, months);
        let audited = median_time(5, || {
            black_box(counts.table(&on, &reliability));
        });
        let bare = median_time(5, || {
            black_box(counts.table(&off, &reliability));
        });
        let protection = linked.protect(&on);
        let hidden = protection.hidden().iter().filter(|&&h| h).count();
        println!(
            "{groups} groups x {months} months: suppressed and audited {audited:.2?}, suppression off {bare:.2?}, ratio {:.0}; {} linear programs; {hidden} of {} entries hidden",
            audited.as_secs_f64() / bare.as_secs_f64(),
            protection.audit().linear_programs,
            linked.len(),
        );
    }
}

//! Loading a program file: qic's checked load (parse, field-path tracking, validation, building
//! the calendar) against a raw parse of the same text into a generic tree, in the same process.
//! Absolute times on shared machines are noise; the printed ratios are the result.

#![allow(clippy::print_stdout)] // the bench reports its ratios

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use qic::program::Preset;
use qic::program::io::{FileFormat, parse_program};

const TOML_PROGRAM: &str = include_str!("../examples/programs/hypertension-collaborative.toml");

/// Mean time per call of `f`, over about `budget`.
fn time_per_call<T>(budget: Duration, mut f: impl FnMut() -> T) -> f64 {
    let start = Instant::now();
    let mut calls = 0u32;
    while start.elapsed() < budget {
        black_box(f());
        calls += 1;
    }
    start.elapsed().as_secs_f64() / f64::from(calls.max(1))
}

fn bench(c: &mut Criterion) {
    let json_program = serde_json::to_string(
        &parse_program(TOML_PROGRAM, FileFormat::Toml, "b.toml").expect("the example loads"),
    )
    .expect("a program serializes");
    let preset = Preset::PursuingEquity2022
        .program()
        .expect("the preset builds");

    let mut group = c.benchmark_group("program_load");
    group.bench_function("toml_raw_parse", |b| {
        b.iter(|| black_box(TOML_PROGRAM).parse::<toml::Table>());
    });
    group.bench_function("toml_qic_load", |b| {
        b.iter(|| parse_program(black_box(TOML_PROGRAM), FileFormat::Toml, "b.toml"));
    });
    group.bench_function("json_raw_parse", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&json_program)));
    });
    group.bench_function("json_qic_load", |b| {
        b.iter(|| parse_program(black_box(&json_program), FileFormat::Json, "b.json"));
    });
    group.bench_function("ics_export_pursuing_equity", |b| {
        b.iter(|| black_box(&preset).schedule().to_ics());
    });
    group.bench_function("json_export_pursuing_equity", |b| {
        b.iter(|| serde_json::to_string(black_box(&preset).schedule()));
    });
    group.finish();

    let budget = Duration::from_millis(300);
    let ratio = |slow: f64, fast: f64| slow / fast;
    let toml_raw = time_per_call(budget, || black_box(TOML_PROGRAM).parse::<toml::Table>());
    let toml_qic = time_per_call(budget, || {
        parse_program(black_box(TOML_PROGRAM), FileFormat::Toml, "b.toml")
    });
    let json_raw = time_per_call(budget, || {
        serde_json::from_str::<serde_json::Value>(black_box(&json_program))
    });
    let json_qic = time_per_call(budget, || {
        parse_program(black_box(&json_program), FileFormat::Json, "b.json")
    });
    let ics = time_per_call(budget, || black_box(&preset).schedule().to_ics());
    let json_out = time_per_call(budget, || {
        serde_json::to_string(black_box(&preset).schedule())
    });
    println!(
        "ratio toml: checked load / raw parse = {:.2}",
        ratio(toml_qic, toml_raw)
    );
    println!(
        "ratio json: checked load / raw parse = {:.2}",
        ratio(json_qic, json_raw)
    );
    println!(
        "ratio calendar export: iCalendar / JSON = {:.2}",
        ratio(ics, json_out)
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);

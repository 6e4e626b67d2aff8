//! `qic chart` on a 1,000,000-row CSV, next to reading the same file with the csv crate and
//! doing nothing else. The chart path is what the command does: read and check the CSV
//! (`qic_spc::csv::CsvData`), compute a p chart, and write the JSON (here to a sink).
//!
//! Run with: `cargo bench --bench spc_csv`

// A bench prints its figures.
#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use qic::spc::csv::CsvData;
use qic::spc::{ChartOptions, ChartType};

const ROWS: usize = 1_000_000;

/// Writes the bench file once (x,y,n with numbers) under the target directory.
fn bench_file() -> std::io::Result<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/qic-bench");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("p_1m.csv");
    if path.exists() {
        return Ok(path);
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    writeln!(out, "x,y,n")?;
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    for i in 0..ROWS {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let n = 200 + (state % 100);
        let y = (n * (8 + (state >> 32) % 5)) / 100;
        writeln!(out, "{},{y},{n}", i + 1)?;
    }
    out.flush()?;
    Ok(path)
}

fn csv_only(path: &Path) -> usize {
    let Ok(mut reader) = csv::Reader::from_path(path) else {
        return 0;
    };
    let mut record = csv::ByteRecord::new();
    let mut rows = 0;
    while reader.read_byte_record(&mut record).unwrap_or(false) {
        rows += 1;
    }
    rows
}

fn qic_chart(path: &Path) -> usize {
    let Ok(data) = CsvData::from_path(path, ChartType::P) else {
        return 0;
    };
    let Ok(chart) = data.compute(ChartType::P, &ChartOptions::default()) else {
        return 0;
    };
    // As `qic chart --format json`: compact beyond 10,000 points.
    let mut sink = std::io::BufWriter::new(std::io::sink());
    if serde_json::to_writer(&mut sink, &chart).is_err() {
        return 0;
    }
    chart.len()
}

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

fn benches(c: &mut Criterion) {
    let path = match bench_file() {
        Ok(path) => path,
        Err(e) => {
            println!("cannot write the bench file: {e}");
            return;
        }
    };
    assert_eq!(csv_only(&path), ROWS);
    assert_eq!(qic_chart(&path), ROWS);
    let read = best(5, || csv_only(&path));
    let chart = best(5, || qic_chart(&path));
    // Where the time goes: reading and checking, computing, writing the JSON.
    let parse = best(5, || {
        CsvData::from_path(&path, ChartType::P).map(|d| d.len())
    });
    let data = CsvData::from_path(&path, ChartType::P).ok();
    let compute = best(5, || {
        data.as_ref().map(|d| {
            d.compute(ChartType::P, &ChartOptions::default())
                .map(|c| c.len())
        })
    });
    let result = data
        .as_ref()
        .and_then(|d| d.compute(ChartType::P, &ChartOptions::default()).ok());
    let json = best(3, || {
        let mut sink = std::io::BufWriter::new(std::io::sink());
        result
            .as_ref()
            .map(|r| serde_json::to_writer_pretty(&mut sink, r).is_ok())
    });
    println!(
        "  of which: read and check {:.0} ms, compute {:.0} ms, JSON {:.0} ms",
        parse.as_secs_f64() * 1e3,
        compute.as_secs_f64() * 1e3,
        json.as_secs_f64() * 1e3
    );
    println!(
        "1,000,000-row CSV: csv crate read only {:.0} ms; qic chart (read, check, p chart, JSON) {:.0} ms; ratio {:.1}x",
        read.as_secs_f64() * 1e3,
        chart.as_secs_f64() * 1e3,
        chart.as_secs_f64() / read.as_secs_f64()
    );
    let mut group = c.benchmark_group("spc_csv_1m");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("csv_read_only", |b| b.iter(|| csv_only(black_box(&path))));
    group.bench_function("qic_chart_p_json", |b| {
        b.iter(|| qic_chart(black_box(&path)));
    });
    group.finish();
}

criterion_group!(spc_csv, benches);
criterion_main!(spc_csv);

//! `qic chart --format json` on CSV files of 1,000,000 rows (and 10,000,000 with
//! `QIC_BENCH_10M=1`), against a floor of the same shape measured in the same run: reading the
//! same file with the `csv` crate, parsing the same three numbers a row, and writing JSON with
//! `serde_json` of the same points (the same 13 fields, six of them full-precision floats,
//! through a derived `Serialize`), to the same sink. The chart path is what the command does:
//! `CsvData::read_path`, `CsvData::into_chart` (a p chart), and the chart's JSON written point
//! by point.
//!
//! Peak memory is measured per path in a fresh process (the bench runs itself again with
//! `QIC_BENCH_CHILD` set and reads `VmHWM` from `/proc/self/status`), and printed against the
//! input's numeric size (rows × 3 numbers × 8 bytes). Goals: time within 1.5x the floor, peak
//! memory within 3x the numeric size. The 10,000,000-row file is deleted after measuring.
//!
//! Run with: `cargo bench --bench chart_stream` (add `QIC_BENCH_10M=1` for 10M rows).

// A bench prints its figures.
#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::Criterion;
use qic::spc::csv::CsvData;
use qic::spc::{ChartOptions, ChartType, PointField};
use serde::Serialize;

/// Writes a bench file of `rows` rows (x,y,n: a running number, a count, a denominator) under
/// the target directory, unless it is there.
fn bench_file(rows: usize) -> std::io::Result<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/qic-bench");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("chart_{rows}.csv"));
    if path.exists() {
        return Ok(path);
    }
    let partial = path.with_extension("partial");
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(&partial)?);
    writeln!(out, "x,y,n")?;
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    for i in 0..rows {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let n = 200 + (state % 100);
        let y = (n * (8 + (state >> 32) % 5)) / 100;
        writeln!(out, "{},{y},{n}", i + 1)?;
    }
    out.flush()?;
    drop(out);
    std::fs::rename(&partial, &path)?;
    Ok(path)
}

/// A point of the floor: the fields of the chart's JSON points, with the same types.
#[derive(Serialize)]
struct FloorPoint {
    x: f64,
    y: Option<f64>,
    n: Option<f64>,
    cl: Option<f64>,
    lcl: Option<f64>,
    ucl: Option<f64>,
    lcl_95: Option<f64>,
    ucl_95: Option<f64>,
    sigma_signal: bool,
    part: usize,
    baseline: bool,
    include: bool,
    signals: [u8; 0],
}

/// The streaming JSON document of the floor: `{"points": [...]}` written point by point as
/// the rows are read (so the floor holds no column at all).
struct FloorDocument(std::cell::RefCell<csv::Reader<std::fs::File>>);

impl Serialize for FloorDocument {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq, SerializeStruct};
        struct Points<'b>(&'b FloorDocument);
        impl Serialize for Points<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut seq = serializer.serialize_seq(None)?;
                let mut reader = self.0.0.borrow_mut();
                let mut record = csv::ByteRecord::new();
                let number = |cell: Option<&[u8]>| -> f64 {
                    cell.and_then(|c| std::str::from_utf8(c).ok())
                        .and_then(|t| t.trim().parse().ok())
                        .unwrap_or(f64::NAN)
                };
                while reader
                    .read_byte_record(&mut record)
                    .map_err(S::Error::custom)?
                {
                    let (x, y, n) = (
                        number(record.get(0)),
                        number(record.get(1)),
                        number(record.get(2)),
                    );
                    // Full-precision floats, as the chart's proportions and limits are.
                    let p = y / n;
                    seq.serialize_element(&FloorPoint {
                        x,
                        y: Some(p),
                        n: Some(n),
                        cl: Some(p * 0.5),
                        lcl: Some(p * 0.25),
                        ucl: Some(p * 0.75),
                        lcl_95: Some(p * 0.375),
                        ucl_95: Some(p * 0.625),
                        sigma_signal: false,
                        part: 1,
                        baseline: true,
                        include: true,
                        signals: [],
                    })?;
                }
                seq.end()
            }
        }
        let mut s = serializer.serialize_struct("Floor", 1)?;
        s.serialize_field("points", &Points(self))?;
        s.end()
    }
}

/// The floor: read the CSV with the csv crate and write the same points as JSON.
fn floor(path: &Path) -> usize {
    let Ok(reader) = csv::Reader::from_path(path) else {
        return 0;
    };
    let mut sink = Counting::default();
    let document = FloorDocument(std::cell::RefCell::new(reader));
    let mut out = std::io::BufWriter::with_capacity(1 << 16, &mut sink);
    if serde_json::to_writer(&mut out, &document).is_err() || out.flush().is_err() {
        return 0;
    }
    drop(out);
    sink.bytes
}

/// What `qic chart --chart p --format json` does: read, chart, write the JSON point by point.
fn qic_chart(path: &Path) -> usize {
    let Ok(data) = CsvData::from_path(path, ChartType::P) else {
        return 0;
    };
    let Ok(chart) = data.into_chart(ChartType::P, &ChartOptions::default()) else {
        return 0;
    };
    let mut sink = Counting::default();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, &mut sink);
    let document = chart.with_point_fields(&PointField::JSON);
    if serde_json::to_writer(&mut out, &document).is_err() || out.flush().is_err() {
        return 0;
    }
    drop(out);
    sink.bytes
}

/// A sink that counts the bytes written (so both paths are checked to write something).
#[derive(Default)]
struct Counting {
    bytes: usize,
}

impl std::io::Write for Counting {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
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

/// The peak resident memory of this process so far (`VmHWM`), in bytes (Linux only).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Runs one path in a fresh process and returns its peak resident memory.
fn peak_of(path_name: &str, file: &Path) -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let out = std::process::Command::new(exe)
        .env("QIC_BENCH_CHILD", format!("{path_name}:{}", file.display()))
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("peak_rss_bytes=")?.parse().ok())
}

/// The child: one run of one path, then its peak memory.
fn child(job: &str) {
    let Some((which, file)) = job.split_once(':') else {
        return;
    };
    let file = Path::new(file);
    let bytes = match which {
        "floor" => floor(file),
        _ => qic_chart(file),
    };
    if bytes > 0
        && let Some(peak) = peak_rss()
    {
        println!("peak_rss_bytes={peak}");
    }
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

/// Times both paths on `rows` rows and prints the figures; returns the file.
fn measure(rows: usize, runs: usize) -> Option<PathBuf> {
    let path = match bench_file(rows) {
        Ok(path) => path,
        Err(e) => {
            println!("cannot write the bench file: {e}");
            return None;
        }
    };
    let written = qic_chart(&path);
    assert!(written > 0 && floor(&path) > 0, "both paths write JSON");
    let chart = best(runs, || qic_chart(&path));
    let floor_time = best(runs, || floor(&path));
    let numeric = (rows * 3 * 8) as u64;
    let (chart_peak, floor_peak) = (peak_of("chart", &path), peak_of("floor", &path));
    println!(
        "{rows} rows ({:.0} MB of JSON): qic chart {:.2} s, floor {:.2} s: {:.2}x (goal 1.5x)",
        written as f64 / 1e6,
        chart.as_secs_f64(),
        floor_time.as_secs_f64(),
        chart.as_secs_f64() / floor_time.as_secs_f64(),
    );
    match (chart_peak, floor_peak) {
        (Some(c), Some(f)) => println!(
            "{rows} rows: peak memory qic chart {:.0} MB, floor {:.0} MB; input numeric size {:.0} MB: {:.2}x (goal 3x)",
            mb(c),
            mb(f),
            mb(numeric),
            c as f64 / numeric as f64
        ),
        _ => println!("{rows} rows: peak memory not measured (needs /proc/self/status)"),
    }
    Some(path)
}

fn main() {
    if let Ok(job) = std::env::var("QIC_BENCH_CHILD") {
        child(&job);
        return;
    }
    let mut criterion = Criterion::default().configure_from_args();
    let Some(path) = measure(1_000_000, 5) else {
        return;
    };
    if std::env::var_os("QIC_BENCH_10M").is_some()
        && let Some(big) = measure(10_000_000, 3)
    {
        // 170 MB that nothing else needs.
        let _ = std::fs::remove_file(big);
    }
    let mut group = criterion.benchmark_group("chart_stream_1m");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("floor_csv_read_json_write", |b| {
        b.iter(|| floor(black_box(&path)));
    });
    group.bench_function("qic_chart_p_json", |b| {
        b.iter(|| qic_chart(black_box(&path)));
    });
    group.finish();
    criterion.final_summary();
}

//! Run with: cargo run --release --example equity_extract
//!
//! Writes a synthetic patient-month extract (the input of the equity benchmark) and reads it back
//! with the `csv` crate doing nothing else: the "bare read" that `qic equity stratify` is
//! measured against (benches/equity_stratify.sh).
//!
//! - no arguments: 200,000 rows into `target/qic-examples/equity_extract/extract.csv`, then a
//!   bare read of it;
//! - `generate --rows N --out FILE`: N rows into FILE (10,000,000 rows make about 0.5 GB;
//!   default 10,000,000 into `target/equity-bench/extract.csv`);
//! - `bare-read FILE`: read FILE record by record and print the time taken.

// An example prints; its first line follows the house form for example headers.
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::doc_markdown)]

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// splitmix64: a deterministic hash of a patient id and a salt.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn uniform(seed: u64) -> f64 {
    (mix(seed) >> 11) as f64 / (1u64 << 53) as f64
}

/// Picks from (value, weight) pairs whose weights sum to 1.
fn pick<'a>(choices: &[(&'a str, f64)], u: f64) -> &'a str {
    let mut left = u;
    for &(value, weight) in choices {
        if left < weight {
            return value;
        }
        left -= weight;
    }
    choices.last().map_or("", |c| c.0)
}

/// Race values as EHR extracts hold them: CDC codes, text, null flavors, several races, a local
/// code and empty cells.
const RACES: [(&str, f64); 12] = [
    ("2106-3", 0.36),
    ("White", 0.18),
    ("2054-5", 0.12),
    ("Black or African American", 0.06),
    ("2028-9", 0.07),
    ("1002-5", 0.01),
    ("2076-8", 0.005),
    ("2106-3;2054-5", 0.03),
    ("2131-1", 0.02),
    ("ASKU", 0.05),
    ("R9", 0.015),
    ("", 0.08),
];
const ETHNICITIES: [(&str, f64); 5] = [
    ("2186-5", 0.70),
    ("2135-2", 0.18),
    ("UNK", 0.04),
    ("ASKU", 0.03),
    ("", 0.05),
];
const LANGUAGES: [(&str, f64); 6] = [
    ("en-US", 0.70),
    ("es", 0.18),
    ("vi", 0.03),
    ("zh", 0.03),
    ("Somali", 0.01),
    ("", 0.05),
];
const PAYERS: [(&str, f64); 4] = [
    ("commercial", 0.45),
    ("medicaid", 0.30),
    ("medicare", 0.20),
    ("self_pay", 0.05),
];
/// Months covered: 2023-01 to 2024-12.
const MONTHS: u64 = 24;

fn screening_chance(race: &str, month: u64) -> f64 {
    let base = match race {
        "2106-3" | "White" => 0.72,
        "2054-5" | "Black or African American" => 0.55,
        "2028-9" => 0.68,
        _ => 0.62,
    };
    base + 0.002 * month as f64
}

fn generate(rows: u64, out: &Path) -> std::io::Result<()> {
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    // A temporary file beside `out`, renamed over it once complete: an interrupted run leaves
    // an earlier extract whole.
    let folder = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut file =
        std::io::BufWriter::with_capacity(1 << 20, tempfile::NamedTempFile::new_in(folder)?);
    file.write_all(b"patient_id,visit_date,screened,eligible,race,ethnicity,language,payer\n")?;
    let patients = rows.div_ceil(MONTHS);
    let mut line = String::with_capacity(128);
    let mut written = 0;
    'patients: for patient in 0..patients {
        let race = pick(&RACES, uniform(patient * 4));
        let ethnicity = pick(&ETHNICITIES, uniform(patient * 4 + 1));
        let language = pick(&LANGUAGES, uniform(patient * 4 + 2));
        let payer = pick(&PAYERS, uniform(patient * 4 + 3));
        for month in 0..MONTHS {
            if written == rows {
                break 'patients;
            }
            let seed = (patient * MONTHS + month) * 8;
            let eligible = u8::from(uniform(seed) > 0.04);
            let screened = u8::from(uniform(seed + 1) < screening_chance(race, month)) * eligible;
            let day = mix(seed + 2) % 28 + 1;
            line.clear();
            let _ = writeln!(
                line,
                "{},{}-{:02}-{day:02},{screened},{eligible},{race},{ethnicity},{language},{payer}",
                1_000_000 + patient,
                2023 + month / 12,
                month % 12 + 1,
            );
            file.write_all(line.as_bytes())?;
            written += 1;
        }
    }
    let file = file
        .into_inner()
        .map_err(std::io::IntoInnerError::into_error)?;
    file.persist(out).map_err(|e| e.error)?;
    Ok(())
}

/// Reads every record with the csv crate and nothing else.
fn bare_read(path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let mut reader = csv::ReaderBuilder::new().from_path(path)?;
    let mut record = csv::ByteRecord::new();
    let (mut records, mut fields) = (0u64, 0u64);
    while reader.read_byte_record(&mut record)? {
        records += 1;
        fields += record.len() as u64;
    }
    let seconds = start.elapsed().as_secs_f64();
    println!("bare read: {records} records, {fields} fields in {seconds:.3} s");
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None => {
            let out = PathBuf::from("target/qic-examples/equity_extract/extract.csv");
            generate(200_000, &out)?;
            println!("wrote {}", out.display());
            bare_read(&out)
        }
        Some("generate") => {
            let mut rows = 10_000_000;
            let mut out = PathBuf::from("target/equity-bench/extract.csv");
            let mut rest = args.iter().skip(1);
            while let Some(flag) = rest.next() {
                let value = rest.next().ok_or_else(|| format!("{flag} needs a value"))?;
                match flag.as_str() {
                    "--rows" => rows = value.parse()?,
                    "--out" => out = PathBuf::from(value),
                    _ => return Err(format!("unknown option {flag}").into()),
                }
            }
            let start = Instant::now();
            generate(rows, &out)?;
            let size = std::fs::metadata(&out)?.len();
            println!(
                "wrote {rows} rows ({:.1} MB) to {} in {:.1} s",
                size as f64 / 1e6,
                out.display(),
                start.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Some("bare-read") => {
            let path = args.get(1).ok_or("bare-read needs a file")?;
            bare_read(Path::new(path))
        }
        Some(other) => Err(format!("unknown command {other}; use generate or bare-read").into()),
    }
}

//! Run with: cargo run --example equity_gap
//!
//! A synthetic screening extract with a real gap between groups: its REAL data readiness, the
//! measure stratified by race with small cells suppressed, and the gap to the reference group
//! month by month, as a series a chart can plot.

// An example prints; its first line follows the house form for example headers.
#![allow(clippy::print_stdout, clippy::doc_markdown)]

use std::fmt::Write as _;
use std::path::PathBuf;

use qic::equity::codes::Dimension;
use qic::equity::disparity::{DisparityReport, RatePolarity, Reference};
use qic::equity::mapping::{Mapping, MultipleRule};
use qic::equity::read::{ReadOptions, StratifySpec, readiness_file, stratify_file};
use qic::equity::readiness::ReadinessThresholds;
use qic::equity::stratify::{Stratifier, Stratum};
use qic::equity::suppression::{Reliability, Suppression};

/// A small deterministic random number generator (splitmix64), so the example prints the same
/// numbers on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) as f64 / u64::MAX as f64
    }
}

/// Race values as an EHR extract holds them (codes, text, null flavors, a local code), with
/// their share of patients and their chance of being screened in the first month.
const RACES: [(&str, f64, f64); 8] = [
    ("2106-3", 0.52, 0.74),
    ("Black or African American", 0.22, 0.52),
    ("2028-9", 0.10, 0.70),
    ("2106-3;2054-5", 0.04, 0.62),
    ("1002-5", 0.004, 0.55),
    ("ASKU", 0.05, 0.64),
    ("", 0.05, 0.60),
    ("R9", 0.036, 0.66),
];

fn write_extract(path: &PathBuf) -> std::io::Result<()> {
    let mut rng = Rng(2024);
    let mut csv = String::from("patient_id,visit_date,screened,eligible,race,ethnicity\n");
    for month in 1..=6u32 {
        for patient in 0..2500u32 {
            let mut pick = rng.next();
            let &(race, _, base) = RACES
                .iter()
                .find(|(_, share, _)| {
                    pick -= share;
                    pick < 0.0
                })
                .unwrap_or(&RACES[0]);
            // An outreach program for Black patients starts in month 3 and narrows the gap.
            let lift = if race.starts_with("Black") && month >= 3 {
                0.04 * f64::from(month - 2)
            } else {
                0.0
            };
            let screened = u8::from(rng.next() < base + lift);
            let eligible = u8::from(rng.next() > 0.03);
            let ethnicity = if rng.next() < 0.18 {
                "2135-2"
            } else {
                "2186-5"
            };
            let _ = writeln!(
                csv,
                "{patient},2024-{month:02}-{:02},{},{eligible},\"{race}\",{ethnicity}",
                patient % 28 + 1,
                screened * eligible,
            );
        }
    }
    std::fs::write(path, csv)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from("target/qic-examples/equity_gap");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("extract.csv");
    write_extract(&path)?;
    println!("Synthetic extract: {}\n", path.display());

    // 1. Is the REAL data usable? (R9 is a local code no mapping covers: it is counted as
    //    unmapped, never guessed.)
    let mapping = Mapping::standard();
    let columns = [
        (Dimension::Race, "race".to_owned()),
        (Dimension::Ethnicity, "ethnicity".to_owned()),
    ];
    let options = ReadOptions::default();
    let readiness = readiness_file(
        &path,
        &columns,
        &mapping,
        MultipleRule::Multiracial,
        &options,
    )?;
    let report = readiness.report(&ReadinessThresholds::default(), &Suppression::default())?;
    println!("{}", report.to_text());

    // 2. The measure by race and month, small cells hidden (CMS: 1 to 10).
    let spec = StratifySpec {
        period: "visit_date".into(),
        numerator: "screened".into(),
        denominator: Some("eligible".into()),
        stratifiers: vec![Stratifier::dimension(Dimension::Race, "race")],
        rule: MultipleRule::Multiracial,
    };
    let counts = stratify_file(&path, &spec, &mapping, &options)?;
    let table = counts.table(&Suppression::default(), &Reliability::default());
    println!("{}", table.to_text());

    // 3. The gap to White patients, month by month.
    let white = Stratum::of(&["white"]);
    let disparity = DisparityReport::new(
        &table,
        &Reference::Group(white),
        RatePolarity::HigherIsBetter,
    )?;
    println!("{}", disparity.to_text());
    for series in &disparity.gaps {
        println!(
            "Gap series, {} minus White (percentage points):",
            series.group.label(&table.stratifiers)
        );
        for (period, gap) in series.values() {
            println!("  {period}  {:+.1}", gap * 100.0);
        }
    }
    println!(
        "\nThe same from the command line:\n  cargo run -p qic-cli -- equity disparity {} --period visit_date --numerator screened --denominator eligible --by race --reference white --direction higher-is-better",
        path.display()
    );
    Ok(())
}

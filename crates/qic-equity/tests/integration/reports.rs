//! Snapshots of the shareable stratified table and disparity report (text, JSON and CSV).

use std::fmt::Write as _;

use qic_equity::codes::Dimension;
use qic_equity::disparity::{DisparityReport, RatePolarity, Reference};
use qic_equity::mapping::{Mapping, MultipleRule};
use qic_equity::read::{StratifySpec, stratify_reader};
use qic_equity::stratify::{StratifiedTable, Stratifier, Stratum};
use qic_equity::suppression::{Reliability, Suppression};

/// Two quarters of screening records with a gap between White and Black patients, a small
/// Native Hawaiian group and a few declined values.
fn extract() -> String {
    let groups: [(&str, u64, u64); 5] = [
        // (race value, records per month, screened per 100)
        ("2106-3", 240, 72),
        ("Black or African American", 120, 55),
        ("2028-9", 60, 66),
        ("2076-8", 7, 57),
        ("ASKU", 25, 60),
    ];
    let mut s = String::from("visit_date,screened,race\n");
    for month in 1..=3u64 {
        for (race, n, per100) in groups {
            // A gap that narrows a little each month for the Black group.
            let per100 = if race.starts_with("Black") {
                per100 + 3 * month
            } else {
                per100
            };
            for i in 0..n {
                let screened = u64::from(i * 100 < per100 * n);
                let _ = writeln!(s, "2024-{month:02}-{:02},{screened},{race}", i % 28 + 1);
            }
        }
    }
    s
}

fn table(suppression: &Suppression) -> StratifiedTable {
    let spec = StratifySpec {
        period: "visit_date".into(),
        numerator: "screened".into(),
        denominator: None,
        stratifiers: vec![Stratifier::dimension(Dimension::Race, "race")],
        rule: MultipleRule::Multiracial,
    };
    let counts = stratify_reader(
        extract().as_bytes(),
        "extract.csv",
        &spec,
        &Mapping::standard(),
    )
    .unwrap();
    counts.table(suppression, &Reliability::default())
}

#[test]
fn stratified_table_text() {
    insta::assert_snapshot!(table(&Suppression::default()).to_text());
}

#[test]
fn stratified_table_json() {
    insta::assert_json_snapshot!(table(&Suppression::default()));
}

#[test]
fn stratified_table_csv() {
    insta::assert_snapshot!(table(&Suppression::default()).to_csv());
}

#[test]
fn suppression_off_shows_small_cells_and_says_so() {
    let text = table(&Suppression::off_for_internal_use_only()).to_text();
    assert!(text.contains("suppression OFF: internal use only, do not share"));
    assert!(!text.contains("<hidden>"));
}

fn disparity() -> DisparityReport {
    DisparityReport::new(
        &table(&Suppression::default()),
        &Reference::Group(Stratum::of(&["white"])),
        RatePolarity::HigherIsBetter,
    )
    .unwrap()
}

#[test]
fn disparity_text() {
    insta::assert_snapshot!(disparity().to_text());
}

#[test]
fn disparity_json() {
    insta::assert_json_snapshot!(disparity());
}

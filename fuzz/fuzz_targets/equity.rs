//! `qic equity`'s path: a mapping file, the extract reader (on one thread and split over
//! several), stratified counts, the suppressed table and its outputs, disparities, readiness.
//!
//! Columns: `month` (period), `num`, `den`, `race`, `ethnicity`, `language`, `site` (plain).
//! Control bytes: 0 flags (bit 0 a denominator column, bits 1–2 the multiple-race rule, bit 3
//! suppression off, bit 4 the mapping is TOML); 1 stratifiers (bits 0–3 race, ethnicity,
//! language, site); 2 the suppression threshold (0: the CMS 10); 3 the reference (0 largest,
//! 1 best rate, else the first stratum); 4 threads for the split read (2–4); 5 the protection
//! width (0: the threshold). The rest is the
//! extract, then optionally a NUL byte and a mapping file (CSV `dimension,raw,category` or TOML).
//!
//! Checks: the split read gives the counts of the one-thread read; the counts survive their
//! serialized form; no published count is from 1 to the threshold; the table passed its
//! disclosure audit, and attacked from its JSON alone (`StratifiedTable::attack`, linear
//! programming bounds) no hidden small count is narrowed below the protection width and no
//! hidden denominator is determined.
#![no_main]

use std::collections::BTreeMap;
use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use qic_equity::codes::Dimension;
use qic_equity::disclosure::Part;
use qic_equity::disparity::{DisparityReport, RatePolarity, Reference};
use qic_equity::mapping::{Mapping, MultipleRule};
use qic_equity::read::{
    ReadOptions, StratifySpec, readiness_reader, stratify_file, stratify_reader,
};
use qic_equity::readiness::ReadinessThresholds;
use qic_equity::stratify::{
    Counts, Place, StrataAssumption, StratifiedCounts, StratifiedTable, Stratifier, Stratum,
};
use qic_equity::suppression::{Reliability, Suppression};
use qic_fuzz::{Input, sections};

fuzz_target!(|data: &[u8]| {
    let input = Input::new(data, 6);
    let parts = sections(input.rest(), 2);
    let (extract, mapping_file) = (parts[0], parts[1]);

    let mut mapping = Mapping::standard();
    if !mapping_file.is_empty() {
        let added = if input.bit(0, 4) {
            mapping.add_toml(&String::from_utf8_lossy(mapping_file), "map.toml")
        } else {
            mapping.add_csv(mapping_file, "map.csv")
        };
        if added.is_err() {
            return;
        }
    }
    let rule = [
        MultipleRule::Multiracial,
        MultipleRule::EachSelected,
        MultipleRule::HispanicOrLatinoFirst,
        MultipleRule::Multiracial,
    ][usize::from(input.byte(0) >> 1 & 0b11)];

    readiness(extract, &mapping, rule);

    let mut stratifiers = Vec::new();
    for (bit, stratifier) in [
        Stratifier::dimension(Dimension::Race, "race"),
        Stratifier::dimension(Dimension::Ethnicity, "ethnicity"),
        Stratifier::dimension(Dimension::PreferredLanguage, "language"),
        Stratifier::column("site"),
    ]
    .into_iter()
    .enumerate()
    {
        if input.bit(1, u8::try_from(bit).unwrap_or(0)) {
            stratifiers.push(stratifier);
        }
    }
    let spec = StratifySpec {
        period: "month".to_owned(),
        numerator: "num".to_owned(),
        denominator: input.bit(0, 0).then(|| "den".to_owned()),
        stratifiers,
        rule,
    };
    let Ok(counts) = stratify_reader(extract, "extract.csv", &spec, &mapping) else {
        return;
    };
    split_read_agrees(extract, &spec, &mapping, &counts, 2 + input.choice(4, 3));

    let json = serde_json::to_string(&counts).expect("counts serialize");
    let back: StratifiedCounts = serde_json::from_str(&json).expect("counts read back");
    assert_eq!(back, counts, "counts change through their serialized form");

    let suppression = if input.bit(0, 3) {
        Suppression::off_for_internal_use_only()
    } else {
        let threshold = match input.byte(2) {
            0 => Suppression::CMS_THRESHOLD,
            t => u64::from(t),
        };
        let suppression = Suppression::with_threshold(threshold).expect("a threshold above 0");
        match input.byte(5) {
            0 => suppression,
            w => suppression
                .with_protection_width(u64::from(w))
                .expect("a width above 0"),
        }
    };
    let table = counts.table(&suppression, &Reliability::default());
    check_published(&counts, &table, rule);
    let _ = table.to_text();
    let _ = table.to_csv();
    let _ = serde_json::to_string(&table).expect("a table serializes");

    let reference = match input.byte(3) {
        0 => Reference::Largest,
        1 => Reference::BestRate,
        _ => match table.stratum_totals.first() {
            Some(first) => Reference::Group(first.stratum.clone()),
            None => Reference::Largest,
        },
    };
    for direction in [RatePolarity::HigherIsBetter, RatePolarity::LowerIsBetter] {
        if let Ok(report) = DisparityReport::new(&table, &reference, direction) {
            let _ = report.to_text();
            let _ = serde_json::to_string(&report).expect("a disparity report serializes");
            for gap in &report.gaps {
                assert!(
                    gap.values().iter().all(|(_, v)| v.is_finite()),
                    "a gap series holds a number that is not finite"
                );
            }
        }
    }
});

fn readiness(extract: &[u8], mapping: &Mapping, rule: MultipleRule) {
    let columns = [
        (Dimension::Race, "race".to_owned()),
        (Dimension::Ethnicity, "ethnicity".to_owned()),
        (Dimension::PreferredLanguage, "language".to_owned()),
    ];
    if let Ok(counts) = readiness_reader(extract, "extract.csv", &columns, mapping, rule) {
        let report = counts
            .report(&ReadinessThresholds::default(), &Suppression::default())
            .expect("the default thresholds are valid");
        let _ = report.to_text();
    }
}

/// The parallel reader splits the file into byte ranges; whatever the split, the counts are
/// those of one pass.
fn split_read_agrees(
    extract: &[u8],
    spec: &StratifySpec,
    mapping: &Mapping,
    counts: &StratifiedCounts,
    threads: usize,
) {
    thread_local! {
        static PATH: PathBuf = std::env::temp_dir()
            .join(format!("qic-fuzz-equity-{}.csv", std::process::id()));
    }
    PATH.with(|path| {
        std::fs::write(path, extract).expect("the temporary extract is written");
        let split = stratify_file(
            path,
            spec,
            mapping,
            &ReadOptions {
                threads,
                ..ReadOptions::default()
            },
        );
        assert_eq!(
            split.as_ref().ok(),
            Some(counts),
            "a read split over {threads} threads differs from the one-thread read"
        );
    });
}

/// No shown count from 1 to the threshold; the table passed its disclosure audit; and,
/// re-proven from its JSON alone as a reader would attack it, every hidden count's proven range
/// holds the truth, no hidden small count is narrowed below the protection width and no hidden
/// denominator is determined.
fn check_published(counts: &StratifiedCounts, table: &StratifiedTable, rule: MultipleRule) {
    let (Some(threshold), Some(width)) = (
        table.suppression.threshold(),
        table.suppression.protection_width(),
    ) else {
        return;
    };
    assert!(
        table.disclosure_audit.is_some(),
        "a suppressed table was published without passing its audit"
    );
    let small = |n: u64| (1..=threshold).contains(&n);
    let estimates = table
        .cells
        .iter()
        .map(|c| &c.estimate)
        .chain(table.period_totals.iter().map(|p| &p.estimate))
        .chain(table.stratum_totals.iter().map(|s| &s.estimate))
        .chain([&table.total]);
    for e in estimates {
        if let (Some(n), Some(d)) = (e.numerator, e.denominator) {
            let non_events = d.checked_sub(n).expect("a numerator above its denominator");
            assert!(
                !(small(n) || small(d) || small(non_events)),
                "a published estimate shows a count from 1 to {threshold}"
            );
        }
    }

    let json = serde_json::to_string(table).expect("a table serializes");
    let published: StratifiedTable = serde_json::from_str(&json).expect("a table reads back");
    let mut stratum_truth: BTreeMap<&Stratum, Counts> = BTreeMap::new();
    for (_, stratum, c) in counts.cells() {
        let t = stratum_truth.entry(stratum).or_default();
        *t = add(*t, c);
    }
    let mut total = Counts::default();
    for period in table.period_totals.iter().map(|p| p.period) {
        total = add(total, counts.period_total(period).unwrap_or_default());
    }
    let assumption = if rule == MultipleRule::EachSelected {
        StrataAssumption::Overlap
    } else {
        StrataAssumption::Split
    };
    for attacked in published.attack(assumption) {
        let truth = match &attacked.place {
            Place::Cell { period, stratum } => counts.cell(*period, stratum),
            Place::PeriodTotal { period } => counts.period_total(*period),
            Place::StratumTotal { stratum } => stratum_truth.get(stratum).copied(),
            Place::Total => Some(total),
            Place::Rows { .. } => None,
        };
        let Some(truth) = truth else { continue };
        let value = match attacked.part {
            Part::Numerator => truth.numerator,
            Part::Denominator => truth.denominator,
            Part::NonEvents => truth.denominator - truth.numerator,
        };
        let bounds = attacked.bounds.expect("the solver answers");
        assert!(
            bounds.lower <= value && bounds.upper.is_none_or(|u| value <= u),
            "the truth lies outside the proven range: {attacked:?}"
        );
        if small(value) {
            assert!(
                bounds.width().is_none_or(|w| w >= width),
                "a hidden small count narrowed below {width}: {attacked:?}"
            );
        }
        if attacked.part == Part::Denominator {
            assert!(
                !bounds.is_determined(),
                "a hidden denominator determined: {attacked:?}"
            );
        }
    }
}

fn add(a: Counts, b: Counts) -> Counts {
    Counts {
        numerator: a.numerator.saturating_add(b.numerator),
        denominator: a.denominator.saturating_add(b.denominator),
    }
}

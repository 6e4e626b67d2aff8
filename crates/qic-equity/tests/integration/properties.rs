//! Invariants: merging is order-free and equals one pass; suppression leaves nothing derivable;
//! intervals contain their estimates.

use std::collections::BTreeMap;

use proptest::prelude::*;
use qic_equity::codes::Dimension;
use qic_equity::period::Period;
use qic_equity::stats::{Z95, katz_ratio, newcombe_difference, wilson};
use qic_equity::stratify::{
    Counts, Estimate, StratifiedCounts, StratifiedTable, Stratifier, Stratum,
};
use qic_equity::suppression::{Reliability, Suppression};

const GROUPS: [&str; 5] = [
    "white",
    "asian",
    "black_or_african_american",
    "multiracial",
    "unknown",
];

/// A record: month, one or two strata, numerator, denominator.
type Record = (u32, Vec<usize>, u64, u64);

fn record() -> impl Strategy<Value = Record> {
    (
        1u32..=4,
        prop::collection::vec(0usize..GROUPS.len(), 1..=2),
        0u64..=3,
        0u64..=3,
    )
        .prop_map(|(m, s, a, b)| (m, s, a.min(b), a.max(b)))
}

fn counts_of(records: &[Record]) -> StratifiedCounts {
    let mut c = StratifiedCounts::new(vec![Stratifier::dimension(Dimension::Race, "race")]);
    for (m, strata, n, d) in records {
        let strata: Vec<Stratum> = strata.iter().map(|&i| Stratum::of(&[GROUPS[i]])).collect();
        let counts = Counts::new(*n, *d).unwrap();
        c.add_record(Period::new(2024, *m).unwrap(), &strata, counts)
            .unwrap();
    }
    c
}

proptest! {
    #[test]
    fn merge_is_associative_commutative_and_equals_one_pass(
        records in prop::collection::vec(record(), 0..60),
        cut1 in 0usize..60,
        cut2 in 0usize..60,
    ) {
        let (i, j) = (cut1.min(cut2).min(records.len()), cut1.max(cut2).min(records.len()));
        let a = counts_of(&records[..i]);
        let b = counts_of(&records[i..j]);
        let c = counts_of(&records[j..]);
        let whole = counts_of(&records);

        let mut ab_c = a.clone();
        ab_c.merge(&b).unwrap();
        ab_c.merge(&c).unwrap();
        let mut bc = b.clone();
        bc.merge(&c).unwrap();
        let mut a_bc = a.clone();
        a_bc.merge(&bc).unwrap();
        let mut cba = c.clone();
        cba.merge(&b).unwrap();
        cba.merge(&a).unwrap();
        prop_assert_eq!(&ab_c, &whole);
        prop_assert_eq!(&a_bc, &whole);
        prop_assert_eq!(&cba, &whole);
    }

    #[test]
    fn suppression_leaves_no_derivable_small_cell(
        cells in prop::collection::btree_map((1u32..=4, 0usize..4), (0u64..=40, 0u64..=400), 1..16),
        threshold in 1u64..=12,
    ) {
        let mut c = StratifiedCounts::new(vec![Stratifier::dimension(Dimension::Race, "race")]);
        for ((m, s), (a, b)) in &cells {
            let counts = Counts::new(*a.min(b), *a.max(b)).unwrap();
            c.add_counts(Period::new(2024, *m).unwrap(), Stratum::of(&[GROUPS[*s]]), counts).unwrap();
        }
        let suppression = Suppression::with_threshold(threshold).unwrap();
        let t = c.table(&suppression, &Reliability::default());
        check_no_derivable_cell(&c, &t, threshold)?;
    }

    #[test]
    fn intervals_contain_their_estimates(
        x1 in 0u64..200, n1 in 1u64..200, x2 in 0u64..200, n2 in 1u64..200,
    ) {
        let (x1, x2) = (x1.min(n1), x2.min(n2));
        let (p1, p2) = (x1 as f64 / n1 as f64, x2 as f64 / n2 as f64);
        let w = wilson(x1, n1, Z95).unwrap();
        prop_assert!(w.contains(p1) && w.lower >= 0.0 && w.upper <= 1.0);
        let d = newcombe_difference(x1, n1, x2, n2, Z95).unwrap();
        prop_assert!(d.contains(p1 - p2) && d.lower >= -1.0 - 1e-12 && d.upper <= 1.0 + 1e-12);
        if let Some(r) = katz_ratio(x1, n1, x2, n2, Z95) {
            prop_assert!(r.contains(p1 / p2) && r.lower > 0.0);
        }
    }
}

/// Every published entry carries no count from 1 to the threshold, and no line with a published
/// total has exactly one hidden entry, or hidden denominators all equal to 1.
fn check_no_derivable_cell(
    counts: &StratifiedCounts,
    table: &StratifiedTable,
    threshold: u64,
) -> Result<(), TestCaseError> {
    let small = |n: u64| (1..=threshold).contains(&n);
    let all: Vec<&Estimate> = table
        .cells
        .iter()
        .map(|c| &c.estimate)
        .chain(table.period_totals.iter().map(|p| &p.estimate))
        .chain(table.stratum_totals.iter().map(|s| &s.estimate))
        .chain([&table.total])
        .collect();
    for e in &all {
        if let (Some(n), Some(d)) = (e.numerator, e.denominator) {
            prop_assert!(
                !small(n) && !small(d) && !small(d - n),
                "shown small count {e:?}"
            );
        }
    }
    // Exact denominators, to check the "all ones" condition.
    let exact: BTreeMap<(Period, &Stratum), u64> = counts
        .cells()
        .map(|(p, s, c)| ((p, s), c.denominator))
        .collect();
    let mut lines: Vec<(Vec<(bool, u64)>, bool)> = Vec::new();
    for p in &table.period_totals {
        let members = table
            .cells
            .iter()
            .filter(|c| c.period == p.period)
            .map(|c| (c.estimate.suppressed, exact[&(c.period, &c.stratum)]))
            .collect();
        lines.push((members, p.estimate.suppressed));
    }
    for s in &table.stratum_totals {
        let members = table
            .cells
            .iter()
            .filter(|c| c.stratum == s.stratum)
            .map(|c| (c.estimate.suppressed, exact[&(c.period, &c.stratum)]))
            .collect();
        lines.push((members, s.estimate.suppressed));
    }
    let period_members = table
        .period_totals
        .iter()
        .map(|p| {
            (
                p.estimate.suppressed,
                counts.period_total(p.period).unwrap().denominator,
            )
        })
        .collect();
    lines.push((period_members, table.total.suppressed));
    let mut stratum_exact: BTreeMap<&Stratum, u64> = BTreeMap::new();
    for (_, s, c) in counts.cells() {
        *stratum_exact.entry(s).or_insert(0) += c.denominator;
    }
    let stratum_members = table
        .stratum_totals
        .iter()
        .map(|s| (s.estimate.suppressed, stratum_exact[&s.stratum]))
        .collect();
    lines.push((stratum_members, table.total.suppressed));
    for (members, total_hidden) in lines {
        let hidden: Vec<u64> = members
            .iter()
            .filter(|(h, _)| *h)
            .map(|(_, d)| *d)
            .collect();
        prop_assert_ne!(
            hidden.len() + usize::from(total_hidden),
            1,
            "a lone hidden entry"
        );
        if !total_hidden && !hidden.is_empty() {
            prop_assert!(
                hidden.iter().sum::<u64>() > hidden.len() as u64,
                "hidden ones pinned"
            );
        }
    }
    Ok(())
}

/// A count as extracts have them: often small, sometimes zero, sometimes large.
fn count() -> impl Strategy<Value = u64> {
    prop_oneof![
        3 => 1u64..=10,
        1 => Just(0u64),
        2 => 11u64..=60,
        2 => 61u64..=900,
    ]
}

/// A sparse table: 2 to 6 groups by 2 to 24 months, each cell present or not.
fn sparse_table() -> impl Strategy<Value = Vec<(u32, usize, u64, u64)>> {
    (2usize..=6, 2u32..=24).prop_flat_map(|(groups, months)| {
        prop::collection::vec(
            (any::<bool>(), any::<bool>(), count(), count()),
            (groups * months as usize)..=(groups * months as usize),
        )
        .prop_map(move |cells| {
            cells
                .into_iter()
                .enumerate()
                .filter(|(_, (present, dense, _, _))| *present || *dense)
                .map(|(i, (_, _, a, b))| {
                    let month = u32::try_from(i / groups).unwrap() + 1;
                    (month, i % groups, a.min(b), a.max(b).max(1))
                })
                .collect()
        })
    })
}

fn site_table(cells: &[(u32, usize, u64, u64)]) -> StratifiedCounts {
    let mut c = StratifiedCounts::new(vec![Stratifier::column("site")]);
    for &(m, s, n, d) in cells {
        let (year, month) = (
            2024 + i32::try_from((m - 1) / 12).unwrap(),
            (m - 1) % 12 + 1,
        );
        c.add_counts(
            Period::new(year, month).unwrap(),
            Stratum::of(&[&format!("S{s}")]),
            Counts::new(n, d).unwrap(),
        )
        .unwrap();
    }
    c
}

/// Re-proves a published table from its JSON alone, as a reader would attack it, and checks
/// every hidden count against the truth: no hidden count from 1 to the threshold lies in a
/// proven range narrower than the threshold, and no hidden denominator is determined.
fn check_attack(
    counts: &StratifiedCounts,
    table: &StratifiedTable,
    threshold: u64,
) -> Result<(), TestCaseError> {
    use qic_equity::disclosure::Part;
    use qic_equity::stratify::{Place, StrataAssumption};

    let json = serde_json::to_string(table).unwrap();
    let published: StratifiedTable = serde_json::from_str(&json).unwrap();
    prop_assert!(
        table.disclosure_audit.is_some(),
        "the table passed its audit"
    );
    let small = |n: u64| (1..=threshold).contains(&n);
    for e in table
        .cells
        .iter()
        .map(|c| &c.estimate)
        .chain(table.period_totals.iter().map(|p| &p.estimate))
        .chain(table.stratum_totals.iter().map(|s| &s.estimate))
        .chain([&table.total])
    {
        if let (Some(n), Some(d)) = (e.numerator, e.denominator) {
            prop_assert!(
                !small(n) && !small(d) && !small(d - n),
                "shown small count {:?}",
                e
            );
        }
    }
    let mut stratum_truth: BTreeMap<&Stratum, Counts> = BTreeMap::new();
    let mut total = Counts::default();
    for (_, s, c) in counts.cells() {
        let t = stratum_truth.entry(s).or_default();
        t.numerator += c.numerator;
        t.denominator += c.denominator;
    }
    for t in stratum_truth.values() {
        total.numerator += t.numerator;
        total.denominator += t.denominator;
    }
    for attacked in published.attack(StrataAssumption::Split) {
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
        prop_assert!(
            bounds.lower <= value && bounds.upper.is_none_or(|u| value <= u),
            "the truth lies outside the proven range: {:?}",
            attacked
        );
        if small(value) {
            prop_assert!(
                bounds.width().is_none_or(|w| w >= threshold),
                "a hidden small count narrowed: {:?}",
                attacked
            );
        }
        if attacked.part == Part::Denominator {
            prop_assert!(
                !bounds.is_determined(),
                "a hidden denominator determined: {:?}",
                attacked
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The audit holds for any sparse table: re-proven from the published JSON alone.
    #[test]
    fn no_hidden_count_is_derivable_from_a_published_table(cells in sparse_table()) {
        let counts = site_table(&cells);
        let table = counts.table(&Suppression::default(), &Reliability::default());
        check_attack(&counts, &table, Suppression::CMS_THRESHOLD)?;
    }
}

/// The reproducer: grand total − March − April − (S0 total − S0 March − S0 April)
/// gave the hidden 2024-02/S2 cell, 8/9, under line-by-line complementary suppression.
#[test]
fn the_reproducer_of_a_solvable_hidden_cell_is_protected() {
    let cells = [
        (1, 0, 7, 8),
        (2, 0, 3, 13),
        (2, 2, 8, 9),
        (3, 0, 0, 11),
        (3, 1, 10, 12),
        (3, 2, 5, 11),
        (3, 3, 3, 11),
        (4, 0, 27, 57),
        (4, 1, 8, 8),
        (4, 2, 17, 19),
        (4, 3, 2, 52),
    ];
    let counts = site_table(&cells);
    let table = counts.table(&Suppression::default(), &Reliability::default());
    check_attack(&counts, &table, 10).unwrap();
    let feb_s2 = table
        .cells
        .iter()
        .find(|c| c.period == Period::new(2024, 2).unwrap() && c.stratum == Stratum::of(&["S2"]))
        .unwrap();
    assert!(feb_s2.estimate.suppressed);
}

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

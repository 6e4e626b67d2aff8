//! The IHI and Making Data Count rules on short series worked by hand. A user centre line
//! fixes the centre (and, for c charts, the limits: cl ± 3√cl), so each case is exact.

use qic_spc::{
    Assurance, Chart, ChartResult, ChartType, ImprovementDirection, PointType, RuleId, Side,
    SignalRules, Variation,
};

fn flagged(chart: &ChartResult, rule: RuleId) -> Vec<usize> {
    chart
        .points()
        .enumerate()
        .filter(|(_, p)| p.signals.contains(&rule))
        .map(|(i, _)| i + 1)
        .collect()
}

fn run_chart(y: &[f64], centre: f64, rules: SignalRules) -> ChartResult {
    Chart::new(ChartType::Run)
        .values(y)
        .centre(centre)
        .rules(rules)
        .compute()
        .expect("chart computes")
}

#[test]
fn ihi_shift_needs_six_useful_points_and_skips_points_on_the_median() {
    // Points 4..10 are above 0 except point 6, which is on the line: six useful points.
    let y = [
        -1.0, 1.0, -1.0, 1.0, 2.0, 0.0, 3.0, 2.0, 3.0, 2.0, -1.0, 1.0,
    ];
    let chart = run_chart(&y, 0.0, SignalRules::Ihi);
    assert_eq!(flagged(&chart, RuleId::IhiShift), vec![4, 5, 7, 8, 9, 10]);
    let shift = chart
        .signals()
        .iter()
        .find(|s| s.rule == RuleId::IhiShift)
        .expect("a shift");
    assert_eq!(
        (shift.from, shift.to, shift.side),
        (4, 10, Some(Side::High))
    );
    // Five useful points are not a shift.
    let y = [-1.0, 1.0, 2.0, 0.0, 3.0, 2.0, -1.0, 1.0, -1.0, 1.0];
    assert!(flagged(&run_chart(&y, 0.0, SignalRules::Ihi), RuleId::IhiShift).is_empty());
}

#[test]
fn ihi_trend_needs_five_points_and_skips_ties() {
    // 1, 2, 3, (3 tie), 4, 5: five counted points going up.
    let y = [5.0, 1.0, 2.0, 3.0, 3.0, 4.0, 5.0, 0.0];
    let chart = run_chart(&y, 2.5, SignalRules::Ihi);
    assert_eq!(flagged(&chart, RuleId::IhiTrend), vec![2, 3, 4, 6, 7]);
    // Four steps down after a peak: 9, 7, 5, 3, 1 is a trend of five going down.
    let y = [1.0, 9.0, 7.0, 5.0, 3.0, 1.0, 4.0];
    let chart = run_chart(&y, 4.0, SignalRules::Ihi);
    let trend = chart
        .signals()
        .iter()
        .find(|s| s.rule == RuleId::IhiTrend)
        .expect("a trend");
    assert_eq!((trend.from, trend.to, trend.side), (2, 6, Some(Side::Low)));
    // Four points are not a trend.
    let y = [5.0, 1.0, 2.0, 3.0, 4.0, 0.0];
    assert!(flagged(&run_chart(&y, 2.5, SignalRules::Ihi), RuleId::IhiTrend).is_empty());
}

fn signs_to_series(signs: &str) -> Vec<f64> {
    signs
        .chars()
        .map(|c| if c == '+' { 1.0 } else { -1.0 })
        .collect()
}

#[test]
fn ihi_runs_rule_matches_the_checkpoint_for_16_observations() {
    // 16 useful observations: 5 to 12 runs are expected from random variation.
    let cases = [
        ("+++++++-------+-", 4, Some(RuleId::IhiTooFewRuns)), // Quality Digest's example
        ("++++++--------+-", 4, Some(RuleId::IhiTooFewRuns)),
        ("+++++---++++---+", 5, None),
        ("+-+-+-+-+-++++--", 12, None),
        ("+-+-+-+-+-++--++", 13, Some(RuleId::IhiTooManyRuns)),
    ];
    for (signs, runs, rule) in cases {
        let chart = run_chart(&signs_to_series(signs), 0.0, SignalRules::Ihi);
        let s = &chart.summary()[0];
        assert_eq!(s.n_crossings.map(|c| c + 1), Some(runs), "{signs}");
        assert_eq!((s.runs_min, s.runs_max), (Some(5), Some(12)));
        for r in [RuleId::IhiTooFewRuns, RuleId::IhiTooManyRuns] {
            assert_eq!(
                flagged(&chart, r).len(),
                if Some(r) == rule { 16 } else { 0 },
                "{signs} {r:?}"
            );
        }
    }
}

#[test]
fn ihi_astronomical_point_is_a_point_beyond_the_limits() {
    let mut y = vec![100.0; 12];
    y[3] = 135.0;
    let chart = Chart::new(ChartType::C)
        .values(&y)
        .centre(100.0)
        .rules(SignalRules::Ihi)
        .compute()
        .expect("chart computes");
    assert_eq!(flagged(&chart, RuleId::IhiAstronomical), vec![4]);
    assert!(flagged(&chart, RuleId::Sigma).is_empty());
}

fn mdc_c_chart(y: &[f64], direction: ImprovementDirection) -> ChartResult {
    // cl 100: limits 70 and 130, 2-sigma lines 80 and 120.
    Chart::new(ChartType::C)
        .values(y)
        .centre(100.0)
        .rules(SignalRules::Mdc)
        .direction(direction)
        .compute()
        .expect("chart computes")
}

#[test]
fn mdc_shift_is_seven_points_and_a_point_on_the_mean_breaks_it() {
    let y = [
        101.0, 99.0, 101.0, 99.0, 101.0, 102.0, 103.0, 101.0, 102.0, 104.0, 101.0, 99.0,
    ];
    let chart = mdc_c_chart(&y, ImprovementDirection::Increase);
    assert_eq!(
        flagged(&chart, RuleId::MdcShift),
        vec![5, 6, 7, 8, 9, 10, 11]
    );
    let types: Vec<PointType> = chart.points().filter_map(|p| p.point_type).collect();
    assert_eq!(types[4], PointType::SpecialCauseImprovement);
    assert_eq!(types[11], PointType::CommonCause);
    // The same with the mean in the middle: no shift (unlike the IHI and Anhøj rules).
    let y = [
        101.0, 99.0, 101.0, 102.0, 103.0, 100.0, 101.0, 102.0, 104.0, 101.0, 99.0,
    ];
    assert!(
        flagged(
            &mdc_c_chart(&y, ImprovementDirection::Increase),
            RuleId::MdcShift
        )
        .is_empty()
    );
}

#[test]
fn mdc_trend_is_seven_points_strictly_one_way() {
    let y = [
        100.0, 95.0, 96.0, 97.0, 98.0, 99.0, 101.0, 102.0, 100.0, 100.0,
    ];
    let chart = mdc_c_chart(&y, ImprovementDirection::Decrease);
    assert_eq!(flagged(&chart, RuleId::MdcTrend), vec![2, 3, 4, 5, 6, 7, 8]);
    let trend = chart
        .signals()
        .iter()
        .find(|s| s.rule == RuleId::MdcTrend)
        .expect("a trend");
    assert_eq!(trend.side, Some(Side::High));
    assert_eq!(trend.assessment, Some(qic_spc::Assessment::Concern));
    // A tie breaks it.
    let y = [100.0, 95.0, 96.0, 97.0, 97.0, 99.0, 101.0, 102.0, 100.0];
    assert!(
        flagged(
            &mdc_c_chart(&y, ImprovementDirection::Decrease),
            RuleId::MdcTrend
        )
        .is_empty()
    );
}

#[test]
fn mdc_two_of_three_flags_only_the_points_beyond_two_sigma() {
    // 125 and 124 are between the 2-sigma line (120) and the limit (130); 110 is not.
    let y = [
        100.0, 101.0, 99.0, 125.0, 110.0, 124.0, 100.0, 99.0, 78.0, 85.0, 79.0, 100.0,
    ];
    let chart = mdc_c_chart(&y, ImprovementDirection::Neutral);
    assert_eq!(flagged(&chart, RuleId::MdcTwoOfThree), vec![4, 6, 9, 11]);
    let types: Vec<PointType> = chart.points().filter_map(|p| p.point_type).collect();
    assert_eq!(types[3], PointType::SpecialCauseNeutralHigh);
    assert_eq!(types[4], PointType::CommonCause);
    assert_eq!(types[10], PointType::SpecialCauseNeutralLow);
    // 85 is inside the 2-sigma line. A window with points on both sides of the mean does not
    // count.
    let y = [100.0, 125.0, 95.0, 124.0, 100.0];
    assert!(
        flagged(
            &mdc_c_chart(&y, ImprovementDirection::Neutral),
            RuleId::MdcTwoOfThree
        )
        .is_empty()
    );
}

#[test]
fn mdc_outside_limits_takes_precedence_and_sets_the_icons() {
    // A rising trend of seven whose last point is beyond the upper limit.
    let y = [100.0, 90.0, 95.0, 100.0, 105.0, 110.0, 115.0, 135.0];
    let chart = mdc_c_chart(&y, ImprovementDirection::Increase);
    assert_eq!(flagged(&chart, RuleId::MdcOutsideLimits), vec![8]);
    assert_eq!(flagged(&chart, RuleId::MdcTrend), vec![2, 3, 4, 5, 6, 7, 8]);
    let last = chart.point(7).expect("point 8");
    assert_eq!(last.point_type, Some(PointType::SpecialCauseImprovement));
    let mdc = chart
        .making_data_count()
        .expect("a Making Data Count summary");
    assert_eq!(mdc.variation, Variation::ImprovementHigh);
    assert_eq!(mdc.assurance, None);
}

#[test]
fn mdc_assurance_compares_the_target_with_the_limits() {
    let y = [100.0, 101.0, 99.0, 100.0, 102.0, 98.0];
    let assurance = |target: f64, direction: ImprovementDirection| {
        Chart::new(ChartType::C)
            .values(&y)
            .centre(100.0)
            .rules(SignalRules::Mdc)
            .direction(direction)
            .target(target)
            .compute()
            .expect("chart computes")
            .making_data_count()
            .and_then(|m| m.assurance)
    };
    assert_eq!(
        assurance(140.0, ImprovementDirection::Increase),
        Some(Assurance::ConsistentFail)
    );
    assert_eq!(
        assurance(140.0, ImprovementDirection::Decrease),
        Some(Assurance::ConsistentPass)
    );
    assert_eq!(
        assurance(60.0, ImprovementDirection::Increase),
        Some(Assurance::ConsistentPass)
    );
    assert_eq!(
        assurance(60.0, ImprovementDirection::Decrease),
        Some(Assurance::ConsistentFail)
    );
    assert_eq!(
        assurance(130.0, ImprovementDirection::Increase),
        Some(Assurance::Inconsistent)
    );
    assert_eq!(assurance(110.0, ImprovementDirection::Neutral), None);
}

#[test]
fn mdc_i_chart_uses_the_package_constants() {
    let y = [
        10.0, 12.0, 11.0, 13.0, 12.0, 10.0, 11.0, 12.0, 13.0, 11.0, 12.0, 10.0,
    ];
    let mean = y.iter().sum::<f64>() / 12.0;
    let amr = y.windows(2).map(|w| (w[1] - w[0]).abs()).sum::<f64>() / 11.0;
    let mdc = Chart::new(ChartType::I)
        .values(&y)
        .rules(SignalRules::Mdc)
        .compute()
        .expect("computes");
    let p = mdc.point(0).expect("a point");
    assert!((p.ucl.expect("ucl") - (mean + 2.66 * amr)).abs() < 1e-12);
    assert!((p.ucl_95.expect("ucl_95") - (mean + 2.66 * 2.0 / 3.0 * amr)).abs() < 1e-12);
    let anhoej = Chart::new(ChartType::I)
        .values(&y)
        .compute()
        .expect("computes");
    let q = anhoej.point(0).expect("a point");
    assert!((q.ucl.expect("ucl") - (mean + 3.0 * amr / 1.128)).abs() < 1e-12);
}

#[test]
fn anhoej_longest_run_flags_only_the_long_run() {
    let mut y = vec![-1.0, 1.0, -1.0, 1.0];
    y.extend([1.0; 9]);
    y.extend([-1.0, 1.0, -1.0]);
    let chart = run_chart(&y, 0.0, SignalRules::Anhoej);
    let s = &chart.summary()[0];
    assert_eq!((s.longest_run, s.longest_run_max), (Some(10), Some(7)));
    assert_eq!(
        flagged(&chart, RuleId::AnhoejLongestRun),
        (4..=13).collect::<Vec<_>>()
    );
    assert!(chart.describe().contains("unusually long run"));
}

#[test]
fn pattern_rules_are_silent_on_mr_charts_and_labels() {
    let mut y = vec![1.0; 12];
    y.extend([5.0; 12]);
    let mr = Chart::new(ChartType::Mr)
        .values(&y)
        .compute()
        .expect("computes");
    assert!(!mr.runs_signal());
    let labels: Vec<qic_spc::X> = (0..24)
        .map(|i| qic_spc::X::Label(format!("unit {i:02}")))
        .collect();
    let dots = Chart::new(ChartType::Run)
        .values(&y)
        .x(&labels)
        .compute()
        .expect("computes");
    assert!(!dots.runs_signal());
    assert_eq!(dots.summary()[0].longest_run, Some(12)); // still reported
}

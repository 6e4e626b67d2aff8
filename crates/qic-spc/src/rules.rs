//! The rule sets: which points and parts signal, and why.
//!
//! - Anhøj (qicharts2): points beyond the 3-sigma limits; runs longer than their limit; too
//!   few crossings.
//! - IHI (Perla, Provost and Murray 2011): shift, trend, too few or too many runs, and an
//!   astronomical point taken as a point beyond the control limits.
//! - Making Data Count (`NHSRplotthedots` 0.2.2): outside the limits, shift, trend, two of three
//!   beyond 2 sigma, with their precedence, the point types and the variation and assurance
//!   icons (spec §7).

use std::ops::Range;

use crate::options::{Astronomical, ChartOptions, ImprovementDirection, SignalRules};
use crate::result::{
    Assessment, Assurance, ChartResult, INCLUDE, MdcSummary, PointType, RuleId, SIGMA, Side,
    Signal, Variation,
};
use crate::runs::{RunsStats, for_each_run, useful_sign};

fn assess(side: Option<Side>, direction: ImprovementDirection) -> Option<Assessment> {
    match (side?, direction) {
        (Side::High, ImprovementDirection::Increase)
        | (Side::Low, ImprovementDirection::Decrease) => Some(Assessment::Improvement),
        (Side::High, ImprovementDirection::Decrease)
        | (Side::Low, ImprovementDirection::Increase) => Some(Assessment::Concern),
        (_, ImprovementDirection::Neutral) => None,
    }
}

fn side_of(sign: i8) -> Side {
    if sign > 0 { Side::High } else { Side::Low }
}

/// Collects signals and per-point rule flags.
struct Recorder {
    /// Allocated at the first flag: most charts flag few points or none.
    rule_flags: Vec<u16>,
    len: usize,
    signals: Vec<Signal>,
    direction: ImprovementDirection,
}

impl Recorder {
    fn signal(&mut self, rule: RuleId, part: usize, first: usize, last: usize, side: Option<Side>) {
        self.signals.push(Signal {
            rule,
            part,
            from: first + 1,
            to: last + 1,
            side,
            assessment: assess(side, self.direction),
        });
    }

    fn flag(&mut self, rule: RuleId, i: usize) {
        if self.rule_flags.is_empty() {
            self.rule_flags = vec![0; self.len];
        }
        if let Some(bits) = self.rule_flags.get_mut(i) {
            *bits |= rule.bit();
        }
    }
}

/// Applies the rule set; returns, per part, whether a non-random pattern was found.
/// `sigma_counts` are the points of each part beyond the limits.
pub(crate) fn apply(
    result: &mut ChartResult,
    parts: &[Range<usize>],
    stats: &[RunsStats],
    sigma_counts: &[usize],
    options: &ChartOptions,
    patterns_allowed: bool,
) -> Vec<bool> {
    let len = result.y.len();
    let mut rec = Recorder {
        rule_flags: Vec::new(),
        len,
        signals: Vec::new(),
        direction: options.direction,
    };
    let mut pattern = vec![false; parts.len()];
    let mut point_types =
        (options.rules == SignalRules::Mdc).then(|| vec![PointType::CommonCause; len]);

    for (k, r) in parts.iter().enumerate() {
        let part = k + 1;
        let limit_rule = match options.rules {
            SignalRules::Anhoej => Some(RuleId::Sigma),
            SignalRules::Ihi => (options.ihi.astronomical == Astronomical::OutsideLimits)
                .then_some(RuleId::IhiAstronomical),
            SignalRules::Mdc => Some(RuleId::MdcOutsideLimits),
        };
        if let Some(rule) = limit_rule
            && sigma_counts.get(k).is_none_or(|&count| count > 0)
        {
            for i in r.clone() {
                if result.flags[i] & SIGMA != 0 {
                    let side = if result.y[i] > result.lines(i).ucl {
                        Side::High
                    } else {
                        Side::Low
                    };
                    rec.signal(rule, part, i, i, Some(side));
                    rec.flag(rule, i);
                }
            }
        }
        if !patterns_allowed {
            continue;
        }
        pattern[k] = match options.rules {
            SignalRules::Anhoej => anhoej(result, r, &stats[k], part, &mut rec),
            SignalRules::Ihi => ihi(result, r, &stats[k], part, options, &mut rec),
            SignalRules::Mdc => false,
        };
        if let Some(types) = point_types.as_mut() {
            pattern[k] = mdc(result, r, part, options, &mut rec, types);
        }
    }
    // With the Making Data Count rules and no pattern rules (mr, labels), point types still
    // follow the outside-limits rule.
    if let Some(types) = point_types.as_mut()
        && !patterns_allowed
    {
        for (i, t) in types.iter_mut().enumerate() {
            if result.flags[i] & SIGMA != 0 {
                let sign = if result.y[i] > result.lines(i).ucl {
                    1
                } else {
                    -1
                };
                *t = point_type(sign, options.direction);
            }
        }
    }

    let mut signals = rec.signals;
    signals.sort_by_key(|s| (s.part, s.from, s.rule));
    result.signals = signals;
    result.rule_flags = rec.rule_flags;
    if let Some(types) = point_types {
        result.making_data_count = Some(mdc_summary(result, &types, options));
        result.point_types = Some(types);
    }
    pattern
}

fn anhoej(
    result: &ChartResult,
    r: &Range<usize>,
    stats: &RunsStats,
    part: usize,
    rec: &mut Recorder,
) -> bool {
    let (y, cl, flags) = (&result.y, result.lines(r.start).cl, &result.flags);
    if let (Some(longest), Some(max)) = (stats.longest_run, stats.longest_run_max)
        && longest > max
    {
        for_each_run(y, cl, flags, r.clone(), |run| {
            if run.len > max {
                rec.signal(
                    RuleId::AnhoejLongestRun,
                    part,
                    run.first,
                    run.last,
                    Some(side_of(run.sign)),
                );
                for i in run.first..=run.last {
                    if useful_sign(y, cl, flags, i) == Some(run.sign) {
                        rec.flag(RuleId::AnhoejLongestRun, i);
                    }
                }
            }
        });
    }
    if let (Some(c), Some(min)) = (stats.n_crossings, stats.n_crossings_min)
        && c < min
    {
        flag_whole_part(result, r, part, RuleId::AnhoejCrossings, rec);
    }
    stats.anhoej_signal
}

/// A part-wide signal over the useful observations of the part.
fn flag_whole_part(
    result: &ChartResult,
    r: &Range<usize>,
    part: usize,
    rule: RuleId,
    rec: &mut Recorder,
) {
    let useful: Vec<usize> = r
        .clone()
        .filter(|&i| useful_sign(&result.y, result.lines(r.start).cl, &result.flags, i).is_some())
        .collect();
    if let (Some(&first), Some(&last)) = (useful.first(), useful.last()) {
        rec.signal(rule, part, first, last, None);
        for i in useful {
            rec.flag(rule, i);
        }
    }
}

fn ihi(
    result: &ChartResult,
    r: &Range<usize>,
    stats: &RunsStats,
    part: usize,
    options: &ChartOptions,
    rec: &mut Recorder,
) -> bool {
    let (y, cl, flags) = (&result.y, result.lines(r.start).cl, &result.flags);
    let mut fired = false;
    // Shift: `shift` or more useful observations in a row on one side.
    for_each_run(y, cl, flags, r.clone(), |run| {
        if run.len >= options.ihi.shift {
            fired = true;
            rec.signal(
                RuleId::IhiShift,
                part,
                run.first,
                run.last,
                Some(side_of(run.sign)),
            );
            for i in run.first..=run.last {
                if useful_sign(y, cl, flags, i) == Some(run.sign) {
                    rec.flag(RuleId::IhiShift, i);
                }
            }
        }
    });
    // Trend: `trend` or more points in a row going one way; ties are skipped.
    let points: Vec<usize> = r
        .clone()
        .filter(|&i| flags[i] & INCLUDE != 0 && !y[i].is_nan())
        .collect();
    let mut counted: Vec<usize> = Vec::new();
    let mut direction = 0i8;
    let close_trend =
        |counted: &mut Vec<usize>, direction: i8, rec: &mut Recorder, fired: &mut bool| {
            if direction != 0 && counted.len() >= options.ihi.trend {
                *fired = true;
                if let (Some(&first), Some(&last)) = (counted.first(), counted.last()) {
                    rec.signal(
                        RuleId::IhiTrend,
                        part,
                        first,
                        last,
                        Some(side_of(direction)),
                    );
                }
                for &i in counted.iter() {
                    rec.flag(RuleId::IhiTrend, i);
                }
            }
        };
    for &i in &points {
        let Some(&prev) = counted.last() else {
            counted.push(i);
            continue;
        };
        let d = y[i] - y[prev];
        if d == 0.0 {
            continue;
        }
        let step = if d > 0.0 { 1 } else { -1 };
        if direction == 0 || step == direction {
            direction = step;
            counted.push(i);
        } else {
            close_trend(&mut counted, direction, rec, &mut fired);
            counted = vec![prev, i];
            direction = step;
        }
    }
    close_trend(&mut counted, direction, rec, &mut fired);
    // Too few or too many runs, against the Swed–Eisenhart limits.
    if let (Some(c), Some((lower, upper))) = (stats.n_crossings, stats.runs_limits) {
        let runs = c + 1;
        if runs < lower {
            fired = true;
            flag_whole_part(result, r, part, RuleId::IhiTooFewRuns, rec);
        } else if runs > upper {
            fired = true;
            flag_whole_part(result, r, part, RuleId::IhiTooManyRuns, rec);
        }
    }
    fired
}

fn point_type(sign: i8, direction: ImprovementDirection) -> PointType {
    match (direction, sign > 0) {
        (ImprovementDirection::Neutral, true) => PointType::SpecialCauseNeutralHigh,
        (ImprovementDirection::Neutral, false) => PointType::SpecialCauseNeutralLow,
        (ImprovementDirection::Increase, true) | (ImprovementDirection::Decrease, false) => {
            PointType::SpecialCauseImprovement
        }
        (ImprovementDirection::Increase, false) | (ImprovementDirection::Decrease, true) => {
            PointType::SpecialCauseConcern
        }
    }
}

/// The Making Data Count patterns over a sequence of included points: per position, the side
/// of a shift (±1, 0 for none), whether a trend covers it, and the side of a two-of-three.
struct MdcPatterns {
    shift: Vec<i8>,
    trend: Vec<bool>,
    two_of_three: Vec<i8>,
}

fn sign_of(d: f64) -> i8 {
    if d > 0.0 {
        1
    } else if d < 0.0 {
        -1
    } else {
        0
    }
}

fn mdc_patterns(result: &ChartResult, seq: &[usize], options: &ChartOptions) -> MdcPatterns {
    let y = &result.y;
    let m = seq.len();
    let side = |i: usize| sign_of(y[i] - result.lines(i).cl);
    let close = |i: usize| {
        result.flags[i] & SIGMA == 0
            && (y[i] < result.lines(i).lcl_95 || y[i] > result.lines(i).ucl_95)
    };
    let mut found = MdcPatterns {
        shift: vec![0; m],
        trend: vec![false; m],
        two_of_three: vec![0; m],
    };
    // Shift: `shift` points in a row with the same non-zero side (a point on the line, or a
    // missing value, breaks it).
    let need = options.mdc.shift;
    let mut run = 0usize;
    for j in 0..m {
        let s = side(seq[j]);
        run = if s != 0 && j > 0 && s == side(seq[j - 1]) && run > 0 {
            run + 1
        } else {
            usize::from(s != 0)
        };
        if run >= need {
            found.shift[j + 1 - need..=j].fill(s);
        }
    }
    // Trend: `trend` points strictly increasing or decreasing (ties and gaps break).
    let need = options.mdc.trend;
    let step = |j: usize| sign_of(y[seq[j]] - y[seq[j - 1]]);
    let mut run = 0usize;
    for j in 1..m {
        let s = step(j);
        run = if s != 0 && j > 1 && s == step(j - 1) {
            run + 1
        } else {
            usize::from(s != 0)
        };
        if run + 1 >= need {
            found.trend[j + 1 - need..=j].fill(true);
        }
    }
    // Two of three: in a window of three on one side of the line, two or more close to a limit.
    for j in 0..m.saturating_sub(2) {
        let window = [seq[j], seq[j + 1], seq[j + 2]];
        let side_sum: i8 = window.iter().map(|&i| side(i)).sum();
        let n_close = window.iter().filter(|&&i| close(i)).count();
        if side_sum.abs() == 3 && n_close >= 2 {
            for (o, &i) in window.iter().enumerate() {
                if close(i) {
                    found.two_of_three[j + o] = side_sum.signum();
                }
            }
        }
    }
    found
}

/// The Making Data Count rules on one part; fills the point types; returns whether a shift,
/// trend or two-of-three pattern fired.
fn mdc(
    result: &ChartResult,
    range: &Range<usize>,
    part: usize,
    options: &ChartOptions,
    rec: &mut Recorder,
    types: &mut [PointType],
) -> bool {
    let y = &result.y;
    let seq: Vec<usize> = range
        .clone()
        .filter(|&i| result.flags[i] & INCLUDE != 0)
        .collect();
    let m = seq.len();
    let found = mdc_patterns(result, &seq, options);
    let step = |j: usize| sign_of(y[seq[j]] - y[seq[j - 1]]);
    // Trend direction at each flagged point: towards its right neighbour when that one is in
    // a trend too, otherwise from its left neighbour.
    let trend_dir = |j: usize| -> i8 {
        if j + 1 < m && found.trend[j + 1] {
            step(j + 1)
        } else if j > 0 {
            step(j)
        } else {
            0
        }
    };
    let outside_side = |i: usize| if y[i] > result.lines(i).ucl { 1 } else { -1 };

    // Signals as spans of consecutive flagged points of one side.
    let mut spans = |rule: RuleId, side_at: &dyn Fn(usize) -> i8| {
        let mut j = 0;
        while j < m {
            let s = side_at(j);
            if s == 0 {
                j += 1;
                continue;
            }
            let start = j;
            while j + 1 < m && side_at(j + 1) == s {
                j += 1;
            }
            rec.signal(rule, part, seq[start], seq[j], Some(side_of(s)));
            for &i in &seq[start..=j] {
                rec.flag(rule, i);
            }
            j += 1;
        }
    };
    spans(RuleId::MdcTrend, &|j| {
        if found.trend[j] { trend_dir(j) } else { 0 }
    });
    spans(RuleId::MdcTwoOfThree, &|j| found.two_of_three[j]);
    spans(RuleId::MdcShift, &|j| found.shift[j]);

    // Point types by precedence: outside limits > trend > two of three > shift.
    for (j, &i) in seq.iter().enumerate() {
        let label = if result.flags[i] & SIGMA != 0 {
            outside_side(i)
        } else if found.trend[j] {
            trend_dir(j)
        } else if found.two_of_three[j] != 0 {
            found.two_of_three[j]
        } else {
            found.shift[j]
        };
        if label != 0 {
            types[i] = point_type(label, options.direction);
        }
    }
    // Excluded points are only judged against the limits.
    for i in range.clone() {
        if result.flags[i] & (INCLUDE | SIGMA) == SIGMA {
            types[i] = point_type(outside_side(i), options.direction);
        }
    }
    found.trend.iter().any(|&t| t)
        || found.two_of_three.iter().any(|&t| t != 0)
        || found.shift.iter().any(|&t| t != 0)
}

fn mdc_summary(result: &ChartResult, types: &[PointType], options: &ChartOptions) -> MdcSummary {
    let last = (0..result.len()).rev().find(|&i| !result.y[i].is_nan());
    let variation = match last.map(|i| types[i]) {
        None | Some(PointType::CommonCause) => Variation::CommonCause,
        Some(PointType::SpecialCauseNeutralHigh) => Variation::NeutralHigh,
        Some(PointType::SpecialCauseNeutralLow) => Variation::NeutralLow,
        Some(PointType::SpecialCauseImprovement) => {
            if options.direction == ImprovementDirection::Increase {
                Variation::ImprovementHigh
            } else {
                Variation::ImprovementLow
            }
        }
        Some(PointType::SpecialCauseConcern) => {
            if options.direction == ImprovementDirection::Increase {
                Variation::ConcernLow
            } else {
                Variation::ConcernHigh
            }
        }
    };
    let assurance = match (options.target, options.direction, last) {
        (
            Some(target),
            ImprovementDirection::Increase | ImprovementDirection::Decrease,
            Some(i),
        ) if !result.lines(i).ucl.is_nan() && !result.lines(i).lcl.is_nan() => {
            let increase = options.direction == ImprovementDirection::Increase;
            Some(if target > result.lines(i).ucl {
                if increase {
                    Assurance::ConsistentFail
                } else {
                    Assurance::ConsistentPass
                }
            } else if target < result.lines(i).lcl {
                if increase {
                    Assurance::ConsistentPass
                } else {
                    Assurance::ConsistentFail
                }
            } else {
                Assurance::Inconsistent
            })
        }
        _ => None,
    };
    MdcSummary {
        variation,
        assurance,
    }
}

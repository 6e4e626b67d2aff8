//! The computation pipeline of spec §1, in its order: aggregation, parts, baseline and
//! exclusion, the chart function of each part, runs analysis, multiply, non-finite limits,
//! sigma signals, runs-signal suppression, negative limits, then the rule set's signals.

use std::ops::Range;

use crate::SpcError;
use crate::dist::c4;
use crate::input::{
    Observation, Rows, Subgroups, aggregate, rows_from_observations, rows_from_slices,
};
use crate::options::{ChartOptions, ChartType, Direction, RuleSet};
use crate::result::{BASELINE, ChartResult, INCLUDE, PartSummary, SIGMA};
use crate::rules;
use crate::runs::{RunsStats, runs_analysis};
use crate::x::{X, XKind};

/// Computes a chart from observations (rows with a key, a value and an optional denominator).
///
/// # Errors
///
/// See [`SpcError`]: a value the chart type cannot use (row counted from 1), keys of mixed
/// kinds, missing or unwanted denominators, or a `freeze`, `parts` or `exclude` position
/// beyond the data.
///
/// # Examples
///
/// ```
/// use qic_spc::{ChartOptions, ChartType, Observation, compute};
///
/// let rows: Vec<Observation> = [3.0, 5.0, 4.0, 6.0, 5.0, 4.0, 5.0, 6.0, 4.0, 5.0]
///     .iter()
///     .enumerate()
///     .map(|(i, &y)| Observation::new(i as f64 + 1.0, y))
///     .collect();
/// let chart = compute(ChartType::C, &rows, &ChartOptions::default())?;
/// let summary = &chart.summary()[0];
/// assert_eq!(summary.cl, Some(4.7));
/// assert!(!summary.runs_signal);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn compute(
    chart: ChartType,
    observations: &[Observation],
    options: &ChartOptions,
) -> Result<ChartResult, SpcError> {
    compute_iter(chart, observations.iter().cloned(), options)
}

/// Computes a chart from any iterator of observations.
///
/// # Errors
///
/// As [`compute`].
pub fn compute_iter<I>(
    chart: ChartType,
    observations: I,
    options: &ChartOptions,
) -> Result<ChartResult, SpcError>
where
    I: IntoIterator<Item = Observation>,
{
    options.validate()?;
    let rows = rows_from_observations(chart, observations)?;
    run(chart, rows, options)
}

/// A chart to compute from slices, with its options. NaN in a slice is a missing value.
///
/// ```
/// use qic_spc::{Chart, ChartType};
///
/// let deaths = [3.0, 5.0, 2.0, 4.0, 6.0, 3.0, 1.0, 2.0, 2.0, 1.0, 0.0, 1.0];
/// let cases = [40.0, 52.0, 38.0, 45.0, 60.0, 41.0, 39.0, 44.0, 50.0, 42.0, 37.0, 48.0];
/// let chart = Chart::new(ChartType::P).numerators(&deaths).denominators(&cases).freeze(6).compute()?;
/// assert_eq!(chart.len(), 12);
/// let first = chart.point(0).ok_or("no point")?;
/// assert_eq!(first.cl, Some(23.0 / 276.0)); // pooled over the six baseline months
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Chart<'a> {
    kind: ChartType,
    x: Option<&'a [X]>,
    y: &'a [f64],
    n: Option<&'a [f64]>,
    options: ChartOptions,
}

impl<'a> Chart<'a> {
    /// A chart of this type with no data yet and default options.
    pub fn new(chart: ChartType) -> Self {
        Self {
            kind: chart,
            x: None,
            y: &[],
            n: None,
            options: ChartOptions::default(),
        }
    }

    /// The values (or numerators); without keys they are subgroups 1, 2, 3, …
    #[must_use]
    pub fn values(mut self, y: &'a [f64]) -> Self {
        self.y = y;
        self
    }

    /// The numerators (same as [`Chart::values`]).
    #[must_use]
    pub fn numerators(self, y: &'a [f64]) -> Self {
        self.values(y)
    }

    /// The denominators.
    #[must_use]
    pub fn denominators(mut self, n: &'a [f64]) -> Self {
        self.n = Some(n);
        self
    }

    /// The subgroup keys, one per value (rows with equal keys form one subgroup).
    #[must_use]
    pub fn x(mut self, x: &'a [X]) -> Self {
        self.x = Some(x);
        self
    }

    /// Replaces all options.
    #[must_use]
    pub fn options(mut self, options: ChartOptions) -> Self {
        self.options = options;
        self
    }

    /// See [`ChartOptions::freeze`].
    #[must_use]
    pub fn freeze(mut self, subgroups: usize) -> Self {
        self.options = self.options.freeze(subgroups);
        self
    }

    /// See [`ChartOptions::parts`].
    #[must_use]
    pub fn parts(mut self, after: impl IntoIterator<Item = usize>) -> Self {
        self.options = self.options.parts(after);
        self
    }

    /// See [`ChartOptions::exclude`].
    #[must_use]
    pub fn exclude(mut self, subgroups: impl IntoIterator<Item = usize>) -> Self {
        self.options = self.options.exclude(subgroups);
        self
    }

    /// See [`ChartOptions::multiply`].
    #[must_use]
    pub fn multiply(mut self, factor: f64) -> Self {
        self.options = self.options.multiply(factor);
        self
    }

    /// See [`ChartOptions::screened_mr`].
    #[must_use]
    pub fn screened_mr(mut self, on: bool) -> Self {
        self.options = self.options.screened_mr(on);
        self
    }

    /// See [`ChartOptions::negative_limits`].
    #[must_use]
    pub fn negative_limits(mut self, allowed: bool) -> Self {
        self.options = self.options.negative_limits(allowed);
        self
    }

    /// See [`ChartOptions::centre`].
    #[must_use]
    pub fn centre(mut self, value: f64) -> Self {
        self.options = self.options.centre(value);
        self
    }

    /// See [`ChartOptions::target`].
    #[must_use]
    pub fn target(mut self, value: f64) -> Self {
        self.options = self.options.target(value);
        self
    }

    /// See [`ChartOptions::direction`].
    #[must_use]
    pub fn direction(mut self, direction: Direction) -> Self {
        self.options = self.options.direction(direction);
        self
    }

    /// See [`ChartOptions::rules`].
    #[must_use]
    pub fn rules(mut self, rules: RuleSet) -> Self {
        self.options = self.options.rules(rules);
        self
    }

    /// Computes the chart.
    ///
    /// # Errors
    ///
    /// As [`compute`], plus slices of different lengths.
    pub fn compute(&self) -> Result<ChartResult, SpcError> {
        self.options.validate()?;
        let rows = rows_from_slices(self.kind, self.x, self.y, self.n)?;
        run(self.kind, rows, &self.options)
    }
}

/// The output columns being filled.
struct Lines {
    y: Vec<f64>,
    cl: Vec<f64>,
    lcl: Vec<f64>,
    ucl: Vec<f64>,
    lcl_95: Vec<f64>,
    ucl_95: Vec<f64>,
}

fn nan_vec(len: usize) -> Vec<f64> {
    vec![f64::NAN; len]
}

/// A running sum with Neumaier's compensation: sums of many values stay within an ulp or two,
/// close to the long-double sums R uses for `sum` and `mean`.
#[derive(Clone, Copy, Default)]
struct Sum {
    total: f64,
    compensation: f64,
    count: usize,
}

impl Sum {
    fn add(&mut self, v: f64) {
        let t = self.total + v;
        if self.total.abs() >= v.abs() {
            self.compensation += (self.total - t) + v;
        } else {
            self.compensation += (v - t) + self.total;
        }
        self.total = t;
        self.count += 1;
    }

    fn value(self) -> f64 {
        self.total + self.compensation
    }
}

/// Mean of the non-missing values (NaN when there are none), as R's `mean(na.rm = TRUE)`.
pub(crate) fn mean_na(values: impl Iterator<Item = f64>) -> f64 {
    let mut sum = Sum::default();
    for v in values.filter(|v| !v.is_nan()) {
        sum.add(v);
    }
    if sum.count == 0 {
        f64::NAN
    } else {
        sum.value() / sum.count as f64
    }
}

/// Sum of the non-missing values (0 when there are none), as R's `sum(na.rm = TRUE)`.
fn sum_na(values: impl Iterator<Item = f64>) -> f64 {
    let mut sum = Sum::default();
    for v in values.filter(|v| !v.is_nan()) {
        sum.add(v);
    }
    sum.value()
}

/// Median of the non-missing values (NaN when there are none).
fn median_na(values: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.filter(|v| !v.is_nan()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    let count = v.len();
    let mid = count / 2;
    let (left, upper, _) = v.select_nth_unstable_by(mid, f64::total_cmp);
    let upper = *upper;
    if count.is_multiple_of(2) {
        let lower = left.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        f64::midpoint(lower, upper)
    } else {
        upper
    }
}

/// Sample standard deviation with missing values NOT ignored (R's `sd()`): NaN if any is NaN.
fn sd_strict(values: &[f64]) -> f64 {
    if values.len() < 2 || values.iter().any(|v| v.is_nan()) {
        return f64::NAN;
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let ss: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
    (ss / (values.len() - 1) as f64).sqrt()
}

/// The average moving range of `values` taken in order, screened (Nelson 1982) when asked:
/// moving ranges of 3.267 times the average or more are discarded and the rest re-averaged.
/// A missing value makes the moving ranges on both sides of it missing (not bridged).
fn average_moving_range<I: Iterator<Item = f64> + Clone>(values: &I, screened: bool) -> f64 {
    let moving_ranges = |it: &mut dyn Iterator<Item = f64>, keep: &mut dyn FnMut(f64)| {
        let mut prev: Option<f64> = None;
        for v in it {
            if let Some(p) = prev {
                keep((v - p).abs());
            }
            prev = Some(v);
        }
    };
    let mut sum = Sum::default();
    moving_ranges(&mut values.clone(), &mut |mr| {
        if !mr.is_nan() {
            sum.add(mr);
        }
    });
    let amr = if sum.count == 0 {
        f64::NAN
    } else {
        sum.value() / sum.count as f64
    };
    if !screened {
        return amr;
    }
    let limit = 3.267 * amr;
    let mut sum = Sum::default();
    moving_ranges(&mut values.clone(), &mut |mr| {
        if mr < limit {
            sum.add(mr);
        }
    });
    if sum.count == 0 {
        f64::NAN
    } else {
        sum.value() / sum.count as f64
    }
}

/// Everything a chart function reads for one part.
struct PartInput<'s> {
    range: Range<usize>,
    flags: &'s [u8],
    y_sum: &'s [f64],
    n: Option<&'s [f64]>,
    y_len: &'s [u32],
    y_sd: &'s [f64],
    centre: Option<f64>,
    screened: bool,
    numeric_x: bool,
    /// (3-sigma, 2-sigma) multipliers of the average moving range for i charts.
    i_constants: (f64, f64),
}

impl PartInput<'_> {
    fn is_base(&self, i: usize) -> bool {
        self.flags[i] & (BASELINE | INCLUDE) == BASELINE | INCLUDE
    }

    fn base(&self) -> impl Iterator<Item = usize> + Clone + '_ {
        self.range.clone().filter(move |&i| self.is_base(i))
    }

    fn denominator(&self, i: usize) -> f64 {
        self.n.map_or(f64::NAN, |n| n[i])
    }
}

fn fill(column: &mut [f64], range: &Range<usize>, value: f64) {
    column[range.clone()].fill(value);
}

/// Fills constant limits cl ∓ k·sigma.
fn constant_limits(lines: &mut Lines, range: &Range<usize>, cl: f64, sigma: f64) {
    fill(&mut lines.cl, range, cl);
    fill(&mut lines.lcl, range, cl - 3.0 * sigma);
    fill(&mut lines.ucl, range, cl + 3.0 * sigma);
    fill(&mut lines.lcl_95, range, cl - 2.0 * sigma);
    fill(&mut lines.ucl_95, range, cl + 2.0 * sigma);
}

fn clamp_lower_at_zero(lines: &mut Lines, range: &Range<usize>) {
    for v in lines.lcl[range.clone()]
        .iter_mut()
        .chain(lines.lcl_95[range.clone()].iter_mut())
    {
        if v.is_finite() && *v < 0.0 {
            *v = 0.0;
        }
    }
}

fn clamp_upper_at_one(lines: &mut Lines, range: &Range<usize>) {
    for v in lines.ucl[range.clone()]
        .iter_mut()
        .chain(lines.ucl_95[range.clone()].iter_mut())
    {
        if v.is_finite() && *v > 1.0 {
            *v = 1.0;
        }
    }
}

/// The i chart on `lines.y` (spec §2.2); returns nothing, fills the lines.
fn chart_i(p: &PartInput<'_>, lines: &mut Lines) {
    let y = &lines.y;
    let cl = p.centre.unwrap_or_else(|| mean_na(p.base().map(|i| y[i])));
    // Moving ranges of (y − cl) between consecutive base rows (excluded rows are bridged).
    let amr = average_moving_range(&p.base().map(|i| y[i] - cl), p.screened);
    let (k3, k2) = p.i_constants;
    let r = &p.range;
    fill(&mut lines.cl, r, cl);
    fill(&mut lines.lcl, r, cl - k3 * amr);
    fill(&mut lines.ucl, r, cl + k3 * amr);
    fill(&mut lines.lcl_95, r, cl - k2 * amr);
    fill(&mut lines.ucl_95, r, cl + k2 * amr);
}

fn chart_function(chart: ChartType, part: &PartInput<'_>, lines: &mut Lines) {
    let range = part.range.clone();
    match chart {
        ChartType::Run => {
            let y = &lines.y;
            let cl = part
                .centre
                .unwrap_or_else(|| median_na(part.base().map(|i| y[i])));
            fill(&mut lines.cl, &range, cl);
        }
        ChartType::I => chart_i(part, lines),
        ChartType::Mr => {
            // Moving ranges over all rows of the part; the first row has none.
            let mut prev = f64::NAN;
            for i in range.clone() {
                let v = lines.y[i];
                lines.y[i] = (v - prev).abs();
                prev = v;
            }
            let y = &lines.y;
            let cl = part
                .centre
                .unwrap_or_else(|| mean_na(part.base().map(|i| y[i])));
            fill(&mut lines.cl, &range, cl);
            fill(&mut lines.lcl, &range, 0.0);
            fill(&mut lines.lcl_95, &range, 0.0);
            fill(&mut lines.ucl, &range, 3.267 * cl);
            fill(&mut lines.ucl_95, &range, (3.267 / 3.0) * 2.0 * cl);
        }
        ChartType::Xbar | ChartType::S => chart_xbar_s(chart, part, lines),
        ChartType::T => {
            let power = 1.0 / 3.6;
            for i in range.clone() {
                lines.y[i] = lines.y[i].powf(power);
            }
            let transformed = PartInput {
                range: part.range.clone(),
                centre: part.centre.map(|c| c.powf(power)),
                ..*part
            };
            chart_i(&transformed, lines);
            for column in [
                &mut lines.y,
                &mut lines.cl,
                &mut lines.lcl,
                &mut lines.ucl,
                &mut lines.lcl_95,
                &mut lines.ucl_95,
            ] {
                for v in &mut column[range.clone()] {
                    // A negative base gives NaN, as in R.
                    *v = v.powf(3.6);
                }
            }
            for v in &mut lines.lcl[range.clone()] {
                if *v < 0.0 || v.is_nan() {
                    *v = 0.0;
                }
            }
        }
        ChartType::P | ChartType::Pp | ChartType::U | ChartType::Up => {
            chart_rate(chart, part, lines);
        }
        ChartType::C => {
            lines.y[range.clone()].copy_from_slice(&part.y_sum[range.clone()]);
            let y = &lines.y;
            let cl = part
                .centre
                .unwrap_or_else(|| mean_na(part.base().map(|i| y[i])));
            constant_limits(lines, &range, cl, cl.sqrt());
            clamp_lower_at_zero(lines, &range);
        }
        ChartType::G => {
            let y = &lines.y;
            let m = part
                .centre
                .unwrap_or_else(|| mean_na(part.base().map(|i| y[i])));
            let shown = match part.centre {
                Some(c) => 0.693 * c,
                None => median_na(part.base().map(|i| y[i])),
            };
            constant_limits(lines, &range, m, (m * (m + 1.0)).sqrt());
            clamp_lower_at_zero(lines, &range);
            fill(&mut lines.cl, &range, shown);
        }
    }
}

/// Pooled standard deviation over base rows, counting (n − 1) even for empty subgroups as
/// qicharts2 does.
fn pooled_sd(p: &PartInput<'_>) -> f64 {
    let num = sum_na(
        p.base()
            .map(|i| (f64::from(p.y_len[i]) - 1.0) * p.y_sd[i] * p.y_sd[i]),
    );
    let den: f64 = p.base().map(|i| f64::from(p.y_len[i]) - 1.0).sum();
    (num / den).sqrt()
}

fn chart_xbar_s(chart: ChartType, p: &PartInput<'_>, lines: &mut Lines) {
    let r = p.range.clone();
    let first = p.y_len.get(r.start).copied();
    let variable = r.clone().any(|i| Some(p.y_len[i]) != first);
    let sigma = |p: &PartInput<'_>| {
        if variable {
            pooled_sd(p)
        } else {
            mean_na(p.base().map(|i| p.y_sd[i]))
        }
    };
    if chart == ChartType::Xbar {
        let cl = p.centre.unwrap_or_else(|| {
            let num = sum_na(p.base().map(|i| f64::from(p.y_len[i]) * lines.y[i]));
            let den: f64 = p.base().map(|i| f64::from(p.y_len[i])).sum();
            num / den
        });
        let sd = sigma(p);
        fill(&mut lines.cl, &r, cl);
        for i in r {
            let size = f64::from(p.y_len[i]);
            let a = 1.0 / (c4(size) * size.sqrt());
            lines.lcl[i] = cl - 3.0 * a * sd;
            lines.ucl[i] = cl + 3.0 * a * sd;
            lines.lcl_95[i] = cl - 2.0 * a * sd;
            lines.ucl_95[i] = cl + 2.0 * a * sd;
        }
    } else {
        lines.y[r.clone()].copy_from_slice(&p.y_sd[r.clone()]);
        let cl = p.centre.unwrap_or_else(|| sigma(p));
        fill(&mut lines.cl, &r, cl);
        for i in r {
            let size = f64::from(p.y_len[i]);
            let c4n = c4(size);
            let c5n = (1.0 - c4n * c4n).sqrt();
            // B3 = max(0, 1 − k·c5/c4); NaN stays NaN (R's pmax keeps NA).
            let b3 = |k: f64| {
                let b = 1.0 - k * c5n / c4n;
                if b.is_nan() { b } else { b.max(0.0) }
            };
            lines.lcl[i] = b3(3.0) * cl;
            lines.lcl_95[i] = b3(2.0) * cl;
            lines.ucl[i] = (1.0 + 3.0 * c5n / c4n) * cl;
            lines.ucl_95[i] = (1.0 + 2.0 * c5n / c4n) * cl;
        }
    }
}

fn chart_rate(chart: ChartType, p: &PartInput<'_>, lines: &mut Lines) {
    let r = p.range.clone();
    let cl = p.centre.unwrap_or_else(|| {
        sum_na(p.base().map(|i| p.y_sum[i])) / sum_na(p.base().map(|i| p.denominator(i)))
    });
    let proportion = matches!(chart, ChartType::P | ChartType::Pp);
    let sigma = |i: usize| {
        let n = p.denominator(i);
        if proportion {
            (cl * (1.0 - cl) / n).sqrt()
        } else {
            (cl / n).sqrt()
        }
    };
    let inflation = if matches!(chart, ChartType::Pp | ChartType::Up) {
        // Laney: standardise the base rows and measure their between-subgroup variation.
        let y = &lines.y;
        let z = p.base().map(|i| (y[i] - cl) / sigma(i));
        if p.numeric_x {
            average_moving_range(&z, p.screened) / 1.128
        } else {
            sd_strict(&z.collect::<Vec<f64>>())
        }
    } else {
        1.0
    };
    fill(&mut lines.cl, &r, cl);
    for i in r.clone() {
        let s = sigma(i) * inflation;
        lines.lcl[i] = cl - 3.0 * s;
        lines.ucl[i] = cl + 3.0 * s;
        lines.lcl_95[i] = cl - 2.0 * s;
        lines.ucl_95[i] = cl + 2.0 * s;
    }
    clamp_lower_at_zero(lines, &r);
    if proportion {
        clamp_upper_at_one(lines, &r);
    }
}

/// Part start indices (0-based) from break positions; a new part starts after each.
fn part_starts(breaks: &[usize], len: usize) -> Result<Vec<usize>, SpcError> {
    let mut starts = vec![0];
    for &b in breaks {
        if b == 0 {
            continue;
        }
        if b >= len {
            return Err(SpcError::PositionBeyondData {
                option: "part",
                position: b,
                subgroups: len,
            });
        }
        starts.push(b);
    }
    starts.sort_unstable();
    starts.dedup();
    Ok(starts)
}

fn ranges(starts: &[usize], len: usize) -> Vec<Range<usize>> {
    starts
        .iter()
        .enumerate()
        .map(|(k, &s)| s..starts.get(k + 1).copied().unwrap_or(len))
        .collect()
}

/// Baseline and include flags (spec §1 step 4; freeze counts from the start of each part).
fn baseline_and_include(
    part_ranges: &[Range<usize>],
    len: usize,
    options: &ChartOptions,
) -> Result<Vec<u8>, SpcError> {
    if let Some(k) = options.freeze
        && k > len
    {
        return Err(SpcError::PositionBeyondData {
            option: "freeze",
            position: k,
            subgroups: len,
        });
    }
    let mut flags = vec![BASELINE | INCLUDE; len];
    if let Some(k) = options.freeze {
        for r in part_ranges {
            for i in r.clone() {
                if i - r.start >= k {
                    flags[i] &= !BASELINE;
                }
            }
        }
    }
    for &e in &options.exclude {
        if e == 0 || e > len {
            return Err(SpcError::PositionBeyondData {
                option: "exclude",
                position: e,
                subgroups: len,
            });
        }
        flags[e - 1] &= !INCLUDE;
    }

    Ok(flags)
}

/// Steps 7, 8, 9 and 11: multiply, non-finite values become missing, sigma signals, negative
/// lower limits raised to 0 when asked.
fn finish(lines: &mut Lines, flags: &mut [u8], options: &ChartOptions) {
    // Multiply (step 7) and non-finite values become missing (step 8).
    for column in [
        &mut lines.y,
        &mut lines.cl,
        &mut lines.lcl,
        &mut lines.ucl,
        &mut lines.lcl_95,
        &mut lines.ucl_95,
    ] {
        for v in column.iter_mut() {
            let scaled = *v * options.multiply;
            *v = if scaled.is_finite() { scaled } else { f64::NAN };
        }
    }

    // Sigma signals (step 9), for every row.
    for (i, flag) in flags.iter_mut().enumerate() {
        let y = lines.y[i];
        if y > lines.ucl[i] || y < lines.lcl[i] {
            *flag |= SIGMA;
        }
    }

    // Negative lower limits raised to 0 when asked and no value is negative (step 11).
    if !options.negative_limits {
        let min = lines
            .y
            .iter()
            .copied()
            .filter(|v| !v.is_nan())
            .fold(f64::INFINITY, f64::min);
        if min >= 0.0 {
            for v in lines.lcl.iter_mut().chain(lines.lcl_95.iter_mut()) {
                if *v < 0.0 {
                    *v = 0.0;
                }
            }
        }
    }
}

/// The pipeline of spec §1 on aggregated subgroups.
pub(crate) fn run(
    chart: ChartType,
    rows: Rows<'_>,
    options: &ChartOptions,
) -> Result<ChartResult, SpcError> {
    let rows_without_x = rows.without_x;
    let sub: Subgroups<'_> = aggregate(chart, rows);
    let len = sub.y.len();

    // Parts, baseline, exclusion (step 4).
    let starts = if len == 0 {
        Vec::new()
    } else {
        part_starts(&options.parts, len)?
    };
    let part_ranges = ranges(&starts, len);
    let mut flags = baseline_and_include(&part_ranges, len, options)?;

    // Chart functions per part (step 5).
    let mut lines = Lines {
        y: sub.y,
        cl: nan_vec(len),
        lcl: nan_vec(len),
        ucl: nan_vec(len),
        lcl_95: nan_vec(len),
        ucl_95: nan_vec(len),
    };
    let numeric_x = sub.x_kind != XKind::Label;
    let i_constants = if options.rules == RuleSet::Mdc && options.mdc.ptd_constants {
        (2.66, 2.66 * 2.0 / 3.0)
    } else {
        (3.0 / 1.128, 2.0 / 1.128)
    };
    for r in &part_ranges {
        let input = PartInput {
            range: r.clone(),
            flags: &flags,
            y_sum: &sub.y_sum,
            n: sub.n.as_deref(),
            y_len: &sub.y_len,
            y_sd: &sub.y_sd,
            centre: options.centre,
            screened: options.screened_mr,
            numeric_x,
            i_constants,
        };
        chart_function(chart, &input, &mut lines);
    }

    // Runs analysis per part on the values before multiply (step 6).
    let part_stats: Vec<RunsStats> = part_ranges
        .iter()
        .map(|r| runs_analysis(&lines.y, &lines.cl, &flags, r.clone()))
        .collect();

    finish(&mut lines, &mut flags, options);
    // Runs signals are suppressed for mr charts and label keys (step 10).
    let patterns_allowed = chart != ChartType::Mr && numeric_x;

    // Reported denominators: sums of n, or subgroup sizes for xbar and s.
    let n_column = match (&sub.n, chart) {
        (Some(n), _) => Some(n.to_vec()),
        (None, ChartType::Xbar | ChartType::S) => {
            Some(sub.y_len.iter().map(|&k| f64::from(k)).collect())
        }
        _ => None,
    };

    let mut result = ChartResult {
        chart,
        rules: options.rules,
        direction: options.direction,
        target: options.target,
        multiply: options.multiply,
        x_kind: sub.x_kind,
        x: sub.x,
        y: lines.y,
        n: n_column,
        cl: lines.cl,
        lcl: lines.lcl,
        ucl: lines.ucl,
        lcl_95: lines.lcl_95,
        ucl_95: lines.ucl_95,
        part_starts: starts,
        flags,
        rule_flags: vec![0; len],
        point_types: None,
        summary: Vec::new(),
        signals: Vec::new(),
        making_data_count: None,
        rows_without_x,
    };
    let pattern_signals = rules::apply(
        &mut result,
        &part_ranges,
        &part_stats,
        options,
        patterns_allowed,
    );
    result.summary = part_ranges
        .iter()
        .zip(&part_stats)
        .enumerate()
        .map(|(k, (r, s))| summarise(&result, k + 1, r, s, pattern_signals[k], options))
        .collect();
    Ok(result)
}

fn summarise(
    result: &ChartResult,
    part: usize,
    r: &Range<usize>,
    stats: &RunsStats,
    runs_signal: bool,
    options: &ChartOptions,
) -> PartSummary {
    let mean_of =
        |column: &[f64]| crate::result::defined(mean_na(column[r.clone()].iter().copied()));
    let (runs_min, runs_max) = if options.rules == RuleSet::Ihi {
        stats
            .runs_limits
            .map_or((None, None), |(lo, hi)| (Some(lo), Some(hi)))
    } else {
        (None, None)
    };
    PartSummary {
        part,
        n_obs: stats.n_obs,
        n_useful: stats.n_useful,
        longest_run: stats.longest_run,
        longest_run_max: stats.longest_run_max,
        n_crossings: stats.n_crossings,
        n_crossings_min: stats.n_crossings_min,
        runs_signal,
        sigma_signal_count: result.flags[r.clone()]
            .iter()
            .filter(|&&f| f & SIGMA != 0)
            .count(),
        cl: mean_of(&result.cl),
        a_lcl: mean_of(&result.lcl),
        a_ucl: mean_of(&result.ucl),
        a_lcl_95: mean_of(&result.lcl_95),
        a_ucl_95: mean_of(&result.ucl_95),
        runs_min,
        runs_max,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    // The expected values are exact in binary floating point.
    #[allow(clippy::float_cmp)]
    fn median_handles_odd_even_and_missing() {
        assert_eq!(median_na([3.0, 1.0, 2.0].into_iter()), 2.0);
        assert_eq!(median_na([4.0, 1.0, 3.0, 2.0].into_iter()), 2.5);
        assert_eq!(median_na([f64::NAN, 5.0].into_iter()), 5.0);
        assert!(median_na([f64::NAN].into_iter()).is_nan());
    }

    #[test]
    fn screening_drops_large_moving_ranges() {
        // Nine moving ranges of 1 and one of 19: AMR 2.8, screening limit 9.15 drops the 19.
        let v = [0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 20.0];
        let unscreened = average_moving_range(&v.iter().copied(), false);
        let screened = average_moving_range(&v.iter().copied(), true);
        assert!((unscreened - 2.8).abs() < 1e-15);
        assert!((screened - 1.0).abs() < 1e-15);
    }

    #[test]
    fn all_equal_values_with_screening_have_no_limits() {
        let y = [5.0; 12];
        let Ok(chart) = Chart::new(ChartType::I).values(&y).compute() else {
            panic!("refused")
        };
        let p = chart.point(0).unwrap_or_else(|| panic!("no point"));
        assert_eq!(p.cl, Some(5.0));
        assert_eq!((p.lcl, p.ucl), (None, None));
        assert_eq!(chart.summary()[0].n_useful, 0);
        assert!(!chart.runs_signal());
        let Ok(unscreened) = Chart::new(ChartType::I)
            .values(&y)
            .screened_mr(false)
            .compute()
        else {
            panic!("refused")
        };
        assert_eq!(unscreened.point(0).and_then(|p| p.ucl), Some(5.0));
    }

    #[test]
    fn parts_and_positions_are_checked() {
        assert_eq!(
            part_starts(&[12, 0, 24, 12], 36).unwrap_or_default(),
            vec![0, 12, 24]
        );
        assert!(part_starts(&[36], 36).is_err());
        let y = [1.0, 2.0, 3.0];
        assert!(
            Chart::new(ChartType::Run)
                .values(&y)
                .freeze(4)
                .compute()
                .is_err()
        );
        assert!(
            Chart::new(ChartType::Run)
                .values(&y)
                .exclude([0])
                .compute()
                .is_err()
        );
        assert!(
            Chart::new(ChartType::Run)
                .values(&y)
                .exclude([4])
                .compute()
                .is_err()
        );
    }
}

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
use crate::result::{
    BASELINE, ChartResult, INCLUDE, Limits, PartLines, PartSummary, SIGMA, clamped, defined,
};
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

/// Sum and count of the non-missing values of a slice, fast and accurate: eight running sums
/// over blocks of 512 values (which the compiler can vectorise), blocks combined with
/// Neumaier's compensation. The error stays within a few ulps for any length.
pub(crate) fn sum_slice(values: &[f64]) -> (f64, usize) {
    let mut total = Sum::default();
    let mut count = 0usize;
    for block in values.chunks(512) {
        let mut lanes = [0.0f64; 8];
        let mut seen = [0usize; 8];
        let mut chunks = block.chunks_exact(8);
        for chunk in &mut chunks {
            for k in 0..8 {
                let v = chunk[k];
                let present = !v.is_nan();
                lanes[k] += if present { v } else { 0.0 };
                seen[k] += usize::from(present);
            }
        }
        for &v in chunks.remainder() {
            if !v.is_nan() {
                lanes[0] += v;
                seen[0] += 1;
            }
        }
        total.add(lanes.iter().sum());
        count += seen.iter().sum::<usize>();
    }
    (total.value(), count)
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
    let mut sum = BlockSum::default();
    moving_ranges(&mut values.clone(), &mut |mr| sum.add(mr));
    let amr = sum.mean().unwrap_or(f64::NAN);
    if !screened {
        return amr;
    }
    let limit = 3.267 * amr;
    let mut sum = BlockSum::default();
    moving_ranges(&mut values.clone(), &mut |mr| {
        if mr < limit {
            sum.add(mr);
        }
    });
    sum.mean().unwrap_or(f64::NAN)
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

    /// Whether every row of the part is a base row (no freeze or exclusion inside it).
    fn all_base(&self) -> bool {
        self.flags[self.range.clone()]
            .iter()
            .all(|&f| f & (BASELINE | INCLUDE) == BASELINE | INCLUDE)
    }
}

/// What a chart function finds for one part, before `multiply`.
struct PartOut {
    /// The centre line.
    cl: f64,
    /// The limits.
    limits: Limits,
}

fn clamp_zero(v: f64) -> f64 {
    if v.is_finite() && v < 0.0 { 0.0 } else { v }
}

/// Constant limits cl ∓ k·sigma, the lower ones clamped at 0 when asked.
fn constant(cl: f64, sigma: f64, lower_zero: bool) -> Limits {
    let low = |v: f64| if lower_zero { clamp_zero(v) } else { v };
    Limits::Constant {
        lcl: low(cl - 3.0 * sigma),
        ucl: cl + 3.0 * sigma,
        lcl_95: low(cl - 2.0 * sigma),
        ucl_95: cl + 2.0 * sigma,
    }
}

/// The i chart on `y` (spec §2.2).
fn chart_i(part: &PartInput<'_>, y: &[f64]) -> PartOut {
    // Moving ranges of (y − cl) between consecutive base rows (excluded rows are bridged).
    let (cl, amr) = if part.all_base() {
        let values = &y[part.range.clone()];
        let cl = part.centre.unwrap_or_else(|| {
            let (sum, count) = sum_slice(values);
            if count == 0 {
                f64::NAN
            } else {
                sum / count as f64
            }
        });
        (
            cl,
            average_moving_range(&values.iter().map(|v| v - cl), part.screened),
        )
    } else {
        let cl = part
            .centre
            .unwrap_or_else(|| mean_na(part.base().map(|i| y[i])));
        (
            cl,
            average_moving_range(&part.base().map(|i| y[i] - cl), part.screened),
        )
    };
    let (k3, k2) = part.i_constants;
    PartOut {
        cl,
        limits: Limits::Constant {
            lcl: cl - k3 * amr,
            ucl: cl + k3 * amr,
            lcl_95: cl - k2 * amr,
            ucl_95: cl + k2 * amr,
        },
    }
}

/// The chart function of one part: may replace `y` in the part's range (mr, s, c, t) and fills
/// `sigma` for charts whose limits vary by point.
fn chart_function(
    chart: ChartType,
    part: &PartInput<'_>,
    y: &mut [f64],
    sigma: &mut [f64],
) -> PartOut {
    let range = part.range.clone();
    match chart {
        ChartType::Run => PartOut {
            cl: part
                .centre
                .unwrap_or_else(|| median_na(part.base().map(|i| y[i]))),
            limits: Limits::None,
        },
        ChartType::I => chart_i(part, y),
        ChartType::Mr => {
            // Moving ranges over all rows of the part; the first row has none.
            let mut prev = f64::NAN;
            for v in &mut y[range] {
                let current = *v;
                *v = (current - prev).abs();
                prev = current;
            }
            let cl = part
                .centre
                .unwrap_or_else(|| mean_na(part.base().map(|i| y[i])));
            PartOut {
                cl,
                limits: Limits::Constant {
                    lcl: 0.0,
                    ucl: 3.267 * cl,
                    lcl_95: 0.0,
                    ucl_95: (3.267 / 3.0) * 2.0 * cl,
                },
            }
        }
        ChartType::Xbar | ChartType::S => chart_xbar_s(chart, part, y, sigma),
        ChartType::T => {
            let power = 1.0 / 3.6;
            for v in &mut y[range.clone()] {
                *v = v.powf(power);
            }
            let transformed = PartInput {
                range: range.clone(),
                centre: part.centre.map(|c| c.powf(power)),
                ..*part
            };
            let out = chart_i(&transformed, y);
            for v in &mut y[range] {
                *v = v.powf(3.6);
            }
            // A negative base gives NaN, as in R; the lower limit is then 0.
            let back = |v: f64| v.powf(3.6);
            let Limits::Constant {
                lcl,
                ucl,
                lcl_95,
                ucl_95,
            } = out.limits
            else {
                return out;
            };
            let lcl = back(lcl);
            PartOut {
                cl: back(out.cl),
                limits: Limits::Constant {
                    lcl: if lcl < 0.0 || lcl.is_nan() { 0.0 } else { lcl },
                    ucl: back(ucl),
                    lcl_95: back(lcl_95),
                    ucl_95: back(ucl_95),
                },
            }
        }
        ChartType::P | ChartType::Pp | ChartType::U | ChartType::Up => chart_rate(chart, part, y),
        ChartType::C => {
            y[range.clone()].copy_from_slice(&part.y_sum[range]);
            let cl = part
                .centre
                .unwrap_or_else(|| mean_na(part.base().map(|i| y[i])));
            PartOut {
                cl,
                limits: constant(cl, cl.sqrt(), true),
            }
        }
        ChartType::G => {
            let m = part
                .centre
                .unwrap_or_else(|| mean_na(part.base().map(|i| y[i])));
            let shown = match part.centre {
                Some(c) => 0.693 * c,
                None => median_na(part.base().map(|i| y[i])),
            };
            PartOut {
                cl: shown,
                limits: constant(m, (m * (m + 1.0)).sqrt(), true),
            }
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

fn chart_xbar_s(chart: ChartType, p: &PartInput<'_>, y: &mut [f64], sigma: &mut [f64]) -> PartOut {
    let r = p.range.clone();
    let first = p.y_len.get(r.start).copied();
    let variable = r.clone().any(|i| Some(p.y_len[i]) != first);
    let process_sd = |p: &PartInput<'_>| {
        if variable {
            pooled_sd(p)
        } else {
            mean_na(p.base().map(|i| p.y_sd[i]))
        }
    };
    if chart == ChartType::Xbar {
        let cl = p.centre.unwrap_or_else(|| {
            let num = sum_na(p.base().map(|i| f64::from(p.y_len[i]) * y[i]));
            let den: f64 = p.base().map(|i| f64::from(p.y_len[i])).sum();
            num / den
        });
        let sd = process_sd(p);
        for i in r {
            // A3(n)·sd / 3 = sd / (c4(n) √n); missing for n ≤ 1.
            let size = f64::from(p.y_len[i]);
            sigma[i] = sd / (c4(size) * size.sqrt());
        }
        PartOut {
            cl,
            limits: Limits::Varying {
                lower_zero: false,
                upper_one: false,
            },
        }
    } else {
        y[r.clone()].copy_from_slice(&p.y_sd[r.clone()]);
        let cl = p.centre.unwrap_or_else(|| process_sd(p));
        for i in r {
            // B4 = 1 + 3·c5/c4 and B3 = max(0, 1 − 3·c5/c4): limits cl ± 3·cl·c5/c4, lower
            // clamped at 0; missing for n ≤ 1.
            let c4n = c4(f64::from(p.y_len[i]));
            sigma[i] = cl * (1.0 - c4n * c4n).sqrt() / c4n;
        }
        PartOut {
            cl,
            limits: Limits::Varying {
                lower_zero: true,
                upper_one: false,
            },
        }
    }
}

fn chart_rate(chart: ChartType, p: &PartInput<'_>, y: &[f64]) -> PartOut {
    let cl = p.centre.unwrap_or_else(|| {
        if p.all_base() {
            let r = p.range.clone();
            sum_slice(&p.y_sum[r.clone()]).0 / p.n.map_or(f64::NAN, |n| sum_slice(&n[r]).0)
        } else {
            sum_na(p.base().map(|i| p.y_sum[i])) / sum_na(p.base().map(|i| p.denominator(i)))
        }
    });
    let proportion = matches!(chart, ChartType::P | ChartType::Pp);
    let spread = if proportion { cl * (1.0 - cl) } else { cl };
    let inflation = if matches!(chart, ChartType::Pp | ChartType::Up) {
        // Laney: standardise the base rows and measure their between-subgroup variation.
        let z = p
            .base()
            .map(|i| (y[i] - cl) / (spread / p.denominator(i)).sqrt());
        if p.numeric_x {
            average_moving_range(&z, p.screened) / 1.128
        } else {
            sd_strict(&z.collect::<Vec<f64>>())
        }
    } else {
        1.0
    };
    PartOut {
        cl,
        limits: Limits::Rate {
            spread,
            inflation,
            lower_zero: true,
            upper_one: proportion,
        },
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

/// Steps 7, 8 and 11 for the plotted values: multiply, non-finite values become missing; and
/// whether negative lower limits are to be shown as 0 (asked, and no value is negative). The
/// lines get the same treatment when they are read (they are stored per part or derived).
fn scale_values(y: &mut [f64], options: &ChartOptions) -> bool {
    let m = options.multiply;
    for v in y.iter_mut() {
        let scaled = *v * m;
        *v = if scaled.is_finite() { scaled } else { f64::NAN };
    }
    !options.negative_limits
        && y.iter()
            .copied()
            .filter(|v| !v.is_nan())
            .fold(f64::INFINITY, f64::min)
            >= 0.0
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
    let mut y = sub.y;
    let varying = matches!(chart, ChartType::Xbar | ChartType::S);
    let mut sigma = if varying {
        vec![f64::NAN; len]
    } else {
        Vec::new()
    };
    let numeric_x = sub.x_kind != XKind::Label;
    let i_constants = if options.rules == RuleSet::Mdc && options.mdc.ptd_constants {
        (2.66, 2.66 * 2.0 / 3.0)
    } else {
        (3.0 / 1.128, 2.0 / 1.128)
    };
    let mut parts = Vec::with_capacity(part_ranges.len());
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
        let out = chart_function(chart, &input, &mut y, &mut sigma);
        parts.push(PartLines {
            cl: out.cl,
            limits: out.limits,
        });
    }

    // Runs analysis per part on the values before multiply (step 6).
    let part_stats: Vec<RunsStats> = part_ranges
        .iter()
        .zip(&parts)
        .map(|(r, p)| runs_analysis(&y, p.cl, &flags, r.clone(), options.rules == RuleSet::Ihi))
        .collect();

    let raise_negative = scale_values(&mut y, options);

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
        y,
        n: n_column,
        parts,
        sigma,
        raise_negative,
        explicit: None,
        part_starts: starts,
        flags: Vec::new(),
        rule_flags: vec![0; len],
        point_types: None,
        summary: Vec::new(),
        signals: Vec::new(),
        making_data_count: None,
        rows_without_x,
    };

    // Sigma signals (step 9), for every row, against the final limits.
    let means = flag_sigma(&result, &part_ranges, &mut flags);
    result.flags = flags;

    // Runs signals are suppressed for mr charts and label keys (step 10).
    let patterns_allowed = chart != ChartType::Mr && numeric_x;
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
        .map(|(k, (r, s))| summarise(&result, k, r, s, pattern_signals[k], means[k], options))
        .collect();
    Ok(result)
}

/// Flags the points beyond the final 3-sigma limits and averages each part's lines (for the
/// summary) in the same pass, one loop per kind of limits.
fn flag_sigma(
    result: &ChartResult,
    ranges: &[Range<usize>],
    flags: &mut [u8],
) -> Vec<[Option<f64>; 5]> {
    let mut means = Vec::with_capacity(ranges.len());
    for (k, r) in ranges.iter().enumerate() {
        let Some(part) = result.parts.get(k) else {
            means.push([None; 5]);
            continue;
        };
        let Some(first) = r.clone().next() else {
            means.push([None; 5]);
            continue;
        };
        match part.limits {
            Limits::None | Limits::Constant { .. } => {
                let l = result.lines_in(k, first);
                for (f, &v) in flags[r.clone()].iter_mut().zip(&result.y[r.clone()]) {
                    *f |= SIGMA * u8::from(v > l.ucl || v < l.lcl);
                }
                means.push([l.cl, l.lcl, l.ucl, l.lcl_95, l.ucl_95].map(defined));
            }
            limits => {
                let mut sums = [BlockSum::default(); 4];
                for i in r.clone() {
                    let (s, lower_zero, upper_one) = result.point_sigma(limits, i);
                    let (lcl, ucl) = clamped(part.cl, 3.0, s, lower_zero, upper_one);
                    let (lcl_95, ucl_95) = clamped(part.cl, 2.0, s, lower_zero, upper_one);
                    let (lcl, ucl) = (result.scaled(lcl, true), result.scaled(ucl, false));
                    let v = result.y[i];
                    flags[i] |= SIGMA * u8::from(v > ucl || v < lcl);
                    sums[0].add(lcl);
                    sums[1].add(ucl);
                    sums[2].add(result.scaled(lcl_95, true));
                    sums[3].add(result.scaled(ucl_95, false));
                }
                let [lcl, ucl, lcl_95, ucl_95] = sums.map(BlockSum::mean);
                means.push([
                    defined(result.scaled(part.cl, false)),
                    lcl,
                    ucl,
                    lcl_95,
                    ucl_95,
                ]);
            }
        }
    }
    means
}

/// A fast accurate running sum: naive within blocks of 256, Neumaier across blocks.
#[derive(Clone, Copy, Default)]
struct BlockSum {
    block: f64,
    in_block: usize,
    total: Sum,
    count: usize,
}

impl BlockSum {
    #[inline]
    fn add(&mut self, v: f64) {
        if v.is_nan() {
            return;
        }
        self.block += v;
        self.in_block += 1;
        self.count += 1;
        if self.in_block == 256 {
            self.total.add(self.block);
            self.block = 0.0;
            self.in_block = 0;
        }
    }

    fn mean(mut self) -> Option<f64> {
        self.total.add(self.block);
        if self.count == 0 {
            None
        } else {
            defined(self.total.value() / self.count as f64)
        }
    }
}

fn summarise(
    result: &ChartResult,
    part: usize,
    r: &Range<usize>,
    stats: &RunsStats,
    runs_signal: bool,
    means: [Option<f64>; 5],
    options: &ChartOptions,
) -> PartSummary {
    let [cl, lower, upper, lower_95, upper_95] = means;
    let (runs_min, runs_max) = if options.rules == RuleSet::Ihi {
        stats
            .runs_limits
            .map_or((None, None), |(lo, hi)| (Some(lo), Some(hi)))
    } else {
        (None, None)
    };
    PartSummary {
        part: part + 1,
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
        cl,
        a_lcl: lower,
        a_ucl: upper,
        a_lcl_95: lower_95,
        a_ucl_95: upper_95,
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

//! The computation pipeline of spec §1, in its order: aggregation, parts, baseline and
//! exclusion, the chart function of each part, runs analysis, multiply, non-finite limits,
//! sigma signals, runs-signal suppression, negative limits, then the rule set's signals.

use std::ops::Range;

use crate::SpcError;
use crate::dist::c4;
use crate::input::{
    Extremes, Observation, PartSums, Rows, Subgroups, aggregate, extremes, input_row,
    rows_from_keys, rows_from_observations, rows_from_slices,
};
use crate::options::{ChartOptions, ChartType, ImprovementDirection, SignalRules};
use crate::result::{
    BASELINE, ChartResult, ChartWarning, Counts, INCLUDE, Limits, PartLines, PartSummary, SIGMA,
    Scale, clamped, defined, finite,
};
use crate::rules;
use crate::runs::{RunsCounter, RunsStats};
use crate::x::{Keys, X, XKind};

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

/// Computes a chart from columns as other languages hand them over (the Python package, the C
/// library): values and optional denominators with NaN for a missing one, and optional keys
/// where `None` is a row without a key (left out, as [`compute`] does). Without keys the rows
/// are numbered 1, 2, 3, … as with [`Chart`].
///
/// ```
/// use qic_spc::{ChartOptions, ChartType, X, compute_columns};
///
/// let keys = vec![Some(X::Number(1.0)), None, Some(X::Number(2.0))];
/// let chart = compute_columns(ChartType::I, &[4.0, 5.0, f64::NAN], None, Some(keys), &ChartOptions::default())?;
/// assert_eq!((chart.len(), chart.rows_without_x()), (2, 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// As [`compute`], plus columns of different lengths.
pub fn compute_columns(
    chart: ChartType,
    y: &[f64],
    n: Option<&[f64]>,
    x: Option<Vec<Option<X>>>,
    options: &ChartOptions,
) -> Result<ChartResult, SpcError> {
    let Some(x) = x else {
        options.validate()?;
        let rows = rows_from_slices(chart, None, y, n)?;
        return run(chart, rows, options);
    };
    for (field, found) in [("x", Some(x.len())), ("n", n.map(<[f64]>::len))] {
        if let Some(found) = found
            && found != y.len()
        {
            return Err(SpcError::LengthMismatch {
                field,
                expected: y.len(),
                found,
            });
        }
    }
    let present = |v: f64| (!v.is_nan()).then_some(v);
    let rows = x.into_iter().enumerate().map(|(i, x)| Observation {
        x,
        y: y.get(i).copied().and_then(present),
        n: n.and_then(|n| n.get(i).copied()).and_then(present),
    });
    compute_iter(chart, rows, options)
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
    keys: Option<&'a Keys>,
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
            keys: None,
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
        self.keys = None;
        self
    }

    /// The subgroup keys as one compact column (numbers, dates or labels), one per value.
    #[must_use]
    pub fn keys(mut self, keys: &'a Keys) -> Self {
        self.keys = Some(keys);
        self.x = None;
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
    pub fn direction(mut self, direction: ImprovementDirection) -> Self {
        self.options = self.options.direction(direction);
        self
    }

    /// See [`ChartOptions::rules`].
    #[must_use]
    pub fn rules(mut self, rules: SignalRules) -> Self {
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
        let rows = match self.keys {
            Some(keys) => rows_from_keys(
                self.kind,
                Some(std::borrow::Cow::Borrowed(keys)),
                std::borrow::Cow::Borrowed(self.y),
                self.n.map(std::borrow::Cow::Borrowed),
            )?,
            None => rows_from_slices(self.kind, self.x, self.y, self.n)?,
        };
        run(self.kind, rows, &self.options)
    }
}

/// A running sum with Neumaier's compensation: sums of many values stay within an ulp or two,
/// close to the long-double sums R uses for `sum` and `mean`.
#[derive(Clone, Copy, Default)]
pub(crate) struct Sum {
    total: f64,
    compensation: f64,
    count: usize,
}

impl Sum {
    pub(crate) fn add(&mut self, v: f64) {
        let t = self.total + v;
        if self.total.abs() >= v.abs() {
            self.compensation += (self.total - t) + v;
        } else {
            self.compensation += (v - t) + self.total;
        }
        self.total = t;
        self.count += 1;
    }

    pub(crate) fn value(self) -> f64 {
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
        let (sum, seen) = block_sum(block);
        total.add(sum);
        count += seen;
    }
    (total.value(), count)
}

/// [`sum_slice`] of two slices of the same length in one pass (the same sums, bit for bit).
fn sum_slices(a: &[f64], b: &[f64]) -> (f64, f64) {
    let mut total_a = Sum::default();
    let mut total_b = Sum::default();
    for (block_a, block_b) in a.chunks(512).zip(b.chunks(512)) {
        total_a.add(block_sum(block_a).0);
        total_b.add(block_sum(block_b).0);
    }
    (total_a.value(), total_b.value())
}

/// The sum of the non-missing values of one block of [`sum_slice`] (as [`block_sum`] without
/// the count).
#[inline]
pub(crate) fn block_total(block: &[f64]) -> f64 {
    let mut lanes = [0.0f64; 8];
    let mut chunks = block.chunks_exact(8);
    for chunk in &mut chunks {
        for k in 0..8 {
            let v = chunk[k];
            lanes[k] += if v.is_nan() { 0.0 } else { v };
        }
    }
    for &v in chunks.remainder() {
        if !v.is_nan() {
            lanes[0] += v;
        }
    }
    lanes.iter().sum()
}

/// The sum and count of the non-missing values of one block of [`sum_slice`]. The counts are
/// kept in f64 lanes beside the sums (exact for any block), so that the loop vectorises.
#[inline]
pub(crate) fn block_sum(block: &[f64]) -> (f64, usize) {
    let mut lanes = [0.0f64; 8];
    let mut seen = [0.0f64; 8];
    let mut chunks = block.chunks_exact(8);
    for chunk in &mut chunks {
        for k in 0..8 {
            let v = chunk[k];
            let present = !v.is_nan();
            lanes[k] += if present { v } else { 0.0 };
            seen[k] += if present { 1.0 } else { 0.0 };
        }
    }
    let mut count = 0usize;
    for &v in chunks.remainder() {
        if !v.is_nan() {
            lanes[0] += v;
            count += 1;
        }
    }
    // At most 512 per lane: whole numbers, exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let counted = seen.iter().sum::<f64>() as usize;
    (lanes.iter().sum(), counted + count)
}

/// [`block_sum`] and the block's smallest and largest non-missing values (∞ and −∞ when there
/// are none), in one loop over the values.
#[inline]
pub(crate) fn block_sum_and_extremes(block: &[f64]) -> (f64, usize, Extremes) {
    let mut lanes = [0.0f64; 8];
    let mut seen = [0.0f64; 8];
    let mut min = [f64::INFINITY; 4];
    let mut max = [f64::NEG_INFINITY; 4];
    let mut chunks = block.chunks_exact(8);
    for chunk in &mut chunks {
        for k in 0..8 {
            let v = chunk[k];
            let present = !v.is_nan();
            lanes[k] += if present { v } else { 0.0 };
            seen[k] += if present { 1.0 } else { 0.0 };
            // `if v < m { v } else { m }` keeps `m` when `v` is NaN.
            min[k & 3] = if v < min[k & 3] { v } else { min[k & 3] };
            max[k & 3] = if v > max[k & 3] { v } else { max[k & 3] };
        }
    }
    let mut count = 0usize;
    for &v in chunks.remainder() {
        if !v.is_nan() {
            lanes[0] += v;
            count += 1;
        }
        min[0] = if v < min[0] { v } else { min[0] };
        max[0] = if v > max[0] { v } else { max[0] };
    }
    // At most 512 per lane: whole numbers, exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let counted = seen.iter().sum::<f64>() as usize;
    let range = Extremes {
        min: min.into_iter().fold(f64::INFINITY, f64::min),
        max: max.into_iter().fold(f64::NEG_INFINITY, f64::max),
    };
    (lanes.iter().sum(), counted + count, range)
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
    screened_mean(|| MovingRanges::new(values.clone()), screened)
}

/// [`average_moving_range`] of the values of a slice less `cl`: the same moving ranges,
/// computed a chunk at a time into a buffer (a loop the compiler vectorises) and summed from it.
/// With `early`, the first pass also feeds the runs counter and notes each chunk's extremes
/// (the rows' flags come along).
fn average_moving_range_of_slice(
    values: &[f64],
    cl: f64,
    screened: bool,
    early: Option<(&[u8], &mut EarlyScan)>,
) -> f64 {
    let amr = moving_range_pass(values, cl, None, early);
    if screened {
        moving_range_pass(values, cl, Some(3.267 * amr), None)
    } else {
        amr
    }
}

/// One pass of [`average_moving_range_of_slice`]: the mean of the moving ranges below `limit`
/// (of all of them without one). Chunk c holds the values from c·CHUNK, and the moving ranges
/// that end at them (the first value has none).
fn moving_range_pass(
    values: &[f64],
    cl: f64,
    limit: Option<f64>,
    mut early: Option<(&[u8], &mut EarlyScan)>,
) -> f64 {
    let mut sum = BatchedBlockSum::new();
    let mut buffer = [0.0f64; CHUNK];
    for (c, chunk) in values.chunks(CHUNK).enumerate() {
        let start = c * CHUNK;
        // The chunk and the value after it: the moving ranges from the chunk's second value on,
        // and the one ending just after it.
        let window = &values[start..(start + CHUNK + 1).min(values.len())];
        let ranges = &mut buffer[..window.len() - 1];
        let pairs = ranges.iter_mut().zip(window.windows(2));
        match limit {
            None => {
                for (mr, pair) in pairs {
                    *mr = ((pair[1] - cl) - (pair[0] - cl)).abs();
                }
            }
            Some(limit) => {
                for (mr, pair) in pairs {
                    let range = ((pair[1] - cl) - (pair[0] - cl)).abs();
                    // At or above the limit (or missing): left out.
                    *mr = if range < limit { range } else { f64::NAN };
                }
            }
        }
        sum.add_slice(ranges, false);
        if let Some((flags, scan)) = early.as_mut() {
            let flags = flags.get(start..start + chunk.len()).unwrap_or_default();
            scan.runs.push_all(flags, chunk, true);
            let e = extremes(chunk);
            scan.extremes.push((e.min, e.max));
        }
    }
    sum.mean().unwrap_or(f64::NAN)
}

/// What the first moving-range pass over an i chart's part (every row a base row) finds on the
/// way, so that the final pass need not read every row again: the runs analysis, and the
/// smallest and largest value of each chunk of `CHUNK` rows.
struct EarlyScan {
    runs: RunsCounter,
    extremes: Vec<(f64, f64)>,
}

/// The mean of the non-missing moving ranges, and when screened, the mean of those below
/// 3.267 times that.
fn screened_mean<I: Iterator<Item = f64>>(moving_ranges: impl Fn() -> I, screened: bool) -> f64 {
    let mut sum = BatchedBlockSum::new();
    sum.extend(moving_ranges());
    let amr = sum.mean().unwrap_or(f64::NAN);
    if !screened {
        return amr;
    }
    let limit = 3.267 * amr;
    let mut sum = BatchedBlockSum::new();
    // A missing moving range fails the comparison; NaN is skipped by the sum.
    sum.extend(moving_ranges().map(|mr| if mr < limit { mr } else { f64::NAN }));
    sum.mean().unwrap_or(f64::NAN)
}

/// |v[i] − v[i−1]| for each value after the first (NaN next to a missing one).
struct MovingRanges<I> {
    values: I,
    previous: f64,
}

impl<I: Iterator<Item = f64>> MovingRanges<I> {
    fn new(mut values: I) -> Self {
        // Without values, NaN: `next` then has nothing to read anyway.
        let previous = values.next().unwrap_or(f64::NAN);
        Self { values, previous }
    }
}

impl<I: Iterator<Item = f64>> Iterator for MovingRanges<I> {
    type Item = f64;

    #[inline]
    fn next(&mut self) -> Option<f64> {
        let v = self.values.next()?;
        let mr = (v - self.previous).abs();
        self.previous = v;
        Some(mr)
    }
}

/// Everything a chart function reads for one part.
struct PartInput<'s> {
    range: Range<usize>,
    flags: &'s [u8],
    y_sum: &'s [f64],
    n: Option<&'s Counts>,
    y_len: &'s [u32],
    y_sd: &'s [f64],
    centre: Option<f64>,
    screened: bool,
    numeric_x: bool,
    /// Every row of the part is a base row (no freeze or exclusion inside it).
    all_base: bool,
    /// The sums over the part's rows, when they were found while aggregating, every row is a
    /// base row, and the chart has use for them (i without denominators; p, p′, u, u′).
    sums: Option<PartSums>,
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
        self.n.map_or(f64::NAN, |n| n.get(i))
    }

    /// Whether every row of the part is a base row (no freeze or exclusion inside it).
    fn all_base(&self) -> bool {
        self.all_base
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
/// With `early`, an i chart of a part whose rows are all base rows leaves there what its first
/// pass found ([`EarlyScan`]).
fn chart_i(part: &PartInput<'_>, y: &[f64], early: Option<&mut Option<EarlyScan>>) -> PartOut {
    // Moving ranges of (y − cl) between consecutive base rows (excluded rows are bridged).
    let (cl, amr) = if part.all_base() {
        let values = &y[part.range.clone()];
        let cl = part.centre.unwrap_or_else(|| {
            let (sum, count) = part
                .sums
                .map_or_else(|| sum_slice(values), |s| (s.y, s.y_count));
            if count == 0 {
                f64::NAN
            } else {
                sum / count as f64
            }
        });
        let mut scan = EarlyScan {
            runs: RunsCounter::new(cl),
            extremes: Vec::with_capacity(values.len().div_ceil(CHUNK)),
        };
        let flags = &part.flags[part.range.clone()];
        let amr =
            average_moving_range_of_slice(values, cl, part.screened, Some((flags, &mut scan)));
        if let Some(early) = early {
            *early = Some(scan);
        }
        (cl, amr)
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
    early: &mut Option<EarlyScan>,
) -> PartOut {
    let range = part.range.clone();
    match chart {
        ChartType::Run => PartOut {
            cl: part
                .centre
                .unwrap_or_else(|| median_na(part.base().map(|i| y[i]))),
            limits: Limits::None,
        },
        ChartType::I => chart_i(part, y, Some(early)),
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
            // (What the pass finds is about the transformed values: of no use here.)
            let out = chart_i(&transformed, y, None);
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
            match (p.sums, p.n) {
                (Some(sums), _) => sums.y / sums.n,
                (None, Some(Counts::Real(n))) => {
                    let (events, trials) = sum_slices(&p.y_sum[r.clone()], &n[r]);
                    events / trials
                }
                (None, Some(n)) => {
                    // (Whole counts come with their sums; this is the same sum.)
                    let trials: Vec<f64> = r.clone().map(|i| n.get(i)).collect();
                    sum_slice(&p.y_sum[r]).0 / sum_slice(&trials).0
                }
                (None, None) => f64::NAN,
            }
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

/// Whether no plotted value is negative after `multiply` (values that are not finite then are
/// missing): with `negative_limits(false)`, negative lower limits are then shown as 0 (step 11).
fn no_negative_value(y: &[f64], multiply: f64) -> bool {
    // A fold without early exit, so the loop vectorises.
    #[allow(clippy::needless_bitwise_bool)] // `&&` would branch per value
    y.iter().fold(true, |ok, &v| {
        let scaled = v * multiply;
        ok & !(finite(scaled) & (scaled < 0.0))
    })
}

/// Whether every row of a part is a base row: no freeze inside it and no exclusion.
fn part_all_base(range: &Range<usize>, options: &ChartOptions) -> bool {
    options.freeze.is_none_or(|k| k >= range.len())
        && !options
            .exclude
            .iter()
            .any(|&e| e > range.start && e <= range.end)
}

/// Whether the parts' sums from aggregation serve the chart function: the sums of the values
/// serve i charts without denominators, of the numerators and denominators p, p′, u and u′
/// charts.
fn sums_apply(chart: ChartType, sub: &Subgroups<'_>) -> bool {
    match chart {
        ChartType::I => sub.n.is_none(),
        ChartType::P | ChartType::Pp | ChartType::U | ChartType::Up => true,
        _ => false,
    }
}

/// The parts if every row is its own subgroup (their sums come along with the aggregation); a
/// part position beyond the data is reported after the values are checked.
fn tentative_parts(options: &ChartOptions, rows: usize) -> Vec<Range<usize>> {
    part_starts(&options.parts, rows).map_or_else(
        |_| std::iter::once(0..rows).collect(),
        |starts| ranges(&starts, rows),
    )
}

/// The pipeline of spec §1 on aggregated subgroups.
pub(crate) fn run(
    chart: ChartType,
    mut rows: Rows<'_>,
    options: &ChartOptions,
) -> Result<ChartResult, SpcError> {
    let rows_without_x = rows.without_x;
    let rows_len = rows.y.len();
    let kept = rows.kept.take();
    let tentative = tentative_parts(options, rows_len);
    let (mut sub, part_sums): (Subgroups<'_>, _) = aggregate(chart, rows, &tentative)?;
    let len = sub.y.len();

    // Parts, baseline, exclusion (step 4).
    let starts = if len == 0 {
        Vec::new()
    } else {
        part_starts(&options.parts, len)?
    };
    let part_ranges = ranges(&starts, len);
    let part_sums =
        part_sums.filter(|sums| sums_apply(chart, &sub) && sums.len() == part_ranges.len());
    let mut flags = baseline_and_include(&part_ranges, len, options)?;
    let warnings = warnings(
        chart,
        &sub,
        rows_len,
        kept.as_deref(),
        &part_ranges,
        options,
    );

    // Chart functions per part (step 5).
    let mut y = std::mem::take(&mut sub.y);
    let mut sigma = if matches!(chart, ChartType::Xbar | ChartType::S) {
        vec![f64::NAN; len]
    } else {
        Vec::new()
    };
    let numeric_x = sub.x_kind != XKind::Label;
    let (parts, early) = chart_functions(
        chart,
        &sub,
        &part_ranges,
        &flags,
        part_sums.as_deref(),
        options,
        (&mut y, &mut sigma),
    );

    let n_column = denominators(chart, sub.n, &sub.y_len);

    // Steps 6 to 9 in one pass over each part: the runs analysis on the values before
    // multiply, then multiply, non-finite values and limits made missing, and the sigma signals
    // of every row against the final limits (with the part's average lines for the summary).
    let scale = Scale {
        multiply: options.multiply,
        raise_negative: !options.negative_limits && no_negative_value(&y, options.multiply),
    };
    let scans = scan_parts(
        &part_ranges,
        &parts,
        early,
        &mut PartRows {
            y: &mut y,
            flags: &mut flags,
            sigma: &sigma,
            n: n_column.as_ref(),
            offset: 0,
            all_included: true,
        },
        scale,
        options,
    );

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
        raise_negative: scale.raise_negative,
        explicit: None,
        part_starts: starts,
        flags,
        rule_flags: Vec::new(),
        point_types: None,
        summary: Vec::new(),
        signals: Vec::new(),
        making_data_count: None,
        rows_without_x,
        warnings,
    };

    // Runs signals are suppressed for mr charts and label keys (step 10).
    let patterns_allowed = chart != ChartType::Mr && numeric_x;
    let part_stats: Vec<RunsStats> = scans.iter().map(|s| s.stats).collect();
    let sigma_counts: Vec<usize> = scans.iter().map(|s| s.sigma_count).collect();
    let pattern_signals = rules::apply(
        &mut result,
        &part_ranges,
        &part_stats,
        &sigma_counts,
        options,
        patterns_allowed,
    );
    result.summary = scans
        .iter()
        .enumerate()
        .map(|(k, scan)| summarise(k, scan, pattern_signals[k], options))
        .collect();
    Ok(result)
}

/// What the reader should know: rows averaged on a chart of single values, parts shorter
/// than the freeze.
fn warnings(
    chart: ChartType,
    sub: &Subgroups<'_>,
    rows: usize,
    kept: Option<&[usize]>,
    part_ranges: &[Range<usize>],
    options: &ChartOptions,
) -> Vec<ChartWarning> {
    let mut out = Vec::new();
    if matches!(
        chart,
        ChartType::I | ChartType::Mr | ChartType::T | ChartType::G
    ) && let Some((row, first)) = sub.repeat
    {
        out.push(ChartWarning::RowsAveraged {
            rows,
            subgroups: sub.y.len(),
            row: input_row(kept, row),
            first: input_row(kept, first),
        });
    }
    if let Some(freeze) = options.freeze
        && part_ranges.len() > 1
    {
        for (k, range) in part_ranges.iter().enumerate() {
            if range.len() < freeze {
                out.push(ChartWarning::FreezeLongerThanPart {
                    part: k + 1,
                    subgroups: range.len(),
                    freeze,
                });
            }
        }
    }
    out
}

/// The rows the final pass over a part handles at a time (a few KiB of stack per line).
const CHUNK: usize = 256;

/// The reported denominators: sums of n, or subgroup sizes for xbar and s.
fn denominators(chart: ChartType, n: Option<Counts>, sizes: &[u32]) -> Option<Counts> {
    match (n, chart) {
        (Some(n), _) => Some(n),
        (None, ChartType::Xbar | ChartType::S) => {
            Some(Counts::Real(sizes.iter().map(|&k| f64::from(k)).collect()))
        }
        _ => None,
    }
}

/// The chart function of each part (step 5): the lines of each part; `y` and `sigma` are
/// filled where the chart replaces the values or has limits that vary by row.
fn chart_functions(
    chart: ChartType,
    sub: &Subgroups<'_>,
    part_ranges: &[Range<usize>],
    flags: &[u8],
    part_sums: Option<&[PartSums]>,
    options: &ChartOptions,
    (y, sigma): (&mut [f64], &mut [f64]),
) -> (Vec<PartLines>, Vec<Option<EarlyScan>>) {
    let i_constants = if options.rules == SignalRules::Mdc && options.mdc.ptd_constants {
        (2.66, 2.66 * 2.0 / 3.0)
    } else {
        (3.0 / 1.128, 2.0 / 1.128)
    };
    let mut parts = Vec::with_capacity(part_ranges.len());
    let mut early = Vec::with_capacity(part_ranges.len());
    for (k, r) in part_ranges.iter().enumerate() {
        let all_base = part_all_base(r, options);
        let input = PartInput {
            range: r.clone(),
            flags,
            y_sum: &sub.y_sum,
            n: sub.n.as_ref(),
            y_len: &sub.y_len,
            y_sd: &sub.y_sd,
            centre: options.centre,
            screened: options.screened_mr,
            numeric_x: sub.x_kind != XKind::Label,
            all_base,
            sums: part_sums
                .and_then(|sums| sums.get(k).copied())
                .filter(|_| all_base),
            i_constants,
        };
        let mut found = None;
        let out = chart_function(chart, &input, y, sigma, &mut found);
        parts.push(PartLines {
            cl: out.cl,
            limits: out.limits,
        });
        early.push(found);
    }
    (parts, early)
}

/// [`scan_part`] over every part of the rows.
fn scan_parts(
    part_ranges: &[Range<usize>],
    parts: &[PartLines],
    early: Vec<Option<EarlyScan>>,
    rows: &mut PartRows<'_>,
    scale: Scale,
    options: &ChartOptions,
) -> Vec<PartScan> {
    let with_runs_limits = options.rules == SignalRules::Ihi;
    part_ranges
        .iter()
        .zip(parts)
        .zip(early)
        .map(|((r, part), early)| {
            scan_part(
                &mut PartRows {
                    y: &mut rows.y[r.clone()],
                    flags: &mut rows.flags[r.clone()],
                    sigma: rows.sigma.get(r.clone()).unwrap_or_default(),
                    n: rows.n,
                    offset: r.start,
                    all_included: !options.exclude.iter().any(|&e| e > r.start && e <= r.end),
                },
                part,
                early,
                scale,
                with_runs_limits,
            )
        })
        .collect()
}

/// The rows of one part that its final pass reads and writes.
struct PartRows<'a> {
    /// Plotted values: before `multiply` on entry, final on return.
    y: &'a mut [f64],
    flags: &'a mut [u8],
    /// Per-row sigma (xbar and s; empty otherwise).
    sigma: &'a [f64],
    /// Denominators of the whole chart (the part's rows start at `offset`).
    n: Option<&'a Counts>,
    offset: usize,
    /// No row of the part is excluded.
    all_included: bool,
}

/// What the final pass over a part finds.
struct PartScan {
    stats: RunsStats,
    /// Mean centre line and limits, final (`cl`, `lcl`, `ucl`, `lcl_95`, `ucl_95`).
    means: [Option<f64>; 5],
    sigma_count: usize,
}

/// The final pass over one part: the runs analysis on the values before `multiply`, then the
/// final values (multiplied, non-finite ones missing), the sigma signals against the final
/// limits, and the means of the lines for the summary. One loop per kind of limits.
fn scan_part(
    rows: &mut PartRows<'_>,
    part: &PartLines,
    early: Option<EarlyScan>,
    scale: Scale,
    runs: bool,
) -> PartScan {
    // The runs analysis, unless the chart function did it.
    let runs_done = early.is_some();
    let (mut counter, extremes) = match early {
        Some(early) => (early.runs, early.extremes),
        None => (RunsCounter::new(part.cl), Vec::new()),
    };
    let mut sigma_count = 0usize;
    let means = match part.limits {
        Limits::None | Limits::Constant { .. } => {
            let l = part.lines(scale, f64::NAN);
            // Multiplying by exactly 1 leaves finite values as they are: a chunk whose values
            // all lie within the limits then needs no visit.
            #[allow(clippy::float_cmp)]
            let unscaled = scale.multiply == 1.0;
            let within = |c: usize| {
                extremes.get(c).is_some_and(|&(lo, hi)| {
                    unscaled && finite(lo) && finite(hi) && lo >= l.lcl && hi <= l.ucl
                })
            };
            let chunks = rows.y.chunks_mut(CHUNK).zip(rows.flags.chunks_mut(CHUNK));
            for (c, (ys, fs)) in chunks.enumerate() {
                if !runs_done {
                    counter.push_all(fs, ys, rows.all_included);
                }
                if !within(c) {
                    sigma_count += finish_chunk(ys, fs, scale, |_| (l.lcl, l.ucl));
                }
            }
            [l.cl, l.lcl, l.ucl, l.lcl_95, l.ucl_95].map(defined)
        }
        Limits::Varying {
            lower_zero,
            upper_one,
        } => {
            let sigma = rows.sigma;
            let clamps = (lower_zero, upper_one);
            scan_varying(
                rows,
                part.cl,
                clamps,
                scale,
                &mut counter,
                &mut sigma_count,
                |r, out| {
                    for (o, i) in out.iter_mut().zip(r) {
                        *o = sigma.get(i).copied().unwrap_or(f64::NAN);
                    }
                },
            )
        }
        Limits::Rate {
            spread,
            inflation,
            lower_zero,
            upper_one,
        } => {
            let (n, offset) = (rows.n, rows.offset);
            let clamps = (lower_zero, upper_one);
            scan_varying(
                rows,
                part.cl,
                clamps,
                scale,
                &mut counter,
                &mut sigma_count,
                |r, out| match n {
                    Some(n) => {
                        n.read_into(offset + r.start, out);
                        for o in out.iter_mut() {
                            *o = (spread / *o).sqrt() * inflation;
                        }
                    }
                    None => out.fill(f64::NAN),
                },
            )
        }
    };
    PartScan {
        stats: counter.finish(runs),
        means: if rows.y.is_empty() { [None; 5] } else { means },
        sigma_count,
    }
}

/// The final values of a chunk of rows (multiplied, missing where not finite) and their sigma
/// signals against the limits `limits(j)` of row j: returns how many rows are beyond them. The
/// flags are only written in a chunk that has such a row (most have none), so the loop over all
/// rows stays in f64 lanes.
#[inline]
fn finish_chunk(
    ys: &mut [f64],
    flags: &mut [u8],
    scale: Scale,
    limits: impl Fn(usize) -> (f64, f64),
) -> usize {
    let beyond = |j: usize, v: f64| {
        let (lcl, ucl) = limits(j);
        v > ucl || v < lcl
    };
    let mut count = 0;
    // Multiplying by exactly 1 changes no value but ±∞ (which becomes missing): without one,
    // the values are only read, which spares writing them all back to memory.
    #[allow(clippy::float_cmp)]
    let unchanged = scale.multiply == 1.0 && {
        #[allow(clippy::needless_bitwise_bool)] // a fold without early exit vectorises
        let infinite = ys
            .iter()
            .fold(false, |any, &v| any | (v.abs() == f64::INFINITY));
        !infinite
    };
    if unchanged {
        for (j, &v) in ys.iter().enumerate() {
            count += usize::from(beyond(j, v));
        }
    } else {
        for (j, v) in ys.iter_mut().enumerate() {
            let value = scale.apply(*v, false);
            *v = value;
            count += usize::from(beyond(j, value));
        }
    }
    if count > 0 {
        for (j, (f, &v)) in flags.iter_mut().zip(ys.iter()).enumerate() {
            *f |= SIGMA * u8::from(beyond(j, v));
        }
    }
    count
}

/// [`scan_part`] for limits that vary by row. The rows go in chunks: `sigma_into` writes the
/// sigma of a range of rows, then the lines of the chunk are computed side by side (loops the
/// compiler vectorises), then the values are flagged and the runs counted row by row.
#[inline]
fn scan_varying(
    rows: &mut PartRows<'_>,
    cl: f64,
    (lower_zero, upper_one): (bool, bool),
    scale: Scale,
    counter: &mut RunsCounter,
    sigma_count: &mut usize,
    sigma_into: impl Fn(Range<usize>, &mut [f64]),
) -> [Option<f64>; 5] {
    let mut sums = LineSums {
        lcl: BatchedBlockSum::new(),
        ucl: BatchedBlockSum::new(),
        lcl_95: BatchedBlockSum::new(),
        ucl_95: BatchedBlockSum::new(),
    };
    let mut sigma = [0.0f64; CHUNK];
    let mut lines = [[0.0f64; CHUNK]; 4];
    // Below this, a sigma keeps cl ∓ k·sigma (k ≤ 3), times `multiply`, finite (|·| < 1e300);
    // not positive when the centre line itself is too large or not finite.
    let finite_below = if finite(cl) {
        (1e300 / scale.multiply - cl.abs()) / 3.0
    } else {
        0.0
    };
    let chunks = rows.y.chunks_mut(CHUNK).zip(rows.flags.chunks_mut(CHUNK));
    for (c, (ys, fs)) in chunks.enumerate() {
        let len = ys.len();
        let start = c * CHUNK;
        let sigma = &mut sigma[..len];
        sigma_into(start..start + len, sigma);
        let [lcl, ucl, lcl_95, ucl_95] = &mut lines;
        let (lcl, ucl) = (&mut lcl[..len], &mut ucl[..len]);
        let (lcl_95, ucl_95) = (&mut lcl_95[..len], &mut ucl_95[..len]);
        // When every line of the chunk is finite at every step (the usual case), the tests
        // for values that are not drop out: the same numbers in fewer steps.
        #[allow(clippy::needless_bitwise_bool)] // a fold without early exit vectorises
        let all_finite = sigma.iter().fold(finite_below > 0.0, |ok, &s| {
            ok & (s > -finite_below) & (s < finite_below)
        });
        if all_finite {
            let lines = [&mut *lcl, &mut *ucl, &mut *lcl_95, &mut *ucl_95];
            // Multiplying by exactly 1 changes nothing.
            #[allow(clippy::float_cmp)]
            let scaled = scale.multiply != 1.0 || scale.raise_negative;
            match (lower_zero, upper_one, scaled) {
                (true, true, false) => finite_lines::<true, true, false>(cl, scale, sigma, lines),
                (true, false, false) => finite_lines::<true, false, false>(cl, scale, sigma, lines),
                (false, _, false) => finite_lines::<false, false, false>(cl, scale, sigma, lines),
                (true, true, true) => finite_lines::<true, true, true>(cl, scale, sigma, lines),
                (true, false, true) => finite_lines::<true, false, true>(cl, scale, sigma, lines),
                (false, _, true) => finite_lines::<false, false, true>(cl, scale, sigma, lines),
            }
        } else {
            for (j, &s) in sigma.iter().enumerate() {
                let (lower, upper) = clamped(cl, 3.0, s, lower_zero, upper_one);
                lcl[j] = scale.apply(lower, true);
                ucl[j] = scale.apply(upper, false);
                let (lower, upper) = clamped(cl, 2.0, s, lower_zero, upper_one);
                lcl_95[j] = scale.apply(lower, true);
                ucl_95[j] = scale.apply(upper, false);
            }
        }
        counter.push_all(fs, ys, rows.all_included);
        *sigma_count += finish_chunk(ys, fs, scale, |j| (lcl[j], ucl[j]));
        sums.lcl.add_slice(lcl, all_finite);
        sums.ucl.add_slice(ucl, all_finite);
        sums.lcl_95.add_slice(lcl_95, all_finite);
        sums.ucl_95.add_slice(ucl_95, all_finite);
    }
    [
        defined(scale.apply(cl, false)),
        sums.lcl.mean(),
        sums.ucl.mean(),
        sums.lcl_95.mean(),
        sums.ucl_95.mean(),
    ]
}

/// The four limits (`lcl`, `ucl`, `lcl_95`, `ucl_95`) of rows whose lines are all finite at every step
/// (see `scan_varying`): the clamps of `clamped` and the scaling of [`Scale::apply`] without
/// their tests for values that are not finite. The clamps and whether to scale are constants,
/// so that each kind of chart gets a loop of a few vector instructions per row.
#[inline]
fn finite_lines<const LOWER_ZERO: bool, const UPPER_ONE: bool, const SCALED: bool>(
    cl: f64,
    scale: Scale,
    sigma: &[f64],
    [lcl, ucl, lcl_95, ucl_95]: [&mut [f64]; 4],
) {
    let lower = |v: f64| {
        let v = if LOWER_ZERO && v < 0.0 { 0.0 } else { v };
        if SCALED {
            let v = v * scale.multiply;
            if scale.raise_negative && v < 0.0 {
                0.0
            } else {
                v
            }
        } else {
            v
        }
    };
    let upper = |v: f64| {
        let v = if UPPER_ONE && v > 1.0 { 1.0 } else { v };
        if SCALED { v * scale.multiply } else { v }
    };
    let rows = sigma.len();
    for (o, &s) in lcl[..rows].iter_mut().zip(sigma) {
        *o = lower(cl - 3.0 * s);
    }
    for (o, &s) in ucl[..rows].iter_mut().zip(sigma) {
        *o = upper(cl + 3.0 * s);
    }
    for (o, &s) in lcl_95[..rows].iter_mut().zip(sigma) {
        *o = lower(cl - 2.0 * s);
    }
    for (o, &s) in ucl_95[..rows].iter_mut().zip(sigma) {
        *o = upper(cl + 2.0 * s);
    }
}

/// The sums of the four limits of a part, for their means.
struct LineSums {
    lcl: BatchedBlockSum,
    ucl: BatchedBlockSum,
    lcl_95: BatchedBlockSum,
    ucl_95: BatchedBlockSum,
}

/// A fast accurate running sum: naive within blocks of 256, Neumaier across blocks. The
/// reference for [`BatchedBlockSum`], which gives the same sums faster.
#[cfg(test)]
#[derive(Clone, Copy, Default)]
struct BlockSum {
    block: f64,
    in_block: usize,
    total: Sum,
    count: usize,
}

#[cfg(test)]
impl BlockSum {
    fn add(&mut self, v: f64) {
        if v.is_nan() {
            return;
        }
        self.block += v;
        self.in_block += 1;
        self.count += 1;
        if self.in_block == BLOCK {
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

/// The values a block of [`BatchedBlockSum`] holds.
const BLOCK: usize = 256;
/// The values a [`BatchedBlockSum`] holds before it sums them.
const BATCH: usize = 8 * BLOCK;

/// A fast accurate running sum of the non-missing values: naive within blocks of 256 values,
/// Neumaier across blocks. The values are collected until eight blocks are complete, then the
/// eight blocks are summed side by side (eight independent chains of additions instead of one
/// long one) and combined in order: the same sums, bit for bit, as adding one value at a time.
struct BatchedBlockSum {
    buffer: [f64; BATCH],
    len: usize,
    total: Sum,
    count: usize,
}

impl BatchedBlockSum {
    fn new() -> Self {
        Self {
            buffer: [0.0; BATCH],
            len: 0,
            total: Sum::default(),
            count: 0,
        }
    }

    #[cfg(test)]
    fn add(&mut self, v: f64) {
        self.extend(std::iter::once(v));
    }

    /// Adds the values in order.
    #[inline]
    fn extend(&mut self, values: impl Iterator<Item = f64>) {
        // The count stays in a register: every value is written and only a non-missing one
        // kept, with no branch on the data. `len` stays below BATCH, so the mask changes
        // nothing but proves the index in bounds.
        let mut len = self.len;
        for v in values {
            self.buffer[len & (BATCH - 1)] = v;
            len += usize::from(!v.is_nan());
            if len == BATCH {
                self.len = len;
                self.flush();
                len = 0;
            }
        }
        self.len = len;
    }

    /// Adds the values of a slice in order (the same as adding them one by one). Pieces of 32
    /// values are copied while a vectorised loop looks for a missing one (unless `none_missing`
    /// says there is none); only a piece that has one is then packed, in place.
    #[inline]
    fn add_slice(&mut self, values: &[f64], none_missing: bool) {
        let mut rest = values;
        while !rest.is_empty() {
            let room = BATCH - self.len;
            let (now, later) = rest.split_at(room.min(rest.len()));
            if none_missing {
                self.buffer[self.len..self.len + now.len()].copy_from_slice(now);
                self.len += now.len();
            } else {
                for piece in now.chunks(32) {
                    let target = &mut self.buffer[self.len..self.len + piece.len()];
                    let mut any_missing = false;
                    for (t, &v) in target.iter_mut().zip(piece) {
                        *t = v;
                        any_missing |= v.is_nan();
                    }
                    if any_missing {
                        let mut kept = 0;
                        for j in 0..target.len() {
                            let v = target[j];
                            target[kept] = v;
                            kept += usize::from(!v.is_nan());
                        }
                        self.len += kept;
                    } else {
                        self.len += piece.len();
                    }
                }
            }
            if self.len == BATCH {
                self.flush();
            }
            rest = later;
        }
    }

    fn flush(&mut self) {
        let mut sums = [0.0f64; 8];
        for t in 0..BLOCK {
            for (k, sum) in sums.iter_mut().enumerate() {
                *sum += self.buffer[k * BLOCK + t];
            }
        }
        for sum in sums {
            self.total.add(sum);
        }
        self.count += BATCH;
        self.len = 0;
    }

    fn mean(mut self) -> Option<f64> {
        let rest = &self.buffer[..self.len];
        let mut blocks = rest.chunks_exact(BLOCK);
        for block in &mut blocks {
            self.total.add(block.iter().fold(0.0, |a, &v| a + v));
        }
        // The last, partial block (0 when empty, which changes nothing).
        self.total
            .add(blocks.remainder().iter().fold(0.0, |a, &v| a + v));
        self.count += self.len;
        if self.count == 0 {
            None
        } else {
            defined(self.total.value() / self.count as f64)
        }
    }
}

fn summarise(
    part: usize,
    scan: &PartScan,
    runs_signal: bool,
    options: &ChartOptions,
) -> PartSummary {
    let stats = &scan.stats;
    let [cl, lower, upper, lower_95, upper_95] = scan.means;
    let (runs_min, runs_max) = if options.rules == SignalRules::Ihi {
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
        sigma_signal_count: scan.sigma_count,
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
    fn batched_block_sums_equal_one_value_at_a_time() {
        let mut state = 0x2545_F491_4F6C_DD1D_u64;
        for len in [0, 1, 255, 256, 257, 2047, 2048, 2049, 5000, 20_000] {
            for missing in [0, 3, 50] {
                let values: Vec<f64> = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        if state % 100 < missing {
                            f64::NAN
                        } else {
                            (state >> 11) as f64 / 9e12 - 400.0
                        }
                    })
                    .collect();
                let mut one = BlockSum::default();
                let mut batched = BatchedBlockSum::new();
                let mut sliced = BatchedBlockSum::new();
                for &v in &values {
                    one.add(v);
                    batched.add(v);
                }
                for piece in values.chunks(700) {
                    sliced.add_slice(piece, false);
                }
                let want = one.mean().map(f64::to_bits);
                assert_eq!(batched.mean().map(f64::to_bits), want, "{len} {missing}");
                assert_eq!(sliced.mean().map(f64::to_bits), want, "{len} {missing}");
            }
        }
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

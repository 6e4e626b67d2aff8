//! Input rows and their aggregation into subgroups (spec §1 steps 2–3).

use std::borrow::Cow;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::SpcError;
use crate::compute::{Sum, block_sum_and_extremes, block_total};
use crate::options::{ChartType, ValueProblem};
use crate::result::{Counts, CountsBuilder, XColumn};
use crate::x::{Keys, X, XKind};

/// One input row: a subgroup key, a value (or numerator) and an optional denominator.
///
/// Rows with the same key form one subgroup: their values are averaged (or, with
/// denominators, summed and divided). A missing value is `None`; a row without a key is
/// dropped and counted.
///
/// ```
/// use qic_spc::{Date, Observation};
///
/// let month = Date::from_ymd(2024, 1, 1).ok_or("bad date")?;
/// let row = Observation::new(month, 4.0).with_denominator(120.0);
/// assert_eq!(row.n, Some(120.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// The subgroup key.
    pub x: Option<X>,
    /// The value or numerator.
    pub y: Option<f64>,
    /// The denominator (p, p′, u, u′).
    #[serde(default)]
    pub n: Option<f64>,
}

impl Observation {
    /// A row with a key and a value (`None` for a missing value).
    pub fn new(x: impl Into<X>, y: impl Into<Option<f64>>) -> Self {
        Self {
            x: Some(x.into()),
            y: y.into(),
            n: None,
        }
    }

    /// The same row with a denominator (`None` for a missing one).
    #[must_use]
    pub fn with_denominator(mut self, n: impl Into<Option<f64>>) -> Self {
        self.n = n.into();
        self
    }
}

/// Input columns after checks: missing values are NaN.
pub(crate) struct Rows<'a> {
    pub(crate) x: Option<Cow<'a, Keys>>,
    pub(crate) y: Cow<'a, [f64]>,
    pub(crate) n: Option<Cow<'a, [f64]>>,
    pub(crate) without_x: usize,
    /// The values are still to be checked ([`check_values`]): slices without keys are checked
    /// in the same pass that aggregates them.
    pub(crate) unchecked: bool,
    /// The input row (from 0) of each row kept, when rows without a key were dropped.
    pub(crate) kept: Option<Vec<usize>>,
}

/// The input row (from 1) of kept row `index` (from 0).
pub(crate) fn input_row(kept: Option<&[usize]>, index: usize) -> usize {
    kept.and_then(|k| k.get(index).copied()).unwrap_or(index) + 1
}

/// The largest magnitudes of a series' values and denominators (0 when there are none).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Magnitudes {
    pub(crate) y: f64,
    pub(crate) n: f64,
}

impl Magnitudes {
    fn of(y: Extremes, n: Option<Extremes>) -> Self {
        let largest = |e: Extremes| {
            let m = e.min.abs().max(e.max.abs());
            if m.is_finite() { m } else { 0.0 }
        };
        Self {
            y: largest(y),
            n: n.map_or(0.0, largest),
        }
    }

    fn max(self, other: Self) -> Self {
        Self {
            y: self.y.max(other.y),
            n: self.n.max(other.n),
        }
    }
}

/// The largest sum of magnitudes a series may have: 1/64 of the largest `f64`, so that the
/// sums, means, moving ranges and limits computed from it (a few times a sum at most) stay
/// finite.
const SUM_LIMIT: f64 = f64::MAX / 64.0;

/// Refuses values whose sums could pass the largest `f64` (a centre line would become
/// infinite, then missing): the sum of the magnitudes of y (of their squares for xbar, s and
/// g charts, whose spreads square the values) and of n must stay below [`SUM_LIMIT`]. The
/// largest magnitudes times the count settle it for any real data; only when that bound fails
/// are the sums run row by row, to name the first row at which one passes the limit.
/// `row_of` turns an index into the input row (from 1).
pub(crate) fn check_sums(
    chart: ChartType,
    y: &[f64],
    n: Option<&[f64]>,
    largest: Magnitudes,
    row_of: impl Fn(usize) -> usize,
) -> Result<(), SpcError> {
    let count = y.len() as f64;
    let squares = matches!(chart, ChartType::Xbar | ChartType::S | ChartType::G);
    let y_bound = if squares {
        largest.y * largest.y * count
    } else {
        largest.y * count
    };
    if y_bound <= SUM_LIMIT && largest.n * count <= SUM_LIMIT {
        return Ok(());
    }
    let running = |values: &[f64], field: &'static str, square: bool| {
        let mut sum = 0.0;
        for (i, &v) in values.iter().enumerate() {
            if v.is_nan() {
                continue;
            }
            sum += if square { v * v } else { v.abs() };
            if sum > SUM_LIMIT || sum.is_nan() {
                return Err(SpcError::SumTooLarge {
                    row: row_of(i),
                    field,
                });
            }
        }
        Ok(())
    };
    running(y, "y", squares)?;
    if let Some(n) = n {
        running(n, "n", false)?;
    }
    Ok(())
}

/// Checks one row's values; `row` counts from 1.
fn check_values(chart: ChartType, row: usize, y: f64, n: Option<f64>) -> Result<(), SpcError> {
    if y.is_infinite() {
        return Err(SpcError::InvalidValue {
            row,
            field: "y",
            problem: ValueProblem::NotFinite,
        });
    }
    if let Some(n) = n
        && n.is_infinite()
    {
        return Err(SpcError::InvalidValue {
            row,
            field: "n",
            problem: ValueProblem::NotFinite,
        });
    }
    let present = |v: f64| (!v.is_nan()).then_some(v);
    chart
        .check_row(present(y), n.and_then(present))
        .map_err(|problem| SpcError::InvalidValue {
            row,
            field: if matches!(problem, ValueProblem::NegativeDenominator) {
                "n"
            } else {
                "y"
            },
            problem,
        })
}

/// Whether every row passes [`check_values`] (missing values pass). When it says no, the rows
/// are checked one by one to name the fault, so it may err on the side of no, never of yes.
///
/// One pass over blocks of rows, keeping the smallest and largest values (and the largest
/// excess of a numerator over its denominator): comparisons with a running extreme compile to
/// vector min and max instructions, where tests of each value against 0 and infinity would not.
///
/// When every row passes, returns the largest magnitudes of the values and denominators.
fn all_valid(chart: ChartType, y: &[f64], n: Option<&[f64]>) -> Option<Magnitudes> {
    const BLOCK: usize = 1024;
    let mut largest = Magnitudes::default();
    match n {
        None => {
            for ys in y.chunks(BLOCK) {
                let e = extremes(ys);
                if !values_fit(chart, e) {
                    return None;
                }
                largest = largest.max(Magnitudes::of(e, None));
            }
        }
        Some(n) => {
            let proportion = matches!(chart, ChartType::P | ChartType::Pp);
            for (ys, ns) in y.chunks(BLOCK).zip(n.chunks(BLOCK)) {
                let (e, d) = (extremes(ys), extremes(ns));
                // y − n > 0 exactly when y > n (both finite and not negative here); a missing
                // value on either side gives NaN, which `extremes` skips.
                let fits = values_fit(chart, e)
                    && d.min >= 0.0
                    && d.max < f64::INFINITY
                    && (!proportion || max_excess(ys, ns) <= 0.0);
                if !fits {
                    return None;
                }
                largest = largest.max(Magnitudes::of(e, Some(d)));
            }
        }
    }
    Some(largest)
}

/// Whether values between these extremes pass [`check_values`] for this chart type (the
/// values alone; denominators are checked apart).
pub(crate) fn values_fit(chart: ChartType, e: Extremes) -> bool {
    match chart {
        ChartType::P
        | ChartType::Pp
        | ChartType::C
        | ChartType::U
        | ChartType::Up
        | ChartType::G => e.min >= 0.0 && e.max < f64::INFINITY,
        ChartType::T => e.min > 0.0 && e.max < f64::INFINITY,
        _ => e.min > f64::NEG_INFINITY && e.max < f64::INFINITY,
    }
}

/// The smallest and largest non-missing values of a slice (∞ and −∞ when there are none).
#[derive(Clone, Copy)]
pub(crate) struct Extremes {
    pub(crate) min: f64,
    pub(crate) max: f64,
}

/// Four lanes of running extremes; `if v < m { v } else { m }` keeps `m` when `v` is NaN.
pub(crate) fn extremes(values: &[f64]) -> Extremes {
    let mut min = [f64::INFINITY; 4];
    let mut max = [f64::NEG_INFINITY; 4];
    let mut chunks = values.chunks_exact(4);
    for chunk in &mut chunks {
        for k in 0..4 {
            let v = chunk[k];
            min[k] = if v < min[k] { v } else { min[k] };
            max[k] = if v > max[k] { v } else { max[k] };
        }
    }
    for &v in chunks.remainder() {
        min[0] = if v < min[0] { v } else { min[0] };
        max[0] = if v > max[0] { v } else { max[0] };
    }
    Extremes {
        min: min.into_iter().fold(f64::INFINITY, f64::min),
        max: max.into_iter().fold(f64::NEG_INFINITY, f64::max),
    }
}

/// The largest y − n over the rows where both are present (−∞ when there are none).
fn max_excess(y: &[f64], n: &[f64]) -> f64 {
    let mut max = [f64::NEG_INFINITY; 4];
    let mut chunks = y.chunks_exact(4).zip(n.chunks_exact(4));
    for (ys, ns) in &mut chunks {
        for k in 0..4 {
            let excess = ys[k] - ns[k];
            max[k] = if excess > max[k] { excess } else { max[k] };
        }
    }
    let tail = y.len() - y.len() % 4;
    for (&v, &d) in y[tail..].iter().zip(&n[tail..]) {
        let excess = v - d;
        max[0] = if excess > max[0] { excess } else { max[0] };
    }
    max.into_iter().fold(f64::NEG_INFINITY, f64::max)
}

/// Bounds on the magnitudes of a series with denominators, for [`check_sums`]. Counts and
/// denominators are never negative (p, p′, u and u′ charts check it), so the parts' sums
/// already bound every sum: their totals pass as the largest magnitudes of a series of one row
/// (infinite when they pass the limit, which sends [`check_sums`] row by row). Other charts
/// given denominators take one more pass for their extremes.
fn magnitudes_with_denominators(
    chart: ChartType,
    y: &[f64],
    n: Option<&[f64]>,
    sums: &[PartSums],
) -> Magnitudes {
    let counts = matches!(
        chart,
        ChartType::P | ChartType::Pp | ChartType::U | ChartType::Up
    );
    if counts && !sums.is_empty() {
        let total = |part: fn(&PartSums) -> f64| {
            let t: f64 = sums.iter().map(part).sum();
            if t <= SUM_LIMIT {
                t / y.len().max(1) as f64
            } else {
                f64::INFINITY
            }
        };
        return Magnitudes {
            y: total(|s| s.y),
            n: total(|s| s.n),
        };
    }
    Magnitudes::of(extremes(y), n.map(extremes))
}

/// Checks every row's values and that their sums stay finite ([`check_sums`]). One fast pass
/// over valid data; the row-by-row check only runs to name a fault.
fn check_all_values(chart: ChartType, y: &[f64], n: Option<&[f64]>) -> Result<(), SpcError> {
    let largest = check_values_from(chart, 1, y, n)?;
    check_sums(chart, y, n, largest, |i| i + 1)
}

/// Checks the values of rows numbered from `first_row` (from 1); returns their largest
/// magnitudes.
fn check_values_from(
    chart: ChartType,
    first_row: usize,
    y: &[f64],
    n: Option<&[f64]>,
) -> Result<Magnitudes, SpcError> {
    if let Some(largest) = all_valid(chart, y, n) {
        return Ok(largest);
    }
    for (i, &v) in y.iter().enumerate() {
        check_values(chart, first_row + i, v, n.and_then(|n| n.get(i).copied()))?;
    }
    // Every row passed after all (the fast test errs on the side of no).
    Ok(Magnitudes::of(extremes(y), n.map(extremes)))
}

fn check_denominators(chart: ChartType, has_n: bool) -> Result<(), SpcError> {
    if chart.needs_denominators() && !has_n {
        return Err(SpcError::DenominatorsRequired { chart });
    }
    if chart.refuses_denominators() && has_n {
        return Err(SpcError::DenominatorsRefused { chart });
    }
    Ok(())
}

/// Rows from slices (NaN = missing).
pub(crate) fn rows_from_slices<'a>(
    chart: ChartType,
    x: Option<&'a [X]>,
    y: &'a [f64],
    n: Option<&'a [f64]>,
) -> Result<Rows<'a>, SpcError> {
    if let Some(x) = x {
        check_length("x", x.len(), y.len())?;
        check_length_of_n(n, y.len())?;
        check_denominators(chart, n.is_some())?;
        check_all_values(chart, y, n)?;
        let keys = Keys::from_keys(x).map_err(|i| SpcError::MixedX { row: i + 1 })?;
        return Ok(keep_keyed(
            Cow::Owned(keys),
            Cow::Borrowed(y),
            n.map(Cow::Borrowed),
        ));
    }
    rows_from_keys(chart, None, Cow::Borrowed(y), n.map(Cow::Borrowed))
}

fn check_length(field: &'static str, found: usize, expected: usize) -> Result<(), SpcError> {
    if found == expected {
        Ok(())
    } else {
        Err(SpcError::LengthMismatch {
            field,
            expected,
            found,
        })
    }
}

fn check_length_of_n(n: Option<&[f64]>, expected: usize) -> Result<(), SpcError> {
    n.map_or(Ok(()), |n| check_length("n", n.len(), expected))
}

/// Rows from a column of keys (or none) and the values, borrowed or owned (NaN = missing).
pub(crate) fn rows_from_keys<'a>(
    chart: ChartType,
    x: Option<Cow<'a, Keys>>,
    y: Cow<'a, [f64]>,
    n: Option<Cow<'a, [f64]>>,
) -> Result<Rows<'a>, SpcError> {
    if let Some(x) = &x {
        check_length("x", x.len(), y.len())?;
    }
    check_length_of_n(n.as_deref(), y.len())?;
    check_denominators(chart, n.is_some())?;
    let Some(x) = x else {
        // Every row is its own subgroup: the values are checked as they are aggregated.
        return Ok(Rows {
            x: None,
            y,
            n,
            without_x: 0,
            unchecked: true,
            kept: None,
        });
    };
    check_all_values(chart, &y, n.as_deref())?;
    Ok(keep_keyed(x, y, n))
}

/// Drops the rows whose key is missing (a NaN number), as qicharts2 drops missing x, and
/// counts them.
fn keep_keyed<'a>(x: Cow<'a, Keys>, y: Cow<'a, [f64]>, n: Option<Cow<'a, [f64]>>) -> Rows<'a> {
    let missing = match x.as_ref() {
        Keys::Numbers(keys) => keys.iter().any(|k| k.is_nan()),
        Keys::Dates(_) | Keys::Labels(_) => false,
    };
    if !missing {
        return Rows {
            x: Some(x),
            y,
            n,
            without_x: 0,
            unchecked: false,
            kept: None,
        };
    }
    let keep: Vec<usize> = match x.as_ref() {
        Keys::Numbers(keys) => (0..keys.len()).filter(|&i| !keys[i].is_nan()).collect(),
        Keys::Dates(_) | Keys::Labels(_) => Vec::new(),
    };
    let ys: Vec<f64> = keep.iter().map(|&i| y[i]).collect();
    let ns: Option<Vec<f64>> = n.map(|n| keep.iter().map(|&i| n[i]).collect());
    Rows {
        x: Some(Cow::Owned(x.select(&keep))),
        without_x: y.len() - keep.len(),
        y: Cow::Owned(ys),
        n: ns.map(Cow::Owned),
        unchecked: false,
        kept: Some(keep),
    }
}

/// Rows from observations.
pub(crate) fn rows_from_observations<I>(
    chart: ChartType,
    observations: I,
) -> Result<Rows<'static>, SpcError>
where
    I: IntoIterator<Item = Observation>,
{
    let iter = observations.into_iter();
    let (lower, _) = iter.size_hint();
    let mut xs = Vec::with_capacity(lower);
    let mut ys = Vec::with_capacity(lower);
    let mut ns: Vec<f64> = Vec::with_capacity(lower);
    let mut kept = Vec::with_capacity(lower);
    let mut has_n = false;
    let mut rows_without_x = 0;
    let mut kind: Option<XKind> = None;
    let mut largest = Magnitudes::default();
    for (i, obs) in iter.enumerate() {
        let y = obs.y.unwrap_or(f64::NAN);
        has_n |= obs.n.is_some();
        check_values(chart, i + 1, y, obs.n)?;
        match obs.x {
            Some(X::Number(v)) if v.is_nan() => rows_without_x += 1,
            None => rows_without_x += 1,
            Some(x) => {
                match kind {
                    None => kind = Some(x.kind()),
                    Some(k) if k != x.kind() => return Err(SpcError::MixedX { row: i + 1 }),
                    Some(_) => {}
                }
                let n = obs.n.unwrap_or(f64::NAN);
                let magnitude = |v: f64| if v.is_nan() { 0.0 } else { v.abs() };
                largest = largest.max(Magnitudes {
                    y: magnitude(y),
                    n: magnitude(n),
                });
                xs.push(x);
                ys.push(y);
                ns.push(n);
                kept.push(i);
            }
        }
    }
    check_denominators(chart, has_n)?;
    let kept = (rows_without_x > 0).then_some(kept);
    check_sums(chart, &ys, has_n.then_some(&ns[..]), largest, |i| {
        input_row(kept.as_deref(), i)
    })?;
    let keys = Keys::from_keys(&xs).map_err(|i| SpcError::MixedX {
        row: input_row(kept.as_deref(), i),
    })?;
    Ok(Rows {
        x: Some(Cow::Owned(keys)),
        y: Cow::Owned(ys),
        n: has_n.then_some(Cow::Owned(ns)),
        without_x: rows_without_x,
        unchecked: false,
        kept,
    })
}

/// Subgroups, sorted by key, with the per-subgroup quantities of spec §1 step 3.
pub(crate) struct Subgroups<'a> {
    pub(crate) x: XColumn,
    pub(crate) x_kind: XKind,
    /// The plotted value: Σy/Σn with denominators, else the mean.
    pub(crate) y: Vec<f64>,
    /// Σy (missing when every value of the subgroup is missing).
    pub(crate) y_sum: Cow<'a, [f64]>,
    /// Σn (missing when no denominator is present).
    pub(crate) n: Option<Counts>,
    /// The number of values (xbar and s only; empty otherwise).
    pub(crate) y_len: Vec<u32>,
    /// The sample standard deviation of the values (xbar and s only; empty otherwise).
    pub(crate) y_sd: Vec<f64>,
    /// The first row (from 0) whose key an earlier row has, with that earlier row, when rows
    /// were combined.
    pub(crate) repeat: Option<(usize, usize)>,
}

#[inline]
fn ratio(sum: f64, n: f64) -> f64 {
    // A zero denominator gives no plotted value (qicharts2 would plot k/0 as +Inf); a missing
    // one gives NaN by itself. (No `is_nan` test: it would keep the loop from vectorising.)
    let value = sum / n;
    if n == 0.0 { f64::NAN } else { value }
}

/// Sums of one part as [`crate::compute::sum_slice`] gives them over its rows: of the values
/// (numerators: Σy of the rows with both y and n) and of the denominators.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct PartSums {
    pub(crate) y: f64,
    /// The count of values (counted without denominators only: i charts use it).
    pub(crate) y_count: usize,
    pub(crate) n: f64,
}

/// Aggregates rows into subgroups (spec §1 steps 2 and 3), checking the values first if that
/// is still to be done. When every row is its own subgroup, the sums of each of `parts` come
/// along (for the parts' centre lines).
///
/// # Errors
///
/// A value the chart type cannot use ([`SpcError::InvalidValue`]).
pub(crate) fn aggregate<'a>(
    chart: ChartType,
    rows: Rows<'a>,
    parts: &[Range<usize>],
) -> Result<(Subgroups<'a>, Option<Vec<PartSums>>), SpcError> {
    let Rows {
        x, y, n, unchecked, ..
    } = rows;
    let x_kind = match x.as_deref() {
        Some(keys) if !keys.is_empty() => keys.kind(),
        _ => XKind::Index,
    };
    if let Some(keys) = x.as_deref()
        && !keys.strictly_increasing()
    {
        if unchecked {
            check_all_values(chart, &y, n.as_deref())?;
        }
        // Several rows per key, or keys out of order: sort row indices by key and group.
        let sized = matches!(chart, ChartType::Xbar | ChartType::S);
        let sub = aggregate_grouped(keys, &y, n.as_deref(), sized, x_kind);
        return Ok((sub, None));
    }
    let x = match x {
        Some(keys) if !keys.is_empty() => XColumn::Keys(keys.into_owned()),
        _ => XColumn::Index(y.len()),
    };
    let (sub, sums, largest) = gather(chart, y, n.as_deref(), parts, unchecked)?;
    if unchecked {
        // Checked here rather than in `gather`, whose loop stays as lean as it can.
        let largest = if n.is_some() {
            magnitudes_with_denominators(chart, &sub.y_sum, n.as_deref(), &sums)
        } else {
            largest
        };
        check_sums(chart, &sub.y_sum, n.as_deref(), largest, |i| i + 1)?;
    }
    Ok((Subgroups { x, x_kind, ..sub }, Some(sums)))
}

/// One block of rows with denominators for [`gather`]: appends the plotted values and the
/// denominators (missing where y is), and returns the block's sum of the numerators (of rows
/// with both y and n), whether a row misses only n, and the sum of the denominators. `scratch` holds a block's denominators and, when a row misses only n, its
/// numerators.
fn gather_ratios(
    ys: &[f64],
    ns: &[f64],
    plotted: &mut Vec<f64>,
    n_out: &mut CountsBuilder,
    scratch: &mut [[f64; GATHER_BLOCK]; 2],
) -> (f64, bool, f64) {
    // y / n is missing when either is, and when n is 0.
    plotted.extend(ys.iter().zip(ns).map(|(&v, &d)| ratio(v, d)));
    let [n_block, paired] = scratch;
    let n_block = &mut n_block[..ns.len()];
    for ((o, &v), &d) in n_block.iter_mut().zip(ys).zip(ns) {
        *o = if v.is_nan() { v } else { d };
    }
    n_out.extend(n_block);
    let ns = &n_block[..];
    // Numerators of rows missing only n are left out of the sums.
    #[allow(clippy::needless_bitwise_bool)] // a fold without early exit vectorises
    let unpaired = ys
        .iter()
        .zip(ns)
        .fold(false, |any, (v, d)| any | (v.is_nan() != d.is_nan()));
    let ys = if unpaired {
        let paired = &mut paired[..ys.len()];
        for ((p, &v), &d) in paired.iter_mut().zip(ys).zip(ns) {
            *p = if d.is_nan() { d } else { v };
        }
        &paired[..]
    } else {
        ys
    };
    (block_total(ys), unpaired, block_total(ns))
}

/// The rows [`gather`] takes at a time: the blocks of `sum_slice`.
const GATHER_BLOCK: usize = 512;

/// Rows that are their own subgroups, in one pass over blocks of 512 rows of each part: the
/// value checks (when `unchecked`), missing pairs (a row missing y or n loses both), the
/// plotted values, the denominators, and the sums of each part. A block is small enough to
/// stay in the fastest cache while it is read several times. Without denominators, the
/// largest magnitude of the values comes along (for [`check_sums`]).
fn gather<'a>(
    chart: ChartType,
    y: Cow<'a, [f64]>,
    n: Option<&[f64]>,
    parts: &[Range<usize>],
    unchecked: bool,
) -> Result<(Subgroups<'a>, Vec<PartSums>, Magnitudes), SpcError> {
    let len = y.len();
    let mut plotted: Vec<f64> = Vec::with_capacity(len);
    let mut n_out = CountsBuilder::with_capacity(if n.is_some() { len } else { 0 });
    let mut sums = Vec::with_capacity(parts.len());
    let mut unpaired = false;
    let mut scratch = [[0.0f64; GATHER_BLOCK]; 2];
    let covered = parts.first().map(|r| r.start) == Some(0)
        && parts.last().map(|r| r.end) == Some(len)
        && parts.windows(2).all(|w| w[0].end == w[1].start);
    let mut largest = Magnitudes::default();
    let whole = 0..len;
    // Parts that do not cover the rows (never, from `compute::run`): one block run, no sums.
    let blocks_of = if covered || len == 0 {
        parts
    } else {
        std::slice::from_ref(&whole)
    };
    for part in blocks_of {
        let (mut y_total, mut n_total) = (Sum::default(), Sum::default());
        let mut y_count = 0;
        let mut start = part.start;
        while start < part.end {
            let end = (start + GATHER_BLOCK).min(part.end);
            let ys = &y[start..end];
            let ns = n.map(|n| &n[start..end]);
            match ns {
                None => {
                    // The checks need only the block's extremes: found with its sum.
                    let (sum, count, range) = block_sum_and_extremes(ys);
                    if unchecked && !values_fit(chart, range) {
                        check_values_from(chart, start + 1, ys, None)?;
                    }
                    largest = largest.max(Magnitudes::of(range, None));
                    plotted.extend_from_slice(ys);
                    y_total.add(sum);
                    y_count += count;
                }
                Some(ns) => {
                    if unchecked {
                        check_values_from(chart, start + 1, ys, Some(ns))?;
                    }
                    let (sum, unpaired_here, trials) =
                        gather_ratios(ys, ns, &mut plotted, &mut n_out, &mut scratch);
                    unpaired |= unpaired_here;
                    y_total.add(sum);
                    n_total.add(trials);
                }
            }
            start = end;
        }
        sums.push(PartSums {
            y: y_total.value(),
            y_count,
            n: n_total.value(),
        });
    }
    if !covered {
        sums.clear();
    }
    let n_out = n.is_some().then(|| n_out.finish());
    // Σy per subgroup: the values, missing where the pair is.
    let y_sum = match &n_out {
        Some(counts) if unpaired => Cow::Owned(
            y.iter()
                .enumerate()
                .map(|(i, &v)| if counts.get(i).is_nan() { f64::NAN } else { v })
                .collect(),
        ),
        _ => y,
    };
    let (y_len, y_sd) = if matches!(chart, ChartType::Xbar | ChartType::S) {
        (
            y_sum.iter().map(|v| u32::from(!v.is_nan())).collect(),
            vec![f64::NAN; len],
        )
    } else {
        (Vec::new(), Vec::new())
    };
    Ok((
        Subgroups {
            x: XColumn::Index(len),
            x_kind: XKind::Index,
            y: plotted,
            y_sum,
            n: n_out,
            y_len,
            y_sd,
            repeat: None,
        },
        sums,
        largest,
    ))
}

/// Aggregation when several rows share a key or keys are out of order: sort row indices by
/// key and group equal keys.
fn aggregate_grouped(
    keys: &Keys,
    y: &[f64],
    n: Option<&[f64]>,
    sized: bool,
    x_kind: XKind,
) -> Subgroups<'static> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    // Stable: the rows of a subgroup stay in input order.
    order.sort_by(|&a, &b| keys.cmp_rows(a, b));
    let mut firsts = Vec::new();
    let mut repeat: Option<(usize, usize)> = None;
    let mut out_y = Vec::new();
    let mut out_sum = Vec::new();
    let mut out_n = Vec::new();
    let mut out_len = Vec::new();
    let mut out_sd = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && keys.cmp_rows(order[end], order[start]).is_eq() {
            end += 1;
        }
        let group = &order[start..end];
        if let [first, second, ..] = *group
            && repeat.is_none_or(|(row, _)| second < row)
        {
            repeat = Some((second, first));
        }
        let value = |i: usize| -> (f64, f64) {
            let v = y[i];
            match n {
                Some(n) if v.is_nan() || n[i].is_nan() => (f64::NAN, f64::NAN),
                Some(n) => (v, n[i]),
                None => (v, f64::NAN),
            }
        };
        let mut count = 0u32;
        let mut sum = 0.0;
        let mut n_sum = 0.0;
        let mut n_count = 0u32;
        for &i in group {
            let (v, d) = value(i);
            if !v.is_nan() {
                count += 1;
                sum += v;
            }
            if !d.is_nan() {
                n_count += 1;
                n_sum += d;
            }
        }
        let mean = if count > 0 {
            sum / f64::from(count)
        } else {
            f64::NAN
        };
        let sd = if sized && count > 1 {
            let ss: f64 = group
                .iter()
                .map(|&i| value(i).0)
                .filter(|v| !v.is_nan())
                .map(|v| (v - mean) * (v - mean))
                .sum();
            (ss / f64::from(count - 1)).sqrt()
        } else {
            f64::NAN
        };
        let y_sum = if count > 0 { sum } else { f64::NAN };
        let n_total = if n_count > 0 { n_sum } else { f64::NAN };
        firsts.push(order[start]);
        out_y.push(if n.is_some() {
            ratio(y_sum, n_total)
        } else {
            mean
        });
        out_sum.push(y_sum);
        out_n.push(n_total);
        if sized {
            out_len.push(count);
            out_sd.push(sd);
        }
        start = end;
    }
    Subgroups {
        x: XColumn::Keys(keys.select(&firsts)),
        x_kind,
        y: out_y,
        y_sum: Cow::Owned(out_sum),
        n: n.is_some().then_some(Counts::Real(out_n)),
        y_len: out_len,
        y_sd: out_sd,
        repeat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(x: f64, y: Option<f64>) -> Observation {
        Observation::new(x, y)
    }

    /// Aggregates rows as one part.
    fn aggregate(chart: ChartType, rows: Rows<'_>) -> Subgroups<'_> {
        let len = rows.y.len();
        match super::aggregate(chart, rows, std::slice::from_ref(&(0..len))) {
            Ok((sub, _)) => sub,
            Err(e) => panic!("refused: {e}"),
        }
    }

    #[test]
    fn rows_with_the_same_key_form_one_sorted_subgroup() {
        let rows = rows_from_observations(
            ChartType::Xbar,
            vec![
                obs(2.0, Some(4.0)),
                obs(1.0, Some(1.0)),
                obs(2.0, Some(6.0)),
                obs(1.0, Some(3.0)),
                obs(2.0, None),
            ],
        )
        .map_err(|e| e.to_string());
        let Ok(rows) = rows else {
            panic!("rows refused")
        };
        let s = aggregate(ChartType::Xbar, rows);
        assert_eq!(s.y, vec![2.0, 5.0]);
        assert_eq!(s.y_len, vec![2, 2]);
        assert!((s.y_sd[0] - 2f64.sqrt()).abs() < 1e-15);
        assert_eq!(s.x, XColumn::Keys(Keys::Numbers(vec![1.0, 2.0])));
        assert_eq!(s.repeat, Some((2, 0)));
    }

    #[test]
    // The expected values are exact in binary floating point.
    #[allow(clippy::float_cmp)]
    fn missing_pairs_lose_both_values() {
        let y = [1.0, f64::NAN, 3.0];
        let n = [10.0, 10.0, f64::NAN];
        let Ok(rows) = rows_from_slices(ChartType::P, None, &y, Some(&n)) else {
            panic!("rows refused")
        };
        let s = aggregate(ChartType::P, rows);
        assert_eq!(s.y[0], 0.1);
        assert!(s.y[1].is_nan() && s.y[2].is_nan());
        let Some(n) = s.n else { panic!("no n") };
        assert!(n.get(1).is_nan() && n.get(2).is_nan());
        assert!(matches!(n, Counts::Whole(_)));
        assert_eq!(s.y_sum.to_vec()[2].to_bits(), f64::NAN.to_bits());
    }

    #[test]
    fn denominators_stay_whole_until_one_is_not() {
        let y = vec![1.0; 1200];
        let mut n = vec![4.0; 1200];
        let whole = |n: &[f64]| {
            let Ok(rows) = rows_from_slices(ChartType::U, None, &y, Some(n)) else {
                panic!("rows refused")
            };
            let counts = aggregate(ChartType::U, rows).n;
            let Some(counts) = counts else { panic!("no n") };
            // Every value reads back the same, bit for bit.
            for (i, &v) in n.iter().enumerate() {
                assert_eq!(counts.get(i).to_bits(), v.to_bits(), "row {i}");
            }
            matches!(counts, Counts::Whole(_))
        };
        assert!(whole(&n));
        n[1100] = 2.5;
        assert!(!whole(&n));
        n[1100] = -0.0;
        assert!(!whole(&n));
        n[1100] = 3e9;
        assert!(!whole(&n));
        n[1100] = 2_147_483_647.0;
        assert!(whole(&n));
    }

    #[test]
    fn a_zero_denominator_gives_no_value() {
        let Ok(rows) = rows_from_slices(ChartType::U, None, &[0.0, 2.0], Some(&[0.0, 0.0])) else {
            panic!("rows refused")
        };
        let s = aggregate(ChartType::U, rows);
        assert!(s.y.iter().all(|v| v.is_nan()));
    }

    #[test]
    fn bad_rows_are_named() {
        // Without keys the values are checked as they are aggregated, block by block.
        let rows = rows_from_slices(ChartType::P, None, &[1.0, 5.0], Some(&[2.0, 4.0]));
        let err = rows
            .and_then(|rows| super::aggregate(ChartType::P, rows, std::slice::from_ref(&(0..2))))
            .err();
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some("row 2, y: the numerator is larger than the denominator")
        );
        let mut y = vec![1.0; 1500];
        y[1234] = -1.0;
        let rows = rows_from_slices(ChartType::C, None, &y, None);
        let err = rows
            .and_then(|rows| super::aggregate(ChartType::C, rows, std::slice::from_ref(&(0..1500))))
            .err();
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some("row 1235, y: a count may not be negative")
        );
        let x: Vec<X> = (0..4).map(|i| X::Number(f64::from(i))).collect();
        let err = rows_from_slices(
            ChartType::P,
            Some(&x),
            &[1.0, 2.0, 9.0, 1.0],
            Some(&[4.0; 4]),
        );
        assert_eq!(
            err.err().map(|e| e.to_string()).as_deref(),
            Some("row 3, y: the numerator is larger than the denominator")
        );
        let err = rows_from_observations(
            ChartType::Run,
            vec![obs(1.0, Some(1.0)), Observation::new("a", 2.0)],
        )
        .err();
        assert!(matches!(err, Some(SpcError::MixedX { row: 2 })));
        let err = rows_from_slices(ChartType::U, None, &[1.0], None).err();
        assert!(matches!(err, Some(SpcError::DenominatorsRequired { .. })));
    }

    #[test]
    fn sums_too_large_are_refused_with_their_row() {
        let sum_error = |chart: ChartType, y: &[f64], n: Option<&[f64]>| {
            let len = y.len();
            rows_from_slices(chart, None, y, n)
                .and_then(|rows| super::aggregate(chart, rows, std::slice::from_ref(&(0..len))))
                .err()
                .map(|e| e.to_string())
        };
        let n = [1.5e306; 4];
        assert_eq!(
            sum_error(ChartType::P, &[1e306; 4], Some(&n)).as_deref(),
            Some(
                "row 3, y: the values are too large to add up (their sum up to this row passes 2.8e306)"
            )
        );
        assert_eq!(
            sum_error(
                ChartType::I,
                &[-1e306, 1e306, -1e306, 1e306],
                Some(&[1.0; 4])
            )
            .as_deref(),
            Some(
                "row 3, y: the values are too large to add up (their sum up to this row passes 2.8e306)"
            )
        );
        // Squares for xbar, s and g: 1e154 squared passes the limit at once.
        assert!(sum_error(ChartType::G, &[1e154, 1.0], None).is_some());
        assert!(sum_error(ChartType::C, &[1e154, 1.0], None).is_none());
        assert!(sum_error(ChartType::P, &[1.0; 4], Some(&[2.0; 4])).is_none());
    }

    #[test]
    fn rows_without_a_key_are_counted() {
        let rows = vec![
            obs(1.0, Some(1.0)),
            Observation {
                x: None,
                y: Some(2.0),
                n: None,
            },
            obs(f64::NAN, Some(3.0)),
        ];
        let Ok(r) = rows_from_observations(ChartType::Run, rows) else {
            panic!("refused")
        };
        assert_eq!(r.without_x, 2);
        assert_eq!(r.y.len(), 1);
    }
}

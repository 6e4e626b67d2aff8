//! Input rows and their aggregation into subgroups (spec §1 steps 2–3).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::SpcError;
use crate::options::{ChartType, ValueProblem};
use crate::result::XColumn;
use crate::x::{X, XKind};

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
    pub(crate) x: Option<Cow<'a, [X]>>,
    pub(crate) y: Cow<'a, [f64]>,
    pub(crate) n: Option<Cow<'a, [f64]>>,
    pub(crate) without_x: usize,
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

/// Whether every row passes [`check_values`] (missing values pass), in one branch-light pass.
fn all_valid(chart: ChartType, y: &[f64], n: Option<&[f64]>) -> bool {
    let y_ok: fn(f64) -> bool = match chart {
        ChartType::P
        | ChartType::Pp
        | ChartType::C
        | ChartType::U
        | ChartType::Up
        | ChartType::G => |v| v.is_nan() || (v.is_finite() && v >= 0.0),
        ChartType::T => |v| v.is_nan() || (v.is_finite() && v > 0.0),
        _ => |v| !v.is_infinite(),
    };
    match n {
        None => y.iter().all(|&v| y_ok(v)),
        Some(n) => {
            let proportion = matches!(chart, ChartType::P | ChartType::Pp);
            y.iter().zip(n).all(|(&v, &d)| {
                y_ok(v) && (d.is_nan() || (d.is_finite() && d >= 0.0)) && !(proportion && v > d)
            })
        }
    }
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

fn check_x_kinds(x: &[X]) -> Result<(), SpcError> {
    if let Some(first) = x.first() {
        let kind = first.kind();
        if let Some(pos) = x.iter().position(|k| k.kind() != kind) {
            return Err(SpcError::MixedX { row: pos + 1 });
        }
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
    if let Some(x) = x
        && x.len() != y.len()
    {
        return Err(SpcError::LengthMismatch {
            field: "x",
            expected: y.len(),
            found: x.len(),
        });
    }
    if let Some(n) = n
        && n.len() != y.len()
    {
        return Err(SpcError::LengthMismatch {
            field: "n",
            expected: y.len(),
            found: n.len(),
        });
    }
    check_denominators(chart, n.is_some())?;
    // One fast pass over valid data; the row-by-row check only runs to name a fault.
    if !all_valid(chart, y, n) {
        for (i, &v) in y.iter().enumerate() {
            check_values(chart, i + 1, v, n.map(|n| n[i]))?;
        }
    }
    // A key of NaN is a missing key: drop those rows (counted) as qicharts2 drops missing x.
    let mut rows_without_x = 0;
    let x = match x {
        Some(x) => {
            check_x_kinds(x)?;
            if x.iter().any(|k| matches!(k, X::Number(v) if v.is_nan())) {
                let keep: Vec<usize> = (0..x.len())
                    .filter(|&i| !matches!(x[i], X::Number(v) if v.is_nan()))
                    .collect();
                rows_without_x = x.len() - keep.len();
                let xs: Vec<X> = keep.iter().map(|&i| x[i].clone()).collect();
                let ys: Vec<f64> = keep.iter().map(|&i| y[i]).collect();
                let ns: Option<Vec<f64>> = n.map(|n| keep.iter().map(|&i| n[i]).collect());
                return Ok(Rows {
                    x: Some(Cow::Owned(xs)),
                    y: Cow::Owned(ys),
                    n: ns.map(Cow::Owned),
                    without_x: rows_without_x,
                });
            }
            Some(Cow::Borrowed(x))
        }
        None => None,
    };
    Ok(Rows {
        x,
        y: Cow::Borrowed(y),
        n: n.map(Cow::Borrowed),
        without_x: rows_without_x,
    })
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
    let mut has_n = false;
    let mut rows_without_x = 0;
    let mut kind: Option<XKind> = None;
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
                xs.push(x);
                ys.push(y);
                ns.push(obs.n.unwrap_or(f64::NAN));
            }
        }
    }
    check_denominators(chart, has_n)?;
    Ok(Rows {
        x: Some(Cow::Owned(xs)),
        y: Cow::Owned(ys),
        n: has_n.then_some(Cow::Owned(ns)),
        without_x: rows_without_x,
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
    pub(crate) n: Option<Cow<'a, [f64]>>,
    /// The number of values (xbar and s only; empty otherwise).
    pub(crate) y_len: Vec<u32>,
    /// The sample standard deviation of the values (xbar and s only; empty otherwise).
    pub(crate) y_sd: Vec<f64>,
}

fn ratio(sum: f64, n: f64) -> f64 {
    // A zero denominator gives no plotted value (qicharts2 would plot k/0 as +Inf).
    if n == 0.0 || n.is_nan() {
        f64::NAN
    } else {
        sum / n
    }
}

/// Aggregates rows into subgroups (spec §1 steps 2 and 3).
pub(crate) fn aggregate(chart: ChartType, rows: Rows<'_>) -> Subgroups<'_> {
    let Rows { x, y, n, .. } = rows;
    let sized = matches!(chart, ChartType::Xbar | ChartType::S);
    let x_kind = x
        .as_deref()
        .and_then(<[X]>::first)
        .map_or(XKind::Index, X::kind);
    let one_per_subgroup = match x.as_deref() {
        None => true,
        Some(keys) => keys.windows(2).all(|w| w[0].total_cmp(&w[1]).is_lt()),
    };
    if one_per_subgroup {
        let len = y.len();
        let x = match x {
            None => XColumn::Index(len),
            Some(keys) => XColumn::Keys(keys.into_owned()),
        };
        // Missing pairs: a row missing y or n loses both.
        let (y_sum, n) = match n {
            Some(n)
                if y.iter()
                    .zip(n.iter())
                    .any(|(a, b)| a.is_nan() != b.is_nan()) =>
            {
                let mut ys = y.into_owned();
                let mut ns = n.into_owned();
                for (a, b) in ys.iter_mut().zip(ns.iter_mut()) {
                    if a.is_nan() || b.is_nan() {
                        *a = f64::NAN;
                        *b = f64::NAN;
                    }
                }
                (Cow::Owned(ys), Some(Cow::Owned(ns)))
            }
            other => (y, other),
        };
        let plotted: Vec<f64> = match &n {
            Some(n) => y_sum
                .iter()
                .zip(n.iter())
                .map(|(&s, &d)| ratio(s, d))
                .collect(),
            None => y_sum.to_vec(),
        };
        let (y_len, y_sd) = if sized {
            (
                y_sum.iter().map(|v| u32::from(!v.is_nan())).collect(),
                vec![f64::NAN; len],
            )
        } else {
            (Vec::new(), Vec::new())
        };
        return Subgroups {
            x,
            x_kind,
            y: plotted,
            y_sum,
            n,
            y_len,
            y_sd,
        };
    }

    // Several rows per key, or keys out of order: sort row indices by key and group.
    aggregate_grouped(
        &x.unwrap_or(Cow::Owned(Vec::new())),
        &y,
        n.as_deref(),
        sized,
        x_kind,
    )
}

/// Aggregation when several rows share a key or keys are out of order: sort row indices by
/// key and group equal keys.
fn aggregate_grouped(
    keys: &[X],
    y: &[f64],
    n: Option<&[f64]>,
    sized: bool,
    x_kind: XKind,
) -> Subgroups<'static> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| keys[a].total_cmp(&keys[b]));
    let mut out_x = Vec::new();
    let mut out_y = Vec::new();
    let mut out_sum = Vec::new();
    let mut out_n = Vec::new();
    let mut out_len = Vec::new();
    let mut out_sd = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && keys[order[end]] == keys[order[start]] {
            end += 1;
        }
        let group = &order[start..end];
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
        out_x.push(keys[order[start]].clone());
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
        x: XColumn::Keys(out_x),
        x_kind,
        y: out_y,
        y_sum: Cow::Owned(out_sum),
        n: n.is_some().then_some(Cow::Owned(out_n)),
        y_len: out_len,
        y_sd: out_sd,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(x: f64, y: Option<f64>) -> Observation {
        Observation::new(x, y)
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
        assert_eq!(s.x, XColumn::Keys(vec![X::Number(1.0), X::Number(2.0)]));
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
        let n = s.n.unwrap_or_default();
        assert!(n[1].is_nan() && n[2].is_nan());
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
        let err = rows_from_slices(ChartType::P, None, &[1.0, 5.0], Some(&[2.0, 4.0])).err();
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some("row 2, y: the numerator is larger than the denominator")
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

//! A measure's monthly data for one team.

use std::collections::BTreeMap;

use qic_program::YearMonth;
use serde::{Deserialize, Serialize};

use crate::key::Key;
use crate::measure::{Measure, Unit};

/// One month of a measure: a numerator over a denominator (proportions and rates), or a value.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataPoint {
    /// The month.
    pub month: YearMonth,
    /// The numerator, count or value.
    pub numerator: f64,
    /// The denominator, for proportions and rates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<f64>,
}

impl DataPoint {
    /// The point's value before any display multiplier: numerator over denominator, or the
    /// value itself. `None` for a zero denominator.
    pub fn value(&self) -> Option<f64> {
        match self.denominator {
            Some(d) if d > 0.0 => Some(self.numerator / d),
            Some(_) => None,
            None => Some(self.numerator),
        }
    }
}

/// Why a data point cannot be used for its measure.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PointProblem {
    /// A number is negative, infinite or not a number.
    #[error("{0} must be a finite number of zero or more")]
    NotACount(&'static str),
    /// The numerator is above the denominator of a proportion.
    #[error("the numerator is above the denominator, which a proportion cannot be")]
    NumeratorAboveDenominator,
    /// The measure needs a denominator and the point has none.
    #[error("a {0} needs a denominator")]
    MissingDenominator(&'static str),
    /// The measure has no denominator and the point has one.
    #[error("a {0} has no denominator")]
    UnexpectedDenominator(&'static str),
    /// The month is already in the series.
    #[error("month {0} appears twice")]
    DuplicateMonth(YearMonth),
}

/// A measure's data for one team: one point per month, months in order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Series {
    measure: Key,
    points: Vec<DataPoint>,
}

impl Series {
    /// Builds a series, checking each point against the measure's unit.
    ///
    /// # Errors
    ///
    /// The first [`PointProblem`] found, with the index of its point in `points`.
    ///
    /// # Examples
    ///
    /// ```
    /// # use qic_pdsa::series::{DataPoint, Series};
    /// # fn measure() -> qic_pdsa::Measure { serde_json::from_str(r#"{"key":"bp","name":"Percent controlled","kind":"outcome","tier":"required",
    /// #   "definition":{"numerator":"n","denominator":"d","data_source":"EHR","frequency":"monthly"},"unit":"proportion","direction":"up"}"#).unwrap() }
    /// let m = measure();
    /// let series = Series::new(&m, vec![
    ///     DataPoint { month: "2023-02".parse()?, numerator: 60.0, denominator: Some(100.0) },
    ///     DataPoint { month: "2023-01".parse()?, numerator: 50.0, denominator: Some(100.0) },
    /// ]).map_err(|(i, p)| format!("point {i}: {p}"))?;
    /// assert_eq!(series.points()[0].month.to_string(), "2023-01");
    /// assert_eq!(series.pooled(None), Some(0.55));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(measure: &Measure, points: Vec<DataPoint>) -> Result<Self, (usize, PointProblem)> {
        let mut by_month = BTreeMap::new();
        for (i, point) in points.into_iter().enumerate() {
            check_point(measure.unit, &point).map_err(|p| (i, p))?;
            if by_month.insert(point.month, point).is_some() {
                return Err((i, PointProblem::DuplicateMonth(point.month)));
            }
        }
        Ok(Self {
            measure: measure.key.clone(),
            points: by_month.into_values().collect(),
        })
    }

    /// The measure's key.
    pub fn measure(&self) -> &Key {
        &self.measure
    }

    /// The points, months in order.
    pub fn points(&self) -> &[DataPoint] {
        &self.points
    }

    /// The point of a month, if reported.
    pub fn at(&self, month: YearMonth) -> Option<&DataPoint> {
        self.points
            .binary_search_by_key(&month, |p| p.month)
            .ok()
            .and_then(|i| self.points.get(i))
    }

    /// The pooled value over the points whose months fall in `months` (all points when
    /// `None`): total numerator over total denominator for proportions and rates, the mean for
    /// other units. `None` when no point qualifies or the denominators sum to zero.
    pub fn pooled(&self, months: Option<(YearMonth, YearMonth)>) -> Option<f64> {
        let selected = self
            .points
            .iter()
            .filter(|p| months.is_none_or(|(first, last)| (first..=last).contains(&p.month)));
        let (mut num, mut den, mut count) = (0.0, 0.0, 0_u32);
        for p in selected {
            num += p.numerator;
            den += p.denominator.unwrap_or(1.0);
            count += 1;
        }
        (count > 0 && den > 0.0).then(|| num / den)
    }
}

fn check_point(unit: Unit, point: &DataPoint) -> Result<(), PointProblem> {
    let count_like = |x: f64| x.is_finite() && x >= 0.0;
    if !point.numerator.is_finite() || (unit != Unit::Mean && point.numerator < 0.0) {
        return Err(PointProblem::NotACount("the numerator"));
    }
    match (unit.has_denominator(), point.denominator) {
        (true, None) => return Err(PointProblem::MissingDenominator(unit.label())),
        (false, Some(_)) => return Err(PointProblem::UnexpectedDenominator(unit.label())),
        (true, Some(d)) if !count_like(d) => {
            return Err(PointProblem::NotACount("the denominator"));
        }
        (true, Some(d)) if unit == Unit::Proportion && point.numerator > d => {
            return Err(PointProblem::NumeratorAboveDenominator);
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::tests::bp_control;

    fn point(month: &str, n: f64, d: Option<f64>) -> DataPoint {
        DataPoint {
            month: month.parse().unwrap(),
            numerator: n,
            denominator: d,
        }
    }

    #[test]
    fn series_sort_and_refuse_bad_points() {
        let m = bp_control();
        let s = Series::new(
            &m,
            vec![
                point("2023-03", 7.0, Some(10.0)),
                point("2023-01", 5.0, Some(10.0)),
            ],
        )
        .unwrap();
        assert_eq!(s.points()[0].month.to_string(), "2023-01");
        assert_eq!(
            s.at("2023-03".parse().unwrap()).map(|p| p.numerator),
            Some(7.0)
        );
        assert!(s.at("2023-02".parse().unwrap()).is_none());

        let twice = Series::new(
            &m,
            vec![
                point("2023-01", 1.0, Some(2.0)),
                point("2023-01", 1.0, Some(2.0)),
            ],
        );
        assert_eq!(
            twice.unwrap_err(),
            (1, PointProblem::DuplicateMonth("2023-01".parse().unwrap()))
        );
        let above = Series::new(&m, vec![point("2023-01", 3.0, Some(2.0))]);
        assert_eq!(
            above.unwrap_err().1,
            PointProblem::NumeratorAboveDenominator
        );
        let missing = Series::new(&m, vec![point("2023-01", 3.0, None)]);
        assert_eq!(
            missing.unwrap_err().1,
            PointProblem::MissingDenominator("proportion")
        );
        let negative = Series::new(&m, vec![point("2023-01", -1.0, Some(2.0))]);
        assert_eq!(
            negative.unwrap_err().1,
            PointProblem::NotACount("the numerator")
        );
    }

    #[test]
    fn pooled_values_weight_by_denominator() {
        let m = bp_control();
        let s = Series::new(
            &m,
            vec![
                point("2023-01", 1.0, Some(10.0)),
                point("2023-02", 9.0, Some(10.0)),
                point("2023-03", 0.0, Some(0.0)),
            ],
        )
        .unwrap();
        assert_eq!(s.pooled(None), Some(0.5));
        let jan = "2023-01".parse().unwrap();
        assert_eq!(s.pooled(Some((jan, jan))), Some(0.1));
        let mar = "2023-03".parse().unwrap();
        assert_eq!(s.pooled(Some((mar, mar))), None);
        assert_eq!(s.points()[2].value(), None);
    }
}

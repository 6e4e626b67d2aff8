//! Disparity metrics per period, against a reference group chosen by the caller, and the gap as
//! a series to chart.
//!
//! Disparities are computed from a [`StratifiedTable`], that is from published numbers only: a
//! group whose cell is suppressed in a period is left out of that period's comparisons and
//! composite measures (and counted in `groups_excluded`), so nothing here reveals a hidden cell.
//! Strata that are not groups (declined, unknown, missing or unmapped values) are never compared.
//!
//! Per period:
//!
//! - **Rate difference** `r_g − r_ref` for every other group, with Newcombe's hybrid score
//!   interval (method 10); the sign matters, and the reference is the second term.
//! - **Rate ratio** `r_g / r_ref` with a log-scale (Katz) interval; undefined when either rate
//!   is 0.
//! - **Index of disparity** `100 × [Σ_g |a_g − a_ref| / (J − 1)] / a_ref`, the mean absolute
//!   deviation of the other `J − 1` groups from the reference, as a percent of the reference,
//!   computed on adverse-event rates `a` (see below).
//! - **Between-group variance** `Σ_j p_j (r_j − μ)²`, with `p_j` each compared group's share of
//!   the compared population (by denominator) and `μ = Σ_j p_j r_j`; in squared rate units.
//! - **Population attributable proportion** `(a_μ − a_best) / a_μ` on adverse-event rates, where
//!   `a_best` is the lowest adverse rate among the compared groups and `a_μ` their
//!   population-weighted mean.
//!
//! Relative composite measures depend on whether events are framed as good or bad; as CDC
//! guidance advises, the index of disparity and the attributable proportion use the adverse-event
//! rate: the rate itself when lower is better, `1 − rate` when higher is better. Differences and
//! ratios are of the rates as measured.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::EquityError;
use crate::mapping::{Classified, Mapping};
use crate::period::Period;
use crate::readiness::suppression_note;
use crate::stats::{Interval, Z95, katz_ratio, newcombe_difference};
use crate::stratify::{
    Estimate, StratifiedTable, Stratifier, StratifierKind, Stratum, csv_field, opt,
};
use crate::suppression::Suppression;

/// Which way the measure improves: the caller must say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RatePolarity {
    /// A higher rate is better (e.g. screening completed).
    HigherIsBetter,
    /// A lower rate is better (e.g. readmissions).
    LowerIsBetter,
}

impl RatePolarity {
    fn adverse(self, rate: f64) -> f64 {
        match self {
            Self::HigherIsBetter => 1.0 - rate,
            Self::LowerIsBetter => rate,
        }
    }
}

/// The group every other group is compared with.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Reference {
    /// A named group (the same in every period).
    Group(Stratum),
    /// The group with the largest denominator over all periods (the same in every period).
    Largest,
    /// In each period, the group with the best rate in the measure's [`RatePolarity`], among the
    /// published groups that are not flagged unreliable (or among all published groups when
    /// every one is unreliable).
    BestRate,
}

impl Reference {
    /// Reads a reference as people write it: `largest`, `best`, or a group with one level per
    /// stratifier separated by `/` (`white`, `white/not_hispanic_or_latino`), each level in any
    /// spelling the mapping knows for its dimension (`White`, `2106-3`).
    ///
    /// # Errors
    ///
    /// [`EquityError::InvalidSetting`] when the group does not have one level per stratifier.
    ///
    /// ```
    /// use qic_equity::codes::Dimension;
    /// use qic_equity::disparity::Reference;
    /// use qic_equity::mapping::Mapping;
    /// use qic_equity::stratify::{Stratifier, Stratum};
    ///
    /// let by_race = [Stratifier::dimension(Dimension::Race, "race")];
    /// let white = Reference::parse("2106-3", &by_race, &Mapping::standard())?;
    /// assert_eq!(white, Reference::Group(Stratum::of(&["white"])));
    /// assert_eq!(Reference::parse("largest", &by_race, &Mapping::standard())?, Reference::Largest);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse(
        text: &str,
        stratifiers: &[Stratifier],
        mapping: &Mapping,
    ) -> Result<Self, EquityError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "largest" => return Ok(Self::Largest),
            "best" => return Ok(Self::BestRate),
            _ => {}
        }
        let parts: Vec<&str> = text.split('/').map(str::trim).collect();
        if parts.len() != stratifiers.len() {
            return Err(EquityError::InvalidSetting {
                setting: "reference",
                message: format!(
                    "`{text}`: give one level per stratifier, separated by `/` ({} stratifiers)",
                    stratifiers.len()
                ),
            });
        }
        let levels: Vec<String> = parts
            .iter()
            .zip(stratifiers)
            .map(|(part, s)| match s.kind {
                StratifierKind::Dimension(d) => match mapping.classify(d, part) {
                    Classified::Categories(c) if c.len() == 1 => c
                        .first()
                        .map_or_else(|| (*part).to_owned(), |c| c.code().to_owned()),
                    _ => (*part).to_owned(),
                },
                StratifierKind::Column => (*part).to_owned(),
            })
            .collect();
        let refs: Vec<&str> = levels.iter().map(String::as_str).collect();
        Ok(Self::Group(Stratum::of(&refs)))
    }
}

/// One group compared with the reference in one period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GroupComparison {
    /// The group.
    pub group: Stratum,
    /// Its rate.
    pub rate: f64,
    /// Whether its estimate is flagged unreliable.
    pub unreliable: bool,
    /// `rate − reference rate`.
    pub rate_difference: f64,
    /// Newcombe's hybrid score 95% interval of the difference.
    pub difference_interval: Option<Interval>,
    /// `rate / reference rate`; `None` when the reference rate is 0.
    pub rate_ratio: Option<f64>,
    /// The log-scale (Katz) 95% interval of the ratio; `None` when either rate is 0.
    pub ratio_interval: Option<Interval>,
}

/// The disparity measures of one period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PeriodDisparity {
    /// The period.
    pub period: Period,
    /// The reference group this period; `None` when it is suppressed or absent.
    pub reference: Option<Stratum>,
    /// The reference group's rate.
    pub reference_rate: Option<f64>,
    /// Groups compared (the reference included).
    pub groups_compared: usize,
    /// Groups with records whose cell is suppressed, left out.
    pub groups_excluded: usize,
    /// Each other group against the reference.
    pub comparisons: Vec<GroupComparison>,
    /// The index of disparity, in percent (adverse-event rates, `J − 1` convention).
    pub index_of_disparity: Option<f64>,
    /// The between-group variance (squared rate units).
    pub between_group_variance: Option<f64>,
    /// The population attributable proportion (adverse-event rates).
    pub population_attributable_proportion: Option<f64>,
}

/// One point of a gap series.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GapPoint {
    /// The period.
    pub period: Period,
    /// The rate difference, group minus reference.
    pub value: f64,
}

/// A group's gap to the reference over time: the rate difference per period, only for periods
/// where both are published. Plain (period, value) pairs, ready for a run or control chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GapSeries {
    /// The group.
    pub group: Stratum,
    /// One point per period with a comparison, in period order.
    pub points: Vec<GapPoint>,
}

impl GapSeries {
    /// The points as `(period, value)` pairs.
    pub fn values(&self) -> Vec<(Period, f64)> {
        self.points.iter().map(|p| (p.period, p.value)).collect()
    }
}

/// Disparities of a stratified measure, per period, and the gap series.
///
/// ```
/// use qic_equity::codes::Dimension;
/// use qic_equity::disparity::{RatePolarity, DisparityReport, Reference};
/// use qic_equity::period::Period;
/// use qic_equity::stratify::{Counts, StratifiedCounts, Stratifier, Stratum};
/// use qic_equity::suppression::{Reliability, Suppression};
///
/// let mut counts = StratifiedCounts::new(vec![Stratifier::dimension(Dimension::Race, "race")]);
/// let jan = Period::new(2024, 1).unwrap();
/// counts.add_counts(jan, Stratum::of(&["white"]), Counts::new(490, 700)?)?;
/// counts.add_counts(jan, Stratum::of(&["black_or_african_american"]), Counts::new(480, 800)?)?;
/// let table = counts.table(&Suppression::default(), &Reliability::default());
/// let report = DisparityReport::new(&table, &Reference::Largest, RatePolarity::HigherIsBetter)?;
/// let gap = &report.periods[0].comparisons[0];
/// assert!((gap.rate_difference - 0.1).abs() < 1e-9); // white 70% against the reference (800) at 60%
/// assert_eq!(report.gaps[0].values().len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DisparityReport {
    /// The stratifiers of the groups.
    pub stratifiers: Vec<Stratifier>,
    /// How the reference group was chosen.
    pub reference: Reference,
    /// Which way the measure improves.
    pub direction: RatePolarity,
    /// The suppression the underlying table applied.
    pub suppression: Suppression,
    /// One entry per period.
    pub periods: Vec<PeriodDisparity>,
    /// The gap series of every group ever compared, in group order.
    pub gaps: Vec<GapSeries>,
}

struct Group<'a> {
    stratum: &'a Stratum,
    numerator: u64,
    denominator: u64,
    rate: f64,
    unreliable: bool,
}

impl DisparityReport {
    /// Computes the disparities of `table` against `reference`.
    ///
    /// # Errors
    ///
    /// [`EquityError::UnknownReference`] when a named reference group is not among the table's
    /// strata, or is not a group (e.g. `unknown`).
    pub fn new(
        table: &StratifiedTable,
        reference: &Reference,
        direction: RatePolarity,
    ) -> Result<Self, EquityError> {
        let fixed: Option<&Stratum> = match reference {
            Reference::Group(g) => {
                let known = table.stratum_totals.iter().any(|s| &s.stratum == g);
                if !known || !g.is_group() {
                    return Err(EquityError::UnknownReference {
                        group: g.to_string(),
                    });
                }
                Some(g)
            }
            Reference::Largest => table
                .stratum_totals
                .iter()
                .filter(|s| s.stratum.is_group())
                .filter_map(|s| s.estimate.denominator.map(|d| (d, &s.stratum)))
                .fold(None, |best: Option<(u64, &Stratum)>, (d, s)| match best {
                    Some((bd, _)) if bd >= d => best,
                    _ => Some((d, s)),
                })
                .map(|(_, s)| s),
            Reference::BestRate => None,
        };

        let mut by_period: BTreeMap<Period, Vec<(&Stratum, &Estimate)>> = BTreeMap::new();
        for c in &table.cells {
            by_period
                .entry(c.period)
                .or_default()
                .push((&c.stratum, &c.estimate));
        }
        let mut periods = Vec::new();
        let mut gaps: BTreeMap<Stratum, Vec<GapPoint>> = BTreeMap::new();
        for (period, cells) in by_period {
            let groups: Vec<Group<'_>> = cells
                .iter()
                .filter(|(s, _)| s.is_group())
                .filter_map(|(s, e)| match (e.numerator, e.denominator, e.rate) {
                    (Some(numerator), Some(denominator), Some(rate)) if denominator > 0 => {
                        Some(Group {
                            stratum: s,
                            numerator,
                            denominator,
                            rate,
                            unreliable: e.unreliable,
                        })
                    }
                    _ => None,
                })
                .collect();
            let excluded = cells
                .iter()
                .filter(|(s, e)| s.is_group() && e.suppressed)
                .count();
            let reference_group = match fixed {
                Some(r) => groups.iter().find(|g| g.stratum == r),
                None if matches!(reference, Reference::BestRate) => best_group(&groups, direction),
                None => None,
            };
            let pd = period_disparity(period, &groups, reference_group, excluded, direction);
            for c in &pd.comparisons {
                gaps.entry(c.group.clone()).or_default().push(GapPoint {
                    period,
                    value: c.rate_difference,
                });
            }
            periods.push(pd);
        }
        Ok(Self {
            stratifiers: table.stratifiers.clone(),
            reference: reference.clone(),
            direction,
            suppression: table.suppression,
            periods,
            gaps: gaps
                .into_iter()
                .map(|(group, points)| GapSeries { group, points })
                .collect(),
        })
    }

    /// The comparisons as CSV, one line per period and compared group, as `qic equity
    /// disparity --format csv` writes them: `period, reference, group, rate, rate_difference,
    /// difference_lower, difference_upper, rate_ratio, ratio_lower, ratio_upper, unreliable`
    /// (empty where a value is undefined).
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "period,reference,group,rate,rate_difference,difference_lower,difference_upper,rate_ratio,ratio_lower,ratio_upper,unreliable\n",
        );
        for p in &self.periods {
            let reference = p
                .reference
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            for c in &p.comparisons {
                let _ = writeln!(
                    out,
                    "{},{},{},{},{},{},{},{},{},{},{}",
                    p.period,
                    csv_field(&reference),
                    csv_field(&c.group.to_string()),
                    c.rate,
                    c.rate_difference,
                    opt(c.difference_interval.map(|i| i.lower)),
                    opt(c.difference_interval.map(|i| i.upper)),
                    opt(c.rate_ratio),
                    opt(c.ratio_interval.map(|i| i.lower)),
                    opt(c.ratio_interval.map(|i| i.upper)),
                    c.unreliable
                );
            }
        }
        out
    }

    /// The report for people: per period, the reference, each group's gap and the composite
    /// measures.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let direction = match self.direction {
            RatePolarity::HigherIsBetter => "higher is better",
            RatePolarity::LowerIsBetter => "lower is better",
        };
        let reference = match &self.reference {
            Reference::Group(g) => g.label(&self.stratifiers),
            Reference::Largest => "the largest group".to_owned(),
            Reference::BestRate => "the best rate in each period".to_owned(),
        };
        let _ = writeln!(
            out,
            "Disparities against {reference} ({direction}; {})",
            suppression_note(&self.suppression)
        );
        let pct = |v: f64| format!("{:+.1} pts", v * 100.0);
        for p in &self.periods {
            let _ = write!(out, "\n{}", p.period);
            match (&p.reference, p.reference_rate) {
                (Some(r), Some(rate)) => {
                    let _ = writeln!(
                        out,
                        ": reference {} at {:.1}%",
                        r.label(&self.stratifiers),
                        rate * 100.0
                    );
                }
                _ => {
                    let _ = writeln!(out, ": reference not published this period");
                }
            }
            for c in &p.comparisons {
                let ci = c.difference_interval.map_or_else(String::new, |i| {
                    format!(" ({} to {})", pct(i.lower), pct(i.upper))
                });
                let ratio = c
                    .rate_ratio
                    .map_or_else(|| "-".to_owned(), |r| format!("{r:.2}"));
                let _ = writeln!(
                    out,
                    "  {:<40} {:>6.1}%{} difference {}{ci}, ratio {ratio}",
                    c.group.label(&self.stratifiers),
                    c.rate * 100.0,
                    if c.unreliable { "*" } else { " " },
                    pct(c.rate_difference),
                );
            }
            let num = |v: Option<f64>, digits: usize| {
                v.map_or_else(|| "-".to_owned(), |v| format!("{v:.digits$}"))
            };
            let _ = writeln!(
                out,
                "  groups compared {}, excluded (suppressed) {}; index of disparity {}%, between-group variance {}, attributable proportion {}",
                p.groups_compared,
                p.groups_excluded,
                num(p.index_of_disparity, 1),
                num(p.between_group_variance, 5),
                num(p.population_attributable_proportion, 3),
            );
        }
        out
    }
}

fn best_group<'a, 'b>(groups: &'b [Group<'a>], direction: RatePolarity) -> Option<&'b Group<'a>> {
    let reliable: Vec<&Group<'a>> = groups.iter().filter(|g| !g.unreliable).collect();
    let pool: Vec<&Group<'a>> = if reliable.is_empty() {
        groups.iter().collect()
    } else {
        reliable
    };
    pool.into_iter()
        .fold(None, |best: Option<&Group<'a>>, g| match best {
            Some(b) if direction.adverse(b.rate) <= direction.adverse(g.rate) => Some(b),
            _ => Some(g),
        })
}

fn period_disparity(
    period: Period,
    groups: &[Group<'_>],
    reference: Option<&Group<'_>>,
    excluded: usize,
    direction: RatePolarity,
) -> PeriodDisparity {
    let Some(reference) = reference else {
        return PeriodDisparity {
            period,
            reference: None,
            reference_rate: None,
            groups_compared: 0,
            groups_excluded: excluded,
            comparisons: Vec::new(),
            index_of_disparity: None,
            between_group_variance: None,
            population_attributable_proportion: None,
        };
    };
    let others: Vec<&Group<'_>> = groups
        .iter()
        .filter(|g| g.stratum != reference.stratum)
        .collect();
    let comparisons = others
        .iter()
        .map(|g| GroupComparison {
            group: g.stratum.clone(),
            rate: g.rate,
            unreliable: g.unreliable,
            rate_difference: g.rate - reference.rate,
            difference_interval: newcombe_difference(
                g.numerator,
                g.denominator,
                reference.numerator,
                reference.denominator,
                Z95,
            ),
            rate_ratio: (reference.rate > 0.0).then(|| g.rate / reference.rate),
            ratio_interval: katz_ratio(
                g.numerator,
                g.denominator,
                reference.numerator,
                reference.denominator,
                Z95,
            ),
        })
        .collect();

    let adverse_ref = direction.adverse(reference.rate);
    let index_of_disparity = (!others.is_empty() && adverse_ref > 0.0).then(|| {
        let mean_abs = others
            .iter()
            .map(|g| (direction.adverse(g.rate) - adverse_ref).abs())
            .sum::<f64>()
            / others.len() as f64;
        100.0 * mean_abs / adverse_ref
    });
    let population: u64 = groups.iter().map(|g| g.denominator).sum();
    let (between_group_variance, population_attributable_proportion) = if population > 0 {
        let share = |g: &Group<'_>| g.denominator as f64 / population as f64;
        let mean: f64 = groups.iter().map(|g| share(g) * g.rate).sum();
        let bgv = groups
            .iter()
            .map(|g| share(g) * (g.rate - mean).powi(2))
            .sum();
        let adverse_mean = direction.adverse(mean);
        let adverse_best = groups
            .iter()
            .map(|g| direction.adverse(g.rate))
            .fold(f64::INFINITY, f64::min);
        let pap = (adverse_mean > 0.0).then(|| (adverse_mean - adverse_best) / adverse_mean);
        (Some(bgv), pap)
    } else {
        (None, None)
    };
    PeriodDisparity {
        period,
        reference: Some(reference.stratum.clone()),
        reference_rate: Some(reference.rate),
        groups_compared: groups.len(),
        groups_excluded: excluded,
        comparisons,
        index_of_disparity,
        between_group_variance,
        population_attributable_proportion,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Dimension;
    use crate::stratify::{Counts, StratifiedCounts};
    use crate::suppression::Reliability;

    fn table(cells: &[(u32, &str, u64, u64)], suppression: &Suppression) -> StratifiedTable {
        let mut c = StratifiedCounts::new(vec![Stratifier::dimension(Dimension::Race, "race")]);
        for (m, s, n, d) in cells {
            c.add_counts(
                Period::new(2024, *m).unwrap(),
                Stratum::of(&[s]),
                Counts::new(*n, *d).unwrap(),
            )
            .unwrap();
        }
        c.table(suppression, &Reliability::default())
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "{a} vs {b}");
    }

    #[test]
    fn worked_example_lower_is_better() {
        // Rates: A 0.10 (n 1000), B 0.20 (n 500), C 0.30 (n 500); reference A (named).
        let t = table(
            &[(1, "a", 100, 1000), (1, "b", 100, 500), (1, "c", 150, 500)],
            &Suppression::default(),
        );
        let r = DisparityReport::new(
            &t,
            &Reference::Group(Stratum::of(&["a"])),
            RatePolarity::LowerIsBetter,
        )
        .unwrap();
        let p = &r.periods[0];
        assert_eq!(p.groups_compared, 3);
        close(p.comparisons[0].rate_difference, 0.10);
        close(p.comparisons[1].rate_ratio.unwrap(), 3.0);
        // IDisp = 100 * ((0.1 + 0.2) / 2) / 0.1 = 150.
        close(p.index_of_disparity.unwrap(), 150.0);
        // mu = 0.5*0.1 + 0.25*0.2 + 0.25*0.3 = 0.175;
        // BGV = 0.5*0.075^2 + 0.25*0.025^2 + 0.25*0.125^2 = 0.0068750.
        close(p.between_group_variance.unwrap(), 0.006_875);
        // PAP = (0.175 - 0.1) / 0.175.
        close(p.population_attributable_proportion.unwrap(), 0.075 / 0.175);
        let ci = p.comparisons[0].difference_interval.unwrap();
        assert!(ci.contains(0.10) && ci.lower > 0.0);
    }

    #[test]
    fn higher_is_better_uses_adverse_rates_for_relative_composites() {
        // Screening: A 0.9, B 0.6. Adverse: A 0.1, B 0.4. Best = A.
        let t = table(
            &[(1, "a", 900, 1000), (1, "b", 300, 500)],
            &Suppression::default(),
        );
        let r =
            DisparityReport::new(&t, &Reference::BestRate, RatePolarity::HigherIsBetter).unwrap();
        let p = &r.periods[0];
        assert_eq!(p.reference, Some(Stratum::of(&["a"])));
        close(p.comparisons[0].rate_difference, -0.3);
        // IDisp on adverse rates: 100 * |0.4 - 0.1| / 0.1 = 300.
        close(p.index_of_disparity.unwrap(), 300.0);
        // mu = (900 + 300) / 1500 = 0.8, adverse 0.2; PAP = (0.2 - 0.1) / 0.2 = 0.5.
        close(p.population_attributable_proportion.unwrap(), 0.5);
    }

    #[test]
    fn suppressed_groups_are_left_out_and_counted() {
        let t = table(
            &[
                (1, "a", 100, 1000),
                (1, "b", 3, 8),
                (1, "c", 150, 500),
                (1, "unknown", 40, 200),
            ],
            &Suppression::default(),
        );
        let r = DisparityReport::new(&t, &Reference::Largest, RatePolarity::LowerIsBetter).unwrap();
        let p = &r.periods[0];
        assert_eq!(p.reference, Some(Stratum::of(&["a"])));
        // b is primary-suppressed; its complement is the smallest other cell in the row.
        assert!(p.groups_excluded >= 1);
        assert!(p.comparisons.iter().all(|c| c.group != Stratum::of(&["b"])));
        assert!(p.comparisons.iter().all(|c| c.group.is_group()));
    }

    #[test]
    fn unknown_reference_is_an_error_and_gap_series_follow_periods() {
        let t = table(
            &[
                (1, "a", 100, 1000),
                (1, "b", 150, 500),
                (2, "a", 120, 1000),
                (2, "b", 140, 500),
            ],
            &Suppression::default(),
        );
        let err = DisparityReport::new(
            &t,
            &Reference::Group(Stratum::of(&["zzz"])),
            RatePolarity::LowerIsBetter,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the reference group `zzz` is not among the strata"
        );
        let r = DisparityReport::new(
            &t,
            &Reference::Group(Stratum::of(&["a"])),
            RatePolarity::LowerIsBetter,
        )
        .unwrap();
        let gap = r.gaps[0].values();
        assert_eq!(gap.len(), 2);
        close(gap[0].1, 0.2);
        close(gap[1].1, 0.16);
    }
}

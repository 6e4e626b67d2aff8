//! Aims: how much, by when, for whom; and progress toward them, computed from the data.
//!
//! An aim names a measure, a goal and a date ("some is not a number, soon is not a time"). A
//! level aim asks the measure to reach a target, for everyone or for one stratum (e.g. patients
//! whose preferred language is Spanish). An equity aim asks that the gap between a group and a
//! reference group shrink to at most a given size. Progress is never typed in: it is computed
//! from the team's data, comparing a baseline (the first months) with the latest months.

use chrono::NaiveDate;
use qic_program::YearMonth;
use serde::{Deserialize, Serialize};

use crate::key::Key;
use crate::measure::{Measure, Polarity};
use crate::series::Series;

/// Whom an aim is for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Population {
    /// Everyone the measure counts.
    #[default]
    #[serde(with = "all")]
    All,
    /// One group of an equity dimension.
    Stratum {
        /// The dimension (e.g. `race_ethnicity`).
        dimension: String,
        /// The group (e.g. "Black or African American").
        group: String,
    },
}

/// `Population::All` is written as the string "all".
mod all {
    use serde::{Deserialize, Deserializer, Serializer, de};

    pub(super) fn serialize<S: Serializer>(serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("all")
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
        let text = String::deserialize(deserializer)?;
        if text == "all" {
            Ok(())
        } else {
            Err(de::Error::invalid_value(
                de::Unexpected::Str(&text),
                &"\"all\"",
            ))
        }
    }
}

/// What the aim asks for, in the measure's displayed units (after its multiplier).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Goal {
    /// Reach `target` (at or above it when higher is better, at or below when lower is).
    Reach {
        /// The level to reach.
        target: f64,
    },
    /// Shrink the gap between `group` and `reference` on `dimension` to at most `to`, where the
    /// gap is how much worse the group is than the reference.
    CloseGap {
        /// The equity dimension.
        dimension: String,
        /// The group with the worse results.
        group: String,
        /// The group it is compared with.
        reference: String,
        /// The largest gap that meets the aim.
        to: f64,
    },
}

/// An aim of a team.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aim {
    /// The aim's key.
    pub key: Key,
    /// The aim in words.
    pub statement: String,
    /// The measure it is judged on.
    pub measure: Key,
    /// Whom it is for (level aims; an equity aim names its groups in its goal).
    #[serde(default)]
    pub population: Population,
    /// What it asks for.
    pub goal: Goal,
    /// By when.
    #[serde(with = "qic_program::serde_date")]
    pub by: NaiveDate,
    /// How many of the first months of data form the baseline (default 3).
    #[serde(default = "default_window", skip_serializing_if = "is_default_window")]
    pub baseline_months: u32,
}

const fn default_window() -> u32 {
    3
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
const fn is_default_window(months: &u32) -> bool {
    *months == default_window()
}

/// The data an aim is judged on.
#[derive(Clone, Copy, Debug)]
pub enum AimData<'a> {
    /// A level aim's series (the whole population, or the aim's stratum).
    Level(&'a Series),
    /// An equity aim's two series.
    Gap {
        /// The group's series.
        group: &'a Series,
        /// The reference group's series.
        reference: &'a Series,
    },
}

/// Where an aim stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AimStatus {
    /// The latest months meet the goal.
    Met,
    /// Not met yet, and the date has not passed.
    InProgress,
    /// Not met, and the date has passed: the aim was missed.
    NotMet,
    /// Too little data to say.
    NoData,
}

/// Progress toward an aim.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AimProgress {
    /// The aim.
    pub aim: Key,
    /// The baseline: the level (or gap) over the first months of data.
    pub baseline: Option<f64>,
    /// The level (or gap) over the latest months.
    pub current: Option<f64>,
    /// The target level, or the largest gap that meets the aim.
    pub target: f64,
    /// How far from baseline to target the data have moved: 0 at baseline, 1 at the target,
    /// negative when things got worse.
    pub share_of_the_way: Option<f64>,
    /// Where the aim stands.
    pub status: AimStatus,
}

/// Why progress toward an aim cannot be computed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AimError {
    /// The aim names another measure than the data.
    #[error("aim `{aim}` is judged on measure `{expected}`, but the data are of `{found}`")]
    WrongMeasure {
        /// The aim.
        aim: Key,
        /// The aim's measure.
        expected: Key,
        /// The data's measure.
        found: Key,
    },
    /// A level aim was given two series, or an equity aim one.
    #[error("aim `{0}` needs {1}")]
    WrongData(Key, &'static str),
    /// The baseline window is empty.
    #[error("aim `{0}`: baseline_months must be at least 1")]
    EmptyBaseline(Key),
}

/// Months in the "current" window: the latest quarter, long enough to damp one odd month.
const CURRENT_MONTHS: u32 = 3;

impl Aim {
    /// Computes progress from the data as of `as_of` (which decides whether an unmet aim is
    /// still in progress or was not met by its date).
    ///
    /// The baseline pools the first `baseline_months` months with data; the current value
    /// pools the latest three. For an equity aim both are gaps: how much worse the group is
    /// than the reference, in the measure's direction.
    ///
    /// # Errors
    ///
    /// [`AimError`] when the data do not fit the aim (another measure, the wrong shape).
    pub fn progress(
        &self,
        measure: &Measure,
        data: AimData<'_>,
        as_of: NaiveDate,
    ) -> Result<AimProgress, AimError> {
        if self.baseline_months == 0 {
            return Err(AimError::EmptyBaseline(self.key.clone()));
        }
        let scale = measure.multiplier;
        let (baseline, current, target, lower_is_better) = match (&self.goal, data) {
            (Goal::Reach { target }, AimData::Level(series)) => {
                self.check_measure(measure, series)?;
                let b = self.baseline_of(series).map(|v| v * scale);
                let c = current_of(series).map(|v| v * scale);
                (b, c, *target, measure.direction == Polarity::Down)
            }
            (Goal::CloseGap { to, .. }, AimData::Gap { group, reference }) => {
                self.check_measure(measure, group)?;
                self.check_measure(measure, reference)?;
                let gap = |g: Option<f64>, r: Option<f64>| {
                    g.zip(r)
                        .map(|(g, r)| (r - g) * measure.direction.sign() * scale)
                };
                let b = gap(self.baseline_of(group), self.baseline_of(reference));
                let c = gap(current_of(group), current_of(reference));
                (b, c, *to, true)
            }
            (Goal::Reach { .. }, AimData::Gap { .. }) => {
                return Err(AimError::WrongData(self.key.clone(), "one series"));
            }
            (Goal::CloseGap { .. }, AimData::Level(_)) => {
                return Err(AimError::WrongData(
                    self.key.clone(),
                    "the group's and the reference group's series",
                ));
            }
        };
        let met = current.map(|c| {
            if lower_is_better {
                c <= target
            } else {
                c >= target
            }
        });
        let status = match met {
            None => AimStatus::NoData,
            Some(true) => AimStatus::Met,
            Some(false) if as_of > self.by => AimStatus::NotMet,
            Some(false) => AimStatus::InProgress,
        };
        let share_of_the_way = baseline.zip(current).and_then(|(b, c)| {
            let span = target - b;
            (span.abs() > f64::EPSILON).then(|| (c - b) / span)
        });
        Ok(AimProgress {
            aim: self.key.clone(),
            baseline,
            current,
            target,
            share_of_the_way,
            status,
        })
    }

    fn check_measure(&self, measure: &Measure, series: &Series) -> Result<(), AimError> {
        if self.measure != measure.key || series.measure() != &measure.key {
            let found = if series.measure() == &measure.key {
                measure.key.clone()
            } else {
                series.measure().clone()
            };
            return Err(AimError::WrongMeasure {
                aim: self.key.clone(),
                expected: self.measure.clone(),
                found,
            });
        }
        Ok(())
    }

    /// The months progress pools from a series: the baseline window (the first
    /// `baseline_months` months from the first month with data) and the current window (the
    /// months of the latest three points), each as first and last month. `None` for an empty
    /// series.
    ///
    /// A report that hides small cells uses this to check every month an aim's figures rest on.
    pub fn windows(&self, series: &Series) -> Option<[(YearMonth, YearMonth); 2]> {
        let first = series.points().first()?.month;
        let baseline = (first, shift(first, self.baseline_months.saturating_sub(1)));
        Some([baseline, current_window(series)?])
    }

    fn baseline_of(&self, series: &Series) -> Option<f64> {
        let [baseline, _] = self.windows(series)?;
        series.pooled(Some(baseline))
    }
}

/// The months of the latest three points.
fn current_window(series: &Series) -> Option<(YearMonth, YearMonth)> {
    let points = series.points();
    let last = points.last()?.month;
    let first = points
        .get(points.len().saturating_sub(CURRENT_MONTHS as usize))
        .map_or(last, |p| p.month);
    Some((first, last))
}

fn current_of(series: &Series) -> Option<f64> {
    series.pooled(Some(current_window(series)?))
}

fn shift(month: YearMonth, by: u32) -> YearMonth {
    (0..by).fold(month, |m, _| m.next())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::tests::bp_control;
    use crate::series::DataPoint;

    fn series(m: &Measure, rates: &[f64]) -> Series {
        let mut month: YearMonth = "2023-01".parse().unwrap();
        let points = rates
            .iter()
            .map(|&r| {
                let p = DataPoint {
                    month,
                    numerator: r * 100.0,
                    denominator: Some(100.0),
                };
                month = month.next();
                p
            })
            .collect();
        Series::new(m, points).unwrap()
    }

    fn aim(goal: Goal) -> Aim {
        Aim {
            key: Key::new("aim-1").unwrap(),
            statement: "Raise control to 75% by June 2024".into(),
            measure: Key::new("bp-control").unwrap(),
            population: Population::All,
            goal,
            by: "2024-06-30".parse().unwrap(),
            baseline_months: 3,
        }
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn level_aim_progress_is_computed_from_baseline_and_latest_quarter() {
        let m = bp_control();
        let s = series(&m, &[0.50, 0.55, 0.60, 0.62, 0.66, 0.70, 0.68, 0.70, 0.72]);
        let p = aim(Goal::Reach { target: 75.0 })
            .progress(&m, AimData::Level(&s), "2023-10-01".parse().unwrap())
            .unwrap();
        assert!(close(p.baseline, 55.0));
        assert!(close(p.current, 70.0));
        assert!(close(p.share_of_the_way, 0.75));
        assert_eq!(p.status, AimStatus::InProgress);

        let late = aim(Goal::Reach { target: 75.0 })
            .progress(&m, AimData::Level(&s), "2024-07-01".parse().unwrap())
            .unwrap();
        assert_eq!(late.status, AimStatus::NotMet);
        let met = aim(Goal::Reach { target: 70.0 })
            .progress(&m, AimData::Level(&s), "2024-07-01".parse().unwrap())
            .unwrap();
        assert_eq!(met.status, AimStatus::Met);
    }

    #[test]
    fn windows_are_the_baseline_months_and_the_latest_quarter() {
        let m = bp_control();
        let s = series(&m, &[0.50, 0.55, 0.60, 0.62, 0.66, 0.70, 0.68]);
        let month = |t: &str| t.parse::<YearMonth>().unwrap();
        assert_eq!(
            aim(Goal::Reach { target: 75.0 }).windows(&s),
            Some([
                (month("2023-01"), month("2023-03")),
                (month("2023-05"), month("2023-07"))
            ])
        );
        let empty = Series::new(&m, vec![]).unwrap();
        assert_eq!(aim(Goal::Reach { target: 75.0 }).windows(&empty), None);
    }

    #[test]
    fn equity_aim_tracks_the_gap_in_the_measure_direction() {
        let m = bp_control();
        let group = series(&m, &[0.40, 0.40, 0.40, 0.50, 0.55, 0.60]);
        let reference = series(&m, &[0.60, 0.60, 0.60, 0.62, 0.64, 0.66]);
        let goal = Goal::CloseGap {
            dimension: "race_ethnicity".into(),
            group: "Black or African American".into(),
            reference: "White".into(),
            to: 5.0,
        };
        let p = aim(goal)
            .progress(
                &m,
                AimData::Gap {
                    group: &group,
                    reference: &reference,
                },
                "2023-07-01".parse().unwrap(),
            )
            .unwrap();
        assert!(close(p.baseline, 20.0));
        assert!(close(p.current, 9.0));
        assert!(close(p.share_of_the_way, 11.0 / 15.0));
        assert_eq!(p.status, AimStatus::InProgress);
    }

    #[test]
    fn data_of_the_wrong_shape_or_measure_is_an_error() {
        let m = bp_control();
        let s = series(&m, &[0.5]);
        let reach = aim(Goal::Reach { target: 75.0 });
        let err = reach
            .progress(
                &m,
                AimData::Gap {
                    group: &s,
                    reference: &s,
                },
                "2023-01-01".parse().unwrap(),
            )
            .unwrap_err();
        assert!(matches!(err, AimError::WrongData(..)));
        let mut other = m.clone();
        other.key = Key::new("other").unwrap();
        let err = reach
            .progress(&other, AimData::Level(&s), "2023-01-01".parse().unwrap())
            .unwrap_err();
        assert!(matches!(err, AimError::WrongMeasure { .. }));
    }

    #[test]
    fn aims_read_from_toml_and_need_a_date() {
        let text = r#"
            key = "gap"
            statement = "Close the gap in blood pressure control to 5 points by June 2024"
            measure = "bp-control"
            goal = { kind = "close_gap", dimension = "race_ethnicity", group = "Black or African American", reference = "White", to = 5.0 }
            by = 2024-06-30
        "#;
        let aim: Aim = toml::from_str(text).unwrap();
        assert_eq!(aim.population, Population::All);
        let without_date = text.replace("by = 2024-06-30", "");
        let err = toml::from_str::<Aim>(&without_date)
            .unwrap_err()
            .to_string();
        assert!(err.contains("missing field `by`"), "{err}");
        let stratum: Aim = toml::from_str(&text.replace(
            "measure = \"bp-control\"",
            "measure = \"bp-control\"\npopulation = { dimension = \"language\", group = \"Spanish\" }",
        ))
        .unwrap();
        assert!(matches!(stratum.population, Population::Stratum { .. }));
    }
}

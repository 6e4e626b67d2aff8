//! Measures: how a team knows that a change is an improvement.
//!
//! A measure has a kind (outcome, process or balancing), an operational definition precise
//! enough that two people collecting it get the same number, a unit, the direction that counts as
//! better, an optional target and the strata it is reported by. In a collaborative a measure is
//! required by the program, chosen by a team from the program's menu, or defined by the team:
//! the three tiers IHI's collaboratives used.

use serde::{Deserialize, Serialize};

use crate::key::Key;

/// Outcome, process or balancing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    /// How the system performs for patients: linked to the aim's numeric goal.
    Outcome,
    /// Whether the steps of the system work as planned.
    Process,
    /// Whether a change causes problems elsewhere in the system.
    Balancing,
}

impl MeasureKind {
    /// A human label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Outcome => "outcome",
            Self::Process => "process",
            Self::Balancing => "balancing",
        }
    }
}

/// What one data point of the measure is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Numerator over denominator where each counted unit either meets the criterion or not
    /// (percent of patients with controlled blood pressure). Charted on a p chart.
    Proportion,
    /// Events over an area of opportunity (falls per 1,000 patient days). Charted on a u chart.
    Rate,
    /// A count of events with a constant area of opportunity. Charted on a c chart.
    Count,
    /// A measured value per period (average days to third next available appointment).
    /// Charted on an individuals (i) chart.
    Mean,
    /// Time between rare events, e.g. days between falls. Charted on a t chart.
    TimeBetweenEvents,
    /// Cases or opportunities between rare events, e.g. surgeries between infections. Charted
    /// on a g chart.
    CasesBetweenEvents,
}

impl Unit {
    /// Whether data points of this unit carry a denominator.
    pub const fn has_denominator(self) -> bool {
        matches!(self, Self::Proportion | Self::Rate)
    }

    /// A human label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Proportion => "proportion",
            Self::Rate => "rate",
            Self::Count => "count",
            Self::Mean => "mean",
            Self::TimeBetweenEvents => "time between events",
            Self::CasesBetweenEvents => "cases between events",
        }
    }
}

/// Which way is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// Higher is better (e.g. percent controlled).
    Up,
    /// Lower is better (e.g. readmissions).
    Down,
}

impl Polarity {
    /// +1 for up, -1 for down: multiply a change by this to get "improvement is positive".
    pub const fn sign(self) -> f64 {
        match self {
            Self::Up => 1.0,
            Self::Down => -1.0,
        }
    }

    /// Whether `later` is better than `earlier` in this direction.
    pub fn is_better(self, later: f64, earlier: f64) -> bool {
        (later - earlier) * self.sign() > 0.0
    }
}

/// How often the measure is collected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Once a week.
    Weekly,
    /// Once a month (the collaboratives' usual rhythm).
    Monthly,
    /// Once a quarter.
    Quarterly,
}

/// Who decided that a team tracks the measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Every team reports it; the program charts it for all teams side by side.
    Required,
    /// Chosen by the team from the program's menu of measures.
    Menu,
    /// Defined by the team for its own project.
    TeamDefined,
}

/// The operational definition: what is counted, over what, who is in and out, and where the
/// data come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationalDefinition {
    /// What is counted (the numerator, or the value measured).
    pub numerator: String,
    /// What it is counted over, for proportions and rates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<String>,
    /// Who or what is included.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inclusions: Vec<String>,
    /// Who or what is excluded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusions: Vec<String>,
    /// Where the data come from (registry, EHR report, chart review...).
    pub data_source: String,
    /// How often it is collected.
    pub frequency: Frequency,
}

/// A measure in a collaborative's or a team's family of measures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// The key other files use to refer to the measure.
    pub key: Key,
    /// Name, by convention beginning "percent of", "number of" or "rate of".
    pub name: String,
    /// Outcome, process or balancing.
    pub kind: MeasureKind,
    /// Who decided the measure is tracked.
    pub tier: Tier,
    /// The operational definition.
    pub definition: OperationalDefinition,
    /// What one data point is; picks the chart.
    pub unit: Unit,
    /// Multiplier for display: 100 shows a proportion as a percent, 1000 a rate per 1,000.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub multiplier: f64,
    /// Which way is better.
    pub direction: Polarity,
    /// The goal, in displayed units (after the multiplier), if there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    /// Equity dimensions the measure is stratified by (e.g. `race_ethnicity`, `language`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub strata: Vec<String>,
    /// What a value of a mean, or a time or cases between events, is counted in (`days`,
    /// `minutes`): the charts' y axis says it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_label: Option<String>,
}

fn one() -> f64 {
    1.0
}

// Exact comparison is right here: the default is written as the literal 1.0.
#[allow(clippy::float_cmp, clippy::trivially_copy_pass_by_ref)]
fn is_one(x: &f64) -> bool {
    *x == 1.0
}

impl Measure {
    /// Checks what serde cannot: a denominator is defined exactly when the unit needs one, the
    /// multiplier is positive and finite, the target is finite, strata are not repeated.
    ///
    /// # Errors
    ///
    /// [`MeasureProblem`] naming the field at fault.
    pub fn validate(&self) -> Result<(), MeasureProblem> {
        let problem = |field: &'static str, message: String| MeasureProblem {
            measure: self.key.clone(),
            field,
            message,
        };
        if self.name.trim().is_empty() {
            return Err(problem("name", "a measure needs a name".into()));
        }
        if self.unit.has_denominator() && self.definition.denominator.is_none() {
            return Err(problem(
                "definition.denominator",
                format!(
                    "a {} needs a denominator in its definition",
                    self.unit.label()
                ),
            ));
        }
        if !self.unit.has_denominator() && self.definition.denominator.is_some() {
            return Err(problem(
                "definition.denominator",
                format!(
                    "a {} has no denominator; use unit = \"proportion\" or \"rate\" for a ratio",
                    self.unit.label()
                ),
            ));
        }
        if !(self.multiplier.is_finite() && self.multiplier > 0.0) {
            return Err(problem(
                "multiplier",
                "the multiplier must be a positive number".into(),
            ));
        }
        if self.target.is_some_and(|t| !t.is_finite()) {
            return Err(problem(
                "target",
                "the target must be a finite number".into(),
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        if let Some(repeated) = self.strata.iter().find(|s| !seen.insert(s.as_str())) {
            return Err(problem(
                "strata",
                format!("stratum `{repeated}` is listed twice"),
            ));
        }
        Ok(())
    }
}

/// A measure that fails [`Measure::validate`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("measure `{measure}`, field `{field}`: {message}")]
pub struct MeasureProblem {
    /// The measure's key.
    pub measure: Key,
    /// The field at fault.
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn bp_control() -> Measure {
        Measure {
            key: Key::new("bp-control").unwrap(),
            name: "Percent of patients with hypertension whose blood pressure is controlled".into(),
            kind: MeasureKind::Outcome,
            tier: Tier::Required,
            definition: OperationalDefinition {
                numerator: "Patients whose last blood pressure in the month was below 140/90"
                    .into(),
                denominator: Some(
                    "Patients 18-85 with a diagnosis of hypertension seen in the month".into(),
                ),
                inclusions: vec![],
                exclusions: vec!["Hospice care".into()],
                data_source: "EHR registry".into(),
                frequency: Frequency::Monthly,
            },
            unit: Unit::Proportion,
            multiplier: 100.0,
            direction: Polarity::Up,
            target: Some(75.0),
            strata: vec!["race_ethnicity".into()],
            unit_label: None,
        }
    }

    #[test]
    fn a_complete_measure_validates() {
        assert_eq!(bp_control().validate(), Ok(()));
    }

    #[test]
    fn a_proportion_without_denominator_is_refused_by_field() {
        let mut m = bp_control();
        m.definition.denominator = None;
        let err = m.validate().unwrap_err();
        assert_eq!(err.field, "definition.denominator");
        assert_eq!(
            err.to_string(),
            "measure `bp-control`, field `definition.denominator`: a proportion needs a denominator in its definition"
        );
    }

    #[test]
    fn a_count_with_a_denominator_and_bad_numbers_are_refused() {
        let mut m = bp_control();
        m.unit = Unit::Count;
        assert_eq!(m.validate().unwrap_err().field, "definition.denominator");
        let mut m = bp_control();
        m.multiplier = 0.0;
        assert_eq!(m.validate().unwrap_err().field, "multiplier");
        let mut m = bp_control();
        m.strata.push("race_ethnicity".into());
        assert_eq!(m.validate().unwrap_err().field, "strata");
    }

    #[test]
    fn an_unknown_unit_is_a_parse_error_naming_the_value() {
        let json = serde_json::to_string(&bp_control())
            .unwrap()
            .replace("\"proportion\"", "\"percentage\"");
        let err = serde_json::from_str::<Measure>(&json)
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown variant `percentage`"), "{err}");
    }

    #[test]
    fn direction_knows_better() {
        assert!(Polarity::Up.is_better(0.7, 0.6));
        assert!(Polarity::Down.is_better(0.6, 0.7));
        assert!(!Polarity::Down.is_better(0.6, 0.6));
    }
}

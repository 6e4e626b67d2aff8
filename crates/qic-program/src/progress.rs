//! Team progress on the IHI Assessment Scale for Collaboratives: one score per team per month,
//! and the distribution of a cohort's scores month by month.
//!
//! The scale runs from 0.5 to 5.0 in half steps. Its labels are those of the "IHI Standard
//! Assessment" as reproduced by Life QI, but not every label could be confirmed: 4.0's comes
//! from an adaptation, 4.5's was not found, and 5.0's is a summary of a text that was cut off
//! ([`AssessmentLevel::label_status`] says which). Collaboratives tailor the scale, so every
//! label can be overridden in an [`AssessmentScale`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::ProgramError;
use crate::ids::TeamId;
use crate::month::YearMonth;

/// How sure qic is of a label's wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelStatus {
    /// Read in the source.
    Confirmed,
    /// From an adaptation or a summary; the original may differ.
    Partial,
    /// Not found; qic's wording is a placeholder.
    NotFound,
}

/// One of the ten levels of the assessment scale, 0.5 to 5.0. Written in files as the number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AssessmentLevel {
    /// 0.5: project identified; charter not completed, team not formed.
    IntentToParticipate,
    /// 1.0: charter completed and reviewed; people assigned; no work done yet.
    CharterAndTeamEstablished,
    /// 1.5: project structure being organized (resources, focus, tools, meetings).
    PlanningBegun,
    /// 2.0: initial team-learning cycles under way (measurement, baseline data, process study).
    ActivityNoChanges,
    /// 2.5: first tests of change begun; most goals have a measure shown on graphs with targets.
    ChangesTestedNoImprovement,
    /// 3.0: successful tests of some components; some small-scale implementation; expected
    /// results 20% complete.
    ModestImprovement,
    /// 3.5: testing and implementation continue; further improvement toward goals.
    Improvement,
    /// 4.0: expected results achieved for major subsystems; implementation begun; goals 50% or
    /// more complete.
    SignificantImprovement,
    /// 4.5: data on key measures begin to show the improvement is sustained.
    SustainableImprovement,
    /// 5.0: implementation complete; all goals and expected results achieved; organizational
    /// changes make the improvement permanent.
    OutstandingSustainableResults,
}

impl AssessmentLevel {
    /// The ten levels, lowest first.
    pub const ALL: [Self; 10] = [
        Self::IntentToParticipate,
        Self::CharterAndTeamEstablished,
        Self::PlanningBegun,
        Self::ActivityNoChanges,
        Self::ChangesTestedNoImprovement,
        Self::ModestImprovement,
        Self::Improvement,
        Self::SignificantImprovement,
        Self::SustainableImprovement,
        Self::OutstandingSustainableResults,
    ];

    /// The position, 0 for 0.5 to 9 for 5.0.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The score in tenths (5 to 50), exact for arithmetic.
    pub const fn tenths(self) -> u32 {
        (self as u32 + 1) * 5
    }

    /// The score, 0.5 to 5.0.
    pub fn score(self) -> f64 {
        f64::from(self.tenths()) / 10.0
    }

    /// The level for a score.
    ///
    /// # Errors
    ///
    /// [`ProgramError::InvalidScore`] unless the score is 0.5 to 5.0 in steps of 0.5.
    ///
    /// ```
    /// use qic_program::AssessmentLevel;
    ///
    /// assert_eq!(AssessmentLevel::from_score(3.0)?, AssessmentLevel::ModestImprovement);
    /// assert!(AssessmentLevel::from_score(3.2).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_score(score: f64) -> Result<Self, ProgramError> {
        let doubled = score * 2.0;
        Self::ALL
            .into_iter()
            .find(|level| (f64::from(level.tenths()) / 5.0 - doubled).abs() < 1e-9)
            .ok_or_else(|| ProgramError::InvalidScore {
                value: score.to_string(),
            })
    }

    /// The default label (see [`AssessmentLevel::label_status`] for how sure it is).
    pub const fn default_label(self) -> &'static str {
        match self {
            Self::IntentToParticipate => "Intent to Participate",
            Self::CharterAndTeamEstablished => "Charter and Team Established",
            Self::PlanningBegun => "Planning for the Project has begun",
            Self::ActivityNoChanges => "Activity, but no changes",
            Self::ChangesTestedNoImprovement => "Changes tested, but no improvement",
            Self::ModestImprovement => "Modest Improvement",
            Self::Improvement => "Improvement",
            Self::SignificantImprovement => "Significant Improvement",
            Self::SustainableImprovement => "Sustainable improvement",
            Self::OutstandingSustainableResults => "Outstanding sustainable results",
        }
    }

    /// How sure the default label is: 0.5 to 3.5 are confirmed; 4.0 comes from an adaptation
    /// (partial); 4.5 was not found (qic's wording is a placeholder); 5.0 is a summary of a text
    /// that was cut off (partial).
    pub const fn label_status(self) -> LabelStatus {
        match self {
            Self::SignificantImprovement | Self::OutstandingSustainableResults => {
                LabelStatus::Partial
            }
            Self::SustainableImprovement => LabelStatus::NotFound,
            _ => LabelStatus::Confirmed,
        }
    }

    /// What the level means, paraphrased.
    pub const fn definition(self) -> &'static str {
        match self {
            Self::IntentToParticipate => {
                "Project identified; charter not completed and team not formed."
            }
            Self::CharterAndTeamEstablished => {
                "Charter completed and reviewed; people or teams assigned; no work done yet."
            }
            Self::PlanningBegun => {
                "Project structure being organized: resources and support, where to focus first, tools and materials, meeting schedule."
            }
            Self::ActivityNoChanges => {
                "Initial team-learning cycles under way: planning, measurement, data collection, baseline data, process study, surveys."
            }
            Self::ChangesTestedNoImprovement => {
                "Initial cycles for testing changes begun; most goals have a tracking measure shown on graphs with targets."
            }
            Self::ModestImprovement => {
                "Successful tests for some components of the change package; some small-scale implementation; anecdotal evidence of improvement; expected results 20% complete."
            }
            Self::Improvement => {
                "Testing and implementation continue; further improvement in project measures toward goals."
            }
            Self::SignificantImprovement => {
                "Expected results achieved for major subsystems; implementation (training, communication) begun; goals 50% or more complete."
            }
            Self::SustainableImprovement => {
                "Data on key measures begin to show that the changes' impact is sustained."
            }
            Self::OutstandingSustainableResults => {
                "Implementation cycles complete; all goals and expected results achieved; organizational changes made to keep the improvements permanent."
            }
        }
    }
}

impl fmt::Display for AssessmentLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.1}", self.score())
    }
}

impl Serialize for AssessmentLevel {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.score())
    }
}

impl<'de> Deserialize<'de> for AssessmentLevel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let score = f64::deserialize(deserializer)?;
        Self::from_score(score).map_err(serde::de::Error::custom)
    }
}

/// A label a collaborative uses instead of the default for one level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelOverride {
    /// The level.
    pub level: AssessmentLevel,
    /// The collaborative's label.
    pub label: String,
}

/// The assessment scale a collaborative uses: the ten levels, with its own labels where it
/// tailored them.
///
/// ```
/// use qic_program::{AssessmentLevel, AssessmentScale, LabelStatus};
///
/// let scale = AssessmentScale::ihi().with_label(AssessmentLevel::SustainableImprovement, "Sustained improvement");
/// assert_eq!(scale.label(AssessmentLevel::SustainableImprovement), "Sustained improvement");
/// assert_eq!(AssessmentLevel::SustainableImprovement.label_status(), LabelStatus::NotFound);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessmentScale {
    /// Labels that replace the defaults.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<LabelOverride>,
}

impl AssessmentScale {
    /// The IHI scale with the default labels.
    pub fn ihi() -> Self {
        Self::default()
    }

    /// Replaces one level's label (chainable; a later override of the same level wins).
    #[must_use]
    pub fn with_label(mut self, level: AssessmentLevel, label: impl Into<String>) -> Self {
        self.overrides.retain(|o| o.level != level);
        self.overrides.push(LabelOverride {
            level,
            label: label.into(),
        });
        self
    }

    /// The label the collaborative uses for a level.
    pub fn label(&self, level: AssessmentLevel) -> &str {
        self.overrides
            .iter()
            .rev()
            .find(|o| o.level == level)
            .map_or(level.default_label(), |o| o.label.as_str())
    }
}

/// Who gave a score.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Rater {
    /// The collaborative's staff (director and improvement advisor): the score of record.
    #[default]
    Staff,
    /// The team itself (self-assessment shows gaps in perception).
    SelfAssessment,
}

impl Rater {
    /// A human label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Staff => "staff",
            Self::SelfAssessment => "self-assessment",
        }
    }
}

/// One team's score for one month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonthlyScore {
    /// The team.
    pub team: TeamId,
    /// The month scored.
    pub month: YearMonth,
    /// The level.
    pub level: AssessmentLevel,
    /// Who scored.
    #[serde(default)]
    pub rater: Rater,
    /// The justification or feedback given with the score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl MonthlyScore {
    /// A staff score without a note.
    pub const fn new(team: TeamId, month: YearMonth, level: AssessmentLevel) -> Self {
        Self {
            team,
            month,
            level,
            rater: Rater::Staff,
            note: None,
        }
    }
}

/// How a cohort's teams scored in one month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonthDistribution {
    /// The month.
    pub month: YearMonth,
    /// Teams at each level, index 0 for 0.5 to index 9 for 5.0.
    pub counts: [usize; 10],
    /// Teams with a score this month.
    pub scored: usize,
    /// Teams of the cohort without one (counted, so that no team is silently left out).
    pub unscored: usize,
    /// The median score, if any team was scored.
    pub median: Option<f64>,
    /// The mean score, if any team was scored.
    pub mean: Option<f64>,
}

impl MonthDistribution {
    /// Teams scored at `level` or above.
    pub fn at_or_above(&self, level: AssessmentLevel) -> usize {
        self.counts.iter().skip(level.index()).sum()
    }
}

/// Every score of a collaborative: at most one per team, month and rater.
///
/// ```
/// use qic_program::{AssessmentLevel, MonthlyScore, ProgressLog, TeamId, YearMonth};
///
/// let (a, b) = (TeamId::from_name("a"), TeamId::from_name("b"));
/// let aug: YearMonth = "2020-08".parse()?;
/// let mut log = ProgressLog::default();
/// log.record(MonthlyScore::new(a, aug, AssessmentLevel::CharterAndTeamEstablished))?;
/// log.record(MonthlyScore::new(b, aug, AssessmentLevel::ActivityNoChanges))?;
/// let months = log.distribution(&[a, b], qic_program::Rater::Staff);
/// assert_eq!(months[0].median, Some(1.5));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgressLog {
    scores: Vec<MonthlyScore>,
}

impl ProgressLog {
    /// Adds a score.
    ///
    /// # Errors
    ///
    /// [`ProgramError::DuplicateScore`] when the team already has a score from that rater for
    /// that month.
    pub fn record(&mut self, score: MonthlyScore) -> Result<(), ProgramError> {
        if self
            .scores
            .iter()
            .any(|s| s.team == score.team && s.month == score.month && s.rater == score.rater)
        {
            return Err(ProgramError::DuplicateScore {
                team: score.team,
                month: score.month.to_string(),
                rater: score.rater.label().to_owned(),
            });
        }
        self.scores.push(score);
        Ok(())
    }

    /// Every score, in the order recorded.
    pub fn scores(&self) -> &[MonthlyScore] {
        &self.scores
    }

    /// One team's scores from one rater, by month.
    pub fn team_series(&self, team: TeamId, rater: Rater) -> Vec<(YearMonth, AssessmentLevel)> {
        let series: BTreeMap<YearMonth, AssessmentLevel> = self
            .scores
            .iter()
            .filter(|s| s.team == team && s.rater == rater)
            .map(|s| (s.month, s.level))
            .collect();
        series.into_iter().collect()
    }

    /// The distribution of the given teams' scores from one rater, for every month from the
    /// first to the last month any of them was scored (months without scores included, with
    /// every team unscored).
    pub fn distribution(&self, teams: &[TeamId], rater: Rater) -> Vec<MonthDistribution> {
        let teams: BTreeSet<TeamId> = teams.iter().copied().collect();
        let mut by_month: BTreeMap<YearMonth, Vec<AssessmentLevel>> = BTreeMap::new();
        for s in self
            .scores
            .iter()
            .filter(|s| s.rater == rater && teams.contains(&s.team))
        {
            by_month.entry(s.month).or_default().push(s.level);
        }
        let (Some(first), Some(last)) = (
            by_month.keys().next().copied(),
            by_month.keys().next_back().copied(),
        ) else {
            return Vec::new();
        };
        YearMonth::range_inclusive(first, last)
            .into_iter()
            .map(|month| {
                let mut levels = by_month.remove(&month).unwrap_or_default();
                levels.sort_unstable();
                let mut counts = [0; 10];
                for level in &levels {
                    if let Some(count) = counts.get_mut(level.index()) {
                        *count += 1;
                    }
                }
                let tenths: Vec<u32> = levels.iter().map(|l| l.tenths()).collect();
                MonthDistribution {
                    month,
                    counts,
                    scored: levels.len(),
                    unscored: teams.len().saturating_sub(levels.len()),
                    median: median_tenths(&tenths),
                    mean: (!tenths.is_empty()).then(|| {
                        f64::from(tenths.iter().sum::<u32>()) / (10.0 * tenths.len() as f64)
                    }),
                }
            })
            .collect()
    }
}

/// The median of sorted scores given in tenths, as a score.
fn median_tenths(sorted: &[u32]) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let upper = sorted.get(n / 2).copied()?;
    if n % 2 == 1 {
        return Some(f64::from(upper) / 10.0);
    }
    let lower = sorted.get(n / 2 - 1).copied()?;
    Some(f64::from(lower + upper) / 20.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ten_levels_are_half_steps() {
        let scores: Vec<f64> = AssessmentLevel::ALL.iter().map(|l| l.score()).collect();
        assert_eq!(scores, [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0]);
        for level in AssessmentLevel::ALL {
            assert_eq!(AssessmentLevel::from_score(level.score()).unwrap(), level);
        }
        for bad in [0.0, 5.5, 2.25, -1.0, f64::NAN, f64::INFINITY] {
            assert!(AssessmentLevel::from_score(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_the_sourced_labels_are_confirmed() {
        let unsure: Vec<_> = AssessmentLevel::ALL
            .into_iter()
            .filter(|l| l.label_status() != LabelStatus::Confirmed)
            .map(|l| l.to_string())
            .collect();
        assert_eq!(unsure, ["4.0", "4.5", "5.0"]);
        assert_eq!(
            AssessmentLevel::SustainableImprovement.label_status(),
            LabelStatus::NotFound
        );
    }

    #[test]
    fn scores_serialize_as_numbers() {
        let score = MonthlyScore::new(
            TeamId::from_name("a"),
            "2020-09".parse().unwrap(),
            AssessmentLevel::ChangesTestedNoImprovement,
        );
        let json = serde_json::to_string(&score).unwrap();
        assert!(json.contains(r#""level":2.5"#), "{json}");
        assert_eq!(serde_json::from_str::<MonthlyScore>(&json).unwrap(), score);
        let bad = json.replace("2.5", "2.7");
        assert!(
            serde_json::from_str::<MonthlyScore>(&bad)
                .unwrap_err()
                .to_string()
                .contains("invalid assessment score 2.7")
        );
    }

    #[test]
    fn duplicate_scores_are_refused_but_self_assessments_are_separate() {
        let team = TeamId::from_name("a");
        let month: YearMonth = "2020-09".parse().unwrap();
        let mut log = ProgressLog::default();
        log.record(MonthlyScore::new(
            team,
            month,
            AssessmentLevel::PlanningBegun,
        ))
        .unwrap();
        assert!(
            log.record(MonthlyScore::new(team, month, AssessmentLevel::Improvement))
                .is_err()
        );
        let mut own = MonthlyScore::new(team, month, AssessmentLevel::Improvement);
        own.rater = Rater::SelfAssessment;
        log.record(own).unwrap();
        assert_eq!(
            log.team_series(team, Rater::Staff),
            [(month, AssessmentLevel::PlanningBegun)]
        );
    }

    #[test]
    fn distributions_cover_every_month_and_count_unscored_teams() {
        let teams: Vec<TeamId> = ["a", "b", "c"].map(TeamId::from_name).to_vec();
        let m = |s: &str| s.parse::<YearMonth>().unwrap();
        let mut log = ProgressLog::default();
        log.record(MonthlyScore::new(
            teams[0],
            m("2020-08"),
            AssessmentLevel::CharterAndTeamEstablished,
        ))
        .unwrap();
        log.record(MonthlyScore::new(
            teams[1],
            m("2020-08"),
            AssessmentLevel::ActivityNoChanges,
        ))
        .unwrap();
        log.record(MonthlyScore::new(
            teams[2],
            m("2020-08"),
            AssessmentLevel::ModestImprovement,
        ))
        .unwrap();
        log.record(MonthlyScore::new(
            teams[0],
            m("2020-10"),
            AssessmentLevel::ModestImprovement,
        ))
        .unwrap();
        // A team outside the cohort is not counted.
        log.record(MonthlyScore::new(
            TeamId::from_name("z"),
            m("2020-12"),
            AssessmentLevel::Improvement,
        ))
        .unwrap();
        let d = log.distribution(&teams, Rater::Staff);
        assert_eq!(
            d.iter().map(|x| x.month.to_string()).collect::<Vec<_>>(),
            ["2020-08", "2020-09", "2020-10"]
        );
        assert_eq!(d[0].scored, 3);
        assert_eq!(d[0].median, Some(2.0));
        assert!((d[0].mean.unwrap() - 2.0).abs() < 1e-12);
        assert_eq!(d[0].at_or_above(AssessmentLevel::ModestImprovement), 1);
        assert_eq!((d[1].scored, d[1].unscored, d[1].median), (0, 3, None));
        assert_eq!((d[2].scored, d[2].unscored), (1, 2));
        assert!(log.distribution(&[], Rater::Staff).is_empty());
    }
}

//! Which teams need attention: the report's first screen.
//!
//! For each team, what a program officer looks for before a coaching call: measures whose
//! latest point is a special cause of concern (and of improvement, the good news), reports late
//! or missing, aims not met or moving the wrong way, and the faculty score's trend over the
//! last three months. Each finding adds to the team's need; teams come most in need first.
//!
//! | finding | points |
//! | --- | --- |
//! | a measure whose latest point is a special cause of concern | 2 |
//! | a report missing | 2 |
//! | two or more reports late | 1 |
//! | an aim not met by its date | 1 |
//! | an aim worse than at baseline | 1 |
//! | the faculty score lower than three months earlier | 1 |
//! | no required measure with a signal of improvement | 1 |
//!
//! A team with 4 points or more needs attention ([`Need::High`]), with 1 to 3 a look
//! ([`Need::Some`]).

use serde::Serialize;

use qic_program::AssessmentLevel;
use qic_spc::Variation;

use crate::aim::AimStatus;
use crate::collaborative::Collaborative;
use crate::measure::Tier;
use crate::monthly::Timeliness;

use super::{DashboardSection, TeamRef, TeamSection};

/// How much a team needs attention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Need {
    /// Nothing found.
    None,
    /// Worth a look.
    Some,
    /// Needs attention.
    High,
}

/// The trend of a team's faculty score.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ScoreTrend {
    /// The score three scored months before the latest.
    pub from: AssessmentLevel,
    /// The latest score.
    pub to: AssessmentLevel,
}

impl ScoreTrend {
    /// The change, in score points (negative when the score fell).
    pub fn change(&self) -> f64 {
        self.to.score() - self.from.score()
    }
}

/// One team's row of the attention table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Attention {
    /// The team.
    pub team: TeamRef,
    /// How much it needs attention.
    pub need: Need,
    /// Its points (see the module's table).
    pub points: u32,
    /// Measures whose latest point is a special cause of concern.
    pub concerns: Vec<String>,
    /// Measures whose latest point is a special cause of improvement.
    pub improvements: Vec<String>,
    /// Reports late.
    pub late: usize,
    /// Reports missing.
    pub missing: usize,
    /// Aims not met by their date, or worse than at baseline.
    pub aims_off_track: Vec<String>,
    /// The faculty score's trend, when the team has two scores three months apart.
    pub score: Option<ScoreTrend>,
}

/// Ranks the teams, most in need first (then by name).
pub fn rank(
    collaborative: &Collaborative,
    dashboard: &DashboardSection,
    teams: &[TeamSection],
) -> Vec<Attention> {
    let mut rows: Vec<Attention> = teams
        .iter()
        .map(|team| {
            let required = |key: &crate::key::Key| {
                collaborative
                    .settings
                    .measures
                    .iter()
                    .any(|m| &m.key == key && m.tier == Tier::Required)
            };
            let mut concerns = Vec::new();
            let mut improvements = Vec::new();
            let mut improving_required = false;
            for section in &team.measures {
                let Some(chart) = &section.chart else {
                    continue;
                };
                match chart.variation {
                    Some(Variation::ConcernHigh | Variation::ConcernLow) => {
                        concerns.push(section.measure.name.clone());
                    }
                    Some(Variation::ImprovementHigh | Variation::ImprovementLow) => {
                        improvements.push(section.measure.name.clone());
                        improving_required |= required(&section.measure.key);
                    }
                    _ => {}
                }
            }
            let statuses = dashboard
                .reports
                .iter()
                .find(|r| r.team.anchor == team.team.anchor)
                .map(|r| r.statuses.as_slice())
                .unwrap_or_default();
            let late = statuses
                .iter()
                .filter(|s| matches!(s, Timeliness::Late { .. }))
                .count();
            let missing = statuses
                .iter()
                .filter(|s| **s == Timeliness::Missing)
                .count();
            let mut aims_points = 0;
            let mut aims_off_track = Vec::new();
            for row in &team.aims {
                let Some(progress) = row.progress.shown() else {
                    continue;
                };
                let missed = progress.status == AimStatus::NotMet;
                let worse = progress.share_of_the_way.is_some_and(|s| s < 0.0);
                if missed || worse {
                    aims_points += u32::from(missed) + u32::from(worse);
                    aims_off_track.push(row.aim.key.to_string());
                }
            }
            let score = dashboard
                .scores
                .iter()
                .find(|r| r.team.anchor == team.team.anchor)
                .and_then(|r| {
                    let scored: Vec<AssessmentLevel> =
                        r.faculty.iter().flatten().copied().collect();
                    let to = *scored.last()?;
                    let from = *scored.get(scored.len().checked_sub(4)?)?;
                    Some(ScoreTrend { from, to })
                });
            let points = 2 * u32::try_from(concerns.len()).unwrap_or(u32::MAX / 4)
                + 2 * u32::try_from(missing).unwrap_or(u32::MAX / 4)
                + u32::from(late >= 2)
                + aims_points
                + u32::from(score.is_some_and(|s| s.change() < 0.0))
                + u32::from(!improving_required);
            let need = match points {
                0 => Need::None,
                1..=3 => Need::Some,
                _ => Need::High,
            };
            Attention {
                team: team.team.clone(),
                need,
                points,
                concerns,
                improvements,
                late,
                missing,
                aims_off_track,
                score,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.points
            .cmp(&a.points)
            .then_with(|| a.team.name.cmp(&b.team.name))
    });
    rows
}

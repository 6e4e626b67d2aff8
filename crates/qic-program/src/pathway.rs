//! The step-by-step pathway teams follow, and each team's progress along it.
//!
//! The built-in pathway is the 10-step path of IHI's Pathways to Population Health *Getting
//! Started Guide*, which the Improving Population Health Action Community asked its teams to
//! follow. **The guide's own step titles are not reproduced here: qic's titles paraphrase what
//! the program pages say the steps hold.** What is known: steps 1 to 7 are about building will
//! and prioritizing ideas (assessing current state and organizational priorities, learning from
//! external stakeholders what matters most in the community, prioritizing sub-populations and
//! health outcomes of focus), and steps 8 to 10 about executing the most influential change ideas
//! reliably, sustainably and equitably. Where the split between "building will" and "prioritizing
//! ideas" falls inside steps 1 to 7 is not known, so the pathway has two phases, not three.
//!
//! A program that has the guide (or uses another path) loads its own titles from a TOML or JSON
//! file with [`crate::io::load_pathway`].

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::ProgramError;
use crate::ids::TeamId;

/// The phase a step belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PathwayPhase {
    /// Building will and prioritizing ideas (steps 1 to 7 of the P2PH path).
    BuildingWillAndPrioritizing,
    /// Executing the change ideas reliably, sustainably and equitably (steps 8 to 10).
    Executing,
}

impl PathwayPhase {
    /// A human label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::BuildingWillAndPrioritizing => "building will and prioritizing ideas",
            Self::Executing => "executing reliably, sustainably and equitably",
        }
    }
}

impl fmt::Display for PathwayPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One step of a pathway.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathwayStep {
    /// The step's number, from 1.
    pub number: u32,
    /// A short title.
    pub title: String,
    /// What the step holds, in a sentence.
    #[serde(default)]
    pub description: String,
    /// The phase it belongs to.
    pub phase: PathwayPhase,
}

/// An ordered list of steps: numbered 1 to n without gaps, with every building-will step before
/// every executing step.
///
/// ```
/// use qic_program::{Pathway, PathwayPhase};
///
/// let path = Pathway::pathways_to_population_health();
/// assert_eq!(path.steps().len(), 10);
/// assert_eq!(path.step(8)?.phase, PathwayPhase::Executing);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PathwayRecord")]
pub struct Pathway {
    name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    source: String,
    steps: Vec<PathwayStep>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PathwayRecord {
    name: String,
    #[serde(default)]
    source: String,
    steps: Vec<PathwayStep>,
}

impl TryFrom<PathwayRecord> for Pathway {
    type Error = ProgramError;

    fn try_from(r: PathwayRecord) -> Result<Self, Self::Error> {
        Self::new(r.name, r.source, r.steps)
    }
}

/// The P2PH path as qic paraphrases it: (title, description, phase).
const P2PH_STEPS: [(&str, &str, PathwayPhase); 10] = {
    use PathwayPhase::{BuildingWillAndPrioritizing as Will, Executing as Exec};
    [
        (
            "Assess the current state",
            "Take stock of the organization's population health work today, across the four portfolios.",
            Will,
        ),
        (
            "Align with organizational priorities",
            "Connect population health to the organization's strategy and build leadership will.",
            Will,
        ),
        (
            "Engage external stakeholders",
            "Bring community partners and people with lived experience into the work.",
            Will,
        ),
        (
            "Learn what matters most in the community",
            "Understand the community's assets, needs and priorities with the stakeholders.",
            Will,
        ),
        (
            "Prioritize sub-populations of focus",
            "Choose the groups whose health and well-being the team will work to improve first.",
            Will,
        ),
        (
            "Prioritize health outcomes of focus",
            "Choose the health and well-being outcomes for immediate action, with measures.",
            Will,
        ),
        (
            "Choose the most influential change ideas",
            "Select a balanced set of change ideas across the portfolios and plan the first tests.",
            Will,
        ),
        (
            "Test change ideas",
            "Run rapid-cycle tests of the change ideas and measure their effect.",
            Exec,
        ),
        (
            "Implement reliably and equitably",
            "Make the changes that work part of daily operations, for every group served.",
            Exec,
        ),
        (
            "Sustain and scale",
            "Hold the gains and spread the changes across the organization and community.",
            Exec,
        ),
    ]
};

impl Pathway {
    /// A checked pathway.
    ///
    /// # Errors
    ///
    /// [`ProgramError::InvalidPathway`] when the name or a title is empty, there are no steps,
    /// the steps are not numbered 1 to n in order, or an executing step comes before a
    /// building-will step.
    pub fn new(
        name: impl Into<String>,
        source: impl Into<String>,
        steps: Vec<PathwayStep>,
    ) -> Result<Self, ProgramError> {
        let invalid = |reason: String| ProgramError::InvalidPathway { reason };
        let name = name.into();
        if name.trim().is_empty() {
            return Err(invalid("the pathway's name is empty".into()));
        }
        if steps.is_empty() {
            return Err(invalid("it has no steps".into()));
        }
        for (i, step) in steps.iter().enumerate() {
            let expected = u32::try_from(i + 1).unwrap_or(u32::MAX);
            if step.number != expected {
                return Err(invalid(format!(
                    "step {} is numbered {} (steps are numbered 1 to n in order)",
                    i + 1,
                    step.number
                )));
            }
            if step.title.trim().is_empty() {
                return Err(invalid(format!("step {} has no title", step.number)));
            }
        }
        if let Some(pair) = steps.windows(2).find(|w| w[0].phase > w[1].phase) {
            return Err(invalid(format!(
                "step {} ({}) comes after step {} ({})",
                pair[1].number, pair[1].phase, pair[0].number, pair[0].phase
            )));
        }
        Ok(Self {
            name,
            source: source.into(),
            steps,
        })
    }

    /// The 10-step path of the Pathways to Population Health *Getting Started Guide*, with
    /// titles that **paraphrase** the guide (see the module docs): steps 1 to 7 build will and
    /// prioritize ideas, steps 8 to 10 execute.
    pub fn pathways_to_population_health() -> Self {
        let steps = P2PH_STEPS
            .iter()
            .zip(1..)
            .map(|(&(title, description, phase), number)| PathwayStep {
                number,
                title: title.to_owned(),
                description: description.to_owned(),
                phase,
            })
            .collect();
        Self {
            name: "Pathways to Population Health 10-step path".into(),
            source: "titles paraphrase IHI's Getting Started Guide: Accelerating Population Health Progress (2020); the guide's own titles are not reproduced".into(),
            steps,
        }
    }

    /// The pathway's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where the titles come from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The steps, in order.
    pub fn steps(&self) -> &[PathwayStep] {
        &self.steps
    }

    /// The step with this number.
    ///
    /// # Errors
    ///
    /// [`ProgramError::UnknownStep`] when there is no such step.
    pub fn step(&self, number: u32) -> Result<&PathwayStep, ProgramError> {
        usize::try_from(number)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| self.steps.get(i))
            .ok_or(ProgramError::UnknownStep {
                step: number,
                last: self.steps.len(),
            })
    }
}

/// Where a team is on one step.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case", deny_unknown_fields)]
pub enum StepStatus {
    /// Not begun.
    #[default]
    NotStarted,
    /// Begun on `since`.
    InProgress {
        /// The day work on the step began.
        #[serde(with = "crate::serde_date")]
        since: NaiveDate,
    },
    /// Finished on `date`, with evidence (a document, a decision, a data display).
    Done {
        /// The day work began, if recorded.
        #[serde(
            default,
            with = "crate::serde_date::option",
            skip_serializing_if = "Option::is_none"
        )]
        since: Option<NaiveDate>,
        /// The day it was finished.
        #[serde(with = "crate::serde_date")]
        date: NaiveDate,
        /// What shows it is done.
        evidence: String,
    },
}

impl StepStatus {
    /// The day work on the step began, if it has (for a step recorded as done without a start,
    /// the day it was done).
    pub fn started(&self) -> Option<NaiveDate> {
        match self {
            Self::NotStarted => None,
            Self::InProgress { since } => Some(*since),
            Self::Done { since, date, .. } => Some(since.unwrap_or(*date)),
        }
    }

    /// The day it was finished, if it is.
    pub fn finished(&self) -> Option<NaiveDate> {
        match self {
            Self::Done { date, .. } => Some(*date),
            _ => None,
        }
    }
}

/// A team that started an executing step before it finished the building-will steps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathwayWarning {
    /// The team.
    pub team: TeamId,
    /// The executing step it started.
    pub step: u32,
    /// The day it started it.
    #[serde(with = "crate::serde_date")]
    pub started: NaiveDate,
    /// The building-will steps not finished by that day.
    pub unfinished: Vec<u32>,
}

impl fmt::Display for PathwayWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let steps: Vec<String> = self.unfinished.iter().map(ToString::to_string).collect();
        write!(
            f,
            "team {} started step {} on {} before finishing step{} {}",
            self.team,
            self.step,
            self.started,
            if steps.len() == 1 { "" } else { "s" },
            steps.join(", ")
        )
    }
}

/// One team's progress along a pathway: one status per step.
///
/// ```
/// use chrono::NaiveDate;
/// use qic_program::{Pathway, TeamId, TeamProgress};
///
/// let path = Pathway::pathways_to_population_health();
/// let day = |m, d| NaiveDate::from_ymd_opt(2020, m, d).unwrap();
/// let mut progress = TeamProgress::new(TeamId::from_name("Lakeside"), &path);
/// progress.start(&path, 1, day(8, 10))?;
/// progress.finish(&path, 1, day(9, 1), "current-state assessment shared with leadership")?;
/// progress.start(&path, 8, day(9, 15))?; // testing before steps 2-7 are done
/// let warnings = progress.warnings(&path);
/// assert_eq!(warnings[0].unfinished, [2, 3, 4, 5, 6, 7]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamProgress {
    /// The team.
    pub team: TeamId,
    /// The status of each step, step 1 first.
    pub steps: Vec<StepStatus>,
}

impl TeamProgress {
    /// A team that has not started any step.
    pub fn new(team: TeamId, pathway: &Pathway) -> Self {
        Self {
            team,
            steps: vec![StepStatus::NotStarted; pathway.steps().len()],
        }
    }

    fn slot(&mut self, pathway: &Pathway, step: u32) -> Result<&mut StepStatus, ProgramError> {
        pathway.step(step)?;
        let index = usize::try_from(step)
            .unwrap_or(usize::MAX)
            .saturating_sub(1);
        if self.steps.len() < pathway.steps().len() {
            self.steps
                .resize(pathway.steps().len(), StepStatus::NotStarted);
        }
        self.steps.get_mut(index).ok_or(ProgramError::UnknownStep {
            step,
            last: pathway.steps().len(),
        })
    }

    /// The status of a step (not started when the record is shorter than the pathway).
    ///
    /// # Errors
    ///
    /// [`ProgramError::UnknownStep`].
    pub fn status(&self, pathway: &Pathway, step: u32) -> Result<&StepStatus, ProgramError> {
        const NOT_STARTED: StepStatus = StepStatus::NotStarted;
        pathway.step(step)?;
        let index = usize::try_from(step)
            .unwrap_or(usize::MAX)
            .saturating_sub(1);
        Ok(self.steps.get(index).unwrap_or(&NOT_STARTED))
    }

    /// Marks a step in progress from `since`.
    ///
    /// # Errors
    ///
    /// [`ProgramError::UnknownStep`]; [`ProgramError::StepProgress`] when the step is already
    /// done.
    pub fn start(
        &mut self,
        pathway: &Pathway,
        step: u32,
        since: NaiveDate,
    ) -> Result<(), ProgramError> {
        let slot = self.slot(pathway, step)?;
        if matches!(slot, StepStatus::Done { .. }) {
            return Err(ProgramError::StepProgress {
                step,
                reason: "it is already done".into(),
            });
        }
        *slot = StepStatus::InProgress { since };
        Ok(())
    }

    /// Marks a step done on `date`, with the evidence that shows it.
    ///
    /// # Errors
    ///
    /// [`ProgramError::UnknownStep`]; [`ProgramError::StepProgress`] when the evidence is empty
    /// or `date` is before the day the step began.
    pub fn finish(
        &mut self,
        pathway: &Pathway,
        step: u32,
        date: NaiveDate,
        evidence: impl Into<String>,
    ) -> Result<(), ProgramError> {
        let evidence = evidence.into();
        if evidence.trim().is_empty() {
            return Err(ProgramError::StepProgress {
                step,
                reason: "a done step needs evidence".into(),
            });
        }
        let slot = self.slot(pathway, step)?;
        let since = match slot {
            StepStatus::InProgress { since } => Some(*since),
            _ => None,
        };
        if let Some(since) = since
            && date < since
        {
            return Err(ProgramError::StepProgress {
                step,
                reason: format!("it cannot be done on {date}, before it began on {since}"),
            });
        }
        *slot = StepStatus::Done {
            since,
            date,
            evidence,
        };
        Ok(())
    }

    /// The number of steps done.
    pub fn done(&self) -> usize {
        self.steps.iter().filter(|s| s.finished().is_some()).count()
    }

    /// A warning for each executing step the team started before every building-will step was
    /// done (by the day it started). Warnings are advice, not errors: a team may have reasons.
    pub fn warnings(&self, pathway: &Pathway) -> Vec<PathwayWarning> {
        let mut warnings = Vec::new();
        for (step, status) in pathway.steps().iter().zip(&self.steps) {
            if step.phase != PathwayPhase::Executing {
                continue;
            }
            let Some(started) = status.started() else {
                continue;
            };
            let unfinished: Vec<u32> = pathway
                .steps()
                .iter()
                .filter(|s| s.phase < PathwayPhase::Executing)
                .filter(|s| {
                    let index = usize::try_from(s.number)
                        .unwrap_or(usize::MAX)
                        .saturating_sub(1);
                    self.steps
                        .get(index)
                        .and_then(StepStatus::finished)
                        .is_none_or(|done| done > started)
                })
                .map(|s| s.number)
                .collect();
            if !unfinished.is_empty() {
                warnings.push(PathwayWarning {
                    team: self.team,
                    step: step.number,
                    started,
                    unfinished,
                });
            }
        }
        warnings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2021, m, day).unwrap()
    }

    #[test]
    fn the_preset_has_ten_steps_in_two_phases() {
        let path = Pathway::pathways_to_population_health();
        let phases: Vec<_> = path.steps().iter().map(|s| s.phase).collect();
        assert_eq!(
            phases
                .iter()
                .filter(|p| **p == PathwayPhase::BuildingWillAndPrioritizing)
                .count(),
            7
        );
        assert_eq!(phases[7..], [PathwayPhase::Executing; 3]);
        assert!(path.source().contains("paraphrase"));
        assert!(matches!(
            path.step(11),
            Err(ProgramError::UnknownStep { step: 11, last: 10 })
        ));
        assert!(path.step(0).is_err());
    }

    #[test]
    fn custom_pathways_are_checked() {
        let step = |number, phase| PathwayStep {
            number,
            title: format!("Step {number}"),
            description: String::new(),
            phase,
        };
        assert!(
            Pathway::new(
                "P",
                "",
                vec![
                    step(1, PathwayPhase::BuildingWillAndPrioritizing),
                    step(2, PathwayPhase::Executing)
                ]
            )
            .is_ok()
        );
        let err = Pathway::new(
            "P",
            "",
            vec![
                step(1, PathwayPhase::Executing),
                step(2, PathwayPhase::BuildingWillAndPrioritizing),
            ],
        )
        .unwrap_err();
        assert!(err.to_string().contains("comes after step 1"), "{err}");
        let err = Pathway::new("P", "", vec![step(2, PathwayPhase::Executing)]).unwrap_err();
        assert!(err.to_string().contains("numbered 2"), "{err}");
        assert!(Pathway::new("P", "", vec![]).is_err());
    }

    #[test]
    fn executing_after_finishing_steps_one_to_seven_gives_no_warning() {
        let path = Pathway::pathways_to_population_health();
        let mut p = TeamProgress::new(TeamId::from_name("t"), &path);
        for step in 1..=7 {
            p.start(&path, step, d(1, step)).unwrap();
            p.finish(&path, step, d(2, step), "minutes of the decision")
                .unwrap();
        }
        p.start(&path, 8, d(3, 1)).unwrap();
        assert!(p.warnings(&path).is_empty());
        assert_eq!(p.done(), 7);
    }

    #[test]
    fn steps_finished_after_execution_began_still_warn() {
        let path = Pathway::pathways_to_population_health();
        let mut p = TeamProgress::new(TeamId::from_name("t"), &path);
        for step in 1..=6 {
            p.finish(&path, step, d(1, 10), "charter").unwrap();
        }
        p.start(&path, 9, d(2, 1)).unwrap();
        p.finish(&path, 7, d(3, 1), "prioritized change ideas")
            .unwrap();
        let warnings = p.warnings(&path);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].unfinished, [7]);
        assert!(
            warnings[0]
                .to_string()
                .ends_with("started step 9 on 2021-02-01 before finishing step 7")
        );
    }

    #[test]
    fn progress_changes_are_checked() {
        let path = Pathway::pathways_to_population_health();
        let mut p = TeamProgress::new(TeamId::from_name("t"), &path);
        p.start(&path, 2, d(5, 1)).unwrap();
        assert!(
            p.finish(&path, 2, d(4, 1), "x")
                .unwrap_err()
                .to_string()
                .contains("before it began")
        );
        assert!(p.finish(&path, 2, d(5, 2), " ").is_err());
        p.finish(&path, 2, d(5, 2), "x").unwrap();
        assert!(p.start(&path, 2, d(6, 1)).is_err());
        assert!(p.start(&path, 12, d(6, 1)).is_err());
        assert_eq!(p.status(&path, 2).unwrap().started(), Some(d(5, 1)));
    }

    #[test]
    fn progress_round_trips_through_json() {
        let path = Pathway::pathways_to_population_health();
        let mut p = TeamProgress::new(TeamId::from_name("t"), &path);
        p.start(&path, 1, d(1, 1)).unwrap();
        p.finish(&path, 2, d(1, 5), "stakeholder map").unwrap();
        let json = serde_json::to_string(&p).unwrap();
        assert!(
            json.contains(r#"{"status":"in_progress","since":"2021-01-01"}"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<TeamProgress>(&json).unwrap(), p);
        let back: Pathway = serde_json::from_str(&serde_json::to_string(&path).unwrap()).unwrap();
        assert_eq!(back, path);
    }
}

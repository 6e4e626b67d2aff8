//! Cohorts: the Learning Network or Action Community a team joins, with its commitments,
//! capacity, application window, calendar template and enrolled teams.

use std::collections::BTreeSet;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::ProgramError;
use crate::ids::{CohortId, TeamId};
use crate::schedule::{Event, EventKind, EventTiming, ScheduleTemplate};

/// The kind of cohort.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CohortKind {
    /// A Learning Network: a larger group building foundations through learning and discussion
    /// calls; a smaller time commitment, not project based.
    LearningNetwork,
    /// An Action Community: a small group of teams making measurable improvement on projects,
    /// with learning sessions and action periods.
    ActionCommunity,
    /// A single-track collaborative (a Breakthrough Series or an Action Learning Collaborative).
    Collaborative,
}

impl CohortKind {
    /// A human label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::LearningNetwork => "Learning Network",
            Self::ActionCommunity => "Action Community",
            Self::Collaborative => "Collaborative",
        }
    }
}

impl fmt::Display for CohortKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// How often something happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Once a week.
    Weekly,
    /// Every other week.
    EveryOtherWeek,
    /// Once a month.
    Monthly,
    /// Once a quarter.
    Quarterly,
}

impl Frequency {
    /// A human label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Weekly => "weekly",
            Self::EveryOtherWeek => "every other week",
            Self::Monthly => "monthly",
            Self::Quarterly => "quarterly",
        }
    }
}

/// The size of a core team, `min` to `max` people.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "TeamSizeRecord")]
pub struct TeamSize {
    min: u32,
    max: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TeamSizeRecord {
    min: u32,
    max: u32,
}

impl TryFrom<TeamSizeRecord> for TeamSize {
    type Error = ProgramError;

    fn try_from(record: TeamSizeRecord) -> Result<Self, Self::Error> {
        Self::new(record.min, record.max)
    }
}

impl TeamSize {
    /// A team of `min` to `max` people.
    ///
    /// # Errors
    ///
    /// [`ProgramError::InvalidTeamSize`] when `min` is 0 or larger than `max`.
    pub fn new(min: u32, max: u32) -> Result<Self, ProgramError> {
        if min == 0 || min > max {
            return Err(ProgramError::InvalidTeamSize { min, max });
        }
        Ok(Self { min, max })
    }

    /// The smallest team.
    pub const fn min(self) -> u32 {
        self.min
    }

    /// The largest team.
    pub const fn max(self) -> u32 {
        self.max
    }

    /// Whether a team of `people` fits.
    pub const fn fits(self, people: u32) -> bool {
        self.min <= people && people <= self.max
    }
}

/// One thing a cohort expects of every team.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expectation {
    /// Attend every call (the calls build on each other).
    AttendAllCalls,
    /// Attend every learning session.
    AttendLearningSessions,
    /// Travel to the in-person learning sessions.
    TravelToInPersonSessions,
    /// Have at least one clinical team member on every call.
    ClinicalMemberOnCalls,
    /// Show leadership support in a written letter (e.g. from the CEO and the Board Chair).
    LeadershipLetter,
    /// Share learning, challenges and data transparently with the other teams.
    ShareDataAndLearning,
    /// Engage people with lived experience and compensate them for their time.
    CompensatePatientPartners,
}

impl Expectation {
    /// A human label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::AttendAllCalls => "attend all calls",
            Self::AttendLearningSessions => "attend all learning sessions",
            Self::TravelToInPersonSessions => "travel to in-person learning sessions",
            Self::ClinicalMemberOnCalls => "a clinical team member on every call",
            Self::LeadershipLetter => "a letter of leadership support",
            Self::ShareDataAndLearning => "share learning, challenges and data",
            Self::CompensatePatientPartners => "compensate patient partners for their time",
        }
    }
}

impl fmt::Display for Expectation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What a cohort asks of its teams.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commitments {
    /// What every team is expected to do.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub expectations: BTreeSet<Expectation>,
    /// How often the team should meet on its own to keep momentum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_meets: Option<Frequency>,
    /// The size of the core team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub core_team_size: Option<TeamSize>,
    /// Anything else, in the program's words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<String>,
}

impl Commitments {
    /// Adds an expectation (chainable).
    #[must_use]
    pub fn expecting(mut self, expectation: Expectation) -> Self {
        self.expectations.insert(expectation);
        self
    }

    /// Sets how often the team should meet (chainable).
    #[must_use]
    pub fn team_meets(mut self, frequency: Frequency) -> Self {
        self.team_meets = Some(frequency);
        self
    }

    /// Sets the core team size (chainable).
    #[must_use]
    pub fn core_team(mut self, size: TeamSize) -> Self {
        self.core_team_size = Some(size);
        self
    }

    /// Adds another commitment in the program's words (chainable).
    #[must_use]
    pub fn other(mut self, text: impl Into<String>) -> Self {
        self.other.push(text.into());
        self
    }

    /// Whether the cohort expects this of its teams.
    pub fn expects(&self, expectation: Expectation) -> bool {
        self.expectations.contains(&expectation)
    }
}

/// When teams apply to a cohort and hear back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "ApplicationWindowRecord")]
pub struct ApplicationWindow {
    #[serde(
        with = "crate::serde_date::option",
        skip_serializing_if = "Option::is_none"
    )]
    opens: Option<NaiveDate>,
    #[serde(with = "crate::serde_date")]
    deadline: NaiveDate,
    #[serde(
        with = "crate::serde_date::option",
        skip_serializing_if = "Option::is_none"
    )]
    decisions_by: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApplicationWindowRecord {
    #[serde(default, with = "crate::serde_date::option")]
    opens: Option<NaiveDate>,
    #[serde(with = "crate::serde_date")]
    deadline: NaiveDate,
    #[serde(default, with = "crate::serde_date::option")]
    decisions_by: Option<NaiveDate>,
}

impl TryFrom<ApplicationWindowRecord> for ApplicationWindow {
    type Error = ProgramError;

    fn try_from(r: ApplicationWindowRecord) -> Result<Self, Self::Error> {
        Self::new(r.opens, r.deadline, r.decisions_by)
    }
}

impl ApplicationWindow {
    /// Applications open on `opens` (if known), close on `deadline`, and applicants hear back by
    /// `decisions_by` (if known).
    ///
    /// # Errors
    ///
    /// [`ProgramError::ApplicationWindow`] when the dates are out of order.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use qic_program::ApplicationWindow;
    ///
    /// let deadline = NaiveDate::from_ymd_opt(2022, 10, 21).unwrap();
    /// let decisions = NaiveDate::from_ymd_opt(2022, 12, 5).unwrap();
    /// assert!(ApplicationWindow::new(None, deadline, Some(decisions)).is_ok());
    /// assert!(ApplicationWindow::new(None, decisions, Some(deadline)).is_err());
    /// ```
    pub fn new(
        opens: Option<NaiveDate>,
        deadline: NaiveDate,
        decisions_by: Option<NaiveDate>,
    ) -> Result<Self, ProgramError> {
        if let Some(opens) = opens
            && opens > deadline
        {
            return Err(ProgramError::ApplicationWindow {
                reason: format!("applications open on {opens}, after the deadline {deadline}"),
            });
        }
        if let Some(decisions) = decisions_by
            && decisions < deadline
        {
            return Err(ProgramError::ApplicationWindow {
                reason: format!("decisions by {decisions}, before the deadline {deadline}"),
            });
        }
        Ok(Self {
            opens,
            deadline,
            decisions_by,
        })
    }

    /// The day applications open, if known.
    pub const fn opens(&self) -> Option<NaiveDate> {
        self.opens
    }

    /// The last day to apply.
    pub const fn deadline(&self) -> NaiveDate {
        self.deadline
    }

    /// The day by which applicants hear the decision, if known.
    pub const fn decisions_by(&self) -> Option<NaiveDate> {
        self.decisions_by
    }

    /// Whether an application submitted on `date` is on time.
    pub fn is_open_on(&self, date: NaiveDate) -> bool {
        self.opens.is_none_or(|opens| opens <= date) && date <= self.deadline
    }
}

/// Where a team stands in a cohort (derived from an [`Enrolment`]'s dates).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnrolmentStatus {
    /// Taking part.
    Active,
    /// Finished the cohort on the date.
    Completed(#[serde(with = "crate::serde_date")] NaiveDate),
    /// Left the cohort on the date.
    Withdrawn(#[serde(with = "crate::serde_date")] NaiveDate),
}

/// A team's place in a cohort.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enrolment {
    /// The team.
    pub team: TeamId,
    /// The day it joined.
    #[serde(with = "crate::serde_date")]
    pub enrolled_on: NaiveDate,
    /// The day it finished the cohort, if it has.
    #[serde(
        default,
        with = "crate::serde_date::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub completed_on: Option<NaiveDate>,
    /// The day it left early, if it did.
    #[serde(
        default,
        with = "crate::serde_date::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub withdrawn_on: Option<NaiveDate>,
}

impl Enrolment {
    /// An active enrolment from `enrolled_on`.
    pub const fn new(team: TeamId, enrolled_on: NaiveDate) -> Self {
        Self {
            team,
            enrolled_on,
            completed_on: None,
            withdrawn_on: None,
        }
    }

    /// Where the team stands (a withdrawal wins over a completion if both were recorded, though
    /// a valid program never holds both).
    pub fn status(&self) -> EnrolmentStatus {
        match (self.withdrawn_on, self.completed_on) {
            (Some(on), _) => EnrolmentStatus::Withdrawn(on),
            (None, Some(on)) => EnrolmentStatus::Completed(on),
            (None, None) => EnrolmentStatus::Active,
        }
    }

    /// Whether the team is still taking part.
    pub fn is_active(&self) -> bool {
        self.status() == EnrolmentStatus::Active
    }

    /// Whether the enrolment takes a place in the cohort (active or completed, not withdrawn).
    pub fn holds_place(&self) -> bool {
        self.withdrawn_on.is_none()
    }

    /// Checks that the dates fit together.
    pub(crate) fn check(&self, team_name: &str) -> Result<(), ProgramError> {
        let invalid = |reason: String| ProgramError::InvalidEnrolment {
            team: team_name.to_owned(),
            reason,
        };
        match (self.completed_on, self.withdrawn_on) {
            (Some(_), Some(_)) => Err(invalid(
                "an enrolment cannot be both completed and withdrawn".into(),
            )),
            (Some(end), None) | (None, Some(end)) if end < self.enrolled_on => Err(invalid(
                format!("it ends on {end}, before it began on {}", self.enrolled_on),
            )),
            _ => Ok(()),
        }
    }
}

/// A cohort as written in a program file. [`crate::Program::new`] checks it and turns it into a
/// [`Cohort`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CohortSpec {
    /// Stable id; derived from the program and cohort names when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<CohortId>,
    /// The cohort's name, unique in the program.
    pub name: String,
    /// Learning Network, Action Community or single-track collaborative.
    pub kind: CohortKind,
    /// What the cohort does, in a sentence or two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The most teams it takes, if limited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
    /// What it asks of teams.
    #[serde(default)]
    pub commitments: Commitments,
    /// When teams apply, if the cohort takes applications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applications: Option<ApplicationWindow>,
    /// Its sessions and calls.
    #[serde(default)]
    pub schedule: ScheduleTemplate,
    /// The teams enrolled.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enrolments: Vec<Enrolment>,
}

impl CohortSpec {
    /// A cohort with no capacity limit, commitments, applications, schedule or teams yet.
    pub fn new(name: impl Into<String>, kind: CohortKind) -> Self {
        Self {
            id: None,
            name: name.into(),
            kind,
            description: None,
            capacity: None,
            commitments: Commitments::default(),
            applications: None,
            schedule: ScheduleTemplate::default(),
            enrolments: Vec::new(),
        }
    }

    /// Sets the description (chainable).
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Sets the capacity (chainable).
    #[must_use]
    pub fn capacity(mut self, teams: u32) -> Self {
        self.capacity = Some(teams);
        self
    }

    /// Sets the commitments (chainable).
    #[must_use]
    pub fn commitments(mut self, commitments: Commitments) -> Self {
        self.commitments = commitments;
        self
    }

    /// Sets the application window (chainable).
    #[must_use]
    pub fn applications(mut self, window: ApplicationWindow) -> Self {
        self.applications = Some(window);
        self
    }

    /// Sets the schedule template (chainable).
    #[must_use]
    pub fn schedule(mut self, template: ScheduleTemplate) -> Self {
        self.schedule = template;
        self
    }
}

/// A checked cohort of a [`crate::Program`]: its name is unique, its enrolments name the
/// program's teams, fit its capacity and have consistent dates, and its schedule fits the program
/// window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(into = "CohortSpec")]
pub struct Cohort {
    id: CohortId,
    name: String,
    kind: CohortKind,
    description: Option<String>,
    capacity: Option<u32>,
    commitments: Commitments,
    applications: Option<ApplicationWindow>,
    schedule: ScheduleTemplate,
    enrolments: Vec<Enrolment>,
}

impl From<Cohort> for CohortSpec {
    fn from(c: Cohort) -> Self {
        Self {
            id: Some(c.id),
            name: c.name,
            kind: c.kind,
            description: c.description,
            capacity: c.capacity,
            commitments: c.commitments,
            applications: c.applications,
            schedule: c.schedule,
            enrolments: c.enrolments,
        }
    }
}

impl Cohort {
    /// Checks the parts of a spec that need nothing outside the cohort; the program checks teams
    /// and dates against the window.
    pub(crate) fn from_spec(program: &str, spec: CohortSpec) -> Result<Self, ProgramError> {
        if spec.name.trim().is_empty() {
            return Err(ProgramError::Empty {
                what: "cohort name",
            }
            .in_field("name"));
        }
        if spec.capacity == Some(0) {
            return Err(ProgramError::ZeroCapacity { cohort: spec.name }.in_field("capacity"));
        }
        let id = spec
            .id
            .unwrap_or_else(|| CohortId::from_name(&format!("{program}/{}", spec.name)));
        Ok(Self {
            id,
            name: spec.name,
            kind: spec.kind,
            description: spec.description,
            capacity: spec.capacity,
            commitments: spec.commitments,
            applications: spec.applications,
            schedule: spec.schedule,
            enrolments: spec.enrolments,
        })
    }

    /// Stable id.
    pub const fn id(&self) -> CohortId {
        self.id
    }

    /// Name, unique in the program.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Kind.
    pub const fn kind(&self) -> CohortKind {
        self.kind
    }

    /// Description, if any.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The most teams it takes, if limited.
    pub const fn capacity(&self) -> Option<u32> {
        self.capacity
    }

    /// What it asks of teams.
    pub const fn commitments(&self) -> &Commitments {
        &self.commitments
    }

    /// When teams apply, if it takes applications.
    pub const fn applications(&self) -> Option<&ApplicationWindow> {
        self.applications.as_ref()
    }

    /// Its schedule template (the program's [`crate::Program::schedule`] holds the dated events).
    pub const fn schedule_template(&self) -> &ScheduleTemplate {
        &self.schedule
    }

    /// Every enrolment, in the order recorded.
    pub fn enrolments(&self) -> &[Enrolment] {
        &self.enrolments
    }

    /// The teams that hold a place (active or completed).
    pub fn teams(&self) -> impl Iterator<Item = TeamId> + '_ {
        self.enrolments
            .iter()
            .filter(|e| e.holds_place())
            .map(|e| e.team)
    }

    /// The number of places taken.
    pub fn places_taken(&self) -> usize {
        self.enrolments.iter().filter(|e| e.holds_place()).count()
    }

    /// Places left, if the cohort is limited.
    pub fn places_left(&self) -> Option<u32> {
        let taken = u32::try_from(self.places_taken()).unwrap_or(u32::MAX);
        self.capacity.map(|c| c.saturating_sub(taken))
    }

    /// The team's enrolment, if it has one.
    pub fn enrolment(&self, team: TeamId) -> Option<&Enrolment> {
        self.enrolments.iter().find(|e| e.team == team)
    }

    pub(crate) fn enrolment_mut(&mut self, team: TeamId) -> Option<&mut Enrolment> {
        self.enrolments.iter_mut().find(|e| e.team == team)
    }

    pub(crate) fn push_enrolment(&mut self, enrolment: Enrolment) {
        self.enrolments.push(enrolment);
    }

    /// The application milestones as calendar events.
    pub(crate) fn milestones(&self, program: &str) -> Vec<Event> {
        let Some(window) = self.applications else {
            return Vec::new();
        };
        let day = |date| EventTiming::AllDay {
            first: date,
            last: date,
        };
        let mut events = Vec::new();
        if let Some(opens) = window.opens {
            events.push(Event::new(
                program,
                &self.name,
                EventKind::ApplicationsOpen,
                format!("{} applications open", self.name),
                day(opens),
            ));
        }
        events.push(Event::new(
            program,
            &self.name,
            EventKind::ApplicationDeadline,
            format!("{} application deadline", self.name),
            day(window.deadline),
        ));
        if let Some(decisions) = window.decisions_by {
            events.push(Event::new(
                program,
                &self.name,
                EventKind::DecisionsAnnounced,
                format!("{} decisions announced", self.name),
                day(decisions),
            ));
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn application_windows_reject_out_of_order_dates() {
        let err = ApplicationWindow::new(Some(d(2022, 11, 1)), d(2022, 10, 21), None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "application dates out of order: applications open on 2022-11-01, after the deadline 2022-10-21"
        );
        let window = ApplicationWindow::new(None, d(2022, 10, 21), Some(d(2022, 12, 5))).unwrap();
        assert!(window.is_open_on(d(2022, 10, 21)));
        assert!(!window.is_open_on(d(2022, 10, 22)));
        let json = r#"{"deadline": "2022-10-21", "decisions_by": "2022-10-01"}"#;
        let err = serde_json::from_str::<ApplicationWindow>(json).unwrap_err();
        assert!(err.to_string().contains("before the deadline"), "{err}");
    }

    #[test]
    fn enrolment_dates_must_fit() {
        let team = TeamId::from_name("t");
        let mut e = Enrolment::new(team, d(2023, 1, 1));
        assert!(e.check("t").is_ok());
        e.completed_on = Some(d(2022, 12, 1));
        assert!(
            e.check("t")
                .unwrap_err()
                .to_string()
                .contains("before it began")
        );
        e.completed_on = Some(d(2024, 6, 30));
        e.withdrawn_on = Some(d(2024, 6, 30));
        assert!(e.check("t").is_err());
    }

    #[test]
    fn team_sizes_are_ordered() {
        assert!(TeamSize::new(3, 7).unwrap().fits(5));
        assert!(TeamSize::new(0, 7).is_err());
        assert!(TeamSize::new(8, 7).is_err());
        assert!(serde_json::from_str::<TeamSize>(r#"{"min": 3, "max": 7}"#).is_ok());
        assert!(serde_json::from_str::<TeamSize>(r#"{"min": 3, "maks": 7}"#).is_err());
    }
}

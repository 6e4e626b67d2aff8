//! Programs: who sponsors them, what they focus on, when they run, and their cohorts, teams and
//! projects.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::cohort::{Cohort, CohortSpec, Enrolment};
use crate::error::ProgramError;
use crate::ids::{CohortId, ProgramId, TeamId};
use crate::month::YearMonth;
use crate::pathway::Pathway;
use crate::portfolio::{PortfolioBalance, Project};
use crate::schedule::Schedule;
use crate::team::{Participation, Team};

/// The kind of organization that sponsors a program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SponsorKind {
    /// A professional association (e.g. a state primary care association).
    ProfessionalAssociation,
    /// A foundation.
    Foundation,
    /// A public agency (e.g. a state public health agency).
    PublicAgency,
    /// A partnership of associations, foundations and agencies.
    CrossSectorPartnership,
    /// An improvement institute (e.g. IHI).
    ImprovementInstitute,
    /// Anything else.
    Other,
}

impl SponsorKind {
    /// A human label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::ProfessionalAssociation => "professional association",
            Self::Foundation => "foundation",
            Self::PublicAgency => "public agency",
            Self::CrossSectorPartnership => "cross-sector partnership",
            Self::ImprovementInstitute => "improvement institute",
            Self::Other => "other sponsor",
        }
    }
}

impl fmt::Display for SponsorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Who runs a program, and who funds or supports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sponsor {
    /// The sponsor's name.
    pub name: String,
    /// What kind of organization it is.
    pub kind: SponsorKind,
    /// Funders and partners that support the program, in the program's words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supporters: Vec<String>,
}

impl Sponsor {
    /// A sponsor with no supporters listed.
    pub fn new(name: impl Into<String>, kind: SponsorKind) -> Self {
        Self {
            name: name.into(),
            kind,
            supporters: Vec::new(),
        }
    }

    /// Adds a supporter (chainable).
    #[must_use]
    pub fn supported_by(mut self, supporter: impl Into<String>) -> Self {
        self.supporters.push(supporter.into());
        self
    }
}

/// The improvement framework a program uses.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Framework {
    /// IHI's Pathways to Population Health: four portfolios, a 10-step path.
    PathwaysToPopulationHealth,
    /// IHI's framework for improving health equity (five components).
    HealthEquity,
    /// The IHI Breakthrough Series collaborative model.
    BreakthroughSeries,
    /// Action learning: collaborative learning combined with focused action.
    ActionLearning,
    /// The Model for Improvement with PDSA cycles.
    ModelForImprovement,
    /// Another framework, by name (in TOML: `framework = { other = "Chronic Care Model" }`).
    Other(String),
}

impl Framework {
    /// A human label.
    pub fn label(&self) -> &str {
        match self {
            Self::PathwaysToPopulationHealth => "Pathways to Population Health",
            Self::HealthEquity => "IHI framework for improving health equity",
            Self::BreakthroughSeries => "Breakthrough Series",
            Self::ActionLearning => "action learning",
            Self::ModelForImprovement => "Model for Improvement",
            Self::Other(name) => name,
        }
    }
}

impl fmt::Display for Framework {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A program's length in whole months, from [`DurationMonths::MIN`] to [`DurationMonths::MAX`].
///
/// Zero months leaves no window to schedule in. The programs qic knows run 3 to 18 months (an
/// Action Learning Collaborative "three months to 12 months or longer", a Breakthrough Series 6
/// to 18, Pursuing Equity 18); the upper bound of 60 months (five years) leaves room for
/// multi-year networks while catching a duration given in weeks or days by mistake (52, 90, 365).
///
/// ```
/// use qic_program::DurationMonths;
///
/// assert_eq!(DurationMonths::new(11)?.get(), 11);
/// assert!(DurationMonths::new(0).is_err());
/// assert!(DurationMonths::new(61).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct DurationMonths(u32);

impl DurationMonths {
    /// The shortest program: one month.
    pub const MIN: u32 = 1;
    /// The longest program: five years.
    pub const MAX: u32 = 60;

    /// A checked duration.
    ///
    /// # Errors
    ///
    /// [`ProgramError::DurationOutOfRange`] outside `MIN..=MAX`.
    pub const fn new(months: u32) -> Result<Self, ProgramError> {
        if months < Self::MIN || months > Self::MAX {
            return Err(ProgramError::DurationOutOfRange {
                months,
                min: Self::MIN,
                max: Self::MAX,
            });
        }
        Ok(Self(months))
    }

    /// The number of months.
    pub const fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<u32> for DurationMonths {
    type Error = ProgramError;

    fn try_from(months: u32) -> Result<Self, Self::Error> {
        Self::new(months)
    }
}

impl From<DurationMonths> for u32 {
    fn from(duration: DurationMonths) -> Self {
        duration.0
    }
}

/// The days a program runs, first and last included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "WindowRecord")]
pub struct ProgramWindow {
    #[serde(with = "crate::serde_date")]
    start: NaiveDate,
    #[serde(with = "crate::serde_date")]
    end: NaiveDate,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WindowRecord {
    #[serde(with = "crate::serde_date")]
    start: NaiveDate,
    #[serde(with = "crate::serde_date")]
    end: NaiveDate,
}

impl TryFrom<WindowRecord> for ProgramWindow {
    type Error = ProgramError;

    fn try_from(r: WindowRecord) -> Result<Self, Self::Error> {
        if r.end < r.start {
            return Err(ProgramError::DateOutOfRange {
                what: format!("window ends on {}, before it starts on {}", r.end, r.start),
            });
        }
        Ok(Self {
            start: r.start,
            end: r.end,
        })
    }
}

impl ProgramWindow {
    /// The window of a program that starts on `start` and runs `months` whole months: it ends
    /// the day before the same day `months` later (August 1 plus 11 months ends June 30).
    ///
    /// # Errors
    ///
    /// [`ProgramError::DurationOutOfRange`] for a duration outside [`DurationMonths`]' bounds;
    /// [`ProgramError::DateOutOfRange`] if the end is past chrono's calendar.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use qic_program::ProgramWindow;
    ///
    /// let window = ProgramWindow::new(NaiveDate::from_ymd_opt(2020, 8, 1).unwrap(), 11)?;
    /// assert_eq!(window.end().to_string(), "2021-06-30");
    /// assert_eq!(window.months().len(), 11);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(start: NaiveDate, months: u32) -> Result<Self, ProgramError> {
        let duration = DurationMonths::new(months)?;
        let end = start
            .checked_add_months(Months::new(duration.get()))
            .and_then(|after| after.pred_opt())
            .ok_or_else(|| ProgramError::DateOutOfRange {
                what: format!("{months} months after {start}"),
            })?;
        Ok(Self { start, end })
    }

    /// The first day.
    pub const fn start(&self) -> NaiveDate {
        self.start
    }

    /// The last day.
    pub const fn end(&self) -> NaiveDate {
        self.end
    }

    /// Whether the day is inside the window.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// The calendar months the window touches, in order.
    pub fn months(&self) -> Vec<YearMonth> {
        YearMonth::range_inclusive(YearMonth::of(self.start), YearMonth::of(self.end))
    }
}

impl fmt::Display for ProgramWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} to {}", self.start, self.end)
    }
}

/// A program as written in a file (TOML or JSON), before it is checked. [`Program::new`] checks
/// it; [`crate::io`] loads it from a file and names the file and line of any fault.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramSpec {
    /// Stable id; derived from the name when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<ProgramId>,
    /// The program's name.
    pub name: String,
    /// Who runs it.
    pub sponsor: Sponsor,
    /// What it works on, in a sentence.
    pub focus: String,
    /// The framework it uses.
    pub framework: Framework,
    /// The first day.
    #[serde(with = "crate::serde_date")]
    pub start: NaiveDate,
    /// Its length in months.
    pub duration_months: DurationMonths,
    /// The IANA time zone of the calendar's times of day, e.g. `America/New_York`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Its cohorts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cohorts: Vec<CohortSpec>,
    /// The teams taking part (enrolled in cohorts by id).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<Team>,
    /// The teams' projects, placed in the four portfolios.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub projects: Vec<Project>,
    /// The step-by-step pathway teams follow, if the program uses one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pathway: Option<Pathway>,
}

impl ProgramSpec {
    /// A spec with the required fields and nothing else.
    pub fn new(
        name: impl Into<String>,
        sponsor: Sponsor,
        focus: impl Into<String>,
        framework: Framework,
        start: NaiveDate,
        duration_months: DurationMonths,
    ) -> Self {
        Self {
            id: None,
            name: name.into(),
            sponsor,
            focus: focus.into(),
            framework,
            start,
            duration_months,
            time_zone: None,
            cohorts: Vec::new(),
            teams: Vec::new(),
            projects: Vec::new(),
            pathway: None,
        }
    }

    /// Adds a cohort (chainable).
    #[must_use]
    pub fn cohort(mut self, cohort: CohortSpec) -> Self {
        self.cohorts.push(cohort);
        self
    }

    /// Sets the time zone (chainable).
    #[must_use]
    pub fn time_zone(mut self, zone: impl Into<String>) -> Self {
        self.time_zone = Some(zone.into());
        self
    }

    /// Sets the pathway (chainable).
    #[must_use]
    pub fn pathway(mut self, pathway: Pathway) -> Self {
        self.pathway = Some(pathway);
        self
    }
}

/// A checked program: every cohort's calendar fits the window without overlaps, every enrolment
/// and project names one of its teams, names are unique, and no team is active in two cohorts.
///
/// Build one with [`Program::new`] from a [`ProgramSpec`], load one with
/// [`crate::io::load_program`], or take a [`crate::Preset`]. Serializes as its spec.
///
/// ```
/// use chrono::NaiveDate;
/// use qic_program::{CohortKind, CohortSpec, DurationMonths, Framework, Program, ProgramSpec, Sponsor, SponsorKind};
///
/// let spec = ProgramSpec::new(
///     "Chronic Care Collaborative",
///     Sponsor::new("Regional Health Foundation", SponsorKind::Foundation),
///     "safety-net care for uninsured adults with chronic conditions",
///     Framework::ActionLearning,
///     NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
///     DurationMonths::new(12)?,
/// )
/// .cohort(CohortSpec::new("Cohort 1", CohortKind::Collaborative).capacity(12));
/// let program = Program::new(spec)?;
/// assert_eq!(program.window().end().to_string(), "2025-12-31");
/// assert_eq!(program.cohorts()[0].places_left(), Some(12));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ProgramSpec", into = "ProgramSpec")]
pub struct Program {
    id: ProgramId,
    name: String,
    sponsor: Sponsor,
    focus: String,
    framework: Framework,
    duration: DurationMonths,
    window: ProgramWindow,
    time_zone: Option<String>,
    cohorts: Vec<Cohort>,
    teams: Vec<Team>,
    projects: Vec<Project>,
    pathway: Option<Pathway>,
    schedule: Schedule,
}

impl TryFrom<ProgramSpec> for Program {
    type Error = ProgramError;

    fn try_from(spec: ProgramSpec) -> Result<Self, Self::Error> {
        Self::new(spec)
    }
}

impl From<Program> for ProgramSpec {
    fn from(p: Program) -> Self {
        Self {
            id: Some(p.id),
            name: p.name,
            sponsor: p.sponsor,
            focus: p.focus,
            framework: p.framework,
            start: p.window.start(),
            duration_months: p.duration,
            time_zone: p.time_zone,
            cohorts: p.cohorts.into_iter().map(CohortSpec::from).collect(),
            teams: p.teams,
            projects: p.projects,
            pathway: p.pathway,
        }
    }
}

fn non_empty(text: &str, what: &'static str, field: &str) -> Result<(), ProgramError> {
    if text.trim().is_empty() {
        return Err(ProgramError::Empty { what }.in_field(field));
    }
    Ok(())
}

impl Program {
    /// Checks a spec and builds its calendar.
    ///
    /// # Errors
    ///
    /// A [`ProgramError::Field`] naming the field at fault (a path such as
    /// `cohorts[1].schedule.sessions[0].date`) and wrapping the reason: an empty name or focus,
    /// a date out of range, a duplicate cohort or team, an enrolment or project that names an
    /// unknown team, a full cohort, a team active in two cohorts, enrolment dates out of order,
    /// application decisions after the program ends, or any schedule fault of
    /// [`Schedule::from_template`].
    pub fn new(spec: ProgramSpec) -> Result<Self, ProgramError> {
        non_empty(&spec.name, "program name", "name")?;
        non_empty(&spec.sponsor.name, "sponsor name", "sponsor.name")?;
        non_empty(&spec.focus, "focus", "focus")?;
        let window = ProgramWindow::new(spec.start, spec.duration_months.get())
            .map_err(|e| e.in_field("start"))?;
        let id = spec.id.unwrap_or_else(|| ProgramId::from_name(&spec.name));
        let team_ids = check_teams(&spec.teams)?;

        let mut cohorts: Vec<Cohort> = Vec::with_capacity(spec.cohorts.len());
        let mut schedules = Vec::with_capacity(spec.cohorts.len());
        let mut milestones = Vec::new();
        let mut active: BTreeMap<TeamId, String> = BTreeMap::new();
        for (i, cohort_spec) in spec.cohorts.into_iter().enumerate() {
            let path = format!("cohorts[{i}]");
            let cohort = Cohort::from_spec(&spec.name, cohort_spec)
                .and_then(|cohort| {
                    check_cohort(&cohort, &cohorts, &spec.teams, window, &mut active)?;
                    Ok(cohort)
                })
                .map_err(|e| e.in_field(path.clone()))?;
            let schedule = Schedule::from_template(
                &spec.name,
                window,
                cohort.name(),
                cohort.schedule_template(),
            )
            .map_err(|e| e.in_field(format!("{path}.schedule")))?;
            milestones.extend(cohort.milestones(&spec.name));
            schedules.push(schedule);
            cohorts.push(cohort);
        }

        let mut project_ids = BTreeSet::new();
        for (i, project) in spec.projects.iter().enumerate() {
            if !team_ids.contains(&project.team()) {
                return Err(ProgramError::UnknownTeam {
                    team: project.team(),
                }
                .in_field(format!("projects[{i}].team")));
            }
            if !project_ids.insert(project.id()) {
                return Err(duplicate(
                    "project id",
                    project.id().to_string(),
                    &format!("projects[{i}].id"),
                ));
            }
        }

        if let Some(zone) = &spec.time_zone {
            check_time_zone(zone).map_err(|e| e.in_field("time_zone"))?;
        }
        let schedule = Schedule::combine(
            &spec.name,
            window,
            spec.time_zone.clone(),
            schedules,
            milestones,
        );
        Ok(Self {
            id,
            name: spec.name,
            sponsor: spec.sponsor,
            focus: spec.focus,
            framework: spec.framework,
            duration: spec.duration_months,
            window,
            time_zone: spec.time_zone,
            cohorts,
            teams: spec.teams,
            projects: spec.projects,
            pathway: spec.pathway,
            schedule,
        })
    }

    /// Stable id.
    pub const fn id(&self) -> ProgramId {
        self.id
    }

    /// Name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Sponsor.
    pub const fn sponsor(&self) -> &Sponsor {
        &self.sponsor
    }

    /// Focus.
    pub fn focus(&self) -> &str {
        &self.focus
    }

    /// Framework.
    pub const fn framework(&self) -> &Framework {
        &self.framework
    }

    /// Length in months.
    pub const fn duration(&self) -> DurationMonths {
        self.duration
    }

    /// The days it runs.
    pub const fn window(&self) -> ProgramWindow {
        self.window
    }

    /// The time zone of the calendar's times of day, if given.
    pub fn time_zone(&self) -> Option<&str> {
        self.time_zone.as_deref()
    }

    /// Its cohorts, in file order.
    pub fn cohorts(&self) -> &[Cohort] {
        &self.cohorts
    }

    /// The cohort with this id.
    pub fn cohort(&self, id: CohortId) -> Option<&Cohort> {
        self.cohorts.iter().find(|c| c.id() == id)
    }

    /// The cohort with this name.
    pub fn cohort_named(&self, name: &str) -> Option<&Cohort> {
        self.cohorts.iter().find(|c| c.name() == name)
    }

    /// Its teams, in file order.
    pub fn teams(&self) -> &[Team] {
        &self.teams
    }

    /// The team with this id.
    pub fn team(&self, id: TeamId) -> Option<&Team> {
        self.teams.iter().find(|t| t.id == id)
    }

    /// The teams holding a place in a cohort (active or completed), in enrolment order.
    pub fn teams_in(&self, cohort: CohortId) -> Vec<&Team> {
        self.cohort(cohort)
            .map(|c| c.teams().filter_map(|id| self.team(id)).collect())
            .unwrap_or_default()
    }

    /// The teams' projects.
    pub fn projects(&self) -> &[Project] {
        &self.projects
    }

    /// The pathway teams follow, if the program sets one.
    pub const fn pathway(&self) -> Option<&Pathway> {
        self.pathway.as_ref()
    }

    /// The dated calendar of every cohort, with application milestones.
    pub const fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// Adds a team to the program (not yet to a cohort).
    ///
    /// # Errors
    ///
    /// [`ProgramError::Duplicate`] when a team with the same id or name is already there;
    /// [`ProgramError::Empty`] for an empty name.
    pub fn add_team(&mut self, team: Team) -> Result<(), ProgramError> {
        non_empty(&team.name, "team name", "name")?;
        if self.teams.iter().any(|t| t.id == team.id) {
            return Err(ProgramError::Duplicate {
                what: "team id",
                name: team.id.to_string(),
            });
        }
        if self.teams.iter().any(|t| t.name == team.name) {
            return Err(ProgramError::Duplicate {
                what: "team name",
                name: team.name,
            });
        }
        self.teams.push(team);
        Ok(())
    }

    /// Enrols one of the program's teams in a cohort from `on`.
    ///
    /// A team may hold one active enrolment in the program at a time; a team that finished a
    /// Learning Network elsewhere (see [`Team::history`]) is welcome in an Action Community.
    ///
    /// # Errors
    ///
    /// [`ProgramError::UnknownTeam`], [`ProgramError::UnknownCohort`],
    /// [`ProgramError::AlreadyEnrolled`] (active in this or another cohort, or enrolled in this
    /// one before), [`ProgramError::CohortFull`], or [`ProgramError::InvalidEnrolment`] when `on`
    /// is after the program ends.
    pub fn enrol(
        &mut self,
        team: TeamId,
        cohort: CohortId,
        on: NaiveDate,
    ) -> Result<(), ProgramError> {
        let name = self
            .team(team)
            .ok_or(ProgramError::UnknownTeam { team })?
            .name
            .clone();
        let enrolment = Enrolment::new(team, on);
        check_enrolment(&enrolment, &name, self.window)?;
        if let Some(other) = self
            .cohorts
            .iter()
            .find(|c| c.enrolment(team).is_some_and(Enrolment::is_active))
        {
            return Err(ProgramError::AlreadyEnrolled {
                team: name,
                cohort: other.name().to_owned(),
            });
        }
        let target = self
            .cohorts
            .iter_mut()
            .find(|c| c.id() == cohort)
            .ok_or_else(|| ProgramError::UnknownCohort {
                cohort: cohort.to_string(),
            })?;
        if target.enrolment(team).is_some() {
            return Err(ProgramError::AlreadyEnrolled {
                team: name,
                cohort: target.name().to_owned(),
            });
        }
        if target.places_left() == Some(0) {
            return Err(ProgramError::CohortFull {
                cohort: target.name().to_owned(),
                capacity: target.capacity().unwrap_or(0),
            });
        }
        target.push_enrolment(enrolment);
        Ok(())
    }

    /// Records that a team finished a cohort on `on`.
    ///
    /// # Errors
    ///
    /// [`ProgramError::UnknownCohort`]; [`ProgramError::InvalidEnrolment`] when the team is not
    /// active in the cohort or `on` is before it enrolled.
    pub fn complete(
        &mut self,
        team: TeamId,
        cohort: CohortId,
        on: NaiveDate,
    ) -> Result<(), ProgramError> {
        self.end_enrolment(team, cohort, on, true)
    }

    /// Records that a team left a cohort early on `on`, freeing its place.
    ///
    /// # Errors
    ///
    /// As for [`Program::complete`].
    pub fn withdraw(
        &mut self,
        team: TeamId,
        cohort: CohortId,
        on: NaiveDate,
    ) -> Result<(), ProgramError> {
        self.end_enrolment(team, cohort, on, false)
    }

    fn end_enrolment(
        &mut self,
        team: TeamId,
        cohort: CohortId,
        on: NaiveDate,
        completed: bool,
    ) -> Result<(), ProgramError> {
        let name = self
            .team(team)
            .map_or_else(|| team.to_string(), |t| t.name.clone());
        let target = self
            .cohorts
            .iter_mut()
            .find(|c| c.id() == cohort)
            .ok_or_else(|| ProgramError::UnknownCohort {
                cohort: cohort.to_string(),
            })?;
        let cohort_name = target.name().to_owned();
        let enrolment = target
            .enrolment_mut(team)
            .filter(|e| e.is_active())
            .ok_or_else(|| ProgramError::InvalidEnrolment {
                team: name.clone(),
                reason: format!("the team is not active in cohort `{cohort_name}`"),
            })?;
        let mut updated = *enrolment;
        if completed {
            updated.completed_on = Some(on);
        } else {
            updated.withdrawn_on = Some(on);
        }
        updated.check(&name)?;
        *enrolment = updated;
        Ok(())
    }

    /// A readable summary: the program, then each cohort with its commitments, applications,
    /// calendar counts and enrolled teams.
    pub fn summary(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let _ = writeln!(out, "{}", self.name);
        let mut sponsor = format!("{} ({})", self.sponsor.name, self.sponsor.kind);
        if !self.sponsor.supporters.is_empty() {
            let _ = write!(
                sponsor,
                ", supported by {}",
                self.sponsor.supporters.join(", ")
            );
        }
        let months = self.duration.get();
        let mut lines = vec![
            ("sponsor", sponsor),
            ("focus", self.focus.clone()),
            ("framework", self.framework.to_string()),
            (
                "runs",
                format!(
                    "{} ({months} month{})",
                    self.window,
                    if months == 1 { "" } else { "s" }
                ),
            ),
        ];
        if let Some(zone) = &self.time_zone {
            lines.push(("time zone", zone.clone()));
        }
        if let Some(pathway) = &self.pathway {
            lines.push((
                "pathway",
                format!("{} ({} steps)", pathway.name(), pathway.steps().len()),
            ));
        }
        lines.push(("teams", self.teams.len().to_string()));
        if !self.projects.is_empty() {
            lines.push(("projects", self.projects.len().to_string()));
        }
        write_fields(&mut out, &lines);
        for cohort in &self.cohorts {
            if cohort.name() == cohort.kind().label() {
                let _ = writeln!(out, "\nCohort: {}", cohort.name());
            } else {
                let _ = writeln!(out, "\nCohort: {} ({})", cohort.name(), cohort.kind());
            }
            write_fields(&mut out, &self.cohort_summary(cohort));
        }
        out
    }

    fn cohort_summary(&self, cohort: &Cohort) -> Vec<(&'static str, String)> {
        use std::fmt::Write as _;
        let mut lines = Vec::new();
        if let Some(text) = cohort.description() {
            lines.push(("about", text.to_owned()));
        }
        if let Some(capacity) = cohort.capacity() {
            lines.push((
                "capacity",
                format!(
                    "{capacity} teams ({} places left)",
                    cohort.places_left().unwrap_or(0)
                ),
            ));
        }
        if let Some(apps) = cohort.applications() {
            let mut text = String::new();
            if let Some(opens) = apps.opens() {
                let _ = write!(text, "open {opens}; ");
            }
            let _ = write!(text, "deadline {}", apps.deadline());
            if let Some(decisions) = apps.decisions_by() {
                let _ = write!(text, "; decisions by {decisions}");
            }
            lines.push(("applications", text));
        }
        let c = cohort.commitments();
        let mut asks: Vec<String> = c
            .expectations
            .iter()
            .map(|e| e.label().to_owned())
            .collect();
        if let Some(frequency) = c.team_meets {
            asks.push(format!("team meets {}", frequency.label()));
        }
        if let Some(size) = c.core_team_size {
            asks.push(format!(
                "core team of {} to {} people",
                size.min(),
                size.max()
            ));
        }
        asks.extend(c.other.iter().cloned());
        if !asks.is_empty() {
            lines.push(("commitments", asks.join("; ")));
        }
        let mut counts: BTreeMap<crate::schedule::EventKind, usize> = BTreeMap::new();
        for event in self.schedule.for_cohort(cohort.name()) {
            if !event.kind.is_milestone() {
                *counts.entry(event.kind).or_default() += 1;
            }
        }
        let calendar: Vec<String> = counts
            .iter()
            .map(|(kind, n)| format!("{n} × {kind}"))
            .collect();
        lines.push((
            "calendar",
            if calendar.is_empty() {
                "no events".into()
            } else {
                calendar.join(", ")
            },
        ));
        let teams: Vec<String> = cohort
            .enrolments()
            .iter()
            .map(|e| {
                let name = self
                    .team(e.team)
                    .map_or_else(|| e.team.to_string(), |t| t.name.clone());
                match e.status() {
                    crate::cohort::EnrolmentStatus::Active => name,
                    crate::cohort::EnrolmentStatus::Completed(on) => {
                        format!("{name} (completed {on})")
                    }
                    crate::cohort::EnrolmentStatus::Withdrawn(on) => {
                        format!("{name} (withdrew {on})")
                    }
                }
            })
            .collect();
        lines.push((
            "teams",
            if teams.is_empty() {
                "none enrolled".into()
            } else {
                teams.join(", ")
            },
        ));
        lines
    }

    /// The cohorts a team took part in, as history records it can carry to later programs.
    pub fn participation(&self, team: TeamId) -> Vec<Participation> {
        self.cohorts
            .iter()
            .filter_map(|c| {
                let e = c.enrolment(team)?;
                Some(Participation {
                    program: self.name.clone(),
                    cohort: c.name().to_owned(),
                    kind: c.kind(),
                    enrolled_on: e.enrolled_on,
                    completed_on: e.completed_on,
                })
            })
            .collect()
    }

    /// Adds a project of one of the program's teams.
    ///
    /// # Errors
    ///
    /// [`ProgramError::UnknownTeam`]; [`ProgramError::Duplicate`] for a repeated project id.
    pub fn add_project(&mut self, project: Project) -> Result<(), ProgramError> {
        if self.team(project.team()).is_none() {
            return Err(ProgramError::UnknownTeam {
                team: project.team(),
            });
        }
        if self.projects.iter().any(|p| p.id() == project.id()) {
            return Err(ProgramError::Duplicate {
                what: "project id",
                name: project.id().to_string(),
            });
        }
        self.projects.push(project);
        Ok(())
    }

    /// How one team's projects spread over the four portfolios.
    pub fn team_balance(&self, team: TeamId) -> PortfolioBalance {
        PortfolioBalance::of(self.projects.iter().filter(|p| p.team() == team))
    }

    /// How the projects of a cohort's teams spread over the four portfolios.
    pub fn cohort_balance(&self, cohort: CohortId) -> PortfolioBalance {
        let teams: BTreeSet<TeamId> = self
            .cohort(cohort)
            .map(|c| c.teams().collect())
            .unwrap_or_default();
        PortfolioBalance::of(self.projects.iter().filter(|p| teams.contains(&p.team())))
    }
}

fn write_fields(out: &mut String, lines: &[(&str, String)]) {
    use std::fmt::Write as _;
    let width = lines
        .iter()
        .map(|(label, _)| label.len())
        .max()
        .unwrap_or(0)
        + 1;
    for (label, value) in lines {
        let _ = writeln!(out, "  {:<width$} {value}", format!("{label}:"));
    }
}

/// Checks that team ids and names are unique; returns the ids.
fn check_teams(teams: &[Team]) -> Result<BTreeSet<TeamId>, ProgramError> {
    let mut ids = BTreeSet::new();
    let mut names = BTreeSet::new();
    for (i, team) in teams.iter().enumerate() {
        non_empty(&team.name, "team name", &format!("teams[{i}].name"))?;
        if !ids.insert(team.id) {
            return Err(duplicate(
                "team id",
                team.id.to_string(),
                &format!("teams[{i}].id"),
            ));
        }
        if !names.insert(team.name.as_str()) {
            return Err(duplicate(
                "team name",
                team.name.clone(),
                &format!("teams[{i}].name"),
            ));
        }
    }
    Ok(ids)
}

/// Checks a cohort against the cohorts before it, the program's teams and its window. `active`
/// maps each team active so far to its cohort. Field paths are relative to the cohort.
fn check_cohort(
    cohort: &Cohort,
    earlier: &[Cohort],
    teams: &[Team],
    window: ProgramWindow,
    active: &mut BTreeMap<TeamId, String>,
) -> Result<(), ProgramError> {
    if earlier.iter().any(|c| c.name() == cohort.name()) {
        return Err(duplicate("cohort name", cohort.name().to_owned(), "name"));
    }
    if earlier.iter().any(|c| c.id() == cohort.id()) {
        return Err(duplicate("cohort id", cohort.id().to_string(), "id"));
    }
    if let Some(applications) = cohort.applications() {
        let last = applications
            .decisions_by()
            .unwrap_or(applications.deadline());
        if last > window.end() {
            return Err(ProgramError::ApplicationWindow {
                reason: format!(
                    "applications close after the program ends on {}",
                    window.end()
                ),
            }
            .in_field("applications"));
        }
    }
    let mut seen = BTreeSet::new();
    for (k, enrolment) in cohort.enrolments().iter().enumerate() {
        let field = format!("enrolments[{k}]");
        let name = teams
            .iter()
            .find(|t| t.id == enrolment.team)
            .map(|t| t.name.clone())
            .ok_or_else(|| {
                ProgramError::UnknownTeam {
                    team: enrolment.team,
                }
                .in_field(format!("{field}.team"))
            })?;
        check_enrolment(enrolment, &name, window).map_err(|e| e.in_field(field.clone()))?;
        if !seen.insert(enrolment.team) {
            return Err(duplicate(
                "enrolment of team",
                name,
                &format!("{field}.team"),
            ));
        }
        if enrolment.is_active()
            && let Some(other) = active.insert(enrolment.team, cohort.name().to_owned())
        {
            return Err(ProgramError::AlreadyEnrolled {
                team: name,
                cohort: other,
            }
            .in_field(field));
        }
    }
    if let Some(capacity) = cohort.capacity()
        && cohort.places_taken() > capacity as usize
    {
        return Err(ProgramError::CohortFull {
            cohort: cohort.name().to_owned(),
            capacity,
        }
        .in_field("enrolments"));
    }
    Ok(())
}

fn duplicate(what: &'static str, name: String, field: &str) -> ProgramError {
    ProgramError::Duplicate { what, name }.in_field(field)
}

fn check_enrolment(
    enrolment: &Enrolment,
    team: &str,
    window: ProgramWindow,
) -> Result<(), ProgramError> {
    enrolment.check(team)?;
    if enrolment.enrolled_on > window.end() {
        return Err(ProgramError::InvalidEnrolment {
            team: team.to_owned(),
            reason: format!(
                "it begins on {}, after the program ends on {}",
                enrolment.enrolled_on,
                window.end()
            ),
        }
        .in_field("enrolled_on"));
    }
    Ok(())
}

/// Refuses a time zone that is not an IANA name (`America/Denver`, `UTC`).
pub(crate) fn check_time_zone(zone: &str) -> Result<(), ProgramError> {
    zone.parse::<chrono_tz::Tz>()
        .map(|_| ())
        .map_err(|_| ProgramError::UnknownTimeZone {
            zone: zone.to_owned(),
        })
}

//! Health care quality-improvement collaboratives as data: programs and their sponsors, cohorts
//! (Learning Networks and Action Communities), their calendars, the 10-step pathway, the four
//! portfolios of population health, the teams that join and the people on them, and team
//! progress on the IHI Assessment Scale for Collaboratives.
//!
//! ```
//! use qic_program::{EventKind, Preset};
//!
//! let program = Preset::ImprovingPopulationHealth2020.program()?;
//! assert_eq!(program.window().to_string(), "2020-08-01 to 2021-06-30");
//! let schedule = program.schedule();
//! assert_eq!(schedule.learning_sessions().count(), 3);
//! assert_eq!(schedule.of_kind(EventKind::HarvestingSession).count(), 1);
//! let ics = schedule.to_ics(); // RFC 5545, byte-identical on every run
//! assert!(ics.starts_with("BEGIN:VCALENDAR"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! - [`program`]: [`Program`] (sponsor, focus, framework, start, duration, cohorts, teams,
//!   projects), built and checked from a [`ProgramSpec`]; [`ProgramWindow`]; [`DurationMonths`].
//! - [`cohort`]: [`Cohort`] kinds, [`Commitments`], capacity, [`ApplicationWindow`] and
//!   [`Enrolment`]s.
//! - [`schedule`]: a [`ScheduleTemplate`] of sessions and call series becomes a [`Schedule`] of
//!   dated [`Event`]s, with action periods derived between sessions, exported as iCalendar or a
//!   text table; [`recurrence`] holds the call rules ("second Tuesday of each month").
//! - [`pathway`]: the 10-step [`Pathway`] (titles paraphrased, loadable from a file) and each
//!   team's [`TeamProgress`], with a warning when execution starts before prioritizing ends.
//! - [`portfolio`]: the four [`Portfolio`]s with their Compass components, team [`Project`]s and
//!   [`PortfolioBalance`] per team and per cohort.
//! - [`progress`]: the ten-level [`AssessmentLevel`] scale with overridable labels, monthly
//!   scores in a [`ProgressLog`] and the cohort's [`MonthDistribution`] month by month.
//! - [`design`]: the eight development steps of an Action Learning Collaborative, as a
//!   [`design::CollaborativeDesign`] that builds a program only when every step is answered.
//! - [`presets`]: the seed programs ([`Preset`]).
//! - [`io`]: loading programs and pathways from TOML and JSON, with errors that name the file,
//!   field and line.
//! - [`team`], [`ids`], [`month`]: organizations, teams, members, roles and lenses; id newtypes;
//!   calendar months.
//! - [`serde_date`]: dates that read from JSON strings and TOML native dates alike.
//!
//! # Examples
//!
//! Load a program file and print its calendar:
//!
//! ```
//! let text = r#"
//! name = "Hypertension Collaborative"
//! focus = "blood pressure control"
//! framework = "model_for_improvement"
//! start = 2025-01-01
//! duration_months = 6
//! time_zone = "America/Denver"
//!
//! [sponsor]
//! name = "Mountain Health Foundation"
//! kind = "foundation"
//!
//! [[cohorts]]
//! name = "Cohort 1"
//! kind = "collaborative"
//! capacity = 12
//!
//! [[cohorts.schedule.sessions]]
//! name = "Learning Session 1"
//! format = "in_person"
//! date = 2025-01-15
//! days = 2
//!
//! [[cohorts.schedule.sessions]]
//! name = "Learning Session 2"
//! format = "virtual"
//! date = 2025-04-09
//!
//! [[cohorts.schedule.calls]]
//! name = "All-team call"
//! kind = "all_team"
//! rule = "second Tuesday of each month"
//! start_time = 13:00:00
//! "#;
//! let program = qic_program::io::parse_program(text, qic_program::io::FileFormat::Toml, "program.toml")?;
//! let table = program.schedule().to_table();
//! assert!(table.contains("Learning Session 2 (virtual)"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Track a team along the pathway and score it monthly:
//!
//! ```
//! use chrono::NaiveDate;
//! use qic_program::{AssessmentLevel, MonthlyScore, Pathway, ProgressLog, Rater, TeamId, TeamProgress};
//!
//! let team = TeamId::from_name("Lakeside");
//! let path = Pathway::pathways_to_population_health();
//! let mut steps = TeamProgress::new(team, &path);
//! steps.start(&path, 8, NaiveDate::from_ymd_opt(2020, 9, 1).unwrap())?;
//! assert_eq!(steps.warnings(&path)[0].unfinished.len(), 7);
//!
//! let mut log = ProgressLog::default();
//! log.record(MonthlyScore::new(team, "2020-09".parse()?, AssessmentLevel::ActivityNoChanges))?;
//! assert_eq!(log.distribution(&[team], Rater::Staff)[0].median, Some(2.0));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Crate features
//!
//! serde support is always on: it is part of the model, because qic's types are the interchange
//! format.
//!
//! - **schema** (off by default): derives `schemars::JsonSchema` for [`OrganizationKind`],
//!   [`Role`] and [`Lens`], so that crates which put them in a documented input format can publish
//!   its JSON Schema.

pub mod cohort;
mod dates;
pub mod design;
pub mod error;
pub mod ids;
pub mod io;
pub mod month;
pub mod pathway;
pub mod portfolio;
pub mod presets;
pub mod program;
pub mod progress;
pub mod recurrence;
pub mod schedule;
pub mod serde_date;
pub mod team;
mod vtimezone;

pub use cohort::{
    ApplicationWindow, Cohort, CohortKind, CohortSpec, Commitments, Enrolment, EnrolmentStatus,
    Expectation, Frequency, TeamSize,
};
pub use error::ProgramError;
pub use ids::{CohortId, MemberId, OrganizationId, ProgramId, ProjectId, TeamId};
pub use month::YearMonth;
pub use pathway::{Pathway, PathwayPhase, PathwayStep, PathwayWarning, StepStatus, TeamProgress};
pub use portfolio::{
    CompassComponent, Portfolio, PortfolioBalance, PortfolioCount, PortfolioScope, Project,
};
pub use presets::Preset;
pub use program::{
    DurationMonths, Framework, Program, ProgramSpec, ProgramWindow, Sponsor, SponsorKind,
};
pub use progress::{
    AssessmentLevel, AssessmentScale, LabelOverride, LabelStatus, MonthDistribution, MonthlyScore,
    ProgressLog, Rater,
};
pub use recurrence::{Recurrence, WeekOfMonth};
pub use schedule::{
    CallKind, CallSeries, CallWindow, Event, EventKind, EventTiming, Schedule, ScheduleTemplate,
    SessionFormat, SessionKind, SessionSpec, SkippedOccurrence,
};
pub use team::{Lens, Member, Organization, OrganizationKind, Participation, Role, Team};

//! WIP
pub mod cohort;
mod dates;
pub mod error;
pub mod ids;
pub mod io;
pub mod month;
pub mod pathway;
pub mod portfolio;
pub mod program;
pub mod progress;
pub mod recurrence;
pub mod schedule;
pub mod team;

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

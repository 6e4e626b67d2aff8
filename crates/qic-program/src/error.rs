//! The crate's error type.

use chrono::NaiveDate;

use crate::ids::TeamId;

/// Everything that can go wrong when building, loading or scheduling a program.
///
/// Messages are lowercase, name the file, line and field at fault where there is one, and never
/// quote patient data (program files hold none).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProgramError {
    /// A program or pathway file could not be read: it is missing, its name ends in neither
    /// `.toml` nor `.json`, or it does not parse (bad syntax, a misspelt or missing field, a
    /// value of the wrong type or out of range), with the file, line, column and field.
    #[error(transparent)]
    Document(#[from] qic_io::DocumentError),
    /// A file parsed, but what it describes is not a valid program; `source` says why and
    /// `location` where (the file, and the line and path of the field at fault where known).
    #[error("{location}: {}", source.cause())]
    InFile {
        /// Where.
        location: qic_io::Location,
        /// The fault, naming the field.
        source: Box<ProgramError>,
    },
    /// A field holds a value that is not allowed; `source` says why.
    #[error("{field}: {source}")]
    Field {
        /// The path of the field, e.g. `cohorts[0].schedule.sessions[2].date`.
        field: String,
        /// The fault.
        source: Box<ProgramError>,
    },
    /// A required text (a name, a focus, a title) is empty.
    #[error("{what} must not be empty")]
    Empty {
        /// What is empty, e.g. "program name".
        what: &'static str,
    },
    /// A program duration outside the accepted range.
    #[error("duration must be between {min} and {max} months, got {months}")]
    DurationOutOfRange {
        /// The duration given.
        months: u32,
        /// The shortest accepted duration.
        min: u32,
        /// The longest accepted duration.
        max: u32,
    },
    /// A date computation left the range chrono can represent.
    #[error("date out of range: {what}")]
    DateOutOfRange {
        /// What was being computed.
        what: String,
    },
    /// A month that does not exist, or text that is not a `YYYY-MM` month.
    #[error("invalid month `{text}` (expected YYYY-MM)")]
    InvalidMonth {
        /// The text or numbers given.
        text: String,
    },
    /// A recurrence rule that could not be understood.
    #[error("invalid recurrence rule `{rule}`: {reason}")]
    InvalidRecurrence {
        /// The rule as written.
        rule: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A session or call whose fields do not fit together.
    #[error("{what} `{name}`: {reason}")]
    InvalidEvent {
        /// "session" or "call series".
        what: &'static str,
        /// Its name.
        name: String,
        /// What is wrong.
        reason: String,
    },
    /// An application window whose dates are out of order.
    #[error("application dates out of order: {reason}")]
    ApplicationWindow {
        /// Which dates are out of order.
        reason: String,
    },
    /// An event that falls outside the program window.
    #[error(
        "{event} ({first_day}{}) is outside the program window {window_start} to {window_end}",
        if last_day == first_day { String::new() } else { format!(" to {last_day}") }
    )]
    EventOutsideWindow {
        /// The event's title.
        event: String,
        /// Its first day.
        first_day: NaiveDate,
        /// Its last day.
        last_day: NaiveDate,
        /// The program's first day.
        window_start: NaiveDate,
        /// The program's last day.
        window_end: NaiveDate,
    },
    /// Two events of one cohort at the same time.
    #[error("{first} and {second} overlap on {date} in cohort `{cohort}`")]
    OverlappingEvents {
        /// The cohort.
        cohort: String,
        /// The earlier event.
        first: String,
        /// The event that overlaps it.
        second: String,
        /// The first day they share.
        date: NaiveDate,
    },
    /// Two items that must have distinct names (or ids) do not.
    #[error("duplicate {what} `{name}`")]
    Duplicate {
        /// What kind of item, e.g. "cohort name".
        what: &'static str,
        /// The repeated name or id.
        name: String,
    },
    /// A core team size range that is empty or starts at zero.
    #[error("team size must satisfy 1 <= min <= max, got {min} to {max}")]
    InvalidTeamSize {
        /// The smallest size given.
        min: u32,
        /// The largest size given.
        max: u32,
    },
    /// A team id that is not one of the program's teams.
    #[error("unknown team {team}")]
    UnknownTeam {
        /// The id.
        team: TeamId,
    },
    /// A cohort that is not part of the program.
    #[error("unknown cohort `{cohort}`")]
    UnknownCohort {
        /// The cohort's name or id.
        cohort: String,
    },
    /// A team that already takes part in a cohort of the program.
    #[error("team `{team}` is already enrolled in cohort `{cohort}`")]
    AlreadyEnrolled {
        /// The team's name.
        team: String,
        /// The cohort it is active in.
        cohort: String,
    },
    /// A cohort whose capacity is zero teams.
    #[error("cohort `{cohort}` has a capacity of 0 teams (leave `capacity` out for no limit)")]
    ZeroCapacity {
        /// The cohort.
        cohort: String,
    },
    /// A cohort that has no place left.
    #[error("cohort `{cohort}` is full ({capacity} teams)")]
    CohortFull {
        /// The cohort.
        cohort: String,
        /// Its capacity.
        capacity: u32,
    },
    /// An enrolment whose dates do not fit together or with the program.
    #[error("enrolment of team `{team}`: {reason}")]
    InvalidEnrolment {
        /// The team's name.
        team: String,
        /// What is wrong.
        reason: String,
    },
    /// A time zone that is not an IANA time zone name.
    #[error("unknown time zone `{zone}` (give an IANA name such as `America/New_York` or `UTC`)")]
    UnknownTimeZone {
        /// The name given.
        zone: String,
    },
    /// A preset name that qic does not know.
    #[error("unknown preset `{name}` (known presets: {known})")]
    UnknownPreset {
        /// The name given.
        name: String,
        /// The known names, comma-separated.
        known: String,
    },
    /// A collaborative design that was asked to build before every step was answered.
    #[error("the design is incomplete: answer {}", missing.join(", "))]
    DesignIncomplete {
        /// The development steps still unanswered, in order.
        missing: Vec<String>,
    },
    /// A development step's answer that cannot be used.
    #[error("design step `{step}`: {reason}")]
    InvalidDesign {
        /// The step.
        step: String,
        /// What is wrong with the answer.
        reason: String,
    },
    /// A pathway definition that cannot be used.
    #[error("invalid pathway: {reason}")]
    InvalidPathway {
        /// What is wrong.
        reason: String,
    },
    /// A step number that the pathway does not have.
    #[error("the pathway has no step {step} (it has steps 1 to {last})")]
    UnknownStep {
        /// The step asked for.
        step: u32,
        /// The pathway's last step.
        last: usize,
    },
    /// A change of step status that is not allowed.
    #[error("step {step}: {reason}")]
    StepProgress {
        /// The step.
        step: u32,
        /// Why the change is refused.
        reason: String,
    },
    /// A value that is not one of the assessment scale's ten levels.
    #[error("invalid assessment score {value} (expected 0.5 to 5.0 in steps of 0.5)")]
    InvalidScore {
        /// The value given.
        value: String,
    },
    /// A second score for the same team, month and rater.
    #[error("team {team} already has a {rater} score for {month}")]
    DuplicateScore {
        /// The team.
        team: TeamId,
        /// The month.
        month: String,
        /// Who rated.
        rater: String,
    },
    /// A project placed in no portfolio, or with a Compass component outside its portfolios.
    #[error("project `{project}`: {reason}")]
    InvalidProject {
        /// The project's name.
        project: String,
        /// What is wrong.
        reason: String,
    },
}

impl ProgramError {
    /// Wraps an error with the path of the field at fault, prefixing any path it already has.
    #[must_use]
    pub fn in_field(self, field: impl Into<String>) -> Self {
        let field = field.into();
        match self {
            Self::Field {
                field: inner,
                source,
            } => Self::Field {
                field: join_path(&field, &inner),
                source,
            },
            other => Self::Field {
                field,
                source: Box::new(other),
            },
        }
    }

    /// The error without the field paths wrapped around it (the [`ProgramError::Field`] layers).
    pub fn cause(&self) -> &Self {
        match self {
            Self::Field { source, .. } => source.cause(),
            other => other,
        }
    }

    /// The path of the field at fault, if the error names one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Field { field, .. } => Some(field),
            Self::InFile { source, .. } => source.field(),
            _ => None,
        }
    }
}

fn join_path(outer: &str, inner: &str) -> String {
    if inner.starts_with('[') {
        format!("{outer}{inner}")
    } else {
        format!("{outer}.{inner}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_paths_nest_outward() {
        let err = ProgramError::Empty {
            what: "session name",
        }
        .in_field("name")
        .in_field("sessions[2]")
        .in_field("cohorts[0].schedule");
        assert_eq!(err.field(), Some("cohorts[0].schedule.sessions[2].name"));
        assert_eq!(
            err.to_string(),
            "cohorts[0].schedule.sessions[2].name: session name must not be empty"
        );
        let err = ProgramError::Empty { what: "x" }
            .in_field("[3]")
            .in_field("teams");
        assert_eq!(err.field(), Some("teams[3]"));
    }

    #[test]
    fn file_errors_name_file_and_line() {
        let err = ProgramError::InFile {
            location: qic_io::Location::new("p.toml")
                .at_line(4)
                .with_field("duration_months"),
            source: Box::new(
                ProgramError::DurationOutOfRange {
                    months: 0,
                    min: 1,
                    max: 60,
                }
                .in_field("duration_months"),
            ),
        };
        assert_eq!(
            err.to_string(),
            "p.toml:4: $.duration_months: duration must be between 1 and 60 months, got 0"
        );
        assert_eq!(err.field(), Some("duration_months"));
    }
}

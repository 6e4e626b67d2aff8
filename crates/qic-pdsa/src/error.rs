//! The crate's error type.

use std::path::PathBuf;

use crate::cycle::Problem;

/// Everything that can go wrong reading or checking a team's measures, cycles and reports.
///
/// Messages name the file, the item (team, cycle, measure, month) and the field at fault; they
/// never hold values from patient-level data.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PdsaError {
    /// A file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A file could not be read: it is missing, its name ends in neither `.toml` nor `.json`,
    /// or it does not parse (bad syntax, a misspelt or missing field, an unknown value), with
    /// the file, line, column and field's path.
    #[error(transparent)]
    Document(#[from] qic_io::DocumentError),
    /// A file parsed, but a value in it cannot be used (a cohort the program does not have, a
    /// suppression threshold out of range).
    #[error("{location}: {message}")]
    Value {
        /// Where: the file, line, column and field.
        location: qic_io::Location,
        /// What is wrong.
        message: String,
    },
    /// A file parsed but its content is not sound; every error found is listed.
    #[error("{}: {}", path.display(), problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The problems (errors, and any warnings found with them).
        problems: Vec<Problem>,
    },
    /// A measure's definition is not sound.
    #[error("{}: {source}", path.display())]
    Measure {
        /// The file that defines the measure.
        path: PathBuf,
        /// What is wrong.
        source: crate::measure::MeasureProblem,
    },
    /// A data file is not sound: a month twice, a negative count, a numerator above its
    /// denominator, a duplicated column, a line too long, sums too large to chart.
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Data {
        /// The data file.
        path: PathBuf,
        /// The 1-based line of the fault, where known.
        line: Option<u64>,
        /// What is wrong (which column and why, never the value of a patient record).
        message: String,
    },
    /// Two reports of one team cover the same month.
    #[error("team `{team}` reports {month} twice: {} and {}", first.display(), second.display())]
    DuplicateReport {
        /// The team's name.
        team: String,
        /// The month.
        month: String,
        /// The first report file.
        first: PathBuf,
        /// The second report file.
        second: PathBuf,
    },
    /// Two team folders are the same team.
    #[error("{} and {}: both folders are team `{team}` (keep one folder per team)", first.display(), second.display())]
    DuplicateTeam {
        /// The team's name.
        team: String,
        /// The first folder's team.toml.
        first: PathBuf,
        /// The second folder's team.toml.
        second: PathBuf,
    },
    /// A team folder names a team that the program does not have, or has not enrolled.
    #[error("{}: team `{team}` {reason}", path.display())]
    UnknownTeam {
        /// The team folder or file.
        path: PathBuf,
        /// The team named.
        team: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// A file refers to a measure that is not defined.
    #[error("{}: measure `{measure}` is not defined by the program or the team", path.display())]
    UnknownMeasure {
        /// The file.
        path: PathBuf,
        /// The measure key.
        measure: String,
    },
    /// A stratified data file was refused (the message names its line and column).
    #[error(transparent)]
    Equity {
        /// What qic-equity found.
        #[from]
        source: Box<qic_equity::EquityError>,
    },
    /// The program file was refused.
    #[error(transparent)]
    Program(#[from] qic_program::ProgramError),
    /// A team's data could not be charted (checked series always can; this guards the report).
    #[error("cannot chart the data: {0}")]
    Chart(#[from] qic_spc::SpcError),
}

impl PdsaError {
    /// Wraps an I/O error with the file it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}

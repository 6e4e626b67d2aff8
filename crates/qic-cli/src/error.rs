//! The command's error type: one message naming the file, line and field at fault.

use std::path::PathBuf;

/// Why a `qic` command failed. Each variant's message names what is at fault; `main` prints it
/// on one line and exits with status 1.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum CliError {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The output named is one of the command's inputs (same file, under any name); nothing
    /// was written.
    #[error("{}: refusing to write over an input ({}); choose another output file", output.display(), input.display())]
    OutputIsInput {
        /// The output asked for.
        output: PathBuf,
        /// The input it is.
        input: PathBuf,
    },
    /// Writing to standard output failed (e.g. a closed pipe).
    #[error("cannot write output: {0}")]
    Output(#[source] std::io::Error),
    /// The arguments do not say what to do.
    #[error("{0}")]
    Usage(String),
    /// A program file or preset was refused.
    #[error(transparent)]
    Program(#[from] qic_program::ProgramError),
    /// An application or rule set was refused.
    #[error(transparent)]
    Eligibility(#[from] qic_eligibility::EligibilityError),
    /// `--rules` named neither a preset nor a file.
    #[error("`{spec}` is neither a rule set preset ({presets}) nor a file")]
    UnknownRules {
        /// What was given.
        spec: String,
        /// The presets there are.
        presets: String,
    },
    /// A batch stopped because its input could not be read or its output written.
    #[error("{}: batch stopped at line {line}: {source}", path.display())]
    Batch {
        /// The input file.
        path: PathBuf,
        /// The line being read or written.
        line: u64,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// An extract, a mapping file or an equity setting was refused.
    #[error(transparent)]
    Equity(#[from] qic_equity::EquityError),
    /// A collaborative's folder or a team's cycles file was refused (the message names the
    /// file, line, cycle and field).
    #[error(transparent)]
    Pdsa(#[from] qic_pdsa::PdsaError),
    /// A cycles file has errors; each was printed, and this sums them up.
    #[error("{}: {errors} {}, {warnings} {}", path.display(), if *errors == 1 { "error" } else { "errors" }, if *warnings == 1 { "warning" } else { "warnings" })]
    Problems {
        /// The file.
        path: PathBuf,
        /// Errors found.
        errors: usize,
        /// Warnings found.
        warnings: usize,
    },
    /// A chart could not be made from a file (the message names the line and column where
    /// there is one).
    #[error("{}", chart_message(path, source))]
    Chart {
        /// The input file.
        path: PathBuf,
        /// Why.
        source: qic_spc::SpcError,
    },
}

/// CSV errors already name the file; other chart errors get it in front.
fn chart_message(path: &std::path::Path, source: &qic_spc::SpcError) -> String {
    match source {
        qic_spc::SpcError::Csv { .. } => source.to_string(),
        _ => format!("{}: {source}", path.display()),
    }
}

impl CliError {
    /// Wraps a chart error with the input file it concerns.
    pub(crate) fn chart(path: &std::path::Path, source: qic_spc::SpcError) -> Self {
        Self::Chart {
            path: path.to_path_buf(),
            source,
        }
    }

    /// Wraps an I/O error with the file it concerns.
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}

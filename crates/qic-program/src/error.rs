//! The crate's error type.

/// Everything that can go wrong when building, loading or scheduling a program.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProgramError {
    /// A program file could not be parsed (bad syntax, a misspelt or missing field).
    #[error("{source_name}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Parse {
        /// The file or other source the text came from.
        source_name: String,
        /// The 1-based line of the fault, where the parser knows it.
        line: Option<usize>,
        /// What is wrong, naming the field where there is one.
        message: String,
    },
}

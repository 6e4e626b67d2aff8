//! The crate's error type.
//!
//! Messages name the file, line and column at fault and never the value found there: the values
//! come from patient records, and an error message ends up in terminals, logs and tickets.

use std::path::PathBuf;

/// Everything that can go wrong when reading extracts and mapping files or when configuring a
/// computation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EquityError {
    /// A file could not be opened or read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A column the caller named is not in the file's header.
    #[error("{source_name}: line 1: column `{column}` is not in the header")]
    MissingColumn {
        /// The file or other source of the data.
        source_name: String,
        /// The column the caller asked for.
        column: String,
    },
    /// A value in a data row cannot be used and the run must stop (see [`RowProblem`] for which
    /// problems stop a run and which rows are counted and skipped instead).
    #[error("{source_name}: line {line}, column {column_number} (`{column}`): {problem}")]
    Row {
        /// The file or other source of the data.
        source_name: String,
        /// The 1-based line of the record.
        line: u64,
        /// The 1-based position of the column in the header.
        column_number: usize,
        /// The column's name in the header.
        column: String,
        /// What is wrong with the value (never the value itself).
        problem: RowProblem,
    },
    /// A record does not have as many fields as the header.
    #[error("{source_name}: line {line}: the record has {found} fields, the header has {expected}")]
    FieldCount {
        /// The file or other source of the data.
        source_name: String,
        /// The 1-based line of the record.
        line: u64,
        /// Fields in the header.
        expected: usize,
        /// Fields in the record.
        found: usize,
    },
    /// The CSV reader could not read the file (for example an unterminated quote).
    #[error("{source_name}: line {line}: {message}")]
    Csv {
        /// The file or other source of the data.
        source_name: String,
        /// The 1-based line where reading stopped.
        line: u64,
        /// What went wrong.
        message: String,
    },
    /// A mapping file (local codes to reporting categories) is malformed.
    #[cfg(any(feature = "csv", feature = "toml"))]
    #[error("{location}: {message}")]
    Mapping {
        /// Where: the file, line and (in TOML or JSON) the entry's path.
        location: qic_io::Location,
        /// What is wrong.
        message: String,
    },
    /// A TOML or JSON mapping file could not be read or parsed.
    #[cfg(any(feature = "csv", feature = "toml"))]
    #[error(transparent)]
    Document(#[from] qic_io::DocumentError),
    /// Counts added up past `u64::MAX` (from counts merged or added in code; a file names the
    /// line instead, as a [`RowProblem::SumTooLarge`]).
    #[error(
        "the counts of {period} add up to more than {} (no count is wrapped or clipped)",
        u64::MAX
    )]
    CountOverflow {
        /// The period whose sums overflowed.
        period: String,
    },
    /// A column is named twice in a file's header.
    #[error(
        "{source_name}: line {line}: column `{column}` appears twice in the header (columns {first} and {second})"
    )]
    DuplicateColumn {
        /// The file or other source of the data.
        source_name: String,
        /// The header's line.
        line: u64,
        /// The column's name.
        column: String,
        /// Its first position (1-based).
        first: usize,
        /// Its second position (1-based).
        second: usize,
    },
    /// A setting given by the caller is out of range or inconsistent.
    #[error("invalid setting `{setting}`: {message}")]
    InvalidSetting {
        /// The setting's name.
        setting: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The reference group named for a disparity comparison is not among the strata.
    #[error("the reference group `{group}` is not among the strata")]
    UnknownReference {
        /// The group the caller named.
        group: String,
    },
}

/// Why a value in a data row stops the run.
///
/// Problems that mean the extract is wrong (a malformed date or count, a negative count, a
/// numerator above its denominator) stop the run, because every later number would be
/// untrustworthy. Empty cells do not stop it: the row is counted under a
/// [`SkipReason`](crate::stratify::SkipReason) and reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RowProblem {
    /// The period is neither a date (`YYYY-MM-DD`) nor a month (`YYYY-MM`).
    #[error("not a date (YYYY-MM-DD) or a month (YYYY-MM)")]
    MalformedDate,
    /// The count is not a whole number.
    #[error("not a whole number")]
    MalformedCount,
    /// The count is negative.
    #[error("a negative count")]
    NegativeCount,
    /// The numerator is larger than the denominator of the same record.
    #[error("the numerator is larger than the denominator")]
    NumeratorAboveDenominator,
    /// The count is too large to add up safely (above 2^53).
    #[error("the count is too large")]
    CountTooLarge,
    /// Adding the row's count makes a sum (a cell's or a period's) pass `u64::MAX`.
    #[error(
        "adding this count makes its period's or stratum's sum larger than 18446744073709551615"
    )]
    SumTooLarge,
    /// A plain column used as a stratifier has more distinct values than allowed
    /// ([`MAX_COLUMN_LEVELS`](crate::stratify::MAX_COLUMN_LEVELS)); it is probably an identifier.
    #[error("more distinct values than a stratifier column may have (is it an identifier?)")]
    TooManyDistinctValues,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_errors_name_the_place_not_the_value() {
        let err = EquityError::Row {
            source_name: "extract.csv".into(),
            line: 12,
            column_number: 3,
            column: "visit_date".into(),
            problem: RowProblem::MalformedDate,
        };
        insta::assert_snapshot!(err, @"extract.csv: line 12, column 3 (`visit_date`): not a date (YYYY-MM-DD) or a month (YYYY-MM)");
    }
}

//! The crate's error type.

use crate::options::{ChartType, ValueProblem};

/// Everything that can make a chart impossible to compute. Messages name the row, field or
/// option at fault and never repeat a data value (the data may be about patients).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SpcError {
    /// Two input columns have different lengths.
    #[error("{field} has {found} values but y has {expected}")]
    LengthMismatch {
        /// The column that does not match (`x` or `n`).
        field: &'static str,
        /// The number of y values.
        expected: usize,
        /// The number of values in `field`.
        found: usize,
    },
    /// A row's value cannot be used by this chart type.
    #[error("row {row}, {field}: {problem}")]
    InvalidValue {
        /// The input row, counted from 1.
        row: usize,
        /// The field (`y` or `n`).
        field: &'static str,
        /// What is wrong.
        problem: ValueProblem,
    },
    /// The values are so large that their sums could pass the largest number (about 1.8e308):
    /// a centre line would become infinite, then missing. Sums of magnitudes (of squares for
    /// xbar, s and g charts) must stay below 1/64 of the largest `f64`, about 2.8e306.
    #[error(
        "row {row}, {field}: the values are too large to add up (their sum up to this row passes 2.8e306)"
    )]
    SumTooLarge {
        /// The input row, counted from 1, at which the running sum passed the limit.
        row: usize,
        /// The field (`y` or `n`).
        field: &'static str,
    },
    /// A series mixes numbers, dates and labels as subgroup keys.
    #[error("row {row}, x: the series mixes numbers, dates and labels")]
    MixedX {
        /// The first row, counted from 1, whose key kind differs from the first row's.
        row: usize,
    },
    /// The chart type needs denominators and none were given.
    #[error("a {chart} chart needs denominators (n)")]
    DenominatorsRequired {
        /// The chart type.
        chart: ChartType,
    },
    /// The chart type does not use denominators but some were given.
    #[error("a {chart} chart takes no denominators (n)")]
    DenominatorsRefused {
        /// The chart type.
        chart: ChartType,
    },
    /// A subgroup position in `freeze`, `parts` or `exclude` is outside the data.
    #[error("{option} position {position} is beyond the {subgroups} subgroups of the data")]
    PositionBeyondData {
        /// `freeze`, `part` or `exclude`.
        option: &'static str,
        /// The position given, counted from 1.
        position: usize,
        /// The number of subgroups after aggregation.
        subgroups: usize,
    },
    /// An option has a value that cannot be used.
    #[error("option {option} {reason}")]
    InvalidOption {
        /// The option.
        option: &'static str,
        /// Why it was refused.
        reason: &'static str,
    },
    /// A chart type name is not known.
    #[error(
        "unknown chart type {name:?} (expected one of run, i, mr, xbar, s, t, p, pp, c, u, up, g)"
    )]
    UnknownChartType {
        /// The name given.
        name: String,
    },
    /// A rule set name is not known.
    #[error("unknown rule set {name:?} (expected anhoej, ihi or mdc)")]
    UnknownRuleSet {
        /// The name given.
        name: String,
    },
    /// A CSV file could not be read or has a value that cannot be used.
    #[cfg(feature = "csv")]
    #[error(
        "{source_name}{}{}: {message}",
        line.map(|l| format!(":{l}")).unwrap_or_default(),
        column.as_ref().map(|c| format!(", column {c}")).unwrap_or_default()
    )]
    Csv {
        /// The file or other source.
        source_name: String,
        /// The 1-based line, when the fault is in one.
        line: Option<u64>,
        /// The column (as the header names it), when the fault is in one cell.
        column: Option<String>,
        /// What is wrong.
        message: String,
    },
}

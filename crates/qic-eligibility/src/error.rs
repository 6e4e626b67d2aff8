//! The crate's error type.

use std::fmt;

/// Everything that can go wrong when reading an application or a rule set.
///
/// A failing application is not an error: it is a [`Decision`](crate::Decision). Errors are only
/// for input that cannot be read at all, and each names the file, line, column, rule or field at
/// fault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EligibilityError {
    /// An application could not be read: bad syntax, or a misspelt, missing or invalid field.
    #[error("{source_name}{}: {message}", Location(*line, *column))]
    Application {
        /// The file or other source the text came from.
        source_name: String,
        /// The 1-based line of the fault, where the parser knows it.
        line: Option<usize>,
        /// The 1-based column of the fault, where the parser knows it.
        column: Option<usize>,
        /// What is wrong, naming the field where there is one.
        message: String,
    },
    /// A rule set file could not be read: bad syntax, or a misspelt, missing or invalid field
    /// outside the rules.
    #[error("{source_name}{}: {message}", Location(*line, *column))]
    RuleSetSyntax {
        /// The file or other source the text came from.
        source_name: String,
        /// The 1-based line of the fault, where the parser knows it.
        line: Option<usize>,
        /// The 1-based column of the fault, where the parser knows it.
        column: Option<usize>,
        /// What is wrong, naming the field where there is one.
        message: String,
    },
    /// One rule of a rule set is unknown or has a missing, misspelt or invalid parameter.
    #[error("{source_name}: rules[{index}] (`{rule}`): {message}")]
    Rule {
        /// The file or other source the rule set came from.
        source_name: String,
        /// The 0-based position of the rule in the rule set's `rules` list.
        index: usize,
        /// The rule's kind as written (`rule = "..."`), or `?` where it is missing.
        rule: String,
        /// What is wrong, naming the parameter where there is one.
        message: String,
    },
    /// The rule set's rules do not fit together (two rules with one id, a redirect rule with no
    /// cohort to offer instead, two deadlines).
    #[error("{source_name}: {message}")]
    RuleSet {
        /// The file or other source the rule set came from.
        source_name: String,
        /// What is wrong.
        message: String,
    },
    /// No preset has the name asked for.
    #[error("no rule set preset named `{name}` (the presets are: {known})")]
    UnknownPreset {
        /// The name asked for.
        name: String,
        /// The presets there are, comma-separated.
        known: String,
    },
    /// A value built in code is out of range (a share outside 0 to 1, an empty cohort id).
    #[error("invalid {what}: {message}")]
    InvalidValue {
        /// The kind of value, e.g. "share".
        what: &'static str,
        /// Why it is refused.
        message: String,
    },
    /// Reading a batch's input or writing its output failed.
    #[error("batch stopped at line {line}: {source}")]
    BatchIo {
        /// The 1-based input line being read or written.
        line: u64,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

/// Formats `:line:column` (or `:line`, or nothing) after a source name.
struct Location(Option<usize>, Option<usize>);

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.0, self.1) {
            (Some(line), Some(column)) => write!(f, ":{line}:{column}"),
            (Some(line), None) => write!(f, ":{line}"),
            _ => Ok(()),
        }
    }
}

/// Where a parser says the fault is, and what it says, without the position suffix.
#[derive(Debug)]
pub(crate) struct ParseFault {
    pub(crate) line: Option<usize>,
    pub(crate) column: Option<usize>,
    pub(crate) message: String,
}

impl ParseFault {
    /// From a `serde_json` error: its message without the trailing " at line L column C".
    pub(crate) fn from_json(err: &serde_json::Error) -> Self {
        let (line, column) = (err.line(), err.column());
        let text = err.to_string();
        let suffix = format!(" at line {line} column {column}");
        let message = text.strip_suffix(&suffix).unwrap_or(&text).to_owned();
        if line == 0 {
            Self {
                line: None,
                column: None,
                message,
            }
        } else {
            Self {
                line: Some(line),
                column: Some(column),
                message,
            }
        }
    }

    /// From a TOML error: its one-line message and the line and column its span starts at.
    pub(crate) fn from_toml(err: &toml::de::Error, text: &str) -> Self {
        let message = err.message().trim().replace('\n', " ");
        match err.span() {
            Some(span) => {
                let (line, column) = line_column(text, span.start);
                Self {
                    line: Some(line),
                    column: Some(column),
                    message,
                }
            }
            None => Self {
                line: None,
                column: None,
                message,
            },
        }
    }
}

/// The 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_from_one() {
        let text = "a = 1\nbb = 2\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        assert_eq!(line_column(text, 9), (2, 4));
        assert_eq!(line_column(text, 999), (3, 1));
    }

    #[test]
    fn json_faults_lose_the_position_suffix() {
        let err = serde_json::from_str::<serde_json::Value>("{\n  \"a\": }").unwrap_err();
        let fault = ParseFault::from_json(&err);
        assert_eq!(fault.line, Some(2));
        assert!(!fault.message.contains("at line"), "{}", fault.message);
    }

    #[test]
    fn messages_name_the_place() {
        let err = EligibilityError::Application {
            source_name: "app.json".into(),
            line: Some(3),
            column: Some(7),
            message: "unknown field `teem`".into(),
        };
        assert_eq!(err.to_string(), "app.json:3:7: unknown field `teem`");
    }
}

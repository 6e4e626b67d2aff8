//! The crate's error type.

use qic_io::Location;

/// Everything that can go wrong when reading an application or a rule set.
///
/// A failing application is not an error: it is a [`Decision`](crate::Decision). Errors are only
/// for input that cannot be read at all, and each names the file, line, column, rule or field at
/// fault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EligibilityError {
    /// An application or rule set file could not be read: it is missing, its name ends in
    /// neither `.toml` nor `.json`, or it does not parse (bad syntax, a misspelt, missing or
    /// invalid field), with the file, line, column and field's path.
    #[error(transparent)]
    Document(#[from] qic_io::DocumentError),
    /// An application parsed, but a value in it cannot be used (a share outside 0 to 1, a
    /// dimension reported twice in a readiness report).
    #[error("{location}: {message}")]
    Application {
        /// Where: the file, line, column and field.
        location: Location,
        /// What is wrong.
        message: String,
    },
    /// One rule of a rule set is unknown or has a missing, misspelt or invalid parameter.
    #[error("{location} (`{rule}`): {message}")]
    Rule {
        /// Where: the file, and the line and path (`$.rules[2]`: the rule's 0-based position in
        /// the rule set's `rules` list) of the rule.
        location: Box<Location>,
        /// The rule's kind as written (`rule = "..."`), or `?` where it is missing.
        rule: String,
        /// What is wrong, naming the parameter where there is one.
        message: String,
    },
    /// The rule set's rules do not fit together (two rules with one id, a redirect rule with no
    /// cohort to offer instead, two deadlines).
    #[error("{location}: {message}")]
    RuleSet {
        /// Where: the file, and the line and field at fault where there is one.
        location: Location,
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_place() {
        let err = EligibilityError::Application {
            location: Location::new("app.json")
                .at_line(3)
                .at_column(7)
                .with_field("data.report.dimensions[1]"),
            message: "the dimension race is reported twice".into(),
        };
        assert_eq!(
            err.to_string(),
            "app.json:3:7: $.data.report.dimensions[1]: the dimension race is reported twice"
        );
    }
}

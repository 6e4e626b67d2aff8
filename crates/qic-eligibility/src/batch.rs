//! Judging many applications at once, from JSON Lines to JSON Lines, streaming.
//!
//! Each input line is one application in JSON. Each output line is either a decision or an
//! error record, with the input line's number, so decisions + errors = lines and nothing is
//! lost:
//!
//! ```text
//! {"line":1,"decision":{"applicant":"...","outcome":"eligible",...}}
//! {"line":2,"error":"unknown field `teem`, expected one of ...","column":17}
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::io::{BufRead, Write};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::ParseFault;
use crate::{Application, Decision, EligibilityError, Outcome, RuleSet};

/// One line of a batch's output, as a reader of that output sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BatchRecord {
    /// The decision on the application on this input line.
    Decision {
        /// The 1-based input line.
        line: u64,
        /// The decision.
        decision: Box<Decision>,
    },
    /// The input line could not be read as an application.
    Error {
        /// The 1-based input line.
        line: u64,
        /// What is wrong, naming the field where there is one.
        error: String,
        /// The 1-based column of the fault within the line, where the parser knows it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        column: Option<usize>,
    },
}

/// The written form of a decision record (borrows the decision: no copy per line).
#[derive(Serialize)]
struct DecisionLine<'a> {
    line: u64,
    decision: &'a Decision,
}

/// The written form of an error record.
#[derive(Serialize)]
struct ErrorLine<'a> {
    line: u64,
    error: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
}

/// What a batch did: how many lines, decisions and errors, the decisions by outcome and the
/// rules that failed most.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchSummary {
    /// Input lines read (each became a decision or an error).
    pub lines: u64,
    /// Decisions written.
    pub decisions: u64,
    /// Error records written (lines that were not a readable application).
    pub errors: u64,
    /// Decisions by outcome (every outcome is listed, with 0 where none).
    pub by_outcome: BTreeMap<Outcome, u64>,
    /// For each rule id that failed at least once, how many decisions it failed in.
    pub failing_rules: BTreeMap<String, u64>,
}

impl BatchSummary {
    fn new() -> Self {
        Self {
            by_outcome: Outcome::ALL.into_iter().map(|o| (o, 0)).collect(),
            ..Self::default()
        }
    }

    fn add(&mut self, decision: &Decision) {
        self.decisions += 1;
        *self.by_outcome.entry(decision.outcome).or_default() += 1;
        for finding in decision.failures() {
            // Allocate a key only the first time a rule fails.
            if let Some(count) = self.failing_rules.get_mut(&*finding.rule) {
                *count += 1;
            } else {
                self.failing_rules.insert(finding.rule.to_string(), 1);
            }
        }
    }
}

impl fmt::Display for BatchSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} lines: {} decisions, {} errors",
            self.lines, self.decisions, self.errors
        )?;
        writeln!(f, "by outcome:")?;
        for (outcome, count) in &self.by_outcome {
            writeln!(f, "  {:<24} {count}", outcome.label())?;
        }
        if !self.failing_rules.is_empty() {
            writeln!(f, "by failing rule:")?;
            let mut rules: Vec<(&String, &u64)> = self.failing_rules.iter().collect();
            // Most frequent first; ties by rule id, so the order is stable.
            rules.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
            for (rule, count) in rules {
                writeln!(f, "  {rule:<40} {count}")?;
            }
        }
        Ok(())
    }
}

/// Judges one JSON line (an application) as of a day.
///
/// # Errors
///
/// [`EligibilityError::Application`] naming the line (as given), column and field at fault.
pub fn evaluate_json_line(
    rules: &RuleSet,
    line_number: u64,
    line: &[u8],
    as_of: NaiveDate,
) -> Result<Decision, EligibilityError> {
    match read_line(line) {
        Ok(application) => Ok(rules.evaluate(&application, as_of)),
        Err(fault) => Err(EligibilityError::Application {
            source_name: "application".to_owned(),
            line: usize::try_from(line_number).ok(),
            column: fault.column,
            message: fault.message,
        }),
    }
}

/// The record of one input line of a batch (a trailing newline is ignored): the decision on
/// the application it holds, or what is wrong with it. The Python package's `batch` yields the
/// same records as [`evaluate_jsonl`] writes.
///
/// ```
/// use chrono::NaiveDate;
/// use qic_eligibility::{RuleSet, batch::{BatchRecord, record}};
///
/// let rules = RuleSet::preset("action-learning-collaborative")?;
/// let as_of = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
/// let line = br#"{"cohort": "action-learning-collaborative", "organization": {"name": "A", "kind": "aco"}}"#;
/// assert!(matches!(record(&rules, 1, line, as_of), BatchRecord::Decision { line: 1, .. }));
/// assert!(matches!(record(&rules, 2, b"{\"teem\": 1}\n", as_of), BatchRecord::Error { line: 2, column: Some(_), .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn record(rules: &RuleSet, line_number: u64, line: &[u8], as_of: NaiveDate) -> BatchRecord {
    match read_line(trim_newline(line)) {
        Ok(application) => BatchRecord::Decision {
            line: line_number,
            decision: Box::new(rules.evaluate(&application, as_of)),
        },
        Err(fault) => BatchRecord::Error {
            line: line_number,
            error: fault.message,
            column: fault.column,
        },
    }
}

fn read_line(line: &[u8]) -> Result<Application, ParseFault> {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Err(ParseFault {
            line: None,
            column: None,
            message: "the line is empty (each line holds one application)".to_owned(),
        });
    }
    let application: Application =
        serde_json::from_slice(line).map_err(|e| ParseFault::from_json(&e))?;
    match application.report_problem() {
        Some(message) => Err(ParseFault {
            line: None,
            column: None,
            message,
        }),
        None => Ok(application),
    }
}

/// Judges every application in a JSON Lines stream and writes one record per line (see the
/// [module docs](self)), streaming: one line in memory at a time.
///
/// Wrap a file or standard output in a `BufWriter` before passing it: records are written one
/// at a time.
///
/// # Errors
///
/// [`EligibilityError::BatchIo`] when reading the input or writing the output fails; a line that
/// is not a readable application is an error record, not an error.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use qic_eligibility::{RuleSet, batch::evaluate_jsonl};
///
/// let rules = RuleSet::preset("action-learning-collaborative")?;
/// let input = concat!(
///     r#"{"cohort": "action-learning-collaborative", "organization": {"name": "A", "kind": "aco"}}"#,
///     "\n",
///     "not json\n",
/// );
/// let mut output = Vec::new();
/// let summary = evaluate_jsonl(&rules, NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(), input.as_bytes(), &mut output)?;
/// assert_eq!((summary.lines, summary.decisions, summary.errors), (2, 1, 1));
/// assert_eq!(String::from_utf8(output)?.lines().count(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn evaluate_jsonl<R: BufRead, W: Write>(
    rules: &RuleSet,
    as_of: NaiveDate,
    mut input: R,
    mut output: W,
) -> Result<BatchSummary, EligibilityError> {
    let mut summary = BatchSummary::new();
    let mut buffer = Vec::with_capacity(4096);
    loop {
        buffer.clear();
        let read =
            input
                .read_until(b'\n', &mut buffer)
                .map_err(|source| EligibilityError::BatchIo {
                    line: summary.lines + 1,
                    source,
                })?;
        if read == 0 {
            break;
        }
        summary.lines += 1;
        let line_number = summary.lines;
        let line = trim_newline(&buffer);
        let written = match read_line(line) {
            Ok(application) => {
                let decision = rules.evaluate(&application, as_of);
                summary.add(&decision);
                let record = DecisionLine {
                    line: line_number,
                    decision: &decision,
                };
                serde_json::to_writer(&mut output, &record).map_err(std::io::Error::from)
            }
            Err(fault) => {
                summary.errors += 1;
                let record = ErrorLine {
                    line: line_number,
                    error: &fault.message,
                    column: fault.column,
                };
                serde_json::to_writer(&mut output, &record).map_err(std::io::Error::from)
            }
        };
        written
            .and_then(|()| output.write_all(b"\n"))
            .map_err(|source| EligibilityError::BatchIo {
                line: line_number,
                source,
            })?;
    }
    output.flush().map_err(|source| EligibilityError::BatchIo {
        line: summary.lines,
        source,
    })?;
    Ok(summary)
}

fn trim_newline(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn as_of() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()
    }

    const GOOD: &str = r#"{"cohort": "action-learning-collaborative", "organization": {"name": "A", "kind": "aco"}}"#;

    #[test]
    fn every_line_becomes_a_decision_or_an_error_record() {
        let rules = RuleSet::preset("action-learning-collaborative").unwrap();
        let input = format!("{GOOD}\r\n\n{{\"cohort\": 1}}\n{GOOD}");
        let mut output = Vec::new();
        let summary = evaluate_jsonl(&rules, as_of(), input.as_bytes(), &mut output).unwrap();
        assert_eq!(summary.lines, 4);
        assert_eq!(summary.decisions + summary.errors, summary.lines);
        let records: Vec<BatchRecord> = String::from_utf8(output)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(records.len(), 4);
        assert!(matches!(&records[0], BatchRecord::Decision { line: 1, .. }));
        assert!(
            matches!(&records[1], BatchRecord::Error { line: 2, error, .. } if error.contains("empty"))
        );
        assert!(matches!(
            &records[2],
            BatchRecord::Error {
                line: 3,
                column: Some(_),
                ..
            }
        ));
        assert!(matches!(&records[3], BatchRecord::Decision { line: 4, .. }));
        assert_eq!(summary.by_outcome.values().sum::<u64>(), summary.decisions);
    }

    #[test]
    fn the_summary_counts_failing_rules() {
        let rules = RuleSet::preset("action-learning-collaborative").unwrap();
        let input = format!("{GOOD}\n{GOOD}\n");
        let summary = evaluate_jsonl(&rules, as_of(), input.as_bytes(), std::io::sink()).unwrap();
        // The bare application has no team, commitments or parts.
        assert_eq!(summary.failing_rules.get("team.size"), Some(&2));
        assert_eq!(summary.by_outcome[&Outcome::NotEligible], 2);
        let text = summary.to_string();
        assert!(text.starts_with("2 lines: 2 decisions, 0 errors"), "{text}");
        assert!(text.contains("team.size"), "{text}");
    }

    #[test]
    fn a_single_line_error_names_the_line() {
        let rules = RuleSet::preset("action-learning-collaborative").unwrap();
        let err = evaluate_json_line(&rules, 7, b"{\"cohort\": \"a\", \"x\": 1}", as_of())
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("application:7:"), "{err}");
        assert!(err.contains("unknown field `x`"), "{err}");
    }
}

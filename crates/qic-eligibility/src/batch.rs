//! Judging many applications at once, from JSON Lines to JSON Lines, streaming.
//!
//! Each input line is one application in JSON. Each output line is either a decision or an
//! error record, with the input line's number, so decisions + errors = lines and nothing is
//! lost:
//!
//! ```text
//! {"line":1,"decision":{"applicant":"...","outcome":"eligible",...}}
//! {"line":2,"error":"unknown field `teem`, expected one of ...","column":17}
//! {"line":3,"error":"unknown variant `equty`, expected one of ...","column":88,"field":"$.team[2].lenses[0]"}
//! ```
//!
//! A line may be at most [`qic_io::DEFAULT_MAX_LINE_BYTES`] long unless told otherwise
//! ([`evaluate_jsonl_with`]): a longer line stops the batch with its line number, before it is
//! held in memory.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{BufRead, Write};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{Application, Decision, EligibilityError, Outcome, RuleSet};
use qic_io::Location;

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
        column: Option<u64>,
        /// The path of the field at fault (`$.team[2].lenses`), where there is one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        field: Option<String>,
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
    column: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
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
/// [`EligibilityError::Document`] or [`EligibilityError::Application`] naming the line (as
/// given), column and field at fault.
pub fn evaluate_json_line(
    rules: &RuleSet,
    line_number: u64,
    line: &[u8],
    as_of: NaiveDate,
) -> Result<Decision, EligibilityError> {
    let application = read_line(line, "application", line_number)?;
    Ok(rules.evaluate(&application, as_of))
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
    match read_line(trim_newline(line), "application", line_number) {
        Ok(application) => BatchRecord::Decision {
            line: line_number,
            decision: Box::new(rules.evaluate(&application, as_of)),
        },
        Err(err) => {
            let (location, error) = located(&err);
            BatchRecord::Error {
                line: line_number,
                error,
                column: location.and_then(|l| l.column),
                field: location.and_then(|l| l.field.clone()),
            }
        }
    }
}

/// Where an error reading a line is, and its message without the place.
fn located(err: &EligibilityError) -> (Option<&Location>, String) {
    match err {
        EligibilityError::Document(qic_io::DocumentError::Invalid { location, message })
        | EligibilityError::Application { location, message } => (Some(location), message.clone()),
        other => (None, other.to_string()),
    }
}

fn read_line(line: &[u8], source: &str, number: u64) -> Result<Application, EligibilityError> {
    let at = || Location::new(source).at_line(number);
    if line.iter().all(u8::is_ascii_whitespace) {
        return Err(EligibilityError::Application {
            location: at(),
            message: "the line is empty (each line holds one application)".to_owned(),
        });
    }
    let application: Application = qic_io::parse_json(line, source, Some(number))?;
    match application.value_problem() {
        Some((field, message)) => Err(EligibilityError::Application {
            location: at().with_field(&field),
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
    input: R,
    output: W,
) -> Result<BatchSummary, EligibilityError> {
    evaluate_jsonl_with(rules, as_of, input, output, qic_io::DEFAULT_MAX_LINE_BYTES)
}

/// [`evaluate_jsonl`] with a maximum line length of `max_line_bytes` (the line ending not
/// counted).
///
/// # Errors
///
/// As [`evaluate_jsonl`]; a line longer than the maximum stops the batch with
/// [`EligibilityError::BatchIo`], whose source holds a [`qic_io::LineTooLong`] with the line
/// number.
pub fn evaluate_jsonl_with<R: BufRead, W: Write>(
    rules: &RuleSet,
    as_of: NaiveDate,
    mut input: R,
    mut output: W,
    max_line_bytes: usize,
) -> Result<BatchSummary, EligibilityError> {
    let mut summary = BatchSummary::new();
    let mut buffer = Vec::with_capacity(4096);
    loop {
        buffer.clear();
        let line_number = summary.lines + 1;
        let read = read_bounded_line(&mut input, &mut buffer, max_line_bytes, line_number)
            .map_err(|source| EligibilityError::BatchIo {
                line: line_number,
                source,
            })?;
        if read == 0 {
            break;
        }
        summary.lines += 1;
        let line = trim_newline(&buffer);
        let written = match read_line(line, "application", line_number) {
            Ok(application) => {
                let decision = rules.evaluate(&application, as_of);
                summary.add(&decision);
                let record = DecisionLine {
                    line: line_number,
                    decision: &decision,
                };
                serde_json::to_writer(&mut output, &record).map_err(std::io::Error::from)
            }
            Err(err) => {
                summary.errors += 1;
                let (location, message) = located(&err);
                let record = ErrorLine {
                    line: line_number,
                    error: &message,
                    column: location.and_then(|l| l.column),
                    field: location.and_then(|l| l.field.as_deref()),
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

/// Reads one line (with its ending) into `buffer`, refusing a line longer than `max_bytes`
/// before holding more of it than that. The first line may start with a byte order mark, which
/// is dropped.
fn read_bounded_line<R: BufRead>(
    input: &mut R,
    buffer: &mut Vec<u8>,
    max_bytes: usize,
    line: u64,
) -> std::io::Result<usize> {
    let mut read = 0;
    loop {
        let available = input.fill_buf()?;
        if available.is_empty() {
            return Ok(read);
        }
        let (take, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        buffer.extend_from_slice(available.get(..take).unwrap_or_default());
        input.consume(take);
        read += take;
        if line == 1 && buffer.starts_with(b"\xEF\xBB\xBF") {
            buffer.drain(..3);
        }
        let content = trim_newline(buffer).len();
        // A carriage return may still be waiting for its line feed.
        let pending_cr = usize::from(!done && buffer.last() == Some(&b'\r'));
        if content.saturating_sub(pending_cr) > max_bytes {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                qic_io::LineTooLong { line, max_bytes },
            ));
        }
        if done {
            return Ok(read);
        }
    }
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
        let err = evaluate_json_line(
            &rules,
            3,
            b"{\"cohort\": \"a\", \"organization\": {\"name\": \"A\", \"kind\": \"acoo\"}}",
            as_of(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("application:3:")
                && err.contains(": $.organization.kind: unknown variant `acoo`"),
            "{err}"
        );
    }

    #[test]
    fn a_byte_order_mark_is_accepted_and_error_records_name_the_field() {
        let rules = RuleSet::preset("action-learning-collaborative").unwrap();
        let bad = r#"{"cohort": "action-learning-collaborative", "organization": {"name": "A", "kind": "aco"}, "team": [{"name": "B", "lenses": ["equty"]}]}"#;
        let input = format!("\u{feff}{GOOD}\r\n{bad}\n");
        let mut output = Vec::new();
        let summary = evaluate_jsonl(&rules, as_of(), input.as_bytes(), &mut output).unwrap();
        assert_eq!((summary.decisions, summary.errors), (1, 1));
        let records: Vec<BatchRecord> = String::from_utf8(output)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        match &records[1] {
            BatchRecord::Error {
                line: 2,
                error,
                column: Some(_),
                field: Some(field),
            } => {
                assert_eq!(field, "$.team[0].lenses[0]");
                assert!(error.starts_with("unknown variant `equty`"), "{error}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_line_longer_than_the_limit_stops_the_batch_without_being_read_whole() {
        use std::io::Read;
        // Two good lines, then 1 GiB of one line produced lazily: the batch stops at line 3
        // after reading about the limit.
        struct Huge {
            head: Vec<u8>,
            produced: u64,
        }
        impl Read for Huge {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if !self.head.is_empty() {
                    let n = self.head.len().min(buf.len());
                    buf[..n].copy_from_slice(&self.head[..n]);
                    self.head.drain(..n);
                    return Ok(n);
                }
                assert!(self.produced < 64 << 20, "read far past the limit");
                if self.produced >= 1 << 30 {
                    return Ok(0);
                }
                buf.fill(b' ');
                self.produced += buf.len() as u64;
                Ok(buf.len())
            }
        }
        let rules = RuleSet::preset("action-learning-collaborative").unwrap();
        let huge = Huge {
            head: format!("{GOOD}\n{GOOD}\n{{").into_bytes(),
            produced: 0,
        };
        let input = std::io::BufReader::new(huge);
        let mut output = Vec::new();
        let err = evaluate_jsonl(&rules, as_of(), input, &mut output).unwrap_err();
        assert_eq!(
            err.to_string(),
            "batch stopped at line 3: line 3 is longer than 8388608 bytes (the most a line may hold; raise the limit if the file is right)"
        );
        // The lines before it were judged and written.
        assert_eq!(String::from_utf8(output).unwrap().lines().count(), 2);
        // A lower limit, and a line exactly at it.
        let line = format!("{GOOD}\n");
        let limit = GOOD.len();
        let ok = evaluate_jsonl_with(&rules, as_of(), line.as_bytes(), std::io::sink(), limit);
        assert!(ok.is_ok());
        let err = evaluate_jsonl_with(&rules, as_of(), line.as_bytes(), std::io::sink(), limit - 1)
            .unwrap_err();
        assert!(err.to_string().contains("line 1 is longer than"), "{err}");
    }
}

//! Decisions: the outcome of judging an application, with one finding per rule.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{CohortRef, Severity};
use qic_program::serde_date;

/// The outcome of an application.
///
/// The variants are ordered from best to worst (`Eligible < OfferedOtherCohort < Incomplete <
/// NotEligible`), and the outcome is the worst that applies:
///
/// 1. **not eligible** when a required rule fails for a reason that cannot be mended by sending
///    something (a team of two, a late application, no partner health care organization), or
///    when something required is still missing after the deadline;
/// 2. else **incomplete** when a required or redirect rule fails only because something can still
///    be sent before the deadline (a letter, a part of the application, an answer);
/// 3. else **offered another cohort** when a redirect rule fails (the rule set's
///    `offer_instead` cohort, with feedback);
/// 4. else **eligible**. Recommended rules only warn and never change the outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Meets every required and redirect rule.
    Eligible,
    /// Meets every required rule but not every redirect rule: offered the other cohort.
    OfferedOtherCohort,
    /// Something required is missing but can still be sent before the deadline.
    Incomplete,
    /// Fails a required rule.
    NotEligible,
}

impl Outcome {
    /// Every outcome, best first.
    pub const ALL: [Self; 4] = [
        Self::Eligible,
        Self::OfferedOtherCohort,
        Self::Incomplete,
        Self::NotEligible,
    ];

    /// A human label, e.g. "offered another cohort".
    pub const fn label(self) -> &'static str {
        match self {
            Self::Eligible => "eligible",
            Self::OfferedOtherCohort => "offered another cohort",
            Self::Incomplete => "incomplete",
            Self::NotEligible => "not eligible",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// How an application fares on one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Meets the rule.
    Pass,
    /// Fails a required or redirect rule.
    Fail,
    /// Fails a recommended rule (advice only).
    Warn,
    /// The rule does not apply to this application.
    NotApplicable,
}

impl Status {
    /// A short label for tables: `pass`, `FAIL`, `warn`, `n/a`.
    pub const fn short_label(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "FAIL",
            Self::Warn => "warn",
            Self::NotApplicable => "n/a",
        }
    }
}

/// What one rule found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// The rule's stable id, e.g. `letters.signatories` (shared with the rule set, not copied).
    pub rule: Arc<str>,
    /// The rule's severity.
    pub severity: Severity,
    /// Pass, fail, warn or not applicable.
    pub status: Status,
    /// True when the rule fails only for something the applicant can still send before the
    /// deadline (a letter, a part of the application, an answer).
    pub missing: bool,
    /// A sentence a program manager can send to the applicant.
    pub message: String,
    /// The JSON path of the application field the finding rests on, e.g. `$.letters`.
    pub path: Cow<'static, str>,
    /// Where the rule comes from (shared with the rule set, not copied).
    pub citation: Arc<str>,
}

/// The rule set a decision was made with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSetRef {
    /// The rule set's id.
    pub id: String,
    /// Its version.
    pub version: String,
}

/// The decision on one application: the outcome, one finding per rule (always every rule, in
/// the rule set's order), and feedback for the applicant.
///
/// The same application, rule set and evaluation date always give the same decision, byte for
/// byte, in JSON and in text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// The applying organization's name.
    pub applicant: String,
    /// The cohort applied for.
    pub cohort: CohortRef,
    /// The rule set used.
    pub ruleset: RuleSetRef,
    /// The day the application was judged as of (deadlines are compared with it).
    #[serde(with = "serde_date")]
    pub as_of: NaiveDate,
    /// The outcome.
    pub outcome: Outcome,
    /// The cohort offered instead, when the outcome is [`Outcome::OfferedOtherCohort`].
    pub offered_cohort: Option<CohortRef>,
    /// One finding per rule, in the rule set's order.
    pub findings: Vec<Finding>,
    /// Sentences for the applicant: a summary, then every failure, then every warning (each
    /// beginning "Advice: ").
    pub feedback: Vec<String>,
    /// Things about the judging itself that the reader should know (a decision as of a day
    /// before the application was sent); none in most decisions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl Decision {
    /// The findings that failed (required and redirect rules).
    pub fn failures(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.status == Status::Fail)
    }

    /// The finding of the rule with this id.
    pub fn finding(&self, rule: &str) -> Option<&Finding> {
        self.findings.iter().find(|f| &*f.rule == rule)
    }

    /// The decision as text for a program manager: the outcome, each finding, the feedback.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use qic_eligibility::{Application, RuleSet};
    ///
    /// let rules = RuleSet::preset("action-learning-collaborative")?;
    /// let app = Application::from_json_str(
    ///     r#"{"cohort": "action-learning-collaborative", "organization": {"name": "A", "kind": "aco"}}"#,
    /// )?;
    /// let decision = rules.evaluate(&app, NaiveDate::from_ymd_opt(2025, 1, 6).unwrap());
    /// assert!(decision.to_text().starts_with("A: "));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_text(&self) -> String {
        self.to_string()
    }

    /// The decision as indented JSON ending in a newline: the text `qic eligibility check
    /// --format json` prints, and what the Python package and the C library return, so every
    /// front end gives the same bytes for the same decision.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use qic_eligibility::{Application, Decision, RuleSet};
    ///
    /// let rules = RuleSet::preset("action-learning-collaborative")?;
    /// let app = Application::from_json_str(
    ///     r#"{"cohort": "action-learning-collaborative", "organization": {"name": "A", "kind": "aco"}}"#,
    /// )?;
    /// let json = rules.evaluate(&app, NaiveDate::from_ymd_opt(2025, 1, 6).unwrap()).to_json();
    /// assert!(json.starts_with("{\n  \"applicant\": \"A\","));
    /// let back: Decision = serde_json::from_str(&json)?;
    /// assert_eq!(back.applicant, "A");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_json(&self) -> String {
        // A decision has no map with non-string keys, so serializing it cannot fail.
        let mut json = serde_json::to_string_pretty(self).unwrap_or_default();
        json.push('\n');
        json
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.applicant, self.outcome)?;
        if let Some(cohort) = &self.offered_cohort {
            write!(f, " ({cohort})")?;
        }
        writeln!(f)?;
        writeln!(
            f,
            "Applied for {}; judged by {} version {} as of {}.",
            self.cohort,
            self.ruleset.id,
            self.ruleset.version,
            self.as_of.format("%Y-%m-%d")
        )?;
        for warning in &self.warnings {
            writeln!(f, "Warning: {warning}")?;
        }
        writeln!(f)?;
        let width = self
            .findings
            .iter()
            .map(|x| x.rule.chars().count())
            .max()
            .unwrap_or(0);
        for finding in &self.findings {
            write!(
                f,
                "  {:<4}  {:<width$}  {}",
                finding.status.short_label(),
                finding.rule,
                finding.message
            )?;
            if matches!(finding.status, Status::Fail | Status::Warn) {
                write!(f, " [{}]", finding.path)?;
            }
            writeln!(f)?;
        }
        writeln!(f)?;
        writeln!(f, "Feedback:")?;
        for sentence in &self.feedback {
            writeln!(f, "  - {sentence}")?;
        }
        Ok(())
    }
}

//! Monthly team reports, and which are late or missing.
//!
//! Each month a team reports the month's data points, the PDSA cycles it ran, its own score on
//! the assessment scale and a narrative; faculty add their score. A report that is late or
//! missing must be visible: [`timeliness`] lists every month of the program up to a date with
//! its report's status, so a dashboard shows the gaps instead of skipping them.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use qic_program::{AssessmentLevel, MonthlyScore, Rater, TeamId, YearMonth};
use serde::{Deserialize, Serialize};

use crate::key::Key;

/// A data point reported in a monthly report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportedValue {
    /// The measure.
    pub measure: Key,
    /// The numerator, count or value.
    pub numerator: f64,
    /// The denominator, for proportions and rates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<f64>,
}

/// One team's report for one month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonthlyReport {
    /// The month reported on.
    pub month: YearMonth,
    /// When the report was sent.
    #[serde(with = "qic_program::serde_date")]
    pub submitted: NaiveDate,
    /// The month's data points.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<ReportedValue>,
    /// The PDSA cycles run in the month (keys of the team's cycles).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cycles: Vec<Key>,
    /// The team's own score on the assessment scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_assessment: Option<AssessmentLevel>,
    /// The faculty's score (the score of record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub faculty_assessment: Option<AssessmentLevel>,
    /// What happened, in the team's words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub narrative: String,
}

impl MonthlyReport {
    /// The report's scores as program progress scores (faculty as staff, and the team's own).
    pub fn scores(&self, team: TeamId) -> Vec<MonthlyScore> {
        let mut out = Vec::new();
        if let Some(level) = self.faculty_assessment {
            out.push(MonthlyScore::new(team, self.month, level));
        }
        if let Some(level) = self.self_assessment {
            let mut score = MonthlyScore::new(team, self.month, level);
            score.rater = Rater::SelfAssessment;
            out.push(score);
        }
        out
    }
}

/// When reports are due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportPolicy {
    /// Days after the end of the month a report is due (10: the report for March is due on
    /// 10 April).
    pub due_days_after_month_end: u32,
}

impl Default for ReportPolicy {
    fn default() -> Self {
        Self {
            due_days_after_month_end: 10,
        }
    }
}

impl ReportPolicy {
    /// The day a month's report is due.
    pub fn due(self, month: YearMonth) -> NaiveDate {
        month
            .last_day()
            .checked_add_days(Days::new(u64::from(self.due_days_after_month_end)))
            .unwrap_or(NaiveDate::MAX)
    }
}

/// Whether a month's report came, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Timeliness {
    /// Sent by the due date.
    OnTime,
    /// Sent after the due date.
    Late {
        /// Days after the due date.
        days: i64,
    },
    /// Not sent, and the due date has passed.
    Missing,
    /// Not sent, and not yet due.
    NotYetDue,
}

/// The status of each month's report from `first` to `last`, as of `as_of`.
///
/// # Examples
///
/// ```
/// use qic_pdsa::monthly::{timeliness, MonthlyReport, ReportPolicy, Timeliness};
///
/// let march: MonthlyReport = toml::from_str("month = \"2023-03\"\nsubmitted = 2023-04-14")?;
/// let months = timeliness(&[march], "2023-03".parse()?, "2023-05".parse()?,
///     ReportPolicy::default(), "2023-06-05".parse()?);
/// assert_eq!(months.iter().map(|(_, t)| *t).collect::<Vec<_>>(),
///     [Timeliness::Late { days: 4 }, Timeliness::Missing, Timeliness::NotYetDue]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn timeliness(
    reports: &[MonthlyReport],
    first: YearMonth,
    last: YearMonth,
    policy: ReportPolicy,
    as_of: NaiveDate,
) -> Vec<(YearMonth, Timeliness)> {
    // The earliest submission counts when a month was (wrongly) reported twice.
    let mut submitted: BTreeMap<YearMonth, NaiveDate> = BTreeMap::new();
    for r in reports {
        submitted
            .entry(r.month)
            .and_modify(|d| *d = (*d).min(r.submitted))
            .or_insert(r.submitted);
    }
    YearMonth::range_inclusive(first, last)
        .into_iter()
        .map(|month| {
            let due = policy.due(month);
            let status = match submitted.get(&month) {
                Some(&sent) if sent <= due => Timeliness::OnTime,
                Some(&sent) => Timeliness::Late {
                    days: (sent - due).num_days(),
                },
                None if as_of > due => Timeliness::Missing,
                None => Timeliness::NotYetDue,
            };
            (month, status)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(month: &str, sent: &str) -> MonthlyReport {
        MonthlyReport {
            month: month.parse().unwrap(),
            submitted: sent.parse().unwrap(),
            data: vec![],
            cycles: vec![],
            self_assessment: Some(AssessmentLevel::ActivityNoChanges),
            faculty_assessment: Some(AssessmentLevel::ChangesTestedNoImprovement),
            narrative: String::new(),
        }
    }

    #[test]
    fn due_dates_follow_the_policy() {
        let policy = ReportPolicy::default();
        assert_eq!(
            policy.due("2023-02".parse().unwrap()).to_string(),
            "2023-03-10"
        );
        assert_eq!(
            policy.due("2023-12".parse().unwrap()).to_string(),
            "2024-01-10"
        );
    }

    #[test]
    fn every_month_gets_a_status() {
        let reports = [
            report("2023-01", "2023-02-01"),
            report("2023-03", "2023-04-11"),
        ];
        let got = timeliness(
            &reports,
            "2023-01".parse().unwrap(),
            "2023-04".parse().unwrap(),
            ReportPolicy::default(),
            "2023-05-01".parse().unwrap(),
        );
        let statuses: Vec<_> = got.into_iter().map(|(_, t)| t).collect();
        assert_eq!(
            statuses,
            [
                Timeliness::OnTime,
                Timeliness::Missing,
                Timeliness::Late { days: 1 },
                Timeliness::NotYetDue
            ]
        );
    }

    #[test]
    fn scores_become_staff_and_self_scores() {
        let team = TeamId::from_name("t");
        let scores = report("2023-01", "2023-02-01").scores(team);
        assert_eq!(scores.len(), 2);
        assert_eq!(scores[0].rater, Rater::Staff);
        assert_eq!(scores[0].level, AssessmentLevel::ChangesTestedNoImprovement);
        assert_eq!(scores[1].rater, Rater::SelfAssessment);
    }

    #[test]
    fn reports_read_from_toml_with_scores_as_numbers() {
        let r: MonthlyReport = toml::from_str(
            r#"
            month = "2023-05"
            submitted = 2023-06-08
            cycles = ["c1", "c2"]
            self_assessment = 3.0
            faculty_assessment = 2.5
            narrative = "Two cycles on rechecks."
            data = [{ measure = "bp-control", numerator = 61, denominator = 90 }]
            "#,
        )
        .unwrap();
        assert_eq!(r.self_assessment, Some(AssessmentLevel::ModestImprovement));
        assert_eq!(r.data[0].denominator, Some(90.0));
        let err = toml::from_str::<MonthlyReport>(
            "month = \"2023-05\"\nsubmitted = 2023-06-08\nself_assessment = 3.2",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("3.2"), "{err}");
    }
}

//! Fixtures shared by the integration tests.

use chrono::NaiveDate;
use qic_eligibility::{Application, Decision, Outcome, RuleSet, Status};

/// The complete example application (examples/data/application-complete.json).
pub(crate) const COMPLETE_JSON: &str =
    include_str!("../../../../examples/data/application-complete.json");
/// The same in TOML, with comments.
pub(crate) const COMPLETE_TOML: &str =
    include_str!("../../../../examples/data/application-complete.toml");
/// A readiness report of a synthetic extract (`qic equity readiness --format json`): REAL data
/// usable in 91-95% of records, sexual orientation in 54.8%, gender identity in 40.8%.
pub(crate) const READINESS_REPORT_JSON: &str =
    include_str!("../../../../examples/data/readiness-report.json");
/// The example batch: eight scenarios, one per line.
pub(crate) const APPLICATIONS_JSONL: &str =
    include_str!("../../../../examples/data/applications.jsonl");

pub(crate) fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

/// The Action Community's deadline: what is missing can still be sent on this day.
pub(crate) fn deadline_day() -> NaiveDate {
    day(2022, 10, 21)
}

pub(crate) fn action_community() -> RuleSet {
    RuleSet::preset("pursuing-equity-action-community-2022").unwrap()
}

pub(crate) fn learning_network() -> RuleSet {
    RuleSet::preset("pursuing-equity-learning-network-2022").unwrap()
}

/// The complete, eligible application to the Action Community.
pub(crate) fn complete() -> Application {
    Application::from_json_str(COMPLETE_JSON).unwrap()
}

/// The complete application, moved to the Learning Network (sent before its deadline).
pub(crate) fn complete_for_learning_network() -> Application {
    let mut app = complete();
    app.cohort = learning_network().admits().clone();
    app
}

/// The status of one rule's finding.
pub(crate) fn status(decision: &Decision, rule: &str) -> Status {
    decision
        .finding(rule)
        .unwrap_or_else(|| panic!("no finding for {rule}"))
        .status
}

/// Asserts the outcome, printing the decision when it differs.
pub(crate) fn assert_outcome(decision: &Decision, outcome: Outcome) {
    assert_eq!(decision.outcome, outcome, "{decision}");
}

/// Asserts that a preset's rule cites the seed sentence a test enforces, so that the preset
/// and the test quote the same source.
pub(crate) fn assert_cites(rules: &RuleSet, rule: &str, sentence: &str) {
    let found = rules
        .rules()
        .iter()
        .find(|r| r.id == rule)
        .unwrap_or_else(|| panic!("{} has no rule {rule}", rules.id()));
    let source = format!(
        "{} {}",
        found.citation,
        found.quote.as_deref().unwrap_or_default()
    );
    assert!(
        source.contains(sentence),
        "{rule} in {} does not cite {sentence:?}: {source}",
        rules.id()
    );
}

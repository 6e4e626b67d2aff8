//! Snapshots of the decisions on the example applications (examples/data), in text and JSON,
//! and of every preset in words. Update with `INSTA_UPDATE=always cargo test` and review the
//! `.snap` files.

use qic_eligibility::{Application, Outcome, PRESETS, RuleSet};

use crate::common::{
    APPLICATIONS_JSONL, COMPLETE_JSON, COMPLETE_TOML, READINESS_REPORT_JSON, action_community,
    deadline_day, learning_network,
};

/// `Lakeshore Family Medicine` becomes `lakeshore_family_medicine`.
fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

#[test]
fn decisions_on_the_example_applications() {
    let rules = action_community();
    let mut outcomes = Vec::new();
    for (index, line) in APPLICATIONS_JSONL.lines().enumerate() {
        let application = Application::from_json_str(line).unwrap();
        let decision = rules.evaluate(&application, deadline_day());
        let name = format!("{}_{}", index + 1, slug(&decision.applicant));
        insta::assert_snapshot!(format!("{name}_text"), decision.to_text());
        insta::assert_snapshot!(
            format!("{name}_json"),
            serde_json::to_string_pretty(&decision).unwrap()
        );
        outcomes.push(decision.outcome);
    }
    // The scenarios the examples promise, in file order.
    assert_eq!(
        outcomes,
        [
            Outcome::Eligible,
            Outcome::NotEligible,
            Outcome::NotEligible,
            Outcome::Incomplete,
            Outcome::OfferedOtherCohort,
            Outcome::NotEligible,
            Outcome::Eligible,
            Outcome::NotEligible,
        ]
    );
}

#[test]
fn the_redirected_application_in_the_learning_network() {
    let line = APPLICATIONS_JSONL
        .lines()
        .find(|l| l.contains("Eastside Community Hospital"))
        .unwrap();
    let mut application = Application::from_json_str(line).unwrap();
    application.cohort = learning_network().admits().clone();
    let decision = learning_network().evaluate(&application, deadline_day());
    insta::assert_snapshot!(decision.to_text());
}

#[test]
fn the_complete_application_with_a_readiness_report() {
    let mut application = Application::from_json_str(COMPLETE_JSON).unwrap();
    application.data.report = Some(serde_json::from_str(READINESS_REPORT_JSON).unwrap());
    let decision = action_community().evaluate(&application, deadline_day());
    insta::assert_snapshot!(decision.to_text());
}

#[test]
fn the_toml_and_json_examples_are_the_same_application() {
    let mut from_json = Application::from_json_str(COMPLETE_JSON).unwrap();
    let mut from_toml = Application::from_toml_str(COMPLETE_TOML).unwrap();
    assert_eq!(
        from_json.schema.as_deref(),
        Some("../../docs/application.schema.json")
    );
    from_json.schema = None;
    from_json.notes = None;
    from_toml.notes = None;
    assert_eq!(from_json, from_toml);
}

#[test]
fn presets_in_words() {
    for name in PRESETS {
        let rules = RuleSet::preset(name).unwrap();
        insta::assert_snapshot!(format!("preset_{}", slug(name)), rules.describe());
    }
}

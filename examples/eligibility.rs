//! Run with: cargo run --example eligibility
//!
//! Judges eight realistic applications to the IHI Pursuing Equity Action Community (2022) by the
//! built-in rule set and prints each decision in words: complete, a team of two, a team of eight,
//! no board chair letter, unusable SOGI data (offered the Learning Network), a community
//! organization without and with a health care partner, and one sent a day late. Then the
//! complete one again, with its REAL and SOGI data shown by a readiness report of an extract
//! (as `qic equity readiness --format json` writes it) instead of declared.

// An example prints.
#![allow(clippy::print_stdout)]

use chrono::NaiveDate;
use qic::eligibility::{Application, Outcome, RuleSet, Status};

/// The applications, one JSON object per line (the same file `qic eligibility batch` reads).
const APPLICATIONS: &str = include_str!("data/applications.jsonl");
/// A readiness report of a synthetic extract of the first applicant's records.
const READINESS_REPORT: &str = include_str!("data/readiness-report.json");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let action_community = RuleSet::preset("pursuing-equity-action-community-2022")?;
    let learning_network = RuleSet::preset("pursuing-equity-learning-network-2022")?;
    // The deadline day: anything missing could still be sent today. The library never reads the
    // clock; the day is always an argument.
    let as_of = NaiveDate::from_ymd_opt(2022, 10, 21).ok_or("bad date")?;

    println!(
        "Judging applications to {} ({} version {}) as of {as_of}.\n",
        action_community.name(),
        action_community.id(),
        action_community.version()
    );

    for (index, line) in APPLICATIONS.lines().enumerate() {
        let application = Application::from_json_str(line)?;
        let decision = action_community.evaluate(&application, as_of);
        println!(
            "{}. {} ({}): {}",
            index + 1,
            decision.applicant,
            application.organization.kind,
            decision.outcome
        );
        if let Some(note) = &application.notes {
            println!("   Scenario: {note}");
        }
        // The feedback is what a program manager sends: a summary, then each failure, then
        // each warning.
        for sentence in &decision.feedback {
            println!("   - {sentence}");
        }
        // Each failing finding names the field it rests on, so an intake form can point to it.
        for finding in decision.failures() {
            println!("     ({} rests on {})", finding.rule, finding.path);
        }

        match decision.outcome {
            // An application offered the Learning Network: judge it by that cohort's rules.
            Outcome::OfferedOtherCohort => {
                let mut moved = application.clone();
                moved.cohort = learning_network.admits().clone();
                let there = learning_network.evaluate(&moved, as_of);
                println!(
                    "   In {} it would be: {}.",
                    learning_network.name(),
                    there.outcome
                );
            }
            // An incomplete application: the same one after the deadline can no longer be
            // completed.
            Outcome::Incomplete => {
                let later = NaiveDate::from_ymd_opt(2022, 12, 5).ok_or("bad date")?;
                let after = action_community.evaluate(&application, later);
                let still_missing = after
                    .findings
                    .iter()
                    .filter(|f| f.status == Status::Fail)
                    .count();
                println!(
                    "   Still like this on {later}, it is {} ({still_missing} rule failing).",
                    after.outcome
                );
            }
            _ => {}
        }
        println!();
    }

    // Evidence from data: the readiness report of an extract replaces the declared shares.
    let mut application = Application::from_json_str(APPLICATIONS.lines().next().ok_or("empty")?)?;
    application.data.report = Some(serde_json::from_str(READINESS_REPORT)?);
    let decision = action_community.evaluate(&application, as_of);
    println!(
        "9. {} with a readiness report of its extract: {}",
        decision.applicant, decision.outcome
    );
    for rule in ["data.real", "data.sogi"] {
        if let Some(finding) = decision.finding(rule) {
            println!("   - {rule}: {}", finding.message);
        }
    }
    Ok(())
}

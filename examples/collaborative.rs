//! Run with: `cargo run --release --example collaborative [DIR [SEED]]`
//!
//! A Pursuing Equity Action Community simulated end to end from a fixed seed: twelve
//! applications judged by the `pursuing-equity-action-community-2022` rules, eight teams
//! admitted, eighteen months of patient-level blood pressure data with a gap between groups
//! that some teams close, PDSA cycles in ramps, monthly reports with scores. It writes the
//! collaborative's folder (default `target/qic-examples/collaborative/`), reads it back with
//! `qic_pdsa::Collaborative::load`, prints each team's progress toward its aims, the expected
//! outcomes and the harvest, and writes the collaborative report, `report.html`, into the folder
//! (what `qic report DIR` writes).
//! The scenario is described in the `qic-sim` crate (`crates/qic-sim`); running it twice
//! writes the same bytes.
//!
//! With `--teams 60` it runs the same program at scale (sixty teams, seven of them struggling)
//! into `target/qic-examples/collaborative-60/` instead.

#![allow(clippy::print_stdout)] // an example reports on standard output

use qic_sim as sim;

use std::error::Error;
use std::path::PathBuf;
use std::time::Instant;

use qic_eligibility::Outcome;
use qic_pdsa::ActDecision;
use qic_pdsa::aim::AimStatus;
use qic_pdsa::dashboard::{Dashboard, aim_progress};
use qic_pdsa::harvest::harvest;
use qic_pdsa::monthly::{Timeliness, timeliness};
use qic_pdsa::{Collaborative, TeamFolder};

fn main() -> Result<(), Box<dyn Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let large = match args.iter().position(|a| a == "--teams") {
        Some(i) => {
            let count = args.get(i + 1).cloned().unwrap_or_default();
            args.drain(i..(i + 2).min(args.len()));
            match count.as_str() {
                "8" => false,
                "60" => true,
                other => return Err(format!("--teams is 8 or 60, not `{other}`").into()),
            }
        }
        None => false,
    };
    let dir = args.first().map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(if large {
                "target/qic-examples/collaborative-60"
            } else {
                "target/qic-examples/collaborative"
            })
        },
        PathBuf::from,
    );
    let seed = match args.get(1) {
        Some(text) => text
            .parse()
            .map_err(|_| format!("the seed `{text}` is not a whole number"))?,
        None => sim::SEED,
    };
    let started = Instant::now();
    let simulation = if large {
        sim::simulate_large(seed)?
    } else {
        sim::simulate(seed)?
    };
    print_decisions(&simulation);
    let written = sim::write(&simulation, &dir)?;
    println!(
        "\nWrote {} files ({:.1} MB) to {} in {} ms.",
        written.files,
        written.bytes as f64 / 1e6,
        dir.display(),
        started.elapsed().as_millis()
    );

    // Read the folder back as any user of qic would, and check it.
    let started = Instant::now();
    let collaborative = Collaborative::load(&dir)?;
    let months = collaborative.months();
    println!(
        "Loaded \"{}\" in {} ms: {} teams in the {}, {} months ({} to {}), {} warnings.",
        collaborative.settings.title,
        started.elapsed().as_millis(),
        collaborative.teams.len(),
        collaborative.settings.cohort,
        months.len(),
        months.first().map(ToString::to_string).unwrap_or_default(),
        months.last().map(ToString::to_string).unwrap_or_default(),
        collaborative.warnings.len()
    );
    for warning in &collaborative.warnings {
        println!("  warning: {}: {}", warning.path.display(), warning.message);
    }
    if collaborative.warnings.is_empty() {
        // The loader warns when an extract's monthly totals differ from its data file.
        println!("Every stratified extract adds up to its measure's data file.");
    }
    for team in &collaborative.teams {
        print_team(&collaborative, team)?;
    }
    print_collaborative(&collaborative)?;

    // The report a collaborative shares: one self-contained HTML page, small cells suppressed.
    let started = Instant::now();
    let report = qic_pdsa::report::Report::build(&collaborative)?;
    let html = qic_pdsa::html::render(&report);
    let path = dir.join("report.html");
    std::fs::write(&path, &html)?;
    println!(
        "\nWrote the collaborative report ({} KB) to {} in {} ms: open it in a browser.",
        html.len() / 1000,
        path.display(),
        started.elapsed().as_millis()
    );
    if !simulation.struggling.is_empty() {
        let flagged: Vec<&str> = report
            .attention
            .iter()
            .filter(|a| a.need == qic_pdsa::report::attention::Need::High)
            .map(|a| a.team.name.as_str())
            .collect();
        println!(
            "Teams the simulation made to struggle: {}; the report says {} of {} teams need attention.",
            simulation.struggling.join(", "),
            flagged.len(),
            report.teams.len()
        );
    }
    Ok(())
}

/// The expected outcomes checked on the dashboard, and the most promising ideas of the harvest.
fn print_collaborative(collaborative: &Collaborative) -> Result<(), Box<dyn Error>> {
    let dashboard = Dashboard::new(collaborative)?;
    println!("\nExpected outcomes:");
    for check in &dashboard.outcomes {
        println!(
            "  [{}] {}: {} of {} teams",
            if check.met { "met" } else { "not met" },
            check.outcome.statement,
            check.teams_meeting.len(),
            check.teams
        );
    }
    let harvest = harvest(collaborative)?;
    println!(
        "Harvest of {} cycles, the most promising ideas first:",
        harvest.cycles
    );
    for idea in harvest.ideas.iter().take(5) {
        println!(
            "  {}: tested by {} teams, adopted by {}, followed by improvement in {}",
            idea.title,
            idea.teams.len(),
            idea.teams_adopting,
            idea.teams_improving
        );
    }
    Ok(())
}

/// The applications, judged by the preset rule set: the eligible ones are the teams.
fn print_decisions(simulation: &sim::Simulation) {
    if let Some(first) = simulation.applications.first() {
        println!(
            "Applications to the Action Community, judged by {} as of {}:",
            sim::applications::RULES,
            first.decision.as_of
        );
    }
    for judged in &simulation.applications {
        let decision = &judged.decision;
        let outcome = match (decision.outcome, judged.profile) {
            (Outcome::Eligible, Some(profile)) => {
                format!("eligible: joins the Action Community as {}", profile.team)
            }
            (Outcome::OfferedOtherCohort, _) => {
                "offered the Learning Network instead, with feedback".to_owned()
            }
            (outcome, _) => outcome.label().to_owned(),
        };
        println!("  {}: {outcome}", decision.applicant);
        // The first line of feedback restates the outcome; the others say why.
        for reason in decision.feedback.iter().skip(1) {
            println!("      {reason}");
        }
    }
}

/// A team's cycles, its reports' timeliness and its progress toward each aim.
fn print_team(collaborative: &Collaborative, team: &TeamFolder) -> Result<(), Box<dyn Error>> {
    let months = collaborative.months();
    let (Some(&first), Some(&last)) = (months.first(), months.last()) else {
        return Ok(());
    };
    let statuses = timeliness(
        &team.reports,
        first,
        last,
        collaborative.settings.reports,
        collaborative.settings.as_of,
    );
    let late = statuses
        .iter()
        .filter(|(_, t)| matches!(t, Timeliness::Late { .. }))
        .count();
    let missing: Vec<String> = statuses
        .iter()
        .filter(|(_, t)| *t == Timeliness::Missing)
        .map(|(m, _)| m.to_string())
        .collect();
    let adopted = team
        .cycles
        .cycles
        .iter()
        .filter(|c| c.decision() == Some(ActDecision::Adopt))
        .count();
    println!(
        "\n{} ({}): {} cycles, {adopted} changes adopted; {} reports, {late} late, missing: {}",
        team.team.name,
        team.team.organization.name,
        team.cycles.cycles.len(),
        team.reports.len(),
        if missing.is_empty() {
            "none".to_owned()
        } else {
            missing.join(", ")
        }
    );
    for aim in &team.aims {
        let Some(progress) = aim_progress(team, aim, collaborative.settings.as_of)? else {
            println!("  {}: no data", aim.statement);
            continue;
        };
        let value = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{v:.1}"));
        let status = match progress.status {
            AimStatus::Met => "met",
            AimStatus::InProgress => "in progress",
            AimStatus::NotMet => "not met by its date",
            AimStatus::NoData => "no data",
        };
        println!(
            "  {}: {} -> {} (target {}) {status}",
            aim.statement,
            value(progress.baseline),
            value(progress.current),
            progress.target
        );
    }
    Ok(())
}

//! Run with: `cargo run --example pursuing_equity`
//!
//! IHI's Pursuing Equity Learning Network and Action Community (2023-24): two cohorts with their
//! own capacity, commitments, application deadlines and calendars. A team finishes the Learning
//! Network and carries that history to a later Action Community.

#![allow(clippy::print_stdout)] // an example reports on standard output

use std::error::Error;
use std::path::PathBuf;

use chrono::NaiveDate;
use qic::program::{CohortKind, EventKind, Organization, OrganizationKind, Preset, Team};

fn main() -> Result<(), Box<dyn Error>> {
    let mut program = Preset::PursuingEquity2022.program()?;
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).ok_or("bad date");
    println!("{}", program.summary());

    // The Action Community closed on 2022-10-21; the Learning Network stayed open to 2022-11-01.
    let applied = day(2022, 10, 28)?;
    for cohort in program.cohorts() {
        if let Some(window) = cohort.applications() {
            let open = if window.is_open_on(applied) {
                "on time"
            } else {
                "too late"
            };
            println!(
                "An application on {applied} to the {} is {open}.",
                cohort.name()
            );
        }
    }

    // Enrol an illustrative team in the Learning Network, and let it finish.
    let network = program
        .cohort_named("Learning Network")
        .ok_or("preset cohort")?
        .id();
    let team = Team::new(
        "Riverside",
        Organization::new("Riverside Health", OrganizationKind::HealthSystem),
    );
    let riverside = team.id;
    program.add_team(team)?;
    program.enrol(riverside, network, day(2023, 1, 1)?)?;
    program.complete(riverside, network, day(2024, 6, 30)?)?;

    // Its history travels to a later program, where it joins an Action Community.
    let mut returning = program.team(riverside).ok_or("team just added")?.clone();
    returning.history.extend(program.participation(riverside));
    println!(
        "\nRiverside finished a Learning Network: {}; its history: {:?}",
        returning.has_completed(CohortKind::LearningNetwork),
        returning
            .history
            .iter()
            .map(|p| format!("{} in {}", p.cohort, p.program))
            .collect::<Vec<_>>()
    );

    // The Action Community's own calendar, as a table and as an .ics file.
    let schedule = program.schedule();
    let sessions = schedule
        .for_cohort("Action Community")
        .filter(|e| e.kind == EventKind::LearningSession)
        .count();
    println!(
        "\nThe Action Community has {sessions} learning sessions; the Learning Network meets on calls only.\n"
    );
    println!("{}", schedule.to_table());
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/qic-examples");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("pursuing-equity-2022.ics");
    std::fs::write(&path, schedule.to_ics())?;
    println!("Wrote {}", path.display());
    Ok(())
}

//! Run with: `cargo run --example improving_population_health`
//!
//! The IHI Improving Population Health Action Community (2020-21) as qic models it: the program,
//! its cohort and its calendar, written as an iCalendar file under `target/qic-examples/`. Then
//! what teams do in it, with two illustrative teams: projects placed in the four portfolios of
//! population health, progress along the 10-step path, and monthly assessment scores.

#![allow(clippy::print_stdout)] // an example reports on standard output

use std::error::Error;
use std::path::PathBuf;

use chrono::NaiveDate;
use qic::program::{
    AssessmentLevel, MonthlyScore, Organization, OrganizationKind, Portfolio, Preset, ProgressLog,
    Project, Rater, Team, TeamProgress,
};

fn main() -> Result<(), Box<dyn Error>> {
    // The preset: 11 months from August 2020, three learning sessions, monthly all-team calls,
    // working groups and a virtual harvesting session.
    let mut program = Preset::ImprovingPopulationHealth2020.program()?;
    let cohort = program.cohorts()[0].id();
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).ok_or("bad date");

    // Two illustrative teams (the seed pages name none).
    let lakeside = Team::new(
        "Lakeside",
        Organization::new(
            "Lakeside Community Hospital",
            OrganizationKind::CommunityHospital,
        ),
    );
    let valley = Team::new(
        "Valley",
        Organization::new("Valley ACO", OrganizationKind::Aco),
    );
    let (a, b) = (lakeside.id, valley.id);
    program.add_team(lakeside)?;
    program.add_team(valley)?;
    program.enrol(a, cohort, day(2020, 8, 1)?)?;
    program.enrol(b, cohort, day(2020, 8, 1)?)?;
    program.add_project(Project::new(
        a,
        "Diabetes care management",
        [Portfolio::PhysicalAndOrMentalHealth],
    )?)?;
    program.add_project(Project::new(
        a,
        "Food insecurity screening",
        [Portfolio::SocialAndOrSpiritualWellBeing],
    )?)?;
    program.add_project(Project::new(
        b,
        "Housing partnership",
        [
            Portfolio::CommunityHealthAndWellBeing,
            Portfolio::CommunitiesOfSolutions,
        ],
    )?)?;

    println!("{}", program.summary());
    println!("{}", program.schedule().to_table());

    // The calendar for calendar apps: RFC 5545, the same bytes on every run.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/qic-examples");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("improving-population-health-2020.ics");
    std::fs::write(&path, program.schedule().to_ics())?;
    println!(
        "Wrote {} events to {}\n",
        program.schedule().events().len(),
        path.display()
    );

    // Portfolio balance: P2PH asks for work in all four portfolios.
    let balance = program.cohort_balance(cohort);
    println!(
        "Portfolio balance of the cohort ({} projects, {} teams):",
        balance.projects, balance.teams
    );
    for count in &balance.per_portfolio {
        println!(
            "  {}. {:<36} {} projects",
            count.portfolio.number(),
            count.portfolio.label(),
            count.projects
        );
    }

    // The 10-step path: Valley starts testing (step 8) before it has prioritized.
    let path = program.pathway().ok_or("the preset has a pathway")?.clone();
    let mut valley_steps = TeamProgress::new(b, &path);
    valley_steps.start(&path, 1, day(2020, 8, 26)?)?;
    valley_steps.finish(&path, 1, day(2020, 9, 30)?, "current-state assessment")?;
    valley_steps.start(&path, 8, day(2020, 10, 15)?)?;
    for warning in valley_steps.warnings(&path) {
        println!(
            "\nPathway warning: Valley started step {} ({}) on {} with steps {:?} unfinished",
            warning.step,
            path.step(warning.step)?.title,
            warning.started,
            warning.unfinished
        );
    }

    // Monthly assessment scores and the cohort's distribution.
    let mut log = ProgressLog::default();
    for (team, month, level) in [
        (a, "2020-09", AssessmentLevel::CharterAndTeamEstablished),
        (b, "2020-09", AssessmentLevel::PlanningBegun),
        (a, "2020-10", AssessmentLevel::ActivityNoChanges),
        (b, "2020-10", AssessmentLevel::ActivityNoChanges),
        (a, "2020-11", AssessmentLevel::ChangesTestedNoImprovement),
    ] {
        log.record(MonthlyScore::new(team, month.parse()?, level))?;
    }
    println!("\nAssessment scores (staff):");
    for month in log.distribution(&[a, b], Rater::Staff) {
        let median = month
            .median
            .map_or_else(|| "-".to_owned(), |m| format!("{m:.2}"));
        println!(
            "  {}  scored {}  unscored {}  median {median}",
            month.month, month.scored, month.unscored
        );
    }
    Ok(())
}

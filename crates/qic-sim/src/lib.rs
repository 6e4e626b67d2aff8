//! The simulated collaboratives behind qic's main example (`examples/collaborative.rs`) and its
//! tests: a Pursuing Equity Action Community of eight teams ([`simulate`]), and the same
//! program run at scale with sixty ([`simulate_large`]), from a fixed seed. Not published: a
//! crate of its own so the example and the tests share it without `#[path]` includes.
//!
//! # The scenario
//!
//! IHI's Pursuing Equity program (the `pursuing-equity-2022` preset) runs eighteen months, from
//! January to June 2024. Its Action Community admits eight health care delivery organizations
//! that work on one clinical equity outcome: blood pressure control for adults with
//! hypertension, where their Black, Hispanic or American Indian patients fare worse than their
//! White patients. Every team reports two required measures stratified by race and ethnicity
//! (control, and follow-up of uncontrolled readings) from a patient-level extract, a required
//! balancing measure (days to the third next available appointment), one or two menu measures,
//! and, for one team, a measure of its own. Each team has a level aim (raise control to a
//! target) and an equity aim (close the gap to its focus group to a few points), both due at
//! the end of June 2024.
//!
//! Teams test changes from the program's change package (or their own) in ramps of PDSA cycles
//! of growing scale (adapt, adapt, adopt; some abandoned). A change moves the data only once
//! adopted, from the next month on. How the teams differ (see [`profiles`]):
//!
//! - Riverbend, Lakeshore and Northgate close their gaps with changes aimed at their focus
//!   group (community health workers, barbershop partnerships, promotoras).
//! - Harbor Point, Pinecrest and Bayview narrow their gaps, not all the way.
//! - Summit Valley raises control for everyone, so its gap stays (a rising tide); its follow-up
//!   visits lengthen the wait for appointments until nurse visits take the load.
//! - Eastside tests ideas but adopts none (its lead leaves, a grant ends): no improvement, late
//!   reports, two missing.
//!
//! The large collaborative enrols sixty teams: the eight, and 52 more each like one of them
//! (same changes, same reporting habits, a population of its own size, its own draws). Seven
//! are like Eastside; [`Simulation::struggling`] names them, and its report must list them as
//! needing attention.
//!
//! Faculty score each team monthly on the IHI assessment scale from what its data and cycles
//! show; teams score themselves, some more generously.
//!
//! # Determinism
//!
//! Every draw comes from `ChaCha8` streams of one seed (one stream per team), turned into values
//! by exact arithmetic only, and everything is written in a fixed order: the same seed writes
//! byte-identical files on every machine. `tests/integration/collaborative.rs` runs the
//! simulation twice and compares every byte.

pub mod applications;
mod measures;
pub mod profiles;
mod random;
mod reports;
mod team;
mod write;

use std::path::Path;

use chrono::NaiveDate;
use qic_eligibility::Outcome;
use qic_pdsa::collaborative::Settings;
use qic_pdsa::monthly::ReportPolicy;
use qic_program::{Preset, Program};

use self::applications::Judged;
use self::profiles::{LARGE, Profile, TEAMS};
use self::team::TeamRun;

/// Errors of the simulation: anything that prevents writing the folder.
pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The seed of the collaborative the example writes: the first seed, counting from 1, whose
/// draws tell the story above team by team, as `tests/integration/collaborative.rs` checks it
/// (three gaps closed by more than eight points, three narrowed short of their aims, Summit
/// Valley's level aim met with its gap within five points of where it was, Eastside within four
/// points of its baseline). Only 13 of the first 80 seeds pass every check: with a few dozen
/// patients a month in a group, chance alone moves a gap by several points, and in most seeds
/// one team or another lands on the other side of a line, as real data would.
pub const SEED: u64 = 3;

/// The cohort the teams are enrolled in.
pub const COHORT: &str = "Action Community";

/// The cohort applicants that miss the Action Community's bar are offered.
const OTHER_COHORT: &str = "Learning Network";

/// A simulated collaborative, in memory.
pub struct Simulation {
    /// The seed it was drawn from.
    pub seed: u64,
    /// The applications and their decisions (none for the large collaborative, whose teams
    /// are enrolled directly).
    pub applications: Vec<Judged>,
    /// The decisions as `qic eligibility batch` writes them (JSON Lines).
    pub decisions: Vec<u8>,
    /// `collaborative.toml`.
    pub settings: Settings,
    /// The program, with the teams enrolled.
    pub program: Program,
    /// The teams that the simulation made to struggle (like Eastside), by name.
    pub struggling: Vec<String>,
    teams: Vec<TeamRun>,
}

impl Simulation {
    /// The teams' names, in the order simulated.
    pub fn team_names(&self) -> Vec<&str> {
        self.teams.iter().map(|t| t.profile.team).collect()
    }
}

/// What writing the folder produced.
pub struct Written {
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
}

fn date(year: i32, month: u32, day: u32) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| "bad date".into())
}

/// The preset program with the applicants the rules admitted enrolled in the Action Community
/// and those offered the Learning Network enrolled there, on the program's first day. An
/// Action Community team keeps its short name for tables and charts.
fn program(judged: &[Judged]) -> Result<Program> {
    let mut program = Preset::PursuingEquity2022.program()?;
    let cohort_id = |program: &Program, name: &str| {
        program
            .cohort_named(name)
            .map(qic_program::Cohort::id)
            .ok_or_else(|| format!("the preset has no {name}"))
    };
    let community = cohort_id(&program, COHORT)?;
    let network = cohort_id(&program, OTHER_COHORT)?;
    let start = program.window().start();
    for entry in judged {
        let cohort = match entry.decision.outcome {
            Outcome::Eligible => community,
            Outcome::OfferedOtherCohort => network,
            _ => continue,
        };
        let mut team = entry.application.to_team();
        if let (Some(profile), Outcome::Eligible) = (entry.profile, entry.decision.outcome) {
            team.name = profile.team.into();
        }
        let id = team.id;
        program.add_team(team)?;
        program.enrol(id, cohort, start)?;
    }
    Ok(program)
}

/// Runs the whole collaborative from `seed`: the applications are judged as of the day the
/// preset says decisions are due, and the admitted teams run eighteen months.
///
/// # Errors
///
/// Anything the qic crates refuse (which a correct simulation never meets).
pub fn simulate(seed: u64) -> Result<Simulation> {
    let preset = Preset::PursuingEquity2022.program()?;
    let decided = preset
        .cohort_named(COHORT)
        .and_then(qic_program::Cohort::applications)
        .and_then(qic_program::ApplicationWindow::decisions_by)
        .ok_or("the preset's Action Community has no decision date")?;
    let (judged, decisions) = applications::judge(decided)?;
    let program_measures = measures::program_measures()?;
    let package = measures::change_package()?;
    let mut teams = Vec::new();
    // Each team draws from its own stream (its place among the eight), whoever else is in.
    for (profile, stream) in TEAMS.iter().zip(1_u64..) {
        let admitted = judged.iter().any(|j| {
            j.decision.outcome == Outcome::Eligible
                && j.profile.is_some_and(|p| p.folder == profile.folder)
        });
        if admitted {
            teams.push(team::simulate(
                profile,
                stream,
                seed,
                &program_measures,
                &package,
            )?);
        }
    }
    let settings = settings(
        "Pursuing Equity Action Community 2023-24: hypertension control (simulated)",
        program_measures,
        package,
    )?;
    let program = program(&judged)?;
    let struggling = struggling(&teams, |p| p.folder == "eastside");
    Ok(Simulation {
        seed,
        applications: judged,
        decisions,
        settings,
        program,
        struggling,
        teams,
    })
}

/// The collaborative's settings: as of a fortnight after the program ends (June's reports were
/// due on July 10), the CMS threshold, the Action Community's expected outcomes.
fn settings(
    title: &str,
    measures: Vec<qic_pdsa::Measure>,
    package: Vec<qic_pdsa::collaborative::PackageItem>,
) -> Result<Settings> {
    Ok(Settings {
        title: title.into(),
        program: Some("program.toml".into()),
        preset: None,
        cohort: COHORT.into(),
        as_of: date(2024, 7, 15)?,
        reports: ReportPolicy::default(),
        suppress_counts_up_to: 10,
        measures,
        change_package: package,
        expected_outcomes: qic_pdsa::dashboard::pursuing_equity_expected_outcomes(),
    })
}

fn struggling(teams: &[TeamRun], like_eastside: impl Fn(&Profile) -> bool) -> Vec<String> {
    teams
        .iter()
        .filter(|t| like_eastside(t.profile))
        .map(|t| t.profile.team.to_owned())
        .collect()
}

/// Runs the same program at scale from `seed`: sixty teams (the eight, and 52 more each like
/// one of them) enrolled in the Action Community, whose capacity is
/// raised to hold them, with no application round.
///
/// # Errors
///
/// Anything the qic crates refuse (which a correct simulation never meets).
pub fn simulate_large(seed: u64) -> Result<Simulation> {
    let program_measures = measures::program_measures()?;
    let package = measures::change_package()?;
    let mut teams = Vec::with_capacity(LARGE.len());
    let mut struggling_teams = Vec::new();
    for (index, profile) in LARGE.iter().enumerate() {
        if profiles::struggles(index) {
            struggling_teams.push(profile.team.to_owned());
        }
        let stream = u64::try_from(index)? + 1;
        teams.push(team::simulate(
            profile,
            stream,
            seed,
            &program_measures,
            &package,
        )?);
    }
    let mut spec = qic_program::ProgramSpec::from(Preset::PursuingEquity2022.program()?);
    let cohort = spec
        .cohorts
        .iter_mut()
        .find(|c| c.name == COHORT)
        .ok_or("the preset has no Action Community")?;
    cohort.capacity = Some(u32::try_from(LARGE.len())?);
    let mut program = Program::new(spec)?;
    let community = program
        .cohort_named(COHORT)
        .map(qic_program::Cohort::id)
        .ok_or("the preset has no Action Community")?;
    let start = program.window().start();
    for profile in &LARGE {
        let mut team = applications::team_application(profile)?.to_team();
        team.name = profile.team.into();
        let id = team.id;
        program.add_team(team)?;
        program.enrol(id, community, start)?;
    }
    Ok(Simulation {
        seed,
        applications: Vec::new(),
        decisions: Vec::new(),
        settings: settings(
            "Pursuing Equity Action Community at scale: sixty teams (simulated)",
            program_measures,
            package,
        )?,
        program,
        struggling: struggling_teams,
        teams,
    })
}

/// Writes the collaborative's folder under `dir` (see `qic_pdsa::folder` for the layout), with
/// the applications and their decisions under `applications/`.
///
/// # Errors
///
/// A folder that holds other things than a collaborative, or any write that fails.
pub fn write(simulation: &Simulation, dir: &Path) -> Result<Written> {
    let mut writer = write::Writer::new(dir)?;
    writer.toml(
        "collaborative.toml",
        &format!(
            "A simulated Pursuing Equity Action Community (examples/collaborative.rs, seed {}).\n\
             The organizations, people and patients are invented.",
            simulation.seed
        ),
        &simulation.settings,
    )?;
    writer.toml(
        "program.toml",
        "The pursuing-equity-2022 preset with the teams enrolled: the Action Community's teams, and\n\
         any applicants offered the Learning Network.",
        &simulation.program,
    )?;
    for entry in &simulation.applications {
        writer.toml(
            &format!("applications/{}.toml", entry.file),
            &format!(
                "An application to the Action Community, judged by the {} rule set:\n\
                 qic eligibility check <this file> --rules {} --as-of {}",
                applications::RULES,
                applications::RULES,
                entry.decision.as_of
            ),
            &entry.application,
        )?;
    }
    if !simulation.applications.is_empty() {
        writer.bytes("applications/decisions.jsonl", &simulation.decisions)?;
    }
    for run in &simulation.teams {
        write::team(&mut writer, run)?;
    }
    Ok(Written {
        files: writer.files,
        bytes: writer.bytes,
    })
}

//! A simulated Pursuing Equity Action Community, from a fixed seed.
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
//! Faculty score each team monthly on the IHI assessment scale from what its data and cycles
//! show; teams score themselves, some more generously.
//!
//! # Determinism
//!
//! Every draw comes from `ChaCha8` streams of one seed (one stream per team), turned into values
//! by exact arithmetic only, and everything is written in a fixed order: the same seed writes
//! byte-identical files on every machine. `tests/integration/collaborative.rs` runs the
//! simulation twice and compares every byte.

pub(crate) mod check;
pub(crate) mod measures;
pub(crate) mod profiles;
mod random;
pub(crate) mod team;
mod write;

use std::path::Path;

use chrono::NaiveDate;
use qic_pdsa::folder::Settings;
use qic_pdsa::monthly::ReportPolicy;
use qic_program::{Lens, Member, Organization, Preset, Program, Role, Team};

use self::profiles::{Profile, TEAMS};
use self::team::TeamRun;

/// Errors of the simulation: anything that prevents writing the folder.
pub(crate) type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The seed of the collaborative the example writes.
pub(crate) const SEED: u64 = 2023;

/// The cohort the teams are enrolled in.
pub(crate) const COHORT: &str = "Action Community";

/// The simulated collaborative, in memory.
pub(crate) struct Simulation {
    pub(crate) settings: Settings,
    pub(crate) program: Program,
    pub(crate) teams: Vec<TeamRun>,
}

/// What writing the folder produced.
pub(crate) struct Written {
    pub(crate) files: usize,
    pub(crate) bytes: u64,
}

fn date(year: i32, month: u32, day: u32) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| "bad date".into())
}

/// The team as the program knows it: its organization and core team.
fn program_team(profile: &Profile) -> Team {
    let mut organization = Organization::new(profile.organization, profile.kind);
    organization.location = Some(profile.location.into());
    let mut team = Team::new(profile.team, organization);
    let seats: [(&[Role], &[Lens]); 5] = [
        (
            &[Role::ExecutiveSponsor],
            &[Lens::Clinical, Lens::PatientFacingCare],
        ),
        (&[Role::DayToDayLead], &[Lens::QualityImprovement]),
        (&[Role::DataLead], &[Lens::Data]),
        (&[Role::Member], &[Lens::Equity, Lens::Community]),
        (&[Role::PatientPartner], &[Lens::LivedExperience]),
    ];
    for ((name, title), (roles, lenses)) in profile.people.iter().zip(seats) {
        let mut member = Member::new(team.id, *name);
        member.title = Some((*title).into());
        member.roles = roles.iter().copied().collect();
        member.lenses = lenses.iter().copied().collect();
        if roles.contains(&Role::PatientPartner) {
            member.compensated = Some(true);
        }
        team.members.push(member);
    }
    team
}

/// The preset program with the eight teams added and enrolled in the Action Community on the
/// program's first day.
fn program() -> Result<Program> {
    let mut program = Preset::PursuingEquity2022.program()?;
    let cohort = program
        .cohort_named(COHORT)
        .ok_or("the preset has no Action Community")?
        .id();
    let start = program.window().start();
    for profile in &TEAMS {
        let team = program_team(profile);
        let id = team.id;
        program.add_team(team)?;
        program.enrol(id, cohort, start)?;
    }
    Ok(program)
}

/// Runs the whole collaborative from `seed`.
pub(crate) fn simulate(seed: u64) -> Result<Simulation> {
    let program_measures = measures::program_measures()?;
    let package = measures::change_package()?;
    let teams = TEAMS
        .iter()
        .zip(1_u64..)
        .map(|(profile, stream)| team::simulate(profile, stream, seed, &program_measures, &package))
        .collect::<Result<Vec<_>>>()?;
    let settings = Settings {
        title: "Pursuing Equity Action Community 2023-24: hypertension control (simulated)".into(),
        program: Some("program.toml".into()),
        preset: None,
        cohort: COHORT.into(),
        // A fortnight after the program ends: June's reports were due on July 10.
        as_of: date(2024, 7, 15)?,
        reports: ReportPolicy::default(),
        suppress_counts_up_to: 10,
        measures: program_measures,
        change_package: package,
    };
    Ok(Simulation {
        settings,
        program: program()?,
        teams,
    })
}

/// Writes the collaborative's folder under `dir` (see `qic_pdsa::folder` for the layout).
pub(crate) fn write(simulation: &Simulation, dir: &Path) -> Result<Written> {
    let mut writer = write::Writer::new(dir)?;
    writer.toml(
        "collaborative.toml",
        "A simulated Pursuing Equity Action Community (examples/collaborative.rs, seed 2023).\n\
         The organizations, people and patients are invented.",
        &simulation.settings,
    )?;
    writer.toml(
        "program.toml",
        "The pursuing-equity-2022 preset with the Action Community's eight teams enrolled.",
        &simulation.program,
    )?;
    for run in &simulation.teams {
        write::team(&mut writer, run)?;
    }
    Ok(Written {
        files: writer.files,
        bytes: writer.bytes,
    })
}

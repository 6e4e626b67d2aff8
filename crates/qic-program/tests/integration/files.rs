//! Programs read from files, and what a program does with its teams.

use std::path::PathBuf;

use chrono::NaiveDate;
use qic_program::io::{load_pathway, load_program};
use qic_program::{CohortKind, Organization, OrganizationKind, Preset, ProgramError, Team};

fn example_program() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/programs/hypertension-collaborative.toml")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn scratch(name: &str, text: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn the_example_program_file_loads_and_its_json_twin_is_equal() {
    let program = load_program(example_program()).unwrap();
    assert_eq!(program.teams().len(), 1);
    assert_eq!(program.cohorts()[0].places_left(), Some(14));
    let json = scratch(
        "hypertension.json",
        &serde_json::to_string_pretty(&program).unwrap(),
    );
    assert_eq!(load_program(json).unwrap(), program);
}

#[test]
fn file_errors_name_the_file_field_and_line() {
    let text = std::fs::read_to_string(example_program()).unwrap();
    let misspelt = scratch(
        "misspelt.toml",
        &text.replace("capacity = 15", "capasity = 15"),
    );
    let err = load_program(&misspelt).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!("{}:", misspelt.display())),
        "{err}"
    );
    assert!(
        err.contains(":24:1: $.cohorts[0]: unknown field `capasity`"),
        "{err}"
    );

    let over = scratch("over.toml", &text.replace("capacity = 15", "capacity = 0"));
    let err = load_program(&over).unwrap_err().to_string();
    assert!(
        err.contains(":24:1: $.cohorts[0].capacity: cohort `Cohort 1` has a capacity of 0 teams"),
        "{err}"
    );

    let unknown_team = scratch(
        "team.toml",
        &text.replace("team = \"9a4b2c1e", "team = \"0a4b2c1e"),
    );
    let err = load_program(&unknown_team).unwrap_err();
    assert_eq!(err.field(), Some("cohorts[0].enrolments[0].team"));
    assert!(
        err.to_string()
            .contains(": $.cohorts[0].enrolments[0].team: unknown team")
            && err.to_string().contains(".toml:37:"),
        "{err}"
    );

    let zone = scratch(
        "zone.toml",
        &text.replace("\"America/Denver\"", "\"America/Denvr\""),
    );
    let err = load_program(&zone).unwrap_err().to_string();
    assert!(
        err.ends_with(":9:1: $.time_zone: unknown time zone `America/Denvr` (give an IANA name such as `America/New_York` or `UTC`)"),
        "{err}"
    );

    let missing = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("no-such-program.toml");
    assert!(matches!(
        load_program(&missing),
        Err(ProgramError::Document(qic_io::DocumentError::Io { .. }))
    ));
    assert!(load_pathway(&missing).is_err());
}

#[test]
fn a_learning_network_alumnus_joins_a_later_action_community() {
    let mut equity = Preset::PursuingEquity2022.program().unwrap();
    let network = equity.cohort_named("Learning Network").unwrap().id();
    let community = equity.cohort_named("Action Community").unwrap().id();
    let team = Team::new(
        "Harbor",
        Organization::new("Harbor Health", OrganizationKind::HealthSystem),
    );
    let id = team.id;
    equity.add_team(team.clone()).unwrap();
    equity.enrol(id, network, day(2023, 1, 1)).unwrap();
    // Active in one cohort, so not in the other at the same time.
    assert!(matches!(
        equity.enrol(id, community, day(2023, 2, 1)),
        Err(ProgramError::AlreadyEnrolled { .. })
    ));
    assert!(
        equity.complete(id, network, day(2022, 12, 1)).is_err(),
        "completion before enrolment"
    );
    equity.complete(id, network, day(2024, 6, 30)).unwrap();
    assert_eq!(
        equity.teams_in(network).len(),
        1,
        "a completed team keeps its place in the record"
    );

    // A later program's Action Community: the team arrives with its history.
    let mut later = Preset::PursuingEquity2022.program().unwrap();
    let later_community = later.cohort_named("Action Community").unwrap().id();
    let mut returning = team;
    returning.history = equity.participation(id);
    assert!(returning.has_completed(CohortKind::LearningNetwork));
    later.add_team(returning).unwrap();
    later.enrol(id, later_community, day(2024, 1, 1)).unwrap();
    assert_eq!(
        later.teams_in(later_community)[0].history[0].cohort,
        "Learning Network"
    );
}

#[test]
fn cohorts_fill_up_and_withdrawals_free_places() {
    let mut program = Preset::PursuingEquity2022.program().unwrap();
    let community = program.cohort_named("Action Community").unwrap().id();
    let ids: Vec<_> = (0..11)
        .map(|i| {
            let team = Team::new(
                format!("Team {i}"),
                Organization::new(format!("Org {i}"), OrganizationKind::CommunityHealthCenter),
            );
            let id = team.id;
            program.add_team(team).unwrap();
            id
        })
        .collect();
    for id in &ids[..10] {
        program.enrol(*id, community, day(2023, 1, 1)).unwrap();
    }
    let err = program
        .enrol(ids[10], community, day(2023, 1, 1))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cohort `Action Community` is full (10 teams)"
    );
    program
        .withdraw(ids[0], community, day(2023, 3, 1))
        .unwrap();
    program.enrol(ids[10], community, day(2023, 3, 2)).unwrap();
    assert_eq!(program.cohort(community).unwrap().places_left(), Some(0));
    assert!(
        program.enrol(ids[0], community, day(2023, 4, 1)).is_err(),
        "one enrolment per cohort"
    );
    assert!(
        program
            .add_team(Team::new(
                "Team 3",
                Organization::new("X", OrganizationKind::Other)
            ))
            .is_err()
    );
}

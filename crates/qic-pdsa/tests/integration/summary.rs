//! Team summaries in text, on the fixture collaborative.

use qic_pdsa::Collaborative;
use qic_pdsa::text::{summary, team_summary};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/collaborative");

#[test]
fn team_summaries_of_the_fixture() {
    let c = Collaborative::load(FIXTURE).unwrap();
    for team in &c.teams {
        let text = team_summary(&c, team).unwrap();
        insta::assert_snapshot!(format!("team_summary_{}", team.folder), text);
    }
}

#[test]
fn the_collaborative_summary_shows_every_warning() {
    let c = Collaborative::load(FIXTURE).unwrap();
    let text = summary(&c).unwrap();
    for w in &c.warnings {
        assert!(text.contains(&w.message), "{}", w.message);
    }
    insta::assert_snapshot!("collaborative_summary", text);
}

/// Lakeside with an equity aim on its stratified measure.
fn with_equity_aim() -> Collaborative {
    let mut c = Collaborative::load(FIXTURE).unwrap();
    let aim: qic_pdsa::Aim = toml::from_str(
        r#"
        key = "gap"
        statement = "Close the gap in control between Black and White patients to 5 points"
        measure = "bp-control"
        goal = { kind = "close_gap", dimension = "race_ethnicity", group = "Black or African American", reference = "White", to = 5.0 }
        by = 2025-09-30
        "#,
    )
    .unwrap();
    c.teams[0].aims.push(aim);
    c
}

#[test]
fn an_equity_aim_on_small_cells_is_hidden_and_shown_when_the_cells_are_published() {
    use qic_pdsa::text::{SharedProgress, shared_aim_progress};
    let mut c = with_equity_aim();
    let team = &c.teams[0];
    let aim = &team.aims[1];
    // Black patients number 17 to 25 a month in the fixture, with 5 to 16 controlled: hidden.
    let hidden = shared_aim_progress(team, aim, &c.suppression(), c.settings.as_of);
    assert_eq!(hidden, SharedProgress::Hidden);
    let text = team_summary(&c, team).unwrap();
    assert!(
        text.contains("gap: Close the gap") && text.contains("hidden: a month it rests on"),
        "{text}"
    );

    // With a threshold of 1 every cell of the fixture is published, and the gap is computed.
    c.settings.suppress_counts_up_to = 1;
    let team = &c.teams[0];
    let shown = shared_aim_progress(team, &team.aims[1], &c.suppression(), c.settings.as_of);
    let SharedProgress::Shown(progress) = shown else {
        panic!("expected progress, got {shown:?}");
    };
    assert!(progress.baseline.is_some() && progress.current.is_some());
}

//! The report as text, on the fixture collaborative.

use qic_pdsa::Collaborative;
use qic_pdsa::report::{Report, SharedProgress};
use qic_pdsa::text::render;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/collaborative");

#[test]
fn the_text_report_shows_every_warning_and_every_team() {
    let c = Collaborative::load(FIXTURE).unwrap();
    let text = render(&Report::build(&c).unwrap());
    for w in &c.warnings {
        assert!(text.contains(&w.message), "{}", w.message);
    }
    for team in &c.teams {
        assert!(text.contains(&team.team.name), "{}", team.team.name);
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
    let mut c = with_equity_aim();
    // Black patients number 17 to 25 a month in the fixture, with 5 to 16 controlled: hidden.
    let report = Report::build(&c).unwrap();
    let lakeside = &report.teams[0];
    assert_eq!(lakeside.aims[1].progress, SharedProgress::Hidden);
    let text = render(&report);
    assert!(
        text.contains("gap: Close the gap") && text.contains("hidden: a month it rests on"),
        "{text}"
    );

    // With a threshold of 1 every cell of the fixture is published, and the gap is computed.
    c.settings.suppress_counts_up_to = 1;
    let report = Report::build(&c).unwrap();
    let shown = &report.teams[0].aims[1].progress;
    let SharedProgress::Shown(progress) = shown else {
        panic!("expected progress, got {shown:?}");
    };
    assert!(progress.baseline.is_some() && progress.current.is_some());
}

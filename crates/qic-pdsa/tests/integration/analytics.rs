//! Harvest, dashboard and charts on the fixture collaborative, changed in memory.

use proptest::prelude::*;
use qic_pdsa::Collaborative;
use qic_pdsa::charts::team_chart;
use qic_pdsa::cycle::{ActDecision, Cycle};
use qic_pdsa::dashboard::{Criterion, Dashboard, ExpectedOutcome, Share};
use qic_pdsa::harvest::harvest;
use qic_pdsa::monthly::Timeliness;
use qic_pdsa::series::{DataPoint, Series};
use qic_program::YearMonth;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/collaborative");

fn fixture() -> Collaborative {
    Collaborative::load(FIXTURE).unwrap()
}

/// Lakeside's blood pressure control over nine months: flat, then a clear rise from July.
fn rise(c: &mut Collaborative) {
    let lakeside = &mut c.teams[0];
    let key = "bp-control".parse().unwrap();
    let measure = lakeside.measure(&key).unwrap().clone();
    let mut month: YearMonth = "2025-01".parse().unwrap();
    let points = [50.0, 51.0, 49.0, 52.0, 50.0, 51.0, 72.0, 74.0, 73.0]
        .iter()
        .map(|&n| {
            let p = DataPoint {
                month,
                numerator: n,
                denominator: Some(100.0),
            };
            month = month.next();
            p
        })
        .collect();
    lakeside
        .series
        .insert(key, Series::new(&measure, points).unwrap());
    // Adopted in late June: the change counts from July.
    let act = lakeside.cycles.cycles[0].act.as_mut().unwrap();
    act.date = "2025-06-20".parse().unwrap();
    c.settings.as_of = "2025-09-30".parse().unwrap();
}

#[test]
fn harvest_counts_an_adoption_followed_by_improvement() {
    let mut c = fixture();
    let before = harvest(&c).unwrap();
    assert_eq!(before.cycles, 1);
    let idea = &before.ideas[0];
    assert_eq!(idea.idea, "accurate-measurement");
    assert_eq!(idea.title, "Measure blood pressure accurately");
    assert!(idea.from_change_package);
    assert_eq!((idea.adopted, idea.teams_adopting), (1, 1));
    // Adopted in February with one month of data before: too little to judge.
    assert_eq!((idea.teams_improving, idea.teams_not_judged), (0, 1));

    rise(&mut c);
    let after = harvest(&c).unwrap();
    assert_eq!(
        (
            after.ideas[0].teams_improving,
            after.ideas[0].teams_not_judged
        ),
        (1, 0)
    );
}

#[test]
fn team_chart_is_annotated_and_split_at_the_adoption() {
    let mut c = fixture();
    rise(&mut c);
    let schedule = c.program.schedule();
    let lakeside = &c.teams[0];
    let measure = lakeside.measure(&"bp-control".parse().unwrap()).unwrap();
    let chart = team_chart(lakeside, measure, schedule, &c.settings.cohort, &[])
        .unwrap()
        .unwrap();
    let labels: Vec<_> = chart.markers.iter().map(|m| m.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Learning Session 1",
            "Learning Session 2",
            "Adopted: Recheck high readings after five minutes of rest"
        ]
    );
    assert_eq!(
        chart.phase_starts,
        ["2025-07".parse::<YearMonth>().unwrap()]
    );
    assert_eq!(chart.chart.summary().len(), 2, "two phases");
    // Valley has no recheck data: no chart.
    let recheck = lakeside.measure(&"recheck".parse().unwrap()).unwrap();
    assert!(
        team_chart(&c.teams[1], recheck, schedule, &c.settings.cohort, &[])
            .unwrap()
            .is_none()
    );
}

#[test]
fn dashboard_shows_scores_reports_signals_and_outcomes() {
    let mut c = fixture();
    rise(&mut c);
    c.settings.expected_outcomes = vec![
        ExpectedOutcome {
            statement: "Most teams improve an outcome".into(),
            share: Share::Most,
            criterion: Criterion::OutcomeImprovement,
        },
        ExpectedOutcome {
            statement: "Some teams improve an outcome".into(),
            share: Share::Some,
            criterion: Criterion::OutcomeImprovement,
        },
    ];
    let d = Dashboard::new(&c).unwrap();
    assert_eq!(d.months.len(), 9);
    let lakeside = &d.teams[0];
    assert_eq!(
        lakeside.scores[0].map(qic_program::AssessmentLevel::score),
        Some(1.0)
    );
    assert_eq!(
        lakeside.self_scores[1].map(qic_program::AssessmentLevel::score),
        Some(2.5)
    );
    assert_eq!(
        lakeside.reports[..3],
        [
            Timeliness::OnTime,
            Timeliness::Late { days: 10 },
            Timeliness::Missing
        ]
    );
    // Judged from the seventh month (six baseline months); July onwards improves.
    assert_eq!(lakeside.improving[5], None);
    assert_eq!(
        lakeside.improving[6..],
        [Some(true), Some(true), Some(true)]
    );
    assert_eq!(d.signals[8].improving, 1);
    let progress = lakeside.aims[0].1.as_ref().unwrap();
    assert!((progress.current.unwrap() - 73.0).abs() < 1e-9);
    assert_eq!(d.outcomes[0].teams_meeting, ["Lakeside"]);
    assert!(!d.outcomes[0].met, "one of two teams is not most");
    assert!(d.outcomes[1].met);
}

fn cycle_with(key: usize, decision: Option<ActDecision>, template: &Cycle) -> Cycle {
    let mut c = template.clone();
    c.key = format!("g{key}").parse().unwrap();
    c.follows = None;
    match decision {
        Some(d) => {
            if let Some(act) = c.act.as_mut() {
                act.decision = d;
            }
        }
        None => c.act = None,
    }
    c
}

proptest! {
    #[test]
    fn harvest_counts_add_up_to_the_cycles_given(
        decisions in prop::collection::vec(
            prop::option::of(prop_oneof![Just(ActDecision::Adopt), Just(ActDecision::Adapt), Just(ActDecision::Abandon)]),
            0..20,
        ),
        valley_too in any::<bool>(),
    ) {
        let mut c = fixture();
        let template = c.teams[0].cycles.cycles[0].clone();
        let cycles: Vec<Cycle> = decisions.iter().enumerate().map(|(i, d)| cycle_with(i, *d, &template)).collect();
        c.teams[0].cycles.cycles = cycles.clone();
        if valley_too {
            c.teams[1].cycles = c.teams[0].cycles.clone();
        }
        let h = harvest(&c).unwrap();
        let given = cycles.len() * if valley_too { 2 } else { 1 };
        prop_assert_eq!(h.cycles, given);
        let counted: usize = h.ideas.iter().map(|i| i.adopted + i.adapted + i.abandoned + i.undecided).sum();
        prop_assert_eq!(counted, given);
        prop_assert_eq!(h.ideas.iter().map(|i| i.cycles).sum::<usize>(), given);
        for idea in &h.ideas {
            prop_assert!(idea.teams_improving + idea.teams_not_judged <= idea.teams_adopting);
            prop_assert!(idea.teams_adopting <= idea.teams.len());
        }
    }
}

#[test]
fn the_harvest_merges_ideas_with_the_same_key_across_teams() {
    let mut c = fixture();
    // Both teams test an idea of their own called `text-reminders`, outside the package.
    let mut idea = c.teams[0].cycles.change_ideas[0].clone();
    idea.key = "text-reminders".parse().unwrap();
    idea.title = "Text reminders".into();
    idea.change_package = None;
    let mut cycle = c.teams[0].cycles.cycles[0].clone();
    cycle.change_idea = idea.key.clone();
    cycle.key = "c9".parse().unwrap();
    for team in &mut c.teams {
        team.cycles.change_ideas.push(idea.clone());
        team.cycles.cycles.push(cycle.clone());
    }
    let harvest = harvest(&c).unwrap();
    let merged: Vec<_> = harvest
        .ideas
        .iter()
        .filter(|i| i.idea == "text-reminders")
        .collect();
    assert_eq!(merged.len(), 1, "{:?}", harvest.ideas);
    assert_eq!(merged[0].teams, ["Lakeside", "Valley"]);
    assert_eq!(merged[0].cycles, 2);
    assert!(!merged[0].from_change_package);
}

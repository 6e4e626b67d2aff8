//! Cycle validation accepts exactly the in-order phase sequences.
//!
//! Cycles are generated with any subset of do, study and act filled in and with each phase's
//! dates anywhere from a few days before to a few days after the plan, so that ordered and
//! unordered dates both come up often. Validation must report a phase-order error exactly when a
//! phase is present without the one before it, and a date error exactly when the dates of the
//! phases present, read in phase order, go backwards.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use qic_pdsa::cycle::{
    Act, ActDecision, ChangeIdea, Cycle, CycleLog, Do, Plan, PredictionsMet, ProblemSeverity,
    Scale, Study, validate,
};

/// Fields of a phase-order error.
const PHASE_FIELDS: [&str; 2] = ["study", "act"];
/// Fields of a date-order error.
const DATE_FIELDS: [&str; 4] = ["do.started", "do.finished", "study.date", "act.date"];

fn day(offset: i8) -> NaiveDate {
    let plan = NaiveDate::from_ymd_opt(2025, 3, 10).unwrap_or_default();
    if offset >= 0 {
        plan + Days::new(u64::from(offset.unsigned_abs()))
    } else {
        plan - Days::new(u64::from(offset.unsigned_abs()))
    }
}

/// A cycle with the phases asked for; the offsets are days from the plan's date.
fn cycle(run: Option<(i8, i8)>, study: Option<i8>, act: Option<i8>) -> Cycle {
    Cycle {
        key: "c1".parse().unwrap(),
        change_idea: "idea".parse().unwrap(),
        follows: None,
        scale: Scale {
            size: 5,
            unit: "patients".into(),
        },
        plan: Plan {
            date: day(0),
            objective: "Test the change".into(),
            questions: vec![],
            predictions: vec!["It works".into()],
            who: "MA".into(),
            what: "Change".into(),
            when: "Monday".into(),
            place: "Clinic".into(),
            data_to_collect: vec![],
        },
        run: run.map(|(started, finished)| Do {
            started: day(started),
            finished: day(finished),
            as_planned: true,
            what_happened: "Ran".into(),
            observations: vec![],
            problems: vec![],
        }),
        study: study.map(|d| Study {
            date: day(d),
            results: "Fine".into(),
            predictions_met: PredictionsMet::Yes,
            learning: String::new(),
        }),
        act: act.map(|d| Act {
            date: day(d),
            decision: ActDecision::Adapt,
            next: String::new(),
        }),
    }
}

fn log(cycle: Cycle) -> CycleLog {
    CycleLog {
        change_ideas: vec![ChangeIdea {
            key: "idea".parse().unwrap(),
            title: "An idea".into(),
            description: String::new(),
            change_package: None,
            portfolio: None,
            measures: vec![],
            new_phase_when_adopted: false,
        }],
        cycles: vec![cycle],
    }
}

proptest! {
    #[test]
    fn validation_accepts_exactly_the_in_order_phase_sequences(
        run in proptest::option::of((-4_i8..8, -4_i8..8)),
        study in proptest::option::of(-4_i8..8),
        act in proptest::option::of(-4_i8..8),
    ) {
        let problems = validate(&log(cycle(run, study, act)), None);
        // Nothing but errors of the two kinds is expected of these cycles.
        prop_assert!(problems.iter().all(|p| p.severity == ProblemSeverity::Error));
        prop_assert!(problems
            .iter()
            .all(|p| PHASE_FIELDS.contains(&p.field.as_str()) || DATE_FIELDS.contains(&p.field.as_str())),
            "{problems:?}");

        let out_of_order = (study.is_some() && run.is_none()) || (act.is_some() && study.is_none());
        let phase_errors = problems.iter().filter(|p| PHASE_FIELDS.contains(&p.field.as_str())).count();
        prop_assert_eq!(phase_errors > 0, out_of_order, "{:?}", problems);

        // The dates present, in phase order, from the plan on.
        let mut dates = vec![0_i8];
        if let Some((started, finished)) = run {
            dates.extend([started, finished]);
        }
        dates.extend(study);
        dates.extend(act);
        let backwards = dates.windows(2).any(|w| w[1] < w[0]);
        let date_errors = problems.iter().filter(|p| DATE_FIELDS.contains(&p.field.as_str())).count();
        prop_assert_eq!(date_errors > 0, backwards, "{:?}", problems);

        // A cycle with neither problem is sound.
        prop_assert_eq!(problems.is_empty(), !out_of_order && !backwards);
    }
}

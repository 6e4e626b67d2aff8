//! Cycle files as teams write them.

use qic_pdsa::cycle::{CycleLog, Phase, ramps, validate};

const LOG: &str = r#"
[[change_ideas]]
key = "recheck"
title = "Recheck a high blood pressure after five minutes of rest"
change_package = "accurate-measurement"
measures = ["bp-control"]

[[cycles]]
key = "c1"
change_idea = "recheck"
scale = { size = 5, unit = "patients" }

[cycles.plan]
date = 2023-02-01
objective = "Can one medical assistant recheck every high reading?"
questions = ["How long does a recheck take?"]
predictions = ["4 of 5 high readings are rechecked", "a recheck takes under 7 minutes"]
who = "One medical assistant"
what = "Recheck readings of 140/90 or above after five minutes of rest"
when = "Tuesday morning clinic"
where = "Clinic A"
data_to_collect = ["readings rechecked", "minutes per recheck"]

[cycles.do]
started = 2023-02-07
finished = 2023-02-07
as_planned = true
what_happened = "Five patients had high first readings; four were rechecked"
observations = ["Patients liked the quiet room"]

[cycles.study]
date = 2023-02-08
results = "4 of 5 rechecked; 6 minutes on average; two rechecks were under 140/90"
predictions_met = "yes"
learning = "The quiet room matters"

[cycles.act]
date = 2023-02-09
decision = "adapt"
next = "All medical assistants on Tuesdays"

[[cycles]]
key = "c2"
change_idea = "recheck"
follows = "c1"
scale = { size = 40, unit = "patients" }

[cycles.plan]
date = 2023-02-13
objective = "Do all medical assistants recheck on Tuesdays?"
predictions = ["30 of 40 high readings are rechecked"]
who = "All medical assistants"
what = "Recheck with the quiet room"
when = "Tuesdays in February"
where = "Clinic A"
"#;

#[test]
fn a_team_file_loads_validates_and_forms_a_ramp() {
    let log: CycleLog = toml::from_str(LOG).unwrap();
    assert!(validate(&log, None).is_empty());
    assert_eq!(log.cycles[0].phase(), Phase::Acted);
    assert_eq!(log.cycles[1].phase(), Phase::Planned);
    let ramps = ramps(&log);
    assert_eq!(ramps.len(), 1);
    assert_eq!(
        ramps[0].scales.iter().map(|s| s.size).collect::<Vec<_>>(),
        [5, 40]
    );
}

#[test]
fn a_misspelt_field_is_refused_with_its_name_and_line() {
    let bad = LOG.replace("predictions_met", "predictions_mett");
    let err = toml::from_str::<CycleLog>(&bad).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("unknown field `predictions_mett`"),
        "{message}"
    );
    assert!(message.contains("line 34"), "{message}");
}

#[test]
fn logs_round_trip_through_json_and_toml() {
    let log: CycleLog = toml::from_str(LOG).unwrap();
    let json = serde_json::to_string(&log).unwrap();
    assert_eq!(serde_json::from_str::<CycleLog>(&json).unwrap(), log);
    let text = toml::to_string(&log).unwrap();
    assert_eq!(toml::from_str::<CycleLog>(&text).unwrap(), log);
}

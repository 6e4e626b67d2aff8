//! `qic pdsa validate` and `show`'s path: a team's cycle log (TOML or JSON) parsed, validated
//! against a program window, and grouped into ramps.
//!
//! Control bytes: 0 bit 0 the log is JSON, bit 1 a program window; 1–2 the window's first day;
//! 3 its length in months. The rest is the log.
//!
//! Checks: errors come before warnings; a log without errors has every cycle in exactly one
//! ramp; the log reads back from its own JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qic_fuzz::Input;
use qic_pdsa::cycle::{CycleLog, ProblemSeverity, ramps, validate};

fuzz_target!(|data: &[u8]| {
    let input = Input::new(data, 4);
    let text = input.rest_text();
    let log: CycleLog = if input.bit(0, 0) {
        match serde_json::from_str(&text) {
            Ok(log) => log,
            Err(_) => return,
        }
    } else {
        match toml::from_str(&text) {
            Ok(log) => log,
            Err(_) => return,
        }
    };
    let start = input.date(1);
    let end = start
        .checked_add_months(chrono::Months::new(u32::from(input.byte(3))))
        .unwrap_or(start);
    let window = input.bit(0, 1).then_some(start..=end);

    let problems = validate(&log, window.as_ref());
    let first_warning = problems
        .iter()
        .position(|p| p.severity == ProblemSeverity::Warning)
        .unwrap_or(problems.len());
    assert!(
        problems[first_warning..]
            .iter()
            .all(|p| p.severity == ProblemSeverity::Warning),
        "an error comes after a warning"
    );
    for problem in &problems {
        let _ = problem.to_string();
    }

    let ramps = ramps(&log);
    if first_warning == 0 {
        for cycle in &log.cycles {
            let homes = ramps
                .iter()
                .filter(|r| r.cycles.contains(&cycle.key))
                .count();
            assert_eq!(homes, 1, "a cycle of a sound log is in {homes} ramps");
        }
    }
    for cycle in &log.cycles {
        let _ = (cycle.phase(), cycle.decision(), cycle.last_date());
    }

    let json = serde_json::to_string(&log).expect("a cycle log serializes");
    match serde_json::from_str::<CycleLog>(&json) {
        Ok(back) => assert_eq!(back, log, "a cycle log changes through its JSON"),
        Err(e) => panic!("a cycle log does not read back from its own JSON: {e}\n{json}"),
    }
});

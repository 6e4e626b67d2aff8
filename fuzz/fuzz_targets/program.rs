//! `qic program`'s path: a program file (TOML or JSON) parsed and checked, its
//! schedule built and written as a table, JSON and iCalendar, its summary and portfolio
//! balances; a pathway file parsed.
//!
//! Control byte: 0 the format (0 or 1 TOML, 2 JSON, 3 the text is a pathway file, read as
//! TOML and as JSON).
//! The rest is the file.
//!
//! Check: a program reads back from its own JSON (`qic program show --format json` prints a
//! file that loads again) as the same program.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qic_fuzz::Input;
use qic_program::io::{FileFormat, parse_pathway, parse_program};

fuzz_target!(|data: &[u8]| {
    let input = Input::new(data, 1);
    let text = input.rest_text();
    let format = match input.byte(0) % 4 {
        0 | 1 => FileFormat::Toml,
        2 => FileFormat::Json,
        _ => {
            let _ = parse_pathway(&text, FileFormat::Toml, "pathway.toml");
            let _ = parse_pathway(&text, FileFormat::Json, "pathway.json");
            return;
        }
    };
    let Ok(program) = parse_program(&text, format, "program.toml") else {
        return;
    };
    let _ = program.summary();
    let schedule = program.schedule();
    let _ = schedule.to_table();
    let _ = schedule.to_ics();
    let _ = serde_json::to_string(schedule).expect("a schedule serializes");
    for cohort in program.cohorts() {
        let _ = program.cohort_balance(cohort.id());
    }
    for team in program.teams() {
        let _ = program.team_balance(team.id);
        let _ = program.participation(team.id);
    }

    let json = serde_json::to_string_pretty(&program).expect("a program serializes");
    match parse_program(&json, FileFormat::Json, "program.json") {
        Ok(back) => assert_eq!(back, program, "a program changes through its JSON"),
        Err(e) => panic!("a program does not read back from its own JSON: {e}\n{json}"),
    }
});

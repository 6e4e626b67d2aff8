//! `qic eligibility`'s path: an application (JSON or TOML) and a rule set (a preset, or TOML or
//! JSON from the input) parsed and judged, the decision written as text and JSON, and the
//! application's text judged as a JSON Lines batch.
//!
//! Control bytes: 0 the rule set (0–3 a preset, else the input's rule set); 1 bit 0 the
//! application is TOML; 2–3 the day of judging. The rest is the application, then optionally a
//! NUL byte and a rule set (JSON when it starts with `{`, else TOML).
//!
//! Checks: a rule set reads back from its own TOML (`qic eligibility rules --format toml`); an
//! application reads back from its own JSON; a decision has one finding per rule; the batch
//! writes one record per input line.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use qic_eligibility::batch::evaluate_jsonl;
use qic_eligibility::{Application, PRESETS, RuleSet};
use qic_fuzz::{Input, sections};

/// The presets, parsed once (and checked to read back from their TOML).
static PRESET_RULES: LazyLock<Vec<RuleSet>> = LazyLock::new(|| {
    PRESETS
        .iter()
        .map(|name| {
            let rules = RuleSet::preset(name).expect("the presets load");
            reads_back_from_toml(&rules);
            rules
        })
        .collect()
});

fuzz_target!(|data: &[u8]| {
    let input = Input::new(data, 4);
    let parts = sections(input.rest(), 2);
    let (application_text, rules_text) = (
        String::from_utf8_lossy(parts[0]),
        String::from_utf8_lossy(parts[1]),
    );
    let as_of = input.date(2);

    let parsed;
    let rules = if let Some(preset) = PRESET_RULES.get(usize::from(input.byte(0) % 8)) {
        preset
    } else {
        let Some(rules) = input_rules(&rules_text) else {
            return;
        };
        parsed = rules;
        &parsed
    };
    let _ = rules.describe();

    if !input.bit(1, 0) {
        let mut output = Vec::new();
        let summary = evaluate_jsonl(rules, as_of, application_text.as_bytes(), &mut output)
            .expect("a batch into memory does not fail");
        let records = String::from_utf8_lossy(&output).lines().count();
        assert_eq!(
            u64::try_from(records).ok(),
            Some(summary.lines),
            "the batch writes one record per line read"
        );
    }

    let application = if input.bit(1, 0) {
        Application::from_toml_str(&application_text)
    } else {
        Application::from_json_str(&application_text)
    };
    let Ok(application) = application else {
        return;
    };
    let json = serde_json::to_string(&application).expect("an application serializes");
    match Application::from_json_str(&json) {
        Ok(back) => assert_eq!(back, application, "an application changes through its JSON"),
        Err(e) => panic!("an application does not read back from its own JSON: {e}\n{json}"),
    }
    let _ = application.to_team();

    let decision = rules.evaluate(&application, as_of);
    assert_eq!(
        decision.findings.len(),
        rules.rules().len(),
        "a decision has one finding per rule"
    );
    let _ = decision.to_string();
    let _ = decision.to_text();
    let _ = serde_json::to_string(&decision).expect("a decision serializes");
});

fn reads_back_from_toml(rules: &RuleSet) {
    let toml = rules.to_toml();
    match RuleSet::from_toml_str(&toml) {
        Ok(back) => assert_eq!(&back, rules, "a rule set changes through its TOML"),
        Err(e) => panic!("a rule set does not read back from its own TOML: {e}\n{toml}"),
    }
}

/// A rule set from the input (JSON when it starts with `{`, else TOML), checked to read back
/// from its own TOML.
fn input_rules(text: &str) -> Option<RuleSet> {
    let read = if text.trim_start().starts_with('{') {
        RuleSet::from_json_str(text)
    } else {
        RuleSet::from_toml_str(text)
    };
    let rules = read.ok()?;
    reads_back_from_toml(&rules);
    Some(rules)
}

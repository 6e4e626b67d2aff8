//! Change ideas, PDSA cycles and the ramps they form.
//!
//! A Plan-Do-Study-Act cycle tests one change on a small scale: the plan states the objective,
//! the questions, what the team predicts and why, who does what when and where, and what data
//! will be collected; do records what happened; study compares the results with the
//! predictions; act decides to adopt, adapt or abandon the change and what the next cycle will
//! be. Cycles that follow each other on one change idea at growing scale form a *ramp*.
//!
//! The phases are filled in as the team works, so in files they are optional; [`validate`]
//! enforces that they come in order (no study without a do), that their dates do too, that they
//! fall in the program's window, and that the links between cycles make sense. It reports every
//! problem it finds, each naming the cycle and the field, instead of stopping at the first.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::RangeInclusive;

use chrono::NaiveDate;
use qic_program::Portfolio;
use serde::{Deserialize, Serialize};

use crate::key::Key;

/// A change the team tests, optionally from the program's change package.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeIdea {
    /// The key cycles use to refer to the idea.
    pub key: Key,
    /// A short title.
    pub title: String,
    /// What the change is.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The item of the program's change package the idea comes from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_package: Option<String>,
    /// The portfolio of population health the idea belongs to, if the program uses them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub portfolio: Option<Portfolio>,
    /// The measures the idea is expected to move (keys of measures).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<Key>,
    /// Whether the charts of those measures start a new phase (new centre line and limits) in
    /// the month the idea is adopted: the team says the process changed then.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub new_phase_when_adopted: bool,
}

/// How big a test is: `5 patients`, `1 clinic`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// How many units.
    pub size: u32,
    /// What the units are (patients, clinicians, days, sites).
    pub unit: String,
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.size, self.unit)
    }
}

/// Plan: the test's objective, questions and predictions, and who, what, when and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// When the plan was made.
    #[serde(with = "qic_program::serde_date")]
    pub date: NaiveDate,
    /// What the test is for.
    pub objective: String,
    /// The questions the test should answer.
    #[serde(default)]
    pub questions: Vec<String>,
    /// What the team expects to happen, and why.
    pub predictions: Vec<String>,
    /// Who carries out the test.
    pub who: String,
    /// What is done.
    pub what: String,
    /// When it is done.
    pub when: String,
    /// Where it is done.
    #[serde(rename = "where")]
    pub place: String,
    /// The data to collect to answer the questions.
    #[serde(default)]
    pub data_to_collect: Vec<String>,
}

/// Do: what happened when the test was run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Do {
    /// First day of the test.
    #[serde(with = "qic_program::serde_date")]
    pub started: NaiveDate,
    /// Last day of the test.
    #[serde(with = "qic_program::serde_date")]
    pub finished: NaiveDate,
    /// Whether the test was carried out as planned.
    pub as_planned: bool,
    /// What happened.
    pub what_happened: String,
    /// Observations, including those that were not part of the plan.
    #[serde(default)]
    pub observations: Vec<String>,
    /// Problems met.
    #[serde(default)]
    pub problems: Vec<String>,
}

/// How the results compared with the predictions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PredictionsMet {
    /// The results matched the predictions.
    Yes,
    /// Some did.
    Partly,
    /// They did not.
    No,
}

/// Study: the results against the predictions, and what was learned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Study {
    /// When the results were studied.
    #[serde(with = "qic_program::serde_date")]
    pub date: NaiveDate,
    /// The results.
    pub results: String,
    /// How they compared with the predictions.
    pub predictions_met: PredictionsMet,
    /// What was learned.
    #[serde(default)]
    pub learning: String,
}

/// What to do with the change after a cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActDecision {
    /// Keep the change and implement it more widely.
    Adopt,
    /// Refine the change and test again.
    Adapt,
    /// Drop the change and try another.
    Abandon,
}

impl ActDecision {
    /// A human label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Adopt => "adopt",
            Self::Adapt => "adapt",
            Self::Abandon => "abandon",
        }
    }
}

/// Act: the decision and the next cycle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Act {
    /// When the decision was made.
    #[serde(with = "qic_program::serde_date")]
    pub date: NaiveDate,
    /// Adopt, adapt or abandon.
    pub decision: ActDecision,
    /// What the next cycle will test.
    #[serde(default)]
    pub next: String,
}

/// One PDSA cycle. Only the plan is required; the other phases are filled in as they happen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cycle {
    /// The cycle's key, unique within the team.
    pub key: Key,
    /// The change idea tested.
    pub change_idea: Key,
    /// The cycle this one builds on, in a ramp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follows: Option<Key>,
    /// How big the test is.
    pub scale: Scale,
    /// Plan.
    pub plan: Plan,
    /// Do, once the test has run.
    #[serde(default, rename = "do", skip_serializing_if = "Option::is_none")]
    pub run: Option<Do>,
    /// Study, once the results are in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub study: Option<Study>,
    /// Act, once the team has decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub act: Option<Act>,
}

/// How far a cycle has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Planned, not yet run.
    Planned,
    /// Run, results not yet studied.
    Done,
    /// Studied, no decision yet.
    Studied,
    /// Decided: the cycle is complete.
    Acted,
}

impl Cycle {
    /// The furthest phase filled in (whether or not the earlier ones are; see [`validate`]).
    pub fn phase(&self) -> Phase {
        if self.act.is_some() {
            Phase::Acted
        } else if self.study.is_some() {
            Phase::Studied
        } else if self.run.is_some() {
            Phase::Done
        } else {
            Phase::Planned
        }
    }

    /// The decision, once the cycle is complete.
    pub fn decision(&self) -> Option<ActDecision> {
        self.act.as_ref().map(|a| a.decision)
    }

    /// The last date the cycle records.
    pub fn last_date(&self) -> NaiveDate {
        self.act
            .as_ref()
            .map(|a| a.date)
            .or_else(|| self.study.as_ref().map(|s| s.date))
            .or_else(|| self.run.as_ref().map(|d| d.finished))
            .unwrap_or(self.plan.date)
    }
}

/// How serious a [`Problem`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemSeverity {
    /// The cycles cannot be used as they are.
    Error,
    /// Worth a look, but usable.
    Warning,
}

/// One thing wrong with a team's cycles.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Error or warning.
    pub severity: ProblemSeverity,
    /// The cycle (or change idea) concerned.
    pub item: Key,
    /// The field at fault, as a path inside the cycle (`study.date`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            ProblemSeverity::Error => "error",
            ProblemSeverity::Warning => "warning",
        };
        write!(
            f,
            "{severity}: `{}`, field `{}`: {}",
            self.item, self.field, self.message
        )
    }
}

/// A team's change ideas and cycles, as kept in one file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CycleLog {
    /// The change ideas the team tests.
    #[serde(default)]
    pub change_ideas: Vec<ChangeIdea>,
    /// The cycles, in any order.
    #[serde(default)]
    pub cycles: Vec<Cycle>,
}

struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn push(&mut self, severity: ProblemSeverity, item: &Key, field: &str, message: String) {
        self.problems.push(Problem {
            severity,
            item: item.clone(),
            field: field.to_owned(),
            message,
        });
    }

    fn error(&mut self, item: &Key, field: &str, message: String) {
        self.push(ProblemSeverity::Error, item, field, message);
    }

    fn warning(&mut self, item: &Key, field: &str, message: String) {
        self.push(ProblemSeverity::Warning, item, field, message);
    }
}

/// Checks a team's cycles: phases in order, dates in order and inside `window` (the program's
/// first and last day, when given), keys unique, links to change ideas and earlier cycles that
/// exist, ramps that do not loop and do not shrink.
///
/// Returns every problem found, errors first, each naming the cycle and the field. An empty
/// list means the log is sound.
///
/// # Examples
///
/// ```
/// use qic_pdsa::cycle::{validate, CycleLog};
///
/// let log: CycleLog = toml::from_str(r#"
///     [[change_ideas]]
///     key = "recheck"
///     title = "Recheck a high blood pressure after five minutes"
///
///     [[cycles]]
///     key = "c1"
///     change_idea = "recheck"
///     scale = { size = 5, unit = "patients" }
///     plan = { date = 2023-02-01, objective = "Can the MA recheck?", predictions = ["4 of 5 rechecked"],
///              who = "One MA", what = "Recheck", when = "Tuesday", where = "Clinic A" }
///     study = { date = 2023-02-08, results = "3 of 5", predictions_met = "partly" }
/// "#)?;
/// let problems = validate(&log, None);
/// assert_eq!(problems.len(), 1);
/// assert_eq!(problems[0].to_string(),
///     "error: `c1`, field `study`: study is filled in but do is empty: the phases come in order");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn validate(log: &CycleLog, window: Option<&RangeInclusive<NaiveDate>>) -> Vec<Problem> {
    let mut check = Checker {
        problems: Vec::new(),
    };
    let mut ideas = BTreeSet::new();
    for idea in &log.change_ideas {
        if !ideas.insert(&idea.key) {
            check.error(
                &idea.key,
                "key",
                "this change idea key is used twice".into(),
            );
        }
        if idea.title.trim().is_empty() {
            check.error(&idea.key, "title", "a change idea needs a title".into());
        }
    }
    let mut by_key: BTreeMap<&Key, &Cycle> = BTreeMap::new();
    for cycle in &log.cycles {
        if by_key.insert(&cycle.key, cycle).is_some() {
            check.error(&cycle.key, "key", "this cycle key is used twice".into());
        }
    }
    for cycle in &log.cycles {
        check_phases(&mut check, cycle);
        check_window(&mut check, cycle, window);
        if !ideas.contains(&cycle.change_idea) {
            check.error(
                &cycle.key,
                "change_idea",
                format!(
                    "change idea `{}` is not among the team's change ideas",
                    cycle.change_idea
                ),
            );
        }
        check_link(&mut check, cycle, &by_key);
    }
    check_loops(&mut check, &by_key);
    check.problems.sort_by_key(|p| p.severity);
    check.problems
}

fn check_phases(check: &mut Checker, cycle: &Cycle) {
    let key = &cycle.key;
    let plan = &cycle.plan;
    if plan.objective.trim().is_empty() {
        check.error(key, "plan.objective", "the plan needs an objective".into());
    }
    if plan.predictions.iter().all(|p| p.trim().is_empty()) {
        check.error(
            key,
            "plan.predictions",
            "a test needs at least one prediction to study against".into(),
        );
    }
    if cycle.scale.size == 0 {
        check.error(key, "scale.size", "a test has a scale of at least 1".into());
    }
    // Each phase needs the one before it; dates run forward through the phases.
    let mut previous: (&str, NaiveDate) = ("plan.date", plan.date);
    if let Some(run) = &cycle.run {
        order(check, key, previous, ("do.started", run.started));
        order(
            check,
            key,
            ("do.started", run.started),
            ("do.finished", run.finished),
        );
        previous = ("do.finished", run.finished);
    }
    // A phase filled in without the one before it is an error, and its date is still checked
    // against the latest earlier date, so that every problem is reported at once.
    if let Some(study) = &cycle.study {
        if cycle.run.is_none() {
            check.error(
                key,
                "study",
                "study is filled in but do is empty: the phases come in order".into(),
            );
        }
        order(check, key, previous, ("study.date", study.date));
        previous = ("study.date", study.date);
    }
    if let Some(act) = &cycle.act {
        if cycle.study.is_none() {
            check.error(
                key,
                "act",
                "act is filled in but study is empty: the phases come in order".into(),
            );
        }
        order(check, key, previous, ("act.date", act.date));
    }
}

fn order(check: &mut Checker, key: &Key, earlier: (&str, NaiveDate), later: (&str, NaiveDate)) {
    if later.1 < earlier.1 {
        check.error(
            key,
            later.0,
            format!(
                "{} ({}) comes before {} ({})",
                later.0, later.1, earlier.0, earlier.1
            ),
        );
    }
}

fn check_window(check: &mut Checker, cycle: &Cycle, window: Option<&RangeInclusive<NaiveDate>>) {
    let Some(window) = window else { return };
    let mut dates = vec![("plan.date", cycle.plan.date)];
    if let Some(run) = &cycle.run {
        dates.extend([("do.started", run.started), ("do.finished", run.finished)]);
    }
    if let Some(study) = &cycle.study {
        dates.push(("study.date", study.date));
    }
    if let Some(act) = &cycle.act {
        dates.push(("act.date", act.date));
    }
    for (field, date) in dates {
        if !window.contains(&date) {
            check.error(
                &cycle.key,
                field,
                format!(
                    "{date} is outside the program ({} to {})",
                    window.start(),
                    window.end()
                ),
            );
        }
    }
}

fn check_link(check: &mut Checker, cycle: &Cycle, by_key: &BTreeMap<&Key, &Cycle>) {
    let Some(prev_key) = &cycle.follows else {
        return;
    };
    let key = &cycle.key;
    if prev_key == key {
        check.error(key, "follows", "a cycle cannot follow itself".into());
        return;
    }
    let Some(prev) = by_key.get(prev_key) else {
        check.error(
            key,
            "follows",
            format!("cycle `{prev_key}` is not among the team's cycles"),
        );
        return;
    };
    match &prev.act {
        None => check.warning(
            key,
            "follows",
            format!("cycle `{prev_key}` has no act yet, so this cycle is planned before the last one was decided"),
        ),
        Some(act) => {
            if act.decision == ActDecision::Abandon {
                check.warning(
                    key,
                    "follows",
                    format!("cycle `{prev_key}` abandoned its change; a ramp continues an adopted or adapted change"),
                );
            }
            if cycle.plan.date < act.date {
                check.error(
                    key,
                    "plan.date",
                    format!(
                        "the plan ({}) comes before the act of cycle `{prev_key}` ({}) it follows",
                        cycle.plan.date, act.date
                    ),
                );
            }
        }
    }
    if prev.change_idea != cycle.change_idea {
        check.warning(
            key,
            "change_idea",
            format!(
                "follows cycle `{prev_key}`, which tests another change idea (`{}`)",
                prev.change_idea
            ),
        );
    }
    if prev.scale.unit == cycle.scale.unit && cycle.scale.size < prev.scale.size {
        check.warning(
            key,
            "scale.size",
            format!(
                "the scale shrinks from {} to {}: ramps usually grow",
                prev.scale, cycle.scale
            ),
        );
    }
}

fn check_loops(check: &mut Checker, by_key: &BTreeMap<&Key, &Cycle>) {
    for &start in by_key.keys() {
        let mut seen = BTreeSet::from([start]);
        let mut at = start;
        while let Some(next) = by_key.get(at).and_then(|c| c.follows.as_ref()) {
            if next == start {
                check.error(
                    start,
                    "follows",
                    "the cycles' `follows` links form a loop".into(),
                );
                break;
            }
            if !seen.insert(next) || !by_key.contains_key(next) {
                break;
            }
            at = next;
        }
    }
}

/// Cycles that build on each other, from the first to the latest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ramp {
    /// The change idea of the first cycle.
    pub change_idea: Key,
    /// The cycles in order of their plan dates (a ramp may branch when two cycles follow the
    /// same one; all branches are kept).
    pub cycles: Vec<Key>,
    /// The scale of each cycle, in the same order.
    pub scales: Vec<Scale>,
    /// The decision of the latest decided cycle, if any.
    pub latest_decision: Option<ActDecision>,
}

/// Groups cycles into ramps: each cycle that follows no known cycle starts a ramp, and every
/// cycle linked to it by `follows` joins it. Cycles in loops (an error of [`validate`]) are
/// left out. Ramps come in order of their first plan date.
pub fn ramps(log: &CycleLog) -> Vec<Ramp> {
    let keys: BTreeSet<&Key> = log.cycles.iter().map(|c| &c.key).collect();
    let mut followers: BTreeMap<&Key, Vec<&Cycle>> = BTreeMap::new();
    let mut roots = Vec::new();
    for cycle in &log.cycles {
        match &cycle.follows {
            Some(prev) if keys.contains(prev) && prev != &cycle.key => {
                followers.entry(prev).or_default().push(cycle);
            }
            _ => roots.push(cycle),
        }
    }
    let mut out: Vec<Ramp> = roots
        .into_iter()
        .map(|root| {
            let mut members = vec![root];
            let mut seen = BTreeSet::from([&root.key]);
            let mut i = 0;
            while let Some(&cycle) = members.get(i) {
                for &next in followers.get(&cycle.key).into_iter().flatten() {
                    if seen.insert(&next.key) {
                        members.push(next);
                    }
                }
                i += 1;
            }
            members.sort_by(|a, b| (a.plan.date, &a.key).cmp(&(b.plan.date, &b.key)));
            let latest_decision = members
                .iter()
                .filter_map(|c| c.act.as_ref())
                .max_by_key(|a| a.date)
                .map(|a| a.decision);
            Ramp {
                change_idea: root.change_idea.clone(),
                cycles: members.iter().map(|c| c.key.clone()).collect(),
                scales: members.iter().map(|c| c.scale.clone()).collect(),
                latest_decision,
            }
        })
        .collect();
    out.sort_by_key(|r| {
        r.cycles
            .first()
            .and_then(|k| log.cycles.iter().find(|c| &c.key == k))
            .map(|c| c.plan.date)
    });
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    pub(crate) fn key(s: &str) -> Key {
        Key::new(s).unwrap()
    }

    /// A complete cycle planned on `start` and decided two weeks later.
    pub(crate) fn complete_cycle(k: &str, idea: &str, start: &str, decision: ActDecision) -> Cycle {
        let d = date(start);
        Cycle {
            key: key(k),
            change_idea: key(idea),
            follows: None,
            scale: Scale {
                size: 5,
                unit: "patients".into(),
            },
            plan: Plan {
                date: d,
                objective: "Test the change".into(),
                questions: vec![],
                predictions: vec!["It works for most patients".into()],
                who: "MA".into(),
                what: "The change".into(),
                when: "Tuesday".into(),
                place: "Clinic".into(),
                data_to_collect: vec![],
            },
            run: Some(Do {
                started: d + chrono::Days::new(1),
                finished: d + chrono::Days::new(7),
                as_planned: true,
                what_happened: "Ran".into(),
                observations: vec![],
                problems: vec![],
            }),
            study: Some(Study {
                date: d + chrono::Days::new(10),
                results: "4 of 5".into(),
                predictions_met: PredictionsMet::Yes,
                learning: String::new(),
            }),
            act: Some(Act {
                date: d + chrono::Days::new(14),
                decision,
                next: String::new(),
            }),
        }
    }

    pub(crate) fn idea(k: &str) -> ChangeIdea {
        ChangeIdea {
            key: key(k),
            title: format!("Idea {k}"),
            description: String::new(),
            change_package: None,
            portfolio: None,
            measures: vec![],
            new_phase_when_adopted: false,
        }
    }

    #[test]
    fn a_sound_ramp_has_no_problems() {
        let c1 = complete_cycle("c1", "recheck", "2023-02-01", ActDecision::Adapt);
        let mut c2 = complete_cycle("c2", "recheck", "2023-02-20", ActDecision::Adopt);
        c2.follows = Some(key("c1"));
        c2.scale.size = 20;
        let log = CycleLog {
            change_ideas: vec![idea("recheck")],
            cycles: vec![c2, c1],
        };
        let window = date("2023-01-01")..=date("2024-06-30");
        assert_eq!(validate(&log, Some(&window)), vec![]);
        let ramps = ramps(&log);
        assert_eq!(ramps.len(), 1);
        assert_eq!(ramps[0].cycles, [key("c1"), key("c2")]);
        assert_eq!(ramps[0].latest_decision, Some(ActDecision::Adopt));
    }

    #[test]
    fn study_before_do_and_dates_out_of_order_are_errors_naming_fields() {
        let mut c = complete_cycle("c1", "recheck", "2023-02-01", ActDecision::Adopt);
        c.run = None;
        let log = CycleLog {
            change_ideas: vec![idea("recheck")],
            cycles: vec![c],
        };
        let fields: Vec<_> = validate(&log, None).into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["study"]);

        let mut c = complete_cycle("c1", "recheck", "2023-02-01", ActDecision::Adopt);
        if let Some(s) = c.study.as_mut() {
            s.date = date("2023-02-03");
        }
        let log = CycleLog {
            change_ideas: vec![idea("recheck")],
            cycles: vec![c],
        };
        let problems = validate(&log, None);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].to_string(),
            "error: `c1`, field `study.date`: study.date (2023-02-03) comes before do.finished (2023-02-08)"
        );
    }

    #[test]
    fn links_window_and_keys_are_checked() {
        let mut c1 = complete_cycle("c1", "recheck", "2023-02-01", ActDecision::Abandon);
        c1.follows = Some(key("c9"));
        let mut c2 = complete_cycle("c2", "other", "2023-02-05", ActDecision::Adopt);
        c2.follows = Some(key("c1"));
        c2.scale.size = 1;
        let c3 = complete_cycle("c2", "recheck", "2022-12-01", ActDecision::Adopt);
        let log = CycleLog {
            change_ideas: vec![idea("recheck"), idea("other")],
            cycles: vec![c1, c2, c3],
        };
        let window = date("2023-01-01")..=date("2024-06-30");
        let got: Vec<_> = validate(&log, Some(&window))
            .into_iter()
            .map(|p| (p.severity, p.item.to_string(), p.field))
            .collect();
        let e = ProblemSeverity::Error;
        let w = ProblemSeverity::Warning;
        assert_eq!(
            got,
            [
                (e, "c2".into(), "key".into()),
                (e, "c1".into(), "follows".into()),
                (e, "c2".into(), "plan.date".into()),
                (e, "c2".into(), "plan.date".into()),
                (e, "c2".into(), "do.started".into()),
                (e, "c2".into(), "do.finished".into()),
                (e, "c2".into(), "study.date".into()),
                (e, "c2".into(), "act.date".into()),
                (w, "c2".into(), "follows".into()),
                (w, "c2".into(), "change_idea".into()),
                (w, "c2".into(), "scale.size".into()),
            ]
        );
    }

    #[test]
    fn loops_are_found_and_left_out_of_ramps() {
        let mut c1 = complete_cycle("c1", "recheck", "2023-02-01", ActDecision::Adapt);
        let mut c2 = complete_cycle("c2", "recheck", "2023-03-01", ActDecision::Adapt);
        c1.follows = Some(key("c2"));
        c2.follows = Some(key("c1"));
        let log = CycleLog {
            change_ideas: vec![idea("recheck")],
            cycles: vec![c1, c2],
        };
        let loops = validate(&log, None)
            .into_iter()
            .filter(|p| p.message.contains("loop"))
            .count();
        assert_eq!(loops, 2);
        assert!(ramps(&log).is_empty());
    }

    #[test]
    fn phase_is_the_furthest_filled_in() {
        let mut c = complete_cycle("c1", "x", "2023-02-01", ActDecision::Adopt);
        assert_eq!(c.phase(), Phase::Acted);
        assert_eq!(c.last_date(), date("2023-02-15"));
        c.act = None;
        assert_eq!(c.phase(), Phase::Studied);
        c.study = None;
        c.run = None;
        assert_eq!(c.phase(), Phase::Planned);
        assert_eq!(c.last_date(), date("2023-02-01"));
    }
}

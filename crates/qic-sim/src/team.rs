//! One team's eighteen months: its PDSA cycles, its patients month by month, and its monthly
//! reports with the scores faculty and the team give.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use qic_pdsa::aim::{Aim, Goal, Population};
use qic_pdsa::collaborative::{PackageItem, TeamPlan};
use qic_pdsa::cycle::{Act, ChangeIdea, Cycle, CycleLog, Do, Plan, PredictionsMet, Scale, Study};
use qic_pdsa::monthly::MonthlyReport;
use qic_pdsa::{ActDecision, Key, Measure};
use qic_program::YearMonth;

use super::Result;
use super::measures::{
    ACCESS, BP_CONTROL, FOLLOW_UP, HOME_VISITS, INTENSIFICATION, RACE_ETHNICITY, SELF_MEASURED,
    home_visits,
};
use super::profiles::{ChangePlan, Effect, Group, OwnMeasure, Profile};
use super::random::Draws;

/// Months of the program (January 2023 to June 2024).
pub(crate) const MONTHS: usize = 18;

/// The last day of the program: aims are due then.
const AIMS_DUE: (i32, u32, u32) = (2024, 6, 30);

/// Blood pressure control dips in winter and rises in summer: the change in the chance of
/// control by calendar month, January first (-0.02 is two points lower).
const SEASON: [f64; 12] = [
    -0.02, -0.02, -0.01, 0.0, 0.01, 0.01, 0.01, 0.01, 0.0, 0.0, -0.01, -0.02,
];

/// One patient's row in a stratified extract: met the measure or not, and their group.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PatientRow {
    pub(crate) month: usize,
    pub(crate) met: bool,
    pub(crate) group: Group,
}

/// Numerator and denominator.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Tally {
    pub(crate) met: u64,
    pub(crate) of: u64,
}

impl Tally {
    fn add(&mut self, met: bool) {
        self.met += u64::from(met);
        self.of += 1;
    }

    pub(crate) fn plus(self, other: Self) -> Self {
        Self {
            met: self.met + other.met,
            of: self.of + other.of,
        }
    }

    /// The share met, in percent; `None` when empty.
    pub(crate) fn percent(self) -> Option<f64> {
        (self.of > 0).then(|| self.met as f64 * 100.0 / self.of as f64)
    }
}

/// Everything measured in one month.
#[derive(Clone, Debug)]
pub(crate) struct MonthData {
    pub(crate) month: YearMonth,
    pub(crate) control: BTreeMap<Group, Tally>,
    pub(crate) follow_up: BTreeMap<Group, Tally>,
    pub(crate) self_measured: Tally,
    pub(crate) intensification: Tally,
    /// Days to the third next available appointment, to one decimal.
    pub(crate) access_days: f64,
    pub(crate) home_visits: u64,
}

impl MonthData {
    /// The sum over groups.
    pub(crate) fn total(by_group: &BTreeMap<Group, Tally>) -> Tally {
        by_group.values().fold(Tally::default(), |a, &b| a.plus(b))
    }

    /// A measure's value this month: numerator and, for proportions, denominator.
    pub(crate) fn value(&self, measure: &str) -> Option<(f64, Option<f64>)> {
        let ratio = |t: Tally| Some((t.met as f64, Some(t.of as f64)));
        match measure {
            BP_CONTROL => ratio(Self::total(&self.control)),
            FOLLOW_UP => ratio(Self::total(&self.follow_up)),
            SELF_MEASURED => ratio(self.self_measured),
            INTENSIFICATION => ratio(self.intensification),
            ACCESS => Some((self.access_days, None)),
            HOME_VISITS => Some((self.home_visits as f64, None)),
            _ => None,
        }
    }
}

/// A team's simulated collaborative: what its folder holds.
pub(crate) struct TeamRun {
    pub(crate) profile: &'static Profile,
    pub(crate) plan: TeamPlan,
    /// Every measure the team reports, program measures first.
    pub(crate) measures: Vec<Measure>,
    pub(crate) log: CycleLog,
    pub(crate) months: Vec<MonthData>,
    pub(crate) control_rows: Vec<PatientRow>,
    pub(crate) follow_up_rows: Vec<PatientRow>,
    pub(crate) reports: Vec<MonthlyReport>,
}

fn month_of(index: usize) -> Result<YearMonth> {
    let year = 2023 + i32::try_from(index / 12)?;
    let month = u32::try_from(index % 12)? + 1;
    Ok(YearMonth::new(year, month)?)
}

fn index_of(date: NaiveDate) -> usize {
    let months = (date.year() - 2023) * 12 + i32::try_from(date.month0()).unwrap_or(0);
    usize::try_from(months).unwrap_or(0)
}

pub(crate) fn add_days(date: NaiveDate, days: u32) -> Result<NaiveDate> {
    date.checked_add_days(Days::new(u64::from(days)))
        .ok_or_else(|| format!("{date} + {days} days is out of range").into())
}

fn date(year: i32, month: u32, day: u32) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| "bad date".into())
}

/// Simulates one team with its own stream of `seed`.
pub(crate) fn simulate(
    profile: &'static Profile,
    stream: u64,
    seed: u64,
    program_measures: &[Measure],
    package: &[PackageItem],
) -> Result<TeamRun> {
    let mut draws = Draws::new(seed, stream);
    let log = cycles(profile, package, &mut draws)?;
    let adopted = adoptions(profile, &log);
    let mut control_rows = Vec::new();
    let mut follow_up_rows = Vec::new();
    let mut months = Vec::with_capacity(MONTHS);
    for index in 0..MONTHS {
        let month = month_of(index)?;
        let effect = effects_in_place(profile, &adopted, index);
        months.push(simulate_month(
            profile,
            index,
            month,
            &effect,
            &mut draws,
            &mut control_rows,
            &mut follow_up_rows,
        ));
    }
    let plan = team_plan(profile)?;
    let mut measures: Vec<Measure> = program_measures
        .iter()
        .filter(|m| m.tier == qic_pdsa::Tier::Required || profile.menu.contains(&m.key.as_str()))
        .cloned()
        .collect();
    measures.extend(plan.measures.iter().cloned());
    let reports = super::reports::reports(profile, &log, &adopted, &months, &measures, &mut draws)?;
    Ok(TeamRun {
        profile,
        plan,
        measures,
        log,
        months,
        control_rows,
        follow_up_rows,
        reports,
    })
}

/// The combined effect, this month, of every change adopted before it.
struct InPlace {
    control_all: f64,
    control_focus: f64,
    follow_up_all: f64,
    follow_up_focus: f64,
    self_measured: f64,
    intensification: f64,
    access_days: f64,
    home_visits: f64,
}

fn effects_in_place(profile: &Profile, adopted: &[(usize, NaiveDate)], month: usize) -> InPlace {
    let mut sum = InPlace {
        control_all: 0.0,
        control_focus: 0.0,
        follow_up_all: 0.0,
        follow_up_focus: 0.0,
        self_measured: 0.0,
        intensification: 0.0,
        access_days: 0.0,
        home_visits: 0.0,
    };
    for &(plan, on) in adopted {
        let Some(change) = profile.changes.get(plan) else {
            continue;
        };
        let Effect {
            control_all,
            control_focus,
            follow_up_all,
            follow_up_focus,
            self_measured,
            intensification,
            access_days,
            home_visits,
            months_to_full,
        } = change.effect;
        // Nothing in the month of adoption; then a linear rise to the full effect.
        let since = month.saturating_sub(index_of(on));
        let share = (since as f64 / f64::from(months_to_full.max(1))).min(1.0);
        sum.control_all += share * control_all;
        sum.control_focus += share * control_focus;
        sum.follow_up_all += share * follow_up_all;
        sum.follow_up_focus += share * follow_up_focus;
        sum.self_measured += share * self_measured;
        sum.intensification += share * intensification;
        sum.access_days += share * access_days;
        sum.home_visits += share * home_visits;
    }
    sum
}

fn simulate_month(
    profile: &Profile,
    index: usize,
    month: YearMonth,
    effect: &InPlace,
    draws: &mut Draws,
    control_rows: &mut Vec<PatientRow>,
    follow_up_rows: &mut Vec<PatientRow>,
) -> MonthData {
    let season = SEASON[index % 12];
    let volume = f64::from(profile.patients_per_month) * (0.92 + 0.16 * draws.uniform());
    // A few hundred patients: the rounded volume always fits.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let patients = volume.round() as u64;
    let mut control: BTreeMap<Group, Tally> = BTreeMap::new();
    let mut follow_up: BTreeMap<Group, Tally> = BTreeMap::new();
    let mut uncontrolled = 0;
    let mut focus_uncontrolled = 0;
    for _ in 0..patients {
        let Some(group) = draws.pick(profile.population) else {
            break;
        };
        let focus = group == profile.focus;
        let p = profile.baseline_control(group)
            + season
            + effect.control_all
            + if focus { effect.control_focus } else { 0.0 };
        let controlled = draws.chance(p.clamp(0.02, 0.98));
        control.entry(group).or_default().add(controlled);
        control_rows.push(PatientRow {
            month: index,
            met: controlled,
            group,
        });
        if !controlled {
            uncontrolled += 1;
            focus_uncontrolled += u64::from(focus);
            let (reference, focus_rate) = profile.baseline.follow_up;
            let p = if focus {
                focus_rate + effect.follow_up_focus
            } else {
                reference
            } + effect.follow_up_all;
            let followed = draws.chance(p);
            follow_up.entry(group).or_default().add(followed);
            follow_up_rows.push(PatientRow {
                month: index,
                met: followed,
                group,
            });
        }
    }
    let self_measured = Tally {
        met: draws.binomial(
            patients,
            profile.baseline.self_measured + effect.self_measured,
        ),
        of: patients,
    };
    let intensification = Tally {
        met: draws.binomial(
            uncontrolled,
            profile.baseline.intensification + effect.intensification,
        ),
        of: uncontrolled,
    };
    let access = profile.baseline.access_days + effect.access_days + draws.about_normal(0.8);
    let access_days = (access.max(1.0) * 10.0).round() / 10.0;
    let home_visits = if profile.own_measure == Some(OwnMeasure::HomeVisits) {
        draws.binomial(focus_uncontrolled, 0.04 + effect.home_visits)
    } else {
        0
    };
    MonthData {
        month,
        control,
        follow_up,
        self_measured,
        intensification,
        access_days,
        home_visits,
    }
}

/// The change ideas and the ramps of cycles the team runs on them. Each cycle's results are
/// drawn: a change that will be adopted works for most units, one that will be abandoned for
/// few; the study compares the draw with the prediction.
fn cycles(profile: &Profile, package: &[PackageItem], draws: &mut Draws) -> Result<CycleLog> {
    let mut ideas = Vec::new();
    let mut drafted: Vec<(NaiveDate, usize, usize, Cycle)> = Vec::new();
    for (plan_index, change) in profile.changes.iter().enumerate() {
        let portfolio = match change.package {
            Some(item) => package
                .iter()
                .find(|p| p.key.as_str() == item)
                .and_then(|p| p.portfolio),
            None => change.portfolio,
        };
        ideas.push(ChangeIdea {
            key: Key::new(change.idea)?,
            title: change.title.into(),
            description: String::new(),
            change_package: change.package.map(Into::into),
            portfolio,
            measures: change
                .measures
                .iter()
                .map(|m| Key::new(*m))
                .collect::<std::result::Result<_, _>>()?,
            new_phase_when_adopted: change.new_phase,
        });
        let start = month_of(usize::try_from(change.first_plan.0)?)?;
        let mut plan_date = date(start.year(), start.month(), change.first_plan.1)?;
        for (step, &(size, decision)) in change.ramp.iter().enumerate() {
            let next_size = change.ramp.get(step + 1).map(|&(s, _)| s);
            let cycle = one_cycle(
                &Step {
                    change,
                    plan_date,
                    index: step,
                    size,
                    decision,
                    next_size,
                },
                draws,
            )?;
            let act_date = cycle.act.as_ref().map_or(plan_date, |a| a.date);
            drafted.push((plan_date, plan_index, step, cycle));
            plan_date = add_days(act_date, 5)?;
        }
    }
    // Keys in the order the cycles were planned; a ramp's cycles follow each other.
    drafted.sort_by_key(|(date, plan, step, _)| (*date, *plan, *step));
    let keys: BTreeMap<(usize, usize), Key> = drafted
        .iter()
        .enumerate()
        .map(|(i, (_, plan, step, _))| Ok(((*plan, *step), Key::new(format!("c{:02}", i + 1))?)))
        .collect::<Result<_>>()?;
    let mut cycles = Vec::with_capacity(drafted.len());
    for (_, plan, step, mut cycle) in drafted {
        if let Some(key) = keys.get(&(plan, step)) {
            cycle.key = key.clone();
        }
        cycle.follows = step
            .checked_sub(1)
            .and_then(|previous| keys.get(&(plan, previous)))
            .cloned();
        cycles.push(cycle);
    }
    Ok(CycleLog {
        change_ideas: ideas,
        cycles,
    })
}

pub(crate) fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_lowercase().chain(chars).collect::<String>()
    })
}

/// A cycle's place in its ramp.
struct Step<'a> {
    change: &'a ChangePlan,
    plan_date: NaiveDate,
    /// 0 for the ramp's first cycle.
    index: usize,
    size: u32,
    decision: ActDecision,
    /// The next cycle's size, if there is one.
    next_size: Option<u32>,
}

/// What the team learned and what it will do next.
fn learning_and_next(step: &Step<'_>) -> (String, String) {
    let change = step.change;
    let stalled = step.decision == ActDecision::Adapt && step.next_size.is_none();
    let learning = match step.decision {
        ActDecision::Adopt => {
            "It works reliably at this scale; ready to make it standard work.".to_owned()
        }
        ActDecision::Adapt if stalled => {
            "It can work when it is done, but the clinic cannot keep it up yet.".to_owned()
        }
        ActDecision::Adapt => {
            "It works with changes; refine the steps that failed and test again at a larger scale."
                .to_owned()
        }
        ActDecision::Abandon => format!("Not workable here. {}", change.trouble),
    };
    let next = match (step.decision, step.next_size) {
        (ActDecision::Adopt, _) => {
            format!("Make it standard work at {} and spread it", change.place)
        }
        (ActDecision::Adapt, Some(n)) => format!("Refine and test with {n} {}", change.unit),
        (ActDecision::Adapt, None) => format!("Paused: {}", lowercase_first(change.trouble)),
        (ActDecision::Abandon, _) => "Stop testing this idea and try another".to_owned(),
    };
    (learning, next)
}

/// What the team saw while testing.
fn observation(decision: ActDecision) -> &'static str {
    match decision {
        ActDecision::Adopt => "Staff said the change now fits the workflow.",
        ActDecision::Adapt => "Some steps were skipped when the clinic was busy.",
        ActDecision::Abandon => "Staff and patients found the change hard to keep up.",
    }
}

fn one_cycle(step: &Step<'_>, draws: &mut Draws) -> Result<Cycle> {
    let Step {
        change,
        plan_date,
        size,
        decision,
        ..
    } = *step;
    let unit = change.unit;
    let (goal, past) = change.success;
    let reason = if step.index == 0 {
        "because the steps are simple and staff are willing"
    } else {
        "because the last test's problems are fixed"
    };
    let run_days = match size {
        0..=5 => 1,
        6..=20 => 5,
        21..=50 => 10,
        _ => 20,
    };
    let started = add_days(plan_date, 2)?;
    let finished = add_days(started, run_days)?;
    let studied = add_days(finished, 2)?;
    let decided = add_days(studied, 1)?;
    let works = match decision {
        ActDecision::Adopt => 0.9,
        ActDecision::Adapt => 0.7,
        ActDecision::Abandon => 0.35,
    };
    let successes = draws.binomial(u64::from(size), works);
    let size64 = u64::from(size);
    let threshold = (7 * size64).div_ceil(10);
    let predictions_met = if successes >= threshold {
        PredictionsMet::Yes
    } else if successes * 10 >= 4 * size64 {
        PredictionsMet::Partly
    } else {
        PredictionsMet::No
    };
    let percent = (successes * 100 + size64 / 2) / size64.max(1);
    let stalled = step.next_size.is_none() && decision == ActDecision::Adapt;
    let troubled = (decision == ActDecision::Abandon || stalled) && !change.trouble.is_empty();
    let problems = if troubled {
        vec![change.trouble.to_owned()]
    } else {
        vec![]
    };
    let (learning, next) = learning_and_next(step);
    Ok(Cycle {
        key: Key::new("draft")?,
        change_idea: Key::new(change.idea)?,
        follows: None,
        scale: Scale {
            size,
            unit: unit.into(),
        },
        plan: Plan {
            date: plan_date,
            objective: format!(
                "Test \"{}\" with {size} {unit} at {}: does it work here, and what gets in the way?",
                change.title, change.place
            ),
            questions: vec![
                format!("How many of the {size} {unit} will {goal}?"),
                "What gets in the way?".into(),
            ],
            predictions: vec![format!(
                "At least {threshold} of the {size} {unit} will {goal}, {reason}"
            )],
            who: change.who.into(),
            what: change.title.into(),
            when: format!("{started} to {finished}"),
            place: change.place.into(),
            data_to_collect: vec![format!("A tally of the {unit} who {past}")],
        },
        run: Some(Do {
            started,
            finished,
            as_planned: !troubled,
            what_happened: format!("{successes} of {size} {unit} {past}."),
            observations: vec![observation(decision).into()],
            problems,
        }),
        study: Some(Study {
            date: studied,
            results: format!(
                "{successes} of {size} ({percent}%), against a prediction of at least {threshold}"
            ),
            predictions_met,
            learning,
        }),
        act: Some(Act {
            date: decided,
            decision,
            next,
        }),
    })
}

/// The ideas the team adopted (index in the profile's changes) and when.
fn adoptions(profile: &Profile, log: &CycleLog) -> Vec<(usize, NaiveDate)> {
    profile
        .changes
        .iter()
        .enumerate()
        .filter_map(|(i, change)| {
            log.cycles
                .iter()
                .filter(|c| c.change_idea.as_str() == change.idea)
                .filter_map(|c| c.act.as_ref())
                .find(|a| a.decision == ActDecision::Adopt)
                .map(|a| (i, a.date))
        })
        .collect()
}

fn team_plan(profile: &Profile) -> Result<TeamPlan> {
    let (y, m, d) = AIMS_DUE;
    let by = date(y, m, d)?;
    let focus = profile.focus;
    let aims = vec![
        Aim {
            key: Key::new(format!("control-{}", profile.level_target))?,
            statement: format!(
                "Raise blood pressure control to {}% for adults with hypertension by June 30, 2024",
                profile.level_target
            ),
            measure: Key::new(BP_CONTROL)?,
            population: Population::All,
            goal: Goal::Reach {
                target: profile.level_target,
            },
            by,
            baseline_months: 3,
        },
        Aim {
            key: Key::new("close-the-gap")?,
            statement: format!(
                "Close the gap in blood pressure control between {} and White patients to {} points or less by June 30, 2024",
                focus.patients(),
                profile.gap_target
            ),
            measure: Key::new(BP_CONTROL)?,
            population: Population::All,
            goal: Goal::CloseGap {
                dimension: RACE_ETHNICITY.into(),
                group: focus.label().into(),
                reference: Group::White.label().into(),
                to: profile.gap_target,
            },
            by,
            baseline_months: 3,
        },
    ];
    let measures = match profile.own_measure {
        Some(OwnMeasure::HomeVisits) => vec![home_visits()?],
        None => vec![],
    };
    Ok(TeamPlan {
        team: profile.team.into(),
        chosen_measures: profile
            .menu
            .iter()
            .map(|m| Key::new(*m))
            .collect::<std::result::Result<_, _>>()?,
        measures,
        aims,
    })
}

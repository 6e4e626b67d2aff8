//! Each team's monthly reports: the month's data points (the same numbers as the data files),
//! the cycles run, a narrative, and the scores faculty and the team give.

use chrono::NaiveDate;
use qic_pdsa::cycle::{Cycle, CycleLog};
use qic_pdsa::monthly::{MonthlyReport, ReportedValue};
use qic_pdsa::{ActDecision, Key, Measure};
use qic_program::AssessmentLevel;

use super::Result;
use super::profiles::{Group, Profile};
use super::random::Draws;
use super::team::{MonthData, Tally, add_days, lowercase_first};

/// Pooled control over `months` (inclusive indices), for a group or everyone.
fn pooled(months: &[MonthData], first: usize, last: usize, group: Option<Group>) -> Tally {
    months
        .iter()
        .take(last + 1)
        .skip(first)
        .flat_map(|m| m.control.iter())
        .filter(|(g, _)| group.is_none_or(|want| **g == want))
        .fold(Tally::default(), |a, (_, &t)| a.plus(t))
}

/// Where a team stands in a month, as faculty see it: improvement and gap over the latest
/// three months against the first three.
struct Standing {
    improvement: f64,
    gap_closed: f64,
    gap_share: f64,
    level_met: bool,
    gap_met: bool,
}

fn standing(profile: &Profile, months: &[MonthData], index: usize) -> Standing {
    let first = index.saturating_sub(2);
    let rate = |a: usize, b: usize, g: Option<Group>| pooled(months, a, b, g).percent();
    let level = |a, b| rate(a, b, None).unwrap_or(0.0);
    let gap = |a, b| {
        rate(a, b, Some(Group::White)).unwrap_or(0.0)
            - rate(a, b, Some(profile.focus)).unwrap_or(0.0)
    };
    let (base_level, base_gap) = (level(0, 2), gap(0, 2));
    let (now_level, now_gap) = (level(first, index), gap(first, index));
    let improvement = now_level - base_level;
    let gap_closed = base_gap - now_gap;
    let share = |moved: f64, span: f64| if span > 0.0 { moved / span } else { 1.0 };
    Standing {
        improvement,
        gap_closed,
        gap_share: share(gap_closed, base_gap - profile.gap_target),
        level_met: now_level >= profile.level_target,
        gap_met: now_gap <= profile.gap_target,
    }
}

/// The faculty's score of record, by the IHI assessment scale as this Action Community reads
/// it (its primary aim is the equity aim, so the higher levels need the gap to close):
///
/// - 1.0 with the charter, 1.5 while planning, 2.0 with baseline data (month three);
/// - 2.5 once a change has been tested;
/// - 3.0 once a change is adopted and control or the gap has moved two points, 3.5 at four;
/// - 4.0 with two changes adopted and the gap at least halfway to the aim, from month nine;
/// - 4.5 when that has held three months, from month twelve;
/// - 5.0 when both aims have held three months, from month fifteen.
///
/// Movements are pooled over the latest three months against the first three. A level counts
/// once the data show it two months running, and faculty do not lower a score.
fn faculty_scores(
    profile: &Profile,
    log: &CycleLog,
    adopted: &[(usize, NaiveDate)],
    months: &[MonthData],
) -> Vec<f64> {
    let mut scores: Vec<f64> = Vec::with_capacity(months.len());
    let mut shown_before = 0.5;
    let mut halfway_run = 0;
    let mut aims_run = 0;
    for (index, data) in months.iter().enumerate() {
        let end = data.month.last_day();
        let tested = log
            .cycles
            .iter()
            .any(|c| c.run.as_ref().is_some_and(|r| r.finished <= end));
        let adopted_now = adopted.iter().filter(|(_, on)| *on <= end).count();
        let s = standing(profile, months, index);
        let halfway = index >= 8 && adopted_now >= 2 && s.gap_share >= 0.5;
        halfway_run = if halfway { halfway_run + 1 } else { 0 };
        aims_run = if s.level_met && s.gap_met {
            aims_run + 1
        } else {
            0
        };
        let moved = |points: f64| s.improvement >= points || s.gap_closed >= points;
        let shown: f64 = if index >= 14 && aims_run >= 3 {
            5.0
        } else if index >= 11 && halfway_run >= 3 {
            4.5
        } else if halfway {
            4.0
        } else if adopted_now >= 1 && index >= 3 && moved(4.0) {
            3.5
        } else if adopted_now >= 1 && index >= 3 && moved(2.0) {
            3.0
        } else if tested && index >= 2 {
            2.5
        } else {
            match index {
                0 => 1.0,
                1 => 1.5,
                _ => 2.0,
            }
        };
        let previous = scores.last().copied().unwrap_or(0.5);
        // The plain steps of the first months need no second month of data.
        let granted = if index < 3 {
            shown
        } else {
            shown.min(shown_before)
        };
        scores.push(granted.max(previous));
        shown_before = shown;
    }
    scores
}

fn percent_text(tally: Tally) -> String {
    tally
        .percent()
        .map_or_else(|| "no patients".into(), |p| format!("{p:.0}%"))
}

/// The reports a team sends: every month but the missing ones, each on its day.
pub(crate) fn reports(
    profile: &Profile,
    log: &CycleLog,
    adopted: &[(usize, NaiveDate)],
    months: &[MonthData],
    measures: &[Measure],
    draws: &mut Draws,
) -> Result<Vec<MonthlyReport>> {
    let faculty = faculty_scores(profile, log, adopted, months);
    let mut out = Vec::new();
    for (index, data) in months.iter().enumerate() {
        // Draw the usual delay every month, so a late or missing month does not shift the rest.
        let usual = draws.whole(
            profile.reporting.usual_days.0,
            profile.reporting.usual_days.1,
        );
        if profile.reporting.missing.contains(&index) {
            continue;
        }
        let delay = profile
            .reporting
            .late
            .iter()
            .find(|(m, _)| *m == index)
            .map_or(usual, |&(_, days)| days);
        let (first, end) = (data.month.first_day(), data.month.last_day());
        let ran: Vec<&Cycle> = log
            .cycles
            .iter()
            .filter(|c| {
                c.run
                    .as_ref()
                    .is_some_and(|r| r.started <= end && r.finished >= first)
            })
            .collect();
        let values = measures
            .iter()
            .filter_map(|m| {
                data.value(m.key.as_str())
                    .map(|(numerator, denominator)| ReportedValue {
                        measure: m.key.clone(),
                        numerator,
                        denominator,
                    })
            })
            .collect();
        let score = faculty.get(index).copied().unwrap_or(1.0);
        let self_score = (score + profile.optimism).clamp(0.5, 5.0);
        out.push(MonthlyReport {
            month: data.month,
            submitted: add_days(end, delay)?,
            data: values,
            cycles: ran.iter().map(|c| c.key.clone()).collect(),
            self_assessment: Some(AssessmentLevel::from_score(self_score)?),
            faculty_assessment: Some(AssessmentLevel::from_score(score)?),
            narrative: narrative(profile, log, index, data, &ran),
        });
    }
    Ok(out)
}

fn narrative(
    profile: &Profile,
    log: &CycleLog,
    index: usize,
    data: &MonthData,
    ran: &[&Cycle],
) -> String {
    let mut parts: Vec<String> = profile
        .notes
        .iter()
        .filter(|(m, _)| *m == index)
        .map(|(_, text)| (*text).to_owned())
        .collect();
    let title = |idea: &Key| {
        log.change_ideas
            .iter()
            .find(|i| &i.key == idea)
            .map_or_else(|| idea.to_string(), |i| lowercase_first(&i.title))
    };
    if ran.is_empty() {
        parts.push("No PDSA cycles ran this month.".into());
    } else {
        // One entry per change idea, its cycles' scales and decisions in order.
        let mut by_idea: Vec<(&Key, Vec<String>)> = Vec::new();
        for cycle in ran {
            let entry = format!(
                "{} ({})",
                cycle.scale,
                cycle.decision().map_or("undecided", ActDecision::label)
            );
            match by_idea.iter_mut().find(|(k, _)| *k == &cycle.change_idea) {
                Some((_, entries)) => entries.push(entry),
                None => by_idea.push((&cycle.change_idea, vec![entry])),
            }
        }
        let tests: Vec<String> = by_idea
            .into_iter()
            .map(|(idea, entries)| format!("{} with {}", title(idea), entries.join(", then ")))
            .collect();
        parts.push(format!("Tested {}.", tests.join("; ")));
    }
    for cycle in &log.cycles {
        let adopted = cycle
            .act
            .as_ref()
            .is_some_and(|a| a.decision == ActDecision::Adopt && data.month.contains(a.date));
        if adopted {
            parts.push(format!(
                "Adopted {}: it is now how we work.",
                title(&cycle.change_idea)
            ));
        }
    }
    let all = MonthData::total(&data.control);
    let group = |g: Group| data.control.get(&g).copied().unwrap_or_default();
    parts.push(format!(
        "Blood pressure control was {} of {} patients: {} for {}, {} for White patients.",
        percent_text(all),
        all.of,
        percent_text(group(profile.focus)),
        profile.focus.patients(),
        percent_text(group(Group::White)),
    ));
    parts.join(" ")
}

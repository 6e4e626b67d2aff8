//! Plain-text summaries of a collaborative and its teams, and the shareable view of an aim's
//! progress that every shared output uses.
//!
//! A team summary reads like a faculty member's notes before a coaching call: the team's aims
//! with their progress, its measures with the latest value and what the chart says, its cycles
//! by phase and its ramps, and its reports that are late or missing.
//!
//! Aims judged on stratified data (a level aim for one group, or an equity aim) rest on
//! patient-level counts. Their progress is shown only when every month it pools is published in
//! the small-cell suppressed table; otherwise it is [`SharedProgress::Hidden`], so that no figure
//! in a shared output is built on a hidden cell.

use std::fmt::Write as _;

use chrono::NaiveDate;
use qic_equity::period::Period;
use qic_equity::stratify::{Level, StratifiedTable, Stratifier, Stratum};
use qic_equity::suppression::{Reliability, Suppression};
use qic_program::YearMonth;
use qic_spc::{Assessment, ChartResult};

use crate::aim::{Aim, AimProgress, AimStatus, Goal, Population};
use crate::charts::{chart_type, team_chart};
use crate::collaborative::{Collaborative, TeamFolder};
use crate::cycle::{ActDecision, Phase, ramps};
use crate::dashboard::{aim_progress, stratum_series};
use crate::error::PdsaError;
use crate::measure::{Measure, Unit};
use crate::monthly::{Timeliness, timeliness};

/// An aim's progress as a shared output may show it.
#[derive(Clone, Debug, PartialEq)]
pub enum SharedProgress {
    /// Progress computed from figures that may be shared.
    Shown(AimProgress),
    /// The aim rests on stratified data and a month it pools is hidden by small-cell
    /// suppression: its figures would be built on a hidden count.
    Hidden,
    /// The data the aim needs are not there (no series, no stratified data, or no such group).
    NoData,
    /// The aim cannot be judged as written (the reason names the field).
    Invalid(String),
}

/// Whether a stratum is the single group named `group`, by its code (`2054-5`,
/// `black_or_african_american`) or its label ("Black or African American"), ignoring case: the
/// matching [`stratum_series`] uses.
pub fn is_group_named(stratum: &Stratum, stratifiers: &[Stratifier], group: &str) -> bool {
    let wanted = group.trim().to_lowercase();
    stratum.0.len() == 1
        && stratum.0.iter().all(|l| matches!(l, Level::Value(_)))
        && (stratum.0.iter().any(|l| l.code().to_lowercase() == wanted)
            || stratum.label(stratifiers).to_lowercase() == wanted)
}

/// The groups an aim is judged on through stratified data, if any: the stratum of a level aim
/// for a group, or the group and reference of an equity aim.
pub fn aim_groups(aim: &Aim) -> Vec<&str> {
    match (&aim.goal, &aim.population) {
        (
            Goal::CloseGap {
                group, reference, ..
            },
            _,
        ) => vec![group.as_str(), reference.as_str()],
        (Goal::Reach { .. }, Population::Stratum { group, .. }) => vec![group.as_str()],
        (Goal::Reach { .. }, Population::All) => Vec::new(),
    }
}

/// Progress toward a team's aim as of `as_of`, for a shared output: computed from the data
/// (see [`aim_progress`]), and hidden when the aim rests on stratified data and any month it
/// pools is suppressed under `suppression`.
pub fn shared_aim_progress(
    team: &TeamFolder,
    aim: &Aim,
    suppression: &Suppression,
    as_of: NaiveDate,
) -> SharedProgress {
    let progress = match aim_progress(team, aim, as_of) {
        Ok(Some(p)) => p,
        Ok(None) => return SharedProgress::NoData,
        Err(e) => return SharedProgress::Invalid(e.to_string()),
    };
    let groups = aim_groups(aim);
    if groups.is_empty() {
        return SharedProgress::Shown(progress);
    }
    let (Some(measure), Some(counts)) = (team.measure(&aim.measure), team.strata.get(&aim.measure))
    else {
        return SharedProgress::NoData;
    };
    let table = counts.table(suppression, &Reliability::default());
    for group in groups {
        let Some(series) = stratum_series(team, measure, group) else {
            return SharedProgress::NoData;
        };
        let Some(windows) = aim.windows(&series) else {
            return SharedProgress::NoData;
        };
        for p in series.points() {
            let pooled = windows
                .iter()
                .any(|(first, last)| (*first..=*last).contains(&p.month));
            if pooled && !is_published(&table, p.month, group) {
                return SharedProgress::Hidden;
            }
        }
    }
    SharedProgress::Shown(progress)
}

/// Whether the table publishes the cell of `group` in `month`.
fn is_published(table: &StratifiedTable, month: YearMonth, group: &str) -> bool {
    let Some(period) = Period::new(month.year(), month.month()) else {
        return false;
    };
    table.cells.iter().any(|c| {
        c.period == period
            && is_group_named(&c.stratum, &table.stratifiers, group)
            && !c.estimate.suppressed
    })
}

/// A number in a measure's displayed units, short: whole numbers without decimals, others with
/// one.
pub fn short_number(value: f64) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    let rounded = (value * 10.0).round() / 10.0;
    if (rounded - rounded.round()).abs() < 1e-9 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// A value in the measure's displayed units: `54.3%` for a percentage, `2.1 per 1000` for a
/// rate, the plain number otherwise.
pub fn measure_value(measure: &Measure, value: f64) -> String {
    let number = short_number(value);
    match measure.unit {
        Unit::Proportion if (measure.multiplier - 100.0).abs() < f64::EPSILON => {
            format!("{number}%")
        }
        Unit::Rate if measure.multiplier > 1.0 => {
            format!("{number} per {}", short_number(measure.multiplier))
        }
        _ => number,
    }
}

/// A gap in the measure's displayed units: percentage points for a percentage.
pub fn gap_value(measure: &Measure, value: f64) -> String {
    let number = short_number(value);
    match measure.unit {
        Unit::Proportion if (measure.multiplier - 100.0).abs() < f64::EPSILON => {
            format!("{number} points")
        }
        _ => number,
    }
}

/// What a chart's signals say, in a few words: improvement, concern or neither, with the rules.
pub fn signal_summary(chart: &ChartResult) -> String {
    if chart.is_empty() {
        return "no data".to_owned();
    }
    let mut parts = Vec::new();
    for (assessment, word) in [
        (Some(Assessment::Improvement), "improvement"),
        (Some(Assessment::Concern), "concern"),
        (None, "signal"),
    ] {
        let mut rules: Vec<&str> = chart
            .signals()
            .iter()
            .filter(|s| s.assessment == assessment)
            .map(|s| s.rule.describe())
            .collect();
        rules.dedup();
        if !rules.is_empty() {
            parts.push(format!("{word}: {}", rules.join(", ")));
        }
    }
    if parts.is_empty() {
        "no signal: common cause variation only".to_owned()
    } else {
        parts.join("; ")
    }
}

/// An aim's progress in words, e.g. `baseline 54%, now 63.3%, target 70%: 57% of the way`
/// (the status is said apart, see [`status_words`]).
pub fn progress_words(measure: Option<&Measure>, aim: &Aim, progress: &SharedProgress) -> String {
    let value = |v: f64| match (measure, &aim.goal) {
        (Some(m), Goal::CloseGap { .. }) => gap_value(m, v),
        (Some(m), Goal::Reach { .. }) => measure_value(m, v),
        (None, _) => short_number(v),
    };
    match progress {
        SharedProgress::Shown(p) => {
            let mut out = String::new();
            let label = if matches!(aim.goal, Goal::CloseGap { .. }) {
                "gap "
            } else {
                ""
            };
            let _ = write!(
                out,
                "{label}baseline {}, now {}, target {}",
                p.baseline.map_or_else(|| "–".to_owned(), value),
                p.current.map_or_else(|| "–".to_owned(), value),
                value(p.target)
            );
            if let Some(share) = p.share_of_the_way {
                let _ = write!(out, ": {}% of the way", short_number(share * 100.0));
            }
            out
        }
        SharedProgress::Hidden => {
            "hidden: a month it rests on has a small count (suppressed)".to_owned()
        }
        SharedProgress::NoData => "no data yet".to_owned(),
        SharedProgress::Invalid(reason) => format!("cannot be judged: {reason}"),
    }
}

/// An aim status in words.
pub const fn status_words(status: AimStatus) -> &'static str {
    match status {
        AimStatus::Met => "met",
        AimStatus::InProgress => "in progress",
        AimStatus::Overdue => "overdue",
        AimStatus::NoData => "no data yet",
    }
}

/// A phase in words.
pub const fn phase_words(phase: Phase) -> &'static str {
    match phase {
        Phase::Planned => "planned",
        Phase::Done => "done",
        Phase::Studied => "studied",
        Phase::Acted => "acted",
    }
}

/// A report's status in words: `on time`, `late 10 days`, `missing`, `not yet due`.
pub fn timeliness_words(status: Timeliness) -> String {
    match status {
        Timeliness::OnTime => "on time".to_owned(),
        Timeliness::Late { days: 1 } => "late 1 day".to_owned(),
        Timeliness::Late { days } => format!("late {days} days"),
        Timeliness::Missing => "missing".to_owned(),
        Timeliness::NotYetDue => "not yet due".to_owned(),
    }
}

/// A team's summary as text: aims with progress, measures with their latest value and signal,
/// cycles by phase and ramps, reports late or missing.
///
/// # Errors
///
/// [`PdsaError::Chart`] when a measure's data cannot be charted (checked series always can).
pub fn team_summary(collaborative: &Collaborative, team: &TeamFolder) -> Result<String, PdsaError> {
    let mut out = String::new();
    let as_of = collaborative.settings.as_of;
    let suppression = collaborative.suppression();
    let _ = writeln!(out, "{} ({})", team.team.name, team.team.organization.name);

    write_aims(&mut out, team, &suppression, as_of);
    write_measures(&mut out, collaborative, team)?;
    write_cycles(&mut out, team);
    write_reports(&mut out, collaborative, team);
    Ok(out)
}

fn write_aims(out: &mut String, team: &TeamFolder, suppression: &Suppression, as_of: NaiveDate) {
    out.push_str("\nAims\n");
    if team.aims.is_empty() {
        out.push_str("  none recorded\n");
    }
    for aim in &team.aims {
        let progress = shared_aim_progress(team, aim, suppression, as_of);
        let _ = writeln!(out, "  {}: {}", aim.key, aim.statement);
        let status = match &progress {
            SharedProgress::Shown(p) => format!("; {}", status_words(p.status)),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "    {}{status} (by {})",
            progress_words(team.measure(&aim.measure), aim, &progress),
            aim.by
        );
    }
}

fn write_measures(
    out: &mut String,
    collaborative: &Collaborative,
    team: &TeamFolder,
) -> Result<(), PdsaError> {
    out.push_str("\nMeasures\n");
    let schedule = collaborative.program.schedule();
    for measure in &team.measures {
        let _ = writeln!(out, "  {}: {}", measure.key, measure.name);
        let kind = format!(
            "{}, {}, {} chart",
            measure.kind.label(),
            tier_words(measure),
            chart_type(measure.unit).name()
        );
        match team_chart(team, measure, schedule, &collaborative.settings.cohort)? {
            None => {
                let _ = writeln!(out, "    {kind}; no data");
            }
            Some(chart) => {
                let latest = chart
                    .chart
                    .points()
                    .zip(&chart.months)
                    .filter_map(|(p, m)| p.y.map(|y| (y, *m)))
                    .last();
                let latest = latest.map_or_else(
                    || "no value yet".to_owned(),
                    |(y, m)| format!("latest {} ({m})", measure_value(measure, y)),
                );
                let _ = writeln!(
                    out,
                    "    {kind}; {latest}; {}",
                    signal_summary(&chart.chart)
                );
            }
        }
    }

    Ok(())
}

fn write_cycles(out: &mut String, team: &TeamFolder) {
    let cycles = &team.cycles.cycles;
    let count = |phase: Phase| cycles.iter().filter(|c| c.phase() == phase).count();
    let decided = |d: ActDecision| cycles.iter().filter(|c| c.decision() == Some(d)).count();
    let team_ramps = ramps(&team.cycles);
    let _ = writeln!(
        out,
        "\nCycles: {} (planned {}, done {}, studied {}, acted {}: adopt {}, adapt {}, abandon {}); ramps {}",
        cycles.len(),
        count(Phase::Planned),
        count(Phase::Done),
        count(Phase::Studied),
        count(Phase::Acted),
        decided(ActDecision::Adopt),
        decided(ActDecision::Adapt),
        decided(ActDecision::Abandon),
        team_ramps.len()
    );
    for ramp in &team_ramps {
        let steps: Vec<String> = ramp
            .cycles
            .iter()
            .zip(&ramp.scales)
            .map(|(key, scale)| format!("{key} ({scale})"))
            .collect();
        let _ = writeln!(
            out,
            "  {}: {} -> {}",
            ramp.change_idea,
            steps.join(" -> "),
            ramp.latest_decision
                .map_or("no decision yet", ActDecision::label)
        );
    }
}

fn write_reports(out: &mut String, collaborative: &Collaborative, team: &TeamFolder) {
    let as_of = collaborative.settings.as_of;
    let months = collaborative.months();
    if let (Some(&first), Some(&last)) = (months.first(), months.last()) {
        let statuses = timeliness(
            &team.reports,
            first,
            last,
            collaborative.settings.reports,
            as_of,
        );
        let on_time = statuses
            .iter()
            .filter(|(_, t)| *t == Timeliness::OnTime)
            .count();
        let list = |wanted: fn(&Timeliness) -> bool| -> Vec<String> {
            statuses
                .iter()
                .filter(|(_, t)| wanted(t))
                .map(|(m, t)| match t {
                    Timeliness::Late { days } => format!("{m}: {days} days"),
                    _ => m.to_string(),
                })
                .collect()
        };
        let late = list(|t| matches!(t, Timeliness::Late { .. }));
        let missing = list(|t| *t == Timeliness::Missing);
        let pending = list(|t| *t == Timeliness::NotYetDue);
        let _ = write!(
            out,
            "\nReports ({first} to {last}, as of {as_of}): {on_time} on time"
        );
        for (words, months) in [
            ("late", late),
            ("missing", missing),
            ("not yet due", pending),
        ] {
            if !months.is_empty() {
                let _ = write!(out, "; {} {words} ({})", months.len(), months.join(", "));
            }
        }
        out.push('\n');
    }
}

/// The collaborative as text: a header, every warning from the folder, and each team's summary.
///
/// # Errors
///
/// As [`team_summary`].
pub fn summary(collaborative: &Collaborative) -> Result<String, PdsaError> {
    let mut out = String::new();
    let months = collaborative.months();
    let _ = writeln!(out, "{}", collaborative.settings.title);
    let _ = writeln!(
        out,
        "{}, {}; as of {}; {} teams; months {} to {}",
        collaborative.program.name(),
        collaborative.settings.cohort,
        collaborative.settings.as_of,
        collaborative.teams.len(),
        months.first().map_or_else(String::new, ToString::to_string),
        months.last().map_or_else(String::new, ToString::to_string),
    );
    if !collaborative.warnings.is_empty() {
        let _ = writeln!(out, "\nWarnings ({})", collaborative.warnings.len());
        for w in &collaborative.warnings {
            let _ = writeln!(out, "  {}: {}", w.path.display(), w.message);
        }
    }
    for team in &collaborative.teams {
        out.push('\n');
        out.push_str(&team_summary(collaborative, team)?);
    }
    Ok(out)
}

fn tier_words(measure: &Measure) -> &'static str {
    match measure.tier {
        crate::measure::Tier::Required => "required",
        crate::measure::Tier::Menu => "chosen from the menu",
        crate::measure::Tier::TeamDefined => "the team's own",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_carry_their_units() {
        assert_eq!(short_number(54.333), "54.3");
        assert_eq!(short_number(70.0), "70");
        assert_eq!(short_number(69.96), "70");
        assert_eq!(short_number(f64::NAN), "–");
        let mut m = crate::measure::tests::bp_control();
        assert_eq!(measure_value(&m, 54.25), "54.3%");
        assert_eq!(gap_value(&m, 4.0), "4 points");
        m.unit = Unit::Rate;
        m.multiplier = 1000.0;
        assert_eq!(measure_value(&m, 2.5), "2.5 per 1000");
        m.unit = Unit::Count;
        m.multiplier = 1.0;
        assert_eq!(measure_value(&m, 3.0), "3");
    }

    #[test]
    fn report_statuses_read_as_words() {
        assert_eq!(timeliness_words(Timeliness::OnTime), "on time");
        assert_eq!(timeliness_words(Timeliness::Late { days: 1 }), "late 1 day");
        assert_eq!(
            timeliness_words(Timeliness::Late { days: 10 }),
            "late 10 days"
        );
        assert_eq!(timeliness_words(Timeliness::NotYetDue), "not yet due");
    }

    #[test]
    fn groups_match_by_code_or_label() {
        use qic_equity::codes::Dimension;
        let stratifiers = vec![Stratifier::dimension(Dimension::Race, "race")];
        let black = Stratum::of(&["black_or_african_american"]);
        assert!(is_group_named(
            &black,
            &stratifiers,
            "Black or African American"
        ));
        assert!(is_group_named(
            &black,
            &stratifiers,
            "black_or_african_american"
        ));
        assert!(!is_group_named(&black, &stratifiers, "White"));
        assert!(!is_group_named(
            &Stratum::of(&["unknown"]),
            &stratifiers,
            "unknown"
        ));
    }
}

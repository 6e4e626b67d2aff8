//! The collaborative report as plain text, and the words every format of it uses.
//!
//! [`render`] lays a [`Report`] out as text: the teams that need attention first, then each
//! team as a faculty member's notes before a coaching call (its aims with their progress, its
//! measures with the latest value and what the chart says, its cycles and ramps, its reports
//! late or missing). It computes nothing: every figure comes from the report, so the text and
//! the HTML page say the same things.
//!
//! The other functions turn the report's values into words (`54.3%`, `late 10 days`,
//! `special cause of improvement (higher)`), for the HTML page as well.

use std::fmt::Write as _;

use qic_equity::stratify::{Level, Stratifier, Stratum};
use qic_spc::{Assessment, Assurance, ChartResult, Variation};

use crate::aim::{Aim, AimStatus, Goal};
use crate::cycle::{ActDecision, Phase};
use crate::measure::{Measure, Tier, Unit};
use crate::monthly::Timeliness;
use crate::report::attention::Need;
use crate::report::{Report, SharedProgress, TeamSection};

/// Whether a stratum is the single group named `group`, by its code (`2054-5`,
/// `black_or_african_american`) or its label ("Black or African American"), ignoring case: the
/// matching [`crate::dashboard::stratum_series`] uses.
pub fn is_group_named(stratum: &Stratum, stratifiers: &[Stratifier], group: &str) -> bool {
    let wanted = group.trim().to_lowercase();
    stratum.0.len() == 1
        && stratum.0.iter().all(|l| matches!(l, Level::Value(_)))
        && (stratum.0.iter().any(|l| l.code().to_lowercase() == wanted)
            || stratum.label(stratifiers).to_lowercase() == wanted)
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
        SharedProgress::Invalid { reason } => format!("cannot be judged: {reason}"),
    }
}

/// An aim status in words.
pub const fn status_words(status: AimStatus) -> &'static str {
    match status {
        AimStatus::Met => "met",
        AimStatus::InProgress => "in progress",
        AimStatus::NotMet => "not met",
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

/// Making Data Count's variation icon in words.
pub const fn variation_words(variation: Variation) -> &'static str {
    match variation {
        Variation::CommonCause => "common cause variation",
        Variation::ImprovementHigh => "special cause of improvement (higher)",
        Variation::ImprovementLow => "special cause of improvement (lower)",
        Variation::ConcernHigh => "special cause of concern (higher)",
        Variation::ConcernLow => "special cause of concern (lower)",
        Variation::NeutralHigh => "special cause (higher)",
        Variation::NeutralLow => "special cause (lower)",
    }
}

/// Making Data Count's assurance icon in words.
pub const fn assurance_words(assurance: Assurance) -> &'static str {
    match assurance {
        Assurance::ConsistentPass => "will consistently meet the target",
        Assurance::ConsistentFail => "will consistently miss the target",
        Assurance::Inconsistent => "will hit and miss the target",
    }
}

/// A team's need of attention in words.
pub const fn need_words(need: Need) -> &'static str {
    match need {
        Need::High => "needs attention",
        Need::Some => "worth a look",
        Need::None => "nothing flagged",
    }
}

/// Whose measure it is, in words.
pub const fn tier_words(tier: Tier) -> &'static str {
    match tier {
        Tier::Required => "required",
        Tier::Menu => "chosen from the menu",
        Tier::TeamDefined => "the team's own",
    }
}

/// `1 cycle`, `2 cycles`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The report as text: the header, the warnings, which teams need attention, and each team.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", report.title);
    let _ = writeln!(
        out,
        "{}, {}; as of {}; {} teams; months {} to {}",
        report.program,
        report.cohort,
        report.as_of,
        report.teams.len(),
        report
            .months
            .first()
            .map_or_else(String::new, ToString::to_string),
        report
            .months
            .last()
            .map_or_else(String::new, ToString::to_string),
    );
    if !report.warnings.is_empty() {
        let _ = writeln!(out, "\nWarnings ({})", report.warnings.len());
        for w in &report.warnings {
            let _ = writeln!(out, "  {}: {}", w.path.display(), w.message);
        }
    }
    let _ = writeln!(out, "\nWhich teams need attention");
    for row in &report.attention {
        let mut findings = Vec::new();
        if !row.concerns.is_empty() {
            findings.push(format!("concern: {}", row.concerns.join(", ")));
        }
        if row.missing > 0 {
            findings.push(format!("{} missing", plural(row.missing, "report")));
        }
        if row.late > 0 {
            findings.push(format!("{} late", plural(row.late, "report")));
        }
        if !row.aims_off_track.is_empty() {
            findings.push(format!("aims off track: {}", row.aims_off_track.join(", ")));
        }
        if let Some(score) = row.score {
            findings.push(format!(
                "score {:.1} -> {:.1}",
                score.from.score(),
                score.to.score()
            ));
        }
        if !row.improvements.is_empty() {
            findings.push(format!("improvement: {}", row.improvements.join(", ")));
        }
        let _ = writeln!(
            out,
            "  {}: {} ({}){}{}",
            row.team.name,
            need_words(row.need),
            plural(row.points as usize, "point"),
            if findings.is_empty() { "" } else { "; " },
            findings.join("; ")
        );
    }
    for team in &report.teams {
        out.push('\n');
        team_text(&mut out, report, team);
    }
    out
}

fn measures_text(out: &mut String, team: &TeamSection) {
    out.push_str("\nMeasures\n");
    for section in &team.measures {
        let measure = &section.measure;
        let _ = writeln!(out, "  {}: {}", measure.key, measure.name);
        let kind = format!(
            "{}, {}, {} chart",
            measure.kind.label(),
            tier_words(measure.tier),
            crate::charts::chart_type(measure.unit).name()
        );
        match &section.chart {
            None => {
                let _ = writeln!(out, "    {kind}; no data");
            }
            Some(chart) => {
                let latest = section.latest.map_or_else(
                    || "no published value yet".to_owned(),
                    |(m, v)| format!("latest {} ({m})", measure_value(measure, v)),
                );
                let mut mdc = chart
                    .variation
                    .map_or_else(String::new, |v| format!("; {}", variation_words(v)));
                if let Some(a) = chart.assurance {
                    let _ = write!(mdc, ", {}", assurance_words(a));
                }
                let hidden = if chart.hidden.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; {} suppressed: small numbers",
                        plural(chart.hidden.len(), "month")
                    )
                };
                let _ = writeln!(out, "    {kind}; {latest}; {}{mdc}{hidden}", chart.signals);
            }
        }
    }
}

fn team_text(out: &mut String, report: &Report, team: &TeamSection) {
    let _ = writeln!(out, "{} ({})", team.team.name, team.organization);
    out.push_str("\nAims\n");
    if team.aims.is_empty() {
        out.push_str("  none recorded\n");
    }
    for row in &team.aims {
        let _ = writeln!(out, "  {}: {}", row.aim.key, row.aim.statement);
        let status = row
            .progress
            .shown()
            .map_or_else(String::new, |p| format!("; {}", status_words(p.status)));
        let _ = writeln!(out, "    {}{status} (by {})", row.words, row.aim.by);
    }
    measures_text(out, team);
    let count = |phase: Phase| team.cycles.iter().filter(|c| c.phase == phase).count();
    let decided = |d: ActDecision| {
        team.cycles
            .iter()
            .filter(|c| c.decision.is_some_and(|(x, _)| x == d))
            .count()
    };
    let _ = writeln!(
        out,
        "\nCycles: {} (planned {}, done {}, studied {}, acted {}: adopt {}, adapt {}, abandon {}); ramps {}",
        team.cycles.len(),
        count(Phase::Planned),
        count(Phase::Done),
        count(Phase::Studied),
        count(Phase::Acted),
        decided(ActDecision::Adopt),
        decided(ActDecision::Adapt),
        decided(ActDecision::Abandon),
        team.ramps.len()
    );
    for ramp in &team.ramps {
        let steps: Vec<String> = ramp
            .steps
            .iter()
            .map(|(key, scale)| format!("{key} ({scale})"))
            .collect();
        let _ = writeln!(
            out,
            "  {}: {} -> {}",
            ramp.idea,
            steps.join(" -> "),
            ramp.latest.map_or("no decision yet", ActDecision::label)
        );
    }
    if let (Some(first), Some(last)) = (team.reports.first(), team.reports.last()) {
        let on_time = team
            .reports
            .iter()
            .filter(|r| r.status == Timeliness::OnTime)
            .count();
        let list = |wanted: fn(&Timeliness) -> bool| -> Vec<String> {
            team.reports
                .iter()
                .filter(|r| wanted(&r.status))
                .map(|r| match r.status {
                    Timeliness::Late { days } => format!("{}: {days} days", r.month),
                    _ => r.month.to_string(),
                })
                .collect()
        };
        let _ = write!(
            out,
            "\nReports ({} to {}, as of {}): {on_time} on time",
            first.month, last.month, report.as_of
        );
        for (words, months) in [
            ("late", list(|t| matches!(t, Timeliness::Late { .. }))),
            ("missing", list(|t| *t == Timeliness::Missing)),
            ("not yet due", list(|t| *t == Timeliness::NotYetDue)),
        ] {
            if !months.is_empty() {
                let _ = write!(out, "; {} {words} ({})", months.len(), months.join(", "));
            }
        }
        out.push('\n');
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

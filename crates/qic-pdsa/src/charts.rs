//! Charts of a team's measures, and whether they show improvement.
//!
//! A measure's unit picks its chart (a proportion goes on a p chart, a rate on a u chart, a
//! count on a c chart, a mean on an i chart, time between events on a t chart, cases between
//! events on a g chart). The chart is annotated with the team's adopted changes and the
//! program's learning sessions, and starts a new phase where the team says an adopted change
//! changed the process. Every chart here reads its signals with the NHS Making Data Count rules
//! ([`RULES`]) against a baseline frozen at its first [`BASELINE_MONTHS`] months, so a chart
//! drawn in the report and the judgement the dashboard makes of it are the same chart.
//!
//! "Did this change lead to improvement?" is asked of a different chart: the baseline frozen at
//! the months before the change, so that a shift afterwards shows against it
//! ([`improvement_after`]).

use qic_program::{EventKind, Schedule, YearMonth};
use qic_spc::{
    Assessment, ChartOptions, ChartResult, ChartType, Observation, SignalRules, SpcError, compute,
};
use serde::{Deserialize, Serialize};

use crate::collaborative::TeamFolder;
use crate::cycle::ActDecision;
use crate::key::Key;
use crate::measure::{Measure, Polarity, Unit};
use crate::month;
use crate::series::{DataPoint, Series};

/// The rule set every chart of a collaborative is read with: NHS Making Data Count (a point
/// beyond the limits, a shift of seven, a trend of six, two of three beyond two sigma), whose
/// colours and icons programs expect.
pub const RULES: SignalRules = SignalRules::Mdc;

/// Months of a team's data that form the baseline its later months are judged against: charts
/// freeze their limits there.
pub const BASELINE_MONTHS: usize = 6;

/// The chart that suits a unit.
pub const fn chart_type(unit: Unit) -> ChartType {
    match unit {
        Unit::Proportion => ChartType::P,
        Unit::Rate => ChartType::U,
        Unit::Count => ChartType::C,
        Unit::Mean => ChartType::I,
        Unit::TimeBetweenEvents => ChartType::T,
        Unit::CasesBetweenEvents => ChartType::G,
    }
}

/// The chart for a measure pooled across teams: Laney's p′ for proportions and u′ for rates.
///
/// Summed over several teams, the denominators grow large and the teams' own differences add
/// variation that the binomial or Poisson model does not know about (overdispersion): plain p
/// and u limits then hug the centre line and flag nearly every month. Laney's charts widen the
/// limits by the variation the data actually show between months.
pub const fn pooled_chart_type(unit: Unit) -> ChartType {
    match unit {
        Unit::Proportion => ChartType::Pp,
        Unit::Rate => ChartType::Up,
        other => chart_type(other),
    }
}

/// The improvement direction in qic-spc's terms.
pub const fn spc_direction(direction: Polarity) -> qic_spc::ImprovementDirection {
    match direction {
        Polarity::Up => qic_spc::ImprovementDirection::Increase,
        Polarity::Down => qic_spc::ImprovementDirection::Decrease,
    }
}

/// What a marker on a chart stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkerKind {
    /// A change the team adopted.
    Adopted,
    /// A change the team abandoned.
    Abandoned,
    /// A learning or harvesting session of the cohort.
    Session,
}

/// A marker on a chart: a day and what happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    /// The day it happened.
    pub date: chrono::NaiveDate,
    /// What it stands for.
    pub kind: MarkerKind,
    /// What happened.
    pub label: String,
}

/// A team's measure, charted.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MeasureChart {
    /// The measure.
    pub measure: Key,
    /// The months charted, in order (one per point, hidden months included as gaps).
    pub months: Vec<YearMonth>,
    /// Months whose counts may not be published: charted as gaps, never drawn from.
    pub hidden: Vec<YearMonth>,
    /// The chart.
    pub chart: ChartResult,
    /// Adopted changes and learning sessions, to draw as vertical markers.
    pub markers: Vec<Marker>,
    /// The months where a new phase starts (an adopted change the team marked as changing the
    /// process).
    pub phase_starts: Vec<YearMonth>,
}

/// The options for a measure's chart: its multiplier, target and direction, read with
/// [`RULES`].
pub fn options_for(measure: &Measure) -> ChartOptions {
    let mut options = ChartOptions::default()
        .rules(RULES)
        .multiply(measure.multiplier)
        .direction(spc_direction(measure.direction));
    if let Some(target) = measure.target {
        options = options.target(target);
    }
    options
}

/// The options with the limits frozen at the first [`BASELINE_MONTHS`] months, when a chart of
/// `months` months has any month after them (a shorter chart's limits use every month).
pub fn with_baseline(options: ChartOptions, months: usize) -> ChartOptions {
    if months > BASELINE_MONTHS {
        options.freeze(BASELINE_MONTHS)
    } else {
        options
    }
}

/// Observations of a series, one per month.
pub fn observations(series: &Series) -> Vec<Observation> {
    observations_of(series.points())
}

/// Observations of data points, one per month.
fn observations_of(points: &[DataPoint]) -> Vec<Observation> {
    points.iter().map(observation).collect()
}

fn observation(point: &DataPoint) -> Observation {
    let observation = Observation::new(month::x(point.month), point.numerator);
    match point.denominator {
        Some(d) => observation.with_denominator(d),
        None => observation,
    }
}

/// Observations of a series, months in order, with the `hidden` months (whose counts may not
/// be published, and which the series should not hold) put in as missing values: a hidden
/// month is a gap in the chart, and nothing of it reaches the chart.
pub fn observations_with_gaps(
    series: &Series,
    unit: Unit,
    hidden: &[YearMonth],
) -> (Vec<YearMonth>, Vec<Observation>) {
    let mut rows: Vec<(YearMonth, Observation)> = series
        .points()
        .iter()
        .filter(|p| !hidden.contains(&p.month))
        .map(|p| (p.month, observation(p)))
        .collect();
    for &month in hidden {
        let gap = Observation::new(month::x(month), None);
        // NaN is qic-spc's missing denominator: the chart stays a p or u chart.
        let gap = if unit.has_denominator() {
            gap.with_denominator(Some(f64::NAN))
        } else {
            gap
        };
        rows.push((month, gap));
    }
    rows.sort_by_key(|(month, _)| *month);
    rows.dedup_by_key(|(month, _)| *month);
    rows.into_iter().unzip()
}

/// Charts one of a team's measures: annotated with the team's adopted (and abandoned)
/// changes linked to the measure and with the cohort's learning sessions, split into phases at
/// adoptions marked `new_phase_when_adopted`, its limits frozen at the first
/// [`BASELINE_MONTHS`] months of each phase. The `hidden` months (counts that may not be
/// published) are gaps. `None` when the team has no data for it.
///
/// # Errors
///
/// [`SpcError`] when the data cannot be charted (which checked series never are).
pub fn team_chart(
    team: &TeamFolder,
    measure: &Measure,
    schedule: &Schedule,
    cohort: &str,
    hidden: &[YearMonth],
) -> Result<Option<MeasureChart>, SpcError> {
    let Some(series) = team.series.get(&measure.key) else {
        return Ok(None);
    };
    let (months, observations) = observations_with_gaps(series, measure.unit, hidden);
    let mut markers = Vec::new();
    let mut phase_starts = Vec::new();
    for idea in &team.cycles.change_ideas {
        if !idea.measures.contains(&measure.key) {
            continue;
        }
        let decided = team
            .cycles
            .cycles
            .iter()
            .filter(|c| c.change_idea == idea.key)
            .filter_map(|c| c.act.as_ref())
            .filter(|a| a.decision != ActDecision::Adapt)
            .min_by_key(|a| a.date);
        if let Some(act) = decided {
            let (kind, verb) = match act.decision {
                ActDecision::Adopt => (MarkerKind::Adopted, "Adopted"),
                _ => (MarkerKind::Abandoned, "Abandoned"),
            };
            markers.push(Marker {
                date: act.date,
                kind,
                label: format!("{verb}: {}", idea.title),
            });
            if act.decision == ActDecision::Adopt && idea.new_phase_when_adopted {
                // The process runs the new way from the month after the decision.
                phase_starts.push(YearMonth::of(act.date).next());
            }
        }
    }
    for session in schedule.for_cohort(cohort).filter(|e| {
        matches!(
            e.kind,
            EventKind::LearningSession | EventKind::HarvestingSession
        )
    }) {
        markers.push(Marker {
            date: session.timing.start().date(),
            kind: MarkerKind::Session,
            label: session.title.clone(),
        });
    }
    markers.sort_by(|a, b| (a.date, &a.label).cmp(&(b.date, &b.label)));
    phase_starts.sort_unstable();
    phase_starts.dedup();
    // A new part starts after the last month before the phase start; parts need two points.
    let breaks: Vec<usize> = phase_starts
        .iter()
        .filter_map(|start| {
            let before = months.iter().filter(|m| *m < start).count();
            (before >= 2 && months.len() - before >= 2).then_some(before)
        })
        .collect();
    phase_starts.retain(|start| {
        let before = months.iter().filter(|m| *m < start).count();
        breaks.contains(&before)
    });
    let options = with_baseline(options_for(measure).parts(breaks), observations.len());
    let chart = compute(chart_type(measure.unit), &observations, &options)?;
    let mut hidden: Vec<YearMonth> = hidden
        .iter()
        .copied()
        .filter(|m| months.contains(m))
        .collect();
    hidden.sort_unstable();
    hidden.dedup();
    Ok(Some(MeasureChart {
        measure: measure.key.clone(),
        months,
        hidden,
        chart,
        markers,
        phase_starts,
    }))
}

/// A measure pooled across teams, month by month.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PooledSeries {
    /// The pooled series: per month, the numerators summed over the teams reporting it (and the
    /// denominators, for proportions and rates).
    pub series: Series,
    /// How many teams each month of `series` pools, in the same order.
    pub teams: Vec<usize>,
    /// Months left out: for counts, months that not every team with data for the measure
    /// reported (a sum over fewer teams is not comparable with the others).
    pub left_out: Vec<YearMonth>,
}

/// Pools a measure across teams: for a proportion or a rate, the sum of the numerators over the
/// sum of the denominators of the teams reporting each month; for a count, the sum of the
/// counts, in the months every team with data for the measure reported.
///
/// `None` for means and times or cases between events, which do not pool by summing, and when
/// no team has data for the measure.
pub fn pooled_series(teams: &[TeamFolder], measure: &Measure) -> Option<PooledSeries> {
    if !matches!(measure.unit, Unit::Proportion | Unit::Rate | Unit::Count) {
        return None;
    }
    let reporting: Vec<&Series> = teams
        .iter()
        .filter_map(|t| t.series.get(&measure.key))
        .collect();
    if reporting.is_empty() {
        return None;
    }
    let mut by_month: std::collections::BTreeMap<YearMonth, (f64, Option<f64>, usize)> =
        std::collections::BTreeMap::new();
    for series in &reporting {
        for p in series.points() {
            let entry = by_month.entry(p.month).or_insert((0.0, None, 0));
            entry.0 += p.numerator;
            if let Some(d) = p.denominator {
                entry.1 = Some(entry.1.unwrap_or(0.0) + d);
            }
            entry.2 += 1;
        }
    }
    let mut points = Vec::new();
    let mut counts = Vec::new();
    let mut left_out = Vec::new();
    for (month, (numerator, denominator, n)) in by_month {
        if measure.unit == Unit::Count && n < reporting.len() {
            left_out.push(month);
            continue;
        }
        points.push(DataPoint {
            month,
            numerator,
            denominator,
        });
        counts.push(n);
    }
    // Sums of checked points are sound points of the same unit.
    let series = Series::new(measure, points).ok()?;
    Some(PooledSeries {
        series,
        teams: counts,
        left_out,
    })
}

/// A measure pooled across teams, charted on [`pooled_chart_type`] with its limits frozen at
/// its first [`BASELINE_MONTHS`] months, like a team's chart.
///
/// # Errors
///
/// [`SpcError`] when the data cannot be charted.
pub fn pooled_chart(pooled: &PooledSeries, measure: &Measure) -> Result<ChartResult, SpcError> {
    compute(
        pooled_chart_type(measure.unit),
        &observations(&pooled.series),
        &with_baseline(options_for(measure), pooled.series.points().len()),
    )
}

/// Whether a series shows a signal of improvement from `from` on, against a baseline frozen at
/// the months before it.
///
/// `None` when there are fewer than `min_baseline` months before `from` or no month from it
/// on: too little data to tell. Otherwise `Some(true)` when a rule of [`RULES`] (a point beyond
/// the limits, a shift, a trend, two of three beyond two sigma) flags, in the improving
/// direction, a point in or after `from`.
///
/// # Errors
///
/// [`SpcError`] when the data cannot be charted.
pub fn improvement_after(
    series: &Series,
    measure: &Measure,
    from: YearMonth,
    min_baseline: usize,
) -> Result<Option<bool>, SpcError> {
    let points = series.points();
    let baseline = points.iter().filter(|p| p.month < from).count();
    if baseline < min_baseline.max(2) || baseline == points.len() {
        return Ok(None);
    }
    let options = options_for(measure).freeze(baseline);
    let chart = compute(chart_type(measure.unit), &observations(series), &options)?;
    // Signals count subgroups from 1: index `baseline` is the last baseline month.
    Ok(Some(chart.signals().iter().any(|s| {
        s.assessment == Some(Assessment::Improvement) && s.to > baseline
    })))
}

/// Whether a series, charted up to and including `month` against its first `baseline` months,
/// flags `month` itself as part of a signal of improvement. `None` without enough data.
///
/// # Errors
///
/// [`SpcError`] when the data cannot be charted.
pub fn improving_in(
    series: &Series,
    measure: &Measure,
    month: YearMonth,
    baseline: usize,
) -> Result<Option<bool>, SpcError> {
    let upto: Vec<_> = series
        .points()
        .iter()
        .filter(|p| p.month <= month)
        .copied()
        .collect();
    if upto.len() <= baseline.max(2) || upto.last().is_none_or(|p| p.month != month) {
        return Ok(None);
    }
    let observations = observations_of(&upto);
    let options = options_for(measure).freeze(baseline);
    let chart = compute(chart_type(measure.unit), &observations, &options)?;
    let last = upto.len();
    Ok(Some(chart.signals().iter().any(|s| {
        s.assessment == Some(Assessment::Improvement) && (s.from..=s.to).contains(&last)
    })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::tests::bp_control;

    fn series(m: &Measure, numerators: &[f64]) -> Series {
        let mut month: YearMonth = "2023-01".parse().unwrap();
        let points = numerators
            .iter()
            .map(|&n| {
                let p = DataPoint {
                    month,
                    numerator: n,
                    denominator: Some(100.0),
                };
                month = month.next();
                p
            })
            .collect();
        Series::new(m, points).unwrap()
    }

    #[test]
    fn units_pick_charts() {
        assert_eq!(chart_type(Unit::Proportion), ChartType::P);
        assert_eq!(chart_type(Unit::Rate), ChartType::U);
        assert_eq!(chart_type(Unit::Count), ChartType::C);
        assert_eq!(chart_type(Unit::Mean), ChartType::I);
        assert_eq!(chart_type(Unit::TimeBetweenEvents), ChartType::T);
        assert_eq!(chart_type(Unit::CasesBetweenEvents), ChartType::G);
    }

    #[test]
    fn a_lasting_rise_after_a_change_is_an_improvement_and_noise_is_not() {
        let m = bp_control();
        let baseline = [50.0, 52.0, 49.0, 51.0, 50.0, 48.0, 52.0, 50.0];
        let rise = [60.0, 62.0, 61.0, 63.0, 60.0, 64.0, 62.0, 63.0, 61.0];
        let flat = [51.0, 49.0, 50.0, 52.0, 48.0, 51.0, 50.0, 49.0, 52.0];
        let change: YearMonth = "2023-09".parse().unwrap();
        let improved = series(&m, &[&baseline[..], &rise[..]].concat());
        let same = series(&m, &[&baseline[..], &flat[..]].concat());
        assert_eq!(
            improvement_after(&improved, &m, change, 6).unwrap(),
            Some(true)
        );
        assert_eq!(
            improvement_after(&same, &m, change, 6).unwrap(),
            Some(false)
        );
        // A fall is not an improvement when higher is better.
        let fall: Vec<f64> = rise.iter().map(|v| 100.0 - *v).collect();
        let worse = series(&m, &[&baseline[..], &fall[..]].concat());
        assert_eq!(
            improvement_after(&worse, &m, change, 6).unwrap(),
            Some(false)
        );
        // Too little baseline.
        assert_eq!(
            improvement_after(&improved, &m, "2023-02".parse().unwrap(), 6).unwrap(),
            None
        );
        // The latest month of the rise is flagged; a baseline month is not.
        assert_eq!(
            improving_in(&improved, &m, "2024-05".parse().unwrap(), 8).unwrap(),
            Some(true)
        );
        assert_eq!(
            improving_in(&same, &m, "2024-05".parse().unwrap(), 8).unwrap(),
            Some(false)
        );
    }
}

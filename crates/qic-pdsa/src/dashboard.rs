//! The collaborative dashboard: how every team is doing, month by month.
//!
//! - assessment scores by team and month (a heat map), staff and self-assessed;
//! - each team's monthly reports: on time, late or missing;
//! - the share of teams whose measures show a signal of improvement, month by month;
//! - each team's aims, with progress computed from the data;
//! - the expected outcomes of the program (what most, some or all teams should achieve), met
//!   or not.

use chrono::NaiveDate;
use qic_equity::stratify::{Level, StratifiedCounts};
use qic_program::{AssessmentLevel, MonthDistribution, ProgressLog, Rater, TeamId, YearMonth};
use qic_spc::SpcError;
use serde::{Deserialize, Serialize};

use crate::aim::{Aim, AimData, AimError, AimProgress, AimStatus, Goal, Population};
use crate::charts::{improvement_after, improving_in};
use crate::collaborative::{Collaborative, TeamFolder};
use crate::measure::{Measure, MeasureKind, Tier};
use crate::monthly::{Timeliness, timeliness};
use crate::series::{DataPoint, Series};

pub use crate::charts::BASELINE_MONTHS;

/// How many teams an expected outcome is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Share {
    /// Every team.
    All,
    /// More than half of the teams.
    Most,
    /// At least one team.
    Some,
}

impl Share {
    /// Whether `meeting` of `teams` is enough.
    pub const fn is_met(self, meeting: usize, teams: usize) -> bool {
        match self {
            Self::All => teams > 0 && meeting == teams,
            Self::Most => 2 * meeting > teams,
            Self::Some => meeting >= 1,
        }
    }

    /// A human word.
    pub const fn label(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Most => "most",
            Self::Some => "some",
        }
    }
}

/// What a team must show for an expected outcome to count it, computed from its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// A signal of improvement on a required outcome measure after the baseline months.
    OutcomeImprovement,
    /// A signal of improvement on a required process measure after the baseline months.
    ProcessImprovement,
    /// An equity aim whose gap is narrower now than at baseline.
    GapNarrowed,
    /// An equity aim met.
    GapClosed,
    /// Stratified data for a measure, month after month (at least the baseline months): the
    /// capacity to measure equity gaps.
    StratifiedMonitoring,
}

impl Criterion {
    /// What the criterion asks, in words.
    pub const fn describe(self) -> &'static str {
        match self {
            Self::OutcomeImprovement => "a signal of improvement on a required outcome measure",
            Self::ProcessImprovement => "a signal of improvement on a required process measure",
            Self::GapNarrowed => "an equity gap narrower than at baseline",
            Self::GapClosed => "an equity aim met",
            Self::StratifiedMonitoring => "stratified data reported month after month",
        }
    }
}

/// An outcome the program expects of some, most or all teams.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedOutcome {
    /// The outcome in the program's words.
    pub statement: String,
    /// How many teams should achieve it.
    pub share: Share,
    /// How qic decides that a team did.
    pub criterion: Criterion,
}

/// The expected outcomes of the IHI Pursuing Equity Action Community, as its page states them,
/// each with the criterion qic computes for it.
pub fn pursuing_equity_expected_outcomes() -> Vec<ExpectedOutcome> {
    let outcome = |statement: &str, share, criterion| ExpectedOutcome {
        statement: statement.to_owned(),
        share,
        criterion,
    };
    vec![
        outcome(
            "Most teams see progress toward their clinical equity outcomes at the project level",
            Share::Most,
            Criterion::GapNarrowed,
        ),
        outcome(
            "Some teams begin to see progress on process measures",
            Share::Some,
            Criterion::ProcessImprovement,
        ),
        outcome(
            "Some teams see greater results, such as an improvement on an outcome measure",
            Share::Some,
            Criterion::OutcomeImprovement,
        ),
        outcome(
            "All teams build the capacity to measure equity results",
            Share::All,
            Criterion::StratifiedMonitoring,
        ),
        outcome(
            "All teams demonstrate the capability to close equity gaps",
            Share::All,
            Criterion::GapClosed,
        ),
    ]
}

/// An expected outcome, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeCheck {
    /// The outcome.
    pub outcome: ExpectedOutcome,
    /// The teams that achieved it, by name.
    pub teams_meeting: Vec<String>,
    /// Teams in the cohort.
    pub teams: usize,
    /// Whether enough teams did.
    pub met: bool,
}

/// A team's row of the dashboard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamRow {
    /// The team's name.
    pub team: String,
    /// Staff scores, one per month of [`Dashboard::months`].
    pub scores: Vec<Option<AssessmentLevel>>,
    /// Self-assessed scores, one per month.
    pub self_scores: Vec<Option<AssessmentLevel>>,
    /// Report status, one per month.
    pub reports: Vec<Timeliness>,
    /// Whether a required measure shows a signal of improvement in the month (`None`: too
    /// little data yet).
    pub improving: Vec<Option<bool>>,
    /// The team's aims and their progress (`None` where the data cannot say).
    pub aims: Vec<(Aim, Option<AimProgress>)>,
}

/// One month across the teams.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthSignals {
    /// The month.
    pub month: YearMonth,
    /// Teams with a signal of improvement on a required measure in the month.
    pub improving: usize,
    /// Teams with enough data to tell.
    pub judged: usize,
    /// `improving / judged`, when any team could be judged.
    pub share: Option<f64>,
}

/// The collaborative dashboard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The months, first to last.
    pub months: Vec<YearMonth>,
    /// One row per team.
    pub teams: Vec<TeamRow>,
    /// The distribution of staff scores month by month.
    pub distribution: Vec<MonthDistribution>,
    /// The share of teams improving, month by month.
    pub signals: Vec<MonthSignals>,
    /// The expected outcomes, checked.
    pub outcomes: Vec<OutcomeCheck>,
}

impl Dashboard {
    /// Computes the dashboard of a collaborative as of its settings' date, checking the
    /// expected outcomes its settings list.
    ///
    /// # Errors
    ///
    /// [`SpcError`] when a team's data cannot be charted (checked series always can).
    pub fn new(collaborative: &Collaborative) -> Result<Self, SpcError> {
        let as_of = collaborative.settings.as_of;
        Self::with_progress(collaborative, |team, aim| {
            aim_progress(team, aim, as_of).ok().flatten()
        })
    }

    /// Computes the dashboard with the aims' progress given by `progress` (`None` where it may
    /// not be shown): a shared report passes only the progress it may publish, so that the
    /// expected outcomes never count what a hidden count decided.
    ///
    /// # Errors
    ///
    /// [`SpcError`] when a team's data cannot be charted (checked series always can).
    pub fn with_progress(
        collaborative: &Collaborative,
        progress: impl Fn(&TeamFolder, &Aim) -> Option<AimProgress>,
    ) -> Result<Self, SpcError> {
        let expected = &collaborative.settings.expected_outcomes;
        let months = collaborative.months();
        let mut log = ProgressLog::default();
        for team in &collaborative.teams {
            for report in &team.reports {
                for score in report.scores(team.team.id) {
                    // Reports are unique per month (the folder refuses duplicates).
                    let _ = log.record(score);
                }
            }
        }
        let (first, last) = match (months.first(), months.last()) {
            (Some(f), Some(l)) => (*f, *l),
            _ => {
                return Ok(Self {
                    months,
                    teams: Vec::new(),
                    distribution: Vec::new(),
                    signals: Vec::new(),
                    outcomes: Vec::new(),
                });
            }
        };
        let mut rows = Vec::new();
        for team in &collaborative.teams {
            rows.push(team_row(
                team,
                &months,
                &log,
                (first, last),
                collaborative,
                &progress,
            )?);
        }
        let team_ids: Vec<TeamId> = collaborative.teams.iter().map(|t| t.team.id).collect();
        let distribution = log
            .distribution(&team_ids, Rater::Staff)
            .into_iter()
            .filter(|d| months.contains(&d.month))
            .collect();
        let signals = months
            .iter()
            .enumerate()
            .map(|(i, &month)| {
                let judged = rows
                    .iter()
                    .filter(|r| r.improving.get(i).copied().flatten().is_some())
                    .count();
                let improving = rows
                    .iter()
                    .filter(|r| r.improving.get(i).copied().flatten() == Some(true))
                    .count();
                MonthSignals {
                    month,
                    improving,
                    judged,
                    share: (judged > 0).then(|| improving as f64 / judged as f64),
                }
            })
            .collect();
        let mut outcomes = Vec::new();
        for outcome in expected {
            let mut teams_meeting = Vec::new();
            for (team, row) in collaborative.teams.iter().zip(&rows) {
                if meets(team, row, outcome.criterion)? {
                    teams_meeting.push(team.team.name.clone());
                }
            }
            let teams = collaborative.teams.len();
            outcomes.push(OutcomeCheck {
                met: outcome.share.is_met(teams_meeting.len(), teams),
                outcome: outcome.clone(),
                teams_meeting,
                teams,
            });
        }
        Ok(Self {
            months,
            teams: rows,
            distribution,
            signals,
            outcomes,
        })
    }
}

fn team_row(
    team: &TeamFolder,
    months: &[YearMonth],
    log: &ProgressLog,
    (first, last): (YearMonth, YearMonth),
    collaborative: &Collaborative,
    progress: &impl Fn(&TeamFolder, &Aim) -> Option<AimProgress>,
) -> Result<TeamRow, SpcError> {
    let as_of = collaborative.settings.as_of;
    let score_of = |rater| {
        let series = log.team_series(team.team.id, rater);
        months
            .iter()
            .map(|m| series.iter().find(|(sm, _)| sm == m).map(|(_, l)| *l))
            .collect()
    };
    let reports = timeliness(
        &team.reports,
        first,
        last,
        collaborative.settings.reports,
        as_of,
    )
    .into_iter()
    .map(|(_, t)| t)
    .collect();
    let mut improving = Vec::with_capacity(months.len());
    for &month in months {
        let mut state = None;
        for measure in team.measures.iter().filter(|m| m.tier == Tier::Required) {
            let Some(series) = team.series.get(&measure.key) else {
                continue;
            };
            match improving_in(series, measure, month, BASELINE_MONTHS)? {
                Some(true) => {
                    state = Some(true);
                    break;
                }
                Some(false) => state = Some(false),
                None => {}
            }
        }
        improving.push(state);
    }
    let aims = team
        .aims
        .iter()
        .map(|aim| (aim.clone(), progress(team, aim)))
        .collect();
    Ok(TeamRow {
        team: team.team.name.clone(),
        scores: score_of(Rater::Staff),
        self_scores: score_of(Rater::SelfAssessment),
        reports,
        improving,
        aims,
    })
}

fn meets(team: &TeamFolder, row: &TeamRow, criterion: Criterion) -> Result<bool, SpcError> {
    let improvement_on = |kind: MeasureKind| -> Result<bool, SpcError> {
        // Only the program's required measures: every team reports them, and a chance signal
        // among many optional measures would count a team whose work shows no change.
        for measure in team
            .measures
            .iter()
            .filter(|m| m.kind == kind && m.tier == Tier::Required)
        {
            let Some(series) = team.series.get(&measure.key) else {
                continue;
            };
            let Some(after_baseline) = series.points().get(BASELINE_MONTHS).map(|p| p.month) else {
                continue;
            };
            if improvement_after(series, measure, after_baseline, BASELINE_MONTHS)? == Some(true) {
                return Ok(true);
            }
        }
        Ok(false)
    };
    let equity_aims = || {
        row.aims
            .iter()
            .filter(|(aim, _)| matches!(aim.goal, Goal::CloseGap { .. }))
            .filter_map(|(_, progress)| progress.as_ref())
    };
    Ok(match criterion {
        Criterion::OutcomeImprovement => improvement_on(MeasureKind::Outcome)?,
        Criterion::ProcessImprovement => improvement_on(MeasureKind::Process)?,
        Criterion::GapNarrowed => {
            equity_aims().any(|p| p.share_of_the_way.is_some_and(|s| s > 0.0))
        }
        Criterion::GapClosed => equity_aims().any(|p| p.status == AimStatus::Met),
        Criterion::StratifiedMonitoring => team
            .strata
            .values()
            .any(|counts| periods(counts) >= BASELINE_MONTHS),
    })
}

fn periods(counts: &StratifiedCounts) -> usize {
    let mut periods: Vec<_> = counts.cells().map(|(p, _, _)| p).collect();
    periods.dedup();
    periods.len()
}

/// Progress toward one of a team's aims, from its data: the whole series for a level aim for
/// everyone, a stratum's series (from the stratified data) for a level aim for a group, the
/// group's and the reference group's series for an equity aim.
///
/// `Ok(None)` when the data the aim needs are not there (no series, no stratified data, or no
/// such group).
///
/// # Errors
///
/// [`AimError`] when the data do not fit the aim.
pub fn aim_progress(
    team: &TeamFolder,
    aim: &Aim,
    as_of: NaiveDate,
) -> Result<Option<AimProgress>, AimError> {
    let Some(measure) = team.measure(&aim.measure) else {
        return Ok(None);
    };
    match (&aim.goal, &aim.population) {
        (Goal::Reach { .. }, Population::All) => match team.series.get(&aim.measure) {
            Some(series) => aim
                .progress(measure, AimData::Level(series), as_of)
                .map(Some),
            None => Ok(None),
        },
        (Goal::Reach { .. }, Population::Stratum { group, .. }) => {
            match stratum_series(team, measure, group) {
                Some(series) => aim
                    .progress(measure, AimData::Level(&series), as_of)
                    .map(Some),
                None => Ok(None),
            }
        }
        (
            Goal::CloseGap {
                group, reference, ..
            },
            _,
        ) => match (
            stratum_series(team, measure, group),
            stratum_series(team, measure, reference),
        ) {
            (Some(g), Some(r)) => aim
                .progress(
                    measure,
                    AimData::Gap {
                        group: &g,
                        reference: &r,
                    },
                    as_of,
                )
                .map(Some),
            _ => Ok(None),
        },
    }
}

/// One group's monthly series of a stratified measure, from the team's stratified counts.
///
/// The group is matched by its code (`black_or_african_american`) or its label ("Black or
/// African American"), ignoring case. The counts are not suppressed: this is for computing
/// (aim progress), not for publishing.
pub fn stratum_series(team: &TeamFolder, measure: &Measure, group: &str) -> Option<Series> {
    let counts = team.strata.get(&measure.key)?;
    let stratifiers = counts.stratifiers();
    let wanted = group.trim().to_lowercase();
    let points: Vec<DataPoint> = counts
        .cells()
        .filter(|(_, stratum, _)| {
            stratum.0.len() == 1
                && stratum
                    .0
                    .iter()
                    .all(|level| matches!(level, Level::Value(_)))
                && (stratum.0.iter().any(|l| l.code().to_lowercase() == wanted)
                    || stratum.label(stratifiers).to_lowercase() == wanted)
        })
        .filter_map(|(period, _, c)| {
            Some(DataPoint {
                month: crate::month::of_period(period)?,
                numerator: c.numerator as f64,
                denominator: measure
                    .unit
                    .has_denominator()
                    .then_some(c.denominator as f64),
            })
        })
        .collect();
    if points.is_empty() {
        return None;
    }
    Series::new(measure, points).ok()
}

//! The collaborative report as a value: every number, chart, table and warning it shows.
//!
//! [`Report::build`] does all the analysis once: which counts may be published
//! ([`publish::Publication`], the one step every count passes through), the teams that need
//! attention, the dashboard, the harvest and each team's section. The formats only lay it out:
//! `html::render` (feature `html`) and [`crate::text::render`] read a [`Report`] and compute
//! nothing, and `qic report --format json` writes it as it is.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # #[cfg(feature = "folder")] {
//! # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/collaborative");
//! use qic_pdsa::Collaborative;
//! use qic_pdsa::report::Report;
//!
//! let report = Report::build(&Collaborative::load(dir)?)?;
//! assert_eq!(report.teams.len(), 2);
//! assert_eq!(report.attention.len(), 2);
//! let text = qic_pdsa::text::render(&report);
//! assert!(text.contains("Which teams need attention"));
//! # }
//! # Ok(())
//! # }
//! ```

pub mod attention;
pub mod publish;

use chrono::NaiveDate;
use qic_equity::disparity::{DisparityReport, RatePolarity, Reference};
use qic_equity::stratify::{StratifiedTable, StratifierKind, Stratum};
use qic_equity::suppression::Suppression;
use qic_program::{AssessmentLevel, YearMonth};
use qic_spc::{
    Assurance, ChartOptions, ChartResult, ChartType, ImprovementDirection, Observation,
    SignalRules, Variation, compute,
};
use serde::Serialize;

use crate::aim::{Aim, AimProgress, AimStatus, Goal};
use crate::charts::{
    BASELINE_MONTHS, MarkerKind, MeasureChart, RULES, options_for, pooled_chart, team_chart,
    with_baseline,
};
use crate::collaborative::{Collaborative, FolderWarning, TeamFolder};
use crate::cycle::{ActDecision, Phase, PredictionsMet, ramps};
use crate::dashboard::{Dashboard, MonthSignals, OutcomeCheck, aim_progress, stratum_series};
use crate::error::PdsaError;
use crate::harvest::{Harvest, harvest};
use crate::key::Key;
use crate::measure::{Measure, Polarity, Tier, Unit};
use crate::month;
use crate::monthly::{Timeliness, timeliness};
use crate::text::{is_group_named, signal_summary};

use self::attention::Attention;
use self::publish::Publication;

/// The collaborative report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The report's title.
    pub title: String,
    /// The program's name.
    pub program: String,
    /// The program's sponsor.
    pub sponsor: String,
    /// The cohort reported on.
    pub cohort: String,
    /// The day the report is as of.
    pub as_of: NaiveDate,
    /// The months covered, first to last.
    pub months: Vec<YearMonth>,
    /// The small-cell suppression every count went through.
    pub suppression: Suppression,
    /// Team-months of measures whose counts are hidden (charted as gaps).
    pub suppressed_team_months: usize,
    /// The disclosure audit the pooled totals passed, beside the team-months shown (`None`
    /// with suppression off, or no pooled measure).
    pub disclosure_audit: Option<qic_equity::disclosure::AuditStamp>,
    /// The rule set of every chart.
    pub rules: SignalRules,
    /// Months of each chart's frozen baseline.
    pub baseline_months: usize,
    /// Days after a month's end its report is due.
    pub reports_due_days: u32,
    /// Everything worth a look that did not stop the folder's load.
    pub warnings: Vec<FolderWarning>,
    /// Every team, the ones that need attention most first.
    pub attention: Vec<Attention>,
    /// The collaborative across teams.
    pub dashboard: DashboardSection,
    /// The change ideas across teams, most promising first.
    pub harvest: Harvest,
    /// One section per team, in folder order.
    pub teams: Vec<TeamSection>,
}

/// A chart and what the report says about it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChartView {
    /// A prefix for the ids of its elements, unique in the report.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The y axis, in the measure's unit.
    pub y_label: String,
    /// The month of each point.
    pub months: Vec<YearMonth>,
    /// Months charted as gaps because their counts may not be published.
    pub hidden: Vec<YearMonth>,
    /// Numbered markers (changes adopted or abandoned, sessions).
    pub markers: Vec<ChartMarker>,
    /// Months where a new phase starts.
    pub phase_starts: Vec<YearMonth>,
    /// What its signals say, in words.
    pub signals: String,
    /// The Making Data Count variation icon (from the last point).
    pub variation: Option<Variation>,
    /// The Making Data Count assurance icon (when the measure has a target).
    pub assurance: Option<Assurance>,
    /// The chart.
    pub chart: ChartResult,
}

/// A marker of a chart with its number in the key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChartMarker {
    /// Its number on the chart; `None` when it falls outside the months charted.
    pub number: Option<usize>,
    /// The month it is drawn at.
    pub month: YearMonth,
    /// The day it happened.
    pub date: NaiveDate,
    /// What it stands for.
    pub kind: MarkerKind,
    /// What happened.
    pub label: String,
}

/// A team named in a table, with the anchor of its section.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TeamRef {
    /// The team's name.
    pub name: String,
    /// The id of its section.
    pub anchor: String,
}

/// The dashboard: the collaborative across teams.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DashboardSection {
    /// Assessment scores by team and month.
    pub scores: Vec<ScoreRow>,
    /// Per month, teams scored 3.0 (modest improvement) or above, and teams in all.
    pub at_or_above: Vec<(usize, usize)>,
    /// Report status by team and month.
    pub reports: Vec<ReportRow>,
    /// Teams with a signal of improvement, month by month.
    pub signals: Vec<MonthSignals>,
    /// Each required measure for every team, and pooled.
    pub required: Vec<RequiredMeasure>,
    /// The expected outcomes, checked.
    pub outcomes: Vec<OutcomeCheck>,
    /// Every team's aims.
    pub aims: Vec<AimRow>,
}

/// A team's assessment scores, one per month of the report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScoreRow {
    /// The team.
    pub team: TeamRef,
    /// Faculty scores (the score of record).
    pub faculty: Vec<Option<AssessmentLevel>>,
    /// The team's own scores.
    pub self_assessed: Vec<Option<AssessmentLevel>>,
}

/// A team's monthly reports, one status per month.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportRow {
    /// The team.
    pub team: TeamRef,
    /// Each month's status.
    pub statuses: Vec<Timeliness>,
}

/// A required measure across teams.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RequiredMeasure {
    /// The measure.
    pub measure: Measure,
    /// The y range every team's panel shares.
    pub y_range: Option<(f64, f64)>,
    /// One panel per team.
    pub panels: Vec<TeamPanel>,
    /// The measure pooled across teams.
    pub pooled: Pooled,
}

/// One team's small chart of a measure.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TeamPanel {
    /// The team.
    pub team: TeamRef,
    /// Its chart; `None` when it has no data for the measure.
    pub chart: Option<ChartView>,
    /// Its latest published value and month.
    pub latest: Option<(YearMonth, f64)>,
}

/// A measure pooled across teams.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Pooled {
    /// The pooled chart.
    Chart {
        /// The chart.
        chart: Box<ChartView>,
        /// Teams pooled each month, in the chart's order.
        teams: Vec<usize>,
        /// Months left out because not every team's count was reported and published.
        left_out: Vec<YearMonth>,
    },
    /// No pooled chart, and why.
    NotPooled {
        /// The reason.
        reason: String,
    },
}

/// An aim's progress as a shared output may show it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SharedProgress {
    /// Progress computed from figures that may be shared.
    Shown(AimProgress),
    /// A month it pools is hidden by small-cell suppression: its figures would be built on a
    /// hidden count.
    Hidden,
    /// The data the aim needs are not there (no series, no stratified data, or no such group).
    NoData,
    /// The aim cannot be judged as written.
    Invalid {
        /// Why, naming the field.
        reason: String,
    },
}

impl SharedProgress {
    /// The progress, when shown.
    pub fn shown(&self) -> Option<&AimProgress> {
        match self {
            Self::Shown(p) => Some(p),
            _ => None,
        }
    }
}

/// One aim of a team, with its progress.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AimRow {
    /// The team.
    pub team: TeamRef,
    /// The aim.
    pub aim: Aim,
    /// The measure's name.
    pub measure_name: String,
    /// Its progress.
    pub progress: SharedProgress,
    /// The progress in words, in the measure's units.
    pub words: String,
}

/// A team's section.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TeamSection {
    /// The team.
    pub team: TeamRef,
    /// Its organization.
    pub organization: String,
    /// Its folder under `teams/`.
    pub folder: String,
    /// Its cycles in all.
    pub cycle_count: usize,
    /// Its reports in all.
    pub report_count: usize,
    /// Its aims.
    pub aims: Vec<AimRow>,
    /// Its measures, each with its chart.
    pub measures: Vec<MeasureSection>,
    /// Its stratified measures.
    pub equity: Vec<EquitySection>,
    /// Its PDSA cycles, in plan order.
    pub cycles: Vec<CycleRow>,
    /// Its ramps.
    pub ramps: Vec<RampRow>,
    /// Every month of the report, with the team's report if it came.
    pub reports: Vec<MonthRow>,
}

/// One of a team's measures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MeasureSection {
    /// The measure.
    pub measure: Measure,
    /// Its chart; `None` without data.
    pub chart: Option<ChartView>,
    /// The latest published value and its month.
    pub latest: Option<(YearMonth, f64)>,
}

/// A stratified measure of a team: groups charted, the suppressed table, gaps to a reference.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EquitySection {
    /// A unique id.
    pub id: String,
    /// The measure.
    pub measure: Measure,
    /// The dimensions it is stratified by, in words.
    pub dimensions: String,
    /// The suppressed table.
    pub table: StratifiedTable,
    /// The y range every group's panel shares.
    pub y_range: Option<(f64, f64)>,
    /// One panel per group.
    pub groups: Vec<GroupPanel>,
    /// Group-months with records.
    pub group_months: usize,
    /// Of those, group-months suppressed.
    pub hidden_group_months: usize,
    /// The gap of each group to the reference.
    pub gap: GapSection,
}

/// One group's chart of a stratified measure.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupPanel {
    /// The group's label.
    pub group: String,
    /// Months of the group with records.
    pub months: usize,
    /// Of those, months published.
    pub published: usize,
    /// Its chart; `None` when fewer than [`MIN_CHARTED_MONTHS`] months are published (every
    /// month, when the group's counts are all small).
    pub chart: Option<ChartView>,
}

/// The fewest published months a group's chart or gap needs (a baseline's worth): with fewer
/// the chart says little, and the table holds those months.
pub const MIN_CHARTED_MONTHS: usize = BASELINE_MONTHS;

/// The gaps of a stratified measure's groups to a reference group.
///
/// A gap is how much worse the group does than the reference, in the measure's units (for a
/// percentage, percentage points): above zero the group does worse, below zero better. Aims
/// use the same sign, so "close the gap to 5 points" reads against the same numbers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GapSection {
    /// The reference group, if any group has a published total.
    pub reference: Option<String>,
    /// Why it was chosen.
    pub why: String,
    /// The gap's units.
    pub units: String,
    /// Each group's gap as a run chart, months where both are published.
    pub panels: Vec<(String, ChartView)>,
    /// Groups with fewer than [`MIN_CHARTED_MONTHS`] months where both are published, and how
    /// many: not charted.
    pub too_few: Vec<(String, usize)>,
}

/// One PDSA cycle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CycleRow {
    /// Its key.
    pub key: Key,
    /// The cycle it follows.
    pub follows: Option<Key>,
    /// Its change idea's title.
    pub idea: String,
    /// What it sets out to learn.
    pub objective: String,
    /// Its scale.
    pub scale: String,
    /// The plan's date.
    pub planned: NaiveDate,
    /// How far it got.
    pub phase: Phase,
    /// Whether its predictions were met, once studied.
    pub predictions_met: Option<PredictionsMet>,
    /// Its decision and the day, once acted on.
    pub decision: Option<(ActDecision, NaiveDate)>,
}

/// A ramp of cycles.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RampRow {
    /// The change idea's title.
    pub idea: String,
    /// The cycles and their scales, in order.
    pub steps: Vec<(Key, String)>,
    /// The latest decision.
    pub latest: Option<ActDecision>,
}

/// A month of a team's reports.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MonthRow {
    /// The month.
    pub month: YearMonth,
    /// Its report's status.
    pub status: Timeliness,
    /// When the report was sent.
    pub submitted: Option<NaiveDate>,
    /// The faculty score.
    pub faculty: Option<AssessmentLevel>,
    /// The team's own score.
    pub self_assessed: Option<AssessmentLevel>,
    /// The cycles run in the month.
    pub cycles: Vec<Key>,
    /// The team's narrative.
    pub narrative: String,
}

impl Report {
    /// Builds the report of a collaborative as of its settings' date.
    ///
    /// # Errors
    ///
    /// [`PdsaError::Chart`] when a team's data cannot be charted (checked series always can),
    /// and [`PdsaError::Equity`] when a stratified table cannot be compared (which a table
    /// built from a folder always can).
    pub fn build(collaborative: &Collaborative) -> Result<Self, PdsaError> {
        let publication = Publication::decide(collaborative);
        // From here on, team-month counts come only from the published collaborative.
        let published = publication.published(collaborative);
        let builder = Builder {
            raw: collaborative,
            c: &published,
            publication: &publication,
        };
        let teams = published
            .teams
            .iter()
            .zip(&collaborative.teams)
            .map(|(team, raw)| builder.team(team, raw))
            .collect::<Result<Vec<_>, _>>()?;
        let dashboard = builder.dashboard(&teams)?;
        let attention = attention::rank(&published, &dashboard, &teams);
        Ok(Self {
            title: collaborative.settings.title.clone(),
            program: collaborative.program.name().to_owned(),
            sponsor: collaborative.program.sponsor().name.clone(),
            cohort: collaborative.settings.cohort.clone(),
            as_of: collaborative.settings.as_of,
            months: collaborative.months(),
            suppression: publication.suppression(),
            suppressed_team_months: publication.hidden_count(),
            disclosure_audit: publication.stamp(),
            rules: RULES,
            baseline_months: BASELINE_MONTHS,
            reports_due_days: collaborative.settings.reports.due_days_after_month_end,
            warnings: collaborative.warnings.clone(),
            attention,
            dashboard,
            harvest: harvest(&published)?,
            teams,
        })
    }

    /// The section of a team, by anchor.
    pub fn team(&self, anchor: &str) -> Option<&TeamSection> {
        self.teams.iter().find(|t| t.team.anchor == anchor)
    }
}

struct Builder<'a> {
    /// The collaborative as read (stratified counts for the suppressed tables, aims' data).
    raw: &'a Collaborative,
    /// The collaborative with only published team-month counts.
    c: &'a Collaborative,
    publication: &'a Publication,
}

impl Builder<'_> {
    fn dashboard(&self, teams: &[TeamSection]) -> Result<DashboardSection, PdsaError> {
        let shown = |team: &TeamFolder, aim: &Aim| {
            let raw = self.raw.teams.iter().find(|t| t.folder == team.folder)?;
            match self.shared_progress(raw, aim) {
                SharedProgress::Shown(p) => Some(p),
                _ => None,
            }
        };
        let dashboard = Dashboard::with_progress(self.c, shown)?;
        let refs: Vec<TeamRef> = self.c.teams.iter().map(team_ref).collect();
        let scores = dashboard
            .teams
            .iter()
            .zip(&refs)
            .map(|(row, team)| ScoreRow {
                team: team.clone(),
                faculty: row.scores.clone(),
                self_assessed: row.self_scores.clone(),
            })
            .collect();
        let at_or_above = dashboard
            .months
            .iter()
            .map(|month| {
                dashboard
                    .distribution
                    .iter()
                    .find(|d| d.month == *month)
                    .map_or((0, dashboard.teams.len()), |d| {
                        (
                            d.at_or_above(AssessmentLevel::ModestImprovement),
                            d.scored + d.unscored,
                        )
                    })
            })
            .collect();
        let reports = dashboard
            .teams
            .iter()
            .zip(&refs)
            .map(|(row, team)| ReportRow {
                team: team.clone(),
                statuses: row.reports.clone(),
            })
            .collect();
        let mut required = Vec::new();
        for measure in self
            .c
            .settings
            .measures
            .iter()
            .filter(|m| m.tier == Tier::Required)
        {
            required.push(self.required(measure, teams)?);
        }
        Ok(DashboardSection {
            scores,
            at_or_above,
            reports,
            signals: dashboard.signals,
            required,
            outcomes: dashboard.outcomes,
            aims: teams.iter().flat_map(|t| t.aims.iter().cloned()).collect(),
        })
    }

    fn required(
        &self,
        measure: &Measure,
        teams: &[TeamSection],
    ) -> Result<RequiredMeasure, PdsaError> {
        let panels: Vec<TeamPanel> = teams
            .iter()
            .map(|t| TeamPanel {
                team: t.team.clone(),
                chart: t
                    .measures
                    .iter()
                    .find(|m| m.measure.key == measure.key)
                    .and_then(|m| m.chart.clone())
                    .map(|mut chart| {
                        chart.id = format!("all-{}-{}", measure.key, t.team.anchor);
                        chart.title.clone_from(&t.team.name);
                        chart
                    }),
                latest: t
                    .measures
                    .iter()
                    .find(|m| m.measure.key == measure.key)
                    .and_then(|m| m.latest),
            })
            .collect();
        let y_range = shared_range(panels.iter().filter_map(|p| p.chart.as_ref()));
        let pooled = match self.publication.pooled(&measure.key) {
            Some(pooled) => {
                let chart = pooled_chart(pooled, measure)?;
                let months = pooled.series.points().iter().map(|p| p.month).collect();
                Pooled::Chart {
                    chart: Box::new(view(
                        format!("pooled-{}", measure.key),
                        format!("{}: all teams pooled", measure.name),
                        measure,
                        months,
                        Vec::new(),
                        chart,
                    )),
                    teams: pooled.teams.clone(),
                    left_out: pooled.left_out.clone(),
                }
            }
            None => Pooled::NotPooled {
                reason: if matches!(measure.unit, Unit::Proportion | Unit::Rate | Unit::Count) {
                    "no team has data for this measure, or its counts are not whole numbers \
                     (the disclosure audit that a pooled total needs is over whole counts)"
                        .to_owned()
                } else {
                    "a mean or a time between events does not pool by summing across teams"
                        .to_owned()
                },
            },
        };
        Ok(RequiredMeasure {
            measure: measure.clone(),
            y_range,
            panels,
            pooled,
        })
    }

    fn team(&self, team: &TeamFolder, raw: &TeamFolder) -> Result<TeamSection, PdsaError> {
        let reference = team_ref(team);
        let aims = raw
            .aims
            .iter()
            .map(|aim| {
                let progress = self.shared_progress(raw, aim);
                let measure = raw.measure(&aim.measure);
                AimRow {
                    team: reference.clone(),
                    aim: aim.clone(),
                    measure_name: measure
                        .map_or_else(|| aim.measure.to_string(), |m| m.name.clone()),
                    words: crate::text::progress_words(measure, aim, &progress),
                    progress,
                }
            })
            .collect();
        let mut measures = Vec::new();
        let schedule = self.c.program.schedule();
        for measure in &team.measures {
            let hidden = self.publication.hidden_months(raw, &measure.key);
            let chart = team_chart(team, measure, schedule, &self.c.settings.cohort, &hidden)?;
            let latest = team.series.get(&measure.key).and_then(|s| {
                let p = s.points().last()?;
                Some((p.month, p.value()? * measure.multiplier))
            });
            measures.push(MeasureSection {
                measure: measure.clone(),
                chart: chart.map(|c| {
                    measure_view(
                        format!("m-{}-{}", reference.anchor, measure.key),
                        measure.name.clone(),
                        measure,
                        c,
                    )
                }),
                latest,
            });
        }
        let mut equity = Vec::new();
        for key in raw.strata.keys() {
            if let (Some(measure), Some(table)) =
                (raw.measure(key), self.publication.table(raw, key))
            {
                equity.push(equity_section(raw, measure, table.clone(), &reference)?);
            }
        }
        let (cycles, ramps) = cycle_rows(team);
        let reports = self.month_rows(team);
        Ok(TeamSection {
            team: reference,
            organization: team.team.organization.name.clone(),
            folder: team.folder.clone(),
            cycle_count: team.cycles.cycles.len(),
            report_count: team.reports.len(),
            aims,
            measures,
            equity,
            cycles,
            ramps,
            reports,
        })
    }

    /// Every month of the report with the team's report, if it came.
    fn month_rows(&self, team: &TeamFolder) -> Vec<MonthRow> {
        let months = self.c.months();
        match (months.first(), months.last()) {
            (Some(&first), Some(&last)) => timeliness(
                &team.reports,
                first,
                last,
                self.c.settings.reports,
                self.c.settings.as_of,
            )
            .into_iter()
            .map(|(month, status)| {
                let report = team.reports.iter().find(|r| r.month == month);
                MonthRow {
                    month,
                    status,
                    submitted: report.map(|r| r.submitted),
                    faculty: report.and_then(|r| r.faculty_assessment),
                    self_assessed: report.and_then(|r| r.self_assessment),
                    cycles: report.map(|r| r.cycles.clone()).unwrap_or_default(),
                    narrative: report.map(|r| r.narrative.clone()).unwrap_or_default(),
                }
            })
            .collect(),
            _ => Vec::new(),
        }
    }

    /// Progress toward a team's aim for a shared output: computed from the data, and hidden
    /// when any month it pools is hidden (a team-month of its measure, or a group's cell of the
    /// suppressed table for an aim judged on stratified data).
    fn shared_progress(&self, team: &TeamFolder, aim: &Aim) -> SharedProgress {
        let progress = match aim_progress(team, aim, self.c.settings.as_of) {
            Ok(Some(p)) => p,
            Ok(None) => return SharedProgress::NoData,
            Err(e) => {
                return SharedProgress::Invalid {
                    reason: e.to_string(),
                };
            }
        };
        let Some(measure) = team.measure(&aim.measure) else {
            return SharedProgress::NoData;
        };
        let groups = aim_groups(aim);
        if groups.is_empty() {
            let Some(series) = team.series.get(&aim.measure) else {
                return SharedProgress::NoData;
            };
            let Some(windows) = aim.windows(series) else {
                return SharedProgress::NoData;
            };
            let pooled_hidden = series.points().iter().any(|p| {
                in_windows(&windows, p.month)
                    && self.publication.is_hidden(team, &aim.measure, p.month)
            });
            return if pooled_hidden {
                SharedProgress::Hidden
            } else {
                SharedProgress::Shown(progress)
            };
        }
        let Some(table) = self.publication.table(team, &aim.measure) else {
            return SharedProgress::NoData;
        };
        for group in groups {
            let Some(series) = stratum_series(team, measure, group) else {
                return SharedProgress::NoData;
            };
            let Some(windows) = aim.windows(&series) else {
                return SharedProgress::NoData;
            };
            for p in series.points() {
                if in_windows(&windows, p.month) && !is_published(table, p.month, group) {
                    return SharedProgress::Hidden;
                }
            }
        }
        SharedProgress::Shown(progress)
    }
}

/// A team's cycles in plan order, and its ramps.
fn cycle_rows(team: &TeamFolder) -> (Vec<CycleRow>, Vec<RampRow>) {
    let log = &team.cycles;
    let title = |key: &Key| {
        log.change_ideas
            .iter()
            .find(|i| &i.key == key)
            .map_or_else(|| key.to_string(), |i| i.title.clone())
    };
    let mut cycles: Vec<&crate::cycle::Cycle> = log.cycles.iter().collect();
    cycles.sort_by(|a, b| (a.plan.date, &a.key).cmp(&(b.plan.date, &b.key)));
    let cycles = cycles
        .into_iter()
        .map(|c| CycleRow {
            key: c.key.clone(),
            follows: c.follows.clone(),
            idea: title(&c.change_idea),
            objective: c.plan.objective.clone(),
            scale: c.scale.to_string(),
            planned: c.plan.date,
            phase: c.phase(),
            predictions_met: c.study.as_ref().map(|s| s.predictions_met),
            decision: c.act.as_ref().map(|a| (a.decision, a.date)),
        })
        .collect();
    let ramps = ramps(log)
        .into_iter()
        .map(|r| RampRow {
            idea: title(&r.change_idea),
            steps: r
                .cycles
                .iter()
                .zip(&r.scales)
                .map(|(k, s)| (k.clone(), s.to_string()))
                .collect(),
            latest: r.latest_decision,
        })
        .collect();
    (cycles, ramps)
}

fn in_windows(windows: &[(YearMonth, YearMonth); 2], month: YearMonth) -> bool {
    windows
        .iter()
        .any(|(first, last)| (*first..=*last).contains(&month))
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
        (Goal::Reach { .. }, crate::aim::Population::Stratum { group, .. }) => {
            vec![group.as_str()]
        }
        (Goal::Reach { .. }, crate::aim::Population::All) => Vec::new(),
    }
}

/// Whether the table publishes the cell of `group` in `month`.
fn is_published(table: &StratifiedTable, month: YearMonth, group: &str) -> bool {
    let Some(period) = month::period(month) else {
        return false;
    };
    table.cells.iter().any(|c| {
        c.period == period
            && is_group_named(&c.stratum, &table.stratifiers, group)
            && !c.estimate.suppressed
    })
}

fn team_ref(team: &TeamFolder) -> TeamRef {
    TeamRef {
        name: team.team.name.clone(),
        anchor: format!("team-{}", slug(&team.folder)),
    }
}

/// Lowercase letters, digits and dashes: an id for anchors and SVG elements.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

/// The y axis of a measure's charts, in its unit: `Percent`, `Rate per 1000`, `Days`.
pub fn y_label(measure: &Measure) -> String {
    let m = measure.multiplier;
    match measure.unit {
        Unit::Proportion if (m - 100.0).abs() < f64::EPSILON => "Percent".to_owned(),
        Unit::Proportion => "Proportion".to_owned(),
        Unit::Rate if m > 1.0 => format!("Rate per {}", crate::text::short_number(m)),
        Unit::Rate => "Rate".to_owned(),
        Unit::Count => "Count".to_owned(),
        Unit::Mean | Unit::TimeBetweenEvents | Unit::CasesBetweenEvents
            if measure.unit_label.is_some() =>
        {
            sentence(measure.unit_label.as_deref().unwrap_or_default())
        }
        Unit::Mean => "Value".to_owned(),
        Unit::TimeBetweenEvents => "Time between events".to_owned(),
        Unit::CasesBetweenEvents => "Cases between events".to_owned(),
    }
}

/// The units of a gap: percentage points for a percentage.
pub fn gap_units(measure: &Measure) -> String {
    match measure.unit {
        Unit::Proportion if (measure.multiplier - 100.0).abs() < f64::EPSILON => {
            "percentage points".to_owned()
        }
        _ => y_label(measure).to_lowercase(),
    }
}

fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn view(
    id: String,
    title: String,
    measure: &Measure,
    months: Vec<YearMonth>,
    hidden: Vec<YearMonth>,
    chart: ChartResult,
) -> ChartView {
    // A chart whose every month is hidden says so, and claims no variation.
    let published = chart.points().any(|p| p.y.is_some());
    let mdc = chart.making_data_count().filter(|_| published);
    ChartView {
        id,
        title,
        y_label: y_label(measure),
        months,
        hidden,
        markers: Vec::new(),
        phase_starts: Vec::new(),
        signals: if published {
            signal_summary(&chart)
        } else {
            "no published value: every month suppressed (small numbers)".to_owned()
        },
        variation: mdc.map(|m| m.variation),
        assurance: mdc.and_then(|m| m.assurance),
        chart,
    }
}

/// A team's measure chart with its markers numbered: one number per month that has markers,
/// so that events of one month share a label and labels never sit on each other; events
/// outside the months charted are listed without a number.
fn measure_view(id: String, title: String, measure: &Measure, chart: MeasureChart) -> ChartView {
    let first = chart.months.first().copied();
    let last = chart.months.last().copied();
    let mut markers = Vec::new();
    let mut numbered: Vec<YearMonth> = Vec::new();
    for marker in &chart.markers {
        let month = YearMonth::of(marker.date);
        let inside = first.is_some_and(|f| month >= f) && last.is_some_and(|l| month <= l);
        let number = inside.then(|| {
            if numbered.last() != Some(&month) && !numbered.contains(&month) {
                numbered.push(month);
            }
            numbered
                .iter()
                .position(|m| *m == month)
                .map_or(0, |i| i + 1)
        });
        markers.push(ChartMarker {
            number,
            month,
            date: marker.date,
            kind: marker.kind,
            label: marker.label.clone(),
        });
    }
    let mut v = view(id, title, measure, chart.months, chart.hidden, chart.chart);
    v.markers = markers;
    v.phase_starts = chart.phase_starts;
    v
}

/// A y range that holds every chart's values, limits and target.
fn shared_range<'a>(charts: impl Iterator<Item = &'a ChartView>) -> Option<(f64, f64)> {
    let mut range: Option<(f64, f64)> = None;
    let mut take = |v: Option<f64>| {
        if let Some(v) = v.filter(|v| v.is_finite()) {
            range = Some(range.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))));
        }
    };
    for chart in charts {
        for p in chart.chart.points() {
            take(p.y);
            take(p.lcl);
            take(p.ucl);
        }
        take(chart.chart.target());
    }
    range.map(|(lo, hi)| {
        if (hi - lo).abs() < f64::EPSILON {
            (lo - 1.0, hi + 1.0)
        } else {
            let pad = (hi - lo) * 0.04;
            (lo - pad, hi + pad)
        }
    })
}

fn equity_section(
    team: &TeamFolder,
    measure: &Measure,
    table: StratifiedTable,
    reference_team: &TeamRef,
) -> Result<EquitySection, PdsaError> {
    let dimensions = table
        .stratifiers
        .iter()
        .map(|s| match s.kind {
            StratifierKind::Dimension(d) => {
                let label = d.label();
                let mut chars = label.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_lowercase().chain(chars).collect()
                })
            }
            StratifierKind::Column => s.name.replace('_', " "),
        })
        .collect::<Vec<_>>()
        .join(" and ");
    let id = format!("{}-{}", reference_team.anchor, measure.key);
    let groups: Vec<Stratum> = table
        .stratum_totals
        .iter()
        .map(|s| s.stratum.clone())
        .filter(Stratum::is_group)
        .collect();
    let (panels, group_months, hidden_group_months) = group_panels(measure, &table, &groups, &id)?;
    let y_range = shared_range(panels.iter().filter_map(|p| p.chart.as_ref()));
    let gap = gaps(team, measure, &table, &groups, &id)?;
    Ok(EquitySection {
        id,
        measure: measure.clone(),
        dimensions,
        table,
        y_range,
        groups: panels,
        group_months,
        hidden_group_months,
        gap,
    })
}

/// Each group's chart of a stratified measure from the published cells, and the group-months
/// with records and hidden.
fn group_panels(
    measure: &Measure,
    table: &StratifiedTable,
    groups: &[Stratum],
    id: &str,
) -> Result<(Vec<GroupPanel>, usize, usize), PdsaError> {
    let kind = match measure.unit {
        Unit::Proportion => ChartType::P,
        Unit::Rate => ChartType::U,
        _ => ChartType::C,
    };
    let periods: Vec<_> = table.period_totals.iter().map(|p| p.period).collect();
    let (mut group_months, mut hidden_group_months) = (0, 0);
    let mut panels = Vec::new();
    for (i, group) in groups.iter().enumerate() {
        let mut months = Vec::new();
        let mut hidden = Vec::new();
        let mut observations = Vec::new();
        for period in &periods {
            let Some(m) = month::of_period(*period) else {
                continue;
            };
            let cell = table
                .cells
                .iter()
                .find(|c| c.period == *period && &c.stratum == group);
            let published = cell.map(|c| c.estimate).filter(|e| !e.suppressed);
            if cell.is_some() {
                group_months += 1;
                if published.is_none() {
                    hidden_group_months += 1;
                    hidden.push(m);
                }
            }
            // A suppressed or absent month is a missing value: a gap, never a point.
            let y = published.and_then(|e| e.numerator).map(|n| n as f64);
            let observation = Observation::new(month::x(m), y);
            observations.push(if kind == ChartType::C {
                observation
            } else {
                let n = published
                    .and_then(|e| e.denominator)
                    .map_or(f64::NAN, |d| d as f64);
                observation.with_denominator(Some(n))
            });
            months.push(m);
        }
        let label = table.stratum_label(group);
        let with_records = months.len();
        let published = observations.iter().filter(|o| o.y.is_some()).count();
        let chart = if published < MIN_CHARTED_MONTHS {
            None
        } else {
            let chart = compute(
                kind,
                &observations,
                &with_baseline(options_for(measure), observations.len()),
            )?;
            Some(view(
                format!("eq-{id}-{}", i + 1),
                label.clone(),
                measure,
                months,
                hidden,
                chart,
            ))
        };
        panels.push(GroupPanel {
            group: label,
            months: with_records,
            published,
            chart,
        });
    }
    Ok((panels, group_months, hidden_group_months))
}

fn gaps(
    team: &TeamFolder,
    measure: &Measure,
    table: &StratifiedTable,
    groups: &[Stratum],
    id: &str,
) -> Result<GapSection, PdsaError> {
    let units = gap_units(measure);
    let (reference, why) = choose_reference(team, measure, table, groups);
    let Some(reference) = reference else {
        return Ok(GapSection {
            reference: None,
            why,
            units,
            panels: Vec::new(),
            too_few: Vec::new(),
        });
    };
    let direction = match measure.direction {
        Polarity::Up => RatePolarity::HigherIsBetter,
        Polarity::Down => RatePolarity::LowerIsBetter,
    };
    let report =
        DisparityReport::new(table, &reference, direction).map_err(|e| PdsaError::Equity {
            source: Box::new(e),
        })?;
    let reference_label = report
        .periods
        .iter()
        .find_map(|p| p.reference.as_ref())
        .map_or_else(|| "the reference".to_owned(), |s| table.stratum_label(s));
    let mut panels = Vec::new();
    let mut too_few = Vec::new();
    for (i, gap) in report
        .gaps
        .iter()
        .filter(|g| !g.points.is_empty())
        .enumerate()
    {
        if gap.points.len() < MIN_CHARTED_MONTHS {
            too_few.push((table.stratum_label(&gap.group), gap.points.len()));
            continue;
        }
        let mut months = Vec::new();
        let mut observations = Vec::new();
        for p in &gap.points {
            let Some(m) = month::of_period(p.period) else {
                continue;
            };
            // The rate difference is group minus reference; the gap is how much worse the
            // group does, in the measure's units.
            let worse_by = -p.value * measure.direction.sign() * measure.multiplier;
            observations.push(Observation::new(month::x(m), worse_by));
            months.push(m);
        }
        let chart = compute(
            ChartType::Run,
            &observations,
            &ChartOptions::default()
                .rules(RULES)
                .direction(ImprovementDirection::Decrease),
        )?;
        let label = format!("{} vs {reference_label}", table.stratum_label(&gap.group));
        let mdc = chart.making_data_count();
        panels.push((
            label.clone(),
            ChartView {
                id: format!("gap-{id}-{}", i + 1),
                title: label,
                y_label: format!("Gap, {units}"),
                months,
                hidden: Vec::new(),
                markers: Vec::new(),
                phase_starts: Vec::new(),
                signals: signal_summary(&chart),
                variation: mdc.map(|m| m.variation),
                assurance: mdc.and_then(|m| m.assurance),
                chart,
            },
        ));
    }
    Ok(GapSection {
        reference: Some(reference_label),
        why,
        units,
        panels,
        too_few,
    })
}

/// The reference group of a team's gap series and why: the reference group of the team's
/// equity aim on the measure if the data have it, else qic-equity's choice of the largest
/// group ([`Reference::Largest`]).
fn choose_reference(
    team: &TeamFolder,
    measure: &Measure,
    table: &StratifiedTable,
    groups: &[Stratum],
) -> (Option<Reference>, String) {
    let any_published = table
        .stratum_totals
        .iter()
        .any(|s| s.stratum.is_group() && s.estimate.denominator.is_some());
    let largest = any_published.then_some(Reference::Largest);
    let aim = team.aims.iter().find_map(|a| match &a.goal {
        Goal::CloseGap { reference, .. } if a.measure == measure.key => Some((a, reference)),
        _ => None,
    });
    match aim {
        Some((aim, reference)) => {
            match groups
                .iter()
                .find(|s| is_group_named(s, &table.stratifiers, reference))
            {
                Some(s) => (
                    Some(Reference::Group(s.clone())),
                    format!("the reference group of aim {}", aim.key),
                ),
                None => (
                    largest,
                    format!(
                        "the largest group: the reference group of aim {}, {}, has no records",
                        aim.key, reference
                    ),
                ),
            }
        }
        None => (
            largest,
            "the largest group; the team has no equity aim on this measure".to_owned(),
        ),
    }
}

/// An aim's status, when shown.
pub fn status_of(progress: &SharedProgress) -> Option<AimStatus> {
    progress.shown().map(|p| p.status)
}

//! The collaborative report: one self-contained HTML page (feature `html`).
//!
//! The page carries everything inline: the stylesheet, and every chart as SVG drawn by qic-spc
//! with its `<title>` and `<desc>`. It needs no script, font or stylesheet from anywhere, opens
//! from a file, and prints with each team on its own pages.
//!
//! What it shows, in order:
//!
//! 1. a header: the report's title, the program and its sponsor, the cohort, the as-of date, the
//!    teams and the months covered;
//! 2. every warning from reading the folder (none is dropped);
//! 3. the dashboard: assessment scores by team and month (faculty and self-assessed), monthly
//!    reports on time, late or missing, the share of teams with a signal of improvement month by
//!    month, each required measure for all teams as small multiples on one scale, the measure
//!    pooled across teams, the expected outcomes met or not, and every aim's progress;
//! 4. the harvest of change ideas, most promising first;
//! 5. a section per team: its aims with progress computed from the data, each measure's chart
//!    annotated with adopted changes and learning sessions, each stratified measure as small
//!    multiples by group with the suppressed table and the gap to a reference group, its PDSA
//!    cycles and ramps, and its monthly reports with their narratives.
//!
//! **Small cells.** Every number that comes from stratified (patient-level) data goes through
//! qic-equity's suppressed table: a month whose count for a group is from 1 to the folder's
//! threshold (10 by default) shows as "suppressed" in the table and as a gap in the charts, and
//! gaps between groups are computed from published cells only. Aims judged on stratified data
//! show progress only when every month they pool is published
//! ([`shared_aim_progress`]). The teams' own monthly measure data are program-level counts and
//! are shown as they are.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/collaborative");
//! use qic_pdsa::Collaborative;
//!
//! let collaborative = Collaborative::load(dir)?;
//! let page = qic_pdsa::html::render(&collaborative)?;
//! assert!(page.starts_with("<!DOCTYPE html>"));
//! assert!(page.contains("<h2 id=\"dashboard\">Dashboard</h2>"));
//! assert!(!page.contains("<script"));
//! # Ok(())
//! # }
//! ```

use std::fmt::Write as _;

use qic_equity::disparity::{DisparityReport, RatePolarity as GapDirection, Reference};
use qic_equity::period::Period;
use qic_equity::stratify::{Estimate, StratifiedCounts, StratifiedTable, StratifierKind, Stratum};
use qic_equity::suppression::{Reliability, Suppression};
use qic_program::{AssessmentLevel, YearMonth};
use qic_spc::svg::{self, Annotation, Panel, SvgOptions, render_grid};
use qic_spc::{ChartOptions, ChartResult, ChartType, Date, Observation, X, compute};

use crate::aim::{AimStatus, Goal};
use crate::charts::{
    MeasureChart, chart_type, month_x, observations, options_for, pooled_chart_type, pooled_series,
    spc_direction, team_chart,
};
use crate::collaborative::{Collaborative, TeamFolder};
use crate::cycle::{ActDecision, PredictionsMet, ramps};
use crate::dashboard::{Dashboard, MonthSignals, Share};
use crate::error::PdsaError;
use crate::harvest::harvest;
use crate::measure::{Measure, Polarity, Tier, Unit};
use crate::monthly::{Timeliness, timeliness};
use crate::text::{
    SharedProgress, is_group_named, measure_value, phase_words, progress_words,
    shared_aim_progress, short_number, signal_summary, status_words, timeliness_words,
};

/// Width of full-width charts, in pixels; the page's text column is a little wider.
const CHART_WIDTH: u32 = 880;
/// Height of one row of small multiples.
const GRID_ROW_HEIGHT: u32 = 190;
/// Panels per row of small multiples.
const GRID_COLUMNS: usize = 3;

/// Renders a collaborative as one self-contained HTML page.
///
/// # Errors
///
/// [`PdsaError::Chart`] when a team's data cannot be charted (checked series always can), and
/// [`PdsaError::Equity`] when a stratified table cannot be compared (which a table built from a
/// folder always can).
pub fn render(collaborative: &Collaborative) -> Result<String, PdsaError> {
    let page = Page {
        c: collaborative,
        suppression: collaborative.suppression(),
        months: collaborative.months(),
    };
    let dashboard = Dashboard::new(collaborative)?;
    let mut out = String::with_capacity(64 * 1024);
    page.head(&mut out);
    out.push_str("<body>\n<div class=\"page\">\n");
    page.masthead(&mut out);
    page.contents(&mut out);
    out.push_str("<main>\n");
    page.warnings(&mut out);
    page.dashboard(&mut out, &dashboard)?;
    page.harvest(&mut out)?;
    for team in &collaborative.teams {
        page.team(&mut out, team)?;
    }
    out.push_str("</main>\n");
    page.footer(&mut out);
    out.push_str("</div>\n</body>\n</html>\n");
    Ok(out)
}

struct Page<'a> {
    c: &'a Collaborative,
    suppression: Suppression,
    months: Vec<YearMonth>,
}

impl Page<'_> {
    fn head(&self, out: &mut String) {
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"qic {}\">\n<title>{} · {}, as of {}</title>\n\
             <style>\n{STYLE}</style>\n</head>\n",
            env!("CARGO_PKG_VERSION"),
            esc(&self.c.settings.title),
            esc(&self.c.settings.cohort),
            self.c.settings.as_of
        );
    }

    fn masthead(&self, out: &mut String) {
        let program = &self.c.program;
        let first = self.months.first().map(|m| month_label(*m));
        let last = self.months.last().map(|m| month_label(*m));
        let months = match (first, last) {
            (Some(f), Some(l)) => format!("{f} to {l} ({} months)", self.months.len()),
            _ => "none".to_owned(),
        };
        let teams: Vec<String> = self
            .c
            .teams
            .iter()
            .map(|t| format!("<a href=\"#{}\">{}</a>", team_anchor(t), esc(&t.team.name)))
            .collect();
        let _ = write!(
            out,
            "<header class=\"masthead\">\n<p class=\"eyebrow\">Collaborative report</p>\n\
             <h1>{}</h1>\n<dl class=\"facts\">\n\
             <dt>Program</dt><dd>{} <span class=\"muted\">({})</span></dd>\n\
             <dt>Cohort</dt><dd>{}</dd>\n\
             <dt>As of</dt><dd>{}</dd>\n\
             <dt>Teams</dt><dd>{}: {}</dd>\n\
             <dt>Months</dt><dd>{}</dd>\n</dl>\n</header>\n",
            esc(&self.c.settings.title),
            esc(program.name()),
            esc(&program.sponsor().name),
            esc(&self.c.settings.cohort),
            date_label(self.c.settings.as_of),
            self.c.teams.len(),
            if teams.is_empty() {
                "none".to_owned()
            } else {
                teams.join(", ")
            },
            months
        );
    }

    fn contents(&self, out: &mut String) {
        out.push_str(
            "<nav class=\"toc\" aria-label=\"Contents\">\n<ol>\n\
             <li><a href=\"#warnings\">Warnings</a></li>\n\
             <li><a href=\"#dashboard\">Dashboard</a></li>\n\
             <li><a href=\"#harvest\">Harvest</a></li>\n",
        );
        for t in &self.c.teams {
            let _ = writeln!(
                out,
                "<li><a href=\"#{}\">{}</a></li>",
                team_anchor(t),
                esc(&t.team.name)
            );
        }
        out.push_str("</ol>\n</nav>\n");
    }

    fn warnings(&self, out: &mut String) {
        let warnings = &self.c.warnings;
        let _ = writeln!(
            out,
            "<section class=\"warnings{}\" aria-labelledby=\"warnings\">\n\
             <h2 id=\"warnings\">Warnings ({})</h2>",
            if warnings.is_empty() { " none" } else { "" },
            warnings.len()
        );
        if warnings.is_empty() {
            out.push_str("<p>None: every file in the folder was read and used.</p>\n");
        } else {
            out.push_str(
                "<p>Found while reading the folder. Nothing below was left out in silence: \
                 each item says what was done.</p>\n<ul>\n",
            );
            for w in warnings {
                let _ = writeln!(
                    out,
                    "<li><code>{}</code>: {}</li>",
                    esc(&w.path.display().to_string()),
                    esc(&w.message)
                );
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</section>\n");
    }

    fn dashboard(&self, out: &mut String, dashboard: &Dashboard) -> Result<(), PdsaError> {
        out.push_str(
            "<section aria-labelledby=\"dashboard\">\n<h2 id=\"dashboard\">Dashboard</h2>\n",
        );
        Self::scores(out, dashboard);
        self.report_grid(out, dashboard);
        Self::signal_share(out, &dashboard.signals);
        out.push_str("<h3>Required measures</h3>\n");
        out.push_str(LEGEND);
        let required: Vec<&Measure> = self
            .c
            .settings
            .measures
            .iter()
            .filter(|m| m.tier == Tier::Required)
            .collect();
        if required.is_empty() {
            out.push_str("<p class=\"muted\">The program requires no measure of every team.</p>\n");
        }
        for measure in required {
            let _ = writeln!(out, "<h4>{}</h4>", esc(&measure.name));
            self.all_teams_grid(out, measure)?;
            self.pooled(out, measure)?;
        }
        Self::outcomes(out, dashboard);
        self.all_aims(out);
        out.push_str("</section>\n");
        Ok(())
    }

    fn scores(out: &mut String, dashboard: &Dashboard) {
        out.push_str(
            "<h3>Assessment scores</h3>\n<table class=\"heat\">\n<caption>Faculty score on the \
             IHI Assessment Scale (0.5 to 5.0; the colour), with the team's self-assessment \
             below it. A hatched cell has no faculty score.</caption>\n",
        );
        month_header(out, &dashboard.months, "Team");
        out.push_str("<tbody>\n");
        for row in &dashboard.teams {
            let _ = write!(out, "<tr><th scope=\"row\">{}</th>", esc(&row.team));
            for (i, month) in dashboard.months.iter().enumerate() {
                let staff = row.scores.get(i).copied().flatten();
                let own = row.self_scores.get(i).copied().flatten();
                let own_text = own.map_or_else(
                    || "<span class=\"self\">self –</span>".to_owned(),
                    |l| format!("<span class=\"self\">self {:.1}</span>", l.score()),
                );
                match staff {
                    Some(level) => {
                        let bg = heat_colour(level);
                        let _ = write!(
                            out,
                            "<td style=\"background:{bg};color:{}\" title=\"{}: {}\"><span class=\"score\">{:.1}</span>{own_text}</td>",
                            text_on(bg),
                            month_label(*month),
                            esc(level.default_label()),
                            level.score()
                        );
                    }
                    None => {
                        let _ = write!(
                            out,
                            "<td class=\"none\"><span class=\"score\">–</span><span class=\"sr-only\">no faculty score</span>{own_text}</td>"
                        );
                    }
                }
            }
            out.push_str("</tr>\n");
        }
        // How many teams were at 3.0 (modest improvement) or above each month.
        let _ = write!(
            out,
            "<tr class=\"total\"><th scope=\"row\">At 3.0 or above</th>"
        );
        for month in &dashboard.months {
            let cell = dashboard
                .distribution
                .iter()
                .find(|d| d.month == *month)
                .map_or_else(
                    || format!("0 of {}", dashboard.teams.len()),
                    |d| {
                        format!(
                            "{} of {}",
                            d.at_or_above(AssessmentLevel::ModestImprovement),
                            d.scored + d.unscored
                        )
                    },
                );
            let _ = write!(out, "<td>{cell}</td>");
        }
        out.push_str("</tr>\n</tbody>\n</table>\n");
        // The scale's key.
        out.push_str(
            "<ul class=\"scale\" aria-label=\"Colour key of the scores\"><li class=\"key\">Score</li>",
        );
        for level in AssessmentLevel::ALL {
            let bg = heat_colour(level);
            let _ = write!(
                out,
                "<li style=\"background:{bg};color:{}\" title=\"{}\">{:.1}</li>",
                text_on(bg),
                esc(level.default_label()),
                level.score()
            );
        }
        out.push_str("</ul>\n");
    }

    fn report_grid(&self, out: &mut String, dashboard: &Dashboard) {
        let due = self.c.settings.reports.due_days_after_month_end;
        let _ = writeln!(
            out,
            "<h3>Monthly reports</h3>\n<table class=\"grid\">\n<caption>Each team's monthly \
             report: due {due} days after the month ends; as of {}. \u{2713} on time, +N d late \
             by N days, \u{2717} missing, \u{00B7} not yet due.</caption>",
            date_label(self.c.settings.as_of)
        );
        month_header(out, &dashboard.months, "Team");
        out.push_str("<tbody>\n");
        for row in &dashboard.teams {
            let _ = write!(out, "<tr><th scope=\"row\">{}</th>", esc(&row.team));
            for status in &row.reports {
                let _ = write!(out, "<td>{}</td>", timeliness_badge(*status, true));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }

    fn signal_share(out: &mut String, signals: &[MonthSignals]) {
        let _ = writeln!(
            out,
            "<h3>Teams with a signal of improvement</h3>\n<figure>\n{}<figcaption>Share of \
             teams whose required measures show a signal of improvement in the month, against \
             a baseline of their first {} months; a team with fewer months of data is not \
             judged yet.</figcaption>\n</figure>",
            signals_svg(signals),
            crate::dashboard::BASELINE_MONTHS
        );
    }

    fn all_teams_grid(&self, out: &mut String, measure: &Measure) -> Result<(), PdsaError> {
        let schedule = self.c.program.schedule();
        let mut charts: Vec<(String, ChartResult)> = Vec::new();
        for team in &self.c.teams {
            match team_chart(team, measure, schedule, &self.c.settings.cohort)? {
                Some(mc) => charts.push((team.team.name.clone(), mc.chart)),
                None => charts.push((
                    format!("{} (no data)", team.team.name),
                    // An empty run chart: the panel keeps its place and says "no data".
                    compute(ChartType::Run, &[], &ChartOptions::default())?,
                )),
            }
        }
        if charts.is_empty() {
            out.push_str("<p class=\"muted\">No team is enrolled.</p>\n");
            return Ok(());
        }
        let panels: Vec<Panel<'_>> = charts
            .iter()
            .map(|(title, chart)| Panel { title, chart })
            .collect();
        let svg = render_grid(
            &panels,
            GRID_COLUMNS,
            &grid_options(
                &format!("{}: every team", measure.name),
                panels.len(),
                &format!("all-{}", measure.key),
            ),
        );
        let _ = writeln!(
            out,
            "<figure>\n{svg}<figcaption>{} per team on one scale ({}), with each team's \
             phases. {}</figcaption>\n</figure>",
            chart_type(measure.unit).title(),
            y_label(measure),
            charts
                .iter()
                .map(|(t, c)| format!("{}: {}.", esc(t), esc(&signal_summary(c))))
                .collect::<Vec<_>>()
                .join(" ")
        );
        Ok(())
    }

    fn pooled(&self, out: &mut String, measure: &Measure) -> Result<(), PdsaError> {
        let Some(pooled) = pooled_series(&self.c.teams, measure) else {
            let _ = writeln!(
                out,
                "<p class=\"muted\">No pooled chart: {}</p>",
                if matches!(measure.unit, Unit::Proportion | Unit::Rate | Unit::Count) {
                    "no team has data for this measure."
                } else {
                    "a mean or a time between events does not pool by summing across teams."
                }
            );
            return Ok(());
        };
        let chart = compute(
            pooled_chart_type(measure.unit),
            &observations(&pooled.series),
            &options_for(measure),
        )?;
        let svg = svg::render(
            &chart,
            &SvgOptions::default()
                .title(format!("{}: all teams pooled", measure.name))
                .y_label(y_label(measure))
                .size(CHART_WIDTH, 280)
                .id(format!("pooled-{}", measure.key)),
        );
        let months: Vec<YearMonth> = pooled.series.points().iter().map(|p| p.month).collect();
        let mut caption = format!(
            "Numerators and denominators summed over the teams reporting each month ({}); {}{}. {}.",
            team_runs(&months, &pooled.teams),
            chart.chart().title(),
            if matches!(
                chart.chart(),
                qic_spc::ChartType::Pp | qic_spc::ChartType::Up
            ) {
                " (Laney's adjustment widens the limits by the variation between months that \
                 summing teams adds)"
            } else {
                ""
            },
            esc(&sentence(&signal_summary(&chart)))
        );
        if !pooled.left_out.is_empty() {
            let _ = write!(
                caption,
                " Left out because not every team reported them: {}.",
                pooled
                    .left_out
                    .iter()
                    .map(|m| month_label(*m))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let _ = writeln!(
            out,
            "<figure>\n{svg}<figcaption>{caption}</figcaption>\n</figure>"
        );
        Ok(())
    }

    fn outcomes(out: &mut String, dashboard: &Dashboard) {
        out.push_str("<h3>Expected outcomes</h3>\n");
        if dashboard.outcomes.is_empty() {
            out.push_str(
                "<p class=\"muted\">The collaborative file lists no expected outcomes.</p>\n",
            );
            return;
        }
        out.push_str(
            "<table>\n<caption>What the program expects of its teams, checked against their \
             data.</caption>\n<thead><tr><th scope=\"col\">Outcome</th><th scope=\"col\">Expected \
             of</th><th scope=\"col\">Teams meeting it</th><th scope=\"col\">Met</th></tr></thead>\n<tbody>\n",
        );
        for check in &dashboard.outcomes {
            let share = match check.outcome.share {
                Share::All => "all teams",
                Share::Most => "most teams",
                Share::Some => "some teams",
            };
            let teams = if check.teams_meeting.is_empty() {
                "none".to_owned()
            } else {
                check
                    .teams_meeting
                    .iter()
                    .map(|t| esc(t))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let _ = writeln!(
                out,
                "<tr><td>{}<br><span class=\"muted small\">Counted as: {}</span></td><td>{share}</td>\
                 <td>{teams} <span class=\"muted\">({} of {})</span></td><td>{}</td></tr>",
                esc(&check.outcome.statement),
                check.outcome.criterion.describe(),
                check.teams_meeting.len(),
                check.teams,
                if check.met {
                    "<span class=\"badge ok\">met</span>"
                } else {
                    "<span class=\"badge missing\">not met</span>"
                }
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }

    fn all_aims(&self, out: &mut String) {
        out.push_str("<h3>Aims</h3>\n");
        let aims: Vec<(&TeamFolder, &crate::aim::Aim)> = self
            .c
            .teams
            .iter()
            .flat_map(|t| t.aims.iter().map(move |a| (t, a)))
            .collect();
        if aims.is_empty() {
            out.push_str("<p class=\"muted\">No team has recorded an aim.</p>\n");
            return;
        }
        out.push_str(
            "<table>\n<caption>Every team's aims, with progress computed from its data: the \
             baseline pools the first months, the current value the latest three.</caption>\n\
             <thead><tr><th scope=\"col\">Team</th><th scope=\"col\">Aim</th><th scope=\"col\">By</th>\
             <th scope=\"col\">Progress</th><th scope=\"col\">Status</th></tr></thead>\n<tbody>\n",
        );
        for (team, aim) in aims {
            let progress = shared_aim_progress(team, aim, &self.suppression, self.c.settings.as_of);
            let _ = writeln!(
                out,
                "<tr><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                team_anchor(team),
                esc(&team.team.name),
                esc(&aim.statement),
                date_label(aim.by),
                progress_cell(team.measure(&aim.measure), aim, &progress),
                status_badge(&progress)
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }

    fn harvest(&self, out: &mut String) -> Result<(), PdsaError> {
        let harvest = harvest(self.c)?;
        let _ = writeln!(
            out,
            "<section aria-labelledby=\"harvest\">\n<h2 id=\"harvest\">Harvest</h2>\n<p>The change \
             ideas the teams tested ({} in all), most promising first: ranked by the \
             teams where adopting the idea was followed by a signal of improvement on a linked \
             measure, then by the teams adopting it and the teams testing it.</p>",
            plural(harvest.cycles, "cycle")
        );
        if harvest.ideas.is_empty() {
            out.push_str("<p class=\"muted\">No cycle has been recorded yet.</p>\n</section>\n");
            return Ok(());
        }
        out.push_str(
            "<table class=\"harvest\">\n<caption>Change ideas across teams. Cycles end in adopt, \
             adapt or abandon, or have no decision yet; \"not judged\" counts teams that adopted \
             the idea with too few months of data before or after it to tell.</caption>\n<thead><tr>\
             <th scope=\"col\" class=\"num\">#</th><th scope=\"col\">Change idea <span class=\"muted\">and portfolio</span></th>\
             <th scope=\"col\">Teams testing</th>\
             <th scope=\"col\" class=\"num\">Cycles</th><th scope=\"col\" class=\"num\">Adopt</th>\
             <th scope=\"col\" class=\"num\">Adapt</th><th scope=\"col\" class=\"num\">Abandon</th>\
             <th scope=\"col\" class=\"num\">Undecided</th><th scope=\"col\" class=\"num\">Teams adopting</th>\
             <th scope=\"col\" class=\"num\">Teams improving</th><th scope=\"col\" class=\"num\">Not judged</th>\
             </tr></thead>\n<tbody>\n",
        );
        for (rank, idea) in harvest.ideas.iter().enumerate() {
            let _ = writeln!(
                out,
                "<tr><td class=\"num\">{}</td><td>{}{}<br><span class=\"muted small\">{}</span></td><td>{}</td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\"><strong>{}</strong></td><td class=\"num\">{}</td></tr>",
                rank + 1,
                esc(&idea.title),
                if idea.from_change_package {
                    " <span class=\"badge info\">change package</span>"
                } else {
                    ""
                },
                idea.portfolio
                    .map_or_else(|| "no portfolio".to_owned(), |p| esc(p.label())),
                idea.teams
                    .iter()
                    .map(|t| esc(t))
                    .collect::<Vec<_>>()
                    .join(", "),
                idea.cycles,
                idea.adopted,
                idea.adapted,
                idea.abandoned,
                idea.undecided,
                idea.teams_adopting,
                idea.teams_improving,
                idea.teams_not_judged
            );
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
        Ok(())
    }

    fn team(&self, out: &mut String, team: &TeamFolder) -> Result<(), PdsaError> {
        let anchor = team_anchor(team);
        let _ = writeln!(
            out,
            "<section class=\"team\" aria-labelledby=\"{anchor}\">\n<h2 id=\"{anchor}\">{}</h2>\n\
             <p class=\"lede\">{} · folder <code>teams/{}</code> · {} · {} · {}</p>",
            esc(&team.team.name),
            esc(&team.team.organization.name),
            esc(&team.folder),
            plural(team.measures.len(), "measure"),
            plural(team.cycles.cycles.len(), "cycle"),
            plural(team.reports.len(), "report")
        );
        self.team_aims(out, team);
        out.push_str("<h3>Measures</h3>\n");
        out.push_str(LEGEND);
        for measure in &team.measures {
            self.team_measure(out, team, measure)?;
        }
        for (key, counts) in &team.strata {
            if let Some(measure) = team.measure(key) {
                self.equity(out, team, measure, counts)?;
            }
        }
        Self::cycles(out, team);
        self.reports(out, team);
        out.push_str("</section>\n");
        Ok(())
    }

    fn team_aims(&self, out: &mut String, team: &TeamFolder) {
        out.push_str("<h3>Aims</h3>\n");
        if team.aims.is_empty() {
            out.push_str("<p class=\"muted\">No aim recorded in team.toml.</p>\n");
            return;
        }
        out.push_str(
            "<table>\n<caption>Aims and progress computed from the data.</caption>\n<thead><tr>\
             <th scope=\"col\">Aim</th><th scope=\"col\">Measure</th><th scope=\"col\">By</th>\
             <th scope=\"col\">Progress</th><th scope=\"col\">Status</th></tr></thead>\n<tbody>\n",
        );
        for aim in &team.aims {
            let progress = shared_aim_progress(team, aim, &self.suppression, self.c.settings.as_of);
            let measure = team.measure(&aim.measure);
            let _ = writeln!(
                out,
                "<tr><td>{}<br><span class=\"muted small\">{}</span></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&aim.statement),
                esc(aim.key.as_str()),
                esc(measure.map_or(aim.measure.as_str(), |m| m.name.as_str())),
                date_label(aim.by),
                progress_cell(measure, aim, &progress),
                status_badge(&progress)
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }

    fn team_measure(
        &self,
        out: &mut String,
        team: &TeamFolder,
        measure: &Measure,
    ) -> Result<(), PdsaError> {
        let _ = writeln!(
            out,
            "<h4>{}</h4>\n<p class=\"meta\">{} measure · {} · {} ({} chart) · {} is better{}</p>\n\
             <p class=\"definition\"><strong>Numerator:</strong> {}{} · <strong>Source:</strong> {}</p>",
            esc(&measure.name),
            measure.kind.label(),
            match measure.tier {
                Tier::Required => "required by the program",
                Tier::Menu => "chosen from the program's menu",
                Tier::TeamDefined => "defined by the team",
            },
            measure.unit.label(),
            chart_type(measure.unit).name(),
            match measure.direction {
                Polarity::Up => "higher",
                Polarity::Down => "lower",
            },
            measure.target.map_or_else(String::new, |t| format!(
                " · target {}",
                esc(&measure_value(measure, t))
            )),
            esc(&measure.definition.numerator),
            measure
                .definition
                .denominator
                .as_ref()
                .map_or_else(String::new, |d| format!(
                    " · <strong>Denominator:</strong> {}",
                    esc(d)
                )),
            esc(&measure.definition.data_source)
        );
        let schedule = self.c.program.schedule();
        let Some(chart) = team_chart(team, measure, schedule, &self.c.settings.cohort)? else {
            out.push_str("<p class=\"muted\">No data yet for this measure.</p>\n");
            return Ok(());
        };
        measure_figure(out, team, measure, &chart);
        Ok(())
    }

    fn equity(
        &self,
        out: &mut String,
        team: &TeamFolder,
        measure: &Measure,
        counts: &StratifiedCounts,
    ) -> Result<(), PdsaError> {
        let table = counts.table(&self.suppression, &Reliability::default());
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
        let id = format!("{}-{}", slug(&team.folder), measure.key);
        let _ = writeln!(
            out,
            "<section class=\"equity\" aria-labelledby=\"eq-{id}\">\n<h3 id=\"eq-{id}\">Equity: {} by {}</h3>\n\
             <p class=\"note\">From patient-level records. {} Gaps are computed from published cells only.</p>",
            esc(&measure.name),
            esc(&dimensions),
            suppression_sentence(&self.suppression)
        );
        let groups: Vec<&Stratum> = table
            .stratum_totals
            .iter()
            .map(|s| &s.stratum)
            .filter(|s| s.is_group())
            .collect();
        let periods: Vec<Period> = table.period_totals.iter().map(|p| p.period).collect();
        group_multiples(out, measure, &table, &groups, &periods, &id)?;
        stratified_table(out, measure, &table, &periods);
        Self::gaps(out, team, measure, &table, &groups, &id)?;
        out.push_str("</section>\n");
        Ok(())
    }

    fn gaps(
        out: &mut String,
        team: &TeamFolder,
        measure: &Measure,
        table: &StratifiedTable,
        groups: &[&Stratum],
        id: &str,
    ) -> Result<(), PdsaError> {
        let (reference, why) = choose_reference(team, measure, table, groups);
        let Some(reference) = reference else {
            out.push_str(
                "<p class=\"muted\">No gap series: no group has a published total to compare \
                 with.</p>\n",
            );
            return Ok(());
        };
        let reference_label = table.stratum_label(&reference);
        let direction = match measure.direction {
            Polarity::Up => GapDirection::HigherIsBetter,
            Polarity::Down => GapDirection::LowerIsBetter,
        };
        let report =
            DisparityReport::new(table, &Reference::Group(reference), direction).map_err(|e| {
                PdsaError::Equity {
                    source: Box::new(e),
                }
            })?;
        let mut charts: Vec<(String, ChartResult)> = Vec::new();
        for gap in report.gaps.iter().filter(|g| !g.points.is_empty()) {
            let obs: Vec<Observation> = gap
                .points
                .iter()
                .filter_map(|p| {
                    let month = YearMonth::new(p.period.year(), p.period.month()).ok()?;
                    Some(Observation::new(
                        month_x(month),
                        p.value * measure.multiplier,
                    ))
                })
                .collect();
            let chart = compute(
                ChartType::Run,
                &obs,
                &ChartOptions::default().direction(spc_direction(measure.direction)),
            )?;
            charts.push((
                format!("{} − {}", table.stratum_label(&gap.group), reference_label),
                chart,
            ));
        }
        let _ = writeln!(
            out,
            "<h4>Gap to {}</h4>\n<p class=\"note\">Reference: {} ({why}). The gap is the group's \
             rate minus the reference's, in {}; {}.</p>",
            esc(&reference_label),
            esc(&reference_label),
            gap_units(measure),
            match measure.direction {
                Polarity::Up => "below zero the group does worse",
                Polarity::Down => "above zero the group does worse",
            }
        );
        if charts.is_empty() {
            out.push_str(
                "<p class=\"muted\">No month has both a group and the reference published, so \
                 no gap can be shown without revealing a small cell.</p>\n",
            );
            return Ok(());
        }
        let panels: Vec<Panel<'_>> = charts
            .iter()
            .map(|(title, chart)| Panel { title, chart })
            .collect();
        let svg = render_grid(
            &panels,
            GRID_COLUMNS,
            &grid_options(
                &format!("Gap to {reference_label}, {}", gap_units(measure)),
                panels.len(),
                &format!("gap-{id}"),
            ),
        );
        let _ = writeln!(
            out,
            "<figure>\n{svg}<figcaption>Run chart of each group's gap, months where both are \
             published. {}</figcaption>\n</figure>",
            charts
                .iter()
                .map(|(t, c)| format!("{}: {}.", esc(t), esc(&signal_summary(c))))
                .collect::<Vec<_>>()
                .join(" ")
        );
        Ok(())
    }

    fn cycles(out: &mut String, team: &TeamFolder) {
        out.push_str("<h3>PDSA cycles</h3>\n");
        let log = &team.cycles;
        if log.cycles.is_empty() {
            out.push_str("<p class=\"muted\">No cycle recorded.</p>\n");
            return;
        }
        let title = |key: &crate::key::Key| {
            log.change_ideas
                .iter()
                .find(|i| &i.key == key)
                .map_or_else(|| key.to_string(), |i| i.title.clone())
        };
        let mut cycles: Vec<&crate::cycle::Cycle> = log.cycles.iter().collect();
        cycles.sort_by(|a, b| (a.plan.date, &a.key).cmp(&(b.plan.date, &b.key)));
        out.push_str(
            "<table class=\"cycles\">\n<caption>Each cycle's plan, how far it has got, and the \
             decision.</caption>\n<thead><tr><th scope=\"col\">Cycle</th><th scope=\"col\">Change idea</th>\
             <th scope=\"col\">Objective</th><th scope=\"col\">Scale</th><th scope=\"col\">Planned</th>\
             <th scope=\"col\">Phase</th><th scope=\"col\">Decision</th></tr></thead>\n<tbody>\n",
        );
        for cycle in cycles {
            let phase = match cycle.study.as_ref().map(|s| s.predictions_met) {
                Some(met) => format!(
                    "{} <span class=\"muted small\">(predictions met: {})</span>",
                    phase_words(cycle.phase()),
                    match met {
                        PredictionsMet::Yes => "yes",
                        PredictionsMet::Partly => "partly",
                        PredictionsMet::No => "no",
                    }
                ),
                None => phase_words(cycle.phase()).to_owned(),
            };
            let decision = cycle.act.as_ref().map_or_else(
                || "–".to_owned(),
                |a| {
                    format!(
                        "<span class=\"badge {}\">{}</span><br><span class=\"muted small\">{}</span>",
                        match a.decision {
                            ActDecision::Adopt => "ok",
                            ActDecision::Adapt => "info",
                            ActDecision::Abandon => "late",
                        },
                        a.decision.label(),
                        date_label(a.date)
                    )
                },
            );
            let _ = writeln!(
                out,
                "<tr><td><strong>{}</strong>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{phase}</td><td>{decision}</td></tr>",
                esc(cycle.key.as_str()),
                cycle.follows.as_ref().map_or_else(String::new, |f| format!(
                    "<br><span class=\"muted small\">after {}</span>",
                    esc(f.as_str())
                )),
                esc(&title(&cycle.change_idea)),
                esc(&cycle.plan.objective),
                esc(&cycle.scale.to_string()),
                date_label(cycle.plan.date),
            );
        }
        out.push_str("</tbody>\n</table>\n");
        let team_ramps = ramps(log);
        out.push_str("<h4>Ramps</h4>\n<ul class=\"ramps\">\n");
        for ramp in &team_ramps {
            let steps: Vec<String> = ramp
                .cycles
                .iter()
                .zip(&ramp.scales)
                .map(|(k, s)| {
                    format!(
                        "{} <span class=\"muted\">({})</span>",
                        esc(k.as_str()),
                        esc(&s.to_string())
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "<li><strong>{}</strong>: {} · latest decision: {}</li>",
                esc(&title(&ramp.change_idea)),
                steps.join(" → "),
                ramp.latest_decision.map_or("none yet", ActDecision::label)
            );
        }
        out.push_str("</ul>\n");
    }

    fn reports(&self, out: &mut String, team: &TeamFolder) {
        out.push_str("<h3>Monthly reports</h3>\n");
        let (Some(&first), Some(&last)) = (self.months.first(), self.months.last()) else {
            return;
        };
        let statuses = timeliness(
            &team.reports,
            first,
            last,
            self.c.settings.reports,
            self.c.settings.as_of,
        );
        out.push_str(
            "<table class=\"reports\">\n<caption>Every month of the program so far, with the \
             team's report if it came.</caption>\n<thead><tr><th scope=\"col\">Month</th>\
             <th scope=\"col\">Report</th><th scope=\"col\">Scores</th><th scope=\"col\">Cycles</th>\
             <th scope=\"col\">Narrative</th></tr></thead>\n<tbody>\n",
        );
        for (month, status) in statuses {
            let report = team.reports.iter().find(|r| r.month == month);
            let (submitted, scores, cycles, narrative) = report.map_or_else(
                || (String::new(), "–".to_owned(), "–".to_owned(), String::new()),
                |r| {
                    let score = |l: Option<AssessmentLevel>| {
                        l.map_or_else(|| "–".to_owned(), |l| format!("{:.1}", l.score()))
                    };
                    (
                        format!(
                            "<br><span class=\"muted small\">sent {}</span>",
                            date_label(r.submitted)
                        ),
                        format!(
                            "faculty {} · self {}",
                            score(r.faculty_assessment),
                            score(r.self_assessment)
                        ),
                        if r.cycles.is_empty() {
                            "–".to_owned()
                        } else {
                            r.cycles
                                .iter()
                                .map(|k| esc(k.as_str()))
                                .collect::<Vec<_>>()
                                .join(", ")
                        },
                        esc(&r.narrative),
                    )
                },
            );
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\">{}</th><td>{}{submitted}</td><td>{scores}</td><td>{cycles}</td><td class=\"narrative\">{narrative}</td></tr>",
                month_label(month),
                timeliness_badge(status, false)
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }

    fn footer(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "<footer>\n<p>Made with qic {}. {} Charts follow the Anhøj rules for run and \
             control charts; colours are from the Okabe–Ito palette, which colour-blind readers \
             can tell apart, and every status is also written out.</p>\n</footer>",
            env!("CARGO_PKG_VERSION"),
            suppression_sentence(&self.suppression)
        );
    }
}

/// The figure of one of a team's measures, annotated with numbered markers and their key.
fn measure_figure(out: &mut String, team: &TeamFolder, measure: &Measure, chart: &MeasureChart) {
    let first = chart.months.first().map(|m| m.first_day());
    let last = chart.months.last().map(|m| m.first_day());
    let mut options = SvgOptions::default()
        .title(measure.name.clone())
        .y_label(y_label(measure))
        .size(CHART_WIDTH, 300)
        .id(format!("m-{}-{}", slug(&team.folder), measure.key));
    let mut key = String::new();
    let mut number = 0;
    for marker in &chart.markers {
        let drawn =
            first.is_some_and(|f| marker.date >= f) && last.is_some_and(|l| marker.date <= l);
        let kind = if marker.label.starts_with("Adopted") {
            "change"
        } else if marker.label.starts_with("Abandoned") {
            "abandoned"
        } else {
            "session"
        };
        if drawn {
            number += 1;
            if let Some(date) = Date::from_ymd(
                chrono::Datelike::year(&marker.date),
                chrono::Datelike::month(&marker.date),
                chrono::Datelike::day(&marker.date),
            ) {
                options = options.annotate(Annotation::new(X::Date(date), number.to_string()));
            }
            let _ = write!(
                key,
                "<li class=\"{kind}\"><span class=\"num\">{number}</span> {} <span class=\"muted\">{}</span></li>",
                esc(&marker.label),
                date_label(marker.date)
            );
        } else {
            let _ = write!(
                key,
                "<li class=\"{kind}\"><span class=\"num\">–</span> {} <span class=\"muted\">{}, outside the months charted</span></li>",
                esc(&marker.label),
                date_label(marker.date)
            );
        }
    }
    let svg = svg::render(&chart.chart, &options);
    let phases = if chart.phase_starts.is_empty() {
        String::new()
    } else {
        format!(
            " New phase from {} (an adopted change the team marked as changing the process).",
            chart
                .phase_starts
                .iter()
                .map(|m| month_label(*m))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let _ = writeln!(
        out,
        "<figure>\n{svg}<figcaption>{}, {}: {}.{phases}</figcaption>",
        chart_type(measure.unit).title(),
        plural(chart.months.len(), "month"),
        esc(&signal_summary(&chart.chart))
    );
    if !key.is_empty() {
        let _ = writeln!(
            out,
            "<ol class=\"markers\" aria-label=\"Markers on the chart\">{key}</ol>"
        );
    }
    out.push_str("</figure>\n");
}

/// A stratified measure's groups as small multiples; suppressed months are gaps.
fn group_multiples(
    out: &mut String,
    measure: &Measure,
    table: &StratifiedTable,
    groups: &[&Stratum],
    periods: &[Period],
    id: &str,
) -> Result<(), PdsaError> {
    if groups.is_empty() {
        out.push_str("<p class=\"muted\">No group to chart: every record's group is unknown, declined or missing.</p>\n");
        return Ok(());
    }
    let kind = match measure.unit {
        Unit::Proportion => ChartType::P,
        Unit::Rate => ChartType::U,
        _ => ChartType::C,
    };
    let options = options_for(measure);
    let mut charts = Vec::new();
    let (mut hidden, mut total) = (0, 0);
    for group in groups {
        let mut obs = Vec::new();
        for period in periods {
            let Ok(month) = YearMonth::new(period.year(), period.month()) else {
                continue;
            };
            let cell = table
                .cells
                .iter()
                .find(|c| c.period == *period && &&c.stratum == group);
            let published = cell.map(|c| c.estimate).filter(|e| !e.suppressed);
            if cell.is_some() {
                total += 1;
                if published.is_none() {
                    hidden += 1;
                }
            }
            // A suppressed or absent month is a missing value: a gap, never a point.
            let y = published.and_then(|e| e.numerator).map(|n| n as f64);
            let observation = Observation::new(month_x(month), y);
            obs.push(if kind == ChartType::C {
                observation
            } else {
                // NaN is qic-spc's missing denominator; `Some` keeps the chart a p or u chart
                // even when every month of the group is hidden.
                let n = published
                    .and_then(|e| e.denominator)
                    .map_or(f64::NAN, |d| d as f64);
                observation.with_denominator(Some(n))
            });
        }
        charts.push((table.stratum_label(group), compute(kind, &obs, &options)?));
    }
    let panels: Vec<Panel<'_>> = charts
        .iter()
        .map(|(title, chart)| Panel { title, chart })
        .collect();
    let svg = render_grid(
        &panels,
        GRID_COLUMNS,
        &grid_options(
            &format!("{} by group", measure.name),
            panels.len(),
            &format!("eq-{id}"),
        ),
    );
    let _ = writeln!(
        out,
        "<figure>\n{svg}<figcaption>{} per group on one scale ({}). {hidden} of {total} \
         group-months are suppressed and show as gaps.</figcaption>\n</figure>",
        kind.title(),
        y_label(measure)
    );
    Ok(())
}

/// The suppressed stratified table: months down, groups across, totals last.
fn stratified_table(
    out: &mut String,
    measure: &Measure,
    table: &StratifiedTable,
    periods: &[Period],
) {
    let strata: Vec<&Stratum> = table.stratum_totals.iter().map(|s| &s.stratum).collect();
    let rows = &table.rows;
    let count = |n: Option<u64>| {
        n.map_or_else(
            || "<span class=\"suppressed\">suppressed</span>".to_owned(),
            |n| format!("<span class=\"count\">{n}</span>"),
        )
    };
    let _ = write!(
        out,
        "<table class=\"strata\">\n<caption>{} by group and month: rate, then numerator / \
         denominator. Records read: {}; used: {}",
        esc(&measure.name),
        count(rows.read),
        count(rows.used)
    );
    for skipped in &rows.skipped {
        let _ = write!(
            out,
            "; skipped ({}): {}",
            esc(skipped.reason.describe()),
            count(skipped.rows)
        );
    }
    out.push_str(".</caption>\n<thead><tr><th scope=\"col\">Month</th>");
    for s in &strata {
        let _ = write!(
            out,
            "<th scope=\"col\">{}</th>",
            esc(&table.stratum_label(s))
        );
    }
    out.push_str("<th scope=\"col\">All groups</th></tr></thead>\n<tbody>\n");
    let mut unreliable = false;
    for period in periods {
        let month = YearMonth::new(period.year(), period.month())
            .map_or_else(|_| period.to_string(), month_label);
        let _ = write!(out, "<tr><th scope=\"row\">{month}</th>");
        for s in &strata {
            let cell = table
                .cells
                .iter()
                .find(|c| c.period == *period && &&c.stratum == s);
            match cell {
                Some(c) => {
                    unreliable |= c.estimate.unreliable;
                    estimate_cell(
                        out,
                        measure,
                        &c.estimate,
                        &period.to_string(),
                        &s.to_string(),
                    );
                }
                None => out.push_str("<td class=\"empty\">–</td>"),
            }
        }
        if let Some(total) = table.period_totals.iter().find(|p| p.period == *period) {
            unreliable |= total.estimate.unreliable;
            estimate_cell(out, measure, &total.estimate, &period.to_string(), "all");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("<tr class=\"total\"><th scope=\"row\">All months</th>");
    for s in &table.stratum_totals {
        unreliable |= s.estimate.unreliable;
        estimate_cell(out, measure, &s.estimate, "all", &s.stratum.to_string());
    }
    unreliable |= table.total.unreliable;
    estimate_cell(out, measure, &table.total, "all", "all");
    out.push_str("</tr>\n</tbody>\n</table>\n");
    if unreliable {
        let _ = writeln!(
            out,
            "<p class=\"note\">* Unreliable: fewer than {} events, or a 95% interval wider than \
             the rule allows; read with care.</p>",
            table.reliability.min_events
        );
    }
}

fn estimate_cell(out: &mut String, measure: &Measure, e: &Estimate, month: &str, group: &str) {
    let attributes = format!(
        "data-month=\"{}\" data-group=\"{}\"",
        esc(month),
        esc(group)
    );
    if e.suppressed {
        let _ = write!(out, "<td class=\"suppressed\" {attributes}>suppressed</td>");
        return;
    }
    let rate = e.rate.map_or_else(
        || "–".to_owned(),
        |r| measure_value(measure, r * measure.multiplier),
    );
    let _ = write!(
        out,
        "<td {attributes}><span class=\"rate\">{}{}</span><br><span class=\"small muted\">{} / {}</span></td>",
        esc(&rate),
        if e.unreliable { "*" } else { "" },
        e.numerator
            .map_or_else(String::new, |n| format!("<span class=\"count\">{n}</span>")),
        e.denominator
            .map_or_else(String::new, |n| format!("<span class=\"count\">{n}</span>"))
    );
}

/// The reference group of a team's gap series, and why it was chosen: the reference group of
/// the team's equity aim on the measure if the data have it, else the largest group (by
/// published total).
fn choose_reference(
    team: &TeamFolder,
    measure: &Measure,
    table: &StratifiedTable,
    groups: &[&Stratum],
) -> (Option<Stratum>, String) {
    let largest = table
        .stratum_totals
        .iter()
        .filter(|s| s.stratum.is_group())
        .filter_map(|s| s.estimate.denominator.map(|d| (d, &s.stratum)))
        .fold(None, |best: Option<(u64, &Stratum)>, (d, s)| match best {
            Some((bd, _)) if bd >= d => best,
            _ => Some((d, s)),
        })
        .map(|(_, s)| s.clone());
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
                    Some((*s).clone()),
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

fn progress_cell(
    measure: Option<&Measure>,
    aim: &crate::aim::Aim,
    progress: &SharedProgress,
) -> String {
    let bar = match progress {
        SharedProgress::Shown(p) => p.share_of_the_way.map_or_else(String::new, |share| {
            let width = (share.clamp(0.0, 1.0) * 100.0).round();
            format!(
                "<span class=\"progress\" role=\"img\" aria-label=\"{}% of the way\"><span style=\"width:{width:.0}%\"></span></span> ",
                short_number(share * 100.0)
            )
        }),
        _ => String::new(),
    };
    format!("{bar}{}", esc(&progress_words(measure, aim, progress)))
}

fn status_badge(progress: &SharedProgress) -> String {
    let (class, words) = match progress {
        SharedProgress::Shown(p) => (
            match p.status {
                AimStatus::Met => "ok",
                AimStatus::InProgress => "info",
                AimStatus::Overdue => "missing",
                AimStatus::NoData => "pending",
            },
            status_words(p.status),
        ),
        SharedProgress::Hidden => ("pending", "hidden"),
        SharedProgress::NoData => ("pending", "no data yet"),
        SharedProgress::Invalid(_) => ("missing", "cannot be judged"),
    };
    format!("<span class=\"badge {class}\">{words}</span>")
}

fn timeliness_badge(status: Timeliness, short: bool) -> String {
    let class = match status {
        Timeliness::OnTime => "ok",
        Timeliness::Late { .. } => "late",
        Timeliness::Missing => "missing",
        Timeliness::NotYetDue => "pending",
    };
    // The grid has a narrow cell per month: symbols there, explained in its caption.
    let words = match (status, short) {
        (Timeliness::OnTime, true) => "\u{2713}".to_owned(),
        (Timeliness::Late { days }, true) => format!("+{days}d"),
        (Timeliness::Missing, true) => "\u{2717}".to_owned(),
        (Timeliness::NotYetDue, true) => "\u{00B7}".to_owned(),
        _ => timeliness_words(status),
    };
    if short {
        // The short words of the grid, with the full ones on hover.
        format!(
            "<span class=\"badge {class}\" title=\"{}\">{words}</span>",
            timeliness_words(status)
        )
    } else {
        format!("<span class=\"badge {class}\">{words}</span>")
    }
}

/// A header row of months, with the year under January and the first month.
fn month_header(out: &mut String, months: &[YearMonth], first: &str) {
    let _ = write!(out, "<thead><tr><th scope=\"col\">{first}</th>");
    for (i, m) in months.iter().enumerate() {
        let year = if i == 0 || m.month() == 1 {
            format!("<span class=\"year\">{}</span>", m.year())
        } else {
            String::new()
        };
        let _ = write!(
            out,
            "<th scope=\"col\" class=\"month\"><abbr title=\"{}\">{}</abbr>{year}</th>",
            month_label(*m),
            MONTHS
                .get((m.month() as usize).saturating_sub(1))
                .copied()
                .unwrap_or("")
        );
    }
    out.push_str("</tr></thead>\n");
}

/// The share of teams improving month by month, as a small bar chart.
fn signals_svg(signals: &[MonthSignals]) -> String {
    let (width, height) = (f64::from(CHART_WIDTH), 190.0);
    let (left, right, top, bottom) = (48.0, 12.0, 20.0, 40.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let slot = plot_w / signals.len().max(1) as f64;
    let bar = (slot * 0.6).min(48.0);
    let words: Vec<String> = signals
        .iter()
        .map(|s| match s.share {
            Some(share) => format!(
                "{}: {} of {} teams ({}%)",
                month_label(s.month),
                s.improving,
                s.judged,
                short_number(share * 100.0)
            ),
            None => format!("{}: no team judged yet", month_label(s.month)),
        })
        .collect();
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"signals-title signals-desc\" font-family=\"{FONT}\">\n\
         <title id=\"signals-title\">Share of teams with a signal of improvement, by month</title>\n\
         <desc id=\"signals-desc\">{}.</desc>\n<rect width=\"{width}\" height=\"{height}\" fill=\"#FFFFFF\"/>",
        esc(&words.join("; "))
    );
    for (share, label) in [(0.0, "0%"), (0.5, "50%"), (1.0, "100%")] {
        let y = top + plot_h * (1.0 - share);
        let _ = writeln!(
            svg,
            "<line x1=\"{left}\" y1=\"{y:.2}\" x2=\"{:.2}\" y2=\"{y:.2}\" stroke=\"{}\"/>\n<text x=\"{:.2}\" y=\"{:.2}\" font-size=\"11\" text-anchor=\"end\" fill=\"#555555\">{label}</text>",
            width - right,
            if share == 0.0 { "#555555" } else { "#E5E5E5" },
            left - 6.0,
            y + 4.0
        );
    }
    for (i, s) in signals.iter().enumerate() {
        let centre = left + slot * (i as f64 + 0.5);
        match s.share {
            Some(share) => {
                let h = plot_h * share;
                let _ = writeln!(
                    svg,
                    "<rect x=\"{:.2}\" y=\"{:.2}\" width=\"{bar:.2}\" height=\"{h:.2}\" fill=\"#0072B2\"/>\n<text x=\"{centre:.2}\" y=\"{:.2}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#222222\">{}/{}</text>",
                    centre - bar / 2.0,
                    top + plot_h - h,
                    top + plot_h - h - 4.0,
                    s.improving,
                    s.judged
                );
            }
            None => {
                let _ = writeln!(
                    svg,
                    "<text x=\"{centre:.2}\" y=\"{:.2}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#767676\">n/a</text>",
                    top + plot_h - 4.0
                );
            }
        }
        let name = MONTHS
            .get((s.month.month() as usize).saturating_sub(1))
            .copied()
            .unwrap_or("");
        let _ = writeln!(
            svg,
            "<text x=\"{centre:.2}\" y=\"{:.2}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555555\">{name}</text>",
            top + plot_h + 15.0
        );
        if i == 0 || s.month.month() == 1 {
            let _ = writeln!(
                svg,
                "<text x=\"{centre:.2}\" y=\"{:.2}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#767676\">{}</text>",
                top + plot_h + 28.0,
                s.month.year()
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

fn grid_options(title: &str, panels: usize, id: &str) -> SvgOptions {
    let rows = u32::try_from(panels.div_ceil(GRID_COLUMNS).max(1)).unwrap_or(1);
    SvgOptions::default()
        .title(title)
        .size(CHART_WIDTH, rows * GRID_ROW_HEIGHT + 32)
        .id(id)
}

/// "2 teams in Jan 2025 to Feb 2025, 1 in Mar 2025 to Jun 2025".
fn team_runs(months: &[YearMonth], teams: &[usize]) -> String {
    let mut runs: Vec<(YearMonth, YearMonth, usize)> = Vec::new();
    for (month, &n) in months.iter().zip(teams) {
        match runs.last_mut() {
            Some(run) if run.2 == n => run.1 = *month,
            _ => runs.push((*month, *month, n)),
        }
    }
    runs.iter()
        .map(|(a, b, n)| {
            let teams = if *n == 1 {
                "1 team".to_owned()
            } else {
                format!("{n} teams")
            };
            if a == b {
                format!("{teams} in {}", month_label(*a))
            } else {
                format!("{teams} in {} to {}", month_label(*a), month_label(*b))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn y_label(measure: &Measure) -> String {
    let m = measure.multiplier;
    match measure.unit {
        Unit::Proportion if (m - 100.0).abs() < f64::EPSILON => "Percent".to_owned(),
        Unit::Proportion => "Proportion".to_owned(),
        Unit::Rate if m > 1.0 => format!("Rate per {}", short_number(m)),
        Unit::Rate => "Rate".to_owned(),
        Unit::Count => "Count".to_owned(),
        Unit::Mean => "Mean".to_owned(),
        Unit::TimeBetweenEvents => "Time between events".to_owned(),
        Unit::CasesBetweenEvents => "Cases between events".to_owned(),
    }
}

fn gap_units(measure: &Measure) -> String {
    match measure.unit {
        Unit::Proportion if (measure.multiplier - 100.0).abs() < f64::EPSILON => {
            "percentage points".to_owned()
        }
        _ => y_label(measure).to_lowercase(),
    }
}

fn suppression_sentence(suppression: &Suppression) -> String {
    match suppression.threshold() {
        Some(t) => format!(
            "Small cells are suppressed: no count from 1 to {t} from patient-level data is \
             shown, nor any rate built on one, and a second cell is hidden where a total would \
             give the first away."
        ),
        None => "Suppression is off: for internal use only.".to_owned(),
    }
}

/// `1 cycle`, `2 cycles`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The text with its first letter capitalized, to start a sentence.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month_label(month: YearMonth) -> String {
    format!(
        "{} {}",
        MONTHS
            .get((month.month() as usize).saturating_sub(1))
            .copied()
            .unwrap_or(""),
        month.year()
    )
}

fn date_label(date: chrono::NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}

fn team_anchor(team: &TeamFolder) -> String {
    format!("team-{}", slug(&team.folder))
}

/// Lowercase letters, digits and dashes: an id for anchors and SVG elements.
fn slug(text: &str) -> String {
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

/// Escapes text for HTML content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A sequential blue scale for the ten levels of the assessment scale (light to dark): one hue,
/// so that it reads in order for colour-blind readers and in greyscale print.
const HEAT: [&str; 10] = [
    "#F7FBFF", "#DEEBF7", "#C6DBEF", "#9ECAE1", "#6BAED6", "#4292C6", "#2171B5", "#08519C",
    "#08306B", "#041F4A",
];

fn heat_colour(level: AssessmentLevel) -> &'static str {
    HEAT.get(level.index()).copied().unwrap_or("#FFFFFF")
}

/// Black or white, whichever contrasts more with `background` (`#RRGGBB`).
fn text_on(background: &str) -> &'static str {
    let l = luminance(background);
    if (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) {
        "#000000"
    } else {
        "#FFFFFF"
    }
}

/// WCAG relative luminance of `#RRGGBB` (0 for anything else).
fn luminance(colour: &str) -> f64 {
    let hex = colour.trim_start_matches('#');
    let channel = |i: usize| {
        let v = hex
            .get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .map_or(0.0, |v| f64::from(v) / 255.0);
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";

/// The key to the charts' colours and marks (qic-spc draws them; the colours are Okabe–Ito).
const LEGEND: &str = "<ul class=\"legend\" aria-label=\"Chart key\">\
<li><svg width=\"26\" height=\"12\" aria-hidden=\"true\"><path d=\"M1,9L13,4L25,7\" stroke=\"#0072B2\" stroke-width=\"1.5\" fill=\"none\"/><circle cx=\"13\" cy=\"4\" r=\"2.8\" fill=\"#0072B2\"/></svg>data</li>\
<li><svg width=\"26\" height=\"12\" aria-hidden=\"true\"><path d=\"M1,6H25\" stroke=\"#555555\" stroke-width=\"1.5\"/></svg>centre line</li>\
<li><svg width=\"26\" height=\"12\" aria-hidden=\"true\"><path d=\"M1,2H25M1,10H25\" stroke=\"#555555\" stroke-width=\"1\"/></svg>control limits (3 sigma)</li>\
<li><svg width=\"26\" height=\"12\" aria-hidden=\"true\"><path d=\"M1,6H25\" stroke=\"#E69F00\" stroke-width=\"1.8\" stroke-dasharray=\"6,4\"/></svg>centre line of a part with a run signal</li>\
<li><svg width=\"14\" height=\"12\" aria-hidden=\"true\"><circle cx=\"7\" cy=\"6\" r=\"3.8\" fill=\"#D55E00\"/></svg>point beyond the limits</li>\
<li><svg width=\"14\" height=\"12\" aria-hidden=\"true\"><circle cx=\"7\" cy=\"6\" r=\"2.8\" fill=\"#E69F00\"/></svg>point in a run signal</li>\
<li><svg width=\"26\" height=\"12\" aria-hidden=\"true\"><path d=\"M1,6H25\" stroke=\"#009E73\" stroke-width=\"1.5\" stroke-dasharray=\"2,3\"/></svg>target</li>\
<li><svg width=\"14\" height=\"12\" aria-hidden=\"true\"><path d=\"M7,0V12\" stroke=\"#CC79A7\" stroke-dasharray=\"3,3\"/></svg>numbered marker: change adopted or abandoned, learning session</li>\
<li><svg width=\"14\" height=\"12\" aria-hidden=\"true\"><path d=\"M7,0V12\" stroke=\"#DDDDDD\" stroke-width=\"1.5\"/></svg>new phase</li>\
<li><svg width=\"26\" height=\"12\" aria-hidden=\"true\"><path d=\"M1,8L8,5M18,6L25,4\" stroke=\"#0072B2\" stroke-width=\"1.5\" fill=\"none\"/></svg>gap: a month not reported or suppressed</li>\
</ul>\n";

const STYLE: &str = r#":root { --ink: #1F2328; --muted: #57606A; --line: #D0D7DE; --soft: #F6F8FA; --accent: #0072B2; }
* { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0; color: var(--ink); background: #FFFFFF; font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; line-height: 1.5; }
.page { max-width: 940px; margin: 0 auto; padding: 2rem 1.25rem 3rem; }
a { color: #005A8C; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88em; background: var(--soft); padding: 0 .25em; border-radius: 3px; }
.masthead { border-bottom: 3px solid var(--ink); padding-bottom: 1rem; margin-bottom: 1rem; }
.eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: .78rem; color: var(--muted); margin: 0; }
h1 { font-size: 2rem; line-height: 1.2; margin: .2rem 0 .8rem; }
h2 { font-size: 1.55rem; line-height: 1.25; margin: 2.5rem 0 .75rem; padding-bottom: .3rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.2rem; margin: 1.9rem 0 .5rem; }
h4 { font-size: 1rem; margin: 1.4rem 0 .3rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1.25rem; margin: 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
.toc ol { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; list-style: none; padding: .5rem 0; margin: 0; border-bottom: 1px solid var(--line); font-size: .92rem; }
.warnings { border-left: 4px solid #D55E00; background: #FFF6F1; padding: .25rem 1rem .5rem; margin-top: 1.5rem; }
.warnings.none { border-left-color: #009E73; background: #F1FAF6; }
.warnings h2 { border: 0; margin: .5rem 0 .25rem; font-size: 1.25rem; }
.warnings ul { margin: .25rem 0 .5rem; padding-left: 1.25rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1.1rem; font-size: .88rem; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; color: var(--muted); font-size: .85rem; padding-bottom: .4rem; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .45rem; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); font-weight: 600; vertical-align: bottom; }
tbody th { font-weight: 600; }
tr.total th, tr.total td { border-top: 2px solid var(--line); background: var(--soft); }
.num { text-align: right; }
th.month { text-align: center; font-weight: 600; }
th.month abbr { text-decoration: none; }
.year { display: block; font-weight: 400; font-size: .75rem; color: var(--muted); }
.heat, .grid { table-layout: fixed; }
.heat thead th:first-child, .grid thead th:first-child { width: 9.5rem; }
.heat td { text-align: center; border: 2px solid #FFFFFF; padding: .3rem .15rem; min-width: 2.6rem; }
.heat .score { display: block; font-weight: 700; font-size: .95rem; }
.heat .self { display: block; font-size: .72rem; }
.heat td.none { background: repeating-linear-gradient(45deg, #FFFFFF, #FFFFFF 4px, #ECEEF0 4px, #ECEEF0 8px); color: var(--muted); }
.heat tr.total td { font-size: .78rem; color: var(--ink); }
.grid td { text-align: center; padding: .3rem .05rem; }
.grid .badge { font-size: .68rem; padding: 0 .3rem; }
.scale { display: flex; list-style: none; padding: 0; margin: -.5rem 0 1rem; font-size: .75rem; }
.scale li { flex: 1; text-align: center; padding: .1rem 0; }
.scale li.key { flex: 0 0 9.5rem; text-align: left; color: var(--muted); }
.badge { display: inline-block; padding: 0 .45rem; border-radius: .7rem; font-size: .78rem; font-weight: 600; white-space: nowrap; border: 1px solid transparent; line-height: 1.5; }
.ok { background: #E3F2EC; color: #00573D; border-color: #8FCBB3; }
.late { background: #FDF0D8; color: #6B4300; border-color: #E9B85A; }
.missing { background: #FBE4DA; color: #8A2F00; border-color: #E39A74; border-style: dashed; }
.pending { background: #F0F1F3; color: #4B535C; border-color: #D0D7DE; }
.info { background: #E1EEF8; color: #00487A; border-color: #9CC6E6; }
figure { margin: .75rem 0 1.5rem; }
figure svg { display: block; max-width: 100%; height: auto; overflow: visible; }
figcaption { font-size: .85rem; color: var(--muted); margin-top: .35rem; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: .2rem 1.1rem; padding: .45rem .75rem; margin: .4rem 0 .8rem; font-size: .8rem; background: var(--soft); border-radius: 6px; }
.legend li { display: flex; align-items: center; gap: .35rem; }
.markers { list-style: none; padding: 0; margin: .4rem 0 0; font-size: .84rem; }
.markers .num { display: inline-block; min-width: 1.3rem; text-align: center; font-weight: 700; color: #7A3B63; }
.meta { margin: 0; color: var(--muted); font-size: .88rem; }
.definition { margin: .15rem 0 .4rem; font-size: .85rem; }
.lede { color: var(--muted); margin-top: -.25rem; }
.note { font-size: .85rem; color: var(--muted); }
.small { font-size: .8rem; }
.muted { color: var(--muted); }
.suppressed { color: var(--muted); font-style: italic; }
td.suppressed { background: repeating-linear-gradient(45deg, #FFFFFF, #FFFFFF 4px, #F3F4F6 4px, #F3F4F6 8px); }
.strata td, .strata th { text-align: right; }
.strata th[scope="row"], .strata thead th:first-child { text-align: left; }
.progress { display: inline-block; width: 70px; height: 8px; background: #E6E9ED; border-radius: 4px; vertical-align: middle; overflow: hidden; }
.progress span { display: block; height: 100%; background: var(--accent); }
.equity { margin-top: 1.5rem; padding-top: .25rem; }
td.narrative { max-width: 22rem; }
.ramps { padding-left: 1.25rem; }
.harvest { font-size: .84rem; }
.harvest td:nth-child(2) { min-width: 14rem; }
.cycles td:nth-child(3) { min-width: 12rem; }
footer { margin-top: 3rem; padding-top: .75rem; border-top: 1px solid var(--line); font-size: .8rem; color: var(--muted); }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
@page { margin: 14mm; }
@media print {
  html { font-size: 10pt; }
  .page { max-width: none; padding: 0; }
  .toc { display: none; }
  .team, #harvest { break-before: page; }
  section.team > h2 { margin-top: 0; }
  figure, table, .legend, .markers, tr { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  .heat td, .scale li, .badge, .progress span, td.suppressed, .warnings { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn contrast(a: &str, b: &str) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn heat_map_text_is_readable_on_every_level() {
        for bg in HEAT {
            let ratio = contrast(bg, text_on(bg));
            assert!(ratio >= 4.5, "{bg}: {ratio}");
        }
    }

    #[test]
    fn badge_and_page_text_meet_the_contrast_minimum() {
        for (fg, bg) in [
            ("#00573D", "#E3F2EC"),
            ("#6B4300", "#FDF0D8"),
            ("#8A2F00", "#FBE4DA"),
            ("#4B535C", "#F0F1F3"),
            ("#00487A", "#E1EEF8"),
            ("#57606A", "#FFFFFF"),
            ("#57606A", "#F6F8FA"),
            ("#005A8C", "#FFFFFF"),
            ("#1F2328", "#FFF6F1"),
        ] {
            let ratio = contrast(fg, bg);
            assert!(ratio >= 4.5, "{fg} on {bg}: {ratio}");
        }
    }

    #[test]
    fn text_is_escaped_and_ids_are_slugs() {
        assert_eq!(esc("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
        assert_eq!(slug("Lakeside Clinic #2"), "lakeside-clinic-2");
        assert_eq!(slug("--x--"), "x");
    }

    #[test]
    fn runs_of_team_counts_read_as_words() {
        let m = |t: &str| t.parse::<YearMonth>().unwrap();
        assert_eq!(
            team_runs(&[m("2025-01"), m("2025-02"), m("2025-03")], &[2, 2, 1]),
            "2 teams in Jan 2025 to Feb 2025, 1 team in Mar 2025"
        );
    }
}

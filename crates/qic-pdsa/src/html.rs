//! The collaborative report as one self-contained HTML page (feature `html`).
//!
//! [`render`] lays out a [`Report`] and computes nothing: every number, chart and sentence comes
//! from the report, so the page, the text and the JSON say the same things. The page carries
//! everything inline (the stylesheet, every chart as SVG drawn by qic-spc with its `<title>` and
//! `<desc>`), needs no script, font or stylesheet from anywhere, opens from a file, and prints
//! with every section open.
//!
//! What it shows, in order:
//!
//! 1. a header: the report's title, the program and its sponsor, the cohort, the as-of date, the
//!    teams and the months covered;
//! 2. which teams need attention: every team, most in need first, each linking to its section;
//! 3. every warning from reading the folder (none is dropped);
//! 4. the dashboard: assessment scores by team and month, monthly reports on time, late or
//!    missing, the share of teams with a signal of improvement month by month, each required
//!    measure for every team as small multiples on one scale and pooled across teams, the
//!    expected outcomes met or not, and every aim's progress;
//! 5. the harvest of change ideas, most promising first;
//! 6. a section per team: its aims, each measure's chart annotated with adopted changes and
//!    learning sessions, each stratified measure as small multiples by group with the
//!    suppressed table and the gap to a reference group, its PDSA cycles and ramps, and its
//!    monthly reports with their narratives.
//!
//! Sections fold (`<details>`), so a 60-team report opens on its first screen and loads fast;
//! small collaboratives open every section. At phone width nothing overlaps: tables and wide
//! charts scroll inside themselves, small multiples wrap, and chart text keeps at least 10 px.
//!
//! **Small cells.** The report holds only counts its publication step let through
//! ([`crate::report::publish`]): a hidden month is a gap, said in the caption as "suppressed:
//! small numbers", and the stratified tables show "suppressed" in place of a hidden cell.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/collaborative");
//! use qic_pdsa::Collaborative;
//! use qic_pdsa::report::Report;
//!
//! let report = Report::build(&Collaborative::load(dir)?)?;
//! let page = qic_pdsa::html::render(&report);
//! assert!(page.starts_with("<!DOCTYPE html>"));
//! assert!(page.contains("<h2 id=\"attention\">Which teams need attention</h2>"));
//! assert!(!page.contains("<script"));
//! # Ok(())
//! # }
//! ```

use std::fmt::Write as _;

use qic_equity::stratify::{Estimate, StratifiedTable};
use qic_equity::suppression::Suppression;
use qic_program::{AssessmentLevel, YearMonth};
use qic_spc::svg::{self, Annotation, Panel, SvgOptions};
use qic_spc::{Assurance, Variation};

use crate::aim::AimStatus;
use crate::charts::{MarkerKind, chart_type};
use crate::cycle::{ActDecision, PredictionsMet};
use crate::dashboard::{MonthSignals, Share};
use crate::measure::{Measure, Polarity, Tier};
use crate::month;
use crate::monthly::Timeliness;
use crate::report::attention::{Attention, Need};
use crate::report::{
    AimRow, ChartView, EquitySection, Pooled, Report, RequiredMeasure, SharedProgress, TeamSection,
};
use crate::text::{
    assurance_words, measure_value, need_words, phase_words, plural, short_number, status_words,
    timeliness_words, variation_words,
};

/// Width of a full-size chart.
const CHART_WIDTH: u32 = 640;
/// Height of a full-size chart.
const CHART_HEIGHT: u32 = 280;
/// Width and height of a panel of small multiples.
const PANEL: (u32, u32) = (260, 172);
/// Collaboratives with at most this many teams open every section; larger ones fold the teams
/// and the small multiples so the page opens on its first screen.
const OPEN_UP_TO_TEAMS: usize = 10;
/// Collaboratives with at most this many teams chart each group of a stratified measure on its
/// own; larger ones keep each team's section to the groups' table and their gaps, so that the
/// page of sixty teams stays a few megabytes.
const GROUP_CHARTS_UP_TO_TEAMS: usize = 12;
/// The smallest chart text, in CSS pixels, the page allows at any width.
const MIN_CHART_TEXT: f64 = 10.0;

/// Renders the report as one self-contained HTML page.
pub fn render(report: &Report) -> String {
    let page = Page {
        r: report,
        open: report.teams.len() <= OPEN_UP_TO_TEAMS,
    };
    let mut out = String::with_capacity(256 * 1024);
    page.head(&mut out);
    out.push_str("<body>\n<div class=\"page\">\n");
    page.masthead(&mut out);
    Page::contents(&mut out);
    out.push_str("<main>\n");
    page.attention(&mut out);
    page.warnings(&mut out);
    page.dashboard(&mut out);
    page.harvest(&mut out);
    let _ = writeln!(
        out,
        "<section aria-labelledby=\"teams\">\n<h2 id=\"teams\">Teams ({})</h2>",
        report.teams.len()
    );
    if report.teams.is_empty() {
        out.push_str("<p class=\"muted\">No team is enrolled.</p>\n");
    } else {
        out.push_str(LEGEND);
    }
    for team in &report.teams {
        page.team(&mut out, team);
    }
    out.push_str("</section>\n</main>\n");
    page.footer(&mut out);
    out.push_str("</div>\n</body>\n</html>\n");
    out
}

struct Page<'a> {
    r: &'a Report,
    /// Whether folded sections start open.
    open: bool,
}

impl Page<'_> {
    fn open_attr(&self) -> &'static str {
        if self.open { " open" } else { "" }
    }

    fn head(&self, out: &mut String) {
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"qic {}\">\n<title>{} · {}, as of {}</title>\n\
             <style>\n{STYLE}{}</style>\n</head>\n",
            env!("CARGO_PKG_VERSION"),
            esc(&self.r.title),
            esc(&self.r.cohort),
            self.r.as_of,
            heat_style()
        );
    }

    fn masthead(&self, out: &mut String) {
        let r = self.r;
        let months = match (r.months.first(), r.months.last()) {
            (Some(f), Some(l)) => format!(
                "{} to {} ({} months)",
                month::label(*f),
                month::label(*l),
                r.months.len()
            ),
            _ => "none".to_owned(),
        };
        let _ = write!(
            out,
            "<header class=\"masthead\">\n<p class=\"eyebrow\">Collaborative report</p>\n\
             <h1>{}</h1>\n<dl class=\"facts\">\n\
             <dt>Program</dt><dd>{} <span class=\"muted\">({})</span></dd>\n\
             <dt>Cohort</dt><dd>{}</dd>\n\
             <dt>As of</dt><dd>{}</dd>\n\
             <dt>Teams</dt><dd>{}</dd>\n\
             <dt>Months</dt><dd>{}</dd>\n</dl>\n</header>\n",
            esc(&r.title),
            esc(&r.program),
            esc(&r.sponsor),
            esc(&r.cohort),
            month::date_label(r.as_of),
            r.teams.len(),
            months
        );
    }

    fn contents(out: &mut String) {
        out.push_str(
            "<nav class=\"toc\" aria-label=\"Contents\">\n<ol>\n\
             <li><a href=\"#attention\">Needs attention</a></li>\n\
             <li><a href=\"#warnings\">Warnings</a></li>\n\
             <li><a href=\"#dashboard\">Dashboard</a></li>\n\
             <li><a href=\"#harvest\">Harvest</a></li>\n\
             <li><a href=\"#teams\">Teams</a></li>\n</ol>\n</nav>\n",
        );
    }

    fn attention(&self, out: &mut String) {
        let rows = &self.r.attention;
        let high = rows.iter().filter(|a| a.need == Need::High).count();
        let _ = writeln!(
            out,
            "<section aria-labelledby=\"attention\">\n<h2 id=\"attention\">Which teams need \
             attention</h2>\n<p>{} of {} need attention. Every team is listed, most in need \
             first: a measure whose latest point is a special cause of concern or a missing \
             report counts 2; an aim not met by its date, an aim worse than at baseline, two or \
             more late reports, a falling faculty score, or no improvement on a required \
             measure 1 each; 4 or more needs attention.</p>",
            plural(high, "team"),
            rows.len()
        );
        if rows.is_empty() {
            out.push_str("<p class=\"muted\">No team is enrolled.</p>\n</section>\n");
            return;
        }
        out.push_str(
            "<div class=\"scroll\"><table class=\"attention\">\n<caption>Teams by need of \
             attention, with what the data show; each name links to the team's section.\
             </caption>\n<thead><tr><th scope=\"col\">Team</th><th scope=\"col\">Need</th>\
             <th scope=\"col\">Signals</th><th scope=\"col\">Reports</th>\
             <th scope=\"col\">Aims off track</th><th scope=\"col\">Faculty score</th></tr>\
             </thead>\n<tbody>\n",
        );
        for row in rows {
            attention_row(out, row);
        }
        out.push_str("</tbody>\n</table></div>\n</section>\n");
    }

    fn warnings(&self, out: &mut String) {
        let warnings = &self.r.warnings;
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

    fn dashboard(&self, out: &mut String) {
        let d = &self.r.dashboard;
        out.push_str(
            "<section aria-labelledby=\"dashboard\">\n<h2 id=\"dashboard\">Dashboard</h2>\n",
        );
        fold(out, "Assessment scores", true, |out| self.scores(out));
        fold(out, "Monthly reports", true, |out| self.report_grid(out));
        fold(out, "Teams with a signal of improvement", true, |out| {
            signal_share(out, &d.signals, self.r.baseline_months);
        });
        fold(out, "Required measures", true, |out| {
            out.push_str(LEGEND);
            if d.required.is_empty() {
                out.push_str(
                    "<p class=\"muted\">The program requires no measure of every team.</p>\n",
                );
            }
            for measure in &d.required {
                self.required(out, measure);
            }
        });
        fold(out, "Expected outcomes", true, |out| self.outcomes(out));
        fold(out, &format!("Aims ({})", d.aims.len()), self.open, |out| {
            self.all_aims(out);
        });
        out.push_str("</section>\n");
    }

    fn scores(&self, out: &mut String) {
        let d = &self.r.dashboard;
        out.push_str(
            "<div class=\"scroll\"><table class=\"heat\">\n<caption>Faculty score on the IHI \
             Assessment Scale (0.5 to 5.0; the colour), with the team's self-assessment after it \
             in small type. A blank cell has no faculty score.</caption>\n",
        );
        month_header(out, &self.r.months, "Team");
        out.push_str("<tbody>\n");
        for row in &d.scores {
            let _ = write!(
                out,
                "<tr><th scope=\"row\"><a href=\"#{}\">{}</a></th>",
                esc(&row.team.anchor),
                esc(&row.team.name)
            );
            for (i, m) in self.r.months.iter().enumerate() {
                let staff = row.faculty.get(i).copied().flatten();
                let own = row.self_assessed.get(i).copied().flatten();
                let own_text = own.map_or_else(
                    || "<small>–</small>".to_owned(),
                    |l| format!("<small>{:.1}</small>", l.score()),
                );
                match staff {
                    Some(level) => {
                        let _ = write!(
                            out,
                            "<td class=\"h{}\" title=\"{}: {}\"><b>{:.1}</b>{own_text}</td>",
                            level.index(),
                            month::label(*m),
                            esc(level.default_label()),
                            level.score()
                        );
                    }
                    None => {
                        let _ = write!(
                            out,
                            "<td class=\"none\"><b>–</b><span class=\"sr-only\">no faculty score</span>{own_text}</td>"
                        );
                    }
                }
            }
            out.push_str("</tr>\n");
        }
        // How many teams were at 3.0 (modest improvement) or above each month.
        out.push_str("<tr class=\"total\"><th scope=\"row\">At 3.0 or above</th>");
        for (at, of) in &d.at_or_above {
            let _ = write!(out, "<td>{at}/{of}</td>");
        }
        out.push_str("</tr>\n</tbody>\n</table></div>\n");
        out.push_str(
            "<ul class=\"scale\" aria-label=\"Colour key of the scores\"><li class=\"key\">Score</li>",
        );
        for level in AssessmentLevel::ALL {
            let _ = write!(
                out,
                "<li class=\"h{}\" title=\"{}\">{:.1}</li>",
                level.index(),
                esc(level.default_label()),
                level.score()
            );
        }
        out.push_str("</ul>\n");
    }

    fn report_grid(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "<div class=\"scroll\"><table class=\"grid\">\n<caption>Each team's monthly report: \
             due {} days after the month ends; as of {}. \u{2713} on time, +N late by N days, \
             \u{2717} missing, \u{00B7} not yet due.</caption>",
            self.r.reports_due_days,
            month::date_label(self.r.as_of)
        );
        month_header(out, &self.r.months, "Team");
        out.push_str("<tbody>\n");
        for row in &self.r.dashboard.reports {
            let _ = write!(
                out,
                "<tr><th scope=\"row\"><a href=\"#{}\">{}</a></th>",
                esc(&row.team.anchor),
                esc(&row.team.name)
            );
            for status in &row.statuses {
                let _ = write!(out, "<td>{}</td>", timeliness_badge(*status, true));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table></div>\n");
    }

    fn required(&self, out: &mut String, required: &RequiredMeasure) {
        let measure = &required.measure;
        let _ = writeln!(out, "<h4>{}</h4>", esc(&measure.name));
        let with_data = required.panels.iter().filter(|p| p.chart.is_some()).count();
        let _ = writeln!(
            out,
            "<details class=\"multiples\"{}><summary>Every team: {} on one scale ({}), {} with data</summary>",
            if self.r.teams.len() <= 30 {
                " open"
            } else {
                ""
            },
            chart_type(measure.unit).title(),
            esc(&crate::report::y_label(measure)),
            plural(with_data, "team"),
        );
        spark_table(out, required, &self.r.months);
        out.push_str("</tbody>\n</table></div>\n</details>\n");
        match &required.pooled {
            Pooled::Chart {
                chart,
                teams,
                left_out,
            } => {
                out.push_str("<figure class=\"chart\">");
                chart_svg(out, chart, (CHART_WIDTH, CHART_HEIGHT), true);
                let months = &chart.months;
                let mut caption = format!(
                    "Numerators and denominators summed over the teams with published counts \
                     each month ({}); {} (Laney's adjustment widens the limits by the variation \
                     between months that summing teams adds), limits from the first {} months. \
                     {}.{}",
                    team_runs(months, teams),
                    chart.chart.chart().title(),
                    self.r.baseline_months,
                    esc(&sentence(&chart.signals)),
                    mdc_badges(chart)
                );
                if !left_out.is_empty() {
                    let _ = write!(
                        caption,
                        " Left out because not every team's count was reported and published: {}.",
                        left_out
                            .iter()
                            .map(|m| month::label(*m))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
                let _ = writeln!(out, "<figcaption>{caption}</figcaption>\n</figure>");
            }
            Pooled::NotPooled { reason } => {
                let _ = writeln!(
                    out,
                    "<p class=\"muted\">No pooled chart: {}.</p>",
                    esc(reason)
                );
            }
        }
    }

    fn outcomes(&self, out: &mut String) {
        let outcomes = &self.r.dashboard.outcomes;
        if outcomes.is_empty() {
            out.push_str(
                "<p class=\"muted\">The collaborative file lists no expected outcomes.</p>\n",
            );
            return;
        }
        out.push_str(
            "<div class=\"scroll\"><table>\n<caption>What the program expects of its teams, \
             checked against their published data.</caption>\n<thead><tr><th \
             scope=\"col\">Outcome</th><th scope=\"col\">Expected of</th><th scope=\"col\">Teams \
             meeting it</th><th scope=\"col\">Met</th></tr></thead>\n<tbody>\n",
        );
        for check in outcomes {
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
        out.push_str("</tbody>\n</table></div>\n");
    }

    fn all_aims(&self, out: &mut String) {
        let aims = &self.r.dashboard.aims;
        if aims.is_empty() {
            out.push_str("<p class=\"muted\">No team has recorded an aim.</p>\n");
            return;
        }
        out.push_str(
            "<div class=\"scroll\"><table>\n<caption>Every team's aims, with progress computed \
             from its data: the baseline pools the first months, the current value the latest \
             three.</caption>\n<thead><tr><th scope=\"col\">Team</th><th scope=\"col\">Aim</th>\
             <th scope=\"col\">By</th><th scope=\"col\">Progress</th><th \
             scope=\"col\">Status</th></tr></thead>\n<tbody>\n",
        );
        for row in aims {
            let _ = writeln!(
                out,
                "<tr><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&row.team.anchor),
                esc(&row.team.name),
                esc(&row.aim.statement),
                month::date_label(row.aim.by),
                progress_cell(row),
                status_badge(&row.progress)
            );
        }
        out.push_str("</tbody>\n</table></div>\n");
    }

    fn harvest(&self, out: &mut String) {
        let harvest = &self.r.harvest;
        let _ = writeln!(
            out,
            "<section aria-labelledby=\"harvest\">\n<h2 id=\"harvest\">Harvest</h2>\n<p>The change \
             ideas the teams tested ({} in all), most promising first: ranked by the teams where \
             adopting the idea was followed by a signal of improvement on a linked measure, then \
             by the teams adopting it and the teams testing it. Ideas with the same key are one \
             idea across teams.</p>",
            plural(harvest.cycles, "cycle")
        );
        if harvest.ideas.is_empty() {
            out.push_str("<p class=\"muted\">No cycle has been recorded yet.</p>\n</section>\n");
            return;
        }
        let _ = writeln!(
            out,
            "<details{}><summary>{} ideas</summary>",
            if self.open || harvest.ideas.len() <= 12 {
                " open"
            } else {
                ""
            },
            harvest.ideas.len()
        );
        out.push_str(
            "<div class=\"scroll\"><table class=\"harvest\">\n<caption>Change ideas across teams. \
             Cycles end in adopt, adapt or abandon, or have no decision yet; \"not judged\" counts \
             teams that adopted the idea with too few months of data before or after it to \
             tell.</caption>\n<thead><tr>\
             <th scope=\"col\" class=\"num\">#</th><th scope=\"col\">Change idea <span class=\"muted\">and portfolio</span></th>\
             <th scope=\"col\">Teams testing</th>\
             <th scope=\"col\" class=\"num\">Cycles</th><th scope=\"col\" class=\"num\">Adopt</th>\
             <th scope=\"col\" class=\"num\">Adapt</th><th scope=\"col\" class=\"num\">Abandon</th>\
             <th scope=\"col\" class=\"num\">Undecided</th><th scope=\"col\" class=\"num\">Teams adopting</th>\
             <th scope=\"col\" class=\"num\">Teams improving</th><th scope=\"col\" class=\"num\">Not judged</th>\
             </tr></thead>\n<tbody>\n",
        );
        for (rank, idea) in harvest.ideas.iter().enumerate() {
            let teams = if idea.teams.len() > 6 {
                format!(
                    "{} <span class=\"muted\">and {} more</span>",
                    idea.teams[..5]
                        .iter()
                        .map(|t| esc(t))
                        .collect::<Vec<_>>()
                        .join(", "),
                    idea.teams.len() - 5
                )
            } else {
                idea.teams
                    .iter()
                    .map(|t| esc(t))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let _ = writeln!(
                out,
                "<tr><td class=\"num\">{}</td><td>{}{}<br><span class=\"muted small\">{}</span></td><td>{teams}</td>\
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
        out.push_str("</tbody>\n</table></div>\n</details>\n</section>\n");
    }

    fn team(&self, out: &mut String, team: &TeamSection) {
        let need = self
            .r
            .attention
            .iter()
            .find(|a| a.team.anchor == team.team.anchor)
            .map(|a| a.need);
        let _ = writeln!(
            out,
            "<details class=\"team\"{}><summary><h3>{}</h3> <span class=\"muted\">{}</span>{}</summary>\n\
             <div class=\"anchor\" id=\"{}\"></div>\n\
             <p class=\"lede\">Folder <code>teams/{}</code> · {} · {} · {}</p>",
            self.open_attr(),
            esc(&team.team.name),
            esc(&team.organization),
            need.map_or_else(String::new, |n| format!(" {}", need_badge(n))),
            esc(&team.team.anchor),
            esc(&team.folder),
            plural(team.measures.len(), "measure"),
            plural(team.cycle_count, "cycle"),
            plural(team.report_count, "report")
        );
        team_aims(out, team);
        out.push_str("<h4>Measures</h4>\n<div class=\"measures\">\n");
        for section in &team.measures {
            team_measure(out, &section.measure, section.chart.as_ref());
        }
        out.push_str("</div>\n");
        for section in &team.equity {
            equity(
                out,
                section,
                &self.r.suppression,
                self.r.teams.len() <= GROUP_CHARTS_UP_TO_TEAMS,
            );
        }
        cycles(out, team);
        reports(out, team);
        out.push_str("</details>\n");
    }

    fn footer(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "<footer>\n<p>Made with qic {}. {} {} Charts follow the NHS Making Data Count rules \
             (a point beyond the limits, a shift of seven, a trend of six, two of three beyond \
             two sigma), with limits from the first {} months of each phase; special cause \
             improvement is blue, concern orange, common cause grey, and every status is also \
             written out.</p>\n</footer>",
            env!("CARGO_PKG_VERSION"),
            suppression_sentence(&self.r.suppression, self.r.disclosure_audit.as_ref()),
            if self.r.suppressed_team_months > 0 {
                format!(
                    "{} of teams' measures are gaps in the charts: their counts are small \
                     (suppressed: small numbers).",
                    plural(self.r.suppressed_team_months, "month")
                )
            } else {
                String::new()
            },
            self.r.baseline_months
        );
    }
}

/// A folded part of a section: a `<details>` whose summary is an `<h3>`.
fn fold(out: &mut String, title: &str, open: bool, body: impl FnOnce(&mut String)) {
    let _ = writeln!(
        out,
        "<details class=\"part\"{}><summary><h3>{}</h3></summary>",
        if open { " open" } else { "" },
        esc(title)
    );
    body(out);
    out.push_str("</details>\n");
}

fn attention_row(out: &mut String, row: &Attention) {
    let mut signals = Vec::new();
    for concern in &row.concerns {
        signals.push(format!(
            "<span class=\"mdc concern\">concern</span> {}",
            esc(concern)
        ));
    }
    for improvement in &row.improvements {
        signals.push(format!(
            "<span class=\"mdc improvement\">improvement</span> {}",
            esc(improvement)
        ));
    }
    let mut reports = Vec::new();
    if row.missing > 0 {
        reports.push(format!("{} missing", row.missing));
    }
    if row.late > 0 {
        reports.push(format!("{} late", row.late));
    }
    let score = row.score.map_or_else(
        || "–".to_owned(),
        |s| {
            let arrow = if s.change() > 0.0 {
                "\u{2197} rising"
            } else if s.change() < 0.0 {
                "\u{2198} falling"
            } else {
                "\u{2192} flat"
            };
            format!(
                "{:.1} → {:.1} <span class=\"muted small\">{arrow}</span>",
                s.from.score(),
                s.to.score()
            )
        },
    );
    let _ = writeln!(
        out,
        "<tr class=\"need-{}\"><th scope=\"row\"><a href=\"#{}\">{}</a></th><td data-label=\"Need\">{} <small class=\"muted\">{}</small></td>\
         <td data-label=\"Signals\">{}</td><td data-label=\"Reports\">{}</td><td data-label=\"Aims off track\">{}</td><td data-label=\"Faculty score\">{score}</td></tr>",
        need_class(row.need),
        esc(&row.team.anchor),
        esc(&row.team.name),
        need_badge(row.need),
        row.points,
        if signals.is_empty() {
            "<span class=\"muted\">none</span>".to_owned()
        } else {
            signals.join("<br>")
        },
        if reports.is_empty() {
            "<span class=\"muted\">all in</span>".to_owned()
        } else {
            reports.join(", ")
        },
        if row.aims_off_track.is_empty() {
            "<span class=\"muted\">none</span>".to_owned()
        } else {
            row.aims_off_track
                .iter()
                .map(|a| esc(a))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
}

const fn need_class(need: Need) -> &'static str {
    match need {
        Need::High => "high",
        Need::Some => "some",
        Need::None => "none",
    }
}

fn need_badge(need: Need) -> String {
    let class = match need {
        Need::High => "missing",
        Need::Some => "late",
        Need::None => "ok",
    };
    format!("<span class=\"badge {class}\">{}</span>", need_words(need))
}

fn team_aims(out: &mut String, team: &TeamSection) {
    out.push_str("<h4>Aims</h4>\n");
    if team.aims.is_empty() {
        out.push_str("<p class=\"muted\">No aim recorded in team.toml.</p>\n");
        return;
    }
    out.push_str(
        "<div class=\"scroll\"><table>\n<caption>Aims and progress computed from the data.</caption>\n<thead><tr>\
         <th scope=\"col\">Aim</th><th scope=\"col\">Measure</th><th scope=\"col\">By</th>\
         <th scope=\"col\">Progress</th><th scope=\"col\">Status</th></tr></thead>\n<tbody>\n",
    );
    for row in &team.aims {
        let _ = writeln!(
            out,
            "<tr><td>{}<br><span class=\"muted small\">{}</span></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&row.aim.statement),
            esc(row.aim.key.as_str()),
            esc(&row.measure_name),
            month::date_label(row.aim.by),
            progress_cell(row),
            status_badge(&row.progress)
        );
    }
    out.push_str("</tbody>\n</table></div>\n");
}

fn team_measure(out: &mut String, measure: &Measure, chart: Option<&ChartView>) {
    let _ = writeln!(
        out,
        "<div class=\"measure\"><h5>{}</h5>\n<p class=\"meta\">{} measure · {} · {} ({} chart) · {} is better{}</p>\n\
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
    match chart {
        None => out.push_str("<p class=\"muted\">No data yet for this measure.</p>\n"),
        Some(chart) => measure_figure(out, measure, chart),
    }
    out.push_str("</div>\n");
}

/// The figure of one of a team's measures, annotated with numbered markers and their key.
fn measure_figure(out: &mut String, measure: &Measure, chart: &ChartView) {
    out.push_str("<figure class=\"chart keyed\">");
    // The caption carries the Making Data Count icons as coloured words; drawn once per team
    // and measure they would also add ~4 KB a chart (a quarter of a megabyte at 60 teams).
    chart_svg(out, chart, (CHART_WIDTH, CHART_HEIGHT), false);
    let phases = if chart.phase_starts.is_empty() {
        String::new()
    } else {
        format!(
            " New phase from {} (an adopted change the team marked as changing the process).",
            chart
                .phase_starts
                .iter()
                .map(|m| month::label(*m))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let _ = writeln!(
        out,
        "<figcaption>{}, {}: {}.{phases}{}{}",
        chart_type(measure.unit).title(),
        plural(chart.months.len(), "month"),
        esc(&chart.signals),
        hidden_words(chart),
        mdc_badges(chart)
    );
    if !chart.markers.is_empty() {
        out.push_str("<ol class=\"markers\" aria-label=\"Markers on the chart\">");
        for marker in &chart.markers {
            let kind = match marker.kind {
                MarkerKind::Adopted => "change",
                MarkerKind::Abandoned => "abandoned",
                MarkerKind::Session => "session",
            };
            match marker.number {
                Some(n) => {
                    let _ = write!(
                        out,
                        "<li class=\"{kind}\"><b>{n}</b> {} <small>{}</small></li>",
                        esc(&marker.label),
                        month::date_label(marker.date)
                    );
                }
                None => {
                    let _ = write!(
                        out,
                        "<li class=\"{kind}\"><b>–</b> {} <small>{}, outside the months charted</small></li>",
                        esc(&marker.label),
                        month::date_label(marker.date)
                    );
                }
            }
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</figcaption></figure>\n");
}

/// " 3 months suppressed: small numbers (Jan 2024, Feb 2024, Mar 2024)." or nothing.
fn hidden_words(chart: &ChartView) -> String {
    if chart.hidden.is_empty() {
        return String::new();
    }
    format!(
        " {} suppressed: small numbers ({}).",
        plural(chart.hidden.len(), "month"),
        chart
            .hidden
            .iter()
            .map(|m| month::label(*m))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The Making Data Count icons in words, as badges coloured as the convention has them.
fn mdc_badges(chart: &ChartView) -> String {
    let mut out = String::new();
    if let Some(v) = chart.variation {
        let _ = write!(out, " Variation: {}", mdc_badge(v));
    }
    if let Some(a) = chart.assurance {
        let _ = write!(out, " Assurance: {}", assurance_badge(a));
    }
    out
}

fn mdc_badge(variation: Variation) -> String {
    let class = match variation {
        Variation::ImprovementHigh | Variation::ImprovementLow => "improvement",
        Variation::ConcernHigh | Variation::ConcernLow => "concern",
        Variation::NeutralHigh | Variation::NeutralLow => "neutral",
        Variation::CommonCause => "common",
    };
    format!(
        "<span class=\"mdc {class}\">{}</span>",
        variation_words(variation)
    )
}

fn assurance_badge(assurance: Assurance) -> String {
    let class = match assurance {
        Assurance::ConsistentPass => "improvement",
        Assurance::ConsistentFail => "concern",
        Assurance::Inconsistent => "common",
    };
    format!(
        "<span class=\"mdc {class}\">{}</span>",
        assurance_words(assurance)
    )
}

/// Every team's chart of a required measure as a row: a sparkline on the shared scale, the
/// latest value and the Making Data Count icons in words.
fn spark_table(out: &mut String, required: &RequiredMeasure, months: &[YearMonth]) {
    let measure = &required.measure;
    let _ = writeln!(
        out,
        "<div class=\"scroll\"><table class=\"spark\">\n<caption>Each team's chart as a line on \
             the scale every team shares: the grey band runs from the lower to the upper \
             limit; points of special cause improvement are blue, of concern orange; a break \
             is a month not reported or suppressed (small numbers). The team's section has \
             the full chart.</caption>\n<thead><tr><th scope=\"col\">Team</th><th \
             scope=\"col\">Month by month</th><th scope=\"col\" class=\"num\">Latest</th><th \
             scope=\"col\">Variation</th><th scope=\"col\">Assurance</th></tr></thead>\n<tbody>"
    );
    for panel in &required.panels {
        let _ = write!(
            out,
            "<tr><th scope=\"row\"><a href=\"#{}\">{}</a></th>",
            esc(&panel.team.anchor),
            esc(&panel.team.name)
        );
        match &panel.chart {
            Some(chart) => {
                let latest = panel.latest.map_or_else(
                    || "–".to_owned(),
                    |(m, v)| {
                        format!(
                            "{} <span class=\"muted small\">{}</span>",
                            esc(&measure_value(measure, v)),
                            month::label(m)
                        )
                    },
                );
                let _ = writeln!(
                    out,
                    "<td>{}</td><td class=\"num\">{latest}</td><td>{}</td><td>{}</td></tr>",
                    sparkline(chart, months, required.y_range),
                    chart.variation.map_or_else(|| "–".to_owned(), mdc_badge),
                    chart
                        .assurance
                        .map_or_else(|| "–".to_owned(), assurance_badge),
                );
            }
            None => out.push_str("<td colspan=\"4\" class=\"muted\">no data</td></tr>\n"),
        }
    }
}

/// Width and height of a sparkline.
const SPARK: (f64, f64) = (216.0, 34.0);

/// A team's chart as a sparkline: the limits as a band, the centre line, the data with points
/// coloured as Making Data Count colours them, hidden months as breaks. It carries no text (its
/// `<title>` says what it shows), so it stays legible at any width.
fn sparkline(chart: &ChartView, months: &[YearMonth], y_range: Option<(f64, f64)>) -> String {
    let (width, height) = SPARK;
    let pad = 3.0;
    let (lo, hi) = y_range.unwrap_or((0.0, 1.0));
    let span = if hi > lo { hi - lo } else { 1.0 };
    let slot = (width - 2.0 * pad) / (months.len().max(2) - 1) as f64;
    let x_of = |m: YearMonth| {
        months
            .iter()
            .position(|x| *x == m)
            .map(|i| pad + slot * i as f64)
    };
    let y_of = |v: f64| pad + (height - 2.0 * pad) * (1.0 - ((v - lo) / span).clamp(0.0, 1.0));
    let points: Vec<(Option<f64>, qic_spc::Point)> = chart
        .months
        .iter()
        .zip(chart.chart.points())
        .map(|(m, p)| (x_of(*m), p))
        .collect();
    let mut band_top = String::new();
    let mut band_bottom = Vec::new();
    let mut centre = String::new();
    let mut line = String::new();
    let mut dots = String::new();
    let mut pen_up = true;
    for (x, p) in &points {
        let Some(x) = *x else { continue };
        if let (Some(l), Some(u)) = (p.lcl, p.ucl) {
            let _ = write!(
                band_top,
                "{}{x:.0},{:.0}",
                if band_top.is_empty() { "M" } else { "L" },
                y_of(u)
            );
            band_bottom.push(format!("{x:.0},{:.0}", y_of(l)));
        }
        if let Some(cl) = p.cl {
            let _ = write!(
                centre,
                "{}{x:.0},{:.0}",
                if centre.is_empty() { "M" } else { "L" },
                y_of(cl)
            );
        }
        match p.y {
            Some(y) => {
                let _ = write!(
                    line,
                    "{}{x:.1},{:.1}",
                    if pen_up { "M" } else { "L" },
                    y_of(y)
                );
                pen_up = false;
                let colour = match p.point_type {
                    Some(qic_spc::PointType::SpecialCauseImprovement) => "#289DE0",
                    Some(qic_spc::PointType::SpecialCauseConcern) => "#E08A00",
                    Some(
                        qic_spc::PointType::SpecialCauseNeutralHigh
                        | qic_spc::PointType::SpecialCauseNeutralLow,
                    ) => "#8A5AA8",
                    _ => "#7B7D7D",
                };
                let _ = write!(
                    dots,
                    "<circle cx=\"{x:.1}\" cy=\"{:.1}\" r=\"2.2\" fill=\"{colour}\"/>",
                    y_of(y)
                );
            }
            None => pen_up = true,
        }
    }
    let mut band = band_top;
    if !band_bottom.is_empty() {
        band_bottom.reverse();
        let _ = write!(band, "L{}Z", band_bottom.join("L"));
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-title\"><title id=\"{id}-title\">{}: {}</title>\
         <path d=\"{band}\" fill=\"#E9ECEF\"/><path d=\"{centre}\" fill=\"none\" stroke=\"#9AA0A6\"/>\
         <path d=\"{line}\" fill=\"none\" stroke=\"#555555\" stroke-width=\"1.2\"/>{dots}</svg>",
        esc(&chart.title),
        esc(&chart.signals),
        id = esc(&chart.id),
    )
}

/// Draws a chart view as inline SVG, with its markers (and the Making Data Count icons when
/// `icons`), in a box that keeps its text at least [`MIN_CHART_TEXT`] pixels: narrower screens
/// scroll the box instead of shrinking the chart.
fn chart_svg(out: &mut String, chart: &ChartView, (width, height): (u32, u32), icons: bool) {
    let mut options = SvgOptions::default()
        .title(chart.title.clone())
        .y_label(chart.y_label.clone())
        .size(width, height)
        .id(chart.id.clone())
        .icons(icons);
    let mut numbered: Vec<(YearMonth, usize)> = Vec::new();
    for marker in &chart.markers {
        if let Some(n) = marker.number
            && !numbered.contains(&(marker.month, n))
        {
            numbered.push((marker.month, n));
        }
    }
    for (m, n) in numbered {
        options = options.annotate(Annotation::new(month::x(m), n.to_string()));
    }
    let drawn = svg::render(&chart.chart, &options);
    boxed(out, &drawn, width);
}

/// Draws a chart view as a panel of small multiples: qic-spc's compact drawing (no axis title,
/// no line labels, fewer ticks), on the y range the panels share.
fn panel_svg(out: &mut String, chart: &ChartView, y_range: Option<(f64, f64)>) {
    let (width, height) = PANEL;
    let mut options = SvgOptions::default()
        .title(chart.title.clone())
        .size(width, height)
        .id(chart.id.clone());
    if let Some((lo, hi)) = y_range {
        options = options.y_range(lo, hi);
    }
    let panel = Panel {
        title: "",
        chart: &chart.chart,
    };
    let drawn = svg::render_grid(&[panel], 1, &options);
    boxed(out, &drawn, width);
}

/// A drawing in a box that keeps its text at least [`MIN_CHART_TEXT`] pixels.
fn boxed(out: &mut String, drawn: &str, width: u32) {
    let min_width = min_width(drawn, width);
    let _ = write!(
        out,
        "<div class=\"svg\" style=\"--w:{width}px;--min:{min_width}px\">{drawn}</div>"
    );
}

/// The narrowest a drawing may be shown so that its smallest text stays legible.
fn min_width(svg: &str, width: u32) -> u32 {
    let smallest = svg
        .split("font-size=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse::<f64>().ok())
        .fold(f64::INFINITY, f64::min);
    if !smallest.is_finite() || smallest <= 0.0 {
        return width;
    }
    let needed = (f64::from(width) * MIN_CHART_TEXT / smallest).ceil();
    // At most the drawing's own width: beyond it the text only grows.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let needed = needed.clamp(0.0, f64::from(width)) as u32;
    needed
}

fn equity(
    out: &mut String,
    section: &EquitySection,
    suppression: &Suppression,
    group_charts: bool,
) {
    let measure = &section.measure;
    let id = &section.id;
    let _ = writeln!(
        out,
        "<section class=\"equity\" aria-labelledby=\"eq-{id}\">\n<h4 id=\"eq-{id}\">Equity: {} by {}</h4>\n\
         <p class=\"note\">From patient-level records. {} Gaps are computed from published cells only.</p>",
        esc(&measure.name),
        esc(&section.dimensions),
        suppression_sentence(suppression, section.table.disclosure_audit.as_ref())
    );
    if section.groups.is_empty() {
        out.push_str("<p class=\"muted\">No group to chart: every record's group is unknown, declined or missing.</p>\n");
    } else if !group_charts {
        let _ = writeln!(
            out,
            "<p class=\"note\">Each group's rate month by month is in the table; the gaps to the \
             reference are charted below. {} of {} group-months are suppressed: small numbers.</p>",
            section.hidden_group_months, section.group_months
        );
    } else {
        out.push_str("<div class=\"panels\">");
        for panel in &section.groups {
            match &panel.chart {
                Some(chart) => {
                    out.push_str("<figure class=\"panel\">");
                    panel_svg(out, chart, section.y_range);
                    let _ = writeln!(
                        out,
                        "<figcaption>{}: {}</figcaption></figure>",
                        esc(&panel.group),
                        esc(&chart.signals)
                    );
                }
                None if panel.published == 0 => {
                    let _ = writeln!(
                        out,
                        "<figure class=\"panel empty\"><figcaption>{}: every month suppressed: small numbers. Nothing is charted.</figcaption></figure>",
                        esc(&panel.group)
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        "<figure class=\"panel empty\"><figcaption>{}: {} of {} months published, the others suppressed: small numbers. Too few to chart; the table has them.</figcaption></figure>",
                        esc(&panel.group),
                        panel.published,
                        panel.months
                    );
                }
            }
        }
        let _ = writeln!(
            out,
            "</div>\n<p class=\"note\">{} per group on one scale ({}). {} of {} group-months are \
             suppressed: small numbers, and show as gaps.</p>",
            match measure.unit {
                crate::measure::Unit::Proportion => "P chart",
                crate::measure::Unit::Rate => "U chart",
                _ => "C chart",
            },
            esc(&crate::report::y_label(measure)),
            section.hidden_group_months,
            section.group_months
        );
    }
    stratified_table(out, measure, &section.table);
    gaps(out, section);
    out.push_str("</section>\n");
}

fn gaps(out: &mut String, section: &EquitySection) {
    let gap = &section.gap;
    let Some(reference) = &gap.reference else {
        out.push_str(
            "<p class=\"muted\">No gap series: no group has a published total to compare \
             with.</p>\n",
        );
        return;
    };
    let _ = writeln!(
        out,
        "<h5>Gap to {}</h5>\n<p class=\"note\">Reference: {} ({}). The gap is how much worse \
         the group does than the reference, in {}: above zero the group does worse, below zero \
         better, as the aims count it.</p>",
        esc(reference),
        esc(reference),
        esc(&gap.why),
        esc(&gap.units)
    );
    if gap.panels.is_empty() && gap.too_few.is_empty() {
        out.push_str(
            "<p class=\"muted\">No month has both a group and the reference published, so no \
             gap can be shown without revealing a small cell.</p>\n",
        );
        return;
    }
    if !gap.too_few.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"note\">Not charted, too few months with both published: {}.</p>",
            gap.too_few
                .iter()
                .map(|(group, n)| format!("{} ({})", esc(group), plural(*n, "month")))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if gap.panels.is_empty() {
        return;
    }
    out.push_str("<div class=\"panels\">");
    for (label, chart) in &gap.panels {
        out.push_str("<figure class=\"panel\">");
        panel_svg(out, chart, None);
        let _ = writeln!(
            out,
            "<figcaption>{}: {}</figcaption></figure>",
            esc(label),
            esc(&chart.signals)
        );
    }
    out.push_str("</div>\n");
}

/// The suppressed stratified table: months down, groups across, totals last.
fn stratified_table(out: &mut String, measure: &Measure, table: &StratifiedTable) {
    let rows = &table.rows;
    let count = |n: Option<u64>| {
        n.map_or_else(
            || "<i>suppressed</i>".to_owned(),
            |n| format!("<small>{n}</small>"),
        )
    };
    let _ = write!(
        out,
        "<div class=\"scroll\"><table class=\"strata\">\n<caption>{} by group and month: rate, then \
         numerator/denominator; <b>s</b>: suppressed (small numbers). Records read: {}; used: {}",
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
    for s in &table.stratum_totals {
        let _ = write!(
            out,
            "<th scope=\"col\">{}</th>",
            esc(&table.stratum_label(&s.stratum))
        );
    }
    out.push_str("<th scope=\"col\">All groups</th></tr></thead>\n<tbody>\n");
    let mut unreliable = false;
    for total in &table.period_totals {
        let period = total.period;
        let label = month::of_period(period).map_or_else(|| period.to_string(), month::label);
        let _ = write!(out, "<tr><th scope=\"row\">{label}</th>");
        for s in &table.stratum_totals {
            match table
                .cells
                .iter()
                .find(|c| c.period == period && c.stratum == s.stratum)
            {
                Some(c) => {
                    unreliable |= c.estimate.unreliable;
                    estimate_cell(out, measure, &c.estimate);
                }
                None => out.push_str("<td class=\"empty\">–</td>"),
            }
        }
        unreliable |= total.estimate.unreliable;
        estimate_cell(out, measure, &total.estimate);
        out.push_str("</tr>\n");
    }
    out.push_str("<tr class=\"total\"><th scope=\"row\">All months</th>");
    for s in &table.stratum_totals {
        unreliable |= s.estimate.unreliable;
        estimate_cell(out, measure, &s.estimate);
    }
    unreliable |= table.total.unreliable;
    estimate_cell(out, measure, &table.total);
    out.push_str("</tr>\n</tbody>\n</table></div>\n");
    if unreliable {
        let _ = writeln!(
            out,
            "<p class=\"note\">* Unreliable: fewer than {} events, or a 95% interval wider than \
             the rule allows; read with care.</p>",
            table.reliability.min_events
        );
    }
}

fn estimate_cell(out: &mut String, measure: &Measure, e: &Estimate) {
    if e.suppressed {
        out.push_str("<td class=\"s\">s</td>");
        return;
    }
    let rate = e.rate.map_or_else(
        || "–".to_owned(),
        |r| measure_value(measure, r * measure.multiplier),
    );
    let counts = match (e.numerator, e.denominator) {
        (Some(n), Some(d)) => format!("<small>{n}/{d}</small>"),
        (Some(n), None) => format!("<small>{n}</small>"),
        _ => String::new(),
    };
    let _ = write!(
        out,
        "<td>{}{}{counts}</td>",
        esc(&rate),
        if e.unreliable { "*" } else { "" },
    );
}

fn cycles(out: &mut String, team: &TeamSection) {
    out.push_str("<h4>PDSA cycles</h4>\n");
    if team.cycles.is_empty() {
        out.push_str("<p class=\"muted\">No cycle recorded.</p>\n");
        return;
    }
    out.push_str(
        "<div class=\"scroll\"><table class=\"cycles\">\n<caption>Each cycle's plan, how far it \
         has got, and the decision.</caption>\n<thead><tr><th scope=\"col\">Cycle</th><th \
         scope=\"col\">Change idea</th><th scope=\"col\">Objective</th><th \
         scope=\"col\">Scale</th><th scope=\"col\">Planned</th><th scope=\"col\">Phase</th><th \
         scope=\"col\">Decision</th></tr></thead>\n<tbody>\n",
    );
    for cycle in &team.cycles {
        let phase = match cycle.predictions_met {
            Some(met) => format!(
                "{} <span class=\"muted small\">(predictions met: {})</span>",
                phase_words(cycle.phase),
                match met {
                    PredictionsMet::Yes => "yes",
                    PredictionsMet::Partly => "partly",
                    PredictionsMet::No => "no",
                }
            ),
            None => phase_words(cycle.phase).to_owned(),
        };
        let decision = cycle.decision.map_or_else(
            || "–".to_owned(),
            |(decision, date)| {
                format!(
                    "<span class=\"badge {}\">{}</span><br><span class=\"muted small\">{}</span>",
                    match decision {
                        ActDecision::Adopt => "ok",
                        ActDecision::Adapt => "info",
                        ActDecision::Abandon => "late",
                    },
                    decision.label(),
                    month::date_label(date)
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
            esc(&cycle.idea),
            esc(&cycle.objective),
            esc(&cycle.scale),
            month::date_label(cycle.planned),
        );
    }
    out.push_str("</tbody>\n</table></div>\n");
    out.push_str("<h5>Ramps</h5>\n<ul class=\"ramps\">\n");
    for ramp in &team.ramps {
        let steps: Vec<String> = ramp
            .steps
            .iter()
            .map(|(k, s)| {
                format!(
                    "{} <span class=\"muted\">({})</span>",
                    esc(k.as_str()),
                    esc(s)
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "<li><strong>{}</strong>: {} · latest decision: {}</li>",
            esc(&ramp.idea),
            steps.join(" → "),
            ramp.latest.map_or("none yet", ActDecision::label)
        );
    }
    out.push_str("</ul>\n");
}

fn reports(out: &mut String, team: &TeamSection) {
    out.push_str("<h4>Monthly reports</h4>\n");
    if team.reports.is_empty() {
        return;
    }
    out.push_str(
        "<div class=\"scroll\"><table class=\"reports\">\n<caption>Every month of the program so \
         far, with the team's report if it came.</caption>\n<thead><tr><th \
         scope=\"col\">Month</th><th scope=\"col\">Report</th><th scope=\"col\">Scores</th><th \
         scope=\"col\">Cycles</th><th scope=\"col\">Narrative</th></tr></thead>\n<tbody>\n",
    );
    let score = |l: Option<AssessmentLevel>| {
        l.map_or_else(|| "–".to_owned(), |l| format!("{:.1}", l.score()))
    };
    for row in &team.reports {
        let (submitted, scores) = match row.submitted {
            Some(sent) => (
                format!(
                    "<br><span class=\"muted small\">sent {}</span>",
                    month::date_label(sent)
                ),
                format!(
                    "faculty {} · self {}",
                    score(row.faculty),
                    score(row.self_assessed)
                ),
            ),
            None => (String::new(), "–".to_owned()),
        };
        let cycles = if row.cycles.is_empty() {
            "–".to_owned()
        } else {
            row.cycles
                .iter()
                .map(|k| esc(k.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}{submitted}</td><td>{scores}</td><td>{cycles}</td><td class=\"narrative\">{}</td></tr>",
            month::label(row.month),
            timeliness_badge(row.status, false),
            esc(&row.narrative)
        );
    }
    out.push_str("</tbody>\n</table></div>\n");
}

fn progress_cell(row: &AimRow) -> String {
    let bar = match &row.progress {
        SharedProgress::Shown(p) => p.share_of_the_way.map_or_else(String::new, |share| {
            let width = (share.clamp(0.0, 1.0) * 100.0).round();
            format!(
                "<span class=\"progress\" role=\"img\" aria-label=\"{}% of the way\"><span style=\"width:{width:.0}%\"></span></span> ",
                short_number(share * 100.0)
            )
        }),
        _ => String::new(),
    };
    format!("{bar}{}", esc(&row.words))
}

fn status_badge(progress: &SharedProgress) -> String {
    let (class, words) = match progress {
        SharedProgress::Shown(p) => (
            match p.status {
                AimStatus::Met => "ok",
                AimStatus::InProgress => "info",
                AimStatus::NotMet => "missing",
                AimStatus::NoData => "pending",
            },
            status_words(p.status),
        ),
        SharedProgress::Hidden => ("pending", "hidden"),
        SharedProgress::NoData => ("pending", "no data yet"),
        SharedProgress::Invalid { .. } => ("missing", "cannot be judged"),
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
        (Timeliness::Late { days }, true) => format!("+{days}"),
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
            month::label(*m),
            month::short_name(*m)
        );
    }
    out.push_str("</tr></thead>\n");
}

fn signal_share(out: &mut String, signals: &[MonthSignals], baseline: usize) {
    out.push_str("<figure class=\"chart\">");
    boxed(out, &signals_svg(signals), CHART_WIDTH);
    let _ = writeln!(
        out,
        "<figcaption>Share of teams whose required measures show a signal of improvement in \
         the month, against a baseline of their first {baseline} months; a team with fewer \
         months of data is not judged yet.</figcaption>\n</figure>",
    );
}

/// The share of teams improving month by month, as a small bar chart.
fn signals_svg(signals: &[MonthSignals]) -> String {
    let (width, height) = (f64::from(CHART_WIDTH), 190.0);
    let (left, right, top, bottom) = (44.0, 8.0, 20.0, 40.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let slot = plot_w / signals.len().max(1) as f64;
    let bar = (slot * 0.6).min(48.0);
    let words: Vec<String> = signals
        .iter()
        .map(|s| match s.share {
            Some(share) => format!(
                "{}: {} of {} teams ({}%)",
                month::label(s.month),
                s.improving,
                s.judged,
                short_number(share * 100.0)
            ),
            None => format!("{}: no team judged yet", month::label(s.month)),
        })
        .collect();
    // The count over each bar only where the bars leave room for it.
    let labelled = slot >= 26.0;
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
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{}\"/>\n<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#555555\">{label}</text>",
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
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\" fill=\"#289DE0\"/>",
                    centre - bar / 2.0,
                    top + plot_h - h,
                );
                if labelled {
                    let _ = writeln!(
                        svg,
                        "<text x=\"{centre:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#222222\">{}/{}</text>",
                        top + plot_h - h - 4.0,
                        s.improving,
                        s.judged
                    );
                }
            }
            None => {
                let _ = writeln!(
                    svg,
                    "<text x=\"{centre:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#767676\">n/a</text>",
                    top + plot_h - 4.0
                );
            }
        }
        let _ = writeln!(
            svg,
            "<text x=\"{centre:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#555555\">{}</text>",
            top + plot_h + 15.0,
            month::short_name(s.month)
        );
        if i == 0 || s.month.month() == 1 {
            let _ = writeln!(
                svg,
                "<text x=\"{centre:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#767676\">{}</text>",
                top + plot_h + 28.0,
                s.month.year()
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

/// "2 teams in Jan 2025 to Feb 2025, 1 in Mar 2025 to Jun 2025".
fn team_runs(months: &[YearMonth], teams: &[usize]) -> String {
    let mut runs: Vec<(YearMonth, YearMonth, usize)> = Vec::new();
    for (m, &n) in months.iter().zip(teams) {
        match runs.last_mut() {
            Some(run) if run.2 == n => run.1 = *m,
            _ => runs.push((*m, *m, n)),
        }
    }
    runs.iter()
        .map(|(a, b, n)| {
            let teams = plural(*n, "team");
            if a == b {
                format!("{teams} in {}", month::label(*a))
            } else {
                format!("{teams} in {} to {}", month::label(*a), month::label(*b))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn suppression_sentence(
    suppression: &Suppression,
    audit: Option<&qic_equity::disclosure::AuditStamp>,
) -> String {
    match suppression.threshold() {
        Some(t) => format!(
            "Small cells are suppressed: no count from 1 to {t} from patient-level data is \
             shown, nor any rate built on one, and other cells are hidden where a total would \
             give one away.{}",
            audit.map_or_else(String::new, |a| format!(" {}.", a.describe()))
        ),
        None => "Suppression is off: for internal use only.".to_owned(),
    }
}

/// The text with its first letter capitalized, to start a sentence.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
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

/// The heat map's classes, `.h0` to `.h9`: each level's colour with the text that reads on it.
fn heat_style() -> String {
    let mut out = String::new();
    for level in AssessmentLevel::ALL {
        let bg = heat_colour(level);
        let _ = writeln!(
            out,
            ".h{} {{ background: {bg}; color: {}; }}",
            level.index(),
            text_on(bg)
        );
    }
    out
}

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

const STYLE: &str = r#":root { --ink: #1F2328; --muted: #57606A; --line: #D0D7DE; --soft: #F6F8FA; --accent: #0072B2; --improve: #289DE0; --concern: #FAB428; --common: #7B7D7D; }
* { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0; color: var(--ink); background: #FFFFFF; font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; line-height: 1.5; overflow-wrap: break-word; }
.page { max-width: 1240px; margin: 0 auto; padding: 2rem 1.25rem 3rem; }
a { color: #005A8C; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88em; background: var(--soft); padding: 0 .25em; border-radius: 3px; }
.masthead { border-bottom: 3px solid var(--ink); padding-bottom: 1rem; margin-bottom: 1rem; }
.eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: .78rem; color: var(--muted); margin: 0; }
h1 { font-size: 2rem; line-height: 1.2; margin: .2rem 0 .8rem; }
h2 { font-size: 1.55rem; line-height: 1.25; margin: 2.5rem 0 .75rem; padding-bottom: .3rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.2rem; margin: 1.4rem 0 .5rem; }
h4 { font-size: 1.05rem; margin: 1.4rem 0 .3rem; }
h5 { font-size: .95rem; margin: 1rem 0 .3rem; }
summary { cursor: pointer; }
summary > h2, summary > h3 { display: inline; margin: 0; border: 0; }
details.part { margin: 1.2rem 0; }
details.part > summary { padding: .25rem 0; }
details.team { border-top: 1px solid var(--line); padding: .5rem 0; }
details.team > summary { padding: .35rem 0; }
details.team > summary > h3 { font-size: 1.25rem; }
details.multiples > summary { color: #005A8C; margin: .3rem 0; }
.anchor { scroll-margin-top: 3rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1.25rem; margin: 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
.toc ol { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; list-style: none; padding: .5rem 0; margin: 0; border-bottom: 1px solid var(--line); font-size: .92rem; }
.warnings { border-left: 4px solid #D55E00; background: #FFF6F1; padding: .25rem 1rem .5rem; margin-top: 1.5rem; }
.warnings.none { border-left-color: #009E73; background: #F1FAF6; }
.warnings h2 { border: 0; margin: .5rem 0 .25rem; font-size: 1.25rem; }
.warnings ul { margin: .25rem 0 .5rem; padding-left: 1.25rem; }
.scroll { overflow-x: auto; max-width: 100%; margin: .4rem 0 1.1rem; position: relative; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; color: var(--muted); font-size: .85rem; padding-bottom: .4rem; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .45rem; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); font-weight: 600; vertical-align: bottom; }
tbody th { font-weight: 600; }
tr.total th, tr.total td { border-top: 2px solid var(--line); background: var(--soft); }
.num { text-align: right; }
th.month { text-align: center; font-weight: 600; }
th.month abbr { text-decoration: none; }
.year { display: block; font-weight: 400; font-size: .75rem; color: var(--muted); }
.heat, .grid { width: auto; }
.heat tbody th, .grid tbody th { white-space: nowrap; font-size: .85rem; padding: .15rem .45rem .15rem 0; }
.heat td { text-align: center; border: 1px solid #FFFFFF; padding: .1rem .15rem; min-width: 3.1rem; white-space: nowrap; font-size: .82rem; }
.heat td small { font-size: .7rem; margin-left: .2rem; opacity: .85; }
.heat td.none { background: #F3F4F6; color: var(--muted); }
.heat tr.total td { font-size: .75rem; color: var(--ink); }
.grid td { text-align: center; padding: .1rem .05rem; min-width: 2.2rem; }
.grid .badge { font-size: .68rem; padding: 0 .25rem; }
.scale { display: flex; flex-wrap: wrap; list-style: none; padding: 0; margin: -.5rem 0 1rem; font-size: .75rem; max-width: 40rem; }
.scale li { flex: 1 0 2.5rem; text-align: center; padding: .1rem 0; }
.scale li.key { flex: 0 0 4rem; text-align: left; color: var(--muted); }
.badge { display: inline-block; padding: 0 .45rem; border-radius: .7rem; font-size: .78rem; font-weight: 600; white-space: nowrap; border: 1px solid transparent; line-height: 1.5; }
.ok { background: #E3F2EC; color: #00573D; border-color: #8FCBB3; }
.late { background: #FDF0D8; color: #6B4300; border-color: #E9B85A; }
.missing { background: #FBE4DA; color: #8A2F00; border-color: #E39A74; border-style: dashed; }
.pending { background: #F0F1F3; color: #4B535C; border-color: #D0D7DE; }
.info { background: #E1EEF8; color: #00487A; border-color: #9CC6E6; }
.mdc { display: inline-block; padding: 0 .4rem; border-radius: .3rem; font-size: .78rem; font-weight: 600; border-left: 4px solid var(--common); background: var(--soft); color: var(--ink); }
.mdc.improvement { border-left-color: var(--improve); }
.mdc.concern { border-left-color: var(--concern); }
.attention td, .attention th { font-size: .85rem; }
.attention tr.need-high th { border-left: 4px solid #D55E00; }
.attention tr.need-some th { border-left: 4px solid #E9B85A; }
.attention tr.need-none th { border-left: 4px solid #8FCBB3; }
figure { margin: .75rem 0 1.25rem; min-width: 0; }
.svg { overflow-x: auto; max-width: 100%; }
@media (min-width: 1000px) {
  figure.keyed { display: grid; grid-template-columns: minmax(0, max-content) minmax(16rem, 1fr); column-gap: 1.5rem; align-items: start; }
  figure.keyed > figcaption { margin-top: 1.5rem; }
}
.svg svg { display: block; width: 100%; max-width: var(--w); min-width: var(--min); height: auto; }
figcaption { font-size: .85rem; color: var(--muted); margin-top: .35rem; }
.spark td, .spark th { vertical-align: middle; padding: .1rem .45rem; }
.spark svg { display: block; }
.panels { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 262px), 1fr)); gap: .5rem 1rem; margin: .5rem 0 1rem; }
.panels figure { margin: 0; }
.panels figcaption { font-size: .78rem; margin-top: .1rem; }
.panel.empty { border: 1px dashed var(--line); padding: .5rem; min-height: 4rem; }
.measures { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 600px), 1fr)); gap: 0 1.5rem; }
.measure { min-width: 0; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: .2rem 1.1rem; padding: .45rem .75rem; margin: .4rem 0 .8rem; font-size: .8rem; background: var(--soft); border-radius: 6px; }
.legend li { display: flex; align-items: center; gap: .35rem; }
.markers { list-style: none; padding: 0; margin: .4rem 0 0; font-size: .84rem; }
.markers b { display: inline-block; min-width: 1.3rem; text-align: center; color: #7A3B63; }
.markers small { color: var(--muted); font-size: .8rem; }
.meta { margin: 0; color: var(--muted); font-size: .85rem; }
.definition { margin: .15rem 0 .4rem; font-size: .82rem; }
.lede { color: var(--muted); margin-top: .25rem; }
.note { font-size: .85rem; color: var(--muted); }
.small { font-size: .8rem; }
.muted { color: var(--muted); }
td.s { color: var(--muted); font-style: italic; background: #F3F4F6; text-align: center; }
.strata td, .strata th { text-align: right; white-space: nowrap; }
.strata th[scope="row"], .strata thead th:first-child { text-align: left; }
.strata small { display: block; color: var(--muted); }
.progress { display: inline-block; width: 70px; height: 8px; background: #E6E9ED; border-radius: 4px; vertical-align: middle; overflow: hidden; }
.progress span { display: block; height: 100%; background: var(--accent); }
.equity { margin-top: 1.5rem; padding-top: .25rem; }
td.narrative { min-width: 14rem; }
.ramps { padding-left: 1.25rem; }
.harvest { font-size: .84rem; }
.harvest td:nth-child(2) { min-width: 12rem; }
.cycles td:nth-child(3) { min-width: 12rem; }
footer { margin-top: 3rem; padding-top: .75rem; border-top: 1px solid var(--line); font-size: .8rem; color: var(--muted); }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
caption { position: sticky; left: 0; }
@media (max-width: 600px) {
  html { font-size: 14px; }
  .attention, .attention tbody, .attention tr, .attention th, .attention td { display: block; width: 100%; }
  .attention thead { display: none; }
  .attention caption { display: block; position: static; }
  .attention tr { border-bottom: 1px solid var(--line); padding: .3rem 0; }
  .attention th, .attention td { border: 0; padding: .1rem .5rem; }
  .attention td::before { content: attr(data-label) ": "; color: var(--muted); font-size: .8rem; }
  .attention tr.need-high { border-left: 4px solid #D55E00; }
  .attention tr.need-some { border-left: 4px solid #E9B85A; }
  .attention tr.need-none { border-left: 4px solid #8FCBB3; }
  .page { padding: 1rem .75rem 2rem; }
  h1 { font-size: 1.5rem; }
  .facts { grid-template-columns: 1fr; }
  .facts dt { margin-top: .3rem; }
}
@page { margin: 14mm; }
@media print {
  html { font-size: 10pt; }
  .page { max-width: none; padding: 0; }
  .toc, summary::marker { display: none; }
  details::details-content { content-visibility: visible; display: contents; }
  details > summary { list-style: none; }
  details.team { break-before: page; border: 0; }
  #harvest { break-before: page; }
  figure, .legend, .markers, tr { break-inside: avoid; }
  h2, h3, h4, h5, summary { break-after: avoid; }
  .scroll, .svg { overflow: visible; }
  .svg svg { min-width: 0; }
  a { color: inherit; text-decoration: none; }
  .heat td, .scale li, .badge, .mdc, .progress span, td.s, .warnings { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
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
        assert_eq!(
            crate::report::slug("Lakeside Clinic #2"),
            "lakeside-clinic-2"
        );
        assert_eq!(crate::report::slug("--x--"), "x");
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

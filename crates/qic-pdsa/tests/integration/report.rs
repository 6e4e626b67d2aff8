//! The collaborative report on the fixture: its model as JSON and its HTML as snapshots, what
//! the page must show, and scans of both for any small count.

use std::collections::BTreeSet;

use qic_equity::suppression::Reliability;
use qic_pdsa::Collaborative;
use qic_pdsa::report::Report;
use qic_pdsa::series::{DataPoint, Series};

fn render(c: &Collaborative) -> String {
    qic_pdsa::html::render(&Report::build(c).unwrap())
}

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/collaborative");

fn fixture() -> Collaborative {
    Collaborative::load(FIXTURE).unwrap()
}

/// The parts of the page between `<section class="equity"` and its `</section>`.
fn equity_sections(html: &str) -> Vec<&str> {
    html.split("<section class=\"equity\"")
        .skip(1)
        .filter_map(|rest| rest.split("</section>").next())
        .collect()
}

/// The text inside every element opened with `open` (e.g. `<span class="count">`).
fn contents<'a>(html: &'a str, open: &str) -> Vec<&'a str> {
    html.split(open)
        .skip(1)
        .filter_map(|rest| rest.split('<').next())
        .collect()
}

#[test]
fn the_fixture_report_matches_its_snapshot() {
    let html = render(&fixture());
    insta::assert_snapshot!("fixture_report_html", html);
}

#[test]
fn the_fixture_report_model_matches_its_snapshot() {
    let report = Report::build(&fixture()).unwrap();
    insta::assert_json_snapshot!("fixture_report_json", report);
}

#[test]
fn the_page_is_self_contained_and_accessible() {
    let html = render(&fixture());
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    for outside in [
        "<script",
        "<link",
        "src=\"http",
        "href=\"http",
        "@import",
        "url(",
    ] {
        assert!(!html.contains(outside), "the page holds {outside}");
    }
    assert!(html.contains("@media print"));
    assert!(html.contains("break-before: page"));
    // Every table has a caption, every chart a title and a description.
    assert_eq!(
        html.matches("<table").count(),
        html.matches("<caption>").count()
    );
    let svgs = html.matches("<svg xmlns").count();
    assert!(svgs >= 5, "{svgs} charts");
    assert_eq!(html.matches("role=\"img\" aria-labelledby=").count(), svgs);
    // SVG title ids are unique in the page.
    let ids: Vec<&str> = contents(&html, "<title id=\"");
    let unique: BTreeSet<&str> = html
        .split("<title id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(unique.len(), ids.len());
}

#[test]
fn the_page_shows_what_a_collaborative_needs() {
    let c = fixture();
    let html = render(&c);
    // Header.
    assert!(html.contains("<h1>Hypertension Collaborative 2025</h1>"));
    assert!(html.contains("Hypertension Control Collaborative"));
    assert!(html.contains("30 Jun 2025"));
    // Every warning, the team not enrolled first among them.
    assert!(html.contains("<h2 id=\"warnings\">Warnings (4)</h2>"));
    for w in &c.warnings {
        assert!(
            html.contains(&w.message.replace('\'', "&#39;")),
            "{}",
            w.message
        );
    }
    assert!(html.contains("team `Extra` is not enrolled"));
    // Dashboard parts.
    for part in [
        "<h2 id=\"attention\">Which teams need attention</h2>",
        "<h3>Assessment scores</h3>",
        "<h3>Monthly reports</h3>",
        "<h3>Teams with a signal of improvement</h3>",
        "<h3>Required measures</h3>",
        "Every team: P chart on one scale",
        "all teams pooled</title>",
        "<h3>Expected outcomes</h3>",
        "<h2 id=\"harvest\">Harvest</h2>",
    ] {
        assert!(html.contains(part), "{part}");
    }
    // The attention table links every team to its section.
    assert!(html.contains(
        "<th scope=\"row\"><a href=\"#team-lakeside\">Lakeside</a></th><td><span class=\"badge"
    ));
    // The heat map: Lakeside's January faculty score 1.0 with its self-score 1.5; Valley has none.
    assert!(html.contains("<b>1.0</b><small>1.5</small>"));
    assert!(html.contains("no faculty score"));
    // Reports: late by 10 days, missing, not yet due.
    for badge in [
        "title=\"late 10 days\">+10<",
        "title=\"missing\">\u{2717}<",
        "title=\"not yet due\">\u{00B7}<",
    ] {
        assert!(html.contains(badge), "{badge}");
    }
    // Team sections with their annotated charts and cycles.
    assert!(html.contains("<summary><h3>Lakeside</h3>"));
    assert!(html.contains("<div class=\"anchor\" id=\"team-lakeside\"></div>"));
    assert!(html.contains("<div class=\"anchor\" id=\"team-valley\"></div>"));
    assert!(html.contains("Adopted: Recheck high readings after five minutes of rest"));
    assert!(html.contains("Learning Session 1"));
    assert!(html.contains("New phase from Mar 2025"));
    assert!(html.contains("Can one MA recheck every high reading?"));
    assert!(html.contains("Charter done; baseline pulled."));
    // The harvest's one idea.
    assert!(html.contains("Measure blood pressure accurately"));
    // The equity section with its table and gap.
    assert_eq!(equity_sections(&html).len(), 1);
    assert!(html.contains("Gap to White"));
}

#[test]
fn no_stratified_count_from_1_to_10_reaches_the_page() {
    let c = fixture();
    let html = render(&c);
    let sections = equity_sections(&html);
    assert!(!sections.is_empty());
    let threshold = c.settings.suppress_counts_up_to;

    // 1. Every count shown in a stratified section is 0 or above the threshold.
    let mut shown = 0;
    for section in &sections {
        for text in contents(section, "<small>") {
            for count in text.split('/') {
                let n: u64 = count.trim().parse().unwrap_or_else(|_| panic!("{text:?}"));
                assert!(
                    n == 0 || n > threshold,
                    "a stratified count of {n} is on the page"
                );
                shown += 1;
            }
        }
    }
    assert!(shown > 0, "the scan saw no count at all");

    // 2. Every cell of the raw counts with a small count (numerator, denominator or their
    //    difference) is marked suppressed where the table shows it.
    let team = &c.teams[0];
    let counts = &team.strata[&"bp-control".parse().unwrap()];
    let table = counts.table(&c.suppression(), &Reliability::default());
    let cells = table_cells(sections[0]);
    let mut small = 0;
    for (period, stratum, cell) in counts.cells() {
        let values = [
            cell.numerator,
            cell.denominator,
            cell.denominator - cell.numerator,
        ];
        if !values.iter().any(|&v| (1..=threshold).contains(&v)) {
            continue;
        }
        small += 1;
        let month = qic_pdsa::month::label(qic_pdsa::month::of_period(period).unwrap());
        let group = table.stratum_label(stratum);
        let cell = cells
            .iter()
            .find(|(m, g, _)| *m == month && *g == group)
            .unwrap_or_else(|| panic!("no cell for {month} {group}"));
        assert_eq!(cell.2, "<td class=\"s\">s</td>", "{month} {group} is shown");
    }
    assert!(small > 0, "the fixture has no small cell to hide");

    // 3. Each group's chart holds a point for each published month and none for the others; a
    //    group with too few published months is not charted, and the page says so.
    let report = Report::build(&c).unwrap();
    let section = &report.teams[0].equity[0];
    let mut said = 0;
    for panel in &section.groups {
        let published = table
            .cells
            .iter()
            .filter(|cell| table.stratum_label(&cell.stratum) == panel.group)
            .filter(|cell| !cell.estimate.suppressed)
            .count();
        assert_eq!(panel.published, published, "{}", panel.group);
        if let Some(chart) = &panel.chart {
            assert_eq!(
                chart.chart.points().filter(|p| p.y.is_some()).count(),
                published
            );
        } else {
            assert!(published < qic_pdsa::report::MIN_CHARTED_MONTHS);
            said += 1;
        }
    }
    assert!(said > 0);
    assert!(
        html.contains("months published, the others suppressed: small numbers. Too few to chart")
    );
    assert!(html.contains("every month suppressed: small numbers. Nothing is charted."));
}

/// The cells of the first stratified table in `html`: (month, group, the `<td>` as written).
fn table_cells(html: &str) -> Vec<(String, String, String)> {
    let table = html
        .split("<table class=\"strata\">")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .expect("a stratified table");
    let head = table.split("</thead>").next().unwrap_or_default();
    let columns: Vec<&str> = head
        .split("<th scope=\"col\">")
        .skip(2)
        .filter_map(|c| c.split('<').next())
        .collect();
    let mut out = Vec::new();
    for row in table.split("<tr><th scope=\"row\">").skip(1) {
        let month = row.split('<').next().unwrap_or_default().to_owned();
        for (cell, group) in row.split("<td").skip(1).zip(&columns) {
            let td = format!("<td{}", cell.split("</td>").next().unwrap_or_default());
            out.push((month.clone(), (*group).to_owned(), format!("{td}</td>")));
        }
    }
    out
}

/// Every count-like number in the model: 0, above the threshold, or absent.
fn scan_counts(value: &serde_json::Value, threshold: u64, path: &str, found: &mut usize) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                let here = format!("{path}.{key}");
                if matches!(
                    key.as_str(),
                    "numerator" | "denominator" | "n" | "read" | "used" | "rows"
                ) && let Some(n) = v.as_f64()
                {
                    *found += 1;
                    assert!(
                        n == 0.0 || n > threshold as f64 || n.is_nan(),
                        "a count of {n} is in the model at {here}"
                    );
                }
                scan_counts(v, threshold, &here, found);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                scan_counts(v, threshold, &format!("{path}[{i}]"), found);
            }
        }
        _ => {}
    }
}

/// Every team chart's points: the counts behind a proportion (numerator, denominator and those
/// who did not meet it) are 0 or above the threshold.
fn scan_chart_counts(report: &Report, threshold: u64) -> usize {
    let mut seen = 0;
    for team in &report.teams {
        for section in &team.measures {
            let Some(chart) = &section.chart else {
                continue;
            };
            let multiplier = section.measure.multiplier;
            for p in chart.chart.points() {
                let (Some(y), Some(n)) = (p.y, p.n) else {
                    continue;
                };
                let numerator = (y / multiplier * n).round();
                for count in [numerator, n, n - numerator] {
                    seen += 1;
                    assert!(
                        count == 0.0 || count > threshold as f64,
                        "{}: {} charts a count of {count}",
                        team.team.name,
                        section.measure.key
                    );
                }
            }
        }
    }
    seen
}

#[test]
fn no_count_from_1_to_10_reaches_the_model_and_a_small_team_month_is_a_labelled_gap() {
    let mut c = fixture();
    let threshold = c.settings.suppress_counts_up_to;
    // Valley's February: 4 of 5 patients. Its chart, its latest value, the pooled chart and the
    // JSON must not show it.
    let key = "bp-control".parse().unwrap();
    let measure = c.teams[1].measure(&key).unwrap().clone();
    let points = vec![
        DataPoint {
            month: "2025-01".parse().unwrap(),
            numerator: 40.0,
            denominator: Some(80.0),
        },
        DataPoint {
            month: "2025-02".parse().unwrap(),
            numerator: 4.0,
            denominator: Some(5.0),
        },
    ];
    c.teams[1]
        .series
        .insert(key.clone(), Series::new(&measure, points).unwrap());
    let report = Report::build(&c).unwrap();
    let valley = report.team("team-valley").unwrap();
    let chart = valley
        .measures
        .iter()
        .find(|m| m.measure.key == key)
        .unwrap()
        .chart
        .as_ref()
        .unwrap();
    assert_eq!(chart.hidden, ["2025-02".parse().unwrap()]);
    assert_eq!(chart.chart.point(1).unwrap().y, None);
    assert_eq!(chart.chart.point(1).unwrap().n, None);
    assert!(scan_chart_counts(&report, threshold) > 0);
    let json = serde_json::to_value(&report).unwrap();
    let mut found = 0;
    scan_counts(&json, threshold, "$", &mut found);
    assert!(found > 0, "the scan saw no count");
    // The pooled February would give Valley's 4/5 away beside Lakeside's published month: the
    // disclosure audit leaves it out, and the pooled chart has no point there.
    let pooled = &report.dashboard.required[0].pooled;
    let qic_pdsa::report::Pooled::Chart {
        teams,
        left_out,
        chart,
    } = pooled
    else {
        panic!("no pooled chart")
    };
    assert_eq!(
        left_out,
        &["2025-02".parse::<qic_program::YearMonth>().unwrap()]
    );
    assert_eq!(teams[0], 2);
    assert!(!chart.months.contains(&"2025-02".parse().unwrap()));
    assert!(report.disclosure_audit.is_some());
    let html = qic_pdsa::html::render(&report);
    assert!(html.contains("1 month suppressed: small numbers (Feb 2025)."));
    assert!(!html.contains(">4/5<") && !html.contains("4 of 5"));
}

#[test]
fn a_collaborative_without_teams_or_data_still_renders_and_says_so() {
    let mut c = fixture();
    // A team with nothing recorded yet.
    let valley = &mut c.teams[1];
    valley.series.clear();
    valley.reports.clear();
    let html = render(&c);
    assert!(html.contains("Valley</a></th><td colspan=\"4\" class=\"muted\">no data</td>"));
    assert!(html.contains("No data yet for this measure."));
    assert!(html.contains("No cycle recorded."));

    c.teams.clear();
    c.warnings.clear();
    let html = render(&c);
    assert!(html.contains("<h2 id=\"warnings\">Warnings (0)</h2>"));
    assert!(html.contains("None: every file in the folder was read and used."));
    assert!(html.contains("No team is enrolled."));
    assert!(html.contains("No cycle has been recorded yet."));
    assert!(html.ends_with("</html>\n"));
}

#[test]
fn an_equity_aim_resting_on_small_cells_shows_no_figure() {
    let mut c = fixture();
    let aim: qic_pdsa::Aim = toml::from_str(
        r#"
        key = "gap"
        statement = "Close the gap in control between Black and White patients to 5 points"
        measure = "bp-control"
        goal = { kind = "close_gap", dimension = "race_ethnicity", group = "Black or African American", reference = "White", to = 5.0 }
        by = 2025-09-30
        "#,
    )
    .unwrap();
    c.teams[0].aims.push(aim);
    let html = render(&c);
    assert!(html.contains("hidden: a month it rests on has a small count (suppressed)"));
    assert!(!html.contains("gap baseline"));
    // The gap series now uses the aim's reference group, and says so.
    assert!(html.contains("Reference: White (the reference group of aim gap)"));

    // With every cell published (threshold 1), the same aim shows its figures.
    c.settings.suppress_counts_up_to = 1;
    let html = render(&c);
    assert!(html.contains("gap baseline"));
}

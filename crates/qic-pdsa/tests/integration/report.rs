//! The collaborative report's HTML on the fixture: its snapshot, what it must show, and a scan
//! for any small count from the stratified data.

use std::collections::BTreeSet;

use qic_equity::suppression::Reliability;
use qic_pdsa::Collaborative;
use qic_pdsa::html::render;

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
    let html = render(&fixture()).unwrap();
    insta::assert_snapshot!("fixture_report_html", html);
}

#[test]
fn the_page_is_self_contained_and_accessible() {
    let html = render(&fixture()).unwrap();
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
    let html = render(&c).unwrap();
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
        "<h3>Assessment scores</h3>",
        "<h3>Monthly reports</h3>",
        "<h3>Teams with a signal of improvement</h3>",
        "<h3>Required measures</h3>",
        "every team</title>",
        "all teams pooled</title>",
        "<h3>Expected outcomes</h3>",
        "<h2 id=\"harvest\">Harvest</h2>",
    ] {
        assert!(html.contains(part), "{part}");
    }
    // The heat map: Lakeside's January faculty score 1.0 with its self-score 1.5; Valley has none.
    assert!(html.contains("<span class=\"score\">1.0</span><span class=\"self\">self 1.5</span>"));
    assert!(html.contains("no faculty score"));
    // Reports: late by 10 days, missing, not yet due.
    for badge in [
        "title=\"late 10 days\">+10d<",
        "title=\"missing\">\u{2717}<",
        "title=\"not yet due\">\u{00B7}<",
    ] {
        assert!(html.contains(badge), "{badge}");
    }
    // Team sections with their annotated charts and cycles.
    assert!(html.contains("<h2 id=\"team-lakeside\">Lakeside</h2>"));
    assert!(html.contains("<h2 id=\"team-valley\">Valley</h2>"));
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
    let html = render(&c).unwrap();
    let sections = equity_sections(&html);
    assert!(!sections.is_empty());
    let threshold = c.settings.suppress_counts_up_to;

    // 1. Every count shown in a stratified section is 0 or above the threshold.
    let mut shown = 0;
    for section in &sections {
        for text in contents(section, "<span class=\"count\">") {
            let n: u64 = text.trim().parse().unwrap_or_else(|_| panic!("{text:?}"));
            assert!(
                n == 0 || n > threshold,
                "a stratified count of {n} is on the page"
            );
            shown += 1;
        }
    }
    assert!(shown > 0, "the scan saw no count at all");

    // 2. Every cell of the raw counts with a small count (numerator, denominator or their
    //    difference) is marked suppressed where the table shows it.
    let team = &c.teams[0];
    let counts = &team.strata[&"bp-control".parse().unwrap()];
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
        let marker = format!(
            "<td class=\"suppressed\" data-month=\"{period}\" data-group=\"{stratum}\">suppressed</td>"
        );
        assert!(
            sections.iter().any(|s| s.contains(&marker)),
            "{period} {stratum} is not shown as suppressed"
        );
        // Nor shown anywhere as a value.
        let shown = format!("data-month=\"{period}\" data-group=\"{stratum}\"><span");
        assert!(!html.contains(&shown), "{period} {stratum} is shown");
    }
    assert!(small > 0, "the fixture has no small cell to hide");

    // 3. The small multiples draw one point per published group-month, none for the others.
    let table = counts.table(&c.suppression(), &Reliability::default());
    let published = table
        .cells
        .iter()
        .filter(|c| c.stratum.is_group() && !c.estimate.suppressed)
        .count();
    let multiples = sections[0]
        .split("<svg xmlns")
        .nth(1)
        .expect("the small multiples by group");
    assert_eq!(multiples.matches("<circle").count(), published);
}

#[test]
fn a_collaborative_without_teams_or_data_still_renders_and_says_so() {
    let mut c = fixture();
    // A team with nothing recorded yet.
    let valley = &mut c.teams[1];
    valley.series.clear();
    valley.reports.clear();
    let html = render(&c).unwrap();
    assert!(html.contains("Valley (no data)"));
    assert!(html.contains("No data yet for this measure."));
    assert!(html.contains("No cycle recorded."));

    c.teams.clear();
    c.warnings.clear();
    let html = render(&c).unwrap();
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
    let html = render(&c).unwrap();
    assert!(html.contains("hidden: a month it rests on has a small count (suppressed)"));
    assert!(!html.contains("gap baseline"));
    // The gap series now uses the aim's reference group, and says so.
    assert!(html.contains("Reference: White (the reference group of aim gap)"));

    // With every cell published (threshold 1), the same aim shows its figures.
    c.settings.suppress_counts_up_to = 1;
    let html = render(&c).unwrap();
    assert!(html.contains("gap baseline"));
}

//! The simulated collaborative of `examples/collaborative.rs`, through the same code the example
//! runs (its `sim` module): two runs write the same bytes, the folder loads with no warning and
//! adds up, and the scenario it describes shows in the data.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use qic_eligibility::Outcome;
use qic_pdsa::ActDecision;
use qic_pdsa::aim::{AimStatus, Goal};
use qic_pdsa::dashboard::{aim_progress, stratum_series};
use qic_pdsa::monthly::{Timeliness, timeliness};
use qic_pdsa::{Collaborative, TeamFolder};

use qic_sim as sim;

/// A fresh folder under Cargo's scratch space for integration tests.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    if dir.exists() {
        fs::remove_dir_all(&dir).unwrap();
    }
    dir
}

/// The collaborative of the example's seed, written once for all the tests.
fn written() -> &'static (PathBuf, sim::Written) {
    static FOLDER: OnceLock<(PathBuf, sim::Written)> = OnceLock::new();
    FOLDER.get_or_init(|| {
        let dir = scratch("collaborative-a");
        let simulation = sim::simulate(sim::SEED).unwrap();
        let written = sim::write(&simulation, &dir).unwrap();
        (dir, written)
    })
}

fn loaded() -> &'static Collaborative {
    static LOADED: OnceLock<Collaborative> = OnceLock::new();
    LOADED.get_or_init(|| Collaborative::load(&written().0).unwrap())
}

/// Every file under `dir`, by relative path, with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).unwrap().to_path_buf();
                out.insert(relative, fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn team<'a>(collaborative: &'a Collaborative, folder: &str) -> &'a TeamFolder {
    collaborative
        .teams
        .iter()
        .find(|t| t.folder == folder)
        .unwrap_or_else(|| panic!("no team {folder}"))
}

/// Which of a team's two aims.
const LEVEL: bool = false;
const EQUITY: bool = true;

/// Baseline, current value and status of a team's level or equity aim.
fn aim_status(collaborative: &Collaborative, folder: &str, equity: bool) -> (f64, f64, AimStatus) {
    let team = team(collaborative, folder);
    let aim = team
        .aims
        .iter()
        .find(|a| matches!(a.goal, Goal::CloseGap { .. }) == equity)
        .unwrap();
    let p = aim_progress(team, aim, collaborative.settings.as_of)
        .unwrap()
        .unwrap();
    (p.baseline.unwrap(), p.current.unwrap(), p.status)
}

#[test]
fn two_runs_write_the_same_bytes_and_another_seed_does_not() {
    let (first_dir, first) = written();
    let second_dir = scratch("collaborative-b");
    let second = sim::write(&sim::simulate(sim::SEED).unwrap(), &second_dir).unwrap();
    let (a, b) = (files(first_dir), files(&second_dir));
    assert_eq!(a.len(), first.files);
    assert_eq!((first.files, first.bytes), (second.files, second.bytes));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, bytes) in &a {
        assert!(
            bytes == &b[path],
            "{} differs between two runs",
            path.display()
        );
    }

    // Writing again into a folder of ours replaces it; the seed matters.
    let other = sim::write(&sim::simulate(sim::SEED + 1).unwrap(), &second_dir).unwrap();
    let c = files(&second_dir);
    assert_eq!(c.len(), other.files);
    let path = Path::new("teams/riverbend/strata/bp-control.csv");
    assert!(a[path] != c[path], "another seed draws other patients");
    let program = Path::new("program.toml");
    assert!(
        a[program] == c[program],
        "but the program and its teams are the same"
    );
}

#[test]
fn a_folder_that_is_not_ours_is_refused() {
    let dir = scratch("collaborative-foreign");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("notes.txt"), "keep me").unwrap();
    let simulation = sim::simulate(sim::SEED).unwrap();
    let err = sim::write(&simulation, &dir).err().unwrap().to_string();
    assert!(err.contains("refusing to write into it"), "{err}");
    assert_eq!(
        fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn the_folder_loads_with_no_warning_and_every_extract_adds_up() {
    let collaborative = loaded();
    // No warning: among other things, every extract adds up to its data file.
    assert_eq!(collaborative.warnings, vec![]);
    assert_eq!(collaborative.teams.len(), 8);
    assert_eq!(collaborative.months().len(), 18);
    for team in &collaborative.teams {
        // Two stratified measures with patient-level extracts, a few hundred patients a month.
        assert_eq!(team.strata.len(), 2, "{}", team.folder);
        let control = &team.series[&qic_pdsa::Key::new("bp-control").unwrap()];
        assert_eq!(control.points().len(), 18);
        for point in control.points() {
            let patients = point.denominator.unwrap();
            assert!((120.0..=600.0).contains(&patients), "{patients}");
        }
        // Every measure the team reports has a data file.
        for measure in &team.measures {
            assert!(team.series.contains_key(&measure.key), "{}", measure.key);
        }
    }
}

#[test]
fn cycles_form_ramps_and_effects_follow_adoption() {
    let collaborative = loaded();
    let mut decisions = BTreeMap::new();
    for team in &collaborative.teams {
        for cycle in &team.cycles.cycles {
            *decisions.entry(cycle.decision()).or_insert(0) += 1;
        }
        for ramp in qic_pdsa::cycle::ramps(&team.cycles) {
            for pair in ramp.scales.windows(2) {
                assert!(pair[1].size >= pair[0].size, "{}: {ramp:?}", team.folder);
            }
        }
        assert!(
            team.cycles
                .change_ideas
                .iter()
                .any(|i| i.change_package.is_some() && i.portfolio.is_some())
        );
    }
    assert!(decisions[&Some(ActDecision::Adopt)] >= 15);
    assert!(decisions[&Some(ActDecision::Adapt)] >= 25);
    assert!(decisions[&Some(ActDecision::Abandon)] >= 4);

    // Riverbend's Black patients: flat before community health workers were adopted, up after.
    let riverbend = team(collaborative, "riverbend");
    let adopted = riverbend
        .cycles
        .cycles
        .iter()
        .filter(|c| c.change_idea.as_str() == "chw-outreach")
        .find_map(|c| c.act.as_ref().filter(|a| a.decision == ActDecision::Adopt))
        .unwrap()
        .date;
    let measure = riverbend
        .measure(&qic_pdsa::Key::new("bp-control").unwrap())
        .unwrap();
    let black = stratum_series(riverbend, measure, "Black or African American").unwrap();
    let before: Vec<f64> = black
        .points()
        .iter()
        .filter(|p| p.month.last_day() < adopted)
        .filter_map(qic_pdsa::series::DataPoint::value)
        .collect();
    let last: Vec<f64> = black.points()[15..]
        .iter()
        .filter_map(qic_pdsa::series::DataPoint::value)
        .collect();
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    assert!(
        mean(&last) - mean(&before) > 0.10,
        "{before:?} then {last:?}"
    );
}

#[test]
fn the_scenario_shows_in_the_data() {
    let c = loaded();
    // Riverbend, Lakeshore and Northgate close their gaps.
    for folder in ["riverbend", "lakeshore", "northgate"] {
        let (before, now, status) = aim_status(c, folder, EQUITY);
        assert_eq!(status, AimStatus::Met, "{folder}: {before} -> {now}");
        assert!(before - now > 8.0, "{folder}: {before} -> {now}");
    }
    // Harbor Point, Pinecrest and Bayview narrow theirs, not to the aim.
    for folder in ["harbor-point", "pinecrest", "bayview"] {
        let (before, now, status) = aim_status(c, folder, EQUITY);
        assert_eq!(status, AimStatus::NotMet, "{folder}: {before} -> {now}");
        assert!(before > now, "{folder}: {before} -> {now}");
    }
    // Summit Valley: control up for everyone, the gap stays (a rising tide).
    let (before, now, status) = aim_status(c, "summit-valley", LEVEL);
    assert_eq!(status, AimStatus::Met, "{before} -> {now}");
    let (before, now, status) = aim_status(c, "summit-valley", EQUITY);
    assert_eq!(status, AimStatus::NotMet);
    assert!((before - now).abs() < 5.0, "{before} -> {now}");
    // Eastside adopts nothing and does not improve; two of its reports never came.
    let eastside = team(c, "eastside");
    assert!(
        eastside
            .cycles
            .cycles
            .iter()
            .all(|c| c.decision() != Some(ActDecision::Adopt))
    );
    let (before, now, status) = aim_status(c, "eastside", LEVEL);
    assert_eq!(status, AimStatus::NotMet);
    assert!((now - before).abs() < 4.0, "{before} -> {now}");
    let months = c.months();
    let statuses = timeliness(
        &eastside.reports,
        months[0],
        months[17],
        c.settings.reports,
        c.settings.as_of,
    );
    let missing = statuses
        .iter()
        .filter(|(_, t)| *t == Timeliness::Missing)
        .count();
    assert_eq!(missing, 2);
}

#[test]
fn the_applications_decide_who_is_in() {
    let simulation = sim::simulate(sim::SEED).unwrap();
    let mut outcomes = BTreeMap::new();
    for judged in &simulation.applications {
        *outcomes.entry(judged.decision.outcome).or_insert(0) += 1;
        let admitted = judged.decision.outcome == Outcome::Eligible;
        assert_eq!(admitted, judged.profile.is_some(), "{}", judged.file);
    }
    assert_eq!(
        outcomes,
        BTreeMap::from([
            (Outcome::Eligible, 8),
            (Outcome::OfferedOtherCohort, 3),
            (Outcome::NotEligible, 1)
        ])
    );
    // The batch output has one decision per application, in the files' order.
    let lines: Vec<&str> = std::str::from_utf8(&simulation.decisions)
        .unwrap()
        .lines()
        .collect();
    assert_eq!(lines.len(), 12);
    for (line, judged) in lines.iter().zip(&simulation.applications) {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(
            record["decision"]["applicant"],
            judged.application.organization.name.as_str()
        );
    }
    // Those offered the Learning Network are enrolled there.
    let network = simulation.program.cohort_named("Learning Network").unwrap();
    assert_eq!(network.teams().count(), 3);
}

/// What the seed's collaborative comes to, in a few lines per team: any change in what is
/// drawn or computed shows here as a reviewable diff.
#[test]
fn summary_snapshot() {
    let c = loaded();
    let mut text = String::new();
    for team in &c.teams {
        let control = &team.series[&qic_pdsa::Key::new("bp-control").unwrap()];
        let (met, of) = control.points().iter().fold((0.0, 0.0), |(m, o), p| {
            (m + p.numerator, o + p.denominator.unwrap_or(0.0))
        });
        let scores: Vec<String> = team
            .reports
            .iter()
            .filter_map(|r| r.faculty_assessment)
            .map(|l| l.score().to_string())
            .collect();
        writeln!(
            text,
            "{}: {} cycles, {} reports, control {met}/{of}; faculty scores {}",
            team.folder,
            team.cycles.cycles.len(),
            team.reports.len(),
            scores.join(" ")
        )
        .unwrap();
        for aim in &team.aims {
            let p = aim_progress(team, aim, c.settings.as_of).unwrap().unwrap();
            writeln!(
                text,
                "  {}: {:.1} -> {:.1} (target {}) {:?}",
                aim.key,
                p.baseline.unwrap_or(f64::NAN),
                p.current.unwrap_or(f64::NAN),
                p.target,
                p.status
            )
            .unwrap();
        }
    }
    insta::assert_snapshot!(text);
}

/// The report's HTML with each inline SVG reduced to its title and description: what the chart
/// shows and which signals fired, in words. The drawing itself is snapshot-tested in qic-spc;
/// here every number, table and sentence of the page is pinned.
fn report_without_drawings(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 4);
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find("</svg>") else {
            break;
        };
        let svg = &rest[start..start + len];
        let inner = |tag: &str| {
            let open = format!("<{tag} ");
            svg.find(&open)
                .and_then(|i| svg[i..].find('>').map(|j| i + j + 1))
                .and_then(|from| {
                    svg[from..]
                        .find(&format!("</{tag}>"))
                        .map(|to| &svg[from..from + to])
                })
                .unwrap_or("")
        };
        let _ = write!(
            out,
            "<svg>[title: {}] [desc: {}]</svg>",
            inner("title"),
            inner("desc")
        );
        rest = &rest[start + len + "</svg>".len()..];
    }
    out.push_str(rest);
    out
}

#[test]
fn the_fixed_seed_report_matches_its_snapshot() {
    let html = qic_pdsa::html::render(&qic_pdsa::report::Report::build(loaded()).unwrap());
    // The page is whole and self-contained.
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    assert!(!html.contains("<script"));
    // Nothing is fetched from elsewhere (the SVG namespace is a name, not a link).
    let outside = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(!outside.contains("http://") && !outside.contains("https://"));
    let svgs = html.matches("<svg").count();
    assert!(svgs > 50, "a chart per team and measure, and more: {svgs}");
    insta::assert_snapshot!("fixed_seed_report", report_without_drawings(&html));
}

#[test]
fn the_report_charts_gaps_with_the_aims_sign_and_pooled_charts_freeze_their_baseline() {
    let c = loaded();
    let report = qic_pdsa::report::Report::build(c).unwrap();
    // Riverbend's Black patients start some 18 points below its White patients: the gap chart
    // and the equity aim both say +18-ish, "how much worse".
    let riverbend = report.team("team-riverbend").unwrap();
    let aim = riverbend
        .aims
        .iter()
        .find(|a| matches!(a.aim.goal, Goal::CloseGap { .. }))
        .unwrap();
    let baseline = aim.progress.shown().and_then(|p| p.baseline);
    let section = riverbend
        .equity
        .iter()
        .find(|e| e.measure.key.as_str() == "bp-control")
        .unwrap();
    let (_, gap) = section
        .gap
        .panels
        .iter()
        .find(|(label, _)| label.starts_with("Black or African American"))
        .unwrap();
    let first: Vec<f64> = gap.chart.points().take(3).filter_map(|p| p.y).collect();
    assert!(first.iter().all(|g| *g > 5.0), "{first:?}");
    if let Some(baseline) = baseline {
        assert!(baseline > 5.0, "{baseline}");
    }
    // Pooled charts: limits from the first six months, like each team's.
    for required in &report.dashboard.required {
        if let qic_pdsa::report::Pooled::Chart { chart, .. } = &required.pooled {
            let flags: Vec<bool> = chart.chart.points().map(|p| p.baseline).collect();
            assert!(flags[..6].iter().all(|b| *b), "{}", required.measure.key);
            assert!(flags[6..].iter().all(|b| !*b), "{}", required.measure.key);
        }
    }
    // Every session, the harvest in June 2024 included, is drawn on the charts it falls in.
    let outside = riverbend
        .measures
        .iter()
        .filter_map(|m| m.chart.as_ref())
        .flat_map(|c| &c.markers)
        .filter(|m| m.number.is_none())
        .count();
    assert_eq!(outside, 0);
}

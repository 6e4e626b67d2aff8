//! Every fixture under `tests/fixtures/` (written by `reference/spc_reference.py`, an
//! independent implementation of the specification) must match qic-spc to 1e-9: plotted
//! values, centre lines, limits, sigma signals, parts, baseline and exclusion flags, and the
//! per-part run statistics and averages.

use std::path::Path;

use qic_spc::{ChartOptions, ChartType, Observation, compute};
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    name: String,
    input: Input,
    options: ChartOptions,
    points: Vec<ExpectedPoint>,
    summary: Vec<qic_spc::PartSummary>,
}

#[derive(Deserialize)]
struct Input {
    chart: ChartType,
    x: Vec<qic_spc::X>,
    y: Vec<Option<f64>>,
    n: Option<Vec<Option<f64>>>,
}

#[derive(Deserialize)]
struct ExpectedPoint {
    y: Option<f64>,
    cl: Option<f64>,
    lcl: Option<f64>,
    ucl: Option<f64>,
    lcl_95: Option<f64>,
    ucl_95: Option<f64>,
    sigma_signal: bool,
    part: usize,
    baseline: bool,
    include: bool,
}

fn same(what: &str, got: Option<f64>, want: Option<f64>) -> Result<(), String> {
    match (got, want) {
        (None, None) => Ok(()),
        (Some(g), Some(w)) if (g - w).abs() <= 1e-9 * w.abs().max(1.0) => Ok(()),
        _ => Err(format!("{what}: got {got:?}, want {want:?}")),
    }
}

fn check(fixture: &Fixture) -> Result<(), String> {
    let rows: Vec<Observation> = fixture
        .input
        .x
        .iter()
        .enumerate()
        .map(|(i, x)| Observation {
            x: Some(x.clone()),
            y: fixture.input.y[i],
            n: fixture.input.n.as_ref().and_then(|n| n[i]),
        })
        .collect();
    // A fixture with an n column but every n missing still has denominators.
    let chart = compute(fixture.input.chart, &rows, &fixture.options).map_err(|e| e.to_string())?;
    if chart.len() != fixture.points.len() {
        return Err(format!(
            "{} points, want {}",
            chart.len(),
            fixture.points.len()
        ));
    }
    for (i, (got, want)) in chart.points().zip(&fixture.points).enumerate() {
        let at = |f: &str| format!("point {}: {f}", i + 1);
        same(&at("y"), got.y, want.y)?;
        same(&at("cl"), got.cl, want.cl)?;
        same(&at("lcl"), got.lcl, want.lcl)?;
        same(&at("ucl"), got.ucl, want.ucl)?;
        same(&at("lcl_95"), got.lcl_95, want.lcl_95)?;
        same(&at("ucl_95"), got.ucl_95, want.ucl_95)?;
        let flags = (got.sigma_signal, got.part, got.baseline, got.include);
        let expected = (want.sigma_signal, want.part, want.baseline, want.include);
        if flags != expected {
            return Err(format!(
                "{}: (sigma, part, baseline, include) {flags:?}, want {expected:?}",
                at("flags")
            ));
        }
    }
    if chart.summary().len() != fixture.summary.len() {
        return Err(format!(
            "{} parts, want {}",
            chart.summary().len(),
            fixture.summary.len()
        ));
    }
    for (got, want) in chart.summary().iter().zip(&fixture.summary) {
        let at = |f: &str| format!("part {}: {f}", want.part);
        let counts = (
            got.part,
            got.n_obs,
            got.n_useful,
            got.longest_run,
            got.longest_run_max,
            got.n_crossings,
            got.n_crossings_min,
            got.runs_signal,
            got.sigma_signal_count,
        );
        let expected = (
            want.part,
            want.n_obs,
            want.n_useful,
            want.longest_run,
            want.longest_run_max,
            want.n_crossings,
            want.n_crossings_min,
            want.runs_signal,
            want.sigma_signal_count,
        );
        if counts != expected {
            return Err(format!("{}: {counts:?}, want {expected:?}", at("runs")));
        }
        same(&at("cl"), got.cl, want.cl)?;
        same(&at("a_lcl"), got.a_lcl, want.a_lcl)?;
        same(&at("a_ucl"), got.a_ucl, want.a_ucl)?;
        same(&at("a_lcl_95"), got.a_lcl_95, want.a_lcl_95)?;
        same(&at("a_ucl_95"), got.a_ucl_95, want.a_ucl_95)?;
    }
    Ok(())
}

fn fixtures() -> Vec<Fixture> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("the fixtures directory exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("fixture readable");
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        })
        .collect()
}

#[test]
fn every_fixture_matches_to_1e_9() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 30, "only {} fixtures", fixtures.len());
    let failures: Vec<String> = fixtures
        .iter()
        .filter_map(|f| check(f).err().map(|e| format!("{}: {e}", f.name)))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_chart_type_has_fixtures() {
    let fixtures = fixtures();
    for chart in ChartType::ALL {
        assert!(
            fixtures.iter().any(|f| f.input.chart == chart),
            "no fixture for {chart}"
        );
    }
}

#[test]
fn the_comparison_catches_a_difference() {
    let mut fixtures = fixtures();
    let fixture = fixtures
        .iter_mut()
        .find(|f| f.name == "p_parts_exclude")
        .expect("fixture present");
    assert!(check(fixture).is_ok());
    let ucl = fixture.points[5].ucl.expect("a defined limit");
    fixture.points[5].ucl = Some(ucl * (1.0 + 1e-8));
    assert!(check(fixture).is_err());
    fixture.points[5].ucl = Some(ucl);
    fixture.summary[1].n_crossings = fixture.summary[1].n_crossings.map(|c| c + 1);
    assert!(check(fixture).is_err());
}

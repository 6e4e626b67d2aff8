//! qicharts2's vignette ("Quality Improvement Charts", section "The Anhøj rules") prints the
//! summary of an I chart of `set.seed(19); y <- rnorm(24); y[22] <- 4; y[13:24] <-
//! rnorm(12, mean = 2)`. The reference script reproduces R's random numbers; its fixture
//! `i_vignette_shift` holds the 24 values. qic must print the same summary.

use qic_spc::{Chart, ChartType};
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    input: Input,
}

#[derive(Deserialize)]
struct Input {
    y: Vec<f64>,
}

fn vignette_y() -> Vec<f64> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/i_vignette_shift.json"
    );
    let text = std::fs::read_to_string(path).expect("fixture readable");
    let fixture: Fixture = serde_json::from_str(&text).expect("fixture parses");
    fixture.input.y
}

#[test]
fn the_vignette_i_chart_summary_is_reproduced() {
    let y = vignette_y();
    assert_eq!(y.len(), 24);
    // set.seed(19); rnorm(1) in R is -1.189453745...
    assert!((y[0] + 1.189_453_7).abs() < 1e-7);
    let chart = Chart::new(ChartType::I)
        .values(&y)
        .compute()
        .expect("chart computes");
    let s = &chart.summary()[0];
    // #>   facet1 facet2 part n.obs n.useful longest.run longest.run.max n.crossings
    // #> 1      1      1    1    24       24          13               8           4
    // #>   n.crossings.min runs.signal      aLCL   aLCL.95       CL  aUCL.95     aUCL
    // #> 1               8           1 -2.114884 -1.057559 1.057091 3.171742 4.229067
    // #>   sigma.signal
    // #> 1            0
    assert_eq!((s.part, s.n_obs, s.n_useful), (1, 24, 24));
    assert_eq!((s.longest_run, s.longest_run_max), (Some(13), Some(8)));
    assert_eq!((s.n_crossings, s.n_crossings_min), (Some(4), Some(8)));
    assert!(s.runs_signal);
    let printed = [
        (s.a_lcl, -2.114_884),
        (s.a_lcl_95, -1.057_559),
        (s.cl, 1.057_091),
        (s.a_ucl_95, 3.171_742),
        (s.a_ucl, 4.229_067),
    ];
    for (got, want) in printed {
        let got = got.expect("a defined line");
        assert!((got - want).abs() < 5e-7, "{got} vs printed {want}");
    }
    assert_eq!(s.sigma_signal_count, 0);
}

#[test]
fn the_vignette_crossings_limit_for_24_points_is_8() {
    // "in a run chart with 24 useful data points, fewer than qbinom(0.05, 24 - 1, 0.5) = 8
    // crossings would suggest that the process is shifting"; longest run limit
    // round(log2(24) + 3) = 8.
    let y: Vec<f64> = (0..24)
        .map(|i| if i % 2 == 0 { 1.0 } else { -1.0 })
        .collect();
    let chart = Chart::new(ChartType::Run)
        .values(&y)
        .centre(0.0)
        .compute()
        .expect("chart computes");
    let s = &chart.summary()[0];
    assert_eq!((s.n_crossings_min, s.longest_run_max), (Some(8), Some(8)));
}

//! A few rendered charts, pinned with insta: the SVG is byte-stable, so any change to the
//! drawing shows up here as a reviewable diff.

use qic_spc::svg::{Annotation, Panel, SvgOptions, render, render_grid};
use qic_spc::{Chart, ChartType, Date, ImprovementDirection, X};

fn months(n: usize) -> Vec<X> {
    (0..n)
        .map(|i| {
            let year = 2024 + i32::try_from(i / 12).unwrap_or(0);
            let month = u32::try_from(i % 12).unwrap_or(0) + 1;
            X::Date(Date::from_ymd(year, month, 1).expect("a real month"))
        })
        .collect()
}

const COUNTS: [f64; 18] = [
    9., 11., 8., 10., 12., 9., 10., 22., 9., 11., 6., 5., 6., 4., 5., 6., 5., 4.,
];
const SIZES: [f64; 18] = [
    90., 110., 80., 95., 120., 100., 98., 105., 97., 101., 99., 96., 94., 100., 102., 99., 97.,
    103.,
];

#[test]
fn a_p_chart_with_parts_signals_target_and_annotations() {
    let x = months(18);
    let chart = Chart::new(ChartType::P)
        .x(&x)
        .numerators(&COUNTS)
        .denominators(&SIZES)
        .parts([10])
        .freeze(8)
        .multiply(100.0)
        .target(4.0)
        .direction(ImprovementDirection::Decrease)
        .compute()
        .expect("chart computes");
    let svg = render(
        &chart,
        &SvgOptions::default()
            .title("Pressure injuries & <falls>")
            .y_label("Percent of patients")
            .x_label("Month")
            .two_sigma(true)
            .annotate(Annotation::new(x[10].clone(), "PDSA 1: skin checks")),
    );
    assert!(svg.contains("Pressure injuries &amp; &lt;falls&gt;"));
    assert!(svg.contains("a point beyond the 3-sigma limits at subgroup 8 high, concern"));
    insta::assert_snapshot!("svg_p_parts", svg);
}

#[test]
fn a_run_chart_with_numbers_and_a_missing_value() {
    let mut y = COUNTS.to_vec();
    y[4] = f64::NAN;
    let chart = Chart::new(ChartType::Run)
        .values(&y)
        .compute()
        .expect("chart computes");
    insta::assert_snapshot!(
        "svg_run",
        render(&chart, &SvgOptions::default().size(480, 240))
    );
}

#[test]
fn small_multiples_share_one_scale() {
    let a = Chart::new(ChartType::C)
        .values(&COUNTS[..9])
        .compute()
        .expect("computes");
    let b = Chart::new(ChartType::C)
        .values(&COUNTS[9..])
        .compute()
        .expect("computes");
    let labels: Vec<X> = ["A", "B", "C", "D"].into_iter().map(X::from).collect();
    let c = Chart::new(ChartType::C)
        .x(&labels)
        .values(&[3.0, 5.0, 4.0, 12.0])
        .compute()
        .expect("computes");
    let panels = [
        Panel {
            title: "Ward 1",
            chart: &a,
        },
        Panel {
            title: "Ward 2",
            chart: &b,
        },
        Panel {
            title: "Units",
            chart: &c,
        },
    ];
    let svg = render_grid(
        &panels,
        2,
        &SvgOptions::default()
            .title("Falls by ward")
            .size(640, 400)
            .id("falls"),
    );
    assert!(svg.contains("aria-labelledby=\"falls-title falls-desc\""));
    insta::assert_snapshot!("svg_grid", svg);
}

#[test]
fn an_empty_chart_says_so() {
    let chart = Chart::new(ChartType::I)
        .values(&[])
        .compute()
        .expect("computes");
    let svg = render(&chart, &SvgOptions::default());
    assert!(svg.contains("No data"));
}

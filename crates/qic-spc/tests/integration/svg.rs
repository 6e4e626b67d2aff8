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

/// Every number in an SVG's attributes is finite and within ±10⁶ (no `NaN`, no `inf`).
fn assert_coordinates_finite(svg: &str) {
    assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
    for attribute in svg.split('"').skip(1).step_by(2) {
        for token in
            attribute.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == 'e'))
        {
            if let Ok(v) = token.parse::<f64>() {
                assert!(v.is_finite() && v.abs() <= 1e6, "{token} in {attribute}");
            }
        }
    }
}

/// The known crash: subnormal values made the tick step 0 and its exponent −∞, and the tick
/// rounding subtracted it from 2 as an `i32` (overflow).
#[test]
fn subnormal_values_render() {
    let y = [0.0, 1e-320, 2e-320, 0.0];
    for chart in ChartType::ALL {
        let built = Chart::new(chart).values(&y);
        let built = if chart.needs_denominators() {
            built.denominators(&[1.0; 4])
        } else {
            built
        };
        let Ok(result) = built.compute() else {
            continue;
        };
        let svg = render(
            &result,
            &SvgOptions::default().annotate(Annotation::new(X::Number(2.0), "a")),
        );
        assert_coordinates_finite(&svg);
    }
}

#[test]
fn extreme_values_render_with_finite_coordinates() {
    // Values whose sums would pass the largest f64 are refused (SpcError::SumTooLarge).
    assert!(
        Chart::new(ChartType::Run)
            .values(&[1.7e308, 1.7e308])
            .compute()
            .is_err()
    );
    for y in [
        vec![-1e306, 1e306, 0.0, 1.0],
        vec![8e305, 8e305, 8e305],
        vec![5e-324, 0.0, 5e-324, 1e-323],
        vec![-1e-310, 1e-310],
    ] {
        let result = Chart::new(ChartType::Run)
            .values(&y)
            .compute()
            .expect("computes");
        assert_coordinates_finite(&render(&result, &SvgOptions::default()));
        // A y range as wide as the numbers go.
        assert_coordinates_finite(&render(
            &result,
            &SvgOptions::default().y_range(-f64::MAX, f64::MAX),
        ));
        let x: Vec<X> = [-1.7e308, 0.0, 1.7e308, 1.75e308]
            .iter()
            .take(y.len())
            .map(|&v| X::Number(v))
            .collect();
        let result = Chart::new(ChartType::Run)
            .x(&x)
            .values(&y)
            .compute()
            .expect("computes");
        assert_coordinates_finite(&render(
            &result,
            &SvgOptions::default().annotate(Annotation::new(X::Number(1.7e308), "end")),
        ));
    }
    // Dates at the ends of the calendar.
    let x = [Date::from_ymd(-99_999, 1, 1), Date::from_ymd(99_999, 12, 1)]
        .into_iter()
        .map(|d| X::Date(d.expect("a real date")))
        .collect::<Vec<_>>();
    let result = Chart::new(ChartType::Run)
        .x(&x)
        .values(&[1.0, 2.0])
        .compute()
        .expect("computes");
    let svg = render(&result, &SvgOptions::default());
    assert_coordinates_finite(&svg);
    assert!(svg.matches("<text").count() < 40);
}

#[test]
fn an_event_in_the_last_month_is_drawn() {
    let x = months(6);
    let chart = Chart::new(ChartType::Run)
        .x(&x)
        .values(&COUNTS[..6])
        .compute()
        .expect("computes");
    let june_20 = X::Date(Date::from_ymd(2024, 6, 20).expect("a date"));
    let july_1 = X::Date(Date::from_ymd(2024, 7, 1).expect("a date"));
    assert!(qic_spc::svg::charted(&chart, &june_20));
    assert!(!qic_spc::svg::charted(&chart, &july_1));
    let svg = render(
        &chart,
        &SvgOptions::default()
            .annotate(Annotation::new(june_20, "Harvest"))
            .annotate(Annotation::new(july_1, "Later")),
    );
    assert!(svg.contains(">Harvest</text>") && !svg.contains("Later"));
    assert_coordinates_finite(&svg);
}

#[test]
fn subtitle_caption_and_axis_titles_are_drawn() {
    let x = months(12);
    let chart = Chart::new(ChartType::I)
        .x(&x)
        .values(&COUNTS[..12])
        .compute()
        .expect("computes");
    let svg = render(
        &chart,
        &SvgOptions::default()
            .title("Days to follow-up")
            .subtitle("Adults discharged from ward 4")
            .caption("Source: the discharge register. Limits from all twelve months.")
            .y_label("days")
            .x_label("month"),
    );
    for text in [
        ">Days to follow-up</text>",
        ">Adults discharged from ward 4</text>",
        "Source: the discharge register.",
        ">days</text>",
        ">month</text>",
    ] {
        assert!(svg.contains(text), "{text}");
    }
}

#[test]
fn making_data_count_colours_and_icons() {
    // Low for a year, then high: improvement when higher is better.
    let y: Vec<f64> = (0..24)
        .map(|i| {
            if i < 12 {
                10.0 + f64::from(i % 3)
            } else {
                20.0 + f64::from(i % 3)
            }
        })
        .collect();
    let chart = Chart::new(ChartType::I)
        .values(&y)
        .freeze(12)
        .rules(qic_spc::SignalRules::Mdc)
        .direction(ImprovementDirection::Increase)
        .target(15.0)
        .compute()
        .expect("computes");
    let svg = render(&chart, &SvgOptions::default().title("Screening"));
    // Improvement blue, common cause grey, the variation and assurance icons with their words.
    assert!(svg.contains("fill=\"#00B0F0\""), "improvement points");
    assert!(svg.contains("fill=\"#A6A6A6\""), "common cause points");
    assert!(svg.contains("Variation: special cause improvement, by higher values"));
    assert!(svg.contains("Assurance: consistently failing"));
    assert!(!svg.contains("ImprovementHigh"));
    // Concern when lower is better.
    let concern = Chart::new(ChartType::I)
        .values(&y)
        .freeze(12)
        .rules(qic_spc::SignalRules::Mdc)
        .direction(ImprovementDirection::Decrease)
        .compute()
        .expect("computes");
    let svg = render(&concern, &SvgOptions::default());
    assert!(svg.contains("fill=\"#E46C0A\""), "concern points");
    assert!(svg.contains("Variation: special cause concern, by higher values"));
    // Icons off.
    let svg = render(&concern, &SvgOptions::default().icons(false));
    assert!(!svg.contains("Variation:"));
    insta::assert_snapshot!(
        "svg_mdc",
        render(&chart, &SvgOptions::default().title("Screening"))
    );
}

#[test]
fn the_icons_stand_alone() {
    for v in [
        qic_spc::Variation::CommonCause,
        qic_spc::Variation::ImprovementHigh,
        qic_spc::Variation::ImprovementLow,
        qic_spc::Variation::ConcernHigh,
        qic_spc::Variation::ConcernLow,
        qic_spc::Variation::NeutralHigh,
        qic_spc::Variation::NeutralLow,
    ] {
        let icon = qic_spc::svg::variation_icon(v, 24);
        assert!(icon.starts_with("<svg") && icon.contains("width=\"24\""));
        assert!(icon.contains(&v.to_string()));
    }
    for a in [
        qic_spc::Assurance::ConsistentPass,
        qic_spc::Assurance::ConsistentFail,
        qic_spc::Assurance::Inconsistent,
    ] {
        assert!(qic_spc::svg::assurance_icon(a, 24).contains(&a.to_string()));
    }
}

#[test]
fn crowded_annotation_labels_never_overlap() {
    let x = months(18);
    let chart = Chart::new(ChartType::Run)
        .x(&x)
        .values(&COUNTS)
        .compute()
        .expect("computes");
    let mut options = SvgOptions::default();
    for (k, key) in x.iter().enumerate().take(12) {
        options = options.annotate(Annotation::new(key.clone(), format!("Change idea {k}")));
    }
    let svg = render(&chart, &options);
    // Each label's (lane, span) from its y and x; no two in one lane may overlap.
    let mut spans: Vec<(String, f64, f64)> = Vec::new();
    for line in svg.lines().filter(|l| l.contains("fill=\"#7A3B63\"")) {
        let attribute = |name: &str| -> f64 {
            line.split(&format!(" {name}=\""))
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .and_then(|v| v.parse().ok())
                .expect("attribute")
        };
        let text = line
            .rsplit_once("\">")
            .map_or("", |(_, t)| t.trim_end_matches("</text>"));
        let width = text.chars().count() as f64 * 10.0 * 0.6;
        let x = attribute("x");
        let start = if line.contains("text-anchor=\"end\"") {
            x - width
        } else {
            x
        };
        spans.push((format!("{}", attribute("y")), start, start + width));
    }
    assert!(spans.len() >= 6, "{}", spans.len());
    for (i, a) in spans.iter().enumerate() {
        for b in &spans[i + 1..] {
            assert!(
                a.0 != b.0 || a.2 <= b.1 || b.2 <= a.1,
                "{a:?} overlaps {b:?}"
            );
        }
    }
}

proptest::proptest! {
    /// Any finite values, however large or small, render without a panic and with finite
    /// coordinates.
    #[test]
    fn any_values_render(
        y in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::num::f64::NORMAL,
                proptest::num::f64::SUBNORMAL,
                proptest::num::f64::ZERO,
                -10.0..10.0f64,
            ],
            1..12,
        ),
        chart in proptest::sample::select(ChartType::ALL.to_vec()),
        low in proptest::num::f64::ANY,
        high in proptest::num::f64::ANY,
    ) {
        let n = vec![f64::MAX; y.len()];
        let built = Chart::new(chart).values(&y);
        let built = if chart.needs_denominators() { built.denominators(&n) } else { built };
        if let Ok(result) = built.compute() {
            assert_coordinates_finite(&render(&result, &SvgOptions::default().two_sigma(true)));
            assert_coordinates_finite(&render(&result, &SvgOptions::default().y_range(low, high)));
        }
    }
}

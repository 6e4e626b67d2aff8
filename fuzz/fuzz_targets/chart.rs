//! `qic chart`'s path: the chart CSV reader, the chart computation with options, and the SVG
//! (alone and as small multiples) and JSON outputs.
//!
//! Control bytes: 0 chart type; 1 flags (bits 0–1 rules, 2–3 direction, 4 keep every moving
//! range, 5 no negative limits, 6 a centre line, 7 a target); 2 freeze (0: none); 3 and 4
//! parts after (0: none); 5 excluded subgroup (0: none); 6 multiply (0: none, else a number
//! from `NUMBERS`); 7 IHI/MDC shift and trend (low and high nibble, 0: default); 8 centre and
//! 9 target (`NUMBERS`); 10 SVG flags (bit 0 two-sigma lines, bit 1 a fixed y range, bit 2 an
//! annotation at the first point). The rest is the CSV file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qic_fuzz::{Input, number, undefined_number_in_attributes};
use qic_spc::csv::CsvData;
use qic_spc::svg::{Annotation, Panel, SvgOptions, render, render_grid};
use qic_spc::{ChartOptions, ChartType, IhiOptions, ImprovementDirection, MdcOptions, SignalRules};

fuzz_target!(|data: &[u8]| {
    let input = Input::new(data, 11);
    let chart = ChartType::ALL[input.choice(0, ChartType::ALL.len())];
    let Ok(csv) = CsvData::from_reader(input.rest(), "fuzz.csv", chart) else {
        return;
    };
    let options = options(&input);
    let Ok(result) = csv.compute(chart, &options) else {
        return;
    };

    for point in result.points() {
        for value in [
            point.y,
            point.n,
            point.cl,
            point.lcl,
            point.ucl,
            point.lcl_95,
            point.ucl_95,
        ]
        .into_iter()
        .flatten()
        {
            assert!(
                value.is_finite(),
                "a point holds a number that is not finite"
            );
        }
    }
    let _ = result.describe();
    let json = serde_json::to_string(&result).expect("a chart serializes");
    assert!(!json.is_empty());

    let mut svg_options = SvgOptions::default()
        .title("fuzz")
        .two_sigma(input.bit(10, 0));
    if input.bit(10, 1) {
        svg_options = svg_options.y_range(number(input.byte(8)), number(input.byte(9)));
    }
    if let (true, Some(first)) = (input.bit(10, 2), result.point(0)) {
        svg_options = svg_options.annotate(Annotation::new(first.x, "change"));
    }
    let svg = render(&result, &svg_options);
    if let Some(value) = undefined_number_in_attributes(&svg) {
        panic!("the SVG has an undefined number in an attribute: {value}");
    }
    let panels = [
        Panel {
            title: "a",
            chart: &result,
        },
        Panel {
            title: "b",
            chart: &result,
        },
    ];
    let grid = render_grid(&panels, 1 + input.choice(2, 3), &svg_options);
    if let Some(value) = undefined_number_in_attributes(&grid) {
        panic!("the grid has an undefined number in an attribute: {value}");
    }
});

fn options(input: &Input<'_>) -> ChartOptions {
    let mut options = ChartOptions::default()
        .rules(match input.byte(1) & 0b11 {
            1 => SignalRules::Ihi,
            2 => SignalRules::Mdc,
            _ => SignalRules::Anhoej,
        })
        .direction(match (input.byte(1) >> 2) & 0b11 {
            1 => ImprovementDirection::Increase,
            2 => ImprovementDirection::Decrease,
            _ => ImprovementDirection::Neutral,
        })
        .screened_mr(!input.bit(1, 4))
        .negative_limits(!input.bit(1, 5))
        .parts(
            [input.byte(3), input.byte(4)]
                .into_iter()
                .filter(|&b| b != 0)
                .map(usize::from),
        )
        .exclude((input.byte(5) != 0).then(|| usize::from(input.byte(5))));
    if input.byte(2) != 0 {
        options = options.freeze(usize::from(input.byte(2)));
    }
    if input.byte(6) != 0 {
        options = options.multiply(number(input.byte(6)));
    }
    let (shift, trend) = (input.byte(7) & 0xf, input.byte(7) >> 4);
    if shift != 0 || trend != 0 {
        options = options
            .ihi(IhiOptions {
                shift: usize::from(shift),
                trend: usize::from(trend),
                ..IhiOptions::default()
            })
            .mdc(MdcOptions {
                shift: usize::from(shift),
                trend: usize::from(trend),
                ptd_constants: shift % 2 == 0,
            });
    }
    if input.bit(1, 6) {
        options = options.centre(number(input.byte(8)));
    }
    if input.bit(1, 7) {
        options = options.target(number(input.byte(9)));
    }
    options
}

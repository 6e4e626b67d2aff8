//! The JSON of every chart type on small, fixed data sets, pinned with insta. A change here is
//! a change of the wire contract of `qic chart` and must be deliberate.

use qic_spc::{Chart, ChartResult, ChartType, Date, ImprovementDirection, SignalRules, X};

const Y: [f64; 14] = [
    12.0, 15.0, 11.0, 14.0, 13.0, 18.0, 16.0, 21.0, 19.0, 22.0, 20.0, 24.0, 23.0, 10.0,
];
const N: [f64; 14] = [
    80.0, 95.0, 70.0, 88.0, 90.0, 100.0, 85.0, 110.0, 96.0, 104.0, 99.0, 120.0, 101.0, 60.0,
];

fn months() -> Vec<X> {
    (1..=14u32)
        .map(|m| {
            let (year, month) = if m <= 12 { (2024, m) } else { (2025, m - 12) };
            X::Date(Date::from_ymd(year, month, 1).expect("a real month"))
        })
        .collect()
}

fn json(chart: &ChartResult) -> String {
    serde_json::to_string_pretty(chart).expect("serializes")
}

fn chart(t: ChartType) -> ChartResult {
    let x = months();
    let c = Chart::new(t).x(&x).values(&Y).freeze(10);
    let c = if t.needs_denominators() {
        c.denominators(&N)
    } else {
        c
    };
    c.compute().expect("chart computes")
}

#[test]
fn run_i_mr_t_c_g() {
    for t in [
        ChartType::Run,
        ChartType::I,
        ChartType::Mr,
        ChartType::T,
        ChartType::C,
        ChartType::G,
    ] {
        insta::assert_snapshot!(format!("json_{}", t.name()), json(&chart(t)));
    }
}

#[test]
fn p_pp_u_up() {
    for t in [ChartType::P, ChartType::Pp, ChartType::U, ChartType::Up] {
        insta::assert_snapshot!(format!("json_{}", t.name()), json(&chart(t)));
    }
}

#[test]
fn xbar_and_s() {
    // Three measurements a month (one missing), sizes vary.
    let mut x = Vec::new();
    let mut y = Vec::new();
    for (i, key) in months().into_iter().take(8).enumerate() {
        let k = i as f64;
        for j in 0..3 {
            if !(i == 2 && j == 1) {
                x.push(key.clone());
                y.push(70.0 + k * 0.5 + f64::from(j) * (1.0 + k / 4.0));
            }
        }
    }
    for t in [ChartType::Xbar, ChartType::S] {
        let c = Chart::new(t)
            .x(&x)
            .values(&y)
            .compute()
            .expect("chart computes");
        insta::assert_snapshot!(format!("json_{}", t.name()), json(&c));
    }
}

#[test]
fn ihi_and_mdc_rules() {
    let x = months();
    let ihi = Chart::new(ChartType::Run)
        .x(&x)
        .values(&Y)
        .rules(SignalRules::Ihi)
        .direction(ImprovementDirection::Increase);
    insta::assert_snapshot!("json_run_ihi", json(&ihi.compute().expect("computes")));
    let mdc = Chart::new(ChartType::I)
        .x(&x)
        .values(&Y)
        .freeze(12)
        .rules(SignalRules::Mdc)
        .direction(ImprovementDirection::Increase)
        .target(25.0);
    insta::assert_snapshot!("json_i_mdc", json(&mdc.compute().expect("computes")));
}

#[test]
fn edge_cases() {
    let empty = Chart::new(ChartType::I)
        .values(&[])
        .compute()
        .expect("computes");
    insta::assert_snapshot!("json_empty", json(&empty));
    let missing = Chart::new(ChartType::P)
        .values(&[f64::NAN, 0.0, 2.0, 1.0])
        .denominators(&[10.0, 0.0, 5.0, f64::NAN])
        .compute()
        .expect("computes");
    insta::assert_snapshot!("json_p_missing_and_zero_denominators", json(&missing));
}

//! Run with: `cargo run --example spc_tour`
//!
//! A tour of qic's run and control charts: one SVG per chart type from the bundled data below,
//! an annotated chart with a frozen baseline, the same data under the IHI and Making Data
//! Count rules, and small multiples. Files go to `target/qic-examples/spc/`.

// An example prints what it did.
#![allow(clippy::print_stdout)]

use std::path::Path;

use qic::spc::svg::{Annotation, Panel, SvgOptions, render, render_grid};
use qic::spc::{Chart, ChartResult, ChartType, Date, ImprovementDirection, SignalRules, X};

// Bundled data: three years of a hospital's monthly measures (simulated).
const READMITTED: [f64; 36] = [
    41., 30., 33., 39., 25., 42., 25., 35., 60., 31., 58., 49., 42., 37., 47., 37., 25., 45., 33.,
    32., 18., 31., 33., 28., 33., 32., 29., 29., 21., 20., 23., 27., 24., 29., 28., 24.,
];
const DISCHARGED: [f64; 36] = [
    242., 185., 224., 226., 200., 227., 195., 183., 246., 163., 249., 254., 227., 206., 199., 242.,
    162., 244., 164., 182., 155., 162., 224., 243., 237., 182., 217., 239., 150., 152., 198., 181.,
    169., 257., 224., 224.,
];
const INFECTIONS: [f64; 36] = [
    13., 9., 11., 6., 11., 13., 13., 11., 8., 13., 14., 11., 12., 8., 12., 11., 12., 8., 7., 7.,
    4., 9., 10., 11., 11., 8., 5., 10., 8., 10., 7., 5., 4., 9., 4., 3.,
];
const PATIENT_DAYS: [f64; 36] = [
    4240., 4419., 5823., 5782., 5491., 4268., 5446., 5514., 4239., 5145., 5523., 5840., 5091.,
    4433., 4539., 4615., 4620., 5516., 5631., 5553., 5859., 5152., 5745., 4193., 5505., 4347.,
    4825., 5955., 5857., 4622., 5194., 4041., 4574., 5674., 4697., 4403.,
];
const FALLS: [f64; 36] = [
    7., 8., 7., 11., 7., 8., 4., 11., 7., 10., 8., 11., 12., 12., 7., 11., 10., 12., 5., 9., 13.,
    8., 6., 10., 2., 2., 8., 4., 3., 6., 2., 4., 1., 5., 4., 3.,
];
/// Emergency department median wait (minutes), weekly.
const WAITS: [f64; 30] = [
    98.4, 105.6, 90.6, 95.5, 99.3, 97.4, 103.7, 92.8, 93.5, 98.2, 92.1, 99.9, 93.0, 100.5, 89.4,
    88.0, 79.8, 80.9, 75.3, 87.6, 89.8, 81.3, 85.6, 71.2, 86.9, 79.8, 90.6, 75.5, 79.7, 86.7,
];
/// Ages of the patients operated on each month (several per month).
const AGES: [&[f64]; 12] = [
    &[72.7, 56.9, 64.6, 46.0],
    &[64.7, 62.3, 66.4, 60.7],
    &[66.2, 63.0, 51.3, 64.8, 66.5, 65.1, 57.7],
    &[60.0, 62.2, 60.3, 71.2, 68.9, 61.2, 65.1],
    &[62.0, 80.6, 55.3, 76.7, 66.5],
    &[57.5, 48.0, 85.2, 79.3],
    &[76.7, 72.1, 55.6, 52.4, 63.4],
    &[67.8, 62.8, 75.1, 64.8, 56.7, 68.8],
    &[61.1, 73.8, 76.1, 69.0],
    &[89.0, 76.9, 82.9, 68.6, 61.6],
    &[68.1, 64.8, 79.7, 50.4, 62.7, 77.5, 71.1],
    &[79.2, 68.9, 77.0, 82.2, 63.6, 62.2, 74.6],
];
/// Days between surgical site infections.
const DAYS_BETWEEN: [f64; 24] = [
    4., 4., 31., 11., 25., 13., 47., 1., 11., 23., 30., 17., 40., 6., 4., 19., 52., 136., 120., 6.,
    29., 53., 28., 28.,
];
/// Procedures between complications.
const PROCEDURES_BETWEEN: [f64; 25] = [
    7., 51., 50., 33., 94., 35., 7., 67., 28., 15., 7., 103., 48., 10., 25., 34., 55., 104., 5.,
    110., 44., 86., 2., 9., 6.,
];

fn month(i: usize) -> X {
    let (year, m) = (
        2022 + i32::try_from(i / 12).unwrap_or(0),
        u32::try_from(i % 12).unwrap_or(0) + 1,
    );
    Date::from_ymd(year, m, 1).map_or(X::Number(i as f64 + 1.0), X::Date)
}

fn months(n: usize) -> Vec<X> {
    (0..n).map(month).collect()
}

fn save(dir: &Path, name: &str, svg: &str) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::write(dir.join(name), svg)?;
    println!("wrote {}", dir.join(name).display());
    Ok(())
}

fn options(title: &str, y_label: &str) -> SvgOptions {
    SvgOptions::default()
        .title(title)
        .y_label(y_label)
        .id(title.to_lowercase().replace(' ', "-"))
}

/// One chart per type.
#[allow(clippy::too_many_lines)] // twelve charts, each a few lines
fn one_per_type(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let x36 = months(36);
    let run = Chart::new(ChartType::Run)
        .x(&x36)
        .values(&FALLS)
        .compute()?;
    save(
        dir,
        "run.svg",
        &render(&run, &options("Falls (run chart)", "Falls per month")),
    )?;

    let individuals = Chart::new(ChartType::I).values(&WAITS).compute()?;
    save(
        dir,
        "i.svg",
        &render(
            &individuals,
            &options("ED median wait (I chart)", "Minutes").x_label("Week"),
        ),
    )?;
    let mr = Chart::new(ChartType::Mr).values(&WAITS).compute()?;
    save(
        dir,
        "mr.svg",
        &render(
            &mr,
            &options("ED median wait (MR chart)", "Minutes").x_label("Week"),
        ),
    )?;

    let mut age_x = Vec::new();
    let mut age_y = Vec::new();
    for (m, ages) in AGES.iter().enumerate() {
        for &a in *ages {
            age_x.push(month(m));
            age_y.push(a);
        }
    }
    let xbar = Chart::new(ChartType::Xbar)
        .x(&age_x)
        .values(&age_y)
        .compute()?;
    save(
        dir,
        "xbar.svg",
        &render(&xbar, &options("Mean age at surgery (Xbar chart)", "Years")),
    )?;
    let sd = Chart::new(ChartType::S)
        .x(&age_x)
        .values(&age_y)
        .compute()?;
    save(
        dir,
        "s.svg",
        &render(&sd, &options("Spread of age at surgery (S chart)", "Years")),
    )?;

    let times = Chart::new(ChartType::T).values(&DAYS_BETWEEN).compute()?;
    save(
        dir,
        "t.svg",
        &render(
            &times,
            &options("Days between infections (T chart)", "Days").x_label("Infection"),
        ),
    )?;

    let proportions = Chart::new(ChartType::P)
        .x(&x36)
        .numerators(&READMITTED)
        .denominators(&DISCHARGED)
        .multiply(100.0)
        .compute()?;
    save(
        dir,
        "p.svg",
        &render(
            &proportions,
            &options("30-day readmissions (P chart)", "Percent"),
        ),
    )?;
    let pp = Chart::new(ChartType::Pp)
        .x(&x36)
        .numerators(&READMITTED)
        .denominators(&DISCHARGED)
        .multiply(100.0)
        .compute()?;
    save(
        dir,
        "pp.svg",
        &render(&pp, &options("30-day readmissions (P′ chart)", "Percent")),
    )?;

    let counts = Chart::new(ChartType::C)
        .x(&x36)
        .values(&FALLS)
        .parts([24])
        .compute()?;
    save(
        dir,
        "c.svg",
        &render(
            &counts,
            &options("Falls (C chart, two parts)", "Falls per month"),
        ),
    )?;
    let rates = Chart::new(ChartType::U)
        .x(&x36)
        .numerators(&INFECTIONS)
        .denominators(&PATIENT_DAYS)
        .multiply(1000.0)
        .compute()?;
    save(
        dir,
        "u.svg",
        &render(
            &rates,
            &options("Infections (U chart)", "Per 1,000 patient days"),
        ),
    )?;
    let up = Chart::new(ChartType::Up)
        .x(&x36)
        .numerators(&INFECTIONS)
        .denominators(&PATIENT_DAYS)
        .multiply(1000.0)
        .compute()?;
    save(
        dir,
        "up.svg",
        &render(
            &up,
            &options("Infections (U′ chart)", "Per 1,000 patient days"),
        ),
    )?;

    let between = Chart::new(ChartType::G)
        .values(&PROCEDURES_BETWEEN)
        .compute()?;
    save(
        dir,
        "g.svg",
        &render(
            &between,
            &options("Procedures between complications (G chart)", "Procedures"),
        ),
    )?;

    Ok(())
}

/// A frozen baseline, a target, annotations and 2-sigma lines; then the three rule sets.
fn frozen_and_rules(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let x36 = months(36);
    let frozen = Chart::new(ChartType::P)
        .x(&x36)
        .numerators(&READMITTED)
        .denominators(&DISCHARGED)
        .multiply(100.0)
        .freeze(18)
        .target(12.0)
        .direction(ImprovementDirection::Decrease);
    let annotated = options("Readmissions against the first 18 months", "Percent")
        .two_sigma(true)
        .annotate(Annotation::new(month(18), "Discharge calls"))
        .annotate(Annotation::new(month(26), "Learning session 2"));
    let anhoej = frozen.clone().compute()?;
    save(dir, "p_frozen_annotated.svg", &render(&anhoej, &annotated))?;
    let ihi = frozen.clone().rules(SignalRules::Ihi).compute()?;
    let mdc = frozen.rules(SignalRules::Mdc).compute()?;
    for (name, chart) in [("anhoej", &anhoej), ("ihi", &ihi), ("mdc", &mdc)] {
        println!("{name}: {}", chart.describe());
    }
    if let Some(summary) = mdc.making_data_count() {
        println!(
            "Making Data Count: {:?}, assurance {:?}",
            summary.variation, summary.assurance
        );
    }

    Ok(())
}

/// Small multiples sharing one scale.
fn small_multiples(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let x36 = months(36);
    let charts: Vec<(&str, ChartResult)> = vec![
        (
            "Falls",
            Chart::new(ChartType::I).x(&x36).values(&FALLS).compute()?,
        ),
        (
            "Infections",
            Chart::new(ChartType::I)
                .x(&x36)
                .values(&INFECTIONS)
                .compute()?,
        ),
        (
            "Readmissions",
            Chart::new(ChartType::I)
                .x(&x36)
                .values(&READMITTED)
                .compute()?,
        ),
    ];
    let panels: Vec<Panel<'_>> = charts
        .iter()
        .map(|(title, chart)| Panel { title, chart })
        .collect();
    let grid = render_grid(
        &panels,
        3,
        &SvgOptions::default()
            .title("Monthly counts, one scale")
            .size(960, 300)
            .id("grid"),
    );
    save(dir, "small_multiples.svg", &grid)?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = Path::new("target/qic-examples/spc");
    std::fs::create_dir_all(dir)?;
    one_per_type(dir)?;
    frozen_and_rules(dir)?;
    small_multiples(dir)
}

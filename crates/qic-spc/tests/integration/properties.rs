//! Invariants over arbitrary input: ordered limits, proportions in [0, 1], signals unchanged
//! by a positive linear change of scale, run statistics unchanged by a change of sign, and
//! no panic (and no NaN in the output) on any finite or missing input.

use proptest::prelude::*;
use qic_spc::{Chart, ChartOptions, ChartResult, ChartType, Observation, SignalRules, compute};

fn value() -> impl Strategy<Value = f64> {
    prop_oneof![9 => 0.0..1000.0f64, 1 => Just(f64::NAN)]
}

fn series(min: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(value(), min..60)
}

/// Counts and denominators with count ≤ denominator, some missing.
fn proportions() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    prop::collection::vec((0u32..500, 0.0..1.0f64, prop::bool::weighted(0.1)), 1..60).prop_map(
        |rows| {
            rows.into_iter()
                .map(|(n, share, missing)| {
                    let n = f64::from(n);
                    if missing {
                        (f64::NAN, n)
                    } else {
                        ((n * share).floor(), n)
                    }
                })
                .unzip()
        },
    )
}

fn build(
    chart: ChartType,
    y: &[f64],
    n: &[f64],
    options: ChartOptions,
) -> Result<ChartResult, qic_spc::SpcError> {
    let c = Chart::new(chart).values(y).options(options);
    if chart.needs_denominators() {
        c.denominators(n).compute()
    } else {
        c.compute()
    }
}

fn chart_type() -> impl Strategy<Value = ChartType> {
    prop::sample::select(ChartType::ALL.to_vec())
}

fn options(len: usize) -> impl Strategy<Value = ChartOptions> {
    let pos = move || 1..=len.max(1);
    (
        prop::option::of(pos()),
        prop::collection::vec(pos(), 0..3),
        prop::collection::vec(pos(), 0..3),
        prop::sample::select(vec![1.0, 100.0, 0.5]),
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(vec![
            SignalRules::Anhoej,
            SignalRules::Ihi,
            SignalRules::Mdc,
        ]),
    )
        .prop_map(
            move |(freeze, parts, exclude, multiply, screened, negative, rules)| {
                ChartOptions::default()
                    .parts(parts.into_iter().filter(|&p| p < len))
                    .exclude(exclude)
                    .multiply(multiply)
                    .screened_mr(screened)
                    .negative_limits(negative)
                    .rules(rules)
                    .freeze(freeze.unwrap_or(len.max(1)))
            },
        )
}

fn le(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a <= b + 1e-9 * b.abs().max(1.0),
        _ => true,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn limits_are_ordered((chart, y, (_, n)) in (chart_type(), series(1), proportions())) {
        let len = y.len().min(n.len());
        let (y, n) = (&y[..len], &n[..len]);
        let (y, n): (Vec<f64>, Vec<f64>) = if chart.needs_denominators() {
            y.iter().zip(n).map(|(v, d)| (if v.is_nan() { *v } else { (v / 1000.0 * d).floor() }, *d)).unzip()
        } else {
            (y.to_vec(), n.to_vec())
        };
        let y: Vec<f64> = if chart == ChartType::T { y.iter().map(|v| v + 0.5).collect() } else { y };
        let result = build(chart, &y, &n, ChartOptions::default()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for p in result.points() {
            prop_assert!(le(p.lcl, p.lcl_95) && le(p.lcl_95, p.cl) && le(p.cl, p.ucl_95) && le(p.ucl_95, p.ucl),
                "{chart}: {p:?}");
        }
    }

    #[test]
    fn proportion_limits_stay_in_the_unit_interval((y, n) in proportions(), laney in any::<bool>()) {
        let chart = if laney { ChartType::Pp } else { ChartType::P };
        let result = build(chart, &y, &n, ChartOptions::default()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for p in result.points() {
            for v in [p.lcl, p.ucl, p.lcl_95, p.ucl_95, p.cl].into_iter().flatten() {
                prop_assert!((0.0..=1.0).contains(&v), "{p:?}");
            }
        }
    }

    #[test]
    fn i_chart_signals_do_not_depend_on_a_positive_linear_scale(
        y in prop::collection::vec(-50.0..50.0f64, 2..60),
        a in 0.1..10.0f64,
        b in -100.0..100.0f64,
    ) {
        let scaled: Vec<f64> = y.iter().map(|v| a * v + b).collect();
        let one = Chart::new(ChartType::I).values(&y).compute().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let two = Chart::new(ChartType::I).values(&scaled).compute().map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(runs(&one), runs(&two));
        let flags = |c: &ChartResult| c.points().map(|p| (p.sigma_signal, p.signals)).collect::<Vec<_>>();
        prop_assert_eq!(flags(&one), flags(&two));
    }

    #[test]
    fn run_statistics_do_not_depend_on_the_sign(y in series(1), i_chart in any::<bool>()) {
        let chart = if i_chart { ChartType::I } else { ChartType::Run };
        let negated: Vec<f64> = y.iter().map(|v| -v).collect();
        let one = Chart::new(chart).values(&y).compute().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let two = Chart::new(chart).values(&negated).compute().map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(runs(&one), runs(&two));
    }

    #[test]
    fn any_input_gives_a_result_or_an_error_never_a_panic(
        (chart, y, (_, n), opts) in (chart_type(), series(0), proportions())
            .prop_flat_map(|(c, y, pn)| { let len = y.len(); (Just(c), Just(y), Just(pn), options(len)) })
    ) {
        let len = y.len().min(n.len());
        let result = build(chart, &y[..len], &n[..len], opts);
        if let Ok(result) = result {
            let json = serde_json::to_string(&result).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(!json.contains("NaN") && !json.contains("inf"));
            let back: ChartResult = serde_json::from_str(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(back.summary(), result.summary());
            prop_assert_eq!(back.len(), result.len());
        }
    }
}

/// Long series with missing values and, sometimes, fractional denominators: long enough to
/// cross the blocks of the fused path for rows without keys (64, 256, 512 and 2,048 rows).
fn long_rows() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    (0usize..5000, any::<u64>(), any::<bool>(), 0u8..4).prop_map(|(len, seed, fractions, gaps)| {
        let mut state = seed | 1;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        (0..len)
            .map(|_| {
                let n = (next() % 400) as f64 + if fractions { 0.25 } else { 0.0 };
                let y = ((next() % 1000) as f64 / 1000.0 * n * 0.3).floor();
                let missing = u64::from(gaps) * 3 > next() % 1000;
                (if missing { f64::NAN } else { y }, n)
            })
            .unzip()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Rows without keys take a fused path (checks, aggregation and sums in one pass, compact
    /// denominators, runs counted in words); the same rows in shuffled order with keys take the
    /// general one (sorted and grouped). Both give the same chart, byte for byte.
    #[test]
    fn rows_without_keys_chart_as_the_same_rows_with_shuffled_keys(
        (chart, (y, n), order, opts) in (chart_type(), long_rows())
            .prop_flat_map(|(c, (y, n))| {
                let len = y.len();
                let order: Vec<usize> = (0..len).collect();
                (Just(c), Just((y, n)), Just(order).prop_shuffle(), options(len))
            })
    ) {
        let fused = build(chart, &y, &n, opts.clone());
        let rows: Vec<Observation> = order
            .iter()
            .map(|&i| {
                let row = Observation::new((i + 1) as f64, (!y[i].is_nan()).then_some(y[i]));
                if chart.needs_denominators() { row.with_denominator(n[i]) } else { row }
            })
            .collect();
        let general = compute(chart, &rows, &opts);
        match (fused, general) {
            (Ok(a), Ok(b)) => {
                let a = serde_json::to_string(&a).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let b = serde_json::to_string(&b).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert!(a == b, "{chart}: the two paths differ");
            }
            // (The rows are numbered in the order given, which differs.)
            (Err(_), Err(_)) => {}
            (a, b) => prop_assert!(false, "{chart}: {:?} against {:?}", a.err(), b.err()),
        }
    }
}

type Runs = Vec<(
    usize,
    usize,
    Option<usize>,
    Option<usize>,
    Option<usize>,
    Option<usize>,
    bool,
)>;

fn runs(c: &ChartResult) -> Runs {
    c.summary()
        .iter()
        .map(|s| {
            (
                s.n_obs,
                s.n_useful,
                s.longest_run,
                s.longest_run_max,
                s.n_crossings,
                s.n_crossings_min,
                s.runs_signal,
            )
        })
        .collect()
}

proptest! {
    /// Values anywhere in the finite range: a chart either refuses them (a sum would pass the
    /// largest f64) or has a centre line wherever it has a value; never a silent gap.
    #[test]
    fn huge_values_give_a_centre_line_or_an_error(
        y in prop::collection::vec(
            prop_oneof![8 => -f64::MAX..f64::MAX, 1 => Just(f64::NAN), 1 => -10.0..10.0f64],
            1..30,
        ),
        chart in prop::sample::select(vec![
            ChartType::Run, ChartType::I, ChartType::Mr, ChartType::C, ChartType::G, ChartType::T,
        ]),
    ) {
        let y: Vec<f64> = if matches!(chart, ChartType::C | ChartType::G | ChartType::T) {
            y.iter().map(|v| v.abs() + 1.0).collect()
        } else {
            y
        };
        match Chart::new(chart).values(&y).compute() {
            Err(e) => prop_assert!(
                matches!(e, qic_spc::SpcError::SumTooLarge { .. }),
                "{e}"
            ),
            Ok(result) => {
                let values = result.points().filter(|p| p.y.is_some()).count();
                let base_values = if chart == ChartType::Mr { values } else { y.iter().filter(|v| !v.is_nan()).count() };
                if base_values > 0 && values > 0 {
                    prop_assert!(result.summary()[0].cl.is_some(), "{result:?}");
                }
            }
        }
    }
}

//! Run charts and Shewhart control charts for improvement work, computed as the R package
//! qicharts2 0.8.1 computes them (same centre lines, limits, signals and run statistics to
//! 1e-9), with three rule sets (Anhøj, IHI, NHS Making Data Count) and self-contained SVG
//! rendering. Nothing here is specific to health care collaboratives.
//!
//! ```
//! use qic_spc::{Chart, ChartType, RuleId};
//!
//! // Twenty weeks of a count: ten low weeks, then ten high ones.
//! let y = [4.0, 6.0, 5.0, 3.0, 5.0, 4.0, 6.0, 5.0, 4.0, 5.0,
//!          9.0, 8.0, 10.0, 9.0, 13.0, 8.0, 9.0, 10.0, 9.0, 8.0];
//! let chart = Chart::new(ChartType::C).values(&y).freeze(10).compute()?;
//!
//! let summary = &chart.summary()[0];
//! assert_eq!(summary.cl, Some(4.7)); // the mean of the ten baseline weeks
//! assert!(summary.runs_signal); // ten weeks in a row above the frozen centre line
//! assert!(chart.signals().iter().any(|s| s.rule == RuleId::AnhoejLongestRun));
//! assert!(chart.point(14).is_some_and(|p| p.sigma_signal)); // 13 > 4.7 + 3·√4.7
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! - [`ChartType`]: run, i, mr, xbar, s, t, p, p′ (`Pp`), c, u, u′ (`Up`), g.
//! - [`Chart`] computes from slices (NaN is a missing value); [`compute`] and [`compute_iter`]
//!   from [`Observation`]s, rows with a key ([`X`]: a number, a [`Date`] or a label), a value
//!   and an optional denominator. Rows with the same key form one subgroup; subgroups are
//!   sorted by key.
//! - [`ChartOptions`]: freeze, parts, exclude, multiply, screened moving ranges, negative
//!   limits, a user centre line, target, improvement direction and the [`SignalRules`].
//! - [`ChartResult`]: per-point values ([`Point`]), per-part summaries ([`PartSummary`]) and
//!   [`Signal`]s, each naming its [`RuleId`] and the subgroups it covers. It serializes to
//!   the JSON contract of `qic chart`; undefined numbers are `null`, never NaN.
//!   [`ChartResult::with_point_fields`] writes chosen point fields straight from its columns;
//!   [`ChartResult::warnings`] says what the numbers rest on (rows averaged, a freeze longer
//!   than a part).
//! - [`Keys`]: subgroup keys of one kind in one compact column (a date in 4 bytes, a number in
//!   8), for inputs and results alike.
//! - `svg` (feature `svg`): charts and small multiples as self-contained SVG, with subtitle,
//!   caption, axis titles, annotations in lanes, and the Making Data Count colours and icons.
//! - `csv` (feature `csv`): `csv::CsvData`, observations from a CSV file read once into
//!   compact columns, the columns chosen by name (`x`, `y`, `n` by default), every fault named
//!   by file, line and column.
//!
//! Sums that could pass the largest `f64` are refused ([`SpcError::SumTooLarge`], naming the
//! row): the magnitudes of the values (of their squares for xbar, s and g charts) and of the
//! denominators may add up to 1/64 of it, about 2.8e306, so that no centre line or limit
//! becomes infinite and then missing.
//!
//! ## The pipeline, and where qic differs from qicharts2
//!
//! The order of spec §1 is followed exactly: drop rows without a key, pair missing values
//! (with denominators a row missing y or n loses both), aggregate rows with the same key,
//! sort; assign parts, baseline and exclusions; compute each part's lines independently from
//! its baseline rows; run the Anhøj analysis on all included rows against the part's centre
//! line; multiply; turn non-finite limits into missing ones; flag points beyond the 3-sigma
//! limits (every point, excluded ones too); suppress the runs signal for mr charts and label
//! keys; raise negative lower limits to 0 if asked.
//!
//! Deliberate differences, each a case qicharts2 handles in a way a user would not expect:
//!
//! - **Freeze with parts.** qicharts2 ignores `freeze` when `part` is given. Here the first
//!   `freeze` subgroups *of each part* form that part's baseline.
//! - **Zero denominators.** A subgroup whose denominators sum to 0 has no plotted value; R
//!   would plot k/0 as +Inf and count it above the centre line.
//! - **All-missing subgroups.** A subgroup of several rows whose values are all missing is
//!   missing; R sums it to 0 (a c chart would plot 0).
//! - **User centre on a t chart.** The given centre is in the original units (it is
//!   transformed with the data); R compares it untransformed with the transformed data.
//!
//! Missing values, zero denominators, a single point, all-equal values and an empty series
//! give defined results: missing lines (e.g. screening drops every moving range of an
//! all-equal series, so its i chart has no limits, as in qicharts2), no signal, never a panic.
//!
//! ## Rule sets
//!
//! - [`SignalRules::Anhoej`] (default): a run longer than round(log2 n) + 3 or fewer crossings
//!   than the 5th percentile of Binomial(n − 1, ½) among the n useful observations (points
//!   not on the centre line), computed exactly for any n; plus points beyond the limits.
//! - [`SignalRules::Ihi`] (Perla, Provost and Murray, BMJ Qual Saf 2011): a shift of 6 or more
//!   useful points on one side; a trend of 5 or more points up or down (ties skipped); too few
//!   or too many runs for 10 or more useful observations, from the Swed–Eisenhart
//!   distribution with the useful observations split evenly (fewer runs than the lower 2.5%
//!   tail or more than the upper 5% tail; 16 observations → 5 to 12 runs, the published
//!   checkpoint); an astronomical point, taken explicitly as a point beyond the 3-sigma
//!   limits ([`Astronomical`]).
//! - [`SignalRules::Mdc`] (`NHSRplotthedots` 0.2.2): a point outside the limits; a shift of 7 points
//!   on one side of the mean (a point on the mean breaks it); a trend of 7 points strictly
//!   rising or falling; two of three points beyond 2 sigma on one side. Lengths are
//!   configurable ([`MdcOptions`]). Each point gets a [`PointType`] by the precedence
//!   outside > trend > two of three > shift, and the chart a [`Variation`] and, with a
//!   target, an [`Assurance`]. I charts use the package's constants (2.66 and 1.7733 times
//!   the average moving range) unless [`MdcOptions::ptd_constants`] is off.
//!
//! Pattern rules (everything but points against the limits) never fire on mr charts or with
//! label keys, as qicharts2 suppresses its runs signal there.
//!
//! # Examples
//!
//! A p chart with a frozen baseline, from observations:
//!
//! ```
//! use qic_spc::{ChartOptions, ChartType, ImprovementDirection, Observation, compute};
//!
//! let months = 1..=24;
//! let rows: Vec<Observation> = months
//!     .map(|m| {
//!         let events = if m <= 12 { 30.0 + f64::from(m % 3) } else { 18.0 + f64::from(m % 4) };
//!         Observation::new(f64::from(m), events).with_denominator(200.0)
//!     })
//!     .collect();
//! let options = ChartOptions::default().freeze(12).direction(ImprovementDirection::Decrease).multiply(100.0);
//! let chart = compute(ChartType::P, &rows, &options)?;
//! let after = chart.point(20).ok_or("missing point")?;
//! assert!(after.cl.is_some_and(|cl| (cl - 15.5).abs() < 1e-9)); // 372 / 2400 · 100
//! assert!(chart.runs_signal());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Speed and memory
//!
//! A result stores per point the plotted value (an f64), the denominator (4 bytes while every
//! denominator is a whole number, as counts are; an f64 otherwise) and one byte of flags; the
//! centre line and constant limits are stored per part, and limits that vary by point are
//! derived from the denominators (or one sigma per point for xbar and s charts) when read.
//! Beyond its output a chart needs no more than a few f64 per point while it is computed.
//!
//! Long series are computed in few passes over blocks of rows that stay in cache: checks,
//! missing pairs, plotted values and the sums for the centre line in one pass; then, per part,
//! the moving ranges (i charts) and one final pass for the runs analysis, the sigma signals and
//! the mean lines. Sums keep their blocks and order (so results do not depend on how the work is
//! split), and every loop over the rows is written so that the compiler vectorises it.
//!
//! Measured with `cargo bench --bench spc` on two cores shared with other work, best of 9 runs,
//! over five runs of the bench (load average about 1):
//!
//! | 1,000,000 points | chart | bare pass | ratio | 100k → 1M |
//! | --- | --- | --- | --- | --- |
//! | p chart, Anhøj rules | 7.3–7.7 ms | 0.49–0.53 ms | 13.6–15.1x | 10.8–11.6x |
//! | i chart, screened, Anhøj rules | 2.5–2.7 ms | 0.17–0.20 ms | 13.6–15.7x | 9.5–11.4x |
//!
//! The bare pass reads the same input (numerators and denominators for the p chart) and writes
//! one f64 per point into a new vector. Both ratios are within the goal of 20x (criterion's
//! medians in the same bench agree: 14x and 16x). The growth from 100,000 to 1,000,000 points
//! is within 12x for the i chart; for the p chart it is met only while the machine's memory is
//! quiet: its 29 MB of input and output do not fit in a cache other work shares, while 2.9 MB
//! do, and in a later machine state the same build took 8.4–8.7 ms at 1,000,000 (16–17x) with a
//! growth of 11.9–12.9x. The figures are the fastest of 9 runs; when other work takes the cores,
//! some medians of 9 exceed 20x.
//!
//! # Crate features
//!
//! - **svg** (default): the `svg` module, a small SVG writer of its own (no plotting crate: the
//!   charts need only lines, polylines, circles and text, and writing them directly gives
//!   byte-stable output for snapshots, no font or backend stack, and files that embed inline
//!   in HTML).
//! - **csv** (off by default): the `csv` module, reading CSV with `csv-core` (the `csv`
//!   crate's parser; lines are counted here, so errors name the line an editor shows) through
//!   `qic-io`'s bounded line length.

mod compute;
/// Observations from CSV files (feature `csv`).
#[cfg(feature = "csv")]
#[path = "csv_input.rs"]
pub mod csv;
pub(crate) mod dist;
mod error;
mod input;
mod options;
mod result;
mod rules;
mod runs;
#[cfg(feature = "svg")]
pub mod svg;
mod x;

pub use compute::{Chart, compute, compute_columns, compute_iter};
pub use error::SpcError;
pub use input::Observation;
pub use options::{
    Astronomical, ChartOptions, ChartType, IhiOptions, ImprovementDirection, MdcOptions,
    SignalRules, ValueProblem,
};
pub use result::{
    Assessment, Assurance, ChartDocument, ChartResult, ChartWarning, FieldValue, KeyValue,
    MdcSummary, PartSummary, Point, PointField, PointType, RuleFlags, RuleId, Side, Signal,
    UnknownPointField, Variation,
};
pub use x::{Date, DateParseError, Keys, X, XKind};

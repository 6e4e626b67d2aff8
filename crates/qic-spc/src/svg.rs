//! Charts as self-contained SVG (feature `svg`): no external fonts, styles or scripts, so a
//! chart embeds inline in HTML or prints as it is.
//!
//! What is drawn: a title, an optional subtitle and caption, and axis titles; the data line
//! and points; the centre line, dashed and orange when the part has a runs signal (as
//! qicharts2 draws it); the 3-sigma limits, stepped where they vary; optional 2-sigma lines;
//! points beyond the limits in vermillion and points in a pattern signal in orange; excluded
//! points hollow; parts separated by a vertical rule, each with its own lines; a target line;
//! annotations (a vertical marker and a label at an x, e.g. a PDSA cycle or a learning
//! session), their labels set in lanes so that no two overlap; date ticks; line labels for
//! the last part; and `<title>`/`<desc>` elements that say in words which signals fired.
//! Colours come from the Okabe–Ito palette, which stays distinct for colour-blind readers.
//!
//! Charts computed with the Making Data Count rules are drawn as `NHSRplotthedots` draws them
//! ([`Palette::Auto`]): special cause improvement blue, concern orange, neutral purple, common
//! cause grey, a grey data line, a black mean, grey limits and a red target; the variation
//! and assurance icons sit at the top right ([`variation_icon`] and [`assurance_icon`] draw
//! them alone, e.g. for a table of teams).
//!
//! The writer is the crate's own: a chart needs only lines, paths, circles and text, and
//! formatting every coordinate with two decimals gives byte-stable output for snapshot tests.
//! Every coordinate is finite whatever the data (values near the largest or smallest `f64`
//! included).
//!
//! ```
//! use qic_spc::svg::{Annotation, SvgOptions, render};
//! use qic_spc::{Chart, ChartType, X};
//!
//! let y = [5.0, 7.0, 6.0, 8.0, 4.0, 6.0, 7.0, 5.0, 6.0, 9.0, 8.0, 10.0];
//! let chart = Chart::new(ChartType::I).values(&y).compute()?;
//! let svg = render(
//!     &chart,
//!     &SvgOptions::default()
//!         .title("Falls per week")
//!         .subtitle("Ward 4, all adult inpatients")
//!         .caption("Source: incident reports. Limits from all twelve weeks.")
//!         .y_label("falls")
//!         .x_label("week")
//!         .annotate(Annotation::new(X::Number(6.0), "PDSA 1"))
//!         .size(640, 320),
//! );
//! assert!(svg.starts_with("<svg"));
//! assert!(svg.contains("<title id=\"qic-chart-title\">Falls per week</title>"));
//! assert!(svg.contains("Ward 4, all adult inpatients") && svg.contains("PDSA 1"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::options::ImprovementDirection;
use crate::result::{
    Assessment, Assurance, BASELINE, ChartResult, INCLUDE, PointType, RuleId, SIGMA, Side,
    Variation,
};
use crate::x::{Date, X, XKind};

/// Okabe–Ito colours.
const BLUE: &str = "#0072B2";
const VERMILLION: &str = "#D55E00";
const ORANGE: &str = "#E69F00";
const GREEN: &str = "#009E73";
const GREY: &str = "#555555";
const LIGHT: &str = "#DDDDDD";
const INK: &str = "#222222";
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";

/// Making Data Count colours of points and lines (`NHSRplotthedots`' `ptd_spc_colours`).
const MDC_COMMON: &str = "#A6A6A6";
const MDC_IMPROVEMENT: &str = "#00B0F0";
const MDC_CONCERN: &str = "#E46C0A";
const MDC_NEUTRAL: &str = "#490092";
const MDC_MEAN: &str = "#000000";
const MDC_TARGET: &str = "#DE1B1B";

/// Making Data Count colours of the icons.
const ICON_IMPROVEMENT: &str = "#0072C6";
const ICON_CONCERN: &str = "#FF6600";
const ICON_COMMON: &str = "#BFBFBF";
const ICON_NEUTRAL: &str = "#8000C0";
const ICON_INK: &str = "#7F7F7F";

/// A vertical marker with a label at a subgroup key, e.g. the start of a PDSA cycle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Annotation {
    /// Where: a key of the chart's kind (a date for a monthly chart). A key inside the period
    /// of a subgroup is drawn at its own place (an event on 15 June of a monthly chart whose
    /// last point is June is drawn, halfway into June); see [`charted`].
    pub x: X,
    /// The text.
    pub label: String,
}

impl Annotation {
    /// An annotation at `x`.
    pub fn new(x: impl Into<X>, label: impl Into<String>) -> Self {
        Self {
            x: x.into(),
            label: label.into(),
        }
    }
}

/// How points and lines are coloured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Palette {
    /// [`Palette::MakingDataCount`] for charts computed with the Making Data Count rules,
    /// [`Palette::Signals`] for the others.
    #[default]
    Auto,
    /// qic's own (Okabe–Ito): a blue data line; points beyond the limits vermillion, points in
    /// a pattern orange; a grey centre line, dashed orange when its part has a runs signal.
    Signals,
    /// NHS Making Data Count, as `NHSRplotthedots` draws it: special cause improvement blue,
    /// concern orange, neutral purple, common cause grey; a grey data line, a black mean,
    /// dashed grey limits and a red target. Without the Making Data Count point types, a
    /// flagged point takes the assessment of its signal (improvement, concern, or neutral when
    /// there is no improvement direction).
    MakingDataCount,
}

/// How to draw a chart. Chain the methods on the default.
///
/// Everything the report or the command line sets on a chart is here: size, title,
/// subtitle, caption, axis titles, 2-sigma lines, annotations, a shared y range, the palette
/// and the Making Data Count icons, and the id prefix of the accessible title and
/// description.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SvgOptions {
    /// Width in pixels (user units).
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Title, drawn on top and used as the SVG `<title>` (default: the chart type, e.g.
    /// "P chart").
    pub title: Option<String>,
    /// A line under the title, e.g. the measure's definition or the team (wrapped to the
    /// width).
    pub subtitle: Option<String>,
    /// A note under the chart, e.g. the data source or how the baseline was chosen (wrapped
    /// to the width).
    pub caption: Option<String>,
    /// Title of the x axis, e.g. "month".
    pub x_label: Option<String>,
    /// Title of the y axis, in the measure's unit, e.g. "days" or "% of patients".
    pub y_label: Option<String>,
    /// Draw the 2-sigma lines.
    pub two_sigma: bool,
    /// Vertical markers with labels.
    pub annotations: Vec<Annotation>,
    /// A fixed y range (shared scales); otherwise it fits the data and lines.
    pub y_range: Option<(f64, f64)>,
    /// Prefix of the element ids (`<title>` and `<desc>`), unique per document when several
    /// charts are inlined in one HTML page.
    pub id: String,
    /// How points and lines are coloured.
    pub palette: Palette,
    /// Draw the Making Data Count variation and assurance icons at the top right, for charts
    /// computed with those rules (default: on).
    pub icons: bool,
}

impl Default for SvgOptions {
    fn default() -> Self {
        Self {
            width: 720,
            height: 360,
            title: None,
            subtitle: None,
            caption: None,
            x_label: None,
            y_label: None,
            two_sigma: false,
            annotations: Vec::new(),
            y_range: None,
            id: "qic-chart".to_owned(),
            palette: Palette::Auto,
            icons: true,
        }
    }
}

impl SvgOptions {
    /// Sets the size.
    #[must_use]
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.width = width.max(120);
        self.height = height.max(80);
        self
    }

    /// Sets the title.
    #[must_use]
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Sets the subtitle, a line under the title.
    #[must_use]
    pub fn subtitle(mut self, subtitle: impl Into<String>) -> Self {
        self.subtitle = Some(subtitle.into());
        self
    }

    /// Sets the caption, a note under the chart.
    #[must_use]
    pub fn caption(mut self, caption: impl Into<String>) -> Self {
        self.caption = Some(caption.into());
        self
    }

    /// Sets the x axis title.
    #[must_use]
    pub fn x_label(mut self, label: impl Into<String>) -> Self {
        self.x_label = Some(label.into());
        self
    }

    /// Sets the y axis title (the measure's unit, e.g. "days").
    #[must_use]
    pub fn y_label(mut self, label: impl Into<String>) -> Self {
        self.y_label = Some(label.into());
        self
    }

    /// Draws the 2-sigma lines.
    #[must_use]
    pub fn two_sigma(mut self, on: bool) -> Self {
        self.two_sigma = on;
        self
    }

    /// Adds an annotation.
    #[must_use]
    pub fn annotate(mut self, annotation: Annotation) -> Self {
        self.annotations.push(annotation);
        self
    }

    /// Fixes the y range.
    #[must_use]
    pub fn y_range(mut self, low: f64, high: f64) -> Self {
        self.y_range = Some((low, high));
        self
    }

    /// Sets the id prefix.
    #[must_use]
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = id.into();
        self
    }

    /// Sets the palette.
    #[must_use]
    pub fn palette(mut self, palette: Palette) -> Self {
        self.palette = palette;
        self
    }

    /// Draws the Making Data Count icons (on by default) or not.
    #[must_use]
    pub fn icons(mut self, on: bool) -> Self {
        self.icons = on;
        self
    }

    /// The y range to use, if it is a usable one (finite, low below high).
    fn usable_y_range(&self) -> Option<(f64, f64)> {
        self.y_range
            .filter(|(lo, hi)| lo.is_finite() && hi.is_finite() && lo < hi)
    }
}

/// Escapes text for SVG content and attributes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The largest coordinate written: far outside any drawing, and short to print.
const COORDINATE_LIMIT: f64 = 1e6;

/// A coordinate with two decimals (byte-stable), kept finite and within ±10⁶ whatever the
/// arithmetic before it gave.
fn c(v: f64) -> String {
    let v = if v.is_nan() {
        0.0
    } else {
        v.clamp(-COORDINATE_LIMIT, COORDINATE_LIMIT)
    };
    let s = format!("{v:.2}");
    if s == "-0.00" { "0.00".to_owned() } else { s }
}

/// A value for a label: up to four significant decimals, no trailing zeros; very small and
/// very large magnitudes in scientific notation.
fn label_number(v: f64) -> String {
    let magnitude = v.abs();
    if magnitude != 0.0 && !(1e-4..1e15).contains(&magnitude) {
        let s = format!("{v:.2e}");
        // 1.50e-7 → 1.5e-7
        return match s.split_once('e') {
            Some((mantissa, exponent)) if mantissa.contains('.') => format!(
                "{}e{exponent}",
                mantissa.trim_end_matches('0').trim_end_matches('.')
            ),
            _ => s,
        };
    }
    let decimals = if magnitude >= 1000.0 {
        0
    } else if magnitude >= 100.0 {
        1
    } else if magnitude >= 1.0 {
        2
    } else {
        4
    };
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    };
    if s == "-0" { "0".to_owned() } else { s }
}

/// The estimated width of a text in pixels: an average sans-serif glyph is about half the
/// font size wide; 0.6 leaves room for wide letters, so estimates err on the long side.
fn text_width(text: &str, font: f64) -> f64 {
    text.chars().count() as f64 * font * 0.6
}

/// Splits a text into lines of at most `width` pixels (estimated) at spaces, at most
/// `max_lines` lines; the last line kept ends with an ellipsis when text was left out.
fn wrap(text: &str, font: f64, width: f64, max_lines: usize) -> Vec<String> {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let per_line = ((width / (font * 0.6)).floor().max(8.0)) as usize;
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let fits = current.chars().count() + 1 + word.chars().count() <= per_line;
        if current.is_empty() {
            current = word.chars().take(per_line).collect();
        } else if fits {
            current.push(' ');
            current.push_str(word);
        } else {
            lines.push(std::mem::take(&mut current));
            current = word.chars().take(per_line).collect();
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            let keep = per_line.saturating_sub(1);
            if last.chars().count() > keep {
                *last = last.chars().take(keep).collect();
            }
            last.push('…');
        }
    }
    lines
}

/// `v`'s place between `lo` and `hi` as a fraction (0 at `lo`, 1 at `hi`), without
/// overflowing when the span is beyond the largest `f64`.
fn fraction(v: f64, lo: f64, hi: f64) -> f64 {
    let span = hi - lo;
    if span.is_finite() && span > 0.0 {
        (v - lo) / span
    } else if hi > lo {
        (v * 0.5 - lo * 0.5) / (hi * 0.5 - lo * 0.5)
    } else {
        0.5
    }
}

/// Nice tick values covering [lo, hi], about `target` of them. Spans too small or too large
/// for round steps (subnormal numbers, spans beyond the largest `f64`) get the two ends.
fn ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) {
        return Vec::new();
    }
    if hi <= lo {
        return vec![lo];
    }
    let parts = target.max(1) as f64;
    // hi/parts − lo/parts cannot overflow where hi − lo can.
    let raw = hi / parts - lo / parts;
    let exponent = raw.log10().floor();
    let power = 10f64.powf(exponent);
    if !(power.is_normal() && (power * 10.0).is_finite() && raw.is_normal()) {
        return vec![lo, hi];
    }
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    let first = (lo / step).ceil();
    // Round to the step's precision so that 3 × 0.1 prints as 0.3 (where 10^decimals is a
    // usable number).
    #[allow(clippy::cast_possible_truncation)]
    let decimals = (2.0 - exponent).clamp(-300.0, 300.0) as i32;
    let scale = 10f64.powi(decimals);
    let rounding = scale.is_normal() && (hi.abs().max(lo.abs()) * scale).is_finite();
    let mut out = Vec::new();
    let mut k = first;
    let limit = (hi + step * 1e-9).min(f64::MAX);
    while k * step <= limit && out.len() < 50 {
        let exact = k * step;
        let v = if rounding {
            (exact * scale).round() / scale
        } else {
            exact
        };
        out.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
        k += 1.0;
    }
    out
}

/// The plot area and its scales.
struct Frame {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
    x_lo: f64,
    x_hi: f64,
    y_lo: f64,
    y_hi: f64,
}

impl Frame {
    fn x(&self, v: f64) -> f64 {
        if self.x_hi > self.x_lo {
            self.left + fraction(v, self.x_lo, self.x_hi) * self.width
        } else {
            self.left + self.width / 2.0
        }
    }

    fn y(&self, v: f64) -> f64 {
        if self.y_hi > self.y_lo {
            self.top + (1.0 - fraction(v, self.y_lo, self.y_hi)) * self.height
        } else {
            self.top + self.height / 2.0
        }
    }

    fn bottom(&self) -> f64 {
        self.top + self.height
    }

    fn right(&self) -> f64 {
        self.left + self.width
    }
}

/// The position of each point along x: its value for numbers and dates, its index otherwise.
fn positions(result: &ChartResult) -> Vec<f64> {
    (0..result.len())
        .map(|i| match result.x.get(i) {
            X::Number(v) if result.x_kind == XKind::Number => v,
            X::Date(d) => f64::from(d.days_since_epoch()),
            _ => (i + 1) as f64,
        })
        .collect()
}

fn position_of(result: &ChartResult, xs: &[f64], x: &X) -> Option<f64> {
    match (x, result.x_kind) {
        (X::Number(v), XKind::Number | XKind::Index) if v.is_finite() => Some(*v),
        (X::Date(d), XKind::Date) => Some(f64::from(d.days_since_epoch())),
        (X::Label(l), XKind::Label) => (0..result.len())
            .find(|&i| matches!(result.x.get(i), X::Label(ref k) if k == l))
            .and_then(|i| xs.get(i).copied()),
        _ => None,
    }
}

/// Where the last subgroup's period ends: the start of the next month for monthly dates
/// (every key the first of a month), else the last position plus the median gap between
/// subgroups (1 when there is no gap).
fn end_of_last_period(result: &ChartResult, xs: &[f64]) -> Option<f64> {
    let last = *xs.last()?;
    if result.x_kind == XKind::Date {
        let monthly =
            (0..result.len()).all(|i| matches!(result.x.get(i), X::Date(d) if d.ymd().2 == 1));
        if monthly {
            let (year, month, _) = Date::from_days_since_epoch(last_day(last)).ymd();
            let (year, month) = if month == 12 {
                (year + 1, 1)
            } else {
                (year, month + 1)
            };
            if let Some(next) = Date::from_ymd(year, month, 1) {
                return Some(f64::from(next.days_since_epoch()));
            }
        }
    }
    let mut gaps: Vec<f64> = xs
        .windows(2)
        .map(|w| w[1] - w[0])
        .filter(|g| g.is_finite() && *g > 0.0)
        .collect();
    gaps.sort_by(f64::total_cmp);
    let gap = gaps.get(gaps.len() / 2).copied().unwrap_or(1.0);
    Some(last + gap)
}

#[allow(clippy::cast_possible_truncation)]
fn last_day(position: f64) -> i32 {
    position.clamp(f64::from(i32::MIN), f64::from(i32::MAX)) as i32
}

/// Where an annotation at `x` is drawn, if it is: from the first subgroup to the end of the
/// last subgroup's period (labels: at a subgroup with that label).
fn annotation_position(result: &ChartResult, xs: &[f64], x: &X) -> Option<f64> {
    let p = position_of(result, xs, x)?;
    if result.x_kind == XKind::Label {
        return Some(p);
    }
    let first = *xs.first()?;
    let end = end_of_last_period(result, xs)?;
    (p >= first && p < end).then_some(p)
}

/// Whether an annotation at `x` is drawn on this chart: it is a key of the chart's kind and
/// falls from the first subgroup to the end of the last subgroup's period. For monthly dates
/// (every key the first of a month) the last subgroup covers its whole month, so an event on
/// 20 June is drawn on a chart whose last point is June; for other keys the last subgroup
/// covers the median gap between subgroups. A label must be one of the chart's keys.
///
/// A report that lists annotations beside a chart uses this to say which are drawn.
///
/// ```
/// use qic_spc::svg::charted;
/// use qic_spc::{Chart, ChartType, Date, X};
///
/// let months: Vec<X> = (1..=6).map(|m| X::Date(Date::from_ymd(2024, m, 1).unwrap())).collect();
/// let chart = Chart::new(ChartType::Run).x(&months).values(&[3.0, 4.0, 5.0, 4.0, 6.0, 5.0]).compute()?;
/// assert!(charted(&chart, &X::Date(Date::from_ymd(2024, 6, 20).unwrap())));
/// assert!(!charted(&chart, &X::Date(Date::from_ymd(2024, 7, 1).unwrap())));
/// assert!(!charted(&chart, &X::Date(Date::from_ymd(2023, 12, 31).unwrap())));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn charted(result: &ChartResult, x: &X) -> bool {
    let xs = positions(result);
    annotation_position(result, &xs, x).is_some()
}

/// The y range that shows the data, the lines and the target.
pub(crate) fn fit_y(result: &ChartResult, two_sigma: bool) -> Option<(f64, f64)> {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    let mut see = |v: f64| {
        if v.is_finite() {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    };
    for i in 0..result.len() {
        let l = result.lines(i);
        see(result.y[i]);
        see(l.cl);
        see(l.lcl);
        see(l.ucl);
        if two_sigma {
            see(l.lcl_95);
            see(l.ucl_95);
        }
    }
    if let Some(t) = result.target {
        see(t);
    }
    lo.is_finite().then_some((lo, hi))
}

/// A range with 6% of its span added at each end (10% of the value, or 1, around a single
/// value), kept within the finite numbers.
fn padded((lo, hi): (f64, f64)) -> (f64, f64) {
    let half_span = hi * 0.5 - lo * 0.5;
    let (lo, hi) = if half_span > 0.0 {
        let pad = 0.12 * half_span;
        (lo - pad, hi + pad)
    } else {
        let d = if lo.abs() > 0.0 { lo.abs() * 0.1 } else { 1.0 };
        (lo - d, hi + d)
    };
    (lo.max(f64::MIN), hi.min(f64::MAX))
}

/// Stepped path of a per-point line over one part: each point holds its value from halfway
/// to its left neighbour to halfway to its right one (from the point itself at the ends).
fn stepped_path(
    frame: &Frame,
    xs: &[f64],
    values: &[f64],
    range: std::ops::Range<usize>,
) -> String {
    let mut d = String::new();
    let mut open = false;
    let mut last_y = f64::NAN;
    for i in range.clone() {
        let v = values[i];
        if !v.is_finite() {
            open = false;
            continue;
        }
        let left = if i == range.start {
            xs[i]
        } else {
            f64::midpoint(xs[i - 1], xs[i])
        };
        let right = if i + 1 == range.end {
            xs[i]
        } else {
            f64::midpoint(xs[i], xs[i + 1])
        };
        let (px0, px1, py) = (frame.x(left), frame.x(right), frame.y(v));
        if open {
            if (py - last_y).abs() > 1e-9 {
                let _ = write!(d, "V{}", c(py));
            }
        } else {
            let _ = write!(d, "M{},{}", c(px0), c(py));
        }
        let _ = write!(d, "H{}", c(px1));
        open = true;
        last_y = py;
    }
    d
}

fn line(
    out: &mut String,
    frame: &Frame,
    xs: &[f64],
    values: &[f64],
    range: std::ops::Range<usize>,
    style: &str,
) {
    // A part of one point gets a short tick so its line is still visible.
    let path = if range.len() == 1 {
        let i = range.start;
        if values[i].is_finite() {
            let x = frame.x(xs[i]);
            format!("M{},{}H{}", c(x - 6.0), c(frame.y(values[i])), c(x + 6.0))
        } else {
            String::new()
        }
    } else {
        stepped_path(frame, xs, values, range)
    };
    if !path.is_empty() {
        let _ = writeln!(out, "<path d=\"{path}\" fill=\"none\" {style}/>");
    }
}

fn month_name(m: u32) -> &'static str {
    [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .get(m.saturating_sub(1) as usize)
    .copied()
    .unwrap_or("")
}

/// Date ticks: month starts, every k months so that at most about `target` show (k from 1,
/// 2, 3, 6 months and 1, 2, 5, 10, 20 years, then whole years as needed).
fn date_ticks(lo: f64, hi: f64, target: usize) -> Vec<(f64, String)> {
    if !(lo.is_finite() && hi.is_finite()) || hi < lo {
        return Vec::new();
    }
    let (start, end) = (
        Date::from_days_since_epoch(last_day(lo.floor())).ymd(),
        Date::from_days_since_epoch(last_day(hi.ceil())).ymd(),
    );
    let months = |(year, month, _): (i32, u32, u32)| i64::from(year) * 12 + i64::from(month) - 1;
    let (first, last) = (months(start), months(end));
    let span = (last - first + 1).max(1);
    let most = i64::try_from(target.max(1)).unwrap_or(i64::MAX);
    let step = [1, 2, 3, 6, 12, 24, 60, 120, 240]
        .into_iter()
        .find(|months| span / months <= most)
        .unwrap_or_else(|| (span / most / 12 + 1) * 12);
    let mut out = Vec::new();
    // The first multiple of the step at or after the first month.
    let mut index = first.div_euclid(step) * step;
    if index < first {
        index += step;
    }
    while index <= last + 1 && out.len() <= target + 2 {
        #[allow(clippy::cast_possible_truncation)]
        let year = index.div_euclid(12) as i32;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let month = (index.rem_euclid(12) + 1) as u32;
        if let Some(date) = Date::from_ymd(year, month, 1) {
            let position = f64::from(date.days_since_epoch());
            if position >= lo - 0.5 && position <= hi + 0.5 {
                let text = if step >= 12 {
                    format!("{year}")
                } else {
                    format!("{} {year}", month_name(month))
                };
                out.push((position, text));
            }
        }
        index += step;
    }
    out
}

/// The lines of a chart as columns, for drawing.
struct LineColumns {
    cl: Vec<f64>,
    lcl: Vec<f64>,
    ucl: Vec<f64>,
    lcl_95: Vec<f64>,
    ucl_95: Vec<f64>,
}

impl LineColumns {
    fn of(result: &ChartResult) -> Self {
        let all: Vec<_> = (0..result.len()).map(|i| result.lines(i)).collect();
        Self {
            cl: all.iter().map(|l| l.cl).collect(),
            lcl: all.iter().map(|l| l.lcl).collect(),
            ucl: all.iter().map(|l| l.ucl).collect(),
            lcl_95: all.iter().map(|l| l.lcl_95).collect(),
            ucl_95: all.iter().map(|l| l.ucl_95).collect(),
        }
    }
}

/// What a point means for its colour under the Making Data Count palette.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PointClass {
    Common,
    Improvement,
    Concern,
    Neutral,
}

fn point_class(result: &ChartResult, i: usize) -> PointClass {
    if let Some(types) = &result.point_types {
        return match types.get(i) {
            Some(PointType::SpecialCauseImprovement) => PointClass::Improvement,
            Some(PointType::SpecialCauseConcern) => PointClass::Concern,
            Some(PointType::SpecialCauseNeutralHigh | PointType::SpecialCauseNeutralLow) => {
                PointClass::Neutral
            }
            Some(PointType::CommonCause) | None => PointClass::Common,
        };
    }
    let sigma = result.flags[i] & SIGMA != 0;
    let bits = result.rule_bits(i);
    if !sigma && bits == 0 {
        return PointClass::Common;
    }
    // A point beyond the limits: its side against the upper limit; else the signal covering it.
    let assessment = if sigma {
        let lines = result.lines(i);
        let side = if result.y[i] > lines.ucl {
            Side::High
        } else {
            Side::Low
        };
        match (side, result.direction) {
            (_, ImprovementDirection::Neutral) => None,
            (Side::High, ImprovementDirection::Increase)
            | (Side::Low, ImprovementDirection::Decrease) => Some(Assessment::Improvement),
            _ => Some(Assessment::Concern),
        }
    } else {
        result
            .signals
            .iter()
            .find(|s| s.from <= i + 1 && i < s.to && bits & s.rule.bit() != 0)
            .and_then(|s| s.assessment)
    };
    match assessment {
        Some(Assessment::Improvement) => PointClass::Improvement,
        Some(Assessment::Concern) => PointClass::Concern,
        None => PointClass::Neutral,
    }
}

/// Whether the chart is drawn in the Making Data Count palette.
fn mdc_palette(result: &ChartResult, options: &SvgOptions) -> bool {
    match options.palette {
        Palette::Auto => result.point_types.is_some(),
        Palette::Signals => false,
        Palette::MakingDataCount => true,
    }
}

/// Colours and strokes of the lines.
struct Style {
    mdc: bool,
    data_line: &'static str,
    limits: String,
    two_sigma: String,
    centre: String,
    /// The centre line of a part with a runs signal.
    centre_signal: String,
    target: &'static str,
}

impl Style {
    fn new(mdc: bool) -> Self {
        if mdc {
            Self {
                mdc,
                data_line: MDC_COMMON,
                limits: format!(
                    "stroke=\"{MDC_COMMON}\" stroke-width=\"1.2\" stroke-dasharray=\"5,3\""
                ),
                two_sigma: format!("stroke=\"{MDC_COMMON}\" stroke-dasharray=\"1,3\""),
                centre: format!("stroke=\"{MDC_MEAN}\" stroke-width=\"1.3\""),
                centre_signal: format!("stroke=\"{MDC_MEAN}\" stroke-width=\"1.3\""),
                target: MDC_TARGET,
            }
        } else {
            Self {
                mdc,
                data_line: BLUE,
                limits: format!("stroke=\"{GREY}\" stroke-width=\"1.2\""),
                two_sigma: format!("stroke=\"{GREY}\" stroke-dasharray=\"1,3\""),
                centre: format!("stroke=\"{GREY}\" stroke-width=\"1.5\""),
                centre_signal: format!(
                    "stroke=\"{ORANGE}\" stroke-width=\"1.8\" stroke-dasharray=\"6,4\""
                ),
                target: GREEN,
            }
        }
    }

    fn point_colour(&self, result: &ChartResult, i: usize) -> &'static str {
        if self.mdc {
            return match point_class(result, i) {
                PointClass::Common => MDC_COMMON,
                PointClass::Improvement => MDC_IMPROVEMENT,
                PointClass::Concern => MDC_CONCERN,
                PointClass::Neutral => MDC_NEUTRAL,
            };
        }
        if result.flags[i] & SIGMA != 0 {
            return VERMILLION;
        }
        // Points of a local pattern (a long run, shift, trend, two of three) are orange; a
        // part-wide signal shows in its dashed centre line instead.
        let pattern = RuleId::ALL.into_iter().any(|r| {
            result.rule_bits(i) & r.bit() != 0
                && !r.is_part_wide()
                && !matches!(
                    r,
                    RuleId::Sigma | RuleId::IhiAstronomical | RuleId::MdcOutsideLimits
                )
        });
        if pattern { ORANGE } else { BLUE }
    }
}

/// A label set beside its marker: where its text starts or ends, and its lane (row).
#[derive(Clone, Copy, Debug, PartialEq)]
struct LabelPlace {
    /// The x of the text's anchor.
    x: f64,
    /// The text ends at `x` (left of its marker) rather than starting there.
    end: bool,
    /// The lane, from 0 at the top.
    lane: usize,
}

/// Sets labels in lanes so that no two overlap: each label starts just right of its marker
/// (or ends just left of it near the right edge), in the first lane where it clears the
/// labels already there. A label that fits in no lane of `max_lanes` gets no place (its
/// marker is still drawn, with the label as a tooltip). `markers` are (x, estimated width),
/// in any order.
fn place_labels(
    markers: &[(f64, f64)],
    left: f64,
    right: f64,
    max_lanes: usize,
) -> Vec<Option<LabelPlace>> {
    const GAP: f64 = 4.0;
    const OFFSET: f64 = 3.0;
    let mut order: Vec<usize> = (0..markers.len()).collect();
    order.sort_by(|&a, &b| markers[a].0.total_cmp(&markers[b].0));
    // The right end of the last label in each lane.
    let mut lanes: Vec<f64> = Vec::new();
    let mut places = vec![None; markers.len()];
    for k in order {
        let (x, width) = markers[k];
        let end = x + OFFSET + width > right && x - OFFSET - width >= left;
        let (start, stop) = if end {
            (x - OFFSET - width, x - OFFSET)
        } else {
            (x + OFFSET, x + OFFSET + width)
        };
        let lane = match lanes.iter().position(|&taken| taken + GAP <= start) {
            Some(lane) => Some(lane),
            None if lanes.len() < max_lanes.max(1) => {
                lanes.push(f64::NEG_INFINITY);
                Some(lanes.len() - 1)
            }
            None => None,
        };
        if let Some(lane) = lane {
            lanes[lane] = stop;
            places[k] = Some(LabelPlace {
                x: if end { x - OFFSET } else { x + OFFSET },
                end,
                lane,
            });
        }
    }
    places
}

/// Draws one chart into `out` inside `frame`; `compact` leaves out line labels (small
/// multiples).
#[allow(clippy::too_many_lines)] // one drawing pass, in the order the layers stack
fn draw(
    out: &mut String,
    result: &ChartResult,
    options: &SvgOptions,
    frame: &Frame,
    compact: bool,
) {
    let xs = positions(result);
    let font = if compact { 10 } else { 11 };
    let lines = LineColumns::of(result);
    let style = Style::new(mdc_palette(result, options));

    // Grid and y ticks.
    for t in ticks(frame.y_lo, frame.y_hi, if compact { 4 } else { 6 }) {
        let y = frame.y(t);
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#F0F0F0\"/>",
            c(frame.left),
            c(y),
            c(frame.right()),
            c(y)
        );
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{font}\" text-anchor=\"end\" fill=\"{GREY}\">{}</text>",
            c(frame.left - 5.0),
            c(y + 3.5),
            escape(&label_number(t))
        );
    }
    // Axes.
    let _ = writeln!(
        out,
        "<path d=\"M{},{}V{}H{}\" fill=\"none\" stroke=\"{GREY}\"/>",
        c(frame.left),
        c(frame.top),
        c(frame.bottom()),
        c(frame.right())
    );
    // X ticks.
    let x_ticks: Vec<(f64, String)> = match result.x_kind {
        XKind::Date => date_ticks(frame.x_lo, frame.x_hi, if compact { 4 } else { 8 }),
        XKind::Label => {
            let every = result.len().div_ceil(if compact { 6 } else { 12 }).max(1);
            (0..result.len())
                .step_by(every)
                .map(|i| {
                    let text: String = result.x.get(i).to_string().chars().take(12).collect();
                    (xs[i], text)
                })
                .collect()
        }
        _ => ticks(frame.x_lo, frame.x_hi, if compact { 4 } else { 8 })
            .into_iter()
            // Subgroup positions 1, 2, 3, … get whole ticks only.
            .filter(|t| result.x_kind != XKind::Index || t.fract() == 0.0)
            .map(|t| (t, label_number(t)))
            .collect(),
    };
    // The right end of the last tick label drawn: a label that would touch it is left out.
    let mut last_end = f64::NEG_INFINITY;
    for (p, text) in x_ticks {
        let x = frame.x(p);
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{GREY}\"/>",
            c(x),
            c(frame.bottom()),
            c(x),
            c(frame.bottom() + 4.0)
        );
        // A label centred on a tick near the plot's right edge would run past the drawing in a
        // panel of small multiples: end it at its tick instead (half its width, estimated).
        let half_width = 0.3 * f64::from(font) * text.chars().count() as f64;
        let (anchor, start, end) = if x + half_width > frame.right() + 4.0 {
            ("end", x - 2.0 * half_width, x)
        } else {
            ("middle", x - half_width, x + half_width)
        };
        if start < last_end + 6.0 {
            continue;
        }
        last_end = end;
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{font}\" text-anchor=\"{anchor}\" fill=\"{GREY}\">{}</text>",
            c(x),
            c(frame.bottom() + 16.0),
            escape(&text)
        );
    }

    // Target.
    if let Some(t) = result.target
        && t.is_finite()
    {
        let y = frame.y(t);
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1.5\" stroke-dasharray=\"2,3\"/>",
            c(frame.left),
            c(y),
            c(frame.right()),
            c(y),
            style.target
        );
    }

    // Parts: separators, limits, centre lines.
    let parts = result.part_ranges();
    for (k, range) in parts.iter().enumerate() {
        if k > 0 {
            let x = frame.x(f64::midpoint(xs[range.start - 1], xs[range.start]));
            let _ = writeln!(
                out,
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{LIGHT}\" stroke-width=\"1.5\"/>",
                c(x),
                c(frame.top),
                c(x),
                c(frame.bottom())
            );
        }
        // The end of a frozen baseline: a dotted rule after its last point.
        if let Some(first_after) = range.clone().find(|&i| result.flags[i] & BASELINE == 0)
            && first_after > range.start
        {
            let x = frame.x(f64::midpoint(xs[first_after - 1], xs[first_after]));
            let _ = writeln!(
                out,
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#AAAAAA\" stroke-dasharray=\"1,2\"/>",
                c(x),
                c(frame.top),
                c(x),
                c(frame.bottom())
            );
        }
        if options.two_sigma {
            for values in [&lines.lcl_95, &lines.ucl_95] {
                line(out, frame, &xs, values, range.clone(), &style.two_sigma);
            }
        }
        for values in [&lines.lcl, &lines.ucl] {
            line(out, frame, &xs, values, range.clone(), &style.limits);
        }
        let signal = result.summary.get(k).is_some_and(|s| s.runs_signal);
        let centre = if signal {
            &style.centre_signal
        } else {
            &style.centre
        };
        line(out, frame, &xs, &lines.cl, range.clone(), centre);
    }

    draw_annotations(out, result, options, frame, &xs, font - 1);

    // Data line (not for label keys: dots only) and points.
    if result.x_kind != XKind::Label {
        let mut d = String::new();
        let mut open = false;
        for (i, &x) in xs.iter().enumerate() {
            let v = result.y[i];
            if !v.is_finite() {
                open = false;
                continue;
            }
            let _ = write!(
                d,
                "{}{},{}",
                if open { "L" } else { "M" },
                c(frame.x(x)),
                c(frame.y(v))
            );
            open = true;
        }
        if !d.is_empty() {
            let _ = writeln!(
                out,
                "<path d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\"/>",
                style.data_line
            );
        }
    }
    let radius = if result.len() > 200 {
        1.2
    } else if compact {
        2.0
    } else {
        2.8
    };
    for (i, &x) in xs.iter().enumerate() {
        let v = result.y[i];
        if !v.is_finite() {
            continue;
        }
        let sigma = result.flags[i] & SIGMA != 0;
        let colour = style.point_colour(result, i);
        let fill = if result.flags[i] & INCLUDE == 0 {
            "#FFFFFF"
        } else {
            colour
        };
        let r = if sigma { radius + 1.0 } else { radius };
        let _ = writeln!(
            out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\" stroke=\"{colour}\"/>",
            c(frame.x(x)),
            c(frame.y(v)),
            c(r)
        );
    }

    // Labels of the target and of the last part's lines, right of the plot, moved apart
    // where they would overlap.
    if !compact && let Some(last) = parts.last() {
        let i = last.end - 1;
        let mut labels: Vec<(f64, String, &str)> = [
            ("UCL", lines.ucl[i]),
            ("CL", lines.cl[i]),
            ("LCL", lines.lcl[i]),
        ]
        .into_iter()
        .filter(|(_, v)| v.is_finite())
        .map(|(name, v)| (frame.y(v), format!("{name} {}", label_number(v)), GREY))
        .collect();
        if let Some(t) = result.target.filter(|t| t.is_finite()) {
            labels.push((
                frame.y(t),
                format!("Target {}", label_number(t)),
                style.target,
            ));
        }
        labels.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut ys: Vec<f64> = labels.iter().map(|l| l.0).collect();
        dodge(&mut ys, f64::from(font) + 1.0, frame.top, frame.bottom());
        for ((_, text, colour), y) in labels.iter().zip(ys) {
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"{font}\" fill=\"{colour}\">{}</text>",
                c(frame.right() + 4.0),
                c(y + 3.5),
                escape(text)
            );
        }
    }
}

/// Moves sorted positions apart so that neighbours are at least `gap` apart, as little as
/// possible, within [`lo`, `hi`] where there is room (labels beside a plot).
fn dodge(ys: &mut [f64], gap: f64, lo: f64, hi: f64) {
    // Down from the top, then up from the bottom, then down again from the top.
    for k in 1..ys.len() {
        ys[k] = ys[k].max(ys[k - 1] + gap);
    }
    if let Some(last) = ys.last_mut() {
        *last = last.min(hi.max(lo));
    }
    for k in (0..ys.len().saturating_sub(1)).rev() {
        ys[k] = ys[k].min(ys[k + 1] - gap);
    }
    if let Some(first) = ys.first_mut() {
        *first = first.max(lo - gap);
    }
    for k in 1..ys.len() {
        ys[k] = ys[k].max(ys[k - 1] + gap);
    }
}

/// The annotations' markers, and their labels in lanes from the top of the plot down (at
/// most two fifths of its height); a label with no room left is the marker's tooltip only.
fn draw_annotations(
    out: &mut String,
    result: &ChartResult,
    options: &SvgOptions,
    frame: &Frame,
    xs: &[f64],
    font: u32,
) {
    let drawn: Vec<(f64, &str)> = options
        .annotations
        .iter()
        .filter_map(|a| {
            annotation_position(result, xs, &a.x).map(|p| (frame.x(p), a.label.as_str()))
        })
        .collect();
    let font_px = f64::from(font);
    let lane_height = font_px + 3.0;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let max_lanes = ((frame.height * 0.4) / lane_height).floor().max(1.0) as usize;
    let widths: Vec<(f64, f64)> = drawn
        .iter()
        .map(|&(x, label)| (x, text_width(label, font_px)))
        .collect();
    let places = place_labels(&widths, frame.left, frame.right(), max_lanes);
    for (&(x, label), place) in drawn.iter().zip(places) {
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#CC79A7\" stroke-dasharray=\"3,3\"><title>{}</title></line>",
            c(x),
            c(frame.top),
            c(x),
            c(frame.bottom()),
            escape(label)
        );
        if let Some(place) = place {
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"{font}\"{} fill=\"#7A3B63\" stroke=\"#FFFFFF\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
                c(place.x),
                c(frame.top + font_px + place.lane as f64 * lane_height),
                if place.end {
                    " text-anchor=\"end\""
                } else {
                    ""
                },
                escape(label)
            );
        }
    }
}

/// The x range: the keys, and annotations drawn past the last one, with 2% to spare.
fn x_extent(result: &ChartResult, annotations: &[Annotation]) -> (f64, f64) {
    let xs = positions(result);
    let lo = xs.first().copied().unwrap_or(0.0);
    let hi = annotations
        .iter()
        .filter_map(|a| annotation_position(result, &xs, &a.x))
        .fold(xs.last().copied().unwrap_or(1.0), f64::max);
    let half_span = hi * 0.5 - lo * 0.5;
    let pad = if half_span > 0.0 {
        half_span * 0.04
    } else {
        1.0
    };
    ((lo - pad).max(f64::MIN), (hi + pad).min(f64::MAX))
}

fn open_svg(out: &mut String, width: u32, height: u32, id: &str, title: &str, desc: &str) {
    let id = escape(id);
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{FONT}\">"
    );
    let _ = writeln!(out, "<title id=\"{id}-title\">{}</title>", escape(title));
    let _ = writeln!(out, "<desc id=\"{id}-desc\">{}</desc>", escape(desc));
    let _ = writeln!(
        out,
        "<rect width=\"{width}\" height=\"{height}\" fill=\"#FFFFFF\"/>"
    );
}

/// A Making Data Count icon.
#[derive(Clone, Copy, Debug)]
enum Icon {
    Variation(Variation),
    Assurance(Assurance),
}

impl Icon {
    fn describe(self) -> String {
        match self {
            Self::Variation(v) => format!("Variation: {v}"),
            Self::Assurance(a) => format!("Assurance: {a}"),
        }
    }

    /// The icons of a chart: variation, then assurance when there is one.
    fn of(result: &ChartResult) -> Vec<Self> {
        result
            .making_data_count
            .map(|mdc| {
                std::iter::once(Self::Variation(mdc.variation))
                    .chain(mdc.assurance.map(Self::Assurance))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Draws an icon's shapes in a 100 × 100 box, in the Making Data Count design: a ring in the
/// icon's colour; for special cause variation a letter H or L over a run of five points whose
/// last two, in colour, rise or fall; for common cause five grey points; for neutral variation
/// an arrow; for assurance a letter (P, F or ?) over a grey process and a dashed target line
/// above it (fail), through it (hit and miss) or below it (pass).
fn icon_shapes(out: &mut String, icon: Icon) {
    let colour = match icon {
        Icon::Variation(Variation::CommonCause) | Icon::Assurance(Assurance::Inconsistent) => {
            ICON_COMMON
        }
        Icon::Variation(Variation::ImprovementHigh | Variation::ImprovementLow)
        | Icon::Assurance(Assurance::ConsistentPass) => ICON_IMPROVEMENT,
        Icon::Variation(Variation::ConcernHigh | Variation::ConcernLow)
        | Icon::Assurance(Assurance::ConsistentFail) => ICON_CONCERN,
        Icon::Variation(Variation::NeutralHigh | Variation::NeutralLow) => ICON_NEUTRAL,
    };
    let _ = writeln!(
        out,
        "<circle cx=\"50\" cy=\"50\" r=\"44\" fill=\"#FFFFFF\" stroke=\"{colour}\" stroke-width=\"7\"/>"
    );
    let letter = |out: &mut String, text: &str, fill: &str| {
        let _ = writeln!(
            out,
            "<text x=\"50\" y=\"44\" font-size=\"30\" font-weight=\"700\" text-anchor=\"middle\" font-family=\"Arial, Helvetica, sans-serif\" fill=\"{fill}\">{text}</text>"
        );
    };
    let dots = |out: &mut String, ys: [f64; 5], coloured: usize| {
        const XS: [f64; 5] = [26.0, 38.0, 50.0, 62.0, 74.0];
        let mut d = String::new();
        for (k, (x, y)) in XS.iter().zip(ys).enumerate() {
            let _ = write!(d, "{}{x},{y}", if k == 0 { "M" } else { "L" });
        }
        let _ = writeln!(
            out,
            "<path d=\"{d}\" fill=\"none\" stroke=\"{ICON_INK}\" stroke-width=\"2.5\"/>"
        );
        for (k, (x, y)) in XS.iter().zip(ys).enumerate() {
            let fill = if k + coloured >= 5 { colour } else { ICON_INK };
            let _ = writeln!(
                out,
                "<circle cx=\"{x}\" cy=\"{y}\" r=\"5\" fill=\"{fill}\"/>"
            );
        }
    };
    match icon {
        Icon::Variation(Variation::CommonCause) => {
            dots(out, [52.0, 62.0, 41.0, 58.0, 55.0], 0);
        }
        Icon::Variation(v @ (Variation::NeutralHigh | Variation::NeutralLow)) => {
            let path = if v == Variation::NeutralHigh {
                "M27,73L60,40L52,32L76,26L70,50L62,42L29,75Z"
            } else {
                "M27,27L60,60L52,68L76,74L70,50L62,58L29,25Z"
            };
            let _ = writeln!(
                out,
                "<path d=\"{path}\" fill=\"{colour}\" stroke=\"{colour}\" stroke-width=\"3\" stroke-linejoin=\"round\"/>"
            );
        }
        Icon::Variation(v) => {
            let high = matches!(v, Variation::ImprovementHigh | Variation::ConcernHigh);
            letter(out, if high { "H" } else { "L" }, colour);
            let ys = if high {
                [66.0, 72.0, 64.0, 54.0, 50.0]
            } else {
                [58.0, 64.0, 56.0, 70.0, 75.0]
            };
            dots(out, ys, 2);
        }
        Icon::Assurance(a) => {
            let (text, target_y, ink) = match a {
                Assurance::ConsistentPass => ("P", 77.0, colour),
                Assurance::ConsistentFail => ("F", 50.0, colour),
                Assurance::Inconsistent => ("?", 61.0, ICON_INK),
            };
            letter(out, text, ink);
            let _ = writeln!(
                out,
                "<path d=\"M8,{target_y}H92\" stroke=\"{colour}\" stroke-width=\"3\" stroke-dasharray=\"7,2.5\"/>"
            );
            let _ = writeln!(
                out,
                "<path d=\"M19,64C25,58 29,54 34,54C40,54 46,64 51,65C55,66 55,59 57,58C59,58 59,64 62,65C66,66 76,63 81,63\" fill=\"none\" stroke=\"{ICON_INK}\" stroke-width=\"3\"/>"
            );
        }
    }
}

fn standalone_icon(icon: Icon, size: u32) -> String {
    let size = size.max(8);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{size}\" height=\"{size}\" viewBox=\"0 0 100 100\" role=\"img\" aria-label=\"{}\">",
        escape(&icon.describe())
    );
    let _ = writeln!(out, "<title>{}</title>", escape(&icon.describe()));
    icon_shapes(&mut out, icon);
    out.push_str("</svg>\n");
    out
}

/// The Making Data Count variation icon as a self-contained SVG `size` pixels square, with
/// the icon's meaning in words as its accessible name (e.g. for a table of teams).
///
/// ```
/// use qic_spc::Variation;
/// use qic_spc::svg::variation_icon;
///
/// let icon = variation_icon(Variation::ImprovementHigh, 32);
/// assert!(icon.starts_with("<svg") && icon.contains(">H</text>"));
/// assert!(icon.contains("Variation: special cause improvement, by higher values"));
/// ```
pub fn variation_icon(variation: Variation, size: u32) -> String {
    standalone_icon(Icon::Variation(variation), size)
}

/// The Making Data Count assurance icon as a self-contained SVG `size` pixels square, with
/// the icon's meaning in words as its accessible name.
///
/// ```
/// use qic_spc::Assurance;
/// use qic_spc::svg::assurance_icon;
///
/// let icon = assurance_icon(Assurance::Inconsistent, 32);
/// assert!(icon.contains(">?</text>") && icon.contains("hit and miss"));
/// ```
pub fn assurance_icon(assurance: Assurance, size: u32) -> String {
    standalone_icon(Icon::Assurance(assurance), size)
}

/// Draws a chart's icons with their top right corner at (`right`, `top`), each `size` pixels.
fn draw_icons(out: &mut String, icons: &[Icon], right: f64, top: f64, size: f64) {
    let scale = size / 100.0;
    for (k, icon) in icons.iter().rev().enumerate() {
        let x = right - (k as f64 + 1.0) * size - k as f64 * 4.0;
        let _ = writeln!(
            out,
            "<g transform=\"translate({},{}) scale({})\"><title>{}</title>",
            c(x),
            c(top),
            scale,
            escape(&icon.describe())
        );
        icon_shapes(out, *icon);
        out.push_str("</g>\n");
    }
}

/// Writes wrapped text lines from baseline `y`, `line_height` apart; returns the baseline of
/// the last line (or `y − line_height` when there is none).
fn text_lines(
    out: &mut String,
    lines: &[String],
    (x, y): (f64, f64),
    line_height: f64,
    attributes: &str,
) -> f64 {
    let mut baseline = y - line_height;
    for (k, text) in lines.iter().enumerate() {
        baseline = y + k as f64 * line_height;
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" {attributes}>{}</text>",
            c(x),
            c(baseline),
            escape(text)
        );
    }
    baseline
}

/// Draws the title, the subtitle and the icons at the top; returns the height they take.
fn draw_header(
    out: &mut String,
    options: &SvgOptions,
    title: &str,
    icons: &[Icon],
    left: f64,
    width: f64,
) -> f64 {
    let icon_size = 30.0;
    let icons_width = if icons.is_empty() {
        0.0
    } else {
        icons.len() as f64 * (icon_size + 4.0) + 4.0
    };
    let text_width = (width - left - 8.0 - icons_width).max(60.0);
    let title_lines = wrap(title, 15.0, text_width, 2);
    let mut bottom = text_lines(
        out,
        &title_lines,
        (left, 22.0),
        18.0,
        &format!("font-size=\"15\" font-weight=\"600\" fill=\"{INK}\""),
    );
    if let Some(subtitle) = &options.subtitle {
        let lines = wrap(subtitle, 12.0, text_width, 2);
        bottom = text_lines(
            out,
            &lines,
            (left, bottom + 17.0),
            15.0,
            "font-size=\"12\" fill=\"#444444\"",
        );
    }
    if !icons.is_empty() {
        draw_icons(out, icons, width - 6.0, 6.0, icon_size);
        bottom = bottom.max(6.0 + icon_size - 4.0);
    }
    bottom + 12.0
}

/// Renders a chart as a self-contained SVG document.
pub fn render(result: &ChartResult, options: &SvgOptions) -> String {
    let (width, height) = (f64::from(options.width), f64::from(options.height));
    let title = options
        .title
        .clone()
        .unwrap_or_else(|| result.chart.title().to_owned());
    let mut out = String::new();
    open_svg(
        &mut out,
        options.width,
        options.height,
        &options.id,
        &title,
        &result.describe(),
    );
    let left = if options.y_label.is_some() {
        64.0
    } else {
        48.0
    };
    let right = 86.0;
    let icons = if options.icons {
        Icon::of(result)
    } else {
        Vec::new()
    };
    let top = draw_header(&mut out, options, &title, &icons, left, width);
    let caption = options
        .caption
        .as_deref()
        .map(|text| wrap(text, 11.0, width - left - 8.0, 3))
        .unwrap_or_default();
    // Tick labels, then the x axis title, then the caption.
    let axis_title_at = 38.0;
    let caption_at = if options.x_label.is_some() {
        axis_title_at + 16.0
    } else {
        axis_title_at
    };
    let bottom = if caption.is_empty() {
        if options.x_label.is_some() {
            46.0
        } else {
            30.0
        }
    } else {
        caption_at + (caption.len() as f64 - 1.0) * 14.0 + 8.0
    };
    let (x_lo, x_hi) = x_extent(result, &options.annotations);
    let (y_lo, y_hi) = options
        .usable_y_range()
        .or_else(|| fit_y(result, options.two_sigma).map(padded))
        .unwrap_or((0.0, 1.0));
    let frame = Frame {
        left,
        top,
        width: (width - left - right).max(10.0),
        height: (height - top - bottom).max(10.0),
        x_lo,
        x_hi,
        y_lo,
        y_hi,
    };
    if let Some(label) = &options.y_label {
        let _ = writeln!(
            out,
            "<text transform=\"translate(14,{}) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\" fill=\"{GREY}\">{}</text>",
            c(frame.top + frame.height / 2.0),
            escape(label)
        );
    }
    if let Some(label) = &options.x_label {
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"{GREY}\">{}</text>",
            c(frame.left + frame.width / 2.0),
            c(frame.bottom() + axis_title_at - 4.0),
            escape(label)
        );
    }
    text_lines(
        &mut out,
        &caption,
        (left, frame.bottom() + caption_at),
        14.0,
        "font-size=\"11\" fill=\"#555555\"",
    );
    if result.is_empty() {
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"{GREY}\">No data</text>",
            c(frame.left + frame.width / 2.0),
            c(frame.top + frame.height / 2.0)
        );
    } else {
        draw(&mut out, result, options, &frame, false);
    }
    out.push_str("</svg>\n");
    out
}

/// One panel of a small-multiples grid.
#[derive(Clone, Copy, Debug)]
pub struct Panel<'a> {
    /// The panel's heading, e.g. a team or a stratum.
    pub title: &'a str,
    /// The chart.
    pub chart: &'a ChartResult,
}

/// Renders charts as small multiples: a grid of panels sharing one y scale (so levels compare
/// at a glance), with one title, subtitle and caption and one description listing each
/// panel's signals. Each panel shows its Making Data Count icons beside its heading (when
/// `icons` is on and it has them); the axis titles and annotations of `options` apply to
/// every panel.
///
/// ```
/// use qic_spc::svg::{Panel, SvgOptions, render_grid};
/// use qic_spc::{Chart, ChartType};
///
/// let a = Chart::new(ChartType::Run).values(&[3.0, 4.0, 5.0, 4.0, 6.0]).compute()?;
/// let b = Chart::new(ChartType::Run).values(&[8.0, 9.0, 7.0, 9.0, 8.0]).compute()?;
/// let panels = [Panel { title: "North", chart: &a }, Panel { title: "South", chart: &b }];
/// let svg = render_grid(&panels, 2, &SvgOptions::default().title("Teams").size(800, 300));
/// assert!(svg.contains("North") && svg.contains("South"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render_grid(panels: &[Panel<'_>], columns: usize, options: &SvgOptions) -> String {
    let columns = columns.clamp(1, panels.len().max(1));
    let rows = panels.len().div_ceil(columns).max(1);
    let (width, height) = (f64::from(options.width), f64::from(options.height));
    let title = options
        .title
        .clone()
        .unwrap_or_else(|| "Small multiples".to_owned());
    let desc: Vec<String> = panels
        .iter()
        .map(|p| format!("{}: {}", p.title, p.chart.describe()))
        .collect();
    let mut out = String::new();
    open_svg(
        &mut out,
        options.width,
        options.height,
        &options.id,
        &title,
        &desc.join(" "),
    );
    let top = draw_header(&mut out, options, &title, &[], 12.0, width) - 2.0;
    let caption = options
        .caption
        .as_deref()
        .map(|text| wrap(text, 11.0, width - 20.0, 3))
        .unwrap_or_default();
    let footer = if caption.is_empty() {
        0.0
    } else {
        caption.len() as f64 * 14.0 + 6.0
    };
    let shared = options.usable_y_range().or_else(|| {
        let ranges: Vec<(f64, f64)> = panels
            .iter()
            .filter_map(|p| fit_y(p.chart, options.two_sigma))
            .collect();
        let lo = ranges.iter().map(|r| r.0).fold(f64::INFINITY, f64::min);
        let hi = ranges.iter().map(|r| r.1).fold(f64::NEG_INFINITY, f64::max);
        lo.is_finite().then(|| padded((lo, hi)))
    });
    let (y_lo, y_hi) = shared.unwrap_or((0.0, 1.0));
    let cell_w = width / columns as f64;
    let cell_h = ((height - top - footer) / rows as f64).max(20.0);
    for (k, panel) in panels.iter().enumerate() {
        let (col, row) = ((k % columns) as f64, (k / columns) as f64);
        let (x0, y0) = (col * cell_w, top + row * cell_h);
        let (x_lo, x_hi) = x_extent(panel.chart, &options.annotations);
        let frame = Frame {
            left: x0 + 40.0,
            top: y0 + 20.0,
            width: (cell_w - 52.0).max(10.0),
            height: (cell_h - 44.0).max(10.0),
            x_lo,
            x_hi,
            y_lo,
            y_hi,
        };
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" font-weight=\"600\" fill=\"{INK}\">{}</text>",
            c(frame.left),
            c(y0 + 13.0),
            escape(panel.title)
        );
        if options.icons {
            draw_icons(
                &mut out,
                &Icon::of(panel.chart),
                frame.right(),
                y0 + 1.0,
                17.0,
            );
        }
        if !panel.chart.is_empty() {
            draw(&mut out, panel.chart, options, &frame, true);
        }
    }
    text_lines(
        &mut out,
        &caption,
        (12.0, height - footer + 14.0),
        14.0,
        "font-size=\"11\" fill=\"#555555\"",
    );
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_nice() {
        assert_eq!(ticks(0.0, 10.0, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(ticks(0.13, 0.61, 5), vec![0.2, 0.3, 0.4, 0.5, 0.6]);
        assert_eq!(ticks(5.0, 5.0, 5), vec![5.0]);
    }

    #[test]
    fn ticks_survive_the_ends_of_the_number_line() {
        // Subnormal spans: once a subtraction overflow (the step's exponent was -∞).
        for (lo, hi) in [
            (0.0, 2e-320),
            (-1.2e-321, 2.12e-320),
            (0.0, 5e-324),
            (0.0, f64::MIN_POSITIVE),
            (-f64::MAX, f64::MAX),
            (f64::MAX / 2.0, f64::MAX),
            (-1e308, 1e308),
        ] {
            let t = ticks(lo, hi, 6);
            assert!(!t.is_empty() && t.len() <= 50, "{lo} {hi}: {t:?}");
            assert!(t.iter().all(|v| v.is_finite()), "{lo} {hi}: {t:?}");
        }
        assert!(ticks(f64::NAN, 1.0, 5).is_empty());
    }

    #[test]
    fn fractions_do_not_overflow() {
        assert!((fraction(0.0, -f64::MAX, f64::MAX) - 0.5).abs() < 1e-12);
        assert!((fraction(f64::MAX, -f64::MAX, f64::MAX) - 1.0).abs() < 1e-12);
        assert!((fraction(3.0, 2.0, 4.0) - 0.5).abs() < 1e-12);
        let (lo, hi) = padded((-f64::MAX, f64::MAX));
        assert!(lo.is_finite() && hi.is_finite());
    }

    #[test]
    fn text_is_escaped_and_numbers_are_short() {
        assert_eq!(escape("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
        assert_eq!(label_number(12.3456), "12.35");
        assert_eq!(label_number(0.123_456), "0.1235");
        assert_eq!(label_number(1500.4), "1500");
        assert_eq!(label_number(1e-320), "1e-320");
        assert_eq!(label_number(1.5e-7), "1.5e-7");
        assert_eq!(label_number(2e300), "2e300");
        assert_eq!(c(-0.001), "0.00");
        assert_eq!(c(f64::INFINITY), "1000000.00");
        assert_eq!(c(f64::NAN), "0.00");
    }

    #[test]
    fn date_ticks_fall_on_month_starts() {
        let jan = f64::from(Date::from_ymd(2024, 1, 1).map_or(0, Date::days_since_epoch));
        let dec = f64::from(Date::from_ymd(2024, 12, 1).map_or(0, Date::days_since_epoch));
        let t = date_ticks(jan, dec, 8);
        assert_eq!(t.first().map(|t| t.1.as_str()), Some("Jan 2024"));
        assert_eq!(t.len(), 6); // every second month
    }

    #[test]
    fn date_ticks_over_millennia_stay_few() {
        let lo = f64::from(Date::from_ymd(-99_000, 1, 1).map_or(0, Date::days_since_epoch));
        let hi = f64::from(Date::from_ymd(99_000, 1, 1).map_or(0, Date::days_since_epoch));
        let t = date_ticks(lo, hi, 8);
        assert!(!t.is_empty() && t.len() <= 10, "{}", t.len());
    }

    /// The (lane, start, end) of each placed label; panics when two in one lane overlap.
    fn spans_without_overlap(
        places: &[Option<LabelPlace>],
        markers: &[(f64, f64)],
    ) -> Vec<(usize, f64, f64)> {
        let spans: Vec<(usize, f64, f64)> = places
            .iter()
            .zip(markers)
            .filter_map(|(p, &(_, w))| {
                p.map(|p| {
                    let start = if p.end { p.x - w } else { p.x };
                    (p.lane, start, start + w)
                })
            })
            .collect();
        for (i, a) in spans.iter().enumerate() {
            for b in &spans[i + 1..] {
                assert!(
                    a.0 != b.0 || a.2 <= b.1 || b.2 <= a.1,
                    "{a:?} overlaps {b:?}"
                );
            }
        }
        spans
    }

    #[test]
    fn labels_in_lanes_never_overlap() {
        // Ten markers 5 px apart with labels 40 px wide: they stack in lanes.
        let markers: Vec<(f64, f64)> = (0..10)
            .map(|k| (100.0 + 5.0 * f64::from(k), 40.0))
            .collect();
        let places = place_labels(&markers, 50.0, 600.0, 20);
        assert_eq!(spans_without_overlap(&places, &markers).len(), 10);
        // With two lanes, the labels that fit in neither get no place.
        let places = place_labels(&markers, 50.0, 600.0, 2);
        let kept = spans_without_overlap(&places, &markers).len();
        assert!((2..10).contains(&kept), "{kept}");
        // A label at the right edge ends at its marker.
        let places = place_labels(&[(590.0, 40.0)], 50.0, 600.0, 2);
        assert!(places[0].is_some_and(|p| p.end));
    }

    proptest::proptest! {
        #[test]
        fn placed_labels_never_overlap(
            markers in proptest::collection::vec((0.0..600.0f64, 1.0..120.0f64), 0..40),
            lanes in 1usize..6,
        ) {
            let places = place_labels(&markers, 0.0, 600.0, lanes);
            spans_without_overlap(&places, &markers);
        }
    }

    #[test]
    fn dodged_labels_keep_their_distance() {
        let mut ys = vec![100.0, 102.0, 103.0, 200.0];
        dodge(&mut ys, 12.0, 0.0, 300.0);
        assert!(ys.windows(2).all(|w| w[1] - w[0] >= 12.0 - 1e-9), "{ys:?}");
        assert!((ys[3] - 200.0).abs() < 1e-9);
        let mut ys = vec![298.0, 299.0, 300.0];
        dodge(&mut ys, 12.0, 0.0, 300.0);
        assert!(ys.windows(2).all(|w| w[1] - w[0] >= 12.0 - 1e-9), "{ys:?}");
        assert!(ys[2] <= 300.0);
    }

    #[test]
    fn long_text_wraps_and_is_cut_with_an_ellipsis() {
        let lines = wrap(
            "one two three four five six seven eight nine ten",
            10.0,
            100.0,
            2,
        );
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| l.chars().count() <= 16), "{lines:?}");
        assert!(lines[1].ends_with('…'));
        assert_eq!(wrap("short", 10.0, 100.0, 2), vec!["short".to_owned()]);
    }
}

//! Charts as self-contained SVG (feature `svg`): no external fonts, styles or scripts, so a
//! chart embeds inline in HTML or prints as it is.
//!
//! What is drawn: the data line and points; the centre line, dashed and orange when the part
//! has a runs signal (as qicharts2 draws it); the 3-sigma limits, stepped where they vary;
//! optional 2-sigma lines; points beyond the limits in vermillion and points in a pattern
//! signal in orange; excluded points hollow; parts separated by a vertical rule, each with its
//! own lines; a target line; annotations (a vertical marker and a label at an x, e.g. a PDSA
//! cycle or a learning session); title, axis labels and date ticks; line labels for the last
//! part; and `<title>`/`<desc>` elements that say in words which signals fired. Colours come
//! from the Okabe–Ito palette, which stays distinct for colour-blind readers.
//!
//! The writer is the crate's own: a chart needs only lines, paths, circles and text, and
//! formatting every coordinate with two decimals gives byte-stable output for snapshot tests.
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
//!         .y_label("Falls")
//!         .annotate(Annotation::new(X::Number(6.0), "PDSA 1"))
//!         .size(640, 320),
//! );
//! assert!(svg.starts_with("<svg"));
//! assert!(svg.contains("<title id=\"qic-chart-title\">Falls per week</title>"));
//! assert!(svg.contains("PDSA 1"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::result::{BASELINE, ChartResult, INCLUDE, RuleId, SIGMA};
use crate::x::{Date, X, XKind};

/// Okabe–Ito colours.
const BLUE: &str = "#0072B2";
const VERMILLION: &str = "#D55E00";
const ORANGE: &str = "#E69F00";
const GREEN: &str = "#009E73";
const GREY: &str = "#555555";
const LIGHT: &str = "#DDDDDD";
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";

/// A vertical marker with a label at a subgroup key, e.g. the start of a PDSA cycle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Annotation {
    /// Where: a key of the chart's kind (a date for a monthly chart).
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

/// How to draw a chart. Chain the methods on the default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SvgOptions {
    /// Width in pixels (user units).
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Title, drawn on top and used as the SVG `<title>`.
    pub title: Option<String>,
    /// Label of the x axis.
    pub x_label: Option<String>,
    /// Label of the y axis.
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
}

impl Default for SvgOptions {
    fn default() -> Self {
        Self {
            width: 720,
            height: 360,
            title: None,
            x_label: None,
            y_label: None,
            two_sigma: false,
            annotations: Vec::new(),
            y_range: None,
            id: "qic-chart".to_owned(),
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

    /// Sets the x axis label.
    #[must_use]
    pub fn x_label(mut self, label: impl Into<String>) -> Self {
        self.x_label = Some(label.into());
        self
    }

    /// Sets the y axis label.
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

/// A coordinate with two decimals (byte-stable).
fn c(v: f64) -> String {
    let s = format!("{v:.2}");
    if s == "-0.00" { "0.00".to_owned() } else { s }
}

/// A value for a label: up to four significant decimals, no trailing zeros.
fn label_number(v: f64) -> String {
    let magnitude = v.abs();
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

/// Nice tick values covering [lo, hi], about `target` of them.
fn ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return vec![lo];
    }
    let raw = (hi - lo) / target.max(1) as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    let first = (lo / step).ceil();
    // Round to the step's precision so that 3 × 0.1 prints as 0.3.
    #[allow(clippy::cast_possible_truncation)]
    let scale = 10f64.powi(2 - step.log10().floor() as i32);
    let mut out = Vec::new();
    let mut k = first;
    while k * step <= hi + step * 1e-9 && out.len() < 50 {
        let v = (k * step * scale).round() / scale;
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
            self.left + (v - self.x_lo) / (self.x_hi - self.x_lo) * self.width
        } else {
            self.left + self.width / 2.0
        }
    }

    fn y(&self, v: f64) -> f64 {
        let span = self.y_hi - self.y_lo;
        if span > 0.0 {
            self.top + (self.y_hi - v) / span * self.height
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
        (X::Number(v), XKind::Number | XKind::Index) => Some(*v),
        (X::Date(d), XKind::Date) => Some(f64::from(d.days_since_epoch())),
        (X::Label(l), XKind::Label) => (0..result.len())
            .find(|&i| matches!(result.x.get(i), X::Label(ref k) if k == l))
            .and_then(|i| xs.get(i).copied()),
        _ => None,
    }
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

fn padded((lo, hi): (f64, f64)) -> (f64, f64) {
    let span = hi - lo;
    if span > 0.0 {
        (lo - 0.06 * span, hi + 0.06 * span)
    } else {
        let d = if lo.abs() > 0.0 { lo.abs() * 0.1 } else { 1.0 };
        (lo - d, hi + d)
    }
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

/// Date ticks: month starts, every k months so that at most about `target` show.
fn date_ticks(lo: f64, hi: f64, target: usize) -> Vec<(f64, String)> {
    #[allow(clippy::cast_possible_truncation)]
    let (start, end) = (
        Date::from_days_since_epoch(lo.floor() as i32).ymd(),
        Date::from_days_since_epoch(hi.ceil() as i32).ymd(),
    );
    let months = |(year, month, _): (i32, u32, u32)| i64::from(year) * 12 + i64::from(month) - 1;
    let (first, last) = (months(start), months(end));
    let span = (last - first + 1).max(1);
    let most = i64::try_from(target).unwrap_or(i64::MAX);
    let step = [1, 2, 3, 6, 12, 24, 60, 120]
        .into_iter()
        .find(|months| span / months <= most)
        .unwrap_or(240);
    let mut out = Vec::new();
    for index in first..=last + 1 {
        if index.rem_euclid(step) != 0 {
            continue;
        }
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let (year, month) = (
            index.div_euclid(12) as i32,
            (index.rem_euclid(12) + 1) as u32,
        );
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

/// Draws one chart into `out` inside `frame`; `compact` leaves out axis titles and line
/// labels (small multiples).
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
        let anchor = if x + half_width > frame.right() + 4.0 {
            "end"
        } else {
            "middle"
        };
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
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{GREEN}\" stroke-width=\"1.5\" stroke-dasharray=\"2,3\"/>",
            c(frame.left),
            c(y),
            c(frame.right()),
            c(y)
        );
        if !compact {
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"{font}\" fill=\"{GREEN}\">Target {}</text>",
                c(frame.right() + 4.0),
                c(y + 3.5),
                escape(&label_number(t))
            );
        }
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
                line(
                    out,
                    frame,
                    &xs,
                    values,
                    range.clone(),
                    &format!("stroke=\"{GREY}\" stroke-dasharray=\"1,3\""),
                );
            }
        }
        for values in [&lines.lcl, &lines.ucl] {
            line(
                out,
                frame,
                &xs,
                values,
                range.clone(),
                &format!("stroke=\"{GREY}\" stroke-width=\"1.2\""),
            );
        }
        let signal = result.summary.get(k).is_some_and(|s| s.runs_signal);
        let style = if signal {
            format!("stroke=\"{ORANGE}\" stroke-width=\"1.8\" stroke-dasharray=\"6,4\"")
        } else {
            format!("stroke=\"{GREY}\" stroke-width=\"1.5\"")
        };
        line(out, frame, &xs, &lines.cl, range.clone(), &style);
    }

    // Annotations.
    for a in &options.annotations {
        let Some(p) = position_of(result, &xs, &a.x) else {
            continue;
        };
        if p < frame.x_lo || p > frame.x_hi {
            continue;
        }
        let x = frame.x(p);
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#CC79A7\" stroke-dasharray=\"3,3\"/>",
            c(x),
            c(frame.top),
            c(x),
            c(frame.bottom())
        );
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"#7A3B63\">{}</text>",
            c(x + 3.0),
            c(frame.top + 10.0),
            font - 1,
            escape(&a.label)
        );
    }

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
                "<path d=\"{d}\" fill=\"none\" stroke=\"{BLUE}\" stroke-width=\"1.5\"/>"
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
        let colour = if sigma {
            VERMILLION
        } else if pattern {
            ORANGE
        } else {
            BLUE
        };
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

    // Line labels of the last part.
    if !compact && let Some(last) = parts.last() {
        let i = last.end - 1;
        for (name, v) in [
            ("UCL", lines.ucl[i]),
            ("CL", lines.cl[i]),
            ("LCL", lines.lcl[i]),
        ] {
            if v.is_finite() {
                let _ = writeln!(
                    out,
                    "<text x=\"{}\" y=\"{}\" font-size=\"{font}\" fill=\"{GREY}\">{name} {}</text>",
                    c(frame.right() + 4.0),
                    c(frame.y(v) + 3.5),
                    escape(&label_number(v))
                );
            }
        }
    }
}

fn x_extent(result: &ChartResult) -> (f64, f64) {
    let xs = positions(result);
    let lo = xs.first().copied().unwrap_or(0.0);
    let hi = xs.last().copied().unwrap_or(1.0);
    let pad = if hi > lo { (hi - lo) * 0.02 } else { 1.0 };
    (lo - pad, hi + pad)
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
    let top = 34.0;
    let bottom = if options.x_label.is_some() {
        46.0
    } else {
        30.0
    };
    let left = if options.y_label.is_some() {
        64.0
    } else {
        48.0
    };
    let right = 86.0;
    let (x_lo, x_hi) = x_extent(result);
    let (y_lo, y_hi) = options
        .y_range
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
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"22\" font-size=\"15\" font-weight=\"600\" fill=\"#222222\">{}</text>",
        c(left),
        escape(&title)
    );
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
            c(height - 8.0),
            escape(label)
        );
    }
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
/// at a glance), with one title and one description listing each panel's signals.
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
    let _ = writeln!(
        out,
        "<text x=\"12\" y=\"22\" font-size=\"15\" font-weight=\"600\" fill=\"#222222\">{}</text>",
        escape(&title)
    );
    let shared = options.y_range.or_else(|| {
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
    let cell_h = (height - 32.0) / rows as f64;
    for (k, panel) in panels.iter().enumerate() {
        let (col, row) = ((k % columns) as f64, (k / columns) as f64);
        let (x0, y0) = (col * cell_w, 32.0 + row * cell_h);
        let (x_lo, x_hi) = x_extent(panel.chart);
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
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" font-weight=\"600\" fill=\"#222222\">{}</text>",
            c(frame.left),
            c(y0 + 13.0),
            escape(panel.title)
        );
        if !panel.chart.is_empty() {
            draw(&mut out, panel.chart, options, &frame, true);
        }
    }
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
    fn text_is_escaped_and_numbers_are_short() {
        assert_eq!(escape("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
        assert_eq!(label_number(12.3456), "12.35");
        assert_eq!(label_number(0.123_456), "0.1235");
        assert_eq!(label_number(1500.4), "1500");
        assert_eq!(c(-0.001), "0.00");
    }

    #[test]
    fn date_ticks_fall_on_month_starts() {
        let jan = f64::from(Date::from_ymd(2024, 1, 1).map_or(0, Date::days_since_epoch));
        let dec = f64::from(Date::from_ymd(2024, 12, 1).map_or(0, Date::days_since_epoch));
        let t = date_ticks(jan, dec, 8);
        assert_eq!(t.first().map(|t| t.1.as_str()), Some("Jan 2024"));
        assert_eq!(t.len(), 6); // every second month
    }
}

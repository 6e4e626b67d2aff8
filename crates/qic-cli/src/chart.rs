//! `qic chart`: a run or control chart of a CSV file, as text, JSON, CSV or SVG.
//!
//! The file is read once into compact columns and handed to the chart, and JSON and CSV are
//! written point by point from the chart's columns, so a file of millions of rows is held in
//! memory about once and its output never is.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use qic_spc::csv::{CsvData, CsvOptions};
use qic_spc::svg::SvgOptions;
use qic_spc::{
    ChartOptions, ChartResult, ChartType, FieldValue, ImprovementDirection, PointField, SignalRules,
};

use crate::CliError;
use crate::output::{write_output, write_with};

/// `qic chart`.
#[derive(Debug, Args)]
pub(crate) struct ChartArgs {
    /// Chart type.
    #[arg(long, value_enum)]
    chart: Kind,
    /// CSV file with a header row; by default its columns x, y and (if present) n are read
    /// (x: number, YYYY-MM-DD or YYYY-MM date, or label; an empty cell is missing; rows with
    /// the same x form one subgroup; other columns are ignored).
    #[arg(long)]
    input: PathBuf,
    /// The column of the subgroup keys.
    #[arg(long, value_name = "NAME", default_value = "x")]
    x_col: String,
    /// The column of the values (or numerators).
    #[arg(long, value_name = "NAME", default_value = "y")]
    y_col: String,
    /// The column of the denominators [default: n, if the file has it].
    #[arg(long, value_name = "NAME")]
    n_col: Option<String>,
    /// The longest line accepted, in bytes (a longer one is an error naming it).
    #[arg(long, value_name = "BYTES", default_value_t = qic_io::DEFAULT_MAX_LINE_BYTES)]
    max_line_bytes: usize,
    /// Estimate the centre and limits from the first N subgroups (of each part).
    #[arg(long, value_name = "N")]
    freeze: Option<usize>,
    /// Start a new part after each of these subgroups (counted from 1), e.g. 12,24.
    #[arg(long, value_name = "N,N,...", value_delimiter = ',')]
    part: Vec<usize>,
    /// Leave these subgroups (counted from 1) out of the estimates and the runs analysis.
    #[arg(long, value_name = "N,N,...", value_delimiter = ',')]
    exclude: Vec<usize>,
    /// Multiply values and lines by M (e.g. 100 for percent).
    #[arg(long, value_name = "M", allow_negative_numbers = true)]
    multiply: Option<f64>,
    /// Keep every moving range (screening out the large ones is the default).
    #[arg(long)]
    no_mr_screening: bool,
    /// Rule set.
    #[arg(long, value_enum, default_value_t = Rules::Anhoej)]
    rules: Rules,
    /// Target value (drawn, and used for the Making Data Count assurance).
    #[arg(long, value_name = "T", allow_negative_numbers = true)]
    target: Option<f64>,
    /// Which way is better.
    #[arg(long, value_enum)]
    direction: Option<Better>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    #[arg(
        long,
        value_name = "F,F,...",
        value_delimiter = ',',
        value_parser = parse_field,
        help = "The point fields JSON and CSV hold, comma-separated, from: x, y, n, cl, lcl, ucl, \
                lcl_95, ucl_95, sigma_signal, part, baseline, include, signal, signals, \
                point_type [default: JSON every field of its contract; CSV x,y,cl,lcl,ucl,signal]"
    )]
    fields: Vec<PointField>,
    /// Write to this file instead of standard output.
    #[arg(long)]
    output: Option<PathBuf>,
    /// Title of an SVG chart [default: the chart type and the file name].
    #[arg(long)]
    title: Option<String>,
    /// A line under the title of an SVG chart (e.g. who and what is measured).
    #[arg(long)]
    subtitle: Option<String>,
    /// A note under an SVG chart [default: the file, the rules and the baseline].
    #[arg(long)]
    caption: Option<String>,
    /// Title of the y axis, in the measure's unit (e.g. days) [default: the chart's unit, or
    /// the y column's name].
    #[arg(long)]
    ylab: Option<String>,
    /// Title of the x axis [default: the x column's name, unless it is x].
    #[arg(long)]
    xlab: Option<String>,
}

fn parse_field(text: &str) -> Result<PointField, String> {
    text.parse()
        .map_err(|e: qic_spc::UnknownPointField| e.to_string())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Kind {
    /// Run chart: the median, no limits.
    Run,
    /// Individuals.
    I,
    /// Moving ranges.
    Mr,
    /// Subgroup means (several values per x).
    Xbar,
    /// Subgroup standard deviations.
    S,
    /// Time between rare events.
    T,
    /// Proportions (needs n).
    P,
    /// Laney's P′ (needs n).
    Pp,
    /// Counts.
    C,
    /// Rates (needs n).
    U,
    /// Laney's U′ (needs n).
    Up,
    /// Units (e.g. cases) between rare events.
    G,
}

impl From<Kind> for ChartType {
    fn from(kind: Kind) -> Self {
        match kind {
            Kind::Run => Self::Run,
            Kind::I => Self::I,
            Kind::Mr => Self::Mr,
            Kind::Xbar => Self::Xbar,
            Kind::S => Self::S,
            Kind::T => Self::T,
            Kind::P => Self::P,
            Kind::Pp => Self::Pp,
            Kind::C => Self::C,
            Kind::U => Self::U,
            Kind::Up => Self::Up,
            Kind::G => Self::G,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Rules {
    /// Anhøj: long runs, few crossings, points beyond the limits (qicharts2).
    Anhoej,
    /// IHI: shift, trend, too few or too many runs, astronomical point.
    Ihi,
    /// NHS Making Data Count: outside limits, shift, trend, two of three (SVG in its
    /// colours, with the variation and assurance icons).
    Mdc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Better {
    /// Higher is better.
    Up,
    /// Lower is better.
    Down,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Readable text: summary, signals and points.
    Text,
    /// JSON: {"chart", "points", "summary", "signals", ...} (indented up to 10,000 points).
    Json,
    /// CSV: one row per point, the columns of --fields.
    Csv,
    /// A self-contained SVG chart.
    Svg,
}

fn options(args: &ChartArgs) -> ChartOptions {
    let mut options = ChartOptions::default()
        .parts(args.part.iter().copied())
        .exclude(args.exclude.iter().copied())
        .screened_mr(!args.no_mr_screening)
        .rules(match args.rules {
            Rules::Anhoej => SignalRules::Anhoej,
            Rules::Ihi => SignalRules::Ihi,
            Rules::Mdc => SignalRules::Mdc,
        })
        .direction(match args.direction {
            Some(Better::Up) => ImprovementDirection::Increase,
            Some(Better::Down) => ImprovementDirection::Decrease,
            None => ImprovementDirection::Neutral,
        });
    if let Some(k) = args.freeze {
        options = options.freeze(k);
    }
    if let Some(m) = args.multiply {
        options = options.multiply(m);
    }
    if let Some(t) = args.target {
        options = options.target(t);
    }
    options
}

/// Runs `qic chart`.
pub(crate) fn run(args: &ChartArgs) -> Result<(), CliError> {
    let chart = ChartType::from(args.chart);
    let options = options(args);
    options
        .validate()
        .map_err(|e| CliError::Usage(e.to_string()))?;
    if !args.fields.is_empty() && matches!(args.format, Format::Text | Format::Svg) {
        return Err(CliError::Usage(
            "--fields chooses the point fields of JSON and CSV output; use it with --format json or csv"
                .to_owned(),
        ));
    }
    let mut read = CsvOptions::default()
        .x(args.x_col.clone())
        .y(args.y_col.clone())
        .max_line_bytes(args.max_line_bytes);
    if let Some(n) = &args.n_col {
        read = read.n(n.clone());
    }
    let data = CsvData::read_path(&args.input, chart, &read)
        .map_err(|e| CliError::chart(&args.input, e))?;
    let source = data.source().clone();
    let result = data
        .into_chart(chart, &options)
        .map_err(|e| CliError::chart(&args.input, e))?;
    for warning in result.warnings() {
        eprintln!("warning: {}", source.describe_warning(warning));
    }
    let input = args.input.as_path();
    match args.format {
        Format::Json => {
            let fields = chosen(&args.fields, &PointField::JSON);
            write_json(args.output.as_deref(), input, &result, fields)
        }
        Format::Csv => {
            let fields = chosen(&args.fields, &PointField::TABLE);
            write_with(args.output.as_deref(), &[input], |sink| {
                write_csv(sink, &result, fields)
            })
        }
        Format::Text => {
            let text = text(&result, &title(args, &result));
            write_output(args.output.as_deref(), &[input], &text)
        }
        Format::Svg => {
            let svg = qic_spc::svg::render(&result, &svg_options(args, &result));
            write_output(args.output.as_deref(), &[input], &svg)
        }
    }
}

fn chosen<'a>(asked: &'a [PointField], default: &'a [PointField]) -> &'a [PointField] {
    if asked.is_empty() { default } else { asked }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn title(args: &ChartArgs, result: &ChartResult) -> String {
    args.title.clone().unwrap_or_else(|| {
        let stem = args
            .input
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        format!("{}: {stem}", result.chart().title())
    })
}

/// The y axis title a chart type implies: its unit, or the y column's name.
fn y_title(args: &ChartArgs, result: &ChartResult, multiply: f64) -> Option<String> {
    let scaled = |unit: &str| {
        if (multiply - 100.0).abs() < f64::EPSILON && unit == "proportion" {
            "percent".to_owned()
        } else if (multiply - 1.0).abs() < f64::EPSILON {
            unit.to_owned()
        } else {
            format!("{unit} × {multiply}")
        }
    };
    let column = &args.y_col;
    let named = column != "y";
    Some(match result.chart() {
        ChartType::P | ChartType::Pp => scaled("proportion"),
        ChartType::U | ChartType::Up => scaled("rate"),
        ChartType::C => scaled("count"),
        ChartType::G => scaled("units between events"),
        ChartType::T => scaled("time between events"),
        ChartType::Xbar if named => format!("mean {column}"),
        ChartType::S if named => format!("standard deviation of {column}"),
        ChartType::Mr if named => format!("moving range of {column}"),
        ChartType::Run | ChartType::I if named => column.clone(),
        _ => return None,
    })
}

/// The default caption: the file, the rules and the baseline.
fn caption(args: &ChartArgs, result: &ChartResult) -> String {
    let rules = match result.rules() {
        SignalRules::Anhoej => "Anhøj rules",
        SignalRules::Ihi => "IHI rules",
        SignalRules::Mdc => "Making Data Count rules",
    };
    let baseline = match args.freeze {
        Some(k) => format!("; centre and limits from the first {k} subgroups of each part"),
        None => String::new(),
    };
    let without_x = match result.rows_without_x() {
        0 => String::new(),
        1 => "; 1 row without x left out".to_owned(),
        k => format!("; {k} rows without x left out"),
    };
    format!(
        "Source: {}. {rules}{baseline}{without_x}.",
        file_name(&args.input)
    )
}

fn svg_options(args: &ChartArgs, result: &ChartResult) -> SvgOptions {
    let mut options = SvgOptions::default().title(title(args, result)).caption(
        args.caption
            .clone()
            .unwrap_or_else(|| caption(args, result)),
    );
    if let Some(subtitle) = &args.subtitle {
        options = options.subtitle(subtitle.clone());
    }
    let y = args
        .ylab
        .clone()
        .or_else(|| y_title(args, result, args.multiply.unwrap_or(1.0)));
    if let Some(y) = y {
        options = options.y_label(y);
    }
    let x = args
        .xlab
        .clone()
        .or_else(|| (args.x_col != "x").then(|| args.x_col.clone()));
    if let Some(x) = x {
        options = options.x_label(x);
    }
    options
}

/// Writes the chart as JSON, point by point: indented for people up to 10,000 points,
/// compact beyond (a third of the time).
fn write_json(
    path: Option<&Path>,
    input: &Path,
    result: &ChartResult,
    fields: &[PointField],
) -> Result<(), CliError> {
    let document = result.with_point_fields(fields);
    write_with(path, &[input], |out| {
        if result.len() <= 10_000 {
            serde_json::to_writer_pretty(&mut *out, &document)
        } else {
            serde_json::to_writer(&mut *out, &document)
        }
        .map_err(std::io::Error::other)?;
        out.write_all(b"\n")
    })
}

/// A number as CSV writes it: the shortest text that reads back as the same `f64`, without
/// a trailing `.0` (12, 0.25, 1e-7).
fn csv_number(out: &mut String, v: f64) -> std::fmt::Result {
    let start = out.len();
    write!(out, "{v:?}")?;
    if out[start..].ends_with(".0") {
        out.truncate(out.len() - 2);
    }
    Ok(())
}

/// Writes the points as CSV through `csv::Writer` (labels quoted where they need it): a
/// header of field names, then one row per point; an undefined number is an empty cell, the
/// rules that flagged a point are joined by `;`.
fn write_csv(
    sink: &mut impl std::io::Write,
    result: &ChartResult,
    fields: &[PointField],
) -> std::io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .buffer_capacity(1 << 16)
        .from_writer(sink);
    writer.write_record(fields.iter().map(|f| f.name()))?;
    let mut cells: Vec<String> = vec![String::new(); fields.len()];
    result.for_each_point(fields, |values| {
        for (cell, value) in cells.iter_mut().zip(values) {
            cell.clear();
            let written = match *value {
                FieldValue::Key(key) => key.write_text(cell, csv_number),
                FieldValue::Number(Some(v)) => csv_number(cell, v),
                FieldValue::Bool(b) => cell.write_str(if b { "true" } else { "false" }),
                FieldValue::Count(c) => write!(cell, "{c}"),
                FieldValue::Rules(rules) => {
                    let ids: Vec<&str> = rules.iter().map(qic_spc::RuleId::id).collect();
                    cell.write_str(&ids.join(";"))
                }
                FieldValue::PointType(Some(t)) => cell.write_str(t.id()),
                // Undefined numbers and point types are empty cells.
                _ => Ok(()),
            };
            written.map_err(std::io::Error::other)?;
        }
        writer.write_record(&cells).map_err(std::io::Error::from)
    })?;
    writer.flush()
}

fn num(v: Option<f64>) -> String {
    match v {
        None => "-".to_owned(),
        Some(v) => {
            let s = format!("{v:.4}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            if s == "-0" {
                "0".to_owned()
            } else {
                s.to_owned()
            }
        }
    }
}

fn count(v: Option<usize>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

/// The text report: what was charted, each part's summary, the signals, and the points.
fn text(result: &ChartResult, title: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{title}");
    let _ = writeln!(out, "{}", result.describe());
    if result.rows_without_x() > 0 {
        let _ = writeln!(
            out,
            "{} rows without x were left out.",
            result.rows_without_x()
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "part  n_obs  useful  longest(max)  crossings(min)  runs  sigma  cl          mean lcl    mean ucl"
    );
    for s in result.summary() {
        let _ = writeln!(
            out,
            "{:<4}  {:<5}  {:<6}  {:<12}  {:<14}  {:<4}  {:<5}  {:<10}  {:<10}  {}",
            s.part,
            s.n_obs,
            s.n_useful,
            format!("{}({})", count(s.longest_run), count(s.longest_run_max)),
            format!("{}({})", count(s.n_crossings), count(s.n_crossings_min)),
            if s.runs_signal { "yes" } else { "no" },
            s.sigma_signal_count,
            num(s.cl),
            num(s.a_lcl),
            num(s.a_ucl),
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "#     x           y           cl          lcl         ucl         signals"
    );
    for (i, p) in result.points().enumerate() {
        let mut marks: Vec<String> = p.signals.iter().map(|r| r.label().to_owned()).collect();
        if let Some(kind) = p.point_type
            && kind != qic_spc::PointType::CommonCause
        {
            marks.push(kind.to_string());
        }
        if !p.include {
            marks.push("excluded".to_owned());
        }
        if !p.baseline {
            marks.push("after baseline".to_owned());
        }
        let _ = writeln!(
            out,
            "{:<5} {:<11} {:<11} {:<11} {:<11} {:<11} {}",
            i + 1,
            p.x.to_string(),
            num(p.y),
            num(p.cl),
            num(p.lcl),
            num(p.ucl),
            marks.join(", ")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_short() {
        assert_eq!(num(Some(0.25)), "0.25");
        assert_eq!(num(Some(12.0)), "12");
        assert_eq!(num(Some(-0.00001)), "0");
        assert_eq!(num(None), "-");
        let mut s = String::new();
        for v in [12.0, 0.25, 1e-7, 1e300, -3.0] {
            let _ = csv_number(&mut s, v);
            s.push(' ');
        }
        assert_eq!(s, "12 0.25 1e-7 1e300 -3 ");
    }

    #[test]
    fn every_chart_type_has_a_value() {
        for chart in ChartType::ALL {
            let kind = Kind::from_str(chart.name(), true);
            assert_eq!(kind.map(ChartType::from), Ok(chart));
        }
    }
}

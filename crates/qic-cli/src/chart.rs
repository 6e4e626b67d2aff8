//! `qic chart`: a run or control chart of a CSV file, as JSON, SVG or text.

use std::fmt::Write as _;
use std::io::Write as _;

use crate::output::{write_output, write_with};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use qic_spc::csv::CsvData;
use qic_spc::{ChartOptions, ChartResult, ChartType, ImprovementDirection, SignalRules};

use crate::CliError;

/// `qic chart`.
#[derive(Debug, Args)]
pub(crate) struct ChartArgs {
    /// Chart type: run, i, mr, xbar, s, t, p, pp, c, u, up or g.
    #[arg(long)]
    chart: String,
    /// CSV file with the header x,y or x,y,n (x: number, YYYY-MM-DD date or label; an empty
    /// cell is missing; rows with the same x form one subgroup).
    #[arg(long)]
    input: PathBuf,
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
    #[arg(long, value_name = "M")]
    multiply: Option<f64>,
    /// Keep every moving range (screening out the large ones is the default).
    #[arg(long)]
    no_mr_screening: bool,
    /// Rule set.
    #[arg(long, value_enum, default_value_t = Rules::Anhoej)]
    rules: Rules,
    /// Target value (drawn, and used for the Making Data Count assurance).
    #[arg(long, value_name = "T")]
    target: Option<f64>,
    /// Which way is better.
    #[arg(long, value_enum)]
    direction: Option<Better>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(long)]
    output: Option<PathBuf>,
    /// Title of an SVG chart (default: the chart type and the file name).
    #[arg(long)]
    title: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Rules {
    /// Anhøj: long runs, few crossings, points beyond the limits (qicharts2).
    Anhoej,
    /// IHI: shift, trend, too few or too many runs, astronomical point.
    Ihi,
    /// NHS Making Data Count: outside limits, shift, trend, two of three.
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
pub(crate) fn run(args: ChartArgs) -> Result<(), CliError> {
    let chart: ChartType = args
        .chart
        .parse()
        .map_err(|e: qic_spc::SpcError| CliError::Usage(e.to_string()))?;
    let data =
        CsvData::from_path(&args.input, chart).map_err(|e| CliError::chart(&args.input, e))?;
    let result = data
        .compute(chart, &options(&args))
        .map_err(|e| CliError::chart(&args.input, e))?;
    let name = args
        .input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let title = args
        .title
        .unwrap_or_else(|| format!("{}: {name}", chart.title()));
    match args.format {
        Format::Json => write_json(args.output.as_deref(), &args.input, &result),
        Format::Text => {
            let text = text(&result, &title);
            write_output(args.output.as_deref(), &[&args.input], &text)
        }
        Format::Svg => {
            let svg =
                qic_spc::svg::render(&result, &qic_spc::svg::SvgOptions::default().title(title));
            write_output(args.output.as_deref(), &[&args.input], &svg)
        }
    }
}

/// Writes the chart as JSON through a buffer to `path` or standard output: indented for people
/// up to 10,000 points, compact beyond (a third of the time).
fn write_json(path: Option<&Path>, input: &Path, result: &ChartResult) -> Result<(), CliError> {
    write_with(path, &[input], |out| {
        if result.len() <= 10_000 {
            serde_json::to_writer_pretty(&mut *out, result)
        } else {
            serde_json::to_writer(&mut *out, result)
        }
        .map_err(std::io::Error::other)?;
        out.write_all(b"\n")
    })
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
    if let Some(mdc) = result.making_data_count() {
        let assurance = mdc.assurance.map_or_else(
            || "no assurance (needs a target and a direction)".to_owned(),
            |a| format!("assurance {a:?}"),
        );
        let _ = writeln!(
            out,
            "Making Data Count: variation {:?}, {assurance}.",
            mdc.variation
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
        let mut marks: Vec<String> = p.signals.iter().map(|r| r.id().to_owned()).collect();
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
    }
}

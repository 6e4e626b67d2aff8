//! `qic equity`: data readiness, stratified measures and disparities from CSV extracts.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use qic_equity::codes::Dimension;
use qic_equity::disparity::{DisparityReport, RatePolarity, Reference};
use qic_equity::mapping::{Mapping, MultipleRule};
use qic_equity::read::{ReadOptions, StratifySpec, readiness_file, stratify_file};
use qic_equity::readiness::{ReadinessCounts, ReadinessThresholds};
use qic_equity::stratify::{StratifiedCounts, StratifiedTable, Stratifier};
use qic_equity::suppression::{Reliability, Suppression};
use serde::Serialize;

use crate::CliError;
use crate::format::to_json;
use crate::input::LineLimitArgs;
use crate::output::write_output;

/// `qic equity`.
#[derive(Debug, Args)]
pub(crate) struct EquityArgs {
    // Boxed: the subcommands' options are large, and `qic`'s command enum stays small.
    #[command(subcommand)]
    command: Box<EquityCommand>,
}

#[derive(Debug, Subcommand)]
enum EquityCommand {
    /// How complete and usable each REAL and SOGI column of an extract is, with a verdict per
    /// dimension.
    Readiness(ReadinessArgs),
    /// A measure per period and stratum: counts, rates, Wilson 95% intervals, small cells
    /// suppressed.
    Stratify(StratifyArgs),
    /// Gaps between groups per period against a reference group, and the gap series.
    Disparity(DisparityArgs),
}

/// Options shared by every `qic equity` command.
#[derive(Debug, Args)]
struct CommonArgs {
    /// A mapping file for local codes (`.csv` with `dimension,raw,category`, or `.toml` or
    /// `.json`); repeatable, later files win.
    #[arg(long = "map", value_name = "FILE")]
    maps: Vec<PathBuf>,
    /// How a record with several races is reported.
    #[arg(long, value_enum, default_value_t = MultipleRaces::Multiracial)]
    multiple_races: MultipleRaces,
    /// Hide counts from 1 to N (the CMS policy is 10). A cell is hidden when its numerator, its
    /// denominator or its non-events (denominator minus numerator) is from 1 to N; further cells
    /// and totals (complements) are hidden until an audit proves that no hidden count from 1 to
    /// N can be narrowed to fewer than N values from anything shown (totals, other cells, rows
    /// read, used and skipped), and no hidden denominator can be worked out.
    #[arg(long, value_name = "N", default_value_t = Suppression::CMS_THRESHOLD)]
    suppress_up_to: u64,
    /// How wide a range, at least, a reader must be left for each hidden count from 1 to N
    /// (default: N, so a reader learns no more than that a hidden count is small). A narrower
    /// width hides fewer complements; 1 only guarantees no hidden count can be worked out
    /// exactly.
    #[arg(
        long,
        value_name = "W",
        conflicts_with = "no_suppression_internal_use_only"
    )]
    protection_width: Option<u64>,
    /// Show every count, however small. The output must then stay inside the organization
    /// that holds the data.
    #[arg(long, conflicts_with = "suppress_up_to")]
    no_suppression_internal_use_only: bool,
    /// Threads to read with (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    #[command(flatten)]
    limits: LineLimitArgs,
    /// Write to this file instead of standard output.
    #[arg(long)]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum MultipleRaces {
    /// One "multiracial" stratum for two or more races.
    Multiracial,
    /// The record counts in each race it names (strata then add up to more than the total).
    EachSelected,
    /// For the 2024 question: Hispanic or Latino first, then multiracial.
    HispanicFirst,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Readable text.
    Text,
    /// JSON for other programs.
    Json,
    /// CSV for spreadsheets.
    Csv,
}

/// `qic equity readiness`.
#[derive(Debug, Args)]
struct ReadinessArgs {
    /// The extract (CSV with a header).
    file: PathBuf,
    /// A dimension and the column holding it, e.g. `race=RACE_CD`; repeatable.
    #[arg(long = "column", value_name = "DIMENSION=COLUMN", required = true)]
    columns: Vec<String>,
    /// The smallest share of usable values for a dimension to be ready.
    #[arg(long, default_value_t = 0.80)]
    min_usable: f64,
    /// The largest share of unmapped values for a dimension to be ready.
    #[arg(long, default_value_t = 0.05)]
    max_unmapped: f64,
    /// INTERNAL: write the distinct unmapped raw values and their record counts to this CSV
    /// (a mapping-file template for the data steward). It holds values from patient records:
    /// never share it.
    #[arg(long, value_name = "FILE")]
    unmapped_values: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    #[command(flatten)]
    common: CommonArgs,
}

/// The measure and the stratifiers.
#[derive(Debug, Args)]
struct MeasureArgs {
    /// The extract or pre-aggregated counts (CSV with a header).
    file: PathBuf,
    /// The period column: a date (YYYY-MM-DD) or a month (YYYY-MM).
    #[arg(long)]
    period: String,
    /// The numerator column: a 0/1 flag or a count.
    #[arg(long)]
    numerator: String,
    /// The denominator column (a 0/1 flag or a count); without it every record counts 1.
    #[arg(long)]
    denominator: Option<String>,
    /// A dimension to stratify by, with its column if named differently: `race`,
    /// `ethnicity=ETH_CD`; repeatable (strata are crossed).
    #[arg(long = "by", value_name = "DIMENSION[=COLUMN]")]
    by: Vec<String>,
    /// A plain column to stratify by, values used as they are (e.g. a site); repeatable.
    #[arg(long = "by-column", value_name = "COLUMN")]
    by_column: Vec<String>,
}

/// `qic equity stratify`.
#[derive(Debug, Args)]
struct StratifyArgs {
    #[command(flatten)]
    measure: MeasureArgs,
    /// Also compare groups with this reference: a group (e.g. `white`, or `white/not_hispanic_or_latino`
    /// for crossed strata), `largest` or `best`; needs `--direction`.
    #[arg(long, requires = "direction")]
    reference: Option<String>,
    /// Which way the measure improves (needed with `--reference`).
    #[arg(long, value_enum)]
    direction: Option<DirectionArg>,
    /// Output format (CSV holds the table only).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    #[command(flatten)]
    common: CommonArgs,
}

/// `qic equity disparity`.
#[derive(Debug, Args)]
struct DisparityArgs {
    #[command(flatten)]
    measure: MeasureArgs,
    /// The reference group: a group (e.g. `white`, or `white/not_hispanic_or_latino` for crossed
    /// strata), `largest` (largest denominator) or `best` (best rate each period).
    #[arg(long)]
    reference: String,
    /// Which way the measure improves.
    #[arg(long, value_enum)]
    direction: DirectionArg,
    /// Output format (CSV holds one line per group and period).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum DirectionArg {
    /// A higher rate is better (e.g. screening completed).
    HigherIsBetter,
    /// A lower rate is better (e.g. readmissions).
    LowerIsBetter,
}

impl From<DirectionArg> for RatePolarity {
    fn from(d: DirectionArg) -> Self {
        match d {
            DirectionArg::HigherIsBetter => Self::HigherIsBetter,
            DirectionArg::LowerIsBetter => Self::LowerIsBetter,
        }
    }
}

/// Runs `qic equity`.
pub(crate) fn run(args: EquityArgs) -> Result<(), CliError> {
    match *args.command {
        EquityCommand::Readiness(args) => readiness(&args),
        EquityCommand::Stratify(args) => stratify(&args),
        EquityCommand::Disparity(args) => disparity(&args),
    }
}

impl ReadinessArgs {
    /// The files the command reads, which no output may overwrite.
    fn inputs(&self) -> Vec<&Path> {
        let mut inputs = vec![self.file.as_path()];
        inputs.extend(self.common.maps.iter().map(PathBuf::as_path));
        inputs
    }
}

impl StratifyArgs {
    /// The files the command reads, which no output may overwrite.
    fn inputs(&self) -> Vec<&Path> {
        let mut inputs = vec![self.measure.file.as_path()];
        inputs.extend(self.common.maps.iter().map(PathBuf::as_path));
        inputs
    }
}

impl DisparityArgs {
    /// The files the command reads, which no output may overwrite.
    fn inputs(&self) -> Vec<&Path> {
        let mut inputs = vec![self.measure.file.as_path()];
        inputs.extend(self.common.maps.iter().map(PathBuf::as_path));
        inputs
    }
}

impl CommonArgs {
    fn mapping(&self) -> Result<Mapping, CliError> {
        let mut mapping = Mapping::standard();
        for path in &self.maps {
            mapping.add_file(path, self.limits.max_line_bytes)?;
        }
        Ok(mapping)
    }

    fn rule(&self) -> MultipleRule {
        match self.multiple_races {
            MultipleRaces::Multiracial => MultipleRule::Multiracial,
            MultipleRaces::EachSelected => MultipleRule::EachSelected,
            MultipleRaces::HispanicFirst => MultipleRule::HispanicOrLatinoFirst,
        }
    }

    fn suppression(&self) -> Result<Suppression, CliError> {
        if self.no_suppression_internal_use_only {
            eprintln!(
                "warning: suppression is off; the output shows small counts and must not be shared"
            );
            return Ok(Suppression::off_for_internal_use_only());
        }
        let suppression = Suppression::with_threshold(self.suppress_up_to)?;
        Ok(match self.protection_width {
            Some(width) => suppression.with_protection_width(width)?,
            None => suppression,
        })
    }

    fn read_options(&self) -> ReadOptions {
        let default = ReadOptions::default();
        ReadOptions {
            threads: self.threads.map_or(default.threads, |t| t.max(1)),
            max_line_bytes: self.limits.max_line_bytes,
        }
    }
}

fn usage(message: String) -> CliError {
    CliError::Usage(message)
}

fn parse_dimension(name: &str) -> Result<Dimension, CliError> {
    name.parse::<Dimension>().map_err(|e| usage(e.to_string()))
}

fn readiness(args: &ReadinessArgs) -> Result<(), CliError> {
    let mapping = args.common.mapping()?;
    let columns = args
        .columns
        .iter()
        .map(|c| {
            let (dimension, column) = c.split_once('=').ok_or_else(|| {
                usage(format!(
                    "`--column {c}`: expected DIMENSION=COLUMN, e.g. race=RACE_CD"
                ))
            })?;
            Ok((parse_dimension(dimension)?, column.trim().to_owned()))
        })
        .collect::<Result<Vec<_>, CliError>>()?;
    let counts = readiness_file(
        &args.file,
        &columns,
        &mapping,
        args.common.rule(),
        &args.common.read_options(),
    )?;
    let thresholds = ReadinessThresholds {
        min_usable_share: args.min_usable,
        max_unmapped_share: args.max_unmapped,
    };
    let report = counts.report(&thresholds, &args.common.suppression()?)?;
    if let Some(path) = &args.unmapped_values {
        write_unmapped_values(path, &args.inputs(), &counts)?;
    }
    let text = match args.format {
        Format::Text => report.to_text(),
        Format::Json => to_json(&report),
        Format::Csv => readiness_csv(&report),
    };
    write_output(args.common.output.as_deref(), &args.inputs(), &text)
}

fn readiness_csv(report: &qic_equity::readiness::ReadinessReport) -> String {
    let mut out = String::from("dimension,column,status,records,share,verdict\n");
    let opt = |v: Option<String>| v.unwrap_or_default();
    for d in &report.dimensions {
        let verdict = serde_json::to_value(d.verdict)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        for status in qic_equity::mapping::Status::ALL {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{verdict}",
                d.dimension,
                csv_field(&d.column),
                status.name(),
                opt(d.counts.get(status).map(|n| n.to_string())),
                opt(d.shares.get(status).map(|s| s.to_string())),
            );
        }
    }
    out
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// The internal listing of unmapped raw values, as a mapping-file template.
fn write_unmapped_values(
    path: &Path,
    inputs: &[&Path],
    counts: &ReadinessCounts,
) -> Result<(), CliError> {
    let mut out = String::from("dimension,raw,category,records\n");
    for d in &counts.dimensions {
        for (raw, n) in &d.unmapped_values.listed {
            let _ = writeln!(out, "{},{},,{n}", d.dimension, csv_field(raw));
        }
        if d.unmapped_values.not_listed > 0 {
            eprintln!(
                "note: {}: {} records hold unmapped values beyond the first {} listed",
                d.dimension,
                d.unmapped_values.not_listed,
                qic_equity::readiness::MAX_LISTED_UNMAPPED
            );
        }
    }
    write_output(Some(path), inputs, &out)?;
    eprintln!(
        "wrote {}: INTERNAL, it holds raw values from patient records; do not share it",
        path.display()
    );
    Ok(())
}

impl MeasureArgs {
    fn spec(&self, rule: MultipleRule) -> Result<StratifySpec, CliError> {
        let mut stratifiers = Vec::new();
        for by in &self.by {
            let (name, column) = match by.split_once('=') {
                Some((name, column)) => (name, column.trim()),
                None => (by.as_str(), by.trim()),
            };
            let dimension = name.parse::<Dimension>().map_err(|e| {
                usage(format!(
                    "`--by {by}`: {e}; use --by-column for a plain column"
                ))
            })?;
            stratifiers.push(Stratifier::dimension(dimension, column));
        }
        stratifiers.extend(self.by_column.iter().map(|c| Stratifier::column(c.trim())));
        if stratifiers.is_empty() {
            return Err(usage(
                "give at least one stratifier: --by DIMENSION[=COLUMN] or --by-column COLUMN"
                    .to_owned(),
            ));
        }
        Ok(StratifySpec {
            period: self.period.clone(),
            numerator: self.numerator.clone(),
            denominator: self.denominator.clone(),
            stratifiers,
            rule,
        })
    }
}

/// Reads and stratifies. The run summary is printed from the published table
/// ([`print_run_summary`]), so standard error shows no count the table hides.
fn read_measure(
    measure: &MeasureArgs,
    common: &CommonArgs,
    mapping: &Mapping,
) -> Result<StratifiedCounts, CliError> {
    let spec = measure.spec(common.rule())?;
    Ok(stratify_file(
        &measure.file,
        &spec,
        mapping,
        &common.read_options(),
    )?)
}

/// Prints rows read, used and skipped on standard error as the table publishes them: a count
/// the table hides is hidden here too.
fn print_run_summary(path: &Path, table: &StratifiedTable) {
    eprintln!("{}: {}", path.display(), table.rows.summary());
}

fn parse_reference(
    text: &str,
    stratifiers: &[Stratifier],
    mapping: &Mapping,
) -> Result<Reference, CliError> {
    Reference::parse(text, stratifiers, mapping).map_err(|e| match e {
        qic_equity::EquityError::InvalidSetting { message, .. } => {
            usage(format!("`--reference`: {message}"))
        }
        other => other.into(),
    })
}

#[derive(Serialize)]
struct TableWithDisparity<'a> {
    table: &'a StratifiedTable,
    disparity: &'a DisparityReport,
}

fn stratify(args: &StratifyArgs) -> Result<(), CliError> {
    let mapping = args.common.mapping()?;
    let suppression = args.common.suppression()?;
    let counts = read_measure(&args.measure, &args.common, &mapping)?;
    let table = counts.table(&suppression, &Reliability::default());
    print_run_summary(&args.measure.file, &table);
    let disparity = match (&args.reference, args.direction) {
        (Some(reference), Some(direction)) => {
            let reference = parse_reference(reference, counts.stratifiers(), &mapping)?;
            Some(DisparityReport::new(&table, &reference, direction.into())?)
        }
        _ => None,
    };
    let text = match (args.format, &disparity) {
        (Format::Text, None) => table.to_text(),
        (Format::Text, Some(d)) => format!("{}\n{}", table.to_text(), d.to_text()),
        (Format::Json, None) => to_json(&table),
        (Format::Json, Some(d)) => to_json(&TableWithDisparity {
            table: &table,
            disparity: d,
        }),
        (Format::Csv, None) => table.to_csv(),
        (Format::Csv, Some(_)) => {
            return Err(usage(
                "CSV output holds the table only; use `qic equity disparity --format csv` for the gaps"
                    .to_owned(),
            ));
        }
    };
    write_output(args.common.output.as_deref(), &args.inputs(), &text)
}

fn disparity(args: &DisparityArgs) -> Result<(), CliError> {
    let mapping = args.common.mapping()?;
    let suppression = args.common.suppression()?;
    let counts = read_measure(&args.measure, &args.common, &mapping)?;
    let table = counts.table(&suppression, &Reliability::default());
    print_run_summary(&args.measure.file, &table);
    let reference = parse_reference(&args.reference, counts.stratifiers(), &mapping)?;
    let report = DisparityReport::new(&table, &reference, args.direction.into())?;
    let text = match args.format {
        Format::Text => report.to_text(),
        Format::Json => to_json(&report),
        Format::Csv => report.to_csv(),
    };
    write_output(args.common.output.as_deref(), &args.inputs(), &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_accept_codes_labels_and_keywords() {
        let mapping = Mapping::standard();
        let strat = [Stratifier::dimension(Dimension::Race, "race")];
        assert_eq!(
            parse_reference("largest", &strat, &mapping).unwrap(),
            Reference::Largest
        );
        assert_eq!(
            parse_reference("2106-3", &strat, &mapping).unwrap(),
            Reference::Group(qic_equity::stratify::Stratum::of(&["white"]))
        );
        assert!(parse_reference("white/asian", &strat, &mapping).is_err());
    }
}

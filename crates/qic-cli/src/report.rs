//! `qic report`: a collaborative's folder as one self-contained HTML page, as text, or as the
//! report's JSON model.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use qic_pdsa::Collaborative;
use qic_pdsa::folder::LoadOptions;

use crate::CliError;
use crate::input::LineLimitArgs;
use crate::output::write_output;

/// `qic report`.
#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    /// The collaborative's folder: collaborative.toml, the program file and teams/ (see the
    /// qic-pdsa `folder` module for the layout).
    dir: PathBuf,
    /// Where to write the report (`-` for standard output). Default: report.html in the
    /// folder, report.txt with `--format text`, report.json with `--format json`.
    #[arg(long)]
    output: Option<PathBuf>,
    /// The HTML page (teams needing attention, dashboard, harvest, a section per team), the
    /// same as text, or the report's model as JSON (every number, chart and table it shows).
    #[arg(long, value_enum, default_value_t = Format::Html)]
    format: Format,
    #[command(flatten)]
    limits: LineLimitArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// One self-contained HTML page: inline SVG and CSS, no scripts, printable.
    Html,
    /// The teams needing attention, then each team's aims, measures, cycles and reports, as
    /// text.
    Text,
    /// The report's model: every number, chart, table and warning the page shows, with small
    /// counts already suppressed.
    Json,
}

pub(crate) fn run(args: ReportArgs) -> Result<(), CliError> {
    let options = LoadOptions {
        max_line_bytes: args.limits.max_line_bytes,
    };
    let collaborative = Collaborative::load_with(&args.dir, &options)?;
    let report = qic_pdsa::report::Report::build(&collaborative)?;
    let (contents, default_name) = match args.format {
        Format::Html => (qic_pdsa::html::render(&report), "report.html"),
        Format::Text => (qic_pdsa::text::render(&report), "report.txt"),
        Format::Json => (crate::format::to_json(&report), "report.json"),
    };
    let output = args.output.unwrap_or_else(|| args.dir.join(default_name));
    let to_stdout = output.as_os_str() == "-";
    // Warnings go to standard error as well as into the report, so a run in a terminal or a
    // script sees them too.
    for w in &collaborative.warnings {
        eprintln!("warning: {}: {}", w.path.display(), w.message);
    }
    if to_stdout {
        write_output(None, &[], &contents)?;
    } else {
        // Never over a file the report was made from (under any name).
        let inputs: Vec<&Path> = collaborative.inputs.iter().map(PathBuf::as_path).collect();
        write_output(Some(&output), &inputs, &contents)?;
    }
    let summary = format!(
        "{} teams, {} {}; {}",
        collaborative.teams.len(),
        collaborative.warnings.len(),
        if collaborative.warnings.len() == 1 {
            "warning"
        } else {
            "warnings"
        },
        if to_stdout {
            "written to standard output".to_owned()
        } else {
            format!("wrote {}", output.display())
        }
    );
    if to_stdout {
        eprintln!("{summary}");
    } else {
        println!("{summary}");
    }
    Ok(())
}

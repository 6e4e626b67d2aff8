//! `qic`: quality-improvement collaboratives from the command line.
//!
//! A thin layer over the qic crates: each subcommand reads files a person would have (JSON, TOML,
//! CSV), writes JSON for machines and text, SVG, HTML or ICS for people, and on bad input exits
//! with status 1 and one message naming the file, line and field at fault.

// The command's job is to print.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod chart;
mod eligibility;
mod equity;
mod error;
mod format;
mod input;
mod output;
mod pdsa;
mod program;
mod report;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub(crate) use error::CliError;

/// Quality-improvement collaboratives: programs, eligibility, charts, equity and reports.
#[derive(Debug, Parser)]
#[command(name = "qic", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Programs, cohorts, calendars and presets.
    Program(program::ProgramArgs),
    /// A run or control chart of a CSV file (text, JSON, CSV or SVG).
    Chart(Box<chart::ChartArgs>),
    /// REAL and SOGI data readiness, stratified measures and disparities.
    Equity(equity::EquityArgs),
    /// A collaborative's folder as one self-contained HTML report (or text).
    Report(report::ReportArgs),
    /// A team's PDSA cycles file: start one, check it, show it.
    Pdsa(pdsa::PdsaArgs),
    /// Judge applications by rule sets; print rule sets and the application schema.
    Eligibility(eligibility::EligibilityArgs),
}

fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Program(args) => program::run(args),
        Command::Chart(args) => chart::run(&args),
        Command::Equity(args) => equity::run(args),
        Command::Report(args) => report::run(args),
        Command::Pdsa(args) => pdsa::run(args),
        Command::Eligibility(args) => eligibility::run(args),
    }
}

/// The command line: every command and subcommand takes negative numbers as option values
/// (`--target -5`), which clap would otherwise read as an unknown flag.
fn command() -> clap::Command {
    fn negative_numbers(command: clap::Command) -> clap::Command {
        command
            .allow_negative_numbers(true)
            .mut_subcommands(negative_numbers)
    }
    negative_numbers(<Cli as clap::CommandFactory>::command())
}

fn main() -> ExitCode {
    let matches = command().get_matches();
    let cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => err.exit(),
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let message = err.to_string();
            eprintln!("error: {message}");
            if input::is_line_too_long(&message) {
                eprintln!("hint: if the file is right, raise the limit with --max-line-bytes");
            }
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        command().debug_assert();
    }
}

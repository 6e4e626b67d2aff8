//! `qic eligibility`: judge applications by rule sets, print rule sets and the application schema.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use qic_eligibility::{Application, PRESETS, RuleSet, batch, preset_source};

use crate::CliError;
use crate::format::{Format, to_json};
use crate::input::LineLimitArgs;
use crate::output::{AtomicFile, write_output};

/// `qic eligibility`.
#[derive(Debug, Args)]
pub(crate) struct EligibilityArgs {
    #[command(subcommand)]
    command: EligibilityCommand,
}

#[derive(Debug, Subcommand)]
enum EligibilityCommand {
    /// Judge one application (a .json or .toml file) by a rule set.
    Check {
        /// The application file.
        application: PathBuf,
        /// A rule set preset name (see `qic eligibility rules`) or a rule set file (.toml or
        /// .json).
        #[arg(long)]
        rules: String,
        /// The day to judge as of (YYYY-MM-DD): what is missing can still be sent until the
        /// deadline. Defaults to today.
        #[arg(long)]
        as_of: Option<NaiveDate>,
        /// A readiness report (`qic equity readiness --format json`) to judge the REAL and SOGI
        /// data by, in place of the application's declarations.
        #[arg(long, value_name = "REPORT.json")]
        readiness: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Judge every application in a JSON Lines file (one application per line), streaming.
    ///
    /// Each output line is a decision or an error record with its input line number; a summary
    /// by outcome and by failing rule goes to standard error.
    Batch {
        /// The JSON Lines file, or `-` for standard input.
        applications: PathBuf,
        /// A rule set preset name or a rule set file.
        #[arg(long)]
        rules: String,
        /// The day to judge as of (YYYY-MM-DD). Defaults to today.
        #[arg(long)]
        as_of: Option<NaiveDate>,
        /// Write the decisions (JSON Lines) to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        limits: LineLimitArgs,
    },
    /// Print a rule set in words; without a name, list the presets.
    Rules {
        /// A rule set preset name or a rule set file.
        rules: Option<String>,
        /// Output format: words, TOML (a preset's own file, comments included, to copy and
        /// edit) or JSON.
        #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Print the JSON Schema of the application format.
    Schema {
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

/// How `qic eligibility rules` prints a rule set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum RulesFormat {
    /// In words.
    Text,
    /// As a TOML rule set file.
    Toml,
    /// As JSON.
    Json,
}

/// Runs `qic eligibility`.
pub(crate) fn run(args: EligibilityArgs) -> Result<(), CliError> {
    match args.command {
        EligibilityCommand::Check {
            application,
            rules,
            as_of,
            readiness,
            format,
            output,
        } => {
            let rule_set = load_rules(&rules)?;
            let application_file = application;
            let mut application = Application::from_file(&application_file)?;
            if let Some(report) = &readiness {
                application.attach_readiness_report(report)?;
            }
            let decision = rule_set.evaluate(&application, as_of.unwrap_or_else(today));
            let text = match format {
                Format::Text => decision.to_text(),
                Format::Json => decision.to_json(),
            };
            let mut inputs = vec![application_file.as_path(), Path::new(&rules)];
            if let Some(report) = &readiness {
                inputs.push(report.as_path());
            }
            write_output(output.as_deref(), &inputs, &text)
        }
        EligibilityCommand::Batch {
            applications,
            rules,
            as_of,
            output,
            limits,
        } => {
            let rule_set = load_rules(&rules)?;
            let summary = run_batch(
                &rule_set,
                &Batch {
                    applications: &applications,
                    as_of: as_of.unwrap_or_else(today),
                    max_line_bytes: limits.max_line_bytes,
                },
                output.as_deref(),
                &[applications.as_path(), Path::new(&rules)],
            )?;
            eprint!("{summary}");
            Ok(())
        }
        EligibilityCommand::Rules {
            rules,
            format,
            output,
        } => {
            let text = match &rules {
                None => presets_text()?,
                Some(spec) => {
                    let set = load_rules(spec)?;
                    match format {
                        RulesFormat::Text => set.describe(),
                        RulesFormat::Toml => {
                            preset_source(spec).map_or_else(|| set.to_toml(), str::to_owned)
                        }
                        RulesFormat::Json => to_json(&set),
                    }
                }
            };
            let inputs: Vec<&Path> = rules.iter().map(Path::new).collect();
            write_output(output.as_deref(), &inputs, &text)
        }
        EligibilityCommand::Schema { output } => write_output(
            output.as_deref(),
            &[],
            &qic_eligibility::application_schema(),
        ),
    }
}

/// The local calendar day: the default evaluation date of the command (the library always
/// takes the date as an argument).
fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// A preset by name, else a rule set file.
fn load_rules(spec: &str) -> Result<RuleSet, CliError> {
    if preset_source(spec).is_some() {
        return Ok(RuleSet::preset(spec)?);
    }
    let path = Path::new(spec);
    if path.is_file() {
        return Ok(RuleSet::from_file(path)?);
    }
    Err(CliError::UnknownRules {
        spec: spec.to_owned(),
        presets: PRESETS.join(", "),
    })
}

/// What a batch reads.
struct Batch<'a> {
    applications: &'a Path,
    as_of: NaiveDate,
    max_line_bytes: usize,
}

fn run_batch(
    rules: &RuleSet,
    batch: &Batch<'_>,
    output: Option<&Path>,
    inputs: &[&Path],
) -> Result<batch::BatchSummary, CliError> {
    let Batch {
        applications,
        as_of,
        max_line_bytes,
    } = *batch;
    let judge = |sink: &mut dyn Write| {
        let summary = if applications == Path::new("-") {
            batch::evaluate_jsonl_with(rules, as_of, std::io::stdin().lock(), sink, max_line_bytes)
        } else {
            let file = File::open(applications).map_err(|e| CliError::io(applications, e))?;
            let input = BufReader::with_capacity(1 << 16, file);
            batch::evaluate_jsonl_with(rules, as_of, input, sink, max_line_bytes)
        };
        summary.map_err(|err| match err {
            // Name the file the batch was reading.
            qic_eligibility::EligibilityError::BatchIo { line, source } => CliError::Batch {
                path: applications.to_path_buf(),
                line,
                source,
            },
            other => other.into(),
        })
    };
    // The decisions go to a temporary file that replaces the output only when the whole batch
    // is written: a batch that stops leaves an earlier output as it was.
    if let Some(path) = output {
        let mut file = AtomicFile::create(path, inputs)?;
        let summary = judge(file.sink())?;
        file.commit()?;
        return Ok(summary);
    }
    let mut stdout = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let summary = judge(&mut stdout)?;
    stdout.flush().map_err(CliError::Output)?;
    Ok(summary)
}

fn presets_text() -> Result<String, CliError> {
    use std::fmt::Write as _;
    let mut out = String::from("Rule set presets (use one with --rules NAME):\n");
    for name in PRESETS {
        let set = RuleSet::preset(name)?;
        let _ = writeln!(out, "  {name:<40} admits {} ({})", set.name(), set.admits());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_a_preset_or_a_file() {
        assert_eq!(
            load_rules("action-learning-collaborative").unwrap().id(),
            "action-learning-collaborative"
        );
        let err = load_rules("no-such-rules").unwrap_err().to_string();
        assert!(err.contains("`no-such-rules` is neither"), "{err}");
        assert!(
            err.contains("pursuing-equity-action-community-2022"),
            "{err}"
        );
    }

    #[test]
    fn the_preset_list_names_every_preset() {
        let text = presets_text().unwrap();
        for name in PRESETS {
            assert!(text.contains(name), "{text}");
        }
    }
}

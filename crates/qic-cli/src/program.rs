//! `qic program`: programs, their cohorts and calendars, and the vocabularies of the model.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use qic_program::{Lens, OrganizationKind, Preset, Program, Role};
use serde::Serialize;

use crate::CliError;
use crate::format::{Format, to_json};
use crate::output::write_output;

/// `qic program`.
#[derive(Debug, Args)]
pub(crate) struct ProgramArgs {
    #[command(subcommand)]
    command: ProgramCommand,
}

/// Where a program comes from: a file or a built-in preset.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
struct Source {
    /// A program file (.toml or .json).
    file: Option<PathBuf>,
    /// A built-in program (list them with `qic program presets`).
    #[arg(long, value_name = "NAME")]
    preset: Option<String>,
}

impl Source {
    /// The program file, which no output may overwrite.
    fn inputs(&self) -> Vec<&Path> {
        self.file.iter().map(PathBuf::as_path).collect()
    }

    fn load(&self) -> Result<Program, CliError> {
        match (&self.file, &self.preset) {
            (_, Some(name)) => Ok(name.parse::<Preset>()?.program()?),
            (Some(path), None) => Ok(qic_program::io::load_program(path)?),
            // clap's argument group requires one of the two.
            (None, None) => Err(CliError::Usage(
                "give a program file or --preset NAME".into(),
            )),
        }
    }
}

#[derive(Debug, Subcommand)]
enum ProgramCommand {
    /// Show a program: sponsor, focus, window and each cohort's commitments, applications,
    /// calendar and teams.
    Show {
        #[command(flatten)]
        source: Source,
        /// Output format (JSON is the program file format, checked and complete).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Print a program's calendar as a table (or JSON), or write it as an iCalendar file.
    Calendar {
        #[command(flatten)]
        source: Source,
        /// Write the calendar as iCalendar (RFC 5545) to this file (`-` for standard output).
        #[arg(long, value_name = "OUT")]
        ics: Option<PathBuf>,
        /// Output format of the table.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Write the table to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// List the built-in programs.
    Presets {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// List the values that organization kinds, team roles and lenses take in program and
    /// application files.
    Vocabulary {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

/// One term of a vocabulary: the value to write in files and its meaning.
#[derive(Serialize)]
struct Term {
    value: String,
    label: &'static str,
}

#[derive(Serialize)]
struct Vocabulary {
    organization_kinds: Vec<Term>,
    roles: Vec<Term>,
    lenses: Vec<Term>,
}

fn term<T: Serialize>(value: T, label: &'static str) -> Term {
    // Serializing a unit variant gives its file spelling, e.g. "community_health_center".
    let value = serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    Term { value, label }
}

const ROLES: [Role; 7] = [
    Role::ExecutiveSponsor,
    Role::DayToDayLead,
    Role::ProjectManager,
    Role::DataLead,
    Role::PatientPartner,
    Role::CommunityPartner,
    Role::Member,
];

fn vocabulary() -> Vocabulary {
    Vocabulary {
        organization_kinds: OrganizationKind::ALL
            .into_iter()
            .map(|k| term(k, k.label()))
            .collect(),
        roles: ROLES.into_iter().map(|r| term(r, r.label())).collect(),
        lenses: Lens::ALL.into_iter().map(|l| term(l, l.label())).collect(),
    }
}

fn vocabulary_text(vocabulary: &Vocabulary) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for (heading, terms) in [
        ("Organization kinds", &vocabulary.organization_kinds),
        ("Team roles", &vocabulary.roles),
        ("Lenses", &vocabulary.lenses),
    ] {
        let _ = writeln!(out, "{heading}:");
        for t in terms {
            let _ = writeln!(out, "  {:<32} {}", t.value, t.label);
        }
    }
    out
}

#[derive(Serialize)]
struct PresetEntry {
    name: &'static str,
    summary: &'static str,
}

fn presets_text() -> String {
    use std::fmt::Write as _;
    let width = Preset::ALL
        .iter()
        .map(|p| p.name().len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for preset in Preset::ALL {
        let _ = writeln!(out, "{:<width$}  {}", preset.name(), preset.summary());
    }
    out
}

fn calendar(
    program: &Program,
    ics: Option<&Path>,
    format: Format,
    output: Option<&Path>,
    inputs: &[&Path],
) -> Result<(), CliError> {
    let schedule = program.schedule();
    match ics {
        Some(path) if path == Path::new("-") => write_output(None, &[], &schedule.to_ics()),
        Some(path) => {
            write_output(Some(path), inputs, &schedule.to_ics())?;
            let sessions = schedule
                .events()
                .iter()
                .filter(|e| e.kind.is_session())
                .count();
            write_output(
                None,
                &[],
                &format!(
                    "wrote {} events ({sessions} sessions, from {} to {}) to {}\n",
                    schedule.events().len(),
                    schedule.window().start(),
                    schedule.window().end(),
                    path.display()
                ),
            )
        }
        None => {
            let text = match format {
                Format::Text => schedule.to_table(),
                Format::Json => to_json(schedule),
            };
            write_output(output, inputs, &text)
        }
    }
}

/// Runs `qic program`.
pub(crate) fn run(args: ProgramArgs) -> Result<(), CliError> {
    match args.command {
        ProgramCommand::Show {
            source,
            format,
            output,
        } => {
            let program = source.load()?;
            let text = match format {
                Format::Text => program.summary(),
                Format::Json => to_json(&program),
            };
            write_output(output.as_deref(), &source.inputs(), &text)
        }
        ProgramCommand::Calendar {
            source,
            ics,
            format,
            output,
        } => calendar(
            &source.load()?,
            ics.as_deref(),
            format,
            output.as_deref(),
            &source.inputs(),
        ),
        ProgramCommand::Presets { format } => {
            let text = match format {
                Format::Text => presets_text(),
                Format::Json => to_json(&Preset::ALL.map(|p| PresetEntry {
                    name: p.name(),
                    summary: p.summary(),
                })),
            };
            write_output(None, &[], &text)
        }
        ProgramCommand::Vocabulary { format, output } => {
            let vocabulary = vocabulary();
            let text = match format {
                Format::Text => vocabulary_text(&vocabulary),
                Format::Json => to_json(&vocabulary),
            };
            write_output(output.as_deref(), &[], &text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_values_are_the_file_spellings() {
        let v = vocabulary();
        assert_eq!(v.organization_kinds[0].value, "aco");
        assert!(
            v.lenses
                .iter()
                .any(|t| t.value == "patient_facing_care" && t.label == "patient-facing care")
        );
        assert!(vocabulary_text(&v).contains("free_or_charitable_clinic"));
    }
}

//! `qic program`: programs, their cohorts and calendars, and the vocabularies of the model.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use qic_program::{Lens, OrganizationKind, Role};
use serde::Serialize;

use crate::CliError;
use crate::output::write_output;

/// `qic program`.
#[derive(Debug, Args)]
pub(crate) struct ProgramArgs {
    #[command(subcommand)]
    command: ProgramCommand,
}

#[derive(Debug, Subcommand)]
enum ProgramCommand {
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

/// How a command prints its result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Readable text.
    Text,
    /// JSON for other programs.
    Json,
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

/// Runs `qic program`.
pub(crate) fn run(args: ProgramArgs) -> Result<(), CliError> {
    match args.command {
        ProgramCommand::Vocabulary { format, output } => {
            let vocabulary = vocabulary();
            let text = match format {
                Format::Text => vocabulary_text(&vocabulary),
                Format::Json => to_json(&vocabulary),
            };
            write_output(output.as_deref(), &text)
        }
    }
}

/// Pretty JSON with a final newline.
pub(crate) fn to_json<T: Serialize>(value: &T) -> String {
    // Serializing our own plain data types cannot fail (no maps with non-string keys).
    let mut json = serde_json::to_string_pretty(value).unwrap_or_default();
    json.push('\n');
    json
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

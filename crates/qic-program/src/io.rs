//! Loading programs and pathways from TOML and JSON files.
//!
//! Files are read by [`qic_io::read_document`]'s rules: `.toml` is TOML and `.json` is JSON,
//! any other name is refused; unknown fields are refused (every input type denies them); every
//! error names the file, the line and column and the field's path. Parse errors take the
//! position from the parser; faults found after parsing (a session after the program ends, a
//! cohort that is over capacity) are located by following the field's path through the
//! document.
//!
//! ```
//! use qic_program::io::{parse_program, FileFormat};
//!
//! let text = r#"
//! name = "Demo"
//! focus = "hypertension control"
//! framework = "model_for_improvement"
//! start = 2025-01-01
//! duraton_months = 6
//!
//! [sponsor]
//! name = "Demo Foundation"
//! kind = "foundation"
//! "#;
//! let err = parse_program(text, FileFormat::Toml, "demo.toml").unwrap_err();
//! assert!(err.to_string().starts_with("demo.toml:6:1: unknown field `duraton_months`"));
//! ```

use std::path::Path;

use qic_io::{Document, Location};

use crate::error::ProgramError;
use crate::pathway::Pathway;
use crate::program::{Program, ProgramSpec};

/// The two formats qic reads (`.toml` and `.json`): qic-io's [`qic_io::Format`].
pub use qic_io::Format as FileFormat;

/// Reads and checks a program file (`.toml` or `.json`).
///
/// # Errors
///
/// [`ProgramError::Document`] when the file cannot be read, has another extension, or does not
/// parse (see [`parse_program`]); [`ProgramError::InFile`] as [`parse_program`].
pub fn load_program(path: impl AsRef<Path>) -> Result<Program, ProgramError> {
    program_of(&Document::read(path)?)
}

/// Parses and checks a program from text.
///
/// # Errors
///
/// - [`ProgramError::Document`] for bad syntax, a misspelt or missing field, or a value of the
///   wrong type or out of range (e.g. `duration_months = 0`), with the field's path, line and
///   column;
/// - [`ProgramError::InFile`] wrapping a fault of [`Program::new`], with the line of the field
///   where it can be located.
pub fn parse_program(
    text: &str,
    format: FileFormat,
    source_name: &str,
) -> Result<Program, ProgramError> {
    program_of(&Document::from_text(text, format, source_name))
}

fn program_of(document: &Document) -> Result<Program, ProgramError> {
    let spec: ProgramSpec = document.parse()?;
    Program::new(spec).map_err(|err| {
        let location = err.field().map_or_else(
            || Location::new(document.source()),
            |field| document.locate(field),
        );
        ProgramError::InFile {
            location,
            source: Box::new(err),
        }
    })
}

/// Reads a pathway file: a program's own step titles (see [`crate::pathway`]).
///
/// ```toml
/// name = "Our 10-step path"
/// source = "Getting Started Guide, page 4"
///
/// [[steps]]
/// number = 1
/// title = "..."
/// phase = "building_will_and_prioritizing"
/// ```
///
/// # Errors
///
/// [`ProgramError::Document`], as [`parse_pathway`].
pub fn load_pathway(path: impl AsRef<Path>) -> Result<Pathway, ProgramError> {
    Ok(Document::read(path)?.parse()?)
}

/// Parses a pathway from text.
///
/// # Errors
///
/// [`ProgramError::Document`] (including a pathway whose steps are misnumbered or out of phase
/// order).
pub fn parse_pathway(
    text: &str,
    format: FileFormat,
    source_name: &str,
) -> Result<Pathway, ProgramError> {
    Ok(Document::from_text(text, format, source_name).parse()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML: &str = r#"name = "Demo"
focus = "hypertension"
framework = "model_for_improvement"
start = 2025-01-01
duration_months = 6

[sponsor]
name = "Demo Foundation"
kind = "foundation"

[[cohorts]]
name = "Cohort A"
kind = "collaborative"

[[cohorts.schedule.sessions]]
name = "LS1"
format = "virtual"
date = 2025-02-05

[[cohorts.schedule.sessions]]
name = "LS2"
format = "in_person"
date = 2025-09-10
"#;

    #[test]
    fn a_late_session_in_toml_is_located_on_its_line() {
        let err = parse_program(TOML, FileFormat::Toml, "demo.toml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "demo.toml:23:1: $.cohorts[0].schedule.sessions[1].date: LS2 (2025-09-10) is outside the program window 2025-01-01 to 2025-06-30"
        );
    }

    #[test]
    fn a_late_session_in_json_is_located_on_its_line() {
        let spec: ProgramSpec = toml::from_str(TOML).unwrap();
        let json = serde_json::to_string_pretty(&spec).unwrap();
        let err = parse_program(&json, FileFormat::Json, "demo.json").unwrap_err();
        let line = json
            .lines()
            .position(|l| l.contains("\"2025-09-10\""))
            .unwrap()
            + 1;
        assert!(
            err.to_string().starts_with(&format!(
                "demo.json:{line}:13: $.cohorts[0].schedule.sessions[1].date: LS2"
            )),
            "{err}"
        );
    }

    #[test]
    fn range_errors_name_the_field_and_line() {
        let text = TOML.replace("duration_months = 6", "duration_months = 0");
        let err = parse_program(&text, FileFormat::Toml, "p.toml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "p.toml:5:19: $.duration_months: duration must be between 1 and 60 months, got 0"
        );
        let text = TOML.replace("kind = \"collaborative\"", "kind = \"colaborative\"");
        let err = parse_program(&text, FileFormat::Toml, "p.toml").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("p.toml:13:8: $.cohorts[0].kind: unknown variant `colaborative`"),
            "{err}"
        );
    }

    #[test]
    fn misspelt_fields_in_json_are_named_with_line_and_column() {
        let json = "{\n  \"name\": \"X\",\n  \"focuss\": \"y\"\n}";
        let err = parse_program(json, FileFormat::Json, "p.json").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("p.json:3:10: unknown field `focuss`, expected one of"),
            "{err}"
        );
        let json = "{\"name\": \"X\", \"sponsor\": {\"nmae\": \"y\"}}";
        let err = parse_program(json, FileFormat::Json, "p.json").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("p.json:1:32: $.sponsor: unknown field `nmae`"),
            "{err}"
        );
    }

    #[test]
    fn trailing_json_is_refused() {
        let spec: ProgramSpec = toml::from_str(&TOML.replace("2025-09-10", "2025-03-10")).unwrap();
        let json = format!("{} {{}}", serde_json::to_string(&spec).unwrap());
        let err = parse_program(&json, FileFormat::Json, "p.json").unwrap_err();
        assert!(err.to_string().contains("trailing characters"), "{err}");
    }

    #[test]
    fn pathways_load_with_their_own_titles() {
        let text = r#"
name = "Three steps"
[[steps]]
number = 1
title = "Plan"
phase = "building_will_and_prioritizing"
[[steps]]
number = 2
title = "Do"
phase = "executing"
"#;
        let pathway = parse_pathway(text, FileFormat::Toml, "p.toml").unwrap();
        assert_eq!(pathway.steps()[1].title, "Do");
        let bad = text.replace("number = 2", "number = 3");
        let err = parse_pathway(&bad, FileFormat::Toml, "p.toml").unwrap_err();
        assert!(err.to_string().contains("numbered 3"), "{err}");
    }
}

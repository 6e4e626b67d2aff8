//! Loading programs and pathways from TOML and JSON files.
//!
//! Unknown fields are refused (every input type denies them), and every error names the file,
//! the field and, where it can be found, the line: parse errors take the line and column from the
//! parser; faults found after parsing (a session after the program ends, a cohort that is over
//! capacity) are located by following the field's path through the document.
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
//! let err = parse_program(text, Some(FileFormat::Toml), "demo.toml").unwrap_err();
//! assert!(err.to_string().starts_with("demo.toml:6:1: unknown field `duraton_months`"));
//! ```

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::ProgramError;
use crate::pathway::Pathway;
use crate::program::{Program, ProgramSpec};

/// The two formats qic reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileFormat {
    /// TOML (`.toml`).
    Toml,
    /// JSON (`.json`).
    Json,
}

impl FileFormat {
    /// The format a file's extension names (case-insensitive), if it names one.
    pub fn from_path(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "toml" => Some(Self::Toml),
            "json" => Some(Self::Json),
            _ => None,
        }
    }

    /// Guesses the format of a text with no telling extension: JSON if it parses as JSON, TOML
    /// if it parses as TOML, otherwise none.
    pub fn sniff(text: &str) -> Option<Self> {
        if serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() {
            Some(Self::Json)
        } else if text.parse::<toml::Table>().is_ok() {
            Some(Self::Toml)
        } else {
            None
        }
    }
}

/// Reads and checks a program file (`.toml` or `.json`; other names are sniffed).
///
/// # Errors
///
/// [`ProgramError::Io`] when the file cannot be read; otherwise as [`parse_program`], with the
/// file's path as the source name.
pub fn load_program(path: impl AsRef<Path>) -> Result<Program, ProgramError> {
    let path = path.as_ref();
    let text = read(path)?;
    parse_program(
        &text,
        FileFormat::from_path(path),
        &path.display().to_string(),
    )
}

/// Parses and checks a program from text. With no format given, it is sniffed.
///
/// # Errors
///
/// - [`ProgramError::UnknownFormat`] when no format is given and the text is neither JSON nor
///   TOML;
/// - [`ProgramError::Parse`] for bad syntax, a misspelt or missing field, or a value of the
///   wrong type or out of range (e.g. `duration_months = 0`), with the field's path, line and
///   column;
/// - [`ProgramError::InFile`] wrapping a fault of [`Program::new`], with the line of the field
///   where it can be located.
pub fn parse_program(
    text: &str,
    format: Option<FileFormat>,
    source_name: &str,
) -> Result<Program, ProgramError> {
    let (spec, format) = parse_document::<ProgramSpec>(text, format, source_name)?;
    Program::new(spec).map_err(|err| {
        let line = err.field().and_then(|field| locate(text, format, field));
        ProgramError::InFile {
            source_name: source_name.to_owned(),
            line,
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
/// [`ProgramError::Io`], or as [`parse_pathway`].
pub fn load_pathway(path: impl AsRef<Path>) -> Result<Pathway, ProgramError> {
    let path = path.as_ref();
    let text = read(path)?;
    parse_pathway(
        &text,
        FileFormat::from_path(path),
        &path.display().to_string(),
    )
}

/// Parses a pathway from text. With no format given, it is sniffed.
///
/// # Errors
///
/// [`ProgramError::UnknownFormat`] or [`ProgramError::Parse`] (including a pathway whose steps
/// are misnumbered or out of phase order).
pub fn parse_pathway(
    text: &str,
    format: Option<FileFormat>,
    source_name: &str,
) -> Result<Pathway, ProgramError> {
    parse_document::<Pathway>(text, format, source_name).map(|(pathway, _)| pathway)
}

fn read(path: &Path) -> Result<String, ProgramError> {
    std::fs::read_to_string(path).map_err(|source| ProgramError::Io {
        path: path.to_owned(),
        source,
    })
}

/// Deserializes a document, naming the field path, line and column of any fault.
fn parse_document<T: DeserializeOwned>(
    text: &str,
    format: Option<FileFormat>,
    source_name: &str,
) -> Result<(T, FileFormat), ProgramError> {
    let format =
        format
            .or_else(|| FileFormat::sniff(text))
            .ok_or_else(|| ProgramError::UnknownFormat {
                source_name: source_name.to_owned(),
            })?;
    let parse_error = |path: String, offset_or_line: Position, message: &str| {
        let (line, column) = match offset_or_line {
            Position::Offset(Some(offset)) => {
                let (line, column) = line_column(text, offset);
                (Some(line), Some(column))
            }
            Position::Offset(None) | Position::LineColumn(0, _) => (None, None),
            Position::LineColumn(line, column) => (Some(line), Some(column)),
        };
        // An unknown field's message already names it, so name only the table that holds it.
        let path = if message.starts_with("unknown field") {
            path.rsplit_once('.')
                .map_or("", |(parent, _)| parent)
                .to_owned()
        } else {
            path
        };
        let message = if path.is_empty() || path == "." {
            message.to_owned()
        } else {
            format!("{path}: {message}")
        };
        ProgramError::Parse {
            source_name: source_name.to_owned(),
            line,
            column,
            message,
        }
    };
    let value = match format {
        FileFormat::Toml => {
            let deserializer = toml::de::Deserializer::parse(text).map_err(|e| {
                parse_error(
                    String::new(),
                    Position::Offset(e.span().map(|s| s.start)),
                    e.message(),
                )
            })?;
            serde_path_to_error::deserialize(deserializer).map_err(|e| {
                let path = e.path().to_string();
                let inner = e.into_inner();
                parse_error(
                    path,
                    Position::Offset(inner.span().map(|s| s.start)),
                    inner.message(),
                )
            })?
        }
        FileFormat::Json => {
            let mut deserializer = serde_json::Deserializer::from_str(text);
            let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
                let path = e.path().to_string();
                let inner = e.into_inner();
                parse_error(
                    path,
                    Position::LineColumn(inner.line(), inner.column()),
                    &json_message(&inner),
                )
            })?;
            deserializer.end().map_err(|e| {
                parse_error(
                    String::new(),
                    Position::LineColumn(e.line(), e.column()),
                    &json_message(&e),
                )
            })?;
            value
        }
    };
    Ok((value, format))
}

enum Position {
    Offset(Option<usize>),
    LineColumn(usize, usize),
}

/// `serde_json`'s message without the " at line L column C" it appends (we report those apart).
fn json_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    text.strip_suffix(&suffix)
        .map_or_else(|| text.clone(), str::to_owned)
}

/// The 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// One step of a field path: a key or an array index.
#[derive(Debug, PartialEq, Eq)]
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// Splits `cohorts[0].schedule.sessions[2].date` into keys and indexes.
fn segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            out.push(Segment::Key(key));
        }
        while let Some((index, after)) = rest.split_once(']') {
            if let Ok(i) = index.parse() {
                out.push(Segment::Index(i));
            }
            rest = after.strip_prefix('[').unwrap_or(after);
        }
    }
    out
}

/// The line of the deepest part of `path` found in the document.
fn locate(text: &str, format: FileFormat, path: &str) -> Option<usize> {
    let segments = segments(path);
    let offset = match format {
        FileFormat::Toml => locate_toml(text, &segments),
        FileFormat::Json => locate_json(text, &segments),
    }?;
    Some(line_column(text, offset).0)
}

fn locate_toml(text: &str, path: &[Segment<'_>]) -> Option<usize> {
    use toml::de::{DeTable, DeValue};
    let root = DeTable::parse(text).ok()?;
    let mut found = None;
    let mut table: Option<&DeTable<'_>> = Some(root.get_ref());
    let mut value: Option<&DeValue<'_>> = None;
    for segment in path {
        match segment {
            Segment::Key(key) => {
                let current = table.take()?;
                let (k, v) = current.iter().find(|(k, _)| k.get_ref() == key)?;
                found = Some(k.span().start);
                value = Some(v.get_ref());
                if let DeValue::Table(t) = v.get_ref() {
                    table = Some(t);
                }
            }
            Segment::Index(i) => {
                let DeValue::Array(items) = value.take()? else {
                    return found;
                };
                let item = items.get(*i)?;
                found = Some(item.span().start);
                value = Some(item.get_ref());
                table = match item.get_ref() {
                    DeValue::Table(t) => Some(t),
                    _ => None,
                };
            }
        }
    }
    found
}

/// Follows a path through JSON text without building a tree; returns the offset of the deepest
/// key or array element found.
fn locate_json(text: &str, path: &[Segment<'_>]) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut pos = skip_ws(bytes, 0);
    let mut found = None;
    for segment in path {
        match segment {
            Segment::Key(key) => {
                if bytes.get(pos) != Some(&b'{') {
                    return found;
                }
                pos = skip_ws(bytes, pos + 1);
                loop {
                    if bytes.get(pos) != Some(&b'"') {
                        return found;
                    }
                    let key_start = pos;
                    let key_end = skip_string(bytes, pos)?;
                    let name = text.get(key_start + 1..key_end - 1)?;
                    pos = skip_ws(bytes, key_end);
                    if bytes.get(pos) != Some(&b':') {
                        return found;
                    }
                    pos = skip_ws(bytes, pos + 1);
                    if name == *key {
                        found = Some(key_start);
                        break;
                    }
                    pos = skip_ws(bytes, skip_value(bytes, pos)?);
                    if bytes.get(pos) != Some(&b',') {
                        return found;
                    }
                    pos = skip_ws(bytes, pos + 1);
                }
            }
            Segment::Index(index) => {
                if bytes.get(pos) != Some(&b'[') {
                    return found;
                }
                pos = skip_ws(bytes, pos + 1);
                for _ in 0..*index {
                    pos = skip_ws(bytes, skip_value(bytes, pos)?);
                    if bytes.get(pos) != Some(&b',') {
                        return found;
                    }
                    pos = skip_ws(bytes, pos + 1);
                }
                found = Some(pos);
            }
        }
    }
    found
}

fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while bytes.get(pos).is_some_and(u8::is_ascii_whitespace) {
        pos += 1;
    }
    pos
}

/// The offset just past the string that starts at `pos` (which holds `"`).
fn skip_string(bytes: &[u8], pos: usize) -> Option<usize> {
    let mut i = pos + 1;
    loop {
        match bytes.get(i)? {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
}

/// The offset just past the value that starts at `pos`.
fn skip_value(bytes: &[u8], pos: usize) -> Option<usize> {
    match bytes.get(pos)? {
        b'"' => skip_string(bytes, pos),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = pos;
            loop {
                match bytes.get(i)? {
                    b'"' => {
                        i = skip_string(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let mut i = pos;
            while bytes
                .get(i)
                .is_some_and(|b| !matches!(b, b',' | b']' | b'}') && !b.is_ascii_whitespace())
            {
                i += 1;
            }
            Some(i)
        }
    }
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
    fn paths_split_into_keys_and_indexes() {
        assert_eq!(
            segments("cohorts[0].schedule.sessions[12].date"),
            [
                Segment::Key("cohorts"),
                Segment::Index(0),
                Segment::Key("schedule"),
                Segment::Key("sessions"),
                Segment::Index(12),
                Segment::Key("date")
            ]
        );
    }

    #[test]
    fn a_late_session_in_toml_is_located_on_its_line() {
        let err = parse_program(TOML, Some(FileFormat::Toml), "demo.toml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "demo.toml:23: cohorts[0].schedule.sessions[1].date: LS2 (2025-09-10) is outside the program window 2025-01-01 to 2025-06-30"
        );
    }

    #[test]
    fn a_late_session_in_json_is_located_on_its_line() {
        let spec: ProgramSpec = toml::from_str(TOML).unwrap();
        let json = serde_json::to_string_pretty(&spec).unwrap();
        let err = parse_program(&json, Some(FileFormat::Json), "demo.json").unwrap_err();
        let line = json
            .lines()
            .position(|l| l.contains("\"2025-09-10\""))
            .unwrap()
            + 1;
        assert!(
            err.to_string().starts_with(&format!(
                "demo.json:{line}: cohorts[0].schedule.sessions[1].date: LS2"
            )),
            "{err}"
        );
    }

    #[test]
    fn range_errors_name_the_field_and_line() {
        let text = TOML.replace("duration_months = 6", "duration_months = 0");
        let err = parse_program(&text, Some(FileFormat::Toml), "p.toml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "p.toml:5:19: duration_months: duration must be between 1 and 60 months, got 0"
        );
        let text = TOML.replace("kind = \"collaborative\"", "kind = \"colaborative\"");
        let err = parse_program(&text, Some(FileFormat::Toml), "p.toml").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("p.toml:13:8: cohorts[0].kind: unknown variant `colaborative`"),
            "{err}"
        );
    }

    #[test]
    fn misspelt_fields_in_json_are_named_with_line_and_column() {
        let json = "{\n  \"name\": \"X\",\n  \"focuss\": \"y\"\n}";
        let err = parse_program(json, Some(FileFormat::Json), "p.json").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("p.json:3:10: unknown field `focuss`, expected one of"),
            "{err}"
        );
        let json = "{\"name\": \"X\", \"sponsor\": {\"nmae\": \"y\"}}";
        let err = parse_program(json, Some(FileFormat::Json), "p.json").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("p.json:1:32: sponsor: unknown field `nmae`"),
            "{err}"
        );
    }

    #[test]
    fn formats_are_sniffed_when_the_name_does_not_say() {
        assert_eq!(FileFormat::sniff("{\"a\": 1}"), Some(FileFormat::Json));
        assert_eq!(FileFormat::sniff("a = 1"), Some(FileFormat::Toml));
        assert_eq!(FileFormat::sniff("this is : not [ either"), None);
        let err = parse_program("<program/>", None, "p.xml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "p.xml: not a TOML or JSON file (write the program as .toml or .json)"
        );
        assert_eq!(
            FileFormat::from_path(Path::new("a/B.TOML")),
            Some(FileFormat::Toml)
        );
        assert_eq!(FileFormat::from_path(Path::new("a/b.yaml")), None);
    }

    #[test]
    fn trailing_json_is_refused() {
        let spec: ProgramSpec = toml::from_str(&TOML.replace("2025-09-10", "2025-03-10")).unwrap();
        let json = format!("{} {{}}", serde_json::to_string(&spec).unwrap());
        let err = parse_program(&json, Some(FileFormat::Json), "p.json").unwrap_err();
        assert!(err.to_string().contains("trailing characters"), "{err}");
    }

    #[test]
    fn json_locator_skips_strings_with_brackets_and_escapes() {
        let text = "{\"a\": \"x]}\\\"{\", \"b\": [1, {\"c\": [2, 3]}, {\"d\": 4}]}";
        let offset = locate_json(text, &segments("b[2].d")).unwrap();
        assert_eq!(text.get(offset..offset + 3), Some("\"d\""));
        assert!(locate_json(text, &segments("b[9]")).is_some_and(|o| o > 0));
        assert_eq!(locate_json("[", &segments("a")), None);
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
        let pathway = parse_pathway(text, Some(FileFormat::Toml), "p.toml").unwrap();
        assert_eq!(pathway.steps()[1].title, "Do");
        let bad = text.replace("number = 2", "number = 3");
        let err = parse_pathway(&bad, Some(FileFormat::Toml), "p.toml").unwrap_err();
        assert!(err.to_string().contains("numbered 3"), "{err}");
    }
}

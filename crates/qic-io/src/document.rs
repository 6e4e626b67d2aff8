//! Documents people write by hand (program files, applications, rule sets, cycles, reports,
//! mapping files), read one way everywhere.
//!
//! - **One extension rule.** `.toml` is TOML and `.json` is JSON (in any case); any other name
//!   is refused with an error that says so, rather than guessed.
//! - **A UTF-8 byte order mark is accepted** (editors on Windows write one).
//! - **One error location**, [`Location`]: the file, the line and column, and the path of the
//!   field at fault written as a JSON path (`$.team[2].lenses`), for TOML and JSON alike. Parse
//!   errors take the position from the parser and the path from `serde_path_to_error`; faults
//!   found after parsing (a cohort over capacity, a rule whose parameters disagree) are located
//!   by following their field path through the text ([`Document::locate`]).
//!
//! ```
//! use qic_io::{Document, Format};
//!
//! #[derive(serde::Deserialize)]
//! #[serde(deny_unknown_fields)]
//! struct Team { members: Vec<Member> }
//! #[derive(serde::Deserialize)]
//! #[serde(deny_unknown_fields)]
//! struct Member { name: String, lenses: Vec<String> }
//!
//! let text = "members = [\n  { name = \"A\", lenses = [] },\n  { name = \"B\", lenses = \"data\" },\n]\n";
//! let err = Document::from_text(text, Format::Toml, "team.toml").parse::<Team>().err().unwrap();
//! assert_eq!(err.to_string(), "team.toml:3:26: $.members[1].lenses: invalid type: string \"data\", expected a sequence");
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

/// The two formats of hand-written documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// TOML (`.toml`).
    Toml,
    /// JSON (`.json`).
    Json,
}

impl Format {
    /// The format a file's extension names (`.toml` or `.json`, in any case), if it names one.
    pub fn from_path(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?;
        if extension.eq_ignore_ascii_case("toml") {
            Some(Self::Toml)
        } else if extension.eq_ignore_ascii_case("json") {
            Some(Self::Json)
        } else {
            None
        }
    }

    /// The format of a file, by the one extension rule.
    ///
    /// # Errors
    ///
    /// [`DocumentError::UnknownFormat`] when the name ends in neither `.toml` nor `.json`.
    pub fn of_file(path: &Path) -> Result<Self, DocumentError> {
        Self::from_path(path).ok_or_else(|| DocumentError::UnknownFormat {
            path: path.to_path_buf(),
        })
    }

    /// `toml` or `json`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Toml => "toml",
            Self::Json => "json",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a fault is: the file (or other source), the line and column where known, and the path
/// of the field at fault where there is one.
///
/// Displayed as `file:line:column: $.field`, each part left out when unknown, so an error reads
/// `{location}: {what is wrong}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    /// The file, or a name for text that came from elsewhere (e.g. `application`).
    pub source: String,
    /// The 1-based line.
    pub line: Option<u64>,
    /// The 1-based column, in characters.
    pub column: Option<u64>,
    /// The field's path in JSON path form, e.g. `$.team[2].lenses`.
    pub field: Option<String>,
}

impl Location {
    /// A location in `source` with nothing more known yet.
    pub fn new(source: impl Into<String>) -> Self {
        Self {
            source: source.into(),
            ..Self::default()
        }
    }

    /// The same location at `line`.
    #[must_use]
    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    /// The same location at `column`.
    #[must_use]
    pub fn at_column(mut self, column: u64) -> Self {
        self.column = Some(column);
        self
    }

    /// The same location with the field's path (`team[2].lenses` or `$.team[2].lenses`).
    #[must_use]
    pub fn with_field(mut self, field: &str) -> Self {
        self.field = Some(FieldPath::parse(field).to_string());
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        Ok(())
    }
}

/// Why a document could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DocumentError {
    /// The file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The file's name ends in neither `.toml` nor `.json`.
    #[error("{}: the name ends in neither .toml nor .json, so its format is unknown (rename it)", path.display())]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
    /// The text is not what it should be: bad syntax, text that is not UTF-8, a misspelt or
    /// missing field, a value of the wrong type or out of range.
    #[error("{location}: {message}")]
    Invalid {
        /// Where.
        location: Location,
        /// What is wrong (without the position, which `location` holds).
        message: String,
    },
}

impl DocumentError {
    /// Where the fault is, for an [`DocumentError::Invalid`] document.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Self::Invalid { location, .. } => Some(location),
            _ => None,
        }
    }
}

/// Reads a `.toml` or `.json` file into `T`: the document loader of every qic crate.
///
/// # Errors
///
/// [`DocumentError::Io`] when the file cannot be read, [`DocumentError::UnknownFormat`] when its
/// name ends in neither `.toml` nor `.json`, and [`DocumentError::Invalid`] naming the file,
/// line, column and field at fault.
pub fn read_document<T: DeserializeOwned>(path: impl AsRef<Path>) -> Result<T, DocumentError> {
    Document::read(path)?.parse()
}

/// A document's text with its format and name, kept so that faults found after parsing can be
/// located in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    source: String,
    format: Format,
    text: String,
}

impl Document {
    /// Reads a file, its format given by its extension.
    ///
    /// # Errors
    ///
    /// [`DocumentError::Io`], [`DocumentError::UnknownFormat`], or [`DocumentError::Invalid`]
    /// naming the line and column of the first byte that is not UTF-8.
    pub fn read(path: impl AsRef<Path>) -> Result<Self, DocumentError> {
        let path = path.as_ref();
        let format = Format::of_file(path)?;
        let bytes = std::fs::read(path).map_err(|source| DocumentError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_bytes(bytes, format, path.display().to_string())
    }

    /// A document from bytes.
    ///
    /// # Errors
    ///
    /// [`DocumentError::Invalid`] naming the line and column of the first byte that is not
    /// UTF-8.
    pub fn from_bytes(
        bytes: Vec<u8>,
        format: Format,
        source: impl Into<String>,
    ) -> Result<Self, DocumentError> {
        let source = source.into();
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Self::from_text(text, format, source)),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let bytes = e.as_bytes();
                let before = String::from_utf8_lossy(bytes.get(..valid).unwrap_or_default());
                let (line, column) = line_column(strip_bom(&before), strip_bom(&before).len());
                Err(DocumentError::Invalid {
                    location: Location::new(source).at_line(line).at_column(column),
                    message: "the text is not UTF-8 (save the file as UTF-8)".to_owned(),
                })
            }
        }
    }

    /// A document from text (a leading byte order mark is dropped).
    pub fn from_text(text: impl Into<String>, format: Format, source: impl Into<String>) -> Self {
        let mut text = text.into();
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        Self {
            source: source.into(),
            format,
            text,
        }
    }

    /// The name used in errors.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The text, without a byte order mark.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Deserializes the document into `T`.
    ///
    /// # Errors
    ///
    /// [`DocumentError::Invalid`] naming the line, column and field at fault (a misspelt
    /// field is named in the message, and the location holds the table it is in).
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, DocumentError> {
        match self.format {
            Format::Toml => self.parse_toml(),
            Format::Json => parse_json(self.text.as_bytes(), &self.source, None),
        }
    }

    fn parse_toml<T: DeserializeOwned>(&self) -> Result<T, DocumentError> {
        let text = &self.text;
        let at = |offset: Option<usize>| {
            let mut location = Location::new(&self.source);
            if let Some(offset) = offset {
                let (line, column) = line_column(text, offset);
                location = location.at_line(line).at_column(column);
            }
            location
        };
        let deserializer = toml::de::Deserializer::parse(text).map_err(|e| {
            invalid(
                at(e.span().map(|s| s.start)),
                &FieldPath::default(),
                e.message(),
            )
        })?;
        serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let path = FieldPath::from_tracked(e.path());
            let inner = e.into_inner();
            invalid(at(inner.span().map(|s| s.start)), &path, inner.message())
        })
    }

    /// The location of a field (`cohorts[0].capacity` or `$.cohorts[0].capacity`): the line
    /// and column of the deepest part of its path found in the text, and the path.
    pub fn locate(&self, field: &str) -> Location {
        let path = FieldPath::parse(field);
        let offset = match self.format {
            Format::Toml => locate_toml(&self.text, &path.0),
            Format::Json => locate_json(&self.text, &path.0),
        };
        let mut location = Location::new(&self.source);
        if let Some(offset) = offset {
            let (line, column) = line_column(&self.text, offset);
            location = location.at_line(line).at_column(column);
        }
        if !path.0.is_empty() {
            location.field = Some(path.to_string());
        }
        location
    }

    /// An error at a field, located in the text.
    pub fn error_at(&self, field: &str, message: impl Into<String>) -> DocumentError {
        DocumentError::Invalid {
            location: self.locate(field),
            message: message.into(),
        }
    }
}

/// Deserializes one JSON value from bytes (one line of a JSON Lines file, say), naming the
/// field at fault. A byte order mark is accepted. With `line` given, the location's line is
/// that line (the value's own lines are counted from it).
///
/// # Errors
///
/// [`DocumentError::Invalid`] naming the source, line, column and field at fault.
pub fn parse_json<T: DeserializeOwned>(
    bytes: &[u8],
    source: &str,
    line: Option<u64>,
) -> Result<T, DocumentError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let at = |e: &serde_json::Error| {
        let mut location = Location::new(source);
        if e.line() > 0 {
            let first = line.unwrap_or(1);
            location = location
                .at_line(first + e.line() as u64 - 1)
                .at_column(e.column() as u64);
        } else if let Some(line) = line {
            location = location.at_line(line);
        }
        location
    };
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = FieldPath::from_tracked(e.path());
        let inner = e.into_inner();
        invalid(at(&inner), &path, &json_message(&inner))
    })?;
    deserializer
        .end()
        .map_err(|e| invalid(at(&e), &FieldPath::default(), &json_message(&e)))?;
    Ok(value)
}

/// The error for a parser's message at a field: a misspelt field is named by the message, so
/// the location holds only the table it is in.
fn invalid(mut location: Location, path: &FieldPath, message: &str) -> DocumentError {
    let message = message.trim().replace('\n', " ");
    let mut path = path.clone();
    if message.starts_with("unknown field") {
        path.0.pop();
    }
    if !path.0.is_empty() {
        location.field = Some(path.to_string());
    }
    DocumentError::Invalid { location, message }
}

/// `serde_json`'s message without the " at line L column C" it appends.
fn json_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    text.strip_suffix(&suffix)
        .map_or_else(|| text.clone(), str::to_owned)
}

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (u64, u64) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() as u64 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) as u64 + 1;
    (line, column)
}

/// One step of a field path.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// A field's path: keys and indexes from the document's root.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct FieldPath(Vec<Segment>);

impl FieldPath {
    fn from_tracked(path: &serde_path_to_error::Path) -> Self {
        use serde_path_to_error::Segment as S;
        Self(
            path.iter()
                .filter_map(|segment| match segment {
                    S::Seq { index } => Some(Segment::Index(*index)),
                    S::Map { key } => Some(Segment::Key(key.clone())),
                    S::Enum { variant } => Some(Segment::Key(variant.clone())),
                    S::Unknown => None,
                })
                .collect(),
        )
    }

    /// Reads `a.b[2].c`, `$.a.b[2].c` or `$.a["x y"]`.
    fn parse(text: &str) -> Self {
        let text = text.trim();
        let mut rest = text.strip_prefix('$').unwrap_or(text);
        let mut out = Vec::new();
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('.') {
                rest = after;
                continue;
            }
            if let Some(after) = rest.strip_prefix("[\"") {
                let (key, after) = quoted_key(after);
                out.push(Segment::Key(key));
                rest = after.strip_prefix(']').unwrap_or(after);
                continue;
            }
            if let Some(after) = rest.strip_prefix('[') {
                let (index, after) = after.split_once(']').unwrap_or((after, ""));
                match index.trim().parse() {
                    Ok(i) => out.push(Segment::Index(i)),
                    Err(_) => out.push(Segment::Key(index.to_owned())),
                }
                rest = after;
                continue;
            }
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            let (key, after) = rest.split_at(end);
            out.push(Segment::Key(key.to_owned()));
            rest = after;
        }
        Self(out)
    }
}

/// A JSON string's content up to its closing quote, unescaped, and the text after the quote.
fn quoted_key(text: &str) -> (String, &str) {
    let mut key = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (key, text.get(i + 1..).unwrap_or_default()),
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    key.push(escaped);
                }
            }
            c => key.push(c),
        }
    }
    (key, "")
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        for segment in &self.0 {
            match segment {
                Segment::Index(i) => write!(f, "[{i}]")?,
                Segment::Key(key) if is_plain_key(key) => write!(f, ".{key}")?,
                Segment::Key(key) => {
                    let quoted = serde_json::to_string(key).map_err(|_| fmt::Error)?;
                    write!(f, "[{quoted}]")?;
                }
            }
        }
        Ok(())
    }
}

fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The offset of the deepest part of `path` found in TOML text.
fn locate_toml(text: &str, path: &[Segment]) -> Option<usize> {
    use toml::de::{DeTable, DeValue};
    let root = DeTable::parse(text).ok()?;
    let mut found = None;
    let mut table: Option<&DeTable<'_>> = Some(root.get_ref());
    let mut value: Option<&DeValue<'_>> = None;
    for segment in path {
        match segment {
            Segment::Key(key) => {
                let Some(current) = table.take() else {
                    return found;
                };
                let Some((k, v)) = current.iter().find(|(k, _)| k.get_ref() == key) else {
                    return found;
                };
                found = Some(k.span().start);
                value = Some(v.get_ref());
                if let DeValue::Table(t) = v.get_ref() {
                    table = Some(t);
                }
            }
            Segment::Index(i) => {
                let Some(DeValue::Array(items)) = value.take() else {
                    return found;
                };
                let Some(item) = items.get(*i) else {
                    return found;
                };
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

/// Follows a path through JSON text without building a tree; the offset of the deepest key or
/// array element found.
fn locate_json(text: &str, path: &[Segment]) -> Option<usize> {
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
                    let Some(key_end) = skip_string(bytes, pos) else {
                        return found;
                    };
                    let name = text
                        .get(key_start..key_end)
                        .and_then(|quoted| serde_json::from_str::<String>(quoted).ok());
                    pos = skip_ws(bytes, key_end);
                    if bytes.get(pos) != Some(&b':') {
                        return found;
                    }
                    pos = skip_ws(bytes, pos + 1);
                    if name.as_deref() == Some(key.as_str()) {
                        found = Some(key_start);
                        break;
                    }
                    let Some(after) = skip_value(bytes, pos) else {
                        return found;
                    };
                    pos = skip_ws(bytes, after);
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
                    let Some(after) = skip_value(bytes, pos) else {
                        return found;
                    };
                    pos = skip_ws(bytes, after);
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
                        depth = depth.checked_sub(1)?;
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
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Application {
        cohort: String,
        #[serde(default)]
        team: Vec<Member>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Member {
        name: String,
        #[serde(default)]
        lenses: Vec<Lens>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Lens {
        Data,
        Equity,
    }

    fn json(text: &str) -> Result<Application, DocumentError> {
        Document::from_text(text, Format::Json, "app.json").parse()
    }

    fn toml(text: &str) -> Result<Application, DocumentError> {
        Document::from_text(text, Format::Toml, "app.toml").parse()
    }

    #[test]
    fn json_errors_name_the_field_path_line_and_column() {
        let text = "{\n  \"cohort\": \"a\",\n  \"team\": [\n    {\"name\": \"A\"},\n    {\"name\": \"B\"},\n    {\"name\": \"C\", \"lenses\": [\"data\", \"equty\"]}\n  ]\n}";
        let err = json(text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "app.json:6:44: $.team[2].lenses[1]: unknown variant `equty`, expected `data` or `equity`"
        );
        let location = err.location().unwrap();
        assert_eq!(location.field.as_deref(), Some("$.team[2].lenses[1]"));
    }

    #[test]
    fn toml_errors_name_the_field_path_line_and_column() {
        let text = "cohort = \"a\"\n[[team]]\nname = \"A\"\n[[team]]\nname = \"B\"\nlenses = [\"data\", 3]\n";
        let err = toml(text).unwrap_err().to_string();
        assert!(
            err.starts_with("app.toml:6:19: $.team[1].lenses[1]: "),
            "{err}"
        );
    }

    #[test]
    fn a_misspelt_field_is_named_in_the_message_and_its_table_in_the_location() {
        let err = json("{\"cohort\": \"a\", \"team\": [{\"name\": \"A\", \"lense\": []}]}")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("app.json:1:46: $.team[0]: unknown field `lense`"),
            "{err}"
        );
        let err = toml("cohort = \"a\"\nteem = []\n").unwrap_err().to_string();
        assert!(
            err.starts_with("app.toml:2:1: unknown field `teem`"),
            "{err}"
        );
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let want = Application {
            cohort: "a".into(),
            team: vec![],
        };
        assert_eq!(json("\u{feff}{\"cohort\": \"a\"}").unwrap(), want);
        assert_eq!(toml("\u{feff}cohort = \"a\"\n").unwrap(), want);
        let parsed: Application =
            parse_json(b"\xEF\xBB\xBF{\"cohort\": \"a\"}", "batch.jsonl", Some(1)).unwrap();
        assert_eq!(parsed, want);
    }

    #[test]
    fn syntax_errors_and_trailing_text_are_located() {
        let err = json("{\"cohort\": \"a\"} {}").unwrap_err().to_string();
        assert!(err.contains("trailing characters"), "{err}");
        assert!(err.starts_with("app.json:1:"), "{err}");
        let err = toml("cohort = \n").unwrap_err().to_string();
        assert!(err.starts_with("app.toml:1:"), "{err}");
    }

    #[test]
    fn json_lines_count_from_the_line_given() {
        let err = parse_json::<Application>(b"{\"cohort\": 1}", "a.jsonl", Some(7))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("a.jsonl:7:12: $.cohort: invalid type"),
            "{err}"
        );
    }

    #[test]
    fn the_extension_names_the_format_and_nothing_else_does() {
        assert_eq!(Format::from_path(Path::new("a/B.TOML")), Some(Format::Toml));
        assert_eq!(Format::from_path(Path::new("b.Json")), Some(Format::Json));
        let err = Format::of_file(Path::new("p.yaml"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "p.yaml: the name ends in neither .toml nor .json, so its format is unknown (rename it)"
        );
        assert!(Format::of_file(Path::new("noext")).is_err());
    }

    #[test]
    fn text_that_is_not_utf8_is_located() {
        let err = Document::from_bytes(b"a = 1\nb = \"\xff\"\n".to_vec(), Format::Toml, "x.toml")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "x.toml:2:6: the text is not UTF-8 (save the file as UTF-8)"
        );
    }

    #[test]
    fn fields_are_located_after_parsing() {
        let text = "cohort = \"a\"\n\n[[team]]\nname = \"A\"\n\n[[team]]\nname = \"B\"\nlenses = [\"data\"]\n";
        let doc = Document::from_text(text, Format::Toml, "app.toml");
        let location = doc.locate("team[1].lenses");
        assert_eq!(location.to_string(), "app.toml:8:1: $.team[1].lenses");
        let json_text = "{\"a\": \"x]}\\\"{\", \"b\": [1, {\"c\": [2, 3]}, {\"d\": 4}]}";
        let doc = Document::from_text(json_text, Format::Json, "x.json");
        let location = doc.locate("$.b[2].d");
        assert_eq!(location.column, Some(42));
        // A path that runs out is located at its deepest known part.
        assert_eq!(doc.locate("b[9]").line, Some(1));
        assert_eq!(doc.locate("zzz").line, None);
    }

    #[test]
    fn paths_read_and_write_as_jsonpath() {
        for (text, shown) in [
            (
                "cohorts[0].schedule.sessions[2].date",
                "$.cohorts[0].schedule.sessions[2].date",
            ),
            ("$.team[2].lenses", "$.team[2].lenses"),
            (
                "$.race[\"Black or African American\"]",
                "$.race[\"Black or African American\"]",
            ),
            ("", "$"),
        ] {
            assert_eq!(FieldPath::parse(text).to_string(), shown, "{text}");
        }
        assert_eq!(
            FieldPath::parse("$.race[\"a.b\"]").0,
            vec![Segment::Key("race".into()), Segment::Key("a.b".into())]
        );
    }

    #[test]
    fn keys_with_spaces_are_located_in_toml_and_json() {
        let doc = Document::from_text(
            "[race]\n\"B\" = \"black\"\n\"Black or AA\" = \"black\"\n",
            Format::Toml,
            "m.toml",
        );
        assert_eq!(doc.locate("$.race[\"Black or AA\"]").line, Some(3));
        let doc = Document::from_text("{\"race\": {\"a\\u0020b\": 1}}", Format::Json, "m.json");
        assert!(doc.locate("$.race[\"a b\"]").column.is_some());
    }
}

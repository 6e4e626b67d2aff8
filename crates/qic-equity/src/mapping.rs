//! From raw values (standard codes, local codes, free text) to reporting categories.
//!
//! A [`Mapping`] holds a table per dimension. [`Mapping::standard`] knows the standard codes (CDC
//! race and ethnicity codes, SNOMED CT codes and HL7 null flavors of USCDI, LOINC answers for
//! interpreter need, ISO 639 codes) and the common spellings of each category; a data steward
//! adds local codes with [`Mapping::insert`] or a mapping file (CSV `dimension,raw,category`, or
//! TOML with one table per dimension). User entries win over built-in ones.
//!
//! Lookups ignore case, surrounding space and punctuation (`Black/African-American` and
//! `black african american` are the same key). A value that maps to nothing is
//! [`Classified::Unmapped`]: it is counted and listed, never dropped and never guessed.
//!
//! Null flavors: `ASKU` means "chose not to disclose" ([`Classified::Declined`]), as in the ONC
//! sexual orientation and gender identity lists (HL7 defines it as "asked but unknown"); `UNK`
//! means [`Classified::Unknown`]; `NASK` (not asked) and `NI` (no information) count as
//! [`Classified::Missing`], like an empty cell; `OTH` is an answer ("something else").
//!
//! Race (both OMB standards) may hold several answers in one cell, separated by `;` or `|`
//! (configurable). A cell with several parts is unmapped if any part is unmapped; otherwise its
//! categories are the categories of its parts, and declined or unknown parts next to a category
//! are ignored. How several categories roll up into reporting strata is the caller's choice,
//! [`MultipleRule`].

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

#[cfg(any(feature = "csv", feature = "toml"))]
use crate::EquityError;
use crate::codes::{
    Category, Dimension, GenderIdentity, LanguageTag, Omb1997Ethnicity, Omb1997Race,
    Omb2024Category, SexualOrientation,
};

/// What a raw value means once mapped: a category, or a reason there is none.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Answer {
    /// A reporting category.
    Category(Category),
    /// The patient chose not to answer.
    Declined,
    /// The answer is recorded as not known.
    Unknown,
    /// No answer is recorded (the value is a placeholder for "nothing", like `NASK`).
    Missing,
}

impl Answer {
    /// Parses the target of a mapping entry: a category code of `dimension` (see
    /// [`Category::from_code`]), or `declined`, `unknown` or `missing`.
    ///
    /// ```
    /// use qic_equity::codes::{Category, Dimension, Omb1997Race};
    /// use qic_equity::mapping::Answer;
    ///
    /// assert_eq!(Answer::parse(Dimension::Race, "white"), Some(Answer::Category(Category::Race(Omb1997Race::White))));
    /// assert_eq!(Answer::parse(Dimension::Race, "Declined"), Some(Answer::Declined));
    /// assert_eq!(Answer::parse(Dimension::Race, "hispanic_or_latino"), None);
    /// ```
    pub fn parse(dimension: Dimension, target: &str) -> Option<Self> {
        match target.trim().to_ascii_lowercase().as_str() {
            "declined" => Some(Self::Declined),
            "unknown" => Some(Self::Unknown),
            "missing" => Some(Self::Missing),
            _ => Category::from_code(dimension, target).map(Self::Category),
        }
    }
}

/// A record's value for one dimension, classified.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Classified {
    /// One or more categories (several only for race), sorted and without duplicates.
    Categories(Vec<Category>),
    /// The patient chose not to answer.
    Declined,
    /// The answer is recorded as not known.
    Unknown,
    /// The cell is empty or holds a "no information" placeholder.
    Missing,
    /// The cell holds a value that no mapping entry covers.
    Unmapped,
}

impl Classified {
    /// The status of the value, without its categories.
    pub fn status(&self) -> Status {
        match self {
            Self::Categories(_) => Status::Usable,
            Self::Declined => Status::Declined,
            Self::Unknown => Status::Unknown,
            Self::Missing => Status::Missing,
            Self::Unmapped => Status::Unmapped,
        }
    }

    /// The reporting categories under a roll-up rule: none for a status, one for a single
    /// answer, one or several for several answers (see [`MultipleRule`]).
    pub fn roll_up(&self, rule: MultipleRule) -> Vec<Category> {
        let Self::Categories(categories) = self else {
            return Vec::new();
        };
        if categories.len() <= 1 {
            return categories.clone();
        }
        match rule {
            MultipleRule::Multiracial => vec![Category::Multiracial],
            MultipleRule::EachSelected => categories.clone(),
            MultipleRule::HispanicOrLatinoFirst => {
                let hispanic = Category::RaceEthnicity(Omb2024Category::HispanicOrLatino);
                if categories.contains(&hispanic) {
                    vec![hispanic]
                } else {
                    vec![Category::Multiracial]
                }
            }
        }
    }
}

/// The five statuses a value can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// At least one reporting category.
    Usable,
    /// The patient chose not to answer.
    Declined,
    /// Recorded as not known.
    Unknown,
    /// Empty, or a "no information" placeholder.
    Missing,
    /// A value no mapping covers.
    Unmapped,
}

impl Status {
    /// The five statuses, in reporting order.
    pub const ALL: [Self; 5] = [
        Self::Usable,
        Self::Declined,
        Self::Unknown,
        Self::Missing,
        Self::Unmapped,
    ];

    /// The spelling in outputs (`usable`, `declined`, ...).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Usable => "usable",
            Self::Declined => "declined",
            Self::Unknown => "unknown",
            Self::Missing => "missing",
            Self::Unmapped => "unmapped",
        }
    }
}

/// How a record with several race answers is reported.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MultipleRule {
    /// One stratum, [`Category::Multiracial`], for every record with two or more categories.
    /// Strata add up to the total. The default.
    #[default]
    Multiracial,
    /// The record counts once in each category it names ("alone or in combination"). Strata add
    /// up to more than the total, so their sum must not be read as a total.
    EachSelected,
    /// For the OMB 2024 question: a record naming Hispanic or Latino is reported as Hispanic or
    /// Latino, whatever else it names; other records with two or more categories are
    /// Multiracial.
    HispanicOrLatinoFirst,
}

/// Raw value to category tables, per dimension.
///
/// ```
/// use qic_equity::codes::{Category, Dimension, Omb1997Race};
/// use qic_equity::mapping::{Answer, Classified, Mapping};
///
/// let mut mapping = Mapping::standard();
/// mapping.insert(Dimension::Race, "R05", Answer::Category(Category::Race(Omb1997Race::White)));
/// assert_eq!(mapping.classify(Dimension::Race, "2054-5"), Classified::Categories(vec![Category::Race(Omb1997Race::BlackOrAfricanAmerican)]));
/// assert_eq!(mapping.classify(Dimension::Race, "r05"), Classified::Categories(vec![Category::Race(Omb1997Race::White)]));
/// assert_eq!(mapping.classify(Dimension::Race, "R99"), Classified::Unmapped);
/// assert_eq!(mapping.classify(Dimension::Race, "  "), Classified::Missing);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Mapping {
    entries: HashMap<(Dimension, String), Answer>,
    separators: Vec<char>,
}

impl Default for Mapping {
    fn default() -> Self {
        Self::standard()
    }
}

/// A lookup key: lower case, every run of characters other than letters and digits turned into
/// one space, trimmed.
pub fn normalize_key(raw: &str) -> String {
    let mut key = String::with_capacity(raw.len());
    let mut pending_space = false;
    for c in raw.chars() {
        if c.is_alphanumeric() {
            if pending_space && !key.is_empty() {
                key.push(' ');
            }
            pending_space = false;
            key.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    key
}

impl Mapping {
    /// The built-in tables: standard codes and common spellings of every dimension.
    pub fn standard() -> Self {
        let mut mapping = Self::empty();
        for (dimension, keys, answer) in builtin_entries() {
            for key in keys {
                mapping.insert(dimension, key, answer.clone());
            }
        }
        mapping
    }

    /// A mapping with no entries (every non-empty value is unmapped until entries are added;
    /// language tags are still recognized by their shape).
    pub fn empty() -> Self {
        Self {
            entries: HashMap::new(),
            separators: vec![';', '|'],
        }
    }

    /// Sets the characters that separate several answers in one race cell (default `;` and
    /// `|`).
    #[must_use]
    pub fn with_separators(mut self, separators: &[char]) -> Self {
        self.separators = separators.to_vec();
        self
    }

    /// Maps `raw` (compared after [`normalize_key`]) to `answer` in `dimension`, replacing any
    /// earlier entry for the same key.
    pub fn insert(&mut self, dimension: Dimension, raw: &str, answer: Answer) {
        self.entries.insert((dimension, normalize_key(raw)), answer);
    }

    /// How many entries the tables hold.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the tables are empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn lookup(&self, dimension: Dimension, raw: &str) -> Option<Answer> {
        if let Some(answer) = self.entries.get(&(dimension, normalize_key(raw))) {
            return Some(answer.clone());
        }
        if dimension == Dimension::PreferredLanguage {
            return raw
                .parse::<LanguageTag>()
                .ok()
                .map(|t| Answer::Category(Category::Language(t.language().to_owned())));
        }
        None
    }

    /// Classifies one cell's raw value for `dimension`.
    pub fn classify(&self, dimension: Dimension, raw: &str) -> Classified {
        let raw = raw.trim();
        if raw.is_empty() {
            return Classified::Missing;
        }
        if let Some(answer) = self.lookup(dimension, raw) {
            return from_answers(&[answer]);
        }
        if dimension.allows_several() && raw.contains(self.separators.as_slice()) {
            let mut answers = Vec::new();
            for part in raw.split(self.separators.as_slice()) {
                let part = part.trim();
                if part.is_empty() {
                    continue;
                }
                match self.lookup(dimension, part) {
                    Some(answer) => answers.push(answer),
                    None => return Classified::Unmapped,
                }
            }
            return from_answers(&answers);
        }
        Classified::Unmapped
    }

    /// Adds the entries of a mapping file: CSV (`.csv`, see [`Mapping::add_csv`]), or TOML or
    /// JSON (`.toml`, `.json`, see [`Mapping::add_toml`]). No line of a CSV file may be longer
    /// than `max_line_bytes`.
    ///
    /// # Errors
    ///
    /// [`EquityError::Io`] when the file cannot be read, [`EquityError::Document`] when its name
    /// ends otherwise or a TOML or JSON file does not parse, and as [`Mapping::add_csv`] and
    /// [`Mapping::add_toml`].
    #[cfg(all(feature = "csv", feature = "toml"))]
    pub fn add_file(
        &mut self,
        path: &std::path::Path,
        max_line_bytes: usize,
    ) -> Result<(), EquityError> {
        let is_csv = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if is_csv {
            let file = std::fs::File::open(path).map_err(|source| EquityError::Io {
                path: path.to_path_buf(),
                source,
            })?;
            return self.add_csv_with(file, &path.display().to_string(), max_line_bytes);
        }
        match qic_io::Document::read(path) {
            Ok(document) => self.add_document(&document),
            Err(qic_io::DocumentError::UnknownFormat { .. }) => Err(EquityError::Mapping {
                location: qic_io::Location::new(path.display().to_string()),
                message: "a mapping file is .csv, .toml or .json".to_owned(),
            }),
            Err(e) => Err(e.into()),
        }
    }

    /// Adds the entries of a mapping file in CSV whose header begins `dimension,raw,category`
    /// (see [`Answer::parse`] for the targets; further columns, such as the record counts of an
    /// unmapped-values listing, are ignored). `source_name` names the file in errors. Lines are
    /// at most [`qic_io::DEFAULT_MAX_LINE_BYTES`] long.
    ///
    /// # Errors
    ///
    /// [`EquityError::Mapping`] naming the line of an unknown dimension or category, a missing
    /// header, a column named twice, a row with too few fields, a line too long, or a raw
    /// value that the file maps to two different categories.
    ///
    /// # Examples
    ///
    /// ```
    /// use qic_equity::codes::Dimension;
    /// use qic_equity::mapping::{Classified, Mapping};
    ///
    /// let file = "dimension,raw,category\nrace,B,black_or_african_american\nrace,X,declined\n";
    /// let mut mapping = Mapping::standard();
    /// mapping.add_csv(file.as_bytes(), "local.csv")?;
    /// assert_eq!(mapping.classify(Dimension::Race, "x"), Classified::Declined);
    ///
    /// let conflict = "dimension,raw,category\r\nrace,B,black_or_african_american\r\n\r\nrace,b,white\r\n";
    /// let err = Mapping::standard().add_csv(conflict.as_bytes(), "local.csv").unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "local.csv:4: line 2 maps the same raw value to another category (one category per value and file)"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "csv")]
    pub fn add_csv(
        &mut self,
        reader: impl std::io::Read,
        source_name: &str,
    ) -> Result<(), EquityError> {
        self.add_csv_with(reader, source_name, qic_io::DEFAULT_MAX_LINE_BYTES)
    }

    #[cfg(feature = "csv")]
    fn add_csv_with(
        &mut self,
        reader: impl std::io::Read,
        source_name: &str,
        max_line_bytes: usize,
    ) -> Result<(), EquityError> {
        use qic_io::{LineCounter, LineLimit, LineTooLong, Location};
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(LineCounter::new(LineLimit::new(reader, max_line_bytes)));
        let err = |line: u64, message: String| EquityError::Mapping {
            location: Location::new(source_name).at_line(line),
            message,
        };
        let mut record = csv::StringRecord::new();
        let read = |csv: &mut csv::Reader<LineCounter<LineLimit<_>>>,
                    record: &mut csv::StringRecord|
         -> Result<Option<u64>, EquityError> {
            match csv.read_record(record) {
                Ok(true) => {
                    let reported = record.position().map_or(0, csv::Position::byte);
                    Ok(Some(csv.get_mut().record_start(reported).line))
                }
                Ok(false) => Ok(None),
                Err(e) => {
                    if let csv::ErrorKind::Io(io) = e.kind()
                        && let Some(too_long) = LineTooLong::from_io(io)
                    {
                        return Err(err(too_long.line, too_long.to_string()));
                    }
                    let line = e
                        .position()
                        .map_or(1, |p| csv.get_mut().record_start(p.byte()).line);
                    Err(err(line, "the record cannot be read as CSV".to_owned()))
                }
            }
        };
        let Some(header_line) = read(&mut csv, &mut record)? else {
            return Err(err(1, "the file is empty: no header".to_owned()));
        };
        let names: Vec<String> = qic_io::header_names(record.iter())
            .into_iter()
            .map(|name| name.to_ascii_lowercase())
            .collect();
        if names.get(..3) != Some(&["dimension", "raw", "category"].map(String::from)[..]) {
            return Err(err(
                header_line,
                "the header must begin `dimension,raw,category`".to_owned(),
            ));
        }
        if let Some(twice) = qic_io::DuplicateColumn::find(&names) {
            return Err(err(header_line, twice.to_string()));
        }
        let mut entries = FileEntries::default();
        while let Some(line) = read(&mut csv, &mut record)? {
            let (Some(dimension), Some(raw), Some(target)) =
                (record.get(0), record.get(1), record.get(2))
            else {
                return Err(err(
                    line,
                    format!("expected at least 3 fields, found {}", record.len()),
                ));
            };
            let (dimension, answer) =
                parse_entry(dimension, raw, target).map_err(|message| err(line, message))?;
            entries
                .add(dimension, raw, answer, line)
                .map_err(|message| err(line, message))?;
        }
        entries.apply(self);
        Ok(())
    }

    /// Adds the entries of a mapping file in TOML: one table per dimension, each key a raw value
    /// and each value a category (see [`Answer::parse`]). JSON of the same shape is read by
    /// [`Mapping::add_file`].
    ///
    /// ```toml
    /// [race]
    /// "B" = "black_or_african_american"
    /// "99" = "declined"
    /// ```
    ///
    /// # Errors
    ///
    /// [`EquityError::Document`] for a syntax error, and [`EquityError::Mapping`] naming the
    /// line and field of an unknown dimension or category, or of two keys that are the same raw
    /// value (`B` and `b`) mapped to different categories.
    ///
    /// # Examples
    ///
    /// ```
    /// use qic_equity::codes::{Category, Dimension, SexualOrientation};
    /// use qic_equity::mapping::{Classified, Mapping};
    ///
    /// let mut mapping = Mapping::standard();
    /// mapping.add_toml("[sexual_orientation]\nSO3 = \"bisexual\"\n", "local.toml")?;
    /// assert_eq!(
    ///     mapping.classify(Dimension::SexualOrientation, "SO3"),
    ///     Classified::Categories(vec![Category::SexualOrientation(SexualOrientation::Bisexual)]),
    /// );
    /// let err = mapping.add_toml("[race]\n\"B\" = \"blak\"\n", "local.toml").unwrap_err();
    /// assert!(err.to_string().starts_with("local.toml:2:1: $.race.B: `blak` is not a category of race"), "{err}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "toml")]
    pub fn add_toml(&mut self, text: &str, source_name: &str) -> Result<(), EquityError> {
        self.add_document(&qic_io::Document::from_text(
            text,
            qic_io::Format::Toml,
            source_name,
        ))
    }

    #[cfg(feature = "toml")]
    fn add_document(&mut self, document: &qic_io::Document) -> Result<(), EquityError> {
        type Tables =
            std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>;
        let tables: Tables = document.parse()?;
        let at = |path: &[&str], message: String| {
            // Keys in brackets, so that any raw value can be named.
            let field: String = path.iter().map(|key| bracketed(key)).collect();
            let location = document.locate(&field);
            EquityError::Mapping { location, message }
        };
        let mut entries = FileEntries::default();
        for (dimension, raws) in &tables {
            for (raw, target) in raws {
                let (parsed, answer) = parse_entry(dimension, raw, target)
                    .map_err(|message| at(&[dimension, raw], message))?;
                let line = document.locate(&(bracketed(dimension) + &bracketed(raw)));
                entries
                    .add(parsed, raw, answer, line.line.unwrap_or(0))
                    .map_err(|message| at(&[dimension, raw], message))?;
            }
            if raws.is_empty() {
                dimension
                    .parse::<Dimension>()
                    .map_err(|e| at(&[dimension], e.to_string()))?;
            }
        }
        entries.apply(self);
        Ok(())
    }
}

/// A key of a field path in brackets: `["text"]`, quoted as a JSON string.
#[cfg(feature = "toml")]
fn bracketed(text: &str) -> String {
    let mut out = String::from("[\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push_str("\"]");
    out
}

/// Reads one entry of a mapping file.
#[cfg(any(feature = "csv", feature = "toml"))]
fn parse_entry(dimension: &str, raw: &str, target: &str) -> Result<(Dimension, Answer), String> {
    let dimension: Dimension = dimension.parse().map_err(|e| format!("{e}"))?;
    if normalize_key(raw).is_empty() {
        return Err("the raw value is empty (empty cells are always missing)".to_owned());
    }
    let answer = Answer::parse(dimension, target).ok_or_else(|| {
        format!(
            "`{}` is not a category of {dimension} (nor declined, unknown or missing)",
            target.trim()
        )
    })?;
    Ok((dimension, answer))
}

/// The entries of one mapping file, checked against each other before any is added: a file
/// must not map one raw value (as compared: `B` and `b` are one) to two answers.
#[cfg(any(feature = "csv", feature = "toml"))]
#[derive(Default)]
struct FileEntries {
    entries: Vec<(Dimension, String, Answer)>,
    /// (dimension, normalized key) -> (answer, line of its first entry).
    seen: HashMap<(Dimension, String), (Answer, u64)>,
}

#[cfg(any(feature = "csv", feature = "toml"))]
impl FileEntries {
    /// Adds an entry found at `line`; an error when an earlier line maps the same raw value
    /// to another answer. (Errors name lines, not values: raw values can come from records.)
    fn add(
        &mut self,
        dimension: Dimension,
        raw: &str,
        answer: Answer,
        line: u64,
    ) -> Result<(), String> {
        let key = (dimension, normalize_key(raw));
        if let Some((first, first_line)) = self.seen.get(&key) {
            if *first != answer {
                return Err(format!(
                    "line {first_line} maps the same raw value to another category (one category per value and file)"
                ));
            }
            return Ok(());
        }
        self.seen.insert(key, (answer.clone(), line));
        self.entries.push((dimension, raw.to_owned(), answer));
        Ok(())
    }

    fn apply(self, mapping: &mut Mapping) {
        for (dimension, raw, answer) in self.entries {
            mapping.insert(dimension, &raw, answer);
        }
    }
}

/// Combines the answers of one cell's parts.
fn from_answers(answers: &[Answer]) -> Classified {
    let mut categories: Vec<Category> = answers
        .iter()
        .filter_map(|a| match a {
            Answer::Category(c) => Some(c.clone()),
            _ => None,
        })
        .collect();
    if !categories.is_empty() {
        categories.sort();
        categories.dedup();
        return Classified::Categories(categories);
    }
    if answers.contains(&Answer::Declined) {
        Classified::Declined
    } else if answers.contains(&Answer::Unknown) {
        Classified::Unknown
    } else {
        Classified::Missing
    }
}

/// The spellings every dimension shares for its statuses.
const DECLINED: &[&str] = &[
    "ASKU",
    "declined",
    "patient declined",
    "declined to answer",
    "declined to specify",
    "refused",
    "refused to answer",
    "choose not to disclose",
    "chose not to disclose",
    "prefer not to answer",
    "prefer not to say",
];
const UNKNOWN: &[&str] = &["UNK", "unknown", "don't know", "do not know", "not known"];
const MISSING: &[&str] = &[
    "missing",
    "NASK",
    "not asked",
    "NI",
    "no information",
    "null",
    "N/A",
];

type Entry = (Dimension, Vec<&'static str>, Answer);

fn builtin_entries() -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for d in Dimension::ALL {
        out.push((d, DECLINED.to_vec(), Answer::Declined));
        out.push((d, UNKNOWN.to_vec(), Answer::Unknown));
        out.push((d, MISSING.to_vec(), Answer::Missing));
    }
    race_entries(&mut out);
    language_entries(&mut out);
    sogi_entries(&mut out);
    out
}

#[allow(clippy::too_many_lines)] // A data table, read top to bottom: one entry per category.
fn race_entries(out: &mut Vec<Entry>) {
    use Dimension as D;
    let cat = Answer::Category;
    // Race under both standards: CDC codes, labels and common spellings.
    let race_spellings: [(Omb1997Race, Omb2024Category, &[&str]); 5] = [
        (
            Omb1997Race::AmericanIndianOrAlaskaNative,
            Omb2024Category::AmericanIndianOrAlaskaNative,
            &[
                "1002-5",
                "American Indian or Alaska Native",
                "American Indian",
                "Alaska Native",
                "American Indian/Alaskan Native",
                "Native American",
                "AIAN",
            ],
        ),
        (
            Omb1997Race::Asian,
            Omb2024Category::Asian,
            &["2028-9", "Asian", "Asian American"],
        ),
        (
            Omb1997Race::BlackOrAfricanAmerican,
            Omb2024Category::BlackOrAfricanAmerican,
            &[
                "2054-5",
                "Black or African American",
                "Black",
                "African American",
            ],
        ),
        (
            Omb1997Race::NativeHawaiianOrOtherPacificIslander,
            Omb2024Category::NativeHawaiianOrPacificIslander,
            &[
                "2076-8",
                "Native Hawaiian or Other Pacific Islander",
                "Native Hawaiian or Pacific Islander",
                "Native Hawaiian",
                "Pacific Islander",
                "NHPI",
                "NHOPI",
            ],
        ),
        (
            Omb1997Race::White,
            Omb2024Category::White,
            &["2106-3", "White", "Caucasian"],
        ),
    ];
    for (r1997, r2024, spellings) in race_spellings {
        out.push((D::Race, spellings.to_vec(), cat(Category::Race(r1997))));
        out.push((
            D::RaceEthnicity,
            spellings.to_vec(),
            cat(Category::RaceEthnicity(r2024)),
        ));
    }
    let other_race = vec!["2131-1", "Other Race", "Some Other Race", "Other", "OTH"];
    let multiracial = vec![
        "Multiracial",
        "Multiracial and/or Multiethnic",
        "Two or more races",
        "Multiple races",
        "More than one race",
    ];
    for d in [D::Race, D::RaceEthnicity] {
        out.push((d, other_race.clone(), cat(Category::OtherRace)));
        out.push((d, multiracial.clone(), cat(Category::Multiracial)));
    }
    let hispanic = vec![
        "2135-2",
        "Hispanic or Latino",
        "Hispanic",
        "Latino",
        "Latina",
        "Latinx",
        "Latine",
        "Hispanic/Latino",
    ];
    out.push((
        D::Ethnicity,
        hispanic.clone(),
        cat(Category::Ethnicity(Omb1997Ethnicity::HispanicOrLatino)),
    ));
    out.push((
        D::RaceEthnicity,
        hispanic,
        cat(Category::RaceEthnicity(Omb2024Category::HispanicOrLatino)),
    ));
    out.push((
        D::Ethnicity,
        vec![
            "2186-5",
            "Not Hispanic or Latino",
            "Not Hispanic",
            "Non-Hispanic",
            "Not Latino",
            "Non-Hispanic or Latino",
        ],
        cat(Category::Ethnicity(Omb1997Ethnicity::NotHispanicOrLatino)),
    ));
    out.push((
        D::RaceEthnicity,
        vec![
            "Middle Eastern or North African",
            "Middle Eastern",
            "North African",
            "MENA",
        ],
        cat(Category::RaceEthnicity(
            Omb2024Category::MiddleEasternOrNorthAfrican,
        )),
    ));
}

fn language_entries(out: &mut Vec<Entry>) {
    use Dimension as D;
    let cat = Answer::Category;
    // Preferred language: English names and ISO 639-2 codes of languages common in US care.
    let languages: [(&str, &[&str]); 32] = [
        ("en", &["English", "eng"]),
        ("es", &["Spanish", "Español", "Espanol", "spa"]),
        ("zh", &["Chinese", "chi", "zho"]),
        ("cmn", &["Mandarin"]),
        ("yue", &["Cantonese"]),
        ("vi", &["Vietnamese", "vie"]),
        ("tl", &["Tagalog", "tgl"]),
        ("fil", &["Filipino"]),
        ("ko", &["Korean", "kor"]),
        ("ar", &["Arabic", "ara"]),
        ("ru", &["Russian", "rus"]),
        ("fr", &["French", "fre", "fra"]),
        ("ht", &["Haitian Creole", "Haitian", "hat"]),
        ("pt", &["Portuguese", "por"]),
        ("so", &["Somali", "som"]),
        ("hmn", &["Hmong"]),
        ("pl", &["Polish", "pol"]),
        ("de", &["German", "ger", "deu"]),
        ("ja", &["Japanese", "jpn"]),
        ("hi", &["Hindi", "hin"]),
        ("ne", &["Nepali", "nep"]),
        ("am", &["Amharic", "amh"]),
        ("it", &["Italian", "ita"]),
        ("fa", &["Persian", "Farsi", "per", "fas"]),
        ("ur", &["Urdu", "urd"]),
        ("bn", &["Bengali", "Bangla", "ben"]),
        ("pa", &["Punjabi", "pan"]),
        ("uk", &["Ukrainian", "ukr"]),
        ("sw", &["Swahili", "swa"]),
        ("km", &["Khmer", "Cambodian", "khm"]),
        ("my", &["Burmese", "bur", "mya"]),
        ("ase", &["American Sign Language", "ASL", "Sign Language"]),
    ];
    for (code, names) in languages {
        out.push((
            D::PreferredLanguage,
            names.to_vec(),
            cat(Category::Language(code.to_owned())),
        ));
    }
    out.push((
        D::PreferredLanguage,
        vec!["und", "undetermined"],
        Answer::Unknown,
    ));
}

#[allow(clippy::too_many_lines)] // A data table, read top to bottom: one entry per category.
fn sogi_entries(out: &mut Vec<Entry>) {
    use Dimension as D;
    let cat = Answer::Category;
    out.push((
        D::InterpreterNeeded,
        vec!["yes", "y", "true", "1", "LA33-6", "interpreter needed"],
        cat(Category::InterpreterNeeded(true)),
    ));
    out.push((
        D::InterpreterNeeded,
        vec!["no", "n", "false", "0", "LA32-8", "no interpreter needed"],
        cat(Category::InterpreterNeeded(false)),
    ));

    let orientations: [(SexualOrientation, &[&str]); 4] = [
        (
            SexualOrientation::LesbianGayOrHomosexual,
            &[
                "38628009",
                "Lesbian, gay or homosexual",
                "Lesbian or gay",
                "Lesbian",
                "Gay",
                "Homosexual",
            ],
        ),
        (
            SexualOrientation::StraightOrHeterosexual,
            &[
                "20430005",
                "Straight or heterosexual",
                "Straight",
                "Heterosexual",
            ],
        ),
        (SexualOrientation::Bisexual, &["42035005", "Bisexual"]),
        (
            SexualOrientation::SomethingElse,
            &[
                "OTH",
                "Something else",
                "Something else, please describe",
                "Other",
            ],
        ),
    ];
    for (o, spellings) in orientations {
        out.push((
            D::SexualOrientation,
            spellings.to_vec(),
            cat(Category::SexualOrientation(o)),
        ));
    }

    let identities: [(GenderIdentity, &[&str]); 7] = [
        (
            GenderIdentity::Male,
            &[
                "446151000124109",
                "Male",
                "Man",
                "Identifies as male gender",
            ],
        ),
        (
            GenderIdentity::Female,
            &[
                "446141000124107",
                "Female",
                "Woman",
                "Identifies as female gender",
            ],
        ),
        (
            GenderIdentity::TransgenderMale,
            &[
                "407377005",
                "Transgender male",
                "Transgender man",
                "Trans man",
                "Female-to-male",
                "FTM",
            ],
        ),
        (
            GenderIdentity::TransgenderFemale,
            &[
                "407376001",
                "Transgender female",
                "Transgender woman",
                "Trans woman",
                "Male-to-female",
                "MTF",
            ],
        ),
        (
            GenderIdentity::Nonbinary,
            &[
                "33791000087105",
                "Nonbinary",
                "Non-binary",
                "Identifies as nonbinary gender",
            ],
        ),
        (
            GenderIdentity::Genderqueer,
            &[
                "446131000124102",
                "Genderqueer",
                "Gender non-conforming",
                "Non-conforming",
                "Genderqueer, neither exclusively male nor female",
                "Identifies as non-conforming gender",
            ],
        ),
        (
            GenderIdentity::Other,
            &[
                "OTH",
                "Other",
                "Something else",
                "Additional gender category",
            ],
        ),
    ];
    for (g, spellings) in identities {
        out.push((
            D::GenderIdentity,
            spellings.to_vec(),
            cat(Category::GenderIdentity(g)),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(c: Category) -> Classified {
        Classified::Categories(vec![c])
    }

    #[test]
    fn keys_ignore_case_space_and_punctuation() {
        assert_eq!(
            normalize_key("  Black/African-American "),
            "black african american"
        );
        assert_eq!(normalize_key("Don't know"), "don t know");
        assert_eq!(normalize_key("2054-5"), "2054 5");
        assert_eq!(normalize_key("--"), "");
    }

    #[test]
    fn standard_codes_map_in_each_dimension() {
        use Dimension as D;
        let m = Mapping::standard();
        assert_eq!(
            m.classify(D::Race, "2076-8"),
            one(Category::Race(
                Omb1997Race::NativeHawaiianOrOtherPacificIslander
            ))
        );
        assert_eq!(
            m.classify(D::RaceEthnicity, "2076-8"),
            one(Category::RaceEthnicity(
                Omb2024Category::NativeHawaiianOrPacificIslander
            ))
        );
        assert_eq!(
            m.classify(D::Ethnicity, "2186-5"),
            one(Category::Ethnicity(Omb1997Ethnicity::NotHispanicOrLatino))
        );
        assert_eq!(
            m.classify(D::RaceEthnicity, "Middle Eastern"),
            one(Category::RaceEthnicity(
                Omb2024Category::MiddleEasternOrNorthAfrican
            ))
        );
        assert_eq!(
            m.classify(D::SexualOrientation, "42035005"),
            one(Category::SexualOrientation(SexualOrientation::Bisexual))
        );
        assert_eq!(
            m.classify(D::GenderIdentity, "33791000087105"),
            one(Category::GenderIdentity(GenderIdentity::Nonbinary))
        );
        assert_eq!(
            m.classify(D::InterpreterNeeded, "LA33-6"),
            one(Category::InterpreterNeeded(true))
        );
        assert_eq!(
            m.classify(D::PreferredLanguage, "es-MX"),
            one(Category::Language("es".into()))
        );
        assert_eq!(
            m.classify(D::PreferredLanguage, "Spanish"),
            one(Category::Language("es".into()))
        );
        assert_eq!(
            m.classify(D::PreferredLanguage, "eng"),
            one(Category::Language("en".into()))
        );
    }

    #[test]
    fn null_flavors_are_statuses_not_categories() {
        let m = Mapping::standard();
        for d in Dimension::ALL {
            assert_eq!(m.classify(d, "ASKU"), Classified::Declined, "{d}");
            assert_eq!(m.classify(d, "unk"), Classified::Unknown, "{d}");
            assert_eq!(m.classify(d, "NASK"), Classified::Missing, "{d}");
            assert_eq!(m.classify(d, ""), Classified::Missing, "{d}");
        }
        assert_eq!(
            m.classify(Dimension::SexualOrientation, "OTH"),
            one(Category::SexualOrientation(
                SexualOrientation::SomethingElse
            ))
        );
        assert_eq!(
            m.classify(Dimension::PreferredLanguage, "und"),
            Classified::Unknown
        );
    }

    #[test]
    fn hispanic_is_not_a_1997_race_and_is_not_guessed() {
        let m = Mapping::standard();
        assert_eq!(
            m.classify(Dimension::Race, "Hispanic"),
            Classified::Unmapped
        );
        assert_eq!(m.classify(Dimension::Race, "Klingon"), Classified::Unmapped);
        assert_eq!(
            m.classify(Dimension::PreferredLanguage, "English (US)"),
            Classified::Unmapped
        );
    }

    #[test]
    fn several_races_in_one_cell() {
        let m = Mapping::standard();
        let both = m.classify(Dimension::Race, "2106-3; 2054-5");
        assert_eq!(
            both,
            Classified::Categories(vec![
                Category::Race(Omb1997Race::BlackOrAfricanAmerican),
                Category::Race(Omb1997Race::White)
            ])
        );
        assert_eq!(
            both.roll_up(MultipleRule::Multiracial),
            vec![Category::Multiracial]
        );
        assert_eq!(both.roll_up(MultipleRule::EachSelected).len(), 2);
        // The same race twice is one race.
        assert_eq!(
            m.classify(Dimension::Race, "White|Caucasian"),
            one(Category::Race(Omb1997Race::White))
        );
        // One unmapped part makes the whole cell unmapped.
        assert_eq!(
            m.classify(Dimension::Race, "White;Q7"),
            Classified::Unmapped
        );
        // A declined part beside a race is ignored; only statuses give the status.
        assert_eq!(
            m.classify(Dimension::Race, "White;ASKU"),
            one(Category::Race(Omb1997Race::White))
        );
        assert_eq!(
            m.classify(Dimension::Race, "UNK;ASKU"),
            Classified::Declined
        );
        // Ethnicity is a single answer: a separator is not split.
        assert_eq!(
            m.classify(Dimension::Ethnicity, "2135-2;2186-5"),
            Classified::Unmapped
        );
    }

    #[test]
    fn hispanic_first_rule_for_the_2024_question() {
        let m = Mapping::standard();
        let c = m.classify(Dimension::RaceEthnicity, "Hispanic;White");
        assert_eq!(
            c.roll_up(MultipleRule::HispanicOrLatinoFirst),
            vec![Category::RaceEthnicity(Omb2024Category::HispanicOrLatino)]
        );
        let c = m.classify(Dimension::RaceEthnicity, "Asian;White");
        assert_eq!(
            c.roll_up(MultipleRule::HispanicOrLatinoFirst),
            vec![Category::Multiracial]
        );
    }

    #[test]
    fn every_category_code_maps_to_itself() {
        // Pre-aggregated counts carry category codes; they must come back unchanged.
        let m = Mapping::standard();
        for d in Dimension::ALL {
            for c in Category::standard(d) {
                assert_eq!(m.classify(d, c.code()), one(c.clone()), "{d} {c}");
            }
            for status in ["declined", "unknown", "missing"] {
                assert_eq!(m.classify(d, status).status().name(), status);
            }
        }
    }

    #[test]
    fn user_entries_override_builtin_ones() {
        let mut m = Mapping::standard();
        m.insert(Dimension::GenderIdentity, "other", Answer::Unknown);
        assert_eq!(
            m.classify(Dimension::GenderIdentity, "Other"),
            Classified::Unknown
        );
    }

    #[cfg(feature = "csv")]
    #[test]
    fn csv_mapping_errors_name_the_line() {
        let mut m = Mapping::standard();
        let file =
            "dimension,raw,category\nrace,B,black_or_african_american\nrace,H,hispanic_or_latino\n";
        let err = m.add_csv(file.as_bytes(), "map.csv").unwrap_err();
        insta::assert_snapshot!(err, @"map.csv:3: `hispanic_or_latino` is not a category of race (nor declined, unknown or missing)");
        let err = m
            .add_csv("dimension,raw\n".as_bytes(), "map.csv")
            .unwrap_err();
        insta::assert_snapshot!(err, @"map.csv:1: the header must begin `dimension,raw,category`");
        let err = m
            .add_csv(
                "dimension,raw,category\nreligion,B,x\n".as_bytes(),
                "map.csv",
            )
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("map.csv:2: unknown dimension `religion`")
        );
    }

    #[cfg(feature = "csv")]
    #[test]
    fn csv_mapping_lines_are_true_with_crlf_blank_lines_and_a_byte_order_mark() {
        let mut m = Mapping::standard();
        let file = "\u{feff}dimension,raw,category\r\n\r\nrace,B,black_or_african_american\r\n\r\n\r\nrace,Q,quux\r\n";
        let err = m
            .add_csv(file.as_bytes(), "map.csv")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("map.csv:6: `quux`"), "{err}");
        let err = m
            .add_csv("dimension,raw,category,raw\n".as_bytes(), "map.csv")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "map.csv:1: column `raw` appears twice in the header (columns 2 and 4)"
        );
        let long = format!("dimension,raw,category\nrace,{},white\n", "x".repeat(100));
        let err = m
            .add_csv_with(long.as_bytes(), "map.csv", 64)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("map.csv:2: line 2 is longer than 64 bytes"),
            "{err}"
        );
    }

    #[cfg(feature = "csv")]
    #[test]
    fn a_file_that_maps_one_value_two_ways_is_refused_and_adds_nothing() {
        let mut m = Mapping::empty();
        let file = "dimension,raw,category\nrace,R1,white\nrace,R2,asian\nrace, r1 ,asian\n";
        let err = m
            .add_csv(file.as_bytes(), "map.csv")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "map.csv:4: line 2 maps the same raw value to another category (one category per value and file)"
        );
        assert_eq!(m.classify(Dimension::Race, "R2"), Classified::Unmapped);
        // The same mapping twice is no conflict; a later file may still override.
        let same = "dimension,raw,category\nrace,R1,white\nrace,r1,white\n";
        m.add_csv(same.as_bytes(), "a.csv").unwrap();
        m.add_csv(
            "dimension,raw,category\nrace,R1,asian\n".as_bytes(),
            "b.csv",
        )
        .unwrap();
        assert_eq!(
            m.classify(Dimension::Race, "r1"),
            Classified::Categories(vec![Category::Race(Omb1997Race::Asian)])
        );
    }

    #[cfg(feature = "toml")]
    #[test]
    fn toml_mapping_errors_name_the_line() {
        let mut m = Mapping::standard();
        let err = m
            .add_toml(
                "[race]\nB = \"black_or_african_american\"\nZ = \"zebra\"\n",
                "map.toml",
            )
            .unwrap_err();
        insta::assert_snapshot!(err, @"map.toml:3:1: $.race.Z: `zebra` is not a category of race (nor declined, unknown or missing)");
        let err = m.add_toml("[race\n", "map.toml").unwrap_err();
        assert!(err.to_string().starts_with("map.toml:1:"), "{err}");
        let err = m
            .add_toml(
                "[race]\n\"Black or AA\" = \"white\"\n\"black-or-aa\" = \"asian\"\n",
                "map.toml",
            )
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("map.toml:3:1: $.race.black-or-aa: line 2 maps the same raw value"),
            "{err}"
        );
        let err = m
            .add_toml("[religion]\nx = \"y\"\n", "map.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("map.toml:2:1: $.religion.x: unknown dimension"),
            "{err}"
        );
    }
}

//! Observations from CSV (feature `csv`): a header naming the columns, one row per
//! observation.
//!
//! By default the columns are `x`, `y` and, if the file has one, `n`; [`CsvOptions`](crate::csv::CsvOptions) names
//! others (a collaborative's `month,numerator,denominator` files). Other columns are ignored.
//! `x` is a number, a date (`YYYY-MM-DD`, or `YYYY-MM` for the first of the month) or a label;
//! `y` the value or numerator; `n` the denominator. An empty cell (or `NA`) is a missing
//! value; a row with an empty `x` is dropped and counted.
//!
//! The file is read once, into one compact column per field (a date key takes 4 bytes, a
//! number 8), through [`qic_io::LineLimit`], so a line longer than the maximum is an error
//! naming it rather than memory. Every fault names the file, the line (counted as an editor
//! counts them: blank lines, `\r\n` endings and line breaks inside quoted cells included) and
//! the column, never the value.

use std::borrow::Cow;
use std::io::{self, Read};

use crate::SpcError;
use crate::compute::run;
use crate::input::rows_from_keys;
use crate::options::{ChartOptions, ChartType};
use crate::result::{ChartResult, ChartWarning};
use crate::x::{Date, Keys, X};

/// Which columns to read and how long a line may be.
///
/// ```
/// use qic_spc::ChartType;
/// use qic_spc::csv::{CsvData, CsvOptions};
///
/// let text = "month,numerator,denominator,note\n2025-01,50,100,\n2025-02,55,100,new form\n";
/// let options = CsvOptions::default().x("month").y("numerator").n("denominator");
/// let data = CsvData::read(text.as_bytes(), "bp-control.csv", ChartType::P, &options)?;
/// assert_eq!(data.len(), 2);
/// let chart = data.compute(ChartType::P, &Default::default())?;
/// assert_eq!(chart.point(1).map(|p| p.x.to_string()).as_deref(), Some("2025-02-01"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvOptions {
    /// The column of the subgroup keys (default `x`).
    pub x: String,
    /// The column of the values or numerators (default `y`).
    pub y: String,
    /// The column of the denominators; `None` (the default) reads a column `n` if the file
    /// has one.
    pub n: Option<String>,
    /// The longest line accepted, in bytes ([`qic_io::DEFAULT_MAX_LINE_BYTES`] by default).
    pub max_line_bytes: usize,
}

impl Default for CsvOptions {
    fn default() -> Self {
        Self {
            x: "x".to_owned(),
            y: "y".to_owned(),
            n: None,
            max_line_bytes: qic_io::DEFAULT_MAX_LINE_BYTES,
        }
    }
}

impl CsvOptions {
    /// Reads the keys from this column.
    #[must_use]
    pub fn x(mut self, column: impl Into<String>) -> Self {
        self.x = column.into();
        self
    }

    /// Reads the values (numerators) from this column.
    #[must_use]
    pub fn y(mut self, column: impl Into<String>) -> Self {
        self.y = column.into();
        self
    }

    /// Reads the denominators from this column (which must then exist).
    #[must_use]
    pub fn n(mut self, column: impl Into<String>) -> Self {
        self.n = Some(column.into());
        self
    }

    /// Accepts lines of up to this many bytes.
    #[must_use]
    pub fn max_line_bytes(mut self, bytes: usize) -> Self {
        self.max_line_bytes = bytes;
        self
    }
}

/// Where a [`CsvData`]'s rows came from: the file, the columns read and the file line of each
/// row kept, so that errors and warnings found after reading still name their line. Lines are
/// stored as the few places where a row's line stops being one more than the last row's
/// (blank lines, rows without x, line breaks in quoted cells).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CsvSource {
    name: String,
    /// The names of the columns read: x, y, n.
    columns: [String; 3],
    /// (row from 0, its line): from each such row on, lines count up one a row.
    jumps: Vec<(usize, u64)>,
}

impl CsvSource {
    fn note(&mut self, row: usize, line: u64) {
        if self.line_of_index(row) != line {
            self.jumps.push((row, line));
        }
    }

    fn line_of_index(&self, row: usize) -> u64 {
        let k = self.jumps.partition_point(|&(r, _)| r <= row);
        match k.checked_sub(1).and_then(|k| self.jumps.get(k)) {
            Some(&(r, line)) => line + (row - r) as u64,
            None => 0,
        }
    }

    /// The name of the file (or other source) in messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The file line (from 1) of data row `row` (from 1, counting the rows kept).
    pub fn line_of(&self, row: usize) -> u64 {
        self.line_of_index(row.saturating_sub(1))
    }

    /// An error about a row (a value the chart cannot use, a sum too large, mixed keys), as
    /// [`SpcError::Csv`] at its file line and column; other errors as they are.
    pub fn locate(&self, e: SpcError) -> SpcError {
        let (row, field, message) = match &e {
            SpcError::InvalidValue {
                row,
                field,
                problem,
            } => (*row, *field, problem.to_string()),
            SpcError::SumTooLarge { row, field } => (
                *row,
                *field,
                "the values are too large to add up (their sum up to this row passes 2.8e306)"
                    .to_owned(),
            ),
            SpcError::MixedX { row } => (
                *row,
                "x",
                "the series mixes numbers, dates and labels".to_owned(),
            ),
            _ => return e,
        };
        let column = match field {
            "x" => &self.columns[0],
            "n" => &self.columns[2],
            _ => &self.columns[1],
        };
        SpcError::Csv {
            source_name: self.name.clone(),
            line: Some(self.line_of(row)),
            column: Some(column.clone()),
            message,
        }
    }

    /// A warning of a chart of this data in words, naming the file, and file lines for rows.
    pub fn describe_warning(&self, warning: &ChartWarning) -> String {
        let x = &self.columns[0];
        match *warning {
            ChartWarning::RowsAveraged {
                rows,
                subgroups,
                row,
                first,
            } => format!(
                "{}: {rows} rows became {subgroups} subgroups: rows with the same {x} are \
                 averaged (line {} has the {x} of line {}); this chart expects one value per {x} \
                 (check for duplicate rows, or use an xbar chart for several values per {x})",
                self.name,
                self.line_of(row),
                self.line_of(first),
            ),
            _ => format!("{}: {warning}", self.name),
        }
    }
}

/// Observations read from a CSV file, in columns (missing values are NaN), ready to chart.
///
/// ```
/// use qic_spc::ChartType;
/// use qic_spc::csv::CsvData;
///
/// let text = "x,y,n\n2024-01-01,3,40\n2024-02-01,,38\n2024-03-01,5,41\n";
/// let data = CsvData::from_reader(text.as_bytes(), "deaths.csv", ChartType::P)?;
/// assert_eq!(data.len(), 3);
/// let chart = data.compute(ChartType::P, &Default::default())?;
/// assert_eq!(chart.len(), 3);
///
/// let bad = CsvData::from_reader("x,y,n\n1,5,4\n".as_bytes(), "deaths.csv", ChartType::P);
/// assert_eq!(
///     bad.err().map(|e| e.to_string()).as_deref(),
///     Some("deaths.csv:2, column y: the numerator is larger than the denominator")
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CsvData {
    /// Subgroup keys, one per kept row, in one column of one kind.
    pub x: Keys,
    /// Values or numerators (NaN = missing).
    pub y: Vec<f64>,
    /// Denominators (NaN = missing), when the file has a column of them.
    pub n: Option<Vec<f64>>,
    /// Rows dropped because their `x` was empty.
    pub rows_without_x: usize,
    source: CsvSource,
}

impl CsvData {
    /// Reads and checks CSV with the columns `x`, `y` and (if present) `n` for a chart type:
    /// see [`CsvData::read`].
    ///
    /// # Errors
    ///
    /// As [`CsvData::read`].
    pub fn from_reader<R: Read>(
        reader: R,
        source_name: &str,
        chart: ChartType,
    ) -> Result<Self, SpcError> {
        Self::read(reader, source_name, chart, &CsvOptions::default())
    }

    /// Reads a CSV file with the columns `x`, `y` and (if present) `n`; errors name the path.
    ///
    /// # Errors
    ///
    /// As [`CsvData::read`], plus a file that cannot be opened.
    pub fn from_path(path: &std::path::Path, chart: ChartType) -> Result<Self, SpcError> {
        Self::read_path(path, chart, &CsvOptions::default())
    }

    /// Reads a CSV file (see [`CsvData::read`]); errors name the path.
    ///
    /// # Errors
    ///
    /// As [`CsvData::read`], plus a file that cannot be opened.
    pub fn read_path(
        path: &std::path::Path,
        chart: ChartType,
        options: &CsvOptions,
    ) -> Result<Self, SpcError> {
        let name = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|e| SpcError::Csv {
            source_name: name.clone(),
            line: None,
            column: None,
            message: e.to_string(),
        })?;
        Self::read(file, &name, chart, options)
    }

    /// Reads and checks CSV for a chart type, in one pass: the header, every cell, and the
    /// values the chart type cannot use (see [`ChartType::check_row`]). `source_name` names
    /// the input in errors (e.g. the file path).
    ///
    /// # Errors
    ///
    /// [`SpcError::Csv`] with the line and, for a cell, the column: a header without the
    /// columns asked for (or with one of them twice), a row with another number of cells than
    /// the header, text where a number belongs, a key of another kind than the first row's, a
    /// cell shaped like a date that is no real date (`2024-13-01`) or a date written another
    /// way (`01/02/2024`), a value the chart type cannot use, a missing or unwanted column of
    /// denominators, a line longer than [`CsvOptions::max_line_bytes`], or text that is not
    /// UTF-8 where it is read.
    pub fn read<R: Read>(
        reader: R,
        source_name: &str,
        chart: ChartType,
        options: &CsvOptions,
    ) -> Result<Self, SpcError> {
        let fault = |line: Option<u64>, column: Option<&str>, message: String| SpcError::Csv {
            source_name: source_name.to_owned(),
            line,
            column: column.map(str::to_owned),
            message,
        };
        let io_fault = |line: u64, e: &io::Error| match qic_io::LineTooLong::from_io(e) {
            Some(long) => fault(
                Some(long.line),
                None,
                format!(
                    "the line is longer than {} bytes (the most a line may hold; raise the limit if the file is right)",
                    long.max_bytes
                ),
            ),
            None => fault(Some(line), None, e.to_string()),
        };
        let mut records = Records::new(qic_io::LineLimit::new(reader, options.max_line_bytes));
        let Some(header_line) = records.next().map_err(|e| io_fault(1, &e))? else {
            return Err(fault(
                Some(1),
                None,
                format!(
                    "the file is empty (expected a header with the columns {} and {})",
                    options.x, options.y
                ),
            ));
        };
        let header = Header::read(&records, chart, options)
            .map_err(|(column, message)| fault(Some(header_line), column.as_deref(), message))?;
        let Header {
            x: x_col,
            y: y_col,
            n: n_col,
            width,
        } = header;
        let names = [
            options.x.clone(),
            options.y.clone(),
            options.n.clone().unwrap_or_else(|| "n".to_owned()),
        ];

        let mut data = Self {
            n: n_col.map(|_| Vec::new()),
            ..Self::default()
        };
        let mut keys = KeyColumn::None;
        loop {
            let line = match records.next() {
                Ok(Some(line)) => line,
                Ok(None) => break,
                Err(e) => return Err(io_fault(records.line, &e)),
            };
            if records.len() != width {
                return Err(fault(
                    Some(line),
                    None,
                    format!(
                        "this row has {} cells but the header has {width}",
                        records.len()
                    ),
                ));
            }
            let y = number(records.field(y_col))
                .ok_or_else(|| fault(Some(line), Some(&names[1]), "not a number".to_owned()))?;
            let n = match n_col {
                Some(col) => Some(number(records.field(col)).ok_or_else(|| {
                    fault(Some(line), Some(&names[2]), "not a number".to_owned())
                })?),
                None => None,
            };
            let present = |v: f64| (!v.is_nan()).then_some(v);
            chart
                .check_row(present(y), n.and_then(present))
                .map_err(|problem| {
                    let column = if matches!(problem, crate::ValueProblem::NegativeDenominator) {
                        &names[2]
                    } else {
                        &names[1]
                    };
                    fault(Some(line), Some(column), problem.to_string())
                })?;
            let keyed = keys
                .push(records.field(x_col))
                .map_err(|message| fault(Some(line), Some(&names[0]), message))?;
            if keyed {
                data.source.note(data.y.len(), line);
                data.y.push(y);
                if let (Some(ns), Some(n)) = (data.n.as_mut(), n) {
                    ns.push(n);
                }
            } else {
                data.rows_without_x += 1;
            }
        }
        data.x = keys.finish();
        source_name.clone_into(&mut data.source.name);
        data.source.columns = names;
        Ok(data)
    }

    /// The number of rows kept.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// Whether no row was kept.
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// Where the rows came from (file, columns, lines), to locate what a chart of them
    /// reports.
    pub fn source(&self) -> &CsvSource {
        &self.source
    }

    /// Computes a chart of the data. Errors about a row name its file line and column.
    ///
    /// # Errors
    ///
    /// As [`crate::compute`], as [`SpcError::Csv`] where a row is at fault.
    pub fn compute(
        &self,
        chart: ChartType,
        options: &ChartOptions,
    ) -> Result<ChartResult, SpcError> {
        options.validate()?;
        let rows = rows_from_keys(
            chart,
            Some(Cow::Borrowed(&self.x)),
            Cow::Borrowed(&self.y),
            self.n.as_deref().map(Cow::Borrowed),
        )
        .map_err(|e| self.source.locate(e))?;
        let mut result = run(chart, rows, options).map_err(|e| self.source.locate(e))?;
        result.rows_without_x += self.rows_without_x;
        Ok(result)
    }

    /// Computes a chart of the data, handing the columns over to it (the keys become the
    /// chart's; the values are freed once aggregated), so that a long file is held in memory
    /// about once. Keep [`CsvData::source`] first to name lines in the chart's warnings.
    ///
    /// # Errors
    ///
    /// As [`CsvData::compute`].
    pub fn into_chart(
        self,
        chart: ChartType,
        options: &ChartOptions,
    ) -> Result<ChartResult, SpcError> {
        options.validate()?;
        let Self {
            x,
            y,
            n,
            rows_without_x,
            source,
        } = self;
        let rows = rows_from_keys(chart, Some(Cow::Owned(x)), Cow::Owned(y), n.map(Cow::Owned))
            .map_err(|e| source.locate(e))?;
        let mut result = run(chart, rows, options).map_err(|e| source.locate(e))?;
        result.rows_without_x += rows_without_x;
        Ok(result)
    }
}

/// Parses a numeric cell: a number, or NaN for an empty cell or `NA`; `None` for anything
/// else (text, infinity, bytes that are not UTF-8).
fn number(cell: &[u8]) -> Option<f64> {
    let cell = cell.trim_ascii();
    if cell.is_empty() || cell.eq_ignore_ascii_case(b"na") {
        return Some(f64::NAN);
    }
    parse_number(cell)
}

/// A finite number from its text (no surrounding spaces). Whole numbers of up to 15 digits,
/// the most common cells (counts, denominators, days), are read digit by digit: exact, and
/// several times faster than the general parser, which reads the rest.
fn parse_number(cell: &[u8]) -> Option<f64> {
    let digits = cell.strip_prefix(b"-").unwrap_or(cell);
    if !digits.is_empty() && digits.len() <= 15 && digits.iter().all(u8::is_ascii_digit) {
        // Below 10^15 < 2^53: every such whole number is an exact f64.
        let whole = digits
            .iter()
            .fold(0u64, |acc, &d| acc * 10 + u64::from(d - b'0'));
        #[allow(clippy::cast_precision_loss)]
        let v = whole as f64;
        return Some(if digits.len() < cell.len() { -v } else { v });
    }
    let v: f64 = std::str::from_utf8(cell).ok()?.parse().ok()?;
    v.is_finite().then_some(v)
}

/// The keys read so far, in the kind of the first row's key.
enum KeyColumn {
    None,
    Numbers(Vec<f64>),
    Dates(Vec<Date>),
    Labels(Vec<String>),
}

impl KeyColumn {
    /// Reads a key cell: `Ok(false)` for an empty one (the row has no x).
    fn push(&mut self, cell: &[u8]) -> Result<bool, String> {
        let cell = cell.trim_ascii();
        if cell.is_empty() {
            return Ok(false);
        }
        // The common cases without building an `X`.
        match self {
            Self::Numbers(keys) => {
                if let Some(v) = parse_number(cell) {
                    keys.push(v);
                    return Ok(true);
                }
            }
            Self::Dates(keys) => {
                if let Some(d) = std::str::from_utf8(cell).ok().and_then(|t| t.parse().ok()) {
                    keys.push(d);
                    return Ok(true);
                }
            }
            Self::None | Self::Labels(_) => {}
        }
        let text = std::str::from_utf8(cell).map_err(|_| "the text is not UTF-8".to_owned())?;
        let key = X::parse_cell(text)
            .map_err(|_| {
                "not a real date (dates are read as YYYY-MM-DD, or YYYY-MM for a month)".to_owned()
            })?
            .ok_or_else(|| "the text is empty".to_owned())?;
        match (&mut *self, key) {
            (Self::None, X::Number(v)) => *self = Self::Numbers(vec![v]),
            (Self::None, X::Date(d)) => *self = Self::Dates(vec![d]),
            (Self::None, X::Label(l)) => *self = Self::Labels(vec![l]),
            (Self::Labels(keys), X::Label(l)) => keys.push(l),
            (kind, _) => {
                return Err(format!("expected a {} like the first row's", kind.name()));
            }
        }
        Ok(true)
    }

    fn name(&self) -> &'static str {
        match self {
            Self::None | Self::Numbers(_) => "number",
            Self::Dates(_) => "date",
            Self::Labels(_) => "label",
        }
    }

    fn finish(self) -> Keys {
        match self {
            Self::None => Keys::default(),
            Self::Numbers(v) => Keys::Numbers(v),
            Self::Dates(v) => Keys::Dates(v),
            Self::Labels(v) => Keys::Labels(v),
        }
    }
}

/// Where the columns read are in each row.
struct Header {
    x: usize,
    y: usize,
    n: Option<usize>,
    /// The number of cells in a row.
    width: usize,
}

impl Header {
    /// Finds the columns in the header record; the error has the column at fault (if one is)
    /// and what is wrong.
    fn read<R: Read>(
        records: &Records<R>,
        chart: ChartType,
        options: &CsvOptions,
    ) -> Result<Self, (Option<String>, String)> {
        let names: Vec<String> = (0..records.len())
            .map(|i| {
                let mut cell = records.field(i);
                if i == 0 {
                    cell = cell.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(cell);
                }
                String::from_utf8_lossy(cell.trim_ascii()).into_owned()
            })
            .collect();
        let find = |wanted: &str| -> Result<Option<usize>, (Option<String>, String)> {
            let mut found = names
                .iter()
                .enumerate()
                .filter(|(_, name)| name.eq_ignore_ascii_case(wanted.trim()));
            let first = found.next().map(|(i, _)| i);
            if found.next().is_some() {
                return Err((
                    Some(wanted.to_owned()),
                    format!("the header names the column {wanted} more than once"),
                ));
            }
            Ok(first)
        };
        let required = |wanted: &str| -> Result<usize, (Option<String>, String)> {
            find(wanted)?.ok_or_else(|| {
                (
                    None,
                    format!(
                        "the header has no column {wanted} (its columns: {})",
                        names.join(", ")
                    ),
                )
            })
        };
        let x = required(&options.x)?;
        let y = required(&options.y)?;
        let n = match &options.n {
            Some(name) => Some(required(name)?),
            None => find("n")?,
        };
        let n_name = options.n.as_deref().unwrap_or("n");
        if chart.needs_denominators() && n.is_none() {
            return Err((
                Some(n_name.to_owned()),
                format!("a {chart} chart needs a column {n_name} of denominators"),
            ));
        }
        if chart.refuses_denominators() && n.is_some() {
            return Err((
                Some(n_name.to_owned()),
                format!("a {chart} chart takes no column {n_name}"),
            ));
        }
        if x == y || n.is_some_and(|n| n == x || n == y) {
            return Err((
                None,
                "x, y and n must be three different columns".to_owned(),
            ));
        }
        Ok(Self {
            x,
            y,
            n,
            width: names.len(),
        })
    }
}

/// CSV records from a reader, each with the line it starts on. Built on `csv_core`, whose
/// parser is the `csv` crate's, with the lines counted here: the `csv` crate reports the line
/// where it began looking for a record, which is one too early after `\r\n` endings and the
/// first of any blank lines before it.
struct Records<R> {
    reader: R,
    parser: csv_core::Reader,
    buffer: Box<[u8]>,
    start: usize,
    end: usize,
    at_end: bool,
    /// The line of the byte at `start` (from 1).
    line: u64,
    /// The current record's cells, unescaped, and where each ends.
    cells: Vec<u8>,
    ends: Vec<usize>,
    count: usize,
}

impl<R: Read> Records<R> {
    fn new(reader: R) -> Self {
        Self {
            reader,
            parser: csv_core::Reader::new(),
            buffer: vec![0; 1 << 16].into_boxed_slice(),
            start: 0,
            end: 0,
            at_end: false,
            line: 1,
            cells: vec![0; 1 << 10],
            ends: vec![0; 16],
            count: 0,
        }
    }

    /// Reads more input when all of it is used; false at the end of the input.
    fn fill(&mut self) -> io::Result<bool> {
        if self.start < self.end {
            return Ok(true);
        }
        if self.at_end {
            return Ok(false);
        }
        loop {
            match self.reader.read(&mut self.buffer) {
                Ok(0) => {
                    self.at_end = true;
                    return Ok(false);
                }
                Ok(read) => {
                    self.start = 0;
                    self.end = read;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Reads the next record; returns the line it starts on, or `None` at the end.
    fn next(&mut self) -> io::Result<Option<u64>> {
        // Blank lines between records are skipped, and counted.
        loop {
            if !self.fill()? {
                return Ok(None);
            }
            match self.buffer[self.start] {
                b'\n' => self.line += 1,
                b'\r' => {}
                _ => break,
            }
            self.start += 1;
        }
        let first_line = self.line;
        let (mut written, mut ended) = (0, 0);
        loop {
            let input = if self.fill()? {
                &self.buffer[self.start..self.end]
            } else {
                &[][..]
            };
            let (result, read, wrote, ends) =
                self.parser
                    .read_record(input, &mut self.cells[written..], &mut self.ends[ended..]);
            self.line += memchr::memchr_iter(b'\n', &input[..read]).count() as u64;
            self.start += read;
            written += wrote;
            ended += ends;
            match result {
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull => {
                    let grown = self.cells.len() * 2;
                    self.cells.resize(grown, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    let grown = self.ends.len() * 2;
                    self.ends.resize(grown, 0);
                }
                csv_core::ReadRecordResult::Record => {
                    self.count = ended;
                    return Ok(Some(first_line));
                }
                csv_core::ReadRecordResult::End => return Ok(None),
            }
        }
    }

    /// The number of cells in the current record.
    fn len(&self) -> usize {
        self.count
    }

    /// Cell `i` of the current record (empty beyond the record).
    fn field(&self, i: usize) -> &[u8] {
        if i >= self.count {
            return &[];
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.cells.get(start..self.ends[i]).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, chart: ChartType) -> Result<CsvData, String> {
        CsvData::from_reader(text.as_bytes(), "in.csv", chart).map_err(|e| e.to_string())
    }

    #[test]
    fn faults_name_the_line_and_column() {
        assert_eq!(
            read("x,value\n1,2\n", ChartType::Run).err().as_deref(),
            Some("in.csv:1: the header has no column y (its columns: x, value)")
        );
        assert_eq!(
            read("x,y\n1,2\n2,two\n", ChartType::Run).err().as_deref(),
            Some("in.csv:3, column y: not a number")
        );
        assert_eq!(
            read("x,y\n1,2\n2,3,4\n", ChartType::Run).err().as_deref(),
            Some("in.csv:3: this row has 3 cells but the header has 2")
        );
        assert_eq!(
            read("x,y\n1,2\n", ChartType::U).err().as_deref(),
            Some("in.csv:1, column n: a u chart needs a column n of denominators")
        );
        assert_eq!(
            read("x,y,n\n1,-2,4\n", ChartType::C).err().as_deref(),
            Some("in.csv:1, column n: a c chart takes no column n")
        );
        assert_eq!(
            read("x,y,n\n1,2,-4\n", ChartType::U).err().as_deref(),
            Some("in.csv:2, column n: a denominator may not be negative")
        );
        assert_eq!(
            read("x,y\n1,0\n", ChartType::T).err().as_deref(),
            Some("in.csv:2, column y: a time between events must be greater than zero")
        );
        assert_eq!(
            read("x,y\n1,2\nward A,3\n", ChartType::Run)
                .err()
                .as_deref(),
            Some("in.csv:3, column x: expected a number like the first row's")
        );
        assert_eq!(
            read("x,y,y\n1,2,3\n", ChartType::Run).err().as_deref(),
            Some("in.csv:1, column y: the header names the column y more than once")
        );
        assert_eq!(
            read("", ChartType::Run).err().as_deref(),
            Some("in.csv:1: the file is empty (expected a header with the columns x and y)")
        );
    }

    #[test]
    fn lines_count_crlf_blank_lines_and_quoted_line_breaks() {
        // CRLF endings: the bad cell is on line 4.
        assert_eq!(
            read("x,y\r\n1,2\r\n2,3\r\n3,x\r\n", ChartType::Run)
                .err()
                .as_deref(),
            Some("in.csv:4, column y: not a number")
        );
        // Blank lines before the bad row (and before the header).
        assert_eq!(
            read("\nx,y\n\n1,2\n\n\n2,3\n3,x\n", ChartType::Run)
                .err()
                .as_deref(),
            Some("in.csv:8, column y: not a number")
        );
        // A quoted label over two lines.
        assert_eq!(
            read("x,y\n\"a\nb\",1\nc,x\n", ChartType::Run)
                .err()
                .as_deref(),
            Some("in.csv:4, column y: not a number")
        );
        // CRLF with a blank CRLF line.
        assert_eq!(
            read("x,y\r\n\r\n1,2\r\n2,z\r\n", ChartType::Run)
                .err()
                .as_deref(),
            Some("in.csv:4, column y: not a number")
        );
        // Lines of rows kept after blank lines and rows without x, for errors found later.
        let data = read("x,y\n1,2\n\n,5\n2,3\n\n\n3,4\n", ChartType::Run).unwrap_or_default();
        assert_eq!(data.rows_without_x, 1);
        let lines: Vec<u64> = (1..=3).map(|r| data.source().line_of(r)).collect();
        assert_eq!(lines, vec![2, 5, 8]);
    }

    #[test]
    fn a_date_that_is_no_date_is_named() {
        assert_eq!(
            read("x,y\n2024-13-01,1\n2024-02-01,2\n", ChartType::Run)
                .err()
                .as_deref(),
            Some(
                "in.csv:2, column x: not a real date (dates are read as YYYY-MM-DD, or YYYY-MM for a month)"
            )
        );
        assert_eq!(
            read("x,y\n2024-01-01,1\n2024-02-30,2\n", ChartType::Run)
                .err()
                .as_deref(),
            Some(
                "in.csv:3, column x: not a real date (dates are read as YYYY-MM-DD, or YYYY-MM for a month)"
            )
        );
        assert!(
            read("x,y\n01/02/2024,1\n", ChartType::Run)
                .err()
                .is_some_and(|e| e.contains("in.csv:2, column x: not a real date"))
        );
        let months = read("x,y\n2024-01,1\n2024-02,2\n", ChartType::Run).unwrap_or_default();
        assert_eq!(months.x.kind(), crate::XKind::Date);
    }

    #[test]
    fn whole_numbers_read_as_the_general_parser_reads_them() {
        for text in [
            "0",
            "7",
            "-12",
            "000123",
            "999999999999999",
            "-0",
            "1e3",
            "2.5",
            "1234567890123456789",
        ] {
            let general: Option<f64> = text.parse().ok();
            assert_eq!(
                parse_number(text.as_bytes()).map(f64::to_bits),
                general.map(f64::to_bits),
                "{text}"
            );
        }
        assert_eq!(parse_number(b"-"), None);
        assert_eq!(parse_number(b"inf"), None);
    }

    proptest::proptest! {
        #[test]
        fn any_whole_number_reads_exactly(v in -999_999_999_999_999_i64..=999_999_999_999_999) {
            #[allow(clippy::cast_precision_loss)]
            let expected = v as f64;
            proptest::prop_assert_eq!(parse_number(v.to_string().as_bytes()), Some(expected));
        }
    }

    #[test]
    fn columns_are_chosen_by_name() {
        let text = "Month,Numerator,Denominator,Notes\n2025-01,50,100,a\n2025-02,55,100,b\n";
        let options = CsvOptions::default()
            .x("month")
            .y("numerator")
            .n("denominator");
        let data = CsvData::read(text.as_bytes(), "bp.csv", ChartType::P, &options);
        let data = data.unwrap_or_default();
        assert_eq!(data.y, vec![50.0, 55.0]);
        assert_eq!(data.n, Some(vec![100.0, 100.0]));
        // Errors name the file's own column.
        let bad = "month,numerator,denominator\n2025-01,500,100\n";
        let err = CsvData::read(bad.as_bytes(), "bp.csv", ChartType::P, &options).err();
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some("bp.csv:2, column numerator: the numerator is larger than the denominator")
        );
    }

    #[test]
    fn a_line_longer_than_the_limit_is_named() {
        let mut text = String::from("x,y\n1,2\n");
        text.push_str(&"9".repeat(100));
        text.push_str(",3\n");
        let options = CsvOptions::default().max_line_bytes(64);
        let err = CsvData::read(text.as_bytes(), "in.csv", ChartType::Run, &options).err();
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some(
                "in.csv:3: the line is longer than 64 bytes (the most a line may hold; raise the limit if the file is right)"
            )
        );
    }

    #[test]
    fn sums_that_would_overflow_name_their_line() {
        let text = "x,y\n1,2e306\n\n2,2e306\n3,2e306\n";
        let data = read(text, ChartType::I).unwrap_or_default();
        assert_eq!(
            data.compute(ChartType::I, &ChartOptions::default())
                .err()
                .map(|e| e.to_string())
                .as_deref(),
            Some(
                "in.csv:4, column y: the values are too large to add up (their sum up to this row passes 2.8e306)"
            )
        );
    }

    #[test]
    fn repeated_keys_on_an_i_chart_are_a_warning_with_lines() {
        let data = read("x,y\n1,2\n2,3\n\n2,5\n3,4\n", ChartType::I).unwrap_or_default();
        let chart = data.compute(ChartType::I, &ChartOptions::default());
        let chart = chart.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(chart.len(), 3);
        let warnings: Vec<String> = chart
            .warnings()
            .iter()
            .map(|w| data.source().describe_warning(w))
            .collect();
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].starts_with(
                "in.csv: 4 rows became 3 subgroups: rows with the same x are averaged (line 5 has the x of line 3)"
            ),
            "{warnings:?}"
        );
        // An xbar chart groups rows by design.
        let chart = data.compute(ChartType::Xbar, &ChartOptions::default());
        assert!(chart.is_ok_and(|c| c.warnings().is_empty()));
    }

    #[test]
    fn empty_cells_are_missing_and_keyless_rows_counted() {
        let data = read(
            "x,y,n\n2024-01-01,3,40\n,4,40\n2024-02-01,,38\n",
            ChartType::P,
        )
        .unwrap_or_default();
        assert_eq!(data.len(), 2);
        assert_eq!(data.rows_without_x, 1);
        assert!(data.y[1].is_nan());
        let chart = data.compute(ChartType::P, &ChartOptions::default());
        assert_eq!(chart.map(|c| c.rows_without_x()).ok(), Some(1));
        let chart = data.into_chart(ChartType::P, &ChartOptions::default());
        assert_eq!(chart.map(|c| c.rows_without_x()).ok(), Some(1));
    }
}

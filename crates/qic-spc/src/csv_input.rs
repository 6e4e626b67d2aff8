//! Observations from CSV (feature `csv`): a header `x,y` or `x,y,n`, one row per observation.
//!
//! `x` is a number, a date (`YYYY-MM-DD`) or a label; `y` the value or numerator; `n` the
//! denominator. An empty cell (or `NA`) is a missing value; a row with an empty `x` is dropped
//! and counted. Every fault names the file, the line and the column, never the value.

use std::io::Read;

use crate::SpcError;
use crate::compute::run;
use crate::input::Rows;
use crate::options::{ChartOptions, ChartType};
use crate::result::ChartResult;
use crate::x::{X, XKind};

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
    /// Subgroup keys, one per kept row.
    pub x: Vec<X>,
    /// Values or numerators (NaN = missing).
    pub y: Vec<f64>,
    /// Denominators (NaN = missing), when the file has an `n` column.
    pub n: Option<Vec<f64>>,
    /// Rows dropped because their `x` was empty.
    pub rows_without_x: usize,
}

impl CsvData {
    /// Reads and checks CSV for a chart type: the header, every cell, and the values the
    /// chart type cannot use (see [`ChartType::check_row`]). `source_name` names the input in
    /// errors (e.g. the file path).
    ///
    /// # Errors
    ///
    /// [`SpcError::Csv`] with the line and, for a cell, the column: a header other than
    /// `x,y` or `x,y,n`, a row with the wrong number of cells, text where a number belongs, a
    /// key of another kind than the first row's, a value the chart type cannot use, or a
    /// missing or unwanted `n` column.
    pub fn from_reader<R: Read>(
        reader: R,
        source_name: &str,
        chart: ChartType,
    ) -> Result<Self, SpcError> {
        let fault = |line: u64, column: Option<&'static str>, message: String| SpcError::Csv {
            source_name: source_name.to_owned(),
            line: Some(line),
            column,
            message,
        };
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(reader);
        let has_n =
            read_header(&mut csv, chart).map_err(|message| fault(1, message.0, message.1))?;

        let mut data = Self {
            n: has_n.then(Vec::new),
            ..Self::default()
        };
        let mut kind: Option<XKind> = None;
        let mut record = csv::ByteRecord::new();
        loop {
            match csv.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let line = e.position().map_or(0, csv::Position::line);
                    return Err(fault(line, None, csv_message(&e)));
                }
            }
            let line = record.position().map_or(0, csv::Position::line);
            let cell = |i: usize| {
                record
                    .get(i)
                    .map(|c| String::from_utf8_lossy(c))
                    .unwrap_or_default()
            };
            let number = |i: usize, column: &'static str| -> Result<f64, SpcError> {
                let text = cell(i);
                let text = text.trim();
                if text.is_empty() || text.eq_ignore_ascii_case("na") {
                    return Ok(f64::NAN);
                }
                match text.parse::<f64>() {
                    Ok(v) if v.is_finite() => Ok(v),
                    _ => Err(fault(line, Some(column), "not a number".to_owned())),
                }
            };
            let y = number(1, "y")?;
            let n = if has_n { Some(number(2, "n")?) } else { None };
            let present = |v: f64| (!v.is_nan()).then_some(v);
            chart
                .check_row(present(y), n.and_then(present))
                .map_err(|problem| {
                    let column = if matches!(problem, crate::ValueProblem::NegativeDenominator) {
                        "n"
                    } else {
                        "y"
                    };
                    fault(line, Some(column), problem.to_string())
                })?;
            let Some(x) = X::parse_cell(&cell(0)) else {
                data.rows_without_x += 1;
                continue;
            };
            match kind {
                None => kind = Some(x.kind()),
                Some(k) if k != x.kind() => {
                    return Err(fault(
                        line,
                        Some("x"),
                        format!("expected a {} like the first row's", kind_name(k)),
                    ));
                }
                Some(_) => {}
            }
            data.x.push(x);
            data.y.push(y);
            if let (Some(ns), Some(n)) = (data.n.as_mut(), n) {
                ns.push(n);
            }
        }
        Ok(data)
    }

    /// Reads a CSV file (see [`CsvData::from_reader`]); errors name the path.
    ///
    /// # Errors
    ///
    /// As [`CsvData::from_reader`], plus a file that cannot be opened.
    pub fn from_path(path: &std::path::Path, chart: ChartType) -> Result<Self, SpcError> {
        let name = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|e| SpcError::Csv {
            source_name: name.clone(),
            line: None,
            column: None,
            message: e.to_string(),
        })?;
        Self::from_reader(
            std::io::BufReader::with_capacity(1 << 16, file),
            &name,
            chart,
        )
    }

    /// The number of rows kept.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// Whether no row was kept.
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// Computes a chart of the data.
    ///
    /// # Errors
    ///
    /// As [`crate::compute`].
    pub fn compute(
        &self,
        chart: ChartType,
        options: &ChartOptions,
    ) -> Result<ChartResult, SpcError> {
        options.validate()?;
        let rows =
            crate::input::rows_from_slices(chart, Some(&self.x), &self.y, self.n.as_deref())?;
        run(
            chart,
            Rows {
                without_x: rows.without_x + self.rows_without_x,
                ..rows
            },
            options,
        )
    }
}

/// Reads and checks the header; returns whether it has an `n` column, or the column and
/// message of the fault (on line 1).
fn read_header<R: Read>(
    csv: &mut csv::Reader<R>,
    chart: ChartType,
) -> Result<bool, (Option<&'static str>, String)> {
    let header = csv
        .byte_headers()
        .map_err(|e| (None, csv_message(&e)))?
        .clone();
    let names: Vec<String> = header
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_ascii_lowercase()
        })
        .collect();
    let has_n = match names
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["x", "y"] => false,
        ["x", "y", "n"] => true,
        _ => {
            let missing = ["x", "y"]
                .into_iter()
                .find(|c| !names.iter().any(|n| n == c));
            let message = match missing {
                Some(c) => format!("the header has no column {c} (expected x,y or x,y,n)"),
                None => "the header must be x,y or x,y,n".to_owned(),
            };
            return Err((None, message));
        }
    };
    if chart.needs_denominators() && !has_n {
        return Err((
            Some("n"),
            format!("a {chart} chart needs a column n of denominators"),
        ));
    }
    if chart.refuses_denominators() && has_n {
        return Err((Some("n"), format!("a {chart} chart takes no column n")));
    }
    Ok(has_n)
}

fn kind_name(kind: XKind) -> &'static str {
    match kind {
        XKind::Index | XKind::Number => "number",
        XKind::Date => "date",
        XKind::Label => "label",
    }
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("this row has {len} cells but the header has {expected_len}")
        }
        csv::ErrorKind::Io(io) => io.to_string(),
        csv::ErrorKind::Utf8 { .. } => "the text is not UTF-8".to_owned(),
        _ => "the CSV cannot be read here".to_owned(),
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
            Some("in.csv:1: the header has no column y (expected x,y or x,y,n)")
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
    }
}

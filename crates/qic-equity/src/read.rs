//! Reading extracts from CSV: chunked, parallel and streaming (feature `csv`).
//!
//! A file is split into byte ranges at line boundaries, one per thread; each range is parsed by
//! the `csv` crate on its own thread (`std::thread::scope`) into partial counts, and the partial
//! counts are merged. Memory stays bounded whatever the file size: each thread holds a read
//! buffer, a cache of the distinct raw values it has seen (capped) and its counts.
//!
//! A range boundary is the byte after a newline. If a quoted field holds a newline, a boundary
//! may fall inside it; the reader notices (the previous range's last record does not end where
//! the next range began) and parses the rest of the file again on one thread, so the result is
//! always that of one sequential pass.
//!
//! # What stops a run, and what is counted and skipped
//!
//! A run stops with an error naming the file, line and column (never the value) on: a column
//! missing from the header; a record with a different number of fields than the header; a
//! period that is not a date or a month; a count that is not a whole number, is negative or is
//! too large; a numerator above its denominator; a plain stratifier column with more than
//! [`MAX_COLUMN_LEVELS`] values. Rows with an empty period,
//! numerator or (given) denominator, or a denominator of 0, are counted per
//! [`SkipReason`] and reported. Empty, declined, unknown and unmapped stratifier values are not
//! skipped: they are strata of their own.
//!
//! Lines are the file's own: a record after CRLF endings or blank lines is named by the line its
//! text is on ([`qic_io::LineCounter`]). No line may be longer than
//! [`ReadOptions::max_line_bytes`] (8 MiB unless raised): a longer line stops the run with its
//! number before it is held in memory. A header that names a column twice stops the run too.
//! Sums are exact: a row whose count would carry a cell's, a period's or the file's total past
//! `u64::MAX` stops the run with its line, never a wrapped or clipped number.
//!
//! Counts are whole numbers (`0`, `1`, `17`; `1.0` is accepted as 1); the denominator is 1 when
//! no denominator column is given, so a 0/1 numerator flag per patient-level record works as it
//! is, and pre-aggregated rows (one per period and stratum, with counts) are read the same way.

use std::collections::HashMap;
use std::fs::File;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use csv::ByteRecord;

use crate::codes::Dimension;
use crate::mapping::{Classified, Mapping, MultipleRule};
use crate::period::Period;
use crate::readiness::ReadinessCounts;
use crate::stratify::{
    Counts, Level, MAX_COLUMN_LEVELS, SkipReason, StratifiedCounts, Stratifier, StratifierKind,
    Stratum,
};
use crate::{EquityError, RowProblem};
use qic_io::{DEFAULT_MAX_LINE_BYTES, LineCounter, LineLimit, LineTooLong, RecordStart};

/// The most stratifiers one run may cross.
pub const MAX_STRATIFIERS: usize = 4;
/// Distinct raw values cached per column and thread, and the bytes of long values they may
/// hold; values beyond are classified each time, so memory stays bounded even for free text.
const CACHE_LIMIT: usize = 100_000;
const CACHE_BYTES: usize = 8 << 20;
/// Counts above this are refused, so that sums stay exact in `f64`.
const MAX_COUNT: u64 = 1 << 53;
/// Files with fewer data bytes than this are read on one thread: a thread each is not worth it.
/// Fuzzing builds (`--cfg fuzzing`) split even tiny files, so that the fuzzer reaches the
/// range boundaries.
const MIN_SPLIT_BYTES: u64 = if cfg!(fuzzing) { 16 } else { 1 << 20 };

/// How a file is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadOptions {
    /// Threads (and byte ranges) to parse with; default: the available parallelism.
    pub threads: usize,
    /// The longest line accepted, in bytes (default [`qic_io::DEFAULT_MAX_LINE_BYTES`]).
    pub max_line_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            threads: std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
        }
    }
}

/// What to stratify: the measure's columns, the stratifiers and the roll-up rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StratifySpec {
    /// The period column (a date `YYYY-MM-DD` or a month `YYYY-MM`).
    pub period: String,
    /// The numerator column (a 0/1 flag or a count).
    pub numerator: String,
    /// The denominator column; without one, every record's denominator is 1.
    pub denominator: Option<String>,
    /// The stratifiers, crossed (at most [`MAX_STRATIFIERS`]).
    pub stratifiers: Vec<Stratifier>,
    /// How several race answers roll up.
    pub rule: MultipleRule,
}

/// Reads a patient-level extract (or pre-aggregated counts) from a CSV file, in parallel.
///
/// # Errors
///
/// [`EquityError::Io`] when the file cannot be read; otherwise see the module docs for what
/// stops a run. Every error names the file and, for a row, its line and column.
///
/// # Examples
///
/// ```
/// use qic_equity::codes::Dimension;
/// use qic_equity::mapping::{Mapping, MultipleRule};
/// use qic_equity::read::{stratify_file, ReadOptions, StratifySpec};
/// use qic_equity::stratify::Stratifier;
///
/// let dir = std::env::temp_dir().join(format!("qic-equity-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let path = dir.join("extract.csv");
/// std::fs::write(&path, "month,screened,race\n2024-01,1,2106-3\n2024-01,0,Black\n2024-02,1,\n")?;
/// let spec = StratifySpec {
///     period: "month".into(),
///     numerator: "screened".into(),
///     denominator: None,
///     stratifiers: vec![Stratifier::dimension(Dimension::Race, "race")],
///     rule: MultipleRule::Multiracial,
/// };
/// let counts = stratify_file(&path, &spec, &Mapping::standard(), &ReadOptions::default())?;
/// assert_eq!(counts.rows().used, 3);
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn stratify_file(
    path: &Path,
    spec: &StratifySpec,
    mapping: &Mapping,
    options: &ReadOptions,
) -> Result<StratifiedCounts, EquityError> {
    let source = path.display().to_string();
    let header = read_header(path, &source, options.max_line_bytes)?;
    let layout = StratifyLayout::new(&header, spec, &source)?;
    let make = || StratifyWorker::new(&layout, spec, mapping);
    let parts = run_file(path, &source, &header, options, make)?;
    match merge_parts(spec, parts) {
        // Each range's sums fit, but not the file's: read it again on one thread, which stops
        // at the line that makes a sum too large.
        Err(EquityError::CountOverflow { .. }) => {
            let one_thread = ReadOptions {
                threads: 1,
                ..*options
            };
            merge_parts(spec, run_file(path, &source, &header, &one_thread, make)?)
        }
        merged => merged,
    }
}

/// Reads a patient-level extract (or pre-aggregated counts) from any reader, on the calling
/// thread. `source_name` names the data in errors.
///
/// # Errors
///
/// As [`stratify_file`].
pub fn stratify_reader(
    reader: impl Read,
    source_name: &str,
    spec: &StratifySpec,
    mapping: &Mapping,
) -> Result<StratifiedCounts, EquityError> {
    let mut csv = csv_reader(reader, DEFAULT_MAX_LINE_BYTES);
    let header = header_of(&mut csv, source_name)?;
    let layout = StratifyLayout::new(&header, spec, source_name)?;
    let mut worker = StratifyWorker::new(&layout, spec, mapping);
    run_chunk(&mut csv, None, header.names.len(), &mut worker, &|| false)
        .map_err(|f| f.into_error(source_name, 0, &header))?; // Lines are absolute here.
    merge_parts(spec, vec![worker.finish()?])
}

/// Stratifies records that are already split into fields (the columns of a data frame, rows
/// from a database cursor), on the calling thread, with the checks and counts of a CSV file.
/// `header` names the fields of every record. Lines in errors count as in a CSV file under the
/// header: the first record is line 2.
///
/// # Errors
///
/// As [`stratify_file`]: a column missing from the header, a record with more or fewer fields
/// than the header, a value that stops the run (named by line and column, never by value).
///
/// # Examples
///
/// ```
/// use qic_equity::codes::Dimension;
/// use qic_equity::mapping::{Mapping, MultipleRule};
/// use qic_equity::read::{stratify_records, StratifySpec};
/// use qic_equity::stratify::Stratifier;
///
/// let header = ["month", "screened", "race"].map(String::from);
/// let records = [["2024-01", "1", "2106-3"], ["2024-01", "0", "Black"], ["2024-02", "", "White"]];
/// let spec = StratifySpec {
///     period: "month".into(),
///     numerator: "screened".into(),
///     denominator: None,
///     stratifiers: vec![Stratifier::dimension(Dimension::Race, "race")],
///     rule: MultipleRule::Multiracial,
/// };
/// let counts = stratify_records(&header, records, "frame", &spec, &Mapping::standard())?;
/// assert_eq!((counts.rows().read, counts.rows().used), (3, 2));
///
/// let bad = [["2024-13", "1", "White"]];
/// let err = stratify_records(&header, bad, "frame", &spec, &Mapping::standard()).unwrap_err();
/// assert_eq!(err.to_string(), "frame: line 2, column 1 (`month`): not a date (YYYY-MM-DD) or a month (YYYY-MM)");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn stratify_records<I, R, F>(
    header: &[String],
    records: I,
    source_name: &str,
    spec: &StratifySpec,
    mapping: &Mapping,
) -> Result<StratifiedCounts, EquityError>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = F>,
    F: AsRef<[u8]>,
{
    let header = Header {
        names: header.iter().map(|name| name.trim().to_owned()).collect(),
        data_start: 0,
        first_line: 2,
    };
    let layout = StratifyLayout::new(&header, spec, source_name)?;
    let mut worker = StratifyWorker::new(&layout, spec, mapping);
    let mut record = ByteRecord::new();
    for (index, fields) in records.into_iter().enumerate() {
        record.clear();
        for field in fields {
            record.push_field(field.as_ref());
        }
        let line = index as u64 + 1;
        let failure = if record.len() == header.names.len() {
            worker
                .row(&record)
                .err()
                .map(|(column, problem)| ChunkFailure::Row {
                    line,
                    column,
                    problem,
                })
        } else {
            Some(ChunkFailure::FieldCount {
                line,
                found: record.len(),
            })
        };
        if let Some(failure) = failure {
            return Err(failure.into_error(source_name, 1, &header));
        }
    }
    merge_parts(spec, vec![worker.finish()?])
}

/// Counts the readiness of the given (dimension, column) pairs of a CSV file, in parallel.
///
/// # Errors
///
/// [`EquityError::Io`] when the file cannot be read, [`EquityError::MissingColumn`] when a
/// column is not in the header, [`EquityError::FieldCount`] or [`EquityError::Csv`] for a record
/// that cannot be read.
///
/// # Examples
///
/// ```
/// use qic_equity::codes::Dimension;
/// use qic_equity::mapping::{Mapping, MultipleRule};
/// use qic_equity::read::{readiness_file, ReadOptions};
///
/// let dir = std::env::temp_dir().join(format!("qic-equity-doc-r-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let path = dir.join("patients.csv");
/// std::fs::write(&path, "id,RACE\n1,2106-3\n2,ASKU\n3,\n")?;
/// let columns = [(Dimension::Race, "RACE".to_owned())];
/// let counts = readiness_file(&path, &columns, &Mapping::standard(), MultipleRule::Multiracial, &ReadOptions::default())?;
/// assert_eq!(counts.dimensions[0].statuses.declined, 1);
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn readiness_file(
    path: &Path,
    columns: &[(Dimension, String)],
    mapping: &Mapping,
    rule: MultipleRule,
    options: &ReadOptions,
) -> Result<ReadinessCounts, EquityError> {
    let source = path.display().to_string();
    let header = read_header(path, &source, options.max_line_bytes)?;
    let indexes = columns
        .iter()
        .map(|(_, c)| header.index(c, &source))
        .collect::<Result<Vec<_>, _>>()?;
    let template = ReadinessCounts::new(columns.iter().cloned(), rule)?;
    let parts = run_file(path, &source, &header, options, || {
        ReadinessWorker::new(&indexes, &template, mapping)
    })?;
    let mut total = template.clone();
    for part in parts {
        total.merge(&part)?;
    }
    Ok(total)
}

/// Counts readiness from any reader, on the calling thread.
///
/// # Errors
///
/// As [`readiness_file`].
pub fn readiness_reader(
    reader: impl Read,
    source_name: &str,
    columns: &[(Dimension, String)],
    mapping: &Mapping,
    rule: MultipleRule,
) -> Result<ReadinessCounts, EquityError> {
    let mut csv = csv_reader(reader, DEFAULT_MAX_LINE_BYTES);
    let header = header_of(&mut csv, source_name)?;
    let indexes = columns
        .iter()
        .map(|(_, c)| header.index(c, source_name))
        .collect::<Result<Vec<_>, _>>()?;
    let mut total = ReadinessCounts::new(columns.iter().cloned(), rule)?;
    let mut worker = ReadinessWorker::new(&indexes, &total, mapping);
    run_chunk(&mut csv, None, header.names.len(), &mut worker, &|| false)
        .map_err(|f| f.into_error(source_name, 0, &header))?; // Lines are absolute here.
    total.merge(&worker.finish()?)?;
    Ok(total)
}

fn open(path: &Path) -> Result<File, EquityError> {
    File::open(path).map_err(|source| EquityError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// The reader every input goes through: lines no longer than `max_line_bytes`, and counted,
/// so that records are named by their true lines.
type CsvReader<R> = csv::Reader<LineCounter<LineLimit<R>>>;

fn csv_reader<R: Read>(reader: R, max_line_bytes: usize) -> CsvReader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(LineCounter::new(LineLimit::new(reader, max_line_bytes)))
}

/// Where the record just read truly begins (its line and offset).
fn record_start<R: Read>(csv: &mut CsvReader<R>, record: &ByteRecord) -> RecordStart {
    let reported = record.position().map_or(0, csv::Position::byte);
    csv.get_mut().record_start(reported)
}

/// A file's header and where its data begins.
struct Header {
    names: Vec<String>,
    /// The offset of the first data record (the file's end when there is none).
    data_start: u64,
    /// The line of the first data record.
    first_line: u64,
}

impl Header {
    fn index(&self, column: &str, source: &str) -> Result<usize, EquityError> {
        let wanted = column.trim();
        self.names
            .iter()
            .position(|n| n == wanted)
            .or_else(|| {
                self.names
                    .iter()
                    .position(|n| n.eq_ignore_ascii_case(wanted))
            })
            .ok_or_else(|| EquityError::MissingColumn {
                source_name: source.to_owned(),
                column: wanted.to_owned(),
            })
    }

    fn name(&self, index: usize) -> String {
        self.names.get(index).cloned().unwrap_or_default()
    }
}

/// Reads a file's header, and where its first data record begins.
fn read_header(path: &Path, source: &str, max_line_bytes: usize) -> Result<Header, EquityError> {
    let mut csv = csv_reader(open(path)?, max_line_bytes);
    let mut header = header_of(&mut csv, source)?;
    let mut record = ByteRecord::new();
    if csv
        .read_byte_record(&mut record)
        .map_err(|e| csv_error(&mut csv, &e, source, 0))?
    {
        let start = record_start(&mut csv, &record);
        header.data_start = start.offset;
        header.first_line = start.line;
    } else {
        header.data_start = csv.position().byte();
    }
    Ok(header)
}

/// Reads the header record; the data start is left at the header's end.
fn header_of<R: Read>(csv: &mut CsvReader<R>, source: &str) -> Result<Header, EquityError> {
    let mut record = ByteRecord::new();
    let found = csv
        .read_byte_record(&mut record)
        .map_err(|e| csv_error(csv, &e, source, 0))?;
    if !found {
        return Err(EquityError::Csv {
            source_name: source.to_owned(),
            line: 1,
            message: "the file is empty: no header".to_owned(),
        });
    }
    let line = record_start(csv, &record).line;
    let names: Vec<String> = record
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let name = if i == 0 {
                name.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(name)
            } else {
                name
            };
            String::from_utf8_lossy(name).trim().to_owned()
        })
        .collect();
    if let Some(twice) = qic_io::DuplicateColumn::find(&names) {
        return Err(EquityError::DuplicateColumn {
            source_name: source.to_owned(),
            line,
            column: twice.name,
            first: twice.first,
            second: twice.second,
        });
    }
    Ok(Header {
        names,
        data_start: csv.position().byte(),
        first_line: line + 1,
    })
}

/// A CSV error as a located error: a line too long, an I/O error, or text that is not CSV.
/// `base` lines precede the reader's first line.
fn csv_error<R: Read>(
    csv: &mut CsvReader<R>,
    e: &csv::Error,
    source: &str,
    base: u64,
) -> EquityError {
    if let csv::ErrorKind::Io(io) = e.kind()
        && let Some(too_long) = LineTooLong::from_io(io)
    {
        return EquityError::Csv {
            source_name: source.to_owned(),
            line: base + too_long.line,
            message: format!(
                "longer than {} bytes (the most a line may hold; raise the limit if the file is right)",
                too_long.max_bytes
            ),
        };
    }
    let line = e
        .position()
        .map_or(1, |p| csv.get_mut().record_start(p.byte()).line);
    let message = match e.kind() {
        csv::ErrorKind::Io(io) => format!("cannot read: {io}"),
        _ => "the CSV cannot be parsed here".to_owned(),
    };
    EquityError::Csv {
        source_name: source.to_owned(),
        line: base + line,
        message,
    }
}

/// Why a chunk stopped early. Lines are relative to the chunk's first line (1-based).
enum ChunkFailure {
    Row {
        line: u64,
        column: usize,
        problem: RowProblem,
    },
    FieldCount {
        line: u64,
        found: usize,
    },
    /// The CSV reader failed (its error, already located relative to the chunk).
    Csv(EquityError),
    /// Another chunk before this one failed; this one's result is not needed.
    Stopped,
}

impl ChunkFailure {
    /// The error, with lines made absolute: `base` lines precede the chunk's first line.
    fn into_error(self, source: &str, base: u64, header: &Header) -> EquityError {
        match self {
            Self::Row {
                line,
                column,
                problem,
            } => EquityError::Row {
                source_name: source.to_owned(),
                line: base + line,
                column_number: column + 1,
                column: header.name(column),
                problem,
            },
            Self::FieldCount { line, found } => EquityError::FieldCount {
                source_name: source.to_owned(),
                line: base + line,
                expected: header.names.len(),
                found,
            },
            Self::Csv(mut err) => {
                if let EquityError::Csv {
                    line, source_name, ..
                } = &mut err
                {
                    *line += base;
                    source.clone_into(source_name);
                }
                err
            }
            Self::Stopped => EquityError::Csv {
                source_name: source.to_owned(),
                line: base + 1,
                message: "reading stopped".to_owned(),
            },
        }
    }
}

/// Turns records into partial counts.
trait Worker {
    type Output: Send;
    /// Counts one record; on a stopping problem, the column index and the problem.
    fn row(&mut self, record: &ByteRecord) -> Result<(), (usize, RowProblem)>;
    fn finish(self) -> Result<Self::Output, EquityError>;
}

/// Where a chunk ended: the offset where the first record it did not take begins (relative to
/// where its reader started) and the lines before that record.
struct ChunkEnd {
    next_start: u64,
    newlines: u64,
}

/// Feeds the records of `csv` to `worker` until the first record starting at or after `limit`
/// (relative to the reader's start) or the end of the input. Lines are relative to the reader's
/// first line, which must start a line.
fn run_chunk<R: Read, W: Worker>(
    csv: &mut CsvReader<R>,
    limit: Option<u64>,
    width: usize,
    worker: &mut W,
    stopped: &dyn Fn() -> bool,
) -> Result<ChunkEnd, ChunkFailure> {
    let mut record = ByteRecord::new();
    let mut since_check = 0u32;
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => {
                return Ok(ChunkEnd {
                    next_start: csv.position().byte(),
                    newlines: 0,
                });
            }
            Err(e) => return Err(ChunkFailure::Csv(csv_error(csv, &e, "", 0))),
        }
        let RecordStart {
            line,
            offset: start,
        } = record_start(csv, &record);
        if limit.is_some_and(|limit| start >= limit) {
            return Ok(ChunkEnd {
                next_start: start,
                newlines: line - 1,
            });
        }
        if record.len() != width {
            return Err(ChunkFailure::FieldCount {
                line,
                found: record.len(),
            });
        }
        worker
            .row(&record)
            .map_err(|(column, problem)| ChunkFailure::Row {
                line,
                column,
                problem,
            })?;
        since_check += 1;
        if since_check == 1 << 16 {
            since_check = 0;
            if stopped() {
                return Err(ChunkFailure::Stopped);
            }
        }
    }
}

/// Byte offsets where the ranges start: the data start, then the byte after the first newline
/// at or after each equal split.
fn range_starts(path: &Path, data_start: u64, threads: usize) -> Result<Vec<u64>, EquityError> {
    let io = |source| EquityError::Io {
        path: path.to_path_buf(),
        source,
    };
    let len = std::fs::metadata(path).map_err(io)?.len();
    let mut starts = vec![data_start];
    let span = len.saturating_sub(data_start);
    let threads = if span < MIN_SPLIT_BYTES {
        1
    } else {
        threads.max(1)
    };
    let mut file = BufReader::new(open(path)?);
    for k in 1..threads as u64 {
        let nominal = data_start + span * k / threads as u64;
        file.seek(SeekFrom::Start(nominal)).map_err(io)?;
        let mut skipped = Vec::new();
        let mut start = nominal + file.read_until(b'\n', &mut skipped).map_err(io)? as u64;
        // A range starts where a record's text does: past blank lines and CRLF endings.
        loop {
            let buffered = file.fill_buf().map_err(io)?;
            let blank = buffered
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
            if blank == 0 {
                break;
            }
            file.consume(blank);
            start += blank as u64;
        }
        if start < len && starts.last().is_some_and(|&last| start > last) {
            starts.push(start);
        }
    }
    Ok(starts)
}

/// Parses a file in ranges on several threads and returns the partial outputs in file order.
fn run_file<W, F>(
    path: &Path,
    source: &str,
    header: &Header,
    options: &ReadOptions,
    make: F,
) -> Result<Vec<W::Output>, EquityError>
where
    W: Worker,
    F: Fn() -> W + Sync,
{
    let max_line_bytes = options.max_line_bytes;
    let starts = range_starts(path, header.data_start, options.threads)?;
    let width = header.names.len();
    // The lowest index of a range that failed; ranges after it may stop early.
    let first_failure = AtomicUsize::new(usize::MAX);
    let results: Vec<Result<(W::Output, ChunkEnd), ChunkFailure>> = std::thread::scope(|scope| {
        let handles: Vec<_> = starts
            .iter()
            .enumerate()
            .map(|(i, &start)| {
                let end = starts.get(i + 1).copied();
                let make = &make;
                let first_failure = &first_failure;
                scope.spawn(move || {
                    let io = |source| {
                        ChunkFailure::Csv(EquityError::Io {
                            path: path.to_path_buf(),
                            source,
                        })
                    };
                    let mut file = File::open(path).map_err(io)?;
                    file.seek(SeekFrom::Start(start)).map_err(io)?;
                    let mut csv = csv_reader(file, max_line_bytes);
                    let mut worker = make();
                    let stopped = || first_failure.load(Ordering::Relaxed) < i;
                    let outcome = run_chunk(
                        &mut csv,
                        end.map(|e| e - start),
                        width,
                        &mut worker,
                        &stopped,
                    );
                    match outcome {
                        Ok(chunk_end) => worker
                            .finish()
                            .map(|output| (output, chunk_end))
                            .map_err(ChunkFailure::Csv),
                        Err(failure) => {
                            first_failure.fetch_min(i, Ordering::Relaxed);
                            Err(failure)
                        }
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(Err(ChunkFailure::Stopped)))
            .collect()
    });

    let mut outputs = Vec::with_capacity(results.len());
    let mut lines_before = 0u64;
    let mut expected_start = header.data_start;
    for (result, &start) in results.into_iter().zip(&starts) {
        if start != expected_start {
            // The boundary fell inside a quoted field: parse the rest on one thread.
            let mut file = open(path)?;
            file.seek(SeekFrom::Start(expected_start))
                .map_err(|source| EquityError::Io {
                    path: path.to_path_buf(),
                    source,
                })?;
            let mut csv = csv_reader(file, max_line_bytes);
            let mut worker = make();
            run_chunk(&mut csv, None, width, &mut worker, &|| false)
                .map_err(|f| f.into_error(source, header.first_line - 1 + lines_before, header))?;
            outputs.push(worker.finish()?);
            return Ok(outputs);
        }
        let (output, end) = result
            .map_err(|f| f.into_error(source, header.first_line - 1 + lines_before, header))?;
        outputs.push(output);
        lines_before += end.newlines;
        expected_start = start + end.next_start;
    }
    Ok(outputs)
}

/// A fast hasher for the small integer keys of the hot loop (the multiply-rotate scheme of
/// rustc's `FxHash`); the keys come from our own interning, not from outside.
#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            self.write_u64(u64::from_le_bytes(w));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w.get_mut(..rest.len())
                .unwrap_or_default()
                .copy_from_slice(rest);
            self.write_u64(u64::from_le_bytes(w));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    fn write_u16(&mut self, n: u16) {
        self.write_u64(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_u128(&mut self, n: u128) {
        // Truncation on purpose: the two halves of the key.
        #[allow(clippy::cast_possible_truncation)]
        self.write_u64(n as u64);
        self.write_u64((n >> 64) as u64);
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Distinct raw values of one column, each classified once.
struct ValueCache<T> {
    /// Values of up to 15 bytes, packed with their length into one integer: comparing keys is
    /// then an integer comparison, which matters at tens of millions of lookups.
    short: FxMap<u128, usize>,
    long: FxMap<Vec<u8>, usize>,
    long_bytes: usize,
    entries: Vec<(T, u64)>,
}

/// `raw` packed with its length, when it has at most 15 bytes.
fn short_key(raw: &[u8]) -> Option<u128> {
    if raw.len() > 15 {
        return None;
    }
    // Shifting the bytes in (rather than copying them into an array and reading it back) avoids
    // a store-to-load stall on this hot path.
    let packed = raw
        .iter()
        .enumerate()
        .fold(0u128, |k, (i, &b)| k | (u128::from(b) << (8 * i)));
    Some(packed | ((raw.len() as u128) << 120))
}

impl<T> ValueCache<T> {
    fn new() -> Self {
        Self {
            short: FxMap::default(),
            long: FxMap::default(),
            long_bytes: 0,
            entries: Vec::new(),
        }
    }

    /// The entry for `raw`, counted once more; `None` when the cache is full and `raw` is new.
    fn hit(
        &mut self,
        raw: &[u8],
        make: impl FnOnce() -> Result<T, RowProblem>,
    ) -> Result<Option<&T>, RowProblem> {
        let key = short_key(raw);
        let found = match key {
            Some(k) => self.short.get(&k).copied(),
            None => self.long.get(raw).copied(),
        };
        let i = match found {
            Some(i) => i,
            None if self.entries.len() >= CACHE_LIMIT
                || (key.is_none() && self.long_bytes + raw.len() > CACHE_BYTES) =>
            {
                return Ok(None);
            }
            None => {
                let value = make()?;
                self.entries.push((value, 0));
                let i = self.entries.len() - 1;
                if let Some(k) = key {
                    self.short.insert(k, i);
                } else {
                    self.long_bytes += raw.len();
                    self.long.insert(raw.to_vec(), i);
                }
                i
            }
        };
        Ok(self.entries.get_mut(i).map(|(value, n)| {
            *n += 1;
            &*value
        }))
    }
}

/// Parses a count: a whole number, optionally written with a zero fraction (`1.0`).
fn parse_count(raw: &[u8]) -> Result<Option<u64>, RowProblem> {
    // The common case: a 0/1 flag.
    if let [digit @ b'0'..=b'9'] = raw {
        return Ok(Some(u64::from(digit - b'0')));
    }
    let text = raw.trim_ascii();
    if text.is_empty() {
        return Ok(None);
    }
    if text.first() == Some(&b'-') {
        let rest = text.get(1..).unwrap_or_default();
        return if !rest.is_empty() && rest.iter().all(|b| b.is_ascii_digit() || *b == b'.') {
            Err(RowProblem::NegativeCount)
        } else {
            Err(RowProblem::MalformedCount)
        };
    }
    let (whole, fraction) = match text.iter().position(|&b| b == b'.') {
        Some(dot) => (
            text.get(..dot).unwrap_or_default(),
            text.get(dot + 1..).unwrap_or_default(),
        ),
        None => (text, &[][..]),
    };
    if whole.is_empty() || !fraction.iter().all(|&b| b == b'0') {
        return Err(RowProblem::MalformedCount);
    }
    let mut value: u64 = 0;
    for &b in whole {
        if !b.is_ascii_digit() {
            return Err(RowProblem::MalformedCount);
        }
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(b - b'0')))
            .ok_or(RowProblem::CountTooLarge)?;
    }
    if value > MAX_COUNT {
        return Err(RowProblem::CountTooLarge);
    }
    Ok(Some(value))
}

/// Column indexes of a stratification run.
struct StratifyLayout {
    period: usize,
    numerator: usize,
    denominator: Option<usize>,
    stratifiers: Vec<usize>,
}

impl StratifyLayout {
    fn new(header: &Header, spec: &StratifySpec, source: &str) -> Result<Self, EquityError> {
        if spec.stratifiers.len() > MAX_STRATIFIERS {
            return Err(EquityError::InvalidSetting {
                setting: "stratifiers",
                message: format!(
                    "{} given; at most {MAX_STRATIFIERS} may be crossed",
                    spec.stratifiers.len()
                ),
            });
        }
        for (i, s) in spec.stratifiers.iter().enumerate() {
            let before = spec.stratifiers.get(..i).unwrap_or_default();
            let twice = match s.kind {
                StratifierKind::Dimension(d) => before
                    .iter()
                    .any(|b| b.kind == StratifierKind::Dimension(d))
                    .then(|| format!("the dimension {d} is given twice")),
                StratifierKind::Column => None,
            }
            .or_else(|| {
                before
                    .iter()
                    .any(|b| b.column.trim() == s.column.trim())
                    .then(|| format!("the column `{}` is given twice", s.column.trim()))
            });
            if let Some(message) = twice {
                return Err(EquityError::InvalidSetting {
                    setting: "stratifiers",
                    message: format!("{message}; each stratifier once"),
                });
            }
        }
        Ok(Self {
            period: header.index(&spec.period, source)?,
            numerator: header.index(&spec.numerator, source)?,
            denominator: spec
                .denominator
                .as_deref()
                .map(|c| header.index(c, source))
                .transpose()?,
            stratifiers: spec
                .stratifiers
                .iter()
                .map(|s| header.index(&s.column, source))
                .collect::<Result<_, _>>()?,
        })
    }
}

/// Level ids of one stratifier (interned per thread).
struct Levels {
    kind: StratifierKind,
    cache: ValueCache<Vec<u16>>,
    interned: Vec<Level>,
    ids: FxMap<Level, u16>,
    /// The previous row's raw value, whose ids are in the scratch list.
    last_raw: Option<Vec<u8>>,
}

/// The id of `level`, interning it on first sight.
fn intern(
    kind: StratifierKind,
    levels: &mut Vec<Level>,
    ids: &mut FxMap<Level, u16>,
    level: Level,
) -> Result<u16, RowProblem> {
    if let Some(&id) = ids.get(&level) {
        return Ok(id);
    }
    let limit = match kind {
        // The statuses (declined, unknown, missing, unmapped) come on top of the values.
        StratifierKind::Column => MAX_COLUMN_LEVELS + 4,
        StratifierKind::Dimension(_) => usize::from(u16::MAX),
    };
    if levels.len() >= limit {
        return Err(RowProblem::TooManyDistinctValues);
    }
    let id = u16::try_from(levels.len()).map_err(|_| RowProblem::TooManyDistinctValues)?;
    levels.push(level.clone());
    ids.insert(level, id);
    Ok(id)
}

fn classify_levels(
    kind: StratifierKind,
    raw: &[u8],
    mapping: &Mapping,
    rule: MultipleRule,
) -> Vec<Level> {
    let text = String::from_utf8_lossy(raw);
    match kind {
        StratifierKind::Dimension(d) => Level::from_classified(&mapping.classify(d, &text), rule),
        StratifierKind::Column => vec![Level::parse(&text)],
    }
}

struct StratifyWorker<'a> {
    layout: &'a StratifyLayout,
    mapping: &'a Mapping,
    rule: MultipleRule,
    levels: Vec<Levels>,
    cells: FxMap<u128, Counts>,
    /// Indexed by period key (months since year 0): a direct index is cheaper than a hash.
    period_totals: Vec<Counts>,
    /// The sum of every used row's counts (which bounds every cell and period total).
    grand: Counts,
    rows: crate::stratify::RowTally,
    // Scratch space for one record's level ids per stratifier.
    scratch: Vec<Vec<u16>>,
}

/// A period as a small key: months since year 0.
fn period_key(p: Period) -> u32 {
    u32::try_from(p.year()).unwrap_or(0) * 12 + p.month() - 1
}

fn period_of_key(key: u32) -> Option<Period> {
    Period::new(i32::try_from(key / 12).ok()?, key % 12 + 1)
}

impl<'a> StratifyWorker<'a> {
    fn new(layout: &'a StratifyLayout, spec: &StratifySpec, mapping: &'a Mapping) -> Self {
        Self {
            layout,
            mapping,
            rule: spec.rule,
            levels: spec
                .stratifiers
                .iter()
                .map(|s| Levels {
                    kind: s.kind,
                    cache: ValueCache::new(),
                    interned: Vec::new(),
                    ids: FxMap::default(),
                    last_raw: None,
                })
                .collect(),
            cells: FxMap::default(),
            period_totals: Vec::new(),
            grand: Counts::default(),
            rows: crate::stratify::RowTally::default(),
            scratch: vec![Vec::new(); spec.stratifiers.len()],
        }
    }

    /// Puts the level ids of one stratifier's raw value in its scratch list.
    fn level_ids(&mut self, s: usize, raw: &[u8]) -> Result<(), RowProblem> {
        let (mapping, rule) = (self.mapping, self.rule);
        let (Some(state), Some(out)) = (self.levels.get_mut(s), self.scratch.get_mut(s)) else {
            return Ok(());
        };
        // Extracts are usually sorted by patient, so a value often repeats the row before's:
        // the scratch list still holds its ids.
        if state.last_raw.as_deref() == Some(raw) {
            return Ok(());
        }
        out.clear();
        let Levels {
            kind,
            cache,
            interned: levels,
            ids,
            last_raw,
        } = state;
        match last_raw {
            Some(last) => {
                last.clear();
                last.extend_from_slice(raw);
            }
            None => *last_raw = Some(raw.to_vec()),
        }
        let kind = *kind;
        // The cache stores ids, so a value seen before costs one lookup.
        let cached = cache.hit(raw, || {
            classify_levels(kind, raw, mapping, rule)
                .into_iter()
                .map(|level| intern(kind, levels, ids, level))
                .collect()
        })?;
        match cached {
            Some(cached) => out.extend_from_slice(cached),
            None => {
                for level in classify_levels(kind, raw, mapping, rule) {
                    out.push(intern(kind, levels, ids, level)?);
                }
            }
        }
        Ok(())
    }
}

impl Worker for StratifyWorker<'_> {
    type Output = StratifiedCounts;

    fn row(&mut self, record: &ByteRecord) -> Result<(), (usize, RowProblem)> {
        let layout = self.layout;
        let field = |i: usize| record.get(i).unwrap_or_default();
        let period_raw = field(layout.period);
        if period_raw.trim_ascii().is_empty() {
            self.rows.skip(SkipReason::MissingPeriod);
            return Ok(());
        }
        let period = Period::parse_bytes(period_raw).map_err(|p| (layout.period, p))?;
        let Some(numerator) =
            parse_count(field(layout.numerator)).map_err(|p| (layout.numerator, p))?
        else {
            self.rows.skip(SkipReason::MissingNumerator);
            return Ok(());
        };
        let denominator = match layout.denominator {
            None => 1,
            Some(i) => {
                let Some(d) = parse_count(field(i)).map_err(|p| (i, p))? else {
                    self.rows.skip(SkipReason::MissingDenominator);
                    return Ok(());
                };
                d
            }
        };
        let counts = Counts::new(numerator, denominator)
            .map_err(|p| (layout.denominator.unwrap_or(layout.numerator), p))?;
        if denominator == 0 {
            self.rows.skip(SkipReason::ZeroDenominator);
            return Ok(());
        }
        for (s, &column) in layout.stratifiers.iter().enumerate() {
            self.level_ids(s, field(column)).map_err(|p| (column, p))?;
        }
        // The range's grand total bounds every cell and period total: when it fits, they do.
        let too_large = || {
            let column = if self.grand.numerator.checked_add(counts.numerator).is_none() {
                layout.numerator
            } else {
                layout.denominator.unwrap_or(layout.numerator)
            };
            (column, RowProblem::SumTooLarge)
        };
        self.grand = self.grand.checked_add(counts).ok_or_else(too_large)?;
        let key = period_key(period);
        let base = u128::from(key) << 64;
        if self.scratch.iter().all(|ids| ids.len() == 1) {
            // The common case: one level per stratifier, one cell.
            let key = self.scratch.iter().enumerate().fold(base, |k, (s, ids)| {
                k | (u128::from(ids.first().copied().unwrap_or(0)) << (16 * s))
            });
            let cell = self.cells.entry(key).or_default();
            *cell = cell.checked_add(counts).unwrap_or(self.grand);
        } else {
            add_cells(&self.scratch, 0, base, &mut self.cells, counts);
        }
        let slot = key as usize;
        if self.period_totals.len() <= slot {
            self.period_totals.resize(slot + 1, Counts::default());
        }
        if let Some(total) = self.period_totals.get_mut(slot) {
            *total = total.checked_add(counts).unwrap_or(self.grand);
        }
        self.rows.use_row();
        Ok(())
    }

    fn finish(self) -> Result<StratifiedCounts, EquityError> {
        let stratifier_count = self.levels.len();
        let mut out = StratifiedCounts::new(Vec::new());
        let mut cells: Vec<(Period, Stratum, Counts)> = Vec::with_capacity(self.cells.len());
        for (key, counts) in self.cells {
            // Truncation on purpose: unpacking the key packed by `add_cells`.
            #[allow(clippy::cast_possible_truncation)]
            let Some(period) = period_of_key((key >> 64) as u32) else {
                continue;
            };
            let levels = (0..stratifier_count)
                .map(|s| {
                    #[allow(clippy::cast_possible_truncation)]
                    let id = (key >> (16 * s)) as u16;
                    self.levels
                        .get(s)
                        .and_then(|l| l.interned.get(usize::from(id)))
                        .cloned()
                        .unwrap_or(Level::Missing)
                })
                .collect();
            cells.push((period, Stratum(levels), counts));
        }
        let totals: Vec<(Period, Counts)> = self
            .period_totals
            .into_iter()
            .enumerate()
            .filter(|(_, c)| c.denominator > 0)
            .filter_map(|(k, c)| {
                let key = u32::try_from(k).ok()?;
                period_of_key(key).map(|p| (p, c))
            })
            .collect();
        out.absorb(cells, totals, &self.rows)?;
        Ok(out)
    }
}

/// Adds `counts` to every combination of the level ids in `scratch` (one list per stratifier),
/// packing the ids 16 bits apart below the period.
fn add_cells(
    scratch: &[Vec<u16>],
    s: usize,
    key: u128,
    cells: &mut FxMap<u128, Counts>,
    counts: Counts,
) {
    let Some(ids) = scratch.get(s) else {
        // A cell's sum is at most its range's grand total, which the caller checked.
        let cell = cells.entry(key).or_default();
        *cell = cell.checked_add(counts).unwrap_or(*cell);
        return;
    };
    for (k, &id) in ids.iter().enumerate() {
        if ids.get(..k).is_some_and(|before| before.contains(&id)) {
            continue;
        }
        add_cells(
            scratch,
            s + 1,
            key | (u128::from(id) << (16 * s)),
            cells,
            counts,
        );
    }
}

fn merge_parts(
    spec: &StratifySpec,
    parts: Vec<StratifiedCounts>,
) -> Result<StratifiedCounts, EquityError> {
    let mut total = StratifiedCounts::new(spec.stratifiers.clone());
    for mut part in parts {
        part.set_stratifiers(spec.stratifiers.clone());
        total.merge(&part)?;
    }
    for (s, stratifier) in spec.stratifiers.iter().enumerate() {
        if stratifier.kind == StratifierKind::Column {
            let mut seen: Vec<&Level> =
                total.cells().filter_map(|(_, st, _)| st.0.get(s)).collect();
            seen.sort();
            seen.dedup();
            if seen.len() > MAX_COLUMN_LEVELS {
                return Err(EquityError::InvalidSetting {
                    setting: "stratifiers",
                    message: format!(
                        "the column `{}` has more than {MAX_COLUMN_LEVELS} distinct values (is it an identifier?)",
                        stratifier.column
                    ),
                });
            }
        }
    }
    Ok(total)
}

struct ReadinessWorker<'a> {
    indexes: &'a [usize],
    mapping: &'a Mapping,
    rule: MultipleRule,
    caches: Vec<ValueCache<(Classified, String)>>,
    counts: ReadinessCounts,
}

impl<'a> ReadinessWorker<'a> {
    fn new(indexes: &'a [usize], template: &ReadinessCounts, mapping: &'a Mapping) -> Self {
        Self {
            indexes,
            mapping,
            rule: template.rule,
            caches: indexes.iter().map(|_| ValueCache::new()).collect(),
            counts: template.clone(),
        }
    }
}

impl Worker for ReadinessWorker<'_> {
    type Output = ReadinessCounts;

    fn row(&mut self, record: &ByteRecord) -> Result<(), (usize, RowProblem)> {
        self.counts.records += 1;
        let (mapping, rule) = (self.mapping, self.rule);
        for ((&column, cache), d) in self
            .indexes
            .iter()
            .zip(&mut self.caches)
            .zip(&mut self.counts.dimensions)
        {
            let raw = record.get(column).unwrap_or_default();
            let dimension = d.dimension;
            let hit = cache
                .hit(raw, || {
                    let text = String::from_utf8_lossy(raw).into_owned();
                    Ok((mapping.classify(dimension, &text), text))
                })
                .map_err(|p| (column, p))?;
            if hit.is_none() {
                // Not cached: count it now.
                let text = String::from_utf8_lossy(raw);
                d.add(&mapping.classify(dimension, &text), &text, rule, 1);
            }
        }
        Ok(())
    }

    fn finish(mut self) -> Result<ReadinessCounts, EquityError> {
        let rule = self.rule;
        for (cache, d) in self.caches.into_iter().zip(&mut self.counts.dimensions) {
            for ((classified, raw), n) in cache.entries {
                if n > 0 {
                    d.add(&classified, &raw, rule, n);
                }
            }
        }
        Ok(self.counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_parse_strictly() {
        assert_eq!(parse_count(b" 17 "), Ok(Some(17)));
        assert_eq!(parse_count(b"1.0"), Ok(Some(1)));
        assert_eq!(parse_count(b""), Ok(None));
        assert_eq!(parse_count(b"-1"), Err(RowProblem::NegativeCount));
        assert_eq!(parse_count(b"1.5"), Err(RowProblem::MalformedCount));
        assert_eq!(parse_count(b"yes"), Err(RowProblem::MalformedCount));
        assert_eq!(parse_count(b"-"), Err(RowProblem::MalformedCount));
        assert_eq!(parse_count(b".0"), Err(RowProblem::MalformedCount));
        assert_eq!(
            parse_count(b"99999999999999999999999"),
            Err(RowProblem::CountTooLarge)
        );
    }

    #[test]
    fn the_value_cache_stays_within_its_byte_budget() {
        let mut cache: ValueCache<u8> = ValueCache::new();
        let long = vec![b'x'; 1 << 20];
        let mut cached = 0;
        for i in 0..12u8 {
            let mut raw = long.clone();
            raw[0] = i;
            if cache.hit(&raw, || Ok(i)).unwrap().is_some() {
                cached += 1;
            }
        }
        assert_eq!(cached, CACHE_BYTES >> 20);
        // Short values still go in, and a cached value is found again.
        assert_eq!(cache.hit(b"2106-3", || Ok(99)).unwrap(), Some(&99));
        assert_eq!(cache.hit(b"2106-3", || Ok(0)).unwrap(), Some(&99));
    }

    #[test]
    fn period_keys_round_trip() {
        let p = Period::new(2024, 12).unwrap();
        assert_eq!(period_of_key(period_key(p)), Some(p));
    }
}

//! True line numbers for the records of a CSV reader.
//!
//! The `csv` crate reports a record's position as where the previous record stopped: before
//! the line feed of a CRLF ending, and before any blank lines. So a record after a CRLF ending
//! is named one line too early, and a record after blank lines is named by the first blank
//! line (rust-csv issues 395 and 208). [`LineCounter`] sits between the file and the parser,
//! counts the line feeds that pass, and turns the position the parser reports into the line and
//! byte where the record really begins.

use std::collections::VecDeque;
use std::io::{self, Read};

/// Line feeds separated only by carriage returns: the end of a line and the blank lines after
/// it, kept as one entry so that a million blank lines cost no memory.
#[derive(Clone, Copy, Debug)]
struct Run {
    /// The offset of the run's last line feed.
    last: u64,
    /// Line feeds in the run.
    count: u64,
    /// Where the carriage returns before the run's first line feed begin (the first line
    /// feed's offset when there are none).
    cr_start: u64,
}

/// Where a record begins: its 1-based line and its byte offset, past any line ending or blank
/// lines before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordStart {
    /// The 1-based line.
    pub line: u64,
    /// The offset of the record's first byte from the start of the reader.
    pub offset: u64,
}

/// Wraps a reader and counts its line feeds, so that the true line of a record can be asked
/// for with the position a CSV parser reports ([`LineCounter::record_start`]).
///
/// Memory is bounded by what the parser reads ahead: line feeds are kept only until a record
/// after them has been asked for, and runs of blank lines are kept as one entry.
///
/// ```
/// use qic_io::LineCounter;
///
/// let data = "a,b\r\n1,2\r\n\r\n\r\n3,4\r\n";
/// let mut csv = csv::ReaderBuilder::new()
///     .has_headers(false)
///     .from_reader(LineCounter::new(data.as_bytes()));
/// let mut record = csv::ByteRecord::new();
/// let mut lines = Vec::new();
/// while csv.read_byte_record(&mut record)? {
///     let reported = record.position().map_or(0, |p| p.byte());
///     lines.push(csv.get_mut().record_start(reported).line);
/// }
/// assert_eq!(lines, [1, 2, 5]);
/// # Ok::<(), csv::Error>(())
/// ```
#[derive(Debug)]
pub struct LineCounter<R> {
    inner: R,
    /// Bytes read so far.
    read: u64,
    /// Runs of line feeds not yet passed by a query, in order.
    runs: VecDeque<Run>,
    /// Line feeds in runs already passed.
    passed: u64,
    /// Where the carriage returns at the end of the bytes read so far begin, if they end with
    /// one.
    trailing_cr: Option<u64>,
}

impl<R> LineCounter<R> {
    /// Wraps `inner`; offsets count from its current position.
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            read: 0,
            runs: VecDeque::new(),
            passed: 0,
            trailing_cr: None,
        }
    }

    /// The wrapped reader.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The wrapped reader.
    pub fn into_inner(self) -> R {
        self.inner
    }

    /// Where the record that a parser says starts at `reported` really begins: past the line
    /// feed of a CRLF ending and past blank lines. Ask in the order the records come (offsets
    /// must not decrease), after the parser has read the record.
    pub fn record_start(&mut self, reported: u64) -> RecordStart {
        let mut offset = reported;
        while let Some(run) = self.runs.front().copied() {
            if run.cr_start > reported {
                break;
            }
            self.passed += run.count;
            self.runs.pop_front();
            // Line endings and blank lines at `reported` belong before the record.
            if run.last >= reported {
                offset = run.last + 1;
            }
        }
        RecordStart {
            line: self.passed + 1,
            offset,
        }
    }

    fn scan(&mut self, bytes: &[u8]) {
        let start = self.read;
        for i in memchr::memchr_iter(b'\n', bytes) {
            let offset = start + i as u64;
            let before = bytes.get(..i).unwrap_or_default();
            let crs = before.iter().rev().take_while(|&&b| b == b'\r').count();
            let cr_start = if crs == i {
                // The carriage returns reach back to the previous read.
                self.trailing_cr.unwrap_or(start)
            } else {
                offset - crs as u64
            };
            match self.runs.back_mut() {
                Some(run) if cr_start <= run.last + 1 => {
                    run.last = offset;
                    run.count += 1;
                }
                _ => self.runs.push_back(Run {
                    last: offset,
                    count: 1,
                    cr_start,
                }),
            }
        }
        let end = start + bytes.len() as u64;
        let crs = bytes.iter().rev().take_while(|&&b| b == b'\r').count() as u64;
        self.trailing_cr = if crs == 0 {
            None
        } else if crs == bytes.len() as u64 {
            Some(self.trailing_cr.unwrap_or(start))
        } else {
            Some(end - crs)
        };
        self.read = end;
    }
}

/// A header's column names as written: each trimmed, and a UTF-8 byte order mark dropped from
/// the first.
///
/// ```
/// assert_eq!(qic_io::header_names(["\u{feff}month", " n "]), ["month", "n"]);
/// ```
pub fn header_names<'a>(fields: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    fields
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let name = if i == 0 {
                name.strip_prefix('\u{feff}').unwrap_or(name)
            } else {
                name
            };
            name.trim().to_owned()
        })
        .collect()
}

/// A header that names a column twice, which readers refuse: it would be ambiguous which
/// column a name means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateColumn {
    /// The name.
    pub name: String,
    /// Its first position (1-based).
    pub first: usize,
    /// Its second position (1-based).
    pub second: usize,
}

impl DuplicateColumn {
    /// The first name that `names` repeats, if any.
    ///
    /// ```
    /// let twice = qic_io::DuplicateColumn::find(&["month", "n", "race", "n"]).unwrap();
    /// assert_eq!(twice.to_string(), "column `n` appears twice in the header (columns 2 and 4)");
    /// assert_eq!(qic_io::DuplicateColumn::find(&["a", "b"]), None);
    /// ```
    pub fn find<S: AsRef<str>>(names: &[S]) -> Option<Self> {
        names.iter().enumerate().find_map(|(i, name)| {
            names
                .iter()
                .take(i)
                .position(|n| n.as_ref() == name.as_ref())
                .map(|first| Self {
                    name: name.as_ref().to_owned(),
                    first: first + 1,
                    second: i + 1,
                })
        })
    }
}

impl std::fmt::Display for DuplicateColumn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "column `{}` appears twice in the header (columns {} and {})",
            self.name, self.first, self.second
        )
    }
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.scan(buf.get(..n).unwrap_or_default());
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Reads `data` with the csv crate through a counter that gets `chunk` bytes per read;
    /// each record's first field and true line.
    fn lines(data: &[u8], chunk: usize) -> Vec<(String, u64, u64)> {
        struct Chunked<'a>(&'a [u8], usize);
        impl Read for Chunked<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(chunk.max(1))
            .from_reader(LineCounter::new(Chunked(data, chunk)));
        let mut record = csv::ByteRecord::new();
        let mut out = Vec::new();
        while csv.read_byte_record(&mut record).unwrap() {
            let reported = record.position().unwrap().byte();
            let start = csv.get_mut().record_start(reported);
            out.push((
                String::from_utf8_lossy(&record[0]).into_owned(),
                start.line,
                start.offset,
            ));
        }
        out
    }

    #[test]
    fn crlf_endings_and_blank_lines_do_not_shift_lines() {
        let got = lines(b"h,x\r\n1,a\r\n\r\n\r\n4,b\r\n5,c", 64);
        let want: Vec<(String, u64, u64)> = vec![
            ("h".into(), 1, 0),
            ("1".into(), 2, 5),
            ("4".into(), 5, 14),
            ("5".into(), 6, 19),
        ];
        assert_eq!(got, want);
        let got: Vec<u64> = lines(b"\n\nh\n\n2\n3\n\n\n\n7\n", 3)
            .iter()
            .map(|r| r.1)
            .collect();
        assert_eq!(got, [3, 5, 6, 10]);
    }

    #[test]
    fn quoted_line_feeds_count_for_the_records_after_them() {
        let got: Vec<u64> = lines(b"h\r\n\"a\r\nb\"\r\nc\r\n", 2)
            .iter()
            .map(|r| r.1)
            .collect();
        assert_eq!(got, [1, 2, 4]);
    }

    #[test]
    fn blank_lines_cost_one_entry() {
        let mut data = b"h\n".to_vec();
        for _ in 0..10_000 {
            data.extend_from_slice(b"\r\n");
        }
        data.extend_from_slice(b"x\n");
        let mut counter = LineCounter::new(&data[..]);
        std::io::copy(&mut counter, &mut std::io::sink()).unwrap();
        assert_eq!(counter.runs.len(), 2);
        assert_eq!(counter.record_start(2).line, 10_002);
    }

    proptest! {
        /// Whatever the endings, blank lines and read sizes, each record's line is the line
        /// its text starts on.
        #[test]
        fn lines_agree_with_counting_by_hand(
            rows in proptest::collection::vec((0u8..3, any::<bool>(), 0usize..3), 1..12),
            chunk in 1usize..9,
        ) {
            let mut data = Vec::new();
            let mut want = Vec::new();
            let mut line = 1u64;
            for (i, (quoted_newlines, crlf, blanks)) in rows.iter().enumerate() {
                let ending: &[u8] = if *crlf { b"\r\n" } else { b"\n" };
                for _ in 0..*blanks {
                    data.extend_from_slice(ending);
                    line += 1;
                }
                want.push((i.to_string(), line, data.len() as u64));
                data.extend_from_slice(i.to_string().as_bytes());
                data.extend_from_slice(b",\"");
                for _ in 0..*quoted_newlines {
                    data.extend_from_slice(b"x");
                    data.extend_from_slice(ending);
                    line += 1;
                }
                data.extend_from_slice(b"\"");
                data.extend_from_slice(ending);
                line += 1;
            }
            prop_assert_eq!(lines(&data, chunk), want);
        }
    }
}

//! A reader that refuses lines longer than a maximum.

use std::io::{self, Read};

/// The longest line qic's readers accept unless told otherwise: 8 MiB. A real record (a CSV
/// row, one application as a JSON line) is far smaller; a longer line is a wrong file.
pub const DEFAULT_MAX_LINE_BYTES: usize = 8 << 20;

/// A line longer than the maximum. It travels inside an [`io::Error`] of kind
/// [`io::ErrorKind::InvalidData`] through any parser built on [`Read`] (the `csv` crate,
/// `serde_json`); get it back with [`LineTooLong::from_io`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineTooLong {
    /// The line (counted from 1) that grew too long.
    pub line: u64,
    /// The maximum it passed, in bytes (the line ending not counted).
    pub max_bytes: usize,
}

impl std::fmt::Display for LineTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {} is longer than {} bytes (the most a line may hold; raise the limit if the file is right)",
            self.line, self.max_bytes
        )
    }
}

impl std::error::Error for LineTooLong {}

impl LineTooLong {
    /// The line-length error inside an I/O error, if that is what it is.
    pub fn from_io(err: &io::Error) -> Option<Self> {
        err.get_ref()
            .and_then(|inner| inner.downcast_ref::<Self>())
            .copied()
    }

    fn into_io(self) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, self)
    }
}

/// Wraps a reader so that no line (bytes between two `\n`) may be longer than a maximum.
///
/// The check costs one `memchr` scan of the bytes read. Lines are counted as they pass, so the
/// error names the line; after an error the reader keeps failing.
///
/// ```
/// use std::io::BufRead;
/// use qic_io::LineLimit;
///
/// let reader = std::io::BufReader::new(LineLimit::new(&b"short\nfine\n"[..], 16));
/// assert_eq!(reader.lines().count(), 2);
/// ```
#[derive(Debug)]
pub struct LineLimit<R> {
    inner: R,
    max_bytes: usize,
    /// Bytes of the current line seen so far.
    current: usize,
    /// Line feeds seen so far (the current line is `newlines + 1`).
    newlines: u64,
    /// Whether the last byte seen was a carriage return (of a CRLF ending split across reads).
    last_cr: bool,
    failed: Option<LineTooLong>,
}

impl<R> LineLimit<R> {
    /// Wraps `inner`, allowing lines of up to `max_bytes` bytes (a carriage return before the
    /// line feed is allowed on top).
    pub fn new(inner: R, max_bytes: usize) -> Self {
        Self {
            inner,
            max_bytes,
            current: 0,
            newlines: 0,
            last_cr: false,
            failed: None,
        }
    }

    /// The maximum line length in bytes.
    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// The wrapped reader.
    pub fn into_inner(self) -> R {
        self.inner
    }

    /// Counts the bytes just read; an error when a line has grown past the maximum.
    fn scan(&mut self, bytes: &[u8]) -> Result<(), LineTooLong> {
        let mut start = 0;
        for newline in memchr::memchr_iter(b'\n', bytes) {
            let length = self.current + (newline - start);
            // A CRLF ending's carriage return is not part of the line.
            let cr = match newline.checked_sub(1) {
                Some(before) => bytes.get(before) == Some(&b'\r'),
                None => self.last_cr,
            };
            if length - usize::from(cr) > self.max_bytes {
                return Err(self.too_long());
            }
            self.newlines += 1;
            self.current = 0;
            start = newline + 1;
        }
        if let Some(&last) = bytes.last() {
            self.last_cr = last == b'\r';
        }
        self.current += bytes.len() - start;
        // The last byte may be the carriage return of a CRLF ending still to come.
        if self.current - usize::from(self.last_cr && self.current > 0) > self.max_bytes {
            return Err(self.too_long());
        }
        Ok(())
    }

    fn too_long(&mut self) -> LineTooLong {
        let err = LineTooLong {
            line: self.newlines + 1,
            max_bytes: self.max_bytes,
        };
        self.failed = Some(err);
        err
    }
}

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(err) = self.failed {
            return Err(err.into_io());
        }
        let n = self.inner.read(buf)?;
        let read = buf.get(..n).unwrap_or_default();
        self.scan(read).map_err(LineTooLong::into_io)?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read_all(data: &[u8], max: usize, chunk: usize) -> Result<Vec<u8>, LineTooLong> {
        struct Chunked<'a>(&'a [u8], usize);
        impl Read for Chunked<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut out = Vec::new();
        LineLimit::new(Chunked(data, chunk), max)
            .read_to_end(&mut out)
            .map(|_| out)
            .map_err(|e| LineTooLong::from_io(&e).expect("a line-length error"))
    }

    #[test]
    fn lines_at_the_limit_pass_with_any_ending() {
        assert!(read_all(b"1234\n1234\r\n1234", 4, 3).is_ok());
        assert!(read_all(b"1234\r\n", 4, 1).is_ok());
    }

    #[test]
    fn the_first_line_over_the_limit_is_named() {
        assert_eq!(
            read_all(b"ok\nok\r\n12345\nok\n", 4, 2),
            Err(LineTooLong {
                line: 3,
                max_bytes: 4
            })
        );
        // A last line without an ending.
        assert_eq!(read_all(b"ok\n123456", 4, 64).unwrap_err().line, 2);
    }

    #[test]
    fn a_huge_line_fails_without_being_read_whole() {
        // 1 GiB of one line, produced lazily: the error comes after about the limit.
        struct Endless(u64);
        impl Read for Endless {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                self.0 += buf.len() as u64;
                assert!(self.0 < 64 << 20, "read far past the limit");
                buf.fill(b'x');
                Ok(buf.len())
            }
        }
        let mut sink = Vec::new();
        let err = LineLimit::new(Endless(0), 1 << 20)
            .read_to_end(&mut sink)
            .unwrap_err();
        assert_eq!(LineTooLong::from_io(&err).unwrap().line, 1);
        assert!(
            err.to_string()
                .contains("line 1 is longer than 1048576 bytes")
        );
    }

    #[test]
    fn a_buffered_reader_fails_too() {
        use std::io::BufRead;
        let reader = io::BufReader::with_capacity(4, LineLimit::new(&b"ab\nabcdefgh\n"[..], 4));
        // `Lines` repeats an error forever, so take only what the data can hold.
        let lines: Vec<io::Result<String>> = reader.lines().take(3).collect();
        assert!(lines[0].is_ok());
        assert!(lines[1].is_err());
    }

    proptest! {
        /// The limit refuses exactly the inputs with a line longer than the maximum, whatever
        /// the sizes of the reads.
        #[test]
        fn agrees_with_splitting_on_newlines(
            lines in proptest::collection::vec(("[a-c]{0,12}", any::<bool>()), 0..8),
            max in 0usize..10,
            chunk in 1usize..7,
        ) {
            let mut data = Vec::new();
            for (line, crlf) in &lines {
                data.extend_from_slice(line.as_bytes());
                data.extend_from_slice(if *crlf { b"\r\n" } else { b"\n" });
            }
            let first_too_long = lines.iter().position(|(l, _)| l.len() > max);
            match (read_all(&data, max, chunk), first_too_long) {
                (Ok(out), None) => prop_assert_eq!(out, data),
                (Err(e), Some(i)) => prop_assert_eq!(e.line, i as u64 + 1),
                (got, expected) => prop_assert!(false, "got {:?}, expected {:?}", got.map(|_| ()), expected),
            }
        }
    }
}

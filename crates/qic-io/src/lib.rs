//! Input plumbing shared by the qic crates.
//!
//! People bring files: CSV extracts, JSON Lines batches, mapping files, a collaborative's folder.
//! A file that is not what it claims (a 1 GB "line", a binary file renamed `.csv`) must become a
//! clear error naming the file and line, never gigabytes of memory. This crate holds the pieces
//! every reader in qic shares for that, so they behave the same everywhere.
//!
//! - [`LineLimit`] wraps any reader and fails with [`LineTooLong`] (line number and limit) as
//!   soon as a line grows past a maximum, before a CSV or JSON parser buffers it.
//!
//! ```
//! use std::io::Read;
//! use qic_io::{LineLimit, LineTooLong};
//!
//! let data = b"x,y\n1,2\n3,4444444444\n";
//! let mut text = String::new();
//! let err = LineLimit::new(&data[..], 8).read_to_string(&mut text).unwrap_err();
//! let too_long = LineTooLong::from_io(&err).expect("a line-length error");
//! assert_eq!((too_long.line, too_long.max_bytes), (3, 8));
//! ```
//!
//! # Crate features
//!
//! None.

mod document;
mod line_counter;
mod line_limit;

pub use document::{Document, DocumentError, Format, Location, parse_json, read_document};
pub use line_counter::{DuplicateColumn, LineCounter, RecordStart, header_names};
pub use line_limit::{DEFAULT_MAX_LINE_BYTES, LineLimit, LineTooLong};

//! Integration tests of qic-program, built as one binary.

mod files;
mod ical;
mod presets;
mod properties;
mod teams;

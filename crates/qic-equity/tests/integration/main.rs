//! Integration tests of qic-equity, built as one binary.

#[cfg(feature = "csv")]
mod readiness;

mod properties;
#[cfg(feature = "csv")]
mod read;
#[cfg(feature = "csv")]
mod reports;

//! Integration tests of qic-pdsa, built as one binary.

mod cycles;
mod folder;

//! Integration tests of qic-program, built as one binary.

mod teams;

//! Integration tests of qic-eligibility, built as one binary.

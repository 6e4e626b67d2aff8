//! Integration tests of qic-pdsa, built as one binary.

mod analytics;
mod cycles;
mod folder;
mod phase_order;
mod pooled;
mod report;
mod summary;

//! Integration tests of qic-eligibility, built as one binary.

// Shared fixtures: the example applications and the Pursuing Equity presets.
mod common;
// Properties that hold for any application (order, monotonicity, explanations, round trips).
mod properties;
// One test per requirement of the seed program pages, quoting the sentence it enforces.
mod seed_requirements;
// Snapshots of the decisions on the example applications, in text and JSON, and of the rule
// sets in words.
mod snapshots;

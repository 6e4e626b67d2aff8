//! Integration tests of qic-spc, built as one binary.

// Numbers printed in qicharts2's own documentation.
mod docs;
// Parity with qicharts2 on the fixtures of the independent Python reference.
mod parity;
// The IHI and Making Data Count rules on series worked by hand.
mod rules;
// Invariants over arbitrary input.
mod properties;
// The JSON of every chart type, pinned.
mod snapshots;
// Rendered SVG, pinned.
mod svg;

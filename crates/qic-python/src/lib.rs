//! The Python package `qic`: qic's eligibility rules, run and control charts and equity
//! measures, called from Python. Built with maturin (`pip install ./crates/qic-python`) as one
//! abi3 wheel for `CPython` 3.10 and newer.
//!
//! This crate only converts: Python values in, the library crates' values out. Every decision
//! is made by `qic-eligibility`, every chart by `qic-spc`, every table by `qic-equity`, so a
//! decision judged from Python is byte for byte the one `qic eligibility check` prints.
//!
//! The native module is `qic._qic`; the Python package (`python/qic`) re-exports it by topic
//! (`qic.eligibility`, `qic.spc`, `qic.equity`) with type stubs (`_qic.pyi`). Long work (a batch,
//! a chart, reading an extract) runs with the interpreter detached, so other Python threads run
//! meanwhile.
//!
//! `cargo build --workspace` builds this crate without Python's development files: the
//! workspace's `.cargo/config.toml` sets `PYO3_BUILD_EXTENSION_MODULE`, as maturin does, so the
//! library is not linked against `libpython`. It has no Rust tests (they would have to embed an
//! interpreter); its tests are pytest's, in `tests/`.

// The doc comments of the Python classes and functions are their Python docstrings, written
// for Python readers (names such as DataFrame or lcl_95 without Markdown backticks).
#![allow(clippy::doc_markdown)]

mod convert;
mod eligibility;
mod equity;
mod errors;
mod spc;

use pyo3::prelude::*;

/// The native module `qic._qic`.
#[pymodule(name = "_qic")]
fn qic_native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(module)?;
    eligibility::register(module)?;
    spc::register(module)?;
    equity::register(module)?;
    Ok(())
}

//! qic: reusable domain libraries for health care quality-improvement collaboratives.
//!
//! This facade re-exports each qic library crate as a module, so one dependency gives the whole
//! domain. Depend on a single crate (e.g. `qic-program`) when that is all you need.
//!
//! ```
//! use qic::program::{Organization, OrganizationKind};
//!
//! let org = Organization::new("Valley ACO", OrganizationKind::Aco);
//! assert!(org.kind.delivers_health_care());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! - [`program`]: programs, cohorts, calendars, the 10-step pathway, the four portfolios, teams
//!   and progress.
//! - [`spc`]: run charts and Shewhart control charts (qicharts2 parity), Anhøj, IHI and Making
//!   Data Count rules, SVG charts.
//! - [`equity`]: REAL and SOGI code sets, data readiness, stratified measures, disparity metrics
//!   and small-cell suppression.
//! - [`eligibility`]: applications judged by rule sets kept as data, with decisions that explain
//!   themselves.
//! - [`pdsa`]: measures, aims, PDSA cycles and ramps, monthly team reports, the harvest, the
//!   collaborative dashboard and report.
//!
//! # Crate features
//!
//! None.

pub use qic_eligibility as eligibility;
pub use qic_equity as equity;
pub use qic_pdsa as pdsa;
pub use qic_program as program;
pub use qic_spc as spc;

// The README's code is compiled and run with the doctests, so that it stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

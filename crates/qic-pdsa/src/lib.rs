//! Measures, aims, change ideas and PDSA cycles: what a quality-improvement team runs on,
//! month after month.
//!
//! ```
//! use qic_pdsa::cycle::{validate, CycleLog};
//!
//! let log: CycleLog = toml::from_str(r#"
//!     [[change_ideas]]
//!     key = "teach-back"
//!     title = "Teach-back at discharge"
//!
//!     [[cycles]]
//!     key = "c1"
//!     change_idea = "teach-back"
//!     scale = { size = 3, unit = "patients" }
//!     plan = { date = 2023-03-01, objective = "Will nurses use teach-back?",
//!              predictions = ["2 of 3 patients can repeat their plan"],
//!              who = "Nurse on unit 4", what = "Teach-back", when = "Monday", where = "Unit 4" }
//! "#)?;
//! assert!(validate(&log, None).is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! - [`measure`]: outcome, process and balancing measures with their operational definitions.
//! - [`cycle`]: change ideas, PDSA cycles with phases in order, and the ramps they form.
//! - [`series`]: a measure's monthly data for one team.
//! - [`aim`]: level and equity aims, with progress computed from the data.
//! - [`monthly`]: monthly team reports, and which are late or missing.
//! - [`key`]: the short keys teams write in files to refer to measures, ideas and cycles.
//! - [`report`]: the collaborative report as a value (every number, chart, table and warning
//!   it shows), built once through one publication step that hides small counts; the teams
//!   that need attention first.
//! - [`text`]: the report as text, and the words every format of it uses.
//! - [`month`]: months and days between the crates' types, and their labels.
//!
//! # Crate features
//!
//! - **folder** (off by default): [`folder`] reads a collaborative's folder (TOML, JSON and CSV
//!   files; stratified extracts through qic-equity's parallel reader).
//! - **html** (off by default): `html::render` lays the [`report::Report`] out as one
//!   self-contained HTML page with inline SVG charts (turns on qic-spc's `svg`).

pub mod aim;
pub mod charts;
pub mod collaborative;
pub mod cycle;
pub mod dashboard;
pub mod error;
#[cfg(feature = "folder")]
pub mod folder;
pub mod harvest;
#[cfg(feature = "html")]
pub mod html;
pub mod key;
pub mod measure;
pub mod month;
pub mod monthly;
pub mod report;
pub mod series;
pub mod text;

pub use aim::{Aim, AimProgress, AimStatus, Goal, Population};
pub use collaborative::{Collaborative, TeamFolder};
pub use cycle::{ActDecision, ChangeIdea, Cycle, CycleLog};
pub use error::PdsaError;
pub use key::{Key, KeyError};
pub use measure::{Measure, MeasureKind, Polarity, Tier, Unit};

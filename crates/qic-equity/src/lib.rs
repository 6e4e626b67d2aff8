//! Health equity analytics for quality improvement: race, ethnicity, language, sexual
//! orientation and gender identity (REAL and SOGI) as typed code sets, the readiness of an
//! extract's REAL and SOGI data, and small-cell suppression for every output meant for sharing.
//!
//! ```
//! use qic_equity::codes::Dimension;
//! use qic_equity::mapping::{Mapping, MultipleRule};
//! use qic_equity::readiness::{ReadinessCounts, ReadinessThresholds, ReadinessVerdict};
//! use qic_equity::suppression::Suppression;
//!
//! let mapping = Mapping::standard();
//! let mut counts = ReadinessCounts::new([(Dimension::Race, "RACE")], MultipleRule::Multiracial)?;
//! for raw in ["2106-3", "Black", "White; Asian", "ASKU"].repeat(25) {
//!     counts.add_record(&mapping, [raw]);
//! }
//! let report = counts.report(&ReadinessThresholds::default(), &Suppression::default())?;
//! assert_eq!(report.verdict(Dimension::Race), ReadinessVerdict::NotReady); // 75% usable < 80%
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! - [`codes`]: the dimensions and their categories (OMB 1997 and 2024, CDC race and ethnicity
//!   codes, USCDI sexual orientation and gender identity, BCP 47 language tags, interpreter need).
//! - [`mapping`]: raw values (standard codes, local codes, free text) to categories, with user
//!   mapping files; unmapped values are counted and listed, never guessed.
//! - [`readiness`]: per dimension, the shares of usable, declined, unknown, missing and unmapped
//!   values and a verdict against thresholds: the evidence for "accessible and usable REAL and
//!   SOGI data".
//! - [`suppression`]: the small-cell policy (CMS: counts from 1 to 10 hidden, with complementary
//!   suppression) and reliability flags.
//!
//! # Examples
//!
//! Local codes come in through a mapping file:
//!
//! ```
//! use qic_equity::codes::{Category, Dimension, Omb1997Race};
//! use qic_equity::mapping::{Answer, Classified, Mapping};
//!
//! let mut mapping = Mapping::standard();
//! mapping.insert(Dimension::Race, "R-07", Answer::Category(Category::Race(Omb1997Race::Asian)));
//! assert_eq!(mapping.classify(Dimension::Race, "r-07"), Classified::Categories(vec![Category::Race(Omb1997Race::Asian)]));
//! assert_eq!(mapping.classify(Dimension::Race, "R-08"), Classified::Unmapped);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Crate features
//!
//! - **csv** (off by default): read mapping files in CSV.
//! - **toml** (off by default): read mapping files in TOML.
//! - **schema** (off by default): derive `schemars::JsonSchema` for the serialized types, such as
//!   the readiness report.

pub mod codes;
pub mod disparity;
pub mod error;
pub mod mapping;
pub mod period;
#[cfg(feature = "csv")]
pub mod read;
pub mod readiness;
pub mod stats;
pub mod stratify;
pub mod suppression;

pub use error::{EquityError, RowProblem};

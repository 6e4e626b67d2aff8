//! Health equity analytics for quality improvement: race, ethnicity, language, sexual
//! orientation and gender identity (REAL and SOGI) as typed code sets, the readiness of an
//! extract's REAL and SOGI data, measures stratified by period and group with mergeable counts,
//! disparity metrics with confidence intervals, and small-cell suppression in every output meant
//! for sharing.
//!
//! ```
//! use qic_equity::codes::Dimension;
//! use qic_equity::disparity::{RatePolarity, DisparityReport, Reference};
//! use qic_equity::period::Period;
//! use qic_equity::stratify::{Counts, StratifiedCounts, Stratifier, Stratum};
//! use qic_equity::suppression::{Reliability, Suppression};
//!
//! // Counts per month and race, here pre-aggregated (a CSV reader is behind the `csv` feature).
//! let mut counts = StratifiedCounts::new(vec![Stratifier::dimension(Dimension::Race, "race")]);
//! let march = Period::new(2024, 3).unwrap();
//! counts.add_counts(march, Stratum::of(&["white"]), Counts::new(300, 400)?)?;
//! counts.add_counts(march, Stratum::of(&["black_or_african_american"]), Counts::new(110, 200)?)?;
//! counts.add_counts(march, Stratum::of(&["asian"]), Counts::new(6, 9)?)?;
//!
//! // The shareable table hides the small Asian cell (and a second cell, so it cannot be
//! // worked out from the month's total).
//! let table = counts.table(&Suppression::default(), &Reliability::default());
//! assert!(table.cells.iter().any(|c| c.estimate.suppressed));
//!
//! let white = Reference::Group(Stratum::of(&["white"]));
//! let gaps = DisparityReport::new(&table, &white, RatePolarity::HigherIsBetter)?;
//! assert!(gaps.periods[0].comparisons.iter().all(|c| c.rate_difference < 0.0));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! - [`codes`]: the dimensions and their categories (OMB 1997 and 2024, CDC race and ethnicity
//!   codes, USCDI sexual orientation and gender identity, BCP 47 language tags, interpreter need).
//! - [`mapping`]: raw values (standard codes, local codes, free text) to categories, with user
//!   mapping files; unmapped values are counted and listed, never guessed; the roll-up rule for
//!   several races.
//! - [`readiness`]: per dimension, the shares of usable, declined, unknown, missing and unmapped
//!   values and a verdict against thresholds: the evidence for "accessible and usable REAL and
//!   SOGI data".
//! - [`period`]: calendar months, read from dates or months.
//! - [`stratify`]: mergeable counts per period and stratum, and the shareable table with rates,
//!   Wilson intervals, suppression and reliability flags.
//! - [`stats`]: Wilson, Newcombe hybrid score and Katz log-ratio intervals.
//! - [`disparity`]: rate differences and ratios against a reference group, index of disparity,
//!   between-group variance, population attributable proportion, and the gap series.
//! - [`suppression`]: the small-cell policy (CMS: counts from 1 to 10 hidden, with complementary
//!   suppression) and reliability flags.
//! - `read` (feature `csv`): chunked, parallel, streaming reading of CSV extracts.
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
//! Readiness of an extract's race data:
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
//! # Crate features
//!
//! - **csv** (off by default): the `read` module (patient-level extracts and pre-aggregated
//!   counts, read in parallel) and CSV mapping files.
//! - **toml** (off by default): mapping files in TOML.
//! - **schema** (off by default): `schemars::JsonSchema` for the serialized types, such as the
//!   readiness report.

pub mod codes;
pub mod disclosure;
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

//! Small-cell suppression and reliability flags.
//!
//! The CMS cell size policy: no count from 1 to 10 may be shown (0 may), nor any figure from
//! which such a count can be worked out. qic applies it to every output meant for sharing: the
//! stratified table (cells, period and stratum totals, the grand total, and the rows read, used
//! and skipped), the disparity report built from it, the readiness report, and the collaborative
//! report. What exactly is hidden, and the audit that proves no hidden count from 1 to 10 can be
//! narrowed to fewer than 10 values from what is shown, is in [`crate::disclosure`]:
//!
//! 1. **Primary suppression.** An entry is hidden when any count it carries (for a rate: the
//!    numerator, the denominator, and the non-events, the denominator minus the numerator, which
//!    a reader could compute) is from 1 to the threshold. Its rate and interval are hidden with it.
//! 2. **Complementary suppression.** More entries are hidden until the audit passes: every
//!    published total, the rows tally and relations between tables are taken into account.
//!
//! Suppression is on by default ([`Suppression::default`] is the CMS threshold of 10). Turning it
//! off takes a call whose name says what it does: [`Suppression::off_for_internal_use_only`].
//!
//! Separately, an estimate is flagged **unreliable** (shown, with a flag) under a
//! [`Reliability`] rule: by default fewer than 20 events, or a 95% interval wider than 1.6
//! times the rate (the NCHS relative-width criterion).

use serde::{Deserialize, Serialize};

use crate::EquityError;

/// Which small counts are hidden.
///
/// ```
/// use qic_equity::suppression::Suppression;
///
/// let cms = Suppression::default();
/// assert_eq!(cms.threshold(), Some(10));
/// assert!(cms.hides(3) && !cms.hides(0) && !cms.hides(11));
/// let stricter = Suppression::with_threshold(20)?;
/// assert!(stricter.hides(15));
/// assert!(!Suppression::off_for_internal_use_only().is_on());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct Suppression {
    mode: SuppressionMode,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "mode", rename_all = "snake_case")]
enum SuppressionMode {
    /// Counts from 1 to `max_hidden` are hidden, with complementary suppression until no
    /// hidden small count can be narrowed to fewer than `protection_width` values (default:
    /// `max_hidden`).
    SmallCells {
        max_hidden: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        protection_width: Option<u64>,
    },
    /// Nothing is hidden.
    OffForInternalUseOnly,
}

impl Default for Suppression {
    /// The CMS policy: counts from 1 to 10 are hidden.
    fn default() -> Self {
        Self {
            mode: SuppressionMode::SmallCells {
                max_hidden: Self::CMS_THRESHOLD,
                protection_width: None,
            },
        }
    }
}

impl Suppression {
    /// The CMS threshold: counts from 1 to 10 are hidden.
    pub const CMS_THRESHOLD: u64 = 10;

    /// Hides counts from 1 to `max_hidden`.
    ///
    /// # Errors
    ///
    /// [`EquityError::InvalidSetting`] when `max_hidden` is 0 (use
    /// [`off_for_internal_use_only`](Self::off_for_internal_use_only) to hide nothing).
    ///
    /// # Examples
    ///
    /// ```
    /// use qic_equity::suppression::Suppression;
    /// assert!(Suppression::with_threshold(0).is_err());
    /// assert_eq!(Suppression::with_threshold(5)?.threshold(), Some(5));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_threshold(max_hidden: u64) -> Result<Self, EquityError> {
        if max_hidden == 0 {
            return Err(EquityError::InvalidSetting {
                setting: "suppression threshold",
                message:
                    "must be at least 1; turning suppression off is a separate, explicit choice"
                        .to_owned(),
            });
        }
        Ok(Self {
            mode: SuppressionMode::SmallCells {
                max_hidden,
                protection_width: None,
            },
        })
    }

    /// Sets how wide a range a reader must be left for each hidden small count (see
    /// [`crate::disclosure`]): by default the threshold, so a reader learns no more than that a
    /// hidden count is somewhere in a span as wide as the band of hidden counts. A narrower
    /// width hides fewer complementary cells and lets a reader narrow a hidden count further;
    /// 1 only guarantees that no hidden count can be worked out exactly.
    ///
    /// # Errors
    ///
    /// [`EquityError::InvalidSetting`] when `width` is 0, or when suppression is off.
    ///
    /// # Examples
    ///
    /// ```
    /// use qic_equity::suppression::Suppression;
    /// let cms = Suppression::default();
    /// assert_eq!(cms.protection_width(), Some(10));
    /// assert_eq!(cms.with_protection_width(3)?.protection_width(), Some(3));
    /// assert!(cms.with_protection_width(0).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_protection_width(self, width: u64) -> Result<Self, EquityError> {
        match self.mode {
            SuppressionMode::SmallCells { max_hidden, .. } if width > 0 => Ok(Self {
                mode: SuppressionMode::SmallCells {
                    max_hidden,
                    protection_width: Some(width),
                },
            }),
            SuppressionMode::SmallCells { .. } => Err(EquityError::InvalidSetting {
                setting: "protection width",
                message: "must be at least 1 (1: no hidden count can be worked out exactly)"
                    .to_owned(),
            }),
            SuppressionMode::OffForInternalUseOnly => Err(EquityError::InvalidSetting {
                setting: "protection width",
                message: "suppression is off; there is nothing to protect".to_owned(),
            }),
        }
    }

    /// How wide a range a reader must be left for each hidden small count, when suppression is
    /// on.
    pub fn protection_width(&self) -> Option<u64> {
        match self.mode {
            SuppressionMode::SmallCells {
                max_hidden,
                protection_width,
            } => Some(protection_width.unwrap_or(max_hidden)),
            SuppressionMode::OffForInternalUseOnly => None,
        }
    }

    /// Hides nothing. The output then shows counts from 1 to 10 and must not leave the
    /// organization that holds the data.
    pub fn off_for_internal_use_only() -> Self {
        Self {
            mode: SuppressionMode::OffForInternalUseOnly,
        }
    }

    /// Whether anything is hidden.
    pub fn is_on(&self) -> bool {
        matches!(self.mode, SuppressionMode::SmallCells { .. })
    }

    /// The largest hidden count, when suppression is on.
    pub fn threshold(&self) -> Option<u64> {
        match self.mode {
            SuppressionMode::SmallCells { max_hidden, .. } => Some(max_hidden),
            SuppressionMode::OffForInternalUseOnly => None,
        }
    }

    /// Whether a count is hidden by primary suppression (1 to the threshold; 0 is shown).
    pub fn hides(&self, count: u64) -> bool {
        self.threshold().is_some_and(|t| (1..=t).contains(&count))
    }
}

/// When a shown estimate is flagged as statistically unreliable.
///
/// ```
/// use qic_equity::suppression::Reliability;
///
/// let rule = Reliability::default();
/// assert!(rule.is_unreliable(19, 0.2, Some((0.1, 0.3))));
/// assert!(!rule.is_unreliable(40, 0.4, Some((0.35, 0.45))));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Reliability {
    /// Estimates built on fewer events than this are unreliable (default 20, the CDC rule of
    /// thumb for unstable rates).
    pub min_events: u64,
    /// Estimates whose 95% interval is wider than this multiple of the rate are unreliable
    /// (default 1.6, the NCHS relative-width criterion); `None` turns the check off.
    pub max_relative_width: Option<f64>,
}

impl Default for Reliability {
    fn default() -> Self {
        Self {
            min_events: 20,
            max_relative_width: Some(1.6),
        }
    }
}

impl Reliability {
    /// Whether an estimate with `events` events, rate `rate` and interval `interval` is
    /// unreliable.
    pub fn is_unreliable(&self, events: u64, rate: f64, interval: Option<(f64, f64)>) -> bool {
        if events < self.min_events {
            return true;
        }
        match (self.max_relative_width, interval) {
            (Some(max), Some((lo, hi))) if rate > 0.0 => (hi - lo) / rate > max,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppression_serializes_with_an_explicit_mode() {
        let json = serde_json::to_string(&Suppression::default()).unwrap();
        assert_eq!(json, r#"{"mode":"small_cells","max_hidden":10}"#);
        let off = serde_json::to_string(&Suppression::off_for_internal_use_only()).unwrap();
        assert_eq!(off, r#"{"mode":"off_for_internal_use_only"}"#);
    }

    #[test]
    fn reliability_rules() {
        let r = Reliability::default();
        assert!(r.is_unreliable(0, 0.0, None));
        assert!(!r.is_unreliable(20, 0.5, Some((0.45, 0.55))));
        assert!(r.is_unreliable(25, 0.01, Some((0.001, 0.03))));
    }
}

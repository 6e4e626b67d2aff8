//! Small-cell suppression and reliability flags.
//!
//! The CMS cell size policy: no count from 1 to 10 may be shown (0 may), nor any figure from
//! which such a count can be worked out. qic applies it to every output meant for sharing:
//!
//! 1. **Primary suppression.** A cell is hidden when any count it carries (for a rate: the
//!    numerator, the denominator, and the denominator minus the numerator, which a reader could
//!    compute) is from 1 to the threshold. Its rate and interval are hidden with it.
//! 2. **Complementary suppression.** Wherever a total is published (a period's total over all
//!    strata, a stratum's total over all periods, the grand total), a line with exactly one hidden
//!    entry would give it away by subtraction, so a second entry is hidden: the smallest non-zero
//!    one in the line, else the total. A line whose hidden denominators are all 1 would give them
//!    away too, and gets another. This repeats until no line gives anything away.
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
    /// Counts from 1 to `max_hidden` are hidden, with complementary suppression.
    SmallCells { max_hidden: u64 },
    /// Nothing is hidden.
    OffForInternalUseOnly,
}

impl Default for Suppression {
    /// The CMS policy: counts from 1 to 10 are hidden.
    fn default() -> Self {
        Self {
            mode: SuppressionMode::SmallCells {
                max_hidden: Self::CMS_THRESHOLD,
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
            mode: SuppressionMode::SmallCells { max_hidden },
        })
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
            SuppressionMode::SmallCells { max_hidden } => Some(max_hidden),
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

/// One additive relation in a table: the `total` entry is the sum of the `members`.
#[derive(Clone, Debug)]
pub(crate) struct Line {
    pub(crate) members: Vec<usize>,
    pub(crate) total: usize,
}

/// Decides which entries of a table to hide.
///
/// `checked[i]` are the counts of entry `i` that must not be shown when small (for a rate: the
/// numerator, the denominator and their difference); `size[i]` is the count used to choose
/// complementary cells and to check that hidden entries cannot be pinned at 1 (the denominator).
/// Returns one flag per entry.
pub(crate) fn plan(
    suppression: &Suppression,
    checked: &[Vec<u64>],
    size: &[u64],
    lines: &[Line],
) -> Vec<bool> {
    let mut hidden: Vec<bool> = checked
        .iter()
        .map(|counts| counts.iter().any(|&c| suppression.hides(c)))
        .collect();
    if !suppression.is_on() {
        return hidden;
    }
    loop {
        let mut changed = false;
        for line in lines {
            if line_is_safe(line, &hidden, size) {
                continue;
            }
            let candidate = line
                .members
                .iter()
                .copied()
                .filter(|&i| !hidden.get(i).copied().unwrap_or(true))
                .filter(|&i| size.get(i).copied().unwrap_or(0) > 0)
                .min_by_key(|&i| (size.get(i).copied().unwrap_or(0), i))
                .or_else(|| {
                    (!hidden.get(line.total).copied().unwrap_or(true)).then_some(line.total)
                });
            if let Some(flag) = candidate.and_then(|i| hidden.get_mut(i)) {
                *flag = true;
                changed = true;
            }
        }
        if !changed {
            return hidden;
        }
    }
}

/// Whether a line gives nothing away: not exactly one hidden entry, and, when the total is shown,
/// hidden members whose sizes are not all pinned at 1.
pub(crate) fn line_is_safe(line: &Line, hidden: &[bool], size: &[u64]) -> bool {
    let is_hidden = |i: usize| hidden.get(i).copied().unwrap_or(false);
    let hidden_members: Vec<usize> = line
        .members
        .iter()
        .copied()
        .filter(|&i| is_hidden(i))
        .collect();
    let total_hidden = is_hidden(line.total);
    let count = hidden_members.len() + usize::from(total_hidden);
    if count == 1 {
        return false;
    }
    if !total_hidden && !hidden_members.is_empty() {
        let sum: u64 = hidden_members
            .iter()
            .map(|&i| size.get(i).copied().unwrap_or(0))
            .sum();
        if sum == hidden_members.len() as u64 {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_line(values: &[u64]) -> (Vec<Vec<u64>>, Vec<u64>, Vec<Line>) {
        let total: u64 = values.iter().sum();
        let mut all = values.to_vec();
        all.push(total);
        let checked = all.iter().map(|&v| vec![v]).collect();
        let line = Line {
            members: (0..values.len()).collect(),
            total: values.len(),
        };
        (checked, all, vec![line])
    }

    #[test]
    fn a_lone_small_cell_takes_the_smallest_other_cell_with_it() {
        let (checked, size, lines) = one_line(&[5, 300, 40, 0]);
        let hidden = plan(&Suppression::default(), &checked, &size, &lines);
        assert_eq!(hidden, vec![true, false, true, false, false]);
    }

    #[test]
    fn zero_is_shown_and_never_chosen_as_a_complement() {
        let (checked, size, lines) = one_line(&[0, 0, 50, 60]);
        let hidden = plan(&Suppression::default(), &checked, &size, &lines);
        assert!(hidden.iter().all(|h| !h));
    }

    #[test]
    fn two_hidden_ones_get_a_third() {
        // 1 and 1 hidden next to a shown total would both be pinned at 1.
        let (checked, size, lines) = one_line(&[1, 1, 500, 600]);
        let hidden = plan(&Suppression::default(), &checked, &size, &lines);
        assert_eq!(hidden, vec![true, true, true, false, false]);
    }

    #[test]
    fn a_small_total_hides_a_member_too() {
        // Total 8 is hidden; its only member with a count is hidden too.
        let (checked, size, lines) = one_line(&[8, 0]);
        let hidden = plan(&Suppression::default(), &checked, &size, &lines);
        assert_eq!(hidden, vec![true, false, true]);
    }

    #[test]
    fn off_hides_nothing_and_threshold_is_configurable() {
        let (checked, size, lines) = one_line(&[5, 300]);
        let off = plan(
            &Suppression::off_for_internal_use_only(),
            &checked,
            &size,
            &lines,
        );
        assert!(off.iter().all(|h| !h));
        let (checked, size, lines) = one_line(&[15, 300, 400]);
        let strict = plan(
            &Suppression::with_threshold(20).unwrap(),
            &checked,
            &size,
            &lines,
        );
        assert_eq!(strict, vec![true, true, false, false]);
    }

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

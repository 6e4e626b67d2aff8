//! Interval estimates for proportions, their differences and their ratios.
//!
//! All intervals are two-sided at the level given by `z` (use [`Z95`] for 95%).

use serde::{Deserialize, Serialize};

/// The standard normal quantile for a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// A confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Interval {
    /// The lower limit.
    pub lower: f64,
    /// The upper limit.
    pub upper: f64,
}

impl Interval {
    /// Whether `value` lies within the limits (inclusive, with a tolerance of 1e-12 for
    /// rounding).
    pub fn contains(&self, value: f64) -> bool {
        self.lower - 1e-12 <= value && value <= self.upper + 1e-12
    }
}

/// The Wilson score interval for a proportion of `events` out of `trials` (Wilson 1927; method 3
/// of Newcombe 1998). `None` when there are no trials or more events than trials.
///
/// ```
/// use qic_equity::stats::{wilson, Z95};
///
/// // Newcombe (1998), single proportion example: 81/263 gives 0.2553 to 0.3662.
/// let ci = wilson(81, 263, Z95).unwrap();
/// assert!((ci.lower - 0.2553).abs() < 5e-5 && (ci.upper - 0.3662).abs() < 5e-5);
/// ```
pub fn wilson(events: u64, trials: u64, z: f64) -> Option<Interval> {
    if trials == 0 || events > trials {
        return None;
    }
    let n = trials as f64;
    let p = events as f64 / n;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = z / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // Clamp away rounding below 0 or above 1, and pin the limits at p for 0 and n events.
    let lower = if events == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let upper = if events == trials {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    Some(Interval { lower, upper })
}

/// Newcombe's hybrid score interval for the difference of two proportions `events1/trials1 -
/// events2/trials2` (method 10 of Newcombe 1998, built from the two Wilson intervals). `None`
/// when either group has no trials.
///
/// ```
/// use qic_equity::stats::{newcombe_difference, Z95};
///
/// // Newcombe (1998), example (a): 56/70 - 48/80 = 0.2000, interval 0.0524 to 0.3339.
/// let ci = newcombe_difference(56, 70, 48, 80, Z95).unwrap();
/// assert!((ci.lower - 0.0524).abs() < 5e-5 && (ci.upper - 0.3339).abs() < 5e-5);
/// ```
pub fn newcombe_difference(
    events1: u64,
    trials1: u64,
    events2: u64,
    trials2: u64,
    z: f64,
) -> Option<Interval> {
    let w1 = wilson(events1, trials1, z)?;
    let w2 = wilson(events2, trials2, z)?;
    let p1 = events1 as f64 / trials1 as f64;
    let p2 = events2 as f64 / trials2 as f64;
    let d = p1 - p2;
    let delta = ((p1 - w1.lower).powi(2) + (w2.upper - p2).powi(2)).sqrt();
    let epsilon = ((w1.upper - p1).powi(2) + (p2 - w2.lower).powi(2)).sqrt();
    Some(Interval {
        lower: d - delta,
        upper: d + epsilon,
    })
}

/// The interval for the ratio of two proportions `(events1/trials1) / (events2/trials2)` on the
/// log scale (Katz et al. 1978): `exp(ln RR ± z·sqrt(1/x1 − 1/n1 + 1/x2 − 1/n2))`. `None` when
/// either group has no events (the ratio or its logarithm is then undefined) or no trials.
///
/// ```
/// use qic_equity::stats::{katz_ratio, Z95};
///
/// // 30/100 against 15/100: RR = 2, interval exp(ln 2 ± 1.96·sqrt(1/30 − 1/100 + 1/15 − 1/100)).
/// let ci = katz_ratio(30, 100, 15, 100, Z95).unwrap();
/// assert!((ci.lower - 1.1489).abs() < 1e-4 && (ci.upper - 3.4817).abs() < 1e-4);
/// ```
pub fn katz_ratio(
    events1: u64,
    trials1: u64,
    events2: u64,
    trials2: u64,
    z: f64,
) -> Option<Interval> {
    if events1 == 0 || events2 == 0 || events1 > trials1 || events2 > trials2 {
        return None;
    }
    let (x1, n1, x2, n2) = (
        events1 as f64,
        trials1 as f64,
        events2 as f64,
        trials2 as f64,
    );
    let log_ratio = ((x1 / n1) / (x2 / n2)).ln();
    let se = (1.0 / x1 - 1.0 / n1 + 1.0 / x2 - 1.0 / n2).max(0.0).sqrt();
    Some(Interval {
        lower: (log_ratio - z * se).exp(),
        upper: (log_ratio + z * se).exp(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(ci: Interval, lower: f64, upper: f64) {
        assert!(
            (ci.lower - lower).abs() < 5e-5 && (ci.upper - upper).abs() < 5e-5,
            "{ci:?} vs ({lower}, {upper})"
        );
    }

    #[test]
    fn wilson_against_newcombe_1998_single_proportion_examples() {
        close(wilson(81, 263, Z95).unwrap(), 0.2553, 0.3662);
        close(wilson(15, 148, Z95).unwrap(), 0.0624, 0.1605);
        close(wilson(0, 20, Z95).unwrap(), 0.0, 0.1611);
        close(wilson(1, 29, Z95).unwrap(), 0.0061, 0.1718);
        assert_eq!(wilson(3, 0, Z95), None);
        assert_eq!(wilson(4, 3, Z95), None);
        let all = wilson(20, 20, Z95).unwrap();
        assert!((all.upper - 1.0).abs() < f64::EPSILON);
    }

    #[test]
    fn newcombe_method_10_against_the_paper() {
        // Newcombe (1998), method 10: examples (a) and (b) as published (and checked by the
        // propint R package's tests); the cases with zero or full counts follow from the Wilson
        // limits 0.1611 (0/20) and 0.2775 (0/10).
        close(
            newcombe_difference(56, 70, 48, 80, Z95).unwrap(),
            0.0524,
            0.3339,
        );
        close(
            newcombe_difference(9, 10, 3, 10, Z95).unwrap(),
            0.1705,
            0.8090,
        );
        close(
            newcombe_difference(0, 10, 0, 20, Z95).unwrap(),
            -0.1611,
            0.2775,
        );
        close(
            newcombe_difference(0, 10, 0, 10, Z95).unwrap(),
            -0.2775,
            0.2775,
        );
        close(
            newcombe_difference(10, 10, 0, 20, Z95).unwrap(),
            0.6791,
            1.0,
        );
        close(
            newcombe_difference(10, 10, 0, 10, Z95).unwrap(),
            0.6075,
            1.0,
        );
        assert_eq!(newcombe_difference(1, 0, 1, 2, Z95), None);
    }

    #[test]
    fn katz_ratio_worked_example_and_undefined_cases() {
        let ci = katz_ratio(30, 100, 15, 100, Z95).unwrap();
        let se = (1.0f64 / 30.0 - 0.01 + 1.0 / 15.0 - 0.01).sqrt();
        assert!((ci.lower - (2f64.ln() - Z95 * se).exp()).abs() < 1e-12);
        assert!((ci.upper - (2f64.ln() + Z95 * se).exp()).abs() < 1e-12);
        assert_eq!(katz_ratio(0, 10, 3, 10, Z95), None);
        assert_eq!(katz_ratio(3, 10, 0, 10, Z95), None);
    }
}

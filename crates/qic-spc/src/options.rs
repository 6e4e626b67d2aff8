//! What to compute: the chart type, the rule set, and the options of a chart.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::SpcError;

/// The chart types of qicharts2 0.8.1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartType {
    /// Run chart: the median as centre line, no control limits.
    Run,
    /// Individuals chart (moving-range sigma, screened by default).
    I,
    /// Moving-range chart.
    Mr,
    /// Chart of subgroup means (several values per subgroup).
    Xbar,
    /// Chart of subgroup standard deviations.
    S,
    /// Time between rare events (an I chart on y^(1/3.6)).
    T,
    /// Proportions: numerators over denominators, binomial limits.
    P,
    /// Laney's P′: a p chart whose sigma is inflated by the between-subgroup variation.
    Pp,
    /// Counts, Poisson limits.
    C,
    /// Rates: counts over exposure, Poisson limits.
    U,
    /// Laney's U′.
    Up,
    /// Opportunities (e.g. cases) between rare events, geometric limits.
    G,
}

impl ChartType {
    /// Every chart type, in the order of the documentation.
    pub const ALL: [Self; 12] = [
        Self::Run,
        Self::I,
        Self::Mr,
        Self::Xbar,
        Self::S,
        Self::T,
        Self::P,
        Self::Pp,
        Self::C,
        Self::U,
        Self::Up,
        Self::G,
    ];

    /// The short name used in files and on the command line (`run`, `i`, `pp`, …).
    pub fn name(self) -> &'static str {
        match self {
            Self::Run => "run",
            Self::I => "i",
            Self::Mr => "mr",
            Self::Xbar => "xbar",
            Self::S => "s",
            Self::T => "t",
            Self::P => "p",
            Self::Pp => "pp",
            Self::C => "c",
            Self::U => "u",
            Self::Up => "up",
            Self::G => "g",
        }
    }

    /// A title for people, e.g. "P′ chart".
    pub fn title(self) -> &'static str {
        match self {
            Self::Run => "Run chart",
            Self::I => "I chart",
            Self::Mr => "MR chart",
            Self::Xbar => "Xbar chart",
            Self::S => "S chart",
            Self::T => "T chart",
            Self::P => "P chart",
            Self::Pp => "P′ chart",
            Self::C => "C chart",
            Self::U => "U chart",
            Self::Up => "U′ chart",
            Self::G => "G chart",
        }
    }

    /// Whether the chart needs denominators (`n`): p, p′, u and u′.
    pub fn needs_denominators(self) -> bool {
        matches!(self, Self::P | Self::Pp | Self::U | Self::Up)
    }

    /// Whether the chart refuses denominators, because it reads raw values (xbar, s) or raw
    /// counts (c).
    pub fn refuses_denominators(self) -> bool {
        matches!(self, Self::Xbar | Self::S | Self::C)
    }

    /// Whether the chart has control limits (every type but the run chart).
    pub fn has_limits(self) -> bool {
        self != Self::Run
    }

    /// Checks one input row's values for this chart type: counts are not negative, a
    /// proportion's numerator is not above its denominator, a time between events is positive.
    /// Missing values pass (they are handled as missing).
    ///
    /// # Errors
    ///
    /// The problem found, without the value (values may be about patients).
    pub fn check_row(self, y: Option<f64>, n: Option<f64>) -> Result<(), ValueProblem> {
        if let Some(n) = n
            && n < 0.0
        {
            return Err(ValueProblem::NegativeDenominator);
        }
        let Some(y) = y else { return Ok(()) };
        match self {
            Self::P | Self::Pp => {
                if y < 0.0 {
                    return Err(ValueProblem::NegativeCount);
                }
                if let Some(n) = n
                    && y > n
                {
                    return Err(ValueProblem::NumeratorAboveDenominator);
                }
            }
            Self::C | Self::U | Self::Up | Self::G if y < 0.0 => {
                return Err(ValueProblem::NegativeCount);
            }
            Self::T if y <= 0.0 => return Err(ValueProblem::NotPositive),
            _ => {}
        }
        Ok(())
    }
}

impl fmt::Display for ChartType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ChartType {
    type Err = SpcError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        let found = match lower.as_str() {
            "pprime" | "p'" => Some(Self::Pp),
            "uprime" | "u'" => Some(Self::Up),
            other => Self::ALL.into_iter().find(|t| t.name() == other),
        };
        found.ok_or_else(|| SpcError::UnknownChartType { name: s.to_owned() })
    }
}

/// What is wrong with a value of an input row (the value itself is never repeated).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ValueProblem {
    /// A count (numerator) is negative.
    NegativeCount,
    /// A denominator is negative.
    NegativeDenominator,
    /// A p or p′ chart numerator is larger than its denominator.
    NumeratorAboveDenominator,
    /// A t chart value (time between events) is zero or negative.
    NotPositive,
    /// The value is infinite or not a number.
    NotFinite,
}

impl fmt::Display for ValueProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NegativeCount => "a count may not be negative",
            Self::NegativeDenominator => "a denominator may not be negative",
            Self::NumeratorAboveDenominator => "the numerator is larger than the denominator",
            Self::NotPositive => "a time between events must be greater than zero",
            Self::NotFinite => "the value is not a finite number",
        })
    }
}

/// Which rules look for special-cause variation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalRules {
    /// Anhøj: unusually long runs and unusually few crossings of the centre line, plus points
    /// beyond the 3-sigma limits (qicharts2's default).
    #[default]
    Anhoej,
    /// The IHI run-chart rules of Perla, Provost and Murray (2011): shift, trend, too few or
    /// too many runs, and an astronomical point (outside the control limits).
    Ihi,
    /// The NHS "Making Data Count" rules as `NHSRplotthedots` 0.2.2 applies them: a point outside
    /// the limits, a shift, a trend, two of three points beyond 2 sigma.
    Mdc,
}

impl SignalRules {
    /// The name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::Anhoej => "anhoej",
            Self::Ihi => "ihi",
            Self::Mdc => "mdc",
        }
    }
}

impl FromStr for SignalRules {
    type Err = SpcError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "anhoej" | "anhøj" | "anhoj" => Ok(Self::Anhoej),
            "ihi" => Ok(Self::Ihi),
            "mdc" | "making-data-count" => Ok(Self::Mdc),
            _ => Err(SpcError::UnknownRuleSet { name: s.to_owned() }),
        }
    }
}

/// Which way is better for the measure.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImprovementDirection {
    /// Higher is better (e.g. a completion rate).
    Increase,
    /// Lower is better (e.g. an infection rate).
    Decrease,
    /// Neither: signals are reported as high or low, not as improvement or concern.
    #[default]
    Neutral,
}

/// The IHI rule parameters (Perla, Provost and Murray 2011 by default).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IhiOptions {
    /// A shift is this many or more consecutive useful points on one side of the centre line.
    pub shift: usize,
    /// A trend is this many or more consecutive points all going up or all going down.
    pub trend: usize,
    /// What counts as an astronomical point.
    pub astronomical: Astronomical,
}

impl Default for IhiOptions {
    fn default() -> Self {
        Self {
            shift: 6,
            trend: 5,
            astronomical: Astronomical::OutsideLimits,
        }
    }
}

/// The explicit criterion for the IHI "astronomical data point", which the paper leaves to
/// judgement.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Astronomical {
    /// A point beyond the chart's 3-sigma limits (never fires on a run chart, which has none).
    #[default]
    OutsideLimits,
    /// Not evaluated.
    Off,
}

/// The Making Data Count rule parameters (`NHSRplotthedots` 0.2.2 by default).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MdcOptions {
    /// A shift is this many consecutive points on one side of the centre line (a point on the
    /// line breaks it).
    pub shift: usize,
    /// A trend is this many consecutive points strictly increasing or decreasing.
    pub trend: usize,
    /// For i charts, use `NHSRplotthedots`' constants (limits at mean ± 2.66·AMR, 2-sigma lines at
    /// mean ± 1.7733·AMR) instead of qicharts2's mean ± 3·AMR/1.128 (= 2.6596·AMR).
    pub ptd_constants: bool,
}

impl Default for MdcOptions {
    fn default() -> Self {
        Self {
            shift: 7,
            trend: 7,
            ptd_constants: true,
        }
    }
}

/// The options of a chart. Every field has a default that matches qicharts2 attached with
/// `library(qicharts2)`; chain the methods to change them.
///
/// ```
/// use qic_spc::{ChartOptions, ImprovementDirection, SignalRules};
///
/// let options = ChartOptions::default()
///     .freeze(12)
///     .parts([24])
///     .exclude([7])
///     .rules(SignalRules::Ihi)
///     .target(0.8)
///     .direction(ImprovementDirection::Increase);
/// assert_eq!(options.freeze, Some(12));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ChartOptions {
    /// The first `freeze` subgroups of each part form its baseline: only they estimate the
    /// centre line and limits, which then extend over the rest of the part. With no parts this
    /// is qicharts2's `freeze`; qicharts2 ignores `freeze` when parts are given.
    pub freeze: Option<usize>,
    /// Break positions: a new part starts after each given subgroup (counted from 1). Each
    /// part gets its own centre line, limits and runs analysis.
    pub parts: Vec<usize>,
    /// Subgroups (counted from 1) left out of the estimates and the runs analysis; they are
    /// still plotted and can still have a sigma signal.
    pub exclude: Vec<usize>,
    /// Multiply plotted values, centre line and limits by this (e.g. 100 for percent).
    pub multiply: f64,
    /// Discard moving ranges above 3.267 times their mean before estimating sigma (i, t, p′,
    /// u′ charts). qicharts2 does this when attached with `library()`.
    pub screened_mr: bool,
    /// Allow negative lower limits. When false and no plotted value is negative, negative
    /// lower limits are raised to 0 (qicharts2's `y.neg = FALSE`).
    pub negative_limits: bool,
    /// A centre line given by the user instead of the computed one (in the units before
    /// `multiply`). For g charts the displayed centre is 0.693 times this value.
    pub centre: Option<f64>,
    /// A target value, drawn on the chart and used for the Making Data Count assurance.
    pub target: Option<f64>,
    /// Which way is better.
    pub direction: ImprovementDirection,
    /// The rule set.
    pub rules: SignalRules,
    /// Parameters of the IHI rules.
    pub ihi: IhiOptions,
    /// Parameters of the Making Data Count rules.
    pub mdc: MdcOptions,
}

impl Default for ChartOptions {
    fn default() -> Self {
        Self {
            freeze: None,
            parts: Vec::new(),
            exclude: Vec::new(),
            multiply: 1.0,
            screened_mr: true,
            negative_limits: true,
            centre: None,
            target: None,
            direction: ImprovementDirection::Neutral,
            rules: SignalRules::Anhoej,
            ihi: IhiOptions::default(),
            mdc: MdcOptions::default(),
        }
    }
}

impl ChartOptions {
    /// The defaults (same as [`Default`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// Freezes the baseline at the first `subgroups` subgroups of each part.
    #[must_use]
    pub fn freeze(mut self, subgroups: usize) -> Self {
        self.freeze = Some(subgroups);
        self
    }

    /// Starts a new part after each of these subgroups (counted from 1).
    #[must_use]
    pub fn parts(mut self, after: impl IntoIterator<Item = usize>) -> Self {
        self.parts = after.into_iter().collect();
        self
    }

    /// Leaves these subgroups (counted from 1) out of the estimates and the runs analysis.
    #[must_use]
    pub fn exclude(mut self, subgroups: impl IntoIterator<Item = usize>) -> Self {
        self.exclude = subgroups.into_iter().collect();
        self
    }

    /// Multiplies plotted values and lines by `factor` (e.g. 100 for percent).
    #[must_use]
    pub fn multiply(mut self, factor: f64) -> Self {
        self.multiply = factor;
        self
    }

    /// Turns the screening of large moving ranges on or off.
    #[must_use]
    pub fn screened_mr(mut self, on: bool) -> Self {
        self.screened_mr = on;
        self
    }

    /// Allows or forbids negative lower limits (qicharts2's `y.neg`).
    #[must_use]
    pub fn negative_limits(mut self, allowed: bool) -> Self {
        self.negative_limits = allowed;
        self
    }

    /// Uses `value` as the centre line.
    #[must_use]
    pub fn centre(mut self, value: f64) -> Self {
        self.centre = Some(value);
        self
    }

    /// Sets a target.
    #[must_use]
    pub fn target(mut self, value: f64) -> Self {
        self.target = Some(value);
        self
    }

    /// Sets the improvement direction.
    #[must_use]
    pub fn direction(mut self, direction: ImprovementDirection) -> Self {
        self.direction = direction;
        self
    }

    /// Chooses the rule set.
    #[must_use]
    pub fn rules(mut self, rules: SignalRules) -> Self {
        self.rules = rules;
        self
    }

    /// Sets the IHI rule parameters.
    #[must_use]
    pub fn ihi(mut self, ihi: IhiOptions) -> Self {
        self.ihi = ihi;
        self
    }

    /// Sets the Making Data Count rule parameters.
    #[must_use]
    pub fn mdc(mut self, mdc: MdcOptions) -> Self {
        self.mdc = mdc;
        self
    }

    /// Checks the options that do not depend on the data (computing a chart checks them too).
    ///
    /// # Errors
    ///
    /// [`SpcError::InvalidOption`]: a multiply that is not a finite number above 0, a freeze
    /// of 0, a part or exclude position of 0, a centre or target that is not finite, a shift
    /// or trend shorter than 2.
    pub fn validate(&self) -> Result<(), SpcError> {
        if !self.multiply.is_finite() || self.multiply <= 0.0 {
            return Err(SpcError::InvalidOption {
                option: "multiply",
                reason: "must be a finite number greater than zero",
            });
        }
        if self.freeze == Some(0) {
            return Err(SpcError::InvalidOption {
                option: "freeze",
                reason: "must be at least 1",
            });
        }
        if self.parts.contains(&0) {
            return Err(SpcError::InvalidOption {
                option: "part",
                reason: "positions count subgroups from 1 (a new part starts after subgroup N); 0 is none",
            });
        }
        if self.exclude.contains(&0) {
            return Err(SpcError::InvalidOption {
                option: "exclude",
                reason: "positions count subgroups from 1; 0 is none",
            });
        }
        if let Some(c) = self.centre
            && !c.is_finite()
        {
            return Err(SpcError::InvalidOption {
                option: "centre",
                reason: "must be a finite number",
            });
        }
        if let Some(t) = self.target
            && !t.is_finite()
        {
            return Err(SpcError::InvalidOption {
                option: "target",
                reason: "must be a finite number",
            });
        }
        if self.ihi.shift < 2 || self.ihi.trend < 2 || self.mdc.shift < 2 || self.mdc.trend < 2 {
            return Err(SpcError::InvalidOption {
                option: "shift/trend length",
                reason: "must be at least 2",
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_names_round_trip() {
        for t in ChartType::ALL {
            assert_eq!(t.name().parse::<ChartType>().ok(), Some(t));
        }
        assert_eq!("pprime".parse::<ChartType>().ok(), Some(ChartType::Pp));
        assert!("np".parse::<ChartType>().is_err());
    }

    #[test]
    fn rule_set_names_take_the_common_spellings() {
        for name in ["anhoej", "Anhøj", "anhoj"] {
            assert_eq!(
                name.parse::<SignalRules>().ok(),
                Some(SignalRules::Anhoej),
                "{name}"
            );
        }
        assert_eq!(
            "making-data-count".parse::<SignalRules>().ok(),
            Some(SignalRules::Mdc)
        );
        assert!("westgard".parse::<SignalRules>().is_err());
    }

    #[test]
    fn rows_are_checked_per_chart_type() {
        assert_eq!(
            ChartType::P.check_row(Some(5.0), Some(4.0)),
            Err(ValueProblem::NumeratorAboveDenominator)
        );
        assert_eq!(
            ChartType::P.check_row(Some(-1.0), Some(4.0)),
            Err(ValueProblem::NegativeCount)
        );
        assert_eq!(
            ChartType::T.check_row(Some(0.0), None),
            Err(ValueProblem::NotPositive)
        );
        assert_eq!(
            ChartType::U.check_row(Some(1.0), Some(-1.0)),
            Err(ValueProblem::NegativeDenominator)
        );
        assert_eq!(ChartType::I.check_row(Some(-10.0), None), Ok(()));
        assert_eq!(ChartType::P.check_row(None, Some(4.0)), Ok(()));
    }

    #[test]
    fn bad_options_are_refused() {
        assert!(ChartOptions::default().multiply(0.0).validate().is_err());
        assert!(ChartOptions::default().freeze(0).validate().is_err());
        assert!(ChartOptions::default().target(f64::NAN).validate().is_err());
        assert!(ChartOptions::default().validate().is_ok());
    }
}

//! What a computed chart holds: per-point values, per-part summaries and the signals found.
//!
//! A [`ChartResult`] keeps its values in columns: the plotted values, the denominators (whole
//! numbers in four bytes each), a byte of flags per point, and the lines per part (limits that
//! vary by point are derived from the denominators when read), so a chart of a million points
//! costs about 13 bytes per point; [`ChartResult::points`] hands out one plain [`Point`] at a
//! time, and serialization writes the JSON contract point by point.

use std::fmt;

use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Deserialize, Serialize, Serializer};

use crate::options::{ChartType, ImprovementDirection, SignalRules};
use crate::x::{Date, Keys, X, XKind};

pub(crate) const BASELINE: u8 = 1;
pub(crate) const INCLUDE: u8 = 2;
pub(crate) const SIGMA: u8 = 4;

/// The rule behind a signal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RuleId {
    /// A point beyond the 3-sigma limits (Shewhart; qicharts2's `sigma.signal`).
    Sigma,
    /// Anhøj: a run longer than round(log2(n)) + 3 useful observations.
    AnhoejLongestRun,
    /// Anhøj: fewer crossings of the centre line than the 5th percentile of Binomial(n − 1, ½).
    AnhoejCrossings,
    /// IHI: a shift, six or more useful points in a row on one side of the centre line.
    IhiShift,
    /// IHI: a trend, five or more points in a row all going up or all going down.
    IhiTrend,
    /// IHI: fewer runs than the Swed–Eisenhart lower limit.
    IhiTooFewRuns,
    /// IHI: more runs than the Swed–Eisenhart upper limit.
    IhiTooManyRuns,
    /// IHI: an astronomical point (by default, a point beyond the control limits).
    IhiAstronomical,
    /// Making Data Count: a point outside the process limits.
    MdcOutsideLimits,
    /// Making Data Count: a shift of (by default) seven points on one side of the mean.
    MdcShift,
    /// Making Data Count: a trend of (by default) seven points increasing or decreasing.
    MdcTrend,
    /// Making Data Count: two of three points beyond 2 sigma on the same side.
    MdcTwoOfThree,
}

impl RuleId {
    /// Every rule, in bit order.
    pub const ALL: [Self; 12] = [
        Self::Sigma,
        Self::AnhoejLongestRun,
        Self::AnhoejCrossings,
        Self::IhiShift,
        Self::IhiTrend,
        Self::IhiTooFewRuns,
        Self::IhiTooManyRuns,
        Self::IhiAstronomical,
        Self::MdcOutsideLimits,
        Self::MdcShift,
        Self::MdcTrend,
        Self::MdcTwoOfThree,
    ];

    pub(crate) fn bit(self) -> u16 {
        match self {
            Self::Sigma => 1,
            Self::AnhoejLongestRun => 1 << 1,
            Self::AnhoejCrossings => 1 << 2,
            Self::IhiShift => 1 << 3,
            Self::IhiTrend => 1 << 4,
            Self::IhiTooFewRuns => 1 << 5,
            Self::IhiTooManyRuns => 1 << 6,
            Self::IhiAstronomical => 1 << 7,
            Self::MdcOutsideLimits => 1 << 8,
            Self::MdcShift => 1 << 9,
            Self::MdcTrend => 1 << 10,
            Self::MdcTwoOfThree => 1 << 11,
        }
    }

    /// The rule's id as written in JSON, e.g. `anhoej_longest_run`.
    pub fn id(self) -> &'static str {
        match self {
            Self::Sigma => "sigma",
            Self::AnhoejLongestRun => "anhoej_longest_run",
            Self::AnhoejCrossings => "anhoej_crossings",
            Self::IhiShift => "ihi_shift",
            Self::IhiTrend => "ihi_trend",
            Self::IhiTooFewRuns => "ihi_too_few_runs",
            Self::IhiTooManyRuns => "ihi_too_many_runs",
            Self::IhiAstronomical => "ihi_astronomical",
            Self::MdcOutsideLimits => "mdc_outside_limits",
            Self::MdcShift => "mdc_shift",
            Self::MdcTrend => "mdc_trend",
            Self::MdcTwoOfThree => "mdc_two_of_three",
        }
    }

    /// Whether the rule judges a whole part at once (the number of crossings or runs) rather
    /// than particular points.
    pub fn is_part_wide(self) -> bool {
        matches!(
            self,
            Self::AnhoejCrossings | Self::IhiTooFewRuns | Self::IhiTooManyRuns
        )
    }

    /// Whether the rule looks at single points against the limits (rather than at a pattern of
    /// runs or trends).
    pub fn is_limit_rule(self) -> bool {
        matches!(
            self,
            Self::Sigma | Self::IhiAstronomical | Self::MdcOutsideLimits | Self::MdcTwoOfThree
        )
    }

    /// A sentence fragment for people, e.g. "an unusually long run".
    pub fn describe(self) -> &'static str {
        match self {
            Self::Sigma => "a point beyond the 3-sigma limits",
            Self::AnhoejLongestRun => "an unusually long run (Anhøj)",
            Self::AnhoejCrossings => "unusually few crossings of the centre line (Anhøj)",
            Self::IhiShift => "a shift (IHI)",
            Self::IhiTrend => "a trend (IHI)",
            Self::IhiTooFewRuns => "too few runs (IHI)",
            Self::IhiTooManyRuns => "too many runs (IHI)",
            Self::IhiAstronomical => "an astronomical point (IHI)",
            Self::MdcOutsideLimits => "a point outside the process limits",
            Self::MdcShift => "a shift about the mean",
            Self::MdcTrend => "a trend",
            Self::MdcTwoOfThree => "two of three points beyond 2 sigma",
        }
    }

    /// A short label in plain words, e.g. "long run" (for tables and point lists).
    pub fn label(self) -> &'static str {
        match self {
            Self::Sigma => "beyond limits",
            Self::AnhoejLongestRun => "long run",
            Self::AnhoejCrossings => "few crossings",
            Self::IhiShift | Self::MdcShift => "shift",
            Self::IhiTrend | Self::MdcTrend => "trend",
            Self::IhiTooFewRuns => "too few runs",
            Self::IhiTooManyRuns => "too many runs",
            Self::IhiAstronomical => "astronomical point",
            Self::MdcOutsideLimits => "outside limits",
            Self::MdcTwoOfThree => "two of three near a limit",
        }
    }

    pub(crate) fn from_bits(bits: u16) -> Vec<Self> {
        if bits == 0 {
            return Vec::new();
        }
        Self::ALL
            .into_iter()
            .filter(|r| bits & r.bit() != 0)
            .collect()
    }
}

/// Which side of the centre line (or which way) a signal points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Above the centre line, above the upper limit, or increasing.
    High,
    /// Below the centre line, below the lower limit, or decreasing.
    Low,
}

/// Whether a signal is good or bad news, given the improvement direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assessment {
    /// The signal points the way that is better.
    Improvement,
    /// The signal points the way that is worse.
    Concern,
}

/// One signal: a rule that fired, in which part, over which subgroups.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signal {
    /// The rule.
    pub rule: RuleId,
    /// The part (counted from 1).
    pub part: usize,
    /// The first subgroup involved (counted from 1).
    pub from: usize,
    /// The last subgroup involved (counted from 1; equal to `from` for a single point). Points
    /// in between that the rule skips (excluded points, points on the centre line) are not
    /// flagged; each point's own `signals` list says which rules flagged it.
    pub to: usize,
    /// High or low, when the rule has a direction.
    pub side: Option<Side>,
    /// Improvement or concern, when both the side and the improvement direction are known.
    pub assessment: Option<Assessment>,
}

/// The Making Data Count classification of one point (`NHSRplotthedots`' `point_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointType {
    /// No rule fired at this point.
    CommonCause,
    /// A rule fired, pointing the better way.
    SpecialCauseImprovement,
    /// A rule fired, pointing the worse way.
    SpecialCauseConcern,
    /// A rule fired upwards and there is no improvement direction.
    SpecialCauseNeutralHigh,
    /// A rule fired downwards and there is no improvement direction.
    SpecialCauseNeutralLow,
}

/// The Making Data Count variation icon, from the last point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Variation {
    /// Common cause variation only.
    CommonCause,
    /// Special cause, improving, by higher values.
    ImprovementHigh,
    /// Special cause, improving, by lower values.
    ImprovementLow,
    /// Special cause of concern, by higher values.
    ConcernHigh,
    /// Special cause of concern, by lower values.
    ConcernLow,
    /// Special cause upwards, no improvement direction.
    NeutralHigh,
    /// Special cause downwards, no improvement direction.
    NeutralLow,
}

/// The Making Data Count assurance icon: can the process meet the target?
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assurance {
    /// The target lies beyond the limits on the worse side: the process will consistently pass.
    ConsistentPass,
    /// The target lies beyond the limits on the better side: the process will consistently fail.
    ConsistentFail,
    /// The target lies within the limits: hit and miss.
    Inconsistent,
}

impl PointType {
    /// The class's id as written in JSON, e.g. `special_cause_improvement`.
    pub fn id(self) -> &'static str {
        match self {
            Self::CommonCause => "common_cause",
            Self::SpecialCauseImprovement => "special_cause_improvement",
            Self::SpecialCauseConcern => "special_cause_concern",
            Self::SpecialCauseNeutralHigh => "special_cause_neutral_high",
            Self::SpecialCauseNeutralLow => "special_cause_neutral_low",
        }
    }

    /// The class in plain words, e.g. "special cause improvement".
    pub fn describe(self) -> &'static str {
        match self {
            Self::CommonCause => "common cause",
            Self::SpecialCauseImprovement => "special cause improvement",
            Self::SpecialCauseConcern => "special cause concern",
            Self::SpecialCauseNeutralHigh => "special cause, higher (no better way)",
            Self::SpecialCauseNeutralLow => "special cause, lower (no better way)",
        }
    }
}

impl fmt::Display for PointType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

impl Variation {
    /// The icon in plain words, e.g. "special cause improvement, by higher values".
    pub fn describe(self) -> &'static str {
        match self {
            Self::CommonCause => "common cause variation only",
            Self::ImprovementHigh => "special cause improvement, by higher values",
            Self::ImprovementLow => "special cause improvement, by lower values",
            Self::ConcernHigh => "special cause concern, by higher values",
            Self::ConcernLow => "special cause concern, by lower values",
            Self::NeutralHigh => "special cause variation upwards (no better way given)",
            Self::NeutralLow => "special cause variation downwards (no better way given)",
        }
    }
}

impl fmt::Display for Variation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

impl Assurance {
    /// The icon in plain words, e.g. "hit and miss: the target lies within the process limits".
    pub fn describe(self) -> &'static str {
        match self {
            Self::ConsistentPass => {
                "consistently passing: the target lies beyond the process limits, on the worse side"
            }
            Self::ConsistentFail => {
                "consistently failing: the target lies beyond the process limits, on the better side"
            }
            Self::Inconsistent => "hit and miss: the target lies within the process limits",
        }
    }
}

impl fmt::Display for Assurance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

impl fmt::Display for MdcSummary {
    /// "variation: …; assurance: …" in plain words (assurance only when there is one).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "variation: {}", self.variation)?;
        match self.assurance {
            Some(a) => write!(f, "; assurance: {a}"),
            None => f.write_str("; no assurance (it needs a target and a better way)"),
        }
    }
}

/// The Making Data Count summary of a chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MdcSummary {
    /// The variation icon (from the last point with a value).
    pub variation: Variation,
    /// The assurance icon, when a target and a direction are given and the chart has limits.
    pub assurance: Option<Assurance>,
}

/// One subgroup of a computed chart, as the JSON contract shows it. Undefined numbers are
/// `None` (`null` in JSON).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Point {
    /// The subgroup key.
    pub x: X,
    /// The plotted value (after `multiply`).
    pub y: Option<f64>,
    /// The denominator (p, p′, u, u′ and charts given denominators) or the subgroup size
    /// (xbar, s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<f64>,
    /// Centre line.
    pub cl: Option<f64>,
    /// Lower 3-sigma limit.
    pub lcl: Option<f64>,
    /// Upper 3-sigma limit.
    pub ucl: Option<f64>,
    /// Lower 2-sigma limit.
    pub lcl_95: Option<f64>,
    /// Upper 2-sigma limit.
    pub ucl_95: Option<f64>,
    /// The point lies beyond the 3-sigma limits.
    pub sigma_signal: bool,
    /// The part (counted from 1).
    pub part: usize,
    /// The point belongs to its part's baseline (it fed the estimates unless excluded).
    pub baseline: bool,
    /// The point takes part in the estimates and the runs analysis (not excluded).
    pub include: bool,
    /// The rules that flagged this point.
    pub signals: Vec<RuleId>,
    /// The Making Data Count classification (with those rules only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point_type: Option<PointType>,
}

/// The summary of one part: the runs analysis and the average lines (qicharts2's `summary()`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartSummary {
    /// The part (counted from 1).
    pub part: usize,
    /// Included subgroups, counting those without a value.
    pub n_obs: usize,
    /// Included subgroups with a value not on the centre line.
    pub n_useful: usize,
    /// The longest run of useful observations on one side of the centre line.
    pub longest_run: Option<usize>,
    /// The Anhøj upper limit for the longest run: round(log2(`n_useful`)) + 3.
    pub longest_run_max: Option<usize>,
    /// The number of times the line crosses the centre line.
    pub n_crossings: Option<usize>,
    /// The Anhøj lower limit for crossings: the 5th percentile of Binomial(`n_useful` − 1, ½).
    pub n_crossings_min: Option<usize>,
    /// A non-random pattern was found by the rule set (Anhøj: a long run or few crossings; IHI:
    /// shift, trend or runs; Making Data Count: shift, trend or two of three). Always false for
    /// mr charts and for label keys.
    pub runs_signal: bool,
    /// Points of the part beyond the 3-sigma limits (excluded points included).
    pub sigma_signal_count: usize,
    /// Mean centre line of the part.
    pub cl: Option<f64>,
    /// Mean lower 3-sigma limit.
    pub a_lcl: Option<f64>,
    /// Mean upper 3-sigma limit.
    pub a_ucl: Option<f64>,
    /// Mean lower 2-sigma limit.
    pub a_lcl_95: Option<f64>,
    /// Mean upper 2-sigma limit.
    pub a_ucl_95: Option<f64>,
    /// IHI: the fewest runs expected from random variation (IHI rules only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs_min: Option<usize>,
    /// IHI: the most runs expected from random variation (IHI rules only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs_max: Option<usize>,
}

/// A column of denominators (or subgroup sizes). Most are counts: whole numbers below 2^31 are
/// kept in four bytes each (−1 for a missing one), which halves what a long series holds and
/// writes; a column with any other value (a fraction, −0, a larger number) keeps f64.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Counts {
    /// Whole numbers; −1 is missing.
    Whole(Vec<i32>),
    /// Any numbers; NaN is missing.
    Real(Vec<f64>),
}

impl Counts {
    /// The value of row `i` (NaN when missing or beyond the column).
    #[inline]
    pub(crate) fn get(&self, i: usize) -> f64 {
        match self {
            Self::Whole(counts) => counts.get(i).map_or(f64::NAN, |&c| from_whole(c)),
            Self::Real(values) => values.get(i).copied().unwrap_or(f64::NAN),
        }
    }

    /// Fills `out` with the values of the rows from `start` on (NaN beyond the column).
    #[inline]
    pub(crate) fn read_into(&self, start: usize, out: &mut [f64]) {
        let end = (start + out.len()).min(self.len());
        let (have, beyond) = out.split_at_mut(end.saturating_sub(start));
        match self {
            Self::Whole(counts) => {
                for (o, &c) in have
                    .iter_mut()
                    .zip(counts.get(start..end).unwrap_or_default())
                {
                    *o = from_whole(c);
                }
            }
            Self::Real(values) => {
                have.copy_from_slice(values.get(start..end).unwrap_or_default());
            }
        }
        beyond.fill(f64::NAN);
    }

    /// The number of rows.
    pub(crate) fn len(&self) -> usize {
        match self {
            Self::Whole(counts) => counts.len(),
            Self::Real(values) => values.len(),
        }
    }
}

/// A value of [`Counts::Whole`] as f64. (The test on the converted value keeps the loops over
/// it in f64 lanes, which vectorise.)
#[inline]
fn from_whole(c: i32) -> f64 {
    let v = f64::from(c);
    if v < 0.0 { f64::NAN } else { v }
}

/// 2^52: adding it to a number from 0 to 2^32 rounds the number to a whole one, which then
/// sits in the low 32 bits of the sum.
const ROUNDER: f64 = 4_503_599_627_370_496.0;

/// `v` as a [`Counts::Whole`] value, if it can be one: NaN (−1), or a whole number from +0 to
/// 2^31 − 1. The candidate is read from the low bits of v + 2^52 and kept only if it converts
/// back to the same bits (which rules out fractions, −0, negative and larger numbers).
/// Arithmetic and comparisons only, so that loops over it vectorise.
#[inline]
fn to_whole(v: f64) -> (i32, bool) {
    #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
    let candidate = (v + ROUNDER).to_bits() as u32 as i32;
    let c = if v.is_nan() { -1 } else { candidate };
    let same = from_whole(c).to_bits() == v.to_bits();
    (c, same | v.is_nan())
}
/// Collects a column of counts block by block, whole numbers while they last.
pub(crate) struct CountsBuilder(Counts);

impl CountsBuilder {
    pub(crate) fn with_capacity(len: usize) -> Self {
        Self(Counts::Whole(Vec::with_capacity(len)))
    }

    /// Appends a block of values.
    pub(crate) fn extend(&mut self, block: &[f64]) {
        if let Counts::Whole(counts) = &mut self.0 {
            // Converts the block, noting whether every value converted back unchanged.
            let start = counts.len();
            let mut all_whole = true;
            counts.extend(block.iter().map(|&v| {
                let (c, whole) = to_whole(v);
                all_whole &= whole;
                c
            }));
            if all_whole {
                return;
            }
            counts.truncate(start);
            let values = counts.iter().map(|&c| from_whole(c)).collect();
            self.0 = Counts::Real(values);
        }
        if let Counts::Real(values) = &mut self.0 {
            values.extend_from_slice(block);
        }
    }

    pub(crate) fn finish(self) -> Counts {
        self.0
    }
}

/// The subgroup keys of a result.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum XColumn {
    /// Positions 1..=n.
    Index(usize),
    /// Keys of one kind, sorted.
    Keys(Keys),
}

impl XColumn {
    pub(crate) fn get(&self, i: usize) -> X {
        match self {
            Self::Index(_) => X::Number((i + 1) as f64),
            Self::Keys(keys) => keys.get(i).unwrap_or(X::Number((i + 1) as f64)),
        }
    }

    /// The key at `i` without copying a label.
    fn key(&self, i: usize) -> KeyRef<'_> {
        match self {
            Self::Keys(Keys::Numbers(v)) => {
                v.get(i).map_or(KeyRef::Index(i), |&k| KeyRef::Number(k))
            }
            Self::Keys(Keys::Dates(v)) => v.get(i).map_or(KeyRef::Index(i), |&d| KeyRef::Date(d)),
            Self::Keys(Keys::Labels(v)) => v.get(i).map_or(KeyRef::Index(i), |l| KeyRef::Label(l)),
            Self::Index(_) => KeyRef::Index(i),
        }
    }
}

/// A key as output writes it: a number, a `YYYY-MM-DD` string or a label.
#[derive(Clone, Copy, Debug)]
enum KeyRef<'a> {
    /// Position `i + 1`.
    Index(usize),
    Number(f64),
    Date(Date),
    Label(&'a str),
}

impl Serialize for KeyRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Self::Index(i) => serializer.serialize_f64((i + 1) as f64),
            Self::Number(v) => serializer.serialize_f64(v),
            Self::Date(d) => {
                let mut buffer = [0; 10];
                match d.iso(&mut buffer) {
                    Some(text) => serializer.serialize_str(text),
                    None => serializer.collect_str(&d),
                }
            }
            Self::Label(l) => serializer.serialize_str(l),
        }
    }
}

/// Something the computation did that a careful reader should know about. A warning never
/// changes the numbers; it says what they rest on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "warning", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum ChartWarning {
    /// Rows with the same key were averaged into one subgroup on a chart of single values (i,
    /// mr, t, g). qicharts2 averages them too, without a word; but an i chart expects one value
    /// per subgroup, so repeated keys are more often duplicated rows than a design (for
    /// several values per subgroup, an xbar chart takes its limits from the spread within
    /// them).
    RowsAveraged {
        /// The input rows with a key.
        rows: usize,
        /// The subgroups they became.
        subgroups: usize,
        /// The first input row (from 1) whose key an earlier row has.
        row: usize,
        /// That earlier row (from 1).
        first: usize,
    },
    /// A part has fewer subgroups than the freeze: its lines come from all of them.
    FreezeLongerThanPart {
        /// The part (from 1).
        part: usize,
        /// Its subgroups.
        subgroups: usize,
        /// The freeze asked for.
        freeze: usize,
    },
}

impl fmt::Display for ChartWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::RowsAveraged {
                rows,
                subgroups,
                row,
                first,
            } => write!(
                f,
                "{rows} rows became {subgroups} subgroups: rows with the same x are averaged \
                 (row {row} has the x of row {first}); this chart expects one value per x \
                 (check for duplicate rows, or use an xbar chart for several values per x)"
            ),
            Self::FreezeLongerThanPart {
                part,
                subgroups,
                freeze,
            } => write!(
                f,
                "part {part} has {subgroups} subgroups, fewer than the freeze of {freeze}: its \
                 centre line and limits come from all {subgroups}"
            ),
        }
    }
}

/// A field of a point, to choose what output holds (`qic chart --fields`).
///
/// Names are those of the JSON contract (`x`, `y`, `n`, `cl`, `lcl`, `ucl`, `lcl_95`,
/// `ucl_95`, `sigma_signal`, `part`, `baseline`, `include`, `signals`, `point_type`), plus
/// `signal`: whether any rule flagged the point (a point beyond the limits included).
///
/// ```
/// use qic_spc::PointField;
///
/// let fields: Vec<PointField> = "x,y,cl,lcl,ucl,signal".split(',').map(str::parse).collect::<Result<_, _>>()?;
/// assert_eq!(fields, PointField::TABLE);
/// assert_eq!("lcl_95".parse::<PointField>()?, PointField::Lcl95);
/// assert!("mean".parse::<PointField>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PointField {
    /// The subgroup key.
    X,
    /// The plotted value.
    Y,
    /// The denominator or subgroup size.
    N,
    /// The centre line.
    Cl,
    /// The lower 3-sigma limit.
    Lcl,
    /// The upper 3-sigma limit.
    Ucl,
    /// The lower 2-sigma limit.
    #[serde(rename = "lcl_95")]
    Lcl95,
    /// The upper 2-sigma limit.
    #[serde(rename = "ucl_95")]
    Ucl95,
    /// The point lies beyond the 3-sigma limits.
    SigmaSignal,
    /// The part (from 1).
    Part,
    /// The point is in its part's baseline.
    Baseline,
    /// The point takes part in the estimates (not excluded).
    Include,
    /// Any rule flagged the point.
    Signal,
    /// The rules that flagged the point.
    Signals,
    /// The Making Data Count classification.
    PointType,
}

impl PointField {
    /// Every field: those of the JSON contract, then `signal`.
    pub const ALL: [Self; 15] = [
        Self::X,
        Self::Y,
        Self::N,
        Self::Cl,
        Self::Lcl,
        Self::Ucl,
        Self::Lcl95,
        Self::Ucl95,
        Self::SigmaSignal,
        Self::Part,
        Self::Baseline,
        Self::Include,
        Self::Signals,
        Self::PointType,
        Self::Signal,
    ];

    /// The points of the JSON contract, in order (`n` and `point_type` where the chart has
    /// them): every field but `signal`.
    pub const JSON: [Self; 14] = {
        let mut fields = [Self::X; 14];
        let mut i = 0;
        while i < fields.len() {
            fields[i] = Self::ALL[i];
            i += 1;
        }
        fields
    };

    /// What a table of points needs most: x, y, cl, lcl, ucl and signal.
    pub const TABLE: [Self; 6] = [
        Self::X,
        Self::Y,
        Self::Cl,
        Self::Lcl,
        Self::Ucl,
        Self::Signal,
    ];

    /// The field's name, as in JSON and CSV headers.
    pub fn name(self) -> &'static str {
        match self {
            Self::X => "x",
            Self::Y => "y",
            Self::N => "n",
            Self::Cl => "cl",
            Self::Lcl => "lcl",
            Self::Ucl => "ucl",
            Self::Lcl95 => "lcl_95",
            Self::Ucl95 => "ucl_95",
            Self::SigmaSignal => "sigma_signal",
            Self::Part => "part",
            Self::Baseline => "baseline",
            Self::Include => "include",
            Self::Signal => "signal",
            Self::Signals => "signals",
            Self::PointType => "point_type",
        }
    }
}

impl fmt::Display for PointField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is no [`PointField`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown point field {name:?} (expected one of x, y, n, cl, lcl, ucl, lcl_95, ucl_95, sigma_signal, part, baseline, include, signal, signals, point_type)"
)]
pub struct UnknownPointField {
    /// The name given.
    pub name: String,
}

impl std::str::FromStr for PointField {
    type Err = UnknownPointField;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let name = s.trim();
        Self::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| UnknownPointField {
                name: name.to_owned(),
            })
    }
}

/// A computed chart.
///
/// Serializes to the JSON contract of `qic chart`: `{"chart", "rules", "direction", "target",
/// "multiply", "points": [...], "summary": [...], "signals": [...], "making_data_count",
/// "rows_without_x"}`.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartResult {
    pub(crate) chart: ChartType,
    pub(crate) rules: SignalRules,
    pub(crate) direction: ImprovementDirection,
    pub(crate) target: Option<f64>,
    pub(crate) multiply: f64,
    pub(crate) x_kind: XKind,
    pub(crate) x: XColumn,
    pub(crate) y: Vec<f64>,
    pub(crate) n: Option<Counts>,
    /// The lines of each part (parallel to `part_starts`), before `multiply`.
    pub(crate) parts: Vec<PartLines>,
    /// Per-point sigma for parts whose limits vary (empty when none do).
    pub(crate) sigma: Vec<f64>,
    /// Negative lower limits are shown as 0 (`negative_limits(false)` and no negative value).
    pub(crate) raise_negative: bool,
    /// Lines given point by point (a result read back from JSON).
    pub(crate) explicit: Option<Box<ExplicitLines>>,
    pub(crate) part_starts: Vec<usize>,
    pub(crate) flags: Vec<u8>,
    /// Per point, the rules that flagged it (bits); empty when no rule flagged any point.
    pub(crate) rule_flags: Vec<u16>,
    pub(crate) point_types: Option<Vec<PointType>>,
    pub(crate) summary: Vec<PartSummary>,
    pub(crate) signals: Vec<Signal>,
    pub(crate) making_data_count: Option<MdcSummary>,
    pub(crate) rows_without_x: usize,
    pub(crate) warnings: Vec<ChartWarning>,
}

/// The limits of one part, in the units before `multiply`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Limits {
    /// No limits (run chart).
    None,
    /// The same limits for every point of the part.
    Constant {
        lcl: f64,
        ucl: f64,
        lcl_95: f64,
        ucl_95: f64,
    },
    /// cl ∓ k·sigma[i] per point, the lower limits raised to 0 and the upper ones lowered to 1
    /// where asked (finite values only).
    Varying { lower_zero: bool, upper_one: bool },
    /// cl ∓ k·sqrt(spread / n[i])·inflation per point from the stored denominators (p, p′, u,
    /// u′), clamped as `Varying`.
    Rate {
        spread: f64,
        inflation: f64,
        lower_zero: bool,
        upper_one: bool,
    },
}

/// Lower and upper limits cl ∓ k·s, clamped at 0 and 1 where asked (finite values only).
#[inline]
pub(crate) fn clamped(cl: f64, k: f64, s: f64, lower_zero: bool, upper_one: bool) -> (f64, f64) {
    let lower = cl - k * s;
    let upper = cl + k * s;
    (
        if lower_zero && finite(lower) && lower < 0.0 {
            0.0
        } else {
            lower
        },
        if upper_one && finite(upper) && upper > 1.0 {
            1.0
        } else {
            upper
        },
    )
}

/// Whether `v` is finite, as arithmetic (∞ − ∞ and NaN − NaN are NaN): the compiler turns
/// `f64::is_finite` into integer tests of the bits, which keep loops from vectorising.
#[inline]
#[allow(clippy::float_cmp, clippy::eq_op)] // exact on purpose: v − v is 0 or NaN
pub(crate) fn finite(v: f64) -> bool {
    v - v == 0.0
}

/// The centre line and limits of one part, before `multiply`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct PartLines {
    pub(crate) cl: f64,
    pub(crate) limits: Limits,
}

impl PartLines {
    /// The final lines at a point of the part whose sigma is `point_sigma` (used by limits that
    /// vary by point only).
    #[inline]
    pub(crate) fn lines(&self, scale: Scale, point_sigma: f64) -> Lines {
        let cl = scale.apply(self.cl, false);
        match self.limits {
            Limits::None => Lines { cl, ..NO_LINES },
            Limits::Constant {
                lcl,
                ucl,
                lcl_95,
                ucl_95,
            } => Lines {
                cl,
                lcl: scale.apply(lcl, true),
                ucl: scale.apply(ucl, false),
                lcl_95: scale.apply(lcl_95, true),
                ucl_95: scale.apply(ucl_95, false),
            },
            Limits::Varying {
                lower_zero,
                upper_one,
            }
            | Limits::Rate {
                lower_zero,
                upper_one,
                ..
            } => {
                let (lcl, ucl) = clamped(self.cl, 3.0, point_sigma, lower_zero, upper_one);
                let (lcl_95, ucl_95) = clamped(self.cl, 2.0, point_sigma, lower_zero, upper_one);
                Lines {
                    cl,
                    lcl: scale.apply(lcl, true),
                    ucl: scale.apply(ucl, false),
                    lcl_95: scale.apply(lcl_95, true),
                    ucl_95: scale.apply(ucl_95, false),
                }
            }
        }
    }
}

/// Steps 7, 8 and 11 for one number: multiply, a value that is not finite becomes missing, and
/// a negative lower limit is raised to 0 when asked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Scale {
    pub(crate) multiply: f64,
    /// Negative lower limits are shown as 0 (`negative_limits(false)` and no negative value).
    pub(crate) raise_negative: bool,
}

impl Scale {
    /// A value after `multiply`: missing if not finite; a lower limit raised to 0 if asked.
    #[inline]
    pub(crate) fn apply(self, raw: f64, lower: bool) -> f64 {
        let v = raw * self.multiply;
        if !finite(v) {
            f64::NAN
        } else if lower && self.raise_negative && v < 0.0 {
            0.0
        } else {
            v
        }
    }
}

/// Lines given point by point, final (a result read back from JSON).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ExplicitLines {
    pub(crate) cl: Vec<f64>,
    pub(crate) lcl: Vec<f64>,
    pub(crate) ucl: Vec<f64>,
    pub(crate) lcl_95: Vec<f64>,
    pub(crate) ucl_95: Vec<f64>,
}

/// The final lines at one point (after `multiply`; NaN where undefined).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Lines {
    pub(crate) cl: f64,
    pub(crate) lcl: f64,
    pub(crate) ucl: f64,
    pub(crate) lcl_95: f64,
    pub(crate) ucl_95: f64,
}

const NO_LINES: Lines = Lines {
    cl: f64::NAN,
    lcl: f64::NAN,
    ucl: f64::NAN,
    lcl_95: f64::NAN,
    ucl_95: f64::NAN,
};

pub(crate) fn defined(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

impl ChartResult {
    /// The index (from 0) of the part holding the point at `index`.
    pub(crate) fn part_index(&self, index: usize) -> usize {
        self.part_starts
            .partition_point(|&s| s <= index)
            .saturating_sub(1)
    }

    /// How the stored numbers become final ones.
    pub(crate) fn scale(&self) -> Scale {
        Scale {
            multiply: self.multiply,
            raise_negative: self.raise_negative,
        }
    }

    /// The final lines at point `index` of part `part` (from 0).
    pub(crate) fn lines_in(&self, part: usize, index: usize) -> Lines {
        if let Some(e) = &self.explicit {
            return Lines {
                cl: e.cl[index],
                lcl: e.lcl[index],
                ucl: e.ucl[index],
                lcl_95: e.lcl_95[index],
                ucl_95: e.ucl_95[index],
            };
        }
        let Some(p) = self.parts.get(part) else {
            return NO_LINES;
        };
        p.lines(self.scale(), self.point_sigma(p.limits, index).0)
    }

    /// The sigma of a point of a part with varying limits, and the part's clamps.
    #[inline]
    pub(crate) fn point_sigma(&self, limits: Limits, index: usize) -> (f64, bool, bool) {
        match limits {
            Limits::Varying {
                lower_zero,
                upper_one,
            } => (
                self.sigma.get(index).copied().unwrap_or(f64::NAN),
                lower_zero,
                upper_one,
            ),
            Limits::Rate {
                spread,
                inflation,
                lower_zero,
                upper_one,
            } => {
                let n = self.n.as_ref().map_or(f64::NAN, |n| n.get(index));
                ((spread / n).sqrt() * inflation, lower_zero, upper_one)
            }
            Limits::None | Limits::Constant { .. } => (f64::NAN, false, false),
        }
    }

    /// The rules that flagged the point at `index`, as bits ([`RuleId::bit`]).
    pub(crate) fn rule_bits(&self, index: usize) -> u16 {
        // Empty when no rule flagged any point.
        self.rule_flags.get(index).copied().unwrap_or(0)
    }

    /// The final lines at point `index`.
    pub(crate) fn lines(&self, index: usize) -> Lines {
        self.lines_in(self.part_index(index), index)
    }

    /// The chart type.
    pub fn chart(&self) -> ChartType {
        self.chart
    }

    /// The rule set used.
    pub fn rules(&self) -> SignalRules {
        self.rules
    }

    /// The improvement direction.
    pub fn direction(&self) -> ImprovementDirection {
        self.direction
    }

    /// The target, if one was given.
    pub fn target(&self) -> Option<f64> {
        self.target
    }

    /// The kind of subgroup key.
    pub fn x_kind(&self) -> XKind {
        self.x_kind
    }

    /// The number of subgroups (points).
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// Whether the chart has no points.
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// The part (counted from 1) of the point at `index` (counted from 0).
    pub fn part_of(&self, index: usize) -> usize {
        self.part_starts.partition_point(|&s| s <= index).max(1)
    }

    /// The point at `index` (counted from 0).
    pub fn point(&self, index: usize) -> Option<Point> {
        if index >= self.len() {
            return None;
        }
        let flags = self.flags[index];
        let lines = self.lines(index);
        Some(Point {
            x: self.x.get(index),
            y: defined(self.y[index]),
            n: self.n.as_ref().and_then(|n| defined(n.get(index))),
            cl: defined(lines.cl),
            lcl: defined(lines.lcl),
            ucl: defined(lines.ucl),
            lcl_95: defined(lines.lcl_95),
            ucl_95: defined(lines.ucl_95),
            sigma_signal: flags & SIGMA != 0,
            part: self.part_of(index),
            baseline: flags & BASELINE != 0,
            include: flags & INCLUDE != 0,
            signals: RuleId::from_bits(self.rule_bits(index)),
            point_type: self.point_types.as_ref().map(|t| t[index]),
        })
    }

    /// The points, in order.
    pub fn points(&self) -> impl ExactSizeIterator<Item = Point> + '_ {
        (0..self.len()).map(|i| {
            // Every index below len() has a point.
            self.point(i).unwrap_or_else(|| unreachable_point(i))
        })
    }

    /// One summary per part.
    pub fn summary(&self) -> &[PartSummary] {
        &self.summary
    }

    /// Every signal found, ordered by part, then by first subgroup.
    pub fn signals(&self) -> &[Signal] {
        &self.signals
    }

    /// Whether any part has a non-random pattern (see [`PartSummary::runs_signal`]).
    pub fn runs_signal(&self) -> bool {
        self.summary.iter().any(|s| s.runs_signal)
    }

    /// The number of points beyond the 3-sigma limits.
    pub fn sigma_signal_count(&self) -> usize {
        self.summary.iter().map(|s| s.sigma_signal_count).sum()
    }

    /// The Making Data Count summary (with those rules only).
    pub fn making_data_count(&self) -> Option<MdcSummary> {
        self.making_data_count
    }

    /// Input rows dropped because they had no subgroup key.
    pub fn rows_without_x(&self) -> usize {
        self.rows_without_x
    }

    /// What a careful reader should know about how the chart was computed (rows averaged,
    /// a freeze longer than a part).
    pub fn warnings(&self) -> &[ChartWarning] {
        &self.warnings
    }

    /// The chart with only these fields in each point, ready to serialize (the rest of the
    /// document as [`ChartResult`]'s own serialization writes it). Points are written one at a
    /// time from the stored columns, so a chart of millions of points streams to a writer in
    /// little memory.
    ///
    /// ```
    /// use qic_spc::{Chart, ChartType, PointField};
    ///
    /// let chart = Chart::new(ChartType::I).values(&[3.0, 5.0, 4.0, 6.0]).compute()?;
    /// let json = serde_json::to_value(chart.with_point_fields(&[PointField::X, PointField::Cl]))?;
    /// assert_eq!(json["points"][0], serde_json::json!({"x": 1.0, "cl": 4.5}));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_point_fields<'a>(&'a self, fields: &'a [PointField]) -> ChartDocument<'a> {
        ChartDocument {
            result: self,
            fields,
        }
    }

    /// Calls `write` with each point's values for `fields`, one point at a time, from the
    /// stored columns (no [`Point`] is built).
    ///
    /// # Errors
    ///
    /// The first error `write` returns.
    pub fn for_each_point<E>(
        &self,
        fields: &[PointField],
        mut write: impl FnMut(&[FieldValue<'_>]) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut values = Vec::with_capacity(fields.len());
        self.walk_points(needs_lines(fields), |i, part, lines| {
            values.clear();
            values.extend(fields.iter().map(|&f| self.field_value(i, f, part, lines)));
            write(&values)
        })
    }

    /// Calls `visit` with each point's index, part (from 1) and lines (when `with_lines`),
    /// part by part, so that no point looks its part up.
    fn walk_points<E>(
        &self,
        with_lines: bool,
        mut visit: impl FnMut(usize, usize, &Lines) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut ranges = self.part_ranges();
        if ranges.is_empty() && !self.is_empty() {
            ranges.push(0..self.len());
        }
        for (k, range) in ranges.into_iter().enumerate() {
            for i in range {
                let lines = if with_lines {
                    self.lines_in(k, i)
                } else {
                    NO_LINES
                };
                visit(i, k + 1, &lines)?;
            }
        }
        Ok(())
    }

    /// The value of one field of the point at `i`, in part `part` (from 1), whose lines are
    /// `lines`.
    fn field_value(
        &self,
        i: usize,
        field: PointField,
        part: usize,
        lines: &Lines,
    ) -> FieldValue<'_> {
        let number = |v: f64| FieldValue::Number(defined(v));
        let flags = self.flags.get(i).copied().unwrap_or(0);
        match field {
            PointField::X => FieldValue::Key(KeyValue(self.x.key(i))),
            PointField::Y => number(self.y.get(i).copied().unwrap_or(f64::NAN)),
            PointField::N => number(self.n.as_ref().map_or(f64::NAN, |n| n.get(i))),
            PointField::Cl => number(lines.cl),
            PointField::Lcl => number(lines.lcl),
            PointField::Ucl => number(lines.ucl),
            PointField::Lcl95 => number(lines.lcl_95),
            PointField::Ucl95 => number(lines.ucl_95),
            PointField::SigmaSignal => FieldValue::Bool(flags & SIGMA != 0),
            PointField::Part => FieldValue::Count(part),
            PointField::Baseline => FieldValue::Bool(flags & BASELINE != 0),
            PointField::Include => FieldValue::Bool(flags & INCLUDE != 0),
            PointField::Signal => FieldValue::Bool(flags & SIGMA != 0 || self.rule_bits(i) != 0),
            PointField::Signals => FieldValue::Rules(RuleFlags(self.rule_bits(i))),
            PointField::PointType => {
                FieldValue::PointType(self.point_types.as_ref().and_then(|t| t.get(i).copied()))
            }
        }
    }

    /// The index ranges (counted from 0, end exclusive) of the parts.
    pub fn part_ranges(&self) -> Vec<std::ops::Range<usize>> {
        let mut ranges = Vec::with_capacity(self.part_starts.len());
        for (k, &start) in self.part_starts.iter().enumerate() {
            let end = self.part_starts.get(k + 1).copied().unwrap_or(self.len());
            ranges.push(start..end);
        }
        ranges
    }

    /// A few sentences saying in words which signals fired, for people and for the `<desc>` of
    /// a rendered chart.
    pub fn describe(&self) -> String {
        describe(self)
    }
}

fn unreachable_point(i: usize) -> Point {
    Point {
        x: X::Number((i + 1) as f64),
        y: None,
        n: None,
        cl: None,
        lcl: None,
        ucl: None,
        lcl_95: None,
        ucl_95: None,
        sigma_signal: false,
        part: 1,
        baseline: false,
        include: false,
        signals: Vec::new(),
        point_type: None,
    }
}

fn describe(result: &ChartResult) -> String {
    use std::fmt::Write as _;
    let mut text = String::new();
    let parts = result.summary.len();
    let _ = write!(
        text,
        "{} of {} subgroups{}, rules: {}.",
        result.chart.title(),
        result.len(),
        if parts > 1 {
            format!(" in {parts} parts")
        } else {
            String::new()
        },
        match result.rules {
            SignalRules::Anhoej => "Anhøj",
            SignalRules::Ihi => "IHI",
            SignalRules::Mdc => "Making Data Count",
        }
    );
    if result.signals.is_empty() {
        text.push_str(" No signal: only common cause variation is seen.");
    }
    for rule in RuleId::ALL {
        let found: Vec<&Signal> = result.signals.iter().filter(|s| s.rule == rule).collect();
        if found.is_empty() {
            continue;
        }
        let places: Vec<String> = found
            .iter()
            .take(6)
            .map(|s| {
                let side = match s.side {
                    Some(Side::High) => " high",
                    Some(Side::Low) => " low",
                    None => "",
                };
                let judged = match s.assessment {
                    Some(Assessment::Improvement) => ", improvement",
                    Some(Assessment::Concern) => ", concern",
                    None => "",
                };
                if s.from == s.to {
                    format!("subgroup {}{side}{judged}", s.from)
                } else {
                    format!("subgroups {} to {}{side}{judged}", s.from, s.to)
                }
            })
            .collect();
        let more = if found.len() > 6 {
            format!(" and {} more", found.len() - 6)
        } else {
            String::new()
        };
        let _ = write!(
            text,
            " Signal: {} at {}{more}.",
            rule.describe(),
            places.join("; ")
        );
    }
    if let Some(mdc) = result.making_data_count {
        let _ = write!(text, " Making Data Count {mdc}.");
    }
    text
}

/// One value of a point's field, as [`ChartResult::for_each_point`] hands it out.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum FieldValue<'a> {
    /// The key.
    Key(KeyValue<'a>),
    /// A number (`None` when undefined).
    Number(Option<f64>),
    /// A yes or no.
    Bool(bool),
    /// A whole number (the part).
    Count(usize),
    /// The rules that flagged the point.
    Rules(RuleFlags),
    /// The Making Data Count classification (charts with those rules only).
    PointType(Option<PointType>),
}

/// A key as output writes it: a number, a date or a label.
#[derive(Clone, Copy, Debug)]
pub struct KeyValue<'a>(KeyRef<'a>);

impl KeyValue<'_> {
    /// The key as [`X`].
    pub fn to_x(self) -> X {
        match self.0 {
            KeyRef::Index(i) => X::Number((i + 1) as f64),
            KeyRef::Number(v) => X::Number(v),
            KeyRef::Date(d) => X::Date(d),
            KeyRef::Label(l) => X::Label(l.to_owned()),
        }
    }

    /// The number, for numeric keys and positions.
    pub fn number(self) -> Option<f64> {
        match self.0 {
            KeyRef::Index(i) => Some((i + 1) as f64),
            KeyRef::Number(v) => Some(v),
            KeyRef::Date(_) | KeyRef::Label(_) => None,
        }
    }

    /// Writes the key as text: a date as `YYYY-MM-DD`, a label as it is; a number through
    /// `number` (so the caller chooses its format).
    ///
    /// # Errors
    ///
    /// The writer's.
    pub fn write_text<W: fmt::Write>(
        self,
        out: &mut W,
        number: impl FnOnce(&mut W, f64) -> fmt::Result,
    ) -> fmt::Result {
        match self.0 {
            KeyRef::Index(_) | KeyRef::Number(_) => number(out, self.number().unwrap_or(f64::NAN)),
            KeyRef::Date(d) => {
                let mut buffer = [0; 10];
                match d.iso(&mut buffer) {
                    Some(text) => out.write_str(text),
                    None => write!(out, "{d}"),
                }
            }
            KeyRef::Label(l) => out.write_str(l),
        }
    }
}

/// The rules that flagged a point, as a small set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RuleFlags(u16);

impl RuleFlags {
    /// Whether no rule flagged the point.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The rules, in the order of [`RuleId::ALL`].
    pub fn iter(self) -> impl Iterator<Item = RuleId> {
        RuleId::ALL
            .into_iter()
            .filter(move |r| self.0 & r.bit() != 0)
    }
}

impl Serialize for RuleFlags {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.iter().count()))?;
        for rule in self.iter() {
            seq.serialize_element(&rule)?;
        }
        seq.end()
    }
}

impl FieldValue<'_> {
    /// Whether JSON leaves the field out of a point: `n` and `point_type` where the chart has
    /// none (as the contract's `Point` does).
    fn omitted(&self, field: PointField) -> bool {
        matches!(
            (field, self),
            (PointField::N, Self::Number(None)) | (PointField::PointType, Self::PointType(None))
        )
    }
}

impl Serialize for FieldValue<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Key(k) => k.0.serialize(serializer),
            Self::Number(Some(v)) => serializer.serialize_f64(*v),
            Self::Number(None) | Self::PointType(None) => serializer.serialize_none(),
            Self::Bool(b) => serializer.serialize_bool(*b),
            Self::Count(c) => serializer.serialize_u64(*c as u64),
            Self::Rules(r) => r.serialize(serializer),
            Self::PointType(Some(t)) => t.serialize(serializer),
        }
    }
}

/// One point with the chosen fields, serialized straight from the columns.
struct PointSer<'a> {
    result: &'a ChartResult,
    index: usize,
    part: usize,
    lines: &'a Lines,
    fields: &'a [PointField],
}

/// Whether any of the fields is a line (computed once per point for all of them).
fn needs_lines(fields: &[PointField]) -> bool {
    fields.iter().any(|f| {
        matches!(
            f,
            PointField::Cl
                | PointField::Lcl
                | PointField::Ucl
                | PointField::Lcl95
                | PointField::Ucl95
        )
    })
}

impl Serialize for PointSer<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Point", self.fields.len())?;
        for &field in self.fields {
            let value = self
                .result
                .field_value(self.index, field, self.part, self.lines);
            if value.omitted(field) {
                s.skip_field(field.name())?;
            } else {
                s.serialize_field(field.name(), &value)?;
            }
        }
        s.end()
    }
}

struct PointsSer<'a> {
    result: &'a ChartResult,
    fields: &'a [PointField],
}

impl Serialize for PointsSer<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.result.len()))?;
        self.result
            .walk_points(needs_lines(self.fields), |index, part, lines| {
                seq.serialize_element(&PointSer {
                    result: self.result,
                    index,
                    part,
                    lines,
                    fields: self.fields,
                })
            })?;
        seq.end()
    }
}

/// A chart ready to serialize with chosen point fields ([`ChartResult::with_point_fields`]).
#[derive(Clone, Copy, Debug)]
pub struct ChartDocument<'a> {
    result: &'a ChartResult,
    fields: &'a [PointField],
}

impl Serialize for ChartDocument<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let r = self.result;
        let mut s = serializer.serialize_struct("ChartResult", 11)?;
        s.serialize_field("chart", &r.chart)?;
        s.serialize_field("rules", &r.rules)?;
        s.serialize_field("direction", &r.direction)?;
        s.serialize_field("target", &r.target)?;
        s.serialize_field("multiply", &r.multiply)?;
        s.serialize_field(
            "points",
            &PointsSer {
                result: r,
                fields: self.fields,
            },
        )?;
        s.serialize_field("summary", &r.summary)?;
        s.serialize_field("signals", &r.signals)?;
        s.serialize_field("making_data_count", &r.making_data_count)?;
        s.serialize_field("rows_without_x", &r.rows_without_x)?;
        if r.warnings.is_empty() {
            s.skip_field("warnings")?;
        } else {
            s.serialize_field("warnings", &r.warnings)?;
        }
        s.end()
    }
}

impl Serialize for ChartResult {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.with_point_fields(&PointField::JSON)
            .serialize(serializer)
    }
}

/// The serialized shape of a [`ChartResult`], for reading one back.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChartResultWire {
    chart: ChartType,
    rules: SignalRules,
    direction: ImprovementDirection,
    target: Option<f64>,
    multiply: f64,
    points: Vec<Point>,
    summary: Vec<PartSummary>,
    signals: Vec<Signal>,
    making_data_count: Option<MdcSummary>,
    rows_without_x: usize,
    #[serde(default)]
    warnings: Vec<ChartWarning>,
}

impl ChartResult {
    /// A result read back from its serialized shape.
    fn from_wire(w: ChartResultWire) -> Result<Self, &'static str> {
        let keys: Vec<X> = w.points.iter().map(|p| p.x.clone()).collect();
        let keys =
            Keys::from_keys(&keys).map_err(|_| "the points' x mix numbers, dates and labels")?;
        let nan = |v: Option<f64>| v.unwrap_or(f64::NAN);
        let x_kind = w.points.first().map_or(XKind::Index, |p| p.x.kind());
        let mut part_starts = Vec::new();
        let mut last_part = 0;
        for (i, p) in w.points.iter().enumerate() {
            if p.part != last_part {
                part_starts.push(i);
                last_part = p.part;
            }
        }
        let has_n = w.points.iter().any(|p| p.n.is_some());
        let has_types = w.points.iter().any(|p| p.point_type.is_some());
        Ok(Self {
            chart: w.chart,
            rules: w.rules,
            direction: w.direction,
            target: w.target,
            multiply: w.multiply,
            x_kind,
            x: XColumn::Keys(keys),
            y: w.points.iter().map(|p| nan(p.y)).collect(),
            n: has_n.then(|| Counts::Real(w.points.iter().map(|p| nan(p.n)).collect())),
            parts: Vec::new(),
            sigma: Vec::new(),
            raise_negative: false,
            explicit: Some(Box::new(ExplicitLines {
                cl: w.points.iter().map(|p| nan(p.cl)).collect(),
                lcl: w.points.iter().map(|p| nan(p.lcl)).collect(),
                ucl: w.points.iter().map(|p| nan(p.ucl)).collect(),
                lcl_95: w.points.iter().map(|p| nan(p.lcl_95)).collect(),
                ucl_95: w.points.iter().map(|p| nan(p.ucl_95)).collect(),
            })),
            part_starts,
            flags: w
                .points
                .iter()
                .map(|p| {
                    (u8::from(p.baseline) * BASELINE)
                        | (u8::from(p.include) * INCLUDE)
                        | (u8::from(p.sigma_signal) * SIGMA)
                })
                .collect(),
            rule_flags: w
                .points
                .iter()
                .map(|p| p.signals.iter().fold(0, |acc, r| acc | r.bit()))
                .collect(),
            point_types: has_types.then(|| {
                w.points
                    .iter()
                    .map(|p| p.point_type.unwrap_or(PointType::CommonCause))
                    .collect()
            }),
            summary: w.summary,
            signals: w.signals,
            making_data_count: w.making_data_count,
            rows_without_x: w.rows_without_x,
            warnings: w.warnings,
        })
    }
}

impl<'de> Deserialize<'de> for ChartResult {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = ChartResultWire::deserialize(deserializer)?;
        Self::from_wire(wire).map_err(serde::de::Error::custom)
    }
}

//! Stratified measures: numerators and denominators per period and stratum, mergeable, and the
//! shareable table with rates, Wilson intervals, suppression and reliability flags.
//!
//! [`StratifiedCounts`] holds exact counts. It is built record by record
//! ([`StratifiedCounts::add_record`]), from pre-aggregated counts computed elsewhere
//! ([`StratifiedCounts::add_counts`]), or from a CSV file (`read` module, feature `csv`), and
//! counts from chunks, threads, files or machines [merge](StratifiedCounts::merge) into exactly
//! the counts of one pass, in any order. It is internal: [`StratifiedCounts::table`] makes the
//! [`StratifiedTable`] to share, with small cells hidden.

use std::collections::BTreeMap;
use std::fmt;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::codes::{Category, Dimension};
use crate::disclosure::{AuditStamp, Bounds, Entry, LinkedCounts, Part, Relation};
use crate::mapping::{Classified, MultipleRule};
use crate::period::Period;
use crate::readiness::suppression_note;
use crate::stats::{Interval, Z95, wilson};
use crate::suppression::{Reliability, Suppression};
use crate::{EquityError, RowProblem};

/// The most distinct values a [`StratifierKind::Column`] stratifier may take. A column with more
/// is probably an identifier, and its values would end up in a shared table.
pub const MAX_COLUMN_LEVELS: usize = 200;

/// One stratifier's value for a record: a reporting category or a plain column value, or one of
/// the statuses that are not a group.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// A category code (see [`Category::code`]) or, for a plain column, the value.
    Value(String),
    /// The patient chose not to answer.
    Declined,
    /// Recorded as unknown.
    Unknown,
    /// Empty or a "no information" placeholder.
    Missing,
    /// A value no mapping covers.
    Unmapped,
}

impl Level {
    /// A level from its spelling: `declined`, `unknown`, `missing` and `unmapped` (any case) are
    /// the statuses, an empty string is missing, anything else is a value.
    pub fn parse(text: &str) -> Self {
        let text = text.trim();
        match text.to_ascii_lowercase().as_str() {
            "" | "missing" => Self::Missing,
            "declined" => Self::Declined,
            "unknown" => Self::Unknown,
            "unmapped" => Self::Unmapped,
            _ => Self::Value(text.to_owned()),
        }
    }

    /// The levels of a classified value under a roll-up rule (several only under
    /// [`MultipleRule::EachSelected`]).
    pub fn from_classified(classified: &Classified, rule: MultipleRule) -> Vec<Self> {
        match classified {
            Classified::Categories(_) => classified
                .roll_up(rule)
                .into_iter()
                .map(|c| Self::Value(c.code().to_owned()))
                .collect(),
            Classified::Declined => vec![Self::Declined],
            Classified::Unknown => vec![Self::Unknown],
            Classified::Missing => vec![Self::Missing],
            Classified::Unmapped => vec![Self::Unmapped],
        }
    }

    /// The spelling in outputs.
    pub fn code(&self) -> &str {
        match self {
            Self::Value(v) => v,
            Self::Declined => "declined",
            Self::Unknown => "unknown",
            Self::Missing => "missing",
            Self::Unmapped => "unmapped",
        }
    }

    /// Whether the level is a group that can be compared (a value, not a status).
    pub fn is_group(&self) -> bool {
        matches!(self, Self::Value(_))
    }
}

impl Serialize for Level {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Self::parse(&String::deserialize(deserializer)?))
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Level {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Level".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A category code or column value, or declined, unknown, missing or unmapped"
        })
    }
}

/// A stratum: one level per stratifier (e.g. race `white` and ethnicity
/// `not_hispanic_or_latino`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct Stratum(pub Vec<Level>);

impl Stratum {
    /// A stratum of plain values, parsed with [`Level::parse`].
    pub fn of(levels: &[&str]) -> Self {
        Self(levels.iter().map(|l| Level::parse(l)).collect())
    }

    /// A label for people: each level's label under its stratifier, joined with ` / `.
    pub fn label(&self, stratifiers: &[Stratifier]) -> String {
        self.0
            .iter()
            .zip(stratifiers)
            .map(|(level, s)| s.label(level))
            .collect::<Vec<_>>()
            .join(" / ")
    }

    /// Whether every level is a group (no status such as missing or declined), so the stratum
    /// takes part in disparity comparisons.
    pub fn is_group(&self) -> bool {
        self.0.iter().all(Level::is_group)
    }
}

impl fmt::Display for Stratum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, level) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" / ")?;
            }
            f.write_str(level.code())?;
        }
        Ok(())
    }
}

/// What a stratifier reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum StratifierKind {
    /// A REAL or SOGI dimension: values go through the mapping to categories.
    Dimension(Dimension),
    /// A plain column (site, payer, age band...): values are used as they are, and at most
    /// [`MAX_COLUMN_LEVELS`] distinct values are allowed.
    Column,
}

/// A column to stratify by.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Stratifier {
    /// The name in outputs (the dimension's name, or the column's).
    pub name: String,
    /// The column of the extract.
    pub column: String,
    /// What the column holds.
    pub kind: StratifierKind,
}

impl Stratifier {
    /// Stratifies by a dimension held in `column`.
    pub fn dimension(dimension: Dimension, column: impl Into<String>) -> Self {
        Self {
            name: dimension.name().to_owned(),
            column: column.into(),
            kind: StratifierKind::Dimension(dimension),
        }
    }

    /// Stratifies by the plain values of `column`.
    pub fn column(column: impl Into<String>) -> Self {
        let column = column.into();
        Self {
            name: column.clone(),
            column,
            kind: StratifierKind::Column,
        }
    }

    /// A label for a level of this stratifier (the category's label for a dimension).
    pub fn label(&self, level: &Level) -> String {
        match (self.kind, level) {
            (StratifierKind::Dimension(d), Level::Value(code)) => {
                Category::from_code(d, code).map_or_else(|| code.clone(), |c| c.label().to_owned())
            }
            _ => level.code().to_owned(),
        }
    }
}

/// A numerator and a denominator.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Counts {
    /// Records (or events) meeting the measure.
    pub numerator: u64,
    /// Records in the measure's population.
    pub denominator: u64,
}

impl Counts {
    /// Counts with `numerator <= denominator`.
    ///
    /// # Errors
    ///
    /// [`RowProblem::NumeratorAboveDenominator`] otherwise.
    pub fn new(numerator: u64, denominator: u64) -> Result<Self, RowProblem> {
        if numerator > denominator {
            return Err(RowProblem::NumeratorAboveDenominator);
        }
        Ok(Self {
            numerator,
            denominator,
        })
    }

    /// Adds `other`, or returns `None` (leaving `self` as it was) when a sum would pass
    /// `u64::MAX`: a count is never wrapped or clipped.
    #[must_use]
    pub fn checked_add(self, other: Self) -> Option<Self> {
        Some(Self {
            numerator: self.numerator.checked_add(other.numerator)?,
            denominator: self.denominator.checked_add(other.denominator)?,
        })
    }

    /// Adds `other` in place; an error naming `period` when a sum would pass `u64::MAX`.
    fn add(&mut self, other: Self, period: Period) -> Result<(), EquityError> {
        *self = self
            .checked_add(other)
            .ok_or_else(|| EquityError::CountOverflow {
                period: period.to_string(),
            })?;
        Ok(())
    }
}

/// Why a row of an extract was not used. Skipped rows are counted per reason and reported; they
/// do not stop the run (see [`RowProblem`] for what does).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// The period cell is empty.
    MissingPeriod,
    /// The numerator cell is empty.
    MissingNumerator,
    /// The denominator column is given and its cell is empty.
    MissingDenominator,
    /// The denominator is 0: the record is not in the measure's population.
    ZeroDenominator,
}

impl SkipReason {
    /// Every reason, in reporting order.
    pub const ALL: [Self; 4] = [
        Self::MissingPeriod,
        Self::MissingNumerator,
        Self::MissingDenominator,
        Self::ZeroDenominator,
    ];

    /// A phrase for people.
    pub const fn describe(self) -> &'static str {
        match self {
            Self::MissingPeriod => "empty period",
            Self::MissingNumerator => "empty numerator",
            Self::MissingDenominator => "empty denominator",
            Self::ZeroDenominator => "not in the denominator (0)",
        }
    }
}

/// How many rows were read, used and skipped (per reason).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RowTally {
    /// Data rows read.
    pub read: u64,
    /// Rows counted in the measure.
    pub used: u64,
    /// Rows not used, per reason.
    pub skipped: BTreeMap<SkipReason, u64>,
}

impl RowTally {
    /// Counts one skipped row.
    pub fn skip(&mut self, reason: SkipReason) {
        self.read += 1;
        *self.skipped.entry(reason).or_insert(0) += 1;
    }

    /// Counts one used row.
    pub fn use_row(&mut self) {
        self.read += 1;
        self.used += 1;
    }

    /// Adds another tally.
    pub fn merge(&mut self, other: &Self) {
        self.read += other.read;
        self.used += other.used;
        for (reason, n) in &other.skipped {
            *self.skipped.entry(*reason).or_insert(0) += n;
        }
    }
}

/// Exact, mergeable counts per period and stratum. Internal: share a [`StratifiedTable`].
///
/// ```
/// use qic_equity::codes::Dimension;
/// use qic_equity::period::Period;
/// use qic_equity::stratify::{Counts, StratifiedCounts, Stratifier, Stratum};
///
/// let by_race = vec![Stratifier::dimension(Dimension::Race, "race")];
/// let jan = Period::new(2024, 1).unwrap();
/// let mut a = StratifiedCounts::new(by_race.clone());
/// a.add_record(jan, &[Stratum::of(&["white"])], Counts::new(1, 1)?)?;
/// let mut b = StratifiedCounts::new(by_race);
/// b.add_counts(jan, Stratum::of(&["white"]), Counts::new(40, 90)?)?;
/// a.merge(&b)?;
/// assert_eq!(a.cell(jan, &Stratum::of(&["white"])), Some(Counts { numerator: 41, denominator: 91 }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "CountsFile", try_from = "CountsFile")]
pub struct StratifiedCounts {
    stratifiers: Vec<Stratifier>,
    cells: BTreeMap<(Period, Stratum), Counts>,
    period_totals: BTreeMap<Period, Counts>,
    /// The sum of the period totals. Every cell, period total and stratum total is at most
    /// this, so checking that it fits in `u64` when counts come in keeps every sum exact.
    grand: Counts,
    rows: RowTally,
}

/// The serialized shape of [`StratifiedCounts`] (JSON objects need string keys).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CountsFile {
    stratifiers: Vec<Stratifier>,
    cells: Vec<CellCounts>,
    period_totals: Vec<PeriodCounts>,
    rows: RowTally,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CellCounts {
    period: Period,
    stratum: Stratum,
    numerator: u64,
    denominator: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PeriodCounts {
    period: Period,
    numerator: u64,
    denominator: u64,
}

impl From<StratifiedCounts> for CountsFile {
    fn from(c: StratifiedCounts) -> Self {
        Self {
            stratifiers: c.stratifiers,
            cells: c
                .cells
                .into_iter()
                .map(|((period, stratum), n)| CellCounts {
                    period,
                    stratum,
                    numerator: n.numerator,
                    denominator: n.denominator,
                })
                .collect(),
            period_totals: c
                .period_totals
                .into_iter()
                .map(|(period, n)| PeriodCounts {
                    period,
                    numerator: n.numerator,
                    denominator: n.denominator,
                })
                .collect(),
            rows: c.rows,
        }
    }
}

impl TryFrom<CountsFile> for StratifiedCounts {
    type Error = String;

    fn try_from(f: CountsFile) -> Result<Self, Self::Error> {
        let mut c = Self::new(f.stratifiers);
        for total in f.period_totals {
            let counts =
                Counts::new(total.numerator, total.denominator).map_err(|e| e.to_string())?;
            c.grand
                .add(counts, total.period)
                .map_err(|e| e.to_string())?;
            c.period_totals
                .entry(total.period)
                .or_default()
                .add(counts, total.period)
                .map_err(|e| e.to_string())?;
        }
        for cell in f.cells {
            let counts =
                Counts::new(cell.numerator, cell.denominator).map_err(|e| e.to_string())?;
            if cell.stratum.0.len() != c.stratifiers.len() {
                return Err("a stratum does not have one level per stratifier".to_owned());
            }
            let total = c
                .period_totals
                .get(&cell.period)
                .copied()
                .unwrap_or_default();
            if counts.numerator > total.numerator || counts.denominator > total.denominator {
                return Err(format!(
                    "a cell of {} is larger than the period's total",
                    cell.period
                ));
            }
            c.cells
                .entry((cell.period, cell.stratum))
                .or_default()
                .add(counts, cell.period)
                .map_err(|e| e.to_string())?;
        }
        c.rows = f.rows;
        Ok(c)
    }
}

impl StratifiedCounts {
    /// Empty counts for the given stratifiers.
    pub fn new(stratifiers: Vec<Stratifier>) -> Self {
        Self {
            stratifiers,
            cells: BTreeMap::new(),
            period_totals: BTreeMap::new(),
            grand: Counts::default(),
            rows: RowTally::default(),
        }
    }

    fn check_stratum(&self, stratum: &Stratum) -> Result<(), EquityError> {
        if stratum.0.len() == self.stratifiers.len() {
            Ok(())
        } else {
            Err(EquityError::InvalidSetting {
                setting: "stratum",
                message: format!(
                    "has {} levels; there are {} stratifiers",
                    stratum.0.len(),
                    self.stratifiers.len()
                ),
            })
        }
    }

    /// Counts one patient-level record. A record in several strata (under
    /// [`MultipleRule::EachSelected`]) counts once in each and once in its period's total.
    ///
    /// # Errors
    ///
    /// [`EquityError::InvalidSetting`] when a stratum does not have one level per stratifier;
    /// [`EquityError::CountOverflow`] when a sum would pass `u64::MAX` (nothing is added then).
    pub fn add_record(
        &mut self,
        period: Period,
        strata: &[Stratum],
        counts: Counts,
    ) -> Result<(), EquityError> {
        let mut distinct: Vec<&Stratum> = Vec::with_capacity(strata.len());
        for stratum in strata {
            self.check_stratum(stratum)?;
            if !distinct.contains(&stratum) {
                distinct.push(stratum);
            }
        }
        // Check every sum before changing any, so an error leaves the counts as they were.
        let overflow = || EquityError::CountOverflow {
            period: period.to_string(),
        };
        let grand = self.grand.checked_add(counts).ok_or_else(overflow)?;
        let total = self
            .period_totals
            .get(&period)
            .copied()
            .unwrap_or_default()
            .checked_add(counts)
            .ok_or_else(overflow)?;
        let mut sums = Vec::with_capacity(distinct.len());
        for stratum in distinct {
            let key = (period, stratum.clone());
            let sum = self
                .cells
                .get(&key)
                .copied()
                .unwrap_or_default()
                .checked_add(counts)
                .ok_or_else(overflow)?;
            sums.push((key, sum));
        }
        self.cells.extend(sums);
        self.period_totals.insert(period, total);
        self.grand = grand;
        self.rows.use_row();
        Ok(())
    }

    /// Adds counts computed elsewhere for one period and stratum (a warehouse query, another
    /// site). They add to the period's total too, so strata given this way must not overlap.
    ///
    /// # Errors
    ///
    /// [`EquityError::InvalidSetting`] when the stratum does not have one level per stratifier;
    /// [`EquityError::CountOverflow`] when a sum would pass `u64::MAX` (nothing is added then).
    pub fn add_counts(
        &mut self,
        period: Period,
        stratum: Stratum,
        counts: Counts,
    ) -> Result<(), EquityError> {
        self.add_record(period, &[stratum], counts)
    }

    /// Counts a row that could not be used.
    pub fn skip_row(&mut self, reason: SkipReason) {
        self.rows.skip(reason);
    }

    /// Adds the counts of another part of the data. Merging is associative and commutative, and
    /// merging the parts of a data set gives the counts of one pass over it.
    ///
    /// # Errors
    ///
    /// [`EquityError::InvalidSetting`] when the stratifiers differ;
    /// [`EquityError::CountOverflow`] when a sum would pass `u64::MAX`.
    pub fn merge(&mut self, other: &Self) -> Result<(), EquityError> {
        if self.stratifiers != other.stratifiers {
            return Err(EquityError::InvalidSetting {
                setting: "merge",
                message: "the counts have different stratifiers".to_owned(),
            });
        }
        // The grand total bounds every other sum: check it before changing anything.
        self.grand =
            self.grand
                .checked_add(other.grand)
                .ok_or_else(|| EquityError::CountOverflow {
                    period: "every period".to_owned(),
                })?;
        for ((period, stratum), counts) in &other.cells {
            self.cells
                .entry((*period, stratum.clone()))
                .or_default()
                .add(*counts, *period)?;
        }
        for (period, counts) in &other.period_totals {
            self.period_totals
                .entry(*period)
                .or_default()
                .add(*counts, *period)?;
        }
        self.rows.merge(&other.rows);
        Ok(())
    }

    /// Takes partial counts built by the CSV reader's threads.
    #[cfg(feature = "csv")]
    pub(crate) fn absorb(
        &mut self,
        cells: Vec<(Period, Stratum, Counts)>,
        period_totals: Vec<(Period, Counts)>,
        rows: &RowTally,
    ) -> Result<(), EquityError> {
        for (period, stratum, counts) in cells {
            self.cells
                .entry((period, stratum))
                .or_default()
                .add(counts, period)?;
        }
        for (period, counts) in period_totals {
            self.grand.add(counts, period)?;
            self.period_totals
                .entry(period)
                .or_default()
                .add(counts, period)?;
        }
        self.rows.merge(rows);
        Ok(())
    }

    /// Names the stratifiers of partial counts built without them.
    #[cfg(feature = "csv")]
    pub(crate) fn set_stratifiers(&mut self, stratifiers: Vec<Stratifier>) {
        self.stratifiers = stratifiers;
    }

    /// The stratifiers.
    pub fn stratifiers(&self) -> &[Stratifier] {
        &self.stratifiers
    }

    /// The counts of one cell, if any record fell in it.
    pub fn cell(&self, period: Period, stratum: &Stratum) -> Option<Counts> {
        self.cells.get(&(period, stratum.clone())).copied()
    }

    /// Every cell, ordered by period then stratum.
    pub fn cells(&self) -> impl Iterator<Item = (Period, &Stratum, Counts)> {
        self.cells.iter().map(|((p, s), c)| (*p, s, *c))
    }

    /// A period's total over all strata (each record once).
    pub fn period_total(&self, period: Period) -> Option<Counts> {
        self.period_totals.get(&period).copied()
    }

    /// The rows read, used and skipped.
    pub fn rows(&self) -> &RowTally {
        &self.rows
    }

    /// The shareable table: rates with Wilson 95% intervals, small cells hidden under
    /// `suppression`, and unreliable estimates flagged under `reliability`.
    pub fn table(&self, suppression: &Suppression, reliability: &Reliability) -> StratifiedTable {
        build_table(self, suppression, reliability)
    }
}

/// A published estimate: counts and rate, or nothing when suppressed.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Estimate {
    /// The numerator; `None` when suppressed.
    pub numerator: Option<u64>,
    /// The denominator; `None` when suppressed.
    pub denominator: Option<u64>,
    /// numerator / denominator; `None` when suppressed or the denominator is 0.
    pub rate: Option<f64>,
    /// The Wilson 95% interval of the rate; `None` with the rate.
    pub interval: Option<Interval>,
    /// Whether the counts are hidden by small-cell suppression (primary or complementary).
    pub suppressed: bool,
    /// Whether the shown estimate is statistically unreliable (see [`Reliability`]).
    pub unreliable: bool,
}

impl Estimate {
    fn new(counts: Counts, hidden: bool, reliability: &Reliability) -> Self {
        if hidden {
            return Self {
                numerator: None,
                denominator: None,
                rate: None,
                interval: None,
                suppressed: true,
                unreliable: false,
            };
        }
        let rate =
            (counts.denominator > 0).then(|| counts.numerator as f64 / counts.denominator as f64);
        let interval = wilson(counts.numerator, counts.denominator, Z95);
        Self {
            numerator: Some(counts.numerator),
            denominator: Some(counts.denominator),
            rate,
            interval,
            suppressed: false,
            unreliable: reliability.is_unreliable(
                counts.numerator,
                rate.unwrap_or(0.0),
                interval.map(|i| (i.lower, i.upper)),
            ),
        }
    }
}

/// One period and stratum of a [`StratifiedTable`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CellEstimate {
    /// The period.
    pub period: Period,
    /// The stratum.
    pub stratum: Stratum,
    /// The estimate.
    pub estimate: Estimate,
}

/// A period's total over all strata.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PeriodEstimate {
    /// The period.
    pub period: Period,
    /// The estimate.
    pub estimate: Estimate,
}

/// A stratum's total over all periods.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StratumEstimate {
    /// The stratum.
    pub stratum: Stratum,
    /// The estimate.
    pub estimate: Estimate,
}

/// Skipped rows for one reason, as published.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SkippedRows {
    /// The reason.
    pub reason: SkipReason,
    /// Rows skipped; `None` when hidden by suppression.
    pub rows: Option<u64>,
}

/// The rows read, used and skipped, as published (small counts hidden).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PublishedRows {
    /// Data rows read; `None` when hidden.
    pub read: Option<u64>,
    /// Rows used; `None` when hidden.
    pub used: Option<u64>,
    /// Rows skipped per reason (only reasons that occurred).
    pub skipped: Vec<SkippedRows>,
}

impl PublishedRows {
    /// One line for people: `1000 rows read, 990 used, <hidden> skipped (empty period)`; a
    /// hidden count stays hidden.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} rows read, {} used",
            fmt_count(self.read),
            fmt_count(self.used)
        );
        for skipped in &self.skipped {
            let _ = write!(
                s,
                ", {} skipped ({})",
                fmt_count(skipped.rows),
                skipped.reason.describe()
            );
        }
        s
    }
}

/// The shareable stratified table: per period and stratum, per period, per stratum and overall.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StratifiedTable {
    /// The stratifiers, in the order of each stratum's levels.
    pub stratifiers: Vec<Stratifier>,
    /// The small-cell suppression applied.
    pub suppression: Suppression,
    /// The reliability rule applied.
    pub reliability: Reliability,
    /// The disclosure audit the table passed (`None` with suppression off): no hidden count
    /// from 1 to the threshold can be proven to lie in a narrower range than the protection
    /// width, and no hidden denominator can be worked out (see [`crate::disclosure`]).
    #[serde(default)]
    pub disclosure_audit: Option<AuditStamp>,
    /// Rows read, used and skipped.
    pub rows: PublishedRows,
    /// One entry per period and stratum with records, ordered by period then stratum.
    pub cells: Vec<CellEstimate>,
    /// Each period's total over all strata.
    pub period_totals: Vec<PeriodEstimate>,
    /// Each stratum's total over all periods.
    pub stratum_totals: Vec<StratumEstimate>,
    /// The grand total.
    pub total: Estimate,
}

/// The counts of a table, published or not, in table order: what [`lay_out`] links.
struct TableCounts<'a> {
    cells: Vec<(Period, &'a Stratum, Counts)>,
    period_totals: Vec<(Period, Counts)>,
    stratum_totals: Vec<(&'a Stratum, Counts)>,
    total: Counts,
    used: u64,
    skipped: Vec<(SkipReason, u64)>,
    read: u64,
}

/// What a reader may assume about how a table's strata relate to its totals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrataAssumption {
    /// Each record is in one stratum: a period's cells add up to its total.
    Split,
    /// A record may be in several strata (several races, each counted): a period's cells add
    /// up to at least its total, and each is at most the total.
    Overlap,
}

/// The entries of a table in [`LinkedCounts`], and the facts a reader knows about them.
struct Layout {
    linked: LinkedCounts,
    cells: Vec<Entry>,
    period_totals: Vec<Entry>,
    stratum_totals: Vec<Entry>,
    total: Entry,
    used: Entry,
    skipped: Vec<Entry>,
    read: Entry,
}

/// Links a table's counts: each period's cells with its total (`split` says whether they add
/// up exactly), each stratum's cells with its total over periods, the periods and the strata
/// with the grand total, the rows read with the rows used and skipped, and (when
/// `unit_records`) the rows used with the grand total's denominator.
fn lay_out(
    t: &TableCounts<'_>,
    split_period: impl Fn(usize) -> bool,
    split_strata: bool,
    unit_records: bool,
) -> Layout {
    let mut linked = LinkedCounts::new();
    let cells: Vec<Entry> = t
        .cells
        .iter()
        .map(|(_, _, c)| linked.add_rate(*c))
        .collect();
    let period_totals: Vec<Entry> = t
        .period_totals
        .iter()
        .map(|(_, c)| linked.add_rate(*c))
        .collect();
    let stratum_totals: Vec<Entry> = t
        .stratum_totals
        .iter()
        .map(|(_, c)| linked.add_rate(*c))
        .collect();
    let total = linked.add_rate(t.total);
    let used = linked.add_count(t.used);
    let skipped: Vec<Entry> = t
        .skipped
        .iter()
        .map(|(_, n)| linked.add_count(*n))
        .collect();
    let read = linked.add_count(t.read);

    let periods: Vec<Period> = t.period_totals.iter().map(|(p, _)| *p).collect();
    let strata: Vec<&Stratum> = t.stratum_totals.iter().map(|(s, _)| *s).collect();
    let mut of_period: Vec<Vec<Entry>> = vec![Vec::new(); periods.len()];
    let mut of_stratum: Vec<Vec<Entry>> = vec![Vec::new(); strata.len()];
    for (&entry, (period, stratum, _)) in cells.iter().zip(&t.cells) {
        if let Ok(p) = periods.binary_search(period)
            && let Some(v) = of_period.get_mut(p)
        {
            v.push(entry);
        }
        if let Ok(k) = strata.binary_search(stratum)
            && let Some(v) = of_stratum.get_mut(k)
        {
            v.push(entry);
        }
    }
    for (p, (members, &total_entry)) in of_period.iter().zip(&period_totals).enumerate() {
        if split_period(p) {
            linked.sum(total_entry, members);
        } else {
            linked.cover(total_entry, members);
        }
    }
    for (members, &total_entry) in of_stratum.iter().zip(&stratum_totals) {
        linked.sum(total_entry, members);
    }
    linked.sum(total, &period_totals);
    if split_strata {
        linked.sum(total, &stratum_totals);
    } else {
        linked.cover(total, &stratum_totals);
    }
    let mut rows = vec![used];
    rows.extend(&skipped);
    linked.sum(read, &rows);
    if unit_records {
        linked.fact(
            vec![
                (used, Part::Denominator, 1.0),
                (total, Part::Denominator, -1.0),
            ],
            Relation::Equal,
            0.0,
        );
    }
    Layout {
        linked,
        cells,
        period_totals,
        stratum_totals,
        total,
        used,
        skipped,
        read,
    }
}

fn build_table(
    counts: &StratifiedCounts,
    suppression: &Suppression,
    reliability: &Reliability,
) -> StratifiedTable {
    // No sum here can overflow: each is at most the grand total, checked as counts came in.
    let mut stratum_sums: BTreeMap<&Stratum, Counts> = BTreeMap::new();
    for ((_, stratum), c) in &counts.cells {
        let sum = stratum_sums.entry(stratum).or_default();
        *sum = sum.checked_add(*c).unwrap_or(counts.grand);
    }
    let grand = counts.grand;
    let t = TableCounts {
        cells: counts.cells.iter().map(|((p, s), c)| (*p, s, *c)).collect(),
        period_totals: counts.period_totals.iter().map(|(p, c)| (*p, *c)).collect(),
        stratum_totals: stratum_sums.into_iter().collect(),
        total: grand,
        used: counts.rows.used,
        skipped: counts
            .rows
            .skipped
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(r, n)| (*r, *n))
            .collect(),
        read: counts.rows.read,
    };
    // A reader is assumed to know every relation that holds: cells that add up to their total
    // do (records split), and rows used equal to the total denominator are one record each.
    // Compared, never published: a sum past u64 (`None`) is simply not equal to the total.
    let mut cell_sums: BTreeMap<Period, Option<Counts>> = BTreeMap::new();
    for (period, _, c) in &t.cells {
        let sum = cell_sums.entry(*period).or_insert(Some(Counts::default()));
        *sum = sum.and_then(|sum| sum.checked_add(*c));
    }
    let split_period = |p: usize| {
        t.period_totals
            .get(p)
            .is_some_and(|(period, total)| cell_sums.get(period).copied().flatten() == Some(*total))
    };
    let mut strata_sum = Some(Counts::default());
    for (_, c) in &t.stratum_totals {
        strata_sum = strata_sum.and_then(|sum| sum.checked_add(*c));
    }
    let layout = lay_out(
        &t,
        split_period,
        strata_sum == Some(t.total),
        t.used == t.total.denominator,
    );
    let protection = layout.linked.protect(suppression);
    let estimate =
        |entry: Entry, c: Counts| Estimate::new(c, protection.is_hidden(entry), reliability);

    let cells = layout
        .cells
        .iter()
        .zip(&t.cells)
        .map(|(&entry, (period, stratum, c))| CellEstimate {
            period: *period,
            stratum: (*stratum).clone(),
            estimate: estimate(entry, *c),
        })
        .collect();
    let period_totals = layout
        .period_totals
        .iter()
        .zip(&t.period_totals)
        .map(|(&entry, (period, c))| PeriodEstimate {
            period: *period,
            estimate: estimate(entry, *c),
        })
        .collect();
    let stratum_totals = layout
        .stratum_totals
        .iter()
        .zip(&t.stratum_totals)
        .map(|(&entry, (stratum, c))| StratumEstimate {
            stratum: (*stratum).clone(),
            estimate: estimate(entry, *c),
        })
        .collect();
    let shown = |entry: Entry, n: u64| (!protection.is_hidden(entry)).then_some(n);
    let rows = PublishedRows {
        read: shown(layout.read, t.read),
        used: shown(layout.used, t.used),
        skipped: layout
            .skipped
            .iter()
            .zip(&t.skipped)
            .map(|(&entry, (reason, n))| SkippedRows {
                reason: *reason,
                rows: shown(entry, *n),
            })
            .collect(),
    };
    StratifiedTable {
        stratifiers: counts.stratifiers.clone(),
        suppression: *suppression,
        reliability: *reliability,
        disclosure_audit: AuditStamp::of(protection.audit(), suppression),
        rows,
        cells,
        period_totals,
        stratum_totals,
        total: estimate(layout.total, t.total),
    }
}

/// Where a count of a [`StratifiedTable`] is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "place", rename_all = "snake_case")]
pub enum Place {
    /// A period and stratum.
    Cell {
        /// The period.
        period: Period,
        /// The stratum.
        stratum: Stratum,
    },
    /// A period's total over all strata.
    PeriodTotal {
        /// The period.
        period: Period,
    },
    /// A stratum's total over all periods.
    StratumTotal {
        /// The stratum.
        stratum: Stratum,
    },
    /// The grand total.
    Total,
    /// Rows read, used, or skipped for a reason.
    Rows {
        /// `read`, `used` or the skip reason.
        rows: String,
    },
}

/// A hidden count of a published [`StratifiedTable`] and what a reader can prove about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttackedCount {
    /// Where the count is.
    #[serde(flatten)]
    pub place: Place,
    /// Which count.
    pub part: Part,
    /// The proven range; `None` where the solver could not answer.
    pub bounds: Option<Bounds>,
}

impl StratifiedTable {
    /// Attacks the published table as a reader would: from the shown counts, the totals and the
    /// relations between them alone, the narrowest range each hidden count can be proven to lie
    /// in (linear programming bounds, rounded inwards). It reads nothing but the table, so it
    /// re-proves the suppression of any table, e.g. one read back from JSON.
    pub fn attack(&self, assumption: StrataAssumption) -> Vec<AttackedCount> {
        let counts = |e: &Estimate| match (e.numerator, e.denominator) {
            (Some(numerator), Some(denominator)) => Counts {
                numerator,
                denominator,
            },
            // What is hidden is not read: any placeholder will do.
            _ => Counts::default(),
        };
        let t = TableCounts {
            cells: self
                .cells
                .iter()
                .map(|c| (c.period, &c.stratum, counts(&c.estimate)))
                .collect(),
            period_totals: self
                .period_totals
                .iter()
                .map(|p| (p.period, counts(&p.estimate)))
                .collect(),
            stratum_totals: self
                .stratum_totals
                .iter()
                .map(|s| (&s.stratum, counts(&s.estimate)))
                .collect(),
            total: counts(&self.total),
            used: self.rows.used.unwrap_or(0),
            skipped: self
                .rows
                .skipped
                .iter()
                .map(|s| (s.reason, s.rows.unwrap_or(0)))
                .collect(),
            read: self.rows.read.unwrap_or(0),
        };
        let split = assumption == StrataAssumption::Split;
        // Rows used equal to the total denominator: known when both are shown and equal, and
        // assumed when either is hidden (the stronger reader).
        let unit_records = match (self.rows.used, self.total.denominator) {
            (Some(u), Some(d)) => u == d,
            _ => true,
        };
        let layout = lay_out(&t, |_| split, split, unit_records);
        let (hidden, places) = self.places(&layout);
        layout
            .linked
            .bounds_of_hidden(&hidden)
            .into_iter()
            .filter_map(|(entry, part, bounds)| {
                let place = places.get(entry.index())?.clone();
                Some(AttackedCount {
                    place,
                    part,
                    bounds,
                })
            })
            .collect()
    }

    /// Whether each entry of the layout is hidden, and where it is.
    fn places(&self, layout: &Layout) -> (Vec<bool>, Vec<Place>) {
        let mut hidden = vec![false; layout.linked.len()];
        let mut places = vec![Place::Total; layout.linked.len()];
        let mut mark = |entry: Entry, is_hidden: bool, place: Place| {
            if let Some(flag) = hidden.get_mut(entry.index()) {
                *flag = is_hidden;
            }
            if let Some(slot) = places.get_mut(entry.index()) {
                *slot = place;
            }
        };
        for (&entry, c) in layout.cells.iter().zip(&self.cells) {
            let place = Place::Cell {
                period: c.period,
                stratum: c.stratum.clone(),
            };
            mark(entry, c.estimate.suppressed, place);
        }
        for (&entry, p) in layout.period_totals.iter().zip(&self.period_totals) {
            let place = Place::PeriodTotal { period: p.period };
            mark(entry, p.estimate.suppressed, place);
        }
        for (&entry, s) in layout.stratum_totals.iter().zip(&self.stratum_totals) {
            let place = Place::StratumTotal {
                stratum: s.stratum.clone(),
            };
            mark(entry, s.estimate.suppressed, place);
        }
        mark(layout.total, self.total.suppressed, Place::Total);
        let rows = |name: &str| Place::Rows {
            rows: name.to_owned(),
        };
        mark(layout.used, self.rows.used.is_none(), rows("used"));
        mark(layout.read, self.rows.read.is_none(), rows("read"));
        for (&entry, s) in layout.skipped.iter().zip(&self.rows.skipped) {
            mark(entry, s.rows.is_none(), rows(s.reason.describe()));
        }
        (hidden, places)
    }
}

fn fmt_count(n: Option<u64>) -> String {
    n.map_or_else(|| "<hidden>".to_owned(), |n| n.to_string())
}

fn fmt_rate(e: &Estimate) -> (String, String) {
    match (e.rate, e.interval) {
        (Some(r), Some(i)) => (
            format!("{:.1}%{}", r * 100.0, if e.unreliable { "*" } else { "" }),
            format!("{:.1}% to {:.1}%", i.lower * 100.0, i.upper * 100.0),
        ),
        _ => ("-".to_owned(), String::new()),
    }
}

pub(crate) fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

pub(crate) fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

impl StratifiedTable {
    /// The label of a stratum for people (category labels joined with ` / `).
    pub fn stratum_label(&self, stratum: &Stratum) -> String {
        stratum.label(&self.stratifiers)
    }

    /// The table for people: one block per period, then the totals per stratum.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let names: Vec<&str> = self.stratifiers.iter().map(|s| s.name.as_str()).collect();
        let _ = writeln!(
            out,
            "Stratified by {} ({}; * unreliable: fewer than {} events or a wide interval)",
            names.join(" / "),
            suppression_note(&self.suppression),
            self.reliability.min_events
        );
        if let Some(stamp) = &self.disclosure_audit {
            let _ = writeln!(out, "{}", stamp.describe());
        }
        let _ = writeln!(out, "Rows: {}", self.rows.summary());
        let width = self
            .stratum_totals
            .iter()
            .map(|s| self.stratum_label(&s.stratum).chars().count())
            .max()
            .unwrap_or(0)
            .max(12);
        let header = |out: &mut String, title: &str| {
            let _ = writeln!(
                out,
                "\n{title}\n  {:<width$} {:>10} {:>11} {:>8}  95% interval",
                "stratum", "numerator", "denominator", "rate"
            );
        };
        let row = |out: &mut String, label: &str, e: &Estimate| {
            let (rate, interval) = fmt_rate(e);
            let line = format!(
                "  {label:<width$} {:>10} {:>11} {rate:>8}  {interval}",
                fmt_count(e.numerator),
                fmt_count(e.denominator),
            );
            let _ = writeln!(out, "{}", line.trim_end());
        };
        for p in &self.period_totals {
            header(&mut out, &p.period.to_string());
            for c in self.cells.iter().filter(|c| c.period == p.period) {
                row(&mut out, &self.stratum_label(&c.stratum), &c.estimate);
            }
            row(&mut out, "all strata", &p.estimate);
        }
        header(&mut out, "All periods");
        for s in &self.stratum_totals {
            row(&mut out, &self.stratum_label(&s.stratum), &s.estimate);
        }
        row(&mut out, "all strata", &self.total);
        out
    }

    /// The table as CSV: one line per cell, then per period total (strata `all`), per stratum
    /// total (period `all`) and the grand total. Hidden values are empty.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        let mut header = vec!["period".to_owned()];
        header.extend(self.stratifiers.iter().map(|s| csv_field(&s.name)));
        header.extend(
            [
                "numerator",
                "denominator",
                "rate",
                "lower",
                "upper",
                "suppressed",
                "unreliable",
            ]
            .map(str::to_owned),
        );
        let _ = writeln!(out, "{}", header.join(","));
        let all_strata = vec!["all".to_owned(); self.stratifiers.len()];
        let mut line = |period: String, levels: Vec<String>, e: &Estimate| {
            let mut fields = vec![period];
            fields.extend(levels.iter().map(|l| csv_field(l)));
            fields.extend([
                opt(e.numerator),
                opt(e.denominator),
                opt(e.rate),
                opt(e.interval.map(|i| i.lower)),
                opt(e.interval.map(|i| i.upper)),
                e.suppressed.to_string(),
                e.unreliable.to_string(),
            ]);
            let _ = writeln!(out, "{}", fields.join(","));
        };
        let codes = |s: &Stratum| s.0.iter().map(|l| l.code().to_owned()).collect();
        for c in &self.cells {
            line(c.period.to_string(), codes(&c.stratum), &c.estimate);
        }
        for p in &self.period_totals {
            line(p.period.to_string(), all_strata.clone(), &p.estimate);
        }
        for s in &self.stratum_totals {
            line("all".to_owned(), codes(&s.stratum), &s.estimate);
        }
        line("all".to_owned(), all_strata, &self.total);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn race() -> Vec<Stratifier> {
        vec![Stratifier::dimension(Dimension::Race, "race")]
    }

    #[test]
    fn counts_never_wrap_or_clip() {
        let max = Counts::new(0, u64::MAX).unwrap();
        let one = Counts::new(1, 1).unwrap();
        assert_eq!(max.checked_add(one), None);
        let mut c = StratifiedCounts::new(race());
        let white = Stratum::of(&["white"]);
        c.add_counts(p(1), white.clone(), max).unwrap();
        // A later period alone fits, but the table's grand total would not: refused, and the
        // counts stay as they were.
        let before = c.clone();
        let err = c.add_counts(p(2), white.clone(), one).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the counts of 2024-02 add up to more than 18446744073709551615 (no count is wrapped or clipped)"
        );
        assert_eq!(c, before);
        let mut other = StratifiedCounts::new(race());
        other.add_counts(p(3), white, one).unwrap();
        assert!(c.merge(&other).is_err());
        assert_eq!(c, before);
    }

    fn p(m: u32) -> Period {
        Period::new(2024, m).unwrap()
    }

    #[test]
    fn levels_parse_and_order() {
        assert_eq!(Level::parse(""), Level::Missing);
        assert_eq!(Level::parse("Declined"), Level::Declined);
        assert_eq!(Level::parse("white"), Level::Value("white".into()));
        assert!(Level::Value("zulu".into()) < Level::Declined);
        let s = Stratum::of(&["white", "unknown"]);
        assert!(!s.is_group());
        assert_eq!(s.to_string(), "white / unknown");
    }

    #[test]
    fn each_selected_counts_a_record_in_each_stratum_but_once_in_the_total() {
        let mut c = StratifiedCounts::new(race());
        let strata = [Stratum::of(&["white"]), Stratum::of(&["asian"])];
        c.add_record(p(1), &strata, Counts::new(1, 1).unwrap())
            .unwrap();
        assert_eq!(
            c.cell(p(1), &strata[0]),
            Some(Counts {
                numerator: 1,
                denominator: 1
            })
        );
        assert_eq!(
            c.cell(p(1), &strata[1]),
            Some(Counts {
                numerator: 1,
                denominator: 1
            })
        );
        assert_eq!(
            c.period_total(p(1)),
            Some(Counts {
                numerator: 1,
                denominator: 1
            })
        );
        assert!(
            c.add_record(p(1), &[Stratum::of(&["a", "b"])], Counts::default())
                .is_err()
        );
    }

    #[test]
    fn counts_refuse_a_numerator_above_the_denominator() {
        assert_eq!(
            Counts::new(3, 2),
            Err(RowProblem::NumeratorAboveDenominator)
        );
    }

    #[test]
    fn table_rates_intervals_and_suppression() {
        let mut c = StratifiedCounts::new(race());
        c.add_counts(
            p(1),
            Stratum::of(&["white"]),
            Counts::new(120, 400).unwrap(),
        )
        .unwrap();
        c.add_counts(p(1), Stratum::of(&["asian"]), Counts::new(30, 60).unwrap())
            .unwrap();
        c.add_counts(
            p(1),
            Stratum::of(&["black_or_african_american"]),
            Counts::new(4, 9).unwrap(),
        )
        .unwrap();
        c.add_counts(
            p(2),
            Stratum::of(&["white"]),
            Counts::new(130, 410).unwrap(),
        )
        .unwrap();
        c.add_counts(p(2), Stratum::of(&["asian"]), Counts::new(28, 55).unwrap())
            .unwrap();
        c.add_counts(
            p(2),
            Stratum::of(&["black_or_african_american"]),
            Counts::new(20, 50).unwrap(),
        )
        .unwrap();
        let t = c.table(&Suppression::default(), &Reliability::default());
        let cell = |m: u32, s: &str| {
            t.cells
                .iter()
                .find(|c| c.period == p(m) && c.stratum == Stratum::of(&[s]))
                .unwrap()
                .estimate
        };
        // 4/9: primary. Its period row and its stratum column each need a second hidden cell.
        assert!(cell(1, "black_or_african_american").suppressed);
        assert!(cell(1, "asian").suppressed);
        assert!(cell(2, "black_or_african_american").suppressed);
        let white = cell(1, "white");
        assert_eq!(white.rate, Some(0.3));
        assert!(white.interval.unwrap().contains(0.3));
        assert!(!white.unreliable);
        assert_eq!(t.total.denominator, Some(984));
        // With suppression off, everything shows.
        let open = c.table(
            &Suppression::off_for_internal_use_only(),
            &Reliability::default(),
        );
        assert!(open.cells.iter().all(|c| !c.estimate.suppressed));
    }

    #[test]
    fn skipped_rows_are_reported_and_small_ones_hidden() {
        let mut c = StratifiedCounts::new(race());
        for _ in 0..100 {
            c.add_record(p(1), &[Stratum::of(&["white"])], Counts::new(0, 1).unwrap())
                .unwrap();
        }
        for _ in 0..3 {
            c.skip_row(SkipReason::MissingPeriod);
        }
        for _ in 0..40 {
            c.skip_row(SkipReason::ZeroDenominator);
        }
        assert_eq!(c.rows().read, 143);
        let t = c.table(&Suppression::default(), &Reliability::default());
        assert_eq!(t.rows.read, Some(143));
        assert_eq!(t.rows.skipped[0].rows, None);
        assert_eq!(t.rows.skipped[1].rows, None);
        assert_eq!(t.rows.used, Some(100));
    }

    #[test]
    fn counts_round_trip_through_json() {
        let mut c = StratifiedCounts::new(race());
        c.add_counts(p(3), Stratum::of(&["white"]), Counts::new(1, 2).unwrap())
            .unwrap();
        c.skip_row(SkipReason::MissingNumerator);
        let json = serde_json::to_string(&c).unwrap();
        let back: StratifiedCounts = serde_json::from_str(&json).unwrap();
        assert_eq!(back, c);
        let bad = json.replace("\"numerator\":1", "\"numerator\":9");
        assert!(serde_json::from_str::<StratifiedCounts>(&bad).is_err());
    }
}

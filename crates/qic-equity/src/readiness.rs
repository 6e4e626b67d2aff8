//! Data readiness: how complete and usable each REAL and SOGI dimension of an extract is.
//!
//! [`ReadinessCounts`] counts, per dimension, the records whose value is usable, declined,
//! unknown, missing or unmapped, and how many records fall in each reporting category. Counts from
//! chunks, threads or files merge into the counts of one pass. [`ReadinessCounts::report`] turns
//! them into a [`ReadinessReport`]: shares, the number of categories seen, and a
//! [`ReadinessVerdict`] per dimension against [`ReadinessThresholds`].
//!
//! The report is meant for sharing (for example with an application to a collaborative, where it
//! is the evidence of "accessible and usable REAL and SOGI data"), so its counts go through
//! small-cell [`Suppression`]: a hidden count and its share are `null`. Verdicts are computed from
//! the exact counts before anything is hidden. The raw values that mapped to nothing are kept
//! apart, in [`DimensionCounts::unmapped_values`], for the data steward: they come from patient
//! records and are never part of the report.
//!
//! Counts are per record: for patient-level shares, give one record per patient.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::EquityError;
use crate::codes::{Category, Dimension};
use crate::disclosure::{AuditStamp, Entry, LinkedCounts, Part, Relation};
use crate::mapping::{Classified, Mapping, MultipleRule, Status};
use crate::suppression::Suppression;

/// At most this many distinct unmapped raw values are listed per dimension (the first in
/// lexical order); the records holding the others are counted in
/// [`UnmappedValues::not_listed`].
pub const MAX_LISTED_UNMAPPED: usize = 1000;

/// One value per status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StatusCounts<T> {
    /// Records with at least one reporting category.
    pub usable: T,
    /// Records where the patient chose not to answer.
    pub declined: T,
    /// Records whose answer is recorded as unknown.
    pub unknown: T,
    /// Records with an empty value or a "no information" placeholder.
    pub missing: T,
    /// Records with a value no mapping covers.
    pub unmapped: T,
}

impl<T: Copy> StatusCounts<T> {
    /// The value for one status.
    pub fn get(&self, status: Status) -> T {
        match status {
            Status::Usable => self.usable,
            Status::Declined => self.declined,
            Status::Unknown => self.unknown,
            Status::Missing => self.missing,
            Status::Unmapped => self.unmapped,
        }
    }

    fn get_mut(&mut self, status: Status) -> &mut T {
        match status {
            Status::Usable => &mut self.usable,
            Status::Declined => &mut self.declined,
            Status::Unknown => &mut self.unknown,
            Status::Missing => &mut self.missing,
            Status::Unmapped => &mut self.unmapped,
        }
    }

    fn map<U>(&self, mut f: impl FnMut(Status, T) -> U) -> StatusCounts<U> {
        StatusCounts {
            usable: f(Status::Usable, self.usable),
            declined: f(Status::Declined, self.declined),
            unknown: f(Status::Unknown, self.unknown),
            missing: f(Status::Missing, self.missing),
            unmapped: f(Status::Unmapped, self.unmapped),
        }
    }
}

/// The raw values that mapped to nothing, with how many records hold each. **Internal**: these
/// are values from patient records, for the data steward who writes the mapping file; never
/// publish them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnmappedValues {
    /// Up to [`MAX_LISTED_UNMAPPED`] distinct values (the first in lexical order) and their
    /// record counts.
    pub listed: BTreeMap<String, u64>,
    /// Records holding an unmapped value beyond the listed ones.
    pub not_listed: u64,
}

impl UnmappedValues {
    /// Counts one more record holding `raw`.
    pub fn add(&mut self, raw: &str, records: u64) {
        if let Some(n) = self.listed.get_mut(raw) {
            *n += records;
            return;
        }
        self.listed.insert(raw.to_owned(), records);
        self.truncate();
    }

    /// Adds another list (the result does not depend on the order of merging).
    pub fn merge(&mut self, other: &Self) {
        for (raw, n) in &other.listed {
            *self.listed.entry(raw.clone()).or_insert(0) += n;
        }
        self.not_listed += other.not_listed;
        self.truncate();
    }

    fn truncate(&mut self) {
        // Keeping the lexically first values makes merging associative and commutative: a value
        // dropped once can never be among the first of a larger set.
        while self.listed.len() > MAX_LISTED_UNMAPPED {
            if let Some((_, n)) = self.listed.pop_last() {
                self.not_listed += n;
            }
        }
    }
}

/// Exact counts for one dimension (one column of the extract). Internal: not suppressed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DimensionCounts {
    /// The dimension.
    pub dimension: Dimension,
    /// The column of the extract that holds it.
    pub column: String,
    /// Records per status.
    pub statuses: StatusCounts<u64>,
    /// Records per reporting category (by [`Category::code`]), under the roll-up rule.
    pub categories: BTreeMap<String, u64>,
    /// The raw values that mapped to nothing (internal; see [`UnmappedValues`]).
    pub unmapped_values: UnmappedValues,
}

impl DimensionCounts {
    fn new(dimension: Dimension, column: String) -> Self {
        Self {
            dimension,
            column,
            statuses: StatusCounts::default(),
            categories: BTreeMap::new(),
            unmapped_values: UnmappedValues::default(),
        }
    }

    /// Counts `records` records whose value was `raw`, classified as `classified`.
    pub fn add(&mut self, classified: &Classified, raw: &str, rule: MultipleRule, records: u64) {
        *self.statuses.get_mut(classified.status()) += records;
        match classified {
            Classified::Categories(_) => {
                for c in classified.roll_up(rule) {
                    *self.categories.entry(c.code().to_owned()).or_insert(0) += records;
                }
            }
            Classified::Unmapped => self.unmapped_values.add(raw.trim(), records),
            _ => {}
        }
    }

    fn merge(&mut self, other: &Self) {
        for status in Status::ALL {
            *self.statuses.get_mut(status) += other.statuses.get(status);
        }
        for (code, n) in &other.categories {
            *self.categories.entry(code.clone()).or_insert(0) += n;
        }
        self.unmapped_values.merge(&other.unmapped_values);
    }
}

/// Exact, mergeable readiness counts of an extract. Internal: build a [`ReadinessReport`] to
/// share them.
///
/// ```
/// use qic_equity::codes::Dimension;
/// use qic_equity::mapping::{Mapping, MultipleRule};
/// use qic_equity::readiness::{ReadinessCounts, ReadinessThresholds, ReadinessVerdict};
/// use qic_equity::suppression::Suppression;
///
/// let mapping = Mapping::standard();
/// let mut counts = ReadinessCounts::new(
///     [(Dimension::Race, "race"), (Dimension::SexualOrientation, "so")],
///     MultipleRule::Multiracial,
/// )?;
/// for _ in 0..30 {
///     counts.add_record(&mapping, ["2106-3", "20430005"]);
///     counts.add_record(&mapping, ["2054-5", ""]);
/// }
/// let report = counts.report(&ReadinessThresholds::default(), &Suppression::default())?;
/// assert_eq!(report.verdict(Dimension::Race), ReadinessVerdict::Ready);
/// assert_eq!(report.verdict(Dimension::SexualOrientation), ReadinessVerdict::NotReady);
/// assert_eq!(report.verdict(Dimension::GenderIdentity), ReadinessVerdict::NotCollected);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadinessCounts {
    /// How several race answers roll up into categories.
    pub rule: MultipleRule,
    /// Records counted.
    pub records: u64,
    /// Counts per dimension, in the order the columns were given.
    pub dimensions: Vec<DimensionCounts>,
}

impl ReadinessCounts {
    /// Empty counts for the given (dimension, column) pairs.
    ///
    /// # Errors
    ///
    /// [`EquityError::InvalidSetting`] when a dimension is given twice.
    pub fn new<S: Into<String>>(
        columns: impl IntoIterator<Item = (Dimension, S)>,
        rule: MultipleRule,
    ) -> Result<Self, EquityError> {
        let mut dimensions: Vec<DimensionCounts> = Vec::new();
        for (dimension, column) in columns {
            if dimensions.iter().any(|d| d.dimension == dimension) {
                return Err(EquityError::InvalidSetting {
                    setting: "columns",
                    message: format!("the dimension {dimension} is given twice"),
                });
            }
            dimensions.push(DimensionCounts::new(dimension, column.into()));
        }
        Ok(Self {
            rule,
            records: 0,
            dimensions,
        })
    }

    /// Counts one record: `values` are its raw values in the order of the columns (values
    /// beyond the columns are ignored; columns beyond the values count as missing).
    pub fn add_record<'a>(&mut self, mapping: &Mapping, values: impl IntoIterator<Item = &'a str>) {
        let mut values = values.into_iter();
        self.records += 1;
        let rule = self.rule;
        for d in &mut self.dimensions {
            let raw = values.next().unwrap_or("");
            let classified = mapping.classify(d.dimension, raw);
            d.add(&classified, raw, rule, 1);
        }
    }

    /// Adds counts from another part of the same extract (same columns, same rule). Merging is
    /// associative and commutative.
    ///
    /// # Errors
    ///
    /// [`EquityError::InvalidSetting`] when the two counts have different columns or rules.
    pub fn merge(&mut self, other: &Self) -> Result<(), EquityError> {
        let same_layout = self.rule == other.rule
            && self.dimensions.len() == other.dimensions.len()
            && self
                .dimensions
                .iter()
                .zip(&other.dimensions)
                .all(|(a, b)| a.dimension == b.dimension && a.column == b.column);
        if !same_layout {
            return Err(EquityError::InvalidSetting {
                setting: "merge",
                message: "the counts have different columns or roll-up rules".to_owned(),
            });
        }
        self.records += other.records;
        for (a, b) in self.dimensions.iter_mut().zip(&other.dimensions) {
            a.merge(b);
        }
        Ok(())
    }

    /// The counts of one dimension.
    pub fn dimension(&self, dimension: Dimension) -> Option<&DimensionCounts> {
        self.dimensions.iter().find(|d| d.dimension == dimension)
    }

    /// The shareable report: shares, verdicts against `thresholds`, and counts with small cells
    /// hidden under `suppression`.
    ///
    /// # Errors
    ///
    /// [`EquityError::InvalidSetting`] when a threshold is not a share between 0 and 1.
    pub fn report(
        &self,
        thresholds: &ReadinessThresholds,
        suppression: &Suppression,
    ) -> Result<ReadinessReport, EquityError> {
        thresholds.validate()?;
        let verdicts: Vec<(ReadinessVerdict, Vec<Shortfall>)> = self
            .dimensions
            .iter()
            .map(|d| verdict(d, self.records, thresholds))
            .collect();
        let layout = lay_out(self, thresholds, &verdicts);
        let protection = layout.linked.protect(suppression);
        let shown = |entry: Entry| !protection.is_hidden(entry);
        let records_shown = shown(layout.records);
        let dimensions = self
            .dimensions
            .iter()
            .zip(&layout.dimensions)
            .zip(verdicts)
            .map(|((d, entries), (verdict, shortfalls))| {
                let counts = d.statuses.map(|s, n| {
                    let entry = entries.statuses.get(s);
                    shown(entry).then_some(n)
                });
                let shares = d.statuses.map(|s, n| {
                    let entry = entries.statuses.get(s);
                    (shown(entry) && records_shown && self.records > 0)
                        .then(|| share(n, self.records))
                });
                let categories = d
                    .categories
                    .iter()
                    .zip(&entries.categories)
                    .map(|((code, n), &entry)| CategoryCount {
                        code: code.clone(),
                        label: Category::from_code(d.dimension, code)
                            .map_or_else(|| code.clone(), |c| c.label().to_owned()),
                        count: shown(entry).then_some(*n),
                    })
                    .collect();
                DimensionReadiness {
                    dimension: d.dimension,
                    column: d.column.clone(),
                    counts,
                    shares,
                    categories_seen: d.categories.values().filter(|&&n| n > 0).count(),
                    categories,
                    verdict,
                    shortfalls,
                }
            })
            .collect();
        Ok(ReadinessReport {
            records: records_shown.then_some(self.records),
            thresholds: *thresholds,
            suppression: *suppression,
            disclosure_audit: AuditStamp::of(protection.audit(), suppression),
            dimensions,
        })
    }
}

/// The entries of one dimension in the report's [`LinkedCounts`].
struct DimensionEntries {
    statuses: StatusCounts<Entry>,
    categories: Vec<Entry>,
}

/// The report's counts and what a reader knows of them: in each dimension the statuses add up
/// to the records, the categories to the usable records (or cover them, when a record may count
/// in several), and the verdict places the usable and unmapped shares against the thresholds.
struct Layout {
    linked: LinkedCounts,
    records: Entry,
    dimensions: Vec<DimensionEntries>,
}

fn lay_out(
    counts: &ReadinessCounts,
    thresholds: &ReadinessThresholds,
    verdicts: &[(ReadinessVerdict, Vec<Shortfall>)],
) -> Layout {
    let mut linked = LinkedCounts::new();
    let records = linked.add_count(counts.records);
    let mut dimensions = Vec::new();
    for (d, (verdict, shortfalls)) in counts.dimensions.iter().zip(verdicts) {
        let statuses = d.statuses.map(|_, n| linked.add_count(n));
        let categories: Vec<Entry> = d
            .categories
            .values()
            .map(|&n| linked.add_count(n))
            .collect();
        let status_entries: Vec<Entry> = Status::ALL.iter().map(|&s| statuses.get(s)).collect();
        linked.sum(records, &status_entries);
        if d.categories.values().sum::<u64>() == d.statuses.usable {
            linked.sum(statuses.usable, &categories);
        } else {
            linked.cover(statuses.usable, &categories);
        }
        let share_fact =
            |linked: &mut LinkedCounts, entry: Entry, share: f64, relation: Relation| {
                linked.fact(
                    vec![
                        (entry, Part::Denominator, 1.0),
                        (records, Part::Denominator, -share),
                    ],
                    relation,
                    0.0,
                );
            };
        if *verdict == ReadinessVerdict::NotCollected {
            share_fact(&mut linked, statuses.missing, 1.0, Relation::Equal);
        } else {
            // Missing is below the records (else the dimension would be "not collected").
            linked.fact(
                vec![
                    (statuses.missing, Part::Denominator, 1.0),
                    (records, Part::Denominator, -1.0),
                ],
                Relation::AtMost,
                -1.0,
            );
            // A strict "below" is audited as "at most": a reader learns no more than that.
            let usable_short = shortfalls
                .iter()
                .any(|s| matches!(s, Shortfall::UsableShareBelowMinimum { .. }));
            let unmapped_over = shortfalls
                .iter()
                .any(|s| matches!(s, Shortfall::UnmappedShareAboveMaximum { .. }));
            share_fact(
                &mut linked,
                statuses.usable,
                thresholds.min_usable_share,
                if usable_short {
                    Relation::AtMost
                } else {
                    Relation::AtLeast
                },
            );
            share_fact(
                &mut linked,
                statuses.unmapped,
                thresholds.max_unmapped_share,
                if unmapped_over {
                    Relation::AtLeast
                } else {
                    Relation::AtMost
                },
            );
        }
        dimensions.push(DimensionEntries {
            statuses,
            categories,
        });
    }
    Layout {
        linked,
        records,
        dimensions,
    }
}

fn share(count: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        count as f64 / total as f64
    }
}

/// A dimension's verdict against the thresholds, from the exact counts.
fn verdict(
    d: &DimensionCounts,
    records: u64,
    thresholds: &ReadinessThresholds,
) -> (ReadinessVerdict, Vec<Shortfall>) {
    let mut shortfalls = Vec::new();
    if d.statuses.missing == records {
        return (ReadinessVerdict::NotCollected, shortfalls);
    }
    if share(d.statuses.usable, records) < thresholds.min_usable_share {
        shortfalls.push(Shortfall::UsableShareBelowMinimum {
            minimum: thresholds.min_usable_share,
        });
    }
    if share(d.statuses.unmapped, records) > thresholds.max_unmapped_share {
        shortfalls.push(Shortfall::UnmappedShareAboveMaximum {
            maximum: thresholds.max_unmapped_share,
        });
    }
    let verdict = if shortfalls.is_empty() {
        ReadinessVerdict::Ready
    } else {
        ReadinessVerdict::NotReady
    };
    (verdict, shortfalls)
}

/// The shares a dimension must reach to be ready.
///
/// The defaults are working values, not a published standard (none was found): **at least 80%
/// of records usable**, so that a stratified rate rests on most of the population and the
/// unknown part cannot reverse a gap between two groups of similar size; and **at most 5%
/// unmapped**, because unmapped values are a fixable mapping problem that should not hide a
/// sizable group. A program sets its own.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReadinessThresholds {
    /// The smallest share of records with a usable value (default 0.80).
    pub min_usable_share: f64,
    /// The largest share of records with an unmapped value (default 0.05).
    pub max_unmapped_share: f64,
}

impl Default for ReadinessThresholds {
    fn default() -> Self {
        Self {
            min_usable_share: 0.80,
            max_unmapped_share: 0.05,
        }
    }
}

impl ReadinessThresholds {
    /// Checks that both thresholds are shares between 0 and 1.
    ///
    /// # Errors
    ///
    /// [`EquityError::InvalidSetting`] naming the threshold that is out of range.
    pub fn validate(&self) -> Result<(), EquityError> {
        for (setting, value) in [
            ("min_usable_share", self.min_usable_share),
            ("max_unmapped_share", self.max_unmapped_share),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return Err(EquityError::InvalidSetting {
                    setting,
                    message: format!("{value} is not a share between 0 and 1"),
                });
            }
        }
        Ok(())
    }
}

/// Whether a dimension's data can be used for stratified reporting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReadinessVerdict {
    /// The usable and unmapped shares meet the thresholds.
    Ready,
    /// Values are recorded, but the shares miss a threshold (see the shortfalls).
    NotReady,
    /// Nothing is recorded: every value is missing, there are no records, or the dimension is
    /// not in the extract.
    NotCollected,
}

/// A threshold a dimension misses. The exact shares are in the report's (suppressed) shares; the
/// shortfall names only the threshold, so it never reveals a hidden count.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Shortfall {
    /// Fewer records are usable than the minimum share.
    UsableShareBelowMinimum {
        /// The threshold.
        minimum: f64,
    },
    /// More records are unmapped than the maximum share.
    UnmappedShareAboveMaximum {
        /// The threshold.
        maximum: f64,
    },
}

/// Records in one reporting category.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CategoryCount {
    /// The category's code (see [`Category::code`]).
    pub code: String,
    /// The category's label.
    pub label: String,
    /// Records in the category; `None` when hidden by suppression.
    pub count: Option<u64>,
}

/// The readiness of one dimension.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DimensionReadiness {
    /// The dimension.
    pub dimension: Dimension,
    /// The column of the extract that holds it.
    pub column: String,
    /// Records per status; `None` when hidden by suppression.
    pub counts: StatusCounts<Option<u64>>,
    /// Shares of all records per status; `None` when the count is hidden.
    pub shares: StatusCounts<Option<f64>>,
    /// How many reporting categories have at least one record.
    pub categories_seen: usize,
    /// Records per category, in code order.
    pub categories: Vec<CategoryCount>,
    /// The verdict against the thresholds (computed from exact counts).
    pub verdict: ReadinessVerdict,
    /// The thresholds missed, if any.
    pub shortfalls: Vec<Shortfall>,
}

/// The shareable readiness report of an extract: the evidence for "accessible and usable REAL and
/// SOGI data".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReadinessReport {
    /// Records in the extract; `None` when hidden by suppression.
    pub records: Option<u64>,
    /// The thresholds the verdicts were judged against.
    pub thresholds: ReadinessThresholds,
    /// The small-cell suppression applied to the counts.
    pub suppression: Suppression,
    /// The disclosure audit the report passed (`None` with suppression off; see
    /// [`crate::disclosure`]).
    #[serde(default)]
    pub disclosure_audit: Option<AuditStamp>,
    /// One entry per dimension, in the order the columns were given.
    pub dimensions: Vec<DimensionReadiness>,
}

impl ReadinessReport {
    /// The readiness of one dimension, if it was in the extract.
    pub fn dimension(&self, dimension: Dimension) -> Option<&DimensionReadiness> {
        self.dimensions.iter().find(|d| d.dimension == dimension)
    }

    /// The verdict for one dimension ([`ReadinessVerdict::NotCollected`] when it was not in the
    /// extract).
    pub fn verdict(&self, dimension: Dimension) -> ReadinessVerdict {
        self.dimension(dimension)
            .map_or(ReadinessVerdict::NotCollected, |d| d.verdict)
    }

    /// Whether every one of `dimensions` is ready.
    pub fn all_ready(&self, dimensions: &[Dimension]) -> bool {
        dimensions
            .iter()
            .all(|&d| self.verdict(d) == ReadinessVerdict::Ready)
    }

    /// The report as a table for people.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let count = |n: Option<u64>| n.map_or_else(|| "<hidden>".to_owned(), |n| n.to_string());
        let pct =
            |s: Option<f64>| s.map_or_else(|| "-".to_owned(), |s| format!("{:.1}%", s * 100.0));
        let _ = writeln!(out, "Data readiness ({} records)", count(self.records));
        let _ = writeln!(
            out,
            "Thresholds: usable >= {:.0}%, unmapped <= {:.0}%; {}",
            self.thresholds.min_usable_share * 100.0,
            self.thresholds.max_unmapped_share * 100.0,
            suppression_note(&self.suppression)
        );
        if let Some(stamp) = &self.disclosure_audit {
            let _ = writeln!(out, "{}", stamp.describe());
        }
        for d in &self.dimensions {
            let _ = writeln!(
                out,
                "\n{}, column `{}`: {}",
                d.dimension.label(),
                d.column,
                verdict_text(d.verdict)
            );
            for status in Status::ALL {
                let _ = writeln!(
                    out,
                    "  {:<10} {:>10} {:>7}",
                    status.name(),
                    count(d.counts.get(status)),
                    pct(d.shares.get(status))
                );
            }
            let _ = writeln!(out, "  categories seen: {}", d.categories_seen);
            for c in &d.categories {
                let _ = writeln!(out, "    {:<44} {:>10}", c.label, count(c.count));
            }
            for s in &d.shortfalls {
                let _ = match s {
                    Shortfall::UsableShareBelowMinimum { minimum } => writeln!(
                        out,
                        "  shortfall: usable share below {:.0}%",
                        minimum * 100.0
                    ),
                    Shortfall::UnmappedShareAboveMaximum { maximum } => writeln!(
                        out,
                        "  shortfall: unmapped share above {:.0}%",
                        maximum * 100.0
                    ),
                };
            }
        }
        out
    }
}

pub(crate) fn suppression_note(suppression: &Suppression) -> String {
    match suppression.threshold() {
        Some(t) => format!("counts from 1 to {t} hidden"),
        None => "suppression OFF: internal use only, do not share".to_owned(),
    }
}

fn verdict_text(v: ReadinessVerdict) -> &'static str {
    match v {
        ReadinessVerdict::Ready => "ready",
        ReadinessVerdict::NotReady => "not ready",
        ReadinessVerdict::NotCollected => "not collected",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts_for(values: &[(&str, u64)]) -> ReadinessCounts {
        let mapping = Mapping::standard();
        let mut c =
            ReadinessCounts::new([(Dimension::Race, "race")], MultipleRule::Multiracial).unwrap();
        for (raw, n) in values {
            for _ in 0..*n {
                c.add_record(&mapping, [*raw]);
            }
        }
        c
    }

    #[test]
    fn shares_and_verdicts_from_exact_counts() {
        let c = counts_for(&[
            ("2106-3", 500),
            ("2054-5", 300),
            ("2106-3;2054-5", 40),
            ("ASKU", 60),
            ("UNK", 50),
            ("", 30),
            ("Q9", 20),
        ]);
        let d = &c.dimensions[0];
        assert_eq!(c.records, 1000);
        assert_eq!(d.statuses.usable, 840);
        assert_eq!(d.statuses.unmapped, 20);
        assert_eq!(d.categories.get("multiracial"), Some(&40));
        let r = c
            .report(&ReadinessThresholds::default(), &Suppression::default())
            .unwrap();
        let dr = r.dimension(Dimension::Race).unwrap();
        assert_eq!(dr.verdict, ReadinessVerdict::Ready);
        assert_eq!(dr.shares.usable, Some(0.84));
        assert_eq!(dr.categories_seen, 3);
        let strict = ReadinessThresholds {
            min_usable_share: 0.9,
            max_unmapped_share: 0.01,
        };
        let r = c.report(&strict, &Suppression::default()).unwrap();
        let dr = r.dimension(Dimension::Race).unwrap();
        assert_eq!(dr.verdict, ReadinessVerdict::NotReady);
        assert_eq!(dr.shortfalls.len(), 2);
    }

    #[test]
    fn small_status_counts_are_hidden_with_a_complement() {
        let c = counts_for(&[("2106-3", 500), ("2054-5", 300), ("ASKU", 3), ("UNK", 40)]);
        let r = c
            .report(&ReadinessThresholds::default(), &Suppression::default())
            .unwrap();
        let d = r.dimension(Dimension::Race).unwrap();
        assert_eq!(d.counts.declined, None);
        assert_eq!(d.shares.declined, None);
        // Unknown (40) is the smallest other non-zero status, hidden so 3 cannot be derived.
        assert_eq!(d.counts.unknown, None);
        assert_eq!(d.counts.missing, Some(0));
        assert_eq!(d.counts.usable, Some(800));
        let open = c
            .report(
                &ReadinessThresholds::default(),
                &Suppression::off_for_internal_use_only(),
            )
            .unwrap();
        assert_eq!(open.dimensions[0].counts.declined, Some(3));
    }

    #[test]
    fn all_missing_is_not_collected() {
        let c = counts_for(&[("", 30)]);
        let r = c
            .report(&ReadinessThresholds::default(), &Suppression::default())
            .unwrap();
        assert_eq!(r.verdict(Dimension::Race), ReadinessVerdict::NotCollected);
        assert!(!r.all_ready(&[Dimension::Race]));
    }

    #[test]
    fn thresholds_are_validated() {
        let c = counts_for(&[]);
        let bad = ReadinessThresholds {
            min_usable_share: 1.5,
            max_unmapped_share: 0.05,
        };
        let err = c.report(&bad, &Suppression::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid setting `min_usable_share`: 1.5 is not a share between 0 and 1"
        );
    }

    #[test]
    fn unmapped_values_are_listed_for_the_steward_only() {
        let c = counts_for(&[("Q9", 12), ("Z1", 2), ("2106-3", 100)]);
        let d = c.dimension(Dimension::Race).unwrap();
        assert_eq!(d.unmapped_values.listed.get("Q9"), Some(&12));
        let r = c
            .report(&ReadinessThresholds::default(), &Suppression::default())
            .unwrap();
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains("Q9") && !json.contains("Z1"));
    }

    #[test]
    fn unmapped_listing_is_capped_and_merge_order_free() {
        let mut a = UnmappedValues::default();
        let mut b = UnmappedValues::default();
        for i in 0..MAX_LISTED_UNMAPPED + 10 {
            a.add(&format!("a{i:05}"), 1);
            b.add(&format!("b{i:05}"), 2);
        }
        assert_eq!(a.listed.len(), MAX_LISTED_UNMAPPED);
        assert_eq!(a.not_listed, 10);
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab, ba);
        let total: u64 = ab.listed.values().sum::<u64>() + ab.not_listed;
        assert_eq!(total, (MAX_LISTED_UNMAPPED as u64 + 10) * 3);
    }

    #[cfg(feature = "schema")]
    #[test]
    fn the_report_has_a_json_schema() {
        let schema = serde_json::to_string(&schemars::schema_for!(ReadinessReport)).unwrap();
        for field in [
            "verdict",
            "shortfalls",
            "min_usable_share",
            "categories_seen",
        ] {
            assert!(schema.contains(field), "{field}");
        }
    }

    #[test]
    fn merging_equals_one_pass() {
        let whole = counts_for(&[("2106-3", 20), ("ASKU", 5), ("x", 3)]);
        let mut a = counts_for(&[("2106-3", 12), ("x", 3)]);
        let b = counts_for(&[("2106-3", 8), ("ASKU", 5)]);
        a.merge(&b).unwrap();
        assert_eq!(a, whole);
        let other =
            ReadinessCounts::new([(Dimension::Ethnicity, "eth")], MultipleRule::Multiracial)
                .unwrap();
        assert!(a.merge(&other).is_err());
    }
}

//! The one publication step: which counts may leave the report.
//!
//! Every count the report could show passes through [`Publication`] before anything is computed
//! from it:
//!
//! - **team-month measure counts** (numerator and denominator of a proportion or a rate, the
//!   count of a count measure), behind each team's charts, its latest values and its aims'
//!   progress;
//! - **pooled monthly totals**, behind the pooled charts: summed from published team-months
//!   only, so a pooled point never adds a hidden count in;
//! - **team stratified tables**, through qic-equity's suppressed table (primary and
//!   complementary suppression).
//!
//! A team-month is hidden when any count it carries (the numerator, the denominator, or for a
//! proportion the denominator minus the numerator) is from 1 to the folder's threshold, or when
//! the team's stratified table of the same measure hides that month's total over all groups
//! (the same quantity, published twice, must be hidden in both places). Hidden months reach
//! the charts as gaps labelled "suppressed: small numbers", never as values.
//!
//! This is primary suppression of the team-month counts, linked to the stratified tables. The
//! program-wide audit of linked counts (qic-equity's disclosure audit, with complementary cells
//! chosen so that no hidden count can be derived) replaces [`Publication::decide`]'s rule when
//! it lands; nothing else in the report needs to change, because nothing else reads a count
//! that did not come through here.

use std::collections::{BTreeMap, BTreeSet};

use qic_equity::stratify::{StratifiedCounts, StratifiedTable};
use qic_equity::suppression::{Reliability, Suppression};
use qic_program::YearMonth;

use crate::collaborative::{Collaborative, TeamFolder};
use crate::key::Key;
use crate::measure::Unit;
use crate::month;
use crate::series::{DataPoint, Series};

/// Which team-month counts may be published, decided once for the whole report.
#[derive(Clone, Debug)]
pub struct Publication {
    suppression: Suppression,
    reliability: Reliability,
    /// Hidden months by team folder and measure.
    hidden: BTreeMap<(String, Key), BTreeSet<YearMonth>>,
}

impl Publication {
    /// Decides what a collaborative's report may publish, under its folder's suppression.
    pub fn decide(collaborative: &Collaborative) -> Self {
        let suppression = collaborative.suppression();
        let reliability = Reliability::default();
        let mut hidden = BTreeMap::new();
        for team in &collaborative.teams {
            for (key, series) in &team.series {
                let Some(measure) = team.measure(key) else {
                    continue;
                };
                let table = team
                    .strata
                    .get(key)
                    .map(|counts| counts.table(&suppression, &reliability));
                let months: BTreeSet<YearMonth> = series
                    .points()
                    .iter()
                    .filter(|p| {
                        hides_point(&suppression, measure.unit, p)
                            || table
                                .as_ref()
                                .is_some_and(|t| hides_period_total(t, p.month))
                    })
                    .map(|p| p.month)
                    .collect();
                if !months.is_empty() {
                    hidden.insert((team.folder.clone(), key.clone()), months);
                }
            }
        }
        Self {
            suppression,
            reliability,
            hidden,
        }
    }

    /// The suppression applied.
    pub fn suppression(&self) -> Suppression {
        self.suppression
    }

    /// The months of a team's measure whose counts are hidden, in order.
    pub fn hidden_months(&self, team: &TeamFolder, measure: &Key) -> Vec<YearMonth> {
        self.hidden
            .get(&(team.folder.clone(), measure.clone()))
            .map(|m| m.iter().copied().collect())
            .unwrap_or_default()
    }

    /// Whether a team's month of a measure is hidden.
    pub fn is_hidden(&self, team: &TeamFolder, measure: &Key, month: YearMonth) -> bool {
        self.hidden
            .get(&(team.folder.clone(), measure.clone()))
            .is_some_and(|m| m.contains(&month))
    }

    /// Team-months hidden across the collaborative.
    pub fn hidden_count(&self) -> usize {
        self.hidden.values().map(BTreeSet::len).sum()
    }

    /// The collaborative as the report may use it: each team's series holds only its published
    /// months. Stratified counts stay whole: they leave only through [`Self::table`].
    pub fn published(&self, collaborative: &Collaborative) -> Collaborative {
        let mut out = collaborative.clone();
        for team in &mut out.teams {
            let folder = team.folder.clone();
            let measures = team.measures.clone();
            for (key, series) in &mut team.series {
                let Some(hidden) = self.hidden.get(&(folder.clone(), key.clone())) else {
                    continue;
                };
                let Some(measure) = measures.iter().find(|m| &m.key == key) else {
                    continue;
                };
                let shown: Vec<DataPoint> = series
                    .points()
                    .iter()
                    .filter(|p| !hidden.contains(&p.month))
                    .copied()
                    .collect();
                // A subset of a checked series is a checked series.
                if let Ok(published) = Series::new(measure, shown) {
                    *series = published;
                }
            }
        }
        out
    }

    /// A team's stratified counts as a table that may be published: qic-equity's primary and
    /// complementary suppression under the report's threshold.
    pub fn table(&self, counts: &StratifiedCounts) -> StratifiedTable {
        counts.table(&self.suppression, &self.reliability)
    }
}

/// Whether a team-month's own counts are small: the numerator, the denominator or, for a
/// proportion, those who did not meet it. Means and times between events carry no count.
fn hides_point(suppression: &Suppression, unit: Unit, point: &DataPoint) -> bool {
    let count = |v: f64| {
        // Checked series hold whole, non-negative counts for these units; a fraction is
        // rounded up so that 0.5 is treated as the small count it stands for.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let whole = v.max(0.0).ceil() as u64;
        suppression.hides(whole)
    };
    match unit {
        Unit::Proportion => {
            let d = point.denominator.unwrap_or(0.0);
            count(point.numerator) || count(d) || count(d - point.numerator)
        }
        Unit::Rate => count(point.numerator) || point.denominator.is_some_and(count),
        Unit::Count => count(point.numerator),
        Unit::Mean | Unit::TimeBetweenEvents | Unit::CasesBetweenEvents => false,
    }
}

/// Whether a stratified table hides a month's total over all groups.
fn hides_period_total(table: &StratifiedTable, month: YearMonth) -> bool {
    let Some(period) = month::period(month) else {
        return false;
    };
    table
        .period_totals
        .iter()
        .any(|p| p.period == period && p.estimate.suppressed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(n: f64, d: Option<f64>) -> DataPoint {
        DataPoint {
            month: "2024-01".parse().unwrap(),
            numerator: n,
            denominator: d,
        }
    }

    #[test]
    fn small_counts_of_a_team_month_are_hidden_and_others_shown() {
        let cms = Suppression::default();
        // 4 of 5: every count small.
        assert!(hides_point(&cms, Unit::Proportion, &point(4.0, Some(5.0))));
        // 195 of 200: 5 did not meet it, which a reader could compute.
        assert!(hides_point(
            &cms,
            Unit::Proportion,
            &point(195.0, Some(200.0))
        ));
        assert!(!hides_point(
            &cms,
            Unit::Proportion,
            &point(0.0, Some(200.0))
        ));
        assert!(!hides_point(
            &cms,
            Unit::Proportion,
            &point(120.0, Some(200.0))
        ));
        assert!(hides_point(&cms, Unit::Count, &point(3.0, None)));
        assert!(!hides_point(&cms, Unit::Count, &point(0.0, None)));
        assert!(hides_point(&cms, Unit::Rate, &point(2.0, Some(5000.0))));
        // A mean is not a count.
        assert!(!hides_point(&cms, Unit::Mean, &point(3.0, None)));
        let off = Suppression::off_for_internal_use_only();
        assert!(!hides_point(&off, Unit::Proportion, &point(4.0, Some(5.0))));
    }
}

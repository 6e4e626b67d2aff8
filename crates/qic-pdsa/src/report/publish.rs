//! The one publication step: which counts may leave the report.
//!
//! Every count the report could show passes through [`Publication`] before anything is computed
//! from it:
//!
//! - **team-month measure counts** (numerator and denominator of a proportion or a rate, the
//!   count of a count measure), behind each team's charts, its latest values and its aims'
//!   progress;
//! - **pooled monthly totals**, behind the pooled charts: the total over every team, published
//!   only where qic-equity's disclosure audit ([`qic_equity::disclosure`]) proves that, beside
//!   the team-months shown, it narrows no hidden team-month below the protection width and
//!   determines no hidden denominator; a month whose total would is left out of the pooled
//!   chart (a pooled point is the audited total or nothing);
//! - **team stratified tables**, through qic-equity's suppressed table (primary and
//!   complementary suppression).
//!
//! A team-month is hidden when any count it carries (the numerator, the denominator, or for a
//! proportion the denominator minus the numerator) is from 1 to the folder's threshold, or when
//! the team's stratified table of the same measure hides that month's total over all groups
//! (the same quantity, published twice, must be hidden in both places). Hidden months reach
//! the charts as gaps labelled "suppressed: small numbers", never as values.
//!
//! Each stratified table passes its own audit inside qic-equity; the team-months and pooled
//! totals pass one audit per measure here. Together they prove the whole report, because the
//! two systems of facts share no hidden count: a pooled month is left out whenever one of its
//! hidden team-months belongs to a team whose stratified table of the measure is published.
//! Without that rule a reader could join the two, e.g. a team's total over all months from its
//! table (a row sum) with the pooled totals of the months (column sums), and solve a
//! team-month that each audit alone leaves wide. With it, every hidden count of a table is
//! linked only to the table's own facts (its hidden team-months reach no published total
//! here), and every hidden team-month in a published pooled total is of a team without a
//! table, linked only to the facts audited here; each system passing its audit is then the
//! whole report passing. Nothing else in the report reads a count that did not come through
//! here.

use std::collections::{BTreeMap, BTreeSet};

use qic_equity::disclosure::{Audit, AuditStamp, Entry, LinkedCounts};
use qic_equity::stratify::{Counts, StratifiedTable};
use qic_equity::suppression::{Reliability, Suppression};
use qic_program::YearMonth;

use crate::charts::PooledSeries;
use crate::collaborative::{Collaborative, TeamFolder};
use crate::key::Key;
use crate::measure::{Measure, Unit};
use crate::month;
use crate::series::{DataPoint, Series};

/// Which team-month counts may be published, decided once for the whole report.
#[derive(Clone, Debug)]
pub struct Publication {
    suppression: Suppression,
    /// Hidden months by team folder and measure.
    hidden: BTreeMap<(String, Key), BTreeSet<YearMonth>>,
    /// Each team's stratified tables, suppressed and audited, by team folder and measure.
    tables: BTreeMap<(String, Key), StratifiedTable>,
    /// The audited pooled series of the program's measures that pool by summing.
    pooled: BTreeMap<Key, PooledSeries>,
    /// The pooled audits all passed (`None` with suppression off or nothing audited).
    stamp: Option<AuditStamp>,
}

impl Publication {
    /// Decides what a collaborative's report may publish, under its folder's suppression.
    pub fn decide(collaborative: &Collaborative) -> Self {
        let suppression = collaborative.suppression();
        let reliability = Reliability::default();
        let mut tables = BTreeMap::new();
        let mut hidden = BTreeMap::new();
        for team in &collaborative.teams {
            for (key, counts) in &team.strata {
                tables.insert(
                    (team.folder.clone(), key.clone()),
                    counts.table(&suppression, &reliability),
                );
            }
            for (key, series) in &team.series {
                let Some(measure) = team.measure(key) else {
                    continue;
                };
                let table = tables.get(&(team.folder.clone(), key.clone()));
                let months: BTreeSet<YearMonth> = series
                    .points()
                    .iter()
                    .filter(|p| {
                        hides_point(&suppression, measure.unit, p)
                            || table.is_some_and(|t| hides_period_total(t, p.month))
                    })
                    .map(|p| p.month)
                    .collect();
                if !months.is_empty() {
                    hidden.insert((team.folder.clone(), key.clone()), months);
                }
            }
        }
        let mut publication = Self {
            suppression,
            hidden,
            tables,
            pooled: BTreeMap::new(),
            stamp: None,
        };
        let mut stamps = Vec::new();
        for measure in &collaborative.settings.measures {
            if let Some((pooled, stamp)) = publication.pool(collaborative, measure) {
                publication.pooled.insert(measure.key.clone(), pooled);
                stamps.push(stamp);
            }
        }
        publication.stamp = if stamps.is_empty() {
            None
        } else {
            stamps.into_iter().reduce(Option::and).flatten()
        };
        publication
    }

    /// The measure pooled over every team, month by month, each month's total published only
    /// where the audit passes with it; and the audit's stamp (`None` if it did not pass or
    /// suppression is off). `None` for measures that do not pool by summing, or no data.
    fn pool(
        &self,
        collaborative: &Collaborative,
        measure: &Measure,
    ) -> Option<(PooledSeries, Option<AuditStamp>)> {
        if !matches!(measure.unit, Unit::Proportion | Unit::Rate | Unit::Count) {
            return None;
        }
        let reporting: Vec<(&TeamFolder, &Series)> = collaborative
            .teams
            .iter()
            .filter_map(|t| t.series.get(&measure.key).map(|s| (t, s)))
            .collect();
        if reporting.is_empty() {
            return None;
        }
        // Every team-month as an entry, hidden or shown; each month's total as the sum.
        let mut linked = LinkedCounts::new();
        let mut flags: Vec<bool> = Vec::new();
        let mut months: BTreeMap<YearMonth, (Vec<Entry>, DataPoint)> = BTreeMap::new();
        for (team, series) in &reporting {
            for p in series.points() {
                let entry = entry_of(&mut linked, measure.unit, p)?;
                flags.push(self.is_hidden(team, &measure.key, p.month));
                let (members, sum) = months.entry(p.month).or_insert_with(|| {
                    (
                        Vec::new(),
                        DataPoint {
                            month: p.month,
                            numerator: 0.0,
                            denominator: measure.unit.has_denominator().then_some(0.0),
                        },
                    )
                });
                members.push(entry);
                sum.numerator += p.numerator;
                sum.denominator = sum.denominator.map(|d| d + p.denominator.unwrap_or(0.0));
            }
        }
        // The months where a team with a published table of the measure has a hidden month: a
        // pooled total there would link the table's facts to these (see the module's docs).
        let linked_to_a_table: BTreeSet<YearMonth> = reporting
            .iter()
            .filter(|(team, _)| self.table(team, &measure.key).is_some())
            .flat_map(|(team, _)| self.hidden_months(team, &measure.key))
            .collect();
        let mut left_out = Vec::new();
        let mut totals: Vec<(YearMonth, Entry, DataPoint, Vec<Entry>)> = Vec::new();
        for (month, (members, sum)) in &months {
            // A count summed over fewer teams than report it is not comparable with the others.
            if measure.unit == Unit::Count && members.len() < reporting.len() {
                left_out.push(*month);
                continue;
            }
            if self.suppression.is_on() && linked_to_a_table.contains(month) {
                left_out.push(*month);
                continue;
            }
            let total = entry_of(&mut linked, measure.unit, sum)?;
            linked.sum(total, members);
            flags.push(false);
            totals.push((*month, total, *sum, members.clone()));
        }
        let audit = leave_out_until_audited(&linked, &mut flags, &totals, &self.suppression);
        let mut points = Vec::new();
        let mut teams = Vec::new();
        for (month, total, sum, members) in &totals {
            if flags.get(total.index()).copied().unwrap_or(true) {
                left_out.push(*month);
            } else {
                points.push(*sum);
                teams.push(members.len());
            }
        }
        left_out.sort_unstable();
        let series = Series::new(measure, points).ok()?;
        let stamp = if self.suppression.is_on() {
            AuditStamp::of(&audit, &self.suppression)
        } else {
            None
        };
        Some((
            PooledSeries {
                series,
                teams,
                left_out,
            },
            stamp,
        ))
    }

    /// The audited pooled series of a program measure (`None` when it does not pool).
    pub fn pooled(&self, measure: &Key) -> Option<&PooledSeries> {
        self.pooled.get(measure)
    }

    /// The stamp of the audits the pooled totals passed.
    pub fn stamp(&self) -> Option<AuditStamp> {
        self.stamp
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

    /// A team's stratified table of a measure, as it may be published: qic-equity's
    /// suppression and audit under the report's threshold.
    pub fn table(&self, team: &TeamFolder, measure: &Key) -> Option<&StratifiedTable> {
        self.tables.get(&(team.folder.clone(), measure.clone()))
    }
}

/// Leaves out (flags as hidden) the pooled totals the audit finds give a hidden team-month
/// away, until it passes or no total is left to leave out; the last audit.
fn leave_out_until_audited(
    linked: &LinkedCounts,
    flags: &mut [bool],
    totals: &[(YearMonth, Entry, DataPoint, Vec<Entry>)],
    suppression: &Suppression,
) -> Audit {
    let mut audit = linked.audit(flags, suppression);
    while !audit.passed() {
        let failing: BTreeSet<Entry> = audit
            .checks
            .iter()
            .filter(|c| !c.protected)
            .map(|c| c.entry)
            .collect();
        let mut changed = false;
        for (_, total, _, members) in totals {
            let Some(flag) = flags.get_mut(total.index()) else {
                continue;
            };
            if !*flag && members.iter().any(|m| failing.contains(m)) {
                *flag = true;
                changed = true;
            }
        }
        if !changed {
            // Nothing left to hide: publish no pooled month at all.
            for (_, total, _, _) in totals {
                if let Some(flag) = flags.get_mut(total.index()) {
                    *flag = true;
                }
            }
            audit = linked.audit(flags, suppression);
            break;
        }
        audit = linked.audit(flags, suppression);
    }
    audit
}

/// The entry of a month's counts: a rate for proportions and rates of whole counts, a plain
/// count for counts. `None` for counts that are not whole (the audit is over whole numbers).
fn entry_of(linked: &mut LinkedCounts, unit: Unit, point: &DataPoint) -> Option<Entry> {
    let whole = |v: f64| {
        // Whole, non-negative counts below 2^53 convert exactly.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let n = v as u64;
        (v >= 0.0 && v.fract() == 0.0 && v < 9.0e15).then_some(n)
    };
    if unit == Unit::Count {
        return Some(linked.add_count(whole(point.numerator)?));
    }
    let counts = Counts::new(whole(point.numerator)?, whole(point.denominator?)?).ok()?;
    Some(linked.add_rate(counts))
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

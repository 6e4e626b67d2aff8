//! Disclosure control: which counts of a publication to hide so that no hidden small count can
//! be worked out from what is shown, and the audit that proves it.
//!
//! A publication is a set of **entries** (a rate's numerator and denominator, or a plain count)
//! and the **linear facts** that tie them and that a reader knows: a total is the sum of its
//! members, one stratum's records are a subset of a period's, the same number is published in
//! two tables, a verdict says a share is at least 80%. [`LinkedCounts`] holds them;
//! [`LinkedCounts::protect`] decides what to hide; [`LinkedCounts::audit`] checks a choice.
//!
//! # What is hidden
//!
//! 1. **Primary suppression.** An entry is hidden when any count it carries is from 1 to the
//!    threshold (10 by default, the CMS cell size policy). For a rate those are the numerator,
//!    the denominator and the non-events (denominator minus numerator), which a reader could
//!    compute from the two.
//! 2. **Complementary suppression.** A line (a total and its members) with exactly one hidden
//!    entry would give it away by subtraction, so the smallest non-zero other entry of the line
//!    is hidden too. This quick pass is only a start.
//! 3. **The audit.** For every hidden count from 1 to the threshold, the audit finds the
//!    narrowest range a reader can prove for it from everything shown: the minimum and the
//!    maximum of the count over all non-negative values of the hidden entries that satisfy
//!    every published fact, by linear programming (the attacker's problem that tau-ARGUS and
//!    sdcTable solve). The count is protected when that range is at least the **protection
//!    width** wide: by default the threshold, so a reader learns no more than "somewhere in a
//!    span of 10 or more", which primary suppression already says
//!    ([`Suppression::with_protection_width`] sets a narrower one). The denominator of every
//!    hidden entry, small or not, must not be determined. A reader is assumed to know that
//!    every hidden entry has at least one record (zero is shown) and that counts are whole
//!    numbers, so the bounds are rounded inwards.
//! 4. **More entries until the audit passes.** While a count is not protected, one more entry
//!    is hidden: the shown entry with the smallest denominator, among those in the facts about
//!    the count's group of hidden entries, that protects it on its own; when none does, the one
//!    that widened its range most; then the count is checked again. This greedy choice favours
//!    hiding small counts (the least information lost), not the fewest entries; it is not the
//!    optimum an integer program would find. What guarantees protection is the audit, which
//!    every published table has passed.
//!
//! Hiding more entries only widens ranges (every earlier solution stays feasible), and hiding
//! everything leaves nothing that bounds a hidden count from above, so the loop always ends.
//!
//! # How exact the audit is
//!
//! The bounds are those of the linear relaxation, rounded inwards to whole numbers. For a table
//! whose strata split the records (each record in one stratum), the numerators and the
//! non-events each form a transportation polytope, whose vertices are whole numbers: the bounds
//! are then the exact bounds over whole numbers. Where strata overlap (a record in several race
//! strata) or a fact has fractional coefficients (a readiness verdict), the relaxed bounds are
//! outer bounds: a reader restricted to whole numbers may narrow a range a little further. A
//! strict inequality (a share *below* a minimum) is audited as non-strict.
//!
//! ```
//! use qic_equity::disclosure::LinkedCounts;
//! use qic_equity::stratify::Counts;
//! use qic_equity::suppression::Suppression;
//!
//! // One month, three groups and their total: 6/9 is small.
//! let mut published = LinkedCounts::new();
//! let groups = [
//!     published.add_rate(Counts::new(300, 400)?),
//!     published.add_rate(Counts::new(110, 200)?),
//!     published.add_rate(Counts::new(6, 9)?),
//! ];
//! let total = published.add_rate(Counts::new(416, 609)?);
//! published.sum(total, &groups);
//! let protection = published.protect(&Suppression::default());
//! assert!(protection.is_hidden(groups[2]));
//! assert!(protection.is_hidden(groups[1])); // its complement: the smallest other group
//! assert!(protection.audit().passed());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;

use microlp::{ComparisonOp, OptimizationDirection, Problem};
use serde::{Deserialize, Serialize};

use crate::stratify::Counts;
use crate::suppression::Suppression;

/// Bounds closer than this to a whole number count as that number (the solver's tolerance is
/// 1e-7).
const TOLERANCE: f64 = 1e-6;

/// An entry of a [`LinkedCounts`]: a rate or a plain count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Entry(usize);

impl Entry {
    /// The entry's position, in the order entries were added.
    pub fn index(self) -> usize {
        self.0
    }
}

/// One count of an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// A rate's numerator (0 for a plain count).
    Numerator,
    /// A rate's denominator, or a plain count.
    Denominator,
    /// A rate's denominator minus its numerator (a plain count's value).
    NonEvents,
}

impl Part {
    /// Every part, in reporting order.
    pub const ALL: [Self; 3] = [Self::Numerator, Self::Denominator, Self::NonEvents];

    /// A word for people.
    pub const fn describe(self) -> &'static str {
        match self {
            Self::Numerator => "numerator",
            Self::Denominator => "denominator",
            Self::NonEvents => "non-events",
        }
    }
}

/// How a fact's left side compares with its right side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    /// Equal.
    Equal,
    /// At most.
    AtMost,
    /// At least.
    AtLeast,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A numerator and a denominator.
    Rate,
    /// One number (held as non-events; the numerator is 0).
    Count,
}

#[derive(Clone, Copy, Debug)]
struct Value {
    numerator: u64,
    non_events: u64,
    kind: Kind,
}

impl Value {
    fn part(self, part: Part) -> u64 {
        match part {
            Part::Numerator => self.numerator,
            Part::NonEvents => self.non_events,
            Part::Denominator => self.numerator.saturating_add(self.non_events),
        }
    }

    /// The parts a reader must not learn when small.
    fn checked_parts(self) -> &'static [Part] {
        match self.kind {
            Kind::Rate => &Part::ALL,
            Kind::Count => &[Part::Denominator],
        }
    }

    /// The size used to choose complements: the denominator.
    fn size(self) -> u64 {
        self.part(Part::Denominator)
    }
}

/// A linear fact a reader knows: `Σ coefficient × part(entry) relation rhs`.
#[derive(Clone, Debug)]
struct Fact {
    terms: Vec<(Entry, Part, f64)>,
    relation: Relation,
    rhs: f64,
}

/// A total and its members, for the quick first pass of complementary suppression.
#[derive(Clone, Debug)]
struct Line {
    total: Entry,
    members: Vec<Entry>,
}

/// The counts of a publication and the linear facts that tie them. See the [module
/// docs](self).
#[derive(Clone, Debug, Default)]
pub struct LinkedCounts {
    values: Vec<Value>,
    facts: Vec<Fact>,
    lines: Vec<Line>,
}

impl LinkedCounts {
    /// No entries, no facts.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a rate's counts (a numerator of a denominator).
    pub fn add_rate(&mut self, counts: Counts) -> Entry {
        self.push(Value {
            numerator: counts.numerator,
            non_events: counts.denominator.saturating_sub(counts.numerator),
            kind: Kind::Rate,
        })
    }

    /// Adds a plain count (rows read, records in a category).
    pub fn add_count(&mut self, count: u64) -> Entry {
        self.push(Value {
            numerator: 0,
            non_events: count,
            kind: Kind::Count,
        })
    }

    fn push(&mut self, value: Value) -> Entry {
        self.values.push(value);
        Entry(self.values.len() - 1)
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// A count of an entry.
    pub fn value(&self, entry: Entry, part: Part) -> Option<u64> {
        self.values.get(entry.0).map(|v| v.part(part))
    }

    /// `total` is the sum of `members`, numerators and denominators alike (members that split
    /// the total's records).
    pub fn sum(&mut self, total: Entry, members: &[Entry]) {
        for part in [Part::Numerator, Part::NonEvents] {
            let mut terms: Vec<(Entry, Part, f64)> =
                members.iter().map(|&m| (m, part, 1.0)).collect();
            terms.push((total, part, -1.0));
            self.fact(terms, Relation::Equal, 0.0);
        }
        self.lines.push(Line {
            total,
            members: members.to_vec(),
        });
    }

    /// `members` overlap and together cover `total` (a record may count in several members,
    /// once in the total): each member is at most the total, and the members add up to at
    /// least the total, numerators and non-events alike.
    pub fn cover(&mut self, total: Entry, members: &[Entry]) {
        for part in [Part::Numerator, Part::NonEvents] {
            let mut terms: Vec<(Entry, Part, f64)> =
                members.iter().map(|&m| (m, part, 1.0)).collect();
            terms.push((total, part, -1.0));
            self.fact(terms, Relation::AtLeast, 0.0);
            for &member in members {
                self.fact(
                    vec![(member, part, 1.0), (total, part, -1.0)],
                    Relation::AtMost,
                    0.0,
                );
            }
        }
    }

    /// The same counts are published as two entries (e.g. a team's monthly total in its chart
    /// and in its stratified table).
    pub fn same(&mut self, a: Entry, b: Entry) {
        for part in [Part::Numerator, Part::NonEvents] {
            self.fact(vec![(a, part, 1.0), (b, part, -1.0)], Relation::Equal, 0.0);
        }
        self.lines.push(Line {
            total: a,
            members: vec![b],
        });
    }

    /// Any other linear fact a reader knows: `Σ coefficient × part(entry) relation rhs` (e.g. a
    /// verdict that a share is at least 80%: `usable − 0.8 × records ≥ 0`).
    pub fn fact(&mut self, terms: Vec<(Entry, Part, f64)>, relation: Relation, rhs: f64) {
        self.facts.push(Fact {
            terms,
            relation,
            rhs,
        });
    }

    /// Decides which entries to hide under `suppression` (see the [module docs](self)) and
    /// audits the choice. With suppression off nothing is hidden.
    pub fn protect(&self, suppression: &Suppression) -> Protection {
        let (Some(threshold), Some(width)) =
            (suppression.threshold(), suppression.protection_width())
        else {
            return Protection {
                hidden: vec![false; self.values.len()],
                audit: Audit::empty(None),
            };
        };
        let mut hidden: Vec<bool> = self
            .values
            .iter()
            .map(|v| {
                v.checked_parts()
                    .iter()
                    .any(|&p| suppression.hides(v.part(p)))
            })
            .collect();
        self.complete_lines(&mut hidden);
        let solver = Solver::new(self, threshold, width);
        // Hiding one more entry only widens every proven range (the old values still satisfy
        // every fact), so a count once protected stays protected: each count is checked until
        // it passes, hiding one entry at a time, and never again after.
        let mut pending: Vec<(Entry, Part, u64)> = solver.required(&hidden, None);
        pending.reverse();
        let mut witnesses = Witnesses::of_truth(self, &hidden);
        let mut checks = Vec::new();
        while let Some((entry, part, required)) = pending.pop() {
            let result = solver.check_one(&hidden, &mut witnesses, (entry, part, required));
            if result.protected {
                checks.push(result);
                continue;
            }
            let Some((added, trial_witnesses)) =
                solver.complement_for(&hidden, &witnesses, entry, part, required)
            else {
                // Nothing left to hide that bears on it (cannot happen: an unprotected count is
                // bounded by a shown entry). Publish nothing rather than a leak.
                let hidden = vec![true; self.values.len()];
                let audit = solver.audit(&hidden);
                return Protection { hidden, audit };
            };
            if let Some(flag) = hidden.get_mut(added.0) {
                *flag = true;
            }
            witnesses = trial_witnesses;
            witnesses.see_truth(self, &hidden);
            pending.push((entry, part, required));
            pending.extend(solver.required(&hidden, Some(added)));
        }
        checks.sort_by_key(|c| (c.entry, c.part));
        Protection {
            hidden,
            audit: Audit {
                protection_width: Some(width),
                checks,
                linear_programs: solver.solved.get(),
            },
        }
    }

    /// Audits a choice of hidden entries under `suppression`: the proven range of every hidden
    /// count from 1 to the threshold.
    pub fn audit(&self, hidden: &[bool], suppression: &Suppression) -> Audit {
        match (suppression.threshold(), suppression.protection_width()) {
            (Some(threshold), Some(width)) => Solver::new(self, threshold, width).audit(hidden),
            _ => Audit::empty(None),
        }
    }

    /// What a reader can prove about every count of every hidden entry, from the shown entries
    /// and the facts alone: the values of hidden entries are not read (so a reader's model of a
    /// published table, with any placeholder for what is hidden, gives the reader's bounds).
    /// `None` where the solver could not answer.
    pub fn bounds_of_hidden(&self, hidden: &[bool]) -> Vec<(Entry, Part, Option<Bounds>)> {
        // The threshold and width play no part in bounds.
        let solver = Solver::new(self, 0, 0);
        let mut out = Vec::new();
        for (e, value) in self.values.iter().enumerate() {
            let entry = Entry(e);
            if !Solver::is_hidden(hidden, entry) {
                continue;
            }
            let group = solver.group_of(hidden, entry);
            for &part in value.checked_parts() {
                out.push((entry, part, solver.bounds(&group, entry, part)));
            }
        }
        out
    }

    /// The quick first pass: no line keeps exactly one hidden entry.
    fn complete_lines(&self, hidden: &mut [bool]) {
        loop {
            let mut changed = false;
            for line in &self.lines {
                let is_hidden = |e: Entry| hidden.get(e.0).copied().unwrap_or(false);
                let count = line.members.iter().filter(|&&m| is_hidden(m)).count()
                    + usize::from(is_hidden(line.total));
                if count != 1 {
                    continue;
                }
                let candidate = line
                    .members
                    .iter()
                    .copied()
                    .filter(|&m| !is_hidden(m) && self.size(m) > 0)
                    .min_by_key(|&m| (self.size(m), m))
                    .or_else(|| {
                        (!is_hidden(line.total) && self.size(line.total) > 0).then_some(line.total)
                    });
                if let Some(flag) = candidate.and_then(|e| hidden.get_mut(e.0)) {
                    *flag = true;
                    changed = true;
                }
            }
            if !changed {
                return;
            }
        }
    }

    fn size(&self, entry: Entry) -> u64 {
        self.values.get(entry.0).map_or(0, |v| v.size())
    }
}

/// Which entries to hide, and the audit that proves the choice.
#[derive(Clone, Debug, PartialEq)]
pub struct Protection {
    hidden: Vec<bool>,
    audit: Audit,
}

impl Protection {
    /// Whether an entry is hidden.
    pub fn is_hidden(&self, entry: Entry) -> bool {
        self.hidden.get(entry.0).copied().unwrap_or(true)
    }

    /// One flag per entry, in the order entries were added.
    pub fn hidden(&self) -> &[bool] {
        &self.hidden
    }

    /// The audit of the choice.
    pub fn audit(&self) -> &Audit {
        &self.audit
    }
}

/// How a published table's hidden counts were proven protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditMethod {
    /// Minimum and maximum of each hidden count over the published linear facts (the
    /// attacker's linear programs of tau-ARGUS and sdcTable), rounded to whole numbers.
    LinearProgrammingBounds,
}

/// The note a published table carries of the audit it passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AuditStamp {
    /// How the ranges were proven.
    pub method: AuditMethod,
    /// No hidden small count can be narrowed to a range narrower than this.
    pub protection_width: u64,
    /// Counts from 1 to this are small.
    pub threshold: u64,
}

impl AuditStamp {
    /// The stamp of an audit that passed; `None` when suppression was off (nothing audited) or
    /// the audit did not pass.
    pub fn of(audit: &Audit, suppression: &Suppression) -> Option<Self> {
        let width = audit.protection_width?;
        let threshold = suppression.threshold()?;
        audit.passed().then_some(Self {
            method: AuditMethod::LinearProgrammingBounds,
            protection_width: width,
            threshold,
        })
    }

    /// A sentence for people.
    pub fn describe(&self) -> String {
        format!(
            "Audited: no hidden count from 1 to {} can be narrowed to a range narrower than {}, and no hidden denominator can be worked out (linear programming bounds)",
            self.threshold, self.protection_width
        )
    }
}

/// What a reader can prove about each hidden small count.
#[derive(Clone, Debug, PartialEq)]
pub struct Audit {
    /// The width a proven range must reach (`None` with suppression off).
    pub protection_width: Option<u64>,
    /// One check per hidden count from 1 to the threshold and per hidden denominator.
    pub checks: Vec<Check>,
    /// How many linear programs were solved to choose and prove the hidden entries (a measure
    /// of the work, for benchmarks).
    pub linear_programs: usize,
}

impl Audit {
    fn empty(protection_width: Option<u64>) -> Self {
        Self {
            protection_width,
            checks: Vec::new(),
            linear_programs: 0,
        }
    }

    /// Whether every hidden small count is protected.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.protected)
    }
}

/// The range a reader can prove for one hidden count. It holds no hidden value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Check {
    /// The entry.
    pub entry: Entry,
    /// Which of its counts.
    pub part: Part,
    /// The smallest value the published facts allow.
    pub lower: u64,
    /// The largest value they allow; `None` when nothing bounds it.
    pub upper: Option<u64>,
    /// How wide the range must be: the protection width for a count from 1 to the threshold,
    /// 1 for the denominator of any other hidden entry (it must not be determined).
    pub required_width: u64,
    /// Whether the range is at least that wide.
    pub protected: bool,
}

fn check(entry: Entry, part: Part, required_width: u64, bounds: Option<Bounds>) -> Check {
    match bounds {
        Some(b) => Check {
            entry,
            part,
            lower: b.lower,
            upper: b.upper,
            required_width,
            protected: b.width().is_none_or(|w| w >= required_width),
        },
        // The solver could not answer: not proven, so not protected.
        None => Check {
            entry,
            part,
            lower: 0,
            upper: Some(0),
            required_width,
            protected: false,
        },
    }
}

/// The whole numbers a reader can prove a hidden count lies between.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bounds {
    /// The smallest value the published facts allow.
    pub lower: u64,
    /// The largest; `None` when nothing bounds it from above.
    pub upper: Option<u64>,
}

impl Bounds {
    /// `upper - lower`; `None` when unbounded.
    pub fn width(self) -> Option<u64> {
        self.upper.map(|u| u.saturating_sub(self.lower))
    }

    /// Whether the value is pinned to one number.
    pub fn is_determined(self) -> bool {
        self.width() == Some(0)
    }
}

/// The optimum of one linear program and the point that reaches it.
struct Optimum {
    /// `None` when unbounded.
    value: Option<f64>,
    /// The value of every hidden entry's numerator and non-events at the optimum.
    point: Vec<(Entry, f64, f64)>,
}

/// The smallest and largest value of each hidden count seen in feasible points so far: the
/// true values, then every optimum the solver found. Hiding more entries keeps every such point
/// feasible (each newly hidden entry at its true value), so what is seen stays valid while the
/// set of hidden entries only grows.
#[derive(Clone)]
struct Witnesses {
    /// Per entry: the (smallest, largest) numerator, denominator and non-events seen.
    seen: Vec<Option<[(f64, f64); 3]>>,
}

impl Witnesses {
    fn new(len: usize) -> Self {
        Self {
            seen: vec![None; len],
        }
    }

    /// Starts from the true values of the hidden entries (a feasible point).
    fn of_truth(counts: &LinkedCounts, hidden: &[bool]) -> Self {
        let mut w = Self::new(counts.values.len());
        w.see_truth(counts, hidden);
        w
    }

    /// Adds the true values of hidden entries not seen yet.
    fn see_truth(&mut self, counts: &LinkedCounts, hidden: &[bool]) {
        let point: Vec<(Entry, f64, f64)> = counts
            .values
            .iter()
            .enumerate()
            .filter(|(e, _)| hidden.get(*e).copied().unwrap_or(false))
            .filter(|(e, _)| self.seen.get(*e).is_some_and(Option::is_none))
            .map(|(e, v)| (Entry(e), v.numerator as f64, v.non_events as f64))
            .collect();
        self.see(&point);
    }

    /// Records a feasible point.
    fn see(&mut self, point: &[(Entry, f64, f64)]) {
        for &(entry, n, s) in point {
            if let Some(slot) = self.seen.get_mut(entry.0) {
                let values = [n, n + s, s];
                let ranges = slot.get_or_insert(values.map(|v| (v, v)));
                for (range, v) in ranges.iter_mut().zip(values) {
                    range.0 = range.0.min(v);
                    range.1 = range.1.max(v);
                }
            }
        }
    }

    /// The whole numbers between the smallest and largest value seen.
    fn range(&self, entry: Entry, part: Part) -> Option<Bounds> {
        let ranges = self.seen.get(entry.0).copied().flatten()?;
        let (lo, hi) = match part {
            Part::Numerator => ranges[0],
            Part::Denominator => ranges[1],
            Part::NonEvents => ranges[2],
        };
        let lower = round_up(lo);
        let upper = round_down(hi);
        (upper >= lower).then_some(Bounds {
            lower,
            upper: Some(upper),
        })
    }
}

/// The attacker's problem for one publication.
struct Solver<'a> {
    counts: &'a LinkedCounts,
    /// Counts from 1 to this are small.
    threshold: u64,
    /// The range a small hidden count must keep.
    width: u64,
    /// Linear programs solved so far.
    solved: std::cell::Cell<usize>,
    /// The facts that mention each entry.
    facts_of: Vec<Vec<usize>>,
}

impl<'a> Solver<'a> {
    fn new(counts: &'a LinkedCounts, threshold: u64, width: u64) -> Self {
        let mut facts_of = vec![Vec::new(); counts.values.len()];
        for (f, fact) in counts.facts.iter().enumerate() {
            for (entry, _, _) in &fact.terms {
                if let Some(list) = facts_of.get_mut(entry.0)
                    && list.last() != Some(&f)
                {
                    list.push(f);
                }
            }
        }
        Self {
            counts,
            threshold,
            width,
            solved: std::cell::Cell::new(0),
            facts_of,
        }
    }

    fn is_hidden(hidden: &[bool], entry: Entry) -> bool {
        hidden.get(entry.0).copied().unwrap_or(false)
    }

    /// Checks every hidden count from 1 to the threshold (a range at least the threshold wide)
    /// and every hidden entry's denominator (not determined).
    fn audit(&self, hidden: &[bool]) -> Audit {
        let mut witnesses = Witnesses::of_truth(self.counts, hidden);
        let checks = self
            .required(hidden, None)
            .into_iter()
            .map(|(entry, part, required)| {
                let result = self.check_one(hidden, &mut witnesses, (entry, part, required));
                if result.protected {
                    return result;
                }
                // A failure is reported with its exact bounds.
                let group = self.group_of(hidden, entry);
                check(entry, part, required, self.bounds(&group, entry, part))
            })
            .collect();
        Audit {
            protection_width: Some(self.width),
            checks,
            linear_programs: self.solved.get(),
        }
    }

    /// The counts to check, with their required widths: of every hidden entry, or of one.
    fn required(&self, hidden: &[bool], only: Option<Entry>) -> Vec<(Entry, Part, u64)> {
        let mut out = Vec::new();
        for (e, value) in self.counts.values.iter().enumerate() {
            let entry = Entry(e);
            if !Self::is_hidden(hidden, entry) || only.is_some_and(|o| o != entry) {
                continue;
            }
            for &part in value.checked_parts() {
                if let Some(required) = self.required_width(*value, part) {
                    out.push((entry, part, required));
                }
            }
        }
        out
    }

    /// Checks one hidden count. Two feasible points far enough apart prove it protected, so
    /// the points seen so far are tried first; then the maximum (unbounded, or below the
    /// required width, it decides alone: the minimum is at least 0); then the minimum. A count
    /// that fails has exact bounds; one that passes has a range at least the required width
    /// proven by two feasible points.
    fn check_one(
        &self,
        hidden: &[bool],
        witnesses: &mut Witnesses,
        (entry, part, required): (Entry, Part, u64),
    ) -> Check {
        if let Some(seen) = witnesses.range(entry, part)
            && seen.width().is_some_and(|w| w >= required)
        {
            return check(entry, part, required, Some(seen));
        }
        let group = self.group_of(hidden, entry);
        let Some(upper) = self.optimum(&group, entry, part, OptimizationDirection::Maximize) else {
            return check(entry, part, required, None);
        };
        witnesses.see(&upper.point);
        let Some(upper) = upper.value.map(round_down) else {
            let lower = witnesses.range(entry, part).map_or(0, |b| b.lower);
            return check(entry, part, required, Some(Bounds { lower, upper: None }));
        };
        if upper < required {
            return check(
                entry,
                part,
                required,
                Some(Bounds {
                    lower: 0,
                    upper: Some(upper),
                }),
            );
        }
        if let Some(seen) = witnesses.range(entry, part)
            && seen.width().is_some_and(|w| w >= required)
        {
            return check(entry, part, required, Some(seen));
        }
        let Some(lower) = self.optimum(&group, entry, part, OptimizationDirection::Minimize) else {
            return check(entry, part, required, None);
        };
        witnesses.see(&lower.point);
        let lower = round_up(lower.value.unwrap_or(0.0));
        check(
            entry,
            part,
            required,
            Some(Bounds {
                lower,
                upper: Some(upper.max(lower)),
            }),
        )
    }

    /// The hidden entries linked to `entry` through facts (each group is one independent
    /// problem: every hidden entry a fact mentions is in the same group).
    fn group_of(&self, hidden: &[bool], entry: Entry) -> Vec<Entry> {
        let mut seen = vec![false; self.counts.values.len()];
        let mut group = Vec::new();
        let mut stack = vec![entry];
        if let Some(flag) = seen.get_mut(entry.0) {
            *flag = true;
        }
        while let Some(e) = stack.pop() {
            group.push(e);
            for &f in self.facts_of.get(e.0).into_iter().flatten() {
                let Some(fact) = self.counts.facts.get(f) else {
                    continue;
                };
                for &(other, _, _) in &fact.terms {
                    if Self::is_hidden(hidden, other)
                        && let Some(flag) = seen.get_mut(other.0)
                        && !*flag
                    {
                        *flag = true;
                        stack.push(other);
                    }
                }
            }
        }
        group.sort_unstable();
        group
    }

    /// How wide the proven range of a hidden count must be: the threshold for a count from 1 to
    /// the threshold, 1 (not determined) for the denominator of any hidden entry, nothing for
    /// the other counts of a complementary entry (0 or above the threshold, publishable).
    fn required_width(&self, value: Value, part: Part) -> Option<u64> {
        let v = value.part(part);
        if (1..=self.threshold).contains(&v) {
            Some(self.width)
        } else if part == Part::Denominator {
            Some(1)
        } else {
            None
        }
    }

    /// The proven bounds of one part of a hidden entry, from the facts about its group (every
    /// hidden entry a fact mentions is in the group; the others are shown, and constants).
    /// `None` when the solver fails (numerically).
    fn bounds(&self, group: &[Entry], entry: Entry, part: Part) -> Option<Bounds> {
        let lower = self.optimum(group, entry, part, OptimizationDirection::Minimize)?;
        let upper = self.optimum(group, entry, part, OptimizationDirection::Maximize)?;
        let lower = round_up(lower.value.unwrap_or(0.0));
        let upper = upper.value.map(round_down);
        Some(Bounds {
            lower,
            upper: upper.map(|u| u.max(lower)),
        })
    }

    /// The minimum or maximum of one part (`None` when unbounded) and the point that reaches
    /// it; `None` when the solver fails.
    fn optimum(
        &self,
        group: &[Entry],
        entry: Entry,
        part: Part,
        direction: OptimizationDirection,
    ) -> Option<Optimum> {
        let weight = |e: Entry, p: Part| {
            if e != entry {
                return 0.0;
            }
            match (part, p) {
                (Part::Numerator, Part::Numerator)
                | (Part::NonEvents, Part::NonEvents)
                | (Part::Denominator, _) => 1.0,
                _ => 0.0,
            }
        };
        self.solve(group, weight, direction)
    }

    /// Solves one linear program over a group: `weight` gives the objective's coefficient of
    /// each hidden entry's numerator and non-events.
    fn solve(
        &self,
        group: &[Entry],
        weight: impl Fn(Entry, Part) -> f64,
        direction: OptimizationDirection,
    ) -> Option<Optimum> {
        self.solved.set(self.solved.get() + 1);
        let mut problem = Problem::new(direction);
        // Two variables per hidden entry: numerator and non-events.
        let mut vars = BTreeMap::new();
        for &e in group {
            let value = self.counts.values.get(e.0)?;
            let objective = |p: Part| weight(e, p);
            let numerator_max = match value.kind {
                Kind::Rate => f64::INFINITY,
                Kind::Count => 0.0,
            };
            let n = problem.add_var(objective(Part::Numerator), (0.0, numerator_max));
            let s = problem.add_var(objective(Part::NonEvents), (0.0, f64::INFINITY));
            // A hidden entry has at least one record: zero counts are shown.
            problem.add_constraint([(n, 1.0), (s, 1.0)], ComparisonOp::Ge, 1.0);
            vars.insert(e, (n, s));
        }
        let mut facts: Vec<usize> = group
            .iter()
            .flat_map(|e| self.facts_of.get(e.0).into_iter().flatten().copied())
            .collect();
        facts.sort_unstable();
        facts.dedup();
        for f in facts {
            let fact = self.counts.facts.get(f)?;
            let mut terms = Vec::new();
            let mut constant = 0.0;
            for &(e, p, coefficient) in &fact.terms {
                match vars.get(&e) {
                    Some(&(n, s)) => match p {
                        Part::Numerator => terms.push((n, coefficient)),
                        Part::NonEvents => terms.push((s, coefficient)),
                        Part::Denominator => {
                            terms.push((n, coefficient));
                            terms.push((s, coefficient));
                        }
                    },
                    None => {
                        constant += coefficient * self.counts.value(e, p)? as f64;
                    }
                }
            }
            if terms.is_empty() {
                continue;
            }
            let op = match fact.relation {
                Relation::Equal => ComparisonOp::Eq,
                Relation::AtMost => ComparisonOp::Le,
                Relation::AtLeast => ComparisonOp::Ge,
            };
            problem.add_constraint(terms.as_slice(), op, fact.rhs - constant);
        }
        match problem.solve() {
            Ok(outcome) => {
                let solution = outcome.into_solution().ok()?;
                let point = vars
                    .iter()
                    .map(|(&e, &(n, s))| (e, solution.var_value(n), solution.var_value(s)))
                    .collect();
                Some(Optimum {
                    value: Some(solution.objective()),
                    point,
                })
            }
            Err(microlp::Error::Unbounded) => Some(Optimum {
                value: None,
                point: Vec::new(),
            }),
            Err(_) => None,
        }
    }

    /// The entry to hide next so that `entry`'s `part` becomes protected, and the points seen
    /// with it hidden: the shown entry with the smallest denominator, among those in the facts
    /// about the entry's group, that protects it alone; else, of those tried, the one that
    /// widened its range most.
    fn complement_for(
        &self,
        hidden: &[bool],
        witnesses: &Witnesses,
        entry: Entry,
        part: Part,
        required: u64,
    ) -> Option<(Entry, Witnesses)> {
        let group = self.group_of(hidden, entry);
        let mut candidates: Vec<Entry> = group
            .iter()
            .flat_map(|e| self.facts_of.get(e.0).into_iter().flatten())
            .filter_map(|&f| self.counts.facts.get(f))
            .flat_map(|fact| fact.terms.iter().map(|(e, _, _)| *e))
            .filter(|&e| !Self::is_hidden(hidden, e) && self.counts.size(e) > 0)
            .collect();
        candidates.sort_unstable_by_key(|&e| (self.counts.size(e), e));
        candidates.dedup();
        let mut trial = hidden.to_vec();
        // The candidate that widened the range most, when none protects it alone.
        let mut best: Option<(u64, Entry, Witnesses)> = None;
        for &candidate in &candidates {
            if let Some(flag) = trial.get_mut(candidate.0) {
                *flag = true;
            }
            // Points seen with the candidate hidden are feasible only while it stays hidden.
            let mut seen = witnesses.clone();
            seen.see_truth(self.counts, &trial);
            let result = self.check_one(&trial, &mut seen, (entry, part, required));
            if result.protected {
                return Some((candidate, seen));
            }
            let width = result
                .upper
                .map_or(u64::MAX, |u| u.saturating_sub(result.lower));
            if best.as_ref().is_none_or(|(w, _, _)| width > *w) {
                best = Some((width, candidate, seen));
            }
            if let Some(flag) = trial.get_mut(candidate.0) {
                *flag = false;
            }
        }
        best.map(|(_, candidate, seen)| (candidate, seen))
    }
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // Clamped to u64's range.
fn round_up(x: f64) -> u64 {
    let r = if (x - x.round()).abs() < TOLERANCE {
        x.round()
    } else {
        x.ceil()
    };
    r.clamp(0.0, u64::MAX as f64) as u64
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // Clamped to u64's range.
fn round_down(x: f64) -> u64 {
    let r = if (x - x.round()).abs() < TOLERANCE {
        x.round()
    } else {
        x.floor()
    };
    r.clamp(0.0, u64::MAX as f64) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(c: &mut LinkedCounts, n: u64, d: u64) -> Entry {
        c.add_rate(Counts::new(n, d).unwrap())
    }

    #[test]
    fn a_lone_small_cell_takes_the_smallest_other_cell_with_it() {
        let mut c = LinkedCounts::new();
        let cells = [
            rate(&mut c, 2, 5),
            rate(&mut c, 100, 300),
            rate(&mut c, 20, 40),
            rate(&mut c, 0, 0),
        ];
        let total = rate(&mut c, 122, 345);
        c.sum(total, &cells);
        let p = c.protect(&Suppression::default());
        assert_eq!(p.hidden(), &[true, false, true, false, false]);
        assert!(p.audit().passed());
    }

    #[test]
    fn zero_is_shown_and_nothing_is_hidden_without_small_counts() {
        let mut c = LinkedCounts::new();
        let cells = [rate(&mut c, 0, 20), rate(&mut c, 30, 50)];
        let total = rate(&mut c, 30, 70);
        c.sum(total, &cells);
        let p = c.protect(&Suppression::default());
        assert!(p.hidden().iter().all(|h| !h));
        assert!(p.audit().checks.is_empty());
    }

    #[test]
    fn two_hidden_cells_whose_range_is_too_narrow_get_a_third() {
        // 2/2 and 3/3 hidden beside a total of 5/505: each numerator lies in [0, 5] only
        // (width 5 < 10), so a third cell is hidden.
        let mut c = LinkedCounts::new();
        let cells = [rate(&mut c, 2, 2), rate(&mut c, 3, 3), rate(&mut c, 0, 500)];
        let total = rate(&mut c, 5, 505);
        c.sum(total, &cells);
        let p = c.protect(&Suppression::default());
        assert!(p.audit().passed());
        assert!(p.is_hidden(cells[0]) && p.is_hidden(cells[1]));
        // The numerators alone cannot be widened (the total's numerator is 5): the total goes.
        assert!(p.is_hidden(total) || p.is_hidden(cells[2]));
    }

    #[test]
    fn the_audit_finds_a_cell_pinned_by_two_lines() {
        // A 2x2 table with margins where only one cell is hidden is solved by either margin.
        let mut c = LinkedCounts::new();
        let a = rate(&mut c, 3, 8);
        let b = rate(&mut c, 40, 90);
        let col = rate(&mut c, 43, 98);
        c.sum(col, &[a, b]);
        let hidden = vec![true, false, false];
        let audit = c.audit(&hidden, &Suppression::default());
        assert!(!audit.passed());
        let numerator = audit
            .checks
            .iter()
            .find(|ch| ch.part == Part::Numerator)
            .unwrap();
        assert_eq!((numerator.lower, numerator.upper), (3, Some(3)));
    }

    #[test]
    fn a_narrower_protection_width_hides_fewer_complements() {
        // Four small groups beside two large ones: their non-events add up to 2, so each lies
        // in [0, 2]. Width 10 needs a large group hidden too; width 1 does not.
        let mut c = LinkedCounts::new();
        let cells = [
            rate(&mut c, 30, 60),
            rate(&mut c, 2, 2),
            rate(&mut c, 87, 138),
            rate(&mut c, 1, 2),
            rate(&mut c, 3, 3),
            rate(&mut c, 5, 6),
        ];
        let total = rate(&mut c, 128, 211);
        c.sum(total, &cells);
        let strict = c.protect(&Suppression::default());
        assert!(strict.audit().passed());
        assert!(
            strict.is_hidden(cells[0]),
            "the smaller large group is hidden"
        );
        assert!(!strict.is_hidden(cells[2]));
        let loose = Suppression::default().with_protection_width(1).unwrap();
        let p = c.protect(&loose);
        assert!(p.audit().passed());
        assert!(!p.is_hidden(cells[0]) && !p.is_hidden(cells[2]));
        assert!([1, 3, 4, 5].iter().all(|&i| p.is_hidden(cells[i])));
    }

    #[test]
    fn suppression_off_hides_nothing() {
        let mut c = LinkedCounts::new();
        let cells = [rate(&mut c, 2, 5), rate(&mut c, 100, 300)];
        let total = rate(&mut c, 102, 305);
        c.sum(total, &cells);
        let p = c.protect(&Suppression::off_for_internal_use_only());
        assert!(p.hidden().iter().all(|h| !h));
        assert_eq!(p.audit().protection_width, None);
    }

    #[test]
    fn plain_counts_and_linked_tables() {
        // Rows read = used + skipped; the same used count is the table's denominator.
        let mut c = LinkedCounts::new();
        let used = c.add_count(200);
        let skipped = c.add_count(1);
        let read = c.add_count(201);
        c.sum(read, &[used, skipped]);
        let p = c.protect(&Suppression::default());
        assert!(p.is_hidden(skipped));
        assert!(p.audit().passed());
        assert!(p.is_hidden(used) || p.is_hidden(read));
    }
}

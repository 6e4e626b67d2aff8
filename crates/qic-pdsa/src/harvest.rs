//! The harvest: across teams, which change ideas were tested, what the teams decided, and
//! where an adopted idea was followed by improvement.
//!
//! At the end of a collaborative, the sponsor harvests the most promising ideas for other
//! teams. Ideas with the same key are one idea across teams: an idea from the program's change
//! package goes by the package item's key, any other by its own key, so two teams that both
//! test their own `text-reminders` are counted together. For each, the harvest counts the teams that
//! tested it, the cycles and their decisions (adopt, adapt, abandon, or none yet), the teams
//! that adopted it and, of those, the teams whose data on a measure linked to the idea showed a
//! signal of improvement after the adoption, against a baseline frozen at the months before.
//! Ideas are ranked by that last count first.

use std::collections::{BTreeMap, BTreeSet};

use qic_program::{Portfolio, YearMonth};
use qic_spc::SpcError;
use serde::{Deserialize, Serialize};

use crate::charts::improvement_after;
use crate::collaborative::Collaborative;
use crate::cycle::ActDecision;

/// Months of data needed before an adoption to judge what followed it.
pub const MIN_BASELINE_MONTHS: usize = 6;

/// One change idea across the teams.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HarvestEntry {
    /// The change package item's key, or the idea's own key for an idea outside the package.
    pub idea: String,
    /// Its title.
    pub title: String,
    /// Whether it comes from the program's change package.
    pub from_change_package: bool,
    /// Its portfolio, if tagged.
    pub portfolio: Option<Portfolio>,
    /// The teams that tested it (by name, in order).
    pub teams: Vec<String>,
    /// Cycles run on it.
    pub cycles: usize,
    /// Cycles that ended in adopt.
    pub adopted: usize,
    /// Cycles that ended in adapt.
    pub adapted: usize,
    /// Cycles that ended in abandon.
    pub abandoned: usize,
    /// Cycles without a decision yet.
    pub undecided: usize,
    /// Teams that adopted it.
    pub teams_adopting: usize,
    /// Teams whose adoption was followed by a signal of improvement on a linked measure.
    pub teams_improving: usize,
    /// Teams that adopted it but whose data cannot tell (too little before or after, or no
    /// linked measure with data).
    pub teams_not_judged: usize,
}

/// The harvest of a collaborative.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Harvest {
    /// The ideas, most promising first.
    pub ideas: Vec<HarvestEntry>,
    /// Cycles across all teams (the sum of every idea's cycles).
    pub cycles: usize,
}

/// Harvests a collaborative's change ideas.
///
/// # Errors
///
/// [`SpcError`] when a team's data cannot be charted (checked series always can).
pub fn harvest(collaborative: &Collaborative) -> Result<Harvest, SpcError> {
    let mut ideas: BTreeMap<String, HarvestEntry> = BTreeMap::new();
    let mut total = 0;
    for team in &collaborative.teams {
        let mut tested_here = BTreeSet::new();
        for idea in &team.cycles.change_ideas {
            let package = idea.change_package.as_deref().and_then(|key| {
                collaborative
                    .settings
                    .change_package
                    .iter()
                    .find(|item| item.key.as_str() == key)
            });
            let id = package.map_or_else(|| idea.key.to_string(), |item| item.key.to_string());
            let entry = ideas.entry(id.clone()).or_insert_with(|| HarvestEntry {
                idea: id.clone(),
                title: package.map_or_else(|| idea.title.clone(), |item| item.title.clone()),
                from_change_package: package.is_some(),
                portfolio: package.and_then(|item| item.portfolio).or(idea.portfolio),
                ..HarvestEntry::default()
            });
            let cycles: Vec<_> = team
                .cycles
                .cycles
                .iter()
                .filter(|c| c.change_idea == idea.key)
                .collect();
            if cycles.is_empty() {
                continue;
            }
            total += cycles.len();
            entry.cycles += cycles.len();
            for cycle in &cycles {
                match cycle.decision() {
                    Some(ActDecision::Adopt) => entry.adopted += 1,
                    Some(ActDecision::Adapt) => entry.adapted += 1,
                    Some(ActDecision::Abandon) => entry.abandoned += 1,
                    None => entry.undecided += 1,
                }
            }
            if tested_here.insert(id.clone()) {
                entry.teams.push(team.team.name.clone());
            }
            let adoption = cycles
                .iter()
                .filter_map(|c| c.act.as_ref())
                .filter(|a| a.decision == ActDecision::Adopt)
                .map(|a| a.date)
                .min();
            let Some(adopted_on) = adoption else {
                continue;
            };
            entry.teams_adopting += 1;
            // The change counts from the month after the decision.
            let from = YearMonth::of(adopted_on).next();
            let mut judged = None;
            for key in &idea.measures {
                let (Some(measure), Some(series)) = (team.measure(key), team.series.get(key))
                else {
                    continue;
                };
                match improvement_after(series, measure, from, MIN_BASELINE_MONTHS)? {
                    Some(true) => {
                        judged = Some(true);
                        break;
                    }
                    Some(false) => judged = Some(false),
                    None => {}
                }
            }
            match judged {
                Some(true) => entry.teams_improving += 1,
                Some(false) => {}
                None => entry.teams_not_judged += 1,
            }
        }
    }
    let mut ideas: Vec<HarvestEntry> = ideas.into_values().filter(|e| e.cycles > 0).collect();
    ideas.sort_by(|a, b| {
        b.teams_improving
            .cmp(&a.teams_improving)
            .then(b.teams_adopting.cmp(&a.teams_adopting))
            .then(b.teams.len().cmp(&a.teams.len()))
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.idea.cmp(&b.idea))
    });
    Ok(Harvest {
        ideas,
        cycles: total,
    })
}

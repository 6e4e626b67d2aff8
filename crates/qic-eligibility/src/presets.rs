//! The built-in rule sets: the same TOML files a sponsor would write, embedded in the crate.

use crate::{EligibilityError, RuleSet};

/// The names of the built-in rule sets.
pub const PRESETS: [&str; 4] = [
    "pursuing-equity-action-community-2022",
    "pursuing-equity-learning-network-2022",
    "improving-population-health-2020",
    "action-learning-collaborative",
];

/// The TOML text of a built-in rule set, comments included (to copy and edit), or `None` when
/// there is no preset with that name.
///
/// ```
/// let text = qic_eligibility::preset_source("action-learning-collaborative").unwrap();
/// assert!(text.starts_with("# A plain rule set"));
/// ```
pub fn preset_source(name: &str) -> Option<&'static str> {
    match name {
        "pursuing-equity-action-community-2022" => Some(include_str!(
            "../presets/pursuing-equity-action-community-2022.toml"
        )),
        "pursuing-equity-learning-network-2022" => Some(include_str!(
            "../presets/pursuing-equity-learning-network-2022.toml"
        )),
        "improving-population-health-2020" => Some(include_str!(
            "../presets/improving-population-health-2020.toml"
        )),
        "action-learning-collaborative" => Some(include_str!(
            "../presets/action-learning-collaborative.toml"
        )),
        _ => None,
    }
}

impl RuleSet {
    /// A built-in rule set by name (see [`PRESETS`]).
    ///
    /// # Errors
    ///
    /// [`EligibilityError::UnknownPreset`] listing the presets there are.
    ///
    /// # Examples
    ///
    /// ```
    /// use qic_eligibility::RuleSet;
    ///
    /// let rules = RuleSet::preset("pursuing-equity-learning-network-2022")?;
    /// assert_eq!(rules.offer_instead(), None);
    /// assert!(RuleSet::preset("pursuing-equity").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn preset(name: &str) -> Result<Self, EligibilityError> {
        let text = preset_source(name).ok_or_else(|| EligibilityError::UnknownPreset {
            name: name.to_owned(),
            known: PRESETS.join(", "),
        })?;
        Self::from_toml_named(text, &format!("preset {name}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Check, Severity};

    #[test]
    fn every_preset_loads_and_is_named_after_its_file() {
        for name in PRESETS {
            let set = RuleSet::preset(name).unwrap();
            assert_eq!(set.id(), name);
            assert!(!set.rules().is_empty());
        }
    }

    #[test]
    fn every_rule_kind_appears_in_some_preset() {
        let kinds: std::collections::BTreeSet<&str> = PRESETS
            .iter()
            .flat_map(|name| RuleSet::preset(name).unwrap().rules().to_vec())
            .map(|rule| rule.check.kind())
            .collect();
        for kind in Check::KINDS {
            assert!(kinds.contains(kind), "no preset uses {kind}");
        }
    }

    #[test]
    fn the_action_community_redirects_to_the_learning_network() {
        let ac = RuleSet::preset("pursuing-equity-action-community-2022").unwrap();
        let ln = RuleSet::preset("pursuing-equity-learning-network-2022").unwrap();
        assert_eq!(ac.offer_instead().unwrap().cohort, *ln.admits());
        let redirects: Vec<&str> = ac
            .rules()
            .iter()
            .filter(|r| r.severity == Severity::Redirect)
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(redirects, ["data.real", "data.sogi", "qi.evidence"]);
    }
}

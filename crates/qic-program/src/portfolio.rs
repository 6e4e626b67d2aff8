//! The four portfolios of population health (Pathways to Population Health), the Compass
//! components under each, team projects placed in them, and how balanced a team's or cohort's
//! projects are.
//!
//! The portfolio labels and their components are those of the P2PH Compass instructions. The
//! reading of portfolios 1 and 2 as about individuals and 3 and 4 as about communities is an
//! inference (no source states the grid), so [`Portfolio::scope`] says so.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::ProgramError;
use crate::ids::{ProjectId, TeamId};

/// One of the four portfolios of population health.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Portfolio {
    /// Portfolio 1: "Physical and/or Mental Health".
    PhysicalAndOrMentalHealth,
    /// Portfolio 2: "Social and/or Spiritual Well-Being".
    SocialAndOrSpiritualWellBeing,
    /// Portfolio 3: "Community Health and Well-Being".
    CommunityHealthAndWellBeing,
    /// Portfolio 4: "Communities of Solutions".
    CommunitiesOfSolutions,
}

/// Whom a portfolio's work is about (an inference, see [`Portfolio::scope`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PortfolioScope {
    /// Individual people.
    Individuals,
    /// Whole communities.
    Communities,
}

/// A component the P2PH Compass scores under a portfolio.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompassComponent {
    /// Data (a component of every portfolio).
    Data,
    /// Team-based care (portfolio 1).
    TeamBasedCare,
    /// Behavioral health integration (portfolio 1).
    BehavioralHealthIntegration,
    /// Care management (portfolio 1).
    CareManagement,
    /// Social determinant screening and referrals (portfolio 2).
    SocialDeterminantScreeningReferrals,
    /// Community partnerships (portfolio 3).
    CommunityPartnerships,
    /// Community benefit (portfolio 3).
    CommunityBenefit,
    /// Leveraging nontraditional roles (portfolio 4).
    LeveragingNontraditionalRoles,
    /// Policy (portfolio 4).
    Policy,
}

impl CompassComponent {
    /// The Compass label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Data => "Data",
            Self::TeamBasedCare => "Team-Based Care",
            Self::BehavioralHealthIntegration => "Behavioral Health Integration",
            Self::CareManagement => "Care Management",
            Self::SocialDeterminantScreeningReferrals => "Social Determinant Screening/Referrals",
            Self::CommunityPartnerships => "Community Partnerships",
            Self::CommunityBenefit => "Community Benefit",
            Self::LeveragingNontraditionalRoles => "Leveraging Nontraditional Roles",
            Self::Policy => "Policy",
        }
    }
}

impl fmt::Display for CompassComponent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl Portfolio {
    /// The four portfolios, in order.
    pub const ALL: [Self; 4] = [
        Self::PhysicalAndOrMentalHealth,
        Self::SocialAndOrSpiritualWellBeing,
        Self::CommunityHealthAndWellBeing,
        Self::CommunitiesOfSolutions,
    ];

    /// The portfolio's number, 1 to 4.
    pub const fn number(self) -> u8 {
        match self {
            Self::PhysicalAndOrMentalHealth => 1,
            Self::SocialAndOrSpiritualWellBeing => 2,
            Self::CommunityHealthAndWellBeing => 3,
            Self::CommunitiesOfSolutions => 4,
        }
    }

    /// The exact Compass label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::PhysicalAndOrMentalHealth => "Physical and/or Mental Health",
            Self::SocialAndOrSpiritualWellBeing => "Social and/or Spiritual Well-Being",
            Self::CommunityHealthAndWellBeing => "Community Health and Well-Being",
            Self::CommunitiesOfSolutions => "Communities of Solutions",
        }
    }

    /// The Compass components scored under the portfolio.
    pub const fn components(self) -> &'static [CompassComponent] {
        use CompassComponent as C;
        match self {
            Self::PhysicalAndOrMentalHealth => &[
                C::Data,
                C::TeamBasedCare,
                C::BehavioralHealthIntegration,
                C::CareManagement,
            ],
            Self::SocialAndOrSpiritualWellBeing => {
                &[C::Data, C::SocialDeterminantScreeningReferrals]
            }
            Self::CommunityHealthAndWellBeing => {
                &[C::Data, C::CommunityPartnerships, C::CommunityBenefit]
            }
            Self::CommunitiesOfSolutions => &[C::Data, C::LeveragingNontraditionalRoles, C::Policy],
        }
    }

    /// Whether the portfolio's work is about individuals (1 and 2) or communities (3 and 4).
    ///
    /// **Inferred, not sourced:** the Compass does not state this grid; the public-health
    /// version's section names ("... of people", "community conditions", "root causes") support
    /// it for portfolios 1 and 2 more firmly than for 3 and 4.
    pub const fn scope(self) -> PortfolioScope {
        match self {
            Self::PhysicalAndOrMentalHealth | Self::SocialAndOrSpiritualWellBeing => {
                PortfolioScope::Individuals
            }
            Self::CommunityHealthAndWellBeing | Self::CommunitiesOfSolutions => {
                PortfolioScope::Communities
            }
        }
    }
}

impl fmt::Display for Portfolio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A team's project, placed in one or more portfolios.
///
/// ```
/// use qic_program::{CompassComponent, Portfolio, Project, TeamId};
///
/// let project = Project::new(TeamId::from_name("Lakeside"), "Food insecurity screening", [Portfolio::SocialAndOrSpiritualWellBeing])?
///     .with_component(CompassComponent::SocialDeterminantScreeningReferrals)?;
/// assert!(Project::new(TeamId::from_name("Lakeside"), "Policy work", [Portfolio::PhysicalAndOrMentalHealth])?
///     .with_component(CompassComponent::Policy)
///     .is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ProjectRecord")]
pub struct Project {
    id: ProjectId,
    team: TeamId,
    name: String,
    portfolios: BTreeSet<Portfolio>,
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    components: BTreeSet<CompassComponent>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectRecord {
    #[serde(default)]
    id: Option<ProjectId>,
    team: TeamId,
    name: String,
    portfolios: BTreeSet<Portfolio>,
    #[serde(default)]
    components: BTreeSet<CompassComponent>,
}

impl TryFrom<ProjectRecord> for Project {
    type Error = ProgramError;

    fn try_from(r: ProjectRecord) -> Result<Self, Self::Error> {
        let mut project = Self::new(r.team, r.name, r.portfolios)?;
        if let Some(id) = r.id {
            project.id = id;
        }
        for component in r.components {
            project = project.with_component(component)?;
        }
        Ok(project)
    }
}

impl Project {
    /// A project with an id derived from its team and name.
    ///
    /// # Errors
    ///
    /// [`ProgramError::InvalidProject`] for an empty name or no portfolio.
    pub fn new(
        team: TeamId,
        name: impl Into<String>,
        portfolios: impl IntoIterator<Item = Portfolio>,
    ) -> Result<Self, ProgramError> {
        let name = name.into();
        let portfolios: BTreeSet<Portfolio> = portfolios.into_iter().collect();
        if name.trim().is_empty() {
            return Err(ProgramError::Empty {
                what: "project name",
            });
        }
        if portfolios.is_empty() {
            return Err(ProgramError::InvalidProject {
                project: name,
                reason: "place it in at least one portfolio".into(),
            });
        }
        Ok(Self {
            id: ProjectId::from_name(&format!("{team}/{name}")),
            team,
            name,
            portfolios,
            components: BTreeSet::new(),
        })
    }

    /// Adds a Compass component the project works on (chainable).
    ///
    /// # Errors
    ///
    /// [`ProgramError::InvalidProject`] when the component belongs to none of the project's
    /// portfolios.
    pub fn with_component(mut self, component: CompassComponent) -> Result<Self, ProgramError> {
        if !self
            .portfolios
            .iter()
            .any(|p| p.components().contains(&component))
        {
            return Err(ProgramError::InvalidProject {
                project: self.name,
                reason: format!(
                    "the Compass component {component} belongs to none of its portfolios"
                ),
            });
        }
        self.components.insert(component);
        Ok(self)
    }

    /// Stable id.
    pub const fn id(&self) -> ProjectId {
        self.id
    }

    /// The team.
    pub const fn team(&self) -> TeamId {
        self.team
    }

    /// Name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The portfolios it is placed in.
    pub const fn portfolios(&self) -> &BTreeSet<Portfolio> {
        &self.portfolios
    }

    /// The Compass components it works on.
    pub const fn components(&self) -> &BTreeSet<CompassComponent> {
        &self.components
    }
}

/// How many projects and teams work in one portfolio.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortfolioCount {
    /// The portfolio.
    pub portfolio: Portfolio,
    /// Projects placed in it (a project in two portfolios counts in both).
    pub projects: usize,
    /// Distinct teams with at least one project in it.
    pub teams: usize,
}

/// How a set of projects (one team's, or a cohort's) spreads over the four portfolios.
///
/// P2PH asks for a balanced portfolio: work in all four, not only in the clinical first one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortfolioBalance {
    /// The number of projects.
    pub projects: usize,
    /// The number of distinct teams.
    pub teams: usize,
    /// One count per portfolio, in order 1 to 4.
    pub per_portfolio: Vec<PortfolioCount>,
    /// Portfolios with no project.
    pub missing: Vec<Portfolio>,
}

impl PortfolioBalance {
    /// Counts a set of projects.
    pub fn of<'a>(projects: impl IntoIterator<Item = &'a Project>) -> Self {
        let projects: Vec<&Project> = projects.into_iter().collect();
        let teams: BTreeSet<TeamId> = projects.iter().map(|p| p.team()).collect();
        let per_portfolio: Vec<PortfolioCount> = Portfolio::ALL
            .into_iter()
            .map(|portfolio| {
                let inside: Vec<&&Project> = projects
                    .iter()
                    .filter(|p| p.portfolios().contains(&portfolio))
                    .collect();
                PortfolioCount {
                    portfolio,
                    projects: inside.len(),
                    teams: inside
                        .iter()
                        .map(|p| p.team())
                        .collect::<BTreeSet<_>>()
                        .len(),
                }
            })
            .collect();
        let missing = per_portfolio
            .iter()
            .filter(|c| c.projects == 0)
            .map(|c| c.portfolio)
            .collect();
        Self {
            projects: projects.len(),
            teams: teams.len(),
            per_portfolio,
            missing,
        }
    }

    /// The number of portfolios with at least one project (0 to 4).
    pub fn covered(&self) -> usize {
        4 - self.missing.len()
    }

    /// Whether all four portfolios have work in them.
    pub fn is_balanced(&self) -> bool {
        self.missing.is_empty()
    }

    /// The count for one portfolio.
    pub fn count(&self, portfolio: Portfolio) -> PortfolioCount {
        self.per_portfolio
            .iter()
            .copied()
            .find(|c| c.portfolio == portfolio)
            .unwrap_or(PortfolioCount {
                portfolio,
                projects: 0,
                teams: 0,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_portfolio_has_data_and_its_own_components() {
        for p in Portfolio::ALL {
            assert_eq!(p.components()[0], CompassComponent::Data);
        }
        let all: BTreeSet<_> = Portfolio::ALL.iter().flat_map(|p| p.components()).collect();
        assert_eq!(all.len(), 9);
        assert_eq!(Portfolio::CommunitiesOfSolutions.number(), 4);
        assert_eq!(
            Portfolio::SocialAndOrSpiritualWellBeing.to_string(),
            "Social and/or Spiritual Well-Being"
        );
    }

    #[test]
    fn balance_counts_projects_and_teams_per_portfolio() {
        let a = TeamId::from_name("a");
        let b = TeamId::from_name("b");
        let projects = [
            Project::new(a, "Diabetes care", [Portfolio::PhysicalAndOrMentalHealth]).unwrap(),
            Project::new(
                a,
                "Housing referrals",
                [
                    Portfolio::SocialAndOrSpiritualWellBeing,
                    Portfolio::CommunityHealthAndWellBeing,
                ],
            )
            .unwrap(),
            Project::new(b, "Hypertension", [Portfolio::PhysicalAndOrMentalHealth]).unwrap(),
        ];
        let cohort = PortfolioBalance::of(&projects);
        assert_eq!((cohort.projects, cohort.teams), (3, 2));
        assert_eq!(
            cohort.count(Portfolio::PhysicalAndOrMentalHealth),
            PortfolioCount {
                portfolio: Portfolio::PhysicalAndOrMentalHealth,
                projects: 2,
                teams: 2
            }
        );
        assert_eq!(cohort.missing, [Portfolio::CommunitiesOfSolutions]);
        assert_eq!(cohort.covered(), 3);
        assert!(!cohort.is_balanced());
        let team_b = PortfolioBalance::of(projects.iter().filter(|p| p.team() == b));
        assert_eq!(team_b.covered(), 1);
        let none = PortfolioBalance::of(&[]);
        assert_eq!((none.projects, none.covered()), (0, 0));
    }

    #[test]
    fn projects_are_checked_on_the_way_in() {
        let team = TeamId::from_name("a");
        let json = format!(r#"{{"team": "{team}", "name": "X", "portfolios": []}}"#);
        assert!(
            serde_json::from_str::<Project>(&json)
                .unwrap_err()
                .to_string()
                .contains("at least one portfolio")
        );
        let json = format!(
            r#"{{"team": "{team}", "name": "X", "portfolios": ["communities_of_solutions"], "components": ["care_management"]}}"#
        );
        assert!(serde_json::from_str::<Project>(&json).is_err());
        let good = Project::new(team, "X", [Portfolio::CommunitiesOfSolutions])
            .unwrap()
            .with_component(CompassComponent::Policy)
            .unwrap();
        let back: Project = serde_json::from_str(&serde_json::to_string(&good).unwrap()).unwrap();
        assert_eq!(back, good);
    }
}

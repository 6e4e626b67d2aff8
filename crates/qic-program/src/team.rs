//! Teams, the organizations that send them, and the people on them.
//!
//! The vocabularies follow the seed programs: the kinds of organization the Improving Population
//! Health Action Community invited (ACOs, academic medical centers, community hospitals, health
//! systems) and the participants of Action Learning Collaboratives (community health centers,
//! free and charitable clinics, behavioral health organizations, public health agencies, community
//! partners); the roles and lenses a Pursuing Equity core team brings (data, quality improvement,
//! equity and patient-facing care, at least one clinical member, a patient partner with lived
//! experience who is paid for their time).

use std::collections::BTreeSet;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::cohort::CohortKind;
use crate::ids::{MemberId, OrganizationId, TeamId};

/// The kind of organization that sends a team.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrganizationKind {
    /// An accountable care organization, new or existing.
    Aco,
    /// An academic medical center or institution.
    AcademicMedicalCenter,
    /// A community hospital.
    CommunityHospital,
    /// A health system (several hospitals and clinics under one governance).
    HealthSystem,
    /// A community health center (FQHC or look-alike).
    CommunityHealthCenter,
    /// A rural health center or clinic.
    RuralHealthCenter,
    /// A free or charitable clinic.
    FreeOrCharitableClinic,
    /// A community behavioral health organization.
    BehavioralHealth,
    /// A state or local public health agency.
    PublicHealthAgency,
    /// A community partner organization (social services, faith-based, advocacy, housing...).
    CommunityPartnerOrganization,
    /// Anything else; describe it in the organization's name or notes.
    Other,
}

impl OrganizationKind {
    /// Every kind, in declaration order.
    pub const ALL: [Self; 11] = [
        Self::Aco,
        Self::AcademicMedicalCenter,
        Self::CommunityHospital,
        Self::HealthSystem,
        Self::CommunityHealthCenter,
        Self::RuralHealthCenter,
        Self::FreeOrCharitableClinic,
        Self::BehavioralHealth,
        Self::PublicHealthAgency,
        Self::CommunityPartnerOrganization,
        Self::Other,
    ];

    /// Whether organizations of this kind usually deliver health care.
    ///
    /// Public health agencies and community partners do not; programs for health care delivery
    /// organizations ask them to apply together with a partner that does. `Other` is not
    /// assumed to.
    pub const fn delivers_health_care(self) -> bool {
        !matches!(
            self,
            Self::PublicHealthAgency | Self::CommunityPartnerOrganization | Self::Other
        )
    }

    /// A human label, e.g. "community health center".
    pub const fn label(self) -> &'static str {
        match self {
            Self::Aco => "accountable care organization",
            Self::AcademicMedicalCenter => "academic medical center",
            Self::CommunityHospital => "community hospital",
            Self::HealthSystem => "health system",
            Self::CommunityHealthCenter => "community health center",
            Self::RuralHealthCenter => "rural health center",
            Self::FreeOrCharitableClinic => "free or charitable clinic",
            Self::BehavioralHealth => "behavioral health organization",
            Self::PublicHealthAgency => "public health agency",
            Self::CommunityPartnerOrganization => "community partner organization",
            Self::Other => "other organization",
        }
    }
}

impl fmt::Display for OrganizationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// An organization taking part in a program.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// Stable id.
    pub id: OrganizationId,
    /// Legal or common name.
    pub name: String,
    /// What kind of organization it is.
    pub kind: OrganizationKind,
    /// Where it is (city and state, region), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

impl Organization {
    /// An organization with an id derived from its name.
    pub fn new(name: impl Into<String>, kind: OrganizationKind) -> Self {
        let name = name.into();
        Self {
            id: OrganizationId::from_name(&name),
            name,
            kind,
            location: None,
        }
    }
}

/// The role a person plays on a team.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The senior leader who sponsors the work and removes barriers.
    ExecutiveSponsor,
    /// The person who runs the work day to day.
    DayToDayLead,
    /// A project manager.
    ProjectManager,
    /// The data and measurement lead.
    DataLead,
    /// A patient or family partner with lived experience of the problem.
    PatientPartner,
    /// A member from a community partner organization.
    CommunityPartner,
    /// A team member with no special role.
    Member,
}

impl Role {
    /// A human label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::ExecutiveSponsor => "executive sponsor",
            Self::DayToDayLead => "day-to-day lead",
            Self::ProjectManager => "project manager",
            Self::DataLead => "data lead",
            Self::PatientPartner => "patient partner with lived experience",
            Self::CommunityPartner => "community partner",
            Self::Member => "team member",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A perspective a person brings to the team (a team should cover several).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Lens {
    /// A clinician (physician, nurse, pharmacist...).
    Clinical,
    /// Works face to face with patients (clinical or not).
    PatientFacingCare,
    /// Quality improvement methods.
    QualityImprovement,
    /// Data and measurement.
    Data,
    /// Equity, diversity and inclusion.
    Equity,
    /// Lived experience of the inequity or condition the team works on.
    LivedExperience,
    /// Community health, population health or community partnership.
    Community,
}

impl Lens {
    /// Every lens, in declaration order.
    pub const ALL: [Self; 7] = [
        Self::Clinical,
        Self::PatientFacingCare,
        Self::QualityImprovement,
        Self::Data,
        Self::Equity,
        Self::LivedExperience,
        Self::Community,
    ];

    /// A human label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Clinical => "clinical",
            Self::PatientFacingCare => "patient-facing care",
            Self::QualityImprovement => "quality improvement",
            Self::Data => "data",
            Self::Equity => "equity",
            Self::LivedExperience => "lived experience",
            Self::Community => "community",
        }
    }
}

impl fmt::Display for Lens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A person on a team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// Stable id.
    pub id: MemberId,
    /// Full name.
    pub name: String,
    /// Job title, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Roles on the team (a set: order and repeats do not matter).
    #[serde(default)]
    pub roles: BTreeSet<Role>,
    /// Perspectives the person brings.
    #[serde(default)]
    pub lenses: BTreeSet<Lens>,
    /// For a patient partner: whether they are paid for their time (`None` when not stated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compensated: Option<bool>,
}

impl Member {
    /// A member with an id derived from the team and the name, and no roles or lenses yet.
    pub fn new(team: TeamId, name: impl Into<String>) -> Self {
        let name = name.into();
        Self {
            id: MemberId::from_name(&format!("{team}/{name}")),
            name,
            title: None,
            roles: BTreeSet::new(),
            lenses: BTreeSet::new(),
            compensated: None,
        }
    }

    /// Adds a role (chainable).
    #[must_use]
    pub fn with_role(mut self, role: Role) -> Self {
        self.roles.insert(role);
        self
    }

    /// Adds a lens (chainable).
    #[must_use]
    pub fn with_lens(mut self, lens: Lens) -> Self {
        self.lenses.insert(lens);
        self
    }

    /// Whether the member has the role.
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether the member brings the lens.
    pub fn has_lens(&self, lens: Lens) -> bool {
        self.lenses.contains(&lens)
    }
}

/// A cohort a team took part in, kept in its [`Team::history`] so that later programs can see
/// it (e.g. a team that finished a Learning Network applying to an Action Community).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participation {
    /// The program's name.
    pub program: String,
    /// The cohort's name.
    pub cohort: String,
    /// The kind of cohort.
    pub kind: CohortKind,
    /// The day the team joined.
    #[serde(with = "crate::serde_date")]
    pub enrolled_on: NaiveDate,
    /// The day it finished, if it did.
    #[serde(
        default,
        with = "crate::serde_date::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub completed_on: Option<NaiveDate>,
}

/// One organization's core team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Team {
    /// Stable id.
    pub id: TeamId,
    /// Short name used in tables and charts.
    pub name: String,
    /// The organization the team comes from.
    pub organization: Organization,
    /// A partner health care organization, where the team's own organization does not
    /// deliver care.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner: Option<Organization>,
    /// The core team.
    #[serde(default)]
    pub members: Vec<Member>,
    /// Cohorts the team took part in before (in this or earlier programs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Participation>,
}

impl Team {
    /// A team with an id derived from its name and no members yet.
    pub fn new(name: impl Into<String>, organization: Organization) -> Self {
        let name = name.into();
        Self {
            id: TeamId::from_name(&name),
            name,
            organization,
            partner: None,
            members: Vec::new(),
            history: Vec::new(),
        }
    }

    /// Adds a member (chainable).
    #[must_use]
    pub fn with_member(mut self, member: Member) -> Self {
        self.members.push(member);
        self
    }

    /// The lenses the team covers, over all members.
    pub fn lenses(&self) -> BTreeSet<Lens> {
        self.members
            .iter()
            .flat_map(|m| m.lenses.iter().copied())
            .collect()
    }

    /// Whether some member has the role.
    pub fn has_role(&self, role: Role) -> bool {
        self.members.iter().any(|m| m.has_role(role))
    }

    /// Whether the team finished a cohort of this kind before.
    pub fn has_completed(&self, kind: CohortKind) -> bool {
        self.history
            .iter()
            .any(|p| p.kind == kind && p.completed_on.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_care_delivery_kinds_deliver_care() {
        let non_delivering: Vec<_> = OrganizationKind::ALL
            .into_iter()
            .filter(|k| !k.delivers_health_care())
            .collect();
        assert_eq!(
            non_delivering,
            [
                OrganizationKind::PublicHealthAgency,
                OrganizationKind::CommunityPartnerOrganization,
                OrganizationKind::Other
            ]
        );
    }

    #[test]
    fn team_lenses_are_the_union_of_member_lenses() {
        let org = Organization::new("Riverside Health", OrganizationKind::HealthSystem);
        let team = Team::new("Riverside", org);
        let id = team.id;
        let team = team
            .with_member(
                Member::new(id, "A. Rivera")
                    .with_role(Role::DayToDayLead)
                    .with_lens(Lens::QualityImprovement)
                    .with_lens(Lens::Data),
            )
            .with_member(Member::new(id, "B. Chen").with_lens(Lens::Clinical));
        assert_eq!(
            team.lenses().into_iter().collect::<Vec<_>>(),
            [Lens::Clinical, Lens::QualityImprovement, Lens::Data]
        );
        assert!(team.has_role(Role::DayToDayLead));
        assert!(!team.has_role(Role::ExecutiveSponsor));
    }

    #[test]
    fn members_reject_unknown_fields() {
        let json = r#"{"id":"6f1c1d2e-8c8b-4a53-9d6e-3f2d8f3b9a11","name":"X","rolez":[]}"#;
        let err = serde_json::from_str::<Member>(json)
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `rolez`"), "{err}");
    }
}

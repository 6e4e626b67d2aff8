//! The application: what an organization sends to join a cohort.
//!
//! The format is made to be filled in by hand, in JSON or TOML: no ids, few required fields,
//! vocabularies spelt as words (`"community_health_center"`, `"board_chair"`), and every field
//! checked (`deny_unknown_fields`), so that a misspelt field is an error and not a silent default.
//! Its JSON Schema is published as `docs/application.schema.json`.
//!
//! # Why the team has its own member type
//!
//! A core team member in an application is an [`ApplicantMember`], not `qic_program::Member`:
//! an application is written before the team exists in any program, so its members have no ids
//! (a person filling in the form should not invent UUIDs), and it carries what only an
//! application needs. The vocabularies are shared ([`Role`], [`Lens`], [`OrganizationKind`] come
//! from `qic-program`), and [`Application::to_team`] turns an accepted application into a
//! `qic_program::Team` with stable name-based ids.
//!
//! # REAL and SOGI data
//!
//! [`DataReadiness`] holds the applicant's declarations, and optionally the readiness report of an
//! extract (`qic_equity::readiness::ReadinessReport`, what `qic equity readiness --format json`
//! writes). The report is evidence from the data, so the rules judge it in preference to the
//! declarations. It holds counts and shares only (small cells hidden), never patient values.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use chrono::NaiveDate;
use qic_equity::readiness::ReadinessReport;
use qic_program::{Lens, Member, Organization, OrganizationKind, Role, Team};
use serde::{Deserialize, Serialize};

use crate::{CohortRef, EligibilityError, Share};
use qic_io::{Document, Format, Location};
use qic_program::serde_date;

/// An application to join a cohort.
///
/// ```
/// use qic_eligibility::Application;
///
/// let app = Application::from_toml_str(r#"
///     cohort = "pursuing-equity-2022/learning-network"
///     submitted = 2022-10-28
///
///     [organization]
///     name = "Lakeside Community Health"
///     kind = "community_health_center"
///
///     [[team]]
///     name = "R. Okafor"
///     roles = ["day_to_day_lead"]
///     lenses = ["quality_improvement", "data"]
/// "#)?;
/// assert_eq!(app.team.len(), 1);
/// assert!(app.organization.delivers_health_care());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(
        title = "qic application",
        description = "An application to join a cohort of a health care quality-improvement collaborative, as qic-eligibility reads it (JSON or TOML). Unknown fields are refused. Generated from the Rust types: regenerate with `cargo run -p qic-cli -- eligibility schema > docs/application.schema.json`."
    )
)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// Where an editor finds this format's JSON Schema (e.g.
    /// "../../docs/application.schema.json"); ignored by the rules.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The cohort applied for, as a stable id (e.g. "pursuing-equity-2022/action-community").
    pub cohort: CohortRef,
    /// The applying organization.
    pub organization: ApplicantOrganization,
    /// The core team: the people who attend the cohort's calls and drive the work.
    #[serde(default)]
    pub team: Vec<ApplicantMember>,
    /// The letters of commitment sent with the application.
    #[serde(default)]
    pub letters: Vec<Letter>,
    /// Whether race, ethnicity and language (REAL) and sexual orientation and gender identity
    /// (SOGI) data are available and complete enough to measure equity.
    #[serde(default)]
    pub data: DataReadiness,
    /// Earlier quality improvement initiatives, as evidence of QI capability.
    #[serde(default)]
    pub qi_evidence: Vec<QiInitiative>,
    /// What the organization commits to (attending all meetings, sharing data...).
    #[serde(default)]
    pub commitments: BTreeSet<Commitment>,
    /// The parts of the application sent so far. A letter of commitment counts as sent when it
    /// is listed here or when `letters` has at least one letter.
    #[serde(default)]
    pub parts: BTreeSet<ApplicationPart>,
    /// The day the application was sent; leave it out for a draft that has not been sent.
    #[serde(
        default,
        with = "serde_date::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<NaiveDate>"))]
    pub submitted: Option<NaiveDate>,
    /// Free text for the reviewers; ignored by the rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// The organization that applies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ApplicantOrganization {
    /// Legal or common name.
    pub name: String,
    /// What kind of organization it is.
    pub kind: OrganizationKind,
    /// Whether it delivers health care. Leave it out to take the usual answer for its kind
    /// (public health agencies, community partners and "other" do not; the rest do).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivers_health_care: Option<bool>,
    /// Where it is (city and state, region).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The health care organization it applies together with, where it does not deliver care
    /// itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner: Option<PartnerOrganization>,
}

impl ApplicantOrganization {
    /// Whether the organization delivers health care: as stated, or else as usual for its kind.
    pub fn delivers_health_care(&self) -> bool {
        self.delivers_health_care
            .unwrap_or_else(|| self.kind.delivers_health_care())
    }
}

/// A partner organization named in an application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PartnerOrganization {
    /// Legal or common name.
    pub name: String,
    /// What kind of organization it is.
    pub kind: OrganizationKind,
    /// Whether it delivers health care; leave it out to take the usual answer for its kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivers_health_care: Option<bool>,
}

impl PartnerOrganization {
    /// Whether the partner delivers health care: as stated, or else as usual for its kind.
    pub fn delivers_health_care(&self) -> bool {
        self.delivers_health_care
            .unwrap_or_else(|| self.kind.delivers_health_care())
    }
}

/// A person on the core team, as an application names them (no id yet).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ApplicantMember {
    /// Full name.
    pub name: String,
    /// Job title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Roles on the team (executive sponsor, day-to-day lead, patient partner...).
    #[serde(default)]
    pub roles: BTreeSet<Role>,
    /// Perspectives the person brings (clinical, patient-facing care, quality improvement, data,
    /// equity...).
    #[serde(default)]
    pub lenses: BTreeSet<Lens>,
    /// For a patient partner: whether they are paid for their time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compensated: Option<bool>,
}

impl ApplicantMember {
    /// A member with a name and no roles or lenses yet.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
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

    /// Whether the member is a patient partner with lived experience.
    pub fn is_patient_partner(&self) -> bool {
        self.roles.contains(&Role::PatientPartner)
    }

    /// The member as a `qic_program::Member` of a team, with an id derived from the team and the
    /// name.
    pub fn to_member(&self, team: qic_program::TeamId) -> Member {
        let mut member = Member::new(team, self.name.clone());
        member.title.clone_from(&self.title);
        member.roles.clone_from(&self.roles);
        member.lenses.clone_from(&self.lenses);
        member.compensated = self.compensated;
        member
    }
}

/// Who signed a letter of commitment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Signatory {
    /// The chief executive officer (or president).
    Ceo,
    /// The chair of the board.
    BoardChair,
    /// The chief medical officer.
    ChiefMedicalOfficer,
    /// The chief nursing officer.
    ChiefNursingOfficer,
    /// The chief quality officer.
    ChiefQualityOfficer,
    /// The chief equity, diversity or inclusion officer.
    ChiefEquityOfficer,
    /// Another senior leader.
    SeniorLeader,
    /// A leader of the partner organization.
    PartnerOrganizationLeader,
}

impl Signatory {
    /// Every signatory, in declaration order.
    pub const ALL: [Self; 8] = [
        Self::Ceo,
        Self::BoardChair,
        Self::ChiefMedicalOfficer,
        Self::ChiefNursingOfficer,
        Self::ChiefQualityOfficer,
        Self::ChiefEquityOfficer,
        Self::SeniorLeader,
        Self::PartnerOrganizationLeader,
    ];

    /// A human label, e.g. "board chair".
    pub const fn label(self) -> &'static str {
        match self {
            Self::Ceo => "CEO",
            Self::BoardChair => "board chair",
            Self::ChiefMedicalOfficer => "chief medical officer",
            Self::ChiefNursingOfficer => "chief nursing officer",
            Self::ChiefQualityOfficer => "chief quality officer",
            Self::ChiefEquityOfficer => "chief equity officer",
            Self::SeniorLeader => "senior leader",
            Self::PartnerOrganizationLeader => "partner organization's leader",
        }
    }
}

impl fmt::Display for Signatory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A letter of commitment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Letter {
    /// Who signed it.
    pub signatory: Signatory,
    /// The signer's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The day it was signed. A letter signed after the rule set's deadline does not count.
    #[serde(with = "serde_date")]
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    pub signed: NaiveDate,
}

/// Whether REAL and SOGI data can be used to measure equity: as the applicant declares it, or as
/// a readiness report computed from an extract of their records shows it.
///
/// When a report is given, the `data.real` and `data.sogi` rules judge the report (evidence
/// from the data) and not the declarations.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DataReadiness {
    /// Race, ethnicity and preferred language (REAL) data, as the applicant declares them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub real: Option<DeclaredReadiness>,
    /// Sexual orientation and gender identity (SOGI) data, as the applicant declares them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sogi: Option<DeclaredReadiness>,
    /// The readiness report of an extract, as `qic equity readiness --format json` writes it
    /// (`qic_equity::readiness::ReadinessReport`): usable shares per dimension, with small cells
    /// suppressed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<ReadinessReport>,
}

/// An applicant's own statement about one group of equity data.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DeclaredReadiness {
    /// Whether the data are collected and accessible for analysis.
    pub available: bool,
    /// The share of patient records (0 to 1) in which the data are complete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_complete: Option<Share>,
}

/// An earlier quality improvement initiative.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct QiInitiative {
    /// What it was called.
    pub title: String,
    /// The year it ended (or started, if it goes on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Whether it showed measurable results (a measure that moved, on a run or control chart).
    pub measurable_results: bool,
    /// A sentence on what it achieved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

/// A commitment an applying organization makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Commitment {
    /// To take part in all meetings of the cohort, including travel to in-person sessions.
    AttendAllMeetings,
    /// To share learning, challenges and data transparently.
    ShareLearningAndData,
    /// To contribute to dissemination (blog posts, presentations, case studies...).
    ContributeToDissemination,
    /// For the team to meet once a week.
    MeetWeekly,
}

impl Commitment {
    /// Every commitment, in declaration order.
    pub const ALL: [Self; 4] = [
        Self::AttendAllMeetings,
        Self::ShareLearningAndData,
        Self::ContributeToDissemination,
        Self::MeetWeekly,
    ];

    /// A human label, e.g. "to attend all meetings".
    pub const fn label(self) -> &'static str {
        match self {
            Self::AttendAllMeetings => "to attend all meetings",
            Self::ShareLearningAndData => "to share learning, challenges and data",
            Self::ContributeToDissemination => "to contribute to dissemination",
            Self::MeetWeekly => "to meet as a team once a week",
        }
    }
}

impl fmt::Display for Commitment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A part of an application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ApplicationPart {
    /// The online application form.
    OnlineApplication,
    /// A video application.
    VideoApplication,
    /// A letter of commitment from the organization's leaders.
    LetterOfCommitment,
    /// An expression of interest (for programs that ask only for that at first).
    ExpressionOfInterest,
}

impl ApplicationPart {
    /// Every part, in declaration order.
    pub const ALL: [Self; 4] = [
        Self::OnlineApplication,
        Self::VideoApplication,
        Self::LetterOfCommitment,
        Self::ExpressionOfInterest,
    ];

    /// A human label, e.g. "the video application".
    pub const fn label(self) -> &'static str {
        match self {
            Self::OnlineApplication => "the online application",
            Self::VideoApplication => "the video application",
            Self::LetterOfCommitment => "the letter of commitment",
            Self::ExpressionOfInterest => "the expression of interest",
        }
    }
}

impl fmt::Display for ApplicationPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl Application {
    /// A minimal application: a cohort and an organization, and nothing else yet.
    pub fn new(cohort: CohortRef, name: impl Into<String>, kind: OrganizationKind) -> Self {
        Self {
            schema: None,
            cohort,
            organization: ApplicantOrganization {
                name: name.into(),
                kind,
                delivers_health_care: None,
                location: None,
                partner: None,
            },
            team: Vec::new(),
            letters: Vec::new(),
            data: DataReadiness::default(),
            qi_evidence: Vec::new(),
            commitments: BTreeSet::new(),
            parts: BTreeSet::new(),
            submitted: None,
            notes: None,
        }
    }

    /// Reads an application from JSON text.
    ///
    /// # Errors
    ///
    /// [`EligibilityError::Document`] naming the line, column and field at fault, or
    /// [`EligibilityError::Application`] for a value that cannot be used.
    ///
    /// # Examples
    ///
    /// ```
    /// use qic_eligibility::Application;
    ///
    /// let err = Application::from_json_str(
    ///     r#"{"cohort": "x/y", "organization": {"name": "A", "kind": "aco"}, "teem": []}"#,
    /// )
    /// .unwrap_err();
    /// assert!(err.to_string().contains("unknown field `teem`"));
    /// ```
    pub fn from_json_str(text: &str) -> Result<Self, EligibilityError> {
        Self::from_document(&Document::from_text(text, Format::Json, "application"))
    }

    /// Reads an application from TOML text.
    ///
    /// # Errors
    ///
    /// As [`Application::from_json_str`].
    pub fn from_toml_str(text: &str) -> Result<Self, EligibilityError> {
        Self::from_document(&Document::from_text(text, Format::Toml, "application"))
    }

    /// Reads an application file (`.toml` or `.json`).
    ///
    /// # Errors
    ///
    /// [`EligibilityError::Document`] when the file cannot be read, has another extension or
    /// does not parse (naming the file, line, column and field at fault), and
    /// [`EligibilityError::Application`] for a value that cannot be used.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, EligibilityError> {
        Self::from_document(&Document::read(path)?)
    }

    fn from_document(document: &Document) -> Result<Self, EligibilityError> {
        let app: Self = document.parse()?;
        if let Some((field, message)) = app.value_problem() {
            return Err(EligibilityError::Application {
                location: document.locate(&field),
                message,
            });
        }
        Ok(app)
    }

    /// Reads a readiness report (`qic equity readiness --format json`) from a `.json` (or
    /// `.toml`) file and attaches it as `data.report`, replacing any report already there.
    ///
    /// # Errors
    ///
    /// [`EligibilityError::Document`] when the file cannot be read or does not parse, naming the
    /// file, line, column and field at fault, and [`EligibilityError::Application`] for a
    /// share that is not from 0 to 1 or a dimension reported twice.
    pub fn attach_readiness_report(
        &mut self,
        path: impl AsRef<Path>,
    ) -> Result<(), EligibilityError> {
        let document = Document::read(path)?;
        let report: ReadinessReport = document.parse()?;
        if let Some((field, message)) = report_problem(&report) {
            return Err(EligibilityError::Application {
                location: document.locate(&field),
                message,
            });
        }
        self.data.report = Some(report);
        Ok(())
    }

    /// Checks what the types cannot: every share in an attached readiness report is a number
    /// from 0 to 1, and no dimension is reported twice. (The rules judge a bad share as
    /// unusable data, so judging never fails.)
    ///
    /// # Errors
    ///
    /// [`EligibilityError::Application`] naming the field at fault.
    pub fn check_values(&self, source_name: &str) -> Result<(), EligibilityError> {
        match self.value_problem() {
            Some((field, message)) => Err(EligibilityError::Application {
                location: Location::new(source_name).with_field(&field),
                message,
            }),
            None => Ok(()),
        }
    }

    /// The first value the types let through that cannot be used: the field's path and why.
    pub(crate) fn value_problem(&self) -> Option<(String, String)> {
        let report = self.data.report.as_ref()?;
        report_problem(report).map(|(field, message)| (format!("data.report.{field}"), message))
    }

    /// The core team as a `qic_program::Team`, named after the organization, with stable
    /// name-based ids (the same application always gives the same ids).
    ///
    /// ```
    /// use qic_eligibility::{Application, ApplicantMember, CohortRef};
    /// use qic_program::{OrganizationKind, Role};
    ///
    /// let mut app = Application::new(CohortRef::new("pe/ac")?, "Riverside", OrganizationKind::HealthSystem);
    /// app.team.push(ApplicantMember::new("A. Rivera").with_role(Role::DataLead));
    /// let team = app.to_team();
    /// assert_eq!(team.members.len(), 1);
    /// assert!(team.has_role(Role::DataLead));
    /// assert_eq!(team.id, app.to_team().id);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_team(&self) -> Team {
        let org = &self.organization;
        let mut organization = Organization::new(org.name.clone(), org.kind);
        organization.location.clone_from(&org.location);
        let mut team = Team::new(org.name.clone(), organization);
        team.partner = org
            .partner
            .as_ref()
            .map(|p| Organization::new(p.name.clone(), p.kind));
        let id = team.id;
        team.members = self.team.iter().map(|m| m.to_member(id)).collect();
        team
    }
}

/// The first share outside 0 to 1, or dimension listed twice, in a readiness report: the
/// field's path within the report and why.
fn report_problem(report: &ReadinessReport) -> Option<(String, String)> {
    for (i, d) in report.dimensions.iter().enumerate() {
        if let Some(first) = report
            .dimensions
            .get(..i)
            .and_then(|before| before.iter().position(|b| b.dimension == d.dimension))
        {
            return Some((
                format!("dimensions[{i}].dimension"),
                format!(
                    "the dimension {} is reported twice (first as dimensions[{first}]); a report has one entry per dimension",
                    d.dimension
                ),
            ));
        }
        let s = &d.shares;
        for (name, share) in [
            ("usable", s.usable),
            ("declined", s.declined),
            ("unknown", s.unknown),
            ("missing", s.missing),
            ("unmapped", s.unmapped),
        ] {
            if share.is_some_and(|x| !(0.0..=1.0).contains(&x)) {
                return Some((
                    format!("dimensions[{i}].shares.{name}"),
                    "not a share from 0 to 1".to_owned(),
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{"cohort": "pe/ac", "organization": {"name": "A", "kind": "aco"}}"#;

    #[test]
    fn a_minimal_application_reads_with_defaults() {
        let app = Application::from_json_str(MINIMAL).unwrap();
        assert!(app.team.is_empty() && app.letters.is_empty() && app.parts.is_empty());
        assert_eq!(app.submitted, None);
        assert_eq!(app.data, DataReadiness::default());
    }

    #[test]
    fn errors_name_line_column_and_field() {
        let text = "{\n  \"cohort\": \"pe/ac\",\n  \"organization\": {\"name\": \"A\", \"kind\": \"hospital\"}\n}";
        let err = Application::from_json_str(text).unwrap_err().to_string();
        assert!(err.starts_with("application:3:"), "{err}");
        assert!(err.contains("unknown variant `hospital`"), "{err}");

        let err = Application::from_toml_str("cohort = \"pe/ac\"\n[organization]\nname = \"A\"\nkind = \"aco\"\n[data.real]\navailable = true\nshare_complete = 1.5\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("application:7:"), "{err}");
        assert!(err.contains("from 0 to 1"), "{err}");
    }

    #[test]
    fn delivering_care_defaults_to_the_kind() {
        let mut app = Application::from_json_str(MINIMAL).unwrap();
        assert!(app.organization.delivers_health_care());
        app.organization.kind = OrganizationKind::PublicHealthAgency;
        assert!(!app.organization.delivers_health_care());
        app.organization.delivers_health_care = Some(true);
        assert!(app.organization.delivers_health_care());
    }

    #[test]
    fn an_application_round_trips_through_json_and_toml() {
        let mut app = Application::from_json_str(MINIMAL).unwrap();
        app.team
            .push(ApplicantMember::new("B").with_role(Role::PatientPartner));
        app.letters.push(Letter {
            signatory: Signatory::BoardChair,
            name: None,
            signed: NaiveDate::from_ymd_opt(2022, 10, 1).unwrap(),
        });
        app.data.sogi = Some(DeclaredReadiness {
            available: true,
            share_complete: Some(Share::new(0.4).unwrap()),
        });
        app.submitted = NaiveDate::from_ymd_opt(2022, 10, 20);
        let json = serde_json::to_string(&app).unwrap();
        assert_eq!(Application::from_json_str(&json).unwrap(), app);
        let toml = toml::to_string(&app).unwrap();
        assert_eq!(Application::from_toml_str(&toml).unwrap(), app);
    }

    #[test]
    fn to_team_keeps_members_and_partner() {
        let mut app = Application::from_json_str(MINIMAL).unwrap();
        app.organization.partner = Some(PartnerOrganization {
            name: "Mercy".into(),
            kind: OrganizationKind::CommunityHospital,
            delivers_health_care: None,
        });
        app.team
            .push(ApplicantMember::new("C").with_lens(Lens::Clinical));
        let team = app.to_team();
        assert_eq!(team.partner.unwrap().name, "Mercy");
        assert!(team.members[0].has_lens(Lens::Clinical));
    }
}

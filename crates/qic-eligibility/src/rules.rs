//! Rule sets: which applications a cohort admits, kept as data (TOML or JSON).
//!
//! A [`RuleSet`] names the cohort it admits, the cohort it offers instead when an application
//! falls short only on rules marked [`Severity::Redirect`], and its [`Rule`]s. Each rule is one
//! typed [`Check`] with the parameters a sponsor would change, a stable id, a severity and a
//! citation (where the rule comes from). There is no expression language on purpose: every rule
//! is a sentence a program manager can read, test and explain.
//!
//! In a file, a rule is a table whose `rule` key names its kind:
//!
//! ```toml
//! [[rules]]
//! rule = "team.size"
//! severity = "required"
//! citation = "Pursuing Equity FAQ"
//! quote = "having a committed core team of 3-7 people is fundamental to success"
//! min = 3
//! max = 7
//! ```
//!
//! An unknown kind, a misspelt or missing parameter, or a parameter out of range is an error
//! that names the rule (its position and kind) and the parameter.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use qic_program::{Lens, OrganizationKind};
use serde::{Deserialize, Deserializer, Serialize};

use crate::application::{ApplicationPart, Commitment, Signatory};
use crate::{CohortRef, EligibilityError, Share};
use qic_io::{Document, Format, Location};
use qic_program::serde_date;

/// How much a rule weighs in the [`Outcome`](crate::Outcome).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The application must meet it. Failing it makes the application not eligible, or
    /// incomplete where what is missing can still be sent before the deadline.
    Required,
    /// Failing it (and no required rule) offers the applicant the rule set's other cohort
    /// instead, with feedback.
    Redirect,
    /// Advice: failing it gives a warning and does not change the outcome.
    Recommended,
}

impl Severity {
    /// A human label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::Redirect => "redirect",
            Self::Recommended => "recommended",
        }
    }
}

/// One rule of a rule set: a check with its parameters, id, severity and citation.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// What the rule checks, with its parameters (written as `rule = "..."` plus the
    /// parameters).
    pub check: Check,
    /// The rule's stable id in findings. Defaults to the check's kind (e.g. `team.size`); give
    /// one when a rule set uses a kind twice (e.g. required and recommended commitments).
    pub id: String,
    /// How much the rule weighs.
    pub severity: Severity,
    /// Where the rule comes from (a program page, a request for applications, a sponsor's
    /// decision), short, so that every finding can carry it.
    pub citation: String,
    /// The words of the source the rule enforces, if it has them (shown with the rule set,
    /// not repeated in every finding).
    pub quote: Option<String>,
    /// The sponsor's explanation of a choice the source does not make (e.g. a threshold).
    pub note: Option<String>,
}

/// The written form of a rule: the check's kind and parameters, then the common keys.
#[derive(Serialize)]
struct RuleOut<'a> {
    #[serde(flatten)]
    check: &'a Check,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    severity: Severity,
    citation: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    quote: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        RuleOut {
            check: &self.check,
            id: (self.id != self.check.kind()).then_some(self.id.as_str()),
            severity: self.severity,
            citation: &self.citation,
            quote: self.quote.as_deref(),
            note: self.note.as_deref(),
        }
        .serialize(serializer)
    }
}

impl Rule {
    /// A rule whose id is its check's kind.
    pub fn new(check: Check, severity: Severity, citation: impl Into<String>) -> Self {
        Self {
            id: check.kind().to_owned(),
            check,
            severity,
            citation: citation.into(),
            quote: None,
            note: None,
        }
    }

    /// Reads a rule from its table, already parsed (the `rule`, `id`, `severity`, `citation`,
    /// `quote` and `note` keys plus the check's parameters).
    fn from_value(value: serde_json::Value) -> Result<Self, (String, String)> {
        let serde_json::Value::Object(mut map) = value else {
            return Err(("?".into(), "a rule is a table (an object) of keys".into()));
        };
        let kind = match map.get("rule") {
            Some(serde_json::Value::String(kind)) => kind.clone(),
            Some(_) => return Err(("?".into(), "`rule` is the rule's kind, a string".into())),
            None => {
                return Err((
                    "?".into(),
                    format!(
                        "missing field `rule` (the rule's kind, one of: {})",
                        Check::KINDS.join(", ")
                    ),
                ));
            }
        };
        let fail = |message: String| (kind.clone(), message);
        let take_string = |map: &mut serde_json::Map<String, serde_json::Value>,
                           key: &str|
         -> Result<Option<String>, (String, String)> {
            match map.remove(key) {
                None => Ok(None),
                Some(serde_json::Value::String(s)) => Ok(Some(s)),
                Some(_) => Err(fail(format!("`{key}` must be a string"))),
            }
        };
        let id = take_string(&mut map, "id")?;
        let citation = take_string(&mut map, "citation")?
            .ok_or_else(|| fail("missing field `citation` (where the rule comes from)".into()))?;
        let quote = take_string(&mut map, "quote")?;
        let note = take_string(&mut map, "note")?;
        let severity = match map.remove("severity") {
            None => {
                return Err(fail(
                    "missing field `severity` (required, redirect or recommended)".into(),
                ));
            }
            Some(v) => Severity::deserialize(v).map_err(|e| fail(format!("`severity`: {e}")))?,
        };
        let check =
            Check::deserialize(serde_json::Value::Object(map)).map_err(|e| fail(e.to_string()))?;
        let rule = Self {
            id: id.unwrap_or_else(|| check.kind().to_owned()),
            check,
            severity,
            citation,
            quote,
            note,
        };
        rule.validate().map_err(fail)?;
        Ok(rule)
    }

    fn validate(&self) -> Result<(), String> {
        if self.id.is_empty() || self.id.chars().any(char::is_whitespace) {
            return Err("`id` must be non-empty and without spaces".into());
        }
        if self.citation.trim().is_empty() {
            return Err("`citation` must say where the rule comes from".into());
        }
        self.check.validate()
    }

    /// The rule in words, e.g. "The core team has 3 to 7 people."
    pub fn describe(&self) -> String {
        self.check.describe()
    }
}

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        Self::from_value(value)
            .map_err(|(kind, message)| serde::de::Error::custom(format!("`{kind}`: {message}")))
    }
}

/// What a rule checks, with its parameters. The serde tag `rule` is the kind, e.g.
/// `"team.size"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule")]
#[non_exhaustive]
pub enum Check {
    /// `team.size`: the number of people on the core team.
    #[serde(rename = "team.size")]
    TeamSize(TeamSize),
    /// `team.clinical_member`: clinical members on the core team.
    #[serde(rename = "team.clinical_member")]
    ClinicalMember(ClinicalMember),
    /// `team.lenses`: the lenses the core team brings, over all members.
    #[serde(rename = "team.lenses")]
    TeamLenses(TeamLenses),
    /// `team.patient_partner`: patient partners with lived experience, and their pay.
    #[serde(rename = "team.patient_partner")]
    PatientPartner(PatientPartner),
    /// `letters.signatories`: who must sign a letter of commitment.
    #[serde(rename = "letters.signatories")]
    Signatories(Signatories),
    /// `data.real`: race, ethnicity and preferred language data.
    #[serde(rename = "data.real")]
    RealData(DataThreshold),
    /// `data.sogi`: sexual orientation and gender identity data.
    #[serde(rename = "data.sogi")]
    SogiData(DataThreshold),
    /// `organization.kind`: which organizations may apply, and the partner rule.
    #[serde(rename = "organization.kind")]
    OrganizationKind(OrganizationKinds),
    /// `qi.evidence`: earlier QI initiatives with measurable results.
    #[serde(rename = "qi.evidence")]
    QiEvidence(QiEvidence),
    /// `application.parts`: the parts of the application that must be sent.
    #[serde(rename = "application.parts")]
    Parts(Parts),
    /// `application.deadline`: the day by which the application must be sent.
    #[serde(rename = "application.deadline")]
    Deadline(Deadline),
    /// `application.cohort`: the application is for the cohort the rule set admits.
    #[serde(rename = "application.cohort")]
    Cohort(CohortMatch),
    /// `application.commitments`: what the organization must commit to.
    #[serde(rename = "application.commitments")]
    Commitments(Commitments),
}

/// Parameters of `team.size`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamSize {
    /// The fewest people on the core team.
    pub min: u32,
    /// The most people on the core team.
    pub max: u32,
}

/// Parameters of `team.clinical_member`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClinicalMember {
    /// The fewest core team members with a clinical lens (at least 1).
    pub min: u32,
}

/// Parameters of `team.lenses`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamLenses {
    /// The lenses some member of the core team must bring (at least one).
    pub expected: BTreeSet<Lens>,
}

/// Parameters of `team.patient_partner`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatientPartner {
    /// The fewest patient partners with lived experience on the core team (0 to check only
    /// their pay).
    pub min: u32,
    /// Whether every patient partner must be stated as paid for their time.
    pub compensated: bool,
}

/// Parameters of `letters.signatories`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signatories {
    /// Who must have signed a letter of commitment (at least one).
    pub required: BTreeSet<Signatory>,
}

/// Parameters of `data.real` and `data.sogi`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataThreshold {
    /// The smallest share of records (0 to 1) in which the data must be complete to be usable.
    pub min_share_complete: Share,
}

/// Parameters of `organization.kind`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationKinds {
    /// The kinds of organization that may apply; leave it out to allow any kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed: Option<BTreeSet<OrganizationKind>>,
    /// What happens to an organization that does not deliver health care.
    pub non_care_delivery: NonCareDelivery,
}

/// How `organization.kind` treats an organization that does not deliver health care.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NonCareDelivery {
    /// It may not apply: the program is for health care delivery organizations only.
    Refused,
    /// It may apply together with a partner health care organization, and not alone.
    WithCarePartner,
    /// It may apply like any other organization.
    Accepted,
}

/// Parameters of `qi.evidence`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QiEvidence {
    /// The fewest earlier QI initiatives with measurable results (at least 1).
    pub min_with_results: u32,
}

/// Parameters of `application.parts`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parts {
    /// The parts that must be sent (at least one).
    pub required: BTreeSet<ApplicationPart>,
}

/// Parameters of `application.deadline`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    /// The last day on which the application and its documents may be sent.
    #[serde(with = "serde_date")]
    pub deadline: NaiveDate,
}

/// Parameters of `application.cohort` (none).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CohortMatch {}

/// Parameters of `application.commitments`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commitments {
    /// What the organization must commit to (at least one).
    pub required: BTreeSet<Commitment>,
}

impl Check {
    /// Every kind of check, as written after `rule =`.
    pub const KINDS: [&'static str; 13] = [
        "team.size",
        "team.clinical_member",
        "team.lenses",
        "team.patient_partner",
        "letters.signatories",
        "data.real",
        "data.sogi",
        "organization.kind",
        "qi.evidence",
        "application.parts",
        "application.deadline",
        "application.cohort",
        "application.commitments",
    ];

    /// The check's kind, as written after `rule =` (e.g. `"team.size"`).
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::TeamSize(_) => "team.size",
            Self::ClinicalMember(_) => "team.clinical_member",
            Self::TeamLenses(_) => "team.lenses",
            Self::PatientPartner(_) => "team.patient_partner",
            Self::Signatories(_) => "letters.signatories",
            Self::RealData(_) => "data.real",
            Self::SogiData(_) => "data.sogi",
            Self::OrganizationKind(_) => "organization.kind",
            Self::QiEvidence(_) => "qi.evidence",
            Self::Parts(_) => "application.parts",
            Self::Deadline(_) => "application.deadline",
            Self::Cohort(_) => "application.cohort",
            Self::Commitments(_) => "application.commitments",
        }
    }

    /// Checks the parameters' ranges (the types already checked their shapes).
    fn validate(&self) -> Result<(), String> {
        match self {
            Self::TeamSize(p) if p.min > p.max => Err(format!(
                "`min` ({}) is greater than `max` ({})",
                p.min, p.max
            )),
            Self::TeamSize(p) if p.max == 0 => Err("`max` must be at least 1".into()),
            Self::ClinicalMember(ClinicalMember { min: 0 }) => {
                Err("`min` must be at least 1 (a rule that asks for none can never fail)".into())
            }
            Self::QiEvidence(QiEvidence {
                min_with_results: 0,
            }) => Err(
                "`min_with_results` must be at least 1 (a rule that asks for none can never fail)"
                    .into(),
            ),
            Self::TeamLenses(p) if p.expected.is_empty() => {
                Err("`expected` must list at least one lens".into())
            }
            Self::Signatories(p) if p.required.is_empty() => {
                Err("`required` must list at least one signatory".into())
            }
            Self::Parts(p) if p.required.is_empty() => {
                Err("`required` must list at least one part".into())
            }
            Self::Commitments(p) if p.required.is_empty() => {
                Err("`required` must list at least one commitment".into())
            }
            Self::OrganizationKind(OrganizationKinds {
                allowed: Some(allowed),
                ..
            }) if allowed.is_empty() => {
                Err("`allowed` must list at least one kind (leave it out to allow any kind)".into())
            }
            _ => Ok(()),
        }
    }

    /// What the check asks, in one sentence.
    pub fn describe(&self) -> String {
        match self {
            Self::TeamSize(p) if p.min == p.max => {
                format!("The core team has exactly {} {}.", p.min, people(p.min))
            }
            Self::TeamSize(p) => format!("The core team has {} to {} people.", p.min, p.max),
            Self::ClinicalMember(p) => format!(
                "At least {} core team {} clinical.",
                p.min,
                if p.min == 1 {
                    "member is"
                } else {
                    "members are"
                }
            ),
            Self::TeamLenses(p) => format!(
                "The core team brings a lens on {}.",
                join_and(p.expected.iter().map(|l| l.label()))
            ),
            Self::PatientPartner(p) => match (p.min, p.compensated) {
                (0, true) => {
                    "Every patient partner on the core team is compensated for their time."
                        .to_owned()
                }
                (0, false) => {
                    "Patient partners on the core team are welcome (never fails).".to_owned()
                }
                (n, true) => format!(
                    "The core team includes at least {n} patient {} with lived experience, compensated for their time.",
                    if n == 1 { "partner" } else { "partners" }
                ),
                (n, false) => format!(
                    "The core team includes at least {n} patient {} with lived experience.",
                    if n == 1 { "partner" } else { "partners" }
                ),
            },
            Self::Signatories(p) => format!(
                "Letters of commitment are signed by the {}.",
                join_and(p.required.iter().map(|s| s.label()))
            ),
            Self::RealData(p) => describe_data(
                "Race, ethnicity and preferred language (REAL) data",
                p.min_share_complete,
            ),
            Self::SogiData(p) => describe_data(
                "Sexual orientation and gender identity (SOGI) data",
                p.min_share_complete,
            ),
            Self::OrganizationKind(p) => {
                let mut text = match &p.allowed {
                    Some(allowed) => format!(
                        "The applicant is a {}.",
                        join_or(allowed.iter().map(|k| k.label()))
                    ),
                    None => "Any kind of organization may apply.".to_owned(),
                };
                text.push_str(match p.non_care_delivery {
                    NonCareDelivery::WithCarePartner => " An organization that does not deliver health care applies together with a partner health care organization.",
                    NonCareDelivery::Refused => " The applicant delivers health care.",
                    NonCareDelivery::Accepted => " It need not deliver health care.",
                });
                text
            }
            Self::QiEvidence(p) => format!(
                "The application describes at least {} earlier quality improvement {} with measurable results.",
                p.min_with_results,
                if p.min_with_results == 1 {
                    "initiative"
                } else {
                    "initiatives"
                }
            ),
            Self::Parts(p) => format!(
                "The application includes {}.",
                join_and(p.required.iter().map(|part| part.label()))
            ),
            Self::Deadline(p) => format!(
                "The application and its documents are sent by {}.",
                p.deadline
            ),
            Self::Cohort(_) => "The application is for the cohort this rule set admits.".to_owned(),
            Self::Commitments(p) => format!(
                "The organization commits {}.",
                join_and(p.required.iter().map(|c| c.label()))
            ),
        }
    }
}

fn shared(rules: &[Rule]) -> Vec<(Arc<str>, Arc<str>)> {
    rules
        .iter()
        .map(|r| (Arc::from(r.id.as_str()), Arc::from(r.citation.as_str())))
        .collect()
}

fn describe_data(what: &str, min: Share) -> String {
    if min.get() > 0.0 {
        format!("{what} are accessible and complete in at least {min} of records.")
    } else {
        format!("{what} are accessible, with the share of complete records stated.")
    }
}

fn people(n: u32) -> &'static str {
    if n == 1 { "person" } else { "people" }
}

/// "a", "a and b", "a, b, and c" (the serial comma keeps items that contain "and" apart).
pub(crate) fn join_and<'a>(items: impl Iterator<Item = &'a str>) -> String {
    join_with(items, "and")
}

/// "a", "a or b", "a, b, or c".
pub(crate) fn join_or<'a>(items: impl Iterator<Item = &'a str>) -> String {
    join_with(items, "or")
}

fn join_with<'a>(items: impl Iterator<Item = &'a str>, word: &str) -> String {
    let items: Vec<&str> = items.collect();
    match items.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [first, second] => format!("{first} {word} {second}"),
        [init @ .., last] => format!("{}, {word} {last}", init.join(", ")),
    }
}

/// The cohort a rule set offers instead, when an application fails only redirect rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfferInstead {
    /// The cohort's stable id.
    pub cohort: CohortRef,
    /// Its name in sentences, e.g. "the IHI Pursuing Equity Learning Network".
    pub name: String,
}

/// The fields of a rule set file, with rules kept as parsed tables until each is checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRuleSet {
    id: String,
    version: String,
    name: String,
    #[serde(default)]
    description: Option<String>,
    admits: CohortRef,
    #[serde(default)]
    offer_instead: Option<OfferInstead>,
    rules: Vec<serde_json::Value>,
}

/// A rule set: the rules an application to one cohort is judged by.
///
/// Build one from a preset ([`RuleSet::preset`]) or a file ([`RuleSet::from_toml_str`],
/// [`RuleSet::from_json_str`], [`RuleSet::from_file`]). The fields are private because a rule
/// set is checked as a whole when it is made (unique rule ids, a cohort to offer wherever a rule
/// redirects, at most one deadline), so that judging an application never fails.
///
/// ```
/// use qic_eligibility::RuleSet;
///
/// let rules = RuleSet::preset("pursuing-equity-action-community-2022")?;
/// assert_eq!(rules.admits().as_str(), "pursuing-equity-2022/action-community");
/// assert!(rules.rules().iter().any(|r| r.id == "team.size"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleSet {
    id: String,
    version: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    admits: CohortRef,
    #[serde(skip_serializing_if = "Option::is_none")]
    offer_instead: Option<OfferInstead>,
    rules: Vec<Rule>,
    /// Each rule's id and citation, shared by every finding instead of copied into it.
    #[serde(skip)]
    shared: Vec<(Arc<str>, Arc<str>)>,
}

impl RuleSet {
    /// Makes a rule set from its parts, checking that they fit together.
    ///
    /// # Errors
    ///
    /// [`EligibilityError::Rule`] for a rule with out-of-range parameters, and
    /// [`EligibilityError::RuleSet`] for two rules with one id, a redirect rule without
    /// `offer_instead`, a cohort offered instead that is the one admitted, or two deadlines.
    pub fn new(
        id: impl Into<String>,
        version: impl Into<String>,
        name: impl Into<String>,
        admits: CohortRef,
        offer_instead: Option<OfferInstead>,
        rules: Vec<Rule>,
    ) -> Result<Self, EligibilityError> {
        let id = id.into();
        let locate = |field: &str| Location::new(&id).with_field(field);
        for (index, rule) in rules.iter().enumerate() {
            rule.validate().map_err(|message| EligibilityError::Rule {
                location: Box::new(locate(&format!("rules[{index}]"))),
                rule: rule.check.kind().to_owned(),
                message,
            })?;
        }
        let set = Self {
            id: id.clone(),
            version: version.into(),
            name: name.into(),
            description: None,
            admits,
            offer_instead,
            shared: shared(&rules),
            rules,
        };
        set.check_whole(&locate)?;
        Ok(set)
    }

    /// Checks that the rules fit together; `locate` turns a field's path into a location.
    fn check_whole(&self, locate: &dyn Fn(&str) -> Location) -> Result<(), EligibilityError> {
        let fail = |field: &str, message: String| {
            Err(EligibilityError::RuleSet {
                location: locate(field),
                message,
            })
        };
        if self.id.trim().is_empty() {
            return fail("id", "`id` must not be empty".into());
        }
        if self.version.trim().is_empty() {
            return fail("version", "`version` must not be empty".into());
        }
        let mut ids = BTreeSet::new();
        for (index, rule) in self.rules.iter().enumerate() {
            if !ids.insert(rule.id.as_str()) {
                return fail(
                    &format!("rules[{index}]"),
                    format!(
                        "two rules have the id `{}`; give one of them its own `id`",
                        rule.id
                    ),
                );
            }
        }
        if self.offer_instead.is_none()
            && let Some(index) = self
                .rules
                .iter()
                .position(|r| r.severity == Severity::Redirect)
        {
            let id = self.rules.get(index).map_or("", |r| r.id.as_str());
            return fail(
                &format!("rules[{index}].severity"),
                format!(
                    "rule `{id}` is a redirect rule, but the rule set has no `offer_instead` cohort"
                ),
            );
        }
        if self
            .offer_instead
            .as_ref()
            .is_some_and(|o| o.cohort == self.admits)
        {
            return fail(
                "offer_instead.cohort",
                "`offer_instead.cohort` is the cohort the rule set admits".into(),
            );
        }
        let mut deadlines = self
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| matches!(r.check, Check::Deadline(_)));
        if let (Some(_), Some((second, _))) = (deadlines.next(), deadlines.next()) {
            return fail(
                &format!("rules[{second}]"),
                "a rule set has at most one `application.deadline` rule".into(),
            );
        }
        Ok(())
    }

    fn from_raw(
        raw: RawRuleSet,
        locate: &dyn Fn(&str) -> Location,
    ) -> Result<Self, EligibilityError> {
        let mut rules = Vec::with_capacity(raw.rules.len());
        for (index, value) in raw.rules.into_iter().enumerate() {
            let rule = Rule::from_value(value).map_err(|(rule, message)| {
                let field = format!("rules[{index}]");
                // A misspelt parameter is found on its own line; the path stays the rule's.
                let misspelt = message
                    .strip_prefix("unknown field `")
                    .and_then(|rest| rest.split_once('`'))
                    .map(|(name, _)| name);
                let mut location = match misspelt {
                    Some(name) => locate(&format!("{field}[\"{name}\"]")),
                    None => locate(&field),
                };
                location.field = locate(&field).field;
                EligibilityError::Rule {
                    location: Box::new(location),
                    rule,
                    message,
                }
            })?;
            rules.push(rule);
        }
        let set = Self {
            id: raw.id,
            version: raw.version,
            name: raw.name,
            description: raw.description,
            admits: raw.admits,
            offer_instead: raw.offer_instead,
            shared: shared(&rules),
            rules,
        };
        set.check_whole(locate)?;
        Ok(set)
    }

    /// Reads a rule set from TOML text.
    ///
    /// # Errors
    ///
    /// [`EligibilityError::Document`] (with line, column and field) for bad TOML or a misspelt
    /// top-level field, [`EligibilityError::Rule`] naming the rule and parameter at fault, and
    /// [`EligibilityError::RuleSet`] when the rules do not fit together.
    ///
    /// # Examples
    ///
    /// ```
    /// use qic_eligibility::RuleSet;
    ///
    /// let text = r#"
    ///     id = "demo"
    ///     version = "1"
    ///     name = "the demo cohort"
    ///     admits = "demo/cohort"
    ///
    ///     [[rules]]
    ///     rule = "team.size"
    ///     severity = "required"
    ///     citation = "sponsor's choice"
    ///     min = 3
    ///     maximum = 7
    /// "#;
    /// let err = RuleSet::from_toml_str(text).unwrap_err().to_string();
    /// assert!(err.contains("rules[0] (`team.size`): unknown field `maximum`"), "{err}");
    /// ```
    pub fn from_toml_str(text: &str) -> Result<Self, EligibilityError> {
        Self::from_toml_named(text, "rule set")
    }

    /// Reads a rule set from JSON text.
    ///
    /// # Errors
    ///
    /// As [`RuleSet::from_toml_str`].
    pub fn from_json_str(text: &str) -> Result<Self, EligibilityError> {
        Self::from_document(&Document::from_text(text, Format::Json, "rule set"))
    }

    /// Reads a rule set file (`.toml` or `.json`).
    ///
    /// # Errors
    ///
    /// [`EligibilityError::Document`] when the file cannot be read or has another extension,
    /// and otherwise as [`RuleSet::from_toml_str`], naming the file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, EligibilityError> {
        Self::from_document(&Document::read(path)?)
    }

    pub(crate) fn from_toml_named(text: &str, source_name: &str) -> Result<Self, EligibilityError> {
        Self::from_document(&Document::from_text(text, Format::Toml, source_name))
    }

    fn from_document(document: &Document) -> Result<Self, EligibilityError> {
        let raw: RawRuleSet = document.parse()?;
        Self::from_raw(raw, &|field| document.locate(field))
    }

    /// The rule set as TOML, in the form [`RuleSet::from_toml_str`] reads.
    pub fn to_toml(&self) -> String {
        // Plain data with string keys always serializes.
        toml::to_string(self).unwrap_or_default()
    }

    /// The rule set's stable id, e.g. `pursuing-equity-action-community-2022`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Its version (change it whenever a rule changes, so decisions can be traced).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The name of the cohort it admits, as used in sentences.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A longer description, if any.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The cohort it admits.
    pub fn admits(&self) -> &CohortRef {
        &self.admits
    }

    /// The cohort it offers instead when an application fails only redirect rules.
    pub fn offer_instead(&self) -> Option<&OfferInstead> {
        self.offer_instead.as_ref()
    }

    /// Its rules, in order (findings come in the same order).
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Each rule with its shared id and citation.
    pub(crate) fn rules_shared(&self) -> impl Iterator<Item = (&Rule, &(Arc<str>, Arc<str>))> {
        self.rules.iter().zip(&self.shared)
    }

    /// The deadline of its `application.deadline` rule, if it has one.
    pub fn deadline(&self) -> Option<NaiveDate> {
        self.rules.iter().find_map(|r| match &r.check {
            Check::Deadline(d) => Some(d.deadline),
            _ => None,
        })
    }

    /// The rule set in words, for a program manager: what it admits, and each rule with its
    /// severity and source.
    ///
    /// ```
    /// use qic_eligibility::RuleSet;
    ///
    /// let text = RuleSet::preset("pursuing-equity-action-community-2022")?.describe();
    /// assert!(text.contains("The core team has 3 to 7 people."));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn describe(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{} (version {})", self.id, self.version);
        let _ = writeln!(out, "Admits {} ({}).", self.name, self.admits);
        if let Some(description) = &self.description {
            let _ = writeln!(out, "{}", description.trim());
        }
        match &self.offer_instead {
            Some(offer) => {
                let _ = writeln!(
                    out,
                    "When an application falls short only on redirect rules, it is offered {} ({}) instead.",
                    offer.name, offer.cohort
                );
            }
            None => {
                let _ = writeln!(out, "It offers no other cohort.");
            }
        }
        let _ = writeln!(out);
        for (i, rule) in self.rules.iter().enumerate() {
            let _ = writeln!(
                out,
                "{:>2}. {} ({}): {}",
                i + 1,
                rule.id,
                rule.severity.label(),
                rule.describe()
            );
            let _ = writeln!(out, "    Source: {}", rule.citation.trim());
            if let Some(quote) = &rule.quote {
                let _ = writeln!(out, "    Quote: {}", quote.trim());
            }
            if let Some(note) = &rule.note {
                let _ = writeln!(out, "    Note: {}", note.trim());
            }
        }
        out
    }
}

impl<'de> Deserialize<'de> for RuleSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawRuleSet::deserialize(deserializer)?;
        let id = raw.id.clone();
        Self::from_raw(raw, &|field| Location::new(&id).with_field(field))
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str =
        "id = \"t\"\nversion = \"1\"\nname = \"the test cohort\"\nadmits = \"t/a\"\n";

    fn load(rules: &str) -> Result<RuleSet, EligibilityError> {
        RuleSet::from_toml_str(&format!("{HEAD}{rules}"))
    }

    #[test]
    fn unknown_kinds_and_parameters_name_the_rule_and_field() {
        let err =
            load("[[rules]]\nrule = \"team.sise\"\nseverity = \"required\"\ncitation = \"x\"\n")
                .unwrap_err()
                .to_string();
        assert!(
            err.contains("rules[0] (`team.sise`): unknown variant `team.sise`"),
            "{err}"
        );

        let err = load("[[rules]]\nrule = \"data.sogi\"\nseverity = \"redirect\"\ncitation = \"x\"\nmin_share = 0.5\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("(`data.sogi`): unknown field `min_share`"),
            "{err}"
        );
        // The misspelt parameter's own line (HEAD has 4 lines), the rule's path.
        assert!(
            err.starts_with("rule set:9:1: $.rules[0] (`data.sogi`)"),
            "{err}"
        );

        let err = load("[[rules]]\nrule = \"team.size\"\nseverity = \"must\"\ncitation = \"x\"\nmin = 3\nmax = 7\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("`severity`: unknown variant `must`"), "{err}");

        let err =
            load("[[rules]]\nrule = \"team.size\"\nseverity = \"required\"\nmin = 3\nmax = 7\n")
                .unwrap_err()
                .to_string();
        assert!(err.contains("missing field `citation`"), "{err}");

        let err = load("[[rules]]\nrule = \"team.size\"\nseverity = \"required\"\ncitation = \"x\"\nmin = 8\nmax = 7\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("`min` (8) is greater than `max` (7)"), "{err}");

        let err = load("[[rules]]\nrule = \"data.real\"\nseverity = \"required\"\ncitation = \"x\"\nmin_share_complete = 80\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("(`data.real`): a share is a number from 0 to 1"),
            "{err}"
        );

        let err = load("[[rules]]\nseverity = \"required\"\ncitation = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("rules[0] (`?`): missing field `rule`"),
            "{err}"
        );
    }

    #[test]
    fn top_level_faults_have_a_line() {
        let err = RuleSet::from_toml_str(
            "id = \"t\"\nversion = \"1\"\nname = \"n\"\nadmit = \"t/a\"\nrules = []\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("rule set:4:"), "{err}");
        assert!(err.contains("unknown field `admit`"), "{err}");
    }

    #[test]
    fn rule_sets_must_fit_together() {
        let rule = "[[rules]]\nrule = \"qi.evidence\"\nseverity = \"redirect\"\ncitation = \"x\"\nmin_with_results = 1\n";
        let err = load(rule).unwrap_err().to_string();
        assert!(err.contains("no `offer_instead` cohort"), "{err}");

        let twice = format!("{rule}{rule}");
        let err = RuleSet::from_toml_str(&format!(
            "{HEAD}[offer_instead]\ncohort = \"t/b\"\nname = \"the other\"\n{twice}"
        ))
        .unwrap_err()
        .to_string();
        assert!(err.contains("two rules have the id `qi.evidence`"), "{err}");

        let deadline = |id: &str| {
            format!(
                "[[rules]]\nrule = \"application.deadline\"\nid = \"{id}\"\nseverity = \"required\"\ncitation = \"x\"\ndeadline = 2022-10-21\n"
            )
        };
        let err = load(&format!("{}{}", deadline("a"), deadline("b")))
            .unwrap_err()
            .to_string();
        assert!(err.contains("at most one `application.deadline`"), "{err}");
        let one = load(&deadline("a")).unwrap();
        assert_eq!(one.deadline(), NaiveDate::from_ymd_opt(2022, 10, 21));
    }

    #[test]
    fn a_rule_set_round_trips_through_toml_and_json() {
        for name in crate::PRESETS {
            let set = RuleSet::preset(name).unwrap();
            let again = RuleSet::from_toml_str(&set.to_toml()).unwrap();
            assert_eq!(again, set, "{name} through TOML");
            let json = serde_json::to_string(&set).unwrap();
            assert_eq!(
                RuleSet::from_json_str(&json).unwrap(),
                set,
                "{name} through JSON"
            );
            assert_eq!(serde_json::from_str::<RuleSet>(&json).unwrap(), set);
        }
    }

    #[test]
    fn a_rule_set_built_in_code_is_checked_like_a_file() {
        let size = || {
            Rule::new(
                Check::TeamSize(TeamSize { min: 3, max: 7 }),
                Severity::Required,
                "c",
            )
        };
        let admits = CohortRef::new("t/a").unwrap();
        let set = RuleSet::new(
            "t",
            "1",
            "the test cohort",
            admits.clone(),
            None,
            vec![size()],
        )
        .unwrap();
        assert_eq!(set.rules()[0].id, "team.size");
        assert_eq!(RuleSet::from_toml_str(&set.to_toml()).unwrap(), set);

        let err = RuleSet::new("t", "1", "n", admits.clone(), None, vec![size(), size()])
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "t: $.rules[1]: two rules have the id `team.size`; give one of them its own `id`"
        );

        let bad = Rule::new(
            Check::TeamSize(TeamSize { min: 0, max: 0 }),
            Severity::Required,
            "c",
        );
        let err = RuleSet::new("t", "1", "n", admits, None, vec![bad])
            .unwrap_err()
            .to_string();
        assert_eq!(err, "t: $.rules[0] (`team.size`): `max` must be at least 1");
    }

    #[test]
    fn joins_read_as_english() {
        assert_eq!(join_and(["a"].into_iter()), "a");
        assert_eq!(join_and(["a", "b"].into_iter()), "a and b");
        assert_eq!(join_or(["a", "b", "c"].into_iter()), "a, b, or c");
    }
}

//! Applications to quality-improvement collaboratives, judged by rule sets kept as data, with
//! decisions that explain themselves.
//!
//! A sponsor writes who may join a cohort as a [`RuleSet`] (TOML or JSON: a team of 3 to 7, a
//! clinical member, letters from the CEO and the board chair, usable REAL and SOGI data, a
//! deadline...). An organization's [`Application`] is judged by it into a [`Decision`]: an
//! [`Outcome`] (eligible, offered another cohort, incomplete, not eligible), one [`Finding`] per
//! rule with a sentence for the applicant and the path of the field it rests on, and feedback.
//! Every rule is evaluated; the same input gives the same decision, byte for byte.
//!
//! ```
//! use chrono::NaiveDate;
//! use qic_eligibility::{Application, Outcome, RuleSet};
//!
//! let rules = RuleSet::preset("pursuing-equity-action-community-2022")?;
//! let application = Application::from_toml_str(r#"
//!     cohort = "pursuing-equity-2022/action-community"
//!     parts = ["online_application", "video_application"]
//!     commitments = ["attend_all_meetings", "share_learning_and_data", "contribute_to_dissemination"]
//!     submitted = 2022-10-14
//!
//!     [organization]
//!     name = "Lakeside Community Health"
//!     kind = "community_health_center"
//!
//!     [[team]]
//!     name = "R. Okafor"
//!     lenses = ["clinical", "patient_facing_care"]
//!     [[team]]
//!     name = "J. Alvarez"
//!     lenses = ["quality_improvement", "data"]
//!     [[team]]
//!     name = "M. Chen"
//!     lenses = ["equity"]
//!
//!     [[letters]]
//!     signatory = "ceo"
//!     signed = 2022-10-10
//!
//!     [data]
//!     real = { available = true, share_complete = 0.93 }
//!     sogi = { available = true, share_complete = 0.61 }
//!
//!     [[qi_evidence]]
//!     title = "Hypertension control"
//!     measurable_results = true
//! "#)?;
//!
//! // Before the deadline, the missing board chair letter can still be sent.
//! let decision = rules.evaluate(&application, NaiveDate::from_ymd_opt(2022, 10, 17).unwrap());
//! assert_eq!(decision.outcome, Outcome::Incomplete);
//! let letters = decision.finding("letters.signatories").unwrap();
//! assert_eq!(letters.path, "$.letters");
//! assert!(letters.message.contains("board chair is missing; send it by 2022-10-21"));
//!
//! // After it, it cannot.
//! let decision = rules.evaluate(&application, NaiveDate::from_ymd_opt(2022, 12, 5).unwrap());
//! assert_eq!(decision.outcome, Outcome::NotEligible);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! - [`application`]: the [`Application`] format (JSON or TOML, made to be filled in by hand;
//!   its JSON Schema is `docs/application.schema.json`).
//! - [`rules`]: [`RuleSet`], [`Rule`], the typed [`Check`]s and their parameters; loading with
//!   errors that name the rule and field at fault; [`RuleSet::describe`] in words.
//! - [`PRESETS`]: the built-in rule sets (Pursuing Equity Action Community and Learning Network
//!   2022, Improving Population Health 2020, and a plain Action Learning Collaborative to copy).
//! - [`decision`]: [`Decision`], [`Outcome`] and its precedence, [`Finding`], [`Status`].
//! - [`batch`]: streaming evaluation of JSON Lines with a [`batch::BatchSummary`].
//!
//! REAL and SOGI data readiness comes in two forms: declared by the applicant (available or not,
//! the share of records complete), or shown by the readiness report `qic-equity` computes from
//! an extract of their records (`qic_equity::readiness::ReadinessReport`, attached as
//! `data.report`). When there is a report, `data.real` (race, ethnicity or the OMB 2024 combined
//! question, and preferred language) and `data.sogi` (sexual orientation and gender identity)
//! judge each dimension's usable share in it. A share hidden by small-cell suppression counts
//! only when the report's own verdict is "ready" at a threshold at least as strict as the
//! rule's.
//!
//! # Seed requirements and their rules
//!
//! How the Pursuing Equity pages (the FAQ and the Action Community page) map to rules and
//! severities in the `pursuing-equity-action-community-2022` preset; each line has a test that
//! quotes the sentence (`tests/integration/seed_requirements.rs`).
//!
//! | Seed sentence | Rule | Severity |
//! | --- | --- | --- |
//! | "a committed core team of 3-7 people is fundamental to success"; "comprising 3 to 7 people" | `team.size` | required |
//! | "There should be at least one clinical team member on all calls." | `team.clinical_member` | required |
//! | "a lens on data, quality improvement, equity, and patient-facing care" ("We recommend") | `team.lenses` | recommended |
//! | "engaging people with lived experience ... Please plan to compensate those patients" | `team.patient_partner` | recommended |
//! | "A Letter of Commitment from your CEO and Board Chair" | `letters.signatories` | required (missing: incomplete) |
//! | "accessible and usable ... (REAL) and ... (SOGI) data" | `data.real`, `data.sogi` | redirect |
//! | "measurable results from previous QI initiatives" | `qi.evidence` | redirect |
//! | "designed specifically for health care delivery organizations ... partner with a local health care organization" | `organization.kind` | required |
//! | "share learning, challenges, and data"; "participation in all meetings"; "contribute to dissemination" | `application.commitments` | required (missing: incomplete) |
//! | "There are 3 parts to the Action Community Application" | `application.parts` | required (missing: incomplete) |
//! | "by October 21, 2022" | `application.deadline` | required |
//! | "either an invitation to join the Action Community or with feedback and an offer to join the Learning Network" | redirect rules and `offer_instead` | |
//!
//! The page makes REAL/SOGI data and QI capability conditions of the *Action Community*, and
//! sends teams that lack them to the Learning Network, whose purpose is to build them: so they
//! redirect. Team size, a clinical member and a care-delivery organization (or partner) apply to
//! both cohorts (the FAQ answers for the program), so they are required. Letters, parts and
//! commitments are things an applicant can still send, so lacking them before the deadline makes
//! an application incomplete, and after it, not eligible.
//!
//! # Examples
//!
//! A rule set from a sponsor's file, and a rule that is refused with the rule and field named:
//!
//! ```
//! use qic_eligibility::RuleSet;
//!
//! let text = r#"
//!     id = "county-diabetes-2025"
//!     version = "1"
//!     name = "the County Diabetes Collaborative"
//!     admits = "county-diabetes-2025"
//!
//!     [[rules]]
//!     rule = "team.size"
//!     severity = "required"
//!     citation = "Call for applications, section 2"
//!     min = 2
//!     max = 6
//! "#;
//! let rules = RuleSet::from_toml_str(text)?;
//! assert_eq!(rules.rules()[0].describe(), "The core team has 2 to 6 people.");
//!
//! let err = RuleSet::from_toml_str(&text.replace("max = 6", "max = 1")).unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "rule set:7:5: $.rules[0] (`team.size`): `min` (2) is greater than `max` (1)"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Crate features
//!
//! - **schema** (off by default): derives `schemars::JsonSchema` for the application format
//!   (turning on the `schema` features of `qic-program` and `qic-equity` for the vocabularies and
//!   the readiness report it contains) and adds [`application_schema`], the text of
//!   `docs/application.schema.json`.

pub mod application;
pub mod batch;
pub mod decision;
mod error;
mod evaluate;
mod presets;
pub mod rules;
#[cfg(feature = "schema")]
mod schema;
mod values;

pub use application::{
    ApplicantMember, ApplicantOrganization, Application, ApplicationPart, Commitment,
    DataReadiness, DeclaredReadiness, Letter, PartnerOrganization, QiInitiative, Signatory,
};
pub use decision::{Decision, Finding, Outcome, RuleSetRef, Status};
pub use error::EligibilityError;
pub use presets::{PRESETS, preset_source};
pub use rules::{Check, OfferInstead, Rule, RuleSet, Severity};
#[cfg(feature = "schema")]
pub use schema::application_schema;
pub use values::{CohortRef, Share};

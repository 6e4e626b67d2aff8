//! Judging an application by a rule set: each check, then the outcome.

use std::borrow::Cow;
use std::sync::Arc;

use chrono::NaiveDate;
use qic_equity::codes::Dimension;
use qic_equity::readiness::{ReadinessReport, ReadinessVerdict};
use qic_program::{Lens, Role};

use crate::application::{ApplicationPart, DeclaredReadiness};
use crate::decision::{Decision, Finding, Outcome, RuleSetRef, Status};
use crate::rules::{
    Check, ClinicalMember, Commitments, DataThreshold, NonCareDelivery, OrganizationKinds, Parts,
    PatientPartner, QiEvidence, Signatories, TeamLenses, TeamSize, join_and, join_or,
};
use crate::{Application, CohortRef, RuleSet, Severity, Share};

/// What a rule set knows that every check may need.
struct Context<'a> {
    as_of: NaiveDate,
    deadline: Option<NaiveDate>,
    program: &'a str,
    admits: &'a CohortRef,
}

/// Whether the application meets one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Met {
    Yes,
    No,
    /// Fails only for something that can still be sent before the deadline.
    Missing,
    NotApplicable,
}

/// A check's result before the rule's severity turns it into a finding.
struct Verdict {
    met: Met,
    message: String,
    path: &'static str,
}

impl Verdict {
    fn new(met: Met, message: String, path: &'static str) -> Self {
        Self { met, message, path }
    }
}

impl Context<'_> {
    /// A verdict for something missing: "send it by <deadline>" while it still can be sent,
    /// a plain failure once the deadline has passed.
    fn missing(&self, what: &str, send: &str, path: &'static str) -> Verdict {
        match self.deadline {
            Some(deadline) if self.as_of > deadline => Verdict::new(
                Met::No,
                format!("{what}, and the deadline of {deadline} has passed."),
                path,
            ),
            Some(deadline) => {
                Verdict::new(Met::Missing, format!("{what}; {send} by {deadline}."), path)
            }
            None => Verdict::new(
                Met::Missing,
                format!("{what}; {send} to complete the application."),
                path,
            ),
        }
    }
}

impl RuleSet {
    /// Judges an application as of a given day: one finding per rule, in the rule set's order,
    /// and the outcome they add up to (see [`Outcome`] for the precedence).
    ///
    /// The day matters: something missing before the deadline makes an application incomplete,
    /// and after it, not eligible. It is an argument, never the clock, so that the same
    /// application always gives the same decision.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use qic_eligibility::{Application, Outcome, RuleSet};
    ///
    /// let rules = RuleSet::preset("pursuing-equity-action-community-2022")?;
    /// let app = Application::from_toml_str(r#"
    ///     cohort = "pursuing-equity-2022/action-community"
    ///     [organization]
    ///     name = "Lakeside Community Health"
    ///     kind = "community_health_center"
    ///     [[team]]
    ///     name = "R. Okafor"
    ///     [[team]]
    ///     name = "J. Alvarez"
    /// "#)?;
    /// let decision = rules.evaluate(&app, NaiveDate::from_ymd_opt(2022, 10, 1).unwrap());
    /// assert_eq!(decision.outcome, Outcome::NotEligible);
    /// assert_eq!(decision.findings.len(), rules.rules().len());
    /// let size = decision.finding("team.size").unwrap();
    /// assert!(size.message.starts_with("Your core team has 2 people"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluate(&self, application: &Application, as_of: NaiveDate) -> Decision {
        let ctx = Context {
            as_of,
            deadline: self.deadline(),
            program: self.name(),
            admits: self.admits(),
        };
        let mut findings = Vec::with_capacity(self.rules().len());
        let mut outcome = Outcome::Eligible;
        for (rule, (id, citation)) in self.rules_shared() {
            let verdict = rule.check.evaluate(application, &ctx);
            let status = match verdict.met {
                Met::Yes => Status::Pass,
                Met::NotApplicable => Status::NotApplicable,
                Met::No | Met::Missing if rule.severity == Severity::Recommended => Status::Warn,
                Met::No | Met::Missing => Status::Fail,
            };
            let missing = verdict.met == Met::Missing;
            if status == Status::Fail {
                let this = match (rule.severity, missing) {
                    (_, true) => Outcome::Incomplete,
                    (Severity::Redirect, false) if self.offer_instead().is_some() => {
                        Outcome::OfferedOtherCohort
                    }
                    _ => Outcome::NotEligible,
                };
                outcome = outcome.max(this);
            }
            findings.push(Finding {
                rule: Arc::clone(id),
                severity: rule.severity,
                status,
                missing,
                message: verdict.message,
                path: Cow::Borrowed(verdict.path),
                citation: Arc::clone(citation),
            });
        }
        let offered_cohort = match (outcome, self.offer_instead()) {
            (Outcome::OfferedOtherCohort, Some(offer)) => Some(offer.cohort.clone()),
            _ => None,
        };
        let feedback = self.feedback(outcome, &findings);
        let mut warnings = Vec::new();
        if let Some(sent) = application.submitted
            && as_of < sent
        {
            warnings.push(format!(
                "judged as of {as_of}, before the application was sent on {sent} ($.submitted); judge it as of {sent} or later"
            ));
        }
        Decision {
            applicant: application.organization.name.clone(),
            cohort: application.cohort.clone(),
            ruleset: RuleSetRef {
                id: self.id().to_owned(),
                version: self.version().to_owned(),
            },
            as_of,
            outcome,
            offered_cohort,
            findings,
            feedback,
            warnings,
        }
    }

    /// A summary sentence for the outcome, then every failure, then every warning.
    fn feedback(&self, outcome: Outcome, findings: &[Finding]) -> Vec<String> {
        let program = self.name();
        let summary = match (outcome, self.offer_instead(), self.deadline()) {
            (Outcome::Eligible, ..) => {
                format!("Your application meets every requirement of {program}.")
            }
            (Outcome::OfferedOtherCohort, Some(offer), _) => format!(
                "Your application does not meet every requirement of {program}, and we would like to offer you a place in {} instead.",
                offer.name
            ),
            (Outcome::Incomplete, _, Some(deadline)) => format!(
                "Your application to {program} is incomplete: the missing items below can still be sent until {deadline}."
            ),
            (Outcome::Incomplete, _, None) => format!(
                "Your application to {program} is incomplete: send the missing items below to complete it."
            ),
            _ => format!("Your application is not eligible for {program}."),
        };
        let mut feedback = Vec::with_capacity(1 + findings.len());
        feedback.push(summary);
        feedback.extend(
            findings
                .iter()
                .filter(|f| f.status == Status::Fail)
                .map(|f| f.message.clone()),
        );
        // Recommended rules are advice, and say so, so that they are not read as reasons.
        feedback.extend(
            findings
                .iter()
                .filter(|f| f.status == Status::Warn)
                .map(|f| format!("Advice: {}", f.message)),
        );
        feedback
    }
}

impl Check {
    fn evaluate(&self, app: &Application, ctx: &Context<'_>) -> Verdict {
        match self {
            Self::TeamSize(p) => team_size(*p, app, ctx),
            Self::ClinicalMember(p) => clinical_member(*p, app, ctx),
            Self::TeamLenses(p) => team_lenses(p, app, ctx),
            Self::PatientPartner(p) => patient_partner(*p, app, ctx),
            Self::Signatories(p) => signatories(p, app, ctx),
            Self::RealData(p) => match &app.data.report {
                Some(report) => data_from_report(*p, report, DataGroup::Real, ctx),
                None => data(*p, app.data.real.as_ref(), DataGroup::Real, ctx),
            },
            Self::SogiData(p) => match &app.data.report {
                Some(report) => data_from_report(*p, report, DataGroup::Sogi, ctx),
                None => data(*p, app.data.sogi.as_ref(), DataGroup::Sogi, ctx),
            },
            Self::OrganizationKind(p) => organization(p, app, ctx),
            Self::QiEvidence(p) => qi_evidence(*p, app, ctx),
            Self::Parts(p) => parts(p, app, ctx),
            Self::Deadline(p) => deadline(p.deadline, app, ctx),
            Self::Cohort(_) => cohort(app, ctx),
            Self::Commitments(p) => commitments(p, app, ctx),
        }
    }
}

fn people(n: usize) -> &'static str {
    if n == 1 { "person" } else { "people" }
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// The first letter in upper case ("the video application" -> "The video application").
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn team_size(p: TeamSize, app: &Application, ctx: &Context<'_>) -> Verdict {
    let n = app.team.len();
    let range = if p.min == p.max {
        format!("exactly {}", p.min)
    } else {
        format!("{} to {}", p.min, p.max)
    };
    let within = u32::try_from(n).is_ok_and(|n| (p.min..=p.max).contains(&n));
    if within {
        Verdict::new(
            Met::Yes,
            format!(
                "Your core team has {n} {}, within the {range} that {} asks for.",
                people(n),
                ctx.program
            ),
            "$.team",
        )
    } else if n == 0 {
        Verdict::new(
            Met::No,
            format!(
                "Your application names no core team members; {} asks for a committed core team of {range} people.",
                ctx.program
            ),
            "$.team",
        )
    } else {
        Verdict::new(
            Met::No,
            format!(
                "Your core team has {n} {}; {} asks for a committed core team of {range} people.",
                people(n),
                ctx.program
            ),
            "$.team",
        )
    }
}

fn clinical_member(p: ClinicalMember, app: &Application, ctx: &Context<'_>) -> Verdict {
    let clinical = app
        .team
        .iter()
        .filter(|m| m.lenses.contains(&Lens::Clinical))
        .count();
    let min = p.min as usize;
    if clinical >= min {
        Verdict::new(
            Met::Yes,
            format!(
                "Your core team has {clinical} clinical {} (at least {min} needed).",
                plural(clinical, "member", "members")
            ),
            "$.team[*].lenses",
        )
    } else {
        let has = if clinical == 0 {
            "no clinical member".to_owned()
        } else {
            format!(
                "{clinical} clinical {}",
                plural(clinical, "member", "members")
            )
        };
        Verdict::new(
            Met::No,
            format!(
                "Your core team has {has}; {} asks for at least {min} clinical team {} on every call.",
                ctx.program,
                plural(min, "member", "members")
            ),
            "$.team[*].lenses",
        )
    }
}

fn team_lenses(p: &TeamLenses, app: &Application, ctx: &Context<'_>) -> Verdict {
    // A bit per lens: no set to allocate for every application.
    let covered = app
        .team
        .iter()
        .flat_map(|m| m.lenses.iter())
        .fold(0_u32, |bits, lens| bits | lens_bit(*lens));
    let lacking: Vec<&str> = p
        .expected
        .iter()
        .filter(|lens| covered & lens_bit(**lens) == 0)
        .map(|l| l.label())
        .collect();
    if lacking.is_empty() {
        Verdict::new(
            Met::Yes,
            format!(
                "Your core team brings every lens {} looks for: {}.",
                ctx.program,
                join_and(p.expected.iter().map(|l| l.label()))
            ),
            "$.team[*].lenses",
        )
    } else {
        Verdict::new(
            Met::No,
            format!(
                "No one on your core team brings a lens on {}; {} looks for a team with a lens on {}.",
                join_or(lacking.into_iter()),
                ctx.program,
                join_and(p.expected.iter().map(|l| l.label()))
            ),
            "$.team[*].lenses",
        )
    }
}

fn lens_bit(lens: Lens) -> u32 {
    1 << (lens as u32)
}

fn patient_partner(p: PatientPartner, app: &Application, ctx: &Context<'_>) -> Verdict {
    let (count, unpaid) = app
        .team
        .iter()
        .filter(|m| m.roles.contains(&Role::PatientPartner))
        .fold((0, 0), |(count, unpaid), m| {
            (count + 1, unpaid + usize::from(m.compensated != Some(true)))
        });
    let pay = if p.compensated {
        " and to compensate them for their time"
    } else {
        ""
    };
    if count < p.min as usize {
        let has = if count == 0 {
            "does not include a patient partner with lived experience".to_owned()
        } else {
            format!(
                "includes {count} patient {} with lived experience",
                plural(count, "partner", "partners")
            )
        };
        return Verdict::new(
            Met::No,
            format!(
                "Your core team {has}; {} asks teams to engage at least {} {} with lived experience of inequities{pay}.",
                ctx.program,
                p.min,
                plural(p.min as usize, "person", "people")
            ),
            "$.team[*].roles",
        );
    }
    if count == 0 {
        return Verdict::new(
            Met::NotApplicable,
            "Your core team names no patient partner, so there is nothing to check here."
                .to_owned(),
            "$.team[*].roles",
        );
    }
    if p.compensated && unpaid > 0 {
        let who = if count == 1 {
            "Your patient partner is".to_owned()
        } else {
            format!(
                "{unpaid} of your {count} patient partners {}",
                plural(unpaid, "is", "are")
            )
        };
        return Verdict::new(
            Met::No,
            format!(
                "{who} not stated as compensated for their time; {} asks teams to compensate patient partners for their time.",
                ctx.program
            ),
            "$.team[*].compensated",
        );
    }
    Verdict::new(
        Met::Yes,
        format!(
            "Your core team includes {count} patient {} with lived experience{}.",
            plural(count, "partner", "partners"),
            if p.compensated {
                ", compensated for their time"
            } else {
                ""
            }
        ),
        "$.team[*].roles",
    )
}

fn signatories(p: &Signatories, app: &Application, ctx: &Context<'_>) -> Verdict {
    // A letter signed after the deadline was not sent in time, so it does not count.
    let in_time = |signed: NaiveDate| ctx.deadline.is_none_or(|deadline| signed <= deadline);
    // A bit per signatory: no set to allocate for every application.
    let signed = app
        .letters
        .iter()
        .filter(|l| in_time(l.signed))
        .fold(0_u32, |bits, l| bits | (1 << (l.signatory as u32)));
    let lacking: Vec<&str> = p
        .required
        .iter()
        .filter(|s| signed & (1 << (**s as u32)) == 0)
        .map(|s| s.label())
        .collect();
    if lacking.is_empty() {
        return Verdict::new(
            Met::Yes,
            format!(
                "{} from the {} {}.",
                plural(
                    p.required.len(),
                    "The letter of commitment",
                    "Letters of commitment"
                ),
                join_and(p.required.iter().map(|s| s.label())),
                plural(p.required.len(), "is in", "are in")
            ),
            "$.letters",
        );
    }
    let late_letter = match ctx.deadline {
        Some(deadline) if app.letters.iter().any(|l| !in_time(l.signed)) => {
            format!(" (a letter signed after the deadline of {deadline} does not count)")
        }
        _ => String::new(),
    };
    let what = format!(
        "{} from the {} {}{late_letter}",
        plural(
            lacking.len(),
            "The letter of commitment",
            "Letters of commitment"
        ),
        join_and(lacking.iter().copied()),
        plural(lacking.len(), "is missing", "are missing"),
    );
    ctx.missing(
        &what,
        plural(lacking.len(), "send it", "send them"),
        "$.letters",
    )
}

#[derive(Clone, Copy)]
enum DataGroup {
    Real,
    Sogi,
}

impl DataGroup {
    const fn long(self) -> &'static str {
        match self {
            Self::Real => "race, ethnicity and preferred language (REAL) data",
            Self::Sogi => "sexual orientation and gender identity (SOGI) data",
        }
    }

    const fn short(self) -> &'static str {
        match self {
            Self::Real => "REAL",
            Self::Sogi => "SOGI",
        }
    }

    const fn paths(self) -> [&'static str; 3] {
        match self {
            Self::Real => [
                "$.data.real",
                "$.data.real.available",
                "$.data.real.share_complete",
            ],
            Self::Sogi => [
                "$.data.sogi",
                "$.data.sogi.available",
                "$.data.sogi.share_complete",
            ],
        }
    }
}

fn data(
    p: DataThreshold,
    declared: Option<&DeclaredReadiness>,
    group: DataGroup,
    ctx: &Context<'_>,
) -> Verdict {
    let [section, available, share_path] = group.paths();
    let min = p.min_share_complete;
    let Some(declared) = declared else {
        return ctx.missing(
            &format!(
                "Your application does not say whether {} are available",
                group.long()
            ),
            "answer this",
            section,
        );
    };
    if !declared.available {
        return Verdict::new(
            Met::No,
            format!(
                "You report no accessible {}; {} asks for accessible, usable {} data to measure progress toward equity goals.",
                group.long(),
                ctx.program,
                group.short()
            ),
            available,
        );
    }
    let Some(share) = declared.share_complete else {
        return ctx.missing(
            &format!(
                "You report {} but not the share of records in which they are complete",
                group.long()
            ),
            "state it",
            share_path,
        );
    };
    if share < min {
        Verdict::new(
            Met::No,
            format!(
                "Your {} data are complete in {share} of records; {} asks for at least {min} to measure progress toward equity goals.",
                group.short(),
                ctx.program
            ),
            share_path,
        )
    } else if min.get() > 0.0 {
        Verdict::new(
            Met::Yes,
            format!(
                "Your {} data are complete in {share} of records (at least {min} needed).",
                group.short()
            ),
            share_path,
        )
    } else {
        Verdict::new(
            Met::Yes,
            format!(
                "Your {} data are available and complete in {share} of records.",
                group.short()
            ),
            share_path,
        )
    }
}

/// How one dimension of a readiness report fares against a rule's threshold.
enum DimensionResult {
    /// Usable in this share of records, at least the threshold.
    Usable(Share),
    /// The usable share is hidden by small-cell suppression, and the report's own verdict,
    /// against a threshold at least as strict as the rule's, is "ready".
    ReadyHidden,
    /// Usable in this share of records, below the threshold.
    Low(Share),
    /// Hidden by suppression, without a "ready" verdict at a threshold as strict as the rule's.
    Hidden,
    /// Not in the extract, or every value missing.
    NotCollected,
    /// The report's share is not a number from 0 to 1.
    Invalid,
}

fn judge_dimension(report: &ReadinessReport, dimension: Dimension, min: Share) -> DimensionResult {
    let Some(d) = report.dimension(dimension) else {
        return DimensionResult::NotCollected;
    };
    if d.verdict == ReadinessVerdict::NotCollected {
        return DimensionResult::NotCollected;
    }
    match d.shares.usable {
        Some(share) => match Share::new(share) {
            Ok(share) if share >= min => DimensionResult::Usable(share),
            Ok(share) => DimensionResult::Low(share),
            Err(_) => DimensionResult::Invalid,
        },
        // The verdict comes from exact counts: trust it when its threshold is at least ours.
        None if d.verdict == ReadinessVerdict::Ready
            && report.thresholds.min_usable_share >= min.get() =>
        {
            DimensionResult::ReadyHidden
        }
        None => DimensionResult::Hidden,
    }
}

/// The JSON path of a dimension's usable share in an attached report.
fn usable_path(dimension: Dimension) -> &'static str {
    match dimension {
        Dimension::Race => "$.data.report.dimensions[?(@.dimension=='race')].shares.usable",
        Dimension::Ethnicity => {
            "$.data.report.dimensions[?(@.dimension=='ethnicity')].shares.usable"
        }
        Dimension::RaceEthnicity => {
            "$.data.report.dimensions[?(@.dimension=='race_ethnicity')].shares.usable"
        }
        Dimension::PreferredLanguage => {
            "$.data.report.dimensions[?(@.dimension=='preferred_language')].shares.usable"
        }
        Dimension::InterpreterNeeded => {
            "$.data.report.dimensions[?(@.dimension=='interpreter_needed')].shares.usable"
        }
        Dimension::SexualOrientation => {
            "$.data.report.dimensions[?(@.dimension=='sexual_orientation')].shares.usable"
        }
        Dimension::GenderIdentity => {
            "$.data.report.dimensions[?(@.dimension=='gender_identity')].shares.usable"
        }
    }
}

/// A dimension in sentences: "race", "preferred language".
fn dimension_words(dimension: Dimension) -> &'static str {
    match dimension {
        Dimension::Race => "race",
        Dimension::Ethnicity => "ethnicity",
        Dimension::RaceEthnicity => "race and ethnicity",
        Dimension::PreferredLanguage => "preferred language",
        Dimension::InterpreterNeeded => "interpreter need",
        Dimension::SexualOrientation => "sexual orientation",
        Dimension::GenderIdentity => "gender identity",
    }
}

/// Judges REAL or SOGI data by the readiness report of an extract: every dimension of the group
/// must be usable in at least the rule's share of records. REAL is race, ethnicity and preferred
/// language; race and ethnicity may be the OMB 2024 combined question instead.
fn data_from_report(
    p: DataThreshold,
    report: &ReadinessReport,
    group: DataGroup,
    ctx: &Context<'_>,
) -> Verdict {
    let min = p.min_share_complete;
    let combined = report.verdict(Dimension::RaceEthnicity) != ReadinessVerdict::NotCollected;
    let dimensions: &[Dimension] = match group {
        DataGroup::Real if combined => &[Dimension::RaceEthnicity, Dimension::PreferredLanguage],
        DataGroup::Real => &[
            Dimension::Race,
            Dimension::Ethnicity,
            Dimension::PreferredLanguage,
        ],
        DataGroup::Sogi => &[Dimension::SexualOrientation, Dimension::GenderIdentity],
    };
    let mut good = Vec::with_capacity(dimensions.len());
    let mut bad = Vec::new();
    let mut path = "$.data.report";
    for &dimension in dimensions {
        let words = dimension_words(dimension);
        match judge_dimension(report, dimension, min) {
            DimensionResult::Usable(share) => good.push(format!("{words} {share}")),
            DimensionResult::ReadyHidden => good.push(format!(
                "{words} (share hidden by small-cell suppression; ready at the report's own threshold)"
            )),
            other => {
                if bad.is_empty() {
                    path = usable_path(dimension);
                }
                bad.push(match other {
                    DimensionResult::Low(share) => format!("{words} usable in {share} of records"),
                    DimensionResult::NotCollected => format!("{words} not collected"),
                    DimensionResult::Invalid => format!("{words} with a share that is not from 0 to 1"),
                    _ => format!(
                        "{words} with its usable share hidden by small-cell suppression and no ready verdict at a threshold of at least {min}"
                    ),
                });
            }
        }
    }
    if bad.is_empty() {
        Verdict::new(
            Met::Yes,
            format!(
                "Your readiness report shows {} data usable in at least {min} of records: {}.",
                group.short(),
                join_and(good.iter().map(String::as_str))
            ),
            dimensions
                .first()
                .map_or("$.data.report", |d| usable_path(*d)),
        )
    } else {
        Verdict::new(
            Met::No,
            format!(
                "Your readiness report shows {}; {} asks for {} usable in at least {min} of records to measure progress toward equity goals.",
                join_and(bad.iter().map(String::as_str)),
                ctx.program,
                group.long()
            ),
            path,
        )
    }
}

fn organization(p: &OrganizationKinds, app: &Application, ctx: &Context<'_>) -> Verdict {
    let org = &app.organization;
    if let Some(allowed) = &p.allowed
        && !allowed.contains(&org.kind)
    {
        return Verdict::new(
            Met::No,
            format!(
                "{} admits only these kinds of organization: {}; your application names a {}.",
                capitalized(ctx.program),
                join_or(allowed.iter().map(|k| k.label())),
                org.kind.label()
            ),
            "$.organization.kind",
        );
    }
    if org.delivers_health_care() {
        return Verdict::new(
            Met::Yes,
            format!(
                "Your organization, a {}, delivers health care.",
                org.kind.label()
            ),
            "$.organization.kind",
        );
    }
    if p.non_care_delivery == NonCareDelivery::Accepted {
        return Verdict::new(
            Met::Yes,
            format!(
                "Your organization, a {}, may apply without delivering health care.",
                org.kind.label()
            ),
            "$.organization.kind",
        );
    }
    if p.non_care_delivery == NonCareDelivery::Refused {
        return Verdict::new(
            Met::No,
            format!(
                "{} is for organizations that deliver health care, and your organization (a {}) does not.",
                capitalized(ctx.program),
                org.kind.label()
            ),
            "$.organization.delivers_health_care",
        );
    }
    match &org.partner {
        None => Verdict::new(
            Met::No,
            format!(
                "{} is for health care delivery organizations; your organization (a {}) does not deliver health care and names no partner health care organization to apply with.",
                capitalized(ctx.program),
                org.kind.label()
            ),
            "$.organization.partner",
        ),
        Some(partner) if !partner.delivers_health_care() => Verdict::new(
            Met::No,
            format!(
                "Your partner organization (a {}) does not deliver health care; {} asks an organization that does not deliver care to apply together with one that does.",
                partner.kind.label(),
                ctx.program
            ),
            "$.organization.partner",
        ),
        Some(partner) => Verdict::new(
            Met::Yes,
            format!(
                "Your organization does not deliver health care itself and applies together with a partner health care organization (a {}).",
                partner.kind.label()
            ),
            "$.organization.partner",
        ),
    }
}

fn qi_evidence(p: QiEvidence, app: &Application, ctx: &Context<'_>) -> Verdict {
    let total = app.qi_evidence.len();
    let with = app
        .qi_evidence
        .iter()
        .filter(|i| i.measurable_results)
        .count();
    let min = p.min_with_results as usize;
    if with >= min {
        return Verdict::new(
            Met::Yes,
            format!(
                "You describe {with} earlier quality improvement {} with measurable results.",
                plural(with, "initiative", "initiatives")
            ),
            "$.qi_evidence",
        );
    }
    let has = if total == 0 {
        "describes no earlier quality improvement initiative".to_owned()
    } else {
        format!(
            "describes {total} earlier quality improvement {}, {with} with measurable results",
            plural(total, "initiative", "initiatives")
        )
    };
    Verdict::new(
        Met::No,
        format!(
            "Your application {has}; {} looks for QI capability shown by measurable results from at least {min} earlier {}.",
            ctx.program,
            plural(min, "initiative", "initiatives")
        ),
        "$.qi_evidence",
    )
}

fn parts(p: &Parts, app: &Application, ctx: &Context<'_>) -> Verdict {
    let sent = |part: ApplicationPart| {
        app.parts.contains(&part)
            || (part == ApplicationPart::LetterOfCommitment && !app.letters.is_empty())
    };
    let lacking: Vec<&str> = p
        .required
        .iter()
        .filter(|part| !sent(**part))
        .map(|part| part.label())
        .collect();
    if lacking.is_empty() {
        return Verdict::new(
            Met::Yes,
            format!(
                "Every part of the application is in: {}.",
                join_and(p.required.iter().map(|part| part.label()))
            ),
            "$.parts",
        );
    }
    let what = format!(
        "{}{} {}",
        if app.parts.is_empty() {
            "Your application lists no parts (the field `parts` is missing or empty): "
        } else {
            ""
        },
        if app.parts.is_empty() {
            join_and(lacking.iter().copied())
        } else {
            capitalized(&join_and(lacking.iter().copied()))
        },
        plural(lacking.len(), "is missing", "are missing")
    );
    ctx.missing(
        &what,
        plural(lacking.len(), "send it", "send them"),
        "$.parts",
    )
}

fn deadline(deadline: NaiveDate, app: &Application, ctx: &Context<'_>) -> Verdict {
    match app.submitted {
        Some(sent) if sent <= deadline => Verdict::new(
            Met::Yes,
            format!("Sent on {sent}, on time for the deadline of {deadline}."),
            "$.submitted",
        ),
        Some(sent) => Verdict::new(
            Met::No,
            format!(
                "The application was sent on {sent}, after the deadline of {deadline}; it is late."
            ),
            "$.submitted",
        ),
        None if ctx.as_of <= deadline => Verdict::new(
            Met::Missing,
            format!("The application has not been sent yet; send it by {deadline}."),
            "$.submitted",
        ),
        None => Verdict::new(
            Met::No,
            format!("The application was not sent by the deadline of {deadline}."),
            "$.submitted",
        ),
    }
}

fn cohort(app: &Application, ctx: &Context<'_>) -> Verdict {
    if &app.cohort == ctx.admits {
        Verdict::new(
            Met::Yes,
            format!(
                "The application is for {}, the cohort {} admits.",
                app.cohort, ctx.program
            ),
            "$.cohort",
        )
    } else {
        Verdict::new(
            Met::No,
            format!(
                "The application is for {}, but these rules admit to {} ({}).",
                app.cohort, ctx.program, ctx.admits
            ),
            "$.cohort",
        )
    }
}

fn commitments(p: &Commitments, app: &Application, ctx: &Context<'_>) -> Verdict {
    if app.commitments.is_empty() && !p.required.is_empty() {
        return ctx.missing(
            &format!(
                "Your application has no commitments (the field `commitments` is missing or empty); {} asks every team to commit {}",
                ctx.program,
                join_and(p.required.iter().map(|c| c.label()))
            ),
            plural(p.required.len(), "add it", "add them"),
            "$.commitments",
        );
    }
    let lacking: Vec<&str> = p
        .required
        .iter()
        .filter(|c| !app.commitments.contains(c))
        .map(|c| c.label())
        .collect();
    if lacking.is_empty() {
        return Verdict::new(
            Met::Yes,
            format!(
                "You commit {}.",
                join_and(p.required.iter().map(|c| c.label()))
            ),
            "$.commitments",
        );
    }
    ctx.missing(
        &format!(
            "Your application does not yet commit {}, as {} asks of every team",
            join_and(lacking.iter().copied()),
            ctx.program
        ),
        plural(lacking.len(), "confirm it", "confirm them"),
        "$.commitments",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Commitment;
    use crate::application::{
        ApplicantMember, DeclaredReadiness, Letter, PartnerOrganization, QiInitiative, Signatory,
    };
    use crate::decision::Finding;
    use qic_program::OrganizationKind;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, m, d).unwrap()
    }

    /// A rule set of one rule (plus an optional deadline), with a redirect cohort.
    fn rules(rule: &str, deadline: Option<&str>) -> RuleSet {
        let deadline = deadline.map_or(String::new(), |d| {
            format!("[[rules]]\nrule = \"application.deadline\"\nseverity = \"required\"\ncitation = \"c\"\ndeadline = {d}\n")
        });
        RuleSet::from_toml_str(&format!(
            "id = \"t\"\nversion = \"1\"\nname = \"the test cohort\"\nadmits = \"t/a\"\n\
             [offer_instead]\ncohort = \"t/b\"\nname = \"the other cohort\"\n\
             [[rules]]\ncitation = \"c\"\n{rule}\n{deadline}"
        ))
        .unwrap()
    }

    fn app() -> Application {
        Application::new(
            CohortRef::new("t/a").unwrap(),
            "Test Org",
            OrganizationKind::CommunityHealthCenter,
        )
    }

    fn member(lenses: &[Lens]) -> ApplicantMember {
        let mut m = ApplicantMember::new("M");
        m.lenses = lenses.iter().copied().collect();
        m
    }

    fn first(rules: &RuleSet, app: &Application, as_of: NaiveDate) -> (Finding, Outcome) {
        let decision = rules.evaluate(app, as_of);
        (decision.findings[0].clone(), decision.outcome)
    }

    #[test]
    fn team_size_counts_the_core_team() {
        let r = rules(
            "rule = \"team.size\"\nseverity = \"required\"\nmin = 3\nmax = 7",
            None,
        );
        let mut a = app();
        for (n, status) in [
            (0, Status::Fail),
            (2, Status::Fail),
            (3, Status::Pass),
            (7, Status::Pass),
            (8, Status::Fail),
        ] {
            a.team = vec![member(&[]); n];
            let (f, _) = first(&r, &a, day(10, 1));
            assert_eq!(f.status, status, "{n} people: {}", f.message);
            assert_eq!(f.path, "$.team");
            assert!(!f.missing);
        }
        a.team = vec![member(&[]); 8];
        let (f, outcome) = first(&r, &a, day(10, 1));
        assert_eq!(
            f.message,
            "Your core team has 8 people; the test cohort asks for a committed core team of 3 to 7 people."
        );
        assert_eq!(outcome, Outcome::NotEligible);
    }

    #[test]
    fn clinical_member_needs_a_clinical_lens() {
        let r = rules(
            "rule = \"team.clinical_member\"\nseverity = \"required\"\nmin = 1",
            None,
        );
        let mut a = app();
        a.team = vec![member(&[Lens::PatientFacingCare]), member(&[Lens::Data])];
        let (f, _) = first(&r, &a, day(10, 1));
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.message
                .starts_with("Your core team has no clinical member"),
            "{}",
            f.message
        );
        a.team.push(member(&[Lens::Clinical]));
        assert_eq!(first(&r, &a, day(10, 1)).0.status, Status::Pass);
    }

    #[test]
    fn team_lenses_name_what_is_lacking() {
        let r = rules(
            "rule = \"team.lenses\"\nseverity = \"recommended\"\nexpected = [\"data\", \"equity\", \"quality_improvement\"]",
            None,
        );
        let mut a = app();
        a.team = vec![member(&[Lens::Data])];
        let (f, outcome) = first(&r, &a, day(10, 1));
        assert_eq!(f.status, Status::Warn);
        assert_eq!(
            outcome,
            Outcome::Eligible,
            "recommended rules never change the outcome"
        );
        assert!(
            f.message.starts_with(
                "No one on your core team brings a lens on quality improvement or equity;"
            ),
            "{}",
            f.message
        );
        a.team
            .push(member(&[Lens::Equity, Lens::QualityImprovement]));
        assert_eq!(first(&r, &a, day(10, 1)).0.status, Status::Pass);
    }

    #[test]
    fn patient_partners_must_be_there_and_paid() {
        let r = rules(
            "rule = \"team.patient_partner\"\nseverity = \"required\"\nmin = 1\ncompensated = true",
            None,
        );
        let mut a = app();
        a.team = vec![member(&[])];
        let (f, _) = first(&r, &a, day(10, 1));
        assert_eq!(
            (f.status, f.path.as_ref()),
            (Status::Fail, "$.team[*].roles")
        );
        let mut partner = ApplicantMember::new("P").with_role(Role::PatientPartner);
        a.team.push(partner.clone());
        let (f, _) = first(&r, &a, day(10, 1));
        assert_eq!(
            (f.status, f.path.as_ref()),
            (Status::Fail, "$.team[*].compensated")
        );
        assert!(
            f.message
                .starts_with("Your patient partner is not stated as compensated")
        );
        partner.compensated = Some(true);
        a.team[1] = partner;
        assert_eq!(first(&r, &a, day(10, 1)).0.status, Status::Pass);

        // With min = 0 the rule checks pay only, and does not apply to a team without partners.
        let r = rules(
            "rule = \"team.patient_partner\"\nseverity = \"required\"\nmin = 0\ncompensated = true",
            None,
        );
        a.team.truncate(1);
        assert_eq!(first(&r, &a, day(10, 1)).0.status, Status::NotApplicable);
    }

    #[test]
    fn letters_missing_before_the_deadline_make_it_incomplete() {
        let r = rules(
            "rule = \"letters.signatories\"\nseverity = \"required\"\nrequired = [\"ceo\", \"board_chair\"]",
            Some("2022-10-21"),
        );
        let mut a = app();
        a.submitted = Some(day(10, 14));
        a.letters.push(Letter {
            signatory: Signatory::Ceo,
            name: None,
            signed: day(10, 1),
        });
        let (f, outcome) = first(&r, &a, day(10, 17));
        assert_eq!((f.status, f.missing), (Status::Fail, true));
        assert_eq!(
            f.message,
            "The letter of commitment from the board chair is missing; send it by 2022-10-21."
        );
        assert_eq!(outcome, Outcome::Incomplete);

        let (f, outcome) = first(&r, &a, day(10, 22));
        assert_eq!((f.status, f.missing), (Status::Fail, false));
        assert!(
            f.message
                .ends_with("and the deadline of 2022-10-21 has passed.")
        );
        assert_eq!(outcome, Outcome::NotEligible);

        // A letter signed after the deadline was not sent in time.
        a.letters.push(Letter {
            signatory: Signatory::BoardChair,
            name: None,
            signed: day(10, 25),
        });
        let (f, _) = first(&r, &a, day(10, 26));
        assert!(
            f.message.contains("signed after the deadline"),
            "{}",
            f.message
        );
        a.letters[1].signed = day(10, 20);
        assert_eq!(first(&r, &a, day(10, 26)).0.status, Status::Pass);
    }

    #[test]
    fn two_missing_letters_read_as_plural() {
        let r = rules(
            "rule = \"letters.signatories\"\nseverity = \"required\"\nrequired = [\"ceo\", \"board_chair\"]",
            None,
        );
        let (f, _) = first(&r, &app(), day(10, 1));
        assert_eq!(
            f.message,
            "Letters of commitment from the CEO and board chair are missing; send them to complete the application."
        );
    }

    #[test]
    fn data_rules_judge_the_declared_readiness() {
        let r = rules(
            "rule = \"data.sogi\"\nseverity = \"redirect\"\nmin_share_complete = 0.5",
            None,
        );
        let mut a = app();
        let (f, outcome) = first(&r, &a, day(10, 1));
        assert_eq!(
            (f.status, f.missing, f.path.as_ref()),
            (Status::Fail, true, "$.data.sogi")
        );
        assert_eq!(
            outcome,
            Outcome::Incomplete,
            "an unanswered question can still be answered"
        );

        a.data.sogi = Some(DeclaredReadiness {
            available: false,
            share_complete: None,
        });
        let d = r.evaluate(&a, day(10, 1));
        assert_eq!(d.findings[0].path, "$.data.sogi.available");
        assert_eq!(d.outcome, Outcome::OfferedOtherCohort);
        assert_eq!(
            d.offered_cohort.as_ref().map(CohortRef::as_str),
            Some("t/b")
        );
        assert!(d.feedback[0].contains("offer you a place in the other cohort"));

        a.data.sogi = Some(DeclaredReadiness {
            available: true,
            share_complete: None,
        });
        let (f, _) = first(&r, &a, day(10, 1));
        assert_eq!(
            (f.missing, f.path.as_ref()),
            (true, "$.data.sogi.share_complete")
        );

        a.data.sogi = Some(DeclaredReadiness {
            available: true,
            share_complete: Some(Share::new(0.499).unwrap()),
        });
        let (f, _) = first(&r, &a, day(10, 1));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(
            f.message,
            "Your SOGI data are complete in 49.9% of records; the test cohort asks for at least 50% to measure progress toward equity goals."
        );
        a.data.sogi = Some(DeclaredReadiness {
            available: true,
            share_complete: Some(Share::new(0.5).unwrap()),
        });
        assert_eq!(first(&r, &a, day(10, 1)).0.status, Status::Pass);

        // data.real reads the REAL declaration, not the SOGI one.
        let r = rules(
            "rule = \"data.real\"\nseverity = \"required\"\nmin_share_complete = 0.8",
            None,
        );
        let (f, _) = first(&r, &a, day(10, 1));
        assert_eq!(f.path, "$.data.real");
    }

    /// A readiness report of `records` records: race, ethnicity and language complete in all,
    /// sexual orientation in the first `so_complete`, gender identity in none.
    fn report(records: usize, so_complete: usize) -> qic_equity::readiness::ReadinessReport {
        use qic_equity::mapping::{Mapping, MultipleRule};
        use qic_equity::readiness::{ReadinessCounts, ReadinessThresholds};
        use qic_equity::suppression::Suppression;
        let mapping = Mapping::standard();
        let mut counts = ReadinessCounts::new(
            [
                (Dimension::Race, "race"),
                (Dimension::Ethnicity, "ethnicity"),
                (Dimension::PreferredLanguage, "language"),
                (Dimension::SexualOrientation, "so"),
                (Dimension::GenderIdentity, "gi"),
            ],
            MultipleRule::Multiracial,
        )
        .unwrap();
        for i in 0..records {
            let so = if i < so_complete { "20430005" } else { "" };
            counts.add_record(&mapping, ["2106-3", "2186-5", "en", so, ""]);
        }
        counts
            .report(&ReadinessThresholds::default(), &Suppression::default())
            .unwrap()
    }

    #[test]
    fn data_rules_judge_an_attached_readiness_report() {
        let real = rules(
            "rule = \"data.real\"\nseverity = \"redirect\"\nmin_share_complete = 0.8",
            None,
        );
        let sogi = rules(
            "rule = \"data.sogi\"\nseverity = \"redirect\"\nmin_share_complete = 0.5",
            None,
        );
        let mut a = app();
        // The report wins over a declaration.
        a.data.sogi = Some(DeclaredReadiness {
            available: true,
            share_complete: Some(Share::new(0.9).unwrap()),
        });
        a.data.report = Some(report(200, 150));

        let (f, _) = first(&real, &a, day(10, 1));
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        assert_eq!(
            f.message,
            "Your readiness report shows REAL data usable in at least 80% of records: race 100%, ethnicity 100%, and preferred language 100%."
        );

        let (f, outcome) = first(&sogi, &a, day(10, 1));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(outcome, Outcome::OfferedOtherCohort);
        assert_eq!(
            f.message,
            "Your readiness report shows gender identity not collected; the test cohort asks for sexual orientation and gender identity (SOGI) data usable in at least 50% of records to measure progress toward equity goals."
        );
        assert_eq!(
            f.path,
            "$.data.report.dimensions[?(@.dimension=='gender_identity')].shares.usable"
        );

        // Below the threshold, with the share in words.
        a.data.report = Some(report(200, 60));
        let (f, _) = first(&sogi, &a, day(10, 1));
        assert!(
            f.message.starts_with("Your readiness report shows sexual orientation usable in 30% of records and gender identity not collected;"),
            "{}",
            f.message
        );
    }

    #[test]
    fn a_share_hidden_by_suppression_counts_only_with_a_strict_ready_verdict() {
        use qic_equity::readiness::ReadinessVerdict;
        let real = rules(
            "rule = \"data.real\"\nseverity = \"required\"\nmin_share_complete = 0.8",
            None,
        );
        let mut a = app();
        let mut r = report(200, 0);
        for d in &mut r.dimensions {
            d.shares.usable = None;
        }
        a.data.report = Some(r.clone());
        // Ready at the report's default 80% threshold, which is as strict as the rule's.
        let (f, _) = first(&real, &a, day(10, 1));
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        assert!(f.message.contains("share hidden by small-cell suppression"));

        // A laxer report threshold does not vouch for the rule's.
        r.thresholds.min_usable_share = 0.5;
        a.data.report = Some(r.clone());
        assert_eq!(first(&real, &a, day(10, 1)).0.status, Status::Fail);

        // Nor does a verdict other than ready.
        r.thresholds.min_usable_share = 0.9;
        r.dimensions[0].verdict = ReadinessVerdict::NotReady;
        a.data.report = Some(r);
        let (f, _) = first(&real, &a, day(10, 1));
        assert!(
            f.message.contains("race with its usable share hidden"),
            "{}",
            f.message
        );
    }

    #[test]
    fn a_report_with_the_combined_question_covers_race_and_ethnicity() {
        use qic_equity::mapping::{Mapping, MultipleRule};
        use qic_equity::readiness::{ReadinessCounts, ReadinessThresholds};
        use qic_equity::suppression::Suppression;
        let mapping = Mapping::standard();
        let mut counts = ReadinessCounts::new(
            [
                (Dimension::RaceEthnicity, "race_ethnicity"),
                (Dimension::PreferredLanguage, "language"),
            ],
            MultipleRule::Multiracial,
        )
        .unwrap();
        for _ in 0..100 {
            counts.add_record(&mapping, ["2106-3", "es"]);
        }
        let mut a = app();
        a.data.report = Some(
            counts
                .report(&ReadinessThresholds::default(), &Suppression::default())
                .unwrap(),
        );
        let real = rules(
            "rule = \"data.real\"\nseverity = \"required\"\nmin_share_complete = 0.8",
            None,
        );
        let (f, _) = first(&real, &a, day(10, 1));
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        assert!(
            f.message.contains("race and ethnicity 100%"),
            "{}",
            f.message
        );
    }

    #[test]
    fn a_report_share_outside_zero_to_one_is_refused_when_read_and_fails_when_built() {
        let mut a = app();
        let mut r = report(50, 50);
        r.dimensions[2].shares.usable = Some(1.5);
        a.data.report = Some(r);
        let json = serde_json::to_string(&a).unwrap();
        let err = Application::from_json_str(&json).unwrap_err().to_string();
        assert!(
            err.contains(": $.data.report.dimensions[2].shares.usable: not a share from 0 to 1"),
            "{err}"
        );
        let real = rules(
            "rule = \"data.real\"\nseverity = \"required\"\nmin_share_complete = 0.8",
            None,
        );
        let (f, _) = first(&real, &a, day(10, 1));
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.message
                .contains("preferred language with a share that is not from 0 to 1")
        );
    }

    #[test]
    fn organizations_that_do_not_deliver_care_need_a_care_partner() {
        let r = rules(
            "rule = \"organization.kind\"\nseverity = \"required\"\nnon_care_delivery = \"with_care_partner\"",
            None,
        );
        let mut a = app();
        assert_eq!(first(&r, &a, day(10, 1)).0.status, Status::Pass);
        a.organization.kind = OrganizationKind::CommunityPartnerOrganization;
        let (f, outcome) = first(&r, &a, day(10, 1));
        assert_eq!(
            (f.status, f.path.as_ref()),
            (Status::Fail, "$.organization.partner")
        );
        assert_eq!(outcome, Outcome::NotEligible);
        a.organization.partner = Some(PartnerOrganization {
            name: "Food bank".into(),
            kind: OrganizationKind::CommunityPartnerOrganization,
            delivers_health_care: None,
        });
        let (f, _) = first(&r, &a, day(10, 1));
        assert!(f.message.starts_with("Your partner organization (a community partner organization) does not deliver health care"));
        a.organization.partner = Some(PartnerOrganization {
            name: "Mercy".into(),
            kind: OrganizationKind::CommunityHospital,
            delivers_health_care: None,
        });
        assert_eq!(first(&r, &a, day(10, 1)).0.status, Status::Pass);
    }

    #[test]
    fn organization_kinds_can_be_limited_or_refused() {
        let r = rules(
            "rule = \"organization.kind\"\nseverity = \"required\"\nallowed = [\"aco\", \"community_hospital\"]\nnon_care_delivery = \"refused\"",
            None,
        );
        let mut a = app();
        let (f, _) = first(&r, &a, day(10, 1));
        assert_eq!(
            f.message,
            "The test cohort admits only these kinds of organization: accountable care organization or community hospital; your application names a community health center."
        );
        a.organization.kind = OrganizationKind::Aco;
        assert_eq!(first(&r, &a, day(10, 1)).0.status, Status::Pass);
        a.organization.delivers_health_care = Some(false);
        let (f, _) = first(&r, &a, day(10, 1));
        assert_eq!(
            (f.status, f.path.as_ref()),
            (Status::Fail, "$.organization.delivers_health_care")
        );

        let r = rules(
            "rule = \"organization.kind\"\nseverity = \"required\"\nnon_care_delivery = \"accepted\"",
            None,
        );
        a.organization.kind = OrganizationKind::PublicHealthAgency;
        a.organization.delivers_health_care = None;
        assert_eq!(first(&r, &a, day(10, 1)).0.status, Status::Pass);
    }

    #[test]
    fn qi_evidence_needs_measurable_results() {
        let r = rules(
            "rule = \"qi.evidence\"\nseverity = \"redirect\"\nmin_with_results = 1",
            None,
        );
        let mut a = app();
        let (f, outcome) = first(&r, &a, day(10, 1));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(outcome, Outcome::OfferedOtherCohort);
        a.qi_evidence.push(QiInitiative {
            title: "Flu shots".into(),
            year: None,
            measurable_results: false,
            summary: None,
        });
        let (f, _) = first(&r, &a, day(10, 1));
        assert!(
            f.message.contains(
                "describes 1 earlier quality improvement initiative, 0 with measurable results"
            ),
            "{}",
            f.message
        );
        a.qi_evidence[0].measurable_results = true;
        assert_eq!(first(&r, &a, day(10, 1)).0.status, Status::Pass);
    }

    #[test]
    fn parts_count_letters_as_the_letter_of_commitment() {
        let r = rules(
            "rule = \"application.parts\"\nseverity = \"required\"\nrequired = [\"online_application\", \"video_application\", \"letter_of_commitment\"]",
            Some("2022-10-21"),
        );
        let mut a = app();
        a.submitted = Some(day(10, 1));
        a.parts.insert(ApplicationPart::OnlineApplication);
        a.letters.push(Letter {
            signatory: Signatory::Ceo,
            name: None,
            signed: day(9, 1),
        });
        let (f, outcome) = first(&r, &a, day(10, 1));
        assert_eq!(
            f.message,
            "The video application is missing; send it by 2022-10-21."
        );
        assert_eq!((f.missing, outcome), (true, Outcome::Incomplete));
        a.parts.insert(ApplicationPart::VideoApplication);
        assert_eq!(first(&r, &a, day(10, 1)).0.status, Status::Pass);
    }

    #[test]
    fn the_deadline_tells_late_from_not_yet_sent() {
        let r = rules(
            "rule = \"application.deadline\"\nseverity = \"required\"\ndeadline = 2022-10-21",
            None,
        );
        let mut a = app();
        let (f, outcome) = first(&r, &a, day(10, 1));
        assert_eq!(
            (f.status, f.missing, outcome),
            (Status::Fail, true, Outcome::Incomplete)
        );
        let (f, outcome) = first(&r, &a, day(10, 22));
        assert_eq!((f.missing, outcome), (false, Outcome::NotEligible));
        assert_eq!(
            f.message,
            "The application was not sent by the deadline of 2022-10-21."
        );
        a.submitted = Some(day(10, 21));
        assert_eq!(first(&r, &a, day(12, 1)).0.status, Status::Pass);
        a.submitted = Some(day(10, 22));
        let (f, outcome) = first(&r, &a, day(10, 22));
        assert_eq!(
            f.message,
            "The application was sent on 2022-10-22, after the deadline of 2022-10-21; it is late."
        );
        assert_eq!(outcome, Outcome::NotEligible);
    }

    #[test]
    fn the_cohort_must_be_the_one_admitted() {
        let r = rules(
            "rule = \"application.cohort\"\nseverity = \"required\"",
            None,
        );
        let mut a = app();
        assert_eq!(first(&r, &a, day(10, 1)).0.status, Status::Pass);
        a.cohort = CohortRef::new("t/b").unwrap();
        let (f, _) = first(&r, &a, day(10, 1));
        assert_eq!(
            f.message,
            "The application is for t/b, but these rules admit to the test cohort (t/a)."
        );
    }

    #[test]
    fn an_application_without_commitments_or_parts_names_the_fields() {
        let rules = RuleSet::preset("pursuing-equity-action-community-2022").unwrap();
        let a = Application::from_json_str(
            r#"{"cohort": "pursuing-equity-2022/action-community", "organization": {"name": "A", "kind": "community_health_center"}}"#,
        )
        .unwrap();
        let decision = rules.evaluate(&a, day(10, 1));
        let commitments = decision.finding("application.commitments").unwrap();
        assert!(
            commitments.message.starts_with(
                "Your application has no commitments (the field `commitments` is missing or empty)"
            ),
            "{}",
            commitments.message
        );
        assert_eq!(commitments.path, "$.commitments");
        let parts = decision.finding("application.parts").unwrap();
        assert!(
            parts
                .message
                .starts_with("Your application lists no parts (the field `parts` is missing or empty): the online application"),
            "{}",
            parts.message
        );
    }

    #[test]
    fn judging_before_the_application_was_sent_says_so() {
        let rules = RuleSet::preset("action-learning-collaborative").unwrap();
        let mut a = app();
        a.submitted = Some(day(10, 14));
        let before = rules.evaluate(&a, day(10, 1));
        assert_eq!(
            before.warnings,
            [
                "judged as of 2022-10-01, before the application was sent on 2022-10-14 ($.submitted); judge it as of 2022-10-14 or later"
            ]
        );
        assert!(
            before
                .to_text()
                .contains("\nWarning: judged as of 2022-10-01, before")
        );
        let json = serde_json::to_string(&before).unwrap();
        assert!(json.contains("\"warnings\":["), "{json}");
        // On or after the day it was sent, nothing to say; the JSON has no `warnings` key.
        let after = rules.evaluate(&a, day(10, 14));
        assert!(after.warnings.is_empty());
        assert!(!serde_json::to_string(&after).unwrap().contains("warnings"));
    }

    #[test]
    fn commitments_can_still_be_confirmed() {
        let r = rules(
            "rule = \"application.commitments\"\nseverity = \"required\"\nrequired = [\"attend_all_meetings\", \"share_learning_and_data\"]",
            None,
        );
        let mut a = app();
        a.commitments.insert(Commitment::AttendAllMeetings);
        let (f, outcome) = first(&r, &a, day(10, 1));
        assert_eq!(outcome, Outcome::Incomplete);
        assert_eq!(
            f.message,
            "Your application does not yet commit to share learning, challenges and data, as the test cohort asks of every team; confirm it to complete the application."
        );
        a.commitments.insert(Commitment::ShareLearningAndData);
        assert_eq!(first(&r, &a, day(10, 1)).0.status, Status::Pass);
    }

    #[test]
    fn not_eligible_outranks_incomplete_which_outranks_a_redirect() {
        let r = RuleSet::from_toml_str(
            "id = \"t\"\nversion = \"1\"\nname = \"the test cohort\"\nadmits = \"t/a\"\n\
             [offer_instead]\ncohort = \"t/b\"\nname = \"the other cohort\"\n\
             [[rules]]\nrule = \"qi.evidence\"\nseverity = \"redirect\"\ncitation = \"c\"\nmin_with_results = 1\n\
             [[rules]]\nrule = \"application.parts\"\nseverity = \"required\"\ncitation = \"c\"\nrequired = [\"online_application\"]\n\
             [[rules]]\nrule = \"team.size\"\nseverity = \"required\"\ncitation = \"c\"\nmin = 1\nmax = 3\n",
        )
        .unwrap();
        let mut a = app();
        assert_eq!(r.evaluate(&a, day(10, 1)).outcome, Outcome::NotEligible);
        a.team.push(member(&[]));
        assert_eq!(r.evaluate(&a, day(10, 1)).outcome, Outcome::Incomplete);
        a.parts.insert(ApplicationPart::OnlineApplication);
        let d = r.evaluate(&a, day(10, 1));
        assert_eq!(d.outcome, Outcome::OfferedOtherCohort);
        assert_eq!(d.feedback.len(), 2, "{:?}", d.feedback);
        a.qi_evidence.push(QiInitiative {
            title: "x".into(),
            year: None,
            measurable_results: true,
            summary: None,
        });
        let d = r.evaluate(&a, day(10, 1));
        assert_eq!((d.outcome, d.offered_cohort), (Outcome::Eligible, None));
        assert_eq!(
            d.feedback,
            ["Your application meets every requirement of the test cohort."]
        );
    }
}

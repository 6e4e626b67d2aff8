//! The autumn 2022 applications to the Action Community, judged by the
//! `pursuing-equity-action-community-2022` rule set on the day decisions were due.
//!
//! Twelve organizations apply: the eight teams of [`super::profiles`], with complete
//! applications; three whose applications lack what the Action Community asks for (usable SOGI
//! data, usable REAL data, measurable results from earlier QI work), which the rules offer the
//! Learning Network instead; and a community coalition that applies without a health care
//! partner, which the program is not for. The decisions are computed, not assumed: the teams of
//! the Action Community are the applications the rules find eligible.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use qic_eligibility::batch::evaluate_jsonl;
use qic_eligibility::{
    ApplicantMember, Application, ApplicationPart, CohortRef, Commitment, Decision,
    DeclaredReadiness, Letter, QiInitiative, RuleSet, Share, Signatory,
};
use qic_program::{Lens, OrganizationKind, Role};

use super::Result;
use super::profiles::{Profile, TEAMS};

/// The rule set the applications are judged by.
pub const RULES: &str = "pursuing-equity-action-community-2022";

/// The cohort they apply for, as the rule set names it.
const ACTION_COMMUNITY: &str = "pursuing-equity-2022/action-community";

/// The roles and lenses of the five seats of a core team (see [`Profile::people`]).
const SEATS: [(&[Role], &[Lens]); 5] = [
    (
        &[Role::ExecutiveSponsor],
        &[Lens::Clinical, Lens::PatientFacingCare],
    ),
    (&[Role::DayToDayLead], &[Lens::QualityImprovement]),
    (&[Role::DataLead], &[Lens::Data]),
    (&[Role::Member], &[Lens::Equity, Lens::Community]),
    (&[Role::PatientPartner], &[Lens::LivedExperience]),
];

/// One application and what the rules decided.
pub struct Judged {
    /// The file name's stem under `applications/` (e.g. `01-summit-valley`).
    pub file: String,
    /// The application.
    pub application: Application,
    /// The rule set's decision.
    pub decision: Decision,
    /// The Action Community team this application is, if it is one of the eight.
    pub profile: Option<&'static Profile>,
}

/// An applicant that is not one of the eight teams, and what its application lacks.
struct Other {
    slug: &'static str,
    name: &'static str,
    kind: OrganizationKind,
    location: &'static str,
    people: [(&'static str, &'static str); 5],
    submitted: (u32, u32),
    real: Option<f64>,
    sogi: Option<f64>,
    earlier_qi: Option<(&'static str, i32, bool)>,
    notes: &'static str,
}

const OTHERS: [Other; 4] = [
    Other {
        slug: "maple-street",
        name: "Maple Street Health Center",
        kind: OrganizationKind::CommunityHealthCenter,
        location: "Dayton, OH",
        people: [
            ("Dr. Irene Walsh", "Chief Medical Officer"),
            ("Tom Becker", "Quality Manager"),
            ("Lena Fischer", "Data Analyst"),
            ("Andre Jackson", "Community Health Director"),
            ("Bernice Coleman", "Patient partner"),
        ],
        submitted: (10, 11),
        real: Some(0.91),
        // The EHR has no fields for sexual orientation or gender identity yet.
        sogi: None,
        earlier_qi: Some(("Childhood asthma action plans", 2021, true)),
        notes: "Project focus: asthma control for Black children.",
    },
    Other {
        slug: "old-mill",
        name: "Old Mill Rural Clinic",
        kind: OrganizationKind::RuralHealthCenter,
        location: "Old Mill, KY",
        people: [
            ("Dr. Ray Collins", "Physician Owner"),
            ("Martha Doyle", "Practice Manager"),
            ("Jesse Pruitt", "IT and Data Lead"),
            ("Carla Mendez", "Outreach Coordinator"),
            ("Wanda Hollis", "Patient partner"),
        ],
        submitted: (10, 19),
        // Race and ethnicity are recorded for little more than half of the patients.
        real: Some(0.57),
        sogi: Some(0.52),
        earlier_qi: Some(("Diabetic foot exams", 2020, true)),
        notes: "Project focus: diabetes control for Hispanic farmworkers.",
    },
    Other {
        slug: "granite-falls",
        name: "Granite Falls Regional Hospital",
        kind: OrganizationKind::CommunityHospital,
        location: "Granite Falls, NC",
        people: [
            ("Dr. Paul Osei", "Vice President, Medical Affairs"),
            ("Heather Lyons", "Performance Improvement Specialist"),
            ("Victor Cruz", "Clinical Data Analyst"),
            ("Simone Baptiste", "Equity Council Chair"),
            ("Earl Dawson", "Patient partner"),
        ],
        submitted: (10, 20),
        real: Some(0.89),
        sogi: Some(0.63),
        // A project, but no measure that moved.
        earlier_qi: Some(("Discharge teach-back training", 2022, false)),
        notes: "Project focus: hypertension follow-up after emergency visits.",
    },
    Other {
        slug: "cedar-street",
        name: "Cedar Street Community Alliance",
        kind: OrganizationKind::CommunityPartnerOrganization,
        location: "Gary, IN",
        people: [
            ("Pastor Denise Hall", "Executive Director"),
            ("Omar Said", "Program Manager"),
            ("Kim Nguyen", "Evaluation Lead"),
            ("Terrence Boyd", "Organizer"),
            ("Loretta Fields", "Community member"),
        ],
        submitted: (10, 21),
        real: Some(0.82),
        sogi: Some(0.55),
        earlier_qi: Some(("Food pantry access hours", 2021, true)),
        notes: "Project focus: blood pressure checks in churches. No clinic partner yet.",
    },
];

fn day(month: u32, day: u32) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(2022, month, day).ok_or_else(|| "bad date".into())
}

fn declared(share_complete: Option<f64>) -> Result<DeclaredReadiness> {
    Ok(DeclaredReadiness {
        available: share_complete.is_some(),
        share_complete: share_complete.map(Share::new).transpose()?,
    })
}

/// A complete application from an organization and its core team; the caller adds the data,
/// the earlier QI work and the notes.
fn application(
    name: &str,
    kind: OrganizationKind,
    location: &str,
    people: &[(&str, &str); 5],
    submitted: NaiveDate,
) -> Result<Application> {
    let mut app = Application::new(CohortRef::new(ACTION_COMMUNITY)?, name, kind);
    app.organization.location = Some(location.into());
    for ((person, title), (roles, lenses)) in people.iter().zip(SEATS) {
        let mut member = ApplicantMember::new(*person);
        member.title = Some((*title).into());
        member.roles = roles.iter().copied().collect();
        member.lenses = lenses.iter().copied().collect();
        if roles.contains(&Role::PatientPartner) {
            member.compensated = Some(true);
        }
        app.team.push(member);
    }
    let signed = submitted.pred_opt().unwrap_or(submitted);
    app.letters = vec![
        Letter {
            signatory: Signatory::Ceo,
            name: None,
            signed,
        },
        Letter {
            signatory: Signatory::BoardChair,
            name: None,
            signed,
        },
    ];
    app.commitments = Commitment::ALL.into_iter().collect::<BTreeSet<_>>();
    app.parts = [
        ApplicationPart::OnlineApplication,
        ApplicationPart::VideoApplication,
        ApplicationPart::LetterOfCommitment,
    ]
    .into_iter()
    .collect();
    app.submitted = Some(submitted);
    Ok(app)
}

pub(crate) fn team_application(profile: &Profile) -> Result<Application> {
    let facts = profile.applied;
    let mut app = application(
        profile.organization,
        profile.kind,
        profile.location,
        &profile.people,
        day(facts.submitted.0, facts.submitted.1)?,
    )?;
    app.data.real = Some(declared(Some(facts.real_complete))?);
    app.data.sogi = Some(declared(Some(facts.sogi_complete))?);
    let (title, year, summary) = facts.earlier_qi;
    app.qi_evidence = vec![QiInitiative {
        title: title.into(),
        year: Some(year),
        measurable_results: true,
        summary: Some(summary.into()),
    }];
    app.notes = Some(format!(
        "Project focus: blood pressure control for {}.",
        profile.focus.patients()
    ));
    Ok(app)
}

fn other_application(other: &Other) -> Result<Application> {
    let mut app = application(
        other.name,
        other.kind,
        other.location,
        &other.people,
        day(other.submitted.0, other.submitted.1)?,
    )?;
    app.data.real = Some(declared(other.real)?);
    app.data.sogi = Some(declared(other.sogi)?);
    app.qi_evidence = other
        .earlier_qi
        .iter()
        .map(|&(title, year, measurable_results)| QiInitiative {
            title: title.into(),
            year: Some(year),
            measurable_results,
            summary: None,
        })
        .collect();
    app.notes = Some(other.notes.into());
    Ok(app)
}

/// The twelve applications in the order they were sent, judged on `as_of`, with the batch
/// output `qic eligibility batch` writes for them (one JSON line per application, in order).
pub(crate) fn judge(as_of: NaiveDate) -> Result<(Vec<Judged>, Vec<u8>)> {
    let rules = RuleSet::preset(RULES)?;
    let mut sent: Vec<(NaiveDate, String, Application, Option<&'static Profile>)> = Vec::new();
    for profile in &TEAMS {
        let app = team_application(profile)?;
        let date = app.submitted.unwrap_or(as_of);
        sent.push((date, profile.folder.into(), app, Some(profile)));
    }
    for other in &OTHERS {
        let app = other_application(other)?;
        let date = app.submitted.unwrap_or(as_of);
        sent.push((date, other.slug.into(), app, None));
    }
    sent.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let mut lines = Vec::new();
    for (_, _, app, _) in &sent {
        serde_json::to_writer(&mut lines, app)?;
        lines.push(b'\n');
    }
    let mut batch = Vec::new();
    evaluate_jsonl(&rules, as_of, lines.as_slice(), &mut batch)?;
    let judged = sent
        .into_iter()
        .zip(1..)
        .map(|((_, slug, application, profile), number)| Judged {
            file: format!("{number:02}-{slug}"),
            decision: rules.evaluate(&application, as_of),
            application,
            profile,
        })
        .collect();
    Ok((judged, batch))
}

//! One test per requirement of the Pursuing Equity program pages (shared/seeds/003, the FAQ, and
//! shared/seeds/004, the Action Community page), each quoting the sentence it enforces. Each
//! also checks that the preset's rule cites that sentence.

use qic_eligibility::{
    ApplicantMember, ApplicationPart, CohortRef, Commitment, DeclaredReadiness, Outcome,
    PartnerOrganization, Share, Signatory, Status,
};
use qic_program::{Lens, OrganizationKind, Role};

use crate::common::{
    READINESS_REPORT_JSON, action_community, assert_cites, assert_outcome, complete,
    complete_for_learning_network, day, deadline_day, learning_network, status,
};

/// seeds/003: "having a committed core team of 3-7 people is fundamental to success in this
/// work." (an FAQ answer for the whole program, so both cohorts).
#[test]
fn faq_a_core_team_of_3_to_7_people() {
    const SENTENCE: &str = "having a committed core team of 3-7 people is fundamental to success";
    for (rules, app) in [
        (action_community(), complete()),
        (learning_network(), complete_for_learning_network()),
    ] {
        assert_cites(&rules, "team.size", SENTENCE);
        for (size, outcome) in [
            (2, Outcome::NotEligible),
            (3, Outcome::Eligible),
            (5, Outcome::Eligible),
            (7, Outcome::Eligible),
            (8, Outcome::NotEligible),
        ] {
            let mut app = app.clone();
            app.team
                .resize(size, ApplicantMember::new("Another colleague"));
            let decision = rules.evaluate(&app, deadline_day());
            assert_outcome(&decision, outcome);
        }
    }
}

/// seeds/003: "Can individuals apply? Can I apply as a 1-person team?" answered by the 3-7
/// sentence: a team of one is not eligible.
#[test]
fn faq_no_one_person_teams() {
    let mut app = complete();
    app.team.truncate(1);
    let decision = action_community().evaluate(&app, deadline_day());
    assert_outcome(&decision, Outcome::NotEligible);
    assert_eq!(
        decision.finding("team.size").unwrap().message,
        "Your core team has 1 person; the IHI Pursuing Equity Action Community asks for a committed core team of 3 to 7 people."
    );
}

/// seeds/004: "Teams should be multidisciplinary, comprising 3 to 7 people from your
/// organization".
#[test]
fn action_community_teams_of_3_to_7() {
    let rules = action_community();
    assert_cites(
        &rules,
        "team.size",
        "comprising 3 to 7 people from your organization",
    );
    let mut app = complete();
    app.team.truncate(2);
    assert_outcome(&rules.evaluate(&app, deadline_day()), Outcome::NotEligible);
}

/// seeds/003: "There should be at least one clinical team member on all calls."
#[test]
fn faq_a_clinical_member_on_all_calls() {
    const SENTENCE: &str = "There should be at least one clinical team member on all calls.";
    for (rules, mut app) in [
        (action_community(), complete()),
        (learning_network(), complete_for_learning_network()),
    ] {
        assert_cites(&rules, "team.clinical_member", SENTENCE);
        for member in &mut app.team {
            member.lenses.remove(&Lens::Clinical);
        }
        let decision = rules.evaluate(&app, deadline_day());
        assert_eq!(status(&decision, "team.clinical_member"), Status::Fail);
        assert_outcome(&decision, Outcome::NotEligible);
    }
}

/// seeds/004: "We recommend that your team composition includes a lens on quality improvement,
/// equity, and patient-facing care." A recommendation: a warning, still eligible.
#[test]
fn action_community_recommends_lenses() {
    let rules = action_community();
    assert_cites(
        &rules,
        "team.lenses",
        "We recommend that your team composition includes a lens on quality improvement, equity, and patient-facing care.",
    );
    let mut app = complete();
    for member in &mut app.team {
        member.lenses.remove(&Lens::Equity);
    }
    let decision = rules.evaluate(&app, deadline_day());
    assert_eq!(status(&decision, "team.lenses"), Status::Warn);
    assert_outcome(&decision, Outcome::Eligible);
    assert!(
        decision
            .feedback
            .iter()
            .any(|s| s.starts_with("Advice: No one on your core team brings a lens on equity"))
    );
}

/// seeds/003: "Your core team should be 3-7 people who have a lens on data, quality
/// improvement, equity, and patient-facing care." Data is expected too.
#[test]
fn faq_lens_on_data() {
    let rules = learning_network();
    assert_cites(
        &rules,
        "team.lenses",
        "who have a lens on data, quality improvement, equity, and patient-facing care",
    );
    let mut app = complete_for_learning_network();
    for member in &mut app.team {
        member.lenses.remove(&Lens::Data);
    }
    let decision = rules.evaluate(&app, deadline_day());
    assert_eq!(status(&decision, "team.lenses"), Status::Warn);
    assert_outcome(&decision, Outcome::Eligible);
}

/// seeds/004: "IHI will support each team in engaging people with lived experience of
/// inequities, such as patients of color, throughout their work. Please plan to compensate those
/// patients for their time." Advice when applying.
#[test]
fn action_community_compensates_patient_partners() {
    let rules = action_community();
    assert_cites(
        &rules,
        "team.patient_partner",
        "Please plan to compensate those patients for their time.",
    );
    let mut app = complete();
    for member in &mut app.team {
        member.compensated = None;
    }
    let decision = rules.evaluate(&app, deadline_day());
    assert_eq!(status(&decision, "team.patient_partner"), Status::Warn);
    assert_eq!(
        decision.finding("team.patient_partner").unwrap().path,
        "$.team[*].compensated"
    );
    assert_outcome(&decision, Outcome::Eligible);

    app.team
        .retain(|m| !m.roles.contains(&Role::PatientPartner));
    let decision = rules.evaluate(&app, deadline_day());
    assert_eq!(status(&decision, "team.patient_partner"), Status::Warn);
}

/// seeds/004: "A Letter of Commitment from your CEO and Board Chair". Without the board chair's
/// letter the application is incomplete until the deadline, and not eligible after it.
#[test]
fn action_community_letter_from_ceo_and_board_chair() {
    let rules = action_community();
    assert_cites(
        &rules,
        "letters.signatories",
        "A Letter of Commitment from your CEO and Board Chair",
    );
    let mut app = complete();
    app.letters.retain(|l| l.signatory != Signatory::BoardChair);
    let decision = rules.evaluate(&app, day(2022, 10, 19));
    assert_outcome(&decision, Outcome::Incomplete);
    let finding = decision.finding("letters.signatories").unwrap();
    assert!(finding.missing);
    assert_eq!(finding.path, "$.letters");
    assert_outcome(
        &rules.evaluate(&app, day(2022, 12, 5)),
        Outcome::NotEligible,
    );
}

/// seeds/004: "Demonstrate full leadership support of their efforts and time commitment via a
/// written letter of support from the CEO and the Board".
#[test]
fn action_community_leadership_support_in_writing() {
    let rules = action_community();
    assert_cites(
        &rules,
        "letters.signatories",
        "via a written letter of support from the CEO and the Board",
    );
    let mut app = complete();
    app.letters.clear();
    app.parts.remove(&ApplicationPart::LetterOfCommitment);
    let decision = rules.evaluate(&app, deadline_day());
    assert_outcome(&decision, Outcome::Incomplete);
    assert_eq!(
        decision.finding("letters.signatories").unwrap().message,
        "Letters of commitment from the CEO and board chair are missing; send them by 2022-10-21."
    );
    assert_eq!(status(&decision, "application.parts"), Status::Fail);
}

/// seeds/004: "There are 3 parts to the Action Community Application: 1. The online application
/// 2. Action Community Video Application 3. A Letter of Commitment from your CEO and Board
/// Chair".
#[test]
fn action_community_three_parts() {
    let rules = action_community();
    assert_cites(
        &rules,
        "application.parts",
        "There are 3 parts to the Action Community Application",
    );
    let mut app = complete();
    app.parts.remove(&ApplicationPart::VideoApplication);
    let decision = rules.evaluate(&app, deadline_day());
    assert_outcome(&decision, Outcome::Incomplete);
    assert_eq!(
        decision.finding("application.parts").unwrap().message,
        "The video application is missing; send it by 2022-10-21."
    );
}

/// seeds/004: "Action Community applications should be submitted and additional documents
/// should be emailed ... by October 21, 2022". Sent on 2022-10-22: late.
#[test]
fn action_community_deadline_october_21_2022() {
    let rules = action_community();
    assert_cites(&rules, "application.deadline", "by October 21, 2022");
    let mut app = complete();
    app.submitted = Some(day(2022, 10, 21));
    assert_outcome(&rules.evaluate(&app, day(2022, 10, 24)), Outcome::Eligible);
    app.submitted = Some(day(2022, 10, 22));
    let decision = rules.evaluate(&app, day(2022, 10, 24));
    assert_outcome(&decision, Outcome::NotEligible);
    assert!(
        decision
            .finding("application.deadline")
            .unwrap()
            .message
            .ends_with("it is late.")
    );
}

/// seeds/004: "The IHI team will review your video and application materials and contact your
/// team by December 5th, 2022 with either an invitation to join the Action Community or with
/// feedback and an offer to join the Learning Network."
#[test]
fn action_community_invitation_or_learning_network_with_feedback() {
    let rules = action_community();
    let offer = rules.offer_instead().unwrap();
    assert_eq!(offer.cohort, *learning_network().admits());
    let mut app = complete();
    app.qi_evidence.clear();
    let decision = rules.evaluate(&app, deadline_day());
    assert_outcome(&decision, Outcome::OfferedOtherCohort);
    assert_eq!(decision.offered_cohort.as_ref(), Some(&offer.cohort));
    assert!(
        decision.feedback[0]
            .contains("offer you a place in the IHI Pursuing Equity Learning Network")
    );
    assert!(
        decision.feedback.len() >= 2,
        "feedback says why: {:?}",
        decision.feedback
    );

    // And the Learning Network takes that application.
    app.cohort = offer.cohort.clone();
    assert_outcome(
        &learning_network().evaluate(&app, deadline_day()),
        Outcome::Eligible,
    );
}

/// seeds/004: "Have accessible and usable race, ethnicity, and preferred language (REAL) ...
/// data to measure progress toward their equity goals." Without them: the Learning Network.
#[test]
fn action_community_usable_real_data() {
    let rules = action_community();
    assert_cites(
        &rules,
        "data.real",
        "Have accessible and usable race, ethnicity, and preferred language (REAL)",
    );
    let mut app = complete();
    app.data.real = Some(DeclaredReadiness {
        available: false,
        share_complete: None,
    });
    let decision = rules.evaluate(&app, deadline_day());
    assert_outcome(&decision, Outcome::OfferedOtherCohort);
    assert_eq!(
        decision.finding("data.real").unwrap().path,
        "$.data.real.available"
    );
}

/// seeds/004: "... and sexual orientation and gender identity (SOGI) data to measure progress
/// toward their equity goals." SOGI data complete in 18% of records: the Learning Network.
#[test]
fn action_community_usable_sogi_data() {
    let rules = action_community();
    assert_cites(
        &rules,
        "data.sogi",
        "sexual orientation and gender identity (SOGI) data to measure progress toward their equity goals",
    );
    let mut app = complete();
    app.data.sogi = Some(DeclaredReadiness {
        available: true,
        share_complete: Some(Share::new(0.18).unwrap()),
    });
    let decision = rules.evaluate(&app, deadline_day());
    assert_outcome(&decision, Outcome::OfferedOtherCohort);
    assert_eq!(
        decision.finding("data.sogi").unwrap().message,
        "Your SOGI data are complete in 18% of records; the IHI Pursuing Equity Action Community asks for at least 50% to measure progress toward equity goals."
    );
}

/// seeds/004: "Have accessible and usable ... (REAL) and sexual orientation and gender identity
/// (SOGI) data", shown by a readiness report of an extract rather than declared: REAL usable in
/// over 90% of records passes; gender identity usable in 40.8% misses the 50% bar, so the
/// Learning Network is offered.
#[test]
fn action_community_usable_data_shown_by_a_readiness_report() {
    let rules = action_community();
    let mut app = complete();
    app.data.report = Some(serde_json::from_str(READINESS_REPORT_JSON).unwrap());
    let decision = rules.evaluate(&app, deadline_day());
    assert_eq!(status(&decision, "data.real"), Status::Pass);
    assert_eq!(status(&decision, "data.sogi"), Status::Fail);
    assert_outcome(&decision, Outcome::OfferedOtherCohort);
    // The declarations (REAL 94%, SOGI 62%) give way to the report.
    assert!(app.data.sogi.is_some());
}

/// seeds/004: "Have quality improvement (QI) knowledge and capability as evidenced by
/// measurable results from previous QI initiatives".
#[test]
fn action_community_qi_capability_with_measurable_results() {
    let rules = action_community();
    assert_cites(
        &rules,
        "qi.evidence",
        "as evidenced by measurable results from previous QI initiatives",
    );
    let mut app = complete();
    for initiative in &mut app.qi_evidence {
        initiative.measurable_results = false;
    }
    assert_outcome(
        &rules.evaluate(&app, deadline_day()),
        Outcome::OfferedOtherCohort,
    );
}

/// seeds/003: "The program is designed specifically for health care delivery organizations."
#[test]
fn faq_for_health_care_delivery_organizations() {
    let rules = action_community();
    assert_cites(
        &rules,
        "organization.kind",
        "The program is designed specifically for health care delivery organizations.",
    );
    let mut app = complete();
    app.organization.kind = OrganizationKind::CommunityPartnerOrganization;
    let decision = rules.evaluate(&app, deadline_day());
    assert_outcome(&decision, Outcome::NotEligible);
    assert_eq!(
        decision.finding("organization.kind").unwrap().path,
        "$.organization.partner"
    );
}

/// seeds/003: "You may, however, partner with a local health care organization and apply
/// together."
#[test]
fn faq_partner_with_a_health_care_organization() {
    let rules = action_community();
    assert_cites(
        &rules,
        "organization.kind",
        "You may, however, partner with a local health care organization and apply together.",
    );
    let mut app = complete();
    app.organization.kind = OrganizationKind::PublicHealthAgency;
    app.organization.partner = Some(PartnerOrganization {
        name: "County General".into(),
        kind: OrganizationKind::CommunityHospital,
        delivers_health_care: None,
    });
    assert_outcome(&rules.evaluate(&app, deadline_day()), Outcome::Eligible);
}

/// seeds/004: "Commit to participation in all meetings over the 18-month period, including
/// regular virtual calls and team travel to in-person Learning Sessions".
#[test]
fn action_community_commit_to_all_meetings() {
    let rules = action_community();
    assert_cites(
        &rules,
        "application.commitments",
        "Commit to participation in all meetings over the 18-month period",
    );
    let mut app = complete();
    app.commitments.remove(&Commitment::AttendAllMeetings);
    let decision = rules.evaluate(&app, deadline_day());
    assert_outcome(&decision, Outcome::Incomplete);
    assert!(decision.finding("application.commitments").unwrap().missing);
}

/// seeds/004: "Will share learning, challenges, and data transparently".
#[test]
fn action_community_share_learning_and_data() {
    let rules = action_community();
    assert_cites(
        &rules,
        "application.commitments",
        "Will share learning, challenges, and data transparently",
    );
    let mut app = complete();
    app.commitments.remove(&Commitment::ShareLearningAndData);
    assert_outcome(&rules.evaluate(&app, deadline_day()), Outcome::Incomplete);
}

/// seeds/004: "Will contribute to dissemination to the field".
#[test]
fn action_community_contribute_to_dissemination() {
    let rules = action_community();
    assert_cites(
        &rules,
        "application.commitments",
        "Will contribute to dissemination to the field",
    );
    let mut app = complete();
    app.commitments
        .remove(&Commitment::ContributeToDissemination);
    assert_outcome(
        &rules.evaluate(&app, day(2022, 11, 1)),
        Outcome::NotEligible,
    );
}

/// seeds/003: "we recommend teams meet once per week to keep up the momentum of their projects
/// and their work together."
#[test]
fn faq_recommends_weekly_team_meetings() {
    for (rules, mut app) in [
        (action_community(), complete()),
        (learning_network(), complete_for_learning_network()),
    ] {
        assert_cites(
            &rules,
            "application.commitments.weekly",
            "we recommend teams meet once per week",
        );
        app.commitments.remove(&Commitment::MeetWeekly);
        let decision = rules.evaluate(&app, deadline_day());
        assert_eq!(
            status(&decision, "application.commitments.weekly"),
            Status::Warn
        );
        assert_outcome(&decision, Outcome::Eligible);
    }
}

/// seeds/003: "We ask that applying teams commit to attending all calls as they build on each
/// other and we are forming a community in this work." (both cohorts)
#[test]
fn faq_learning_network_teams_commit_to_all_calls() {
    let rules = learning_network();
    assert_cites(
        &rules,
        "application.commitments",
        "We ask that applying teams commit to attending all calls",
    );
    let mut app = complete_for_learning_network();
    app.commitments.clear();
    assert_outcome(
        &rules.evaluate(&app, day(2022, 10, 30)),
        Outcome::Incomplete,
    );
}

/// seeds/003: "If your team does not feel prepared to pursue a clinical improvement initiative
/// but still wants guidance in planning and learning, the Learning Network may be the right
/// choice for you." The Learning Network asks for no QI track record and no usable data.
#[test]
fn faq_learning_network_for_teams_not_yet_prepared() {
    let rules = learning_network();
    let mut app = complete_for_learning_network();
    app.qi_evidence.clear();
    app.data.sogi = None;
    app.data.real = Some(DeclaredReadiness {
        available: false,
        share_complete: None,
    });
    app.letters.retain(|l| l.signatory == Signatory::Ceo);
    app.parts = [ApplicationPart::OnlineApplication].into();
    app.submitted = Some(day(2022, 10, 30));
    let decision = rules.evaluate(&app, day(2022, 11, 1));
    assert_outcome(&decision, Outcome::Eligible);
    assert_eq!(status(&decision, "data.real"), Status::Warn);
    assert!(decision.finding("qi.evidence").is_none());
}

/// The Learning Network's deadline (domain.md 5.1): "Learning Network through Nov 1".
#[test]
fn learning_network_deadline_november_1_2022() {
    let rules = learning_network();
    assert_cites(
        &rules,
        "application.deadline",
        "Learning Network through Nov 1",
    );
    let mut app = complete_for_learning_network();
    app.submitted = Some(day(2022, 11, 2));
    assert_outcome(
        &rules.evaluate(&app, day(2022, 11, 2)),
        Outcome::NotEligible,
    );
    app.submitted = Some(day(2022, 11, 1));
    assert_outcome(&rules.evaluate(&app, day(2022, 11, 2)), Outcome::Eligible);
}

/// seeds/001 (Improving Population Health): "An 11-Month Initiative for Health Care Delivery
/// Organizations" and "Submit your interest and an IHI team member will contact you."
#[test]
fn improving_population_health_is_for_care_delivery_organizations() {
    let rules = qic_eligibility::RuleSet::preset("improving-population-health-2020").unwrap();
    assert_cites(
        &rules,
        "organization.kind",
        "An 11-Month Initiative for Health Care Delivery Organizations",
    );
    assert_cites(
        &rules,
        "application.parts",
        "Submit your interest and an IHI team member will contact you.",
    );
    let mut app = complete();
    app.cohort = CohortRef::new("improving-population-health-2020/action-community").unwrap();
    app.parts = [ApplicationPart::ExpressionOfInterest].into();
    assert_outcome(&rules.evaluate(&app, day(2020, 6, 1)), Outcome::Eligible);
    app.organization.kind = OrganizationKind::PublicHealthAgency;
    assert_outcome(&rules.evaluate(&app, day(2020, 6, 1)), Outcome::NotEligible);
}

//! Properties that hold for any application and any preset.

use chrono::NaiveDate;
use proptest::prelude::*;
use qic_eligibility::{
    ApplicantMember, ApplicantOrganization, Application, ApplicationPart, CohortRef, Commitment,
    DataReadiness, Decision, DeclaredReadiness, Letter, PRESETS, PartnerOrganization, QiInitiative,
    RuleSet, Severity, Share, Signatory, Status,
};
use qic_equity::codes::Dimension;
use qic_equity::mapping::{Mapping, MultipleRule};
use qic_equity::readiness::{ReadinessCounts, ReadinessReport, ReadinessThresholds};
use qic_equity::suppression::Suppression;
use qic_program::{Lens, OrganizationKind, Role};

use crate::common::day;

const ROLES: [Role; 7] = [
    Role::ExecutiveSponsor,
    Role::DayToDayLead,
    Role::ProjectManager,
    Role::DataLead,
    Role::PatientPartner,
    Role::CommunityPartner,
    Role::Member,
];

/// A day between mid-August and the end of November 2022 (around both Pursuing Equity
/// deadlines).
fn a_day() -> impl Strategy<Value = NaiveDate> {
    (0_u64..110).prop_map(|offset| day(2022, 8, 15) + chrono::Days::new(offset))
}

fn a_kind() -> impl Strategy<Value = OrganizationKind> {
    prop::sample::select(OrganizationKind::ALL.to_vec())
}

fn a_member() -> impl Strategy<Value = ApplicantMember> {
    (
        "[A-Z][a-z]{1,8}",
        prop::sample::subsequence(ROLES.to_vec(), 0..=2),
        prop::sample::subsequence(Lens::ALL.to_vec(), 0..=3),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(name, roles, lenses, compensated)| {
            let mut member = ApplicantMember::new(name);
            member.roles = roles.into_iter().collect();
            member.lenses = lenses.into_iter().collect();
            member.compensated = compensated;
            member
        })
}

fn a_letter() -> impl Strategy<Value = Letter> {
    (prop::sample::select(Signatory::ALL.to_vec()), a_day()).prop_map(|(signatory, signed)| {
        Letter {
            signatory,
            name: None,
            signed,
        }
    })
}

fn a_declaration() -> impl Strategy<Value = Option<DeclaredReadiness>> {
    prop::option::of(
        // Shares in tenths of a percent, as people write them: serde_json's default float
        // parsing may differ in the last bit for arbitrary 17-digit floats, which is noise here.
        (any::<bool>(), prop::option::of(0_u16..=1000)).prop_map(|(available, permille)| {
            DeclaredReadiness {
                available,
                share_complete: permille.map(|p| Share::new(f64::from(p) / 1000.0).unwrap()),
            }
        }),
    )
}

/// The readiness report of a small random extract (codes, blanks and junk), small cells
/// suppressed as by default.
fn a_report() -> impl Strategy<Value = Option<ReadinessReport>> {
    let record = (
        prop::sample::select(vec!["2106-3", "2054-5", "2028-9", "", "junk"]),
        prop::sample::select(vec!["2135-2", "2186-5", "", "ASKU"]),
        prop::sample::select(vec!["en", "es", "vi", ""]),
        prop::sample::select(vec!["20430005", "38628009", "", "UNK"]),
        prop::sample::select(vec!["446151000124109", "446141000124107", ""]),
    );
    prop::option::of(prop::collection::vec(record, 0..80).prop_map(|records| {
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
        for (race, ethnicity, language, so, gi) in records {
            counts.add_record(&mapping, [race, ethnicity, language, so, gi]);
        }
        counts
            .report(&ReadinessThresholds::default(), &Suppression::default())
            .unwrap()
    }))
}

fn an_organization() -> impl Strategy<Value = ApplicantOrganization> {
    (
        a_kind(),
        prop::option::of(any::<bool>()),
        prop::option::of((a_kind(), prop::option::of(any::<bool>()))),
    )
        .prop_map(|(kind, delivers, partner)| ApplicantOrganization {
            name: "Applicant".into(),
            kind,
            delivers_health_care: delivers,
            location: None,
            partner: partner.map(|(kind, delivers)| PartnerOrganization {
                name: "Partner".into(),
                kind,
                delivers_health_care: delivers,
            }),
        })
}

fn a_cohort() -> impl Strategy<Value = CohortRef> {
    prop::sample::select(vec![
        "pursuing-equity-2022/action-community",
        "pursuing-equity-2022/learning-network",
        "improving-population-health-2020/action-community",
        "action-learning-collaborative",
    ])
    .prop_map(|id| CohortRef::new(id).unwrap())
}

prop_compose! {
    fn an_application()(
        cohort in a_cohort(),
        organization in an_organization(),
        team in prop::collection::vec(a_member(), 0..10),
        letters in prop::collection::vec(a_letter(), 0..4),
        real in a_declaration(),
        sogi in a_declaration(),
        report in a_report(),
        qi in prop::collection::vec(any::<bool>(), 0..3),
        commitments in prop::sample::subsequence(Commitment::ALL.to_vec(), 0..=4),
        parts in prop::sample::subsequence(ApplicationPart::ALL.to_vec(), 0..=4),
        submitted in prop::option::of(a_day()),
    ) -> Application {
        let mut app = Application::new(cohort, "Applicant", organization.kind);
        app.organization = organization;
        app.team = team;
        app.letters = letters;
        app.data = DataReadiness { real, sogi, report };
        app.qi_evidence = qi
            .into_iter()
            .enumerate()
            .map(|(i, measurable_results)| QiInitiative {
                title: format!("Initiative {i}"),
                year: None,
                measurable_results,
                summary: None,
            })
            .collect();
        app.commitments = commitments.into_iter().collect();
        app.parts = parts.into_iter().collect();
        app.submitted = submitted;
        app
    }
}

fn a_preset() -> impl Strategy<Value = RuleSet> {
    prop::sample::select(PRESETS.to_vec()).prop_map(|name| RuleSet::preset(name).unwrap())
}

fn json(decision: &Decision) -> String {
    serde_json::to_string(decision).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The order of team members and letters never changes a decision, byte for byte.
    #[test]
    fn order_of_members_and_letters_never_matters(
        app in an_application(),
        rules in a_preset(),
        as_of in a_day(),
        team_order in prop::collection::vec(any::<u32>(), 10),
        letter_order in prop::collection::vec(any::<u32>(), 4),
    ) {
        let before = rules.evaluate(&app, as_of);
        let mut shuffled = app.clone();
        // Sort by random keys: a random permutation.
        let mut team: Vec<_> = shuffled.team.drain(..).zip(team_order).collect();
        team.sort_by_key(|(_, key)| *key);
        shuffled.team = team.into_iter().map(|(m, _)| m).collect();
        let mut letters: Vec<_> = shuffled.letters.drain(..).zip(letter_order).collect();
        letters.sort_by_key(|(_, key)| *key);
        shuffled.letters = letters.into_iter().map(|(l, _)| l).collect();
        let after = rules.evaluate(&shuffled, as_of);
        prop_assert_eq!(json(&before), json(&after));
        prop_assert_eq!(before.to_text(), after.to_text());
    }

    /// Adding a letter a rule set requires, and that is missing, never makes a decision worse.
    #[test]
    fn adding_a_missing_required_letter_never_makes_it_worse(
        app in an_application(),
        rules in a_preset(),
        as_of in a_day(),
        signed in a_day(),
    ) {
        let before = rules.evaluate(&app, as_of);
        let required: Vec<Signatory> = rules
            .rules()
            .iter()
            .filter_map(|r| match &r.check {
                qic_eligibility::Check::Signatories(p) => Some(p.required.iter().copied()),
                _ => None,
            })
            .flatten()
            .collect();
        for signatory in required {
            if app.letters.iter().any(|l| l.signatory == signatory) {
                continue;
            }
            let mut more = app.clone();
            more.letters.push(Letter { signatory, name: None, signed });
            let after = rules.evaluate(&more, as_of);
            prop_assert!(
                after.outcome <= before.outcome,
                "adding the {} letter turned {} into {}",
                signatory, before.outcome, after.outcome
            );
        }
    }

    /// Every rule gives exactly one finding, in order; every failure and warning explains
    /// itself with a message and the path of a field; the outcome agrees with the findings.
    #[test]
    fn every_finding_explains_itself(
        app in an_application(),
        rules in a_preset(),
        as_of in a_day(),
    ) {
        let decision = rules.evaluate(&app, as_of);
        let ids: Vec<&str> = rules.rules().iter().map(|r| r.id.as_str()).collect();
        let found: Vec<&str> = decision.findings.iter().map(|f| &*f.rule).collect();
        prop_assert_eq!(ids, found);
        for finding in &decision.findings {
            prop_assert!(finding.message.ends_with('.'), "{}", finding.message);
            prop_assert!(finding.path.starts_with("$."), "{}", finding.path);
            prop_assert!(!finding.citation.is_empty());
            if finding.status == Status::Fail {
                prop_assert!(finding.severity != Severity::Recommended);
                prop_assert!(decision.feedback.contains(&finding.message));
            }
            if finding.status == Status::Warn {
                prop_assert_eq!(finding.severity, Severity::Recommended);
            }
        }
        let fails = decision.failures().count();
        prop_assert_eq!(fails == 0, decision.outcome == qic_eligibility::Outcome::Eligible);
        prop_assert_eq!(
            decision.offered_cohort.is_some(),
            decision.outcome == qic_eligibility::Outcome::OfferedOtherCohort
        );
    }

    /// A decision's JSON reads back as the same decision, and judging twice gives the same
    /// bytes.
    #[test]
    fn decisions_round_trip_and_are_deterministic(
        app in an_application(),
        rules in a_preset(),
        as_of in a_day(),
    ) {
        let decision = rules.evaluate(&app, as_of);
        let text = json(&decision);
        let back: Decision = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&back, &decision);
        prop_assert_eq!(json(&rules.evaluate(&app, as_of)), text);
    }

    /// An application reads back from its own JSON and TOML. The shares of an attached
    /// readiness report may come back one unit in the last place off (`serde_json` parses
    /// floats fast, not exactly, unless built with `float_roundtrip`), so they are compared
    /// to 1e-12.
    #[test]
    fn applications_round_trip(app in an_application()) {
        let json = serde_json::to_string(&app).unwrap();
        let from_json = Application::from_json_str(&json).unwrap();
        let toml = toml::to_string(&app).unwrap();
        let from_toml = Application::from_toml_str(&toml).unwrap();
        for back in [from_json, from_toml] {
            prop_assert!(
                same(&serde_json::to_value(&back).unwrap(), &serde_json::to_value(&app).unwrap()),
                "{:?}",
                back
            );
            let (mut back, mut app) = (back, app.clone());
            back.data.report = None;
            app.data.report = None;
            prop_assert_eq!(back, app);
        }
    }
}

/// Equal JSON values, numbers to a relative 1e-12.
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => (x - y).abs() <= 1e-12 * x.abs().max(y.abs()).max(1.0),
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

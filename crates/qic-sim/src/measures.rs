//! The Action Community's family of measures and its change package, as `collaborative.toml`
//! states them.

use qic_pdsa::collaborative::PackageItem;
use qic_pdsa::measure::{Frequency, OperationalDefinition};
use qic_pdsa::{Key, Measure, MeasureKind, Polarity, Tier, Unit};
use qic_program::Portfolio;

use super::Result;

pub(crate) const BP_CONTROL: &str = "bp-control";
pub(crate) const FOLLOW_UP: &str = "bp-follow-up";
pub(crate) const ACCESS: &str = "third-next-available";
pub(crate) const SELF_MEASURED: &str = "self-measured-bp";
pub(crate) const INTENSIFICATION: &str = "intensification";
pub(crate) const HOME_VISITS: &str = "chw-home-visits";

/// The dimension every stratified measure is reported by (qic-equity's name).
pub(crate) const RACE_ETHNICITY: &str = "race_ethnicity";

fn key(text: &str) -> Result<Key> {
    Ok(Key::new(text)?)
}

struct Spec {
    key: &'static str,
    name: &'static str,
    kind: MeasureKind,
    tier: Tier,
    unit: Unit,
    numerator: &'static str,
    denominator: Option<&'static str>,
    exclusions: &'static [&'static str],
    data_source: &'static str,
    direction: Polarity,
    target: Option<f64>,
    stratified: bool,
}

fn build(spec: &Spec) -> Result<Measure> {
    Ok(Measure {
        key: key(spec.key)?,
        name: spec.name.into(),
        kind: spec.kind,
        tier: spec.tier,
        definition: OperationalDefinition {
            numerator: spec.numerator.into(),
            denominator: spec.denominator.map(Into::into),
            inclusions: vec![],
            exclusions: spec.exclusions.iter().map(|&e| e.into()).collect(),
            data_source: spec.data_source.into(),
            frequency: Frequency::Monthly,
        },
        unit: spec.unit,
        multiplier: if spec.unit == Unit::Proportion {
            100.0
        } else {
            1.0
        },
        direction: spec.direction,
        target: spec.target,
        strata: if spec.stratified {
            vec![RACE_ETHNICITY.into()]
        } else {
            vec![]
        },
        unit_label: (spec.unit == Unit::Mean).then(|| "days".to_owned()),
    })
}

/// The program's measures: two required stratified measures (the clinical equity outcome and
/// the follow-up process behind it), a required balancing measure, and two on the menu.
pub(crate) fn program_measures() -> Result<Vec<Measure>> {
    let specs = [
        Spec {
            key: BP_CONTROL,
            name: "Percent of adults with hypertension whose blood pressure is controlled",
            kind: MeasureKind::Outcome,
            tier: Tier::Required,
            unit: Unit::Proportion,
            numerator: "Patients whose last blood pressure in the month was below 140/90",
            denominator: Some("Adults 18 to 85 with a diagnosis of hypertension seen in the month"),
            exclusions: &[
                "Hospice or palliative care",
                "End-stage renal disease",
                "Pregnancy",
            ],
            data_source: "EHR registry extract, one row per patient",
            direction: Polarity::Up,
            target: Some(70.0),
            stratified: true,
        },
        Spec {
            key: FOLLOW_UP,
            name: "Percent of uncontrolled readings followed up within four weeks",
            kind: MeasureKind::Process,
            tier: Tier::Required,
            unit: Unit::Proportion,
            numerator: "Patients with a visit, nurse call or home visit within 28 days of the uncontrolled reading",
            denominator: Some(
                "Patients in the control measure whose last reading in the month was 140/90 or above",
            ),
            exclusions: &[],
            data_source: "EHR registry extract, one row per patient",
            direction: Polarity::Up,
            target: Some(80.0),
            stratified: true,
        },
        Spec {
            key: ACCESS,
            name: "Average days to the third next available appointment",
            kind: MeasureKind::Balancing,
            tier: Tier::Required,
            unit: Unit::Mean,
            numerator: "Days from a request to the third next available routine appointment, averaged over the month's weekly checks",
            denominator: None,
            exclusions: &[],
            data_source: "Scheduling system, checked every Monday",
            direction: Polarity::Down,
            target: None,
            stratified: false,
        },
        Spec {
            key: SELF_MEASURED,
            name: "Percent of patients with hypertension enrolled in self-measured blood pressure monitoring",
            kind: MeasureKind::Process,
            tier: Tier::Menu,
            unit: Unit::Proportion,
            numerator: "Patients who sent home readings in the month",
            denominator: Some("Adults 18 to 85 with a diagnosis of hypertension seen in the month"),
            exclusions: &[],
            data_source: "Patient portal and device platform",
            direction: Polarity::Up,
            target: Some(30.0),
            stratified: false,
        },
        Spec {
            key: INTENSIFICATION,
            name: "Percent of visits with an uncontrolled reading where treatment was intensified",
            kind: MeasureKind::Process,
            tier: Tier::Menu,
            unit: Unit::Proportion,
            numerator: "Visits where a medicine was added or its dose raised",
            denominator: Some("Visits with a blood pressure of 140/90 or above"),
            exclusions: &["Patients already on four or more antihypertensive medicines"],
            data_source: "EHR medication orders",
            direction: Polarity::Up,
            target: Some(60.0),
            stratified: false,
        },
    ];
    specs.iter().map(build).collect()
}

/// Riverbend's own measure: community health worker home visits, a count per month.
pub(crate) fn home_visits() -> Result<Measure> {
    build(&Spec {
        key: HOME_VISITS,
        name: "Number of community health worker home visits to patients with uncontrolled blood pressure",
        kind: MeasureKind::Process,
        tier: Tier::TeamDefined,
        unit: Unit::Count,
        numerator: "Completed home visits logged by the community health workers",
        denominator: None,
        exclusions: &[],
        data_source: "CHW visit log",
        direction: Polarity::Up,
        target: None,
        stratified: false,
    })
}

/// The change package: changes known to work for hypertension control and equity, each in the
/// portfolio of population health it belongs to.
pub(crate) fn change_package() -> Result<Vec<PackageItem>> {
    let items = [
        (
            "accurate-measurement",
            "Measure blood pressure accurately",
            "Rest five minutes, use the right cuff size, and repeat a high reading before acting on it.",
            Portfolio::PhysicalAndOrMentalHealth,
        ),
        (
            "timely-follow-up",
            "Follow up every uncontrolled reading within four weeks",
            "A list of patients with uncontrolled readings and no follow-up booked, worked every week.",
            Portfolio::PhysicalAndOrMentalHealth,
        ),
        (
            "self-measured-bp",
            "Self-measured blood pressure",
            "Validated home cuffs, loaned where needed, with readings reviewed by the care team.",
            Portfolio::PhysicalAndOrMentalHealth,
        ),
        (
            "treatment-protocol",
            "A standard treatment protocol with team-based titration",
            "One protocol for all prescribers; nurses or pharmacists adjust medicines between visits.",
            Portfolio::PhysicalAndOrMentalHealth,
        ),
        (
            "community-health-workers",
            "Community health workers from the neighborhoods served",
            "Outreach, home visits and help with what gets in the way of care: transport, cost, trust.",
            Portfolio::SocialAndOrSpiritualWellBeing,
        ),
        (
            "language-concordant-care",
            "Care and education in the patient's language",
            "Bilingual staff or interpreters from rooming to checkout, and materials in the patient's language.",
            Portfolio::SocialAndOrSpiritualWellBeing,
        ),
        (
            "community-partnerships",
            "Blood pressure checks where people gather",
            "Barbershops, churches and community centers check blood pressure and refer to the clinic.",
            Portfolio::CommunityHealthAndWellBeing,
        ),
        (
            "patient-co-design",
            "Co-design changes with patients and community members",
            "A paid patient advisory group shapes which changes are tested and how.",
            Portfolio::CommunitiesOfSolutions,
        ),
    ];
    items
        .into_iter()
        .map(|(k, title, description, portfolio)| {
            Ok(PackageItem {
                key: key(k)?,
                title: title.into(),
                description: description.into(),
                portfolio: Some(portfolio),
            })
        })
        .collect()
}

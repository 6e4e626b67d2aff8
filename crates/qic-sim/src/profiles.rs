//! The eight teams of the simulated Action Community: who they are, whom they serve, how well
//! their patients' blood pressure is controlled at the start, and which changes they test and
//! whether those changes work.
//!
//! Everything the simulation draws comes from these profiles; nothing about a team's results is
//! written down here except through its changes' effects. A change moves the data only if its
//! ramp ends in "adopt", and only from the month after adoption, growing to its full effect over
//! `months_to_full` months.

use qic_pdsa::ActDecision::{self, Abandon, Adapt, Adopt};
use qic_program::{OrganizationKind, Portfolio};

use super::measures::{
    ACCESS, BP_CONTROL as BP, FOLLOW_UP as FOLLOW, HOME_VISITS, INTENSIFICATION as INTENSIFY,
    SELF_MEASURED as SMBP,
};

/// A group of the `race_ethnicity` dimension as a team's extract records it: the OMB 2024
/// categories the teams serve, and the values that are not a group (declined, unknown, and a
/// detailed code the standard mapping does not roll up).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Group {
    White,
    Black,
    Hispanic,
    Asian,
    AmericanIndian,
    Multiracial,
    Declined,
    Unknown,
    /// Recorded with a detailed CDC code (2034-7, Chinese) that the standard mapping leaves
    /// unmapped: data readiness counts it, a data steward would map it.
    Unmapped,
}

/// How a team's EHR writes race and ethnicity in its extracts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Coding {
    /// CDC race and ethnicity codes (2106-3...) and HL7 null flavors (ASKU, UNK).
    CdcCodes,
    /// The categories' labels ("White", "Black or African American"...).
    Labels,
}

impl Group {
    /// The value written in the extract's `race_ethnicity` column.
    pub(crate) const fn written(self, coding: Coding) -> &'static str {
        match (self, coding) {
            (Self::White, Coding::CdcCodes) => "2106-3",
            (Self::White, Coding::Labels) => "White",
            (Self::Black, Coding::CdcCodes) => "2054-5",
            (Self::Black, Coding::Labels) => "Black or African American",
            (Self::Hispanic, Coding::CdcCodes) => "2135-2",
            (Self::Hispanic, Coding::Labels) => "Hispanic or Latino",
            (Self::Asian, Coding::CdcCodes) => "2028-9",
            (Self::Asian, Coding::Labels) => "Asian",
            (Self::AmericanIndian, Coding::CdcCodes) => "1002-5",
            (Self::AmericanIndian, Coding::Labels) => "American Indian or Alaska Native",
            (Self::Multiracial, Coding::CdcCodes) => "2106-3;2054-5",
            (Self::Multiracial, Coding::Labels) => "Multiracial",
            (Self::Declined, Coding::CdcCodes) => "ASKU",
            (Self::Declined, Coding::Labels) => "Declined",
            (Self::Unknown, Coding::CdcCodes) => "UNK",
            (Self::Unknown, Coding::Labels) => "Unknown",
            (Self::Unmapped, _) => "2034-7",
        }
    }

    /// The group's label in qic-equity's `race_ethnicity` categories, as aims name it.
    pub(crate) const fn label(self) -> &'static str {
        match self {
            Self::White => "White",
            Self::Black => "Black or African American",
            Self::Hispanic => "Hispanic or Latino",
            Self::Asian => "Asian",
            Self::AmericanIndian => "American Indian or Alaska Native",
            Self::Multiracial => "Multiracial",
            Self::Declined => "declined",
            Self::Unknown => "unknown",
            Self::Unmapped => "unmapped",
        }
    }

    /// A short name for narratives ("Black patients").
    pub(crate) const fn patients(self) -> &'static str {
        match self {
            Self::White => "White patients",
            Self::Black => "Black patients",
            Self::Hispanic => "Hispanic or Latino patients",
            Self::Asian => "Asian patients",
            Self::AmericanIndian => "American Indian patients",
            Self::Multiracial => "multiracial patients",
            Self::Declined | Self::Unknown | Self::Unmapped => "patients of unrecorded race",
        }
    }

    /// Baseline control of a group that is neither the reference (White) nor the team's focus,
    /// relative to the reference: the gaps seen in national data, roughly.
    const fn usual_offset(self) -> f64 {
        match self {
            Self::White | Self::Asian => 0.0,
            Self::Black => -0.10,
            Self::Hispanic => -0.06,
            Self::AmericanIndian => -0.08,
            Self::Multiracial => -0.05,
            Self::Declined | Self::Unknown | Self::Unmapped => -0.04,
        }
    }
}

/// The chance that a patient's blood pressure is controlled, before any change.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Baseline {
    /// For White patients, the reference group of every equity aim.
    pub(crate) reference: f64,
    /// How much lower it is for the team's focus group.
    pub(crate) gap: f64,
    /// The chance that an uncontrolled reading gets a follow-up within four weeks: reference
    /// group, focus group.
    pub(crate) follow_up: (f64, f64),
    /// Share of patients enrolled in self-measured blood pressure monitoring.
    pub(crate) self_measured: f64,
    /// Share of uncontrolled visits with a medication intensified.
    pub(crate) intensification: f64,
    /// Days to the third next available appointment.
    pub(crate) access_days: f64,
}

/// What an adopted change does once fully in place. Gains are in probability (0.05 = five
/// percentage points); `focus` gains come on top of `all` for the team's focus group.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Effect {
    pub(crate) control_all: f64,
    pub(crate) control_focus: f64,
    pub(crate) follow_up_all: f64,
    pub(crate) follow_up_focus: f64,
    pub(crate) self_measured: f64,
    pub(crate) intensification: f64,
    /// Days added to (or, negative, taken from) the third next available appointment.
    pub(crate) access_days: f64,
    /// Chance that a focus-group patient with an uncontrolled reading gets a CHW home visit.
    pub(crate) home_visits: f64,
    /// Months from adoption to the full effect.
    pub(crate) months_to_full: u32,
}

impl Effect {
    pub(crate) const NONE: Self = Self {
        control_all: 0.0,
        control_focus: 0.0,
        follow_up_all: 0.0,
        follow_up_focus: 0.0,
        self_measured: 0.0,
        intensification: 0.0,
        access_days: 0.0,
        home_visits: 0.0,
        months_to_full: 3,
    };
}

/// A change idea a team tests, and the ramp of PDSA cycles it runs on it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ChangePlan {
    /// The change idea's key in the team's cycles.toml.
    pub(crate) idea: &'static str,
    pub(crate) title: &'static str,
    /// The change package item it adapts, if any.
    pub(crate) package: Option<&'static str>,
    /// The portfolio of an idea of the team's own (package ideas take the package's).
    pub(crate) portfolio: Option<Portfolio>,
    /// Measures the idea should move.
    pub(crate) measures: &'static [&'static str],
    /// Whether the team starts a new chart phase when it adopts the idea.
    pub(crate) new_phase: bool,
    /// The first cycle's plan date: month of the program (0 = January 2023) and day.
    pub(crate) first_plan: (u32, u32),
    /// Who runs the tests, and where.
    pub(crate) who: &'static str,
    pub(crate) place: &'static str,
    /// What the tests count: "patients", "clients"...
    pub(crate) unit: &'static str,
    /// What a success is for one unit, after "will" and in the past tense: ("have a second
    /// reading after five minutes", "had a second reading after five minutes").
    pub(crate) success: (&'static str, &'static str),
    /// Each cycle's scale and the decision it ends with.
    pub(crate) ramp: &'static [(u32, ActDecision)],
    /// What went wrong, for ideas that are abandoned or stall.
    pub(crate) trouble: &'static str,
    pub(crate) effect: Effect,
}

/// When a team sends its monthly reports.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reporting {
    /// Usual days after the month ends (reports are due on day 10).
    pub(crate) usual_days: (u32, u32),
    /// Months (0 = January 2023) whose report comes late, and how many days after month end.
    pub(crate) late: &'static [(usize, u32)],
    /// Months whose report never comes.
    pub(crate) missing: &'static [usize],
}

/// A team measure the team defined itself (only Riverbend has one: CHW home visits).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OwnMeasure {
    HomeVisits,
}

/// What a team's application to the Action Community said, in the autumn of 2022.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Applied {
    /// Day sent (2022, month and day).
    pub(crate) submitted: (u32, u32),
    /// Shares of records with complete REAL and SOGI data, as declared.
    pub(crate) real_complete: f64,
    pub(crate) sogi_complete: f64,
    /// An earlier QI initiative with measurable results: title, year, summary.
    pub(crate) earlier_qi: (&'static str, i32, &'static str),
}

/// One team of the Action Community.
#[derive(Clone, Copy, Debug)]
pub struct Profile {
    /// Folder name under `teams/`.
    pub folder: &'static str,
    /// The team's name in the program.
    pub team: &'static str,
    pub(crate) organization: &'static str,
    pub(crate) kind: OrganizationKind,
    pub(crate) location: &'static str,
    /// The core team: executive sponsor and clinician, QI lead, data lead, equity lead, patient
    /// partner (name, title).
    pub(crate) people: [(&'static str, &'static str); 5],
    pub(crate) applied: Applied,
    /// Adults with hypertension seen in a month, on average.
    pub(crate) patients_per_month: u32,
    pub(crate) coding: Coding,
    /// The population's make-up (shares sum to 1).
    pub(crate) population: &'static [(Group, f64)],
    /// The group whose gap to White patients the equity aim closes.
    pub(crate) focus: Group,
    pub(crate) baseline: Baseline,
    /// Menu measures chosen.
    pub(crate) menu: &'static [&'static str],
    pub(crate) own_measure: Option<OwnMeasure>,
    /// The level aim's target (percent controlled) and the equity aim's largest gap (points).
    pub(crate) level_target: f64,
    pub(crate) gap_target: f64,
    pub(crate) changes: &'static [ChangePlan],
    pub(crate) reporting: Reporting,
    /// How much higher the team scores itself than faculty do (half points).
    pub(crate) optimism: f64,
    /// What the team tells in its reports beyond its cycles and data: (month, text).
    pub(crate) notes: &'static [(usize, &'static str)],
}

impl Profile {
    /// Baseline chance of control for a group.
    pub(crate) fn baseline_control(&self, group: Group) -> f64 {
        if group == self.focus {
            self.baseline.reference - self.baseline.gap
        } else {
            self.baseline.reference + group.usual_offset()
        }
    }
}

const fn effect(control_all: f64, control_focus: f64) -> Effect {
    Effect {
        control_all,
        control_focus,
        ..Effect::NONE
    }
}

/// Riverbend closes its gap: community health workers reach Black patients with uncontrolled
/// blood pressure, and loaner cuffs follow.
const RIVERBEND: Profile = Profile {
    folder: "riverbend",
    team: "Riverbend",
    organization: "Riverbend Community Health Center",
    kind: OrganizationKind::CommunityHealthCenter,
    location: "Riverbend, OH",
    people: [
        ("Dr. Amara Okafor", "Medical Director"),
        ("Luis Alvarez", "Quality Improvement Manager"),
        ("Mei Chen", "Data Analyst"),
        ("Jordan Ellis", "Director of Health Equity"),
        ("Rosa Martinez", "Patient partner"),
    ],
    applied: Applied {
        submitted: (10, 14),
        real_complete: 0.94,
        sogi_complete: 0.62,
        earlier_qi: (
            "Hypertension control in adult primary care",
            2021,
            "Controlled blood pressure rose from 58% to 66% over 14 months.",
        ),
    },
    patients_per_month: 320,
    coding: Coding::CdcCodes,
    population: &[
        (Group::White, 0.44),
        (Group::Black, 0.36),
        (Group::Hispanic, 0.12),
        (Group::Asian, 0.03),
        (Group::Multiracial, 0.02),
        (Group::Declined, 0.015),
        (Group::Unknown, 0.01),
        (Group::Unmapped, 0.005),
    ],
    focus: Group::Black,
    baseline: Baseline {
        reference: 0.68,
        gap: 0.18,
        follow_up: (0.50, 0.36),
        self_measured: 0.05,
        intensification: 0.38,
        access_days: 9.0,
    },
    menu: &[SMBP],
    own_measure: Some(OwnMeasure::HomeVisits),
    level_target: 70.0,
    gap_target: 5.0,
    changes: &[
        ChangePlan {
            idea: "recheck-after-rest",
            title: "Recheck high readings after five minutes of rest",
            package: Some("accurate-measurement"),
            portfolio: None,
            measures: &[BP],
            new_phase: false,
            first_plan: (1, 6),
            who: "One medical assistant",
            place: "the east clinic",
            unit: "patients",
            success: (
                "have a high first reading rechecked after five minutes of rest",
                "had a high first reading rechecked after five minutes of rest",
            ),
            ramp: &[(5, Adapt), (20, Adapt), (80, Adopt)],
            trouble: "",
            effect: Effect {
                months_to_full: 2,
                ..effect(0.03, 0.01)
            },
        },
        ChangePlan {
            idea: "text-reminders",
            title: "Text message reminders for follow-up visits",
            package: None,
            portfolio: Some(Portfolio::PhysicalAndOrMentalHealth),
            measures: &[FOLLOW],
            new_phase: false,
            first_plan: (2, 13),
            who: "The front desk",
            place: "both clinics",
            unit: "patients",
            success: (
                "come to the follow-up visit the text reminds them of",
                "came to the follow-up visit the text reminded them of",
            ),
            ramp: &[(10, Adapt), (30, Abandon)],
            trouble: "A third of the phone numbers on file were out of date, and the texts went out in English only.",
            effect: Effect::NONE,
        },
        ChangePlan {
            idea: "chw-outreach",
            title: "Community health worker outreach to patients with uncontrolled blood pressure",
            package: Some("community-health-workers"),
            portfolio: None,
            measures: &[BP, FOLLOW, HOME_VISITS],
            new_phase: true,
            first_plan: (4, 3),
            who: "Two community health workers",
            place: "the neighborhoods around the east clinic",
            unit: "patients",
            success: (
                "be reached at home and book a follow-up visit",
                "were reached at home and booked a follow-up visit",
            ),
            ramp: &[(5, Adapt), (15, Adapt), (40, Adapt), (120, Adopt)],
            trouble: "",
            effect: Effect {
                control_all: 0.02,
                control_focus: 0.14,
                follow_up_all: 0.10,
                follow_up_focus: 0.25,
                home_visits: 0.35,
                months_to_full: 5,
                ..Effect::NONE
            },
        },
        ChangePlan {
            idea: "loaner-cuffs",
            title: "Loaner home blood pressure cuffs with readings sent through the portal",
            package: Some("self-measured-bp"),
            portfolio: None,
            measures: &[BP, SMBP],
            new_phase: false,
            first_plan: (8, 7),
            who: "The nurse care manager",
            place: "both clinics",
            unit: "patients",
            success: (
                "send at least six home readings in two weeks",
                "sent at least six home readings in two weeks",
            ),
            ramp: &[(5, Adapt), (25, Adapt), (60, Adopt)],
            trouble: "",
            effect: Effect {
                control_all: 0.02,
                control_focus: 0.03,
                self_measured: 0.22,
                months_to_full: 4,
                ..Effect::NONE
            },
        },
    ],
    reporting: Reporting {
        usual_days: (2, 8),
        late: &[],
        missing: &[],
    },
    optimism: 0.5,
    notes: &[
        (0, "Charter signed; the core team meets every Tuesday."),
        (
            2,
            "Baseline confirms an 18-point gap between Black and White patients.",
        ),
        (
            6,
            "Two community health workers hired from the east-side neighborhoods.",
        ),
        (
            12,
            "The patient advisory group asked for evening CHW visits; we added them.",
        ),
    ],
};

/// Harbor Point narrows its gap for Hispanic patients with Spanish-language education, but not
/// to its aim.
const HARBOR_POINT: Profile = Profile {
    folder: "harbor-point",
    team: "Harbor Point",
    organization: "Harbor Point Free Clinic",
    kind: OrganizationKind::FreeOrCharitableClinic,
    location: "Harbor Point, CA",
    people: [
        ("Dr. Helen Nakamura", "Clinic Director"),
        ("Marco Reyes", "Operations and Quality Lead"),
        ("Priya Shah", "Data Coordinator"),
        ("Ana Lucia Torres", "Community Engagement Manager"),
        ("Jose Ramirez", "Patient partner"),
    ],
    applied: Applied {
        submitted: (10, 18),
        real_complete: 0.88,
        sogi_complete: 0.55,
        earlier_qi: (
            "Diabetes eye exams for uninsured adults",
            2020,
            "Eye exams rose from 31% to 57% of patients with diabetes in a year.",
        ),
    },
    patients_per_month: 220,
    coding: Coding::Labels,
    population: &[
        (Group::White, 0.34),
        (Group::Hispanic, 0.46),
        (Group::Black, 0.07),
        (Group::Asian, 0.08),
        (Group::Multiracial, 0.02),
        (Group::Declined, 0.02),
        (Group::Unknown, 0.01),
    ],
    focus: Group::Hispanic,
    baseline: Baseline {
        reference: 0.64,
        gap: 0.14,
        follow_up: (0.48, 0.38),
        self_measured: 0.04,
        intensification: 0.33,
        access_days: 12.0,
    },
    menu: &[INTENSIFY],
    own_measure: None,
    level_target: 68.0,
    gap_target: 3.0,
    changes: &[
        ChangePlan {
            idea: "spanish-education",
            title: "Blood pressure education in Spanish by a bilingual medical assistant",
            package: Some("language-concordant-care"),
            portfolio: None,
            measures: &[BP, FOLLOW],
            new_phase: true,
            first_plan: (2, 20),
            who: "A bilingual medical assistant",
            place: "the Tuesday evening clinic",
            unit: "patients",
            success: (
                "say back their blood pressure goal and their medicines",
                "could say back their blood pressure goal and their medicines",
            ),
            ramp: &[(5, Adapt), (20, Adapt), (60, Adopt)],
            trouble: "",
            effect: Effect {
                control_focus: 0.07,
                follow_up_focus: 0.15,
                months_to_full: 4,
                ..Effect::NONE
            },
        },
        ChangePlan {
            idea: "follow-up-list",
            title: "A weekly list of patients with uncontrolled readings and no visit booked",
            package: Some("timely-follow-up"),
            portfolio: None,
            measures: &[FOLLOW, ACCESS],
            new_phase: false,
            first_plan: (6, 5),
            who: "The operations lead",
            place: "the clinic",
            unit: "patients",
            success: (
                "have a visit booked within four weeks of the high reading",
                "had a visit booked within four weeks of the high reading",
            ),
            ramp: &[(10, Adapt), (40, Adopt)],
            trouble: "",
            effect: Effect {
                control_all: 0.03,
                follow_up_all: 0.18,
                access_days: 1.0,
                months_to_full: 2,
                ..Effect::NONE
            },
        },
        ChangePlan {
            idea: "titration-protocol",
            title: "Volunteer physicians titrate medicines by a one-page protocol",
            package: Some("treatment-protocol"),
            portfolio: None,
            measures: &[BP, INTENSIFY],
            new_phase: false,
            first_plan: (13, 2),
            who: "Two volunteer physicians",
            place: "the Saturday clinic",
            unit: "patients",
            success: (
                "have a medicine intensified at a visit with an uncontrolled reading",
                "had a medicine intensified at a visit with an uncontrolled reading",
            ),
            ramp: &[(5, Adapt), (15, Adapt), (40, Adopt)],
            trouble: "",
            effect: Effect {
                control_all: 0.02,
                intensification: 0.15,
                ..Effect::NONE
            },
        },
    ],
    reporting: Reporting {
        usual_days: (4, 9),
        late: &[(11, 18)],
        missing: &[],
    },
    optimism: 0.5,
    notes: &[
        (
            0,
            "Our volunteers are on board; evening clinic hours are our best time to test.",
        ),
        (11, "Holiday closures; December's report is late."),
    ],
};

/// Summit Valley raises control for everyone with system-wide changes, but its gap does not
/// close: a rising tide. Its follow-up visits also lengthen the wait for an appointment for a
/// while (the balancing measure), until nurse visits take the load.
const SUMMIT_VALLEY: Profile = Profile {
    folder: "summit-valley",
    team: "Summit Valley",
    organization: "Summit Valley Health System",
    kind: OrganizationKind::HealthSystem,
    location: "Summit Valley, CO",
    people: [
        ("Dr. Robert Lindqvist", "Chief Medical Officer"),
        ("Karen O'Neill", "Director of Quality"),
        ("Samuel Adeyemi", "Population Health Analyst"),
        ("Denise Carter", "Equity Program Manager"),
        ("Gloria Washington", "Patient partner"),
    ],
    applied: Applied {
        submitted: (9, 30),
        real_complete: 0.97,
        sogi_complete: 0.71,
        earlier_qi: (
            "Sepsis bundle compliance",
            2021,
            "Bundle compliance rose from 62% to 88% across three hospitals.",
        ),
    },
    patients_per_month: 520,
    coding: Coding::CdcCodes,
    population: &[
        (Group::White, 0.55),
        (Group::Black, 0.22),
        (Group::Hispanic, 0.14),
        (Group::Asian, 0.04),
        (Group::Multiracial, 0.02),
        (Group::Declined, 0.015),
        (Group::Unknown, 0.01),
        (Group::Unmapped, 0.005),
    ],
    focus: Group::Black,
    baseline: Baseline {
        reference: 0.70,
        gap: 0.13,
        follow_up: (0.52, 0.44),
        self_measured: 0.06,
        intensification: 0.40,
        access_days: 11.0,
    },
    menu: &[INTENSIFY],
    own_measure: None,
    level_target: 75.0,
    gap_target: 5.0,
    changes: &[
        ChangePlan {
            idea: "automated-office-bp",
            title: "Automated office blood pressure readings at every rooming station",
            package: Some("accurate-measurement"),
            portfolio: None,
            measures: &[BP],
            new_phase: false,
            first_plan: (1, 24),
            who: "Rooming staff",
            place: "the North clinic",
            unit: "patients",
            success: (
                "have an automated reading taken alone in the room",
                "had an automated reading taken alone in the room",
            ),
            ramp: &[(10, Adapt), (50, Adopt)],
            trouble: "",
            effect: Effect {
                months_to_full: 2,
                ..effect(0.04, 0.0)
            },
        },
        ChangePlan {
            idea: "pharmacist-titration",
            title: "Pharmacist-led medication titration under a standard protocol",
            package: Some("treatment-protocol"),
            portfolio: None,
            measures: &[BP, INTENSIFY],
            new_phase: true,
            first_plan: (5, 8),
            who: "A clinical pharmacist",
            place: "the North clinic",
            unit: "patients",
            success: (
                "have their medicine adjusted within two weeks of a high reading",
                "had their medicine adjusted within two weeks of a high reading",
            ),
            ramp: &[(5, Adapt), (20, Adapt), (100, Adopt)],
            trouble: "",
            effect: Effect {
                control_all: 0.06,
                intensification: 0.20,
                follow_up_all: 0.08,
                months_to_full: 4,
                ..Effect::NONE
            },
        },
        ChangePlan {
            idea: "four-week-follow-up",
            title: "Book a follow-up visit within four weeks of every uncontrolled reading",
            package: Some("timely-follow-up"),
            portfolio: None,
            measures: &[FOLLOW, ACCESS],
            new_phase: false,
            first_plan: (9, 12),
            who: "Scheduling staff",
            place: "all five clinics",
            unit: "patients",
            success: (
                "leave with a follow-up visit booked within four weeks",
                "left with a follow-up visit booked within four weeks",
            ),
            ramp: &[(20, Adapt), (100, Adopt)],
            trouble: "",
            effect: Effect {
                control_all: 0.02,
                follow_up_all: 0.15,
                access_days: 3.5,
                months_to_full: 2,
                ..Effect::NONE
            },
        },
        ChangePlan {
            idea: "nurse-bp-visits",
            title: "Nurse blood pressure visits instead of physician visits for rechecks",
            package: None,
            portfolio: Some(Portfolio::PhysicalAndOrMentalHealth),
            measures: &[ACCESS],
            new_phase: false,
            first_plan: (13, 4),
            who: "Two registered nurses",
            place: "the North clinic",
            unit: "patients",
            success: (
                "have their recheck with a nurse instead of a physician",
                "had their recheck with a nurse instead of a physician",
            ),
            ramp: &[(10, Adapt), (40, Adopt)],
            trouble: "",
            effect: Effect {
                access_days: -3.0,
                ..Effect::NONE
            },
        },
    ],
    reporting: Reporting {
        usual_days: (1, 6),
        late: &[],
        missing: &[],
    },
    optimism: 0.0,
    notes: &[
        (
            2,
            "Baseline: a 13-point gap between Black and White patients across the system.",
        ),
        (
            13,
            "Wait times for appointments rose after we booked every follow-up; testing nurse visits.",
        ),
        (
            16,
            "Control is up for every group, but the gap has not moved. Faculty suggest a focused change for Black patients next.",
        ),
    ],
};

/// Lakeshore starts slowly, then closes its gap late through barbershop partnerships.
const LAKESHORE: Profile = Profile {
    folder: "lakeshore",
    team: "Lakeshore",
    organization: "Lakeshore Family Medicine",
    kind: OrganizationKind::AcademicMedicalCenter,
    location: "Lakeshore, MI",
    people: [
        ("Dr. Nia Brooks", "Residency Program Director"),
        ("Ethan Kowalski", "Chief Resident for Quality"),
        ("Farah Haddad", "Clinical Informaticist"),
        ("Rev. Calvin Moore", "Community Liaison"),
        ("Dorothy Jenkins", "Patient partner"),
    ],
    applied: Applied {
        submitted: (10, 20),
        real_complete: 0.91,
        sogi_complete: 0.58,
        earlier_qi: (
            "Depression screening in the residency clinic",
            2022,
            "Screening rose from 40% to 79% of adult visits.",
        ),
    },
    patients_per_month: 210,
    coding: Coding::Labels,
    population: &[
        (Group::White, 0.46),
        (Group::Black, 0.40),
        (Group::Hispanic, 0.06),
        (Group::Asian, 0.03),
        (Group::Multiracial, 0.02),
        (Group::Declined, 0.02),
        (Group::Unknown, 0.01),
    ],
    focus: Group::Black,
    baseline: Baseline {
        reference: 0.66,
        gap: 0.15,
        follow_up: (0.46, 0.34),
        self_measured: 0.03,
        intensification: 0.36,
        access_days: 14.0,
    },
    menu: &[SMBP],
    own_measure: None,
    level_target: 70.0,
    gap_target: 5.0,
    changes: &[
        ChangePlan {
            idea: "patient-advisory",
            title: "A monthly patient advisory meeting to co-design outreach",
            package: Some("patient-co-design"),
            portfolio: None,
            measures: &[],
            new_phase: false,
            first_plan: (3, 14),
            who: "The community liaison",
            place: "the church hall next to the clinic",
            unit: "patients",
            success: (
                "come back to the second meeting",
                "came back to the second meeting",
            ),
            ramp: &[(6, Adapt), (12, Adopt)],
            trouble: "",
            effect: Effect::NONE,
        },
        ChangePlan {
            idea: "barbershop-checks",
            title: "Blood pressure checks and referrals at two neighborhood barbershops",
            package: Some("community-partnerships"),
            portfolio: None,
            measures: &[BP, FOLLOW],
            new_phase: true,
            first_plan: (8, 9),
            who: "A resident and a barber",
            place: "two barbershops on Grand Avenue",
            unit: "clients",
            success: (
                "book a clinic visit after a high reading",
                "booked a clinic visit after a high reading",
            ),
            ramp: &[(10, Adapt), (30, Adapt), (80, Adopt)],
            trouble: "",
            effect: Effect {
                control_focus: 0.13,
                follow_up_focus: 0.18,
                months_to_full: 5,
                ..Effect::NONE
            },
        },
        ChangePlan {
            idea: "home-cuffs",
            title: "Home blood pressure cuffs for patients with uncontrolled readings",
            package: Some("self-measured-bp"),
            portfolio: None,
            measures: &[BP, SMBP],
            new_phase: false,
            first_plan: (12, 6),
            who: "The residents' continuity clinics",
            place: "the clinic",
            unit: "patients",
            success: (
                "bring a week of home readings to their next visit",
                "brought a week of home readings to their next visit",
            ),
            ramp: &[(5, Adapt), (20, Adopt)],
            trouble: "",
            effect: Effect {
                control_all: 0.02,
                control_focus: 0.03,
                self_measured: 0.15,
                ..Effect::NONE
            },
        },
    ],
    reporting: Reporting {
        usual_days: (5, 10),
        late: &[(6, 21)],
        missing: &[],
    },
    optimism: 1.0,
    notes: &[
        (
            0,
            "New residents start in July; we are building the team around the chief resident.",
        ),
        (
            6,
            "Residents rotated in July; the report is late while the new chief resident takes over.",
        ),
        (
            9,
            "The barbers now keep a referral pad; the clinic holds two walk-in slots a day for them.",
        ),
    ],
};

/// Eastside tests ideas but adopts none: its lead leaves, its follow-up flag stalls and the CHW
/// position loses its funding. Its data show no improvement, and two reports never come.
const EASTSIDE: Profile = Profile {
    folder: "eastside",
    team: "Eastside",
    organization: "Eastside Community Hospital",
    kind: OrganizationKind::CommunityHospital,
    location: "Eastside, PA",
    people: [
        ("Dr. Michael Grant", "Vice President of Medical Affairs"),
        ("Tanya Hughes", "Nurse Manager, Ambulatory Care"),
        ("Kevin Tran", "Decision Support Analyst"),
        ("Yolanda Price", "Diversity and Inclusion Officer"),
        ("Harold Simmons", "Patient partner"),
    ],
    applied: Applied {
        submitted: (10, 19),
        real_complete: 0.85,
        sogi_complete: 0.52,
        earlier_qi: (
            "Readmissions after heart failure",
            2020,
            "Thirty-day readmissions fell from 24% to 19%.",
        ),
    },
    patients_per_month: 300,
    coding: Coding::CdcCodes,
    population: &[
        (Group::White, 0.50),
        (Group::Black, 0.32),
        (Group::Hispanic, 0.08),
        (Group::Asian, 0.02),
        (Group::Multiracial, 0.02),
        (Group::Declined, 0.03),
        (Group::Unknown, 0.025),
        (Group::Unmapped, 0.005),
    ],
    focus: Group::Black,
    baseline: Baseline {
        reference: 0.65,
        gap: 0.16,
        follow_up: (0.44, 0.33),
        self_measured: 0.04,
        intensification: 0.35,
        access_days: 16.0,
    },
    menu: &[SMBP],
    own_measure: None,
    level_target: 70.0,
    gap_target: 5.0,
    changes: &[
        ChangePlan {
            idea: "text-reminders",
            title: "Text message reminders for follow-up visits",
            package: None,
            portfolio: Some(Portfolio::PhysicalAndOrMentalHealth),
            measures: &[FOLLOW],
            new_phase: false,
            first_plan: (3, 7),
            who: "The clinic receptionist",
            place: "the hospital's primary care clinic",
            unit: "patients",
            success: (
                "come to the follow-up visit the text reminds them of",
                "came to the follow-up visit the text reminded them of",
            ),
            ramp: &[(10, Adapt), (25, Abandon)],
            trouble: "The vendor's messages went out in English only, and many numbers were out of date.",
            effect: Effect::NONE,
        },
        ChangePlan {
            idea: "huddle-flag",
            title: "Flag uncontrolled readings at the morning huddle",
            package: Some("timely-follow-up"),
            portfolio: None,
            measures: &[FOLLOW],
            new_phase: false,
            first_plan: (5, 16),
            who: "The charge nurse",
            place: "the morning huddle",
            unit: "patients",
            success: (
                "have a follow-up booked after being flagged at the huddle",
                "had a follow-up booked after being flagged at the huddle",
            ),
            ramp: &[(5, Adapt), (5, Adapt), (10, Adapt)],
            trouble: "The huddle was often cancelled when the clinic was short-staffed.",
            effect: Effect::NONE,
        },
        ChangePlan {
            idea: "chw-referral",
            title: "Refer patients with uncontrolled blood pressure to the hospital's community health worker",
            package: Some("community-health-workers"),
            portfolio: None,
            measures: &[BP, FOLLOW],
            new_phase: false,
            first_plan: (12, 11),
            who: "The community health worker",
            place: "the primary care clinic",
            unit: "patients",
            success: (
                "be reached by the community health worker within two weeks",
                "were reached by the community health worker within two weeks",
            ),
            ramp: &[(5, Adapt), (10, Abandon)],
            trouble: "The CHW position was not funded after the grant ended in March.",
            effect: Effect::NONE,
        },
    ],
    reporting: Reporting {
        usual_days: (6, 10),
        late: &[(3, 24), (9, 17), (10, 26), (15, 19)],
        missing: &[7, 13],
    },
    optimism: 1.0,
    notes: &[
        (
            4,
            "Our nurse manager left in May; testing paused until an interim lead started.",
        ),
        (
            8,
            "The interim lead is covering two departments; the huddle flag is on hold.",
        ),
        (14, "The CHW grant ended; we are looking for other funding."),
        (
            17,
            "We learned a lot about what our clinic needs before changes can stick: a stable lead and protected time.",
        ),
    ],
};

/// Pinecrest improves for everyone with self-measured blood pressure and pharmacist titration,
/// a little more for Black patients: the gap narrows but does not reach the aim.
const PINECREST: Profile = Profile {
    folder: "pinecrest",
    team: "Pinecrest",
    organization: "Pinecrest Health Partners",
    kind: OrganizationKind::Aco,
    location: "Pinecrest, GA",
    people: [
        ("Dr. Lillian Foster", "Chief Clinical Officer"),
        ("Brian Matthews", "Quality Program Manager"),
        ("Aisha Bello", "Senior Data Analyst"),
        ("Marcus Greene", "Health Equity Lead"),
        ("Evelyn Harris", "Patient partner"),
    ],
    applied: Applied {
        submitted: (10, 7),
        real_complete: 0.96,
        sogi_complete: 0.66,
        earlier_qi: (
            "Colorectal cancer screening outreach",
            2021,
            "Screening rose from 61% to 72% of eligible members.",
        ),
    },
    patients_per_month: 400,
    coding: Coding::CdcCodes,
    population: &[
        (Group::White, 0.52),
        (Group::Black, 0.34),
        (Group::Hispanic, 0.07),
        (Group::Asian, 0.03),
        (Group::Multiracial, 0.02),
        (Group::Declined, 0.01),
        (Group::Unknown, 0.01),
    ],
    focus: Group::Black,
    baseline: Baseline {
        reference: 0.69,
        gap: 0.12,
        follow_up: (0.55, 0.47),
        self_measured: 0.07,
        intensification: 0.41,
        access_days: 10.0,
    },
    menu: &[SMBP, INTENSIFY],
    own_measure: None,
    level_target: 72.0,
    gap_target: 4.0,
    changes: &[
        ChangePlan {
            idea: "smbp-program",
            title: "Self-measured blood pressure program with validated cuffs and nurse review",
            package: Some("self-measured-bp"),
            portfolio: None,
            measures: &[BP, SMBP],
            new_phase: true,
            first_plan: (2, 8),
            who: "A nurse care manager",
            place: "the Pinecrest Road practice",
            unit: "patients",
            success: (
                "send readings that a nurse reviews within a week",
                "sent readings that a nurse reviewed within a week",
            ),
            ramp: &[(5, Adapt), (25, Adapt), (100, Adopt)],
            trouble: "",
            effect: Effect {
                control_all: 0.04,
                control_focus: 0.03,
                self_measured: 0.25,
                months_to_full: 4,
                ..Effect::NONE
            },
        },
        ChangePlan {
            idea: "pharmacist-titration",
            title: "Pharmacist titration visits between physician visits",
            package: Some("treatment-protocol"),
            portfolio: None,
            measures: &[BP, INTENSIFY],
            new_phase: false,
            first_plan: (7, 3),
            who: "A clinical pharmacist",
            place: "two practices",
            unit: "patients",
            success: (
                "have a titration visit within two weeks of an uncontrolled reading",
                "had a titration visit within two weeks of an uncontrolled reading",
            ),
            ramp: &[(10, Adapt), (40, Adopt)],
            trouble: "",
            effect: Effect {
                control_all: 0.04,
                control_focus: 0.02,
                intensification: 0.18,
                months_to_full: 4,
                ..Effect::NONE
            },
        },
    ],
    reporting: Reporting {
        usual_days: (1, 5),
        late: &[],
        missing: &[],
    },
    optimism: -0.5,
    notes: &[
        (
            1,
            "Our data team built a monthly extract from the ACO registry, stratified by race and ethnicity.",
        ),
        (
            15,
            "Control is up, but the gap for Black patients has narrowed less than we hoped.",
        ),
    ],
};

/// Northgate closes its gap for Hispanic patients with promotoras and interpreters at rooming.
const NORTHGATE: Profile = Profile {
    folder: "northgate",
    team: "Northgate",
    organization: "Northgate Family Health",
    kind: OrganizationKind::CommunityHealthCenter,
    location: "Northgate, TX",
    people: [
        ("Dr. Carmen Villarreal", "Chief Executive Officer"),
        ("Daniel Ortiz", "Quality Improvement Coordinator"),
        ("Grace Kim", "Data and Reporting Manager"),
        ("Lucia Flores", "Promotora Program Supervisor"),
        ("Miguel Sandoval", "Patient partner"),
    ],
    applied: Applied {
        submitted: (10, 12),
        real_complete: 0.93,
        sogi_complete: 0.60,
        earlier_qi: (
            "Diabetes control with promotoras",
            2021,
            "HbA1c above 9% fell from 27% to 19% of patients with diabetes.",
        ),
    },
    patients_per_month: 280,
    coding: Coding::Labels,
    population: &[
        (Group::White, 0.30),
        (Group::Hispanic, 0.55),
        (Group::Black, 0.08),
        (Group::Asian, 0.03),
        (Group::Multiracial, 0.01),
        (Group::Declined, 0.02),
        (Group::Unknown, 0.01),
    ],
    focus: Group::Hispanic,
    baseline: Baseline {
        reference: 0.66,
        gap: 0.14,
        follow_up: (0.50, 0.37),
        self_measured: 0.05,
        intensification: 0.37,
        access_days: 8.0,
    },
    menu: &[INTENSIFY],
    own_measure: None,
    level_target: 68.0,
    gap_target: 5.0,
    changes: &[
        ChangePlan {
            idea: "promotoras",
            title: "Promotoras de salud visit patients with uncontrolled blood pressure at home",
            package: Some("community-health-workers"),
            portfolio: None,
            measures: &[BP, FOLLOW],
            new_phase: true,
            first_plan: (3, 6),
            who: "Two promotoras",
            place: "the north side",
            unit: "patients",
            success: (
                "be visited at home and come to their next visit",
                "were visited at home and came to their next visit",
            ),
            ramp: &[(5, Adapt), (20, Adapt), (60, Adopt)],
            trouble: "",
            effect: Effect {
                control_focus: 0.10,
                follow_up_focus: 0.20,
                months_to_full: 5,
                ..Effect::NONE
            },
        },
        ChangePlan {
            idea: "interpreter-at-rooming",
            title: "An interpreter at rooming for patients who prefer Spanish",
            package: Some("language-concordant-care"),
            portfolio: None,
            measures: &[BP, FOLLOW],
            new_phase: false,
            first_plan: (6, 12),
            who: "Staff interpreters",
            place: "the main clinic",
            unit: "patients",
            success: (
                "have the interpreter present from rooming to checkout",
                "had the interpreter present from rooming to checkout",
            ),
            ramp: &[(10, Adapt), (50, Adopt)],
            trouble: "",
            effect: Effect {
                control_focus: 0.04,
                follow_up_focus: 0.05,
                ..Effect::NONE
            },
        },
        ChangePlan {
            idea: "food-pharmacy",
            title: "Food pharmacy referrals for patients with food insecurity",
            package: None,
            portfolio: Some(Portfolio::SocialAndOrSpiritualWellBeing),
            measures: &[BP],
            new_phase: false,
            first_plan: (10, 4),
            who: "The social worker",
            place: "the main clinic",
            unit: "patients",
            success: (
                "pick up a low-sodium food box",
                "picked up a low-sodium food box",
            ),
            ramp: &[(10, Adapt), (30, Abandon)],
            trouble: "The food bank could not supply low-sodium boxes every week.",
            effect: Effect::NONE,
        },
    ],
    reporting: Reporting {
        usual_days: (3, 9),
        late: &[],
        missing: &[],
    },
    optimism: 0.5,
    notes: &[
        (
            0,
            "Our promotoras already know many of our patients; we will start with them.",
        ),
        (
            14,
            "The gap for Hispanic patients is closing; we are writing up the promotora visits for the harvest.",
        ),
    ],
};

/// Bayview, a small rural clinic, works with the tribal health program; its gap for American
/// Indian patients narrows but stays above its aim. Its small groups make small cells.
const BAYVIEW: Profile = Profile {
    folder: "bayview",
    team: "Bayview",
    organization: "Bayview Rural Health Clinic",
    kind: OrganizationKind::RuralHealthCenter,
    location: "Bayview, MN",
    people: [
        ("Dr. Thomas Whitehorse", "Medical Director"),
        ("Sarah Lindgren", "Clinic Manager"),
        ("Erik Nelson", "Data and IT Lead"),
        ("Winona Bearheart", "Tribal Health Liaison"),
        ("Joseph Redcloud", "Patient partner"),
    ],
    applied: Applied {
        submitted: (10, 17),
        real_complete: 0.90,
        sogi_complete: 0.51,
        earlier_qi: (
            "Childhood immunizations",
            2019,
            "Up-to-date immunizations at age two rose from 68% to 85%.",
        ),
    },
    patients_per_month: 200,
    coding: Coding::CdcCodes,
    population: &[
        (Group::White, 0.61),
        (Group::AmericanIndian, 0.30),
        (Group::Hispanic, 0.04),
        (Group::Multiracial, 0.02),
        (Group::Declined, 0.02),
        (Group::Unknown, 0.01),
    ],
    focus: Group::AmericanIndian,
    baseline: Baseline {
        reference: 0.66,
        gap: 0.17,
        follow_up: (0.47, 0.32),
        self_measured: 0.03,
        intensification: 0.36,
        access_days: 13.0,
    },
    menu: &[SMBP],
    own_measure: None,
    level_target: 70.0,
    gap_target: 4.0,
    changes: &[
        ChangePlan {
            idea: "cuff-sizes",
            title: "Every cuff size in every exam room",
            package: Some("accurate-measurement"),
            portfolio: None,
            measures: &[BP],
            new_phase: false,
            first_plan: (2, 15),
            who: "The clinic manager",
            place: "the clinic",
            unit: "patients",
            success: (
                "be measured with a cuff of the right size",
                "were measured with a cuff of the right size",
            ),
            ramp: &[(10, Adapt), (30, Adopt)],
            trouble: "",
            effect: Effect {
                months_to_full: 2,
                ..effect(0.02, 0.0)
            },
        },
        ChangePlan {
            idea: "tribal-center-checks",
            title: "Blood pressure checks at the tribal community center with the tribal health program",
            package: Some("community-partnerships"),
            portfolio: None,
            measures: &[BP, FOLLOW],
            new_phase: true,
            first_plan: (4, 10),
            who: "The tribal health liaison and a nurse",
            place: "the tribal community center",
            unit: "patients",
            success: (
                "have a clinic visit within four weeks of a high reading",
                "had a clinic visit within four weeks of a high reading",
            ),
            ramp: &[(8, Adapt), (20, Adapt), (50, Adopt)],
            trouble: "",
            effect: Effect {
                control_focus: 0.08,
                follow_up_focus: 0.15,
                months_to_full: 4,
                ..Effect::NONE
            },
        },
    ],
    reporting: Reporting {
        usual_days: (3, 9),
        late: &[(12, 23)],
        missing: &[],
    },
    optimism: 0.0,
    notes: &[
        (
            3,
            "Our groups are small: faculty reminded us that a month's rate for 40 patients moves a lot.",
        ),
        (
            12,
            "Snowstorms closed the clinic for a week; the report is late.",
        ),
    ],
};

/// The eight teams, in the order the Action Community admitted them.
pub(crate) const TEAMS: [Profile; 8] = [
    RIVERBEND,
    HARBOR_POINT,
    SUMMIT_VALLEY,
    LAKESHORE,
    EASTSIDE,
    PINECREST,
    NORTHGATE,
    BAYVIEW,
];

/// The names of the large collaborative's teams beyond the eight: folder, team, organization.
const MORE_NAMES: [(&str, &str, &str); 52] = [
    ("ashford", "Ashford", "Ashford Community Health Center"),
    ("brookfield", "Brookfield", "Brookfield Family Health"),
    (
        "cedar-hollow",
        "Cedar Hollow",
        "Cedar Hollow Health Partners",
    ),
    ("dunmore", "Dunmore", "Dunmore Medical Group"),
    ("elmwood", "Elmwood", "Elmwood Community Health Center"),
    ("fairhaven", "Fairhaven", "Fairhaven Family Health"),
    ("glenrock", "Glenrock", "Glenrock Health Partners"),
    ("hillcrest", "Hillcrest", "Hillcrest Medical Group"),
    ("ironwood", "Ironwood", "Ironwood Community Health Center"),
    ("juniper-bay", "Juniper Bay", "Juniper Bay Family Health"),
    ("kingsport", "Kingsport", "Kingsport Health Partners"),
    ("lakemont", "Lakemont", "Lakemont Medical Group"),
    (
        "maple-ridge",
        "Maple Ridge",
        "Maple Ridge Community Health Center",
    ),
    ("newcastle", "Newcastle", "Newcastle Family Health"),
    ("oakdale", "Oakdale", "Oakdale Health Partners"),
    ("pine-bluff", "Pine Bluff", "Pine Bluff Medical Group"),
    (
        "quarry-hill",
        "Quarry Hill",
        "Quarry Hill Community Health Center",
    ),
    ("redwood", "Redwood", "Redwood Family Health"),
    ("silver-lake", "Silver Lake", "Silver Lake Health Partners"),
    ("timberline", "Timberline", "Timberline Medical Group"),
    (
        "union-gap",
        "Union Gap",
        "Union Gap Community Health Center",
    ),
    ("valley-forge", "Valley Forge", "Valley Forge Family Health"),
    ("westbrook", "Westbrook", "Westbrook Health Partners"),
    ("yellow-creek", "Yellow Creek", "Yellow Creek Medical Group"),
    (
        "zion-park",
        "Zion Park",
        "Zion Park Community Health Center",
    ),
    ("alder-point", "Alder Point", "Alder Point Family Health"),
    ("birchwood", "Birchwood", "Birchwood Health Partners"),
    ("clearwater", "Clearwater", "Clearwater Medical Group"),
    ("deer-run", "Deer Run", "Deer Run Community Health Center"),
    ("eagle-pass", "Eagle Pass", "Eagle Pass Family Health"),
    ("foxborough", "Foxborough", "Foxborough Health Partners"),
    (
        "granite-falls",
        "Granite Falls",
        "Granite Falls Medical Group",
    ),
    (
        "hawthorne",
        "Hawthorne",
        "Hawthorne Community Health Center",
    ),
    (
        "indian-springs",
        "Indian Springs",
        "Indian Springs Family Health",
    ),
    ("jasper", "Jasper", "Jasper Health Partners"),
    ("kettle-river", "Kettle River", "Kettle River Medical Group"),
    (
        "lone-pine",
        "Lone Pine",
        "Lone Pine Community Health Center",
    ),
    ("millbrook", "Millbrook", "Millbrook Family Health"),
    ("north-haven", "North Haven", "North Haven Health Partners"),
    ("orchard-park", "Orchard Park", "Orchard Park Medical Group"),
    (
        "prairie-view",
        "Prairie View",
        "Prairie View Community Health Center",
    ),
    ("rock-creek", "Rock Creek", "Rock Creek Family Health"),
    ("sandy-hook", "Sandy Hook", "Sandy Hook Health Partners"),
    ("thornton", "Thornton", "Thornton Medical Group"),
    ("upland", "Upland", "Upland Community Health Center"),
    ("vista-grande", "Vista Grande", "Vista Grande Family Health"),
    ("willow-bend", "Willow Bend", "Willow Bend Health Partners"),
    ("amber-hills", "Amber Hills", "Amber Hills Medical Group"),
    (
        "blue-ridge",
        "Blue Ridge",
        "Blue Ridge Community Health Center",
    ),
    (
        "copper-canyon",
        "Copper Canyon",
        "Copper Canyon Family Health",
    ),
    ("driftwood", "Driftwood", "Driftwood Health Partners"),
    ("evergreen", "Evergreen", "Evergreen Medical Group"),
];

/// Teams in the large collaborative.
pub(crate) const LARGE_TEAMS: usize = 60;

/// The large collaborative's teams: the eight, then 52 more, each like one of the eight (team
/// `i` like team `i % 8`: it tests the same changes with the same success, reports as
/// reliably, and serves a population of its own size), drawing its own patients.
pub(crate) static LARGE: [Profile; LARGE_TEAMS] = large();

// Evaluated at compile time, into the static: nothing of it is on a stack at run time.
#[allow(clippy::large_stack_arrays)]
const fn large() -> [Profile; LARGE_TEAMS] {
    let mut out = [TEAMS[0]; LARGE_TEAMS];
    let mut i = 0;
    while i < LARGE_TEAMS {
        let like = TEAMS[i % TEAMS.len()];
        out[i] = if i < TEAMS.len() {
            like
        } else {
            let (folder, team, organization) = MORE_NAMES[i - TEAMS.len()];
            // 70% to 130% of the original's patients, in a fixed order.
            #[allow(clippy::cast_possible_truncation)]
            let share = 70 + ((i * 37) % 61) as u32;
            Profile {
                folder,
                team,
                organization,
                patients_per_month: like.patients_per_month * share / 100,
                ..like
            }
        };
        i += 1;
    }
    out
}

/// Whether the large collaborative's `index`-th team is like Eastside: it adopts nothing,
/// reports late and misses reports. These are the teams its report must say need attention.
pub(crate) fn struggles(index: usize) -> bool {
    TEAMS
        .get(index % TEAMS.len())
        .is_some_and(|like| like.folder == EASTSIDE.folder)
}

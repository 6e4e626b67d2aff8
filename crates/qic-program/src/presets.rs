//! The seed programs as ready-made [`Program`]s.
//!
//! | preset | program |
//! | --- | --- |
//! | `improving-population-health-2020` | [`improving_population_health_2020`] |
//! | `pursuing-equity-2022` | [`pursuing_equity_2022`] |
//! | `action-learning-collaborative` | [`action_learning_collaborative`] built from [`example_collaborative_design`] |
//!
//! Each function's docs say which facts come from the program pages and which dates are qic's
//! illustration: the pages give the structure and the deadlines, not the day of every session.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use chrono::{NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use crate::cohort::{
    ApplicationWindow, CohortKind, CohortSpec, Commitments, Expectation, Frequency, TeamSize,
};
use crate::design::{
    ActionSupport, CollaborativeDesign, Focus, Goals, Impact, Learning, Participants, Performance,
    ProgramPlan, Support,
};
use crate::error::ProgramError;
use crate::pathway::Pathway;
use crate::program::{DurationMonths, Framework, Program, ProgramSpec, Sponsor, SponsorKind};
use crate::recurrence::{Recurrence, WeekOfMonth};
use crate::schedule::{
    CallKind, CallSeries, CallWindow, ScheduleTemplate, SessionFormat, SessionKind, SessionSpec,
};
use crate::team::OrganizationKind;

/// A built-in program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    /// IHI's Improving Population Health Action Community, August 2020 to June 2021.
    #[serde(rename = "improving-population-health-2020")]
    ImprovingPopulationHealth2020,
    /// IHI's Pursuing Equity Learning Network and Action Community, 2023 to 2024 (applications
    /// in 2022).
    #[serde(rename = "pursuing-equity-2022")]
    PursuingEquity2022,
    /// A generic Action Learning Collaborative built from a sponsor's design.
    ActionLearningCollaborative,
}

impl Preset {
    /// Every preset.
    pub const ALL: [Self; 3] = [
        Self::ImprovingPopulationHealth2020,
        Self::PursuingEquity2022,
        Self::ActionLearningCollaborative,
    ];

    /// The name used on the command line and in files.
    pub const fn name(self) -> &'static str {
        match self {
            Self::ImprovingPopulationHealth2020 => "improving-population-health-2020",
            Self::PursuingEquity2022 => "pursuing-equity-2022",
            Self::ActionLearningCollaborative => "action-learning-collaborative",
        }
    }

    /// A one-line description.
    pub const fn summary(self) -> &'static str {
        match self {
            Self::ImprovingPopulationHealth2020 => {
                "IHI Improving Population Health Action Community: 11 months from August 2020, three learning sessions, monthly all-team calls, a harvesting session"
            }
            Self::PursuingEquity2022 => {
                "IHI Pursuing Equity: a Learning Network (~40 teams) and an Action Community (~10 teams), 18 months from January 2023"
            }
            Self::ActionLearningCollaborative => {
                "a 9-month Action Learning Collaborative with four in-person sessions and a capstone, built from its eight development steps"
            }
        }
    }

    /// The preset's program.
    ///
    /// # Errors
    ///
    /// None in practice (the presets are fixed data that the tests build); the `Result` keeps
    /// the checks of [`Program::new`] in force.
    pub fn program(self) -> Result<Program, ProgramError> {
        match self {
            Self::ImprovingPopulationHealth2020 => improving_population_health_2020(),
            Self::PursuingEquity2022 => pursuing_equity_2022(),
            Self::ActionLearningCollaborative => {
                action_learning_collaborative(&example_collaborative_design())
            }
        }
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Preset {
    type Err = ProgramError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|p| p.name() == name.trim())
            .ok_or_else(|| ProgramError::UnknownPreset {
                name: name.to_owned(),
                known: Self::ALL.map(Self::name).join(", "),
            })
    }
}

/// A date of the fixed preset data; the presets' tests build every one.
fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

fn time(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN)
}

fn months(n: u32) -> Result<DurationMonths, ProgramError> {
    DurationMonths::new(n)
}

/// IHI's Improving Population Health Action Community 2020-21.
///
/// **From the program pages:** an 11-month initiative for health care delivery organizations,
/// beginning in August 2020; sponsored by IHI and facilitated by 100 Million Healthier Lives with
/// the support of the Robert Wood Johnson Foundation; teams work across the four portfolios of
/// population health and follow the 10-step path of the Getting Started Guide; learning sessions
/// are one in-person two-day meeting and two virtual half-day meetings; action periods between
/// them hold monthly all-team calls, individual support and working groups; a virtual
/// harvesting session closes the initiative.
///
/// **qic's illustration (not from the pages):** the start on 2020-08-01 (so the window is
/// 2020-08-01 to 2021-06-30); the session days (virtual 2020-08-26, in person 2021-01-26 and 27,
/// virtual 2021-04-14, harvesting 2021-06-23); the order of the sessions; the call rules (all-team
/// calls on the second Tuesday, working groups on the first Wednesday and third Thursday); the
/// times of day and the time zone; the working groups' topics. Individual support is arranged
/// team by team and is not on the shared calendar.
///
/// # Errors
///
/// None in practice (see [`Preset::program`]).
pub fn improving_population_health_2020() -> Result<Program, ProgramError> {
    let schedule = ScheduleTemplate::default()
        .session(
            SessionSpec::virtual_half_day("Learning Session 1", day(2020, 8, 26))
                .at(time(12, 0), 240),
        )
        .session(SessionSpec::in_person(
            "Learning Session 2",
            day(2021, 1, 26),
            2,
        ))
        .session(
            SessionSpec::virtual_half_day("Learning Session 3", day(2021, 4, 14))
                .at(time(12, 0), 240),
        )
        .session(
            SessionSpec::virtual_half_day("Harvesting Session", day(2021, 6, 23))
                .at(time(12, 0), 240)
                .kind(SessionKind::Harvesting),
        )
        .calls(CallSeries::new(
            "All-team call",
            CallKind::AllTeam,
            Recurrence::monthly(WeekOfMonth::Second, Weekday::Tue),
            time(13, 0),
        ))
        .calls(CallSeries::new(
            "Working group: measurement and data",
            CallKind::WorkingGroup,
            Recurrence::monthly(WeekOfMonth::First, Weekday::Wed),
            time(14, 0),
        ))
        .calls(CallSeries::new(
            "Working group: community partnerships",
            CallKind::WorkingGroup,
            Recurrence::monthly(WeekOfMonth::Third, Weekday::Thu),
            time(14, 0),
        ));
    let cohort = CohortSpec::new("Action Community", CohortKind::ActionCommunity)
        .description(
            "Peer health care delivery organizations test improvements across the four portfolios of population health, building will, prioritizing ideas and executing on them reliably, sustainably and equitably.",
        )
        .commitments(
            Commitments::default()
                .expecting(Expectation::AttendLearningSessions)
                .expecting(Expectation::TravelToInPersonSessions)
                .other("follow the 10-step path of the Getting Started Guide"),
        )
        .schedule(schedule);
    let spec = ProgramSpec::new(
        "Improving Population Health Action Community 2020-21",
        Sponsor::new(
            "Institute for Healthcare Improvement",
            SponsorKind::ImprovementInstitute,
        )
        .supported_by("100 Million Healthier Lives")
        .supported_by("Robert Wood Johnson Foundation"),
        "accelerate progress toward population health, well-being and equity",
        Framework::PathwaysToPopulationHealth,
        day(2020, 8, 1),
        months(11)?,
    )
    .time_zone("America/New_York")
    .pathway(Pathway::pathways_to_population_health())
    .cohort(cohort);
    Program::new(spec)
}

/// IHI's Pursuing Equity Learning Network and Action Community 2023-24.
///
/// **From the program pages:** 18 months, January 2023 to June 2024; a Learning Network of about
/// 40 teams (foundational, not project based, a smaller time commitment, regular learning and
/// discussion calls and small cohorts) and an Action Community of about 10 teams (measurable
/// clinical equity projects, regular virtual calls and travel to in-person learning sessions);
/// Action Community applications due 2022-10-21 and Learning Network applications 2022-11-01;
/// Action Community applicants hear by 2022-12-05; core teams of 3 to 7 people who attend all
/// calls and meet weekly, with a clinical member on every call; a letter of commitment from the
/// CEO and the Board Chair; patient partners compensated for their time; funded by Genentech.
///
/// **qic's illustration:** the capacities 40 and 10 are the pages' "about" figures; the Learning
/// Network's decision date (the pages say decisions come "early December", so 2022-12-05 as for
/// the Action Community); every session day (Action Community: virtual kickoff 2023-01-24, in
/// person 2023-05-09 and 10 and 2023-11-07 and 8, virtual harvesting 2024-06-11); the number of
/// in-person sessions (two); the call rules, times of day and time zone.
///
/// # Errors
///
/// None in practice (see [`Preset::program`]).
pub fn pursuing_equity_2022() -> Result<Program, ProgramError> {
    let core_team = TeamSize::new(3, 7)?;
    let shared = Commitments::default()
        .expecting(Expectation::AttendAllCalls)
        .expecting(Expectation::ClinicalMemberOnCalls)
        .expecting(Expectation::ShareDataAndLearning)
        .expecting(Expectation::CompensatePatientPartners)
        .team_meets(Frequency::Weekly)
        .core_team(core_team);
    let network = CohortSpec::new("Learning Network", CohortKind::LearningNetwork)
        .description(
            "Builds the foundations for equity and racial justice: the organization's history, its data seen with an equity lens, its inequities and its relationships.",
        )
        .capacity(40)
        .commitments(shared.clone())
        .applications(ApplicationWindow::new(None, day(2022, 11, 1), Some(day(2022, 12, 5)))?)
        .schedule(
            ScheduleTemplate::default()
                .calls(
                    CallSeries::new(
                        "Learning and discussion call",
                        CallKind::Webinar,
                        Recurrence::monthly(WeekOfMonth::Third, Weekday::Wed),
                        time(13, 0),
                    )
                    .minutes(90)
                    .during(CallWindow::WholeProgram),
                )
                .calls(
                    CallSeries::new(
                        "Small-cohort call",
                        CallKind::WorkingGroup,
                        Recurrence::monthly(WeekOfMonth::Last, Weekday::Tue),
                        time(13, 0),
                    )
                    .during(CallWindow::WholeProgram),
                ),
        );
    let community = CohortSpec::new("Action Community", CohortKind::ActionCommunity)
        .description(
            "A small, close-knit cohort making measurable progress on clinical equity projects and advancing the culture of equity in their organizations.",
        )
        .capacity(10)
        .commitments(
            shared
                .expecting(Expectation::AttendLearningSessions)
                .expecting(Expectation::TravelToInPersonSessions)
                .expecting(Expectation::LeadershipLetter),
        )
        .applications(ApplicationWindow::new(None, day(2022, 10, 21), Some(day(2022, 12, 5)))?)
        .schedule(
            ScheduleTemplate::default()
                .session(SessionSpec::virtual_half_day("Kickoff Learning Session", day(2023, 1, 24)).at(time(12, 0), 240))
                .session(SessionSpec::in_person("Learning Session 2", day(2023, 5, 9), 2))
                .session(SessionSpec::in_person("Learning Session 3", day(2023, 11, 7), 2))
                .session(
                    SessionSpec::virtual_half_day("Harvesting Session", day(2024, 6, 11))
                        .at(time(12, 0), 240)
                        .kind(SessionKind::Harvesting),
                )
                .calls(
                    CallSeries::new(
                        "Action Community call",
                        CallKind::AllTeam,
                        Recurrence::monthly(WeekOfMonth::Second, Weekday::Thu),
                        time(13, 0),
                    )
                    .minutes(90),
                )
                .calls(CallSeries::new(
                    "Coaching call",
                    CallKind::Coaching,
                    Recurrence::monthly(WeekOfMonth::Fourth, Weekday::Tue),
                    time(14, 0),
                )),
        );
    let spec = ProgramSpec::new(
        "Pursuing Equity Learning Network and Action Community 2023-24",
        Sponsor::new(
            "Institute for Healthcare Improvement",
            SponsorKind::ImprovementInstitute,
        )
        .supported_by("Genentech"),
        "build a culture of equity and make measurable progress on clinical equity outcomes",
        Framework::HealthEquity,
        day(2023, 1, 1),
        months(18)?,
    )
    .time_zone("America/New_York")
    .cohort(network)
    .cohort(community);
    Program::new(spec)
}

/// A generic Action Learning Collaborative: whatever a sponsor's eight answers describe (3 to 12
/// or more months, 1 to 12 or more learning sessions, in person or virtual, with or without a
/// capstone). The `action-learning-collaborative` preset builds [`example_collaborative_design`].
///
/// # Errors
///
/// As [`CollaborativeDesign::build`].
pub fn action_learning_collaborative(
    design: &CollaborativeDesign,
) -> Result<Program, ProgramError> {
    design.build()
}

/// The design behind the `action-learning-collaborative` preset, after CHS's example of a
/// cross-sector partnership (three statewide associations and a state public health agency):
/// interprofessional teams of three to five people, four in-person learning sessions over nine
/// months, a capstone where teams present their projects, and action-period supports of
/// webinars, coaching, data, tools, training, technical assistance and an online resource center.
///
/// **qic's illustration:** the names, the start on 2025-09-01, the capacity of 12 teams, the
/// Thursday sessions, the webinar and coaching rules, the measures, and the capstone as its own
/// event in the last week (in the example the teach-back happens at the final session).
/// Change any answer to design another collaborative.
pub fn example_collaborative_design() -> CollaborativeDesign {
    CollaborativeDesign::default()
        .focus(Focus {
            sponsor: Sponsor::new("Statewide Interprofessional Partnership", SponsorKind::CrossSectorPartnership)
                .supported_by("federal grant funding"),
            topic: "strengthen interprofessional teams' competencies for collaboration and leadership".into(),
            needs: vec!["interprofessional collaboration".into(), "leadership".into()],
        })
        .participants(Participants {
            organization_kinds: BTreeSet::from([
                OrganizationKind::CommunityHealthCenter,
                OrganizationKind::CommunityHospital,
                OrganizationKind::PublicHealthAgency,
                OrganizationKind::CommunityPartnerOrganization,
            ]),
            teams: 12,
            team_size: TeamSize::new(3, 5).ok(),
        })
        .goals(Goals {
            learning: vec!["competencies for interprofessional collaboration and leadership".into()],
            action: vec!["a capstone project on a real challenge or opportunity facing the team's organization or community".into()],
        })
        .plan(ProgramPlan {
            name: "Interprofessional Leadership Action Learning Collaborative".into(),
            start: day(2025, 9, 1),
            months: 9,
            time_zone: Some("America/Chicago".into()),
        })
        .learning(Learning {
            sessions: 4,
            format: SessionFormat::InPerson,
            days_per_session: 1,
            weekday: Weekday::Thu,
            webinars: Some(Recurrence::monthly(WeekOfMonth::Third, Weekday::Wed)),
            online_resources: true,
        })
        .support(ActionSupport {
            supports: BTreeSet::from([
                Support::Coaching,
                Support::Data,
                Support::Tools,
                Support::Training,
                Support::TechnicalAssistance,
                Support::OnlineResourceCenter,
            ]),
            coaching_calls: Some(Recurrence::monthly(WeekOfMonth::First, Weekday::Tue)),
        })
        .performance(Performance {
            measures: vec!["team competency self-assessment".into(), "capstone project milestones".into()],
            reporting: Frequency::Monthly,
        })
        .impact(Impact {
            intended: vec![
                "personal and team development".into(),
                "benefit to the people the teams serve through their capstone projects".into(),
            ],
            capstone: true,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::EventKind;

    #[test]
    fn every_preset_builds_and_is_named_by_its_name() {
        for preset in Preset::ALL {
            let program = preset.program().unwrap();
            assert!(!program.schedule().events().is_empty(), "{preset}");
            assert_eq!(preset.name().parse::<Preset>().unwrap(), preset);
        }
        let err = "improving-population-health".parse::<Preset>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown preset `improving-population-health` (known presets: improving-population-health-2020, pursuing-equity-2022, action-learning-collaborative)"
        );
    }

    #[test]
    fn improving_population_health_has_the_seed_structure() {
        let program = improving_population_health_2020().unwrap();
        assert_eq!(program.window().start(), day(2020, 8, 1));
        assert_eq!(program.window().end(), day(2021, 6, 30));
        assert_eq!(program.duration().get(), 11);
        let s = program.schedule();
        let sessions: Vec<_> = s.learning_sessions().collect();
        assert_eq!(sessions.len(), 3);
        let in_person: Vec<_> = sessions
            .iter()
            .filter(|e| e.format == Some(SessionFormat::InPerson))
            .collect();
        assert_eq!(in_person.len(), 1);
        assert_eq!(in_person[0].timing.days(), 2);
        for virtual_session in sessions
            .iter()
            .filter(|e| e.format == Some(SessionFormat::Virtual))
        {
            assert_eq!(
                (virtual_session.timing.end() - virtual_session.timing.start()).num_hours(),
                4
            );
        }
        let harvest: Vec<_> = s.of_kind(EventKind::HarvestingSession).collect();
        assert_eq!(harvest.len(), 1);
        assert_eq!(harvest[0].format, Some(SessionFormat::Virtual));
        assert!(
            s.events()
                .iter()
                .all(|e| e.timing.start() <= harvest[0].timing.start()
                    || e.kind == EventKind::ActionPeriod)
        );
        // One all-team call in each month of the action periods, September to June.
        let months: BTreeSet<_> = s
            .of_kind(EventKind::AllTeamCall)
            .map(|e| crate::YearMonth::of(e.timing.first_day()))
            .collect();
        assert_eq!(months.len(), 10);
        assert!(s.of_kind(EventKind::WorkingGroup).count() >= 10);
        assert_eq!(s.of_kind(EventKind::ActionPeriod).count(), 3);
        assert_eq!(program.pathway().map(|p| p.steps().len()), Some(10));
    }

    #[test]
    fn pursuing_equity_has_two_cohorts_and_the_seed_dates() {
        let program = pursuing_equity_2022().unwrap();
        assert_eq!(program.window().end(), day(2024, 6, 30));
        let network = program.cohort_named("Learning Network").unwrap();
        let community = program.cohort_named("Action Community").unwrap();
        assert_eq!(
            (network.capacity(), community.capacity()),
            (Some(40), Some(10))
        );
        let apps = community.applications().unwrap();
        assert_eq!(
            (apps.deadline(), apps.decisions_by()),
            (day(2022, 10, 21), Some(day(2022, 12, 5)))
        );
        assert_eq!(network.applications().unwrap().deadline(), day(2022, 11, 1));
        assert_eq!(
            community
                .commitments()
                .core_team_size
                .map(|s| (s.min(), s.max())),
            Some((3, 7))
        );
        assert!(
            community
                .commitments()
                .expects(Expectation::LeadershipLetter)
        );
        assert!(
            !network
                .commitments()
                .expects(Expectation::TravelToInPersonSessions)
        );
        let s = program.schedule();
        assert_eq!(s.of_kind(EventKind::ApplicationDeadline).count(), 2);
        assert_eq!(
            s.for_cohort("Learning Network")
                .filter(|e| e.kind.is_session())
                .count(),
            0
        );
        assert_eq!(
            s.for_cohort("Action Community")
                .filter(|e| e.kind == EventKind::LearningSession)
                .count(),
            3
        );
    }

    #[test]
    fn the_collaborative_preset_is_nine_months_with_a_capstone() {
        let program = Preset::ActionLearningCollaborative.program().unwrap();
        assert_eq!(program.duration().get(), 9);
        assert_eq!(program.schedule().learning_sessions().count(), 4);
        assert_eq!(program.schedule().of_kind(EventKind::Capstone).count(), 1);
        let mut short = example_collaborative_design();
        short.plan.as_mut().unwrap().months = 3;
        short.learning.as_mut().unwrap().sessions = 2;
        assert_eq!(
            action_learning_collaborative(&short)
                .unwrap()
                .duration()
                .get(),
            3
        );
    }
}

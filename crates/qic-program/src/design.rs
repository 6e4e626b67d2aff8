//! Designing an Action Learning Collaborative in its eight development steps.
//!
//! The steps are those of an Action Learning Collaborative as CHS describes them: select a focus,
//! engage participants, define goals, design the program, facilitate learning, support action,
//! optimize performance, elevate impact. A [`CollaborativeDesign`] records one answer per step
//! and will not [`build`](CollaborativeDesign::build) a [`Program`] until every step is answered.
//!
//! Building places the learning sessions evenly over the program (each on the chosen weekday on
//! or after its share of the window), runs webinars and coaching calls in the action periods
//! between them, and adds a capstone in the last week when the sponsor asks for one.

use std::collections::BTreeSet;
use std::fmt;

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use crate::cohort::{CohortKind, CohortSpec, Commitments, Expectation, Frequency, TeamSize};
use crate::error::ProgramError;
use crate::program::{DurationMonths, Framework, Program, ProgramSpec, ProgramWindow, Sponsor};
use crate::recurrence::Recurrence;
use crate::schedule::{
    CallKind, CallSeries, ScheduleTemplate, SessionFormat, SessionKind, SessionSpec,
};
use crate::team::OrganizationKind;

/// One of the eight development steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DevelopmentStep {
    /// 1. Select a focus from the needs of the sponsor, the participants and their communities.
    SelectFocus,
    /// 2. Engage individuals or teams from several organizations.
    EngageParticipants,
    /// 3. Help participants define practical goals for learning and action.
    DefineGoals,
    /// 4. Design a program that answers the sponsor's and participants' goals.
    DesignProgram,
    /// 5. Facilitate learning through group sessions, webinars and online resources.
    FacilitateLearning,
    /// 6. Support action with coaching, data, tools and technical assistance.
    SupportAction,
    /// 7. Track the improvement in performance that learning and action bring.
    OptimizePerformance,
    /// 8. Link the improvement to impact for the organizations and their communities.
    ElevateImpact,
}

impl DevelopmentStep {
    /// The eight steps, in order.
    pub const ALL: [Self; 8] = [
        Self::SelectFocus,
        Self::EngageParticipants,
        Self::DefineGoals,
        Self::DesignProgram,
        Self::FacilitateLearning,
        Self::SupportAction,
        Self::OptimizePerformance,
        Self::ElevateImpact,
    ];

    /// The step's title.
    pub const fn label(self) -> &'static str {
        match self {
            Self::SelectFocus => "Select a Focus",
            Self::EngageParticipants => "Engage Participants",
            Self::DefineGoals => "Define Goals",
            Self::DesignProgram => "Design the Program",
            Self::FacilitateLearning => "Facilitate Learning",
            Self::SupportAction => "Support Action",
            Self::OptimizePerformance => "Optimize Performance",
            Self::ElevateImpact => "Elevate Impact",
        }
    }
}

impl fmt::Display for DevelopmentStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Step 1: who sponsors the collaborative and what it focuses on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Focus {
    /// The sponsor.
    pub sponsor: Sponsor,
    /// The focus, in a sentence.
    pub topic: String,
    /// The needs it answers (of the sponsor, the participants, their communities).
    #[serde(default)]
    pub needs: Vec<String>,
}

/// Step 2: who takes part.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participants {
    /// The kinds of organization invited.
    pub organization_kinds: BTreeSet<OrganizationKind>,
    /// How many teams the collaborative takes (its capacity).
    pub teams: u32,
    /// The size of each team, if set.
    #[serde(default)]
    pub team_size: Option<TeamSize>,
}

/// Step 3: what participants aim to learn and do.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goals {
    /// Goals for learning.
    #[serde(default)]
    pub learning: Vec<String>,
    /// Goals for action.
    #[serde(default)]
    pub action: Vec<String>,
}

/// Step 4: the program's name and window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramPlan {
    /// The program's name.
    pub name: String,
    /// Its first day.
    #[serde(with = "crate::serde_date")]
    pub start: NaiveDate,
    /// Its length: at least [`MIN_COLLABORATIVE_MONTHS`], at most [`DurationMonths::MAX`].
    pub months: u32,
    /// The time zone of its calendar, if set.
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// The shortest Action Learning Collaborative: three months ("from three months to 12 months or
/// longer").
pub const MIN_COLLABORATIVE_MONTHS: u32 = 3;

/// Step 5: the learning sessions and webinars.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Learning {
    /// How many learning sessions (at least one, at most one a week).
    pub sessions: u32,
    /// In person or virtual.
    pub format: SessionFormat,
    /// In person: days per session.
    #[serde(default = "one")]
    pub days_per_session: u32,
    /// The weekday sessions start on.
    pub weekday: Weekday,
    /// Webinars between sessions, if any.
    #[serde(default)]
    pub webinars: Option<Recurrence>,
    /// Whether participants get an online resource center.
    #[serde(default)]
    pub online_resources: bool,
}

const fn one() -> u32 {
    1
}

/// A kind of support for action between sessions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Support {
    /// Coaching.
    Coaching,
    /// Data and measurement help.
    Data,
    /// Tools and templates.
    Tools,
    /// Training.
    Training,
    /// Technical assistance.
    TechnicalAssistance,
    /// A shared online resource center.
    OnlineResourceCenter,
}

impl Support {
    /// A human label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Coaching => "coaching",
            Self::Data => "data",
            Self::Tools => "tools",
            Self::Training => "training",
            Self::TechnicalAssistance => "technical assistance",
            Self::OnlineResourceCenter => "online resource center",
        }
    }
}

/// Step 6: the supports for action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionSupport {
    /// The supports offered (at least one).
    pub supports: BTreeSet<Support>,
    /// Group coaching calls, if any.
    #[serde(default)]
    pub coaching_calls: Option<Recurrence>,
}

/// Step 7: how performance is tracked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Performance {
    /// What teams measure and report (at least one measure).
    pub measures: Vec<String>,
    /// How often they report.
    pub reporting: Frequency,
}

/// Step 8: the impact sought, and whether teams present it at a capstone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Impact {
    /// The impact sought for organizations and communities (at least one).
    pub intended: Vec<String>,
    /// Whether teams present their work at a capstone event in the last week.
    #[serde(default)]
    pub capstone: bool,
}

/// The answers to the eight development steps, each optional until given.
///
/// ```
/// use std::collections::BTreeSet;
/// use chrono::{NaiveDate, Weekday};
/// use qic_program::design::*;
/// use qic_program::{Frequency, OrganizationKind, SessionFormat, Sponsor, SponsorKind};
///
/// let design = CollaborativeDesign::default()
///     .focus(Focus {
///         sponsor: Sponsor::new("State Primary Care Association", SponsorKind::ProfessionalAssociation),
///         topic: "achieve and sustain PCMH recognition".into(),
///         needs: vec![],
///     })
///     .participants(Participants {
///         organization_kinds: BTreeSet::from([OrganizationKind::CommunityHealthCenter]),
///         teams: 20,
///         team_size: None,
///     });
/// // Six steps are still unanswered, so there is no program yet.
/// let err = design.build().unwrap_err();
/// assert!(err.to_string().contains("Define Goals, Design the Program"));
/// assert_eq!(design.missing().len(), 6);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollaborativeDesign {
    /// Step 1.
    #[serde(default)]
    pub focus: Option<Focus>,
    /// Step 2.
    #[serde(default)]
    pub participants: Option<Participants>,
    /// Step 3.
    #[serde(default)]
    pub goals: Option<Goals>,
    /// Step 4.
    #[serde(default)]
    pub plan: Option<ProgramPlan>,
    /// Step 5.
    #[serde(default)]
    pub learning: Option<Learning>,
    /// Step 6.
    #[serde(default)]
    pub support: Option<ActionSupport>,
    /// Step 7.
    #[serde(default)]
    pub performance: Option<Performance>,
    /// Step 8.
    #[serde(default)]
    pub impact: Option<Impact>,
}

/// The local start time of webinars built from a design.
const WEBINAR_START: NaiveTime = match NaiveTime::from_hms_opt(12, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};
/// The local start time of coaching calls built from a design.
const COACHING_START: NaiveTime = match NaiveTime::from_hms_opt(15, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

impl CollaborativeDesign {
    /// Answers step 1 (chainable).
    #[must_use]
    pub fn focus(mut self, answer: Focus) -> Self {
        self.focus = Some(answer);
        self
    }

    /// Answers step 2 (chainable).
    #[must_use]
    pub fn participants(mut self, answer: Participants) -> Self {
        self.participants = Some(answer);
        self
    }

    /// Answers step 3 (chainable).
    #[must_use]
    pub fn goals(mut self, answer: Goals) -> Self {
        self.goals = Some(answer);
        self
    }

    /// Answers step 4 (chainable).
    #[must_use]
    pub fn plan(mut self, answer: ProgramPlan) -> Self {
        self.plan = Some(answer);
        self
    }

    /// Answers step 5 (chainable).
    #[must_use]
    pub fn learning(mut self, answer: Learning) -> Self {
        self.learning = Some(answer);
        self
    }

    /// Answers step 6 (chainable).
    #[must_use]
    pub fn support(mut self, answer: ActionSupport) -> Self {
        self.support = Some(answer);
        self
    }

    /// Answers step 7 (chainable).
    #[must_use]
    pub fn performance(mut self, answer: Performance) -> Self {
        self.performance = Some(answer);
        self
    }

    /// Answers step 8 (chainable).
    #[must_use]
    pub fn impact(mut self, answer: Impact) -> Self {
        self.impact = Some(answer);
        self
    }

    /// Whether a step has an answer.
    pub const fn answered(&self, step: DevelopmentStep) -> bool {
        match step {
            DevelopmentStep::SelectFocus => self.focus.is_some(),
            DevelopmentStep::EngageParticipants => self.participants.is_some(),
            DevelopmentStep::DefineGoals => self.goals.is_some(),
            DevelopmentStep::DesignProgram => self.plan.is_some(),
            DevelopmentStep::FacilitateLearning => self.learning.is_some(),
            DevelopmentStep::SupportAction => self.support.is_some(),
            DevelopmentStep::OptimizePerformance => self.performance.is_some(),
            DevelopmentStep::ElevateImpact => self.impact.is_some(),
        }
    }

    /// The steps still unanswered, in order.
    pub fn missing(&self) -> Vec<DevelopmentStep> {
        DevelopmentStep::ALL
            .into_iter()
            .filter(|s| !self.answered(*s))
            .collect()
    }

    /// Builds the program the answers describe: one cohort of the chosen capacity, with its
    /// commitments and calendar.
    ///
    /// # Errors
    ///
    /// [`ProgramError::DesignIncomplete`] listing the unanswered steps; otherwise
    /// [`ProgramError::InvalidDesign`] naming the step whose answer cannot be used (an empty
    /// focus, no organization kinds or teams, no goals, fewer than three months, no sessions or
    /// more than one a week, no supports, no measures, no intended impact, or a calendar that
    /// does not fit).
    pub fn build(&self) -> Result<Program, ProgramError> {
        let (
            Some(focus),
            Some(participants),
            Some(goals),
            Some(plan),
            Some(learning),
            Some(support),
            Some(performance),
            Some(impact),
        ) = (
            &self.focus,
            &self.participants,
            &self.goals,
            &self.plan,
            &self.learning,
            &self.support,
            &self.performance,
            &self.impact,
        )
        else {
            return Err(ProgramError::DesignIncomplete {
                missing: self
                    .missing()
                    .iter()
                    .map(|s| s.label().to_owned())
                    .collect(),
            });
        };
        let (duration, window) = check_answers(
            focus,
            participants,
            goals,
            plan,
            support,
            performance,
            impact,
        )?;
        let invalid = |step: DevelopmentStep, reason: &str| ProgramError::InvalidDesign {
            step: step.label().to_owned(),
            reason: reason.to_owned(),
        };
        let template = schedule_template(window, learning, support, impact.capstone)
            .map_err(|reason| invalid(DevelopmentStep::FacilitateLearning, &reason))?;

        let mut commitments = Commitments::default()
            .expecting(Expectation::AttendLearningSessions)
            .other(format!(
                "report {} on: {}",
                performance.reporting.label(),
                performance.measures.join("; ")
            ));
        if learning.format == SessionFormat::InPerson {
            commitments = commitments.expecting(Expectation::TravelToInPersonSessions);
        }
        commitments.core_team_size = participants.team_size;
        let kinds: Vec<&str> = participants
            .organization_kinds
            .iter()
            .map(|k| k.label())
            .collect();
        let mut description = format!("Teams from: {}.", kinds.join(", "));
        for goal in goals.learning.iter().chain(&goals.action) {
            description.push_str(" Goal: ");
            description.push_str(goal);
            description.push('.');
        }
        let cohort = CohortSpec::new("Collaborative", CohortKind::Collaborative)
            .description(description)
            .capacity(participants.teams)
            .commitments(commitments)
            .schedule(template);
        let mut spec = ProgramSpec::new(
            plan.name.clone(),
            focus.sponsor.clone(),
            focus.topic.clone(),
            Framework::ActionLearning,
            plan.start,
            duration,
        )
        .cohort(cohort);
        spec.time_zone.clone_from(&plan.time_zone);
        Program::new(spec).map_err(|e| invalid(DevelopmentStep::DesignProgram, &e.to_string()))
    }
}

/// Checks the answers that need no calendar; returns the program's duration and window.
fn check_answers(
    focus: &Focus,
    participants: &Participants,
    goals: &Goals,
    plan: &ProgramPlan,
    support: &ActionSupport,
    performance: &Performance,
    impact: &Impact,
) -> Result<(DurationMonths, ProgramWindow), ProgramError> {
    let invalid = |step: DevelopmentStep, reason: &str| ProgramError::InvalidDesign {
        step: step.label().to_owned(),
        reason: reason.to_owned(),
    };
    if focus.topic.trim().is_empty() || focus.sponsor.name.trim().is_empty() {
        return Err(invalid(
            DevelopmentStep::SelectFocus,
            "name the sponsor and the focus",
        ));
    }
    if participants.organization_kinds.is_empty() || participants.teams == 0 {
        return Err(invalid(
            DevelopmentStep::EngageParticipants,
            "invite at least one kind of organization and one team",
        ));
    }
    if goals.learning.is_empty() && goals.action.is_empty() {
        return Err(invalid(
            DevelopmentStep::DefineGoals,
            "give at least one goal for learning or action",
        ));
    }
    if plan.months < MIN_COLLABORATIVE_MONTHS {
        return Err(invalid(
            DevelopmentStep::DesignProgram,
            "an Action Learning Collaborative runs at least 3 months",
        ));
    }
    let duration = DurationMonths::new(plan.months)
        .map_err(|e| invalid(DevelopmentStep::DesignProgram, &e.to_string()))?;
    let window = ProgramWindow::new(plan.start, plan.months)
        .map_err(|e| invalid(DevelopmentStep::DesignProgram, &e.to_string()))?;
    if support.supports.is_empty() {
        return Err(invalid(
            DevelopmentStep::SupportAction,
            "offer at least one support for action",
        ));
    }
    if performance.measures.is_empty() {
        return Err(invalid(
            DevelopmentStep::OptimizePerformance,
            "track at least one measure",
        ));
    }
    if impact.intended.is_empty() {
        return Err(invalid(
            DevelopmentStep::ElevateImpact,
            "state at least one intended impact",
        ));
    }
    Ok((duration, window))
}

/// The first `weekday` on or after `date` (none past the end of chrono's calendar).
fn on_or_after(date: NaiveDate, weekday: Weekday) -> Option<NaiveDate> {
    let days = (7 + weekday.num_days_from_monday() - date.weekday().num_days_from_monday()) % 7;
    date.checked_add_signed(Duration::days(i64::from(days)))
}

/// The last `weekday` on or before `date` (none before the start of chrono's calendar).
fn on_or_before(date: NaiveDate, weekday: Weekday) -> Option<NaiveDate> {
    let days = (7 + date.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
    date.checked_sub_signed(Duration::days(i64::from(days)))
}

fn schedule_template(
    window: ProgramWindow,
    learning: &Learning,
    support: &ActionSupport,
    capstone: bool,
) -> Result<ScheduleTemplate, String> {
    let days = (window.end() - window.start()).num_days() + 1;
    let sessions = i64::from(learning.sessions);
    if sessions == 0 {
        return Err("plan at least one learning session".into());
    }
    // Each session gets an equal share of the window; a share shorter than a week could put two
    // sessions on the same weekday.
    if days / sessions < 7 {
        return Err(format!(
            "{sessions} sessions in {days} days is more than one a week"
        ));
    }
    let mut template = ScheduleTemplate::default();
    for i in 0..sessions {
        let date = window
            .start()
            .checked_add_signed(Duration::days(i * days / sessions))
            .and_then(|share| on_or_after(share, learning.weekday))
            .ok_or("a session date is past the end of the calendar")?;
        let name = format!("Learning Session {}", i + 1);
        template = template.session(match learning.format {
            SessionFormat::InPerson => {
                SessionSpec::in_person(name, date, learning.days_per_session)
            }
            SessionFormat::Virtual => SessionSpec::virtual_half_day(name, date),
        });
    }
    if capstone {
        let date = on_or_before(window.end(), learning.weekday)
            .ok_or("the capstone date is before the start of the calendar")?;
        let event = match learning.format {
            SessionFormat::InPerson => SessionSpec::in_person("Capstone", date, 1),
            SessionFormat::Virtual => SessionSpec::virtual_half_day("Capstone", date),
        };
        template = template.session(event.kind(SessionKind::Capstone));
    }
    if let Some(rule) = learning.webinars {
        template = template.calls(CallSeries::new(
            "Webinar",
            CallKind::Webinar,
            rule,
            WEBINAR_START,
        ));
    }
    if let Some(rule) = support.coaching_calls {
        template = template.calls(CallSeries::new(
            "Coaching call",
            CallKind::Coaching,
            rule,
            COACHING_START,
        ));
    }
    Ok(template)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::program::SponsorKind;
    use crate::recurrence::WeekOfMonth;
    use crate::schedule::EventKind;

    fn complete() -> CollaborativeDesign {
        CollaborativeDesign::default()
            .focus(Focus {
                sponsor: Sponsor::new("Regional Health Foundation", SponsorKind::Foundation),
                topic: "chronic care for uninsured adults".into(),
                needs: vec!["safety-net capacity".into()],
            })
            .participants(Participants {
                organization_kinds: BTreeSet::from([
                    OrganizationKind::FreeOrCharitableClinic,
                    OrganizationKind::PublicHealthAgency,
                ]),
                teams: 8,
                team_size: Some(TeamSize::new(3, 5).unwrap()),
            })
            .goals(Goals {
                learning: vec!["the Chronic Care Model".into()],
                action: vec![],
            })
            .plan(ProgramPlan {
                name: "Chronic Care ALC".into(),
                start: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
                months: 6,
                time_zone: None,
            })
            .learning(Learning {
                sessions: 3,
                format: SessionFormat::Virtual,
                days_per_session: 1,
                weekday: Weekday::Wed,
                webinars: Some(Recurrence::monthly(WeekOfMonth::Third, Weekday::Thu)),
                online_resources: true,
            })
            .support(ActionSupport {
                supports: BTreeSet::from([Support::Coaching, Support::Data]),
                coaching_calls: Some(Recurrence::monthly(WeekOfMonth::First, Weekday::Tue)),
            })
            .performance(Performance {
                measures: vec!["percent of patients with a care plan".into()],
                reporting: Frequency::Monthly,
            })
            .impact(Impact {
                intended: vec!["fewer avoidable emergency visits".into()],
                capstone: true,
            })
    }

    #[test]
    fn every_step_must_be_answered() {
        let err = CollaborativeDesign::default().build().unwrap_err();
        assert_eq!(err.to_string().matches(", ").count(), 7, "{err}");
        let mut design = complete();
        design.performance = None;
        let err = design.build().unwrap_err();
        assert_eq!(
            err.to_string(),
            "the design is incomplete: answer Optimize Performance"
        );
    }

    #[test]
    fn a_complete_design_builds_a_scheduled_program() {
        let program = complete().build().unwrap();
        assert_eq!(program.framework(), &Framework::ActionLearning);
        assert_eq!(program.cohorts()[0].capacity(), Some(8));
        let schedule = program.schedule();
        let sessions: Vec<String> = schedule
            .learning_sessions()
            .map(|e| e.timing.first_day().to_string())
            .collect();
        // 181 days / 3: sessions on the first Wednesday on or after days 0, 60 and 120.
        assert_eq!(sessions, ["2025-01-01", "2025-03-05", "2025-05-07"]);
        let capstone: Vec<_> = schedule.of_kind(EventKind::Capstone).collect();
        assert_eq!(capstone[0].timing.first_day().to_string(), "2025-06-25");
        assert!(schedule.of_kind(EventKind::Webinar).count() >= 4);
        assert!(schedule.of_kind(EventKind::CoachingCall).count() >= 4);
        assert_eq!(
            program.cohorts()[0].commitments().other[0],
            "report monthly on: percent of patients with a care plan"
        );
    }

    #[test]
    fn unusable_answers_name_their_step() {
        let mut design = complete();
        design.plan.as_mut().unwrap().months = 2;
        assert!(design.build().unwrap_err().to_string().starts_with("design step `Design the Program`: an Action Learning Collaborative runs at least 3 months"));
        let mut design = complete();
        design.learning.as_mut().unwrap().sessions = 40;
        assert!(
            design
                .build()
                .unwrap_err()
                .to_string()
                .contains("more than one a week")
        );
        let mut design = complete();
        design.support.as_mut().unwrap().supports.clear();
        assert!(
            design
                .build()
                .unwrap_err()
                .to_string()
                .contains("Support Action")
        );
    }

    #[test]
    fn designs_round_trip_through_json() {
        let design = complete();
        let json = serde_json::to_string(&design).unwrap();
        assert_eq!(
            serde_json::from_str::<CollaborativeDesign>(&json).unwrap(),
            design
        );
    }
}

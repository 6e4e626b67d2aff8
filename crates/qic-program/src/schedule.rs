//! A cohort's calendar: a [`ScheduleTemplate`] (sessions and call series) becomes a
//! [`Schedule`] of dated [`Event`]s, exported as iCalendar or printed as a table.
//!
//! The template holds what a program page says: learning sessions (in person over several days,
//! or virtual for half a day), the harvesting session or capstone at the end, and call series
//! on rules such as "second Tuesday of each month" (all-team calls, coaching calls, working
//! groups). Building the schedule derives the action periods between sessions, places each call,
//! and refuses events outside the program window or sessions and calls of one cohort that
//! overlap. A call that would fall on a session day is skipped and listed in
//! [`Schedule::skipped`], never dropped silently.
//!
//! Times of day are local to the program (its `time_zone` names the zone); the iCalendar export
//! writes them with the zone's `TZID` and a `VTIMEZONE` definition from the IANA database, so a
//! 13:00 call in New York shows at 11:00 in a calendar set to Denver.

use std::fmt::{self, Write as _};

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use icalendar::{Component, EventLike};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::dates;
use crate::error::ProgramError;
use crate::program::ProgramWindow;
use crate::recurrence::Recurrence;

/// Whether a session meets in person or online.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionFormat {
    /// In person, over one or more whole days.
    InPerson,
    /// Online, for part of a day (half a day unless the template says otherwise).
    Virtual,
}

impl SessionFormat {
    /// A human label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::InPerson => "in person",
            Self::Virtual => "virtual",
        }
    }
}

/// What a session is for.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    /// A learning session: teams learn together and refine their plans.
    #[default]
    LearningSession,
    /// The harvesting session at the end, where all teams share results and learning.
    Harvesting,
    /// A capstone event, where participants present their innovations.
    Capstone,
}

impl SessionKind {
    const fn event_kind(self) -> EventKind {
        match self {
            Self::LearningSession => EventKind::LearningSession,
            Self::Harvesting => EventKind::HarvestingSession,
            Self::Capstone => EventKind::Capstone,
        }
    }
}

/// The length of a virtual session when the template does not give one: half a day.
pub const HALF_DAY_MINUTES: u32 = 240;
/// The start of a virtual session when the template does not give one.
pub const DEFAULT_SESSION_START: NaiveTime = match NaiveTime::from_hms_opt(12, 0, 0) {
    Some(time) => time,
    None => NaiveTime::MIN,
};
/// The longest in-person session the template accepts, in days.
pub const MAX_SESSION_DAYS: u32 = 14;

/// One session of a template.
///
/// In files (TOML shown) a session is a table:
///
/// ```toml
/// [[cohorts.schedule.sessions]]
/// name = "Learning Session 2"
/// format = "in_person"
/// date = 2021-01-26
/// days = 2
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionSpec {
    /// The session's title, e.g. "Learning Session 1".
    pub name: String,
    /// Learning session (the default), harvesting session or capstone.
    #[serde(default)]
    pub kind: SessionKind,
    /// In person or virtual.
    pub format: SessionFormat,
    /// The (first) day.
    #[serde(with = "crate::serde_date")]
    pub date: NaiveDate,
    /// In person only: the number of consecutive days (1 unless given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// Virtual only: the local start time (12:00 unless given).
    #[serde(
        default,
        with = "dates::option_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_time: Option<NaiveTime>,
    /// Virtual only: the length in minutes ([`HALF_DAY_MINUTES`] unless given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_minutes: Option<u32>,
    /// Where it meets (a city, a venue, or a video link), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

impl SessionSpec {
    /// An in-person learning session over `days` consecutive days from `date`.
    pub fn in_person(name: impl Into<String>, date: NaiveDate, days: u32) -> Self {
        Self {
            name: name.into(),
            kind: SessionKind::LearningSession,
            format: SessionFormat::InPerson,
            date,
            days: Some(days),
            start_time: None,
            duration_minutes: None,
            location: None,
        }
    }

    /// A virtual half-day learning session on `date`, from 12:00 local time.
    pub fn virtual_half_day(name: impl Into<String>, date: NaiveDate) -> Self {
        Self {
            name: name.into(),
            kind: SessionKind::LearningSession,
            format: SessionFormat::Virtual,
            date,
            days: None,
            start_time: None,
            duration_minutes: None,
            location: None,
        }
    }

    /// Sets what the session is for (chainable).
    #[must_use]
    pub fn kind(mut self, kind: SessionKind) -> Self {
        self.kind = kind;
        self
    }

    /// Sets a virtual session's start time and length (chainable).
    #[must_use]
    pub fn at(mut self, start: NaiveTime, minutes: u32) -> Self {
        self.start_time = Some(start);
        self.duration_minutes = Some(minutes);
        self
    }

    /// Sets where the session meets (chainable).
    #[must_use]
    pub fn location(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }

    /// When the session happens, after checking that its fields fit its format.
    fn timing(&self) -> Result<EventTiming, ProgramError> {
        let invalid = |field: &str, reason: String| {
            ProgramError::InvalidEvent {
                what: "session",
                name: self.name.clone(),
                reason,
            }
            .in_field(field)
        };
        if self.name.trim().is_empty() {
            return Err(ProgramError::Empty {
                what: "session name",
            }
            .in_field("name"));
        }
        match self.format {
            SessionFormat::InPerson => {
                if self.start_time.is_some() || self.duration_minutes.is_some() {
                    let field = if self.start_time.is_some() {
                        "start_time"
                    } else {
                        "duration_minutes"
                    };
                    return Err(invalid(
                        field,
                        "an in-person session takes whole days; give `days` instead".into(),
                    ));
                }
                let days = self.days.unwrap_or(1);
                if !(1..=MAX_SESSION_DAYS).contains(&days) {
                    return Err(invalid(
                        "days",
                        format!("days must be 1 to {MAX_SESSION_DAYS}, got {days}"),
                    ));
                }
                let last = self
                    .date
                    .checked_add_signed(Duration::days(i64::from(days) - 1))
                    .ok_or_else(|| ProgramError::DateOutOfRange {
                        what: format!("last day of `{}`", self.name),
                    })?;
                Ok(EventTiming::AllDay {
                    first: self.date,
                    last,
                })
            }
            SessionFormat::Virtual => {
                if self.days.is_some() {
                    return Err(invalid(
                        "days",
                        "a virtual session lasts part of one day; give `duration_minutes` instead"
                            .into(),
                    ));
                }
                let start = self.start_time.unwrap_or(DEFAULT_SESSION_START);
                let minutes = self.duration_minutes.unwrap_or(HALF_DAY_MINUTES);
                let end = end_same_day(start, minutes).ok_or_else(|| {
                    invalid(
                        "duration_minutes",
                        format!(
                            "{minutes} minutes from {} does not end on the same day",
                            start.format("%H:%M")
                        ),
                    )
                })?;
                Ok(EventTiming::Timed {
                    date: self.date,
                    start,
                    end,
                })
            }
        }
    }
}

/// The end of something that starts at `start` and lasts `minutes` (at least one), if it ends
/// before midnight.
fn end_same_day(start: NaiveTime, minutes: u32) -> Option<NaiveTime> {
    let end = start.num_seconds_from_midnight() / 60 + minutes;
    if minutes == 0 || end >= 24 * 60 {
        return None;
    }
    NaiveTime::from_num_seconds_from_midnight_opt(end * 60, 0)
}

/// What kind of call a series is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallKind {
    /// A call for all teams of the cohort (e.g. the monthly all-team call).
    AllTeam,
    /// Coaching or individual support calls.
    Coaching,
    /// A working group on one topic.
    WorkingGroup,
    /// A call for senior leaders.
    Leadership,
    /// A webinar or learning and discussion call.
    Webinar,
}

impl CallKind {
    const fn event_kind(self) -> EventKind {
        match self {
            Self::AllTeam => EventKind::AllTeamCall,
            Self::Coaching => EventKind::CoachingCall,
            Self::WorkingGroup => EventKind::WorkingGroup,
            Self::Leadership => EventKind::LeadershipCall,
            Self::Webinar => EventKind::Webinar,
        }
    }
}

/// Which part of the program a call series runs in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallWindow {
    /// Only in the action periods between sessions (the usual place for calls).
    #[default]
    ActionPeriods,
    /// Anywhere in the program window, except on session days.
    WholeProgram,
}

/// The length of a call when the template does not give one.
pub const DEFAULT_CALL_MINUTES: u32 = 60;

const fn default_call_minutes() -> u32 {
    DEFAULT_CALL_MINUTES
}

/// A series of calls on a recurrence rule.
///
/// ```toml
/// [[cohorts.schedule.calls]]
/// name = "All-team call"
/// kind = "all_team"
/// rule = "second Tuesday of each month"
/// start_time = "13:00"
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallSeries {
    /// The title of each call, e.g. "All-team call".
    pub name: String,
    /// What kind of call.
    pub kind: CallKind,
    /// When the calls happen.
    pub rule: Recurrence,
    /// Local start time.
    #[serde(with = "dates::time")]
    pub start_time: NaiveTime,
    /// Length in minutes ([`DEFAULT_CALL_MINUTES`] unless given).
    #[serde(default = "default_call_minutes")]
    pub duration_minutes: u32,
    /// Action periods only (the default), or the whole program.
    #[serde(default)]
    pub during: CallWindow,
}

impl CallSeries {
    /// A series of one-hour calls in the action periods.
    pub fn new(
        name: impl Into<String>,
        kind: CallKind,
        rule: Recurrence,
        start_time: NaiveTime,
    ) -> Self {
        Self {
            name: name.into(),
            kind,
            rule,
            start_time,
            duration_minutes: DEFAULT_CALL_MINUTES,
            during: CallWindow::ActionPeriods,
        }
    }

    /// Sets the length of each call (chainable).
    #[must_use]
    pub fn minutes(mut self, minutes: u32) -> Self {
        self.duration_minutes = minutes;
        self
    }

    /// Sets where in the program the calls run (chainable).
    #[must_use]
    pub fn during(mut self, during: CallWindow) -> Self {
        self.during = during;
        self
    }
}

/// A cohort's sessions and call series, before they are placed on the calendar.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleTemplate {
    /// Learning sessions and the closing harvesting session or capstone, in any order.
    #[serde(default)]
    pub sessions: Vec<SessionSpec>,
    /// Call series.
    #[serde(default)]
    pub calls: Vec<CallSeries>,
}

impl ScheduleTemplate {
    /// Adds a session (chainable).
    #[must_use]
    pub fn session(mut self, session: SessionSpec) -> Self {
        self.sessions.push(session);
        self
    }

    /// Adds a call series (chainable).
    #[must_use]
    pub fn calls(mut self, series: CallSeries) -> Self {
        self.calls.push(series);
        self
    }
}

/// What an event is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The day applications open.
    ApplicationsOpen,
    /// The application deadline.
    ApplicationDeadline,
    /// The day by which applicants hear the decision.
    DecisionsAnnounced,
    /// A learning session.
    LearningSession,
    /// An action period between sessions.
    ActionPeriod,
    /// An all-team call.
    AllTeamCall,
    /// A coaching or individual support call.
    CoachingCall,
    /// A working group meeting.
    WorkingGroup,
    /// A senior leaders' call.
    LeadershipCall,
    /// A webinar or learning and discussion call.
    Webinar,
    /// The harvesting session.
    HarvestingSession,
    /// A capstone event.
    Capstone,
}

impl EventKind {
    /// A human label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::ApplicationsOpen => "applications open",
            Self::ApplicationDeadline => "application deadline",
            Self::DecisionsAnnounced => "decisions announced",
            Self::LearningSession => "learning session",
            Self::ActionPeriod => "action period",
            Self::AllTeamCall => "all-team call",
            Self::CoachingCall => "coaching call",
            Self::WorkingGroup => "working group",
            Self::LeadershipCall => "leadership call",
            Self::Webinar => "webinar",
            Self::HarvestingSession => "harvesting session",
            Self::Capstone => "capstone",
        }
    }

    /// Whether the event is an application milestone (these come before the program starts).
    pub const fn is_milestone(self) -> bool {
        matches!(
            self,
            Self::ApplicationsOpen | Self::ApplicationDeadline | Self::DecisionsAnnounced
        )
    }

    /// Whether the event is a session (learning, harvesting or capstone).
    pub const fn is_session(self) -> bool {
        matches!(
            self,
            Self::LearningSession | Self::HarvestingSession | Self::Capstone
        )
    }

    /// Whether teams must be present (sessions and calls; not periods or milestones), so that
    /// two such events of one cohort must not overlap.
    pub const fn takes_time(self) -> bool {
        !self.is_milestone() && !matches!(self, Self::ActionPeriod)
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// When an event happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum EventTiming {
    /// Whole days, `first` to `last` included.
    AllDay {
        /// The first day.
        #[serde(with = "crate::serde_date")]
        first: NaiveDate,
        /// The last day (equal to `first` for one day).
        #[serde(with = "crate::serde_date")]
        last: NaiveDate,
    },
    /// Part of one day, local time.
    Timed {
        /// The day.
        #[serde(with = "crate::serde_date")]
        date: NaiveDate,
        /// Start time.
        #[serde(with = "dates::time")]
        start: NaiveTime,
        /// End time (later than `start`, same day).
        #[serde(with = "dates::time")]
        end: NaiveTime,
    },
}

impl EventTiming {
    /// The first day.
    pub const fn first_day(&self) -> NaiveDate {
        match *self {
            Self::AllDay { first, .. } => first,
            Self::Timed { date, .. } => date,
        }
    }

    /// The last day.
    pub const fn last_day(&self) -> NaiveDate {
        match *self {
            Self::AllDay { last, .. } => last,
            Self::Timed { date, .. } => date,
        }
    }

    /// The start, as a local date and time (midnight for all-day events).
    pub fn start(&self) -> NaiveDateTime {
        match *self {
            Self::AllDay { first, .. } => first.and_time(NaiveTime::MIN),
            Self::Timed { date, start, .. } => date.and_time(start),
        }
    }

    /// The end, exclusive (midnight after the last day for all-day events).
    pub fn end(&self) -> NaiveDateTime {
        match *self {
            Self::AllDay { last, .. } => last
                .succ_opt()
                .map_or(NaiveDateTime::MAX, |day| day.and_time(NaiveTime::MIN)),
            Self::Timed { date, end, .. } => date.and_time(end),
        }
    }

    /// Whether the two share any moment.
    pub fn overlaps(&self, other: &Self) -> bool {
        self.start() < other.end() && other.start() < self.end()
    }

    /// Whether the event covers the day (for timed events: happens on it).
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.first_day() <= day && day <= self.last_day()
    }

    /// The number of days it spans.
    pub fn days(&self) -> i64 {
        (self.last_day() - self.first_day()).num_days() + 1
    }
}

/// One dated event of a schedule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// A stable unique id, derived from the program, cohort, kind, title and first day, so the
    /// same program always gives the same ids (and calendar apps update rather than duplicate).
    pub uid: String,
    /// The cohort's name.
    pub cohort: String,
    /// What the event is.
    pub kind: EventKind,
    /// Its title.
    pub title: String,
    /// When it happens.
    pub timing: EventTiming,
    /// For sessions: in person or virtual.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<SessionFormat>,
    /// Where it happens, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

impl Event {
    /// An event with a stable uid.
    pub fn new(
        program: &str,
        cohort: &str,
        kind: EventKind,
        title: impl Into<String>,
        timing: EventTiming,
    ) -> Self {
        let title = title.into();
        let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:qic:event");
        let key = format!(
            "{program}\u{1f}{cohort}\u{1f}{}\u{1f}{title}\u{1f}{}",
            kind.label(),
            timing.first_day()
        );
        Self {
            uid: format!("{}@qic", Uuid::new_v5(&namespace, key.as_bytes())),
            cohort: cohort.to_owned(),
            kind,
            title,
            timing,
            format: None,
            location: None,
        }
    }

    fn sort_key(&self) -> (NaiveDateTime, NaiveDateTime, &str, EventKind, &str) {
        (
            self.timing.start(),
            self.timing.end(),
            &self.cohort,
            self.kind,
            &self.title,
        )
    }
}

/// A call the rule placed on a day that a session already takes; it is not on the calendar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkippedOccurrence {
    /// The cohort.
    pub cohort: String,
    /// The call series.
    pub series: String,
    /// The day the rule gave.
    #[serde(with = "crate::serde_date")]
    pub date: NaiveDate,
    /// Why it was skipped, e.g. "falls on Learning Session 2".
    pub reason: String,
}

/// The dated events of a program or cohort, sorted by start.
///
/// ```
/// use chrono::{NaiveDate, NaiveTime, Weekday};
/// use qic_program::{CallKind, CallSeries, ProgramWindow, Recurrence, Schedule, ScheduleTemplate, SessionSpec, WeekOfMonth};
///
/// let day = |m, d| NaiveDate::from_ymd_opt(2024, m, d).unwrap();
/// let window = ProgramWindow::new(day(1, 1), 6)?;
/// let template = ScheduleTemplate::default()
///     .session(SessionSpec::virtual_half_day("Learning Session 1", day(1, 17)))
///     .session(SessionSpec::in_person("Learning Session 2", day(4, 9), 2))
///     .calls(CallSeries::new(
///         "All-team call",
///         CallKind::AllTeam,
///         Recurrence::monthly(WeekOfMonth::Second, Weekday::Tue),
///         NaiveTime::from_hms_opt(13, 0, 0).unwrap(),
///     ));
/// let schedule = Schedule::from_template("Demo", window, "Cohort", &template)?;
/// assert_eq!(schedule.learning_sessions().count(), 2);
/// assert!(schedule.to_ics().contains("BEGIN:VEVENT"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ScheduleRecord")]
pub struct Schedule {
    program: String,
    window: ProgramWindow,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    time_zone: Option<String>,
    events: Vec<Event>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    skipped: Vec<SkippedOccurrence>,
}

/// The serialized shape of a schedule, checked on the way in.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScheduleRecord {
    program: String,
    window: ProgramWindow,
    #[serde(default)]
    time_zone: Option<String>,
    events: Vec<Event>,
    #[serde(default)]
    skipped: Vec<SkippedOccurrence>,
}

impl TryFrom<ScheduleRecord> for Schedule {
    type Error = ProgramError;

    fn try_from(record: ScheduleRecord) -> Result<Self, Self::Error> {
        if let Some(zone) = &record.time_zone {
            crate::program::check_time_zone(zone).map_err(|e| e.in_field("time_zone"))?;
        }
        for (i, event) in record.events.iter().enumerate() {
            check_in_window(event, record.window)
                .map_err(|e| e.in_field(format!("events[{i}]")))?;
        }
        let mut schedule = Self {
            program: record.program,
            window: record.window,
            time_zone: record.time_zone,
            events: record.events,
            skipped: record.skipped,
        };
        schedule.sort();
        check_overlaps(&schedule.events)?;
        Ok(schedule)
    }
}

fn check_in_window(event: &Event, window: ProgramWindow) -> Result<(), ProgramError> {
    let outside =
        !window.contains(event.timing.first_day()) || !window.contains(event.timing.last_day());
    if outside && !event.kind.is_milestone() {
        return Err(ProgramError::EventOutsideWindow {
            event: event.title.clone(),
            first_day: event.timing.first_day(),
            last_day: event.timing.last_day(),
            window_start: window.start(),
            window_end: window.end(),
        });
    }
    Ok(())
}

/// Refuses two time-taking events of one cohort that overlap. `events` must be sorted.
fn check_overlaps(events: &[Event]) -> Result<(), ProgramError> {
    let busy: Vec<&Event> = events.iter().filter(|e| e.kind.takes_time()).collect();
    for (i, first) in busy.iter().enumerate() {
        for second in busy.iter().skip(i + 1) {
            if second.timing.start() >= first.timing.end() {
                // Sorted by start: everything after `second` starts after `first` ends too.
                break;
            }
            if first.cohort == second.cohort && first.timing.overlaps(&second.timing) {
                return Err(ProgramError::OverlappingEvents {
                    cohort: first.cohort.clone(),
                    first: first.title.clone(),
                    second: second.title.clone(),
                    date: first.timing.first_day().max(second.timing.first_day()),
                });
            }
        }
    }
    Ok(())
}

impl Schedule {
    /// Places a cohort's template on the program window.
    ///
    /// Action periods run between consecutive sessions and, when the last session is a learning
    /// session, from it to the end of the program. Calls are placed by their rule in their
    /// [`CallWindow`]; a call on a session day is skipped and listed in [`Schedule::skipped`].
    ///
    /// # Errors
    ///
    /// A [`ProgramError::Field`] naming the template field at fault (e.g. `sessions[2].date`),
    /// wrapping: an empty name; fields that do not fit the session's format; a session outside
    /// the window ([`ProgramError::EventOutsideWindow`]); two sessions, or two calls, that
    /// overlap ([`ProgramError::OverlappingEvents`]); a call series that runs in action periods
    /// when there are no sessions.
    pub fn from_template(
        program: &str,
        window: ProgramWindow,
        cohort: &str,
        template: &ScheduleTemplate,
    ) -> Result<Self, ProgramError> {
        let context = Context {
            program,
            window,
            cohort,
        };
        let sessions = context.place_sessions(&template.sessions)?;
        let periods = action_periods(program, window, cohort, &sessions);
        let (calls, skipped) = context.place_calls(&template.calls, &sessions, &periods)?;
        let mut events = sessions;
        events.extend(calls);
        events.extend(periods);
        let mut schedule = Self {
            program: program.to_owned(),
            window,
            time_zone: None,
            events,
            skipped,
        };
        schedule.sort();
        Ok(schedule)
    }

    /// Merges cohort schedules and extra events (e.g. application milestones) into one program
    /// schedule.
    pub(crate) fn combine(
        program: &str,
        window: ProgramWindow,
        time_zone: Option<String>,
        parts: Vec<Self>,
        extra: Vec<Event>,
    ) -> Self {
        let mut schedule = Self {
            program: program.to_owned(),
            window,
            time_zone,
            events: extra,
            skipped: Vec::new(),
        };
        for part in parts {
            schedule.events.extend(part.events);
            schedule.skipped.extend(part.skipped);
        }
        schedule.sort();
        schedule
    }

    fn sort(&mut self) {
        self.events.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.skipped
            .sort_by(|a, b| (a.date, &a.cohort, &a.series).cmp(&(b.date, &b.cohort, &b.series)));
    }

    /// Sets the time zone the times of day are in (an IANA name such as `America/New_York`).
    #[must_use]
    pub fn with_time_zone(mut self, time_zone: Option<String>) -> Self {
        self.time_zone = time_zone;
        self
    }

    /// The program's name.
    pub fn program(&self) -> &str {
        &self.program
    }

    /// The program window.
    pub fn window(&self) -> ProgramWindow {
        self.window
    }

    /// The time zone of the times of day, if the program names one.
    pub fn time_zone(&self) -> Option<&str> {
        self.time_zone.as_deref()
    }

    /// Every event, sorted by start, then end, cohort, kind and title.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Calls that fell on a session day and were left off the calendar.
    pub fn skipped(&self) -> &[SkippedOccurrence] {
        &self.skipped
    }

    /// The events of one kind, in order.
    pub fn of_kind(&self, kind: EventKind) -> impl Iterator<Item = &Event> {
        self.events.iter().filter(move |e| e.kind == kind)
    }

    /// The learning sessions, in order (e.g. to annotate a run chart).
    pub fn learning_sessions(&self) -> impl Iterator<Item = &Event> {
        self.of_kind(EventKind::LearningSession)
    }

    /// The events of one cohort, in order.
    pub fn for_cohort<'a>(&'a self, cohort: &'a str) -> impl Iterator<Item = &'a Event> {
        self.events.iter().filter(move |e| e.cohort == cohort)
    }

    /// The schedule as an iCalendar (RFC 5545) document, with CRLF line endings.
    ///
    /// Deterministic: uids come from the events' names and dates, and `DTSTAMP` is the program's
    /// first day at 00:00 UTC, never the clock, so the same program gives the same bytes.
    /// All-day events use `VALUE=DATE` with an exclusive `DTEND`. Times of day carry the
    /// program's zone (`DTSTART;TZID=America/New_York:...`), defined by a `VTIMEZONE` with every
    /// change of offset from a year before the first event to a year after the last; without a
    /// zone, or with a name the IANA database does not know, they are floating local times.
    /// `X-WR-TIMEZONE` names the zone too. Action periods and application milestones are marked
    /// `TRANSP:TRANSPARENT` (they do not block time).
    pub fn to_ics(&self) -> String {
        let mut calendar = icalendar::Calendar::empty();
        calendar.append_property(icalendar::Property::new("VERSION", "2.0"));
        calendar.append_property(icalendar::Property::new(
            "PRODID",
            "-//qic//qic-program//EN",
        ));
        calendar.append_property(icalendar::Property::new("CALSCALE", "GREGORIAN"));
        calendar.append_property(icalendar::Property::new("METHOD", "PUBLISH"));
        calendar.append_property(icalendar::Property::new(
            "X-WR-CALNAME",
            self.program.as_str(),
        ));
        if let Some(zone) = &self.time_zone {
            calendar.append_property(icalendar::Property::new("X-WR-TIMEZONE", zone.as_str()));
        }
        let stamp = self.window.start().and_time(NaiveTime::MIN).and_utc();
        let zone = self
            .time_zone
            .as_deref()
            .and_then(|name| crate::vtimezone::zone(name).map(|tz| (name, tz)));
        let at = |date: NaiveDate, time: NaiveTime| -> icalendar::CalendarDateTime {
            match zone {
                Some((name, _)) => icalendar::CalendarDateTime::WithTimezone {
                    date_time: date.and_time(time),
                    tzid: name.to_owned(),
                },
                None => icalendar::CalendarDateTime::Floating(date.and_time(time)),
            }
        };
        for event in &self.events {
            let mut item = icalendar::Event::new();
            item.uid(&event.uid)
                .timestamp(stamp)
                .summary(&event.title)
                .description(&describe(event))
                .add_property("CATEGORIES", event.kind.label());
            match event.timing {
                EventTiming::AllDay { first, last } => {
                    item.starts(first).ends(last.succ_opt().unwrap_or(last));
                }
                EventTiming::Timed { date, start, end } => {
                    item.starts(at(date, start)).ends(at(date, end));
                }
            }
            if let Some(location) = &event.location {
                item.location(location);
            }
            if !event.kind.takes_time() {
                item.add_property("TRANSP", "TRANSPARENT");
            }
            calendar.push(item.done());
        }
        let text = calendar.to_string();
        let timed = || {
            self.events
                .iter()
                .filter(|e| matches!(e.timing, EventTiming::Timed { .. }))
                .map(|e| e.timing.first_day())
        };
        match (zone, timed().min(), timed().max()) {
            (Some((name, tz)), Some(first), Some(last)) => {
                // The definition goes before the first event (icalendar has no VTIMEZONE type).
                let definition = crate::vtimezone::vtimezone(name, tz, first, last);
                let at = text
                    .find("BEGIN:VEVENT")
                    .or_else(|| text.find("END:VCALENDAR"))
                    .unwrap_or(text.len());
                format!("{}{definition}{}", &text[..at], &text[at..])
            }
            _ => text,
        }
    }

    /// The schedule as a readable text table, one event per line, then any skipped calls.
    pub fn to_table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}: {} to {}{}",
            self.program,
            self.window.start(),
            self.window.end(),
            self.time_zone
                .as_ref()
                .map(|z| format!(" (times in {z})"))
                .unwrap_or_default()
        );
        let rows: Vec<[String; 5]> = self
            .events
            .iter()
            .map(|e| {
                let (when, time) = match e.timing {
                    EventTiming::AllDay { first, last } if first == last => {
                        (day_label(first), "all day".to_owned())
                    }
                    EventTiming::AllDay { first, last } => (
                        format!("{} to {}", day_label(first), day_label(last)),
                        format!("{} days", e.timing.days()),
                    ),
                    EventTiming::Timed { date, start, end } => (
                        day_label(date),
                        format!("{}-{}", start.format("%H:%M"), end.format("%H:%M")),
                    ),
                };
                let mut title = e.title.clone();
                if let Some(format) = e.format {
                    let _ = write!(title, " ({})", format.label());
                }
                if let Some(location) = &e.location {
                    let _ = write!(title, ", {location}");
                }
                [
                    when,
                    time,
                    e.cohort.clone(),
                    e.kind.label().to_owned(),
                    title,
                ]
            })
            .collect();
        let header = ["When", "Time", "Cohort", "Kind", "Event"].map(str::to_owned);
        let mut widths = header.clone().map(|h| h.chars().count());
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        for row in std::iter::once(&header).chain(&rows) {
            let mut line = String::new();
            for (i, (cell, width)) in row.iter().zip(widths).enumerate() {
                if i + 1 == row.len() {
                    line.push_str(cell);
                } else {
                    let _ = write!(line, "{cell:<width$}  ");
                }
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
        if !self.skipped.is_empty() {
            let _ = writeln!(out, "\nSkipped calls ({}):", self.skipped.len());
            for s in &self.skipped {
                let _ = writeln!(
                    out,
                    "  {} {} ({}): {}",
                    day_label(s.date),
                    s.series,
                    s.cohort,
                    s.reason
                );
            }
        }
        out
    }
}

/// What every event of one cohort's schedule shares.
struct Context<'a> {
    program: &'a str,
    window: ProgramWindow,
    cohort: &'a str,
}

impl Context<'_> {
    fn overlap(&self, first: &Event, second: &Event, field: String) -> ProgramError {
        ProgramError::OverlappingEvents {
            cohort: self.cohort.to_owned(),
            first: first.title.clone(),
            second: second.title.clone(),
            date: second.timing.first_day(),
        }
        .in_field(field)
    }

    /// The sessions as events, sorted, each inside the window and none overlapping another.
    fn place_sessions(&self, specs: &[SessionSpec]) -> Result<Vec<Event>, ProgramError> {
        let mut sessions: Vec<(usize, Event)> = Vec::with_capacity(specs.len());
        for (i, spec) in specs.iter().enumerate() {
            let path = format!("sessions[{i}]");
            let timing = spec.timing().map_err(|e| e.in_field(path.clone()))?;
            let mut event = Event::new(
                self.program,
                self.cohort,
                spec.kind.event_kind(),
                spec.name.clone(),
                timing,
            );
            event.format = Some(spec.format);
            event.location.clone_from(&spec.location);
            check_in_window(&event, self.window).map_err(|e| e.in_field(format!("{path}.date")))?;
            sessions.push((i, event));
        }
        sessions.sort_by(|a, b| a.1.sort_key().cmp(&b.1.sort_key()));
        for pair in sessions.windows(2) {
            if let [(_, first), (j, second)] = pair
                && first.timing.overlaps(&second.timing)
            {
                return Err(self.overlap(first, second, format!("sessions[{j}].date")));
            }
        }
        Ok(sessions.into_iter().map(|(_, e)| e).collect())
    }

    /// The calls of every series, sorted and not overlapping, and the occurrences skipped
    /// because a session takes their day.
    fn place_calls(
        &self,
        series: &[CallSeries],
        sessions: &[Event],
        periods: &[Event],
    ) -> Result<(Vec<Event>, Vec<SkippedOccurrence>), ProgramError> {
        let mut skipped = Vec::new();
        let mut calls: Vec<(usize, Event)> = Vec::new();
        for (j, one) in series.iter().enumerate() {
            let path = format!("calls[{j}]");
            let invalid = |field: &str, reason: String| {
                ProgramError::InvalidEvent {
                    what: "call series",
                    name: one.name.clone(),
                    reason,
                }
                .in_field(format!("{path}.{field}"))
            };
            if one.name.trim().is_empty() {
                return Err(ProgramError::Empty {
                    what: "call series name",
                }
                .in_field(format!("{path}.name")));
            }
            let end = end_same_day(one.start_time, one.duration_minutes).ok_or_else(|| {
                invalid(
                    "duration_minutes",
                    format!(
                        "{} minutes from {} does not end on the same day",
                        one.duration_minutes,
                        one.start_time.format("%H:%M")
                    ),
                )
            })?;
            if one.during == CallWindow::ActionPeriods && sessions.is_empty() {
                return Err(invalid(
                    "during",
                    "it runs during action periods, but the schedule has no sessions to put action periods between (add sessions, or set `during = \"whole_program\"`)".into(),
                ));
            }
            for date in one
                .rule
                .dates(self.window.start(), self.window.start(), self.window.end())
            {
                // A session day is never in an action period; report the call it displaces
                // either way, so that a missing month on the calendar is explained.
                if let Some(session) = sessions.iter().find(|s| s.timing.covers(date)) {
                    skipped.push(SkippedOccurrence {
                        cohort: self.cohort.to_owned(),
                        series: one.name.clone(),
                        date,
                        reason: format!("falls on {}", session.title),
                    });
                    continue;
                }
                let allowed = match one.during {
                    CallWindow::ActionPeriods => periods.iter().any(|p| p.timing.covers(date)),
                    CallWindow::WholeProgram => true,
                };
                if allowed {
                    let timing = EventTiming::Timed {
                        date,
                        start: one.start_time,
                        end,
                    };
                    calls.push((
                        j,
                        Event::new(
                            self.program,
                            self.cohort,
                            one.kind.event_kind(),
                            one.name.clone(),
                            timing,
                        ),
                    ));
                }
            }
        }
        calls.sort_by(|a, b| a.1.sort_key().cmp(&b.1.sort_key()));
        for (i, (_, first)) in calls.iter().enumerate() {
            for (j, second) in calls.iter().skip(i + 1) {
                if second.timing.first_day() > first.timing.first_day() {
                    break;
                }
                if first.timing.overlaps(&second.timing) {
                    return Err(self.overlap(first, second, format!("calls[{j}]")));
                }
            }
        }
        Ok((calls.into_iter().map(|(_, e)| e).collect(), skipped))
    }
}

fn day_label(date: NaiveDate) -> String {
    date.format("%a %Y-%m-%d").to_string()
}

fn describe(event: &Event) -> String {
    let mut text = capitalize(event.kind.label());
    if let Some(format) = event.format {
        let _ = write!(text, " ({})", format.label());
    }
    let _ = write!(text, " for {}", event.cohort);
    text
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The gaps between consecutive sessions, and from a last learning session to the program's end.
fn action_periods(
    program: &str,
    window: ProgramWindow,
    cohort: &str,
    sessions: &[Event],
) -> Vec<Event> {
    let mut spans = Vec::new();
    for pair in sessions.windows(2) {
        if let [before, after] = pair {
            spans.push((
                before.timing.last_day().succ_opt(),
                after.timing.first_day().pred_opt(),
            ));
        }
    }
    if let Some(last) = sessions.last()
        && last.kind == EventKind::LearningSession
    {
        spans.push((last.timing.last_day().succ_opt(), Some(window.end())));
    }
    spans
        .into_iter()
        .filter_map(|(first, last)| match (first, last) {
            (Some(first), Some(last)) if first <= last => Some(EventTiming::AllDay { first, last }),
            _ => None,
        })
        .enumerate()
        .map(|(i, timing)| {
            Event::new(
                program,
                cohort,
                EventKind::ActionPeriod,
                format!("Action Period {}", i + 1),
                timing,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::Weekday;

    use super::*;
    use crate::recurrence::WeekOfMonth;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn window() -> ProgramWindow {
        ProgramWindow::new(d(2020, 8, 1), 11).unwrap()
    }

    fn template() -> ScheduleTemplate {
        ScheduleTemplate::default()
            .session(SessionSpec::virtual_half_day("LS1", d(2020, 8, 26)))
            .session(SessionSpec::in_person("LS2", d(2021, 1, 12), 2))
            .session(
                SessionSpec::virtual_half_day("Harvest", d(2021, 6, 23))
                    .kind(SessionKind::Harvesting),
            )
            .calls(CallSeries::new(
                "All-team call",
                CallKind::AllTeam,
                Recurrence::monthly(WeekOfMonth::Second, Weekday::Tue),
                t(13, 0),
            ))
    }

    #[test]
    fn action_periods_fill_the_gaps_between_sessions() {
        let s = Schedule::from_template("P", window(), "C", &template()).unwrap();
        let periods: Vec<_> = s
            .of_kind(EventKind::ActionPeriod)
            .map(|e| e.timing)
            .collect();
        assert_eq!(
            periods,
            [
                EventTiming::AllDay {
                    first: d(2020, 8, 27),
                    last: d(2021, 1, 11)
                },
                EventTiming::AllDay {
                    first: d(2021, 1, 14),
                    last: d(2021, 6, 22)
                },
            ]
        );
    }

    #[test]
    fn calls_fall_in_action_periods_and_skip_session_days() {
        let s = Schedule::from_template("P", window(), "C", &template()).unwrap();
        let calls: Vec<_> = s
            .of_kind(EventKind::AllTeamCall)
            .map(|e| e.timing.first_day())
            .collect();
        // August's second Tuesday (Aug 11) is before the first session: no action period yet.
        assert_eq!(calls.first(), Some(&d(2020, 9, 8)));
        assert_eq!(calls.last(), Some(&d(2021, 6, 8)));
        // 2021-01-12 is the first day of LS2: skipped and reported.
        assert!(!calls.contains(&d(2021, 1, 12)));
        assert_eq!(s.skipped().len(), 1);
        assert_eq!(s.skipped()[0].reason, "falls on LS2");
        assert_eq!(calls.len(), 9);
    }

    #[test]
    fn a_session_after_the_program_ends_is_refused_with_its_field() {
        let late = template().session(SessionSpec::virtual_half_day("Late", d(2021, 7, 15)));
        let err = Schedule::from_template("P", window(), "C", &late).unwrap_err();
        assert_eq!(err.field(), Some("sessions[3].date"));
        assert_eq!(
            err.to_string(),
            "sessions[3].date: Late (2021-07-15) is outside the program window 2020-08-01 to 2021-06-30"
        );
    }

    #[test]
    fn overlapping_sessions_and_calls_are_refused() {
        let clashing = template().session(SessionSpec::virtual_half_day("Clash", d(2021, 1, 13)));
        let err = Schedule::from_template("P", window(), "C", &clashing).unwrap_err();
        assert!(matches!(err.field(), Some("sessions[3].date")), "{err}");
        assert!(
            err.to_string()
                .contains("LS2 and Clash overlap on 2021-01-13"),
            "{err}"
        );

        let clash = CallSeries::new(
            "Coaching",
            CallKind::Coaching,
            "every Tuesday".parse().unwrap(),
            t(13, 30),
        );
        let err =
            Schedule::from_template("P", window(), "C", &template().calls(clash)).unwrap_err();
        assert_eq!(err.field(), Some("calls[1]"), "{err}");
    }

    #[test]
    fn fields_that_do_not_fit_the_format_are_named() {
        let mut bad = SessionSpec::virtual_half_day("V", d(2020, 9, 1));
        bad.days = Some(2);
        let err = Schedule::from_template(
            "P",
            window(),
            "C",
            &ScheduleTemplate::default().session(bad),
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("sessions[0].days"));
        let long = SessionSpec::virtual_half_day("V", d(2020, 9, 1)).at(t(22, 0), 180);
        let err = Schedule::from_template(
            "P",
            window(),
            "C",
            &ScheduleTemplate::default().session(long),
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("sessions[0].duration_minutes"));
        let zero_days = SessionSpec::in_person("I", d(2020, 9, 1), 0);
        let err = Schedule::from_template(
            "P",
            window(),
            "C",
            &ScheduleTemplate::default().session(zero_days),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("days must be 1 to 14, got 0"),
            "{err}"
        );
    }

    #[test]
    fn calls_need_sessions_to_run_in_action_periods() {
        let only_calls = ScheduleTemplate::default().calls(CallSeries::new(
            "Webinar",
            CallKind::Webinar,
            Recurrence::weekly(Weekday::Wed),
            t(12, 0),
        ));
        let err = Schedule::from_template("P", window(), "C", &only_calls).unwrap_err();
        assert_eq!(err.field(), Some("calls[0].during"));
        let mut whole = only_calls;
        whole.calls[0].during = CallWindow::WholeProgram;
        let s = Schedule::from_template("P", window(), "C", &whole).unwrap();
        assert_eq!(s.events().len(), 48);
    }

    #[test]
    fn uids_are_stable_and_distinct() {
        let a = Schedule::from_template("P", window(), "C", &template()).unwrap();
        let b = Schedule::from_template("P", window(), "C", &template()).unwrap();
        assert_eq!(a, b);
        let mut uids: Vec<_> = a.events().iter().map(|e| e.uid.as_str()).collect();
        uids.sort_unstable();
        uids.dedup();
        assert_eq!(uids.len(), a.events().len());
    }

    #[test]
    fn ics_is_rfc5545_shaped_and_deterministic() {
        let s = Schedule::from_template("P", window(), "C", &template()).unwrap();
        let ics = s.to_ics();
        assert_eq!(ics, s.to_ics());
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.contains("DTSTAMP:20200801T000000Z\r\n"));
        assert!(ics.contains("DTSTART;VALUE=DATE:20210112\r\n"));
        assert!(ics.contains("DTEND;VALUE=DATE:20210114\r\n"));
        assert!(ics.contains("DTSTART:20200826T120000\r\n"));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), s.events().len());
    }

    #[test]
    fn deserializing_checks_the_window_and_sorts() {
        let s = Schedule::from_template("P", window(), "C", &template()).unwrap();
        let mut value = serde_json::to_value(&s).unwrap();
        value["events"].as_array_mut().unwrap().reverse();
        let back: Schedule = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(back, s);
        value["events"][0]["timing"]["date"] = "2022-01-01".into();
        value["events"][0]["timing"]["type"] = "timed".into();
        assert!(serde_json::from_value::<Schedule>(value).is_err());
    }
}

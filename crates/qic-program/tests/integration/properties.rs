//! Properties: generated templates give sorted events inside the window without overlaps in a
//! cohort (or a clear error, never a panic); programs and schedules round-trip through serde.

use chrono::{Duration, NaiveDate, NaiveTime, Weekday};
use proptest::prelude::*;
use qic_program::{
    CallKind, CallSeries, CallWindow, CohortKind, CohortSpec, DurationMonths, Enrolment, Framework,
    Organization, OrganizationKind, Program, ProgramError, ProgramSpec, ProgramWindow, Recurrence,
    Schedule, ScheduleTemplate, SessionKind, SessionSpec, Sponsor, SponsorKind, Team, WeekOfMonth,
};

const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];
const WEEKS: [WeekOfMonth; 5] = [
    WeekOfMonth::First,
    WeekOfMonth::Second,
    WeekOfMonth::Third,
    WeekOfMonth::Fourth,
    WeekOfMonth::Last,
];

fn start_date() -> impl Strategy<Value = NaiveDate> {
    (0i64..15_000)
        .prop_map(|days| NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + Duration::days(days))
}

fn rule() -> impl Strategy<Value = Recurrence> {
    prop_oneof![
        (0usize..5, 0usize..7, 1u32..4).prop_map(|(w, d, every)| Recurrence::Monthly {
            week: WEEKS[w],
            weekday: WEEKDAYS[d],
            every
        }),
        (0usize..7, 1u32..4).prop_map(|(d, every)| Recurrence::Weekly {
            weekday: WEEKDAYS[d],
            every
        }),
    ]
}

fn session(day_offset: i64, start: NaiveDate) -> impl Strategy<Value = SessionSpec> {
    (any::<bool>(), 1u32..4, 8u32..15, 30u32..300, 0usize..6).prop_map(
        move |(in_person, days, hour, minutes, kind)| {
            let date = start + Duration::days(day_offset);
            let spec = if in_person {
                SessionSpec::in_person(format!("Session on day {day_offset}"), date, days)
            } else {
                SessionSpec::virtual_half_day(format!("Session on day {day_offset}"), date)
                    .at(NaiveTime::from_hms_opt(hour, 0, 0).unwrap(), minutes)
            };
            spec.kind(if kind == 0 {
                SessionKind::Harvesting
            } else {
                SessionKind::LearningSession
            })
        },
    )
}

/// Any template: sessions anywhere near the window (some outside it, some overlapping), any
/// call rules and times.
fn any_template(start: NaiveDate, days: i64) -> impl Strategy<Value = ScheduleTemplate> {
    let sessions = prop::collection::vec(
        (-20..days + 20).prop_flat_map(move |offset| session(offset, start)),
        0..6,
    );
    let calls = prop::collection::vec(
        (rule(), 6u32..20, 15u32..150, any::<bool>(), 0usize..5).prop_map(
            |(rule, hour, minutes, whole, kind)| {
                let kinds = [
                    CallKind::AllTeam,
                    CallKind::Coaching,
                    CallKind::WorkingGroup,
                    CallKind::Leadership,
                    CallKind::Webinar,
                ];
                CallSeries::new(
                    format!("{rule}"),
                    kinds[kind],
                    rule,
                    NaiveTime::from_hms_opt(hour, 0, 0).unwrap(),
                )
                .minutes(minutes)
                .during(if whole {
                    CallWindow::WholeProgram
                } else {
                    CallWindow::ActionPeriods
                })
            },
        ),
        0..4,
    );
    (sessions, calls).prop_map(|(sessions, calls)| ScheduleTemplate { sessions, calls })
}

/// A template valid by construction: sessions in separate two-week slots, calls at distinct
/// hours.
fn valid_template(start: NaiveDate, days: i64) -> impl Strategy<Value = ScheduleTemplate> {
    let slots = (days / 14).clamp(1, 8);
    let sessions = prop::collection::btree_set(0..slots, 1..=usize::try_from(slots).unwrap())
        .prop_flat_map(move |chosen| {
            chosen
                .into_iter()
                .map(|slot| {
                    session(slot * 14, start).prop_map(|mut s| {
                        s.days = s.days.map(|d| d.min(3));
                        s.kind = SessionKind::LearningSession;
                        s
                    })
                })
                .collect::<Vec<_>>()
        });
    let calls = prop::collection::vec(rule(), 0..4).prop_map(|rules| {
        rules
            .into_iter()
            .enumerate()
            .map(|(i, rule)| {
                let hour = 8 + 2 * u32::try_from(i).unwrap();
                CallSeries::new(
                    format!("Series {i}"),
                    CallKind::AllTeam,
                    rule,
                    NaiveTime::from_hms_opt(hour, 0, 0).unwrap(),
                )
            })
            .collect()
    });
    (sessions, calls).prop_map(|(sessions, calls)| ScheduleTemplate { sessions, calls })
}

fn window_and(
    template: fn(NaiveDate, i64) -> BoxedStrategy<ScheduleTemplate>,
) -> impl Strategy<Value = (ProgramWindow, ScheduleTemplate)> {
    (start_date(), 1u32..25).prop_flat_map(move |(start, months)| {
        let window = ProgramWindow::new(start, months).unwrap();
        let days = (window.end() - window.start()).num_days() + 1;
        template(start, days).prop_map(move |t| (window, t))
    })
}

fn any_boxed(start: NaiveDate, days: i64) -> BoxedStrategy<ScheduleTemplate> {
    any_template(start, days).boxed()
}

fn valid_boxed(start: NaiveDate, days: i64) -> BoxedStrategy<ScheduleTemplate> {
    valid_template(start, days).boxed()
}

fn check_invariants(schedule: &Schedule, window: ProgramWindow) {
    let events = schedule.events();
    for event in events {
        assert!(
            window.contains(event.timing.first_day()) && window.contains(event.timing.last_day()),
            "{event:?} outside {window}"
        );
        assert!(event.timing.start() < event.timing.end());
    }
    for pair in events.windows(2) {
        assert!(
            pair[0].timing.start() <= pair[1].timing.start(),
            "not sorted: {pair:?}"
        );
    }
    let busy: Vec<_> = events.iter().filter(|e| e.kind.takes_time()).collect();
    for (i, a) in busy.iter().enumerate() {
        for b in &busy[i + 1..] {
            assert!(
                a.cohort != b.cohort || !a.timing.overlaps(&b.timing),
                "{a:?} overlaps {b:?}"
            );
        }
    }
    for skipped in schedule.skipped() {
        assert!(
            events
                .iter()
                .any(|e| e.kind.is_session() && e.timing.covers(skipped.date))
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_template_gives_a_valid_schedule_or_a_located_error((window, template) in window_and(any_boxed)) {
        match Schedule::from_template("P", window, "C", &template) {
            Ok(schedule) => check_invariants(&schedule, window),
            Err(err) => {
                let field = err.field().unwrap_or_default();
                prop_assert!(field.starts_with("sessions[") || field.starts_with("calls["), "{err}");
                let ProgramError::Field { source, .. } = &err else { panic!("{err}") };
                prop_assert!(matches!(
                    **source,
                    ProgramError::EventOutsideWindow { .. }
                        | ProgramError::OverlappingEvents { .. }
                        | ProgramError::InvalidEvent { .. }
                ), "{err}");
            }
        }
    }

    #[test]
    fn valid_templates_always_schedule((window, template) in window_and(valid_boxed)) {
        let schedule = Schedule::from_template("P", window, "C", &template).map_err(|e| TestCaseError::fail(e.to_string()))?;
        check_invariants(&schedule, window);
        prop_assert_eq!(schedule.learning_sessions().count(), template.sessions.len());
        // Schedules round-trip through JSON.
        let json = serde_json::to_string(&schedule).unwrap();
        prop_assert_eq!(serde_json::from_str::<Schedule>(&json).unwrap(), schedule);
    }

    #[test]
    fn programs_round_trip_through_json_and_toml(
        (window, template) in window_and(valid_boxed),
        name in "[A-Za-z][A-Za-z ,;'-]{0,30}",
        capacity in proptest::option::of(2u32..50),
        teams in 0usize..3,
        framework in prop_oneof![Just(Framework::ActionLearning), "[a-z ]{1,12}".prop_map(Framework::Other)],
    ) {
        let mut spec = ProgramSpec::new(
            name,
            Sponsor::new("Sponsor", SponsorKind::Foundation).supported_by("Funder"),
            "focus",
            framework,
            window.start(),
            DurationMonths::new(u32::try_from(window.months().len()).unwrap().min(24)).unwrap(),
        );
        let mut cohort = CohortSpec::new("Cohort", CohortKind::ActionCommunity).schedule(template);
        cohort.capacity = capacity;
        for i in 0..teams {
            let team = Team::new(format!("Team {i}"), Organization::new(format!("Org {i}"), OrganizationKind::HealthSystem));
            cohort.enrolments.push(Enrolment::new(team.id, window.start()));
            spec.teams.push(team);
        }
        spec = spec.cohort(cohort);
        let program = match Program::new(spec) {
            Ok(program) => program,
            // A duration capped at 24 months can leave a session of the original window out.
            Err(err) => { prop_assert!(err.to_string().contains("outside the program window"), "{err}"); return Ok(()); }
        };
        let json = serde_json::to_string(&program).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Program>(&json).unwrap(), &program);
        let toml_text = toml::to_string(&program).unwrap();
        prop_assert_eq!(&toml::from_str::<Program>(&toml_text).unwrap(), &program);
    }
}

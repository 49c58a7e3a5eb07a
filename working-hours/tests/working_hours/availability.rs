//! Compiling working weeks, expanding them into instants, `state_at`, `next_available_at`.
//! January dates are EST (UTC−5) unless said otherwise.

use tandem_protocol::working_hours::{Availability, AvailabilityState, Interval, WorkSchedule};
use tandem_protocol::{ErrorCode, UserId};
use tandem_working_hours::WorkingWeek;

use crate::{office, on, range, ts, week};

use AvailabilityState::{InFocus, OutsideHours, Working};

const NY: &str = "America/New_York";

fn iv(start: &str, end: &str) -> Interval {
    Interval {
        start: ts(start),
        end: ts(end),
    }
}

/// Mon–Fri 09–17, focus Tue 10–12, Thu 16–18 (past the end of the day) and Sat 10–11
/// (on a day off).
fn person() -> WorkingWeek {
    office(
        NY,
        vec![
            range(2, "10:00", "12:00"),
            range(4, "16:00", "18:00"),
            range(6, "10:00", "11:00"),
        ],
    )
}

fn state(s: &WorkingWeek, at: &str) -> (AvailabilityState, Option<i64>) {
    s.state_at(ts(at))
}

#[test]
fn rejects_unknown_zones_and_bad_ranges() {
    let bad_zone = WorkSchedule {
        time_zone: "Mars/Olympus_Mons".into(),
        ..WorkSchedule::default_for("UTC")
    };
    let err = WorkingWeek::new(&bad_zone).unwrap_err();
    assert_eq!(
        (err.code, err.field.as_deref()),
        (ErrorCode::Validation, Some("time_zone"))
    );

    let backwards = WorkSchedule {
        working_hours: vec![range(1, "17:00", "09:00")],
        ..WorkSchedule::default_for(NY)
    };
    let err = WorkingWeek::new(&backwards).unwrap_err();
    assert_eq!(
        (err.code, err.field.as_deref()),
        (ErrorCode::Validation, Some("working_hours"))
    );

    let ok = WorkingWeek::new(&WorkSchedule::default_for("Europe/Lisbon")).unwrap();
    assert_eq!(ok.time_zone(), "Europe/Lisbon");
}

#[test]
fn expands_weekly_ranges_into_instants() {
    let s = person();
    // Mon 15 – Wed 17 Jan noon UTC: Mon and Tue fully, Wed's day starts 14:00Z.
    let working = s.working_intervals(ts("2024-01-15T00:00:00Z"), ts("2024-01-17T15:00:00Z"));
    assert_eq!(
        working,
        vec![
            iv("2024-01-15T14:00:00Z", "2024-01-15T22:00:00Z"),
            iv("2024-01-16T14:00:00Z", "2024-01-16T22:00:00Z"),
            iv("2024-01-17T14:00:00Z", "2024-01-17T15:00:00Z"),
        ]
    );
    // Focus includes the parts outside working hours (Thu until 18:00, Saturday).
    let focus = s.focus_intervals(ts("2024-01-15T00:00:00Z"), ts("2024-01-22T00:00:00Z"));
    assert_eq!(
        focus,
        vec![
            iv("2024-01-16T15:00:00Z", "2024-01-16T17:00:00Z"),
            iv("2024-01-18T21:00:00Z", "2024-01-18T23:00:00Z"),
            iv("2024-01-20T15:00:00Z", "2024-01-20T16:00:00Z"),
        ]
    );
    // Available = working − focus: Tuesday splits around focus, Thursday ends at 16:00.
    let available = s.available_intervals(ts("2024-01-16T00:00:00Z"), ts("2024-01-19T00:00:00Z"));
    assert_eq!(
        available,
        vec![
            iv("2024-01-16T14:00:00Z", "2024-01-16T15:00:00Z"),
            iv("2024-01-16T17:00:00Z", "2024-01-16T22:00:00Z"),
            iv("2024-01-17T14:00:00Z", "2024-01-17T22:00:00Z"),
            iv("2024-01-18T14:00:00Z", "2024-01-18T21:00:00Z"),
        ]
    );
    // Empty or inverted spans give nothing.
    assert_eq!(
        s.working_intervals(ts("2024-01-16T00:00:00Z"), ts("2024-01-15T00:00:00Z")),
        vec![]
    );
}

#[test]
fn office_hours_on_change_days_stay_office_hours() {
    let every_day = week(NY, on(1..=7, "09:00", "17:00"), vec![]);
    // Sun 10 Mar (spring forward) 09:00–17:00 EDT: still 8 h.
    let day = every_day.working_intervals(ts("2024-03-10T05:00:00Z"), ts("2024-03-11T04:00:00Z"));
    assert_eq!(
        day,
        vec![iv("2024-03-10T13:00:00Z", "2024-03-10T21:00:00Z")]
    );
    let berlin = week("Europe/Berlin", on(1..=7, "09:00", "17:00"), vec![]);
    // Sun 27 Oct (fall back) 09:00–17:00 CET: 08:00Z–16:00Z.
    let day = berlin.working_intervals(ts("2024-10-26T22:00:00Z"), ts("2024-10-27T23:00:00Z"));
    assert_eq!(
        day,
        vec![iv("2024-10-27T08:00:00Z", "2024-10-27T16:00:00Z")]
    );
}

#[test]
fn ranges_over_the_gap_shrink_and_over_the_fold_grow() {
    let s = week(
        NY,
        vec![range(7, "01:00", "04:00"), range(7, "12:00", "13:00")],
        vec![],
    );
    // 10 Mar: 01:00 EST = 06:00Z, 04:00 EDT = 08:00Z: 2 h.
    let spring = s.working_intervals(ts("2024-03-10T00:00:00Z"), ts("2024-03-10T12:00:00Z"));
    assert_eq!(
        spring,
        vec![iv("2024-03-10T06:00:00Z", "2024-03-10T08:00:00Z")]
    );
    // 3 Nov: 01:00 EDT (first) = 05:00Z, 04:00 EST = 09:00Z: 4 h.
    let autumn = s.working_intervals(ts("2024-11-03T00:00:00Z"), ts("2024-11-03T12:00:00Z"));
    assert_eq!(
        autumn,
        vec![iv("2024-11-03T05:00:00Z", "2024-11-03T09:00:00Z")]
    );

    // A range that lies wholly in the skipped hour does not exist that day...
    let skipped = week(NY, vec![range(7, "02:00", "03:00")], vec![]);
    assert_eq!(
        skipped.working_intervals(ts("2024-03-10T00:00:00Z"), ts("2024-03-11T00:00:00Z")),
        vec![]
    );
    // ...and one on the repeated hour lasts both of them: 01:00 EDT (05:00Z) to 02:00 EST (07:00Z).
    let repeated = week(NY, vec![range(7, "01:00", "02:00")], vec![]);
    let got = repeated.working_intervals(ts("2024-11-03T00:00:00Z"), ts("2024-11-04T00:00:00Z"));
    assert_eq!(
        got,
        vec![iv("2024-11-03T05:00:00Z", "2024-11-03T07:00:00Z")]
    );
}

#[test]
fn a_night_shift_is_one_stretch_across_midnight() {
    let mut hours = on(1..=5, "22:00", "24:00");
    hours.extend(on(2..=6, "00:00", "06:00"));
    let s = week(NY, hours, vec![]);
    // Mon 15 Jan 22:00 EST (03:00Z Tue) to Tue 06:00 EST (11:00Z): one 8 h interval.
    let got = s.working_intervals(ts("2024-01-16T00:00:00Z"), ts("2024-01-16T12:00:00Z"));
    assert_eq!(
        got,
        vec![iv("2024-01-16T03:00:00Z", "2024-01-16T11:00:00Z")]
    );
    // Inside it, the state runs until the morning.
    assert_eq!(
        state(&s, "2024-01-16T04:00:00Z"),
        (Working, Some(ts("2024-01-16T11:00:00Z")))
    );
}

#[test]
fn state_and_until_around_boundaries() {
    let s = person();
    // Mon 12:00: working until 17:00.
    assert_eq!(
        state(&s, "2024-01-15T17:00:00Z"),
        (Working, Some(ts("2024-01-15T22:00:00Z")))
    );
    // One millisecond before 09:00: outside hours, until 09:00; at 09:00 exactly: working.
    assert_eq!(
        state(&s, "2024-01-15T13:59:59.999Z"),
        (OutsideHours, Some(ts("2024-01-15T14:00:00Z")))
    );
    assert_eq!(
        state(&s, "2024-01-15T14:00:00Z"),
        (Working, Some(ts("2024-01-15T22:00:00Z")))
    );
    // At 17:00 exactly the day is over (ranges are half-open): until Tue 09:00.
    assert_eq!(
        state(&s, "2024-01-15T22:00:00Z"),
        (OutsideHours, Some(ts("2024-01-16T14:00:00Z")))
    );
    // Tue 09:30: working until the focus block at 10:00, in focus until 12:00, then
    // working until 17:00.
    assert_eq!(
        state(&s, "2024-01-16T14:30:00Z"),
        (Working, Some(ts("2024-01-16T15:00:00Z")))
    );
    assert_eq!(
        state(&s, "2024-01-16T15:00:00Z"),
        (InFocus, Some(ts("2024-01-16T17:00:00Z")))
    );
    assert_eq!(
        state(&s, "2024-01-16T17:00:00Z"),
        (Working, Some(ts("2024-01-16T22:00:00Z")))
    );
    // Thu 16:30: focus wins over working, and lasts past 17:00 until 18:00.
    assert_eq!(
        state(&s, "2024-01-18T21:30:00Z"),
        (InFocus, Some(ts("2024-01-18T23:00:00Z")))
    );
    assert_eq!(
        state(&s, "2024-01-18T23:00:00Z"),
        (OutsideHours, Some(ts("2024-01-19T14:00:00Z")))
    );
    // Saturday focus on a day off still counts as focus.
    assert_eq!(
        state(&s, "2024-01-20T15:30:00Z"),
        (InFocus, Some(ts("2024-01-20T16:00:00Z")))
    );
    assert_eq!(
        state(&s, "2024-01-20T16:00:00Z"),
        (OutsideHours, Some(ts("2024-01-22T14:00:00Z")))
    );
}

#[test]
fn next_available_skips_focus_nights_and_weekends() {
    let s = person();
    let next = |at: &str| s.next_available_at(ts(at));
    // Available now: now.
    assert_eq!(
        next("2024-01-15T17:00:00Z"),
        Some(ts("2024-01-15T17:00:00Z"))
    );
    // In focus: when it ends. Outside hours: the next morning.
    assert_eq!(
        next("2024-01-16T15:00:00Z"),
        Some(ts("2024-01-16T17:00:00Z"))
    );
    assert_eq!(
        next("2024-01-15T22:00:00Z"),
        Some(ts("2024-01-16T14:00:00Z"))
    );
    // Thursday's focus runs past the end of the day: Friday 09:00.
    assert_eq!(
        next("2024-01-18T21:30:00Z"),
        Some(ts("2024-01-19T14:00:00Z"))
    );
    // Saturday focus: Monday 09:00.
    assert_eq!(
        next("2024-01-20T15:30:00Z"),
        Some(ts("2024-01-22T14:00:00Z"))
    );
}

#[test]
fn state_across_the_spring_forward_weekend() {
    let s = person();
    // Fri 8 Mar 17:00 EST: outside hours until Saturday's focus at 10:00 EST (15:00Z).
    assert_eq!(
        state(&s, "2024-03-08T22:00:00Z"),
        (OutsideHours, Some(ts("2024-03-09T15:00:00Z")))
    );
    // After it, outside hours until Mon 11 Mar 09:00 EDT = 13:00Z (not 14:00Z).
    assert_eq!(
        state(&s, "2024-03-09T16:00:00Z"),
        (OutsideHours, Some(ts("2024-03-11T13:00:00Z")))
    );
    assert_eq!(
        s.next_available_at(ts("2024-03-08T22:00:00Z")),
        Some(ts("2024-03-11T13:00:00Z"))
    );
}

#[test]
fn weeks_that_never_change() {
    // No working hours: outside hours forever, never available.
    let idle = week(NY, vec![], vec![]);
    assert_eq!(state(&idle, "2024-01-15T17:00:00Z"), (OutsideHours, None));
    assert_eq!(idle.next_available_at(ts("2024-01-15T17:00:00Z")), None);
    // Around the clock without focus: working forever, available now.
    let always = week("UTC", on(1..=7, "00:00", "24:00"), vec![]);
    assert_eq!(state(&always, "2024-01-15T17:00:00Z"), (Working, None));
    assert_eq!(
        always.next_available_at(ts("2024-01-15T17:00:00Z")),
        Some(ts("2024-01-15T17:00:00Z"))
    );
}

#[test]
fn availability_bundles_state_until_and_next() {
    let s = person();
    let user_id = UserId::from_u128(7);
    assert_eq!(
        s.availability(user_id, ts("2024-01-16T15:00:00Z")),
        Availability {
            user_id,
            time_zone: NY.into(),
            state: InFocus,
            until: Some(ts("2024-01-16T17:00:00Z")),
            next_available_at: Some(ts("2024-01-16T17:00:00Z")),
        }
    );
    let idle = week("Europe/Lisbon", vec![], vec![]);
    assert_eq!(
        idle.availability(user_id, ts("2024-01-16T15:00:00Z")),
        Availability {
            user_id,
            time_zone: "Europe/Lisbon".into(),
            state: OutsideHours,
            until: None,
            next_available_at: None
        }
    );
}

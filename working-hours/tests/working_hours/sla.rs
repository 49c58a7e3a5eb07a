//! The SLA clock: `WorkingWeek::add_available_minutes` and `due_at`.
//!
//! Zones and their 2024 clock changes used below (local → UTC offsets):
//! - America/New_York: EST −5, EDT −4; spring forward Sun 10 Mar 02:00 → 03:00,
//!   fall back Sun 3 Nov 02:00 → 01:00.
//! - Europe/Lisbon: WET +0, WEST +1; Sun 31 Mar 01:00 → 02:00, Sun 27 Oct 02:00 → 01:00.
//! - Europe/Berlin: CET +1, CEST +2; Sun 31 Mar 02:00 → 03:00, Sun 27 Oct 03:00 → 02:00.

use tandem_protocol::urgency::{SlaTargets, Urgency};
use tandem_working_hours::{due_at, WorkingWeek};

use crate::{office, on, range, ts, week};

const NY: &str = "America/New_York";

fn standard(owner: &WorkingWeek, created_at: &str) -> i64 {
    due_at(
        Urgency::Standard,
        &SlaTargets::default(),
        ts(created_at),
        owner,
    )
}

#[test]
fn working_hours_pause_the_clock_overnight() {
    let owner = office(NY, vec![]);
    // Mon 15 Jan 16:00 EST + 4 h: 1 h until 17:00, 3 h from Tue 09:00 → Tue 12:00 EST.
    assert_eq!(
        standard(&owner, "2024-01-15T21:00:00Z"),
        ts("2024-01-16T17:00:00Z")
    );
}

#[test]
fn the_clock_stops_exactly_when_the_time_is_used() {
    let owner = office(NY, vec![]);
    // Mon 16:00 EST + 60 min ends at 17:00 the same day, not on Tuesday morning.
    assert_eq!(
        owner.add_available_minutes(ts("2024-01-15T21:00:00Z"), 60),
        Some(ts("2024-01-15T22:00:00Z"))
    );
    // Zero minutes: the start itself.
    assert_eq!(
        owner.add_available_minutes(ts("2024-01-15T21:00:00Z"), 0),
        Some(ts("2024-01-15T21:00:00Z"))
    );
    // Sub-minute starts are kept: 16:00:00.500 + 1 min = 16:01:00.500.
    let start = ts("2024-01-15T21:00:00Z") + 500;
    assert_eq!(owner.add_available_minutes(start, 1), Some(start + 60_000));
}

#[test]
fn created_outside_hours_starts_at_the_next_working_moment() {
    let owner = office(NY, vec![]);
    // Mon 06:00 EST: the clock starts at 09:00 → 13:00 EST = 18:00Z.
    assert_eq!(
        standard(&owner, "2024-01-15T11:00:00Z"),
        ts("2024-01-15T18:00:00Z")
    );
}

#[test]
fn weekends_pause_the_clock() {
    let owner = office(NY, vec![]);
    // Fri 19 Jan 15:00 EST + 4 h: 2 h Friday, 2 h from Mon 22 Jan 09:00 → Mon 11:00 EST.
    assert_eq!(
        standard(&owner, "2024-01-19T20:00:00Z"),
        ts("2024-01-22T16:00:00Z")
    );
    // Created on Saturday: all 4 h on Monday, 09:00–13:00 EST.
    assert_eq!(
        standard(&owner, "2024-01-20T15:00:00Z"),
        ts("2024-01-22T18:00:00Z")
    );
}

#[test]
fn low_runs_over_several_working_days() {
    let owner = office(NY, vec![]);
    // Mon 16:00 EST + 24 h: Mon 1 + Tue 8 + Wed 8 + Thu 7 = 24 → Thu 18 Jan 16:00 EST.
    let due = due_at(
        Urgency::Low,
        &SlaTargets::default(),
        ts("2024-01-15T21:00:00Z"),
        &owner,
    );
    assert_eq!(due, ts("2024-01-18T21:00:00Z"));
}

#[test]
fn focus_blocks_pause_the_clock() {
    let owner = office(NY, vec![range(2, "10:00", "12:00")]);
    // Mon 16:00 EST: Mon 16–17 (1 h), Tue 09–10 (2 h), focus 10–12, 12–14 (4 h)
    // → Tue 14:00 EST = 19:00Z.
    assert_eq!(
        standard(&owner, "2024-01-15T21:00:00Z"),
        ts("2024-01-16T19:00:00Z")
    );
    // Created in the focus block (Tue 10:30 EST): the clock starts at 12:00 → 16:00 EST.
    assert_eq!(
        standard(&owner, "2024-01-16T15:30:00Z"),
        ts("2024-01-16T21:00:00Z")
    );
}

#[test]
fn critical_ignores_hours_focus_and_weekends() {
    let targets = SlaTargets::default();
    let owner = office(
        NY,
        vec![range(6, "00:00", "24:00"), range(2, "10:00", "12:00")],
    );
    // Saturday 03:00Z (Friday night in New York, and in focus): + 15 min wall clock.
    assert_eq!(
        due_at(
            Urgency::Critical,
            &targets,
            ts("2024-01-20T03:00:00Z"),
            &owner
        ),
        ts("2024-01-20T03:15:00Z")
    );
    // In Tuesday's focus block: still + 15 min.
    assert_eq!(
        due_at(
            Urgency::Critical,
            &targets,
            ts("2024-01-16T15:30:00Z"),
            &owner
        ),
        ts("2024-01-16T15:45:00Z")
    );
    // Across the spring-forward gap, the wall clock is real elapsed time: 01:50 EST
    // (06:50Z) + 15 min = 07:05Z, which New York calls 03:05 EDT.
    assert_eq!(
        due_at(
            Urgency::Critical,
            &targets,
            ts("2024-03-10T06:50:00Z"),
            &owner
        ),
        ts("2024-03-10T07:05:00Z")
    );
    // Custom targets are honoured.
    let quick = SlaTargets {
        critical_minutes: 5,
        ..SlaTargets::default()
    };
    assert_eq!(
        due_at(
            Urgency::Critical,
            &quick,
            ts("2024-01-20T03:00:00Z"),
            &owner
        ),
        ts("2024-01-20T03:05:00Z")
    );
}

#[test]
fn new_york_spring_forward_over_a_weekend() {
    let owner = office(NY, vec![]);
    // Fri 8 Mar 15:00 EST (20:00Z) + 4 h: 2 h Friday, then Mon 11 Mar 09:00–11:00 EDT.
    // 11:00 EDT = 15:00Z (it would be 16:00Z had the clocks not changed).
    assert_eq!(
        standard(&owner, "2024-03-08T20:00:00Z"),
        ts("2024-03-11T15:00:00Z")
    );
}

#[test]
fn new_york_fall_back_over_a_weekend() {
    let owner = office(NY, vec![]);
    // Fri 1 Nov 15:00 EDT (19:00Z) + 4 h → Mon 4 Nov 11:00 EST = 16:00Z.
    assert_eq!(
        standard(&owner, "2024-11-01T19:00:00Z"),
        ts("2024-11-04T16:00:00Z")
    );
}

#[test]
fn lisbon_spring_forward_over_a_weekend() {
    let owner = office("Europe/Lisbon", vec![]);
    // Fri 29 Mar 15:00 WET (15:00Z) + 4 h → Mon 1 Apr 11:00 WEST = 10:00Z.
    assert_eq!(
        standard(&owner, "2024-03-29T15:00:00Z"),
        ts("2024-04-01T10:00:00Z")
    );
}

#[test]
fn lisbon_fall_back_over_a_weekend() {
    let owner = office("Europe/Lisbon", vec![]);
    // Fri 25 Oct 15:00 WEST (14:00Z) + 4 h → Mon 28 Oct 11:00 WET = 11:00Z.
    assert_eq!(
        standard(&owner, "2024-10-25T14:00:00Z"),
        ts("2024-10-28T11:00:00Z")
    );
}

#[test]
fn working_through_the_change_night_in_new_york() {
    // Sundays 00:00–06:00 only.
    let owner = week(NY, vec![range(7, "00:00", "06:00")], vec![]);
    // Sun 10 Mar: 00:00 EST (05:00Z) to 06:00 EDT (10:00Z) is only 5 h. A 6 h target
    // takes all 5, then 1 h of Sun 17 Mar from 00:00 EDT (04:00Z) → 05:00Z.
    let six_hours = SlaTargets {
        standard_minutes: 6 * 60,
        ..SlaTargets::default()
    };
    let due = due_at(
        Urgency::Standard,
        &six_hours,
        ts("2024-03-10T05:00:00Z"),
        &owner,
    );
    assert_eq!(due, ts("2024-03-17T05:00:00Z"));
    // Sun 3 Nov: 00:00 EDT (04:00Z) to 06:00 EST (11:00Z) is 7 h, so 6 h fit that night:
    // 04:00Z + 6 h = 10:00Z (05:00 EST, after the repeated hour).
    let due = due_at(
        Urgency::Standard,
        &six_hours,
        ts("2024-11-03T04:00:00Z"),
        &owner,
    );
    assert_eq!(due, ts("2024-11-03T10:00:00Z"));
}

#[test]
fn working_through_the_change_night_in_berlin() {
    // Sundays 01:00–04:00 only.
    let owner = week("Europe/Berlin", vec![range(7, "01:00", "04:00")], vec![]);
    // Sun 31 Mar: 01:00 CET (00:00Z) to 04:00 CEST (02:00Z) is 2 h; a 3 h target ends
    // 1 h into Sun 7 Apr: 01:00 CEST = 23:00Z on the 6th, + 1 h = 00:00Z on the 7th.
    let three_hours = SlaTargets {
        standard_minutes: 3 * 60,
        ..SlaTargets::default()
    };
    let due = due_at(
        Urgency::Standard,
        &three_hours,
        ts("2024-03-31T00:00:00Z"),
        &owner,
    );
    assert_eq!(due, ts("2024-04-07T00:00:00Z"));
    // Sun 27 Oct: 01:00 CEST (23:00Z on the 26th) to 04:00 CET (03:00Z) is 4 h with the
    // repeated hour; 3 h end at 02:00Z (03:00 CET), an hour before the range ends.
    let due = due_at(
        Urgency::Standard,
        &three_hours,
        ts("2024-10-26T23:00:00Z"),
        &owner,
    );
    assert_eq!(due, ts("2024-10-27T02:00:00Z"));
}

#[test]
fn night_shift_runs_through_midnight() {
    // Mon–Fri nights 22:00–06:00, written as evening and morning ranges.
    let mut hours = on(1..=5, "22:00", "24:00");
    hours.extend(on(2..=6, "00:00", "06:00"));
    let owner = week(NY, hours, vec![]);
    // Mon 15 Jan 23:00 EST (04:00Z Tue) + 4 h: 1 h to midnight, 3 h after → Tue 03:00 EST.
    assert_eq!(
        standard(&owner, "2024-01-16T04:00:00Z"),
        ts("2024-01-16T08:00:00Z")
    );
    // Fri 19 Jan 05:00 EST (10:00Z, the end of Thursday's night) + 4 h: 1 h to 06:00, then
    // Friday night 22:00–24:00 (2 h) and Sat 00:00–01:00 (1 h) → Sat 01:00 EST = 06:00Z.
    assert_eq!(
        standard(&owner, "2024-01-19T10:00:00Z"),
        ts("2024-01-20T06:00:00Z")
    );
}

#[test]
fn no_working_hours_means_no_sla_clock_and_wall_clock_deadlines() {
    let targets = SlaTargets::default();
    let idle = week(NY, vec![], vec![]);
    assert_eq!(
        idle.add_available_minutes(ts("2024-01-15T21:00:00Z"), 240),
        None
    );
    assert_eq!(
        idle.add_available_minutes(ts("2024-01-15T21:00:00Z"), 0),
        None
    );
    assert_eq!(
        due_at(
            Urgency::Standard,
            &targets,
            ts("2024-01-15T21:00:00Z"),
            &idle
        ),
        ts("2024-01-16T01:00:00Z")
    );
    assert_eq!(
        due_at(Urgency::Low, &targets, ts("2024-01-15T21:00:00Z"), &idle),
        ts("2024-01-16T21:00:00Z")
    );

    // Working hours entirely covered by focus: no available time either.
    let always_focused = office(NY, on(1..=5, "08:00", "18:00"));
    assert!(!always_focused.has_available_time());
    assert_eq!(
        always_focused.add_available_minutes(ts("2024-01-15T21:00:00Z"), 60),
        None
    );
}

#[test]
fn out_of_range_instants_do_not_panic() {
    let owner = office(NY, vec![]);
    assert_eq!(owner.add_available_minutes(i64::MAX - 1, 60), None);
    assert_eq!(
        due_at(
            Urgency::Standard,
            &SlaTargets::default(),
            i64::MAX - 1,
            &owner
        ),
        i64::MAX
    );
    assert_eq!(owner.add_available_minutes(i64::MIN, 60), None);
    assert_eq!(owner.working_intervals(i64::MIN, i64::MIN + 1), vec![]);
}

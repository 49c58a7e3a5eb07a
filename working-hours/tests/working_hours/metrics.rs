//! Health metrics on a fixed week with hand-computed figures.
//!
//! Period: Mon 15 Jan 2024 00:00Z to Mon 22 Jan 00:00Z. All times below are UTC
//! ("15 10:00" = 15 Jan 10:00Z).
//!
//! Ana (UTC): Mon–Fri 09–17, focus Tue 09–11, Thu 09–11 and Sat 10–12 (day off).
//! Ben (New York, EST = UTC−5): Mon–Thu 08–12 EST = 13–17Z, focus Mon 08–10 EST = 13–15Z.

use tandem_protocol::health::{HealthMetrics, TierStats};
use tandem_protocol::urgency::Urgency::{self, Critical, Low, Standard};
use tandem_protocol::working_hours::Interval;
use tandem_working_hours::metrics::{self, PersonInput, ResponseSample};

use crate::{on, range, ts, week};

/// `day` of January 2024 at "HH:MM" UTC.
fn t(day: u32, hh_mm: &str) -> i64 {
    ts(&format!("2024-01-{day:02}T{hh_mm}:00Z"))
}

fn iv(day: u32, from: &str, end_day: u32, to: &str) -> Interval {
    Interval {
        start: t(day, from),
        end: t(end_day, to),
    }
}

fn sample(
    urgency: Urgency,
    created_at: i64,
    due_at: i64,
    responded_at: Option<i64>,
) -> ResponseSample {
    ResponseSample {
        urgency,
        created_at,
        due_at,
        responded_at,
    }
}

fn tier(
    urgency: Urgency,
    total: u32,
    met: u32,
    adherence: Option<f64>,
    median: Option<f64>,
) -> TierStats {
    TierStats {
        urgency,
        total,
        met,
        adherence,
        median_response_minutes: median,
    }
}

fn period() -> (i64, i64) {
    (t(15, "00:00"), t(22, "00:00"))
}

fn ana() -> PersonInput {
    let (from, to) = period();
    let mut focus = on([2, 4], "09:00", "11:00");
    focus.push(range(6, "10:00", "12:00"));
    let s = week("UTC", on(1..=5, "09:00", "17:00"), focus);
    PersonInput {
        // Working 5 × 480 = 2400 min; focus 120 + 120 + 120 = 360 min.
        working: s.working_intervals(from, to),
        focus: s.focus_intervals(from, to),
        meetings: vec![
            iv(15, "10:00", 15, "11:00"), // Mon: these two overlap: 10:00–11:30 = 90 min
            iv(15, "10:30", 15, "11:30"),
            iv(16, "10:00", 16, "12:00"), // Tue: 120 min working, 10–11 is in focus (60)
            iv(17, "18:00", 17, "19:00"), // Wed evening: outside working hours, 0
            iv(19, "16:30", 19, "17:30"), // Fri: 30 min before 17:00
            iv(20, "11:00", 20, "11:30"), // Sat: no working time, 30 min of focus lost
            iv(14, "23:00", 15, "00:30"), // Sun night into the period: outside hours, 0
        ],
        // meeting = 90 + 120 + 30 = 240; share = 240 / 2400 = 0.1;
        // focus kept = 360 − 60 (Tue) − 30 (Sat) = 270.
        responses: vec![
            // Critical: answered exactly at the deadline (met, 15 min).
            sample(
                Critical,
                t(15, "10:00"),
                t(15, "10:15"),
                Some(t(15, "10:15")),
            ),
            // Critical: late (missed, 45 min).
            sample(
                Critical,
                t(16, "14:00"),
                t(16, "14:15"),
                Some(t(16, "14:45")),
            ),
            // Critical: never answered, deadline passed (missed, no response time).
            sample(Critical, t(17, "09:00"), t(17, "09:15"), None),
            // Critical: deadline exactly at the end of the period (counts, missed).
            sample(Critical, t(21, "23:45"), t(22, "00:00"), None),
            // → total 4, met 1, adherence 0.25, median of [15, 45] = 30.
            //
            // Standard: met, Mon 16:00 → Tue 09:30 = 17.5 h = 1050 min.
            sample(
                Standard,
                t(15, "16:00"),
                t(16, "12:00"),
                Some(t(16, "09:30")),
            ),
            // Standard: met, 60 min.
            sample(
                Standard,
                t(17, "10:00"),
                t(17, "14:00"),
                Some(t(17, "11:00")),
            ),
            // Standard: missed, Thu 10:00 → Fri 09:00 = 23 h = 1380 min.
            sample(
                Standard,
                t(18, "10:00"),
                t(18, "14:00"),
                Some(t(19, "09:00")),
            ),
            // Standard: open and due after the period: pending, left out.
            sample(Standard, t(19, "16:00"), t(22, "12:00"), None),
            // Standard: created before the period: left out.
            sample(
                Standard,
                t(14, "12:00"),
                t(15, "13:00"),
                Some(t(15, "10:00")),
            ),
            // Standard: answered and due only after the period: pending, left out.
            sample(
                Standard,
                t(19, "15:00"),
                t(22, "11:00"),
                Some(t(22, "10:00")),
            ),
            // → total 3, met 2, adherence 2/3, median of [60, 1050, 1380] = 1050.
            //
            // Low: created exactly at `from` (counts), met, 09:30 = 570 min.
            sample(Low, t(15, "00:00"), t(16, "17:00"), Some(t(15, "09:30"))),
            // Low: due after the period but answered within it: counts, met, 60 min.
            sample(Low, t(19, "12:00"), t(22, "12:00"), Some(t(19, "13:00"))),
            // Low: due in the period, answered after it: counts, missed, no response time.
            sample(Low, t(15, "09:00"), t(16, "09:00"), Some(t(22, "09:00"))),
            // Low: created exactly at `to`: left out.
            sample(Low, t(22, "00:00"), t(22, "00:01"), Some(t(22, "00:00"))),
            // → total 3, met 2, adherence 2/3, median of [60, 570] = 315.
        ],
        messages_outside_recipient_hours: 3,
        escalations: 1,
        decisions_async: 4,
        decisions_in_call: 2,
    }
}

fn ben() -> PersonInput {
    let s = week(
        "America/New_York",
        on(1..=4, "08:00", "12:00"),
        vec![range(1, "08:00", "10:00")],
    );
    // Expanded over a wider span than the period (Sun 14 – Wed 24): the metrics clip it.
    let (wide_from, wide_to) = (t(14, "00:00"), t(24, "00:00"));
    PersonInput {
        // Working 4 × 240 = 960 min in the period (Mon 22 is outside it); focus 120.
        working: s.working_intervals(wide_from, wide_to),
        focus: s.focus_intervals(wide_from, wide_to),
        meetings: vec![
            iv(15, "14:00", 15, "16:00"), // Mon 09–11 EST: 120 in working, 14–15Z in focus (60)
            iv(19, "14:00", 19, "15:00"), // Fri: not a working day, 0
        ],
        // meeting = 120; share = 120 / 960 = 0.125; focus kept = 120 − 60 = 60.
        responses: vec![
            sample(
                Critical,
                t(16, "14:00"),
                t(16, "14:15"),
                Some(t(16, "14:10")),
            ), // met, 10
            sample(
                Standard,
                t(15, "13:00"),
                t(15, "17:00"),
                Some(t(15, "13:30")),
            ), // met, 30
            sample(Standard, t(18, "16:00"), t(22, "16:00"), None), // pending
        ],
        messages_outside_recipient_hours: 2,
        escalations: 0,
        decisions_async: 1,
        decisions_in_call: 3,
    }
}

#[test]
fn one_person_over_a_week() {
    let (from, to) = period();
    assert_eq!(
        metrics::person(&ana(), from, to),
        HealthMetrics {
            working_minutes: 2400,
            meeting_minutes: 240,
            meeting_share: Some(0.1),
            tiers: vec![
                tier(Critical, 4, 1, Some(0.25), Some(30.0)),
                tier(Standard, 3, 2, Some(2.0 / 3.0), Some(1050.0)),
                tier(Low, 3, 2, Some(2.0 / 3.0), Some(315.0)),
            ],
            focus_scheduled_minutes: 360,
            focus_kept_minutes: 270,
            messages_outside_recipient_hours: 3,
            escalations: 1,
            decisions_async: 4,
            decisions_in_call: 2,
        }
    );
}

#[test]
fn another_person_in_another_zone_with_an_empty_tier() {
    let (from, to) = period();
    assert_eq!(
        metrics::person(&ben(), from, to),
        HealthMetrics {
            working_minutes: 960,
            meeting_minutes: 120,
            meeting_share: Some(0.125),
            tiers: vec![
                tier(Critical, 1, 1, Some(1.0), Some(10.0)),
                tier(Standard, 1, 1, Some(1.0), Some(30.0)),
                tier(Low, 0, 0, None, None),
            ],
            focus_scheduled_minutes: 120,
            focus_kept_minutes: 60,
            messages_outside_recipient_hours: 2,
            escalations: 0,
            decisions_async: 1,
            decisions_in_call: 3,
        }
    );
}

#[test]
fn the_team_sums_minutes_and_pools_samples() {
    let (from, to) = period();
    assert_eq!(
        metrics::team(&[ana(), ben()], from, to),
        HealthMetrics {
            // 2400 + 960, 240 + 120; share = 360 / 3360 (not the mean of 0.1 and 0.125).
            working_minutes: 3360,
            meeting_minutes: 360,
            meeting_share: Some(360.0 / 3360.0),
            tiers: vec![
                // Critical: 4 + 1 samples, 1 + 1 met; median of [10, 15, 45] = 15.
                tier(Critical, 5, 2, Some(0.4), Some(15.0)),
                // Standard: 3 + 1, 2 + 1 met; median of [30, 60, 1050, 1380] = (60 + 1050) / 2.
                tier(Standard, 4, 3, Some(0.75), Some(555.0)),
                // Low: Ana's only.
                tier(Low, 3, 2, Some(2.0 / 3.0), Some(315.0)),
            ],
            focus_scheduled_minutes: 480,
            focus_kept_minutes: 330,
            messages_outside_recipient_hours: 5,
            escalations: 1,
            decisions_async: 5,
            decisions_in_call: 5,
        }
    );
}

#[test]
fn nothing_to_measure() {
    let (from, to) = period();
    let empty = HealthMetrics {
        working_minutes: 0,
        meeting_minutes: 0,
        meeting_share: None,
        tiers: vec![
            tier(Critical, 0, 0, None, None),
            tier(Standard, 0, 0, None, None),
            tier(Low, 0, 0, None, None),
        ],
        focus_scheduled_minutes: 0,
        focus_kept_minutes: 0,
        messages_outside_recipient_hours: 0,
        escalations: 0,
        decisions_async: 0,
        decisions_in_call: 0,
    };
    assert_eq!(metrics::person(&PersonInput::default(), from, to), empty);
    assert_eq!(metrics::team(&[], from, to), empty);
    // Meetings with no working time: minutes stay 0 and the share undefined.
    let meetings_only = PersonInput {
        meetings: vec![iv(15, "10:00", 15, "11:00")],
        ..PersonInput::default()
    };
    assert_eq!(
        metrics::person(&meetings_only, from, to).meeting_share,
        None
    );
}

//! The communication-health figures (`HealthMetrics`) for one person or a team over a
//! period `[from, to)`. Pure arithmetic on intervals and samples the server collects.
//!
//! Definitions (|x| is the length of a set of instants, overlaps counted once; minutes
//! are exact milliseconds rounded down once at the end):
//! - `working_minutes` = |working ∩ [from,to)|, focus inside working hours included.
//! - `meeting_minutes` = |∪meetings ∩ working ∩ [from,to)|: meetings outside working
//!   hours are not part of the working-time budget, and overlapping meetings count once.
//! - `meeting_share` = meeting_minutes / working_minutes (the reported whole minutes, so
//!   the share matches the figures shown next to it); None when working_minutes is 0.
//! - `tiers`: always three entries, Critical, Standard, Low. A sample counts when it was
//!   created in [from,to) and its outcome is known by `to`: it was answered by `to`
//!   (responded_at ≤ to) or its deadline passed (due_at ≤ to). Items still open and
//!   not yet due are pending and left out. `met` = answered by the deadline
//!   (responded_at ≤ due_at); `adherence` = met / total (None if total is 0).
//!   `median_response_minutes` is over the counted samples answered by `to`:
//!   (responded_at − created_at) in wall-clock minutes (exact, not rounded; negative
//!   gaps from bad clocks count as 0); with an even count, the mean of the middle two.
//! - `focus_scheduled_minutes` = |focus ∩ [from,to)| (focus outside working hours too).
//! - `focus_kept_minutes` = |(focus ∩ [from,to)) − meetings|.
//! - The four counts are copied from the input.
//!
//! A team's minutes and counts are the sums of its people's; its share is
//! Σmeeting / Σworking; its tiers pool every person's samples (so the median is the
//! median of all responses, not a median of medians).

use tandem_protocol::health::{HealthMetrics, TierStats};
use tandem_protocol::urgency::Urgency;
use tandem_protocol::working_hours::Interval;
use tandem_protocol::Timestamp;

use crate::intervals::{self, MS_PER_MINUTE};

/// One response someone owed: from a `ResponseItem`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseSample {
    pub urgency: Urgency,
    pub created_at: Timestamp,
    pub due_at: Timestamp,
    /// When it was satisfied (reply, acknowledgement or joining the call), if it was.
    pub responded_at: Option<Timestamp>,
}

/// What the server knows about one person for the period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonInput {
    /// From their `WorkingWeek::working_intervals` for the period.
    pub working: Vec<Interval>,
    /// From their `WorkingWeek::focus_intervals` for the period.
    pub focus: Vec<Interval>,
    /// When they were in meetings (any order, may overlap).
    pub meetings: Vec<Interval>,
    /// The response items they owed.
    pub responses: Vec<ResponseSample>,
    /// Messages they sent to someone outside the recipient's working hours.
    pub messages_outside_recipient_hours: u32,
    /// Escalations they started.
    pub escalations: u32,
    /// Decisions they owned, made in writing and in a call.
    pub decisions_async: u32,
    pub decisions_in_call: u32,
}

/// The figures for one person.
pub fn person(input: &PersonInput, from: Timestamp, to: Timestamp) -> HealthMetrics {
    let minutes = Minutes::of(input, from, to);
    HealthMetrics {
        working_minutes: minutes.working,
        meeting_minutes: minutes.meeting,
        meeting_share: share(minutes.meeting, minutes.working),
        tiers: tiers(&input.responses, from, to),
        focus_scheduled_minutes: minutes.focus_scheduled,
        focus_kept_minutes: minutes.focus_kept,
        messages_outside_recipient_hours: input.messages_outside_recipient_hours,
        escalations: input.escalations,
        decisions_async: input.decisions_async,
        decisions_in_call: input.decisions_in_call,
    }
}

/// The figures for a team: sums over people, tiers pooled.
pub fn team(inputs: &[PersonInput], from: Timestamp, to: Timestamp) -> HealthMetrics {
    let minutes = inputs
        .iter()
        .map(|p| Minutes::of(p, from, to))
        .fold(Minutes::default(), Minutes::plus);
    let samples: Vec<ResponseSample> = inputs
        .iter()
        .flat_map(|p| p.responses.iter().copied())
        .collect();
    let count =
        |f: fn(&PersonInput) -> u32| inputs.iter().fold(0u32, |sum, p| sum.saturating_add(f(p)));
    HealthMetrics {
        working_minutes: minutes.working,
        meeting_minutes: minutes.meeting,
        meeting_share: share(minutes.meeting, minutes.working),
        tiers: tiers(&samples, from, to),
        focus_scheduled_minutes: minutes.focus_scheduled,
        focus_kept_minutes: minutes.focus_kept,
        messages_outside_recipient_hours: count(|p| p.messages_outside_recipient_hours),
        escalations: count(|p| p.escalations),
        decisions_async: count(|p| p.decisions_async),
        decisions_in_call: count(|p| p.decisions_in_call),
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Minutes {
    working: u64,
    meeting: u64,
    focus_scheduled: u64,
    focus_kept: u64,
}

impl Minutes {
    fn of(input: &PersonInput, from: Timestamp, to: Timestamp) -> Minutes {
        let working = intervals::clip(&input.working, from, to);
        let focus = intervals::clip(&input.focus, from, to);
        Minutes {
            working: intervals::total_minutes(&working),
            meeting: intervals::total_minutes(&intervals::intersect(&input.meetings, &working)),
            focus_scheduled: intervals::total_minutes(&focus),
            focus_kept: intervals::total_minutes(&intervals::subtract(&focus, &input.meetings)),
        }
    }

    fn plus(self, other: Minutes) -> Minutes {
        Minutes {
            working: self.working.saturating_add(other.working),
            meeting: self.meeting.saturating_add(other.meeting),
            focus_scheduled: self.focus_scheduled.saturating_add(other.focus_scheduled),
            focus_kept: self.focus_kept.saturating_add(other.focus_kept),
        }
    }
}

fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn tiers(samples: &[ResponseSample], from: Timestamp, to: Timestamp) -> Vec<TierStats> {
    Urgency::ALL
        .iter()
        .map(|&urgency| {
            let counted: Vec<&ResponseSample> = samples
                .iter()
                .filter(|s| s.urgency == urgency && s.created_at >= from && s.created_at < to)
                .filter(|s| s.responded_at.is_some_and(|r| r <= to) || s.due_at <= to)
                .collect();
            let total = counted.len() as u32;
            let met = counted
                .iter()
                .filter(|s| s.responded_at.is_some_and(|r| r <= s.due_at))
                .count() as u32;
            let response_minutes: Vec<f64> = counted
                .iter()
                .filter_map(|s| {
                    s.responded_at
                        .filter(|&r| r <= to)
                        .map(|r| r.saturating_sub(s.created_at))
                })
                .map(|ms| ms.max(0) as f64 / MS_PER_MINUTE as f64)
                .collect();
            TierStats {
                urgency,
                total,
                met,
                adherence: share(u64::from(met), u64::from(total)),
                median_response_minutes: median(response_minutes),
            }
        })
        .collect()
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_unstable_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

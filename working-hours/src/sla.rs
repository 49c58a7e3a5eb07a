//! The response-SLA clock.
//!
//! Critical items run on the wall clock: they break through working hours and focus.
//! Standard and Low items run on the owner's *available* time only (working hours minus
//! focus blocks, in the owner's zone): the clock pauses in the evening, on days off and
//! during focus, so "4 hours" means four hours of the owner's working time.

use tandem_protocol::urgency::{SlaTargets, Urgency};
use tandem_protocol::Timestamp;

use crate::intervals::MS_PER_MINUTE;
use crate::week::WorkingWeek;

/// How far the SLA clock searches for enough available time. Targets are at most
/// 7 days (`SlaTargets::validate`), and any working week with available time has at least a
/// minute of it a week, so 200 years answers every valid target exactly; the bound only
/// keeps absurd inputs from scanning the calendar up to the year 9999.
pub const SLA_HORIZON_MS: i64 = 200 * 366 * 24 * 60 * MS_PER_MINUTE;

/// Available time is collected a week at a time: one week covers most targets.
const CHUNK_MS: i64 = 7 * 24 * 60 * MS_PER_MINUTE;

impl WorkingWeek {
    /// The instant at which `minutes` of available time (working, not in focus) have
    /// passed since `start`. If `start` is outside available time the clock starts at the
    /// next available moment; it ends exactly when the last minute is used, so 1 h from
    /// 16:00 with hours until 17:00 is 17:00, not the next morning. `minutes == 0` gives
    /// `start`. None if the week has no available time at all (or, for absurd
    /// inputs, not enough within `SLA_HORIZON_MS`).
    pub fn add_available_minutes(&self, start: Timestamp, minutes: u32) -> Option<Timestamp> {
        if !self.has_available_time() {
            return None;
        }
        let mut remaining = i64::from(minutes) * MS_PER_MINUTE;
        if remaining == 0 {
            return Some(start);
        }
        let horizon = start.saturating_add(SLA_HORIZON_MS);
        let mut cursor = start;
        while cursor < horizon {
            let chunk_end = cursor.saturating_add(CHUNK_MS).min(horizon);
            // Chunks are consecutive and half-open, so a stretch of available time that
            // spans two chunks is counted in two pieces that add up to the whole.
            for piece in self.available_intervals(cursor, chunk_end) {
                let length = piece.end - piece.start;
                if length >= remaining {
                    return Some(piece.start + remaining);
                }
                remaining -= length;
            }
            cursor = chunk_end;
        }
        None
    }
}

/// When a response to an item of this urgency is due, on the owner's clock.
///
/// Critical: `created_at` + its target on the wall clock. Standard and Low: the owner's
/// available time (`WorkingWeek::add_available_minutes`), falling back to the wall clock
/// when the owner has no available time at all, so every item still gets a deadline.
pub fn due_at(
    urgency: Urgency,
    targets: &SlaTargets,
    created_at: Timestamp,
    owner: &WorkingWeek,
) -> Timestamp {
    let minutes = targets.minutes(urgency);
    let wall_clock = created_at.saturating_add(i64::from(minutes) * MS_PER_MINUTE);
    match urgency {
        Urgency::Critical => wall_clock,
        Urgency::Standard | Urgency::Low => owner
            .add_available_minutes(created_at, minutes)
            .unwrap_or(wall_clock),
    }
}

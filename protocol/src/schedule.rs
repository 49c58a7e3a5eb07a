//! Working hours, focus blocks, time zones and meeting scheduling.
//!
//! Each person has a `WorkSchedule`: an IANA time zone, working hours per weekday and
//! recurring focus blocks ("no meetings, no pings"), all in wall-clock minutes of their
//! own zone, so daylight-saving changes move them correctly. The server turns schedules
//! into instants with the IANA database (`Availability`, `DayPlan`); the app only
//! displays them.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::chat::ChannelId;
use crate::meetings::MeetingId;
use crate::{ApiError, ErrorCode, Timestamp, UserId};

pub type ScheduledMeetingId = Uuid;

pub const MINUTES_PER_DAY: u16 = 24 * 60;
pub const MAX_SCHEDULE_RANGES: usize = 7 * 4;
pub const MAX_MEETING_MINUTES: u32 = 8 * 60;

/// A wall-clock range on one weekday, in the schedule's zone. `weekday`: 1 = Monday …
/// 7 = Sunday (ISO 8601). `start_minute < end_minute <= 1440`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeeklyRange {
    pub weekday: u8,
    pub start_minute: u16,
    pub end_minute: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkSchedule {
    /// IANA name ("Europe/Lisbon"); the same as the profile's time zone.
    pub time_zone: String,
    pub working_hours: Vec<WeeklyRange>,
    pub focus_blocks: Vec<WeeklyRange>,
}

impl WorkSchedule {
    /// Monday to Friday, 09:00–17:00, no focus blocks.
    pub fn default_for(time_zone: &str) -> Self {
        WorkSchedule {
            time_zone: time_zone.to_owned(),
            working_hours: (1..=5)
                .map(|weekday| WeeklyRange {
                    weekday,
                    start_minute: 9 * 60,
                    end_minute: 17 * 60,
                })
                .collect(),
            focus_blocks: Vec::new(),
        }
    }

    /// Shape checks only; the server also checks the zone exists.
    pub fn validate(&self) -> Result<(), ApiError> {
        let invalid = |field: &str, message: &str| {
            Err(ApiError::new(ErrorCode::Validation, message).with_field(field))
        };
        if self.time_zone.trim().is_empty() {
            return invalid("time_zone", "Please choose a time zone.");
        }
        for (field, ranges) in [
            ("working_hours", &self.working_hours),
            ("focus_blocks", &self.focus_blocks),
        ] {
            if ranges.len() > MAX_SCHEDULE_RANGES {
                return invalid(field, "Too many time ranges.");
            }
            for r in ranges {
                if !(1..=7).contains(&r.weekday)
                    || r.start_minute >= r.end_minute
                    || r.end_minute > MINUTES_PER_DAY
                {
                    return invalid(
                        field,
                        "Each range needs a weekday and a start before its end.",
                    );
                }
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AvailabilityState {
    Working,
    OutsideHours,
    InFocus,
}

/// Someone's state now, from `GET /api/availability` (everyone) — shown in the member
/// list and used to offer "deliver at the start of their next working hours".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Availability {
    pub user_id: UserId,
    pub time_zone: String,
    pub state: AvailabilityState,
    /// When the state next changes (None if it never does, e.g. no working hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Timestamp>,
    /// The next moment they are working and not in focus (now, if they are).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_available_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AvailabilityList {
    pub now: Timestamp,
    pub people: Vec<Availability>,
}

/// `[start, end)` in ms since the epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Interval {
    pub start: Timestamp,
    pub end: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonDay {
    pub user_id: UserId,
    pub time_zone: String,
    pub working: Vec<Interval>,
    pub focus: Vec<Interval>,
    /// Scheduled meetings they are in.
    pub busy: Vec<Interval>,
}

/// `GET /api/schedule/day?date=YYYY-MM-DD&time_zone=<organiser's zone>&users=<id,id>`:
/// the organiser's calendar day (which may be 23 or 25 hours long) with everyone's
/// working hours, focus blocks and meetings on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayPlan {
    pub date: String,
    pub time_zone: String,
    pub day: Interval,
    pub people: Vec<PersonDay>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduledMeeting {
    pub id: ScheduledMeetingId,
    pub channel_id: ChannelId,
    pub title: String,
    pub organiser_id: UserId,
    pub participant_ids: Vec<UserId>,
    pub start_at: Timestamp,
    pub end_at: Timestamp,
    /// Participants for whom the slot is outside working hours (allowed, shown).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outside_hours: Vec<UserId>,
    /// Participants whose focus block it overlaps (only when the organiser insisted).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub focus_conflicts: Vec<UserId>,
    /// The live meeting, once someone joined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_id: Option<MeetingId>,
}

/// A scheduled meeting can be joined from this long before its start until its end.
pub const JOIN_EARLY_MS: i64 = 10 * 60_000;

impl ScheduledMeeting {
    /// Whether `now` is inside the join window (the app enables "Join", the server
    /// lets the join through).
    pub fn joinable_at(&self, now: Timestamp) -> bool {
        now >= self.start_at.saturating_sub(JOIN_EARLY_MS) && now < self.end_at
    }
}

/// `POST /api/scheduled-meetings`. A slot overlapping a participant's focus block is
/// refused (409, naming them) unless `allow_focus_conflict`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduleMeetingRequest {
    pub channel_id: ChannelId,
    pub title: String,
    pub participant_ids: Vec<UserId>,
    pub start_at: Timestamp,
    pub duration_minutes: u32,
    #[serde(default)]
    pub allow_focus_conflict: bool,
}

//! Meetings planned for later (the meeting planner): the organiser's day view of
//! everyone's working hours, focus blocks and meetings (`DayPlan`), a planned meeting
//! (`ScheduledMeeting`, its wire name) and the request that plans one.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::chat::ChannelId;
use crate::meetings::MeetingId;
use crate::working_hours::Interval;
use crate::{Timestamp, UserId};

pub type ScheduledMeetingId = Uuid;

pub const MAX_MEETING_MINUTES: u32 = 8 * 60;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonDay {
    pub user_id: UserId,
    pub time_zone: String,
    pub working: Vec<Interval>,
    pub focus: Vec<Interval>,
    /// Planned meetings they are in.
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

/// A planned meeting can be joined from this long before its start until its end.
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

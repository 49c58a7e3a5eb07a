//! Working hours, focus blocks, time zones and availability.
//!
//! Each person has a `WorkSchedule`: an IANA time zone, working hours per weekday and
//! recurring focus blocks ("no meetings, no pings"), all in wall-clock minutes of their
//! own zone, so daylight-saving changes move them correctly. The server turns them into
//! instants with the IANA database (`Availability`, and the meeting planner's `DayPlan`
//! in `meeting_plans`); the app only displays them.

use serde::{Deserialize, Serialize};

use crate::{ApiError, ErrorCode, Timestamp, UserId};

pub const MINUTES_PER_DAY: u16 = 24 * 60;
pub const MAX_WEEKLY_RANGES: usize = 7 * 4;

/// A wall-clock range on one weekday, in the `WorkSchedule`'s zone. `weekday`:
/// 1 = Monday … 7 = Sunday (ISO 8601). `start_minute < end_minute <= 1440`.
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
            if ranges.len() > MAX_WEEKLY_RANGES {
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

//! The meeting planner: a meeting planned in a channel for later, with participants
//! whose working hours and focus blocks the slot is checked against (`slot`), an
//! upcoming list, joining at its time (`join`), and the planner's day view of several
//! people in the organiser's zone (`day_plan`).
//!
//! Every change is announced as `scheduled_meeting_changed` / `_cancelled` to the
//! organiser and each participant (one `Audience::User` event each), so everyone's
//! upcoming list stays current without a channel-wide broadcast.

pub mod day_plan;
pub mod join;
pub mod slot;

use std::collections::HashSet;

use tandem_protocol::api::User;
use tandem_protocol::meeting_plans::{
    ScheduleMeetingRequest, ScheduledMeeting, ScheduledMeetingId, MAX_MEETING_MINUTES,
};
use tandem_protocol::meetings::MAX_MEETING_TITLE_CHARS;
use tandem_protocol::working_hours::{Interval, WorkSchedule};
use tandem_protocol::ws::Event;
use tandem_protocol::{ApiError, ErrorCode, UserId};
use tandem_working_hours::WorkingWeek;
use uuid::Uuid;

use crate::chat::access;
use crate::db::{channels, planned_meetings, users, working_hours};
use crate::error::{AppError, AppResult};
use crate::realtime::audience::Audience;
use crate::realtime::log::LogWriter;
use crate::state::AppState;

/// The shortest meeting one can plan.
pub const MIN_MEETING_MINUTES: u32 = 5;
/// More invitees than this is a broadcast, not a meeting.
pub const MAX_PARTICIPANTS: usize = 50;

fn invalid(field: &str, message: impl Into<String>) -> AppError {
    AppError::Api(ApiError::new(ErrorCode::Validation, message).with_field(field))
}

pub fn no_such() -> AppError {
    AppError::not_found("No such scheduled meeting.")
}

pub use super::availability::compile;

/// The people who hear about a planned meeting: its organiser and participants.
fn audience_of(meeting: &ScheduledMeeting) -> Vec<UserId> {
    let mut seen = HashSet::new();
    std::iter::once(meeting.organiser_id)
        .chain(meeting.participant_ids.iter().copied())
        .filter(|id| seen.insert(*id))
        .collect()
}

/// Whether `user_id` is the organiser or invited.
pub fn involves(meeting: &ScheduledMeeting, user_id: UserId) -> bool {
    meeting.organiser_id == user_id || meeting.participant_ids.contains(&user_id)
}

/// Appends `event(meeting)` for each person involved.
pub async fn announce(
    writer: &mut LogWriter<'_>,
    tx: &mut sqlx::AnyConnection,
    meeting: &ScheduledMeeting,
    event: impl Fn() -> Event,
) -> AppResult<()> {
    for person in audience_of(meeting) {
        writer
            .append(&mut *tx, Audience::User(person), event())
            .await?;
    }
    Ok(())
}

/// The request's shape: a title, a sensible length, a future start, a bounded list of
/// distinct participants (order kept).
fn validate(
    request: &ScheduleMeetingRequest,
    now: i64,
) -> AppResult<(String, Vec<UserId>, Interval)> {
    let title = request.title.trim().to_string();
    let chars = title.chars().count();
    if chars == 0 || chars > MAX_MEETING_TITLE_CHARS {
        return Err(invalid(
            "title",
            format!("A meeting title needs 1 to {MAX_MEETING_TITLE_CHARS} characters."),
        ));
    }
    if !(MIN_MEETING_MINUTES..=MAX_MEETING_MINUTES).contains(&request.duration_minutes) {
        return Err(invalid(
            "duration_minutes",
            format!(
                "A meeting lasts {MIN_MEETING_MINUTES} minutes to {} hours.",
                MAX_MEETING_MINUTES / 60
            ),
        ));
    }
    if request.start_at <= now {
        return Err(invalid("start_at", "Pick a start time in the future."));
    }
    let end_at = request
        .start_at
        .checked_add(i64::from(request.duration_minutes) * 60_000)
        .ok_or_else(|| invalid("start_at", "That start time is out of range."))?;
    let mut seen = HashSet::new();
    let participants: Vec<UserId> = request
        .participant_ids
        .iter()
        .copied()
        .filter(|id| seen.insert(*id))
        .collect();
    if participants.len() > MAX_PARTICIPANTS {
        return Err(invalid(
            "participant_ids",
            format!("A meeting can have at most {MAX_PARTICIPANTS} participants."),
        ));
    }
    Ok((
        title,
        participants,
        Interval {
            start: request.start_at,
            end: end_at,
        },
    ))
}

/// `POST /api/scheduled-meetings`.
pub async fn create(
    state: &AppState,
    organiser: &User,
    request: ScheduleMeetingRequest,
) -> AppResult<ScheduledMeeting> {
    let now = state.now();
    let (title, participants, slot) = validate(&request, now)?;
    let channel_id = request.channel_id;

    let mut conn = state.db.acquire().await?;
    access::visible(&mut conn, channel_id, organiser.id)
        .await?
        .require_writable()?;
    let members: HashSet<UserId> = channels::member_ids(&mut *conn, channel_id)
        .await?
        .into_iter()
        .collect();
    let mut names = Vec::with_capacity(participants.len());
    for id in &participants {
        let row = users::find_by_id(&mut *conn, *id).await?;
        if !members.contains(id) {
            let who = row.map_or_else(|| "Someone".to_string(), |r| r.display_name);
            return Err(invalid(
                "participant_ids",
                format!("{who} is not a member of this channel."),
            ));
        }
        names.push(row.map(|r| r.display_name).unwrap_or_default());
    }
    let stored = working_hours::get_many(&mut *conn, &participants).await?;
    drop(conn);

    let compiled: Vec<(UserId, WorkingWeek)> = participants
        .iter()
        .map(|id| {
            let ws = stored
                .get(id)
                .cloned()
                .unwrap_or_else(|| WorkSchedule::default_for("UTC"));
            (*id, compile(&ws))
        })
        .collect();
    let checked = slot::check(slot, compiled.iter().map(|(id, s)| (*id, s)));
    if !checked.focus_conflicts.is_empty() && !request.allow_focus_conflict {
        let conflicted: Vec<String> = participants
            .iter()
            .zip(&names)
            .filter(|(id, _)| checked.focus_conflicts.contains(id))
            .map(|(_, name)| name.clone())
            .collect();
        return Err(AppError::Api(
            ApiError::new(
                ErrorCode::Conflict,
                slot::focus_conflict_message(&conflicted),
            )
            .with_field("start_at"),
        ));
    }

    let meeting = ScheduledMeeting {
        id: Uuid::new_v4(),
        channel_id,
        title,
        organiser_id: organiser.id,
        participant_ids: participants,
        start_at: slot.start,
        end_at: slot.end,
        outside_hours: checked.outside_hours,
        focus_conflicts: checked.focus_conflicts,
        meeting_id: None,
    };
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    planned_meetings::insert(&mut tx, &meeting, now).await?;
    announce(&mut writer, &mut tx, &meeting, || {
        Event::ScheduledMeetingChanged {
            meeting: meeting.clone(),
        }
    })
    .await?;
    writer.commit(tx).await?;
    tracing::info!(id = %meeting.id, %channel_id, "meeting planned");
    Ok(meeting)
}

/// `GET /api/scheduled-meetings`: mine (organised or invited) not yet ended, soonest
/// first.
pub async fn upcoming(state: &AppState, user_id: UserId) -> AppResult<Vec<ScheduledMeeting>> {
    let mut conn = state.db.acquire().await?;
    Ok(planned_meetings::upcoming_for(&mut conn, user_id, state.now()).await?)
}

/// `DELETE /api/scheduled-meetings/{id}`: the organiser cancels it. Participants get
/// 403; anyone else 404 (they cannot know it exists).
pub async fn cancel(state: &AppState, user_id: UserId, id: ScheduledMeetingId) -> AppResult<()> {
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    let meeting = planned_meetings::find(&mut tx, id)
        .await?
        .filter(|m| involves(m, user_id))
        .ok_or_else(no_such)?;
    if meeting.organiser_id != user_id {
        return Err(AppError::forbidden(
            "Only the organiser can cancel this meeting.",
        ));
    }
    if !planned_meetings::delete(&mut *tx, id).await? {
        return Err(no_such());
    }
    announce(&mut writer, &mut tx, &meeting, || {
        Event::ScheduledMeetingCancelled { id }
    })
    .await?;
    writer.commit(tx).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(
        title: &str,
        start_at: i64,
        minutes: u32,
        people: Vec<UserId>,
    ) -> ScheduleMeetingRequest {
        ScheduleMeetingRequest {
            channel_id: Uuid::nil(),
            title: title.into(),
            participant_ids: people,
            start_at,
            duration_minutes: minutes,
            allow_focus_conflict: false,
        }
    }

    fn field(err: AppError) -> Option<String> {
        match err {
            AppError::Api(api) => api.field,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn requests_are_checked_before_anything_is_read() {
        let now = 1_000_000;
        let ok = validate(&request(" Plan ", now + 1, 30, vec![]), now).unwrap();
        assert_eq!(ok.0, "Plan");
        assert_eq!(
            ok.2,
            Interval {
                start: now + 1,
                end: now + 1 + 30 * 60_000
            }
        );
        assert_eq!(
            field(validate(&request("  ", now + 1, 30, vec![]), now).unwrap_err()).as_deref(),
            Some("title")
        );
        let long = "x".repeat(MAX_MEETING_TITLE_CHARS + 1);
        assert!(validate(&request(&long, now + 1, 30, vec![]), now).is_err());
        assert_eq!(
            field(validate(&request("Plan", now + 1, 4, vec![]), now).unwrap_err()).as_deref(),
            Some("duration_minutes")
        );
        assert!(validate(
            &request("Plan", now + 1, MAX_MEETING_MINUTES + 1, vec![]),
            now
        )
        .is_err());
        assert!(validate(&request("Plan", now + 1, MAX_MEETING_MINUTES, vec![]), now).is_ok());
        assert_eq!(
            field(validate(&request("Plan", now, 30, vec![]), now).unwrap_err()).as_deref(),
            Some("start_at")
        );
        assert!(validate(&request("Plan", i64::MAX - 1, 30, vec![]), now).is_err());
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        assert_eq!(
            validate(&request("Plan", now + 1, 30, vec![b, a, b]), now)
                .unwrap()
                .1,
            vec![b, a]
        );
        let many: Vec<UserId> = (0..=MAX_PARTICIPANTS as u128)
            .map(Uuid::from_u128)
            .collect();
        assert!(validate(&request("Plan", now + 1, 30, many), now).is_err());
    }
}

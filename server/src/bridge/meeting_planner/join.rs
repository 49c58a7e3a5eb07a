//! Joining a planned meeting at its time: from ten minutes before the start until its
//! end. The first person starts the live meeting in the channel (titled like the
//! planned one) and the link is stored and announced; everyone after gets that same
//! meeting. If the live meeting ended while the slot still runs (everyone left and the
//! empty-room grace passed), the next joiner starts a fresh one and the link moves.

use tandem_protocol::api::User;
use tandem_protocol::meeting_plans::{ScheduledMeeting, ScheduledMeetingId};
use tandem_protocol::meetings::{Meeting, MeetingKind};
use tandem_protocol::ws::Event;
use tandem_protocol::{ErrorCode, Timestamp};

use super::{announce, involves, no_such};
use crate::db::{meetings, planned_meetings};
use crate::error::{AppError, AppResult};
use crate::meetings::lifecycle;
use crate::state::AppState;

pub use tandem_protocol::meeting_plans::JOIN_EARLY_MS;

/// "2024-03-31 14:00 (Europe/Lisbon)": the start in the joiner's own zone.
pub fn local_time(at: Timestamp, time_zone: &str) -> String {
    let zone = jiff::tz::db()
        .get(time_zone)
        .unwrap_or(jiff::tz::TimeZone::UTC);
    match jiff::Timestamp::from_millisecond(at) {
        Ok(instant) => {
            let local = instant.to_zoned_datetime(zone);
            format!("{} ({time_zone})", local.strftime("%Y-%m-%d %H:%M"))
        }
        Err(_) => "a time out of range".to_string(),
    }
}

/// Whether `now` is in the join window, else why not.
pub fn check_window(meeting: &ScheduledMeeting, now: Timestamp, time_zone: &str) -> AppResult<()> {
    if now < meeting.start_at.saturating_sub(JOIN_EARLY_MS) {
        return Err(AppError::new(
            ErrorCode::Conflict,
            format!(
                "This meeting starts at {}. You can join from 10 minutes before.",
                local_time(meeting.start_at, time_zone)
            ),
        ));
    }
    if now >= meeting.end_at {
        return Err(AppError::new(
            ErrorCode::Conflict,
            "This meeting has ended.",
        ));
    }
    Ok(())
}

/// `POST /api/scheduled-meetings/{id}/join` for the organiser or a participant.
pub async fn join(state: &AppState, user: &User, id: ScheduledMeetingId) -> AppResult<Meeting> {
    let mut conn = state.db.acquire().await?;
    let planned = planned_meetings::find(&mut conn, id)
        .await?
        .filter(|m| involves(m, user.id))
        .ok_or_else(no_such)?;
    check_window(&planned, state.now(), &user.time_zone)?;
    if let Some(live) = planned.meeting_id {
        if let Some(row) = meetings::find(&mut *conn, live).await? {
            if row.ended_at.is_none() {
                drop(conn);
                return lifecycle::snapshot(state, &row).await;
            }
        }
    }
    drop(conn);

    // Two first joiners at once both get the channel's one active meeting: `start`
    // returns the meeting already active there instead of starting a second.
    let started = lifecycle::start(
        state,
        planned.channel_id,
        user,
        MeetingKind::Meeting,
        Some(planned.title.clone()),
    )
    .await?;
    let meeting = started.meeting;

    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    if planned_meetings::set_meeting(&mut *tx, id, meeting.id).await? {
        let linked = ScheduledMeeting {
            meeting_id: Some(meeting.id),
            ..planned
        };
        announce(&mut writer, &mut tx, &linked, || {
            Event::ScheduledMeetingChanged {
                meeting: linked.clone(),
            }
        })
        .await?;
    }
    writer.commit(tx).await?;
    Ok(meeting)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::test_support::planned_meeting;

    #[test]
    fn the_window_opens_ten_minutes_early_and_closes_at_the_end() {
        // 2024-03-31 13:00 UTC = 14:00 in Lisbon (summer time began that night).
        let start = 1_711_890_000_000;
        let m = planned_meeting(1, start, start + 3_600_000);
        let early = check_window(&m, start - JOIN_EARLY_MS - 1, "Europe/Lisbon").unwrap_err();
        match early {
            AppError::Api(api) => {
                assert_eq!(api.code, ErrorCode::Conflict);
                assert!(
                    api.message
                        .starts_with("This meeting starts at 2024-03-31 14:00 (Europe/Lisbon)"),
                    "{}",
                    api.message
                );
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(check_window(&m, start - JOIN_EARLY_MS, "UTC").is_ok());
        assert!(check_window(&m, start + 3_599_999, "UTC").is_ok());
        assert!(check_window(&m, start + 3_600_000, "UTC").is_err());
        // An unknown zone (never stored, but be safe) falls back to UTC.
        assert!(check_window(&m, 0, "Nowhere/Else").is_err());
    }
}

//! The `meeting_attendance` table: every stay of a signed-in person in a meeting
//! (`joined_at` … `left_at`), for the time people spend in meetings. Guests are not
//! recorded. A person with two tabs in the room has one open stay: it opens when the
//! first enters and closes when the last leaves.

use sqlx::AnyExecutor;
use tandem_protocol::meetings::MeetingId;
use tandem_protocol::working_hours::Interval;
use tandem_protocol::{Timestamp, UserId};

/// Closes a stay at `$1`, or at its start if `$1` is earlier (a clock moved back).
/// Written out: SQLite's two-argument `max()` is Postgres's `greatest()`.
const CLOSE_AT: &str = "left_at = CASE WHEN joined_at > $1 THEN joined_at ELSE $1 END";

/// Opens a stay unless the person already has one open in this meeting.
pub async fn open(
    db: impl AnyExecutor<'_>,
    meeting_id: MeetingId,
    user_id: UserId,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO meeting_attendance (meeting_id, user_id, joined_at)
         SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM meeting_attendance
             WHERE meeting_id = $1 AND user_id = $2 AND left_at IS NULL)",
    )
    .bind(meeting_id.to_string())
    .bind(user_id.to_string())
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// Closes the person's open stay in the meeting (if any).
pub async fn close(
    db: impl AnyExecutor<'_>,
    meeting_id: MeetingId,
    user_id: UserId,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "UPDATE meeting_attendance SET {CLOSE_AT}
         WHERE meeting_id = $2 AND user_id = $3 AND left_at IS NULL"
    ))
    .bind(now)
    .bind(meeting_id.to_string())
    .bind(user_id.to_string())
    .execute(db)
    .await?;
    Ok(())
}

/// The meeting ended: every open stay in it closes.
pub async fn close_meeting(
    db: impl AnyExecutor<'_>,
    meeting_id: MeetingId,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "UPDATE meeting_attendance SET {CLOSE_AT} WHERE meeting_id = $2 AND left_at IS NULL"
    ))
    .bind(now)
    .bind(meeting_id.to_string())
    .execute(db)
    .await?;
    Ok(())
}

/// At start-up nobody is in any room (live state does not survive a restart; people
/// rejoin and open new stays), so stays left open are closed now.
pub async fn close_all_open(db: impl AnyExecutor<'_>, now: Timestamp) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "UPDATE meeting_attendance SET {CLOSE_AT} WHERE left_at IS NULL"
    ))
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// The times `user_id` was in any meeting within `[from, to)`: clipped to the range,
/// sorted, overlapping and touching stays merged (two meetings at once count once).
/// A stay still open counts up to `to`.
pub async fn intervals(
    db: impl AnyExecutor<'_>,
    user_id: UserId,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<Interval>, sqlx::Error> {
    if from >= to {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT joined_at, left_at FROM meeting_attendance
         WHERE user_id = $1 AND joined_at < $3 AND (left_at IS NULL OR left_at > $2)
         ORDER BY joined_at",
    )
    .bind(user_id.to_string())
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await?;
    let mut merged: Vec<Interval> = Vec::with_capacity(rows.len());
    for (joined, left) in rows {
        let start = joined.max(from);
        let end = left.unwrap_or(to).min(to);
        if start >= end {
            continue;
        }
        match merged.last_mut() {
            Some(last) if start <= last.end => last.end = last.end.max(end),
            _ => merged.push(Interval { start, end }),
        }
    }
    Ok(merged)
}

//! The `meetings` and `meeting_attendees` tables. Live room state (who is in the
//! room now) is not here: it lives in `crate::meetings`.

use sqlx::{AnyExecutor, FromRow};
use tandem_protocol::chat::{ChannelId, MessageId};
use tandem_protocol::meetings::{MeetingId, MeetingKind};
use tandem_protocol::UserId;

#[derive(Debug, Clone, FromRow)]
pub struct MeetingRow {
    pub id: String,
    pub channel_id: String,
    pub kind: String,
    pub title: String,
    pub host_id: String,
    pub card_message_id: String,
    pub started_at: i64,
    pub ended_at: Option<i64>,
    #[sqlx(try_from = "super::Flag")]
    pub locked: bool,
    /// The meeting's whiteboard, once someone opened it.
    pub board_id: Option<String>,
    /// Started as a town hall (stage and audience, through the SFU).
    #[sqlx(try_from = "super::Flag")]
    pub town_hall: bool,
}

impl MeetingRow {
    pub fn meeting_id(&self) -> Result<MeetingId, sqlx::Error> {
        super::uuid(&self.id)
    }
    pub fn channel(&self) -> Result<ChannelId, sqlx::Error> {
        super::uuid(&self.channel_id)
    }
    pub fn host(&self) -> Result<UserId, sqlx::Error> {
        super::uuid(&self.host_id)
    }
    pub fn card(&self) -> Result<MessageId, sqlx::Error> {
        super::uuid(&self.card_message_id)
    }
    pub fn board(&self) -> Result<Option<tandem_protocol::boards::BoardId>, sqlx::Error> {
        self.board_id.as_deref().map(super::uuid).transpose()
    }
    pub fn kind(&self) -> MeetingKind {
        if self.kind == "call" {
            MeetingKind::Call
        } else {
            MeetingKind::Meeting
        }
    }
}

pub fn kind_str(kind: MeetingKind) -> &'static str {
    match kind {
        MeetingKind::Meeting => "meeting",
        MeetingKind::Call => "call",
    }
}

const COLUMNS: &str = "id, channel_id, kind, title, host_id, card_message_id, started_at, \
     ended_at, locked, board_id, town_hall";

pub struct NewMeeting<'a> {
    pub id: MeetingId,
    pub channel_id: ChannelId,
    pub kind: MeetingKind,
    pub title: &'a str,
    pub host_id: UserId,
    pub card_message_id: MessageId,
    pub started_at: i64,
    pub town_hall: bool,
}

pub async fn insert(db: impl AnyExecutor<'_>, m: &NewMeeting<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO meetings
         (id, channel_id, kind, title, host_id, card_message_id, started_at, town_hall)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(m.id.to_string())
    .bind(m.channel_id.to_string())
    .bind(kind_str(m.kind))
    .bind(m.title)
    .bind(m.host_id.to_string())
    .bind(m.card_message_id.to_string())
    .bind(m.started_at)
    .bind(i64::from(m.town_hall))
    .execute(db)
    .await?;
    Ok(())
}

pub async fn find(
    db: impl AnyExecutor<'_>,
    id: MeetingId,
) -> Result<Option<MeetingRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM meetings WHERE id = $1"))
        .bind(id.to_string())
        .fetch_optional(db)
        .await
}

/// The channel's meeting that has not ended, if any (there is at most one).
pub async fn active_in_channel(
    db: impl AnyExecutor<'_>,
    channel_id: ChannelId,
) -> Result<Option<MeetingRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM meetings WHERE channel_id = $1 AND ended_at IS NULL"
    ))
    .bind(channel_id.to_string())
    .fetch_optional(db)
    .await
}

/// Every meeting that has not ended (at start-up, to give empty ones their grace timer).
pub async fn all_active(db: impl AnyExecutor<'_>) -> Result<Vec<MeetingRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM meetings WHERE ended_at IS NULL ORDER BY started_at"
    ))
    .fetch_all(db)
    .await
}

pub async fn set_locked(
    db: impl AnyExecutor<'_>,
    id: MeetingId,
    locked: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE meetings SET locked = $1 WHERE id = $2")
        .bind(i64::from(locked))
        .bind(id.to_string())
        .execute(db)
        .await?;
    Ok(())
}

/// Ends the meeting; `false` if it had already ended (ending is idempotent).
pub async fn end(db: impl AnyExecutor<'_>, id: MeetingId, now: i64) -> Result<bool, sqlx::Error> {
    let result =
        sqlx::query("UPDATE meetings SET ended_at = $1 WHERE id = $2 AND ended_at IS NULL")
            .bind(now)
            .bind(id.to_string())
            .execute(db)
            .await?;
    Ok(result.rows_affected() == 1)
}

/// Records that the person joined (once per person and meeting).
pub async fn record_attendance(
    db: impl AnyExecutor<'_>,
    id: MeetingId,
    user_id: UserId,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO meeting_attendees (meeting_id, user_id, first_joined_at) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
    )
    .bind(id.to_string())
    .bind(user_id.to_string())
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn attendee_ids(
    db: impl AnyExecutor<'_>,
    id: MeetingId,
) -> Result<Vec<UserId>, sqlx::Error> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT user_id FROM meeting_attendees WHERE meeting_id = $1")
            .bind(id.to_string())
            .fetch_all(db)
            .await?;
    rows.iter().map(|(id,)| super::uuid(id)).collect()
}

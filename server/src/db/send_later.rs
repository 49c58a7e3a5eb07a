//! The `scheduled_messages` table.

use sqlx::{AnyExecutor, FromRow};
use tandem_protocol::chat::ScheduledMessage;
use tandem_protocol::urgency::Urgency;
use tandem_protocol::UserId;
use uuid::Uuid;

use super::urgency::{parse_urgency, urgency_str};

#[derive(Debug, Clone, FromRow)]
pub struct SendLaterRow {
    pub id: String,
    pub author_id: String,
    pub channel_id: String,
    pub thread_root_id: Option<String>,
    pub body: String,
    pub send_at: i64,
    pub created_at: i64,
    /// The TEXT form of the tier; NULL: the channel's default when sent.
    pub urgency: Option<String>,
}

impl SendLaterRow {
    pub fn to_message(&self) -> Result<ScheduledMessage, sqlx::Error> {
        Ok(ScheduledMessage {
            id: super::uuid(&self.id)?,
            channel_id: super::uuid(&self.channel_id)?,
            thread_root_id: self
                .thread_root_id
                .as_deref()
                .map(super::uuid)
                .transpose()?,
            body: self.body.clone(),
            send_at: self.send_at,
            created_at: self.created_at,
            urgency: self.urgency(),
        })
    }

    pub fn urgency(&self) -> Option<Urgency> {
        self.urgency.as_deref().map(parse_urgency)
    }

    pub fn set_urgency(&mut self, urgency: Option<Urgency>) {
        self.urgency = urgency.map(|u| urgency_str(u).to_string());
    }
}

const COLUMNS: &str =
    "id, author_id, channel_id, thread_root_id, body, send_at, created_at, urgency";

pub async fn insert(db: impl AnyExecutor<'_>, row: &SendLaterRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO scheduled_messages (id, author_id, channel_id, thread_root_id, body, send_at,
                                         created_at, urgency)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&row.id)
    .bind(&row.author_id)
    .bind(&row.channel_id)
    .bind(&row.thread_root_id)
    .bind(&row.body)
    .bind(row.send_at)
    .bind(row.created_at)
    .bind(&row.urgency)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn list_for(
    db: impl AnyExecutor<'_>,
    author: UserId,
) -> Result<Vec<SendLaterRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM scheduled_messages WHERE author_id = $1 ORDER BY send_at, id"
    ))
    .bind(author.to_string())
    .fetch_all(db)
    .await
}

/// The row if it belongs to `author`.
pub async fn find_own(
    db: impl AnyExecutor<'_>,
    id: Uuid,
    author: UserId,
) -> Result<Option<SendLaterRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM scheduled_messages WHERE id = $1 AND author_id = $2"
    ))
    .bind(id.to_string())
    .bind(author.to_string())
    .fetch_optional(db)
    .await
}

/// Writes the row's body, time and urgency back.
pub async fn update(db: impl AnyExecutor<'_>, row: &SendLaterRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE scheduled_messages SET body = $1, send_at = $2, urgency = $3 WHERE id = $4",
    )
    .bind(&row.body)
    .bind(row.send_at)
    .bind(&row.urgency)
    .bind(&row.id)
    .execute(db)
    .await?;
    Ok(())
}

/// Deletes the row; returns whether it was still there (so exactly one caller wins).
pub async fn delete(db: impl AnyExecutor<'_>, id: &str) -> Result<bool, sqlx::Error> {
    let result = sqlx::query("DELETE FROM scheduled_messages WHERE id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Cancels everything `author` has waiting (send-later and deliver-later messages
/// alike): a deactivated account must not keep speaking. Returns how many.
pub async fn delete_all_for_author(
    db: impl AnyExecutor<'_>,
    author: UserId,
) -> Result<u64, sqlx::Error> {
    let result = sqlx::query("DELETE FROM scheduled_messages WHERE author_id = $1")
        .bind(author.to_string())
        .execute(db)
        .await?;
    Ok(result.rows_affected())
}

/// Rows due at `now`, oldest first.
pub async fn due(db: impl AnyExecutor<'_>, now: i64) -> Result<Vec<SendLaterRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM scheduled_messages WHERE send_at <= $1
         ORDER BY send_at, id LIMIT 100"
    ))
    .bind(now)
    .fetch_all(db)
    .await
}

/// The earliest `send_at`, if any row is waiting.
pub async fn next_send_at(db: impl AnyExecutor<'_>) -> Result<Option<i64>, sqlx::Error> {
    let (next,): (Option<i64>,) = sqlx::query_as("SELECT MIN(send_at) FROM scheduled_messages")
        .fetch_one(db)
        .await?;
    Ok(next)
}

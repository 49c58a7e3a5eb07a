//! The `events` table: the durable, global log.

use sqlx::{FromRow, SqliteExecutor};
use tandem_protocol::ws::{Event, EventEnvelope};
use tandem_protocol::Seq;
use uuid::Uuid;

#[derive(Debug, FromRow)]
pub struct EventRow {
    pub seq: i64,
    pub id: String,
    pub at: i64,
    pub audience: String,
    pub payload: String,
}

impl EventRow {
    pub fn to_envelope(&self) -> Result<EventEnvelope, sqlx::Error> {
        let event: Event =
            serde_json::from_str(&self.payload).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        Ok(EventEnvelope {
            seq: self.seq,
            id: super::uuid(&self.id)?,
            at: self.at,
            event,
        })
    }
}

/// Inserts one event and returns its `seq`.
pub async fn insert(
    db: impl SqliteExecutor<'_>,
    id: Uuid,
    at: i64,
    audience: &str,
    event: &Event,
) -> Result<Seq, sqlx::Error> {
    let payload = serde_json::to_string(event).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let (seq,): (i64,) = sqlx::query_as(
        "INSERT INTO events (id, at, audience, payload) VALUES (?, ?, ?, ?) RETURNING seq",
    )
    .bind(id.to_string())
    .bind(at)
    .bind(audience)
    .bind(payload)
    .fetch_one(db)
    .await?;
    Ok(seq)
}

/// The newest `seq` (0 for an empty log).
pub async fn head(db: impl SqliteExecutor<'_>) -> Result<Seq, sqlx::Error> {
    let (head,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(seq), 0) FROM events")
        .fetch_one(db)
        .await?;
    Ok(head)
}

/// Sets the payload of an event inserted earlier in the same transaction (for events
/// that carry their own `seq`, like a posted message).
pub async fn set_payload(
    db: impl SqliteExecutor<'_>,
    seq: Seq,
    event: &Event,
) -> Result<(), sqlx::Error> {
    let payload = serde_json::to_string(event).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query("UPDATE events SET payload = ? WHERE seq = ?")
        .bind(payload)
        .bind(seq)
        .execute(db)
        .await?;
    Ok(())
}

/// Up to `limit` events with `after < seq <= until` that `user_id` may see, in order.
/// Mirrors `realtime::audience::visible_to` in SQL: a member sees the workspace, the
/// user, and channels the user is a member of now (`channel:<id>`, `channel:<id>+user:<id>`
/// and `channel:<id>+meeting:<id>` all start with the 36-character channel id at
/// position 9). A guest (`guest_meeting` set) sees only the user and their meeting.
pub async fn range_visible(
    db: impl SqliteExecutor<'_>,
    user_id: &str,
    guest_meeting: Option<&str>,
    after: Seq,
    until: Seq,
    limit: i64,
) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT seq, id, at, audience, payload FROM events
         WHERE seq > ?1 AND seq <= ?2 AND (
             audience = 'user:' || ?3
             OR (?5 IS NOT NULL AND audience LIKE 'channel:%+meeting:' || ?5)
             OR (?5 IS NULL AND (
                 audience = 'workspace'
                 OR audience LIKE 'channel:%+user:' || ?3
                 OR (audience LIKE 'channel:%' AND substr(audience, 9, 36) IN
                     (SELECT channel_id FROM channel_members WHERE user_id = ?3)))))
         ORDER BY seq LIMIT ?4",
    )
    .bind(after)
    .bind(until)
    .bind(user_id)
    .bind(limit)
    .bind(guest_meeting)
    .fetch_all(db)
    .await
}

/// Up to `limit` events with `after < seq <= until`, in order.
pub async fn range(
    db: impl SqliteExecutor<'_>,
    after: Seq,
    until: Seq,
    limit: i64,
) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT seq, id, at, audience, payload FROM events
         WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
    )
    .bind(after)
    .bind(until)
    .bind(limit)
    .fetch_all(db)
    .await
}

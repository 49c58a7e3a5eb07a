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

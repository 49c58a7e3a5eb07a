//! The `events` table: the durable, global log.

use sqlx::{AnyConnection, AnyExecutor, FromRow};
use tandem_protocol::chat::MessageId;
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

/// The message an event is about (the `message_id` column), so that editing or
/// deleting it can find and rewrite every earlier event that quotes it.
pub fn about_message(event: &Event) -> Option<MessageId> {
    match event {
        Event::MessagePosted { message } | Event::MessageEdited { message } => Some(message.id),
        Event::MessageDeleted { message_id, .. }
        | Event::ReactionChanged { message_id, .. }
        | Event::PinChanged { message_id, .. } => Some(*message_id),
        Event::ResponseItemChanged { item } => Some(item.message_id),
        // An escalated call's title quotes its thread's root: found through its card.
        Event::MeetingUpdated { meeting } => Some(meeting.card_message_id),
        _ => None,
    }
}

fn to_json(event: &Event) -> Result<String, sqlx::Error> {
    serde_json::to_string(event).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

/// Inserts one event and returns its `seq`.
pub async fn insert(
    db: impl AnyExecutor<'_>,
    id: Uuid,
    at: i64,
    audience: &str,
    event: &Event,
) -> Result<Seq, sqlx::Error> {
    let (seq,): (i64,) = sqlx::query_as(
        "INSERT INTO events (id, at, audience, payload, message_id) VALUES ($1, $2, $3, $4, $5)
         RETURNING seq",
    )
    .bind(id.to_string())
    .bind(at)
    .bind(audience)
    .bind(to_json(event)?)
    .bind(about_message(event).map(|id| id.to_string()))
    .fetch_one(db)
    .await?;
    Ok(seq)
}

/// The newest `seq` (0 for an empty log).
pub async fn head(db: impl AnyExecutor<'_>) -> Result<Seq, sqlx::Error> {
    let (head,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(seq), 0) FROM events")
        .fetch_one(db)
        .await?;
    Ok(head)
}

/// Sets the payload of an event: one inserted earlier in the same transaction (for
/// events that carry their own `seq`, like a posted message), or an earlier event
/// rewritten because the message it quotes was edited or deleted. The `seq` stays, so
/// a resume from any position is still gapless.
pub async fn set_payload(
    db: impl AnyExecutor<'_>,
    seq: Seq,
    event: &Event,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE events SET payload = $1, message_id = $2 WHERE seq = $3")
        .bind(to_json(event)?)
        .bind(about_message(event).map(|id| id.to_string()))
        .bind(seq)
        .execute(db)
        .await?;
    Ok(())
}

/// Every event about the message (see `about_message`), in order.
pub async fn about(
    conn: &mut AnyConnection,
    message_id: MessageId,
) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT seq, id, at, audience, payload FROM events WHERE message_id = $1 ORDER BY seq",
    )
    .bind(message_id.to_string())
    .fetch_all(conn)
    .await
}

/// Up to `limit` events with `after < seq <= until` that `user_id` may see, in order.
/// Mirrors `realtime::audience::visible_to` in SQL: a member sees the workspace, the
/// user, and channels the user is a member of now (`channel:<id>`, `channel:<id>+user:<id>`
/// and `channel:<id>+meeting:<id>` all start with the 36-character channel id at
/// position 9). A guest (`guest_meeting` set) sees only the user and their meeting.
pub async fn range_visible(
    db: impl AnyExecutor<'_>,
    user_id: &str,
    guest_meeting: Option<&str>,
    after: Seq,
    until: Seq,
    limit: i64,
) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT seq, id, at, audience, payload FROM events
         WHERE seq > $1 AND seq <= $2 AND (
             audience = 'user:' || $3
             OR ($5 IS NOT NULL AND audience LIKE 'channel:%+meeting:' || $5)
             OR ($5 IS NULL AND (
                 audience = 'workspace'
                 OR audience LIKE 'channel:%+user:' || $3
                 OR (audience LIKE 'channel:%' AND substr(audience, 9, 36) IN
                     (SELECT channel_id FROM channel_members WHERE user_id = $3)))))
         ORDER BY seq LIMIT $4",
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
    db: impl AnyExecutor<'_>,
    after: Seq,
    until: Seq,
    limit: i64,
) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT seq, id, at, audience, payload FROM events
         WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3",
    )
    .bind(after)
    .bind(until)
    .bind(limit)
    .fetch_all(db)
    .await
}

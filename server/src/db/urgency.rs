//! The `response_items` table (who owes a response to which message, by when) and the
//! TEXT form of urgency tiers used by `messages`, `channels` and `response_items`.

use sqlx::{AnyConnection, AnyExecutor, FromRow};
use tandem_protocol::chat::{ChannelId, MessageId};
use tandem_protocol::meetings::MeetingId;
use tandem_protocol::urgency::{ResponseItem, ResponseItemId, SatisfiedBy, Urgency};
use tandem_protocol::{Timestamp, UserId};

pub fn urgency_str(urgency: Urgency) -> &'static str {
    match urgency {
        Urgency::Critical => "critical",
        Urgency::Standard => "standard",
        Urgency::Low => "low",
    }
}

/// An unknown value (a newer server's tier) reads as the default.
pub fn parse_urgency(text: &str) -> Urgency {
    match text {
        "critical" => Urgency::Critical,
        "low" => Urgency::Low,
        _ => Urgency::Standard,
    }
}

fn satisfied_str(by: SatisfiedBy) -> &'static str {
    match by {
        SatisfiedBy::Reply => "reply",
        SatisfiedBy::Acknowledged => "acknowledged",
        SatisfiedBy::JoinedCall => "joined_call",
    }
}

fn parse_satisfied(text: &str) -> Option<SatisfiedBy> {
    match text {
        "reply" => Some(SatisfiedBy::Reply),
        "acknowledged" => Some(SatisfiedBy::Acknowledged),
        "joined_call" => Some(SatisfiedBy::JoinedCall),
        _ => None,
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct ResponseItemRow {
    pub id: String,
    pub message_id: String,
    pub channel_id: String,
    pub thread_root_id: Option<String>,
    pub author_id: String,
    pub owner_id: String,
    pub urgency: String,
    pub excerpt: String,
    pub created_at: i64,
    pub due_at: i64,
    pub satisfied_at: Option<i64>,
    pub satisfied_by: Option<String>,
    #[sqlx(try_from = "super::Flag")]
    pub escalation_offered: bool,
    pub escalated_meeting_id: Option<String>,
}

impl ResponseItemRow {
    pub fn to_item(&self) -> Result<ResponseItem, sqlx::Error> {
        let opt = |v: &Option<String>| v.as_deref().map(super::uuid).transpose();
        Ok(ResponseItem {
            id: super::uuid(&self.id)?,
            message_id: super::uuid(&self.message_id)?,
            channel_id: super::uuid(&self.channel_id)?,
            thread_root_id: opt(&self.thread_root_id)?,
            author_id: super::uuid(&self.author_id)?,
            owner_id: super::uuid(&self.owner_id)?,
            urgency: parse_urgency(&self.urgency),
            excerpt: self.excerpt.clone(),
            created_at: self.created_at,
            due_at: self.due_at,
            satisfied_at: self.satisfied_at,
            satisfied_by: self.satisfied_by.as_deref().and_then(parse_satisfied),
            escalation_offered: self.escalation_offered,
            escalated_meeting_id: opt(&self.escalated_meeting_id)?,
        })
    }
}

const COLUMNS: &str = "id, message_id, channel_id, thread_root_id, author_id, owner_id, urgency,
    excerpt, created_at, due_at, satisfied_at, satisfied_by, escalation_offered,
    escalated_meeting_id";

fn to_items(rows: Vec<ResponseItemRow>) -> Result<Vec<ResponseItem>, sqlx::Error> {
    rows.iter().map(ResponseItemRow::to_item).collect()
}

pub async fn insert(conn: &mut AnyConnection, item: &ResponseItem) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO response_items (id, message_id, channel_id, thread_root_id, author_id,
             owner_id, urgency, excerpt, created_at, due_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(item.id.to_string())
    .bind(item.message_id.to_string())
    .bind(item.channel_id.to_string())
    .bind(item.thread_root_id.map(|id| id.to_string()))
    .bind(item.author_id.to_string())
    .bind(item.owner_id.to_string())
    .bind(urgency_str(item.urgency))
    .bind(&item.excerpt)
    .bind(item.created_at)
    .bind(item.due_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(
    db: impl AnyExecutor<'_>,
    id: ResponseItemId,
) -> Result<Option<ResponseItem>, sqlx::Error> {
    let row: Option<ResponseItemRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM response_items WHERE id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(db)
    .await?;
    row.as_ref().map(ResponseItemRow::to_item).transpose()
}

/// Unanswered items this person owes, soonest deadline first.
pub async fn open_owed_by(
    db: impl AnyExecutor<'_>,
    owner: UserId,
) -> Result<Vec<ResponseItem>, sqlx::Error> {
    let rows = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM response_items WHERE owner_id = $1 AND satisfied_at IS NULL
         ORDER BY due_at, created_at, id"
    ))
    .bind(owner.to_string())
    .fetch_all(db)
    .await?;
    to_items(rows)
}

/// Unanswered items on messages this person wrote, soonest deadline first.
pub async fn open_asked_by(
    db: impl AnyExecutor<'_>,
    author: UserId,
) -> Result<Vec<ResponseItem>, sqlx::Error> {
    let rows = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM response_items WHERE author_id = $1 AND satisfied_at IS NULL
         ORDER BY due_at, created_at, id"
    ))
    .bind(author.to_string())
    .fetch_all(db)
    .await?;
    to_items(rows)
}

/// Which of the owner's open items a new event answers.
#[derive(Debug, Clone, Copy)]
pub enum Answers {
    /// A reply in this thread: the root's items and earlier replies' items.
    Thread(MessageId),
    /// A top-level message in this DM: items on earlier top-level messages there.
    DirectTopLevel(ChannelId),
    /// An acknowledgement of this one message.
    Message(MessageId),
    /// Joining the call these items were escalated to.
    Call(MeetingId),
}

/// Marks the owner's matching open items satisfied and returns them as they are now.
pub async fn satisfy(
    conn: &mut AnyConnection,
    owner: UserId,
    answers: Answers,
    by: SatisfiedBy,
    now: Timestamp,
) -> Result<Vec<ResponseItem>, sqlx::Error> {
    let (condition, key) = match answers {
        Answers::Thread(root) => ("(message_id = $3 OR thread_root_id = $3)", root),
        Answers::DirectTopLevel(channel) => ("channel_id = $3 AND thread_root_id IS NULL", channel),
        Answers::Message(message) => ("message_id = $3", message),
        Answers::Call(meeting) => ("escalated_meeting_id = $3", meeting),
    };
    let rows = sqlx::query_as(&format!(
        "UPDATE response_items SET satisfied_at = $1, satisfied_by = $2
         WHERE owner_id = $4 AND satisfied_at IS NULL AND {condition}
         RETURNING {COLUMNS}"
    ))
    .bind(now)
    .bind(satisfied_str(by))
    .bind(key.to_string())
    .bind(owner.to_string())
    .fetch_all(conn)
    .await?;
    to_items(rows)
}

/// Open items in the thread (on the root or its replies) now point at the call.
pub async fn mark_escalated(
    conn: &mut AnyConnection,
    root: MessageId,
    meeting: MeetingId,
) -> Result<Vec<ResponseItem>, sqlx::Error> {
    let rows = sqlx::query_as(&format!(
        "UPDATE response_items SET escalated_meeting_id = $1
         WHERE satisfied_at IS NULL AND (message_id = $2 OR thread_root_id = $2)
         RETURNING {COLUMNS}"
    ))
    .bind(meeting.to_string())
    .bind(root.to_string())
    .fetch_all(conn)
    .await?;
    to_items(rows)
}

/// Everyone who owes (or owed) a response in the thread.
pub async fn owners_in_thread(
    db: impl AnyExecutor<'_>,
    root: MessageId,
) -> Result<Vec<UserId>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT owner_id FROM response_items
         WHERE message_id = $1 OR thread_root_id = $1",
    )
    .bind(root.to_string())
    .fetch_all(db)
    .await?;
    rows.iter().map(|(id,)| super::uuid(id)).collect()
}

/// The condition of a Critical item whose deadline can still offer a call (the same
/// as the partial index `response_items_awaiting_offer`, so the planner can use it).
const AWAITING_OFFER: &str = "urgency = 'critical' AND satisfied_at IS NULL
    AND escalation_offered = 0 AND escalated_meeting_id IS NULL";

/// Critical items past their deadline, unanswered and not yet offered a call: now
/// offered. Returns them as they are now.
pub async fn offer_escalations(
    conn: &mut AnyConnection,
    now: Timestamp,
) -> Result<Vec<ResponseItem>, sqlx::Error> {
    let rows = sqlx::query_as(&format!(
        "UPDATE response_items SET escalation_offered = 1
         WHERE {AWAITING_OFFER} AND due_at <= $1 RETURNING {COLUMNS}"
    ))
    .bind(now)
    .fetch_all(conn)
    .await?;
    to_items(rows)
}

/// The nearest deadline that will offer a call, if any.
pub async fn next_offer_at(db: impl AnyExecutor<'_>) -> Result<Option<Timestamp>, sqlx::Error> {
    let (at,): (Option<i64>,) = sqlx::query_as(&format!(
        "SELECT MIN(due_at) FROM response_items WHERE {AWAITING_OFFER}"
    ))
    .fetch_one(db)
    .await?;
    Ok(at)
}

/// The message was deleted: nobody owes a response to it any more. Removes its open
/// items and returns them (as they were).
pub async fn withdraw(
    conn: &mut AnyConnection,
    message: MessageId,
) -> Result<Vec<ResponseItem>, sqlx::Error> {
    let rows = sqlx::query_as(&format!(
        "DELETE FROM response_items WHERE message_id = $1 AND satisfied_at IS NULL
         RETURNING {COLUMNS}"
    ))
    .bind(message.to_string())
    .fetch_all(conn)
    .await?;
    to_items(rows)
}

/// The message was edited or deleted: its items (open or answered) quote `excerpt`
/// instead. Returns the open ones as they are now, for their owners' inboxes.
pub async fn set_excerpt(
    conn: &mut AnyConnection,
    message: MessageId,
    excerpt: &str,
) -> Result<Vec<ResponseItem>, sqlx::Error> {
    let rows: Vec<ResponseItemRow> = sqlx::query_as(&format!(
        "UPDATE response_items SET excerpt = $1 WHERE message_id = $2 RETURNING {COLUMNS}"
    ))
    .bind(excerpt)
    .bind(message.to_string())
    .fetch_all(conn)
    .await?;
    let open = rows
        .into_iter()
        .filter(|r| r.satisfied_at.is_none())
        .collect();
    to_items(open)
}

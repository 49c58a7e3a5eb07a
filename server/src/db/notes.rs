//! The `meeting_notes` and `action_items` tables: the host's note on a meeting (text and
//! decisions) and its action items, each owned by someone and shown in their inbox.

use sqlx::{AnyConnection, AnyExecutor, FromRow};
use tandem_protocol::chat::{ChannelId, MessageId};
use tandem_protocol::meetings::MeetingId;
use tandem_protocol::urgency::{ActionItem, ActionItemId, MeetingNote};
use tandem_protocol::{Timestamp, UserId};

#[derive(Debug, Clone, FromRow)]
struct ActionItemRow {
    id: String,
    meeting_id: String,
    channel_id: String,
    message_id: Option<String>,
    text: String,
    owner_id: String,
    due_at: i64,
    #[sqlx(try_from = "super::Flag")]
    done: bool,
}

impl ActionItemRow {
    fn to_item(&self) -> Result<ActionItem, sqlx::Error> {
        Ok(ActionItem {
            id: super::uuid(&self.id)?,
            meeting_id: super::uuid(&self.meeting_id)?,
            channel_id: super::uuid(&self.channel_id)?,
            message_id: self.message_id.as_deref().map(super::uuid).transpose()?,
            text: self.text.clone(),
            owner_id: super::uuid(&self.owner_id)?,
            due_at: self.due_at,
            done: self.done,
        })
    }
}

const ITEM_COLUMNS: &str = "id, meeting_id, channel_id, message_id, text, owner_id, due_at, done";

fn to_items(rows: Vec<ActionItemRow>) -> Result<Vec<ActionItem>, sqlx::Error> {
    rows.iter().map(ActionItemRow::to_item).collect()
}

/// The meeting's note with its action items (in the order they were written).
pub async fn get(
    conn: &mut AnyConnection,
    meeting_id: MeetingId,
) -> Result<Option<MeetingNote>, sqlx::Error> {
    let row: Option<(String, String, String, i64)> = sqlx::query_as(
        "SELECT text, decisions, updated_by, updated_at FROM meeting_notes WHERE meeting_id = $1",
    )
    .bind(meeting_id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((text, decisions, updated_by, updated_at)) = row else {
        return Ok(None);
    };
    let decisions: Vec<String> =
        serde_json::from_str(&decisions).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    Ok(Some(MeetingNote {
        meeting_id,
        text,
        decisions,
        action_items: for_meeting(&mut *conn, meeting_id).await?,
        updated_by: super::uuid(&updated_by)?,
        updated_at,
    }))
}

/// Stores the note's text and decisions (action items are stored one by one).
pub async fn put(
    db: impl AnyExecutor<'_>,
    meeting_id: MeetingId,
    text: &str,
    decisions: &[String],
    updated_by: UserId,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    let decisions =
        serde_json::to_string(decisions).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO meeting_notes (meeting_id, text, decisions, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (meeting_id) DO UPDATE SET text = excluded.text,
             decisions = excluded.decisions, updated_by = excluded.updated_by,
             updated_at = excluded.updated_at",
    )
    .bind(meeting_id.to_string())
    .bind(text)
    .bind(decisions)
    .bind(updated_by.to_string())
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn for_meeting(
    db: impl AnyExecutor<'_>,
    meeting_id: MeetingId,
) -> Result<Vec<ActionItem>, sqlx::Error> {
    let rows = sqlx::query_as(&format!(
        "SELECT {ITEM_COLUMNS} FROM action_items WHERE meeting_id = $1 ORDER BY created_at, rowid"
    ))
    .bind(meeting_id.to_string())
    .fetch_all(db)
    .await?;
    to_items(rows)
}

/// The person's open action items, soonest due first.
pub async fn open_for_owner(
    db: impl AnyExecutor<'_>,
    owner: UserId,
) -> Result<Vec<ActionItem>, sqlx::Error> {
    let rows = sqlx::query_as(&format!(
        "SELECT {ITEM_COLUMNS} FROM action_items WHERE owner_id = $1 AND done = 0
         ORDER BY due_at, created_at, id"
    ))
    .bind(owner.to_string())
    .fetch_all(db)
    .await?;
    to_items(rows)
}

pub async fn find_item(
    db: impl AnyExecutor<'_>,
    id: ActionItemId,
) -> Result<Option<ActionItem>, sqlx::Error> {
    let row: Option<ActionItemRow> = sqlx::query_as(&format!(
        "SELECT {ITEM_COLUMNS} FROM action_items WHERE id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(db)
    .await?;
    row.as_ref().map(ActionItemRow::to_item).transpose()
}

pub struct NewActionItem<'a> {
    pub id: ActionItemId,
    pub meeting_id: MeetingId,
    pub channel_id: ChannelId,
    pub message_id: Option<MessageId>,
    pub text: &'a str,
    pub owner_id: UserId,
    pub due_at: Timestamp,
    pub created_at: Timestamp,
}

pub async fn insert_item(
    db: impl AnyExecutor<'_>,
    item: &NewActionItem<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO action_items (id, meeting_id, channel_id, message_id, text, owner_id,
             due_at, done, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8)",
    )
    .bind(item.id.to_string())
    .bind(item.meeting_id.to_string())
    .bind(item.channel_id.to_string())
    .bind(item.message_id.map(|id| id.to_string()))
    .bind(item.text)
    .bind(item.owner_id.to_string())
    .bind(item.due_at)
    .bind(item.created_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn delete_item(db: impl AnyExecutor<'_>, id: ActionItemId) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM action_items WHERE id = $1")
        .bind(id.to_string())
        .execute(db)
        .await?;
    Ok(())
}

pub async fn set_done(
    db: impl AnyExecutor<'_>,
    id: ActionItemId,
    done: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE action_items SET done = $1 WHERE id = $2")
        .bind(i64::from(done))
        .bind(id.to_string())
        .execute(db)
        .await?;
    Ok(())
}

/// Points the meeting's action items at its summary card; returns them.
pub async fn link_to_message(
    conn: &mut AnyConnection,
    meeting_id: MeetingId,
    message_id: MessageId,
) -> Result<Vec<ActionItem>, sqlx::Error> {
    sqlx::query("UPDATE action_items SET message_id = $1 WHERE meeting_id = $2")
        .bind(message_id.to_string())
        .bind(meeting_id.to_string())
        .execute(&mut *conn)
        .await?;
    for_meeting(&mut *conn, meeting_id).await
}

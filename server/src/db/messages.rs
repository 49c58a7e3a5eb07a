//! The `messages` table and what hangs off a message: mentions, reactions, pins.
//! `load` assembles the wire `Message` (with reactions and attachments).

use sqlx::{AnyConnection, FromRow};
use tandem_protocol::chat::{ChannelId, Message, MessageId, Reaction};
use tandem_protocol::meetings::MeetingId;
use tandem_protocol::recordings::RecordingId;
use tandem_protocol::urgency::Urgency;
use tandem_protocol::{Seq, UserId};

use super::attachments;

#[derive(Debug, Clone, FromRow)]
pub struct MessageRow {
    pub id: String,
    pub channel_id: String,
    pub seq: i64,
    pub author_id: String,
    pub body: String,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    #[sqlx(try_from = "super::Flag")]
    pub deleted: bool,
    pub thread_root_id: Option<String>,
    #[sqlx(try_from = "super::Flag")]
    pub also_in_channel: bool,
    pub reply_count: i64,
    pub last_reply_at: Option<i64>,
    #[sqlx(try_from = "super::Flag")]
    pub mentions_channel: bool,
    #[sqlx(try_from = "super::Flag")]
    pub pinned: bool,
    /// Set on a meeting's card.
    pub meeting_id: Option<String>,
    /// Set on a recording's card.
    pub recording_id: Option<String>,
    /// 'critical' | 'standard' | 'low'.
    pub urgency: String,
    /// Set on a call's summary card.
    pub summary_meeting_id: Option<String>,
}

impl MessageRow {
    pub fn message_id(&self) -> Result<MessageId, sqlx::Error> {
        super::uuid(&self.id)
    }
    pub fn channel(&self) -> Result<ChannelId, sqlx::Error> {
        super::uuid(&self.channel_id)
    }
    pub fn author(&self) -> Result<UserId, sqlx::Error> {
        super::uuid(&self.author_id)
    }
    pub fn thread_root(&self) -> Result<Option<MessageId>, sqlx::Error> {
        self.thread_root_id.as_deref().map(super::uuid).transpose()
    }
    pub fn meeting(&self) -> Result<Option<MeetingId>, sqlx::Error> {
        self.meeting_id.as_deref().map(super::uuid).transpose()
    }
    pub fn recording(&self) -> Result<Option<RecordingId>, sqlx::Error> {
        self.recording_id.as_deref().map(super::uuid).transpose()
    }
    pub fn urgency(&self) -> Urgency {
        super::urgency::parse_urgency(&self.urgency)
    }
    pub fn summary_meeting(&self) -> Result<Option<MeetingId>, sqlx::Error> {
        self.summary_meeting_id
            .as_deref()
            .map(super::uuid)
            .transpose()
    }
}

const COLUMNS: &str = "id, channel_id, seq, author_id, body, created_at, edited_at, deleted,
    thread_root_id, also_in_channel, reply_count, last_reply_at, mentions_channel, pinned,
    meeting_id, recording_id, urgency, summary_meeting_id";

pub async fn find(
    conn: &mut AnyConnection,
    id: MessageId,
) -> Result<Option<MessageRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM messages WHERE id = $1"))
        .bind(id.to_string())
        .fetch_optional(conn)
        .await
}

pub struct NewMessage<'a> {
    pub id: MessageId,
    pub channel_id: ChannelId,
    pub seq: Seq,
    pub author_id: UserId,
    pub body: &'a str,
    pub created_at: i64,
    pub thread_root_id: Option<MessageId>,
    pub also_in_channel: bool,
    pub mentions_channel: bool,
    pub meeting_id: Option<MeetingId>,
    pub recording_id: Option<RecordingId>,
    pub urgency: Urgency,
    pub summary_meeting_id: Option<MeetingId>,
}

pub async fn insert(conn: &mut AnyConnection, m: &NewMessage<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO messages (id, channel_id, seq, author_id, body, created_at, thread_root_id,
                               also_in_channel, mentions_channel, meeting_id, recording_id,
                               urgency, summary_meeting_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(m.id.to_string())
    .bind(m.channel_id.to_string())
    .bind(m.seq)
    .bind(m.author_id.to_string())
    .bind(m.body)
    .bind(m.created_at)
    .bind(m.thread_root_id.map(|id| id.to_string()))
    .bind(i64::from(m.also_in_channel))
    .bind(i64::from(m.mentions_channel))
    .bind(m.meeting_id.map(|id| id.to_string()))
    .bind(m.recording_id.map(|id| id.to_string()))
    .bind(super::urgency::urgency_str(m.urgency))
    .bind(m.summary_meeting_id.map(|id| id.to_string()))
    .execute(&mut *conn)
    .await?;
    if let Some(root) = m.thread_root_id {
        sqlx::query(
            "UPDATE messages SET reply_count = reply_count + 1, last_reply_at = $1 WHERE id = $2",
        )
        .bind(m.created_at)
        .bind(root.to_string())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn set_mentions(
    conn: &mut AnyConnection,
    id: MessageId,
    users: &[UserId],
    mentions_channel: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM message_mentions WHERE message_id = $1")
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    for user in users {
        sqlx::query(
            "INSERT INTO message_mentions (message_id, user_id) VALUES ($1, $2)
             ON CONFLICT DO NOTHING",
        )
        .bind(id.to_string())
        .bind(user.to_string())
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("UPDATE messages SET mentions_channel = $1 WHERE id = $2")
        .bind(i64::from(mentions_channel))
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn edit(
    conn: &mut AnyConnection,
    id: MessageId,
    body: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE messages SET body = $1, edited_at = $2 WHERE id = $3")
        .bind(body)
        .bind(now)
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Leaves a "deleted" marker: body, mentions, reactions, pin and attachments go.
/// A deleted reply no longer counts towards its root's replies.
pub async fn delete(conn: &mut AnyConnection, row: &MessageRow) -> Result<(), sqlx::Error> {
    let id = row.id.as_str();
    sqlx::query(
        "UPDATE messages SET body = '', deleted = 1, pinned = 0, mentions_channel = 0
         WHERE id = $1",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    for table in ["message_mentions", "reactions"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE message_id = $1"))
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    attachments::detach_all(&mut *conn, id).await?;
    if let Some(root) = &row.thread_root_id {
        sqlx::query(
            "UPDATE messages SET reply_count = reply_count - 1 WHERE id = $1 AND reply_count > 0",
        )
        .bind(root)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Adds or removes one reaction; idempotent either way.
pub async fn set_reaction(
    conn: &mut AnyConnection,
    id: MessageId,
    user: UserId,
    emoji: &str,
    present: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    if present {
        sqlx::query(
            "INSERT INTO reactions (message_id, user_id, emoji, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING",
        )
        .bind(id.to_string())
        .bind(user.to_string())
        .bind(emoji)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    } else {
        sqlx::query("DELETE FROM reactions WHERE message_id = $1 AND user_id = $2 AND emoji = $3")
            .bind(id.to_string())
            .bind(user.to_string())
            .bind(emoji)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn set_pinned(
    conn: &mut AnyConnection,
    id: MessageId,
    pinned: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE messages SET pinned = $1 WHERE id = $2")
        .bind(i64::from(pinned))
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Assembles the wire message: reactions (grouped by emoji, in first-use order),
/// attachments and mentions.
pub async fn load(conn: &mut AnyConnection, row: &MessageRow) -> Result<Message, sqlx::Error> {
    let reaction_rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT emoji, user_id FROM reactions WHERE message_id = $1 ORDER BY created_at, rowid",
    )
    .bind(&row.id)
    .fetch_all(&mut *conn)
    .await?;
    let mut reactions: Vec<Reaction> = Vec::new();
    for (emoji, user) in reaction_rows {
        let user = super::uuid(&user)?;
        match reactions.iter_mut().find(|r| r.emoji == emoji) {
            Some(reaction) => reaction.user_ids.push(user),
            None => reactions.push(Reaction {
                emoji,
                user_ids: vec![user],
            }),
        }
    }
    let mention_rows: Vec<(String,)> = sqlx::query_as(
        "SELECT user_id FROM message_mentions WHERE message_id = $1 ORDER BY user_id",
    )
    .bind(&row.id)
    .fetch_all(&mut *conn)
    .await?;
    let mentions = mention_rows
        .iter()
        .map(|(id,)| super::uuid(id))
        .collect::<Result<_, _>>()?;
    let attachments = attachments::for_message(&mut *conn, &row.id).await?;
    Ok(Message {
        id: row.message_id()?,
        channel_id: row.channel()?,
        seq: row.seq,
        author_id: row.author()?,
        body: row.body.clone(),
        created_at: row.created_at,
        edited_at: row.edited_at,
        deleted: row.deleted,
        thread_root_id: row.thread_root()?,
        also_in_channel: row.also_in_channel,
        reply_count: row.reply_count.max(0) as u32,
        last_reply_at: row.last_reply_at,
        reactions,
        pinned: row.pinned,
        attachments,
        mentions,
        mentions_channel: row.mentions_channel,
        meeting_id: row.meeting()?,
        recording_id: row.recording()?,
        urgency: row.urgency(),
        summary_meeting_id: row.summary_meeting()?,
    })
}

pub async fn load_all(
    conn: &mut AnyConnection,
    rows: &[MessageRow],
) -> Result<Vec<Message>, sqlx::Error> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(load(&mut *conn, row).await?);
    }
    Ok(out)
}

/// What the channel view shows: top-level messages and replies also sent there
/// (the channel is `$1`).
const IN_CHANNEL: &str = "channel_id = $1 AND (thread_root_id IS NULL OR also_in_channel = 1)";

/// Up to `limit` channel messages with `seq < before`, newest first.
pub async fn before(
    conn: &mut AnyConnection,
    channel_id: ChannelId,
    before: Seq,
    limit: i64,
) -> Result<Vec<MessageRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM messages WHERE {IN_CHANNEL} AND seq < $2 ORDER BY seq DESC LIMIT $3"
    ))
    .bind(channel_id.to_string())
    .bind(before)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Up to `limit` channel messages with `seq > after`, oldest first.
pub async fn after(
    conn: &mut AnyConnection,
    channel_id: ChannelId,
    after: Seq,
    limit: i64,
) -> Result<Vec<MessageRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM messages WHERE {IN_CHANNEL} AND seq > $2 ORDER BY seq LIMIT $3"
    ))
    .bind(channel_id.to_string())
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// A thread's replies, oldest first.
pub async fn replies(
    conn: &mut AnyConnection,
    root: MessageId,
) -> Result<Vec<MessageRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM messages WHERE thread_root_id = $1 ORDER BY seq"
    ))
    .bind(root.to_string())
    .fetch_all(conn)
    .await
}

pub async fn pinned(
    conn: &mut AnyConnection,
    channel_id: ChannelId,
) -> Result<Vec<MessageRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM messages WHERE channel_id = $1 AND pinned = 1 ORDER BY seq"
    ))
    .bind(channel_id.to_string())
    .fetch_all(conn)
    .await
}

/// Rows by id, keeping the order of `ids` (missing ones are skipped).
pub async fn find_many(
    conn: &mut AnyConnection,
    ids: &[MessageId],
) -> Result<Vec<MessageRow>, sqlx::Error> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(row) = find(&mut *conn, *id).await? {
            out.push(row);
        }
    }
    Ok(out)
}

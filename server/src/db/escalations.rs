//! Escalated calls and what their summary card shows: the `meetings.escalated_from` /
//! `escalated_by` columns, the meeting's latest finished recording, its in-meeting chat
//! count and its summary card.

use sqlx::AnyExecutor;
use tandem_protocol::chat::MessageId;
use tandem_protocol::meetings::MeetingId;
use tandem_protocol::recordings::RecordingId;
use tandem_protocol::UserId;

/// The thread a meeting was escalated from: (root message, who escalated it).
pub async fn origin(
    db: impl AnyExecutor<'_>,
    meeting_id: MeetingId,
) -> Result<Option<(MessageId, UserId)>, sqlx::Error> {
    let row: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT escalated_from, escalated_by FROM meetings WHERE id = $1")
            .bind(meeting_id.to_string())
            .fetch_optional(db)
            .await?;
    match row {
        Some((Some(root), Some(by))) => Ok(Some((super::uuid(&root)?, super::uuid(&by)?))),
        _ => Ok(None),
    }
}

/// The live (not ended) meeting escalated from this thread, if any.
pub async fn live_for_thread(
    db: impl AnyExecutor<'_>,
    root: MessageId,
) -> Result<Option<MeetingId>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM meetings WHERE escalated_from = $1 AND ended_at IS NULL
         ORDER BY started_at DESC LIMIT 1",
    )
    .bind(root.to_string())
    .fetch_optional(db)
    .await?;
    row.map(|(id,)| super::uuid(&id)).transpose()
}

pub async fn set_origin(
    db: impl AnyExecutor<'_>,
    meeting_id: MeetingId,
    root: MessageId,
    by: UserId,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE meetings SET escalated_from = $1, escalated_by = $2 WHERE id = $3")
        .bind(root.to_string())
        .bind(by.to_string())
        .bind(meeting_id.to_string())
        .execute(db)
        .await?;
    Ok(())
}

/// The meeting's most recent recording that is finished (complete or incomplete).
pub async fn latest_recording(
    db: impl AnyExecutor<'_>,
    meeting_id: MeetingId,
) -> Result<Option<RecordingId>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM recordings WHERE meeting_id = $1 AND state <> 'recording'
         ORDER BY COALESCE(ended_at, started_at) DESC, started_at DESC LIMIT 1",
    )
    .bind(meeting_id.to_string())
    .fetch_optional(db)
    .await?;
    row.map(|(id,)| super::uuid(&id)).transpose()
}

/// Messages (not deleted) in the thread of `card`: the in-meeting chat.
pub async fn chat_count(db: impl AnyExecutor<'_>, card: MessageId) -> Result<u32, sqlx::Error> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM messages WHERE thread_root_id = $1 AND deleted = 0")
            .bind(card.to_string())
            .fetch_one(db)
            .await?;
    Ok(n.clamp(0, u32::MAX as i64) as u32)
}

/// The summary card posted for the meeting, if any.
pub async fn summary_card(
    db: impl AnyExecutor<'_>,
    meeting_id: MeetingId,
) -> Result<Option<MessageId>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM messages WHERE summary_meeting_id = $1 ORDER BY seq DESC LIMIT 1",
    )
    .bind(meeting_id.to_string())
    .fetch_optional(db)
    .await?;
    row.map(|(id,)| super::uuid(&id)).transpose()
}

/// Everyone who took part in the thread: the root's author, repliers, people
/// mentioned in it and people who owe responses in it (deleted messages aside).
pub async fn thread_people(
    db: impl AnyExecutor<'_>,
    root: MessageId,
) -> Result<Vec<UserId>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT author_id FROM messages WHERE (id = $1 OR thread_root_id = $1) AND deleted = 0
         UNION
         SELECT mm.user_id FROM message_mentions mm JOIN messages m ON m.id = mm.message_id
         WHERE m.id = $1 OR m.thread_root_id = $1
         UNION
         SELECT owner_id FROM response_items WHERE message_id = $1 OR thread_root_id = $1",
    )
    .bind(root.to_string())
    .fetch_all(db)
    .await?;
    rows.iter().map(|(id,)| super::uuid(id)).collect()
}

/// Calls escalated from this thread, whose titles quote its root: (meeting, its card
/// message, title).
pub async fn calls_from_thread(
    db: impl AnyExecutor<'_>,
    root: MessageId,
) -> Result<Vec<(MeetingId, MessageId, String)>, sqlx::Error> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, card_message_id, title FROM meetings WHERE escalated_from = $1")
            .bind(root.to_string())
            .fetch_all(db)
            .await?;
    rows.iter()
        .map(|(id, card, title)| Ok((super::uuid(id)?, super::uuid(card)?, title.clone())))
        .collect()
}

pub async fn set_title(
    db: impl AnyExecutor<'_>,
    meeting_id: MeetingId,
    title: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE meetings SET title = $1 WHERE id = $2")
        .bind(title)
        .bind(meeting_id.to_string())
        .execute(db)
        .await?;
    Ok(())
}

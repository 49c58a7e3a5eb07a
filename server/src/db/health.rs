//! Read-only queries for the communication-health report: everything in a period for
//! the whole workspace at once (one range scan each, on the `created_at` /
//! `started_at` indexes of migration 0008), grouped in Rust.

use std::collections::HashMap;

use sqlx::AnyExecutor;
use tandem_protocol::{Timestamp, UserId};
use tandem_working_hours::metrics::ResponseSample;

use super::urgency::parse_urgency;

/// Response items created in `[from, to)`, by the person who owed them.
pub async fn response_samples(
    db: impl AnyExecutor<'_>,
    from: Timestamp,
    to: Timestamp,
) -> Result<HashMap<UserId, Vec<ResponseSample>>, sqlx::Error> {
    let rows: Vec<(String, String, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT owner_id, urgency, created_at, due_at, satisfied_at FROM response_items
         WHERE created_at >= $1 AND created_at < $2",
    )
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await?;
    let mut out: HashMap<UserId, Vec<ResponseSample>> = HashMap::new();
    for (owner, urgency, created_at, due_at, satisfied_at) in rows {
        out.entry(super::uuid(&owner)?)
            .or_default()
            .push(ResponseSample {
                urgency: parse_urgency(&urgency),
                created_at,
                due_at,
                responded_at: satisfied_at,
            });
    }
    Ok(out)
}

/// A message someone sent in the period and one person it was addressed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addressed {
    pub message_id: String,
    pub author_id: UserId,
    pub sent_at: Timestamp,
    pub recipient_id: UserId,
}

/// Messages people wrote in `[from, to)` with their recipients: the people
/// @mentioned by name, and in a DM or group DM every other member. Cards the server
/// posts (meetings, recordings, call summaries) address nobody, and deleted messages
/// are left out. A person mentioned in a DM appears twice; callers count messages, not
/// rows (UNION ALL spares SQLite a temporary B-tree to deduplicate).
pub async fn addressed_messages(
    db: impl AnyExecutor<'_>,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<Addressed>, sqlx::Error> {
    let rows: Vec<(String, String, i64, String)> = sqlx::query_as(
        "SELECT m.id, m.author_id, m.created_at, mm.user_id
         FROM messages m JOIN message_mentions mm ON mm.message_id = m.id
         WHERE m.created_at >= $1 AND m.created_at < $2 AND m.deleted = 0
           AND m.meeting_id IS NULL AND m.recording_id IS NULL AND m.summary_meeting_id IS NULL
           AND mm.user_id <> m.author_id
         UNION ALL
         SELECT m.id, m.author_id, m.created_at, cm.user_id
         FROM messages m
         JOIN channels c ON c.id = m.channel_id AND c.kind = 'direct'
         JOIN channel_members cm ON cm.channel_id = m.channel_id
         WHERE m.created_at >= $1 AND m.created_at < $2 AND m.deleted = 0
           AND m.meeting_id IS NULL AND m.recording_id IS NULL AND m.summary_meeting_id IS NULL
           AND cm.user_id <> m.author_id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(message_id, author, sent_at, recipient)| {
            Ok(Addressed {
                message_id,
                author_id: super::uuid(&author)?,
                sent_at,
                recipient_id: super::uuid(&recipient)?,
            })
        })
        .collect()
}

/// Threads escalated to a call in `[from, to)`, per person who escalated.
pub async fn escalations_by(
    db: impl AnyExecutor<'_>,
    from: Timestamp,
    to: Timestamp,
) -> Result<HashMap<UserId, u32>, sqlx::Error> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT escalated_by, COUNT(*) FROM meetings
         WHERE escalated_by IS NOT NULL AND started_at >= $1 AND started_at < $2
         GROUP BY escalated_by",
    )
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(who, count)| Ok((super::uuid(&who)?, u32::try_from(count).unwrap_or(u32::MAX))))
        .collect()
}

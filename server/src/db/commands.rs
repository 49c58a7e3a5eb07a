//! The `command_log` table: which event a (user, command id) produced.

use sqlx::AnyExecutor;
use tandem_protocol::{Seq, UserId};
use uuid::Uuid;

pub async fn find(
    db: impl AnyExecutor<'_>,
    user_id: UserId,
    command_id: Uuid,
) -> Result<Option<(Uuid, Seq)>, sqlx::Error> {
    let row: Option<(String, i64)> = sqlx::query_as(
        "SELECT event_id, seq FROM command_log WHERE user_id = $1 AND command_id = $2",
    )
    .bind(user_id.to_string())
    .bind(command_id.to_string())
    .fetch_optional(db)
    .await?;
    row.map(|(event_id, seq)| Ok((super::uuid(&event_id)?, seq)))
        .transpose()
}

pub async fn insert(
    db: impl AnyExecutor<'_>,
    user_id: UserId,
    command_id: Uuid,
    event_id: Uuid,
    seq: Seq,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO command_log (user_id, command_id, event_id, seq) VALUES ($1, $2, $3, $4)",
    )
    .bind(user_id.to_string())
    .bind(command_id.to_string())
    .bind(event_id.to_string())
    .bind(seq)
    .execute(db)
    .await?;
    Ok(())
}

//! The start-up cue check of finalised recordings (issue 11): which still need one,
//! and what it found.

use sqlx::AnyExecutor;
use tandem_protocol::recordings::RecordingId;

/// Finalised recordings not checked yet, oldest first.
pub async fn unchecked(db: impl AnyExecutor<'_>) -> Result<Vec<RecordingId>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM recordings WHERE state <> 'recording' AND cue_check IS NULL
         ORDER BY started_at",
    )
    .fetch_all(db)
    .await?;
    rows.iter().map(|(id,)| super::uuid(id)).collect()
}

/// Records the check's outcome (`ok`, `repaired` or `skipped`) and, after a rewrite,
/// the file's new size.
pub async fn mark(
    db: impl AnyExecutor<'_>,
    id: RecordingId,
    outcome: &str,
    size_bytes: Option<u64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE recordings SET cue_check = $1, size_bytes = COALESCE($2, size_bytes)
         WHERE id = $3",
    )
    .bind(outcome)
    .bind(size_bytes.map(|s| s as i64))
    .bind(id.to_string())
    .execute(db)
    .await?;
    Ok(())
}

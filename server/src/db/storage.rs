//! Storage a person uses: their uploads and the recordings they started, counted
//! from the rows (not the disk), for the per-user quota.

use sqlx::AnyExecutor;
use tandem_protocol::UserId;

/// Bytes of `user`'s uploads and recordings. Identical content uploaded twice counts
/// twice: each upload is theirs to delete.
pub async fn bytes_used(db: impl AnyExecutor<'_>, user: UserId) -> Result<u64, sqlx::Error> {
    // Postgres sums BIGINTs as NUMERIC (which the Any driver does not read): cast back.
    let (used,): (i64,) = sqlx::query_as(
        "SELECT CAST((SELECT COALESCE(SUM(size), 0) FROM attachments WHERE uploader_id = $1)
                   + (SELECT COALESCE(SUM(size_bytes), 0) FROM recordings WHERE started_by = $1)
                AS BIGINT)",
    )
    .bind(user.to_string())
    .fetch_one(db)
    .await?;
    Ok(used.max(0) as u64)
}

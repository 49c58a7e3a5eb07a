//! Storage a person uses: their uploads and the recordings they started, counted
//! from the rows (not the disk), for the per-user quota.

use sqlx::SqliteExecutor;
use tandem_protocol::UserId;

/// Bytes of `user`'s uploads and recordings. Identical content uploaded twice counts
/// twice: each upload is theirs to delete.
pub async fn bytes_used(db: impl SqliteExecutor<'_>, user: UserId) -> Result<u64, sqlx::Error> {
    let user = user.to_string();
    let (used,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COALESCE(SUM(size), 0) FROM attachments WHERE uploader_id = ?)
              + (SELECT COALESCE(SUM(size_bytes), 0) FROM recordings WHERE started_by = ?)",
    )
    .bind(&user)
    .bind(&user)
    .fetch_one(db)
    .await?;
    Ok(used.max(0) as u64)
}

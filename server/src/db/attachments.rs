//! The `attachments` table: uploaded files' metadata (the bytes live on disk).

use sqlx::{AnyConnection, AnyExecutor, FromRow};
use tandem_protocol::chat::{Attachment, AttachmentId, MessageId};
use tandem_protocol::UserId;

#[derive(Debug, Clone, FromRow)]
pub struct AttachmentRow {
    pub id: String,
    pub uploader_id: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: i64,
    pub message_id: Option<String>,
    #[sqlx(try_from = "super::Flag")]
    pub used: bool,
}

impl AttachmentRow {
    pub fn to_attachment(&self) -> Result<Attachment, sqlx::Error> {
        let id = super::uuid(&self.id)?;
        Ok(Attachment {
            id,
            name: self.name.clone(),
            content_type: self.content_type.clone(),
            size: self.size.max(0) as u64,
            url: file_url(id, &self.name),
        })
    }
}

/// `GET /api/files/{id}/{name}`, the name percent-encoded as a path segment.
pub fn file_url(id: AttachmentId, name: &str) -> String {
    let name = percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC);
    format!("/api/files/{id}/{name}")
}

const COLUMNS: &str =
    "id, uploader_id, name, content_type, size, sha256, created_at, message_id, used";

pub async fn insert(db: impl AnyExecutor<'_>, row: &AttachmentRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO attachments (id, uploader_id, name, content_type, size, sha256, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&row.id)
    .bind(&row.uploader_id)
    .bind(&row.name)
    .bind(&row.content_type)
    .bind(row.size)
    .bind(&row.sha256)
    .bind(row.created_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn find(
    db: impl AnyExecutor<'_>,
    id: AttachmentId,
) -> Result<Option<AttachmentRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM attachments WHERE id = $1"))
        .bind(id.to_string())
        .fetch_optional(db)
        .await
}

/// Links the upload to the message if it is the uploader's and was never attached.
/// Returns `false` (changing nothing) otherwise.
pub async fn attach(
    conn: &mut AnyConnection,
    id: AttachmentId,
    uploader: UserId,
    message_id: MessageId,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE attachments SET message_id = $1, used = 1
         WHERE id = $2 AND uploader_id = $3 AND used = 0",
    )
    .bind(message_id.to_string())
    .bind(id.to_string())
    .bind(uploader.to_string())
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Removes the message's attachments (their rows go, so they stop counting towards
/// their uploader's quota; the files go once no row names their content, see
/// `chat::files::release_after_commit`).
pub async fn detach_all(conn: &mut AnyConnection, message_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM attachments WHERE message_id = $1")
        .bind(message_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The content hashes of the message's attachments.
pub async fn content_of_message(
    conn: &mut AnyConnection,
    message_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT DISTINCT sha256 FROM attachments WHERE message_id = $1")
            .bind(message_id)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|(sha,)| sha).collect())
}

/// Deletes the uploads no message will show: detached by an older server (`used` but
/// without a message) or never attached and created before `cutoff`. Returns their
/// content hashes.
pub async fn delete_abandoned(
    db: impl AnyExecutor<'_>,
    cutoff: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "DELETE FROM attachments
         WHERE message_id IS NULL AND (used = 1 OR created_at < $1)
         RETURNING sha256",
    )
    .bind(cutoff)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(sha,)| sha).collect())
}

pub async fn for_message(
    conn: &mut AnyConnection,
    message_id: &str,
) -> Result<Vec<Attachment>, sqlx::Error> {
    let rows: Vec<AttachmentRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM attachments WHERE message_id = $1 ORDER BY created_at, id"
    ))
    .bind(message_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(AttachmentRow::to_attachment).collect()
}

/// Whether any attachment row still refers to this content.
pub async fn content_in_use(db: impl AnyExecutor<'_>, sha256: &str) -> Result<bool, sqlx::Error> {
    let (super::Flag(used),): (super::Flag,) =
        sqlx::query_as("SELECT EXISTS(SELECT 1 FROM attachments WHERE sha256 = $1)")
            .bind(sha256)
            .fetch_one(db)
            .await?;
    Ok(used)
}

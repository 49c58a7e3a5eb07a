//! Uploaded file contents on disk: `data_dir/files/<sha256 hex>`, so identical content
//! is stored once. Uploads stream into a temporary file in the same directory (hashing
//! and counting as they go) and are renamed into place only when complete, so a
//! refused or broken upload leaves nothing behind.
//!
//! A content file lives as long as an `attachments` row names it: deleting a message
//! removes its rows and then, once that is committed, the files no row names any more
//! ([`release_after_commit`]); the hourly [`sweep`] does the same for uploads nobody
//! attached. Keeping a file for a new upload and removing an unreferenced one both
//! happen under `AppState::content_lock`, so they never race.

use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::body::Body;
use futures::StreamExt;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;
use tandem_protocol::{ErrorCode, UserId};
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

use crate::db::{attachments, storage};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// An upload never attached to a message is removed after this long.
pub const ABANDONED_AFTER: Duration = Duration::from_secs(24 * 60 * 60);
use crate::private_files;

pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("files")
}

pub fn path_for(data_dir: &Path, sha256: &str) -> PathBuf {
    dir(data_dir).join(sha256)
}

pub struct Stored {
    pub sha256: String,
    pub size: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the file is larger than {0} bytes")]
    TooLarge(u64),
    /// The uploader's quota (`--user-quota-bytes`) has less room than the file needs.
    #[error("the storage quota of {quota} bytes is used up")]
    OverQuota { quota: u64 },
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("the upload was interrupted: {0}")]
    Body(axum::Error),
    #[error("storage error: {0}")]
    Io(#[from] std::io::Error),
}

/// 413, like a file that is too large: the person can make room by deleting files
/// or recordings.
pub fn over_quota(quota: u64) -> AppError {
    AppError::new(
        ErrorCode::PayloadTooLarge,
        format!(
            "Your storage quota ({quota} bytes) is full. Delete some files or recordings \
             to make room."
        ),
    )
}

/// What `user` may still store (`u64::MAX` without a quota).
pub async fn quota_left(state: &AppState, user: UserId) -> Result<u64, sqlx::Error> {
    let quota = state.config.user_quota_bytes;
    if quota == 0 {
        return Ok(u64::MAX);
    }
    Ok(quota.saturating_sub(storage::bytes_used(&state.db, user).await?))
}

/// Streams `body` to disk for `user`, refusing more than `limit` bytes or more than
/// their quota has room for, and calls `record` (which inserts the attachment row)
/// once the content is in place. The row and the file appear together under the
/// content lock, and the quota is checked again there, so concurrent uploads cannot
/// overrun it.
pub async fn store<F, Fut>(
    state: &AppState,
    user: UserId,
    body: Body,
    limit: u64,
    record: F,
) -> Result<Stored, StoreError>
where
    F: FnOnce(&Stored) -> Fut,
    Fut: std::future::Future<Output = Result<(), sqlx::Error>>,
{
    let quota = state.config.user_quota_bytes;
    let over_quota = || StoreError::OverQuota { quota };
    let room = quota_left(state, user).await?;
    if room == 0 {
        return Err(over_quota());
    }
    let dir = dir(&state.config.data_dir);
    private_files::create_dir_all(&dir)?;
    let temp = dir.join(format!(".upload-{}", Uuid::new_v4()));
    let stored = match write_temp(&temp, body, limit.min(room)).await {
        Ok(stored) => stored,
        Err(err) => {
            let _ = tokio::fs::remove_file(&temp).await;
            return Err(match err {
                StoreError::TooLarge(_) if room < limit => over_quota(),
                StoreError::TooLarge(_) => StoreError::TooLarge(limit),
                err => err,
            });
        }
    };
    let _lock = state.content_lock.lock().await;
    let kept = async {
        if stored.size > quota_left(state, user).await? {
            return Err(over_quota());
        }
        let target = dir.join(&stored.sha256);
        if tokio::fs::try_exists(&target).await.unwrap_or(false) {
            // Same content is already stored: keep that copy.
            tokio::fs::remove_file(&temp).await?;
        } else {
            tokio::fs::rename(&temp, &target).await?;
        }
        record(&stored).await?;
        Ok(())
    }
    .await;
    if let Err(err) = kept {
        let _ = tokio::fs::remove_file(&temp).await;
        remove_unreferenced(state, std::slice::from_ref(&stored.sha256)).await;
        return Err(err);
    }
    Ok(stored)
}

/// Removes the content files of `hashes` that no attachment row names (call with the
/// content lock held). A failure is logged: the hourly sweep does not retry it, but
/// nothing refers to the file any more.
async fn remove_unreferenced(state: &AppState, hashes: &[String]) {
    for sha in hashes {
        match attachments::content_in_use(&state.db, sha).await {
            Ok(false) => {}
            Ok(true) => continue,
            Err(err) => {
                tracing::warn!(error = %err, "could not check an upload's references");
                continue;
            }
        }
        let path = path_for(&state.config.data_dir, sha);
        if let Err(err) = tokio::fs::remove_file(&path).await {
            if err.kind() != std::io::ErrorKind::NotFound {
                tracing::warn!(error = %err, path = %path.display(), "could not remove an upload");
            }
        }
    }
}

/// Removes the files of `hashes` that nothing references any more.
pub async fn release_unreferenced(state: &AppState, hashes: &[String]) {
    let _lock = state.content_lock.lock().await;
    remove_unreferenced(state, hashes).await;
}

/// For a message being deleted inside the log writer's transaction `conn`: notes its
/// attachments' content, and once the transaction is over (the writer lock is free
/// again) removes the files no row names any more. If the transaction rolled back the
/// rows are still there and the files stay.
pub async fn release_after_commit(
    state: &AppState,
    conn: &mut AnyConnection,
    message_id: &str,
) -> AppResult<()> {
    let hashes = attachments::content_of_message(conn, message_id).await?;
    if hashes.is_empty() {
        return Ok(());
    }
    let weak = state.downgrade();
    tokio::spawn(async move {
        let Some(state) = weak.upgrade() else { return };
        // Queued behind the writer that is deleting the message: its commit is done.
        drop(state.log.writer().await);
        release_unreferenced(&state, &hashes).await;
    });
    Ok(())
}

/// Deletes uploads nobody attached within [`ABANDONED_AFTER`] (and ones an older
/// server left detached) with their files; returns how many rows went.
pub async fn sweep(state: &AppState) -> AppResult<usize> {
    let cutoff = state.now() - ABANDONED_AFTER.as_millis() as i64;
    let hashes = attachments::delete_abandoned(&state.db, cutoff).await?;
    release_unreferenced(state, &hashes).await;
    Ok(hashes.len())
}

async fn write_temp(temp: &Path, body: Body, limit: u64) -> Result<Stored, StoreError> {
    let mut file = private_files::create_file(temp).await?;
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(StoreError::Body)?;
        size += chunk.len() as u64;
        if size > limit {
            return Err(StoreError::TooLarge(limit));
        }
        hasher.update(&chunk);
        file.write_all(&chunk).await?;
    }
    file.sync_all().await?;
    Ok(Stored {
        sha256: hex::encode(hasher.finalize()),
        size,
    })
}

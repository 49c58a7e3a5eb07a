//! Uploaded file contents on disk: `data_dir/files/<sha256 hex>`, so identical content
//! is stored once. Uploads stream into a temporary file in the same directory (hashing
//! and counting as they go) and are renamed into place only when complete, so a
//! refused or broken upload leaves nothing behind.

use std::path::{Path, PathBuf};

use axum::body::Body;
use futures::StreamExt;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

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
    #[error("the upload was interrupted: {0}")]
    Body(axum::Error),
    #[error("storage error: {0}")]
    Io(#[from] std::io::Error),
}

/// Streams `body` to disk, refusing more than `limit` bytes.
pub async fn store(data_dir: &Path, body: Body, limit: u64) -> Result<Stored, StoreError> {
    let dir = dir(data_dir);
    private_files::create_dir_all(&dir)?;
    let temp = dir.join(format!(".upload-{}", Uuid::new_v4()));
    let result = write_temp(&temp, body, limit).await;
    let stored = match result {
        Ok(stored) => stored,
        Err(err) => {
            let _ = tokio::fs::remove_file(&temp).await;
            return Err(err);
        }
    };
    let target = dir.join(&stored.sha256);
    if tokio::fs::try_exists(&target).await.unwrap_or(false) {
        // Same content is already stored: keep that copy.
        tokio::fs::remove_file(&temp).await?;
    } else if let Err(err) = tokio::fs::rename(&temp, &target).await {
        let _ = tokio::fs::remove_file(&temp).await;
        return Err(err.into());
    }
    Ok(stored)
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

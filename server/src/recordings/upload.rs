//! One chunk of a recording's upload: strictly in order, checksummed, idempotent for
//! a chunk already stored, and all-or-nothing (a refused chunk appends nothing).

use sha2::{Digest, Sha256};
use tandem_protocol::recordings::{ChunkAck, RecordingId, RecordingState};
use tandem_protocol::ErrorCode;

use super::files;
use crate::db::recordings;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

fn ack(index: u32, row: &recordings::RecordingRow) -> ChunkAck {
    ChunkAck {
        index,
        next_index: row.next_index.max(0) as u32,
        size_bytes: row.size_bytes.max(0) as u64,
    }
}

pub fn ended() -> AppError {
    AppError::new(ErrorCode::Conflict, "This recording has ended.")
}

/// Stores chunk `index` (the caller checked it is the starter's).
pub async fn put_chunk(
    state: &AppState,
    id: RecordingId,
    index: u32,
    checksum: &str,
    bytes: &[u8],
) -> AppResult<ChunkAck> {
    let checksum = checksum.trim().to_ascii_lowercase();
    let _guard = state.recording_locks.lock(id).await;
    let row = recordings::find(&state.db, id)
        .await?
        .ok_or_else(super::access::no_recording)?;
    if row.state() != RecordingState::Recording {
        return Err(ended());
    }
    if hex::encode(Sha256::digest(bytes)) != checksum {
        return Err(AppError::new(
            ErrorCode::Validation,
            "Chunk checksum does not match.",
        ));
    }
    let next = row.next_index.max(0) as u32;
    if index < next {
        // A re-send (the ack was lost): acknowledged again if it is the same chunk.
        return match recordings::chunk_sha256(&state.db, id, index).await? {
            Some(stored) if stored != checksum => Err(AppError::new(
                ErrorCode::Conflict,
                format!("Chunk {index} was already stored with different content."),
            )),
            _ => Ok(ack(index, &row)),
        };
    }
    if index > next {
        return Err(AppError::new(
            ErrorCode::Conflict,
            format!("Expected chunk {next}."),
        ));
    }
    let path = files::media(&state.config.data_dir, id);
    files::append(&path, row.size_bytes.max(0) as u64, bytes)
        .await
        .map_err(anyhow::Error::from)?;
    let mut tx = state.db.begin_with("BEGIN IMMEDIATE").await?;
    if !recordings::record_chunk(&mut tx, id, index, &checksum, bytes.len() as u64).await? {
        return Err(ended());
    }
    tx.commit().await?;
    let row = recordings::find(&state.db, id)
        .await?
        .ok_or_else(super::access::no_recording)?;
    Ok(ack(index, &row))
}

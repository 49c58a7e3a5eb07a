//! One chunk of a recording's upload: strictly in order, checksummed, idempotent for
//! a chunk already stored, and all-or-nothing (a refused chunk appends nothing). The
//! first chunk must be WebM; a chunk past the size or duration cap or the starter's
//! quota is refused (413) and ends the recording with what it has.

use sha2::{Digest, Sha256};
use tandem_protocol::recordings::{ChunkAck, RecordingId, RecordingState};
use tandem_protocol::ErrorCode;

use super::{ebml, files, lifecycle, webm};
use crate::chat::files as chat_files;
use crate::db::recordings;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The EBML header's DocType element.
const DOC_TYPE: u32 = 0x4282;

fn ack(index: u32, row: &recordings::RecordingRow) -> ChunkAck {
    ChunkAck {
        index,
        next_index: row.next_index.max(0) as u32,
        size_bytes: row.size_bytes.max(0) as u64,
    }
}

/// Whether a first chunk begins with an EBML header whose DocType is `webm` (what
/// MediaRecorder's first chunk always holds), so no other kind of file is stored.
fn starts_as_webm(bytes: &[u8]) -> bool {
    let Some(header) = ebml::read_header(bytes, 0) else {
        return false;
    };
    let Some(size) = header.size.and_then(|s| usize::try_from(s).ok()) else {
        return false;
    };
    let Some(body) = bytes.get(header.len..header.len.saturating_add(size)) else {
        return false;
    };
    header.id == webm::EBML
        && ebml::children(body)
            .into_iter()
            .any(|(id, value)| id == DOC_TYPE && value == b"webm")
}

/// The 413 a chunk gets when it would take the recording past its size or duration
/// cap, or its starter past their storage quota; `None` if it fits.
async fn over_limit(
    state: &AppState,
    row: &recordings::RecordingRow,
    len: u64,
) -> AppResult<Option<AppError>> {
    let config = &state.config;
    let too_large = |message: String| Some(AppError::new(ErrorCode::PayloadTooLarge, message));
    let size = (row.size_bytes.max(0) as u64).saturating_add(len);
    if size > config.max_recording_bytes {
        return Ok(too_large(format!(
            "A recording can be at most {} bytes; it was stopped there.",
            config.max_recording_bytes
        )));
    }
    let elapsed_ms = state.now().saturating_sub(row.started_at).max(0) as u64;
    if elapsed_ms > config.max_recording_secs.saturating_mul(1000) {
        return Ok(too_large(format!(
            "A recording can be at most {} seconds long; it was stopped there.",
            config.max_recording_secs
        )));
    }
    if len > chat_files::quota_left(state, row.starter()?).await? {
        return Ok(Some(chat_files::over_quota(config.user_quota_bytes)));
    }
    Ok(None)
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
    if index == 0 && !starts_as_webm(bytes) {
        return Err(AppError::new(
            ErrorCode::UnsupportedMediaType,
            "A recording starts with a WebM header.",
        ));
    }
    if let Some(refusal) = over_limit(state, &row, bytes.len() as u64).await? {
        // The recording ends here, with what it has; later chunks answer 409.
        drop(_guard);
        if let Err(err) = lifecycle::finalise(state, id, RecordingState::Complete).await {
            tracing::warn!(recording_id = %id, error = %err, "could not finalise at a limit");
        }
        return Err(refusal);
    }
    let path = files::media(&state.config.data_dir, id);
    files::append(&path, row.size_bytes.max(0) as u64, bytes)
        .await
        .map_err(anyhow::Error::from)?;
    let mut tx = state.db.begin_write().await?;
    if !recordings::record_chunk(&mut tx, id, index, &checksum, bytes.len() as u64).await? {
        return Err(ended());
    }
    tx.commit().await?;
    let row = recordings::find(&state.db, id)
        .await?
        .ok_or_else(super::access::no_recording)?;
    Ok(ack(index, &row))
}

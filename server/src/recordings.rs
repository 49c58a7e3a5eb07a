//! Meeting recordings (see `tandem_protocol::recordings` for the contract): the
//! chunked upload, finalisation into a seekable WebM, the orphan timer, the library,
//! playback with its timeline, and retention.

pub mod access;
pub mod ebml;
pub mod files;
pub mod lifecycle;
pub mod repair;
pub mod retention;
pub mod upload;
pub mod webm;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tandem_protocol::recordings::RecordingId;

/// One async lock per recording: chunk appends, finalisation and deletion of the same
/// recording never interleave (different recordings do not wait for each other).
#[derive(Default)]
pub struct RecordingLocks(Mutex<HashMap<RecordingId, Arc<tokio::sync::Mutex<()>>>>);

impl RecordingLocks {
    pub async fn lock(&self, id: RecordingId) -> tokio::sync::OwnedMutexGuard<()> {
        let lock = {
            let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
            // Forget locks nobody holds or waits for, so the map stays small.
            map.retain(|_, l| Arc::strong_count(l) > 1);
            map.entry(id).or_default().clone()
        };
        lock.lock_owned().await
    }
}

/// Deletes the recording and its files. Its card stays (it shows the recording is
/// gone: fetching it answers 404).
pub async fn delete(state: &crate::AppState, id: RecordingId) -> crate::error::AppResult<()> {
    let _guard = state.recording_locks.lock(id).await;
    crate::db::recordings::delete(&state.db, id).await?;
    files::remove(&state.config.data_dir, id).await;
    Ok(())
}

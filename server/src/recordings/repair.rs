//! Repairing recordings finalised before cues were limited to keyframes (issue 11):
//! once, in the background after start-up. Each finalised recording not checked yet
//! is read (element headers and Cues only); an old one is finalised again, which keeps
//! its media and rewrites its cues, and the outcome is stored so it is never looked at
//! again. Finalising is idempotent, so a crash mid-way only repeats work.

use std::io;
use std::path::Path;

use super::files;
use super::webm::{self, FinaliseError};
use crate::db::recording_repair;
use crate::error::AppResult;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Its cues already point at keyframes.
    Ok,
    /// Rewritten; its new size.
    Repaired(u64),
    /// Not WebM (kept as uploaded) or no file.
    Skipped,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub checked: usize,
    pub repaired: usize,
}

pub async fn run(state: AppState) {
    match repair_all(&state).await {
        Ok(counts) if counts.checked > 0 => {
            tracing::info!(
                checked = counts.checked,
                repaired = counts.repaired,
                "recordings' cues checked"
            );
        }
        Ok(_) => {}
        Err(err) => tracing::error!(error = %err, "could not check recordings' cues"),
    }
}

/// Checks every finalised recording not checked yet (and repairs what needs it).
pub async fn repair_all(state: &AppState) -> AppResult<Counts> {
    let mut counts = Counts::default();
    for id in recording_repair::unchecked(&state.db).await? {
        // Not while it is deleted; a deleted one has no row left to mark.
        let _guard = state.recording_locks.lock(id).await;
        let path = files::media(&state.config.data_dir, id);
        let checked = tokio::task::spawn_blocking(move || check(&path))
            .await
            .map_err(anyhow::Error::from)?;
        let outcome = match checked {
            Ok(outcome) => outcome,
            Err(err) => {
                // Left unchecked: tried again at the next start.
                tracing::warn!(recording_id = %id, error = %err, "could not check a recording");
                continue;
            }
        };
        let (label, size) = match outcome {
            Outcome::Ok => ("ok", None),
            Outcome::Repaired(size) => ("repaired", Some(size)),
            Outcome::Skipped => ("skipped", None),
        };
        recording_repair::mark(&state.db, id, label, size).await?;
        counts.checked += 1;
        if label == "repaired" {
            tracing::info!(recording_id = %id, "recording's cues repaired");
            counts.repaired += 1;
        }
    }
    Ok(counts)
}

/// On a blocking thread: reads the file's cues and rewrites it if they are old.
fn check(path: &Path) -> io::Result<Outcome> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Outcome::Skipped),
        Err(err) => return Err(err),
    };
    match webm::needs_refinalising(file) {
        Ok(false) => return Ok(Outcome::Ok),
        Ok(true) => {}
        Err(FinaliseError::Webm(_)) => return Ok(Outcome::Skipped),
        Err(FinaliseError::Write(err)) => return Err(err),
    }
    match files::finalise_blocking(path, u64::MAX) {
        Ok(done) => Ok(Outcome::Repaired(done.size_bytes)),
        Err(FinaliseError::Webm(_)) => Ok(Outcome::Skipped),
        Err(FinaliseError::Write(err)) => Err(err),
    }
}

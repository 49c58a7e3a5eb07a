//! Deleting recordings older than the workspace's retention (if it has one), and
//! uploads never attached to a message: hourly, and once at start. Time comes from the
//! injectable clock, so tests move it.

use std::time::Duration;

use crate::db::{recordings, workspace};
use crate::error::AppResult;
use crate::state::AppState;

const EVERY: Duration = Duration::from_secs(60 * 60);
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Deletes (rows and files) the finalised recordings that ended more than the
/// retention ago; returns how many. Nothing happens without a retention setting.
pub async fn sweep(state: &AppState) -> AppResult<usize> {
    let Some(days) = workspace::get(&state.db).await?.recording_retention_days else {
        return Ok(0);
    };
    let cutoff = state.now() - i64::from(days) * DAY_MS;
    let ids = recordings::ended_before(&state.db, cutoff).await?;
    for id in &ids {
        super::delete(state, *id).await?;
    }
    if !ids.is_empty() {
        tracing::info!(count = ids.len(), days, "old recordings deleted");
    }
    Ok(ids.len())
}

pub async fn run(state: AppState) {
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tick.tick().await;
        if let Err(err) = sweep(&state).await {
            tracing::error!(error = %err, "recording retention failed");
        }
        // Uploads nobody attached go too (with their files, if nothing else uses them).
        match crate::chat::files::sweep(&state).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "abandoned uploads deleted"),
            Err(err) => tracing::error!(error = %err, "upload sweep failed"),
        }
    }
}

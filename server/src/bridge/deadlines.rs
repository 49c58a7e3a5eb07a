//! The deadline task: sleeps until the nearest Critical deadline (at most a second,
//! and woken early when the clock moves), then offers the author of every Critical
//! item still unanswered at its deadline a call (`escalation_offered`, announced to
//! author and owner). Standard and Low items simply become overdue: the app shows
//! that from `due_at`, so nothing needs to happen on the server.

use std::time::Duration;

use crate::db::urgency;
use crate::error::AppResult;
use crate::state::AppState;

use super::responses::announce;

const MAX_SLEEP_MS: i64 = 1000;
/// Floor between rounds, so a persistent failure cannot spin.
const MIN_SLEEP_MS: i64 = 20;

pub async fn run(state: AppState) {
    loop {
        if let Err(err) = offer_due(&state).await {
            tracing::error!(error = %err, "offering escalations failed; will retry");
        }
        let wait = match urgency::next_offer_at(&state.db).await {
            Ok(Some(at)) => at - state.now(),
            Ok(None) => MAX_SLEEP_MS,
            Err(err) => {
                tracing::error!(error = %err, "could not read deadlines");
                MAX_SLEEP_MS
            }
        };
        let wait = wait.clamp(MIN_SLEEP_MS, MAX_SLEEP_MS) as u64;
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(wait)) => {}
            _ = state.bridge.deadlines.notified() => {}
        }
    }
}

/// Marks and announces every Critical item past its deadline, in one transaction.
pub async fn offer_due(state: &AppState) -> AppResult<()> {
    // A plain read first: most rounds have nothing due and should not take the log
    // writer (and SQLite's write lock) at all.
    match urgency::next_offer_at(&state.db).await? {
        Some(at) if at <= state.now() => {}
        _ => return Ok(()),
    }
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    let offered = urgency::offer_escalations(&mut tx, state.now()).await?;
    if offered.is_empty() {
        return Ok(());
    }
    for item in &offered {
        announce(&mut writer, &mut tx, item).await?;
    }
    writer.commit(tx).await?;
    tracing::info!(
        count = offered.len(),
        "critical deadlines passed: escalation offered"
    );
    Ok(())
}

//! The send-later task: sleeps until the nearest `send_at` (at most a second, and
//! woken early when one is added or changed), then posts due messages as their authors
//! through the same path as the `send_message` command. The send-later row is deleted
//! in the same transaction as the post, so each is sent exactly once.

use std::time::Duration;

use super::post::{post, NewPost};
use crate::db::{self, send_later, users};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

const MAX_SLEEP_MS: i64 = 1000;
/// Floor between rounds, so a persistent failure cannot spin.
const MIN_SLEEP_MS: i64 = 20;

pub async fn run(state: AppState) {
    loop {
        if let Err(err) = send_due(&state).await {
            tracing::error!(error = %err, "send-later failed; will retry");
        }
        let wait = match send_later::next_send_at(&state.db).await {
            Ok(Some(at)) => at - state.now(),
            Ok(None) => MAX_SLEEP_MS,
            Err(err) => {
                tracing::error!(error = %err, "could not read the send-later queue");
                MAX_SLEEP_MS
            }
        };
        let wait = wait.clamp(MIN_SLEEP_MS, MAX_SLEEP_MS) as u64;
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(wait)) => {}
            _ = state.send_later_task.notified() => {}
        }
    }
}

async fn send_due(state: &AppState) -> AppResult<()> {
    for row in send_later::due(&state.db, state.now()).await? {
        let new_post = NewPost {
            id: db::uuid(&row.id)?,
            author: db::uuid(&row.author_id)?,
            channel_id: db::uuid(&row.channel_id)?,
            body: row.body.clone(),
            thread_root_id: row.thread_root_id.as_deref().map(db::uuid).transpose()?,
            also_to_channel: false,
            attachment_ids: Vec::new(),
            meeting_id: None,
            recording_id: None,
            as_guest: false,
            // As picked when queued; none picked: the channel's default when sent.
            urgency: row.urgency(),
            summary_meeting_id: None,
            by_server: false,
        };
        let mut writer = state.log.writer().await;
        let mut tx = writer.begin().await?;
        // Cancelled (or sent) meanwhile: nothing to do.
        if !send_later::delete(&mut *tx, &row.id).await? {
            continue;
        }
        // Deactivation cancels an author's send-later messages; this covers a row that
        // slipped in some other way, so a deactivated account never posts.
        if users::active_among(&mut tx, &[new_post.author])
            .await?
            .is_empty()
        {
            writer.commit(tx).await?;
            tracing::warn!(id = %row.id, "dropping a deactivated author's send-later message");
            continue;
        }
        match post(&mut writer, &mut tx, new_post, state.now()).await {
            Ok(_) => writer.commit(tx).await?,
            Err(AppError::Api(refusal)) => {
                // No longer allowed (left the channel, archived, ...): drop it rather
                // than retry forever.
                drop(tx);
                drop(writer);
                tracing::warn!(id = %row.id, reason = %refusal, "dropping a send-later message");
                send_later::delete(&state.db, &row.id).await?;
            }
            Err(other) => return Err(other),
        }
    }
    Ok(())
}

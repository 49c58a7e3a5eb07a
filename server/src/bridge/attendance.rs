//! What the bridge records when people enter and leave meeting rooms: their stays
//! (`db::attendance`, for time-in-meetings figures) and, on entering a call a thread
//! was escalated to, the responses they owed in that thread (joining answers them, and
//! stops their ringing).
//! Guests are not recorded: they are not workspace members and owe nothing.

use tandem_protocol::meetings::MeetingId;
use tandem_protocol::{Timestamp, UserId};

use super::responses;
use crate::db::attendance;
use crate::error::AppResult;
use crate::state::AppState;

/// Someone entered the room (joined, or was admitted from the lobby).
pub async fn entered(
    state: &AppState,
    meeting_id: MeetingId,
    user_id: UserId,
    guest: bool,
    now: Timestamp,
) -> AppResult<()> {
    if guest {
        return Ok(());
    }
    crate::meetings::ring::entered(state, meeting_id, user_id);
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    attendance::open(&mut *tx, meeting_id, user_id, now).await?;
    responses::on_joined_call(&mut writer, &mut tx, meeting_id, user_id, now).await?;
    writer.commit(tx).await?;
    Ok(())
}

/// The person's last participant left the room (left, was removed, or the socket
/// closed). Errors are logged: leaving must not fail because of bookkeeping.
pub async fn left(state: &AppState, meeting_id: MeetingId, user_id: UserId, now: Timestamp) {
    if let Err(err) = attendance::close(&state.db, meeting_id, user_id, now).await {
        tracing::warn!(error = %err, %meeting_id, "could not close a meeting stay");
    }
}

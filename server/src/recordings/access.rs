//! Who may do what with a recording: seeing it follows the meeting's channel (public
//! channels: every member of the workspace; private ones and DMs: their members);
//! uploading is for the starter; finishing for the starter or a host; renaming and
//! deleting for the starter or an admin. Every route first asks `viewable`: to someone
//! who cannot see the channel a recording does not exist (404, as for its messages),
//! and an admin's rights stop at what they can see.

use tandem_protocol::api::{Role, User};
use tandem_protocol::meetings::MeetingId;
use tandem_protocol::recordings::RecordingId;
use tandem_protocol::ErrorCode;

use crate::chat::access;
use crate::db::meetings;
use crate::db::recordings::{self, RecordingRow};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub fn no_recording() -> AppError {
    AppError::not_found("No such recording.")
}

pub async fn find(state: &AppState, id: RecordingId) -> AppResult<RecordingRow> {
    recordings::find(&state.db, id)
        .await?
        .ok_or_else(no_recording)
}

/// The recording if `user` may see its channel; 404 otherwise.
pub async fn viewable(state: &AppState, id: RecordingId, user: &User) -> AppResult<RecordingRow> {
    let row = find(state, id).await?;
    let mut conn = state.db.acquire().await?;
    match access::visible(&mut conn, row.channel()?, user.id).await {
        Ok(_) => Ok(row),
        Err(AppError::Api(_)) => Err(no_recording()),
        Err(other) => Err(other),
    }
}

/// 404 unless `user` may see the meeting's channel (before starting a recording).
pub async fn require_meeting_visible(
    state: &AppState,
    meeting: MeetingId,
    user: &User,
) -> AppResult<()> {
    let no_meeting = || AppError::not_found("No such meeting.");
    let row = meetings::find(&state.db, meeting)
        .await?
        .ok_or_else(no_meeting)?;
    let mut conn = state.db.acquire().await?;
    match access::visible(&mut conn, row.channel()?, user.id).await {
        Ok(_) => Ok(()),
        Err(AppError::Api(_)) => Err(no_meeting()),
        Err(other) => Err(other),
    }
}

pub fn require_starter(row: &RecordingRow, user: &User) -> AppResult<()> {
    if row.starter()? == user.id {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "Only whoever started this recording can do this.",
        ))
    }
}

pub fn require_starter_or_admin(row: &RecordingRow, user: &User) -> AppResult<()> {
    if row.starter()? == user.id || user.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "Only whoever started this recording or an admin can do this.",
        ))
    }
}

/// The starter, the meeting's host or an admin (who hosts every meeting).
pub async fn require_starter_or_host(
    state: &AppState,
    row: &RecordingRow,
    user: &User,
) -> AppResult<()> {
    if row.starter()? == user.id || user.role == Role::Admin {
        return Ok(());
    }
    let meeting = meetings::find(&state.db, row.meeting()?).await?;
    if meeting.is_some_and(|m| m.host().is_ok_and(|h| h == user.id)) {
        return Ok(());
    }
    Err(AppError::new(
        ErrorCode::Forbidden,
        "Only whoever started this recording or a host can stop it.",
    ))
}

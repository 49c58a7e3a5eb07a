//! A meeting's summary (what its card shows), the host's note, and action items.

use axum::extract::State;
use tandem_protocol::urgency::{
    ActionItem, MeetingNote, MeetingNoteRequest, MeetingSummary, UpdateActionItemRequest,
};
use tandem_protocol::ApiError;
use uuid::Uuid;

use crate::auth::extract::{AnySession, CurrentSession};
use crate::bridge::{notes, summary};
use crate::error::{AppResult, Json, Path};
use crate::state::AppState;

/// Duration, who joined, the recording, the board, the in-meeting chat count and the
/// note: for members of the meeting's channel and the meeting's own guests.
#[utoipa::path(get, path = "/api/meetings/{id}/summary", tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses((status = 200, body = MeetingSummary), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn get_summary(
    State(state): State<AppState>,
    me: AnySession,
    Path(id): Path<Uuid>,
) -> AppResult<Json<MeetingSummary>> {
    let row = super::meetings::visible_meeting(&state, &me, id).await?;
    Ok(Json(summary::summary(&state, &row).await?))
}

/// Replaces the meeting's note and its action items (the host or an admin). Action
/// items go to their owners' inboxes; the channel is told with `meeting_note_updated`.
#[utoipa::path(put, path = "/api/meetings/{id}/note", tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id")), request_body = MeetingNoteRequest,
    responses((status = 200, body = MeetingNote), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn put_note(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
    Json(request): Json<MeetingNoteRequest>,
) -> AppResult<Json<MeetingNote>> {
    Ok(Json(notes::put_note(&state, &me.user, id, request).await?))
}

/// Marks one of my action items done (or not done).
#[utoipa::path(patch, path = "/api/action-items/{id}", tag = "bridge",
    params(("id" = Uuid, Path, description = "Action item id")),
    request_body = UpdateActionItemRequest,
    responses((status = 200, body = ActionItem), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn update_action_item(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
    Json(request): Json<UpdateActionItemRequest>,
) -> AppResult<Json<ActionItem>> {
    Ok(Json(
        notes::set_done(&state, &me.user, id, request.done).await?,
    ))
}

//! `POST /api/messages/{id}/escalate`: a blocked thread becomes a call.

use axum::extract::State;
use axum::http::StatusCode;
use tandem_protocol::meetings::Meeting;
use tandem_protocol::ApiError;
use uuid::Uuid;

use crate::auth::extract::CurrentSession;
use crate::bridge::escalation;
use crate::error::{AppResult, Json, Path};
use crate::state::AppState;

/// Escalates the message's thread to a call (channel members; not guests): starts a
/// meeting linked to the thread and rings the thread's people (201), or returns the
/// thread's call if it is still live (200). A channel has one meeting at a time: if
/// another one is in progress there, 409.
#[utoipa::path(post, path = "/api/messages/{id}/escalate", tag = "bridge",
    params(("id" = Uuid, Path, description = "A message of the thread (root or reply)")),
    responses((status = 201, description = "Call started", body = Meeting),
              (status = 200, description = "The thread's call, already live", body = Meeting),
              (status = 401, body = ApiError), (status = 403, body = ApiError),
              (status = 404, body = ApiError), (status = 409, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn escalate(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<(StatusCode, Json<Meeting>)> {
    let (meeting, created) = escalation::escalate(&state, me.user.id, id).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(meeting)))
}

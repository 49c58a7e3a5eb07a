//! `GET /api/ws`: authenticates and checks the origin *before* upgrading.

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::{State, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::response::Response;
use tandem_protocol::ws::RealtimePosition;
use tandem_protocol::{ApiError, ErrorCode};

use crate::auth::extract::AnySession;
use crate::db::events;
use crate::error::{AppError, AppResult, Json};
use crate::guards::origin::{origin_allowed, AllowedOrigins};
use crate::realtime::audience::Viewer;
use crate::realtime::socket::{self, TRANSPORT_MAX_MESSAGE};
use crate::state::AppState;

/// What one socket reads at a time. The buffer stays allocated (and is zero-filled
/// before each read), so it is most of an idle socket's memory; client frames are small
/// and a large one still arrives whole over several reads.
const READ_BUFFER: usize = 4 * 1024;
/// How much a burst of outgoing frames may gather before it is written.
const WRITE_BATCH: usize = 16 * 1024;

/// The realtime WebSocket (see `tandem_protocol::ws`). Members and guests.
#[utoipa::path(get, path = "/api/ws", tag = "realtime",
    responses((status = 101, description = "Switching to the WebSocket protocol"),
              (status = 400, body = ApiError), (status = 401, body = ApiError),
              (status = 403, body = ApiError)))]
pub async fn upgrade(
    State(state): State<AppState>,
    me: AnySession,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> AppResult<Response> {
    let allowed = AllowedOrigins::new(&state.config.allowed_origins);
    if !origin_allowed(&headers, &allowed) {
        return Err(AppError::forbidden(
            "This origin may not open a realtime connection.",
        ));
    }
    let upgrade = upgrade.map_err(|rejection| {
        AppError::new(
            ErrorCode::BadRequest,
            format!("Expected a WebSocket upgrade: {}", rejection.body_text()),
        )
    })?;
    let session_id = me.session_id;
    let mut viewer = Viewer::new(me.user.id);
    // A guest's socket carries their scope: what they may send and see.
    viewer.guest = me.guest;
    Ok(upgrade
        // Per-socket buffers (128 KiB each by default) are most of a connection's
        // memory; frames here are small, and a large one still arrives whole.
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(WRITE_BATCH)
        .max_message_size(TRANSPORT_MAX_MESSAGE)
        .max_frame_size(TRANSPORT_MAX_MESSAGE)
        .on_upgrade(move |ws| socket::run(ws, state, session_id, viewer)))
}

/// The newest `seq` in the event log. A page reads it before loading state over REST
/// and resumes its socket from it, so nothing appended meanwhile is lost.
#[utoipa::path(get, path = "/api/realtime/position", tag = "realtime",
    responses((status = 200, body = RealtimePosition), (status = 401, body = ApiError)))]
pub async fn position(
    State(state): State<AppState>,
    _me: AnySession,
) -> AppResult<Json<RealtimePosition>> {
    Ok(Json(RealtimePosition {
        seq: events::head(&state.db).await?,
    }))
}

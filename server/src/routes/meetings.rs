//! Meetings and calls over REST: start one, call a DM, and read a meeting's state.
//! Everything live (joining, signaling, host controls) is on the WebSocket.

use axum::extract::State;
use axum::http::StatusCode;
use tandem_protocol::chat::ChannelKind;
use tandem_protocol::meetings::{Meeting, MeetingKind, StartMeetingRequest};
use tandem_protocol::{ApiError, ErrorCode};
use uuid::Uuid;

use crate::auth::extract::{AnySession, CurrentSession, GUESTS_ONLY_THEIR_MEETING};
use crate::chat::access;
use crate::db::{channels, meetings};
use crate::error::{AppError, AppResult, Json, Path};
use crate::meetings::guests::no_meeting;
use crate::meetings::{lifecycle, ring};
use crate::state::AppState;

fn started(started: lifecycle::Started) -> (StatusCode, Json<Meeting>) {
    let status = if started.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    (status, Json(started.meeting))
}

/// Starts a meeting in the channel (members; not in archived channels). The starter
/// hosts it; its card is posted in the channel. A channel has one active meeting at a
/// time: if there is one, it is returned (200).
#[utoipa::path(post, path = "/api/channels/{id}/meetings", tag = "meetings",
    params(("id" = Uuid, Path, description = "Channel id")), request_body = StartMeetingRequest,
    responses((status = 201, description = "Started", body = Meeting),
              (status = 200, description = "The meeting already active in the channel",
               body = Meeting),
              (status = 401, body = ApiError), (status = 403, body = ApiError),
              (status = 404, body = ApiError),
              (status = 409, description = "A town hall without an SFU", body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn start(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
    Json(request): Json<StartMeetingRequest>,
) -> AppResult<(StatusCode, Json<Meeting>)> {
    let kind = MeetingKind::Meeting;
    let result =
        lifecycle::start_with(&state, id, &me.user, kind, request.title, request.town_hall).await?;
    Ok(started(result))
}

/// Calls the other people of a direct message: starts a meeting of kind `call` and
/// rings their tabs (`ringing`). If the DM already has an active meeting (say, the
/// last call's room is still within its empty grace period), that one is returned
/// (200) and whoever is not in it is rung again.
#[utoipa::path(post, path = "/api/channels/{id}/call", tag = "meetings",
    params(("id" = Uuid, Path, description = "Direct message (channel) id")),
    responses((status = 201, description = "Ringing", body = Meeting),
              (status = 200, description = "The meeting already active in the DM", body = Meeting),
              (status = 401, body = ApiError), (status = 403, body = ApiError),
              (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn call(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<(StatusCode, Json<Meeting>)> {
    let mut conn = state.db.acquire().await?;
    let channel = access::visible(&mut conn, id, me.user.id).await?;
    channel.require_member()?;
    if channel.kind() != ChannelKind::Direct {
        return Err(AppError::Api(ApiError::new(
            ErrorCode::Validation,
            "Calls are for direct messages; start a meeting in a channel instead.",
        )));
    }
    drop(conn);
    let result = lifecycle::start(&state, id, &me.user, MeetingKind::Call, None).await?;
    let present = |user: &Uuid| {
        result
            .meeting
            .present
            .iter()
            .any(|p| p.user_id == Some(*user))
    };
    let callees: Vec<_> = channels::member_ids(&state.db, id)
        .await?
        .into_iter()
        .filter(|user| *user != me.user.id && !present(user))
        .collect();
    if !callees.is_empty() && !ring::is_ringing(&state, result.meeting.id) {
        ring::start(&state, &result.meeting, me.user.id, callees);
    }
    Ok(started(result))
}

/// A meeting: for members of its channel, and for its own guests (another meeting is
/// 403 for a guest, like everything outside their meeting). Anyone else 404.
#[utoipa::path(get, path = "/api/meetings/{id}", tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses((status = 200, body = Meeting), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn get(
    State(state): State<AppState>,
    me: AnySession,
    Path(id): Path<Uuid>,
) -> AppResult<Json<Meeting>> {
    let row = visible_meeting(&state, &me, id).await?;
    Ok(Json(lifecycle::snapshot(&state, &row).await?))
}

/// The meeting if `me` may see it: a member of its channel, or one of its own guests
/// (another meeting is 403 for a guest); anyone else gets 404.
pub async fn visible_meeting(
    state: &AppState,
    me: &AnySession,
    id: Uuid,
) -> AppResult<meetings::MeetingRow> {
    if me
        .guest
        .as_ref()
        .is_some_and(|guest| guest.meeting_id != id)
    {
        return Err(AppError::forbidden(GUESTS_ONLY_THEIR_MEETING));
    }
    let row = meetings::find(&state.db, id)
        .await?
        .ok_or_else(no_meeting)?;
    if me.guest.is_none() && !channels::is_member(&state.db, row.channel()?, me.user.id).await? {
        return Err(no_meeting());
    }
    Ok(row)
}

/// The channel's active meeting, or `null` (channel members).
#[utoipa::path(get, path = "/api/channels/{id}/meetings/active", tag = "meetings",
    params(("id" = Uuid, Path, description = "Channel id")),
    responses((status = 200, body = Option<Meeting>), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn active(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<Json<Option<Meeting>>> {
    let mut conn = state.db.acquire().await?;
    access::visible(&mut conn, id, me.user.id)
        .await?
        .require_member()?;
    let row = meetings::active_in_channel(&mut *conn, id).await?;
    drop(conn);
    Ok(Json(match row {
        Some(row) => Some(lifecycle::snapshot(&state, &row).await?),
        None => None,
    }))
}

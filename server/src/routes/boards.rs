//! Whiteboards over REST: list, create, read, rename, delete, a meeting's board; the
//! history (state at a time, op pages) and read-only links are in the submodules.
//! Drawing itself happens on the WebSocket (`ClientFrame::Board`).

pub mod history;
pub mod links;

use axum::extract::State;
use axum::http::StatusCode;
use tandem_protocol::boards::{Board, CreateBoardRequest, UpdateBoardRequest};
use tandem_protocol::ApiError;
use uuid::Uuid;

use crate::auth::extract::{AnySession, CurrentSession};
use crate::boards::access::{self, Who};
use crate::boards::lifecycle;
use crate::error::{AppResult, Json, Path};
use crate::state::AppState;

fn who(me: &AnySession) -> Who<'_> {
    Who {
        user_id: me.user.id,
        guest: me.guest.as_ref(),
    }
}

/// The channel's boards, newest first (channel members).
#[utoipa::path(get, path = "/api/channels/{id}/boards", tag = "boards",
    params(("id" = Uuid, Path, description = "Channel id")),
    responses((status = 200, body = Vec<Board>), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<Json<Vec<Board>>> {
    Ok(Json(lifecycle::list(&state, id, &me.user).await?))
}

/// Creates a board in the channel (members; not in archived channels). It starts with
/// one page, "Page 1" (its rev 1).
#[utoipa::path(post, path = "/api/channels/{id}/boards", tag = "boards",
    params(("id" = Uuid, Path, description = "Channel id")), request_body = CreateBoardRequest,
    responses((status = 201, body = Board), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
    Json(request): Json<CreateBoardRequest>,
) -> AppResult<(StatusCode, Json<Board>)> {
    let board = lifecycle::create(&state, id, &me.user, &request.title).await?;
    Ok((StatusCode::CREATED, Json(board)))
}

/// A board (whoever may view it: the channel's members, the meeting's guests for a
/// meeting's board).
#[utoipa::path(get, path = "/api/boards/{id}", tag = "boards",
    params(("id" = Uuid, Path, description = "Board id")),
    responses((status = 200, body = Board), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn get(
    State(state): State<AppState>,
    me: AnySession,
    Path(id): Path<Uuid>,
) -> AppResult<Json<Board>> {
    let access = access::check(&state.db, id, who(&me), None, state.now()).await?;
    Ok(Json(access.board.to_board()?))
}

/// Renames a board (editors).
#[utoipa::path(patch, path = "/api/boards/{id}", tag = "boards",
    params(("id" = Uuid, Path, description = "Board id")), request_body = UpdateBoardRequest,
    responses((status = 200, body = Board), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn update(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
    Json(request): Json<UpdateBoardRequest>,
) -> AppResult<Json<Board>> {
    let who = Who {
        user_id: me.user.id,
        guest: None,
    };
    let board = lifecycle::rename(&state, id, who, &request.title).await?;
    Ok(Json(board))
}

/// Deletes a board (its creator or a workspace admin). Whoever has it open is told
/// `closed`.
#[utoipa::path(delete, path = "/api/boards/{id}", tag = "boards",
    params(("id" = Uuid, Path, description = "Board id")),
    responses((status = 204, description = "Deleted"), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn delete(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<StatusCode> {
    lifecycle::delete(&state, id, &me).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The meeting's board, created on first use ("Whiteboard: <meeting title>"; members
/// of the meeting's channel). The meeting then carries its `board_id`, so everyone in
/// it opens the board beside the video.
#[utoipa::path(post, path = "/api/meetings/{id}/board", tag = "boards",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses((status = 201, description = "Created", body = Board),
              (status = 200, description = "The meeting's existing board", body = Board),
              (status = 401, body = ApiError), (status = 403, body = ApiError),
              (status = 404, body = ApiError), (status = 410, body = ApiError)))]
pub async fn meeting_board(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<(StatusCode, Json<Board>)> {
    let (board, created) = lifecycle::for_meeting(&state, id, &me.user).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(board)))
}

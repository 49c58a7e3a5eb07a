//! Read-only links to a board: editors make, list and revoke them; a signed-in person
//! (a workspace member, or a guest of the board's meeting) resolves one to its board
//! and then opens it over the WebSocket with the token (`BoardRequest::Open`).

use axum::extract::State;
use axum::http::StatusCode;
use tandem_protocol::boards::{
    Board, BoardLink, CreateBoardLinkRequest, CreatedBoardLink, DEFAULT_BOARD_LINK_MINUTES,
    MAX_BOARD_LINK_MINUTES,
};
use tandem_protocol::{ApiError, ErrorCode};
use uuid::Uuid;

use crate::auth::extract::{AnySession, CurrentSession};
use crate::auth::session;
use crate::boards::access::{self, check_link, no_board, not_yours, Who};
use crate::db::boards::{self, BoardLinkRow};
use crate::error::{AppError, AppResult, Json, Path};
use crate::meetings::guests::new_token;
use crate::state::AppState;

const MIN_BOARD_LINK_MINUTES: u32 = 5;

fn editor(me: &CurrentSession) -> Who<'_> {
    Who {
        user_id: me.user.id,
        guest: None,
    }
}

fn no_link() -> AppError {
    AppError::not_found("This board link is not valid.")
}

/// Makes a read-only link (editors), lasting 5 ..= 43200 minutes (a week unless asked):
/// every link expires. The answer is the only time its secret is shown.
#[utoipa::path(post, path = "/api/boards/{id}/links", tag = "boards",
    params(("id" = Uuid, Path, description = "Board id")), request_body = CreateBoardLinkRequest,
    responses((status = 201, body = CreatedBoardLink), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
    Json(request): Json<CreateBoardLinkRequest>,
) -> AppResult<(StatusCode, Json<CreatedBoardLink>)> {
    access::require_editor(&state.db, id, editor(&me)).await?;
    let minutes = request
        .expires_in_minutes
        .unwrap_or(DEFAULT_BOARD_LINK_MINUTES);
    if !(MIN_BOARD_LINK_MINUTES..=MAX_BOARD_LINK_MINUTES).contains(&minutes) {
        return Err(AppError::Api(
            ApiError::new(
                ErrorCode::Validation,
                format!(
                    "A board link must last between {MIN_BOARD_LINK_MINUTES} and \
                     {MAX_BOARD_LINK_MINUTES} minutes."
                ),
            )
            .with_field("expires_in_minutes"),
        ));
    }
    let now = state.now();
    let token = new_token();
    let row = BoardLinkRow {
        id: Uuid::new_v4().to_string(),
        board_id: id.to_string(),
        token_hash: session::hash_token(&token),
        created_by: me.user.id.to_string(),
        created_at: now,
        expires_at: Some(now + i64::from(minutes) * 60 * 1000),
        revoked: false,
    };
    boards::insert_link(&state.db, &row).await?;
    let link = row.to_link()?;
    Ok((StatusCode::CREATED, Json(CreatedBoardLink { link, token })))
}

/// The board's read-only links, newest first (editors).
#[utoipa::path(get, path = "/api/boards/{id}/links", tag = "boards",
    params(("id" = Uuid, Path, description = "Board id")),
    responses((status = 200, body = Vec<BoardLink>), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<Json<Vec<BoardLink>>> {
    access::require_editor(&state.db, id, editor(&me)).await?;
    let rows = boards::list_links(&state.db, id).await?;
    Ok(Json(
        rows.iter()
            .map(BoardLinkRow::to_link)
            .collect::<Result<_, _>>()?,
    ))
}

/// Revokes a read-only link (editors; idempotent). Whoever is watching through it is
/// told `closed`.
#[utoipa::path(delete, path = "/api/boards/{id}/links/{link_id}", tag = "boards",
    params(("id" = Uuid, Path, description = "Board id"),
           ("link_id" = Uuid, Path, description = "Link id")),
    responses((status = 204, description = "Revoked"), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn revoke(
    State(state): State<AppState>,
    me: CurrentSession,
    Path((id, link_id)): Path<(Uuid, Uuid)>,
) -> AppResult<StatusCode> {
    access::require_editor(&state.db, id, editor(&me)).await?;
    boards::find_link(&state.db, link_id)
        .await?
        .filter(|link| link.board_id == id.to_string())
        .ok_or_else(no_link)?;
    boards::revoke_link(&state.db, link_id).await?;
    state.boards.rooms.close_link(id, link_id).await;
    Ok(StatusCode::NO_CONTENT)
}

/// The board a read-only link shows, for someone signed in: a workspace member, or a
/// guest of the board's meeting. Unknown link 404; revoked or expired 410.
#[utoipa::path(get, path = "/api/board-links/{token}", tag = "boards",
    params(("token" = String, Path, description = "The secret from the link")),
    responses((status = 200, body = Board), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 410, body = ApiError)))]
pub async fn resolve(
    State(state): State<AppState>,
    me: AnySession,
    Path(token): Path<String>,
) -> AppResult<Json<Board>> {
    let link = boards::find_link_by_hash(&state.db, &session::hash_token(token.trim()))
        .await?
        .ok_or_else(no_link)?;
    check_link(&link, state.now())?;
    let board = boards::find_live(&state.db, link.board()?)
        .await?
        .ok_or_else(no_board)?;
    if let Some(guest) = &me.guest {
        if board.meeting()? != Some(guest.meeting_id) {
            return Err(not_yours());
        }
    }
    Ok(Json(board.to_board()?))
}

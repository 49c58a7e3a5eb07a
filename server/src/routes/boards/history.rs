//! A board's past, for recording playback: the board at a moment, and its ops in pages.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde::Deserialize;
use tandem_protocol::boards::{BoardOpsPage, BoardRev, BoardSnapshot};
use tandem_protocol::{ApiError, ErrorCode, Timestamp};
use utoipa::IntoParams;
use uuid::Uuid;

use super::who;
use crate::auth::extract::AnySession;
use crate::boards::{access, history};
use crate::db::boards;
use crate::error::{AppError, AppResult, Json, Path};
use crate::routes::messages::bad_query;
use crate::state::AppState;

pub const DEFAULT_OPS_PAGE: u32 = 1_000;
pub const MAX_OPS_PAGE: u32 = 5_000;

fn invalid(field: &str, message: impl Into<String>) -> AppError {
    AppError::Api(ApiError::new(ErrorCode::Validation, message).with_field(field))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct StateQuery {
    /// The moment (ms since the epoch); default now.
    pub at: Option<Timestamp>,
}

/// The board as it was at `at`: every op applied at or before it (viewers).
#[utoipa::path(get, path = "/api/boards/{id}/state", tag = "boards",
    params(("id" = Uuid, Path, description = "Board id"), StateQuery),
    responses((status = 200, body = BoardSnapshot), (status = 400, body = ApiError),
              (status = 401, body = ApiError), (status = 403, body = ApiError),
              (status = 404, body = ApiError)))]
pub async fn state_at(
    State(state): State<AppState>,
    me: AnySession,
    Path(id): Path<Uuid>,
    query: Result<Query<StateQuery>, QueryRejection>,
) -> AppResult<Json<BoardSnapshot>> {
    let Query(query) = query.map_err(bad_query)?;
    let now = state.now();
    access::check(&state.db, id, who(&me), None, now).await?;
    let at = query.at.unwrap_or(now);
    Ok(Json(history::state_at(&state.db, id, at).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct OpsQuery {
    /// Ops with a higher rev than this (default 0: from the start).
    pub after: Option<BoardRev>,
    /// At most this many (1 ..= 5000, default 1000).
    pub limit: Option<u32>,
}

/// The board's ops after a rev, in rev order (viewers).
#[utoipa::path(get, path = "/api/boards/{id}/ops", tag = "boards",
    params(("id" = Uuid, Path, description = "Board id"), OpsQuery),
    responses((status = 200, body = BoardOpsPage), (status = 400, body = ApiError),
              (status = 401, body = ApiError), (status = 403, body = ApiError),
              (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn ops(
    State(state): State<AppState>,
    me: AnySession,
    Path(id): Path<Uuid>,
    query: Result<Query<OpsQuery>, QueryRejection>,
) -> AppResult<Json<BoardOpsPage>> {
    let Query(query) = query.map_err(bad_query)?;
    let after = query.after.unwrap_or(0);
    if after < 0 {
        return Err(invalid("after", "after must be 0 or more."));
    }
    let limit = query.limit.unwrap_or(DEFAULT_OPS_PAGE);
    if !(1..=MAX_OPS_PAGE).contains(&limit) {
        return Err(invalid(
            "limit",
            format!("limit must be between 1 and {MAX_OPS_PAGE}."),
        ));
    }
    access::check(&state.db, id, who(&me), None, state.now()).await?;
    let mut ops = boards::ops_after(&state.db, id, after, i64::from(limit) + 1).await?;
    let more = ops.len() > limit as usize;
    ops.truncate(limit as usize);
    Ok(Json(BoardOpsPage { ops, more }))
}

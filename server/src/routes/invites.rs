use axum::extract::State;
use axum::http::StatusCode;
use tandem_protocol::api::{CreateInviteRequest, Invite};
use tandem_protocol::ApiError;
use uuid::Uuid;

use crate::auth::extract::CurrentSession;
use crate::db::{invites, now_ms};
use crate::error::{AppError, AppResult, Json, Path};
use crate::state::AppState;

/// All invites, newest first (admin only).
#[utoipa::path(get, path = "/api/invites", tag = "invites",
    responses((status = 200, body = Vec<Invite>), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentSession,
) -> AppResult<Json<Vec<Invite>>> {
    me.require_admin()?;
    let rows = invites::list(&state.db).await?;
    Ok(Json(
        rows.iter()
            .map(|row| row.to_invite())
            .collect::<Result<_, _>>()?,
    ))
}

/// Creates an invite link (admin only).
#[utoipa::path(post, path = "/api/invites", tag = "invites", request_body = CreateInviteRequest,
    responses((status = 201, body = Invite), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentSession,
    Json(request): Json<CreateInviteRequest>,
) -> AppResult<(StatusCode, Json<Invite>)> {
    me.require_admin()?;
    request.validate()?;
    let now = now_ms();
    let expires_at = now + i64::from(request.expires_in_hours) * 60 * 60 * 1000;
    let token = hex::encode(rand::random::<[u8; 24]>());
    let row = invites::new_row(Uuid::new_v4(), token, me.user.id, now, expires_at);
    invites::insert(&state.db, &row).await?;
    Ok((StatusCode::CREATED, Json(row.to_invite()?)))
}

/// Revokes an invite (admin only); revoking twice is fine.
#[utoipa::path(delete, path = "/api/invites/{id}", tag = "invites",
    params(("id" = Uuid, Path, description = "Invite id")),
    responses((status = 204, description = "Revoked"), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn revoke(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<StatusCode> {
    me.require_admin()?;
    if invites::revoke(&state.db, id, now_ms()).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::not_found("No such invite."))
    }
}

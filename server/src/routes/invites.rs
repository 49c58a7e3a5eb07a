//! Invite links: admins make, list and revoke them; sign-up (`routes::auth`) spends
//! them. An invite admits `max_uses` people (one unless asked) until it expires; only
//! the SHA-256 of its secret is stored and the secret is shown once, on creation.

use axum::extract::State;
use axum::http::StatusCode;
use sqlx::AnyExecutor;
use tandem_protocol::api::{CreateInviteRequest, CreatedInvite, Invite};
use tandem_protocol::{ApiError, ErrorCode};
use uuid::Uuid;

use crate::auth::extract::CurrentSession;
use crate::auth::session;
use crate::db::invites::{self, NewInvite};
use crate::db::now_ms;
use crate::error::{AppError, AppResult, Json, Path};
use crate::state::AppState;

/// All invites, newest first (admin only). Never their secrets.
#[utoipa::path(get, path = "/api/invites", tag = "invites",
    responses((status = 200, body = Vec<Invite>), (status = 401, body = ApiError),
              (status = 403, body = ApiError)))]
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

/// Creates an invite link (admin only): single use and a week long unless asked
/// otherwise. The answer is the only time the secret is shown.
#[utoipa::path(post, path = "/api/invites", tag = "invites", request_body = CreateInviteRequest,
    responses((status = 201, body = CreatedInvite), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentSession,
    Json(request): Json<CreateInviteRequest>,
) -> AppResult<(StatusCode, Json<CreatedInvite>)> {
    me.require_admin()?;
    request.validate()?;
    let now = now_ms();
    let token = session::new_token();
    let row = invites::new_row(NewInvite {
        id: Uuid::new_v4(),
        token_hash: session::hash_token(&token),
        created_by: me.user.id,
        now,
        expires_at: now + i64::from(request.expires_in_hours) * 60 * 60 * 1000,
        max_uses: request.max_uses,
    });
    invites::insert(&state.db, &row).await?;
    let invite = row.to_invite()?;
    Ok((StatusCode::CREATED, Json(CreatedInvite { invite, token })))
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

/// The error for a refused sign-up, saying what is wrong with the invite it came with
/// (`invite_hash`: the SHA-256 of its token): none or unknown is 403; revoked, expired
/// or used up is 410, so the person knows to ask for a new link.
pub async fn refusal(
    db: impl AnyExecutor<'_>,
    invite_hash: Option<&str>,
    now: i64,
) -> AppResult<AppError> {
    let Some(hash) = invite_hash else {
        return Ok(AppError::forbidden(
            "Sign-up needs an invite link. Ask a workspace admin for one.",
        ));
    };
    let gone = |what: &str| {
        AppError::new(
            ErrorCode::Gone,
            format!("This invite link {what}. Ask a workspace admin for a new one."),
        )
    };
    Ok(match invites::find_by_hash(db, hash).await? {
        None => AppError::forbidden(
            "This invite link is not valid. Ask a workspace admin for a new one.",
        ),
        Some(row) if row.revoked_at.is_some() => gone("was revoked"),
        Some(row) if row.expires_at <= now => gone("has expired"),
        Some(row) if row.uses >= row.max_uses => gone("has already been used"),
        // Usable: refused for another reason (none today; kept honest rather than 500).
        Some(_) => AppError::forbidden("Sign-up is not possible right now."),
    })
}

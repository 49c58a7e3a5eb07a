//! The workspace directory and profiles.

use axum::extract::State;
use axum::http::StatusCode;
use tandem_protocol::api::{normalize_display_name, UpdateProfileRequest, User};
use tandem_protocol::ws::{Event, CLOSE_SESSION_ENDED};
use tandem_protocol::{ApiError, ErrorCode};
use uuid::Uuid;

use crate::auth::extract::CurrentSession;
use crate::db::{now_ms, send_later, sessions, users, working_hours};
use crate::error::{AppError, AppResult, Json, Path};
use crate::realtime::audience::Audience;
use crate::state::AppState;
use crate::time_zone;

/// Everyone in the workspace (active accounts).
#[utoipa::path(get, path = "/api/users", tag = "users",
    responses((status = 200, body = Vec<User>), (status = 401, body = ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    _me: CurrentSession,
) -> AppResult<Json<Vec<User>>> {
    let rows = users::list(&state.db).await?;
    let users = rows
        .iter()
        .map(|row| row.to_user())
        .collect::<Result<_, _>>()?;
    Ok(Json(users))
}

/// Changes my display name and/or time zone.
#[utoipa::path(patch, path = "/api/users/me", tag = "users", request_body = UpdateProfileRequest,
    responses((status = 200, body = User), (status = 401, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn update_me(
    State(state): State<AppState>,
    me: CurrentSession,
    Json(request): Json<UpdateProfileRequest>,
) -> AppResult<Json<User>> {
    let mut user = me.user;
    if let Some(name) = request.display_name {
        user.display_name = normalize_display_name(&name)?;
    }
    if let Some(zone) = request.time_zone {
        let zone = zone.trim();
        if !time_zone::is_known(zone) {
            return Err(AppError::Api(
                ApiError::new(ErrorCode::Validation, "That is not a known time zone.")
                    .with_field("time_zone"),
            ));
        }
        user.time_zone = zone.to_string();
    }
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    users::update_profile(&mut *tx, user.id, &user.display_name, &user.time_zone).await?;
    // Working hours are wall-clock hours in the profile's zone: they follow it.
    working_hours::set_time_zone(&mut tx, user.id, &user.time_zone, state.now()).await?;
    // Everyone's member list, mentions and local times follow the new name and zone.
    writer
        .append(
            &mut tx,
            Audience::Workspace,
            Event::ProfileUpdated { user: user.clone() },
        )
        .await?;
    writer.commit(tx).await?;
    Ok(Json(user))
}

/// Admin only: deactivates an account. Their messages stay; their sessions end and
/// their sockets close; their send-later messages (and those held to deliver later) are
/// cancelled; they disappear from the directory.
#[utoipa::path(delete, path = "/api/users/{id}", tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    responses((status = 204, description = "Deactivated"), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn deactivate(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<StatusCode> {
    me.require_admin()?;
    if id == me.user.id {
        return Err(AppError::forbidden(
            "You cannot deactivate your own account.",
        ));
    }
    let now = now_ms();
    let mut tx = state.db.begin_write().await?;
    if !users::deactivate(&mut *tx, id, now).await? {
        return Err(AppError::not_found("No such user."));
    }
    let ended = sessions::revoke_all_for_user(&mut *tx, id, now).await?;
    sessions::forget_devices(&mut *tx, id).await?;
    let cancelled = send_later::delete_all_for_author(&mut *tx, id).await?;
    tx.commit().await?;
    for session_id in ended {
        state
            .connections
            .close_session(session_id, CLOSE_SESSION_ENDED);
    }
    tracing::info!(user_id = %id, by = %me.user.id, cancelled, "user deactivated");
    Ok(StatusCode::NO_CONTENT)
}

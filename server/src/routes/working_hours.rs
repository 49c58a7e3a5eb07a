//! Working hours and focus blocks: mine, a colleague's, and everyone's availability
//! now. The time zone of someone's working hours is their profile's: saving one sets
//! both.

use axum::extract::State;
use tandem_protocol::working_hours::{AvailabilityList, WorkSchedule};
use tandem_protocol::ApiError;
use uuid::Uuid;

use crate::auth::extract::CurrentSession;
use crate::bridge::availability;
use crate::db::{users, working_hours};
use crate::error::{AppError, AppResult, Json, Path};
use crate::state::AppState;

/// My working hours and focus blocks (Monday to Friday 09:00–17:00 until I set them).
#[utoipa::path(get, path = "/api/users/me/schedule", tag = "users",
    responses((status = 200, body = WorkSchedule), (status = 401, body = ApiError),
              (status = 403, body = ApiError)))]
pub async fn get_mine(
    State(state): State<AppState>,
    me: CurrentSession,
) -> AppResult<Json<WorkSchedule>> {
    Ok(Json(working_hours::get(&state.db, me.user.id).await?))
}

/// Replaces my working hours. Their time zone becomes my profile's time zone too.
#[utoipa::path(put, path = "/api/users/me/schedule", tag = "users", request_body = WorkSchedule,
    responses((status = 200, body = WorkSchedule), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn put_mine(
    State(state): State<AppState>,
    me: CurrentSession,
    Json(mut hours): Json<WorkSchedule>,
) -> AppResult<Json<WorkSchedule>> {
    hours.time_zone = hours.time_zone.trim().to_string();
    availability::check(&hours)?;
    let mut tx = state.db.begin_write().await?;
    users::update_profile(
        &mut *tx,
        me.user.id,
        &me.user.display_name,
        &hours.time_zone,
    )
    .await?;
    working_hours::put(&mut *tx, me.user.id, &hours, state.now()).await?;
    tx.commit().await?;
    Ok(Json(hours))
}

/// A member's working hours and focus blocks (members only).
#[utoipa::path(get, path = "/api/users/{id}/schedule", tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    responses((status = 200, body = WorkSchedule), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn get_user(
    State(state): State<AppState>,
    _me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<Json<WorkSchedule>> {
    let active = users::active_among(&mut *state.db.acquire().await?, &[id]).await?;
    if active.is_empty() {
        return Err(AppError::not_found("No such user."));
    }
    Ok(Json(working_hours::get(&state.db, id).await?))
}

/// Everyone's state now on the server's clock: working, outside working hours or in
/// focus, until when, and when they are next available.
#[utoipa::path(get, path = "/api/availability", tag = "users",
    responses((status = 200, body = AvailabilityList), (status = 401, body = ApiError),
              (status = 403, body = ApiError)))]
pub async fn availability_list(
    State(state): State<AppState>,
    _me: CurrentSession,
) -> AppResult<Json<AvailabilityList>> {
    Ok(Json(availability::everyone(&state).await?))
}

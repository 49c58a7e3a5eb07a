//! Working hours and focus blocks: my schedule, a colleague's, and everyone's
//! availability now. A schedule's time zone is the profile's: saving one sets both.

use axum::extract::State;
use tandem_protocol::schedule::{AvailabilityList, WorkSchedule};
use tandem_protocol::ApiError;
use uuid::Uuid;

use crate::auth::extract::CurrentSession;
use crate::bridge::availability;
use crate::db::{schedules, users};
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
    Ok(Json(schedules::get(&state.db, me.user.id).await?))
}

/// Replaces my schedule. Its time zone becomes my profile's time zone too.
#[utoipa::path(put, path = "/api/users/me/schedule", tag = "users", request_body = WorkSchedule,
    responses((status = 200, body = WorkSchedule), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn put_mine(
    State(state): State<AppState>,
    me: CurrentSession,
    Json(mut schedule): Json<WorkSchedule>,
) -> AppResult<Json<WorkSchedule>> {
    schedule.time_zone = schedule.time_zone.trim().to_string();
    availability::check(&schedule)?;
    let mut tx = state.db.begin_with("BEGIN IMMEDIATE").await?;
    users::update_profile(
        &mut *tx,
        me.user.id,
        &me.user.display_name,
        &schedule.time_zone,
    )
    .await?;
    schedules::put(&mut *tx, me.user.id, &schedule, state.now()).await?;
    tx.commit().await?;
    Ok(Json(schedule))
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
    Ok(Json(schedules::get(&state.db, id).await?))
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

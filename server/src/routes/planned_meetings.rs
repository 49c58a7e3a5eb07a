//! The meeting planner over REST: plan a meeting, my upcoming list, cancel, join at its
//! time, and the planner's day view. The rules live in `bridge::meeting_planner`.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use tandem_protocol::meeting_plans::{DayPlan, ScheduleMeetingRequest, ScheduledMeeting};
use tandem_protocol::meetings::Meeting;
use tandem_protocol::ApiError;
use utoipa::IntoParams;
use uuid::Uuid;

use super::messages::bad_query;
use crate::auth::extract::CurrentSession;
use crate::bridge::meeting_planner::{self, day_plan, join};
use crate::error::{AppResult, Json, Path};
use crate::state::AppState;

/// Schedules a meeting in a channel. The organiser and every participant must be
/// members. A slot over a participant's focus block is refused (409, naming them)
/// unless `allow_focus_conflict`; participants for whom it is outside working hours
/// are listed in `outside_hours`. Everyone involved gets `scheduled_meeting_changed`.
#[utoipa::path(post, path = "/api/scheduled-meetings", tag = "scheduling",
    request_body = ScheduleMeetingRequest,
    responses((status = 201, body = ScheduledMeeting), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 409, description = "Over someone's focus time", body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentSession,
    Json(request): Json<ScheduleMeetingRequest>,
) -> AppResult<(StatusCode, Json<ScheduledMeeting>)> {
    let meeting = meeting_planner::create(&state, &me.user, request).await?;
    Ok((StatusCode::CREATED, Json(meeting)))
}

/// My planned meetings (organised or invited) that have not ended, soonest first.
#[utoipa::path(get, path = "/api/scheduled-meetings", tag = "scheduling",
    responses((status = 200, body = Vec<ScheduledMeeting>), (status = 401, body = ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentSession,
) -> AppResult<Json<Vec<ScheduledMeeting>>> {
    Ok(Json(meeting_planner::upcoming(&state, me.user.id).await?))
}

/// Cancels a planned meeting (its organiser); everyone involved gets
/// `scheduled_meeting_cancelled`.
#[utoipa::path(delete, path = "/api/scheduled-meetings/{id}", tag = "scheduling",
    params(("id" = Uuid, Path, description = "Scheduled meeting id")),
    responses((status = 204, description = "Cancelled"), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn delete(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<StatusCode> {
    meeting_planner::cancel(&state, me.user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Joins a planned meeting (organiser or participant), from 10 minutes before its
/// start until its end: the first joiner starts the live meeting in the channel; everyone
/// after gets the same one. Then join the room over the WebSocket as usual.
#[utoipa::path(post, path = "/api/scheduled-meetings/{id}/join", tag = "scheduling",
    params(("id" = Uuid, Path, description = "Scheduled meeting id")),
    responses((status = 200, body = Meeting), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 409, description = "Too early, or already over", body = ApiError)))]
pub async fn join(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<Json<Meeting>> {
    Ok(Json(join::join(&state, &me.user, id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DayQuery {
    /// The organiser's calendar day, `YYYY-MM-DD`.
    pub date: String,
    /// The organiser's IANA time zone; the day is midnight to midnight there.
    pub time_zone: String,
    /// Comma-separated user ids (at most 20).
    #[serde(default)]
    pub users: String,
}

/// One calendar day in the organiser's zone (23 or 25 hours when clocks change) with,
/// per person, their working hours and focus blocks (by their own zone's rules) and
/// the planned meetings they are in. People who are not active members are left out.
#[utoipa::path(get, path = "/api/schedule/day", tag = "scheduling", params(DayQuery),
    responses((status = 200, body = DayPlan), (status = 400, body = ApiError),
              (status = 401, body = ApiError), (status = 422, body = ApiError)))]
pub async fn day(
    State(state): State<AppState>,
    _me: CurrentSession,
    query: Result<Query<DayQuery>, QueryRejection>,
) -> AppResult<Json<DayPlan>> {
    let Query(query) = query.map_err(bad_query)?;
    let plan = day_plan::day_plan(&state, &query.date, &query.time_zone, &query.users).await?;
    Ok(Json(plan))
}

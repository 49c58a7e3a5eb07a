//! The communication-health dashboard's data: `GET /api/health-report`. The figures
//! are built in `bridge::health`.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde::Deserialize;
use tandem_protocol::health::HealthReport;
use tandem_protocol::{ApiError, Timestamp};
use utoipa::IntoParams;

use super::messages::bad_query;
use crate::auth::extract::CurrentSession;
use crate::bridge::health;
use crate::error::{AppResult, Json};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct PeriodQuery {
    /// Start of the period, ms since the epoch (inclusive).
    pub from: Timestamp,
    /// End of the period, ms since the epoch (exclusive); at most 92 days after `from`.
    pub to: Timestamp,
}

/// Team figures for the whole workspace and per-person figures: every active member
/// for admins, only oneself for everyone else.
#[utoipa::path(get, path = "/api/health-report", tag = "health", params(PeriodQuery),
    responses((status = 200, body = HealthReport), (status = 400, body = ApiError),
              (status = 401, body = ApiError), (status = 422, body = ApiError)))]
pub async fn report(
    State(state): State<AppState>,
    me: CurrentSession,
    query: Result<Query<PeriodQuery>, QueryRejection>,
) -> AppResult<Json<HealthReport>> {
    let Query(query) = query.map_err(bad_query)?;
    Ok(Json(
        health::report(&state, &me.user, query.from, query.to).await?,
    ))
}

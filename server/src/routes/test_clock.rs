//! `POST /api/test/clock`: moves the server clock forward. Compiled only with the
//! `test-clock` feature (the browser suite's server build); a normal build has no
//! such route at all.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use tandem_protocol::{ApiError, ErrorCode};

use crate::bridge::test_clock;
use crate::error::{AppError, AppResult, Json};
use crate::state::AppState;

/// At most a year per step: enough for any test, and no overflow games.
const MAX_ADVANCE_MS: i64 = 366 * 24 * 60 * 60 * 1000;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AdvanceClock {
    pub advance_ms: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClockNow {
    pub now: i64,
}

/// Test builds only: moves the server clock forward by `advance_ms` and wakes the
/// send-later and deadline tasks. No session needed: the route exists only in
/// a server built for tests.
#[utoipa::path(post, path = "/api/test/clock", tag = "meta", request_body = AdvanceClock,
    responses((status = 200, body = ClockNow), (status = 422, body = ApiError)))]
pub async fn advance(
    State(state): State<AppState>,
    Json(request): Json<AdvanceClock>,
) -> AppResult<Json<ClockNow>> {
    if !(0..=MAX_ADVANCE_MS).contains(&request.advance_ms) {
        return Err(AppError::Api(
            ApiError::new(
                ErrorCode::Validation,
                "The clock moves forward only, at most a year at a time.",
            )
            .with_field("advance_ms"),
        ));
    }
    let now = test_clock::advance(&state, request.advance_ms);
    Ok(Json(ClockNow { now }))
}

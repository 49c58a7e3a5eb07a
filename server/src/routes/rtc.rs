use axum::extract::State;
use tandem_protocol::api::IceServersResponse;
use tandem_protocol::ApiError;

use crate::auth::extract::AnySession;
use crate::error::Json;
use crate::meetings::turn;
use crate::state::AppState;

/// The STUN/TURN servers browsers should use for calls (members and guests): the
/// configured URLs, plus TURN with credentials minted for this user when a TURN
/// secret is configured.
#[utoipa::path(get, path = "/api/rtc/ice-servers", tag = "rtc",
    responses((status = 200, body = IceServersResponse), (status = 401, body = ApiError)))]
pub async fn ice_servers(
    State(state): State<AppState>,
    me: AnySession,
) -> Json<IceServersResponse> {
    let now_secs = u64::try_from(state.now() / 1000).unwrap_or(0);
    Json(IceServersResponse {
        ice_servers: turn::ice_servers(&state.config, me.user.id, now_secs),
    })
}

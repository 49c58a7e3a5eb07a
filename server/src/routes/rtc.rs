use axum::extract::State;
use tandem_protocol::api::{IceServer, IceServersResponse};
use tandem_protocol::ApiError;

use crate::auth::extract::CurrentSession;
use crate::error::Json;
use crate::state::AppState;

/// The STUN/TURN servers browsers should use for calls (from the server's config).
#[utoipa::path(get, path = "/api/rtc/ice-servers", tag = "rtc",
    responses((status = 200, body = IceServersResponse), (status = 401, body = ApiError)))]
pub async fn ice_servers(
    State(state): State<AppState>,
    _me: CurrentSession,
) -> Json<IceServersResponse> {
    let ice_servers = state
        .config
        .ice_servers
        .iter()
        .filter(|url| !url.trim().is_empty())
        .map(|url| IceServer {
            urls: vec![url.trim().to_string()],
            username: None,
            credential: None,
        })
        .collect();
    Json(IceServersResponse { ice_servers })
}

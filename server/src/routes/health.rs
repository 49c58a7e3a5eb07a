use tandem_protocol::api::HealthResponse;
use tandem_protocol::PROTOCOL_VERSION;

use crate::error::Json;

/// Liveness and version.
#[utoipa::path(get, path = "/api/health", tag = "meta",
    responses((status = 200, description = "The server is up", body = HealthResponse)))]
pub async fn health() -> Json<HealthResponse> {
    Json(HealthResponse {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        protocol_version: PROTOCOL_VERSION,
    })
}

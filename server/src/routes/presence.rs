use axum::extract::State;
use tandem_protocol::chat::PresenceEntry;
use tandem_protocol::ApiError;

use crate::auth::extract::CurrentSession;
use crate::db::{self, users};
use crate::error::{AppResult, Json};
use crate::state::AppState;

/// Everyone's current presence (changes arrive as `presence_changed` frames).
#[utoipa::path(get, path = "/api/presence", tag = "users",
    responses((status = 200, body = Vec<PresenceEntry>), (status = 401, body = ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    _me: CurrentSession,
) -> AppResult<Json<Vec<PresenceEntry>>> {
    let rows = users::list(&state.db).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let user_id = db::uuid(&row.id)?;
        out.push(PresenceEntry {
            user_id,
            presence: state.presence.get(user_id),
        });
    }
    Ok(Json(out))
}

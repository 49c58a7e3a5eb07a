use axum::extract::State;
use tandem_protocol::api::User;
use tandem_protocol::ApiError;

use crate::auth::extract::CurrentSession;
use crate::db::users;
use crate::error::{AppResult, Json};
use crate::state::AppState;

/// Everyone in the workspace.
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

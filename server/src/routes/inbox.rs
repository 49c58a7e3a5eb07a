//! `GET /api/inbox`: what I owe, what others owe me, my action items.

use axum::extract::State;
use tandem_protocol::urgency::Inbox;
use tandem_protocol::ApiError;

use crate::auth::extract::CurrentSession;
use crate::db::{notes, urgency};
use crate::error::{AppResult, Json};
use crate::state::AppState;

/// My unanswered response items, the unanswered items on messages I wrote, and my open
/// action items, each soonest deadline first. `now` is the server's clock, so
/// countdowns do not depend on the device's.
#[utoipa::path(get, path = "/api/inbox", tag = "bridge",
    responses((status = 200, body = Inbox), (status = 401, body = ApiError),
              (status = 403, body = ApiError)))]
pub async fn inbox(State(state): State<AppState>, me: CurrentSession) -> AppResult<Json<Inbox>> {
    let now = state.now();
    let mut conn = state.db.acquire().await?;
    Ok(Json(Inbox {
        now,
        awaiting_me: urgency::open_owed_by(&mut *conn, me.user.id).await?,
        awaiting_others: urgency::open_asked_by(&mut *conn, me.user.id).await?,
        action_items: notes::open_for_owner(&mut *conn, me.user.id).await?,
    }))
}

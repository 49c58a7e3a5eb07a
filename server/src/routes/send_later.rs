//! Send-later messages: the author's queue. `chat::send_later_task` sends them.

use axum::extract::State;
use axum::http::StatusCode;
use tandem_protocol::chat::{
    validate_message_body, ChannelId, MessageId, ScheduleMessageRequest, ScheduledMessage,
    UpdateScheduledRequest,
};
use tandem_protocol::{ApiError, ErrorCode, Timestamp, UserId};
use uuid::Uuid;

use crate::auth::extract::CurrentSession;
use crate::chat::access;
use crate::chat::post::check_thread_root;
use crate::db::send_later::{self, SendLaterRow};
use crate::error::{AppError, AppResult, Json, Path};
use crate::state::AppState;

fn check_time(state: &AppState, send_at: Timestamp) -> AppResult<()> {
    if send_at <= state.now() {
        return Err(AppError::Api(
            ApiError::new(ErrorCode::Validation, "Pick a time in the future.")
                .with_field("send_at"),
        ));
    }
    Ok(())
}

/// The checks a post would make now (it is checked again when sent).
async fn check_postable(
    state: &AppState,
    author: UserId,
    channel_id: ChannelId,
    thread_root_id: Option<MessageId>,
    body: &str,
) -> AppResult<()> {
    validate_message_body(body, 0)?;
    let mut conn = state.db.acquire().await?;
    access::visible(&mut conn, channel_id, author)
        .await?
        .require_writable()?;
    if let Some(root) = thread_root_id {
        check_thread_root(&mut conn, channel_id, root).await?;
    }
    Ok(())
}

fn no_such() -> AppError {
    AppError::not_found("No such scheduled message.")
}

/// My send-later messages, soonest first.
#[utoipa::path(get, path = "/api/scheduled", tag = "messages",
    responses((status = 200, body = Vec<ScheduledMessage>), (status = 401, body = ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentSession,
) -> AppResult<Json<Vec<ScheduledMessage>>> {
    let rows = send_later::list_for(&state.db, me.user.id).await?;
    Ok(Json(
        rows.iter()
            .map(SendLaterRow::to_message)
            .collect::<Result<_, _>>()?,
    ))
}

/// Schedules a message; it is posted as me at `send_at`, even if I am offline.
#[utoipa::path(post, path = "/api/scheduled", tag = "messages",
    request_body = ScheduleMessageRequest,
    responses((status = 201, body = ScheduledMessage), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentSession,
    Json(request): Json<ScheduleMessageRequest>,
) -> AppResult<(StatusCode, Json<ScheduledMessage>)> {
    check_time(&state, request.send_at)?;
    check_postable(
        &state,
        me.user.id,
        request.channel_id,
        request.thread_root_id,
        &request.body,
    )
    .await?;
    let mut row = SendLaterRow {
        id: Uuid::new_v4().to_string(),
        author_id: me.user.id.to_string(),
        channel_id: request.channel_id.to_string(),
        thread_root_id: request.thread_root_id.map(|id| id.to_string()),
        body: request.body,
        send_at: request.send_at,
        created_at: state.now(),
        urgency: None,
    };
    row.set_urgency(request.urgency);
    send_later::insert(&state.db, &row).await?;
    state.send_later_task.notify_one();
    Ok((StatusCode::CREATED, Json(row.to_message()?)))
}

/// Changes the text, time or urgency of one of my send-later messages.
#[utoipa::path(patch, path = "/api/scheduled/{id}", tag = "messages",
    request_body = UpdateScheduledRequest,
    params(("id" = Uuid, Path, description = "Scheduled message id")),
    responses((status = 200, body = ScheduledMessage), (status = 401, body = ApiError),
              (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
    Json(request): Json<UpdateScheduledRequest>,
) -> AppResult<Json<ScheduledMessage>> {
    let mut row = send_later::find_own(&state.db, id, me.user.id)
        .await?
        .ok_or_else(no_such)?;
    if let Some(send_at) = request.send_at {
        check_time(&state, send_at)?;
        row.send_at = send_at;
    }
    if let Some(body) = request.body {
        validate_message_body(&body, 0)?;
        row.body = body;
    }
    if let Some(urgency) = request.urgency {
        row.set_urgency(Some(urgency));
    }
    send_later::update(&state.db, &row).await?;
    // It may have been sent in the meantime; then this changed nothing.
    let row = send_later::find_own(&state.db, id, me.user.id)
        .await?
        .ok_or_else(no_such)?;
    state.send_later_task.notify_one();
    Ok(Json(row.to_message()?))
}

/// Cancels one of my send-later messages.
#[utoipa::path(delete, path = "/api/scheduled/{id}", tag = "messages",
    params(("id" = Uuid, Path, description = "Scheduled message id")),
    responses((status = 204, description = "Cancelled"), (status = 401, body = ApiError),
              (status = 404, body = ApiError)))]
pub async fn delete(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<StatusCode> {
    let row = send_later::find_own(&state.db, id, me.user.id)
        .await?
        .ok_or_else(no_such)?;
    if send_later::delete(&state.db, &row.id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(no_such())
    }
}

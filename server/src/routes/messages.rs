//! Reading messages: history pages, pins and threads. Changes are WebSocket commands.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde::Deserialize;
use tandem_protocol::chat::{Message, MessagePage, Thread, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use tandem_protocol::{ApiError, ErrorCode, Seq};
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::extract::{AnySession, CurrentSession, GUESTS_ONLY_THEIR_MEETING};
use crate::chat::access;
use crate::db::messages;
use crate::error::{AppError, AppResult, Json, Path};
use crate::state::AppState;

/// A query-string rejection as an `ApiError`.
pub fn bad_query(rejection: QueryRejection) -> AppError {
    AppError::new(ErrorCode::BadRequest, rejection.body_text())
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PageQuery {
    /// Only messages older than this seq.
    pub before: Option<Seq>,
    /// At most this many (1 ..= 200, default 50).
    pub limit: Option<u32>,
    /// A page centred on this message instead.
    pub around: Option<Uuid>,
}

/// History of the channel, oldest first: top-level messages plus thread replies that
/// were also sent to the channel.
#[utoipa::path(get, path = "/api/channels/{id}/messages", tag = "messages",
    params(("id" = Uuid, Path, description = "Channel id"), PageQuery),
    responses((status = 200, body = MessagePage), (status = 401, body = ApiError),
              (status = 404, body = ApiError)))]
pub async fn page(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> AppResult<Json<MessagePage>> {
    let Query(query) = query.map_err(bad_query)?;
    let limit = i64::from(
        query
            .limit
            .unwrap_or(DEFAULT_PAGE_SIZE)
            .clamp(1, MAX_PAGE_SIZE),
    );
    let mut conn = state.db.acquire().await?;
    access::visible(&mut conn, id, me.user.id).await?;
    if let Some(around) = query.around {
        let mut target = messages::find(&mut conn, around)
            .await?
            .filter(|row| row.channel_id == id.to_string())
            .ok_or_else(|| AppError::not_found("No such message in this channel."))?;
        // A reply shown only in its thread: centre on its root instead.
        if let (Some(root), false) = (target.thread_root()?, target.also_in_channel) {
            if let Some(root) = messages::find(&mut conn, root).await? {
                target = root;
            }
        }
        let half = (limit / 2).max(1);
        let mut older = messages::before(&mut conn, id, target.seq, half + 1).await?;
        let has_older = older.len() as i64 > half;
        older.truncate(half as usize);
        older.reverse();
        let mut newer = messages::after(&mut conn, id, target.seq, half + 1).await?;
        let has_newer = newer.len() as i64 > half;
        newer.truncate(half as usize);
        let mut rows = older;
        rows.push(target);
        rows.extend(newer);
        return Ok(Json(MessagePage {
            messages: messages::load_all(&mut conn, &rows).await?,
            has_older,
            has_newer,
        }));
    }
    let before = query.before.unwrap_or(i64::MAX);
    let mut rows = messages::before(&mut conn, id, before, limit + 1).await?;
    let has_older = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    rows.reverse();
    Ok(Json(MessagePage {
        messages: messages::load_all(&mut conn, &rows).await?,
        has_older,
        has_newer: false,
    }))
}

/// The channel's pinned messages, oldest first.
#[utoipa::path(get, path = "/api/channels/{id}/pins", tag = "messages",
    params(("id" = Uuid, Path, description = "Channel id")),
    responses((status = 200, body = Vec<Message>), (status = 401, body = ApiError),
              (status = 404, body = ApiError)))]
pub async fn pins(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<Json<Vec<Message>>> {
    let mut conn = state.db.acquire().await?;
    access::visible(&mut conn, id, me.user.id).await?;
    let rows = messages::pinned(&mut conn, id).await?;
    Ok(Json(messages::load_all(&mut conn, &rows).await?))
}

/// The thread a message belongs to (given the root or any reply). A guest may read
/// only their meeting card's thread (the in-meeting chat history).
#[utoipa::path(get, path = "/api/messages/{id}/thread", tag = "messages",
    params(("id" = Uuid, Path, description = "Message id")),
    responses((status = 200, body = Thread), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn thread(
    State(state): State<AppState>,
    me: AnySession,
    Path(id): Path<Uuid>,
) -> AppResult<Json<Thread>> {
    let mut conn = state.db.acquire().await?;
    let mut root = match &me.guest {
        Some(guest) => {
            let row = messages::find(&mut conn, id).await?;
            let card = guest.card_message_id;
            match row {
                Some(row) if row.message_id()? == card || row.thread_root()? == Some(card) => row,
                _ => return Err(AppError::forbidden(GUESTS_ONLY_THEIR_MEETING)),
            }
        }
        None => access::visible_message(&mut conn, id, me.user.id).await?.0,
    };
    if let Some(root_id) = root.thread_root()? {
        root = messages::find(&mut conn, root_id)
            .await?
            .ok_or_else(|| AppError::not_found("No such message."))?;
    }
    let replies = messages::replies(&mut conn, root.message_id()?).await?;
    Ok(Json(Thread {
        root: messages::load(&mut conn, &root).await?,
        replies: messages::load_all(&mut conn, &replies).await?,
    }))
}

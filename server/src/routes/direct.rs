//! Direct messages: one channel per set of people, found again when reopened.

use axum::extract::State;
use axum::http::StatusCode;
use tandem_protocol::chat::{Channel, ChannelKind, OpenDirectRequest, MAX_DIRECT_MEMBERS};
use tandem_protocol::ws::Event;
use tandem_protocol::{ApiError, ErrorCode};
use uuid::Uuid;

use super::channels::other_people;
use crate::auth::extract::CurrentSession;
use crate::db::{channels, events};
use crate::error::{AppError, AppResult, Json};
use crate::realtime::audience::Audience;
use crate::state::AppState;

/// Opens the DM between me and 1 ..= 7 others, or returns the existing one for the
/// same set of people (200 found, 201 created).
#[utoipa::path(post, path = "/api/direct", tag = "channels", request_body = OpenDirectRequest,
    responses((status = 200, description = "The existing DM", body = Channel),
              (status = 201, description = "A new DM", body = Channel),
              (status = 401, body = ApiError), (status = 422, body = ApiError)))]
pub async fn open(
    State(state): State<AppState>,
    me: CurrentSession,
    Json(request): Json<OpenDirectRequest>,
) -> AppResult<(StatusCode, Json<Channel>)> {
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    let others = other_people(&mut tx, me.user.id, &request.user_ids).await?;
    if others.is_empty() || others.len() + 1 > MAX_DIRECT_MEMBERS {
        return Err(AppError::Api(
            ApiError::new(
                ErrorCode::Validation,
                format!(
                    "A direct message is between 2 and {MAX_DIRECT_MEMBERS} people, you included."
                ),
            )
            .with_field("user_ids"),
        ));
    }
    let mut people = others;
    people.push(me.user.id);
    people.sort();
    let key = people
        .iter()
        .map(Uuid::to_string)
        .collect::<Vec<_>>()
        .join(",");
    if let Some(row) = channels::find_direct(&mut *tx, &key).await? {
        return Ok((
            StatusCode::OK,
            Json(channels::to_channel(&mut tx, &row).await?),
        ));
    }
    let id = Uuid::new_v4();
    let now = state.now();
    let new = channels::NewChannel {
        id,
        kind: ChannelKind::Direct,
        name: "",
        topic: "",
        created_by: me.user.id,
        created_at: now,
        direct_key: Some(&key),
    };
    channels::insert(&mut *tx, &new).await?;
    let head = events::head(&mut *tx).await?;
    for person in &people {
        channels::add_member(&mut *tx, id, *person, now, head).await?;
    }
    let row = channels::find(&mut *tx, id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("new DM vanished"))?;
    let channel = channels::to_channel(&mut tx, &row).await?;
    // Carries `member_ids`: members' connections learn the channel from this event.
    let event = Event::ChannelUpdated {
        channel: channel.clone(),
    };
    writer.append(&mut tx, Audience::Channel(id), event).await?;
    writer.commit(tx).await?;
    Ok((StatusCode::CREATED, Json(channel)))
}

//! Channels: list, browse, create, read, update (rename / topic / archive), join,
//! leave, members. Membership changes go out as `member_joined` / `member_left` to the
//! channel and the person concerned; channel changes as `channel_updated` (to the
//! whole workspace for public channels, to members otherwise).

use axum::extract::State;
use axum::http::StatusCode;
use sqlx::AnyConnection;
use tandem_protocol::api::User;
use tandem_protocol::chat::{
    validate_channel_name, validate_topic, AddMembersRequest, Channel, ChannelId, ChannelKind,
    CreateChannelRequest, MyChannel, UpdateChannelRequest,
};
use tandem_protocol::ws::Event;
use tandem_protocol::{ApiError, ErrorCode, UserId};
use uuid::Uuid;

use crate::auth::extract::CurrentSession;
use crate::chat::access::{self, ARCHIVED};
use crate::db::{self, channels, events, users};
use crate::error::{AppError, AppResult, Json, Path};
use crate::realtime::audience::Audience;
use crate::realtime::log::LogWriter;
use crate::state::AppState;

/// Who hears about changes to the channel itself.
pub fn channel_audience(channel: &Channel) -> Audience {
    match channel.kind {
        ChannelKind::Public => Audience::Workspace,
        _ => Audience::Channel(channel.id),
    }
}

/// Names are unique among the channels the person can see, never beyond: a private
/// channel they are not in does not make a name taken (see `channels::name_taken_for`).
fn name_taken() -> AppError {
    AppError::Api(
        ApiError::new(
            ErrorCode::Conflict,
            "A channel with this name already exists.",
        )
        .with_field("name"),
    )
}

/// The distinct, active people among `ids` other than `me`; unknown ones are a 422.
pub async fn other_people(
    conn: &mut AnyConnection,
    me: UserId,
    ids: &[UserId],
) -> AppResult<Vec<UserId>> {
    let mut wanted: Vec<UserId> = Vec::new();
    for id in ids {
        if *id != me && !wanted.contains(id) {
            wanted.push(*id);
        }
    }
    let active = users::active_among(conn, &wanted).await?;
    if active.len() != wanted.len() {
        return Err(AppError::Api(
            ApiError::new(
                ErrorCode::Validation,
                "Some of these people are not in the workspace.",
            )
            .with_field("user_ids"),
        ));
    }
    Ok(wanted)
}

/// Adds people and announces each join, then the channel's new state.
async fn add_people(
    writer: &mut LogWriter<'_>,
    tx: &mut AnyConnection,
    channel_id: ChannelId,
    people: &[UserId],
    now: i64,
) -> AppResult<Channel> {
    // Newcomers start caught up rather than with the whole history unread.
    let head = events::head(&mut *tx).await?;
    for user_id in people {
        if channels::add_member(&mut *tx, channel_id, *user_id, now, head).await? {
            let event = Event::MemberJoined {
                channel_id,
                user_id: *user_id,
            };
            writer
                .append(tx, Audience::ChannelAndUser(channel_id, *user_id), event)
                .await?;
        }
    }
    announce(writer, tx, channel_id).await
}

/// Appends `channel_updated` with the channel's current state and returns it.
async fn announce(
    writer: &mut LogWriter<'_>,
    tx: &mut AnyConnection,
    channel_id: ChannelId,
) -> AppResult<Channel> {
    let row = channels::find(&mut *tx, channel_id)
        .await?
        .ok_or_else(|| AppError::not_found("No such channel."))?;
    let channel = channels::to_channel(&mut *tx, &row).await?;
    let event = Event::ChannelUpdated {
        channel: channel.clone(),
    };
    writer.append(tx, channel_audience(&channel), event).await?;
    Ok(channel)
}

/// My channels and DMs, with read positions and unread / mention counts.
#[utoipa::path(get, path = "/api/channels", tag = "channels",
    responses((status = 200, body = Vec<MyChannel>), (status = 401, body = ApiError)))]
pub async fn mine(
    State(state): State<AppState>,
    me: CurrentSession,
) -> AppResult<Json<Vec<MyChannel>>> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(channels::mine(&mut conn, me.user.id).await?))
}

/// Public, unarchived channels, including ones I am not in.
#[utoipa::path(get, path = "/api/channels/browse", tag = "channels",
    responses((status = 200, body = Vec<Channel>), (status = 401, body = ApiError)))]
pub async fn browse(
    State(state): State<AppState>,
    _me: CurrentSession,
) -> AppResult<Json<Vec<Channel>>> {
    let mut conn = state.db.acquire().await?;
    let rows = channels::browse(&mut *conn).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        out.push(channels::to_channel(&mut conn, row).await?);
    }
    Ok(Json(out))
}

/// Creates a public or private channel with the creator (and `member_ids`) in it.
#[utoipa::path(post, path = "/api/channels", tag = "channels", request_body = CreateChannelRequest,
    responses((status = 201, body = Channel), (status = 401, body = ApiError),
              (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentSession,
    Json(request): Json<CreateChannelRequest>,
) -> AppResult<(StatusCode, Json<Channel>)> {
    if request.kind == ChannelKind::Direct {
        return Err(AppError::Api(
            ApiError::new(
                ErrorCode::Validation,
                "Direct messages are opened with POST /api/direct.",
            )
            .with_field("kind"),
        ));
    }
    validate_channel_name(&request.name)?;
    let topic = request.topic.trim();
    validate_topic(topic)?;
    let now = state.now();
    let id = Uuid::new_v4();
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    let mut people = vec![me.user.id];
    people.extend(other_people(&mut tx, me.user.id, &request.member_ids).await?);
    if channels::name_taken_for(&mut *tx, &request.name, me.user.id, None).await? {
        return Err(name_taken());
    }
    let new = channels::NewChannel {
        id,
        kind: request.kind,
        name: &request.name,
        topic,
        created_by: me.user.id,
        created_at: now,
        direct_key: None,
    };
    match channels::insert(&mut *tx, &new).await {
        Err(err) if db::is_unique_violation(&err) => return Err(name_taken()),
        other => other?,
    }
    // Joins first, so members' connections know the channel before it is announced.
    let channel = add_people(&mut writer, &mut tx, id, &people, now).await?;
    writer.commit(tx).await?;
    Ok((StatusCode::CREATED, Json(channel)))
}

/// A channel I can see (public, or one I am in).
#[utoipa::path(get, path = "/api/channels/{id}", tag = "channels",
    params(("id" = Uuid, Path, description = "Channel id")),
    responses((status = 200, body = Channel), (status = 401, body = ApiError),
              (status = 404, body = ApiError)))]
pub async fn get(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<Json<Channel>> {
    let mut conn = state.db.acquire().await?;
    let channel = access::visible(&mut conn, id, me.user.id).await?;
    Ok(Json(channels::to_channel(&mut conn, &channel.row).await?))
}

/// Members rename, re-topic and set the default urgency of new messages; the creator
/// or an admin archives / unarchives.
/// An archived channel accepts nothing but unarchiving.
#[utoipa::path(patch, path = "/api/channels/{id}", tag = "channels",
    request_body = UpdateChannelRequest,
    params(("id" = Uuid, Path, description = "Channel id")),
    responses((status = 200, body = Channel), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
    Json(request): Json<UpdateChannelRequest>,
) -> AppResult<Json<Channel>> {
    if let Some(name) = &request.name {
        validate_channel_name(name)?;
    }
    if let Some(topic) = &request.topic {
        validate_topic(topic.trim())?;
    }
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    let channel = access::visible(&mut tx, id, me.user.id).await?;
    let row = &channel.row;
    let name = request.name.clone().unwrap_or_else(|| row.name.clone());
    let topic = request
        .topic
        .as_deref()
        .map(|t| t.trim().to_string())
        .unwrap_or_else(|| row.topic.clone());
    let archived = request.archived.unwrap_or(row.archived);
    let renames = name != row.name || topic != row.topic;
    if renames {
        if channel.kind() == ChannelKind::Direct {
            return Err(AppError::forbidden(
                "Direct messages have no name or topic.",
            ));
        }
        channel.require_member()?;
        if row.archived && archived {
            return Err(AppError::forbidden(ARCHIVED));
        }
    }
    if archived != row.archived {
        let creator = row.created_by()? == me.user.id;
        if channel.kind() == ChannelKind::Direct || !(creator || me.is_admin()) {
            return Err(AppError::forbidden(
                "Only the channel's creator or an admin can archive it.",
            ));
        }
    }
    let current_urgency = db::urgency::parse_urgency(&row.default_urgency);
    let default_urgency = request.default_urgency.unwrap_or(current_urgency);
    let urgency_changes = default_urgency != current_urgency;
    if urgency_changes {
        // Any member may set what new messages default to (DMs included).
        channel.require_writable()?;
    }
    if !renames && archived == row.archived && !urgency_changes {
        return Ok(Json(channels::to_channel(&mut tx, row).await?));
    }
    if name != row.name && channels::name_taken_for(&mut *tx, &name, me.user.id, Some(id)).await? {
        return Err(name_taken());
    }
    match channels::update(&mut *tx, id, &name, &topic, archived).await {
        Err(err) if db::is_unique_violation(&err) => return Err(name_taken()),
        other => other?,
    }
    if urgency_changes {
        channels::set_default_urgency(&mut *tx, id, default_urgency).await?;
    }
    let channel = announce(&mut writer, &mut tx, id).await?;
    writer.commit(tx).await?;
    Ok(Json(channel))
}

/// Joins a public channel (no-op if already in it).
#[utoipa::path(post, path = "/api/channels/{id}/join", tag = "channels",
    params(("id" = Uuid, Path, description = "Channel id")),
    responses((status = 204, description = "Joined"), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn join(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<StatusCode> {
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    let channel = access::visible(&mut tx, id, me.user.id).await?;
    if channel.member {
        return Ok(StatusCode::NO_CONTENT);
    }
    if channel.row.archived {
        return Err(AppError::forbidden(ARCHIVED));
    }
    add_people(&mut writer, &mut tx, id, &[me.user.id], state.now()).await?;
    writer.commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Leaves a channel (no-op if not in it). Direct messages cannot be left.
#[utoipa::path(post, path = "/api/channels/{id}/leave", tag = "channels",
    params(("id" = Uuid, Path, description = "Channel id")),
    responses((status = 204, description = "Left"), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn leave(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<StatusCode> {
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    let channel = access::visible(&mut tx, id, me.user.id).await?;
    if channel.kind() == ChannelKind::Direct {
        return Err(AppError::forbidden("Direct messages cannot be left."));
    }
    if !channel.member {
        return Ok(StatusCode::NO_CONTENT);
    }
    channels::remove_member(&mut *tx, id, me.user.id).await?;
    let event = Event::MemberLeft {
        channel_id: id,
        user_id: me.user.id,
    };
    writer
        .append(&mut tx, Audience::ChannelAndUser(id, me.user.id), event)
        .await?;
    announce(&mut writer, &mut tx, id).await?;
    writer.commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The channel's members.
#[utoipa::path(get, path = "/api/channels/{id}/members", tag = "channels",
    params(("id" = Uuid, Path, description = "Channel id")),
    responses((status = 200, body = Vec<User>), (status = 401, body = ApiError),
              (status = 404, body = ApiError)))]
pub async fn members(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<Json<Vec<User>>> {
    let mut conn = state.db.acquire().await?;
    access::visible(&mut conn, id, me.user.id).await?;
    let rows = users::in_channel(&mut *conn, id).await?;
    Ok(Json(
        rows.iter()
            .map(|row| row.to_user())
            .collect::<Result<_, _>>()?,
    ))
}

/// Members add people to public and private channels (not to direct messages).
#[utoipa::path(post, path = "/api/channels/{id}/members", tag = "channels",
    request_body = AddMembersRequest,
    params(("id" = Uuid, Path, description = "Channel id")),
    responses((status = 204, description = "Added"), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn add_members(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
    Json(request): Json<AddMembersRequest>,
) -> AppResult<StatusCode> {
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    let channel = access::visible(&mut tx, id, me.user.id).await?;
    if channel.kind() == ChannelKind::Direct {
        return Err(AppError::forbidden(
            "People cannot be added to a direct message; open a new one.",
        ));
    }
    channel.require_writable()?;
    let people = other_people(&mut tx, me.user.id, &request.user_ids).await?;
    if !people.is_empty() {
        add_people(&mut writer, &mut tx, id, &people, state.now()).await?;
        writer.commit(tx).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

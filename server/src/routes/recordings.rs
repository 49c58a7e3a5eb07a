//! Meeting recordings over REST: the resumable upload, finishing, the library,
//! playback (with Range support) and thumbnails, and the playback timeline. Rules are
//! in `crate::recordings::access`.

use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tandem_protocol::recordings::{
    ChunkAck, Recording, RecordingState, StartRecordingRequest, Timeline, TimelineMarker,
    UpdateRecordingRequest, UploadState, CHUNK_CHECKSUM_HEADER, MAX_CHUNK_BYTES,
    MAX_RECORDING_TITLE_CHARS,
};
use tandem_protocol::{ApiError, ErrorCode};
use tower::ServiceExt;
use tower_http::services::ServeFile;
use utoipa::IntoParams;
use uuid::Uuid;

use super::messages::bad_query;
use crate::auth::extract::CurrentSession;
use crate::db::meetings;
use crate::db::recordings::{self, ListFilter, JOINED, LEFT};
use crate::error::{AppError, AppResult, Json, Path};
use crate::recordings::{access, files, lifecycle, upload};
use crate::state::AppState;
use crate::user_content;

/// Thumbnails: a small still image.
pub const MAX_THUMBNAIL_BYTES: usize = 1024 * 1024;

fn too_large(limit: usize) -> AppError {
    AppError::new(
        ErrorCode::PayloadTooLarge,
        format!("This can be at most {limit} bytes."),
    )
}

/// The raw body, refused (413) beyond `limit` (declared or actual).
async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> AppResult<Bytes> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large(limit));
    }
    axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| too_large(limit))
}

/// Starts recording the meeting: a host (its host or an admin) who is in the room.
/// Everyone in the meeting is told (`recording_changed`, and `Meeting.recording`).
#[utoipa::path(post, path = "/api/meetings/{id}/recordings", tag = "recordings",
    params(("id" = Uuid, Path, description = "Meeting id")), request_body = StartRecordingRequest,
    responses((status = 201, body = Recording), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 409, body = ApiError), (status = 410, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn start(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
    Json(request): Json<StartRecordingRequest>,
) -> AppResult<(StatusCode, Json<Recording>)> {
    access::require_meeting_visible(&state, id, &me.user).await?;
    let recording = lifecycle::start(&state, id, &me.user, &request.mime_type).await?;
    Ok((StatusCode::CREATED, Json(recording)))
}

/// Stores chunk `index` (starter only): the raw bytes with their SHA-256 in
/// `x-chunk-sha256`. In order from 0; a chunk already stored is acknowledged again;
/// a gap is 409, a wrong checksum 422, and a refused chunk appends nothing.
#[utoipa::path(put, path = "/api/recordings/{id}/chunks/{index}", tag = "recordings",
    params(("id" = Uuid, Path, description = "Recording id"),
           ("index" = u32, Path, description = "Chunk index")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
                 description = "The chunk"),
    responses((status = 200, body = ChunkAck), (status = 400, body = ApiError),
              (status = 401, body = ApiError), (status = 403, body = ApiError),
              (status = 404, body = ApiError), (status = 409, body = ApiError),
              (status = 413, body = ApiError), (status = 422, body = ApiError)))]
pub async fn put_chunk(
    State(state): State<AppState>,
    me: CurrentSession,
    Path((id, index)): Path<(Uuid, u32)>,
    headers: HeaderMap,
    body: Body,
) -> AppResult<Json<ChunkAck>> {
    let row = access::viewable(&state, id, &me.user).await?;
    access::require_starter(&row, &me.user)?;
    let checksum = headers
        .get(CHUNK_CHECKSUM_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .ok_or_else(|| {
            AppError::new(
                ErrorCode::BadRequest,
                format!("Send the chunk's SHA-256 in {CHUNK_CHECKSUM_HEADER}."),
            )
        })?;
    let bytes = read_body(&headers, body, MAX_CHUNK_BYTES).await?;
    Ok(Json(
        upload::put_chunk(&state, id, index, &checksum, &bytes).await?,
    ))
}

/// Where the upload stands (starter only), so a reloaded recorder can resume.
#[utoipa::path(get, path = "/api/recordings/{id}/upload", tag = "recordings",
    params(("id" = Uuid, Path, description = "Recording id")),
    responses((status = 200, body = UploadState), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn upload_state(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<Json<UploadState>> {
    let row = access::viewable(&state, id, &me.user).await?;
    access::require_starter(&row, &me.user)?;
    Ok(Json(UploadState {
        next_index: row.next_index.max(0) as u32,
        size_bytes: row.size_bytes.max(0) as u64,
        state: row.state(),
    }))
}

/// Stops and finalises the recording (its starter or a host); its card is posted in
/// the channel.
#[utoipa::path(post, path = "/api/recordings/{id}/finish", tag = "recordings",
    params(("id" = Uuid, Path, description = "Recording id")),
    responses((status = 200, body = Recording), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 409, body = ApiError)))]
pub async fn finish(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<Json<Recording>> {
    let row = access::viewable(&state, id, &me.user).await?;
    access::require_starter_or_host(&state, &row, &me.user).await?;
    if row.state() != RecordingState::Recording {
        return Err(upload::ended());
    }
    let row = lifecycle::finalise(&state, id, RecordingState::Complete).await?;
    Ok(Json(lifecycle::describe(&state, &row).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// Only this channel's recordings.
    pub channel_id: Option<Uuid>,
    /// Only recordings of meetings this user attended.
    pub participant: Option<Uuid>,
    /// Matches the title or the in-meeting chat.
    pub q: Option<String>,
}

/// Recordings in the channels the caller can see, newest first.
#[utoipa::path(get, path = "/api/recordings", tag = "recordings", params(ListQuery),
    responses((status = 200, body = Vec<Recording>), (status = 400, body = ApiError),
              (status = 401, body = ApiError), (status = 403, body = ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentSession,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> AppResult<Json<Vec<Recording>>> {
    let Query(query) = query.map_err(bad_query)?;
    let q = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let rows = recordings::list(
        &state.db,
        &ListFilter {
            viewer: me.user.id,
            channel_id: query.channel_id,
            participant: query.participant,
            q,
        },
    )
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        out.push(lifecycle::describe(&state, row).await?);
    }
    Ok(Json(out))
}

/// A recording (people who can see its channel; anyone else 403).
#[utoipa::path(get, path = "/api/recordings/{id}", tag = "recordings",
    params(("id" = Uuid, Path, description = "Recording id")),
    responses((status = 200, body = Recording), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn get(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<Json<Recording>> {
    let row = access::viewable(&state, id, &me.user).await?;
    Ok(Json(lifecycle::describe(&state, &row).await?))
}

/// Renames a recording (its starter or an admin).
#[utoipa::path(patch, path = "/api/recordings/{id}", tag = "recordings",
    params(("id" = Uuid, Path, description = "Recording id")),
    request_body = UpdateRecordingRequest,
    responses((status = 200, body = Recording), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn update(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
    Json(request): Json<UpdateRecordingRequest>,
) -> AppResult<Json<Recording>> {
    let row = access::viewable(&state, id, &me.user).await?;
    access::require_starter_or_admin(&row, &me.user)?;
    if let Some(title) = request.title {
        let title = title.trim();
        let n = title.chars().count();
        if n == 0 || n > MAX_RECORDING_TITLE_CHARS || title.chars().any(char::is_control) {
            return Err(AppError::Api(
                ApiError::new(
                    ErrorCode::Validation,
                    format!("A title has 1 to {MAX_RECORDING_TITLE_CHARS} characters."),
                )
                .with_field("title"),
            ));
        }
        recordings::set_title(&state.db, id, title).await?;
    }
    let row = access::find(&state, id).await?;
    Ok(Json(lifecycle::describe(&state, &row).await?))
}

/// Deletes a recording and its files (its starter or an admin). Its card stays and
/// shows that it was deleted.
#[utoipa::path(delete, path = "/api/recordings/{id}", tag = "recordings",
    params(("id" = Uuid, Path, description = "Recording id")),
    responses((status = 204, description = "Deleted"), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 409, body = ApiError)))]
pub async fn delete(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<StatusCode> {
    let row = access::viewable(&state, id, &me.user).await?;
    access::require_starter_or_admin(&row, &me.user)?;
    if row.state() == RecordingState::Recording {
        return Err(AppError::new(
            ErrorCode::Conflict,
            "Stop the recording before deleting it.",
        ));
    }
    crate::recordings::delete(&state, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct MediaQuery {
    /// `1`: download (Content-Disposition: attachment) instead of playing.
    pub download: Option<String>,
}

/// The recorded WebM, with Range support (206 / 416), for people who can see its
/// channel, always as `video/webm` (or `audio/webm`). 409 while it is still being
/// recorded.
#[utoipa::path(get, path = "/api/recordings/{id}/media", tag = "recordings",
    params(("id" = Uuid, Path, description = "Recording id"), MediaQuery),
    responses((status = 200, description = "The whole file (headers: `crate::user_content`)",
               body = Vec<u8>, content_type = "video/webm"),
              (status = 206, description = "A range", body = Vec<u8>, content_type = "video/webm"),
              (status = 401, body = ApiError), (status = 403, body = ApiError),
              (status = 404, body = ApiError), (status = 409, body = ApiError),
              (status = 416, description = "Range not satisfiable")))]
pub async fn media(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
    query: Result<Query<MediaQuery>, QueryRejection>,
    request: Request,
) -> AppResult<Response> {
    let Query(query) = query.map_err(bad_query)?;
    let row = access::viewable(&state, id, &me.user).await?;
    if row.state() == RecordingState::Recording {
        return Err(AppError::new(
            ErrorCode::Conflict,
            "This recording is still being made.",
        ));
    }
    let path = files::media(&state.config.data_dir, id);
    let mut response = ServeFile::new(path)
        .oneshot(request)
        .await
        .map_err(|e| anyhow::anyhow!("serving recording {id}: {e}"))?
        .map(Body::new);
    // Whatever type the recording was started with (older servers accepted any
    // `video/*` or `audio/*` string), it is served as WebM.
    let kind = if row.mime_type.starts_with("audio/") {
        "audio/webm"
    } else {
        "video/webm"
    };
    let download = query.download.as_deref() == Some("1");
    let name = format!("{}.webm", row.title);
    user_content::apply(response.headers_mut(), &state.config, kind, &name, download);
    Ok(response)
}

/// The image type by its first bytes (JPEG, PNG or WebP); anything else is refused.
fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// Sets the recording's thumbnail (starter only): a raw JPEG, PNG or WebP ≤ 1 MiB.
#[utoipa::path(post, path = "/api/recordings/{id}/thumbnail", tag = "recordings",
    params(("id" = Uuid, Path, description = "Recording id")),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "The image"),
    responses((status = 204, description = "Stored"), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 413, body = ApiError), (status = 415, body = ApiError)))]
pub async fn put_thumbnail(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    body: Body,
) -> AppResult<StatusCode> {
    let row = access::viewable(&state, id, &me.user).await?;
    access::require_starter(&row, &me.user)?;
    let bytes = read_body(&headers, body, MAX_THUMBNAIL_BYTES).await?;
    if image_type(&bytes).is_none() {
        return Err(AppError::new(
            ErrorCode::UnsupportedMediaType,
            "A thumbnail is a JPEG, PNG or WebP image.",
        ));
    }
    let path = files::thumbnail(&state.config.data_dir, id);
    files::replace(&path, bytes.to_vec())
        .await
        .map_err(anyhow::Error::from)?;
    recordings::set_thumbnail(&state.db, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The recording's thumbnail (same people as the recording).
#[utoipa::path(get, path = "/api/recordings/{id}/thumbnail", tag = "recordings",
    params(("id" = Uuid, Path, description = "Recording id")),
    responses((status = 200, description = "The image (headers: `crate::user_content`)",
               body = Vec<u8>, content_type = "image/jpeg"),
              (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn thumbnail(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let row = access::viewable(&state, id, &me.user).await?;
    let none = || AppError::not_found("This recording has no thumbnail.");
    if !row.has_thumbnail {
        return Err(none());
    }
    let bytes = tokio::fs::read(files::thumbnail(&state.config.data_dir, id))
        .await
        .map_err(|_| none())?;
    let kind = image_type(&bytes).unwrap_or("application/octet-stream");
    let mut response = bytes.into_response();
    let name = format!("{}.{}", row.title, kind.rsplit('/').next().unwrap_or("bin"));
    user_content::apply(response.headers_mut(), &state.config, kind, &name, false);
    Ok(response)
}

/// What happened during the recording, in time order: the in-meeting chat, joins,
/// leaves and screen shares, each `at_ms` after it started.
#[utoipa::path(get, path = "/api/recordings/{id}/timeline", tag = "recordings",
    params(("id" = Uuid, Path, description = "Recording id")),
    responses((status = 200, body = Timeline), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn timeline(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<Json<Timeline>> {
    let row = access::viewable(&state, id, &me.user).await?;
    let from = row.started_at;
    let to = row.ended_at.unwrap_or_else(|| state.now());
    let at = |t: i64| (t - from).max(0) as u64;
    let mut markers = Vec::new();
    if let Some(meeting) = meetings::find(&state.db, row.meeting()?).await? {
        for (author, message_id, text, created_at) in
            recordings::meeting_chat(&state.db, meeting.card()?, from, to).await?
        {
            markers.push(TimelineMarker::Chat {
                at_ms: at(created_at),
                message_id: crate::db::uuid(&message_id)?,
                author,
                text,
            });
        }
        for (kind, name, when) in
            recordings::meeting_events(&state.db, meeting.meeting_id()?, from, to).await?
        {
            let at_ms = at(when);
            markers.push(match kind.as_str() {
                JOINED => TimelineMarker::Joined { at_ms, name },
                LEFT => TimelineMarker::Left { at_ms, name },
                _ => TimelineMarker::ScreenShareStarted { at_ms, name },
            });
        }
    }
    markers.sort_by_key(TimelineMarker::at_ms);
    Ok(Json(Timeline { markers }))
}

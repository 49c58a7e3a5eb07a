//! File uploads (raw body, streamed to disk, within the uploader's quota) and
//! downloads with the headers of `crate::user_content`.

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tandem_protocol::chat::Attachment;
use tandem_protocol::{ApiError, ErrorCode};
use utoipa::IntoParams;
use uuid::Uuid;

use super::messages::bad_query;
use crate::auth::extract::CurrentSession;
use crate::chat::files::{self, StoreError};
use crate::db::{attachments, channels, messages};
use crate::error::{AppError, AppResult, Json, Path};
use crate::state::AppState;
use crate::user_content;

const MAX_FILE_NAME_CHARS: usize = 255;

#[derive(Debug, Deserialize, IntoParams)]
pub struct UploadQuery {
    /// The file's name as shown to people.
    pub name: String,
}

fn too_large(limit: u64) -> AppError {
    AppError::new(
        ErrorCode::PayloadTooLarge,
        format!("Files can be at most {limit} bytes."),
    )
}

fn clean_name(name: &str) -> AppResult<String> {
    let name = name.trim();
    let n = name.chars().count();
    if n == 0
        || n > MAX_FILE_NAME_CHARS
        || name
            .chars()
            .any(|c| c.is_control() || c == '/' || c == '\\')
        || name == "."
        || name == ".."
    {
        return Err(AppError::Api(
            ApiError::new(ErrorCode::Validation, "That is not a usable file name.")
                .with_field("name"),
        ));
    }
    Ok(name.to_string())
}

/// `type/subtype` from the Content-Type header, lower-case and without parameters;
/// `application/octet-stream` when absent or malformed.
fn clean_content_type(headers: &HeaderMap) -> String {
    let token = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$&^_.+-".contains(c))
    };
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .filter(|v| matches!(v.split_once('/'), Some((t, s)) if token(t) && token(s)))
        .unwrap_or_else(|| "application/octet-stream".to_string())
}

/// Uploads a file (the raw request body, with its Content-Type) to attach to a
/// message later. Identical content is stored once.
#[utoipa::path(post, path = "/api/uploads", tag = "messages", params(UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
                 description = "The file"),
    responses((status = 201, body = Attachment), (status = 401, body = ApiError),
              (status = 413, body = ApiError, description = "Too large, or the quota is full"),
              (status = 422, body = ApiError)))]
pub async fn upload(
    State(state): State<AppState>,
    me: CurrentSession,
    query: Result<Query<UploadQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> AppResult<(StatusCode, Json<Attachment>)> {
    let Query(query) = query.map_err(bad_query)?;
    let name = clean_name(&query.name)?;
    let limit = state.config.max_upload_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large(limit));
    }
    let mut row = attachments::AttachmentRow {
        id: Uuid::new_v4().to_string(),
        uploader_id: me.user.id.to_string(),
        name,
        content_type: clean_content_type(&headers),
        size: 0,
        sha256: String::new(),
        created_at: state.now(),
        message_id: None,
        used: false,
    };
    let record = |stored: &files::Stored| {
        let mut row = row.clone();
        row.size = stored.size as i64;
        row.sha256 = stored.sha256.clone();
        let db = state.db.clone();
        async move { attachments::insert(&db, &row).await }
    };
    let stored = match files::store(&state, me.user.id, body, limit, record).await {
        Ok(stored) => stored,
        Err(StoreError::TooLarge(limit)) => return Err(too_large(limit)),
        Err(StoreError::OverQuota { quota }) => return Err(files::over_quota(quota)),
        Err(StoreError::Body(err)) => {
            return Err(AppError::new(
                ErrorCode::BadRequest,
                format!("The upload was interrupted: {err}"),
            ))
        }
        Err(StoreError::Db(err)) => return Err(err.into()),
        Err(StoreError::Io(err)) => return Err(anyhow::Error::from(err).into()),
    };
    row.size = stored.size as i64;
    row.sha256 = stored.sha256;
    Ok((StatusCode::CREATED, Json(row.to_attachment()?)))
}

/// The file, for members of the channel of the message it is attached to (or its
/// uploader before it is attached). Everyone else gets 404.
#[utoipa::path(get, path = "/api/files/{id}/{name}", tag = "messages",
    params(("id" = Uuid, Path, description = "Attachment id"),
           ("name" = String, Path, description = "File name")),
    responses((status = 200, description = "The file's bytes (headers: `crate::user_content`)",
               body = Vec<u8>, content_type = "application/octet-stream"),
              (status = 401, body = ApiError), (status = 404, body = ApiError)))]
pub async fn download(
    State(state): State<AppState>,
    me: CurrentSession,
    Path((id, name)): Path<(Uuid, String)>,
) -> AppResult<Response> {
    let not_found = || AppError::not_found("No such file.");
    let mut conn = state.db.acquire().await?;
    let row = attachments::find(&mut *conn, id)
        .await?
        .filter(|row| row.name == name)
        .ok_or_else(not_found)?;
    let allowed = match &row.message_id {
        Some(message_id) => {
            let message = messages::find(&mut conn, crate::db::uuid(message_id)?)
                .await?
                .ok_or_else(not_found)?;
            channels::is_member(&mut *conn, message.channel()?, me.user.id).await?
        }
        None => !row.used && row.uploader_id == me.user.id.to_string(),
    };
    if !allowed {
        return Err(not_found());
    }
    drop(conn);
    let path = files::path_for(&state.config.data_dir, &row.sha256);
    let file = tokio::fs::File::open(&path)
        .await
        .map_err(|err| anyhow::anyhow!("attachment {id} content missing: {err}"))?;
    let mut response = Body::from_stream(tokio_util::io::ReaderStream::new(file)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_LENGTH,
        HeaderValue::from(row.size.max(0) as u64),
    );
    user_content::apply(headers, &state.config, &row.content_type, &row.name, false);
    Ok(response)
}

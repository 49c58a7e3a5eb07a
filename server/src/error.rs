//! One error type for every handler, rendered as `tandem_protocol::ApiError` JSON with
//! the status its code maps to; and a JSON extractor whose rejections render the same way.

use std::time::Duration;

use axum::extract::rejection::JsonRejection;
use axum::extract::FromRequest;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tandem_protocol::{ApiError, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A refusal meant for the client, shown as-is.
    #[error("{0}")]
    Api(ApiError),
    #[error("too many attempts")]
    RateLimited { retry_after: Duration },
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("internal error: {0}")]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError::Api(ApiError::new(code, message))
    }
    pub fn unauthenticated() -> Self {
        Self::new(ErrorCode::Unauthenticated, "Please sign in.")
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Forbidden, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }
}

/// Postgres's SQLSTATE for a byte its text cannot hold: a NUL character.
const NUL_IN_TEXT: &str = "22021";

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        // A NUL in a text field the validators do not cover: the input's fault, said
        // as such (SQLite would have stored it; the common fields refuse it first).
        if let sqlx::Error::Database(db) = &err {
            if db.code().as_deref() == Some(NUL_IN_TEXT) {
                return AppError::new(
                    ErrorCode::Validation,
                    "Text cannot contain the NUL character.",
                );
            }
        }
        AppError::Database(err)
    }
}

impl From<ApiError> for AppError {
    fn from(err: ApiError) -> Self {
        AppError::Api(err)
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// The body and status an `ApiError` is sent with.
pub fn api_error_response(err: ApiError) -> Response {
    let status =
        StatusCode::from_u16(err.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(err)).into_response()
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::Api(err) => api_error_response(err),
            AppError::RateLimited { retry_after } => {
                let secs = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
                let secs = secs.max(1);
                let mut response = api_error_response(ApiError::new(
                    ErrorCode::RateLimited,
                    format!("Too many attempts. Try again in {secs} seconds."),
                ));
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(secs));
                response
            }
            AppError::Database(err) => {
                tracing::error!(error = %err, "database error");
                internal()
            }
            AppError::Internal(err) => {
                tracing::error!(error = %err, "internal error");
                internal()
            }
        }
    }
}

fn internal() -> Response {
    api_error_response(ApiError::new(
        ErrorCode::Internal,
        "Something went wrong on the server.",
    ))
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        let (code, message) = match &rejection {
            JsonRejection::MissingJsonContentType(_) => (
                ErrorCode::UnsupportedMediaType,
                "Expected a JSON body (Content-Type: application/json).".to_string(),
            ),
            JsonRejection::JsonSyntaxError(err) => (
                ErrorCode::BadRequest,
                format!("Malformed JSON: {}", err.body_text()),
            ),
            JsonRejection::JsonDataError(err) => (
                ErrorCode::BadRequest,
                format!("Unexpected JSON: {}", err.body_text()),
            ),
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => (
                ErrorCode::PayloadTooLarge,
                "The request body is too large.".to_string(),
            ),
            other => (ErrorCode::BadRequest, other.body_text()),
        };
        AppError::new(code, message)
    }
}

/// `axum::Json`, but a rejection is an `ApiError` body: bad JSON → 400, wrong content
/// type → 415, too large → 413.
#[derive(Debug, Clone, Copy, Default, FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

impl From<axum::extract::rejection::PathRejection> for AppError {
    fn from(rejection: axum::extract::rejection::PathRejection) -> Self {
        AppError::new(
            ErrorCode::NotFound,
            format!("Not found: {}", rejection.body_text()),
        )
    }
}

/// `axum::extract::Path`, but a malformed id is a JSON 404.
#[derive(Debug, Clone, Copy, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct Path<T>(pub T);

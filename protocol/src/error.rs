use serde::{Deserialize, Serialize};

/// The one error body every REST endpoint returns: `{ "code": "...", "message": "..." }`.
/// `message` is written for people and shown as-is in the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// The request field the error is about, when there is one (for form hints).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

/// Machine-readable error kinds. Each maps to exactly one HTTP status, so the client
/// can rely on the code alone and the server cannot send a mismatched pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request could not be read (bad JSON, wrong content type, bad frame).
    BadRequest,
    /// No valid session.
    Unauthenticated,
    /// Signed in, but not allowed to do this.
    Forbidden,
    /// A state-changing request sent by a page of another site (its `Origin` or
    /// `Sec-Fetch-Site` is not this app's): refused whoever is signed in.
    CrossSiteRequest,
    NotFound,
    /// Conflicts with existing state (e.g. the email is taken).
    Conflict,
    /// It existed but is over for good (an expired or revoked guest link, an ended
    /// meeting): retrying will not help.
    Gone,
    PayloadTooLarge,
    UnsupportedMediaType,
    /// Well-formed but invalid (e.g. a password that is too short).
    Validation,
    RateLimited,
    Internal,
}

impl ErrorCode {
    pub const fn http_status(self) -> u16 {
        match self {
            ErrorCode::BadRequest => 400,
            ErrorCode::Unauthenticated => 401,
            ErrorCode::Forbidden | ErrorCode::CrossSiteRequest => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::Conflict => 409,
            ErrorCode::Gone => 410,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::Validation => 422,
            ErrorCode::RateLimited => 429,
            ErrorCode::Internal => 500,
        }
    }
}

//! One error type for every request the app makes.

use tandem_protocol::{ApiError, ErrorCode};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The server answered with an error body (or we synthesised one from its status).
    Api(ApiError),
    /// The request never got an answer: offline, server down, DNS, CORS.
    Network,
    /// The server answered 2xx with a body we cannot read (version skew, proxy page).
    Decode(String),
}

pub const NETWORK_MESSAGE: &str = "Can't reach the server. Check your connection and try again.";

impl Error {
    /// The text to show people. Never a raw status code.
    pub fn message(&self) -> String {
        match self {
            Error::Api(e) => e.message.clone(),
            Error::Network => NETWORK_MESSAGE.to_string(),
            Error::Decode(_) => {
                "The server sent a reply Tandem could not understand. Try reloading the page."
                    .to_string()
            }
        }
    }

    /// The request field this error is about, for showing it next to that input.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.field.as_deref(),
            _ => None,
        }
    }

    pub fn is_unauthenticated(&self) -> bool {
        matches!(self, Error::Api(e) if e.code == ErrorCode::Unauthenticated)
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(e)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Error {}

/// For an error response without a readable `ApiError` body (a proxy's HTML page, an
/// empty 502), a code and a human message that match the status.
pub fn fallback_error(status: u16) -> ApiError {
    let (code, message) = match status {
        400 => (
            ErrorCode::BadRequest,
            "The request could not be understood.",
        ),
        401 => (ErrorCode::Unauthenticated, "Please log in to continue."),
        403 => (ErrorCode::Forbidden, "You are not allowed to do that."),
        404 => (ErrorCode::NotFound, "That could not be found."),
        409 => (
            ErrorCode::Conflict,
            "That conflicts with something that already exists.",
        ),
        413 => (ErrorCode::PayloadTooLarge, "That is too large."),
        415 => (
            ErrorCode::UnsupportedMediaType,
            "The request could not be understood.",
        ),
        422 => (ErrorCode::Validation, "Please check what you entered."),
        429 => (
            ErrorCode::RateLimited,
            "Too many attempts. Please wait a moment and try again.",
        ),
        _ => (
            ErrorCode::Internal,
            "The server ran into a problem. Please try again shortly.",
        ),
    };
    ApiError::new(code, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_for_people() {
        assert_eq!(Error::Network.message(), NETWORK_MESSAGE);
        let e = Error::Api(ApiError::new(ErrorCode::Conflict, "Email taken").with_field("email"));
        assert_eq!(e.message(), "Email taken");
        assert_eq!(e.field(), Some("email"));
        for status in [400, 401, 404, 418, 500, 502] {
            assert!(!fallback_error(status).message.contains(&status.to_string()));
        }
        assert!(Error::Api(fallback_error(401)).is_unauthenticated());
        assert_eq!(fallback_error(503).code, ErrorCode::Internal);
    }
}

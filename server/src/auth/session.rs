//! Session tokens and the session cookie.
//!
//! The cookie carries a random 32-byte token (hex); the database stores only its
//! SHA-256, so a leaked database does not leak live sessions.

use axum::http::{header, HeaderMap, HeaderValue};
use sha2::{Digest, Sha256};
use tandem_protocol::UserId;
use uuid::Uuid;

use crate::db::{self, now_ms, sessions, Db};

pub const COOKIE_NAME: &str = "tandem_session";
pub const SESSION_TTL_MS: i64 = 30 * 24 * 60 * 60 * 1000;
const SESSION_TTL_SECS: i64 = SESSION_TTL_MS / 1000;
/// `last_seen_at` is written at most this often per session.
pub const TOUCH_INTERVAL_MS: i64 = 60 * 1000;
const MAX_USER_AGENT_CHARS: usize = 256;

pub fn new_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The session token from the request's `Cookie` header(s), if any.
pub fn token_from_headers(headers: &HeaderMap) -> Option<String> {
    cookie_from_headers(headers, COOKIE_NAME)
}

/// The non-empty value of the named cookie, if the request has one.
pub fn cookie_from_headers(headers: &HeaderMap, cookie: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == cookie && !value.is_empty())
        .map(|(_, value)| value.to_string())
}

/// Whether the cookie should be `Secure`: forced by config, or the request came over
/// https according to the reverse proxy.
pub fn is_secure(force: bool, headers: &HeaderMap) -> bool {
    force
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}

pub fn set_cookie(token: &str, secure: bool) -> HeaderValue {
    cookie_header(token, SESSION_TTL_SECS, secure)
}

pub fn clear_cookie(secure: bool) -> HeaderValue {
    cookie_header("", 0, secure)
}

fn cookie_header(value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text =
        format!("{COOKIE_NAME}={value}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}{secure}");
    // The token is hex and the rest is ASCII, so this cannot fail.
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub fn user_agent(headers: &HeaderMap) -> String {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .take(MAX_USER_AGENT_CHARS)
        .collect()
}

/// Creates a session and returns `(session id, token for the cookie)`.
pub async fn create(
    db: &Db,
    user_id: UserId,
    user_agent: &str,
) -> Result<(Uuid, String), sqlx::Error> {
    let id = Uuid::new_v4();
    let token = new_token();
    sessions::insert(db, id, user_id, &hash_token(&token), user_agent, now_ms()).await?;
    Ok((id, token))
}

/// The oldest `created_at` still alive now.
pub fn not_before(now: i64) -> i64 {
    now - SESSION_TTL_MS
}

/// Resolves a token to its live session and user, touching `last_seen_at`.
pub async fn resolve(
    db: &Db,
    token: &str,
) -> Result<Option<(sessions::SessionRow, db::users::UserRow)>, sqlx::Error> {
    let now = now_ms();
    let found = sessions::find_live(db, &hash_token(token), not_before(now)).await?;
    if let Some((session, _)) = &found {
        if now - session.last_seen_at >= TOUCH_INTERVAL_MS {
            sessions::touch(db, &session.id, now).await?;
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_session_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; tandem_session=abc; b=2"),
        );
        assert_eq!(token_from_headers(&headers).as_deref(), Some("abc"));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("tandem_session=; x=y"),
        );
        assert_eq!(token_from_headers(&headers), None);
        assert_eq!(token_from_headers(&HeaderMap::new()), None);
    }

    #[test]
    fn tokens_are_random_and_only_hashes_are_stored() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(hash_token(&a).len(), 64);
        assert_ne!(hash_token(&a), a);
    }

    #[test]
    fn secure_follows_config_or_forwarded_proto() {
        let mut headers = HeaderMap::new();
        assert!(!is_secure(false, &headers));
        assert!(is_secure(true, &headers));
        headers.insert("x-forwarded-proto", HeaderValue::from_static("https, http"));
        assert!(is_secure(false, &headers));
        assert!(set_cookie("t", true)
            .to_str()
            .unwrap()
            .ends_with("; Secure"));
    }
}

//! The known-device cookie: a random token set when an account signs in (or signs up)
//! from a browser, remembered for a year. With it, a correct password is never refused
//! by throttling that other people caused (see `rate_limit`). Only its SHA-256 is
//! stored; it is HttpOnly and sent only to `/api/auth`. One cookie per browser: the
//! account that signed in last is the one it vouches for.

use axum::http::{HeaderMap, HeaderValue};
use tandem_protocol::UserId;

use super::session::{cookie_from_headers, hash_token, new_token};
use crate::db::{sessions, Db};

pub const COOKIE_NAME: &str = "tandem_device";
pub const DEVICE_TTL_MS: i64 = 365 * 24 * 60 * 60 * 1000;
/// Devices remembered per account; signing in from more forgets the least recent.
pub const MAX_DEVICES_PER_USER: i64 = 20;

/// The hash of the request's known-device token if it vouches for `user_id` now.
pub async fn recognise(
    db: &Db,
    headers: &HeaderMap,
    user_id: UserId,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    let Some(token) = cookie_from_headers(headers, COOKIE_NAME) else {
        return Ok(None);
    };
    let hash = hash_token(&token);
    let known = sessions::device_user(db, &hash, now - DEVICE_TTL_MS).await?;
    Ok((known == Some(user_id)).then_some(hash))
}

/// After a successful sign-in: refreshes the recognised device, or remembers a new
/// one and returns the `Set-Cookie` value for it.
pub async fn remember(
    db: &Db,
    user_id: UserId,
    recognised: Option<&str>,
    secure: bool,
    now: i64,
) -> Result<Option<HeaderValue>, sqlx::Error> {
    if let Some(hash) = recognised {
        sessions::touch_device(db, hash, now).await?;
        return Ok(None);
    }
    let token = new_token();
    sessions::insert_device(db, &hash_token(&token), user_id, now, MAX_DEVICES_PER_USER).await?;
    Ok(Some(set_cookie(&token, secure)))
}

fn set_cookie(token: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let max_age = DEVICE_TTL_MS / 1000;
    let text = format!(
        "{COOKIE_NAME}={token}; HttpOnly; SameSite=Lax; Path=/api/auth; Max-Age={max_age}{secure}"
    );
    // The token is hex and the rest is ASCII, so this cannot fail.
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

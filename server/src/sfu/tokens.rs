//! Janus's signed tokens (`token_auth_secret`): `"<expiry>,<realm>,<what>:<sig>"` where
//! `sig = base64(HMAC-SHA1(secret, <everything before ':'>))` and the expiry is unix
//! seconds. The core token lets its holder use the VideoRoom plugin; the room token
//! (rooms created with `signed_tokens: true`) lets it join one room.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Sha1;

fn signed(secret: &str, data: String) -> String {
    let mut mac =
        Hmac::<Sha1>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(data.as_bytes());
    let signature = STANDARD.encode(mac.finalize().into_bytes());
    format!("{data}:{signature}")
}

/// The core API token, sent as `token` with every request to Janus.
pub fn core_token(secret: &str, expires_at_secs: u64) -> String {
    signed(
        secret,
        format!("{expires_at_secs},janus,janus.plugin.videoroom"),
    )
}

/// The room token, sent as `token` in a VideoRoom `join`.
pub fn room_token(secret: &str, expires_at_secs: u64, room: &str) -> String {
    signed(
        secret,
        format!("{expires_at_secs},janus.plugin.videoroom,room={room}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_token_matches_the_janus_scheme() {
        // Reference: printf '1700000000,janus,janus.plugin.videoroom' |
        //   openssl dgst -sha1 -hmac 's3cret' -binary | base64
        assert_eq!(
            core_token("s3cret", 1_700_000_000),
            "1700000000,janus,janus.plugin.videoroom:W3BNk9tj8SHAcy4qUs4pii6ErGs="
        );
    }

    #[test]
    fn room_token_names_the_room() {
        // Reference: printf '1700000000,janus.plugin.videoroom,room=abc' |
        //   openssl dgst -sha1 -hmac 's3cret' -binary | base64
        assert_eq!(
            room_token("s3cret", 1_700_000_000, "abc"),
            "1700000000,janus.plugin.videoroom,room=abc:XTrq4/D1G+EtVtXTyiXs4n6icyo="
        );
    }
}

//! ICE servers for browsers: the configured STUN/TURN URLs as they are, plus TURN
//! servers with short-lived credentials in coturn's REST-API scheme
//! (`use-auth-secret`): username `"<unix expiry>:<user id>"`, credential
//! `base64(HMAC-SHA1(secret, username))`. The TURN server checks them with the same
//! secret, so no per-user state is shared with it.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use tandem_protocol::api::IceServer;
use tandem_protocol::UserId;

use crate::config::Config;

/// `(username, credential)` valid until `expires_at` (unix seconds).
pub fn credentials(secret: &str, user_id: UserId, expires_at: u64) -> (String, String) {
    let username = format!("{expires_at}:{user_id}");
    let mut mac =
        Hmac::<Sha1>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(username.as_bytes());
    let credential = STANDARD.encode(mac.finalize().into_bytes());
    (username, credential)
}

fn urls(list: &[String]) -> impl Iterator<Item = String> + '_ {
    list.iter()
        .map(|url| url.trim())
        .filter(|url| !url.is_empty())
        .map(str::to_string)
}

/// What `GET /api/rtc/ice-servers` answers for this user at `now_secs`.
pub fn ice_servers(config: &Config, user_id: UserId, now_secs: u64) -> Vec<IceServer> {
    let mut servers: Vec<IceServer> = urls(&config.ice_servers)
        .map(|url| IceServer {
            urls: vec![url],
            username: None,
            credential: None,
        })
        .collect();
    let secret = config.turn_secret.as_deref().filter(|s| !s.is_empty());
    let turn: Vec<String> = urls(&config.turn_urls).collect();
    if let (Some(secret), false) = (secret, turn.is_empty()) {
        let (username, credential) = credentials(secret, user_id, now_secs + config.turn_ttl_secs);
        servers.push(IceServer {
            urls: turn,
            username: Some(username),
            credential: Some(credential),
        });
    }
    servers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_coturn_rest_scheme() {
        // Reference value: printf '1700000000:00000000-0000-0000-0000-000000000001' |
        //   openssl dgst -sha1 -hmac 's3cret' -binary | base64
        let (username, credential) = credentials("s3cret", UserId::from_u128(1), 1_700_000_000);
        assert_eq!(username, "1700000000:00000000-0000-0000-0000-000000000001");
        assert_eq!(credential, "gfQDkUGL6v+BX5Vek9LwfC9Ov9U=");
    }

    #[test]
    fn no_turn_without_a_secret() {
        let mut config = Config::with_data_dir("/tmp/unused");
        config.turn_urls = vec!["turn:turn.example:3478".into()];
        assert!(ice_servers(&config, UserId::from_u128(1), 0).is_empty());
        config.turn_secret = Some("s".into());
        let servers = ice_servers(&config, UserId::from_u128(1), 100);
        assert_eq!(servers.len(), 1);
        assert!(servers[0].username.as_deref().unwrap().starts_with("3700:"));
    }
}

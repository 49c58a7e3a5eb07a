//! Meetings past the mesh go through Janus VideoRoom (see `tandem_protocol::sfu`).
//! Browsers talk to Janus directly with short-lived tokens minted here; the server
//! talks to each node's HTTP API (the admin key and room secrets stay here).
//!
//! - `tokens`: Janus's HMAC-signed core and room tokens.
//! - `janus_api`: the HTTP client (session, handle, plugin requests, timeouts).
//! - `rooms`: create/exists/destroy/kick/list on one node.
//! - `placement`: which node a participant uses.
//! - `cascade`: a town hall's speakers on node 0 forwarded to the audience nodes.
//! - `routing`: the meetings side: when a meeting moves to the SFU, who gets which
//!   route, and cleaning up after people and meetings.

pub mod cascade;
pub mod janus_api;
pub mod placement;
pub mod rooms;
pub mod routing;
pub mod stage;
pub mod tokens;

use tandem_protocol::meetings::{MeetingId, ParticipantId};
use tandem_protocol::sfu::{SfuAccess, MAX_SFU_PARTICIPANTS};

use crate::config::Config;
use janus_api::JanusApi;
use rooms::{RoomKeys, Rooms};

/// One Janus node: how the server reaches it and how browsers do.
#[derive(Debug, Clone)]
pub struct Node {
    pub api: String,
    pub ws: String,
}

/// The configured SFU nodes and what talking to them needs.
pub struct Sfu {
    pub nodes: Vec<Node>,
    pub api: JanusApi,
    admin_key: String,
    token_secret: String,
    pub token_ttl_secs: u64,
    /// Meetings with at most this many joined participants stay peer to peer.
    pub mesh_max: usize,
    /// Serialises room creation, so two joins never create one room twice.
    pub creating: tokio::sync::Mutex<()>,
    /// Town-hall speakers forwarded to audience nodes (see `cascade`).
    pub forwarded: std::sync::Mutex<cascade::Forwarded>,
}

impl Sfu {
    /// The SFU from the flags: `None` without `--janus-api`; an error for an unusable
    /// combination.
    pub fn from_config(config: &Config) -> anyhow::Result<Option<Sfu>> {
        let apis: Vec<&String> = config
            .janus_api
            .iter()
            .filter(|a| !a.trim().is_empty())
            .collect();
        let sockets: Vec<&String> = config
            .janus_ws
            .iter()
            .filter(|w| !w.trim().is_empty())
            .collect();
        if apis.is_empty() {
            anyhow::ensure!(
                sockets.is_empty(),
                "--janus-ws is given without --janus-api: name each node's HTTP API too"
            );
            return Ok(None);
        }
        anyhow::ensure!(
            apis.len() == sockets.len(),
            "--janus-api names {} node(s) but --janus-ws {}: give one WebSocket URL per \
             node, in the same order",
            apis.len(),
            sockets.len()
        );
        for url in apis.iter().chain(&sockets) {
            url::Url::parse(url.trim())
                .map_err(|err| anyhow::anyhow!("`{url}` is not a valid URL: {err}"))?;
        }
        let secret = config
            .janus_token_secret
            .clone()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| anyhow::anyhow!("--janus-api needs --janus-token-secret"))?;
        let admin_key = config
            .janus_admin_key
            .clone()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| anyhow::anyhow!("--janus-api needs --janus-admin-key"))?;
        let nodes = apis
            .iter()
            .zip(&sockets)
            .map(|(api, ws)| Node {
                api: api.trim().to_string(),
                ws: ws.trim().to_string(),
            })
            .collect();
        Ok(Some(Sfu {
            nodes,
            api: JanusApi::new(secret.clone(), config.sfu_token_ttl_secs),
            admin_key,
            token_secret: secret,
            token_ttl_secs: config.sfu_token_ttl_secs,
            mesh_max: config.mesh_max,
            creating: tokio::sync::Mutex::new(()),
            forwarded: Default::default(),
        }))
    }

    pub fn rooms(&self) -> Rooms<'_> {
        Rooms {
            api: &self.api,
            admin_key: &self.admin_key,
        }
    }

    /// The room keys of `meeting` (see `RoomKeys::derive`).
    pub fn keys_for(&self, meeting: MeetingId) -> RoomKeys {
        RoomKeys::derive(&self.token_secret, &self.admin_key, &meeting.to_string())
    }

    pub fn admin_key(&self) -> &str {
        &self.admin_key
    }

    /// A room token for the server's own joins (the cascade's look at node 0).
    pub fn server_room_token(&self, room: &str) -> String {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        tokens::room_token(&self.token_secret, now + 60, room)
    }

    /// Most people one meeting may hold with this SFU.
    pub fn capacity(&self) -> usize {
        MAX_SFU_PARTICIPANTS
    }

    /// What `participant` needs to use `meeting`'s room on `node`, valid from `now_ms`
    /// for the token lifetime.
    pub fn access(
        &self,
        meeting: MeetingId,
        participant: ParticipantId,
        node: usize,
        publish: bool,
        keys: &RoomKeys,
        now_ms: i64,
    ) -> SfuAccess {
        let expires_secs = (now_ms.max(0) as u64) / 1000 + self.token_ttl_secs;
        let room = meeting.to_string();
        SfuAccess {
            url: self.nodes[node.min(self.nodes.len() - 1)].ws.clone(),
            room_token: tokens::room_token(&self.token_secret, expires_secs, &room),
            room,
            feed: participant.to_string(),
            token: tokens::core_token(&self.token_secret, expires_secs),
            pin: keys.pin.clone(),
            expires_at: (expires_secs * 1000) as i64,
            publish,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(api: &[&str], ws: &[&str]) -> Config {
        let mut config = Config::with_data_dir("/tmp/unused");
        config.janus_api = api.iter().map(|s| s.to_string()).collect();
        config.janus_ws = ws.iter().map(|s| s.to_string()).collect();
        config.janus_token_secret = Some("t".into());
        config.janus_admin_key = Some("a".into());
        config
    }

    #[test]
    fn no_nodes_no_sfu() {
        assert!(Sfu::from_config(&config(&[], &[])).unwrap().is_none());
    }

    #[test]
    fn each_node_needs_its_socket_and_the_secrets() {
        let api = "http://127.0.0.1:8088/janus";
        let err = Sfu::from_config(&config(&[api, api], &["ws://127.0.0.1:8188"]));
        let message = err.err().unwrap().to_string();
        assert!(message.contains("--janus-api names 2"), "{message}");
        assert!(Sfu::from_config(&config(&[], &["ws://127.0.0.1:8188"])).is_err());
        let mut no_secret = config(&[api], &["ws://127.0.0.1:8188"]);
        no_secret.janus_token_secret = None;
        let message = Sfu::from_config(&no_secret).err().unwrap().to_string();
        assert!(message.contains("--janus-token-secret"), "{message}");
        let mut no_key = config(&[api], &["ws://127.0.0.1:8188"]);
        no_key.janus_admin_key = None;
        assert!(Sfu::from_config(&no_key).is_err());
        let sfu = Sfu::from_config(&config(&[api], &["ws://127.0.0.1:8188"]))
            .unwrap()
            .unwrap();
        assert_eq!(sfu.nodes[0].ws, "ws://127.0.0.1:8188");
        assert_eq!(sfu.mesh_max, tandem_protocol::sfu::DEFAULT_MESH_MAX);
    }

    #[test]
    fn access_carries_signed_tokens_until_the_ttl() {
        let api = "http://127.0.0.1:8088/janus";
        let sfu = Sfu::from_config(&config(&[api], &["ws://127.0.0.1:8188"]))
            .unwrap()
            .unwrap();
        let meeting = MeetingId::from_u128(7);
        let keys = sfu.keys_for(meeting);
        let access = sfu.access(
            meeting,
            ParticipantId::from_u128(9),
            0,
            true,
            &keys,
            1_000_000,
        );
        assert_eq!(access.room, meeting.to_string());
        assert_eq!(access.feed, ParticipantId::from_u128(9).to_string());
        assert_eq!(access.expires_at, (1_000 + 300) * 1000);
        assert_eq!(access.token, tokens::core_token("t", 1_300));
        assert_eq!(
            access.room_token,
            tokens::room_token("t", 1_300, &access.room)
        );
        assert_eq!(access.pin, keys.pin);
    }
}

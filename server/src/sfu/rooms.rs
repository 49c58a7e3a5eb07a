//! VideoRoom rooms on one node: create (signed tokens, a pin and a secret kept on the
//! server, subscriptions tied to a publisher handle), exists, destroy, kick, and who
//! is in one.

use serde_json::{json, Value};

use super::janus_api::{JanusApi, JanusResult};

/// A room's credentials, the same on every node that has the room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomKeys {
    /// Required by Janus to join (handed to participants with their tokens).
    pub pin: String,
    /// Required to edit the room (kick, destroy, forward): never leaves the server.
    pub secret: String,
}

impl RoomKeys {
    /// The meeting's keys, derived from the server's secrets (HMAC-SHA256 of the room
    /// id): unguessable without them, and the same after a server restart, so a room
    /// Janus still holds for a running meeting stays usable.
    pub fn derive(token_secret: &str, admin_key: &str, room: &str) -> Self {
        RoomKeys {
            pin: keyed(token_secret, "tandem-room-pin", room),
            secret: keyed(admin_key, "tandem-room-secret", room),
        }
    }
}

fn keyed(key: &str, purpose: &str, room: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(purpose.as_bytes());
    mac.update(b":");
    mac.update(room.as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

/// One participant as `listparticipants` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Present {
    pub feed: String,
    /// Has media flowing in (a publisher), not only joined.
    pub publisher: bool,
}

pub struct Rooms<'a> {
    pub api: &'a JanusApi,
    pub admin_key: &'a str,
}

impl Rooms<'_> {
    /// Creates the room (`room` is the meeting id) for up to `publishers` publishers.
    pub async fn create(
        &self,
        base: &str,
        room: &str,
        keys: &RoomKeys,
        publishers: usize,
    ) -> JanusResult<()> {
        let body = json!({
            "request": "create",
            "room": room,
            "admin_key": self.admin_key,
            "permanent": false,
            "description": "Tandem meeting",
            // Not in `list` for browsers (only with the admin key).
            "is_private": true,
            "signed_tokens": true,
            "pin": keys.pin,
            "secret": keys.secret,
            "publishers": publishers,
            "videocodec": "vp8",
            "audiocodec": "opus",
            "audiolevel_event": true,
            "notify_joining": true,
            // Subscriptions must name their owner's publisher handle (`private_id`):
            // then kicking a participant also ends what they were receiving (without
            // it, Janus 1.1.2 keeps feeding a kicked participant's subscriptions).
            "require_pvtid": true,
        });
        match self.api.request(base, body).await {
            Ok(_) => Ok(()),
            // Already there (another request made it): fine.
            Err(err) if err.code() == Some(ROOM_EXISTS) => Ok(()),
            Err(err) => Err(err),
        }
    }

    pub async fn exists(&self, base: &str, room: &str) -> JanusResult<bool> {
        let answer = self
            .api
            .request(base, json!({"request": "exists", "room": room}))
            .await?;
        Ok(answer["exists"].as_bool().unwrap_or(false))
    }

    /// Destroys the room (everyone in it is dropped). Missing already: fine.
    pub async fn destroy(&self, base: &str, room: &str, keys: &RoomKeys) -> JanusResult<()> {
        let body = json!({"request": "destroy", "room": room, "secret": keys.secret});
        match self.api.request(base, body).await {
            Err(err) if err.code() == Some(NO_SUCH_ROOM) => Ok(()),
            other => other.map(drop),
        }
    }

    /// Kicks a feed out of the room. Not there (or no room): fine, it is out.
    pub async fn kick(
        &self,
        base: &str,
        room: &str,
        keys: &RoomKeys,
        feed: &str,
    ) -> JanusResult<()> {
        let body = json!({"request": "kick", "room": room, "secret": keys.secret, "id": feed});
        match self.api.request(base, body).await {
            Err(err) if matches!(err.code(), Some(NO_SUCH_ROOM | NO_SUCH_FEED)) => Ok(()),
            other => other.map(drop),
        }
    }

    pub async fn participants(&self, base: &str, room: &str) -> JanusResult<Vec<Present>> {
        let answer = self
            .api
            .request(base, json!({"request": "listparticipants", "room": room}))
            .await?;
        Ok(answer["participants"]
            .as_array()
            .map(|list| list.iter().filter_map(present).collect())
            .unwrap_or_default())
    }
}

fn present(entry: &Value) -> Option<Present> {
    Some(Present {
        feed: entry["id"].as_str()?.to_string(),
        publisher: entry["publisher"].as_bool().unwrap_or(false),
    })
}

/// VideoRoom error codes (janus_videoroom.c).
pub const NO_SUCH_ROOM: i64 = 426;
pub const NO_SUCH_FEED: i64 = 428;
pub const ROOM_EXISTS: i64 = 427;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_per_room_and_per_secret() {
        let a = RoomKeys::derive("t", "a", "room-1");
        assert_eq!(a, RoomKeys::derive("t", "a", "room-1"));
        assert_ne!(a, RoomKeys::derive("t", "a", "room-2"));
        assert_ne!(a.pin, RoomKeys::derive("u", "a", "room-1").pin);
        assert_ne!(a.secret, RoomKeys::derive("t", "b", "room-1").secret);
        assert_ne!(a.pin, a.secret);
        assert_eq!(a.pin.len(), 32);
    }
}

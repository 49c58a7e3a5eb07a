//! How a meeting's media travels: peer to peer (full mesh) for small meetings, or
//! through an SFU (Janus VideoRoom) once the meeting grows past the mesh size.
//!
//! The server decides the route per meeting and tells each participant in
//! `MeetingNotice::Joined` and, when it changes or tokens are refreshed, in
//! `MeetingNotice::Route`. A meeting moves from mesh to SFU at most once and never
//! back while it runs. Browsers talk to Janus directly (its JSON API over a WebSocket,
//! subprotocol `janus-protocol`) with the short-lived, room-scoped tokens handed out
//! here; the Janus admin key never leaves the server.

use serde::{Deserialize, Serialize};

use crate::Timestamp;

/// Without an SFU a meeting is capped at this many (every browser sends to every
/// other). Equal to `meetings::MAX_MEETING_PARTICIPANTS`.
pub const MAX_MESH_PARTICIPANTS: usize = 8;
/// With an SFU configured, meetings up to this size stay peer to peer by default
/// (the server's `--mesh-max`).
pub const DEFAULT_MESH_MAX: usize = 4;
/// The most people one meeting may hold through the SFU (town halls included).
pub const MAX_SFU_PARTICIPANTS: usize = 1_500;

/// Where a participant's media goes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "route", rename_all = "snake_case")]
pub enum MediaRoute {
    /// WebRTC between the participants, signaled through the Tandem server.
    #[default]
    Mesh,
    /// Through Janus, with the access below.
    Sfu(SfuAccess),
}

/// Everything a browser needs to publish to and subscribe from one Janus room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SfuAccess {
    /// Janus's WebSocket endpoint for this participant (in a cascaded town hall, the
    /// audience may be placed on another node than the speakers).
    pub url: String,
    /// The VideoRoom room id (Janus runs with string ids).
    pub room: String,
    /// The feed id to publish as: our participant id as a string. Remote feeds carry
    /// their participant id the same way, which is how tiles are matched to people.
    pub feed: String,
    /// The core API token (HMAC-signed, scoped to the VideoRoom plugin): sent as
    /// `token` with every Janus request, keep-alives included.
    pub token: String,
    /// The room token (HMAC-signed, scoped to this room), sent as `token` in `join`.
    pub room_token: String,
    /// The room's pin, required by Janus in addition to the token.
    pub pin: String,
    /// When both tokens stop working. Janus cannot revoke a token, so they are short
    /// lived: ask for fresh ones well before with `MeetingRequest::RefreshRoute`.
    pub expires_at: Timestamp,
    /// Whether this participant publishes (false for a town hall's audience, who only
    /// subscribe).
    pub publish: bool,
}

impl SfuAccess {
    /// Same room and node: a refresh of the tokens, not a move.
    pub fn same_place(&self, other: &SfuAccess) -> bool {
        self.url == other.url && self.room == other.room && self.publish == other.publish
    }
}

/// A simulcast layer a subscriber may pick (Janus "substream").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    /// 320×180.
    Low,
    /// 640×360.
    Medium,
    /// 1280×720.
    High,
}

impl Layer {
    /// Janus's substream index (0 is the lowest).
    pub fn substream(self) -> u8 {
        match self {
            Layer::Low => 0,
            Layer::Medium => 1,
            Layer::High => 2,
        }
    }

    /// The layer that fills a tile `height` CSS pixels tall without upscaling much.
    pub fn for_tile_height(height: f64) -> Layer {
        if height <= 200.0 {
            Layer::Low
        } else if height <= 400.0 {
            Layer::Medium
        } else {
            Layer::High
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn mesh_is_the_default_and_tagged() {
        assert_eq!(MediaRoute::default(), MediaRoute::Mesh);
        assert_eq!(
            serde_json::to_value(MediaRoute::Mesh).unwrap(),
            json!({"route": "mesh"})
        );
    }

    #[test]
    fn sfu_route_round_trips() {
        let route = MediaRoute::Sfu(SfuAccess {
            url: "ws://127.0.0.1:8188".into(),
            room: "r".into(),
            feed: "f".into(),
            token: "t".into(),
            room_token: "rt".into(),
            pin: "p".into(),
            expires_at: 5,
            publish: true,
        });
        let text = serde_json::to_string(&route).unwrap();
        assert!(text.starts_with(r#"{"route":"sfu","#));
        assert_eq!(serde_json::from_str::<MediaRoute>(&text).unwrap(), route);
    }

    #[test]
    fn tile_height_picks_a_layer() {
        assert_eq!(Layer::for_tile_height(90.0), Layer::Low);
        assert_eq!(Layer::for_tile_height(300.0), Layer::Medium);
        assert_eq!(Layer::for_tile_height(720.0), Layer::High);
        assert!(Layer::Low < Layer::High);
        assert_eq!(Layer::High.substream(), 2);
    }
}

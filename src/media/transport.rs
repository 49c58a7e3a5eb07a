//! The topology seam: "the set of remote participants and how media gets to them".
//! [`Mesh`](super::mesh::Mesh) is the full-mesh implementation,
//! [`JanusTransport`](super::janus::JanusTransport) the SFU one; the engine's public
//! API is the same over both.

use std::rc::Rc;

use futures::future::LocalBoxFuture;
use web_sys::{MediaStream, MediaStreamTrack};

use tandem_protocol::sfu::Layer;

use super::error::MediaError;
use super::events::Outbox;
use super::janus::Upstream;
use super::stats::PeerStats;
use super::types::{IceServer, PeerId, PeerState, Signal};

/// Called with a participant's remote microphone track (`None`: gone), for speaker
/// detection.
pub type RemoteAudioHook = Rc<dyn Fn(&str, Option<&MediaStreamTrack>)>;

/// What a transport gets from the engine.
pub struct TransportContext {
    pub local_id: PeerId,
    pub ice_servers: Vec<IceServer>,
    pub outbox: Rc<Outbox>,
    pub on_remote_audio: RemoteAudioHook,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackKind {
    Audio,
    Video,
}

pub trait Transport {
    /// Start sending to / receiving from `id`, as the side that offers. Exactly one
    /// side of each pair calls this (in a meeting, the one who joined later, once its
    /// own camera and microphone are settled); the other side's link is created by the
    /// offer when it arrives. Two first offers crossing would be resolved by perfect
    /// negotiation, but the polite side's rollback of a first offer can leave Chromium
    /// gathering no ICE candidates for its answer: the call then never connects.
    fn add_participant(&mut self, id: &str) -> Result<(), MediaError>;
    /// Tear down everything for `id` (emits stream-removed and `Closed` events).
    fn remove_participant(&mut self, id: &str);
    fn participants(&self) -> Vec<PeerId>;
    /// A signal from `from`. An offer from an unknown sender creates its link; other
    /// signals from unknown senders are ignored.
    fn signal_in(&mut self, from: &str, signal: Signal);
    /// Publish the camera-stream track of `kind`: replaces the existing one in place
    /// (`replaceTrack`, no renegotiation) or adds it (renegotiates) the first time.
    fn publish_camera_track(
        &mut self,
        kind: TrackKind,
        track: &MediaStreamTrack,
        stream: &MediaStream,
    ) -> LocalBoxFuture<'static, Result<(), MediaError>>;
    /// Start (`Some`) or stop (`None`) sending a screen-share track as an extra stream.
    fn publish_screen(&mut self, screen: Option<(&MediaStream, &MediaStreamTrack)>);
    fn peer_state(&self, id: &str) -> Option<PeerState>;
    fn peer_stats(&self, id: &str) -> Option<PeerStats>;
    /// Kick off one round of stats collection (results arrive asynchronously).
    fn poll_stats(&self);
    /// Which simulcast layer of `id`'s camera to receive (`None`: its tile is off
    /// screen, pause it). Only an SFU has layers to pick; the mesh ignores it.
    fn set_receive_layer(&mut self, _id: &str, _layer: Option<Layer>) {}
    /// What we send upstream, from the latest stats (only the SFU reports it).
    fn upstream(&self) -> Option<Upstream> {
        None
    }
    fn close(&mut self);
}

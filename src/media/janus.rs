//! The SFU transport: meetings past the mesh go through Janus VideoRoom.
//!
//! One WebSocket to the Janus node the server placed us on, one Janus session with two
//! VideoRoom handles: a *publisher* (we join the room as our participant id and, unless
//! we are a town hall's audience, send one simulcast camera stream, the microphone and
//! a screen share) and a *subscriber* (one multistream connection carrying every
//! remote stream). Remote feeds are named by participant ids, so tiles match people.
//!
//! * [`messages`]: Janus's JSON requests and events (pure).
//! * [`feeds`]: who publishes what, and what our subscription carries (pure).
//! * [`socket`]: transactions over the WebSocket.
//! * [`publisher`], [`subscriber`]: the two peer connections.
//! * [`transport`]: [`JanusTransport`] behind the engine's `Transport` seam, and the
//!   [`JanusHandle`] the meeting uses to hand it fresh tokens.
//!
//! Anything the transport cannot recover from by itself (socket closed, session
//! timed out, ICE failed, Janus restarted and lost the room) ends in
//! [`SfuState::Lost`]: the meeting then asks the server for its route again (which
//! recreates the room) and starts a fresh transport, with backoff.

pub mod feeds;
pub mod messages;
pub mod publisher;
pub mod socket;
pub mod subscriber;
pub mod transport;

pub use publisher::Upstream;
pub use transport::{JanusHandle, JanusTransport};

/// The SFU connection as the meeting shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SfuState {
    Connecting,
    Connected,
    /// Gave up on this connection: get a fresh route and start again.
    Lost,
    /// The SFU took us out of the room (kicked, or the room was destroyed).
    Removed,
}

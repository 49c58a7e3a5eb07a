//! What a connection's send task writes to its socket, in queue order.

use axum::extract::ws::Utf8Bytes;
use tandem_protocol::ws::ServerFrame;

pub enum Outbound {
    /// A frame encoded once for every connection it reaches (events, notices): the
    /// bytes are shared, so each recipient costs a reference count, not a copy.
    Shared(Utf8Bytes),
    /// A frame for this connection alone (replies, replay), encoded by the send task.
    /// Boxed: frames carrying messages are large, and the queue holds many items.
    Frame(Box<ServerFrame>),
    Ping,
    Close(u16, &'static str),
}

/// Encodes a frame once; `None` (logged) if it cannot be, which never happens for the
/// protocol's own types but must not take the server down if it did.
pub fn encode(frame: &ServerFrame) -> Option<Utf8Bytes> {
    match serde_json::to_string(frame) {
        Ok(text) => Some(text.into()),
        Err(err) => {
            tracing::error!(error = %err, "could not encode a frame");
            None
        }
    }
}

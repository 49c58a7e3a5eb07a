//! Tandem's wire protocol: the one source of truth for every REST body and every
//! WebSocket frame. Both the browser app and the server compile this crate, so a
//! change here is a change on both sides at once.

pub mod api;
pub mod boards;
pub mod chat;
pub mod decisions;
pub mod error;
pub mod health;
pub mod meeting_plans;
pub mod meetings;
pub mod recordings;
pub mod runtime_config;
pub mod sfu;
#[cfg(any(test, feature = "test-support"))]
pub mod test_support;
pub mod urgency;
pub mod working_hours;
pub mod ws;

pub use error::{ApiError, ErrorCode};

/// Bumped on any incompatible change to the shapes below. The server announces it in
/// `hello` and in `/api/health`; a client that sees a different version reloads.
pub const PROTOCOL_VERSION: u32 = 1;

/// Milliseconds since the Unix epoch, UTC. One representation for every timestamp on
/// the wire keeps both sides free of time-zone parsing at the boundary.
pub type Timestamp = i64;

/// A position in the server's durable event log. Strictly increasing; never reused.
pub type Seq = i64;

pub type UserId = uuid::Uuid;

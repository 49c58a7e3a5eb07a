//! Meetings and calls (see `tandem_protocol::meetings` for the contract).
//!
//! What outlives a restart (the meeting, attendance, guest links and accounts) is in
//! the database (`db::meetings`, `db::guests`); who is in a room right now is live
//! state here, in `registry::Rooms`, keyed by meeting id behind one mutex. A
//! participant is one WebSocket connection. Room traffic is ephemeral and goes out
//! through the ephemeral hub addressed to connections; what the channel's card shows
//! goes out as a persisted `meeting_updated` event.

pub mod guests;
pub mod lifecycle;
pub mod registry;
pub mod requests;
pub mod ring;
pub mod room;
pub mod turn;

use tandem_protocol::chat::{ChannelId, MessageId};
use tandem_protocol::meetings::MeetingId;

/// What a guest may use: one meeting, its channel only through the card's thread.
/// (Serialisable: a guest's requests may be forwarded to the node holding the room.)
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GuestScope {
    pub meeting_id: MeetingId,
    pub channel_id: ChannelId,
    pub card_message_id: MessageId,
}

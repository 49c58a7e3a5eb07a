//! Fan-out for frames that are never stored (typing, presence, meeting room traffic).
//! They carry no `seq`, so a connection that falls behind may simply miss some: unlike
//! events, nothing here needs a resync. Each is encoded once and reaches only the live
//! connections its target names (see `subscribers`).

use std::sync::Arc;

use tandem_protocol::chat::ChannelId;
use tandem_protocol::ws::ServerFrame;
use tandem_protocol::UserId;
use uuid::Uuid;

use super::outbound;
use super::subscribers::Subscribers;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Every member connection (never guests: they see only their meeting).
    Workspace,
    /// The channel's members except `except` (the one who is typing).
    ChannelExcept {
        channel_id: ChannelId,
        except: UserId,
    },
    /// These connections (meeting participants).
    Connections(Vec<Uuid>),
    /// Every connection of these people, except one (a ringing call: the tab that
    /// answered does not need to be told).
    Users {
        users: Vec<UserId>,
        except_connection: Option<Uuid>,
    },
}

#[derive(Clone)]
pub struct EphemeralHub {
    subscribers: Arc<Subscribers>,
}

impl EphemeralHub {
    pub fn new(subscribers: Arc<Subscribers>) -> Self {
        EphemeralHub { subscribers }
    }

    pub fn send(&self, target: Target, frame: ServerFrame) {
        if let Some(text) = outbound::encode(&frame) {
            self.subscribers.notify(&target, &text);
        }
    }
}

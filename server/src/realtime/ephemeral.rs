//! Fan-out for frames that are never stored (typing, presence, meeting room traffic).
//! They carry no `seq`, so a connection that falls behind may simply miss some: unlike
//! events, nothing here needs a resync. Each is encoded once and reaches only the live
//! connections its target names (see `subscribers`); with several nodes, also on the
//! bus, for the connections open on the others.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use tandem_protocol::chat::ChannelId;
use tandem_protocol::ws::ServerFrame;
use tandem_protocol::UserId;
use uuid::Uuid;

use super::cluster::bus::{Bus, Message};
use super::outbound;
use super::subscribers::Subscribers;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
    /// Set when other nodes may hold some of the target's connections.
    bus: Option<Bus>,
}

impl EphemeralHub {
    pub fn new(subscribers: Arc<Subscribers>, bus: Option<Bus>) -> Self {
        EphemeralHub { subscribers, bus }
    }

    /// Delivers to the target's connections, on this node and (on the bus) the others.
    pub fn send(&self, target: Target, frame: ServerFrame) {
        let Some(text) = outbound::encode(&frame) else {
            return;
        };
        let elsewhere = self.subscribers.notify(&target, &text);
        if let (true, Some(bus)) = (elsewhere, &self.bus) {
            bus.broadcast(Message::Frame {
                target,
                text: text.to_string(),
            });
        }
    }

    /// Delivers to the target's connections on this node only (each node announces
    /// presence changes to its own connections itself).
    pub fn send_local(&self, target: Target, frame: ServerFrame) {
        if let Some(text) = outbound::encode(&frame) {
            self.subscribers.notify(&target, &text);
        }
    }
}

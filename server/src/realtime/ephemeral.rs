//! Fan-out for frames that are never stored (typing, presence, meeting room traffic).
//! They carry no `seq`, so a connection that falls behind may simply miss some: unlike
//! events, nothing here needs a resync. Each is encoded once and reaches only the live
//! connections its target names (see `subscribers`); with several nodes, also on the
//! bus, for the connections open on the others.

use std::sync::Arc;

use tandem_protocol::ws::ServerFrame;

use super::cluster::bus::{Bus, Message};
use super::outbound;
use super::subscribers::Subscribers;
use super::target::Target;

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

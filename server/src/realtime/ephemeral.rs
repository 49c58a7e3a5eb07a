//! Fan-out for frames that are never stored (typing, presence, meeting room traffic).
//! They carry no `seq`,
//! so a connection that falls behind may simply miss some: unlike events, nothing
//! here needs a resync.

use std::sync::Arc;

use tandem_protocol::chat::ChannelId;
use tandem_protocol::ws::ServerFrame;
use tandem_protocol::UserId;
use tokio::sync::broadcast;
use uuid::Uuid;

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

#[derive(Debug)]
pub struct Ephemeral {
    pub target: Target,
    pub frame: ServerFrame,
}

#[derive(Clone)]
pub struct EphemeralHub {
    sender: broadcast::Sender<Arc<Ephemeral>>,
}

impl EphemeralHub {
    pub fn new(capacity: usize) -> Self {
        let (sender, _) = broadcast::channel(capacity.max(1));
        EphemeralHub { sender }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Ephemeral>> {
        self.sender.subscribe()
    }

    pub fn send(&self, target: Target, frame: ServerFrame) {
        let _ = self.sender.send(Arc::new(Ephemeral { target, frame }));
    }
}

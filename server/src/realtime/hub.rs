//! Live fan-out: one broadcast channel carrying every committed event, in seq order.

use std::sync::Arc;

use tandem_protocol::ws::EventEnvelope;
use tokio::sync::broadcast;

use super::audience::Audience;

#[derive(Debug)]
pub struct Published {
    pub audience: Audience,
    pub envelope: EventEnvelope,
}

#[derive(Clone)]
pub struct Hub {
    sender: broadcast::Sender<Arc<Published>>,
}

impl Hub {
    pub fn new(capacity: usize) -> Self {
        let (sender, _) = broadcast::channel(capacity.max(1));
        Hub { sender }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Published>> {
        self.sender.subscribe()
    }

    /// Called only by the log writer, after commit, while it holds the writer lock.
    pub(crate) fn publish(&self, published: Published) {
        // No subscribers is fine: the event is in the log for later replay.
        let _ = self.sender.send(Arc::new(published));
    }
}

//! Live fan-out of committed events: each is encoded once and handed to the
//! connections in its audience (see `subscribers`), in `seq` order.

use std::sync::Arc;

use tandem_protocol::ws::{EventEnvelope, ServerFrame};
use tokio::sync::Notify;

use super::audience::Audience;
use super::outbound;
use super::subscribers::{Attach, Subscribers};

#[derive(Debug)]
pub struct Published {
    pub audience: Audience,
    pub envelope: EventEnvelope,
}

#[derive(Clone)]
pub struct Hub {
    subscribers: Arc<Subscribers>,
}

impl Hub {
    pub fn new(subscribers: Arc<Subscribers>) -> Self {
        Hub { subscribers }
    }

    /// Called only by the log, under its writer lock (see `EventLog::attach`).
    pub(crate) fn attach(&self, attach: Attach) -> Arc<Notify> {
        self.subscribers.attach(attach)
    }

    /// Called only by the log writer, after commit, while it holds the writer lock.
    pub(crate) fn publish(&self, published: Published) {
        let Published { audience, envelope } = published;
        let frame = ServerFrame::Event(envelope);
        // The membership it carries updates the index; the bytes go to the audience.
        if let (Some(text), ServerFrame::Event(envelope)) = (outbound::encode(&frame), &frame) {
            self.subscribers.publish(&audience, &envelope.event, &text);
        }
    }
}

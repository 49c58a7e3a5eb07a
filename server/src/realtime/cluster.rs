//! Several server processes (nodes) on one Postgres database.
//!
//! Durable events need nothing here: every node publishes them from the log
//! (`sequencer`). What lives in a process's memory is what this module spreads:
//! - notices for connections elsewhere (typing, rings, meeting signalling) travel on
//!   the bus (`bus`), and each node delivers them to its own connections;
//! - presence is counted on every node (each connection's state travels);
//! - a meeting's or a board's live room is held by one node (`owners`): requests from
//!   clients on other nodes are forwarded to it and run there as if the client were
//!   connected to it (`realtime::remote`), and its answers travel back as notices.
//!
//! Nodes heartbeat into the database; one unseen for `NODE_TIMEOUT` is gone: the
//! others forget its connections, take over its meetings and close their own sockets
//! that were in its rooms (those clients reconnect and rejoin, as after a restart).

pub mod bus;
pub mod owners;

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use uuid::Uuid;

use bus::{Bus, Envelope};
use owners::Owners;
use owners::Resource;
use tokio::sync::mpsc;

pub type NodeId = Uuid;

/// How often a node records that it is alive.
pub const HEARTBEAT: Duration = Duration::from_secs(1);
/// A node not seen for this long is gone.
pub const NODE_TIMEOUT: Duration = Duration::from_secs(5);

pub fn timeout_ms() -> i64 {
    NODE_TIMEOUT.as_millis() as i64
}

pub struct Cluster {
    pub bus: Bus,
    pub owners: Owners,
    /// Local connections that forwarded requests, by the node they forwarded to: if
    /// that node goes, they are closed so their clients rejoin where the room is now.
    forwarders: Mutex<HashMap<NodeId, HashSet<Uuid>>>,
    /// The bus's queue, until the publishing task takes it.
    outgoing: Mutex<Option<mpsc::Receiver<Envelope>>>,
    /// Where other nodes reach this one, once it listens.
    url: OnceLock<String>,
}

impl Default for Cluster {
    /// A new node, with an id of its own (a restarted process is a new node).
    fn default() -> Self {
        let (bus, outgoing) = Bus::new(Uuid::new_v4());
        Cluster {
            bus,
            owners: Owners::default(),
            forwarders: Mutex::default(),
            outgoing: Mutex::new(Some(outgoing)),
            url: OnceLock::new(),
        }
    }
}

impl Cluster {
    /// Set once the node listens (see `lib::start`).
    pub fn set_url(&self, url: String) {
        let _ = self.url.set(url);
    }

    pub fn url(&self) -> &str {
        self.url.get().map_or("", String::as_str)
    }

    /// The queue of messages to publish (once).
    pub fn take_outgoing(&self) -> Option<mpsc::Receiver<Envelope>> {
        self.outgoing
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
    }

    pub fn node(&self) -> NodeId {
        self.bus.node()
    }

    fn forwarders(&self) -> std::sync::MutexGuard<'_, HashMap<NodeId, HashSet<Uuid>>> {
        self.forwarders.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether this node holds the resource's room (claiming it if nobody alive does).
    pub async fn holds(&self, db: &crate::db::Db, resource: Resource) -> Result<bool, sqlx::Error> {
        Ok(self.owners.owner(db, self.node(), resource).await? == self.node())
    }

    /// A local connection forwarded a request to `node`.
    pub fn forwarded(&self, node: NodeId, connection_id: Uuid) {
        self.forwarders()
            .entry(node)
            .or_default()
            .insert(connection_id);
    }

    /// A local connection closed: the nodes it forwarded to are told.
    pub fn connection_closed(&self, connection_id: Uuid) {
        let mut told = false;
        for connections in self.forwarders().values_mut() {
            told |= connections.remove(&connection_id);
        }
        if told {
            self.bus.broadcast(bus::Message::Closed { connection_id });
        }
    }

    /// The local connections that had forwarded to a node now gone.
    pub fn forwarders_of(&self, node: NodeId) -> HashSet<Uuid> {
        self.forwarders().remove(&node).unwrap_or_default()
    }
}

//! Which node holds a meeting's or a board's live room. The database decides
//! (`db::cluster::claim`: the first live node to ask, or whoever asks after the holder
//! died); each node remembers the answer until that holder is gone.

use std::collections::HashMap;
use std::sync::Mutex;

use tandem_protocol::boards::BoardId;
use tandem_protocol::meetings::MeetingId;

use super::NodeId;
use crate::db::{cluster, Db};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    Meeting(MeetingId),
    Board(BoardId),
}

pub const MEETING_PREFIX: &str = "meeting:";
const BOARD_PREFIX: &str = "board:";

impl Resource {
    fn key(&self) -> String {
        match self {
            Resource::Meeting(id) => format!("{MEETING_PREFIX}{id}"),
            Resource::Board(id) => format!("{BOARD_PREFIX}{id}"),
        }
    }

    pub fn meeting_of_key(key: &str) -> Option<MeetingId> {
        key.strip_prefix(MEETING_PREFIX)?.parse().ok()
    }
}

#[derive(Default)]
pub struct Owners {
    known: Mutex<HashMap<Resource, NodeId>>,
}

impl Owners {
    fn known(&self) -> std::sync::MutexGuard<'_, HashMap<Resource, NodeId>> {
        self.known.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The node holding the resource's room (`me` when nobody alive did).
    pub async fn owner(
        &self,
        db: &Db,
        me: NodeId,
        resource: Resource,
    ) -> Result<NodeId, sqlx::Error> {
        if let Some(node) = self.known().get(&resource) {
            return Ok(*node);
        }
        let node = cluster::claim(db, &resource.key(), me, super::timeout_ms()).await?;
        self.known().insert(resource, node);
        Ok(node)
    }

    /// The node is gone: ask the database again next time.
    pub fn forget_node(&self, node: NodeId) {
        self.known().retain(|_, holder| *holder != node);
    }
}

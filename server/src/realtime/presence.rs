//! Who is online: each open connection's state, aggregated per person. Online if any
//! connection is active, in a meeting if any is, away if all are away, offline if
//! there are none. Changes of the aggregate are broadcast to the workspace.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tandem_protocol::chat::Presence;
use tandem_protocol::ws::ServerFrame;
use tandem_protocol::UserId;
use uuid::Uuid;

use super::ephemeral::{EphemeralHub, Target};

type Connections = HashMap<UserId, HashMap<Uuid, Presence>>;

#[derive(Clone)]
pub struct PresenceTracker {
    connections: Arc<Mutex<Connections>>,
    hub: EphemeralHub,
}

fn aggregate(states: Option<&HashMap<Uuid, Presence>>) -> Presence {
    let Some(states) = states.filter(|s| !s.is_empty()) else {
        return Presence::Offline;
    };
    for wanted in [Presence::Online, Presence::InMeeting] {
        if states.values().any(|p| *p == wanted) {
            return wanted;
        }
    }
    Presence::Away
}

impl PresenceTracker {
    pub fn new(hub: EphemeralHub) -> Self {
        PresenceTracker {
            connections: Arc::default(),
            hub,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connections> {
        self.connections
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Sets (or with `None`, removes) one connection's state and announces a change
    /// of the person's aggregate. Announced under the lock, so announcements for one
    /// person cannot overtake each other.
    pub fn set(&self, user_id: UserId, connection_id: Uuid, presence: Option<Presence>) {
        let mut all = self.lock();
        let before = aggregate(all.get(&user_id));
        match presence {
            Some(presence) => {
                all.entry(user_id)
                    .or_default()
                    .insert(connection_id, presence);
            }
            None => {
                if let Some(states) = all.get_mut(&user_id) {
                    states.remove(&connection_id);
                    if states.is_empty() {
                        all.remove(&user_id);
                    }
                }
            }
        }
        let after = aggregate(all.get(&user_id));
        if after != before {
            self.hub.send(
                Target::Workspace,
                ServerFrame::PresenceChanged {
                    user_id,
                    presence: after,
                },
            );
        }
    }

    /// Changes the state of a connection that is counted already; a connection that
    /// has gone (or is not live yet) stays uncounted. Meetings use this, so a join or
    /// leave racing a socket close cannot bring a closed tab back.
    pub fn update(&self, user_id: UserId, connection_id: Uuid, presence: Presence) {
        let counted = self
            .lock()
            .get(&user_id)
            .is_some_and(|states| states.contains_key(&connection_id));
        if counted {
            self.set(user_id, connection_id, Some(presence));
        }
    }

    pub fn get(&self, user_id: UserId) -> Presence {
        aggregate(self.lock().get(&user_id))
    }
}

//! Who is online: each open connection's state, aggregated per person. Online if any
//! connection is active, in a meeting if any is, away if all are away, offline if
//! there are none. Changes of the aggregate are broadcast to the workspace.
//!
//! With several nodes every node counts every connection: each change travels on the
//! bus with the node the connection is open on (its home), and each node announces
//! aggregate changes to its own connections. A node that goes takes its connections
//! with it (`forget_home`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tandem_protocol::chat::Presence;
use tandem_protocol::ws::ServerFrame;
use tandem_protocol::UserId;
use uuid::Uuid;

use super::cluster::bus::{Bus, Message};
use super::cluster::NodeId;
use super::ephemeral::EphemeralHub;
use super::target::Target;

#[derive(Clone, Copy)]
struct State {
    presence: Presence,
    home: NodeId,
}

type Connections = HashMap<UserId, HashMap<Uuid, State>>;

#[derive(Clone)]
pub struct PresenceTracker {
    connections: Arc<Mutex<Connections>>,
    hub: EphemeralHub,
    /// With several nodes: where changes are told, and this node's id.
    bus: Option<Bus>,
}

fn aggregate(states: Option<&HashMap<Uuid, State>>) -> Presence {
    let Some(states) = states.filter(|s| !s.is_empty()) else {
        return Presence::Offline;
    };
    for wanted in [Presence::Online, Presence::InMeeting] {
        if states.values().any(|s| s.presence == wanted) {
            return wanted;
        }
    }
    Presence::Away
}

impl PresenceTracker {
    pub fn new(hub: EphemeralHub, bus: Option<Bus>) -> Self {
        PresenceTracker {
            connections: Arc::default(),
            hub,
            bus,
        }
    }

    fn me(&self) -> NodeId {
        self.bus.as_ref().map(Bus::node).unwrap_or_default()
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
        // A connection keeps its home: a meeting held on this node may change the
        // state of a connection open on another.
        let counted = all
            .get(&user_id)
            .and_then(|states| states.get(&connection_id))
            .map(|s| s.home);
        if presence.is_none() && counted.is_none() {
            return;
        }
        let home = counted.unwrap_or_else(|| self.me());
        if let Some(bus) = &self.bus {
            bus.broadcast(Message::Presence {
                user_id,
                connection_id,
                home,
                presence,
            });
        }
        self.apply(&mut all, user_id, connection_id, home, presence);
    }

    /// A change another node told (see `set`).
    pub fn apply_remote(
        &self,
        user_id: UserId,
        connection_id: Uuid,
        home: NodeId,
        presence: Option<Presence>,
    ) {
        let mut all = self.lock();
        self.apply(&mut all, user_id, connection_id, home, presence);
    }

    /// Every connection open on this node, told again (a node started and asked).
    pub fn tell_mine(&self) {
        let Some(bus) = &self.bus else { return };
        let me = self.me();
        for (user_id, states) in self.lock().iter() {
            for (connection_id, state) in states.iter().filter(|(_, s)| s.home == me) {
                bus.broadcast(Message::Presence {
                    user_id: *user_id,
                    connection_id: *connection_id,
                    home: me,
                    presence: Some(state.presence),
                });
            }
        }
    }

    /// A node is gone, and with it every connection that was open on it.
    pub fn forget_home(&self, home: NodeId) {
        let mut all = self.lock();
        let gone: Vec<(UserId, Uuid)> = all
            .iter()
            .flat_map(|(user, states)| {
                states
                    .iter()
                    .filter(|(_, s)| s.home == home)
                    .map(|(connection, _)| (*user, *connection))
            })
            .collect();
        for (user_id, connection_id) in gone {
            self.apply(&mut all, user_id, connection_id, home, None);
        }
    }

    /// Changes one connection's state and announces a change of the aggregate to this
    /// node's connections, under the lock (announcements cannot overtake each other).
    fn apply(
        &self,
        all: &mut Connections,
        user_id: UserId,
        connection_id: Uuid,
        home: NodeId,
        presence: Option<Presence>,
    ) {
        let before = aggregate(all.get(&user_id));
        match presence {
            Some(presence) => {
                all.entry(user_id)
                    .or_default()
                    .insert(connection_id, State { presence, home });
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
            self.hub.send_local(
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

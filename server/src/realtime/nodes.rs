//! This process's part in a cluster of nodes (see `cluster`): it publishes and hears
//! the bus, records its heartbeat, and acts when another node is gone.

use std::collections::HashSet;

use tokio::task::JoinSet;

use super::cluster::bus::{self, Envelope, Message};
use super::cluster::owners::{Resource, MEETING_PREFIX};
use super::cluster::{timeout_ms, NodeId, HEARTBEAT};
use super::remote;
use crate::db::cluster;
use crate::state::AppState;

/// Close code for sockets whose rooms were on a node that is gone: the client
/// reconnects and rejoins, as after a server restart.
const CLOSE_GOING_AWAY: u16 = 1001;
/// Heartbeats between clean-ups of the cluster's tables.
const PRUNE_EVERY: u32 = 60;
/// A node gone this long is forgotten, and so are the rooms it held.
const FORGET_NODE_MS: i64 = 3_600_000;
/// Spilled bus messages are read within moments; kept this long.
const SPILL_KEPT_MS: i64 = 60_000;

/// Runs until aborted (with the tasks it started). Does nothing with one database
/// process (SQLite).
pub async fn run(state: AppState, database_url: String) {
    let Some(cluster) = &state.cluster else {
        return;
    };
    let me = cluster.node();
    let mut tasks = JoinSet::new();
    if let Some(outgoing) = cluster.take_outgoing() {
        tasks.spawn(bus::publish(state.db.clone(), outgoing));
    }
    let hearing = state.clone();
    tasks.spawn(bus::listen(
        database_url,
        state.db.clone(),
        me,
        move |envelope| heard(&hearing, envelope),
    ));
    // Whoever is connected elsewhere already: every node tells this one.
    cluster.bus.broadcast(Message::PresenceWanted);
    let mut known: HashSet<NodeId> = HashSet::new();
    let mut tick = tokio::time::interval(HEARTBEAT);
    let mut beats = 0u32;
    loop {
        tick.tick().await;
        if let Err(err) = cluster::heartbeat(&state.db, me, cluster.url()).await {
            tracing::warn!(error = %err, "could not record this node's heartbeat");
            continue;
        }
        match cluster::live_nodes(&state.db, timeout_ms()).await {
            Ok(live) => {
                let live: HashSet<NodeId> = live.into_iter().collect();
                for node in known.difference(&live).filter(|node| **node != me) {
                    node_gone(&state, *node).await;
                }
                known = live;
            }
            Err(err) => tracing::warn!(error = %err, "could not read which nodes are alive"),
        }
        beats = beats.wrapping_add(1);
        if beats.is_multiple_of(PRUNE_EVERY) {
            if let Err(err) = cluster::prune(&state.db, FORGET_NODE_MS, SPILL_KEPT_MS).await {
                tracing::warn!(error = %err, "could not prune the cluster's tables");
            }
        }
    }
}

fn heard(state: &AppState, envelope: Envelope) {
    match envelope.message {
        Message::Frame { target, text } => {
            state.subscribers.notify(&target, &text.into());
        }
        Message::Presence {
            user_id,
            connection_id,
            home,
            presence,
        } => state
            .presence
            .apply_remote(user_id, connection_id, home, presence),
        Message::PresenceWanted => state.presence.tell_mine(),
        Message::Forward {
            connection_id,
            body,
        } => remote::accept(state, envelope.from, connection_id, &body),
        Message::Closed { connection_id } => remote::closed(state, connection_id),
    }
}

/// A node stopped heartbeating: forget its connections, close the sockets here that
/// used its rooms, and take over the meetings it held (one survivor each).
async fn node_gone(state: &AppState, node: NodeId) {
    let Some(cluster) = &state.cluster else {
        return;
    };
    tracing::warn!(%node, "a server node is gone");
    cluster.owners.forget_node(node);
    state.presence.forget_home(node);
    remote::home_gone(state, node);
    for connection_id in cluster.forwarders_of(node) {
        state
            .connections
            .close_connection(connection_id, CLOSE_GOING_AWAY);
    }
    let held = match cluster::held_by(&state.db, node, MEETING_PREFIX).await {
        Ok(held) => held,
        Err(err) => {
            tracing::warn!(error = %err, "could not read the meetings a gone node held");
            return;
        }
    };
    for meeting_id in held.iter().filter_map(|key| Resource::meeting_of_key(key)) {
        let mine = cluster
            .holds(&state.db, Resource::Meeting(meeting_id))
            .await;
        if matches!(mine, Ok(true)) {
            if let Err(err) = crate::meetings::lifecycle::recover_one(state, meeting_id).await {
                tracing::warn!(error = %err, %meeting_id, "could not take over a meeting");
            }
        }
    }
}

//! A town hall's audience on node k ≠ 0 must receive every speaker, who publish on
//! node 0. Once a second, for each such town hall, the server lists node 0's
//! publishers and, on each audience node, adds a remote publisher with the speaker's
//! own feed id (`add_remote_publisher`, which answers the RTP port to send to) and
//! has node 0 forward the speaker there (`publish_remotely`); speakers who stopped
//! are unforwarded (`unpublish_remotely`) and removed (`remove_remote_publisher`).
//! The speakers' stream descriptions come from a short join on node 0 (the `joined`
//! answer lists the active publishers and their streams).

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use serde_json::{json, Value};
use tandem_protocol::meetings::MeetingId;
use uuid::Uuid;

use super::janus_api::JanusResult;
use super::rooms::{RoomKeys, NO_SUCH_FEED, NO_SUCH_ROOM};
use super::Sfu;
use crate::state::{AppState, WeakState};

/// What is forwarded now: meeting → audience node → speaker feeds.
pub type Forwarded = HashMap<MeetingId, HashMap<usize, BTreeSet<String>>>;

/// The feed id prefix of the server's own short joins (not a participant).
pub const WATCHER_PREFIX: &str = "tandem-cascade-";

const TICK: Duration = Duration::from_secs(1);

/// Runs the cascade while the server lives (only useful with two nodes or more).
pub fn spawn(state: &AppState) {
    if state.sfu.as_ref().is_none_or(|sfu| sfu.nodes.len() < 2) {
        return;
    }
    let weak = state.downgrade();
    tokio::spawn(run(weak));
}

async fn run(weak: WeakState) {
    let mut interval = tokio::time::interval(TICK);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        let Some(state) = weak.upgrade() else { return };
        tick(&state).await;
    }
}

/// Town halls with audience nodes: (meeting, keys, audience nodes).
fn cascaded(state: &AppState) -> Vec<(MeetingId, RoomKeys, BTreeSet<usize>)> {
    state.meetings.with(&state.ephemeral, |live, _| {
        live.rooms
            .values()
            .filter(|room| room.town_hall)
            .filter_map(|room| {
                let (keys, nodes) = room.active_sfu()?;
                let audience: BTreeSet<usize> = nodes.into_iter().filter(|n| *n != 0).collect();
                (!audience.is_empty()).then_some((room.meeting_id, keys, audience))
            })
            .collect()
    })
}

async fn tick(state: &AppState) {
    let Some(sfu) = state.sfu.as_ref() else {
        return;
    };
    for (meeting_id, keys, audience) in cascaded(state) {
        if let Err(err) = sync(sfu, meeting_id, &keys, &audience).await {
            tracing::warn!(error = %err, %meeting_id, "town hall cascade failed; retrying");
        }
    }
}

fn forwarded(sfu: &Sfu, meeting_id: MeetingId, node: usize) -> BTreeSet<String> {
    let all = sfu.forwarded.lock().unwrap_or_else(|p| p.into_inner());
    all.get(&meeting_id)
        .and_then(|nodes| nodes.get(&node))
        .cloned()
        .unwrap_or_default()
}

fn mark(sfu: &Sfu, meeting_id: MeetingId, node: usize, feed: &str, on: bool) {
    let mut all = sfu.forwarded.lock().unwrap_or_else(|p| p.into_inner());
    let feeds = all.entry(meeting_id).or_default().entry(node).or_default();
    if on {
        feeds.insert(feed.to_string());
    } else {
        feeds.remove(feed);
    }
}

/// The meeting ended: nothing of it is forwarded any more.
pub fn forget(sfu: &Sfu, meeting_id: MeetingId) {
    let mut all = sfu.forwarded.lock().unwrap_or_else(|p| p.into_inner());
    all.remove(&meeting_id);
}

/// A node lost the room (Janus restarted): its remote publishers are gone too.
pub fn node_lost(sfu: &Sfu, meeting_id: MeetingId, node: usize) {
    let mut all = sfu.forwarded.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(nodes) = all.get_mut(&meeting_id) {
        if node == 0 {
            nodes.clear();
        } else {
            nodes.remove(&node);
        }
    }
}

/// One pass for one town hall.
pub async fn sync(
    sfu: &Sfu,
    meeting_id: MeetingId,
    keys: &RoomKeys,
    audience: &BTreeSet<usize>,
) -> JanusResult<()> {
    let room = meeting_id.to_string();
    let origin = &sfu.nodes[0].api;
    let speakers: BTreeSet<String> = sfu
        .rooms()
        .participants(origin, &room)
        .await?
        .into_iter()
        .filter(|p| p.publisher && !p.feed.starts_with(WATCHER_PREFIX))
        .map(|p| p.feed)
        .collect();
    let mut streams: Option<HashMap<String, Value>> = None;
    for &node in audience {
        let have = forwarded(sfu, meeting_id, node);
        for feed in have.difference(&speakers) {
            stop(sfu, &room, keys, node, feed).await;
            mark(sfu, meeting_id, node, feed, false);
        }
        for feed in speakers.difference(&have) {
            if streams.is_none() {
                streams = Some(publishers(sfu, &room, keys).await?);
            }
            let Some(described) = streams.as_ref().and_then(|s| s.get(feed)) else {
                continue;
            };
            forward(sfu, &room, keys, node, feed, described).await?;
            mark(sfu, meeting_id, node, feed, true);
            tracing::info!(%meeting_id, node, %feed, "speaker forwarded to an audience node");
        }
    }
    Ok(())
}

/// Node 0's active publishers and their streams, from a short join of our own.
async fn publishers(sfu: &Sfu, room: &str, keys: &RoomKeys) -> JanusResult<HashMap<String, Value>> {
    let handle = sfu.api.open(&sfu.nodes[0].api).await?;
    let joined = handle
        .request_async(json!({
            "request": "join",
            "ptype": "publisher",
            "room": room,
            "id": format!("{WATCHER_PREFIX}{}", Uuid::new_v4()),
            "display": "Tandem cascade",
            "pin": keys.pin,
            "token": sfu.server_room_token(room),
        }))
        .await;
    handle.close().await;
    let joined = joined?;
    Ok(joined["publishers"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|p| Some((p["id"].as_str()?.to_string(), p["streams"].clone())))
                .collect()
        })
        .unwrap_or_default())
}

/// The fields `add_remote_publisher` takes for each stream (from a publisher's
/// description in a `joined`/`event` answer).
fn remote_streams(described: &Value) -> Value {
    const FIELDS: &[&str] = &[
        "type",
        "mindex",
        "mid",
        "disabled",
        "codec",
        "description",
        "stereo",
        "fec",
        "dtx",
        "h264-profile",
        "vp9-profile",
        "simulcast",
        "svc",
    ];
    let list = described.as_array().cloned().unwrap_or_default();
    Value::Array(
        list.iter()
            .map(|stream| {
                let mut out = serde_json::Map::new();
                for field in FIELDS {
                    if let Some(value) = stream.get(*field) {
                        out.insert((*field).to_string(), value.clone());
                    }
                }
                Value::Object(out)
            })
            .collect(),
    )
}

fn host_of(api: &str) -> Option<String> {
    url::Url::parse(api).ok()?.host_str().map(str::to_string)
}

fn remote_id(node: usize) -> String {
    format!("tandem-node-{node}")
}

async fn forward(
    sfu: &Sfu,
    room: &str,
    keys: &RoomKeys,
    node: usize,
    feed: &str,
    described: &Value,
) -> JanusResult<()> {
    let target = &sfu.nodes[node].api;
    let target_host = host_of(target).unwrap_or_else(|| "127.0.0.1".into());
    // A stale remote publisher (e.g. the last pass failed half way) is replaced.
    let _ = sfu
        .api
        .request(
            target,
            json!({"request": "remove_remote_publisher", "room": room,
                   "secret": keys.secret, "id": feed}),
        )
        .await;
    let mut add = json!({
        "request": "add_remote_publisher",
        "room": room,
        "secret": keys.secret,
        "id": feed,
        "streams": remote_streams(described),
    });
    if target_host.parse::<std::net::IpAddr>().is_ok() {
        add["iface"] = json!(target_host);
    }
    let added = match sfu.api.request(target, add.clone()).await {
        // The node lost the room (Janus restarted) and no audience member asked for it
        // again yet: make it, then add.
        Err(err) if err.code() == Some(NO_SUCH_ROOM) => {
            sfu.rooms()
                .create(target, room, keys, sfu.capacity())
                .await?;
            sfu.api.request(target, add).await?
        }
        other => other?,
    };
    let ip = added["ip"]
        .as_str()
        .filter(|ip| !ip.is_empty() && *ip != "0.0.0.0")
        .map(str::to_string)
        .unwrap_or(target_host);
    let mut publish = json!({
        "request": "publish_remotely",
        "room": room,
        "secret": keys.secret,
        "admin_key": sfu.admin_key(),
        "publisher_id": feed,
        "remote_id": remote_id(node),
        "host": ip,
        "port": added["port"],
    });
    if let Some(rtcp) = added["rtcp_port"].as_u64() {
        publish["rtcp_port"] = json!(rtcp);
    }
    sfu.api.request(&sfu.nodes[0].api, publish).await?;
    Ok(())
}

async fn stop(sfu: &Sfu, room: &str, keys: &RoomKeys, node: usize, feed: &str) {
    let unpublish = json!({
        "request": "unpublish_remotely",
        "room": room,
        "secret": keys.secret,
        "admin_key": sfu.admin_key(),
        "publisher_id": feed,
        "remote_id": remote_id(node),
    });
    // The speaker may be gone from node 0 already, taking the forwarder with them.
    if let Err(err) = sfu.api.request(&sfu.nodes[0].api, unpublish).await {
        tracing::debug!(error = %err, %feed, "unpublish_remotely");
    }
    let remove = json!({"request": "remove_remote_publisher", "room": room,
                        "secret": keys.secret, "id": feed});
    match sfu.api.request(&sfu.nodes[node].api, remove).await {
        Ok(_) => {}
        Err(err) if matches!(err.code(), Some(NO_SUCH_FEED | NO_SUCH_ROOM)) => {}
        Err(err) => tracing::warn!(error = %err, %feed, node, "remove_remote_publisher failed"),
    }
}

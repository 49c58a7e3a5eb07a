//! The meetings side of the SFU: where a joining participant goes (mesh, or which
//! node), the switch of a meeting from mesh to the SFU, fresh tokens, the town-hall
//! stage, and cleaning up Janus after people leave and meetings end.
//!
//! Janus calls are never made under the registry lock: a join that needs a room on a
//! node returns `Err(node)` from `place`, the caller makes it with `ensure_room` and
//! tries again (a new look at the room under the lock).

use std::collections::BTreeSet;

use tandem_protocol::meetings::{MeetingId, MeetingNotice, ParticipantId};
use tandem_protocol::sfu::{MediaRoute, MAX_MESH_PARTICIPANTS};
use tandem_protocol::ErrorCode;

use super::placement;
use super::rooms::RoomKeys;
use super::Sfu;
use crate::meetings::registry::Outbox;
use crate::meetings::requests::Refusal;
use crate::meetings::room::{Member, Room, SfuRoom};
use crate::state::AppState;

/// Where one more joined participant's media goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    Mesh,
    Sfu { node: usize },
}

/// Where a participant (on stage or not) joining `room` now goes, or `Err(node)`: the
/// SFU room must first be made on `node`.
pub fn place(sfu: Option<&Sfu>, room: &Room, on_stage: bool) -> Result<Placement, usize> {
    let Some(sfu) = sfu else {
        return Ok(Placement::Mesh);
    };
    let active = room.sfu.as_ref().is_some_and(|s| s.active);
    if !(room.town_hall || active || room.joined_count() + 1 > sfu.mesh_max) {
        return Ok(Placement::Mesh);
    }
    let node = if room.town_hall && !on_stage {
        placement::audience_node(sfu.nodes.len(), |node| {
            room.joined().filter(|m| m.node == node).count()
        })
    } else {
        0
    };
    match &room.sfu {
        Some(s) if s.nodes.contains(&node) => Ok(Placement::Sfu { node }),
        _ => Err(node),
    }
}

/// The most participants `room` may hold.
pub fn capacity(sfu: Option<&Sfu>) -> usize {
    sfu.map_or(MAX_MESH_PARTICIPANTS, Sfu::capacity)
}

/// Why someone could not join, for the hosts.
pub fn at_capacity_message(sfu: Option<&Sfu>) -> String {
    match sfu {
        None => format!(
            "Someone could not join: this meeting is peer to peer and holds at most \
             {MAX_MESH_PARTICIPANTS} people. An admin can add an SFU (Janus) for larger \
             meetings."
        ),
        Some(sfu) => format!(
            "Someone could not join: this meeting is full ({} people).",
            sfu.capacity()
        ),
    }
}

/// The route `member` of `room` has now.
pub fn route_of(sfu: Option<&Sfu>, room: &Room, member: &Member, now_ms: i64) -> MediaRoute {
    match (sfu, &room.sfu) {
        (Some(sfu), Some(s)) if s.active => MediaRoute::Sfu(sfu.access(
            room.meeting_id,
            member.participant.id,
            member.node,
            member.participant.on_stage,
            &s.keys,
            now_ms,
        )),
        _ => MediaRoute::Mesh,
    }
}

/// Puts the member at `index` (about to enter) where `placement` says; the first one
/// placed on the SFU switches the meeting, and everyone already in gets their route.
pub fn apply(
    sfu: Option<&Sfu>,
    room: &mut Room,
    index: usize,
    placement: Placement,
    now_ms: i64,
    out: &mut Outbox,
) {
    let Placement::Sfu { node } = placement else {
        return;
    };
    room.members[index].node = node;
    let Some(s) = room.sfu.as_mut() else { return };
    if s.active {
        return;
    }
    s.active = true;
    tracing::info!(meeting_id = %room.meeting_id, "meeting moved to the SFU");
    let entering = room.members[index].connection_id;
    for member in room.joined().filter(|m| m.connection_id != entering) {
        out.to_one(
            member.connection_id,
            MeetingNotice::Route {
                meeting_id: room.meeting_id,
                route: route_of(sfu, room, member, now_ms),
            },
        );
    }
}

fn unavailable(meeting_id: MeetingId, err: impl std::fmt::Display) -> Refusal {
    tracing::error!(error = %err, %meeting_id, "the SFU failed");
    Refusal::new(
        meeting_id,
        ErrorCode::Internal,
        "The media server (SFU) is not available right now. Try again shortly.",
    )
}

fn gone(meeting_id: MeetingId) -> Refusal {
    Refusal::new(meeting_id, ErrorCode::Gone, "This meeting has ended.")
}

/// Makes the meeting's SFU room on `node` (with the meeting's keys, new ones for its
/// first node), unless it is there already.
pub async fn ensure_room(
    state: &AppState,
    meeting_id: MeetingId,
    node: usize,
) -> Result<(), Refusal> {
    let Some(sfu) = state.sfu.as_ref() else {
        return Ok(());
    };
    let _one_at_a_time = sfu.creating.lock().await;
    let known = state.meetings.with(&state.ephemeral, |live, _| {
        live.rooms.get(&meeting_id).map(|room| {
            room.sfu
                .as_ref()
                .map(|s| (s.keys.clone(), s.nodes.contains(&node)))
        })
    });
    let keys = match known {
        None => return Err(gone(meeting_id)),
        Some(Some((_, true))) => return Ok(()),
        Some(Some((keys, false))) => keys,
        Some(None) => sfu.keys_for(meeting_id),
    };
    let base = &sfu.nodes[node].api;
    sfu.rooms()
        .create(base, &meeting_id.to_string(), &keys, sfu.capacity())
        .await
        .map_err(|err| unavailable(meeting_id, err))?;
    tracing::info!(%meeting_id, node, "SFU room created");
    let kept = state.meetings.with(&state.ephemeral, |live, _| {
        let Some(room) = live.rooms.get_mut(&meeting_id) else {
            return false;
        };
        let s = room.sfu.get_or_insert_with(|| SfuRoom {
            keys: keys.clone(),
            nodes: BTreeSet::new(),
            active: false,
        });
        s.nodes.insert(node);
        true
    });
    if !kept {
        // The meeting ended meanwhile: nobody will use the room.
        destroy(state, meeting_id, &keys, &BTreeSet::from([node])).await;
        return Err(gone(meeting_id));
    }
    Ok(())
}

/// Kicks `feed` from the meeting's room on each of `nodes`: its publisher handle ends
/// (and with it what it sends to everyone), and remote copies on cascade nodes go.
pub async fn kick(
    state: &AppState,
    meeting_id: MeetingId,
    feed: ParticipantId,
    keys: &RoomKeys,
    nodes: &BTreeSet<usize>,
) {
    let Some(sfu) = state.sfu.as_ref() else {
        return;
    };
    let room = meeting_id.to_string();
    for node in nodes {
        let base = &sfu.nodes[*node].api;
        match sfu.rooms().kick(base, &room, keys, &feed.to_string()).await {
            Ok(()) => tracing::debug!(%meeting_id, %feed, node, "kicked from the SFU room"),
            Err(err) => tracing::warn!(error = %err, %meeting_id, %feed, node, "SFU kick failed"),
        }
    }
}

/// Destroys the meeting's room on each of `nodes` (the meeting ended).
pub async fn destroy(
    state: &AppState,
    meeting_id: MeetingId,
    keys: &RoomKeys,
    nodes: &BTreeSet<usize>,
) {
    let Some(sfu) = state.sfu.as_ref() else {
        return;
    };
    super::cascade::forget(sfu, meeting_id);
    let room = meeting_id.to_string();
    for node in nodes {
        let base = &sfu.nodes[*node].api;
        if let Err(err) = sfu.rooms().destroy(base, &room, keys).await {
            tracing::warn!(error = %err, %meeting_id, node, "could not destroy the SFU room");
        }
    }
}

/// `RefreshRoute`: the caller's node still has the room (made again if Janus lost it)
/// and they get fresh tokens.
pub async fn refresh(
    state: &AppState,
    connection_id: uuid::Uuid,
    meeting_id: MeetingId,
) -> Result<(), Refusal> {
    let forbidden = || {
        Refusal::new(
            meeting_id,
            ErrorCode::Forbidden,
            "Only participants of this meeting can have its media route.",
        )
    };
    let mesh = || {
        Refusal::new(
            meeting_id,
            ErrorCode::Conflict,
            "This meeting is peer to peer: there is no SFU access to refresh.",
        )
    };
    let (keys, node) = state.meetings.with(&state.ephemeral, |live, _| {
        let room = live.rooms.get(&meeting_id).ok_or_else(forbidden)?;
        let member = room
            .by_connection(connection_id)
            .filter(|m| !m.waiting)
            .ok_or_else(forbidden)?;
        let (keys, _) = room.active_sfu().ok_or_else(mesh)?;
        Ok::<_, Refusal>((keys, member.node))
    })?;
    let sfu = state.sfu.as_ref().ok_or_else(mesh)?;
    let base = &sfu.nodes[node].api;
    let room_id = meeting_id.to_string();
    let exists = sfu
        .rooms()
        .exists(base, &room_id)
        .await
        .map_err(|err| unavailable(meeting_id, err))?;
    if !exists {
        tracing::warn!(%meeting_id, node, "the SFU lost the room; making it again");
        sfu.rooms()
            .create(base, &room_id, &keys, sfu.capacity())
            .await
            .map_err(|err| unavailable(meeting_id, err))?;
        super::cascade::node_lost(sfu, meeting_id, node);
    }
    let now = state.now();
    state.meetings.with(&state.ephemeral, |live, out| {
        let room = live.rooms.get(&meeting_id).ok_or_else(forbidden)?;
        let member = room
            .by_connection(connection_id)
            .filter(|m| !m.waiting)
            .ok_or_else(forbidden)?;
        out.to_one(
            connection_id,
            MeetingNotice::Route {
                meeting_id,
                route: route_of(state.sfu.as_ref(), room, member, now),
            },
        );
        Ok(())
    })
}

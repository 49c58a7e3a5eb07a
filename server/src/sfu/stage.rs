//! A town hall's stage: a host brings someone on stage (they publish on node 0) or
//! sends them back to the audience (they only subscribe, on an audience node).

use tandem_protocol::meetings::{MeetingId, MeetingNotice, ParticipantId};
use tandem_protocol::ErrorCode;

use super::placement;
use super::routing::{ensure_room, kick, route_of};
use crate::meetings::requests::Refusal;
use crate::state::AppState;

fn not_here(meeting_id: MeetingId) -> Refusal {
    Refusal::new(
        meeting_id,
        ErrorCode::NotFound,
        "That participant is not here.",
    )
}

/// Moves `participant_id` on stage or off it: their old feed is kicked (so the new
/// join can use the same feed id), everyone sees `participant_updated`, and they get
/// their new route.
pub async fn set(
    state: &AppState,
    meeting_id: MeetingId,
    participant_id: ParticipantId,
    on_stage: bool,
) -> Result<(), Refusal> {
    let Some(sfu) = state.sfu.as_ref() else {
        return Err(Refusal::new(
            meeting_id,
            ErrorCode::Conflict,
            "This is not a town hall.",
        ));
    };
    let target = |room: &crate::meetings::room::Room| {
        if on_stage {
            0
        } else {
            placement::audience_node(sfu.nodes.len(), |node| {
                room.joined()
                    .filter(|m| m.node == node && m.participant.id != participant_id)
                    .count()
            })
        }
    };
    let node = state
        .meetings
        .with(&state.ephemeral, |live, _| {
            live.rooms.get(&meeting_id).map(target)
        })
        .ok_or_else(|| not_here(meeting_id))?;
    ensure_room(state, meeting_id, node).await?;
    let before = state.meetings.with(&state.ephemeral, |live, _| {
        let room = live.rooms.get(&meeting_id)?;
        let member = room.joined().find(|m| m.participant.id == participant_id)?;
        let (keys, nodes) = room.active_sfu()?;
        Some((
            keys,
            nodes,
            member.participant.on_stage == on_stage && member.node == node,
        ))
    });
    let (keys, nodes, unchanged) = before.ok_or_else(|| not_here(meeting_id))?;
    if unchanged {
        return Ok(());
    }
    kick(state, meeting_id, participant_id, &keys, &nodes).await;
    let now = state.now();
    state.meetings.with(&state.ephemeral, |live, out| {
        let room = live
            .rooms
            .get_mut(&meeting_id)
            .ok_or_else(|| not_here(meeting_id))?;
        let index = room
            .members
            .iter()
            .position(|m| m.participant.id == participant_id && !m.waiting)
            .ok_or_else(|| not_here(meeting_id))?;
        room.members[index].participant.on_stage = on_stage;
        room.members[index].node = node;
        let participant = room.members[index].participant.clone();
        out.to(
            room.joined().map(|m| m.connection_id).collect(),
            MeetingNotice::ParticipantUpdated {
                meeting_id,
                participant,
            },
        );
        let member = &room.members[index];
        out.to_one(
            member.connection_id,
            MeetingNotice::Route {
                meeting_id,
                route: route_of(Some(sfu), room, member, now),
            },
        );
        tracing::info!(%meeting_id, %participant_id, on_stage, node, "town hall stage changed");
        Ok::<(), Refusal>(())
    })?;
    Ok(())
}

//! One meeting's live room: who is in it (one entry per connection), who waits in the
//! lobby, and their media state. Plain data; the registry holds it under its lock.

use std::collections::{BTreeSet, HashSet};

use tandem_protocol::meetings::{
    MeetingId, MeetingKind, MeetingPerson, Participant, ParticipantId,
};
use tandem_protocol::recordings::RecordingId;
use tandem_protocol::UserId;
use uuid::Uuid;

use crate::db::meetings::MeetingRow;
use crate::sfu::rooms::RoomKeys;

pub struct Member {
    pub participant: Participant,
    /// The account behind the participant (guests too; `participant.user_id` is
    /// `None` for them on the wire).
    pub user_id: UserId,
    pub connection_id: Uuid,
    /// In the knock lobby of a locked meeting, not (yet) in the room.
    pub waiting: bool,
    /// The SFU node this participant uses (when the meeting is on the SFU).
    pub node: usize,
}

pub struct Room {
    pub meeting_id: MeetingId,
    pub kind: MeetingKind,
    pub host_id: UserId,
    pub locked: bool,
    /// In join order.
    pub members: Vec<Member>,
    /// Everyone who ever joined (seeded from the database when the room is made).
    pub attendees: HashSet<UserId>,
    /// Bumped on every join: an empty-room timer ends the meeting only if no one
    /// joined since it was set.
    pub epoch: u64,
    /// The recording in progress, if any (at most one per meeting).
    pub recording: Option<ActiveRecording>,
    /// People removed while this room lived and not readmitted. The database
    /// (`meeting_removals`) is the record; this closes the gap between a removal and
    /// its row being written, so a removed tab cannot slip back in meanwhile.
    pub barred: HashSet<UserId>,
    /// A town hall: stage and audience, through the SFU from the first join.
    pub town_hall: bool,
    /// The meeting's SFU room, once made (see `crate::sfu::routing`).
    pub sfu: Option<SfuRoom>,
}

/// A meeting's room on the SFU.
pub struct SfuRoom {
    pub keys: RoomKeys,
    /// The nodes the room was created on.
    pub nodes: BTreeSet<usize>,
    /// The meeting's media goes through it (set once, never cleared while it runs).
    /// False while it is only prepared for the join that will switch it.
    pub active: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct ActiveRecording {
    pub id: RecordingId,
    pub started_by: UserId,
}

impl Room {
    pub fn new(row: &MeetingRow, attendees: HashSet<UserId>) -> Result<Self, sqlx::Error> {
        Ok(Room {
            meeting_id: row.meeting_id()?,
            kind: row.kind(),
            host_id: row.host()?,
            locked: row.locked,
            members: Vec::new(),
            attendees,
            epoch: 0,
            recording: None,
            barred: HashSet::new(),
            town_hall: row.town_hall,
            sfu: None,
        })
    }

    /// The SFU room's keys and nodes, when the meeting's media goes through it.
    pub fn active_sfu(&self) -> Option<(RoomKeys, BTreeSet<usize>)> {
        self.sfu
            .as_ref()
            .filter(|s| s.active)
            .map(|s| (s.keys.clone(), s.nodes.clone()))
    }

    pub fn joined(&self) -> impl Iterator<Item = &Member> {
        self.members.iter().filter(|m| !m.waiting)
    }

    pub fn joined_count(&self) -> usize {
        self.joined().count()
    }

    pub fn by_connection(&self, connection_id: Uuid) -> Option<&Member> {
        self.members
            .iter()
            .find(|m| m.connection_id == connection_id)
    }

    pub fn index_of(&self, participant_id: ParticipantId) -> Option<usize> {
        self.members
            .iter()
            .position(|m| m.participant.id == participant_id)
    }

    /// Connections of joined participants, but `except`.
    pub fn joined_connections_except(&self, except: Uuid) -> Vec<Uuid> {
        self.joined()
            .map(|m| m.connection_id)
            .filter(|c| *c != except)
            .collect()
    }

    /// Connections of every joined participant and everyone in the lobby.
    pub fn all_connections(&self) -> Vec<Uuid> {
        self.members.iter().map(|m| m.connection_id).collect()
    }

    /// Connections of joined hosts (they handle knocks).
    pub fn host_connections(&self) -> Vec<Uuid> {
        self.joined()
            .filter(|m| m.participant.host)
            .map(|m| m.connection_id)
            .collect()
    }

    pub fn participants(&self) -> Vec<Participant> {
        self.joined().map(|m| m.participant.clone()).collect()
    }

    /// Who is in the room, once per person (two tabs are one person on the card).
    pub fn present(&self) -> Vec<MeetingPerson> {
        let mut seen = HashSet::new();
        self.joined()
            .filter(|m| seen.insert(m.user_id))
            .map(|m| MeetingPerson {
                user_id: m.participant.user_id,
                display_name: m.participant.display_name.clone(),
                guest: m.participant.guest,
            })
            .collect()
    }

    /// The recording this member was making, if they were its starter's last tab
    /// in the room (so it is orphaned once they are gone).
    pub fn orphaned_by(&self, member: &Member) -> Option<RecordingId> {
        let active = self.recording?;
        (!member.waiting
            && active.started_by == member.user_id
            && !self.has_other_participant(member.user_id, member.connection_id))
        .then_some(active.id)
    }

    /// Whether this person has another participant in the room than `except`.
    pub fn has_other_participant(&self, user_id: UserId, except: Uuid) -> bool {
        self.joined()
            .any(|m| m.user_id == user_id && m.connection_id != except)
    }
}

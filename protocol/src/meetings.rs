//! Meetings and calls: rooms, participants, WebRTC signaling, host controls, guests.
//!
//! A meeting belongs to a channel or DM. Its card is a message in that channel whose
//! thread is the in-meeting chat, so the chat stays with the meeting and is readable in
//! the channel afterwards. Who is in the room is live state held by the server (a
//! participant is one joined tab); what the channel sees — started, who is in it,
//! ended — is a persisted `ws::Event::MeetingUpdated`.
//!
//! Realtime traffic rides the one WebSocket: the browser sends
//! `ws::ClientFrame::Meeting(MeetingRequest)`, the server answers with
//! `ws::ServerFrame::Meeting(MeetingNotice)`. Signaling is relayed only between current
//! participants of the same meeting.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::chat::{ChannelId, MessageId};
use crate::{ErrorCode, Timestamp, UserId};

pub type MeetingId = Uuid;
/// One joined tab. A person in a meeting from two devices is two participants.
pub type ParticipantId = Uuid;

/// Full mesh: every participant sends to every other, so without an SFU the room is
/// capped here. With one (see [`crate::sfu`]) a meeting moves to it instead.
pub const MAX_MEETING_PARTICIPANTS: usize = crate::sfu::MAX_MESH_PARTICIPANTS;
/// An unanswered call rings this long before it becomes a "Missed call".
pub const RING_TIMEOUT_MS: u64 = 30_000;
pub const MAX_MEETING_TITLE_CHARS: usize = 120;
/// Guest invite links live between five minutes and seven days.
pub const MAX_GUEST_INVITE_MINUTES: u32 = 7 * 24 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    /// Started from a channel header; anyone in the channel may join.
    Meeting,
    /// A call from a DM: the other side is rung.
    Call,
}

/// Someone who is (or was) in the meeting, as the channel card shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingPerson {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<UserId>,
    pub display_name: String,
    pub guest: bool,
}

/// The meeting as its channel sees it (the card).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Meeting {
    pub id: MeetingId,
    pub kind: MeetingKind,
    pub channel_id: ChannelId,
    /// The card message; its thread is the in-meeting chat.
    pub card_message_id: MessageId,
    pub title: String,
    pub host_id: UserId,
    pub started_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<Timestamp>,
    pub locked: bool,
    /// Who is in the room now (empty once ended).
    pub present: Vec<MeetingPerson>,
    /// Distinct people who joined at any point.
    pub attendee_count: u32,
    /// Being recorded right now: every participant (and anyone who joins later) shows
    /// a persistent "Recording" indicator.
    #[serde(default)]
    pub recording: bool,
    /// The meeting's whiteboard, once someone opened it. Participants open it beside
    /// the video when it appears; the card links it afterwards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub board_id: Option<crate::boards::BoardId>,
    /// A town hall: speakers on stage, everyone else a view-only audience who only
    /// subscribe (and may raise a hand). Always through the SFU.
    #[serde(default)]
    pub town_hall: bool,
}

/// What a participant is sending, as the others should show it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MediaState {
    pub audio_muted: bool,
    pub video_off: bool,
    /// The id of the MediaStream carrying the screen share, while sharing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screen_stream_id: Option<String>,
    pub hand_raised: bool,
}

/// Someone in the room, as the other participants see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Participant {
    pub id: ParticipantId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<UserId>,
    pub display_name: String,
    pub guest: bool,
    pub host: bool,
    pub media: MediaState,
    pub joined_at: Timestamp,
    /// In a town hall: a speaker (publishes) rather than audience. Always true in an
    /// ordinary meeting.
    #[serde(default = "on_stage_default")]
    pub on_stage: bool,
}

fn on_stage_default() -> bool {
    true
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StartMeetingRequest {
    /// Defaults to "Meeting in #<channel>".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Start a town hall (needs an SFU; refused with 409 without one).
    #[serde(default)]
    pub town_hall: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateGuestInviteRequest {
    /// How long the link works, in minutes (5 ..= MAX_GUEST_INVITE_MINUTES).
    pub expires_in_minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuestInvite {
    pub id: Uuid,
    pub meeting_id: MeetingId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub revoked: bool,
}

/// The answer to creating a guest link: the only time its secret is shown (the server
/// keeps only its SHA-256).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedGuestInvite {
    #[serde(flatten)]
    pub invite: GuestInvite,
    /// The secret in the link `/guest/<token>`.
    pub token: String,
}

/// What the guest landing page may show before joining (nothing else leaks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuestInvitePreview {
    pub meeting_title: String,
    pub host_name: String,
    pub ended: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuestJoinRequest {
    pub display_name: String,
}

/// A guest's session: scoped to this one meeting, and ending with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuestSession {
    pub user: crate::api::User,
    pub meeting: Meeting,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SdpKind {
    Offer,
    Answer,
    Pranswer,
    Rollback,
}

/// Someone a host removed from the meeting: barred from rejoining (a guest's link
/// too) until a host readmits them with `HostAction::Readmit { removal_id: id }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemovedPerson {
    pub id: Uuid,
    pub display_name: String,
    pub guest: bool,
    pub removed_at: Timestamp,
}

/// WebRTC signaling, relayed verbatim between two participants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "signal", rename_all = "snake_case")]
pub enum Signal {
    Description {
        kind: SdpKind,
        sdp: String,
    },
    Candidate {
        candidate: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sdp_mid: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sdp_m_line_index: Option<u16>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum HostAction {
    /// A locked meeting sends newcomers to the knock lobby.
    Lock {
        locked: bool,
    },
    Admit {
        participant_id: ParticipantId,
    },
    Deny {
        participant_id: ParticipantId,
    },
    /// Takes the person out (all their tabs) and bars them, and for a guest the link
    /// they came with, from rejoining until a host readmits them.
    Remove {
        participant_id: ParticipantId,
    },
    /// Lets a removed person (a `RemovedPerson.id`) join again.
    Readmit {
        removal_id: Uuid,
    },
    AskUnmute {
        participant_id: ParticipantId,
    },
    /// Ends the meeting for everyone.
    End,
    /// Town hall: make an audience member a speaker (they start publishing).
    BringOnStage {
        participant_id: ParticipantId,
    },
    /// Town hall: back to the audience (their streams end for everyone).
    SendToAudience {
        participant_id: ParticipantId,
    },
}

/// Browser → server, inside `ws::ClientFrame::Meeting`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum MeetingRequest {
    Join {
        meeting_id: MeetingId,
        media: MediaState,
    },
    Leave {
        meeting_id: MeetingId,
    },
    Signal {
        meeting_id: MeetingId,
        to: ParticipantId,
        signal: Signal,
    },
    UpdateMedia {
        meeting_id: MeetingId,
        media: MediaState,
    },
    Host {
        meeting_id: MeetingId,
        action: HostAction,
    },
    AnswerCall {
        meeting_id: MeetingId,
        accept: bool,
    },
    /// Fresh SFU tokens (before `SfuAccess::expires_at`), or the room again after the
    /// SFU lost it (Janus restarted): the server recreates it if needed and answers
    /// with `MeetingNotice::Route`.
    RefreshRoute {
        meeting_id: MeetingId,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RingEnd {
    Answered,
    Declined,
    Missed,
    Cancelled,
}

/// Server → browser, inside `ws::ServerFrame::Meeting`. Ephemeral: no seq.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum MeetingNotice {
    /// You are in. `participants` includes you; connect to every other one.
    Joined {
        meeting: Meeting,
        you: ParticipantId,
        participants: Vec<Participant>,
        /// How our media travels (mesh: connect to every other participant).
        #[serde(default)]
        route: crate::sfu::MediaRoute,
    },
    /// Our media route changed (the meeting moved to the SFU, we went on stage or
    /// back to the audience) or its tokens were refreshed. Only to this participant.
    Route {
        meeting_id: MeetingId,
        route: crate::sfu::MediaRoute,
    },
    /// To hosts: someone could not join because the meeting is full, and why (e.g.
    /// no SFU is configured, so a meeting cannot grow past the mesh size).
    AtCapacity {
        meeting_id: MeetingId,
        message: String,
    },
    /// The meeting is locked: you are in the knock lobby until a host decides.
    Waiting {
        meeting_id: MeetingId,
        you: ParticipantId,
    },
    Denied {
        meeting_id: MeetingId,
    },
    ParticipantJoined {
        meeting_id: MeetingId,
        participant: Participant,
    },
    ParticipantLeft {
        meeting_id: MeetingId,
        participant_id: ParticipantId,
    },
    ParticipantUpdated {
        meeting_id: MeetingId,
        participant: Participant,
    },
    /// To hosts: someone is waiting in the lobby.
    Knocking {
        meeting_id: MeetingId,
        participant: Participant,
    },
    /// To hosts: a knock was admitted, denied or withdrawn.
    KnockResolved {
        meeting_id: MeetingId,
        participant_id: ParticipantId,
    },
    Signal {
        meeting_id: MeetingId,
        from: ParticipantId,
        signal: Signal,
    },
    LockChanged {
        meeting_id: MeetingId,
        locked: bool,
    },
    AskedToUnmute {
        meeting_id: MeetingId,
    },
    Removed {
        meeting_id: MeetingId,
    },
    /// To hosts, when they enter and whenever it changes: who is barred from the
    /// meeting (removed and not readmitted).
    RemovedPeople {
        meeting_id: MeetingId,
        people: Vec<RemovedPerson>,
    },
    Ended {
        meeting_id: MeetingId,
    },
    /// Recording started (`recording_id` set) or stopped (`None`).
    RecordingChanged {
        meeting_id: MeetingId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        recording_id: Option<crate::recordings::RecordingId>,
    },
    /// Someone is calling you.
    Ringing {
        meeting: Meeting,
        caller_id: UserId,
    },
    RingEnded {
        meeting_id: MeetingId,
        reason: RingEnd,
    },
    /// A request was refused (locked, full, not allowed, unknown participant …).
    Refused {
        meeting_id: MeetingId,
        code: ErrorCode,
        message: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn requests_round_trip() {
        let requests = [
            MeetingRequest::Join {
                meeting_id: Uuid::from_u128(1),
                media: MediaState::default(),
            },
            MeetingRequest::Signal {
                meeting_id: Uuid::from_u128(1),
                to: Uuid::from_u128(2),
                signal: Signal::Candidate {
                    candidate: "candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host".into(),
                    sdp_mid: Some("0".into()),
                    sdp_m_line_index: Some(0),
                },
            },
            MeetingRequest::Host {
                meeting_id: Uuid::from_u128(1),
                action: HostAction::End,
            },
        ];
        for r in requests {
            let text = serde_json::to_string(&r).unwrap();
            assert_eq!(serde_json::from_str::<MeetingRequest>(&text).unwrap(), r);
        }
    }

    #[test]
    fn signal_wire_shape() {
        let value = serde_json::to_value(Signal::Description {
            kind: SdpKind::Offer,
            sdp: "v=0".into(),
        })
        .unwrap();
        assert_eq!(
            value,
            json!({"signal": "description", "kind": "offer", "sdp": "v=0"})
        );
    }
}

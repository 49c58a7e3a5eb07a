//! The realtime protocol spoken over the one WebSocket per tab at `/api/ws`.
//!
//! Guarantees, and how they are kept:
//! - **Nothing lost.** Every persisted event has a `seq` in one durable, global log. The
//!   client remembers the last `seq` it applied and sends it in `resume`; the server
//!   replays everything after it from the database, then goes live. If it cannot (the gap
//!   is too old or the position unknown) it says `resync_required` and the client
//!   refetches state over REST.
//! - **Nothing duplicated.** Every command carries a client-made UUID. The server stores
//!   (user, command id) with the event it produced, in one transaction, and answers a
//!   retry with the same `ack` instead of acting twice. The client drops events whose
//!   `seq` it has already applied.
//! - **No silent drops.** A connection that falls behind its bounded queue is told
//!   `resync_required` rather than skipped over.
//!
//! Session flow: server sends `hello` → client sends `resume` (first frame, exactly once)
//! → server replays missed events, then `replay_complete` → live events, acks, pongs.
//!
//! Starting a page: read the log position (`GET /api/realtime/position`) *before*
//! loading any state over REST, then `resume` from it. An event appended while the
//! state loads is then replayed instead of falling between the load and the socket.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::{User, WorkspaceSettings};
use crate::boards::{Board, BoardId, BoardNotice, BoardRequest};
use crate::chat::{AttachmentId, Channel, ChannelId, Message, MessageId, Presence};
use crate::meetings::{Meeting, MeetingNotice, MeetingRequest};
use crate::{ErrorCode, Seq, Timestamp, UserId};

/// Frames larger than this are refused with an error frame (the socket stays open); a
/// refused command is named by its `command_id`, so the client drops it instead of
/// resending it forever. Clients check this before sending (`frame_fits`).
pub const MAX_FRAME_BYTES: usize = 64 * 1024;

/// What a command too large to send is refused with, by the server or by the client
/// before it is sent. Shown to people ("Not sent: …").
pub const FRAME_TOO_LARGE: &str = "Too long to send (the limit is 64 KiB).";

/// Whether a frame of this many bytes of JSON is within [`MAX_FRAME_BYTES`].
pub const fn frame_fits(bytes: usize) -> bool {
    bytes <= MAX_FRAME_BYTES
}

/// Frames past the server's hard transport cap (much larger than [`MAX_FRAME_BYTES`])
/// close the socket with this code ("message too big", RFC 6455).
pub const CLOSE_MESSAGE_TOO_BIG: u16 = 1009;

/// A text frame that is not UTF-8 closes the socket with this code ("invalid frame
/// payload data", RFC 6455).
pub const CLOSE_INVALID_PAYLOAD: u16 = 1007;

/// WebSocket close code sent when the session behind the socket ended (log-out,
/// revocation, deleted account). The client must not reconnect; it shows log-in.
pub const CLOSE_SESSION_ENDED: u16 = 4401;

/// WebSocket close code sent to a user's oldest socket when they open more than the
/// server allows at once (`--max-sockets-per-user`). The newest tab wins; the client
/// does not reconnect by itself (that would close another tab, and so on) but offers a
/// "Reconnect" button.
pub const CLOSE_TOO_MANY_SOCKETS: u16 = 4429;

/// `GET /api/realtime/position`: the newest `seq` in the event log, read before any
/// REST state is loaded so the socket can resume from it (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RealtimePosition {
    pub seq: Seq,
}

/// Frames the browser sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    /// Sent once, right after `hello`. `None` means "I have no position; start live
    /// from now" (the client loads current state over REST).
    Resume { last_seq: Option<Seq> },
    /// A state-changing request. Retrying with the same `id` is always safe.
    Command { id: Uuid, command: Command },
    /// Application-level heartbeat: browsers cannot send WebSocket pings themselves.
    Ping { nonce: u64 },
    /// "I am typing here". Ephemeral: relayed to the channel's other members, never
    /// stored. Send at most every few seconds while typing.
    Typing {
        channel_id: ChannelId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        thread_root_id: Option<MessageId>,
    },
    /// The tab became active (`online`) or idle/hidden (`away`). Ephemeral.
    SetPresence { presence: Presence },
    /// Joining, leaving, signaling and host controls of a meeting (live state, not
    /// persisted): `{"type": "meeting", "op": "join", …}`.
    Meeting(MeetingRequest),
    /// Opening, changing and pointing at a whiteboard: `{"type": "board", "action": …}`.
    Board(BoardRequest),
}

/// Everything a client can ask the server to do over the socket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Command {
    /// Set (or clear, with an empty text) the sender's status line.
    SetStatus {
        text: String,
    },
    /// Post a message. The new message's id is the command's id, so a client can match
    /// the message it shows as "sending" with the one that comes back.
    SendMessage {
        channel_id: ChannelId,
        body: String,
        /// Reply in this message's thread.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        thread_root_id: Option<MessageId>,
        /// A thread reply that should also appear in the channel.
        #[serde(default)]
        also_to_channel: bool,
        /// Files uploaded beforehand (`POST /api/uploads`) by the sender.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachment_ids: Vec<AttachmentId>,
        /// `None`: the channel's default urgency.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        urgency: Option<crate::urgency::Urgency>,
    },
    /// Only the author may edit.
    EditMessage {
        message_id: MessageId,
        body: String,
    },
    /// The author or an admin may delete; a "message deleted" marker stays.
    DeleteMessage {
        message_id: MessageId,
    },
    /// Add (`present: true`) or remove this user's reaction.
    SetReaction {
        message_id: MessageId,
        emoji: String,
        present: bool,
    },
    SetPinned {
        message_id: MessageId,
        pinned: bool,
    },
    /// Everything in the channel up to `seq` has been read (syncs the user's tabs).
    MarkRead {
        channel_id: ChannelId,
        seq: Seq,
    },
}

/// Frames the server sends.
// `Event` (carrying whole messages) dwarfs the other variants; frames are short-lived
// and boxing would make every match on them clumsier on both sides.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    Hello {
        connection_id: Uuid,
        protocol_version: u32,
        user_id: UserId,
        /// The newest `seq` in the log when the socket opened.
        stream_position: Seq,
        /// The server expects a frame (ping or otherwise) at least this often.
        heartbeat_interval_ms: u64,
    },
    Event(EventEnvelope),
    /// Everything missed has been replayed; what follows is live.
    ReplayComplete {
        seq: Seq,
    },
    /// The command was stored as `event_id` at `seq` (or had been, for a retry).
    Ack {
        command_id: Uuid,
        event_id: Uuid,
        seq: Seq,
    },
    /// Something the client sent was refused. `command_id` is set when a command was
    /// refused; such a command must not be retried unchanged, except after
    /// `rate_limited`: then it was not run, and may be sent again (same id) after
    /// `retry_after_ms`.
    Error {
        code: ErrorCode,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        command_id: Option<Uuid>,
        /// With `rate_limited`: wait at least this long before sending commands again.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after_ms: Option<u64>,
    },
    /// The server cannot bring this client up to date by replay. Refetch over REST,
    /// then reconnect with `resume { last_seq: None }`.
    ResyncRequired {
        reason: ResyncReason,
    },
    Pong {
        nonce: u64,
    },
    /// Someone is typing (ephemeral, no seq). Shown for a few seconds unless renewed.
    Typing {
        channel_id: ChannelId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        thread_root_id: Option<MessageId>,
        user_id: UserId,
    },
    /// Someone's presence changed (ephemeral, no seq; current state via REST).
    PresenceChanged {
        user_id: UserId,
        presence: Presence,
    },
    /// Meeting room traffic (ephemeral, no seq): `{"type": "meeting", "op": …}`.
    Meeting(MeetingNotice),
    /// Whiteboard traffic for boards this connection has open: `{"type": "board", …}`.
    Board(BoardNotice),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResyncReason {
    /// More events were missed than the server replays.
    GapTooOld,
    /// The client's position is ahead of the log (e.g. the database was replaced).
    UnknownPosition,
    /// The connection fell behind its bounded queue.
    Lagged,
}

/// One persisted event as stored in the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventEnvelope {
    pub seq: Seq,
    pub id: Uuid,
    pub at: Timestamp,
    pub event: Event,
}

/// What happened. Each event is visible to an audience the server decides; the client
/// only ever receives events it may see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    UserJoined {
        user: User,
    },
    /// A member changed their display name or time zone.
    ProfileUpdated {
        user: User,
    },
    StatusChanged {
        user_id: UserId,
        text: String,
    },
    WorkspaceUpdated {
        settings: WorkspaceSettings,
    },
    /// A channel was created, renamed, re-topiced, archived or its member count changed.
    ChannelUpdated {
        channel: Channel,
    },
    MemberJoined {
        channel_id: ChannelId,
        user_id: UserId,
    },
    MemberLeft {
        channel_id: ChannelId,
        user_id: UserId,
    },
    MessagePosted {
        message: Message,
    },
    /// The message's new state after an edit.
    MessageEdited {
        message: Message,
    },
    MessageDeleted {
        channel_id: ChannelId,
        message_id: MessageId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        thread_root_id: Option<MessageId>,
    },
    ReactionChanged {
        channel_id: ChannelId,
        message_id: MessageId,
        emoji: String,
        user_id: UserId,
        present: bool,
    },
    PinChanged {
        channel_id: ChannelId,
        message_id: MessageId,
        pinned: bool,
        by: UserId,
    },
    /// This user's read position moved (only that user receives it).
    ReadMarkerMoved {
        channel_id: ChannelId,
        seq: Seq,
    },
    /// A meeting started, someone joined or left it, it was locked, or it ended: what
    /// the meeting's card in its channel shows.
    MeetingUpdated {
        meeting: Meeting,
    },
    /// A board was created or renamed (content changes travel as `BoardNotice`s to
    /// those who have it open).
    BoardChanged {
        board: Board,
    },
    BoardDeleted {
        channel_id: ChannelId,
        board_id: BoardId,
    },
    /// A response item was created, satisfied, offered escalation or escalated (sent
    /// to its owner and to its author).
    ResponseItemChanged {
        item: crate::urgency::ResponseItem,
    },
    /// An action item was assigned, changed or completed (sent to its owner).
    ActionItemChanged {
        item: crate::urgency::ActionItem,
    },
    /// A meeting's note was edited (the channel: summary cards refresh).
    MeetingNoteUpdated {
        note: crate::urgency::MeetingNote,
    },
    /// A proposal was made, voted on, escalated or decided (the channel).
    ProposalChanged {
        proposal: crate::decisions::Proposal,
    },
    /// A meeting was planned, started or changed (its participants).
    ScheduledMeetingChanged {
        meeting: crate::meeting_plans::ScheduledMeeting,
    },
    ScheduledMeetingCancelled {
        id: crate::meeting_plans::ScheduledMeetingId,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn round_trip_server(frame: ServerFrame) -> serde_json::Value {
        let value = serde_json::to_value(&frame).unwrap();
        assert_eq!(
            serde_json::from_value::<ServerFrame>(value.clone()).unwrap(),
            frame
        );
        value
    }

    #[test]
    fn client_frames_round_trip() {
        let frames = [
            ClientFrame::Resume { last_seq: Some(41) },
            ClientFrame::Resume { last_seq: None },
            ClientFrame::Command {
                id: Uuid::from_u128(1),
                command: Command::SetStatus {
                    text: "Heads down".into(),
                },
            },
            ClientFrame::Ping { nonce: 9 },
        ];
        for frame in frames {
            let text = serde_json::to_string(&frame).unwrap();
            assert_eq!(serde_json::from_str::<ClientFrame>(&text).unwrap(), frame);
        }
    }

    #[test]
    fn command_wire_shape_is_stable() {
        let frame: ClientFrame = serde_json::from_value(json!({
            "type": "command",
            "id": "00000000-0000-0000-0000-000000000001",
            "command": {"kind": "set_status", "text": "Lunch"}
        }))
        .unwrap();
        assert_eq!(
            frame,
            ClientFrame::Command {
                id: Uuid::from_u128(1),
                command: Command::SetStatus {
                    text: "Lunch".into()
                }
            }
        );
    }

    #[test]
    fn server_frames_round_trip() {
        let hello = round_trip_server(ServerFrame::Hello {
            connection_id: Uuid::from_u128(2),
            protocol_version: crate::PROTOCOL_VERSION,
            user_id: Uuid::from_u128(3),
            stream_position: 10,
            heartbeat_interval_ms: 20_000,
        });
        assert_eq!(hello["type"], "hello");

        let event = round_trip_server(ServerFrame::Event(EventEnvelope {
            seq: 11,
            id: Uuid::from_u128(4),
            at: 1_700_000_000_000,
            event: Event::StatusChanged {
                user_id: Uuid::from_u128(3),
                text: "Away".into(),
            },
        }));
        // The envelope is flattened into the frame: {type, seq, id, at, event}.
        assert_eq!(event["type"], "event");
        assert_eq!(event["seq"], 11);
        assert_eq!(event["event"]["kind"], "status_changed");

        round_trip_server(ServerFrame::ReplayComplete { seq: 11 });
        round_trip_server(ServerFrame::Ack {
            command_id: Uuid::from_u128(1),
            event_id: Uuid::from_u128(4),
            seq: 11,
        });
        let err = round_trip_server(ServerFrame::Error {
            code: ErrorCode::BadRequest,
            message: "expected value at line 1 column 1".into(),
            command_id: None,
            retry_after_ms: None,
        });
        assert!(err.get("command_id").is_none());
        assert!(err.get("retry_after_ms").is_none());
        let limited = round_trip_server(ServerFrame::Error {
            code: ErrorCode::RateLimited,
            message: "Slow down.".into(),
            command_id: Some(Uuid::from_u128(1)),
            retry_after_ms: Some(250),
        });
        assert_eq!(limited["code"], "rate_limited");
        assert_eq!(limited["retry_after_ms"], 250);
        let resync = round_trip_server(ServerFrame::ResyncRequired {
            reason: ResyncReason::Lagged,
        });
        assert_eq!(resync["reason"], "lagged");
        round_trip_server(ServerFrame::Pong { nonce: 5 });
    }

    #[test]
    fn meeting_frames_nest_their_tag() {
        use crate::meetings::{MediaState, MeetingNotice, MeetingRequest};
        let join = ClientFrame::Meeting(MeetingRequest::Join {
            meeting_id: Uuid::from_u128(5),
            media: MediaState::default(),
        });
        let value = serde_json::to_value(&join).unwrap();
        assert_eq!(value["type"], "meeting");
        assert_eq!(value["op"], "join");
        assert_eq!(serde_json::from_value::<ClientFrame>(value).unwrap(), join);
        let ended = ServerFrame::Meeting(MeetingNotice::Ended {
            meeting_id: Uuid::from_u128(5),
        });
        round_trip_server(ended);
    }

    #[test]
    fn unknown_frame_type_is_an_error_not_a_panic() {
        assert!(serde_json::from_str::<ClientFrame>(r#"{"type":"nope"}"#).is_err());
        assert!(serde_json::from_str::<ClientFrame>("not json").is_err());
    }
}

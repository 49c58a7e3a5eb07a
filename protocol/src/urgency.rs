//! Urgency tiers and response SLAs: the async-first bridge's core.
//!
//! A message (or thread start) is Critical, Standard or Low. Each tier has a response
//! target (workspace setting). Posting a message creates one `ResponseItem` per person
//! who owes a response: the people @mentioned by name, or in a DM the other side(s).
//! A reply, an acknowledgement reaction (`ACK_EMOJI`) or joining the call the thread was
//! escalated to satisfies it. Critical runs on the wall clock (it breaks through focus
//! and working hours); Standard and Low clocks run only during the owner's working hours
//! outside their focus blocks.
//!
//! Escalation turns a blocked thread into a call (`POST /api/messages/{id}/escalate`),
//! and the call's artifacts come back into the thread as a summary card with a meeting
//! note (decisions, action items with owners and due dates).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::chat::{ChannelId, MessageId};
use crate::meetings::MeetingId;
use crate::{ApiError, ErrorCode, Timestamp, UserId};

pub type ResponseItemId = Uuid;
pub type ActionItemId = Uuid;

/// The reaction that acknowledges a message ("seen, on it") and satisfies its SLA.
pub const ACK_EMOJI: &str = "✅";
pub const MAX_NOTE_CHARS: usize = 4_000;
pub const MAX_NOTE_ITEMS: usize = 50;
pub const MAX_NOTE_ITEM_CHARS: usize = 300;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// A synchronous response within minutes; breaks through focus.
    Critical,
    #[default]
    Standard,
    Low,
}

impl Urgency {
    pub const ALL: [Urgency; 3] = [Urgency::Critical, Urgency::Standard, Urgency::Low];

    pub fn label(self) -> &'static str {
        match self {
            Urgency::Critical => "Critical",
            Urgency::Standard => "Standard",
            Urgency::Low => "Low",
        }
    }
}

/// Response targets per tier, in minutes (workspace setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaTargets {
    pub critical_minutes: u32,
    pub standard_minutes: u32,
    pub low_minutes: u32,
}

impl Default for SlaTargets {
    fn default() -> Self {
        SlaTargets {
            critical_minutes: 15,
            standard_minutes: 4 * 60,
            low_minutes: 24 * 60,
        }
    }
}

impl SlaTargets {
    pub fn minutes(&self, urgency: Urgency) -> u32 {
        match urgency {
            Urgency::Critical => self.critical_minutes,
            Urgency::Standard => self.standard_minutes,
            Urgency::Low => self.low_minutes,
        }
    }

    pub fn validate(&self) -> Result<(), ApiError> {
        let ok = |m: u32| (1..=7 * 24 * 60).contains(&m);
        if ok(self.critical_minutes) && ok(self.standard_minutes) && ok(self.low_minutes) {
            Ok(())
        } else {
            Err(ApiError::new(
                ErrorCode::Validation,
                "Response targets must be between 1 minute and 7 days.",
            )
            .with_field("sla"))
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SatisfiedBy {
    Reply,
    Acknowledged,
    JoinedCall,
}

/// Someone owes a response to a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseItem {
    pub id: ResponseItemId,
    pub message_id: MessageId,
    pub channel_id: ChannelId,
    /// Set when the message is a thread reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_root_id: Option<MessageId>,
    /// Who asked.
    pub author_id: UserId,
    /// Who owes the response.
    pub owner_id: UserId,
    pub urgency: Urgency,
    /// The start of the message's text (plain, at most 140 characters).
    pub excerpt: String,
    pub created_at: Timestamp,
    /// The response target, computed with the owner's working hours and focus blocks.
    pub due_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfied_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfied_by: Option<SatisfiedBy>,
    /// A Critical item passed its deadline unanswered: its author is offered a call.
    #[serde(default)]
    pub escalation_offered: bool,
    /// The call the thread was escalated to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalated_meeting_id: Option<MeetingId>,
}

/// An action item from a meeting note: it appears in its owner's inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionItem {
    pub id: ActionItemId,
    pub meeting_id: MeetingId,
    pub channel_id: ChannelId,
    /// The summary card in the thread, for "open in context".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<MessageId>,
    pub text: String,
    pub owner_id: UserId,
    pub due_at: Timestamp,
    pub done: bool,
}

/// `GET /api/inbox`: what I owe, what others owe me, my action items; each sorted by
/// deadline. `now` is the server's clock, so countdowns do not depend on the device's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Inbox {
    pub now: Timestamp,
    pub awaiting_me: Vec<ResponseItem>,
    pub awaiting_others: Vec<ResponseItem>,
    pub action_items: Vec<ActionItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionItemInput {
    pub text: String,
    pub owner_id: UserId,
    pub due_at: Timestamp,
}

/// The host's short note on a meeting, shown on its summary card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingNote {
    pub meeting_id: MeetingId,
    pub text: String,
    pub decisions: Vec<String>,
    pub action_items: Vec<ActionItem>,
    pub updated_by: UserId,
    pub updated_at: Timestamp,
}

/// `PUT /api/meetings/{id}/note` (the host): replaces the note and its action items.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingNoteRequest {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub decisions: Vec<String>,
    #[serde(default)]
    pub action_items: Vec<ActionItemInput>,
}

impl MeetingNoteRequest {
    pub fn validate(&self) -> Result<(), ApiError> {
        let invalid = |field: &str, message: String| {
            Err(ApiError::new(ErrorCode::Validation, message).with_field(field))
        };
        if self.text.chars().count() > MAX_NOTE_CHARS {
            return invalid(
                "text",
                format!("The note can be at most {MAX_NOTE_CHARS} characters."),
            );
        }
        if self.decisions.len() + self.action_items.len() > MAX_NOTE_ITEMS {
            return invalid(
                "decisions",
                format!("A note can hold at most {MAX_NOTE_ITEMS} items."),
            );
        }
        let items = self
            .decisions
            .iter()
            .chain(self.action_items.iter().map(|a| &a.text));
        for item in items {
            let n = item.trim().chars().count();
            if n == 0 || n > MAX_NOTE_ITEM_CHARS {
                return invalid(
                    "decisions",
                    format!(
                        "Each decision and action item needs 1 to {MAX_NOTE_ITEM_CHARS} \
                         characters."
                    ),
                );
            }
        }
        Ok(())
    }
}

/// `PATCH /api/action-items/{id}` (its owner).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateActionItemRequest {
    pub done: bool,
}

/// What the summary card posted into an escalated thread (or the meeting's channel)
/// shows, from `GET /api/meetings/{id}/summary`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingSummary {
    pub meeting: crate::meetings::Meeting,
    pub duration_ms: u64,
    /// Everyone who joined at some point.
    pub attendees: Vec<crate::meetings::MeetingPerson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording_id: Option<crate::recordings::RecordingId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub board_id: Option<crate::boards::BoardId>,
    /// Number of in-meeting chat messages (the chat is the meeting card's thread).
    pub chat_count: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<MeetingNote>,
}

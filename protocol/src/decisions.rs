//! Decision records: any message can become a proposal with an owner, a question and a
//! consent window. Members answer Agree / Object (with a reason) / Abstain
//! asynchronously; the owner records the decision, or escalates to a call when
//! objections stand. Channel and workspace decision logs are searchable.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::chat::{ChannelId, MessageId};
use crate::meetings::MeetingId;
use crate::{ApiError, ErrorCode, Timestamp, UserId};

pub type ProposalId = Uuid;

pub const MAX_QUESTION_CHARS: usize = 300;
pub const MAX_REASON_CHARS: usize = 1_000;
pub const MAX_DECISION_CHARS: usize = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Vote {
    Agree,
    Object,
    Abstain,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProposalState {
    /// Collecting responses.
    Open,
    /// Objections stood at the deadline: taken to a call.
    Escalated,
    Decided,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DecidedIn {
    Async,
    Call,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoteEntry {
    pub user_id: UserId,
    pub vote: Vote,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Proposal {
    pub id: ProposalId,
    pub channel_id: ChannelId,
    /// The message it was made from; the proposal shows under it.
    pub message_id: MessageId,
    pub question: String,
    pub owner_id: UserId,
    pub created_by: UserId,
    pub created_at: Timestamp,
    /// End of the consent window.
    pub deadline: Timestamp,
    pub state: ProposalState,
    pub votes: Vec<VoteEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_in: Option<DecidedIn>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_id: Option<MeetingId>,
}

impl Proposal {
    /// An objection stands while someone's current vote is Object: the owner may then
    /// take the proposal to a call.
    pub fn objection_stands(&self) -> bool {
        self.votes.iter().any(|v| v.vote == Vote::Object)
    }
}

/// `POST /api/messages/{id}/proposal`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateProposalRequest {
    pub question: String,
    pub owner_id: UserId,
    pub deadline: Timestamp,
}

/// `PUT /api/proposals/{id}/vote`. An objection needs a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoteRequest {
    pub vote: Vote,
    #[serde(default)]
    pub reason: String,
}

/// `POST /api/proposals/{id}/decide` (the owner).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecideRequest {
    pub decision: String,
}

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::Validation, message).with_field(field)
}

fn check_len(field: &str, text: &str, max: usize, what: &str) -> Result<(), ApiError> {
    let n = text.trim().chars().count();
    if n == 0 || n > max {
        Err(invalid(
            field,
            format!("{what} needs 1 to {max} characters."),
        ))
    } else {
        Ok(())
    }
}

impl CreateProposalRequest {
    pub fn validate(&self, now: Timestamp) -> Result<(), ApiError> {
        check_len(
            "question",
            &self.question,
            MAX_QUESTION_CHARS,
            "The question",
        )?;
        if self.deadline <= now {
            return Err(invalid(
                "deadline",
                "The consent window must end in the future.",
            ));
        }
        Ok(())
    }
}

impl VoteRequest {
    pub fn validate(&self) -> Result<(), ApiError> {
        if self.vote == Vote::Object {
            check_len("reason", &self.reason, MAX_REASON_CHARS, "An objection")?;
        } else if self.reason.chars().count() > MAX_REASON_CHARS {
            return Err(invalid(
                "reason",
                format!("Reasons can be at most {MAX_REASON_CHARS} characters."),
            ));
        }
        Ok(())
    }
}

impl DecideRequest {
    pub fn validate(&self) -> Result<(), ApiError> {
        check_len(
            "decision",
            &self.decision,
            MAX_DECISION_CHARS,
            "The decision",
        )
    }
}

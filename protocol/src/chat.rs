//! Channels, direct messages and messages: the asynchronous core.
//!
//! Reads go over REST (channel list, history pages, threads, search); every change goes
//! over the WebSocket as a `ws::Command` and comes back to everyone who may see it as a
//! persisted `ws::Event`, so the sequence-number guarantees cover chat too.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{ApiError, ErrorCode, Seq, Timestamp, UserId};

pub type ChannelId = Uuid;
pub type MessageId = Uuid;
pub type AttachmentId = Uuid;

pub const MAX_MESSAGE_CHARS: usize = 16_000;
pub const MAX_CHANNEL_NAME_CHARS: usize = 80;
pub const MAX_TOPIC_CHARS: usize = 250;
/// Group DMs hold at most this many people, the sender included.
pub const MAX_DIRECT_MEMBERS: usize = 8;
pub const MAX_REACTION_CHARS: usize = 32;
pub const MAX_ATTACHMENTS_PER_MESSAGE: usize = 10;
pub const DEFAULT_PAGE_SIZE: u32 = 50;
pub const MAX_PAGE_SIZE: u32 = 200;
/// A search box holds at most this many characters (longer queries are refused).
pub const MAX_SEARCH_QUERY_CHARS: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// Anyone in the workspace can find and join it.
    Public,
    /// Invitation only; invisible to non-members.
    Private,
    /// A 1:1 or group DM (2 ..= MAX_DIRECT_MEMBERS people), unnamed, fixed membership.
    Direct,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Channel {
    pub id: ChannelId,
    pub kind: ChannelKind,
    /// Empty for direct messages: the app names them after their members.
    pub name: String,
    pub topic: String,
    pub archived: bool,
    pub created_by: UserId,
    pub created_at: Timestamp,
    pub member_count: u32,
    /// Filled for direct messages only (at most MAX_DIRECT_MEMBERS).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub member_ids: Vec<UserId>,
    /// The urgency new messages get unless the sender picks another.
    #[serde(default)]
    pub default_urgency: crate::urgency::Urgency,
}

/// A channel as one member sees it in the sidebar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyChannel {
    pub channel: Channel,
    /// The `seq` of the newest message this member has read.
    pub last_read_seq: Seq,
    pub unread_count: u32,
    pub mention_count: u32,
    /// The `seq` of the newest message in the channel when this was read (0: none).
    /// A replayed `message_posted` at or below it is already counted.
    #[serde(default)]
    pub last_message_seq: Seq,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateChannelRequest {
    pub name: String,
    /// `public` or `private`; direct messages are opened with `OpenDirectRequest`.
    pub kind: ChannelKind,
    #[serde(default)]
    pub topic: String,
    /// People added besides the creator.
    #[serde(default)]
    pub member_ids: Vec<UserId>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateChannelRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_urgency: Option<crate::urgency::Urgency>,
}

/// Opens (or finds, if it exists) the DM between the caller and these people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenDirectRequest {
    pub user_ids: Vec<UserId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddMembersRequest {
    pub user_ids: Vec<UserId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attachment {
    pub id: AttachmentId,
    pub name: String,
    pub content_type: String,
    pub size: u64,
    /// Where members who can see the message fetch it (same origin as the API).
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reaction {
    pub emoji: String,
    pub user_ids: Vec<UserId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Message {
    pub id: MessageId,
    pub channel_id: ChannelId,
    /// The log position of the event that posted it: orders messages and read markers.
    pub seq: Seq,
    pub author_id: UserId,
    /// Markdown source. Empty once deleted.
    pub body: String,
    pub created_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<Timestamp>,
    pub deleted: bool,
    /// Set on thread replies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_root_id: Option<MessageId>,
    /// A thread reply that was "also sent to the channel".
    pub also_in_channel: bool,
    pub reply_count: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_reply_at: Option<Timestamp>,
    pub reactions: Vec<Reaction>,
    pub pinned: bool,
    pub attachments: Vec<Attachment>,
    pub mentions: Vec<UserId>,
    /// `@channel` was used: everyone in the channel is mentioned.
    pub mentions_channel: bool,
    /// Set on a meeting's card: the message shows the meeting (join button, who is in
    /// it, duration) and its thread is the in-meeting chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_id: Option<crate::meetings::MeetingId>,
    /// Set on a recording's card: the message shows the recording (title, date,
    /// duration, participants, size, thumbnail) with a link to play it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording_id: Option<crate::recordings::RecordingId>,
    /// How soon a response is expected (thread starts and top-level messages).
    #[serde(default)]
    pub urgency: crate::urgency::Urgency,
    /// Set on a call's summary card (posted into the escalated thread or the meeting's
    /// channel when the call ends): the card shows `GET /api/meetings/{id}/summary`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_meeting_id: Option<crate::meetings::MeetingId>,
}

/// One page of history, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessagePage {
    pub messages: Vec<Message>,
    /// There are older messages: ask again with `before` = the first message's seq.
    pub has_older: bool,
    /// There are newer messages (only for pages fetched `around` a message).
    pub has_newer: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Thread {
    pub root: Message,
    pub replies: Vec<Message>,
}

/// A piece of a search snippet; `highlight` marks the matched words. Snippets come as
/// parts rather than HTML so the app never injects markup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SnippetPart {
    pub text: String,
    pub highlight: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    pub message: Message,
    pub snippet: Vec<SnippetPart>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduledMessage {
    pub id: Uuid,
    pub channel_id: ChannelId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_root_id: Option<MessageId>,
    pub body: String,
    pub send_at: Timestamp,
    pub created_at: Timestamp,
    /// The tier picked when it was scheduled; `None`: the channel's default when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency: Option<crate::urgency::Urgency>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduleMessageRequest {
    pub channel_id: ChannelId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_root_id: Option<MessageId>,
    pub body: String,
    pub send_at: Timestamp,
    /// The tier the composer had picked; `None`: the channel's default when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency: Option<crate::urgency::Urgency>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateScheduledRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_at: Option<Timestamp>,
    /// A new tier; `None` leaves it as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency: Option<crate::urgency::Urgency>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    Online,
    Away,
    Offline,
    InMeeting,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PresenceEntry {
    pub user_id: UserId,
    pub presence: Presence,
}

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::Validation, message).with_field(field)
}

/// NUL is no character of any text a person writes, and Postgres cannot store it: it
/// is refused on both databases alike.
pub fn refuse_nul(field: &str, text: &str) -> Result<(), ApiError> {
    if text.contains('\0') {
        return Err(invalid(field, "Text cannot contain the NUL character."));
    }
    Ok(())
}

pub fn validate_message_body(body: &str, attachments: usize) -> Result<(), ApiError> {
    if body.trim().is_empty() && attachments == 0 {
        return Err(invalid("body", "A message cannot be empty."));
    }
    refuse_nul("body", body)?;
    if body.chars().count() > MAX_MESSAGE_CHARS {
        return Err(invalid(
            "body",
            format!("Messages can be at most {MAX_MESSAGE_CHARS} characters."),
        ));
    }
    if attachments > MAX_ATTACHMENTS_PER_MESSAGE {
        return Err(invalid(
            "attachment_ids",
            format!("A message can carry at most {MAX_ATTACHMENTS_PER_MESSAGE} files."),
        ));
    }
    Ok(())
}

/// Channel names: lowercase letters, digits, `-` and `_`, like Slack's.
pub fn validate_channel_name(name: &str) -> Result<(), ApiError> {
    let n = name.chars().count();
    if n == 0 || n > MAX_CHANNEL_NAME_CHARS {
        return Err(invalid(
            "name",
            format!("A channel name needs 1 to {MAX_CHANNEL_NAME_CHARS} characters."),
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        return Err(invalid(
            "name",
            "Use lowercase letters, numbers, hyphens and underscores only.",
        ));
    }
    Ok(())
}

pub fn validate_topic(topic: &str) -> Result<(), ApiError> {
    refuse_nul("topic", topic)?;
    if topic.chars().count() > MAX_TOPIC_CHARS {
        return Err(invalid(
            "topic",
            format!("A topic can be at most {MAX_TOPIC_CHARS} characters."),
        ));
    }
    Ok(())
}

pub fn validate_reaction(emoji: &str) -> Result<(), ApiError> {
    let n = emoji.chars().count();
    if n == 0 || n > MAX_REACTION_CHARS || emoji.chars().any(char::is_whitespace) {
        return Err(invalid("emoji", "That is not a reaction."));
    }
    Ok(())
}

/// Turns "Team Updates!" into "team-updates": what the create form suggests.
pub fn suggest_channel_name(input: &str) -> String {
    let mut out = String::new();
    for c in input.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-')
        .chars()
        .take(MAX_CHANNEL_NAME_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::message;

    #[test]
    fn channel_names() {
        assert!(validate_channel_name("team-updates_2").is_ok());
        assert!(validate_channel_name("Team").is_err());
        assert!(validate_channel_name("").is_err());
        assert!(validate_channel_name("has space").is_err());
        assert_eq!(suggest_channel_name("  Team Updates! "), "team-updates");
    }

    #[test]
    fn message_bodies() {
        assert!(validate_message_body("   ", 0).is_err());
        assert!(validate_message_body("", 1).is_ok());
        assert!(validate_message_body(&"x".repeat(MAX_MESSAGE_CHARS + 1), 0).is_err());
        assert!(validate_message_body("hello", MAX_ATTACHMENTS_PER_MESSAGE + 1).is_err());
    }

    #[test]
    fn message_round_trips() {
        let m = Message {
            reactions: vec![Reaction {
                emoji: "👍".into(),
                user_ids: vec![Uuid::from_u128(4)],
            }],
            urgency: crate::urgency::Urgency::Critical,
            ..message(3, "**hi** @ana")
        };
        let json = serde_json::to_string(&m).unwrap();
        assert!(!json.contains("edited_at"));
        assert_eq!(serde_json::from_str::<Message>(&json).unwrap(), m);
    }
}

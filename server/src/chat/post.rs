//! The one path that posts a message, used by the `send_message` command and by the
//! send-later task alike. It works inside the caller's transaction so the caller can
//! record its own bookkeeping (command log, send-later row) atomically with the post.

use sqlx::AnyConnection;
use tandem_protocol::chat::{validate_message_body, AttachmentId, ChannelId, MessageId};
use tandem_protocol::meetings::MeetingId;
use tandem_protocol::recordings::RecordingId;
use tandem_protocol::urgency::Urgency;
use tandem_protocol::ws::{Event, EventEnvelope};
use tandem_protocol::{ApiError, ErrorCode, UserId};

use super::access;
use super::mentions;
use crate::bridge::responses::{self, Posted};
use crate::db::urgency::parse_urgency;
use crate::db::{attachments, channels, messages, search};
use crate::error::{AppError, AppResult};
use crate::realtime::audience::Audience;
use crate::realtime::log::LogWriter;

pub struct NewPost {
    pub id: MessageId,
    pub author: UserId,
    pub channel_id: ChannelId,
    pub body: String,
    pub thread_root_id: Option<MessageId>,
    pub also_to_channel: bool,
    pub attachment_ids: Vec<AttachmentId>,
    /// Set on a meeting's card.
    pub meeting_id: Option<MeetingId>,
    /// Set on a recording's card.
    pub recording_id: Option<RecordingId>,
    /// A guest's post: the caller checked it goes to the guest's meeting thread, so
    /// channel membership is not required (only that the channel is writable).
    pub as_guest: bool,
    /// How soon a response is expected; `None`: the channel's default. Guests' and
    /// the server's posts are always Standard.
    pub urgency: Option<Urgency>,
    /// Set on a call's summary card.
    pub summary_meeting_id: Option<MeetingId>,
    /// A card or notice the server posts on someone's behalf: it neither asks for nor
    /// gives a response (no response items).
    pub by_server: bool,
}

fn invalid(field: &str, message: &str) -> AppError {
    AppError::Api(ApiError::new(ErrorCode::Validation, message).with_field(field))
}

/// Checks the thread root: an undeleted top-level message in the same channel.
/// Returns the root's meeting when it is a meeting card.
pub async fn check_thread_root(
    conn: &mut AnyConnection,
    channel_id: ChannelId,
    root: MessageId,
) -> AppResult<Option<MeetingId>> {
    let found = messages::find(&mut *conn, root).await?.filter(|r| {
        r.channel_id == channel_id.to_string() && r.thread_root_id.is_none() && !r.deleted
    });
    if let Some(row) = found {
        Ok(row.meeting()?)
    } else {
        Err(invalid(
            "thread_root_id",
            "Replies must go to a message in the same channel.",
        ))
    }
}

/// Validates, stores the message (mentions, attachment links, search index, root
/// reply count, the author's read position), appends `message_posted`, then settles
/// who owes a response (`bridge::responses`).
pub async fn post(
    writer: &mut LogWriter<'_>,
    tx: &mut AnyConnection,
    post: NewPost,
    now: i64,
) -> AppResult<EventEnvelope> {
    validate_message_body(&post.body, post.attachment_ids.len())?;
    let channel = if post.as_guest {
        access::for_guest(&mut *tx, post.channel_id).await?
    } else {
        access::visible(&mut *tx, post.channel_id, post.author).await?
    };
    channel.require_writable()?;
    // The card and its thread also reach the meeting's guests.
    let mut meeting = post.meeting_id;
    if let Some(root) = post.thread_root_id {
        meeting = check_thread_root(&mut *tx, post.channel_id, root).await?;
    }
    if messages::find(&mut *tx, post.id).await?.is_some() {
        return Err(AppError::new(
            ErrorCode::Conflict,
            "A message with this id already exists.",
        ));
    }
    let found = mentions::find(&mut *tx, post.channel_id, &post.body).await?;
    let urgency = if post.as_guest || post.by_server {
        Urgency::Standard
    } else {
        post.urgency
            .unwrap_or_else(|| parse_urgency(&channel.row.default_urgency))
    };

    let audience = match meeting {
        Some(meeting) => Audience::ChannelAndMeeting(post.channel_id, meeting),
        None => Audience::Channel(post.channel_id),
    };
    let reserved = writer.reserve(&mut *tx, &audience).await?;
    messages::insert(
        &mut *tx,
        &messages::NewMessage {
            id: post.id,
            channel_id: post.channel_id,
            seq: reserved.seq,
            author_id: post.author,
            body: &post.body,
            created_at: now,
            thread_root_id: post.thread_root_id,
            also_in_channel: post.thread_root_id.is_some() && post.also_to_channel,
            mentions_channel: found.channel,
            meeting_id: post.meeting_id,
            recording_id: post.recording_id,
            urgency,
            summary_meeting_id: post.summary_meeting_id,
        },
    )
    .await?;
    messages::set_mentions(&mut *tx, post.id, &found.users, found.channel).await?;
    let mut seen = Vec::new();
    for attachment in &post.attachment_ids {
        if seen.contains(attachment)
            || !attachments::attach(&mut *tx, *attachment, post.author, post.id).await?
        {
            return Err(invalid(
                "attachment_ids",
                "Attach only your own uploads, each once.",
            ));
        }
        seen.push(*attachment);
    }
    search::index(&mut *tx, post.id, &post.body).await?;
    if !post.as_guest {
        channels::mark_read(&mut *tx, post.channel_id, post.author, reserved.seq).await?;
    }
    let row = messages::find(&mut *tx, post.id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("posted message vanished"))?;
    let message = messages::load(&mut *tx, &row).await?;
    let envelope = writer
        .fill(
            &mut *tx,
            reserved,
            audience,
            Event::MessagePosted { message },
        )
        .await?;
    // After the message's own event, so every client sees the message before the
    // response items about it.
    let posted = Posted {
        id: post.id,
        channel_id: post.channel_id,
        channel_kind: channel.kind(),
        author: post.author,
        thread_root_id: post.thread_root_id,
        urgency,
        body: &post.body,
        mentioned: &found.users,
        created_at: now,
        by_guest: post.as_guest,
        by_server: post.by_server,
    };
    responses::on_posted(writer, tx, &posted).await?;
    Ok(envelope)
}

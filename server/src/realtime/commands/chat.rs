//! The chat commands: post, edit, delete, react, pin, mark read. Each checks its
//! permission first; every change goes out as an event to the channel's members
//! (read markers only to their owner). A guest may post, edit, delete and react only
//! in their meeting card's thread (the in-meeting chat).

use tandem_protocol::api::Role;
use tandem_protocol::chat::{
    validate_message_body, validate_reaction, AttachmentId, ChannelId, MessageId,
};
use tandem_protocol::urgency::Urgency;
use tandem_protocol::ws::{Command, Event, EventEnvelope};
use tandem_protocol::Seq;

use super::Ctx;
use crate::auth::extract::GUESTS_ONLY_THEIR_MEETING;
use crate::bridge::responses;
use crate::chat::access::{self, ChannelAccess};
use crate::chat::mentions;
use crate::chat::post::{post, NewPost};
use crate::chat::redact;
use crate::db::messages::{self, MessageRow};
use crate::db::{channels, events, search, users};
use crate::error::{AppError, AppResult};
use crate::realtime::audience::Audience;

/// The commands a guest may send at all (each is then limited to their meeting).
pub(super) fn guest_may_try(command: &Command) -> bool {
    matches!(
        command,
        Command::SendMessage { .. }
            | Command::EditMessage { .. }
            | Command::DeleteMessage { .. }
            | Command::SetReaction { .. }
    )
}

fn guests_only() -> AppError {
    AppError::forbidden(GUESTS_ONLY_THEIR_MEETING)
}

pub(super) async fn send(
    ctx: &mut Ctx<'_, '_>,
    channel_id: ChannelId,
    body: String,
    thread_root_id: Option<MessageId>,
    also_to_channel: bool,
    attachment_ids: Vec<AttachmentId>,
    urgency: Option<Urgency>,
) -> AppResult<EventEnvelope> {
    if let Some(guest) = ctx.guest {
        if channel_id != guest.channel_id || thread_root_id != Some(guest.card_message_id) {
            return Err(guests_only());
        }
    }
    let new_post = NewPost {
        // The message id is the command id, so the sender can match its draft.
        id: ctx.command_id,
        author: ctx.user_id,
        channel_id,
        body,
        thread_root_id,
        // A guest's reply stays in the meeting chat.
        also_to_channel: also_to_channel && ctx.guest.is_none(),
        attachment_ids,
        meeting_id: None,
        recording_id: None,
        as_guest: ctx.guest.is_some(),
        urgency,
        summary_meeting_id: None,
        by_server: false,
    };
    let now = ctx.state.now();
    post(ctx.writer, ctx.tx, new_post, now).await
}

/// The message, visible to the sender, in a channel they may change.
async fn writable_message(
    ctx: &mut Ctx<'_, '_>,
    message_id: MessageId,
) -> AppResult<(MessageRow, ChannelAccess)> {
    let (row, channel) = visible_message(ctx, message_id).await?;
    channel.require_writable()?;
    Ok((row, channel))
}

/// `access::visible_message`, except that a guest sees only replies in their meeting
/// card's thread (and the card itself, to react to it).
async fn visible_message(
    ctx: &mut Ctx<'_, '_>,
    message_id: MessageId,
) -> AppResult<(MessageRow, ChannelAccess)> {
    let Some(guest) = ctx.guest else {
        return access::visible_message(ctx.tx, message_id, ctx.user_id).await;
    };
    let row = messages::find(ctx.tx, message_id)
        .await?
        .ok_or_else(guests_only)?;
    let in_meeting = row.thread_root()? == Some(guest.card_message_id)
        || row.message_id()? == guest.card_message_id;
    if !in_meeting {
        return Err(guests_only());
    }
    let channel = access::for_guest(ctx.tx, row.channel()?).await?;
    Ok((row, channel))
}

fn deleted() -> AppError {
    AppError::not_found("This message was deleted.")
}

async fn message_event(ctx: &mut Ctx<'_, '_>, message_id: MessageId) -> AppResult<EventEnvelope> {
    let row = messages::find(ctx.tx, message_id)
        .await?
        .ok_or_else(deleted)?;
    let message = messages::load(ctx.tx, &row).await?;
    let audience = access::message_audience(ctx.tx, &row).await?;
    Ok(ctx
        .writer
        .append(ctx.tx, audience, Event::MessageEdited { message })
        .await?)
}

pub(super) async fn edit(
    ctx: &mut Ctx<'_, '_>,
    message_id: MessageId,
    body: String,
) -> AppResult<EventEnvelope> {
    let (row, _) = writable_message(ctx, message_id).await?;
    if row.author()? != ctx.user_id {
        return Err(AppError::forbidden("Only the author can edit a message."));
    }
    if ctx.guest.is_some() && row.thread_root_id.is_none() {
        // The card belongs to the meeting's host.
        return Err(guests_only());
    }
    if row.deleted {
        return Err(deleted());
    }
    let attachments = messages::load(ctx.tx, &row).await?.attachments.len();
    validate_message_body(&body, attachments)?;
    let channel_id = row.channel()?;
    let found = mentions::find(&mut *ctx.tx, channel_id, &body).await?;
    messages::edit(ctx.tx, message_id, &body, ctx.state.now()).await?;
    messages::set_mentions(ctx.tx, message_id, &found.users, found.channel).await?;
    search::index(ctx.tx, message_id, &body).await?;
    let envelope = message_event(ctx, message_id).await?;
    if let Event::MessageEdited { message } = &envelope.event {
        // The pre-edit text leaves the log and the inbox too.
        redact::edited(ctx.writer, ctx.tx, message).await?;
    }
    Ok(envelope)
}

pub(super) async fn delete(
    ctx: &mut Ctx<'_, '_>,
    message_id: MessageId,
) -> AppResult<EventEnvelope> {
    let (row, channel) = visible_message(ctx, message_id).await?;
    let is_admin = users::find_by_id(&mut *ctx.tx, ctx.user_id)
        .await?
        .and_then(|u| u.to_user().ok())
        .is_some_and(|u| u.role == Role::Admin);
    if row.author()? != ctx.user_id && !is_admin {
        return Err(AppError::forbidden(
            "Only the author or an admin can delete a message.",
        ));
    }
    if channel.row.archived {
        return Err(AppError::forbidden(access::ARCHIVED));
    }
    if !row.deleted {
        crate::chat::files::release_after_commit(ctx.state, ctx.tx, &row.id).await?;
        messages::delete(ctx.tx, &row).await?;
        search::remove(ctx.tx, message_id).await?;
        redact::deleted(ctx.tx, message_id).await?;
    }
    let event = Event::MessageDeleted {
        channel_id: row.channel()?,
        message_id,
        thread_root_id: row.thread_root()?,
    };
    let audience = access::message_audience(ctx.tx, &row).await?;
    let envelope = ctx.writer.append(ctx.tx, audience, event).await?;
    responses::on_deleted(ctx.writer, ctx.tx, message_id, ctx.state.now()).await?;
    Ok(envelope)
}

pub(super) async fn set_reaction(
    ctx: &mut Ctx<'_, '_>,
    message_id: MessageId,
    emoji: String,
    present: bool,
) -> AppResult<EventEnvelope> {
    validate_reaction(&emoji)?;
    let (row, _) = writable_message(ctx, message_id).await?;
    if row.deleted {
        return Err(deleted());
    }
    let now = ctx.state.now();
    messages::set_reaction(ctx.tx, message_id, ctx.user_id, &emoji, present, now).await?;
    let channel_id = row.channel()?;
    let event = Event::ReactionChanged {
        channel_id,
        message_id,
        emoji: emoji.clone(),
        user_id: ctx.user_id,
        present,
    };
    let audience = access::message_audience(ctx.tx, &row).await?;
    let envelope = ctx.writer.append(ctx.tx, audience, event).await?;
    if ctx.guest.is_none() {
        let user = ctx.user_id;
        responses::on_reaction(ctx.writer, ctx.tx, message_id, user, &emoji, present, now).await?;
    }
    Ok(envelope)
}

pub(super) async fn set_pinned(
    ctx: &mut Ctx<'_, '_>,
    message_id: MessageId,
    pinned: bool,
) -> AppResult<EventEnvelope> {
    let (row, _) = writable_message(ctx, message_id).await?;
    if row.deleted {
        return Err(deleted());
    }
    messages::set_pinned(ctx.tx, message_id, pinned).await?;
    let channel_id = row.channel()?;
    let event = Event::PinChanged {
        channel_id,
        message_id,
        pinned,
        by: ctx.user_id,
    };
    let audience = access::message_audience(ctx.tx, &row).await?;
    Ok(ctx.writer.append(ctx.tx, audience, event).await?)
}

pub(super) async fn mark_read(
    ctx: &mut Ctx<'_, '_>,
    channel_id: ChannelId,
    seq: Seq,
) -> AppResult<EventEnvelope> {
    let channel = access::visible(ctx.tx, channel_id, ctx.user_id).await?;
    channel.require_member()?;
    // Never past the log head (that would pre-read future messages), and only
    // forward: an older position (from a stale tab) leaves it where it is.
    let seq = seq.min(events::head(&mut *ctx.tx).await?);
    let seq = channels::mark_read(ctx.tx, channel_id, ctx.user_id, seq).await?;
    let event = Event::ReadMarkerMoved { channel_id, seq };
    Ok(ctx
        .writer
        .append(ctx.tx, Audience::User(ctx.user_id), event)
        .await?)
}

//! Executing client commands exactly once per (user, command id).
//!
//! Every command runs under the log writer in a transaction (shared with the other
//! commands of its group commit, see `batch`, inside its own savepoint): permission
//! checks, state change, event(s), and the command-log row. A refusal rolls all of
//! that back and answers with an `Error` frame carrying the command id.

mod batch;
mod chat;

pub use batch::CommandQueue;

use sqlx::AnyConnection;
use tandem_protocol::api::validate_status_text;
use tandem_protocol::ws::{Command, Event, EventEnvelope, ServerFrame};
use tandem_protocol::{ErrorCode, UserId};
use uuid::Uuid;

use super::audience::Audience;
use super::log::LogWriter;
use crate::auth::extract::GUESTS_ONLY_THEIR_MEETING;
use crate::db::{commands as command_log, users};
use crate::error::{AppError, AppResult};
use crate::meetings::GuestScope;
use crate::state::AppState;

/// Runs the command (or recognises a retry) and returns the frame to answer with:
/// `Ack` on success or retry, `Error` with `command_id` when refused. A guest (`guest`
/// set) may only chat in their meeting's thread.
pub async fn execute(
    state: &AppState,
    user_id: UserId,
    guest: Option<&GuestScope>,
    command_id: Uuid,
    command: Command,
) -> ServerFrame {
    match try_execute(state, user_id, guest, command_id, command).await {
        Ok(frame) => frame,
        Err(AppError::Api(err)) => ServerFrame::Error {
            code: err.code,
            message: err.message,
            command_id: Some(command_id),
            retry_after_ms: None,
        },
        Err(err) => {
            tracing::error!(error = %err, %command_id, "command failed");
            ServerFrame::Error {
                code: ErrorCode::Internal,
                message: "The server could not process this command.".into(),
                command_id: Some(command_id),
                retry_after_ms: None,
            }
        }
    }
}

fn ack(command_id: Uuid, (event_id, seq): (Uuid, i64)) -> ServerFrame {
    ServerFrame::Ack {
        command_id,
        event_id,
        seq,
    }
}

/// What a command handler gets: who is asking, under which command id, and where
/// to write.
pub(crate) struct Ctx<'a, 'w> {
    pub state: &'a AppState,
    pub user_id: UserId,
    pub command_id: Uuid,
    pub guest: Option<&'a GuestScope>,
    pub writer: &'a mut LogWriter<'w>,
    pub tx: &'a mut AnyConnection,
}

async fn try_execute(
    state: &AppState,
    user_id: UserId,
    guest: Option<&GuestScope>,
    command_id: Uuid,
    command: Command,
) -> AppResult<ServerFrame> {
    if guest.is_some() && !chat::guest_may_try(&command) {
        return Err(AppError::forbidden(GUESTS_ONLY_THEIR_MEETING));
    }
    // A retry of a command done long ago needs no turn in the queue.
    if let Some(done) = command_log::find(&state.db, user_id, command_id).await? {
        return Ok(ack(command_id, done));
    }
    let done = batch::submit(state, user_id, guest, command_id, command).await?;
    Ok(ack(command_id, done))
}

async fn apply(ctx: &mut Ctx<'_, '_>, command: Command) -> AppResult<EventEnvelope> {
    match command {
        Command::SetStatus { text } => set_status(ctx, text).await,
        Command::SendMessage {
            channel_id,
            body,
            thread_root_id,
            also_to_channel,
            attachment_ids,
            urgency,
        } => {
            chat::send(
                ctx,
                channel_id,
                body,
                thread_root_id,
                also_to_channel,
                attachment_ids,
                urgency,
            )
            .await
        }
        Command::EditMessage { message_id, body } => chat::edit(ctx, message_id, body).await,
        Command::DeleteMessage { message_id } => chat::delete(ctx, message_id).await,
        Command::SetReaction {
            message_id,
            emoji,
            present,
        } => chat::set_reaction(ctx, message_id, emoji, present).await,
        Command::SetPinned { message_id, pinned } => {
            chat::set_pinned(ctx, message_id, pinned).await
        }
        Command::MarkRead { channel_id, seq } => chat::mark_read(ctx, channel_id, seq).await,
    }
}

async fn set_status(ctx: &mut Ctx<'_, '_>, text: String) -> AppResult<EventEnvelope> {
    validate_status_text(&text)?;
    let text = text.trim().to_string();
    users::set_status(ctx.tx, ctx.user_id, &text).await?;
    let event = Event::StatusChanged {
        user_id: ctx.user_id,
        text,
    };
    Ok(ctx
        .writer
        .append(ctx.tx, Audience::Workspace, event)
        .await?)
}

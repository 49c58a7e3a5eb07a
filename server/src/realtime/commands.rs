//! Executing client commands exactly once per (user, command id).

use tandem_protocol::api::validate_status_text;
use tandem_protocol::ws::{Command, Event, ServerFrame};
use tandem_protocol::{ErrorCode, UserId};
use uuid::Uuid;

use super::audience::Audience;
use crate::db::{self, commands as command_log, users};
use crate::state::AppState;

/// Runs the command (or recognises a retry) and returns the frame to answer with:
/// `Ack` on success or retry, `Error` with `command_id` when refused.
pub async fn execute(
    state: &AppState,
    user_id: UserId,
    command_id: Uuid,
    command: Command,
) -> ServerFrame {
    match try_execute(state, user_id, command_id, command).await {
        Ok(frame) => frame,
        Err(err) => {
            tracing::error!(error = %err, %command_id, "command failed");
            ServerFrame::Error {
                code: ErrorCode::Internal,
                message: "The server could not process this command.".into(),
                command_id: Some(command_id),
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

async fn try_execute(
    state: &AppState,
    user_id: UserId,
    command_id: Uuid,
    command: Command,
) -> Result<ServerFrame, sqlx::Error> {
    if let Some(done) = command_log::find(&state.db, user_id, command_id).await? {
        return Ok(ack(command_id, done));
    }
    let (event, new_status) = match command {
        Command::SetStatus { text } => {
            if let Err(err) = validate_status_text(&text) {
                return Ok(ServerFrame::Error {
                    code: err.code,
                    message: err.message,
                    command_id: Some(command_id),
                });
            }
            let text = text.trim().to_string();
            (
                Event::StatusChanged {
                    user_id,
                    text: text.clone(),
                },
                text,
            )
        }
    };

    let mut writer = state.log.writer().await;
    // Re-check under the lock: a retry on another socket may have just finished.
    if let Some(done) = command_log::find(&state.db, user_id, command_id).await? {
        return Ok(ack(command_id, done));
    }
    let mut tx = writer.begin().await?;
    users::set_status(&mut tx, user_id, &new_status).await?;
    let envelope = writer.append(&mut tx, Audience::Workspace, event).await?;
    match command_log::insert(&mut *tx, user_id, command_id, envelope.id, envelope.seq).await {
        Ok(()) => {}
        Err(err) if db::is_unique_violation(&err) => {
            drop(tx);
            drop(writer);
            return match command_log::find(&state.db, user_id, command_id).await? {
                Some(done) => Ok(ack(command_id, done)),
                None => Err(err),
            };
        }
        Err(err) => return Err(err),
    }
    writer.commit(tx).await?;
    Ok(ack(command_id, (envelope.id, envelope.seq)))
}

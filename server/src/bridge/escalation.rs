//! Async → sync: "Escalate to call" on a thread starts a meeting in its channel, linked
//! to the thread (`meetings.escalated_from`), marks the thread's open response items
//! as escalated to it and rings the thread's people. Escalating the same thread again
//! while its call is live returns that call.

use tandem_protocol::api::Role;
use tandem_protocol::chat::{ChannelKind, MessageId};
use tandem_protocol::meetings::{Meeting, MeetingKind, MAX_MEETING_TITLE_CHARS};
use tandem_protocol::{ErrorCode, UserId};

use super::responses::{self, announce};
use crate::auth::extract::GUESTS_ONLY_THEIR_MEETING;
use crate::chat::access;
use crate::db::{channels, escalations, meetings, messages, urgency, users};
use crate::error::{AppError, AppResult};
use crate::meetings::{lifecycle, ring};
use crate::state::AppState;

/// A meeting title at most this long leaves room for the prefix.
const TITLE_EXCERPT_CHARS: usize = 80;

/// Escalates the thread of `message_id` (the root or any reply) for `user_id`, a
/// member of its channel (not a guest). Returns the thread's live call.
pub async fn escalate_thread(
    state: &AppState,
    user_id: UserId,
    message_id: MessageId,
) -> AppResult<Meeting> {
    Ok(escalate(state, user_id, message_id).await?.0)
}

/// `escalate_thread`, also telling whether the call was started now (`true`) or was
/// already live.
pub async fn escalate(
    state: &AppState,
    user_id: UserId,
    message_id: MessageId,
) -> AppResult<(Meeting, bool)> {
    let user = users::find_by_id(&state.db, user_id)
        .await?
        .ok_or_else(AppError::unauthenticated)?
        .to_user()?;
    if user.role == Role::Guest {
        return Err(AppError::forbidden(GUESTS_ONLY_THEIR_MEETING));
    }
    // One escalation at a time: the check for a live call and starting one must not
    // interleave with another escalation of the same thread.
    let _one_at_a_time = state.bridge.escalations.lock().await;
    let mut conn = state.db.acquire().await?;
    let (row, channel) = access::visible_message(&mut conn, message_id, user_id).await?;
    channel.require_writable()?;
    let root_id = row.thread_root()?.unwrap_or(row.message_id()?);
    let root = match messages::find(&mut conn, root_id).await? {
        Some(root) if !root.deleted => root,
        _ => return Err(AppError::not_found("This message was deleted.")),
    };
    if root.meeting()?.is_some() {
        return Err(AppError::new(
            ErrorCode::Validation,
            "This thread is a meeting's chat: join the meeting instead.",
        ));
    }
    if let Some(live) = escalations::live_for_thread(&mut *conn, root_id).await? {
        if let Some(meeting_row) = meetings::find(&mut *conn, live).await? {
            drop(conn);
            return Ok((lifecycle::snapshot(state, &meeting_row).await?, false));
        }
    }
    drop(conn);

    let channel_id = channel.row.channel_id()?;
    let kind = match channel.kind() {
        ChannelKind::Direct => MeetingKind::Call,
        _ => MeetingKind::Meeting,
    };
    let started = lifecycle::start(state, channel_id, &user, kind, Some(title(&root.body))).await?;
    if !started.created {
        return Err(AppError::new(
            ErrorCode::Conflict,
            "This channel already has a meeting in progress: join it instead.",
        ));
    }
    let meeting = started.meeting;

    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    escalations::set_origin(&mut *tx, meeting.id, root_id, user_id).await?;
    for item in urgency::mark_escalated(&mut tx, root_id, meeting.id).await? {
        announce(&mut writer, &mut tx, &item).await?;
    }
    writer.commit(tx).await?;

    let members = channels::member_ids(&state.db, channel_id).await?;
    let callees: Vec<UserId> = escalations::thread_people(&state.db, root_id)
        .await?
        .into_iter()
        .filter(|person| *person != user_id && members.contains(person))
        .collect();
    if !callees.is_empty() {
        ring::start_group(state, &meeting, user_id, callees);
    }
    tracing::info!(meeting_id = %meeting.id, thread = %root_id, "thread escalated to a call");
    Ok((meeting, true))
}

/// "Call: <the thread's first words>", within the meeting title limit. Retitled when
/// the root is edited or deleted (`chat::redact`).
pub(crate) fn title(root_body: &str) -> String {
    let excerpt = responses::excerpt(root_body);
    if excerpt.is_empty() {
        return "Escalated call".to_string();
    }
    let mut short: String = excerpt.chars().take(TITLE_EXCERPT_CHARS).collect();
    if short.chars().count() < excerpt.chars().count() {
        short.pop();
        short.push('…');
    }
    let title = format!("Call: {short}");
    debug_assert!(title.chars().count() <= MAX_MEETING_TITLE_CHARS);
    title
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_fit_the_limit() {
        assert_eq!(
            title("Deploy is  blocked\non staging"),
            "Call: Deploy is blocked on staging"
        );
        assert_eq!(title(""), "Escalated call");
        let long = title(&"word ".repeat(100));
        assert!(long.chars().count() <= MAX_MEETING_TITLE_CHARS);
        assert!(long.ends_with('…'));
    }
}

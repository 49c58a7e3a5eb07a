//! The host's meeting note (text, decisions, action items) and action items' state.
//! Saving a note replaces its action items: an item whose text, owner and due date are
//! unchanged keeps its id and done state; new ones are assigned (each owner is told)
//! and dropped ones are announced as done, so they leave their owner's inbox.

use tandem_protocol::api::{Role, User};
use tandem_protocol::meetings::MeetingId;
use tandem_protocol::urgency::{ActionItem, ActionItemId, MeetingNote, MeetingNoteRequest};
use tandem_protocol::ws::Event;
use tandem_protocol::{ApiError, ErrorCode};
use uuid::Uuid;

use crate::chat::access;
use crate::db::notes::{self, NewActionItem};
use crate::db::{channels, escalations, meetings};
use crate::error::{AppError, AppResult};
use crate::meetings::guests::no_meeting;
use crate::realtime::audience::Audience;
use crate::state::AppState;

/// `PUT /api/meetings/{id}/note`: the meeting's host or an admin, in a channel they
/// may write to; action item owners must be members of the meeting's channel.
pub async fn put_note(
    state: &AppState,
    me: &User,
    meeting_id: MeetingId,
    request: MeetingNoteRequest,
) -> AppResult<MeetingNote> {
    request.validate()?;
    let row = meetings::find(&state.db, meeting_id)
        .await?
        .ok_or_else(no_meeting)?;
    let channel_id = row.channel()?;
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    let channel = access::visible(&mut tx, channel_id, me.id)
        .await
        .map_err(|_| no_meeting())?;
    if !channel.member {
        return Err(no_meeting());
    }
    if row.host()? != me.id && me.role != Role::Admin {
        return Err(AppError::forbidden(
            "Only the meeting's host can edit its note.",
        ));
    }
    channel.require_writable()?;
    let members = channels::member_ids(&mut *tx, channel_id).await?;
    if request
        .action_items
        .iter()
        .any(|item| !members.contains(&item.owner_id))
    {
        return Err(AppError::Api(
            ApiError::new(
                ErrorCode::Validation,
                "Each action item needs an owner from the meeting's channel.",
            )
            .with_field("action_items"),
        ));
    }

    let now = state.now();
    let decisions: Vec<String> = request
        .decisions
        .iter()
        .map(|d| d.trim().to_string())
        .collect();
    notes::put(
        &mut *tx,
        meeting_id,
        request.text.trim(),
        &decisions,
        me.id,
        now,
    )
    .await?;
    let message_id = match escalations::summary_card(&mut *tx, meeting_id).await? {
        Some(card) => card,
        None => row.card()?,
    };
    let mut old = notes::for_meeting(&mut *tx, meeting_id).await?;
    let mut changed: Vec<ActionItem> = Vec::new();
    for input in &request.action_items {
        let text = input.text.trim();
        let same = old.iter().position(|o| {
            o.text == text && o.owner_id == input.owner_id && o.due_at == input.due_at
        });
        if let Some(index) = same {
            old.remove(index);
            continue;
        }
        let item = ActionItem {
            id: Uuid::new_v4(),
            meeting_id,
            channel_id,
            message_id: Some(message_id),
            text: text.to_string(),
            owner_id: input.owner_id,
            due_at: input.due_at,
            done: false,
        };
        notes::insert_item(
            &mut *tx,
            &NewActionItem {
                id: item.id,
                meeting_id,
                channel_id,
                message_id: item.message_id,
                text: &item.text,
                owner_id: item.owner_id,
                due_at: item.due_at,
                created_at: now,
            },
        )
        .await?;
        changed.push(item);
    }
    for mut dropped in old {
        notes::delete_item(&mut *tx, dropped.id).await?;
        dropped.done = true;
        changed.push(dropped);
    }
    for item in changed {
        let owner = item.owner_id;
        writer
            .append(
                &mut tx,
                Audience::User(owner),
                Event::ActionItemChanged { item },
            )
            .await?;
    }
    let note = notes::get(&mut tx, meeting_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("saved note vanished"))?;
    writer
        .append(
            &mut tx,
            Audience::Channel(channel_id),
            Event::MeetingNoteUpdated { note: note.clone() },
        )
        .await?;
    writer.commit(tx).await?;
    Ok(note)
}

/// `PATCH /api/action-items/{id}`: its owner marks it done (or not).
pub async fn set_done(
    state: &AppState,
    me: &User,
    id: ActionItemId,
    done: bool,
) -> AppResult<ActionItem> {
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    let mut item = notes::find_item(&mut *tx, id)
        .await?
        .ok_or_else(|| AppError::not_found("No such action item."))?;
    if item.owner_id != me.id {
        // Someone who cannot see the channel is not told the item exists.
        if let Err(err) = access::visible(&mut tx, item.channel_id, me.id).await {
            return Err(match err {
                AppError::Api(_) => AppError::not_found("No such action item."),
                other => other,
            });
        }
        return Err(AppError::forbidden(
            "Only its owner can change an action item.",
        ));
    }
    if item.done == done {
        return Ok(item);
    }
    notes::set_done(&mut *tx, id, done).await?;
    item.done = done;
    writer
        .append(
            &mut tx,
            Audience::User(me.id),
            Event::ActionItemChanged { item: item.clone() },
        )
        .await?;
    writer.commit(tx).await?;
    Ok(item)
}

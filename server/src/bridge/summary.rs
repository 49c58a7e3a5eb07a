//! Sync back to async: when a call escalated from a thread ends, a summary card is
//! posted into that thread (by the host, `summary_meeting_id` set), and
//! `GET /api/meetings/{id}/summary` tells what the card shows: duration, who joined,
//! the recording, the board, the in-meeting chat and the host's note.

use tandem_protocol::meetings::MeetingId;
use tandem_protocol::urgency::MeetingSummary;
use tandem_protocol::ws::Event;
use uuid::Uuid;

use crate::chat::post::{post, NewPost};
use crate::db::meetings::MeetingRow;
use crate::db::{escalations, messages, notes, recordings};
use crate::error::AppResult;
use crate::meetings::lifecycle;
use crate::realtime::audience::Audience;
use crate::state::AppState;

pub const SUMMARY_BODY: &str = "Call summary";

/// Called once a meeting ended. Errors are logged: the meeting is over either way.
pub async fn meeting_ended(state: &AppState, meeting_id: MeetingId) {
    if let Err(err) = post_card(state, meeting_id).await {
        tracing::warn!(error = %err, %meeting_id, "could not post a call summary");
    }
}

/// Posts the summary card into the escalated thread (top-level in the channel if the
/// thread's root is gone), at most once per meeting, and points the meeting's action
/// items at it.
async fn post_card(state: &AppState, meeting_id: MeetingId) -> AppResult<()> {
    let Some((root, _)) = escalations::origin(&state.db, meeting_id).await? else {
        return Ok(());
    };
    let Some(row) = crate::db::meetings::find(&state.db, meeting_id).await? else {
        return Ok(());
    };
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    if escalations::summary_card(&mut *tx, meeting_id)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let root_usable = messages::find(&mut tx, root)
        .await?
        .is_some_and(|r| !r.deleted && r.thread_root_id.is_none());
    let card_id = Uuid::new_v4();
    let card = NewPost {
        id: card_id,
        author: row.host()?,
        channel_id: row.channel()?,
        body: SUMMARY_BODY.to_string(),
        thread_root_id: root_usable.then_some(root),
        also_to_channel: false,
        attachment_ids: Vec::new(),
        meeting_id: None,
        recording_id: None,
        as_guest: false,
        urgency: None,
        summary_meeting_id: Some(meeting_id),
        by_server: true,
    };
    post(&mut writer, &mut tx, card, state.now()).await?;
    for item in notes::link_to_message(&mut tx, meeting_id, card_id).await? {
        let owner = item.owner_id;
        let event = Event::ActionItemChanged { item };
        writer.append(&mut tx, Audience::User(owner), event).await?;
    }
    writer.commit(tx).await?;
    tracing::info!(%meeting_id, "call summary posted");
    Ok(())
}

/// What the meeting's summary card shows (the caller checked who may see it).
pub async fn summary(state: &AppState, row: &MeetingRow) -> AppResult<MeetingSummary> {
    let meeting_id = row.meeting_id()?;
    let meeting = lifecycle::snapshot(state, row).await?;
    let end = row.ended_at.unwrap_or_else(|| state.now());
    let mut conn = state.db.acquire().await?;
    Ok(MeetingSummary {
        duration_ms: (end - row.started_at).max(0) as u64,
        attendees: recordings::participants(&mut *conn, meeting_id).await?,
        recording_id: escalations::latest_recording(&mut *conn, meeting_id).await?,
        board_id: row.board()?,
        chat_count: escalations::chat_count(&mut *conn, row.card()?).await?,
        note: notes::get(&mut conn, meeting_id).await?,
        meeting,
    })
}

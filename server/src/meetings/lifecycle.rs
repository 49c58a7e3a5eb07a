//! The persisted side of a meeting: starting it (row + card message + event),
//! describing it (`Meeting`, as its card shows it), announcing changes
//! (`meeting_updated`), and ending it (by a host, when empty for the grace period, or
//! when a call is missed, declined or cancelled).

use std::collections::HashSet;
use std::time::Duration;

use tandem_protocol::api::User;
use tandem_protocol::chat::{ChannelId, Presence};
use tandem_protocol::meetings::{
    Meeting, MeetingId, MeetingKind, MeetingNotice, RingEnd, MAX_MEETING_TITLE_CHARS,
};
use tandem_protocol::ws::{Event, CLOSE_SESSION_ENDED};
use tandem_protocol::{ApiError, ErrorCode, UserId};
use uuid::Uuid;

use super::room::Room;
use crate::chat::access;
use crate::chat::post::{post, NewPost};
use crate::db::guests;
use crate::db::meetings::{self, MeetingRow, NewMeeting};
use crate::error::{AppError, AppResult};
use crate::realtime::audience::Audience;
use crate::realtime::cluster::owners::Resource;
use crate::state::AppState;

/// The meeting as its card shows it, with the live room's people when there is one.
pub fn describe(
    row: &MeetingRow,
    room: Option<&Room>,
    stored_attendees: usize,
) -> Result<Meeting, sqlx::Error> {
    let ended = row.ended_at.is_some();
    Ok(Meeting {
        id: row.meeting_id()?,
        kind: row.kind(),
        channel_id: row.channel()?,
        card_message_id: row.card()?,
        title: row.title.clone(),
        host_id: row.host()?,
        started_at: row.started_at,
        ended_at: row.ended_at,
        locked: room.map_or(row.locked, |r| r.locked),
        present: match room {
            Some(room) if !ended => room.present(),
            _ => Vec::new(),
        },
        attendee_count: room.map_or(stored_attendees, |r| {
            r.attendees.len().max(stored_attendees)
        }) as u32,
        recording: !ended && room.is_some_and(|r| r.recording.is_some()),
        board_id: row.board()?,
        town_hall: row.town_hall,
    })
}

/// `describe` with the live room looked up.
pub async fn snapshot(state: &AppState, row: &MeetingRow) -> AppResult<Meeting> {
    let id = row.meeting_id()?;
    let stored = meetings::attendee_ids(&state.db, id).await?.len();
    let meeting = state.meetings.with(&state.ephemeral, |live, _| {
        describe(row, live.rooms.get(&id), stored)
    })?;
    Ok(meeting)
}

/// Appends `meeting_updated` with the meeting's current state. Taken under the log
/// writer, so concurrent updates go out in the order of the states they describe.
pub async fn publish_update(state: &AppState, meeting_id: MeetingId) -> AppResult<()> {
    let mut writer = state.log.writer().await;
    let Some(row) = meetings::find(&state.db, meeting_id).await? else {
        return Ok(());
    };
    let meeting = snapshot(state, &row).await?;
    let mut tx = writer.begin().await?;
    let audience = Audience::ChannelAndMeeting(meeting.channel_id, meeting_id);
    writer
        .append(&mut tx, audience, Event::MeetingUpdated { meeting })
        .await?;
    writer.commit(tx).await?;
    Ok(())
}

pub struct Started {
    pub meeting: Meeting,
    /// `false` when the channel already had an active meeting (returned instead).
    pub created: bool,
}

fn default_title(kind: MeetingKind, channel_name: &str) -> String {
    match kind {
        MeetingKind::Call => "Call".to_string(),
        MeetingKind::Meeting if channel_name.is_empty() => "Meeting".to_string(),
        MeetingKind::Meeting => format!("Meeting in #{channel_name}"),
    }
}

/// Starts a meeting in the channel (the starter is its host), or returns the one
/// already active there. The card is a real message posted through the same path as
/// any other, in the same transaction as the meeting row and `meeting_updated`.
pub async fn start(
    state: &AppState,
    channel_id: ChannelId,
    host: &User,
    kind: MeetingKind,
    title: Option<String>,
) -> AppResult<Started> {
    start_with(state, channel_id, host, kind, title, false).await
}

/// `start`, optionally as a town hall (which needs an SFU: 409 without one).
pub async fn start_with(
    state: &AppState,
    channel_id: ChannelId,
    host: &User,
    kind: MeetingKind,
    title: Option<String>,
    town_hall: bool,
) -> AppResult<Started> {
    if town_hall && state.sfu.is_none() {
        return Err(AppError::Api(ApiError::new(
            ErrorCode::Conflict,
            "A town hall needs an SFU (Janus), and this server has none. An admin can \
             add one; until then, start an ordinary meeting.",
        )));
    }
    let title = title
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    if title
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_MEETING_TITLE_CHARS)
    {
        return Err(AppError::Api(
            ApiError::new(
                ErrorCode::Validation,
                format!("A meeting title can be at most {MAX_MEETING_TITLE_CHARS} characters."),
            )
            .with_field("title"),
        ));
    }
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    let channel = access::visible(&mut tx, channel_id, host.id).await?;
    channel.require_writable()?;
    if let Some(row) = meetings::active_in_channel(&mut *tx, channel_id).await? {
        drop(tx);
        drop(writer);
        return Ok(Started {
            meeting: snapshot(state, &row).await?,
            created: false,
        });
    }
    let id = Uuid::new_v4();
    let card_message_id = Uuid::new_v4();
    let now = state.now();
    let title = title.unwrap_or_else(|| default_title(kind, &channel.row.name));
    meetings::insert(
        &mut *tx,
        &NewMeeting {
            id,
            channel_id,
            kind,
            title: &title,
            host_id: host.id,
            card_message_id,
            started_at: now,
            town_hall,
        },
    )
    .await?;
    let body = match kind {
        MeetingKind::Meeting => "Meeting started",
        MeetingKind::Call => "Call started",
    };
    let card = NewPost {
        id: card_message_id,
        author: host.id,
        channel_id,
        body: body.to_string(),
        thread_root_id: None,
        also_to_channel: false,
        attachment_ids: Vec::new(),
        meeting_id: Some(id),
        recording_id: None,
        as_guest: false,
        urgency: None,
        summary_meeting_id: None,
        by_server: true,
    };
    post(&mut writer, &mut tx, card, now).await?;
    let row = meetings::find(&mut *tx, id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("new meeting vanished"))?;
    let room = Room::new(&row, HashSet::new())?;
    let meeting = describe(&row, Some(&room), 0)?;
    writer
        .append(
            &mut tx,
            Audience::ChannelAndMeeting(channel_id, id),
            Event::MeetingUpdated {
                meeting: meeting.clone(),
            },
        )
        .await?;
    writer.commit(tx).await?;
    // With several nodes the room is this one's (a new meeting: nobody held it).
    if held_here(state, id).await? {
        state.meetings.with(&state.ephemeral, |live, _| {
            live.rooms.entry(id).or_insert(room);
        });
        // Nobody is in it yet: it ends unless someone joins within the grace period.
        schedule_empty_end(state, id, 0);
    }
    tracing::info!(meeting_id = %id, %channel_id, ?kind, "meeting started");
    Ok(Started {
        meeting,
        created: true,
    })
}

/// Posts a plain notice ("Missed call") in the meeting's channel as `author`.
pub async fn post_notice(state: &AppState, meeting_id: MeetingId, author: UserId, body: &str) {
    let result: AppResult<()> = async {
        let Some(row) = meetings::find(&state.db, meeting_id).await? else {
            return Ok(());
        };
        let mut writer = state.log.writer().await;
        let mut tx = writer.begin().await?;
        let notice = NewPost {
            id: Uuid::new_v4(),
            author,
            channel_id: row.channel()?,
            body: body.to_string(),
            thread_root_id: None,
            also_to_channel: false,
            attachment_ids: Vec::new(),
            meeting_id: None,
            recording_id: None,
            as_guest: false,
            urgency: None,
            summary_meeting_id: None,
            by_server: true,
        };
        post(&mut writer, &mut tx, notice, state.now()).await?;
        writer.commit(tx).await?;
        Ok(())
    }
    .await;
    if let Err(err) = result {
        tracing::error!(error = %err, %meeting_id, "could not post a call notice");
    }
}

/// Ends the meeting for everyone.
pub async fn end(state: &AppState, meeting_id: MeetingId) -> AppResult<()> {
    end_when(state, meeting_id, |_| true).await
}

/// Ends the meeting if `still` holds for its room (a missing room always ends):
/// everyone in it and in the lobby is told `ended`, a call still ringing is cancelled,
/// `ended_at` is set and announced, and the meeting's guests are signed out.
async fn end_when(
    state: &AppState,
    meeting_id: MeetingId,
    still: impl FnOnce(&Room) -> bool,
) -> AppResult<()> {
    let taken = state.meetings.with(&state.ephemeral, |live, out| {
        if live.rooms.get(&meeting_id).is_some_and(|room| !still(room)) {
            return None;
        }
        if let Some(ring) = live.rings.remove(&meeting_id) {
            out.to_users(
                ring.everyone(),
                None,
                MeetingNotice::RingEnded {
                    meeting_id,
                    reason: RingEnd::Cancelled,
                },
            );
        }
        let room = live.rooms.remove(&meeting_id);
        if let Some(room) = &room {
            out.to(room.all_connections(), MeetingNotice::Ended { meeting_id });
        }
        Some(room)
    });
    let Some(room) = taken else {
        return Ok(());
    };
    if let Some(sfu_room) = room.as_ref().and_then(|r| r.sfu.as_ref()) {
        // In the background: an unreachable SFU must not hold up the end.
        let (state, keys, nodes) = (state.clone(), sfu_room.keys.clone(), sfu_room.nodes.clone());
        tokio::spawn(async move {
            crate::sfu::routing::destroy(&state, meeting_id, &keys, &nodes).await;
        });
    }
    if let Some(recording) = room.as_ref().and_then(|r| r.recording) {
        // The recorder may still upload what it has; then it is finalised.
        crate::recordings::lifecycle::watch_orphan(state, recording.id);
    }
    if let Some(room) = &room {
        for member in room.joined().filter(|m| !m.participant.guest) {
            state
                .presence
                .update(member.user_id, member.connection_id, Presence::Online);
        }
    }
    let now = state.now();
    let mut tx = state.db.begin_write().await?;
    let ended = meetings::end(&mut *tx, meeting_id, now).await?;
    crate::db::attendance::close_meeting(&mut *tx, meeting_id, now).await?;
    let guest_sessions = guests::end_all_for_meeting(&mut tx, meeting_id, now).await?;
    tx.commit().await?;
    for session_id in guest_sessions {
        state
            .connections
            .close_session(session_id, CLOSE_SESSION_ENDED);
    }
    if ended {
        publish_update(state, meeting_id).await?;
        tracing::info!(%meeting_id, "meeting ended");
        // A call escalated from a thread reports back into it.
        crate::bridge::summary::meeting_ended(state, meeting_id).await;
    }
    Ok(())
}

/// After the grace period, ends the meeting if nobody joined it since (`epoch` is the
/// room's epoch when it became empty).
pub fn schedule_empty_end(state: &AppState, meeting_id: MeetingId, epoch: u64) {
    let weak = state.downgrade();
    let grace = Duration::from_secs(state.config.meeting_empty_grace_secs);
    tokio::spawn(async move {
        tokio::time::sleep(grace).await;
        let Some(state) = weak.upgrade() else { return };
        let still_empty = |room: &Room| room.joined_count() == 0 && room.epoch == epoch;
        if let Err(err) = end_when(&state, meeting_id, still_empty).await {
            tracing::error!(error = %err, %meeting_id, "could not end an empty meeting");
        }
    });
}

/// At start-up: rooms for the meetings still active (empty, since live state did not
/// survive the restart), each with its grace timer. Clients rejoin on reconnect.
/// With several nodes, only the meetings no live node holds: the others are running.
pub async fn recover(state: &AppState) -> AppResult<()> {
    for row in meetings::all_active(&state.db).await? {
        let id = row.meeting_id()?;
        if held_here(state, id).await? {
            recover_row(state, &row).await?;
        }
    }
    Ok(())
}

/// Takes over one meeting whose node is gone (see `realtime::nodes`): an empty room
/// with its grace timer, which its people rejoin.
pub async fn recover_one(state: &AppState, meeting_id: MeetingId) -> AppResult<()> {
    match meetings::find(&state.db, meeting_id).await? {
        Some(row) if row.ended_at.is_none() => recover_row(state, &row).await,
        _ => Ok(()),
    }
}

async fn recover_row(state: &AppState, row: &MeetingRow) -> AppResult<()> {
    let id = row.meeting_id()?;
    let attendees = meetings::attendee_ids(&state.db, id).await?;
    let room = Room::new(row, attendees.into_iter().collect())?;
    state.meetings.with(&state.ephemeral, |live, _| {
        live.rooms.entry(id).or_insert(room);
    });
    schedule_empty_end(state, id, 0);
    Ok(())
}

/// Whether this node holds the meeting's live room: always with one node; with
/// several, the one that first needed it while no live node held it.
async fn held_here(state: &AppState, meeting_id: MeetingId) -> AppResult<bool> {
    match &state.cluster {
        None => Ok(true),
        Some(cluster) => Ok(cluster
            .holds(&state.db, Resource::Meeting(meeting_id))
            .await?),
    }
}

//! Starting a recording, finalising it (by `finish`, or as incomplete when its
//! recorder is gone), and the orphan timer that decides the latter.

use std::time::Duration;

use tandem_protocol::api::User;
use tandem_protocol::meetings::{MeetingId, MeetingNotice};
use tandem_protocol::recordings::{recording_mime_type, Recording, RecordingId, RecordingState};
use tandem_protocol::{ApiError, ErrorCode};
use uuid::Uuid;

use super::{files, webm};
use crate::chat::post::{post, NewPost};
use crate::db::meetings;
use crate::db::recordings::{self, Finished, NewRecording, RecordingRow};
use crate::error::{AppError, AppResult};
use crate::meetings::lifecycle::publish_update;
use crate::meetings::room::ActiveRecording;
use crate::state::AppState;

/// The wire recording, with its participants.
pub async fn describe(state: &AppState, row: &RecordingRow) -> AppResult<Recording> {
    let participants = recordings::participants(&state.db, row.meeting()?).await?;
    Ok(row.to_recording(participants)?)
}

fn conflict(message: &str) -> AppError {
    AppError::new(ErrorCode::Conflict, message)
}

/// Starts recording the meeting: only a host who is in the room, one at a time.
pub async fn start(
    state: &AppState,
    meeting_id: MeetingId,
    me: &User,
    mime_type: &str,
) -> AppResult<Recording> {
    // Only what the recorder produces: the type is shown to people and decides how
    // the file is played, so it must never be a free-form string.
    let Some(mime_type) = recording_mime_type(mime_type) else {
        return Err(AppError::Api(
            ApiError::new(
                ErrorCode::Validation,
                "A recording is WebM: video/webm or audio/webm (with vp8, vp9, av1 or opus).",
            )
            .with_field("mime_type"),
        ));
    };
    let meeting = meetings::find(&state.db, meeting_id)
        .await?
        .ok_or_else(|| AppError::not_found("No such meeting."))?;
    if meeting.ended_at.is_some() {
        return Err(AppError::new(ErrorCode::Gone, "This meeting has ended."));
    }
    let id = Uuid::new_v4();
    state.meetings.with(&state.ephemeral, |live, _| {
        let not_in = || AppError::forbidden("Join the meeting to record it.");
        let room = live.rooms.get_mut(&meeting_id).ok_or_else(not_in)?;
        let member = room
            .joined()
            .find(|m| m.user_id == me.id && !m.participant.guest)
            .ok_or_else(not_in)?;
        if !member.participant.host {
            return Err(AppError::forbidden("Only a host can record this meeting."));
        }
        if room.recording.is_some() {
            return Err(conflict("This meeting is already being recorded."));
        }
        room.recording = Some(ActiveRecording {
            id,
            started_by: me.id,
        });
        Ok(())
    })?;
    let release = |state: &AppState| {
        state.meetings.with(&state.ephemeral, |live, _| {
            if let Some(room) = live.rooms.get_mut(&meeting_id) {
                if room.recording.is_some_and(|r| r.id == id) {
                    room.recording = None;
                }
            }
        })
    };
    let inserted = recordings::insert(
        &state.db,
        &NewRecording {
            id,
            meeting_id,
            channel_id: meeting.channel()?,
            title: &meeting.title,
            started_by: me.id,
            started_at: state.now(),
            mime_type,
        },
    )
    .await;
    if let Err(err) = inserted {
        release(state);
        if crate::db::is_unique_violation(&err) {
            return Err(conflict("This meeting is already being recorded."));
        }
        return Err(err.into());
    }
    if let Err(err) = files::create(&state.config.data_dir, id).await {
        release(state);
        recordings::delete(&state.db, id).await?;
        return Err(anyhow::Error::from(err).into());
    }
    announce(state, meeting_id, Some(id));
    publish_update(state, meeting_id).await?;
    tracing::info!(recording_id = %id, %meeting_id, "recording started");
    let row = recordings::find(&state.db, id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("new recording vanished"))?;
    describe(state, &row).await
}

/// Tells everyone in the room that recording started or stopped.
fn announce(state: &AppState, meeting_id: MeetingId, recording_id: Option<RecordingId>) {
    state.meetings.with(&state.ephemeral, |live, out| {
        if let Some(room) = live.rooms.get(&meeting_id) {
            out.to(
                room.joined().map(|m| m.connection_id).collect(),
                MeetingNotice::RecordingChanged {
                    meeting_id,
                    recording_id,
                },
            );
        }
    });
}

/// Rewrites the media file seekable, streaming the output to disk. Only the
/// acknowledged bytes are kept. Returns the new size and the duration, or why the
/// file is not WebM: then none of it is kept (the file is left empty), so bytes that
/// are not a recording are never served.
fn rewrite_seekable(
    path: &std::path::Path,
    acked: usize,
) -> std::io::Result<Result<(u64, u64), webm::WebmError>> {
    match files::finalise_blocking(path, acked as u64) {
        Ok(done) => Ok(Ok((done.size_bytes, done.duration_ms))),
        Err(webm::FinaliseError::Write(err)) => Err(err),
        // Found before anything was written: keep none of it.
        Err(webm::FinaliseError::Webm(err)) => {
            files::keep_blocking(path, 0)?;
            Ok(Err(err))
        }
    }
}

/// Releases the room's recording slot if it is still this one; tells the room.
async fn stop_in_room(state: &AppState, meeting_id: MeetingId, id: RecordingId) -> AppResult<()> {
    let was_active = state.meetings.with(&state.ephemeral, |live, _| {
        match live.rooms.get_mut(&meeting_id) {
            Some(room) if room.recording.is_some_and(|r| r.id == id) => {
                room.recording = None;
                true
            }
            _ => false,
        }
    });
    if was_active {
        announce(state, meeting_id, None);
        publish_update(state, meeting_id).await?;
    }
    Ok(())
}

/// Finalises the recording as `outcome` (once: a finalised one is returned as is):
/// the file is rewritten seekable, the room is told, and the card is posted in the
/// channel. A file that is not WebM is refused (422): the recording is deleted.
pub async fn finalise(
    state: &AppState,
    id: RecordingId,
    outcome: RecordingState,
) -> AppResult<RecordingRow> {
    let guard = state.recording_locks.lock(id).await;
    let row = recordings::find(&state.db, id)
        .await?
        .ok_or_else(super::access::no_recording)?;
    if row.state() != RecordingState::Recording {
        return Ok(row);
    }
    let path = files::media(&state.config.data_dir, id);
    // Appends may have been cut short by a crash; the row says what was acknowledged.
    let acked = row.size_bytes.max(0) as usize;
    let rewritten = tokio::task::spawn_blocking(move || rewrite_seekable(&path, acked))
        .await
        .map_err(anyhow::Error::from)?
        .map_err(anyhow::Error::from)?;
    let (size_bytes, duration_ms) = match rewritten {
        Ok((size, duration)) => (size, Some(duration)),
        Err(err) => {
            // Not a recording: nothing is kept and no card is posted.
            tracing::warn!(recording_id = %id, error = %err, "recording refused: not WebM");
            recordings::delete(&state.db, id).await?;
            files::remove(&state.config.data_dir, id).await;
            drop(guard);
            stop_in_room(state, row.meeting()?, id).await?;
            return Err(AppError::Api(ApiError::new(
                ErrorCode::Validation,
                "The recording is not a WebM file, so it was not kept.",
            )));
        }
    };
    let now = state.now();
    recordings::finish(
        &state.db,
        id,
        &Finished {
            state: outcome,
            ended_at: now,
            duration_ms,
            size_bytes,
        },
    )
    .await?;
    drop(guard);

    stop_in_room(state, row.meeting()?, id).await?;
    if let Err(err) = post_card(state, &row, now).await {
        // The recording is safe either way; only its announcement is missing.
        tracing::warn!(recording_id = %id, error = %err, "could not post the recording card");
    }
    tracing::info!(recording_id = %id, ?outcome, size_bytes, "recording finalised");
    recordings::find(&state.db, id)
        .await?
        .ok_or_else(super::access::no_recording)
}

/// Posts the recording's card in the meeting's channel, as its starter.
async fn post_card(state: &AppState, row: &RecordingRow, now: i64) -> AppResult<()> {
    let id = row.recording_id()?;
    let card_id = Uuid::new_v4();
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    let card = NewPost {
        id: card_id,
        author: row.starter()?,
        channel_id: row.channel()?,
        body: format!("Recording: {}", row.title),
        thread_root_id: None,
        also_to_channel: false,
        attachment_ids: Vec::new(),
        meeting_id: None,
        recording_id: Some(id),
        as_guest: false,
        urgency: None,
        summary_meeting_id: None,
        by_server: true,
    };
    post(&mut writer, &mut tx, card, now).await?;
    recordings::set_card(&mut *tx, id, card_id).await?;
    writer.commit(tx).await?;
    Ok(())
}

/// The recorder may be gone (its starter left, their socket closed, the meeting
/// ended): unless chunks or `finish` arrive within the grace period, what arrived
/// is finalised as incomplete. Chunks still arriving keep it alive.
pub fn watch_orphan(state: &AppState, id: RecordingId) {
    let weak = state.downgrade();
    let grace = Duration::from_millis(state.config.recording_orphan_grace_secs * 1000);
    tokio::spawn(async move {
        let mut seen: Option<i64> = None;
        loop {
            if seen.is_none() {
                let Some(state) = weak.upgrade() else { return };
                match recordings::find(&state.db, id).await {
                    Ok(Some(row)) => seen = Some(row.next_index),
                    _ => return,
                }
            }
            tokio::time::sleep(grace).await;
            let Some(state) = weak.upgrade() else { return };
            let row = match recordings::find(&state.db, id).await {
                Ok(Some(row)) if row.state() == RecordingState::Recording => row,
                _ => return,
            };
            if Some(row.next_index) != seen {
                // Still uploading; if its starter is back in the room, a later
                // leave starts a new watch.
                if starter_present(&state, &row) {
                    return;
                }
                seen = Some(row.next_index);
                continue;
            }
            if let Err(err) = finalise(&state, id, RecordingState::Incomplete).await {
                tracing::error!(
                    recording_id = %id,
                    error = %err,
                    "could not finalise an orphaned recording"
                );
            }
            return;
        }
    });
}

fn starter_present(state: &AppState, row: &RecordingRow) -> bool {
    let (Ok(meeting_id), Ok(starter)) = (row.meeting(), row.starter()) else {
        return false;
    };
    state.meetings.with(&state.ephemeral, |live, _| {
        live.rooms
            .get(&meeting_id)
            .is_some_and(|room| room.joined().any(|m| m.user_id == starter))
    })
}

/// At start-up: recordings still in progress are marked on their (fresh) rooms and
/// watched, so a recorder that does not come back leaves an incomplete recording.
pub async fn recover(state: &AppState) -> AppResult<()> {
    for row in recordings::all_active(&state.db).await? {
        let id = row.recording_id()?;
        let meeting_id = row.meeting()?;
        let started_by = row.starter()?;
        state.meetings.with(&state.ephemeral, |live, _| {
            if let Some(room) = live.rooms.get_mut(&meeting_id) {
                room.recording = Some(ActiveRecording { id, started_by });
            }
        });
        watch_orphan(state, id);
    }
    Ok(())
}

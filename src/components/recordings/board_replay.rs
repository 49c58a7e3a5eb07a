//! The meeting's whiteboard under the video, following the playback position.
//!
//! Loads the board as it was when the recording started (`/state?at=`) and the ops
//! after that up to the recording's end (`/ops`, paged), then keeps the board at
//! "recording start + position" as the player moves (`timeline_board`). A meeting
//! without a board shows nothing here.

use leptos::prelude::*;
use leptos::task::spawn_local;
use tandem_board::BoardState;
use tandem_protocol::recordings::Recording;
use tandem_protocol::{ErrorCode, Timestamp};

use super::player::PlayerState;
use super::timeline_board::{BoardMarker, BoardTimeline, Replayer};
use crate::api::boards::MAX_OPS_PAGE;
use crate::api::{AuthorizedApi, Error};
use crate::components::whiteboard::BoardReplay;
use crate::contexts::session::use_session;

/// A generous bound on the ops one recording loads (page requests × page size).
const MAX_OP_PAGES: usize = 40;

#[derive(Debug, Clone, PartialEq)]
enum Load {
    Loading,
    /// The meeting had no whiteboard (or we may not see the meeting).
    NoBoard,
    Deleted,
    Ready,
    Failed(String),
}

/// When the recording ended, as far as we know.
fn recording_end(recording: &Recording) -> Option<Timestamp> {
    recording.ended_at.or_else(|| {
        recording
            .duration_ms
            .map(|d| recording.started_at + d as i64)
    })
}

/// The board's state at the start plus the ops up to `end`.
async fn load_timeline(
    api: &AuthorizedApi,
    recording: &Recording,
) -> Result<Option<BoardTimeline>, Error> {
    let meeting = match api.meeting(recording.meeting_id).await {
        Ok(m) => m,
        Err(Error::Api(e)) if matches!(e.code, ErrorCode::NotFound | ErrorCode::Forbidden) => {
            return Ok(None)
        }
        Err(e) => return Err(e),
    };
    let Some(board_id) = meeting.board_id else {
        return Ok(None);
    };
    let snapshot = api.board_state_at(board_id, recording.started_at).await?;
    let end = recording_end(recording);
    let mut ops = Vec::new();
    let mut after = snapshot.rev;
    for _ in 0..MAX_OP_PAGES {
        let page = api.board_ops(board_id, after, MAX_OPS_PAGE).await?;
        let Some(last) = page.ops.last() else { break };
        after = last.rev;
        let past_end = end.is_some_and(|end| last.at > end);
        ops.extend(page.ops);
        if !page.more || past_end {
            break;
        }
    }
    ops.retain(|op| end.is_none_or(|end| op.at <= end));
    Ok(Some(BoardTimeline::new(snapshot, ops)))
}

#[component]
pub fn BoardPlayback(
    recording: Recording,
    player: PlayerState,
    /// Filled with the "Board changed" markers for the timeline bar.
    markers: RwSignal<Vec<BoardMarker>>,
) -> impl IntoView {
    let session = use_session();
    let started_at = recording.started_at;
    let load = RwSignal::new(Load::Loading);
    let timeline = StoredValue::new(None::<BoardTimeline>);
    let replayer = StoredValue::new(Replayer::default());
    let state = RwSignal::new(BoardState::new());

    if let Some(api) = session.authorized_untracked() {
        spawn_local(async move {
            let result = load_timeline(&api, &recording).await;
            if load.is_disposed() {
                return;
            }
            match result {
                Ok(Some(t)) => {
                    markers.set(t.markers(started_at, recording.duration_ms));
                    let (fresh, start) = Replayer::start(&t);
                    replayer.set_value(fresh);
                    state.set(start);
                    timeline.set_value(Some(t));
                    load.set(Load::Ready);
                }
                Ok(None) => load.set(Load::NoBoard),
                Err(Error::Api(e)) if e.code == ErrorCode::NotFound => load.set(Load::Deleted),
                Err(e) => load.set(Load::Failed(e.message())),
            }
        });
    } else {
        load.set(Load::NoBoard);
    }

    // How many ops lie before the playback position: changes only when the board
    // does, not on every `timeupdate`.
    let count = Memo::new(move |_| {
        if load.get() != Load::Ready {
            return 0;
        }
        // Rounded: a marker seeks to `at_ms / 1000` s, which must land on its op, not
        // a float's hair before it.
        let at = started_at + (player.current.get().max(0.0) * 1000.0).round() as i64;
        timeline.with_value(|t| t.as_ref().map_or(0, |t| t.count_at(at)))
    });
    Effect::new(move |_| {
        let n = count.get();
        timeline.with_value(|t| {
            let Some(t) = t else { return };
            let mut stepper = replayer.get_value();
            let mut changed = false;
            state.update_untracked(|s| changed = stepper.seek(s, t, n));
            replayer.set_value(stepper);
            if changed {
                state.notify();
            }
        });
    });

    move || match load.get() {
        Load::NoBoard => ().into_any(),
        Load::Loading => view! {
            <section class="playback-board" aria-label="Board at playback position">
                <p class="muted">"Loading the whiteboard…"</p>
            </section>
        }
        .into_any(),
        Load::Deleted => view! {
            <section class="playback-board" aria-label="Board at playback position">
                <p class="muted">"The meeting's whiteboard was deleted."</p>
            </section>
        }
        .into_any(),
        Load::Failed(message) => view! {
            <section class="playback-board" aria-label="Board at playback position">
                <p class="alert" role="alert">{message}</p>
            </section>
        }
        .into_any(),
        Load::Ready => view! {
            <section class="playback-board" aria-label="Board at playback position">
                <BoardReplay state=state.into() />
            </section>
        }
        .into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn the_end_is_the_end_time_or_start_plus_duration() {
        let mut r: Recording = serde_json::from_value(serde_json::json!({
            "id": Uuid::from_u128(1), "meeting_id": Uuid::from_u128(2),
            "channel_id": Uuid::from_u128(3),
            "title": "Standup", "started_by": Uuid::from_u128(4), "started_at": 1_000,
            "size_bytes": 0, "state": "recording", "mime_type": "video/webm",
            "participants": [], "has_thumbnail": false
        }))
        .expect("a recording");
        assert_eq!(recording_end(&r), None);
        r.duration_ms = Some(5_000);
        assert_eq!(recording_end(&r), Some(6_000));
        r.ended_at = Some(6_200);
        assert_eq!(recording_end(&r), Some(6_200));
    }
}

//! `/recordings/:id`: play a recording with its timeline and meeting chat.

use leptos::prelude::*;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::{use_navigate, use_params_map};
use tandem_protocol::recordings::{Recording, RecordingId, RecordingState, TimelineMarker};
use tandem_protocol::ErrorCode;

use crate::api::Error;
use crate::app::Loading;
use crate::base_path::app_href;
use crate::components::recordings::actions::RecordingActions;
use crate::components::recordings::board_replay::BoardPlayback;
use crate::components::recordings::format::{duration_label, human_size, participant_names};
use crate::components::recordings::meeting_chat::MeetingChat;
use crate::components::recordings::player::{Player, PlayerState};
use crate::components::recordings::timeline::TimelineBar;
use crate::components::recordings::timeline_board::BoardMarker;
use crate::contexts::session::use_session;
use crate::time::full_time;

#[component]
pub fn RecordingPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| p.get("id").and_then(|s| s.parse::<RecordingId>().ok()))
    });
    let recording = LocalResource::new(move || {
        let (id, api) = (id.get(), session.authorized_untracked());
        async move {
            let (Some(id), Some(api)) = (id, api) else {
                return Err(None);
            };
            api.recording(id).await.map_err(Some)
        }
    });
    let signed_in = move || session.user_id().is_some();
    view! {
        <Show when=signed_in fallback=|| view! { <Redirect path="/login" /> }>
            <Suspense fallback=|| view! { <Loading label="Loading recording…" /> }>
                // Reads only the resource: the playback view below mounts once per id.
                {move || recording.get().map(|result| match result {
                    Ok(r) => view! { <Playback recording=r /> }.into_any(),
                    Err(e) => view! { <Unavailable error=e /> }.into_any(),
                })}
            </Suspense>
        </Show>
    }
}

#[component]
fn Unavailable(error: Option<Error>) -> impl IntoView {
    let message = match &error {
        None => "There is no such recording.".to_string(),
        Some(Error::Api(e)) if e.code == ErrorCode::NotFound => {
            "This recording was deleted.".to_string()
        }
        Some(e) => e.message(),
    };
    view! {
        <section class="playback-page">
            <h1>"Recording"</h1>
            <p class="alert" role="alert">{message}</p>
            <A href=app_href("/recordings")>"All recordings"</A>
        </section>
    }
}

#[component]
fn Playback(recording: Recording) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let id = recording.id;
    let player = PlayerState::new(recording.duration_ms);
    let src = session
        .authorized_untracked()
        .map(|api| api.recording_media_url(id))
        .unwrap_or_default();
    let incomplete = recording.state == RecordingState::Incomplete;
    let static_meta = recording.clone();
    let recording = RwSignal::new(recording);

    // The timeline arrives separately so the video can start loading at once.
    let markers = RwSignal::new(Vec::<TimelineMarker>::new());
    let timeline_error = RwSignal::new(None::<String>);
    if let Some(api) = session.authorized_untracked() {
        leptos::task::spawn_local(async move {
            let result = api.recording_timeline(id).await;
            if markers.is_disposed() {
                return;
            }
            match result {
                Ok(t) => markers.set(t.markers),
                Err(e) => timeline_error.set(Some(e.message())),
            }
        });
    }
    // Filled by the whiteboard replay when the meeting had a board.
    let board_markers = RwSignal::new(Vec::<BoardMarker>::new());
    let on_deleted = Callback::new(move |_| navigate("/recordings", Default::default()));

    view! {
        <section class="playback-page" aria-labelledby="playback-heading">
            <header class="playback-header">
                <h1 id="playback-heading">{move || recording.with(|r| r.title.clone())}</h1>
                <p class="muted small">
                    <time>{full_time(static_meta.started_at)}</time>
                    " · " {duration_label(&static_meta)}
                    " · " {human_size(static_meta.size_bytes)}
                    " · " {participant_names(&static_meta.participants)}
                </p>
                <RecordingActions recording on_deleted />
            </header>
            {incomplete.then(|| view! {
                <p class="alert recording-incomplete">
                    "This recording is incomplete: the recorder stopped unexpectedly."
                </p>
            })}
            <div class="playback-layout">
                // The main column holds what follows the clock: the video, its
                // timeline, and the meeting's whiteboard at the playback position.
                <div class="playback-main">
                    <Player player src />
                    <TimelineBar player markers=markers.into() board_markers=board_markers.into() />
                    {move || timeline_error.get().map(|m| view! {
                        <p class="field-error" role="alert">{m}</p>
                    })}
                    <BoardPlayback recording=static_meta.clone() player markers=board_markers />
                </div>
                <aside class="playback-side" aria-labelledby="meeting-chat-heading">
                    <h2 id="meeting-chat-heading">"Meeting chat"</h2>
                    <MeetingChat player markers=markers.into() />
                </aside>
            </div>
        </section>
    }
}

//! A recording's card in its channel (the message the server posts when a recording
//! is finalised): what it is, and a link to play it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use tandem_protocol::recordings::{Recording, RecordingId};
use tandem_protocol::ErrorCode;

use super::cache::{self, Cached};
use super::format::{duration_label, human_size, participant_names, state_label};
use crate::api::Error;
use crate::base_path::app_href;
use crate::contexts::chat::use_chat;
use crate::time::full_time;

#[derive(Debug, Clone, PartialEq)]
enum CardState {
    Loading,
    Ready(Recording),
    Deleted,
    Failed(String),
}

#[component]
pub fn RecordingCard(recording_id: RecordingId) -> impl IntoView {
    let chat = use_chat();
    let state = RwSignal::new(match cache::get(recording_id) {
        Some(Cached::Found(r)) => CardState::Ready(*r),
        Some(Cached::Deleted) => CardState::Deleted,
        None => CardState::Loading,
    });
    if state.get_untracked() == CardState::Loading {
        let api = chat.api();
        spawn_local(async move {
            let next = match api.recording(recording_id).await {
                Ok(r) => {
                    cache::remember(&r);
                    CardState::Ready(r)
                }
                Err(Error::Api(e)) if e.code == ErrorCode::NotFound => {
                    cache::forget_deleted(recording_id);
                    CardState::Deleted
                }
                Err(e) => CardState::Failed(e.message()),
            };
            if !state.is_disposed() {
                state.set(next);
            }
        });
    }
    let thumbnail = move |r: &Recording| {
        r.has_thumbnail.then(|| {
            view! {
                <img class="recording-card-thumb" src=chat.api().recording_thumbnail_url(r.id)
                    alt=format!("Thumbnail of {}", r.title) loading="lazy" />
            }
        })
    };
    view! {
        <div class="recording-card" role="group" aria-label="Recording">
            {move || match state.get() {
                CardState::Loading => {
                    view! { <p class="muted">"Loading recording…"</p> }.into_any()
                }
                CardState::Deleted => {
                    view! { <p class="muted">"This recording was deleted."</p> }.into_any()
                }
                CardState::Failed(m) => view! { <p class="field-error">{m}</p> }.into_any(),
                CardState::Ready(r) => view! {
                    {thumbnail(&r)}
                    <div class="recording-card-body">
                        <strong class="recording-card-title">{r.title.clone()}</strong>
                        <p class="muted small">
                            <time>{full_time(r.started_at)}</time>
                            " · " <span class="recording-duration">{duration_label(&r)}</span>
                            " · " <span class="recording-size">{human_size(r.size_bytes)}</span>
                        </p>
                        <p class="small recording-people">{participant_names(&r.participants)}</p>
                        {state_label(r.state).map(|s| view! { <p class="recording-state">{s}</p> })}
                        <A href=app_href(&format!("/recordings/{}", r.id))
                            attr:class="button primary small">
                            "Play recording"
                        </A>
                    </div>
                }.into_any(),
            }}
        </div>
    }
}

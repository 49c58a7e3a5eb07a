//! One recording in the library list.

use leptos::prelude::*;
use leptos_router::components::A;
use tandem_protocol::recordings::{Recording, RecordingId};

use super::actions::RecordingActions;
use super::format::{duration_label, human_size, participant_names, state_label};
use crate::base_path::app_href;
use crate::time::full_time;

#[component]
pub fn RecordingItem(
    recording: Recording,
    channel_label: String,
    on_deleted: Callback<RecordingId>,
) -> impl IntoView {
    // Its own signal, so a rename updates this row only.
    let recording = RwSignal::new(recording);
    let r = recording.get_untracked();
    view! {
        <li class="recording-item">
            <div class="recording-item-main">
                <A href=app_href(&format!("/recordings/{}", r.id)) attr:class="recording-title">
                    {move || recording.with(|r| r.title.clone())}
                </A>
                <p class="muted small recording-meta">
                    <span class="recording-channel">{channel_label}</span>
                    " · " <time>{full_time(r.started_at)}</time>
                    " · " <span class="recording-duration">{duration_label(&r)}</span>
                    " · " <span class="recording-size">{human_size(r.size_bytes)}</span>
                </p>
                <p class="small recording-people">{participant_names(&r.participants)}</p>
                {state_label(r.state).map(|s| view! { <p class="recording-state">{s}</p> })}
            </div>
            <RecordingActions recording on_deleted />
        </li>
    }
}

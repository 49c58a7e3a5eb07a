//! Pre-join: the meeting's title, a camera preview, device choice and "Join meeting".

use leptos::prelude::*;

use crate::components::meeting::devices::DeviceSelects;
use crate::components::meeting::video::StreamVideo;
use crate::contexts::meeting::room::Room;
use crate::media::StreamKind;

#[component]
pub fn Lobby() -> impl IntoView {
    let room = expect_context::<Room>();
    let title = move || {
        room.meeting
            .with(|m| m.as_ref().map(|m| m.title.clone()).unwrap_or_default())
    };
    view! {
        <main class="meeting-lobby" aria-label="Meeting lobby">
            <h1>{title}</h1>
            <div class="lobby-grid">
                <div class="lobby-preview">
                    <StreamVideo key=(None, StreamKind::Camera) muted=true
                        label="Your camera preview" />
                    {move || room.camera_problem.get().map(|m| view! {
                        <p class="alert" role="alert">{m}</p>
                    })}
                </div>
                <div class="lobby-options">
                    <DeviceSelects />
                    <label class="checkbox">
                        <input type="checkbox"
                            prop:checked=move || room.join_muted.get()
                            on:change=move |ev| room.join_muted.set(event_target_checked(&ev)) />
                        "Join muted"
                    </label>
                    <label class="checkbox">
                        <input type="checkbox"
                            prop:checked=move || room.join_camera_off.get()
                            on:change=move |ev| {
                                room.join_camera_off.set(event_target_checked(&ev))
                            } />
                        "Camera off"
                    </label>
                    <button type="button" class="button primary" on:click=move |_| room.join()>
                        "Join meeting"
                    </button>
                </div>
            </div>
        </main>
    }
}

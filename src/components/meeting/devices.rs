//! Camera / microphone / speaker pickers, shared by the lobby and the in-meeting
//! "Devices" popover. Filled from enumerateDevices and kept live by devicechange.

use leptos::prelude::*;

use crate::contexts::meeting::room::Room;
use crate::media::{DeviceKind, MediaDevice};

/// Whether the browser can route audio to a chosen output (`setSinkId`).
pub fn can_choose_speaker() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    js_sys::Reflect::get(&window, &"HTMLMediaElement".into())
        .and_then(|c| js_sys::Reflect::get(&c, &"prototype".into()))
        .and_then(|p| js_sys::Reflect::has(&p, &"setSinkId".into()))
        .unwrap_or(false)
}

#[component]
pub fn DeviceSelects() -> impl IntoView {
    let room = expect_context::<Room>();
    view! {
        <div class="device-selects">
            <DeviceSelect kind=DeviceKind::VideoInput label="Camera" />
            <DeviceSelect kind=DeviceKind::AudioInput label="Microphone" />
            {can_choose_speaker().then(|| view! {
                <DeviceSelect kind=DeviceKind::AudioOutput label="Speaker" />
            })}
            {move || room.devices.with(|d| d.video_inputs.is_empty() && d.audio_inputs.is_empty())
                .then(|| view! { <p class="muted small">"No devices listed yet."</p> })}
        </div>
    }
}

#[component]
fn DeviceSelect(kind: DeviceKind, label: &'static str) -> impl IntoView {
    let room = expect_context::<Room>();
    let id = format!("device-{}", uuid::Uuid::new_v4().simple());
    let list = Memo::new(move |_| {
        room.devices.with(|d| match kind {
            DeviceKind::VideoInput => d.video_inputs.clone(),
            DeviceKind::AudioInput => d.audio_inputs.clone(),
            DeviceKind::AudioOutput => d.audio_outputs.clone(),
        })
    });
    let chosen = Memo::new(move |_| {
        room.chosen.with(|c| match kind {
            DeviceKind::VideoInput => c.camera.clone(),
            DeviceKind::AudioInput => c.microphone.clone(),
            DeviceKind::AudioOutput => c.speaker.clone(),
        })
    });
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                prop:value=move || chosen.get().unwrap_or_default()
                on:change=move |ev| room.choose(kind, event_target_value(&ev))
            >
                {move || list.get().into_iter().map(|d: MediaDevice| {
                    let selected = chosen.get().as_deref() == Some(d.device_id.as_str());
                    view! {
                        <option value=d.device_id.clone() selected=selected>
                            {d.label.clone()}
                        </option>
                    }
                }).collect_view()}
            </select>
        </div>
    }
}

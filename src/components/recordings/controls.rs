//! Our own player controls (the native ones are off so every control has a stable,
//! named, keyboard-reachable element).

use leptos::prelude::*;

use super::format::clock_secs;
use super::player::PlayerState;
use super::timeline_math::{speed_label, SPEEDS};

#[component]
pub fn PlayerControls(player: PlayerState) -> impl IntoView {
    view! {
        <div class="player-controls">
            <button type="button" class="button small player-toggle"
                on:click=move |_| player.toggle()>
                {move || if player.playing.get() { "Pause" } else { "Play" }}
            </button>
            <input
                type="range"
                class="player-seek"
                aria-label="Seek"
                min="0"
                step="0.1"
                max=move || player.duration.get()
                prop:value=move || player.current.get()
                aria-valuetext=move || clock_secs(player.current.get())
                on:input=move |ev| {
                    if let Ok(secs) = event_target_value(&ev).parse::<f64>() {
                        player.seek_to(secs);
                    }
                }
            />
            <span class="player-time">
                {move || clock_secs(player.current.get())}
                " / "
                {move || clock_secs(player.duration.get())}
            </span>
            <label class="player-speed">
                <span class="visually-hidden">"Playback speed"</span>
                <select
                    aria-label="Playback speed"
                    prop:value=move || player.speed.get().to_string()
                    on:change=move |ev| {
                        if let Ok(speed) = event_target_value(&ev).parse::<f64>() {
                            player.set_speed(speed);
                        }
                    }
                >
                    {SPEEDS.iter().map(|s| view! {
                        <option value=s.to_string() selected=*s == 1.0>{speed_label(*s)}</option>
                    }).collect_view()}
                </select>
            </label>
        </div>
    }
}

//! The video and its state. The `<video>` is created once and never re-rendered:
//! the current time lives in its own signal that only small leaf closures (the
//! readout, the seek bar, the chat highlight) read, so `timeupdate` never remounts it.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::controls::PlayerControls;
use super::shortcuts::{shortcut_for, Shortcut, HELP};
use super::timeline_math::step_speed;

#[derive(Clone, Copy)]
pub struct PlayerState {
    pub video: NodeRef<html::Video>,
    /// Seconds, from `timeupdate` (and set at once when we seek).
    pub current: RwSignal<f64>,
    /// Seconds; starts from the server's figure until the media reports its own.
    pub duration: RwSignal<f64>,
    pub playing: RwSignal<bool>,
    pub speed: RwSignal<f64>,
    /// What went wrong when the media failed (the player then shows it with Reload).
    pub failed: RwSignal<Option<&'static str>>,
    /// Where to go back to once a reload has the media again.
    resume_at: RwSignal<Option<f64>>,
}

impl PlayerState {
    pub fn new(known_duration_ms: Option<u64>) -> Self {
        Self {
            video: NodeRef::new(),
            current: RwSignal::new(0.0),
            duration: RwSignal::new(
                known_duration_ms
                    .map(|ms| ms as f64 / 1000.0)
                    .unwrap_or(0.0),
            ),
            playing: RwSignal::new(false),
            speed: RwSignal::new(1.0),
            failed: RwSignal::new(None),
            resume_at: RwSignal::new(None),
        }
    }

    /// The media failed: say why (instead of a black, dead player).
    fn fail(&self) {
        let code = self
            .video
            .get_untracked()
            .and_then(|el| js_sys::Reflect::get(&el, &"error".into()).ok())
            .and_then(|error| js_sys::Reflect::get(&error, &"code".into()).ok())
            .and_then(|code| code.as_f64());
        self.playing.set(false);
        self.failed.set(Some(media_error_message(code)));
    }

    /// Loads the media again and goes back to where it was.
    pub fn reload(&self) {
        let Some(el) = self.video.get_untracked() else {
            return;
        };
        self.resume_at.set(Some(self.current.get_untracked()));
        self.failed.set(None);
        el.load();
    }

    fn loaded(&self) {
        self.sync_duration();
        if let Some(at) = self.resume_at.get_untracked() {
            self.resume_at.set(None);
            self.seek_to(at);
        }
    }

    pub fn seek_to(&self, secs: f64) {
        let end = self.duration.get_untracked();
        let secs = if end > 0.0 {
            secs.clamp(0.0, end)
        } else {
            secs.max(0.0)
        };
        if let Some(el) = self.video.get_untracked() {
            el.set_current_time(secs);
        }
        self.current.set(secs);
    }

    pub fn seek_by(&self, delta: f64) {
        self.seek_to(self.current.get_untracked() + delta);
    }

    pub fn toggle(&self) {
        let Some(el) = self.video.get_untracked() else {
            return;
        };
        if el.paused() {
            // The promise only rejects if playback is refused; the UI follows the
            // element's own play/pause events either way.
            let _ = el.play();
        } else {
            let _ = el.pause();
        }
    }

    pub fn set_speed(&self, speed: f64) {
        if let Some(el) = self.video.get_untracked() {
            el.set_playback_rate(speed);
        }
        self.speed.set(speed);
    }

    pub fn apply(&self, shortcut: Shortcut) {
        match shortcut {
            Shortcut::TogglePlay => self.toggle(),
            Shortcut::SeekBy(d) => self.seek_by(d),
            Shortcut::Faster => self.set_speed(step_speed(self.speed.get_untracked(), true)),
            Shortcut::Slower => self.set_speed(step_speed(self.speed.get_untracked(), false)),
        }
    }

    fn sync_duration(&self) {
        if let Some(el) = self.video.get_untracked() {
            let d = el.duration();
            // A WebM without a duration header reports Infinity: keep the server's.
            if d.is_finite() && d > 0.0 {
                self.duration.set(d);
            }
        }
    }
}

/// The words for a `MediaError` code (1 aborted, 2 network, 3 decode, 4 unsupported).
fn media_error_message(code: Option<f64>) -> &'static str {
    match code.map(|c| c as u16) {
        Some(1) => "Loading the recording was interrupted.",
        Some(2) => "The recording could not be loaded: the connection failed.",
        Some(3) => {
            "The recording could not be played from this point (the video could not be decoded)."
        }
        Some(4) => "The recording could not be loaded, or this browser cannot play it.",
        _ => "The recording could not be played.",
    }
}

/// Shortcuts are for the page, except where keys already mean something: typing in a
/// field, Space on a focused button or link, or anything inside a dialog.
fn should_ignore(ev: &web_sys::KeyboardEvent) -> bool {
    if ev.default_prevented() || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
        return true;
    }
    let Some(target) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    let tag = target.tag_name().to_ascii_lowercase();
    if matches!(tag.as_str(), "input" | "textarea" | "select") {
        return true;
    }
    if target
        .closest("[contenteditable=''], [contenteditable='true'], [role='dialog']")
        .ok()
        .flatten()
        .is_some()
    {
        return true;
    }
    ev.key() == " " && matches!(tag.as_str(), "button" | "a" | "summary")
}

#[component]
pub fn Player(player: PlayerState, src: String) -> impl IntoView {
    let handle = window_event_listener(ev::keydown, move |ev| {
        if should_ignore(&ev) {
            return;
        }
        if let Some(shortcut) = shortcut_for(&ev.key()) {
            ev.prevent_default();
            player.apply(shortcut);
        }
    });
    on_cleanup(move || handle.remove());

    let on_time = move |_| {
        if let Some(el) = player.video.get_untracked() {
            player.current.set(el.current_time());
        }
    };
    view! {
        <div class="player" role="region" aria-label="Player">
            <video
                node_ref=player.video
                aria-label="Recording"
                src=src
                preload="metadata"
                playsinline=true
                on:click=move |_| player.toggle()
                on:timeupdate=on_time
                on:seeked=on_time
                on:loadedmetadata=move |_| player.loaded()
                on:error=move |_| player.fail()
                on:durationchange=move |_| player.sync_duration()
                on:play=move |_| player.playing.set(true)
                on:pause=move |_| player.playing.set(false)
                on:ended=move |_| player.playing.set(false)
                on:ratechange=move |_| {
                    if let Some(el) = player.video.get_untracked() {
                        player.speed.set(el.playback_rate());
                    }
                }
            ></video>
            {move || player.failed.get().map(|message| view! {
                <div class="player-error alert" role="alert">
                    <p>{message}</p>
                    <button type="button" class="button small" on:click=move |_| player.reload()>
                        "Reload"
                    </button>
                </div>
            })}
            <PlayerControls player />
            <p class="muted small player-help">{HELP}</p>
        </div>
    }
}

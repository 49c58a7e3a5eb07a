//! Whether the tab is being looked at, and the presence that follows from it: `away`
//! when the tab is hidden or idle for five minutes, `online` when active again.

use std::time::Duration;

use leptos::ev;
use leptos::prelude::*;
use tandem_protocol::chat::Presence;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::contexts::chat::ChatContext;

const IDLE_MS: f64 = 5.0 * 60.0 * 1000.0;

pub fn document_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .map(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
        .unwrap_or(true)
}

/// Starts tracking for the lifetime of the signed-in shell.
pub fn track_activity(chat: ChatContext) {
    let last_active = StoredValue::new(js_sys::Date::now());
    let sent = StoredValue::new(None::<Presence>);

    let update = move || {
        let visible = document_visible();
        if chat.tab_visible.get_untracked() != visible {
            chat.tab_visible.set(visible);
        }
        let idle = js_sys::Date::now() - last_active.get_value() > IDLE_MS;
        let presence = if visible && !idle {
            Presence::Online
        } else {
            Presence::Away
        };
        if sent.get_value() != Some(presence) {
            sent.set_value(Some(presence));
            chat.rt.set_presence(presence);
        }
    };
    update();

    let touch = move || {
        last_active.set_value(js_sys::Date::now());
        if sent.get_value() != Some(Presence::Online) {
            update();
        }
    };
    let handles = [
        window_event_listener(ev::pointerdown, move |_| touch()),
        window_event_listener(ev::keydown, move |_| touch()),
        window_event_listener(ev::mousemove, move |_| touch()),
        window_event_listener(ev::focus, move |_| update()),
    ];

    let on_visibility = Closure::<dyn FnMut()>::new(update);
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        let _ = doc.add_event_listener_with_callback(
            "visibilitychange",
            on_visibility.as_ref().unchecked_ref(),
        );
    }
    let on_visibility = StoredValue::new_local(Some(on_visibility));

    let interval = set_interval_with_handle(update, Duration::from_secs(30)).ok();
    on_cleanup(move || {
        for h in handles {
            h.remove();
        }
        if let Some(i) = interval {
            i.clear();
        }
        if let Some(Some(closure)) = on_visibility.try_update_value(|c| c.take()) {
            if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
                let _ = doc.remove_event_listener_with_callback(
                    "visibilitychange",
                    closure.as_ref().unchecked_ref(),
                );
            }
        }
    });
}

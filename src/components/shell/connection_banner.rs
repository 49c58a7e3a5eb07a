//! Tells the user when live updates are paused, and when the next attempt is.
//! Renders nothing while the connection is open.

use std::time::Duration;

use leptos::prelude::*;

use crate::contexts::realtime::use_realtime;
use crate::realtime::ConnectionState;

#[component]
pub fn ConnectionBanner() -> impl IntoView {
    let rt = use_realtime();
    // A one-second clock for the countdown, running only while this shell exists.
    let now = RwSignal::new(js_sys::Date::now());
    if let Ok(handle) =
        set_interval_with_handle(move || now.set(js_sys::Date::now()), Duration::from_secs(1))
    {
        on_cleanup(move || handle.clear());
    }

    move || {
        let state = rt.connection.get();
        let reconnecting = rt.was_open.get();
        let retry_label = if state == ConnectionState::Displaced {
            "Reconnect"
        } else {
            "Retry now"
        };
        let (headline, detail, can_retry) = match state {
            ConnectionState::Open | ConnectionState::Stopped | ConnectionState::SessionEnded => {
                return None;
            }
            ConnectionState::Idle | ConnectionState::Connecting { attempt: 0 } if !reconnecting => {
                ("Connecting…", String::new(), false)
            }
            ConnectionState::Idle | ConnectionState::Syncing => (
                "Reconnecting…",
                "Catching up on what you missed.".to_string(),
                false,
            ),
            ConnectionState::Connecting { attempt } => {
                ("Reconnecting…", format!("Attempt {}.", attempt + 1), false)
            }
            ConnectionState::Waiting {
                attempt,
                retry_at_ms,
            } => {
                let secs = ((retry_at_ms - now.get()) / 1000.0).ceil().max(0.0) as u64;
                (
                    "Reconnecting…",
                    format!("Attempt {attempt} failed. Retrying in {secs} s."),
                    true,
                )
            }
            ConnectionState::Resyncing => (
                "Reconnecting…",
                "Refreshing the workspace.".to_string(),
                false,
            ),
            // Not retried by itself: that would disconnect another tab in turn.
            ConnectionState::Displaced => (
                "Disconnected.",
                "Tandem is open in too many tabs or windows, so this one stopped. \
                 Close some, or reconnect here."
                    .to_string(),
                true,
            ),
        };
        Some(view! {
            <div class="connection-banner">
                <p role="status">
                    <strong>{headline}</strong>
                    " "
                    <span class="detail">{detail}</span>
                </p>
                {can_retry.then(|| view! {
                    <button type="button" class="button ghost small"
                        on:click=move |_| rt.retry_now()>
                        {retry_label}
                    </button>
                })}
            </div>
        })
    }
}

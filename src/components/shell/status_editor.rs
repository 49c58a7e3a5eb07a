//! Set your status. Goes through the realtime outbox, so it survives going offline
//! and reloads; the sidebar shows "Sending…" until the server acknowledges it.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use tandem_protocol::api::{validate_status_text, MAX_STATUS_CHARS};

use crate::contexts::realtime::use_realtime;

#[component]
pub fn StatusEditor() -> impl IntoView {
    let rt = use_realtime();
    let text = RwSignal::new(String::new());
    let invalid = RwSignal::new(None::<String>);
    let error = move || invalid.get().or_else(|| rt.command_error.get());

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let value = text.get_untracked().trim().to_string();
        if let Err(e) = validate_status_text(&value) {
            invalid.set(Some(e.message));
            return;
        }
        invalid.set(None);
        rt.set_status(value);
        text.set(String::new());
    };

    view! {
        <form class="status-editor" on:submit=on_submit>
            <label for="status">"Status"</label>
            <div class="inline-form">
                <input
                    id="status"
                    name="status"
                    type="text"
                    maxlength=MAX_STATUS_CHARS
                    placeholder="What are you working on?"
                    autocomplete="off"
                    aria-invalid=move || error().is_some().to_string()
                    aria-describedby=move || error().map(|_| "status-error")
                    bind:value=text
                />
                <button type="submit" class="button primary">"Set status"</button>
            </div>
            {move || error().map(|m| view! {
                <p id="status-error" class="field-error" role="alert">{m}</p>
            })}
        </form>
    }
}

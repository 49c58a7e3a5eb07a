//! The Critical ring: when someone needs my response within minutes, an in-app
//! `alertdialog` ("Critical message") with a short tone, whatever page I am on and
//! whether or not I am in focus (the desktop notification goes out from the context).

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::context::use_urgency;
use super::links::message_href;
use super::ring_rules::ring_text;
use super::tone::play_alert;

#[component]
pub fn CriticalRing() -> impl IntoView {
    let ctx = use_urgency();
    let navigate = use_navigate();
    // Rebuilt only when the item on top changes, not on every queue change.
    let current = Memo::new(move |_| ctx.ringing.with(|r| r.first().cloned()));
    move || {
        current.get().map(|item| {
            let id = item.id;
            let (author_id, due_at) = (item.author_id, item.due_at);
            let text = move || ring_text(&ctx.name_of_tracked(author_id), due_at, ctx.now());
            let href = message_href(item.channel_id, item.message_id, item.thread_root_id);
            let navigate = navigate.clone();
            let open = move |_| {
                ctx.dismiss_ring(id);
                navigate(&href, Default::default());
            };
            let text_id = format!("critical-ring-{}", id.simple());
            let described_by = text_id.clone();
            view! {
                <div class="critical-ring" role="alertdialog" aria-label="Critical message"
                    aria-describedby=described_by>
                    <Tone />
                    <div id=text_id>
                        <p class="critical-ring-title"><strong>{text}</strong></p>
                        <p class="critical-ring-excerpt">{item.excerpt.clone()}</p>
                    </div>
                    <div class="critical-ring-buttons">
                        <button type="button" class="button primary" on:click=open>"Open"</button>
                        <button type="button" class="button secondary"
                            on:click=move |_| ctx.dismiss_ring(id)>"Dismiss"</button>
                    </div>
                </div>
            }
        })
    }
}

/// Beeps once when mounted; the audio context closes with the dialog.
#[component]
fn Tone() -> impl IntoView {
    let audio = StoredValue::new_local(play_alert().ok());
    on_cleanup(move || {
        if let Some(Some(audio)) = audio.try_get_value() {
            let _ = audio.close();
        }
    });
}

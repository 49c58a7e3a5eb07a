//! `/inbox`: what I owe ("Awaiting my response"), what I asked ("Awaiting others") and
//! my action items, each soonest deadline first, with countdowns on the server's clock.
//! Live: items change, appear and (answered, done) disappear as events arrive.

use leptos::prelude::*;
use tandem_protocol::urgency::{ActionItem, ResponseItem};

use crate::app::Loading;
use crate::components::inbox::action_item::ActionItemRow;
use crate::components::inbox::response_item::ResponseItemRow;
use crate::components::inbox::section::InboxSection;
use crate::components::urgency::use_urgency;

/// Countdowns tick this often.
const TICK_MS: u64 = 15_000;
/// Reloaded this often while open, which also re-reads the server's clock.
const RELOAD_MS: u64 = 60_000;

#[component]
pub fn InboxPage() -> impl IntoView {
    let ctx = use_urgency();
    // Fresh on every visit: the clock may have moved (and events only tell changes).
    ctx.reload();
    let tick = RwSignal::new(0u64);
    let every = |ms: u64, run: Box<dyn Fn()>| {
        if let Ok(handle) = set_interval_with_handle(run, std::time::Duration::from_millis(ms)) {
            on_cleanup(move || handle.clear());
        }
    };
    every(TICK_MS, Box::new(move || tick.update(|t| *t += 1)));
    every(RELOAD_MS, Box::new(move || ctx.reload()));
    // The server's now: follows the ticks and every reload's clock reading.
    let now = Signal::derive(move || {
        tick.track();
        ctx.now()
    });
    let loaded = Memo::new(move |_| ctx.inbox.with(Option::is_some));
    let list = move |pick: fn(&tandem_protocol::urgency::Inbox) -> Vec<ResponseItem>| {
        move || ctx.inbox.with(|i| i.as_ref().map(pick).unwrap_or_default())
    };
    let awaiting_me = list(|i| i.awaiting_me.clone());
    let awaiting_others = list(|i| i.awaiting_others.clone());
    let actions = move || {
        ctx.inbox.with(|i| {
            i.as_ref()
                .map(|i| i.action_items.clone())
                .unwrap_or_default()
        })
    };
    let empty = move |f: fn(&tandem_protocol::urgency::Inbox) -> bool| {
        Signal::derive(move || ctx.inbox.with(|i| i.as_ref().is_none_or(f)))
    };
    // Keyed on what an item shows, so a change re-renders just that row.
    let item_key =
        |i: &ResponseItem| (i.id, i.due_at, i.escalation_offered, i.escalated_meeting_id);
    let action_key = |a: &ActionItem| (a.id, a.due_at, a.text.clone());

    view! {
        <section class="inbox-page" aria-labelledby="inbox-title">
            <h1 id="inbox-title">"Inbox"</h1>
            {move || ctx.inbox_error.get().map(|m| view! { <p class="alert" role="alert">{m}</p> })}
            <Show when=move || loaded.get()
                fallback=|| view! { <Loading label="Loading your inbox…" /> }>
                <InboxSection heading="Awaiting my response" id="inbox-mine"
                    empty=empty(|i| i.awaiting_me.is_empty())
                    empty_text="Nobody is waiting for you.">
                    <For each=awaiting_me key=item_key let:item>
                        <ResponseItemRow item asked=false now />
                    </For>
                </InboxSection>
                <InboxSection heading="Awaiting others" id="inbox-others"
                    empty=empty(|i| i.awaiting_others.is_empty())
                    empty_text="You are not waiting for anyone.">
                    <For each=awaiting_others key=item_key let:item>
                        <ResponseItemRow item asked=true now />
                    </For>
                </InboxSection>
                <InboxSection heading="Action items" id="inbox-actions"
                    empty=empty(|i| i.action_items.is_empty()) empty_text="No open action items.">
                    <For each=actions key=action_key let:item>
                        <ActionItemRow item now />
                    </For>
                </InboxSection>
            </Show>
        </section>
    }
}

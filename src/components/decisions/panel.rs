//! The channel's decision log beside the messages (like the pinned messages panel).

use leptos::prelude::*;
use tandem_protocol::chat::ChannelId;

use super::item::DecisionItem;
use super::store::use_decisions;
use crate::contexts::chat::use_chat;

#[component]
pub fn DecisionsPanel(channel_id: ChannelId) -> impl IntoView {
    let chat = use_chat();
    let store = use_decisions();
    let list = Memo::new(move |_| store.map(|s| s.for_channel(channel_id)).unwrap_or_default());
    // Memos, so the list below is not rebuilt on every change (only <For> updates).
    let loaded = Memo::new(move |_| store.is_some_and(|s| s.is_loaded(channel_id)));
    let empty = Memo::new(move |_| list.with(Vec::is_empty));
    view! {
        <aside class="side-panel decisions-panel" role="complementary" aria-label="Decisions">
            <div class="panel-header">
                <h2>"Decisions"</h2>
                <button type="button" class="button ghost small"
                    on:click=move |_| chat.close_panel()>"Close decisions"</button>
            </div>
            {move || store.and_then(|s| s.error()).map(|m| view! {
                <p class="alert" role="alert">{m}</p>
            })}
            {move || if !loaded.get() && empty.get() {
                view! { <p class="muted">"Loading decisions…"</p> }.into_any()
            } else if empty.get() {
                view! {
                    <p class="muted">
                        "No proposals here yet. Use “Make a proposal” on a message."
                    </p>
                }.into_any()
            } else {
                view! {
                    <ul class="decision-list">
                        <For each=move || list.get()
                            key=|p| (
                                p.id,
                                p.state as u8,
                                p.votes.len(),
                                p.decision.clone(),
                                p.votes.iter().map(|v| v.at).max(),
                            )
                            let:p>
                            <DecisionItem proposal=p />
                        </For>
                    </ul>
                }.into_any()
            }}
        </aside>
    }
}

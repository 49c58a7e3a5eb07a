//! "New message": pick one to seven people and open (or find) the DM with them.

use std::collections::HashSet;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use tandem_protocol::chat::{OpenDirectRequest, MAX_DIRECT_MEMBERS};
use tandem_protocol::UserId;

use crate::components::dialog::Dialog;
use crate::contexts::chat::names::distinct_name;
use crate::contexts::chat::use_chat;

#[component]
pub fn NewMessage(on_close: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let navigate = use_navigate();
    let picked = RwSignal::new(HashSet::<UserId>::new());
    let filter = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let max = MAX_DIRECT_MEMBERS - 1;
    let people = move || {
        let f = filter.get().to_lowercase();
        let everyone = chat.rt.people.get();
        // Each with the name that tells namesakes apart.
        let mut list: Vec<_> = everyone
            .iter()
            .filter(|u| u.id != chat.me && u.display_name.to_lowercase().contains(&f))
            .map(|u| (u.clone(), distinct_name(&everyone, u)))
            .collect();
        list.sort_by_key(|(u, _)| u.display_name.to_lowercase());
        list
    };
    let open = Action::new_local(move |ids: &Vec<UserId>| {
        let (api, ids, navigate) = (chat.api(), ids.clone(), navigate.clone());
        async move {
            match api.open_direct(&OpenDirectRequest { user_ids: ids }).await {
                Ok(channel) => {
                    let id = channel.id;
                    chat.add_channel(channel);
                    on_close.run(());
                    navigate(&format!("/c/{id}"), NavigateOptions::default());
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    let count = move || picked.with(|p| p.len());
    view! {
        <Dialog title="New message" on_close=on_close>
            <div class="field">
                <label for="dm-filter">"Find people"</label>
                <input id="dm-filter" type="text" autocomplete="off" bind:value=filter />
            </div>
            <p class="muted small" aria-live="polite">
                {move || format!("{} of up to {max} people selected", count())}
            </p>
            <ul class="pick-list">
                {move || people().into_iter().map(|(u, shown)| {
                    let id = u.id;
                    let checked = move || picked.with(|p| p.contains(&id));
                    let disabled = move || !checked() && count() >= max;
                    view! {
                        <li>
                            <label class="checkbox">
                                <input type="checkbox"
                                    prop:checked=checked
                                    disabled=disabled
                                    on:change=move |_| picked.update(|p| {
                                        if !p.remove(&id) {
                                            p.insert(id);
                                        }
                                    }) />
                                <span>{shown}</span>
                            </label>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || error.get().map(|m| view! { <p class="alert" role="alert">{m}</p> })}
            <div class="dialog-actions">
                <button type="button" class="button secondary" on:click=move |_| on_close.run(())>
                    "Cancel"
                </button>
                <button type="button" class="button primary"
                    disabled=move || count() == 0 || open.pending().get()
                    on:click=move |_| {
                        open.dispatch(picked.get_untracked().into_iter().collect());
                    }>
                    "Open"
                </button>
            </div>
        </Dialog>
    }
}

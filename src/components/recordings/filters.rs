//! The library's filters: channel, participant, and free text (title or chat).

use leptos::prelude::*;

use crate::contexts::chat::names::title;
use crate::contexts::chat::use_chat;

/// Each signal holds the select's value ("" = no filter) or the search text.
#[component]
pub fn RecordingFilters(
    channel: RwSignal<String>,
    participant: RwSignal<String>,
    search: RwSignal<String>,
) -> impl IntoView {
    let chat = use_chat();
    let channels = move || {
        let people = chat.rt.people.get();
        chat.channels
            .get()
            .into_iter()
            .map(|c| {
                (
                    c.channel.id.to_string(),
                    title(&c.channel, &people, chat.me),
                )
            })
            .collect::<Vec<_>>()
    };
    let people = move || {
        let mut list = chat.rt.people.get();
        list.sort_by_key(|u| u.display_name.to_lowercase());
        list
    };
    view! {
        <form class="recording-filters" role="search" on:submit=|ev| ev.prevent_default()>
            <label>
                <span>"Channel"</span>
                <select prop:value=move || channel.get()
                    on:change=move |ev| channel.set(event_target_value(&ev))>
                    <option value="">"All"</option>
                    {move || channels().into_iter().map(|(id, name)| {
                        let selected = channel.get_untracked() == id;
                        view! { <option value=id selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>
                <span>"Participant"</span>
                <select prop:value=move || participant.get()
                    on:change=move |ev| participant.set(event_target_value(&ev))>
                    <option value="">"Anyone"</option>
                    {move || people().into_iter().map(|u| {
                        let id = u.id.to_string();
                        let selected = participant.get_untracked() == id;
                        view! { <option value=id selected=selected>{u.display_name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="grow">
                <span>"Search recordings"</span>
                <input type="search" placeholder="Title or chat text"
                    prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev)) />
            </label>
        </form>
    }
}

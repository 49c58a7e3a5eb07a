//! Rename, re-topic, set the default urgency, archive (creator or admin) and leave a
//! channel.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use tandem_protocol::api::Role;
use tandem_protocol::chat::{
    Channel, UpdateChannelRequest, MAX_CHANNEL_NAME_CHARS, MAX_TOPIC_CHARS,
};

use crate::components::dialog::Dialog;
use crate::components::urgency::UrgencySelect;
use crate::contexts::chat::use_chat;

#[component]
pub fn ChannelSettings(channel: Channel, on_close: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let navigate = use_navigate();
    let id = channel.id;
    let can_archive = channel.created_by == chat.me || chat.api().user().role == Role::Admin;
    let name = RwSignal::new(channel.name.clone());
    let topic = RwSignal::new(channel.topic.clone());
    let archived = RwSignal::new(channel.archived);
    let default_urgency = RwSignal::new(channel.default_urgency);
    let error = RwSignal::new(None::<String>);
    let original = StoredValue::new(channel);

    let save = Action::new_local(move |req: &UpdateChannelRequest| {
        let (api, req) = (chat.api(), req.clone());
        async move {
            match api.update_channel(id, &req).await {
                Ok(updated) => {
                    chat.channels.update(|l| {
                        if let Some(c) = l.iter_mut().find(|c| c.channel.id == id) {
                            c.channel = updated;
                        }
                    });
                    on_close.run(());
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    let leave = Action::new_local(move |_: &()| {
        let (api, navigate) = (chat.api(), navigate.clone());
        async move {
            match api.leave_channel(id).await {
                Ok(()) => {
                    chat.channels.update(|l| l.retain(|c| c.channel.id != id));
                    on_close.run(());
                    navigate("/", NavigateOptions::default());
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let o = original.get_value();
        let (n, t, a) = (
            name.get_untracked().trim().to_string(),
            topic.get_untracked().trim().to_string(),
            archived.get_untracked(),
        );
        let req = UpdateChannelRequest {
            name: (n != o.name).then_some(n),
            topic: (t != o.topic).then_some(t),
            archived: (can_archive && a != o.archived).then_some(a),
            default_urgency: (default_urgency.get_untracked() != o.default_urgency)
                .then(|| default_urgency.get_untracked()),
        };
        if req == UpdateChannelRequest::default() {
            on_close.run(());
            return;
        }
        error.set(None);
        save.dispatch(req);
    };
    view! {
        <Dialog title="Channel settings" on_close=on_close>
            <form on:submit=on_submit>
                <div class="field">
                    <label for="settings-name">"Channel name"</label>
                    <input id="settings-name" type="text" maxlength=MAX_CHANNEL_NAME_CHARS
                        bind:value=name />
                </div>
                <div class="field">
                    <label for="settings-topic">"Topic"</label>
                    <input id="settings-topic" type="text" maxlength=MAX_TOPIC_CHARS
                        bind:value=topic />
                </div>
                <div class="field">
                    <span class="field-label" aria-hidden="true">"Default urgency"</span>
                    <UrgencySelect label="Default urgency" value=default_urgency
                        on_change=Callback::new(move |u| default_urgency.set(u)) />
                </div>
                {can_archive.then(|| view! {
                    <label class="checkbox">
                        <input type="checkbox" bind:checked=archived />
                        <span>"Archived (read-only, hidden from the sidebar)"</span>
                    </label>
                })}
                {move || error.get().map(|m| view! { <p class="alert" role="alert">{m}</p> })}
                <div class="dialog-actions">
                    <button type="button" class="button danger"
                        disabled=move || leave.pending().get()
                        on:click=move |_| { leave.dispatch(()); }>"Leave channel"</button>
                    <span class="composer-spacer"></span>
                    <button type="submit" class="button primary"
                        disabled=move || save.pending().get()>"Save"</button>
                </div>
            </form>
        </Dialog>
    }
}

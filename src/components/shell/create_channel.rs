//! "Create a channel": name (suggested from what is typed), topic, private or not.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use tandem_protocol::chat::{
    suggest_channel_name, ChannelKind, CreateChannelRequest, MAX_CHANNEL_NAME_CHARS,
    MAX_TOPIC_CHARS,
};

use crate::components::dialog::Dialog;
use crate::contexts::chat::use_chat;

#[component]
pub fn CreateChannel(on_close: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let navigate = use_navigate();
    let name = RwSignal::new(String::new());
    let topic = RwSignal::new(String::new());
    let private = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);

    let create = Action::new_local(move |req: &CreateChannelRequest| {
        let (api, req, navigate) = (chat.api(), req.clone(), navigate.clone());
        async move {
            match api.create_channel(&req).await {
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
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let req = CreateChannelRequest {
            name: suggest_channel_name(&name.get_untracked()),
            kind: if private.get_untracked() {
                ChannelKind::Private
            } else {
                ChannelKind::Public
            },
            topic: topic.get_untracked().trim().to_string(),
            member_ids: vec![],
        };
        if let Err(e) = tandem_protocol::chat::validate_channel_name(&req.name)
            .and_then(|_| tandem_protocol::chat::validate_topic(&req.topic))
        {
            error.set(Some(e.message));
            return;
        }
        error.set(None);
        create.dispatch(req);
    };
    let suggestion = move || {
        let typed = name.get();
        let s = suggest_channel_name(&typed);
        (!typed.is_empty() && s != typed).then(|| format!("Will be created as #{s}"))
    };

    view! {
        <Dialog title="Create a channel" on_close=on_close>
            <form on:submit=on_submit>
                <div class="field">
                    <label for="new-channel-name">"Name"</label>
                    <input id="new-channel-name" type="text" autocomplete="off"
                        maxlength=MAX_CHANNEL_NAME_CHARS placeholder="e.g. team-updates"
                        aria-describedby="new-channel-hint"
                        bind:value=name />
                    <p id="new-channel-hint" class="hint" aria-live="polite">
                        {move || suggestion().unwrap_or_else(|| {
                            "Lowercase letters, numbers, hyphens and underscores.".into()
                        })}
                    </p>
                </div>
                <div class="field">
                    <label for="new-channel-topic">"Topic"</label>
                    <input id="new-channel-topic" type="text" maxlength=MAX_TOPIC_CHARS
                        bind:value=topic />
                </div>
                <label class="checkbox">
                    <input type="checkbox" bind:checked=private />
                    <span>"Private channel"</span>
                </label>
                {move || error.get().map(|m| view! { <p class="alert" role="alert">{m}</p> })}
                <div class="dialog-actions">
                    <button type="button" class="button secondary"
                        on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button type="submit" class="button primary"
                        disabled=move || create.pending().get()>"Create"</button>
                </div>
            </form>
        </Dialog>
    }
}

//! "Browse channels": every public channel, with a "Join" button for those I am not in.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use tandem_protocol::chat::Channel;

use crate::components::dialog::Dialog;
use crate::contexts::chat::use_chat;

#[component]
pub fn BrowseChannels(on_close: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let navigate = use_navigate();
    let list = LocalResource::new(move || {
        let api = chat.api();
        async move { api.browse_channels().await }
    });
    let error = RwSignal::new(None::<String>);
    let join = Action::new_local(move |channel: &Channel| {
        let (api, channel, navigate) = (chat.api(), channel.clone(), navigate.clone());
        async move {
            let id = channel.id;
            match api.join_channel(id).await {
                Ok(()) => {
                    chat.add_channel(channel);
                    on_close.run(());
                    navigate(&format!("/c/{id}"), NavigateOptions::default());
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    view! {
        <Dialog title="Browse channels" on_close=on_close>
            {move || error.get().map(|m| view! { <p class="alert" role="alert">{m}</p> })}
            <Suspense fallback=|| view! { <p class="muted">"Loading channels…"</p> }>
                {move || list.get().map(|result| match result {
                    Err(e) => view! { <p class="alert" role="alert">{e.message()}</p> }.into_any(),
                    Ok(channels) if channels.is_empty() => view! {
                        <p class="muted">"There are no public channels yet."</p>
                    }.into_any(),
                    Ok(channels) => view! {
                        <ul class="browse-list">
                            {channels.into_iter().map(|c| {
                                let id = c.id;
                                let channel = StoredValue::new(c.clone());
                                let member = chat.my_channel(id).is_some();
                                let count = c.member_count;
                                view! {
                                    <li class="browse-item">
                                        <div class="browse-text">
                                            <span class="browse-name">"#"{c.name.clone()}</span>
                                            {(!c.topic.is_empty()).then(|| view! {
                                                <span class="muted small">{c.topic.clone()}</span>
                                            })}
                                            <span class="muted small">
                                                {format!(
                                                    "{count} {}",
                                                    if count == 1 { "member" } else { "members" }
                                                )}
                                            </span>
                                        </div>
                                        {if member {
                                            view! {
                                                <span class="muted small">"Joined"</span>
                                            }.into_any()
                                        } else {
                                            view! {
                                                <button type="button" class="button primary small"
                                                    disabled=move || join.pending().get()
                                                    on:click=move |_| {
                                                        join.dispatch(channel.get_value());
                                                    }>
                                                    "Join"
                                                </button>
                                            }.into_any()
                                        }}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
        </Dialog>
    }
}

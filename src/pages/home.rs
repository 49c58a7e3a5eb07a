//! `/`: opens the first channel, or says there are none yet.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use tandem_protocol::api::Role;
use tandem_protocol::chat::ChannelKind;

use crate::components::shell::empty_state::EmptyState;
use crate::contexts::chat::use_chat;

#[component]
pub fn HomePage() -> impl IntoView {
    let chat = use_chat();
    let navigate = use_navigate();
    let is_admin = chat.api().user().role == Role::Admin;
    let first = Memo::new(move |_| {
        chat.channels.with(|l| {
            l.iter()
                .find(|c| c.channel.kind != ChannelKind::Direct && !c.channel.archived)
                .or_else(|| l.first())
                .map(|c| c.channel.id)
        })
    });
    Effect::new(move |_| {
        if let Some(id) = first.get() {
            navigate(
                &format!("/c/{id}"),
                NavigateOptions {
                    replace: true,
                    ..NavigateOptions::default()
                },
            );
        }
    });
    move || {
        if !chat.channels_loaded.get() {
            view! { <crate::app::Loading label="Loading channels…" /> }.into_any()
        } else if first.get().is_none() {
            view! {
                {move || chat.channels_error.get().map(|m| view! {
                    <p class="alert" role="alert">{m}</p>
                })}
                <EmptyState is_admin />
            }
            .into_any()
        } else {
            ().into_any()
        }
    }
}

//! The sidebar's "Channels" and "Direct messages" sections. Each link's accessible
//! name is the channel's name plus its counts ("general, 3 unread, 1 mention"); the
//! visible badge repeats the number for sighted users.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;
use tandem_protocol::chat::{ChannelKind, MyChannel};

use crate::base_path::app_href;
use crate::components::shell::browse_channels::BrowseChannels;
use crate::components::shell::create_channel::CreateChannel;
use crate::components::shell::new_message::NewMessage;
use crate::contexts::chat::names::{plain_name, unread_label};
use crate::contexts::chat::use_chat;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialog {
    None,
    Create,
    Browse,
    NewMessage,
}

#[component]
pub fn ChannelSections() -> impl IntoView {
    let chat = use_chat();
    let dialog = RwSignal::new(Dialog::None);
    let close = Callback::new(move |_| dialog.set(Dialog::None));
    let channels = Memo::new(move |_| {
        chat.channels.with(|l| {
            l.iter()
                .filter(|c| c.channel.kind != ChannelKind::Direct && !c.channel.archived)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let dms = Memo::new(move |_| {
        chat.channels.with(|l| {
            l.iter()
                .filter(|c| c.channel.kind == ChannelKind::Direct)
                .cloned()
                .collect::<Vec<_>>()
        })
    });

    view! {
        <section class="sidebar-section" aria-labelledby="channels-heading">
            <div class="section-head">
                <h2 id="channels-heading">"Channels"</h2>
            </div>
            <ChannelLinks items=channels empty="None yet" />
            <div class="section-actions">
                <button type="button" class="button ghost small"
                    on:click=move |_| dialog.set(Dialog::Create)>
                    "Create channel"
                </button>
                <button type="button" class="button ghost small"
                    on:click=move |_| dialog.set(Dialog::Browse)>
                    "Browse channels"
                </button>
            </div>
        </section>
        <section class="sidebar-section" aria-labelledby="dms-heading">
            <div class="section-head">
                <h2 id="dms-heading">"Direct messages"</h2>
            </div>
            <ChannelLinks items=dms empty="No conversations yet" />
            <div class="section-actions">
                <button type="button" class="button ghost small"
                    on:click=move |_| dialog.set(Dialog::NewMessage)>
                    "New message"
                </button>
            </div>
        </section>
        {move || match dialog.get() {
            Dialog::None => None,
            Dialog::Create => Some(view! { <CreateChannel on_close=close /> }.into_any()),
            Dialog::Browse => Some(view! { <BrowseChannels on_close=close /> }.into_any()),
            Dialog::NewMessage => Some(view! { <NewMessage on_close=close /> }.into_any()),
        }}
    }
}

#[component]
fn ChannelLinks(items: Memo<Vec<MyChannel>>, empty: &'static str) -> impl IntoView {
    let chat = use_chat();
    let location = use_location();
    view! {
        <Show when=move || items.with(|l| !l.is_empty())
            fallback=move || view! { <p class="muted small">{empty}</p> }>
            <ul class="channel-links">
                <For
                    each=move || items.get()
                    key=|c| (
                        c.channel.id,
                        c.channel.name.clone(),
                        c.unread_count,
                        c.mention_count,
                        c.channel.member_ids.len(),
                    )
                    let:item
                >
                    {
                        let id = item.channel.id;
                        let is_dm = item.channel.kind == ChannelKind::Direct;
                        let unread = item.unread_count;
                        let mentions = item.mention_count;
                        let channel = StoredValue::new(item.channel.clone());
                        let name = move || {
                            chat.rt
                                .people
                                .with(|p| channel.with_value(|c| plain_name(c, p, chat.me)))
                        };
                        let label = move || unread_label(&name(), unread, mentions);
                        let href = format!("/c/{id}");
                        let current =
                            move || location.pathname.get().ends_with(&format!("/c/{id}"));
                        view! {
                            <li>
                                <A href=app_href(&href) attr:class=move || {
                                        format!(
                                            "channel-link{}{}",
                                            if unread > 0 { " unread" } else { "" },
                                            if current() { " current" } else { "" }
                                        )
                                    }
                                    attr:aria-label=label
                                    attr:aria-current=move || current().then_some("page")>
                                    <span class="channel-sigil" aria-hidden="true">
                                        {if is_dm { "@" } else { "#" }}
                                    </span>
                                    <span class="channel-name">{name}</span>
                                    {(unread > 0 || mentions > 0).then(|| view! {
                                        <span class="badge" class:mention={mentions > 0}
                                            aria-hidden="true">
                                            {if mentions > 0 { mentions } else { unread }}
                                        </span>
                                    })}
                                </A>
                            </li>
                        }
                    }
                </For>
            </ul>
        </Show>
    }
}

//! `/c/:channel_id[?m=<message id>]`: one channel or DM, with its side panels.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use tandem_protocol::chat::{ChannelId, ChannelKind, MessageId};

use crate::components::boards::panel::BoardsPanel;
use crate::components::chat::channel_header::ChannelHeader;
use crate::components::chat::composer::Composer;
use crate::components::chat::members_panel::MembersPanel;
use crate::components::chat::message_list::MessageList;
use crate::components::chat::pins_panel::PinsPanel;
use crate::components::chat::thread_panel::ThreadPanel;
use crate::components::chat::typing_indicator::TypingIndicator;
use crate::contexts::chat::names::title;
use crate::contexts::chat::{use_chat, Panel};

#[component]
pub fn ChannelPage() -> impl IntoView {
    let chat = use_chat();
    let params = use_params_map();
    let query = use_query_map();
    let channel_id = Memo::new(move |_| {
        params.with(|p| {
            p.get("channel_id")
                .and_then(|id| id.parse::<ChannelId>().ok())
        })
    });
    let around =
        Memo::new(move |_| query.with(|q| q.get("m").and_then(|m| m.parse::<MessageId>().ok())));

    // Open (or re-open around another message) whenever the route changes.
    Effect::new(move |_| {
        if let Some(id) = channel_id.get() {
            let around = around.get();
            untrack(|| chat.open_channel(id, around));
        }
    });
    on_cleanup(move || {
        if !chat.active.is_disposed() {
            chat.active.set(None);
        }
    });

    // Memos, so the view below is rebuilt only when the channel or whether it is known
    // changes — not on every unread-count update of the channel list, which would
    // remount the message list and composer (losing the draft and scroll position).
    let known = Memo::new(move |_| {
        channel_id
            .get()
            .is_some_and(|id| chat.channels.with(|l| l.iter().any(|c| c.channel.id == id)))
    });
    move || {
        let Some(id) = channel_id.get() else {
            return view! { <NotFoundChannel /> }.into_any();
        };
        if !known.get() {
            return if chat.channels_loaded.get() {
                view! { <NotFoundChannel /> }.into_any()
            } else {
                view! { <crate::app::Loading label="Loading channel…" /> }.into_any()
            };
        }
        view! { <ChannelView id /> }.into_any()
    }
}

#[component]
fn NotFoundChannel() -> impl IntoView {
    view! {
        <section class="empty-state">
            <h1>"Channel not found"</h1>
            <p>
                "It may be private, archived, or you may have left it. \
                 Use “Browse channels” to find public channels."
            </p>
        </section>
    }
}

#[component]
fn ChannelView(id: ChannelId) -> impl IntoView {
    let chat = use_chat();
    let channel = Memo::new(move |_| chat.my_channel(id));
    let is_dm = move || {
        channel.with(|c| {
            c.as_ref()
                .is_some_and(|c| c.channel.kind == ChannelKind::Direct)
        })
    };
    // A memo: `channel` changes with every unread count, the title only on a rename.
    let heading = Memo::new(move |_| {
        channel.with(|c| {
            c.as_ref()
                .map(|c| chat.rt.people.with(|p| title(&c.channel, p, chat.me)))
                .unwrap_or_default()
        })
    });
    let log_label = Signal::derive(move || {
        if is_dm() {
            format!("Messages with {}", heading.get())
        } else {
            format!("Messages in {}", heading.get())
        }
    });
    let composer_label = move || format!("Message {}", heading.get());
    let archived =
        Signal::derive(move || channel.with(|c| c.as_ref().is_some_and(|c| c.channel.archived)));

    view! {
        <div class="channel-view" class:with-panel=move || chat.panel.get() != Panel::None
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Escape" && chat.panel.get_untracked() != Panel::None {
                    chat.close_panel();
                }
            }>
            <section class="channel-main" aria-label=move || heading.get()>
                <ChannelHeader channel />
                <MessageList channel_id=id label=log_label />
                <TypingIndicator channel_id=id thread_root_id=None />
                {move || {
                    let label = composer_label();
                    view! { <Composer channel_id=id label=label disabled=archived /> }
                }}
            </section>
            {move || match chat.panel.get() {
                Panel::None => None,
                Panel::Thread(root) => Some(view! {
                    <ThreadPanel channel_id=id root_id=root channel_title=heading.get_untracked() />
                }.into_any()),
                Panel::Pins => Some(view! { <PinsPanel channel_id=id /> }.into_any()),
                Panel::Members => Some(view! { <MembersPanel channel_id=id /> }.into_any()),
                Panel::Boards => Some(view! { <BoardsPanel channel_id=id /> }.into_any()),
                Panel::Decisions => Some(view! {
                    <crate::components::decisions::panel::DecisionsPanel channel_id=id />
                }.into_any()),
            }}
        </div>
    }
}

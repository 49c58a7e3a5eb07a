//! The channel's title, topic and member count, with its panel and settings buttons.

use leptos::prelude::*;
use tandem_protocol::chat::{ChannelKind, MyChannel};

use crate::components::chat::channel_settings::ChannelSettings;
use crate::components::meeting::card::MeetingButtons;
use crate::components::meeting_planner::dialog::PlanMeetingDialog;
use crate::contexts::chat::names::title;
use crate::contexts::chat::{use_chat, Panel};

#[component]
pub fn ChannelHeader(channel: Memo<Option<MyChannel>>) -> impl IntoView {
    let chat = use_chat();
    let settings = RwSignal::new(false);
    let planning = RwSignal::new(false);
    let channel_id = Memo::new(move |_| channel.with(|c| c.as_ref().map(|c| c.channel.id)));
    let heading = move || {
        channel.with(|c| {
            c.as_ref()
                .map(|c| chat.rt.people.with(|p| title(&c.channel, p, chat.me)))
        })
    };
    let is_dm = move || {
        channel.with(|c| {
            c.as_ref()
                .is_some_and(|c| c.channel.kind == ChannelKind::Direct)
        })
    };
    let toggle = move |p: Panel| {
        if chat.panel.get_untracked() == p {
            chat.close_panel();
        } else if p == Panel::Pins {
            chat.open_pins();
        } else {
            chat.thread.set(None);
            chat.panel.set(p);
        }
    };
    view! {
        <header class="channel-header">
            <div class="channel-title">
                <h1>{heading}</h1>
                <p class="channel-sub muted small">
                    {move || channel.with(|c| c.as_ref().map(|c| {
                        let n = c.channel.member_count;
                        format!("{n} {}", if n == 1 { "member" } else { "members" })
                    }))}
                    {move || channel.with(|c| {
                        c.as_ref()
                            .filter(|c| !c.channel.topic.is_empty())
                            .map(|c| format!(" · {}", c.channel.topic))
                    })}
                    {move || channel.with(|c| {
                        c.as_ref().filter(|c| c.channel.archived).map(|_| " · Archived")
                    })}
                </p>
            </div>
            <div class="channel-buttons">
                <MeetingButtons channel=channel />
                <button type="button" class="button secondary small"
                    aria-pressed=move || (chat.panel.get() == Panel::Pins).to_string()
                    on:click=move |_| toggle(Panel::Pins)>"Pinned messages"</button>
                <button type="button" class="button secondary small"
                    aria-pressed=move || (chat.panel.get() == Panel::Members).to_string()
                    on:click=move |_| toggle(Panel::Members)>"Members"</button>
                <button type="button" class="button secondary small"
                    aria-pressed=move || (chat.panel.get() == Panel::Boards).to_string()
                    on:click=move |_| toggle(Panel::Boards)>"Boards"</button>
                <button type="button" class="button secondary small"
                    aria-pressed=move || (chat.panel.get() == Panel::Decisions).to_string()
                    on:click=move |_| toggle(Panel::Decisions)>"Decisions"</button>
                <button type="button" class="button secondary small"
                    on:click=move |_| planning.set(true)>
                    "Schedule meeting"
                </button>
                <Show when=move || !is_dm()>
                    <button type="button" class="button secondary small"
                        on:click=move |_| settings.set(true)>
                        "Channel settings"
                    </button>
                </Show>
            </div>
            // Keyed on the id only: unread counts changing must not reset the dialog.
            {move || planning.get().then(|| channel_id.get().map(|channel_id| view! {
                <PlanMeetingDialog
                    channel_id
                    on_close=Callback::new(move |_| planning.set(false))
                />
            }))}
            {move || (settings.get()).then(|| channel.get().map(|c| view! {
                <ChannelSettings channel=c.channel
                    on_close=Callback::new(move |_| settings.set(false)) />
            }))}
        </header>
    }
}

//! The channel's title, topic and member count; "Start meeting" (and "Call" in a DM) as
//! buttons, every other action (panels, town hall, planning, settings) in a "More" menu,
//! so a long channel name keeps the room to be read. The name is cut to one line with
//! an ellipsis, whole in its tooltip.

use leptos::prelude::*;
use tandem_protocol::chat::MyChannel;

use crate::components::chat::channel_settings::ChannelSettings;
use crate::components::meeting::start::{is_direct, MeetingButtons, StartMeeting, TownHallItem};
use crate::components::meeting_planner::dialog::PlanMeetingDialog;
use crate::components::menu::MenuButton;
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
    let is_dm = move || is_direct(channel);
    let start = StartMeeting::new(channel);
    let sub = move || {
        channel.with(|c| {
            c.as_ref().map(|c| {
                let n = c.channel.member_count;
                let mut text = format!("{n} {}", if n == 1 { "member" } else { "members" });
                if !c.channel.topic.is_empty() {
                    text.push_str(" · ");
                    text.push_str(&c.channel.topic);
                }
                if c.channel.archived {
                    text.push_str(" · Archived");
                }
                text
            })
        })
    };
    let toggle = Callback::new(move |p: Panel| {
        if chat.panel.get_untracked() == p {
            chat.close_panel();
        } else if p == Panel::Pins {
            chat.open_pins();
        } else {
            chat.thread.set(None);
            chat.panel.set(p);
        }
    });
    view! {
        <header class="channel-header">
            <div class="channel-title">
                <h1 title=heading>{heading}</h1>
                <p class="channel-sub muted small" title=sub>{sub}</p>
            </div>
            <div class="channel-buttons">
                <MeetingButtons channel start />
                <MenuButton label="More">
                    <Show when=move || !is_dm()>
                        <TownHallItem start />
                    </Show>
                    <PanelItem panel=Panel::Pins label="Pinned messages" toggle />
                    <PanelItem panel=Panel::Members label="Members" toggle />
                    <PanelItem panel=Panel::Boards label="Boards" toggle />
                    <PanelItem panel=Panel::Decisions label="Decisions" toggle />
                    <button type="button" role="menuitem" tabindex="-1"
                        on:click=move |_| planning.set(true)>
                        "Schedule meeting"
                    </button>
                    <Show when=move || !is_dm()>
                        <button type="button" role="menuitem" tabindex="-1"
                            on:click=move |_| settings.set(true)>
                            "Channel settings"
                        </button>
                    </Show>
                </MenuButton>
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

/// A side panel's item: opens the panel, or closes it when it is the one open (the
/// open one is marked, as the header's buttons were pressed).
#[component]
fn PanelItem(panel: Panel, label: &'static str, toggle: Callback<Panel>) -> impl IntoView {
    let chat = use_chat();
    view! {
        <button type="button" role="menuitem" tabindex="-1"
            class:current=move || chat.panel.get() == panel
            on:click=move |_| toggle.run(panel)>
            {label}
        </button>
    }
}

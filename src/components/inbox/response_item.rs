//! One response item in the inbox: who (the author when I owe it, the owner when I
//! asked), where, what, its urgency and a live countdown to its deadline.

use leptos::prelude::*;
use leptos_router::components::A;
use tandem_protocol::urgency::ResponseItem;
use tandem_protocol::Timestamp;

use crate::base_path::app_href;
use crate::components::urgency::countdown::countdown;
use crate::components::urgency::links::message_href;
use crate::components::urgency::{use_urgency, EscalateButton, UrgencyBadge};
use crate::contexts::chat::names::title;
use crate::contexts::chat::use_chat;

#[component]
pub fn ResponseItemRow(
    item: ResponseItem,
    /// An item I asked ("Awaiting others"): shows the owner, and offers the call.
    asked: bool,
    #[prop(into)] now: Signal<Timestamp>,
) -> impl IntoView {
    let ctx = use_urgency();
    let chat = use_chat();
    let (who_label, who) = if asked {
        ("Waiting for ", ctx.name_of(item.owner_id))
    } else {
        ("From ", ctx.name_of(item.author_id))
    };
    let channel = chat
        .my_channel(item.channel_id)
        .map(|c| {
            chat.rt
                .people
                .with_untracked(|p| title(&c.channel, p, chat.me))
        })
        .unwrap_or_else(|| "a channel".into());
    let due_at = item.due_at;
    let timer = Memo::new(move |_| countdown(due_at, now.get()));
    let overdue = move || timer.with(|t| t.overdue);
    let href = message_href(item.channel_id, item.message_id, item.thread_root_id);
    let offer_call = asked && item.escalation_offered && item.escalated_meeting_id.is_none();

    view! {
        <li role="listitem" class="inbox-item" class:overdue=overdue>
            <div class="inbox-item-meta">
                <span class="inbox-person">
                    <span class="visually-hidden">{who_label}</span>{who}
                </span>
                <span class="inbox-channel">{channel}</span>
                <UrgencyBadge urgency=item.urgency always=true />
                <span class="inbox-timer" role="timer">
                    {move || timer.with(|t| t.text.clone())}
                </span>
                <Show when=overdue>
                    <span class="overdue-badge">"Overdue"</span>
                </Show>
            </div>
            <p class="inbox-excerpt">{item.excerpt.clone()}</p>
            <div class="inbox-item-actions">
                <A href=app_href(&href) attr:class="button secondary small">"Open"</A>
                {offer_call.then(|| view! {
                    <EscalateButton message_id=item.message_id class="button primary small" />
                })}
                {item.escalated_meeting_id.map(|id| view! {
                    <A href=app_href(&format!("/m/{id}")) attr:class="button primary small">
                        "Join call"
                    </A>
                })}
            </div>
        </li>
    }
}

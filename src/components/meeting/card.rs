//! A meeting's card in its channel: live while running, a summary once ended. Kept
//! current by `MeetingUpdated` (through the hub); fetched once if not known yet.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use tandem_protocol::meetings::MeetingId;

use crate::base_path::app_href;
use crate::components::icons::{Glyph, Icon};
use crate::contexts::chat::use_chat;
use crate::contexts::meeting::format::{clock, ended_summary, initials};
use crate::contexts::meeting::use_meeting_hub;

#[component]
pub fn MeetingCard(meeting_id: MeetingId) -> impl IntoView {
    let hub = use_meeting_hub();
    let chat = use_chat();
    let meeting = Memo::new(move |_| hub.cards.with(|c| c.get(&meeting_id).cloned()));
    if meeting.get_untracked().is_none() {
        let api = chat.api();
        spawn_local(async move {
            if let Ok(m) = api.meeting(meeting_id).await {
                if !hub.cards.is_disposed() {
                    hub.remember(m);
                }
            }
        });
    }
    let now = RwSignal::new(js_sys::Date::now());
    if let Ok(handle) = set_interval_with_handle(
        move || now.set(js_sys::Date::now()),
        std::time::Duration::from_millis(1_000),
    ) {
        on_cleanup(move || handle.clear());
    }
    let title = move || {
        meeting.with(|m| {
            m.as_ref()
                .map(|m| m.title.clone())
                .unwrap_or_else(|| "Meeting".into())
        })
    };
    let ended =
        Memo::new(move |_| meeting.with(|m| m.as_ref().is_some_and(|m| m.ended_at.is_some())));
    // The meeting's whiteboard, once someone opened it: linked during and after.
    let board_id = Memo::new(move |_| meeting.with(|m| m.as_ref().and_then(|m| m.board_id)));
    view! {
        <div class="meeting-card" role="group" aria-label="Meeting" class:ended=move || ended.get()>
            <span class="meeting-card-icon"><Icon glyph=Glyph::Video /></span>
            <div class="meeting-card-body">
                <strong class="meeting-card-title">{title}</strong>
                {move || if ended.get() {
                    view! {
                        <p class="muted">
                            {move || meeting.with(|m| m.as_ref().map(ended_summary))}
                        </p>
                    }.into_any()
                } else {
                    view! {
                        <p>
                            "Meeting started"
                            <span class="muted">" · "</span>
                            <time class="meeting-clock">{move || {
                                let started = meeting
                                    .with(|m| m.as_ref().map(|m| m.started_at))
                                    .unwrap_or(0);
                                clock(now.get() as i64 - started)
                            }}</time>
                        </p>
                        <ul class="meeting-present" aria-label="In the meeting">
                            {move || meeting.with(|m| m.as_ref().map(|m| {
                                m.present.iter().map(|p| view! {
                                    <li title=p.display_name.clone()>
                                        <span class="avatar small" aria-hidden="true">
                                            {initials(&p.display_name)}
                                        </span>
                                        <span class="present-name">{p.display_name.clone()}</span>
                                    </li>
                                }).collect_view()
                            }))}
                        </ul>
                        <A href=app_href(&format!("/m/{meeting_id}"))
                            attr:class="button primary small">
                            "Join meeting"
                        </A>
                    }.into_any()
                }}
                {move || board_id.get().map(|id| view! {
                    <A href=app_href(&format!("/boards/{id}")) attr:class="meeting-card-board">
                        "Open whiteboard"
                    </A>
                })}
            </div>
        </div>
    }
}

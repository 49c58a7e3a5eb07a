//! The sidebar's "Upcoming meetings": my planned meetings with their local start
//! time and a "Join" button that opens 10 minutes before the start (by the server's
//! clock, re-checked every 15 s); the organiser also gets "Cancel meeting" (after a
//! confirmation). Kept live by `ScheduledMeetingChanged` / `ScheduledMeetingCancelled`,
//! so a cancelled meeting leaves everyone's list.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use tandem_protocol::meeting_plans::ScheduledMeeting;
use tandem_protocol::ws::Event;
use tandem_protocol::Timestamp;

use super::cancel_meeting::CancelMeetingDialog;
use super::join::{can_join, upcoming, upsert};
use crate::components::working_hours::my_time_zone;
use crate::components::working_hours::zone::when_in_zone;
use crate::contexts::availability::use_availability;
use crate::contexts::realtime::use_realtime;
use crate::contexts::session::use_session;
use crate::realtime::Update as RtUpdate;

const TICK_MS: u64 = 15_000;

#[component]
pub fn UpcomingMeetings() -> impl IntoView {
    let session = use_session();
    let rt = use_realtime();
    let availability = use_availability();
    let list = RwSignal::new(Vec::<ScheduledMeeting>::new());
    let now = RwSignal::new(availability.server_now());
    // The meeting whose "Cancel this meeting?" is open.
    let confirming = RwSignal::new(None::<ScheduledMeeting>);

    let reload = move || {
        let api = session.authorized_untracked();
        spawn_local(async move {
            let Some(api) = api else { return };
            if let Ok(meetings) = api.planned_meetings().await {
                if !list.is_disposed() {
                    list.set(meetings);
                }
            }
        });
    };
    rt.on_baseline(move || {
        reload();
        std::future::ready(())
    });
    rt.subscribe(move |update| {
        if list.is_disposed() {
            return;
        }
        let RtUpdate::Event(envelope) = update else {
            return;
        };
        match &envelope.event {
            Event::ScheduledMeetingChanged { meeting } => {
                list.update(|l| upsert(l, meeting.clone()))
            }
            Event::ScheduledMeetingCancelled { id } => {
                list.update(|l| l.retain(|m| m.id != *id));
                if confirming.with_untracked(|c| c.as_ref().is_some_and(|m| m.id == *id)) {
                    confirming.set(None);
                }
            }
            _ => {}
        }
    });
    if let Ok(h) = set_interval_with_handle(
        move || now.set(availability.server_now()),
        std::time::Duration::from_millis(TICK_MS),
    ) {
        on_cleanup(move || h.clear());
    }
    // The offset can change on a refresh; pick it up without waiting for the tick.
    Effect::new(move |_| now.set(availability.server_now()));

    let shown = Memo::new(move |_| upcoming(list.get(), now.get()));
    view! {
        <section class="sidebar-section upcoming" aria-label="Upcoming meetings">
            <h2>"Upcoming meetings"</h2>
            <Show when=move || !shown.with(Vec::is_empty)
                fallback=|| view! { <p class="muted small">"Nothing scheduled"</p> }>
                <ul class="upcoming-list">
                    <For each=move || shown.get()
                        key=|m| (m.id, m.start_at, m.end_at, m.title.clone(), m.meeting_id)
                        let:meeting>
                        <UpcomingItem meeting now=now.into()
                            on_cancel=Callback::new(move |m| confirming.set(Some(m))) />
                    </For>
                </ul>
            </Show>
            {move || confirming.get().map(|meeting| view! {
                <CancelMeetingDialog meeting
                    on_cancelled=Callback::new(move |m: ScheduledMeeting| {
                        confirming.set(None);
                        list.update(|l| l.retain(|x| x.id != m.id));
                    })
                    on_close=Callback::new(move |_| confirming.set(None)) />
            })}
        </section>
    }
}

#[component]
fn UpcomingItem(
    meeting: ScheduledMeeting,
    now: Signal<Timestamp>,
    /// Asks to cancel it; offered to its organiser only (the server refuses others).
    on_cancel: Callback<ScheduledMeeting>,
) -> impl IntoView {
    let rt = use_realtime();
    let availability = use_availability();
    let session = use_session();
    let navigate = use_navigate();
    let error = RwSignal::new(None::<String>);
    let id = meeting.id;
    let start = meeting.start_at;
    let when = move || when_in_zone(&my_time_zone(rt, availability), start);
    let m = StoredValue::new(meeting.clone());
    let organiser = meeting.organiser_id == rt.me;
    let open = Memo::new(move |_| m.with_value(|m| can_join(now.get(), m)));
    let join = Action::new_local(move |_: &()| {
        let api = session.authorized_untracked();
        let navigate = navigate.clone();
        async move {
            let Some(api) = api else { return };
            match api.join_planned_meeting(id).await {
                Ok(live) => {
                    error.set(None);
                    navigate(&format!("/m/{}", live.id), NavigateOptions::default());
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    view! {
        <li class="upcoming-item">
            <span class="upcoming-title">{meeting.title.clone()}</span>
            <time class="upcoming-when small">{when}</time>
            <div class="upcoming-actions">
                <button type="button" class="button primary small"
                    disabled=move || !open.get() || join.pending().get()
                    title=move || (!open.get()).then_some("Opens 10 minutes before the start")
                    on:click=move |_| { join.dispatch(()); }>
                    "Join"
                </button>
                {organiser.then(|| view! {
                    <button type="button" class="button ghost small upcoming-cancel"
                        on:click=move |_| on_cancel.run(m.get_value())>
                        "Cancel meeting"
                    </button>
                })}
            </div>
            {move || error.get().map(|m| view! { <p class="alert small" role="alert">{m}</p> })}
        </li>
    }
}

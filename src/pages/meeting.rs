//! `/m/:meeting_id`: a meeting, full screen. It has its own shell (a realtime
//! connection and the chat context for the in-meeting chat) without the workspace
//! sidebar, which is also all a guest ever sees.

use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect, A};
use leptos_router::hooks::{use_navigate, use_params_map};
use tandem_protocol::meetings::MeetingId;

use crate::api::AuthorizedApi;
use crate::app::Loading;
use crate::base_path::app_href;
use crate::components::boards::meeting::{MeetingBoard, MeetingBoardPanel};
use crate::components::meeting::chat_panel::MeetingChat;
use crate::components::meeting::controls::{Controls, SidePanel};
use crate::components::meeting::invite::InvitePanel;
use crate::components::meeting::lobby::Lobby;
use crate::components::meeting::people_panel::{KnockList, PeoplePanel};
use crate::components::meeting::recording::RecordingHeader;
use crate::components::meeting::stage::{Layout, Stage};
use crate::contexts::chat::{provide_chat_context, use_chat};
use crate::contexts::meeting::room::{Phase, Room};
use crate::contexts::meeting::use_meeting_hub;
use crate::contexts::realtime::provide_realtime_context;
use crate::contexts::session::use_session;

#[component]
pub fn MeetingShell() -> impl IntoView {
    let session = use_session();
    // Keyed on the user id only: one connection per sign-in, like the workspace shell.
    let user_id = Memo::new(move |_| session.user_id());
    move || match user_id.get().and(session.authorized_untracked()) {
        Some(api) => view! { <MeetingFrame api /> }.into_any(),
        None => view! { <Redirect path="/login" /> }.into_any(),
    }
}

#[component]
fn MeetingFrame(api: AuthorizedApi) -> impl IntoView {
    let rt = provide_realtime_context(api.clone());
    provide_chat_context(api, rt);
    view! { <div class="meeting-shell"><Outlet /></div> }
}

#[component]
pub fn MeetingPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| {
            p.get("meeting_id")
                .and_then(|id| id.parse::<MeetingId>().ok())
        })
    });
    move || match id.get() {
        Some(id) => view! { <MeetingRoom id /> }.into_any(),
        None => view! { <Notice text="This meeting link is not valid." /> }.into_any(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Loading,
    Lobby,
    Joining,
    Waiting,
    Denied,
    In,
    Removed,
    Ended,
    Left,
    Failed,
}

#[component]
fn MeetingRoom(id: MeetingId) -> impl IntoView {
    let chat = use_chat();
    let room = Room::new(id, chat.api(), use_meeting_hub(), chat.rt);
    provide_context(room);
    // Only the kind of phase: the in-meeting view must never be rebuilt while in it.
    let view_kind = Memo::new(move |_| match room.phase.get() {
        Phase::Loading => View::Loading,
        Phase::Lobby => View::Lobby,
        Phase::Joining => View::Joining,
        Phase::Waiting => View::Waiting,
        Phase::Denied => View::Denied,
        Phase::In => View::In,
        Phase::Removed => View::Removed,
        Phase::Ended => View::Ended,
        Phase::Left => View::Left,
        Phase::Failed(_) => View::Failed,
    });
    move || match view_kind.get() {
        View::Loading => view! { <Loading label="Loading the meeting…" /> }.into_any(),
        View::Lobby => view! { <Lobby /> }.into_any(),
        View::Joining => view! { <Loading label="Joining…" /> }.into_any(),
        View::Waiting => view! {
            <main class="meeting-notice" aria-label="Meeting">
                <p role="status">"Waiting for the host to let you in…"</p>
            </main>
        }
        .into_any(),
        View::Denied => {
            view! { <Notice text="The host declined your request to join." /> }.into_any()
        }
        View::In => view! { <InMeeting /> }.into_any(),
        View::Removed => view! { <Notice text="You were removed from the meeting." /> }.into_any(),
        View::Ended => view! { <Notice text="The meeting has ended." back=true /> }.into_any(),
        View::Left => view! { <Notice text="You left the meeting." /> }.into_any(),
        View::Failed => {
            let message = match room.phase.get_untracked() {
                Phase::Failed(m) => m,
                _ => String::new(),
            };
            view! {
                <main class="meeting-notice" aria-label="Meeting">
                    <p class="alert" role="alert">{message}</p>
                    <BackLink />
                </main>
            }
            .into_any()
        }
    }
}

#[component]
fn Notice(#[prop(into)] text: String, #[prop(optional)] back: bool) -> impl IntoView {
    view! {
        <main class="meeting-notice" aria-label="Meeting">
            <p role="status">{text}</p>
            {back.then(|| view! { <BackLink /> })}
        </main>
    }
}

/// Members only: guests have no channels to go back to.
#[component]
fn BackLink() -> impl IntoView {
    let room = use_context::<Room>();
    let channel = move || {
        room.filter(|r| !r.is_guest)
            .and_then(|r| r.meeting.with(|m| m.as_ref().map(|m| m.channel_id)))
    };
    move || {
        channel().map(|c| view! { <A href=app_href(&format!("/c/{c}"))>"Back to the channel"</A> })
    }
}

#[component]
fn InMeeting() -> impl IntoView {
    let room = expect_context::<Room>();
    let navigate = use_navigate();
    let layout = RwSignal::new(Layout::Grid);
    let panel = RwSignal::new(SidePanel::None);
    let board = MeetingBoard::new(room);
    let title = move || {
        room.meeting
            .with(|m| m.as_ref().map(|m| m.title.clone()).unwrap_or_default())
    };
    let chat_ids = Memo::new(move |_| {
        room.meeting
            .with(|m| m.as_ref().map(|m| (m.channel_id, m.card_message_id)))
    });
    let on_leave = move || {
        let channel = room
            .meeting
            .with_untracked(|m| m.as_ref().map(|m| m.channel_id));
        room.leave();
        if let (false, Some(c)) = (room.is_guest, channel) {
            navigate(&format!("/c/{c}"), Default::default());
        }
    };
    view! {
        <main class="meeting" aria-label="Meeting">
            <header class="meeting-header">
                <h1>{title}</h1>
                <RecordingHeader />
                <Show when=move || room.reconnecting.get()>
                    <p class="reconnecting" role="status">"Reconnecting…"</p>
                </Show>
                {move || room.error.get().map(|m| view! {
                    <p class="alert" role="alert">
                        {m}
                        <button type="button" class="button ghost small"
                            on:click=move |_| room.error.set(None)>"Dismiss"</button>
                    </p>
                })}
            </header>
            <KnockList />
            <div class="meeting-body">
                <Stage layout />
                <MeetingBoardPanel board />
                {move || match panel.get() {
                    SidePanel::None => ().into_any(),
                    SidePanel::Participants => view! { <PeoplePanel /> }.into_any(),
                    SidePanel::Invite => view! { <InvitePanel /> }.into_any(),
                    SidePanel::Chat => match chat_ids.get() {
                        Some((channel_id, root_id)) => {
                            view! { <MeetingChat channel_id root_id /> }.into_any()
                        }
                        None => ().into_any(),
                    },
                }}
            </div>
            <Controls layout panel board on_leave />
            <Show when=move || room.asked_to_unmute.get()>
                <div class="meeting-dialog" role="alertdialog"
                    aria-label="The host asks you to unmute">
                    <p>"The host asks you to unmute"</p>
                    <button type="button" class="button primary"
                        on:click=move |_| room.set_muted(false)>"Unmute"</button>
                    <button type="button" class="button secondary"
                        on:click=move |_| room.asked_to_unmute.set(false)>"Stay muted"</button>
                </div>
            </Show>
        </main>
    }
}

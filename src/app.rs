//! Start-up (config, then session) and the routes.

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

use crate::api::{AuthorizedApi, UnauthorizedApi};
use crate::components::meeting::incoming_call::IncomingCall;
use crate::config::{self, Config};
use crate::contexts::boards::provide_board_hub;
use crate::contexts::meeting::provide_meeting_hub;
use crate::contexts::session::{provide_session_context, Session};
use crate::pages::{
    board::BoardPage,
    board_link::BoardLinkPage,
    channel::ChannelPage,
    guest::GuestPage,
    home::HomePage,
    inbox::InboxPage,
    join::JoinPage,
    login::LoginPage,
    meeting::{MeetingPage, MeetingShell},
    not_found::NotFound,
    people::PeoplePage,
    recording::RecordingPage,
    recordings::RecordingsPage,
    search::SearchPage,
    send_later::SendLaterPage,
    signup::SignupPage,
    workspace::WorkspacePage,
};

#[component]
pub fn App() -> impl IntoView {
    // Until `/api/auth/me` answers we do not know whether to show the workspace or
    // log-in, so we show neither (no flash of the log-in page on reload).
    let boot = LocalResource::new(|| async {
        let config = config::load().await;
        let api = UnauthorizedApi::new(config.api_base());
        let me = api.me().await;
        (config, api, me)
    });
    view! {
        <Suspense fallback=|| view! { <Loading label="Loading Tandem…" /> }>
            {move || {
                boot.get().map(|(config, api, me)| match me {
                    Ok(me) => view! { <Booted config api me /> }.into_any(),
                    Err(e) => view! { <StartupError message=e.message() /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn Booted(config: Config, api: UnauthorizedApi, me: Option<AuthorizedApi>) -> impl IntoView {
    let initial = match me {
        Some(authorized) => Session::SignedIn(authorized),
        None => Session::SignedOut(api),
    };
    let base = crate::base_path::base_path().to_string();
    provide_session_context(config, initial, base.clone());
    provide_meeting_hub();
    provide_board_hub();
    view! {
        <Router base=base>
            <Routes fallback=|| view! { <NotFound /> }>
                <Route path=path!("/login") view=LoginPage />
                <Route path=path!("/signup") view=SignupPage />
                <Route path=path!("/join/:token") view=JoinPage />
                <Route path=path!("/guest/:token") view=GuestPage />
                // Meetings are full screen, in their own shell (guests see only this).
                <ParentRoute path=path!("/m") view=MeetingShell>
                    <Route path=path!(":meeting_id") view=MeetingPage />
                </ParentRoute>
                // The signed-in shell stays mounted (one socket) while these change.
                <ParentRoute path=path!("") view=WorkspacePage>
                    <Route path=path!("") view=HomePage />
                    <Route path=path!("c/:channel_id") view=ChannelPage />
                    <Route path=path!("inbox") view=InboxPage />
                    <Route path=path!("boards/:id") view=BoardPage />
                    <Route path=path!("board-links/:token") view=BoardLinkPage />
                    <Route path=path!("people") view=PeoplePage />
                    <Route path=path!("recordings") view=RecordingsPage />
                    <Route path=path!("recordings/:id") view=RecordingPage />
                    <Route path=path!("scheduled") view=SendLaterPage />
                    <Route path=path!("search") view=SearchPage />
                    <Route path=path!("settings/profile") view=crate::pages::profile::ProfilePage />
                    <Route path=path!("settings/working-hours")
                        view=crate::pages::working_hours::WorkingHoursPage />
                    <Route path=path!("decisions") view=crate::pages::decisions::DecisionsPage />
                    <Route path=path!("health") view=crate::pages::health::HealthPage />
                </ParentRoute>
            </Routes>
            <IncomingCall />
        </Router>
    }
}

#[component]
pub fn Loading(label: &'static str) -> impl IntoView {
    view! {
        <div class="loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            <span>{label}</span>
        </div>
    }
}

#[component]
fn StartupError(message: String) -> impl IntoView {
    let reload = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    };
    view! {
        <main class="auth-page">
            <div class="card">
                <h1>"Tandem"</h1>
                <p class="alert" role="alert">{message}</p>
                <button class="button primary" on:click=reload>"Try again"</button>
            </div>
        </main>
    }
}

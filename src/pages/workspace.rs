//! The signed-in workspace shell around every in-app route (`/`, `/c/…`, `/people`,
//! `/scheduled`, `/search`). Without a session it redirects to log-in.

use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};
use tandem_protocol::api::Role;

use crate::api::AuthorizedApi;
use crate::components::admin::workspace_settings::WorkspaceSettingsPanel;
use crate::components::search::SearchBox;
use crate::components::shell::connection_banner::ConnectionBanner;
use crate::components::shell::quick_switcher::QuickSwitcher;
use crate::components::shell::sidebar::Sidebar;
use crate::contexts::activity::track_activity;
use crate::contexts::chat::provide_chat_context;
use crate::contexts::realtime::provide_realtime_context;
use crate::contexts::session::use_session;

#[component]
pub fn WorkspacePage() -> impl IntoView {
    let session = use_session();
    // Keyed on the user id only, so the shell (and its socket) is built once per sign-in.
    let user_id = Memo::new(move |_| session.user_id());
    move || match user_id.get().and(session.authorized_untracked()) {
        Some(api) => view! { <Shell api /> }.into_any(),
        None => view! { <Redirect path="/login" /> }.into_any(),
    }
}

#[component]
fn Shell(api: AuthorizedApi) -> impl IntoView {
    let is_admin = api.user().role == Role::Admin;
    let rt = provide_realtime_context(api.clone());
    crate::components::boards::directory::provide_board_directory(api.clone(), rt);
    let chat = provide_chat_context(api, rt);
    track_activity(chat);
    crate::components::urgency::provide_urgency_context(chat.api(), rt);
    crate::contexts::availability::provide_availability_context();
    crate::components::decisions::store::provide_decisions_store();
    let menu_open = RwSignal::new(false);
    let settings_open = RwSignal::new(false);

    view! {
        <div
            class="shell"
            class:menu-open=move || menu_open.get()
            // Escape closes the slide-in menu on narrow screens, like any overlay.
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Escape" && menu_open.get_untracked() {
                    menu_open.set(false);
                }
            }
        >
            <Sidebar />
            <div class="backdrop" aria-hidden="true" on:click=move |_| menu_open.set(false)></div>
            <div class="main-column">
                <header class="topbar">
                    <button
                        type="button"
                        class="button ghost menu-button"
                        aria-controls="sidebar"
                        aria-expanded=move || menu_open.get().to_string()
                        on:click=move |_| menu_open.update(|o| *o = !*o)
                    >
                        <span class="menu-icon" aria-hidden="true"></span>
                        "Menu"
                    </button>
                    // The workspace name lives in the sidebar only, so it appears once.
                    <div class="topbar-search"><SearchBox /></div>
                    <span class="topbar-spacer"></span>
                    {is_admin.then(|| view! {
                        <button
                            type="button"
                            class="button secondary"
                            aria-controls="workspace-settings"
                            aria-expanded=move || settings_open.get().to_string()
                            on:click=move |_| settings_open.update(|o| *o = !*o)
                        >
                            "Workspace settings"
                        </button>
                    })}
                </header>
                <ConnectionBanner />
                <main id="main" class="main">
                    {move || rt.load_error.get().map(|m| view! {
                        <p class="alert" role="alert">{m}</p>
                    })}
                    {move || (is_admin && settings_open.get()).then(|| view! {
                        <WorkspaceSettingsPanel on_close=move || settings_open.set(false) />
                    })}
                    <Outlet />
                </main>
                <QuickSwitcher />
                <crate::components::urgency::UrgencyAlerts />
            </div>
        </div>
    }
}

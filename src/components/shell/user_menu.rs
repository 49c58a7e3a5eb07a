//! The signed-in user: name, live status, and log-out.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::base_path::app_href;
use crate::components::shell::sidebar::initial;
use crate::contexts::realtime::use_realtime;
use crate::contexts::session::use_session;

#[component]
pub fn UserMenu() -> impl IntoView {
    let session = use_session();
    let rt = use_realtime();
    let error = RwSignal::new(None::<String>);
    let me = move || {
        rt.people
            .with(|people| people.iter().find(|u| u.id == rt.me).cloned())
            .or_else(|| session.user_untracked())
    };
    let name = move || me().map(|u| u.display_name).unwrap_or_default();
    let status = move || me().map(|u| u.status_text).unwrap_or_default();

    let logout = Action::new_local(move |_: &()| {
        let api = session.authorized_untracked();
        async move {
            let Some(api) = api else { return };
            match api.logout().await {
                Ok(_) => {
                    rt.stop();
                    session.sign_out();
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });

    view! {
        <div class="user-menu">
            <span class="avatar" aria-hidden="true">{move || initial(&name())}</span>
            <div class="user-text">
                <span class="user-name">{name}</span>
                {move || match rt.pending_status() {
                    Some(text) => view! {
                        <span class="user-status pending">
                            {if text.is_empty() { "Clearing status".to_string() } else { text }}
                            " · "<em>"Sending…"</em>
                        </span>
                    }.into_any(),
                    None => {
                        let s = status();
                        let empty = s.is_empty();
                        view! {
                            <span class="user-status" class:muted=empty>
                                {if s.is_empty() { "No status".to_string() } else { s }}
                            </span>
                        }.into_any()
                    }
                }}
            </div>
            <A href=app_href("/settings/profile") attr:class="button ghost small">"Profile"</A>
            <A href=app_href("/settings/working-hours") attr:class="button ghost small">
                "Working hours"
            </A>
            <button type="button" class="button ghost small"
                disabled=move || logout.pending().get()
                on:click=move |_| { logout.dispatch(()); }>
                "Log out"
            </button>
            {move || error.get().map(|m| view! { <p class="alert small" role="alert">{m}</p> })}
        </div>
    }
}

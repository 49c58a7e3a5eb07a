//! "Signed-in devices": every live session of my account, each of which I can end
//! (the server closes that device's sockets, so it is signed out at once).

use leptos::prelude::*;
use tandem_protocol::api::SessionInfo;

use crate::app::Loading;
use crate::contexts::session::use_session;
use crate::time::full_time;

#[component]
pub fn SignedInDevices() -> impl IntoView {
    let session = use_session();
    let error = RwSignal::new(None::<String>);
    let sessions = LocalResource::new(move || {
        let api = session.authorized_untracked();
        async move {
            match api {
                Some(api) => api.sessions().await.map_err(|e| e.message()),
                None => Err("Please log in to continue.".to_string()),
            }
        }
    });
    let revoke = Action::new_local(move |id: &uuid::Uuid| {
        let (api, id) = (session.authorized_untracked(), *id);
        async move {
            let Some(api) = api else { return };
            match api.revoke_session(id).await {
                Ok(()) => {
                    error.set(None);
                    sessions.refetch();
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });

    let row = move |s: SessionInfo| {
        let id = s.id;
        let device = if s.user_agent.trim().is_empty() {
            "Unknown browser".to_string()
        } else {
            s.user_agent.clone()
        };
        view! {
            <li class="device">
                <div>
                    <p class="device-name">{device}</p>
                    <p class="muted small">
                        {format!(
                            "Signed in {} · last active {}",
                            full_time(s.created_at),
                            full_time(s.last_seen_at)
                        )}
                    </p>
                </div>
                {if s.current {
                    view! { <span class="badge">"This device"</span> }.into_any()
                } else {
                    view! {
                        <button type="button" class="button ghost small"
                            disabled=move || revoke.pending().get()
                            on:click=move |_| { revoke.dispatch(id); }>
                            "Sign out"
                        </button>
                    }.into_any()
                }}
            </li>
        }
    };

    view! {
        <section class="devices" aria-labelledby="devices-heading">
            <h2 id="devices-heading">"Signed-in devices"</h2>
            {move || error.get().map(|m| view! { <p class="alert" role="alert">{m}</p> })}
            <Suspense fallback=|| view! { <Loading label="Loading your devices…" /> }>
                {move || sessions.get().map(|r| match r {
                    Ok(list) => view! {
                        <ul class="device-list" aria-label="Signed-in devices">
                            {list.into_iter().map(row).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(m) => view! { <p class="alert" role="alert">{m}</p> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

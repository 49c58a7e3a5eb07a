//! Admin: create invite links (single use, a week) and revoke the ones still active.
//! The server keeps only a hash of each link's secret, so a link can be copied only
//! right after it is made; the list shows when each was made, expires and was used.

use leptos::prelude::*;
use tandem_protocol::api::{CreateInviteRequest, Invite};
use uuid::Uuid;

use crate::components::form::error_message::ErrorMessage;
use crate::contexts::session::use_session;

/// A week: long enough to reach someone, short enough that a leaked link goes stale.
const INVITE_HOURS: u32 = 24 * 7;

fn is_active(invite: &Invite, now_ms: i64) -> bool {
    !invite.revoked && invite.expires_at > now_ms && invite.uses < invite.max_uses
}

fn uses_text(invite: &Invite) -> String {
    if invite.max_uses == 1 {
        "Single use".to_string()
    } else {
        format!("Used {} of {} times", invite.uses, invite.max_uses)
    }
}

fn format_time(ms: i64) -> String {
    String::from(
        js_sys::Date::new(&(ms as f64).into()).to_locale_string("default", &Default::default()),
    )
}

#[component]
pub fn Invites() -> impl IntoView {
    let session = use_session();
    let invites = RwSignal::new(Vec::<Invite>::new());
    let error = RwSignal::new(None::<String>);
    // The newest link, shown for copying until it is revoked.
    let latest_link = RwSignal::new(None::<(Uuid, String)>);

    let load = Action::new_local(move |_: &()| {
        let api = session.authorized_untracked();
        async move {
            let Some(api) = api else { return };
            match api.invites().await {
                Ok(list) => invites.set(list),
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    load.dispatch(());

    let create = Action::new_local(move |_: &()| {
        let api = session.authorized_untracked();
        async move {
            let Some(api) = api else { return };
            match api
                .create_invite(&CreateInviteRequest {
                    expires_in_hours: INVITE_HOURS,
                    max_uses: 1,
                })
                .await
            {
                Ok(created) => {
                    error.set(None);
                    let link = session.join_link(&created.token);
                    latest_link.set(Some((created.invite.id, link)));
                    invites.update(|list| list.insert(0, created.invite));
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });

    let revoke = Action::new_local(move |id: &Uuid| {
        let (api, id) = (session.authorized_untracked(), *id);
        async move {
            let Some(api) = api else { return };
            match api.revoke_invite(id).await {
                Ok(()) => {
                    error.set(None);
                    invites.update(|list| list.retain(|i| i.id != id));
                    if latest_link.with(|l| l.as_ref().is_some_and(|(shown, _)| *shown == id)) {
                        latest_link.set(None);
                    }
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });

    let active = move || {
        let now = js_sys::Date::now() as i64;
        invites
            .get()
            .into_iter()
            .filter(|i| is_active(i, now))
            .collect::<Vec<_>>()
    };

    view! {
        <div class="panel-block" aria-labelledby="invites-heading">
            <h3 id="invites-heading">"Invite links"</h3>
            <p class="muted small">
                "Each link lets one person join within a week, until you revoke it. "
                "Copy it when you make it: it is not shown again."
            </p>
            <button type="button" class="button secondary"
                disabled=move || create.pending().get()
                on:click=move |_| { create.dispatch(()); }>
                "Create invite link"
            </button>
            {move || latest_link.get().map(|(_, link)| view! {
                <div class="field">
                    <label for="invite-link">"Invite link"</label>
                    <input id="invite-link" type="text" readonly=true prop:value=link
                        on:focus=|ev| {
                            // Select all on focus so copying is one keystroke.
                            use wasm_bindgen::JsCast;
                            if let Some(input) = ev.target()
                                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                            {
                                input.select();
                            }
                        } />
                </div>
            })}
            <ErrorMessage message=error />
            {move || {
                let list = active();
                if list.is_empty() {
                    view! { <p class="muted small">"No active invite links."</p> }.into_any()
                } else {
                    view! {
                        <ul class="invites">
                            {list.into_iter().map(|invite| {
                                let id = invite.id;
                                view! {
                                    <li class="invite">
                                        <span class="invite-text">
                                            <span>
                                                {format!("Made {}", format_time(invite.created_at))}
                                            </span>
                                            <span class="muted small">
                                                {format!("{} · Expires {}", uses_text(&invite),
                                                    format_time(invite.expires_at))}
                                            </span>
                                        </span>
                                        <button type="button" class="button danger small"
                                            on:click=move |_| { revoke.dispatch(id); }>
                                            "Revoke"
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </div>
    }
}

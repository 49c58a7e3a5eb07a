//! Host: a guest link for this meeting (one hour), with copy and revoke.

use leptos::prelude::*;
use leptos::task::spawn_local;
use tandem_protocol::meetings::CreatedGuestInvite;

use crate::contexts::meeting::room::Room;

const GUEST_LINK_MINUTES: u32 = 60;

fn guest_link(token: &str) -> String {
    let base = crate::config::document_base().unwrap_or_else(crate::config::page_origin);
    format!("{}/guest/{token}", base.trim_end_matches('/'))
}

fn copy_text(text: &str) {
    // navigator.clipboard through Reflect: the web-sys Clipboard feature is not enabled.
    let Some(window) = web_sys::window() else {
        return;
    };
    let clipboard = js_sys::Reflect::get(&window.navigator(), &"clipboard".into()).ok();
    if let Some(clipboard) = clipboard.filter(|c| !c.is_undefined()) {
        if let Ok(f) = js_sys::Reflect::get(&clipboard, &"writeText".into()) {
            let f: js_sys::Function = f.into();
            let _ = f.call1(&clipboard, &text.into());
        }
    }
}

#[component]
pub fn InvitePanel() -> impl IntoView {
    let room = expect_context::<Room>();
    // The link just made: its secret is only in this answer (the server keeps a hash).
    let invite = RwSignal::new(None::<CreatedGuestInvite>);
    let status = RwSignal::new(None::<String>);
    let create = Action::new_local(move |_: &()| {
        let api = room.api();
        async move {
            match api
                .create_guest_invite(room.meeting_id, GUEST_LINK_MINUTES)
                .await
            {
                Ok(i) => {
                    invite.set(Some(i));
                    status.set(None);
                }
                Err(e) => status.set(Some(e.message())),
            }
        }
    });
    let revoke = move |_| {
        let Some(i) = invite.get_untracked() else {
            return;
        };
        let api = room.api();
        spawn_local(async move {
            match api.revoke_guest_invite(i.invite.id).await {
                Ok(()) => {
                    invite.set(None);
                    status.set(Some("The guest link was revoked.".into()));
                }
                Err(e) => status.set(Some(e.message())),
            }
        });
    };
    create.dispatch(());
    view! {
        <aside class="side-panel meeting-panel" role="complementary" aria-label="Invite guest">
            <h2>"Invite a guest"</h2>
            <p class="muted small">
                "Anyone with the link can ask to join this meeting for the next hour."
            </p>
            {move || invite.get().map(|i| {
                let link = guest_link(&i.token);
                let copy_link = link.clone();
                view! {
                    <div class="field">
                        <label for="guest-link">"Guest link"</label>
                        <input id="guest-link" type="text" readonly=true prop:value=link
                            on:focus=move |ev| {
                                use wasm_bindgen::JsCast;
                                let target = event_target::<web_sys::EventTarget>(&ev);
                                if let Some(el) = target.dyn_ref::<web_sys::HtmlInputElement>() {
                                    el.select();
                                }
                            } />
                    </div>
                    <div class="button-row">
                        <button type="button" class="button primary small" on:click=move |_| {
                            copy_text(&copy_link);
                            status.set(Some("Link copied.".into()));
                        }>"Copy"</button>
                        <button type="button" class="button danger small" on:click=revoke>
                            "Revoke"
                        </button>
                    </div>
                }
            })}
            {move || (invite.with(Option::is_none) && !create.pending().get()).then(|| view! {
                <button type="button" class="button secondary small"
                    on:click=move |_| { create.dispatch(()); }>"Create a new link"</button>
            })}
            {move || status.get().map(|m| view! { <p role="status" class="small">{m}</p> })}
        </aside>
    }
}

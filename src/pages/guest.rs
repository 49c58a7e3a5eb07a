//! `/guest/:token`: a guest link. Shows what the meeting is, asks for a name, and
//! joins as a guest (a session scoped to that one meeting), then opens its lobby.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use tandem_protocol::api::validate_display_name;

use crate::api::meetings::{guest_join, guest_preview};
use crate::app::Loading;
use crate::contexts::session::use_session;

#[component]
pub fn GuestPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let preview = LocalResource::new(move || {
        let base = session.config().api_base();
        let token = token();
        async move { guest_preview(&base, &token).await }
    });
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let join = Action::new_local(move |display_name: &String| {
        let display_name = display_name.clone();
        let base = session.config().api_base();
        let token = token();
        let navigate = navigate.clone();
        async move {
            let joined = guest_join(&base, &token, display_name).await;
            let joined = match joined {
                Ok(j) => j,
                Err(e) => return error.set(Some(e.message())),
            };
            match session.unauthorized().me().await {
                Ok(Some(api)) => {
                    session.sign_in(api);
                    navigate(&format!("/m/{}", joined.meeting.id), Default::default());
                }
                Ok(None) => error.set(Some(
                    "Your browser did not keep the guest session. \
                     Allow cookies for this site and try again."
                        .into(),
                )),
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = name.get_untracked().trim().to_string();
        if let Err(e) = validate_display_name(&value) {
            error.set(Some(e.message));
            return;
        }
        error.set(None);
        join.dispatch(value);
    };
    view! {
        <main class="auth-page guest-page">
            <div class="card">
                <Suspense fallback=|| view! { <Loading label="Opening the invitation…" /> }>
                    {move || preview.get().map(|result| match result {
                        Ok(p) if p.ended => view! {
                            <h1>{format!("Join {}", p.meeting_title)}</h1>
                            <p class="alert" role="alert">"This meeting has ended."</p>
                        }.into_any(),
                        Ok(p) => view! {
                            <h1>{format!("Join {}", p.meeting_title)}</h1>
                            <p>{format!("Hosted by {}", p.host_name)}</p>
                            <form on:submit=submit novalidate=true>
                                <div class="field">
                                    <label for="guest-name">"Your name"</label>
                                    <input id="guest-name" type="text" autocomplete="name"
                                        required=true
                                        prop:value=move || name.get()
                                        on:input=move |ev| name.set(event_target_value(&ev)) />
                                </div>
                                {move || error.get().map(|m| view! {
                                    <p class="alert" role="alert">{m}</p>
                                })}
                                <button type="submit" class="button primary"
                                    disabled=move || join.pending().get()>
                                    "Join as guest"
                                </button>
                            </form>
                        }.into_any(),
                        Err(e) => view! {
                            <h1>"Guest invitation"</h1>
                            <p class="alert" role="alert">{e.message()}</p>
                        }.into_any(),
                    })}
                </Suspense>
            </div>
        </main>
    }
}

//! One person in the People view or a channel's member list: who, where and when
//! they are, and a button to message them.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use tandem_protocol::api::User;
use tandem_protocol::chat::OpenDirectRequest;

use crate::components::people::avatar::Avatar;
use crate::components::working_hours::availability_text::AvailabilityNote;
use crate::contexts::chat::names::distinct_name;
use crate::contexts::chat::use_chat;

#[component]
pub fn PersonRow(user: User, #[prop(into)] now: Signal<f64>) -> impl IntoView {
    let chat = use_chat();
    let navigate = use_navigate();
    let error = RwSignal::new(None::<String>);
    let is_me = user.id == chat.me;
    let user_id = user.id;
    let open_dm = Action::new_local(move |_: &()| {
        let api = chat.api();
        let navigate = navigate.clone();
        async move {
            match api
                .open_direct(&OpenDirectRequest {
                    user_ids: vec![user_id],
                })
                .await
            {
                Ok(channel) => {
                    let id = channel.id;
                    chat.add_channel(channel);
                    navigate(&format!("/c/{id}"), NavigateOptions::default());
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    // Tells namesakes apart ("Ana (ana.lima)"), updating as people come and go.
    let shown = {
        let user = user.clone();
        move || chat.rt.people.with(|people| distinct_name(people, &user))
    };
    let tz = user.time_zone.clone();
    let local_time = move || {
        now.track();
        crate::time::local_time_in(&tz)
    };
    view! {
        <li class="person-row">
            <Avatar user_id=user.id name=user.display_name.clone() />
            <div class="person-text">
                <span class="person-name">{shown}{is_me.then_some(" (you)")}</span>
                <span class="person-meta">
                    {user.time_zone.clone()} " · " {local_time} " local time"
                    <AvailabilityNote user_id=user.id />
                </span>
                {(!user.status_text.is_empty()).then(|| view! {
                    <span class="person-status">{user.status_text.clone()}</span>
                })}
            </div>
            {(!is_me).then(|| view! {
                <button type="button" class="button secondary small"
                    disabled=move || open_dm.pending().get()
                    on:click=move |_| { open_dm.dispatch(()); }>
                    "Message"
                </button>
            })}
            {move || error.get().map(|m| view! { <p class="alert small" role="alert">{m}</p> })}
        </li>
    }
}

//! "Escalate to call": turns a thread into a meeting (its participants are rung) and
//! takes me straight into it (no lobby, as for a call). Shown in the thread panel and
//! on inbox items whose Critical deadline passed unanswered.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use tandem_protocol::chat::MessageId;

use crate::contexts::meeting::use_meeting_hub;
use crate::contexts::session::use_session;

#[component]
pub fn EscalateButton(
    /// The thread's root or any message in it (the server resolves the root).
    message_id: MessageId,
    #[prop(optional, into)] class: Option<String>,
) -> impl IntoView {
    let session = use_session();
    let hub = use_meeting_hub();
    let navigate = use_navigate();
    let error = RwSignal::new(None::<String>);
    let escalate = Action::new_local(move |_: &()| {
        let api = session.authorized_untracked();
        let navigate = navigate.clone();
        async move {
            let Some(api) = api else { return };
            match api.escalate(message_id).await {
                Ok(meeting) => {
                    error.set(None);
                    let id = meeting.id;
                    hub.remember(meeting);
                    // Straight in, like a call: I am ringing people to join me.
                    hub.request_auto_join(id);
                    navigate(&format!("/m/{id}"), Default::default());
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    let class = class.unwrap_or_else(|| "button secondary small".into());
    view! {
        <button type="button" class=class disabled=move || escalate.pending().get()
            on:click=move |_| { escalate.dispatch(()); }>
            "Escalate to call"
        </button>
        {move || error.get().map(|m| view! { <span class="field-error" role="alert">{m}</span> })}
    }
}

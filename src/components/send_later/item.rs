//! One send-later message on the send-later page: read, edit in place, or cancel.

use leptos::prelude::*;
use tandem_protocol::chat::{validate_message_body, ScheduledMessage, UpdateScheduledRequest};
use uuid::Uuid;

use super::clock::{format_when, from_local, now_ms, to_local};
use super::time::{check_future, LocalDateTime};
use crate::components::form::error_message::ErrorMessage;
use crate::components::urgency::picker::UrgencySelect;
use crate::components::urgency::UrgencyBadge;
use crate::contexts::session::use_session;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Reading,
    Editing,
    ConfirmingCancel,
}

#[component]
pub fn SendLaterItem(
    message: ScheduledMessage,
    /// "#general", or the members' names for a DM.
    channel_label: String,
    on_updated: Callback<ScheduledMessage>,
    on_cancelled: Callback<Uuid>,
) -> impl IntoView {
    let session = use_session();
    let id = message.id;
    let mode = RwSignal::new(Mode::Reading);
    let draft_body = RwSignal::new(message.body.clone());
    let draft_when = RwSignal::new(to_local(message.send_at).to_input_value());
    // `None`: the channel's default when it is sent, until someone picks a tier.
    let draft_urgency = RwSignal::new(message.urgency);
    let error = RwSignal::new(None::<String>);
    // Local copy, so a save shows at once without rebuilding the row.
    let current = RwSignal::new(message.clone());
    let uid = id.simple().to_string();
    let (body_id, when_id) = (format!("edit-body-{uid}"), format!("edit-when-{uid}"));

    let save = Action::new_local(move |_: &()| {
        let api = session.authorized_untracked();
        let body = draft_body.get_untracked();
        let when = LocalDateTime::parse_input(&draft_when.get_untracked()).map(from_local);
        let urgency = draft_urgency.get_untracked();
        let before = current.get_untracked();
        async move {
            let Some(send_at) = when else {
                error.set(Some("Enter a date and time.".into()));
                return;
            };
            let checked = validate_message_body(&body, 0)
                .map_err(|e| e.message)
                .and_then(|()| check_future(send_at, now_ms()));
            if let Err(m) = checked {
                error.set(Some(m));
                return;
            }
            let Some(api) = api else { return };
            // Only what changed, so an edit never clobbers the other field.
            let update = UpdateScheduledRequest {
                body: (body != before.body).then_some(body),
                send_at: (send_at != before.send_at).then_some(send_at),
                urgency: urgency.filter(|u| Some(*u) != before.urgency),
            };
            if update == UpdateScheduledRequest::default() {
                error.set(None);
                mode.set(Mode::Reading);
                return;
            }
            match api.update_send_later(id, &update).await {
                Ok(updated) => {
                    error.set(None);
                    mode.set(Mode::Reading);
                    current.set(updated.clone());
                    on_updated.run(updated);
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });

    let cancel = Action::new_local(move |_: &()| {
        let api = session.authorized_untracked();
        async move {
            let Some(api) = api else { return };
            match api.cancel_send_later(id).await {
                Ok(()) => on_cancelled.run(id),
                Err(e) => error.set(Some(e.message())),
            }
        }
    });

    let start_edit = move |_| {
        let m = current.get_untracked();
        draft_body.set(m.body);
        draft_when.set(to_local(m.send_at).to_input_value());
        draft_urgency.set(m.urgency);
        error.set(None);
        mode.set(Mode::Editing);
    };

    let when = move || format_when(current.with(|m| m.send_at));
    let body = move || current.with(|m| m.body.clone());

    view! {
        <li class="scheduled-item">
            <div class="scheduled-meta">
                <span class="scheduled-channel">{channel_label}</span>
                <span class="muted small">"Sends " {when}</span>
                // The tier picked when queued; none: the channel's default when sent.
                {move || current.with(|m| m.urgency).map(|u| view! {
                    <UrgencyBadge urgency=u always=true />
                })}
            </div>
            {move || match mode.get() {
                Mode::Editing => view! {
                    <form class="scheduled-edit"
                        on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                        <div class="field">
                            <label for=body_id.clone()>"Edit scheduled message"</label>
                            <textarea id=body_id.clone() rows="3" bind:value=draft_body></textarea>
                        </div>
                        <div class="field">
                            <label for=when_id.clone()>"Send at"</label>
                            <input id=when_id.clone() type="datetime-local" bind:value=draft_when />
                        </div>
                        <UrgencySelect label="Urgency"
                            value=Signal::derive(move || draft_urgency.get().unwrap_or_default())
                            on_change=Callback::new(move |u| draft_urgency.set(Some(u))) />
                        <div class="row">
                            <button type="submit" class="button primary small"
                                disabled=save.pending()>"Save"</button>
                            <button type="button" class="button ghost small"
                                on:click=move |_| { error.set(None); mode.set(Mode::Reading); }>
                                "Discard changes"
                            </button>
                        </div>
                    </form>
                }.into_any(),
                Mode::Reading | Mode::ConfirmingCancel => view! {
                    <p class="scheduled-body">{body}</p>
                    {(mode.get() == Mode::Reading).then(|| view! {
                        <div class="row">
                            <button type="button" class="button secondary small"
                                on:click=start_edit>"Edit"</button>
                            <button type="button" class="button danger small"
                                on:click=move |_| mode.set(Mode::ConfirmingCancel)>
                                "Cancel scheduled message"
                            </button>
                        </div>
                    })}
                    {(mode.get() == Mode::ConfirmingCancel).then(|| view! {
                        <div class="row confirm" role="group" aria-label="Confirm cancelling">
                            <span>"Cancel this message? It will not be sent."</span>
                            <button type="button" class="button danger small"
                                disabled=cancel.pending()
                                on:click=move |_| { cancel.dispatch(()); }>
                                "Yes, cancel it"
                            </button>
                            <button type="button" class="button ghost small"
                                on:click=move |_| mode.set(Mode::Reading)>
                                "Keep it"
                            </button>
                        </div>
                    })}
                }.into_any(),
            }}
            <ErrorMessage message=error />
        </li>
    }
}

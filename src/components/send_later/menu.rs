//! "Send later" beside the composer's send button: quick picks or a custom time.

use leptos::html::Button;
use leptos::prelude::*;
use tandem_protocol::chat::{validate_message_body, ChannelId, MessageId, ScheduleMessageRequest};
use tandem_protocol::urgency::Urgency;
use tandem_protocol::Timestamp;

use super::clock::{format_when, from_local, now_ms, to_local};
use super::time::{check_future, in_one_hour, tomorrow_at_nine, LocalDateTime};
use crate::components::form::error_message::ErrorMessage;
use crate::contexts::session::use_session;

#[component]
pub fn SendLater(
    channel_id: ChannelId,
    #[prop(into)] body: Signal<String>,
    thread_root_id: Option<MessageId>,
    /// The composer's urgency, kept for when it is sent (none: the channel's default).
    #[prop(optional, into)]
    urgency: MaybeProp<Urgency>,
    on_queued: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let open = RwSignal::new(false);
    let custom_open = RwSignal::new(false);
    let custom_value = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let confirmation = RwSignal::new(None::<String>);
    let toggle_ref = NodeRef::<Button>::new();
    let uid = uuid::Uuid::new_v4().simple().to_string();
    let (panel_id, input_id) = (format!("send-later-{uid}"), format!("send-at-{uid}"));

    let queue = Action::new_local(move |send_at: &Timestamp| {
        let send_at = *send_at;
        let text = body.get_untracked();
        let urgency = urgency.get_untracked();
        let api = session.authorized_untracked();
        async move {
            // Checked here first so mistakes show without a round trip.
            let checked = validate_message_body(&text, 0)
                .map_err(|e| e.message)
                .and_then(|()| check_future(send_at, now_ms()));
            if let Err(message) = checked {
                error.set(Some(message));
                return;
            }
            let Some(api) = api else {
                error.set(Some("Please log in to continue.".into()));
                return;
            };
            let req = ScheduleMessageRequest {
                channel_id,
                thread_root_id,
                body: text,
                send_at,
                urgency,
            };
            match api.send_later(&req).await {
                Ok(queued) => {
                    error.set(None);
                    confirmation.set(Some(format!(
                        "Scheduled for {}",
                        format_when(queued.send_at)
                    )));
                    open.set(false);
                    custom_open.set(false);
                    on_queued.run(());
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    let busy = queue.pending();

    let close = move || {
        open.set(false);
        custom_open.set(false);
        error.set(None);
        if let Some(button) = toggle_ref.get_untracked() {
            let _ = button.focus();
        }
    };

    let open_custom = move |_| {
        // Start from a sensible time rather than an empty picker.
        if custom_value.get_untracked().is_empty() {
            custom_value.set(to_local(in_one_hour(now_ms())).to_input_value());
        }
        custom_open.update(|o| *o = !*o);
    };

    let queue_custom = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match LocalDateTime::parse_input(&custom_value.get_untracked()) {
            Some(local) => {
                queue.dispatch(from_local(local));
            }
            None => error.set(Some("Enter a date and time.".into())),
        }
    };

    view! {
        <div
            class="send-later"
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Escape" && open.get_untracked() {
                    ev.stop_propagation();
                    close();
                }
            }
        >
            <button
                type="button"
                class="button secondary"
                node_ref=toggle_ref
                aria-expanded=move || open.get().to_string()
                aria-controls=panel_id.clone()
                on:click=move |_| {
                    if open.get_untracked() {
                        close();
                    } else {
                        confirmation.set(None);
                        open.set(true);
                    }
                }
            >
                "Send later"
            </button>
            <div id=panel_id class="send-later-panel" role="group" aria-label="Send later"
                hidden=move || !open.get()>
                <button type="button" class="button ghost" disabled=busy
                    on:click=move |_| { queue.dispatch(in_one_hour(now_ms())); }>
                    "In 1 hour"
                </button>
                <button type="button" class="button ghost" disabled=busy
                    on:click=move |_| {
                        queue.dispatch(from_local(tomorrow_at_nine(to_local(now_ms()))));
                    }>
                    "Tomorrow at 9:00"
                </button>
                <button type="button" class="button ghost"
                    aria-expanded=move || custom_open.get().to_string()
                    on:click=open_custom>
                    "Custom time…"
                </button>
                <form
                    class="send-later-custom"
                    hidden=move || !custom_open.get()
                    on:submit=queue_custom
                >
                    <div class="field">
                        <label for=input_id.clone()>"Send at"</label>
                        <input
                            id=input_id
                            type="datetime-local"
                            // The picker greys out the past; the check above still runs.
                            min=move || {
                                custom_open.get().then(|| to_local(now_ms()).to_input_value())
                            }
                            bind:value=custom_value
                        />
                    </div>
                    <button type="submit" class="button primary" disabled=busy>"Schedule"</button>
                </form>
                <ErrorMessage message=error />
            </div>
            <p class="send-later-status small" role="status">{move || confirmation.get()}</p>
        </div>
    }
}

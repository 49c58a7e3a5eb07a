//! "Deliver later?": asked before sending a non-critical message that would reach
//! someone outside their working hours or in focus time. "Deliver at …" sends it later,
//! when they are all back (the send-later API), "Send now" sends it anyway.

use leptos::prelude::*;
use tandem_protocol::Timestamp;

use super::deliver_rules::DeliverPrompt;
use super::deliver_time::deliver_label;
use crate::components::dialog::Dialog;

#[component]
pub fn DeliverLaterDialog(
    prompt: DeliverPrompt,
    /// The server's clock now (the delivery time is the server's too).
    now: Timestamp,
    /// Messages with files cannot be sent later: only "Send now" and "Cancel" then.
    can_send_later: bool,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] error: Signal<Option<String>>,
    on_deliver_at: Callback<Timestamp>,
    on_send_now: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let deliver_at = prompt.deliver_at.filter(|_| can_send_later);
    view! {
        <Dialog title="Deliver later?" on_close=on_cancel class="deliver-later">
            <ul class="deliver-reasons">
                {prompt.reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
            </ul>
            {(!can_send_later && prompt.deliver_at.is_some()).then(|| view! {
                <p class="muted small">"Messages with files cannot be scheduled."</p>
            })}
            {move || error.get().map(|m| view! { <p class="alert" role="alert">{m}</p> })}
            <div class="dialog-actions">
                <button type="button" class="button secondary" on:click=move |_| on_cancel.run(())>
                    "Cancel"
                </button>
                <button type="button" class="button secondary" disabled=move || busy.get()
                    on:click=move |_| on_send_now.run(())>"Send now"</button>
                {deliver_at.map(|at| view! {
                    <button type="button" class="button primary" disabled=move || busy.get()
                        on:click=move |_| on_deliver_at.run(at)>
                        {format!("Deliver at {}", deliver_label(at, now))}
                    </button>
                })}
            </div>
        </Dialog>
    }
}

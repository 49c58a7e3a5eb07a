//! "Cancel this meeting?": the organiser's confirmation before a planned meeting is
//! called off for everyone. Rendered beside the upcoming list (not inside a row), so
//! the row's "Cancel meeting" and the dialog's are never inside one list item.

use leptos::prelude::*;
use tandem_protocol::meeting_plans::ScheduledMeeting;

use crate::components::dialog::Dialog;
use crate::contexts::session::use_session;

#[component]
pub fn CancelMeetingDialog(
    meeting: ScheduledMeeting,
    /// Runs once the server cancelled it (the list drops it at once; the event that
    /// everyone gets would too).
    on_cancelled: Callback<ScheduledMeeting>,
    on_close: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let error = RwSignal::new(None::<String>);
    let m = StoredValue::new(meeting.clone());
    let cancel = Action::new_local(move |_: &()| {
        let api = session.authorized_untracked();
        let meeting = m.get_value();
        async move {
            let Some(api) = api else { return };
            match api.cancel_planned_meeting(meeting.id).await {
                Ok(()) => on_cancelled.run(meeting),
                Err(e) => {
                    if !error.is_disposed() {
                        error.set(Some(e.message()));
                    }
                }
            }
        }
    });
    view! {
        <Dialog title="Cancel this meeting?" on_close class="cancel-meeting">
            <p>
                "“" {meeting.title.clone()} "”"
                " will be removed from everyone's upcoming meetings."
            </p>
            {move || error.get().map(|m| view! { <p class="alert" role="alert">{m}</p> })}
            <div class="dialog-actions">
                <button type="button" class="button ghost" on:click=move |_| on_close.run(())>
                    "Keep it"
                </button>
                <button type="button" class="button danger-solid"
                    disabled=move || cancel.pending().get()
                    on:click=move |_| { cancel.dispatch(()); }>"Cancel meeting"</button>
            </div>
        </Dialog>
    }
}

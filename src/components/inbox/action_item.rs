//! One action item from a meeting note: what, when it is due, "Done", and "Open"
//! (the thread or meeting card it was assigned in).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use tandem_protocol::urgency::ActionItem;
use tandem_protocol::Timestamp;

use crate::base_path::app_href;
use crate::components::summary::dates::date_label;
use crate::components::urgency::links::action_item_href;
use crate::components::urgency::use_urgency;

#[component]
pub fn ActionItemRow(item: ActionItem, #[prop(into)] now: Signal<Timestamp>) -> impl IntoView {
    let ctx = use_urgency();
    let id = item.id;
    let due_at = item.due_at;
    let overdue = move || now.get() > due_at;
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let checked = RwSignal::new(item.done);
    let href = action_item_href(&item);
    let toggle = move |ev: leptos::ev::Event| {
        let done = event_target_checked(&ev);
        checked.set(done);
        busy.set(true);
        spawn_local(async move {
            let result = ctx.set_action_done(id, done).await;
            // Done items leave the list; on failure the box shows the truth again.
            if !busy.is_disposed() {
                busy.set(false);
                if result.is_err() {
                    checked.set(!done);
                }
                error.set(result.err());
            }
        });
    };
    view! {
        <li role="listitem" class="inbox-item action-item" class:overdue=overdue>
            <p class="inbox-excerpt">{item.text.clone()}</p>
            <div class="inbox-item-meta">
                <span class="inbox-due">"Due " {date_label(due_at)}</span>
                <Show when=overdue>
                    <span class="overdue-badge">"Overdue"</span>
                </Show>
                <label class="checkbox small">
                    <input type="checkbox" prop:checked=move || checked.get()
                        disabled=move || busy.get() on:change=toggle />
                    <span>"Done"</span>
                </label>
            </div>
            <div class="inbox-item-actions">
                <A href=app_href(&href) attr:class="button secondary small">"Open"</A>
            </div>
            {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        </li>
    }
}

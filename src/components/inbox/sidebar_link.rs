//! The sidebar's "Inbox" link with a badge counting what waits on me: the responses I
//! owe and my open action items. Its accessible name starts with "Inbox" and carries
//! the count ("Inbox, 2 waiting on me"); the badge repeats the number for
//! sighted readers.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::base_path::app_href;
use crate::components::urgency::use_urgency;

#[component]
pub fn InboxLink() -> impl IntoView {
    let ctx = use_urgency();
    let count = Memo::new(move |_| ctx.awaiting_count());
    let label = move || match count.get() {
        0 => "Inbox".to_string(),
        n => format!("Inbox, {n} waiting on me"),
    };
    view! {
        <A href=app_href("/inbox") attr:class="inbox-link" attr:aria-label=label>
            <span class="inbox-link-name">"Inbox"</span>
            <Show when=move || count.get() != 0>
                <span class="badge mention" aria-hidden="true">{move || count.get()}</span>
            </Show>
        </A>
    }
}

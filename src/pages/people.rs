//! `/people`: everyone in the workspace, with presence, local time and "Message".

use leptos::prelude::*;

use crate::components::people::person_row::PersonRow;
use crate::contexts::realtime::use_realtime;

#[component]
pub fn PeoplePage() -> impl IntoView {
    let rt = use_realtime();
    let now = RwSignal::new(js_sys::Date::now());
    if let Ok(h) = set_interval_with_handle(
        move || now.set(js_sys::Date::now()),
        std::time::Duration::from_secs(30),
    ) {
        on_cleanup(move || h.clear());
    }
    let people = move || {
        let mut list = rt.people.get();
        list.sort_by_key(|u| u.display_name.to_lowercase());
        list
    };
    view! {
        <section class="people-page">
            <h1>"People"</h1>
            <ul class="person-list">
                <For each=people
                    key=|u| (
                        u.id,
                        u.display_name.clone(),
                        u.status_text.clone(),
                        u.time_zone.clone(),
                    )
                    let:u>
                    <PersonRow user=u now=now />
                </For>
            </ul>
        </section>
    }
}

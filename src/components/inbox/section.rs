//! One titled list of the inbox page; an empty list says so.

use leptos::prelude::*;

#[component]
pub fn InboxSection(
    heading: &'static str,
    id: &'static str,
    #[prop(into)] empty: Signal<bool>,
    empty_text: &'static str,
    children: Children,
) -> impl IntoView {
    let heading_id = format!("{id}-heading");
    let (section_label, list_label) = (heading_id.clone(), heading_id.clone());
    view! {
        <section class="inbox-section" aria-labelledby=section_label>
            <h2 id=heading_id>{heading}</h2>
            <ul class="inbox-list" role="list" aria-labelledby=list_label>
                {children()}
            </ul>
            <Show when=move || empty.get()>
                <p class="muted small inbox-empty">{empty_text}</p>
            </Show>
        </section>
    }
}

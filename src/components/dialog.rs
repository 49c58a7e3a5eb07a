//! A modal dialog: labelled, focus moves into it on open, Escape and the backdrop
//! close it. Content is whatever the caller renders inside. It is rendered at the end of
//! `<body>` (a portal), so no stacking context of the place that opens it (the sticky
//! sidebar, a side panel) can put other parts of the page above it.

use crate::components::icons::{Glyph, Icon};
use leptos::html;
use leptos::portal::Portal;
use leptos::prelude::*;

#[component]
pub fn Dialog(
    /// The visible heading, which also names the dialog.
    #[prop(into)]
    title: String,
    /// Names the dialog without a visible heading (e.g. the quick switcher).
    #[prop(optional)]
    hide_title: bool,
    on_close: Callback<()>,
    #[prop(optional, into)] class: String,
    children: Children,
) -> impl IntoView {
    let node = NodeRef::<html::Div>::new();
    // Focus the first field (or the dialog itself) once it is in the document.
    Effect::new(move |_| {
        if let Some(el) = node.get() {
            let target = el
                .query_selector("input, textarea, select, button:not(.dialog-close)")
                .ok()
                .flatten()
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
            match target {
                Some(t) => {
                    let _ = t.focus();
                }
                None => {
                    let _ = el.focus();
                }
            }
        }
    });
    let id = format!("dialog-{}", uuid::Uuid::new_v4().simple());
    let heading_id = format!("{id}-title");
    // The portal wants a view it can build again; ours is built once, when it mounts.
    let content = StoredValue::new_local(Some(children));
    let body = move || {
        content
            .try_update_value(Option::take)
            .flatten()
            .map(|c| c())
    };
    view! {
        <Portal>
        <div class="dialog-backdrop" on:click=move |_| on_close.run(())></div>
        <div
            node_ref=node
            class=format!("dialog {class}")
            role="dialog"
            aria-modal="true"
            tabindex="-1"
            aria-labelledby=(!hide_title).then(|| heading_id.clone())
            aria-label=hide_title.then(|| title.clone())
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Escape" {
                    ev.stop_propagation();
                    on_close.run(());
                }
            }
        >
            {(!hide_title).then(|| view! {
                <div class="dialog-header">
                    <h2 id=heading_id.clone()>{title.clone()}</h2>
                    <button type="button" class="button ghost small dialog-close"
                        aria-label="Close" title="Close" on:click=move |_| on_close.run(())>
                        <Icon glyph=Glyph::Close />
                    </button>
                </div>
            })}
            {body()}
        </div>
        </Portal>
    }
}

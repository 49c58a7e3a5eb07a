//! The full-size picture: a native modal `<dialog>`, which traps focus, closes on
//! Escape and returns focus to the preview by itself.

use leptos::html::Dialog;
use leptos::prelude::*;

/// Shows `open`'s picture (src, name) while it is `Some`; closing sets it to `None`.
#[component]
pub fn ImageViewer(open: RwSignal<Option<(String, String)>>) -> impl IntoView {
    let dialog = NodeRef::<Dialog>::new();

    // Keep the element's open state in step with the signal.
    Effect::new(move |_| {
        let want_open = open.with(Option::is_some);
        if let Some(el) = dialog.get() {
            if want_open && !el.open() {
                let _ = el.show_modal();
            } else if !want_open && el.open() {
                el.close();
            }
        }
    });

    let name = move || open.with(|o| o.as_ref().map(|(_, n)| n.clone()).unwrap_or_default());
    let src = move || open.with(|o| o.as_ref().map(|(s, _)| s.clone()));

    view! {
        <dialog
            node_ref=dialog
            class="image-viewer"
            aria-label=name
            // Escape (and the Close button) end in `close`; mirror it into the signal.
            on:close=move |_| open.set(None)
            // A click on the backdrop lands on the dialog itself, not its content.
            on:click=move |ev| {
                use wasm_bindgen::JsCast;
                let on_backdrop = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlDialogElement>().ok())
                    .is_some();
                if on_backdrop {
                    open.set(None);
                }
            }
        >
            <div class="image-viewer-body">
                {move || src().map(|src| view! { <img src=src alt=name() /> })}
                <button
                    type="button"
                    class="button secondary"
                    autofocus=true
                    on:click=move |_| open.set(None)
                >
                    "Close"
                </button>
            </div>
        </dialog>
    }
}

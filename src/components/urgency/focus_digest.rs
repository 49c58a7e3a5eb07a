//! Ends focus time with one digest: while my availability says "in focus", message
//! notifications that are not Critical are held (`notifications::message`); when it
//! says otherwise again, one toast and one desktop notification tell how many arrived.

use leptos::prelude::*;
use tandem_protocol::working_hours::AvailabilityState;

use super::context::use_urgency;
use crate::components::icons::{Glyph, Icon};
use crate::contexts::availability::AvailabilityContext;
use crate::notifications::digest::digest_text;

/// How long the toast stays unless dismissed.
const TOAST_MS: u64 = 60_000;

#[component]
pub fn FocusDigest() -> impl IntoView {
    let ctx = use_urgency();
    let me = ctx.me;
    if let Some(availability) = use_context::<AvailabilityContext>() {
        let in_focus = Memo::new(move |_| {
            availability
                .of(me)
                .is_some_and(|a| a.state == AvailabilityState::InFocus)
        });
        Effect::new(move |_| {
            if let Some(count) = crate::notifications::set_in_focus(in_focus.get()) {
                let text = digest_text(count);
                crate::notifications::show("Tandem", &text, "focus-digest");
                ctx.digest.set(Some(text.clone()));
                set_timeout(
                    move || {
                        // Only this digest: a newer one keeps its own minute.
                        if ctx.digest.try_get_untracked().flatten().as_deref()
                            == Some(text.as_str())
                        {
                            ctx.digest.set(None);
                        }
                    },
                    std::time::Duration::from_millis(TOAST_MS),
                );
            }
        });
    }
    // Signed out (or another account next): nothing carries over.
    on_cleanup(|| {
        let _ = crate::notifications::set_in_focus(false);
    });
    // The live region stays in the page so the text is announced when it appears; the
    // dismiss button sits beside it, so the status's text is the digest alone.
    view! {
        <div class="focus-digest" class:shown=move || ctx.digest.with(Option::is_some)>
            <p class="focus-digest-text" role="status">{move || ctx.digest.get()}</p>
            <Show when=move || ctx.digest.with(Option::is_some)>
                <button type="button" class="button ghost small" aria-label="Dismiss digest"
                    title="Dismiss digest" on:click=move |_| ctx.digest.set(None)>
                    <Icon glyph=Glyph::Close />
                </button>
            </Show>
        </div>
    }
}

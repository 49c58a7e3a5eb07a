//! `<select>` of the three urgency tiers, used by the composer ("Urgency") and the
//! channel settings ("Default urgency").

use leptos::prelude::*;
use tandem_protocol::urgency::Urgency;

#[component]
pub fn UrgencySelect(
    /// The accessible name.
    label: &'static str,
    #[prop(into)] value: Signal<Urgency>,
    on_change: Callback<Urgency>,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    view! {
        <select
            class="urgency-select"
            aria-label=label
            disabled=move || disabled.get()
            on:change=move |ev| {
                if let Some(u) = parse(&event_target_value(&ev)) {
                    on_change.run(u);
                }
            }
        >
            {Urgency::ALL.map(|u| view! {
                <option value=key(u) prop:selected=move || value.get() == u>{u.label()}</option>
            })}
        </select>
    }
}

fn key(u: Urgency) -> &'static str {
    match u {
        Urgency::Critical => "critical",
        Urgency::Standard => "standard",
        Urgency::Low => "low",
    }
}

fn parse(value: &str) -> Option<Urgency> {
    Urgency::ALL.into_iter().find(|u| key(*u) == value)
}

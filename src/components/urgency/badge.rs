//! The urgency label on messages and inbox items. Standard is the norm, so messages
//! only label Critical and Low; the inbox labels every item.

use leptos::prelude::*;
use tandem_protocol::urgency::Urgency;

#[component]
pub fn UrgencyBadge(
    urgency: Urgency,
    /// Label Standard too.
    #[prop(optional)]
    always: bool,
) -> impl IntoView {
    let class = match urgency {
        Urgency::Critical => "urgency-badge critical",
        Urgency::Standard => "urgency-badge standard",
        Urgency::Low => "urgency-badge low",
    };
    (always || urgency != Urgency::Standard)
        .then(|| view! { <span class=class>{urgency.label()}</span> })
}

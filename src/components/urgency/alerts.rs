//! Everything the async bridge overlays on the shell: the Critical ring and the focus
//! digest. Mounted once in the workspace shell.

use leptos::prelude::*;

use super::critical_ring::CriticalRing;
use super::focus_digest::FocusDigest;

#[component]
pub fn UrgencyAlerts() -> impl IntoView {
    view! {
        <CriticalRing />
        <FocusDigest />
    }
}

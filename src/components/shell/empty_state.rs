//! What the main pane shows while the workspace has no channels.

use leptos::prelude::*;

#[component]
pub fn EmptyState(is_admin: bool) -> impl IntoView {
    view! {
        <section class="empty-state" aria-labelledby="empty-heading">
            <div class="empty-art" aria-hidden="true"></div>
            <h1 id="empty-heading">"No channels yet"</h1>
            <p>
                "Channels are coming soon to Tandem. Until then, set a status so your team "
                "knows what you are up to, and see theirs in the sidebar."
            </p>
            {is_admin.then(|| view! {
                <p class="muted">"Invite your team from Workspace settings."</p>
            })}
        </section>
    }
}

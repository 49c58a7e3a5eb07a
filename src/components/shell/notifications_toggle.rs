//! "Enable desktop notifications": asks the browser only when clicked.

use leptos::prelude::*;

use crate::notifications::{self, Permission};

#[component]
pub fn NotificationsToggle() -> impl IntoView {
    let permission = RwSignal::new(notifications::permission());
    let ask = Action::new_local(move |_: &()| async move {
        permission.set(notifications::request().await);
    });
    move || match permission.get() {
        Permission::Default => Some(
            view! {
                <button type="button" class="button ghost small"
                    on:click=move |_| { ask.dispatch(()); }>
                    "Enable desktop notifications"
                </button>
            }
            .into_any(),
        ),
        Permission::Denied => Some(
            view! {
                <p class="muted small">"Desktop notifications are blocked in this browser."</p>
            }
            .into_any(),
        ),
        Permission::Granted | Permission::Unsupported => None,
    }
}

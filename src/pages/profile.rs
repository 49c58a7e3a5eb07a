//! `/settings/profile`: my display name, and the devices signed in to my account.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use tandem_protocol::api::{validate_display_name, UpdateProfileRequest};

use crate::base_path::app_href;
use crate::components::form::error_message::{ErrorMessage, FormError};
use crate::components::form::field::Field;
use crate::components::people::devices::SignedInDevices;
use crate::contexts::session::use_session;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let session = use_session();
    let display_name = RwSignal::new(
        session
            .user_untracked()
            .map(|u| u.display_name)
            .unwrap_or_default(),
    );
    let errors = FormError::new(&["display_name"]);
    let saved = RwSignal::new(false);

    // Everyone (this tab included) hears the change as `profile_updated`.
    let save = Action::new_local(move |req: &UpdateProfileRequest| {
        let (api, req) = (session.authorized_untracked(), req.clone());
        async move {
            let Some(api) = api else { return };
            match api.update_profile(&req).await {
                Ok(user) => {
                    display_name.set(user.display_name);
                    saved.set(true);
                }
                Err(e) => errors.set(Some(e)),
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let name = display_name.get_untracked().trim().to_string();
        if let Err(e) = validate_display_name(&name) {
            errors.set(Some(e.into()));
            return;
        }
        errors.set(None);
        save.dispatch(UpdateProfileRequest {
            display_name: Some(name),
            time_zone: None,
        });
    };

    view! {
        <section class="profile-page" aria-labelledby="profile-heading">
            <h1 id="profile-heading">"Profile"</h1>
            <form on:submit=on_submit novalidate=true class="profile-form">
                <Field id="display_name" label="Display name" autocomplete="name"
                    value=display_name error=errors.field("display_name")
                    maxlength=tandem_protocol::api::MAX_DISPLAY_NAME_CHARS required=true />
                <ErrorMessage message=errors.general() />
                <button type="submit" class="button primary"
                    disabled=move || save.pending().get()>
                    "Save profile"
                </button>
                <Show when=move || saved.get()>
                    <p class="note" role="status">"Profile saved."</p>
                </Show>
            </form>
            <p class="muted">
                "Your time zone is set with your "
                <A href=app_href("/settings/working-hours")>"working hours"</A>"."
            </p>
            <SignedInDevices />
        </section>
    }
}

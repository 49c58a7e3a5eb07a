//! `/join/:token`: sign-up with the invite token carried along.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::pages::signup::SignupForm;

#[component]
pub fn JoinPage() -> impl IntoView {
    let params = use_params_map();
    // Keyed on the token so following another invite link re-creates the form.
    move || {
        let token = params.with(|p| p.get("token")).filter(|t| !t.is_empty());
        view! { <SignupForm invite_token=token /> }
    }
}

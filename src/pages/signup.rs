//! `/signup`, and the form `/join/:token` reuses.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::{Redirect, A};
use tandem_protocol::api::{SignupPolicy, SignupRequest};

use crate::app::Loading;
use crate::base_path::app_href;
use crate::components::form::error_message::{ErrorMessage, FormError};
use crate::components::form::field::Field;
use crate::contexts::session::use_session;

#[component]
pub fn SignupPage() -> impl IntoView {
    view! { <SignupForm invite_token=None /> }
}

/// What the page says above the form, decided by the server's sign-up policy.
fn heading(policy: Option<&SignupPolicy>, invited: bool) -> String {
    match policy {
        Some(p) if p.first_account => "Set up your workspace".into(),
        Some(p) if invited => format!("Join {}", p.workspace_name),
        _ => "Create your account".into(),
    }
}

#[component]
pub fn SignupForm(invite_token: Option<String>) -> impl IntoView {
    let session = use_session();
    let policy = LocalResource::new(move || {
        let api = session.unauthorized();
        async move { api.signup_policy().await }
    });
    let invited = invite_token.is_some();
    let invite_token = StoredValue::new(invite_token);

    let display_name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let setup_code = RwSignal::new(String::new());
    let errors = FormError::new(&["display_name", "email", "password", "setup_code"]);
    // A brand-new server asks the first account for the code on its console.
    let needs_setup_code = Signal::derive(move || {
        policy
            .get()
            .and_then(Result::ok)
            .is_some_and(|p| p.needs_setup_code)
    });

    let signup = Action::new_local(move |req: &SignupRequest| {
        let (api, req) = (session.unauthorized(), req.clone());
        async move {
            match api.signup(&req).await {
                Ok(authorized) => session.sign_in(authorized),
                Err(e) => errors.set(Some(e)),
            }
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let req = SignupRequest {
            display_name: display_name.get_untracked().trim().to_string(),
            email: email.get_untracked().trim().to_string(),
            password: password.get_untracked(),
            invite_token: invite_token.get_value(),
            time_zone: crate::time::browser_time_zone(),
            setup_code: needs_setup_code
                .get_untracked()
                .then(|| setup_code.get_untracked().trim().to_string()),
        };
        if let Err(e) = req.validate() {
            errors.set(Some(e.into()));
            return;
        }
        errors.set(None);
        signup.dispatch(req);
    };

    let body = move |policy: Result<SignupPolicy, crate::api::Error>| {
        let (policy, load_error) = match policy {
            Ok(p) => (Some(p), None),
            Err(e) => (None, Some(e.message())),
        };
        let first = policy.as_ref().is_some_and(|p| p.first_account);
        let needs_invite = policy
            .as_ref()
            .is_some_and(|p| !p.first_account && !p.open_signup);
        view! {
            <h1>{heading(policy.as_ref(), invited)}</h1>
            {first.then(|| view! {
                <p class="note">
                    "You are the first person here, so this account becomes the workspace admin."
                </p>
                <p class="note">
                    "To prove you run this server, enter the setup code it printed on its console."
                </p>
            })}
            {(needs_invite && !invited).then(|| view! {
                <p class="note">
                    "This workspace is invite-only. Ask an admin for an invite link."
                </p>
            })}
            {load_error.map(|m| view! { <p class="alert" role="alert">{m}</p> })}
        }
    };

    view! {
        {move || session.user_id().map(|_| view! { <Redirect path="/" /> })}
        <main class="auth-page">
            <div class="card">
                <p class="brand" aria-hidden="true"><span class="logo"></span>"Tandem"</p>
                <Suspense fallback=|| view! { <Loading label="Loading…" /> }>
                    {move || policy.get().map(body)}
                </Suspense>
                <form on:submit=on_submit novalidate=true>
                    <Show when=move || needs_setup_code.get()>
                        <Field id="setup_code" label="Setup code" autocomplete="off"
                            value=setup_code error=errors.field("setup_code")
                            maxlength=tandem_protocol::api::MAX_SETUP_CODE_CHARS required=true
                            hint="Printed on the server's console when it started." />
                    </Show>
                    <Field id="display_name" label="Display name" autocomplete="name"
                        value=display_name error=errors.field("display_name")
                        maxlength=tandem_protocol::api::MAX_DISPLAY_NAME_CHARS required=true />
                    <Field id="email" label="Email" kind="email" autocomplete="email"
                        value=email error=errors.field("email") required=true />
                    <Field id="password" label="Password" kind="password"
                        autocomplete="new-password" value=password
                        error=errors.field("password") required=true
                        hint="At least 8 characters." />
                    <ErrorMessage message=errors.general() />
                    <button type="submit" class="button primary wide"
                        disabled=move || signup.pending().get()
                        aria-busy=move || signup.pending().get().to_string()>
                        "Sign up"
                    </button>
                </form>
                <p class="switch">
                    "Already have an account? " <A href=app_href("/login")>"Log in"</A>
                </p>
            </div>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(first_account: bool) -> SignupPolicy {
        SignupPolicy {
            first_account,
            open_signup: false,
            workspace_name: "Acme".into(),
            needs_setup_code: first_account,
        }
    }

    #[test]
    fn heading_follows_policy() {
        assert_eq!(heading(Some(&policy(true)), false), "Set up your workspace");
        assert_eq!(heading(Some(&policy(false)), true), "Join Acme");
        assert_eq!(heading(Some(&policy(false)), false), "Create your account");
        assert_eq!(heading(None, true), "Create your account");
    }
}

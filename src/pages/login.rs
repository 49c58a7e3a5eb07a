//! `/login`.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_query_map;
use tandem_protocol::api::{validate_email, LoginRequest};
use tandem_protocol::{ApiError, ErrorCode};

use crate::base_path::app_href;
use crate::components::form::error_message::{ErrorMessage, FormError};
use crate::components::form::field::Field;
use crate::contexts::session::use_session;

/// Only same-app paths: an open redirect to another site would be a phishing aid.
pub fn safe_next(next: Option<String>) -> String {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.starts_with("/login") => p,
        _ => "/".to_string(),
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let next = Memo::new(move |_| safe_next(query.with(|q| q.get("next"))));
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = FormError::new(&["email", "password"]);
    // A brand-new install has nobody to log in as: send the first visitor straight to
    // setting up the workspace.
    let policy = LocalResource::new(move || {
        let api = session.unauthorized();
        async move { api.signup_policy().await.ok() }
    });
    let first_run = move || policy.get().flatten().is_some_and(|p| p.first_account);

    let login = Action::new_local(move |req: &LoginRequest| {
        let (api, req) = (session.unauthorized(), req.clone());
        async move {
            match api.login(&req).await {
                // Signing in re-renders this page into a redirect to `next`.
                Ok(authorized) => session.sign_in(authorized),
                Err(e) => errors.set(Some(e)),
            }
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let req = LoginRequest {
            email: email.get_untracked().trim().to_string(),
            password: password.get_untracked(),
        };
        if let Err(e) = validate_email(&req.email) {
            errors.set(Some(e.into()));
            return;
        }
        if req.password.is_empty() {
            let e = ApiError::new(ErrorCode::Validation, "Please enter your password.")
                .with_field("password");
            errors.set(Some(e.into()));
            return;
        }
        errors.set(None);
        login.dispatch(req);
    };

    view! {
        {move || session.user_id().map(|_| view! { <Redirect path=next.get_untracked() /> })}
        {move || first_run().then(|| view! { <Redirect path="/signup" /> })}
        <main class="auth-page">
            <div class="card">
                <p class="brand" aria-hidden="true"><span class="logo"></span>"Tandem"</p>
                <h1>"Log in"</h1>
                <form on:submit=on_submit novalidate=true>
                    <Field id="email" label="Email" kind="email" autocomplete="email"
                        value=email error=errors.field("email") required=true />
                    <Field id="password" label="Password" kind="password"
                        autocomplete="current-password" value=password
                        error=errors.field("password") required=true />
                    <ErrorMessage message=errors.general() />
                    <button type="submit" class="button primary wide"
                        disabled=move || login.pending().get()
                        aria-busy=move || login.pending().get().to_string()>
                        "Log in"
                    </button>
                </form>
                <p class="switch">
                    "New here? " <A href=app_href("/signup")>"Create an account"</A>
                </p>
            </div>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_inside_the_app() {
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some("/settings".into())), "/settings");
        assert_eq!(safe_next(Some("//evil.example".into())), "/");
        assert_eq!(safe_next(Some("https://evil.example".into())), "/");
        assert_eq!(safe_next(Some("/login".into())), "/");
    }
}

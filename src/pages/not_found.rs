//! Any path no route matches.

use crate::base_path::app_href;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <main class="auth-page">
            <div class="card center">
                <p class="brand" aria-hidden="true"><span class="logo"></span>"Tandem"</p>
                <h1>"Page not found"</h1>
                <p>
                    "There is nothing at this address. \
                     It may have moved, or the link may be mistyped."
                </p>
                <A href=app_href("/") attr:class="button primary">"Go to Tandem"</A>
            </div>
        </main>
    }
}

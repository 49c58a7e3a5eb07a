//! The search field: Enter opens `/search?q=…`. On the results page it shows the
//! query being viewed, so refining it is one edit away.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

use super::results::search_href;

#[component]
pub fn SearchBox() -> impl IntoView {
    let query = use_query_map();
    let location = use_location();
    let navigate = use_navigate();
    let text = RwSignal::new(String::new());
    // Unique in case a layout ever shows the box twice.
    let input_id = format!("search-{}", uuid::Uuid::new_v4().simple());

    // Follows the URL (also on back/forward); elsewhere `q` means nothing to us.
    Effect::new(move |_| {
        let on_results = location
            .pathname
            .with(|p| p.trim_end_matches('/').ends_with("/search"));
        if on_results {
            text.set(query.with(|q| q.get("q").unwrap_or_default()));
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(href) = search_href(&text.get_untracked()) {
            navigate(&href, Default::default());
        }
    };

    view! {
        <form class="search-box" role="search" on:submit=submit>
            <label for=input_id.clone() class="visually-hidden">"Search messages"</label>
            <span class="search-icon" aria-hidden="true"></span>
            <input
                id=input_id
                type="search"
                name="q"
                placeholder="Search"
                autocomplete="off"
                enterkeyhint="search"
                bind:value=text
            />
        </form>
    }
}

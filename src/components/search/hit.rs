//! One search result: where and who, when, and the matching words marked.

use leptos::prelude::*;
use leptos_router::components::A;
use tandem_protocol::chat::{SearchHit, SnippetPart};

use super::results::{hit_href, snippet_parts};
use crate::base_path::app_href;
use crate::components::send_later::clock::format_when;

#[component]
pub fn SearchHitItem(hit: SearchHit, channel: String, author: String) -> impl IntoView {
    let href = hit_href(hit.message.channel_id, hit.message.id);
    let iso =
        String::from(js_sys::Date::new(&(hit.message.created_at as f64).into()).to_iso_string());
    let when = format_when(hit.message.created_at);
    let parts = snippet_parts(&hit);
    view! {
        <li class="search-hit">
            <A href=app_href(&href) attr:class="search-hit-link">
                <span class="hit-meta">
                    <span class="hit-channel">{channel}</span>
                    <span class="hit-author">{author}</span>
                    <time class="hit-time muted small" datetime=iso>{when}</time>
                </span>
                <Snippet parts />
            </A>
        </li>
    }
}

/// Highlighted parts become `<mark>`; every part is text, never markup.
#[component]
pub fn Snippet(parts: Vec<SnippetPart>) -> impl IntoView {
    view! {
        <span class="hit-snippet">
            {parts
                .into_iter()
                .map(|p| {
                    if p.highlight {
                        view! { <mark>{p.text}</mark> }.into_any()
                    } else {
                        p.text.into_any()
                    }
                })
                .collect_view()}
        </span>
    }
}

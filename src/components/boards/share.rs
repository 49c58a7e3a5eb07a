//! "Share read-only link": makes a link that lasts until revoked and shows it in a
//! read-only textbox with "Copy link". Whoever opens it (a workspace member, or a
//! guest of the board's meeting) watches the board live but cannot draw.

use leptos::prelude::*;
use leptos::task::spawn_local;
use tandem_protocol::boards::BoardId;

use super::clipboard::copy_text;
use crate::api::AuthorizedApi;

/// `<origin><base>/board-links/<token>`: `document_base()` is the absolute
/// `<base href>`, so this works when the app is served from a sub-path.
pub fn board_link_url(document_base: &str, token: &str) -> String {
    format!(
        "{}/board-links/{token}",
        document_base.trim_end_matches('/')
    )
}

#[component]
pub fn ShareLink(board_id: BoardId, api: AuthorizedApi) -> impl IntoView {
    let link = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let copied = RwSignal::new(None::<bool>);
    let api = StoredValue::new(api);
    let create = Action::new_local(move |_: &()| {
        let api = api.get_value();
        async move {
            match api.create_link(board_id, None).await {
                Ok(l) => {
                    let base =
                        crate::config::document_base().unwrap_or_else(crate::config::page_origin);
                    link.set(Some(board_link_url(&base, &l.token)));
                    error.set(None);
                    copied.set(None);
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    let copy = move |_| {
        let Some(url) = link.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let ok = copy_text(&url).await;
            if !copied.is_disposed() {
                copied.set(Some(ok));
            }
        });
    };
    view! {
        <div class="board-share">
            <button type="button" class="button secondary small" disabled=move || create.pending().get()
                on:click=move |_| { create.dispatch(()); }>"Share read-only link"</button>
            {move || link.get().map(|url| view! {
                <div class="board-share-link">
                    <input type="text" readonly=true aria-label="Read-only link" prop:value=url
                        on:focus=move |ev| {
                            if let Some(el) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlInputElement>(&event_target::<web_sys::EventTarget>(&ev)) {
                                el.select();
                            }
                        } />
                    <button type="button" class="button primary small" on:click=copy>"Copy link"</button>
                    <span class="small" role="status">{move || match copied.get() {
                        Some(true) => "Copied",
                        Some(false) => "Copy it from the box: the browser did not allow copying.",
                        None => "",
                    }}</span>
                </div>
            })}
            {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_include_the_apps_base_path() {
        assert_eq!(
            board_link_url("http://x.test/", "tok"),
            "http://x.test/board-links/tok"
        );
        assert_eq!(
            board_link_url("https://x.test/chat/", "tok"),
            "https://x.test/chat/board-links/tok"
        );
        assert_eq!(
            board_link_url("https://x.test", "tok"),
            "https://x.test/board-links/tok"
        );
    }
}

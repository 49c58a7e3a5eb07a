//! "Share read-only link": makes a link that lasts a week (or until revoked) and shows
//! it in a read-only textbox with "Copy link" — only then: the server keeps a hash of
//! its secret, so the list below cannot show it again. Whoever opens it (a workspace member, or a
//! guest of the board's meeting) watches the board live but cannot draw. Below, the
//! board's active links (`links_list`), each with "Revoke link".

use leptos::prelude::*;
use leptos::task::spawn_local;
use tandem_protocol::boards::{BoardId, BoardLink};
use uuid::Uuid;

use super::clipboard::copy_text;
use super::links_list::LinksList;
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
    // The link just made, shown for copying until it is revoked: (its id, its URL).
    let shown = RwSignal::new(None::<(Uuid, String)>);
    // Every link of the board as the server listed it (the list shows the active ones).
    let links = RwSignal::new(Vec::<BoardLink>::new());
    let error = RwSignal::new(None::<String>);
    let copied = RwSignal::new(None::<bool>);
    let api = StoredValue::new(api);

    let load = Action::new_local(move |_: &()| {
        let api = api.get_value();
        async move {
            match api.links(board_id).await {
                Ok(list) => links.set(list),
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    load.dispatch(());

    let create = Action::new_local(move |_: &()| {
        let api = api.get_value();
        async move {
            match api.create_link(board_id, None).await {
                Ok(created) => {
                    let base =
                        crate::config::document_base().unwrap_or_else(crate::config::page_origin);
                    let url = board_link_url(&base, &created.token);
                    shown.set(Some((created.link.id, url)));
                    links.update(|list| list.insert(0, created.link));
                    error.set(None);
                    copied.set(None);
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });

    let revoke = Action::new_local(move |link_id: &Uuid| {
        let (api, link_id) = (api.get_value(), *link_id);
        async move {
            match api.revoke_link(board_id, link_id).await {
                Ok(()) => {
                    error.set(None);
                    links.update(|list| list.retain(|l| l.id != link_id));
                    if shown.with(|s| s.as_ref().is_some_and(|(id, _)| *id == link_id)) {
                        shown.set(None);
                    }
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    let on_revoke = Callback::new(move |link_id: Uuid| {
        revoke.dispatch(link_id);
    });

    let copy = move |_| {
        let Some((_, url)) = shown.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let ok = copy_text(&url).await;
            if !copied.is_disposed() {
                copied.set(Some(ok));
            }
        });
    };
    // Changes only when another link is shown, so the textbox is not remade otherwise.
    let url = Memo::new(move |_| shown.with(|s| s.as_ref().map(|(_, url)| url.clone())));
    view! {
        <div class="board-share">
            <button type="button" class="button secondary small"
                disabled=move || create.pending().get()
                on:click=move |_| { create.dispatch(()); }>"Share read-only link"</button>
            {move || url.get().map(|url| view! {
                <div class="board-share-link">
                    <input type="text" readonly=true aria-label="Read-only link" prop:value=url
                        on:focus=move |ev| {
                            use wasm_bindgen::JsCast;
                            let target = event_target::<web_sys::EventTarget>(&ev);
                            if let Some(el) = target.dyn_ref::<web_sys::HtmlInputElement>() {
                                el.select();
                            }
                        } />
                    <button type="button" class="button primary small" on:click=copy>
                        "Copy link"
                    </button>
                    <span class="small" role="status">{move || match copied.get() {
                        Some(true) => "Copied",
                        Some(false) => "Copy it from the box: the browser did not allow copying.",
                        None => "",
                    }}</span>
                </div>
            })}
            <LinksList links on_revoke revoking=revoke.pending() />
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

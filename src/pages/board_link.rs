//! `/board-links/:token`: a board opened through a read-only link. Anyone signed in
//! watches it live; nobody draws through a link.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use tandem_protocol::boards::Board;
use tandem_protocol::ErrorCode;

use crate::api::Error;
use crate::app::Loading;
use crate::base_path::app_href;
use crate::components::boards::directory::use_board_directory;
use crate::components::whiteboard::BoardView;
use crate::contexts::chat::use_chat;

/// What to tell someone whose link does not lead to a board.
fn link_problem(error: &Error) -> String {
    match error {
        Error::Api(e) if e.code == ErrorCode::Gone => {
            "This link has expired or was revoked.".into()
        }
        Error::Api(e) if e.code == ErrorCode::NotFound => "This link does not exist.".into(),
        e => e.message(),
    }
}

#[component]
pub fn BoardLinkPage() -> impl IntoView {
    let params = use_params_map();
    let token = Memo::new(move |_| params.with(|p| p.get("token").unwrap_or_default()));
    move || {
        let token = token.get();
        view! { <LinkedBoard token /> }
    }
}

#[component]
fn LinkedBoard(token: String) -> impl IntoView {
    let chat = use_chat();
    let dir = use_board_directory();
    let resolved = RwSignal::new(None::<Result<Board, Error>>);
    let api = chat.api();
    let lookup = token.clone();
    spawn_local(async move {
        let result = api.resolve_link(&lookup).await;
        if !resolved.is_disposed() {
            resolved.set(Some(result));
        }
    });
    // Only whether it resolved (and to which board): the title is read separately, so a
    // rename does not remount the board.
    let outcome = Memo::new(move |_| {
        resolved.with(|r| {
            r.as_ref()
                .map(|r| r.as_ref().map(|b| b.id).map_err(link_problem))
        })
    });
    let title = Memo::new(move |_| {
        let id = outcome.with(|o| o.as_ref().and_then(|o| o.as_ref().ok().copied()))?;
        dir.and_then(|d| d.board(id))
            .or_else(|| resolved.with(|r| r.as_ref().and_then(|r| r.as_ref().ok().cloned())))
            .map(|b| b.title)
    });
    let deleted = Memo::new(move |_| {
        let id = outcome.with(|o| o.as_ref().and_then(|o| o.as_ref().ok().copied()));
        id.is_some_and(|id| dir.is_some_and(|d| d.is_deleted(id)))
    });

    move || match outcome.get() {
        None => view! { <Loading label="Opening the board…" /> }.into_any(),
        Some(Err(message)) => view! {
            <section class="board-page">
                <h1>"Board"</h1>
                <p class="alert" role="alert">{message}</p>
                <A href=app_href("/")>"Back to Tandem"</A>
            </section>
        }
        .into_any(),
        Some(Ok(board_id)) => {
            let token = token.clone();
            view! {
                <section class="board-page" aria-labelledby="board-heading">
                    <header class="board-page-header">
                        <div class="board-page-title">
                            <h1 id="board-heading">{move || title.get().unwrap_or_default()}</h1>
                            <p class="board-view-only">
                                "View only: you can watch this board, not draw on it."
                            </p>
                        </div>
                    </header>
                    <Show when=move || !deleted.get()
                        fallback=|| view! {
                            <p class="alert" role="alert">"This board was deleted."</p>
                        }>
                        <BoardView board_id link_token=token.clone() />
                    </Show>
                </section>
            }
            .into_any()
        }
    }
}

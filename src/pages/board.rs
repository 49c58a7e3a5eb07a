//! `/boards/:id`: one board, full width inside the workspace shell: its title, the way
//! back to its channel, rename and sharing for members, and the drawing surface.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use tandem_protocol::api::Role;
use tandem_protocol::boards::{Board, BoardId};
use tandem_protocol::ErrorCode;

use crate::api::Error;
use crate::app::Loading;
use crate::base_path::app_href;
use crate::components::boards::directory::use_board_directory;
use crate::components::boards::rename::RenameBoard;
use crate::components::boards::share::ShareLink;
use crate::components::whiteboard::BoardView;
use crate::contexts::chat::names::title as channel_title;
use crate::contexts::chat::use_chat;

#[component]
pub fn BoardPage() -> impl IntoView {
    let params = use_params_map();
    let id =
        Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<BoardId>().ok())));
    move || match id.get() {
        Some(id) => view! { <BoardScreen id /> }.into_any(),
        None => view! { <BoardProblem message="There is no such board.".into() /> }.into_any(),
    }
}

/// What the page shows; the board's own fields (title) are read separately, so a
/// rename never remounts the drawing surface.
#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Loading,
    Ready,
    Deleted,
    Failed(String),
}

fn problem_text(error: &Error) -> String {
    match error {
        Error::Api(e) if e.code == ErrorCode::NotFound => {
            "This board does not exist or was deleted.".into()
        }
        Error::Api(e) if e.code == ErrorCode::Forbidden => {
            "You don't have access to this board.".into()
        }
        e => e.message(),
    }
}

#[component]
fn BoardScreen(id: BoardId) -> impl IntoView {
    let chat = use_chat();
    let dir = use_board_directory();
    let fetched = RwSignal::new(None::<Result<Board, Error>>);
    let api = chat.api();
    spawn_local(async move {
        let result = api.board(id).await;
        if fetched.is_disposed() {
            return;
        }
        if let (Ok(board), Some(dir)) = (&result, dir) {
            dir.remember(board.clone());
        }
        fetched.set(Some(result));
    });
    // The directory has the live version (renames by others); the fetch is the start.
    let board = Memo::new(move |_| {
        dir.and_then(|d| d.board(id))
            .or_else(|| fetched.with(|f| f.as_ref().and_then(|r| r.as_ref().ok().cloned())))
    });
    let phase = Memo::new(move |_| {
        if dir.is_some_and(|d| d.is_deleted(id)) {
            return Phase::Deleted;
        }
        match fetched.with(|f| f.as_ref().map(|r| r.as_ref().err().map(problem_text))) {
            None => Phase::Loading,
            Some(Some(message)) => Phase::Failed(message),
            Some(None) => Phase::Ready,
        }
    });
    let channel_id = Memo::new(move |_| board.with(|b| b.as_ref().map(|b| b.channel_id)));

    move || match phase.get() {
        Phase::Loading => view! { <Loading label="Loading board…" /> }.into_any(),
        Phase::Failed(message) => view! { <BoardProblem message /> }.into_any(),
        Phase::Deleted => view! {
            <section class="board-page">
                <p class="alert" role="alert">"This board was deleted."</p>
                {move || channel_id.get().map(|c| view! {
                    <A href=app_href(&format!("/c/{c}"))>"Back to the channel"</A>
                })}
            </section>
        }
        .into_any(),
        Phase::Ready => view! { <BoardHeaderAndView id board /> }.into_any(),
    }
}

#[component]
fn BoardHeaderAndView(id: BoardId, board: Memo<Option<Board>>) -> impl IntoView {
    let chat = use_chat();
    let title =
        Memo::new(move |_| board.with(|b| b.as_ref().map(|b| b.title.clone()).unwrap_or_default()));
    let channel = Memo::new(move |_| {
        let channel_id = board.with(|b| b.as_ref().map(|b| b.channel_id))?;
        let mine = chat.my_channel(channel_id);
        let name = mine.as_ref().map(|c| {
            chat.rt
                .people
                .with(|p| channel_title(&c.channel, p, chat.me))
        });
        Some((channel_id, name))
    });
    // Members of the channel draw, rename and share (the server checks the same).
    let may_edit = Memo::new(move |_| {
        let member = channel.with(|c| c.as_ref().is_some_and(|(_, name)| name.is_some()));
        member && chat.api().user().role != Role::Guest
    });
    let renaming = RwSignal::new(false);
    let on_renamed = Callback::new(move |_| renaming.set(false));

    view! {
        <section class="board-page" aria-labelledby="board-heading">
            <header class="board-page-header">
                <div class="board-page-title">
                    {move || channel.get().map(|(channel_id, name)| {
                        let text = match name {
                            Some(name) => format!("Back to {name}"),
                            None => "Back to the channel".to_string(),
                        };
                        view! {
                            <A href=app_href(&format!("/c/{channel_id}")) attr:class="board-back">
                                {text}
                            </A>
                        }
                    })}
                    <h1 id="board-heading">{move || title.get()}</h1>
                </div>
                <Show when=move || may_edit.get()>
                    <div class="board-page-actions">
                        <Show when=move || renaming.get()
                            fallback=move || view! {
                                <button type="button" class="button secondary small"
                                    on:click=move |_| renaming.set(true)>"Rename board"</button>
                            }>
                            <RenameBoard board_id=id title=title.get_untracked() api=chat.api()
                                on_done=on_renamed />
                        </Show>
                        <ShareLink board_id=id api=chat.api() />
                    </div>
                </Show>
            </header>
            <BoardView board_id=id />
        </section>
    }
}

#[component]
fn BoardProblem(message: String) -> impl IntoView {
    view! {
        <section class="board-page">
            <h1>"Board"</h1>
            <p class="alert" role="alert">{message}</p>
            <A href=app_href("/")>"Back to Tandem"</A>
        </section>
    }
}

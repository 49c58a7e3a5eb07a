//! A live board: toolbar, pages, the drawing surface, who is here, and a text
//! description of the page for screen readers.

use leptos::prelude::*;
use tandem_protocol::boards::BoardId;

use super::canvas::DrawingSurface;
use super::editor::Editor;
use super::pages::PageTabs;
use super::people::PeopleList;
use super::toolbar::Toolbar;
use crate::contexts::boards::{use_board_hub, BoardSession, Status};
use crate::contexts::realtime::RealtimeContext;

/// `link_token`: opened through a read-only link. `compact`: the narrow layout of the
/// meeting side panel (same controls and names).
#[component]
pub fn BoardView(
    board_id: BoardId,
    #[prop(optional)] link_token: Option<String>,
    #[prop(optional)] compact: bool,
) -> impl IntoView {
    let Some(rt) = use_context::<RealtimeContext>() else {
        return view! {
            <section class="board" aria-label="Whiteboard">
                <p role="alert">"The whiteboard needs a live connection."</p>
            </section>
        }
        .into_any();
    };
    let session = BoardSession::open(use_board_hub(), rt, board_id, link_token);
    let editor = Editor::new(session);
    let ready = Memo::new(move |_| session.status.with(|s| *s == Status::Ready));
    let problem = Memo::new(move |_| match session.status.get() {
        // The server closes a board when it is deleted or when access ends (a revoked link).
        Status::Deleted => {
            Some("This board is closed: it was deleted, or your access to it ended.".to_string())
        }
        Status::Failed(message) => Some(message),
        Status::Loading | Status::Ready => None,
    });
    let alert = move || editor.error.get().or_else(|| session.alert.get());

    view! {
        <section class="board" class:board--compact=compact aria-label="Whiteboard">
            <Show
                when=move || ready.get()
                fallback=move || view! {
                    <Show when=move || problem.with(Option::is_none)>
                        <p class="board-loading">"Loading board…"</p>
                    </Show>
                }
            >
                <Toolbar editor />
                <PageTabs editor />
                <div class="board-body">
                    <DrawingSurface editor />
                    <PeopleList editor />
                </div>
            </Show>
            {move || problem.get().map(|message| view! {
                <p class="board-alert" role="alert">{message}</p>
            })}
            {move || alert().map(|message| view! {
                <p class="board-alert" role="alert">{message}</p>
            })}
            <p role="status" aria-label="Board contents" class="visually-hidden">
                {move || editor.summary.get()}
            </p>
        </section>
    }
    .into_any()
}

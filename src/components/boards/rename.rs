//! Renaming a board in place (board list rows and the board page): a "Board title"
//! textbox with Save and Cancel. Enter saves, Escape cancels.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use tandem_protocol::boards::{validate_board_title, Board, BoardId, MAX_BOARD_TITLE_CHARS};

use crate::api::AuthorizedApi;

use super::directory::use_board_directory;

#[component]
pub fn RenameBoard(
    board_id: BoardId,
    title: String,
    api: AuthorizedApi,
    /// Called with the renamed board, or `None` on cancel.
    on_done: Callback<Option<Board>>,
) -> impl IntoView {
    let dir = use_board_directory();
    let draft = RwSignal::new(title);
    let error = RwSignal::new(None::<String>);
    let api = StoredValue::new(api);
    let input = NodeRef::<leptos::html::Input>::new();
    // Focus the textbox once it is in the document, with the old title selected.
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
            el.select();
        }
    });
    let save = Action::new_local(move |title: &String| {
        let (api, title) = (api.get_value(), title.clone());
        async move {
            match api.rename_board(board_id, title).await {
                Ok(board) => {
                    if let Some(dir) = dir {
                        dir.remember(board.clone());
                    }
                    on_done.run(Some(board));
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let title = draft.get_untracked();
        match validate_board_title(&title) {
            Ok(()) => {
                error.set(None);
                save.dispatch(title.trim().to_string());
            }
            Err(e) => error.set(Some(e.message)),
        }
    };
    view! {
        <form class="board-rename" on:submit=on_submit novalidate=true>
            <input type="text" aria-label="Board title" maxlength=MAX_BOARD_TITLE_CHARS
                autocomplete="off"
                node_ref=input
                prop:value=move || draft.get()
                on:input=move |ev| draft.set(event_target_value(&ev))
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Escape" {
                        // Only this form closes, not a panel around it.
                        ev.stop_propagation();
                        on_done.run(None);
                    }
                } />
            <button type="submit" class="button primary small"
                disabled=move || save.pending().get()>"Save"</button>
            <button type="button" class="button ghost small" on:click=move |_| on_done.run(None)>
                "Cancel"
            </button>
            {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        </form>
    }
}

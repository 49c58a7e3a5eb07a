//! "New board": a title, then straight to the new board's page.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use tandem_protocol::boards::{validate_board_title, MAX_BOARD_TITLE_CHARS};
use tandem_protocol::chat::ChannelId;

use super::directory::BoardDirectory;
use crate::components::dialog::Dialog;

#[component]
pub fn NewBoardDialog(
    channel_id: ChannelId,
    dir: BoardDirectory,
    on_close: Callback<()>,
) -> impl IntoView {
    let navigate = use_navigate();
    let title = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let create = Action::new_local(move |title: &String| {
        let (api, title, navigate) = (dir.api(), title.clone(), navigate.clone());
        async move {
            match api.create_board(channel_id, title).await {
                Ok(board) => {
                    let id = board.id;
                    dir.remember(board);
                    on_close.run(());
                    navigate(&format!("/boards/{id}"), NavigateOptions::default());
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let text = title.get_untracked();
        match validate_board_title(&text) {
            Ok(()) => {
                error.set(None);
                create.dispatch(text.trim().to_string());
            }
            Err(e) => error.set(Some(e.message)),
        }
    };
    view! {
        <Dialog title="New board" on_close>
            <form on:submit=on_submit novalidate=true>
                <div class="field">
                    <label for="new-board-title">"Board title"</label>
                    <input id="new-board-title" type="text" autocomplete="off"
                        maxlength=MAX_BOARD_TITLE_CHARS placeholder="e.g. Sprint planning"
                        bind:value=title />
                </div>
                {move || error.get().map(|m| view! { <p class="alert" role="alert">{m}</p> })}
                <div class="dialog-actions">
                    <button type="button" class="button ghost" on:click=move |_| on_close.run(())>
                        "Cancel"
                    </button>
                    <button type="submit" class="button primary"
                        disabled=move || create.pending().get()>"Create board"</button>
                </div>
            </form>
        </Dialog>
    }
}

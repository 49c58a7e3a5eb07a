//! "Delete board?": the confirmation, and the delete itself. Rendered outside the
//! list (not inside the row), so the row's "Delete" and the dialog's "Delete" are
//! never both inside one list item.

use leptos::prelude::*;
use tandem_protocol::boards::BoardId;

use super::directory::BoardDirectory;
use crate::components::dialog::Dialog;

#[component]
pub fn DeleteBoardDialog(
    board_id: BoardId,
    dir: BoardDirectory,
    on_close: Callback<()>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let title = Memo::new(move |_| dir.board(board_id).map(|b| b.title).unwrap_or_default());
    let remove = Action::new_local(move |_: &()| {
        let api = dir.api();
        async move {
            match api.delete_board(board_id).await {
                Ok(()) => {
                    on_close.run(());
                    dir.forget(board_id);
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    view! {
        <Dialog title="Delete board?" on_close>
            <p>
                "“" {move || title.get()} "”"
                " will be deleted for everyone in the channel. This can't be undone."
            </p>
            {move || error.get().map(|m| view! { <p class="alert" role="alert">{m}</p> })}
            <div class="dialog-actions">
                <button type="button" class="button ghost" on:click=move |_| on_close.run(())>
                    "Cancel"
                </button>
                <button type="button" class="button danger-solid"
                    disabled=move || remove.pending().get()
                    on:click=move |_| { remove.dispatch(()); }>"Delete"</button>
            </div>
        </Dialog>
    }
}

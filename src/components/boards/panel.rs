//! The channel's "Boards" side panel: "New board" and the channel's boards, newest
//! first, live for everyone (through the board directory).

use leptos::prelude::*;
use tandem_protocol::boards::BoardId;
use tandem_protocol::chat::ChannelId;

use super::delete::DeleteBoardDialog;
use super::directory::use_board_directory;
use super::index::ListState;
use super::item::BoardItem;
use super::new_board::NewBoardDialog;
use crate::contexts::chat::use_chat;

#[component]
pub fn BoardsPanel(channel_id: ChannelId) -> impl IntoView {
    let chat = use_chat();
    let Some(dir) = use_board_directory() else {
        // Only the workspace shell shows channels, and it provides the directory.
        return ().into_any();
    };
    dir.load(channel_id);
    let ids = Memo::new(move |_| {
        dir.channel_boards(channel_id)
            .into_iter()
            .map(|b| b.id)
            .collect::<Vec<BoardId>>()
    });
    let state = Memo::new(move |_| dir.list_state(channel_id));
    let creating = RwSignal::new(false);
    let deleting = RwSignal::new(None::<BoardId>);
    let now = RwSignal::new(js_sys::Date::now());
    if let Ok(h) = set_interval_with_handle(
        move || now.set(js_sys::Date::now()),
        std::time::Duration::from_secs(30),
    ) {
        on_cleanup(move || h.clear());
    }
    let on_delete = Callback::new(move |id| deleting.set(Some(id)));

    view! {
        <aside class="side-panel boards-panel" role="complementary" aria-label="Boards">
            <div class="panel-header">
                <h2>"Boards"</h2>
                <button type="button" class="button ghost small" aria-label="Close panel"
                    on:click=move |_| chat.close_panel()>"Close"</button>
            </div>
            <div class="boards-panel-actions">
                <button type="button" class="button primary small"
                    on:click=move |_| creating.set(true)>"New board"</button>
            </div>
            {move || match state.get() {
                None | Some(ListState::Loading) => {
                    Some(view! { <p class="muted">"Loading boards…"</p> }.into_any())
                }
                Some(ListState::Failed(m)) => {
                    Some(view! { <p class="alert" role="alert">{m}</p> }.into_any())
                }
                Some(ListState::Loaded) => ids.with(Vec::is_empty).then(|| {
                    view! { <p class="muted">"No boards in this channel yet."</p> }.into_any()
                }),
            }}
            <ul role="list" class="board-list" aria-label="Boards in this channel">
                <For each=move || ids.get() key=|id| *id let:id>
                    <BoardItem id dir now on_delete />
                </For>
            </ul>
            <Show when=move || creating.get()>
                <NewBoardDialog channel_id dir
                    on_close=Callback::new(move |_| creating.set(false)) />
            </Show>
            {move || deleting.get().map(|id| view! {
                <DeleteBoardDialog board_id=id dir
                    on_close=Callback::new(move |_| deleting.set(None)) />
            })}
        </aside>
    }
    .into_any()
}

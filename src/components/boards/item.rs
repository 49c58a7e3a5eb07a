//! One row of a channel's board list: the board's link, when it last changed, a
//! "Meeting" tag for meeting boards, Rename (members) and Delete (creator or admin).

use leptos::prelude::*;
use leptos_router::components::A;
use tandem_protocol::api::{Role, User};
use tandem_protocol::boards::{Board, BoardId};

use super::directory::BoardDirectory;
use super::format::relative_time;
use super::rename::RenameBoard;
use crate::base_path::app_href;
use crate::time::full_time;

/// The server checks the same rule; this only decides whether to offer the button.
pub fn can_delete(board: &Board, me: &User) -> bool {
    board.created_by == me.id || me.role == Role::Admin
}

#[component]
pub fn BoardItem(
    id: BoardId,
    dir: BoardDirectory,
    now: RwSignal<f64>,
    /// Asks the list to confirm deleting this board.
    on_delete: Callback<BoardId>,
) -> impl IntoView {
    let api = dir.api();
    let board = Memo::new(move |_| dir.board(id));
    let title =
        Memo::new(move |_| board.with(|b| b.as_ref().map(|b| b.title.clone()).unwrap_or_default()));
    let updated_at =
        Memo::new(move |_| board.with(|b| b.as_ref().map(|b| b.updated_at).unwrap_or(0)));
    let is_meeting = board.with_untracked(|b| b.as_ref().is_some_and(|b| b.meeting_id.is_some()));
    let deletable = board.with_untracked(|b| b.as_ref().is_some_and(|b| can_delete(b, api.user())));
    let editing = RwSignal::new(false);
    let on_renamed = Callback::new(move |_| editing.set(false));

    view! {
        <li role="listitem" class="board-item">
            <div class="board-item-main">
                <A href=app_href(&format!("/boards/{id}")) attr:class="board-link">
                    {move || title.get()}
                </A>
                {is_meeting.then(|| view! { <span class="board-tag">"Meeting"</span> })}
                <span class="board-updated muted small" title=move || full_time(updated_at.get())>
                    "updated " {move || relative_time(now.get() as i64, updated_at.get())}
                </span>
            </div>
            <Show when=move || editing.get()>
                <RenameBoard board_id=id title=title.get_untracked() api=dir.api()
                    on_done=on_renamed />
            </Show>
            <div class="board-item-actions">
                <button type="button" class="button ghost small" disabled=move || editing.get()
                    on:click=move |_| editing.set(true)>"Rename"</button>
                {deletable.then(|| view! {
                    <button type="button" class="button ghost small danger"
                        on:click=move |_| on_delete.run(id)>"Delete"</button>
                })}
            </div>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn user(n: u128, role: Role) -> User {
        User {
            id: Uuid::from_u128(n),
            display_name: "A".into(),
            email: "a@example.com".into(),
            role,
            status_text: String::new(),
            time_zone: "UTC".into(),
            created_at: 0,
        }
    }

    #[test]
    fn only_the_creator_or_an_admin_may_delete() {
        let board = Board {
            id: Uuid::from_u128(1),
            channel_id: Uuid::from_u128(2),
            meeting_id: None,
            title: "Plan".into(),
            created_by: Uuid::from_u128(10),
            created_at: 0,
            updated_at: 0,
            rev: 1,
        };
        assert!(can_delete(&board, &user(10, Role::Member)));
        assert!(can_delete(&board, &user(11, Role::Admin)));
        assert!(!can_delete(&board, &user(11, Role::Member)));
    }
}

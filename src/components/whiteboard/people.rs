//! Who else has the board open, with "Follow <name>" to ride along with their view.

use leptos::prelude::*;
use uuid::Uuid;

use super::editor::Editor;

#[component]
pub fn PeopleList(editor: Editor) -> impl IntoView {
    let people = Memo::new(move |_| {
        editor.session.peers.with(|p| {
            p.list()
                .iter()
                .map(|p| (p.connection_id, p.name.clone(), p.colour))
                .collect::<Vec<(Uuid, String, &'static str)>>()
        })
    });
    view! {
        <ul class="board-people" aria-label="People on this board">
            <For each=move || people.get() key=|p| p.clone() let((id, name, colour))>
                <li class="board-person">
                    <span class="board-person-dot" style:background=colour
                        aria-hidden="true"></span>
                    <span class="board-person-name">{name.clone()}</span>
                    <button
                        type="button"
                        class="button board-follow"
                        aria-pressed=move || (editor.following.get() == Some(id)).to_string()
                        on:click=move |_| editor.toggle_follow(id)
                    >
                        {format!("Follow {name}")}
                    </button>
                </li>
            </For>
        </ul>
    }
}

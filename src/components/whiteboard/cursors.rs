//! Other people's pointers over the canvas, named and coloured per person, for those
//! on the page I am looking at.

use leptos::prelude::*;
use uuid::Uuid;

use super::editor::Editor;

#[component]
pub fn RemoteCursors(editor: Editor) -> impl IntoView {
    let peers = editor.session.peers;
    // Who has a cursor on my page (keyed list; positions are read per cursor below).
    let here = Memo::new(move |_| {
        let page = editor.page.get();
        peers.with(|p| {
            p.list()
                .iter()
                .filter(|p| p.cursor.is_some_and(|(pg, _)| Some(pg) == page))
                .map(|p| (p.connection_id, p.name.clone(), p.colour))
                .collect::<Vec<(Uuid, String, &'static str)>>()
        })
    });
    view! {
        <For each=move || here.get()
            key=|(id, name, _)| (*id, name.clone()) let((id, name, colour))>
            <RemoteCursor editor id name colour />
        </For>
    }
}

#[component]
fn RemoteCursor(editor: Editor, id: Uuid, name: String, colour: &'static str) -> impl IntoView {
    let position = move || {
        let camera = editor.camera.get();
        editor
            .session
            .peers
            .with(|p| p.get(id).and_then(|p| p.cursor))
            .map(|(_, at)| camera.to_screen(at))
            .unwrap_or((-1000.0, -1000.0))
    };
    let label = format!("{name}'s cursor");
    view! {
        <div
            class="board-cursor"
            role="img"
            aria-label=label
            style:transform=move || {
                let (x, y) = position();
                format!("translate({x}px, {y}px)")
            }
            style:color=colour
        >
            <svg class="board-cursor-arrow" viewBox="0 0 16 16" width="16" height="16"
                aria-hidden="true">
                <path d="M1 1 L1 13 L4.5 9.5 L7 15 L9 14 L6.5 8.5 L11.5 8.5 Z" fill="currentColor"
                    stroke="#ffffff" stroke-width="1" />
            </svg>
            <span class="board-cursor-name" style:background=colour>{name}</span>
        </div>
    }
}

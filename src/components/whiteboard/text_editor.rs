//! Typing into a text box or sticky note: a textarea laid exactly over the element
//! (its text is hidden on the canvas meanwhile). Enter (without Shift) or leaving the
//! field saves; Esc cancels.

use leptos::html;
use leptos::prelude::*;
use web_sys::KeyboardEvent;

use super::editor::Editor;
use crate::whiteboard::style::{FONT_FAMILY, FONT_SIZE, LINE_HEIGHT, TEXT_PADDING};

#[component]
pub fn TextEditor(editor: Editor, host: NodeRef<html::Div>) -> impl IntoView {
    // Remount for each new edit (not on every keystroke or camera move).
    let edit_key = Memo::new(move |_| {
        editor
            .editing
            .with(|e| e.as_ref().map(|e| format!("{:?}", e.target)))
    });
    move || edit_key.get().map(|_| view! { <EditBox editor host /> })
}

#[component]
fn EditBox(editor: Editor, host: NodeRef<html::Div>) -> impl IntoView {
    let node = NodeRef::<html::Textarea>::new();
    let initial = editor.editing.get_untracked();
    let text = initial.as_ref().map(|e| e.text.clone()).unwrap_or_default();
    let lines = RwSignal::new(text.split('\n').count().max(1));
    let edit = Memo::new(move |_| editor.editing.get());

    Effect::new(move |_| {
        if let Some(el) = node.get() {
            let _ = el.focus();
            let end = el.value().encode_utf16().count() as u32;
            let _ = el.set_selection_range(end, end);
        }
    });

    // `try_`: a blur can arrive while the editor is being removed.
    let value = move || {
        node.try_get_untracked()
            .flatten()
            .map(|el| el.value())
            .unwrap_or_default()
    };
    let back_to_board = move || {
        if let Some(h) = host.try_get_untracked().flatten() {
            let _ = h.focus();
        }
    };
    let on_key = move |ev: KeyboardEvent| {
        match ev.key().as_str() {
            "Enter" if !ev.shift_key() && !ev.is_composing() => {
                ev.prevent_default();
                editor.commit_edit(value());
                back_to_board();
            }
            "Escape" => {
                ev.prevent_default();
                editor.cancel_edit();
                back_to_board();
            }
            _ => {}
        }
        // Keys typed here are text, not board shortcuts.
        ev.stop_propagation();
    };

    let geometry = move || {
        let camera = editor.camera.get();
        edit.with(|e| {
            e.as_ref().map(|e| {
                let (x, y) = camera.to_screen(e.at);
                let z = camera.zoom;
                let height = match e.note {
                    Some(_) => e.height,
                    None => (lines.get() as f64 * LINE_HEIGHT + 2.0 * TEXT_PADDING).max(e.height),
                };
                (x, y, e.width.max(160.0) * z, height * z, z)
            })
        })
    };
    let px = |v: f64| format!("{v}px");
    view! {
        <textarea
            node_ref=node
            class="board-text-editor"
            class:board-text-editor--note=move || {
                edit.with(|e| e.as_ref().is_some_and(|e| e.note.is_some()))
            }
            aria-label="Text"
            spellcheck="true"
            style:left=move || geometry().map(|g| px(g.0)).unwrap_or_default()
            style:top=move || geometry().map(|g| px(g.1)).unwrap_or_default()
            style:width=move || geometry().map(|g| px(g.2)).unwrap_or_default()
            style:height=move || geometry().map(|g| px(g.3)).unwrap_or_default()
            style:font-size=move || geometry().map(|g| px(FONT_SIZE * g.4)).unwrap_or_default()
            style:line-height=move || geometry().map(|g| px(LINE_HEIGHT * g.4)).unwrap_or_default()
            style:padding=move || geometry().map(|g| px(TEXT_PADDING * g.4)).unwrap_or_default()
            style:font-family=FONT_FAMILY
            style:color=move || {
                edit.with(|e| e.as_ref().map(|e| e.colour.clone()).unwrap_or_default())
            }
            style:background=move || {
                edit.with(|e| e.as_ref().and_then(|e| e.note.clone()).unwrap_or_default())
            }
            on:keydown=on_key
            on:input=move |_| lines.set(value().split('\n').count().max(1))
            on:blur=move |_| editor.commit_edit(value())
            on:pointerdown=|ev| ev.stop_propagation()
            prop:value=text
        ></textarea>
    }
}

//! The drawing tools and actions. Names are exact: browser tests find controls by
//! role and accessible name.

use leptos::prelude::*;
use uuid::Uuid;

use super::editor::Editor;
use crate::whiteboard::camera::{MAX_ZOOM, MIN_ZOOM};
use crate::whiteboard::style::{Width, COLOURS};
use crate::whiteboard::tools::Tool;

#[component]
pub fn Toolbar(editor: Editor) -> impl IntoView {
    let may_edit = editor.session.may_edit;
    let has_selection = Memo::new(move |_| editor.selection.with(|s| !s.is_empty()));
    let zoom = Memo::new(move |_| editor.camera.get().zoom);
    let has_page = Memo::new(move |_| editor.page.get().is_some());

    let tool_button = move |tool: Tool| {
        view! {
            <button
                type="button"
                class="board-tool"
                aria-pressed=move || (editor.tool.get() == tool).to_string()
                title=format!("{} ({})", tool.label(), tool.shortcut())
                on:click=move |_| editor.set_tool(tool)
            >
                {tool.label()}
            </button>
        }
    };
    view! {
        <div class="board-toolbar" role="toolbar" aria-label="Drawing tools">
            <div class="board-toolbar-group">{[Tool::Select, Tool::Hand].map(tool_button)}</div>
            <Show when=move || may_edit.get()>
                <div class="board-toolbar-group">
                    {Tool::ALL
                        .into_iter()
                        .filter(|t| t.edits())
                        .map(tool_button)
                        .collect::<Vec<_>>()}
                </div>
                <div class="board-toolbar-group">
                    <ColourPicker editor />
                    <label class="board-check">
                        <input
                            type="checkbox"
                            prop:checked=move || editor.style.with(|s| s.fill)
                            on:change=move |ev| editor.set_fill(event_target_checked(&ev))
                        />
                        "Fill shapes"
                    </label>
                    <label class="board-select">
                        <span class="visually-hidden">"Stroke width"</span>
                        <select
                            aria-label="Stroke width"
                            on:change=move |ev| {
                                if let Some(w) = Width::from_label(&event_target_value(&ev)) {
                                    editor.set_width(w);
                                }
                            }
                        >
                            {Width::ALL.map(|w| view! {
                                <option value=w.label()
                                    prop:selected=move || editor.style.with(|s| s.width == w)>
                                    {w.label()}
                                </option>
                            })}
                        </select>
                    </label>
                </div>
                <div class="board-toolbar-group">
                    <button type="button" title="Undo (Ctrl+Z)"
                        disabled=move || !editor.session.can_undo.get()
                        on:click=move |_| editor.undo()>"Undo"</button>
                    <button type="button" title="Redo (Ctrl+Shift+Z)"
                        disabled=move || !editor.session.can_redo.get()
                        on:click=move |_| editor.redo()>"Redo"</button>
                    <button type="button" title="Delete selection (Delete)"
                        disabled=move || !has_selection.get()
                        on:click=move |_| editor.delete_selection()>"Delete selection"</button>
                </div>
            </Show>
            <div class="board-toolbar-group">
                <button type="button" title="Zoom out (-)"
                    disabled=move || { zoom.get() <= MIN_ZOOM + 1e-9 }
                    on:click=move |_| editor.zoom_out()>"Zoom out"</button>
                <span class="board-zoom" aria-hidden="true">
                    {move || format!("{:.0} %", zoom.get() * 100.0)}
                </span>
                <button type="button" title="Zoom in (+)"
                    disabled=move || { zoom.get() >= MAX_ZOOM - 1e-9 }
                    on:click=move |_| editor.zoom_in()>"Zoom in"</button>
                <button type="button" disabled=move || !editor.has_content.get()
                    on:click=move |_| editor.fit()>"Fit to content"</button>
            </div>
            <div class="board-toolbar-group">
                <button type="button" disabled=move || !has_page.get()
                    on:click=move |_| editor.export_png()>"Export PNG"</button>
                <button type="button" disabled=move || !has_page.get()
                    on:click=move |_| editor.export_svg()>"Export SVG"</button>
            </div>
        </div>
    }
}

#[component]
fn ColourPicker(editor: Editor) -> impl IntoView {
    // Radios of one group share a name; several boards may be on screen at once.
    let group = format!("board-colour-{}", Uuid::new_v4());
    let colours = COLOURS.map(|(name, hex)| {
        view! {
            <label class="board-swatch" title=name>
                <input
                    type="radio"
                    name=group.clone()
                    aria-label=name
                    prop:checked=move || editor.style.with(|s| s.stroke == hex)
                    on:change=move |_| editor.set_colour(hex)
                />
                <span class="board-swatch-colour" style:background=hex aria-hidden="true"></span>
            </label>
        }
    });
    view! {
        <div class="board-colours" role="radiogroup" aria-label="Stroke colour">{colours}</div>
    }
}

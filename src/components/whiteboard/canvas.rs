//! The drawing surface: the canvases, and the pointer, wheel and keyboard input on
//! them, translated for the editor. Pointer Events cover mouse, pen and touch alike.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent, PointerEvent, ResizeObserver, WheelEvent};

use super::cursors::RemoteCursors;
use super::editor::Editor;
use super::text_editor::TextEditor;
use crate::whiteboard::gesture::PointerInput;
use crate::whiteboard::surface::Surface;
use crate::whiteboard::tools::Tool;

/// Position of an event relative to the surface, in CSS pixels.
fn local_point(host: &HtmlElement, client_x: i32, client_y: i32) -> (f64, f64) {
    let rect = host.get_bounding_client_rect();
    (
        f64::from(client_x) - rect.left(),
        f64::from(client_y) - rect.top(),
    )
}

fn pointer_input(editor: &Editor, host: &HtmlElement, ev: &PointerEvent) -> PointerInput {
    let screen = local_point(host, ev.client_x(), ev.client_y());
    PointerInput {
        id: ev.pointer_id(),
        board: editor.camera.get_untracked().to_board(screen.0, screen.1),
        screen,
        button: ev.button(),
        shift: ev.shift_key(),
        touch: ev.pointer_type() == "touch",
    }
}

fn device_pixel_ratio() -> f64 {
    web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .unwrap_or(1.0)
}

/// Offers text to the system clipboard; silently does nothing when not allowed.
fn write_system_clipboard(text: String) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = window.navigator().clipboard().write_text(&text);
    leptos::task::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    });
}

/// Keyboard shortcuts. Returns whether the key was used (then its default is
/// prevented).
fn key_down(editor: &Editor, ev: &KeyboardEvent) -> bool {
    let key = ev.key();
    if ev.ctrl_key() || ev.meta_key() {
        match key.to_lowercase().as_str() {
            "z" if ev.shift_key() => editor.redo(),
            "z" => editor.undo(),
            "y" => editor.redo(),
            "c" | "x" => {
                if let Some(text) = editor.copy() {
                    write_system_clipboard(text);
                }
                if key.eq_ignore_ascii_case("x") {
                    editor.delete_selection();
                }
            }
            // With nothing copied here, let the browser's paste event bring the system
            // clipboard (a copy from another tab).
            "v" if editor.clipboard_empty() => return false,
            "v" => editor.paste(),
            "d" => editor.duplicate(),
            "a" => editor.select_all(),
            _ => return false,
        }
        return true;
    }
    if ev.alt_key() {
        return false;
    }
    let step = if ev.shift_key() { 10.0 } else { 1.0 };
    match key.as_str() {
        "Delete" | "Backspace" => editor.delete_selection(),
        "Escape" => editor.escape(),
        " " => {
            editor.space_held.set_value(true);
            editor.cursor.set("grab");
        }
        "ArrowLeft" => editor.nudge(-step, 0.0),
        "ArrowRight" => editor.nudge(step, 0.0),
        "ArrowUp" => editor.nudge(0.0, -step),
        "ArrowDown" => editor.nudge(0.0, step),
        "+" | "=" => editor.zoom_in(),
        "-" | "_" => editor.zoom_out(),
        "Enter" => return editor.edit_selected(),
        other => match Tool::from_key(other) {
            Some(tool) => editor.set_tool(tool),
            None => return false,
        },
    }
    true
}

#[component]
pub fn DrawingSurface(editor: Editor) -> impl IntoView {
    let host = NodeRef::<html::Div>::new();
    let base = NodeRef::<html::Canvas>::new();
    let overlay = NodeRef::<html::Canvas>::new();
    let observer = StoredValue::new_local(None::<(ResizeObserver, Closure<dyn FnMut()>)>);

    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let (Some(host_el), Some(base_el), Some(overlay_el)) =
            (host.get(), base.get(), overlay.get())
        else {
            return false;
        };
        let Some(surface) = Surface::new(base_el, overlay_el) else {
            editor.error.set(Some(
                "Your browser cannot draw this board (no canvas support).".into(),
            ));
            return true;
        };
        editor.attach_surface(surface);
        let measure = {
            let host_el = host_el.clone();
            move || {
                let rect = host_el.get_bounding_client_rect();
                editor.resize(rect.width(), rect.height(), device_pixel_ratio());
            }
        };
        measure();
        let callback = Closure::<dyn FnMut()>::new(measure);
        if let Ok(ro) = ResizeObserver::new(callback.as_ref().unchecked_ref()) {
            ro.observe(&host_el);
            observer.set_value(Some((ro, callback)));
        }
        true
    });
    on_cleanup(move || {
        if let Some(Some((ro, _callback))) = observer.try_update_value(|o| o.take()) {
            ro.disconnect();
        }
        editor.detach_surface();
    });

    let host_el = move || host.get_untracked().map(HtmlElement::from);
    let on_down = move |ev: PointerEvent| {
        let Some(h) = host_el() else { return };
        if ev.button() == 2 {
            return; // the context menu
        }
        ev.prevent_default(); // no text selection or native drag
        let _ = h.focus();
        let _ = h.set_pointer_capture(ev.pointer_id());
        editor.pointer_down(pointer_input(&editor, &h, &ev));
    };
    let on_move = move |ev: PointerEvent| {
        let Some(h) = host_el() else { return };
        // Every sample since the last frame, for smooth strokes.
        let coalesced = ev.get_coalesced_events();
        let mut inputs: Vec<PointerInput> = coalesced
            .iter()
            .filter_map(|e| e.dyn_into::<PointerEvent>().ok())
            .map(|e| pointer_input(&editor, &h, &e))
            .collect();
        if inputs.is_empty() {
            inputs.push(pointer_input(&editor, &h, &ev));
        }
        editor.pointer_moves(&inputs);
    };
    let on_up = move |ev: PointerEvent| {
        let Some(h) = host_el() else { return };
        editor.pointer_up(pointer_input(&editor, &h, &ev));
    };
    let on_cancel = move |ev: PointerEvent| editor.pointer_cancel(ev.pointer_id());
    let on_dblclick = move |ev: web_sys::MouseEvent| {
        let Some(h) = host_el() else { return };
        let (x, y) = local_point(&h, ev.client_x(), ev.client_y());
        editor.double_click(editor.camera.get_untracked().to_board(x, y));
    };
    let on_wheel = move |ev: WheelEvent| {
        let Some(h) = host_el() else { return };
        ev.prevent_default();
        // Lines and pages (Firefox, some mice) to pixels.
        let unit = match ev.delta_mode() {
            1 => 16.0,
            2 => 400.0,
            _ => 1.0,
        };
        let (dx, dy) = (ev.delta_x() * unit, ev.delta_y() * unit);
        let camera = editor.camera.get_untracked();
        if ev.ctrl_key() || ev.meta_key() {
            // Also what trackpad pinches arrive as.
            let (x, y) = local_point(&h, ev.client_x(), ev.client_y());
            editor.set_camera(camera.zoomed_at(x, y, (-dy * 0.01).exp()), true);
        } else if ev.shift_key() && dx == 0.0 {
            editor.pan_by(-dy, 0.0);
        } else {
            editor.pan_by(-dx, -dy);
        }
    };
    let on_key = move |ev: KeyboardEvent| {
        if key_down(&editor, &ev) {
            ev.prevent_default();
        }
    };
    let on_key_up = move |ev: KeyboardEvent| {
        if ev.key() == " " {
            editor.space_held.set_value(false);
            editor.cursor.set(editor.tool.get_untracked().cursor());
        }
    };
    let on_paste = move |ev: web_sys::ClipboardEvent| {
        let text = ev
            .clipboard_data()
            .and_then(|d| d.get_data("text/plain").ok())
            .unwrap_or_default();
        if editor.paste_text(&text) {
            ev.prevent_default();
        }
    };
    let on_blur = move |_| {
        // Keys released elsewhere must not leave "space held" behind.
        editor.space_held.set_value(false);
    };

    view! {
        <div class="board-stage">
            <div
                node_ref=host
                class="board-surface"
                role="application"
                aria-label="Drawing surface"
                aria-roledescription="whiteboard"
                tabindex="0"
                style:cursor=move || editor.cursor.get()
                on:pointerdown=on_down
                on:pointermove=on_move
                on:pointerup=on_up
                on:pointercancel=on_cancel
                on:dblclick=on_dblclick
                on:wheel=on_wheel
                on:keydown=on_key
                on:keyup=on_key_up
                on:paste=on_paste
                on:blur=on_blur
            >
                <canvas node_ref=base class="board-canvas" aria-hidden="true"></canvas>
                <canvas node_ref=overlay class="board-canvas board-overlay"
                    aria-hidden="true"></canvas>
            </div>
            <RemoteCursors editor />
            <TextEditor editor host />
            <Show when=move || !editor.session.may_edit.get()>
                <span class="board-badge">"View only"</span>
            </Show>
        </div>
    }
}

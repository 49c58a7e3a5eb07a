//! A board as it was at some moment (recording playback): read-only, fitted to its
//! content, redrawn whenever the given state changes.

use leptos::html;
use leptos::prelude::*;
use tandem_board::geometry::Rect;
use tandem_board::{describe, BoardState};
use tandem_protocol::boards::{Page, PageId};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::ResizeObserver;

use crate::whiteboard::camera::Camera;
use crate::whiteboard::surface::Surface;

#[component]
pub fn BoardReplay(state: Signal<BoardState>) -> impl IntoView {
    let pages =
        Memo::new(move |_| state.with(|s| s.pages().into_iter().cloned().collect::<Vec<Page>>()));
    let chosen = RwSignal::new(None::<PageId>);
    // The chosen page while it exists, else the first live one.
    let page = Memo::new(move |_| {
        let pages = pages.get();
        chosen
            .get()
            .filter(|id| pages.iter().any(|p| p.id == *id))
            .or_else(|| pages.first().map(|p| p.id))
    });
    // A board without pages has nothing on it either.
    let summary = Memo::new(move |_| state.with(|s| describe(s, page.get().unwrap_or_default())));

    let host = NodeRef::<html::Div>::new();
    let base = NodeRef::<html::Canvas>::new();
    let overlay = NodeRef::<html::Canvas>::new();
    let surface = StoredValue::new_local(None::<Surface>);
    let size = RwSignal::new((0.0f64, 0.0f64, 1.0f64));
    // Everything the page has shown so far: fitting to it keeps the view still while
    // playback adds and removes things.
    let seen = StoredValue::new(None::<(PageId, Rect)>);
    let observer = StoredValue::new_local(None::<(ResizeObserver, Closure<dyn FnMut()>)>);

    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let (Some(h), Some(b), Some(o)) = (host.get(), base.get(), overlay.get()) else {
            return false;
        };
        surface.set_value(Surface::new(b, o));
        let measure = {
            let h = h.clone();
            move || {
                let r = h.get_bounding_client_rect();
                let dpr = web_sys::window()
                    .map(|w| w.device_pixel_ratio())
                    .unwrap_or(1.0);
                size.set((r.width(), r.height(), dpr));
            }
        };
        measure();
        let callback = Closure::<dyn FnMut()>::new(measure);
        if let Ok(ro) = ResizeObserver::new(callback.as_ref().unchecked_ref()) {
            ro.observe(&h);
            observer.set_value(Some((ro, callback)));
        }
        true
    });
    on_cleanup(move || {
        if let Some(Some((ro, _callback))) = observer.try_update_value(|o| o.take()) {
            ro.disconnect();
        }
    });

    // One page, redrawn whole: simpler than diffing states, and cheap enough at the
    // rate a playback position moves.
    Effect::new(move |_| {
        let (w, h, dpr) = size.get();
        let page = page.get();
        state.with(|s| {
            surface.update_value(|surface| {
                let Some(surface) = surface.as_mut() else {
                    return;
                };
                surface.resize(w, h, dpr);
                surface.load(s, page);
                let bounds = surface.scene().content_bounds();
                let union = match (seen.get_value(), bounds, page) {
                    (Some((p, old)), Some(b), Some(page)) if p == page => Some(old.union(&b)),
                    (Some((p, old)), None, Some(page)) if p == page => Some(old),
                    (_, b, _) => b,
                };
                seen.set_value(page.zip(union));
                let camera = union.map_or(Camera::default(), |b| Camera::fit(b, w, h));
                surface.set_camera(camera);
                surface.render(s);
            });
        });
    });

    view! {
        <section class="board-replay" aria-label="Board replay">
            <Show when=move || pages.with(|p| p.len() > 1)>
                <div class="board-tabs" role="tablist" aria-label="Pages">
                    <For each=move || pages.get() key=|p| (p.id, p.name.clone()) let(p)>
                        <button
                            type="button"
                            role="tab"
                            class="board-tab"
                            aria-selected=move || (page.get() == Some(p.id)).to_string()
                            on:click=move |_| chosen.set(Some(p.id))
                        >
                            {p.name.clone()}
                        </button>
                    </For>
                </div>
            </Show>
            <div class="board-replay-surface" node_ref=host>
                <canvas node_ref=base class="board-canvas" aria-hidden="true"></canvas>
                <canvas node_ref=overlay class="board-canvas board-overlay"
                    aria-hidden="true"></canvas>
            </div>
            <p role="status" aria-label="Board contents" class="visually-hidden">
                {move || summary.get()}
            </p>
        </section>
    }
}

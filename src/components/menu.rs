//! A menu button ("More"): a button with `aria-haspopup="menu"` that opens a list of
//! `role="menuitem"` buttons, for actions that do not all fit beside a title.
//! Keyboard, as the ARIA menu-button pattern has it: opening moves focus to the first
//! item, the arrow keys, Home and End move between items, Escape closes and returns
//! to the button, and focus leaving the menu (Tab, a click elsewhere) closes it.
//! Choosing an item closes the menu; the item's own click handler does the work.

use leptos::ev::{FocusEvent, KeyboardEvent};
use leptos::html::{Button, Div};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::icons::{Glyph, Icon};

#[component]
pub fn MenuButton(
    /// The button's text, and the menu's name.
    label: &'static str,
    /// `<button type="button" role="menuitem" tabindex="-1">` items.
    children: Children,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let button = NodeRef::<Button>::new();
    let menu = NodeRef::<Div>::new();
    let menu_id = format!("menu-{}", uuid::Uuid::new_v4().simple());

    // Focus an item once the menu is shown (the `hidden` change lands after this tick).
    let show = move |first: bool| {
        open.set(true);
        request_animation_frame(move || {
            if let Some(menu) = menu.get_untracked() {
                let items = items(&menu);
                let at = if first { items.first() } else { items.last() };
                if let Some(item) = at {
                    let _ = item.focus();
                }
            }
        });
    };
    let close = move |refocus: bool| {
        open.set(false);
        if let (true, Some(button)) = (refocus, button.get_untracked()) {
            let _ = button.focus();
        }
    };

    let on_button_key = move |ev: KeyboardEvent| match ev.key().as_str() {
        "ArrowDown" => {
            ev.prevent_default();
            show(true);
        }
        "ArrowUp" => {
            ev.prevent_default();
            show(false);
        }
        _ => {}
    };
    let on_menu_key = move |ev: KeyboardEvent| {
        let Some(menu) = menu.get_untracked() else {
            return;
        };
        let items = items(&menu);
        let current = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .and_then(|active| items.iter().position(|i| **i == active));
        let target = match ev.key().as_str() {
            "Escape" => {
                ev.prevent_default();
                ev.stop_propagation();
                close(true);
                return;
            }
            "ArrowDown" => current.map_or(0, |i| (i + 1) % items.len()),
            "ArrowUp" => current.map_or(0, |i| (i + items.len() - 1) % items.len()),
            "Home" => 0,
            "End" => items.len().saturating_sub(1),
            _ => return,
        };
        ev.prevent_default();
        if let Some(item) = items.get(target) {
            let _ = item.focus();
        }
    };
    // Focus moving somewhere outside the button and the menu closes it.
    let on_focus_out = move |ev: FocusEvent| {
        let next = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let Some(wrap) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
        else {
            return;
        };
        if !next.is_some_and(|n| wrap.contains(Some(&n))) {
            open.set(false);
        }
    };
    // A chosen item (its click bubbles up here) closes the menu.
    let on_menu_click = move |ev: leptos::ev::MouseEvent| {
        let on_item = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("[role=menuitem]").ok().flatten())
            .is_some();
        if on_item {
            close(true);
        }
    };

    view! {
        <div class="more-menu" on:focusout=on_focus_out>
            <button type="button" class="button secondary small" node_ref=button
                aria-haspopup="menu" aria-controls=menu_id.clone()
                aria-expanded=move || open.get().to_string()
                on:keydown=on_button_key
                on:click=move |_| if open.get_untracked() { close(false) } else { show(true) }>
                <Icon glyph=Glyph::More />
                {label}
            </button>
            <div class="more-menu-list" role="menu" id=menu_id aria-label=label node_ref=menu
                hidden=move || !open.get()
                on:keydown=on_menu_key on:click=on_menu_click>
                {children()}
            </div>
        </div>
    }
}

/// The menu's items that can take focus, in order.
fn items(menu: &web_sys::HtmlDivElement) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = menu.query_selector_all("[role=menuitem]:not([disabled])") else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

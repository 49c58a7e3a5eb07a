//! The board's pages as tabs, with add, rename and delete.

use leptos::html;
use leptos::prelude::*;
use tandem_protocol::boards::PageId;
use web_sys::KeyboardEvent;

use super::editor::Editor;

#[component]
pub fn PageTabs(editor: Editor) -> impl IntoView {
    let pages = editor.session.pages;
    let renaming = RwSignal::new(false);
    let may_edit = editor.session.may_edit;
    let tabs = NodeRef::<html::Div>::new();

    // Arrow keys move between tabs (the ARIA tabs pattern), activating as they go.
    let on_tab_key = move |ev: KeyboardEvent| {
        let step: isize = match ev.key().as_str() {
            "ArrowRight" => 1,
            "ArrowLeft" => -1,
            _ => return,
        };
        ev.prevent_default();
        let list = pages.get_untracked();
        let Some(at) = list
            .iter()
            .position(|p| Some(p.id) == editor.page.get_untracked())
        else {
            return;
        };
        let next = (at as isize + step).rem_euclid(list.len() as isize) as usize;
        editor.show_page(Some(list[next].id));
        if let Some(tabs) = tabs.get_untracked() {
            if let Ok(Some(tab)) =
                tabs.query_selector(&format!("[role=tab]:nth-child({})", next + 1))
            {
                if let Ok(tab) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(tab) {
                    let _ = tab.focus();
                }
            }
        }
    };

    view! {
        <div class="board-pages">
            <div class="board-tabs" role="tablist" aria-label="Pages" node_ref=tabs
                on:keydown=on_tab_key>
                <For each=move || pages.get() key=|p| (p.id, p.name.clone()) let(page)>
                    <PageTab editor id=page.id name=page.name />
                </For>
            </div>
            <Show when=move || may_edit.get()>
                <button type="button" class="button board-page-action"
                    on:click=move |_| editor.add_page()>"Add page"</button>
                <Show
                    when=move || renaming.get()
                    fallback=move || view! {
                        <button type="button" class="button board-page-action"
                            disabled=move || editor.page.get().is_none()
                            on:click=move |_| renaming.set(true)>"Rename page"</button>
                    }
                >
                    <RenameBox editor renaming />
                </Show>
                <button type="button" class="button board-page-action"
                    disabled=move || pages.with(|p| p.len() < 2)
                    on:click=move |_| {
                        if let Some(id) = editor.page.get_untracked() {
                            editor.delete_page(id);
                        }
                    }>"Delete page"</button>
            </Show>
        </div>
    }
}

#[component]
fn PageTab(editor: Editor, id: PageId, name: String) -> impl IntoView {
    let selected = Memo::new(move |_| editor.page.get() == Some(id));
    view! {
        <button
            type="button"
            role="tab"
            class="board-tab"
            aria-selected=move || selected.get().to_string()
            tabindex=move || if selected.get() { "0" } else { "-1" }
            on:click=move |_| editor.show_page(Some(id))
        >
            {name}
        </button>
    }
}

#[component]
fn RenameBox(editor: Editor, renaming: RwSignal<bool>) -> impl IntoView {
    let node = NodeRef::<html::Input>::new();
    let page = editor.page.get_untracked();
    let current = page
        .and_then(|id| {
            editor
                .session
                .pages
                .with_untracked(|p| p.iter().find(|p| p.id == id).map(|p| p.name.clone()))
        })
        .unwrap_or_default();
    Effect::new(move |_| {
        if let Some(el) = node.get() {
            let _ = el.focus();
            el.select();
        }
    });
    let save = move || {
        // `try_`: a blur can arrive while the box is being removed.
        if renaming.try_get_untracked() != Some(true) {
            return;
        }
        renaming.set(false);
        if let (Some(id), Some(el)) = (page, node.try_get_untracked().flatten()) {
            editor.rename_page(id, &el.value());
        }
    };
    view! {
        <input
            node_ref=node
            type="text"
            class="board-page-name"
            aria-label="Page name"
            maxlength=tandem_protocol::boards::MAX_PAGE_NAME_CHARS.to_string()
            prop:value=current
            on:keydown=move |ev: KeyboardEvent| match ev.key().as_str() {
                "Enter" => {
                    ev.prevent_default();
                    save();
                }
                "Escape" => {
                    ev.prevent_default();
                    renaming.set(false);
                }
                _ => {}
            }
            on:blur=move |_| save()
        />
    }
}

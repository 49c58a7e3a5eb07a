//! Ctrl+K / Cmd+K: jump to a channel or person by typing part of the name.

use leptos::ev;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use tandem_protocol::chat::OpenDirectRequest;
use tandem_protocol::UserId;

use crate::components::dialog::Dialog;
use crate::contexts::chat::names::{distinct_name, title};
use crate::contexts::chat::use_chat;

#[derive(Clone, PartialEq)]
enum Target {
    Channel(uuid::Uuid),
    Person(UserId),
}

#[component]
pub fn QuickSwitcher() -> impl IntoView {
    let open = RwSignal::new(false);
    let handle = window_event_listener(ev::keydown, move |ev| {
        if (ev.ctrl_key() || ev.meta_key()) && ev.key().eq_ignore_ascii_case("k") {
            ev.prevent_default();
            open.update(|o| *o = !*o);
        }
    });
    on_cleanup(move || handle.remove());
    move || {
        open.get()
            .then(|| view! { <Switcher on_close=Callback::new(move |_| open.set(false)) /> })
    }
}

#[component]
fn Switcher(on_close: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let navigate = use_navigate();
    let query = RwSignal::new(String::new());
    let selected = RwSignal::new(0usize);
    let results = Memo::new(move |_| {
        let q = query.get().to_lowercase();
        let people = chat.rt.people.get();
        let mut out: Vec<(String, Target)> = chat.channels.with(|l| {
            l.iter()
                .map(|c| {
                    (
                        title(&c.channel, &people, chat.me),
                        Target::Channel(c.channel.id),
                    )
                })
                .filter(|(n, _)| n.to_lowercase().contains(&q))
                .collect()
        });
        out.extend(
            people
                .iter()
                .filter(|u| u.id != chat.me && u.display_name.to_lowercase().contains(&q))
                .map(|u| (distinct_name(&people, u), Target::Person(u.id))),
        );
        out.truncate(12);
        out
    });
    let go = move |target: Target| {
        on_close.run(());
        let navigate = navigate.clone();
        match target {
            Target::Channel(id) => navigate(&format!("/c/{id}"), NavigateOptions::default()),
            Target::Person(user) => {
                let api = chat.api();
                leptos::task::spawn_local(async move {
                    if let Ok(c) = api
                        .open_direct(&OpenDirectRequest {
                            user_ids: vec![user],
                        })
                        .await
                    {
                        let id = c.id;
                        chat.add_channel(c);
                        navigate(&format!("/c/{id}"), NavigateOptions::default());
                    }
                });
            }
        }
    };
    let go2 = go.clone();
    let on_keydown = move |ev: ev::KeyboardEvent| {
        let n = results.with_untracked(|r| r.len());
        match ev.key().as_str() {
            "ArrowDown" if n > 0 => {
                ev.prevent_default();
                selected.update(|s| *s = (*s + 1) % n);
            }
            "ArrowUp" if n > 0 => {
                ev.prevent_default();
                selected.update(|s| *s = (*s + n - 1) % n);
            }
            "Enter" => {
                ev.prevent_default();
                if let Some((_, t)) =
                    results.with_untracked(|r| r.get(selected.get_untracked()).cloned())
                {
                    go2(t);
                }
            }
            _ => {}
        }
    };
    view! {
        <Dialog title="Quick switcher" hide_title=true on_close=on_close class="switcher">
            <input type="text" class="switcher-input" aria-label="Jump to…" placeholder="Jump to…"
                role="combobox" aria-expanded="true" aria-controls="switcher-results"
                aria-autocomplete="list"
                aria-activedescendant=move || format!("switcher-opt-{}", selected.get())
                prop:value=move || query.get()
                on:input=move |ev| { query.set(event_target_value(&ev)); selected.set(0); }
                on:keydown=on_keydown />
            <ul id="switcher-results" role="listbox" aria-label="Matches" class="switcher-results">
                {move || results.get().into_iter().enumerate().map(|(i, (name, target))| {
                    let go = go.clone();
                    view! {
                        <li id=format!("switcher-opt-{i}") role="option"
                            aria-selected=move || (selected.get() == i).to_string()
                            class:selected=move || selected.get() == i
                            on:click=move |_| go(target.clone())>
                            {name}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Dialog>
    }
}

//! `/recordings`: the meeting recordings I can see, newest first, filterable by
//! channel, participant and text.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use tandem_protocol::recordings::Recording;

use crate::api::recordings::RecordingFilter;
use crate::app::Loading;
use crate::components::recordings::filters::RecordingFilters;
use crate::components::recordings::item::RecordingItem;
use crate::contexts::chat::names::title;
use crate::contexts::chat::use_chat;
use crate::contexts::session::use_session;

/// Typing waits this long before asking the server, so a word is one request.
const SEARCH_DELAY_MS: u64 = 250;

#[component]
pub fn RecordingsPage() -> impl IntoView {
    let session = use_session();
    let chat = use_chat();
    let channel = RwSignal::new(String::new());
    let participant = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let settled_search = RwSignal::new(String::new());
    let typed = StoredValue::new(0u64);
    Effect::new(move |_| {
        let text = search.get();
        let generation = typed.get_value() + 1;
        typed.set_value(generation);
        set_timeout(
            move || {
                // Only the last keystroke's timer wins.
                if !typed.is_disposed() && typed.get_value() == generation {
                    settled_search.set(text);
                }
            },
            std::time::Duration::from_millis(SEARCH_DELAY_MS),
        );
    });
    let filter = Memo::new(move |_| RecordingFilter {
        channel_id: channel.get().parse().ok(),
        participant: participant.get().parse().ok(),
        q: settled_search.get(),
    });

    let items = RwSignal::new(Vec::<Recording>::new());
    let error = RwSignal::new(None::<String>);
    let load = LocalResource::new(move || {
        let filter = filter.get();
        let api = session.authorized_untracked();
        async move {
            let Some(api) = api else { return };
            match api.recordings(&filter).await {
                Ok(list) => {
                    error.set(None);
                    items.set(list);
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });

    let is_empty = Memo::new(move |_| items.with(Vec::is_empty));
    let filtered = Memo::new(move |_| filter.with(|f| *f != RecordingFilter::default()));
    let on_deleted = Callback::new(move |id| items.update(|l| l.retain(|r| r.id != id)));
    let channel_label = move |r: &Recording| {
        let people = chat.rt.people.get_untracked();
        chat.my_channel(r.channel_id)
            .map(|c| title(&c.channel, &people, chat.me))
            .unwrap_or_else(|| "#unknown-channel".to_string())
    };
    let signed_in = move || session.user_id().is_some();

    view! {
        <Show when=signed_in fallback=|| view! { <Redirect path="/login" /> }>
            <section class="recordings-page" aria-labelledby="recordings-heading">
                <h1 id="recordings-heading">"Recordings"</h1>
                <RecordingFilters channel participant search />
                // The list stays mounted while filters change; only the first load
                // shows the spinner.
                <Transition fallback=|| view! { <Loading label="Loading recordings…" /> }>
                    {move || load.get().map(|()| {
                        if let Some(m) = error.get() {
                            return view! { <p class="alert" role="alert">{m}</p> }.into_any();
                        }
                        if is_empty.get() {
                            let text = if filtered.get() {
                                "No recordings match these filters"
                            } else {
                                "No recordings yet"
                            };
                            return view! {
                                <p class="muted recordings-empty">{text}</p>
                            }.into_any();
                        }
                        view! {
                            <ul class="recordings-list" aria-label="Recordings">
                                <For each=move || items.get() key=|r| r.id let:recording>
                                    <RecordingItem channel_label=channel_label(&recording) recording
                                        on_deleted />
                                </For>
                            </ul>
                        }.into_any()
                    })}
                </Transition>
            </section>
        </Show>
    }
}

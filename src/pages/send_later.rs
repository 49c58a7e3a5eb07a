//! `/scheduled`: my send-later messages, soonest first, to edit or cancel.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use tandem_protocol::chat::ScheduledMessage;

use crate::app::Loading;
use crate::components::search::labels::Directory;
use crate::components::send_later::SendLaterItem;
use crate::contexts::session::use_session;

#[component]
pub fn SendLaterPage() -> impl IntoView {
    let session = use_session();
    let items = RwSignal::new(Vec::<ScheduledMessage>::new());
    let directory = RwSignal::new(Directory::default());
    let error = RwSignal::new(None::<String>);

    let load = LocalResource::new(move || {
        let api = session.authorized_untracked();
        async move {
            let Some(api) = api else { return };
            let (queued, channels, users) =
                futures::join!(api.send_later_list(), api.my_channels(), api.users());
            directory.set(Directory::new(
                channels.unwrap_or_default(),
                users.unwrap_or_default(),
                api.user().id,
            ));
            match queued {
                Ok(list) => items.set(list),
                Err(e) => error.set(Some(e.message())),
            }
        }
    });

    // Only emptiness decides between the list and the empty state, so edits and
    // cancellations update rows in place instead of rebuilding the list.
    let is_empty = Memo::new(move |_| items.with(Vec::is_empty));
    let sorted = move || {
        let mut list = items.get();
        list.sort_by_key(|m| (m.send_at, m.created_at));
        list
    };
    let on_updated = Callback::new(move |updated: ScheduledMessage| {
        items.update(|list| {
            if let Some(m) = list.iter_mut().find(|m| m.id == updated.id) {
                *m = updated;
            }
        });
    });
    let on_cancelled = Callback::new(move |id| items.update(|list| list.retain(|m| m.id != id)));
    let signed_in = move || session.user_id().is_some();

    view! {
        <Show when=signed_in fallback=|| view! { <Redirect path="/login" /> }>
            <section class="scheduled-page" aria-labelledby="scheduled-heading">
                <h1 id="scheduled-heading">"Scheduled messages"</h1>
                <Suspense fallback=|| view! { <Loading label="Loading scheduled messages…" /> }>
                    {move || load.get().map(|()| {
                        if let Some(m) = error.get() {
                            return view! { <p class="alert" role="alert">{m}</p> }.into_any();
                        }
                        if is_empty.get() {
                            return view! {
                                <p class="muted scheduled-empty">"Nothing scheduled"</p>
                            }.into_any();
                        }
                        view! {
                            <ul class="scheduled-list" aria-label="Scheduled messages">
                                // Keyed by id: a row keeps its own state (and focus) across saves.
                                <For each=sorted key=|m| m.id let:message>
                                    <SendLaterItem
                                        channel_label=directory
                                            .with_untracked(|d| d.channel(message.channel_id))
                                        message
                                        on_updated
                                        on_cancelled
                                    />
                                </For>
                            </ul>
                        }.into_any()
                    })}
                </Suspense>
            </section>
        </Show>
    }
}

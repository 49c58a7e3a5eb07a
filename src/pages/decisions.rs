//! `/decisions`: the workspace decision log — proposals from every channel I am in,
//! searchable by question or decision text.

use leptos::prelude::*;
use tandem_protocol::decisions::Proposal;

use crate::components::decisions::item::DecisionItem;
use crate::components::decisions::store::use_decisions;
use crate::contexts::chat::names::title;
use crate::contexts::chat::use_chat;

#[component]
pub fn DecisionsPage() -> impl IntoView {
    let chat = use_chat();
    let store = use_decisions();
    let query = RwSignal::new(String::new());
    let results = LocalResource::new(move || {
        let q = query.get();
        // A proposal changed somewhere: the log may have changed too.
        if let Some(s) = store {
            s.track();
        }
        let api = chat.api();
        async move {
            // Let typing settle before asking.
            gloo_timers::future::TimeoutFuture::new(200).await;
            api.search_decisions(&q, None)
                .await
                .map_err(|e| e.message())
        }
    });
    let channel_name = move |p: &Proposal| {
        chat.my_channel(p.channel_id).map(|c| {
            chat.rt
                .people
                .with_untracked(|people| title(&c.channel, people, chat.me))
        })
    };
    view! {
        <section class="decisions-page" aria-labelledby="decisions-heading">
            <h1 id="decisions-heading">"Decisions"</h1>
            <input type="search" class="decision-search" aria-label="Search decisions"
                placeholder="Search questions and decisions"
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev)) />
            <Transition fallback=|| view! { <p class="muted">"Loading decisions…"</p> }>
                {move || results.get().map(|r| match r {
                    Err(m) => view! { <p class="alert" role="alert">{m}</p> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <p class="muted">{if query.get_untracked().trim().is_empty() {
                            "No proposals yet."
                        } else {
                            "No decisions match."
                        }}</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="decision-list">
                            {list.into_iter().map(|p| {
                                let name = channel_name(&p);
                                view! { <DecisionItem proposal=p channel_name=name /> }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}

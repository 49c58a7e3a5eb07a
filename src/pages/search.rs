//! `/search?q=…`: messages matching the query, newest first, each linking to the
//! message in its channel. The query is typed in the shell's `SearchBox`, which also
//! shows it here.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::api::Error;
use crate::app::Loading;
use crate::components::search::hit::SearchHitItem;
use crate::components::search::labels::Directory;
use crate::components::search::results::newest_first;
use crate::contexts::session::use_session;

#[component]
pub fn SearchPage() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(|m| m.get("q").unwrap_or_default()));

    // Channel and people names change rarely: fetched once, not per query.
    let directory = LocalResource::new(move || {
        let api = session.authorized_untracked();
        async move {
            let Some(api) = api else {
                return Directory::default();
            };
            let (channels, users) = futures::join!(api.my_channels(), api.users());
            // Without names the results are still useful; labels fall back.
            Directory::new(
                channels.unwrap_or_default(),
                users.unwrap_or_default(),
                api.user().id,
            )
        }
    });

    let results = LocalResource::new(move || {
        let q = q.get();
        let api = session.authorized_untracked();
        async move {
            if q.trim().is_empty() {
                return Ok(None);
            }
            let Some(api) = api else {
                return Err(Error::Network);
            };
            api.search(&q).await.map(|r| Some(newest_first(r.hits)))
        }
    });

    let signed_in = move || session.user_id().is_some();

    view! {
        <Show when=signed_in fallback=|| view! { <Redirect path="/login" /> }>
            <section class="search-page" aria-labelledby="search-heading">
                <h1 id="search-heading">"Search results"</h1>
                <p class="muted small search-help">
                    "Narrow it down with " <code>"in:#channel"</code> " and "
                    <code>"from:@name"</code> ", e.g. " <code>"deploy in:#ops from:@Ana"</code> "."
                </p>
                <Suspense fallback=|| view! { <Loading label="Searching…" /> }>
                    {move || {
                        let dir = directory.get()?;
                        let outcome = results.get()?;
                        Some(match outcome {
                            Err(e) => {
                                view! { <p class="alert" role="alert">{e.message()}</p> }.into_any()
                            }
                            Ok(None) => view! {
                                <p class="muted">"Type in the search box and press Enter."</p>
                            }.into_any(),
                            Ok(Some(hits)) if hits.is_empty() => view! {
                                <p class="search-empty">
                                    {format!("No messages match “{}”", q.get_untracked().trim())}
                                </p>
                            }.into_any(),
                            Ok(Some(hits)) => {
                                let count = hits.len();
                                view! {
                                    <p class="muted small" role="status">
                                        {format!(
                                            "{count} {} for “{}”",
                                            if count == 1 { "message" } else { "messages" },
                                            q.get_untracked().trim()
                                        )}
                                    </p>
                                    <ul class="search-hits" aria-label="Search results">
                                        {hits.into_iter().map(|hit| {
                                            let channel = dir.channel(hit.message.channel_id);
                                            let author = dir.person(hit.message.author_id);
                                            view! { <SearchHitItem hit channel author /> }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }
                        })
                    }}
                </Suspense>
            </section>
        </Show>
    }
}

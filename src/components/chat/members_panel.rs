//! The channel's members, with presence and local time.

use leptos::prelude::*;
use tandem_protocol::chat::ChannelId;

use crate::components::people::person_row::PersonRow;
use crate::contexts::chat::use_chat;

#[component]
pub fn MembersPanel(channel_id: ChannelId) -> impl IntoView {
    let chat = use_chat();
    let members = LocalResource::new(move || {
        chat.members_rev.track();
        let api = chat.api();
        async move { api.channel_members(channel_id).await }
    });
    let now = RwSignal::new(js_sys::Date::now());
    if let Ok(h) = set_interval_with_handle(
        move || now.set(js_sys::Date::now()),
        std::time::Duration::from_secs(30),
    ) {
        on_cleanup(move || h.clear());
    }
    view! {
        <aside class="side-panel" role="complementary" aria-label="Members">
            <div class="panel-header">
                <h2>"Members"</h2>
                <button type="button" class="button ghost small"
                    on:click=move |_| chat.close_panel()>"Close members"</button>
            </div>
            <Suspense fallback=|| view! { <p class="muted">"Loading members…"</p> }>
                {move || members.get().map(|r| match r {
                    Err(e) => view! { <p class="alert" role="alert">{e.message()}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="person-list">
                            {list
                                .into_iter()
                                .map(|u| view! { <PersonRow user=u now=now /> })
                                .collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
        </aside>
    }
}

//! The channel's pinned messages, each with a link that jumps to it in context.

use leptos::prelude::*;
use leptos_router::components::A;
use tandem_protocol::chat::ChannelId;

use crate::base_path::app_href;
use crate::contexts::chat::use_chat;
use crate::markdown::{Markdown, MentionNames};
use crate::time::short_time;

#[component]
pub fn PinsPanel(channel_id: ChannelId) -> impl IntoView {
    let chat = use_chat();
    let pins = move || {
        chat.pins.with(|p| {
            p.as_ref()
                .filter(|(c, _)| *c == channel_id)
                .map(|(_, l)| l.clone())
        })
    };
    view! {
        <aside class="side-panel" role="complementary" aria-label="Pinned messages">
            <div class="panel-header">
                <h2>"Pinned messages"</h2>
                <button type="button" class="button ghost small"
                    on:click=move |_| chat.close_panel()>"Close pinned messages"</button>
            </div>
            {move || match pins() {
                None => view! { <p class="muted">"Loading pins…"</p> }.into_any(),
                Some(list) if list.is_empty() => {
                    view! { <p class="muted">"Nothing is pinned here yet."</p> }.into_any()
                }
                Some(list) => view! {
                    <ul class="pin-list">
                        {list.into_iter().map(|m| {
                            let author = chat.label_of(m.author_id);
                            view! {
                                <li class="pin">
                                    <div class="message-meta">
                                        <span class="author">{author}</span> " "
                                        <time>{short_time(m.created_at)}</time>
                                    </div>
                                    <Markdown body=m.body.clone() names=MentionNames::default() />
                                    <A href=app_href(&format!("/c/{}?m={}", m.channel_id, m.id))>
                                        "Show in channel"
                                    </A>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </aside>
    }
}

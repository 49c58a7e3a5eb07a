//! The in-meeting chat: the thread of the meeting's card message, so it stays
//! readable in the channel afterwards. Reuses the chat context's thread loading.

use leptos::prelude::*;
use tandem_protocol::chat::{ChannelId, MessageId};

use crate::components::chat::composer::Composer;
use crate::components::chat::message_row::MessageRow;
use crate::components::chat::pending_row::PendingRow;
use crate::contexts::chat::use_chat;

#[component]
pub fn MeetingChat(channel_id: ChannelId, root_id: MessageId) -> impl IntoView {
    let chat = use_chat();
    chat.open_thread(root_id);
    on_cleanup(move || {
        if !chat.panel.is_disposed() {
            chat.close_panel();
        }
    });
    let replies = move || {
        chat.thread
            .with(|t| t.as_ref().map(|t| t.replies.clone()).unwrap_or_default())
    };
    let error = move || {
        chat.thread
            .with(|t| t.as_ref().and_then(|t| t.error.clone()))
    };
    let pending = move || chat.pending_replies(root_id);
    view! {
        <aside class="side-panel meeting-panel meeting-chat" role="complementary"
            aria-label="Meeting chat">
            <h2>"Chat"</h2>
            {move || error().map(|m| view! { <p class="alert" role="alert">{m}</p> })}
            <div class="thread-replies" role="list" aria-label="Messages">
                <For each=replies key=|m| crate::components::chat::message_list::revision(m) let:m>
                    <div role="listitem"><MessageRow message=m in_thread=true /></div>
                </For>
                <For each=pending key=|c| c.id let:c>
                    <div role="listitem"><PendingRow command=c /></div>
                </For>
            </div>
            <Composer channel_id=channel_id label="Message the meeting" thread_root_id=root_id />
        </aside>
    }
}

//! "Ana is typing…" under the list (or the thread), announced politely.

use leptos::prelude::*;
use tandem_protocol::chat::{ChannelId, MessageId};

use crate::contexts::chat::names::typing_text;
use crate::contexts::chat::use_chat;

#[component]
pub fn TypingIndicator(channel_id: ChannelId, thread_root_id: Option<MessageId>) -> impl IntoView {
    let chat = use_chat();
    let text = move || {
        let names: Vec<String> = chat.typing.with(|t| {
            t.iter()
                .filter(|x| x.channel_id == channel_id && x.thread_root_id == thread_root_id)
                .map(|x| chat.name_of(x.user_id))
                .collect()
        });
        typing_text(&names)
    };
    view! { <div class="typing-indicator" aria-live="polite">{text}</div> }
}

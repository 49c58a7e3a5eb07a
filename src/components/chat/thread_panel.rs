//! The open thread beside the channel: root, replies, and a reply composer.

use leptos::prelude::*;
use tandem_protocol::chat::MessageId;

use crate::components::chat::composer::Composer;
use crate::components::chat::message_row::MessageRow;
use crate::components::chat::pending_row::PendingRow;
use crate::components::chat::typing_indicator::TypingIndicator;
use crate::components::urgency::EscalateButton;
use crate::contexts::chat::use_chat;

#[component]
pub fn ThreadPanel(
    channel_id: uuid::Uuid,
    root_id: MessageId,
    #[prop(into)] channel_title: String,
) -> impl IntoView {
    let chat = use_chat();
    let root = move || {
        chat.thread
            .with(|t| t.as_ref().and_then(|t| t.root.clone()))
    };
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
        <aside class="side-panel thread-panel" role="complementary" aria-label="Thread">
            <div class="panel-header">
                <h2>"Thread"</h2>
                // Members only: guests cannot start meetings.
                {(chat.api().user().role != tandem_protocol::api::Role::Guest).then(|| view! {
                    <EscalateButton message_id=root_id />
                })}
                <button type="button" class="button ghost small"
                    on:click=move |_| chat.close_panel()>"Close thread"</button>
            </div>
            {move || error().map(|m| view! { <p class="alert" role="alert">{m}</p> })}
            <div class="thread-body">
                {move || root().map(|m| view! { <MessageRow message=m in_thread=true /> })}
                <div class="thread-replies" role="list" aria-label="Replies">
                    <For each=replies
                        key=|m| crate::components::chat::message_list::revision(m) let:m>
                        <div role="listitem"><MessageRow message=m in_thread=true /></div>
                    </For>
                    <For each=pending key=|c| c.id let:c>
                        <div role="listitem"><PendingRow command=c /></div>
                    </For>
                </div>
            </div>
            <TypingIndicator channel_id=channel_id thread_root_id=Some(root_id) />
            <Composer channel_id=channel_id label="Reply in thread" thread_root_id=root_id
                also_to=channel_title />
        </aside>
    }
}

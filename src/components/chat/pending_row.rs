//! A message I sent that the server has not posted yet: "Sending…", or why it was
//! refused.

use leptos::prelude::*;
use tandem_protocol::ws::Command;

use crate::components::people::avatar::Avatar;
use crate::contexts::chat::use_chat;
use crate::markdown::{Markdown, MentionNames};
use crate::realtime::PendingCommand;
use crate::time::short_time;

#[component]
pub fn PendingRow(command: PendingCommand) -> impl IntoView {
    let chat = use_chat();
    let Command::SendMessage { body, .. } = command.command else {
        return ().into_any();
    };
    let id = command.id;
    let me = chat.name_of(chat.me);
    let error = move || chat.errors.with(|e| e.get(&id).cloned());
    view! {
        <article class="message pending" id=format!("msg-{id}")>
            <div class="message-gutter"><Avatar user_id=chat.me name=me.clone() /></div>
            <div class="message-main">
                <header class="message-meta">
                    <span class="author">{me.clone()}</span> " "
                    <time>{short_time(command.queued_at)}</time>
                </header>
                <Markdown body=body names=MentionNames::default() />
                {move || match error() {
                    None => view! { <p class="sending muted small">"Sending…"</p> }.into_any(),
                    Some(m) => view! {
                        <div class="row">
                            <p class="field-error" role="alert">{format!("Not sent: {m}")}</p>
                            <button type="button" class="button ghost small"
                                on:click=move |_| chat.dismiss_failed(id)>"Dismiss"</button>
                        </div>
                    }.into_any(),
                }}
            </div>
        </article>
    }
    .into_any()
}

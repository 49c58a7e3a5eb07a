//! One message as an `<article>`: author, time, Markdown body, attachments,
//! reactions, thread summary, and its actions.

use leptos::prelude::*;
use tandem_protocol::chat::{Message, MAX_MESSAGE_CHARS};

use crate::components::attachments::AttachmentList;
use crate::components::chat::message_actions::MessageActions;
use crate::components::chat::reactions::Reactions;
use crate::components::decisions::card::ProposalCard;
use crate::components::meeting::card::MeetingCard;
use crate::components::people::avatar::Avatar;
use crate::components::recordings::RecordingCard;
use crate::components::summary::SummaryCard;
use crate::components::urgency::UrgencyBadge;
use crate::contexts::chat::use_chat;
use crate::markdown::{Markdown, MentionNames};
use crate::time::{full_time, short_time};

#[component]
pub fn MessageRow(
    message: Message,
    /// Same author as the message above, shortly after: no name/avatar shown.
    #[prop(optional)]
    grouped: bool,
    /// Shown inside the thread panel (no "Reply in thread", no reply count).
    #[prop(optional)]
    in_thread: bool,
    #[prop(optional)] highlighted: bool,
) -> impl IntoView {
    let chat = use_chat();
    let id = message.id;
    let author = chat.name_of(message.author_id);
    // Shown beside the message: tells namesakes apart.
    let author_label = chat.label_of(message.author_id);
    let mentions_me = !message.deleted
        && message.author_id != chat.me
        && (message.mentions.contains(&chat.me) || message.mentions_channel);
    let names = chat.rt.people.with_untracked(|people| MentionNames {
        people: message
            .mentions
            .iter()
            .filter_map(|uid| people.iter().find(|u| u.id == *uid))
            .map(|u| (u.display_name.clone(), u.id == chat.me))
            .collect(),
        channel: message.mentions_channel,
    });
    let editing = move || chat.editing.get() == Some(id);
    let error = move || chat.errors.with(|e| e.get(&id).cloned());
    let body = message.body.clone();
    let replies = message.reply_count;
    let last_reply = message.last_reply_at;
    let dom_id = if in_thread {
        format!("thread-msg-{id}")
    } else {
        format!("msg-{id}")
    };

    view! {
        <article
            id=dom_id
            class="message"
            class:grouped=grouped
            class:mentions-me=mentions_me
            class:highlighted=highlighted
            class:pinned=message.pinned
            data-seq=message.seq.to_string()
            aria-description=mentions_me.then_some("Mentions you")
        >
            <div class="message-gutter">
                {if grouped {
                    view! {
                        <time class="gutter-time" aria-hidden="true">
                            {short_time(message.created_at)}
                        </time>
                    }.into_any()
                } else {
                    view! { <Avatar user_id=message.author_id name=author.clone() /> }.into_any()
                }}
            </div>
            <div class="message-main">
                <header class="message-meta" class:visually-hidden=grouped>
                    <span class="author">{author_label}</span>
                    " "
                    <time title=full_time(message.created_at)>
                        {short_time(message.created_at)}
                    </time>
                    {message.pinned.then(|| view! { <span class="pin-mark">" · Pinned"</span> })}
                </header>
                // Outside the header, which grouped messages hide visually.
                {(!message.deleted).then(|| view! { <UrgencyBadge urgency=message.urgency /> })}
                {move || if editing() {
                    view! { <EditBox id=id body=body.clone() /> }.into_any()
                } else if message.deleted {
                    view! { <p class="deleted">"This message was deleted."</p> }.into_any()
                } else {
                    view! {
                        <Markdown body=body.clone() names=names.clone() />
                        {message.edited_at.map(|at| view! {
                            <span class="edited" title=full_time(at)>"(edited)"</span>
                        })}
                    }.into_any()
                }}
                {message.meeting_id.filter(|_| !message.deleted).map(|meeting_id| view! {
                    <MeetingCard meeting_id />
                })}
                {message.recording_id.filter(|_| !message.deleted).map(|recording_id| view! {
                    <RecordingCard recording_id />
                })}
                {message.summary_meeting_id.filter(|_| !message.deleted).map(|meeting_id| view! {
                    <SummaryCard meeting_id channel_id=message.channel_id />
                })}
                {(!message.deleted && !message.attachments.is_empty()).then(|| view! {
                    <AttachmentList attachments=message.attachments.clone() />
                })}
                {(!message.deleted).then(|| view! { <ProposalCard message_id=id /> })}
                <Reactions message_id=id reactions=message.reactions.clone() />
                {(!in_thread && replies > 0).then(|| view! {
                    <button type="button" class="thread-summary"
                        on:click=move |_| chat.open_thread(id)>
                        {if replies == 1 {
                            "1 reply".to_string()
                        } else {
                            format!("{replies} replies")
                        }}
                        {last_reply.map(|at| view! {
                            <span class="muted small">" Last reply " {short_time(at)}</span>
                        })}
                    </button>
                })}
                {move || error().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            </div>
            {(!message.deleted).then(|| view! {
                <MessageActions message=message.clone() in_thread=in_thread />
            })}
        </article>
    }
}

/// Inline editing: Enter saves, Shift+Enter adds a line, Escape cancels.
#[component]
fn EditBox(id: tandem_protocol::chat::MessageId, body: String) -> impl IntoView {
    let chat = use_chat();
    let text = RwSignal::new(body.clone());
    let error = RwSignal::new(None::<String>);
    let node = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move |_| {
        if let Some(el) = node.get() {
            let _ = el.focus();
        }
    });
    let save = move || {
        let value = text.get_untracked();
        if let Err(e) = tandem_protocol::chat::validate_message_body(&value, 1) {
            error.set(Some(e.message));
            return;
        }
        if value.trim().is_empty() {
            error.set(Some("A message cannot be empty. Delete it instead.".into()));
            return;
        }
        if value != body {
            chat.edit_message(id, value);
        }
        chat.editing.set(None);
    };
    let save2 = save.clone();
    view! {
        <div class="edit-box">
            <textarea node_ref=node aria-label="Edit message" maxlength=MAX_MESSAGE_CHARS rows="3"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                        ev.prevent_default();
                        save();
                    } else if ev.key() == "Escape" {
                        ev.prevent_default();
                        ev.stop_propagation();
                        chat.editing.set(None);
                    }
                }></textarea>
            <div class="edit-actions">
                <button type="button" class="button secondary small"
                    on:click=move |_| chat.editing.set(None)>"Cancel"</button>
                <button type="button" class="button primary small" on:click=move |_| save2()>
                    "Save"
                </button>
            </div>
            {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        </div>
    }
}

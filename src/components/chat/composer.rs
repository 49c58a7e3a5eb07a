//! Writing a message: Enter sends, Shift+Enter adds a line, Up in an empty composer
//! edits my last message. Sends "typing" at most every three seconds. The urgency
//! picker starts at the channel's default; a non-critical message to someone away
//! first asks "Deliver later?".

use leptos::html;
use leptos::prelude::*;
use tandem_protocol::api::Role;
use tandem_protocol::chat::{
    validate_message_body, Attachment, ChannelId, MessageId, MAX_MESSAGE_CHARS,
};
use tandem_protocol::urgency::Urgency;

use crate::components::attachments::AttachmentPicker;
use crate::components::send_later::SendLater;
use crate::components::urgency::deliver_dialog::DeliverLaterDialog;
use crate::components::urgency::UrgencySelect;
use crate::contexts::chat::use_chat;

const TYPING_EVERY_MS: f64 = 3_000.0;

#[component]
pub fn Composer(
    channel_id: ChannelId,
    /// The textbox's accessible name: "Message #general", "Reply in thread".
    #[prop(into)]
    label: String,
    #[prop(optional)] thread_root_id: Option<MessageId>,
    /// For thread replies: "#general", offered as "Also send to #general".
    #[prop(optional, into)]
    also_to: Option<String>,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    let chat = use_chat();
    let body = RwSignal::new(String::new());
    let attachments = RwSignal::new(Vec::<Attachment>::new());
    let uploading = RwSignal::new(false);
    let reset = RwSignal::new(0u64);
    let also = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let last_typing = StoredValue::new(0.0f64);
    let node = NodeRef::<html::Textarea>::new();
    let uid = uuid::Uuid::new_v4().simple().to_string();
    let error_id = format!("composer-error-{uid}");
    // Guests always send Standard (the server enforces it): no picker for them.
    let is_guest = chat.api().user().role == Role::Guest;
    let default_urgency = Memo::new(move |_| {
        chat.my_channel(channel_id)
            .map(|c| c.channel.default_urgency)
            .unwrap_or_default()
    });
    let picked = RwSignal::new(None::<Urgency>);
    let urgency = Signal::derive(move || picked.get().unwrap_or_else(|| default_urgency.get()));
    let later =
        crate::components::urgency::deliver::DeliverLater::new(chat, channel_id, thread_root_id);
    // A send-later message keeps the urgency shown here (guests have none to pick).
    let send_later_urgency = Signal::derive(move || (!is_guest).then(|| urgency.get()));

    let clear = move || {
        body.set(String::new());
        attachments.set(Vec::new());
        reset.update(|r| *r += 1);
        also.set(false);
        error.set(None);
        picked.set(None);
    };
    let send_now = move || {
        chat.send_message(
            channel_id,
            body.get_untracked().trim_end().to_string(),
            thread_root_id,
            thread_root_id.is_some() && also.get_untracked(),
            attachments.get_untracked().iter().map(|a| a.id).collect(),
            (!is_guest).then(|| urgency.get_untracked()),
        );
        clear();
        last_typing.set_value(0.0);
    };
    let send = move || {
        let text = body.get_untracked();
        let files = attachments.get_untracked();
        if uploading.get_untracked() {
            error.set(Some(
                "Wait for the upload to finish, or cancel it.".to_string(),
            ));
            return;
        }
        if let Err(e) = validate_message_body(&text, files.len()) {
            error.set(Some(e.message));
            return;
        }
        if is_guest {
            return send_now();
        }
        later.send_or_ask(
            text,
            urgency.get_untracked(),
            files.is_empty(),
            Callback::new(move |_| send_now()),
        );
    };
    let edit_last = move || -> bool {
        let mine = |m: &tandem_protocol::chat::Message| m.author_id == chat.me && !m.deleted;
        let last = match thread_root_id {
            Some(_) => chat.thread.with_untracked(|t| {
                t.as_ref()
                    .and_then(|t| t.replies.iter().rev().find(|m| mine(m)).map(|m| m.id))
            }),
            None => chat
                .window
                .with_untracked(|w| w.messages.iter().rev().find(|m| mine(m)).map(|m| m.id)),
        };
        if let Some(id) = last {
            chat.editing.set(Some(id));
            true
        } else {
            false
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        match ev.key().as_str() {
            "Enter" if !ev.shift_key() && !ev.is_composing() => {
                ev.prevent_default();
                send();
            }
            // Up in an empty box edits our last message, if there is one to edit.
            "ArrowUp" if body.with_untracked(|b| b.is_empty()) && edit_last() => {
                ev.prevent_default();
            }
            _ => {}
        }
    };
    let on_input = move |ev: leptos::ev::Event| {
        body.set(event_target_value(&ev));
        if error.get_untracked().is_some() {
            error.set(None);
        }
        let now = js_sys::Date::now();
        if now - last_typing.get_value() >= TYPING_EVERY_MS
            && !body.with_untracked(|b| b.is_empty())
        {
            last_typing.set_value(now);
            chat.rt.typing(channel_id, thread_root_id);
        }
    };
    let on_change = Callback::new(move |files: Vec<Attachment>| attachments.set(files));
    let on_queued = Callback::new(move |_| clear());
    let body_signal = Signal::derive(move || body.get());
    let has_error = move || error.get().is_some();

    view! {
        <form class="composer"
            on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); send(); }>
            <textarea
                node_ref=node
                aria-label=label.clone()
                placeholder=label.clone()
                rows="2"
                maxlength=MAX_MESSAGE_CHARS
                disabled=move || disabled.get()
                aria-invalid=move || has_error().to_string()
                aria-describedby=move || has_error().then(|| error_id.clone())
                prop:value=move || body.get()
                on:input=on_input
                on:keydown=on_keydown
            ></textarea>
            {also_to.map(|name| view! {
                <label class="checkbox small">
                    <input type="checkbox" bind:checked=also />
                    <span>{format!("Also send to {name}")}</span>
                </label>
            })}
            <div class="composer-actions">
                <AttachmentPicker on_change=on_change reset=reset
                    on_busy=Callback::new(move |b| uploading.set(b)) />
                {(!is_guest).then(|| view! {
                    <UrgencySelect label="Urgency" value=urgency
                        on_change=Callback::new(move |u| picked.set(Some(u))) disabled=disabled />
                })}
                <span class="composer-spacer"></span>
                <SendLater channel_id=channel_id body=body_signal thread_root_id=thread_root_id
                    urgency=send_later_urgency on_queued=on_queued />
                <button type="submit" class="button primary" disabled=move || disabled.get()>
                    "Send"
                </button>
            </div>
            {move || error.get().map(|m| view! {
                <p id=format!("composer-error-{uid}") class="field-error" role="alert">{m}</p>
            })}
            <p class="deliver-later-status small" role="status">{move || later.status.get()}</p>
            {move || later.prompt.get().map(|(prompt, now, can_send_later)| view! {
                <DeliverLaterDialog prompt now can_send_later busy=later.busy error=later.error
                    on_deliver_at=Callback::new(move |at| later.deliver_at(
                        body.get_untracked(),
                        send_later_urgency.get_untracked(),
                        at,
                        Callback::new(move |_| clear()),
                    ))
                    on_send_now=Callback::new(move |_| { later.close(); send_now(); })
                    on_cancel=Callback::new(move |_| later.close()) />
            })}
        </form>
    }
}

//! The hover/focus toolbar on a message: react, acknowledge, reply, edit, delete, pin.
//! Icon buttons: the name is the button's `aria-label`, shown as its tooltip (`title`).

use leptos::prelude::*;
use tandem_protocol::api::Role;
use tandem_protocol::chat::Message;
use tandem_protocol::urgency::ACK_EMOJI;

use crate::components::chat::reactions::COMMON_EMOJI;
use crate::components::dialog::Dialog;
use crate::components::icons::{Glyph, Icon};
use crate::contexts::chat::use_chat;

#[component]
pub fn MessageActions(message: Message, in_thread: bool) -> impl IntoView {
    let chat = use_chat();
    let id = message.id;
    let mine = message.author_id == chat.me;
    let admin = chat.api().user().role == Role::Admin;
    let pinned = message.pinned;
    let pin_label = if pinned {
        "Unpin message"
    } else {
        "Pin message"
    };
    let picker = RwSignal::new(false);
    let confirm = RwSignal::new(false);
    let reacted: Vec<String> = message
        .reactions
        .iter()
        .filter(|r| r.user_ids.contains(&chat.me))
        .map(|r| r.emoji.clone())
        .collect();
    // "Seen, on it": the ✅ reaction, which also answers the message's response SLA.
    let acked = reacted.iter().any(|e| e == ACK_EMOJI);
    let reacted = StoredValue::new(reacted);
    // Proposals exist in the workspace shell only (not in a meeting's chat), one per message.
    let decisions = crate::components::decisions::store::use_decisions();
    let can_propose = move || decisions.is_some_and(|d| d.for_message(id).is_none());
    let channel_id = message.channel_id;
    let proposing = RwSignal::new(false);

    view! {
        <div class="message-actions" role="toolbar" aria-label="Message actions">
            <button type="button" class="icon-button" aria-label="Add reaction"
                title="Add reaction" aria-expanded=move || picker.get().to_string()
                on:click=move |_| picker.update(|p| *p = !*p)>
                <Icon glyph=Glyph::Smile />
            </button>
            {(!mine).then(|| view! {
                // Adds the ✅ reaction; the reaction itself stays an emoji.
                <button type="button" class="icon-button" class:pressed=acked
                    aria-pressed=acked.to_string() aria-label="Acknowledge" title="Acknowledge"
                    on:click=move |_| chat.set_reaction(id, ACK_EMOJI.to_string(), !acked)>
                    <Icon glyph=Glyph::Check />
                </button>
            })}
            {(!in_thread).then(|| view! {
                <button type="button" class="icon-button" aria-label="Reply in thread"
                    title="Reply in thread" on:click=move |_| chat.open_thread(id)>
                    <Icon glyph=Glyph::Reply />
                </button>
            })}
            {mine.then(|| view! {
                <button type="button" class="icon-button" aria-label="Edit message"
                    title="Edit message"
                    on:click=move |_| chat.editing.set(Some(id))>
                    <Icon glyph=Glyph::Edit />
                </button>
            })}
            {view! {
                <button type="button" class="icon-button" aria-label=pin_label title=pin_label
                    on:click=move |_| chat.set_pinned(id, !pinned)>
                    <Icon glyph=Glyph::Pin />
                </button>
            }}
            <Show when=can_propose>
                <button type="button" class="icon-button" aria-label="Make a proposal"
                    title="Make a proposal" on:click=move |_| proposing.set(true)>
                    <Icon glyph=Glyph::Ballot />
                </button>
            </Show>
            {(mine || admin).then(|| view! {
                <button type="button" class="icon-button danger" aria-label="Delete message"
                    title="Delete message"
                    on:click=move |_| confirm.set(true)>
                    <Icon glyph=Glyph::Delete />
                </button>
            })}
            {move || picker.get().then(|| view! {
                <div class="emoji-picker" role="group" aria-label="Pick a reaction"
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Escape" {
                            picker.set(false)
                        }
                    }>
                    {COMMON_EMOJI.iter().map(|e| {
                        let e = e.to_string();
                        let already = reacted.with_value(|r| r.contains(&e));
                        let label = format!("React with {e}");
                        view! {
                            <button type="button" class="emoji" aria-label=label
                                on:click={
                                    let e = e.clone();
                                    move |_| {
                                        picker.set(false);
                                        chat.set_reaction(id, e.clone(), !already);
                                    }
                                }>
                                {e.clone()}
                            </button>
                        }
                    }).collect_view()}
                </div>
            })}
        </div>
        {move || proposing.get().then(|| decisions.map(|store| view! {
            <crate::components::decisions::propose::ProposeDialog message_id=id channel_id store
                on_close=Callback::new(move |_| proposing.set(false)) />
        }))}
        {move || confirm.get().then(|| view! {
            <Dialog title="Delete message?" on_close=Callback::new(move |_| confirm.set(false))>
                <p>"This cannot be undone. Everyone will see “This message was deleted.”"</p>
                <div class="dialog-actions">
                    <button type="button" class="button secondary"
                        on:click=move |_| confirm.set(false)>"Cancel"</button>
                    <button type="button" class="button danger-solid"
                        on:click=move |_| { confirm.set(false); chat.delete_message(id); }>
                        "Delete"
                    </button>
                </div>
            </Dialog>
        })}
    }
}

//! Reactions under a message: toggle buttons named "<emoji> <count>", pressed when I
//! reacted, with who reacted in the tooltip.

use leptos::prelude::*;
use tandem_protocol::chat::{MessageId, Reaction};

use crate::contexts::chat::use_chat;

pub const COMMON_EMOJI: [&str; 8] = ["👍", "❤️", "😂", "🎉", "👀", "🙏", "✅", "🚀"];

#[component]
pub fn Reactions(message_id: MessageId, reactions: Vec<Reaction>) -> impl IntoView {
    let chat = use_chat();
    (!reactions.is_empty()).then(|| {
        view! {
            <div class="reactions">
                {reactions.into_iter().map(|r| {
                    let mine = r.user_ids.contains(&chat.me);
                    let who = chat.rt.people.with_untracked(|p| {
                        r.user_ids
                            .iter()
                            .map(|id| crate::contexts::chat::names::user_name(p, *id))
                            .collect::<Vec<_>>()
                            .join(", ")
                    });
                    let emoji = r.emoji.clone();
                    let count = r.user_ids.len();
                    view! {
                        <button type="button" class="reaction" class:mine=mine
                            aria-pressed=mine.to_string()
                            title=format!("Reacted with {}: {who}", r.emoji)
                            on:click=move |_| chat.set_reaction(message_id, emoji.clone(), !mine)>
                            {format!("{} {count}", r.emoji)}
                        </button>
                    }
                }).collect_view()}
            </div>
        }
    })
}

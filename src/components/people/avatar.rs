//! A person's initials in a circle, with their presence as a dot (and as text for
//! screen readers).

use leptos::prelude::*;
use tandem_protocol::chat::Presence;
use tandem_protocol::UserId;

use crate::contexts::chat::names::initials;
use crate::contexts::chat::use_chat;

pub fn presence_text(p: Presence) -> &'static str {
    match p {
        Presence::Online => "online",
        Presence::Away => "away",
        Presence::Offline => "offline",
        Presence::InMeeting => "in a meeting",
    }
}

#[component]
pub fn Avatar(user_id: UserId, #[prop(into)] name: String) -> impl IntoView {
    let chat = use_chat();
    let presence = move || {
        chat.presence
            .with(|p| p.get(&user_id).copied())
            .unwrap_or(Presence::Offline)
    };
    view! {
        <span class="avatar-wrap">
            <span class="avatar" aria-hidden="true">{initials(&name)}</span>
            <span
                class=move || {
                    format!("presence-dot {}", presence_text(presence()).replace(' ', "-"))
                }
                aria-hidden="true"></span>
            <span class="visually-hidden">
                {move || format!("({})", presence_text(presence()))}
            </span>
        </span>
    }
}

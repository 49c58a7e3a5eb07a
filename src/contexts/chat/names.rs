//! How channels and people are named on screen.

use tandem_protocol::api::User;
use tandem_protocol::chat::{Channel, ChannelKind};
use tandem_protocol::UserId;

pub fn user_name(people: &[User], id: UserId) -> String {
    people
        .iter()
        .find(|u| u.id == id)
        .map(|u| u.display_name.clone())
        .unwrap_or_else(|| "Someone".to_string())
}

/// DMs are named after the other members ("Ana, Ben"); a DM with oneself after me.
pub fn dm_names(channel: &Channel, people: &[User], me: UserId) -> String {
    let others: Vec<String> = channel
        .member_ids
        .iter()
        .filter(|id| **id != me)
        .map(|id| user_name(people, *id))
        .collect();
    if others.is_empty() {
        user_name(people, me)
    } else {
        others.join(", ")
    }
}

/// "general" for a channel, "Ana, Ben" for a DM.
pub fn plain_name(channel: &Channel, people: &[User], me: UserId) -> String {
    match channel.kind {
        ChannelKind::Direct => dm_names(channel, people, me),
        _ => channel.name.clone(),
    }
}

/// "#general" for a channel, "Ana, Ben" for a DM.
pub fn title(channel: &Channel, people: &[User], me: UserId) -> String {
    match channel.kind {
        ChannelKind::Direct => dm_names(channel, people, me),
        _ => format!("#{}", channel.name),
    }
}

/// The sidebar link's accessible name: "general, 3 unread, 1 mention".
pub fn unread_label(name: &str, unread: u32, mentions: u32) -> String {
    let mut label = name.to_string();
    if unread > 0 {
        label.push_str(&format!(", {unread} unread"));
    }
    if mentions > 0 {
        let noun = if mentions == 1 { "mention" } else { "mentions" };
        label.push_str(&format!(", {mentions} {noun}"));
    }
    label
}

/// "Ana is typing…", "Ana and Ben are typing…", "Ana, Ben and 2 others are typing…".
pub fn typing_text(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [a] => format!("{a} is typing…"),
        [a, b] => format!("{a} and {b} are typing…"),
        [a, b, c] => format!("{a}, {b} and {c} are typing…"),
        [a, b, rest @ ..] => format!("{a}, {b} and {} others are typing…", rest.len()),
    }
}

pub fn initials(name: &str) -> String {
    let mut words = name.split_whitespace();
    let first = words.next().and_then(|w| w.chars().next());
    let last = words.last().and_then(|w| w.chars().next());
    [first, last]
        .into_iter()
        .flatten()
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(unread_label("general", 0, 0), "general");
        assert_eq!(unread_label("general", 3, 1), "general, 3 unread, 1 mention");
        assert_eq!(unread_label("Ana", 2, 2), "Ana, 2 unread, 2 mentions");
        assert_eq!(typing_text(&["Ana".into()]), "Ana is typing…");
        assert_eq!(typing_text(&["Ana".into(), "Ben".into()]), "Ana and Ben are typing…");
        assert_eq!(initials("Ana Maria Lima"), "AL");
        assert_eq!(initials("ben"), "B");
        assert_eq!(initials(""), "");
    }
}

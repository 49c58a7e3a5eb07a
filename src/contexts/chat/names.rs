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

/// The name where it identifies who did something (a message's author, a member
/// list): `distinct_name`, so a namesake cannot pass for someone else.
pub fn user_label(people: &[User], id: UserId) -> String {
    people
        .iter()
        .find(|u| u.id == id)
        .map(|u| distinct_name(people, u))
        .unwrap_or_else(|| "Someone".to_string())
}

/// Names that could be taken for each other: case and runs of blanks do not count.
fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn email_local_part(user: &User) -> String {
    user.email
        .split('@')
        .next()
        .unwrap_or_default()
        .to_lowercase()
}

/// What tells `user` apart when someone else in `people` has the same display name:
/// the email's local part ("ana.lima"), or the whole email when that is shared too.
/// `None` when the name is unique. Display names are free text, so without this
/// anyone could call themselves after a colleague and be taken for them.
pub fn disambiguator(people: &[User], user: &User) -> Option<String> {
    let key = name_key(&user.display_name);
    let twins: Vec<&User> = people
        .iter()
        .filter(|u| u.id != user.id && name_key(&u.display_name) == key)
        .collect();
    if twins.is_empty() {
        return None;
    }
    let local = email_local_part(user);
    if local.is_empty() || twins.iter().any(|t| email_local_part(t) == local) {
        Some(user.email.clone())
    } else {
        Some(local)
    }
}

/// "Ana", or "Ana (ana.lima)" when someone else is called Ana too.
pub fn distinct_name(people: &[User], user: &User) -> String {
    match disambiguator(people, user) {
        Some(extra) => format!("{} ({extra})", user.display_name),
        None => user.display_name.clone(),
    }
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
    use tandem_protocol::api::Role;
    use uuid::Uuid;

    fn person(n: u128, name: &str, email: &str) -> User {
        User {
            id: Uuid::from_u128(n),
            display_name: name.into(),
            email: email.into(),
            role: Role::Member,
            status_text: String::new(),
            time_zone: "UTC".into(),
            created_at: 0,
        }
    }

    #[test]
    fn people_sharing_a_display_name_are_told_apart() {
        let people = vec![
            person(1, "Ana Lima", "ana.lima@example.com"),
            person(2, "ana  lima", "ana.l@other.example"),
            person(3, "Ben", "ben@example.com"),
            person(4, "Cy", "cy@a.example"),
            person(5, "Cy", "cy@b.example"),
        ];
        // Unique names stay as they are.
        assert_eq!(disambiguator(&people, &people[2]), None);
        assert_eq!(user_label(&people, people[2].id), "Ben");
        // Same name up to case and blanks: the email's local part.
        assert_eq!(user_label(&people, people[0].id), "Ana Lima (ana.lima)");
        assert_eq!(user_label(&people, people[1].id), "ana  lima (ana.l)");
        assert_eq!(user_name(&people, people[0].id), "Ana Lima");
        // Same local part too: the whole email.
        assert_eq!(distinct_name(&people, &people[3]), "Cy (cy@a.example)");
        assert_eq!(distinct_name(&people, &people[4]), "Cy (cy@b.example)");
        // Alone again (the twin left): back to the plain name.
        assert_eq!(distinct_name(&people[..4], &people[3]), "Cy");
        assert_eq!(user_label(&people, Uuid::from_u128(9)), "Someone");
    }

    #[test]
    fn labels() {
        assert_eq!(unread_label("general", 0, 0), "general");
        assert_eq!(
            unread_label("general", 3, 1),
            "general, 3 unread, 1 mention"
        );
        assert_eq!(unread_label("Ana", 2, 2), "Ana, 2 unread, 2 mentions");
        assert_eq!(typing_text(&["Ana".into()]), "Ana is typing…");
        assert_eq!(
            typing_text(&["Ana".into(), "Ben".into()]),
            "Ana and Ben are typing…"
        );
        assert_eq!(initials("Ana Maria Lima"), "AL");
        assert_eq!(initials("ben"), "B");
        assert_eq!(initials(""), "");
    }
}

//! Finding `@mentions` in a message body, server-side, so the stored mentions do not
//! depend on what a client claims.

use tandem_protocol::UserId;

/// Words that mention everyone in the channel.
const CHANNEL_WORDS: [&str; 3] = ["channel", "here", "everyone"];

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Mentions {
    pub users: Vec<UserId>,
    pub channel: bool,
}

/// `@Display Name` matches a member case-insensitively (longest name wins, and it must
/// end at a non-alphanumeric boundary); `@channel`, `@here`, `@everyone` mention all.
/// An `@` inside a word (an email address) is not a mention.
pub fn parse(body: &str, members: &[(UserId, String)]) -> Mentions {
    let mut found = Mentions::default();
    let mut previous: Option<char> = None;
    for (at, c) in body.char_indices() {
        let starts_word = previous.is_none_or(|p| !p.is_alphanumeric());
        previous = Some(c);
        if c != '@' || !starts_word {
            continue;
        }
        let rest = &body[at + 1..];
        if CHANNEL_WORDS
            .iter()
            .any(|word| matched_len(rest, word).is_some())
        {
            found.channel = true;
            continue;
        }
        let best = members
            .iter()
            .filter_map(|(id, name)| matched_len(rest, name).map(|len| (len, *id)))
            .max_by_key(|(len, _)| *len);
        if let Some((_, id)) = best {
            if !found.users.contains(&id) {
                found.users.push(id);
            }
        }
    }
    found
}

/// If `text` starts with `name` (case-insensitively) followed by the end or a
/// non-alphanumeric character: the byte length matched.
pub fn matched_len(text: &str, name: &str) -> Option<usize> {
    if name.is_empty() {
        return None;
    }
    let mut chars = text.char_indices();
    for expected in name.chars() {
        let (_, actual) = chars.next()?;
        if !actual.to_lowercase().eq(expected.to_lowercase()) {
            return None;
        }
    }
    match chars.next() {
        None => Some(text.len()),
        Some((end, next)) if !next.is_alphanumeric() => Some(end),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn longest_name_wins_at_a_boundary() {
        let (ana, ana_lee, bo) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let members = vec![
            (ana, "Ana".to_string()),
            (ana_lee, "Ana Lee".to_string()),
            (bo, "Bo".to_string()),
        ];
        assert_eq!(parse("hi @ana lee!", &members).users, vec![ana_lee]);
        assert_eq!(parse("hi @Ana, and @bob", &members).users, vec![ana]);
        assert!(parse("mail bo@example.com", &members).users.is_empty());
        let all = parse("@here look", &members);
        assert!(all.channel && all.users.is_empty());
        assert!(!parse("@channels", &members).channel);
    }
}

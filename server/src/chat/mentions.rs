//! Finding `@mentions` in a message body, server-side, so the stored mentions do not
//! depend on what a client claims.

use sqlx::AnyConnection;
use tandem_protocol::chat::ChannelId;
use tandem_protocol::UserId;

use crate::db::channels;

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
    for rest in mention_points(body) {
        if is_channel_word(rest) {
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

/// The mentions in a body posted to (or edited in) a channel: its members' names are
/// loaded only when the body could name someone.
pub async fn find(
    conn: &mut AnyConnection,
    channel_id: ChannelId,
    body: &str,
) -> Result<Mentions, sqlx::Error> {
    let members = if may_name_someone(body) {
        channels::member_names(conn, channel_id).await?
    } else {
        Vec::new()
    };
    Ok(parse(body, &members))
}

/// Whether the body could name a person at all: most messages cannot, and then the
/// channel's member names (a thousand, in a big channel) need not be loaded.
fn may_name_someone(body: &str) -> bool {
    mention_points(body).any(|rest| !is_channel_word(rest))
}

/// The text after each `@` that starts a word.
fn mention_points(body: &str) -> impl Iterator<Item = &str> {
    let mut previous: Option<char> = None;
    body.char_indices().filter_map(move |(at, c)| {
        let starts_word = previous.is_none_or(|p| !p.is_alphanumeric());
        previous = Some(c);
        (c == '@' && starts_word).then(|| &body[at + 1..])
    })
}

fn is_channel_word(rest: &str) -> bool {
    CHANNEL_WORDS
        .iter()
        .any(|word| matched_len(rest, word).is_some())
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

    #[test]
    fn only_a_possible_name_needs_the_member_list() {
        assert!(!may_name_someone("no one in particular"));
        assert!(!may_name_someone(
            "mail ana@example.com, @channel and @here"
        ));
        assert!(may_name_someone("@Bo can you look?"));
        assert!(may_name_someone("(@someone)"));
    }
}

//! Who may see an event. Stored with each event; applied on live fan-out by the
//! subscriber index (`subscribers::Index::recipients`) and on replay by the same rules
//! in SQL (`db::events::range_visible`), so a new audience changes those two.

use tandem_protocol::chat::ChannelId;
use tandem_protocol::meetings::MeetingId;
use tandem_protocol::UserId;
use uuid::Uuid;

use crate::meetings::GuestScope;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Every member of the workspace.
    Workspace,
    /// One person (all of their tabs).
    User(UserId),
    /// The channel's members.
    Channel(ChannelId),
    /// The channel's members and this person: a membership change reaches the person
    /// it concerns even when they are no longer (or not yet known as) a member.
    ChannelAndUser(ChannelId, UserId),
    /// The channel's members and the meeting's guests: the meeting's card, its thread
    /// (the in-meeting chat) and `meeting_updated`.
    ChannelAndMeeting(ChannelId, MeetingId),
    /// A value this server version does not know: visible to no one.
    Unknown(String),
}

impl Audience {
    pub fn to_text(&self) -> String {
        match self {
            Audience::Workspace => "workspace".to_string(),
            Audience::User(user) => format!("user:{user}"),
            Audience::Channel(channel) => format!("channel:{channel}"),
            Audience::ChannelAndUser(channel, user) => format!("channel:{channel}+user:{user}"),
            Audience::ChannelAndMeeting(channel, meeting) => {
                format!("channel:{channel}+meeting:{meeting}")
            }
            Audience::Unknown(other) => other.clone(),
        }
    }

    pub fn parse(text: &str) -> Self {
        let unknown = || Audience::Unknown(text.to_string());
        if text == "workspace" {
            return Audience::Workspace;
        }
        if let Some(user) = text.strip_prefix("user:") {
            return Uuid::parse_str(user).map_or_else(|_| unknown(), Audience::User);
        }
        if let Some(rest) = text.strip_prefix("channel:") {
            if let Some((channel, user)) = rest.split_once("+user:") {
                return match (Uuid::parse_str(channel), Uuid::parse_str(user)) {
                    (Ok(channel), Ok(user)) => Audience::ChannelAndUser(channel, user),
                    _ => unknown(),
                };
            }
            if let Some((channel, meeting)) = rest.split_once("+meeting:") {
                return match (Uuid::parse_str(channel), Uuid::parse_str(meeting)) {
                    (Ok(channel), Ok(meeting)) => Audience::ChannelAndMeeting(channel, meeting),
                    _ => unknown(),
                };
            }
            return Uuid::parse_str(rest).map_or_else(|_| unknown(), Audience::Channel);
        }
        unknown()
    }
}

/// The person a connection belongs to: whose events it replays.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user_id: UserId,
    /// Set for a guest: they see their own meeting and nothing else.
    pub guest: Option<GuestScope>,
}

impl Viewer {
    pub fn new(user_id: UserId) -> Self {
        Viewer {
            user_id,
            guest: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audiences_round_trip_as_text() {
        let (me, other, channel) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        for audience in [
            Audience::Workspace,
            Audience::User(me),
            Audience::Channel(channel),
            Audience::ChannelAndUser(channel, other),
            Audience::ChannelAndMeeting(channel, other),
        ] {
            assert_eq!(Audience::parse(&audience.to_text()), audience);
        }
        assert_eq!(
            Audience::parse("channel:nope"),
            Audience::Unknown("channel:nope".into())
        );
        // The SQL mirror relies on the channel id sitting at a fixed position.
        assert_eq!(
            &Audience::ChannelAndMeeting(channel, other).to_text()[8..44],
            channel.to_string()
        );
        assert_eq!(
            &Audience::ChannelAndUser(channel, me).to_text()[8..44],
            channel.to_string()
        );
    }
}

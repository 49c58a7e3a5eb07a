//! Who may see an event. Stored with each event; checked on live fan-out by
//! `visible_to` and on replay by the same rules in SQL (`db::events::range_visible`),
//! so a new audience changes this file and that query only.

use std::collections::HashSet;

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

/// The person a connection belongs to, with the channels they are in. The set is
/// loaded at `resume` and then kept current by the membership events the connection
/// sees in `seq` order, so live fan-out never touches the database.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user_id: UserId,
    pub channels: HashSet<ChannelId>,
    /// Set for a guest: they see their own meeting and nothing else.
    pub guest: Option<GuestScope>,
}

impl Viewer {
    pub fn new(user_id: UserId) -> Self {
        Viewer {
            user_id,
            channels: HashSet::new(),
            guest: None,
        }
    }
}

pub fn visible_to(viewer: &Viewer, audience: &Audience) -> bool {
    if let Some(guest) = &viewer.guest {
        // No workspace or channel events: only their own and their meeting's.
        return match audience {
            Audience::User(user) => *user == viewer.user_id,
            Audience::ChannelAndMeeting(_, meeting) => *meeting == guest.meeting_id,
            _ => false,
        };
    }
    match audience {
        Audience::Workspace => true,
        Audience::User(user) => *user == viewer.user_id,
        Audience::Channel(channel) => viewer.channels.contains(channel),
        Audience::ChannelAndUser(channel, user) => {
            *user == viewer.user_id || viewer.channels.contains(channel)
        }
        Audience::ChannelAndMeeting(channel, _) => viewer.channels.contains(channel),
        Audience::Unknown(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audiences_round_trip_and_decide_visibility() {
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
        let mut viewer = Viewer::new(me);
        assert!(!visible_to(&viewer, &Audience::Channel(channel)));
        assert!(visible_to(&viewer, &Audience::ChannelAndUser(channel, me)));
        assert!(!visible_to(&viewer, &Audience::User(other)));
        viewer.channels.insert(channel);
        assert!(visible_to(&viewer, &Audience::Channel(channel)));
        assert!(visible_to(
            &viewer,
            &Audience::ChannelAndMeeting(channel, other)
        ));
        // A guest sees their meeting only, never the workspace or the channel.
        let meeting = Uuid::from_u128(9);
        let mut guest = Viewer::new(other);
        guest.guest = Some(GuestScope {
            meeting_id: meeting,
            channel_id: channel,
            card_message_id: Uuid::from_u128(10),
        });
        assert!(visible_to(
            &guest,
            &Audience::ChannelAndMeeting(channel, meeting)
        ));
        assert!(!visible_to(
            &guest,
            &Audience::ChannelAndMeeting(channel, me)
        ));
        assert!(!visible_to(&guest, &Audience::Workspace));
        assert!(!visible_to(&guest, &Audience::Channel(channel)));
        assert_eq!(
            &Audience::ChannelAndMeeting(channel, meeting).to_text()[8..44],
            channel.to_string()
        );
        // The SQL mirror relies on the channel id sitting at a fixed position.
        assert_eq!(
            &Audience::ChannelAndUser(channel, me).to_text()[8..44],
            channel.to_string()
        );
    }
}

//! Names for channels and people in search results and the send-later list, from the
//! channel and user lists (ids are all a message carries).

use std::collections::HashMap;

use tandem_protocol::api::User;
use tandem_protocol::chat::{Channel, ChannelId, MyChannel};
use tandem_protocol::UserId;

use crate::contexts::chat::names::{title, user_name};

/// Everything needed to label a result, fetched once per page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Directory {
    channels: HashMap<ChannelId, Channel>,
    people: Vec<User>,
    me: UserId,
}

impl Directory {
    pub fn new(channels: Vec<MyChannel>, people: Vec<User>, me: UserId) -> Self {
        Self {
            channels: channels
                .into_iter()
                .map(|c| (c.channel.id, c.channel))
                .collect(),
            people,
            me,
        }
    }

    pub fn person(&self, id: UserId) -> String {
        user_name(&self.people, id)
    }

    /// "#general", or "Ana, Ben" for a DM: the same names the sidebar uses.
    pub fn channel(&self, id: ChannelId) -> String {
        match self.channels.get(&id) {
            Some(c) => title(c, &self.people, self.me),
            // A channel I have since left: still say what it is.
            None => "#unknown-channel".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::api::Role;
    use tandem_protocol::chat::ChannelKind;
    use uuid::Uuid;

    fn user(n: u128, name: &str) -> User {
        User {
            id: Uuid::from_u128(n),
            display_name: name.into(),
            email: format!("{n}@example.com"),
            role: Role::Member,
            status_text: String::new(),
            time_zone: "UTC".into(),
            created_at: 0,
        }
    }

    fn channel(n: u128, kind: ChannelKind, name: &str, members: Vec<UserId>) -> MyChannel {
        MyChannel {
            channel: Channel {
                id: Uuid::from_u128(n),
                kind,
                name: name.into(),
                topic: String::new(),
                archived: false,
                created_by: Uuid::from_u128(1),
                created_at: 0,
                member_count: members.len() as u32,
                member_ids: members,
                default_urgency: Default::default(),
            },
            last_read_seq: 0,
            unread_count: 0,
            mention_count: 0,
            last_message_seq: 0,
        }
    }

    #[test]
    fn channels_and_dms_are_named() {
        let (me, ana, bo) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let dir = Directory::new(
            vec![
                channel(10, ChannelKind::Public, "general", vec![]),
                channel(11, ChannelKind::Private, "ops", vec![]),
                channel(12, ChannelKind::Direct, "", vec![me, ana, bo]),
            ],
            vec![user(1, "Me"), user(2, "Ana"), user(3, "Bo")],
            me,
        );
        assert_eq!(dir.channel(Uuid::from_u128(10)), "#general");
        assert_eq!(dir.channel(Uuid::from_u128(11)), "#ops");
        assert_eq!(dir.channel(Uuid::from_u128(12)), "Ana, Bo");
        assert_eq!(dir.channel(Uuid::from_u128(99)), "#unknown-channel");
        assert_eq!(dir.person(ana), "Ana");
        assert_eq!(dir.person(Uuid::from_u128(42)), "Someone");
    }
}

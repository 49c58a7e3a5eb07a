//! Where "Open" goes for an item: the message in its channel, like a search result.
//! A thread reply opens at its thread's root (the reply is not in the channel's list).

use tandem_protocol::chat::{ChannelId, MessageId};
use tandem_protocol::urgency::ActionItem;

pub fn message_href(
    channel_id: ChannelId,
    message_id: MessageId,
    thread_root_id: Option<MessageId>,
) -> String {
    crate::components::search::results::hit_href(channel_id, thread_root_id.unwrap_or(message_id))
}

/// Where an action item came from: the meeting's summary card (or its meeting card)
/// in the channel. The card may be a thread reply whose root the item does not carry;
/// the server centres a page asked `around` a reply on its thread's root, so the link
/// still lands on the thread. An item not yet tied to a card opens its channel.
pub fn action_item_href(item: &ActionItem) -> String {
    match item.message_id {
        Some(message_id) => message_href(item.channel_id, message_id, None),
        None => format!("/c/{}", item.channel_id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn item(message_id: Option<MessageId>) -> ActionItem {
        ActionItem {
            id: Uuid::from_u128(1),
            meeting_id: Uuid::from_u128(2),
            channel_id: Uuid::from_u128(3),
            message_id,
            text: "ship it".into(),
            owner_id: Uuid::from_u128(4),
            due_at: 0,
            done: false,
        }
    }

    #[test]
    fn links_lead_to_the_thread_or_the_card() {
        let (channel, root, reply) = (Uuid::from_u128(3), Uuid::from_u128(5), Uuid::from_u128(6));
        assert_eq!(
            message_href(channel, reply, Some(root)),
            format!("/c/{channel}?m={root}")
        );
        assert_eq!(
            message_href(channel, root, None),
            format!("/c/{channel}?m={root}")
        );
        assert_eq!(
            action_item_href(&item(Some(reply))),
            format!("/c/{channel}?m={reply}")
        );
        assert_eq!(action_item_href(&item(None)), format!("/c/{channel}"));
    }
}

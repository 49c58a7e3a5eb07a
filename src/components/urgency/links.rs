//! Where "Open" goes for an item: the message in its channel, like a search result.
//! A thread reply opens at its thread's root (the reply is not in the channel's list).

use tandem_protocol::chat::{ChannelId, MessageId};

pub fn message_href(
    channel_id: ChannelId,
    message_id: MessageId,
    thread_root_id: Option<MessageId>,
) -> String {
    crate::components::search::results::hit_href(channel_id, thread_root_id.unwrap_or(message_id))
}

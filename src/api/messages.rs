//! History pages, pins and threads. Changes go over the WebSocket, not here.

use tandem_protocol::chat::{ChannelId, Message, MessageId, MessagePage, Thread};

use super::client::{get, into_json, send, Result};
use super::AuthorizedApi;

/// Which page of a channel's history to fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageQuery {
    /// The newest messages.
    Latest { limit: u32 },
    /// Messages older than this seq.
    Before { seq: i64, limit: u32 },
    /// A page with this message in the middle.
    Around { message_id: MessageId },
}

impl PageQuery {
    pub fn to_query_string(self) -> String {
        match self {
            PageQuery::Latest { limit } => format!("?limit={limit}"),
            PageQuery::Before { seq, limit } => format!("?before={seq}&limit={limit}"),
            PageQuery::Around { message_id } => format!("?around={message_id}"),
        }
    }
}

impl AuthorizedApi {
    pub async fn messages(&self, channel: ChannelId, query: PageQuery) -> Result<MessagePage> {
        let path = format!(
            "/api/channels/{channel}/messages{}",
            query.to_query_string()
        );
        into_json(send(get(self.base(), &path)).await?).await
    }

    pub async fn pins(&self, channel: ChannelId) -> Result<Vec<Message>> {
        into_json(send(get(self.base(), &format!("/api/channels/{channel}/pins"))).await?).await
    }

    pub async fn thread(&self, root: MessageId) -> Result<Thread> {
        into_json(send(get(self.base(), &format!("/api/messages/{root}/thread"))).await?).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn query_strings() {
        assert_eq!(
            PageQuery::Latest { limit: 50 }.to_query_string(),
            "?limit=50"
        );
        assert_eq!(
            PageQuery::Before { seq: 9, limit: 50 }.to_query_string(),
            "?before=9&limit=50"
        );
        assert_eq!(
            PageQuery::Around {
                message_id: Uuid::nil()
            }
            .to_query_string(),
            format!("?around={}", Uuid::nil())
        );
    }
}

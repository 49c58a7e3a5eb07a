//! Pure shaping of search results: order, links and snippet fallback.

use tandem_protocol::chat::{ChannelId, MessageId, SearchHit, SnippetPart};

/// Newest first, whatever order the server ranked them in; `seq` breaks ties
/// between messages posted in the same millisecond.
pub fn newest_first(mut hits: Vec<SearchHit>) -> Vec<SearchHit> {
    hits.sort_by(|a, b| {
        (b.message.created_at, b.message.seq).cmp(&(a.message.created_at, a.message.seq))
    });
    hits
}

/// The channel view jumps to (and highlights) the message named by `m`.
pub fn hit_href(channel_id: ChannelId, message_id: MessageId) -> String {
    format!("/c/{channel_id}?m={message_id}")
}

/// The parts to show: the server's snippet, or the plain body when it sent none.
pub fn snippet_parts(hit: &SearchHit) -> Vec<SnippetPart> {
    if hit.snippet.iter().any(|p| !p.text.is_empty()) {
        hit.snippet.clone()
    } else {
        vec![SnippetPart {
            text: hit.message.body.clone(),
            highlight: false,
        }]
    }
}

/// The app's search URL for a query typed in the box; `None` for a blank query.
pub fn search_href(query: &str) -> Option<String> {
    let q = query.trim();
    (!q.is_empty()).then(|| format!("/search?q={}", crate::api::search::encode_component(q)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::chat::Message;
    use tandem_protocol::test_support::message;
    use uuid::Uuid;

    fn hit(n: u128, created_at: i64, seq: i64, snippet: Vec<SnippetPart>) -> SearchHit {
        SearchHit {
            message: Message {
                id: Uuid::from_u128(n),
                created_at,
                ..message(seq, &format!("body {n}"))
            },
            snippet,
        }
    }

    #[test]
    fn newest_first_with_seq_tiebreak() {
        let hits = vec![
            hit(1, 10, 1, vec![]),
            hit(2, 30, 3, vec![]),
            hit(3, 30, 4, vec![]),
            hit(4, 20, 2, vec![]),
        ];
        let ids: Vec<u128> = newest_first(hits)
            .iter()
            .map(|h| h.message.id.as_u128())
            .collect();
        assert_eq!(ids, vec![3, 2, 4, 1]);
    }

    #[test]
    fn links_and_snippets() {
        let (c, m) = (Uuid::from_u128(5), Uuid::from_u128(6));
        assert_eq!(hit_href(c, m), format!("/c/{c}?m={m}"));
        let parts = vec![
            SnippetPart {
                text: "the ".into(),
                highlight: false,
            },
            SnippetPart {
                text: "deploy".into(),
                highlight: true,
            },
        ];
        assert_eq!(snippet_parts(&hit(1, 0, 0, parts.clone())), parts);
        assert_eq!(
            snippet_parts(&hit(1, 0, 0, vec![])),
            vec![SnippetPart {
                text: "body 1".into(),
                highlight: false
            }]
        );
    }

    #[test]
    fn search_hrefs() {
        assert_eq!(search_href("   "), None);
        assert_eq!(
            search_href(" in:#ops <b>"),
            Some("/search?q=in%3A%23ops%20%3Cb%3E".to_string())
        );
    }
}

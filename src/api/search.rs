//! `GET /api/search`.

use tandem_protocol::chat::SearchResults;

use super::client::{get, into_json, send};
use super::{AuthorizedApi, Error};

impl AuthorizedApi {
    /// Full-text search over every message I can see. `in:#channel` and `from:@name`
    /// filters travel inside the query; the server parses them.
    pub async fn search(&self, query: &str) -> Result<SearchResults, Error> {
        into_json(send(get(self.base(), &search_path(query))).await?).await
    }
}

pub fn search_path(query: &str) -> String {
    format!("/api/search?q={}", encode_component(query.trim()))
}

/// Percent-encodes everything except RFC 3986's unreserved characters, so `#`, `@`,
/// `&`, `+` and spaces in a query or file name survive as data, never as URL syntax.
/// Pure (unlike `encodeURIComponent`) so it is unit-tested natively.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_and_unicode_are_encoded() {
        assert_eq!(
            search_path("  deploy in:#ops from:@Ana Lima "),
            "/api/search?q=deploy%20in%3A%23ops%20from%3A%40Ana%20Lima"
        );
        assert_eq!(encode_component("a&b=c+d/é"), "a%26b%3Dc%2Bd%2F%C3%A9");
        assert_eq!(encode_component("file-1_v2.~txt"), "file-1_v2.~txt");
    }
}

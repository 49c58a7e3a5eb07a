//! Where an attachment is fetched from, and the upload size limit.

/// The server's default limit; the server stays authoritative (it answers 413).
pub const MAX_UPLOAD_BYTES: u64 = 25 * 1024 * 1024;

/// `Attachment.url` is relative to the API base (`/api/files/…`); an absolute URL
/// (a future CDN) is used as it is.
pub fn attachment_href(api_base: &str, url: &str) -> String {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return url.to_string();
    }
    let base = api_base.trim_end_matches('/');
    if url.starts_with('/') {
        format!("{base}{url}")
    } else {
        format!("{base}/{url}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_get_the_api_base() {
        assert_eq!(attachment_href("", "/api/files/1"), "/api/files/1");
        assert_eq!(
            attachment_href("/tandem/", "/api/files/1"),
            "/tandem/api/files/1"
        );
        assert_eq!(
            attachment_href("https://api.example.com", "api/files/1"),
            "https://api.example.com/api/files/1"
        );
        assert_eq!(
            attachment_href("/tandem", "https://cdn.example.com/x.png"),
            "https://cdn.example.com/x.png"
        );
    }
}

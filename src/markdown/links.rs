//! Which link targets may become real links.

/// `http`, `https` and `mailto` only (case-insensitive scheme, no leading blanks or
/// control characters that browsers would strip). Everything else, relative URLs and
/// `javascript:` included, is refused and rendered as plain text.
pub fn safe_href(url: &str) -> Option<String> {
    let url = url.trim();
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return None;
    }
    let (scheme, rest) = url.split_once(':')?;
    let scheme = scheme.to_ascii_lowercase();
    let ok = match scheme.as_str() {
        "http" | "https" => rest.starts_with("//") && rest.len() > 2,
        "mailto" => !rest.is_empty(),
        _ => false,
    };
    ok.then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_and_mail_links() {
        assert!(safe_href("https://example.com/a?b=c").is_some());
        assert!(safe_href("HTTP://example.com").is_some());
        assert!(safe_href("mailto:ana@example.com").is_some());
        assert!(safe_href("javascript:alert(1)").is_none());
        assert!(safe_href("JavaScript:alert(1)").is_none());
        assert!(safe_href(" javascript:alert(1)").is_none());
        assert!(safe_href("java\tscript:alert(1)").is_none());
        assert!(safe_href("data:text/html,<script>alert(1)</script>").is_none());
        assert!(safe_href("vbscript:x").is_none());
        assert!(safe_href("/relative").is_none());
        assert!(safe_href("https:").is_none());
    }
}

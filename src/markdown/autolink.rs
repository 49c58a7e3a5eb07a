//! Bare web addresses in message text become links, as in every chat app: `linkify`
//! finds where an address ends (trailing punctuation, parentheses, quotes), and the
//! address must then pass the same [`safe_href`] rule as a Markdown link, restricted to
//! `http` and `https` (a bare `mailto:` or `javascript:` stays text).

use linkify::{LinkFinder, LinkKind};

use super::links::safe_href;

#[derive(Debug, Clone, PartialEq)]
pub enum Piece<'t> {
    Text(&'t str),
    /// The address as written, which is also the href.
    Url(&'t str),
}

/// `text` cut into plain text and web addresses, in order; joined, the pieces are `text`.
pub fn split_urls(text: &str) -> Vec<Piece<'_>> {
    // Cheap test first: most message text has no scheme separator at all.
    if !text.contains("://") {
        return vec![Piece::Text(text)];
    }
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkKind::Url]).url_must_have_scheme(true);
    let mut pieces = Vec::new();
    // Where the text not yet in a piece starts.
    let mut rest = 0;
    for link in finder.links(text).filter(|l| is_web(l.as_str())) {
        if link.start() > rest {
            pieces.push(Piece::Text(&text[rest..link.start()]));
        }
        pieces.push(Piece::Url(link.as_str()));
        rest = link.end();
    }
    if rest < text.len() {
        pieces.push(Piece::Text(&text[rest..]));
    }
    pieces
}

fn is_web(url: &str) -> bool {
    let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
    matches!(scheme.as_deref(), Some("http" | "https")) && safe_href(url).is_some()
}

#[cfg(test)]
mod tests {
    use super::Piece::{Text, Url};
    use super::*;

    #[test]
    fn bare_web_addresses_are_found_with_their_right_ends() {
        assert_eq!(split_urls("no links here"), vec![Text("no links here")]);
        assert_eq!(
            split_urls("see https://example.com/a?b=c, then"),
            vec![
                Text("see "),
                Url("https://example.com/a?b=c"),
                Text(", then")
            ]
        );
        assert_eq!(
            split_urls("(http://example.com/x) and HTTPS://EXAMPLE.COM."),
            vec![
                Text("("),
                Url("http://example.com/x"),
                Text(") and "),
                Url("HTTPS://EXAMPLE.COM"),
                Text(".")
            ]
        );
        assert_eq!(
            split_urls("https://en.wikipedia.org/wiki/Link_(Zelda)"),
            vec![Url("https://en.wikipedia.org/wiki/Link_(Zelda)")]
        );
    }

    #[test]
    fn only_http_and_https_become_links() {
        for text in [
            "javascript://example.com/%0aalert(1)",
            "ftp://example.com/file",
            "data://text/html,hi",
            "file:///etc/passwd",
            "mailto:ana@example.com",
            "ana@example.com",
            "example.com/no-scheme",
            "https://",
        ] {
            assert_eq!(split_urls(text), vec![Text(text)], "{text}");
        }
        assert_eq!(
            split_urls("ftp://a.example/x https://b.example/y"),
            vec![Text("ftp://a.example/x "), Url("https://b.example/y")]
        );
    }
}

//! The content-serving rule: every response carrying bytes that people uploaded
//! (attachments, recordings, thumbnails) gets its headers from [`apply`] and nowhere
//! else, so no route can serve user bytes as a page of this origin.
//!
//! - The type is never the uploader's word: an allow-listed image, audio or video type
//!   is served as itself (inline); anything else is `application/octet-stream` and a
//!   download.
//! - `X-Content-Type-Options: nosniff`, so browsers do not guess a type from the bytes.
//! - `Content-Security-Policy: default-src 'none'; sandbox`: even if the bytes are
//!   opened as a document, they run no script, load nothing and have no origin.
//! - `Cross-Origin-Resource-Policy: same-origin` (`same-site` when the front-end is
//!   hosted on another origin of the same site, see `--allowed-origin`), so other sites
//!   cannot embed them.
//! - A Content-Disposition with an ASCII fallback name and the exact UTF-8 name.

use axum::http::{header, HeaderMap, HeaderValue};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::config::Config;

/// Types shown inline (images in the chat, recordings in the player). None of them
/// can run script.
pub const INLINE_TYPES: [&str; 6] = [
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "video/webm",
    "audio/webm",
];

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; sandbox";
const DOWNLOAD_TYPE: &str = "application/octet-stream";

/// The type to serve for a claimed one (parameters and case ignored) and whether it
/// may be shown inline.
pub fn safe_type(claimed: &str) -> (&'static str, bool) {
    let essence = claimed.split(';').next().unwrap_or("").trim();
    INLINE_TYPES
        .into_iter()
        .find(|t| t.eq_ignore_ascii_case(essence))
        .map_or((DOWNLOAD_TYPE, false), |t| (t, true))
}

/// Characters left as-is in an RFC 5987 `filename*` value (attr-char).
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// RFC 6266: an ASCII fallback `filename` (anything else, quotes and backslashes
/// become `_`) plus the exact UTF-8 `filename*` (RFC 5987).
pub fn content_disposition(inline: bool, name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let kind = if inline { "inline" } else { "attachment" };
    let encoded = utf8_percent_encode(name, ATTR_CHAR);
    format!("{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// Sets the headers of a response carrying user bytes (replacing any already set,
/// e.g. a type guessed from the file's extension): `claimed` is the type the uploader
/// gave, `name` the file name offered, `download` asks for an attachment even for an
/// inline type.
pub fn apply(headers: &mut HeaderMap, config: &Config, claimed: &str, name: &str, download: bool) {
    let (kind, inline) = safe_type(claimed);
    let inline = inline && !download;
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    // Always a valid header value: the builder emits printable ASCII only.
    if let Ok(value) = HeaderValue::from_str(&content_disposition(inline, name)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    let corp = if config.allowed_origins.is_empty() {
        "same-origin"
    } else {
        "same-site"
    };
    headers.insert(
        header::HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static(corp),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disposition_has_ascii_fallback_and_utf8_name() {
        assert_eq!(
            content_disposition(false, "résumé \"v2\".pdf"),
            "attachment; filename=\"r_sum_ _v2_.pdf\"; \
             filename*=UTF-8''r%C3%A9sum%C3%A9%20%22v2%22.pdf"
        );
        assert!(content_disposition(true, "a.png").starts_with("inline;"));
        // Header-breaking characters never reach the header.
        let evil = content_disposition(false, "a\r\nSet-Cookie: x=1;\".html");
        assert!(HeaderValue::from_str(&evil).is_ok());
        assert!(evil.starts_with("attachment; filename=\"a__Set-Cookie: x=1;_.html\";"));
    }

    #[test]
    fn only_allow_listed_types_are_served_as_themselves() {
        assert_eq!(safe_type("IMAGE/PNG"), ("image/png", true));
        assert_eq!(
            safe_type("video/webm;codecs=vp8,opus"),
            ("video/webm", true)
        );
        for hostile in [
            "text/html",
            "image/svg+xml",
            "video/webm,text/html",
            "application/xhtml+xml",
            "text/javascript",
            "",
        ] {
            assert_eq!(safe_type(hostile), (DOWNLOAD_TYPE, false), "{hostile}");
        }
    }

    #[test]
    fn every_header_of_the_rule_is_set() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
        let mut config = Config::with_data_dir("unused");
        apply(&mut headers, &config, "text/html", "x.html", false);
        assert_eq!(headers[header::CONTENT_TYPE], DOWNLOAD_TYPE);
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(
            headers[header::CONTENT_SECURITY_POLICY],
            CONTENT_SECURITY_POLICY
        );
        assert_eq!(headers["cross-origin-resource-policy"], "same-origin");
        assert!(headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment;"));
        config.allowed_origins = vec!["https://app.example.com".into()];
        apply(&mut headers, &config, "image/png", "x.png", false);
        assert_eq!(headers["cross-origin-resource-policy"], "same-site");
        assert!(headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("inline;"));
    }
}

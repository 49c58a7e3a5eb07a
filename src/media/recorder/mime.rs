//! Which container/codecs to record with. Pure: the browser check is passed in.

/// In order of preference.
pub const PREFERRED_MIME_TYPES: [&str; 3] = [
    "video/webm;codecs=vp9,opus",
    "video/webm;codecs=vp8,opus",
    "video/webm",
];

/// The first preferred type the browser can record, if any.
pub fn choose_mime(supported: impl Fn(&str) -> bool) -> Option<&'static str> {
    PREFERRED_MIME_TYPES.iter().copied().find(|m| supported(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefers_vp9_then_vp8_then_plain_webm() {
        assert_eq!(choose_mime(|_| true), Some("video/webm;codecs=vp9,opus"));
        assert_eq!(
            choose_mime(|m| !m.contains("vp9")),
            Some("video/webm;codecs=vp8,opus")
        );
        assert_eq!(choose_mime(|m| m == "video/webm"), Some("video/webm"));
        assert_eq!(choose_mime(|_| false), None);
    }
}

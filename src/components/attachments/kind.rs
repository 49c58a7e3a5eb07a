//! Which attachments are shown inline as pictures.

/// Only formats every browser renders (and none that can carry script, like SVG).
const INLINE_IMAGE_TYPES: [&str; 4] = ["image/png", "image/jpeg", "image/gif", "image/webp"];

pub fn is_inline_image(content_type: &str) -> bool {
    // "image/PNG; charset=binary" is still a PNG: compare the essence only.
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    INLINE_IMAGE_TYPES.contains(&essence.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raster_images_only() {
        assert!(is_inline_image("image/png"));
        assert!(is_inline_image("IMAGE/JPEG"));
        assert!(is_inline_image("image/webp; foo=bar"));
        assert!(is_inline_image("image/gif"));
        assert!(!is_inline_image("image/svg+xml"));
        assert!(!is_inline_image("application/pdf"));
        assert!(!is_inline_image(""));
    }
}

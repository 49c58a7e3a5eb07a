//! How long a file of the built app may be cached. Trunk names the wasm, its loader and
//! the stylesheets after a hash of their content (`main-87adb065db6669eb.css`,
//! `tandem-866496f199cbe188_bg.wasm`), so a given name always means the same bytes:
//! those are cached for a year without revalidation. Everything else (`index.html`,
//! `404.html`, `config.json`, `boot.js`, the favicon, the SPA fallback) keeps its name
//! across deployments and is revalidated on every use (`no-cache`), so a new deployment
//! or an edited `config.json` is picked up at once.

use axum::http::StatusCode;

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const REVALIDATE: &str = "no-cache";

/// Trunk's hashes are a u64 in lower-case hex without padding: 16 digits, rarely fewer.
/// Twelve or more keeps a hand-named file like `logo-2024.svg` from ever matching.
const HASH_DIGITS: std::ops::RangeInclusive<usize> = 12..=16;

/// The `Cache-Control` value for a response to `path`. HTML never is immutable: a
/// missing hashed file (an old deployment's) is answered by the SPA fallback.
pub fn policy(path: &str, is_html: bool, status: StatusCode) -> &'static str {
    let ok = status.is_success() || status == StatusCode::NOT_MODIFIED;
    if ok && !is_html && is_hashed(path) {
        IMMUTABLE
    } else {
        REVALIDATE
    }
}

/// `…/<stem>-<hash>.<ext>`, where the stem may end in wasm-bindgen's `_bg`.
fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let Some((stem, _ext)) = name.split_once('.') else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let Some((_, hash)) = stem.rsplit_once('-') else {
        return false;
    };
    HASH_DIGITS.contains(&hash.len())
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: StatusCode = StatusCode::OK;

    #[test]
    fn trunks_hashed_names_are_immutable() {
        for path in [
            "/tandem-866496f199cbe188_bg.wasm",
            "/tandem-866496f199cbe188.js",
            "/main-87adb065db6669eb.css",
            "/tandem/whiteboard-1304c7e961b4231.css",
        ] {
            assert_eq!(policy(path, false, OK), IMMUTABLE, "{path}");
            assert_eq!(policy(path, false, StatusCode::NOT_MODIFIED), IMMUTABLE);
        }
    }

    #[test]
    fn fixed_names_and_html_are_revalidated() {
        for path in [
            "/",
            "/index.html",
            "/404.html",
            "/config.json",
            "/boot.js",
            "/favicon.svg",
            "/logo-2024.svg",
            "/c/0b5a7c1e-4c2d-4a8e-9a55-1f0f3f7a2b11",
            "/main-87ADB065DB6669EB.css",
            "/main-87adb065db6669zz.css",
        ] {
            assert_eq!(policy(path, false, OK), REVALIDATE, "{path}");
        }
        // The SPA fallback answering for a file that is gone.
        assert_eq!(policy("/tandem-866496f199cbe188.js", true, OK), REVALIDATE);
        assert_eq!(
            policy("/tandem-866496f199cbe188.js", false, StatusCode::NOT_FOUND),
            REVALIDATE
        );
    }
}

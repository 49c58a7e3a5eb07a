//! The path the app is hosted under: "" at a host's root, "/tandem" for a build made with
//! `PUBLIC_URL=/tandem/` (Trunk writes it into `<base href>`). leptos_router's
//! `navigate` and `<Redirect>` put the router's base before an absolute path, but `<A>`
//! leaves an absolute href as it is, so on a sub-path `<A href="/signup">` would leave
//! the app. Every in-app `<A>` therefore takes its href from [`app_href`].

use std::sync::OnceLock;

static BASE_PATH: OnceLock<String> = OnceLock::new();

/// Read once from `<base href>`; it cannot change while the page lives.
pub fn base_path() -> &'static str {
    BASE_PATH.get_or_init(|| {
        crate::config::document_base()
            .and_then(|base| web_sys::Url::new(&base).ok())
            .map(|url| without_trailing_slash(&url.pathname()))
            .unwrap_or_default()
    })
}

/// An in-app path ("/c/…") as the address to link to, under the base path.
pub fn app_href(path: &str) -> String {
    under(base_path(), path)
}

fn without_trailing_slash(pathname: &str) -> String {
    pathname.trim_end_matches('/').to_string()
}

/// Only app paths are prefixed: "//host" and anything with a scheme are left alone.
fn under(base: &str, path: &str) -> String {
    if path.starts_with('/') && !path.starts_with("//") {
        format!("{base}{path}")
    } else {
        path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_paths_go_under_the_base() {
        assert_eq!(under("", "/signup"), "/signup");
        assert_eq!(under("", "/"), "/");
        assert_eq!(under("/tandem", "/signup"), "/tandem/signup");
        assert_eq!(under("/tandem", "/"), "/tandem/");
        assert_eq!(under("/tandem", "/c/1?m=2"), "/tandem/c/1?m=2");
        assert_eq!(under("/tandem", "//evil.example/x"), "//evil.example/x");
        assert_eq!(
            under("/tandem", "https://example.com/"),
            "https://example.com/"
        );
    }

    #[test]
    fn the_base_path_has_no_trailing_slash() {
        assert_eq!(without_trailing_slash("/"), "");
        assert_eq!(without_trailing_slash("/tandem/"), "/tandem");
        assert_eq!(without_trailing_slash("/a/b/"), "/a/b");
    }
}

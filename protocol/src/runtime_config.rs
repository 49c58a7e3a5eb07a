//! `config.json`, the runtime configuration next to `index.html`: the app reads it at
//! start-up (so one build of `dist/` can be pointed at any server by editing a file),
//! and the server reads the same file to allow exactly these origins in the app's
//! Content-Security-Policy.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuntimeConfig {
    /// Where the REST API lives: empty for the page's own origin, else an absolute
    /// (`https://chat.example.com`) or root-relative (`/tandem`) prefix.
    #[serde(default)]
    pub api_base: String,
    /// The WebSocket URL; derived from `api_base` when absent.
    #[serde(default)]
    pub ws_url: Option<String>,
}

impl RuntimeConfig {
    /// The base with no trailing slash, so joining with `/api/...` never doubles it.
    pub fn api_base(&self) -> String {
        self.api_base.trim().trim_end_matches('/').to_string()
    }

    /// `page_origin` is the document's origin (`https://host:port`).
    pub fn ws_url(&self, page_origin: &str) -> String {
        match self.explicit_ws_url() {
            Some(url) => url.to_string(),
            None => derive_ws_url(&self.api_base(), page_origin),
        }
    }

    /// The configured WebSocket URL, if one is set (not derived).
    pub fn explicit_ws_url(&self) -> Option<&str> {
        self.ws_url
            .as_deref()
            .map(str::trim)
            .filter(|url| !url.is_empty())
    }
}

/// `http` → `ws`, `https` → `wss`, plus `/api/ws`. A relative or empty base is taken
/// relative to the page's origin.
pub fn derive_ws_url(api_base: &str, page_origin: &str) -> String {
    let absolute = if api_base.starts_with("http://") || api_base.starts_with("https://") {
        api_base.to_string()
    } else {
        format!("{}{}", page_origin.trim_end_matches('/'), api_base)
    };
    let ws = if let Some(rest) = absolute.strip_prefix("https://") {
        format!("wss://{rest}")
    } else if let Some(rest) = absolute.strip_prefix("http://") {
        format!("ws://{rest}")
    } else {
        absolute
    };
    format!("{}/api/ws", ws.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ws_url_follows_api_base() {
        assert_eq!(
            derive_ws_url("", "http://localhost:3000"),
            "ws://localhost:3000/api/ws"
        );
        assert_eq!(
            derive_ws_url("", "https://chat.example.com"),
            "wss://chat.example.com/api/ws"
        );
        assert_eq!(
            derive_ws_url("https://api.example.com/", "http://x"),
            "wss://api.example.com/api/ws"
        );
        assert_eq!(
            derive_ws_url("/tandem", "https://h.example"),
            "wss://h.example/tandem/api/ws"
        );
    }

    #[test]
    fn explicit_ws_url_wins_and_parses() {
        let c: RuntimeConfig =
            serde_json::from_str(r#"{ "api_base": "", "ws_url": null }"#).unwrap();
        assert_eq!(c, RuntimeConfig::default());
        assert_eq!(c.ws_url("http://a.example"), "ws://a.example/api/ws");
        let c = RuntimeConfig {
            api_base: "https://a.example/".into(),
            ws_url: Some("wss://b/ws".into()),
        };
        assert_eq!(c.api_base(), "https://a.example");
        assert_eq!(c.ws_url("http://x"), "wss://b/ws");
        let c: RuntimeConfig = serde_json::from_str("{}").unwrap();
        assert_eq!(c.api_base(), "");
        assert_eq!(c.explicit_ws_url(), None);
    }
}

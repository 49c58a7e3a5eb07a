//! Runtime configuration, read from `config.json` next to `index.html` at start-up,
//! so one build of `dist/` can be pointed at any server by editing a file instead of
//! rebuilding.

use serde::Deserialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Config {
    /// Where the REST API lives: empty for the page's own origin, else an absolute
    /// (`https://chat.example.com`) or root-relative (`/tandem`) prefix.
    #[serde(default)]
    pub api_base: String,
    /// The WebSocket URL; derived from `api_base` when absent.
    #[serde(default)]
    pub ws_url: Option<String>,
}

impl Config {
    /// The base with no trailing slash, so joining with `/api/...` never doubles it.
    pub fn api_base(&self) -> String {
        self.api_base.trim().trim_end_matches('/').to_string()
    }

    /// `page_origin` is the document's origin (`https://host:port`).
    pub fn ws_url(&self, page_origin: &str) -> String {
        match self.ws_url.as_deref().map(str::trim) {
            Some(url) if !url.is_empty() => url.to_string(),
            _ => derive_ws_url(&self.api_base(), page_origin),
        }
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

/// The document's base URL (honours `<base href>`), so `config.json` is found on any
/// sub-path the app is hosted under.
pub fn document_base() -> Option<String> {
    web_sys::window()?.document()?.base_uri().ok().flatten()
}

pub fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// Loads `config.json`. A missing or broken file falls back to the same-origin
/// defaults (and says so in the console) rather than leaving a blank page.
pub async fn load() -> Config {
    let url = match document_base() {
        Some(base) => web_sys::Url::new_with_base("config.json", &base)
            .map(|u| u.href())
            .unwrap_or_else(|_| "config.json".into()),
        None => "config.json".into(),
    };
    let result = async {
        let resp = gloo_net::http::Request::get(&url)
            .header("Accept", "application/json")
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !resp.ok() {
            return Err(format!("HTTP {}", resp.status()));
        }
        resp.json::<Config>().await.map_err(|e| e.to_string())
    }
    .await;
    result.unwrap_or_else(|e| {
        web_sys::console::warn_1(
            &format!("tandem: could not read {url} ({e}); using same-origin defaults").into(),
        );
        Config::default()
    })
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
        let c: Config = serde_json::from_str(r#"{ "api_base": "", "ws_url": null }"#).unwrap();
        assert_eq!(c, Config::default());
        assert_eq!(c.ws_url("http://a.example"), "ws://a.example/api/ws");
        let c = Config {
            api_base: "https://a.example/".into(),
            ws_url: Some("wss://b/ws".into()),
        };
        assert_eq!(c.api_base(), "https://a.example");
        assert_eq!(c.ws_url("http://x"), "wss://b/ws");
        let c: Config = serde_json::from_str("{}").unwrap();
        assert_eq!(c.api_base(), "");
    }
}

//! Runtime configuration, read from `config.json` next to `index.html` at start-up,
//! so one build of `dist/` can be pointed at any server by editing a file instead of
//! rebuilding.

// The file's shape and the URL rules are shared with the server, which allows exactly
// these origins in the app's Content-Security-Policy.
pub use tandem_protocol::runtime_config::RuntimeConfig as Config;

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

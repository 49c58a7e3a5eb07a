//! The security headers of the built app (index.html, the SPA fallback and its
//! assets): a strict Content-Security-Policy, no framing, no MIME sniffing, no
//! referrer. They are computed once at start-up from the runtime `config.json` the app
//! itself reads, so the policy allows exactly the API and socket origins the app talks
//! to, plus the `--allowed-origin`s.

use std::path::Path;

use axum::http::header::{self, HeaderName};
use axum::http::HeaderValue;
use axum::response::Response;
use tandem_protocol::runtime_config::RuntimeConfig;

use super::origin::AllowedOrigins;

/// The headers every response of the app carries.
#[derive(Clone, Debug)]
pub struct AppHeaders(Vec<(HeaderName, HeaderValue)>);

impl AppHeaders {
    /// `sfu_sockets`: the SFU nodes' WebSocket URLs (`--janus-ws`), which the app
    /// connects to directly in meetings past the mesh.
    pub fn new(runtime: &RuntimeConfig, allowed: &AllowedOrigins, sfu_sockets: &[String]) -> Self {
        let csp = content_security_policy(runtime, allowed, sfu_sockets);
        let csp = HeaderValue::from_str(&csp).unwrap_or_else(|_| {
            // Origins come out of `url` serialised, so this cannot happen; if it did,
            // the strictest policy is still a working app on one origin.
            tracing::error!(%csp, "unusable Content-Security-Policy; using same-origin only");
            HeaderValue::from_str(&content_security_policy(
                &RuntimeConfig::default(),
                &AllowedOrigins::default(),
                &[],
            ))
            .expect("the same-origin policy is ASCII")
        });
        AppHeaders(vec![
            (header::CONTENT_SECURITY_POLICY, csp),
            (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            // Guest and board links carry their token in the path; never send it on.
            (
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            ),
        ])
    }

    /// Reads `config.json` from the app's directory; missing or unreadable means the
    /// same-origin defaults, exactly as the app falls back.
    pub fn for_static_dir(dir: &Path, allowed: &AllowedOrigins, sfu_sockets: &[String]) -> Self {
        let path = dir.join("config.json");
        let runtime = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|err| {
                tracing::warn!(path = %path.display(), %err, "config.json is not valid");
                RuntimeConfig::default()
            }),
            Err(_) => RuntimeConfig::default(),
        };
        Self::new(&runtime, allowed, sfu_sockets)
    }

    pub fn apply(&self, response: &mut Response) {
        let headers = response.headers_mut();
        for (name, value) in &self.0 {
            headers.insert(name.clone(), value.clone());
        }
    }
}

/// No inline script or style element, WebAssembly compilation allowed, and network
/// access only to this origin and the configured API/socket origins. `'self'` covers
/// `ws:`/`wss:` to this host (CSP 3), which is where the socket lives by default.
/// `base-uri 'self'`, not `'none'`: index.html's `<base href>` (Trunk's public URL)
/// is what lets the app live under a sub-path.
/// `style-src-attr 'none'` is not needed: Leptos' `style:` directives set properties
/// through the CSSOM, which CSP does not restrict, and the app writes no `style`
/// attribute. The SFU's WebSocket origins are allowed too (`sfu_sockets`).
pub fn content_security_policy(
    runtime: &RuntimeConfig,
    allowed: &AllowedOrigins,
    sfu_sockets: &[String],
) -> String {
    let mut api = Vec::new();
    let mut connect = Vec::new();
    if let Some(origin) = origin_of(&runtime.api_base()) {
        connect.push(socket_origin(&origin));
        connect.push(origin.clone());
        api.push(origin);
    }
    if let Some(origin) = runtime.explicit_ws_url().and_then(origin_of) {
        connect.push(origin);
    }
    for origin in allowed.iter().filter_map(origin_of) {
        connect.push(socket_origin(&origin));
        connect.push(origin);
    }
    connect.extend(sfu_sockets.iter().filter_map(|url| origin_of(url)));
    connect.sort();
    connect.dedup();
    let list = |fixed: &str, extra: &[String]| {
        std::iter::once(fixed.to_string())
            .chain(extra.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ")
    };
    [
        "default-src 'self'".to_string(),
        "script-src 'self' 'wasm-unsafe-eval'".to_string(),
        "style-src 'self'".to_string(),
        format!("img-src {}", list("'self' data: blob:", &api)),
        format!("media-src {}", list("'self' blob:", &api)),
        format!("connect-src {}", list("'self'", &connect)),
        "font-src 'self'".to_string(),
        "object-src 'none'".to_string(),
        "frame-ancestors 'none'".to_string(),
        "base-uri 'self'".to_string(),
        "form-action 'self'".to_string(),
    ]
    .join("; ")
}

/// `scheme://host[:port]` of an absolute http(s)/ws(s) URL; `None` for relative ones
/// (same origin) and anything else.
fn origin_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https" | "ws" | "wss") || url.host().is_none() {
        return None;
    }
    Some(url.origin().ascii_serialization())
}

/// The WebSocket origin matching an http(s) one.
fn socket_origin(origin: &str) -> String {
    if let Some(rest) = origin.strip_prefix("https://") {
        format!("wss://{rest}")
    } else if let Some(rest) = origin.strip_prefix("http://") {
        format!("ws://{rest}")
    } else {
        origin.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_origin_policy_by_default() {
        let csp =
            content_security_policy(&RuntimeConfig::default(), &AllowedOrigins::default(), &[]);
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval';"),
            "{csp}"
        );
        assert!(csp.contains("connect-src 'self';"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
    }

    #[test]
    fn configured_origins_are_allowed_and_nothing_else() {
        let runtime = RuntimeConfig {
            api_base: "https://api.example.com/tandem/".into(),
            ws_url: Some("wss://rt.example.com:8443/socket".into()),
        };
        let allowed = AllowedOrigins::new(&["http://app.example.org".into(), "; evil".into()]);
        let csp = content_security_policy(&runtime, &allowed, &[]);
        assert!(
            csp.contains(
                "connect-src 'self' http://app.example.org https://api.example.com \
             ws://app.example.org wss://api.example.com wss://rt.example.com:8443;"
            ),
            "{csp}"
        );
        assert!(
            csp.contains("img-src 'self' data: blob: https://api.example.com;"),
            "{csp}"
        );
        assert!(
            csp.contains("media-src 'self' blob: https://api.example.com;"),
            "{csp}"
        );
        assert!(!csp.contains("evil"), "{csp}");
    }

    #[test]
    fn relative_api_base_adds_nothing() {
        let runtime = RuntimeConfig {
            api_base: "/tandem".into(),
            ws_url: None,
        };
        let csp = content_security_policy(&runtime, &AllowedOrigins::default(), &[]);
        assert!(csp.contains("connect-src 'self';"), "{csp}");
    }

    #[test]
    fn sfu_sockets_are_allowed() {
        let sockets = [
            "ws://127.0.0.1:8188".to_string(),
            "wss://sfu.example.com/ws".into(),
        ];
        let csp = content_security_policy(
            &RuntimeConfig::default(),
            &AllowedOrigins::default(),
            &sockets,
        );
        assert!(
            csp.contains("connect-src 'self' ws://127.0.0.1:8188 wss://sfu.example.com;"),
            "{csp}"
        );
    }
}

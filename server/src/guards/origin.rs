//! Cross-site request refusal. The session cookie is `SameSite=Lax`, which still lets
//! another site's page send body-less POSTs and multipart uploads that carry it in some
//! browsers and set-ups; so a state-changing request must come from the app's own
//! origin or an `--allowed-origin`. Browsers always send `Origin` on such requests
//! (`Sec-Fetch-Site` is the fallback); a request with neither is not from a browser
//! page (curl, a server) and cannot ride a victim's cookie, so it passes.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tandem_protocol::ErrorCode;

use crate::error::AppError;

/// The configured `--allowed-origin`s, normalised once (no trailing slash).
#[derive(Clone, Debug, Default)]
pub struct AllowedOrigins(Arc<[String]>);

impl AllowedOrigins {
    pub fn new(configured: &[String]) -> Self {
        AllowedOrigins(
            configured
                .iter()
                .map(|o| o.trim().trim_end_matches('/').to_string())
                .filter(|o| !o.is_empty())
                .collect(),
        )
    }

    pub fn contains(&self, origin: &str) -> bool {
        self.0.iter().any(|a| a.eq_ignore_ascii_case(origin))
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

/// No `Origin` (a non-browser client), the request's own host, or an allowed origin.
/// The realtime upgrade uses this too.
pub fn origin_allowed(headers: &HeaderMap, allowed: &AllowedOrigins) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    if allowed.contains(origin) {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    matches!((host, origin_host),
        (Some(host), Some(origin_host)) if host.eq_ignore_ascii_case(origin_host))
}

/// Whether a request may go on: reads are always allowed (they change nothing and a
/// foreign page cannot read the answer without CORS); writes need a trusted origin.
pub fn request_allowed(method: &Method, headers: &HeaderMap, allowed: &AllowedOrigins) -> bool {
    if matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    ) {
        return true;
    }
    if headers.contains_key(header::ORIGIN) {
        return origin_allowed(headers, allowed);
    }
    // No Origin: a browser that sent Sec-Fetch-Site says where the request came from.
    // "none" is the user's own action (typed address, bookmark).
    match headers.get("sec-fetch-site").map(|v| v.as_bytes()) {
        None => true,
        Some(site) => {
            site.eq_ignore_ascii_case(b"same-origin") || site.eq_ignore_ascii_case(b"none")
        }
    }
}

/// The middleware: refuses a cross-site write with 403 `cross_site_request` before it
/// reaches any handler (or body limit, or authentication).
pub async fn guard(
    State(allowed): State<AllowedOrigins>,
    request: Request,
    next: Next,
) -> Response {
    if request_allowed(request.method(), request.headers(), &allowed) {
        return next.run(request).await;
    }
    tracing::warn!(
        method = %request.method(),
        path = %request.uri().path(),
        origin = ?request.headers().get(header::ORIGIN),
        "refused a cross-site request"
    );
    AppError::new(
        ErrorCode::CrossSiteRequest,
        "This request came from another site and was refused.",
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn origin_rules() {
        let none = AllowedOrigins::default();
        let allowed = AllowedOrigins::new(&["https://app.example.com/".to_string()]);
        assert!(origin_allowed(&headers(&[("host", "h:1")]), &none));
        assert!(origin_allowed(
            &headers(&[("host", "h:1"), ("origin", "http://h:1")]),
            &none
        ));
        assert!(origin_allowed(
            &headers(&[("host", "h:1"), ("origin", "https://h:1")]),
            &none
        ));
        assert!(!origin_allowed(
            &headers(&[("host", "h:1"), ("origin", "http://h:2")]),
            &none
        ));
        assert!(!origin_allowed(
            &headers(&[("host", "h:1"), ("origin", "null")]),
            &none
        ));
        assert!(origin_allowed(
            &headers(&[("host", "h:1"), ("origin", "https://app.example.com")]),
            &allowed
        ));
        assert!(!origin_allowed(
            &headers(&[("host", "h:1"), ("origin", "https://evil.example.com")]),
            &allowed
        ));
    }

    #[test]
    fn writes_need_a_trusted_origin_reads_do_not() {
        let none = AllowedOrigins::default();
        let foreign = headers(&[("host", "h:1"), ("origin", "https://evil.example")]);
        assert!(request_allowed(&Method::GET, &foreign, &none));
        for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            assert!(!request_allowed(&method, &foreign, &none), "{method}");
        }
        let cross = headers(&[("host", "h:1"), ("sec-fetch-site", "cross-site")]);
        assert!(!request_allowed(&Method::POST, &cross, &none));
        let sibling = headers(&[("host", "h:1"), ("sec-fetch-site", "same-site")]);
        assert!(!request_allowed(&Method::POST, &sibling, &none));
        let own = headers(&[("host", "h:1"), ("sec-fetch-site", "same-origin")]);
        assert!(request_allowed(&Method::POST, &own, &none));
        assert!(request_allowed(
            &Method::POST,
            &headers(&[("host", "h:1")]),
            &none
        ));
    }
}

//! Browser-facing guards (issue 10, findings 6–7): cross-site writes are refused, and the
//! app is served with a strict CSP and frame/sniffing/referrer headers.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;
use tandem_protocol::ErrorCode;

const FOREIGN: &str = "https://evil.example";

/// Sends `method path` with the given extra headers and an optional JSON body.
async fn send(
    client: &Client,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<serde_json::Value>,
) -> reqwest::Response {
    let mut request = client.http.request(method, client.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

async fn assert_cross_site(response: reqwest::Response, what: &str) {
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "{what}");
    assert_eq!(
        error_body(response).await.code,
        ErrorCode::CrossSiteRequest,
        "{what}"
    );
}

#[tokio::test]
async fn writes_from_a_foreign_origin_are_refused() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let origin = [("origin", FOREIGN)];

    // A body-less POST: logging the victim out from another site.
    let r = send(&admin, Method::POST, "/api/auth/logout", &origin, None).await;
    assert_cross_site(r, "body-less logout").await;
    // An upload shaped like a cross-site form post (no CORS preflight needed).
    let upload = admin
        .http
        .post(admin.url("/api/uploads?name=x.txt"))
        .header("origin", FOREIGN)
        .header("content-type", "multipart/form-data; boundary=x")
        .body("--x\r\n\r\nhello\r\n--x--\r\n")
        .send()
        .await
        .unwrap();
    assert_cross_site(upload, "multipart upload").await;
    let r = send(
        &admin,
        Method::PATCH,
        "/api/users/me",
        &origin,
        Some(json!({"display_name": "Pwned"})),
    )
    .await;
    assert_cross_site(r, "JSON PATCH").await;
    let r = send(
        &admin,
        Method::POST,
        "/api/invites",
        &origin,
        Some(json!({"expires_in_hours": 1})),
    )
    .await;
    assert_cross_site(r, "JSON POST").await;
    let r = send(
        &admin,
        Method::DELETE,
        "/api/auth/sessions/x",
        &origin,
        None,
    )
    .await;
    assert_cross_site(r, "DELETE").await;
    // An opaque origin (sandboxed frame, data: URL) is not this app either.
    let r = send(
        &admin,
        Method::POST,
        "/api/auth/logout",
        &[("origin", "null")],
        None,
    )
    .await;
    assert_cross_site(r, "null origin").await;

    // Nothing happened: still signed in, same name, no file stored.
    let me = admin.get("/api/auth/me").await;
    assert_eq!(me.status(), StatusCode::OK);
    let me: serde_json::Value = me.json().await.unwrap();
    assert_eq!(me["display_name"], "Ada Admin");
    assert!(!ts.dir.path().join("files").exists());

    // Reads are not refused (a foreign page cannot read them without CORS anyway).
    let r = send(&admin, Method::GET, "/api/auth/me", &origin, None).await;
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn sec_fetch_site_decides_when_origin_is_missing() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    for site in ["cross-site", "same-site"] {
        let r = send(
            &admin,
            Method::POST,
            "/api/auth/logout",
            &[("sec-fetch-site", site)],
            None,
        )
        .await;
        assert_cross_site(r, site).await;
    }
    assert_eq!(admin.get("/api/auth/me").await.status(), StatusCode::OK);
    let r = send(
        &admin,
        Method::POST,
        "/api/invites",
        &[("sec-fetch-site", "same-origin")],
        Some(json!({"expires_in_hours": 1})),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn same_origin_allowed_origins_and_non_browsers_may_write() {
    let ts = spawn_with(|config| {
        config.allowed_origins = vec!["https://app.example.com/".into()];
    })
    .await;
    let (admin, _) = ts.admin().await;
    let own = ts.server.url();
    for headers in [
        vec![("origin", own.as_str())],
        vec![("origin", "https://app.example.com")],
        vec![("origin", own.as_str()), ("sec-fetch-site", "same-origin")],
        // curl and servers send neither header.
        vec![],
    ] {
        let r = send(
            &admin,
            Method::POST,
            "/api/invites",
            &headers,
            Some(json!({"expires_in_hours": 1})),
        )
        .await;
        assert_eq!(r.status(), StatusCode::CREATED, "{headers:?}");
    }
    // A CORS preflight from the allowed origin is still answered.
    let preflight = send(
        &admin,
        Method::OPTIONS,
        "/api/invites",
        &[
            ("origin", "https://app.example.com"),
            ("access-control-request-method", "POST"),
        ],
        None,
    )
    .await;
    assert!(preflight.status().is_success());
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    // The same-origin log-out works (last: it ends the session).
    let r = send(
        &admin,
        Method::POST,
        "/api/auth/logout",
        &[("origin", own.as_str())],
        None,
    )
    .await;
    assert!(r.status().is_success(), "{}", r.status());
}

#[tokio::test]
async fn the_app_is_served_with_a_strict_csp_and_frame_protection() {
    let app = tempfile::tempdir().unwrap();
    std::fs::write(
        app.path().join("index.html"),
        "<!doctype html><title>t</title>",
    )
    .unwrap();
    std::fs::write(app.path().join("app.js"), "export {};").unwrap();
    std::fs::write(
        app.path().join("config.json"),
        r#"{ "api_base": "https://api.example.com", "ws_url": null }"#,
    )
    .unwrap();
    let dir = app.path().to_path_buf();
    let ts = spawn_with(|config| config.static_dir = Some(dir)).await;
    let client = ts.client();
    for path in ["/", "/some/spa/path", "/app.js", "/config.json"] {
        let r = client.get(path).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        for directive in [
            "default-src 'self'",
            "script-src 'self' 'wasm-unsafe-eval';",
            "style-src 'self';",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "img-src 'self' data: blob: https://api.example.com;",
            "media-src 'self' blob: https://api.example.com;",
            "connect-src 'self' https://api.example.com wss://api.example.com;",
        ] {
            assert!(
                csp.contains(directive),
                "{path}: {directive} missing in {csp}"
            );
        }
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
    }
    // The SPA fallback is still index.html, still never cached.
    let r = client.get("/some/spa/path").await;
    assert_eq!(r.headers()["cache-control"], "no-cache");
    assert!(r.text().await.unwrap().contains("<title>t</title>"));
}

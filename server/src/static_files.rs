//! Serving the built app: files from the static dir, anything else gets `index.html`
//! (client-side routing). Every response carries the app's security headers
//! (`guards::app_headers`).
//!
//! `make app` writes a brotli-11 `.br` and a gzip-9 `.gz` copy beside each compressible
//! file (`scripts/precompress.sh`); a client that accepts one is sent it as it is, with
//! the original's `Content-Type`. The app is compressed once, at build, at the highest
//! levels: compressing 4 MB of wasm per request could only afford a low level, and would
//! cost CPU on every cold load. So the router's on-the-fly compression covers the API
//! only (`app::router`). How long each file may be cached: `cache`.

mod cache;

use std::path::Path;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

use crate::guards::app_headers::AppHeaders;

pub fn router(dir: &Path, headers: AppHeaders) -> Router {
    let index = ServeFile::new(dir.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(true)
        .fallback(index);
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(
            headers,
            app_response_headers,
        ))
}

async fn app_response_headers(
    State(headers): State<AppHeaders>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    headers.apply(&mut response);
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let policy = cache::policy(&path, is_html, response.status());
    let response_headers = response.headers_mut();
    response_headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    // The same URL has up to three bodies: a shared cache must key on what was accepted.
    response_headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

//! Serving the built app: files from the static dir, anything else gets `index.html`
//! (client-side routing). HTML is sent with `Cache-Control: no-cache` so a new
//! deployment is picked up at once; hashed assets may be cached. Every response
//! carries the app's security headers (`guards::app_headers`).

use std::path::Path;

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use axum::{middleware, Router};
use tower_http::services::{ServeDir, ServeFile};

use crate::guards::app_headers::AppHeaders;

pub fn router(dir: &Path, headers: AppHeaders) -> Router {
    let index = ServeFile::new(dir.join("index.html"));
    let files = ServeDir::new(dir)
        .append_index_html_on_directories(true)
        .fallback(index);
    Router::new()
        .fallback_service(files)
        .layer(middleware::map_response_with_state(
            headers,
            app_response_headers,
        ))
}

async fn app_response_headers(
    State(headers): State<AppHeaders>,
    mut response: Response,
) -> Response {
    headers.apply(&mut response);
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    response
}

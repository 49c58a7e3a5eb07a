//! The built app over real HTTP (issue 15): the `.br` and `.gz` files `make app` writes
//! are sent as they are to clients that accept them, nothing of the app is compressed on
//! the fly, and hashed files are cached for good while fixed names are revalidated.
//! The compressed copies here are marked bytes, not real brotli or gzip: the server must
//! send exactly what is on disk, which a second compression would change.

use crate::common;

use common::*;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

const WASM: &str = "/tandem-866496f199cbe188_bg.wasm";
const CSS: &str = "/main-87adb065db6669eb.css";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// A dist/ as `make app` leaves it: each compressible file with its two copies, except
/// `config.json` (edited by hand after the build, so never precompressed).
fn built_app() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let index = "<!doctype html><title>Tandem</title>".repeat(8);
    let files = [
        ("index.html", index.clone()),
        ("404.html", index),
        (&WASM[1..], "\0asm wasm bytes ".repeat(64)),
        (&CSS[1..], "body { margin: 0 } ".repeat(64)),
        (
            "boot.js",
            "const tag = document.querySelector('script'); ".repeat(4),
        ),
    ];
    for (name, body) in files {
        std::fs::write(dir.path().join(name), &body).unwrap();
        std::fs::write(dir.path().join(format!("{name}.br")), brotli_of(name)).unwrap();
        std::fs::write(dir.path().join(format!("{name}.gz")), gzip_of(name)).unwrap();
    }
    let config = r#"{ "api_base": "", "ws_url": null, "note": "long enough to compress" }"#;
    std::fs::write(dir.path().join("config.json"), config).unwrap();
    dir
}

fn brotli_of(name: &str) -> String {
    format!("brotli-11 of {name}")
}

fn gzip_of(name: &str) -> String {
    format!("gzip-9 of {name}")
}

async fn fetch(ts: &TestServer, path: &str, accept: Option<&str>) -> (HeaderMap, String) {
    let client = ts.client();
    let mut request = client.http.get(client.url(path));
    if let Some(accept) = accept {
        request = request.header("accept-encoding", accept);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let headers = response.headers().clone();
    (headers, response.text().await.unwrap())
}

async fn serve(app: &tempfile::TempDir) -> TestServer {
    let dir = app.path().to_path_buf();
    spawn_with(move |c| c.static_dir = Some(dir)).await
}

#[tokio::test]
async fn precompressed_files_are_sent_by_accept_encoding() {
    let app = built_app();
    let ts = serve(&app).await;
    let name = &WASM[1..];

    let (h, body) = fetch(&ts, WASM, Some("gzip, deflate, br, zstd")).await;
    assert_eq!(h["content-encoding"], "br");
    assert_eq!(h["content-type"], "application/wasm");
    assert_eq!(
        h["content-length"],
        brotli_of(name).len().to_string().as_str()
    );
    assert_eq!(body, brotli_of(name));

    let (h, body) = fetch(&ts, WASM, Some("gzip")).await;
    assert_eq!(h["content-encoding"], "gzip");
    assert_eq!(h["content-type"], "application/wasm");
    assert_eq!(body, gzip_of(name));

    // Nothing accepted, only identity, or both refused: the file itself.
    for accept in [None, Some("identity"), Some("br;q=0, gzip;q=0")] {
        let (h, body) = fetch(&ts, WASM, accept).await;
        assert_eq!(h.get("content-encoding"), None, "{accept:?}");
        assert_eq!(h["content-type"], "application/wasm");
        assert!(body.starts_with("\0asm"), "{accept:?}");
    }

    let (h, body) = fetch(&ts, CSS, Some("br")).await;
    assert_eq!(h["content-encoding"], "br");
    assert!(h["content-type"].to_str().unwrap().starts_with("text/css"));
    assert_eq!(body, brotli_of(&CSS[1..]));

    // The page itself, at its address, as the SPA fallback and as the 404 page.
    for path in ["/", "/index.html", "/c/0b5a7c1e/deeper"] {
        let (h, body) = fetch(&ts, path, Some("br, gzip")).await;
        assert_eq!(h["content-encoding"], "br", "{path}");
        assert!(h["content-type"].to_str().unwrap().starts_with("text/html"));
        assert_eq!(body, brotli_of("index.html"), "{path}");
    }
    let (h, body) = fetch(&ts, "/404.html", Some("gzip")).await;
    assert_eq!(h["content-encoding"], "gzip");
    assert_eq!(body, gzip_of("404.html"));
}

#[tokio::test]
async fn nothing_of_the_app_is_compressed_on_the_fly() {
    let app = built_app();
    std::fs::remove_file(app.path().join("boot.js.br")).unwrap();
    std::fs::remove_file(app.path().join("boot.js.gz")).unwrap();
    let ts = serve(&app).await;
    for path in ["/config.json", "/boot.js"] {
        let (h, body) = fetch(&ts, path, Some("br, gzip")).await;
        assert_eq!(h.get("content-encoding"), None, "{path}");
        let on_disk = std::fs::read_to_string(app.path().join(&path[1..])).unwrap();
        assert_eq!(body, on_disk, "{path}");
    }
    // The API still is compressed.
    let client = ts.client();
    let doc = client
        .http
        .get(client.url("/api/openapi.json"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(doc.headers()["content-encoding"], "br");
}

#[tokio::test]
async fn hashed_files_are_immutable_and_fixed_names_revalidated() {
    let app = built_app();
    let ts = serve(&app).await;
    for accept in [None, Some("br"), Some("gzip")] {
        for path in [WASM, CSS] {
            let (h, _) = fetch(&ts, path, accept).await;
            assert_eq!(h["cache-control"], IMMUTABLE, "{path} {accept:?}");
            assert_eq!(h["vary"], "accept-encoding", "{path}");
        }
        let fixed = [
            "/",
            "/index.html",
            "/404.html",
            "/config.json",
            "/boot.js",
            "/c/x",
        ];
        for path in fixed {
            let (h, _) = fetch(&ts, path, accept).await;
            assert_eq!(h["cache-control"], "no-cache", "{path} {accept:?}");
            assert_eq!(h["vary"], "accept-encoding", "{path}");
            // The security headers are on every file, compressed or not.
            assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        }
    }
    // A hashed name that is not there (an old deployment's) gets the page, never cached.
    let (h, body) = fetch(&ts, "/tandem-0123456789abcdef.js", None).await;
    assert_eq!(h["cache-control"], "no-cache");
    assert!(body.contains("<title>Tandem</title>"));
}

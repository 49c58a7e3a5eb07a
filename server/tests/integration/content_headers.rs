//! The content-serving rule (issue #10 guard): every route that returns user-supplied
//! bytes is listed here, the OpenAPI document has no other binary route, and each one
//! answers with the headers of `tandem_server::user_content`.

use crate::common;

use std::collections::BTreeSet;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tandem_protocol::chat::Attachment;
use tandem_protocol::recordings::Recording;
use tandem_protocol::ws::Command;
use tandem_server::recordings::webm;

/// Every (method, path) whose successful response is bytes rather than JSON.
const BINARY_ROUTES: [(&str, &str); 3] = [
    ("get", "/api/files/{id}/{name}"),
    ("get", "/api/recordings/{id}/media"),
    ("get", "/api/recordings/{id}/thumbnail"),
];

/// Types a response of user bytes may carry; anything else must be a download.
const INLINE_TYPES: [&str; 6] = [
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "video/webm",
    "audio/webm",
];

/// The routes whose responses declare a non-JSON body, and the successful GET
/// responses that declare no body at all (which would hide a binary route).
fn binary_routes(doc: &Value) -> (BTreeSet<(String, String)>, Vec<String>) {
    let mut binary = BTreeSet::new();
    let mut undeclared = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let Some(responses) = operation["responses"].as_object() else {
                continue;
            };
            for (status, response) in responses {
                let content = response["content"].as_object();
                if content.is_some_and(|c| c.keys().any(|t| t != "application/json")) {
                    binary.insert((method.clone(), path.clone()));
                }
                if method == "get" && (status == "200" || status == "206") && content.is_none() {
                    undeclared.push(format!("{method} {path} {status}"));
                }
            }
        }
    }
    (binary, undeclared)
}

#[tokio::test]
async fn the_openapi_document_has_no_binary_route_besides_the_listed_ones() {
    let ts = spawn().await;
    let doc: Value = ts
        .client()
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    let (binary, undeclared) = binary_routes(&doc);
    let listed: BTreeSet<(String, String)> = BINARY_ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(
        binary, listed,
        "a route serving bytes must be listed and tested here"
    );
    assert!(
        undeclared.is_empty(),
        "responses without a declared body: {undeclared:?}"
    );
}

/// The rule's headers, whatever the route.
fn assert_safe(response: &reqwest::Response, what: &str) {
    assert_eq!(response.status(), StatusCode::OK, "{what}");
    let h = response.headers();
    let header = |name: &str| {
        h.get(name)
            .unwrap_or_else(|| panic!("{what}: no {name}"))
            .to_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(header("x-content-type-options"), "nosniff", "{what}");
    let csp = header("content-security-policy");
    assert!(
        csp.contains("sandbox") && csp.contains("default-src 'none'"),
        "{what}: {csp}"
    );
    assert_eq!(
        header("cross-origin-resource-policy"),
        "same-origin",
        "{what}"
    );
    let kind = header("content-type");
    let disposition = header("content-disposition");
    assert!(
        disposition.contains("filename*=UTF-8''"),
        "{what}: {disposition}"
    );
    if kind == "application/octet-stream" {
        assert!(
            disposition.starts_with("attachment;"),
            "{what}: {disposition}"
        );
    } else {
        assert!(
            INLINE_TYPES.contains(&kind.as_str()),
            "{what}: served as {kind}"
        );
    }
}

async fn upload(client: &Client, name: &str, content_type: &str, body: &[u8]) -> Attachment {
    let url =
        reqwest::Url::parse_with_params(&client.url("/api/uploads"), &[("name", name)]).unwrap();
    let response = client
        .http
        .post(url)
        .header("content-type", content_type)
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

/// A finished recording with a thumbnail.
async fn recording(admin: &Client) -> Recording {
    let channel = admin.create_channel("all-hands", "public", &[]).await;
    let meeting = admin.start_meeting(channel.id).await;
    let mut ws = admin.live_ws().await;
    ws.join(meeting.id).await;
    let recording = admin.start_recording(meeting.id).await;
    let raw = webm::sample(2, 2, 40);
    let chunk = admin
        .http
        .put(admin.url(&format!("/api/recordings/{}/chunks/0", recording.id)))
        .header("x-chunk-sha256", hex::encode(Sha256::digest(&raw)))
        .body(raw)
        .send()
        .await
        .unwrap();
    assert_eq!(chunk.status(), StatusCode::OK);
    let png = b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script>";
    let thumb = admin
        .http
        .post(admin.url(&format!("/api/recordings/{}/thumbnail", recording.id)))
        .body(png.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(thumb.status(), StatusCode::NO_CONTENT);
    let done = admin
        .post(
            &format!("/api/recordings/{}/finish", recording.id),
            &json!({}),
        )
        .await;
    assert_eq!(done.status(), StatusCode::OK);
    done.json().await.unwrap()
}

#[tokio::test]
async fn every_route_serving_user_bytes_sends_the_safe_headers() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let channel = admin.create_channel("files", "public", &[]).await;
    let hostile = [
        ("page.html", "text/html", &b"<script>alert(1)</script>"[..]),
        ("logo.svg", "image/svg+xml", b"<svg onload=alert(1)></svg>"),
        ("pic.png", "image/png", b"\x89PNG\r\n\x1a\n"),
        ("clip.webm", "video/webm", b"\x1a\x45\xdf\xa3"),
        ("x.js", "text/javascript", b"alert(1)"),
    ];
    let mut files = Vec::new();
    for (name, kind, body) in hostile {
        files.push((name, kind, upload(&admin, name, kind, body).await));
    }
    let mut ws = admin.live_ws().await;
    ws.ok(Command::SendMessage {
        channel_id: channel.id,
        body: "files".into(),
        thread_root_id: None,
        also_to_channel: false,
        attachment_ids: files.iter().map(|(_, _, a)| a.id).collect(),
        urgency: None,
    })
    .await;
    let recording = recording(&admin).await;

    for (method, path) in BINARY_ROUTES {
        assert_eq!(method, "get");
        let urls: Vec<String> = match path {
            "/api/files/{id}/{name}" => files.iter().map(|(_, _, a)| a.url.clone()).collect(),
            "/api/recordings/{id}/media" => vec![
                format!("/api/recordings/{}/media", recording.id),
                format!("/api/recordings/{}/media?download=1", recording.id),
            ],
            "/api/recordings/{id}/thumbnail" => {
                vec![format!("/api/recordings/{}/thumbnail", recording.id)]
            }
            other => panic!("no fixture for {other}"),
        };
        for url in urls {
            let response = admin.get(&url).await;
            assert_safe(&response, &url);
        }
    }
    // Script-capable types are never served as themselves.
    for (name, kind, attachment) in &files {
        let response = admin.get(&attachment.url).await;
        let served = response.headers()["content-type"].to_str().unwrap();
        match *kind {
            "image/png" | "video/webm" => assert_eq!(served, *kind, "{name}"),
            _ => assert_eq!(served, "application/octet-stream", "{name}"),
        }
    }
}

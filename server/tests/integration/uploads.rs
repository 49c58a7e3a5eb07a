//! Uploads: storage, limits, dedup, headers and who may download.

use crate::common;

use common::{spawn, spawn_with};
use reqwest::StatusCode;
use tandem_protocol::chat::Attachment;
use tandem_protocol::ws::Command;
use tandem_protocol::ErrorCode;

async fn upload(
    client: &common::Client,
    name: &str,
    content_type: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    let url =
        reqwest::Url::parse_with_params(&client.url("/api/uploads"), &[("name", name)]).unwrap();
    client
        .http
        .post(url)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

fn stored_files(dir: &std::path::Path) -> Vec<String> {
    match std::fs::read_dir(dir.join("files")) {
        Ok(entries) => entries
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[tokio::test]
async fn upload_attach_download_and_access() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let (ana, ana_user) = ts.member(&admin, "Ana", "ana@example.com").await;
    let (eve, _) = ts.member(&admin, "Eve", "eve@example.com").await;
    let room = admin
        .create_channel("room", "private", &[ana_user.id])
        .await;

    let r = upload(
        &admin,
        "notes é.html",
        "text/html; charset=utf-8",
        b"<script>x</script>".to_vec(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let html: Attachment = r.json().await.unwrap();
    assert_eq!((html.content_type.as_str(), html.size), ("text/html", 18));
    let png: Attachment = upload(&admin, "pic.png", "image/png", vec![1, 2, 3])
        .await
        .json()
        .await
        .unwrap();
    // Same content again: a new attachment, one stored file.
    let dup: Attachment = upload(
        &ana,
        "copy.bin",
        "application/x-weird",
        b"<script>x</script>".to_vec(),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_ne!(dup.id, html.id);
    assert_eq!(stored_files(ts.dir.path()).len(), 2);

    // Before attaching only the uploader can fetch it.
    assert_eq!(admin.get(&html.url).await.status(), StatusCode::OK);
    assert_eq!(ana.get(&html.url).await.status(), StatusCode::NOT_FOUND);

    // Someone else's upload cannot be attached.
    let mut a = admin.live_ws().await;
    let steal = Command::SendMessage {
        channel_id: room.id,
        body: String::new(),
        thread_root_id: None,
        also_to_channel: false,
        attachment_ids: vec![dup.id],
        urgency: None,
    };
    match a.command(steal).await.unwrap_err() {
        tandem_protocol::ws::ServerFrame::Error { code, .. } => {
            assert_eq!(code, ErrorCode::Validation)
        }
        _ => unreachable!(),
    }
    let attach = Command::SendMessage {
        channel_id: room.id,
        body: "files".into(),
        thread_root_id: None,
        also_to_channel: false,
        attachment_ids: vec![html.id, png.id],
        urgency: None,
    };
    a.ok(attach.clone()).await;
    let message = a.posted().await;
    assert_eq!(message.attachments.len(), 2);
    // Attaching again (a new command) is refused: each upload attaches once.
    let again = a.command(attach).await;
    assert!(again.is_err());

    // Members download with safe headers; outsiders get 404.
    let r = ana.get(&html.url).await;
    assert_eq!(r.status(), StatusCode::OK);
    let h = r.headers();
    // The uploader's type is never served for a type that could run script.
    assert_eq!(h["content-type"], "application/octet-stream");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(h["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("sandbox"));
    let disposition = h["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.contains("filename*=UTF-8''notes%20%C3%A9.html"),
        "{disposition}"
    );
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"<script>x</script>");
    let r = ana.get(&png.url).await;
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("inline;"));
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(
        r.headers()["content-security-policy"],
        "default-src 'none'; sandbox"
    );
    assert_eq!(eve.get(&html.url).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        ana.get(&format!("/api/files/{}/other-name.html", html.id))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // Deleting the message makes its files unreachable.
    a.ok(Command::DeleteMessage {
        message_id: message.id,
    })
    .await;
    assert_eq!(ana.get(&html.url).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(admin.get(&html.url).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn oversize_upload_is_413_and_leaves_nothing() {
    let ts = spawn_with(|c| c.max_upload_bytes = 1000).await;
    let (admin, _) = ts.admin().await;
    let r = upload(&admin, "big.bin", "application/octet-stream", vec![7; 1001]).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(common::error_body(r).await.code, ErrorCode::PayloadTooLarge);
    assert!(stored_files(ts.dir.path()).is_empty());
    // Bigger than the 1 MiB JSON limit is fine when the upload limit allows it.
    let ts = spawn_with(|c| c.max_upload_bytes = 3 * 1024 * 1024).await;
    let (admin, _) = ts.admin().await;
    let r = upload(
        &admin,
        "big.bin",
        "application/octet-stream",
        vec![7; 2 * 1024 * 1024],
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = upload(&admin, "../x", "text/plain", b"x".to_vec()).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

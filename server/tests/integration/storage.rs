//! Upload storage (issue #10, findings 3 and 12): the per-user quota, and files removed
//! from disk once no message references their content.

use crate::common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::clock::spawn_with_clock;
use common::*;
use reqwest::StatusCode;
use sha2::{Digest, Sha256};
use tandem_protocol::chat::Attachment;
use tandem_protocol::ws::Command;
use tandem_protocol::ErrorCode;

async fn upload(client: &Client, name: &str, body: Vec<u8>) -> reqwest::Response {
    let url =
        reqwest::Url::parse_with_params(&client.url("/api/uploads"), &[("name", name)]).unwrap();
    client
        .http
        .post(url)
        .header("content-type", "application/octet-stream")
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn uploaded(client: &Client, name: &str, body: Vec<u8>) -> Attachment {
    let response = upload(client, name, body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

/// Posts a message carrying the attachment; returns the message id.
async fn attach(ws: &mut Ws, channel: uuid::Uuid, attachment: &Attachment) -> uuid::Uuid {
    ws.ok(Command::SendMessage {
        channel_id: channel,
        body: "see attached".into(),
        thread_root_id: None,
        also_to_channel: false,
        attachment_ids: vec![attachment.id],
        urgency: None,
    })
    .await
    .0
}

async fn delete(ws: &mut Ws, message_id: uuid::Uuid) {
    ws.ok(Command::DeleteMessage { message_id }).await;
}

fn content_path(dir: &Path, bytes: &[u8]) -> PathBuf {
    dir.join("files").join(hex::encode(Sha256::digest(bytes)))
}

/// The file is removed after the delete commits, in the background: wait for it.
async fn wait_until_gone(path: &Path) {
    for _ in 0..100 {
        if !path.exists() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{} is still on disk", path.display());
}

/// Everything in the files directory (temporary uploads included).
fn stored(dir: &Path) -> usize {
    std::fs::read_dir(dir.join("files")).map_or(0, |d| d.count())
}

#[tokio::test]
async fn deleting_the_message_removes_its_file() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let channel = admin.create_channel("files", "public", &[]).await;
    let mut ws = admin.live_ws().await;
    let bytes = b"quarterly numbers".to_vec();
    let file = uploaded(&admin, "numbers.csv", bytes.clone()).await;
    let message = attach(&mut ws, channel.id, &file).await;
    let path = content_path(ts.dir.path(), &bytes);
    assert!(path.exists());
    delete(&mut ws, message).await;
    wait_until_gone(&path).await;
    assert_eq!(admin.get(&file.url).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn shared_content_stays_until_its_last_message_is_deleted() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let (mia, mia_user) = ts.member(&admin, "Mia", "mia@example.com").await;
    let channel = admin
        .create_channel("files", "private", &[mia_user.id])
        .await;
    let mut admin_ws = admin.live_ws().await;
    let mut mia_ws = mia.live_ws().await;
    let bytes = b"the same slides".to_vec();
    // Identical content from two people: one file on disk, two references.
    let first = uploaded(&admin, "slides.pdf", bytes.clone()).await;
    let second = uploaded(&mia, "copy of slides.pdf", bytes.clone()).await;
    let first_message = attach(&mut admin_ws, channel.id, &first).await;
    let second_message = attach(&mut mia_ws, channel.id, &second).await;
    let path = content_path(ts.dir.path(), &bytes);

    delete(&mut admin_ws, first_message).await;
    // Even an explicit release keeps content that a message still shows.
    let hash = hex::encode(Sha256::digest(&bytes));
    tandem_server::chat::files::release_unreferenced(&ts.server.state, &[hash]).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(path.exists());
    let still = mia.get(&second.url).await;
    assert_eq!(still.status(), StatusCode::OK);
    assert_eq!(still.bytes().await.unwrap().to_vec(), bytes);

    delete(&mut mia_ws, second_message).await;
    wait_until_gone(&path).await;
}

#[tokio::test]
async fn an_upload_past_the_quota_is_refused_and_deleting_frees_it() {
    let ts = spawn_with(|c| c.user_quota_bytes = 1000).await;
    let (admin, _) = ts.admin().await;
    let (mia, _) = ts.member(&admin, "Mia", "mia@example.com").await;
    let channel = admin.create_channel("files", "public", &[]).await;
    let mut ws = admin.live_ws().await;
    let first = uploaded(&admin, "a.bin", vec![1; 600]).await;
    let refused = upload(&admin, "b.bin", vec![2; 600]).await;
    assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body = error_body(refused).await;
    assert_eq!(body.code, ErrorCode::PayloadTooLarge);
    assert!(body.message.contains("quota"), "{}", body.message);
    // Nothing of the refused upload stays, and the quota is per person.
    assert_eq!(stored(ts.dir.path()), 1);
    uploaded(&mia, "b.bin", vec![2; 600]).await;
    // Up to the quota exactly is fine.
    uploaded(&admin, "c.bin", vec![3; 400]).await;
    assert_eq!(
        upload(&admin, "d.bin", vec![4; 1]).await.status(),
        StatusCode::PAYLOAD_TOO_LARGE
    );

    let message = attach(&mut ws, channel.id, &first).await;
    delete(&mut ws, message).await;
    uploaded(&admin, "b.bin", vec![2; 600]).await;
}

#[tokio::test]
async fn unattached_uploads_are_swept_with_their_files_after_a_day() {
    let (ts, now) = spawn_with_clock(|_| {}).await;
    let (admin, _) = ts.admin().await;
    let channel = admin.create_channel("files", "public", &[]).await;
    let mut ws = admin.live_ws().await;
    let kept = uploaded(&admin, "kept.txt", b"kept".to_vec()).await;
    attach(&mut ws, channel.id, &kept).await;
    let abandoned = uploaded(&admin, "draft.txt", b"draft".to_vec()).await;
    let state = &ts.server.state;
    assert_eq!(tandem_server::chat::files::sweep(state).await.unwrap(), 0);
    now.advance(25 * 60 * 60 * 1000);
    assert_eq!(tandem_server::chat::files::sweep(state).await.unwrap(), 1);
    assert!(!content_path(ts.dir.path(), b"draft").exists());
    assert!(content_path(ts.dir.path(), b"kept").exists());
    assert_eq!(
        admin.get(&abandoned.url).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(admin.get(&kept.url).await.status(), StatusCode::OK);
}

//! Scheduled messages: sent once by the server, editable, cancellable.

mod common;

use std::time::Duration;

use common::spawn;
use reqwest::StatusCode;
use serde_json::json;
use tandem_protocol::chat::{MessagePage, ScheduledMessage};

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

#[tokio::test]
async fn scheduled_message_is_sent_once_while_author_is_offline() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let (ana, ana_user) = ts.member(&admin, "Ana", "ana@example.com").await;
    let (eve, _) = ts.member(&admin, "Eve", "eve@example.com").await;
    let room = admin
        .create_channel("room", "private", &[ana_user.id])
        .await;

    // Validation: past time, empty body, a channel she cannot see.
    let past = admin
        .post(
            "/api/scheduled",
            &json!({"channel_id": room.id, "body": "x", "send_at": now() - 1}),
        )
        .await;
    assert_eq!(past.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let empty = admin
        .post(
            "/api/scheduled",
            &json!({"channel_id": room.id, "body": " ", "send_at": now() + 60_000}),
        )
        .await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let outsider = eve
        .post(
            "/api/scheduled",
            &json!({"channel_id": room.id, "body": "x", "send_at": now() + 60_000}),
        )
        .await;
    assert_eq!(outsider.status(), StatusCode::NOT_FOUND);

    // One to edit and send, one to cancel.
    let r = admin
        .post(
            "/api/scheduled",
            &json!({"channel_id": room.id, "body": "draft", "send_at": now() + 60_000}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let sched: ScheduledMessage = r.json().await.unwrap();
    let cancel: ScheduledMessage = admin
        .post(
            "/api/scheduled",
            &json!({"channel_id": room.id, "body": "never", "send_at": now() + 1_500}),
        )
        .await
        .json()
        .await
        .unwrap();
    let list: Vec<ScheduledMessage> = admin.get("/api/scheduled").await.json().await.unwrap();
    assert_eq!(list.len(), 2);
    assert!(eve
        .get("/api/scheduled")
        .await
        .json::<Vec<ScheduledMessage>>()
        .await
        .unwrap()
        .is_empty());
    // Only the author may change or cancel.
    let path = format!("/api/scheduled/{}", sched.id);
    assert_eq!(eve.delete(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        eve.patch(&path, &json!({"body": "x"})).await.status(),
        StatusCode::NOT_FOUND
    );
    let r = admin.patch(&path, &json!({"send_at": now() - 5})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let edited: ScheduledMessage = admin
        .patch(
            &path,
            &json!({"body": "final text", "send_at": now() + 1_200}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(edited.body, "final text");
    assert_eq!(
        admin
            .delete(&format!("/api/scheduled/{}", cancel.id))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );

    // The author has no socket open; Ana is watching.
    let mut watch = ana.live_ws().await;
    let message = watch.posted().await;
    assert_eq!(message.id, sched.id);
    assert_eq!(message.body, "final text");
    tokio::time::sleep(Duration::from_millis(2_000)).await;
    let history: MessagePage = ana
        .get(&format!("/api/channels/{}/messages", room.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        history.messages.len(),
        1,
        "sent exactly once, the cancelled one never"
    );
    let list: Vec<ScheduledMessage> = admin.get("/api/scheduled").await.json().await.unwrap();
    assert!(list.is_empty());
}

//! Send-later messages: sent once by the server, editable, cancellable.

use crate::common;

use std::time::Duration;

use common::bridge::send_later_request;
use common::spawn;
use reqwest::StatusCode;
use serde_json::json;
use tandem_protocol::chat::{MessagePage, ScheduledMessage};
use tandem_protocol::urgency::Urgency;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

#[tokio::test]
async fn send_later_message_is_sent_once_while_author_is_offline() {
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

/// Monday 3 March 2025, 08:00 UTC: any fixed instant does, the test moves the clock.
const T0: i64 = 1_740_988_800_000;

#[tokio::test]
async fn send_later_message_keeps_the_urgency_picked_when_queued() {
    let (ts, clock) = common::bridge::spawn_at(T0).await;
    let (admin, _) = ts.admin().await;
    let (ana, ana_user) = ts.member(&admin, "Ana", "ana@example.com").await;
    let room = admin
        .create_channel("room", "private", &[ana_user.id])
        .await;
    let send_later = |body: &str, send_at: i64, urgency: Option<&str>| {
        send_later_request(room.id, body, send_at, urgency)
    };

    let r = admin
        .post(
            "/api/scheduled",
            &send_later("on fire", T0 + 60_000, Some("critical")),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let critical: ScheduledMessage = r.json().await.unwrap();
    assert_eq!(critical.urgency, Some(Urgency::Critical));
    let plain: ScheduledMessage = admin
        .post("/api/scheduled", &send_later("whenever", T0 + 61_000, None))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(plain.urgency, None);
    // Changed later by the author: the new tier is what is sent.
    let changed: ScheduledMessage = admin
        .post(
            "/api/scheduled",
            &send_later("raised", T0 + 62_000, Some("low")),
        )
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/api/scheduled/{}", changed.id);
    let raised: ScheduledMessage = admin
        .patch(&path, &json!({"urgency": "critical"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(raised.urgency, Some(Urgency::Critical));
    // An edit of the text alone keeps the tier.
    let edited: ScheduledMessage = admin
        .patch(&path, &json!({"body": "raised!"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(edited.urgency, Some(Urgency::Critical));
    let bogus = admin
        .post(
            "/api/scheduled",
            &send_later("x", T0 + 60_000, Some("urgent")),
        )
        .await;
    assert!(bogus.status().is_client_error());

    // The list shows each one's tier.
    let list: Vec<ScheduledMessage> = admin.get("/api/scheduled").await.json().await.unwrap();
    let tiers: Vec<_> = list.iter().map(|m| (m.id, m.urgency)).collect();
    assert_eq!(
        tiers,
        vec![
            (critical.id, Some(Urgency::Critical)),
            (plain.id, None),
            (changed.id, Some(Urgency::Critical)),
        ]
    );

    // The channel's default moves to Low before they are sent: the one without a tier
    // follows it (the default when sent), the picked ones keep theirs.
    let r = admin
        .patch(
            &format!("/api/channels/{}", room.id),
            &json!({"default_urgency": "low"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    let mut watch = ana.live_ws().await;
    clock.advance(2 * 60_000);
    ts.wake_timers();
    let mut sent = Vec::new();
    for _ in 0..3 {
        let message = watch.posted().await;
        sent.push((message.id, message.urgency));
    }
    sent.sort_by_key(|(id, _)| *id);
    let mut expected = vec![
        (critical.id, Urgency::Critical),
        (plain.id, Urgency::Low),
        (changed.id, Urgency::Critical),
    ];
    expected.sort_by_key(|(id, _)| *id);
    assert_eq!(sent, expected);
    let history: MessagePage = ana
        .get(&format!("/api/channels/{}/messages", room.id))
        .await
        .json()
        .await
        .unwrap();
    let on_fire = history
        .messages
        .iter()
        .find(|m| m.id == critical.id)
        .unwrap();
    assert_eq!(on_fire.urgency, Urgency::Critical);
}

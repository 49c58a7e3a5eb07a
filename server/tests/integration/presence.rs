//! Ephemeral frames: typing and presence.

use crate::common;

use common::spawn;
use reqwest::StatusCode;
use tandem_protocol::chat::{Presence, PresenceEntry};
use tandem_protocol::ws::{ClientFrame, ServerFrame};
use uuid::Uuid;

async fn presence_of(ws: &mut common::Ws, user: Uuid) -> Presence {
    loop {
        if let ServerFrame::PresenceChanged { user_id, presence } = ws.recv().await {
            if user_id == user {
                return presence;
            }
        }
    }
}

#[tokio::test]
async fn typing_reaches_other_members_only() {
    let ts = spawn().await;
    let (admin, admin_user) = ts.admin().await;
    let (ana, ana_user) = ts.member(&admin, "Ana", "ana@example.com").await;
    let (eve, _) = ts.member(&admin, "Eve", "eve@example.com").await;
    let room = admin
        .create_channel("room", "private", &[ana_user.id])
        .await;
    let mut a = admin.live_ws().await;
    let mut a2 = admin.live_ws().await;
    let mut b = ana.live_ws().await;
    let mut e = eve.live_ws().await;

    let typing = ClientFrame::Typing {
        channel_id: room.id,
        thread_root_id: None,
    };
    a.send(&typing).await;
    a.send(&typing).await; // throttled
    assert_eq!(
        b.recv().await,
        ServerFrame::Typing {
            channel_id: room.id,
            thread_root_id: None,
            user_id: admin_user.id
        }
    );
    b.assert_no_event_until_pong(1).await;
    a.assert_no_event_until_pong(2).await;
    a2.assert_no_event_until_pong(3).await;
    e.assert_no_event_until_pong(4).await;
    // Typing in a channel one is not in is refused.
    e.send(&typing).await;
    assert!(matches!(e.recv().await, ServerFrame::Error { .. }));
}

#[tokio::test]
async fn presence_goes_online_away_offline() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let (ana, ana_user) = ts.member(&admin, "Ana", "ana@example.com").await;
    let mut watch = admin.live_ws().await;
    watch.keep_presence = true;

    let mut b = ana.live_ws().await;
    assert_eq!(presence_of(&mut watch, ana_user.id).await, Presence::Online);
    let list: Vec<PresenceEntry> = admin.get("/api/presence").await.json().await.unwrap();
    assert!(list.contains(&PresenceEntry {
        user_id: ana_user.id,
        presence: Presence::Online
    }));

    // A second tab that is active keeps her online while the first goes away.
    let mut b2 = ana.live_ws().await;
    b.send(&ClientFrame::SetPresence {
        presence: Presence::Away,
    })
    .await;
    b2.send(&ClientFrame::SetPresence {
        presence: Presence::Away,
    })
    .await;
    assert_eq!(presence_of(&mut watch, ana_user.id).await, Presence::Away);
    b2.send(&ClientFrame::SetPresence {
        presence: Presence::Online,
    })
    .await;
    assert_eq!(presence_of(&mut watch, ana_user.id).await, Presence::Online);

    drop(b);
    drop(b2);
    assert_eq!(
        presence_of(&mut watch, ana_user.id).await,
        Presence::Offline
    );
    let r = admin.get("/api/presence").await;
    assert_eq!(r.status(), StatusCode::OK);
    let list: Vec<PresenceEntry> = r.json().await.unwrap();
    assert!(list.contains(&PresenceEntry {
        user_id: ana_user.id,
        presence: Presence::Offline
    }));
}

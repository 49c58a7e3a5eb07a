//! Channels, DMs, membership, profiles and deactivation over real HTTP + WebSocket.

use crate::common;

use common::{error_body, spawn};
use reqwest::StatusCode;
use serde_json::json;
use tandem_protocol::api::User;
use tandem_protocol::chat::{Channel, ChannelKind, MyChannel};
use tandem_protocol::ws::{Event, CLOSE_SESSION_ENDED};
use tandem_protocol::ErrorCode;

#[tokio::test]
async fn create_browse_rename_archive_join_leave() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let (ana, ana_user) = ts.member(&admin, "Ana", "ana@example.com").await;
    let (bo, bo_user) = ts.member(&admin, "Bo", "bo@example.com").await;

    // Bo watches the workspace: a public channel's creation reaches everyone.
    let mut bo_ws = bo.live_ws().await;
    let general = ana.create_channel("general", "public", &[]).await;
    assert_eq!(general.kind, ChannelKind::Public);
    assert_eq!(general.member_count, 1);
    assert_eq!(general.created_by, ana_user.id);
    let seen = bo_ws
        .event_matching(|e| matches!(e, Event::ChannelUpdated { .. }))
        .await;
    assert!(matches!(seen, Event::ChannelUpdated { channel } if channel.id == general.id));

    // Bad input.
    let bad = ana
        .post(
            "/api/channels",
            &json!({"name": "Bad Name", "kind": "public"}),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let direct = ana
        .post("/api/channels", &json!({"name": "dm", "kind": "direct"}))
        .await;
    assert_eq!(direct.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let dup = bo
        .post(
            "/api/channels",
            &json!({"name": "general", "kind": "private"}),
        )
        .await;
    assert_eq!(dup.status(), StatusCode::CONFLICT);

    // Browse lists it for Bo, who is not a member; his channel list does not.
    let browse: Vec<Channel> = bo.get("/api/channels/browse").await.json().await.unwrap();
    assert!(browse.iter().any(|c| c.id == general.id));
    let mine: Vec<MyChannel> = bo.get("/api/channels").await.json().await.unwrap();
    assert!(mine.is_empty());

    // A non-member may read a public channel but not rename it.
    assert_eq!(
        bo.get(&format!("/api/channels/{}", general.id))
            .await
            .status(),
        StatusCode::OK
    );
    let path = format!("/api/channels/{}", general.id);
    let r = bo.patch(&path, &json!({"topic": "x"})).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Join, then rename and re-topic as a member; the join is announced to Bo.
    let r = bo
        .post(&format!("/api/channels/{}/join", general.id), &json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let joined = bo_ws
        .event_matching(|e| matches!(e, Event::MemberJoined { .. }))
        .await;
    assert_eq!(
        joined,
        Event::MemberJoined {
            channel_id: general.id,
            user_id: bo_user.id
        }
    );
    let renamed: Channel = bo
        .patch(
            &path,
            &json!({"name": "town-square", "topic": "Everything"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (renamed.name.as_str(), renamed.topic.as_str()),
        ("town-square", "Everything")
    );
    assert_eq!(renamed.member_count, 2);
    let members: Vec<User> = ana
        .get(&format!("/api/channels/{}/members", general.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(members.len(), 2);

    // Archiving: not by a plain member, yes by the creator; then read-only.
    let r = bo.patch(&path, &json!({"archived": true})).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let archived: Channel = ana
        .patch(&path, &json!({"archived": true}))
        .await
        .json()
        .await
        .unwrap();
    assert!(archived.archived);
    let r = bo.patch(&path, &json!({"topic": "more"})).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let browse: Vec<Channel> = bo.get("/api/channels/browse").await.json().await.unwrap();
    assert!(browse.iter().all(|c| c.id != general.id));
    // An admin may unarchive too.
    let r = admin.patch(&path, &json!({"archived": false})).await;
    assert_eq!(r.status(), StatusCode::OK);

    // Leave: announced to the leaver too, and idempotent.
    let leave = format!("/api/channels/{}/leave", general.id);
    assert_eq!(
        bo.post(&leave, &json!({})).await.status(),
        StatusCode::NO_CONTENT
    );
    let left = bo_ws
        .event_matching(|e| matches!(e, Event::MemberLeft { .. }))
        .await;
    assert_eq!(
        left,
        Event::MemberLeft {
            channel_id: general.id,
            user_id: bo_user.id
        }
    );
    assert_eq!(
        bo.post(&leave, &json!({})).await.status(),
        StatusCode::NO_CONTENT
    );
    let mine: Vec<MyChannel> = bo.get("/api/channels").await.json().await.unwrap();
    assert!(mine.is_empty());
}

#[tokio::test]
async fn private_channels_are_invisible_to_outsiders() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let (ana, _) = ts.member(&admin, "Ana", "ana@example.com").await;
    let (bo, bo_user) = ts.member(&admin, "Bo", "bo@example.com").await;
    let (eve, _) = ts.member(&admin, "Eve", "eve@example.com").await;

    let mut eve_ws = eve.live_ws().await;
    let secret = ana.create_channel("secret", "private", &[bo_user.id]).await;
    assert_eq!(secret.member_count, 2);
    let id = secret.id;
    for path in [
        format!("/api/channels/{id}"),
        format!("/api/channels/{id}/members"),
        format!("/api/channels/{id}/messages"),
        format!("/api/channels/{id}/pins"),
    ] {
        let r = eve.get(&path).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(error_body(r).await.code, ErrorCode::NotFound);
    }
    for path in [
        format!("/api/channels/{id}/join"),
        format!("/api/channels/{id}/leave"),
    ] {
        assert_eq!(
            eve.post(&path, &json!({})).await.status(),
            StatusCode::NOT_FOUND
        );
    }
    let r = eve
        .patch(&format!("/api/channels/{id}"), &json!({"topic": "hi"}))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Even the admin does not see it without being a member.
    assert_eq!(
        admin.get(&format!("/api/channels/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let browse: Vec<Channel> = eve.get("/api/channels/browse").await.json().await.unwrap();
    assert!(browse.is_empty());
    // Nothing about it reached Eve's socket.
    eve_ws.assert_no_event_until_pong(1).await;

    // Members can add people; the added person then sees it.
    let r = bo
        .post(
            &format!("/api/channels/{id}/members"),
            &json!({"user_ids": [admin_id(&admin).await]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        admin.get(&format!("/api/channels/{id}")).await.status(),
        StatusCode::OK
    );
    let r = bo
        .post(
            &format!("/api/channels/{id}/members"),
            &json!({"user_ids": [uuid::Uuid::new_v4()]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

async fn admin_id(admin: &common::Client) -> uuid::Uuid {
    let me: User = admin.get("/api/auth/me").await.json().await.unwrap();
    me.id
}

#[tokio::test]
async fn direct_messages_are_idempotent_and_capped() {
    let ts = spawn().await;
    let (admin, admin_user) = ts.admin().await;
    let mut people = Vec::new();
    for i in 0..8 {
        let (_, user) = ts
            .member(&admin, &format!("P{i}"), &format!("p{i}@example.com"))
            .await;
        people.push(user.id);
    }
    let first = admin
        .post("/api/direct", &json!({"user_ids": [people[0]]}))
        .await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Channel = first.json().await.unwrap();
    assert_eq!(first.kind, ChannelKind::Direct);
    assert_eq!(first.member_ids.len(), 2);
    assert!(first.member_ids.contains(&admin_user.id));
    // Same set (duplicates and self included) → same channel.
    let again = admin
        .post(
            "/api/direct",
            &json!({"user_ids": [people[0], people[0], admin_user.id]}),
        )
        .await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.json::<Channel>().await.unwrap().id, first.id);

    let seven = admin
        .post("/api/direct", &json!({"user_ids": &people[..7]}))
        .await;
    assert_eq!(seven.status(), StatusCode::CREATED);
    let eight = admin
        .post("/api/direct", &json!({"user_ids": &people[..8]}))
        .await;
    assert_eq!(eight.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let alone = admin.post("/api/direct", &json!({"user_ids": []})).await;
    assert_eq!(alone.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // DMs cannot be renamed, left or extended.
    let path = format!("/api/channels/{}", first.id);
    assert_eq!(
        admin.patch(&path, &json!({"name": "x"})).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        admin
            .post(&format!("{path}/leave"), &json!({}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        admin
            .post(
                &format!("{path}/members"),
                &json!({"user_ids": [people[1]]})
            )
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let mine: Vec<MyChannel> = admin.get("/api/channels").await.json().await.unwrap();
    assert_eq!(mine.len(), 2);
}

#[tokio::test]
async fn profile_time_zone_and_deactivation() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    // Sign-up keeps a known zone and falls back to UTC otherwise.
    let invite = admin.create_invite(24).await;
    let ana = ts.client();
    let r = ana
        .post(
            "/api/auth/signup",
            &json!({"display_name": "Ana", "email": "ana@example.com", "password": common::PASSWORD,
                    "invite_token": invite.token, "time_zone": "Europe/Lisbon"}),
        )
        .await;
    let ana_user: User = r.json().await.unwrap();
    assert_eq!(ana_user.time_zone, "Europe/Lisbon");
    let invite = admin.create_invite(24).await;
    let bo = ts.client();
    let r = bo
        .post(
            "/api/auth/signup",
            &json!({"display_name": "Bo", "email": "bo@example.com", "password": common::PASSWORD,
                    "invite_token": invite.token, "time_zone": "Nowhere/Special"}),
        )
        .await;
    let bo_user: User = r.json().await.unwrap();
    assert_eq!(bo_user.time_zone, "UTC");

    let r = ana
        .patch("/api/users/me", &json!({"time_zone": "Mars/Base"}))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_body(r).await.field.as_deref(), Some("time_zone"));
    let me: User = ana
        .patch(
            "/api/users/me",
            &json!({"display_name": " Ana L ", "time_zone": "Asia/Tokyo"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (me.display_name.as_str(), me.time_zone.as_str()),
        ("Ana L", "Asia/Tokyo")
    );
    let me: User = ana.get("/api/auth/me").await.json().await.unwrap();
    assert_eq!(me.time_zone, "Asia/Tokyo");

    // Only admins deactivate; the account's sessions end and sockets close.
    let path = format!("/api/users/{}", ana_user.id);
    assert_eq!(bo.delete(&path).await.status(), StatusCode::FORBIDDEN);
    let mut ws = ana.live_ws().await;
    assert_eq!(admin.delete(&path).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(ws.recv_close().await, Some(CLOSE_SESSION_ENDED));
    assert_eq!(
        ana.get("/api/auth/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let login = ana.login("ana@example.com", common::PASSWORD).await;
    assert_eq!(login.status(), StatusCode::UNAUTHORIZED);
    let users: Vec<User> = admin.get("/api/users").await.json().await.unwrap();
    assert!(users.iter().all(|u| u.id != ana_user.id));
    assert_eq!(admin.delete(&path).await.status(), StatusCode::NOT_FOUND);
}

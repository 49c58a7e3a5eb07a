//! DM calls (ring, answer, decline, missed) and TURN credentials.

use crate::common;

use base64::Engine;
use common::*;
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::json;
use tandem_protocol::api::{IceServersResponse, User};
use tandem_protocol::chat::Channel;
use tandem_protocol::meetings::{Meeting, MeetingKind, MeetingNotice, MeetingRequest, RingEnd};

async fn dm(ts: &TestServer) -> (Client, User, Client, User, Channel) {
    let (admin, admin_user) = ts.admin().await;
    let (bob, bob_user) = ts.member(&admin, "Bob", "bob@example.com").await;
    let channel: Channel = admin
        .post("/api/direct", &json!({"user_ids": [bob_user.id]}))
        .await
        .json()
        .await
        .unwrap();
    (admin, admin_user, bob, bob_user, channel)
}

async fn call(caller: &Client, channel: &Channel) -> Meeting {
    let response = caller
        .post(&format!("/api/channels/{}/call", channel.id), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let meeting: Meeting = response.json().await.unwrap();
    assert_eq!(meeting.kind, MeetingKind::Call);
    meeting
}

async fn expect_ringing(ws: &mut Ws, meeting: &Meeting, caller: &User) {
    match ws.notice().await {
        MeetingNotice::Ringing {
            meeting: rung,
            caller_id,
        } => {
            assert_eq!(rung.id, meeting.id);
            assert_eq!(caller_id, caller.id);
        }
        other => panic!("expected ringing, got {other:?}"),
    }
}

fn ring_end(meeting: &Meeting, reason: RingEnd) -> MeetingNotice {
    MeetingNotice::RingEnded {
        meeting_id: meeting.id,
        reason,
    }
}

#[tokio::test]
async fn a_call_rings_the_callee_and_accepting_stops_the_ringing() {
    let ts = spawn().await;
    let (admin, admin_user, bob, _, channel) = dm(&ts).await;
    let mut caller = admin.live_ws().await;
    let mut bob_phone = bob.live_ws().await;
    let mut bob_laptop = bob.live_ws().await;

    // Only DMs can be called.
    let public = admin.create_channel("town", "public", &[]).await;
    let refused = admin
        .post(&format!("/api/channels/{}/call", public.id), &json!({}))
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let meeting = call(&admin, &channel).await;
    caller.join(meeting.id).await;
    expect_ringing(&mut bob_phone, &meeting, &admin_user).await;
    expect_ringing(&mut bob_laptop, &meeting, &admin_user).await;
    caller.assert_no_notice_until_pong(1).await;

    bob_phone
        .meeting(MeetingRequest::AnswerCall {
            meeting_id: meeting.id,
            accept: true,
        })
        .await;
    assert_eq!(
        bob_laptop.notice().await,
        ring_end(&meeting, RingEnd::Answered)
    );
    assert_eq!(caller.notice().await, ring_end(&meeting, RingEnd::Answered));
    bob_phone.assert_no_notice_until_pong(2).await;
    // Then the callee joins normally.
    let (_, participants) = bob_phone.join(meeting.id).await;
    assert_eq!(participants.len(), 2);
    // Answering again: nothing is ringing.
    bob_laptop
        .meeting(MeetingRequest::AnswerCall {
            meeting_id: meeting.id,
            accept: true,
        })
        .await;
    assert!(matches!(
        bob_laptop.notice().await,
        MeetingNotice::Refused { .. }
    ));
}

#[tokio::test]
async fn a_declined_call_tells_the_caller_and_says_so_in_the_dm() {
    let ts = spawn().await;
    let (admin, admin_user, bob, bob_user, channel) = dm(&ts).await;
    let mut caller = admin.live_ws().await;
    let mut bob_ws = bob.live_ws().await;
    let meeting = call(&admin, &channel).await;
    caller.join(meeting.id).await;
    expect_ringing(&mut bob_ws, &meeting, &admin_user).await;
    bob_ws
        .meeting(MeetingRequest::AnswerCall {
            meeting_id: meeting.id,
            accept: false,
        })
        .await;
    assert_eq!(caller.notice().await, ring_end(&meeting, RingEnd::Declined));
    let notice = loop {
        let message = caller.next_posted().await;
        if message.meeting_id.is_none() {
            break message;
        }
    };
    assert_eq!(notice.body, "Call declined");
    assert_eq!(notice.channel_id, channel.id);
    assert_eq!(notice.author_id, bob_user.id);
    assert_eq!(
        caller.notice().await,
        MeetingNotice::Ended {
            meeting_id: meeting.id
        }
    );
    // The card follows (`ended_at` is stored after everyone was told).
    loop {
        if caller.meeting_update().await.ended_at.is_some() {
            break;
        }
    }
}

#[tokio::test]
async fn an_unanswered_call_is_missed() {
    let ts = spawn_with(|c| c.ring_timeout_ms = 300).await;
    let (admin, admin_user, bob, _, channel) = dm(&ts).await;
    let mut caller = admin.live_ws().await;
    let mut bob_ws = bob.live_ws().await;
    let meeting = call(&admin, &channel).await;
    expect_ringing(&mut bob_ws, &meeting, &admin_user).await;
    assert_eq!(bob_ws.notice().await, ring_end(&meeting, RingEnd::Missed));
    assert_eq!(caller.notice().await, ring_end(&meeting, RingEnd::Missed));
    let missed = loop {
        let message = bob_ws.next_posted().await;
        if message.meeting_id.is_none() {
            break message;
        }
    };
    assert_eq!(missed.body, "Missed call");
    assert_eq!(missed.author_id, admin_user.id);
    let ended = loop {
        let update = bob_ws.meeting_update().await;
        if update.ended_at.is_some() {
            break update;
        }
    };
    assert_eq!(ended.id, meeting.id);
}

#[tokio::test]
async fn the_caller_hanging_up_cancels_the_ringing() {
    let ts = spawn().await;
    let (admin, admin_user, bob, _, channel) = dm(&ts).await;
    let mut caller = admin.live_ws().await;
    let mut bob_ws = bob.live_ws().await;
    let meeting = call(&admin, &channel).await;
    caller.join(meeting.id).await;
    expect_ringing(&mut bob_ws, &meeting, &admin_user).await;
    caller
        .meeting(MeetingRequest::Leave {
            meeting_id: meeting.id,
        })
        .await;
    assert_eq!(
        bob_ws.notice().await,
        ring_end(&meeting, RingEnd::Cancelled)
    );
}

#[tokio::test]
async fn ice_servers_carry_turn_rest_credentials() {
    let ts = spawn_with(|c| {
        c.ice_servers = vec!["stun:stun.example:3478".into()];
        c.turn_urls = vec![
            "turn:turn.example:3478".into(),
            "turns:turn.example:5349".into(),
        ];
        c.turn_secret = Some("s3cret".into());
        c.turn_ttl_secs = 600;
    })
    .await;
    let (admin, admin_user) = ts.admin().await;
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let body: IceServersResponse = admin
        .get("/api/rtc/ice-servers")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body.ice_servers.len(), 2);
    assert_eq!(body.ice_servers[0].urls, ["stun:stun.example:3478"]);
    assert!(body.ice_servers[0].username.is_none());
    let turn = &body.ice_servers[1];
    assert_eq!(
        turn.urls,
        ["turn:turn.example:3478", "turns:turn.example:5349"]
    );
    let username = turn.username.clone().unwrap();
    let (expiry, user) = username.split_once(':').unwrap();
    assert_eq!(user, admin_user.id.to_string());
    let expiry: u64 = expiry.parse().unwrap();
    assert!((before + 600..=before + 602).contains(&expiry), "{expiry}");
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(b"s3cret").unwrap();
    mac.update(username.as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    assert_eq!(turn.credential.as_deref(), Some(expected.as_str()));

    // Without TURN configured (the default): no outside server at all.
    let plain = spawn().await;
    let (admin, _) = plain.admin().await;
    let body: IceServersResponse = admin
        .get("/api/rtc/ice-servers")
        .await
        .json()
        .await
        .unwrap();
    assert!(body.ice_servers.is_empty());
}

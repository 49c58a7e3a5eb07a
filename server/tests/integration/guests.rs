//! Guest links: preview, join under a name, the guest's narrow scope (REST and
//! WebSocket), the in-meeting chat, and the end of the guest with the meeting.

use crate::common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;
use tandem_protocol::api::{Role, User};
use tandem_protocol::chat::Thread;
use tandem_protocol::meetings::{
    CreatedGuestInvite, GuestInvite, GuestInvitePreview, GuestSession, HostAction, Meeting,
    MeetingNotice, MeetingRequest,
};
use tandem_protocol::ws::{Command, ServerFrame, CLOSE_SESSION_ENDED};
use tandem_protocol::ErrorCode;

async fn invite(host: &Client, meeting: &Meeting, minutes: u32) -> CreatedGuestInvite {
    let response = host
        .post(
            &format!("/api/meetings/{}/guest-invites", meeting.id),
            &json!({"expires_in_minutes": minutes}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

async fn join_as_guest(ts: &TestServer, token: &str, name: &str) -> (Client, GuestSession) {
    let guest = ts.client();
    let response = guest
        .post(
            &format!("/api/guest/{token}"),
            &json!({"display_name": name}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert!(response.headers().get("set-cookie").is_some());
    let session = response.json().await.unwrap();
    (guest, session)
}

fn reply(channel: uuid::Uuid, root: uuid::Uuid, body: &str) -> Command {
    Command::SendMessage {
        channel_id: channel,
        body: body.into(),
        thread_root_id: Some(root),
        also_to_channel: false,
        attachment_ids: vec![],
        urgency: None,
    }
}

#[tokio::test]
async fn a_guest_joins_by_link_and_can_use_only_their_meeting() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let (bob, bob_user) = ts.member(&admin, "Bob", "bob@example.com").await;
    let channel = admin
        .create_channel("sales", "public", &[bob_user.id])
        .await;
    let other_channel = admin.create_channel("secret", "private", &[]).await;
    let meeting = admin.start_meeting(channel.id).await;
    let other_meeting = admin.start_meeting(other_channel.id).await;

    // Only the host (or an admin in the channel) manages links; durations are bounded.
    let refused = bob
        .post(
            &format!("/api/meetings/{}/guest-invites", meeting.id),
            &json!({"expires_in_minutes": 30}),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    for minutes in [4, 7 * 24 * 60 + 1] {
        let response = admin
            .post(
                &format!("/api/meetings/{}/guest-invites", meeting.id),
                &json!({"expires_in_minutes": minutes}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let link = invite(&admin, &meeting, 30).await;
    let listed: Vec<GuestInvite> = admin
        .get(&format!("/api/meetings/{}/guest-invites", meeting.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0], link.invite);

    let preview: GuestInvitePreview = ts
        .client()
        .get(&format!("/api/guest/{}", link.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(preview.meeting_title, "Meeting in #sales");
    assert_eq!(preview.host_name, "Ada Admin");
    assert!(!preview.ended);

    let bad_name = ts
        .client()
        .post(
            &format!("/api/guest/{}", link.token),
            &json!({"display_name": "  "}),
        )
        .await;
    assert_eq!(bad_name.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (guest, session) = join_as_guest(&ts, &link.token, "Gina Guest").await;
    assert_eq!(session.user.role, Role::Guest);
    assert_eq!(session.meeting.id, meeting.id);
    let me: User = guest.get("/api/auth/me").await.json().await.unwrap();
    assert_eq!(me.id, session.user.id);

    // Never listed, and everything outside the meeting is 403.
    let users: Vec<User> = admin.get("/api/users").await.json().await.unwrap();
    assert!(users.iter().all(|u| u.id != me.id));
    for path in [
        "/api/channels".to_string(),
        "/api/users".to_string(),
        "/api/search?q=hello".to_string(),
        "/api/presence".to_string(),
        format!("/api/channels/{}/messages", channel.id),
        format!("/api/meetings/{}", other_meeting.id),
    ] {
        let response = guest.get(&path).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        assert_eq!(
            error_body(response).await.message,
            "Guests can only use their meeting."
        );
    }
    assert_eq!(
        guest
            .get(&format!("/api/meetings/{}", meeting.id))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        guest.get("/api/rtc/ice-servers").await.status(),
        StatusCode::OK
    );

    // On the socket: only the meeting, and only its thread for chat.
    let mut admin_ws = admin.live_ws().await;
    let mut guest_ws = guest.live_ws().await;
    let top_level = guest_ws
        .command(Command::SendMessage {
            channel_id: channel.id,
            body: "hi all".into(),
            thread_root_id: None,
            also_to_channel: false,
            attachment_ids: vec![],
            urgency: None,
        })
        .await;
    match top_level {
        Err(ServerFrame::Error { code, .. }) => assert_eq!(code, ErrorCode::Forbidden),
        other => panic!("{other:?}"),
    }
    let status = guest_ws
        .command(Command::SetStatus {
            text: "here".into(),
        })
        .await;
    assert!(matches!(
        status,
        Err(ServerFrame::Error {
            code: ErrorCode::Forbidden,
            ..
        })
    ));

    let (reply_id, _) = guest_ws
        .ok(reply(
            channel.id,
            meeting.card_message_id,
            "Hello from the guest",
        ))
        .await;
    let seen = admin_ws.next_posted().await;
    assert_eq!(seen.id, reply_id);
    assert_eq!(seen.author_id, me.id);
    let echoed = guest_ws.next_posted().await;
    assert_eq!(echoed.id, reply_id);
    guest_ws
        .ok(Command::EditMessage {
            message_id: reply_id,
            body: "Hello again".into(),
        })
        .await;

    // The guest hears the meeting thread, not the rest of the channel or workspace.
    admin_ws.post(channel.id, "top-level chatter").await;
    admin_ws
        .ok(Command::SetStatus {
            text: "busy".into(),
        })
        .await;
    admin_ws
        .ok(reply(channel.id, meeting.card_message_id, "Welcome!"))
        .await;
    let next = guest_ws.next_posted().await;
    assert_eq!(next.body, "Welcome!");
    guest_ws.assert_no_event_until_pong(7).await;

    let thread: Thread = guest
        .get(&format!("/api/messages/{}/thread", meeting.card_message_id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(thread.root.id, meeting.card_message_id);
    assert_eq!(thread.replies.len(), 2);
    let other_thread = guest
        .get(&format!(
            "/api/messages/{}/thread",
            other_meeting.card_message_id
        ))
        .await;
    assert_eq!(other_thread.status(), StatusCode::FORBIDDEN);

    // A guest may join their meeting, not another one.
    let (_guest_pid, _) = guest_ws.join(meeting.id).await;
    guest_ws
        .meeting(MeetingRequest::Join {
            meeting_id: other_meeting.id,
            media: Default::default(),
        })
        .await;
    assert!(matches!(
        guest_ws.notice().await,
        MeetingNotice::Refused {
            code: ErrorCode::Forbidden,
            ..
        }
    ));

    // The meeting ends: the guest is told, signed out, and the socket closes.
    admin_ws.join(meeting.id).await;
    admin_ws
        .meeting(MeetingRequest::Host {
            meeting_id: meeting.id,
            action: HostAction::End,
        })
        .await;
    loop {
        match guest_ws.next().await {
            Received::Frame(ServerFrame::Meeting(MeetingNotice::Ended { .. })) => break,
            Received::Frame(_) => {}
            Received::Close(code) => panic!("closed ({code:?}) before ended"),
        }
    }
    assert_eq!(
        guest_ws.close_code_after_frames().await,
        Some(CLOSE_SESSION_ENDED)
    );
    assert_eq!(
        guest.get("/api/auth/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let ended = ts.client().get(&format!("/api/guest/{}", link.token)).await;
    assert_eq!(ended.status(), StatusCode::GONE);
    assert_eq!(error_body(ended).await.message, "This meeting has ended.");
}

#[tokio::test]
async fn expired_revoked_and_unknown_links_are_refused() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let channel = admin.create_channel("demo", "public", &[]).await;
    let meeting = admin.start_meeting(channel.id).await;

    let unknown = ts.client().get("/api/guest/not-a-token").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let unknown = ts
        .client()
        .post("/api/guest/not-a-token", &json!({"display_name": "Gina"}))
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

    let revoked = invite(&admin, &meeting, 60).await;
    let response = admin
        .delete(&format!("/api/guest-invites/{}", revoked.invite.id))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    for response in [
        ts.client()
            .get(&format!("/api/guest/{}", revoked.token))
            .await,
        ts.client()
            .post(
                &format!("/api/guest/{}", revoked.token),
                &json!({"display_name": "Gina"}),
            )
            .await,
    ] {
        assert_eq!(response.status(), StatusCode::GONE);
        let body = error_body(response).await;
        assert_eq!(body.code, ErrorCode::Gone);
        assert_eq!(body.message, "This invite link was revoked.");
    }

    let expired = invite(&admin, &meeting, 5).await;
    sqlx::query("UPDATE guest_invites SET expires_at = 1 WHERE id = $1")
        .bind(expired.invite.id.to_string())
        .execute(&ts.db().await)
        .await
        .unwrap();
    for response in [
        ts.client()
            .get(&format!("/api/guest/{}", expired.token))
            .await,
        ts.client()
            .post(
                &format!("/api/guest/{}", expired.token),
                &json!({"display_name": "Gina"}),
            )
            .await,
    ] {
        assert_eq!(response.status(), StatusCode::GONE);
        assert_eq!(
            error_body(response).await.message,
            "This invite link has expired."
        );
    }
    let missing = admin
        .delete(&format!("/api/guest-invites/{}", uuid::Uuid::new_v4()))
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

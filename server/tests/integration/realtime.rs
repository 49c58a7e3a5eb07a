//! WebSocket tests against a real server: hello, resume/replay, commands, errors.

use crate::common;

use common::{spawn, Received};
use reqwest::StatusCode;
use serde_json::json;
use tandem_protocol::api::WorkspaceSettings;
use tandem_protocol::ws::{
    ClientFrame, Command, Event, EventEnvelope, RealtimePosition, ResyncReason, ServerFrame,
    CLOSE_SESSION_ENDED, MAX_FRAME_BYTES,
};
use tandem_protocol::{ErrorCode, PROTOCOL_VERSION};
use tokio_tungstenite::tungstenite;
use uuid::Uuid;

fn set_status(id: Uuid, text: &str) -> ClientFrame {
    ClientFrame::Command {
        id,
        command: Command::SetStatus { text: text.into() },
    }
}

async fn expect_event(ws: &mut common::Ws) -> EventEnvelope {
    match ws.recv().await {
        ServerFrame::Event(envelope) => envelope,
        other => panic!("expected an event, got {other:?}"),
    }
}

/// Sends a command and returns its ack's `(event_id, seq)`, ignoring the echo event
/// (which may arrive before or after the ack).
async fn command(ws: &mut common::Ws, id: Uuid, text: &str) -> (Uuid, i64) {
    ws.send(&set_status(id, text)).await;
    loop {
        match ws.recv().await {
            ServerFrame::Ack {
                command_id,
                event_id,
                seq,
            } => {
                assert_eq!(command_id, id);
                return (event_id, seq);
            }
            ServerFrame::Event(_) => continue,
            other => panic!("expected an ack, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn unauthenticated_upgrade_is_refused_with_401() {
    let ts = spawn().await;
    match ts.client().try_ws().await {
        Err(tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED)
        }
        Err(other) => panic!("unexpected error {other}"),
        Ok(_) => panic!("the upgrade must be refused"),
    }
}

#[tokio::test]
async fn foreign_origin_is_refused_with_403() {
    use tungstenite::client::IntoClientRequest;
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let mut request = ts
        .url("/api/ws")
        .replacen("http://", "ws://", 1)
        .into_client_request()
        .unwrap();
    request
        .headers_mut()
        .insert("cookie", admin.cookie().unwrap().parse().unwrap());
    request
        .headers_mut()
        .insert("origin", "https://evil.example".parse().unwrap());
    match tokio_tungstenite::connect_async(request).await {
        Err(tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), StatusCode::FORBIDDEN)
        }
        other => panic!("expected a 403, got {:?}", other.map(|_| ())),
    }
}

#[tokio::test]
async fn hello_describes_the_connection() {
    let ts = spawn().await;
    let (admin, admin_user) = ts.admin().await;
    let mut ws = admin.ws().await;
    match ws.recv().await {
        ServerFrame::Hello {
            connection_id,
            protocol_version,
            user_id,
            stream_position,
            heartbeat_interval_ms,
        } => {
            assert!(!connection_id.is_nil());
            assert_eq!(protocol_version, PROTOCOL_VERSION);
            assert_eq!(user_id, admin_user.id);
            // The admin's own sign-up is the only event so far.
            assert_eq!(stream_position, 1);
            assert_eq!(heartbeat_interval_ms, 20_000);
        }
        other => panic!("expected hello, got {other:?}"),
    }
    // Before resume, pings are answered.
    ws.assert_quiet(1).await;
}

#[tokio::test]
async fn resume_replays_exactly_the_missed_events_then_goes_live() {
    let ts = spawn().await;
    let (admin, admin_user) = ts.admin().await;
    let (member, member_user) = ts.member(&admin, "Bo", "bo@example.com").await;

    // The member is up to date, then disconnects.
    let mut ws = member.ws().await;
    let position = ws.hello().await;
    assert_eq!(position, 2);
    ws.send(&ClientFrame::Resume {
        last_seq: Some(position),
    })
    .await;
    assert_eq!(
        ws.recv().await,
        ServerFrame::ReplayComplete { seq: position }
    );
    drop(ws);

    // Meanwhile: three status changes and a settings change.
    let mut admin_ws = admin.ws().await;
    admin_ws.hello().await;
    admin_ws.send(&ClientFrame::Resume { last_seq: None }).await;
    assert_eq!(
        admin_ws.recv().await,
        ServerFrame::ReplayComplete { seq: 2 }
    );
    let mut acked = Vec::new();
    for text in ["one", "two", "three"] {
        acked.push(command(&mut admin_ws, Uuid::new_v4(), text).await);
    }
    let response = admin
        .patch("/api/workspace/settings", &json!({"open_signup": true}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    // Reconnect and resume: exactly seq 3..=6, in order, then replay_complete.
    let mut ws = member.ws().await;
    assert_eq!(ws.hello().await, 6);
    ws.send(&ClientFrame::Resume {
        last_seq: Some(position),
    })
    .await;
    let mut replayed = Vec::new();
    for _ in 0..4 {
        replayed.push(expect_event(&mut ws).await);
    }
    assert_eq!(
        replayed.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![3, 4, 5, 6]
    );
    for (envelope, ((event_id, seq), text)) in replayed
        .iter()
        .zip(acked.iter().zip(["one", "two", "three"]))
    {
        assert_eq!((envelope.id, envelope.seq), (*event_id, *seq));
        assert_eq!(
            envelope.event,
            Event::StatusChanged {
                user_id: admin_user.id,
                text: text.into()
            }
        );
    }
    assert_eq!(
        replayed[3].event,
        Event::WorkspaceUpdated {
            settings: WorkspaceSettings {
                name: "Tandem".into(),
                open_signup: true,
                recording_retention_days: None,
                sla: Default::default(),
            }
        }
    );
    assert_eq!(ws.recv().await, ServerFrame::ReplayComplete { seq: 6 });

    // A live event arrives exactly once.
    let (event_id, seq) = command(&mut admin_ws, Uuid::new_v4(), "four").await;
    let live = expect_event(&mut ws).await;
    assert_eq!((live.id, live.seq), (event_id, 7));
    assert_eq!(seq, 7);
    ws.assert_quiet(2).await;

    // The member's own sign-up was replayable as a user_joined event.
    let mut ws = member.ws().await;
    ws.hello().await;
    ws.send(&ClientFrame::Resume { last_seq: Some(1) }).await;
    match expect_event(&mut ws).await.event {
        Event::UserJoined { user } => assert_eq!(user, member_user),
        other => panic!("expected user_joined, got {other:?}"),
    }
}

#[tokio::test]
async fn resume_without_position_gets_only_live_events() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let mut admin_ws = admin.ws().await;
    admin_ws.hello().await;
    admin_ws.send(&ClientFrame::Resume { last_seq: None }).await;
    admin_ws.recv().await;
    command(&mut admin_ws, Uuid::new_v4(), "before").await;

    let (member, _) = ts.member(&admin, "Bo", "bo@example.com").await;
    let mut ws = member.ws().await;
    let head = ws.hello().await;
    assert_eq!(head, 3);
    ws.send(&ClientFrame::Resume { last_seq: None }).await;
    assert_eq!(ws.recv().await, ServerFrame::ReplayComplete { seq: 3 });
    ws.assert_quiet(1).await;

    let (event_id, seq) = command(&mut admin_ws, Uuid::new_v4(), "after").await;
    let live = expect_event(&mut ws).await;
    assert_eq!((live.id, live.seq), (event_id, seq));
    assert_eq!(seq, 4);
    ws.assert_quiet(2).await;
}

#[tokio::test]
async fn resume_ahead_of_the_log_requires_resync() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let mut ws = admin.ws().await;
    let head = ws.hello().await;
    ws.send(&ClientFrame::Resume {
        last_seq: Some(head + 5),
    })
    .await;
    assert_eq!(
        ws.recv().await,
        ServerFrame::ResyncRequired {
            reason: ResyncReason::UnknownPosition
        }
    );
}

#[tokio::test]
async fn resume_too_far_behind_requires_resync() {
    let ts = common::spawn_with(|c| c.max_replay = 2).await;
    let (admin, _) = ts.admin().await;
    let mut ws = admin.ws().await;
    ws.hello().await;
    ws.send(&ClientFrame::Resume { last_seq: None }).await;
    ws.recv().await;
    for text in ["a", "b", "c"] {
        command(&mut ws, Uuid::new_v4(), text).await;
    }
    let mut ws = admin.ws().await;
    assert_eq!(ws.hello().await, 4);
    ws.send(&ClientFrame::Resume { last_seq: Some(1) }).await;
    assert_eq!(
        ws.recv().await,
        ServerFrame::ResyncRequired {
            reason: ResyncReason::GapTooOld
        }
    );
}

#[tokio::test]
async fn a_second_resume_is_an_error_and_the_socket_stays() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let mut ws = admin.ws().await;
    ws.hello().await;
    ws.send(&ClientFrame::Resume { last_seq: None }).await;
    ws.recv().await;
    ws.send(&ClientFrame::Resume { last_seq: None }).await;
    match ws.recv().await {
        ServerFrame::Error {
            code, command_id, ..
        } => {
            assert_eq!(code, ErrorCode::BadRequest);
            assert_eq!(command_id, None);
        }
        other => panic!("expected an error, got {other:?}"),
    }
    ws.assert_quiet(3).await;
}

#[tokio::test]
async fn retried_command_is_acked_identically_and_stored_once() {
    let ts = spawn().await;
    let (admin, admin_user) = ts.admin().await;
    let mut ws = admin.ws().await;
    let head = ws.hello().await;
    ws.send(&ClientFrame::Resume { last_seq: None }).await;
    ws.recv().await;

    let id = Uuid::new_v4();
    let first = command(&mut ws, id, "  Heads down  ").await;
    assert_eq!(first.1, head + 1);
    let second = command(&mut ws, id, "  Heads down  ").await;
    assert_eq!(second, first);

    // Again on a new connection.
    let mut ws = admin.ws().await;
    assert_eq!(ws.hello().await, head + 1);
    ws.send(&ClientFrame::Resume {
        last_seq: Some(head),
    })
    .await;
    let only = expect_event(&mut ws).await;
    assert_eq!((only.id, only.seq), first);
    assert_eq!(
        only.event,
        Event::StatusChanged {
            user_id: admin_user.id,
            text: "Heads down".into()
        }
    );
    assert_eq!(
        ws.recv().await,
        ServerFrame::ReplayComplete { seq: head + 1 }
    );
    ws.send(&set_status(id, "  Heads down  ")).await;
    assert_eq!(
        ws.recv().await,
        ServerFrame::Ack {
            command_id: id,
            event_id: first.0,
            seq: first.1
        }
    );
    ws.assert_quiet(4).await;

    let (events,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM events")
        .fetch_one(&ts.db().await)
        .await
        .unwrap();
    assert_eq!(events, head + 1);
    let me: tandem_protocol::api::User = admin.get("/api/auth/me").await.json().await.unwrap();
    assert_eq!(me.status_text, "Heads down");
}

#[tokio::test]
async fn invalid_command_is_refused_with_its_id() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let mut ws = admin.ws().await;
    let head = ws.hello().await;
    ws.send(&ClientFrame::Resume { last_seq: None }).await;
    ws.recv().await;
    let id = Uuid::new_v4();
    ws.send(&set_status(id, &"x".repeat(141))).await;
    match ws.recv().await {
        ServerFrame::Error {
            code,
            message,
            command_id,
            ..
        } => {
            assert_eq!(code, ErrorCode::Validation);
            assert_eq!(command_id, Some(id));
            assert!(message.contains("140"), "{message}");
        }
        other => panic!("expected an error, got {other:?}"),
    }
    ws.assert_quiet(5).await;
    let (events,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM events")
        .fetch_one(&ts.db().await)
        .await
        .unwrap();
    assert_eq!(events, head);
}

#[tokio::test]
async fn malformed_frames_get_an_error_and_the_socket_stays_usable() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let mut ws = admin.ws().await;
    ws.hello().await;
    for (text, needle) in [
        ("not json", "expected"),
        (r#"{"type":"nope"}"#, "unknown variant"),
        (r#"{"type":"ping"}"#, "nonce"),
    ] {
        ws.send_text(text).await;
        match ws.recv().await {
            ServerFrame::Error {
                code,
                message,
                command_id,
                ..
            } => {
                assert_eq!(code, ErrorCode::BadRequest);
                assert!(
                    message.contains(needle),
                    "{message:?} should mention {needle:?}"
                );
                assert_eq!(command_id, None);
            }
            other => panic!("expected an error, got {other:?}"),
        }
    }
    ws.send_binary(b"\x00\x01").await;
    match ws.recv().await {
        ServerFrame::Error { code, .. } => assert_eq!(code, ErrorCode::BadRequest),
        other => panic!("expected an error, got {other:?}"),
    }
    ws.assert_quiet(6).await;
}

#[tokio::test]
async fn oversized_frame_gets_an_error_and_the_socket_stays_usable() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let mut ws = admin.ws().await;
    ws.hello().await;
    let id = Uuid::new_v4();
    let big = serde_json::to_string(&set_status(id, &"x".repeat(MAX_FRAME_BYTES))).unwrap();
    ws.send_text(&big).await;
    match ws.recv().await {
        ServerFrame::Error {
            code, command_id, ..
        } => {
            assert_eq!(code, ErrorCode::PayloadTooLarge);
            // Named, so the client drops it instead of resending it (issue 10, #15).
            assert_eq!(command_id, Some(id));
        }
        other => panic!("expected an error, got {other:?}"),
    }
    ws.assert_quiet(7).await;
    ws.send(&ClientFrame::Resume { last_seq: None }).await;
    assert_eq!(ws.recv().await, ServerFrame::ReplayComplete { seq: 1 });
}

#[tokio::test]
async fn logout_closes_open_sockets_with_4401() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let mut ws = admin.ws().await;
    ws.hello().await;
    ws.send(&ClientFrame::Resume { last_seq: None }).await;
    ws.recv().await;
    let response = admin.post("/api/auth/logout", &json!({})).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    match ws.next().await {
        Received::Close(code) => assert_eq!(code, Some(CLOSE_SESSION_ENDED)),
        Received::Frame(frame) => panic!("expected close, got {frame:?}"),
    }
}

#[tokio::test]
async fn revoking_a_session_closes_only_its_sockets() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let other = ts.client();
    assert_eq!(
        other
            .login("ada@example.com", common::PASSWORD)
            .await
            .status(),
        StatusCode::OK
    );
    let mut mine = admin.ws().await;
    mine.hello().await;
    let mut theirs = other.ws().await;
    theirs.hello().await;

    let sessions: Vec<tandem_protocol::api::SessionInfo> =
        admin.get("/api/auth/sessions").await.json().await.unwrap();
    let target = sessions.iter().find(|s| !s.current).unwrap().id;
    assert_eq!(
        admin
            .delete(&format!("/api/auth/sessions/{target}"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(theirs.recv_close().await, Some(CLOSE_SESSION_ENDED));
    mine.assert_quiet(8).await;
}

#[tokio::test]
async fn command_before_resume_is_refused() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let mut ws = admin.ws().await;
    ws.hello().await;
    ws.send(&set_status(Uuid::new_v4(), "early")).await;
    match ws.recv().await {
        ServerFrame::Error { code, .. } => assert_eq!(code, ErrorCode::BadRequest),
        other => panic!("expected an error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_lagging_connection_is_told_to_resync_and_closed() {
    let ts = common::spawn_with(|c| c.event_buffer = 2).await;
    let (admin, _) = ts.admin().await;
    let (member, _) = ts.member(&admin, "Bo", "bo@example.com").await;
    // Before resume, live events wait in the connection's bounded receiver...
    let mut lagging = member.ws().await;
    lagging.hello().await;

    let mut ws = admin.ws().await;
    ws.hello().await;
    ws.send(&ClientFrame::Resume { last_seq: None }).await;
    ws.recv().await;
    for text in ["a", "b", "c", "d"] {
        command(&mut ws, Uuid::new_v4(), text).await;
    }
    // ...which has overflowed by now: never skipped silently.
    lagging.send(&ClientFrame::Resume { last_seq: None }).await;
    assert_eq!(lagging.recv().await, ServerFrame::ReplayComplete { seq: 2 });
    assert_eq!(
        lagging.recv().await,
        ServerFrame::ResyncRequired {
            reason: ResyncReason::Lagged
        }
    );
    assert_eq!(lagging.recv_close().await, Some(1000));
}

#[tokio::test]
async fn signup_is_announced_live() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let mut ws = admin.ws().await;
    ws.hello().await;
    ws.send(&ClientFrame::Resume { last_seq: None }).await;
    assert_eq!(ws.recv().await, ServerFrame::ReplayComplete { seq: 1 });
    let (_, member) = ts.member(&admin, "Bo", "bo@example.com").await;
    let envelope = expect_event(&mut ws).await;
    assert_eq!(envelope.seq, 2);
    assert_eq!(envelope.event, Event::UserJoined { user: member });
    ws.assert_quiet(9).await;
}

#[tokio::test]
async fn a_profile_change_is_announced_live() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let (member, _) = ts.member(&admin, "Bo", "bo@example.com").await;
    let mut ws = admin.ws().await;
    ws.hello().await;
    ws.send(&ClientFrame::Resume { last_seq: None }).await;
    ws.recv().await;

    let response = member
        .patch(
            "/api/users/me",
            &json!({ "display_name": "Bo Renamed", "time_zone": "Asia/Tokyo" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    match expect_event(&mut ws).await.event {
        Event::ProfileUpdated { user } => {
            assert_eq!(user.display_name, "Bo Renamed");
            assert_eq!(user.time_zone, "Asia/Tokyo");
        }
        other => panic!("expected profile_updated, got {other:?}"),
    }

    // A refused change announces nothing.
    let response = member
        .patch("/api/users/me", &json!({ "time_zone": "Mars/Olympus" }))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    ws.assert_quiet(3).await;
}

#[tokio::test]
async fn the_position_read_before_loading_replays_what_happened_during_the_load() {
    let ts = spawn().await;
    assert_eq!(
        ts.client().get("/api/realtime/position").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let (admin, _) = ts.admin().await;
    let mut admin_ws = admin.ws().await;
    admin_ws.hello().await;
    admin_ws.send(&ClientFrame::Resume { last_seq: None }).await;
    admin_ws.recv().await;
    let (member, _) = ts.member(&admin, "Bo", "bo@example.com").await;

    // Bo's page starts: the position first, then the state over REST…
    let response = member.get("/api/realtime/position").await;
    assert_eq!(response.status(), StatusCode::OK);
    let position: RealtimePosition = response.json().await.unwrap();

    // …and while it loads, the admin changes their status.
    let (event_id, seq) = command(&mut admin_ws, Uuid::new_v4(), "in a workshop").await;
    assert!(seq > position.seq);

    // The socket, opened after that, resumes from the position: the change is
    // replayed, not lost between the load and the socket.
    let mut ws = member.ws().await;
    assert_eq!(ws.hello().await, seq);
    ws.send(&ClientFrame::Resume {
        last_seq: Some(position.seq),
    })
    .await;
    let replayed = expect_event(&mut ws).await;
    assert_eq!((replayed.id, replayed.seq), (event_id, seq));
    assert_eq!(ws.recv().await, ServerFrame::ReplayComplete { seq });
    ws.assert_quiet(1).await;
}

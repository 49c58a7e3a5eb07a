//! WebSocket limits (issue 10, findings 9 and 15): per-connection command rate limit,
//! per-user socket cap, fairness under a flood, oversize and malformed frames.

use crate::common;

use std::time::{Duration, Instant};

use common::{spawn, spawn_with};
use futures::SinkExt;
use tandem_protocol::api::User;
use tandem_protocol::ws::{
    ClientFrame, Command, ServerFrame, CLOSE_INVALID_PAYLOAD, CLOSE_MESSAGE_TOO_BIG,
    CLOSE_TOO_MANY_SOCKETS, FRAME_TOO_LARGE, MAX_FRAME_BYTES,
};
use tandem_protocol::ErrorCode;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::Message;
use uuid::Uuid;

fn status(id: Uuid, text: &str) -> ClientFrame {
    ClientFrame::Command {
        id,
        command: Command::SetStatus { text: text.into() },
    }
}

#[tokio::test]
async fn a_burst_of_commands_is_rate_limited_with_ids_then_recovers() {
    let ts = spawn_with(|config| {
        config.ws_commands_per_sec = 20;
        config.ws_command_burst = 50;
    })
    .await;
    let (admin, _) = ts.admin().await;
    let mut ws = admin.live_ws().await;
    let ids: Vec<Uuid> = (0..300).map(|_| Uuid::new_v4()).collect();
    for (n, id) in ids.iter().enumerate() {
        ws.send(&status(*id, &format!("s{n}"))).await;
    }
    let mut acked = Vec::new();
    let mut limited = Vec::new();
    let mut longest_wait = 0;
    while acked.len() + limited.len() < ids.len() {
        match ws.recv().await {
            ServerFrame::Ack { command_id, .. } => acked.push(command_id),
            ServerFrame::Error {
                code: ErrorCode::RateLimited,
                command_id: Some(id),
                retry_after_ms,
                ..
            } => {
                let wait = retry_after_ms.expect("a retry-after");
                assert!(wait > 0 && wait <= 1_000, "{wait} ms");
                longest_wait = longest_wait.max(wait);
                limited.push(id);
            }
            ServerFrame::Event(_) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(
        acked.len() >= 50,
        "the burst allowance is served: {}",
        acked.len()
    );
    assert!(!limited.is_empty(), "a burst of 300 is limited");
    // Once refused, the rest of the burst is refused too, so what got through is a
    // prefix of what was sent: a client resending the refused ones keeps their order.
    assert_eq!(acked, ids[..acked.len()]);
    assert_eq!(limited, ids[acked.len()..]);
    // Refused commands did nothing: the last status set is the last one acked.
    let me: User = admin.get("/api/auth/me").await.json().await.unwrap();
    assert_eq!(me.status_text, format!("s{}", acked.len() - 1));
    // The socket stays open; after the wait the refused ones go through, same ids.
    ws.assert_quiet(1).await;
    tokio::time::sleep(Duration::from_millis(longest_wait)).await;
    for id in &limited[..5] {
        let n = ids.iter().position(|i| i == id).unwrap();
        ws.command_with_id(
            *id,
            Command::SetStatus {
                text: format!("s{n}"),
            },
        )
        .await
        .expect("accepted after the wait");
    }
}

#[tokio::test]
async fn a_flooding_user_does_not_hold_up_another_users_commands() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let (bob, _) = ts.member(&admin, "Bob", "bob@example.com").await;
    let mut floods = Vec::new();
    for _ in 0..3 {
        let mut ws = admin.live_ws().await;
        floods.push(tokio::spawn(async move {
            for n in 0..300 {
                ws.send(&status(Uuid::new_v4(), &format!("f{n}"))).await;
            }
            // Read every answer, so the flood is not slowed by a full queue.
            let mut answers = 0;
            while answers < 300 {
                if let ServerFrame::Ack { .. } | ServerFrame::Error { .. } = ws.recv().await {
                    answers += 1;
                }
            }
        }));
    }
    let mut bob_ws = bob.live_ws().await;
    let mut slowest = Duration::ZERO;
    for n in 0..5 {
        let started = Instant::now();
        bob_ws
            .command(Command::SetStatus {
                text: format!("b{n}"),
            })
            .await
            .expect("bob's command is accepted");
        slowest = slowest.max(started.elapsed());
    }
    assert!(slowest < Duration::from_secs(1), "bob waited {slowest:?}");
    for flood in floods {
        flood.await.unwrap();
    }
}

#[tokio::test]
async fn a_user_past_the_socket_cap_loses_their_oldest_socket() {
    let ts = spawn_with(|config| config.max_sockets_per_user = 3).await;
    let (admin, user) = ts.admin().await;
    let (bob, _) = ts.member(&admin, "Bob", "bob@example.com").await;
    // The cap is per user, across their sessions (a second device).
    let second = ts.client();
    assert!(second
        .login(&user.email, common::PASSWORD)
        .await
        .status()
        .is_success());
    let mut bobs = bob.live_ws().await;
    let mut sockets = vec![admin.live_ws().await, second.live_ws().await];
    sockets.push(admin.live_ws().await);
    // The fourth closes the oldest, not itself.
    let mut newest = second.live_ws().await;
    assert_eq!(
        sockets[0].close_code_after_frames().await,
        Some(CLOSE_TOO_MANY_SOCKETS)
    );
    for (n, ws) in sockets.iter_mut().enumerate().skip(1) {
        ws.assert_quiet(n as u64).await;
    }
    newest.assert_quiet(10).await;
    bobs.assert_quiet(11).await;
    // A socket that closes by itself frees its place: no one else is closed.
    let _ = sockets.remove(2).stream.close(None).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut fresh = admin.live_ws().await;
    sockets[1].assert_quiet(12).await;
    newest.assert_quiet(13).await;
    fresh.assert_quiet(14).await;
}

#[tokio::test]
async fn an_oversize_command_is_refused_with_its_id() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let mut ws = admin.live_ws().await;
    let id = Uuid::new_v4();
    ws.send(&status(id, &"x".repeat(MAX_FRAME_BYTES))).await;
    match ws.recv().await {
        ServerFrame::Error {
            code,
            command_id,
            message,
            ..
        } => {
            assert_eq!(code, ErrorCode::PayloadTooLarge);
            assert_eq!(command_id, Some(id));
            assert_eq!(message, FRAME_TOO_LARGE);
        }
        other => panic!("expected an error, got {other:?}"),
    }
    // Whatever the order of its fields.
    let other = Uuid::new_v4();
    let text = format!(
        r#"{{"command":{{"kind":"set_status","text":"{}"}},"type":"command","id":"{other}"}}"#,
        "y".repeat(MAX_FRAME_BYTES)
    );
    ws.send_text(&text).await;
    match ws.recv().await {
        ServerFrame::Error {
            code, command_id, ..
        } => {
            assert_eq!(code, ErrorCode::PayloadTooLarge);
            assert_eq!(command_id, Some(other));
        }
        other => panic!("expected an error, got {other:?}"),
    }
    ws.assert_quiet(3).await;
}

#[tokio::test]
async fn a_frame_past_the_transport_cap_closes_with_1009() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let mut ws = admin.live_ws().await;
    let huge = "z".repeat(tandem_server::realtime::socket::TRANSPORT_MAX_MESSAGE + 1);
    // The server may close before the client has written it all.
    let _ = ws.stream.send(Message::text(huge)).await;
    assert_eq!(
        ws.close_code_after_frames().await,
        Some(CLOSE_MESSAGE_TOO_BIG)
    );
}

#[tokio::test]
async fn invalid_utf8_text_closes_with_1007() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let mut ws = admin.live_ws().await;
    let frame = Frame::message(vec![b'{', 0xff, 0xfe, b'}'], OpCode::Data(Data::Text), true);
    ws.stream.send(Message::Frame(frame)).await.unwrap();
    assert_eq!(
        ws.close_code_after_frames().await,
        Some(CLOSE_INVALID_PAYLOAD)
    );
}

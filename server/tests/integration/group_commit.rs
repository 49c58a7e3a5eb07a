//! Group commit: commands that gather while one transaction runs are committed
//! together, each still answered on its own — acks with distinct seqs, a refusal for
//! the one that may not run (its message never appears), and a retry of the same
//! command id inside the same group answered with the original's event.

use crate::common;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use common::*;
use tandem_protocol::chat::MessagePage;
use tandem_protocol::ws::{ClientFrame, Event, ServerFrame};
use uuid::Uuid;

const REFUSED: &str = "not for Bo";

/// The answer to command `id` on this socket (events before it are skipped, none of
/// them the refused command's).
async fn answer(ws: &mut Ws, id: Uuid) -> ServerFrame {
    loop {
        match ws.recv().await {
            frame @ ServerFrame::Ack { command_id, .. } if command_id == id => return frame,
            frame @ ServerFrame::Error {
                command_id: Some(c),
                ..
            } if c == id => return frame,
            ServerFrame::Event(envelope) => {
                if let Event::MessagePosted { message } = envelope.event {
                    assert_ne!(message.body, REFUSED, "a refused command's event went out");
                }
            }
            _ => {}
        }
    }
}

#[tokio::test]
async fn commands_gathered_behind_a_commit_go_together_and_keep_their_own_answers() {
    let ts = spawn().await;
    let (ada, _) = ts.admin().await;
    let (bo, bo_user) = ts.member(&ada, "Bo", "bo@example.com").await;
    let room = ada.create_channel("room", "public", &[bo_user.id]).await;
    let private = ada.create_channel("private", "private", &[]).await;
    let mut sockets = Vec::new();
    for _ in 0..6 {
        sockets.push(ada.live_ws().await);
    }
    for _ in 0..3 {
        sockets.push(bo.live_ws().await);
    }

    // Hold the log writer: the commands gather in the queue (the task takes what is
    // there and waits for the writer with it; the rest queue behind).
    let state = &ts.server.state;
    let (queued_before, batches_before) = (state.commands.queued(), state.commands.batches());
    let writer = state.log.writer().await;
    let mut sent = Vec::new();
    for (n, ws) in sockets.iter_mut().enumerate() {
        let (id, command) = match n {
            // Bo is not in the private channel: refused, inside the group.
            6 => (Uuid::new_v4(), send_message(private.id, REFUSED)),
            // Ada's last socket retries her fifth socket's command (same id).
            5 => (sent[4], send_message(room.id, "message 4")),
            _ => (
                Uuid::new_v4(),
                send_message(room.id, &format!("message {n}")),
            ),
        };
        ws.send(&ClientFrame::Command { id, command }).await;
        sent.push(id);
    }
    let all = sockets.len() as u64;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while state.commands.queued() < queued_before + all {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the commands never queued"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    drop(writer);

    let mut acks = HashMap::new();
    for (n, ws) in sockets.iter_mut().enumerate() {
        match answer(ws, sent[n]).await {
            ServerFrame::Ack { event_id, seq, .. } => {
                acks.insert(n, (event_id, seq));
            }
            ServerFrame::Error { .. } => assert_eq!(n, 6, "only Bo's private post is refused"),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(!acks.contains_key(&6), "the refused command has no ack");
    assert_eq!(
        acks[&4], acks[&5],
        "the retry is answered with the original's event"
    );
    let seqs: HashSet<_> = acks.values().map(|(_, seq)| *seq).collect();
    assert_eq!(seqs.len(), 7, "one event per distinct command: {acks:?}");
    // Nine commands, at most two transactions: what the task held while it waited for
    // the writer, and everything that gathered behind.
    let batches = state.commands.batches() - batches_before;
    assert!(
        (1..=2).contains(&batches),
        "{batches} transactions for {all} commands"
    );

    let page: MessagePage = ada
        .get(&format!("/api/channels/{}/messages", room.id))
        .await
        .json()
        .await
        .unwrap();
    let mut bodies: Vec<_> = page.messages.iter().map(|m| m.body.clone()).collect();
    bodies.sort();
    let mut expected: Vec<_> = [0, 1, 2, 3, 4, 7, 8]
        .iter()
        .map(|n| format!("message {n}"))
        .collect();
    expected.sort();
    assert_eq!(
        bodies, expected,
        "each message once; nothing of the refused one"
    );
    let private_page: MessagePage = ada
        .get(&format!("/api/channels/{}/messages", private.id))
        .await
        .json()
        .await
        .unwrap();
    assert!(private_page.messages.is_empty());
}

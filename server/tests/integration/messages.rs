//! Messages over the WebSocket (send, edit, delete, threads, reactions, pins,
//! mentions, read markers) and history over REST.

use crate::common;

use common::{send_message, spawn};
use reqwest::StatusCode;
use serde_json::json;
use tandem_protocol::chat::{Message, MessagePage, MyChannel, Thread, MAX_MESSAGE_CHARS};
use tandem_protocol::ws::{Command, Event, ServerFrame};
use tandem_protocol::ErrorCode;
use uuid::Uuid;

fn refusal(frame: ServerFrame) -> ErrorCode {
    match frame {
        ServerFrame::Error { code, .. } => code,
        other => panic!("expected an error frame, got {other:?}"),
    }
}

async fn page(client: &common::Client, channel: Uuid, query: &str) -> MessagePage {
    let r = client
        .get(&format!("/api/channels/{channel}/messages{query}"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

#[tokio::test]
async fn send_edit_delete_reach_members_only() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let (ana, _) = ts.member(&admin, "Ana", "ana@example.com").await;
    let (bo, bo_user) = ts.member(&admin, "Bo", "bo@example.com").await;
    let (eve, _) = ts.member(&admin, "Eve", "eve@example.com").await;
    let room = ana.create_channel("room", "private", &[bo_user.id]).await;

    let mut ana_ws = ana.live_ws().await;
    let mut bo_ws = bo.live_ws().await;
    let mut eve_ws = eve.live_ws().await;

    let id = Uuid::new_v4();
    let (_, seq) = ana_ws
        .command_with_id(id, send_message(room.id, "hello **bo**"))
        .await
        .unwrap();
    let got = bo_ws.posted().await;
    assert_eq!(
        (got.id, got.seq, got.body.as_str()),
        (id, seq, "hello **bo**")
    );
    // A retry is acked again without a second message.
    let (_, again) = ana_ws
        .command_with_id(id, send_message(room.id, "hello **bo**"))
        .await
        .unwrap();
    assert_eq!(again, seq);

    // Bo may not edit Ana's message; the author may.
    let edit = |body: &str| Command::EditMessage {
        message_id: id,
        body: body.into(),
    };
    assert_eq!(
        refusal(bo_ws.command(edit("hijack")).await.unwrap_err()),
        ErrorCode::Forbidden
    );
    ana_ws.ok(edit("hello @Bo")).await;
    match bo_ws
        .event_matching(|e| matches!(e, Event::MessageEdited { .. }))
        .await
    {
        Event::MessageEdited { message } => {
            assert_eq!(message.body, "hello @Bo");
            assert!(message.edited_at.is_some());
            assert_eq!(message.mentions, vec![bo_user.id]);
        }
        _ => unreachable!(),
    }
    // Eve (not a member) cannot touch it: it does not exist for her.
    assert_eq!(
        refusal(eve_ws.command(edit("x")).await.unwrap_err()),
        ErrorCode::NotFound
    );
    assert_eq!(
        refusal(
            eve_ws
                .command(send_message(room.id, "x"))
                .await
                .unwrap_err()
        ),
        ErrorCode::NotFound
    );

    // Bo cannot delete it, an admin who cannot see the channel cannot either; Ana can.
    let delete = Command::DeleteMessage { message_id: id };
    assert_eq!(
        refusal(bo_ws.command(delete.clone()).await.unwrap_err()),
        ErrorCode::Forbidden
    );
    ana_ws.ok(delete).await;
    match bo_ws
        .event_matching(|e| matches!(e, Event::MessageDeleted { .. }))
        .await
    {
        Event::MessageDeleted { message_id, .. } => assert_eq!(message_id, id),
        _ => unreachable!(),
    }
    let history = page(&ana, room.id, "").await;
    assert!(history.messages[0].deleted && history.messages[0].body.is_empty());

    // Eve saw none of it: the next thing she receives is a workspace event.
    admin
        .patch("/api/workspace/settings", &json!({"name": "Renamed"}))
        .await;
    let first = eve_ws.next_event().await;
    assert!(
        matches!(first.event, Event::WorkspaceUpdated { .. }),
        "{first:?}"
    );
}

#[tokio::test]
async fn invalid_messages_are_refused_and_not_stored() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let room = admin.create_channel("room", "public", &[]).await;
    let mut ws = admin.live_ws().await;
    let empty = ws.command(send_message(room.id, "   ")).await.unwrap_err();
    assert_eq!(refusal(empty), ErrorCode::Validation);
    let long = "x".repeat(MAX_MESSAGE_CHARS + 1);
    assert_eq!(
        refusal(ws.command(send_message(room.id, &long)).await.unwrap_err()),
        ErrorCode::Validation
    );
    let bad_root = Command::SendMessage {
        channel_id: room.id,
        body: "reply".into(),
        thread_root_id: Some(Uuid::new_v4()),
        also_to_channel: false,
        attachment_ids: vec![],
        urgency: None,
    };
    assert_eq!(
        refusal(ws.command(bad_root).await.unwrap_err()),
        ErrorCode::Validation
    );
    let bad_file = Command::SendMessage {
        channel_id: room.id,
        body: "file".into(),
        thread_root_id: None,
        also_to_channel: false,
        attachment_ids: vec![Uuid::new_v4()],
        urgency: None,
    };
    assert_eq!(
        refusal(ws.command(bad_file).await.unwrap_err()),
        ErrorCode::Validation
    );
    assert!(page(&admin, room.id, "").await.messages.is_empty());
    ws.assert_no_event_until_pong(7).await;

    // Archived channels are read-only.
    ws.post(room.id, "before").await;
    admin
        .patch(
            &format!("/api/channels/{}", room.id),
            &json!({"archived": true}),
        )
        .await;
    match ws
        .command(send_message(room.id, "after"))
        .await
        .unwrap_err()
    {
        ServerFrame::Error { code, message, .. } => {
            assert_eq!(code, ErrorCode::Forbidden);
            assert_eq!(message, "This channel is archived.");
        }
        _ => unreachable!(),
    }
    // Non-members of a public channel must join before posting.
    let (bo, _) = ts.member(&admin, "Bo", "bo@example.com").await;
    let open = admin.create_channel("open", "public", &[]).await;
    let mut bo_ws = bo.live_ws().await;
    assert_eq!(
        refusal(
            bo_ws
                .command(send_message(open.id, "hi"))
                .await
                .unwrap_err()
        ),
        ErrorCode::Forbidden
    );
}

#[tokio::test]
async fn threads_reactions_and_pins() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let (bo, bo_user) = ts.member(&admin, "Bo", "bo@example.com").await;
    let room = admin.create_channel("room", "public", &[bo_user.id]).await;
    let mut a = admin.live_ws().await;
    let mut b = bo.live_ws().await;

    let root = a.post(room.id, "root").await;
    let reply = |body: &str, also: bool| Command::SendMessage {
        channel_id: room.id,
        body: body.into(),
        thread_root_id: Some(root),
        also_to_channel: also,
        attachment_ids: vec![],
        urgency: None,
    };
    let (r1, _) = b.ok(reply("first reply", false)).await;
    let (r2, _) = b.ok(reply("also in channel", true)).await;
    // Replies to replies are refused.
    let nested = Command::SendMessage {
        channel_id: room.id,
        body: "nested".into(),
        thread_root_id: Some(r1),
        also_to_channel: false,
        attachment_ids: vec![],
        urgency: None,
    };
    assert_eq!(
        refusal(b.command(nested).await.unwrap_err()),
        ErrorCode::Validation
    );

    let thread: Thread = admin
        .get(&format!("/api/messages/{r1}/thread"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(thread.root.id, root);
    assert_eq!(thread.root.reply_count, 2);
    assert!(thread.root.last_reply_at.is_some());
    assert_eq!(
        thread.replies.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![r1, r2]
    );
    let history = page(&admin, room.id, "").await;
    let ids: Vec<Uuid> = history.messages.iter().map(|m| m.id).collect();
    assert_eq!(ids, vec![root, r2]);
    assert!(history.messages[1].also_in_channel);

    // Reactions: idempotent, grouped by emoji.
    let react = |emoji: &str, present: bool| Command::SetReaction {
        message_id: root,
        emoji: emoji.into(),
        present,
    };
    a.ok(react("👍", true)).await;
    a.ok(react("👍", true)).await;
    b.ok(react("👍", true)).await;
    b.ok(react("🎉", true)).await;
    b.ok(react("🎉", false)).await;
    b.ok(react("🎉", false)).await;
    assert_eq!(
        refusal(b.command(react("two words", true)).await.unwrap_err()),
        ErrorCode::Validation
    );
    let thread: Thread = admin
        .get(&format!("/api/messages/{root}/thread"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(thread.root.reactions.len(), 1);
    assert_eq!(thread.root.reactions[0].emoji, "👍");
    assert_eq!(thread.root.reactions[0].user_ids.len(), 2);
    let ev = a
        .event_matching(|e| matches!(e, Event::ReactionChanged { present: false, .. }))
        .await;
    assert!(matches!(ev, Event::ReactionChanged { ref emoji, .. } if emoji == "🎉"));

    // Pins.
    b.ok(Command::SetPinned {
        message_id: root,
        pinned: true,
    })
    .await;
    let ev = a
        .event_matching(|e| matches!(e, Event::PinChanged { .. }))
        .await;
    assert_eq!(
        ev,
        Event::PinChanged {
            channel_id: room.id,
            message_id: root,
            pinned: true,
            by: bo_user.id
        }
    );
    let pins: Vec<Message> = bo
        .get(&format!("/api/channels/{}/pins", room.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pins.len(), 1);
    assert!(pins[0].pinned);
    b.ok(Command::SetPinned {
        message_id: root,
        pinned: false,
    })
    .await;
    let pins: Vec<Message> = bo
        .get(&format!("/api/channels/{}/pins", room.id))
        .await
        .json()
        .await
        .unwrap();
    assert!(pins.is_empty());

    // Deleting a reply drops it from the count.
    b.ok(Command::DeleteMessage { message_id: r1 }).await;
    let thread: Thread = admin
        .get(&format!("/api/messages/{root}/thread"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(thread.root.reply_count, 1);
}

#[tokio::test]
async fn mentions_unread_counts_and_read_markers() {
    let ts = spawn().await;
    let (admin, admin_user) = ts.admin().await;
    let (ana, ana_user) = ts.member(&admin, "Ana Lee", "ana@example.com").await;
    let (_, ana2) = ts.member(&admin, "Ana", "ana2@example.com").await;
    let room = admin
        .create_channel("room", "public", &[ana_user.id, ana2.id])
        .await;
    let mut a = admin.live_ws().await;

    a.post(room.id, "plain message").await;
    let m = a.post(room.id, "hey @ana lee, see this").await;
    a.post(room.id, "@channel heads up").await;
    a.post(room.id, "mail ana@example.com").await;

    let thread: Thread = ana
        .get(&format!("/api/messages/{m}/thread"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(thread.root.mentions, vec![ana_user.id]);

    let mine: Vec<MyChannel> = ana.get("/api/channels").await.json().await.unwrap();
    let mine = mine.iter().find(|c| c.channel.id == room.id).unwrap();
    assert_eq!(mine.unread_count, 4);
    assert_eq!(mine.mention_count, 2);
    // The newest message's seq: a replayed message at or below it is already counted.
    let newest = page(&ana, room.id, "")
        .await
        .messages
        .iter()
        .map(|m| m.seq)
        .max();
    assert_eq!(Some(mine.last_message_seq), newest);
    // The author has read their own messages.
    let admins: Vec<MyChannel> = admin.get("/api/channels").await.json().await.unwrap();
    assert_eq!(admins[0].unread_count, 0);
    assert_eq!(admins[0].channel.id, room.id);
    let _ = admin_user;

    // Mark read on one tab; the other tab hears about it.
    let mut watch = admin.live_ws().await;
    let mut tab1 = ana.live_ws().await;
    let mut tab2 = ana.live_ws().await;
    let history = page(&ana, room.id, "").await;
    let second = history.messages[1].seq;
    tab1.ok(Command::MarkRead {
        channel_id: room.id,
        seq: second,
    })
    .await;
    let ev = tab2
        .event_matching(|e| matches!(e, Event::ReadMarkerMoved { .. }))
        .await;
    assert_eq!(
        ev,
        Event::ReadMarkerMoved {
            channel_id: room.id,
            seq: second
        }
    );
    let mine: Vec<MyChannel> = ana.get("/api/channels").await.json().await.unwrap();
    assert_eq!(
        (
            mine[0].last_read_seq,
            mine[0].unread_count,
            mine[0].mention_count
        ),
        (second, 2, 1)
    );
    // Backwards does not move it.
    tab1.ok(Command::MarkRead {
        channel_id: room.id,
        seq: 1,
    })
    .await;
    let mine: Vec<MyChannel> = ana.get("/api/channels").await.json().await.unwrap();
    assert_eq!(mine[0].last_read_seq, second);
    // Other people never receive my read marker.
    watch.assert_no_event_until_pong(3).await;
}

#[tokio::test]
async fn history_pages_before_and_around() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let room = admin.create_channel("room", "public", &[]).await;
    let mut ws = admin.live_ws().await;
    let mut ids = Vec::new();
    for i in 0..7 {
        ids.push(ws.post(room.id, &format!("message {i}")).await);
    }
    let latest = page(&admin, room.id, "?limit=3").await;
    assert_eq!(
        latest.messages.iter().map(|m| m.id).collect::<Vec<_>>(),
        ids[4..].to_vec()
    );
    assert!(latest.has_older && !latest.has_newer);
    let older = page(
        &admin,
        room.id,
        &format!("?limit=3&before={}", latest.messages[0].seq),
    )
    .await;
    assert_eq!(
        older.messages.iter().map(|m| m.id).collect::<Vec<_>>(),
        ids[1..4].to_vec()
    );
    assert!(older.has_older);
    let oldest = page(
        &admin,
        room.id,
        &format!("?limit=3&before={}", older.messages[0].seq),
    )
    .await;
    assert_eq!(
        oldest.messages.iter().map(|m| m.id).collect::<Vec<_>>(),
        ids[..1].to_vec()
    );
    assert!(!oldest.has_older);

    let around = page(&admin, room.id, &format!("?limit=4&around={}", ids[3])).await;
    assert_eq!(
        around.messages.iter().map(|m| m.id).collect::<Vec<_>>(),
        ids[1..6].to_vec()
    );
    assert!(around.has_older && around.has_newer);
    let r = admin
        .get(&format!(
            "/api/channels/{}/messages?around={}",
            room.id,
            Uuid::new_v4()
        ))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = admin
        .get(&format!("/api/channels/{}/messages?before=abc", room.id))
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

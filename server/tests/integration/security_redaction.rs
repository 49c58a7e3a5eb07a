//! Issue 10, finding 2: deleted and edited text leaves everything the server can still
//! send or search: replay from an old position (for people added later too), the
//! inbox's response items, threads, search, and the database file itself.

use crate::common;

use common::bridge::{inbox, send};
use common::*;
use reqwest::StatusCode;
use serde_json::json;
use tandem_protocol::api::User;
use tandem_protocol::chat::{Channel, Message, SearchResults, Thread};
use tandem_protocol::meetings::Meeting;
use tandem_protocol::urgency::{Urgency, ACK_EMOJI};
use tandem_protocol::ws::{ClientFrame, Command, Event, ServerFrame};
use uuid::Uuid;

/// Words that appear nowhere but in the text that must go (lower case, as the search
/// index stores its terms).
const DELETED: &str = "quokkazanzibar";
const PRE_EDIT: &str = "wombatkathmandu";

/// Ada (admin) and Bob in the private channel #ops; Cleo, not (yet) in it.
struct Team {
    ts: TestServer,
    ada: Client,
    bob: Client,
    cleo: Client,
    cleo_user: User,
    ops: Channel,
}

async fn team() -> Team {
    let ts = spawn().await;
    let (ada, _) = ts.admin().await;
    let (bob, bob_user) = ts.member(&ada, "Bob", "bob@example.com").await;
    let (cleo, cleo_user) = ts.member(&ada, "Cleo", "cleo@example.com").await;
    let ops = ada.create_channel("ops", "private", &[bob_user.id]).await;
    Team {
        ts,
        ada,
        bob,
        cleo,
        cleo_user,
        ops,
    }
}

/// The log position now (what a tab that loaded now would resume from).
async fn position(client: &Client) -> i64 {
    let mut ws = client.ws().await;
    ws.hello().await
}

/// Resumes from `after` and returns every replayed frame up to `replay_complete`, as
/// the JSON the server sent.
async fn replay(client: &Client, after: i64) -> Vec<(ServerFrame, String)> {
    let mut ws = client.ws().await;
    ws.hello().await;
    ws.send(&ClientFrame::Resume {
        last_seq: Some(after),
    })
    .await;
    let mut frames = Vec::new();
    loop {
        let frame = ws.recv().await;
        if matches!(frame, ServerFrame::ReplayComplete { .. }) {
            return frames;
        }
        let text = serde_json::to_string(&frame).unwrap();
        frames.push((frame, text));
    }
}

fn assert_absent(frames: &[(ServerFrame, String)], secret: &str) {
    for (_, text) in frames {
        assert!(!text.contains(secret), "replayed {secret}: {text}");
    }
}

/// The replayed `message_posted` for `id` (the log keeps its seq: resume is gapless).
fn replayed_post(frames: &[(ServerFrame, String)], id: Uuid) -> Message {
    frames
        .iter()
        .find_map(|(frame, _)| match frame {
            ServerFrame::Event(envelope) => match &envelope.event {
                Event::MessagePosted { message } if message.id == id => Some(message.clone()),
                _ => None,
            },
            _ => None,
        })
        .expect("the message_posted event is still replayed")
}

/// Posts a Critical message to #ops that mentions Bob (so Bob owes a response and the
/// log gets `response_item_changed` events quoting it).
async fn post_critical(ws: &mut Ws, channel: Uuid, body: &str, root: Option<Uuid>) -> Uuid {
    ws.ok(send(channel, body, root, Some(Urgency::Critical)))
        .await
        .0
}

async fn delete(ws: &mut Ws, id: Uuid) {
    ws.ok(Command::DeleteMessage { message_id: id }).await;
}

async fn edit(ws: &mut Ws, id: Uuid, body: &str) {
    ws.ok(Command::EditMessage {
        message_id: id,
        body: body.into(),
    })
    .await;
}

async fn search(client: &Client, q: &str) -> SearchResults {
    let url = reqwest::Url::parse_with_params(&client.url("/api/search"), &[("q", q)]).unwrap();
    let response = client.http.get(url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_deleted_message_is_replayed_only_as_a_tombstone() {
    let t = team().await;
    let before = position(&t.bob).await;
    let mut ada_ws = t.ada.live_ws().await;
    let body = format!("@Bob the vault code is {DELETED}");
    let id = post_critical(&mut ada_ws, t.ops.id, &body, None).await;
    // Reacted to and pinned, so the tombstone must drop those too.
    ada_ws
        .ok(Command::SetReaction {
            message_id: id,
            emoji: "👍".into(),
            present: true,
        })
        .await;
    ada_ws
        .ok(Command::SetPinned {
            message_id: id,
            pinned: true,
        })
        .await;
    delete(&mut ada_ws, id).await;

    let frames = replay(&t.bob, before).await;
    assert_absent(&frames, DELETED);
    let tombstone = replayed_post(&frames, id);
    assert!(tombstone.deleted);
    assert!(tombstone.body.is_empty() && tombstone.mentions.is_empty());
    assert!(tombstone.reactions.is_empty() && !tombstone.pinned);
    // The response item Bob owed was withdrawn; no event about it quotes the text.
    assert!(frames.iter().any(|(f, _)| matches!(
        f,
        ServerFrame::Event(e) if matches!(&e.event, Event::ResponseItemChanged { item }
            if item.message_id == id && item.excerpt.is_empty())
    )));
    // The author's own replay too.
    assert_absent(&replay(&t.ada, before).await, DELETED);
}

#[tokio::test]
async fn pre_edit_text_is_not_replayed() {
    let t = team().await;
    let before = position(&t.bob).await;
    let mut ada_ws = t.ada.live_ws().await;
    let body = format!("@Bob the password is {PRE_EDIT}");
    let id = post_critical(&mut ada_ws, t.ops.id, &body, None).await;
    edit(&mut ada_ws, id, "@Bob the first draft was a typo, sorry").await;
    edit(&mut ada_ws, id, "@Bob please check the deploy").await;

    let frames = replay(&t.bob, before).await;
    assert_absent(&frames, PRE_EDIT);
    assert_absent(&frames, "first draft");
    let posted = replayed_post(&frames, id);
    assert_eq!(posted.body, "@Bob please check the deploy");
    assert!(posted.edited_at.is_some());
    for (frame, _) in &frames {
        if let ServerFrame::Event(e) = frame {
            if let Event::ResponseItemChanged { item } = &e.event {
                assert_eq!(item.excerpt, "@Bob please check the deploy");
            }
        }
    }
}

#[tokio::test]
async fn a_member_added_later_sees_no_deleted_or_pre_edit_text() {
    let t = team().await;
    let mut ada_ws = t.ada.live_ws().await;
    let gone = ada_ws
        .post(t.ops.id, &format!("launch code {DELETED}"))
        .await;
    let fixed = ada_ws.post(t.ops.id, &format!("wifi is {PRE_EDIT}")).await;
    // A reply keeps the deleted root's thread alive.
    ada_ws
        .ok(send(t.ops.id, "a reply to it", Some(gone), None))
        .await;
    delete(&mut ada_ws, gone).await;
    edit(&mut ada_ws, fixed, "wifi is on the whiteboard").await;

    let response = t
        .ada
        .post(
            &format!("/api/channels/{}/members", t.ops.id),
            &json!({"user_ids": [t.cleo_user.id]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let frames = replay(&t.cleo, 0).await;
    assert_absent(&frames, DELETED);
    assert_absent(&frames, PRE_EDIT);
    // Cleo does see the channel's history, as it is now.
    assert!(replayed_post(&frames, gone).deleted);
    assert_eq!(
        replayed_post(&frames, fixed).body,
        "wifi is on the whiteboard"
    );
}

#[tokio::test]
async fn search_and_the_database_file_keep_no_deleted_or_pre_edit_text() {
    let t = team().await;
    let mut ada_ws = t.ada.live_ws().await;
    let gone = ada_ws
        .post(t.ops.id, &format!("the token is {DELETED}"))
        .await;
    let fixed = ada_ws
        .post(t.ops.id, &format!("the pin is {PRE_EDIT}"))
        .await;
    ada_ws
        .ok(Command::SetReaction {
            message_id: gone,
            emoji: "👍".into(),
            present: true,
        })
        .await;
    assert_eq!(search(&t.bob, DELETED).await.hits.len(), 1);
    delete(&mut ada_ws, gone).await;
    edit(&mut ada_ws, fixed, "the pin is in the safe").await;

    for client in [&t.ada, &t.bob] {
        for q in [DELETED, PRE_EDIT, &DELETED[..6], &PRE_EDIT[..6]] {
            assert!(search(client, q).await.hits.is_empty(), "{q}");
        }
    }
    let hits = search(&t.bob, "safe").await.hits;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].message.id, fixed);

    // Nothing of either text is left anywhere in the database.
    let db = t.ts.db().await;
    if t.ts.database.is_postgres() {
        // Postgres keeps the old version of an updated or deleted row in its table file
        // until VACUUM reuses the space, and every change in its write-ahead log until
        // a checkpoint recycles it: its files cannot be held to what SQLite's are below
        // (README, "Postgres"). What it holds is checked instead: every value of every
        // table, the search index's terms included.
        let stored = common::at_rest::postgres_text(&db).await;
        for secret in [DELETED, PRE_EDIT] {
            let found: Vec<_> = stored.iter().filter(|v| v.contains(secret)).collect();
            assert!(found.is_empty(), "{secret} is still stored: {found:?}");
        }
        return;
    }
    // SQLite: not in the log, the search index (FTS5 keeps deleted terms in its b-tree
    // unless told otherwise) or free pages (SQLite leaves deleted cells in place unless
    // secure_delete is on), in the file or its write-ahead log.
    let (busy,): (i64,) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(busy, 0, "the checkpoint ran");
    db.close().await;
    let files = common::at_rest::database_files(&t.ts);
    for secret in [DELETED, PRE_EDIT] {
        let found = common::at_rest::files_containing(&files, secret);
        assert!(found.is_empty(), "{secret} is still in {found:?}");
    }
}

#[tokio::test]
async fn threads_and_the_inbox_show_no_old_text() {
    let t = team().await;
    let mut ada_ws = t.ada.live_ws().await;
    let mut bob_ws = t.bob.live_ws().await;
    let root = ada_ws.post(t.ops.id, "release checklist").await;
    let body = format!("@Bob sign off with {PRE_EDIT}");
    let reply = post_critical(&mut ada_ws, t.ops.id, &body, Some(root)).await;
    let owed = inbox(&t.bob).await.awaiting_me;
    assert_eq!(owed.len(), 1);
    assert!(owed[0].excerpt.contains(PRE_EDIT));
    let item_about = |id: Uuid| {
        move |e: Event| match e {
            Event::ResponseItemChanged { item } if item.message_id == id => Some(item),
            _ => None,
        }
    };
    assert!(bob_ws
        .event_where(item_about(reply))
        .await
        .excerpt
        .contains(PRE_EDIT));

    edit(&mut ada_ws, reply, "@Bob sign off when ready").await;
    // Bob's open inbox hears of the new excerpt live.
    let item = bob_ws.event_where(item_about(reply)).await;
    assert_eq!(item.excerpt, "@Bob sign off when ready");
    let now = inbox(&t.bob).await;
    assert_eq!(now.awaiting_me.len(), 1);
    assert_eq!(now.awaiting_me[0].excerpt, "@Bob sign off when ready");
    let asked = inbox(&t.ada).await.awaiting_others;
    assert_eq!(asked[0].excerpt, "@Bob sign off when ready");

    // A second Critical reply, acknowledged (the item stays, answered), then deleted.
    let second = post_critical(
        &mut ada_ws,
        t.ops.id,
        &format!("@Bob also {DELETED}"),
        Some(root),
    )
    .await;
    bob_ws
        .ok(Command::SetReaction {
            message_id: second,
            emoji: ACK_EMOJI.into(),
            present: true,
        })
        .await;
    delete(&mut ada_ws, second).await;
    let response = t.bob.get(&format!("/api/messages/{root}/thread")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    assert!(
        !text.contains(PRE_EDIT) && !text.contains(DELETED),
        "{text}"
    );
    let thread: Thread = serde_json::from_str(&text).unwrap();
    assert_eq!(thread.root.reply_count, 1);
    let inbox_text = t.bob.get("/api/inbox").await.text().await.unwrap();
    assert!(!inbox_text.contains(PRE_EDIT) && !inbox_text.contains(DELETED));
    // And the log of Bob's own events (his inbox's replay).
    let frames = replay(&t.bob, 0).await;
    assert_absent(&frames, PRE_EDIT);
    assert_absent(&frames, DELETED);
}

#[tokio::test]
async fn a_call_escalated_from_a_deleted_thread_no_longer_quotes_it() {
    let t = team().await;
    let before = position(&t.bob).await;
    let mut ada_ws = t.ada.live_ws().await;
    let body = format!("@Bob outage in {DELETED}");
    let root = post_critical(&mut ada_ws, t.ops.id, &body, None).await;
    let response = t
        .ada
        .post(&format!("/api/messages/{root}/escalate"), &json!({}))
        .await;
    assert!(response.status().is_success());
    let meeting: Meeting = response.json().await.unwrap();
    assert!(meeting.title.contains(DELETED), "{}", meeting.title);

    delete(&mut ada_ws, root).await;
    assert_absent(&replay(&t.bob, before).await, DELETED);
    let response = t.bob.get(&format!("/api/meetings/{}", meeting.id)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let now: Meeting = response.json().await.unwrap();
    assert_eq!(now.title, "Escalated call");
}

//! Urgency and response targets (issue #7): who owes a response, what satisfies it,
//! deadlines on the owner's working hours, the Critical deadline offering a call, the
//! inbox, and the settings behind them. The server runs on a clock the test moves.

use crate::common;

use common::bridge::*;
use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tandem_protocol::api::WorkspaceSettings;
use tandem_protocol::chat::{Channel, Message, Thread};
use tandem_protocol::urgency::{SatisfiedBy, Urgency, ACK_EMOJI};
use tandem_protocol::working_hours::WorkSchedule;
use tandem_protocol::ws::Command;
use tandem_protocol::ErrorCode;
use uuid::Uuid;

/// Friday 6 June 2025, 16:00 in Lisbon (15:00 UTC: summer time, UTC+1).
const FRIDAY_1600_LISBON: i64 = 1_749_222_000_000;
/// Monday 9 June 2025, 12:00 in Lisbon (11:00 UTC).
const MONDAY_1200_LISBON: i64 = FRIDAY_1600_LISBON + (3 * 24 * 60 - 4 * 60) * MINUTE;

/// Ada (admin), Bob and Cleo, all in the public channel #general.
async fn team(ts: &TestServer) -> [(Client, tandem_protocol::api::User); 3] {
    let (ada, ada_user) = ts.admin().await;
    let (bob, bob_user) = ts.member(&ada, "Bob", "bob@example.com").await;
    let (cleo, cleo_user) = ts.member(&ada, "Cleo", "cleo@example.com").await;
    [(ada, ada_user), (bob, bob_user), (cleo, cleo_user)]
}

async fn direct(client: &Client, people: &[Uuid]) -> Channel {
    let response = client
        .post("/api/direct", &json!({"user_ids": people}))
        .await;
    assert!(response.status().is_success());
    response.json().await.unwrap()
}

#[tokio::test]
async fn mentions_and_direct_messages_decide_who_owes_a_response() {
    let (ts, _clock) = spawn_at(FRIDAY_1600_LISBON).await;
    let [(ada, ada_user), (bob, bob_user), (cleo, cleo_user)] = team(&ts).await;
    let general = ada
        .create_channel("general", "public", &[bob_user.id, cleo_user.id])
        .await;
    let mut ada_ws = ada.live_ws().await;
    let mut bob_ws = bob.live_ws().await;

    // A mention: the mentioned person owes, with the urgency the sender chose; both
    // owner and author are told.
    let (asked, _) = ada_ws
        .ok(send(
            general.id,
            "@Bob can you   review\nthe deploy?",
            None,
            Some(Urgency::Critical),
        ))
        .await;
    let item = bob_ws.item_changed().await;
    assert_eq!(item.message_id, asked);
    assert_eq!((item.owner_id, item.author_id), (bob_user.id, ada_user.id));
    assert_eq!(item.urgency, Urgency::Critical);
    assert_eq!(item.excerpt, "@Bob can you review the deploy?");
    assert_eq!(item.created_at, FRIDAY_1600_LISBON);
    assert_eq!(ada_ws.item_changed().await, item);

    // @channel, mentioning yourself, and plain messages owe nothing.
    ada_ws
        .ok(send(general.id, "@channel lunch is here", None, None))
        .await;
    ada_ws
        .ok(send(general.id, "note to @Ada: call the bank", None, None))
        .await;
    ada_ws
        .ok(send(general.id, "no one in particular", None, None))
        .await;
    bob_ws.assert_no_item_change(1).await;

    let bob_inbox = inbox(&bob).await;
    assert_eq!(bob_inbox.now, FRIDAY_1600_LISBON);
    assert_eq!(bob_inbox.awaiting_me, vec![item.clone()]);
    assert!(bob_inbox.awaiting_others.is_empty());
    let ada_inbox = inbox(&ada).await;
    assert!(ada_inbox.awaiting_me.is_empty());
    assert_eq!(ada_inbox.awaiting_others, vec![item]);
    assert!(inbox(&cleo).await.awaiting_me.is_empty());

    // A DM: the other side owes (at the channel's default urgency, Standard).
    let dm = direct(&ada, &[bob_user.id]).await;
    let (hello, _) = ada_ws.ok(send(dm.id, "hello", None, None)).await;
    let item = bob_ws.item_changed().await;
    assert_eq!((item.message_id, item.owner_id), (hello, bob_user.id));
    assert_eq!(item.urgency, Urgency::Standard);

    // A group DM: every other member owes, the author never.
    let group = direct(&bob, &[ada_user.id, cleo_user.id]).await;
    let (question, _) = bob_ws
        .ok(send(group.id, "who has the keys?", None, None))
        .await;
    let mut owners: Vec<Uuid> = inbox(&bob)
        .await
        .awaiting_others
        .iter()
        .filter(|i| i.message_id == question)
        .map(|i| i.owner_id)
        .collect();
    owners.sort();
    let mut expected = vec![ada_user.id, cleo_user.id];
    expected.sort();
    assert_eq!(owners, expected);
    assert!(inbox(&bob)
        .await
        .awaiting_me
        .iter()
        .all(|i| i.message_id != question));

    // The channel's default urgency applies when the sender picks none.
    let response = bob
        .patch(
            &format!("/api/channels/{}", general.id),
            &json!({"default_urgency": "low"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let channel: Channel = response.json().await.unwrap();
    assert_eq!(channel.default_urgency, Urgency::Low);
    let (low, _) = ada_ws
        .ok(send(general.id, "@Cleo when you can", None, None))
        .await;
    let message = ada_ws.posted().await;
    assert_eq!((message.id, message.urgency), (low, Urgency::Low));
    let cleo_items = inbox(&cleo).await.awaiting_me;
    let item = cleo_items.iter().find(|i| i.message_id == low).unwrap();
    assert_eq!(item.urgency, Urgency::Low);
}

#[tokio::test]
async fn a_guests_message_is_always_standard() {
    let (ts, _clock) = spawn_at(FRIDAY_1600_LISBON).await;
    let [(ada, _), (_, bob_user), _] = team(&ts).await;
    let sales = ada.create_channel("sales", "public", &[bob_user.id]).await;
    let meeting = ada.start_meeting(sales.id).await;
    let invite: Value = ada
        .post(
            &format!("/api/meetings/{}/guest-invites", meeting.id),
            &json!({"expires_in_minutes": 60}),
        )
        .await
        .json()
        .await
        .unwrap();
    let guest = ts.client();
    let joined = guest
        .post(
            &format!("/api/guest/{}", invite["token"].as_str().unwrap()),
            &json!({"display_name": "Gil"}),
        )
        .await;
    assert_eq!(joined.status(), StatusCode::CREATED);
    let mut guest_ws = guest.live_ws().await;
    let (id, _) = guest_ws
        .ok(send(
            sales.id,
            "@Bob urgent question",
            Some(meeting.card_message_id),
            Some(Urgency::Critical),
        ))
        .await;
    let thread: Thread = ada
        .get(&format!("/api/messages/{}/thread", meeting.card_message_id))
        .await
        .json()
        .await
        .unwrap();
    let message: &Message = thread.replies.iter().find(|m| m.id == id).unwrap();
    assert_eq!(message.urgency, Urgency::Standard);
}

#[tokio::test]
async fn replies_acknowledgements_and_joining_the_call_satisfy() {
    let (ts, clock) = spawn_at(FRIDAY_1600_LISBON).await;
    let [(ada, _), (bob, bob_user), (cleo, cleo_user)] = team(&ts).await;
    let general = ada
        .create_channel("general", "public", &[bob_user.id, cleo_user.id])
        .await;
    let mut ada_ws = ada.live_ws().await;
    let mut bob_ws = bob.live_ws().await;
    let mut cleo_ws = cleo.live_ws().await;

    // A reply by someone else does not answer for Bob; Bob's own reply does.
    let (root, _) = ada_ws
        .ok(send(general.id, "@Bob is staging up?", None, None))
        .await;
    let open = bob_ws.item_changed().await;
    assert_eq!(ada_ws.item_changed().await, open);
    cleo_ws
        .ok(send(general.id, "I think so", Some(root), None))
        .await;
    bob_ws.assert_no_item_change(1).await;
    assert_eq!(inbox(&bob).await.awaiting_me, vec![open.clone()]);
    clock.advance(5 * MINUTE);
    bob_ws
        .ok(send(general.id, "yes, up", Some(root), None))
        .await;
    let done = bob_ws.item_changed().await;
    assert_eq!(done.id, open.id);
    assert_eq!(done.satisfied_by, Some(SatisfiedBy::Reply));
    assert_eq!(done.satisfied_at, Some(FRIDAY_1600_LISBON + 5 * MINUTE));
    assert_eq!(ada_ws.item_changed().await, done);
    assert!(inbox(&bob).await.awaiting_me.is_empty());
    assert!(inbox(&ada).await.awaiting_others.is_empty());

    // A mention in a reply is answered by a later reply in the same thread.
    let (ask, _) = ada_ws
        .ok(send(general.id, "@Cleo and you?", Some(root), None))
        .await;
    let item = cleo_ws.item_changed().await;
    assert_eq!((item.message_id, item.thread_root_id), (ask, Some(root)));
    cleo_ws
        .ok(send(general.id, "me too", Some(root), None))
        .await;
    assert_eq!(
        cleo_ws.item_changed().await.satisfied_by,
        Some(SatisfiedBy::Reply)
    );

    // The acknowledgement reaction answers; another emoji, or someone else's ✅, does not.
    let (fyi, _) = ada_ws
        .ok(send(general.id, "@Bob FYI: new VPN", None, None))
        .await;
    let item = bob_ws.item_changed().await;
    let react = |emoji: &str| Command::SetReaction {
        message_id: fyi,
        emoji: emoji.into(),
        present: true,
    };
    bob_ws.ok(react("👍")).await;
    cleo_ws.ok(react(ACK_EMOJI)).await;
    bob_ws.assert_no_item_change(2).await;
    bob_ws.ok(react(ACK_EMOJI)).await;
    let acked = bob_ws.item_changed().await;
    assert_eq!(
        (acked.id, acked.satisfied_by),
        (item.id, Some(SatisfiedBy::Acknowledged))
    );

    // In a DM, a new top-level message of the owner answers too.
    let dm = direct(&ada, &[bob_user.id]).await;
    ada_ws.ok(send(dm.id, "ping", None, None)).await;
    bob_ws.item_changed().await;
    bob_ws.ok(send(dm.id, "pong", None, None)).await;
    assert_eq!(
        bob_ws.item_changed().await.satisfied_by,
        Some(SatisfiedBy::Reply)
    );
    // ... and Bob's "pong" now waits on Ada.
    assert_eq!(inbox(&ada).await.awaiting_me.len(), 1);

    // A deleted message's open items are withdrawn.
    let (oops, _) = ada_ws
        .ok(send(general.id, "@Cleo wrong person", None, None))
        .await;
    cleo_ws.item_changed().await;
    ada_ws.ok(Command::DeleteMessage { message_id: oops }).await;
    let withdrawn = cleo_ws.item_changed().await;
    assert!(withdrawn.satisfied_at.is_some() && withdrawn.satisfied_by.is_none());
    assert!(inbox(&cleo).await.awaiting_me.is_empty());
}

#[tokio::test]
async fn deadlines_follow_the_owners_working_hours_and_critical_offers_a_call() {
    let (ts, clock) = spawn_at(FRIDAY_1600_LISBON).await;
    let [(ada, _), (bob, bob_user), _] = team(&ts).await;
    // Bob works 09:00–17:00 Monday to Friday in Lisbon.
    let hours = WorkSchedule::default_for("Europe/Lisbon");
    let response = put(&bob, "/api/users/me/schedule", &json!(hours)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let general = ada
        .create_channel("general", "public", &[bob_user.id])
        .await;
    let mut ada_ws = ada.live_ws().await;

    // Standard (4 h): one hour on Friday, three on Monday morning.
    ada_ws
        .ok(send(
            general.id,
            "@Bob please review",
            None,
            Some(Urgency::Standard),
        ))
        .await;
    let standard = ada_ws.item_changed().await;
    assert_eq!(standard.due_at, MONDAY_1200_LISBON);
    // Low (24 h of working time = three working days): Friday 1 h + Mon, Tue 8 h each
    // + 7 h on Wednesday → Wednesday 16:00 Lisbon.
    ada_ws
        .ok(send(general.id, "@Bob some day", None, Some(Urgency::Low)))
        .await;
    let low = ada_ws.item_changed().await;
    assert_eq!(low.due_at, MONDAY_1200_LISBON + (2 * 24 + 4) * 60 * MINUTE);
    // Critical (15 min) runs on the wall clock.
    let (urgent, _) = ada_ws
        .ok(send(
            general.id,
            "@Bob prod is down",
            None,
            Some(Urgency::Critical),
        ))
        .await;
    let critical = ada_ws.item_changed().await;
    assert_eq!(critical.due_at, FRIDAY_1600_LISBON + 15 * MINUTE);
    assert!(!critical.escalation_offered);

    // Inbox: soonest first.
    let order: Vec<Uuid> = inbox(&bob).await.awaiting_me.iter().map(|i| i.id).collect();
    assert_eq!(order, vec![critical.id, standard.id, low.id]);

    // Just before the deadline nothing happens; past it, the author is offered a call.
    clock.set(critical.due_at - 1);
    ts.wake_timers();
    ada_ws.assert_no_item_change(1).await;
    clock.set(critical.due_at + 1);
    ts.wake_timers();
    let offered = ada_ws.item_changed().await;
    assert_eq!(offered.id, critical.id);
    assert_eq!(offered.message_id, urgent);
    assert!(offered.escalation_offered);
    assert!(offered.satisfied_at.is_none());
    // Once only; and Standard/Low items do not get offers.
    clock.set(low.due_at + MINUTE);
    ts.wake_timers();
    ada_ws.assert_no_item_change(2).await;
    let pending = inbox(&ada).await.awaiting_others;
    assert_eq!(pending.len(), 3);
    assert!(pending[0].escalation_offered && !pending[1].escalation_offered);
}

#[tokio::test]
async fn response_targets_and_channel_defaults_are_validated() {
    let (ts, _clock) = spawn_at(FRIDAY_1600_LISBON).await;
    let [(ada, _), (bob, bob_user), (cleo, _)] = team(&ts).await;

    // Admins set the targets; they are bounded.
    let sla = json!({"sla": {"critical_minutes": 30, "standard_minutes": 120, "low_minutes": 600}});
    assert_eq!(
        bob.patch("/api/workspace/settings", &sla).await.status(),
        StatusCode::FORBIDDEN
    );
    let bad = ada
        .patch(
            "/api/workspace/settings",
            &json!({"sla": {"critical_minutes": 0, "standard_minutes": 120, "low_minutes": 600}}),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_body(bad).await.code, ErrorCode::Validation);
    let settings: WorkspaceSettings = ada
        .patch("/api/workspace/settings", &sla)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(settings.sla.critical_minutes, 30);
    let read: WorkspaceSettings = bob
        .get("/api/workspace/settings")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read.sla.standard_minutes, 120);

    // The new Critical target applies to new messages.
    let room = ada.create_channel("room", "private", &[bob_user.id]).await;
    let mut ada_ws = ada.live_ws().await;
    ada_ws
        .ok(send(room.id, "@Bob now", None, Some(Urgency::Critical)))
        .await;
    assert_eq!(
        ada_ws.item_changed().await.due_at,
        FRIDAY_1600_LISBON + 30 * MINUTE
    );

    // Channel default urgency: members only; an unknown tier is refused.
    let path = format!("/api/channels/{}", room.id);
    assert_eq!(
        cleo.patch(&path, &json!({"default_urgency": "critical"}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let unknown = bob
        .patch(&path, &json!({"default_urgency": "urgentest"}))
        .await;
    assert!(unknown.status().is_client_error());
    let channel: Channel = bob
        .patch(&path, &json!({"default_urgency": "critical"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(channel.default_urgency, Urgency::Critical);
    let public = ada.create_channel("town", "public", &[]).await;
    let outsider = cleo
        .patch(
            &format!("/api/channels/{}", public.id),
            &json!({"default_urgency": "low"}),
        )
        .await;
    assert_eq!(outsider.status(), StatusCode::FORBIDDEN);
}

/// The controllable clock is a test-build switch: a normal build has no such route.
#[cfg(not(feature = "test-clock"))]
#[tokio::test]
async fn the_test_clock_does_not_exist_in_a_normal_build() {
    let ts = spawn().await;
    let (ada, _) = ts.admin().await;
    let response = ada
        .post("/api/test/clock", &json!({"advance_ms": 60_000}))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

/// With the `test-clock` feature, the clock moves forward on request and deadlines
/// follow it.
#[cfg(feature = "test-clock")]
#[tokio::test]
async fn the_test_clock_moves_server_time_forward() {
    let ts = spawn().await;
    let [(ada, _), (_, bob_user), _] = team(&ts).await;
    let room = ada.create_channel("room", "private", &[bob_user.id]).await;
    let mut ada_ws = ada.live_ws().await;
    ada_ws
        .ok(send(room.id, "@Bob now", None, Some(Urgency::Critical)))
        .await;
    let item = ada_ws.item_changed().await;
    let before = inbox(&ada).await.now;
    let backwards = ada
        .post("/api/test/clock", &json!({"advance_ms": -1}))
        .await;
    assert_eq!(backwards.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let moved: Value = ada
        .post("/api/test/clock", &json!({"advance_ms": 20 * MINUTE}))
        .await
        .json()
        .await
        .unwrap();
    let now = moved["now"].as_i64().unwrap();
    assert!(now >= before + 20 * MINUTE && now > item.due_at);
    assert!(inbox(&ada).await.now >= now);
    assert!(ada_ws.item_changed().await.escalation_offered);
}

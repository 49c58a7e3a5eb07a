//! Escalating a thread to a call and back (issue #7): the thread's people are rung,
//! joining answers what they owed, the call's summary card lands in the thread, and
//! the host's note turns into action items in their owners' inboxes.

use crate::common;

use common::bridge::*;
use common::*;
use reqwest::StatusCode;
use serde_json::json;
use tandem_protocol::api::User;
use tandem_protocol::chat::{Message, Thread};
use tandem_protocol::meetings::{
    HostAction, MediaState, Meeting, MeetingId, MeetingNotice, MeetingRequest, RingEnd,
};
use tandem_protocol::urgency::{
    ActionItem, MeetingNote, MeetingSummary, ResponseItem, SatisfiedBy, Urgency,
};
use tandem_protocol::ws::{Event, ServerFrame};

/// Wednesday 11 June 2025, 09:00 UTC.
const START: i64 = 1_749_632_400_000;

impl Ws {
    /// The next `ringing` notice's meeting, skipping other frames.
    async fn rung(&mut self) -> Meeting {
        loop {
            if let MeetingNotice::Ringing { meeting, .. } = self.notice().await {
                return meeting;
            }
        }
    }

    /// The next `ring_ended` notice's reason, skipping other notices.
    async fn ring_ended(&mut self) -> RingEnd {
        loop {
            if let MeetingNotice::RingEnded { reason, .. } = self.notice().await {
                return reason;
            }
        }
    }

    /// A ring notice (ringing or ring ended) and a response item change, which may
    /// arrive in either order (notices and events travel separately).
    async fn ring_and_item(&mut self) -> (MeetingNotice, ResponseItem) {
        let (mut notice, mut item) = (None, None);
        while notice.is_none() || item.is_none() {
            match self.recv().await {
                ServerFrame::Meeting(
                    n @ (MeetingNotice::Ringing { .. } | MeetingNotice::RingEnded { .. }),
                ) => notice = Some(n),
                ServerFrame::Event(envelope) => {
                    if let Event::ResponseItemChanged { item: changed } = envelope.event {
                        item = Some(changed);
                    }
                }
                _ => {}
            }
        }
        (notice.unwrap(), item.unwrap())
    }

    /// Joins a meeting that is ringing this person; returns how their ring ended and
    /// their response item the joining answered. Notices and events travel
    /// separately, so they are collected in whatever order they come.
    async fn join_ringing(&mut self, meeting_id: MeetingId) -> (RingEnd, ResponseItem) {
        self.meeting(MeetingRequest::Join {
            meeting_id,
            media: MediaState::default(),
        })
        .await;
        let (mut joined, mut ring, mut item) = (false, None, None);
        while !joined || ring.is_none() || item.is_none() {
            match self.recv().await {
                ServerFrame::Meeting(MeetingNotice::Joined { .. }) => joined = true,
                ServerFrame::Meeting(MeetingNotice::RingEnded { reason, .. }) => {
                    ring = Some(reason)
                }
                ServerFrame::Event(envelope) => {
                    if let Event::ResponseItemChanged { item: changed } = envelope.event {
                        item = Some(changed);
                    }
                }
                _ => {}
            }
        }
        (ring.unwrap(), item.unwrap())
    }

    async fn action_item_changed(&mut self) -> ActionItem {
        self.event_where(|e| match e {
            Event::ActionItemChanged { item } => Some(item),
            _ => None,
        })
        .await
    }
}

async fn escalate(client: &Client, message: uuid::Uuid) -> (StatusCode, Option<Meeting>) {
    let response = client
        .post(&format!("/api/messages/{message}/escalate"), &json!({}))
        .await;
    let status = response.status();
    let meeting = if status.is_success() {
        Some(response.json().await.unwrap())
    } else {
        None
    };
    (status, meeting)
}

struct Team {
    ada: Client,
    ada_user: User,
    bob: Client,
    bob_user: User,
    cleo: Client,
    cleo_user: User,
    dan: Client,
    eve: Client,
    eve_user: User,
}

/// Ada (admin) with Bob, Cleo and Dan in #ops; Eve is in the workspace but not #ops.
async fn team(ts: &TestServer) -> Team {
    let (ada, ada_user) = ts.admin().await;
    let (bob, bob_user) = ts.member(&ada, "Bob", "bob@example.com").await;
    let (cleo, cleo_user) = ts.member(&ada, "Cleo", "cleo@example.com").await;
    let (dan, _) = ts.member(&ada, "Dan", "dan@example.com").await;
    let (eve, eve_user) = ts.member(&ada, "Eve", "eve@example.com").await;
    Team {
        ada,
        ada_user,
        bob,
        bob_user,
        cleo,
        cleo_user,
        dan,
        eve,
        eve_user,
    }
}

#[tokio::test]
async fn escalating_rings_the_thread_and_the_call_comes_back_as_a_summary() {
    let (ts, clock) = spawn_at(START).await;
    let t = team(&ts).await;
    let dan_user: User = t.dan.get("/api/auth/me").await.json().await.unwrap();
    let ops = t
        .ada
        .create_channel(
            "ops",
            "public",
            &[t.bob_user.id, t.cleo_user.id, dan_user.id],
        )
        .await;
    let mut ada_ws = t.ada.live_ws().await;
    let mut bob_ws = t.bob.live_ws().await;
    let mut cleo_ws = t.cleo.live_ws().await;
    let mut dan_ws = t.dan.live_ws().await;

    // A Critical question to Bob; Cleo chimes in; Dan stays out of it.
    let (root, _) = ada_ws
        .ok(send(
            ops.id,
            "@Bob deploy is blocked",
            None,
            Some(Urgency::Critical),
        ))
        .await;
    let owed = bob_ws.item_changed().await;
    let (reply, _) = cleo_ws
        .ok(send(ops.id, "same here", Some(root), None))
        .await;

    // Outsiders cannot escalate: not in the channel.
    assert_eq!(escalate(&t.eve, reply).await.0, StatusCode::FORBIDDEN);

    // Escalating from a reply escalates its thread; Bob and Cleo are rung, not Dan
    // and not Ada herself.
    let (status, meeting) = escalate(&t.ada, reply).await;
    assert_eq!(status, StatusCode::CREATED);
    let meeting = meeting.unwrap();
    assert_eq!(meeting.title, "Call: @Bob deploy is blocked");
    assert_eq!(meeting.host_id, t.ada_user.id);
    // Bob is rung, and his item now points at the call.
    let (ringing, escalated) = bob_ws.ring_and_item().await;
    assert!(matches!(ringing, MeetingNotice::Ringing { meeting: m, .. } if m.id == meeting.id));
    assert_eq!(escalated.id, owed.id);
    assert_eq!(escalated.escalated_meeting_id, Some(meeting.id));
    assert_eq!(cleo_ws.rung().await.id, meeting.id);
    dan_ws.assert_no_notice_until_pong(1).await;
    ada_ws.assert_no_notice_until_pong(2).await;

    // Escalating the same thread again returns the same call.
    let (status, again) = escalate(&t.bob, root).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again.unwrap().id, meeting.id);

    // Ada joins; a minute later Bob joins: his ringing stops and what he owed is
    // answered.
    ada_ws.join(meeting.id).await;
    clock.advance(MINUTE);
    let (stopped, answered) = bob_ws.join_ringing(meeting.id).await;
    assert_eq!(stopped, RingEnd::Answered);
    assert_eq!(answered.id, owed.id);
    assert_eq!(answered.satisfied_by, Some(SatisfiedBy::JoinedCall));
    // Cleo declines: nobody is left ringing, and Ada hears the call was answered.
    cleo_ws
        .meeting(MeetingRequest::AnswerCall {
            meeting_id: meeting.id,
            accept: false,
        })
        .await;
    assert_eq!(ada_ws.ring_ended().await, RingEnd::Answered);

    // Two lines in the meeting chat; ten minutes later Ada ends the call.
    for line in ["rolling back", "done"] {
        ada_ws
            .ok(send(ops.id, line, Some(meeting.card_message_id), None))
            .await;
    }
    clock.advance(10 * MINUTE);
    ada_ws
        .meeting(MeetingRequest::Host {
            meeting_id: meeting.id,
            action: HostAction::End,
        })
        .await;

    // The summary card arrives in the escalated thread, posted as the host.
    let card: Message = loop {
        let message = dan_ws.next_posted().await;
        if message.summary_meeting_id.is_some() {
            break message;
        }
    };
    assert_eq!(card.summary_meeting_id, Some(meeting.id));
    assert_eq!(card.thread_root_id, Some(root));
    assert_eq!(card.author_id, t.ada_user.id);
    let thread: Thread = t
        .dan
        .get(&format!("/api/messages/{root}/thread"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(thread.replies.last().map(|m| m.id), Some(card.id));
    // The card asks nobody for anything.
    assert!(inbox(&t.dan).await.awaiting_me.is_empty());

    // What the card shows.
    let path = format!("/api/meetings/{}/summary", meeting.id);
    let summary: MeetingSummary = t.dan.get(&path).await.json().await.unwrap();
    assert_eq!(summary.meeting.id, meeting.id);
    assert!(summary.meeting.ended_at.is_some());
    assert_eq!(summary.duration_ms, 11 * MINUTE as u64);
    let names: Vec<&str> = summary
        .attendees
        .iter()
        .map(|p| p.display_name.as_str())
        .collect();
    assert_eq!(names, ["Ada Admin", "Bob"]);
    assert_eq!(summary.chat_count, 2);
    assert_eq!(summary.recording_id, None);
    assert_eq!(summary.board_id, None);
    assert_eq!(summary.note, None);
    // Outside the channel: no such meeting.
    assert_eq!(t.eve.get(&path).await.status(), StatusCode::NOT_FOUND);

    // Time in meetings: Ada from the start, Bob from a minute later, to the end.
    let db = ts.db().await;
    let stays: Vec<(String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT user_id, joined_at, left_at FROM meeting_attendance WHERE meeting_id = $1
         ORDER BY joined_at, user_id",
    )
    .bind(meeting.id.to_string())
    .fetch_all(&db)
    .await
    .unwrap();
    let end = Some(START + 11 * MINUTE);
    let ada_id = t.ada_user.id.to_string();
    let bob_id = t.bob_user.id.to_string();
    assert_eq!(
        stays,
        vec![(ada_id, START, end), (bob_id, START + MINUTE, end)]
    );

    // Once the call is over, escalating the thread again starts a new one.
    let (status, next) = escalate(&t.cleo, root).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_ne!(next.unwrap().id, meeting.id);
}

#[tokio::test]
async fn the_hosts_note_puts_action_items_in_their_owners_inboxes() {
    let (ts, _clock) = spawn_at(START).await;
    let t = team(&ts).await;
    let ops = t
        .ada
        .create_channel("ops", "private", &[t.bob_user.id, t.cleo_user.id])
        .await;
    let mut ada_ws = t.ada.live_ws().await;
    let mut cleo_ws = t.cleo.live_ws().await;
    let (root, _) = ada_ws
        .ok(send(ops.id, "@Cleo the cert expires", None, None))
        .await;
    let (_, meeting) = escalate(&t.ada, root).await;
    let meeting = meeting.unwrap();
    // A private channel's thread is not there for outsiders.
    assert_eq!(escalate(&t.eve, root).await.0, StatusCode::NOT_FOUND);

    let due = START + 24 * 60 * MINUTE;
    let note = json!({
        "text": "Cert renewal",
        "decisions": ["Renew for two years"],
        "action_items": [
            {"text": "Renew the certificate", "owner_id": t.cleo_user.id, "due_at": due}
        ],
    });
    let path = format!("/api/meetings/{}/note", meeting.id);
    // Only the host (or an admin) edits the note; owners must be in the channel.
    let refused = put(&t.bob, &path, &note).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let outsider = json!({
        "action_items": [{"text": "x", "owner_id": t.eve_user.id, "due_at": due}],
    });
    let response = put(&t.ada, &path, &outsider).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        put(&t.eve, &path, &note).await.status(),
        StatusCode::NOT_FOUND
    );
    let empty_item =
        json!({"action_items": [{"text": " ", "owner_id": t.cleo_user.id, "due_at": due}]});
    assert_eq!(
        put(&t.ada, &path, &empty_item).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let response = put(&t.ada, &path, &note).await;
    assert_eq!(response.status(), StatusCode::OK);
    let saved: MeetingNote = response.json().await.unwrap();
    assert_eq!(saved.text, "Cert renewal");
    assert_eq!(saved.decisions, ["Renew for two years"]);
    assert_eq!(saved.updated_by, t.ada_user.id);
    let item = cleo_ws.action_item_changed().await;
    assert_eq!(saved.action_items, vec![item.clone()]);
    assert_eq!(
        (item.owner_id, item.due_at, item.done),
        (t.cleo_user.id, due, false)
    );
    // Before the call ends the item points at the meeting's card.
    assert_eq!(item.message_id, Some(meeting.card_message_id));
    let note_event = cleo_ws
        .event_where(|e| match e {
            Event::MeetingNoteUpdated { note } => Some(note),
            _ => None,
        })
        .await;
    assert_eq!(note_event, saved);
    assert_eq!(inbox(&t.cleo).await.action_items, vec![item.clone()]);

    // Saving again with the same item keeps it; a new one for Bob is added.
    let two = json!({
        "text": "Cert renewal",
        "action_items": [
            {"text": "Renew the certificate", "owner_id": t.cleo_user.id, "due_at": due},
            {"text": "Add a reminder", "owner_id": t.bob_user.id, "due_at": due + 1},
        ],
    });
    let saved: MeetingNote = put(&t.ada, &path, &two).await.json().await.unwrap();
    assert_eq!(saved.action_items.len(), 2);
    assert_eq!(saved.action_items[0].id, item.id);
    assert!(saved.decisions.is_empty());
    let bobs = inbox(&t.bob).await.action_items;
    assert_eq!(bobs.len(), 1);
    assert_eq!(bobs[0].text, "Add a reminder");

    // Only the owner ticks an item off; then it leaves their inbox.
    let item_path = format!("/api/action-items/{}", item.id);
    assert_eq!(
        t.bob
            .patch(&item_path, &json!({"done": true}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let done: ActionItem = t
        .cleo
        .patch(&item_path, &json!({"done": true}))
        .await
        .json()
        .await
        .unwrap();
    assert!(done.done);
    assert_eq!(cleo_ws.action_item_changed().await, done);
    assert!(inbox(&t.cleo).await.action_items.is_empty());

    // Dropping Bob's item from the note tells him it is gone (done).
    let mut bob_ws = t.bob.live_ws().await;
    let one = json!({
        "action_items": [
            {"text": "Renew the certificate", "owner_id": t.cleo_user.id, "due_at": due}
        ],
    });
    assert_eq!(put(&t.ada, &path, &one).await.status(), StatusCode::OK);
    let dropped = bob_ws.action_item_changed().await;
    assert_eq!((dropped.id, dropped.done), (bobs[0].id, true));
    assert!(inbox(&t.bob).await.action_items.is_empty());

    // The ended call's summary card takes over as the items' context; the summary
    // carries the note.
    ada_ws.join(meeting.id).await;
    ada_ws
        .meeting(MeetingRequest::Host {
            meeting_id: meeting.id,
            action: HostAction::End,
        })
        .await;
    let relinked = cleo_ws.action_item_changed().await;
    assert_eq!(relinked.id, item.id);
    let summary: MeetingSummary = t
        .cleo
        .get(&format!("/api/meetings/{}/summary", meeting.id))
        .await
        .json()
        .await
        .unwrap();
    let note = summary.note.expect("the note");
    assert_eq!(note.action_items.len(), 1);
    let thread: Thread = t
        .cleo
        .get(&format!("/api/messages/{root}/thread"))
        .await
        .json()
        .await
        .unwrap();
    let card = thread
        .replies
        .iter()
        .find(|m| m.summary_meeting_id.is_some())
        .unwrap();
    assert_eq!(relinked.message_id, Some(card.id));
}

//! What lives in a node's memory, across two nodes on one Postgres database: presence,
//! typing, a meeting and a whiteboard between people connected to different nodes,
//! and what happens to a room when the node holding it goes. Needs Postgres: under
//! SQLite it says so and returns (scripts/test-postgres.sh runs it for real).

use crate::common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;
use tandem_board::BoardState;
use tandem_protocol::boards::{
    Board, BoardId, BoardNotice, BoardOp, BoardRequest, Element, ElementKind, PageId,
};
use tandem_protocol::chat::Presence;
use tandem_protocol::meetings::{MeetingNotice, MeetingRequest, SdpKind, Signal};
use tandem_protocol::test_support::element;
use tandem_protocol::ws::{ClientFrame, ServerFrame};
use tandem_protocol::UserId;
use uuid::Uuid;

/// An SDP offer larger than a NOTIFY payload may be (it travels through a spilled row).
fn large_offer() -> Signal {
    Signal::Description {
        kind: SdpKind::Offer,
        sdp: format!(
            "v=0\r\n{}",
            "a=candidate:1 1 udp 1 127.0.0.1 9 typ host\r\n".repeat(400)
        ),
    }
}

fn small_offer() -> Signal {
    Signal::Description {
        kind: SdpKind::Offer,
        sdp: "v=0".into(),
    }
}

async fn presence_of(ws: &mut Ws, who: UserId, wanted: Presence) {
    loop {
        if let ServerFrame::PresenceChanged { user_id, presence } = ws.recv().await {
            if user_id == who && presence == wanted {
                return;
            }
        }
    }
}

/// The next board notice, skipping everything else.
async fn board_notice(ws: &mut Ws) -> BoardNotice {
    loop {
        if let ServerFrame::Board(notice) = ws.recv().await {
            return notice;
        }
    }
}

/// Opens the board: how many ops it has, and its first page.
async fn open_board(ws: &mut Ws, board_id: BoardId) -> (usize, PageId) {
    ws.send(&ClientFrame::Board(BoardRequest::Open {
        board_id,
        since: None,
        link_token: None,
    }))
    .await;
    match board_notice(ws).await {
        BoardNotice::Opened {
            ops,
            may_edit,
            snapshot,
            ..
        } => {
            assert!(may_edit, "a channel member may edit");
            let page = BoardState::replay(snapshot.as_ref(), &ops).pages()[0].id;
            (ops.len(), page)
        }
        other => panic!("expected opened, got {other:?}"),
    }
}

async fn add_element(ws: &mut Ws, board_id: BoardId, page: PageId, n: u128) {
    ws.send(&ClientFrame::Board(BoardRequest::Apply {
        board_id,
        op_id: Uuid::new_v4(),
        op: BoardOp::AddElement {
            element: Element {
                id: Uuid::new_v4(),
                ..element(n, ElementKind::Rectangle, 0.0, 0.0, 10.0, 10.0).on_page(page)
            },
        },
    }))
    .await;
}

async fn applied_rev(ws: &mut Ws) -> i64 {
    loop {
        match board_notice(ws).await {
            BoardNotice::Applied { op, .. } => return op.rev,
            BoardNotice::PeerLeft { .. } | BoardNotice::Pointer { .. } => {}
            other => panic!("expected applied, got {other:?}"),
        }
    }
}

/// The next meeting notice, skipping everything else.
async fn meeting_notice(ws: &mut Ws) -> MeetingNotice {
    loop {
        if let ServerFrame::Meeting(notice) = ws.recv().await {
            return notice;
        }
    }
}

#[tokio::test]
async fn presence_typing_a_meeting_and_a_board_work_across_nodes() {
    let first = spawn().await;
    if !first.database.is_postgres() {
        eprintln!("several nodes need Postgres: scripts/test-postgres.sh runs this test");
        return;
    }
    let (_dir, second) = first.another_node().await;

    let (ada, _) = first.admin().await;
    let (bo_first, bo) = first.member(&ada, "Bo", "bo@example.com").await;
    let bo_second = bo_first.on(&second);
    let room = ada.create_channel("room", "public", &[bo.id]).await;
    let mut ada_ws = ada.live_ws().await;
    ada_ws.keep_presence = true;

    // Presence and typing: Bo connects to the second node, Ada sees both on the first.
    let mut bo_ws = bo_second.live_ws().await;
    presence_of(&mut ada_ws, bo.id, Presence::Online).await;
    bo_ws
        .send(&ClientFrame::Typing {
            channel_id: room.id,
            thread_root_id: None,
        })
        .await;
    loop {
        if let ServerFrame::Typing { user_id, .. } = ada_ws.recv().await {
            assert_eq!(user_id, bo.id);
            break;
        }
    }

    // A meeting held by the first node (where it was started); Bo joins from the second.
    let meeting = ada.start_meeting(room.id).await;
    let (ada_pid, _) = ada_ws.join(meeting.id).await;
    bo_ws
        .send(&ClientFrame::Meeting(MeetingRequest::Join {
            meeting_id: meeting.id,
            media: Default::default(),
        }))
        .await;
    let (bo_pid, participants) = match meeting_notice(&mut bo_ws).await {
        MeetingNotice::Joined {
            you, participants, ..
        } => (you, participants),
        other => panic!("expected joined, got {other:?}"),
    };
    assert!(participants.iter().any(|p| p.id == ada_pid), "Bo sees Ada");
    // Ada is told, and sees him in the meeting (his presence, set where the room is).
    let (mut joined, mut in_meeting) = (false, false);
    while !(joined && in_meeting) {
        match ada_ws.recv().await {
            ServerFrame::Meeting(MeetingNotice::ParticipantJoined { participant, .. }) => {
                assert_eq!(participant.id, bo_pid);
                joined = true;
            }
            ServerFrame::PresenceChanged { user_id, presence } if user_id == bo.id => {
                in_meeting = presence == Presence::InMeeting;
            }
            _ => {}
        }
    }
    // Signalling both ways, one of them too large for a notification payload.
    ada_ws
        .meeting(MeetingRequest::Signal {
            meeting_id: meeting.id,
            to: bo_pid,
            signal: small_offer(),
        })
        .await;
    match meeting_notice(&mut bo_ws).await {
        MeetingNotice::Signal { from, signal, .. } => {
            assert_eq!((from, signal), (ada_pid, small_offer()));
        }
        other => panic!("expected Ada's signal, got {other:?}"),
    }
    bo_ws
        .send(&ClientFrame::Meeting(MeetingRequest::Signal {
            meeting_id: meeting.id,
            to: ada_pid,
            signal: large_offer(),
        }))
        .await;
    match meeting_notice(&mut ada_ws).await {
        MeetingNotice::Signal { from, signal, .. } => {
            assert_eq!(from, bo_pid);
            assert!(signal == large_offer(), "the large offer arrives whole");
        }
        other => panic!("expected Bo's signal, got {other:?}"),
    }
    // REST about the meeting, sent to the other node, is served by the room's: the
    // card shows both, and the host may record from there.
    let now: tandem_protocol::meetings::Meeting = bo_second
        .get(&format!("/api/meetings/{}", meeting.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(now.present.len(), 2, "{:?}", now.present);
    let recording = ada.on(&second).start_recording(meeting.id).await;
    assert_eq!(recording.meeting_id, meeting.id);

    // A board: Bo opens it first (its room is then on the second node), Ada from the
    // first; each one's ops reach the other, in one rev order.
    let response = ada
        .post(
            &format!("/api/channels/{}/boards", room.id),
            &json!({ "title": "Plan" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let board: Board = response.json().await.unwrap();
    // A new board has its first page (an op) already.
    let (initial, page) = open_board(&mut bo_ws, board.id).await;
    assert_eq!(open_board(&mut ada_ws, board.id).await, (initial, page));
    add_element(&mut ada_ws, board.id, page, 1).await;
    let rev = applied_rev(&mut ada_ws).await;
    assert_eq!(applied_rev(&mut bo_ws).await, rev);
    add_element(&mut bo_ws, board.id, page, 2).await;
    let next = applied_rev(&mut bo_ws).await;
    assert_eq!(applied_rev(&mut ada_ws).await, next);
    assert!(next > rev);

    // The second node goes. Ada's socket used its board room: it is closed, and on
    // reconnecting she opens the board where it is held now, with both ops.
    drop(bo_ws);
    drop(second);
    let code = ada_ws.close_code_after_frames().await;
    assert_eq!(code, Some(1001), "closed as going away");
    let mut ada_ws = ada.live_ws().await;
    assert_eq!(open_board(&mut ada_ws, board.id).await.0, initial + 2);
}

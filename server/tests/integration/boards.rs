//! Whiteboards: who may view and edit, op ordering over real WebSockets, refusals,
//! late joiners and compaction (checked by replaying with tandem-board), the board at
//! a moment, read-only links, deletion and a meeting's board (its guests draw on it).

use crate::common;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::*;
use reqwest::StatusCode;
use serde_json::json;
use tandem_board::BoardState;
use tandem_protocol::api::User;
use tandem_protocol::boards::{
    Board, BoardId, BoardLink, BoardNotice, BoardOp, BoardOpsPage, BoardPeer, BoardRequest,
    BoardSnapshot, CreatedBoardLink, Element, ElementKind, ElementPatch, Page, PageId, SequencedOp,
};
use tandem_protocol::meetings::{CreatedGuestInvite, HostAction, Meeting, MeetingRequest};
use tandem_protocol::test_support::{element, pt};
use tandem_protocol::ws::{ClientFrame, Event, ServerFrame, CLOSE_SESSION_ENDED};
use tandem_protocol::ErrorCode;
use tandem_server::Config;
use uuid::Uuid;

// ---- helpers ----

struct Opened {
    board: Board,
    may_edit: bool,
    snapshot: Option<BoardSnapshot>,
    ops: Vec<SequencedOp>,
    peers: Vec<BoardPeer>,
}

impl Opened {
    fn state(&self) -> BoardState {
        BoardState::replay(self.snapshot.as_ref(), &self.ops)
    }

    fn first_page(&self) -> PageId {
        self.state().pages()[0].id
    }
}

impl Ws {
    /// The next board notice, skipping events and other traffic.
    async fn board(&mut self) -> BoardNotice {
        loop {
            match self.recv().await {
                ServerFrame::Board(notice) => return notice,
                ServerFrame::Event(_)
                | ServerFrame::Ack { .. }
                | ServerFrame::Typing { .. }
                | ServerFrame::Meeting(_) => continue,
                other => panic!("expected a board notice, got {other:?}"),
            }
        }
    }

    async fn send_board(&mut self, request: BoardRequest) {
        self.send(&ClientFrame::Board(request)).await;
    }

    async fn try_open(
        &mut self,
        board_id: BoardId,
        since: Option<i64>,
        link_token: Option<&str>,
    ) -> BoardNotice {
        self.send_board(BoardRequest::Open {
            board_id,
            since,
            link_token: link_token.map(String::from),
        })
        .await;
        self.board().await
    }

    async fn open_with(
        &mut self,
        board_id: BoardId,
        since: Option<i64>,
        link_token: Option<&str>,
    ) -> Opened {
        match self.try_open(board_id, since, link_token).await {
            BoardNotice::Opened {
                board,
                may_edit,
                snapshot,
                ops,
                peers,
            } => Opened {
                board,
                may_edit,
                snapshot,
                ops,
                peers,
            },
            other => panic!("expected opened, got {other:?}"),
        }
    }

    async fn open(&mut self, board_id: BoardId) -> Opened {
        self.open_with(board_id, None, None).await
    }

    /// Sends an op and returns its op id (without waiting).
    async fn apply(&mut self, board_id: BoardId, op: BoardOp) -> Uuid {
        let op_id = Uuid::new_v4();
        self.send_board(BoardRequest::Apply {
            board_id,
            op_id,
            op,
        })
        .await;
        op_id
    }

    async fn applied(&mut self) -> SequencedOp {
        match self.board().await {
            BoardNotice::Applied { op, .. } => op,
            other => panic!("expected applied, got {other:?}"),
        }
    }

    /// Sends an op and waits for it to come back applied.
    async fn apply_ok(&mut self, board_id: BoardId, op: BoardOp) -> SequencedOp {
        let op_id = self.apply(board_id, op).await;
        let applied = self.applied().await;
        assert_eq!(applied.op_id, op_id);
        applied
    }

    async fn refused(&mut self) -> (Option<Uuid>, ErrorCode) {
        match self.board().await {
            BoardNotice::Refused { op_id, code, .. } => (op_id, code),
            other => panic!("expected refused, got {other:?}"),
        }
    }

    /// Proves no board notice is queued: the pong comes first.
    async fn assert_no_board_notice_until_pong(&mut self, nonce: u64) {
        self.send(&ClientFrame::Ping { nonce }).await;
        loop {
            match self.recv().await {
                ServerFrame::Pong { nonce: n } if n == nonce => return,
                ServerFrame::Board(notice) => panic!("unexpected board notice {notice:?}"),
                _ => continue,
            }
        }
    }
}

impl Client {
    async fn create_board(&self, channel: Uuid, title: &str) -> Board {
        let response = self
            .post(
                &format!("/api/channels/{channel}/boards"),
                &json!({ "title": title }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.unwrap()
    }

    async fn board_ops(&self, board: BoardId, query: &str) -> BoardOpsPage {
        let response = self.get(&format!("/api/boards/{board}/ops{query}")).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }

    async fn board_link(&self, board: BoardId, minutes: Option<u32>) -> CreatedBoardLink {
        let response = self
            .post(
                &format!("/api/boards/{board}/links"),
                &json!({ "expires_in_minutes": minutes }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.unwrap()
    }
}

/// A stroke with a fresh random id and 20 points.
fn stroke(page: PageId, n: u32) -> Element {
    let (x, y) = (f64::from(n), f64::from(n) * 2.0);
    let points = (0..20)
        .map(|i| pt(f64::from(i), f64::from((i * 7 + n) % 20)))
        .collect();
    Element {
        id: Uuid::new_v4(),
        ..element(n.into(), ElementKind::Stroke, x, y, 20.0, 20.0)
            .on_page(page)
            .with_points(points)
    }
}

fn add(page: PageId, n: u32) -> BoardOp {
    BoardOp::AddElement {
        element: stroke(page, n),
    }
}

fn move_to(id: Uuid, x: f64) -> BoardOp {
    BoardOp::UpdateElement {
        id,
        version: 0,
        patch: ElementPatch {
            x: Some(x),
            ..Default::default()
        },
    }
}

/// A mix of adds, moves, restyles, reorders, deletes and a second page.
fn script(page: PageId, n: u32) -> Vec<BoardOp> {
    let mut ops = Vec::new();
    let mut added = Vec::new();
    for i in 0..n {
        let op = match i % 6 {
            0..=2 => {
                let op = add(page, i);
                if let BoardOp::AddElement { element } = &op {
                    added.push(element.id);
                }
                op
            }
            3 => move_to(added[added.len() - 1], f64::from(i) * 3.0),
            4 => BoardOp::ReorderElement {
                id: added[0],
                version: 0,
                z: f64::from(i) + 0.5,
            },
            _ => BoardOp::DeleteElement {
                id: added[added.len() - 2],
                version: 0,
            },
        };
        ops.push(op);
    }
    ops.push(BoardOp::AddPage {
        page: Page {
            id: Uuid::new_v4(),
            name: "Ideas".into(),
            order: 2.0,
        },
    });
    ops
}

async fn spawn_with_clock(configure: impl FnOnce(&mut Config)) -> (TestServer, Arc<AtomicI64>) {
    let now = Arc::new(AtomicI64::new(tandem_server::db::now_ms()));
    let clock = {
        let now = now.clone();
        Arc::new(move || now.load(Ordering::SeqCst)) as tandem_server::state::Clock
    };
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::new().await;
    let mut config = Config::with_data_dir(dir.path());
    config.addr = "127.0.0.1:0".parse().unwrap();
    database.configure(&mut config);
    configure(&mut config);
    let server = tandem_server::start_with_clock(config, clock)
        .await
        .unwrap();
    (
        TestServer {
            server,
            dir,
            database,
        },
        now,
    )
}

async fn guest_of(ts: &TestServer, host: &Client, meeting: &Meeting, name: &str) -> Client {
    let response = host
        .post(
            &format!("/api/meetings/{}/guest-invites", meeting.id),
            &json!({"expires_in_minutes": 60}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let invite: CreatedGuestInvite = response.json().await.unwrap();
    let guest = ts.client();
    let response = guest
        .post(
            &format!("/api/guest/{}", invite.token),
            &json!({"display_name": name}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    guest
}

// ---- tests ----

#[tokio::test]
async fn members_edit_others_need_a_link_and_a_link_only_lets_them_watch() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let (bob, bob_user) = ts.member(&admin, "Bob", "bob@example.com").await;
    let (carol, _) = ts.member(&admin, "Carol", "carol@example.com").await;
    let channel = admin
        .create_channel("design", "private", &[bob_user.id])
        .await;
    let board = admin.create_board(channel.id, "  Sprint plan  ").await;
    assert_eq!((board.title.as_str(), board.rev), ("Sprint plan", 1));

    // A member of the channel opens it as an editor and draws.
    let mut bob_ws = bob.live_ws().await;
    let opened = bob_ws.open(board.id).await;
    assert!(opened.may_edit);
    assert!(opened.snapshot.is_none());
    assert_eq!(opened.ops.len(), 1, "the first page is rev 1");
    let page = opened.first_page();
    let first = bob_ws.apply_ok(board.id, add(page, 1)).await;
    assert_eq!(first.rev, 2);
    assert_eq!(first.author, Some(bob_user.id));

    // Carol is in the workspace but not in the private channel: to her the board does
    // not exist (404, as for the channel's messages).
    let mut carol_ws = carol.live_ws().await;
    assert!(matches!(
        carol_ws.try_open(board.id, None, None).await,
        BoardNotice::Refused {
            code: ErrorCode::NotFound,
            op_id: None,
            ..
        }
    ));
    for path in [
        format!("/api/boards/{}", board.id),
        format!("/api/boards/{}/state", board.id),
        format!("/api/boards/{}/ops", board.id),
    ] {
        assert_eq!(
            carol.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let rename = carol
        .patch(
            &format!("/api/boards/{}", board.id),
            &json!({"title": "Mine"}),
        )
        .await;
    assert_eq!(rename.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        carol
            .get(&format!("/api/boards/{}/links", board.id))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // Unknown boards are 404 / not_found.
    let unknown = Uuid::new_v4();
    assert_eq!(
        carol.get(&format!("/api/boards/{unknown}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(matches!(
        carol_ws.try_open(unknown, None, None).await,
        BoardNotice::Refused {
            code: ErrorCode::NotFound,
            ..
        }
    ));

    // With a read-only link she watches, and sees the board as it is.
    let link = admin.board_link(board.id, None).await;
    let resolved: Board = carol
        .get(&format!("/api/board-links/{}", link.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(resolved.id, board.id);
    let watching = carol_ws.open_with(board.id, None, Some(&link.token)).await;
    assert!(!watching.may_edit);
    assert_eq!(watching.board.rev, 2);
    assert_eq!(watching.peers.len(), 1);
    assert_eq!(watching.peers[0].display_name, "Bob");
    assert_eq!(watching.state().element_count(), 1);
    // … but may not draw: refused with her op id, nothing stored, nobody told.
    let op_id = carol_ws.apply(board.id, add(page, 2)).await;
    assert_eq!(
        carol_ws.refused().await,
        (Some(op_id), ErrorCode::Forbidden)
    );
    assert_eq!(admin.board_ops(board.id, "").await.ops.len(), 2);
    bob_ws.assert_no_board_notice_until_pong(1).await;

    // She sees what editors draw, live; a link does not open REST reads.
    let second = bob_ws.apply_ok(board.id, add(page, 3)).await;
    assert_eq!(carol_ws.applied().await, second);
    assert_eq!(
        carol
            .get(&format!("/api/boards/{}", board.id))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // Pointers reach the others, never the sender, and are not stored.
    bob_ws
        .send_board(BoardRequest::Pointer {
            board_id: board.id,
            page_id: page,
            x: 10.0,
            y: 20.0,
            viewport: None,
        })
        .await;
    match carol_ws.board().await {
        BoardNotice::Pointer { peer, x, y, .. } => {
            assert_eq!((peer.display_name.as_str(), x, y), ("Bob", 10.0, 20.0));
        }
        other => panic!("expected a pointer, got {other:?}"),
    }
    bob_ws.assert_no_board_notice_until_pong(2).await;

    // Only the creator or an admin deletes.
    assert_eq!(
        bob.delete(&format!("/api/boards/{}", board.id))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    // Closing tells the others.
    let carol_connection = bob_ws_peer_id(&mut bob_ws, &mut carol_ws, board.id, page).await;
    carol_ws
        .send_board(BoardRequest::Close { board_id: board.id })
        .await;
    assert_eq!(
        bob_ws.board().await,
        BoardNotice::PeerLeft {
            board_id: board.id,
            connection_id: carol_connection,
        }
    );
    assert_eq!(ts.server.state.boards.rooms.open_count(), 1);
    drop(bob_ws);
    // The socket ending leaves the board; the room goes once nobody has it open.
    for _ in 0..100 {
        if ts.server.state.boards.rooms.open_count() == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(ts.server.state.boards.rooms.open_count(), 0);
}

/// Carol's connection id, learnt from the pointer she sends to Bob.
async fn bob_ws_peer_id(bob: &mut Ws, carol: &mut Ws, board_id: BoardId, page: PageId) -> Uuid {
    carol
        .send_board(BoardRequest::Pointer {
            board_id,
            page_id: page,
            x: 1.0,
            y: 1.0,
            viewport: None,
        })
        .await;
    match bob.board().await {
        BoardNotice::Pointer { peer, .. } => peer.connection_id,
        other => panic!("expected a pointer, got {other:?}"),
    }
}

#[tokio::test]
async fn a_meeting_has_one_board_and_its_guests_draw_on_it() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let channel = admin.create_channel("standup", "public", &[]).await;
    let meeting = admin.start_meeting(channel.id).await;
    assert_eq!(meeting.board_id, None);
    let mut admin_ws = admin.live_ws().await;

    let path = format!("/api/meetings/{}/board", meeting.id);
    let first = admin.post(&path, &json!({})).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let board: Board = first.json().await.unwrap();
    assert_eq!(board.meeting_id, Some(meeting.id));
    assert_eq!(board.title, format!("Whiteboard: {}", meeting.title));
    let again = admin.post(&path, &json!({})).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.json::<Board>().await.unwrap().id, board.id);
    // The meeting now carries its board, for everyone in it.
    assert_eq!(admin_ws.meeting_update().await.board_id, Some(board.id));
    let fetched: Meeting = admin
        .get(&format!("/api/meetings/{}", meeting.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(fetched.board_id, Some(board.id));

    // A guest of the meeting draws on its board, and the host sees the stroke live.
    let host_view = admin_ws.open(board.id).await;
    assert!(host_view.may_edit);
    let guest = guest_of(&ts, &admin, &meeting, "Gina Guest").await;
    let guest_user: User = guest.get("/api/auth/me").await.json().await.unwrap();
    let mut guest_ws = guest.live_ws().await;
    let drawing = guest_ws.open(board.id).await;
    assert!(drawing.may_edit);
    let page = drawing.first_page();
    let stroke_op = guest_ws.apply_ok(board.id, add(page, 1)).await;
    assert_eq!(stroke_op.author, Some(guest_user.id));
    assert_eq!(admin_ws.applied().await, stroke_op);
    // … and changes it like anyone else (move, then delete).
    let BoardOp::AddElement { element } = &stroke_op.op else {
        unreachable!()
    };
    let moved = guest_ws
        .apply_ok(board.id, move_to(element.id, 300.0))
        .await;
    assert_eq!(admin_ws.applied().await, moved);
    assert_eq!(admin.board_ops(board.id, "").await.ops.len(), 3);

    // Drawing is all: renaming the board or making one stays with members.
    assert_eq!(
        guest
            .get(&format!("/api/boards/{}", board.id))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        guest
            .patch(&format!("/api/boards/{}", board.id), &json!({"title": "x"}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        guest.post(&path, &json!({})).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        guest
            .post(&format!("/api/boards/{}/links", board.id), &json!({}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    // Never a channel board, even in the meeting's own channel: opening it is refused,
    // and an op for it is refused with its op id and nothing is stored.
    let channel_board = admin.create_board(channel.id, "Backlog").await;
    match guest_ws.try_open(channel_board.id, None, None).await {
        BoardNotice::Refused {
            code: ErrorCode::Forbidden,
            op_id: None,
            message,
            ..
        } => assert_eq!(message, "You do not have access to this board."),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let op_id = guest_ws
        .apply(channel_board.id, add(Uuid::new_v4(), 2))
        .await;
    match guest_ws.board().await {
        BoardNotice::Refused {
            board_id,
            op_id: refused,
            code: ErrorCode::NotFound,
            message,
        } => {
            assert_eq!((board_id, refused), (channel_board.id, Some(op_id)));
            assert_eq!(message, "Open the board first.");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(admin.board_ops(channel_board.id, "").await.ops.len(), 1);

    // A guest of another meeting sees nothing of it.
    let other_channel = admin.create_channel("sales", "public", &[]).await;
    let other_meeting = admin.start_meeting(other_channel.id).await;
    let stranger = guest_of(&ts, &admin, &other_meeting, "Sam Stranger").await;
    let mut stranger_ws = stranger.live_ws().await;
    assert!(matches!(
        stranger_ws.try_open(board.id, None, None).await,
        BoardNotice::Refused {
            code: ErrorCode::Forbidden,
            ..
        }
    ));
    let op_id = stranger_ws.apply(board.id, add(page, 3)).await;
    assert_eq!(
        stranger_ws.refused().await,
        (Some(op_id), ErrorCode::NotFound)
    );
    assert_eq!(
        stranger
            .get(&format!("/api/boards/{}", board.id))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    // Not even through a read-only link (guests stay inside their meeting).
    let link = admin.board_link(board.id, None).await;
    assert_eq!(
        stranger
            .get(&format!("/api/board-links/{}", link.token))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert!(matches!(
        stranger_ws
            .try_open(board.id, None, Some(&link.token))
            .await,
        BoardNotice::Refused {
            code: ErrorCode::Forbidden,
            ..
        }
    ));
    assert_eq!(
        guest
            .get(&format!("/api/board-links/{}", link.token))
            .await
            .status(),
        StatusCode::OK
    );

    // A read-only link stays read-only for everyone: the guest, and the host too, only
    // watch a board they open through it.
    let watching = guest_ws.open_with(board.id, None, Some(&link.token)).await;
    assert!(!watching.may_edit);
    let op_id = guest_ws.apply(board.id, add(page, 4)).await;
    assert_eq!(
        guest_ws.refused().await,
        (Some(op_id), ErrorCode::Forbidden)
    );
    let mut host_link_ws = admin.live_ws().await;
    let host_watching = host_link_ws
        .open_with(board.id, None, Some(&link.token))
        .await;
    assert!(!host_watching.may_edit);
    let op_id = host_link_ws.apply(board.id, add(page, 5)).await;
    assert_eq!(
        host_link_ws.refused().await,
        (Some(op_id), ErrorCode::Forbidden)
    );
    assert_eq!(admin.board_ops(board.id, "").await.ops.len(), 3);
    // Opened again without the link, the guest draws again.
    assert!(guest_ws.open(board.id).await.may_edit);
    drop(host_link_ws);

    // Deleting the meeting's board takes it off the meeting, and the guest is closed.
    let deleted = admin.delete(&format!("/api/boards/{}", board.id)).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    loop {
        match guest_ws.board().await {
            BoardNotice::Closed { board_id } if board_id == board.id => break,
            // The host's link socket, dropped above, left.
            BoardNotice::PeerLeft { .. } => continue,
            other => panic!("expected closed, got {other:?}"),
        }
    }
    assert_eq!(admin_ws.meeting_update().await.board_id, None);
    // A new one can be made afterwards.
    let fresh = admin.post(&path, &json!({})).await;
    assert_eq!(fresh.status(), StatusCode::CREATED);
    assert_ne!(fresh.json::<Board>().await.unwrap().id, board.id);
}

#[tokio::test]
async fn a_guest_stops_drawing_when_the_meeting_ends() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let channel = admin.create_channel("review", "public", &[]).await;
    let meeting = admin.start_meeting(channel.id).await;
    let board: Board = admin
        .post(&format!("/api/meetings/{}/board", meeting.id), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let guest = guest_of(&ts, &admin, &meeting, "Gus Guest").await;
    let mut guest_ws = guest.live_ws().await;
    let page = guest_ws.open(board.id).await.first_page();
    guest_ws.apply_ok(board.id, add(page, 1)).await;

    // The meeting ends a moment before the guest's socket is closed: an op racing the
    // close is refused. (Ended here in the database alone, so the socket stays open.)
    let db = ts.db().await;
    sqlx::query("UPDATE meetings SET ended_at = $1 WHERE id = $2")
        .bind(tandem_server::db::now_ms())
        .bind(meeting.id.to_string())
        .execute(&db)
        .await
        .unwrap();
    let op_id = guest_ws.apply(board.id, add(page, 2)).await;
    match guest_ws.board().await {
        BoardNotice::Refused {
            op_id: refused,
            code: ErrorCode::Forbidden,
            message,
            ..
        } => {
            assert_eq!(refused, Some(op_id));
            assert!(message.contains("meeting has ended"), "{message}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(admin.board_ops(board.id, "").await.ops.len(), 2);
    sqlx::query("UPDATE meetings SET ended_at = NULL WHERE id = $1")
        .bind(meeting.id.to_string())
        .execute(&db)
        .await
        .unwrap();

    // Ended for real: the guest's session ends, and with it the board.
    let mut admin_ws = admin.live_ws().await;
    admin_ws.join(meeting.id).await;
    admin_ws
        .meeting(MeetingRequest::Host {
            meeting_id: meeting.id,
            action: HostAction::End,
        })
        .await;
    assert_eq!(
        guest_ws.close_code_after_frames().await,
        Some(CLOSE_SESSION_ENDED)
    );
    assert_eq!(
        guest
            .get(&format!("/api/boards/{}", board.id))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert!(guest.try_ws().await.is_err(), "no new socket either");
    // The board stays, with what the guest drew, for the channel.
    let mut host_board_ws = admin.live_ws().await;
    let kept = host_board_ws.open(board.id).await;
    assert_eq!(kept.state().element_count(), 1);
}

/// Sends every op without waiting, then reads `total` applied ops.
async fn send_all_then_collect(
    ws: &mut Ws,
    board_id: BoardId,
    ops: Vec<BoardOp>,
    total: usize,
) -> (Vec<(Uuid, BoardOp)>, Vec<SequencedOp>) {
    let mut sent = Vec::new();
    for op in ops {
        sent.push((ws.apply(board_id, op.clone()).await, op));
    }
    let mut seen = Vec::new();
    while seen.len() < total {
        seen.push(ws.applied().await);
    }
    (sent, seen)
}

#[tokio::test]
async fn concurrent_editors_see_the_same_gapless_order_and_retries_apply_once() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let (bob, bob_user) = ts.member(&admin, "Bob", "bob@example.com").await;
    let channel = admin
        .create_channel("general", "public", &[bob_user.id])
        .await;
    let board = admin.create_board(channel.id, "Both of us").await;
    let mut a = admin.live_ws().await;
    let mut b = bob.live_ws().await;
    let page = a.open(board.id).await.first_page();
    b.open(board.id).await;

    const EACH: u32 = 25;
    let a_ops = (0..EACH).map(|i| add(page, i)).collect();
    let b_ops = (0..EACH).map(|i| add(page, 1_000 + i)).collect();
    let total = 2 * EACH as usize;
    let ((a_sent, a_seen), (_, b_seen)) = tokio::join!(
        send_all_then_collect(&mut a, board.id, a_ops, total),
        send_all_then_collect(&mut b, board.id, b_ops, total)
    );
    assert_eq!(a_seen, b_seen, "both sockets see one order");
    let revs: Vec<i64> = a_seen.iter().map(|op| op.rev).collect();
    assert_eq!(revs, (2..2 + 2 * i64::from(EACH)).collect::<Vec<_>>());

    // A retried op id is answered with the stored op, to the sender only.
    let (op_id, op) = a_sent[3].clone();
    let stored = a_seen.iter().find(|s| s.op_id == op_id).unwrap().clone();
    a.send_board(BoardRequest::Apply {
        board_id: board.id,
        op_id,
        op,
    })
    .await;
    assert_eq!(a.applied().await, stored);
    a.assert_no_board_notice_until_pong(1).await;
    b.assert_no_board_notice_until_pong(2).await;
    let all = admin.board_ops(board.id, "?limit=5000").await;
    assert_eq!(all.ops.len(), 1 + 2 * EACH as usize);
    assert!(!all.more);
}

#[tokio::test]
async fn invalid_ops_are_refused_and_nothing_is_stored() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let channel = admin.create_channel("general", "public", &[]).await;
    let board = admin.create_board(channel.id, "Careful").await;
    let mut ws = admin.live_ws().await;
    let page = ws.open(board.id).await.first_page();

    // NaN: the browser's JSON writes it as null.
    let op_id = Uuid::new_v4();
    let mut frame = serde_json::to_value(ClientFrame::Board(BoardRequest::Apply {
        board_id: board.id,
        op_id,
        op: add(page, 1),
    }))
    .unwrap();
    frame["op"]["element"]["x"] = serde_json::Value::Null;
    ws.send_text(&frame.to_string()).await;
    assert_eq!(ws.refused().await, (Some(op_id), ErrorCode::Validation));

    // Out of range, empty updates, unknown elements and pages, duplicate ids.
    let mut far = stroke(page, 2);
    far.x = 1.0e9;
    let placed = ws.apply_ok(board.id, add(page, 3)).await;
    let BoardOp::AddElement { element: existing } = placed.op.clone() else {
        unreachable!()
    };
    let cases = [
        (BoardOp::AddElement { element: far }, ErrorCode::Validation),
        (
            BoardOp::UpdateElement {
                id: existing.id,
                version: 2,
                patch: ElementPatch::default(),
            },
            ErrorCode::Validation,
        ),
        (move_to(Uuid::new_v4(), 5.0), ErrorCode::NotFound),
        (
            BoardOp::DeleteElement {
                id: Uuid::new_v4(),
                version: 0,
            },
            ErrorCode::NotFound,
        ),
        (add(Uuid::new_v4(), 4), ErrorCode::NotFound),
        (
            BoardOp::AddElement {
                element: existing.clone(),
            },
            ErrorCode::Conflict,
        ),
        (
            BoardOp::DeletePage { id: Uuid::new_v4() },
            ErrorCode::NotFound,
        ),
    ];
    for (op, code) in cases {
        let op_id = ws.apply(board.id, op.clone()).await;
        assert_eq!(ws.refused().await, (Some(op_id), code), "{op:?}");
    }
    // An element on a deleted page cannot be added to it.
    ws.apply_ok(board.id, BoardOp::DeletePage { id: page })
        .await;
    let op_id = ws.apply(board.id, add(page, 5)).await;
    assert_eq!(ws.refused().await, (Some(op_id), ErrorCode::NotFound));

    // A board that was deleted takes no more ops.
    assert_eq!(
        admin
            .delete(&format!("/api/boards/{}", board.id))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(ws.board().await, BoardNotice::Closed { board_id: board.id });
    let op_id = ws.apply(board.id, move_to(existing.id, 1.0)).await;
    assert_eq!(ws.refused().await, (Some(op_id), ErrorCode::NotFound));

    // Only the valid ops were stored: the first page, one add and the page delete.
    let db = ts.db().await;
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM board_ops WHERE board_id = $1")
        .bind(board.id.to_string())
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(count, 3);
}

#[tokio::test]
async fn a_late_joiner_rebuilds_exactly_what_everyone_saw() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let channel = admin.create_channel("general", "public", &[]).await;
    let board = admin.create_board(channel.id, "History").await;
    let mut ws = admin.live_ws().await;
    let opened = ws.open(board.id).await;
    let mut seen = opened.ops.clone();
    for op in script(opened.first_page(), 60) {
        seen.push(ws.apply_ok(board.id, op).await);
    }
    let everything = BoardState::replay(None, &seen).snapshot();
    assert_eq!(everything.rev, 62);

    let mut late = admin.live_ws().await;
    let joined = late.open(board.id).await;
    assert_eq!(joined.board.rev, 62);
    assert_eq!(joined.peers.len(), 1);
    assert_eq!(joined.state().snapshot(), everything);

    // With `since`, only what came after.
    let mut resumed = admin.live_ws().await;
    let since = resumed.open_with(board.id, Some(40), None).await;
    assert!(since.snapshot.is_none());
    assert_eq!(
        since.ops.iter().map(|op| op.rev).collect::<Vec<_>>(),
        (41..=62).collect::<Vec<_>>()
    );
    let head = BoardState::replay(None, &seen[..40]).snapshot();
    assert_eq!(
        BoardState::replay(Some(&head), &since.ops).snapshot(),
        everything
    );
    // A position the server does not know gets the whole board instead.
    let mut confused = admin.live_ws().await;
    let full = confused.open_with(board.id, Some(500), None).await;
    assert_eq!(full.state().snapshot(), everything);

    // The REST state (now) is the same board.
    let now: BoardSnapshot = admin
        .get(&format!("/api/boards/{}/state", board.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(now, everything);
}

#[tokio::test]
async fn compaction_snapshots_in_the_background_and_keeps_every_op() {
    let ts = spawn_with(|config| config.board_snapshot_every = 10).await;
    let (admin, _) = ts.admin().await;
    let channel = admin.create_channel("general", "public", &[]).await;
    let board = admin.create_board(channel.id, "Compacted").await;
    let mut ws = admin.live_ws().await;
    let opened = ws.open(board.id).await;
    let mut seen = opened.ops.clone();
    for op in script(opened.first_page(), 24) {
        seen.push(ws.apply_ok(board.id, op).await);
    }
    assert_eq!(seen.len(), 26);
    let everything = BoardState::replay(None, &seen).snapshot();

    let mut joined = None;
    for _ in 0..100 {
        let mut late = admin.live_ws().await;
        let opened = late.open(board.id).await;
        if opened.snapshot.as_ref().is_some_and(|s| s.rev >= 20) {
            joined = Some(opened);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let joined = joined.expect("a snapshot at rev 20 or later");
    let snapshot_rev = joined.snapshot.as_ref().unwrap().rev;
    let revs: Vec<i64> = joined.ops.iter().map(|op| op.rev).collect();
    assert_eq!(revs, (snapshot_rev + 1..=26).collect::<Vec<_>>());
    assert_eq!(joined.state().snapshot(), everything);
    // Ops are kept after compaction.
    assert_eq!(admin.board_ops(board.id, "").await.ops, seen);
}

#[tokio::test]
async fn the_board_at_a_moment_and_its_ops_in_pages() {
    let (ts, clock) = spawn_with_clock(|_| {}).await;
    let (admin, _) = ts.admin().await;
    let channel = admin.create_channel("general", "public", &[]).await;
    let t0 = clock.load(Ordering::SeqCst);
    let board = admin.create_board(channel.id, "Timeline").await;
    let mut ws = admin.live_ws().await;
    let page = ws.open(board.id).await.first_page();
    let mut at = Vec::new();
    for n in 1..=3 {
        clock.fetch_add(60_000, Ordering::SeqCst);
        let op = ws.apply_ok(board.id, add(page, n)).await;
        assert_eq!(op.at, clock.load(Ordering::SeqCst));
        at.push(op.at);
    }
    let state = |t: i64| {
        let admin = &admin;
        let id = board.id;
        async move {
            let response = admin.get(&format!("/api/boards/{id}/state?at={t}")).await;
            assert_eq!(response.status(), StatusCode::OK);
            response.json::<BoardSnapshot>().await.unwrap()
        }
    };
    let at_t2 = state(at[1]).await;
    assert_eq!((at_t2.rev, at_t2.elements.len()), (3, 2));
    let just_before_t2 = state(at[1] - 1).await;
    assert_eq!((just_before_t2.rev, just_before_t2.elements.len()), (2, 1));
    let at_start = state(t0).await;
    assert_eq!(
        (at_start.rev, at_start.pages.len(), at_start.elements.len()),
        (1, 1, 0)
    );
    let before_anything = state(t0 - 1).await;
    assert_eq!((before_anything.rev, before_anything.pages.len()), (0, 0));
    assert_eq!(state(at[2]).await.elements.len(), 3);

    let first = admin.board_ops(board.id, "?after=0&limit=2").await;
    assert_eq!(
        first.ops.iter().map(|op| op.rev).collect::<Vec<_>>(),
        [1, 2]
    );
    assert!(first.more);
    let rest = admin.board_ops(board.id, "?after=2&limit=2").await;
    assert_eq!(rest.ops.iter().map(|op| op.rev).collect::<Vec<_>>(), [3, 4]);
    assert!(!rest.more);
    assert!(admin.board_ops(board.id, "?after=4").await.ops.is_empty());
    for (query, status) in [
        ("?limit=0", StatusCode::UNPROCESSABLE_ENTITY),
        ("?limit=5001", StatusCode::UNPROCESSABLE_ENTITY),
        ("?after=-1", StatusCode::UNPROCESSABLE_ENTITY),
        ("?limit=many", StatusCode::BAD_REQUEST),
    ] {
        let response = admin
            .get(&format!("/api/boards/{}/ops{query}", board.id))
            .await;
        assert_eq!(response.status(), status, "{query}");
        assert!(error_body(response).await.message.len() > 3);
    }
    assert_eq!(
        admin
            .get(&format!("/api/boards/{}/state?at=soon", board.id))
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn links_are_revoked_expire_and_unknown_ones_are_404() {
    let (ts, clock) = spawn_with_clock(|_| {}).await;
    let (admin, _) = ts.admin().await;
    let (dave, _) = ts.member(&admin, "Dave", "dave@example.com").await;
    let channel = admin.create_channel("secret", "private", &[]).await;
    let board = admin.create_board(channel.id, "Plans").await;

    let resolve = |token: &str| {
        let path = format!("/api/board-links/{token}");
        let dave = &dave;
        async move { dave.get(&path).await.status() }
    };
    assert_eq!(resolve("no-such-token").await, StatusCode::NOT_FOUND);
    assert_eq!(
        ts.client()
            .get("/api/board-links/no-such-token")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let bad = admin
        .post(
            &format!("/api/boards/{}/links", board.id),
            &json!({"expires_in_minutes": 1}),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Revoked: 410, and whoever watches through it is closed. (Made without an expiry,
    // it lasts the default week.)
    let forever = admin.board_link(board.id, None).await;
    assert_eq!(
        forever.link.expires_at - forever.link.created_at,
        7 * 24 * 60 * 60_000
    );
    assert_eq!(resolve(&forever.token).await, StatusCode::OK);
    let mut dave_ws = dave.live_ws().await;
    let watching = dave_ws
        .open_with(board.id, None, Some(&forever.token))
        .await;
    assert!(!watching.may_edit);
    let revoke = admin
        .delete(&format!(
            "/api/boards/{}/links/{}",
            board.id, forever.link.id
        ))
        .await;
    assert_eq!(revoke.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        dave_ws.board().await,
        BoardNotice::Closed { board_id: board.id }
    );
    assert_eq!(resolve(&forever.token).await, StatusCode::GONE);
    assert!(matches!(
        dave_ws.try_open(board.id, None, Some(&forever.token)).await,
        BoardNotice::Refused {
            code: ErrorCode::Gone,
            ..
        }
    ));

    // Expired: 410 once the clock passes it.
    clock.fetch_add(1_000, Ordering::SeqCst);
    let brief = admin.board_link(board.id, Some(5)).await;
    assert_eq!(resolve(&brief.token).await, StatusCode::OK);
    clock.fetch_add(6 * 60_000, Ordering::SeqCst);
    assert_eq!(resolve(&brief.token).await, StatusCode::GONE);

    let links: Vec<BoardLink> = admin
        .get(&format!("/api/boards/{}/links", board.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(links.len(), 2);
    assert_eq!(links[0].id, brief.link.id, "newest first");
    assert!(links[1].revoked);
    let unknown = admin
        .delete(&format!(
            "/api/boards/{}/links/{}",
            board.id,
            Uuid::new_v4()
        ))
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn deleting_closes_the_board_for_everyone_and_tells_the_channel() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let (bob, bob_user) = ts.member(&admin, "Bob", "bob@example.com").await;
    let channel = admin
        .create_channel("general", "public", &[bob_user.id])
        .await;
    let mut bob_ws = bob.live_ws().await;
    let older = bob.create_board(channel.id, "Older").await;
    // Lists sort by creation time (ms): make the order unambiguous.
    tokio::time::sleep(Duration::from_millis(5)).await;
    let board = bob.create_board(channel.id, "Doomed").await;
    // Members hear of new boards and renames.
    for expected in [&older, &board] {
        match bob_ws
            .event_matching(|e| matches!(e, Event::BoardChanged { .. }))
            .await
        {
            Event::BoardChanged { board } => assert_eq!(&board, expected),
            _ => unreachable!(),
        }
    }
    let renamed = bob
        .patch(
            &format!("/api/boards/{}", board.id),
            &json!({"title": "Still doomed"}),
        )
        .await;
    assert_eq!(renamed.status(), StatusCode::OK);
    assert_eq!(renamed.json::<Board>().await.unwrap().title, "Still doomed");
    let listed: Vec<Board> = bob
        .get(&format!("/api/channels/{}/boards", channel.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        listed.iter().map(|b| b.id).collect::<Vec<_>>(),
        [board.id, older.id],
        "newest first"
    );

    let mut admin_ws = admin.live_ws().await;
    admin_ws.open(board.id).await;
    bob_ws.open(board.id).await;
    // An admin may delete anyone's board.
    let deleted = admin.delete(&format!("/api/boards/{}", board.id)).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        admin_ws.board().await,
        BoardNotice::Closed { board_id: board.id }
    );
    // Bob hears both: the notice on the open board and the event in the channel.
    let (mut closed, mut event) = (false, false);
    while !(closed && event) {
        match bob_ws.recv().await {
            ServerFrame::Board(notice) => {
                assert_eq!(notice, BoardNotice::Closed { board_id: board.id });
                closed = true;
            }
            ServerFrame::Event(envelope) => {
                if let Event::BoardDeleted {
                    channel_id,
                    board_id,
                } = envelope.event
                {
                    assert_eq!((channel_id, board_id), (channel.id, board.id));
                    event = true;
                }
            }
            _ => {}
        }
    }
    for path in [
        format!("/api/boards/{}", board.id),
        format!("/api/boards/{}/state", board.id),
    ] {
        assert_eq!(bob.get(&path).await.status(), StatusCode::NOT_FOUND);
    }
    assert_eq!(
        admin
            .delete(&format!("/api/boards/{}", board.id))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert!(matches!(
        bob_ws.try_open(board.id, None, None).await,
        BoardNotice::Refused {
            code: ErrorCode::NotFound,
            ..
        }
    ));
    let listed: Vec<Board> = bob
        .get(&format!("/api/channels/{}/boards", channel.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed.iter().map(|b| b.id).collect::<Vec<_>>(), [older.id]);
}

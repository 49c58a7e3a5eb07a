//! Must show 2: undo and redo per user. Ana and Ben share one board (the server's);
//! each has a `History`; undoing mine never undoes yours.

use tandem_board::{History, LocalBoard};
use tandem_protocol::boards::{BoardOp, ElementId, ElementPatch};
use tandem_protocol::UserId;
use uuid::Uuid;

use crate::fixtures::{op_id, patch_xy, stroke, Server, ANA, BEN};

/// The board and the two people's histories, as two tabs and the server would have it.
struct Room {
    server: Server,
    ana: History,
    ben: History,
}

impl Room {
    fn new() -> Self {
        Room {
            server: Server::new(),
            ana: History::new(),
            ben: History::new(),
        }
    }

    fn history(&mut self, who: UserId) -> &mut History {
        if who == ANA {
            &mut self.ana
        } else {
            &mut self.ben
        }
    }

    /// `who` does `ops` as one step: recorded against the board before, then applied.
    fn act(&mut self, who: UserId, ops: Vec<BoardOp>) {
        let before = self.server.state.clone();
        let sent: Vec<(Uuid, BoardOp)> = ops.into_iter().map(|op| (op_id(), op)).collect();
        self.history(who).record(&before, &sent);
        self.deliver(who, sent);
    }

    fn deliver(&mut self, who: UserId, sent: Vec<(Uuid, BoardOp)>) -> Vec<BoardOp> {
        sent.into_iter()
            .map(|(id, op)| self.server.apply(Some(who), id, op).op)
            .collect()
    }

    fn undo(&mut self, who: UserId) -> Vec<BoardOp> {
        let now = self.server.state.clone();
        let sent = self
            .history(who)
            .undo(&now, op_id)
            .expect("something to undo");
        self.deliver(who, sent)
    }

    fn redo(&mut self, who: UserId) -> Vec<BoardOp> {
        let now = self.server.state.clone();
        let sent = self
            .history(who)
            .redo(&now, op_id)
            .expect("something to redo");
        self.deliver(who, sent)
    }

    fn xy(&self, id: ElementId) -> (f64, f64) {
        let e = self.server.state.element(id).expect("visible");
        (e.x, e.y)
    }

    fn visible(&self, id: ElementId) -> bool {
        self.server.state.element(id).is_some()
    }
}

fn id(n: u128) -> ElementId {
    Uuid::from_u128(n)
}

fn move_to(room: &Room, element: ElementId, x: f64, y: f64) -> BoardOp {
    BoardOp::UpdateElement {
        id: element,
        version: room.server.state.version(element),
        patch: patch_xy(x, y),
    }
}

#[test]
fn undo_removes_only_my_stroke_and_redo_brings_it_back() {
    let mut room = Room::new();
    room.act(
        ANA,
        vec![BoardOp::AddElement {
            element: stroke(1, 0.0, 0.0),
        }],
    );
    room.act(
        BEN,
        vec![BoardOp::AddElement {
            element: stroke(2, 50.0, 50.0),
        }],
    );
    // Ben's later activity does not make Ana's undo touch Ben's stroke.
    room.act(BEN, vec![move_to(&room, id(2), 60.0, 60.0)]);

    let ops = room.undo(ANA);
    assert_eq!(
        ops,
        vec![BoardOp::DeleteElement {
            id: id(1),
            version: 2
        }]
    );
    assert!(!room.visible(id(1)));
    assert!(room.visible(id(2)));
    assert_eq!(room.xy(id(2)), (60.0, 60.0));
    assert!(!room.ana.can_undo() && room.ana.can_redo());

    let ops = room.redo(ANA);
    assert!(matches!(ops[..], [BoardOp::RestoreElement { id: restored, .. }] if restored == id(1)));
    assert!(room.visible(id(1)));
    assert_eq!(room.server.state.element(id(1)), Some(&stroke(1, 0.0, 0.0)));
    assert!(room.ana.can_undo() && !room.ana.can_redo());

    // Ben's undo is his own: his move, then his stroke.
    room.undo(BEN);
    assert_eq!(room.xy(id(2)), (50.0, 50.0));
    room.undo(BEN);
    assert!(!room.visible(id(2)));
    assert!(room.visible(id(1)));
}

#[test]
fn undoing_a_move_restores_the_position() {
    let mut room = Room::new();
    room.act(
        ANA,
        vec![BoardOp::AddElement {
            element: stroke(1, 10.0, 20.0),
        }],
    );
    room.act(ANA, vec![move_to(&room, id(1), 100.0, 200.0)]);
    room.act(ANA, vec![move_to(&room, id(1), 300.0, 400.0)]);
    room.undo(ANA);
    assert_eq!(room.xy(id(1)), (100.0, 200.0));
    room.undo(ANA);
    assert_eq!(room.xy(id(1)), (10.0, 20.0));
    room.redo(ANA);
    room.redo(ANA);
    assert_eq!(room.xy(id(1)), (300.0, 400.0));
}

#[test]
fn undo_carries_current_versions() {
    let mut room = Room::new();
    room.act(
        ANA,
        vec![BoardOp::AddElement {
            element: stroke(1, 0.0, 0.0),
        }],
    );
    room.act(ANA, vec![move_to(&room, id(1), 5.0, 5.0)]);
    room.act(
        BEN,
        vec![BoardOp::UpdateElement {
            id: id(1),
            version: room.server.state.version(id(1)),
            patch: ElementPatch {
                stroke: Some("#ff0000".into()),
                ..Default::default()
            },
        }],
    );
    let now = room.server.state.version(id(1));
    let ops = room.undo(ANA);
    assert_eq!(
        ops,
        vec![BoardOp::UpdateElement {
            id: id(1),
            version: now,
            patch: patch_xy(0.0, 0.0)
        }]
    );
    // Ben's colour stays.
    assert_eq!(room.server.state.element(id(1)).unwrap().stroke, "#ff0000");
}

#[test]
fn undoing_a_delete_restores_it() {
    let mut room = Room::new();
    room.act(
        BEN,
        vec![BoardOp::AddElement {
            element: stroke(2, 50.0, 50.0),
        }],
    );
    // Ana deletes Ben's stroke, then thinks better of it.
    let version = room.server.state.version(id(2));
    room.act(ANA, vec![BoardOp::DeleteElement { id: id(2), version }]);
    assert!(!room.visible(id(2)));
    let ops = room.undo(ANA);
    assert!(matches!(ops[..], [BoardOp::RestoreElement { .. }]));
    assert_eq!(
        room.server.state.element(id(2)),
        Some(&stroke(2, 50.0, 50.0))
    );
    room.redo(ANA);
    assert!(!room.visible(id(2)));
}

#[test]
fn a_field_someone_else_changed_after_me_is_left_alone() {
    let mut room = Room::new();
    room.act(
        ANA,
        vec![BoardOp::AddElement {
            element: stroke(1, 0.0, 0.0),
        }],
    );
    room.act(ANA, vec![move_to(&room, id(1), 100.0, 100.0)]);
    // Ben then moves it vertically only.
    room.act(
        BEN,
        vec![BoardOp::UpdateElement {
            id: id(1),
            version: room.server.state.version(id(1)),
            patch: ElementPatch {
                y: Some(500.0),
                ..Default::default()
            },
        }],
    );
    let ops = room.undo(ANA);
    assert!(matches!(&ops[..], [BoardOp::UpdateElement { patch, .. }]
        if *patch == ElementPatch { x: Some(0.0), ..Default::default() }));
    assert_eq!(
        room.xy(id(1)),
        (0.0, 500.0),
        "my x is undone, Ben's y stays"
    );
    // Redo puts back only what the undo changed.
    let ops = room.redo(ANA);
    assert!(matches!(&ops[..], [BoardOp::UpdateElement { patch, .. }]
        if *patch == ElementPatch { x: Some(100.0), ..Default::default() }));
    assert_eq!(room.xy(id(1)), (100.0, 500.0));
}

#[test]
fn a_step_others_have_wholly_overwritten_is_skipped() {
    let mut room = Room::new();
    room.act(
        ANA,
        vec![BoardOp::AddElement {
            element: stroke(1, 0.0, 0.0),
        }],
    );
    room.act(
        ANA,
        vec![BoardOp::AddElement {
            element: stroke(2, 0.0, 0.0),
        }],
    );
    room.act(ANA, vec![move_to(&room, id(2), 10.0, 10.0)]);
    room.act(BEN, vec![move_to(&room, id(2), 70.0, 70.0)]);
    // The move is all Ben's now, so undo goes on to the step before it.
    let ops = room.undo(ANA);
    assert!(matches!(ops[..], [BoardOp::DeleteElement { id: deleted, .. }] if deleted == id(2)));
    assert!(room.visible(id(1)));
}

#[test]
fn a_group_is_one_step_undone_in_reverse_order() {
    let mut room = Room::new();
    for n in 1..=3 {
        room.act(
            BEN,
            vec![BoardOp::AddElement {
                element: stroke(n, n as f64, 0.0),
            }],
        );
    }
    // Ana moves all three as one gesture.
    let moves = (1..=3)
        .map(|n| move_to(&room, id(n), n as f64 + 100.0, 50.0))
        .collect();
    room.act(ANA, moves);
    let ops = room.undo(ANA);
    assert_eq!(ops.len(), 3);
    let order: Vec<ElementId> = ops
        .iter()
        .map(|op| match op {
            BoardOp::UpdateElement { id, .. } => *id,
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(order, vec![id(3), id(2), id(1)]);
    for n in 1..=3 {
        assert_eq!(room.xy(id(n)), (n as f64, 0.0));
    }
    assert!(!room.ana.can_undo());

    // Add then edit in one step: the undo is one delete (after putting the edit back).
    room.act(
        ANA,
        vec![
            BoardOp::AddElement {
                element: stroke(9, 0.0, 0.0),
            },
            BoardOp::UpdateElement {
                id: id(9),
                version: 0,
                patch: patch_xy(9.0, 9.0),
            },
        ],
    );
    let ops = room.undo(ANA);
    assert!(
        matches!(
            &ops[..],
            [BoardOp::UpdateElement { .. }, BoardOp::DeleteElement { .. }]
        ),
        "{ops:?}"
    );
    assert!(!room.visible(id(9)));
}

#[test]
fn a_new_step_clears_redo_and_stacks_are_capped() {
    let mut room = Room::new();
    room.act(
        ANA,
        vec![BoardOp::AddElement {
            element: stroke(1, 0.0, 0.0),
        }],
    );
    room.undo(ANA);
    assert!(room.ana.can_redo());
    room.act(
        ANA,
        vec![BoardOp::AddElement {
            element: stroke(2, 0.0, 0.0),
        }],
    );
    assert!(!room.ana.can_redo());

    for i in 0..250 {
        room.act(ANA, vec![move_to(&room, id(2), i as f64, 0.0)]);
    }
    let mut undone = 0;
    while room.ana.can_undo() {
        room.undo(ANA);
        undone += 1;
    }
    assert_eq!(undone, tandem_board::undo::MAX_STEPS);
    assert_eq!(
        room.xy(id(2)),
        (49.0, 0.0),
        "the oldest steps were forgotten"
    );
    assert!(room.ana.undo(&room.server.state, op_id).is_none());
}

// ---- refused ops (the server said no: read-only board, validation error …) ----

/// What Ana's tab does with a step: record it against the view, show it at once
/// (`LocalBoard::propose`) and send it; returns the op ids sent.
fn propose(local: &mut LocalBoard, history: &mut History, ops: Vec<BoardOp>) -> Vec<Uuid> {
    let sent: Vec<(Uuid, BoardOp)> = ops.into_iter().map(|op| (op_id(), op)).collect();
    history.record(local.view(), &sent);
    for (id, op) in &sent {
        local.propose(*id, op.clone());
    }
    sent.into_iter().map(|(id, _)| id).collect()
}

/// The server refused `op_id`: what the session does with a `Refused` notice.
fn refuse(local: &mut LocalBoard, history: &mut History, op_id: Uuid) {
    local.refuse(op_id);
    history.refused(op_id);
}

#[test]
fn a_refused_op_leaves_the_undo_history() {
    let mut server = Server::new();
    let mut local = LocalBoard::new(server.state.clone());
    let mut ana = History::new();

    // Ana's first stroke is refused (say the board just became read-only): it vanishes
    // from her view, and there is nothing to undo.
    let refused = propose(
        &mut local,
        &mut ana,
        vec![BoardOp::AddElement {
            element: stroke(1, 0.0, 0.0),
        }],
    );
    assert!(ana.can_undo());
    refuse(&mut local, &mut ana, refused[0]);
    assert!(local.view().element(id(1)).is_none());
    assert!(!ana.can_undo() && !ana.can_redo());
    assert!(ana.undo(local.view(), op_id).is_none());
    ana.refused(refused[0]); // Told twice (a retry): nothing more happens.
    ana.refused(op_id()); // An op the history never saw: ignored.

    // Her next stroke lands; then she moves it and Ben's stroke together, and the
    // server refuses the move of Ben's stroke but takes the move of hers.
    let sent = propose(
        &mut local,
        &mut ana,
        vec![BoardOp::AddElement {
            element: stroke(2, 0.0, 0.0),
        }],
    );
    local.receive(&server.apply(
        Some(ANA),
        sent[0],
        BoardOp::AddElement {
            element: stroke(2, 0.0, 0.0),
        },
    ));
    local.receive(&server.by(
        BEN,
        BoardOp::AddElement {
            element: stroke(3, 50.0, 50.0),
        },
    ));
    let moves = vec![
        BoardOp::UpdateElement {
            id: id(2),
            version: server.state.version(id(2)),
            patch: patch_xy(100.0, 100.0),
        },
        BoardOp::UpdateElement {
            id: id(3),
            version: server.state.version(id(3)),
            patch: patch_xy(150.0, 150.0),
        },
    ];
    let sent = propose(&mut local, &mut ana, moves.clone());
    local.receive(&server.apply(Some(ANA), sent[0], moves[0].clone()));
    refuse(&mut local, &mut ana, sent[1]);
    // Ben then puts his stroke exactly where Ana's refused move meant to: it looks as
    // if her move had happened, but it did not, and her undo must not touch it.
    local.receive(&server.by(
        BEN,
        BoardOp::UpdateElement {
            id: id(3),
            version: server.state.version(id(3)),
            patch: patch_xy(150.0, 150.0),
        },
    ));
    let undo = ana
        .undo(local.view(), op_id)
        .expect("the move of her stroke");
    let ops: Vec<&BoardOp> = undo.iter().map(|(_, op)| op).collect();
    assert_eq!(
        ops,
        [&BoardOp::UpdateElement {
            id: id(2),
            version: server.state.version(id(2)),
            patch: patch_xy(0.0, 0.0),
        }]
    );
    for (id, op) in undo {
        local.receive(&server.apply(Some(ANA), id, op));
    }
    assert_eq!(
        local.view().element(id(3)).map(|e| (e.x, e.y)),
        Some((150.0, 150.0))
    );
}

#[test]
fn a_refused_undo_can_be_tried_again_and_a_refused_redo_too() {
    let mut server = Server::new();
    let mut local = LocalBoard::new(server.state.clone());
    let mut ana = History::new();
    let add = BoardOp::AddElement {
        element: stroke(1, 0.0, 0.0),
    };
    let sent = propose(&mut local, &mut ana, vec![add.clone()]);
    local.receive(&server.apply(Some(ANA), sent[0], add));
    let moved = BoardOp::UpdateElement {
        id: id(1),
        version: server.state.version(id(1)),
        patch: patch_xy(40.0, 0.0),
    };
    let sent = propose(&mut local, &mut ana, vec![moved.clone()]);
    local.receive(&server.apply(Some(ANA), sent[0], moved));

    // Undo of the move is refused: the stroke stays moved, nothing can be redone, and
    // the move can still be undone.
    let undo = ana.undo(local.view(), op_id).unwrap();
    for (id, op) in &undo {
        local.propose(*id, op.clone());
    }
    assert!(ana.can_redo());
    refuse(&mut local, &mut ana, undo[0].0);
    assert_eq!(local.view().element(id(1)).unwrap().x, 40.0);
    assert!(!ana.can_redo());
    let again = ana.undo(local.view(), op_id).unwrap();
    assert_eq!(
        again.iter().map(|(_, op)| op.clone()).collect::<Vec<_>>(),
        undo.iter().map(|(_, op)| op.clone()).collect::<Vec<_>>(),
        "the same undo, with a new op id"
    );
    assert_ne!(again[0].0, undo[0].0);
    for (id, op) in again {
        local.receive(&server.apply(Some(ANA), id, op));
    }
    assert_eq!(local.view().element(id(1)).unwrap().x, 0.0);

    // A refused redo: the undo stays undone and can be redone later.
    let redo = ana.redo(local.view(), op_id).unwrap();
    refuse(&mut local, &mut ana, redo[0].0);
    assert_eq!(local.view().element(id(1)).unwrap().x, 0.0);
    let redo = ana.redo(local.view(), op_id).expect("redo kept");
    for (id, op) in redo {
        local.receive(&server.apply(Some(ANA), id, op));
    }
    assert_eq!(local.view().element(id(1)).unwrap().x, 40.0);

    // Undo of the add, then the add's own refusal arriving late (a retry the server
    // refused): neither it nor its redo is left behind.
    let undo = ana.undo(local.view(), op_id).unwrap();
    assert!(ana.can_undo(), "the add is still below");
    refuse(&mut local, &mut ana, undo[0].0);
    assert!(ana.can_undo() && !ana.can_redo());
}

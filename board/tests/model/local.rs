//! Must show 6: the client's optimistic replica — my ops show at once, are confirmed or
//! refused, and interleave with everyone else's; once all are confirmed the view is
//! exactly the confirmed board.

use std::collections::VecDeque;
use std::time::Instant;

use tandem_board::{BoardState, Change, LocalBoard};
use tandem_protocol::boards::{
    BoardOp, BoardSnapshot, Element, ElementKind, ElementPatch, Page, SequencedOp,
};
use uuid::Uuid;

use crate::fixtures::{
    element, op_id, patch_xy, random_op, stroke, Rng, Server, ANA, BEN, FIRST_PAGE,
};

/// Elements and pages with their deleted flags: what a canvas draws, without versions.
type Drawn = (Vec<(Element, bool)>, Vec<(Page, bool)>);

fn drawn(state: &BoardState) -> Drawn {
    let snapshot = state.snapshot();
    (
        snapshot
            .elements
            .into_iter()
            .map(|e| (e.element, e.deleted))
            .collect(),
        snapshot
            .pages
            .into_iter()
            .map(|p| (p.page, p.deleted))
            .collect(),
    )
}

/// The view must always be the confirmed board with the pending ops applied on top,
/// in order, winning over everything confirmed. Built here the slow, obvious way.
fn assert_view_is_confirmed_plus_pending(local: &LocalBoard) {
    let mut expected = local.confirmed().clone();
    for (i, (_, op)) in local.pending().iter().enumerate() {
        expected.apply_op((1 << 40) + i as i64, 0, op);
    }
    assert_eq!(drawn(local.view()), drawn(&expected));
    assert_eq!(local.view().rev(), local.confirmed().rev());
}

fn x_of(state: &BoardState, n: u128) -> f64 {
    state.element(Uuid::from_u128(n)).unwrap().x
}

#[test]
fn my_stroke_shows_at_once_and_is_confirmed_by_its_echo() {
    let mut server = Server::new();
    let mut local = LocalBoard::new(BoardState::replay(None, &server.log));
    let op_id = op_id();
    let op = BoardOp::AddElement {
        element: stroke(1, 5.0, 5.0),
    };

    assert_eq!(
        local.propose(op_id, op.clone()),
        Change::Element(Uuid::from_u128(1))
    );
    assert!(local.view().element(Uuid::from_u128(1)).is_some());
    assert!(local.confirmed().element(Uuid::from_u128(1)).is_none());
    assert_eq!(local.rev(), 1);
    assert_eq!(local.pending(), vec![(op_id, op.clone())]);
    assert_eq!(
        local.propose(op_id, op.clone()),
        Change::Nothing,
        "the same op id twice is one op"
    );
    assert_eq!(local.pending().len(), 1);

    let echo = server.apply(Some(ANA), op_id, op);
    assert_eq!(
        local.receive(&echo),
        Vec::<Change>::new(),
        "nothing to redraw: it was already shown"
    );
    assert!(!local.has_pending());
    assert_eq!(local.rev(), 2);
    assert_eq!(local.view().snapshot(), local.confirmed().snapshot());
    assert_eq!(local.view().snapshot(), server.state.snapshot());
}

#[test]
fn a_refused_op_is_taken_back() {
    let mut server = Server::new();
    server.by(
        BEN,
        BoardOp::AddElement {
            element: stroke(1, 0.0, 0.0),
        },
    );
    let mut local = LocalBoard::new(server.state.clone());
    let element = Uuid::from_u128(1);

    let first = op_id();
    let second = op_id();
    local.propose(
        first,
        BoardOp::UpdateElement {
            id: element,
            version: 2,
            patch: patch_xy(10.0, 10.0),
        },
    );
    local.propose(
        second,
        BoardOp::UpdateElement {
            id: element,
            version: 2,
            patch: ElementPatch {
                stroke: Some("#ff0000".into()),
                ..Default::default()
            },
        },
    );
    local.propose(
        op_id(),
        BoardOp::AddElement {
            element: stroke(2, 0.0, 0.0),
        },
    );
    assert_eq!(x_of(local.view(), 1), 10.0);

    // The move is refused; the colour change stays pending and visible.
    assert_eq!(local.refuse(first), vec![Change::Element(element)]);
    let shown = local.view().element(element).unwrap();
    assert_eq!((shown.x, shown.stroke.as_str()), (0.0, "#ff0000"));
    assert_view_is_confirmed_plus_pending(&local);
    assert_eq!(local.refuse(first), vec![], "refusing twice does nothing");

    let add = local.pending()[1].0;
    assert_eq!(local.refuse(add), vec![Change::Element(Uuid::from_u128(2))]);
    assert!(local.view().element(Uuid::from_u128(2)).is_none());
    assert!(
        local.view().element_entry(Uuid::from_u128(2)).is_none(),
        "no trace of a refused add"
    );
    local.refuse(second);
    assert_eq!(local.view().snapshot(), local.confirmed().snapshot());
}

#[test]
fn others_ops_interleave_with_mine() {
    let mut server = Server::new();
    server.by(
        BEN,
        BoardOp::AddElement {
            element: stroke(1, 0.0, 0.0),
        },
    );
    let mut local = LocalBoard::new(server.state.clone());
    let id = Uuid::from_u128(1);

    // I move it; before my echo, Ben moves it too and recolours it.
    let mine = op_id();
    let my_move = BoardOp::UpdateElement {
        id,
        version: 2,
        patch: ElementPatch {
            x: Some(10.0),
            ..Default::default()
        },
    };
    local.propose(mine, my_move.clone());
    let bens = server.by(
        BEN,
        BoardOp::UpdateElement {
            id,
            version: 2,
            patch: ElementPatch {
                x: Some(99.0),
                y: Some(5.0),
                stroke: Some("#00ff00".into()),
                ..Default::default()
            },
        },
    );
    assert_eq!(local.receive(&bens), vec![Change::Element(id)]);
    let shown = local.view().element(id).unwrap();
    // My x wins for now (the server will order my move after Ben's); his y and colour show.
    assert_eq!(
        (shown.x, shown.y, shown.stroke.as_str()),
        (10.0, 5.0, "#00ff00")
    );
    assert_eq!(x_of(local.confirmed(), 1), 99.0);
    assert_eq!(
        local.view().version(id),
        3,
        "the view carries real versions"
    );
    assert_view_is_confirmed_plus_pending(&local);

    let echo = server.apply(Some(ANA), mine, my_move);
    assert!(local.receive(&echo).is_empty());
    assert_eq!(local.view().snapshot(), server.state.snapshot());
    assert_eq!(x_of(local.view(), 1), 10.0);

    // Later writes by others land in the view again (no provisional stamp left behind).
    let later = server.by(
        BEN,
        BoardOp::UpdateElement {
            id,
            version: 4,
            patch: patch_xy(1.0, 1.0),
        },
    );
    assert_eq!(local.receive(&later), vec![Change::Element(id)]);
    assert_eq!(x_of(local.view(), 1), 1.0);
}

#[test]
fn reset_keeps_pending_ops_on_top() {
    let mut server = Server::new();
    let mut local = LocalBoard::new(server.state.clone());
    let op_id = op_id();
    let note = element(
        Uuid::from_u128(7),
        FIRST_PAGE,
        ElementKind::Sticky,
        1.0,
        1.0,
        1.0,
    );
    local.propose(
        op_id,
        BoardOp::AddElement {
            element: note.clone(),
        },
    );
    // Meanwhile (disconnected) Ben draws; we reopen and get a fresh snapshot.
    server.by(
        BEN,
        BoardOp::AddElement {
            element: stroke(1, 0.0, 0.0),
        },
    );
    local.reset(BoardState::from_snapshot(&server.state.snapshot()));
    assert_eq!(local.rev(), 2);
    assert_eq!(local.view().element_count(), 2);
    assert_eq!(
        local.pending(),
        vec![(
            op_id,
            BoardOp::AddElement {
                element: note.clone()
            }
        )]
    );
    let echo = server.apply(Some(ANA), op_id, BoardOp::AddElement { element: note });
    local.receive(&echo);
    assert_eq!(local.view().snapshot(), server.state.snapshot());
}

/// Three tabs edit the same few elements at random; the server orders their ops,
/// refuses some, and delivers to each tab in order but with its own delays.
#[test]
fn random_interleavings_converge_to_the_server() {
    for seed in 1..=12 {
        let mut rng = Rng::new(seed);
        let mut server = Server::new();
        let mut next_id = 10_000 * seed as u128;
        let mut tabs: Vec<LocalBoard> = (0..3)
            .map(|_| LocalBoard::new(server.state.clone()))
            .collect();
        // Ops sent to the server, not yet ordered: (tab, op id, op).
        let mut inbox: Vec<(usize, Uuid, BoardOp)> = Vec::new();
        // What each tab has yet to hear: applied ops or refusals.
        let mut outbox: Vec<VecDeque<Result<SequencedOp, Uuid>>> = vec![VecDeque::new(); 3];
        let mut refusals = 0;

        for step in 0..400 {
            let roll = rng.below(100);
            let tab = rng.below(3);
            if roll < 40 && step < 300 {
                // A tab proposes an op built from what it sees.
                let op = random_op(&mut rng, tabs[tab].view(), &mut next_id);
                let op_id = op_id();
                tabs[tab].propose(op_id, op.clone());
                inbox.push((tab, op_id, op));
            } else if roll < 70 && !inbox.is_empty() {
                // The server takes any sent op (different tabs race); refuses some.
                let (author, op_id, op) = inbox.remove(rng.below(inbox.len()));
                if rng.chance(10) {
                    outbox[author].push_back(Err(op_id));
                    refusals += 1;
                } else {
                    let sequenced = server.apply(Some(ANA), op_id, op);
                    for queue in outbox.iter_mut() {
                        queue.push_back(Ok(sequenced.clone()));
                    }
                }
            } else if let Some(message) = outbox[tab].pop_front() {
                match message {
                    Ok(op) => tabs[tab].receive(&op),
                    Err(op_id) => tabs[tab].refuse(op_id),
                };
                assert_view_is_confirmed_plus_pending(&tabs[tab]);
            }
        }
        // Drain: the server orders what is left, every tab hears everything.
        for (author, op_id, op) in inbox.drain(..) {
            let sequenced = server.apply(Some(ANA), op_id, op);
            let _ = author;
            for queue in outbox.iter_mut() {
                queue.push_back(Ok(sequenced.clone()));
            }
        }
        let expected: BoardSnapshot = server.state.snapshot();
        for (tab, queue) in tabs.iter_mut().zip(outbox.iter_mut()) {
            while let Some(message) = queue.pop_front() {
                match message {
                    Ok(op) => tab.receive(&op),
                    Err(op_id) => tab.refuse(op_id),
                };
                assert_view_is_confirmed_plus_pending(tab);
            }
            assert!(!tab.has_pending());
            assert_eq!(tab.confirmed().snapshot(), expected, "seed {seed}");
            assert_eq!(tab.view().snapshot(), expected, "seed {seed}");
        }
        assert!(
            refusals > 0 && server.log.len() > 80,
            "seed {seed}: the run was too tame"
        );
    }
}

#[test]
fn receiving_stays_cheap_on_a_big_board() {
    let mut server = Server::new();
    for n in 0..10_000u128 {
        server.by(
            BEN,
            BoardOp::AddElement {
                element: stroke(n + 1, n as f64, 0.0),
            },
        );
    }
    let mut local = LocalBoard::new(server.state.clone());
    // One of my strokes in flight the whole time.
    local.propose(
        op_id(),
        BoardOp::AddElement {
            element: stroke(20_000, 0.0, 0.0),
        },
    );
    let started = Instant::now();
    for n in 0..2_000u128 {
        let id = Uuid::from_u128(n + 1);
        let op = server.by(
            BEN,
            BoardOp::UpdateElement {
                id,
                version: 0,
                patch: patch_xy(1.0, 2.0),
            },
        );
        assert_eq!(local.receive(&op), vec![Change::Element(id)]);
    }
    // Cloning the 10,000-element board per op would take far longer than this, even
    // unoptimised; rebuilding one element per op takes milliseconds.
    assert!(
        started.elapsed().as_secs_f64() < 2.0,
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(local.view().element_count(), 10_001);
}

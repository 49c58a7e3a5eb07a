//! Must show 3: pages are added, renamed, reordered, deleted (hiding their elements)
//! and restored.

use tandem_board::{describe, BoardState, History};
use tandem_protocol::boards::{BoardOp, ElementKind};
use uuid::Uuid;

use crate::fixtures::{element, op_id, page, Server, ANA, BEN, FIRST_PAGE};

fn names(state: &BoardState) -> Vec<String> {
    state.pages().into_iter().map(|p| p.name.clone()).collect()
}

#[test]
fn add_rename_reorder_delete_restore() {
    let mut server = Server::new();
    let second = Uuid::from_u128(0x200);
    server.by(
        ANA,
        BoardOp::AddPage {
            page: page(second, "Ideas", 2.0),
        },
    );
    assert_eq!(names(&server.state), ["Page 1", "Ideas"]);

    server.by(
        ANA,
        BoardOp::UpdatePage {
            id: FIRST_PAGE,
            name: Some("Plan".into()),
            order: None,
        },
    );
    assert_eq!(names(&server.state), ["Plan", "Ideas"]);

    // Move "Ideas" before "Plan": only its order key changes.
    server.by(
        BEN,
        BoardOp::UpdatePage {
            id: second,
            name: None,
            order: Some(0.5),
        },
    );
    assert_eq!(names(&server.state), ["Ideas", "Plan"]);

    let on_second = element(
        Uuid::from_u128(1),
        second,
        ElementKind::Sticky,
        0.0,
        0.0,
        1.0,
    );
    let on_first = element(
        Uuid::from_u128(2),
        FIRST_PAGE,
        ElementKind::Stroke,
        0.0,
        0.0,
        1.0,
    );
    server.by(
        BEN,
        BoardOp::AddElement {
            element: on_second.clone(),
        },
    );
    server.by(
        BEN,
        BoardOp::AddElement {
            element: on_first.clone(),
        },
    );
    assert_eq!(describe(&server.state, second), "1 element: 1 sticky note");

    server.by(ANA, BoardOp::DeletePage { id: second });
    assert_eq!(names(&server.state), ["Plan"]);
    assert!(server.state.page(second).is_none());
    assert_eq!(
        server
            .state
            .page_entry(second)
            .map(|(p, deleted)| (p.name.as_str(), deleted)),
        Some(("Ideas", true))
    );
    assert!(
        server.state.element(on_second.id).is_none(),
        "the deleted page hides its elements"
    );
    assert!(server.state.elements_on(second).is_empty());
    assert_eq!(server.state.element_count(), 1);
    assert_eq!(describe(&server.state, second), "0 elements");
    // Hidden, not deleted: the element itself keeps its data for the restore.
    assert_eq!(
        server
            .state
            .element_entry(on_second.id)
            .map(|(_, deleted, _)| deleted),
        Some(false)
    );

    server.by(ANA, BoardOp::RestorePage { id: second });
    assert_eq!(names(&server.state), ["Ideas", "Plan"]);
    assert_eq!(server.state.element(on_second.id), Some(&on_second));
    assert_eq!(server.state.element_count(), 2);

    // The same through a snapshot.
    let copy = BoardState::from_snapshot(&server.state.snapshot());
    assert_eq!(names(&copy), ["Ideas", "Plan"]);
    assert_eq!(copy.element_count(), 2);
}

#[test]
fn page_changes_are_undoable() {
    let mut server = Server::new();
    let mut ana = History::new();
    let second = Uuid::from_u128(0x200);

    let steps = [
        BoardOp::AddPage {
            page: page(second, "Ideas", 2.0),
        },
        BoardOp::UpdatePage {
            id: second,
            name: Some("Later".into()),
            order: Some(0.5),
        },
        BoardOp::DeletePage { id: FIRST_PAGE },
    ];
    for op in steps {
        let id = op_id();
        ana.record(&server.state, &[(id, op.clone())]);
        server.apply(Some(ANA), id, op);
    }
    assert_eq!(names(&server.state), ["Later"]);

    let mut undo = |server: &mut Server| {
        for (id, op) in ana.undo(&server.state, op_id).expect("something to undo") {
            server.apply(Some(ANA), id, op);
        }
    };
    undo(&mut server);
    assert_eq!(names(&server.state), ["Later", "Page 1"]);
    undo(&mut server);
    assert_eq!(names(&server.state), ["Page 1", "Ideas"]);
    undo(&mut server);
    assert_eq!(names(&server.state), ["Page 1"]);
    assert!(!ana.can_undo());
    for _ in 0..3 {
        for (id, op) in ana.redo(&server.state, op_id).unwrap() {
            server.apply(Some(ANA), id, op);
        }
    }
    assert_eq!(names(&server.state), ["Later"]);
}

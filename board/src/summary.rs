//! A text alternative for the canvas, read by screen readers and checked by tests.

use tandem_protocol::boards::{ElementKind, PageId};

use crate::state::BoardState;

/// Kinds in the order a description lists them, with singular and plural names.
const KINDS: [(ElementKind, &str, &str); 7] = [
    (ElementKind::Stroke, "stroke", "strokes"),
    (ElementKind::Line, "line", "lines"),
    (ElementKind::Arrow, "arrow", "arrows"),
    (ElementKind::Rectangle, "rectangle", "rectangles"),
    (ElementKind::Ellipse, "ellipse", "ellipses"),
    (ElementKind::Text, "text box", "text boxes"),
    (ElementKind::Sticky, "sticky note", "sticky notes"),
];

fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "0 elements", "1 element: 1 stroke", "3 elements: 2 strokes, 1 rectangle": the
/// visible elements of the page by kind.
pub fn describe(state: &BoardState, page: PageId) -> String {
    let elements = state.elements_on(page);
    let total = counted(elements.len(), "element", "elements");
    let parts: Vec<String> = KINDS
        .iter()
        .filter_map(|&(kind, one, many)| {
            let n = elements.iter().filter(|e| e.kind == kind).count();
            (n > 0).then(|| counted(n, one, many))
        })
        .collect();
    if parts.is_empty() {
        total
    } else {
        format!("{total}: {}", parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::boards::{BoardOp, Page, SequencedOp};
    use tandem_protocol::test_support::element;
    use uuid::Uuid;

    fn add(state: &mut BoardState, rev: i64, kind: ElementKind) {
        let element = element(rev as u128, kind, 0.0, 0.0, 10.0, 10.0);
        let op = BoardOp::AddElement { element };
        state.apply(&SequencedOp {
            rev,
            at: rev,
            op_id: Uuid::from_u128(rev as u128),
            author: None,
            op,
        });
    }

    #[test]
    fn counts_kinds_in_order_with_plurals() {
        let page = Uuid::from_u128(100);
        let mut state = BoardState::new();
        let op = BoardOp::AddPage {
            page: Page {
                id: page,
                name: "P".into(),
                order: 1.0,
            },
        };
        state.apply(&SequencedOp {
            rev: 1,
            at: 1,
            op_id: Uuid::from_u128(1),
            author: None,
            op,
        });
        assert_eq!(describe(&state, page), "0 elements");
        add(&mut state, 2, ElementKind::Stroke);
        assert_eq!(describe(&state, page), "1 element: 1 stroke");
        add(&mut state, 3, ElementKind::Rectangle);
        add(&mut state, 4, ElementKind::Stroke);
        assert_eq!(describe(&state, page), "3 elements: 2 strokes, 1 rectangle");
        for (rev, kind) in [
            (5, ElementKind::Sticky),
            (6, ElementKind::Text),
            (7, ElementKind::Text),
            (8, ElementKind::Ellipse),
            (9, ElementKind::Arrow),
            (10, ElementKind::Line),
            (11, ElementKind::Sticky),
        ] {
            add(&mut state, rev, kind);
        }
        assert_eq!(
            describe(&state, page),
            "10 elements: 2 strokes, 1 line, 1 arrow, 1 rectangle, 1 ellipse, 2 text boxes, \
             2 sticky notes"
        );
        assert_eq!(describe(&state, Uuid::from_u128(5)), "0 elements");
    }
}

//! Copy, paste and duplicate. The copy lives in memory (it keeps working when the
//! browser refuses clipboard access) and is also offered to the system clipboard as
//! JSON, so a copy can be pasted into the same board in another tab.

use serde::{Deserialize, Serialize};
use tandem_board::BoardState;
use tandem_protocol::boards::{BoardOp, Element, ElementId, PageId};
use uuid::Uuid;

/// Each paste lands this far (board units, both ways) from the previous one.
pub const PASTE_OFFSET: f64 = 16.0;
/// A pasted clipboard larger than this is refused (a stray paste of a huge JSON).
pub const MAX_PASTE: usize = 5_000;

/// What goes on the system clipboard: a tagged object, so random JSON is not taken
/// for board elements.
#[derive(Serialize, Deserialize)]
struct ClipboardText {
    tandem_board_elements: Vec<Element>,
}

#[derive(Debug, Default)]
pub struct Clipboard {
    elements: Vec<Element>,
}

impl Clipboard {
    pub fn is_empty(&self) -> bool {
        self.elements.is_empty()
    }

    /// Copies the visible selected elements (bottom to top); returns the text for the
    /// system clipboard, `None` when nothing was selected.
    pub fn copy(&mut self, state: &BoardState, ids: &[ElementId]) -> Option<String> {
        let mut elements: Vec<Element> = ids
            .iter()
            .filter_map(|id| state.element(*id))
            .cloned()
            .collect();
        if elements.is_empty() {
            return None;
        }
        elements.sort_by(|a, b| a.z.total_cmp(&b.z).then(a.id.cmp(&b.id)));
        self.elements = elements;
        serde_json::to_string(&ClipboardText {
            tandem_board_elements: self.elements.clone(),
        })
        .ok()
    }

    /// Takes elements from the system clipboard's text, if it holds a valid copy.
    pub fn load_text(&mut self, text: &str) -> bool {
        match parse(text) {
            Some(elements) => {
                self.elements = elements;
                true
            }
            None => false,
        }
    }

    /// Copies of the clipboard on `page`, shifted by one more offset than last time, as
    /// one undo step. Returns the ops and the new elements' ids (the new selection).
    pub fn paste(&mut self, state: &BoardState, page: PageId) -> (Vec<BoardOp>, Vec<ElementId>) {
        let out = copies(&self.elements, page, PASTE_OFFSET, state.top_z(page));
        // The next paste goes below and to the right of this one.
        for e in &mut self.elements {
            e.x += PASTE_OFFSET;
            e.y += PASTE_OFFSET;
        }
        out
    }
}

fn parse(text: &str) -> Option<Vec<Element>> {
    let parsed: ClipboardText = serde_json::from_str(text).ok()?;
    let elements = parsed.tandem_board_elements;
    let valid = !elements.is_empty()
        && elements.len() <= MAX_PASTE
        && elements.iter().all(|e| e.validate().is_ok());
    valid.then_some(elements)
}

/// New elements copying `elements` onto `page`, moved by `offset` both ways, stacked
/// from `base_z` up in their original order.
pub fn copies(
    elements: &[Element],
    page: PageId,
    offset: f64,
    base_z: f64,
) -> (Vec<BoardOp>, Vec<ElementId>) {
    let mut ids = Vec::with_capacity(elements.len());
    let ops = elements
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let element = Element {
                id: Uuid::new_v4(),
                page_id: page,
                x: e.x + offset,
                y: e.y + offset,
                z: base_z + i as f64,
                ..e.clone()
            };
            ids.push(element.id);
            BoardOp::AddElement { element }
        })
        .collect();
    (ops, ids)
}

/// Ctrl+D: copies of the selection next to it; the clipboard is left alone.
pub fn duplicate(
    state: &BoardState,
    ids: &[ElementId],
    page: PageId,
) -> (Vec<BoardOp>, Vec<ElementId>) {
    let mut elements: Vec<Element> = ids
        .iter()
        .filter_map(|id| state.element(*id))
        .cloned()
        .collect();
    elements.sort_by(|a, b| a.z.total_cmp(&b.z).then(a.id.cmp(&b.id)));
    copies(&elements, page, PASTE_OFFSET, state.top_z(page))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::boards::Page;
    use tandem_protocol::test_support::{rect, PAGE};

    fn state() -> BoardState {
        let mut s = BoardState::new();
        s.apply_op(
            1,
            0,
            &BoardOp::AddPage {
                page: Page {
                    id: PAGE,
                    name: "P".into(),
                    order: 1.0,
                },
            },
        );
        s.apply_op(
            2,
            0,
            &BoardOp::AddElement {
                element: rect(1, 0.0, 0.0, 10.0, 10.0).with_z(2.0),
            },
        );
        s.apply_op(
            3,
            0,
            &BoardOp::AddElement {
                element: rect(2, 100.0, 0.0, 10.0, 10.0).with_z(1.0),
            },
        );
        s
    }

    fn added(ops: &[BoardOp]) -> Vec<Element> {
        ops.iter()
            .filter_map(|op| match op {
                BoardOp::AddElement { element } => Some(element.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn pastes_are_new_offset_copies_on_top() {
        let s = state();
        let mut clip = Clipboard::default();
        assert!(clip.copy(&s, &[]).is_none());
        let text = clip
            .copy(&s, &[Uuid::from_u128(1), Uuid::from_u128(2)])
            .unwrap();
        let (ops, ids) = clip.paste(&s, PAGE);
        let first = added(&ops);
        assert_eq!(first.len(), 2);
        assert_eq!(ids, first.iter().map(|e| e.id).collect::<Vec<_>>());
        // Bottom to top as copied (id 2 has the lower z), both above everything.
        assert_eq!((first[0].x, first[0].y), (116.0, 16.0));
        assert_eq!((first[1].x, first[1].y), (16.0, 16.0));
        assert!(first[0].z >= s.top_z(PAGE) && first[1].z > first[0].z);
        assert!(first
            .iter()
            .all(|e| e.id != Uuid::from_u128(1) && e.id != Uuid::from_u128(2)));
        // The second paste goes further.
        let second = added(&clip.paste(&s, PAGE).0);
        assert_eq!(second[1].x, 32.0);

        let mut other_tab = Clipboard::default();
        assert!(other_tab.load_text(&text));
        assert!(!other_tab.load_text("{\"x\":1}"));
        assert!(!other_tab.load_text("plain words"));
        let mut bad = rect(3, f64::MAX, 0.0, 10.0, 10.0).with_z(0.0);
        bad.stroke = "javascript:".into();
        let evil = serde_json::to_string(&ClipboardText {
            tandem_board_elements: vec![bad],
        })
        .unwrap();
        assert!(!other_tab.load_text(&evil));
    }

    #[test]
    fn duplicates_sit_next_to_the_originals() {
        let s = state();
        let (ops, ids) = duplicate(&s, &[Uuid::from_u128(1)], PAGE);
        let copy = &added(&ops)[0];
        assert_eq!((copy.x, copy.y, ids.len()), (16.0, 16.0, 1));
    }
}

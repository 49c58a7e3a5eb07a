//! A board's state as a set of last-write-wins registers.
//!
//! Every field of every element (and page) remembers the `rev` of the op that last
//! wrote it; a write lands only if its `rev` is higher. Applying a set of sequenced ops
//! in any order — and applying one twice — therefore gives the same state, which is how
//! replicas converge whatever the network did. An op may even arrive before the op
//! that created its element: its fields wait in a slot that is not yet visible.

use std::collections::HashMap;

use tandem_protocol::boards::{
    BoardOp, BoardRev, BoardSnapshot, Element, ElementEntry, ElementId, ElementKind, ElementPatch,
    Page, PageEntry, PageId, SequencedOp,
};
use tandem_protocol::Timestamp;

/// What an op touched, so a view can redraw only that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Element(ElementId),
    Page(PageId),
    /// The op lost to newer writes on every field it carried.
    Nothing,
}

#[derive(Debug, Clone, Default)]
struct ElementStamps {
    page_id: BoardRev,
    x: BoardRev,
    y: BoardRev,
    width: BoardRev,
    height: BoardRev,
    points: BoardRev,
    text: BoardRev,
    stroke: BoardRev,
    fill: BoardRev,
    stroke_width: BoardRev,
    z: BoardRev,
    deleted: BoardRev,
}

#[derive(Debug, Clone)]
struct ElementSlot {
    element: Element,
    stamps: ElementStamps,
    /// The rev of the op that added it; 0 while only later ops have arrived.
    added: BoardRev,
    deleted: bool,
    /// The highest rev that touched it.
    version: BoardRev,
}

#[derive(Debug, Clone)]
struct PageSlot {
    page: Page,
    name_rev: BoardRev,
    order_rev: BoardRev,
    deleted_rev: BoardRev,
    added: BoardRev,
    deleted: bool,
}

/// The board after some set of sequenced ops.
#[derive(Debug, Clone, Default)]
pub struct BoardState {
    rev: BoardRev,
    at: Timestamp,
    pages: HashMap<PageId, PageSlot>,
    elements: HashMap<ElementId, ElementSlot>,
}

/// Writes `value` into `field` if `rev` is newer than the field's stamp.
fn write<T>(field: &mut T, stamp: &mut BoardRev, value: T, rev: BoardRev) -> bool {
    if rev > *stamp {
        *field = value;
        *stamp = rev;
        true
    } else {
        false
    }
}

fn placeholder_element(id: ElementId) -> Element {
    Element {
        id,
        page_id: PageId::nil(),
        kind: ElementKind::Stroke,
        x: 0.0,
        y: 0.0,
        width: 0.0,
        height: 0.0,
        points: Vec::new(),
        text: String::new(),
        stroke: String::new(),
        fill: String::new(),
        stroke_width: 0.0,
        z: 0.0,
    }
}

impl ElementSlot {
    fn empty(id: ElementId) -> Self {
        ElementSlot {
            element: placeholder_element(id),
            stamps: ElementStamps::default(),
            added: 0,
            deleted: false,
            version: 0,
        }
    }

    fn from_entry(entry: &ElementEntry, rev: BoardRev) -> Self {
        let s = rev;
        ElementSlot {
            element: entry.element.clone(),
            stamps: ElementStamps {
                page_id: s,
                x: s,
                y: s,
                width: s,
                height: s,
                points: s,
                text: s,
                stroke: s,
                fill: s,
                stroke_width: s,
                z: s,
                deleted: s,
            },
            // The real add rev is unknown but at most `rev`; 1 (the lowest real rev)
            // keeps a re-delivered add of it from counting as a change.
            added: 1,
            deleted: entry.deleted,
            version: entry.version,
        }
    }

    fn add(&mut self, e: &Element, rev: BoardRev) -> bool {
        let (el, st) = (&mut self.element, &mut self.stamps);
        // Identity and kind never change after an add.
        el.id = e.id;
        el.kind = e.kind;
        let mut any = self.added == 0 || rev < self.added;
        self.added = if self.added == 0 {
            rev
        } else {
            self.added.min(rev)
        };
        any |= write(&mut el.page_id, &mut st.page_id, e.page_id, rev);
        any |= write(&mut el.x, &mut st.x, e.x, rev);
        any |= write(&mut el.y, &mut st.y, e.y, rev);
        any |= write(&mut el.width, &mut st.width, e.width, rev);
        any |= write(&mut el.height, &mut st.height, e.height, rev);
        any |= write(&mut el.points, &mut st.points, e.points.clone(), rev);
        any |= write(&mut el.text, &mut st.text, e.text.clone(), rev);
        any |= write(&mut el.stroke, &mut st.stroke, e.stroke.clone(), rev);
        any |= write(&mut el.fill, &mut st.fill, e.fill.clone(), rev);
        any |= write(
            &mut el.stroke_width,
            &mut st.stroke_width,
            e.stroke_width,
            rev,
        );
        any |= write(&mut el.z, &mut st.z, e.z, rev);
        any
    }

    fn patch(&mut self, p: &ElementPatch, rev: BoardRev) -> bool {
        let (el, st) = (&mut self.element, &mut self.stamps);
        let mut any = false;
        if let Some(v) = p.page_id {
            any |= write(&mut el.page_id, &mut st.page_id, v, rev);
        }
        if let Some(v) = p.x {
            any |= write(&mut el.x, &mut st.x, v, rev);
        }
        if let Some(v) = p.y {
            any |= write(&mut el.y, &mut st.y, v, rev);
        }
        if let Some(v) = p.width {
            any |= write(&mut el.width, &mut st.width, v, rev);
        }
        if let Some(v) = p.height {
            any |= write(&mut el.height, &mut st.height, v, rev);
        }
        if let Some(v) = &p.points {
            any |= write(&mut el.points, &mut st.points, v.clone(), rev);
        }
        if let Some(v) = &p.text {
            any |= write(&mut el.text, &mut st.text, v.clone(), rev);
        }
        if let Some(v) = &p.stroke {
            any |= write(&mut el.stroke, &mut st.stroke, v.clone(), rev);
        }
        if let Some(v) = &p.fill {
            any |= write(&mut el.fill, &mut st.fill, v.clone(), rev);
        }
        if let Some(v) = p.stroke_width {
            any |= write(&mut el.stroke_width, &mut st.stroke_width, v, rev);
        }
        any
    }
}

impl BoardState {
    pub fn new() -> Self {
        Self::default()
    }

    /// The state a snapshot describes. Every field is stamped with the snapshot's rev:
    /// any op after it is newer and wins.
    pub fn from_snapshot(snapshot: &BoardSnapshot) -> Self {
        let rev = snapshot.rev;
        BoardState {
            rev,
            at: snapshot.at,
            pages: snapshot
                .pages
                .iter()
                .map(|entry| {
                    let slot = PageSlot {
                        page: entry.page.clone(),
                        name_rev: rev,
                        order_rev: rev,
                        deleted_rev: rev,
                        added: 1,
                        deleted: entry.deleted,
                    };
                    (entry.page.id, slot)
                })
                .collect(),
            elements: snapshot
                .elements
                .iter()
                .map(|entry| (entry.element.id, ElementSlot::from_entry(entry, rev)))
                .collect(),
        }
    }

    /// Replays `ops` (in any order) on top of `snapshot` (or an empty board).
    pub fn replay(snapshot: Option<&BoardSnapshot>, ops: &[SequencedOp]) -> Self {
        let mut state = snapshot.map(Self::from_snapshot).unwrap_or_default();
        for op in ops {
            state.apply(op);
        }
        state
    }

    /// The board as it was at `at`: the snapshot plus the ops applied at or before it.
    /// The snapshot must not be newer than `at`.
    pub fn at_time(snapshot: Option<&BoardSnapshot>, ops: &[SequencedOp], at: Timestamp) -> Self {
        let mut state = snapshot.map(Self::from_snapshot).unwrap_or_default();
        for op in ops.iter().filter(|op| op.at <= at) {
            state.apply(op);
        }
        state
    }

    /// Every visible element and page plus deleted elements (so deletes stay
    /// undoable), in a canonical order: two states are equal iff their snapshots are.
    pub fn snapshot(&self) -> BoardSnapshot {
        let mut pages: Vec<PageEntry> = self
            .pages
            .values()
            .filter(|slot| slot.added > 0)
            .map(|slot| PageEntry {
                page: slot.page.clone(),
                deleted: slot.deleted,
            })
            .collect();
        pages.sort_by(|a, b| {
            a.page
                .order
                .total_cmp(&b.page.order)
                .then(a.page.id.cmp(&b.page.id))
        });
        let mut elements: Vec<ElementEntry> = self
            .elements
            .values()
            .filter(|slot| slot.added > 0)
            .map(|slot| ElementEntry {
                element: slot.element.clone(),
                version: slot.version,
                deleted: slot.deleted,
            })
            .collect();
        elements.sort_by(|a, b| {
            a.element
                .z
                .total_cmp(&b.element.z)
                .then(a.element.id.cmp(&b.element.id))
        });
        BoardSnapshot {
            rev: self.rev,
            at: self.at,
            pages,
            elements,
        }
    }

    pub fn apply(&mut self, op: &SequencedOp) -> Change {
        self.apply_op(op.rev, op.at, &op.op)
    }

    /// Applies `op` as if the server had ordered it at `rev`.
    pub fn apply_op(&mut self, rev: BoardRev, at: Timestamp, op: &BoardOp) -> Change {
        if rev > self.rev {
            self.rev = rev;
            self.at = at;
        }
        self.write_op(rev, op, true)
    }

    /// Applies a not-yet-sequenced op of this client (see `local`): its writes carry
    /// `stamp`, a provisional rev above every real one, so they win until the server's
    /// echo replaces them; the board's `rev`, `at` and element versions stay the
    /// confirmed ones, because nothing real happened yet.
    pub(crate) fn apply_provisional(&mut self, stamp: BoardRev, op: &BoardOp) -> Change {
        self.write_op(stamp, op, false)
    }

    /// Makes `target` here exactly what it is in `from` (slot, stamps and all), and
    /// takes `from`'s rev and time. Used to rebuild one element or page of the
    /// optimistic view without cloning the board.
    pub(crate) fn copy_target(&mut self, from: &BoardState, target: Target) {
        match target {
            Target::Element(id) => match from.elements.get(&id) {
                Some(slot) => {
                    self.elements.insert(id, slot.clone());
                }
                None => {
                    self.elements.remove(&id);
                }
            },
            Target::Page(id) => match from.pages.get(&id) {
                Some(slot) => {
                    self.pages.insert(id, slot.clone());
                }
                None => {
                    self.pages.remove(&id);
                }
            },
        }
        self.rev = from.rev;
        self.at = from.at;
    }

    /// Writes the op's fields with `rev` as their stamp; `versioned` says whether the
    /// element's version (the highest real rev that touched it) moves too.
    fn write_op(&mut self, rev: BoardRev, op: &BoardOp, versioned: bool) -> Change {
        let element_change = |slot: &mut ElementSlot, id: ElementId, changed: bool| {
            if versioned {
                slot.version = slot.version.max(rev);
            }
            if changed {
                Change::Element(id)
            } else {
                Change::Nothing
            }
        };
        match op {
            BoardOp::AddElement { element } => {
                let slot = self
                    .elements
                    .entry(element.id)
                    .or_insert_with(|| ElementSlot::empty(element.id));
                let changed = slot.add(element, rev);
                element_change(slot, element.id, changed)
            }
            BoardOp::UpdateElement { id, patch, .. } => {
                let slot = self
                    .elements
                    .entry(*id)
                    .or_insert_with(|| ElementSlot::empty(*id));
                let changed = slot.patch(patch, rev);
                element_change(slot, *id, changed)
            }
            BoardOp::DeleteElement { id, .. } | BoardOp::RestoreElement { id, .. } => {
                let deleted = matches!(op, BoardOp::DeleteElement { .. });
                let slot = self
                    .elements
                    .entry(*id)
                    .or_insert_with(|| ElementSlot::empty(*id));
                let changed = write(&mut slot.deleted, &mut slot.stamps.deleted, deleted, rev);
                element_change(slot, *id, changed)
            }
            BoardOp::ReorderElement { id, z, .. } => {
                let slot = self
                    .elements
                    .entry(*id)
                    .or_insert_with(|| ElementSlot::empty(*id));
                let changed = write(&mut slot.element.z, &mut slot.stamps.z, *z, rev);
                element_change(slot, *id, changed)
            }
            BoardOp::AddPage { page } => {
                let slot = self.page_slot(page.id);
                let mut changed = slot.added == 0 || rev < slot.added;
                slot.added = if slot.added == 0 {
                    rev
                } else {
                    slot.added.min(rev)
                };
                changed |= write(
                    &mut slot.page.name,
                    &mut slot.name_rev,
                    page.name.clone(),
                    rev,
                );
                changed |= write(&mut slot.page.order, &mut slot.order_rev, page.order, rev);
                page_change(page.id, changed)
            }
            BoardOp::UpdatePage { id, name, order } => {
                let slot = self.page_slot(*id);
                let mut changed = false;
                if let Some(name) = name {
                    changed |= write(&mut slot.page.name, &mut slot.name_rev, name.clone(), rev);
                }
                if let Some(order) = order {
                    changed |= write(&mut slot.page.order, &mut slot.order_rev, *order, rev);
                }
                page_change(*id, changed)
            }
            BoardOp::DeletePage { id } | BoardOp::RestorePage { id } => {
                let deleted = matches!(op, BoardOp::DeletePage { .. });
                let slot = self.page_slot(*id);
                let changed = write(&mut slot.deleted, &mut slot.deleted_rev, deleted, rev);
                page_change(*id, changed)
            }
        }
    }

    fn page_slot(&mut self, id: PageId) -> &mut PageSlot {
        self.pages.entry(id).or_insert_with(|| PageSlot {
            page: Page {
                id,
                name: String::new(),
                order: 0.0,
            },
            name_rev: 0,
            order_rev: 0,
            deleted_rev: 0,
            added: 0,
            deleted: false,
        })
    }

    /// The highest rev applied.
    pub fn rev(&self) -> BoardRev {
        self.rev
    }

    /// Server time of the highest rev applied.
    pub fn at(&self) -> Timestamp {
        self.at
    }

    /// Live pages in order.
    pub fn pages(&self) -> Vec<&Page> {
        let mut pages: Vec<&Page> = self
            .pages
            .values()
            .filter(|slot| slot.added > 0 && !slot.deleted)
            .map(|slot| &slot.page)
            .collect();
        pages.sort_by(|a, b| a.order.total_cmp(&b.order).then(a.id.cmp(&b.id)));
        pages
    }

    /// The page, if it exists and is not deleted.
    pub fn page(&self, id: PageId) -> Option<&Page> {
        self.pages
            .get(&id)
            .filter(|slot| slot.added > 0 && !slot.deleted)
            .map(|slot| &slot.page)
    }

    /// A page whether deleted or not (to undo a delete or rename).
    pub fn page_entry(&self, id: PageId) -> Option<(&Page, bool)> {
        self.pages
            .get(&id)
            .filter(|slot| slot.added > 0)
            .map(|slot| (&slot.page, slot.deleted))
    }

    fn visible(&self, slot: &ElementSlot) -> bool {
        slot.added > 0 && !slot.deleted && self.page(slot.element.page_id).is_some()
    }

    /// The element if it is visible (added, not deleted, on a live page).
    pub fn element(&self, id: ElementId) -> Option<&Element> {
        self.elements
            .get(&id)
            .filter(|slot| self.visible(slot))
            .map(|slot| &slot.element)
    }

    /// The element whether deleted or not, with its deleted flag and version.
    pub fn element_entry(&self, id: ElementId) -> Option<(&Element, bool, BoardRev)> {
        self.elements
            .get(&id)
            .filter(|slot| slot.added > 0)
            .map(|slot| (&slot.element, slot.deleted, slot.version))
    }

    /// The element's version: the rev that last changed it (0 if unknown).
    pub fn version(&self, id: ElementId) -> BoardRev {
        self.elements.get(&id).map_or(0, |slot| slot.version)
    }

    /// Visible elements of a page, bottom to top.
    pub fn elements_on(&self, page_id: PageId) -> Vec<&Element> {
        let mut out: Vec<&Element> = self
            .elements
            .values()
            .filter(|slot| slot.element.page_id == page_id && self.visible(slot))
            .map(|slot| &slot.element)
            .collect();
        out.sort_by(|a, b| a.z.total_cmp(&b.z).then(a.id.cmp(&b.id)));
        out
    }

    /// Number of visible elements on every page.
    pub fn element_count(&self) -> usize {
        self.elements
            .values()
            .filter(|slot| self.visible(slot))
            .count()
    }

    /// A z key above every element of the page: where a new element goes.
    pub fn top_z(&self, page_id: PageId) -> f64 {
        self.elements
            .values()
            .filter(|slot| slot.added > 0 && slot.element.page_id == page_id)
            .map(|slot| slot.element.z)
            .fold(0.0, f64::max)
            + 1.0
    }

    /// A z key below every element of the page.
    pub fn bottom_z(&self, page_id: PageId) -> f64 {
        self.elements
            .values()
            .filter(|slot| slot.added > 0 && slot.element.page_id == page_id)
            .map(|slot| slot.element.z)
            .fold(0.0, f64::min)
            - 1.0
    }
}

/// The one element or page an op writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    Element(ElementId),
    Page(PageId),
}

impl Target {
    pub(crate) fn of(op: &BoardOp) -> Target {
        match op {
            BoardOp::AddElement { element } => Target::Element(element.id),
            BoardOp::UpdateElement { id, .. }
            | BoardOp::DeleteElement { id, .. }
            | BoardOp::RestoreElement { id, .. }
            | BoardOp::ReorderElement { id, .. } => Target::Element(*id),
            BoardOp::AddPage { page } => Target::Page(page.id),
            BoardOp::UpdatePage { id, .. }
            | BoardOp::DeletePage { id }
            | BoardOp::RestorePage { id } => Target::Page(*id),
        }
    }
}

fn page_change(id: PageId, changed: bool) -> Change {
    if changed {
        Change::Page(id)
    } else {
        Change::Nothing
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::test_support::{element, pt, PAGE};
    use uuid::Uuid;

    fn seq(rev: BoardRev, op: BoardOp) -> SequencedOp {
        SequencedOp {
            rev,
            at: rev * 1000,
            op_id: Uuid::from_u128(rev as u128),
            author: None,
            op,
        }
    }

    fn stroke(n: u128) -> Element {
        element(n, ElementKind::Stroke, 0.0, 0.0, 10.0, 10.0)
            .with_points(vec![pt(0.0, 0.0), pt(10.0, 10.0)])
    }

    fn ops() -> Vec<SequencedOp> {
        let a = Uuid::from_u128(1);
        vec![
            seq(
                1,
                BoardOp::AddPage {
                    page: Page {
                        id: PAGE,
                        name: "Page 1".into(),
                        order: 1.0,
                    },
                },
            ),
            seq(2, BoardOp::AddElement { element: stroke(1) }),
            seq(3, BoardOp::AddElement { element: stroke(2) }),
            seq(
                4,
                BoardOp::UpdateElement {
                    id: a,
                    version: 2,
                    patch: ElementPatch {
                        x: Some(5.0),
                        ..Default::default()
                    },
                },
            ),
            seq(
                5,
                BoardOp::UpdateElement {
                    id: a,
                    version: 2,
                    patch: ElementPatch {
                        x: Some(7.0),
                        stroke: Some("#ff0000".into()),
                        ..Default::default()
                    },
                },
            ),
            seq(
                6,
                BoardOp::ReorderElement {
                    id: a,
                    version: 5,
                    z: 3.0,
                },
            ),
            seq(
                7,
                BoardOp::DeleteElement {
                    id: Uuid::from_u128(2),
                    version: 3,
                },
            ),
            seq(
                8,
                BoardOp::UpdatePage {
                    id: PAGE,
                    name: Some("Plan".into()),
                    order: None,
                },
            ),
        ]
    }

    #[test]
    fn any_order_converges() {
        let forward = BoardState::replay(None, &ops());
        let mut reversed = ops();
        reversed.reverse();
        let backward = BoardState::replay(None, &reversed);
        assert_eq!(forward.snapshot(), backward.snapshot());
        let a = forward.element(Uuid::from_u128(1)).unwrap();
        assert_eq!((a.x, a.stroke.as_str(), a.z), (7.0, "#ff0000", 3.0));
        assert!(forward.element(Uuid::from_u128(2)).is_none());
        assert_eq!(forward.pages()[0].name, "Plan");
    }

    #[test]
    fn applying_twice_changes_nothing() {
        let mut state = BoardState::replay(None, &ops());
        let before = state.snapshot();
        for op in ops() {
            assert_eq!(state.apply(&op), Change::Nothing);
        }
        assert_eq!(state.snapshot(), before);
    }

    #[test]
    fn snapshot_plus_rest_equals_full_replay() {
        let all = ops();
        let head = BoardState::replay(None, &all[..4]).snapshot();
        let resumed = BoardState::replay(Some(&head), &all[4..]);
        assert_eq!(
            resumed.snapshot(),
            BoardState::replay(None, &all).snapshot()
        );
    }

    #[test]
    fn ops_a_snapshot_already_holds_change_nothing() {
        let all = ops();
        let mut resumed = BoardState::from_snapshot(&BoardState::replay(None, &all).snapshot());
        for op in &all {
            assert_eq!(resumed.apply(op), Change::Nothing, "rev {}", op.rev);
        }
        assert_eq!(
            resumed.snapshot(),
            BoardState::replay(None, &all).snapshot()
        );
    }

    #[test]
    fn state_at_a_time_holds_only_earlier_ops() {
        let state = BoardState::at_time(None, &ops(), 3_000);
        assert_eq!(state.element_count(), 2);
        assert_eq!(state.element(Uuid::from_u128(1)).unwrap().x, 0.0);
    }

    #[test]
    fn deleting_a_page_hides_its_elements() {
        let mut state = BoardState::replay(None, &ops());
        state.apply(&seq(9, BoardOp::DeletePage { id: PAGE }));
        assert_eq!(state.element_count(), 0);
        state.apply(&seq(10, BoardOp::RestorePage { id: PAGE }));
        assert_eq!(state.element_count(), 1);
    }
}

//! Undo and redo for one person (one tab), as inverse operations.
//!
//! Undo never rewinds the shared board: it sends new ops that put back what *my* ops
//! changed, so "undoing mine never undoes yours". A [`History`] only ever sees the ops
//! its own user made ([`History::record`]), and when it undoes them it checks the board
//! as it is now:
//!
//! - **Field rule.** An inverse only writes a field (element field, z order, page name
//!   or order) that still holds the value my step wrote. If it holds something else,
//!   somebody changed it after me, and their newer edit stays. This is the value half
//!   of "skip fields another user changed after my op"; the version half cannot be
//!   checked here because a `History` never learns which rev the server gave my op, and
//!   a field that still holds my value is, for undoing, as good as untouched.
//! - **State rule.** A delete is only undone by a restore while the element is still
//!   deleted (and the other way round), and ops about elements or pages the board does
//!   not know are dropped, so undo never sends an op that would do nothing.
//! - A step that comes out empty (everything it did was since changed by others) is
//!   skipped and the next one is undone instead.
//!
//! Redo is the inverse of the undo, computed against the board the undo was computed
//! on, so it only redoes what the undo really did.
//!
//! Every op the history hands out or records has its op id, and each inverse remembers
//! the id of the op it undoes. When the server refuses one of my ops
//! ([`History::refused`]) that op never happened, so its inverse leaves the history:
//! Undo never tries to take back something that is not on the board. If the refused op
//! was itself an undo (or redo), the inverse it was made from goes back on its stack,
//! since the change it meant to take back is still there.

use std::collections::VecDeque;

use tandem_protocol::boards::{
    BoardOp, BoardSnapshot, Element, ElementEntry, ElementPatch, Page, PageEntry, Point,
};
use uuid::Uuid;

use crate::state::{BoardState, Target};

/// Steps kept on each stack; older ones are forgotten.
pub const MAX_STEPS: usize = 200;

/// What an inverse op expects to find before it may write each field: the values the
/// step it undoes wrote.
#[derive(Debug, Clone, PartialEq)]
enum Expect {
    Nothing,
    Element(ElementPatch),
    Z(f64),
    Page {
        name: Option<String>,
        order: Option<f64>,
    },
}

#[derive(Debug, Clone, PartialEq)]
struct Inverse {
    op: BoardOp,
    expect: Expect,
    /// The id of my op this one undoes.
    cause: Uuid,
    /// Set when `cause` was an undo or redo: the inverse (and its step) on the other
    /// stack that `cause` was made from, to put back if `cause` is refused.
    origin: Option<Box<(StepId, Inverse)>>,
}

type StepId = u64;

/// One undo (or redo) step: inverse ops in the order they are to be sent.
#[derive(Debug, Clone, PartialEq)]
struct Step {
    id: StepId,
    inverses: Vec<Inverse>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stack {
    Undo,
    Redo,
}

/// One user's undo and redo stacks.
#[derive(Debug, Clone, Default)]
pub struct History {
    undo: VecDeque<Step>,
    redo: VecDeque<Step>,
    next_step: StepId,
}

impl History {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records `ops` (sent together with these op ids, e.g. moving three selected
    /// elements) as one step. `before` is the board right before they were applied.
    /// Clears the redo stack.
    pub fn record(&mut self, before: &BoardState, ops: &[(Uuid, BoardOp)]) {
        if ops.is_empty() {
            return;
        }
        self.redo.clear();
        let inverses = invert(before, ops);
        self.push(Stack::Undo, inverses);
    }

    /// The ops that undo my last step on the board as it is `now` (versions from
    /// `now`), each with a new op id from `new_id` to send it with; `None` when there
    /// is nothing left to undo.
    pub fn undo(
        &mut self,
        now: &BoardState,
        new_id: impl FnMut() -> Uuid,
    ) -> Option<Vec<(Uuid, BoardOp)>> {
        self.step(Stack::Undo, now, new_id)
    }

    /// The ops that redo the last undone step (with new op ids), or `None`.
    pub fn redo(
        &mut self,
        now: &BoardState,
        new_id: impl FnMut() -> Uuid,
    ) -> Option<Vec<(Uuid, BoardOp)>> {
        self.step(Stack::Redo, now, new_id)
    }

    /// The server refused my op `op_id`: it never happened, so nothing may undo (or
    /// redo) it. An op the history does not know is ignored.
    pub fn refused(&mut self, op_id: Uuid) {
        let mut restore = None;
        for (from, stack) in [(Stack::Undo, &mut self.undo), (Stack::Redo, &mut self.redo)] {
            for step in stack.iter_mut() {
                step.inverses.retain_mut(|inverse| {
                    if inverse.cause == op_id {
                        restore = inverse.origin.take().map(|origin| (from, origin));
                        return false;
                    }
                    // What the refused op was made from cannot come back through it.
                    if inverse.origin.as_ref().is_some_and(|o| o.1.cause == op_id) {
                        inverse.origin = None;
                    }
                    true
                });
            }
            stack.retain(|step| !step.inverses.is_empty());
        }
        // A refused undo puts its inverse back on the undo stack (a refused redo, on
        // the redo stack), regrouped with the others of its step that were refused.
        if let Some((from, origin)) = restore {
            let (step_id, inverse) = *origin;
            let stack = match from {
                Stack::Undo => &mut self.redo,
                Stack::Redo => &mut self.undo,
            };
            match stack.back_mut() {
                Some(top) if top.id == step_id => top.inverses.push(inverse),
                _ => push(
                    stack,
                    Step {
                        id: step_id,
                        inverses: vec![inverse],
                    },
                ),
            }
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Forgets everything (e.g. when another board is opened).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }

    fn push(&mut self, onto: Stack, inverses: Vec<Inverse>) {
        if inverses.is_empty() {
            return;
        }
        let step = Step {
            id: self.next_step,
            inverses,
        };
        self.next_step += 1;
        match onto {
            Stack::Undo => push(&mut self.undo, step),
            Stack::Redo => push(&mut self.redo, step),
        }
    }

    /// Pops steps from `from` until one still does something on `now`; returns its
    /// ops and pushes the step that reverses them onto the other stack.
    fn step(
        &mut self,
        from: Stack,
        now: &BoardState,
        mut new_id: impl FnMut() -> Uuid,
    ) -> Option<Vec<(Uuid, BoardOp)>> {
        let stack = match from {
            Stack::Undo => &mut self.undo,
            Stack::Redo => &mut self.redo,
        };
        while let Some(step) = stack.pop_back() {
            let mut ops = Vec::new();
            let mut made_from = Vec::new();
            for inverse in &step.inverses {
                if let Some(op) = resolve(inverse, now) {
                    let id = new_id();
                    ops.push((id, op));
                    let origin = Inverse {
                        origin: None,
                        ..inverse.clone()
                    };
                    made_from.push((id, origin));
                }
            }
            if ops.is_empty() {
                continue;
            }
            let mut reverse = invert(now, &ops);
            for inverse in &mut reverse {
                inverse.origin = made_from
                    .iter()
                    .find(|(id, _)| *id == inverse.cause)
                    .map(|(_, origin)| Box::new((step.id, origin.clone())));
            }
            let onto = match from {
                Stack::Undo => Stack::Redo,
                Stack::Redo => Stack::Undo,
            };
            self.push(onto, reverse);
            return Some(ops);
        }
        None
    }
}

fn push(stack: &mut VecDeque<Step>, step: Step) {
    stack.push_back(step);
    if stack.len() > MAX_STEPS {
        stack.pop_front();
    }
}

/// A board holding only what `ops` touch, copied from `before` (values, not stamps:
/// its writes start at rev 1). Inverting a group against it sees each op's effect on
/// the next — add then move, or two moves — without cloning the whole board.
fn scratch(before: &BoardState, ops: &[(Uuid, BoardOp)]) -> BoardState {
    let mut snapshot = BoardSnapshot {
        rev: 0,
        at: 0,
        pages: Vec::new(),
        elements: Vec::new(),
    };
    for (_, op) in ops {
        match Target::of(op) {
            Target::Element(id) => {
                if let Some((element, deleted, version)) = before.element_entry(id) {
                    if !snapshot.elements.iter().any(|e| e.element.id == id) {
                        snapshot.elements.push(ElementEntry {
                            element: element.clone(),
                            version,
                            deleted,
                        });
                    }
                }
            }
            Target::Page(id) => {
                if let Some((page, deleted)) = before.page_entry(id) {
                    if !snapshot.pages.iter().any(|p| p.page.id == id) {
                        snapshot.pages.push(PageEntry {
                            page: page.clone(),
                            deleted,
                        });
                    }
                }
            }
        }
    }
    BoardState::from_snapshot(&snapshot)
}

/// The inverses undoing `ops` applied to `before`: each op's inverse, last op first.
fn invert(before: &BoardState, ops: &[(Uuid, BoardOp)]) -> Vec<Inverse> {
    let mut state = scratch(before, ops);
    let mut step = Vec::with_capacity(ops.len());
    for (i, (id, op)) in ops.iter().enumerate() {
        if let Some(inverse) = inverse(&state, op, *id) {
            step.push(inverse);
        }
        state.apply_op(i as i64 + 1, 0, op);
    }
    step.reverse();
    step
}

fn inverse(state: &BoardState, op: &BoardOp, cause: Uuid) -> Option<Inverse> {
    let with = |op: BoardOp, expect: Expect| {
        Some(Inverse {
            op,
            expect,
            cause,
            origin: None,
        })
    };
    let plain = |op: BoardOp| with(op, Expect::Nothing);
    match op {
        BoardOp::AddElement { element } => plain(BoardOp::DeleteElement {
            id: element.id,
            version: 0,
        }),
        BoardOp::UpdateElement { id, patch, .. } => {
            let (element, _, _) = state.element_entry(*id)?;
            let previous = previous_values(element, patch);
            with(
                BoardOp::UpdateElement {
                    id: *id,
                    version: 0,
                    patch: previous,
                },
                Expect::Element(patch.clone()),
            )
        }
        BoardOp::DeleteElement { id, .. } => match state.element_entry(*id)? {
            (_, false, _) => plain(BoardOp::RestoreElement {
                id: *id,
                version: 0,
            }),
            _ => None,
        },
        BoardOp::RestoreElement { id, .. } => match state.element_entry(*id)? {
            (_, true, _) => plain(BoardOp::DeleteElement {
                id: *id,
                version: 0,
            }),
            _ => None,
        },
        BoardOp::ReorderElement { id, z, .. } => {
            let (element, _, _) = state.element_entry(*id)?;
            with(
                BoardOp::ReorderElement {
                    id: *id,
                    version: 0,
                    z: element.z,
                },
                Expect::Z(*z),
            )
        }
        BoardOp::AddPage { page } => plain(BoardOp::DeletePage { id: page.id }),
        BoardOp::UpdatePage { id, name, order } => {
            let (page, _) = state.page_entry(*id)?;
            with(
                BoardOp::UpdatePage {
                    id: *id,
                    name: name.as_ref().map(|_| page.name.clone()),
                    order: order.map(|_| page.order),
                },
                Expect::Page {
                    name: name.clone(),
                    order: *order,
                },
            )
        }
        BoardOp::DeletePage { id } => match state.page_entry(*id)? {
            (_, false) => plain(BoardOp::RestorePage { id: *id }),
            _ => None,
        },
        BoardOp::RestorePage { id } => match state.page_entry(*id)? {
            (_, true) => plain(BoardOp::DeletePage { id: *id }),
            _ => None,
        },
    }
}

/// The element's current values of exactly the fields `patch` sets.
fn previous_values(e: &Element, patch: &ElementPatch) -> ElementPatch {
    ElementPatch {
        page_id: patch.page_id.map(|_| e.page_id),
        x: patch.x.map(|_| e.x),
        y: patch.y.map(|_| e.y),
        width: patch.width.map(|_| e.width),
        height: patch.height.map(|_| e.height),
        points: patch.points.as_ref().map(|_| e.points.clone()),
        text: patch.text.as_ref().map(|_| e.text.clone()),
        stroke: patch.stroke.as_ref().map(|_| e.stroke.clone()),
        fill: patch.fill.as_ref().map(|_| e.fill.clone()),
        stroke_width: patch.stroke_width.map(|_| e.stroke_width),
    }
}

/// Coordinates travel through JSON and a database; allow for the last bit.
fn same_number(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn same_points(a: &[Point], b: &[Point]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(p, q)| same_number(p.x, q.x) && same_number(p.y, q.y))
}

/// `restore` without the fields whose current value in `e` is no longer `wrote`'s.
fn still_mine(e: &Element, restore: &ElementPatch, wrote: &ElementPatch) -> ElementPatch {
    fn keep<T: Clone>(
        restore: &Option<T>,
        wrote: &Option<T>,
        unchanged: impl Fn(&T) -> bool,
    ) -> Option<T> {
        match (restore, wrote) {
            (Some(old), Some(mine)) if unchanged(mine) => Some(old.clone()),
            _ => None,
        }
    }
    ElementPatch {
        page_id: keep(&restore.page_id, &wrote.page_id, |v| *v == e.page_id),
        x: keep(&restore.x, &wrote.x, |v| same_number(*v, e.x)),
        y: keep(&restore.y, &wrote.y, |v| same_number(*v, e.y)),
        width: keep(&restore.width, &wrote.width, |v| same_number(*v, e.width)),
        height: keep(&restore.height, &wrote.height, |v| {
            same_number(*v, e.height)
        }),
        points: keep(&restore.points, &wrote.points, |v| {
            same_points(v, &e.points)
        }),
        text: keep(&restore.text, &wrote.text, |v| *v == e.text),
        stroke: keep(&restore.stroke, &wrote.stroke, |v| *v == e.stroke),
        fill: keep(&restore.fill, &wrote.fill, |v| *v == e.fill),
        stroke_width: keep(&restore.stroke_width, &wrote.stroke_width, |v| {
            same_number(*v, e.stroke_width)
        }),
    }
}

fn page_fields_still_mine(
    page: &Page,
    name: &Option<String>,
    order: &Option<f64>,
    expect: &Expect,
) -> (Option<String>, Option<f64>) {
    let Expect::Page {
        name: wrote_name,
        order: wrote_order,
    } = expect
    else {
        return (name.clone(), *order);
    };
    let name = name
        .clone()
        .filter(|_| wrote_name.as_ref() == Some(&page.name));
    let order = order.filter(|_| wrote_order.is_some_and(|o| same_number(o, page.order)));
    (name, order)
}

/// The op to send for `inverse` on the board `now`, or `None` if it would do nothing.
fn resolve(inverse: &Inverse, now: &BoardState) -> Option<BoardOp> {
    match &inverse.op {
        BoardOp::UpdateElement { id, patch, .. } => {
            let (element, _, version) = now.element_entry(*id)?;
            let patch = match &inverse.expect {
                Expect::Element(wrote) => still_mine(element, patch, wrote),
                _ => patch.clone(),
            };
            (!patch.is_empty()).then_some(BoardOp::UpdateElement {
                id: *id,
                version,
                patch,
            })
        }
        BoardOp::ReorderElement { id, z, .. } => {
            let (element, _, version) = now.element_entry(*id)?;
            let unchanged = match inverse.expect {
                Expect::Z(wrote) => same_number(wrote, element.z),
                _ => true,
            };
            unchanged.then_some(BoardOp::ReorderElement {
                id: *id,
                version,
                z: *z,
            })
        }
        BoardOp::DeleteElement { id, .. } => {
            let (_, deleted, version) = now.element_entry(*id)?;
            (!deleted).then_some(BoardOp::DeleteElement { id: *id, version })
        }
        BoardOp::RestoreElement { id, .. } => {
            let (_, deleted, version) = now.element_entry(*id)?;
            deleted.then_some(BoardOp::RestoreElement { id: *id, version })
        }
        BoardOp::UpdatePage { id, name, order } => {
            let (page, _) = now.page_entry(*id)?;
            let (name, order) = page_fields_still_mine(page, name, order, &inverse.expect);
            (name.is_some() || order.is_some()).then_some(BoardOp::UpdatePage {
                id: *id,
                name,
                order,
            })
        }
        BoardOp::DeletePage { id } => {
            let (_, deleted) = now.page_entry(*id)?;
            (!deleted).then_some(BoardOp::DeletePage { id: *id })
        }
        BoardOp::RestorePage { id } => {
            let (_, deleted) = now.page_entry(*id)?;
            deleted.then_some(BoardOp::RestorePage { id: *id })
        }
        // Inverses are never adds: an add is undone by a delete, redone by a restore.
        BoardOp::AddElement { .. } | BoardOp::AddPage { .. } => Some(inverse.op.clone()),
    }
}

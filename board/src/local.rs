//! The client's optimistic replica: what the server confirmed, plus my ops in flight.
//!
//! How it stays cheap with big boards: `LocalBoard` keeps two full states, `confirmed`
//! (only sequenced ops) and `view` (what to draw). With nothing pending they are equal
//! and every op is simply applied to both: O(size of the op), no clone.
//!
//! A proposed op is applied to `view` at once with a *provisional* rev — a stamp above
//! any real rev (from 2^62 up, one per op) — so it wins over everything confirmed, just
//! as it will once the server orders it after everything we have received. Provisional
//! writes move neither the board's rev nor element versions (see
//! `BoardState::apply_provisional`), so ops built from `view` carry real versions.
//!
//! The invariant: for every element and page, its slot in `view` is its slot in
//! `confirmed` with the pending ops that target it re-applied at their provisional
//! stamps. Every op writes exactly one element or page, so when an op is received
//! (mine or another's) or refused, only that one target is rebuilt: copy its slot from
//! `confirmed`, re-apply the pending ops on it. That costs one slot plus a scan of
//! the (few) pending ops — never a board clone — and once every op is confirmed each
//! slot has been rebuilt from `confirmed`, so `view` equals `confirmed`.

use tandem_protocol::boards::{BoardOp, BoardRev, Element, Page, SequencedOp};
use uuid::Uuid;

use crate::state::{BoardState, Change, Target};

/// Provisional stamps start here, far above any rev a server will reach.
const PROVISIONAL_BASE: BoardRev = 1 << 62;

#[derive(Debug, Clone)]
struct Pending {
    op_id: Uuid,
    op: BoardOp,
    stamp: BoardRev,
    target: Target,
}

/// What a target looks like to someone drawing it, to tell whether it changed.
#[derive(Debug, PartialEq)]
enum Look {
    Element(Option<(Element, bool)>),
    Page(Option<(Page, bool)>),
}

/// The confirmed board plus my pending ops (sent, not yet echoed back).
#[derive(Debug, Clone)]
pub struct LocalBoard {
    confirmed: BoardState,
    view: BoardState,
    pending: Vec<Pending>,
    next_stamp: BoardRev,
}

impl LocalBoard {
    pub fn new(state: BoardState) -> Self {
        LocalBoard {
            view: state.clone(),
            confirmed: state,
            pending: Vec::new(),
            next_stamp: PROVISIONAL_BASE,
        }
    }

    /// Replaces the confirmed state (after opening the board again). Pending ops stay
    /// and are re-applied on top; re-send them with [`LocalBoard::pending`].
    pub fn reset(&mut self, state: BoardState) {
        self.view = state.clone();
        self.confirmed = state;
        for p in &self.pending {
            self.view.apply_provisional(p.stamp, &p.op);
        }
    }

    /// Shows my new op at once; it stays pending until the server echoes `op_id`
    /// (`receive`) or refuses it (`refuse`). Proposing a pending `op_id` again does
    /// nothing.
    pub fn propose(&mut self, op_id: Uuid, op: BoardOp) -> Change {
        if self.is_pending(op_id) {
            return Change::Nothing;
        }
        let stamp = self.next_stamp;
        self.next_stamp += 1;
        let change = self.view.apply_provisional(stamp, &op);
        self.pending.push(Pending {
            op_id,
            target: Target::of(&op),
            op,
            stamp,
        });
        change
    }

    /// A sequenced op from the server, mine or someone else's. Returns what to redraw
    /// (empty when the view did not change, e.g. the echo of my own op).
    pub fn receive(&mut self, op: &SequencedOp) -> Vec<Change> {
        self.confirmed.apply(op);
        if self.pending.is_empty() {
            let change = self.view.apply(op);
            return if change == Change::Nothing {
                Vec::new()
            } else {
                vec![change]
            };
        }
        self.pending.retain(|p| p.op_id != op.op_id);
        self.rebuild(Target::of(&op.op))
    }

    /// The server refused my op: forget it and take its effect back.
    pub fn refuse(&mut self, op_id: Uuid) -> Vec<Change> {
        let Some(index) = self.pending.iter().position(|p| p.op_id == op_id) else {
            return Vec::new();
        };
        let refused = self.pending.remove(index);
        self.rebuild(refused.target)
    }

    /// What to draw: confirmed plus pending.
    pub fn view(&self) -> &BoardState {
        &self.view
    }

    /// Only what the server confirmed.
    pub fn confirmed(&self) -> &BoardState {
        &self.confirmed
    }

    /// The confirmed rev, for `Open { since }`.
    pub fn rev(&self) -> BoardRev {
        self.confirmed.rev()
    }

    /// My ops in flight, oldest first, to re-send (same op ids) after a reconnect.
    pub fn pending(&self) -> Vec<(Uuid, BoardOp)> {
        self.pending
            .iter()
            .map(|p| (p.op_id, p.op.clone()))
            .collect()
    }

    pub fn is_pending(&self, op_id: Uuid) -> bool {
        self.pending.iter().any(|p| p.op_id == op_id)
    }

    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    fn look(&self, target: Target) -> Look {
        match target {
            Target::Element(id) => Look::Element(
                self.view
                    .element_entry(id)
                    .map(|(e, deleted, _)| (e.clone(), deleted)),
            ),
            Target::Page(id) => Look::Page(
                self.view
                    .page_entry(id)
                    .map(|(p, deleted)| (p.clone(), deleted)),
            ),
        }
    }

    /// Restores the invariant for one target (see the module doc).
    fn rebuild(&mut self, target: Target) -> Vec<Change> {
        let before = self.look(target);
        self.view.copy_target(&self.confirmed, target);
        for p in self.pending.iter().filter(|p| p.target == target) {
            self.view.apply_provisional(p.stamp, &p.op);
        }
        if self.look(target) == before {
            return Vec::new();
        }
        vec![match target {
            Target::Element(id) => Change::Element(id),
            Target::Page(id) => Change::Page(id),
        }]
    }
}

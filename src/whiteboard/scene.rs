//! The elements of the page on screen, indexed by where they are, so a redraw can ask
//! "what intersects this area, bottom to top?" without walking all 10,000 elements.
//!
//! A uniform grid of square cells maps each cell to the elements whose bounds touch
//! it. Elements that span very many cells (a huge rectangle) go in a separate list
//! that every query checks, so one big element cannot make updates expensive.
//! Updates are incremental: a changed element is removed from its old cells and added
//! to its new ones, and the union of its old and new bounds is what needs redrawing.

use std::collections::{HashMap, HashSet};

use tandem_board::geometry::{bounds, Rect};
use tandem_board::BoardState;
use tandem_protocol::boards::{ElementId, PageId};

/// Board units per grid cell: a typical view at 100 % spans a handful of cells.
const CELL: f64 = 256.0;
/// Elements covering more cells than this are kept out of the grid.
const MAX_CELLS: i64 = 64;

#[derive(Debug, Clone, Copy)]
struct Item {
    bounds: Rect,
    z: f64,
    /// Kept in the grid (false: in `large`).
    gridded: bool,
}

#[derive(Debug, Default)]
pub struct Scene {
    page: Option<PageId>,
    items: HashMap<ElementId, Item>,
    grid: HashMap<(i64, i64), Vec<ElementId>>,
    large: HashSet<ElementId>,
}

fn cell_of(v: f64) -> i64 {
    // Coordinates are validated to ±1e7, so this never saturates in practice; `as`
    // saturates rather than panics if it ever did.
    (v / CELL).floor() as i64
}

fn cells(r: &Rect) -> (i64, i64, i64, i64) {
    (
        cell_of(r.min_x),
        cell_of(r.min_y),
        cell_of(r.max_x),
        cell_of(r.max_y),
    )
}

fn cell_count(r: &Rect) -> i64 {
    let (x0, y0, x1, y1) = cells(r);
    (x1 - x0 + 1).saturating_mul(y1 - y0 + 1)
}

impl Scene {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn page(&self) -> Option<PageId> {
        self.page
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Indexes every visible element of `page` afresh.
    pub fn rebuild(&mut self, state: &BoardState, page: Option<PageId>) {
        self.page = page;
        self.items.clear();
        self.grid.clear();
        self.large.clear();
        if let Some(page) = page {
            for e in state.elements_on(page) {
                self.insert(e.id, bounds(e), e.z);
            }
        }
    }

    /// Re-reads one element after a change. Returns the area to redraw (old and new
    /// bounds), or `None` when the element is not, and was not, on this page.
    pub fn update(&mut self, state: &BoardState, id: ElementId) -> Option<Rect> {
        let old = self.remove(id);
        let new = match (self.page, state.element(id)) {
            (Some(page), Some(e)) if e.page_id == page => {
                let b = bounds(e);
                self.insert(id, b, e.z);
                Some(b)
            }
            _ => None,
        };
        match (old, new) {
            (Some(a), Some(b)) => Some(a.union(&b)),
            (a, b) => a.or(b),
        }
    }

    fn insert(&mut self, id: ElementId, b: Rect, z: f64) {
        let gridded = cell_count(&b) <= MAX_CELLS;
        if gridded {
            let (x0, y0, x1, y1) = cells(&b);
            for cx in x0..=x1 {
                for cy in y0..=y1 {
                    self.grid.entry((cx, cy)).or_default().push(id);
                }
            }
        } else {
            self.large.insert(id);
        }
        self.items.insert(
            id,
            Item {
                bounds: b,
                z,
                gridded,
            },
        );
    }

    fn remove(&mut self, id: ElementId) -> Option<Rect> {
        let item = self.items.remove(&id)?;
        if item.gridded {
            let (x0, y0, x1, y1) = cells(&item.bounds);
            for cx in x0..=x1 {
                for cy in y0..=y1 {
                    if let Some(list) = self.grid.get_mut(&(cx, cy)) {
                        if let Some(i) = list.iter().position(|e| *e == id) {
                            list.swap_remove(i);
                        }
                        if list.is_empty() {
                            self.grid.remove(&(cx, cy));
                        }
                    }
                }
            }
        } else {
            self.large.remove(&id);
        }
        Some(item.bounds)
    }

    pub fn bounds(&self, id: ElementId) -> Option<Rect> {
        self.items.get(&id).map(|item| item.bounds)
    }

    /// Elements whose bounds intersect `area`, bottom to top (the board's z order).
    pub fn query(&self, area: &Rect) -> Vec<ElementId> {
        let mut hits: Vec<(f64, ElementId)> = if cell_count(area) > self.grid.len() as i64 {
            // Looking at (nearly) everything: one pass beats visiting empty cells.
            self.items
                .iter()
                .filter(|(_, item)| item.bounds.intersects(area))
                .map(|(id, item)| (item.z, *id))
                .collect()
        } else {
            let mut seen = HashSet::new();
            let mut out = Vec::new();
            let (x0, y0, x1, y1) = cells(area);
            for cx in x0..=x1 {
                for cy in y0..=y1 {
                    for id in self.grid.get(&(cx, cy)).into_iter().flatten() {
                        if seen.insert(*id) {
                            let item = &self.items[id];
                            if item.bounds.intersects(area) {
                                out.push((item.z, *id));
                            }
                        }
                    }
                }
            }
            for id in &self.large {
                let item = &self.items[id];
                if item.bounds.intersects(area) {
                    out.push((item.z, *id));
                }
            }
            out
        };
        hits.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        hits.into_iter().map(|(_, id)| id).collect()
    }

    /// The union of every element's bounds.
    pub fn content_bounds(&self) -> Option<Rect> {
        self.items
            .values()
            .map(|item| item.bounds)
            .reduce(|a, b| a.union(&b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::boards::{BoardOp, Element, ElementPatch, Page};
    use tandem_protocol::test_support::{rect, PAGE};
    use uuid::Uuid;

    fn board(elements: Vec<Element>) -> BoardState {
        let mut state = BoardState::new();
        let mut rev = 1;
        state.apply_op(
            rev,
            0,
            &BoardOp::AddPage {
                page: Page {
                    id: PAGE,
                    name: "P".into(),
                    order: 1.0,
                },
            },
        );
        for element in elements {
            rev += 1;
            state.apply_op(rev, 0, &BoardOp::AddElement { element });
        }
        state
    }

    fn area(min_x: f64, min_y: f64, max_x: f64, max_y: f64) -> Rect {
        Rect {
            min_x,
            min_y,
            max_x,
            max_y,
        }
    }

    #[test]
    fn queries_find_intersecting_elements_in_z_order() {
        let state = board(vec![
            rect(1, 0.0, 0.0, 10.0, 10.0).with_z(3.0),
            rect(2, 5.0, 5.0, 10.0, 10.0).with_z(1.0),
            rect(3, 5000.0, 5000.0, 10.0, 10.0).with_z(2.0),
            // Spans far more than MAX_CELLS cells.
            rect(4, -100_000.0, -100_000.0, 200_000.0, 200_000.0).with_z(0.5),
        ]);
        let mut scene = Scene::new();
        scene.rebuild(&state, Some(PAGE));
        assert_eq!(scene.items.len(), 4);
        let ids = |v: &[u128]| v.iter().map(|i| Uuid::from_u128(*i)).collect::<Vec<_>>();
        assert_eq!(scene.query(&area(0.0, 0.0, 20.0, 20.0)), ids(&[4, 2, 1]));
        assert_eq!(
            scene.query(&area(4000.0, 4000.0, 6000.0, 6000.0)),
            ids(&[4, 3])
        );
        // The everything-query path agrees with the grid path.
        assert_eq!(scene.query(&area(-1e7, -1e7, 1e7, 1e7)), ids(&[4, 2, 3, 1]));
    }

    #[test]
    fn updates_report_old_and_new_bounds_and_move_the_element() {
        let mut state = board(vec![rect(1, 0.0, 0.0, 10.0, 10.0)]);
        let mut scene = Scene::new();
        scene.rebuild(&state, Some(PAGE));
        let id = Uuid::from_u128(1);
        state.apply_op(
            10,
            0,
            &BoardOp::UpdateElement {
                id,
                version: 2,
                patch: ElementPatch {
                    x: Some(1000.0),
                    ..Default::default()
                },
            },
        );
        let dirty = scene.update(&state, id).unwrap();
        assert!(dirty.contains_rect(&area(0.0, 0.0, 10.0, 10.0)));
        assert!(dirty.contains_rect(&area(1000.0, 0.0, 1010.0, 10.0)));
        assert!(scene.query(&area(0.0, 0.0, 20.0, 20.0)).is_empty());
        assert_eq!(scene.query(&area(990.0, 0.0, 1020.0, 20.0)), vec![id]);

        state.apply_op(11, 0, &BoardOp::DeleteElement { id, version: 10 });
        assert!(scene.update(&state, id).is_some());
        assert!(scene.is_empty());
        assert!(scene.grid.is_empty(), "empty cells are dropped");
        // Not on this page, before or after: nothing to redraw.
        assert_eq!(scene.update(&state, Uuid::from_u128(99)), None);
    }

    #[test]
    fn content_bounds_cover_everything() {
        let state = board(vec![
            rect(1, 0.0, 0.0, 10.0, 10.0),
            rect(2, 100.0, 50.0, 10.0, 10.0),
        ]);
        let mut scene = Scene::new();
        scene.rebuild(&state, Some(PAGE));
        let b = scene.content_bounds().unwrap();
        assert!(b.contains_rect(&area(0.0, 0.0, 110.0, 60.0)));
        scene.rebuild(&state, None);
        assert!(scene.content_bounds().is_none());
    }
}

//! Builders, a deterministic random source and a stand-in for the server's op order.

use std::sync::atomic::{AtomicU64, Ordering};

use tandem_board::BoardState;
use tandem_protocol::boards::{
    BoardOp, BoardRev, Element, ElementId, ElementKind, ElementPatch, Page, PageId, SequencedOp,
};
pub use tandem_protocol::test_support::pt;
use tandem_protocol::{test_support, UserId};
use uuid::Uuid;

pub const ANA: UserId = Uuid::from_u128(0xA);
pub const BEN: UserId = Uuid::from_u128(0xB);
pub const FIRST_PAGE: PageId = Uuid::from_u128(0x100);

/// A fresh op id (deterministic, unlike a random v4, and needs no uuid feature).
pub fn op_id() -> Uuid {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    Uuid::from_u64_pair(0x0b, NEXT.fetch_add(1, Ordering::Relaxed))
}

/// A 40 × 30 element (the shared builder's, on the given page and at `z`), with a
/// two-point path for strokes, lines and arrows and "hello" for text and notes.
pub fn element(
    id: ElementId,
    page_id: PageId,
    kind: ElementKind,
    x: f64,
    y: f64,
    z: f64,
) -> Element {
    let element = test_support::element(id.as_u128(), kind, x, y, 40.0, 30.0)
        .on_page(page_id)
        .with_z(z);
    match kind {
        ElementKind::Stroke | ElementKind::Line | ElementKind::Arrow => {
            element.with_points(vec![pt(0.0, 0.0), pt(40.0, 30.0)])
        }
        ElementKind::Text | ElementKind::Sticky => element.with_text("hello"),
        ElementKind::Rectangle | ElementKind::Ellipse => element,
    }
}

pub fn stroke(id: u128, x: f64, y: f64) -> Element {
    element(
        Uuid::from_u128(id),
        FIRST_PAGE,
        ElementKind::Stroke,
        x,
        y,
        id as f64,
    )
}

pub fn page(id: PageId, name: &str, order: f64) -> Page {
    Page {
        id,
        name: name.into(),
        order,
    }
}

pub fn patch_xy(x: f64, y: f64) -> ElementPatch {
    ElementPatch {
        x: Some(x),
        y: Some(y),
        ..Default::default()
    }
}

/// xorshift64*: reproducible, no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> Option<T> {
        (!items.is_empty()).then(|| items[self.below(items.len())])
    }
}

/// Orders ops like the server: the next rev, a timestamp, the author; keeps the log.
pub struct Server {
    pub state: BoardState,
    pub log: Vec<SequencedOp>,
}

impl Server {
    /// A board with its first page, as the server creates it.
    pub fn new() -> Self {
        let mut server = Server {
            state: BoardState::new(),
            log: Vec::new(),
        };
        server.apply(
            None,
            op_id(),
            BoardOp::AddPage {
                page: page(FIRST_PAGE, "Page 1", 1.0),
            },
        );
        server
    }

    pub fn rev(&self) -> BoardRev {
        self.log.len() as BoardRev
    }

    pub fn apply(&mut self, author: Option<UserId>, op_id: Uuid, op: BoardOp) -> SequencedOp {
        let rev = self.rev() + 1;
        let sequenced = SequencedOp {
            rev,
            at: 1_700_000_000_000 + rev * 1000,
            op_id,
            author,
            op,
        };
        self.state.apply(&sequenced);
        self.log.push(sequenced.clone());
        sequenced
    }

    /// Applies `op` as `author` with a fresh op id.
    pub fn by(&mut self, author: UserId, op: BoardOp) -> SequencedOp {
        self.apply(Some(author), op_id(), op)
    }
}

/// A plausible op on `state` that the server would accept: element and page ops only
/// name things that exist (deleted or not). Few elements and pages, so ops keep
/// hitting the same fields.
pub fn random_op(rng: &mut Rng, state: &BoardState, next_id: &mut u128) -> BoardOp {
    let snapshot = state.snapshot();
    let elements: Vec<ElementId> = snapshot.elements.iter().map(|e| e.element.id).collect();
    let pages: Vec<PageId> = snapshot.pages.iter().map(|p| p.page.id).collect();
    loop {
        let roll = rng.below(100);
        let target = rng.pick(&elements);
        let page_id = rng.pick(&pages);
        let op = match (roll, target, page_id) {
            (0..=14, _, Some(page_id)) if elements.len() < 6 => {
                *next_id += 1;
                let kinds = [
                    ElementKind::Stroke,
                    ElementKind::Rectangle,
                    ElementKind::Sticky,
                    ElementKind::Arrow,
                ];
                let kind = kinds[rng.below(kinds.len())];
                let (x, y) = (rng.below(500) as f64, rng.below(500) as f64);
                BoardOp::AddElement {
                    element: element(
                        Uuid::from_u128(*next_id),
                        page_id,
                        kind,
                        x,
                        y,
                        rng.below(10) as f64,
                    ),
                }
            }
            (15..=44, Some(id), _) => {
                let mut patch = ElementPatch::default();
                match rng.below(5) {
                    0 => patch = patch_xy(rng.below(500) as f64, rng.below(500) as f64),
                    1 => patch.x = Some(rng.below(500) as f64),
                    2 => {
                        patch.stroke = Some(["#ff0000", "#00ff00", "#0000ff"][rng.below(3)].into())
                    }
                    3 => patch.text = Some(format!("text {}", rng.below(100))),
                    _ => patch.page_id = page_id,
                }
                BoardOp::UpdateElement {
                    id,
                    version: state.version(id),
                    patch,
                }
            }
            (45..=54, Some(id), _) => BoardOp::DeleteElement {
                id,
                version: state.version(id),
            },
            (55..=64, Some(id), _) => BoardOp::RestoreElement {
                id,
                version: state.version(id),
            },
            (65..=74, Some(id), _) => BoardOp::ReorderElement {
                id,
                version: state.version(id),
                z: rng.below(20) as f64,
            },
            (75..=79, _, _) if pages.len() < 4 => {
                *next_id += 1;
                BoardOp::AddPage {
                    page: page(Uuid::from_u128(*next_id), "New page", rng.below(10) as f64),
                }
            }
            (80..=89, _, Some(id)) => {
                let name = rng.chance(50).then(|| format!("Page {}", rng.below(100)));
                let order = (name.is_none() || rng.chance(50)).then(|| rng.below(10) as f64);
                BoardOp::UpdatePage { id, name, order }
            }
            (90..=94, _, Some(id)) => BoardOp::DeletePage { id },
            (95..=99, _, Some(id)) => BoardOp::RestorePage { id },
            _ => continue,
        };
        return op;
    }
}

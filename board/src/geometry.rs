//! Where elements are: bounds, hit testing, selection boxes, moving and resizing.
//!
//! Two boxes matter for an element. Its *shape box* ([`shape_rect`]) is its geometry
//! without the pen: the (normalised) x/y/width/height of a box element, the extent of
//! the points of a stroke, line or arrow. Its *bounds* ([`bounds`]) are what ink
//! covers: the shape box plus half the stroke width and the arrow head. Selection and
//! export use bounds; resizing maps shape boxes (so resizing never grows a shape by its
//! own pen width).

use tandem_protocol::boards::{Element, ElementId, ElementKind, ElementPatch, PageId, Point};

use crate::state::BoardState;

/// An axis-aligned rectangle; `min_* <= max_*` when built by this module.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub min_x: f64,
    pub min_y: f64,
    pub max_x: f64,
    pub max_y: f64,
}

impl Rect {
    /// The rectangle with corners `a` and `b`, in any order.
    pub fn from_points(a: Point, b: Point) -> Rect {
        Rect {
            min_x: a.x.min(b.x),
            min_y: a.y.min(b.y),
            max_x: a.x.max(b.x),
            max_y: a.y.max(b.y),
        }
    }

    pub fn width(&self) -> f64 {
        self.max_x - self.min_x
    }

    pub fn height(&self) -> f64 {
        self.max_y - self.min_y
    }

    pub fn center(&self) -> Point {
        Point {
            x: (self.min_x + self.max_x) / 2.0,
            y: (self.min_y + self.max_y) / 2.0,
        }
    }

    /// Overlap, edges included.
    pub fn intersects(&self, other: &Rect) -> bool {
        self.min_x <= other.max_x
            && other.min_x <= self.max_x
            && self.min_y <= other.max_y
            && other.min_y <= self.max_y
    }

    /// `other` lies wholly inside (edges included).
    pub fn contains_rect(&self, other: &Rect) -> bool {
        self.min_x <= other.min_x
            && other.max_x <= self.max_x
            && self.min_y <= other.min_y
            && other.max_y <= self.max_y
    }

    pub fn contains(&self, p: Point) -> bool {
        self.min_x <= p.x && p.x <= self.max_x && self.min_y <= p.y && p.y <= self.max_y
    }

    pub fn union(&self, other: &Rect) -> Rect {
        Rect {
            min_x: self.min_x.min(other.min_x),
            min_y: self.min_y.min(other.min_y),
            max_x: self.max_x.max(other.max_x),
            max_y: self.max_y.max(other.max_y),
        }
    }

    /// Grown by `by` on every side (shrunk when negative).
    pub fn inflate(&self, by: f64) -> Rect {
        Rect {
            min_x: self.min_x - by,
            min_y: self.min_y - by,
            max_x: self.max_x + by,
            max_y: self.max_y + by,
        }
    }

    fn around(points: impl IntoIterator<Item = Point>) -> Option<Rect> {
        points.into_iter().fold(None, |acc: Option<Rect>, p| {
            let r = Rect {
                min_x: p.x,
                min_y: p.y,
                max_x: p.x,
                max_y: p.y,
            };
            Some(acc.map_or(r, |acc| acc.union(&r)))
        })
    }
}

/// Strokes, lines and arrows are drawn from points; the rest from their box.
pub fn is_path(kind: ElementKind) -> bool {
    matches!(
        kind,
        ElementKind::Stroke | ElementKind::Line | ElementKind::Arrow
    )
}

/// The element's points in board coordinates (they are stored relative to x, y).
pub fn absolute_points(e: &Element) -> impl Iterator<Item = Point> + '_ {
    e.points.iter().map(move |p| Point {
        x: e.x + p.x,
        y: e.y + p.y,
    })
}

/// The arrow head of an arrow from `start` to `end` drawn with `stroke_width`:
/// `[left wing, tip, right wing]`, drawn as an open chevron. Shared by the canvas and
/// the SVG export so both draw (and measure) the same head.
pub fn arrow_head(start: Point, end: Point, stroke_width: f64) -> [Point; 3] {
    let length = 8.0 + 3.0 * stroke_width;
    let (dx, dy) = (end.x - start.x, end.y - start.y);
    let norm = dx.hypot(dy);
    // A zero-length arrow still gets a head, pointing right.
    let (ux, uy) = if norm > f64::EPSILON {
        (dx / norm, dy / norm)
    } else {
        (1.0, 0.0)
    };
    // Wings at ±30° from the shaft, going back from the tip.
    let (cos, sin) = (30f64.to_radians().cos(), 30f64.to_radians().sin());
    let back = |s: f64| Point {
        x: end.x - length * (ux * cos - s * uy * sin),
        y: end.y - length * (uy * cos + s * ux * sin),
    };
    [back(1.0), end, back(-1.0)]
}

/// The head of an arrow element, `None` for other kinds or fewer than two points.
pub fn element_arrow_head(e: &Element) -> Option<[Point; 3]> {
    if e.kind != ElementKind::Arrow || e.points.len() < 2 {
        return None;
    }
    let n = e.points.len();
    let at = |p: Point| Point {
        x: e.x + p.x,
        y: e.y + p.y,
    };
    Some(arrow_head(
        at(e.points[n - 2]),
        at(e.points[n - 1]),
        e.stroke_width,
    ))
}

/// The geometric box, without the pen (see the module doc). Negative sizes are
/// normalised; a path without points falls back to its box.
pub fn shape_rect(e: &Element) -> Rect {
    if is_path(e.kind) {
        if let Some(r) = Rect::around(absolute_points(e)) {
            return r;
        }
    }
    Rect::from_points(
        Point { x: e.x, y: e.y },
        Point {
            x: e.x + e.width,
            y: e.y + e.height,
        },
    )
}

/// What the element's ink covers: its shape box plus half the stroke width (strokes,
/// lines, arrows, rectangles, ellipses) and the arrow head.
pub fn bounds(e: &Element) -> Rect {
    let half = e.stroke_width.max(0.0) / 2.0;
    let shape = shape_rect(e);
    match e.kind {
        ElementKind::Text | ElementKind::Sticky => shape,
        ElementKind::Arrow => {
            let head = element_arrow_head(e).and_then(Rect::around);
            head.map_or(shape, |h| shape.union(&h)).inflate(half)
        }
        _ => shape.inflate(half),
    }
}

fn distance_to_segment(p: Point, a: Point, b: Point) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (p.x - (a.x + t * dx)).hypot(p.y - (a.y + t * dy))
}

/// Distance from `p` to the polyline through `points` (a single point counts).
pub fn distance_to_polyline(p: Point, points: &[Point]) -> f64 {
    match points {
        [] => f64::INFINITY,
        [only] => (p.x - only.x).hypot(p.y - only.y),
        _ => points
            .windows(2)
            .map(|w| distance_to_segment(p, w[0], w[1]))
            .fold(f64::INFINITY, f64::min),
    }
}

/// Approximate distance from `p` to the outline of the ellipse inscribed in `r`: the
/// implicit function divided by its gradient, exact on the curve and good near it,
/// which is all a hit test asks. Degenerate ellipses are their axis segment.
fn distance_to_ellipse(p: Point, r: &Rect) -> f64 {
    let c = r.center();
    let (a, b) = (r.width() / 2.0, r.height() / 2.0);
    if a <= f64::EPSILON || b <= f64::EPSILON {
        return distance_to_segment(
            p,
            Point {
                x: r.min_x,
                y: r.min_y,
            },
            Point {
                x: r.max_x,
                y: r.max_y,
            },
        );
    }
    let (dx, dy) = (p.x - c.x, p.y - c.y);
    let k = ((dx / a).powi(2) + (dy / b).powi(2)).sqrt();
    if k <= f64::EPSILON {
        return a.min(b);
    }
    let gradient = (dx / (a * a)).hypot(dy / (b * b)) / k;
    (k - 1.0).abs() / gradient
}

fn inside_ellipse(p: Point, r: &Rect) -> bool {
    let c = r.center();
    let (a, b) = (r.width() / 2.0, r.height() / 2.0);
    a > 0.0 && b > 0.0 && ((p.x - c.x) / a).powi(2) + ((p.y - c.y) / b).powi(2) <= 1.0
}

fn distance_to_outline(p: Point, r: &Rect) -> f64 {
    let corners = [
        Point {
            x: r.min_x,
            y: r.min_y,
        },
        Point {
            x: r.max_x,
            y: r.min_y,
        },
        Point {
            x: r.max_x,
            y: r.max_y,
        },
        Point {
            x: r.min_x,
            y: r.max_y,
        },
        Point {
            x: r.min_x,
            y: r.min_y,
        },
    ];
    distance_to_polyline(p, &corners)
}

/// Whether a click at `p` (within `tolerance`, in board units) touches the element:
/// the ink of strokes, lines and arrows; the outline of rectangles and ellipses, or
/// their inside when filled; anywhere in the box of text and sticky notes.
pub fn hit_test(e: &Element, p: Point, tolerance: f64) -> bool {
    let reach = tolerance + e.stroke_width.max(0.0) / 2.0;
    if !bounds(e).inflate(tolerance).contains(p) {
        return false;
    }
    let shape = shape_rect(e);
    match e.kind {
        ElementKind::Stroke | ElementKind::Line | ElementKind::Arrow => {
            let points: Vec<Point> = absolute_points(e).collect();
            if distance_to_polyline(p, &points) <= reach {
                return true;
            }
            element_arrow_head(e).is_some_and(|head| distance_to_polyline(p, &head) <= reach)
        }
        ElementKind::Rectangle => {
            (!e.fill.is_empty() && shape.contains(p)) || distance_to_outline(p, &shape) <= reach
        }
        ElementKind::Ellipse => {
            (!e.fill.is_empty() && inside_ellipse(p, &shape))
                || distance_to_ellipse(p, &shape) <= reach
        }
        ElementKind::Text | ElementKind::Sticky => shape.inflate(tolerance).contains(p),
    }
}

/// The topmost visible element of the page under `p`.
pub fn element_at(state: &BoardState, page: PageId, p: Point, tolerance: f64) -> Option<ElementId> {
    state
        .elements_on(page)
        .into_iter()
        .rev()
        .find(|e| hit_test(e, p, tolerance))
        .map(|e| e.id)
}

/// The visible elements of the page whose bounds lie wholly inside `area` (a selection
/// marquee), bottom to top.
pub fn elements_in(state: &BoardState, page: PageId, area: Rect) -> Vec<ElementId> {
    state
        .elements_on(page)
        .into_iter()
        .filter(|e| area.contains_rect(&bounds(e)))
        .map(|e| e.id)
        .collect()
}

/// The union of the bounds of the page's visible elements; `None` when it is empty.
pub fn content_bounds(state: &BoardState, page: PageId) -> Option<Rect> {
    state
        .elements_on(page)
        .into_iter()
        .map(bounds)
        .reduce(|a, b| a.union(&b))
}

/// The patch that moves the element by (dx, dy).
pub fn moved(e: &Element, dx: f64, dy: f64) -> ElementPatch {
    ElementPatch {
        x: Some(e.x + dx),
        y: Some(e.y + dy),
        ..Default::default()
    }
}

/// The patch that makes the element's shape box (see [`shape_rect`]) equal `to`: a box
/// element gets `to` as x, y, width, height; a stroke, line or arrow has its points
/// scaled (a flat direction is moved, not stretched) and its origin set to `to`'s
/// top-left corner.
pub fn resized(e: &Element, to: Rect) -> ElementPatch {
    let to = Rect::from_points(
        Point {
            x: to.min_x,
            y: to.min_y,
        },
        Point {
            x: to.max_x,
            y: to.max_y,
        },
    );
    let mut patch = ElementPatch {
        x: Some(to.min_x),
        y: Some(to.min_y),
        width: Some(to.width()),
        height: Some(to.height()),
        ..Default::default()
    };
    if is_path(e.kind) && !e.points.is_empty() {
        let from = shape_rect(e);
        let points = absolute_points(e)
            .map(|p| {
                let q = scale_point(p, &from, &to);
                Point {
                    x: q.x - to.min_x,
                    y: q.y - to.min_y,
                }
            })
            .collect();
        patch.points = Some(points);
    }
    patch
}

fn scale_axis(v: f64, from_min: f64, from_size: f64, to_min: f64, to_size: f64) -> f64 {
    if from_size > f64::EPSILON {
        to_min + (v - from_min) * (to_size / from_size)
    } else {
        to_min + (v - from_min)
    }
}

/// Where `p` goes when the box `from` is stretched onto `to`.
pub fn scale_point(p: Point, from: &Rect, to: &Rect) -> Point {
    Point {
        x: scale_axis(p.x, from.min_x, from.width(), to.min_x, to.width()),
        y: scale_axis(p.y, from.min_y, from.height(), to.min_y, to.height()),
    }
}

/// Where the box `r` goes when the box `from` is stretched onto `to`: what each element
/// of a multiple selection becomes when the selection frame is resized.
pub fn scale_rect(r: Rect, from: Rect, to: Rect) -> Rect {
    let a = scale_point(
        Point {
            x: r.min_x,
            y: r.min_y,
        },
        &from,
        &to,
    );
    let b = scale_point(
        Point {
            x: r.max_x,
            y: r.max_y,
        },
        &from,
        &to,
    );
    Rect::from_points(a, b)
}

/// The eight resize handles of a selection frame, by compass direction (N is up).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handle {
    NW,
    N,
    NE,
    E,
    SE,
    S,
    SW,
    W,
}

impl Handle {
    pub const ALL: [Handle; 8] = [
        Handle::NW,
        Handle::N,
        Handle::NE,
        Handle::E,
        Handle::SE,
        Handle::S,
        Handle::SW,
        Handle::W,
    ];

    /// -1 = the min edge, 0 = the middle (not moved), 1 = the max edge, per axis.
    fn sides(self) -> (i8, i8) {
        match self {
            Handle::NW => (-1, -1),
            Handle::N => (0, -1),
            Handle::NE => (1, -1),
            Handle::E => (1, 0),
            Handle::SE => (1, 1),
            Handle::S => (0, 1),
            Handle::SW => (-1, 1),
            Handle::W => (-1, 0),
        }
    }
}

/// Where the handle sits on the frame `sel`.
pub fn handle_position(sel: Rect, handle: Handle) -> Point {
    let pick = |side: i8, min: f64, max: f64| match side {
        -1 => min,
        1 => max,
        _ => (min + max) / 2.0,
    };
    let (sx, sy) = handle.sides();
    Point {
        x: pick(sx, sel.min_x, sel.max_x),
        y: pick(sy, sel.min_y, sel.max_y),
    }
}

/// The frame after dragging `handle` of `sel` to `new_point`: the handle's edges follow
/// the point, the opposite edges stay. Dragging past the opposite edge flips the frame
/// (the result is always normalised).
pub fn handle_rect(sel: Rect, handle: Handle, new_point: Point) -> Rect {
    let (sx, sy) = handle.sides();
    let (mut a, mut b) = (
        Point {
            x: sel.min_x,
            y: sel.min_y,
        },
        Point {
            x: sel.max_x,
            y: sel.max_y,
        },
    );
    match sx {
        -1 => a.x = new_point.x,
        1 => b.x = new_point.x,
        _ => {}
    }
    match sy {
        -1 => a.y = new_point.y,
        1 => b.y = new_point.y,
        _ => {}
    }
    Rect::from_points(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::boards::{BoardOp, Page, SequencedOp};
    use tandem_protocol::test_support::{element, pt, rect};
    use uuid::Uuid;

    #[test]
    fn rect_basics() {
        let r = Rect::from_points(pt(10.0, 20.0), pt(0.0, 0.0));
        assert_eq!(
            r,
            Rect {
                min_x: 0.0,
                min_y: 0.0,
                max_x: 10.0,
                max_y: 20.0
            }
        );
        assert_eq!((r.width(), r.height()), (10.0, 20.0));
        assert_eq!(r.center(), pt(5.0, 10.0));
        assert!(r.contains(pt(10.0, 20.0)) && !r.contains(pt(10.1, 5.0)));
        let inner = Rect::from_points(pt(1.0, 1.0), pt(9.0, 19.0));
        assert!(r.contains_rect(&inner) && !inner.contains_rect(&r));
        let apart = Rect::from_points(pt(11.0, 0.0), pt(12.0, 1.0));
        assert!(!r.intersects(&apart) && r.inflate(1.0).intersects(&apart));
        assert_eq!(r.union(&apart).max_x, 12.0);
    }

    #[test]
    fn bounds_include_half_the_pen_and_normalise_boxes() {
        let stroke = element(1, ElementKind::Stroke, 100.0, 50.0, 0.0, 0.0)
            .with_points(vec![pt(0.0, 0.0), pt(10.0, -5.0)]);
        assert_eq!(
            bounds(&stroke),
            Rect {
                min_x: 99.0,
                min_y: 44.0,
                max_x: 111.0,
                max_y: 51.0
            }
        );
        let flipped = rect(1, 10.0, 10.0, -10.0, -4.0);
        assert_eq!(
            bounds(&flipped),
            Rect {
                min_x: -1.0,
                min_y: 5.0,
                max_x: 11.0,
                max_y: 11.0
            }
        );
        let mut text = flipped.clone();
        text.kind = ElementKind::Text;
        assert_eq!(
            bounds(&text),
            Rect {
                min_x: 0.0,
                min_y: 6.0,
                max_x: 10.0,
                max_y: 10.0
            }
        );
    }

    #[test]
    fn arrow_bounds_cover_the_head() {
        // Vertical arrow pointing down: the wings stick out sideways beyond the shaft.
        let arrow = element(1, ElementKind::Arrow, 0.0, 0.0, 0.0, 100.0)
            .with_points(vec![pt(0.0, 0.0), pt(0.0, 100.0)]);
        let head = element_arrow_head(&arrow).unwrap();
        assert_eq!(head[1], pt(0.0, 100.0));
        assert!(
            head[0].y < 100.0 && head[2].y < 100.0,
            "wings go back from the tip"
        );
        assert!((head[0].x + head[2].x).abs() < 1e-9, "wings are symmetric");
        let b = bounds(&arrow);
        assert!(
            b.min_x <= head[0].x.min(head[2].x) - 1.0 && b.max_x >= head[0].x.max(head[2].x) + 1.0
        );
        let mut line = arrow.clone();
        line.kind = ElementKind::Line;
        assert!(bounds(&line).width() < b.width());
    }

    #[test]
    fn hit_testing_by_kind() {
        let line = element(1, ElementKind::Line, 0.0, 0.0, 100.0, 0.0)
            .with_points(vec![pt(0.0, 0.0), pt(100.0, 0.0)]);
        assert!(hit_test(&line, pt(50.0, 3.9), 3.0)); // 3 tolerance + 1 half pen
        assert!(!hit_test(&line, pt(50.0, 4.1), 3.0));
        assert!(!hit_test(&line, pt(104.5, 0.0), 3.0));

        let mut rect = rect(1, 0.0, 0.0, 100.0, 50.0);
        assert!(hit_test(&rect, pt(100.5, 25.0), 1.0));
        assert!(
            !hit_test(&rect, pt(50.0, 25.0), 1.0),
            "an unfilled inside is empty"
        );
        rect.fill = "#ffeeaa".into();
        assert!(hit_test(&rect, pt(50.0, 25.0), 1.0));

        let mut ellipse = element(1, ElementKind::Ellipse, 0.0, 0.0, 200.0, 100.0);
        assert!(hit_test(&ellipse, pt(200.5, 50.0), 1.0));
        assert!(hit_test(&ellipse, pt(100.0, -1.5), 1.0));
        assert!(!hit_test(&ellipse, pt(100.0, 50.0), 1.0));
        assert!(
            !hit_test(&ellipse, pt(5.0, 5.0), 1.0),
            "the box corner is outside the ellipse"
        );
        ellipse.fill = "#ffeeaa".into();
        assert!(hit_test(&ellipse, pt(100.0, 50.0), 1.0));
        assert!(!hit_test(&ellipse, pt(5.0, 5.0), 1.0));

        let note = element(1, ElementKind::Sticky, 0.0, 0.0, 100.0, 100.0);
        assert!(hit_test(&note, pt(50.0, 50.0), 0.0));
        assert!(!hit_test(&note, pt(102.0, 50.0), 1.0));
    }

    #[test]
    fn picking_and_marquee_on_a_board() {
        let page = Uuid::from_u128(100);
        let mut state = BoardState::new();
        let seq = |rev: i64, op: BoardOp| SequencedOp {
            rev,
            at: rev,
            op_id: Uuid::from_u128(rev as u128),
            author: None,
            op,
        };
        state.apply(&seq(
            1,
            BoardOp::AddPage {
                page: Page {
                    id: page,
                    name: "P".into(),
                    order: 1.0,
                },
            },
        ));
        let mut below = rect(1, 0.0, 0.0, 100.0, 100.0);
        below.fill = "#ffffff".into();
        let mut above = element(1, ElementKind::Sticky, 50.0, 50.0, 20.0, 20.0);
        above.id = Uuid::from_u128(8);
        above.z = 2.0;
        state.apply(&seq(
            2,
            BoardOp::AddElement {
                element: above.clone(),
            },
        ));
        state.apply(&seq(
            3,
            BoardOp::AddElement {
                element: below.clone(),
            },
        ));
        assert_eq!(
            element_at(&state, page, pt(60.0, 60.0), 1.0),
            Some(above.id)
        );
        assert_eq!(
            element_at(&state, page, pt(10.0, 10.0), 1.0),
            Some(below.id)
        );
        assert_eq!(element_at(&state, page, pt(300.0, 10.0), 1.0), None);
        assert_eq!(
            element_at(&state, Uuid::from_u128(5), pt(10.0, 10.0), 1.0),
            None
        );

        let area = Rect::from_points(pt(40.0, 40.0), pt(80.0, 80.0));
        assert_eq!(elements_in(&state, page, area), vec![above.id]);
        let all = Rect::from_points(pt(-5.0, -5.0), pt(105.0, 105.0));
        assert_eq!(elements_in(&state, page, all), vec![below.id, above.id]);
        assert_eq!(
            content_bounds(&state, page),
            Some(Rect {
                min_x: -1.0,
                min_y: -1.0,
                max_x: 101.0,
                max_y: 101.0
            })
        );
        state.apply(&seq(
            4,
            BoardOp::DeleteElement {
                id: below.id,
                version: 3,
            },
        ));
        assert_eq!(content_bounds(&state, page), Some(bounds(&above)));
        state.apply(&seq(
            5,
            BoardOp::DeleteElement {
                id: above.id,
                version: 2,
            },
        ));
        assert_eq!(content_bounds(&state, page), None);
    }

    #[test]
    fn moving_and_resizing() {
        let rect = rect(1, 10.0, 10.0, 20.0, 20.0);
        let patch = moved(&rect, 5.0, -3.0);
        assert_eq!(
            (patch.x, patch.y, patch.width),
            (Some(15.0), Some(7.0), None)
        );

        let to = Rect::from_points(pt(0.0, 0.0), pt(40.0, 10.0));
        let patch = resized(&rect, to);
        assert_eq!(
            (patch.x, patch.y, patch.width, patch.height),
            (Some(0.0), Some(0.0), Some(40.0), Some(10.0))
        );
        assert!(patch.points.is_none());

        let stroke = element(1, ElementKind::Stroke, 100.0, 100.0, 10.0, 10.0).with_points(vec![
            pt(0.0, 0.0),
            pt(5.0, 10.0),
            pt(10.0, 0.0),
        ]);
        let to = Rect::from_points(pt(0.0, 0.0), pt(20.0, 5.0));
        let patch = resized(&stroke, to);
        assert_eq!(
            patch.points,
            Some(vec![pt(0.0, 0.0), pt(10.0, 5.0), pt(20.0, 0.0)])
        );
        let mut after = stroke.clone();
        after.x = patch.x.unwrap();
        after.y = patch.y.unwrap();
        after.points = patch.points.unwrap();
        assert_eq!(shape_rect(&after), to);

        // A horizontal line keeps its zero height (moved, not stretched).
        let line = element(1, ElementKind::Line, 0.0, 10.0, 10.0, 0.0)
            .with_points(vec![pt(0.0, 0.0), pt(10.0, 0.0)]);
        let patch = resized(&line, Rect::from_points(pt(0.0, 20.0), pt(30.0, 20.0)));
        assert_eq!(patch.points, Some(vec![pt(0.0, 0.0), pt(30.0, 0.0)]));
        assert_eq!(patch.y, Some(20.0));
    }

    #[test]
    fn handles_drag_their_edges() {
        let sel = Rect::from_points(pt(0.0, 0.0), pt(100.0, 50.0));
        assert_eq!(
            handle_rect(sel, Handle::SE, pt(120.0, 60.0)),
            Rect::from_points(pt(0.0, 0.0), pt(120.0, 60.0))
        );
        assert_eq!(
            handle_rect(sel, Handle::N, pt(999.0, -10.0)),
            Rect::from_points(pt(0.0, -10.0), pt(100.0, 50.0))
        );
        assert_eq!(
            handle_rect(sel, Handle::W, pt(10.0, 999.0)),
            Rect::from_points(pt(10.0, 0.0), pt(100.0, 50.0))
        );
        assert_eq!(
            handle_rect(sel, Handle::NW, pt(150.0, 70.0)),
            Rect::from_points(pt(100.0, 50.0), pt(150.0, 70.0))
        );
        for h in Handle::ALL {
            assert_eq!(
                handle_rect(sel, h, handle_position(sel, h)),
                sel,
                "{h:?} dragged nowhere"
            );
        }
        let inner = Rect::from_points(pt(50.0, 0.0), pt(100.0, 25.0));
        let to = Rect::from_points(pt(0.0, 0.0), pt(200.0, 100.0));
        assert_eq!(
            scale_rect(inner, sel, to),
            Rect::from_points(pt(100.0, 0.0), pt(200.0, 50.0))
        );
    }
}

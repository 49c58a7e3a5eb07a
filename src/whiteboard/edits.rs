//! The ops behind each editing action: pure functions from the board (and a
//! selection) to the `BoardOp`s to propose. One call's ops are one undo step.

use tandem_board::geometry::{moved, resized, scale_rect, shape_rect, Rect};
use tandem_board::BoardState;
use tandem_protocol::boards::{
    BoardOp, Element, ElementId, ElementKind, ElementPatch, PageId, Point, MAX_STROKE_POINTS,
};
use uuid::Uuid;

use super::style::{self, DrawStyle, LINE_HEIGHT, MAX_TEXT_BOX_WIDTH, STICKY_SIZE, TEXT_PADDING};

/// A new element of `kind` with the toolbar's style, at the top of the page.
fn blank(kind: ElementKind, page: PageId, style: &DrawStyle, z: f64) -> Element {
    let fill = match kind {
        ElementKind::Rectangle | ElementKind::Ellipse => style.fill_colour(),
        ElementKind::Sticky => style::STICKY_FILL.to_string(),
        _ => String::new(),
    };
    Element {
        id: Uuid::new_v4(),
        page_id: page,
        kind,
        x: 0.0,
        y: 0.0,
        width: 0.0,
        height: 0.0,
        points: Vec::new(),
        text: String::new(),
        stroke: style.stroke.clone(),
        fill,
        stroke_width: style.width.value(),
        z,
    }
}

/// An element whose `points` are given in board coordinates: they are stored relative
/// to the top-left of their bounds.
fn with_points(mut e: Element, absolute: &[Point]) -> Element {
    let min_x = absolute.iter().map(|p| p.x).fold(f64::INFINITY, f64::min);
    let min_y = absolute.iter().map(|p| p.y).fold(f64::INFINITY, f64::min);
    let max_x = absolute
        .iter()
        .map(|p| p.x)
        .fold(f64::NEG_INFINITY, f64::max);
    let max_y = absolute
        .iter()
        .map(|p| p.y)
        .fold(f64::NEG_INFINITY, f64::max);
    e.x = min_x;
    e.y = min_y;
    e.width = max_x - min_x;
    e.height = max_y - min_y;
    e.points = absolute
        .iter()
        .map(|p| Point {
            x: p.x - min_x,
            y: p.y - min_y,
        })
        .collect();
    e
}

/// A freehand stroke (points in board coordinates, already simplified). A stroke
/// longer than the protocol allows becomes several that join end to start. A single
/// point (a click) becomes a dot.
pub fn strokes(points: &[Point], page: PageId, style: &DrawStyle, z: f64) -> Vec<Element> {
    match points {
        [] => Vec::new(),
        [p] => vec![with_points(
            blank(ElementKind::Stroke, page, style, z),
            &[*p, *p],
        )],
        _ => {
            let mut out = Vec::new();
            let mut start = 0;
            while start + 1 < points.len() {
                let end = (start + MAX_STROKE_POINTS).min(points.len());
                let z = z + out.len() as f64;
                out.push(with_points(
                    blank(ElementKind::Stroke, page, style, z),
                    &points[start..end],
                ));
                // Overlap by one point so the pieces join.
                start = end - 1;
            }
            out
        }
    }
}

/// The stroke being drawn, as one element whatever its length (never proposed).
pub fn stroke_preview(points: &[Point], page: PageId, style: &DrawStyle) -> Option<Element> {
    match points {
        [] => None,
        [p] => Some(with_points(
            blank(ElementKind::Stroke, page, style, 0.0),
            &[*p, *p],
        )),
        _ => Some(with_points(
            blank(ElementKind::Stroke, page, style, 0.0),
            points,
        )),
    }
}

/// Keeps a line at a multiple of 45°, as with Shift held.
fn snap_angle(start: Point, end: Point) -> Point {
    let (dx, dy) = (end.x - start.x, end.y - start.y);
    let length = dx.hypot(dy);
    let step = std::f64::consts::FRAC_PI_4;
    let angle = (dy.atan2(dx) / step).round() * step;
    Point {
        x: start.x + length * angle.cos(),
        y: start.y + length * angle.sin(),
    }
}

/// A line, arrow, rectangle or ellipse dragged from `start` to `end`. `constrain`
/// (Shift) makes squares, circles and 45° lines. `None` for a drag too small to mean
/// anything (smaller than `min_size` board units both ways).
#[allow(clippy::too_many_arguments)]
pub fn shape(
    kind: ElementKind,
    start: Point,
    end: Point,
    constrain: bool,
    min_size: f64,
    page: PageId,
    style: &DrawStyle,
    z: f64,
) -> Option<Element> {
    let e = blank(kind, page, style, z);
    match kind {
        ElementKind::Line | ElementKind::Arrow => {
            let end = if constrain {
                snap_angle(start, end)
            } else {
                end
            };
            if (end.x - start.x).hypot(end.y - start.y) < min_size {
                return None;
            }
            let mut e = with_points(e, &[start, end]);
            // Line points keep their direction (start → end), not just their bounds.
            e.points = vec![
                Point {
                    x: start.x - e.x,
                    y: start.y - e.y,
                },
                Point {
                    x: end.x - e.x,
                    y: end.y - e.y,
                },
            ];
            Some(e)
        }
        ElementKind::Rectangle | ElementKind::Ellipse => {
            let (mut w, mut h) = (end.x - start.x, end.y - start.y);
            if constrain {
                let side = w.abs().max(h.abs());
                w = side.copysign(w);
                h = side.copysign(h);
            }
            if w.abs() < min_size && h.abs() < min_size {
                return None;
            }
            Some(Element {
                x: start.x.min(start.x + w),
                y: start.y.min(start.y + h),
                width: w.abs(),
                height: h.abs(),
                ..e
            })
        }
        _ => None,
    }
}

/// The size a text box needs: as wide as its longest line (within limits), as tall as
/// its wrapped lines, plus padding. `measure` gives a string's width at `FONT_SIZE`.
pub fn text_box_size(text: &str, measure: &mut dyn FnMut(&str) -> f64) -> (f64, f64) {
    let longest = text.split('\n').map(&mut *measure).fold(0.0, f64::max);
    let inner = longest.clamp(style::FONT_SIZE, MAX_TEXT_BOX_WIDTH);
    let lines = tandem_board::text::wrap(text, inner, &mut *measure)
        .len()
        .max(1);
    // A little slack so the browser's and the export's fonts both fit.
    (
        inner.ceil() + 2.0 * TEXT_PADDING + 2.0,
        lines as f64 * LINE_HEIGHT + 2.0 * TEXT_PADDING,
    )
}

/// A new text box or sticky note holding `text`, its top-left at `at`.
pub fn text_element(
    kind: ElementKind,
    at: Point,
    text: &str,
    page: PageId,
    style: &DrawStyle,
    z: f64,
    measure: &mut dyn FnMut(&str) -> f64,
) -> Element {
    let mut e = blank(kind, page, style, z);
    e.x = at.x;
    e.y = at.y;
    e.text = text.to_string();
    if kind == ElementKind::Sticky {
        e.width = STICKY_SIZE;
        e.height = STICKY_SIZE;
        // Sticky text is dark on yellow whatever colour is picked for outlines.
        e.stroke = style::COLOURS[0].1.to_string();
    } else {
        let (w, h) = text_box_size(text, measure);
        e.width = w;
        e.height = h;
    }
    e
}

/// Sets the text of a text box or note (a text box is resized to fit; a note keeps
/// its size). Empty text deletes the element.
pub fn set_text(
    state: &BoardState,
    id: ElementId,
    text: &str,
    measure: &mut dyn FnMut(&str) -> f64,
) -> Vec<BoardOp> {
    let Some(e) = state.element(id) else {
        return Vec::new();
    };
    let version = state.version(id);
    if text.trim().is_empty() {
        return vec![BoardOp::DeleteElement { id, version }];
    }
    if e.text == text {
        return Vec::new();
    }
    let mut patch = ElementPatch {
        text: Some(text.to_string()),
        ..Default::default()
    };
    if e.kind == ElementKind::Text {
        let (w, h) = text_box_size(text, measure);
        patch.width = Some(w);
        patch.height = Some(h);
    }
    vec![BoardOp::UpdateElement { id, version, patch }]
}

pub fn delete(state: &BoardState, ids: &[ElementId]) -> Vec<BoardOp> {
    ids.iter()
        .filter(|id| state.element(**id).is_some())
        .map(|id| BoardOp::DeleteElement {
            id: *id,
            version: state.version(*id),
        })
        .collect()
}

pub fn move_by(state: &BoardState, ids: &[ElementId], dx: f64, dy: f64) -> Vec<BoardOp> {
    if dx == 0.0 && dy == 0.0 {
        return Vec::new();
    }
    ids.iter()
        .filter_map(|id| state.element(*id))
        .map(|e| BoardOp::UpdateElement {
            id: e.id,
            version: state.version(e.id),
            patch: moved(e, dx, dy),
        })
        .collect()
}

/// The elements as they would be after the selection's bounds `from` are stretched
/// to `to` (for the live preview and for the ops).
pub fn resized_elements(
    state: &BoardState,
    ids: &[ElementId],
    from: &Rect,
    to: &Rect,
) -> Vec<(Element, ElementPatch)> {
    ids.iter()
        .filter_map(|id| state.element(*id))
        .map(|e| {
            let patch = resized(e, scale_rect(shape_rect(e), *from, *to));
            (patched(e, &patch), patch)
        })
        .collect()
}

pub fn resize(state: &BoardState, ids: &[ElementId], from: &Rect, to: &Rect) -> Vec<BoardOp> {
    resized_elements(state, ids, from, to)
        .into_iter()
        .filter(|(_, patch)| !patch.is_empty())
        .map(|(e, patch)| BoardOp::UpdateElement {
            id: e.id,
            version: state.version(e.id),
            patch,
        })
        .collect()
}

/// A copy of `e` with `patch` applied (for previews; the board applies real ops).
pub fn patched(e: &Element, patch: &ElementPatch) -> Element {
    let mut e = e.clone();
    if let Some(v) = patch.page_id {
        e.page_id = v;
    }
    e.x = patch.x.unwrap_or(e.x);
    e.y = patch.y.unwrap_or(e.y);
    e.width = patch.width.unwrap_or(e.width);
    e.height = patch.height.unwrap_or(e.height);
    if let Some(v) = &patch.points {
        e.points = v.clone();
    }
    if let Some(v) = &patch.text {
        e.text = v.clone();
    }
    if let Some(v) = &patch.stroke {
        e.stroke = v.clone();
    }
    if let Some(v) = &patch.fill {
        e.fill = v.clone();
    }
    e.stroke_width = patch.stroke_width.unwrap_or(e.stroke_width);
    e
}

/// What a toolbar change does to the selected elements.
#[derive(Debug, Clone, PartialEq)]
pub enum Restyle {
    Stroke(String),
    Fill(bool),
    Width(f64),
}

/// Applies a toolbar change to the selection, where it means something: fills only
/// on rectangles and ellipses, colour not on sticky notes' text.
pub fn restyle(state: &BoardState, ids: &[ElementId], change: &Restyle) -> Vec<BoardOp> {
    ids.iter()
        .filter_map(|id| state.element(*id))
        .filter_map(|e| {
            let shape = matches!(e.kind, ElementKind::Rectangle | ElementKind::Ellipse);
            let patch = match change {
                Restyle::Stroke(c) if e.kind != ElementKind::Sticky && e.stroke != *c => {
                    let mut patch = ElementPatch {
                        stroke: Some(c.clone()),
                        ..Default::default()
                    };
                    if shape && !e.fill.is_empty() {
                        patch.fill = Some(style::tint(c));
                    }
                    patch
                }
                Restyle::Fill(on) if shape && e.fill.is_empty() == *on => ElementPatch {
                    fill: Some(if *on {
                        style::tint(&e.stroke)
                    } else {
                        String::new()
                    }),
                    ..Default::default()
                },
                Restyle::Width(w) if e.stroke_width != *w => ElementPatch {
                    stroke_width: Some(*w),
                    ..Default::default()
                },
                _ => return None,
            };
            Some(BoardOp::UpdateElement {
                id: e.id,
                version: state.version(e.id),
                patch,
            })
        })
        .collect()
}

/// The union of the selected elements' drawn bounds.
#[cfg(test)]
pub fn selection_bounds(state: &BoardState, ids: &[ElementId]) -> Option<Rect> {
    ids.iter()
        .filter_map(|id| state.element(*id))
        .map(tandem_board::geometry::bounds)
        .reduce(|a, b| a.union(&b))
}

/// The selection's frame, where the resize handles sit: the union of the elements'
/// geometric boxes (without stroke widths), so that dragging a handle to a point puts
/// the shapes' edges exactly there.
pub fn selection_frame(state: &BoardState, ids: &[ElementId]) -> Option<Rect> {
    ids.iter()
        .filter_map(|id| state.element(*id))
        .map(shape_rect)
        .reduce(|a, b| a.union(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::boards::Page;

    fn page() -> PageId {
        Uuid::from_u128(7)
    }

    fn pt(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    fn board_with(elements: &[Element]) -> BoardState {
        let mut state = BoardState::new();
        state.apply_op(
            1,
            0,
            &BoardOp::AddPage {
                page: Page {
                    id: page(),
                    name: "P".into(),
                    order: 1.0,
                },
            },
        );
        for (i, e) in elements.iter().enumerate() {
            state.apply_op(2 + i as i64, 0, &BoardOp::AddElement { element: e.clone() });
        }
        state
    }

    #[test]
    fn strokes_store_points_relative_to_their_bounds_and_split_when_long() {
        let style = DrawStyle::default();
        let s = &strokes(&[pt(10.0, 20.0), pt(30.0, 5.0)], page(), &style, 1.0)[0];
        assert_eq!((s.x, s.y, s.width, s.height), (10.0, 5.0, 20.0, 15.0));
        assert_eq!(s.points, vec![pt(0.0, 15.0), pt(20.0, 0.0)]);
        assert!(s.validate().is_ok());

        let dot = &strokes(&[pt(1.0, 1.0)], page(), &style, 1.0)[0];
        assert_eq!(dot.points.len(), 2);

        let long: Vec<Point> = (0..(MAX_STROKE_POINTS * 2 + 10))
            .map(|i| pt(i as f64, (i % 7) as f64))
            .collect();
        let pieces = strokes(&long, page(), &style, 1.0);
        assert_eq!(pieces.len(), 3);
        assert!(pieces.iter().all(|p| p.validate().is_ok()));
        // Consecutive pieces share their joining point.
        let last_of_first = pieces[0].points.last().unwrap();
        let first_of_second = pieces[1].points[0];
        assert_eq!(
            pieces[0].x + last_of_first.x,
            pieces[1].x + first_of_second.x
        );
        assert!(pieces[1].z > pieces[0].z);
    }

    #[test]
    fn shapes_from_drags() {
        let style = DrawStyle {
            fill: true,
            ..DrawStyle::default()
        };
        let r = shape(
            ElementKind::Rectangle,
            pt(50.0, 50.0),
            pt(10.0, 80.0),
            false,
            1.0,
            page(),
            &style,
            1.0,
        )
        .unwrap();
        assert_eq!((r.x, r.y, r.width, r.height), (10.0, 50.0, 40.0, 30.0));
        assert!(!r.fill.is_empty());
        let sq = shape(
            ElementKind::Ellipse,
            pt(0.0, 0.0),
            pt(-10.0, 30.0),
            true,
            1.0,
            page(),
            &style,
            1.0,
        )
        .unwrap();
        assert_eq!((sq.x, sq.y, sq.width, sq.height), (-30.0, 0.0, 30.0, 30.0));
        assert!(shape(
            ElementKind::Rectangle,
            pt(0.0, 0.0),
            pt(0.5, 0.5),
            false,
            1.0,
            page(),
            &style,
            1.0
        )
        .is_none());
        let arrow = shape(
            ElementKind::Arrow,
            pt(100.0, 0.0),
            pt(0.0, 10.0),
            false,
            1.0,
            page(),
            &style,
            1.0,
        )
        .unwrap();
        // The direction survives: the head is at the end the drag finished.
        assert_eq!(arrow.points, vec![pt(100.0, 0.0), pt(0.0, 10.0)]);
        assert!(arrow.fill.is_empty());
        let snapped = shape(
            ElementKind::Line,
            pt(0.0, 0.0),
            pt(100.0, 3.0),
            true,
            1.0,
            page(),
            &style,
            1.0,
        )
        .unwrap();
        assert!(snapped.height.abs() < 1e-9);
    }

    #[test]
    fn text_boxes_fit_their_text_and_empty_text_deletes() {
        let mut measure = |s: &str| s.chars().count() as f64 * 10.0;
        let style = DrawStyle::default();
        let t = text_element(
            ElementKind::Text,
            pt(0.0, 0.0),
            "hello\nworld!",
            page(),
            &style,
            1.0,
            &mut measure,
        );
        assert!(t.width >= 60.0);
        assert_eq!(t.height, 2.0 * LINE_HEIGHT + 2.0 * TEXT_PADDING);
        let note = text_element(
            ElementKind::Sticky,
            pt(0.0, 0.0),
            "x",
            page(),
            &style,
            1.0,
            &mut measure,
        );
        assert_eq!(
            (note.width, note.fill.as_str()),
            (STICKY_SIZE, style::STICKY_FILL)
        );

        let state = board_with(std::slice::from_ref(&t));
        assert!(matches!(
            set_text(&state, t.id, "  ", &mut measure)[..],
            [BoardOp::DeleteElement { .. }]
        ));
        assert!(set_text(&state, t.id, "hello\nworld!", &mut measure).is_empty());
        match &set_text(&state, t.id, "a much longer first line\nb", &mut measure)[..] {
            [BoardOp::UpdateElement { patch, .. }] => assert!(patch.width.unwrap() > t.width),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn restyling_touches_only_what_applies() {
        let style = DrawStyle::default();
        let r = shape(
            ElementKind::Rectangle,
            pt(0.0, 0.0),
            pt(10.0, 10.0),
            false,
            1.0,
            page(),
            &style,
            1.0,
        )
        .unwrap();
        let l = shape(
            ElementKind::Line,
            pt(0.0, 0.0),
            pt(10.0, 10.0),
            false,
            1.0,
            page(),
            &style,
            2.0,
        )
        .unwrap();
        let state = board_with(&[r.clone(), l.clone()]);
        let ids = [r.id, l.id];
        assert_eq!(
            restyle(&state, &ids, &Restyle::Fill(true)).len(),
            1,
            "lines have no fill"
        );
        assert_eq!(
            restyle(&state, &ids, &Restyle::Stroke("#e03131".into())).len(),
            2
        );
        assert!(
            restyle(&state, &ids, &Restyle::Width(style.width.value())).is_empty(),
            "unchanged"
        );
        assert_eq!(delete(&state, &ids).len(), 2);
        assert!(move_by(&state, &ids, 0.0, 0.0).is_empty());
        assert_eq!(move_by(&state, &ids, 1.0, 0.0).len(), 2);
    }
}

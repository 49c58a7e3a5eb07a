//! What a pointer does on the board, as a state machine without the browser.
//!
//! The surface feeds pointer events (in board and screen coordinates) together with a
//! [`Ctx`] — the board, the page, the tool, the selection — and drains [`Output`]s:
//! a preview to draw on the overlay, ops to propose (one undo step per gesture), a new
//! selection, camera moves, or "edit this text". Nothing here touches the board: it only
//! says what should happen, so every gesture is testable natively.

use std::collections::VecDeque;

use tandem_board::geometry::{element_at, elements_in, handle_position, handle_rect, Handle, Rect};
use tandem_board::simplify::{StrokeBuilder, DEFAULT_TOLERANCE};
use tandem_board::BoardState;
use tandem_protocol::boards::{BoardOp, Element, ElementId, ElementKind, PageId, Point};

use super::edits;
use super::style::{DrawStyle, STICKY_SIZE};
use super::tools::Tool;

/// Screen pixels a press may wander before it counts as a drag.
const DRAG_PX: f64 = 3.0;
/// Screen pixels around an element's outline that still hit it.
const HIT_PX: f64 = 4.0;
/// Screen pixels around a resize handle's centre that grab it.
pub const HANDLE_HIT_PX: f64 = 7.0;

pub fn handle_cursor(handle: Handle) -> &'static str {
    match handle {
        Handle::NW | Handle::SE => "nwse-resize",
        Handle::NE | Handle::SW => "nesw-resize",
        Handle::N | Handle::S => "ns-resize",
        Handle::E | Handle::W => "ew-resize",
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PointerInput {
    /// `PointerEvent.pointerId`.
    pub id: i32,
    pub board: Point,
    /// Relative to the surface's top-left corner, CSS pixels.
    pub screen: (f64, f64),
    /// `PointerEvent.button` on press: 0 primary, 1 middle.
    pub button: i16,
    pub shift: bool,
    pub touch: bool,
}

/// What the machine needs to know about the board and the toolbar at each event.
pub struct Ctx<'a> {
    pub state: &'a BoardState,
    pub page: Option<PageId>,
    pub tool: Tool,
    pub style: &'a DrawStyle,
    pub selection: &'a [ElementId],
    pub zoom: f64,
    pub may_edit: bool,
    /// Space is held: any drag pans.
    pub space_held: bool,
}

impl Ctx<'_> {
    /// The tool in effect: viewers only select and pan.
    fn tool(&self) -> Tool {
        if self.tool.edits() && !self.may_edit {
            Tool::Select
        } else {
            self.tool
        }
    }

    fn board_px(&self, px: f64) -> f64 {
        px / self.zoom.max(1e-6)
    }
}

/// Drawn on the overlay while a gesture is under way.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Preview {
    #[default]
    None,
    /// An element being drawn.
    Shape(Element),
    /// The selection rectangle.
    Marquee(Rect),
    /// The selection, moved by (dx, dy) board units.
    Move { dx: f64, dy: f64 },
    /// The selection, its bounds stretched from `from` to `to`.
    Resize { from: Rect, to: Rect },
}

impl Preview {
    /// Whether the selected elements are drawn by the overlay instead of the base.
    pub fn lifts_selection(&self) -> bool {
        matches!(self, Preview::Move { .. } | Preview::Resize { .. })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TextTarget {
    Existing(ElementId),
    /// A new text box or note whose top-left is `at`.
    New {
        kind: ElementKind,
        at: Point,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    Preview(Preview),
    /// One undo step.
    Propose(Vec<BoardOp>),
    Select(Vec<ElementId>),
    /// Move the view's content by screen pixels.
    Pan {
        dx: f64,
        dy: f64,
    },
    /// Zoom by `factor` about the screen point (x, y).
    Zoom {
        x: f64,
        y: f64,
        factor: f64,
    },
    EditText(TextTarget),
}

enum Mode {
    Idle,
    /// Swallows a pointer until it is released (after a cancelled gesture).
    Ignore {
        pointer: i32,
    },
    Stroke {
        pointer: i32,
        builder: StrokeBuilder,
    },
    Shape {
        pointer: i32,
        kind: ElementKind,
        start: Point,
    },
    Place {
        pointer: i32,
        kind: ElementKind,
        at: Point,
    },
    /// Pressed on an element: a click, or the start of a move once dragged far enough.
    Press {
        pointer: i32,
        start: Point,
        screen: (f64, f64),
        ids: Vec<ElementId>,
        hit: ElementId,
    },
    Move {
        pointer: i32,
        start: Point,
        ids: Vec<ElementId>,
        dx: f64,
        dy: f64,
    },
    Marquee {
        pointer: i32,
        start: Point,
        screen: (f64, f64),
        base: Vec<ElementId>,
    },
    Resize {
        pointer: i32,
        handle: Handle,
        from: Rect,
    },
    Pan {
        pointer: i32,
        last: (f64, f64),
    },
    Pinch,
}

impl Mode {
    fn pointer(&self) -> Option<i32> {
        match self {
            Mode::Idle | Mode::Pinch => None,
            Mode::Ignore { pointer }
            | Mode::Stroke { pointer, .. }
            | Mode::Shape { pointer, .. }
            | Mode::Place { pointer, .. }
            | Mode::Press { pointer, .. }
            | Mode::Move { pointer, .. }
            | Mode::Marquee { pointer, .. }
            | Mode::Resize { pointer, .. }
            | Mode::Pan { pointer, .. } => Some(*pointer),
        }
    }
}

pub struct Gesture {
    mode: Mode,
    /// Touch points currently down (id, screen position), for pinch zoom.
    touches: Vec<(i32, (f64, f64))>,
    out: VecDeque<Output>,
}

impl Default for Gesture {
    fn default() -> Self {
        Self::new()
    }
}

fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).hypot(a.1 - b.1)
}

fn rect_of(a: Point, b: Point) -> Rect {
    Rect {
        min_x: a.x.min(b.x),
        min_y: a.y.min(b.y),
        max_x: a.x.max(b.x),
        max_y: a.y.max(b.y),
    }
}

impl Gesture {
    pub fn new() -> Self {
        Gesture {
            mode: Mode::Idle,
            touches: Vec::new(),
            out: VecDeque::new(),
        }
    }

    pub fn poll_output(&mut self) -> Option<Output> {
        self.out.pop_front()
    }

    /// Whether a gesture is under way (the surface then captures the pointer).
    pub fn active(&self) -> bool {
        !matches!(self.mode, Mode::Idle)
    }

    /// The resize handle under a screen point, if the selection shows handles.
    pub fn handle_at(ctx: &Ctx, screen_point: Point) -> Option<(Handle, Rect)> {
        if !ctx.may_edit || ctx.selection.is_empty() || ctx.tool() != Tool::Select {
            return None;
        }
        let sel = edits::selection_frame(ctx.state, ctx.selection)?;
        let reach = ctx.board_px(HANDLE_HIT_PX);
        Handle::ALL.into_iter().find_map(|h| {
            let p = handle_position(sel, h);
            ((p.x - screen_point.x).hypot(p.y - screen_point.y) <= reach).then_some((h, sel))
        })
    }

    pub fn pointer_down(&mut self, ctx: &Ctx, input: PointerInput) {
        if input.touch {
            self.touches.retain(|(id, _)| *id != input.id);
            self.touches.push((input.id, input.screen));
            if self.touches.len() == 2 {
                // A second finger: whatever the first one started becomes a pinch.
                self.cancel();
                self.mode = Mode::Pinch;
                return;
            }
        }
        if self.active() {
            return; // one gesture at a time
        }
        let Some(page) = ctx.page else { return };
        let p = input.board;
        let tool = ctx.tool();
        if input.button == 1 || ctx.space_held || tool == Tool::Hand {
            self.mode = Mode::Pan {
                pointer: input.id,
                last: input.screen,
            };
            return;
        }
        if input.button != 0 {
            return;
        }
        self.mode = match tool {
            Tool::Hand => Mode::Pan {
                pointer: input.id,
                last: input.screen,
            },
            Tool::Pen => {
                let tolerance = ctx.board_px(DEFAULT_TOLERANCE).clamp(0.05, 50.0);
                let mut builder = StrokeBuilder::new(tolerance);
                builder.push(p);
                let mode = Mode::Stroke {
                    pointer: input.id,
                    builder,
                };
                self.preview_stroke(ctx, page, &mode);
                mode
            }
            Tool::Line | Tool::Arrow | Tool::Rectangle | Tool::Ellipse => {
                let kind = tool.kind().unwrap_or(ElementKind::Rectangle);
                Mode::Shape {
                    pointer: input.id,
                    kind,
                    start: p,
                }
            }
            Tool::Text | Tool::Sticky => {
                let kind = tool.kind().unwrap_or(ElementKind::Text);
                let at = if kind == ElementKind::Sticky {
                    Point {
                        x: p.x - STICKY_SIZE / 2.0,
                        y: p.y - STICKY_SIZE / 2.0,
                    }
                } else {
                    p
                };
                Mode::Place {
                    pointer: input.id,
                    kind,
                    at,
                }
            }
            Tool::Select => self.select_down(ctx, page, input),
        };
    }

    fn select_down(&mut self, ctx: &Ctx, page: PageId, input: PointerInput) -> Mode {
        let p = input.board;
        if let Some((handle, from)) = Gesture::handle_at(ctx, p) {
            return Mode::Resize {
                pointer: input.id,
                handle,
                from,
            };
        }
        match element_at(ctx.state, page, p, ctx.board_px(HIT_PX)) {
            Some(hit) if input.shift => {
                let mut ids = ctx.selection.to_vec();
                match ids.iter().position(|id| *id == hit) {
                    Some(i) => {
                        ids.remove(i);
                    }
                    None => ids.push(hit),
                }
                self.out.push_back(Output::Select(ids));
                Mode::Ignore { pointer: input.id }
            }
            Some(hit) => {
                let ids = if ctx.selection.contains(&hit) {
                    ctx.selection.to_vec()
                } else {
                    self.out.push_back(Output::Select(vec![hit]));
                    vec![hit]
                };
                Mode::Press {
                    pointer: input.id,
                    start: p,
                    screen: input.screen,
                    ids,
                    hit,
                }
            }
            None => {
                let base = if input.shift {
                    ctx.selection.to_vec()
                } else {
                    Vec::new()
                };
                Mode::Marquee {
                    pointer: input.id,
                    start: p,
                    screen: input.screen,
                    base,
                }
            }
        }
    }

    fn preview_stroke(&mut self, ctx: &Ctx, page: PageId, mode: &Mode) {
        if let Mode::Stroke { builder, .. } = mode {
            if let Some(e) = edits::stroke_preview(&builder.points(), page, ctx.style) {
                self.out.push_back(Output::Preview(Preview::Shape(e)));
            }
        }
    }

    pub fn pointer_move(&mut self, ctx: &Ctx, input: PointerInput) {
        if input.touch {
            let before = self.touches.clone();
            if let Some(t) = self.touches.iter_mut().find(|(id, _)| *id == input.id) {
                t.1 = input.screen;
            }
            if matches!(self.mode, Mode::Pinch) {
                if before.len() == 2 {
                    self.pinch(&before);
                }
                return;
            }
        }
        if self.mode.pointer() != Some(input.id) {
            return;
        }
        let Some(page) = ctx.page else { return };
        let p = input.board;
        let mode = std::mem::replace(&mut self.mode, Mode::Idle);
        self.mode = match mode {
            Mode::Stroke {
                pointer,
                mut builder,
            } => {
                builder.push(p);
                let mode = Mode::Stroke { pointer, builder };
                self.preview_stroke(ctx, page, &mode);
                mode
            }
            Mode::Shape {
                pointer,
                kind,
                start,
            } => {
                let preview = edits::shape(kind, start, p, input.shift, 0.0, page, ctx.style, 0.0)
                    .map_or(Preview::None, Preview::Shape);
                self.out.push_back(Output::Preview(preview));
                Mode::Shape {
                    pointer,
                    kind,
                    start,
                }
            }
            Mode::Press {
                pointer,
                start,
                screen,
                ids,
                hit,
            } => {
                if ctx.may_edit && distance(screen, input.screen) > DRAG_PX {
                    let (dx, dy) = (p.x - start.x, p.y - start.y);
                    self.out
                        .push_back(Output::Preview(Preview::Move { dx, dy }));
                    Mode::Move {
                        pointer,
                        start,
                        ids,
                        dx,
                        dy,
                    }
                } else {
                    Mode::Press {
                        pointer,
                        start,
                        screen,
                        ids,
                        hit,
                    }
                }
            }
            Mode::Move {
                pointer,
                start,
                ids,
                ..
            } => {
                let (dx, dy) = (p.x - start.x, p.y - start.y);
                self.out
                    .push_back(Output::Preview(Preview::Move { dx, dy }));
                Mode::Move {
                    pointer,
                    start,
                    ids,
                    dx,
                    dy,
                }
            }
            Mode::Marquee {
                pointer,
                start,
                screen,
                base,
            } => {
                self.out
                    .push_back(Output::Preview(Preview::Marquee(rect_of(start, p))));
                Mode::Marquee {
                    pointer,
                    start,
                    screen,
                    base,
                }
            }
            Mode::Resize {
                pointer,
                handle,
                from,
            } => {
                let to = handle_rect(from, handle, p);
                self.out
                    .push_back(Output::Preview(Preview::Resize { from, to }));
                Mode::Resize {
                    pointer,
                    handle,
                    from,
                }
            }
            Mode::Pan { pointer, last } => {
                self.out.push_back(Output::Pan {
                    dx: input.screen.0 - last.0,
                    dy: input.screen.1 - last.1,
                });
                Mode::Pan {
                    pointer,
                    last: input.screen,
                }
            }
            other => other,
        };
    }

    fn pinch(&mut self, before: &[(i32, (f64, f64))]) {
        let (Some(a0), Some(b0)) = (before.first(), before.get(1)) else {
            return;
        };
        let now = |id: i32| self.touches.iter().find(|(t, _)| *t == id).map(|(_, p)| *p);
        let (Some(a1), Some(b1)) = (now(a0.0), now(b0.0)) else {
            return;
        };
        let mid = |a: (f64, f64), b: (f64, f64)| ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        let (m0, m1) = (mid(a0.1, b0.1), mid(a1, b1));
        let (d0, d1) = (distance(a0.1, b0.1), distance(a1, b1));
        self.out.push_back(Output::Pan {
            dx: m1.0 - m0.0,
            dy: m1.1 - m0.1,
        });
        if d0 > 1.0 && d1 > 1.0 {
            self.out.push_back(Output::Zoom {
                x: m1.0,
                y: m1.1,
                factor: d1 / d0,
            });
        }
    }

    pub fn pointer_up(&mut self, ctx: &Ctx, input: PointerInput) {
        let was_touch = self.touches.iter().any(|(id, _)| *id == input.id);
        self.touches.retain(|(id, _)| *id != input.id);
        if matches!(self.mode, Mode::Pinch) {
            if was_touch {
                // The remaining finger must not start drawing: wait for it to lift.
                self.mode = match self.touches.first() {
                    Some((id, _)) => Mode::Ignore { pointer: *id },
                    None => Mode::Idle,
                };
            }
            return;
        }
        if self.mode.pointer() != Some(input.id) {
            return;
        }
        let mode = std::mem::replace(&mut self.mode, Mode::Idle);
        let Some(page) = ctx.page else {
            self.out.push_back(Output::Preview(Preview::None));
            return;
        };
        let p = input.board;
        match mode {
            Mode::Stroke { mut builder, .. } => {
                builder.push(p);
                let points = builder.finish();
                let z = ctx.state.top_z(page);
                let ops: Vec<BoardOp> = edits::strokes(&points, page, ctx.style, z)
                    .into_iter()
                    .map(|element| BoardOp::AddElement { element })
                    .collect();
                self.finish(ops);
            }
            Mode::Shape { kind, start, .. } => {
                let z = ctx.state.top_z(page);
                let min = ctx.board_px(2.0);
                let ops = edits::shape(kind, start, p, input.shift, min, page, ctx.style, z)
                    .map(|element| vec![BoardOp::AddElement { element }])
                    .unwrap_or_default();
                self.finish(ops);
            }
            Mode::Place { kind, at, .. } => {
                self.out
                    .push_back(Output::EditText(TextTarget::New { kind, at }));
            }
            Mode::Press { ids, hit, .. } => {
                // A click inside a multiple selection narrows it to what was clicked.
                if ids.len() > 1 {
                    self.out.push_back(Output::Select(vec![hit]));
                }
            }
            Mode::Move { ids, dx, dy, .. } => self.finish(edits::move_by(ctx.state, &ids, dx, dy)),
            Mode::Marquee {
                start,
                screen,
                base,
                ..
            } => {
                self.out.push_back(Output::Preview(Preview::None));
                if distance(screen, input.screen) <= DRAG_PX {
                    self.out.push_back(Output::Select(base));
                } else {
                    let mut ids = base;
                    for id in elements_in(ctx.state, page, rect_of(start, p)) {
                        if !ids.contains(&id) {
                            ids.push(id);
                        }
                    }
                    self.out.push_back(Output::Select(ids));
                }
            }
            Mode::Resize { handle, from, .. } => {
                let to = handle_rect(from, handle, p);
                self.finish(edits::resize(ctx.state, ctx.selection, &from, &to));
            }
            Mode::Pan { .. } | Mode::Ignore { .. } | Mode::Idle | Mode::Pinch => {}
        }
    }

    /// Proposes the gesture's ops (if any) and clears the preview, in that order, so
    /// the result is drawn before the preview disappears (no flicker).
    fn finish(&mut self, ops: Vec<BoardOp>) {
        if !ops.is_empty() {
            self.out.push_back(Output::Propose(ops));
        }
        self.out.push_back(Output::Preview(Preview::None));
    }

    /// A double click: edit the text box or note under the pointer.
    pub fn double_click(&mut self, ctx: &Ctx, p: Point) {
        let (Some(page), true) = (ctx.page, ctx.may_edit) else {
            return;
        };
        if self.active() {
            return;
        }
        if let Some(id) = element_at(ctx.state, page, p, ctx.board_px(HIT_PX)) {
            let editable = ctx
                .state
                .element(id)
                .is_some_and(|e| matches!(e.kind, ElementKind::Text | ElementKind::Sticky));
            if editable {
                self.out.push_back(Output::Select(vec![id]));
                self.out
                    .push_back(Output::EditText(TextTarget::Existing(id)));
            }
        }
    }

    /// Esc, a cancelled pointer or a lost capture: drop the gesture, change nothing.
    pub fn cancel(&mut self) {
        let had_preview = !matches!(
            self.mode,
            Mode::Idle | Mode::Ignore { .. } | Mode::Pan { .. } | Mode::Pinch
        );
        self.mode = match self.mode.pointer() {
            Some(pointer) if !matches!(self.mode, Mode::Idle) => Mode::Ignore { pointer },
            _ => Mode::Idle,
        };
        if had_preview {
            self.out.push_back(Output::Preview(Preview::None));
        }
    }

    /// The pointer went away without an `up` (`pointercancel`).
    pub fn pointer_cancel(&mut self, pointer: i32) {
        self.touches.retain(|(id, _)| *id != pointer);
        if self.mode.pointer() == Some(pointer) || matches!(self.mode, Mode::Pinch) {
            self.cancel();
            self.mode = Mode::Idle;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::boards::Page;
    use uuid::Uuid;

    fn page() -> PageId {
        Uuid::from_u128(1)
    }

    fn board() -> BoardState {
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
        state
    }

    struct Rig {
        state: BoardState,
        tool: Tool,
        style: DrawStyle,
        selection: Vec<ElementId>,
        may_edit: bool,
        space: bool,
        gesture: Gesture,
        rev: i64,
    }

    fn input(id: i32, x: f64, y: f64) -> PointerInput {
        // Camera at the origin, 100 %: screen = board.
        PointerInput {
            id,
            board: Point { x, y },
            screen: (x, y),
            button: 0,
            shift: false,
            touch: false,
        }
    }

    impl Rig {
        fn new(tool: Tool) -> Rig {
            Rig {
                state: board(),
                tool,
                style: DrawStyle::default(),
                selection: vec![],
                may_edit: true,
                space: false,
                gesture: Gesture::new(),
                rev: 1,
            }
        }

        fn ctx(&self) -> Ctx<'_> {
            Ctx {
                state: &self.state,
                page: Some(page()),
                tool: self.tool,
                style: &self.style,
                selection: &self.selection,
                zoom: 1.0,
                may_edit: self.may_edit,
                space_held: self.space,
            }
        }

        /// Drains outputs, applying proposals and selections like the app would.
        fn drain(&mut self) -> Vec<Output> {
            let mut all = vec![];
            while let Some(out) = self.gesture.poll_output() {
                match &out {
                    Output::Propose(ops) => {
                        for op in ops {
                            self.rev += 1;
                            self.state.apply_op(self.rev, 0, op);
                        }
                    }
                    Output::Select(ids) => self.selection = ids.clone(),
                    _ => {}
                }
                all.push(out);
            }
            all
        }

        fn down(&mut self, i: PointerInput) -> Vec<Output> {
            let mut g = std::mem::take(&mut self.gesture);
            g.pointer_down(&self.ctx(), i);
            self.gesture = g;
            self.drain()
        }

        fn mv(&mut self, i: PointerInput) -> Vec<Output> {
            let mut g = std::mem::take(&mut self.gesture);
            g.pointer_move(&self.ctx(), i);
            self.gesture = g;
            self.drain()
        }

        fn up(&mut self, i: PointerInput) -> Vec<Output> {
            let mut g = std::mem::take(&mut self.gesture);
            g.pointer_up(&self.ctx(), i);
            self.gesture = g;
            self.drain()
        }

        fn drag(&mut self, from: (f64, f64), to: (f64, f64)) -> Vec<Output> {
            let mut out = self.down(input(1, from.0, from.1));
            for step in 1..=10 {
                let t = step as f64 / 10.0;
                out.extend(self.mv(input(
                    1,
                    from.0 + (to.0 - from.0) * t,
                    from.1 + (to.1 - from.1) * t,
                )));
            }
            out.extend(self.up(input(1, to.0, to.1)));
            out
        }

        fn elements(&self) -> Vec<Element> {
            self.state
                .elements_on(page())
                .into_iter()
                .cloned()
                .collect()
        }
    }

    fn proposals(out: &[Output]) -> usize {
        out.iter()
            .filter(|o| matches!(o, Output::Propose(_)))
            .count()
    }

    #[test]
    fn a_pen_drag_previews_then_proposes_one_stroke() {
        let mut rig = Rig::new(Tool::Pen);
        let out = rig.drag((0.0, 0.0), (100.0, 50.0));
        assert!(out.iter().any(
            |o| matches!(o, Output::Preview(Preview::Shape(e)) if e.kind == ElementKind::Stroke)
        ));
        assert_eq!(proposals(&out), 1);
        assert_eq!(out.last(), Some(&Output::Preview(Preview::None)));
        let els = rig.elements();
        assert_eq!(els.len(), 1);
        assert_eq!(els[0].kind, ElementKind::Stroke);
        // A straight drag simplifies to its two ends.
        assert_eq!(els[0].points.len(), 2);
    }

    #[test]
    fn shapes_are_drawn_by_dragging_and_tiny_drags_make_nothing() {
        for (tool, kind) in [
            (Tool::Rectangle, ElementKind::Rectangle),
            (Tool::Ellipse, ElementKind::Ellipse),
            (Tool::Line, ElementKind::Line),
            (Tool::Arrow, ElementKind::Arrow),
        ] {
            let mut rig = Rig::new(tool);
            rig.drag((10.0, 10.0), (60.0, 40.0));
            let els = rig.elements();
            assert_eq!(els.len(), 1, "{tool:?}");
            assert_eq!(els[0].kind, kind);
            let mut rig = Rig::new(tool);
            let out = rig.drag((10.0, 10.0), (10.5, 10.5));
            assert_eq!(proposals(&out), 0);
        }
    }

    #[test]
    fn text_and_sticky_tools_open_the_editor_on_click() {
        let mut rig = Rig::new(Tool::Sticky);
        rig.down(input(1, 300.0, 300.0));
        let out = rig.up(input(1, 300.0, 300.0));
        assert_eq!(
            out,
            vec![Output::EditText(TextTarget::New {
                kind: ElementKind::Sticky,
                at: Point { x: 200.0, y: 200.0 }
            })]
        );
    }

    fn add_rect(rig: &mut Rig, x: f64, y: f64) -> ElementId {
        rig.tool = Tool::Rectangle;
        rig.drag((x, y), (x + 50.0, y + 50.0));
        rig.tool = Tool::Select;
        rig.elements().last().unwrap().id
    }

    #[test]
    fn click_selects_shift_adds_and_empty_click_clears() {
        let mut rig = Rig::new(Tool::Select);
        let a = add_rect(&mut rig, 0.0, 0.0);
        let b = add_rect(&mut rig, 200.0, 0.0);
        rig.down(input(1, 0.0, 25.0));
        rig.up(input(1, 0.0, 25.0));
        assert_eq!(rig.selection, vec![a]);
        let shift = PointerInput {
            shift: true,
            ..input(1, 200.0, 25.0)
        };
        rig.down(shift);
        rig.up(shift);
        assert_eq!(rig.selection, vec![a, b]);
        // Shift-click again removes it.
        rig.down(shift);
        rig.up(shift);
        assert_eq!(rig.selection, vec![a]);
        rig.down(input(1, 500.0, 500.0));
        rig.up(input(1, 500.0, 500.0));
        assert!(rig.selection.is_empty());
    }

    #[test]
    fn marquee_selects_what_it_fully_contains() {
        let mut rig = Rig::new(Tool::Select);
        let a = add_rect(&mut rig, 0.0, 0.0);
        let _b = add_rect(&mut rig, 200.0, 0.0);
        let out = rig.drag((-20.0, -20.0), (100.0, 100.0));
        assert!(out
            .iter()
            .any(|o| matches!(o, Output::Preview(Preview::Marquee(_)))));
        assert_eq!(rig.selection, vec![a]);
    }

    #[test]
    fn dragging_a_selection_moves_it_as_one_step() {
        let mut rig = Rig::new(Tool::Select);
        let a = add_rect(&mut rig, 0.0, 0.0);
        let b = add_rect(&mut rig, 200.0, 0.0);
        rig.selection = vec![a, b];
        let out = rig.drag((25.0, 0.0), (35.0, 20.0));
        assert!(out
            .iter()
            .any(|o| matches!(o, Output::Preview(Preview::Move { .. }))));
        assert_eq!(proposals(&out), 1);
        let moved: Vec<(f64, f64)> = [a, b]
            .iter()
            .map(|id| {
                let e = rig.state.element(*id).unwrap();
                (e.x, e.y)
            })
            .collect();
        assert_eq!(moved, vec![(10.0, 20.0), (210.0, 20.0)]);
        assert_eq!(rig.selection, vec![a, b], "moving keeps the selection");
    }

    #[test]
    fn viewers_can_select_but_not_move_or_draw() {
        let mut rig = Rig::new(Tool::Select);
        let a = add_rect(&mut rig, 0.0, 0.0);
        rig.may_edit = false;
        let out = rig.drag((25.0, 0.0), (80.0, 80.0));
        assert_eq!(proposals(&out), 0);
        assert_eq!(rig.selection, vec![a]);
        rig.tool = Tool::Pen;
        let out = rig.drag((300.0, 300.0), (400.0, 400.0));
        assert_eq!(proposals(&out), 0);
        assert_eq!(rig.elements().len(), 1);
    }

    #[test]
    fn resize_handles_stretch_the_selection() {
        let mut rig = Rig::new(Tool::Select);
        let a = add_rect(&mut rig, 0.0, 0.0);
        rig.selection = vec![a];
        let sel = edits::selection_bounds(&rig.state, &[a]).unwrap();
        let frame = edits::selection_frame(&rig.state, &[a]).unwrap();
        let se = handle_position(frame, Handle::SE);
        let out = rig.drag((se.x, se.y), (se.x + 50.0, se.y + 50.0));
        assert!(out
            .iter()
            .any(|o| matches!(o, Output::Preview(Preview::Resize { .. }))));
        assert_eq!(proposals(&out), 1);
        let after = edits::selection_bounds(&rig.state, &[a]).unwrap();
        assert!(
            (after.width() - (sel.width() + 50.0)).abs() < 1.0,
            "{after:?}"
        );
    }

    #[test]
    fn hand_space_and_middle_button_pan() {
        let mut rig = Rig::new(Tool::Hand);
        let out = rig.drag((0.0, 0.0), (10.0, 5.0));
        let (dx, dy) = out.iter().fold((0.0, 0.0), |acc, o| match o {
            Output::Pan { dx, dy } => (acc.0 + dx, acc.1 + dy),
            _ => acc,
        });
        assert_eq!((dx, dy), (10.0, 5.0));
        let mut rig = Rig::new(Tool::Pen);
        rig.space = true;
        let out = rig.drag((0.0, 0.0), (10.0, 5.0));
        assert_eq!(proposals(&out), 0);
        assert!(out.iter().any(|o| matches!(o, Output::Pan { .. })));
        let mut rig = Rig::new(Tool::Pen);
        rig.down(PointerInput {
            button: 1,
            ..input(1, 0.0, 0.0)
        });
        let out = rig.mv(input(1, 4.0, 0.0));
        assert_eq!(out, vec![Output::Pan { dx: 4.0, dy: 0.0 }]);
    }

    #[test]
    fn a_second_finger_turns_a_stroke_into_a_pinch() {
        let mut rig = Rig::new(Tool::Pen);
        let touch = |id, x, y| PointerInput {
            touch: true,
            ..input(id, x, y)
        };
        rig.down(touch(1, 100.0, 100.0));
        rig.mv(touch(1, 110.0, 100.0));
        let out = rig.down(touch(2, 200.0, 100.0));
        assert_eq!(
            out,
            vec![Output::Preview(Preview::None)],
            "the stroke is dropped"
        );
        let out = rig.mv(touch(2, 310.0, 100.0));
        // Fingers went from 90 px apart to 200 px apart.
        let zoom = out.iter().find_map(|o| match o {
            Output::Zoom { factor, .. } => Some(*factor),
            _ => None,
        });
        assert!((zoom.unwrap() - 200.0 / 90.0).abs() < 1e-9);
        rig.up(touch(2, 310.0, 100.0));
        // The remaining finger does not draw.
        rig.mv(touch(1, 150.0, 150.0));
        let out = rig.up(touch(1, 150.0, 150.0));
        assert_eq!(proposals(&out), 0);
        assert!(rig.elements().is_empty());
        // And the next touch draws again.
        rig.drag((0.0, 0.0), (50.0, 50.0));
        assert_eq!(rig.elements().len(), 1);
    }

    #[test]
    fn escape_cancels_without_changes() {
        let mut rig = Rig::new(Tool::Rectangle);
        rig.down(input(1, 0.0, 0.0));
        rig.mv(input(1, 50.0, 50.0));
        rig.gesture.cancel();
        assert_eq!(rig.drain(), vec![Output::Preview(Preview::None)]);
        let out = rig.up(input(1, 50.0, 50.0));
        assert_eq!(proposals(&out), 0);
        assert!(rig.elements().is_empty());
    }

    #[test]
    fn double_click_edits_text_only() {
        let mut rig = Rig::new(Tool::Select);
        let r = add_rect(&mut rig, 0.0, 0.0);
        let mut measure = |s: &str| s.len() as f64 * 8.0;
        let note = edits::text_element(
            ElementKind::Sticky,
            Point { x: 300.0, y: 0.0 },
            "hi",
            page(),
            &rig.style,
            9.0,
            &mut measure,
        );
        rig.rev += 1;
        rig.state.apply_op(
            rig.rev,
            0,
            &BoardOp::AddElement {
                element: note.clone(),
            },
        );
        let mut g = std::mem::take(&mut rig.gesture);
        g.double_click(&rig.ctx(), Point { x: 20.0, y: 0.0 });
        g.double_click(&rig.ctx(), Point { x: 350.0, y: 50.0 });
        rig.gesture = g;
        let out = rig.drain();
        assert_eq!(
            out,
            vec![
                Output::Select(vec![note.id]),
                Output::EditText(TextTarget::Existing(note.id))
            ]
        );
        let _ = r;
    }
}

//! The two canvases of a board view and what is on them.
//!
//! * **Base**: every committed element of the page, cached. It is redrawn only
//!   (a) where elements changed — the union of each changed element's old and new
//!   bounds, clipped, redrawing just the elements that intersect it — or (b) fully,
//!   culled to the visible area, when the zoom or the canvas size changes. A pan by
//!   whole device pixels shifts the cached pixels instead and redraws only the strips
//!   that scrolled into view.
//! * **Overlay** (on top): the gesture preview, elements being moved or resized, the
//!   selection frame and handles. A pointer move redraws only this.
//!
//! Redraws are requested by marking what is stale; [`Surface::render`] does the work
//! once per animation frame, however many changes arrived in between.

use std::collections::HashSet;

use tandem_board::geometry::Rect;
use tandem_board::{BoardState, Change};
use tandem_protocol::boards::{ElementId, PageId};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::camera::Camera;
use super::edits;
use super::gesture::Preview;
use super::perf;
use super::render::{self, TextCache};
use super::scene::Scene;

/// Above this many pending dirty regions they are merged into one.
const MAX_REGIONS: usize = 16;
/// Canvases are capped at this many device pixels a side (browsers refuse more).
const MAX_CANVAS_PX: f64 = 8192.0;

pub fn context_2d(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
}

pub struct Surface {
    base: HtmlCanvasElement,
    base_ctx: CanvasRenderingContext2d,
    overlay: HtmlCanvasElement,
    overlay_ctx: CanvasRenderingContext2d,
    scene: Scene,
    camera: Camera,
    /// CSS pixels.
    width: f64,
    height: f64,
    dpr: f64,
    full: bool,
    /// A pending pan of the base, in whole device pixels.
    shift: (f64, f64),
    /// Board-coordinate areas of the base to redraw.
    dirty: Vec<Rect>,
    overlay_dirty: bool,
    selection: Vec<ElementId>,
    handles: bool,
    preview: Preview,
    /// Elements the base leaves out: lifted by a move/resize (the overlay draws them)
    /// or under the text editor.
    hidden: HashSet<ElementId>,
    editing: Option<ElementId>,
    texts: TextCache,
}

impl Surface {
    pub fn new(base: HtmlCanvasElement, overlay: HtmlCanvasElement) -> Option<Surface> {
        let base_ctx = context_2d(&base)?;
        let overlay_ctx = context_2d(&overlay)?;
        Some(Surface {
            base,
            base_ctx,
            overlay,
            overlay_ctx,
            scene: Scene::new(),
            camera: Camera::default(),
            width: 0.0,
            height: 0.0,
            dpr: 1.0,
            full: true,
            shift: (0.0, 0.0),
            dirty: Vec::new(),
            overlay_dirty: true,
            selection: Vec::new(),
            handles: false,
            preview: Preview::None,
            hidden: HashSet::new(),
            editing: None,
            texts: TextCache::default(),
        })
    }

    /// CSS pixels.
    pub fn size(&self) -> (f64, f64) {
        (self.width, self.height)
    }

    pub fn scene(&self) -> &Scene {
        &self.scene
    }

    /// The drawing area's CSS size and the device pixel ratio changed.
    pub fn resize(&mut self, width: f64, height: f64, dpr: f64) {
        let dpr = if dpr.is_finite() && dpr > 0.0 {
            dpr
        } else {
            1.0
        };
        if (width, height, dpr) == (self.width, self.height, self.dpr) {
            return;
        }
        self.width = width.max(0.0);
        self.height = height.max(0.0);
        self.dpr = dpr;
        for canvas in [&self.base, &self.overlay] {
            canvas.set_width((self.width * dpr).min(MAX_CANVAS_PX).round() as u32);
            canvas.set_height((self.height * dpr).min(MAX_CANVAS_PX).round() as u32);
        }
        self.full = true;
        self.overlay_dirty = true;
    }

    pub fn set_camera(&mut self, camera: Camera) {
        if camera == self.camera {
            return;
        }
        let old = self.camera;
        self.camera = camera;
        self.overlay_dirty = true;
        if self.full {
            return;
        }
        let s = self.scale();
        let dx = (old.left - camera.left) * s + self.shift.0;
        let dy = (old.top - camera.top) * s + self.shift.1;
        let whole = |v: f64| (v - v.round()).abs() < 1e-3;
        // Shifting pays off while most of the picture stays on screen.
        let small = dx.abs() < f64::from(self.base.width()) / 2.0
            && dy.abs() < f64::from(self.base.height()) / 2.0;
        if camera.zoom == old.zoom && whole(dx) && whole(dy) && small {
            self.shift = (dx.round(), dy.round());
        } else {
            self.full = true;
            self.shift = (0.0, 0.0);
        }
    }

    /// A pan distance (CSS pixels) rounded to whole device pixels, so that panning can
    /// shift the cached base instead of redrawing it.
    pub fn snap_pan(&self, dx: f64, dy: f64) -> (f64, f64) {
        (
            (dx * self.dpr).round() / self.dpr,
            (dy * self.dpr).round() / self.dpr,
        )
    }

    /// Shows `page` of `state` afresh (opening, switching pages, a resync).
    pub fn load(&mut self, state: &BoardState, page: Option<PageId>) {
        if page != self.scene.page() {
            self.texts.clear();
        }
        self.scene.rebuild(state, page);
        self.full = true;
        self.overlay_dirty = true;
    }

    /// The board changed: re-index what changed and mark its area stale.
    pub fn apply(&mut self, state: &BoardState, changes: &[Change]) {
        for change in changes {
            match change {
                Change::Element(id) => {
                    if let Some(area) = self.scene.update(state, *id) {
                        self.mark_dirty(area);
                    }
                    if self.selection.contains(id) || self.hidden.contains(id) {
                        self.overlay_dirty = true;
                    }
                }
                // Pages come and go rarely, and a page's deletion hides or shows all its
                // elements: re-index the page on screen.
                Change::Page(_) => self.load(state, self.scene.page()),
                Change::Nothing => {}
            }
        }
    }

    fn mark_dirty(&mut self, area: Rect) {
        if self.full {
            return;
        }
        self.dirty.push(area);
        if self.dirty.len() > MAX_REGIONS {
            let all = self.dirty.drain(..).reduce(|a, b| a.union(&b));
            self.dirty.extend(all);
        }
    }

    fn mark_elements_dirty(&mut self, ids: &[ElementId]) {
        let areas: Vec<Rect> = ids.iter().filter_map(|id| self.scene.bounds(*id)).collect();
        for area in areas {
            self.mark_dirty(area);
        }
    }

    pub fn set_selection(&mut self, ids: &[ElementId], handles: bool) {
        if self.selection != ids || self.handles != handles {
            let lifted = self.preview.lifts_selection();
            self.selection = ids.to_vec();
            self.handles = handles;
            if lifted {
                self.update_hidden();
            }
            self.overlay_dirty = true;
        }
    }

    pub fn set_preview(&mut self, preview: Preview) {
        if preview == self.preview {
            return;
        }
        let relift = preview.lifts_selection() != self.preview.lifts_selection();
        self.preview = preview;
        if relift {
            self.update_hidden();
        }
        self.overlay_dirty = true;
    }

    /// Hides the element under the text editor (`None`: editing ended).
    pub fn set_editing(&mut self, id: Option<ElementId>) {
        if id != self.editing {
            self.editing = id;
            self.update_hidden();
        }
    }

    fn update_hidden(&mut self) {
        let mut hidden: HashSet<ElementId> = HashSet::new();
        if self.preview.lifts_selection() {
            hidden.extend(self.selection.iter().copied());
        }
        hidden.extend(self.editing);
        let changed: Vec<ElementId> = hidden.symmetric_difference(&self.hidden).copied().collect();
        self.hidden = hidden;
        self.mark_elements_dirty(&changed);
        self.overlay_dirty = true;
    }

    /// Draws whatever is stale. Call once per animation frame.
    pub fn render(&mut self, state: &BoardState) {
        if self.full {
            perf::measure(perf::BASE_FULL, || self.draw_base_full(state));
            self.full = false;
            self.shift = (0.0, 0.0);
            self.dirty.clear();
        } else if self.shift != (0.0, 0.0) {
            perf::measure(perf::BASE_PAN, || self.draw_base_shifted(state));
        }
        if !self.dirty.is_empty() {
            perf::measure(perf::BASE_DIRTY, || self.draw_base_dirty(state));
            self.dirty.clear();
        }
        if self.overlay_dirty {
            perf::measure(perf::OVERLAY, || self.draw_overlay(state));
            self.overlay_dirty = false;
        }
    }

    /// Device pixels per board unit.
    fn scale(&self) -> f64 {
        self.camera.zoom * self.dpr
    }

    fn draw_elements(&mut self, state: &BoardState, ids: &[ElementId]) {
        let ctx = &self.base_ctx;
        let scale = self.scale();
        for id in ids {
            if self.hidden.contains(id) {
                continue;
            }
            if let Some(e) = state.element(*id) {
                render::element(ctx, &mut self.texts, e, scale);
            }
        }
    }

    fn draw_base_full(&mut self, state: &BoardState) {
        let ctx = self.base_ctx.clone();
        render::screen_transform(&ctx, 1.0);
        ctx.clear_rect(
            0.0,
            0.0,
            f64::from(self.base.width()),
            f64::from(self.base.height()),
        );
        render::board_transform(&ctx, &self.camera, self.dpr);
        let visible = self.camera.visible(self.width, self.height);
        let ids = self.scene.query(&visible);
        self.draw_elements(state, &ids);
    }

    /// Moves the cached pixels by the pending pan and draws what scrolled into view.
    fn draw_base_shifted(&mut self, state: &BoardState) {
        let (dx, dy) = std::mem::take(&mut self.shift);
        let ctx = self.base_ctx.clone();
        ctx.save();
        render::screen_transform(&ctx, 1.0);
        // "copy": the canvas becomes the shifted picture; what it uncovers is clear.
        let _ = ctx.set_global_composite_operation("copy");
        let _ = ctx.draw_image_with_html_canvas_element(&self.base, dx, dy);
        ctx.restore();
        let (w, h) = (f64::from(self.base.width()), f64::from(self.base.height()));
        let mut strips = Vec::new();
        if dx > 0.0 {
            strips.push((0.0, 0.0, dx, h));
        } else if dx < 0.0 {
            strips.push((w + dx, 0.0, w, h));
        }
        if dy > 0.0 {
            strips.push((0.0, 0.0, w, dy));
        } else if dy < 0.0 {
            strips.push((0.0, h + dy, w, h));
        }
        let s = self.scale();
        let regions: Vec<Rect> = strips
            .into_iter()
            .map(|(x0, y0, x1, y1)| Rect {
                min_x: self.camera.left + x0 / s,
                min_y: self.camera.top + y0 / s,
                max_x: self.camera.left + x1 / s,
                max_y: self.camera.top + y1 / s,
            })
            .collect();
        self.draw_regions(state, regions);
    }

    fn draw_base_dirty(&mut self, state: &BoardState) {
        let regions = std::mem::take(&mut self.dirty);
        self.draw_regions(state, regions);
    }

    /// Clears and redraws board areas, each clipped to itself.
    fn draw_regions(&mut self, state: &BoardState, regions: Vec<Rect>) {
        let ctx = self.base_ctx.clone();
        let visible = self.camera.visible(self.width, self.height);
        for area in regions {
            // A pixel of slack for anti-aliasing, then whole device pixels, so the clip
            // clears exactly what is redrawn.
            let area = area.inflate(2.0 / self.camera.zoom);
            if !area.intersects(&visible) {
                continue;
            }
            let s = self.camera.rect_to_screen(&area);
            let (x0, y0) = (
                (s.min_x * self.dpr).floor().max(0.0),
                (s.min_y * self.dpr).floor().max(0.0),
            );
            let x1 = (s.max_x * self.dpr)
                .ceil()
                .min(f64::from(self.base.width()));
            let y1 = (s.max_y * self.dpr)
                .ceil()
                .min(f64::from(self.base.height()));
            if x1 <= x0 || y1 <= y0 {
                continue;
            }
            ctx.save();
            render::screen_transform(&ctx, 1.0);
            ctx.begin_path();
            ctx.rect(x0, y0, x1 - x0, y1 - y0);
            ctx.clip();
            ctx.clear_rect(x0, y0, x1 - x0, y1 - y0);
            render::board_transform(&ctx, &self.camera, self.dpr);
            let scale = self.dpr * self.camera.zoom;
            let clip = Rect {
                min_x: self.camera.left + x0 / scale,
                min_y: self.camera.top + y0 / scale,
                max_x: self.camera.left + x1 / scale,
                max_y: self.camera.top + y1 / scale,
            };
            let ids = self.scene.query(&clip);
            self.draw_elements(state, &ids);
            ctx.restore();
        }
    }

    fn draw_overlay(&mut self, state: &BoardState) {
        let ctx = self.overlay_ctx.clone();
        let scale = self.scale();
        render::screen_transform(&ctx, 1.0);
        ctx.clear_rect(
            0.0,
            0.0,
            f64::from(self.overlay.width()),
            f64::from(self.overlay.height()),
        );
        render::board_transform(&ctx, &self.camera, self.dpr);
        let page = self.scene.page();
        let on_page: Vec<ElementId> = self
            .selection
            .iter()
            .copied()
            .filter(|id| state.element(*id).is_some_and(|e| Some(e.page_id) == page))
            .collect();
        // What the selection looks like during this gesture: its outlines (drawn
        // bounds) and its frame (where the handles are).
        let mut outlines: Vec<Rect> = on_page
            .iter()
            .filter_map(|id| self.scene.bounds(*id))
            .collect();
        let mut frame = edits::selection_frame(state, &on_page);
        match &self.preview {
            Preview::Move { dx, dy } => {
                ctx.save();
                ctx.translate(*dx, *dy).ok();
                for id in &on_page {
                    if let Some(e) = state.element(*id) {
                        render::element(&ctx, &mut self.texts, e, scale);
                    }
                }
                ctx.restore();
                let shift = |r: &Rect| Rect {
                    min_x: r.min_x + dx,
                    min_y: r.min_y + dy,
                    max_x: r.max_x + dx,
                    max_y: r.max_y + dy,
                };
                outlines = outlines.iter().map(shift).collect();
                frame = frame.as_ref().map(shift);
            }
            Preview::Resize { from, to } => {
                outlines.clear();
                for (e, _) in edits::resized_elements(state, &on_page, from, to) {
                    render::element(&ctx, &mut self.texts, &e, scale);
                    outlines.push(tandem_board::geometry::bounds(&e));
                }
                frame = Some(*to);
            }
            Preview::Shape(e) => render::element(&ctx, &mut self.texts, e, scale),
            Preview::Marquee(_) | Preview::None => {}
        }
        render::screen_transform(&ctx, self.dpr);
        if let Some(frame) = frame {
            if self.editing.is_none() && !outlines.is_empty() {
                let handles = self.handles && !matches!(self.preview, Preview::Move { .. });
                render::selection(&ctx, &self.camera, &outlines, frame, handles);
            }
        }
        if let Preview::Marquee(area) = &self.preview {
            render::marquee(&ctx, &self.camera, area);
        }
    }
}

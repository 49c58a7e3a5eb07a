//! Canvas 2D drawing: elements (in board coordinates, under whatever transform the
//! caller set) and the selection chrome (in screen coordinates, so handles stay the
//! same size at every zoom). Element looks follow `tandem_board::style`, which the SVG
//! export uses too.

use std::collections::HashMap;
use std::f64::consts::TAU;

use tandem_board::geometry::{
    absolute_points, element_arrow_head, handle_position, shape_rect, Handle, Rect,
};
use tandem_board::style::baseline;
use tandem_board::text::{inner_width, lines_that_fit, wrap};
use tandem_protocol::boards::{Element, ElementId, ElementKind, Point};
use wasm_bindgen::JsValue;
use web_sys::CanvasRenderingContext2d;

use super::camera::Camera;
use super::style::{self, FONT_SIZE, STICKY_FILL, TEXT_PADDING};

/// Selection chrome colour.
const ACCENT: &str = "#1c7ed6";
/// Half the side of a resize handle, screen pixels.
const HANDLE_HALF: f64 = 4.0;
/// Beyond this many selected elements only the overall frame is outlined.
const MAX_OUTLINES: usize = 500;

/// Wrapped lines per element, so a redraw does not measure every text again. An entry
/// is reused while the element's text and box width are unchanged.
#[derive(Default)]
pub struct TextCache {
    lines: HashMap<ElementId, (String, f64, Vec<String>)>,
}

impl TextCache {
    fn lines(&mut self, ctx: &CanvasRenderingContext2d, e: &Element) -> &[String] {
        let width = inner_width(e);
        let fresh = self
            .lines
            .get(&e.id)
            .is_none_or(|(text, w, _)| *text != e.text || *w != width);
        if fresh {
            let lines = wrap(&e.text, width, |s| {
                ctx.measure_text(s).map(|m| m.width()).unwrap_or(0.0)
            });
            self.lines.insert(e.id, (e.text.clone(), width, lines));
        }
        self.lines
            .get(&e.id)
            .map(|(_, _, l)| l.as_slice())
            .unwrap_or(&[])
    }

    /// Forgets elements no longer drawn (called on page switches).
    pub fn clear(&mut self) {
        self.lines.clear();
    }
}

/// The text font in board units, for measuring (the canvas transform scales it).
pub fn set_text_font(ctx: &CanvasRenderingContext2d) {
    ctx.set_font(&style::font(1.0));
}

fn pen(ctx: &CanvasRenderingContext2d, e: &Element) {
    ctx.set_stroke_style_str(&e.stroke);
    ctx.set_line_width(e.stroke_width.max(0.5));
    ctx.set_line_cap("round");
    ctx.set_line_join("round");
}

/// A freehand path, smoothed with quadratic curves through the midpoints of the
/// simplified points (simplification leaves corners; this rounds them as drawn).
fn stroke_path(ctx: &CanvasRenderingContext2d, points: &[Point]) {
    ctx.begin_path();
    let Some(first) = points.first() else { return };
    ctx.move_to(first.x, first.y);
    if points.len() < 3 {
        for p in &points[1..] {
            ctx.line_to(p.x, p.y);
        }
    } else {
        for w in points[1..].windows(2) {
            let mid = Point {
                x: (w[0].x + w[1].x) / 2.0,
                y: (w[0].y + w[1].y) / 2.0,
            };
            ctx.quadratic_curve_to(w[0].x, w[0].y, mid.x, mid.y);
        }
        if let Some(last) = points.last() {
            ctx.line_to(last.x, last.y);
        }
    }
}

fn polyline(ctx: &CanvasRenderingContext2d, points: &[Point]) {
    ctx.begin_path();
    for (i, p) in points.iter().enumerate() {
        if i == 0 {
            ctx.move_to(p.x, p.y);
        } else {
            ctx.line_to(p.x, p.y);
        }
    }
}

/// Text smaller than this on screen (device pixels) is drawn as grey bars: unreadable
/// anyway, and `fillText` is the costliest thing on a zoomed-out board.
const GREEK_BELOW_PX: f64 = 4.0;

fn text_lines(
    ctx: &CanvasRenderingContext2d,
    texts: &mut TextCache,
    e: &Element,
    r: &Rect,
    scale: f64,
) {
    if e.text.is_empty() {
        return;
    }
    // Wrapped and cut like the SVG export (`tandem_board::text::element_lines`); the
    // wrapping is cached here, so a redraw does not measure again.
    let fit = lines_that_fit(r.height());
    if FONT_SIZE * scale < GREEK_BELOW_PX {
        greek(ctx, e, r, fit);
        return;
    }
    set_text_font(ctx);
    ctx.set_fill_style_str(&e.stroke);
    ctx.set_text_baseline("alphabetic");
    for (i, line) in texts.lines(ctx, e).iter().take(fit).enumerate() {
        let _ = ctx.fill_text(line, r.min_x + TEXT_PADDING, r.min_y + baseline(i));
    }
}

/// Text too small to read, as a bar per (estimated) line.
fn greek(ctx: &CanvasRenderingContext2d, e: &Element, r: &Rect, fit: usize) {
    let inner = (r.width() - 2.0 * TEXT_PADDING).max(1.0);
    let average_char = FONT_SIZE * 0.5;
    let mut widths = Vec::new();
    for paragraph in e.text.split('\n') {
        let mut rest = paragraph.chars().count() as f64 * average_char;
        loop {
            widths.push(rest.min(inner));
            rest -= inner;
            if rest <= 0.0 {
                break;
            }
        }
    }
    ctx.set_fill_style_str(&e.stroke);
    ctx.set_global_alpha(0.35);
    for (i, w) in widths.into_iter().take(fit).enumerate() {
        ctx.fill_rect(
            r.min_x + TEXT_PADDING,
            r.min_y + baseline(i) - FONT_SIZE * 0.6,
            w,
            FONT_SIZE * 0.6,
        );
    }
    ctx.set_global_alpha(1.0);
}

/// Draws one element under the current (board) transform; `scale` is device pixels per
/// board unit (small text is simplified).
pub fn element(ctx: &CanvasRenderingContext2d, texts: &mut TextCache, e: &Element, scale: f64) {
    let r = shape_rect(e);
    match e.kind {
        ElementKind::Stroke => {
            let points: Vec<Point> = absolute_points(e).collect();
            let dot = points.windows(2).all(|w| w[0] == w[1]);
            if dot {
                if let Some(p) = points.first() {
                    ctx.begin_path();
                    let _ = ctx.arc(p.x, p.y, e.stroke_width.max(0.5) / 2.0, 0.0, TAU);
                    ctx.set_fill_style_str(&e.stroke);
                    ctx.fill();
                }
            } else {
                pen(ctx, e);
                stroke_path(ctx, &points);
                ctx.stroke();
            }
        }
        ElementKind::Line | ElementKind::Arrow => {
            pen(ctx, e);
            let points: Vec<Point> = absolute_points(e).collect();
            polyline(ctx, &points);
            ctx.stroke();
            if let Some(head) = element_arrow_head(e) {
                polyline(ctx, &head);
                ctx.stroke();
            }
        }
        ElementKind::Rectangle => {
            if !e.fill.is_empty() {
                ctx.set_fill_style_str(&e.fill);
                ctx.fill_rect(r.min_x, r.min_y, r.width(), r.height());
            }
            pen(ctx, e);
            ctx.stroke_rect(r.min_x, r.min_y, r.width(), r.height());
        }
        ElementKind::Ellipse => {
            let c = r.center();
            ctx.begin_path();
            let _ = ctx.ellipse(c.x, c.y, r.width() / 2.0, r.height() / 2.0, 0.0, 0.0, TAU);
            if !e.fill.is_empty() {
                ctx.set_fill_style_str(&e.fill);
                ctx.fill();
            }
            pen(ctx, e);
            ctx.stroke();
        }
        ElementKind::Text => text_lines(ctx, texts, e, &r, scale),
        ElementKind::Sticky => {
            ctx.set_fill_style_str(if e.fill.is_empty() {
                STICKY_FILL
            } else {
                &e.fill
            });
            ctx.fill_rect(r.min_x, r.min_y, r.width(), r.height());
            // A hairline edge so a note reads as paper on a white page.
            ctx.set_stroke_style_str("rgba(0,0,0,0.15)");
            ctx.set_line_width(1.0);
            ctx.stroke_rect(r.min_x, r.min_y, r.width(), r.height());
            text_lines(ctx, texts, e, &r, scale);
        }
    }
}

/// Sets `ctx` to draw board coordinates through `camera` on a canvas with `dpr`
/// device pixels per CSS pixel.
pub fn board_transform(ctx: &CanvasRenderingContext2d, camera: &Camera, dpr: f64) {
    let s = camera.zoom * dpr;
    let _ = ctx.set_transform(s, 0.0, 0.0, s, -camera.left * s, -camera.top * s);
}

/// Screen (CSS pixel) coordinates.
pub fn screen_transform(ctx: &CanvasRenderingContext2d, dpr: f64) {
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
}

fn dashed(ctx: &CanvasRenderingContext2d, on: bool) {
    let segments = js_sys::Array::new();
    if on {
        segments.push(&JsValue::from_f64(4.0));
        segments.push(&JsValue::from_f64(3.0));
    }
    let _ = ctx.set_line_dash(&segments);
}

/// Outlines of the selected elements, their frame and (for editors) the eight
/// resize handles. Rectangles are in board coordinates; drawn in screen coordinates.
pub fn selection(
    ctx: &CanvasRenderingContext2d,
    camera: &Camera,
    outlines: &[Rect],
    frame: Rect,
    handles: bool,
) {
    ctx.set_stroke_style_str(ACCENT);
    ctx.set_line_width(1.0);
    if outlines.len() > 1 && outlines.len() <= MAX_OUTLINES {
        dashed(ctx, true);
        for r in outlines {
            let s = camera.rect_to_screen(r);
            ctx.stroke_rect(s.min_x, s.min_y, s.width(), s.height());
        }
        dashed(ctx, false);
    }
    // Single elements are outlined by their frame alone.
    let f = camera.rect_to_screen(&frame);
    ctx.stroke_rect(f.min_x, f.min_y, f.width(), f.height());
    if handles {
        ctx.set_fill_style_str("#ffffff");
        for handle in Handle::ALL {
            let p = handle_position(f, handle);
            let side = 2.0 * HANDLE_HALF;
            ctx.fill_rect(p.x - HANDLE_HALF, p.y - HANDLE_HALF, side, side);
            ctx.stroke_rect(p.x - HANDLE_HALF, p.y - HANDLE_HALF, side, side);
        }
    }
}

/// The rubber band of a marquee selection (board coordinates in, screen drawn).
pub fn marquee(ctx: &CanvasRenderingContext2d, camera: &Camera, area: &Rect) {
    let s = camera.rect_to_screen(area);
    ctx.set_fill_style_str("rgba(28,126,214,0.08)");
    ctx.fill_rect(s.min_x, s.min_y, s.width(), s.height());
    ctx.set_stroke_style_str(ACCENT);
    ctx.set_line_width(1.0);
    ctx.stroke_rect(s.min_x, s.min_y, s.width(), s.height());
}

/// Measures element text (board units) without a visible canvas: for sizing text boxes
/// when they are created or edited.
pub struct Measurer {
    ctx: Option<CanvasRenderingContext2d>,
}

impl Measurer {
    pub fn new() -> Measurer {
        use wasm_bindgen::JsCast;
        let ctx = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("canvas").ok())
            .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok())
            .and_then(|c| super::surface::context_2d(&c));
        if let Some(ctx) = &ctx {
            set_text_font(ctx);
        }
        Measurer { ctx }
    }

    pub fn width(&self, text: &str) -> f64 {
        match &self.ctx {
            Some(ctx) => ctx.measure_text(text).map(|m| m.width()).unwrap_or(0.0),
            // No canvas (should not happen): an average character width.
            None => text.chars().count() as f64 * FONT_SIZE * 0.55,
        }
    }
}

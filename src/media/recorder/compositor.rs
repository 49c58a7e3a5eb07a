//! Draws every participant onto one canvas (the recording's picture), on a timer.
//! A timer rather than `requestAnimationFrame`: rAF stops in a background tab, and the
//! host may well switch tabs while recording.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Interval;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlVideoElement};

use super::layout::{contain, cover_source, layout, Rect};
use super::RecorderError;

/// One tile as the app sees it: a name and the video to draw (`None` while the
/// camera is off: a placeholder with the initials is drawn).
#[derive(Debug, Clone)]
pub struct TileSource {
    pub label: String,
    pub video: Option<HtmlVideoElement>,
    /// A screen share: shown large, letterboxed instead of cropped.
    pub screen: bool,
}

const BACKGROUND: &str = "#18181b";
const TILE_BACKGROUND: &str = "#2a2a31";

pub struct Compositor {
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    tiles: Rc<RefCell<Vec<TileSource>>>,
    timer: Option<Interval>,
}

impl Compositor {
    pub fn new(width: u32, height: u32) -> Result<Compositor, RecorderError> {
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or_else(|| RecorderError::Failed("No document.".into()))?;
        let canvas: HtmlCanvasElement = document
            .create_element("canvas")
            .map_err(|_| RecorderError::Failed("Could not create a canvas.".into()))?
            .unchecked_into();
        canvas.set_width(width);
        canvas.set_height(height);
        let ctx: CanvasRenderingContext2d = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .ok_or(RecorderError::Unsupported)?
            .unchecked_into();
        let c = Compositor {
            canvas,
            ctx,
            tiles: Rc::new(RefCell::new(Vec::new())),
            timer: None,
        };
        c.draw();
        Ok(c)
    }

    pub fn canvas(&self) -> &HtmlCanvasElement {
        &self.canvas
    }

    /// Joins, leaves and screen shares: the grid follows on the next frame.
    pub fn set_tiles(&self, tiles: Vec<TileSource>) {
        *self.tiles.borrow_mut() = tiles;
    }

    pub fn start(&mut self, fps: u32) {
        let ctx = self.ctx.clone();
        let canvas = self.canvas.clone();
        let tiles = self.tiles.clone();
        let period = 1000 / fps.max(1);
        self.timer = Some(Interval::new(period, move || {
            draw_frame(&ctx, &canvas, &tiles.borrow());
        }));
    }

    pub fn stop(&mut self) {
        if let Some(t) = self.timer.take() {
            t.cancel();
        }
    }

    pub fn draw(&self) {
        draw_frame(&self.ctx, &self.canvas, &self.tiles.borrow());
    }
}

impl Drop for Compositor {
    fn drop(&mut self) {
        self.stop();
    }
}

fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

fn draw_frame(ctx: &CanvasRenderingContext2d, canvas: &HtmlCanvasElement, tiles: &[TileSource]) {
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    ctx.set_fill_style_str(BACKGROUND);
    ctx.fill_rect(0.0, 0.0, w, h);
    let screens: Vec<bool> = tiles.iter().map(|t| t.screen).collect();
    for (tile, rect) in tiles.iter().zip(layout(&screens, w, h)) {
        draw_tile(ctx, tile, rect);
    }
}

fn draw_tile(ctx: &CanvasRenderingContext2d, tile: &TileSource, r: Rect) {
    if r.w < 1.0 || r.h < 1.0 {
        return;
    }
    ctx.set_fill_style_str(TILE_BACKGROUND);
    ctx.fill_rect(r.x, r.y, r.w, r.h);
    // HAVE_CURRENT_DATA or better, with a known size.
    let playable = tile
        .video
        .as_ref()
        .filter(|v| v.ready_state() >= 2 && v.video_width() > 0);
    match playable {
        Some(v) => {
            let (sw, sh) = (v.video_width() as f64, v.video_height() as f64);
            if tile.screen {
                let d = contain(sw, sh, r);
                let _ = ctx.draw_image_with_html_video_element_and_dw_and_dh(v, d.x, d.y, d.w, d.h);
            } else {
                let s = cover_source(sw, sh, r);
                let _ = ctx
                    .draw_image_with_html_video_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
                        v, s.x, s.y, s.w, s.h, r.x, r.y, r.w, r.h,
                    );
            }
        }
        None => {
            let size = (r.h * 0.28).clamp(12.0, 96.0);
            ctx.set_fill_style_str("#e4e4e7");
            ctx.set_font(&format!("600 {size:.0}px system-ui, sans-serif"));
            ctx.set_text_align("center");
            ctx.set_text_baseline("middle");
            let _ = ctx.fill_text(&initials(&tile.label), r.x + r.w / 2.0, r.y + r.h / 2.0);
        }
    }
    // The name, bottom left, on a dark band.
    let size = (r.h * 0.07).clamp(11.0, 22.0);
    ctx.set_font(&format!("500 {size:.0}px system-ui, sans-serif"));
    ctx.set_text_align("left");
    ctx.set_text_baseline("middle");
    let text_w = ctx
        .measure_text(&tile.label)
        .map(|m| m.width())
        .unwrap_or(size * 6.0);
    let pad = size * 0.5;
    let band_h = size + pad * 1.2;
    let band_w = (text_w + pad * 2.0).min(r.w - pad);
    ctx.set_fill_style_str("rgba(0, 0, 0, 0.6)");
    ctx.fill_rect(
        r.x + pad / 2.0,
        r.y + r.h - band_h - pad / 2.0,
        band_w,
        band_h,
    );
    ctx.set_fill_style_str("#ffffff");
    let _ = ctx.fill_text_with_max_width(
        &tile.label,
        r.x + pad * 1.5,
        r.y + r.h - pad / 2.0 - band_h / 2.0,
        band_w - pad * 2.0,
    );
}

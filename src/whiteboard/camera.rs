//! Pan and zoom: which part of the board the screen shows.
//!
//! Screen coordinates are CSS pixels relative to the drawing surface's top-left
//! corner; the device pixel ratio is the renderer's business, not the camera's.

use tandem_board::geometry::Rect;
use tandem_protocol::boards::{PageId, Point, Viewport};

pub const MIN_ZOOM: f64 = 0.1;
pub const MAX_ZOOM: f64 = 8.0;
/// One press of "Zoom in" / "Zoom out".
pub const ZOOM_STEP: f64 = 1.25;
/// Space left around the content by "Fit to content" (screen pixels).
pub const FIT_MARGIN: f64 = 32.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Camera {
    /// The board point shown at the surface's top-left corner.
    pub left: f64,
    pub top: f64,
    /// Screen pixels per board unit (1 = 100 %).
    pub zoom: f64,
}

impl Default for Camera {
    fn default() -> Self {
        Camera {
            left: 0.0,
            top: 0.0,
            zoom: 1.0,
        }
    }
}

pub fn clamp_zoom(zoom: f64) -> f64 {
    if zoom.is_finite() {
        zoom.clamp(MIN_ZOOM, MAX_ZOOM)
    } else {
        1.0
    }
}

impl Camera {
    pub fn to_screen(self, p: Point) -> (f64, f64) {
        ((p.x - self.left) * self.zoom, (p.y - self.top) * self.zoom)
    }

    pub fn to_board(self, x: f64, y: f64) -> Point {
        Point {
            x: self.left + x / self.zoom,
            y: self.top + y / self.zoom,
        }
    }

    /// The content moves by (dx, dy) screen pixels, as when dragging it.
    pub fn panned(&self, dx: f64, dy: f64) -> Camera {
        Camera {
            left: self.left - dx / self.zoom,
            top: self.top - dy / self.zoom,
            zoom: self.zoom,
        }
    }

    /// Multiplies the zoom, keeping the board point under (x, y) where it is (the
    /// wheel's and the pinch's anchor). The result stays within the zoom limits.
    pub fn zoomed_at(&self, x: f64, y: f64, factor: f64) -> Camera {
        self.with_zoom_at(x, y, self.zoom * factor)
    }

    pub fn with_zoom_at(&self, x: f64, y: f64, zoom: f64) -> Camera {
        let anchor = self.to_board(x, y);
        let zoom = clamp_zoom(zoom);
        Camera {
            left: anchor.x - x / zoom,
            top: anchor.y - y / zoom,
            zoom,
        }
    }

    /// Shows `bounds` whole and centred in a `width` × `height` surface. Small content
    /// is not blown up beyond 100 %: fitting a single note should not fill the screen.
    pub fn fit(bounds: Rect, width: f64, height: f64) -> Camera {
        let room_x = (width - 2.0 * FIT_MARGIN).max(1.0);
        let room_y = (height - 2.0 * FIT_MARGIN).max(1.0);
        let zoom = (room_x / bounds.width().max(1.0)).min(room_y / bounds.height().max(1.0));
        let zoom = clamp_zoom(zoom.min(1.0));
        Camera::centered_on(bounds.center(), zoom, width, height)
    }

    pub fn centered_on(center: Point, zoom: f64, width: f64, height: f64) -> Camera {
        let zoom = clamp_zoom(zoom);
        Camera {
            left: center.x - width / 2.0 / zoom,
            top: center.y - height / 2.0 / zoom,
            zoom,
        }
    }

    /// The board area a `width` × `height` surface shows.
    pub fn visible(&self, width: f64, height: f64) -> Rect {
        Rect {
            min_x: self.left,
            min_y: self.top,
            max_x: self.left + width / self.zoom,
            max_y: self.top + height / self.zoom,
        }
    }

    /// What followers need to centre their own view on mine.
    pub fn viewport(&self, page_id: PageId, width: f64, height: f64) -> Viewport {
        Viewport {
            page_id,
            center: self.to_board(width / 2.0, height / 2.0),
            zoom: self.zoom,
        }
    }

    /// My camera centred where a followed person looks, at their zoom.
    pub fn following(viewport: &Viewport, width: f64, height: f64) -> Camera {
        Camera::centered_on(viewport.center, viewport.zoom, width, height)
    }

    /// A board rectangle in screen coordinates.
    pub fn rect_to_screen(&self, r: &Rect) -> Rect {
        let (min_x, min_y) = self.to_screen(Point {
            x: r.min_x,
            y: r.min_y,
        });
        let (max_x, max_y) = self.to_screen(Point {
            x: r.max_x,
            y: r.max_y,
        });
        Rect {
            min_x,
            min_y,
            max_x,
            max_y,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn screen_and_board_round_trip() {
        let cam = Camera {
            left: 100.0,
            top: -50.0,
            zoom: 2.0,
        };
        let (x, y) = cam.to_screen(Point { x: 110.0, y: -40.0 });
        assert!(close(x, 20.0) && close(y, 20.0));
        let p = cam.to_board(x, y);
        assert!(close(p.x, 110.0) && close(p.y, -40.0));
    }

    #[test]
    fn zooming_keeps_the_anchor_under_the_pointer() {
        let cam = Camera {
            left: 10.0,
            top: 20.0,
            zoom: 1.0,
        };
        let before = cam.to_board(300.0, 200.0);
        let zoomed = cam.zoomed_at(300.0, 200.0, 1.5);
        let after = zoomed.to_board(300.0, 200.0);
        assert!(close(before.x, after.x) && close(before.y, after.y));
        assert!(close(zoomed.zoom, 1.5));
    }

    #[test]
    fn zoom_is_limited_to_10_to_800_percent() {
        let cam = Camera::default();
        assert!(close(cam.zoomed_at(0.0, 0.0, 1000.0).zoom, MAX_ZOOM));
        assert!(close(cam.zoomed_at(0.0, 0.0, 0.0001).zoom, MIN_ZOOM));
        assert!(close(cam.with_zoom_at(0.0, 0.0, f64::NAN).zoom, 1.0));
    }

    #[test]
    fn panning_moves_the_content_with_the_pointer() {
        let cam = Camera {
            left: 0.0,
            top: 0.0,
            zoom: 2.0,
        };
        let p = Point { x: 50.0, y: 50.0 };
        let (x0, y0) = cam.to_screen(p);
        let (x1, y1) = cam.panned(30.0, -10.0).to_screen(p);
        assert!(close(x1 - x0, 30.0) && close(y1 - y0, -10.0));
    }

    #[test]
    fn fit_shows_all_content_centred() {
        let bounds = Rect {
            min_x: -1000.0,
            min_y: 0.0,
            max_x: 3000.0,
            max_y: 1000.0,
        };
        let cam = Camera::fit(bounds, 800.0, 600.0);
        let visible = cam.visible(800.0, 600.0);
        assert!(visible.contains_rect(&bounds));
        let c = visible.center();
        assert!(close(c.x, 1000.0) && close(c.y, 500.0));
        // Tiny content stays at 100 %.
        let small = Rect {
            min_x: 0.0,
            min_y: 0.0,
            max_x: 10.0,
            max_y: 10.0,
        };
        assert!(close(Camera::fit(small, 800.0, 600.0).zoom, 1.0));
        // Huge content stops at 10 %.
        let huge = Rect {
            min_x: 0.0,
            min_y: 0.0,
            max_x: 1.0e6,
            max_y: 1.0e6,
        };
        assert!(close(Camera::fit(huge, 800.0, 600.0).zoom, MIN_ZOOM));
    }

    #[test]
    fn following_centres_on_the_viewport() {
        let cam = Camera {
            left: 5.0,
            top: 7.0,
            zoom: 0.5,
        };
        let page = PageId::from_u128(1);
        let vp = cam.viewport(page, 640.0, 480.0);
        let mine = Camera::following(&vp, 1000.0, 700.0);
        let c = mine.to_board(500.0, 350.0);
        assert!(close(c.x, vp.center.x) && close(c.y, vp.center.y));
        assert!(close(mine.zoom, 0.5));
    }
}

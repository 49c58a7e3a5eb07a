//! Where each tile goes on the recording canvas. Pure maths, unit-tested natively.
//!
//! * No screen share: a grid of `cols × rows` equal 16:9 cells, centred.
//! * A screen share: the first screen takes the large area at the top, everything
//!   else (cameras, further screens) shares a strip along the bottom.

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub const fn new(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect { x, y, w, h }
    }
}

/// Space between tiles and around the edge, in canvas pixels.
pub const GAP: f64 = 8.0;
/// Share of the height the camera strip gets while a screen is shown.
pub const STRIP_SHARE: f64 = 0.22;

/// Columns and rows for `n` tiles on a `w × h` canvas: the arrangement that makes
/// 16:9 cells largest.
pub fn grid_shape(n: usize, w: f64, h: f64) -> (usize, usize) {
    if n == 0 {
        return (0, 0);
    }
    let mut best = (1, n, 0.0);
    for cols in 1..=n {
        let rows = n.div_ceil(cols);
        let cell = fit_16_9(
            (w - GAP * (cols as f64 + 1.0)) / cols as f64,
            (h - GAP * (rows as f64 + 1.0)) / rows as f64,
        );
        if cell > best.2 {
            best = (cols, rows, cell);
        }
    }
    (best.0, best.1)
}

/// Width of the largest 16:9 box inside `w × h`.
fn fit_16_9(w: f64, h: f64) -> f64 {
    if w <= 0.0 || h <= 0.0 {
        return 0.0;
    }
    w.min(h * 16.0 / 9.0)
}

/// `n` equal 16:9 cells in a grid, centred in `area`; the last row is centred too.
pub fn grid(n: usize, area: Rect) -> Vec<Rect> {
    let (cols, rows) = grid_shape(n, area.w, area.h);
    if n == 0 {
        return Vec::new();
    }
    let cw = fit_16_9(
        (area.w - GAP * (cols as f64 + 1.0)) / cols as f64,
        (area.h - GAP * (rows as f64 + 1.0)) / rows as f64,
    );
    let ch = cw * 9.0 / 16.0;
    let total_h = rows as f64 * ch + (rows as f64 - 1.0) * GAP;
    let top = area.y + (area.h - total_h) / 2.0;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let row = i / cols;
        let in_row = if row == rows - 1 {
            n - row * cols
        } else {
            cols
        };
        let row_w = in_row as f64 * cw + (in_row as f64 - 1.0) * GAP;
        let left = area.x + (area.w - row_w) / 2.0;
        let col = i % cols;
        out.push(Rect::new(
            left + col as f64 * (cw + GAP),
            top + row as f64 * (ch + GAP),
            cw,
            ch,
        ));
    }
    out
}

/// The rectangle of every tile, in input order. `screens` flags which tiles are
/// screen shares; the first screen gets the stage.
pub fn layout(screens: &[bool], w: f64, h: f64) -> Vec<Rect> {
    let full = Rect::new(0.0, 0.0, w, h);
    let Some(stage_ix) = screens.iter().position(|s| *s) else {
        return grid(screens.len(), full);
    };
    let others = screens.len() - 1;
    let strip_h = if others == 0 {
        0.0
    } else {
        (h * STRIP_SHARE).round()
    };
    let stage = Rect::new(GAP, GAP, w - 2.0 * GAP, h - strip_h - 2.0 * GAP);
    let mut out = vec![Rect::new(0.0, 0.0, 0.0, 0.0); screens.len()];
    out[stage_ix] = stage;
    if others > 0 {
        // One row: cells as wide as 16:9 allows, no wider than their share.
        let ch = strip_h - GAP;
        let cw = (ch * 16.0 / 9.0).min((w - GAP * (others as f64 + 1.0)) / others as f64);
        let ch = cw * 9.0 / 16.0;
        let row_w = others as f64 * cw + (others as f64 - 1.0) * GAP;
        let left = (w - row_w) / 2.0;
        let top = h - strip_h + (strip_h - GAP - ch) / 2.0;
        let mut k = 0;
        for (i, r) in out.iter_mut().enumerate() {
            if i == stage_ix {
                continue;
            }
            *r = Rect::new(left + k as f64 * (cw + GAP), top, cw, ch);
            k += 1;
        }
    }
    out
}

/// A `src_w × src_h` picture scaled to fit inside `dst` whole (letterboxed).
pub fn contain(src_w: f64, src_h: f64, dst: Rect) -> Rect {
    if src_w <= 0.0 || src_h <= 0.0 {
        return dst;
    }
    let scale = (dst.w / src_w).min(dst.h / src_h);
    let (w, h) = (src_w * scale, src_h * scale);
    Rect::new(dst.x + (dst.w - w) / 2.0, dst.y + (dst.h - h) / 2.0, w, h)
}

/// The part of a `src_w × src_h` picture that fills `dst` exactly (cropped, centred),
/// in source pixels.
pub fn cover_source(src_w: f64, src_h: f64, dst: Rect) -> Rect {
    if src_w <= 0.0 || src_h <= 0.0 || dst.w <= 0.0 || dst.h <= 0.0 {
        return Rect::new(0.0, 0.0, src_w, src_h);
    }
    let scale = (dst.w / src_w).max(dst.h / src_h);
    let (w, h) = (dst.w / scale, dst.h / scale);
    Rect::new((src_w - w) / 2.0, (src_h - h) / 2.0, w, h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inside(r: Rect, w: f64, h: f64) -> bool {
        r.x >= 0.0 && r.y >= 0.0 && r.x + r.w <= w + 1e-9 && r.y + r.h <= h + 1e-9
    }

    fn overlap(a: Rect, b: Rect) -> bool {
        a.x < b.x + b.w - 1e-9
            && b.x < a.x + a.w - 1e-9
            && a.y < b.y + b.h - 1e-9
            && b.y < a.y + a.h - 1e-9
    }

    #[test]
    fn grid_shapes_follow_the_count() {
        assert_eq!(grid_shape(0, 1280.0, 720.0), (0, 0));
        assert_eq!(grid_shape(1, 1280.0, 720.0), (1, 1));
        assert_eq!(grid_shape(2, 1280.0, 720.0), (2, 1));
        assert_eq!(grid_shape(4, 1280.0, 720.0), (2, 2));
        assert_eq!(grid_shape(5, 1280.0, 720.0), (3, 2));
        assert_eq!(grid_shape(9, 1280.0, 720.0), (3, 3));
    }

    #[test]
    fn grid_cells_fit_and_do_not_overlap() {
        for n in 1..=12 {
            let cells = layout(&vec![false; n], 1280.0, 720.0);
            assert_eq!(cells.len(), n);
            for (i, a) in cells.iter().enumerate() {
                assert!(inside(*a, 1280.0, 720.0), "n={n} {a:?}");
                assert!((a.w / a.h - 16.0 / 9.0).abs() < 1e-6);
                for b in &cells[i + 1..] {
                    assert!(!overlap(*a, *b), "n={n} {a:?} {b:?}");
                }
            }
        }
    }

    #[test]
    fn one_person_fills_the_canvas() {
        let r = layout(&[false], 1280.0, 720.0)[0];
        assert!((r.w - (1280.0 - 2.0 * GAP).min((720.0 - 2.0 * GAP) * 16.0 / 9.0)).abs() < 1e-6);
        assert!((r.x + r.w / 2.0 - 640.0).abs() < 1e-6);
    }

    #[test]
    fn last_row_is_centred() {
        let cells = layout(&[false; 3], 1280.0, 720.0);
        // 2 + 1: the single tile of the second row sits in the middle.
        let last = cells[2];
        assert!((last.x + last.w / 2.0 - 640.0).abs() < 1e-6);
        assert!(last.y > cells[0].y);
    }

    #[test]
    fn a_screen_takes_the_stage_and_cameras_a_strip() {
        let cells = layout(&[false, true, false, false], 1280.0, 720.0);
        let stage = cells[1];
        assert!(stage.h > 720.0 * 0.7);
        for (i, c) in cells.iter().enumerate() {
            assert!(inside(*c, 1280.0, 720.0));
            if i != 1 {
                assert!(c.y >= stage.y + stage.h, "camera below the stage");
                assert!(!overlap(*c, stage));
            }
        }
        assert!(!overlap(cells[0], cells[2]) && !overlap(cells[2], cells[3]));
    }

    #[test]
    fn a_screen_alone_uses_the_whole_canvas() {
        let cells = layout(&[true], 1280.0, 720.0);
        assert_eq!(
            cells[0],
            Rect::new(GAP, GAP, 1280.0 - 2.0 * GAP, 720.0 - 2.0 * GAP)
        );
    }

    #[test]
    fn contain_and_cover() {
        let dst = Rect::new(0.0, 0.0, 160.0, 90.0);
        assert_eq!(contain(100.0, 100.0, dst), Rect::new(35.0, 0.0, 90.0, 90.0));
        // A 4:3 camera in a 16:9 cell: crop top and bottom.
        assert_eq!(
            cover_source(640.0, 480.0, dst),
            Rect::new(0.0, 60.0, 640.0, 360.0)
        );
        assert_eq!(contain(0.0, 0.0, dst), dst);
    }
}

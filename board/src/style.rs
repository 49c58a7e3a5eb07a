//! How elements look where the data leaves it open: text metrics and the default
//! sticky-note colour. The canvas and the SVG export both use these, so an export
//! looks like the screen.

/// Text size of text boxes and sticky notes, in board units.
pub const FONT_SIZE: f64 = 16.0;
/// Distance between baselines of consecutive lines.
pub const LINE_HEIGHT: f64 = 20.0;
/// Space between a text box's or note's edge and its text.
pub const TEXT_PADDING: f64 = 8.0;
pub const FONT_FAMILY: &str = "system-ui, -apple-system, 'Segoe UI', sans-serif";
/// A sticky note without a fill colour of its own.
pub const STICKY_FILL: &str = "#fff3a0";
/// The page behind everything (exports are not transparent).
pub const BACKGROUND: &str = "#ffffff";

/// Where line `index` (0-based) of an element's text has its baseline, measured from the
/// top of the box.
pub fn baseline(index: usize) -> f64 {
    TEXT_PADDING + FONT_SIZE + index as f64 * LINE_HEIGHT
}

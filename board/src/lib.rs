//! Tandem's whiteboard model, shared by the app and the server and tested natively:
//! no browser or server types in here.
//!
//! - `state`: the board as last-write-wins registers per element field; any delivery
//!   order of the server's sequenced ops converges.
//! - `local`: the client's optimistic replica — confirmed state plus my ops in flight.
//! - `undo`: per-user undo and redo as inverse ops that never undo other people's work.
//! - `geometry`: rectangles, element bounds, hit testing, marquee selection, moving and
//!   resizing (with the eight handles).
//! - `simplify`: Ramer–Douglas–Peucker stroke simplification, at once or while drawing.
//! - `summary`: a text description of a page for screen readers.
//! - `svg`: a page exported as a standalone SVG image.
//! - `text`: wrapping text to its box with an injected measure (canvas and SVG alike).
//! - `style`: text metrics and colours the canvas and the export share.

pub mod geometry;
pub mod local;
pub mod simplify;
pub mod state;
pub mod style;
pub mod summary;
pub mod svg;
pub mod text;
pub mod undo;

pub use geometry::{Handle, Rect};
pub use local::LocalBoard;
pub use simplify::{simplify, StrokeBuilder, DEFAULT_TOLERANCE};
pub use state::{BoardState, Change};
pub use summary::describe;
pub use svg::page_svg;
pub use undo::History;

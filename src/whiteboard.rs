//! The whiteboard drawing engine: a library with no UI-framework types, like the media
//! engine. The Leptos components (`components::whiteboard`) own the DOM and feed it.
//!
//! # Layers
//!
//! * **Pure logic** (unit-tested natively): [`camera`] (pan/zoom, fit, viewports),
//!   [`tools`], [`style`], [`scene`] (a spatial index of the page
//!   for culling and dirty regions), [`gesture`] (the pointer state machine: events in,
//!   previews / ops / selection / camera moves out), [`edits`] (the ops behind every
//!   action), [`clipboard`], [`peers`], [`throttle`].
//! * **Glue** (web-sys): [`render`] (Canvas 2D drawing of elements and selection),
//!   [`surface`] (the two canvases: a cached base layer of committed elements, redrawn
//!   only in dirty regions or, culled to the view, when the camera changes; and an
//!   overlay for the preview and selection, the only thing a pointer move redraws),
//!   [`perf`] (User Timing marks the benchmark reads), [`export`] (PNG and SVG
//!   downloads).
//!
//! The board model itself (state, optimistic replica, undo, geometry, simplification,
//! text wrapping, summary, SVG) is the `tandem-board` crate, shared with the server.

pub mod camera;
pub mod clipboard;
pub mod edits;
pub mod export;
pub mod gesture;
pub mod peers;
pub mod perf;
pub mod render;
pub mod scene;
pub mod style;
pub mod surface;
pub mod throttle;
pub mod tools;

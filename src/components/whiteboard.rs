//! The whiteboard UI: a live board ([`BoardView`]) and a read-only replay
//! ([`BoardReplay`]). Drawing itself is the engine in `crate::whiteboard`; the board
//! session (socket, optimistic state, undo) is `crate::contexts::boards`.

pub mod board_view;
pub mod canvas;
pub mod cursors;
pub mod editor;
pub mod pages;
pub mod people;
pub mod replay;
pub mod text_editor;
pub mod toolbar;

pub use board_view::BoardView;
pub use replay::BoardReplay;

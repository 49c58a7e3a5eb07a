//! Meeting recordings: the card in a channel, the library list, and the playback
//! page's player, timeline, meeting chat and whiteboard replay. Pure helpers live in
//! `format`, `timeline_math`, `timeline_board` and `shortcuts` so they are unit-tested
//! natively.

pub mod actions;
pub mod board_replay;
pub mod cache;
pub mod card;
pub mod controls;
pub mod filters;
pub mod format;
pub mod item;
pub mod meeting_chat;
pub mod player;
pub mod retention;
pub mod shortcuts;
pub mod timeline;
pub mod timeline_board;
pub mod timeline_math;

pub use card::RecordingCard;

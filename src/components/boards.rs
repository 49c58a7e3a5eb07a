//! Where boards appear around the drawing surface (`components::whiteboard`): the
//! channel's boards panel, the board page's header and sharing, and the meeting's
//! whiteboard panel. Pure helpers (`index`, `format`, `meeting_state`) are unit-tested
//! natively; recording playback's board lives in `components::recordings::board_replay`.

pub mod clipboard;
pub mod delete;
pub mod directory;
pub mod format;
pub mod index;
pub mod item;
pub mod links_list;
pub mod meeting;
pub mod meeting_state;
pub mod new_board;
pub mod panel;
pub mod rename;
pub mod share;

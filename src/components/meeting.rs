//! The meeting UI: channel cards, the incoming-call dialog, the lobby, the stage of
//! tiles, the toolbar and its panels. State lives in `contexts::meeting`.

pub mod card;
pub mod chat_panel;
pub mod controls;
pub mod devices;
pub mod incoming_call;
pub mod invite;
pub mod lobby;
pub mod people_panel;
pub mod recording;
pub mod stage;
pub mod start;
pub mod tile;
pub mod video;

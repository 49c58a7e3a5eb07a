//! The channel view: header, virtualised message list, composer, side panels.

pub mod channel_header;
pub mod channel_settings;
pub mod composer;
pub mod members_panel;
pub mod message_actions;
pub mod message_list;
pub mod message_row;
pub mod pending_row;
pub mod pins_panel;
pub mod reactions;
pub mod thread_panel;
pub mod typing_indicator;

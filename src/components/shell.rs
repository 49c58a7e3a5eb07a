//! The signed-in workspace layout.

pub mod browse_channels;
pub mod channel_list;
pub mod connection_banner;
pub mod create_channel;
pub mod empty_state;
pub mod new_message;
pub mod notifications_toggle;
pub mod quick_switcher;
pub mod sidebar;
pub mod status_editor;
pub mod user_menu;

//! The signed-in workspace layout.

pub mod connection_banner;
pub mod empty_state;
pub mod sidebar;
pub mod status_editor;
pub mod user_menu;

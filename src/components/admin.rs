//! Admin-only screens.

pub mod invites;
pub mod workspace_settings;

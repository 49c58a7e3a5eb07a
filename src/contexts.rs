//! App-wide state shared through Leptos context, one `provide_*_context` per concern.

pub mod activity;
pub mod availability;
pub mod boards;
pub mod chat;
pub mod meeting;
pub mod realtime;
pub mod session;

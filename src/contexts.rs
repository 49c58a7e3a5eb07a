//! App-wide state shared through Leptos context, one `provide_*_context` per concern.

pub mod realtime;
pub mod session;
